//! Simulator journey of the digital-signing dialog (issue #16, item 5), with a
//! throwaway CA and a PKCS #12 file made by `openssl` at test time (no key is
//! committed): the signer picks the file, sees the certificate, and signs; an
//! untrusted certificate is refused in the dialog; the page lists the PDF's
//! digital signatures with their status.

use std::path::{Path, PathBuf};
use std::process::Command;

use iced::Settings;
use iced_test::{Simulator, selector};
use vanthu_core::Store;
use vanthu_core::model::OutgoingState;
use vanthu_core::workflow::Action;

use super::app::{App, Message, Screen};
use super::font;
use super::screen::shell::Page;

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl runs");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A CA (`ca.pem`) and a PKCS #12 file for `cn` (password `p12pass`) in `dir`.
fn make_p12(dir: &Path, cn: &str) -> PathBuf {
    openssl(
        dir,
        &["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem"]
            .into_iter()
            .chain(["-days", "30", "-subj", "/CN=GUI Test CA", "-addext", "basicConstraints=critical,CA:TRUE"])
            .collect::<Vec<_>>(),
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "s.key",
            "-out",
            "s.csr",
            "-subj",
            &format!("/CN={cn}"),
            "-utf8",
        ],
    );
    std::fs::write(
        dir.join("leaf.ext"),
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "s.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "s.pem",
            "-days",
            "10",
            "-extfile",
            "leaf.ext",
        ],
    );
    openssl(
        dir,
        &[
            "pkcs12",
            "-export",
            "-inkey",
            "s.key",
            "-in",
            "s.pem",
            "-certfile",
            "ca.pem",
            "-out",
            "s.p12",
            "-passout",
            "pass:p12pass",
        ],
    );
    dir.join("s.p12")
}

struct Ui {
    app: App,
}

impl Ui {
    fn with<T>(&mut self, f: impl FnOnce(&mut Simulator<'_, Message>) -> T) -> T {
        let settings = Settings {
            fonts: vec![font::REGULAR_BYTES.into(), font::BOLD_BYTES.into(), font::ITALIC_BYTES.into()],
            default_font: font::UI,
            ..Settings::default()
        };
        let (out, messages) = {
            let mut ui = Simulator::with_size(settings, (1280.0, 820.0), self.app.view());
            let out = f(&mut ui);
            (out, ui.into_messages().collect::<Vec<_>>())
        };
        let mut queue: std::collections::VecDeque<Message> = messages.into();
        while let Some(m) = queue.pop_front() {
            let task = self.app.update(m);
            queue.extend(super::worker::finish(task));
        }
        out
    }

    fn click(&mut self, label: &str) {
        if let Err(e) = self.with(|ui| ui.click(label).map(|_| ())) {
            panic!("cannot click {label:?}: {e:?}");
        }
    }

    fn sees(&mut self, label: &str) -> bool {
        self.with(|ui| ui.find(label).is_ok())
    }

    fn type_in(&mut self, id: &'static str, text: &str) {
        let text = text.to_owned();
        let found = self.with(move |ui| {
            ui.click(selector::id(id)).map(|_| ())?;
            ui.typewrite(&text);
            Ok::<_, iced_test::Error>(())
        });
        if let Err(e) = found {
            panic!("cannot type in {id:?}: {e:?}");
        }
    }

    fn page(&self) -> &super::screen::document::State {
        let Screen::Main(shell) = self.app.screen() else { panic!("not signed in") };
        let Page::Document(page) = shell.page() else { panic!("not a document page") };
        page
    }
}

#[test]
fn the_signer_picks_a_pkcs12_file_sees_the_certificate_and_signs_digitally() {
    let _guard = super::tests::SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let dir = std::env::temp_dir().join(format!("vanthu-gui-digital-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    let mut store = Store::open_in_memory().unwrap();
    vanthu_core::demo::load_demo(&mut store, chrono::Local::now().date_naive()).unwrap();
    let drafter = store.login("hovanphuc", "demo").unwrap();
    let mut doc = store.draft_template(&drafter, vanthu_core::model::Family::State, "quyet-dinh").unwrap();
    doc.subject = Some("Ban hành Quy chế ký số văn bản của Văn phòng".into());
    doc.bases = vec![
        "Căn cứ Luật Giao dịch điện tử ngày 22 tháng 6 năm 2023;".into(),
        "Theo đề nghị của Trưởng phòng Hành chính - Tổ chức.".into(),
    ];
    for (i, text) in [
        "Ban hành kèm theo Quyết định này Quy chế ký số.",
        "Quyết định này có hiệu lực kể từ ngày ký.",
        "Các phòng thuộc Văn phòng chịu trách nhiệm thi hành Quyết định này./.",
    ]
    .into_iter()
    .enumerate()
    {
        doc.body[i].text = Some(text.into());
    }
    let now = chrono::Local::now();
    let id = store.create_draft(&drafter, &doc, now).unwrap();
    // An appendix file attached to the draft is listed on the page.
    store
        .attach_to_draft(
            &drafter,
            id,
            "Phụ lục I.pdf",
            b"%PDF-1.4\n",
            vanthu_core::store::AttachmentKind::Appendix,
            now,
        )
        .unwrap();
    for (user, action) in
        [("hovanphuc", Action::Submit), ("doquanghuy", Action::Approve), ("lythihongnhung", Action::CheckFormat)]
    {
        let actor = store.login(user, "demo").unwrap();
        store.transition(id, action, &actor, now, None).unwrap_or_else(|e| panic!("{user} {action:?}: {e}"));
    }
    let p12 = make_p12(&dir, &doc.signer.name);
    let mut ui = Ui { app: App::with_store(store) };

    ui.type_in("login-user", "phamvanthang");
    ui.type_in("login-password", "demo");
    ui.click("Đăng nhập");
    ui.click("Duyệt / Ký");
    ui.click("Ban hành Quy chế ký số văn bản của Văn phòng");
    assert!(ui.sees("1. Phụ lục: Phụ lục I.pdf"), "the attached file is listed");
    ui.click("Ký số…");
    assert!(ui.page().digital_dialog().is_some(), "the dialog opens");
    assert!(ui.sees("Ký số văn bản"), "its title");
    assert!(ui.sees("Tệp PKCS#12 (.p12, .pfx)"), "the file field");
    // Nothing chosen: the dialog says what is missing.
    ui.click("Đọc chứng thư");
    assert!(ui.sees("Hãy chọn tệp PKCS#12 (.p12, .pfx)."));
    ui.type_in("digital-path", p12.to_str().unwrap());
    ui.type_in("digital-secret", "sai mật khẩu");
    ui.click("Đọc chứng thư");
    assert!(ui.page().digital_dialog().unwrap().certificate.is_none(), "a wrong password opens nothing");
    assert!(ui.page().digital_dialog().unwrap().error.is_some());
    // The right password: the certificate is shown before signing.
    let _ = ui.app.update(Message::Main(super::screen::shell::Message::Document(
        super::screen::document::Message::Digital(super::screen::document::digital::DigitalMessage::Secret(
            "p12pass".into(),
        )),
    )));
    ui.click("Đọc chứng thư");
    let subject = format!("Chủ thể: CN={}", doc.signer.name);
    assert!(ui.sees(&subject), "the certificate is shown: {:?}", ui.page().digital_dialog());
    assert!(ui.sees("Cấp bởi: CN=GUI Test CA"));
    // Not yet trusted by the office: refused, nothing signed.
    ui.type_in("digital-password", "demo");
    ui.click("Ký số");
    let error = ui.page().digital_dialog().unwrap().error.clone().unwrap_or_default();
    assert!(error.to_lowercase().contains("không tin cậy") && !error.contains("untrusted"), "{error}");
    assert_eq!(ui.app.store_mut().document(id).unwrap().unwrap().state, OutgoingState::AwaitingSignature);

    // The administrator trusts the CA; now the signer signs.
    let store = ui.app.store_mut();
    let admin = store.login("admin", "demo").unwrap();
    store.trust_certificates(&admin, &std::fs::read(dir.join("ca.pem")).unwrap()).unwrap();
    ui.click("Ký số");
    assert_eq!(ui.app.store_mut().document(id).unwrap().unwrap().state, OutgoingState::Signed);
    assert!(ui.page().digital_dialog().is_none(), "the dialog closes");
    let reports = ui.page().digital_reports();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].verdict, vanthu_core::pki::verify::Verdict::Valid);
    assert!(ui.sees("Chữ ký số trên PDF") && ui.sees("— hợp lệ"));
    let _ = std::fs::remove_dir_all(&dir);
}
