//! Backup and restore through SQLite's online backup API: a consistent copy while
//! the application (or another process) keeps writing; a restore that refuses a file
//! failing `PRAGMA integrity_check` or the audit chain verification.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};
use serde::Serialize;

use super::{Result, Store, StoreError};

/// Settings key of the time of the last successful backup (RFC 3339, UTC).
const SETTING_LAST_BACKUP: &str = "last_backup_at";

/// The GUI reminds the user when the last backup is older than this many days.
pub const BACKUP_REMINDER_DAYS: i64 = 7;

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupReport {
    /// The backup file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// When it was taken (UTC, RFC 3339).
    pub at: String,
}

fn io_error(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io { path: path.display().to_string(), source }
}

/// Copies `src` into `dst` page by page; `progress(done, total)` after each step.
/// Steps of 256 pages let other connections write in between; a change by another
/// connection restarts the copy, so the result is always one consistent snapshot.
fn copy(src: &Connection, dst: &mut Connection, progress: &mut dyn FnMut(u64, u64)) -> Result<()> {
    let backup = Backup::new(src, dst)?;
    loop {
        match backup.step(256)? {
            StepResult::Done => break,
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked => std::thread::sleep(std::time::Duration::from_millis(20)),
            _ => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
        let p = backup.progress();
        progress((p.pagecount - p.remaining).max(0) as u64, p.pagecount.max(0) as u64);
    }
    let p = backup.progress();
    progress(p.pagecount.max(0) as u64, p.pagecount.max(0) as u64);
    Ok(())
}

impl Store {
    /// Writes a consistent copy of the open database to `out` (a single file,
    /// rollback journal, no `-wal`), written beside it under a temporary name and
    /// renamed when complete and checked, so a crash never leaves a half backup
    /// under the final name. Records the time as the last backup.
    pub fn backup_to(&mut self, out: &Path, progress: &mut dyn FnMut(u64, u64)) -> Result<BackupReport> {
        if self.path.as_deref().is_some_and(|p| same_file(p, out)) {
            return Err(StoreError::Invalid("tệp sao lưu không được trùng tệp cơ sở dữ liệu đang dùng".into()));
        }
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        let tmp = out.with_extension(format!("partial-{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let result = (|| -> Result<()> {
            let mut dst = Connection::open(&tmp)?;
            copy(&self.conn, &mut dst, progress)?;
            let mode: String = dst.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("delete") {
                return Err(StoreError::Invalid(format!("journal_mode {mode}")));
            }
            let check: String = dst.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            if check != "ok" {
                return Err(StoreError::Invalid(format!("bản sao lưu không toàn vẹn: {check}")));
            }
            drop(dst);
            std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(|e| io_error(&tmp, e))?;
            std::fs::rename(&tmp, out).map_err(|e| io_error(out, e))
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        let at = super::now_text();
        self.set_setting(SETTING_LAST_BACKUP, Some(&at))?;
        let bytes = std::fs::metadata(out).map_err(|e| io_error(out, e))?.len();
        Ok(BackupReport { path: out.to_owned(), bytes, at })
    }

    /// When the last backup of this database was taken, if ever.
    pub fn last_backup(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(self
            .setting(SETTING_LAST_BACKUP)?
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc)))
    }

    /// Whether the GUI should remind the user to back up: never backed up, or the
    /// last backup is older than [`BACKUP_REMINDER_DAYS`] at `now`.
    pub fn backup_overdue(&self, now: DateTime<Utc>) -> Result<bool> {
        Ok(self.last_backup()?.is_none_or(|at| now - at > chrono::Duration::days(BACKUP_REMINDER_DAYS)))
    }

    /// Replaces the contents of the open database with the backup `file`, after
    /// checking a private copy of it: it must be a Vanthu database (not newer than
    /// this build), pass `PRAGMA integrity_check` and the audit chain and content
    /// verification ([`Store::verify`]). The given file is never modified. Nothing
    /// changes on refusal.
    pub fn restore_from(&mut self, file: &Path, progress: &mut dyn FnMut(u64, u64)) -> Result<()> {
        if !file.is_file() {
            return Err(StoreError::NotFound(format!("tệp sao lưu {}", file.display())));
        }
        let dir = std::env::temp_dir().join(format!("vanthu-restore-{}-{}", std::process::id(), rand_suffix()));
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        let result = (|| -> Result<()> {
            let copy_path = dir.join("candidate.db");
            std::fs::copy(file, &copy_path).map_err(|e| io_error(file, e))?;
            let candidate = Store::open(&copy_path)?;
            let check = candidate.integrity_check()?;
            if check != "ok" {
                return Err(StoreError::Invalid(format!(
                    "tệp sao lưu {} không toàn vẹn (integrity_check: {check}); không khôi phục",
                    file.display()
                )));
            }
            if let Some(broken) = candidate.verify()? {
                return Err(StoreError::Invalid(format!(
                    "tệp sao lưu {} không qua kiểm tra chuỗi nhật ký: hỏng tại {broken}; không khôi phục",
                    file.display()
                )));
            }
            copy(&candidate.conn, &mut self.conn, progress)
        })();
        let _ = std::fs::remove_dir_all(&dir);
        result
    }
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    h.finish()
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
