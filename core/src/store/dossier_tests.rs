//! Dossier tests: the file plan, filing, closing checks, read-only closed dossiers
//! (refused and audited, in the core and by triggers), reopening by the archivist.

use chrono::{DateTime, Local, NaiveDate, TimeZone};

use super::{DossierChange, FiledItem, NewDossier, Store, StoreError};
use crate::demo::{DEMO_PASSWORD, load_demo_office};
use crate::model::{OutgoingState, Retention};

fn at(y: i32, m: u32, d: u32) -> DateTime<Local> {
    Local.with_ymd_and_hms(y, m, d, 9, 30, 0).single().expect("valid local time")
}

fn demo_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    load_demo_office(&mut store, at(2026, 11, 27).date_naive()).unwrap();
    store
}

fn ids(store: &Store, sql: &str) -> Vec<i64> {
    let mut stmt = store.conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().collect::<super::sql::Result<_>>().unwrap()
}

fn events(store: &Store) -> i64 {
    store.conn.query_row("SELECT count(*) FROM audit_events", [], |r| r.get(0)).unwrap()
}

fn new_dossier(title: &str, retention: Retention) -> NewDossier {
    NewDossier {
        year: 2026,
        heading: "I. TỔNG HỢP".into(),
        heading_code: "TH".into(),
        title: title.into(),
        retention: Some(retention),
        start_date: NaiveDate::from_ymd_opt(2026, 1, 2),
        ..NewDossier::default()
    }
}

#[test]
fn file_plan_filing_closing_and_reopening() {
    let mut store = demo_store();
    let now = at(2026, 12, 15);
    let van_thu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let archivist = store.login("hovanphuc", DEMO_PASSWORD).unwrap();
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    assert!(matches!(
        store.create_dossier(&drafter, &new_dossier("X", Retention::Permanent), now),
        Err(StoreError::Denied(_))
    ));
    let a = store
        .create_dossier(&van_thu, &new_dossier("Hồ sơ cải cách hành chính năm 2026", Retention::Permanent), now)
        .unwrap();
    let by_item = NewDossier {
        retention: None,
        retention_item: Some("quy-che-to-chuc".into()),
        ..new_dossier("Hồ sơ xây dựng Quy chế làm việc", Retention::Permanent)
    };
    let b = store.create_dossier(&van_thu, &by_item, now).unwrap();
    let plan = store.file_plan(2026, None).unwrap();
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0].heading, "I. TỔNG HỢP");
    let codes: Vec<&str> = plan[0].dossiers.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["01.TH", "02.TH"]);
    assert_eq!(plan[0].dossiers[1].retention, Retention::Years(20), "from the retention table");

    let issued =
        ids(&store, "SELECT id FROM documents WHERE state = 'issued' AND date IS NOT NULL ORDER BY id LIMIT 2");
    let incoming =
        ids(&store, "SELECT id FROM incoming WHERE state = 'done' AND dossier_id IS NULL ORDER BY id LIMIT 1");
    let drafts = ids(&store, "SELECT id FROM documents WHERE state = 'draft' LIMIT 1");
    assert_eq!(issued.len(), 2);
    store.add_to_dossier(&van_thu, a, FiledItem::Document(issued[0]), now).unwrap();
    assert_eq!(store.document(issued[0]).unwrap().unwrap().state, OutgoingState::Filed, "filing is the workflow step");
    store.add_to_dossier(&van_thu, a, FiledItem::Incoming(incoming[0]), now).unwrap();
    let twice = store.add_to_dossier(&van_thu, b, FiledItem::Document(issued[0]), now).unwrap_err();
    assert!(twice.to_string().contains("một hồ sơ"), "{twice}");
    if let Some(draft) = drafts.first() {
        // Another person's draft never submitted: answered as a missing id (issue #14).
        let err = store.add_to_dossier(&van_thu, a, FiledItem::Document(*draft), now).unwrap_err();
        assert_eq!(err.to_string(), format!("không tìm thấy: văn bản đi #{draft} (not found)"));
    }
    let pending = ids(&store, "SELECT id FROM documents WHERE state NOT IN ('draft', 'issued', 'filed') LIMIT 1");
    let err = store.add_to_dossier(&van_thu, a, FiledItem::Document(pending[0]), now).unwrap_err();
    assert!(err.to_string().contains("đã phát hành"), "{err}");
    assert!(matches!(
        store.add_to_dossier(&drafter, a, FiledItem::Document(issued[1]), now),
        Err(StoreError::Denied(_))
    ));

    // Closing checks: every problem is named.
    let err = store.close_dossier(&van_thu, b, "", None, now).unwrap_err().to_string();
    assert!(err.contains("chưa có văn bản") && err.contains("chứng từ kết thúc"), "{err}");
    let err = store.close_dossier(&van_thu, a, "Hồ sơ gồm 2 văn bản", NaiveDate::from_ymd_opt(2025, 12, 31), now);
    assert!(err.unwrap_err().to_string().contains("trước ngày bắt đầu"));
    let closed = store.close_dossier(&van_thu, a, "Hồ sơ gồm 2 văn bản, 2 tờ", None, now).unwrap();
    assert!(closed.closed);
    let page = store.dossier_page(a).unwrap();
    assert_eq!(page.documents.len(), 2);
    assert_eq!(page.document_index.as_ref().map(Vec::len), Some(2), "permanent files get a document index");
    assert!(page.events.iter().any(|e| e.action == "close"));

    // A closed dossier is read-only: every core call refuses and audits the attempt.
    type Attempt<'a> = Box<dyn Fn(&mut Store) -> super::Result<()> + 'a>;
    let attempts: Vec<(&str, Attempt)> = vec![
        (
            "edit",
            Box::new(|s: &mut Store| {
                let change = DossierChange { title: Some("Tiêu đề khác".into()), ..DossierChange::default() };
                s.update_dossier(&s.login("lythihongnhung", DEMO_PASSWORD).unwrap(), a, &change, at(2026, 12, 16))
            }),
        ),
        (
            "add",
            Box::new(|s: &mut Store| {
                let actor = s.login("lythihongnhung", DEMO_PASSWORD).unwrap();
                s.add_to_dossier(&actor, a, FiledItem::Document(issued[1]), at(2026, 12, 16))
            }),
        ),
        (
            "remove",
            Box::new(|s: &mut Store| {
                let actor = s.login("lythihongnhung", DEMO_PASSWORD).unwrap();
                s.remove_from_dossier(&actor, a, FiledItem::Document(issued[0]), at(2026, 12, 16))
            }),
        ),
        (
            "move",
            Box::new(|s: &mut Store| {
                let actor = s.login("lythihongnhung", DEMO_PASSWORD).unwrap();
                s.add_to_dossier(&actor, b, FiledItem::Incoming(incoming[0]), at(2026, 12, 16))
            }),
        ),
        (
            "recall",
            Box::new(|s: &mut Store| {
                let actor = s.login("lethithuha", DEMO_PASSWORD).unwrap();
                s.transition(issued[0], crate::workflow::Action::Recall, &actor, at(2026, 12, 16), Some("thu hồi"))
                    .map(|_| ())
            }),
        ),
        (
            "incoming step",
            Box::new(|s: &mut Store| {
                let actor = s.login("lythihongnhung", DEMO_PASSWORD).unwrap();
                s.incoming_transition(
                    incoming[0],
                    crate::workflow::IncomingAction::Register,
                    &actor,
                    at(2026, 12, 16),
                    None,
                    None,
                )
                .map(|_| ())
            }),
        ),
    ];
    for (what, attempt) in attempts {
        let before = events(&store);
        let err = attempt(&mut store).unwrap_err();
        assert!(matches!(err, StoreError::Denied(_)), "{what}: {err}");
        assert!(err.to_string().contains("01.TH"), "{what}: {err}");
        assert_eq!(events(&store), before + 1, "{what}: the refusal is audited");
        let last: String =
            store.conn.query_row("SELECT action FROM audit_events ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).unwrap();
        assert_eq!(last, "refused");
    }
    assert_eq!(store.dossier(a).unwrap().unwrap().title, "Hồ sơ cải cách hành chính năm 2026");
    assert_eq!(store.dossier_page(a).unwrap().documents.len(), 2);
    // Triggers refuse what bypasses the core.
    for sql in [
        format!("UPDATE dossiers SET title = 'x' WHERE id = {a}"),
        format!("DELETE FROM dossiers WHERE id = {a}"),
        format!("UPDATE documents SET subject = 'x' WHERE id = {}", issued[0]),
        format!("UPDATE documents SET dossier_id = NULL WHERE id = {}", issued[0]),
        format!("UPDATE incoming SET subject = 'x' WHERE id = {}", incoming[0]),
        format!("UPDATE documents SET dossier_id = {a} WHERE id = {}", issued[1]),
    ] {
        let err = store.conn.execute(&sql, []).unwrap_err().to_string();
        assert!(err.contains("closed dossier") || err.contains("hồ sơ đã đóng"), "{sql}: {err}");
    }

    // Reopening: archivist only, with a reason kept in the audit log.
    assert!(matches!(store.reopen_dossier(&van_thu, a, "Bổ sung", now), Err(StoreError::Denied(_))));
    assert!(matches!(store.reopen_dossier(&archivist, a, "  ", now), Err(StoreError::Invalid(_))));
    store.reopen_dossier(&archivist, a, "Bổ sung văn bản còn thiếu", now).unwrap();
    let page = store.dossier_page(a).unwrap();
    assert!(
        page.events.iter().any(|e| e.action == "reopen" && e.comment.as_deref() == Some("Bổ sung văn bản còn thiếu"))
    );
    store.add_to_dossier(&archivist, a, FiledItem::Document(issued[1]), now).unwrap();
    assert_eq!(store.dossier(a).unwrap().unwrap().document_count, 3);
    assert_eq!(store.verify().unwrap(), None);
}

#[test]
fn dossier_titles_are_searchable_and_documents_find_their_dossier() {
    let mut store = demo_store();
    let now = at(2026, 12, 15);
    let van_thu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let a = store
        .create_dossier(&van_thu, &new_dossier("Hồ sơ phòng chống thiên tai đường thủy", Retention::Years(10)), now)
        .unwrap();
    let issued = ids(&store, "SELECT id FROM documents WHERE state = 'issued' ORDER BY id LIMIT 1");
    store.add_to_dossier(&van_thu, a, FiledItem::Document(issued[0]), now).unwrap();
    let hits = store.search(&super::SearchQuery::new("thien tai duong thuy")).unwrap();
    assert!(hits.iter().any(|h| h.item == super::SearchItem::Dossier && h.id == a), "{hits:?}");
    assert!(hits.iter().any(|h| h.item == super::SearchItem::Document && h.id == issued[0]), "{hits:?}");
    let mut q = super::SearchQuery::new("");
    q.filters.dossier_id = Some(a);
    q.filters.item = Some(super::SearchItem::Document);
    assert_eq!(store.search(&q).unwrap().iter().map(|h| h.id).collect::<Vec<_>>(), issued);
}
