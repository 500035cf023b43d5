//! Simulator journeys of the files of an outgoing draft (issue #16, item 4): the
//! drafter attaches an appendix from the editor (in-app dialog here), sees it,
//! removes it; a file over the limit is refused before it is read; the signer's
//! key file is chosen with a file dialog in the signing dialog.

use super::*;
use crate::gui::screen::{document, editor, shell};
use crate::gui::widget::save_dialog;
use vanthu_core::store::AttachmentKind;

impl Ui {
    fn send_editor(&mut self, m: editor::Message) {
        let _ = self.app.update(Message::Main(shell::Message::Editor(m)));
    }

    fn send_dialog(&mut self, m: save_dialog::Message) {
        let _ = self.app.update(Message::Main(shell::Message::SaveDialog(m)));
    }

    /// Chooses `name` in `dir` in the in-app open dialog.
    fn choose(&mut self, dir: &std::path::Path, name: &str) {
        assert!(self.shell().save_dialog_open(), "the in-app dialog asks: {}", self.notice());
        self.send_dialog(save_dialog::Message::Folder(dir.display().to_string()));
        self.send_dialog(save_dialog::Message::Pick(name.into()));
        self.click("Mở");
    }
}

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vanthu-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_drafter_attaches_an_appendix_in_the_editor_and_removes_a_file() {
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    let dir = temp_dir("attach");
    let appendix = b"%PDF-1.4\n% Phu luc I\n1 0 obj << >> endobj\n%%EOF\n".to_vec();
    std::fs::write(dir.join("Phụ lục I.pdf"), &appendix).unwrap();
    // A file over 50 MB (sparse: nothing is written to disk) is refused unread.
    let huge = std::fs::File::create(dir.join("quá lớn.pdf")).unwrap();
    huge.set_len(vanthu_core::store::MAX_FILE_BYTES as u64 + 1).unwrap();
    drop(huge);

    ui.login("hovanphuc");
    ui.click("Soạn thảo");
    ui.click("Công văn");
    // A new draft is saved first, then the file is asked for.
    ui.send_editor(editor::Message::Attach(AttachmentKind::Appendix));
    ui.choose(&dir, "Phụ lục I.pdf");
    assert!(ui.notice().starts_with("Đã đính kèm phụ lục «Phụ lục I.pdf»"), "{}", ui.notice());
    let Page::Editor(page) = ui.shell().page() else { panic!("still in the editor") };
    let id = page.id().expect("the draft was saved");
    let files = ui.app.store_mut().draft_attachments(id).unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!((files[0].kind, files[0].name.as_str()), (AttachmentKind::Appendix, "Phụ lục I.pdf"));
    let Page::Editor(page) = ui.shell().page() else { panic!("still in the editor") };
    let listed: Vec<String> = page.attachments().iter().map(|a| format!("{}. {}", a.position, a.name)).collect();
    assert_eq!(listed, ["1. Phụ lục I.pdf"], "listed in the editor");

    // Too large: a clear refusal, nothing stored.
    ui.send_editor(editor::Message::Attach(AttachmentKind::Supporting));
    ui.choose(&dir, "quá lớn.pdf");
    let notice = ui.shell().notice().cloned().unwrap_or_default();
    assert!(notice.0 && notice.1.contains("lớn hơn 50 MB"), "{notice:?}");
    assert_eq!(ui.app.store_mut().draft_attachments(id).unwrap().len(), 1);

    // Removed from the editor; the audit log keeps both steps.
    ui.send_editor(editor::Message::Detach(files[0].id));
    assert_eq!(ui.notice(), "Đã bỏ tệp đính kèm.");
    assert!(ui.app.store_mut().draft_attachments(id).unwrap().is_empty());
    let Page::Editor(page) = ui.shell().page() else { panic!("still in the editor") };
    assert!(page.attachments().is_empty(), "gone from the editor");
    assert_eq!(ui.app.store_mut().verify().unwrap(), None);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn another_user_cannot_attach_to_a_draft_that_is_not_theirs() {
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    let dir = temp_dir("attach-other");
    std::fs::write(dir.join("x.pdf"), b"%PDF-1.4\n").unwrap();
    let store = ui.app.store_mut();
    let drafter = store.login("hovanphuc", vanthu_core::demo::DEMO_PASSWORD).unwrap();
    let draft = store
        .documents_for(&drafter)
        .unwrap()
        .into_iter()
        .find(|d| d.state == OutgoingState::Draft.code())
        .expect("a demo draft")
        .id;
    // The văn thư forges the job the page would send: the core refuses it.
    let vanthu = Box::new(store.login("lythihongnhung", vanthu_core::demo::DEMO_PASSWORD).unwrap());
    let job = crate::gui::job::Job::AttachToDraft {
        id: draft,
        kind: AttachmentKind::Supporting,
        by: vanthu,
        from: Some(dir.join("x.pdf")),
    };
    let done = crate::gui::job::run(&job, ui.app.store_mut(), false, &mut |_, _| {});
    let crate::gui::job::Done::Attached(Err(e)) = done else { panic!("refused: {done:?}") };
    assert!(e.starts_with("Không được phép"), "{e}");
    assert!(e.chars().next().is_some_and(char::is_uppercase), "a sentence: {e}");
    assert!(ui.app.store_mut().draft_attachments(draft).unwrap().is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_signing_dialog_takes_the_key_file_from_a_file_dialog() {
    use document::digital::DigitalMessage;
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    let dir = temp_dir("pick-key");
    std::fs::write(dir.join("chu-ky.p12"), b"not really a key").unwrap();
    let store = ui.app.store_mut();
    let leader = store.login("hoangminhduc", vanthu_core::demo::DEMO_PASSWORD).unwrap();
    let today = chrono::Local::now().date_naive();
    let waiting = store
        .documents_for(&leader)
        .unwrap()
        .into_iter()
        .find(|d| store.available_actions(&leader, d.id, today).unwrap().contains(&vanthu_core::workflow::Action::Sign))
        .expect("a demo document the leader signs");
    ui.login("hoangminhduc");
    ui.click("Duyệt / Ký");
    ui.click(waiting.subject.as_deref().unwrap());
    ui.click("Ký số…");
    ui.click("Chọn tệp…");
    ui.choose(&dir, "chu-ky.p12");
    let Page::Document(page) = ui.shell().page() else { panic!("the document page") };
    let dialog = page.digital_dialog().expect("the signing dialog stays open");
    let key = dialog.key().expect("the path was filled in");
    assert!(format!("{key:?}").contains("chu-ky.p12"), "{key:?}");
    // Reading it fails clearly (not a PKCS #12 file), in Vietnamese.
    let _ = ui.app.update(Message::Main(shell::Message::Document(document::Message::Digital(DigitalMessage::Secret(
        "x".into(),
    )))));
    ui.click("Đọc chứng thư");
    let Page::Document(page) = ui.shell().page() else { panic!("the document page") };
    let error = page.digital_dialog().and_then(|d| d.error.clone()).unwrap_or_default();
    assert!(!error.is_empty() && error.chars().next().is_some_and(char::is_uppercase), "{error:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_signing_dialog_never_shows_the_password_or_pin_in_logs() {
    use document::digital::{DigitalDialog, DigitalMessage};
    let mut dialog = DigitalDialog::new(vanthu_core::workflow::Action::Sign);
    for m in [
        DigitalMessage::Path("/tmp/k.p12".into()),
        DigitalMessage::Secret("mật-khẩu-tệp-BÍ-MẬT".into()),
        DigitalMessage::Password("mật-khẩu-người-dùng-BÍ-MẬT".into()),
    ] {
        dialog.edit(&m);
    }
    let shown = format!("{dialog:?} {:?}", dialog.key().unwrap());
    assert!(shown.contains("/tmp/k.p12"), "{shown}");
    assert!(!shown.contains("BÍ-MẬT"), "{shown}");
}

#[test]
fn xem_never_hands_a_program_to_the_viewer() {
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    let subject = "V/v đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình và thanh toán trực tuyến";
    let store = ui.app.store_mut();
    let vanthu = store.login("lythihongnhung", vanthu_core::demo::DEMO_PASSWORD).unwrap();
    let id = store.list_incoming().unwrap().into_iter().find(|i| i.subject == subject).unwrap().id;
    let evil =
        vanthu_core::store::NewFile { name: "hoa-don\u{1b}[31m.exe".into(), bytes: b"MZ\x90\x00".to_vec(), kind: None };
    store.attach_incoming_files(&vanthu, id, &[evil], chrono::Local::now()).unwrap();
    let file = store.incoming_files(&vanthu, id).unwrap().pop().unwrap();
    let job = crate::gui::job::Job::OpenIncomingFile {
        incoming: id,
        position: file.position,
        name: file.safe_name.clone(),
        by: Box::new(vanthu),
    };
    let done = crate::gui::job::run(&job, ui.app.store_mut(), false, &mut |_, _| {});
    let crate::gui::job::Done::Written(Err(e)) = done else { panic!("refused: {done:?}") };
    assert!(e.contains("Lưu tệp…"), "{e}");
    let folder = std::env::temp_dir().join(format!("vanthu-xem-{}", std::process::id()));
    assert!(!folder.join(&file.safe_name).exists(), "nothing written for the viewer");
    assert!(!file.safe_name.contains('\u{1b}'), "no control character in the name: {:?}", file.safe_name);
}

/// Issue #14: the dialogs that open a file (a package to check, a backup to restore)
/// fall back to the in-app dialog (folder browser and the folder's files of that
/// kind) when the system's cannot open; a cancel says "Đã hủy", a failure says why.
#[test]
fn opening_a_file_uses_the_in_app_dialog_when_the_system_one_cannot_open() {
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let dir = std::env::temp_dir().join(format!("vanthu-open-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("Lưu trữ")).unwrap();
    std::fs::write(dir.join("không phải gói.zip"), b"not a zip").unwrap();
    std::fs::write(dir.join("ghi chú.txt"), b"x").unwrap();
    std::fs::write(dir.join("bản sao hỏng.db"), b"not a database").unwrap();
    let mut ui = Ui::demo();
    let send = |ui: &mut Ui, m: save_dialog::Message| {
        let _ = ui.app.update(Message::Main(shell::Message::SaveDialog(m)));
    };
    ui.login("lythihongnhung");
    ui.click("Hồ sơ, lưu trữ");
    // A .zip package: only folders and .zip files are listed.
    ui.click("Kiểm tra gói .zip…");
    assert!(ui.shell().save_dialog_open());
    assert!(ui.sees("Chọn gói lưu trữ .zip"));
    assert!(ui.sees("Không mở được hộp thoại chọn tệp của hệ thống; chọn tệp tại đây."));
    send(&mut ui, save_dialog::Message::Folder(dir.display().to_string()));
    assert!(ui.sees("Lưu trữ/") && ui.sees("không phải gói.zip"));
    assert!(!ui.sees("ghi chú.txt") && !ui.sees("bản sao hỏng.db"), "only the kind asked for");
    ui.click("Mở");
    assert!(ui.sees("Hãy chọn một tệp trong danh sách."), "nothing chosen yet");
    ui.click("không phải gói.zip");
    ui.click("Mở");
    assert!(!ui.shell().save_dialog_open());
    let (error, why) = ui.shell().notice().cloned().expect("a notice");
    assert!(error && !why.contains("Đã hủy") && why.len() > 10, "the failure says why: {why}");
    // A package folder: the folder itself is chosen; a cancel is neutral.
    ui.click("Kiểm tra thư mục gói…");
    assert!(ui.sees("Không mở được hộp thoại chọn thư mục của hệ thống; chọn thư mục tại đây."));
    assert!(ui.sees("Chọn thư mục này"));
    ui.click("Hủy");
    assert_eq!(ui.shell().notice(), Some(&(false, "Đã hủy.".to_owned())));
    assert!(ui.shell().notice_is_neutral());
    ui.logout();
    // The administrator restores from a backup: .db files only; a bad file is refused
    // with the reason and the database stays.
    ui.login("admin");
    ui.click("Hồ sơ, lưu trữ");
    ui.click("Khôi phục…");
    assert!(ui.sees("Chọn bản sao lưu để khôi phục"));
    send(&mut ui, save_dialog::Message::Folder(dir.display().to_string()));
    assert!(ui.sees("bản sao hỏng.db") && !ui.sees("không phải gói.zip"));
    ui.click("bản sao hỏng.db");
    ui.click("Mở");
    let (error, why) = ui.shell().notice().cloned().expect("a notice");
    assert!(error && !why.contains("Đã hủy"), "the failure says why: {why}");
    assert!(matches!(ui.app.screen(), Screen::Main(_)), "still signed in: nothing was restored");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A write killed before its rename leaves a hidden `.partial` file; the next write
/// to the same name removes it, and never touches another file's.
#[test]
fn a_killed_write_leaves_no_partial_file_behind_the_next_one() {
    let dir = std::env::temp_dir().join(format!("vanthu-partial-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let stale = dir.join(".bao-cao.pdf.vanthu-1.partial");
    let other = dir.join(".khac.pdf.vanthu-1.partial");
    std::fs::write(&stale, b"half").unwrap();
    std::fs::write(&other, b"half").unwrap();
    let tmp = crate::gui::job::partial_path(&dir.join("bao-cao.pdf"));
    assert!(!stale.exists(), "the killed write's leftover is gone");
    assert!(other.exists(), "another file's is not touched");
    assert_eq!(tmp.parent(), Some(dir.as_path()));
    let name = tmp.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with(".bao-cao.pdf.vanthu-") && name.ends_with(".partial"), "{name}");
    std::fs::remove_dir_all(&dir).unwrap();
}
