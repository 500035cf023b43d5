//! Digital signatures with legal value (issue #16), end to end: a throwaway CA made
//! with `openssl` at test time (no key is committed), the signer's key in a PKCS#12
//! file, the agency's seal key on a SoftHSM2 token (PKCS#11), a demo quyết định
//! signed by its printed signer and sealed at issue; poppler's `pdfsig`, pyHanko and
//! `vanthu pdf verify` validate both signatures, PDFBox Preflight still passes, and
//! one flipped byte is caught by all three.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::{ok, repo, temp_dir};

pub(super) fn sh(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).current_dir(dir).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A certificate for `cn` issued by the CA `ca` in `dir` (files `name.key`, `name.pem`).
pub(super) fn issue_cert(dir: &Path, ca: &str, name: &str, cn: &str) {
    let subject = format!("/C=VN/CN={cn}");
    sh(
        dir,
        "openssl",
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-subj",
            &subject,
            "-utf8",
        ],
    );
    std::fs::write(
        dir.join("leaf.ext"),
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n",
    )
    .unwrap();
    sh(
        dir,
        "openssl",
        &[
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            &format!("{ca}.pem"),
            "-CAkey",
            &format!("{ca}.key"),
            "-CAcreateserial",
            "-out",
            &format!("{name}.pem"),
            "-days",
            "365",
            "-extfile",
            "leaf.ext",
        ],
    );
}

pub(super) fn make_ca(dir: &Path, name: &str, cn: &str) {
    sh(
        dir,
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.pem"),
            "-days",
            "3650",
            "-subj",
            &format!("/C=VN/O=Test/CN={cn}"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
}

pub(super) fn p12(dir: &Path, name: &str, ca: &str) -> PathBuf {
    sh(
        dir,
        "openssl",
        &[
            "pkcs12",
            "-export",
            "-inkey",
            &format!("{name}.key"),
            "-in",
            &format!("{name}.pem"),
            "-certfile",
            &format!("{ca}.pem"),
            "-out",
            &format!("{name}.p12"),
            "-passout",
            "pass:p12secret",
        ],
    );
    dir.join(format!("{name}.p12"))
}

/// A dossier of this year under heading I. TỔNG HỢP opened by `van_thu`, holding one
/// item (`("--doc", id)` or `("--incoming", id)`), then closed; its id.
pub(super) fn closed_dossier(db: &Path, dir: &Path, van_thu: &str, title: &str, item: (&str, &str)) -> String {
    use chrono::Datelike;
    let year = chrono::Local::now().year();
    let (year, start) = (year.to_string(), format!("{year}-01-02"));
    let open = [
        "dossier",
        "open",
        "--title",
        title,
        "--heading",
        "I. TỔNG HỢP",
        "--heading-code",
        "TH",
        "--retention",
        "10",
        "--year",
        &year,
        "--start",
        &start,
        "--as",
        van_thu,
    ];
    let dossier = ok(run(db, dir, &open)).trim().to_owned();
    ok(run(db, dir, &["dossier", "add", &dossier, item.0, item.1, "--as", van_thu]));
    ok(run(db, dir, &["dossier", "close", &dossier, "--note", "Hồ sơ gồm 1 văn bản", "--as", van_thu]));
    dossier
}

pub(super) fn run(db: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("VANTHU_PASSWORD", "demo")
        .env("VANTHU_PKCS12_PASSWORD", "p12secret")
        .env("VANTHU_PIN", "5678")
        .env("SOFTHSM2_CONF", dir.join("softhsm2.conf"))
        .env_remove("VANTHU_DB")
        .output()
        .unwrap()
}

pub(super) fn refused(output: Output, needle: &str) {
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success() && err.contains(needle), "expected refusal «{needle}», got {err}");
}

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";

pub(super) fn pyhanko() -> PathBuf {
    // .ci/run installs pyHanko into this venv; a developer may have it on PATH.
    let venv = PathBuf::from("/opt/vanthu-venv/bin/pyhanko");
    if venv.exists() { venv } else { PathBuf::from("pyhanko") }
}

#[test]
fn quyet_dinh_signed_by_its_signer_and_sealed_at_issue_validates_everywhere() {
    let dir = temp_dir("pades");
    let db = dir.join("v.db");
    make_ca(&dir, "ca", "Vanthu Test Root CA");
    issue_cert(&dir, "ca", "signer", "Lê Thị Thu Hà");
    issue_cert(&dir, "ca", "other", "Nguyễn Văn Khác");
    issue_cert(&dir, "ca", "seal", "Ủy ban nhân dân tỉnh Bình Phước");
    let signer_p12 = p12(&dir, "signer", "ca");
    let other_p12 = p12(&dir, "other", "ca");
    // The seal key on a SoftHSM2 token: key imported, certificate written beside it.
    std::fs::create_dir_all(dir.join("tokens")).unwrap();
    std::fs::write(
        dir.join("softhsm2.conf"),
        format!("directories.tokendir = {}\nobjectstore.backend = file\n", dir.join("tokens").display()),
    )
    .unwrap();
    let hsm = |args: &[&str]| {
        let out = Command::new("softhsm2-util")
            .args(args)
            .env("SOFTHSM2_CONF", dir.join("softhsm2.conf"))
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "softhsm2-util {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    hsm(&["--init-token", "--free", "--label", "seal", "--so-pin", "1234", "--pin", "5678"]);
    sh(&dir, "openssl", &["pkcs8", "-topk8", "-nocrypt", "-in", "seal.key", "-out", "seal.p8"]);
    hsm(&["--import", "seal.p8", "--token", "seal", "--label", "seal", "--id", "01", "--pin", "5678"]);
    sh(&dir, "openssl", &["x509", "-in", "seal.pem", "-outform", "DER", "-out", "seal.der"]);
    let out = Command::new("pkcs11-tool")
        .args([
            "--module",
            MODULE,
            "--token-label",
            "seal",
            "--login",
            "--pin",
            "5678",
            "--write-object",
            "seal.der",
            "--type",
            "cert",
            "--id",
            "01",
            "--label",
            "seal",
        ])
        .env("SOFTHSM2_CONF", dir.join("softhsm2.conf"))
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "pkcs11-tool: {}", String::from_utf8_lossy(&out.stderr));

    ok(run(&db, &dir, &["demo"]));
    let file = repo().join("assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");
    let id = ok(run(&db, &dir, &["doc", "new", file.to_str().unwrap(), "--as", "buivantoan"])).trim().to_owned();
    for (user, step) in [("buivantoan", "submit"), ("danghuutai", "approve"), ("lythihongnhung", "check-format")] {
        ok(run(&db, &dir, &["doc", step, &id, "--as", user]));
    }
    let p12 = signer_p12.to_str().unwrap();
    // Until the administrator trusts the CA, the certificate is not trusted.
    refused(run(&db, &dir, &["doc", "sign", &id, "--as", "lethithuha", "--pkcs12", p12]), "không tin cậy");
    // Only an administrator trusts certificates.
    let ca = dir.join("ca.pem");
    let denied = run(&db, &dir, &["pki", "trust", ca.to_str().unwrap(), "--as", "lethithuha"]);
    assert_eq!(denied.status.code(), Some(4), "{}", String::from_utf8_lossy(&denied.stderr));
    assert!(ok(run(&db, &dir, &["pki", "trust", ca.to_str().unwrap(), "--as", "admin"])).contains("Đã tin cậy"));
    // A certificate of another person is refused; the document stays unsigned.
    refused(
        run(&db, &dir, &["doc", "sign", &id, "--as", "lethithuha", "--pkcs12", other_p12.to_str().unwrap()]),
        "Nguyễn Văn Khác",
    );
    ok(run(&db, &dir, &["doc", "sign", &id, "--as", "lethithuha", "--pkcs12", p12]));
    // The signed text is no draft: no "DỰ THẢO"; its number and date are still blank.
    let signed_only = dir.join("signed-only.pdf");
    ok(run(&db, &dir, &["export", "--id", &id, "--out", signed_only.to_str().unwrap()]));
    let text = sh(&dir, "pdftotext", &["-layout", signed_only.to_str().unwrap(), "-"]);
    assert!(!text.contains("DỰ THẢO") && text.contains("/QĐ-UBND") && text.contains("Đồng Xoài, ngày"), "{text}");
    ok(run(&db, &dir, &["doc", "number", &id, "--as", "lythihongnhung"]));
    // The seal: another person's file key is refused for the agency.
    refused(run(&db, &dir, &["doc", "issue", &id, "--as", "lythihongnhung", "--pkcs12", p12]), "Lê Thị Thu Hà");
    // Two tokens plugged in and none named: the message lists them; a wrong label too.
    hsm(&["--init-token", "--free", "--label", "khac", "--so-pin", "1234", "--pin", "5678"]);
    let both = run(&db, &dir, &["doc", "issue", &id, "--as", "lythihongnhung", "--pkcs11", MODULE]);
    let said = String::from_utf8_lossy(&both.stderr).into_owned();
    assert!(!both.status.success() && said.contains("«seal»") && said.contains("«khac»"), "{said}");
    assert!(!said.contains("không nhãn"), "blank slots are not listed: {said}");
    refused(
        run(&db, &dir, &["doc", "issue", &id, "--as", "lythihongnhung", "--pkcs11", MODULE, "--token", "sai"]),
        "không thấy thiết bị ký số «sai»",
    );
    ok(run(&db, &dir, &["doc", "issue", &id, "--as", "lythihongnhung", "--pkcs11", MODULE, "--token", "seal"]));
    let pdf = dir.join("signed.pdf");
    ok(run(&db, &dir, &["export", "--id", &id, "--out", pdf.to_str().unwrap()]));
    let bytes = std::fs::read(&pdf).unwrap();
    // The audit event of the issue step carries the SHA-256 of the exact bytes.
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    let log = ok(run(&db, &dir, &["verify"]));
    assert!(log.contains("toàn vẹn"), "{log}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let comment: String = conn
        .query_row(
            "SELECT comment FROM audit_events WHERE action = 'issue' AND subject_id = ?1",
            [id.parse::<i64>().unwrap()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(comment.contains(&sha), "{comment}");

    // The văn thư's number and issue date stand where the format puts them: the
    // signer's revision left read-only fields there, the seal's revision filled them.
    let (number, date): (String, String) = conn
        .query_row("SELECT number, date FROM documents WHERE id = ?1", [id.parse::<i64>().unwrap()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let date = vanthu_core::text::vietnamese_date(date.parse().unwrap());
    let text = sh(&dir, "pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    let first_lines: String = text.lines().take(8).collect::<Vec<_>>().join("\n");
    assert!(first_lines.contains(&format!("Số: {number}/QĐ-UBND")), "{first_lines}");
    assert!(first_lines.contains(&format!("Đồng Xoài, {date}")), "{first_lines}");
    let (words, _) = super::pdf::words(&pdf);
    let so = super::pdf::find(&words, &format!("{number}/QĐ-UBND"));
    let place = super::pdf::find(&words, "Xoài,");
    assert!((so.y_min - place.y_min).abs() < 2.0 && so.page == 1, "number and date on one row: {so:?} {place:?}");
    assert!(so.x_max < 297.0 && place.x_min > 297.0, "number left, date right: {so:?} {place:?}");

    // poppler: both signatures valid.
    let pdfsig = sh(&dir, "pdfsig", &[pdf.to_str().unwrap()]);
    assert_eq!(pdfsig.matches("Signature Validation: Signature is Valid.").count(), 2, "{pdfsig}");
    assert!(pdfsig.contains("Lê Thị Thu Hà") && pdfsig.contains("Ủy ban nhân dân tỉnh Bình Phước"), "{pdfsig}");
    // pyHanko: both valid and trusted against the test CA.
    let hanko = Command::new(pyhanko())
        .args(["sign", "validate", "--trust", ca.to_str().unwrap(), "--trust-replace", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    let hanko_out = String::from_utf8_lossy(&hanko.stdout);
    assert!(hanko.status.success(), "{hanko_out}{}", String::from_utf8_lossy(&hanko.stderr));
    assert_eq!(hanko_out.matches("INTACT:TRUSTED").count(), 2, "{hanko_out}");
    // Filling the number and date after the signer signed is form filling, an allowed change.
    assert!(hanko_out.contains("EXTENDED_WITH_FORM_FILLING"), "{hanko_out}");
    assert!(!hanko_out.contains("ILLEGAL"), "{hanko_out}");
    // Vanthu's own report.
    let report = ok(run(&db, &dir, &["pdf", "verify", pdf.to_str().unwrap()]));
    assert_eq!(report.matches("chữ ký số hợp lệ").count(), 2, "{report}");
    assert!(report.contains("Lê Thị Thu Hà") && report.contains("chưa kiểm tra thu hồi"), "{report}");
    // Still PDF/A-1b.
    super::pdf::preflight(&dir, &[pdf.to_str().unwrap().to_owned()]);

    // One flipped byte in the signed text is caught by all three.
    let mut bad = bytes.clone();
    let at = bytes.len() / 3;
    bad[at] ^= 0x01;
    let tampered = dir.join("tampered.pdf");
    std::fs::write(&tampered, &bad).unwrap();
    let pdfsig = String::from_utf8_lossy(&Command::new("pdfsig").arg(&tampered).output().unwrap().stdout).into_owned();
    assert!(pdfsig.matches("Signature is Valid.").count() < 2, "{pdfsig}");
    let hanko = Command::new(pyhanko())
        .args(["sign", "validate", "--trust", ca.to_str().unwrap(), "--trust-replace", tampered.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!hanko.status.success(), "{}", String::from_utf8_lossy(&hanko.stdout));
    let ours = run(&db, &dir, &["pdf", "verify", tampered.to_str().unwrap()]);
    assert_eq!(ours.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&ours.stdout).contains("không hợp lệ"));

    // A database that does not trust the CA calls the same file untrusted.
    let fresh = dir.join("fresh.db");
    ok(run(&fresh, &dir, &["demo"]));
    let untrusted = run(&fresh, &dir, &["pdf", "verify", pdf.to_str().unwrap()]);
    assert_eq!(untrusted.status.code(), Some(5));
    assert_eq!(String::from_utf8_lossy(&untrusted.stdout).matches("chữ ký số không tin cậy").count(), 2);
    ok(run(&fresh, &dir, &["pki", "trust", ca.to_str().unwrap(), "--as", "admin"]));
    ok(run(&fresh, &dir, &["pdf", "verify", pdf.to_str().unwrap()]));
}

/// A Party document (HD 36 layout: "Số 01-CT/TU" without colon, "*" under the
/// issuer) signed by its printed signer and sealed by the Tỉnh ủy's văn thư: the
/// number and date the register gives fill the signed PDF's fields, and both
/// signatures validate.
#[test]
fn a_party_chi_thi_is_signed_numbered_and_sealed_in_its_own_layout() {
    let dir = temp_dir("pades-party");
    let db = dir.join("v.db");
    make_ca(&dir, "ca", "Vanthu Test Root CA");
    issue_cert(&dir, "ca", "signer", "Nguyễn Đình Khôi");
    issue_cert(&dir, "ca", "seal", "Tỉnh ủy Bình Phước");
    let (signer, seal) = (p12(&dir, "signer", "ca"), p12(&dir, "seal", "ca"));
    ok(run(&db, &dir, &["demo"]));
    ok(run(&db, &dir, &["pki", "trust", dir.join("ca.pem").to_str().unwrap(), "--as", "admin"]));
    // The demo's chỉ thị of the Ban Thường vụ Tỉnh ủy, awaiting its signer.
    let listed = ok(run(&db, &dir, &["list"]));
    let line = listed.lines().find(|l| l.contains("tiếp công dân, giải quyết khiếu nại")).expect("the demo chỉ thị");
    let id = line.split_whitespace().next().unwrap().to_owned();
    ok(run(&db, &dir, &["doc", "sign", &id, "--as", "nguyendinhkhoi", "--pkcs12", signer.to_str().unwrap()]));
    let numbered = ok(run(&db, &dir, &["doc", "number", &id, "--as", "lamthihoa"]));
    let number = numbered.rsplit("số ").next().unwrap().trim().to_owned();
    assert!(number.ends_with("-CT/TU"), "a Party number: {numbered}");
    ok(run(&db, &dir, &["doc", "issue", &id, "--as", "lamthihoa", "--pkcs12", seal.to_str().unwrap()]));
    let pdf = dir.join("chi-thi.pdf");
    ok(run(&db, &dir, &["export", "--id", &id, "--out", pdf.to_str().unwrap()]));
    let text = sh(&dir, "pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains(&format!("Số {number}")), "the number field is filled, no colon: {text}");
    let today = chrono::Local::now().date_naive();
    // NĐ 30 / HD 36: a day below 10 and the months 1 and 2 take a leading zero.
    use chrono::Datelike;
    let month = if today.month() < 3 { format!("{:02}", today.month()) } else { today.month().to_string() };
    let date = format!("ngày {:02} tháng {month} năm {}", today.day(), today.year());
    assert!(text.contains(&date), "the date field is filled ({date}): {text}");
    let report = sh(&dir, "pdfsig", &[pdf.to_str().unwrap()]);
    assert_eq!(report.matches("Signature is Valid.").count(), 2, "{report}");
    assert!(report.contains("Nguyễn Đình Khôi") && report.contains("Tỉnh ủy Bình Phước"), "{report}");
    let verified = ok(run(&db, &dir, &["pdf", "verify", pdf.to_str().unwrap()]));
    assert_eq!(verified.matches("hợp lệ").count(), 2, "{verified}");

    // Filed, closed, packaged and imported by the archives: the signed original
    // comes back byte for byte, held to the audit chain.
    let dossier = closed_dossier(&db, &dir, "lamthihoa", "Hồ sơ chỉ thị về công tác tiếp công dân", ("--doc", &id));
    let package = dir.join("ho-so.zip");
    ok(run(&db, &dir, &["archive", "export", &dossier, "--out", package.to_str().unwrap()]));
    let archives = dir.join("archives.db");
    super::archive::archivist_db(&archives);
    let imported = ok(super::archive::run_archivist(
        &archives,
        &["archive", "import", package.to_str().unwrap(), "--as", "luutru"],
    ))
    .trim()
    .to_owned();
    let conn = rusqlite::Connection::open(&archives).unwrap();
    let new_id: i64 = conn
        .query_row("SELECT id FROM documents WHERE dossier_id = ?1", [imported.parse::<i64>().unwrap()], |r| r.get(0))
        .unwrap();
    let back = dir.join("tu-luu-tru.pdf");
    ok(super::archive::run_archivist(
        &archives,
        &["export", "--id", &new_id.to_string(), "--out", back.to_str().unwrap()],
    ));
    assert_eq!(std::fs::read(&back).unwrap(), std::fs::read(&pdf).unwrap(), "the signed original, byte for byte");
    assert!(ok(super::archive::run_archivist(&archives, &["verify"])).contains("toàn vẹn"));
    // A signed PDF the archives hold is part of verify: altered behind the app's back, it is named.
    conn.execute_batch("DROP TRIGGER signed_pdfs_immutable").unwrap();
    conn.execute("UPDATE signed_pdfs SET bytes = ?1", [b"%PDF-1.7 altered".to_vec()]).unwrap();
    let out = super::archive::run_archivist(&archives, &["verify"]);
    assert!(!out.status.success(), "an altered signed original fails verify");

    // A package whose signed original was swapped, the manifest recomputed to match:
    // its own audit trail does not name that file, so it is not imported.
    let folder = dir.join("ho-so-sua");
    ok(run(&db, &dir, &["archive", "export", &dossier, "--out", folder.to_str().unwrap()]));
    let manifest_path = folder.join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    let forged = b"%PDF-1.7 forged original".to_vec();
    for entry in manifest["files"].as_array_mut().unwrap() {
        if entry["path"].as_str().unwrap().ends_with("/signed.pdf") {
            std::fs::write(folder.join(entry["path"].as_str().unwrap()), &forged).unwrap();
            use sha2::Digest;
            entry["sha256"] = hex::encode(sha2::Sha256::digest(&forged)).into();
            entry["bytes"] = forged.len().into();
        }
    }
    std::fs::write(&manifest_path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    let fresh = dir.join("archives-2.db");
    super::archive::archivist_db(&fresh);
    let out = super::archive::run_archivist(&fresh, &["archive", "import", folder.to_str().unwrap(), "--as", "luutru"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && said.contains("nhật ký trong gói không ghi"), "{said}");
}
