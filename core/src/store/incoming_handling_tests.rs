//! Incoming handling (issue #14): bút phê, lead handler and co-handlers, progress,
//! extensions, forwarding, resolving with the reply; who may take each step (the
//! wrong person refused and audited); the co-handlers' opinions; the card; dossiers
//! with unfinished letters.

use chrono::{DateTime, Local, NaiveDate, TimeZone};

use super::{
    Assignment, FiledItem, Forwarding, IncomingDetails, IncomingStep, NewDossier, NewIncoming, ReceivedVia, Store,
    StoreError,
};
use crate::demo::{DEMO_PASSWORD, load_demo};
use crate::model::{IncomingState, Retention, Secrecy};
use crate::workflow::IncomingAction;

fn at(y: i32, m: u32, d: u32) -> DateTime<Local> {
    Local.with_ymd_and_hms(y, m, d, 10, 0, 0).single().unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn events(store: &Store) -> i64 {
    store.conn.query_row("SELECT count(*) FROM audit_events", [], |r| r.get(0)).unwrap()
}

fn last_event(store: &Store) -> (String, String, Option<String>) {
    store
        .conn
        .query_row("SELECT username, action, comment FROM audit_events ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap()
}

fn state_of(store: &Store, id: i64) -> IncomingState {
    store.list_incoming().unwrap().into_iter().find(|i| i.id == id).unwrap().state
}

/// The demo office, and a letter to the UBND received, registered and presented
/// on Tuesday 1 December 2026.
fn presented_letter() -> (Store, i64) {
    let mut store = Store::open_in_memory().unwrap();
    load_demo(&mut store, date(2026, 11, 27)).unwrap();
    let van_thu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let agency_id = store.default_receiving_agency(&van_thu).unwrap().unwrap();
    let letter = NewIncoming {
        agency_id,
        arrival_number: None,
        arrival_date: date(2026, 12, 1),
        sender: "Sở Tài chính".into(),
        number: Some("3999".into()),
        notation: Some("STC-QLNS".into()),
        date: Some(date(2026, 11, 28)),
        kind: "cong-van".into(),
        subject: "V/v đề nghị báo cáo quyết toán ngân sách năm 2026".into(),
        urgency: None,
        state: IncomingState::Received,
        handler_id: None,
        lead_unit_id: None,
        deadline: None,
        source_key: None,
    };
    let details =
        IncomingDetails { pages: Some(3), secrecy: Some(Secrecy::Mat), received_via: Some(ReceivedVia::Paper) };
    let id = store.receive_incoming_with(&van_thu, letter, details, at(2026, 12, 1)).unwrap();
    store.incoming_step(id, &IncomingStep::Register, &van_thu, at(2026, 12, 1)).unwrap();
    store.incoming_step(id, &IncomingStep::Present, &van_thu, at(2026, 12, 1)).unwrap();
    (store, id)
}

fn direction() -> Assignment {
    Assignment {
        handler: "hovanphuc".into(),
        co_handlers: vec!["buivantoan".into()],
        direction: Some("Giao Phòng HC-TC chủ trì, phối hợp Phòng KT tham mưu trả lời.".into()),
        lead_unit_id: None,
        deadline: date(2026, 12, 8),
    }
}

#[test]
fn a_handler_resolves_an_assigned_letter_after_an_extension() {
    let (mut store, id) = presented_letter();
    let leader = store.login("phamvanthang", DEMO_PASSWORD).unwrap();
    let handler = store.login("hovanphuc", DEMO_PASSWORD).unwrap();
    let co = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let outsider = store.login("duongthikimoanh", DEMO_PASSWORD).unwrap();
    assert_eq!(
        store.incoming_step(id, &IncomingStep::Assign(direction()), &leader, at(2026, 12, 2)).unwrap(),
        IncomingState::Assigned
    );
    let (who, action, comment) = last_event(&store);
    assert_eq!((who.as_str(), action.as_str()), ("phamvanthang", "assign"));
    let comment = comment.unwrap();
    assert!(comment.contains("chủ trì: Hồ Văn Phúc") && comment.contains("phối hợp: Bùi Văn Toàn"), "{comment}");

    // The lead handler opens the card with its steps; the co-handler reads it;
    // staff not involved cannot open it.
    let card = store.incoming_card(&handler, id).unwrap();
    assert_eq!(card.handler.as_deref(), Some("Hồ Văn Phúc"));
    assert_eq!(card.co_handlers, ["Bùi Văn Toàn"]);
    assert_eq!(card.details.pages, Some(3));
    assert_eq!(card.details.secrecy, Some(Secrecy::Mat));
    assert!(card.direction.as_deref().unwrap().starts_with("Giao Phòng HC-TC"));
    for step in
        [IncomingAction::Start, IncomingAction::Progress, IncomingAction::RequestExtension, IncomingAction::Resolve]
    {
        assert!(card.actions.contains(&step), "{step:?} offered to the lead handler: {:?}", card.actions);
    }
    let co_card = store.incoming_card(&co, id).unwrap();
    assert!(
        co_card.actions == [IncomingAction::Opinion] && co_card.viewer_co_handles,
        "co-handlers read and give their opinion only: {:?}",
        co_card.actions
    );
    assert!(store.incoming_for(&co).unwrap().iter().any(|i| i.id == id), "in the co-handler's list");
    assert!(matches!(store.incoming_card(&outsider, id), Err(StoreError::Denied(_))));

    store
        .incoming_step(id, &IncomingStep::Progress("Đã làm việc với Sở Tài chính.".into()), &handler, at(2026, 12, 3))
        .unwrap();
    assert_eq!(state_of(&store, id), IncomingState::InProgress, "recording progress starts handling");
    let ask = IncomingStep::RequestExtension {
        reason: "Chờ số liệu của các xã.".into(), until: date(2026, 12, 15)
    };
    store.incoming_step(id, &ask, &handler, at(2026, 12, 4)).unwrap();
    let twice = store.incoming_step(id, &ask, &handler, at(2026, 12, 4)).unwrap_err();
    assert!(twice.to_string().contains("chờ lãnh đạo quyết định"), "{twice}");
    // The leader has the decision as a task, and the card offers it.
    let calendar = store.work_calendar().unwrap();
    let tasks = store.tasks(&leader, date(2026, 12, 4), &calendar).unwrap();
    assert!(tasks.iter().any(|t| t.id == id && t.action == IncomingAction::GrantExtension.label()), "{tasks:?}");
    let card = store.incoming_card(&leader, id).unwrap();
    assert!(
        card.actions.contains(&IncomingAction::GrantExtension)
            && card.actions.contains(&IncomingAction::RefuseExtension)
    );
    assert!(!card.actions.contains(&IncomingAction::Forward), "no forwarding while a request waits");
    store
        .incoming_step(id, &IncomingStep::GrantExtension { note: Some("Đồng ý.".into()) }, &leader, at(2026, 12, 4))
        .unwrap();
    let card = store.incoming_card(&handler, id).unwrap();
    assert_eq!(card.letter.deadline, Some(date(2026, 12, 15)), "the granted date is the deadline");
    assert_eq!(card.extensions.len(), 1);
    assert_eq!(card.extensions[0].state, "granted");
    assert_eq!(card.extensions[0].previous_deadline, Some(date(2026, 12, 8)));
    assert_eq!(card.extensions[0].decided_by.as_deref(), Some("Phạm Văn Thắng"));
    assert!(!card.overdue(date(2026, 12, 10)), "not overdue after the extension");

    // Resolve with the reply: it must exist and be visible to the handler.
    let missing = IncomingStep::Resolve { reply: Some(999_999), note: None };
    assert!(matches!(store.incoming_step(id, &missing, &handler, at(2026, 12, 9)), Err(StoreError::NotFound(_))));
    let party_doc: i64 = store
        .conn
        .query_row(
            "SELECT d.id FROM documents d JOIN agencies a ON a.id = d.agency_id WHERE a.family = 'party' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let hidden = IncomingStep::Resolve { reply: Some(party_doc), note: None };
    let err = store.incoming_step(id, &hidden, &handler, at(2026, 12, 9)).unwrap_err();
    assert!(err.to_string().contains("phạm vi"), "{err}");
    let reply = store.documents_for(&handler).unwrap()[0].id;
    let resolve = IncomingStep::Resolve { reply: Some(reply), note: Some("Đã có văn bản trả lời.".into()) };
    assert_eq!(store.incoming_step(id, &resolve, &handler, at(2026, 12, 9)).unwrap(), IncomingState::Done);
    let card = store.incoming_card(&leader, id).unwrap();
    assert_eq!(card.reply.as_ref().map(|r| r.0), Some(reply));
    assert_eq!(card.closing_note.as_deref(), Some("Đã có văn bản trả lời."));
    assert!(card.actions.is_empty(), "nothing left to do");
    let actions: Vec<&str> = card.history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["receive", "register", "present", "assign", "progress", "extend", "grant-extension", "resolve"],
        "every step is in the history"
    );
    assert_eq!(card.full_name("hovanphuc"), "Hồ Văn Phúc");
    assert_eq!(store.verify().unwrap(), None);
}

#[test]
fn the_wrong_person_for_each_step_is_refused_and_audited() {
    let (mut store, id) = presented_letter();
    let leader = store.login("phamvanthang", DEMO_PASSWORD).unwrap();
    // (who tries, the step, the state it must be in); each is the wrong person.
    let party_leader = store.login("lehoangnam", DEMO_PASSWORD).unwrap();
    let van_thu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let co = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let outsider = store.login("duongthikimoanh", DEMO_PASSWORD).unwrap();
    for (who, label) in [(&party_leader, "lãnh đạo của"), (&van_thu, "lãnh đạo"), (&co, "lãnh đạo")] {
        let before = events(&store);
        let err = store.incoming_step(id, &IncomingStep::Assign(direction()), who, at(2026, 12, 2)).unwrap_err();
        assert!(err.to_string().contains(label), "{}: {err}", who.user().username);
        assert_eq!(events(&store), before + 1, "the refusal is audited");
        assert_eq!(last_event(&store).1, "refused");
        assert_eq!(state_of(&store, id), IncomingState::Presented, "nothing changed");
    }
    store.incoming_step(id, &IncomingStep::Assign(direction()), &leader, at(2026, 12, 2)).unwrap();
    let ask = IncomingStep::RequestExtension { reason: "Chờ số liệu.".into(), until: date(2026, 12, 15) };
    let handler_steps = [
        IncomingStep::Progress("Đang làm.".into()),
        ask.clone(),
        IncomingStep::Resolve { reply: None, note: Some("Xong.".into()) },
    ];
    for step in &handler_steps {
        for who in [&leader, &co, &outsider, &van_thu] {
            let before = events(&store);
            let err = store.incoming_step(id, step, who, at(2026, 12, 3)).unwrap_err();
            assert!(matches!(err, StoreError::Workflow(_)), "{:?} by {}: {err}", step.action(), who.user().username);
            assert_eq!(events(&store), before + 1, "{:?} by {}: audited", step.action(), who.user().username);
        }
    }
    let co_err = store.incoming_step(id, &handler_steps[0], &co, at(2026, 12, 3)).unwrap_err().to_string();
    assert!(co_err.contains("phối hợp chỉ được xem và ghi ý kiến"), "the co-handler is told why: {co_err}");
    let handler = store.login("hovanphuc", DEMO_PASSWORD).unwrap();
    store.incoming_step(id, &ask, &handler, at(2026, 12, 3)).unwrap();
    for step in [
        IncomingStep::GrantExtension { note: None },
        IncomingStep::RefuseExtension { reason: "Không.".into() },
        IncomingStep::Forward(Forwarding {
            handler: "buivantoan".into(),
            co_handlers: vec![],
            direction: "Chuyển.".into(),
            deadline: None,
        }),
    ] {
        for who in [&handler, &party_leader, &van_thu] {
            let before = events(&store);
            assert!(store.incoming_step(id, &step, who, at(2026, 12, 3)).is_err(), "{:?}", step.action());
            assert_eq!(events(&store), before + 1, "{:?} by {}: audited", step.action(), who.user().username);
        }
    }
    assert_eq!(state_of(&store, id), IncomingState::InProgress);
}

#[test]
fn extension_requests_are_checked_and_refusals_keep_the_deadline() {
    let (mut store, id) = presented_letter();
    let leader = store.login("phamvanthang", DEMO_PASSWORD).unwrap();
    let handler = store.login("hovanphuc", DEMO_PASSWORD).unwrap();
    store.incoming_step(id, &IncomingStep::Assign(direction()), &leader, at(2026, 12, 2)).unwrap();
    let grant = IncomingStep::GrantExtension { note: None };
    let err = store.incoming_step(id, &grant, &leader, at(2026, 12, 3)).unwrap_err().to_string();
    assert!(err.contains("không có yêu cầu gia hạn"), "{err}");
    let early = IncomingStep::RequestExtension { reason: "Cần thêm.".into(), until: date(2026, 12, 7) };
    assert!(store.incoming_step(id, &early, &handler, at(2026, 12, 3)).unwrap_err().to_string().contains("phải sau"));
    let far = IncomingStep::RequestExtension { reason: "Cần thêm.".into(), until: date(2028, 1, 1) };
    assert!(store.incoming_step(id, &far, &handler, at(2026, 12, 3)).unwrap_err().to_string().contains("tối đa"));
    let blank = IncomingStep::RequestExtension { reason: "  ".into(), until: date(2026, 12, 10) };
    assert!(store.incoming_step(id, &blank, &handler, at(2026, 12, 3)).unwrap_err().to_string().contains("lý do"));
    let ask = IncomingStep::RequestExtension { reason: "Cần thêm.".into(), until: date(2026, 12, 10) };
    store.incoming_step(id, &ask, &handler, at(2026, 12, 3)).unwrap();
    let refuse_blank = IncomingStep::RefuseExtension { reason: String::new() };
    assert!(store.incoming_step(id, &refuse_blank, &leader, at(2026, 12, 3)).is_err(), "a refusal needs a reason");
    let refuse = IncomingStep::RefuseExtension { reason: "Việc gấp, không gia hạn.".into() };
    store.incoming_step(id, &refuse, &leader, at(2026, 12, 3)).unwrap();
    let card = store.incoming_card(&handler, id).unwrap();
    assert_eq!(card.letter.deadline, Some(date(2026, 12, 8)), "a refusal keeps the deadline");
    assert_eq!(card.extensions[0].state, "refused");
    assert!(card.overdue(date(2026, 12, 9)));
    assert!(card.pending_extension().is_none());
}

#[test]
fn the_leader_forwards_a_letter_to_another_handler() {
    let (mut store, id) = presented_letter();
    let leader = store.login("phamvanthang", DEMO_PASSWORD).unwrap();
    let first = store.login("hovanphuc", DEMO_PASSWORD).unwrap();
    store.incoming_step(id, &IncomingStep::Assign(direction()), &leader, at(2026, 12, 2)).unwrap();
    let same =
        Forwarding { handler: "hovanphuc".into(), co_handlers: vec![], direction: "Lại.".into(), deadline: None };
    assert!(store.incoming_step(id, &IncomingStep::Forward(same), &leader, at(2026, 12, 3)).is_err());
    let no_text =
        Forwarding { handler: "duongthikimoanh".into(), co_handlers: vec![], direction: " ".into(), deadline: None };
    assert!(store.incoming_step(id, &IncomingStep::Forward(no_text), &leader, at(2026, 12, 3)).is_err());
    let party = Forwarding {
        handler: "huynhngocthao".into(),
        co_handlers: vec![],
        direction: "Chuyển.".into(),
        deadline: None,
    };
    let err = store.incoming_step(id, &IncomingStep::Forward(party), &leader, at(2026, 12, 3)).unwrap_err();
    assert!(err.to_string().contains("không thuộc"), "a Party clerk does not handle UBND mail: {err}");
    let forward = Forwarding {
        handler: "duongthikimoanh".into(),
        co_handlers: vec![],
        direction: "Chuyển Phòng TH chủ trì.".into(),
        deadline: Some(date(2026, 12, 11)),
    };
    assert_eq!(
        store.incoming_step(id, &IncomingStep::Forward(forward), &leader, at(2026, 12, 3)).unwrap(),
        IncomingState::Assigned
    );
    let comment = last_event(&store).2.unwrap();
    assert!(comment.contains("chuyển từ Hồ Văn Phúc sang Dương Thị Kim Oanh"), "{comment}");
    let second = store.login("duongthikimoanh", DEMO_PASSWORD).unwrap();
    let card = store.incoming_card(&second, id).unwrap();
    assert_eq!(card.letter.deadline, Some(date(2026, 12, 11)));
    assert_eq!(card.co_handlers, ["Bùi Văn Toàn"], "co-handlers stay");
    assert!(card.actions.contains(&IncomingAction::Resolve));
    assert!(
        store.incoming_step(id, &IncomingStep::Start, &first, at(2026, 12, 3)).is_err(),
        "the first handler no longer"
    );
}

#[test]
fn texts_are_normalised_and_bounded() {
    let (mut store, id) = presented_letter();
    let leader = store.login("phamvanthang", DEMO_PASSWORD).unwrap();
    let long = Assignment { direction: Some("a".repeat(super::MAX_DIRECTION_CHARS + 1)), ..direction() };
    assert!(store.incoming_step(id, &IncomingStep::Assign(long), &leader, at(2026, 12, 2)).is_err());
    let past = Assignment { deadline: date(2026, 11, 30), ..direction() };
    assert!(store.incoming_step(id, &IncomingStep::Assign(past), &leader, at(2026, 12, 2)).is_err());
    let twice = Assignment { co_handlers: vec!["hovanphuc".into()], ..direction() };
    assert!(store.incoming_step(id, &IncomingStep::Assign(twice), &leader, at(2026, 12, 2)).is_err());
    let nobody = Assignment { co_handlers: vec!["khongco".into()], ..direction() };
    assert!(matches!(
        store.incoming_step(id, &IncomingStep::Assign(nobody), &leader, at(2026, 12, 2)),
        Err(StoreError::NotFound(_))
    ));
    store.incoming_step(id, &IncomingStep::Assign(direction()), &leader, at(2026, 12, 2)).unwrap();
    let handler = store.login("hovanphuc", DEMO_PASSWORD).unwrap();
    // "Đã" typed with a combining accent is stored composed (NFC).
    let decomposed = "Đa\u{0303} ho\u{0300}n tha\u{0300}nh ba\u{0301}o ca\u{0301}o".to_owned();
    store.incoming_step(id, &IncomingStep::Progress(decomposed.clone()), &handler, at(2026, 12, 3)).unwrap();
    let card = store.incoming_card(&handler, id).unwrap();
    assert_eq!(card.notes[0].text, crate::text::nfc(&decomposed));
    assert_ne!(card.notes[0].text, decomposed);
    assert_eq!(card.notes[0].author, "Hồ Văn Phúc");
    let control = IncomingStep::Progress("xin\u{0007}chào".into());
    assert!(store.incoming_step(id, &control, &handler, at(2026, 12, 3)).is_err());
}

#[test]
fn a_dossier_with_an_unfinished_letter_refuses_to_close() {
    let (mut store, id) = presented_letter();
    let van_thu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let now = at(2026, 12, 15);
    let new = NewDossier {
        year: 2026,
        heading: "I. TỔNG HỢP".into(),
        heading_code: "TH".into(),
        title: "Hồ sơ quyết toán ngân sách năm 2026".into(),
        retention: Some(Retention::Years(10)),
        start_date: Some(date(2026, 1, 2)),
        ..NewDossier::default()
    };
    let dossier = store.create_dossier(&van_thu, &new, now).unwrap();
    store.add_to_dossier(&van_thu, dossier, FiledItem::Incoming(id), now).unwrap();
    let err = store.close_dossier(&van_thu, dossier, "Đủ văn bản.", Some(date(2026, 12, 15)), now).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("số 3999/STC-QLNS của Sở Tài chính"), "the letter is named: {message}");
    assert!(message.contains("chưa giải quyết xong"), "{message}");
    assert!(!store.dossier(dossier).unwrap().unwrap().closed);
    // Once handled, the dossier closes.
    let leader = store.login("phamvanthang", DEMO_PASSWORD).unwrap();
    let handler = store.login("hovanphuc", DEMO_PASSWORD).unwrap();
    store.incoming_step(id, &IncomingStep::Assign(direction()), &leader, at(2026, 12, 2)).unwrap();
    let resolve = IncomingStep::Resolve { reply: None, note: Some("Đã báo cáo.".into()) };
    store.incoming_step(id, &resolve, &handler, at(2026, 12, 3)).unwrap();
    store.close_dossier(&van_thu, dossier, "Đủ văn bản.", Some(date(2026, 12, 15)), now).unwrap();
    assert!(store.dossier(dossier).unwrap().unwrap().closed);
}

/// Issue #14: the co-handlers write their opinion (ý kiến phối hợp) on the letter;
/// the lead handler reads it on the card; nobody else may write one (refused and
/// audited); the state does not change; a finished letter takes no more opinions.
#[test]
fn co_handlers_write_opinions_the_lead_handler_reads_them() {
    let (mut store, id) = presented_letter();
    let leader = store.login("phamvanthang", DEMO_PASSWORD).unwrap();
    let co = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let handler = store.login("hovanphuc", DEMO_PASSWORD).unwrap();
    let van_thu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let outsider = store.login("duongthikimoanh", DEMO_PASSWORD).unwrap();
    // Before the assignment nobody co-handles it: even the future co-handler is refused.
    let early = IncomingStep::Opinion("Sớm quá.".into());
    assert!(store.incoming_step(id, &early, &co, at(2026, 12, 2)).is_err());
    store.incoming_step(id, &IncomingStep::Assign(direction()), &leader, at(2026, 12, 2)).unwrap();
    let card = store.incoming_card(&co, id).unwrap();
    assert!(card.actions.contains(&IncomingAction::Opinion), "the co-handler is offered it: {:?}", card.actions);
    assert!(!card.actions.contains(&IncomingAction::Progress));
    // The co-handler writes (the text normalised to NFC and trimmed).
    let decomposed = "  Pho\u{300}ng KT thống nhất số liệu quyết toán; đề nghị bổ sung biểu 02.  ";
    let before = events(&store);
    let state = store.incoming_step(id, &IncomingStep::Opinion(decomposed.into()), &co, at(2026, 12, 3)).unwrap();
    assert_eq!(state, IncomingState::Assigned, "an opinion changes no state");
    assert_eq!(events(&store), before + 1);
    let (who, action, comment) = last_event(&store);
    assert_eq!((who.as_str(), action.as_str()), ("buivantoan", "opinion"));
    assert_eq!(comment.as_deref(), Some("Phòng KT thống nhất số liệu quyết toán; đề nghị bổ sung biểu 02."));
    let role: String =
        store.conn.query_row("SELECT role FROM audit_events ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    assert_eq!(role, "co-handler");
    // The lead handler reads it on the card, by the co-handler's full name.
    let card = store.incoming_card(&handler, id).unwrap();
    assert_eq!(card.opinions.len(), 1);
    assert_eq!(card.opinions[0].author, "Bùi Văn Toàn");
    assert_eq!(card.opinions[0].text, "Phòng KT thống nhất số liệu quyết toán; đề nghị bổ sung biểu 02.");
    assert!(card.history.iter().any(|e| e.action == "opinion"), "in the history");
    // The lead handler may answer there too.
    store.incoming_step(id, &IncomingStep::Opinion("Đã nhận, sẽ bổ sung.".into()), &handler, at(2026, 12, 3)).unwrap();
    // Anyone else is refused, told why, and the refusal is audited; nothing is written.
    for who in [&leader, &van_thu, &outsider] {
        let before = events(&store);
        let err = store
            .incoming_step(id, &IncomingStep::Opinion("Ý kiến khác.".into()), who, at(2026, 12, 3))
            .unwrap_err()
            .to_string();
        assert!(err.contains("chủ trì và người phối hợp"), "{}: {err}", who.user().username);
        assert_eq!(events(&store), before + 1, "{}: audited", who.user().username);
        assert_eq!(last_event(&store).1, "refused");
    }
    assert_eq!(store.incoming_card(&handler, id).unwrap().opinions.len(), 2);
    // Empty and overlong opinions are refused before anything is written.
    assert!(store.incoming_step(id, &IncomingStep::Opinion("   ".into()), &co, at(2026, 12, 3)).is_err());
    let long = "a".repeat(super::incoming_handling::MAX_NOTE_CHARS + 1);
    assert!(store.incoming_step(id, &IncomingStep::Opinion(long), &co, at(2026, 12, 3)).is_err());
    // Once resolved, the letter takes no more opinions.
    store
        .incoming_step(
            id,
            &IncomingStep::Resolve { reply: None, note: Some("Đã báo cáo.".into()) },
            &handler,
            at(2026, 12, 4),
        )
        .unwrap();
    let err = store.incoming_step(id, &IncomingStep::Opinion("Muộn.".into()), &co, at(2026, 12, 5)).unwrap_err();
    assert!(matches!(err, StoreError::Workflow(_)), "{err}");
    assert_eq!(store.incoming_card(&handler, id).unwrap().opinions.len(), 2);
}

#[test]
fn co_handlers_get_a_task_with_the_deadline_until_they_give_their_opinion() {
    let (mut store, id) = presented_letter();
    let leader = store.login("phamvanthang", DEMO_PASSWORD).unwrap();
    let co = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let handler = store.login("hovanphuc", DEMO_PASSWORD).unwrap();
    let calendar = store.work_calendar().unwrap();
    let today = date(2026, 12, 2);
    let mine = |store: &Store, who: &super::Actor| -> Vec<super::Task> {
        store
            .tasks(who, today, &calendar)
            .unwrap()
            .into_iter()
            .filter(|t| t.subject == "incoming" && t.id == id)
            .collect()
    };
    assert!(mine(&store, &co).is_empty(), "no task before the assignment");
    store.incoming_step(id, &IncomingStep::Assign(direction()), &leader, at(2026, 12, 2)).unwrap();
    let tasks = mine(&store, &co);
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    assert_eq!(tasks[0].due, date(2026, 12, 8), "the letter's deadline");
    assert!(tasks[0].action.starts_with("Phối hợp xử lý"), "{}", tasks[0].action);
    // The lead handler's own task is to resolve it, not a co-handler's one.
    let lead = mine(&store, &handler);
    assert_eq!(lead.len(), 1);
    assert_eq!(lead[0].action, IncomingAction::Resolve.label());
    // Once the co-handler gave an opinion, the task is done.
    store.incoming_step(id, &IncomingStep::Opinion("Phòng KT thống nhất.".into()), &co, at(2026, 12, 3)).unwrap();
    assert!(mine(&store, &co).is_empty(), "answered");
    assert_eq!(mine(&store, &handler).len(), 1, "the lead handler still has to resolve it");
}

/// A letter is never dated after it arrived: a typing slip in the document date is
/// refused with the two dates named, and nothing is written.
#[test]
fn a_letter_dated_after_its_arrival_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    load_demo(&mut store, date(2026, 11, 27)).unwrap();
    let van_thu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let agency_id = store.default_receiving_agency(&van_thu).unwrap().unwrap();
    let before = store.list_incoming().unwrap().len();
    let letter = |dated| NewIncoming {
        agency_id,
        arrival_number: None,
        arrival_date: date(2026, 12, 1),
        sender: "Sở Tài chính".into(),
        number: Some("4001".into()),
        notation: Some("STC-QLNS".into()),
        date: Some(dated),
        kind: "cong-van".into(),
        subject: "V/v báo cáo".into(),
        urgency: None,
        state: IncomingState::Received,
        handler_id: None,
        lead_unit_id: None,
        deadline: None,
        source_key: None,
    };
    let err = store.receive_incoming(&van_thu, letter(date(2026, 12, 21)), at(2026, 12, 1)).unwrap_err().to_string();
    assert!(err.contains("ngày văn bản 21/12/2026 sau ngày đến 01/12/2026"), "{err}");
    assert_eq!(store.list_incoming().unwrap().len(), before, "nothing written");
    // Dated the day it arrives: received.
    store.receive_incoming(&van_thu, letter(date(2026, 12, 1)), at(2026, 12, 1)).unwrap();
}
