//! `vanthu check`, `vanthu fix` and `vanthu rules`: the rule engine on the command line.

use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use vanthu_core::Store;
use vanthu_core::calendar::WorkCalendar;
use vanthu_core::exchange::{document_to_json, parse_document};
use vanthu_core::model::{Document, Family};
use vanthu_core::rules::{CheckContext, Finding, OfficeFacts, apply_fixes, check, has_errors, version_date};
use vanthu_core::ruleset::{Category, Ruleset, Severity, VersionInfo, default_ruleset};

/// The JSON report of `vanthu check --json` (the spec's shape, extended with the
/// version of the ruleset in force on the document's date).
#[derive(Serialize)]
struct Report<'a> {
    document: &'a str,
    ruleset: &'a str,
    version: VersionInfo,
    findings: &'a [Finding],
}

/// The ruleset, office facts and calendar a check uses.
pub struct Setup {
    /// State and Party rulesets in force.
    pub rulesets: Vec<(Family, Ruleset)>,
    /// Office facts when a database was given.
    pub office: Option<OfficeFacts>,
    /// The working calendar.
    pub calendar: WorkCalendar,
}

impl Setup {
    /// Without a database: the embedded rulesets.
    pub fn embedded() -> Self {
        Setup {
            rulesets: Family::ALL.iter().map(|f| (*f, default_ruleset(*f).clone())).collect(),
            office: None,
            calendar: WorkCalendar::default_vietnam(),
        }
    }

    /// With a database: its ruleset overrides and its agencies.
    pub fn from_store(store: &Store) -> Result<Self, vanthu_core::StoreError> {
        let rulesets =
            Family::ALL.iter().map(|f| store.effective_ruleset(*f).map(|r| (*f, r))).collect::<Result<_, _>>()?;
        Ok(Setup { rulesets, office: Some(store.office_facts()?), calendar: store.work_calendar()? })
    }

    /// The ruleset of a family.
    pub fn ruleset(&self, family: Family) -> &Ruleset {
        &self.rulesets.iter().find(|(f, _)| *f == family).expect("both families are loaded").1
    }

    /// Checks one document (by the ruleset version in force on its date).
    pub fn check(&self, document: &Document, today: NaiveDate) -> Vec<Finding> {
        let ctx = CheckContext { today, office: self.office.as_ref(), calendar: &self.calendar };
        check(document, self.ruleset(document.family), &ctx)
    }

    /// The version of the family's ruleset that checks `document` (its date, or
    /// `today` for a draft without one).
    pub fn ruleset_for(&self, document: &Document, today: NaiveDate) -> &Ruleset {
        let ctx = CheckContext { today, office: self.office.as_ref(), calendar: &self.calendar };
        self.ruleset(document.family).in_force_on(version_date(document, &ctx))
    }
}

/// Parses `--today`.
pub fn parse_today(text: Option<&str>) -> Result<NaiveDate, String> {
    match text {
        None => Ok(chrono::Local::now().date_naive()),
        Some(t) => vanthu_core::model::parse_iso_date(t).map_err(|e| format!("--today: {e}")),
    }
}

/// Reads an input file as UTF-8, refusing one over 10 MB before reading it.
pub fn read_input(file: &Path) -> Result<String, String> {
    use std::io::Read as _;
    let limit = vanthu_core::exchange::limits::MAX_INPUT_BYTES as u64;
    let cannot = |e: std::io::Error| format!("không đọc được {}: {e} (cannot read the file)", file.display());
    let handle = std::fs::File::open(file).map_err(cannot)?;
    let mut bytes = Vec::new();
    handle.take(limit + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(format!("{} lớn hơn giới hạn 10 MB ({limit} byte); không đọc (input too large)", file.display()));
    }
    String::from_utf8(bytes).map_err(|_| format!("{} không phải văn bản UTF-8 (not UTF-8)", file.display()))
}

/// Reads and parses a document file; the error names the field and the line.
pub fn read_document(file: &Path) -> Result<Document, String> {
    let text = read_input(file)?;
    parse_document(&text).map_err(|e| format!("{} không hợp lệ: {e}", file.display()))
}

/// The JSON report.
pub fn json_report(file: &str, ruleset: &Ruleset, findings: &[Finding]) -> String {
    let report = Report { document: file, ruleset: &ruleset.ruleset.id, version: ruleset.version().info(), findings };
    serde_json::to_string_pretty(&report).expect("findings serialise") + "\n"
}

/// The readable report, grouped by the four đúng.
pub fn text_report(file: &str, ruleset: &Ruleset, findings: &[Finding]) -> String {
    let mut s = String::new();
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let _ = writeln!(s, "{file} — bộ quy tắc {} ({})", ruleset.ruleset.id, ruleset.ruleset.reference);
    let version = ruleset.version().info();
    let _ = writeln!(s, "Phiên bản {}: {} (áp dụng từ {}).", version.id, version.title, version.effective_from);
    if findings.is_empty() {
        let _ = writeln!(s, "Đạt 4 đúng: không có lỗi, không có cảnh báo.");
        return s;
    }
    let infos = findings.iter().filter(|f| f.severity == Severity::Info).count();
    if infos > 0 {
        let _ = writeln!(s, "{errors} lỗi, {} cảnh báo, {infos} thông tin.", findings.len() - errors - infos);
    } else {
        let _ = writeln!(s, "{errors} lỗi, {} cảnh báo.", findings.len() - errors);
    }
    for category in Category::ALL {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.category == category).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{} ({})", category.label(), group.len());
        for f in group {
            let level = f.severity.label().to_uppercase();
            let field = if f.field.is_empty() { "(toàn văn bản)" } else { f.field.as_str() };
            let _ = writeln!(s, "  [{level}] {} {field}: {}", f.rule, f.message);
            let _ = writeln!(s, "      Căn cứ: {}", f.reference);
            if let Some(fix) = &f.fix {
                let _ = writeln!(s, "      Sửa tự động: {fix}");
            }
        }
    }
    s
}

/// `vanthu check`: returns the output and whether an error was found.
pub fn run_check(setup: &Setup, file: &Path, json: bool, today: NaiveDate) -> Result<(String, bool), String> {
    let document = read_document(file)?;
    let findings = setup.check(&document, today);
    let ruleset = setup.ruleset_for(&document, today);
    let name = file.display().to_string();
    let output = if json { json_report(&name, ruleset, &findings) } else { text_report(&name, ruleset, &findings) };
    Ok((output, has_errors(&findings)))
}

/// `vanthu fix`: the corrected document and a summary for stderr.
pub fn run_fix(setup: &Setup, file: &Path, today: NaiveDate) -> Result<(String, String), String> {
    let document = read_document(file)?;
    let ctx = CheckContext { today, office: setup.office.as_ref(), calendar: &setup.calendar };
    let outcome = apply_fixes(&document, setup.ruleset(document.family), &ctx);
    let mut summary = format!("Đã sửa {} chỗ.", outcome.applied.len());
    for f in &outcome.applied {
        let _ = write!(summary, "\n  {} {} → {}", f.rule, f.field, f.fix.as_deref().unwrap_or(""));
    }
    if !outcome.remaining.is_empty() {
        let _ = write!(summary, "\nCòn {} phát hiện cần sửa tay.", outcome.remaining.len());
    }
    Ok((document_to_json(&outcome.document), summary))
}

/// The rule catalogue as Markdown (`docs/rules.md`).
pub fn rules_markdown(setup: &Setup) -> String {
    let mut s = String::from("# Danh mục quy tắc 4 đúng / The 4-đúng rule catalogue\n\n");
    s.push_str("Generated by `vanthu rules --markdown` from `assets/rules/*.toml`; a test fails when this file is out of date.\n");
    for (family, ruleset) in &setup.rulesets {
        let _ = writeln!(s, "\n## {} — {} (`{}`)\n", family.label(), ruleset.ruleset.title, ruleset.ruleset.id);
        let _ = writeln!(s, "{} quy tắc.\n", ruleset.rules.len());
        versions_markdown(&mut s, ruleset);
        for category in Category::ALL {
            let _ = writeln!(s, "### {}\n", category.label());
            s.push_str("| Mã | Mức | Kiểm tra | Căn cứ |\n|---|---|---|---|\n");
            for rule in ruleset.rules.iter().filter(|r| r.category == category) {
                let level = rule.severity.label();
                let _ =
                    writeln!(s, "| {} | {level} | {} | {} |", rule.id, rule.title.replace('|', "\\|"), rule.reference);
            }
            s.push('\n');
        }
    }
    s
}

/// The versions of a ruleset by date, their legal texts, and the published
/// documents the data relies on.
fn versions_markdown(s: &mut String, ruleset: &Ruleset) {
    let _ = writeln!(s, "### Phiên bản theo ngày / Versions by date\n");
    s.push_str("Một văn bản được kiểm tra theo phiên bản có hiệu lực vào ngày của nó.\n\n");
    for version in ruleset.all_versions() {
        let info = version.version().info();
        let _ = writeln!(s, "- **{}** (từ {}): {}", info.id, info.effective_from, info.title);
        for text in &info.texts {
            let confidence = match text.confidence {
                vanthu_core::ruleset::Confidence::Verified => "đã đối chiếu",
                vanthu_core::ruleset::Confidence::Uncertain => "UNCERTAIN",
            };
            let _ = writeln!(
                s,
                "  - {} ngày {}, {} ({}; hiệu lực {}; {confidence}). Nguồn: <{}>. {}",
                text.reference, text.date, text.title, text.issuer, text.effective_from, text.source, text.note
            );
        }
        let kinds: Vec<&str> =
            version.kinds.iter().filter(|k| ruleset.kind(&k.code).is_none()).map(|k| k.code.as_str()).collect();
        if !kinds.is_empty() {
            let _ = writeln!(s, "  - Loại văn bản thêm: {}.", kinds.join(", "));
        }
    }
    s.push('\n');
    let practice = &ruleset.params.practice;
    let default = vanthu_core::ruleset::Practice::default();
    if practice != &default {
        let _ = writeln!(s, "### Thực tiễn được chấp nhận / Practice accepted\n");
        s.push_str("Tham số `[params]`; văn phòng có thể đặt dạng chặt chẽ hơn trong bản điều chỉnh.\n\n");
        let list = |v: &[String]| v.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
        let rows = [
            ("subject_first_letter", format!("`{}`", practice.subject_first_letter)),
            ("cong_van_subject_style", format!("`{}`", practice.cong_van_subject_style)),
            ("recipient_line_marks", list(&practice.recipient_line_marks)),
            ("addressee_line_marks", list(&practice.addressee_line_marks)),
            ("single_addressee_marks", list(&practice.single_addressee_marks)),
            ("bases_last_marks", list(&practice.bases_last_marks)),
            ("as_above_note_allowed", format!("`{}`", practice.as_above_note_allowed)),
            ("appendix_numerals", format!("`{}`", practice.appendix_numerals)),
            ("drafter_code_expected", format!("`{}`", practice.drafter_code_expected)),
            ("untitled_collective_principals", list(&practice.untitled_collective_principals)),
        ];
        s.push_str("| Tham số | Giá trị |\n|---|---|\n");
        for (name, value) in rows {
            let _ = writeln!(s, "| `{name}` | {value} |");
        }
        s.push('\n');
    }
    if !ruleset.sources.is_empty() {
        let _ = writeln!(s, "### Văn bản thực tế làm căn cứ / Published documents relied on\n");
        for source in &ruleset.sources {
            let _ = writeln!(s, "- {} — <{}>: {}", source.citation, source.url, source.attests);
        }
        s.push('\n');
    }
}

/// The rule catalogue as text or JSON.
pub fn rules_listing(setup: &Setup, json: bool) -> String {
    if json {
        let all: Vec<serde_json::Value> = setup
            .rulesets
            .iter()
            .map(|(family, r)| {
                let versions: Vec<VersionInfo> = r.all_versions().map(|v| v.version().info()).collect();
                serde_json::json!({ "family": family, "ruleset": r.ruleset.id, "versions": versions, "rules": r.rules })
            })
            .collect();
        return serde_json::to_string_pretty(&all).expect("rules serialise") + "\n";
    }
    let mut s = String::new();
    for (family, ruleset) in &setup.rulesets {
        let _ = writeln!(s, "{} — {} ({} quy tắc)", family.label(), ruleset.ruleset.id, ruleset.rules.len());
        for rule in &ruleset.rules {
            let level = rule.severity.label();
            let off = if rule.enabled { "" } else { " [tắt]" };
            let _ = writeln!(
                s,
                "  {} [{}, {level}]{off} {} — {}",
                rule.id,
                rule.category.code(),
                rule.title,
                rule.reference
            );
        }
    }
    s
}
