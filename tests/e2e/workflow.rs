//! Workflow on the command line: a state quyết định and a Party kế hoạch from draft
//! to filed with a return in the middle, incoming mail, tasks and verification.

use std::path::Path;
use std::process::{Command, Output};

use super::{ok, repo, temp_dir};

/// Runs the binary on `db` with the demo password for `--as`.
pub(super) fn run_as(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("VANTHU_PASSWORD", "demo")
        .env_remove("VANTHU_DB")
        .output()
        .unwrap()
}

fn flow(db: &Path, file: &str, steps: &[(&str, &str, Option<&str>)]) -> String {
    let path = repo().join("assets/demo/documents").join(file);
    let (drafter, _, _) = steps[0];
    let id = ok(run_as(db, &["doc", "new", path.to_str().unwrap(), "--as", drafter])).trim().to_owned();
    let mut last = String::new();
    for (user, action, comment) in &steps[1..] {
        let mut args = vec!["doc", action, &id, "--as", user];
        if let Some(c) = comment {
            args.extend(["--comment", c]);
        }
        last = ok(run_as(db, &args));
    }
    let shown = ok(run_as(db, &["show", &id]));
    assert!(shown.contains("Đã lập hồ sơ"), "{shown}");
    last
}

#[test]
fn state_decision_and_party_plan_from_draft_to_filed() {
    let dir = temp_dir("workflow");
    let db = dir.join("v.db");
    ok(run_as(&db, &["demo"]));
    let state = [
        ("buivantoan", "new", None),
        ("buivantoan", "submit", None),
        ("danghuutai", "approve", None),
        ("lythihongnhung", "return", Some("Rà soát lại thành phần Tổ công tác")),
        ("buivantoan", "submit", None),
        ("danghuutai", "approve", None),
        ("lythihongnhung", "check-format", None),
        ("lethithuha", "sign", None),
        ("lythihongnhung", "number", None),
        ("lythihongnhung", "issue", None),
        ("hovanphuc", "file", None),
    ];
    flow(&db, "ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json", &state);
    let party = [
        ("huynhngocthao", "new", None),
        ("huynhngocthao", "submit", None),
        ("vominhtri", "return", Some("Bổ sung phân công nhiệm vụ")),
        ("huynhngocthao", "submit", None),
        ("vominhtri", "approve", None),
        ("lamthihoa", "check-format", None),
        ("tranthibichthuy", "sign", None),
        ("lamthihoa", "number", None),
        ("lamthihoa", "issue", None),
        ("ngovansang", "file", None),
    ];
    flow(&db, "tu-ke-hoach-ky-niem-80-nam-toan-quoc-khang-chien.json", &party);
    assert!(ok(run_as(&db, &["verify"])).contains("toàn vẹn"));

    // A drafter cannot sign: refused by the core with exit 4 and a reason.
    let path = repo().join("assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");
    let id = ok(run_as(&db, &["doc", "new", path.to_str().unwrap(), "--as", "buivantoan"])).trim().to_owned();
    let refused = run_as(&db, &["doc", "sign", &id, "--as", "buivantoan"]);
    assert_eq!(refused.status.code(), Some(4));
    assert!(!String::from_utf8_lossy(&refused.stderr).is_empty());
    // An edit keeps a new version that can be compared with the first.
    let mut edited: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edited["subject"] = "Về việc thành lập Tổ công tác dịch vụ công trực tuyến".into();
    let edited_file = dir.join("edited.json");
    std::fs::write(&edited_file, edited.to_string()).unwrap();
    ok(run_as(&db, &["doc", "edit", &id, "--file", edited_file.to_str().unwrap(), "--as", "buivantoan"]));
    // Still a private draft: its drafter reads its versions (`--as`); without it the
    // office sees no such document.
    let diff = ok(run_as(&db, &["doc", "diff", &id, "--from", "1", "--to", "2", "--as", "buivantoan"]));
    assert!(diff.starts_with("/subject:"), "{diff}");
    assert!(ok(run_as(&db, &["doc", "versions", &id, "--as", "buivantoan"])).contains("phiên bản 2"));
    assert_eq!(run_as(&db, &["doc", "versions", &id]).status.code(), Some(1));
    let no_comment = run_as(&db, &["doc", "submit", &id, "--as", "buivantoan"]);
    ok(no_comment);
    let refused = run_as(&db, &["doc", "return", &id, "--as", "danghuutai"]);
    assert_eq!(refused.status.code(), Some(4), "a return needs a comment");
}

#[test]
fn incoming_mail_tasks_and_tamper_detection() {
    let dir = temp_dir("incoming");
    let db = dir.join("v.db");
    ok(run_as(&db, &["demo"]));
    let id = ok(run_as(
        &db,
        &[
            "incoming",
            "receive",
            "--sender",
            "Bộ Nội vụ",
            "--number",
            "5120",
            "--notation",
            "BNV-VTLTNN",
            "--date",
            "2026-11-25",
            "--subject",
            "Hướng dẫn nộp lưu hồ sơ điện tử",
            "--as",
            "lythihongnhung",
        ],
    ))
    .trim()
    .to_owned();
    ok(run_as(&db, &["incoming", "register", &id, "--as", "lythihongnhung"]));
    ok(run_as(&db, &["incoming", "present", &id, "--as", "lythihongnhung"]));
    ok(run_as(
        &db,
        &["incoming", "assign", &id, "--handler", "hovanphuc", "--working-days", "3", "--as", "phamvanthang"],
    ));
    let tasks = ok(run_as(&db, &["tasks", "--as", "hovanphuc", "--json"]));
    let tasks: serde_json::Value = serde_json::from_str(&tasks).unwrap();
    assert!(
        tasks
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["subject"] == "incoming" && t["id"].as_i64() == id.parse::<i64>().ok())
    );
    let bare = run_as(&db, &["incoming", "resolve", &id, "--as", "hovanphuc"]);
    assert!(!bare.status.success(), "resolving needs the reply or a closing note");
    ok(run_as(&db, &["incoming", "resolve", &id, "--note", "Đã nộp lưu đủ hồ sơ.", "--as", "hovanphuc"]));
    assert!(ok(run_as(&db, &["verify"])).contains("toàn vẹn"));

    // Edit an audit row behind the app's back (triggers dropped first).
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TRIGGER audit_events_append_only_update; UPDATE audit_events SET username = 'ai đó' WHERE id = 2;",
        )
        .unwrap();
    }
    let broken = run_as(&db, &["verify"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("audit_events #2"));
}
