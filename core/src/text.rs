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

/// Whether `c` is a toned a, e or y: the second vowel that carries the tone in the
/// old style (`oà`, `oé`, `uỷ`).
fn is_toned_second_vowel(c: char) -> bool {
    matches!(
        c,
        'à' | 'á'
            | 'ả'
            | 'ã'
            | 'ạ'
            | 'À'
            | 'Á'
            | 'Ả'
            | 'Ã'
            | 'Ạ'
            | 'è'
            | 'é'
            | 'ẻ'
            | 'ẽ'
            | 'ẹ'
            | 'È'
            | 'É'
            | 'Ẻ'
            | 'Ẽ'
            | 'Ẹ'
            | 'ỳ'
            | 'ý'
            | 'ỷ'
            | 'ỹ'
            | 'ỵ'
            | 'Ỳ'
            | 'Ý'
            | 'Ỷ'
            | 'Ỹ'
            | 'Ỵ'
    )
}

/// Rewrites the old-style tone placement (`oà`, `uỷ`, `oé` …) in the new style
/// (`òa`, `ủy`, `óe`), leaving `qu` + vowel alone (`quý` stays). The decree spells
/// both `CỘNG HÒA` and `CỘNG HOÀ` (vn-document-rules §1.12): compare names after this.
pub fn canonical_tone(s: &str) -> String {
    const MARKED: [(char, char, [char; 5]); 6] = [
        ('o', 'a', ['à', 'á', 'ả', 'ã', 'ạ']),
        ('O', 'A', ['À', 'Á', 'Ả', 'Ã', 'Ạ']),
        ('o', 'e', ['è', 'é', 'ẻ', 'ẽ', 'ẹ']),
        ('O', 'E', ['È', 'É', 'Ẻ', 'Ẽ', 'Ẹ']),
        ('u', 'y', ['ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ']),
        ('U', 'Y', ['Ỳ', 'Ý', 'Ỷ', 'Ỹ', 'Ỵ']),
    ];
    const TONED_FIRST: [[char; 5]; 6] = [
        ['ò', 'ó', 'ỏ', 'õ', 'ọ'],
        ['Ò', 'Ó', 'Ỏ', 'Õ', 'Ọ'],
        ['ò', 'ó', 'ỏ', 'õ', 'ọ'],
        ['Ò', 'Ó', 'Ỏ', 'Õ', 'Ọ'],
        ['ù', 'ú', 'ủ', 'ũ', 'ụ'],
        ['Ù', 'Ú', 'Ủ', 'Ũ', 'Ụ'],
    ];
    let s = nfc(s);
    if !s.chars().any(is_toned_second_vowel) {
        return s;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let after_q = i > 0 && matches!(chars[i - 1], 'q' | 'Q');
        let next_is_letter = chars.get(i + 2).is_some_and(|c| c.is_alphabetic());
        let mut replaced = false;
        if let Some(&next) = chars.get(i + 1).filter(|_| !after_q && !next_is_letter) {
            for (k, (first, _, toned)) in MARKED.iter().enumerate() {
                if c == *first
                    && let Some(t) = toned.iter().position(|x| *x == next)
                {
                    out.push(TONED_FIRST[k][t]);
                    out.push(MARKED[k].1);
                    i += 2;
                    replaced = true;
                    break;
                }
            }
        }
        if !replaced {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// A key for matching names: NFC, new-style tone marks, single spaces, upper case.
pub fn name_key(s: &str) -> String {
    // Names in documents are usually already keys (upper case, single spaces).
    let already = s.trim() == s
        && !s.contains("  ")
        && !s.chars().any(|c| c.is_lowercase() || is_toned_second_vowel(c))
        && unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes;
    if already {
        return s.to_owned();
    }
    canonical_tone(&s.split_whitespace().collect::<Vec<_>>().join(" ")).to_uppercase()
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
    fn old_style_tone_marks_are_canonicalised() {
        assert_eq!(canonical_tone("UỶ BAN NHÂN DÂN"), "ỦY BAN NHÂN DÂN");
        assert_eq!(canonical_tone("Đảng uỷ"), "Đảng ủy");
        assert_eq!(canonical_tone("CỘNG HOÀ"), "CỘNG HÒA");
        assert_eq!(canonical_tone("hoà bình"), "hòa bình");
        assert_eq!(canonical_tone("quý, thuý"), "quý, thúy");
        assert_eq!(canonical_tone("hoàng"), "hoàng", "oa followed by a consonant keeps its mark");
        assert_eq!(name_key("Ủy ban  nhân dân"), name_key("UỶ BAN NHÂN DÂN"));
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
