//! Messages in people's words: what the core says, as the window shows it. The
//! English parts (kept by the core for logs and scripts), rule codes and JSON
//! pointers never reach the screen; the English goes to the log only.

use vanthu_core::StoreError;
use vanthu_core::rules::Finding;
use vanthu_core::workflow::WorkflowError;

use super::widget::findings::field_name;

/// Generic prefixes of the core's messages that say nothing to a user.
const GENERIC_PREFIXES: [&str; 1] = ["dữ liệu không hợp lệ: "];

/// Whether a parenthesis holds English for the logs: ASCII words with a space and
/// lower-case letters (`(invalid input)`, `(a comment is required)`, `(I/O error)`),
/// not a count (`(2)`), an abbreviation (`(TH)`) nor a note such as `(t/h)`.
fn is_english_note(inner: &str) -> bool {
    inner.is_ascii()
        && inner.contains(' ')
        && inner.split_whitespace().filter(|w| w.chars().all(|c| c.is_ascii_lowercase())).count() >= 2
}

/// Whether a word is a JSON pointer into a document (`/body/1/text`, `/subject`).
fn is_pointer(word: &str) -> bool {
    word.len() > 1
        && word.starts_with('/')
        && word[1..].chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && word.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '/')
}

/// A core message as the window shows it: English parentheses dropped, JSON
/// pointers named as fields ("Nội dung thứ 2 Văn bản"), `code` spans quoted,
/// generic prefixes dropped, a capital first letter and a full stop.
pub fn sentence(message: &str) -> String {
    let mut text = String::with_capacity(message.len());
    let mut rest = message.trim();
    // English parentheses, wherever they stand.
    while let Some(open) = rest.find(" (") {
        let after = &rest[open + 2..];
        match after.find(')') {
            Some(close) if is_english_note(&after[..close]) => {
                text.push_str(&rest[..open]);
                rest = &after[close + 1..];
            }
            _ => {
                text.push_str(&rest[..open + 2]);
                rest = after;
            }
        }
    }
    text.push_str(rest);
    // JSON pointers become field names; backticks become quotes.
    let words: Vec<String> = text
        .split(' ')
        .map(|w| {
            let core = w.trim_end_matches([',', ';', ':', '.', ')']);
            // Only pointers into known fields: a file path such as `/tmp/a` stays.
            match is_pointer(core).then(|| field_name(core)).filter(|name| !name.contains("trường khác")) {
                Some(name) => format!("{name}{}", &w[core.len()..]),
                None => w.to_owned(),
            }
        })
        .collect();
    let mut text = super::widget::findings::quoted(&words.join(" ")).trim().to_owned();
    for prefix in GENERIC_PREFIXES {
        if text.to_lowercase().starts_with(prefix) {
            text = text[prefix.len()..].to_owned();
        }
    }
    let mut chars = text.chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    // No stop after a file path: it would read as part of the name.
    let ends_with_path = out.rsplit(' ').next().is_some_and(|w| w.contains(['/', '\\']) && w.contains('.'));
    if !out.is_empty() && !out.ends_with(['.', '!', '?', ':']) && !ends_with_path {
        out.push('.');
    }
    out
}

/// One finding as a user reads it: the field's name and the rule's Vietnamese
/// message, without the rule code or pointer.
pub fn finding_line(finding: &Finding) -> String {
    let message = finding.message.trim().trim_end_matches('.');
    if finding.field.is_empty() { message.to_owned() } else { format!("{}: {message}", field_name(&finding.field)) }
}

/// A refusal of the core in people's words; the full text (with codes and
/// English) goes to the log.
pub fn explain(error: &StoreError) -> String {
    eprintln!("vanthu: refused: {error}");
    match error {
        StoreError::Workflow(WorkflowError::Blocked { action, findings }) => {
            let lines: Vec<String> = findings.iter().take(3).map(finding_line).collect();
            let more = findings.len().saturating_sub(lines.len());
            let more = if more > 0 {
                format!(" (và {more} lỗi khác trong bảng Kiểm tra 4 đúng)")
            } else {
                String::new()
            };
            sentence(&format!("Chưa thể {action}: còn {} lỗi phải sửa — {}{more}", findings.len(), lines.join("; ")))
        }
        other => sentence(&other.to_string()),
    }
}

/// A key that sorts Vietnamese as a Vietnamese reader expects: on the letters
/// without tone marks, case-blind, "đ" right after "d" (not after "z", as the
/// code points would put "Đặng" and "Đỗ"), the exact text breaking ties.
pub fn collation_key(s: &str) -> (String, String) {
    let folded: String = s
        .chars()
        .flat_map(|c| match c {
            // `{` follows `z`: every "đ…" after every "d…", before "e".
            'đ' | 'Đ' => vec!['d', '{'],
            other => vanthu_core::text::fold(&other.to_string()).chars().collect(),
        })
        .collect();
    (folded, s.to_owned())
}

/// Sorts texts with [`collation_key`].
pub fn sort_vietnamese<T>(items: &mut [T], text: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|item| collation_key(text(item)));
}

/// A text with its long hexadecimal hashes (SHA-256 in audit comments) shortened to
/// a fingerprint of 12 characters and "…": people compare the start, the whole
/// value is in the audit log and its export.
pub fn short_hashes(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            let core = w.trim_end_matches([',', ';', '.', ')']);
            if core.len() >= 32 && core.chars().all(|c| c.is_ascii_hexdigit()) {
                format!("{}…{}", &core[..12], &w[core.len()..])
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads a date typed `dd/mm/yyyy` (or `yyyy-mm-dd`); when it cannot, says why in
/// people's words: the form expected, or that the day does not exist ("31/02").
pub fn read_date(typed: &str) -> Result<chrono::NaiveDate, String> {
    use chrono::NaiveDate;
    let t = typed.trim();
    if let Ok(date) = NaiveDate::parse_from_str(t, "%d/%m/%Y").or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d")) {
        return Ok(date);
    }
    let numbers: Vec<u32> =
        t.split(['/', '-', '.']).map(|p| p.trim().parse::<u32>()).collect::<Result<_, _>>().unwrap_or_default();
    let (day, month, year) = match numbers.as_slice() {
        [y, m, d] if *y > 999 => (*d, *m, *y),
        [d, m, y] if *y > 999 => (*d, *m, *y),
        _ => return Err("Ngày chưa đúng dạng ngày/tháng/năm (ví dụ 29/11/2026).".into()),
    };
    if !(1..=12).contains(&month) {
        return Err(format!("Tháng {month} không có: tháng viết từ 1 đến 12."));
    }
    let days = (28..=31).rev().find(|d| NaiveDate::from_ymd_opt(year as i32, month, *d).is_some()).unwrap_or(28);
    Err(format!("Ngày {day:02}/{month:02}/{year} không có trong lịch: tháng {month} năm {year} có {days} ngày."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_pointers_and_codes_do_not_reach_the_screen() {
        assert_eq!(sentence("trả lại cần ghi ý kiến (a comment is required)"), "Trả lại cần ghi ý kiến.");
        assert_eq!(
            sentence("dữ liệu không hợp lệ: tên đơn vị không được để trống (invalid input)"),
            "Tên đơn vị không được để trống."
        );
        assert_eq!(sentence("thiếu /subject (invalid input)"), "Thiếu Trích yếu.");
        assert_eq!(
            sentence("Không tin cậy: chứng thư của A (untrusted: no path to a trusted root; issuer CN=GUI Test CA)"),
            "Không tin cậy: chứng thư của A."
        );
        assert_eq!(sentence("đã ghi /tmp/ban"), "Đã ghi /tmp/ban.");
        assert_eq!(sentence("đã thu hồi quyền ký `cong-van`"), "Đã thu hồi quyền ký “cong-van”.");
        // Vietnamese and short notes in parentheses stay.
        assert_eq!(sentence("Lưu: VT, TH (2)"), "Lưu: VT, TH (2).");
        assert_eq!(sentence("hồ sơ 01.TH (đang mở)"), "Hồ sơ 01.TH (đang mở).");
    }

    #[test]
    fn long_hashes_become_fingerprints() {
        let hash = "1a532f66d33b7377704673ac1d747832eabf69f7d9446c29fb52ad0eff18a301";
        assert_eq!(short_hashes(&format!("sha256 nguồn {hash}; 2 tệp")), "sha256 nguồn 1a532f66d33b…; 2 tệp");
        assert_eq!(short_hashes("số 2542/BB-UBND"), "số 2542/BB-UBND");
    }

    #[test]
    fn a_date_that_does_not_exist_is_named() {
        assert_eq!(read_date(" 29/11/2026 "), Ok(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()));
        assert_eq!(read_date("2026-11-29"), Ok(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()));
        let e = read_date("31/02/2026").unwrap_err();
        assert_eq!(e, "Ngày 31/02/2026 không có trong lịch: tháng 2 năm 2026 có 28 ngày.");
        assert!(read_date("29/02/2028").is_ok(), "a leap year");
        assert!(read_date("29/02/2026").unwrap_err().contains("có 28 ngày"));
        assert!(read_date("31/04/2026").unwrap_err().contains("có 30 ngày"));
        assert!(read_date("12/13/2026").unwrap_err().starts_with("Tháng 13 không có"));
        assert!(read_date("hôm qua").unwrap_err().contains("ngày/tháng/năm"));
    }

    #[test]
    fn vietnamese_names_sort_with_d_stroke_after_d() {
        let mut names = vec![
            "Đỗ Quang Huy",
            "Võ Thị Ngọc Lan",
            "Đặng Hữu Tài",
            "Dương Thị Kim Oanh",
            "Bùi Văn Toàn",
            "Hồ Văn Phúc",
            "Hoàng Minh Đức",
            "Ép",
        ];
        sort_vietnamese(&mut names, |n| n);
        assert_eq!(
            names,
            [
                "Bùi Văn Toàn",
                "Dương Thị Kim Oanh",
                "Đặng Hữu Tài",
                "Đỗ Quang Huy",
                "Ép",
                "Hồ Văn Phúc",
                "Hoàng Minh Đức",
                "Võ Thị Ngọc Lan"
            ]
        );
    }

    #[test]
    fn a_blocked_step_names_fields_and_rule_messages_once() {
        use vanthu_core::ruleset::{Category, Severity};
        let finding = Finding {
            rule: "ND-10".into(),
            category: Category::NoiDung,
            severity: Severity::Error,
            field: "/body/1/text".into(),
            message: "Đoạn văn không được để trống.".into(),
            reference: "NĐ 30/2020".into(),
            fix: None,
        };
        let error = StoreError::Workflow(WorkflowError::Blocked { action: "trình", findings: vec![finding] });
        let shown = explain(&error);
        assert!(!shown.contains("ND-10") && !shown.contains('/') && !shown.contains("blocked"), "{shown}");
        assert!(shown.starts_with("Chưa thể trình: còn 1 lỗi phải sửa — Nội dung thứ 2"), "{shown}");
        assert!(shown.contains("Đoạn văn không được để trống"), "{shown}");
    }
}
