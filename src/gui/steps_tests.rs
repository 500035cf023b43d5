//! Buttons of the next step never take the second click of a double click: after
//! a step, the button that appears under the pointer ignores a click arriving
//! within half a second ([`crate::gui::widget::step_guard`]).

use super::*;
use crate::gui::session::Go;

impl Ui {
    /// The centre of a text, if shown.
    fn centre_of(&mut self, label: &str) -> Option<iced::Point> {
        self.with_no_pause(|ui| ui.find(label).ok().map(|t| t.bounds().center()))
    }

    /// A click at `at` right after the previous one (the second click of a double click).
    fn click_again_at(&mut self, at: iced::Point) {
        self.with_no_pause(|ui| {
            ui.point_at(at);
            let _ = ui.simulate(iced_test::simulator::click());
        });
    }

    /// Opens a page as its link would.
    fn go(&mut self, go: Go) {
        let (shell, store) = self.app.shell_and_store().unwrap();
        shell.go_for_test(go, store);
    }

    /// Whether a widget with this id is shown.
    fn shows_id(&mut self, id: &'static str) -> bool {
        self.with(|ui| ui.find(iced_test::selector::id(id)).is_ok())
    }

    fn has_dialog(&self) -> bool {
        match self.shell().page() {
            Page::Document(p) => p.has_dialog(),
            Page::IncomingCard(p) => p.has_dialog(),
            _ => false,
        }
    }
}

/// On the incoming card "Hoàn thành" takes the place of "Bắt đầu xử lý": a double
/// click starts handling and nothing more; a later click opens the form.
#[test]
fn a_double_click_on_bat_dau_xu_ly_does_not_open_hoan_thanh() {
    use crate::gui::screen::incoming_card::{Message as Card, Person};
    use vanthu_core::model::IncomingState;
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    let subject = "Đề nghị phê duyệt phương án ứng phó mưa lớn, ngập úng cục bộ cuối mùa mưa năm 2026";
    let id = ui.app.store_mut().list_incoming().unwrap().into_iter().find(|i| i.subject == subject).unwrap().id;
    ui.login("phamvanthang");
    ui.go(Go::Incoming(id));
    ui.click("Giao xử lý");
    let (u, n) =
        ui.app.store_mut().incoming_handler_choices(id).unwrap().into_iter().find(|(u, _)| u == "hovanphuc").unwrap();
    let send = |ui: &mut Ui, m: Card| {
        let _ = ui.app.update(Message::Main(crate::gui::screen::shell::Message::IncomingCard(m)));
    };
    send(&mut ui, Card::Handler(Person::for_tests(u, n)));
    ui.click("Xác nhận");
    ui.logout();

    ui.login("hovanphuc");
    ui.go(Go::Incoming(id));
    let state = |ui: &Ui| match ui.shell().page() {
        Page::IncomingCard(c) => c.card().letter.state,
        _ => panic!("the card"),
    };
    assert_eq!(state(&ui), IncomingState::Assigned);
    let pointer = ui.centre_of("Bắt đầu xử lý").expect("offered");
    ui.click("Bắt đầu xử lý");
    assert_eq!(state(&ui), IncomingState::InProgress, "{}", ui.notice());
    let under = ui.centre_of("Hoàn thành").expect("offered now");
    assert!(
        (under.x - pointer.x).abs() < 40.0 && (under.y - pointer.y).abs() < 8.0,
        "the hazard: {pointer:?} {under:?}"
    );
    ui.click_again_at(under);
    assert!(!ui.has_dialog(), "the second click of the double click opened nothing");
    ui.click("Hoàn thành");
    assert!(ui.has_dialog(), "a later click is a new step");
}

/// On the document page, Phát hành confirmed and then a click at once on Lập hồ sơ
/// (the văn thư's next step) is ignored; a later click opens its dialog.
#[test]
fn a_click_right_after_phat_hanh_does_not_open_lap_ho_so() {
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    ui.login("lythihongnhung");
    let actor = ui.shell().actor().clone();
    let id = ui
        .app
        .store_mut()
        .documents_for(&actor)
        .unwrap()
        .into_iter()
        .find(|d| d.state == OutgoingState::Numbered.code())
        .expect("a numbered document in the demo")
        .id;
    ui.go(Go::Document(id));
    ui.click(Action::Issue.label());
    let confirm = ui.centre_of("Xác nhận phát hành").expect("the dialog");
    ui.click("Xác nhận phát hành");
    assert_eq!(ui.state_of(id), OutgoingState::Issued, "{}", ui.notice());
    let next = ui.centre_of(Action::File.label()).expect("Lập hồ sơ offered");
    ui.click_again_at(confirm);
    ui.click_again_at(next);
    assert!(!ui.has_dialog(), "clicks right after the step take no step");
    assert_eq!(ui.state_of(id), OutgoingState::Issued);
    ui.click(Action::File.label());
    assert!(ui.has_dialog(), "a later click opens Lập hồ sơ");
}

/// The văn thư numbering or issuing has no opinion to give: no "Ý kiến" field;
/// the unit head reviewing (who may return the draft) has one.
#[test]
fn the_opinion_field_shows_only_for_steps_that_take_one() {
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    ui.login("lythihongnhung");
    let actor = ui.shell().actor().clone();
    let docs = ui.app.store_mut().documents_for(&actor).unwrap();
    let numbered = docs.iter().find(|d| d.state == OutgoingState::Numbered.code()).unwrap().id;
    ui.go(Go::Document(numbered));
    assert!(ui.sees(Action::Issue.label()));
    assert!(!ui.shows_id("opinion"), "no opinion field for Phát hành");
    ui.logout();
    ui.login("doquanghuy");
    let actor = ui.shell().actor().clone();
    let docs = ui.app.store_mut().documents_for(&actor).unwrap();
    let review = docs.iter().find(|d| d.state == OutgoingState::ContentReview.code()).unwrap().id;
    ui.go(Go::Document(review));
    assert!(ui.shows_id("opinion"), "Duyệt and Trả lại take one");
    ui.type_in("opinion", "Bổ sung số liệu");
    assert!(ui.sees("Bổ sung số liệu"));
}

/// The audit log has column headings like the other tables.
#[test]
fn the_audit_log_has_column_headings() {
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    ui.login("lythihongnhung");
    ui.click("Nhật ký");
    for heading in ["Thời gian", "Người thực hiện", "Thao tác · đối tượng", "Trạng thái", "Mã băm"]
    {
        assert!(ui.sees(heading), "{heading}");
    }
}

/// A success notice leaves by itself after about five seconds; an error stays until
/// closed. The notice has its own strip at the bottom: the page does not move when
/// it comes, and it covers nothing of the page.
#[test]
fn notices_leave_after_a_few_seconds_and_cover_nothing() {
    use crate::gui::screen::shell::{Message as Shell, NOTICE_LIFE};
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    ui.login("doquanghuy");
    let actor = ui.shell().actor().clone();
    let docs = ui.app.store_mut().documents_for(&actor).unwrap();
    let review = docs.iter().find(|d| d.state == OutgoingState::ContentReview.code()).unwrap().id;
    ui.go(Go::Document(review));
    let before = ui.centre_of("Thao tác").unwrap();
    let tick = |ui: &mut Ui, at: std::time::Instant| {
        let _ = ui.app.update(Message::Main(Shell::NoticeTick(at)));
    };
    // Trả lại without a comment: an error, shown on the page; a success then.
    ui.type_in("opinion", "Bổ sung số liệu quý IV.");
    ui.click(Action::Return.label());
    let notice = ui.notice();
    assert!(!notice.is_empty() && !ui.shell().notice().unwrap().0, "a success: {notice}");
    let shown = ui.centre_of(&notice).expect("the notice is shown");
    assert!(shown.y > 820.0 - 16.0 - crate::gui::screen::shell::NOTICE_BAR, "in the strip at the bottom: {shown:?}");
    let t0 = std::time::Instant::now();
    tick(&mut ui, t0);
    tick(&mut ui, t0 + NOTICE_LIFE / 2);
    assert_eq!(ui.notice(), notice, "still there after half its life");
    tick(&mut ui, t0 + NOTICE_LIFE);
    assert!(ui.shell().notice().is_none(), "gone after about five seconds");

    // An error stays until closed with ×.
    ui.go(Go::Error("Không lưu được tệp: ổ đĩa đầy.".into()));
    tick(&mut ui, t0);
    tick(&mut ui, t0 + NOTICE_LIFE * 3);
    assert!(ui.shell().notice().is_some_and(|(error, _)| *error), "an error stays");
    let after = ui.centre_of("Thao tác").unwrap();
    assert_eq!(before, after, "the page did not move when the notice came");
    ui.click("×");
    assert!(ui.shell().notice().is_none(), "closed with ×");
}

/// Giao xử lý: the people are named with position and unit, the working days show
/// the date they give by the office's calendar, and the bút phê takes several lines.
/// The văn thư's Trình names the leaders who may assign the letter.
#[test]
fn giao_xu_ly_names_people_and_shows_the_deadline_date() {
    use crate::gui::screen::incoming_card::ids;
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    let subject = "Đề nghị phê duyệt phương án ứng phó mưa lớn, ngập úng cục bộ cuối mùa mưa năm 2026";
    let id = ui.app.store_mut().list_incoming().unwrap().into_iter().find(|i| i.subject == subject).unwrap().id;
    ui.login("phamvanthang");
    ui.go(Go::Incoming(id));
    ui.click("Giao xử lý");
    let lines = ui.app.store_mut().incoming_handler_lines(id).unwrap();
    let phuc = lines.iter().find(|l| l.username == "hovanphuc").unwrap();
    assert!(phuc.position.is_some() && phuc.unit.is_some(), "{phuc:?}");
    let today = chrono::Local::now().date_naive();
    let calendar = ui.app.store_mut().work_calendar().unwrap();
    let due = calendar.add_working_days(today, 5).format("%d/%m/%Y").to_string();
    assert!(
        ui.sees(&format!("Hạn xử lý: {} {due} (5 ngày làm việc)", weekday_name(calendar.add_working_days(today, 5))))
    );
    // Typing the days changes the date at once.
    ui.type_in(ids::DAYS, "2"); // "52"
    let due52 = calendar.add_working_days(today, 52);
    assert!(ui.sees(&format!("Hạn xử lý: {} {} (52 ngày làm việc)", weekday_name(due52), due52.format("%d/%m/%Y"))));
    // The first co-handler added does not push the buttons down.
    let confirm = ui.position("Xác nhận").expect("the form's button");
    let Page::IncomingCard(card) = ui.shell().page() else { panic!("the card") };
    let other = card.people().iter().find(|p| !p.to_string().contains("Phạm Văn Thắng")).unwrap().clone();
    let _ = ui.app.update(Message::Main(crate::gui::screen::shell::Message::IncomingCard(
        crate::gui::screen::incoming_card::Message::AddCoHandler(other),
    )));
    assert_eq!(ui.position("Xác nhận"), Some(confirm), "the buttons stay");
    // The bút phê keeps its line breaks.
    ui.with(|s| {
        s.click(iced_test::selector::id(ids::TEXT)).expect("the area");
        let _ = s.typewrite("Giao Phòng HC-TC chủ trì.");
        let _ = s.tap_key(iced::keyboard::Key::Named(iced::keyboard::key::Named::Enter));
        let _ = s.typewrite("Báo cáo trước ngày 10.");
    });
    let Page::IncomingCard(card) = ui.shell().page() else { panic!("the card") };
    assert_eq!(card.form_text(), Some("Giao Phòng HC-TC chủ trì.\nBáo cáo trước ngày 10."));
    // Closed by mistake and opened again: the bút phê is still there.
    ui.click("Hủy");
    ui.click("Giao xử lý");
    let Page::IncomingCard(card) = ui.shell().page() else { panic!("the card") };
    assert_eq!(card.form_text(), Some("Giao Phòng HC-TC chủ trì.\nBáo cáo trước ngày 10."), "kept");
    ui.click("Hủy");
    ui.logout();

    // The văn thư presents a registered letter: the card names the leaders.
    let registered = ui
        .app
        .store_mut()
        .list_incoming()
        .unwrap()
        .into_iter()
        .find(|i| i.state == vanthu_core::model::IncomingState::Registered)
        .expect("a registered letter in the demo");
    ui.login("lythihongnhung");
    ui.go(Go::Incoming(registered.id));
    let takers = ui.app.store_mut().incoming_present_takers(registered.id).unwrap();
    assert!(!takers.is_empty());
    let line = match takers.as_slice() {
        [one] => format!("Trình {} giao xử lý.", one.addressed()),
        _ => "Trình lãnh đạo giao xử lý".to_owned(),
    };
    assert!(ui.count(&line) == 1 || takers.len() > 1, "{line}");
}

fn weekday_name(d: chrono::NaiveDate) -> &'static str {
    use chrono::Datelike;
    ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]
        [d.weekday().num_days_from_monday() as usize]
}

/// Trình duyệt says to whom: the heads the core would let approve the draft.
#[test]
fn trinh_duyet_names_who_approves() {
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    ui.login("buivantoan");
    let actor = ui.shell().actor().clone();
    let draft = ui
        .app
        .store_mut()
        .documents_for(&actor)
        .unwrap()
        .into_iter()
        .find(|d| d.state == OutgoingState::Draft.code() || d.state == OutgoingState::Returned.code())
        .expect("a draft")
        .id;
    ui.go(Go::Document(draft));
    assert!(ui.sees(Action::Submit.label()));
    let today = chrono::Local::now().date_naive();
    let mut takers = ui.app.store_mut().next_step_takers(draft, Action::Submit, today).unwrap();
    crate::gui::wording::sort_vietnamese(&mut takers, |t| t.full_name.as_str());
    assert!(!takers.is_empty());
    let line = crate::gui::screen::document::steps::recipients_line(Action::Submit, &takers);
    assert!(line.starts_with("Trình ông/bà "), "{line}");
    assert!(ui.sees(&line), "{line}");
    ui.click(Action::Submit.label());
    assert_eq!(ui.state_of(draft), OutgoingState::ContentReview, "{}", ui.notice());
    assert!(ui.notice().contains(&format!(", tới {}", takers[0].addressed())), "{}", ui.notice());
}

/// The văn thư's Vào sổ then Trình: both take effect on one click, and Trình takes
/// the place of Vào sổ. A double click registers the letter and presents nothing.
#[test]
fn a_double_click_on_vao_so_does_not_present_the_letter() {
    use vanthu_core::model::IncomingState;
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    let letter = ui
        .app
        .store_mut()
        .list_incoming()
        .unwrap()
        .into_iter()
        .find(|i| i.state == IncomingState::Received)
        .expect("a received letter in the demo");
    ui.login("lythihongnhung");
    ui.go(Go::Incoming(letter.id));
    let state = |ui: &Ui| match ui.shell().page() {
        Page::IncomingCard(c) => c.card().letter.state,
        _ => panic!("the card"),
    };
    let pointer = ui.centre_of("Vào sổ văn bản đến").expect("offered");
    ui.click("Vào sổ văn bản đến");
    assert_eq!(state(&ui), IncomingState::Registered, "{}", ui.notice());
    let trinh = ui.centre_of("Trình").expect("Trình offered now");
    assert!(
        (trinh.y - pointer.y).abs() < 8.0 && trinh.x < pointer.x + 60.0,
        "under the pointer: {pointer:?} {trinh:?}"
    );
    ui.click_again_at(trinh);
    assert_eq!(state(&ui), IncomingState::Registered, "the second click presented nothing");
    ui.click("Trình");
    assert_eq!(state(&ui), IncomingState::Presented, "a later click presents it");
}

/// Issue #14, item 7: a refusal on a page keeps to the room kept for it; the form's
/// button the administrator just clicked stays where it was.
#[test]
fn a_refusal_on_the_admin_page_moves_no_button() {
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    ui.login("admin");
    ui.click("Quản trị");
    let before = ui.position("Thêm đơn vị").expect("the unit form");
    ui.click("Thêm đơn vị");
    let Page::Admin(page) = ui.shell().page() else { panic!("admin page") };
    assert!(page.shown_error().is_some(), "an empty unit is refused");
    assert_eq!(ui.position("Thêm đơn vị"), Some(before), "the button did not move");
}

/// Issue #14, item 7: the reception form's refusal keeps to its room; the list of
/// letters below it does not move.
#[test]
fn a_refused_reception_moves_no_list() {
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    ui.login("lythihongnhung");
    ui.click("Văn bản đến");
    let before = ui.position("Trích yếu, nơi gửi, số ký hiệu").expect("the list's headings");
    ui.click("Tiếp nhận");
    let Page::Incoming(page) = ui.shell().page() else { panic!("the incoming page") };
    assert!(page.receive_error().is_some(), "an empty letter is refused");
    assert_eq!(ui.position("Trích yếu, nơi gửi, số ký hiệu"), Some(before), "the list did not move");
}
