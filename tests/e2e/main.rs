//! End-to-end tests of the `vanthu` binary (one test binary, one module per area).

mod archive;
mod authority;
mod check;
mod cli;
mod concurrency;
mod incoming;
mod pdf;
mod pdf_pages;
mod postgres;
mod privacy;
mod received_files;
mod schema;
mod signatures;
mod signed_files;
mod store;
mod workflow;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh temporary directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vanthu-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `vanthu` with `args` against the database `db`.
pub fn vanthu(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("VANTHU_DB")
        .env_remove("VANTHU_PASSWORD")
        .output()
        .expect("vanthu runs")
}

/// Asserts success and returns stdout.
pub fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
