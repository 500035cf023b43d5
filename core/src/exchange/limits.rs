//! Bounds on what a `vanthu.document/1` file may hold, checked before anything is
//! stored: the input size, text lengths, control characters, the number and the
//! date. Each refusal names the JSON Pointer of the field (docs/format.md, "Giới hạn").

use chrono::NaiveDate;
use serde_json::Value;

use super::json::InputError;

/// Largest input accepted, in bytes (10 MB).
pub const MAX_INPUT_BYTES: usize = 10 * 1024 * 1024;
/// Longest subject (trích yếu), in characters.
pub const MAX_SUBJECT_CHARS: usize = 1_000;
/// Longest text of one body block, in characters.
pub const MAX_BLOCK_TEXT_CHARS: usize = 20_000;
/// Longest of any other text field, in characters.
pub const MAX_FIELD_CHARS: usize = 1_000;
/// Most items in one list (body blocks, recipients, bases…).
pub const MAX_LIST_ITEMS: usize = 2_000;
/// Highest document number (số): numbers run 1 … 9,999,999.
pub const MAX_NUMBER: u32 = 9_999_999;

/// The earliest document date: the founding of the Democratic Republic of Viet Nam.
pub fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1945, 9, 2).expect("valid date")
}

/// The latest document date accepted.
pub fn latest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2200, 12, 31).expect("valid date")
}

fn error(text: &str, pointer: &str, message: String) -> InputError {
    // The line of the field's key, for the message (values carry no position).
    let key = pointer.rsplit('/').next().unwrap_or("");
    let (line, column) = if key.is_empty() || key.parse::<usize>().is_ok() {
        (1, 1)
    } else {
        let needle = format!("\"{key}\"");
        text.find(&needle).map_or((1, 1), |at| {
            let before = &text[..at];
            (before.matches('\n').count() + 1, before.rfind('\n').map_or(at, |nl| at - nl - 1) + 1)
        })
    };
    InputError { pointer: pointer.to_owned(), line, column, message }
}

/// Refuses input larger than [`MAX_INPUT_BYTES`].
pub fn check_size(text: &str) -> Result<(), InputError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(InputError {
            pointer: String::new(),
            line: 1,
            column: 1,
            message: format!(
                "tệp dài {} byte, vượt giới hạn {} byte (10 MB) (input too large)",
                text.len(),
                MAX_INPUT_BYTES
            ),
        });
    }
    Ok(())
}

/// Checks every string and list of the parsed JSON: lengths, and no control
/// character (NUL, tab, CR…); a line break only inside a body block's `text`.
pub fn check_value(text: &str, value: &Value) -> Result<(), InputError> {
    walk(text, value, &mut String::new())
}

fn walk(text: &str, value: &Value, pointer: &mut String) -> Result<(), InputError> {
    match value {
        Value::String(s) => check_string(text, pointer, s),
        Value::Array(items) => {
            if items.len() > MAX_LIST_ITEMS {
                return Err(error(
                    text,
                    pointer,
                    format!("danh sách có {} mục, tối đa {MAX_LIST_ITEMS} (too many items)", items.len()),
                ));
            }
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                walk(text, item, pointer)?;
                pointer.truncate(len);
            }
            Ok(())
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                walk(text, item, pointer)?;
                pointer.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn is_block_text(pointer: &str) -> bool {
    let mut parts = pointer.split('/').skip(1);
    matches!(
        (parts.next(), parts.next().map(|i| i.parse::<usize>().is_ok()), parts.next(), parts.next()),
        (Some("body"), Some(true), Some("text"), None)
    )
}

fn check_string(text: &str, pointer: &str, s: &str) -> Result<(), InputError> {
    let block_text = is_block_text(pointer);
    // Format revision 2: the issuer's lines may break where the printed name breaks.
    let line_breaks = block_text || matches!(pointer, "/issuer/name" | "/issuer/parent");
    let limit = if pointer == "/subject" {
        MAX_SUBJECT_CHARS
    } else if block_text {
        MAX_BLOCK_TEXT_CHARS
    } else {
        MAX_FIELD_CHARS
    };
    let chars = s.chars().count();
    if chars > limit {
        return Err(error(text, pointer, format!("dài {chars} ký tự, tối đa {limit} ký tự (text too long)")));
    }
    if let Some(c) = s.chars().find(|c| c.is_control() && !(line_breaks && *c == '\n')) {
        let name = match c {
            '\0' => "NUL".to_owned(),
            '\t' => "tab".to_owned(),
            '\r' => "CR".to_owned(),
            '\n' => "xuống dòng".to_owned(),
            other => format!("U+{:04X}", u32::from(other)),
        };
        return Err(error(
            text,
            pointer,
            format!("có ký tự điều khiển {name}, không được phép trong văn bản (control character)"),
        ));
    }
    Ok(())
}

/// The number is 1 … 9,999,999 written in digits; the date lies between
/// 1945-09-02 and 2200-12-31.
pub fn check_number_and_date(text: &str, number: Option<&str>, date: Option<NaiveDate>) -> Result<(), InputError> {
    if let Some(number) = number {
        let value = (!number.is_empty() && number.len() <= 8 && number.bytes().all(|b| b.is_ascii_digit()))
            .then(|| number.parse::<u32>().ok())
            .flatten();
        if !value.is_some_and(|n| (1..=MAX_NUMBER).contains(&n)) {
            return Err(error(
                text,
                "/number",
                format!("số `{number}` phải là số nguyên dương từ 1 đến 9.999.999 (number out of range)"),
            ));
        }
    }
    if let Some(date) = date
        && !(earliest_date()..=latest_date()).contains(&date)
    {
        return Err(error(
            text,
            "/date",
            format!("ngày {date} ngoài khoảng 1945-09-02 … 2200-12-31 (date out of range)"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn control_characters_are_refused_with_their_pointer() {
        for (json, pointer) in [
            (r#"{"subject": "a\u0000b"}"#, "/subject"),
            (r#"{"subject": "a\tb"}"#, "/subject"),
            (r#"{"body": [{"text": "a\rb"}]}"#, "/body/0/text"),
            (r#"{"recipients": ["x\ny"]}"#, "/recipients/0"),
        ] {
            let err = check_value(json, &value(json)).unwrap_err();
            assert_eq!(err.pointer, pointer, "{json}");
        }
        let ok = r#"{"body": [{"text": "dòng 1\ndòng 2"}], "issuer": {"name": "ỦY BAN\nNHÂN DÂN"}}"#;
        assert!(check_value(ok, &value(ok)).is_ok(), "a line break is allowed in a block's text");
    }

    #[test]
    fn lengths_numbers_and_dates_are_bounded() {
        let long = format!(r#"{{"subject": "{}"}}"#, "a".repeat(MAX_SUBJECT_CHARS + 1));
        assert_eq!(check_value(&long, &value(&long)).unwrap_err().pointer, "/subject");
        let fits = format!(r#"{{"subject": "{}"}}"#, "ạ".repeat(MAX_SUBJECT_CHARS));
        assert!(check_value(&fits, &value(&fits)).is_ok());
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        for bad in ["-5", "0", "100000000000000000000000", "10000000", "1e3", ""] {
            assert!(check_number_and_date("", Some(bad), None).is_err(), "{bad}");
        }
        for good in ["1", "01", "9999999"] {
            assert!(check_number_and_date("", Some(good), None).is_ok(), "{good}");
        }
        assert!(check_number_and_date("", None, d(1945, 9, 1)).is_err());
        assert!(check_number_and_date("", None, d(9999, 12, 31)).is_err());
        assert!(check_number_and_date("", None, d(1, 1, 1)).is_err());
        assert!(check_number_and_date("", None, d(1945, 9, 2)).is_ok());
        assert!(check_number_and_date("", None, d(2200, 12, 31)).is_ok());
        assert!(check_size(&" ".repeat(MAX_INPUT_BYTES + 1)).is_err());
    }
}
