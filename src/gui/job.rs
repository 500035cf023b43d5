//! Long work (verification, exports) run off the UI thread on its own database
//! connection; the shell shows a progress indicator meanwhile.

use std::path::{Path, PathBuf};

use vanthu_core::Store;

/// A piece of long work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Verify the audit chain, content hashes and signatures.
    Verify,
}

impl Job {
    /// What the progress indicator says.
    pub fn label(&self) -> &'static str {
        match self {
            Job::Verify => "Đang kiểm tra chuỗi nhật ký…",
        }
    }
}

/// The result of a job, ready to travel in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    /// `Ok(None)`: everything verifies; `Ok(Some(where))`: the first broken link.
    Verified(Result<Option<String>, String>),
}

/// Runs `job` on a fresh connection to `db` (blocking; call it from a worker).
pub fn run_blocking(job: &Job, db: &Path) -> Done {
    match job {
        Job::Verify => Done::Verified(Store::open(db).and_then(|s| s.verify()).map_err(|e| {
            eprintln!("vanthu: verify failed: {e}");
            e.to_string()
        })),
    }
}

/// Runs `job` on the in-memory store (tests), on the UI thread.
pub fn run_inline(job: &Job, store: &Store) -> Done {
    match job {
        Job::Verify => Done::Verified(store.verify().map_err(|e| e.to_string())),
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
