//! The command line: every subcommand is a thin shell over a core call.
//!
//! Exit status: 0 success; 1 failure; 2 invalid input (a bad document, bad
//! arguments); 3 the database was refused (newer schema, not a Vanthu file).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use vanthu_core::exchange::parse_document;
use vanthu_core::model::{Family, OutgoingState};
use vanthu_core::store::{ImportOptions, default_path};
use vanthu_core::{Store, StoreError};

use crate::check;

const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
Cách dùng / Usage: {usage}

{all-args}{after-help}";

const AFTER_HELP: &str = "\
Không có lệnh con: mở cửa sổ ứng dụng. / Without a subcommand: opens the application window.
Mã thoát / Exit status: 0 thành công / success; 1 lỗi / failure; 2 dữ liệu vào không hợp lệ / invalid input;
3 cơ sở dữ liệu bị từ chối / database refused; 4 bước bị từ chối (quyền, trạng thái, lỗi) / step refused.";

/// Vanthu — Văn thư 4 đúng.
#[derive(Debug, Parser)]
#[command(
    name = "vanthu",
    version,
    about = "Vanthu — phần mềm văn thư \"4 đúng\" cho văn bản Đảng và Nhà nước.\n\
             Vanthu — \"4 đúng\" records office software for Party and State documents.",
    help_template = HELP_TEMPLATE,
    after_help = AFTER_HELP,
    subcommand_help_heading = "Lệnh / Commands",
    next_help_heading = "Tùy chọn / Options",
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu của người dùng) hoặc máy chủ postgres://… /
    /// Database file (default: the user's data dir) or a postgres://… server.
    #[arg(long, global = true, env = "VANTHU_DB", hide_env_values = true, value_name = "PATH|URL")]
    db: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Khởi tạo cơ sở dữ liệu và quản trị viên đầu tiên / Create the database and its first administrator.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Init {
        /// Tên đăng nhập của quản trị viên / The administrator's user name.
        #[arg(long, value_name = "NAME")]
        admin: String,
        /// Họ và tên / Full name.
        #[arg(long, value_name = "NAME", default_value = "")]
        full_name: String,
    },
    /// Nạp văn phòng mẫu (chạy lại không nhân đôi) / Load the demo office (idempotent).
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Demo,
    /// Nhập một văn bản vanthu.document/1, in mã văn bản mới / Import a vanthu.document/1 file, print the new id.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Import {
        /// Tệp JSON (tối đa 10 MB) / The JSON file (at most 10 MB).
        file: PathBuf,
        /// Văn thư hoặc quản trị viên nhập (mật khẩu từ VANTHU_PASSWORD) / Importing văn thư or administrator.
        #[arg(long = "as", value_name = "USER")]
        as_user: Option<String>,
    },
    /// Xem một văn bản / Show one document.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Show {
        /// Mã văn bản / Document id.
        id: i64,
        /// In đúng định dạng vanthu.document/1 / Print exactly vanthu.document/1.
        #[arg(long)]
        json: bool,
        /// Xem với quyền của người dùng (mật khẩu từ VANTHU_PASSWORD); không có: như văn phòng thấy /
        /// View as this user; without it, what the office sees (no unsubmitted draft).
        #[arg(long = "as", value_name = "USER")]
        as_user: Option<String>,
    },
    /// Kiểm tra 4 đúng một văn bản JSON / Check a JSON document for the 4 đúng.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Check {
        /// Tệp vanthu.document/1 / The vanthu.document/1 file.
        file: PathBuf,
        /// In kết quả JSON / Print the JSON findings.
        #[arg(long)]
        json: bool,
        /// Ngày so sánh (YYYY-MM-DD, mặc định hôm nay) / Date the time rules compare against.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Sửa tự động mọi lỗi sửa được / Apply every safe autofix.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Fix {
        /// Tệp vanthu.document/1 / The vanthu.document/1 file.
        file: PathBuf,
        /// Tệp kết quả / Output file.
        #[arg(long, value_name = "FIXED.json")]
        out: PathBuf,
        /// Ngày so sánh (YYYY-MM-DD) / Date the time rules compare against.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// In danh mục quy tắc / Print the rule catalogue.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Rules {
        /// In JSON / Print JSON.
        #[arg(long)]
        json: bool,
        /// In Markdown (docs/rules.md) / Print Markdown (docs/rules.md).
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
    },
    /// Điều chỉnh bộ quy tắc của cơ quan (quản trị viên) / Set the office's ruleset override (administrator).
    #[command(name = "rules-override", help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    RulesOverride {
        /// Hệ văn bản: state hoặc party / Family: state or party.
        #[arg(long)]
        family: String,
        /// Tệp TOML điều chỉnh; bỏ trống cùng --clear để xóa / Override TOML file.
        file: Option<PathBuf>,
        /// Xóa điều chỉnh / Remove the override.
        #[arg(long, conflicts_with = "file")]
        clear: bool,
        /// Người dùng thực hiện (mật khẩu từ VANTHU_PASSWORD) / Acting user (password from VANTHU_PASSWORD).
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
    },
    /// Ngày nghỉ trong năm (lễ, Tết, nghỉ bù) / The days off of a year.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Calendar {
        /// Năm / Year.
        year: i32,
    },
    /// Điều chỉnh lịch nghỉ của cơ quan (quản trị viên) / Set the office's calendar override (administrator).
    #[command(name = "calendar-override", help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    CalendarOverride {
        /// Tệp TOML ([week], [[solar]], [[year]]) / Override TOML file.
        file: Option<PathBuf>,
        /// Xóa điều chỉnh / Remove the override.
        #[arg(long, conflicts_with = "file")]
        clear: bool,
        /// Người dùng thực hiện (mật khẩu từ VANTHU_PASSWORD) / Acting user.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
    },
    /// Tính hạn theo ngày làm việc / Compute a due date in working days.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Deadline {
        /// Ngày bắt đầu (YYYY-MM-DD) / Start date.
        #[arg(long, value_name = "DATE")]
        from: String,
        /// Số ngày làm việc / Number of working days.
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        working_days: i64,
    },
    /// Đổi ngày dương lịch sang âm lịch (UTC+7) / Convert a solar date to the lunar calendar.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Lunar {
        /// Ngày dương lịch (YYYY-MM-DD) / Solar date.
        date: String,
    },
    /// Một bước quy trình văn bản đi / One workflow step on an outgoing document.
    ///
    /// ACTION: new FILE.json | attach ID --file F | detach ATTACHMENT_ID | attachments ID | submit | approve | return | check-format | sign | number | issue | file | recall
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Doc {
        /// Bước / Step: new, edit, versions, diff, attach, detach, attachments, submit, approve, return, check-format, sign, number, issue, file, recall.
        action: String,
        /// Mã văn bản (hoặc tệp JSON với `new`) / Document id (or the JSON file for `new`).
        target: String,
        /// Người thực hiện (mật khẩu từ VANTHU_PASSWORD) / Acting user (password from VANTHU_PASSWORD).
        #[arg(long = "as", value_name = "USER")]
        as_user: Option<String>,
        /// Ý kiến (bắt buộc khi trả lại, thu hồi) / Comment (required to return or recall).
        #[arg(long)]
        comment: Option<String>,
        /// Tệp JSON của bản sửa (edit) / The edited JSON file (edit).
        #[arg(long)]
        file: Option<PathBuf>,
        /// So sánh từ phiên bản (diff) / Compare from version (diff).
        #[arg(long)]
        from: Option<i64>,
        /// So sánh đến phiên bản (diff) / Compare to version (diff).
        #[arg(long)]
        to: Option<i64>,
        /// Văn bản đã phát hành mà công văn mới đính chính (new) / The issued document this công văn corrects.
        #[arg(long, value_name = "ID")]
        corrects: Option<i64>,
        /// Văn bản đã phát hành mà văn bản mới thay thế (new) / The issued document this one replaces.
        #[arg(long, value_name = "ID", conflicts_with = "corrects")]
        replaces: Option<i64>,
        /// Loại tệp đính kèm (attach): appendix | supporting / Kind of attached file.
        #[arg(long, value_name = "KIND", default_value = "appendix")]
        kind: String,
        /// Khóa ký số (sign, issue) / Digital signing key (sign, issue).
        #[command(flatten)]
        key: Box<crate::pki_cmd::KeyArgs>,
    },
    /// Chứng thư số tin cậy: trust, bind, list / Trusted certificates.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Pki(Box<crate::pki_cmd::PkiArgs>),
    /// Kiểm tra chữ ký số trong tệp PDF: verify FILE.pdf / Validate the signatures of a PDF.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Pdf(Box<crate::pki_cmd::PdfArgs>),
    /// Sổ đăng ký văn bản đi / đến theo Phụ lục IV / The outgoing or incoming register (Phụ lục IV).
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Register(Box<crate::register_cmd::RegisterArgs>),
    /// Đổi mật khẩu của mình (mật khẩu cũ từ VANTHU_PASSWORD, mới từ VANTHU_NEW_PASSWORD) / Change one's password.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Passwd {
        /// Người dùng / User.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
    },
    /// Quản trị tài khoản và cơ quan (quản trị viên) / Accounts and agencies (administrator).
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Admin(Box<crate::account_cmd::AdminArgs>),
    /// Xuất văn bản ra PDF/A-1b / Export a document to PDF/A-1b.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Export(Box<crate::export_cmd::ExportArgs>),
    /// Văn bản đến: receive, register, present, assign, start, resolve, list / Incoming documents.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Incoming(Box<crate::incoming_cmd::IncomingArgs>),
    /// Việc cần làm của một người dùng / A user's tasks by due status.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Tasks {
        /// Người dùng (mật khẩu từ VANTHU_PASSWORD) / User.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
        /// In JSON / Print JSON.
        #[arg(long)]
        json: bool,
        /// Ngày so sánh (YYYY-MM-DD) / Date to compare against.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Kiểm tra chuỗi nhật ký, quản trị, chữ ký, nội dung / Verify the audit chain, administration, signatures, contents.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Verify {
        /// Tệp mốc neo (vanthu anchor) mà chuỗi phải nối tiếp / An anchor file the chain must extend.
        #[arg(long, value_name = "FILE")]
        anchor: Option<PathBuf>,
    },
    /// Ghi mốc neo: độ dài và mã băm đầu chuỗi nhật ký / Write the chain's length and head hash.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Anchor {
        /// Tệp JSON / Output JSON file.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Ghi đè tệp đã có / Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Danh mục hồ sơ, hồ sơ: plan, open, show, add, remove, edit, close, reopen, retention / File plan and dossiers.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Dossier(Box<crate::archive_cmd::DossierArgs>),
    /// Tìm văn bản, hồ sơ (không cần dấu), mỗi kết quả một dòng / Search documents and dossiers, one hit per line.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Search(Box<crate::archive_cmd::SearchArgs>),
    /// Gói lưu trữ: export, verify, import / Archive packages.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Archive(Box<crate::archive_cmd::ArchiveArgs>),
    /// Sao lưu trực tuyến cơ sở dữ liệu / Online backup of the database.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Backup {
        /// Tệp sao lưu (kèm FILE.anchor.json) / Backup file (with FILE.anchor.json).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Ghi đè tệp đã có / Overwrite an existing file.
        #[arg(long)]
        force: bool,
        /// Người sao lưu: quản trị, văn thư, lưu trữ (mật khẩu từ VANTHU_PASSWORD) / Acting user.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
    },
    /// Chép cả văn phòng giữa SQLite và PostgreSQL rồi kiểm tra bản chép / Copy a whole office between SQLite and PostgreSQL, then verify the copy.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Copy {
        /// Nguồn: tệp hoặc postgres://… / Source: a file or postgres://….
        #[arg(long, value_name = "DB")]
        from: PathBuf,
        /// Đích: tệp mới hoặc cơ sở dữ liệu PostgreSQL trống / Destination: a new file or an empty PostgreSQL database.
        #[arg(long, value_name = "DB")]
        to: PathBuf,
    },
    /// Máy chủ PostgreSQL của văn phòng / The office's PostgreSQL server.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Server(Box<crate::server_cmd::ServerArgs>),
    /// Khôi phục từ bản sao lưu đã kiểm tra (quản trị viên) / Restore from a checked backup (administrator).
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    Restore {
        /// Tệp sao lưu / Backup file.
        file: PathBuf,
        /// Quản trị viên (mật khẩu từ VANTHU_PASSWORD) / Administrator.
        #[arg(long = "as", value_name = "ADMIN")]
        as_user: String,
        /// Chấp nhận bản cũ hơn hoặc lịch sử khác / Accept an older backup or another history.
        #[arg(long, requires = "reason")]
        allow_rollback: bool,
        /// Lý do (ghi vào nhật ký) / Reason, recorded in the audit log.
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Liệt kê văn bản đi / List outgoing documents.
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "Tùy chọn / Options")]
    List {
        /// In mảng JSON / Print a JSON array.
        #[arg(long)]
        json: bool,
        /// Chỉ văn bản người này được xem / Only what this user may see.
        #[arg(long = "as", value_name = "USER")]
        as_user: Option<String>,
    },
}

/// A failure with its exit status.
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn input(message: String) -> Self {
        Failure { code: 2, message }
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        let code = match e {
            StoreError::TooNew { .. } | StoreError::NotVanthu(_) | StoreError::Missing(_) => 3,
            StoreError::Invalid(_) => 2,
            StoreError::Workflow(_)
            | StoreError::Denied(_)
            | StoreError::BadCredentials
            | StoreError::LoginLocked { .. }
            | StoreError::MustChangePassword(_) => 4,
            _ => 1,
        };
        Failure { code, message: e.to_string() }
    }
}

/// The command with bilingual `-h` and `-V` descriptions on every subcommand.
fn command() -> clap::Command {
    use clap::CommandFactory;
    fn bilingual(cmd: clap::Command) -> clap::Command {
        cmd.disable_help_flag(true)
            .arg(
                clap::Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(clap::ArgAction::Help)
                    .help("In trợ giúp / Print help"),
            )
            .mut_subcommands(bilingual)
    }
    bilingual(Cli::command()).disable_version_flag(true).arg(
        clap::Arg::new("version")
            .short('V')
            .long("version")
            .action(clap::ArgAction::Version)
            .help("In phiên bản / Print version"),
    )
}

/// Parses the arguments and runs.
pub fn main() -> ExitCode {
    use clap::FromArgMatches;
    crate::quiet_on_closed_pipe();
    let cli = match Cli::from_arg_matches(&command().get_matches()) {
        Ok(cli) => cli,
        // Not `e.exit()`: returning lets `main` restore the Windows console's code page.
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let db = match cli.db.clone().or_else(default_path) {
        Some(path) => path,
        None => {
            eprintln!(
                "vanthu: không xác định được thư mục dữ liệu; hãy dùng --db PATH (no data directory; use --db PATH)"
            );
            return ExitCode::from(1);
        }
    };
    let Some(command) = cli.command else {
        return match crate::gui::run(db) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("vanthu: không mở được cửa sổ: {e} (cannot open the window)");
                ExitCode::from(1)
            }
        };
    };
    match run(command, &db, cli.db.is_some()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("vanthu: {}", failure.message);
            }
            ExitCode::from(failure.code)
        }
    }
}

/// The database as messages show it: the file, or the server URL without password.
pub(crate) fn shown(db: &Path) -> String {
    match db.to_str().filter(|s| vanthu_core::store::is_postgres_url(s)) {
        Some(url) => vanthu_core::store::redact_url(url),
        None => db.display().to_string(),
    }
}

/// Opens an existing database; a missing file exits 3 and is not created.
fn open(db: &Path) -> Result<Store, Failure> {
    Ok(Store::open_existing(db)?)
}

fn run(command: Command, db: &Path, db_given: bool) -> Result<(), Failure> {
    match command {
        Command::Export(args) => crate::export_cmd::run(*args, db)?,
        Command::Register(args) => crate::register_cmd::run(*args, &open(db)?)?,
        Command::Passwd { as_user } => crate::account_cmd::passwd(&mut open(db)?, &as_user)?,
        Command::Admin(args) => crate::account_cmd::run(*args, &mut open(db)?)?,
        Command::Doc { action, target, as_user, comment, file, from, to, corrects, replaces, kind, key } => {
            let mut store = open(db)?;
            if action == "attachments" || action == "versions" || action == "diff" {
                let id: i64 = target
                    .parse()
                    .map_err(|_| Failure::input(format!("mã văn bản `{target}` không hợp lệ (invalid id)")))?;
                // Read commands: the user's own view with --as, the office's without.
                let viewer = as_user.as_deref().map(|user| crate::register_cmd::login(&store, user)).transpose()?;
                readable(&store, viewer.as_ref(), id)?;
                if action == "attachments" {
                    return crate::attach_cmd::list(&store, id);
                }
                if action == "versions" {
                    for (version, json) in store.versions(id)? {
                        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
                        println!("phiên bản {version}: {}", value["subject"].as_str().unwrap_or(""));
                    }
                } else {
                    let (Some(from), Some(to)) = (from, to) else {
                        return Err(Failure::input("diff cần --from và --to (diff needs --from and --to)".into()));
                    };
                    for change in store.diff_versions(id, from, to)? {
                        println!("{}: {} → {}", change.field, change.before, change.after);
                    }
                }
                return Ok(());
            }
            let as_user = as_user.ok_or_else(|| Failure::input("cần --as USER (acting user required)".into()))?;
            let password = read_password(&format!("Mật khẩu của {as_user} / Password for {as_user}: "))?;
            let actor = store.login(&as_user, &password)?;
            let now = chrono::Local::now();
            if action == "attach" || action == "detach" {
                return crate::attach_cmd::change(&mut store, &actor, &action, &target, file.as_deref(), &kind, now);
            }
            if action == "edit" {
                let id: i64 = target
                    .parse()
                    .map_err(|_| Failure::input(format!("mã văn bản `{target}` không hợp lệ (invalid id)")))?;
                let file =
                    file.ok_or_else(|| Failure::input("edit cần --file FILE.json (edit needs --file)".into()))?;
                let document = check::read_document(&file).map_err(Failure::input)?;
                println!("#{id}: phiên bản {}", store.edit_draft(&actor, id, &document, now)?);
                return Ok(());
            }
            if action == "new" {
                let document = check::read_document(std::path::Path::new(&target)).map_err(Failure::input)?;
                let link = corrects
                    .map(|o| (o, vanthu_core::store::Relation::Corrects))
                    .or_else(|| replaces.map(|o| (o, vanthu_core::store::Relation::Replaces)));
                // Check the link first: a refused link writes no draft.
                if let Some((original, relation)) = link {
                    let agency = store.agency_of_document(&document)?;
                    store.check_relation(&document, agency, original, relation)?;
                }
                let id = store.create_draft(&actor, &document, now)?;
                if let Some((original, relation)) = link {
                    store.relate(&actor, id, original, relation)?;
                }
                println!("{id}");
                return Ok(());
            }
            let step = vanthu_core::workflow::Action::from_code(&action).ok_or_else(|| {
                Failure::input(format!("bước `{action}` không có; dùng new, submit, approve, return, check-format, sign, number, issue, file, recall (unknown step)"))
            })?;
            let id: i64 = target
                .parse()
                .map_err(|_| Failure::input(format!("mã văn bản `{target}` không hợp lệ (invalid id)")))?;
            let digital = !matches!(step, vanthu_core::workflow::Action::Sign | vanthu_core::workflow::Action::Issue);
            if key.given() && digital {
                return Err(Failure::input(
                    "khóa ký số chỉ dùng khi ký (sign) hoặc phát hành (issue) (a key only signs or issues)".into(),
                ));
            }
            let outcome = if key.given() {
                let (signer, image) = key.open()?;
                let signing = vanthu_core::store::DigitalSigning { key: signer.as_ref(), image };
                if step == vanthu_core::workflow::Action::Sign {
                    store.sign_digitally(id, &actor, &password, now, comment.as_deref(), &signing)?
                } else {
                    store.issue_digitally(id, &actor, now, comment.as_deref(), &signing)?
                }
            } else if step == vanthu_core::workflow::Action::Sign {
                store.sign(id, &actor, &password, now, comment.as_deref())?
            } else {
                store.transition(id, step, &actor, now, comment.as_deref())?
            };
            let number = outcome.number.map(|n| format!(" — số {n}")).unwrap_or_default();
            println!("#{id}: {} → {}{number}", outcome.from.label(), outcome.to.label());
            for w in &outcome.warnings {
                eprintln!("  cảnh báo {} {}: {}", w.rule, w.field, w.message);
            }
        }
        Command::Incoming(args) => crate::incoming_cmd::run(*args, &mut open(db)?)?,
        Command::Pki(args) => crate::pki_cmd::run_pki(*args, db)?,
        Command::Pdf(args) => crate::pki_cmd::run_pdf(*args, db, db_given)?,
        Command::Dossier(args) => crate::archive_cmd::run_dossier(*args, db)?,
        Command::Search(args) => crate::archive_cmd::run_search(*args, db)?,
        Command::Archive(args) => crate::archive_cmd::run_archive(*args, db)?,
        Command::Copy { from, to } => crate::server_cmd::run_copy(&from, &to)?,
        Command::Server(args) => crate::server_cmd::run_server(db, *args)?,
        Command::Backup { out, force, as_user } => crate::store_cmd::run_backup(db, &out, force, &as_user)?,
        Command::Restore { file, as_user, allow_rollback, reason } => {
            crate::store_cmd::run_restore(db, &file, &as_user, allow_rollback, reason)?;
        }
        Command::Tasks { as_user, json, today } => {
            let today = check::parse_today(today.as_deref()).map_err(Failure::input)?;
            let store = open(db)?;
            let password = read_password(&format!("Mật khẩu của {as_user} / Password for {as_user}: "))?;
            let actor = store.login(&as_user, &password)?;
            let tasks = store.tasks(&actor, today, &store.work_calendar()?)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&tasks).expect("tasks serialise"));
            } else {
                let mut last = None;
                for t in &tasks {
                    if last != Some(t.status) {
                        println!("{}:", t.status.label());
                        last = Some(t.status);
                    }
                    let urgent = if t.urgent { " [KHẨN]" } else { "" };
                    let subject = if t.subject == "incoming" { "đến" } else { "đi" };
                    println!("  hạn {}  {} — văn bản {subject} #{}{urgent}: {}", t.due, t.action, t.id, t.title);
                }
                if tasks.is_empty() {
                    println!("Không có việc cần làm.");
                }
            }
        }
        Command::Verify { anchor } => crate::store_cmd::run_verify(db, anchor)?,
        Command::Anchor { out, force } => crate::store_cmd::run_anchor(db, &out, force)?,
        Command::Calendar { year } => {
            if !(1901..=2199).contains(&year) {
                return Err(Failure::input(format!("năm {year} ngoài phạm vi 1901–2199 (year out of range)")));
            }
            let calendar = office_calendar(db, db_given)?;
            for (date, name) in calendar.days_off(year) {
                println!("{date}  {}  {name}", weekday_vi(date));
            }
        }
        Command::CalendarOverride { file, clear, as_user } => {
            let text = match (&file, clear) {
                (Some(path), false) => Some(
                    std::fs::read_to_string(path)
                        .map_err(|e| Failure::input(format!("không đọc được {}: {e}", path.display())))?,
                ),
                (None, true) => None,
                _ => return Err(Failure::input("cần một tệp TOML hoặc --clear (need a file or --clear)".into())),
            };
            let mut store = open(db)?;
            let password = read_password(&format!("Mật khẩu của {as_user} / Password for {as_user}: "))?;
            let actor = store.login(&as_user, &password)?;
            store.set_calendar_override(&actor, text.as_deref())?;
            println!(
                "Đã {} điều chỉnh lịch làm việc trong {}",
                if clear { "xóa" } else { "lưu" },
                crate::cli::shown(db)
            );
        }
        Command::Deadline { from, working_days } => {
            if working_days.unsigned_abs() > 3650 {
                return Err(Failure::input(format!(
                    "--working-days {working_days}: tối đa 3650 ngày làm việc (at most 3650 working days)"
                )));
            }
            let from = vanthu_core::model::parse_iso_date(&from).map_err(|e| Failure::input(format!("--from: {e}")))?;
            let calendar = office_calendar(db, db_given)?;
            println!("{}", calendar.add_working_days(from, working_days));
        }
        Command::Lunar { date } => {
            let date = vanthu_core::model::parse_iso_date(&date).map_err(Failure::input)?;
            println!("{}", vanthu_core::calendar::lunar::solar_to_lunar(date));
        }
        Command::Check { file, json, today } => {
            let today = check::parse_today(today.as_deref()).map_err(Failure::input)?;
            let setup = check_setup(db, db_given)?;
            let (output, errors) = check::run_check(&setup, &file, json, today).map_err(Failure::input)?;
            print!("{output}");
            if errors {
                return Err(Failure { code: 1, message: String::new() });
            }
        }
        Command::Fix { file, out, today } => {
            let today = check::parse_today(today.as_deref()).map_err(Failure::input)?;
            let setup = check_setup(db, db_given)?;
            let (fixed, summary) = check::run_fix(&setup, &file, today).map_err(Failure::input)?;
            vanthu_core::store::refuse_database_target(db, &out).map_err(Failure::input)?;
            std::fs::write(&out, fixed).map_err(|e| Failure {
                code: 1,
                message: format!("không ghi được {}: {e} (cannot write)", out.display()),
            })?;
            eprintln!("{summary}");
        }
        Command::Rules { json, markdown } => {
            let setup = check_setup(db, db_given)?;
            if markdown {
                print!("{}", check::rules_markdown(&setup));
            } else {
                print!("{}", check::rules_listing(&setup, json));
            }
        }
        Command::RulesOverride { family, file, clear, as_user } => {
            let family = Family::from_code(&family).ok_or_else(|| {
                Failure::input(format!("hệ văn bản `{family}` không hợp lệ: state hoặc party (unknown family)"))
            })?;
            let text = match (&file, clear) {
                (Some(path), false) => Some(
                    std::fs::read_to_string(path)
                        .map_err(|e| Failure::input(format!("không đọc được {}: {e}", path.display())))?,
                ),
                (None, true) => None,
                _ => return Err(Failure::input("cần một tệp TOML hoặc --clear (need a file or --clear)".into())),
            };
            let mut store = open(db)?;
            let password = read_password(&format!("Mật khẩu của {as_user} / Password for {as_user}: "))?;
            let actor = store.login(&as_user, &password)?;
            store.set_ruleset_override(&actor, family, text.as_deref())?;
            println!(
                "Đã {} điều chỉnh bộ quy tắc {} trong {}",
                if clear { "xóa" } else { "lưu" },
                family.code(),
                crate::cli::shown(db)
            );
        }
        Command::Init { admin, full_name } => {
            let existed = db.exists();
            let password = read_password(&format!("Mật khẩu cho {admin} / Password for {admin}: "))?;
            let created = (|| -> Result<String, Failure> {
                let mut store = Store::open(db)?;
                if !store.needs_first_admin()? {
                    return Err(Failure {
                        code: 1,
                        message: format!("{} đã được khởi tạo (already initialised)", crate::cli::shown(db)),
                    });
                }
                Ok(store.create_first_admin(&admin, &full_name, &password)?.user().username.clone())
            })();
            match created {
                Ok(name) => println!("Đã tạo quản trị viên {name} trong {}", crate::cli::shown(db)),
                Err(e) => {
                    // A refused init leaves no empty database behind (demo could load into it).
                    if !existed {
                        for suffix in ["", "-wal", "-shm"] {
                            let _ = std::fs::remove_file(format!("{}{suffix}", db.display())); // never a URL: `existed` is false only for files
                        }
                    }
                    return Err(e);
                }
            }
        }
        Command::Demo => {
            let mut store = Store::open(db)?;
            let report = vanthu_core::demo::load_demo(&mut store, chrono::Local::now().date_naive())?;
            println!(
                "Văn phòng mẫu trong {}: thêm {} tài khoản, {} văn bản đi, {} văn bản đến (mật khẩu: {}).",
                crate::cli::shown(db),
                report.users_added,
                report.documents_added,
                report.incoming_added,
                vanthu_core::demo::DEMO_PASSWORD
            );
        }
        Command::Import { file, as_user } => {
            let text = check::read_input(&file).map_err(Failure::input)?;
            parse_document(&text).map_err(|e| Failure::input(format!("{} không hợp lệ: {e}", file.display())))?;
            let as_user = as_user.ok_or_else(|| {
                Failure::input("nhập văn bản cần --as USER (văn thư hoặc quản trị viên) (acting user required)".into())
            })?;
            let mut store = open(db)?;
            let password = read_password(&format!("Mật khẩu của {as_user} / Password for {as_user}: "))?;
            let actor = store.login(&as_user, &password)?;
            let id = store.import_json_as(&actor, &text, &ImportOptions::default())?;
            println!("{id}");
        }
        Command::Show { id, json, as_user } => {
            let store = open(db)?;
            let viewer = as_user.as_deref().map(|user| crate::register_cmd::login(&store, user)).transpose()?;
            readable(&store, viewer.as_ref(), id)?;
            let stored = store.document(id)?.ok_or_else(|| not_found(id))?;
            let mut out = std::io::stdout().lock();
            let result = if json {
                out.write_all(stored.json.as_bytes())
            } else {
                out.write_all(crate::show_text::render_document(&stored.document, stored.state).as_bytes())
            };
            result.map_err(|e| Failure { code: 1, message: e.to_string() })?;
        }
        Command::List { json, as_user } => {
            let store = open(db)?;
            let viewer = as_user.as_deref().map(|user| crate::register_cmd::login(&store, user)).transpose()?;
            let documents = store.documents_seen_by(viewer.as_ref())?;
            if json {
                println!("{}", serde_json::to_string_pretty(&documents).expect("summaries serialise"));
            } else {
                for d in &documents {
                    let family = Family::from_code(&d.family).unwrap_or(Family::State);
                    let number = match (&d.number, &d.notation) {
                        (Some(n), Some(s)) if family == Family::Party => format!("{n}-{s}"),
                        (Some(n), Some(s)) => format!("{n}/{s}"),
                        _ => "—".to_owned(),
                    };
                    let state = OutgoingState::from_code(&d.state).map_or(d.state.as_str(), |s| s.label());
                    println!(
                        "{:>5}  {:<18} {:<12} {:<22} {}",
                        d.id,
                        number,
                        d.date.as_deref().unwrap_or("—"),
                        state,
                        d.subject.as_deref().unwrap_or("")
                    );
                }
            }
        }
    }
    Ok(())
}

/// The refusal for a document that does not exist or that the reader may not see:
/// the same words and exit status for both, so nobody learns a private draft exists.
pub(crate) fn not_found(id: i64) -> Failure {
    Failure { code: 1, message: format!("không tìm thấy văn bản #{id} (no such document)") }
}

/// Refuses, as for a missing id, a document `viewer` may not read (without a viewer:
/// what the office sees, never a draft never submitted).
pub(crate) fn readable(store: &Store, viewer: Option<&vanthu_core::store::Actor>, id: i64) -> Result<(), Failure> {
    if store.may_read_document(viewer, id)? { Ok(()) } else { Err(not_found(id)) }
}

/// The working calendar: the office's (with its override) when `--db` is given.
fn office_calendar(db: &Path, db_given: bool) -> Result<vanthu_core::calendar::WorkCalendar, Failure> {
    if db_given { Ok(open(db)?.work_calendar()?) } else { Ok(vanthu_core::calendar::WorkCalendar::default_vietnam()) }
}

/// The Vietnamese name of the weekday (`Thứ Hai` … `Chủ nhật`).
fn weekday_vi(date: chrono::NaiveDate) -> &'static str {
    use chrono::Datelike;
    ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
        [date.weekday().num_days_from_monday() as usize]
}

/// The check set-up: with `--db` (or `VANTHU_DB`), the office's overrides and facts.
fn check_setup(db: &Path, db_given: bool) -> Result<check::Setup, Failure> {
    if db_given {
        let store = open(db)?;
        Ok(check::Setup::from_store(&store)?)
    } else {
        Ok(check::Setup::embedded())
    }
}

pub(crate) fn read_password(prompt: &str) -> Result<String, Failure> {
    if let Ok(password) = std::env::var("VANTHU_PASSWORD") {
        return Ok(password);
    }
    rpassword::prompt_password(prompt).map_err(|e| {
        Failure::input(format!("không đọc được mật khẩu: {e}; hãy đặt VANTHU_PASSWORD (cannot read password)"))
    })
}
