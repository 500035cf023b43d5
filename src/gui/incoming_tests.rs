//! Simulator journeys of incoming letters: handling with an extension, a dossier that
//! refuses to close over an unfinished letter, received files on the card.

use super::*;

/// The card of the letter shown, if the page is one.
fn card_state(ui: &Ui) -> Option<vanthu_core::model::IncomingState> {
    match ui.shell().page() {
        Page::IncomingCard(card) => Some(card.card().letter.state),
        _ => None,
    }
}

impl Ui {
    /// Sends a message to the card (pick lists open overlays the simulator does not click).
    fn send_card(&mut self, m: crate::gui::screen::incoming_card::Message) {
        let _ = self.app.update(Message::Main(crate::gui::screen::shell::Message::IncomingCard(m)));
    }
}

#[test]
fn a_handler_resolves_an_assigned_letter_after_an_extension() {
    use crate::gui::screen::incoming_card::{Message as Card, ids};
    use vanthu_core::model::IncomingState;
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    let subject = "Đề nghị phê duyệt phương án ứng phó mưa lớn, ngập úng cục bộ cuối mùa mưa năm 2026";
    let id = ui.app.store_mut().list_incoming().unwrap().into_iter().find(|i| i.subject == subject).unwrap().id;

    // The Chánh văn phòng directs it from its card: bút phê, lead, co-handler, 5 working days.
    ui.login("phamvanthang");
    ui.click("Văn bản đến");
    assert!(ui.sees("Số đến") && ui.sees("Trạng thái, hạn"), "the list has column headings");
    ui.click(subject);
    assert_eq!(card_state(&ui), Some(IncomingState::Presented), "the row opens the card");
    assert!(ui.sees("Sở Nông nghiệp và Môi trường") && ui.sees("Số tờ") && ui.sees("Cách nhận"));
    ui.click("Giao xử lý");
    let people = ui.app.store_mut().incoming_handler_choices(id).unwrap();
    let person = |username: &str| {
        let (u, n) = people.iter().find(|(u, _)| u == username).unwrap().clone();
        crate::gui::screen::incoming_card::Person::for_tests(u, n)
    };
    // Confirmed without a lead handler: the dialog says so, once (no toast); the
    // line goes as soon as the input changes.
    ui.click("Xác nhận");
    assert!(ui.sees("Chọn người chủ trì xử lý."), "{}", ui.describe());
    assert!(ui.shell().notice().is_none(), "not repeated as a toast");
    ui.send_card(Card::Handler(person("hovanphuc")));
    assert!(!ui.sees("Chọn người chủ trì xử lý."), "the error left with the fix");
    ui.send_card(Card::AddCoHandler(person("buivantoan")));
    ui.type_in(ids::TEXT, "Giao Phòng HC-TC chủ trì, phối hợp Phòng KT tham mưu phương án.");
    ui.click("Xác nhận");
    assert_eq!(card_state(&ui), Some(IncomingState::Assigned), "{}", ui.notice());
    assert!(ui.sees("Hồ Văn Phúc") && ui.sees("Bùi Văn Toàn"));
    ui.logout();

    // The handler opens it from the dashboard task (no more "Không có quyền mở mục").
    ui.login("hovanphuc");
    assert!(ui.sees("Sắp tới (1)") || ui.sees(subject), "the task is on the dashboard");
    ui.click(subject);
    assert_eq!(card_state(&ui), Some(IncomingState::Assigned), "{}", ui.notice());
    ui.click("Ghi tiến độ");
    ui.type_in(ids::TEXT, "Đã lấy ý kiến Sở Xây dựng.");
    ui.click("Xác nhận");
    assert_eq!(card_state(&ui), Some(IncomingState::InProgress), "{}", ui.notice());
    ui.click("Xin gia hạn");
    ui.type_in(ids::TEXT, "Chờ số liệu mưa của các huyện.");
    ui.click("Xác nhận");
    assert!(ui.notice().starts_with("Xin gia hạn: văn bản đến"), "{}", ui.notice());
    assert!(!ui.sees("Hoàn thành: văn bản đến"), "the form closed");
    ui.logout();

    // The co-handler reads the card and gives an opinion for the lead handler (ý
    // kiến phối hợp); no other step is offered.
    // The task is on the co-handler's dashboard, with the deadline; it opens the card.
    ui.login("buivantoan");
    let due = ui.app.store_mut().list_incoming().unwrap().into_iter().find(|i| i.id == id).unwrap().deadline.unwrap();
    let Page::Dashboard(dashboard) = ui.shell().page() else { panic!("the dashboard") };
    assert!(
        dashboard.task_lines().contains(&(subject, "Phối hợp xử lý: cho ý kiến", due)),
        "{:?}",
        dashboard.task_lines()
    );
    ui.click(subject);
    assert!(
        ui.sees("Bạn là người phối hợp: ghi ý kiến phối hợp cho người chủ trì; các bước xử lý do người chủ trì làm.")
    );
    assert!(!ui.sees("Hoàn thành") && !ui.sees("Ghi tiến độ"));
    ui.click("Ghi ý kiến phối hợp");
    ui.type_in(ids::TEXT, "Phòng KT thống nhất phương án, đề nghị bổ sung dự toán kinh phí.");
    ui.click("Xác nhận");
    assert!(ui.notice().starts_with("Ghi ý kiến phối hợp: văn bản đến"), "{}", ui.notice());
    let Page::IncomingCard(card) = ui.shell().page() else { panic!("the card") };
    let opinions = &card.card().opinions;
    assert_eq!(opinions.len(), 1);
    assert_eq!(opinions[0].author, "Bùi Văn Toàn");
    assert_eq!(opinions[0].text, "Phòng KT thống nhất phương án, đề nghị bổ sung dự toán kinh phí.");
    ui.logout();

    // The leader grants the extension from the dashboard task; an opinion is not
    // the leader's to write.
    ui.login("phamvanthang");
    ui.click(subject);
    let Page::IncomingCard(card) = ui.shell().page() else { panic!("the card") };
    assert!(!card.card().actions.contains(&vanthu_core::workflow::IncomingAction::Opinion));
    ui.click("Cho gia hạn");
    ui.click("Xác nhận");
    let deadline = ui.app.store_mut().list_incoming().unwrap().into_iter().find(|i| i.id == id).unwrap().deadline;
    let notice = ui.notice();
    assert!(notice.starts_with("Cho gia hạn: văn bản đến số đến ") && notice.contains("(215/TTr-SNNMT)"), "{notice}");
    ui.logout();

    // The handler resolves it, with the result noted.
    ui.login("hovanphuc");
    ui.click("Văn bản đến");
    ui.type_in(crate::gui::screen::incoming::FILTER_ID, "ung pho mua lon");
    ui.click(subject);
    // The lead handler reads the co-handler's opinion on the card before closing.
    assert!(ui.sees("Ý kiến phối hợp") && ui.sees("Phối hợp"), "the opinions have their heading");
    let Page::IncomingCard(card) = ui.shell().page() else { panic!("the card") };
    assert_eq!(card.card().opinions[0].author, "Bùi Văn Toàn");
    ui.click("Hoàn thành");
    ui.type_in(ids::TEXT, "Đã tham mưu Tờ trình phương án ứng phó.");
    ui.click("Xác nhận");
    assert_eq!(card_state(&ui), Some(IncomingState::Done), "{}", ui.notice());
    assert!(ui.sees("Kết quả xử lý"));
    let store = ui.app.store_mut();
    let letter = store.list_incoming().unwrap().into_iter().find(|i| i.id == id).unwrap();
    assert_eq!(letter.deadline, deadline, "the granted deadline stays");
    let leader = store.login("phamvanthang", "demo").unwrap();
    let card = store.incoming_card(&leader, id).unwrap();
    assert_eq!(card.extensions[0].state, "granted");
    let steps: Vec<&str> = card.history.iter().map(|e| e.action.as_str()).collect();
    assert!(steps.ends_with(&["assign", "progress", "extend", "opinion", "grant-extension", "resolve"]), "{steps:?}");
    assert_eq!(store.verify().unwrap(), None);
}

#[test]
fn a_dossier_with_an_unfinished_letter_refuses_to_close() {
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    ui.login("lythihongnhung");
    ui.click("Hồ sơ, lưu trữ");
    ui.click("01.TH");
    // Without the closing note the button says what is missing (it used to do nothing).
    ui.click("Đóng hồ sơ");
    let Page::Dossier(page) = ui.shell().page() else { panic!("dossier page\n{}", ui.describe()) };
    assert_eq!(page.error(), Some("Hãy ghi chú kết thúc hồ sơ (chứng từ kết thúc) trước khi đóng."));
    ui.type_in("dossier-close-note", "Đủ văn bản.");
    ui.click("Đóng hồ sơ");
    ui.click("Xác nhận đóng hồ sơ");
    let Page::Dossier(page) = ui.shell().page() else { panic!("dossier page\n{}", ui.describe()) };
    let error = page.error().unwrap_or_default().to_owned();
    assert!(!page.closed(), "the dossier stays open");
    assert!(
        error.contains("văn bản đến số 8765/VPCP-KSTT của Văn phòng Chính phủ")
            && error.contains("chưa giải quyết xong"),
        "the message names the letter: {error}"
    );
    assert!(ui.sees(&error), "the message is on the page");
    // The letter's row opens its card.
    ui.click("V/v đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình và thanh toán trực tuyến");
    assert!(matches!(ui.shell().page(), Page::IncomingCard(_)), "{}", ui.describe());
}

/// Issue #16: the card lists the files received with a letter with their check, and
/// saves one through the save dialog (here the in-app one) under its clean name.
#[test]
fn the_incoming_card_lists_received_files_and_saves_one() {
    use crate::gui::screen::shell;
    use crate::gui::widget::save_dialog;
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    let subject = "V/v đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình và thanh toán trực tuyến";
    let store = ui.app.store_mut();
    let vanthu = store.login("lythihongnhung", vanthu_core::demo::DEMO_PASSWORD).unwrap();
    let id = store.list_incoming().unwrap().into_iter().find(|i| i.subject == subject).unwrap().id;
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n".to_vec();
    let file = vanthu_core::store::NewFile { name: "../công văn\u{7}.pdf".into(), bytes: pdf.clone(), kind: None };
    store.attach_incoming_files(&vanthu, id, &[file], chrono::Local::now()).unwrap();
    ui.login("lythihongnhung");
    ui.click("Văn bản đến");
    ui.click(subject);
    assert!(ui.sees("Tệp nhận kèm"), "{}", ui.describe());
    assert!(ui.sees("1. công văn.pdf (Văn bản điện tử, 1 KB) — không có chữ ký số"));
    ui.click("Lưu tệp…");
    assert!(ui.shell().save_dialog_open());
    let dir = std::env::temp_dir().join(format!("vanthu-save-file-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let _ = ui
        .app
        .update(Message::Main(shell::Message::SaveDialog(save_dialog::Message::Folder(dir.display().to_string()))));
    ui.click("Lưu");
    let saved = dir.join("công văn.pdf");
    assert_eq!(std::fs::read(&saved).unwrap_or_else(|e| panic!("{e}: {}", ui.notice())), pdf);
    assert!(ui.notice().starts_with("Đã lưu tệp"), "{}", ui.notice());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue #16, item 5: the văn thư adds the scan of a paper letter from the card
/// (through the in-app dialog here: no system dialog in the simulator), the card
/// lists it with its check, and "Xem" hands a private copy to the system viewer.
/// Another role is offered no such button, and the core refuses it anyway.
#[test]
fn the_van_thu_adds_a_scan_on_the_card_and_views_it() {
    use crate::gui::screen::{incoming_card, shell};
    use crate::gui::widget::save_dialog;
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    let subject = "V/v đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình và thanh toán trực tuyến";
    let id = ui.app.store_mut().list_incoming().unwrap().into_iter().find(|i| i.subject == subject).unwrap().id;
    let dir = std::env::temp_dir().join(format!("vanthu-add-scan-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let scan = b"%PDF-1.4\n% ban quet cong van\n1 0 obj << >> endobj\n%%EOF\n".to_vec();
    std::fs::write(dir.join("bản quét.pdf"), &scan).unwrap();

    ui.login("lythihongnhung");
    ui.click("Văn bản đến");
    ui.click(subject);
    ui.click("Thêm bản quét…");
    assert!(ui.shell().save_dialog_open(), "the in-app dialog asks which file");
    assert!(ui.sees("Chọn tệp nhận kèm"));
    let dialog = |ui: &mut Ui, m: save_dialog::Message| {
        let _ = ui.app.update(Message::Main(shell::Message::SaveDialog(m)));
    };
    dialog(&mut ui, save_dialog::Message::Folder(dir.display().to_string()));
    assert!(ui.sees("bản quét.pdf"), "the folder's files are listed");
    dialog(&mut ui, save_dialog::Message::Pick("bản quét.pdf".into()));
    ui.click("Mở");
    assert!(ui.notice().starts_with("Đã thêm tệp «bản quét.pdf»"), "{}", ui.notice());
    let vanthu = ui.app.store_mut().login("lythihongnhung", vanthu_core::demo::DEMO_PASSWORD).unwrap();
    let files = ui.app.store_mut().incoming_files(&vanthu, id).unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].kind, vanthu_core::received::FileKind::Scan);
    assert!(ui.sees("Tệp nhận kèm"), "the card lists it: {}", ui.describe());

    // Xem: a private copy for the viewer (no viewer is started under test).
    ui.send_card(incoming_card::Message::OpenFile(files[0].position));
    assert!(ui.notice().starts_with("Đã mở tệp"), "{}", ui.notice());
    let copy = std::env::temp_dir().join(format!("vanthu-xem-{}", std::process::id())).join(&files[0].safe_name);
    assert_eq!(std::fs::read(&copy).unwrap(), scan);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(copy.parent().unwrap()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "only this user reads the viewer's copies");
    }

    // A cancel adds nothing and says so neutrally.
    ui.click("Thêm tệp kèm theo…");
    ui.click("Hủy");
    assert_eq!(ui.shell().notice(), Some(&(false, "Đã hủy.".to_owned())));
    assert_eq!(ui.app.store_mut().incoming_files(&vanthu, id).unwrap().len(), 1);

    // The leader sees the card but no button to add files.
    ui.logout();
    ui.login("phamvanthang");
    ui.click("Văn bản đến");
    if ui.sees(subject) {
        ui.click(subject);
        assert!(!ui.sees("Thêm bản quét…"), "only the văn thư adds files");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
