//! A draft never submitted is its drafter's working paper (issue #14, the newcomer's
//! walk found the administrator reading other people's drafts in Tra cứu): search,
//! lists, the document page and the reply picker keep it to its drafter until it is
//! submitted. Backend-neutral (runs on PostgreSQL with VANTHU_TEST_POSTGRES).

use chrono::{DateTime, Local, TimeZone};

use super::{SearchItem, SearchQuery, Store};
use crate::demo::{DEMO_PASSWORD, load_demo};
use crate::exchange::parse_document;
use crate::workflow::Action;

const DECISION: &str = include_str!("../../../assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");

fn at(y: i32, m: u32, d: u32) -> DateTime<Local> {
    Local.with_ymd_and_hms(y, m, d, 9, 30, 0).single().expect("valid local time")
}

fn demo() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    load_demo(&mut store, at(2026, 11, 27).date_naive()).unwrap();
    store
}

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
