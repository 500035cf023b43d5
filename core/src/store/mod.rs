//! The SQLite store: the only place in Vanthu that contains SQL.
//!
//! Connection set-up follows Mozilla application-services and atuin: pragmas are
//! set on every open, outside the migrations; migrations are SQL files tracked by
//! `user_version`; a database written by a newer Vanthu is refused before anything
//! touches it. Every write runs in one `BEGIN IMMEDIATE` transaction.

pub(crate) mod accounts;
mod admin;
mod archive_import;
mod attachments;
#[cfg(test)]
mod attachments_tests;
mod authority;
#[cfg(test)]
mod authority_tests;
mod backup;
pub(crate) mod documents;
#[cfg(test)]
mod dossier_tests;
mod dossiers;
#[cfg(test)]
mod draft_privacy_tests;
mod drafting;
pub mod effects;
mod files;
#[cfg(test)]
mod files_tests;
pub(crate) mod incoming;
mod incoming_card;
mod incoming_flow;
mod incoming_handling;
#[cfg(test)]
mod incoming_handling_tests;
#[cfg(test)]
mod lock_tests;
mod next_step;
pub(crate) mod org;
mod pg;
mod pg_schema;
#[cfg(test)]
mod pg_tests;
mod pki;
#[cfg(test)]
mod pki_tests;
mod references;
mod registers;
#[cfg(test)]
mod registers_tests;
#[cfg(test)]
mod restore_tests;
mod rules;
mod scope;
mod search;
mod search_hits;
mod search_rank;
mod signing;
mod signing_extras;
pub(crate) mod sql;
pub use pg::{ChangeListener, is_postgres_url, redact_url};
pub use signing::{ApprovalSignature, SignAttempt, UnlockedSigner};
pub use sql::{Backend, SqlError};
mod synthetic;
mod transfer;
pub use pg_schema::ServerSetup;
pub use transfer::CopyReport;
mod verify;
#[cfg(test)]
mod verify_tests;
mod views;
mod workflow;
#[cfg(test)]
mod workflow_tests;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rusqlite_migration::{M, Migrations};
use sql::{Connection, Transaction};

pub use accounts::{Actor, CheckedLogin, LoginAttempt};
pub use admin::AuthorityGrant;
pub use archive_import::{ArchivedAgency, ArchivedDossier};
pub use attachments::{Attachment, AttachmentKind, AttachmentSignature, DeliveredFile, MAX_FILE_BYTES};
pub use backup::{
    BACKUP_REMINDER_DAYS, BackupReport, RestoreOptions, RestoreReport, anchor_path_of, refuse_database_target,
};
pub use documents::{DocumentSummary, ImportOptions, StoredDocument};
pub use dossiers::{AuditRecord, DossierChange, DossierPage, FilePlanHeading, FiledItem, NewDossier};
pub use files::{ArchivedFile, NewFile, ReceivedFile};
pub use incoming::NewIncoming;
pub use incoming_flow::{Assignment, DueStatus, Task};
pub use incoming_handling::{
    ExtensionRequest, Forwarding, IncomingCard, IncomingDetails, IncomingStep, MAX_CO_HANDLERS, MAX_DIRECTION_CHARS,
    MAX_EXTENSION_DAYS, MAX_NOTE_CHARS, ProgressNote, ReceivedVia,
};
pub use next_step::PersonLine;
pub use org::{NewAgency, NewDelegation, NewPerson, NewPosition, NewUnit, NewUser};
pub use pki::DigitalSigning;
pub use references::{OfficeNumbers, matches_filter};
pub use registers::{IncomingRegisterRow, OutgoingRegisterRow, Relation};
pub use search::{MAX_QUERY_CHARS, SearchFilters, SearchHit, SearchItem, SearchQuery};
pub use search_rank::Snippet;
pub use signing_extras::{COPY_FORMS, ImageOwner};
pub use verify::{ANCHOR_FORMAT, ChainAnchor};
pub use views::{AuditEvent, SignerChoice};
pub use workflow::{GENESIS_HASH, TransitionOutcome};

/// `PRAGMA application_id` of a Vanthu database ("VTHU").
pub const APPLICATION_ID: i32 = 0x5654_4855;

const MIGRATION_SQL: &[&str] = &[
    include_str!("migrations/0001_foundation.sql"),
    include_str!("migrations/0002_authority_matrix.sql"),
    include_str!("migrations/0003_workflow.sql"),
    include_str!("migrations/0004_signatures.sql"),
    include_str!("migrations/0005_versions.sql"),
    include_str!("migrations/0006_relations.sql"),
    include_str!("migrations/0007_archive.sql"),
    include_str!("migrations/0008_effects.sql"),
    include_str!("migrations/0009_identity.sql"),
    include_str!("migrations/0010_incoming_handling.sql"),
    include_str!("migrations/0012_pki.sql"),
    include_str!("migrations/0013_files.sql"),
    include_str!("migrations/0014_outgoing_files.sql"),
    include_str!("migrations/0015_incoming_opinions.sql"),
];

static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect()));

/// Settings key recording that the demo office was loaded.
pub(crate) const SETTING_DEMO: &str = "demo_loaded";

/// The schema version this build writes (`PRAGMA user_version`).
pub fn schema_version() -> i64 {
    MIGRATION_SQL.len() as i64
}

/// Errors of the store, with Vietnamese messages (English in parentheses for logs).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database was written by a newer Vanthu.
    #[error(
        "cơ sở dữ liệu {path} có phiên bản lược đồ {found}, mới hơn phiên bản {supported} mà bản Vanthu này hỗ trợ; \
         hãy cập nhật Vanthu. Tệp không bị thay đổi. (database schema {found} is newer than supported {supported})"
    )]
    TooNew {
        /// The file.
        path: String,
        /// Its `user_version`.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// The file is not a Vanthu database.
    #[error("tệp {0} không phải cơ sở dữ liệu Vanthu; tệp không bị thay đổi (not a Vanthu database)")]
    NotVanthu(String),
    /// The database file does not exist (and is not created).
    #[error("không có tệp cơ sở dữ liệu {0}; kiểm tra lại đường dẫn --db (no such database file)")]
    Missing(String),
    /// The actor may not do this.
    #[error("không được phép: {0} (permission denied)")]
    Denied(String),
    /// A referenced record does not exist.
    #[error("không tìm thấy: {0} (not found)")]
    NotFound(String),
    /// The request is invalid.
    #[error("dữ liệu không hợp lệ: {0} (invalid input)")]
    Invalid(String),
    /// Wrong user name or password.
    #[error("tên đăng nhập hoặc mật khẩu không đúng (wrong user name or password)")]
    BadCredentials,
    /// Too many failures in a row: the name must wait.
    #[error(
        "đăng nhập sai nhiều lần liên tiếp: hãy chờ {seconds} giây rồi thử lại, hoặc nhờ quản trị viên mở khóa (login locked for {seconds} s)"
    )]
    LoginLocked {
        /// Seconds left.
        seconds: i64,
    },
    /// An administrator reset the password: the user must change it first.
    #[error(
        "mật khẩu của {0} đã được quản trị viên đặt lại: hãy đổi mật khẩu trước (`vanthu passwd --as {0}`) (password change required)"
    )]
    MustChangePassword(String),
    /// A migration failed.
    #[error("không nâng cấp được cơ sở dữ liệu: {0} (migration failed)")]
    Migration(String),
    /// An I/O error around the database file.
    #[error("lỗi tệp {path}: {source} (I/O error)")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The workflow refused the step.
    #[error("{0}")]
    Workflow(crate::workflow::WorkflowError),
    /// The database engine reported an error.
    #[error("lỗi cơ sở dữ liệu: {0} (database error)")]
    Database(#[from] SqlError),
    /// The PostgreSQL server could not be reached or refused the connection.
    #[error("không kết nối được máy chủ PostgreSQL {url}: {reason} (cannot connect)")]
    Connect {
        /// The URL, without its password.
        url: String,
        /// Why.
        reason: String,
    },
}

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open Vanthu database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The PostgreSQL URL (password removed), when the store is on a server.
    url: Option<String>,
    /// The URL as given, to open a [`ChangeListener`] on the same server.
    connect_url: Option<String>,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Database(SqlError::Sqlite(e))
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        StoreError::Database(SqlError::Postgres(e))
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (or creates) the database at `path`, migrating it to the current schema.
    ///
    /// A file that is not SQLite, not a Vanthu database, or from a newer schema is
    /// refused before any write, so its bytes stay unchanged.
    ///
    /// A `path` that is a PostgreSQL URL (`postgres://…`) opens that server's
    /// database instead (see [`Store::open_postgres`]), so every command and the
    /// window take either.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(url) = path.to_str().filter(|s| is_postgres_url(s)) {
            return Self::open_postgres(url);
        }
        let shown = path.display().to_string();
        let io = |source| StoreError::Io { path: shown.clone(), source };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::private_fs::create_dir_all(parent).map_err(&io)?;
            backup::remove_restore_leftovers(parent);
        }
        if path.exists() {
            Self::inspect_existing(path)?;
            // By path (chmod), never through a descriptor: see `inspect_existing`.
            for file in [path.to_owned(), side_file(path, "-wal"), side_file(path, "-shm")] {
                if file.exists() {
                    let _ = crate::private_fs::restrict(&file);
                }
            }
        } else {
            // No connection can have a file open that does not exist yet; SQLite gives
            // the -wal and -shm the mode of this file.
            crate::private_fs::create_empty_if_missing(path).map_err(&io)?;
        }
        let conn = Connection::sqlite(rusqlite::Connection::open(path)?);
        let mut store = Store { conn, path: Some(path.to_owned()), url: None, connect_url: None };
        store.prepare()?;
        Ok(store)
    }

    /// Opens an existing database: a missing file is refused with
    /// [`StoreError::Missing`] and nothing is created (every command but `init`,
    /// `demo` and the window's first run).
    pub fn open_existing(path: &Path) -> Result<Self> {
        if let Some(url) = path.to_str().filter(|s| is_postgres_url(s)) {
            return Self::open_postgres_existing(url);
        }
        if !path.is_file() {
            return Err(StoreError::Missing(path.display().to_string()));
        }
        Self::open(path)
    }

    /// Connects to a PostgreSQL database (`postgres://…`) whose schema was created by
    /// `vanthu server init`, migrating it when this build is newer.
    pub fn open_postgres(url: &str) -> Result<Self> {
        let shown = redact_url(url);
        let client = pg::connect(url).map_err(|reason| StoreError::Connect { url: shown.clone(), reason })?;
        let conn = Connection::postgres(pg::Client::new(client));
        let mut store = Store { conn, path: None, url: Some(shown), connect_url: Some(url.to_owned()) };
        store.prepare()?;
        Ok(store)
    }

    /// Connects to a PostgreSQL office that `vanthu server init` set up; an empty
    /// database is refused with [`StoreError::Missing`] and nothing is created.
    pub fn open_postgres_existing(url: &str) -> Result<Self> {
        let shown = redact_url(url);
        let client = pg::connect(url).map_err(|reason| StoreError::Connect { url: shown.clone(), reason })?;
        let conn = Connection::postgres(pg::Client::new(client));
        if pg_schema::version(&conn)? == 0 {
            return Err(StoreError::Missing(format!("{shown} (cơ sở dữ liệu trống: chạy «vanthu server init» trước)")));
        }
        let mut store = Store { conn, path: None, url: Some(shown), connect_url: Some(url.to_owned()) };
        store.prepare()?;
        Ok(store)
    }

    /// Sets up an office database on a PostgreSQL server (`vanthu server init`),
    /// connected as its owner: the schema (migrated to this build's version) and the
    /// application role the desks log in as, with only the privileges they need.
    /// Running it again is harmless: it migrates and renews the grants.
    pub fn init_server(url: &str, app_role: &str, app_password: Option<&str>) -> Result<(Self, ServerSetup)> {
        let store = Self::open_postgres(url)?;
        let role_created = pg_schema::grant_app_role(&store.conn, app_role, app_password)?;
        let setup = ServerSetup { schema_version: store.user_version()?, app_role: app_role.to_owned(), role_created };
        Ok((store, setup))
    }

    /// Opens `target`: a PostgreSQL URL, or a file that must exist (see
    /// [`Store::open_existing`]).
    pub fn open_target(target: &str) -> Result<Self> {
        if is_postgres_url(target) { Self::open_postgres(target) } else { Self::open_existing(Path::new(target)) }
    }

    /// Opens `target`, creating a missing file (PostgreSQL databases are created by
    /// `vanthu server init`).
    pub fn open_or_create_target(target: &str) -> Result<Self> {
        if is_postgres_url(target) { Self::open_postgres(target) } else { Self::open(Path::new(target)) }
    }

    /// Opens a PostgreSQL store inside `schema` (created when missing): the test
    /// matrix gives every test its own schema on one server.
    pub fn open_postgres_schema(url: &str, schema: &str) -> Result<Self> {
        if !schema.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || schema.is_empty() {
            return Err(StoreError::Invalid(format!("tên schema «{schema}» (schema name)")));
        }
        let shown = redact_url(url);
        let client = pg::connect(url).map_err(|reason| StoreError::Connect { url: shown.clone(), reason })?;
        let conn = Connection::postgres(pg::Client::new(client));
        conn.execute_batch(&format!("CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path TO {schema}"))?;
        let url_shown = Some(format!("{shown} (schema {schema})"));
        let mut store = Store { conn, path: None, url: url_shown, connect_url: Some(url.to_owned()) };
        store.prepare()?;
        Ok(store)
    }

    /// An empty database in memory, for tests. When the tests run with
    /// `VANTHU_TEST_POSTGRES=postgres://…` (the test matrix, `scripts/test.sh`), the
    /// core's own tests get a fresh schema on that server instead.
    pub fn open_in_memory() -> Result<Self> {
        #[cfg(test)]
        if let Ok(url) = std::env::var("VANTHU_TEST_POSTGRES") {
            return Self::open_postgres_schema(&url, &test_schema_name());
        }
        let conn = Connection::sqlite(rusqlite::Connection::open_in_memory()?);
        let mut store = Store { conn, path: None, url: None, connect_url: None };
        store.prepare()?;
        Ok(store)
    }

    /// The file behind the store, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Checks an existing file before any write: SQLite, Vanthu, not newer than this
    /// build. The header fields (`schema_version`, `user_version`, `application_id`)
    /// are read through a read-only SQLite connection, never through a plain file
    /// handle: on POSIX systems closing *any* descriptor of the database file drops
    /// every lock the process holds on it, and another SQLite client would then delete
    /// the live `-wal`/`-shm` under an open connection ("How To Corrupt An SQLite
    /// Database File", §2.2). SQLite itself shares one descriptor per file in the
    /// process and defers closing it while locks are held. (Windows differs: SQLite
    /// locks with `LockFileEx`, mandatory byte-range locks held per handle, so closing
    /// another handle drops nothing; the rule is kept on every system.)
    fn inspect_existing(path: &Path) -> Result<()> {
        let shown = path.display().to_string();
        let len = std::fs::metadata(path).map_err(|source| StoreError::Io { path: shown.clone(), source })?.len();
        if len == 0 {
            return Ok(());
        }
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let header = rusqlite::Connection::open_with_flags(path, flags).and_then(|conn| {
            let read = |pragma: &str| conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get::<_, i64>(0));
            Ok((read("schema_version")?, read("user_version")?, read("application_id")?))
        });
        let (schema_cookie, version, app_id) = match header {
            Ok(values) => values,
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => {
                return Err(StoreError::NotVanthu(shown));
            }
            Err(e) => return Err(e.into()),
        };
        let app_id = app_id as i32;
        if app_id != 0 && app_id != APPLICATION_ID {
            return Err(StoreError::NotVanthu(shown));
        }
        if version == 0 && app_id == 0 && schema_cookie != 0 {
            return Err(StoreError::NotVanthu(shown));
        }
        if version > schema_version() {
            return Err(StoreError::TooNew { path: shown, found: version, supported: schema_version() });
        }
        Ok(())
    }

    fn prepare(&mut self) -> Result<()> {
        if self.conn.backend() == Backend::Postgres {
            pg_schema::migrate(&self.conn)?;
        } else {
            self.prepare_sqlite()?;
        }
        if effects::needs_baseline(&self.conn)? {
            self.write(effects::baseline_if_needed)?;
        }
        if search::has_pending(&self.conn)? {
            self.write(|_| Ok(()))?;
        }
        Ok(())
    }

    fn prepare_sqlite(&mut self) -> Result<()> {
        let has_path = self.path.is_some();
        let Some(conn) = self.conn.as_sqlite_mut() else { return Ok(()) };
        if has_path {
            let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Migration(format!("journal_mode {mode}")));
            }
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        MIGRATIONS.to_latest(conn).map_err(|e| StoreError::Migration(e.to_string()))?;
        let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        if app_id == 0 {
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        Ok(())
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: all of it commits or none.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.begin_write()?;
        let value = f(&tx)?;
        search::flush_pending(&tx)?;
        if self.conn.backend() == Backend::Postgres {
            // Delivered to every listening desk when (and only if) the commit succeeds.
            tx.execute("SELECT pg_notify(?1, '')", [pg::CHANGES_CHANNEL])?;
        }
        tx.commit()?;
        Ok(value)
    }

    /// The schema version of the open database.
    pub fn user_version(&self) -> Result<i64> {
        match self.conn.as_sqlite() {
            Some(conn) => Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?),
            None => pg_schema::version(&self.conn),
        }
    }

    /// A setting, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        use sql::OptionalExtension;
        Ok(self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    /// Sets (or with `None` removes) a setting, in one transaction.
    pub(crate) fn set_setting(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        self.write(|tx| put_setting(tx, key, value))
    }

    /// Whether the demo office was loaded into this database.
    pub fn is_demo(&self) -> Result<bool> {
        Ok(self.setting(SETTING_DEMO)?.is_some())
    }

    /// `PRAGMA integrity_check`: `"ok"` when the file is sound.
    ///
    /// On PostgreSQL the server keeps its own pages sound (checksums, WAL); this
    /// checks that the schema is Vanthu's and complete.
    pub fn integrity_check(&self) -> Result<String> {
        match self.conn.as_sqlite() {
            Some(conn) => Ok(conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?),
            None => pg_schema::integrity(&self.conn),
        }
    }

    /// A listener for other desks' commits, when the store is on PostgreSQL.
    pub fn change_listener_url(&self) -> Option<&str> {
        self.connect_url.as_deref()
    }

    /// Which engine holds this store.
    pub fn backend(&self) -> Backend {
        self.conn.backend()
    }

    /// Where the store is, for messages: the file, or the server URL without password.
    pub fn location(&self) -> String {
        match (&self.path, &self.url) {
            (Some(path), _) => path.display().to_string(),
            (None, Some(url)) => url.clone(),
            (None, None) => ":memory:".into(),
        }
    }
}

/// A schema name no other test of this run uses.
#[cfg(test)]
fn test_schema_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("t{}_{}_{nanos}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// `path` with `suffix` appended to its file name (`v.db` → `v.db-wal`).
pub(crate) fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Current time as stored in the database (UTC, RFC 3339, seconds).
pub(crate) fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The default database file: `<user data dir>/vanthu.db`.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("vn", "Vanthu", "vanthu").map(|dirs| dirs.data_dir().join("vanthu.db"))
}

/// Stores (or with `None` removes) a setting inside a write transaction.
pub(crate) fn put_setting(tx: &Transaction<'_>, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(value) => tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            sql::params![key, value],
        )?,
        None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_memory_store_is_migrated() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.user_version().unwrap(), schema_version());
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }

    fn temp_path(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vanthu-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("v.db")
    }

    #[test]
    fn file_store_uses_wal_and_foreign_keys() {
        let path = temp_path("wal");
        let store = Store::open(&path).unwrap();
        let sqlite = store.conn.as_sqlite().unwrap();
        let mode: String = sqlite.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = sqlite.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        drop(store);
        let again = Store::open(&path).unwrap();
        assert_eq!(again.user_version().unwrap(), schema_version());
    }

    #[test]
    fn newer_schema_is_refused_and_left_untouched() {
        let path = temp_path("newer");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;").unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
        assert!(err.to_string().contains("99"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
        assert!(!path.with_extension("db-wal").exists() && !path.with_extension("db-shm").exists(), "no side files");
    }

    #[test]
    fn foreign_files_are_refused() {
        let path = temp_path("foreign");
        std::fs::write(&path, b"hello, not a database at all").unwrap();
        assert!(matches!(Store::open(&path).unwrap_err(), StoreError::NotVanthu(_)));
        let path = temp_path("other-sqlite");
        rusqlite::Connection::open(&path).unwrap().execute_batch("CREATE TABLE t (x);").unwrap();
        let before = std::fs::read(&path).unwrap();
        assert!(matches!(Store::open(&path).unwrap_err(), StoreError::NotVanthu(_)));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }
}
