//! Many desks on one office server: 16 clients (threads, one connection each) run the
//! outgoing workflow for 60 s against PostgreSQL; prints steps per second and the
//! step latencies (targets: ≥ 300 steps/s, p95 < 50 ms).
//!
//! `cargo bench -p vanthu-core --bench workflow` with `VANTHU_BENCH_POSTGRES` set to a
//! server URL (a fresh schema is made there); without it the bench starts a throwaway
//! cluster with `scripts/pg-test-cluster.sh` (fsync on). `VANTHU_BENCH_SECONDS` and
//! `VANTHU_BENCH_CLIENTS` change the duration and the number of clients.
//!
//! Each round is: the drafter creates a draft, submits it, the unit head approves the
//! content, the văn thư checks the format. Signing is left out: it re-checks the
//! signer's password with argon2id on purpose (hundreds of milliseconds of the desk's
//! own CPU), which measures the desk, not the server.

use std::time::{Duration, Instant};

use vanthu_core::Store;
use vanthu_core::workflow::Action;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

struct Cluster(std::path::PathBuf);

impl Drop for Cluster {
    fn drop(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/pg-test-cluster.sh");
        let _ = std::process::Command::new(script).arg("stop").arg(&self.0).status();
    }
}

fn main() {
    let seconds: u64 = std::env::var("VANTHU_BENCH_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
    let clients: usize = std::env::var("VANTHU_BENCH_CLIENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(16);
    let mut _cluster = None;
    let url = match std::env::var("VANTHU_BENCH_POSTGRES") {
        Ok(url) => url,
        Err(_) => {
            let dir = std::env::temp_dir().join(format!("vanthu-bench-pg-{}", std::process::id()));
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/pg-test-cluster.sh");
            let out = std::process::Command::new(script)
                .arg("start")
                .arg(&dir)
                // Durable commits, as an office runs; `VANTHU_BENCH_FSYNC=off` measures
                // the software without the disk's flush (see docs/architecture.md).
                .env("PG_FSYNC", std::env::var("VANTHU_BENCH_FSYNC").unwrap_or_else(|_| "on".into()))
                .output()
                .expect("start a throwaway PostgreSQL cluster");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            _cluster = Some(Cluster(dir));
            String::from_utf8(out.stdout).unwrap().trim().to_owned()
        }
    };
    let schema = format!("bench_{}", std::process::id());
    let mut office = Store::open_postgres_schema(&url, &schema).expect("schema");
    let today = chrono::Local::now().date_naive();
    vanthu_core::demo::load_demo(&mut office, today).expect("demo");
    let drafter = office.login("hovanphuc", vanthu_core::demo::DEMO_PASSWORD).unwrap();
    let template = office
        .documents_for(&drafter)
        .unwrap()
        .into_iter()
        .find(|d| d.state == "draft")
        .map(|d| office.document(d.id).unwrap().unwrap().document)
        .expect("a draft to copy");
    eprintln!("{clients} clients, {seconds} s, PostgreSQL {}", vanthu_core::store::redact_url(&url));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (url, schema, template) = (url.clone(), schema.clone(), template.clone());
            std::thread::spawn(move || {
                let mut store = Store::open_postgres_schema(&url, &schema).unwrap();
                let password = vanthu_core::demo::DEMO_PASSWORD;
                let drafter = store.login("hovanphuc", password).unwrap();
                let head = store.login("doquanghuy", password).unwrap();
                let van_thu = store.login("lythihongnhung", password).unwrap();
                let mut latencies = Vec::new();
                while Instant::now() < deadline {
                    let now = chrono::Local::now();
                    let started = Instant::now();
                    let id = store.create_draft(&drafter, &template, now).unwrap();
                    latencies.push(started.elapsed());
                    for (action, actor) in
                        [(Action::Submit, &drafter), (Action::Approve, &head), (Action::CheckFormat, &van_thu)]
                    {
                        let started = Instant::now();
                        store.transition(id, action, actor, now, None).unwrap();
                        latencies.push(started.elapsed());
                    }
                }
                latencies
            })
        })
        .collect();
    let started = Instant::now();
    let mut all: Vec<Duration> = workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    let elapsed = started.elapsed();
    all.sort_unstable();
    println!(
        "workflow on PostgreSQL: {clients} clients, {} steps in {:.1?}: {:.0} steps/s; step latency p50 {:.1?}, p95 {:.1?}, max {:.1?}",
        all.len(),
        elapsed,
        all.len() as f64 / elapsed.as_secs_f64(),
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        all.last().copied().unwrap_or_default()
    );
    assert_eq!(office.verify().unwrap(), None, "the chain verifies after the run");
}
