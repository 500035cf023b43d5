//! Backup and restore rules (issue #13, item 2): only a sound Vanthu database that
//! continues the current history is restored silently; everything else is refused
//! unless an administrator rolls back with a reason.

use std::path::PathBuf;

use super::{RestoreOptions, Store, StoreError};
use crate::demo::{DEMO_PASSWORD, load_demo_office};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vanthu-restore-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn office(dir: &std::path::Path) -> (Store, crate::Actor) {
    let mut store = Store::open(&dir.join("v.db")).unwrap();
    load_demo_office(&mut store, chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()).unwrap();
    let admin = store.login("admin", DEMO_PASSWORD).unwrap();
    (store, admin)
}

fn events(store: &Store) -> i64 {
    store.anchor().unwrap().events
}

#[test]
fn an_empty_file_or_another_sqlite_file_is_refused_and_nothing_changes() {
    let dir = temp_dir("empty");
    let (mut store, admin) = office(&dir);
    let before = store.anchor().unwrap();
    let empty = dir.join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let err = store.restore_from(&admin, &empty, &RestoreOptions::default(), &mut |_, _| {}).unwrap_err();
    assert!(matches!(err, StoreError::NotVanthu(_)), "{err}");
    let other = dir.join("other.db");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x);").unwrap();
    assert!(store.restore_from(&admin, &other, &RestoreOptions::default(), &mut |_, _| {}).is_err());
    assert_eq!(store.anchor().unwrap().head, before.head, "nothing changed");
    assert!(store.users().unwrap().len() > 5, "the accounts are still there");
    let leftovers = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with(".vanthu-restore-"));
    assert!(!leftovers, "the private copy is removed on failure");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_older_backup_needs_an_explicit_rollback_with_a_reason() {
    let dir = temp_dir("older");
    let (mut store, admin) = office(&dir);
    let backup = dir.join("b.db");
    store.backup_to(Some(&admin), &backup, false, &mut |_, _| {}).unwrap();
    assert!(super::anchor_path_of(&backup).is_file(), "a backup carries its anchor");
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    store.set_user_access(&admin, drafter.user().id, &[crate::model::Role::Drafter], false).unwrap();
    let newer = events(&store);

    let err = store.restore_from(&admin, &backup, &RestoreOptions::default(), &mut |_, _| {}).unwrap_err();
    assert!(err.to_string().contains("bản cũ hơn"), "{err}");
    assert_eq!(events(&store), newer, "refused: nothing changed");
    assert!(store.restore_from(&drafter, &backup, &RestoreOptions::default(), &mut |_, _| {}).is_err(), "admins only");

    let options = RestoreOptions { rollback_reason: Some("Khôi phục theo quyết định 12/QĐ".into()) };
    let report = store.restore_from(&admin, &backup, &options, &mut |_, _| {}).unwrap();
    assert!(report.events_dropped >= 1, "{report:?}");
    let last = store.audit_events(None).unwrap().into_iter().last().unwrap();
    assert_eq!(last.action, "restored");
    assert!(last.comment.as_deref().is_some_and(|c| c.contains("12/QĐ") && c.contains(&report.sha256)), "{last:?}");
    assert_eq!(store.verify().unwrap(), None);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_backup_continuing_the_chain_is_restored_without_rollback() {
    let dir = temp_dir("same");
    let (mut store, admin) = office(&dir);
    let backup = dir.join("b.db");
    store.backup_to(Some(&admin), &backup, false, &mut |_, _| {}).unwrap();
    // The backup holds its own `backup` event: the chains are equal, no rollback.
    let report = store.restore_from(&admin, &backup, &RestoreOptions::default(), &mut |_, _| {}).unwrap();
    assert_eq!(report.events_dropped, 0);
    let actions: Vec<String> = store.audit_events(None).unwrap().into_iter().map(|e| e.action).collect();
    assert!(actions.ends_with(&["backup".to_owned(), "restored".to_owned()]), "{actions:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn backup_refuses_the_database_files_and_existing_files() {
    let dir = temp_dir("own");
    let (mut store, admin) = office(&dir);
    for own in ["v.db", "v.db-wal", "v.db-shm", "v.db-journal"] {
        let err = store.backup_to(Some(&admin), &dir.join(own), true, &mut |_, _| {}).unwrap_err();
        assert!(err.to_string().contains("chính cơ sở dữ liệu"), "{own}: {err}");
    }
    let out = dir.join("b.db");
    std::fs::write(&out, b"keep me").unwrap();
    let err = store.backup_to(Some(&admin), &out, false, &mut |_, _| {}).unwrap_err();
    assert!(err.to_string().contains("--force"), "{err}");
    assert_eq!(std::fs::read(&out).unwrap(), b"keep me");
    store.backup_to(Some(&admin), &out, true, &mut |_, _| {}).unwrap();
    assert_eq!(store.verify().unwrap(), None);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn leftovers_of_a_killed_restore_are_removed_at_the_next_open() {
    let dir = temp_dir("leftover");
    drop(office(&dir));
    let stale = dir.join(".vanthu-restore-999999999-42");
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("candidate.db"), b"copy of a database").unwrap();
    drop(Store::open(&dir.join("v.db")).unwrap());
    assert!(!stale.exists(), "the stale private copy is gone");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_hard_link_to_the_live_database_is_not_restored_nor_opened() {
    let dir = temp_dir("hardlink");
    let (mut store, admin) = office(&dir);
    let link = dir.join("looks-like-a-backup.db");
    std::fs::hard_link(dir.join("v.db"), &link).unwrap();
    let err = store.restore_from(&admin, &link, &RestoreOptions::default(), &mut |_, _| {}).unwrap_err();
    assert!(err.to_string().contains("tệp của chính cơ sở dữ liệu"), "{err}");
    let err = store.backup_to(Some(&admin), &link, true, &mut |_, _| {});
    assert!(err.is_err(), "a backup never writes over the live database through a link");
}
