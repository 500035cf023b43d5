//! `vanthu export`: a document to PDF/A-1b, from a `vanthu.document/1` file or from the
//! database; and the registers of Phụ lục IV as a landscape PDF.

use std::path::{Path, PathBuf};

use vanthu_core::Store;
use vanthu_core::pdf;
use vanthu_core::ruleset::default_ruleset;

use crate::check::read_document;
use crate::cli::Failure;

/// Arguments of `vanthu export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Tệp vanthu.document/1 (JSON) / A document file.
    #[arg(conflicts_with = "id", required_unless_present = "id")]
    file: Option<PathBuf>,
    /// Mã văn bản trong CSDL / A document id in the database.
    #[arg(long)]
    id: Option<i64>,
    /// Tệp PDF xuất ra / Output PDF.
    #[arg(long, value_name = "OUT.pdf")]
    out: PathBuf,
    /// Xuất với quyền của người dùng (mật khẩu từ VANTHU_PASSWORD); không có: như văn phòng thấy /
    /// Export as this user; without it, what the office sees (no unsubmitted draft).
    #[arg(long = "as", value_name = "USER", requires = "id")]
    as_user: Option<String>,
}

/// Writes an output file, never onto the live database at `db`.
pub fn write_out(db: Option<&Path>, out: &Path, bytes: &[u8]) -> Result<(), Failure> {
    if let Some(db) = db {
        vanthu_core::store::refuse_database_target(db, out).map_err(Failure::input)?;
    }
    // Write beside the target and rename, so a failure never leaves half a file.
    let tmp = out.with_extension("pdf.part");
    vanthu_core::private_fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, out)).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Failure { code: 1, message: format!("không ghi được {}: {e} (cannot write)", out.display()) }
    })
}

/// Writes the files delivered with document `id` beside `out`, each named
/// `<stem of out>_<file name>` (the agency-signed PDF, or the file and its `.p7s`).
fn write_attachments(store: &Store, db: &Path, id: i64, out: &Path) -> Result<(), Failure> {
    let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    for file in store.delivered_files(id)? {
        let path = out.with_file_name(format!("{stem}_{}", file.name));
        write_out(Some(db), &path, &file.bytes)?;
        println!("{} ({} byte, tệp kèm theo)", path.display(), file.bytes.len());
    }
    Ok(())
}

/// Runs `vanthu export`.
pub fn run(args: ExportArgs, db: &Path) -> Result<(), Failure> {
    let (document, ruleset, state) = match (&args.file, args.id) {
        (Some(file), _) => {
            let document = read_document(file).map_err(Failure::input)?;
            let ruleset = default_ruleset(document.family).clone();
            (document, ruleset, None)
        }
        (None, Some(id)) => {
            let store = Store::open_existing(db)?;
            let viewer = args.as_user.as_deref().map(|user| crate::register_cmd::login(&store, user)).transpose()?;
            crate::cli::readable(&store, viewer.as_ref(), id)?;
            let stored = store.document(id)?.ok_or_else(|| crate::cli::not_found(id))?;
            // A digitally signed document is its stored signed bytes, exactly.
            if let Some(bytes) = store.signed_pdf(id)? {
                write_out(Some(db), &args.out, &bytes)?;
                println!("{} ({} byte, đã ký số)", args.out.display(), bytes.len());
                return write_attachments(&store, db, id, &args.out);
            }
            if !store.draft_attachments(id)?.is_empty() {
                let ruleset = store.effective_ruleset(stored.document.family)?;
                let bytes = pdf::document_pdf_in_state(&stored.document, &ruleset, stored.state)
                    .map_err(|e| Failure { code: 1, message: e.to_string() })?;
                write_out(Some(db), &args.out, &bytes)?;
                println!("{} ({} byte)", args.out.display(), bytes.len());
                return write_attachments(&store, db, id, &args.out);
            }
            let ruleset = store.effective_ruleset(stored.document.family)?;
            (stored.document, ruleset, Some(stored.state))
        }
        (None, None) => return Err(Failure::input("cần một tệp hoặc --id (a file or --id is required)".to_owned())),
    };
    let bytes = match state {
        Some(state) => pdf::document_pdf_in_state(&document, &ruleset, state),
        None => pdf::document_pdf(&document, &ruleset),
    }
    .map_err(|e| Failure { code: 1, message: e.to_string() })?;
    write_out(Some(db), &args.out, &bytes)?;
    println!("{} ({} byte)", args.out.display(), bytes.len());
    Ok(())
}

/// Prints one agency's outgoing or incoming register of `year` to a landscape PDF.
pub fn register_pdf(
    store: &Store,
    which: &str,
    year: i32,
    agency: &vanthu_core::model::Agency,
    out: &Path,
) -> Result<(), Failure> {
    let name = agency.name.clone();
    let table = match which {
        "outgoing" => pdf::register::outgoing_table(&name, year, &store.outgoing_register(year, Some(agency.id))?),
        "incoming" => pdf::register::incoming_table(&name, year, &store.incoming_register(year, Some(agency.id))?),
        other => {
            return Err(Failure::input(format!("sổ `{other}` không có: outgoing hoặc incoming (unknown register)")));
        }
    };
    let bytes = pdf::register::register_pdf(&table).map_err(|e| Failure { code: 1, message: e.to_string() })?;
    write_out(store.path(), out, &bytes)?;
    println!("{} ({} byte)", out.display(), bytes.len());
    Ok(())
}
