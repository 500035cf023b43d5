//! Two processes numbering at once, and a process killed in the middle of its work.
//!
//! The workers are this test binary run again on one ignored test, with the
//! database and the documents to number in the environment.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use chrono::{Local, TimeZone};
use vanthu_core::Store;
use vanthu_core::demo::{DEMO_PASSWORD, load_demo};
use vanthu_core::exchange::parse_document;
use vanthu_core::model::OutgoingState;
use vanthu_core::store::ImportOptions;
use vanthu_core::workflow::Action;

use super::{repo, temp_dir};

const DECISION: &str = "assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json";

/// A database with `n` signed documents waiting for a number; returns their ids.
fn signed_documents(db: &Path, n: usize) -> Vec<i64> {
    let mut store = Store::open(db).unwrap();
    load_demo(&mut store, chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()).unwrap();
    let mut document = parse_document(&std::fs::read_to_string(repo().join(DECISION)).unwrap()).unwrap();
    document.number = None;
    document.date = None;
    (0..n)
        .map(|_| {
            let options = ImportOptions { state: Some(OutgoingState::Signed), ..ImportOptions::default() };
            store.import_document(&document, &options).unwrap()
        })
        .collect()
}

fn spawn_worker(db: &Path, ids: &[i64]) -> Child {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "concurrency::numbering_worker", "--ignored", "--nocapture", "--test-threads=1"])
        .env("VANTHU_WORKER_DB", db)
        .env("VANTHU_WORKER_IDS", ids.join(","))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Worker: numbers the given documents, one transaction each.
#[test]
#[ignore = "run by the concurrency tests as a separate process"]
fn numbering_worker() {
    let (Ok(db), Ok(ids)) = (std::env::var("VANTHU_WORKER_DB"), std::env::var("VANTHU_WORKER_IDS")) else { return };
    let mut store = Store::open(Path::new(&db)).unwrap();
    let vanthu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let day = Local.with_ymd_and_hms(2027, 3, 2, 9, 0, 0).single().unwrap();
    for id in ids.split(',').filter_map(|s| s.parse::<i64>().ok()) {
        store.transition(id, Action::Number, &vanthu, day, None).unwrap();
    }
}

fn numbers(db: &Path) -> Vec<u32> {
    let store = Store::open(db).unwrap();
    let mut numbers: Vec<u32> = store
        .list_documents()
        .unwrap()
        .into_iter()
        .filter(|d| d.date.as_deref() == Some("2027-03-02"))
        .map(|d| d.number.unwrap().parse().unwrap())
        .collect();
    numbers.sort_unstable();
    numbers
}

#[test]
fn two_processes_number_2000_documents_without_gap_or_duplicate() {
    let dir = temp_dir("two-processes");
    let db = dir.join("v.db");
    let ids = signed_documents(&db, 2000);
    let (odd, even): (Vec<i64>, Vec<i64>) = ids.iter().partition(|id| *id % 2 == 1);
    let mut workers = [spawn_worker(&db, &odd), spawn_worker(&db, &even)];
    for worker in &mut workers {
        assert!(worker.wait().unwrap().success());
    }
    assert_eq!(numbers(&db), (1..=2000).collect::<Vec<u32>>());
    let store = Store::open(&db).unwrap();
    assert_eq!(store.verify().unwrap(), None);
}

#[test]
fn a_killed_process_leaves_a_sound_database_with_every_committed_step() {
    let dir = temp_dir("kill");
    let db = dir.join("v.db");
    let ids = signed_documents(&db, 100);
    let mut worker = spawn_worker(&db, &ids);
    // Let it commit some steps, then kill it without warning.
    let started = std::time::Instant::now();
    while numbers(&db).len() < 10 && started.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    worker.kill().unwrap();
    worker.wait().unwrap();
    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.verify().unwrap(), None);
    let done = numbers(&db);
    assert!(!done.is_empty());
    assert_eq!(done, (1..=done.len() as u32).collect::<Vec<u32>>(), "committed numbers are consecutive");
    // Every committed numbering has its audit event, and the register agrees.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let events: i64 =
        conn.query_row("SELECT count(*) FROM audit_events WHERE action = 'number'", [], |r| r.get(0)).unwrap();
    let last: i64 = conn.query_row("SELECT max(last_number) FROM number_registers", [], |r| r.get(0)).unwrap();
    assert_eq!((events as usize, last as usize), (done.len(), done.len()));
}
