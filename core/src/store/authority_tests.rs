//! Đúng thẩm quyền in the store, on the demo office: the records decide, refusals
//! change nothing and are audited, an edit after approval sends the draft back.

use chrono::{DateTime, Local, TimeZone};

use super::{Store, StoreError};
use crate::demo::{DEMO_PASSWORD, load_demo};
use crate::exchange::parse_document;
use crate::model::OutgoingState;
use crate::workflow::{Action, WorkflowError};

const DECISION: &str = include_str!("../../../assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");
const PARTY_PLAN: &str = include_str!("../../../assets/demo/documents/tu-ke-hoach-hoc-tap-nghi-quyet-dai-hoi-xiv.json");

pub(super) fn at(y: i32, m: u32, d: u32) -> DateTime<Local> {
    Local.with_ymd_and_hms(y, m, d, 9, 30, 0).single().expect("valid local time")
}

pub(super) fn demo() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    load_demo(&mut store, at(2026, 11, 27).date_naive()).unwrap();
    store
}

fn refusals(store: &Store) -> i64 {
    store.conn.query_row("SELECT count(*) FROM audit_events WHERE action = 'refused'", [], |r| r.get(0)).unwrap()
}

fn step(store: &mut Store, id: i64, action: Action, user: &str) -> Result<OutgoingState, StoreError> {
    let actor = store.login(user, DEMO_PASSWORD).unwrap();
    let outcome = if action == Action::Sign {
        store.sign(id, &actor, DEMO_PASSWORD, at(2026, 12, 1), None)
    } else {
        store.transition(id, action, &actor, at(2026, 12, 1), Some("ý kiến"))
    };
    outcome.map(|o| o.to)
}

/// A UBND quyết định drafted in the Phòng Kinh tế, brought to the signature.
fn decision_awaiting_signature(store: &mut Store) -> i64 {
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let id = store.create_draft(&drafter, &parse_document(DECISION).unwrap(), at(2026, 12, 1)).unwrap();
    step(store, id, Action::Submit, "buivantoan").unwrap();
    step(store, id, Action::Approve, "danghuutai").unwrap();
    step(store, id, Action::CheckFormat, "lythihongnhung").unwrap();
    id
}

#[test]
fn only_the_person_the_block_prints_signs() {
    let mut store = demo();
    let id = decision_awaiting_signature(&mut store);
    // The block prints KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Lê Thị Thu Hà.
    for wrong in ["hoangminhduc", "nguyendinhkhoi", "phamvanthang", "vothingoclan"] {
        let before = refusals(&store);
        let err = step(&mut store, id, Action::Sign, wrong).unwrap_err();
        assert!(
            matches!(&err, StoreError::Workflow(WorkflowError::Authority { reason, .. }) if reason.contains("Lê Thị Thu Hà")),
            "{wrong}: {err}"
        );
        assert_eq!(refusals(&store), before + 1, "the refusal is audited");
        assert_eq!(store.document(id).unwrap().unwrap().state, OutgoingState::AwaitingSignature);
    }
    let actor = store.login("lethithuha", DEMO_PASSWORD).unwrap();
    assert_eq!(
        store.available_actions(&actor, id, at(2026, 12, 1).date_naive()).unwrap(),
        [Action::Sign, Action::Return]
    );
    let other = store.login("hoangminhduc", DEMO_PASSWORD).unwrap();
    assert!(store.available_actions(&other, id, at(2026, 12, 1).date_naive()).unwrap().is_empty());
    assert_eq!(step(&mut store, id, Action::Sign, "lethithuha").unwrap(), OutgoingState::Signed);
    assert_eq!(store.verify().unwrap(), None);
}

#[test]
fn agencies_are_apart() {
    let mut store = demo();
    let id = decision_awaiting_signature(&mut store);
    step(&mut store, id, Action::Sign, "lethithuha").unwrap();
    let err = step(&mut store, id, Action::Number, "lamthihoa").unwrap_err();
    assert!(matches!(err, StoreError::Workflow(WorkflowError::Authority { .. })), "{err}");
    assert_eq!(step(&mut store, id, Action::Number, "lythihongnhung").unwrap(), OutgoingState::Numbered);
    // The Party secretary does not recall a UBND document; its signer may.
    step(&mut store, id, Action::Issue, "lythihongnhung").unwrap();
    assert!(step(&mut store, id, Action::Recall, "nguyendinhkhoi").is_err());
    assert_eq!(step(&mut store, id, Action::Recall, "lethithuha").unwrap(), OutgoingState::Recalled);

    // A UBND unit head does not approve a Tỉnh ủy draft; a colleague does not submit
    // another's draft until it is shared with the unit.
    let party_drafter = store.login("huynhngocthao", DEMO_PASSWORD).unwrap();
    let party = store.create_draft(&party_drafter, &parse_document(PARTY_PLAN).unwrap(), at(2026, 12, 1)).unwrap();
    let vanthu_archivist = store.login("ngovansang", DEMO_PASSWORD).unwrap();
    assert!(step(&mut store, party, Action::Submit, "ngovansang").is_err(), "another unit");
    step(&mut store, party, Action::Submit, "huynhngocthao").unwrap();
    assert!(step(&mut store, party, Action::Approve, "danghuutai").is_err());
    assert_eq!(step(&mut store, party, Action::Approve, "vominhtri").unwrap(), OutgoingState::FormatCheck);
    assert!(step(&mut store, party, Action::CheckFormat, "lythihongnhung").is_err());
    assert!(store.share_draft(&vanthu_archivist, party, true, at(2026, 12, 1)).is_err(), "only the drafter shares");

    // A drafter drafts only for the agencies their office serves.
    let ubnd_drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let err = store.create_draft(&ubnd_drafter, &parse_document(PARTY_PLAN).unwrap(), at(2026, 12, 1)).unwrap_err();
    assert!(err.to_string().contains("TỈNH ỦY"), "{err}");

    // Lists and books: each văn thư sees their side only.
    let ubnd_van_thu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let party_van_thu = store.login("lamthihoa", DEMO_PASSWORD).unwrap();
    let ubnd_docs = store.documents_for(&ubnd_van_thu).unwrap();
    let party_docs = store.documents_for(&party_van_thu).unwrap();
    assert!(!ubnd_docs.is_empty() && !party_docs.is_empty());
    assert!(ubnd_docs.iter().all(|d| d.family == "state"));
    assert!(party_docs.iter().all(|d| d.family == "party"));
    assert!(
        store
            .incoming_for(&ubnd_van_thu)
            .unwrap()
            .iter()
            .all(|i| { store.agency(i.agency_id).unwrap().is_some_and(|a| a.family == crate::model::Family::State) })
    );
    let books: Vec<String> = store.book_agencies(&ubnd_van_thu).unwrap().into_iter().map(|a| a.abbreviation).collect();
    assert_eq!(books.len(), 2, "{books:?}");
    let drafter_docs = store.documents_for(&ubnd_drafter).unwrap();
    assert!(drafter_docs.len() < ubnd_docs.len(), "a drafter sees their own and their unit's documents");
    let events = store.audit_events_for(&party_drafter, None).unwrap();
    assert!(events.iter().all(|e| e.username == "huynhngocthao"), "a drafter reads only their own events");
}

#[test]
fn an_edit_after_approval_sends_the_draft_back_to_review() {
    let mut store = demo();
    let id = decision_awaiting_signature(&mut store);
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let mut changed = store.document(id).unwrap().unwrap().document;
    changed.signer.form = None;
    changed.signer.principal = None;
    changed.signer.position = "CHỦ TỊCH".into();
    changed.signer.name = "Hoàng Minh Đức".into();
    store.edit_draft(&drafter, id, &changed, at(2026, 12, 1)).unwrap();
    assert_eq!(store.document(id).unwrap().unwrap().state, OutgoingState::ContentReview, "the approval lapsed");
    let history = store.audit_events(Some(("document", id))).unwrap();
    assert!(history.last().unwrap().comment.as_deref().unwrap().contains("đổi người ký"));
    // A colleague of the unit may not edit it until it is shared; then may.
    let colleague_doc = changed.clone();
    let unit_head = store.login("danghuutai", DEMO_PASSWORD).unwrap();
    assert!(store.edit_draft(&unit_head, id, &colleague_doc, at(2026, 12, 1)).is_err(), "not a drafter");
}

#[test]
fn the_delegate_signs_by_order_within_the_scope_and_dates() {
    let mut store = demo();
    // Phạm Văn Thắng signs TL. CHỦ TỊCH the giấy mời and thông báo of the UBND.
    let mut invitation: crate::model::Document =
        parse_document(include_str!("../../../assets/demo/documents/ubnd-giay-moi-so-ket-chuyen-doi-so.json")).unwrap();
    invitation.number = None;
    invitation.date = None;
    let drafter = store.login("duongthikimoanh", DEMO_PASSWORD).unwrap();
    let id = store.create_draft(&drafter, &invitation, at(2026, 12, 1)).unwrap();
    step(&mut store, id, Action::Submit, "duongthikimoanh").unwrap();
    step(&mut store, id, Action::Approve, "chauthimydung").unwrap();
    step(&mut store, id, Action::CheckFormat, "lythihongnhung").unwrap();
    let printed = store.document(id).unwrap().unwrap().document.signer;
    assert_eq!(printed.name, "Phạm Văn Thắng", "{printed:?}");
    assert!(step(&mut store, id, Action::Sign, "hoangminhduc").is_err(), "the Chủ tịch is not the printed signer");
    assert_eq!(step(&mut store, id, Action::Sign, "phamvanthang").unwrap(), OutgoingState::Signed);
}

#[test]
fn editing_a_demo_draft_keeps_what_it_was_and_verifies() {
    let mut store = demo();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let returned = store
        .documents_for(&drafter)
        .unwrap()
        .into_iter()
        .find(|d| d.state == "returned")
        .expect("the demo has a returned draft of the Phòng Kinh tế");
    let mut changed = store.document(returned.id).unwrap().unwrap().document;
    changed.subject = Some(format!("{} (sửa)", changed.subject.unwrap_or_default()));
    assert_eq!(store.edit_draft(&drafter, returned.id, &changed, at(2026, 12, 1)).unwrap(), 2);
    assert_eq!(store.versions(returned.id).unwrap().len(), 2, "the content before the edit is kept");
    assert_eq!(store.verify().unwrap(), None);
}

#[test]
fn a_correction_comes_from_the_issuing_agency_and_a_refused_link_writes_nothing() {
    let store = demo();
    let party_issued = store
        .list_documents()
        .unwrap()
        .into_iter()
        .find(|d| d.family == "party" && (d.state == "issued" || d.state == "filed"))
        .unwrap();
    let letter =
        parse_document(include_str!("../../../assets/demo/documents/ubnd-cong-van-phong-chong-thien-tai-mua-mua.json"))
            .unwrap();
    let agency = store.agency_of_document(&letter).unwrap();
    let err = store.check_relation(&letter, agency, party_issued.id, super::Relation::Corrects).unwrap_err();
    assert!(matches!(err, StoreError::Denied(_)), "{err}");
}

#[test]
fn search_and_administration_follow_the_records() {
    let mut store = demo();
    let ubnd = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let party = store.login("lamthihoa", DEMO_PASSWORD).unwrap();
    let query = super::SearchQuery::new("quyet dinh");
    let all = store.search(&query).unwrap();
    let mine = store.search_for(&ubnd, &query).unwrap();
    let theirs = store.search_for(&party, &query).unwrap();
    assert!(!mine.is_empty() && !theirs.is_empty());
    assert!(mine.len() < all.len() && theirs.len() < all.len(), "{} {} {}", mine.len(), theirs.len(), all.len());
    assert!(mine.iter().all(|h| theirs.iter().all(|t| (t.item, t.id) != (h.item, h.id))), "no hit in both");
    // A refused administration step changes nothing and is audited.
    let before = refusals(&store);
    assert!(store.set_agency_serves(&ubnd, 1, 3, true).is_err());
    assert!(store.unlock_login(&ubnd, "admin").is_err());
    assert_eq!(refusals(&store), before + 2);
    assert_eq!(store.verify().unwrap(), None);
}
