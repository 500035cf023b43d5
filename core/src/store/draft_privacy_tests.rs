//! A draft never submitted is its drafter's working paper (issue #14, the newcomer's
//! walk found the administrator reading other people's drafts in Tra cứu): search,
//! lists, the document page and the reply picker keep it to its drafter until it is
//! submitted. Backend-neutral (runs on PostgreSQL with VANTHU_TEST_POSTGRES).

use super::{SearchItem, SearchQuery, Store};
use crate::demo::DEMO_PASSWORD;
use crate::exchange::parse_document;
use crate::workflow::Action;

const DECISION: &str = include_str!("../../../assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");

use super::authority_tests::{at, demo};

/// Bùi Văn Toàn (Phòng Kinh tế) starts a quyết định about hot-air balloons.
fn private_draft(store: &mut Store) -> i64 {
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let mut document = parse_document(DECISION).unwrap();
    document.subject = Some("Về việc tổ chức lễ hội khinh khí cầu năm 2027".into());
    store.create_draft(&drafter, &document, at(2026, 12, 1)).unwrap()
}

/// The documents `user` finds searching `text` (folded as people type it).
fn found(store: &Store, user: &str, text: &str) -> Vec<i64> {
    let actor = store.login(user, DEMO_PASSWORD).unwrap();
    store
        .search_for(&actor, &SearchQuery::new(text))
        .unwrap()
        .into_iter()
        .filter(|h| h.item == SearchItem::Document)
        .map(|h| h.id)
        .collect()
}

/// Everyone but the drafter: the administrator, a specialist of another unit, the
/// head of the drafting unit, the leaders, the văn thư.
const OTHERS: [&str; 6] = ["admin", "duongthikimoanh", "danghuutai", "hoangminhduc", "lethithuha", "lythihongnhung"];

#[test]
fn nobody_but_the_drafter_finds_or_opens_an_unsubmitted_draft() {
    let mut store = demo();
    let id = private_draft(&mut store);
    for text in ["khinh khí cầu", "khinh khi cau"] {
        assert_eq!(found(&store, "buivantoan", text), vec![id], "the drafter finds it by {text:?}");
        for user in OTHERS {
            assert!(found(&store, user, text).is_empty(), "{user} found another person's draft by {text:?}");
        }
    }
    for user in OTHERS {
        let actor = store.login(user, DEMO_PASSWORD).unwrap();
        assert!(!store.may_see_document(&actor, id).unwrap(), "{user} may not open it");
        assert!(store.documents_for(&actor).unwrap().iter().all(|d| d.id != id), "{user} lists it");
        assert!(store.reply_choices(&actor).unwrap().iter().all(|d| d.id != id), "{user} may link it");
        let numbers = store.office_numbers(&actor).unwrap();
        let label = numbers.subject("document", id).unwrap_or_default();
        assert!(!label.contains("khinh khí cầu"), "{user} reads its title in the log: {label}");
    }
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    assert!(store.may_see_document(&drafter, id).unwrap());
    assert!(store.reply_choices(&drafter).unwrap().iter().any(|d| d.id == id), "the drafter may link their own");
    let label = store.office_numbers(&drafter).unwrap().subject("document", id).map(str::to_owned);
    assert_eq!(label.as_deref(), Some("Dự thảo «Về việc tổ chức lễ hội khinh khí cầu năm 2027»"));

    // Once submitted it is the unit's and the office's business again.
    let submitted = store.transition(id, Action::Submit, &drafter, at(2026, 12, 1), None).unwrap();
    assert_eq!(submitted.to, crate::model::OutgoingState::ContentReview);
    for user in ["admin", "danghuutai"] {
        assert_eq!(found(&store, user, "khinh khí cầu"), vec![id], "{user} after submission");
        let actor = store.login(user, DEMO_PASSWORD).unwrap();
        assert!(store.may_see_document(&actor, id).unwrap(), "{user} opens it after submission");
    }
    // A specialist of another unit still has no business with it.
    assert!(found(&store, "duongthikimoanh", "khinh khí cầu").is_empty());
}

#[test]
fn the_reply_picker_offers_own_and_unit_documents_only() {
    let mut store = demo();
    let private = private_draft(&mut store);
    // Dương Thị Kim Oanh (Phòng Tổng hợp) sees her unit's documents and her own.
    let oanh = store.login("duongthikimoanh", DEMO_PASSWORD).unwrap();
    let who = store.actor_facts(&oanh).unwrap();
    let choices = store.reply_choices(&oanh).unwrap();
    assert!(!choices.iter().any(|d| d.id == private));
    let places: Vec<(Option<i64>, Option<i64>)> = choices
        .iter()
        .map(|d| {
            store
                .conn
                .query_row("SELECT unit_id, drafter_id FROM documents WHERE id = ?1", [d.id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .unwrap()
        })
        .collect();
    assert!(
        places.iter().all(|(unit, drafter)| *drafter == Some(who.user_id) || (unit.is_some() && *unit == who.unit_id)),
        "{places:?}"
    );
    // Every choice is one she may see, and the list is no wider than what she sees.
    let visible: Vec<i64> = store.documents_for(&oanh).unwrap().into_iter().map(|d| d.id).collect();
    assert!(choices.iter().all(|d| visible.contains(&d.id)));
}

/// The agency a document text would be issued by.
fn text_agency(store: &Store, text: &crate::model::Document) -> Option<i64> {
    store.agency_of_document(text).unwrap()
}

/// The refusals about document `id` in the audit log.
fn refusals(store: &Store, id: i64) -> usize {
    store.audit_events(Some(("document", id))).unwrap().into_iter().filter(|e| e.action == "refused").count()
}

/// The hostile tester's oracle (issue #14 follow-up): every call on another person's
/// private draft answers exactly as for an id that does not exist, and is audited.
#[test]
fn calls_on_a_private_draft_answer_as_for_a_missing_id_and_are_audited() {
    let mut store = demo();
    let id = private_draft(&mut store);
    let missing = 99_999;
    let now = at(2026, 12, 2);
    let same = |hidden: String, absent: String| {
        assert_eq!(hidden.replace(&format!("#{id}"), "#N"), absent.replace(&format!("#{missing}"), "#N"));
        assert!(!hidden.contains("Dự thảo") && !hidden.contains("phạm vi"), "{hidden}");
    };
    for (user, action) in
        [("danghuutai", Action::Approve), ("lythihongnhung", Action::Number), ("admin", Action::Submit)]
    {
        let actor = store.login(user, DEMO_PASSWORD).unwrap();
        let (before, before_missing) = (refusals(&store, id), refusals(&store, missing));
        let hidden = store.transition(id, action, &actor, now, None).unwrap_err().to_string();
        let absent = store.transition(missing, action, &actor, now, None).unwrap_err().to_string();
        same(hidden, absent);
        assert_eq!(refusals(&store, id), before + 1, "{user}'s refusal is audited");
        assert_eq!(refusals(&store, missing), before_missing + 1, "the missing id's too, alike");
    }
    let keeper = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let dossier = store.conn.query_row("SELECT min(id) FROM dossiers", [], |r| r.get::<_, i64>(0)).unwrap();
    let hidden = store.add_to_dossier(&keeper, dossier, super::FiledItem::Document(id), now).unwrap_err();
    let absent = store.add_to_dossier(&keeper, dossier, super::FiledItem::Document(missing), now).unwrap_err();
    same(hidden.to_string(), absent.to_string());
    let letter = store.conn.query_row("SELECT min(id) FROM incoming", [], |r| r.get::<_, i64>(0)).unwrap();
    let resolve = |reply| super::IncomingStep::Resolve { reply: Some(reply), note: Some("Đã trả lời".into()) };
    let before = refusals(&store, id);
    let hidden = store.incoming_step(letter, &resolve(id), &keeper, now).unwrap_err();
    let absent = store.incoming_step(letter, &resolve(missing), &keeper, now).unwrap_err();
    same(hidden.to_string(), absent.to_string());
    assert_eq!(refusals(&store, id), before + 1);
    // A colleague of the same unit (a drafter too) can neither edit nor attach to it.
    let colleague = store.login("danghuutai", DEMO_PASSWORD).unwrap();
    let colleague = if colleague.has(crate::model::Role::Drafter) {
        colleague
    } else {
        store.login("duongthikimoanh", DEMO_PASSWORD).unwrap()
    };
    let text = parse_document(DECISION).unwrap();
    let hidden = store.edit_draft(&colleague, id, &text, now).unwrap_err();
    let absent = store.edit_draft(&colleague, missing, &text, now).unwrap_err();
    same(hidden.to_string(), absent.to_string());
    let kind = super::AttachmentKind::Supporting;
    let hidden = store.attach_to_draft(&colleague, id, "a.txt", b"x", kind, now).unwrap_err();
    let absent = store.attach_to_draft(&colleague, missing, "a.txt", b"x", kind, now).unwrap_err();
    same(hidden.to_string(), absent.to_string());
    // Nor name it as the document a new one corrects or replaces.
    for relation in [super::Relation::Corrects, super::Relation::Replaces] {
        let hidden = store.check_relation(&text, text_agency(&store, &text), id, relation).unwrap_err();
        let absent = store.check_relation(&text, text_agency(&store, &text), missing, relation).unwrap_err();
        same(hidden.to_string(), absent.to_string());
    }
    // The drafter still works on it.
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    store.transition(id, Action::Submit, &drafter, now, None).unwrap();
}

/// The audit log names a private draft's event (who, when, what) but not its
/// comment: the attached file's name and SHA-256 stay with the drafter.
#[test]
fn the_audit_log_hides_the_comments_of_private_draft_events() {
    let mut store = demo();
    let id = private_draft(&mut store);
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let file = "Danh_sach_can_bo_bi_ky_luat.txt";
    store
        .attach_to_draft(&drafter, id, file, b"Nguyen Van A\n", super::AttachmentKind::Supporting, at(2026, 12, 1))
        .unwrap();
    let mentions = |e: &super::AuditEvent| format!("{:?}", e.comment).contains("Danh_sach");
    let stored = store.audit_events(Some(("document", id))).unwrap();
    assert!(stored.iter().any(mentions), "the log itself keeps the comment");
    for user in ["admin", "danghuutai"] {
        let actor = store.login(user, DEMO_PASSWORD).unwrap();
        let events = store.audit_events_for(&actor, None).unwrap();
        let rows: Vec<_> = events.iter().filter(|e| e.subject == "document" && e.subject_id == Some(id)).collect();
        if user == "admin" {
            assert_eq!(rows.len(), stored.len(), "the administrator keeps every row of the chain");
        }
        assert!(rows.iter().all(|e| e.comment.is_none() && e.content_hash.is_none()), "{user}: {rows:?}");
    }
    let own = store.audit_events_for(&drafter, Some(("document", id))).unwrap();
    assert!(own.iter().any(mentions), "the drafter reads their own events whole");
    assert_eq!(store.verify().unwrap(), None, "the chain stays whole");
}

/// Without anyone signed in (the command line without `--as`) the office's view:
/// never a draft never submitted.
#[test]
fn the_anonymous_view_never_holds_a_private_draft() {
    let mut store = demo();
    let id = private_draft(&mut store);
    assert!(!store.may_read_document(None, id).unwrap());
    assert!(!store.may_read_document(None, 99_999).unwrap());
    assert!(store.documents_seen_by(None).unwrap().iter().all(|d| d.id != id));
    let office: i64 = store
        .conn
        .query_row("SELECT count(*) FROM documents WHERE state <> 'draft' OR drafter_id IS NULL", [], |r| r.get(0))
        .unwrap();
    assert!(office > 0);
    assert_eq!(store.documents_seen_by(None).unwrap().len() as i64, office, "only the private drafts are left out");
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    assert!(store.may_read_document(Some(&drafter), id).unwrap());
    store.transition(id, Action::Submit, &drafter, at(2026, 12, 1), None).unwrap();
    assert!(store.may_read_document(None, id).unwrap(), "submitted, it is the office's");
}

/// A drafter who left (account deactivated) leaves their private drafts to the head
/// of their unit; nobody else gains them.
#[test]
fn the_unit_head_takes_over_the_drafts_of_a_deactivated_drafter() {
    let mut store = demo();
    let id = private_draft(&mut store);
    let admin = store.login("admin", DEMO_PASSWORD).unwrap();
    let head = store.login("danghuutai", DEMO_PASSWORD).unwrap();
    assert!(!store.may_see_document(&head, id).unwrap());
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap().user().clone();
    store.set_user_access(&admin, drafter.id, &drafter.roles, false).unwrap();
    assert!(store.may_see_document(&head, id).unwrap(), "the unit head sees the orphaned draft");
    assert!(store.documents_for(&head).unwrap().iter().any(|d| d.id == id));
    for user in ["admin", "duongthikimoanh", "hoangminhduc", "lythihongnhung"] {
        let actor = store.login(user, DEMO_PASSWORD).unwrap();
        assert!(!store.may_see_document(&actor, id).unwrap(), "{user} still may not");
    }
    assert!(!store.may_read_document(None, id).unwrap(), "nor the anonymous view");
}
