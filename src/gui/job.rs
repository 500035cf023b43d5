//! Long work (verification, exports) run off the UI thread on its own database
//! connection; the shell shows a progress indicator meanwhile.

use std::path::{Path, PathBuf};

use vanthu_core::Store;

/// A piece of long work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Verify the audit chain, content hashes and signatures.
    Verify,
    /// Export an outgoing document to PDF through a save dialog.
    ExportPdf(i64),
}

impl Job {
    /// What the progress indicator says.
    pub fn label(&self) -> &'static str {
        match self {
            Job::Verify => "Đang kiểm tra chuỗi nhật ký…",
            Job::ExportPdf(_) => "Đang xuất PDF…",
        }
    }
}

/// The result of a job, ready to travel in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    /// `Ok(None)`: everything verifies; `Ok(Some(where))`: the first broken link.
    Verified(Result<Option<String>, String>),
    /// `Ok(Some(path))`: written; `Ok(None)`: the dialog was cancelled.
    Exported(Result<Option<String>, String>),
}

/// The PDF of a stored document.
fn pdf_of(store: &Store, id: i64) -> Result<Vec<u8>, String> {
    let stored = store.document(id).map_err(|e| e.to_string())?.ok_or_else(|| format!("Không có văn bản #{id}."))?;
    let ruleset = store.effective_ruleset(stored.document.family).map_err(|e| e.to_string())?;
    vanthu_core::pdf::document_pdf(&stored.document, &ruleset).map_err(|e| e.to_string())
}

/// Runs `job` on a fresh connection to `db` (blocking; call it from a worker).
pub fn run_blocking(job: &Job, db: &Path) -> Done {
    match job {
        Job::Verify => Done::Verified(Store::open(db).and_then(|s| s.verify()).map_err(|e| {
            eprintln!("vanthu: verify failed: {e}");
            e.to_string()
        })),
        Job::ExportPdf(id) => Done::Exported((|| {
            let store = Store::open(db).map_err(|e| e.to_string())?;
            let bytes = pdf_of(&store, *id)?;
            let Some(path) = rfd::FileDialog::new()
                .set_title("Xuất PDF")
                .add_filter("PDF", &["pdf"])
                .set_file_name(format!("van-ban-{id}.pdf"))
                .save_file()
            else {
                return Ok(None);
            };
            std::fs::write(&path, bytes).map_err(|e| {
                eprintln!("vanthu: cannot write {}: {e}", path.display());
                format!("Không ghi được {}: {e}", path.display())
            })?;
            Ok(Some(path.display().to_string()))
        })()),
    }
}

/// Runs `job` on the in-memory store (tests), on the UI thread.
pub fn run_inline(job: &Job, store: &Store) -> Done {
    match job {
        Job::Verify => Done::Verified(store.verify().map_err(|e| e.to_string())),
        Job::ExportPdf(id) => Done::Exported(pdf_of(store, *id).map(|_| None)),
    }
}

/// Runs a job on a worker thread and resolves with its result.
pub async fn run_on_worker(job: Job, db: PathBuf) -> Done {
    let (tx, rx) = iced::futures::channel::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(run_blocking(&job, &db));
    });
    rx.await.unwrap_or_else(|_| Done::Verified(Err("tiến trình nền dừng bất thường (worker stopped)".into())))
}
