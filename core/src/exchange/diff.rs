//! Field-level differences between two versions of a document.

use serde_json::Value;

/// One difference: the JSON Pointer, the old value and the new one (`null` when absent).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// Where.
    pub field: String,
    /// Before.
    pub before: Value,
    /// After.
    pub after: Value,
}

/// The leaf differences between two JSON values, in document order.
pub fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk("", before, after, &mut out);
    out
}

fn walk(pointer: &str, before: &Value, after: &Value, out: &mut Vec<Change>) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, va) in a {
                let p = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                walk(&p, va, b.get(key).unwrap_or(&Value::Null), out);
            }
            for (key, vb) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                let p = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                walk(&p, &Value::Null, vb, out);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                walk(
                    &format!("{pointer}/{i}"),
                    a.get(i).unwrap_or(&Value::Null),
                    b.get(i).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (a, b) if a != b => out.push(Change { field: pointer.to_owned(), before: a.clone(), after: b.clone() }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_changes_are_named_by_pointer() {
        let a = serde_json::json!({"subject": "Về việc A", "body": [{"text": "x"}], "copies": 3});
        let b = serde_json::json!({"subject": "Về việc B", "body": [{"text": "x"}, {"text": "y"}], "copies": 3});
        let changes = diff(&a, &b);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["/subject", "/body/1"]);
        assert!(diff(&a, &a).is_empty());
    }
}
