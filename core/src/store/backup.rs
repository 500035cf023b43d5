//! Backup and restore through SQLite's online backup API: a consistent copy while
//! the application (or another process) keeps writing; a restore that accepts only
//! a sound Vanthu database continuing the current history, unless an administrator
//! explicitly rolls back with a reason.
//!
//! The database file itself is only ever read and written through SQLite (see
//! [`Store::open`] on POSIX locks). Backups, their anchors and restore copies are
//! private files (0600) in private directories (0700).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};
use serde::Serialize;

use super::workflow::append_event;
use super::{APPLICATION_ID, Actor, Result, Store, StoreError, side_file};
use crate::model::Role;
use crate::private_fs;

/// Settings key of the time of the last successful backup (RFC 3339, UTC).
const SETTING_LAST_BACKUP: &str = "last_backup_at";

/// The GUI reminds the user when the last backup is older than this many days.
pub const BACKUP_REMINDER_DAYS: i64 = 7;

/// Prefix of the private directories restores copy candidates into, beside the
/// database; left-overs of a killed restore are removed at the next open.
const RESTORE_DIR_PREFIX: &str = ".vanthu-restore-";

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupReport {
    /// The backup file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// When it was taken (UTC, RFC 3339).
    pub at: String,
    /// The anchor written beside it (`FILE.anchor.json`).
    pub anchor: PathBuf,
}

/// How a restore may replace the current history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RestoreOptions {
    /// Accept an older backup or another history (`--allow-rollback`), with the
    /// reason recorded in the `restored` event (required then).
    pub rollback_reason: Option<String>,
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

/// Refuses to write any output (a PDF, a fixed document, an anchor, a package) onto
/// the database at `db` or one of its side files (-wal, -shm, -journal), whatever
/// the spelling of the path (case, `..`, links, hard links): such a write would
/// destroy the office's records.
pub fn refuse_database_target(db: &Path, out: &Path) -> std::result::Result<(), String> {
    if is_database_file(db, out) {
        return Err(format!(
            "không ghi vào {}: đó là cơ sở dữ liệu đang dùng (hoặc tệp đi kèm của nó); hãy chọn tệp khác              (refusing to overwrite the live database)",
            out.display()
        ));
    }
    Ok(())
}

/// Whether `candidate` is the database at `db` or one of its side files.
fn is_database_file(db: &Path, candidate: &Path) -> bool {
    let own = [db.to_owned(), side_file(db, "-wal"), side_file(db, "-shm"), side_file(db, "-journal")];
    let resolve = |p: &Path| -> PathBuf {
        // The file may not exist yet: resolve its directory instead.
        match (p.parent().filter(|d| !d.as_os_str().is_empty()), p.file_name()) {
            (Some(dir), Some(name)) => dir.canonicalize().map_or_else(|_| p.to_owned(), |d| d.join(name)),
            (None, Some(name)) => std::env::current_dir().map_or_else(|_| p.to_owned(), |d| d.join(name)),
            _ => p.to_owned(),
        }
    };
    let target = resolve(candidate);
    let target_real = candidate.canonicalize().ok();
    own.iter().any(|f| {
        resolve(f) == target
            || target_real.as_ref().is_some_and(|t| f.canonicalize().ok().as_ref() == Some(t))
            || same_inode(f, candidate)
    })
}

/// Whether two paths are one file (a hard link has another name but the same
/// inode, and POSIX locks belong to the inode). `stat` only: no descriptor is
/// opened, so no lock can be dropped.
#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// Elsewhere the paths decide (Windows locks are per handle, not per file).
#[cfg(not(unix))]
fn same_inode(_: &Path, _: &Path) -> bool {
    false
}

/// SHA-256 (hex) of a file, streamed. Only ever called on a restore source, which
/// `restore` has refused when it is the live database or one of its side files
/// (by path and by inode, [`is_database_file`]): a plain handle here cannot drop
/// the live database's locks.
fn file_sha256(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(|e| io_error(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Removes the private restore directories of restores whose process is gone.
pub(crate) fn remove_restore_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(RESTORE_DIR_PREFIX) else { continue };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        // Without /proc (not Linux) only this process is known to be alive.
        let has_proc = Path::new("/proc/self").exists();
        let alive = pid
            .is_some_and(|pid| pid == std::process::id() || (has_proc && Path::new(&format!("/proc/{pid}")).exists()));
        if !alive && entry.file_type().is_ok_and(|t| t.is_dir() && !t.is_symlink()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The hashes of the audit chain, in order.
fn chain(conn: &super::sql::Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT hash FROM audit_events ORDER BY id")?;
    Ok(stmt.query_map([], |r| r.get(0))?.collect::<super::sql::Result<_>>()?)
}

impl Store {
    /// Writes a consistent copy of the open database to `out` (a single file,
    /// rollback journal, no `-wal`), written beside it under a temporary name and
    /// renamed when complete and checked, so a crash never leaves a half backup
    /// under the final name; and its anchor (`FILE.anchor.json`, see
    /// [`Store::anchor`]). Refuses the database's own files, and an existing file
    /// unless `overwrite`. Records the time as the last backup and, with an actor,
    /// a `backup` audit event (administrator, văn thư or archivist).
    pub fn backup_to(
        &mut self,
        actor: Option<&Actor>,
        out: &Path,
        overwrite: bool,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<BackupReport> {
        if let Some(actor) = actor
            && ![Role::Admin, Role::VanThu, Role::Archivist].iter().any(|r| actor.has(*r))
        {
            return Err(StoreError::Denied(format!(
                "{} không có vai trò Quản trị, Văn thư hay Lưu trữ để sao lưu",
                actor.user().username
            )));
        }
        if out.to_str().is_some_and(super::is_postgres_url) {
            return Err(StoreError::Invalid(
                "bản sao lưu là một tệp SQLite: --out cần tên tệp, không phải địa chỉ máy chủ \
                 (to copy to a server, use vanthu copy)"
                    .into(),
            ));
        }
        if self.path.as_deref().is_some_and(|p| is_database_file(p, out)) {
            return Err(StoreError::Invalid(format!(
                "tệp sao lưu {} là tệp của chính cơ sở dữ liệu đang dùng; hãy chọn tệp khác",
                out.display()
            )));
        }
        if out.is_dir() {
            return Err(StoreError::Invalid(format!("{} là một thư mục; hãy chọn tên tệp", out.display())));
        }
        if !overwrite && (out.exists() || out.symlink_metadata().is_ok()) {
            return Err(StoreError::Invalid(format!(
                "tệp {} đã có; dùng --force để ghi đè (file exists)",
                out.display()
            )));
        }
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            private_fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        // The event goes in first, so the backup holds it: restoring the backup at
        // once continues the chain instead of rolling it back.
        if let Some(actor) = actor {
            let comment = format!("sao lưu vào {}", out.display());
            self.write(|tx| system_event(tx, Some(actor), "backup", &comment))?;
        }
        let tmp = out.with_extension(format!("partial-{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let anchor_path = anchor_path_of(out);
        let result = (|| -> Result<()> {
            private_fs::create(&tmp).map_err(|e| io_error(&tmp, e))?;
            let mut dst = Connection::open(&tmp)?;
            match self.conn.as_sqlite() {
                Some(src) => copy(src, &mut dst, progress)?,
                None => {
                    super::transfer::into_sqlite_file(&self.conn, dst, progress)?;
                    dst = Connection::open(&tmp)?;
                }
            }
            let mode: String = dst.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("delete") {
                return Err(StoreError::Invalid(format!("journal_mode {mode}")));
            }
            let check: String = dst.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            if check != "ok" {
                return Err(StoreError::Invalid(format!("bản sao lưu không toàn vẹn: {check}")));
            }
            let anchor = Store { conn: super::sql::Connection::sqlite(dst), path: None, url: None, connect_url: None }
                .anchor()?;
            let json = serde_json::to_string_pretty(&anchor).expect("anchors serialise");
            private_fs::write(&anchor_path, json.as_bytes()).map_err(|e| io_error(&anchor_path, e))?;
            // `tmp` is our own new file and its connection is closed above: syncing it
            // through a handle cannot touch the live database's locks.
            // Opened for writing: Windows flushes (`FlushFileBuffers`) only through a
            // handle with write access (a read-only one is refused, os error 5).
            std::fs::OpenOptions::new()
                .write(true)
                .open(&tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| io_error(&tmp, e))?;
            std::fs::rename(&tmp, out).map_err(|e| io_error(out, e))
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        let at = super::now_text();
        self.set_setting(SETTING_LAST_BACKUP, Some(&at))?;
        let bytes = std::fs::metadata(out).map_err(|e| io_error(out, e))?.len();
        Ok(BackupReport { path: out.to_owned(), bytes, at, anchor: anchor_path })
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

    /// Replaces the contents of the open database with the backup `file`
    /// (administrator only), after checking a private copy of it: a Vanthu
    /// database (`application_id`, `user_version` ≥ 1, not newer than this build)
    /// with at least one active administrator, passing `PRAGMA integrity_check`
    /// and [`Store::verify`]. Its audit chain must continue the current one; an
    /// older backup (a strict prefix) or another history is refused unless
    /// `options.rollback_reason` is given. The restored database records a
    /// `restored` event (file SHA-256, who, reason, events dropped). The given file
    /// is never modified; nothing changes on refusal.
    pub fn restore_from(
        &mut self,
        actor: &Actor,
        file: &Path,
        options: &RestoreOptions,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<RestoreReport> {
        self.require_admin(actor, "khôi phục cơ sở dữ liệu")?;
        self.restore(RestoreAuth::Actor(actor), file, options, progress)
    }

    /// Restores a backup into a database that has no account yet (a new machine
    /// after a loss): the administrator authenticates against the backup's own
    /// accounts. Refused when this database has accounts (use
    /// [`Store::restore_from`]). Otherwise the same checks.
    pub fn restore_into_empty(
        &mut self,
        username: &str,
        password: &str,
        file: &Path,
        options: &RestoreOptions,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<RestoreReport> {
        if !self.needs_first_admin()? {
            return Err(StoreError::Denied(
                "cơ sở dữ liệu đã có tài khoản: hãy đăng nhập bằng tài khoản quản trị của nó".into(),
            ));
        }
        self.restore(RestoreAuth::Backup { username, password }, file, options, progress)
    }

    fn restore(
        &mut self,
        auth: RestoreAuth<'_>,
        file: &Path,
        options: &RestoreOptions,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<RestoreReport> {
        if self.conn.as_sqlite().is_none() {
            return Err(StoreError::Invalid(
                "khôi phục vào máy chủ PostgreSQL: chép bản sao lưu vào một cơ sở dữ liệu trống bằng \
                 «vanthu copy --from TỆP_SAO_LƯU --to postgres://…», rồi chạy «vanthu server init» \
                 (restore into PostgreSQL)"
                    .into(),
            ));
        }
        if options.rollback_reason.as_deref().is_some_and(|r| r.trim().is_empty()) {
            return Err(StoreError::Invalid("--allow-rollback cần lý do (--reason TEXT)".into()));
        }
        if !file.is_file() {
            return Err(StoreError::NotFound(format!("tệp sao lưu {}", file.display())));
        }
        if self.path.as_deref().is_some_and(|p| is_database_file(p, file)) {
            return Err(StoreError::Invalid(format!(
                "{} là tệp của chính cơ sở dữ liệu đang dùng, không phải bản sao lưu",
                file.display()
            )));
        }
        let shown = file.display().to_string();
        let base = match self.path.as_deref().and_then(Path::parent) {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
            Some(_) => PathBuf::from("."),
            None => std::env::temp_dir(),
        };
        let dir = base.join(format!("{RESTORE_DIR_PREFIX}{}-{}", std::process::id(), rand_suffix()));
        private_fs::create_dir(&dir).map_err(|e| io_error(&dir, e))?;
        let result = (|| -> Result<RestoreReport> {
            let sha256 = file_sha256(file)?;
            let copy_path = dir.join("candidate.db");
            {
                use std::io::Write as _;
                let mut out = private_fs::create(&copy_path).map_err(|e| io_error(&copy_path, e))?;
                // The restore source, already refused if it is the live database or a
                // side file of it (see `file_sha256`).
                let mut src = std::fs::File::open(file).map_err(|e| io_error(file, e))?;
                std::io::copy(&mut src, &mut out).map_err(|e| io_error(file, e))?;
                out.flush().map_err(|e| io_error(&copy_path, e))?;
            }
            let not_vanthu = || StoreError::NotVanthu(shown.clone());
            {
                let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
                let probe = Connection::open_with_flags(&copy_path, flags).map_err(|_| not_vanthu())?;
                let app: i64 = probe.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(|_| not_vanthu())?;
                let version: i64 =
                    probe.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|_| not_vanthu())?;
                if app != i64::from(APPLICATION_ID) || version < 1 {
                    return Err(not_vanthu());
                }
            }
            let candidate = Store::open(&copy_path)?;
            let check = candidate.integrity_check()?;
            if check != "ok" {
                return Err(StoreError::Invalid(format!(
                    "tệp sao lưu {shown} không toàn vẹn (integrity_check: {check}); không khôi phục"
                )));
            }
            let admins: i64 = candidate.conn.query_row(
                "SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'admin' AND u.active = 1",
                [],
                |r| r.get(0),
            )?;
            if admins == 0 {
                return Err(StoreError::Invalid(format!(
                    "tệp sao lưu {shown} không có quản trị viên nào; không khôi phục"
                )));
            }
            let actor = match auth {
                RestoreAuth::Actor(actor) => actor.clone(),
                RestoreAuth::Backup { username, password } => {
                    let actor = candidate.login(username, password)?;
                    actor.require(crate::model::Role::Admin, "khôi phục cơ sở dữ liệu")?;
                    actor
                }
            };
            if let Some(broken) = candidate.verify()? {
                return Err(StoreError::Invalid(format!(
                    "tệp sao lưu {shown} không qua kiểm tra chuỗi nhật ký: hỏng tại {broken}; không khôi phục"
                )));
            }
            let (current, restored) = (chain(&self.conn)?, chain(&candidate.conn)?);
            let common = current.iter().zip(&restored).take_while(|(a, b)| a == b).count();
            let dropped = current.len() - common;
            if dropped > 0 && options.rollback_reason.is_none() {
                let why = if common == restored.len() {
                    format!("là bản cũ hơn: thiếu {dropped} sự kiện nhật ký cuối của cơ sở dữ liệu hiện tại")
                } else {
                    format!("có lịch sử khác: {dropped} sự kiện hiện tại sẽ mất")
                };
                return Err(StoreError::Invalid(format!(
                    "tệp sao lưu {shown} {why}; chỉ khôi phục với --allow-rollback --reason \"lý do\" (rollback refused)"
                )));
            }
            let (Some(src), Some(dst)) = (candidate.conn.as_sqlite(), self.conn.as_sqlite_mut()) else {
                return Err(StoreError::Invalid(
                    "khôi phục vào máy chủ PostgreSQL: dùng `vanthu copy --from TỆP_SAO_LƯU --to postgres://…` \
                     vào một cơ sở dữ liệu trống (restore into PostgreSQL)"
                        .into(),
                ));
            };
            copy(src, dst, progress)?;
            drop(candidate);
            let reason = options.rollback_reason.clone().unwrap_or_default();
            let comment = format!(
                "khôi phục từ {shown} (sha256 {sha256}); bỏ {dropped} sự kiện{}",
                if reason.is_empty() { String::new() } else { format!("; lý do: {reason}") }
            );
            self.write(|tx| system_event(tx, Some(&actor), "restored", &comment))?;
            Ok(RestoreReport { sha256, events_dropped: dropped as i64, events: restored.len() as i64 + 1 })
        })();
        let _ = std::fs::remove_dir_all(&dir);
        result
    }
}

/// Who authorises a restore.
enum RestoreAuth<'a> {
    /// An administrator logged in to the current database.
    Actor(&'a Actor),
    /// An administrator of the backup (the current database has no account).
    Backup {
        /// User name.
        username: &'a str,
        /// Password.
        password: &'a str,
    },
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestoreReport {
    /// SHA-256 of the backup file.
    pub sha256: String,
    /// Events of the previous chain not in the restored one.
    pub events_dropped: i64,
    /// Length of the chain after the `restored` event.
    pub events: i64,
}

/// The anchor file written beside a backup: `FILE.anchor.json`.
pub fn anchor_path_of(backup: &Path) -> PathBuf {
    side_file(backup, ".anchor.json")
}

/// A `system` audit event by `actor` (its user id only when the account exists
/// in this database: a restored database may not have it).
fn system_event(tx: &super::sql::Transaction<'_>, actor: Option<&Actor>, action: &str, comment: &str) -> Result<()> {
    let user_id = match actor {
        Some(a) => {
            let id = a.user().id;
            let same: Option<String> = super::sql::OptionalExtension::optional(tx.query_row(
                "SELECT username FROM users WHERE id = ?1",
                [id],
                |r| r.get(0),
            ))?;
            same.filter(|u| *u == a.user().username).map(|_| id)
        }
        None => None,
    };
    let username = actor.map_or("vanthu", |a| a.user().username.as_str());
    let role = actor.map_or("system", |a| {
        [Role::Admin, Role::VanThu, Role::Archivist].into_iter().find(|r| a.has(*r)).map_or("system", Role::code)
    });
    append_event(tx, &super::workflow::system_event(user_id, username, role, action, comment, None)).map(|_| ())
}

fn rand_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    h.finish()
}
