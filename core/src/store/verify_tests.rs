//! `verify` against tampering behind the application's back (issue #13, item 3):
//! each case drops the protecting triggers with SQL, changes one thing, and must
//! be named; the anchor catches a cut or rewritten chain.

use chrono::{DateTime, Local, TimeZone};

use super::Store;
use crate::demo::{DEMO_PASSWORD, load_demo};
use crate::exchange::parse_document;
use crate::workflow::Action;

const DECISION: &str = include_str!("../../../assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");

fn at(y: i32, m: u32, d: u32) -> DateTime<Local> {
    Local.with_ymd_and_hms(y, m, d, 9, 30, 0).single().expect("valid local time")
}

/// A demo office with one decision drafted, signed, numbered and issued.
fn issued() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    load_demo(&mut store, at(2026, 11, 27).date_naive()).unwrap();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let now = at(2026, 12, 1);
    let id = store.create_draft(&drafter, &parse_document(DECISION).unwrap(), now).unwrap();
    for (action, user) in [
        (Action::Submit, "buivantoan"),
        (Action::Approve, "danghuutai"),
        (Action::CheckFormat, "lythihongnhung"),
        (Action::Sign, "lethithuha"),
        (Action::Number, "lythihongnhung"),
        (Action::Issue, "lythihongnhung"),
    ] {
        let actor = store.login(user, DEMO_PASSWORD).unwrap();
        if action == Action::Sign {
            store.sign(id, &actor, DEMO_PASSWORD, now, None).unwrap();
        } else {
            store.transition(id, action, &actor, now, None).unwrap();
        }
    }
    assert_eq!(store.verify().unwrap(), None, "the untouched store verifies");
    (store, id)
}

fn tampered(sql: &str) -> String {
    let (store, id) = issued();
    crate::store::sql::drop_guards(&store.conn);
    store.conn.execute_batch(&sql.replace("$ID", &id.to_string())).unwrap();
    store.verify().unwrap().unwrap_or_else(|| panic!("verify missed: {sql}"))
}

#[test]
fn a_signed_document_set_to_another_state_is_named() {
    let broken = tampered("UPDATE documents SET state = 'filed' WHERE id = $ID;");
    assert!(broken.contains("trạng thái"), "{broken}");
}

#[test]
fn register_columns_differing_from_the_content_are_named() {
    for column in ["number = '999'", "notation = 'X/Y'", "date = '2031-01-01'"] {
        let broken = tampered(&format!("UPDATE documents SET {column} WHERE id = $ID;"));
        assert!(broken.contains("số, ký hiệu hoặc ngày"), "{column}: {broken}");
    }
}

#[test]
fn a_lowered_register_is_named() {
    let broken = tampered("UPDATE number_registers SET last_number = 0;");
    assert!(broken.contains("số cuối"), "{broken}");
}

#[test]
fn a_duplicate_number_in_a_series_is_named() {
    let broken = tampered(
        "DROP INDEX documents_number_in_series;
         UPDATE documents SET series = (SELECT series FROM documents WHERE id = $ID),
                              number = (SELECT number FROM documents WHERE id = $ID)
          WHERE id = (SELECT min(id) FROM documents WHERE number IS NOT NULL AND id <> $ID);",
    );
    assert!(broken.contains("cấp hai lần") || broken.contains("khác nội dung"), "{broken}");
}

#[test]
fn a_role_granted_with_sql_is_named() {
    let broken =
        tampered("INSERT INTO user_roles (user_id, role) SELECT id, 'admin' FROM users WHERE username = 'buivantoan';");
    assert!(broken.starts_with("quản trị: tài khoản"), "{broken}");
    let broken = tampered("UPDATE users SET active = 1 - active WHERE username = 'buivantoan';");
    assert!(broken.starts_with("quản trị: tài khoản"), "{broken}");
}

#[test]
fn authority_and_delegations_changed_with_sql_are_named() {
    let broken = tampered("DELETE FROM authority_matrix WHERE id = (SELECT min(id) FROM authority_matrix);");
    assert!(broken.contains("quyền ký"), "{broken}");
    let broken = tampered("UPDATE delegations SET valid_until = '2099-12-31';");
    assert!(broken.contains("ủy quyền"), "{broken}");
}

#[test]
fn re_signing_with_an_attackers_key_is_named() {
    use ed25519_dalek::{Signer, SigningKey};
    let (store, id) = issued();
    let hash: String =
        store.conn.query_row("SELECT content_hash FROM signatures WHERE document_id = ?1", [id], |r| r.get(0)).unwrap();
    let attacker = SigningKey::from_bytes(&[7u8; 32]);
    let signature = hex::encode(attacker.sign(hash.as_bytes()).to_bytes());
    let public = hex::encode(attacker.verifying_key().as_bytes());
    crate::store::sql::drop_guards(&store.conn);
    store
        .conn
        .execute(
            "UPDATE signatures SET public_key = ?1, signature = ?2 WHERE document_id = ?3",
            super::sql::params![public, signature, id],
        )
        .unwrap();
    let broken = store.verify().unwrap().unwrap();
    assert!(broken.contains("khóa công khai"), "{broken}");
}

#[test]
fn a_signature_moved_to_another_user_is_named() {
    let broken = tampered(
        "UPDATE signatures SET user_id = (SELECT id FROM users WHERE username = 'buivantoan')
          WHERE document_id = $ID;",
    );
    assert!(broken.starts_with("signatures #"), "{broken}");
}

#[test]
fn versions_and_creating_events_are_required() {
    let broken = tampered(
        "INSERT INTO document_versions (document_id, version, content_json, content_hash, created_at, created_by)
         SELECT document_id, version + 5, content_json, content_hash, created_at, created_by
           FROM document_versions WHERE document_id = $ID AND version = 1;",
    );
    assert!(broken.contains("phiên bản"), "{broken}");
    let broken = tampered(
        "INSERT INTO documents (family, kind, number, notation, year, date, subject, issuer_name, signer_name, state,
                                content_json, content_hash, created_at, updated_at)
         SELECT family, kind, NULL, NULL, NULL, NULL, subject, issuer_name, signer_name, 'draft',
                content_json, content_hash, created_at, updated_at FROM documents WHERE id = $ID;",
    );
    assert!(broken.contains("sự kiện tạo") || broken.contains("khác nội dung"), "{broken}");
}

#[test]
fn the_anchor_catches_a_cut_tail_and_a_rewritten_chain() {
    let (store, _) = issued();
    let anchor = store.anchor().unwrap();
    assert_eq!(store.check_anchor(&anchor).unwrap(), None);
    crate::store::sql::drop_guards(&store.conn);
    store.conn.execute("DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)", []).unwrap();
    let cut = store.check_anchor(&anchor).unwrap().expect("a cut tail is caught");
    assert!(cut.contains("ít hơn"), "{cut}");

    // Rewrite the last event and recompute its hash: the chain verifies, the anchor does not.
    let (store, _) = issued();
    let anchor = store.anchor().unwrap();
    crate::store::sql::drop_guards(&store.conn);
    type Row = (i64, String, String, Option<i64>, String, String, String, Option<i64>, String);
    let row: Row = store
        .conn
        .query_row(
            "SELECT id, prev_hash, at, user_id, username, role, subject, subject_id, action
               FROM audit_events ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?)),
        )
        .unwrap();
    let (before, after, content): (Option<String>, Option<String>, Option<String>) = store
        .conn
        .query_row("SELECT state_before, state_after, content_hash FROM audit_events WHERE id = ?1", [row.0], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    let (id, prev) = (row.0, row.1.clone());
    store.conn.execute("UPDATE audit_events SET comment = 'viết lại' WHERE id = ?1", [id]).unwrap();
    let event = super::workflow::NewEvent {
        at: row.2.clone(),
        user_id: row.3,
        username: &row.4,
        role: &row.5,
        subject: &row.6,
        subject_id: row.7,
        action: &row.8,
        state_before: before.as_deref(),
        state_after: after.as_deref(),
        content_hash: content.as_deref(),
        comment: Some("viết lại"),
        effects: None,
    };
    let hash = super::documents::sha256_hex(&event.canonical(&prev));
    store.conn.execute("UPDATE audit_events SET hash = ?1 WHERE id = ?2", super::sql::params![hash, id]).unwrap();
    assert_eq!(store.verify().unwrap(), None, "a recomputed chain passes without an anchor");
    let differs = store.check_anchor(&anchor).unwrap().expect("the anchor catches the rewrite");
    assert!(differs.contains("khác mốc neo"), "{differs}");
}

#[test]
fn the_last_line_names_length_and_head() {
    let (store, _) = issued();
    let anchor = store.anchor().unwrap();
    let count: i64 = store.conn.query_row("SELECT count(*) FROM audit_events", [], |r| r.get(0)).unwrap();
    assert_eq!(anchor.events, count);
    assert_eq!(anchor.head.len(), 64);
}
