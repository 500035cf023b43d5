//! Tests that need a PostgreSQL server (`VANTHU_TEST_POSTGRES`): other desks' commits
//! heard, numbering from many processes, and whole offices copied both ways. Under
//! plain `cargo test` each says that it was left out.

use std::time::{Duration, Instant};

use super::Store;
use crate::demo::{DEMO_PASSWORD, load_demo};

/// The test server, or `None` after saying which test is left out.
fn server(test: &str) -> Option<String> {
    match std::env::var("VANTHU_TEST_POSTGRES") {
        Ok(url) => Some(url),
        Err(_) => {
            eprintln!("LEFT OUT (needs VANTHU_TEST_POSTGRES, set by scripts/test.sh): {test}");
            None
        }
    }
}

fn fresh_schema(url: &str, name: &str) -> Store {
    let schema = format!("{name}_{}_{}", std::process::id(), super::test_schema_name());
    Store::open_postgres_schema(url, &schema).unwrap()
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 5, 4).unwrap()
}

#[test]
fn a_desk_hears_another_desks_commit_within_a_second() {
    let Some(url) = server("a_desk_hears_another_desks_commit_within_a_second") else { return };
    let mut writer = fresh_schema(&url, "listen");
    let mut listener = super::ChangeListener::connect(writer.change_listener_url().unwrap()).unwrap();
    // Drain what other tests on the same server sent before.
    while listener.wait(Duration::from_millis(50)).unwrap() {}
    let waiting = std::thread::spawn(move || {
        let started = Instant::now();
        let heard = listener.wait(Duration::from_secs(5)).unwrap();
        (heard, started.elapsed())
    });
    std::thread::sleep(Duration::from_millis(200));
    writer.set_setting("listen-test", Some("1")).unwrap();
    let (heard, after) = waiting.join().unwrap();
    assert!(heard, "no notification");
    assert!(after < Duration::from_secs(1), "heard after {after:?}");
}

/// Series used by the numbering test.
const SERIES: &str = "concurrency/2026";

/// One desk of the numbering test: `count` numbers, each with its audit event, each
/// in its own write transaction, as `Number` takes them.
fn take_numbers(url: &str, schema: &str, desk: &str, count: usize) -> Vec<i64> {
    let mut store = Store::open_postgres_schema(url, schema).unwrap();
    (0..count)
        .map(|_| {
            store
                .write(|tx| {
                    let n = super::workflow::take_number(tx, SERIES)?;
                    let event = super::workflow::system_event(None, desk, "van_thu", "number", "", None);
                    super::workflow::append_event(
                        tx,
                        &super::workflow::NewEvent { comment: Some(&n.to_string()), ..event },
                    )?;
                    Ok(n)
                })
                .unwrap()
        })
        .collect()
}

/// The child process of the numbering test: two desks (threads, two connections).
#[test]
fn numbering_worker() {
    let (Ok(url), Ok(schema), Ok(id)) = (
        std::env::var("VANTHU_TEST_POSTGRES"),
        std::env::var("VANTHU_NUMBERING_SCHEMA"),
        std::env::var("VANTHU_NUMBERING_PROCESS"),
    ) else {
        return; // Only runs as the child of `ten_thousand_numbers_from_eight_desks_in_four_processes`.
    };
    let desks: Vec<_> = (0..2)
        .map(|t| {
            let (url, schema, desk) = (url.clone(), schema.clone(), format!("p{id}t{t}"));
            std::thread::spawn(move || take_numbers(&url, &schema, &desk, 1250))
        })
        .collect();
    let taken: Vec<i64> = desks.into_iter().flat_map(|d| d.join().unwrap()).collect();
    println!("NUMBERS {}", taken.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
}

#[test]
fn ten_thousand_numbers_from_eight_desks_in_four_processes() {
    let Some(url) = server("ten_thousand_numbers_from_eight_desks_in_four_processes") else { return };
    let store = fresh_schema(&url, "numbers");
    let schema = store.location().rsplit_once("schema ").unwrap().1.trim_end_matches(')').to_owned();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..4)
        .map(|p| {
            std::process::Command::new(&exe)
                .args(["--exact", "store::pg_tests::numbering_worker", "--nocapture", "--test-threads", "1"])
                .env("VANTHU_NUMBERING_SCHEMA", &schema)
                .env("VANTHU_NUMBERING_PROCESS", p.to_string())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut all = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "a numbering process failed");
        let text = String::from_utf8(out.stdout).unwrap();
        let line = text.lines().find_map(|l| l.split_once("NUMBERS ").map(|(_, n)| n)).expect("the worker ran");
        all.extend(line.split(',').map(|n| n.parse::<i64>().unwrap()));
    }
    all.sort_unstable();
    assert_eq!(all, (1..=10_000).collect::<Vec<i64>>(), "1…10000 with no gap and no duplicate");
    assert_eq!(store.verify().unwrap(), None, "the chain verifies");
    assert_eq!(store.anchor().unwrap().events, 10_000);
}

/// Every document as `show --json` prints it, with its state.
fn documents_json(store: &Store) -> Vec<(i64, String, String)> {
    store
        .list_documents()
        .unwrap()
        .into_iter()
        .map(|d| {
            let stored = store.document(d.id).unwrap().unwrap();
            (d.id, crate::exchange::document_to_json(&stored.document), stored.state.code().to_owned())
        })
        .collect()
}

#[test]
fn an_office_copied_to_postgresql_and_back_is_the_same() {
    let Some(url) = server("an_office_copied_to_postgresql_and_back_is_the_same") else { return };
    let dir = std::env::temp_dir().join(format!("vanthu-copy-{}-{}", std::process::id(), super::test_schema_name()));
    std::fs::create_dir_all(&dir).unwrap();
    let first = dir.join("first.db");
    let mut sqlite = Store::open(&first).unwrap();
    load_demo(&mut sqlite, today()).unwrap();
    assert!(sqlite.login("lythihongnhung", DEMO_PASSWORD).is_ok());
    sqlite.set_setting("copy-marker", Some("đủ dấu")).unwrap();

    let server_copy = fresh_schema(&url, "copy");
    let report = sqlite.copy_into(&server_copy, &mut |_, _| {}).unwrap();
    assert!(report.rows > 100, "{report:?}");
    assert_eq!(server_copy.verify().unwrap(), None);
    assert_eq!(server_copy.anchor().unwrap().head, sqlite.anchor().unwrap().head);
    assert_eq!(documents_json(&server_copy), documents_json(&sqlite));

    let back = dir.join("back.db");
    let report = server_copy.copy_to(back.to_str().unwrap(), &mut |_, _| {}).unwrap();
    let back = Store::open(&back).unwrap();
    assert_eq!(back.anchor().unwrap().head, report.anchor.head);
    assert_eq!(documents_json(&back), documents_json(&sqlite));
    assert_eq!(back.setting("copy-marker").unwrap().as_deref(), Some("đủ dấu"));
    let hits = server_copy.search(&super::SearchQuery::new("quyet dinh")).unwrap();
    let sqlite_hits = sqlite.search(&super::SearchQuery::new("quyet dinh")).unwrap();
    // The same hits; title matches first on both. (Within a tier, relevance is FTS5's
    // bm25 on SQLite and ts_rank on PostgreSQL, so equals may come in another order.)
    let ids = |hits: &[super::SearchHit]| {
        let mut ids: Vec<_> = hits.iter().map(|h| (h.item, h.id)).collect();
        ids.sort_unstable_by_key(|(item, id)| (*item as u8, *id));
        ids
    };
    assert_eq!(ids(&hits), ids(&sqlite_hits), "search gives the same hits");
    assert_eq!(hits[0].id, sqlite_hits[0].id, "the same best hit");
    // A non-empty destination is refused.
    let err = sqlite.copy_into(&server_copy, &mut |_, _| {}).unwrap_err();
    assert!(err.to_string().contains("đã có dữ liệu"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
