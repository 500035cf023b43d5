//! Safe autofixes: apply every correction the rules are certain of, re-check,
//! repeat until nothing fixable is left.

use serde_json::Value;

use super::{CheckContext, Finding, check};
use crate::exchange::{document_to_json, parse_document};
use crate::model::Document;
use crate::ruleset::Ruleset;

/// The result of [`apply_fixes`].
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// The corrected document.
    pub document: Document,
    /// The findings that were corrected, in order.
    pub applied: Vec<Finding>,
    /// What is left after the corrections.
    pub remaining: Vec<Finding>,
}

/// Sets the string at `pointer`; an array index equal to the length appends.
pub(super) fn set_pointer(root: &mut Value, pointer: &str, value: &str) -> bool {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let Some((last, parents)) = tokens.split_last() else { return false };
    let mut node = root;
    for token in parents {
        node = match node {
            Value::Object(map) => match map.get_mut(token) {
                Some(v) => v,
                None => return false,
            },
            Value::Array(items) => match token.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    match node {
        Value::Object(map) => {
            map.insert(last.clone(), Value::String(value.to_owned()));
            true
        }
        Value::Array(items) => match last.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items[i] = Value::String(value.to_owned());
                true
            }
            Ok(i) if i == items.len() => {
                items.push(Value::String(value.to_owned()));
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// Applies every safe autofix to `document` until none is left (at most ten rounds).
pub fn apply_fixes(document: &Document, ruleset: &Ruleset, ctx: &CheckContext<'_>) -> FixOutcome {
    let mut current = document.clone();
    let mut applied = Vec::new();
    for _ in 0..10 {
        let findings = check(&current, ruleset, ctx);
        let mut value: Value = serde_json::from_str(&document_to_json(&current)).expect("own JSON parses");
        let mut touched: Vec<&str> = Vec::new();
        let mut round = Vec::new();
        for finding in &findings {
            let Some(fix) = finding.fix.as_deref() else { continue };
            if touched.contains(&finding.field.as_str()) {
                continue;
            }
            if set_pointer(&mut value, &finding.field, fix) {
                touched.push(&finding.field);
                round.push(finding.clone());
            }
        }
        if round.is_empty() {
            return FixOutcome { document: current, applied, remaining: findings };
        }
        match parse_document(&value.to_string()) {
            Ok(next) => current = next,
            Err(_) => break,
        }
        applied.extend(round);
    }
    let remaining = check(&current, ruleset, ctx);
    FixOutcome { document: current, applied, remaining }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_replace_and_append() {
        let mut v: Value = serde_json::json!({"a": ["x", "y"], "b": {"c": "d"}});
        assert!(set_pointer(&mut v, "/a/1", "z"));
        assert!(set_pointer(&mut v, "/a/2", "w"));
        assert!(set_pointer(&mut v, "/b/c", "e"));
        assert!(!set_pointer(&mut v, "/a/9", "no"));
        assert!(!set_pointer(&mut v, "/q/0", "no"));
        assert_eq!(v, serde_json::json!({"a": ["x", "z", "w"], "b": {"c": "e"}}));
    }
}
