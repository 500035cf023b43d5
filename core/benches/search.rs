//! Search latency on a database of 1,000,000 documents (target: p95 < 50 ms).
//!
//! Run with `cargo bench -p vanthu-core --bench search`. The database is generated
//! once (`Store::generate_synthetic`) at `target/bench/search-<N>.db` and reused;
//! `VANTHU_BENCH_DOCS` changes N, `VANTHU_BENCH_DB` the file.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use vanthu_core::Store;
use vanthu_core::store::{SearchFilters, SearchItem, SearchQuery};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let n: usize = std::env::var("VANTHU_BENCH_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let path = std::env::var("VANTHU_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../target/bench/search-{n}.db")));
    let mut store = Store::open(&path).expect("open the benchmark database");
    let have = store.count_documents(None).expect("count");
    if (have as usize) < n {
        let started = Instant::now();
        eprintln!("generating {} documents into {} …", n - have as usize, path.display());
        store
            .generate_synthetic(n - have as usize, 7, &mut |done| {
                if done % 100_000 == 0 {
                    eprintln!("  {done} ({:.0?})", started.elapsed());
                }
            })
            .expect("generate");
        eprintln!("generated in {:.1?}", started.elapsed());
    }
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    eprintln!("database {}: {:.2} GB", path.display(), bytes as f64 / 1e9);
    let filtered = |text: &str, f: SearchFilters| SearchQuery { filters: f, ..SearchQuery::new(text) };
    let typed = |text: &str| SearchQuery { prefix: true, ..SearchQuery::new(text) };
    let queries = vec![
        SearchQuery::new("quyet dinh"),
        SearchQuery::new("dang uy"),
        SearchQuery::new("duong"),
        SearchQuery::new("đường"),
        SearchQuery::new("Quyết định"),
        SearchQuery::new("chuyển đổi số"),
        SearchQuery::new("NĐ-CP"),
        SearchQuery::new("cai cach hanh chinh"),
        SearchQuery::new("dai duong"),
        SearchQuery::new("xa tan lap 2024"),
        SearchQuery::new("khong co tu nay"),
        typed("chuyen d"),
        typed("chuye"),
        typed("Đồng X"),
        typed("ph"),
        filtered("duong", SearchFilters { year: Some(2025), ..Default::default() }),
        filtered("quyet dinh", SearchFilters { state: Some("filed".into()), year: Some(2023), ..Default::default() }),
        filtered("thien tai", SearchFilters { kind: Some("cong-van".into()), ..Default::default() }),
        filtered("", SearchFilters { year: Some(2026), item: Some(SearchItem::Document), ..Default::default() }),
    ];
    for q in &queries {
        store.search(q).expect("search");
    }
    let rounds = 10;
    let mut all = Vec::new();
    println!("{:<34} {:>6} {:>10} {:>10}", "query", "hits", "median", "max");
    for q in &queries {
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            hits = store.search(q).expect("search").len();
            times.push(t.elapsed());
        }
        times.sort();
        let label = format!(
            "{}{}{}",
            q.text,
            if q.prefix { "…" } else { "" },
            if q.filters != SearchFilters::default() { " +filters" } else { "" }
        );
        println!("{label:<34} {hits:>6} {:>10.2?} {:>10.2?}", percentile(&times, 0.5), times[times.len() - 1]);
        all.extend(times);
    }
    all.sort();
    let p95 = percentile(&all, 0.95);
    println!(
        "\n{} documents, {} searches: p50 {:.2?}, p95 {:.2?}, p99 {:.2?}, max {:.2?} — target p95 < 50 ms: {}",
        store.count_documents(None).expect("count"),
        all.len(),
        percentile(&all, 0.5),
        p95,
        percentile(&all, 0.99),
        all[all.len() - 1],
        if p95 < Duration::from_millis(50) { "met" } else { "NOT met" }
    );
}
