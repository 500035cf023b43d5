//! The foundation's command line: demo, import, show, list, init, refusals.

use std::process::Command;

use super::{ok, repo, temp_dir, vanthu};

/// Runs `vanthu` with `VANTHU_PASSWORD` set.
fn vanthu_with_password(db: &std::path::Path, args: &[&str], password: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("VANTHU_DB")
        .env("VANTHU_PASSWORD", password)
        .output()
        .expect("vanthu runs")
}

/// A new database with one administrator `quantri` (password `bimat12345`).
fn initialised(db: &std::path::Path) {
    ok(vanthu_with_password(db, &["init", "--admin", "quantri"], "bimat12345"));
}

fn list_json(db: &std::path::Path) -> Vec<serde_json::Value> {
    serde_json::from_str(&ok(vanthu(db, &["list", "--json"]))).expect("list --json is JSON")
}

#[test]
fn demo_loads_only_into_a_database_without_accounts() {
    let dir = temp_dir("demo");
    let db = dir.join("v.db");
    let first = ok(vanthu(&db, &["demo"]));
    assert!(first.contains("văn bản đi"), "{first}");
    let documents = list_json(&db);
    assert!(documents.len() >= 30, "{} documents", documents.len());
    let kinds: std::collections::HashSet<&str> = documents.iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert!(kinds.len() >= 8, "{kinds:?}");
    for field in ["id", "family", "kind", "number", "notation", "subject", "state"] {
        assert!(documents[0].get(field).is_some(), "list --json lacks `{field}`");
    }
    let before = std::fs::read(&db).unwrap();
    let again = vanthu(&db, &["demo"]);
    assert_eq!(again.status.code(), Some(4), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(String::from_utf8_lossy(&again.stderr).contains("đã có tài khoản"));
    assert_eq!(list_json(&db), documents, "a second demo run adds nothing");
    assert_eq!(std::fs::read(&db).unwrap(), before, "nothing written");
    let real = dir.join("real.db");
    initialised(&real);
    assert_eq!(vanthu(&real, &["demo"]).status.code(), Some(4), "never into a real office");
    assert!(ok(vanthu(&db, &["verify"])).contains("toàn vẹn"), "demo documents have their creating events");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let users: i64 = conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0)).unwrap();
    assert!(users >= 12);
}

#[test]
fn show_import_show_is_byte_identical_for_every_demo_document() {
    let dir = temp_dir("roundtrip");
    let source = dir.join("source.db");
    ok(vanthu(&source, &["demo"]));
    let target = dir.join("target.db");
    initialised(&target);
    for entry in list_json(&source) {
        let id = entry["id"].as_i64().unwrap().to_string();
        let shown = ok(vanthu(&source, &["show", &id, "--json"]));
        let file = dir.join(format!("{id}.json"));
        std::fs::write(&file, &shown).unwrap();
        let new_id =
            ok(vanthu_with_password(&target, &["import", file.to_str().unwrap(), "--as", "quantri"], "bimat12345"));
        let new_id = new_id.trim();
        assert!(new_id.parse::<i64>().is_ok(), "import prints the id, got {new_id:?}");
        let again = ok(vanthu(&target, &["show", new_id, "--json"]));
        assert_eq!(again, shown, "document {id} changed in the round trip");
    }
}

#[test]
fn bad_inputs_exit_2_name_the_field_and_change_nothing() {
    let dir = temp_dir("bad");
    let db = dir.join("v.db");
    ok(vanthu(&db, &["demo"]));
    let before = std::fs::read(&db).unwrap();
    let cases = [
        ("not-json.json", "(toàn văn bản)"),
        ("array-not-object.json", "(toàn văn bản)"),
        ("missing-schema.json", "/schema"),
        ("wrong-schema.json", "/schema"),
        ("unknown-kind.json", "/kind"),
        ("impossible-date.json", "/date"),
        ("unknown-urgency.json", "/urgency"),
        ("missing-signer-name.json", "/signer/name"),
        ("unknown-block-kind.json", "/body/1/kind"),
        ("copies-not-a-number.json", "/copies"),
    ];
    for (file, pointer) in cases {
        let path = repo().join("tests/fixtures/bad").join(file);
        let output = vanthu(&db, &["import", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{file}: {stderr}");
        assert!(stderr.contains(pointer), "{file}: `{pointer}` not named in: {stderr}");
        assert!(stderr.contains("dòng "), "{file}: no line in: {stderr}");
        assert!(output.stdout.is_empty(), "{file}: printed an id");
    }
    let date = vanthu(&db, &["import", repo().join("tests/fixtures/bad/impossible-date.json").to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&date.stderr).contains("2024-02-30"));
    assert_eq!(std::fs::read(&db).unwrap(), before, "the database file changed");
}

#[test]
fn newer_schema_is_refused_and_the_file_is_untouched() {
    let dir = temp_dir("newer");
    let db = dir.join("v.db");
    ok(vanthu(&db, &["demo"]));
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA user_version = 999;").unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    for args in [&["list"][..], &["demo"][..], &["show", "1"][..]] {
        let output = vanthu(&db, args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(stderr.contains("999") && stderr.contains("mới hơn"), "{stderr}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn init_creates_the_administrator_once() {
    let dir = temp_dir("init");
    let db = dir.join("sub/v.db");
    let run = |name: &str| {
        Command::new(env!("CARGO_BIN_EXE_vanthu"))
            .args(["init", "--admin", name, "--full-name", "Quản trị viên", "--db"])
            .arg(&db)
            .env("VANTHU_PASSWORD", "bimat-2026-vt")
            .output()
            .unwrap()
    };
    let out = ok(run("quantri"));
    assert!(out.contains("quantri"));
    assert_eq!(run("khac").status.code(), Some(1), "a second init is refused");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let hash: String = conn.query_row("SELECT password_hash FROM users", [], |r| r.get(0)).unwrap();
    assert!(hash.starts_with("$argon2id$"));
}

#[test]
fn help_is_bilingual() {
    let output = Command::new(env!("CARGO_BIN_EXE_vanthu")).arg("--help").output().unwrap();
    let help = ok(output);
    for word in ["Cách dùng / Usage", "Lệnh / Commands", "Nhập một văn bản", "Import a vanthu.document/1", "--db"]
    {
        assert!(help.contains(word), "`{word}` missing from:\n{help}");
    }
    let sub = ok(Command::new(env!("CARGO_BIN_EXE_vanthu")).args(["import", "--help"]).output().unwrap());
    assert!(sub.contains("Tệp JSON (tối đa 10 MB) / The JSON file"), "{sub}");
}

#[test]
fn show_prints_a_readable_document() {
    let dir = temp_dir("show");
    let db = dir.join("v.db");
    let path = repo().join("assets/demo/documents/ubnd-quyet-dinh-ban-hanh-quy-che-lam-viec.json");
    initialised(&db);
    let id = ok(vanthu_with_password(&db, &["import", path.to_str().unwrap(), "--as", "quantri"], "bimat12345"));
    let text = ok(vanthu(&db, &["show", id.trim()]));
    assert!(text.contains("ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC"), "{text}");
    assert!(text.contains("QUYẾT ĐỊNH"));
    assert!(text.contains("Nơi nhận:"));
    let missing = vanthu(&db, &["show", "99999"]);
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn calendar_deadline_and_lunar_commands() {
    let run = |args: &[&str]| ok(Command::new(env!("CARGO_BIN_EXE_vanthu")).args(args).output().unwrap());
    let days = run(&["calendar", "2026"]);
    for day in ["2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-27", "2026-09-02"] {
        assert!(days.contains(day), "{day} missing from:\n{days}");
    }
    assert!(!days.contains("2026-04-26"), "Sunday 26/4 is replaced by its substitute day");
    assert_eq!(run(&["deadline", "--from", "2026-02-13", "--working-days", "1"]).trim(), "2026-02-23");
    assert_eq!(run(&["deadline", "--from", "2026-04-24", "--working-days", "1"]).trim(), "2026-04-28");
    assert_eq!(run(&["lunar", "2025-08-15"]).trim(), "22/06/2025 nhuận");
    assert_eq!(run(&["lunar", "2030-02-02"]).trim(), "01/01/2030");
    let bad = Command::new(env!("CARGO_BIN_EXE_vanthu")).args(["lunar", "2025-02-30"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn an_office_calendar_override_changes_days_off_and_deadlines() {
    let dir = temp_dir("calendar-override");
    let db = dir.join("v.db");
    ok(vanthu(&db, &["demo"]));
    let file = dir.join("2027.toml");
    std::fs::write(
        &file,
        "[[year]]\nyear = 2027\ntet = [2027-02-04, 2027-02-05, 2027-02-08, 2027-02-09, 2027-02-10]\n",
    )
    .unwrap();
    let set = Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(["calendar-override", file.to_str().unwrap(), "--as", "admin", "--db"])
        .arg(&db)
        .env("VANTHU_PASSWORD", "demo")
        .output()
        .unwrap();
    ok(set);
    assert!(ok(vanthu(&db, &["calendar", "2027"])).contains("2027-02-04"));
    assert_eq!(ok(vanthu(&db, &["deadline", "--from", "2027-02-03", "--working-days", "1"])).trim(), "2027-02-11");
    let default = ok(Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(["calendar", "2027"])
        .env_remove("VANTHU_DB")
        .output()
        .unwrap());
    assert!(!default.contains("2027-02-04"), "without the database the default applies");
}

#[test]
fn registers_print_the_paper_columns() {
    let dir = temp_dir("registers");
    let db = dir.join("v.db");
    ok(vanthu(&db, &["demo"]));
    let outgoing = ok(vanthu(&db, &["register", "outgoing", "--year", "2026"]));
    assert!(outgoing.starts_with("SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM 2026"), "{outgoing}");
    assert!(outgoing.contains("Số, ký hiệu\tNgày tháng\tTên loại và trích yếu\tNgười ký"));
    assert!(outgoing.lines().count() > 10);
    let incoming: serde_json::Value =
        serde_json::from_str(&ok(vanthu(&db, &["register", "incoming", "--json"]))).unwrap();
    assert!(incoming.as_array().is_some());
    assert_eq!(vanthu(&db, &["register", "sideways"]).status.code(), Some(2));
}
