//! Vietnamese text helpers: NFC normalisation and the folded search key.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Returns `s` in Unicode NFC (the form every stored string uses).
pub fn nfc(s: &str) -> String {
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        return s.to_owned();
    }
    s.nfc().collect()
}

/// Normalises `s` to NFC in place.
pub fn nfc_in_place(s: &mut String) {
    if unicode_normalization::is_nfc_quick(s.chars()) != unicode_normalization::IsNormalized::Yes {
        *s = s.nfc().collect();
    }
}

/// The search key of a text: lower case, diacritics removed, `đ` folded to `d`.
///
/// `fold("Đảng ủy Quyết định")` is `"dang uy quyet dinh"`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Compares two strings after NFC normalisation.
pub fn eq_nfc(a: &str, b: &str) -> bool {
    a == b || nfc(a) == nfc(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_decomposed_vietnamese() {
        let decomposed = "Quye\u{302}\u{301}t đi\u{323}nh";
        assert_eq!(nfc(decomposed), "Quyết định");
        assert!(eq_nfc(decomposed, "Quyết định"));
        assert!(!eq_nfc("Quyết định", "Quyet dinh"));
    }

    #[test]
    fn fold_removes_marks_and_folds_d_bar() {
        assert_eq!(fold("Đảng ủy"), "dang uy");
        assert_eq!(fold("QUYẾT ĐỊNH"), "quyet dinh");
        assert_eq!(fold("đường"), fold("dương"));
        assert_eq!(fold("NĐ-CP"), "nd-cp");
    }
}

/// The date as printed in a document (NĐ 30 Phụ lục I II.4): days below 10 and
/// months 1 and 2 take a leading zero, `ngày 05 tháng 3 năm 2026`.
pub fn vietnamese_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let month = if date.month() <= 2 { format!("{:02}", date.month()) } else { date.month().to_string() };
    format!("ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

#[cfg(test)]
mod date_tests {
    use super::vietnamese_date;

    #[test]
    fn leading_zeros_follow_the_decree() {
        let d = |s: &str| s.parse().unwrap();
        assert_eq!(vietnamese_date(d("2020-01-05")), "ngày 05 tháng 01 năm 2020");
        assert_eq!(vietnamese_date(d("2019-06-29")), "ngày 29 tháng 6 năm 2019");
        assert_eq!(vietnamese_date(d("2026-02-10")), "ngày 10 tháng 02 năm 2026");
        assert_eq!(vietnamese_date(d("2026-12-01")), "ngày 01 tháng 12 năm 2026");
    }
}
