//! Files of an outgoing document (issue #16, items 2 and 4), end to end: a draft's
//! appendix (PDF) and supporting file (CSV) travel with it, the agency signs them at
//! issue (the PDF top right of page 1 with number, symbol and ISO 8601 time; the CSV
//! with a detached CMS `.p7s`), `export --id` delivers them beside the document and
//! the archive package carries them; signature and seal images come from the
//! database; an electronic copy of a paper original gets the box-14 signature.
//! Validated by poppler's `pdfsig`, pyHanko and `openssl cms`.

use std::path::Path;
use std::process::Command;

use super::ok;
use super::signatures::{closed_dossier, issue_cert, make_ca, p12, pyhanko, refused, run, sh};
use super::{repo, temp_dir};

/// A one-page "scan": an image-only PDF (A4, a small RGB raster), as a scanner writes.
fn scan_pdf(path: &Path) {
    let pixels: Vec<u8> = (0..64u32).flat_map(|i| [200u8, (i * 3) as u8, 40]).collect();
    let mut out: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let mut object = |out: &mut Vec<u8>, body: Vec<u8>| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
        out.extend_from_slice(&body);
        out.extend_from_slice(b"\nendobj\n");
    };
    object(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    object(&mut out, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec());
    object(
        &mut out,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>"
            .to_vec(),
    );
    let content = b"q 595 0 0 842 0 0 cm /Im0 Do Q";
    let mut body = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(b"\nendstream");
    object(&mut out, body);
    let mut body = format!(
        "<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length {} >>\nstream\n",
        pixels.len()
    )
    .into_bytes();
    body.extend_from_slice(&pixels);
    body.extend_from_slice(b"\nendstream");
    object(&mut out, body);
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f\r\n", offsets.len() + 1).as_bytes());
    for offset in &offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", offsets.len() + 1).as_bytes(),
    );
    std::fs::write(path, out).unwrap();
}

/// The first word equal to `text` (the failure shows the top of page 1 only).
fn first<'a>(words: &'a [super::pdf::Word], text: &str) -> &'a super::pdf::Word {
    words.iter().find(|w| w.text == text).unwrap_or_else(|| {
        let top: Vec<&str> = words.iter().filter(|w| w.page == 1 && w.y_min < 120.0).map(|w| w.text.as_str()).collect();
        panic!("`{text}` not at the top of page 1: {top:?}")
    })
}

fn hanko_ok(ca: &Path, pdf: &Path, signatures: usize) -> String {
    let out = Command::new(pyhanko())
        .args(["sign", "validate", "--trust", ca.to_str().unwrap(), "--trust-replace", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(text.matches("INTACT:TRUSTED").count(), signatures, "{text}");
    assert!(!text.contains("ILLEGAL"), "{text}");
    text
}

#[test]
fn attached_files_are_signed_by_the_agency_at_issue_and_delivered_with_the_document() {
    let dir = temp_dir("signed-files");
    let db = dir.join("v.db");
    make_ca(&dir, "ca", "Vanthu Test Root CA");
    issue_cert(&dir, "ca", "signer", "Lê Thị Thu Hà");
    issue_cert(&dir, "ca", "seal", "Ủy ban nhân dân tỉnh Bình Phước");
    let signer = p12(&dir, "signer", "ca");
    let seal = p12(&dir, "seal", "ca");
    let ca = dir.join("ca.pem");
    ok(run(&db, &dir, &["demo"]));
    ok(run(&db, &dir, &["pki", "trust", ca.to_str().unwrap(), "--as", "admin"]));

    // The appendix: another text exported by Vanthu; the supporting file: a CSV table.
    let appendix = dir.join("Phụ lục I.pdf");
    let other = repo().join("tests/fixtures/corpus/ok/state-quyet-dinh-thanh-lap-to-cong-nghe-so.json");
    ok(run(&db, &dir, &["export", other.to_str().unwrap(), "--out", appendix.to_str().unwrap()]));
    let csv = dir.join("bang-ke.csv");
    std::fs::write(&csv, "STT,Họ và tên\n1,Phạm Văn Thắng\n").unwrap();

    // Images kept in the database: the signer's signature, the agency's seal.
    let png = |name: &str, colour: &str| {
        let path = dir.join(name);
        let draw = "circle 100,60 100,20";
        sh(&dir, "convert", &["-size", "200x120", "xc:none", "-fill", colour, "-draw", draw, path.to_str().unwrap()]);
        path
    };
    let signature_png = png("chu-ky.png", "blue");
    let seal_png = png("con-dau.png", "red");
    refused(
        run(
            &db,
            &dir,
            &["pki", "image", signature_png.to_str().unwrap(), "--person", "lethithuha", "--as", "buivantoan"],
        ),
        "",
    );
    ok(run(&db, &dir, &["pki", "image", signature_png.to_str().unwrap(), "--person", "lethithuha", "--as", "admin"]));

    let file = repo().join("assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");
    let id = ok(run(&db, &dir, &["doc", "new", file.to_str().unwrap(), "--as", "buivantoan"])).trim().to_owned();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let agency: i64 = conn
        .query_row("SELECT agency_id FROM documents WHERE id = ?1", [id.parse::<i64>().unwrap()], |r| r.get(0))
        .unwrap();
    ok(run(&db, &dir, &["pki", "image", seal_png.to_str().unwrap(), "--agency", &agency.to_string(), "--as", "admin"]));
    ok(run(&db, &dir, &["doc", "attach", &id, "--file", appendix.to_str().unwrap(), "--as", "buivantoan"]));
    let listed = ok(run(
        &db,
        &dir,
        &["doc", "attach", &id, "--file", csv.to_str().unwrap(), "--kind", "supporting", "--as", "buivantoan"],
    ));
    assert!(listed.contains("Tài liệu kèm theo: bang-ke.csv"), "{listed}");
    // Someone outside the drafting side cannot attach.
    refused(run(&db, &dir, &["doc", "attach", &id, "--file", csv.to_str().unwrap(), "--as", "lythihongnhung"]), "");
    for (user, step) in [("buivantoan", "submit"), ("danghuutai", "approve")] {
        ok(run(&db, &dir, &["doc", step, &id, "--as", user]));
    }
    // Once the content is approved the files are fixed.
    refused(
        run(&db, &dir, &["doc", "attach", &id, "--file", csv.to_str().unwrap(), "--as", "buivantoan"]),
        "chỉ thêm hoặc bỏ",
    );
    ok(run(&db, &dir, &["doc", "check-format", &id, "--as", "lythihongnhung"]));
    ok(run(&db, &dir, &["doc", "sign", &id, "--as", "lethithuha", "--pkcs12", signer.to_str().unwrap()]));
    ok(run(&db, &dir, &["doc", "number", &id, "--as", "lythihongnhung"]));
    ok(run(&db, &dir, &["doc", "issue", &id, "--as", "lythihongnhung", "--pkcs12", seal.to_str().unwrap()]));

    let list = ok(run(&db, &dir, &["doc", "attachments", &id]));
    assert_eq!(list.matches("cơ quan đã ký số").count(), 2, "{list}");
    let out = dir.join("qd.pdf");
    let exported = ok(run(&db, &dir, &["export", "--id", &id, "--out", out.to_str().unwrap()]));
    assert!(exported.contains("tệp kèm theo"), "{exported}");
    let signed_appendix = dir.join("qd_Phụ lục I.pdf");
    let (signed_csv, p7s) = (dir.join("qd_bang-ke.csv"), dir.join("qd_bang-ke.csv.p7s"));
    assert_eq!(std::fs::read(&signed_csv).unwrap(), std::fs::read(&csv).unwrap());

    // Both images came from the database: the signature and the seal are drawn.
    let images = sh(&dir, "pdfimages", &["-list", out.to_str().unwrap()]);
    assert!(images.lines().filter(|l| l.contains("stencil")).count() >= 2, "{images}");

    // The appendix: signed by the agency, valid for poppler and pyHanko, with the
    // number and symbol and the ISO 8601 time top right of page 1, size 10.
    let number: String = conn
        .query_row("SELECT number || '/' || notation FROM documents WHERE id = ?1", [id.parse::<i64>().unwrap()], |r| {
            r.get(0)
        })
        .unwrap();
    let pdfsig = sh(&dir, "pdfsig", &[signed_appendix.to_str().unwrap()]);
    assert_eq!(pdfsig.matches("Signature is Valid.").count(), 1, "{pdfsig}");
    assert!(pdfsig.contains("Ủy ban nhân dân tỉnh Bình Phước"), "{pdfsig}");
    hanko_ok(&ca, &signed_appendix, 1);
    let (words, _) = super::pdf::words(&signed_appendix);
    let mark = first(&words, &number);
    assert!(mark.page == 1 && mark.x_min > 297.0 && mark.y_max < 90.0, "top right: {mark:?}");
    assert!((mark.y_max - mark.y_min - 10.0).abs() < 3.0, "size 10: {mark:?}");
    let time = words.iter().find(|w| w.text.len() == 25 && w.text.contains('T') && w.text.ends_with("+07:00"));
    assert!(time.is_some_and(|t| t.y_min > mark.y_min && t.x_min > 297.0), "ISO 8601 time under the number");
    // The CSV: a detached CMS signature that openssl verifies against the test CA.
    let cms = Command::new("openssl")
        .args(["cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any", "-out", "/dev/null"])
        .args(["-in", p7s.to_str().unwrap(), "-content", signed_csv.to_str().unwrap(), "-CAfile", ca.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(cms.status.success(), "{}", String::from_utf8_lossy(&cms.stderr));
    let mut altered = std::fs::read(&csv).unwrap();
    altered[0] ^= 1;
    std::fs::write(dir.join("altered.csv"), &altered).unwrap();
    let cms = Command::new("openssl")
        .args(["cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any", "-out", "/dev/null"])
        .args(["-in", p7s.to_str().unwrap(), "-content", dir.join("altered.csv").to_str().unwrap()])
        .args(["-CAfile", ca.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!cms.status.success(), "a changed file fails its .p7s");

    // The archive package carries the signed original and the delivered files.
    let dossier = closed_dossier(&db, &dir, "lythihongnhung", "Hồ sơ về Tổ công tác", ("--doc", &id));
    let package = dir.join("pkg");
    ok(run(&db, &dir, &["archive", "export", &dossier, "--out", package.to_str().unwrap()]));
    let member = package.join(format!("documents/001-{id}"));
    assert_eq!(std::fs::read(member.join("signed.pdf")).unwrap(), std::fs::read(&out).unwrap());
    assert_eq!(
        std::fs::read(member.join("attachments/01-Phụ lục I.pdf")).unwrap(),
        std::fs::read(&signed_appendix).unwrap()
    );
    assert!(member.join("attachments/03-bang-ke.csv.p7s").exists());
    ok(run(&db, &dir, &["archive", "verify", package.to_str().unwrap()]));
    archives_keep_the_delivered_files(&dir, &package, &member);

    // An electronic copy of a paper original: the scan gets the agency's signature in
    // box 14 (copy form, agency, time), top right of page 1.
    let scan = dir.join("scan.pdf");
    scan_pdf(&scan);
    let copy = dir.join("ban-sao.pdf");
    let agency_arg = agency.to_string();
    refused(
        run(
            &db,
            &dir,
            &[
                "pki",
                "copy",
                scan.to_str().unwrap(),
                "--out",
                copy.to_str().unwrap(),
                "--as",
                "lythihongnhung",
                "--agency",
                &agency_arg,
                "--pkcs12",
                signer.to_str().unwrap(),
            ],
        ),
        "Lê Thị Thu Hà",
    );
    // The Tỉnh ủy's văn thư holds no seal of the UBND, even with its key file.
    let seal_arg = seal.to_str().unwrap();
    let other_office = ["pki", "copy", scan.to_str().unwrap(), "--out", copy.to_str().unwrap(), "--as", "lamthihoa"];
    refused(
        run(&db, &dir, &[&other_office[..], &["--agency", &agency_arg, "--pkcs12", seal_arg]].concat()),
        "chỉ văn thư phục vụ cơ quan đó",
    );
    assert!(!copy.exists(), "nothing written");
    ok(run(
        &db,
        &dir,
        &[
            "pki",
            "copy",
            scan.to_str().unwrap(),
            "--out",
            copy.to_str().unwrap(),
            "--as",
            "lythihongnhung",
            "--agency",
            &agency_arg,
            "--pkcs12",
            seal.to_str().unwrap(),
        ],
    ));
    let pdfsig = sh(&dir, "pdfsig", &[copy.to_str().unwrap()]);
    assert_eq!(pdfsig.matches("Signature is Valid.").count(), 1, "{pdfsig}");
    hanko_ok(&ca, &copy, 1);
    let text = sh(&dir, "pdftotext", &[copy.to_str().unwrap(), "-"]);
    assert!(
        text.contains("SAO Y") && text.contains("Ủy ban nhân dân tỉnh Bình Phước") && text.contains("+07:00"),
        "{text}"
    );
    let (words, _) = super::pdf::words(&copy);
    let sao = first(&words, "SAO");
    assert!(sao.x_min > 297.0 && sao.y_max < 90.0, "box 14 top right: {sao:?}");
    let log: i64 =
        conn.query_row("SELECT count(*) FROM audit_events WHERE action = 'electronic-copy'", [], |r| r.get(0)).unwrap();
    assert_eq!(log, 1);
}

/// The archives import the files delivered with a document byte for byte, give them
/// back in the next package, hold them to the audit chain, and refuse a file slipped
/// into a package whose manifest was recomputed.
fn archives_keep_the_delivered_files(dir: &Path, package: &Path, member: &Path) {
    use super::archive::{archivist_db, run_archivist};
    let archives = dir.join("archives-files.db");
    archivist_db(&archives);
    let imported = ok(run_archivist(&archives, &["archive", "import", package.to_str().unwrap(), "--as", "luutru"]));
    let again = dir.join("pkg-again");
    ok(run_archivist(&archives, &["archive", "export", imported.trim(), "--out", again.to_str().unwrap()]));
    let conn = rusqlite::Connection::open(&archives).unwrap();
    let new_id: i64 = conn
        .query_row("SELECT id FROM documents WHERE dossier_id = ?1", [imported.trim().parse::<i64>().unwrap()], |r| {
            r.get(0)
        })
        .unwrap();
    let member_again = again.join(format!("documents/001-{new_id}"));
    for name in ["01-Phụ lục I.pdf", "02-bang-ke.csv", "03-bang-ke.csv.p7s"] {
        let (before, after) = (member.join("attachments").join(name), member_again.join("attachments").join(name));
        assert_eq!(std::fs::read(&after).unwrap(), std::fs::read(&before).unwrap(), "{name}, byte for byte");
    }
    assert!(ok(run_archivist(&archives, &["verify"])).contains("toàn vẹn"));

    // A file slipped in beside the others, the manifest recomputed: refused.
    let forged_pkg = dir.join("pkg-forged");
    copy_dir(package, &forged_pkg);
    let slipped = forged_pkg.join(member.strip_prefix(package).unwrap()).join("attachments/04-them.pdf");
    let bytes = b"%PDF-1.7 slipped in".to_vec();
    std::fs::write(&slipped, &bytes).unwrap();
    let manifest_path = forged_pkg.join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&manifest_path).unwrap()).unwrap();
    use sha2::Digest;
    let path = slipped.strip_prefix(&forged_pkg).unwrap().to_str().unwrap().to_owned();
    manifest["files"].as_array_mut().unwrap().push(serde_json::json!({
        "path": path,
        "sha256": hex::encode(sha2::Sha256::digest(&bytes)),
        "bytes": bytes.len(),
    }));
    std::fs::write(&manifest_path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    let fresh = dir.join("archives-files-2.db");
    archivist_db(&fresh);
    let out = run_archivist(&fresh, &["archive", "import", forged_pkg.to_str().unwrap(), "--as", "luutru"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && said.contains("nhật ký trong gói không ghi"), "{said}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
