//! Reading and writing `vanthu.document/1` (see `docs/format.md`).
//!
//! Reading is strict: every error names the field as a JSON Pointer and the line
//! and column in the input. Writing is canonical: the spec's field order, two-space
//! indentation, absent optional fields written as `null`, unknown (extension)
//! fields kept and written after the base fields in key order, and a final newline.
//! Reading a written document and writing it again gives the same bytes.

use serde_json::Value;

use crate::model::Document;

/// Top-level fields of the base format, in the spec's order.
pub const BASE_FIELDS: &[&str] = &[
    "schema",
    "family",
    "kind",
    "issuer",
    "number",
    "notation",
    "place",
    "date",
    "subject",
    "addressees",
    "authority_line",
    "bases",
    "enacting_words",
    "body",
    "signer",
    "recipients",
    "urgency",
    "secrecy",
    "circulation",
    "drafter_code",
    "copies",
    "due_date",
    "appendices",
];

/// An input that is not a valid `vanthu.document/1`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} (dòng {line}, cột {column}): {message}", display_pointer(pointer))]
pub struct InputError {
    /// JSON Pointer to the faulty field (`/date`, `/body/2/kind`); `""` for the whole document.
    pub pointer: String,
    /// 1-based line in the input.
    pub line: usize,
    /// 1-based column in the input.
    pub column: usize,
    /// What is wrong, in Vietnamese (English in parentheses).
    pub message: String,
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() { "(toàn văn bản)" } else { pointer }
}

/// Parses a `vanthu.document/1` text, NFC-normalising every string.
pub fn parse_document(text: &str) -> Result<Document, InputError> {
    // Windows editors write a byte-order mark; it is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|e| InputError {
        pointer: String::new(),
        line: e.line(),
        column: e.column(),
        message: format!("không phải JSON hợp lệ: {} (not valid JSON)", strip_position(&e)),
    })?;
    let Value::Object(map) = value else {
        return Err(InputError {
            pointer: String::new(),
            line: 1,
            column: 1,
            message: "văn bản phải là một đối tượng JSON (the document must be a JSON object)".into(),
        });
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut document: Document = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let mut pointer = path_to_pointer(e.path());
        let inner = e.inner();
        let raw = strip_position(inner);
        let message = if let Some(field) = missing_field(&raw) {
            pointer.push('/');
            pointer.push_str(&escape_pointer_token(field));
            format!("thiếu trường bắt buộc `{field}` (missing required field)")
        } else {
            translate(&raw)
        };
        InputError { pointer, line: inner.line(), column: inner.column(), message }
    })?;
    document.extra = map.into_iter().filter(|(k, _)| !BASE_FIELDS.contains(&k.as_str())).collect();
    document.normalize();
    Ok(document)
}

/// Writes a document in the canonical form described in the module docs.
pub fn document_to_json(document: &Document) -> String {
    let mut value = serde_json::to_value(document).expect("a Document always serialises");
    if let Value::Object(map) = &mut value {
        for (key, extra) in &document.extra {
            map.insert(key.clone(), extra.clone());
        }
    }
    let mut out = serde_json::to_string_pretty(&value).expect("a Value always serialises");
    out.push('\n');
    out
}

fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.strip_suffix('`')
}

fn translate(message: &str) -> String {
    if message.starts_with("invalid type") {
        format!("kiểu giá trị không đúng: {message}")
    } else if message.starts_with("unknown variant") {
        format!("giá trị không được phép: {message}")
    } else if message.starts_with("invalid value") || message.starts_with("invalid length") {
        format!("giá trị không hợp lệ: {message}")
    } else {
        message.to_owned()
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const SAMPLE: &str = r#"{
  "schema": "vanthu.document/1",
  "family": "state",
  "kind": "quyet-dinh",
  "issuer": { "parent": "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC", "name": "VĂN PHÒNG", "abbreviation": "VP" },
  "number": "05",
  "notation": "QĐ-VP",
  "place": "Đồng Xoài",
  "date": "2026-03-05",
  "subject": "Về việc ban hành Quy chế làm việc của Văn phòng",
  "addressees": [],
  "authority_line": "CHÁNH VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH",
  "bases": ["Căn cứ Quyết định số 12/QĐ-UBND;", "Theo đề nghị của Trưởng phòng Hành chính - Tổ chức."],
  "enacting_words": "QUYẾT ĐỊNH:",
  "body": [
    { "kind": "article", "label": "Điều 1.", "title": null, "text": "Ban hành kèm theo Quyết định này Quy chế làm việc." },
    { "kind": "paragraph", "text": "Quyết định có hiệu lực từ ngày ký./." }
  ],
  "signer": { "form": "KT.", "principal": "CHÁNH VĂN PHÒNG", "position": "PHÓ CHÁNH VĂN PHÒNG", "name": "Lê Minh Tâm" },
  "recipients": ["Như Điều 3;", "Lưu: VT, HCTC."],
  "urgency": null,
  "secrecy": null,
  "circulation": null,
  "drafter_code": "HCTC",
  "copies": 10,
  "due_date": null,
  "appendices": []
}"#;

    #[test]
    fn parses_the_spec_example_and_round_trips() {
        let doc = parse_document(SAMPLE).expect("valid");
        assert_eq!(doc.kind.as_str(), "quyet-dinh");
        assert_eq!(doc.number_notation().as_deref(), Some("05/QĐ-VP"));
        let written = document_to_json(&doc);
        let again = parse_document(&written).expect("own output is valid");
        assert_eq!(again, doc);
        assert_eq!(document_to_json(&again), written, "canonical output is stable");
        let keys: Vec<String> = match serde_json::from_str::<Value>(&written).unwrap() {
            Value::Object(m) => m.keys().cloned().collect(),
            _ => unreachable!(),
        };
        assert_eq!(keys, BASE_FIELDS.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    }

    #[test]
    fn input_is_normalised_to_nfc() {
        let decomposed = SAMPLE.replace("Lê Minh Tâm", "Le\u{302} Minh Ta\u{302}m");
        let doc = parse_document(&decomposed).unwrap();
        assert_eq!(doc.signer.name, "Lê Minh Tâm");
    }

    #[test]
    fn extension_fields_are_kept() {
        let text = SAMPLE.replacen(
            "\"appendices\": []",
            "\"appendices\": [],\n  \"second_signer\": {\"position\": \"THƯ KÝ\", \"name\": \"Trần Thị Hoa\"}",
            1,
        );
        let doc = parse_document(&text).unwrap();
        assert!(doc.extra.contains_key("second_signer"));
        let again = parse_document(&document_to_json(&doc)).unwrap();
        assert_eq!(again.extra, doc.extra);
    }

    fn error_of(text: &str) -> InputError {
        parse_document(text).expect_err("must be refused")
    }

    #[test]
    fn not_json_is_refused_with_the_line() {
        let e = error_of("{\n  \"schema\": \"vanthu.document/1\",\n  oops\n}");
        assert_eq!(e.pointer, "");
        assert_eq!(e.line, 3);
    }

    #[test]
    fn missing_schema_is_named() {
        let e = error_of(&SAMPLE.replacen("\"schema\": \"vanthu.document/1\",", "", 1));
        assert_eq!(e.pointer, "/schema");
        assert!(e.message.contains("schema"));
    }

    #[test]
    fn wrong_schema_is_named() {
        let e = error_of(&SAMPLE.replacen("vanthu.document/1", "vanthu.document/2", 1));
        assert_eq!(e.pointer, "/schema");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn unknown_kind_is_named() {
        let e = error_of(&SAMPLE.replacen("\"quyet-dinh\"", "\"quyet-dinh-moi\"", 1));
        assert_eq!(e.pointer, "/kind");
        assert_eq!(e.line, 4);
        assert!(e.message.contains("quyet-dinh-moi"));
    }

    #[test]
    fn impossible_date_is_named() {
        let e = error_of(&SAMPLE.replacen("2026-03-05", "2024-02-30", 1));
        assert_eq!(e.pointer, "/date");
        assert_eq!(e.line, 9);
        assert!(e.message.contains("2024-02-30"));
        let e = error_of(&SAMPLE.replacen("2026-03-05", "05/03/2026", 1));
        assert_eq!(e.pointer, "/date");
    }

    #[test]
    fn unknown_urgency_is_named() {
        let e = error_of(&SAMPLE.replacen("\"urgency\": null", "\"urgency\": \"gap\"", 1));
        assert_eq!(e.pointer, "/urgency");
        assert_eq!(e.line, 21);
    }

    #[test]
    fn nested_errors_have_deep_pointers() {
        let e = error_of(&SAMPLE.replacen("\"kind\": \"paragraph\"", "\"kind\": \"verse\"", 1));
        assert_eq!(e.pointer, "/body/1/kind");
        let e = error_of(&SAMPLE.replacen("\"name\": \"Lê Minh Tâm\"", "\"name\": 7", 1));
        assert_eq!(e.pointer, "/signer/name");
        let e = error_of(&SAMPLE.replacen("\"position\": \"PHÓ CHÁNH VĂN PHÒNG\", ", "", 1));
        assert_eq!(e.pointer, "/signer/position");
    }

    /// A revision-2 document: a two-level signer with an extra line, a table, a note and
    /// `+ ` recipient sub-lines.
    pub(crate) fn revision_2() -> String {
        SAMPLE
            .replacen(
                "\"signer\": { \"form\": \"KT.\", \"principal\": \"CHÁNH VĂN PHÒNG\", \"position\": \"PHÓ CHÁNH VĂN PHÒNG\", \"name\": \"Lê Minh Tâm\" }",
                r#""signer": { "form": "TM.", "principal": "ỦY BAN NHÂN DÂN", "deputy": { "form": "KT.", "principal": "CHỦ TỊCH" }, "position": "PHÓ CHỦ TỊCH", "extra_lines": ["TRƯỞNG BAN CHỈ ĐẠO"], "name": "Lê Minh Tâm" }"#,
                1,
            )
            .replacen(
                "{ \"kind\": \"paragraph\", \"text\": \"Quyết định có hiệu lực từ ngày ký./.\" }",
                r#"{ "kind": "table", "text": null, "rows": [["TT", "Nội dung"], ["1", "Rà soát"]], "header_rows": 1, "widths": [1, 6.5] },
    { "kind": "paragraph", "text": "Quyết định có hiệu lực từ ngày ký./." },
    { "kind": "note", "text": "(Kèm theo Công văn số 847/UBND-VX)" }"#,
                1,
            )
            .replacen(
                "\"recipients\": [\"Như Điều 3;\", \"Lưu: VT, HCTC.\"]",
                r#""recipients": ["Như Điều 3;", "Bộ Nội vụ (để b/c);", "+ Vụ Pháp chế;", "+ Vụ Tổ chức;", "Lưu: VT, HCTC."]"#,
                1,
            )
            .replacen("\"drafter_code\": \"HCTC\"", "\"drafter_code\": \"LMTâm\"", 1)
    }

    #[test]
    fn revision_2_fields_are_read_and_written_back_byte_for_byte() {
        let text = revision_2();
        let doc = parse_document(&text).expect("revision 2 is valid");
        let deputy = doc.signer.deputy.as_ref().expect("deputy read");
        assert_eq!((deputy.form.as_str(), deputy.principal.as_str()), ("KT.", "CHỦ TỊCH"));
        assert_eq!(doc.signer.authority_lines(), ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]);
        assert_eq!(doc.signer.extra_lines, ["TRƯỞNG BAN CHỈ ĐẠO"]);
        let table = &doc.body[1];
        assert_eq!(table.kind, crate::model::BlockKind::Table);
        assert_eq!(table.column_count(), 2);
        assert_eq!(table.heading_rows(), 1);
        assert_eq!(table.widths.as_deref(), Some(&[1.0, 6.5][..]));
        assert_eq!(doc.body[3].kind, crate::model::BlockKind::Note);
        assert_eq!(doc.recipient_groups(), vec![(0, vec![]), (1, vec![2, 3]), (4, vec![])]);
        assert_eq!(doc.drafter_code.as_deref(), Some("LMTâm"), "initials keep their case");
        let shown = document_to_json(&doc);
        let imported = parse_document(&shown).unwrap();
        assert_eq!(imported, doc);
        assert_eq!(document_to_json(&imported), shown, "show → import → show is byte-identical");
        assert!(shown.contains("\"deputy\": {"), "{shown}");
        assert!(shown.contains("\"header_rows\": 1"));
    }

    #[test]
    fn a_revision_1_document_keeps_its_exact_bytes() {
        // Stored documents and signed contents were written before revision 2: the new
        // fields must not appear in their canonical text when absent.
        let doc = parse_document(SAMPLE).unwrap();
        let shown = document_to_json(&doc);
        for field in ["deputy", "extra_lines", "rows", "header_rows", "widths"] {
            assert!(!shown.contains(&format!("\"{field}\"")), "{field} written for a revision-1 document");
        }
        // An explicit null or empty list reads as absent.
        let with_nulls =
            SAMPLE.replacen("\"position\": \"PHÓ", "\"deputy\": null, \"extra_lines\": null, \"position\": \"PHÓ", 1);
        assert_eq!(document_to_json(&parse_document(&with_nulls).unwrap()), shown);
    }

    #[test]
    fn malformed_tables_are_refused_with_their_block() {
        let base = revision_2();
        let cases = [
            ("\"rows\": [[\"TT\", \"Nội dung\"], [\"1\", \"Rà soát\"]], ", "", "rows"),
            ("\"rows\": [[\"TT\", \"Nội dung\"], [\"1\", \"Rà soát\"]]", "\"rows\": []", "ít nhất"),
            ("\"header_rows\": 1", "\"header_rows\": 3", "header_rows"),
            ("\"widths\": [1, 6.5]", "\"widths\": [1]", "widths"),
            ("\"widths\": [1, 6.5]", "\"widths\": [1, -2]", "widths"),
        ];
        for (from, to, word) in cases {
            let text = base.replacen(from, to, 1);
            assert_ne!(text, base, "case {from} applies");
            let e = error_of(&text);
            assert_eq!(e.pointer, "/body/1", "{from} → {e}");
            assert!(e.message.contains(word), "{e}");
        }
        let e = error_of(&base.replacen("[\"1\", \"Rà soát\"]", "[\"1\", 2]", 1));
        assert_eq!(e.pointer, "/body/1/rows/1/1");
        let e = error_of(&SAMPLE.replacen("\"title\": null,", "\"title\": null, \"rows\": [[\"a\"]],", 1));
        assert_eq!(e.pointer, "/body/0");
        let e = error_of(&base.replacen("\"principal\": \"CHỦ TỊCH\" }", "\"principal\": 5 }", 1));
        assert_eq!(e.pointer, "/signer/deputy/principal");
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        assert!(parse_document(&format!("\u{feff}{SAMPLE}")).is_ok());
    }

    #[test]
    fn a_non_object_is_refused() {
        assert_eq!(error_of("[1, 2]").pointer, "");
    }
}
