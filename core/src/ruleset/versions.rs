//! Versions of a ruleset by date.
//!
//! A ruleset file describes the rules as the *first* legal texts it follows; each
//! later `[[version]]` names the texts that replaced them, the date they took
//! effect, and a `patch` in the shape of an office override (`[params]`,
//! `[[kind]]`, `[[rule]]`, `[values]` …) applied over the versions before it. A
//! document is checked and laid out by the version in force on its date
//! ([`super::Ruleset::in_force_on`]). A file without `[[version]]` has one implicit
//! version, built from its `[ruleset]` header and `params.effective_from`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::RulesetError;

/// Whether a fact about a legal text was checked against its published text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Read in the published text (or a faithful copy of it).
    #[default]
    Verified,
    /// Reported by secondary sources only: editable data, to be confirmed.
    #[serde(rename = "UNCERTAIN")]
    Uncertain,
}

/// One legal text a ruleset version follows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct LegalText {
    /// Short reference (`QĐ 399-QĐ/TW`).
    pub reference: String,
    /// Title of the text.
    pub title: String,
    /// Issuing body.
    #[serde(default)]
    pub issuer: String,
    /// Date of issue, ISO `YYYY-MM-DD`.
    pub date: String,
    /// Date it took effect, ISO `YYYY-MM-DD`.
    pub effective_from: String,
    /// Whether the facts above were verified.
    #[serde(default)]
    pub confidence: Confidence,
    /// Where the text (or the report of it) was read.
    #[serde(default)]
    pub source: String,
    /// What it governs here, or what stays uncertain.
    #[serde(default)]
    pub note: String,
}

/// One `[[version]]` entry of a ruleset file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct VersionDef {
    /// Identifier printed in reports (`party-qd399-2026`).
    pub id: String,
    /// What the version follows, in Vietnamese.
    pub title: String,
    /// First day the version applies.
    pub effective_from: toml::value::Datetime,
    /// The legal texts it follows.
    #[serde(rename = "text", default)]
    pub texts: Vec<LegalText>,
    /// Changes over the version before, in the shape of an office override.
    #[serde(default)]
    pub patch: Option<toml::Table>,
}

/// The version a check used, as reports print it (`vanthu check --json`: `version`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionInfo {
    /// Version id (`party-qd399-2026`).
    pub id: String,
    /// What it follows.
    pub title: String,
    /// First day it applies, ISO.
    pub effective_from: String,
    /// The legal texts it follows.
    pub texts: Vec<LegalText>,
}

impl VersionDef {
    /// The first day the version applies.
    pub fn effective_date(&self) -> Option<NaiveDate> {
        toml_date(&self.effective_from)
    }

    /// The version as reports print it.
    pub fn info(&self) -> VersionInfo {
        VersionInfo {
            id: self.id.clone(),
            title: self.title.clone(),
            effective_from: self.effective_date().map(|d| d.to_string()).unwrap_or_default(),
            texts: self.texts.clone(),
        }
    }
}

/// A TOML date as a calendar date.
pub(super) fn toml_date(d: &toml::value::Datetime) -> Option<NaiveDate> {
    let d = d.date?;
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
}

/// Checks the versions of a file: unique ids, dates that parse and increase, legal
/// texts with ISO dates, and patches only where a version has a predecessor.
pub(super) fn validate(versions: &[VersionDef]) -> Result<(), RulesetError> {
    let mut last: Option<NaiveDate> = None;
    let mut ids = std::collections::HashSet::new();
    for (i, v) in versions.iter().enumerate() {
        if !ids.insert(v.id.as_str()) || v.id.trim().is_empty() {
            return Err(RulesetError(format!("phiên bản trùng hoặc rỗng mã `{}`", v.id)));
        }
        let date = v
            .effective_date()
            .ok_or_else(|| RulesetError(format!("phiên bản `{}`: effective_from phải là một ngày", v.id)))?;
        if last.is_some_and(|l| l >= date) {
            return Err(RulesetError(format!(
                "phiên bản `{}`: các phiên bản phải theo thứ tự ngày hiệu lực tăng dần",
                v.id
            )));
        }
        last = Some(date);
        if i == 0 && v.patch.is_some() {
            return Err(RulesetError(format!("phiên bản đầu `{}` là chính tệp quy tắc, không có patch", v.id)));
        }
        for t in &v.texts {
            for (name, value) in [("date", &t.date), ("effective_from", &t.effective_from)] {
                if crate::model::parse_iso_date(value).is_err() {
                    return Err(RulesetError(format!(
                        "phiên bản `{}`, văn bản {}: {name} không hợp lệ",
                        v.id, t.reference
                    )));
                }
            }
        }
    }
    Ok(())
}
