//! Packages in bounded memory (issue #13, item 5): a zip bomb is refused with a
//! measured peak memory, and a directory package's symlinks (a loop, a link to a
//! file outside) are reported, never followed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use zip::write::SimpleFileOptions;

use super::package::{FORMAT, Manifest, ManifestEntry, PackageProblem, verify_package};

const CHILD_PACKAGE: &str = "VANTHU_BOMB_PACKAGE";
const GIB: u64 = 1 << 30;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vanthu-bomb-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn manifest(files: Vec<ManifestEntry>) -> Vec<u8> {
    let manifest = Manifest {
        format: FORMAT.into(),
        created_at: "2026-11-29T00:00:00Z".into(),
        generator: "test".into(),
        dossier_code: "01".into(),
        dossier_title: "Bom".into(),
        year: 2026,
        documents: 0,
        pdf: false,
        files,
    };
    serde_json::to_vec(&manifest).unwrap()
}

/// Writes `len` zero bytes as one deflated member (about 1 MB per GiB).
fn put_zeros(zip: &mut zip::ZipWriter<std::fs::File>, name: &str, len: u64) {
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(len > u64::from(u32::MAX));
    zip.start_file(name, options).unwrap();
    let chunk = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        zip.write_all(&chunk[..n]).unwrap();
        left -= n as u64;
    }
}

/// Child process: verifies the package and prints its problems and peak memory.
#[test]
#[ignore = "run by the zip bomb test as a separate process"]
fn bomb_child() {
    let Ok(package) = std::env::var(CHILD_PACKAGE) else { return };
    let report = verify_package(Path::new(&package), &mut |_, _| {}).unwrap();
    for problem in &report.problems {
        println!("PROBLEM={}", serde_json::to_string(problem).unwrap());
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).unwrap_or("0 kB").trim().to_owned();
    println!("PEAK={peak}");
}

#[test]
#[cfg(target_os = "linux")]
fn a_one_gib_zip_bomb_is_refused_in_bounded_memory() {
    let dir = temp_dir("zip");
    let path = dir.join("bomb.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let listed = ManifestEntry { path: "documents/bomb.bin".into(), sha256: "00".repeat(32), bytes: 4096 };
    zip.start_file("manifest.json", SimpleFileOptions::default()).unwrap();
    zip.write_all(&manifest(vec![listed])).unwrap();
    put_zeros(&mut zip, "documents/bomb.bin", GIB);
    put_zeros(&mut zip, "unlisted.bin", GIB);
    zip.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 20 << 20, "the bomb is small on disk");

    let started = std::time::Instant::now();
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "archive::bomb_tests::bomb_child", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_PACKAGE, &path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let peak_kb: u64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("PEAK="))
        .and_then(|p| p.trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak in {stdout}"));
    eprintln!("zip bomb: peak memory {} MB, {:?}", peak_kb / 1024, started.elapsed());
    assert!(peak_kb < 100 * 1024, "peak memory {peak_kb} kB must stay under 100 MB");
    let damaged = stdout.lines().any(|l| l.contains("\"damaged\"") && l.contains("documents/bomb.bin"));
    let unlisted = stdout.lines().any(|l| l.contains("\"unlisted\"") && l.contains("unlisted.bin"));
    assert!(damaged && unlisted, "{stdout}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "the unlisted GiB is not inflated");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[cfg(unix)]
fn directory_symlinks_are_reported_and_never_followed() {
    let dir = temp_dir("links");
    let outside = dir.join("secret.txt");
    std::fs::write(&outside, b"outside the package").unwrap();
    let package = dir.join("pkg");
    std::fs::create_dir_all(package.join("documents")).unwrap();
    let secret_sha = super::package::sha256_for_tests(b"outside the package");
    let listed = ManifestEntry { path: "documents/secret.txt".into(), sha256: secret_sha, bytes: 19 };
    std::fs::write(package.join("manifest.json"), manifest(vec![listed])).unwrap();
    std::os::unix::fs::symlink(&outside, package.join("documents/secret.txt")).unwrap();
    std::os::unix::fs::symlink(".", package.join("loop")).unwrap();
    std::os::unix::fs::symlink("../pkg", package.join("documents/up")).unwrap();

    let report = verify_package(&package, &mut |_, _| {}).unwrap();
    let problems = &report.problems;
    assert!(
        problems.iter().any(|p| matches!(p, PackageProblem::Damaged { path, .. } if path == "documents/secret.txt")),
        "a link to a file outside is not read: {problems:?}"
    );
    for link in ["loop", "documents/up", "documents/secret.txt"] {
        assert!(
            problems.iter().any(|p| matches!(p, PackageProblem::Symlink { path } if path == link)),
            "{link} reported: {problems:?}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
