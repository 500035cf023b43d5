//! Đúng thể thức, the font: NĐ 30/2020 Phụ lục I mục I.2 and HD 36 require the
//! Vietnamese Unicode font of TCVN 6909:2001. A character the document font
//! (Liberation Serif, metric-compatible with Times New Roman) has no glyph for —
//! an emoji, a Chinese character — would be drawn as the empty "missing glyph"
//! box and fail PDF/A; `check` reports it and the PDF export refuses it.

use super::{Env, Out, RuleFn};
use crate::model::Document;
use crate::pdf::fonts::Face;

pub(super) const RULES: &[(&str, RuleFn)] = &[("TT-41", drawable)];

fn drawable(env: &Env<'_>, out: &mut Out) {
    for (pointer, c) in undrawable(env.doc) {
        out.report(pointer, message(c));
    }
}

/// The finding's text for an undrawable character.
pub fn message(c: char) -> String {
    format!(
        "Ký tự `{c}` (U+{:04X}) không có trong phông chữ tiếng Việt của văn bản (Times New Roman, \
         TCVN 6909:2001): bản PDF không in được ký tự này; hãy bỏ hoặc thay bằng chữ.",
        u32::from(c)
    )
}

/// Whether every face of the document font has a glyph for `c` (line breaks are
/// not drawn).
pub fn is_drawable(c: char) -> bool {
    c == '\n' || Face::ALL.iter().all(|face| face.metrics().covers(c))
}

/// Every text field holding a character the font cannot draw: (JSON Pointer, the
/// first such character), in document order.
pub fn undrawable(document: &Document) -> Vec<(String, char)> {
    let mut found = Vec::new();
    let value = serde_json::to_value(document).unwrap_or_default();
    walk(&value, &mut String::new(), &mut found);
    found
}

fn walk(value: &serde_json::Value, pointer: &mut String, found: &mut Vec<(String, char)>) {
    match value {
        serde_json::Value::String(s) => {
            if let Some(c) = s.chars().find(|c| !is_drawable(*c)) {
                found.push((pointer.clone(), c));
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                walk(item, pointer, found);
                pointer.truncate(len);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                walk(item, pointer, found);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}
