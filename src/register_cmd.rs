//! `vanthu register`: the sổ đăng ký văn bản đi / đến (Phụ lục IV), one book per
//! agency. With `--as` only the books of the agencies the user serves are open.

use std::path::PathBuf;

use vanthu_core::Store;
use vanthu_core::model::Agency;
use vanthu_core::store::{IncomingRegisterRow, OutgoingRegisterRow};

use crate::cli::{Failure, read_password};

/// Arguments of `vanthu register`.
#[derive(Debug, clap::Args)]
pub struct RegisterArgs {
    /// outgoing (văn bản đi) hoặc incoming (văn bản đến).
    which: String,
    /// Năm / Year (default: this year).
    #[arg(long)]
    year: Option<i32>,
    /// Sổ của một cơ quan (chữ viết tắt hoặc mã) / One agency's book (abbreviation or id).
    #[arg(long, value_name = "AGENCY")]
    agency: Option<String>,
    /// Người xem: chỉ sổ của cơ quan mình phục vụ / Reader: only the books of the agencies served.
    #[arg(long = "as", value_name = "USER")]
    as_user: Option<String>,
    /// In JSON / Print JSON.
    #[arg(long)]
    json: bool,
    /// In ra PDF khổ ngang / Print to a landscape PDF.
    #[arg(long, value_name = "OUT.pdf", conflicts_with = "json")]
    pdf: Option<PathBuf>,
}

/// Logs in the user named by `--as` with the password from `VANTHU_PASSWORD` or a prompt.
pub(crate) fn login(store: &Store, user: &str) -> Result<vanthu_core::store::Actor, Failure> {
    let password = read_password(&format!("Mật khẩu của {user} / Password for {user}: "))?;
    Ok(store.login(user, &password)?)
}

/// Picks the books: the agencies open to the reader, narrowed by `--agency`.
fn books(store: &Store, args: &RegisterArgs) -> Result<Vec<Agency>, Failure> {
    let open = match &args.as_user {
        Some(user) => store.book_agencies(&login(store, user)?)?,
        None => store.agencies()?,
    };
    let Some(wanted) = args.agency.as_deref().map(str::trim) else { return Ok(open) };
    let key = vanthu_core::text::name_key(wanted);
    let matches: Vec<Agency> = store
        .agencies()?
        .into_iter()
        .filter(|a| {
            a.id.to_string() == wanted
                || vanthu_core::text::name_key(&a.abbreviation) == key
                || vanthu_core::text::name_key(&a.short_name) == key
        })
        .collect();
    match matches.as_slice() {
        [] => Err(Failure::input(format!("không có cơ quan `{wanted}` (no such agency)"))),
        [one] if open.iter().any(|a| a.id == one.id) => Ok(vec![one.clone()]),
        [one] => Err(Failure {
            code: 4,
            message: format!(
                "không được xem sổ của {}: cơ quan của bạn không phục vụ cơ quan này (not authorised)",
                one.name
            ),
        }),
        _ => Err(Failure::input(format!("`{wanted}` chỉ nhiều cơ quan; dùng mã số cơ quan (ambiguous agency)"))),
    }
}

fn title(which: &str) -> &'static str {
    if which == "outgoing" { "SỔ ĐĂNG KÝ VĂN BẢN ĐI" } else { "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" }
}

/// Runs `vanthu register`.
pub fn run(args: RegisterArgs, store: &Store) -> Result<(), Failure> {
    use chrono::Datelike;
    if !matches!(args.which.as_str(), "outgoing" | "incoming") {
        return Err(Failure::input(format!("sổ `{}` không có: outgoing hoặc incoming (unknown register)", args.which)));
    }
    let year = args.year.unwrap_or_else(|| chrono::Local::now().year());
    let books = books(store, &args)?;
    let mut tables: Vec<(Agency, Vec<serde_json::Value>, Vec<Vec<String>>)> = Vec::new();
    for agency in books {
        let (json, cells): (Vec<serde_json::Value>, Vec<Vec<String>>) = if args.which == "outgoing" {
            let rows = store.outgoing_register(year, Some(agency.id))?;
            (
                rows.iter().map(|r| serde_json::to_value(r).expect("rows serialise")).collect(),
                rows.iter().map(OutgoingRegisterRow::cells).collect(),
            )
        } else {
            let rows = store.incoming_register(year, Some(agency.id))?;
            (
                rows.iter().map(|r| serde_json::to_value(r).expect("rows serialise")).collect(),
                rows.iter().map(IncomingRegisterRow::cells).collect(),
            )
        };
        if !cells.is_empty() || args.agency.is_some() {
            tables.push((agency, json, cells));
        }
    }
    if let Some(out) = &args.pdf {
        let [(agency, _, _)] = tables.as_slice() else {
            let names: Vec<String> = tables.iter().map(|(a, _, _)| format!("{} ({})", a.abbreviation, a.id)).collect();
            return Err(Failure::input(format!(
                "in sổ ra PDF cần một sổ: chọn --agency trong {} (one book per PDF)",
                if names.is_empty() { "—".to_owned() } else { names.join(", ") }
            )));
        };
        return crate::export_cmd::register_pdf(store, &args.which, year, agency, out);
    }
    if args.json {
        let rows: Vec<serde_json::Value> = tables
            .into_iter()
            .flat_map(|(agency, rows, _)| {
                rows.into_iter().map(move |mut row| {
                    row["agency"] = serde_json::Value::String(agency.name.clone());
                    row
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows).expect("rows serialise"));
        return Ok(());
    }
    let header = if args.which == "outgoing" {
        "Số, ký hiệu\tNgày tháng\tTên loại và trích yếu\tNgười ký\tNơi nhận\tBản lưu\tSố lượng bản\tNgày chuyển\tGhi chú"
    } else {
        "Ngày đến\tSố đến\tTác giả\tSố, ký hiệu\tNgày tháng\tTên loại và trích yếu\tĐơn vị, người nhận\tGhi chú"
    };
    for (i, (agency, _, cells)) in tables.iter().enumerate() {
        if i > 0 {
            println!();
        }
        let parent = agency.parent_name.as_deref().map(|p| format!("{p} — ")).unwrap_or_default();
        println!("{} NĂM {year} — {parent}{}", title(&args.which), agency.name);
        println!("{header}");
        for row in cells {
            println!("{}", row.join("\t"));
        }
    }
    Ok(())
}
