//! Documents checked per second on the fixture corpus and the demo documents
//! (target: at least 50,000 per second on one core).
//!
//! Run with `cargo bench -p vanthu-core --bench check`.

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use vanthu_core::calendar::WorkCalendar;
use vanthu_core::exchange::parse_document;
use vanthu_core::model::Document;
use vanthu_core::rules::{CheckContext, check};
use vanthu_core::ruleset::default_ruleset;

fn load(dir: &Path, out: &mut Vec<Document>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            load(&path, out);
        } else if path.extension().is_some_and(|e| e == "json")
            && let Ok(doc) = std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|t| parse_document(&t).map_err(|e| e.to_string()))
        {
            out.push(doc);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut documents = Vec::new();
    load(&root.join("tests/fixtures/corpus"), &mut documents);
    load(&root.join("assets/demo/documents"), &mut documents);
    assert!(!documents.is_empty(), "no documents found");
    let calendar = WorkCalendar::default_vietnam();
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid date");
    let ctx = CheckContext { today, office: None, calendar: &calendar };
    // Warm up (fills the calendar's per-year cache).
    let mut findings = 0usize;
    for doc in &documents {
        findings += check(doc, default_ruleset(doc.family), &ctx).len();
    }
    let rounds = (200_000 / documents.len()).max(1);
    let start = Instant::now();
    let mut checked = 0usize;
    for _ in 0..rounds {
        for doc in &documents {
            findings += std::hint::black_box(check(doc, default_ruleset(doc.family), &ctx)).len();
            checked += 1;
        }
    }
    let elapsed = start.elapsed();
    let per_second = checked as f64 / elapsed.as_secs_f64();
    println!(
        "corpus: {} documents, {rounds} rounds, {checked} checks in {:.3} s",
        documents.len(),
        elapsed.as_secs_f64()
    );
    println!(
        "{per_second:.0} documents checked per second on one core ({:.2} µs per document; {findings} findings)",
        1e6 / per_second
    );
    println!("target >= 50000/s: {}", if per_second >= 50_000.0 { "met" } else { "NOT met" });
}
