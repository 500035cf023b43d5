//! What every screen after login works with: the store, the signed-in actor and
//! the rules in force.

use chrono::{DateTime, Local};
use vanthu_core::model::Role;
use vanthu_core::rules::Finding;
use vanthu_core::workflow::{Action, IncomingAction};
use vanthu_core::{Actor, Store};

use crate::check::Setup;

/// The store and the signed-in user, lent to a screen for one update.
pub struct Ctx<'a> {
    /// The database.
    pub store: &'a mut Store,
    /// Who is signed in.
    pub actor: &'a Actor,
    /// Rulesets, office facts and calendar.
    pub setup: &'a Setup,
}

impl Ctx<'_> {
    /// The current time.
    pub fn now(&self) -> DateTime<Local> {
        Local::now()
    }

    /// Today.
    pub fn today(&self) -> chrono::NaiveDate {
        self.now().date_naive()
    }

    /// The 4-đúng findings of a document today.
    pub fn check(&self, document: &vanthu_core::model::Document) -> Vec<Finding> {
        self.setup.check(document, self.today())
    }

    /// The actor's roles.
    pub fn roles(&self) -> &[Role] {
        &self.actor.user().roles
    }
}

/// The entries of the navigation sidebar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// Việc của tôi.
    Dashboard,
    /// Soạn thảo.
    Editor,
    /// Duyệt / Ký.
    Review,
    /// Văn thư: format check, numbering, issuing.
    VanThu,
    /// Văn bản đến.
    Incoming,
    /// Sổ đăng ký.
    Registers,
    /// Quản trị.
    Admin,
    /// Hồ sơ, lưu trữ.
    Archive,
    /// Tra cứu.
    Search,
    /// Nhật ký.
    Audit,
}

impl Nav {
    /// Every entry, in sidebar order.
    pub const ALL: [Nav; 10] = [
        Nav::Dashboard,
        Nav::Editor,
        Nav::Review,
        Nav::VanThu,
        Nav::Incoming,
        Nav::Registers,
        Nav::Archive,
        Nav::Search,
        Nav::Admin,
        Nav::Audit,
    ];

    /// Sidebar label.
    pub fn label(self) -> &'static str {
        match self {
            Nav::Dashboard => "Việc của tôi",
            Nav::Editor => "Soạn thảo",
            Nav::Review => "Duyệt / Ký",
            Nav::VanThu => "Văn thư",
            Nav::Incoming => "Văn bản đến",
            Nav::Registers => "Sổ đăng ký",
            Nav::Archive => "Hồ sơ, lưu trữ",
            Nav::Search => "Tra cứu",
            Nav::Admin => "Quản trị",
            Nav::Audit => "Nhật ký",
        }
    }

    /// Whether `roles` may use the entry, from the core's workflow tables: an entry
    /// is shown only when the core would let the user take one of its steps.
    pub fn allowed(self, roles: &[Role]) -> bool {
        use vanthu_core::model::OutgoingState as S;
        let may = |action: Action, state: S| action.roles(state).iter().any(|r| roles.contains(r));
        let may_incoming = |action: IncomingAction| action.roles().is_some_and(|r| r.iter().any(|r| roles.contains(r)));
        match self {
            Nav::Dashboard | Nav::Audit | Nav::Search => true,
            Nav::Archive => [Role::VanThu, Role::Archivist, Role::Admin].iter().any(|r| roles.contains(r)),
            Nav::Editor => may(Action::Submit, S::Draft),
            Nav::Review => may(Action::Approve, S::ContentReview) || may(Action::Sign, S::AwaitingSignature),
            Nav::VanThu => may(Action::CheckFormat, S::FormatCheck) || may(Action::Number, S::Signed),
            // Anyone may be given a letter to handle (lead or co-handler): the list
            // then holds only the letters the records let them see.
            Nav::Incoming => IncomingAction::ALL.into_iter().any(may_incoming) || !roles.is_empty(),
            Nav::Registers => {
                may(Action::Number, S::Signed)
                    || may(Action::File, S::Issued)
                    || may(Action::Sign, S::AwaitingSignature)
            }
            Nav::Admin => roles.contains(&Role::Admin),
        }
    }
}

/// What a page asks the shell to do after an update.
#[derive(Debug)]
pub enum Go {
    /// Nothing.
    Stay,
    /// Open a sidebar entry.
    Open(Nav),
    /// Open a document's page.
    Document(i64),
    /// Open a dossier's page.
    Dossier(i64),
    /// Open an incoming letter's card.
    Incoming(i64),
    /// Open a draft in the editor.
    Edit(i64),
    /// Show a message.
    Notice(String),
    /// Show a neutral message (a cancel: neither success nor failure).
    Info(String),
    /// The office's rules, calendar, people or authority changed: reload what the
    /// checks use, then show the message.
    RulesChanged(String),
    /// Show an error.
    Error(String),
    /// Focus a widget.
    Focus(iced::widget::Id),
    /// Run long work off the UI thread.
    Run(crate::gui::job::Job),
    /// Unlock the signer's key with the password typed, off the UI thread; the
    /// document page gets [`crate::gui::screen::document::Message::Unlocked`].
    Unlock(Box<vanthu_core::store::SignAttempt>, String),
    /// Open a signing key off the UI thread and show its certificate in the
    /// document page's digital-signing dialog.
    ReadCertificate(crate::gui::screen::document::digital::KeySource),
    /// Sign or issue with a certificate off the UI thread (its own connection).
    SignDigitally(Box<crate::gui::screen::document::digital::DigitalRequest>),
}

/// The Vietnamese name of an audit action code (workflow steps, incoming steps,
/// dossier steps, the system's own); a code it does not know says "Thao tác khác".
pub fn action_label(code: &str) -> &str {
    if let Some(action) = Action::from_code(code) {
        return action.label();
    }
    if let Some(action) = IncomingAction::from_code(code) {
        return action.label();
    }
    match code {
        "create" => "Tạo",
        "demo" => "Nạp dữ liệu mẫu",
        "edit" => "Sửa",
        "import" => "Nhập",
        "receive" => "Tiếp nhận",
        "attach-file" => "Đính kèm tệp",
        "recheck-file" => "Kiểm tra lại chữ ký số của tệp",
        "add" => "Thêm văn bản vào hồ sơ",
        "add-to-dossier" => "Đưa vào hồ sơ",
        "remove" => "Bỏ văn bản khỏi hồ sơ",
        "close" => "Đóng hồ sơ",
        "reopen" => "Mở lại hồ sơ",
        "refused" => "Bị từ chối",
        "create-agency" => "Tạo cơ quan",
        "create-unit" => "Tạo đơn vị",
        "create-position" => "Tạo chức vụ",
        "create-person" => "Thêm cán bộ",
        "create-user" => "Tạo tài khoản",
        "grant-authority" => "Giao quyền ký",
        "revoke-authority" => "Thu hồi quyền ký",
        "create-delegation" => "Ghi ủy quyền",
        "end-delegation" => "Chấm dứt ủy quyền",
        "set-override" => "Điều chỉnh quy tắc, lịch",
        "set-access" => "Đổi vai trò tài khoản",
        "backup" => "Sao lưu cơ sở dữ liệu",
        "restored" | "restore" => "Khôi phục từ bản sao lưu",
        "attach" => "Đính kèm tệp",
        "detach" => "Bỏ tệp đính kèm",
        "archive-import" => "Nhập từ gói lưu trữ",
        "trust-certificate" => "Tin cậy chứng thư gốc",
        "bind-certificate" => "Gắn chứng thư số",
        "bind-image" => "Lưu ảnh chữ ký, con dấu",
        // A code this window does not know yet: no English on the screen.
        _ => "Thao tác khác",
    }
}

/// Full names of the accounts, by user name (history and audit lines name people,
/// not accounts).
pub fn full_names(store: &vanthu_core::Store) -> std::collections::HashMap<String, String> {
    store.users().unwrap_or_default().into_iter().map(|u| (u.username, u.full_name)).collect()
}

/// The person behind an audit line: the full name when the account is known, else
/// "hệ thống" for the system's own events, else the name as recorded.
pub fn person(names: &std::collections::HashMap<String, String>, username: &str) -> String {
    match names.get(username) {
        Some(full) => full.clone(),
        None if username.is_empty() || username == "system" => "Hệ thống".to_owned(),
        None => username.to_owned(),
    }
}

/// The Vietnamese name of a role code recorded in the audit log.
pub fn role_name(code: &str) -> String {
    match vanthu_core::model::Role::from_code(code) {
        Some(role) => role.label().to_owned(),
        None => match code {
            "signer" => "người ký".to_owned(),
            "handler" => "người chủ trì xử lý".to_owned(),
            "co-handler" => "người phối hợp xử lý".to_owned(),
            "system" | "" => "hệ thống".to_owned(),
            _ => "vai trò khác".to_owned(),
        },
    }
}

/// The Vietnamese name of an audit subject.
pub fn subject_name(code: &str) -> &'static str {
    match code {
        "document" => "văn bản đi",
        "incoming" => "văn bản đến",
        "dossier" => "hồ sơ",
        "system" => "hệ thống",
        "user" => "tài khoản",
        _ => "mục khác",
    }
}

/// The Vietnamese name of a state code recorded in the audit log (outgoing or
/// incoming states, dossiers open or closed).
pub fn state_name(subject: &str, code: &str) -> String {
    use vanthu_core::model::{IncomingState, OutgoingState};
    let outgoing = OutgoingState::from_code(code).map(|s| s.label());
    let incoming = IncomingState::from_code(code).map(|s| s.label());
    let named = match subject {
        "incoming" => incoming.or(outgoing),
        _ => outgoing.or(incoming),
    };
    match (named, code) {
        (Some(name), _) => name.to_owned(),
        (None, "open") => "Đang mở".to_owned(),
        (None, "closed") => "Đã đóng".to_owned(),
        (None, other) => other.to_owned(),
    }
}

/// A core message as the window shows it ([`crate::gui::wording::sentence`]).
pub fn sentence(message: &str) -> String {
    crate::gui::wording::sentence(message)
}
