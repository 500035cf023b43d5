//! Files received with incoming letters (issue #16): what a file is (by its bytes),
//! a name safe to save it under, and the check made on receipt: each PDF
//! signature validated with [`crate::pki::verify`] against the office's trusted
//! roots, and a scan's resolution and colour against NĐ 30/2020 Phụ lục I.
//! Pure functions: the store keeps the bytes and the results.

pub mod scan;

use serde::{Deserialize, Serialize};

use crate::pki::cert::CertInfo;
use crate::pki::verify::{REVOCATION_NOTE, SignatureReport, Verdict, verify_pdf};

/// The largest file kept (50 MiB): a scanned letter of a few dozen pages at 300 dpi
/// fits; larger belongs in the archive's own storage.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;

/// The longest name kept as given (characters); longer names are shortened.
pub const MAX_NAME_CHARS: usize = 255;

/// What a received file is to the letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// The letter itself as received (a signed PDF from the electronic system).
    Letter,
    /// A scan of a paper letter (PDF or image).
    Scan,
    /// An attachment (phụ lục, tài liệu kèm theo).
    Attachment,
}

impl FileKind {
    /// Every kind.
    pub const ALL: [FileKind; 3] = [FileKind::Letter, FileKind::Scan, FileKind::Attachment];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            FileKind::Letter => "letter",
            FileKind::Scan => "scan",
            FileKind::Attachment => "attachment",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        FileKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Letter => "Văn bản điện tử",
            FileKind::Scan => "Bản quét văn bản giấy",
            FileKind::Attachment => "Tệp đính kèm",
        }
    }
}

/// The signature status of a received file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureStatus {
    /// Every signature intact and trusted, the last one covering the whole file.
    Valid,
    /// Intact, but a certificate does not chain to a trusted root.
    Untrusted,
    /// Changed after signing, a signature that does not verify, or content added
    /// after the last signature.
    Invalid,
    /// A PDF without signatures.
    Unsigned,
    /// Not a PDF: nothing to validate.
    NotPdf,
}

impl SignatureStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            SignatureStatus::Valid => "valid",
            SignatureStatus::Untrusted => "untrusted",
            SignatureStatus::Invalid => "invalid",
            SignatureStatus::Unsigned => "unsigned",
            SignatureStatus::NotPdf => "not_pdf",
        }
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            SignatureStatus::Valid => "chữ ký số hợp lệ",
            SignatureStatus::Untrusted => "chữ ký số không tin cậy",
            SignatureStatus::Invalid => "chữ ký số không hợp lệ",
            SignatureStatus::Unsigned => "không có chữ ký số",
            SignatureStatus::NotPdf => "không phải tệp PDF, không có chữ ký số",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Valid, Self::Untrusted, Self::Invalid, Self::Unsigned, Self::NotPdf]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// The check of one file: the signature report (the same lines as `vanthu pdf
/// verify`), a one-line summary for the register and the card, and the scan's
/// warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCheck {
    /// When it was checked (RFC 3339).
    pub checked_at: String,
    /// The overall status.
    pub status: SignatureStatus,
    /// One line: `chữ ký số hợp lệ: Ủy ban nhân dân tỉnh X, 03/05/2026 10:14`,
    /// `chữ ký số không tin cậy: …`, `chữ ký số không hợp lệ: …`, `không có chữ ký
    /// số`, or empty for a file that is not a PDF.
    pub summary: String,
    /// The report, line by line, as `vanthu pdf verify` prints it.
    pub report: Vec<String>,
    /// Warnings on a scan (resolution, colour, format).
    pub warnings: Vec<String>,
}

/// The media type of a file by its first bytes (the name's extension only for
/// formats without a signature).
pub fn media_type(bytes: &[u8], name: &str) -> &'static str {
    if bytes.starts_with(b"%PDF-") {
        return "application/pdf";
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return "image/png";
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return "image/jpeg";
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return "image/tiff";
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") {
        return match ext.as_str() {
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "odt" => "application/vnd.oasis.opendocument.text",
            "ods" => "application/vnd.oasis.opendocument.spreadsheet",
            _ => "application/zip",
        };
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return match ext.as_str() {
            "xls" => "application/vnd.ms-excel",
            _ => "application/msword",
        };
    }
    match ext.as_str() {
        "txt" if std::str::from_utf8(bytes).is_ok() => "text/plain",
        "xml" if std::str::from_utf8(bytes).is_ok() => "application/xml",
        _ => "application/octet-stream",
    }
}

fn is_image(media_type: &str) -> bool {
    matches!(media_type, "image/png" | "image/jpeg" | "image/tiff")
}

/// The name as kept: NFC, at most [`MAX_NAME_CHARS`] characters (the extension
/// kept), never empty. It may still hold anything a sender wrote (`../`, control
/// characters); [`safe_name`] gives the name to save and show.
pub fn kept_name(name: &str) -> String {
    let name = crate::text::nfc(name);
    let name = if name.trim().is_empty() { "tep".to_owned() } else { name };
    shorten(&name, MAX_NAME_CHARS)
}

fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_owned();
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e).filter(|e| !e.is_empty() && e.chars().count() <= 10);
    match ext {
        Some(ext) => {
            let keep = max - ext.chars().count() - 1;
            let stem: String = name.chars().take(keep).collect();
            format!("{stem}.{ext}")
        }
        None => name.chars().take(max).collect(),
    }
}

/// A file name safe to save under on Linux and Windows and to show: the last part
/// of any path, without control or bidirectional-override characters, without the
/// characters Windows forbids, not `.`/`..`, not a Windows device name, no leading
/// or trailing dots or spaces, at most 120 characters, never empty.
pub fn safe_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = crate::text::nfc(last)
        .chars()
        .filter(|c| !c.is_control() && !matches!(*c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'))
        .map(|c| if matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') { '_' } else { c })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let mut safe = if trimmed.is_empty() { "tep".to_owned() } else { trimmed.to_owned() };
    let stem = safe.split('.').next().unwrap_or_default().to_ascii_uppercase();
    let device = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    if device {
        safe.insert(0, '_');
    }
    shorten(&safe, 120).trim_end_matches(|c: char| c == '.' || c.is_whitespace()).to_owned()
}

/// The report of a PDF's signatures, line by line: what `vanthu pdf verify` prints
/// and the card shows (empty when the file has no signature).
pub fn report_lines(reports: &[SignatureReport]) -> Vec<String> {
    if reports.is_empty() {
        return Vec::new();
    }
    let mut lines: Vec<String> = reports
        .iter()
        .enumerate()
        .map(|(i, report)| {
            let whole = if report.covers_whole_file {
                ""
            } else {
                " (một phiên bản trước của tệp / an earlier revision)"
            };
            format!("Chữ ký {}: {}{whole}", i + 1, report.summary())
        })
        .collect();
    if reports.last().is_some_and(|r| !r.covers_whole_file) {
        lines.push(LATE_CONTENT.to_owned());
    }
    lines.push(REVOCATION_NOTE.to_owned());
    lines
}

/// The line added when the file goes on after its last signature.
const LATE_CONTENT: &str = "tệp có nội dung thêm vào sau chữ ký số cuối cùng: phần thêm không được ký (content added after the last signature)";

fn short(report: &SignatureReport, label: &str) -> String {
    let when = report.time.map(|t| format!(", {}", t.format("%d/%m/%Y %H:%M"))).unwrap_or_default();
    let who = if report.signer.is_empty() { String::new() } else { format!(": {}", report.signer) };
    format!("{label}{who}{when}")
}

/// The overall status of a PDF's signatures and its one-line summary.
pub fn signature_status(reports: &[SignatureReport]) -> (SignatureStatus, String) {
    if reports.is_empty() {
        return (SignatureStatus::Unsigned, "không có chữ ký số".to_owned());
    }
    if let Some(bad) = reports.iter().find(|r| matches!(r.verdict, Verdict::Invalid(_))) {
        return (SignatureStatus::Invalid, short(bad, "chữ ký số không hợp lệ"));
    }
    let last = reports.last().expect("not empty");
    if !last.covers_whole_file {
        return (
            SignatureStatus::Invalid,
            format!("{} (có nội dung thêm sau chữ ký)", short(last, "chữ ký số không hợp lệ")),
        );
    }
    if let Some(untrusted) = reports.iter().find(|r| matches!(r.verdict, Verdict::Untrusted(_))) {
        return (SignatureStatus::Untrusted, short(untrusted, "chữ ký số không tin cậy"));
    }
    (SignatureStatus::Valid, short(last, "chữ ký số hợp lệ"))
}

/// The warnings on a scan (NĐ 30/2020 Phụ lục I, Phần II: PDF 1.4 or later, colour,
/// at least 200 dpi).
pub fn scan_warnings(bytes: &[u8], media_type: &str) -> Vec<String> {
    let facts = match media_type {
        "image/png" => scan::png(bytes),
        "image/jpeg" => scan::jpeg(bytes),
        "image/tiff" => scan::tiff(bytes),
        "application/pdf" => scan::pdf(bytes),
        _ => {
            return vec![
                "bản quét phải là tệp PDF hoặc ảnh PNG, JPEG, TIFF (a scan must be a PDF or an image)".to_owned(),
            ];
        }
    };
    let law = "NĐ 30/2020 Phụ lục I";
    let mut warnings = Vec::new();
    if media_type == "application/pdf" {
        if facts.pdf_version.is_some_and(|v| v < 14) {
            warnings.push(format!("bản quét PDF phiên bản dưới 1.4 ({law}: PDF 1.4 trở lên) (PDF older than 1.4)"));
        }
        if !facts.found_image {
            warnings.push(
                "không tìm thấy ảnh quét nguyên trang trong tệp PDF: không kiểm tra được độ phân giải, màu (no page image found)"
                    .to_owned(),
            );
            return warnings;
        }
    }
    match facts.dpi {
        Some(dpi) if dpi < scan::MIN_DPI => warnings.push(format!(
            "độ phân giải bản quét {dpi} dpi, dưới mức tối thiểu {} dpi ({law}) (scan below {} dpi)",
            scan::MIN_DPI,
            scan::MIN_DPI
        )),
        Some(_) => {}
        None => warnings.push(format!(
            "tệp không ghi độ phân giải: không kiểm tra được mức tối thiểu {} dpi ({law}) (resolution unknown)",
            scan::MIN_DPI
        )),
    }
    match facts.colour {
        Some(false) => warnings.push(format!("bản quét không phải ảnh màu ({law}: hình ảnh màu) (scan not in colour)")),
        Some(true) => {}
        None => warnings.push("không xác định được bản quét có phải ảnh màu (colour unknown)".to_owned()),
    }
    warnings
}

/// Checks a received file: signatures of a PDF against `trusted`, and a scan's
/// quality. `checked_at` is recorded as given.
pub fn check_file(bytes: &[u8], media_type: &str, kind: FileKind, trusted: &[CertInfo], checked_at: &str) -> FileCheck {
    let (status, summary, report) = if media_type == "application/pdf" {
        let reports = verify_pdf(bytes, trusted);
        let (status, summary) = signature_status(&reports);
        (status, summary, report_lines(&reports))
    } else {
        (SignatureStatus::NotPdf, String::new(), Vec::new())
    };
    let mut warnings = if kind == FileKind::Scan { scan_warnings(bytes, media_type) } else { Vec::new() };
    if kind == FileKind::Letter && media_type != "application/pdf" {
        // An electronic letter travels as a signed PDF (the agency's and the signer's
        // PAdES signatures); a Word file or a picture carries no signature to check.
        warnings.push(
            "tệp văn bản không phải PDF: không có chữ ký số để kiểm tra; đề nghị nơi gửi gửi bản PDF đã ký số (letter file is not a PDF)"
                .to_owned(),
        );
    }
    FileCheck { checked_at: checked_at.to_owned(), status, summary, report, warnings }
}

/// The kind a file gets when none is given: an image is a scan; a PDF is the letter
/// (a scan when the letter came on paper) unless the letter already has one; the
/// rest are attachments.
pub fn default_kind(media_type: &str, on_paper: bool, has_letter: bool) -> FileKind {
    let pdf = media_type == "application/pdf";
    if is_image(media_type) || (pdf && on_paper && !has_letter) {
        FileKind::Scan
    } else if pdf && !has_letter {
        FileKind::Letter
    } else {
        FileKind::Attachment
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_saved_safely() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("..\\..\\Windows\\win.ini"), "win.ini");
        assert_eq!(safe_name(".."), "tep");
        assert_eq!(safe_name("a\u{1b}[31mđỏ\u{7}.pdf"), "a[31mđỏ.pdf");
        assert_eq!(safe_name("hóa đơn\u{202E}fdp.exe"), "hóa đơnfdp.exe");
        assert_eq!(safe_name("CON.txt"), "_CON.txt");
        assert_eq!(safe_name("a:b*c?.pdf"), "a_b_c_.pdf");
        assert_eq!(safe_name(" .ẩn. "), "ẩn");
        let long = format!("{}.pdf", "Công văn ".repeat(100));
        let saved = safe_name(&long);
        assert_eq!(saved.chars().count(), 120);
        assert!(saved.ends_with(".pdf"), "{saved}");
        assert_eq!(kept_name(&"x".repeat(1000)).chars().count(), MAX_NAME_CHARS);
        assert_eq!(kept_name("  "), "tep");
    }

    #[test]
    fn media_types_come_from_the_bytes() {
        assert_eq!(media_type(b"%PDF-1.7 ...", "x.png"), "application/pdf");
        assert_eq!(media_type(b"\x89PNG\r\n\x1a\n....", "x.pdf"), "image/png");
        assert_eq!(media_type(b"PK\x03\x04....", "bao-cao.docx"), media_type(b"PK\x03\x04", "a.DOCX"));
        assert_eq!(media_type(b"\x00\x01", "x.pdf"), "application/octet-stream");
    }

    #[test]
    fn default_kinds() {
        assert_eq!(default_kind("image/jpeg", false, false), FileKind::Scan);
        assert_eq!(default_kind("application/pdf", false, false), FileKind::Letter);
        assert_eq!(default_kind("application/pdf", true, false), FileKind::Scan);
        assert_eq!(default_kind("application/pdf", false, true), FileKind::Attachment);
        assert_eq!(default_kind("application/zip", false, false), FileKind::Attachment);
    }

    #[test]
    fn scans_below_200_dpi_or_grey_are_warned() {
        let good = scan::tests_png(2, Some(300));
        assert!(scan_warnings(&good, "image/png").is_empty());
        let low = scan_warnings(&scan::tests_png(2, Some(150)), "image/png");
        assert!(low.len() == 1 && low[0].contains("150 dpi") && low[0].contains("200"), "{low:?}");
        let grey = scan_warnings(&scan::tests_png(0, Some(300)), "image/png");
        assert!(grey.len() == 1 && grey[0].contains("không phải ảnh màu"), "{grey:?}");
        let check = check_file(&good, "image/png", FileKind::Attachment, &[], "t");
        assert_eq!((check.status, check.warnings.len()), (SignatureStatus::NotPdf, 0), "only scans are judged");
        let word = check_file(
            b"PK\x03\x04",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Letter,
            &[],
            "t",
        );
        assert!(word.warnings.len() == 1 && word.warnings[0].contains("không phải PDF"), "{:?}", word.warnings);
        let unsigned = check_file(b"%PDF-1.4\n%%EOF\n", "application/pdf", FileKind::Letter, &[], "t");
        assert!(unsigned.warnings.is_empty(), "a PDF letter is no warning: {:?}", unsigned.warnings);
        assert_eq!((unsigned.status, unsigned.summary.as_str()), (SignatureStatus::Unsigned, "không có chữ ký số"));
    }
}
