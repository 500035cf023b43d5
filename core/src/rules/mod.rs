//! The 4-đúng rule engine: a deterministic gate over one document.
//!
//! Every rule is a small pure function with an id (`TT-` thể thức, `TQ-` thẩm
//! quyền, `ND-` nội dung, `QT-` quy trình, `TG-` thời gian). Its category,
//! severity, legal reference and whether the office applies it come from the
//! family's ruleset (`assets/rules/*.toml`, possibly overridden from the database);
//! its parameters too. [`check`] runs the rules the ruleset enables and returns the
//! findings in the shape of `vanthu check --json`.

mod authority;
mod content;
mod fix;
mod format;
pub mod glyphs;
mod procedure;
mod recipients;
mod time;
mod two_level;
pub(crate) mod util;

use chrono::NaiveDate;
use serde::Serialize;

pub use fix::{FixOutcome, apply_fixes};

use crate::calendar::WorkCalendar;
use crate::model::{Delegation, Document, Family};
use crate::ruleset::{Category, Params, RuleDef, Ruleset, Severity};

/// One finding, as printed by `vanthu check --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id (`TT-03`).
    pub rule: String,
    /// The đúng it belongs to.
    pub category: Category,
    /// Error (blocks the next step), warning, or information (no defect).
    pub severity: Severity,
    /// JSON Pointer to the field; `""` for the whole document.
    pub field: String,
    /// What is wrong and what is expected, in Vietnamese.
    pub message: String,
    /// Legal reference.
    pub reference: String,
    /// The corrected value of `field`, when the correction is certain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// What the office database knows about an issuing body, for authority rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgencyFacts {
    /// Family.
    pub family: Option<Family>,
    /// Name as printed.
    pub name: String,
    /// Superior body as printed.
    pub parent_name: Option<String>,
    /// Collective regime.
    pub collective: bool,
    /// People of the agency: (full name, position title).
    pub people: Vec<(String, String)>,
    /// Delegations granted in the agency, with the delegate's name.
    pub delegations: Vec<(Delegation, String)>,
    /// The authority matrix: (position title, kind code or `*`). Empty: not set.
    pub authority: Vec<(String, String)>,
}

/// Facts from the office database (`--db`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficeFacts {
    /// Every agency.
    pub agencies: Vec<AgencyFacts>,
}

impl OfficeFacts {
    /// The agency that issued `document`, matched by family and printed names.
    /// Names are compared after NFC, tone-mark and space normalisation; the parent
    /// may be abbreviated (`UBND TỈNH …`), so the issuer's own name decides when the
    /// parents differ and only one agency has that name.
    pub fn agency_of(&self, document: &Document) -> Option<&AgencyFacts> {
        use crate::text::name_key;
        let name = name_key(&document.issuer.name);
        let parent = name_key(document.issuer.parent.as_deref().unwrap_or(""));
        let same_name: Vec<&AgencyFacts> = self
            .agencies
            .iter()
            .filter(|a| a.family.is_none_or(|f| f == document.family) && name_key(&a.name) == name)
            .collect();
        same_name
            .iter()
            .find(|a| name_key(a.parent_name.as_deref().unwrap_or("")) == parent)
            .copied()
            .or_else(|| (same_name.len() == 1).then(|| same_name[0]))
    }
}

/// What a check compares against.
#[derive(Debug, Clone, Copy)]
pub struct CheckContext<'a> {
    /// The date time rules compare against (`--today`).
    pub today: NaiveDate,
    /// The office database's facts, when a database is given.
    pub office: Option<&'a OfficeFacts>,
    /// The working calendar.
    pub calendar: &'a WorkCalendar,
}

/// A finding before the ruleset gives it its id, category, severity and reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Raw {
    pub field: String,
    pub message: String,
    pub fix: Option<String>,
    /// Reported as information whatever the rule's severity.
    pub info: bool,
}

/// Collects the raw findings of one rule.
pub(crate) struct Out {
    raws: Vec<Raw>,
}

impl Out {
    /// Reports a problem without a safe fix.
    pub fn report(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.raws.push(Raw { field: field.into(), message: message.into(), fix: None, info: false });
    }

    /// Says something worth knowing that is no defect (severity `info`).
    pub fn inform(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.raws.push(Raw { field: field.into(), message: message.into(), fix: None, info: true });
    }

    /// Says that a form differs from the family's model but is no defect, with the
    /// model form as a fix (severity `info`).
    pub fn suggest(&mut self, field: impl Into<String>, message: impl Into<String>, fix: impl Into<String>) {
        self.raws.push(Raw { field: field.into(), message: message.into(), fix: Some(fix.into()), info: true });
    }

    /// Reports a problem with the corrected value of the field.
    pub fn fixable(&mut self, field: impl Into<String>, message: impl Into<String>, fix: impl Into<String>) {
        self.raws.push(Raw { field: field.into(), message: message.into(), fix: Some(fix.into()), info: false });
    }
}

/// Everything a rule looks at.
pub(crate) struct Env<'a> {
    pub doc: &'a Document,
    pub ruleset: &'a Ruleset,
    pub params: &'a Params,
    pub ctx: &'a CheckContext<'a>,
    pub agency: Option<&'a AgencyFacts>,
    pub kind: &'a str,
    /// The kind's catalogue entry in this family, if it has one.
    pub kind_def: Option<&'a crate::ruleset::KindDef>,
    pub collective: bool,
    scans: std::cell::OnceCell<Vec<util::TextScan<'a>>>,
}

impl<'a> Env<'a> {
    /// Whether the kind is in one of the ruleset's kind lists.
    pub fn kind_in(&self, list: &[String]) -> bool {
        Params::kind_in(list, self.kind)
    }

    /// One shared pass over every text field (placeholders, spaces, brackets).
    pub fn scans(&self) -> &[util::TextScan<'a>] {
        self.scans.get_or_init(|| util::scan_texts(self.doc, &self.params.placeholders))
    }
}

/// A rule's check function.
pub(crate) type RuleFn = fn(&Env<'_>, &mut Out);

/// Every rule the engine implements, by id.
pub(crate) fn implementations() -> impl Iterator<Item = (&'static str, RuleFn)> {
    format::RULES
        .iter()
        .chain(glyphs::RULES)
        .chain(authority::RULES)
        .chain(content::RULES)
        .chain(procedure::RULES)
        .chain(time::RULES)
        .chain(two_level::RULES)
        .copied()
}

/// Ids of every implemented rule (for catalogue tests).
pub fn implemented_ids() -> Vec<&'static str> {
    implementations().map(|(id, _)| id).collect()
}

/// The implementation of a rule id.
fn implementation(id: &str) -> Option<RuleFn> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<&'static str, RuleFn>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| implementations().collect()).get(id).copied()
}

/// Whether a name (issuer or authority line) names a body on the collective regime.
fn names_a_collective(name: &str, params: &Params) -> bool {
    let key = crate::text::name_key(name);
    params.collective_name_prefixes.iter().any(|p| key.starts_with(p.as_str()))
        || params.collective_name_markers.iter().any(|m| key.contains(m.as_str()))
}

/// The regime the document is issued under. An authority line decides (Mẫu 1.2–1.3:
/// "CHỦ TỊCH ỦY BAN NHÂN DÂN …" is the head's own competence, "ỦY BAN NHÂN DÂN …" the
/// collective's); otherwise the database, otherwise the issuer's name.
fn is_collective(doc: &Document, params: &Params, agency: Option<&AgencyFacts>) -> bool {
    if let Some(line) = doc.authority_line.as_deref().filter(|l| !l.trim().is_empty()) {
        return names_a_collective(line, params);
    }
    match agency {
        Some(agency) => agency.collective,
        None => names_a_collective(&doc.issuer.name, params),
    }
}

/// The date that selects a document's ruleset version: its issue date, or for a
/// draft without one, the check's `today`.
pub fn version_date(document: &Document, ctx: &CheckContext<'_>) -> NaiveDate {
    document.date.unwrap_or(ctx.today)
}

/// Checks `document` against the version of `ruleset` in force on its date
/// ([`Ruleset::in_force_on`]), returning the findings in the ruleset's rule order.
pub fn check(document: &Document, ruleset: &Ruleset, ctx: &CheckContext<'_>) -> Vec<Finding> {
    let ruleset = ruleset.in_force_on(version_date(document, ctx));
    let agency = ctx.office.and_then(|o| o.agency_of(document));
    let env = Env {
        doc: document,
        ruleset,
        params: &ruleset.params,
        ctx,
        agency,
        kind: document.kind.as_str(),
        kind_def: ruleset.kind(document.kind.as_str()),
        collective: is_collective(document, &ruleset.params, agency),
        scans: std::cell::OnceCell::new(),
    };
    let mut findings = Vec::new();
    let mut out = Out { raws: Vec::new() };
    let compiled = ruleset.compiled.get_or_init(|| {
        ruleset
            .rules
            .iter()
            .enumerate()
            .filter(|(_, d)| d.enabled)
            .filter_map(|(i, d)| implementation(&d.id).map(|f| (i, f)))
            .collect()
    });
    for &(index, rule) in compiled {
        let def = &ruleset.rules[index];
        rule(&env, &mut out);
        findings.extend(out.raws.drain(..).map(|raw| finding(def, raw)));
    }
    findings
}

fn finding(def: &RuleDef, raw: Raw) -> Finding {
    Finding {
        rule: def.id.clone(),
        category: def.category,
        severity: if raw.info { Severity::Info } else { def.severity },
        field: raw.field,
        message: raw.message,
        reference: def.reference.clone(),
        fix: raw.fix,
    }
}

/// Whether any finding is an error (exit status 1 of `vanthu check`).
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

#[cfg(test)]
mod party_practice_tests;
#[cfg(test)]
mod party_tests;
#[cfg(test)]
mod party_variant_tests;
#[cfg(test)]
mod real_tests;
#[cfg(test)]
mod tests;
