//! Archive on the command line: the file plan, closed dossiers refusing changes,
//! search, the package round trip, and backup during writes by another process.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use vanthu_core::Store;
use vanthu_core::demo::DEMO_PASSWORD;
use vanthu_core::model::Role;
use vanthu_core::store::NewUser;

use super::{ok, temp_dir};

fn run_as(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("VANTHU_PASSWORD", DEMO_PASSWORD)
        .env_remove("VANTHU_DB")
        .output()
        .unwrap()
}

/// The password of the accounts `archivist_db` makes (at least 10 characters).
const ARCHIVIST_PASSWORD: &str = "luu-tru-2026";

/// Runs `vanthu` as the archivist `luutru` of an `archivist_db` database.
pub(super) fn run_archivist(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("VANTHU_PASSWORD", ARCHIVIST_PASSWORD)
        .env_remove("VANTHU_DB")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn issued_ids(db: &Path) -> Vec<i64> {
    // The UBND văn thư files the documents of the agencies her office serves.
    let mine = ok(run_as(db, &["list", "--json", "--as", "lythihongnhung"]));
    let list: serde_json::Value = serde_json::from_str(&mine).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .filter(|d| d["state"] == "issued" && d["date"].is_string())
        .map(|d| d["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn dossier_closed_is_read_only_searchable_and_packaged() {
    let dir = temp_dir("archive-dossier");
    let db = dir.join("v.db");
    ok(run_as(&db, &["demo"]));
    let issued = issued_ids(&db);
    assert!(issued.len() >= 3, "{issued:?}");
    let open = [
        "dossier",
        "open",
        "--title",
        "Hồ sơ về cải cách hành chính năm 2026",
        "--heading",
        "I. TỔNG HỢP",
        "--heading-code",
        "TH",
        "--retention",
        "Vĩnh viễn",
        "--year",
        "2026",
        "--start",
        "2026-01-02",
        "--as",
        "lythihongnhung",
    ];
    let id = ok(run_as(&db, &open)).trim().to_owned();
    for doc in &issued[..2] {
        ok(run_as(&db, &["dossier", "add", &id, "--doc", &doc.to_string(), "--as", "lythihongnhung"]));
    }
    let shown: serde_json::Value = serde_json::from_str(&ok(run_as(&db, &["dossier", "show", &id, "--json"]))).unwrap();
    let code = shown["dossier"]["code"].as_str().unwrap().to_owned();
    assert!(code.ends_with(".TH") && code.len() == 5, "next number of the year, then the heading code: {code}");
    let plan = ok(run_as(&db, &["dossier", "plan", "--year", "2026"]));
    assert!(plan.contains("I. TỔNG HỢP") && plan.contains(&code) && plan.contains("Vĩnh viễn"), "{plan}");
    let refused = run_as(&db, &["dossier", "close", &id, "--note", " ", "--as", "lythihongnhung"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("chứng từ kết thúc"));
    ok(run_as(&db, &["dossier", "close", &id, "--note", "Hồ sơ gồm 2 văn bản", "--as", "lythihongnhung"]));

    // Every change of the closed dossier is refused (exit 4) and audited.
    let doc = issued[0].to_string();
    let other = issued[2].to_string();
    let attempts: [&[&str]; 4] = [
        &["dossier", "edit", &id, "--title", "Khác", "--as", "lythihongnhung"],
        &["dossier", "add", &id, "--doc", &other, "--as", "lythihongnhung"],
        &["dossier", "remove", &id, "--doc", &doc, "--as", "hovanphuc"],
        &["doc", "recall", &doc, "--as", "lethithuha", "--comment", "Thu hồi"],
    ];
    for args in attempts {
        let out = run_as(&db, args);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("đã đóng"), "{args:?}: {}", stderr(&out));
    }
    let page: serde_json::Value = serde_json::from_str(&ok(run_as(&db, &["dossier", "show", &id, "--json"]))).unwrap();
    let refusals = page["events"].as_array().unwrap().iter().filter(|e| e["action"] == "refused").count();
    assert_eq!(refusals, 3, "three dossier-level refusals audited: {page}");
    assert_eq!(page["documents"].as_array().unwrap().len(), 2);
    assert_eq!(page["document_index"].as_array().map(Vec::len), Some(2));
    assert!(ok(run_as(&db, &["verify"])).contains("toàn vẹn"));
    // The archivist reopens with a reason.
    let out = run_as(&db, &["dossier", "reopen", &id, "--reason", "x", "--as", "lythihongnhung"]);
    assert_eq!(out.status.code(), Some(4));

    // Search: folded, one hit per line, JSON lines.
    let hits = ok(run_as(&db, &["search", "cai cach hanh chinh"]));
    assert!(hits.lines().any(|l| l.starts_with("hồ sơ #") && l.contains("cải cách hành chính")), "{hits}");
    let json = ok(run_as(&db, &["search", "quyet dinh", "--json", "--type", "document"]));
    assert!(json.lines().count() >= 1);
    for line in json.lines() {
        let hit: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(hit["item"], "document");
    }
    let filtered = ok(run_as(&db, &["search", "", "--dossier", &id, "--type", "document"]));
    assert_eq!(filtered.lines().count(), 2, "{filtered}");

    // Package round trip.
    let pkg = dir.join("pkg");
    let pkg_s = pkg.to_str().unwrap();
    ok(run_as(&db, &["archive", "export", &id, "--out", pkg_s]));
    assert!(ok(run_as(&db, &["archive", "verify", pkg_s])).contains("toàn vẹn"));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pkg.join("manifest.json")).unwrap()).unwrap();
    let files: Vec<String> =
        manifest["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_owned()).collect();
    for needed in ["dossier.json", "audit.jsonl"] {
        assert!(files.iter().any(|f| f == needed), "{files:?}");
    }
    assert_eq!(files.iter().filter(|f| f.ends_with("/report.json")).count(), 2);
    let pdfs: Vec<&String> = files.iter().filter(|f| f.ends_with("/document.pdf")).collect();
    assert_eq!(pdfs.len(), 2, "every document as PDF/A: {files:?}");
    assert_eq!(manifest["pdf"], true);
    let target = pdfs[0];
    assert!(std::fs::read(pkg.join(target)).unwrap().starts_with(b"%PDF-"));
    let path = pkg.join(target);
    let original = std::fs::read(&path).unwrap();
    let mut flipped = original.clone();
    flipped[original.len() / 2] ^= 0x01;
    std::fs::write(&path, &flipped).unwrap();
    let out = run_as(&db, &["archive", "verify", pkg_s]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(target.as_str()) && said.contains("thay đổi"), "{said}");
    assert_eq!(said.lines().count(), 1, "only the altered file is named: {said}");
    std::fs::write(&path, &original).unwrap();
    std::fs::remove_file(pkg.join("audit.jsonl")).unwrap();
    let out = run_as(&db, &["archive", "verify", pkg_s]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("thiếu tệp audit.jsonl"));
    ok(run_as(&db, &["archive", "export", &id, "--out", dir.join("pkg2").to_str().unwrap()]));

    // Import into a fresh database: the dossier is closed, documents identical.
    let fresh = dir.join("fresh.db");
    archivist_db(&fresh);
    let pkg2 = dir.join("pkg2");
    let new_id =
        ok(run_archivist(&fresh, &["archive", "import", pkg2.to_str().unwrap(), "--as", "luutru"])).trim().to_owned();
    let imported: serde_json::Value =
        serde_json::from_str(&ok(run_as(&fresh, &["dossier", "show", &new_id, "--json"]))).unwrap();
    assert_eq!(imported["dossier"]["closed"], true);
    assert_eq!(imported["dossier"]["code"], code.as_str());
    let docs = imported["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    for (a, b) in docs.iter().zip(page["documents"].as_array().unwrap()) {
        let left = ok(run_as(&fresh, &["show", &a["id"].to_string(), "--json"]));
        let right = ok(run_as(&db, &["show", &b["id"].to_string(), "--json"]));
        assert_eq!(left, right, "identical documents");
    }
    let out = run_archivist(&fresh, &["dossier", "edit", &new_id, "--title", "x", "--as", "luutru"]);
    assert_eq!(out.status.code(), Some(4), "the imported dossier is read-only");
    let again = run_archivist(&fresh, &["archive", "import", pkg2.to_str().unwrap(), "--as", "luutru"]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(ok(run_as(&fresh, &["verify"])).contains("toàn vẹn"));
}

/// Worker: 1,000 writes (incoming documents received, one transaction each).
#[test]
#[ignore = "run by the backup test as a separate process"]
fn backup_writer_worker() {
    let Ok(db) = std::env::var("VANTHU_WRITER_DB") else { return };
    let mut store = Store::open(Path::new(&db)).unwrap();
    let actor = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
    let agency = actor.user().agency_id.unwrap();
    for i in 0..1000 {
        let new = vanthu_core::store::NewIncoming {
            agency_id: agency,
            arrival_number: None,
            arrival_date: chrono::Local::now().date_naive(),
            sender: "Sở Nội vụ".into(),
            number: Some(format!("{}", i + 1)),
            notation: Some("SNV-VP".into()),
            date: None,
            kind: "cong-van".into(),
            subject: format!("Về việc thử sao lưu lần {i}"),
            urgency: None,
            state: vanthu_core::model::IncomingState::Received,
            handler_id: None,
            lead_unit_id: None,
            deadline: None,
            source_key: None,
        };
        store.receive_incoming(&actor, new, chrono::Local::now()).unwrap();
    }
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn backup_during_writes_restores_to_a_sound_database() {
    let dir = temp_dir("archive-backup");
    let db = dir.join("v.db");
    ok(run_as(&db, &["demo"]));
    let before = count(&db, "SELECT count(*) FROM incoming");
    let mut worker = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "archive::backup_writer_worker", "--ignored", "--test-threads=1"])
        .env("VANTHU_WRITER_DB", &db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the writer is under way, then back up while it writes.
    let started = std::time::Instant::now();
    while count(&db, "SELECT count(*) FROM incoming") < before + 50 {
        assert!(started.elapsed().as_secs() < 120, "the writer did not start");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let backup = dir.join("backup.db");
    ok(run_as(&db, &["backup", "--out", backup.to_str().unwrap(), "--as", "lythihongnhung"]));
    let during = count(&db, "SELECT count(*) FROM incoming");
    assert!(worker.wait().unwrap().success(), "the writer finished its 1,000 writes");
    assert_eq!(count(&db, "SELECT count(*) FROM incoming"), before + 1000);
    let copied = count(&backup, "SELECT count(*) FROM incoming");
    assert!(copied > before && copied <= during.max(before + 1000), "a snapshot taken mid-way: {copied}");
    assert!(!dir.join("backup.db-wal").exists(), "a single-file backup");

    let restored = dir.join("restored.db");
    ok(run_as(&restored, &["restore", backup.to_str().unwrap(), "--as", "admin"]));
    assert_eq!(count(&restored, "SELECT count(*) FROM incoming"), copied);
    let check: String =
        rusqlite::Connection::open(&restored).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    assert!(ok(run_as(&restored, &["verify"])).contains("toàn vẹn"));
    assert!(ok(run_as(&restored, &["search", "thu sao luu"])).lines().count() > 0, "the index came along");

    // A backup whose audit chain was edited is refused; the target is unchanged.
    let tampered = dir.join("tampered.db");
    std::fs::copy(&backup, &tampered).unwrap();
    {
        let conn = rusqlite::Connection::open(&tampered).unwrap();
        conn.execute_batch(
            "DROP TRIGGER audit_events_append_only_update;
             UPDATE audit_events SET comment = 'sửa lén' WHERE id = (SELECT max(id) FROM audit_events);",
        )
        .unwrap();
    }
    let out = run_as(&restored, &["restore", tampered.to_str().unwrap(), "--as", "admin"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("chuỗi nhật ký"), "{}", stderr(&out));
    assert_eq!(count(&restored, "SELECT count(*) FROM incoming"), copied);
    // A damaged file is refused too.
    let damaged = dir.join("damaged.db");
    let mut bytes = std::fs::read(&backup).unwrap();
    let at = bytes.len() / 2;
    bytes[at..at + 4096].fill(0xA5);
    std::fs::write(&damaged, &bytes).unwrap();
    let out = run_as(&restored, &["restore", damaged.to_str().unwrap(), "--as", "admin"]);
    assert_ne!(out.status.code(), Some(0), "a damaged backup is refused");
    assert_eq!(count(&restored, "SELECT count(*) FROM incoming"), copied);
}

/// A demo database with a closed dossier of two issued documents; returns its id.
fn closed_dossier(db: &Path) -> String {
    ok(run_as(db, &["demo"]));
    let issued = issued_ids(db);
    let open = [
        "dossier",
        "open",
        "--title",
        "Hồ sơ về chuyển đổi số năm 2026",
        "--heading",
        "I. TỔNG HỢP",
        "--heading-code",
        "TH",
        "--retention",
        "10",
        "--year",
        "2026",
        "--start",
        "2026-01-02",
        "--as",
        "lythihongnhung",
    ];
    let id = ok(run_as(db, &open)).trim().to_owned();
    for doc in &issued[..2] {
        ok(run_as(db, &["dossier", "add", &id, "--doc", &doc.to_string(), "--as", "lythihongnhung"]));
    }
    ok(run_as(db, &["dossier", "close", &id, "--note", "Hồ sơ gồm 2 văn bản", "--as", "lythihongnhung"]));
    id
}

/// Copies the zip `from` to `to` member by member, `change` deciding each member's
/// bytes, then adds the members of `extra`.
fn rewrite_zip(from: &Path, to: &Path, change: impl Fn(&str, Vec<u8>) -> Vec<u8>, extra: &[(&str, &[u8])]) {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..archive.len() {
        let mut member = archive.by_index(i).unwrap();
        let name = member.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        member.read_to_end(&mut bytes).unwrap();
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(&change(&name, bytes)).unwrap();
    }
    for (name, bytes) in extra {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn zip_package_round_trip_names_altered_members_and_imports_identically() {
    let dir = temp_dir("archive-zip");
    let db = dir.join("v.db");
    let id = closed_dossier(&db);
    let zip = dir.join("hoso.zip");
    let zip_s = zip.to_str().unwrap();
    let out = run_as(&db, &["archive", "export", &id, "--out", zip_s]);
    assert!(stderr(&out).is_empty(), "no progress when stderr is not a terminal: {}", stderr(&out));
    assert!(ok(out).contains("2 văn bản"));
    assert!(std::fs::read(&zip).unwrap().starts_with(b"PK\x03\x04"), "a zip file");
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!leftovers.iter().any(|n| n.to_string_lossy().contains("partial")), "{leftovers:?}");
    let again = run_as(&db, &["archive", "export", &id, "--out", zip_s]);
    assert_eq!(again.status.code(), Some(2), "an existing file is not overwritten: {}", stderr(&again));

    // The same members as the directory form, and the same manifest entries.
    let pkg = dir.join("pkg");
    ok(run_as(&db, &["archive", "export", &id, "--out", pkg.to_str().unwrap()]));
    let listed = |m: serde_json::Value| m["files"].clone();
    let dir_manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pkg.join("manifest.json")).unwrap()).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let zip_manifest: serde_json::Value = serde_json::from_reader(archive.by_name("manifest.json").unwrap()).unwrap();
    assert_eq!(listed(zip_manifest.clone()), listed(dir_manifest), "the PDFs and JSON are deterministic");
    let files: Vec<String> =
        zip_manifest["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_owned()).collect();
    let mut names: Vec<String> = archive.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    let mut expected = files.clone();
    expected.push("manifest.json".into());
    expected.sort();
    assert_eq!(names, expected);

    let out = run_as(&db, &["archive", "verify", zip_s]);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let out = ok(out);
    assert!(out.contains("toàn vẹn") && out.contains(&format!("{} tệp", files.len())), "{out}");
    // On a terminal (a pseudo-terminal from util-linux `script`, when installed) the
    // progress goes to stderr.
    let line = format!("'{}' archive verify '{zip_s}' --db '{}'", env!("CARGO_BIN_EXE_vanthu"), db.display());
    if let Ok(tty) = Command::new("script").args(["-qec", &line, "/dev/null"]).env_remove("VANTHU_DB").output()
        && tty.status.success()
    {
        let shown = String::from_utf8_lossy(&tty.stdout);
        let n = files.len();
        assert!(shown.contains(&format!("{n}/{n} tệp")) && shown.contains("toàn vẹn"), "{shown}");
    }

    // One byte of one PDF flipped (and a member climbing out of the package added).
    let target = files.iter().find(|f| f.ends_with("/document.pdf")).unwrap().clone();
    let altered = dir.join("altered.zip");
    rewrite_zip(
        &zip,
        &altered,
        |name, mut bytes| {
            if name == target {
                let at = bytes.len() / 2;
                bytes[at] ^= 0x01;
            }
            bytes
        },
        &[("../../evil.txt", b"x")],
    );
    let out = run_as(&db, &["archive", "verify", altered.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines.len(), 2, "{said}");
    assert!(lines[0].contains(target.as_str()) && lines[0].contains("thay đổi"), "{said}");
    assert!(lines[1].contains("../../evil.txt") && lines[1].contains("unsafe path"), "{said}");
    assert!(!dir.parent().unwrap().join("evil.txt").exists());

    // Damaged stored data: the PDF is stored uncompressed, so its bytes are in the file.
    let mut bytes = std::fs::read(&zip).unwrap();
    let at = bytes.windows(5).position(|w| w == b"%PDF-").unwrap() + 200;
    bytes[at] ^= 0x01;
    let damaged = dir.join("damaged.zip");
    std::fs::write(&damaged, &bytes).unwrap();
    let out = run_as(&db, &["archive", "verify", damaged.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains(target.as_str()) && said.contains("hỏng"), "{said}");
    let fresh = dir.join("refused.db");
    archivist_db(&fresh);
    let out = run_archivist(&fresh, &["archive", "import", damaged.to_str().unwrap(), "--as", "luutru"]);
    assert_eq!(out.status.code(), Some(2), "a damaged package is not imported: {}", stderr(&out));

    // Import of the intact zip into a fresh database: identical documents.
    let fresh = dir.join("fresh.db");
    archivist_db(&fresh);
    let out = run_archivist(&fresh, &["archive", "import", zip_s, "--as", "luutru"]);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let new_id = ok(out).trim().to_owned();
    let page: serde_json::Value = serde_json::from_str(&ok(run_as(&db, &["dossier", "show", &id, "--json"]))).unwrap();
    let imported: serde_json::Value =
        serde_json::from_str(&ok(run_as(&fresh, &["dossier", "show", &new_id, "--json"]))).unwrap();
    assert_eq!(imported["dossier"]["closed"], true);
    let docs = imported["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    for (a, b) in docs.iter().zip(page["documents"].as_array().unwrap()) {
        let left = ok(run_as(&fresh, &["show", &a["id"].to_string(), "--json"]));
        let right = ok(run_as(&db, &["show", &b["id"].to_string(), "--json"]));
        assert_eq!(left, right, "identical documents");
    }
    assert!(ok(run_as(&fresh, &["verify"])).contains("toàn vẹn"));
}

/// A fresh database with an administrator and an archivist `luutru`.
pub(super) fn archivist_db(db: &Path) {
    let mut store = Store::open(db).unwrap();
    let admin = store.create_first_admin("quantri", "Quản trị", ARCHIVIST_PASSWORD).unwrap();
    let user = NewUser {
        username: "luutru".into(),
        full_name: "Lưu Trữ".into(),
        person_id: None,
        agency_id: None,
        roles: vec![Role::Archivist],
    };
    store.create_user(&admin, &user, ARCHIVIST_PASSWORD).unwrap();
}
