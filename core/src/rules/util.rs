//! Small text helpers shared by the rules.

/// Whether `s` has no lower-case letter.
pub fn is_upper(s: &str) -> bool {
    !s.chars().any(char::is_lowercase)
}

/// `s` with its first letter in upper case.
pub fn capitalize_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether the first letter of `s` is lower case.
pub fn starts_lowercase(s: &str) -> bool {
    s.chars().find(|c| c.is_alphabetic()).is_some_and(char::is_lowercase)
}

/// `s` without trailing punctuation `. ; , :` and spaces.
pub fn trim_end_punct(s: &str) -> &str {
    s.trim_end_matches(|c: char| matches!(c, '.' | ';' | ',' | ':') || c.is_whitespace())
}

/// Roman numeral of `n` (1–3999).
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, letters) in TABLE {
        while n >= value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

/// Value of a Roman numeral written in canonical form, `None` otherwise.
pub fn parse_roman(s: &str) -> Option<u32> {
    if s.is_empty() || !s.chars().all(|c| "IVXLCDM".contains(c)) {
        return None;
    }
    let value = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        'D' => 500,
        _ => 1000,
    };
    let chars: Vec<i64> = s.chars().map(value).collect();
    let mut total: i64 = 0;
    for (i, v) in chars.iter().enumerate() {
        if chars.get(i + 1).is_some_and(|next| next > v) { total -= v } else { total += v }
    }
    let n = u32::try_from(total).ok()?;
    (roman(n) == s).then_some(n)
}

/// The letters of điểm labels, in Vietnamese alphabet order (no f, j, w, z).
pub const POINT_LETTERS: [char; 23] =
    ['a', 'b', 'c', 'd', 'đ', 'e', 'g', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'x', 'y'];

/// Leading decimal number of `s` and the rest.
pub fn leading_number(s: &str) -> Option<(u32, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    Some((s[..end].parse().ok()?, &s[end..]))
}

/// Collapses runs of spaces and trims: the value ND-15 expects.
pub fn tidy_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where a text field sits in a document; the JSON Pointer is built only when a
/// finding needs it (checks run on every keystroke and must stay cheap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `/place`.
    Place,
    /// `/subject`.
    Subject,
    /// `/addressees/i`.
    Addressee(usize),
    /// `/authority_line`.
    AuthorityLine,
    /// `/bases/i`.
    Basis(usize),
    /// `/body/i/label`.
    BlockLabel(usize),
    /// `/body/i/title`.
    BlockTitle(usize),
    /// `/body/i/text`.
    BlockText(usize),
    /// `/signer/principal`.
    Principal,
    /// `/signer/position`.
    Position,
    /// `/signer/name`.
    Name,
    /// `/recipients/i`.
    Recipient(usize),
    /// `/appendices/a/title`.
    AppendixTitle(usize),
    /// `/appendices/a/body/i/title`.
    AppendixBlockTitle(usize, usize),
    /// `/appendices/a/body/i/text`.
    AppendixBlockText(usize, usize),
}

impl Field {
    /// The JSON Pointer.
    pub fn pointer(self) -> String {
        match self {
            Field::Place => "/place".into(),
            Field::Subject => "/subject".into(),
            Field::Addressee(i) => format!("/addressees/{i}"),
            Field::AuthorityLine => "/authority_line".into(),
            Field::Basis(i) => format!("/bases/{i}"),
            Field::BlockLabel(i) => format!("/body/{i}/label"),
            Field::BlockTitle(i) => format!("/body/{i}/title"),
            Field::BlockText(i) => format!("/body/{i}/text"),
            Field::Principal => "/signer/principal".into(),
            Field::Position => "/signer/position".into(),
            Field::Name => "/signer/name".into(),
            Field::Recipient(i) => format!("/recipients/{i}"),
            Field::AppendixTitle(a) => format!("/appendices/{a}/title"),
            Field::AppendixBlockTitle(a, i) => format!("/appendices/{a}/body/{i}/title"),
            Field::AppendixBlockText(a, i) => format!("/appendices/{a}/body/{i}/text"),
        }
    }

    /// Whether it is a block label.
    pub fn is_label(self) -> bool {
        matches!(self, Field::BlockLabel(_))
    }

    /// Whether it is in an appendix.
    pub fn is_appendix(self) -> bool {
        matches!(self, Field::AppendixTitle(_) | Field::AppendixBlockTitle(..) | Field::AppendixBlockText(..))
    }

    /// Whether it is in the body.
    pub fn is_body(self) -> bool {
        matches!(self, Field::BlockTitle(_) | Field::BlockText(_))
    }
}

/// Calls `f` on every text field of a document, in document order.
pub fn for_each_text<'a>(doc: &'a crate::model::Document, mut f: impl FnMut(Field, &'a str)) {
    f(Field::Place, &doc.place);
    if let Some(s) = &doc.subject {
        f(Field::Subject, s);
    }
    for (i, a) in doc.addressees.iter().enumerate() {
        f(Field::Addressee(i), a);
    }
    if let Some(s) = &doc.authority_line {
        f(Field::AuthorityLine, s);
    }
    for (i, b) in doc.bases.iter().enumerate() {
        f(Field::Basis(i), b);
    }
    for (i, block) in doc.body.iter().enumerate() {
        if let Some(s) = &block.label {
            f(Field::BlockLabel(i), s);
        }
        if let Some(s) = &block.title {
            f(Field::BlockTitle(i), s);
        }
        if let Some(s) = &block.text {
            f(Field::BlockText(i), s);
        }
    }
    if let Some(s) = &doc.signer.principal {
        f(Field::Principal, s);
    }
    f(Field::Position, &doc.signer.position);
    f(Field::Name, &doc.signer.name);
    for (i, r) in doc.recipients.iter().enumerate() {
        f(Field::Recipient(i), r);
    }
    for (a, appendix) in doc.appendices.iter().enumerate() {
        if let Some(s) = &appendix.title {
            f(Field::AppendixTitle(a), s);
        }
        for (i, block) in appendix.body.iter().enumerate() {
            if let Some(s) = &block.title {
                f(Field::AppendixBlockTitle(a, i), s);
            }
            if let Some(s) = &block.text {
                f(Field::AppendixBlockText(a, i), s);
            }
        }
    }
}

/// The number of an article label (`Điều 3.` gives 3), whatever the case of "Điều".
pub fn article_number(label: &str) -> Option<u32> {
    let label = label.trim();
    let rest = ["Điều", "điều", "ĐIỀU"].iter().find_map(|w| label.strip_prefix(w))?;
    leading_number(rest.trim_start()).map(|(n, _)| n)
}

/// Whether a recipient line is "Như trên".
pub fn is_as_above(line: &str) -> bool {
    matches!(trim_end_punct(line.trim_start_matches(['-', ' '])), "Như trên" | "như trên" | "NHƯ TRÊN")
}

/// What one pass over a text field found: stray spaces, bracket counts, a placeholder.
#[derive(Debug, Clone, Copy)]
pub struct TextScan<'a> {
    /// The field.
    pub field: Field,
    /// Its text.
    pub text: &'a str,
    /// Whether it needs [`tidy_spaces`].
    pub stray_spaces: bool,
    /// Counts of (, ), ", “ and ”.
    pub brackets: [usize; 5],
    /// Index of the first placeholder marker found.
    pub marker: Option<usize>,
    /// Parentheses left open, and closing ones with no opening one that are not
    /// inline enumerators (`a)`, `2)`).
    pub unbalanced_parentheses: bool,
}

/// Scans every text field of `doc` once for the three text rules.
pub fn scan_texts<'a>(doc: &'a crate::model::Document, markers: &[String]) -> Vec<TextScan<'a>> {
    use memchr::memmem::Finder;
    // SIMD searches: most fields contain none of these bytes, so each field costs a
    // few vectorised passes rather than a branch per byte.
    let marker_finders: Vec<Finder<'_>> = markers.iter().map(|m| Finder::new(m.as_bytes())).collect();
    let double_space = Finder::new(b"  ");
    let no_break_space = Finder::new("\u{a0}".as_bytes());
    let left_quote = Finder::new("“".as_bytes());
    let right_quote = Finder::new("”".as_bytes());
    // One pass over the whole document first: a clean document (the common case)
    // then needs no per-field search at all. Fields are joined with NUL, which no
    // marker contains.
    let mut all = Vec::with_capacity(4096);
    for_each_text(doc, |_, text| {
        all.extend_from_slice(text.as_bytes());
        all.push(0);
    });
    let any_marker = marker_finders.iter().any(|f| f.find(&all).is_some());
    let any_space = double_space.find(&all).is_some()
        || memchr::memchr3(b'\t', b'\n', b'\r', &all).is_some()
        || no_break_space.find(&all).is_some();
    let any_bracket = memchr::memchr3(b'(', b')', b'"', &all).is_some();
    let any_curly = memchr::memchr(0xE2, &all).is_some();
    let mut out = Vec::with_capacity(32);
    for_each_text(doc, |field, text| {
        let bytes = text.as_bytes();
        let stray_spaces = text.starts_with(char::is_whitespace)
            || text.ends_with(char::is_whitespace)
            || any_space
                && (double_space.find(bytes).is_some()
                    || memchr::memchr3(b'\t', b'\n', b'\r', bytes).is_some()
                    || no_break_space.find(bytes).is_some());
        let marker = if any_marker {
            marker_finders.iter().enumerate().filter_map(|(k, f)| f.find(bytes).map(|at| (at, k))).min().map(|(_, k)| k)
        } else {
            None
        };
        let mut brackets = [0usize; 5];
        let mut depth = 0usize;
        let mut unbalanced_parentheses = false;
        let positions = if any_bracket { Some(memchr::memchr3_iter(b'(', b')', b'"', bytes)) } else { None };
        for i in positions.into_iter().flatten() {
            match bytes[i] {
                b'(' => {
                    brackets[0] += 1;
                    depth += 1;
                }
                b')' => {
                    brackets[1] += 1;
                    if depth > 0 {
                        depth -= 1;
                    } else if !is_enumerator(text, i) {
                        unbalanced_parentheses = true;
                    }
                }
                _ => brackets[2] += 1,
            }
        }
        if any_curly && memchr::memchr(0xE2, bytes).is_some() {
            brackets[3] = left_quote.find_iter(bytes).count();
            brackets[4] = right_quote.find_iter(bytes).count();
        }
        out.push(TextScan {
            field,
            text,
            stray_spaces,
            brackets,
            marker,
            unbalanced_parentheses: unbalanced_parentheses || depth > 0,
        });
    });
    out
}

/// Whether the `)` at byte `at` closes an inline enumerator such as ` a)` or ` 2)`.
fn is_enumerator(text: &str, at: usize) -> bool {
    let before = &text[..at];
    let token: &str = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    let starts_token =
        before.len() == token.len() || before[..before.len() - token.len()].ends_with(char::is_whitespace);
    starts_token && !token.is_empty() && token.chars().count() <= 2 && token.chars().all(char::is_alphanumeric)
}

/// The mixed-case abbreviation among `known` that starts `text` (longest first),
/// compared exactly or, with `any_case`, ignoring case.
fn known_segment<'k>(text: &str, known: &[&'k str], any_case: bool) -> Option<&'k str> {
    known
        .iter()
        .filter(|k| !k.is_empty())
        .filter(|k| {
            if any_case {
                text.get(..k.len()).is_some_and(|head| head.to_lowercase() == k.to_lowercase())
            } else {
                text.starts_with(**k)
            }
        })
        .max_by_key(|k| k.len())
        .copied()
}

/// The mixed-case abbreviations that keep their case: the kinds' (Phụ lục III) and the
/// ruleset's list.
pub fn known_mixed_case(ruleset: &crate::ruleset::Ruleset) -> Vec<&str> {
    let kinds = ruleset.kinds.iter().map(|k| k.abbreviation.as_str());
    kinds
        .chain(ruleset.params.mixed_case_abbreviations.iter().map(String::as_str))
        .filter(|a| a.chars().any(char::is_lowercase))
        .collect()
}

/// Whether `code` is upper case apart from the mixed-case abbreviations it is made
/// of (`CTrTT` is `CTr` + `TT`; `QyĐ`, `TTr` keep their case: NĐ 30, Phụ lục III).
pub fn is_upper_with_known_mixed(code: &str, known: &[&str]) -> bool {
    let mut rest = code;
    while let Some(c) = rest.chars().next() {
        if let Some(segment) = known_segment(rest, known, false) {
            rest = &rest[segment.len()..];
        } else if c.is_lowercase() {
            return false;
        } else {
            rest = &rest[c.len_utf8()..];
        }
    }
    true
}

/// `code` in upper case, the known mixed-case abbreviations in it spelled as known
/// (`ctrtt` → `CTrTT`).
pub fn upper_with_known_mixed(code: &str, known: &[&str]) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(c) = rest.chars().next() {
        if let Some(segment) = known_segment(rest, known, true) {
            out.push_str(segment);
            rest = &rest[segment.len()..];
        } else {
            out.extend(c.to_uppercase());
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Whether `text` contains `needle` in lower case, capitalised or upper case.
pub fn contains_any_case(text: &str, needle: &str) -> bool {
    text.contains(needle) || text.contains(&capitalize_first(needle)) || text.contains(&needle.to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_round_trip() {
        for n in 1..200 {
            assert_eq!(parse_roman(&roman(n)), Some(n));
        }
        assert_eq!(parse_roman("IIII"), None);
        assert_eq!(parse_roman("2"), None);
    }

    #[test]
    fn helpers() {
        assert!(is_upper("ỦY BAN NHÂN DÂN"));
        assert!(!is_upper("Ủy ban"));
        assert_eq!(capitalize_first("đề nghị"), "Đề nghị");
        assert_eq!(trim_end_punct("Như trên; "), "Như trên");
        assert_eq!(tidy_spaces("  a  b "), "a b");
        assert_eq!(leading_number("12. x"), Some((12, ". x")));
    }

    #[test]
    fn mixed_case_abbreviations_keep_their_case() {
        let known = ["CTr", "TTr", "QyĐ", "TTg"];
        assert!(is_upper_with_known_mixed("CTrTT", &known));
        assert!(is_upper_with_known_mixed("TTr.NVA", &known));
        assert!(is_upper_with_known_mixed("KGVX", &known));
        assert!(!is_upper_with_known_mixed("Ctr", &known));
        assert!(!is_upper_with_known_mixed("hctc", &known));
        assert_eq!(upper_with_known_mixed("ctrtt", &known), "CTrTT");
        assert_eq!(upper_with_known_mixed("hctc", &known), "HCTC");
        assert_eq!(upper_with_known_mixed("qyđ", &known), "QyĐ");
    }
}
