//! Regression test for the lost POSIX locks (issue #13, item 1): a background job
//! opening its own [`Store`] must not drop the locks of the window's connection.
//! With them gone, another SQLite client (the system `sqlite3` 3.40 of Debian 12;
//! SQLite ≥ 3.51 refuses in this case) takes an exclusive lock when it closes,
//! checkpoints, and deletes the live `-wal` and `-shm`: the window then commits into
//! a deleted file that no other process sees, and a crash loses it.

use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::OptionalExtension;

use super::Store;

const CHILD_DB: &str = "VANTHU_LOCK_CHILD_DB";
const MARKER: &str = "lock-test-marker";

/// Child process: another SQLite client (the bundled SQLite) that reads the
/// marker and closes.
#[test]
#[ignore = "run by the lock test as a separate process"]
fn other_process_reader() {
    let Ok(db) = std::env::var(CHILD_DB) else { return };
    let conn = rusqlite::Connection::open(&db).unwrap();
    let value: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [MARKER], |r| r.get(0)).optional().unwrap();
    println!("MARKER={}", value.unwrap_or_default());
}

/// The marker as another process reads it: the system `sqlite3` when installed
/// (an older SQLite, as a user would run it), else this test binary.
fn read_in_other_process(db: &Path) -> String {
    let sql = format!("SELECT 'MARKER=' || coalesce((SELECT value FROM settings WHERE key = '{MARKER}'), '');");
    let out = match Command::new("sqlite3").arg(db).arg(&sql).output() {
        Ok(out) => out,
        Err(_) => Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "store::lock_tests::other_process_reader",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DB, db)
            .output()
            .unwrap(),
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The test harness may print its own text before ours on the same line.
    stdout
        .lines()
        .find_map(|l| l.split_once("MARKER=").map(|(_, v)| v))
        .unwrap_or_else(|| panic!("no marker in {stdout}"))
        .to_owned()
}

/// Whether this process holds a POSIX read lock on the database's SHARED range
/// (`/proc/locks`, Linux): the lock a WAL connection keeps while it is open.
#[cfg(target_os = "linux")]
fn holds_shared_lock(db: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let inode = std::fs::metadata(db).unwrap().ino();
    let me = std::process::id();
    std::fs::read_to_string("/proc/locks").unwrap().lines().any(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        // "1: POSIX  ADVISORY  READ 1234 fe:00:5678 1073741826 1073742335"
        f.len() >= 8
            && f[1] == "POSIX"
            && f[4] == me.to_string()
            && f[5].rsplit(':').next() == Some(&inode.to_string())
            && f[6] == "1073741826"
    })
}

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vanthu-lock-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("v.db")
}

#[test]
fn a_background_store_keeps_the_window_locks_and_no_write_is_lost() {
    let path = temp_db("job");
    let mut window = Store::open(&path).unwrap();
    window.set_setting(MARKER, Some("before")).unwrap();
    #[cfg(target_os = "linux")]
    assert!(holds_shared_lock(&path), "an open WAL connection holds its shared lock");
    // A background job (PDF export, backup…) opens and closes its own store.
    drop(Store::open(&path).unwrap());
    #[cfg(target_os = "linux")]
    assert!(holds_shared_lock(&path), "the job's open must not drop the window's lock");
    assert_eq!(read_in_other_process(&path), "before");
    let wal = path.with_extension("db-wal");
    assert!(wal.exists(), "the other client must not delete the live -wal");
    window.set_setting(MARKER, Some("after")).unwrap();
    assert_eq!(read_in_other_process(&path), "after", "a committed write is visible to other processes");
    drop(window);
    let again = Store::open(&path).unwrap();
    assert_eq!(again.setting(MARKER).unwrap().as_deref(), Some("after"), "the write survives a reopen");
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}
