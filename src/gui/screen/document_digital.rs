//! The digital-signing dialog of the document page (issue #16, item 5): the signer
//! (at `Ký`) or the văn thư (at `Phát hành`) picks a PKCS #12 file and its password
//! or a PKCS #11 token (module, label, PIN), sees the certificate (subject, issuer,
//! validity) before signing, and signs off the UI thread (on the worker's own
//! database connection; in memory, for tests, on the calling thread). The page
//! lists the PDF's digital signatures with their status.

use std::path::PathBuf;

use iced::widget::{button, column, container, radio, row, text, text_input};
use iced::{Element, Length};
use vanthu_core::pki::keys::{KeySigner, Pkcs11Key, Pkcs12Key};
use vanthu_core::pki::verify::{SignatureReport, Verdict};
use vanthu_core::workflow::Action;
use vanthu_core::{Actor, Store};

use crate::gui::widget::ime_guard::guard;
use crate::gui::{font, theme};

/// Where the key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A PKCS #12 file (.p12, .pfx) and its password.
    Pkcs12,
    /// A PKCS #11 token (USB token, HSM): module, label, PIN.
    Pkcs11,
}

/// The key as the user described it; opened on a worker thread.
#[derive(Clone)]
pub struct KeySource {
    source: Source,
    path: PathBuf,
    token: Option<String>,
    secret: String,
}

impl std::fmt::Debug for KeySource {
    /// Never shows the password or PIN.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySource")
            .field("source", &self.source)
            .field("path", &self.path)
            .field("token", &self.token)
            .field("secret", &"***")
            .finish()
    }
}

impl KeySource {
    /// Opens the key (reads the file or logs in to the token).
    pub fn open(&self) -> Result<Box<dyn KeySigner>, String> {
        match self.source {
            Source::Pkcs12 => {
                let bytes = std::fs::read(&self.path)
                    .map_err(|e| format!("Không đọc được tệp {}: {e}.", self.path.display()))?;
                Ok(Box::new(Pkcs12Key::open(&bytes, &self.secret).map_err(|e| e.to_string())?))
            }
            Source::Pkcs11 => Ok(Box::new(
                Pkcs11Key::open(&self.path, self.token.as_deref(), &self.secret).map_err(|e| e.to_string())?,
            )),
        }
    }

    /// The certificate of the key, to show before signing.
    pub fn certificate(&self) -> Result<Certificate, String> {
        let key = self.open()?;
        let cert = key.certificate();
        Ok(Certificate {
            subject: cert.subject.clone(),
            issuer: cert.issuer.clone(),
            validity: format!(
                "{} đến {}",
                cert.not_before.with_timezone(&chrono::Local).format("%d/%m/%Y"),
                cert.not_after.with_timezone(&chrono::Local).format("%d/%m/%Y")
            ),
        })
    }
}

/// What the dialog shows of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// Subject (the signer or the agency).
    pub subject: String,
    /// Issuer (the CA).
    pub issuer: String,
    /// Validity, `dd/mm/yyyy đến dd/mm/yyyy`.
    pub validity: String,
}

/// A signing to run on a worker: the step, who, the password (at `Ký`) and the key.
#[derive(Clone)]
pub struct DigitalRequest {
    id: i64,
    action: Action,
    actor: Actor,
    password: String,
    key: KeySource,
    comment: Option<String>,
}

impl std::fmt::Debug for DigitalRequest {
    /// Never shows the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DigitalRequest")
            .field("id", &self.id)
            .field("action", &self.action)
            .field("user", &self.actor.user().username)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl DigitalRequest {
    /// Signs or issues on `store`; the notice to show, or the error.
    pub fn run(self, store: &mut Store) -> Result<String, String> {
        let key = self.key.open()?;
        let signing = vanthu_core::store::DigitalSigning { key: key.as_ref(), image: None };
        let now = chrono::Local::now();
        let comment = self.comment.as_deref();
        let outcome = if self.action == Action::Sign {
            store.sign_digitally(self.id, &self.actor, &self.password, now, comment, &signing)
        } else {
            store.issue_digitally(self.id, &self.actor, now, comment, &signing)
        }
        .map_err(|e| crate::gui::session::sentence(&e.to_string()))?;
        let number = outcome.number.map(|n| format!(", số {n}")).unwrap_or_default();
        Ok(format!("{} có chữ ký số: {} → {}{number}.", self.action.label(), outcome.from.label(), outcome.to.label()))
    }

    /// Runs on its own connection to the database at `db` (a worker thread).
    pub fn run_on(self, db: &std::path::Path) -> Result<String, String> {
        let mut store = Store::open_existing(db).map_err(|e| e.to_string())?;
        self.run(&mut store)
    }
}

/// Messages of the dialog.
#[derive(Debug, Clone)]
pub enum DigitalMessage {
    /// Open the dialog for `Ký` or `Phát hành`.
    Open(Action),
    /// File or token.
    Source(Source),
    /// The PKCS #12 file or the PKCS #11 module.
    Path(String),
    /// Choose the file or module in a file dialog.
    Browse,
    /// The token label.
    Token(String),
    /// The file's password or the token's PIN.
    Secret(String),
    /// The user's own password (at `Ký`: the in-app sign-off).
    Password(String),
    /// Read the certificate (off the UI thread).
    Read,
    /// The certificate read (`None`: the worker died).
    CertificateRead(Option<Result<Certificate, String>>),
    /// Sign (off the UI thread).
    Confirm,
    /// The signing finished (`None`: the worker died).
    Done(Option<Result<String, String>>),
}

/// The dialog.
#[derive(Clone)]
pub struct DigitalDialog {
    /// `Ký` or `Phát hành`.
    pub action: Action,
    source: Source,
    path: String,
    token: String,
    secret: String,
    password: String,
    /// The certificate shown.
    pub certificate: Option<Certificate>,
    /// A worker is reading the certificate or signing.
    pub busy: bool,
    /// Why the last try failed.
    pub error: Option<String>,
}

impl std::fmt::Debug for DigitalDialog {
    /// Never shows the password or PIN typed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DigitalDialog")
            .field("action", &self.action)
            .field("source", &self.source)
            .field("path", &self.path)
            .field("token", &self.token)
            .field("certificate", &self.certificate)
            .field("busy", &self.busy)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl DigitalDialog {
    /// An empty dialog for `action`.
    pub fn new(action: Action) -> DigitalDialog {
        DigitalDialog {
            action,
            source: Source::Pkcs12,
            path: String::new(),
            token: String::new(),
            secret: String::new(),
            password: String::new(),
            certificate: None,
            busy: false,
            error: None,
        }
    }

    /// Whether the key is on a PKCS #11 token (else in a PKCS #12 file).
    pub fn is_pkcs11(&self) -> bool {
        self.source == Source::Pkcs11
    }

    /// The key as described, if enough is filled in.
    pub fn key(&self) -> Result<KeySource, String> {
        let path = self.path.trim();
        if path.is_empty() {
            return Err(match self.source {
                Source::Pkcs12 => "Hãy chọn tệp PKCS#12 (.p12, .pfx).".into(),
                Source::Pkcs11 => "Hãy nhập thư viện PKCS#11 của thiết bị ký số (.so, .dll).".into(),
            });
        }
        let token = Some(self.token.trim().to_owned()).filter(|t| !t.is_empty() && self.source == Source::Pkcs11);
        Ok(KeySource { source: self.source, path: PathBuf::from(path), token, secret: self.secret.clone() })
    }

    /// The request to sign, once the certificate was shown.
    pub fn request(&self, id: i64, actor: &Actor, comment: Option<String>) -> Result<DigitalRequest, String> {
        if self.certificate.is_none() {
            return Err("Hãy đọc chứng thư số và kiểm tra trước khi ký.".into());
        }
        if self.action == Action::Sign && self.password.is_empty() {
            return Err("Hãy nhập lại mật khẩu của bạn để ký.".into());
        }
        Ok(DigitalRequest {
            id,
            action: self.action,
            actor: actor.clone(),
            password: self.password.clone(),
            key: self.key()?,
            comment,
        })
    }

    /// Applies an edit (another key clears the certificate shown).
    pub fn edit(&mut self, message: &DigitalMessage) {
        match message {
            DigitalMessage::Source(s) => self.source = *s,
            DigitalMessage::Path(p) => self.path = p.clone(),
            DigitalMessage::Token(t) => self.token = t.clone(),
            DigitalMessage::Secret(s) => self.secret = s.clone(),
            DigitalMessage::Password(p) => {
                self.password = p.clone();
                return;
            }
            _ => return,
        }
        // Another key: its certificate must be read again.
        self.certificate = None;
    }

    /// Draws the dialog.
    pub fn view<'a, M: Clone + 'a>(&'a self, to: impl Fn(DigitalMessage) -> M + Copy + 'a, close: M) -> Element<'a, M> {
        let title = if self.action == Action::Sign {
            "Ký số văn bản"
        } else {
            "Phát hành: đóng dấu số của cơ quan"
        };
        let source = row![
            radio("Tệp PKCS#12", Source::Pkcs12, Some(self.source), move |s| to(DigitalMessage::Source(s))),
            radio("Thiết bị ký số (PKCS#11)", Source::Pkcs11, Some(self.source), move |s| to(
                DigitalMessage::Source(s)
            )),
        ]
        .spacing(16);
        let (path_label, secret_label) = match self.source {
            Source::Pkcs12 => ("Tệp PKCS#12 (.p12, .pfx)", "Mật khẩu tệp"),
            Source::Pkcs11 => ("Thư viện PKCS#11 (.so, .dll)", "Mã PIN"),
        };
        let mut dialog = column![
            text(title).size(theme::HEADING).font(font::BOLD),
            source,
            text(path_label).size(12),
            row![
                text_input("/đường/dẫn", &self.path)
                    .id(iced::widget::Id::new("digital-path"))
                    .on_input(move |p| to(DigitalMessage::Path(p)))
                    .padding(6),
                button(text("Chọn tệp…")).on_press(to(DigitalMessage::Browse)).style(button::secondary),
            ]
            .spacing(6)
            .align_y(iced::Alignment::Center),
        ]
        .spacing(6);
        if self.source == Source::Pkcs11 {
            dialog = dialog.push(text("Nhãn thiết bị (khi có nhiều)").size(12)).push(
                text_input("nhãn", &self.token)
                    .id(iced::widget::Id::new("digital-token"))
                    .on_input(move |t| to(DigitalMessage::Token(t)))
                    .padding(6),
            );
        }
        dialog = dialog.push(text(secret_label).size(12)).push(guard(
            text_input(secret_label, &self.secret)
                .id(iced::widget::Id::new("digital-secret"))
                .on_input(move |s| to(DigitalMessage::Secret(s)))
                .on_submit(to(DigitalMessage::Read))
                .secure(true)
                .padding(6),
        ));
        let read = if self.busy && self.certificate.is_none() {
            button(text("Đang đọc chứng thư…"))
        } else {
            button(text("Đọc chứng thư")).on_press(to(DigitalMessage::Read)).style(button::secondary)
        };
        dialog = dialog.push(read);
        if let Some(cert) = &self.certificate {
            dialog = dialog.push(
                container(
                    column![
                        text("Chứng thư số").font(font::BOLD),
                        text(format!("Chủ thể: {}", cert.subject)),
                        text(format!("Cấp bởi: {}", cert.issuer)),
                        text(format!("Hiệu lực: {}", cert.validity)),
                    ]
                    .spacing(2),
                )
                .padding(8)
                .width(Length::Fill)
                .style(container::rounded_box),
            );
            if self.action == Action::Sign {
                dialog = dialog.push(text("Mật khẩu của bạn (ký trong ứng dụng)").size(12)).push(guard(
                    text_input("Mật khẩu", &self.password)
                        .id(iced::widget::Id::new("digital-password"))
                        .on_input(move |p| to(DigitalMessage::Password(p)))
                        .on_submit(to(DigitalMessage::Confirm))
                        .secure(true)
                        .padding(6),
                ));
            }
        }
        // The error's room is kept: the buttons below never move.
        dialog = dialog.push(crate::gui::widget::slot::error(self.error.as_deref()));
        let confirm_label = if self.action == Action::Sign { "Ký số" } else { "Đóng dấu số và phát hành" };
        let confirm = if self.busy && self.certificate.is_some() {
            button(text("Đang ký…"))
        } else if self.certificate.is_some() {
            button(text(confirm_label)).on_press(to(DigitalMessage::Confirm))
        } else {
            button(text(confirm_label))
        };
        dialog = dialog.push(row![button(text("Hủy")).on_press(close).style(button::secondary), confirm].spacing(8));
        container(dialog).padding(20).width(520).style(container::bordered_box).into()
    }
}

/// The status word of a verdict and its colour.
pub fn verdict_label(verdict: &Verdict) -> (&'static str, iced::Color) {
    match verdict {
        Verdict::Valid => ("hợp lệ", theme::OK),
        Verdict::Untrusted(_) => ("không tin cậy", theme::WARNING),
        Verdict::Invalid(_) => ("không hợp lệ", theme::ERROR),
    }
}

/// The digital signatures of the document's signed PDF, checked against the
/// office's trusted roots.
pub fn reports(store: &Store, id: i64) -> Result<Vec<SignatureReport>, String> {
    let Some(bytes) = store.signed_pdf(id).map_err(|e| e.to_string())? else { return Ok(Vec::new()) };
    let trusted = store.trusted_certificates().map_err(|e| e.to_string())?;
    vanthu_core::pki::verify::verify_signed(&bytes, &trusted).map_err(|e| e.to_string())
}

/// The list of digital signatures on the page.
pub fn reports_view<'a, M: 'a>(reports: &'a [SignatureReport]) -> Element<'a, M> {
    if reports.is_empty() {
        return column![].into();
    }
    let mut list = column![text("Chữ ký số trên PDF").size(theme::HEADING).font(font::BOLD)].spacing(4);
    for report in reports {
        let (status, colour) = verdict_label(&report.verdict);
        // In the machine's time, as every other time of the page (the sign-offs, the
        // history); the offset written in the PDF is kept by the report itself.
        let when = report
            .time
            .map(|t| format!("Ký lúc {}", t.with_timezone(&chrono::Local).format("%H:%M:%S ngày %d/%m/%Y")))
            .unwrap_or_default();
        let why = match &report.verdict {
            Verdict::Valid => String::new(),
            Verdict::Untrusted(why) | Verdict::Invalid(why) => why.clone(),
        };
        let mut item = column![
            row![text(report.signer.as_str()).font(font::BOLD), text(format!("— {status}")).color(colour)].spacing(6),
            text(when).size(12).color(theme::MUTED),
        ]
        .spacing(1);
        if !why.is_empty() {
            item = item.push(text(why).size(12).color(colour));
        }
        list = list.push(item);
    }
    list.push(text(vanthu_core::pki::verify::REVOCATION_NOTE).size(11).color(theme::MUTED)).into()
}

/// The files attached to the document, with the agency's signature once issued;
/// `detach` (the drafter of a draft) adds a button to remove each file.
pub fn attachments_view<'a, M: Clone + 'a>(
    files: &'a [vanthu_core::store::Attachment],
    detach: Option<fn(i64) -> M>,
) -> Element<'a, M> {
    if files.is_empty() {
        return column![].into();
    }
    let mut list = column![text("Tệp kèm theo").size(theme::HEADING).font(font::BOLD)].spacing(4);
    for file in files {
        let (status, colour) = match file.signature.as_ref().map(|s| s.form.as_str()) {
            Some("pades") => ("cơ quan đã ký số", theme::OK),
            Some(_) => ("cơ quan đã ký số (tệp .p7s kèm theo)", theme::OK),
            None => ("chưa ký số", theme::MUTED),
        };
        let item = column![
            text(format!("{}. {}: {}", file.position, file.kind.label(), file.name)),
            text(format!("{} · {status}", size_text(file.size))).size(12).color(colour),
        ]
        .spacing(1)
        .width(Length::Fill);
        let mut line = row![item].spacing(8).align_y(iced::Alignment::Center);
        if let Some(detach) = detach {
            line = line.push(button(text("Bỏ").size(13)).on_press(detach(file.id)).style(button::danger));
        }
        list = list.push(line);
    }
    list.into()
}

/// A file size in people's units (`850 byte`, `12,5 KB`, `3,2 MB`).
pub fn size_text(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b < 1024.0 {
        format!("{bytes} byte")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.1} KB", b / 1024.0).replace('.', ",")
    } else {
        format!("{:.1} MB", b / 1024.0 / 1024.0).replace('.', ",")
    }
}
