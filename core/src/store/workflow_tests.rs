//! Store-level workflow tests: a whole flow, refusals that change nothing,
//! numbering series, and tamper detection by `verify`.

use chrono::{DateTime, Local, TimeZone};

use super::{Store, StoreError};
use crate::demo::{DEMO_PASSWORD, load_demo};
use crate::exchange::parse_document;
use crate::model::OutgoingState;
use crate::workflow::{Action, WorkflowError};

const DECISION: &str = include_str!("../../../assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");
const PARTY_PLAN: &str = include_str!("../../../assets/demo/documents/tu-ke-hoach-hoc-tap-nghi-quyet-dai-hoi-xiv.json");

fn at(y: i32, m: u32, d: u32) -> DateTime<Local> {
    Local.with_ymd_and_hms(y, m, d, 9, 30, 0).single().expect("valid local time")
}

fn demo_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    load_demo(&mut store, at(2026, 11, 27).date_naive()).unwrap();
    store
}

fn snapshot(store: &Store, id: i64) -> (String, String, i64) {
    let doc = store.document(id).unwrap().unwrap();
    // Refusals are audited in their own transaction; everything else stays.
    let events: i64 =
        store.conn.query_row("SELECT count(*) FROM audit_events WHERE action <> 'refused'", [], |r| r.get(0)).unwrap();
    (doc.state.code().to_owned(), doc.json, events)
}

/// Runs a flow of (action, user, comment) and returns the final number.
fn run_flow(
    store: &mut Store,
    id: i64,
    steps: &[(Action, &str, Option<&str>)],
    now: DateTime<Local>,
) -> Option<String> {
    let mut number = None;
    for (action, user, comment) in steps {
        let actor = store.login(user, DEMO_PASSWORD).unwrap();
        let outcome = if *action == Action::Sign {
            store.sign(id, &actor, DEMO_PASSWORD, now, *comment)
        } else {
            store.transition(id, *action, &actor, now, *comment)
        };
        let outcome = outcome.unwrap_or_else(|e| panic!("{action:?} by {user}: {e}"));
        number = outcome.number.or(number);
    }
    number
}

#[test]
fn a_state_decision_goes_from_draft_to_filed_with_a_return() {
    let mut store = demo_store();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let now = at(2026, 12, 1);
    let id = store.create_draft(&drafter, &parse_document(DECISION).unwrap(), now).unwrap();
    let steps = [
        (Action::Submit, "buivantoan", None),
        (Action::Approve, "danghuutai", None),
        (Action::Return, "lythihongnhung", Some("Đề nghị rà soát lại thành phần Tổ công tác")),
        (Action::Submit, "buivantoan", None),
        (Action::Approve, "danghuutai", None),
        (Action::CheckFormat, "lythihongnhung", None),
        (Action::Sign, "lethithuha", None),
        (Action::Number, "lythihongnhung", None),
        (Action::Issue, "lythihongnhung", None),
        (Action::File, "hovanphuc", None),
    ];
    let number = run_flow(&mut store, id, &steps, now).expect("numbered");
    assert!(number.ends_with("/QĐ-UBND"), "{number}");
    let doc = store.document(id).unwrap().unwrap();
    assert_eq!(doc.state, OutgoingState::Filed);
    assert_eq!(doc.document.date, Some(now.date_naive()));
    assert_eq!(store.verify().unwrap(), None);
    let comments: Vec<String> = {
        let mut stmt = store
            .conn
            .prepare("SELECT coalesce(comment, '') FROM audit_events WHERE subject_id = ?1 ORDER BY id")
            .unwrap();
        stmt.query_map([id], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(comments.len(), steps.len() + 1, "create plus every step is audited");
    assert!(comments.iter().any(|c| c.contains("rà soát")));
}

#[test]
fn a_party_plan_is_numbered_per_kind_and_term() {
    let mut store = demo_store();
    let drafter = store.login("huynhngocthao", DEMO_PASSWORD).unwrap();
    let now = at(2026, 12, 2);
    let mut plan = parse_document(PARTY_PLAN).unwrap();
    plan.due_date = None;
    let id = store.create_draft(&drafter, &plan, now).unwrap();
    let steps = [
        (Action::Submit, "huynhngocthao", None),
        (Action::Return, "vominhtri", Some("Bổ sung thời gian tổ chức")),
        (Action::Submit, "huynhngocthao", None),
        (Action::Approve, "vominhtri", None),
        (Action::CheckFormat, "lamthihoa", None),
        (Action::Sign, "tranthibichthuy", None),
        (Action::Number, "lamthihoa", None),
        (Action::Issue, "lamthihoa", None),
        (Action::File, "ngovansang", None),
    ];
    let number = run_flow(&mut store, id, &steps, now).expect("numbered");
    let highest_plan: i64 = store
        .conn
        .query_row(
            "SELECT max(CAST(number AS INTEGER)) FROM documents WHERE family = 'party' AND kind = 'ke-hoach' AND id <> ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(number, format!("{}-KH/TU", highest_plan + 1), "the plan series continues");
    assert_eq!(store.verify().unwrap(), None);
}

#[test]
fn refusals_change_nothing() {
    let mut store = demo_store();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let id = store.create_draft(&drafter, &parse_document(DECISION).unwrap(), at(2026, 12, 1)).unwrap();
    let before = snapshot(&store, id);
    let err = store.sign(id, &drafter, DEMO_PASSWORD, at(2026, 12, 1), None).unwrap_err();
    assert!(matches!(err, StoreError::Workflow(WorkflowError::State { .. })), "{err}");
    run_flow(
        &mut store,
        id,
        &[
            (Action::Submit, "buivantoan", None),
            (Action::Approve, "danghuutai", None),
            (Action::CheckFormat, "lythihongnhung", None),
        ],
        at(2026, 12, 1),
    );
    let before_sign = snapshot(&store, id);
    let err = store.sign(id, &drafter, DEMO_PASSWORD, at(2026, 12, 1), None).unwrap_err();
    assert!(matches!(err, StoreError::Workflow(WorkflowError::Role { .. })), "a drafter cannot sign: {err}");
    assert_eq!(snapshot(&store, id), before_sign);
    let leader = store.login("lethithuha", DEMO_PASSWORD).unwrap();
    let err = store.transition(id, Action::Return, &leader, at(2026, 12, 1), Some("  ")).unwrap_err();
    assert!(matches!(err, StoreError::Workflow(WorkflowError::Comment { .. })));
    assert_eq!(snapshot(&store, id), before_sign);
    assert_ne!(before, before_sign);
}

#[test]
fn error_findings_block_the_step() {
    let mut store = demo_store();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let mut doc = parse_document(DECISION).unwrap();
    doc.signer.name = "TS. Lê Thị Thu Hà".into();
    let id = store.create_draft(&drafter, &doc, at(2026, 12, 1)).unwrap();
    run_flow(
        &mut store,
        id,
        &[(Action::Submit, "buivantoan", None), (Action::Approve, "danghuutai", None)],
        at(2026, 12, 1),
    );
    let vanthu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let before = snapshot(&store, id);
    let err = store.transition(id, Action::CheckFormat, &vanthu, at(2026, 12, 1), None).unwrap_err();
    match err {
        StoreError::Workflow(WorkflowError::Blocked { findings, .. }) => {
            assert!(findings.iter().any(|f| f.rule == "TT-24"))
        }
        other => panic!("{other}"),
    }
    assert_eq!(snapshot(&store, id), before);
}

#[test]
fn the_first_state_document_of_a_new_year_is_number_01() {
    let mut store = demo_store();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let flow = [
        (Action::Submit, "buivantoan", None),
        (Action::Approve, "danghuutai", None),
        (Action::CheckFormat, "lythihongnhung", None),
        (Action::Sign, "lethithuha", None),
        (Action::Number, "lythihongnhung", None),
    ];
    let mut numbers = Vec::new();
    for day in [at(2026, 12, 30), at(2027, 1, 4), at(2027, 1, 5)] {
        let id = store.create_draft(&drafter, &parse_document(DECISION).unwrap(), day).unwrap();
        numbers.push(run_flow(&mut store, id, &flow, day).unwrap());
    }
    assert!(!numbers[0].starts_with("01/"), "2026 continues its series: {numbers:?}");
    assert_eq!(numbers[1], "01/QĐ-UBND");
    assert_eq!(numbers[2], "02/QĐ-UBND");
}

#[test]
fn verify_names_the_tampered_row() {
    let mut store = demo_store();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let id = store.create_draft(&drafter, &parse_document(DECISION).unwrap(), at(2026, 12, 1)).unwrap();
    run_flow(
        &mut store,
        id,
        &[(Action::Submit, "buivantoan", None), (Action::Approve, "danghuutai", None)],
        at(2026, 12, 1),
    );
    assert_eq!(store.verify().unwrap(), None);
    // The triggers refuse edits of the audit log.
    assert!(store.conn.execute("UPDATE audit_events SET comment = 'x' WHERE id = 1", []).is_err());
    assert!(store.conn.execute("DELETE FROM audit_events WHERE id = 1", []).is_err());
    // Someone drops them and edits a row behind the app's back.
    crate::store::sql::drop_guards(&store.conn);
    store.conn.execute_batch("UPDATE audit_events SET comment = 'sửa lén' WHERE id = 2;").unwrap();
    assert_eq!(store.verify().unwrap().as_deref(), Some("audit_events #2"));

    let mut store = demo_store();
    let id = store.create_draft(&drafter, &parse_document(DECISION).unwrap(), at(2026, 12, 1)).unwrap();
    store
        .conn
        .execute(
            "UPDATE documents SET content_json = replace(content_json, 'Tổ công tác', 'Tổ  công tác') WHERE id = ?1",
            [id],
        )
        .unwrap();
    assert!(store.verify().unwrap().unwrap().starts_with(&format!("documents #{id}")));
}

#[test]
fn concurrent_numbering_is_unique_and_gap_free() {
    let dir = std::env::temp_dir().join(format!("vanthu-numbering-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("v.db");
    let mut store = Store::open(&path).unwrap();
    load_demo(&mut store, at(2026, 11, 27).date_naive()).unwrap();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let flow = [
        (Action::Submit, "buivantoan", None),
        (Action::Approve, "danghuutai", None),
        (Action::CheckFormat, "lythihongnhung", None),
        (Action::Sign, "lethithuha", None),
    ];
    let day = at(2027, 3, 2);
    let mut ids = Vec::new();
    for _ in 0..60 {
        let id = store.create_draft(&drafter, &parse_document(DECISION).unwrap(), day).unwrap();
        run_flow(&mut store, id, &flow, day);
        ids.push(id);
    }
    drop(store);
    let halves: Vec<Vec<i64>> = ids.chunks(30).map(<[i64]>::to_vec).collect();
    let handles: Vec<_> = halves
        .into_iter()
        .map(|ids| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                let vanthu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
                ids.into_iter()
                    .map(|id| store.transition(id, Action::Number, &vanthu, day, None).unwrap().number.unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut numbers: Vec<u32> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .map(|n| n.split('/').next().unwrap().parse().unwrap())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=60).collect::<Vec<u32>>());
}

#[test]
fn signed_content_is_immutable_and_verified() {
    let mut store = demo_store();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let now = at(2026, 12, 1);
    let id = store.create_draft(&drafter, &parse_document(DECISION).unwrap(), now).unwrap();
    let flow = [
        (Action::Submit, "buivantoan", None),
        (Action::Approve, "danghuutai", None),
        (Action::CheckFormat, "lythihongnhung", None),
    ];
    run_flow(&mut store, id, &flow, now);
    let leader = store.login("lethithuha", DEMO_PASSWORD).unwrap();
    assert!(matches!(store.sign(id, &leader, "sai", now, None), Err(StoreError::BadCredentials)));
    assert!(store.transition(id, Action::Sign, &leader, now, None).is_err(), "signing needs the password");
    store.sign(id, &leader, DEMO_PASSWORD, now, None).unwrap();
    run_flow(&mut store, id, &[(Action::Number, "lythihongnhung", None)], now);
    assert_eq!(store.verify().unwrap(), None, "numbering after signing keeps the signature valid");
    // The app's own connection cannot change the signed text or delete the document.
    let edit = "UPDATE documents SET content_json = replace(content_json, 'Tổ công tác', 'Tổ làm việc') WHERE id = ?1";
    assert!(store.conn.execute(edit, [id]).is_err());
    assert!(store.conn.execute("DELETE FROM documents WHERE id = ?1", [id]).is_err());
    assert!(store.conn.execute("UPDATE signatures SET signature = 'x'", []).is_err());
    // With the triggers dropped, verify names the row.
    crate::store::sql::drop_guards(&store.conn);
    store.conn.execute(edit, [id]).unwrap();
    let hash = super::documents::sha256_hex(&store.document(id).unwrap().unwrap().json);
    store.conn.execute("UPDATE documents SET content_hash = ?2 WHERE id = ?1", super::sql::params![id, hash]).unwrap();
    let broken = store.verify().unwrap().unwrap();
    assert!(broken.starts_with(&format!("documents #{id}")), "{broken}");
    let mut store = demo_store();
    let id = store.create_draft(&drafter, &parse_document(DECISION).unwrap(), now).unwrap();
    run_flow(&mut store, id, &flow, now);
    store.sign(id, &leader, DEMO_PASSWORD, now, None).unwrap();
    crate::store::sql::drop_guards(&store.conn);
    store.conn.execute_batch("UPDATE signatures SET signature = replace(signature, 'a', 'b');").unwrap();
    assert!(store.verify().unwrap().unwrap().starts_with("signatures #"));
}

#[test]
fn issuing_delivers_to_internal_recipients_as_incoming() {
    let mut store = demo_store();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let now = at(2026, 12, 1);
    let mut doc = parse_document(DECISION).unwrap();
    doc.recipients.insert(0, "Văn phòng Tỉnh ủy (để phối hợp);".into());
    let id = store.create_draft(&drafter, &doc, now).unwrap();
    let before = store.list_incoming().unwrap().len();
    let flow = [
        (Action::Submit, "buivantoan", None),
        (Action::Approve, "danghuutai", None),
        (Action::CheckFormat, "lythihongnhung", None),
        (Action::Sign, "lethithuha", None),
        (Action::Number, "lythihongnhung", None),
        (Action::Issue, "lythihongnhung", None),
    ];
    run_flow(&mut store, id, &flow, now);
    let incoming = store.list_incoming().unwrap();
    assert_eq!(incoming.len(), before + 1, "the Văn phòng Tỉnh ủy receives it");
    let received = incoming
        .iter()
        .find(|i| i.sender == "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC" && i.state == crate::model::IncomingState::Received)
        .unwrap();
    assert!(received.notation.as_deref() == Some("QĐ-UBND"));
    assert_eq!(store.verify().unwrap(), None);
}

/// The demo quyết định drafted, approved and checked: waiting for its signer.
fn awaiting_signature() -> (Store, i64, DateTime<Local>) {
    let mut store = demo_store();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let now = at(2026, 12, 1);
    let id = store.create_draft(&drafter, &parse_document(DECISION).unwrap(), now).unwrap();
    let flow = [
        (Action::Submit, "buivantoan", None),
        (Action::Approve, "danghuutai", None),
        (Action::CheckFormat, "lythihongnhung", None),
    ];
    run_flow(&mut store, id, &flow, now);
    (store, id, now)
}

/// The text runs of a laid-out document, joined.
fn page_text(layout: &crate::pdf::DocumentLayout) -> String {
    let mut out = String::new();
    for page in &layout.pages {
        for item in &page.items {
            if let crate::pdf::Item::Text(run) = item {
                out.push_str(&run.text);
                out.push(' ');
            }
        }
    }
    out
}

#[test]
fn a_signed_document_shows_its_signature_and_no_draft_mark() {
    let (mut store, id, now) = awaiting_signature();
    let ruleset = store.effective_ruleset(crate::model::Family::State).unwrap();
    let stored = store.document(id).unwrap().unwrap();
    assert!(store.approval_signatures(id).unwrap().is_empty());
    let before = page_text(&crate::pdf::layout_document_in_state(&stored.document, &ruleset, stored.state));
    assert!(before.contains("DỰ THẢO"), "awaiting signature, still a draft: {before}");
    let leader = store.login("lethithuha", DEMO_PASSWORD).unwrap();
    store.sign(id, &leader, DEMO_PASSWORD, now, None).unwrap();
    let stored = store.document(id).unwrap().unwrap();
    assert_eq!(stored.state, OutgoingState::Signed);
    assert!(stored.document.number.is_none(), "not numbered yet");
    let after = page_text(&crate::pdf::layout_document_in_state(&stored.document, &ruleset, stored.state));
    assert!(!after.contains("DỰ THẢO"), "signed: no draft mark although not numbered: {after}");
    let pdf = crate::pdf::document_pdf_in_state(&stored.document, &ruleset, stored.state).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let signatures = store.approval_signatures(id).unwrap();
    assert_eq!(signatures.len(), 1);
    let s = &signatures[0];
    assert_eq!(s.signer, leader.user().full_name);
    assert!(s.valid, "{s:?}");
    assert_eq!(s.fingerprint.split(' ').count(), 8, "{s:?}");
    // A signature changed behind the app's back no longer verifies.
    crate::store::sql::drop_guards(&store.conn);
    store.conn.execute("UPDATE signatures SET signature = ?1", ["00".repeat(64)]).unwrap();
    assert!(!store.approval_signatures(id).unwrap()[0].valid);
}

#[test]
fn signing_in_three_steps_unlocks_off_the_store_thread_and_counts_wrong_passwords() {
    let (mut store, id, now) = awaiting_signature();
    let leader = store.login("lethithuha", DEMO_PASSWORD).unwrap();
    // A wrong password: refused, recorded as a failed login, nothing signed.
    let attempt = store.begin_signing(&leader).unwrap();
    let wrong = std::thread::spawn(move || attempt.unlock("sai-mat-khau")).join().unwrap();
    assert!(matches!(store.sign_unlocked(id, &leader, wrong, now, None), Err(StoreError::BadCredentials)));
    let failures: i64 = store
        .conn
        .query_row("SELECT failures FROM login_throttle WHERE username = 'lethithuha'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(failures, 1);
    assert_eq!(store.document(id).unwrap().unwrap().state, OutgoingState::AwaitingSignature);
    // Another person's unlocked key does not sign for the leader.
    let other = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let theirs = store.begin_signing(&other).unwrap().unlock(DEMO_PASSWORD);
    assert!(store.sign_unlocked(id, &leader, theirs, now, None).is_err());
    // The right password, unlocked on another thread: signed and verifiable.
    let attempt = store.begin_signing(&leader).unwrap();
    let unlocked = std::thread::spawn(move || attempt.unlock(DEMO_PASSWORD)).join().unwrap();
    store.sign_unlocked(id, &leader, unlocked, now, None).unwrap();
    assert_eq!(store.document(id).unwrap().unwrap().state, OutgoingState::Signed);
    assert!(store.approval_signatures(id).unwrap()[0].valid);
    assert_eq!(store.verify().unwrap(), None);
}
