//! Incoming handling on the command line (issue #14): receive with pages and how it
//! came, register, present, the leader's bút phê with a lead handler and a
//! co-handler, the co-handler's opinion, progress, an extension asked and granted, a refused extension,
//! forwarding, resolving with a closing note; the wrong person refused each time.

use std::path::Path;
use std::process::{Command, Output};

use super::{ok, temp_dir};

fn run_as(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("VANTHU_PASSWORD", "demo")
        .env_remove("VANTHU_DB")
        .output()
        .unwrap()
}

/// The step is refused with a Vietnamese message containing `words`.
fn refused(output: Output, words: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "should be refused: {}", String::from_utf8_lossy(&output.stdout));
    assert!(stderr.contains(words), "expected {words:?} in: {stderr}");
}

fn card(db: &Path, id: &str, user: &str) -> serde_json::Value {
    serde_json::from_str(&ok(run_as(db, &["incoming", "show", id, "--json", "--as", user]))).unwrap()
}

#[test]
fn a_letter_directed_extended_forwarded_and_resolved() {
    let dir = temp_dir("incoming-handling");
    let db = dir.join("v.db");
    ok(run_as(&db, &["demo"]));
    let id = ok(run_as(
        &db,
        &[
            "incoming",
            "receive",
            "--sender",
            "Sở Tài chính",
            "--number",
            "3999",
            "--notation",
            "STC-QLNS",
            "--subject",
            "V/v báo cáo quyết toán ngân sách năm 2026",
            "--pages",
            "3",
            "--via",
            "electronic",
            "--as",
            "lythihongnhung",
        ],
    ))
    .trim()
    .to_owned();
    refused(
        run_as(
            &db,
            &["incoming", "receive", "--sender", "X", "--subject", "Y", "--via", "bo-cau", "--as", "lythihongnhung"],
        ),
        "cách nhận",
    );
    ok(run_as(&db, &["incoming", "register", &id, "--as", "lythihongnhung"]));
    ok(run_as(&db, &["incoming", "present", &id, "--as", "lythihongnhung"]));

    let direct = |user: &str| {
        run_as(
            &db,
            &[
                "incoming",
                "direct",
                &id,
                "--handler",
                "hovanphuc",
                "--co-handler",
                "buivantoan",
                "--direction",
                "Giao Phòng HC-TC chủ trì, phối hợp Phòng KT tham mưu.",
                "--working-days",
                "5",
                "--as",
                user,
            ],
        )
    };
    refused(direct("lythihongnhung"), "lãnh đạo");
    refused(direct("lehoangnam"), "lãnh đạo của");
    ok(direct("phamvanthang"));
    let c = card(&db, &id, "hovanphuc");
    assert_eq!(c["handler"], "Hồ Văn Phúc");
    assert_eq!(c["co_handlers"][0], "Bùi Văn Toàn");
    assert_eq!(c["direction"], "Giao Phòng HC-TC chủ trì, phối hợp Phòng KT tham mưu.");
    let deadline = c["letter"]["deadline"].as_str().unwrap().to_owned();
    let co = card(&db, &id, "buivantoan");
    assert_eq!(co["actions"], serde_json::json!(["opinion"]), "the co-handler reads and gives an opinion only");
    refused(run_as(&db, &["incoming", "show", &id, "--as", "duongthikimoanh"]), "không xem được");

    refused(run_as(&db, &["incoming", "progress", &id, "--note", "x", "--as", "buivantoan"]), "phối hợp chỉ được xem");
    // The co-handler's opinion (ý kiến phối hợp): the lead handler reads it; anyone
    // else is refused; the text is required.
    refused(run_as(&db, &["incoming", "opinion", &id, "--as", "buivantoan"]), "--text");
    refused(run_as(&db, &["incoming", "opinion", &id, "--text", "x", "--as", "lythihongnhung"]), "người phối hợp");
    let opinion = "Phòng KT thống nhất, đề nghị bổ sung số liệu quý IV.";
    ok(run_as(&db, &["incoming", "opinion", &id, "--text", opinion, "--as", "buivantoan"]));
    let lead = card(&db, &id, "hovanphuc");
    assert_eq!(lead["opinions"][0]["author"], "Bùi Văn Toàn");
    assert_eq!(lead["opinions"][0]["text"], opinion);
    assert!(
        ok(run_as(&db, &["incoming", "show", &id, "--as", "hovanphuc"])).contains(&format!("Bùi Văn Toàn: {opinion}"))
    );
    refused(run_as(&db, &["incoming", "progress", &id, "--as", "hovanphuc"]), "--note");
    ok(run_as(&db, &["incoming", "progress", &id, "--note", "Đã làm việc với Sở Tài chính.", "--as", "hovanphuc"]));
    let until = (deadline.parse::<chrono::NaiveDate>().unwrap() + chrono::Days::new(7)).to_string();
    ok(run_as(
        &db,
        &["incoming", "extend", &id, "--reason", "Chờ số liệu của các xã.", "--until", &until, "--as", "hovanphuc"],
    ));
    refused(run_as(&db, &["incoming", "grant-extension", &id, "--as", "hovanphuc"]), "lãnh đạo");
    refused(
        run_as(
            &db,
            &["incoming", "forward", &id, "--handler", "duongthikimoanh", "--direction", "x", "--as", "phamvanthang"],
        ),
        "chờ lãnh đạo quyết định",
    );
    ok(run_as(&db, &["incoming", "grant-extension", &id, "--note", "Đồng ý.", "--as", "phamvanthang"]));
    let c = card(&db, &id, "phamvanthang");
    assert_eq!(c["letter"]["deadline"], until.as_str(), "the granted date is the deadline");
    assert_eq!(c["extensions"][0]["state"], "granted");

    // A second request is refused by the leader: the deadline stays.
    let later = (until.parse::<chrono::NaiveDate>().unwrap() + chrono::Days::new(7)).to_string();
    ok(run_as(&db, &["incoming", "extend", &id, "--reason", "Thêm số liệu.", "--until", &later, "--as", "hovanphuc"]));
    refused(run_as(&db, &["incoming", "refuse-extension", &id, "--as", "phamvanthang"]), "--reason");
    ok(run_as(&db, &["incoming", "refuse-extension", &id, "--reason", "Việc gấp.", "--as", "phamvanthang"]));
    assert_eq!(card(&db, &id, "phamvanthang")["letter"]["deadline"], until.as_str());

    // Forwarded to another handler, who resolves it.
    ok(run_as(
        &db,
        &[
            "incoming",
            "forward",
            &id,
            "--handler",
            "duongthikimoanh",
            "--direction",
            "Chuyển Phòng TH chủ trì.",
            "--as",
            "phamvanthang",
        ],
    ));
    refused(run_as(&db, &["incoming", "resolve", &id, "--note", "x", "--as", "hovanphuc"]), "chủ trì");
    refused(
        run_as(&db, &["incoming", "resolve", &id, "--reply", "999999", "--as", "duongthikimoanh"]),
        "không tìm thấy",
    );
    ok(run_as(&db, &["incoming", "resolve", &id, "--note", "Đã báo cáo Sở Tài chính.", "--as", "duongthikimoanh"]));
    let text = ok(run_as(&db, &["incoming", "show", &id, "--as", "phamvanthang"]));
    for line in
        ["Đã giải quyết", "Chủ trì: Dương Thị Kim Oanh", "Số tờ: 3", "Văn bản điện tử", "Kết quả xử lý: Đã báo cáo"]
    {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut stmt = conn
        .prepare("SELECT username || ' ' || action FROM audit_events WHERE subject = 'incoming' AND subject_id = ?1 ORDER BY id")
        .unwrap();
    let history: Vec<String> =
        stmt.query_map([id.parse::<i64>().unwrap()], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    for step in [
        "phamvanthang assign",
        "hovanphuc progress",
        "hovanphuc extend",
        "phamvanthang grant-extension",
        "phamvanthang refuse-extension",
        "phamvanthang forward",
        "duongthikimoanh resolve",
        "lythihongnhung refused",
        "buivantoan refused",
    ] {
        assert!(history.iter().any(|h| h == step), "{step} audited: {history:?}");
    }
    assert!(ok(run_as(&db, &["verify"])).contains("toàn vẹn"));
}
