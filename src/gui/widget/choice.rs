//! The item of a pick list: a record's id or a fixed list's code, and what the
//! user reads.

/// A record offered in a picker: its id and what the user reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Database id, or 0 for fixed lists.
    pub id: i64,
    /// Code for fixed lists (kind code, rank code, retention item …).
    pub code: String,
    /// Label.
    pub label: String,
}

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// A record by id.
pub fn choice(id: i64, label: impl Into<String>) -> Choice {
    Choice { id, code: String::new(), label: label.into() }
}

/// An entry of a fixed list by code.
pub fn coded(code: &str, label: impl Into<String>) -> Choice {
    Choice { id: 0, code: code.to_owned(), label: label.into() }
}
