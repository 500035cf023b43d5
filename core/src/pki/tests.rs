//! Signing and validation on a throwaway CA made with `openssl` at test time.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::appearance::{Appearance, Line};
use super::cert::{CertInfo, build_path};
use super::keys::{KeySigner, Pkcs12Key};
use super::pades::{SignatureRequest, sign_pdf};
use super::verify::{Verdict, verify_pdf};

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl runs");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A CA and a signer `cn` in a fresh directory; returns (dir, CA, key).
pub(crate) fn setup(name: &str, cn: &str) -> (PathBuf, CertInfo, Pkcs12Key) {
    let dir = std::env::temp_dir().join(format!("vanthu-pki-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    openssl(
        &dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "30",
            "-subj",
            "/CN=Test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
        ],
    );
    openssl(
        &dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "s.key",
            "-out",
            "s.csr",
            "-subj",
            &format!("/CN={cn}"),
            "-utf8",
        ],
    );
    std::fs::write(dir.join("leaf.ext"), "basicConstraints=CA:FALSE\n").unwrap();
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "s.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "s.pem",
            "-days",
            "10",
            "-extfile",
            "leaf.ext",
        ],
    );
    openssl(&dir, &["pkcs12", "-export", "-inkey", "s.key", "-in", "s.pem", "-out", "s.p12", "-passout", "pass:pw"]);
    let ca = CertInfo::parse_many(&std::fs::read(dir.join("ca.pem")).unwrap()).unwrap().remove(0);
    let key = Pkcs12Key::open(&std::fs::read(dir.join("s.p12")).unwrap(), "pw").unwrap();
    (dir, ca, key)
}

fn request(x: f32) -> SignatureRequest {
    let mut appearance = Appearance { width: 160.0, height: 50.0, colour: [0.0, 0.2, 0.7], ..Default::default() };
    appearance.lines.push(Line { text: "Ký số bởi: Lê Thị Thu Hà".into(), x: 2.0, y: 2.0, size: 7.0 });
    SignatureRequest {
        page: 0,
        at: [x, 200.0],
        appearance,
        time: chrono::Local::now().fixed_offset(),
        name: "Lê Thị Thu Hà".into(),
        reason: "Ký ban hành".into(),
        location: "Bình Phước".into(),
        form: Default::default(),
    }
}

fn base_pdf() -> Vec<u8> {
    let json = include_str!("../../../assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");
    let doc = crate::exchange::parse_document(json).unwrap();
    crate::pdf::document_pdf(&doc, crate::ruleset::default_ruleset(doc.family)).unwrap()
}

#[test]
fn two_incremental_signatures_verify_and_a_flipped_byte_is_caught() {
    let (_dir, ca, key) = setup("two", "Lê Thị Thu Hà");
    assert_eq!(key.certificate().common_name, "Lê Thị Thu Hà");
    let base = base_pdf();
    let one = sign_pdf(&base, &request(300.0), &key).unwrap();
    assert!(one.starts_with(&base), "an incremental update keeps the original bytes");
    let two = sign_pdf(&one, &request(200.0), &key).unwrap();
    assert!(two.starts_with(&one));
    let reports = verify_pdf(&two, std::slice::from_ref(&ca));
    assert_eq!(reports.len(), 2);
    assert!(reports.iter().all(|r| r.verdict == Verdict::Valid), "{reports:?}");
    assert!(!reports[0].covers_whole_file && reports[1].covers_whole_file);
    assert!(reports[0].summary().starts_with("chữ ký số hợp lệ: Lê Thị Thu Hà, "));
    // Unknown CA: intact but untrusted.
    let untrusted = verify_pdf(&two, &[]);
    assert!(untrusted.iter().all(|r| matches!(&r.verdict, Verdict::Untrusted(w) if w.contains("không tin cậy"))));
    // One flipped byte in the first revision breaks both signatures.
    let mut bad = two.clone();
    bad[base.len() / 2] ^= 1;
    let reports = verify_pdf(&bad, std::slice::from_ref(&ca));
    assert!(reports.iter().all(|r| matches!(r.verdict, Verdict::Invalid(_))), "{reports:?}");
    // A flipped byte inside the second update breaks only the second.
    let mut bad = two.clone();
    let last = two.len() - 40;
    bad[last] ^= 1;
    let reports = verify_pdf(&bad, std::slice::from_ref(&ca));
    assert_eq!(reports[0].verdict, Verdict::Valid);
    assert!(matches!(reports[1].verdict, Verdict::Invalid(_)));
}

#[test]
fn paths_check_validity_dates_and_trust() {
    let (_dir, ca, key) = setup("path", "Nguyễn Văn A");
    let cert = key.certificate();
    let now = chrono::Utc::now();
    assert_eq!(build_path(cert, &[], std::slice::from_ref(&ca), now).unwrap().len(), 2);
    let later = now + chrono::Duration::days(20);
    let expired = build_path(cert, &[], std::slice::from_ref(&ca), later).unwrap_err().to_string();
    assert!(expired.contains("không còn hiệu lực"), "{expired}");
    let untrusted = build_path(cert, std::slice::from_ref(&ca), &[], now).unwrap_err().to_string();
    assert!(untrusted.contains("không tin cậy"), "{untrusted}");
}

#[test]
fn wrong_pkcs12_password_and_garbage_are_clear_errors() {
    let (dir, _ca, _key) = setup("p12", "Trần B");
    let bytes = std::fs::read(dir.join("s.p12")).unwrap();
    let wrong = Pkcs12Key::open(&bytes, "nope").err().expect("refused").to_string();
    assert!(wrong.contains("mật khẩu"), "{wrong}");
    let garbage = Pkcs12Key::open(b"not a p12", "pw").err().expect("refused").to_string();
    assert!(garbage.contains("PKCS#12"), "{garbage}");
    assert!(
        verify_pdf(b"%PDF-1.4 /ByteRange [0 5 999999 3]", &[]).iter().all(|r| matches!(r.verdict, Verdict::Invalid(_)))
    );
}

#[test]
fn a_transparent_png_becomes_a_stencil_of_its_dark_opaque_pixels() {
    // 10 × 2 RGBA: first row opaque dark blue, second row transparent.
    let mut pixels = Vec::new();
    for _ in 0..10 {
        pixels.extend([10, 20, 200, 255]);
    }
    for _ in 0..10 {
        pixels.extend([10, 20, 200, 0]);
    }
    let mut png_bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png_bytes, 10, 2);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.write_header().unwrap().write_image_data(&pixels).unwrap();
    }
    let stencil = super::appearance::Stencil::from_png(&png_bytes).unwrap();
    assert_eq!((stencil.width, stencil.height), (10, 2));
    // Row 1: 10 painted pixels (bits 0) then padding ones; row 2: nothing painted.
    assert_eq!(stencil.bits, vec![0x00, 0x3f, 0xff, 0xff]);
    assert!(super::appearance::Stencil::from_png(b"not a png").is_err());
}
