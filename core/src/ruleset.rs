//! The rulesets in `assets/rules/`: the law as data.
//!
//! Each family (state, Party) has one TOML ruleset embedded in the binary. This
//! module loads the parts the foundation needs (the catalogue of document types);
//! the rule engine adds its own sections to the same files.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::model::Family;

/// The embedded state ruleset (Nghị định 30/2020/NĐ-CP).
pub const STATE_RULESET_TOML: &str = include_str!("../../assets/rules/state-nd30-2020.toml");
/// The embedded Party ruleset (Hướng dẫn 36-HD/VPTW).
pub const PARTY_RULESET_TOML: &str = include_str!("../../assets/rules/party-hd36-2018.toml");

/// Header of a ruleset file.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct RulesetInfo {
    /// Identifier printed in findings (`state-nd30-2020`).
    pub id: String,
    /// The family the ruleset governs.
    pub family: Family,
    /// Title of the legal instrument.
    pub title: String,
    /// Short reference (`NĐ 30/2020`).
    pub reference: String,
}

/// One document type of a family's catalogue.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct KindDef {
    /// ASCII slug used in `vanthu.document/1` (`quyet-dinh`).
    pub code: String,
    /// Vietnamese type name (`Quyết định`).
    pub name: String,
    /// The type's abbreviation in the symbol (`QĐ`), empty when it has none.
    pub abbreviation: String,
    /// Presentation template of Phụ lục III, if any.
    #[serde(default)]
    pub template: String,
}

/// A ruleset as loaded from TOML.
#[derive(Debug, Clone, Deserialize)]
pub struct Ruleset {
    /// Header.
    pub ruleset: RulesetInfo,
    /// Catalogue of document types, in legal order.
    #[serde(rename = "kind")]
    pub kinds: Vec<KindDef>,
}

/// Error reading a ruleset.
#[derive(Debug, thiserror::Error)]
#[error("bộ quy tắc không hợp lệ: {0}")]
pub struct RulesetError(String);

impl Ruleset {
    /// Parses and validates a ruleset from TOML text.
    pub fn from_toml(text: &str) -> Result<Self, RulesetError> {
        let ruleset: Ruleset = toml::from_str(text).map_err(|e| RulesetError(e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for kind in &ruleset.kinds {
            if !seen.insert(kind.code.as_str()) {
                return Err(RulesetError(format!("loại văn bản trùng mã `{}`", kind.code)));
            }
            if kind.code.is_empty() || !kind.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
                return Err(RulesetError(format!("mã loại văn bản không hợp lệ `{}`", kind.code)));
            }
        }
        Ok(ruleset)
    }

    /// The type with this code, if the family has it.
    pub fn kind(&self, code: &str) -> Option<&KindDef> {
        self.kinds.iter().find(|k| k.code == code)
    }
}

/// The embedded default ruleset of a family.
pub fn default_ruleset(family: Family) -> &'static Ruleset {
    static STATE: OnceLock<Ruleset> = OnceLock::new();
    static PARTY: OnceLock<Ruleset> = OnceLock::new();
    match family {
        Family::State => STATE
            .get_or_init(|| Ruleset::from_toml(STATE_RULESET_TOML).expect("embedded state ruleset is valid (tested)")),
        Family::Party => PARTY
            .get_or_init(|| Ruleset::from_toml(PARTY_RULESET_TOML).expect("embedded party ruleset is valid (tested)")),
    }
}

/// Whether `code` is a document type of either family's catalogue.
pub fn is_known_kind(code: &str) -> bool {
    Family::ALL.iter().any(|f| default_ruleset(*f).kind(code).is_some())
}

/// The Vietnamese name of a kind code, looked up in the family first.
pub fn kind_name(family: Family, code: &str) -> Option<&'static str> {
    default_ruleset(family)
        .kind(code)
        .or_else(|| Family::ALL.iter().find_map(|f| default_ruleset(*f).kind(code)))
        .map(|k| k.name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rulesets_load() {
        let state = default_ruleset(Family::State);
        assert_eq!(state.ruleset.id, "state-nd30-2020");
        assert_eq!(state.kinds.len(), 29, "Điều 7 lists 29 types");
        assert_eq!(state.kind("quy-dinh").unwrap().abbreviation, "QyĐ");
        assert_eq!(state.kind("cong-van").unwrap().abbreviation, "");
        let party = default_ruleset(Family::Party);
        assert_eq!(party.ruleset.family, Family::Party);
        assert_eq!(party.kind("cong-van").unwrap().abbreviation, "CV");
        assert!(party.kind("ket-luan").is_some());
        assert!(state.kind("ket-luan").is_none());
    }

    #[test]
    fn known_kinds_cover_both_families() {
        assert!(is_known_kind("thong-tri"));
        assert!(is_known_kind("phieu-bao"));
        assert!(!is_known_kind("quyet-dinhx"));
        assert_eq!(kind_name(Family::State, "to-trinh"), Some("Tờ trình"));
    }

    #[test]
    fn duplicate_kind_is_rejected() {
        let text = "[ruleset]\nid='x'\nfamily='state'\ntitle='t'\nreference='r'\n\
                    [[kind]]\ncode='a'\nname='A'\nabbreviation='A'\n\
                    [[kind]]\ncode='a'\nname='B'\nabbreviation='B'\n";
        assert!(Ruleset::from_toml(text).is_err());
    }
}
