//! `vanthu dossier`, `vanthu search`, `vanthu archive`, `vanthu backup`, `vanthu restore`:
//! the file plan, search, archive packages and backups on the command line.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use vanthu_core::Store;
use vanthu_core::model::{Dossier, Retention};
use vanthu_core::store::{DossierChange, FiledItem, NewDossier, SearchFilters, SearchItem, SearchQuery};

use crate::cli::{Failure, read_password};

const TEMPLATE: &str = "{before-help}{about-with-newline}\nCách dùng / Usage: {usage}\n\n{all-args}{after-help}";

/// Arguments of `vanthu dossier`.
#[derive(Debug, clap::Args)]
pub struct DossierArgs {
    #[command(subcommand)]
    command: DossierCommand,
}

#[derive(Debug, Subcommand)]
enum DossierCommand {
    /// Danh mục hồ sơ của một năm / The file plan of a year.
    #[command(help_template = TEMPLATE)]
    Plan {
        /// Năm (mặc định năm nay) / Year (default: this year).
        #[arg(long)]
        year: Option<i32>,
        /// Chỉ một cơ quan / Only one agency (id).
        #[arg(long)]
        agency: Option<i64>,
        /// In JSON / Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Mở hồ sơ mới trong danh mục, in mã hồ sơ / Open a dossier, print its id.
    #[command(help_template = TEMPLATE)]
    Open {
        /// Tiêu đề hồ sơ / Title.
        #[arg(long)]
        title: String,
        /// Đề mục lớn, vd. "I. TỔNG HỢP" / Large heading.
        #[arg(long)]
        heading: String,
        /// Chữ viết tắt của đề mục, vd. TH / Heading abbreviation.
        #[arg(long)]
        heading_code: String,
        /// Đề mục nhỏ / Sub-heading.
        #[arg(long)]
        subheading: Option<String>,
        /// Số và ký hiệu (mặc định số tiếp theo + ký hiệu đề mục) / Symbol (default: next number).
        #[arg(long)]
        code: Option<String>,
        /// Thời hạn bảo quản: "Vĩnh viễn" hoặc số năm / Retention.
        #[arg(long, conflicts_with = "retention_item")]
        retention: Option<String>,
        /// Mục của bảng thời hạn bảo quản / Retention table item key.
        #[arg(long)]
        retention_item: Option<String>,
        /// Người lập hồ sơ (mã người) / Responsible person id.
        #[arg(long)]
        responsible: Option<i64>,
        /// Năm của danh mục (mặc định năm nay) / Year.
        #[arg(long)]
        year: Option<i32>,
        /// Ngày bắt đầu YYYY-MM-DD (mặc định hôm nay) / Start date.
        #[arg(long)]
        start: Option<String>,
        /// Cơ quan (mặc định cơ quan của người dùng) / Agency id.
        #[arg(long)]
        agency: Option<i64>,
        /// Ghi chú / Description.
        #[arg(long)]
        description: Option<String>,
        /// Người thực hiện (mật khẩu từ VANTHU_PASSWORD) / Acting user.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
    },
    /// Xem hồ sơ: thông tin, văn bản, nhật ký / Show a dossier.
    #[command(help_template = TEMPLATE)]
    Show {
        /// Mã hồ sơ / Dossier id.
        id: i64,
        /// In JSON / Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Đưa văn bản vào hồ sơ / File a document into a dossier.
    #[command(help_template = TEMPLATE)]
    Add(ItemArgs),
    /// Bỏ văn bản khỏi hồ sơ đang mở / Take a document out of an open dossier.
    #[command(help_template = TEMPLATE)]
    Remove(ItemArgs),
    /// Sửa hồ sơ đang mở / Change an open dossier.
    #[command(help_template = TEMPLATE)]
    Edit {
        /// Mã hồ sơ / Dossier id.
        id: i64,
        /// Tiêu đề mới / New title.
        #[arg(long)]
        title: Option<String>,
        /// Thời hạn bảo quản mới / New retention.
        #[arg(long)]
        retention: Option<String>,
        /// Người lập hồ sơ mới / New responsible person id.
        #[arg(long)]
        responsible: Option<i64>,
        /// Người thực hiện / Acting user.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
    },
    /// Đóng hồ sơ (kiểm tra, chứng từ kết thúc, mục lục) / Close a dossier.
    #[command(help_template = TEMPLATE)]
    Close {
        /// Mã hồ sơ / Dossier id.
        id: i64,
        /// Chứng từ kết thúc / Closing note.
        #[arg(long)]
        note: String,
        /// Ngày kết thúc YYYY-MM-DD (mặc định hôm nay) / End date.
        #[arg(long)]
        end: Option<String>,
        /// Người thực hiện / Acting user.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
    },
    /// Mở lại hồ sơ đã đóng (lưu trữ, có lý do) / Reopen a closed dossier (archivist, with a reason).
    #[command(help_template = TEMPLATE)]
    Reopen {
        /// Mã hồ sơ / Dossier id.
        id: i64,
        /// Lý do / Reason.
        #[arg(long)]
        reason: String,
        /// Người thực hiện / Acting user.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
    },
    /// Bảng thời hạn bảo quản; --set/--clear điều chỉnh (quản trị) / The retention table.
    #[command(help_template = TEMPLATE)]
    Retention {
        /// In JSON / Print JSON.
        #[arg(long)]
        json: bool,
        /// Tệp TOML điều chỉnh / Override TOML file.
        #[arg(long, requires = "as_user")]
        set: Option<PathBuf>,
        /// Xóa điều chỉnh / Remove the override.
        #[arg(long, conflicts_with = "set", requires = "as_user")]
        clear: bool,
        /// Người thực hiện / Acting user.
        #[arg(long = "as", value_name = "USER")]
        as_user: Option<String>,
    },
}

/// A dossier and one document.
#[derive(Debug, clap::Args)]
struct ItemArgs {
    /// Mã hồ sơ / Dossier id.
    id: i64,
    /// Văn bản đi / Outgoing document id.
    #[arg(long, conflicts_with = "incoming", required_unless_present = "incoming")]
    doc: Option<i64>,
    /// Văn bản đến / Incoming document id.
    #[arg(long)]
    incoming: Option<i64>,
    /// Người thực hiện / Acting user.
    #[arg(long = "as", value_name = "USER")]
    as_user: String,
}

impl ItemArgs {
    fn item(&self) -> FiledItem {
        match (self.doc, self.incoming) {
            (Some(id), _) => FiledItem::Document(id),
            (None, Some(id)) => FiledItem::Incoming(id),
            (None, None) => unreachable!("clap requires --doc or --incoming"),
        }
    }
}

/// Arguments of `vanthu search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Từ cần tìm (không cần dấu) / Words to find (diacritics optional).
    query: String,
    /// Mỗi kết quả một dòng JSON / One JSON object per line.
    #[arg(long)]
    json: bool,
    /// Năm / Year.
    #[arg(long)]
    year: Option<i32>,
    /// Loại văn bản, vd. quyet-dinh / Kind code.
    #[arg(long)]
    kind: Option<String>,
    /// Đơn vị (mã) / Unit id.
    #[arg(long)]
    unit: Option<i64>,
    /// Trạng thái, vd. issued, filed / State code.
    #[arg(long)]
    state: Option<String>,
    /// Hồ sơ (mã) / Dossier id.
    #[arg(long)]
    dossier: Option<i64>,
    /// Chỉ loại kết quả: document, incoming, dossier / Only this kind of hit.
    #[arg(long = "type", value_name = "TYPE")]
    item: Option<String>,
    /// Số kết quả tối đa / Maximum number of hits.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Người tìm: chỉ kết quả người này được xem / Reader: only hits this user may see.
    #[arg(long = "as", value_name = "USER")]
    as_user: Option<String>,
}

fn login(store: &Store, user: &str) -> Result<vanthu_core::Actor, Failure> {
    let password = read_password(&format!("Mật khẩu của {user} / Password for {user}: "))?;
    Ok(store.login(user, &password)?)
}

fn date(text: Option<&str>, flag: &str) -> Result<Option<chrono::NaiveDate>, Failure> {
    text.map(|t| vanthu_core::model::parse_iso_date(t).map_err(|e| Failure::input(format!("{flag}: {e}")))).transpose()
}

fn retention(text: Option<&str>) -> Result<Option<Retention>, Failure> {
    text.map(|t| {
        Retention::parse(t).ok_or_else(|| {
            Failure::input(format!("thời hạn bảo quản `{t}`: dùng \"Vĩnh viễn\" hoặc số năm (invalid retention)"))
        })
    })
    .transpose()
}

fn json_line<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("values serialise")
}

fn dossier_line(d: &Dossier) -> String {
    let state = if d.closed { "đã đóng" } else { "đang mở" };
    let person = d.responsible_name.as_deref().unwrap_or("—");
    format!("  {:<8} {}  [{}; {person}; {} văn bản; {state}]", d.code, d.title, d.retention.label(), d.document_count)
}

fn this_year() -> i32 {
    use chrono::Datelike;
    chrono::Local::now().year()
}

/// Runs `vanthu dossier …`.
pub fn run_dossier(args: DossierArgs, db: &Path) -> Result<(), Failure> {
    let mut store = Store::open_existing(db)?;
    let now = chrono::Local::now();
    match args.command {
        DossierCommand::Plan { year, agency, json } => {
            let year = year.unwrap_or_else(this_year);
            let plan = store.file_plan(year, agency)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&plan).expect("plan serialises"));
                return Ok(());
            }
            println!("DANH MỤC HỒ SƠ NĂM {year}");
            for heading in &plan {
                println!("{}", heading.heading);
                for d in &heading.dossiers {
                    println!("{}", dossier_line(d));
                }
            }
            if plan.is_empty() {
                println!("(chưa có hồ sơ)");
            }
        }
        DossierCommand::Open {
            title,
            heading,
            heading_code,
            subheading,
            code,
            retention: period,
            retention_item,
            responsible,
            year,
            start,
            agency,
            description,
            as_user,
        } => {
            let actor = login(&store, &as_user)?;
            let new = NewDossier {
                agency_id: agency,
                year: year.unwrap_or_else(this_year),
                heading,
                heading_code,
                subheading,
                code,
                title,
                retention: retention(period.as_deref())?,
                retention_item,
                responsible_person_id: responsible,
                start_date: date(start.as_deref(), "--start")?,
                description,
            };
            println!("{}", store.create_dossier(&actor, &new, now)?);
        }
        DossierCommand::Show { id, json } => {
            let page = store.dossier_page(id)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&page).expect("page serialises"));
                return Ok(());
            }
            let d = &page.dossier;
            println!("Hồ sơ {} — {}", d.code, d.title);
            println!("Năm {}; {}; thời hạn bảo quản {}", d.year, d.heading, d.retention.label());
            println!(
                "Bắt đầu {}; kết thúc {}; {}",
                d.start_date.map_or("—".into(), |x| x.to_string()),
                d.end_date.map_or("—".into(), |x| x.to_string()),
                if d.closed { "đã đóng (chỉ đọc)" } else { "đang mở" }
            );
            if let Some(note) = &d.closing_note {
                println!("Chứng từ kết thúc: {note}");
            }
            println!("Văn bản ({}):", page.documents.len());
            for e in &page.documents {
                let kind = if e.item == "incoming" { "đến" } else { "đi" };
                println!(
                    "  {:>3}. [{kind} #{}] {}  {}  {} — {}",
                    e.ordinal, e.id, e.number, e.date, e.author, e.subject
                );
            }
            println!("Nhật ký:");
            for e in &page.events {
                println!("  {}  {}  {}  {}", e.at, e.username, e.action, e.comment.as_deref().unwrap_or(""));
            }
        }
        DossierCommand::Add(item) => {
            let actor = login(&store, &item.as_user)?;
            store.add_to_dossier(&actor, item.id, item.item(), now)?;
            println!("Đã đưa {} vào hồ sơ #{}", label(item.item()), item.id);
        }
        DossierCommand::Remove(item) => {
            let actor = login(&store, &item.as_user)?;
            store.remove_from_dossier(&actor, item.id, item.item(), now)?;
            println!("Đã bỏ {} khỏi hồ sơ #{}", label(item.item()), item.id);
        }
        DossierCommand::Edit { id, title, retention: period, responsible, as_user } => {
            let actor = login(&store, &as_user)?;
            let change = DossierChange {
                title,
                retention: retention(period.as_deref())?,
                responsible_person_id: responsible,
                description: None,
            };
            store.update_dossier(&actor, id, &change, now)?;
            println!("Đã sửa hồ sơ #{id}");
        }
        DossierCommand::Close { id, note, end, as_user } => {
            let actor = login(&store, &as_user)?;
            let d = store.close_dossier(&actor, id, &note, date(end.as_deref(), "--end")?, now)?;
            println!("Đã đóng hồ sơ {} ({} văn bản); từ nay chỉ được đọc", d.code, d.document_count);
        }
        DossierCommand::Reopen { id, reason, as_user } => {
            let actor = login(&store, &as_user)?;
            store.reopen_dossier(&actor, id, &reason, now)?;
            println!("Đã mở lại hồ sơ #{id}: {reason}");
        }
        DossierCommand::Retention { json, set, clear, as_user } => {
            if set.is_some() || clear {
                let actor = login(&store, as_user.as_deref().unwrap_or_default())?;
                let text = set
                    .as_ref()
                    .map(|p| {
                        std::fs::read_to_string(p)
                            .map_err(|e| Failure::input(format!("không đọc được {}: {e}", p.display())))
                    })
                    .transpose()?;
                store.set_retention_override(&actor, text.as_deref())?;
            }
            let table = store.retention_table()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&table).expect("table serialises"));
            } else {
                println!("BẢNG THỜI HẠN BẢO QUẢN ({})", table.source);
                for item in &table.items {
                    let mark = if item.verified { "" } else { " (cần đối chiếu)" };
                    println!("  {:<28} {:<10} {}{mark}", item.key, item.retention.label(), item.title);
                }
            }
        }
    }
    Ok(())
}

fn label(item: FiledItem) -> String {
    match item {
        FiledItem::Document(id) => format!("văn bản đi #{id}"),
        FiledItem::Incoming(id) => format!("văn bản đến #{id}"),
    }
}

/// Runs `vanthu search …`: one hit per line (JSON Lines with `--json`).
pub fn run_search(args: SearchArgs, db: &Path) -> Result<(), Failure> {
    let store = Store::open_existing(db)?;
    let item = match args.item.as_deref() {
        None => None,
        Some("document") => Some(SearchItem::Document),
        Some("incoming") => Some(SearchItem::Incoming),
        Some("dossier") => Some(SearchItem::Dossier),
        Some(other) => {
            return Err(Failure::input(format!(
                "--type `{other}`: dùng document, incoming hoặc dossier (unknown type)"
            )));
        }
    };
    if args.limit == 0 {
        return Err(Failure::input("--limit phải từ 1 trở lên (--limit must be at least 1)".into()));
    }
    let chars = args.query.chars().count();
    if chars > vanthu_core::store::MAX_QUERY_CHARS {
        return Err(Failure::input(format!(
            "câu tìm dài {chars} ký tự, tối đa {} ký tự (search query too long)",
            vanthu_core::store::MAX_QUERY_CHARS
        )));
    }
    let query = SearchQuery {
        text: args.query,
        filters: SearchFilters {
            item,
            year: args.year,
            kind: args.kind,
            unit_id: args.unit,
            state: args.state,
            dossier_id: args.dossier,
        },
        limit: args.limit,
        prefix: false,
    };
    // Without --as: what the office sees, never a draft never submitted.
    let viewer = args.as_user.as_deref().map(|user| login(&store, user)).transpose()?;
    let hits = store.search_seen_by(viewer.as_ref(), &query)?;
    for hit in hits {
        if args.json {
            println!("{}", json_line(&hit));
        } else {
            let dossier = hit.dossier.as_deref().map(|d| format!("  [hồ sơ {d}]")).unwrap_or_default();
            // One hit per line: the snippet, when the body matched, ends the line.
            let snippet = hit.snippet.as_ref().map(|s| format!("\t«{}»", s.text)).unwrap_or_default();
            println!(
                "{} #{}\t{}\t{}\t{}\t{}{dossier}{snippet}",
                hit.item.label(),
                hit.id,
                if hit.number.is_empty() { "—" } else { &hit.number },
                hit.date.as_deref().unwrap_or("—"),
                hit.subject,
                hit.author
            );
        }
    }
    Ok(())
}

/// Arguments of `vanthu archive`.
#[derive(Debug, clap::Args)]
pub struct ArchiveArgs {
    #[command(subcommand)]
    command: ArchiveCommand,
}

#[derive(Debug, Subcommand)]
enum ArchiveCommand {
    /// Xuất gói lưu trữ của một hồ sơ đã đóng / Export the archive package of a closed dossier.
    #[command(help_template = TEMPLATE)]
    Export {
        /// Mã hồ sơ / Dossier id.
        dossier: i64,
        /// Thư mục gói (chưa có hoặc trống) hoặc tệp .zip (chưa có) / Package directory
        /// (absent or empty) or .zip file (absent).
        #[arg(long, value_name = "DIR|FILE.zip")]
        out: PathBuf,
    },
    /// Kiểm tra gói ngoại tuyến, nêu tệp bị sửa hoặc thiếu / Verify a package offline.
    #[command(help_template = TEMPLATE)]
    Verify {
        /// Thư mục gói hoặc tệp .zip / Package directory or .zip file.
        package: PathBuf,
    },
    /// Nhập gói vào cơ sở dữ liệu (lưu trữ) / Import a package (archivist).
    #[command(help_template = TEMPLATE)]
    Import {
        /// Thư mục gói hoặc tệp .zip / Package directory or .zip file.
        package: PathBuf,
        /// Người thực hiện / Acting user.
        #[arg(long = "as", value_name = "USER")]
        as_user: String,
    },
}

fn archive_failure(e: vanthu_core::archive::package::ArchiveError) -> Failure {
    use vanthu_core::archive::package::ArchiveError;
    match e {
        ArchiveError::Store(e) => e.into(),
        ArchiveError::Invalid(message) => Failure::input(message),
        e @ ArchiveError::Io { .. } => Failure { code: 1, message: e.to_string() },
    }
}

/// A progress line on stderr (`  12/40 văn bản`, rewritten in place) when stderr is a
/// terminal; nothing when it is redirected, so logs and pipes stay clean.
fn progress(unit: &'static str) -> impl FnMut(usize, usize) {
    let terminal = std::io::stderr().is_terminal();
    move |done, total| {
        if terminal {
            eprint!("\r  {done}/{total} {unit}");
            if done >= total {
                eprintln!();
            }
        }
    }
}

/// Runs `vanthu archive …`.
pub fn run_archive(args: ArchiveArgs, db: &Path) -> Result<(), Failure> {
    use vanthu_core::archive::package;
    match args.command {
        ArchiveCommand::Export { dossier, out } => {
            vanthu_core::store::refuse_database_target(db, &out).map_err(Failure::input)?;
            let store = Store::open_existing(db)?;
            let today = chrono::Local::now().date_naive();
            let pdf = |d: &vanthu_core::model::Document, r: &vanthu_core::ruleset::Ruleset| {
                vanthu_core::pdf::document_pdf(d, r).map_err(|e| e.to_string())
            };
            let report = package::export_dossier(&store, dossier, &out, Some(&pdf), today, &mut progress("văn bản"))
                .map_err(archive_failure)?;
            println!(
                "Đã xuất gói lưu trữ {}: {} văn bản, {} tệp",
                report.path.display(),
                report.documents,
                report.files
            );
        }
        ArchiveCommand::Verify { package: dir } => {
            let report = package::verify_package(&dir, &mut progress("tệp")).map_err(archive_failure)?;
            if report.ok() {
                println!("Gói {} toàn vẹn: {} tệp đúng mã băm (package verified)", dir.display(), report.checked);
            } else {
                for problem in &report.problems {
                    println!("{problem}");
                }
                return Err(Failure {
                    code: 1,
                    message: format!(
                        "gói {} không toàn vẹn: {} lỗi (verification failed)",
                        dir.display(),
                        report.problems.len()
                    ),
                });
            }
        }
        ArchiveCommand::Import { package: dir, as_user } => {
            let mut store = Store::open_existing(db)?;
            let actor = login(&store, &as_user)?;
            let id =
                package::import_package(&mut store, &actor, &dir, &mut progress("tệp")).map_err(archive_failure)?;
            println!("{id}");
        }
    }
    Ok(())
}
