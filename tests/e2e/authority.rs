//! Đúng thẩm quyền on the command line (issue #12): only the printed signer signs,
//! agencies keep their own books, refusals change nothing and are audited, logins
//! wait after repeated failures.

use std::path::Path;
use std::process::{Command, Output};

use super::{ok, temp_dir};

fn run_with(db: &Path, password: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("VANTHU_PASSWORD", password)
        .env_remove("VANTHU_DB")
        .env_remove("VANTHU_NEW_PASSWORD")
        .output()
        .unwrap()
}

fn run_as(db: &Path, args: &[&str]) -> Output {
    run_with(db, "demo", args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn demo_db(name: &str) -> std::path::PathBuf {
    let db = temp_dir(name).join("v.db");
    ok(run_as(&db, &["demo"]));
    db
}

fn state_of(db: &Path, id: &str) -> String {
    let json = ok(run_as(db, &["list", "--json"]));
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"].as_i64().map(|n| n.to_string()).as_deref() == Some(id))
        .map(|d| d["state"].as_str().unwrap().to_owned())
        .unwrap()
}

fn audit_count(db: &Path, action: &str) -> usize {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM audit_events WHERE action = ?1", [action], |r| r.get::<_, i64>(0)).unwrap()
        as usize
}

#[test]
fn only_the_printed_signer_signs_and_agencies_keep_their_own_books() {
    let db = demo_db("authority-sign");
    // Tờ trình 14 of the UBND prints "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / Hoàng Minh Đức".
    assert_eq!(state_of(&db, "14"), "awaiting_signature");
    for wrong in ["nguyendinhkhoi", "vothingoclan", "lethithuha"] {
        let refused = run_as(&db, &["doc", "sign", "14", "--as", wrong]);
        assert_eq!(refused.status.code(), Some(4), "{wrong}: {}", stderr(&refused));
        assert!(stderr(&refused).contains("Hoàng Minh Đức"), "the refusal names who must sign: {}", stderr(&refused));
        assert_eq!(state_of(&db, "14"), "awaiting_signature", "{wrong} changed nothing");
    }
    assert_eq!(audit_count(&db, "refused"), 3);
    ok(run_as(&db, &["doc", "sign", "14", "--as", "hoangminhduc"]));
    assert_eq!(state_of(&db, "14"), "signed");

    // The Tỉnh ủy văn thư does not number the UBND biên bản 13.
    let refused = run_as(&db, &["doc", "number", "13", "--as", "lamthihoa"]);
    assert_eq!(refused.status.code(), Some(4), "{}", stderr(&refused));
    assert_eq!(state_of(&db, "13"), "signed");
    ok(run_as(&db, &["doc", "number", "13", "--as", "lythihongnhung"]));

    // The UBND văn thư's incoming list and register hold UBND letters only,
    // numbered 1, 2, 3 without repeats.
    let list = ok(run_as(&db, &["incoming", "list", "--as", "lythihongnhung"]));
    let all = ok(run_as(&db, &["incoming", "list"]));
    assert!(list.lines().count() < all.lines().count(), "the list is narrowed:\n{list}");
    assert!(!list.contains("Tỉnh ủy") || !list.contains("Ban Thường vụ"), "{list}");
    let register = ok(run_as(&db, &["register", "incoming", "--as", "lythihongnhung", "--json"]));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&register).unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["agency"] == "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC"), "{register}");
    let numbers: Vec<i64> = rows.iter().map(|r| r["arrival_number"].as_str().unwrap().parse().unwrap()).collect();
    assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>());
    let party = ok(run_as(&db, &["register", "incoming", "--as", "lamthihoa", "--json"]));
    let party: Vec<serde_json::Value> = serde_json::from_str(&party).unwrap();
    assert!(party.iter().all(|r| r["agency"] != "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC"));
    let other_book = run_as(&db, &["register", "outgoing", "--as", "lamthihoa", "--agency", "UBND"]);
    assert_eq!(other_book.status.code(), Some(4), "{}", stderr(&other_book));
    // Their queues too: the UBND văn thư's documents are UBND's or its Văn phòng's.
    let mine = ok(run_as(&db, &["list", "--json", "--as", "lythihongnhung"]));
    let mine: Vec<serde_json::Value> = serde_json::from_str(&mine).unwrap();
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|d| d["family"] == "state"), "no Party document in the UBND văn thư's list");
}

#[test]
fn logins_wait_after_failures_and_are_audited() {
    let db = demo_db("authority-login");
    for _ in 0..8 {
        let wrong = run_with(&db, "sai-mat-khau", &["tasks", "--as", "lythihongnhung"]);
        assert_eq!(wrong.status.code(), Some(4), "{}", stderr(&wrong));
    }
    let right = run_as(&db, &["tasks", "--as", "lythihongnhung"]);
    assert_eq!(right.status.code(), Some(4), "the right password waits: {}", stderr(&right));
    assert!(stderr(&right).contains("chờ"), "{}", stderr(&right));
    assert_eq!(audit_count(&db, "login-failed"), 5);
    assert!(audit_count(&db, "login-refused") >= 4);
    // An unknown name answers the same way.
    let unknown = run_with(&db, "x", &["tasks", "--as", "khongcoai"]);
    assert_eq!(unknown.status.code(), Some(4));
    // The administrator lifts the wait.
    ok(run_as(&db, &["admin", "unlock", "lythihongnhung", "--as", "admin"]));
    ok(run_as(&db, &["tasks", "--as", "lythihongnhung"]));
}

#[test]
fn passwords_are_long_enough_and_a_reset_forces_a_change() {
    let db = demo_db("authority-passwd");
    let change = |user: &str, old: &str, new: &str| {
        Command::new(env!("CARGO_BIN_EXE_vanthu"))
            .args(["passwd", "--as", user, "--db"])
            .arg(&db)
            .env("VANTHU_PASSWORD", old)
            .env("VANTHU_NEW_PASSWORD", new)
            .env_remove("VANTHU_DB")
            .output()
            .unwrap()
    };
    for weak in ["ngan", "          ", "123456789"] {
        let refused = change("buivantoan", "demo", weak);
        assert_eq!(refused.status.code(), Some(2), "{weak:?}: {}", stderr(&refused));
    }
    ok(change("buivantoan", "demo", "mat-khau-moi-2026"));
    assert_eq!(run_as(&db, &["tasks", "--as", "buivantoan"]).status.code(), Some(4), "the old password is gone");
    ok(run_with(&db, "mat-khau-moi-2026", &["tasks", "--as", "buivantoan"]));

    // A reset by the administrator forces a change at the next login.
    let reset = Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(["admin", "reset-password", "hoangminhduc", "--as", "admin", "--db"])
        .arg(&db)
        .env("VANTHU_PASSWORD", "demo")
        .env("VANTHU_NEW_PASSWORD", "tam-thoi-0001")
        .output()
        .unwrap();
    ok(reset);
    let blocked = run_with(&db, "tam-thoi-0001", &["doc", "sign", "14", "--as", "hoangminhduc"]);
    assert_eq!(blocked.status.code(), Some(4));
    assert!(stderr(&blocked).contains("passwd"), "{}", stderr(&blocked));
    ok(change("hoangminhduc", "tam-thoi-0001", "chu-tich-2026-moi"));
    ok(run_with(&db, "chu-tich-2026-moi", &["doc", "sign", "14", "--as", "hoangminhduc"]));
    ok(run_as(&db, &["verify"]));
    // A drafter cannot reset anyone.
    let denied = run_as(&db, &["admin", "unlock", "admin", "--as", "duongthikimoanh"]);
    assert_eq!(denied.status.code(), Some(4));
}
