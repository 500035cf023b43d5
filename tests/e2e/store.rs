//! A store that never loses or hides a record (issue #13) through the binary:
//! missing databases, closed pipes, bounds on every input, backups that refuse the
//! database's own files, anchors, private files under umask 022.

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::{ok, repo, temp_dir, vanthu};

const DECISION: &str = "assets/demo/documents/ubnd-quyet-dinh-ban-hanh-quy-che-lam-viec.json";

fn with_password(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("VANTHU_DB")
        .env("VANTHU_PASSWORD", "demo")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn demo(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = temp_dir(name);
    let db = dir.join("v.db");
    ok(vanthu(&db, &["demo"]));
    (dir, db)
}

#[test]
fn commands_on_a_missing_database_exit_3_and_create_nothing() {
    let dir = temp_dir("missing");
    let db = dir.join("typo.db");
    let out = dir.join("out");
    let out_s = out.to_str().unwrap();
    for args in [
        &["verify"][..],
        &["list"][..],
        &["show", "1"][..],
        &["search", "quyet dinh"][..],
        &["register", "outgoing"][..],
        &["anchor", "--out", out_s][..],
        &["export", "--id", "1", "--out", out_s][..],
        &["dossier", "plan"][..],
    ] {
        let output = with_password(&db, args);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("không có tệp"), "{args:?}: {}", stderr(&output));
        assert!(!db.exists(), "{args:?} created the database");
    }
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let (_dir, db) = demo("pipe");
    let mut child = Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(["list", "--db"])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // `| head -0`: the reader is gone before the first line
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    let status = child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(status.code(), Some(0), "{err}");
}

#[test]
fn numeric_options_are_bounded() {
    let run =
        |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_vanthu")).args(args).env_remove("VANTHU_DB").output().unwrap();
    let started = std::time::Instant::now();
    for days in ["100000000", "3651", "-3651"] {
        let out = run(&["deadline", "--from", "2026-01-05", "--working-days", days]);
        assert_eq!(out.status.code(), Some(2), "{days}: {}", stderr(&out));
        assert!(stderr(&out).contains("3650"), "{}", stderr(&out));
    }
    assert!(started.elapsed().as_secs() < 5, "refused at once, no 6-second loop");
    ok(run(&["deadline", "--from", "2026-01-05", "--working-days", "3650"]));
    let (_dir, db) = demo("limits");
    let out = vanthu(&db, &["search", "quyet", "--limit", "0"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let long = "quyết định ".repeat(30);
    let out = vanthu(&db, &["search", &long]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("tối đa 256"), "{}", stderr(&out));
}

#[test]
fn backup_refuses_the_database_files_and_existing_files() {
    let (dir, db) = demo("backup-own");
    let wal = dir.join("v.db-wal");
    for target in ["v.db", "v.db-wal", "v.db-shm"] {
        let out =
            with_password(&db, &["backup", "--out", dir.join(target).to_str().unwrap(), "--as", "admin", "--force"]);
        assert_eq!(out.status.code(), Some(2), "{target}: {}", stderr(&out));
    }
    let _ = wal; // the live -wal (if any) was not replaced: the next command still sees every record
    assert!(ok(vanthu(&db, &["verify"])).contains("toàn vẹn"));
    let existing = dir.join("old.db");
    std::fs::write(&existing, b"keep").unwrap();
    let out = with_password(&db, &["backup", "--out", existing.to_str().unwrap(), "--as", "admin"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep");
    ok(with_password(&db, &["backup", "--out", existing.to_str().unwrap(), "--as", "admin", "--force"]));
    assert!(dir.join("old.db.anchor.json").is_file(), "the backup carries an anchor");
    let drafter = with_password(&db, &["backup", "--out", dir.join("x.db").to_str().unwrap(), "--as", "buivantoan"]);
    assert_eq!(drafter.status.code(), Some(4), "a drafter may not back up: {}", stderr(&drafter));
}

#[test]
fn restore_refuses_an_empty_file_and_an_older_backup() {
    let (dir, db) = demo("restore");
    let empty = dir.join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let out = with_password(&db, &["restore", empty.to_str().unwrap(), "--as", "admin"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(ok(vanthu(&db, &["list"])).lines().count() > 10, "the database was not emptied");
    let backup = dir.join("b.db");
    ok(with_password(&db, &["backup", "--out", backup.to_str().unwrap(), "--as", "admin"]));
    ok(with_password(&db, &["anchor", "--out", dir.join("later.json").to_str().unwrap()]));
    let fresh = write_document(&dir, "new.json", |v| v["number"] = "4321".into());
    let id = ok(with_password(&db, &["import", fresh.to_str().unwrap(), "--as", "lythihongnhung"]));
    let out = with_password(&db, &["restore", backup.to_str().unwrap(), "--as", "admin"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--allow-rollback"), "{}", stderr(&out));
    assert!(ok(vanthu(&db, &["show", id.trim()])).contains("QUYẾT ĐỊNH"), "refused: nothing lost");
    let out = with_password(&db, &["restore", backup.to_str().unwrap(), "--as", "admin", "--allow-rollback"]);
    assert_eq!(out.status.code(), Some(2), "a rollback needs a reason");
    ok(with_password(
        &db,
        &["restore", backup.to_str().unwrap(), "--as", "admin", "--allow-rollback", "--reason", "Thử khôi phục"],
    ));
    assert_eq!(vanthu(&db, &["show", id.trim()]).status.code(), Some(1), "rolled back");
    let verified = ok(vanthu(&db, &["verify"]));
    assert!(verified.lines().last().unwrap().starts_with("chuỗi nhật ký: "), "{verified}");
}

#[test]
fn anchor_and_verify_anchor_catch_a_cut_chain() {
    let (dir, db) = demo("anchor");
    let anchor = dir.join("anchor.json");
    let printed = ok(vanthu(&db, &["anchor", "--out", anchor.to_str().unwrap()]));
    assert!(printed.contains("sự kiện"), "{printed}");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&anchor).unwrap()).unwrap();
    assert_eq!(json["format"], "vanthu.anchor/1");
    let events = json["events"].as_i64().unwrap();
    let verified = ok(vanthu(&db, &["verify", "--anchor", anchor.to_str().unwrap()]));
    let last = verified.lines().last().unwrap();
    assert_eq!(last, format!("chuỗi nhật ký: {events} sự kiện, đầu chuỗi {}", json["head"].as_str().unwrap()));
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TRIGGER audit_events_append_only_delete;
             DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events);",
        )
        .unwrap();
    }
    assert!(ok(vanthu(&db, &["verify"])).contains("toàn vẹn"), "a cut tail is still a valid chain");
    let out = vanthu(&db, &["verify", "--anchor", anchor.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("ít hơn"), "{}", stderr(&out));
}

fn write_document(dir: &Path, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> std::path::PathBuf {
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join(DECISION)).unwrap()).unwrap();
    edit(&mut value);
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    path
}

#[test]
fn import_refuses_values_out_of_bounds_with_the_pointer() {
    let (dir, db) = demo("bounds");
    let before = ok(vanthu(&db, &["list", "--json"]));
    type Edit = Box<dyn FnOnce(&mut serde_json::Value)>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        ("negative", Box::new(|v| v["number"] = "-5".into()), "/number"),
        ("huge", Box::new(|v| v["number"] = "100000000000000000000000".into()), "/number"),
        ("zero", Box::new(|v| v["number"] = "0".into()), "/number"),
        ("early", Box::new(|v| v["date"] = "1900-01-01".into()), "/date"),
        ("late", Box::new(|v| v["date"] = "9999-12-31".into()), "/date"),
        ("nul", Box::new(|v| v["subject"] = "Về việc\u{0}x".into()), "/subject"),
        ("tab", Box::new(|v| v["subject"] = "Về\tviệc".into()), "/subject"),
        ("cr", Box::new(|v| v["body"][0]["text"] = "a\rb".into()), "/body/0/text"),
        ("newline", Box::new(|v| v["subject"] = "Về\nviệc".into()), "/subject"),
        ("long", Box::new(|v| v["subject"] = "a".repeat(1_001).into()), "/subject"),
        ("block", Box::new(|v| v["body"][0]["text"] = "a".repeat(20_001).into()), "/body/0/text"),
    ];
    for (name, edit, pointer) in cases {
        let path = write_document(&dir, &format!("{name}.json"), edit);
        let out = with_password(&db, &["import", path.to_str().unwrap(), "--as", "lythihongnhung"]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains(pointer), "{name}: `{pointer}` not in {}", stderr(&out));
    }
    let big = write_document(&dir, "big.json", |v| v["extra_note"] = "a".repeat(11 << 20).into());
    let out = with_password(&db, &["import", big.to_str().unwrap(), "--as", "lythihongnhung"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("10 MB"), "{}", stderr(&out));
    assert_eq!(ok(vanthu(&db, &["list", "--json"])), before, "nothing imported");
}

#[test]
fn import_needs_a_vanthu_or_administrator_login_and_is_audited() {
    let (dir, db) = demo("import-as");
    let file = write_document(&dir, "new.json", |v| v["number"] = "4321".into());
    let file = file.to_str().unwrap();
    let before = ok(vanthu(&db, &["list", "--json"]));
    let out = vanthu(&db, &["import", file]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = with_password(&db, &["import", file, "--as", "buivantoan"]);
    assert_eq!(out.status.code(), Some(4), "a drafter may not import: {}", stderr(&out));
    assert_eq!(ok(vanthu(&db, &["list", "--json"])), before, "nothing changed");
    let id = ok(with_password(&db, &["import", file, "--as", "lythihongnhung"]));
    assert!(id.trim().parse::<i64>().is_ok());
    assert!(ok(vanthu(&db, &["verify"])).contains("toàn vẹn"));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let comment: String = conn
        .query_row(
            "SELECT comment FROM audit_events WHERE subject = 'document' AND subject_id = ?1 AND action = 'import'",
            [id.trim().parse::<i64>().unwrap()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(comment.contains("sha256"), "{comment}");
}

#[test]
fn glyphs_the_font_lacks_are_a_finding_and_block_the_pdf() {
    let dir = temp_dir("glyphs");
    for (name, text) in [("emoji", "Về việc 🎉 liên hoan"), ("cjk", "Về việc 公文 gửi")] {
        let path = write_document(&dir, &format!("{name}.json"), |v| v["subject"] = text.into());
        let out = Command::new(env!("CARGO_BIN_EXE_vanthu"))
            .args(["check", path.to_str().unwrap(), "--json"])
            .env_remove("VANTHU_DB")
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("TT-41"), "{name}: no TT-41 finding");
        let pdf = dir.join(format!("{name}.pdf"));
        let out = Command::new(env!("CARGO_BIN_EXE_vanthu"))
            .args(["export", path.to_str().unwrap(), "--out", pdf.to_str().unwrap()])
            .env_remove("VANTHU_DB")
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(0), "{name}: exported");
        assert!(stderr(&out).contains("phông chữ"), "{}", stderr(&out));
        assert!(!pdf.exists(), "{name}: no PDF with missing glyphs");
    }
}

#[test]
#[cfg(unix)]
fn files_are_private_under_umask_022() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("umask");
    let data = dir.join("data");
    let db = data.join("v.db");
    let sh = |args: &[&str]| {
        let out = Command::new("sh")
            .arg("-c")
            .arg("umask 022 && exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_vanthu"))
            .args(args)
            .arg("--db")
            .arg(&db)
            .env_remove("VANTHU_DB")
            .env("VANTHU_PASSWORD", "demo")
            .output()
            .unwrap();
        ok(out)
    };
    sh(&["demo"]);
    let backup = dir.join("backups/b.db");
    let pdf = dir.join("out.pdf");
    let anchor = dir.join("a.json");
    sh(&["backup", "--out", backup.to_str().unwrap(), "--as", "admin"]);
    sh(&["export", "--id", "1", "--out", pdf.to_str().unwrap()]);
    sh(&["anchor", "--out", anchor.to_str().unwrap()]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for file in [db.clone(), backup.clone(), dir.join("backups/b.db.anchor.json"), pdf, anchor] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    for side in ["v.db-wal", "v.db-shm"] {
        let path = data.join(side);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{side}");
        }
    }
    assert_eq!(mode(&data), 0o700, "the data directory");
    assert_eq!(mode(&dir.join("backups")), 0o700, "the backup directory");
}

/// Found by a hostile try of the Windows build: every command that writes a file
/// (`export`, `fix`, `anchor --force`, `register --out`, `archive export`) once wrote
/// over the live database when pointed at it. Each now refuses, whatever the path's
/// spelling, and the database stays whole.
#[test]
fn no_output_overwrites_the_live_database() {
    let (dir, db) = demo("no-overwrite");
    let before = std::fs::read(&db).unwrap();
    let db_s = db.to_str().unwrap();
    let dotted = dir.join("x").join("..").join(db.file_name().unwrap());
    let dotted_s = dotted.to_str().unwrap();
    let wal = format!("{db_s}-wal");
    let fixture = repo().join("tests/fixtures/corpus/ok/party-quyet-dinh-chuan-y-chi-uy-truong-thcs.json");
    let fixture_s = fixture.to_str().unwrap();
    std::fs::create_dir_all(dir.join("x")).unwrap();
    for args in [
        vec!["export", "--id", "1", "--out", db_s],
        vec!["export", "--id", "1", "--out", dotted_s],
        vec!["export", "--id", "1", "--out", &wal],
        vec!["export", fixture_s, "--out", db_s],
        vec!["fix", fixture_s, "--out", db_s],
        vec!["anchor", "--out", db_s, "--force"],
        vec!["archive", "export", "1", "--out", db_s],
    ] {
        let out = vanthu(&db, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("cơ sở dữ liệu đang dùng"), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database is untouched");
    assert!(ok(vanthu(&db, &["verify"])).contains("toàn vẹn"));
    // A failed export leaves no partial file behind.
    let folder = dir.join("a-folder");
    std::fs::create_dir_all(&folder).unwrap();
    let out = vanthu(&db, &["export", "--id", "1", "--out", folder.to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(0));
    assert!(!dir.join("a-folder.pdf.part").exists(), "no half-written file");
}
