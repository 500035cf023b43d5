//! Files received with incoming letters (issue #16, item 3), end to end: a quyết
//! định signed by its signer with a PKCS#12 key of a throwaway `openssl` CA in one
//! office, received with a scan in another office that does not trust that CA
//! ("không tin cậy"), valid once the administrator trusts the root; the report is
//! the one `vanthu pdf verify` prints; a file of 50 MB + 1 byte, a hostile file name
//! and the wrong person are handled; the letter and its files go through backup,
//! restore, an archive package (verify names an altered file) and import.

use std::path::{Path, PathBuf};
use std::process::Output;

use super::archive::{archivist_db, run_archivist};
use super::ok;
use super::signatures::{closed_dossier, issue_cert, make_ca, p12, run};

/// CRC-32 (PNG chunks).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A 16×16 PNG (RGB when `colour`, else grey) declaring `dpi` in its pHYs chunk,
/// with its pixels in one stored (uncompressed) deflate block.
fn scan_png(colour: bool, dpi: u32) -> Vec<u8> {
    let (w, channels) = (16u32, if colour { 3 } else { 1 });
    let mut raw = Vec::new();
    for y in 0..w {
        raw.push(0);
        for x in 0..w * channels {
            raw.push(((x * 7 + y * 13) % 251) as u8);
        }
    }
    let mut zlib = vec![0x78, 0x01, 0x01];
    zlib.extend_from_slice(&(raw.len() as u16).to_le_bytes());
    zlib.extend_from_slice(&(!(raw.len() as u16)).to_le_bytes());
    zlib.extend_from_slice(&raw);
    let (mut a, mut b) = (1u32, 0u32);
    for byte in &raw {
        a = (a + u32::from(*byte)) % 65521;
        b = (b + a) % 65521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        png.extend_from_slice(&body);
        png.extend_from_slice(&crc32(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&[8, if colour { 2 } else { 0 }, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    let ppm = (f64::from(dpi) / 0.0254).round() as u32;
    let mut phys = Vec::new();
    phys.extend_from_slice(&ppm.to_be_bytes());
    phys.extend_from_slice(&ppm.to_be_bytes());
    phys.push(1);
    chunk(b"pHYs", &phys);
    chunk(b"IDAT", &zlib);
    chunk(b"IEND", &[]);
    png
}

fn refused(output: Output, code: i32, needle: &str) {
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{err}");
    assert!(err.contains(needle), "expected «{needle}» in {err}");
}

fn files(db: &Path, dir: &Path, id: &str) -> Vec<serde_json::Value> {
    let text = ok(run(db, dir, &["incoming", "files", id, "--json", "--as", "lythihongnhung"]));
    serde_json::from_str::<serde_json::Value>(&text).unwrap().as_array().unwrap().clone()
}

fn lines(value: &serde_json::Value) -> Vec<String> {
    value["check"]["report"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_owned()).collect()
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The letter's files as (kind, name, SHA-256, latest check status and summary).
fn stored(db: &Path, letter: i64) -> Vec<(String, String, String, String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT f.kind, f.name, f.sha256, c.status, c.summary FROM incoming_files f
             JOIN incoming_file_checks c ON c.id = (SELECT max(id) FROM incoming_file_checks WHERE file_id = f.id)
             WHERE f.incoming_id = ?1 ORDER BY f.position",
        )
        .unwrap();
    stmt.query_map([letter], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_signed_letter_and_its_scan_are_validated_kept_and_round_trip_through_backup_and_archive() {
    let dir = super::temp_dir("received-files");
    make_ca(&dir, "ca", "Vanthu Test Root CA");
    issue_cert(&dir, "ca", "signer", "Lê Thị Thu Hà");
    let signer_p12 = p12(&dir, "signer", "ca");
    let ca = dir.join("ca.pem");
    let ca_s = ca.to_str().unwrap();

    // The sending office signs its quyết định with the signer's PKCS#12 key.
    let sender = dir.join("sender.db");
    ok(run(&sender, &dir, &["demo"]));
    ok(run(&sender, &dir, &["pki", "trust", ca_s, "--as", "admin"]));
    let json = super::repo().join("assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");
    let doc = ok(run(&sender, &dir, &["doc", "new", json.to_str().unwrap(), "--as", "buivantoan"])).trim().to_owned();
    for (user, step) in [("buivantoan", "submit"), ("danghuutai", "approve"), ("lythihongnhung", "check-format")] {
        ok(run(&sender, &dir, &["doc", step, &doc, "--as", user]));
    }
    ok(run(&sender, &dir, &["doc", "sign", &doc, "--as", "lethithuha", "--pkcs12", signer_p12.to_str().unwrap()]));
    let signed = dir.join("quyet-dinh-da-ky.pdf");
    ok(run(&sender, &dir, &["export", "--id", &doc, "--out", signed.to_str().unwrap()]));
    let scan = dir.join("ban-quet.png");
    std::fs::write(&scan, scan_png(true, 300)).unwrap();
    let poor = dir.join("ban-quet-mo.png");
    std::fs::write(&poor, scan_png(false, 150)).unwrap();

    // The receiving office does not trust that CA yet.
    let db = dir.join("office.db");
    ok(run(&db, &dir, &["demo"]));
    let receive = [
        "incoming",
        "receive",
        "--sender",
        "Ủy ban nhân dân tỉnh Bình Phước",
        "--number",
        "15",
        "--notation",
        "QĐ-UBND",
        "--subject",
        "Quyết định thành lập Tổ công tác",
        "--via",
        "electronic",
        "--file",
        signed.to_str().unwrap(),
        "--file",
        scan.to_str().unwrap(),
        "--as",
        "lythihongnhung",
    ];
    let id = ok(run(&db, &dir, &receive)).trim().to_owned();
    let letter: i64 = id.parse().unwrap();
    let listed = files(&db, &dir, &id);
    assert_eq!(listed.len(), 2);
    assert_eq!((listed[0]["kind"].as_str(), listed[1]["kind"].as_str()), (Some("letter"), Some("scan")));
    assert_eq!(listed[0]["check"]["status"], "untrusted");
    let summary = listed[0]["check"]["summary"].as_str().unwrap();
    assert!(summary.starts_with("chữ ký số không tin cậy: Lê Thị Thu Hà, "), "{summary}");
    assert!(listed[1]["check"]["warnings"].as_array().unwrap().is_empty(), "300 dpi in colour: {listed:?}");
    // `pdf verify` prints the card's report, line for line.
    let verify = run(&db, &dir, &["pdf", "verify", signed.to_str().unwrap()]);
    assert_eq!(verify.status.code(), Some(5));
    let printed: Vec<String> = String::from_utf8_lossy(&verify.stdout).lines().map(str::to_owned).collect();
    assert_eq!(printed, lines(&listed[0]));
    assert!(printed.iter().any(|l| l.contains("chưa kiểm tra thu hồi")), "{printed:?}");

    // Trusting the root makes it valid, on the card and in `pdf verify`.
    ok(run(&db, &dir, &["pki", "trust", ca_s, "--as", "admin"]));
    let listed = files(&db, &dir, &id);
    assert_eq!(listed[0]["check"]["status"], "valid");
    let summary = listed[0]["check"]["summary"].as_str().unwrap().to_owned();
    assert!(summary.starts_with("chữ ký số hợp lệ: Lê Thị Thu Hà, "), "{summary}");
    let printed: Vec<String> =
        ok(run(&db, &dir, &["pdf", "verify", signed.to_str().unwrap()])).lines().map(str::to_owned).collect();
    assert_eq!(printed, lines(&listed[0]));
    let shown = ok(run(&db, &dir, &["incoming", "show", &id, "--as", "lythihongnhung"]));
    assert!(shown.contains(&summary) && shown.contains(&printed[0]), "{shown}");

    // A poor scan is warned about (NĐ 30/2020 Phụ lục I: colour, 200 dpi).
    let out = ok(run(&db, &dir, &["incoming", "attach", &id, poor.to_str().unwrap(), "--as", "lythihongnhung"]));
    assert!(out.contains("có cảnh báo bản quét"), "{out}");
    let warnings = files(&db, &dir, &id)[2]["check"]["warnings"].to_string();
    assert!(warnings.contains("150 dpi") && warnings.contains("không phải ảnh màu"), "{warnings}");

    // 50 MB + 1 byte is refused and nothing is written.
    let big = dir.join("qua-lon.pdf");
    std::fs::File::create(&big).unwrap().set_len(50 * 1024 * 1024 + 1).unwrap();
    let blobs = count(&db, "SELECT count(*) FROM blobs");
    refused(run(&db, &dir, &["incoming", "attach", &id, big.to_str().unwrap(), "--as", "lythihongnhung"]), 2, "50 MB");
    assert_eq!(count(&db, "SELECT count(*) FROM blobs"), blobs);

    // A hostile name is kept as given and saved sanitised inside the chosen folder.
    let hostile = format!("../../../etc/passwd\u{7}\u{1b}[2J{}\u{202e}gnp.exe", "Công văn ".repeat(40));
    ok(run(
        &db,
        &dir,
        &[
            "incoming",
            "attach",
            &id,
            scan.to_str().unwrap(),
            "--name",
            &hostile,
            "--kind",
            "attachment",
            "--as",
            "lythihongnhung",
        ],
    ));
    let listed = files(&db, &dir, &id);
    let kept = listed[3]["name"].as_str().unwrap();
    assert!(kept.starts_with("../../../etc/passwd\u{7}") && kept.chars().count() <= 255, "{kept:?}");
    let out_dir = dir.join("luu");
    std::fs::create_dir_all(&out_dir).unwrap();
    let saved = PathBuf::from(
        ok(run(
            &db,
            &dir,
            &["incoming", "file", &id, "4", "--out", out_dir.to_str().unwrap(), "--as", "lythihongnhung"],
        ))
        .trim(),
    );
    assert_eq!(saved.parent(), Some(out_dir.as_path()), "saved inside the folder: {saved:?}");
    let name = saved.file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("passwd") && name.chars().count() <= 120, "{name:?}");
    assert!(!name.chars().any(|c| c.is_control() || c == '\u{202e}'), "{name:?}");
    assert_eq!(std::fs::read(&saved).unwrap(), std::fs::read(&scan).unwrap());
    refused(
        run(&db, &dir, &["incoming", "file", &id, "1", "--out", db.to_str().unwrap(), "--as", "lythihongnhung"]),
        2,
        "cơ sở dữ liệu đang dùng",
    );

    // Only the văn thư of the receiving agency attaches; refusals are audited.
    let refusals =
        count(&db, &format!("SELECT count(*) FROM audit_events WHERE action = 'refused' AND subject_id = {id}"));
    for user in ["buivantoan", "phamvanthang", "lamthihoa"] {
        refused(run(&db, &dir, &["incoming", "attach", &id, scan.to_str().unwrap(), "--as", user]), 4, "văn thư");
    }
    assert_eq!(
        count(&db, &format!("SELECT count(*) FROM audit_events WHERE action = 'refused' AND subject_id = {id}")),
        refusals + 3
    );
    let logged =
        count(&db, &format!("SELECT count(*) FROM audit_events WHERE action = 'attach-file' AND subject_id = {id}"));
    assert_eq!(logged, 4, "one event per file, each naming its SHA-256");

    // Registered, handled and closed; the register shows the signature.
    ok(run(&db, &dir, &["incoming", "register", &id, "--as", "lythihongnhung"]));
    let register = ok(run(&db, &dir, &["register", "incoming", "--agency", "UBND"]));
    assert!(
        register.lines().any(|l| l.contains("Quyết định thành lập Tổ công tác") && l.contains(&summary)),
        "{register}"
    );
    ok(run(&db, &dir, &["incoming", "present", &id, "--as", "lythihongnhung"]));
    ok(run(
        &db,
        &dir,
        &["incoming", "direct", &id, "--handler", "hovanphuc", "--working-days", "5", "--as", "phamvanthang"],
    ));
    ok(run(&db, &dir, &["incoming", "start", &id, "--as", "hovanphuc"]));
    ok(run(&db, &dir, &["incoming", "resolve", &id, "--note", "Đã phổ biến quyết định.", "--as", "hovanphuc"]));
    assert!(ok(run(&db, &dir, &["verify"])).contains("toàn vẹn"));
    let before = stored(&db, letter);
    assert_eq!(before.len(), 4);

    // Backup and restore keep the files and their checks.
    let backup = dir.join("sao-luu.db");
    ok(run(&db, &dir, &["backup", "--out", backup.to_str().unwrap(), "--as", "lythihongnhung"]));
    let restored = dir.join("restored.db");
    ok(run(&restored, &dir, &["restore", backup.to_str().unwrap(), "--as", "admin"]));
    assert_eq!(stored(&restored, letter), before);
    assert_eq!(files(&restored, &dir, &id), files(&db, &dir, &id));
    assert!(ok(run(&restored, &dir, &["verify"])).contains("toàn vẹn"));

    // The archive package carries the files beside the metadata, hashed in the manifest.
    let dossier = closed_dossier(&db, &dir, "lythihongnhung", "Hồ sơ văn bản đến về tổ công tác", ("--incoming", &id));
    let pkg = dir.join("goi");
    ok(run(&db, &dir, &["archive", "export", &dossier, "--out", pkg.to_str().unwrap()]));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pkg.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], "vanthu.archive/2");
    let entries = manifest["files"].as_array().unwrap();
    let member = |suffix: &str| {
        entries
            .iter()
            .find(|e| e["path"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix}: {manifest}"))
    };
    let pdf_entry = member("/file-01.pdf");
    assert_eq!(pdf_entry["sha256"], before[0].2.as_str());
    assert_eq!(member("/file-02.png")["sha256"], before[1].2.as_str());
    member("/files.json");
    let pdf_path = pdf_entry["path"].as_str().unwrap().to_owned();
    assert_eq!(std::fs::read(pkg.join(&pdf_path)).unwrap(), std::fs::read(&signed).unwrap());
    assert!(ok(run(&db, &dir, &["archive", "verify", pkg.to_str().unwrap()])).contains("toàn vẹn"));
    // An altered file is named.
    let altered = dir.join("goi-sua");
    std::fs::create_dir_all(&altered).unwrap();
    for entry in entries.iter().map(|e| e["path"].as_str().unwrap()).chain(["manifest.json"]) {
        let to = altered.join(entry);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(pkg.join(entry), &to).unwrap();
    }
    let mut bytes = std::fs::read(altered.join(&pdf_path)).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    std::fs::write(altered.join(&pdf_path), bytes).unwrap();
    let out = run(&db, &dir, &["archive", "verify", altered.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success() && said.contains(&pdf_path) && said.lines().count() == 1, "{said}");

    // Import into the archives' database: the same files and checks.
    let archives = dir.join("archives.db");
    archivist_db(&archives);
    // A package whose file list lies about a check (manifest rewritten to match) is refused.
    let forged = dir.join("goi-gia");
    std::fs::create_dir_all(&forged).unwrap();
    let mut forged_manifest = manifest.clone();
    for entry in forged_manifest["files"].as_array_mut().unwrap() {
        let path = entry["path"].as_str().unwrap().to_owned();
        let to = forged.join(&path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        let mut bytes = std::fs::read(pkg.join(&path)).unwrap();
        if path.ends_with("/files.json") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains("\"not_pdf\""), "{text}");
            bytes = text.replacen("\"not_pdf\"", "\"valid\"", 1).into_bytes();
            use sha2::Digest;
            entry["sha256"] = hex::encode(sha2::Sha256::digest(&bytes)).into();
            entry["bytes"] = bytes.len().into();
        }
        std::fs::write(&to, bytes).unwrap();
    }
    std::fs::write(forged.join("manifest.json"), serde_json::to_vec_pretty(&forged_manifest).unwrap()).unwrap();
    let out = run_archivist(&archives, &["archive", "import", forged.to_str().unwrap(), "--as", "luutru"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && said.contains("không khớp"), "{said}");
    assert_eq!(count(&archives, "SELECT count(*) FROM incoming_files"), 0, "nothing imported");
    let new_dossier =
        ok(run_archivist(&archives, &["archive", "import", pkg.to_str().unwrap(), "--as", "luutru"])).trim().to_owned();
    let imported: i64 = rusqlite::Connection::open(&archives)
        .unwrap()
        .query_row("SELECT id FROM incoming WHERE dossier_id = ?1", [new_dossier.parse::<i64>().unwrap()], |r| r.get(0))
        .unwrap();
    // The archives' office does not trust the sender's CA yet: the carried result is
    // kept in the file's history, and what this office's roots say is the latest.
    let here = stored(&archives, imported);
    assert_eq!(here[0].3, "untrusted", "{here:?}");
    assert_eq!(here[1..], before[1..]);
    let carried: String = rusqlite::Connection::open(&archives)
        .unwrap()
        .query_row(
            "SELECT c.status FROM incoming_file_checks c JOIN incoming_files f ON f.id = c.file_id
             WHERE f.incoming_id = ?1 AND f.position = 1 AND c.reason = 'archive-import'",
            [imported],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(carried, "valid", "the sender's result travels with the file");
    // Once the archives trust that root, the same result as at receipt.
    ok(run_archivist(&archives, &["pki", "trust", ca_s, "--as", "quantri"]));
    assert_eq!(stored(&archives, imported), before);
    assert!(ok(run_archivist(&archives, &["verify"])).contains("toàn vẹn"));
    let refused_import = run_archivist(&archives, &["archive", "import", altered.to_str().unwrap(), "--as", "luutru"]);
    assert!(!refused_import.status.success());
}
