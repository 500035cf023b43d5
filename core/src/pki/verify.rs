//! Validation of the signatures in any PDF (`vanthu pdf verify`, received files):
//! for each /ByteRange signature, integrity (the CMS message digest equals the
//! SHA-256 of the signed ranges, and the signer's RSA signature over the signed
//! attributes verifies), the path from the signer's certificate to the office's
//! trusted roots, and the certificate's validity at the claimed signing time.
//! Revocation is not checked: Vanthu works offline, and every report says so.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use der::{Decode, Encode};
use sha2::{Digest, Sha256};

use super::PkiError;
use super::cert::{CertInfo, build_path, verify_rsa};

/// The verdict on one signature.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Verdict {
    /// Intact and trusted.
    Valid,
    /// Intact, but the certificate does not chain to a trusted root (or was not
    /// valid at the signing time).
    Untrusted(String),
    /// Changed after signing, or the signature does not verify.
    Invalid(String),
}

/// One signature of a PDF and what was found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SignatureReport {
    /// The signer's common name (empty when the CMS could not be read).
    pub signer: String,
    /// The signer's certificate subject.
    pub subject: String,
    /// The claimed signing time (/M), if any.
    pub time: Option<DateTime<FixedOffset>>,
    /// Whether the signature covers the whole file (the last revision).
    pub covers_whole_file: bool,
    /// The verdict.
    pub verdict: Verdict,
}

impl SignatureReport {
    /// One line for the card, the register and the terminal, e.g.
    /// `chữ ký số hợp lệ: Ủy ban nhân dân tỉnh X, 03/05/2026 10:14`.
    pub fn summary(&self) -> String {
        let when = self.time.map(|t| format!(", {}", t.format("%d/%m/%Y %H:%M"))).unwrap_or_default();
        match &self.verdict {
            Verdict::Valid => format!("chữ ký số hợp lệ: {}{when}", self.signer),
            Verdict::Untrusted(why) => format!("chữ ký số không tin cậy: {}{when} — {why}", self.signer),
            Verdict::Invalid(why) => format!("chữ ký số không hợp lệ: {}{when} — {why}", self.signer),
        }
    }
}

/// What every report adds: revocation is not checked offline.
pub const REVOCATION_NOTE: &str = "chưa kiểm tra thu hồi chứng thư (ngoại tuyến) (revocation not checked: offline)";

fn parse_pdf_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let t = text.trim().trim_start_matches("D:");
    let digits: String = t.chars().take(14).collect();
    let naive = NaiveDateTime::parse_from_str(&format!("{digits:0<14}"), "%Y%m%d%H%M%S").ok()?;
    let rest = &t[digits.len().min(t.len())..];
    let offset = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let nums: Vec<i32> = rest[1..].split('\'').filter_map(|p| p.parse().ok()).collect();
            let secs = nums.first().copied().unwrap_or(0) * 3600 + nums.get(1).copied().unwrap_or(0) * 60;
            FixedOffset::east_opt(if sign == '-' { -secs } else { secs })?
        }
        _ => FixedOffset::east_opt(0)?,
    };
    naive.and_local_timezone(offset).single()
}

/// The dictionary text around a /ByteRange at `pos` (from the object's start to
/// its end), for /M.
/// Both searches stay within [`WINDOW`] bytes of `pos`, so a hostile file full of
/// `/ByteRange` without objects costs linear time, not quadratic.
fn enclosing(bytes: &[u8], pos: usize) -> &[u8] {
    let from = pos.saturating_sub(WINDOW);
    let start = memchr::memmem::rfind(&bytes[from..pos], b" obj").map_or(pos.saturating_sub(512), |s| from + s);
    let until = bytes.len().min(pos + WINDOW);
    let end = memchr::memmem::find(&bytes[pos..until], b"endobj").map_or(until, |e| pos + e);
    &bytes[start..end]
}

/// How far around a `/ByteRange` its dictionary is looked for.
const WINDOW: usize = 64 * 1024;

/// The most signatures validated in one file (each hashes up to the whole file).
pub const MAX_SIGNATURES: usize = 64;

/// The claimed signing time of a signature dictionary: `/M` followed by a literal
/// string (escapes decoded: pyHanko writes `(D\07220261129161921Z)`) or a hex string.
fn claimed_time(dict: &[u8]) -> Option<DateTime<FixedOffset>> {
    for found in memchr::memmem::find_iter(dict, b"/M") {
        let rest = &dict[found + 2..];
        // `/M` itself, not the start of a longer name such as `/MDP`.
        let skip = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let value = match rest.get(skip) {
            Some(b'(') => literal_string(&rest[skip + 1..]),
            Some(b'<') => hex_string(&rest[skip + 1..]),
            _ => continue,
        };
        if let Some(time) = value.and_then(|v| parse_pdf_date(&String::from_utf8_lossy(&v))) {
            return Some(time);
        }
    }
    None
}

/// The bytes of a PDF literal string whose opening `(` was just read (balanced
/// parentheses, `\n`-style and octal escapes); at most 128 bytes are read.
fn literal_string(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len().min(128) {
        let b = bytes[i];
        match b {
            b'\\' => {
                let next = *bytes.get(i + 1)?;
                i += 2;
                match next {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'0'..=b'7' => {
                        let mut value = u32::from(next - b'0');
                        for _ in 0..2 {
                            match bytes.get(i) {
                                Some(d @ b'0'..=b'7') => {
                                    value = value * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push((value & 0xff) as u8);
                    }
                    b'\r' | b'\n' => {}
                    other => out.push(other),
                }
                continue;
            }
            b'(' => depth += 1,
            b')' if depth == 0 => return Some(out),
            b')' => depth -= 1,
            _ => {}
        }
        out.push(b);
        i += 1;
    }
    None
}

/// The bytes of a PDF hex string whose opening `<` was just read.
fn hex_string(bytes: &[u8]) -> Option<Vec<u8>> {
    let end = bytes.iter().take(256).position(|b| *b == b'>')?;
    let digits: Vec<u8> = bytes[..end].iter().copied().filter(u8::is_ascii_hexdigit).collect();
    let mut out = Vec::new();
    for pair in digits.chunks(2) {
        let text = std::str::from_utf8(pair).ok()?;
        let value =
            if pair.len() == 2 { u8::from_str_radix(text, 16).ok()? } else { u8::from_str_radix(text, 16).ok()? << 4 };
        out.push(value);
    }
    Some(out)
}

/// Validates every signature of `pdf` against `trusted` roots.
pub fn verify_pdf(pdf: &[u8], trusted: &[CertInfo]) -> Vec<SignatureReport> {
    let mut reports = Vec::new();
    for pos in memchr::memmem::find_iter(pdf, b"/ByteRange") {
        if reports.len() == MAX_SIGNATURES {
            reports.push(SignatureReport {
                signer: String::new(),
                subject: String::new(),
                time: None,
                covers_whole_file: false,
                verdict: Verdict::Invalid(format!(
                    "tệp có hơn {MAX_SIGNATURES} chữ ký số, không kiểm tra tiếp (too many signatures)"
                )),
            });
            break;
        }
        let rest = &pdf[pos + 10..pdf.len().min(pos + 200)];
        let text = String::from_utf8_lossy(rest);
        let Some(open) = text.find('[') else { continue };
        let Some(close) = text.find(']') else { continue };
        let range: Vec<usize> = text[open + 1..close].split_whitespace().filter_map(|n| n.parse().ok()).collect();
        let dict = enclosing(pdf, pos);
        let time = claimed_time(dict);
        reports.push(match verify_one(pdf, &range, trusted, time) {
            Ok(report) => report,
            Err((signer, subject, why)) => {
                SignatureReport { signer, subject, time, covers_whole_file: false, verdict: Verdict::Invalid(why) }
            }
        });
    }
    reports
}

type Failure = (String, String, String);

/// The length of the DER SEQUENCE at the start of `raw` (the /Contents string is
/// padded with zeros after it).
fn der_length(raw: &[u8]) -> Option<usize> {
    if raw.first() != Some(&0x30) {
        return None;
    }
    let first = *raw.get(1)?;
    if first < 0x80 {
        return Some(2 + usize::from(first));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let len = raw.get(2..2 + n)?.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
    Some(2 + n + len)
}

fn verify_one(
    pdf: &[u8],
    range: &[usize],
    trusted: &[CertInfo],
    time: Option<DateTime<FixedOffset>>,
) -> Result<SignatureReport, Failure> {
    let fail = |why: &str| (String::new(), String::new(), why.to_owned());
    let &[a, b, c, d] = range else { return Err(fail("/ByteRange hỏng (bad byte range)")) };
    if a != 0 || b >= c || c.checked_add(d).is_none_or(|end| end > pdf.len()) || pdf.get(b) != Some(&b'<') {
        return Err(fail("/ByteRange hỏng (bad byte range)"));
    }
    let hex_text: Vec<u8> = pdf[b + 1..c - 1].iter().copied().filter(|x| !x.is_ascii_whitespace()).collect();
    let raw = hex::decode(&hex_text).map_err(|_| fail("/Contents hỏng (bad contents)"))?;
    let cms_len = der_length(&raw).ok_or_else(|| fail("CMS hỏng (bad CMS)"))?;
    let cms = raw.get(..cms_len).ok_or_else(|| fail("CMS hỏng (bad CMS)"))?;
    let info = cms::content_info::ContentInfo::from_der(cms).map_err(|_| fail("CMS hỏng (bad CMS)"))?;
    let signed = info
        .content
        .decode_as::<cms::signed_data::SignedData>()
        .map_err(|_| fail("CMS không phải SignedData (not SignedData)"))?;
    let certs: Vec<CertInfo> = signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            cms::cert::CertificateChoices::Certificate(cert) => cert.to_der().ok(),
            cms::cert::CertificateChoices::Other(_) => None,
        })
        .filter_map(|der| CertInfo::from_der(&der).ok())
        .collect();
    let signer_info = signed.signer_infos.0.iter().next().ok_or_else(|| fail("CMS không có người ký (no signer)"))?;
    let cms::signed_data::SignerIdentifier::IssuerAndSerialNumber(id) = &signer_info.sid else {
        return Err(fail("người ký nhận diện bằng SKI chưa hỗ trợ (unsupported signer identifier)"));
    };
    let signer = certs
        .iter()
        .find(|c| {
            c.cert.tbs_certificate.issuer == id.issuer && c.cert.tbs_certificate.serial_number == id.serial_number
        })
        .ok_or_else(|| fail("CMS thiếu chứng thư người ký (signer certificate missing)"))?;
    let named = |why: String| (signer.common_name.clone(), signer.subject.clone(), why);
    if signer_info.digest_alg.oid.to_string() != "2.16.840.1.101.3.4.2.1" {
        return Err(named(format!("thuật toán băm {} chưa hỗ trợ (unsupported digest)", signer_info.digest_alg.oid)));
    }
    let mut hasher = Sha256::new();
    hasher.update(&pdf[..b]);
    hasher.update(&pdf[c..c + d]);
    let digest = hasher.finalize();
    let attrs =
        signer_info.signed_attrs.as_ref().ok_or_else(|| named("thiếu thuộc tính ký (no signed attributes)".into()))?;
    let message_digest = attrs
        .iter()
        .find(|a| a.oid.to_string() == "1.2.840.113549.1.9.4")
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok())
        .ok_or_else(|| named("thiếu message-digest (no message digest)".into()))?;
    if message_digest.as_bytes() != digest.as_slice() {
        return Err(named("nội dung đã bị thay đổi sau khi ký (document modified after signing)".into()));
    }
    let signed_bytes = attrs.to_der().map_err(|_| named("thuộc tính ký hỏng".into()))?;
    let key = signer.rsa_key().map_err(|e| named(e.to_string()))?;
    let algorithm = signer_info.signature_algorithm.oid.to_string();
    verify_rsa(&key, &algorithm, &signed_bytes, signer_info.signature.as_bytes())
        .map_err(|_| named("chữ ký không khớp nội dung (signature does not verify)".into()))?;
    let at = time.map_or_else(Utc::now, |t| t.with_timezone(&Utc));
    let verdict = match build_path(signer, &certs, trusted, at) {
        Ok(_) => Verdict::Valid,
        Err(e) => Verdict::Untrusted(e.to_string()),
    };
    Ok(SignatureReport {
        signer: signer.common_name.clone(),
        subject: signer.subject.clone(),
        time,
        covers_whole_file: c + d == pdf.len(),
        verdict,
    })
}

/// Reads a PDF's bytes and validates them (see [`verify_pdf`]); an error when the
/// file has no signature at all.
pub fn verify_signed(pdf: &[u8], trusted: &[CertInfo]) -> Result<Vec<SignatureReport>, PkiError> {
    let reports = verify_pdf(pdf, trusted);
    if reports.is_empty() {
        return Err(PkiError::new("tệp PDF không có chữ ký số (no digital signature)".into()));
    }
    Ok(reports)
}

#[cfg(test)]
mod time_tests {
    use super::claimed_time;

    #[test]
    fn the_signing_time_is_read_in_every_form_pdf_writers_use() {
        let utc = |dict: &[u8]| claimed_time(dict).map(|t| t.to_utc().format("%Y-%m-%d %H:%M:%S").to_string());
        let want = Some("2026-11-29 16:19:21".to_owned());
        // Plain, as Vanthu writes it; octal-escaped colon, as pyHanko writes it.
        assert_eq!(utc(b"<< /Type /Sig /M (D:20261129231921+07'00') >>"), want);
        assert_eq!(utc(b"<< /Type /Sig /M (D\\07220261129161921Z) >>"), want);
        // No space before the string; a hex string.
        assert_eq!(utc(b"<</M(D:20261129161921Z)>>"), want);
        assert_eq!(utc(b"<< /M <443A32303236313132393136313932315A> >>"), want);
        // A longer name beginning with M is not the time; garbage gives none.
        assert_eq!(utc(b"<< /MDP (x) /M (D:20261129161921Z) >>"), want);
        assert_eq!(utc(b"<< /M (not a date) >>"), None);
        assert_eq!(utc(b"<< /M (D:2026"), None);
    }
}
