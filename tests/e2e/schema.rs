//! `docs/vanthu.document-1.schema.json` agrees with the Rust model and the catalogues.

use std::collections::BTreeSet;

use serde_json::Value;
use vanthu_core::exchange::json::BASE_FIELDS;
use vanthu_core::model::{Circulation, Family, Secrecy, Urgency};
use vanthu_core::ruleset::default_ruleset;

use super::repo;

/// Fields of `Document` without `#[serde(default)]`.
const REQUIRED: &[&str] = &["schema", "family", "kind", "issuer", "place", "body", "signer", "recipients"];

fn schema() -> Value {
    let path = repo().join("docs/vanthu.document-1.schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn set<S: Into<String>>(items: impl IntoIterator<Item = S>) -> BTreeSet<String> {
    items.into_iter().map(Into::into).collect()
}

/// The string members of a top-level property's `enum` (a nullable enum also lists `null`).
fn string_enum(schema: &Value, property: &str) -> BTreeSet<String> {
    let values =
        schema["properties"][property]["enum"].as_array().unwrap_or_else(|| panic!("`{property}` has no enum"));
    set(values.iter().filter_map(Value::as_str))
}

#[test]
fn schema_properties_are_the_base_fields_and_second_signer() {
    let schema = schema();
    let properties = schema["properties"].as_object().expect("top-level properties");
    let expected = set(BASE_FIELDS.iter().copied().chain(["second_signer"]));
    assert_eq!(set(properties.keys().cloned()), expected);
    assert_eq!(schema["additionalProperties"], Value::Bool(true), "extension fields are allowed");
}

#[test]
fn schema_required_fields_are_those_without_defaults() {
    let schema = schema();
    let required = schema["required"].as_array().expect("top-level required");
    let required = set(required.iter().map(|v| v.as_str().expect("required names are strings")));
    assert_eq!(required, set(REQUIRED.iter().copied()));
}

#[test]
fn schema_kinds_are_both_catalogues() {
    let expected = set(Family::ALL.iter().flat_map(|f| default_ruleset(*f).kinds.iter().map(|k| k.code.clone())));
    assert_eq!(string_enum(&schema(), "kind"), expected);
}

#[test]
fn schema_code_enums_match_the_model() {
    let schema = schema();
    assert_eq!(string_enum(&schema, "urgency"), set(Urgency::ALL.iter().map(|u| u.code())));
    assert_eq!(string_enum(&schema, "secrecy"), set(Secrecy::ALL.iter().map(|s| s.code())));
    assert_eq!(string_enum(&schema, "circulation"), set(Circulation::ALL.iter().map(|c| c.code())));
}

#[test]
fn schema_describes_format_revision_2() {
    let schema = schema();
    let kinds = schema["$defs"]["block"]["properties"]["kind"]["enum"].as_array().expect("block kinds");
    let kinds = set(kinds.iter().filter_map(Value::as_str));
    let model =
        set(["part", "chapter", "section", "article", "clause", "point", "heading", "paragraph", "table", "note"]);
    assert_eq!(kinds, model);
    // Every block kind of the schema is one the reader accepts.
    for kind in &kinds {
        let block = if kind == "table" {
            serde_json::json!({"kind": kind, "rows": [["a"]]})
        } else {
            serde_json::json!({"kind": kind, "text": "x"})
        };
        let parsed: Result<vanthu_core::model::Block, _> = serde_json::from_value(block);
        assert!(parsed.is_ok(), "{kind}: {parsed:?}");
    }
    for field in ["rows", "header_rows", "widths"] {
        assert!(schema["$defs"]["block"]["properties"][field].is_object(), "block.{field}");
    }
    let signer = &schema["$defs"]["signer"]["properties"];
    assert_eq!(signer["deputy"]["required"], serde_json::json!(["form", "principal"]));
    assert!(signer["extra_lines"].is_object());
}
