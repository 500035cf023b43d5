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

/// Every text field of a document with its JSON Pointer, in document order.
pub fn text_fields<'a>(doc: &'a crate::model::Document) -> Vec<(String, &'a str)> {
    let mut out: Vec<(String, &'a str)> = Vec::new();
    let mut push = |pointer: String, value: Option<&'a str>| {
        if let Some(v) = value {
            out.push((pointer, v));
        }
    };
    push("/place".into(), Some(&doc.place));
    push("/subject".into(), doc.subject.as_deref());
    for (i, a) in doc.addressees.iter().enumerate() {
        push(format!("/addressees/{i}"), Some(a));
    }
    push("/authority_line".into(), doc.authority_line.as_deref());
    for (i, b) in doc.bases.iter().enumerate() {
        push(format!("/bases/{i}"), Some(b));
    }
    for (i, block) in doc.body.iter().enumerate() {
        push(format!("/body/{i}/label"), block.label.as_deref());
        push(format!("/body/{i}/title"), block.title.as_deref());
        push(format!("/body/{i}/text"), block.text.as_deref());
    }
    push("/signer/principal".into(), doc.signer.principal.as_deref());
    push("/signer/position".into(), Some(&doc.signer.position));
    push("/signer/name".into(), Some(&doc.signer.name));
    for (i, r) in doc.recipients.iter().enumerate() {
        push(format!("/recipients/{i}"), Some(r));
    }
    for (a, appendix) in doc.appendices.iter().enumerate() {
        push(format!("/appendices/{a}/title"), appendix.title.as_deref());
        for (i, block) in appendix.body.iter().enumerate() {
            push(format!("/appendices/{a}/body/{i}/title"), block.title.as_deref());
            push(format!("/appendices/{a}/body/{i}/text"), block.text.as_deref());
        }
    }
    out
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
}
