//! How an office's override and a later version of the law patch a ruleset's
//! table: parameters replaced, rules and kinds changed by id or code, with the
//! checks that keep an office from breaking the checks for everyone.

use super::RulesetError;

/// Applies an override (office) or a version patch over a ruleset table. A version
/// patch may also add rules and parameters; an office override may not.
pub(super) fn apply_patch(base: &mut toml::Table, patch: toml::Table, version: bool) -> Result<(), RulesetError> {
    for (key, value) in patch {
        match (key.as_str(), value) {
            ("params", toml::Value::Table(params)) => {
                let target = base.entry("params").or_insert_with(|| toml::Value::Table(Default::default()));
                let toml::Value::Table(target) = target else { unreachable!("params is a table") };
                for (k, v) in params {
                    if !version && !target.contains_key(&k) && !practice_key(&k) {
                        return Err(RulesetError(format!("tham số không tồn tại `{k}`")));
                    }
                    if !version {
                        check_office_param(&k, &v)?;
                    }
                    target.insert(k, v);
                }
            }
            ("rule", toml::Value::Array(entries)) => merge_entries(base, "rule", "id", entries, version)?,
            ("kind", toml::Value::Array(entries)) => merge_entries(base, "kind", "code", entries, true)?,
            ("source", toml::Value::Array(entries)) if version => {
                let list = base.entry("source").or_insert_with(|| toml::Value::Array(Vec::new()));
                if let toml::Value::Array(list) = list {
                    list.extend(entries);
                }
            }
            (section @ ("values" | "typography" | "numbering"), toml::Value::Table(patch)) => {
                let Some(toml::Value::Table(target)) = base.get_mut(section) else {
                    return Err(RulesetError(format!("thiếu mục `{section}`")));
                };
                merge_tables(target, patch);
            }
            (other, _) => return Err(RulesetError(format!("mục không điều chỉnh được `{other}`"))),
        }
    }
    Ok(())
}

/// Refuses an office's parameter that would break the checks for everyone: the
/// date the law took effect (not the office's to change), an empty mark or
/// separator, and an empty entry in a list (an empty placeholder matches every
/// text and blocks every submission).
fn check_office_param(key: &str, value: &toml::Value) -> Result<(), RulesetError> {
    const NOT_EMPTY: [&str; 8] = [
        "number_prefix",
        "number_separator",
        "notation_separator",
        "luu_prefix",
        "body_end_mark",
        "form_collective",
        "form_deputy",
        "form_by_order",
    ];
    if key == "effective_from" {
        return Err(RulesetError(
            "ngày hiệu lực là của văn bản quy phạm, cơ quan không điều chỉnh (effective_from is not an office setting)"
                .into(),
        ));
    }
    let empty = match value {
        toml::Value::String(text) => NOT_EMPTY.contains(&key) && text.trim().is_empty(),
        toml::Value::Array(items) => items.iter().any(|i| i.as_str().is_some_and(|t| t.trim().is_empty())),
        _ => false,
    };
    if empty {
        return Err(RulesetError(format!("tham số `{key}` không được để trống (empty value)")));
    }
    Ok(())
}

/// Whether `key` is a [`Practice`] parameter (it may be absent from a file that
/// keeps the default, and an office may still set it).
fn practice_key(key: &str) -> bool {
    const KEYS: [&str; 17] = [
        "subject_first_letter",
        "cong_van_subject_style",
        "recipient_line_marks",
        "addressee_line_marks",
        "single_addressee_marks",
        "bases_last_marks",
        "as_above_note_allowed",
        "appendix_numerals",
        "drafter_code_expected",
        "enacting_words_variants",
        "luu_holder_template",
        "untitled_collective_principals",
        "luu_other_forms_as_info",
        "luu_prefix_variants",
        "abolished_issuer_prefixes",
        "levels_abolished_from",
        "end_marks_as_info",
    ];
    KEYS.contains(&key)
}

fn merge_tables(target: &mut toml::Table, patch: toml::Table) {
    for (key, value) in patch {
        match (target.get_mut(&key), value) {
            (Some(toml::Value::Table(inner)), toml::Value::Table(patch)) => merge_tables(inner, patch),
            (_, value) => {
                target.insert(key, value);
            }
        }
    }
}

fn merge_entries(
    base: &mut toml::Table,
    section: &str,
    key: &str,
    entries: Vec<toml::Value>,
    may_add: bool,
) -> Result<(), RulesetError> {
    let Some(toml::Value::Array(list)) = base.get_mut(section) else {
        return Err(RulesetError(format!("thiếu mục `{section}`")));
    };
    for entry in entries {
        let toml::Value::Table(entry) = entry else {
            return Err(RulesetError(format!("mục `{section}` phải là bảng")));
        };
        let Some(id) = entry.get(key).and_then(|v| v.as_str()).map(str::to_owned) else {
            return Err(RulesetError(format!("mục `{section}` thiếu `{key}`")));
        };
        let existing = list.iter_mut().find(|v| v.get(key).and_then(|x| x.as_str()) == Some(id.as_str()));
        match existing {
            Some(toml::Value::Table(target)) => {
                for (k, v) in entry {
                    target.insert(k, v);
                }
            }
            _ if may_add => list.push(toml::Value::Table(entry)),
            _ => return Err(RulesetError(format!("không có {section} `{id}` để điều chỉnh"))),
        }
    }
    Ok(())
}
