//! The retention table (bảng thời hạn bảo quản) as editable data: the embedded
//! `assets/rules/retention.toml`, with an office override stored in the database
//! replacing or adding items by key.

use serde::{Deserialize, Serialize};

use crate::model::Retention;

/// The embedded retention table.
pub const RETENTION_TOML: &str = include_str!("../../../assets/rules/retention.toml");

/// One item of the retention table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionItem {
    /// Stable key (`quy-che-to-chuc`).
    pub key: String,
    /// Kind of file it covers.
    pub title: String,
    /// The period.
    pub retention: Retention,
    /// Where the period comes from.
    pub reference: String,
    /// Whether the period was checked against the legal source.
    pub verified: bool,
}

/// The retention table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionTable {
    /// The legal source of the table.
    pub source: String,
    /// Its items, in order.
    pub items: Vec<RetentionItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    key: String,
    title: String,
    retention: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    verified: bool,
}

/// Parses a retention table; the error names the item and says what is wrong.
pub fn parse_table(text: &str) -> Result<RetentionTable, String> {
    let raw: RawTable = toml::from_str(text).map_err(|e| format!("bảng thời hạn bảo quản không hợp lệ: {e}"))?;
    let mut items: Vec<RetentionItem> = Vec::with_capacity(raw.item.len());
    for item in raw.item {
        let key = item.key.trim().to_owned();
        if key.is_empty() || items.iter().any(|i| i.key == key) {
            return Err(format!("mục `{key}` của bảng thời hạn bảo quản trống hoặc trùng khóa"));
        }
        let retention = Retention::parse(&item.retention).ok_or_else(|| {
            format!("mục `{key}`: thời hạn `{}` phải là `Vĩnh viễn` hoặc số năm (vd. `20 năm`)", item.retention)
        })?;
        items.push(RetentionItem {
            key,
            title: crate::text::nfc(item.title.trim()),
            retention,
            reference: crate::text::nfc(&item.reference),
            verified: item.verified,
        });
    }
    Ok(RetentionTable { source: raw.source.unwrap_or_default(), items })
}

impl RetentionTable {
    /// The embedded table.
    pub fn embedded() -> Self {
        parse_table(RETENTION_TOML).expect("the embedded retention table is valid")
    }

    /// The table with `override_text` applied: items with a known key replace it,
    /// new keys are appended, and a `source` replaces the source.
    pub fn with_override(mut self, override_text: &str) -> Result<Self, String> {
        let over = parse_table(override_text)?;
        if !over.source.is_empty() {
            self.source = over.source;
        }
        for item in over.items {
            match self.items.iter_mut().find(|i| i.key == item.key) {
                Some(existing) => *existing = item,
                None => self.items.push(item),
            }
        }
        Ok(self)
    }

    /// The item with `key`.
    pub fn item(&self, key: &str) -> Option<&RetentionItem> {
        self.items.iter().find(|i| i.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_has_the_verified_item() {
        let table = RetentionTable::embedded();
        let item = table.item("quy-che-to-chuc").unwrap();
        assert_eq!(item.retention, Retention::Years(20));
        assert!(item.verified);
    }

    #[test]
    fn override_replaces_and_adds_items() {
        let table = RetentionTable::embedded()
            .with_override(
                "[[item]]\nkey = \"quy-che-to-chuc\"\ntitle = \"Quy chế\"\nretention = \"Vĩnh viễn\"\n\
                 [[item]]\nkey = \"moi\"\ntitle = \"Mới\"\nretention = \"15 năm\"\n",
            )
            .unwrap();
        assert_eq!(table.item("quy-che-to-chuc").unwrap().retention, Retention::Permanent);
        assert_eq!(table.item("moi").unwrap().retention, Retention::Years(15));
        let err = RetentionTable::embedded()
            .with_override("[[item]]\nkey = \"x\"\ntitle = \"X\"\nretention = \"lâu\"\n")
            .unwrap_err();
        assert!(err.contains("`x`"), "{err}");
    }
}
