//! The rulesets in `assets/rules/`: the law as data.
//!
//! Each family (state, Party) has one TOML ruleset embedded in the binary. This
//! module loads the parts the foundation needs (the catalogue of document types);
//! the rule engine adds its own sections to the same files.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::model::Family;

mod patch;
pub mod versions;

use patch::apply_patch;

pub use versions::{Confidence, LegalText, VersionDef, VersionInfo};

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
    /// Other abbreviations real documents of the kind carry (Party `quy-dinh`:
    /// `QĐi` for the Central Committee, `QĐ` for the Politburo and Secretariat).
    #[serde(default)]
    pub abbreviation_variants: Vec<String>,
}

/// The category of a rule: one of the "4 đúng" (procedure and content apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Đúng thể thức (format).
    TheThuc,
    /// Đúng thẩm quyền (authority).
    ThamQuyen,
    /// Đúng nội dung (content).
    NoiDung,
    /// Đúng quy trình (procedure).
    QuyTrinh,
    /// Đúng thời gian (time).
    ThoiGian,
}

impl Category {
    /// Every category, in report order.
    pub const ALL: [Category; 5] =
        [Category::TheThuc, Category::ThamQuyen, Category::NoiDung, Category::QuyTrinh, Category::ThoiGian];

    /// The code used in findings (`the-thuc`).
    pub fn code(self) -> &'static str {
        match self {
            Category::TheThuc => "the-thuc",
            Category::ThamQuyen => "tham-quyen",
            Category::NoiDung => "noi-dung",
            Category::QuyTrinh => "quy-trinh",
            Category::ThoiGian => "thoi-gian",
        }
    }

    /// Vietnamese heading.
    pub fn label(self) -> &'static str {
        match self {
            Category::TheThuc => "Đúng thể thức",
            Category::ThamQuyen => "Đúng thẩm quyền",
            Category::NoiDung => "Đúng nội dung",
            Category::QuyTrinh => "Đúng quy trình",
            Category::ThoiGian => "Đúng thời gian",
        }
    }
}

/// Severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks the next workflow step.
    Error,
    /// Informs.
    Warning,
    /// Says something worth knowing that is no defect (a date on a rest day).
    Info,
}

impl Severity {
    /// The Vietnamese word for the level, lower case (`lỗi`, `cảnh báo`, `thông tin`).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
            Severity::Info => "thông tin",
        }
    }
}

/// One rule of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct RuleDef {
    /// `TT-03`.
    pub id: String,
    /// The đúng it belongs to.
    pub category: Category,
    /// Error or warning.
    pub severity: Severity,
    /// What it checks, in Vietnamese.
    pub title: String,
    /// Legal reference.
    pub reference: String,
    /// Whether the office applies it.
    #[serde(default = "enabled_default")]
    pub enabled: bool,
}

fn enabled_default() -> bool {
    true
}

/// Parameters of the checks, from the `[params]` table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Params {
    /// `Số: ` (state) or `Số ` (Party).
    pub number_prefix: String,
    /// Between number and symbol: `/` (state) or `-` (Party).
    pub number_separator: String,
    /// Between the type and body parts of the symbol: `-` (state) or `/` (Party).
    pub notation_separator: String,
    /// Whether a công văn's symbol starts with a type abbreviation (Party `CV`).
    pub cong_van_has_type: bool,
    /// Start of the Lưu line (`Lưu: ` or `Lưu `).
    pub luu_prefix: String,
    /// Whether the Lưu line names the văn thư (`VT`).
    pub luu_requires_vt: bool,
    /// End mark of the body (`./.` or `.`).
    pub body_end_mark: String,
    /// Date the governing text took effect.
    pub effective_from: toml::value::Datetime,
    /// `TM.` / `T/M`.
    pub form_collective: String,
    /// `KT.` / `K/T`.
    pub form_deputy: String,
    /// `TL.` / `T/L`.
    pub form_by_order: String,
    /// `TUQ.`, empty when the family has none.
    pub form_by_delegation: String,
    /// `Q.`, empty when the family has none.
    pub form_acting: String,
    /// Issuer names starting with one of these work on the collective regime.
    pub collective_name_prefixes: Vec<String>,
    /// Issuer names containing one of these work on the collective regime.
    pub collective_name_markers: Vec<String>,
    /// Accepted principals after the collective form.
    pub collective_principals: Vec<String>,
    /// Accepted principals after the by-order form (empty: any).
    #[serde(default)]
    pub by_order_principals: Vec<String>,
    /// Kinds that carry an authority line.
    pub kinds_with_authority_line: Vec<String>,
    /// Kinds that carry căn cứ.
    pub kinds_with_bases: Vec<String>,
    /// Kinds written as Điều.
    pub kinds_with_articles: Vec<String>,
    /// Kinds without trích yếu.
    pub kinds_without_subject: Vec<String>,
    /// Kinds with a Kính gửi block.
    pub kinds_with_addressees: Vec<String>,
    /// Kinds with two signatures.
    pub kinds_with_two_signatures: Vec<String>,
    /// Kinds that always carry an urgency.
    pub kinds_always_urgent: Vec<String>,
    /// Enacting words per kind.
    pub enacting_words: std::collections::BTreeMap<String, String>,
    /// Abbreviated titles that must not precede a signer's name (compared without dots and case).
    pub academic_titles: Vec<String>,
    /// Titles in words that must not precede a signer's name.
    #[serde(default)]
    pub academic_title_words: Vec<String>,
    /// Prefixes of deputy titles (`PHÓ `).
    #[serde(default)]
    pub deputy_prefixes: Vec<String>,
    /// Other deputy titles and their head (`THỨ TRƯỞNG` → `BỘ TRƯỞNG`).
    #[serde(default)]
    pub deputy_titles: std::collections::BTreeMap<String, String>,
    /// Markers of text left to be filled in.
    pub placeholders: Vec<String>,
    /// Committee names that must not follow a Party title.
    #[serde(default)]
    pub committee_suffixes: Vec<String>,
    /// Kinds that a body on the collective regime signs on behalf of the collective
    /// (`TM.`); the other kinds its head may sign in their own competence. Absent:
    /// every kind.
    #[serde(default)]
    pub kinds_signed_for_the_collective: Option<Vec<String>>,
    /// The head's title of a collective body, by the start of the collective's name
    /// (`ỦY BAN NHÂN DÂN` → `CHỦ TỊCH`): what `KT.` names under `TM.`.
    #[serde(default)]
    pub collective_heads: std::collections::BTreeMap<String, String>,
    /// Outer forms under which a deputy signs a second line `KT.` (two-level block).
    #[serde(default)]
    pub two_level_outer_forms: Vec<String>,
    /// Mixed-case abbreviations that keep their case in codes (`CTr`, `TTr`, `QyĐ`).
    #[serde(default)]
    pub mixed_case_abbreviations: Vec<String>,
    /// Words that count a deadline in working days (`ngày làm việc`).
    #[serde(default)]
    pub working_day_phrases: Vec<String>,
    /// Starts of an attachment note printed after the end mark (`(Kèm theo`).
    #[serde(default)]
    pub attachment_note_prefixes: Vec<String>,
    /// Practice parameters (ND-03, TT-14, TT-19, TT-21, TT-28, TT-30, TT-40, QT-04):
    /// the forms real documents use, each with a strict value an office can set.
    #[serde(flatten)]
    pub practice: Practice,
}

/// How a family writes the points where practice varies. Every field has the
/// state default (NĐ 30/2020), so a ruleset file only lists what differs.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct Practice {
    /// First letter of the trích yếu under the tên loại (ND-03): `upper`, `lower` or `any`.
    pub subject_first_letter: String,
    /// Công văn trích yếu (TT-14): `auto-vv` (typed without `V/v`, the printer adds it),
    /// `spelled` (typed and printed `về việc …`, never `V/v`) or `as-printed` (either).
    pub cong_van_subject_style: String,
    /// Marks that may end a Nơi nhận line other than the last (TT-28).
    pub recipient_line_marks: Vec<String>,
    /// Marks that may end a Kính gửi line other than the last, when there are several (TT-21).
    pub addressee_line_marks: Vec<String>,
    /// Marks that may end a single Kính gửi entry (`""`: none) (TT-21).
    pub single_addressee_marks: Vec<String>,
    /// Marks that may end the last căn cứ (TT-19).
    pub bases_last_marks: Vec<String>,
    /// Whether "Như trên" may carry a note: `Như trên (t/h);` (TT-30).
    pub as_above_note_allowed: bool,
    /// Numbering of two or more appendices (TT-40): `roman`, `arabic` or `any`.
    pub appendix_numerals: String,
    /// Whether a numbered document records the drafter's mark (QT-04).
    pub drafter_code_expected: bool,
    /// Other accepted enacting words per kind (TT-18); `*` stands for the issuing
    /// body's name in capitals (`BAN THƯỜNG VỤ TỈNH ỦY QUYẾT ĐỊNH`).
    pub enacting_words_variants: std::collections::BTreeMap<String, Vec<String>>,
    /// Who keeps the file copy in a new draft's Lưu line when the family names no
    /// văn thư: `{body}` is the committee (`Văn phòng {body}` → `Văn phòng Tỉnh ủy`).
    pub luu_holder_template: String,
    /// Collectives under whose `T/M` line the signer's title may be absent (QT-02):
    /// central documents print `T/M BỘ CHÍNH TRỊ` and the name only.
    pub untitled_collective_principals: Vec<String>,
    /// Whether a Lưu line naming `VT` where the family names the holding body
    /// (`Lưu: VT, …` in a Party document) is only information (TT-29).
    pub luu_other_forms_as_info: bool,
    /// Other Lưu prefixes reported as information with `luu_prefix` as the fix
    /// (TT-29): Party offices print `Lưu: Văn phòng …` beside HD 36's `Lưu …`.
    pub luu_prefix_variants: Vec<String>,
    /// Issuer names of a level that no longer exists from `levels_abolished_from`
    /// (TQ-18): district Party committees after the two-level reform of 2025.
    pub abolished_issuer_prefixes: Vec<String>,
    /// ISO date from which `abolished_issuer_prefixes` name no body (`""`: never).
    pub levels_abolished_from: String,
    /// Other end marks of the text reported as information only (ND-10): Party
    /// practice prints `.` and some offices `./.`.
    pub end_marks_as_info: Vec<String>,
}

impl Default for Practice {
    fn default() -> Self {
        Practice {
            subject_first_letter: "upper".into(),
            cong_van_subject_style: "auto-vv".into(),
            recipient_line_marks: vec![";".into()],
            addressee_line_marks: vec![";".into()],
            single_addressee_marks: vec![String::new()],
            bases_last_marks: vec![".".into()],
            as_above_note_allowed: false,
            appendix_numerals: "roman".into(),
            drafter_code_expected: true,
            enacting_words_variants: Default::default(),
            luu_holder_template: String::new(),
            untitled_collective_principals: Vec::new(),
            luu_other_forms_as_info: false,
            luu_prefix_variants: Vec::new(),
            abolished_issuer_prefixes: Vec::new(),
            levels_abolished_from: String::new(),
            end_marks_as_info: Vec::new(),
        }
    }
}

impl Practice {
    /// Checks the enumerated values.
    fn validate(&self) -> Result<(), RulesetError> {
        let choices: [(&str, &str, &[&str]); 3] = [
            ("subject_first_letter", &self.subject_first_letter, &["upper", "lower", "any"]),
            ("cong_van_subject_style", &self.cong_van_subject_style, &["auto-vv", "spelled", "as-printed"]),
            ("appendix_numerals", &self.appendix_numerals, &["roman", "arabic", "any"]),
        ];
        for (name, value, allowed) in choices {
            if !allowed.contains(&value) {
                return Err(RulesetError(format!("tham số {name} = `{value}` không hợp lệ (một trong {allowed:?})")));
            }
        }
        if !self.levels_abolished_from.is_empty() && crate::model::parse_iso_date(&self.levels_abolished_from).is_err()
        {
            return Err(RulesetError(format!(
                "tham số levels_abolished_from = `{}` không phải ngày YYYY-MM-DD",
                self.levels_abolished_from
            )));
        }
        for (name, list) in [
            ("recipient_line_marks", &self.recipient_line_marks),
            ("addressee_line_marks", &self.addressee_line_marks),
            ("bases_last_marks", &self.bases_last_marks),
            ("single_addressee_marks", &self.single_addressee_marks),
        ] {
            if list.is_empty() {
                return Err(RulesetError(format!("tham số {name} không được rỗng")));
            }
        }
        Ok(())
    }
}

impl Params {
    /// The effective date as a calendar date.
    pub fn effective_date(&self) -> Option<chrono::NaiveDate> {
        versions::toml_date(&self.effective_from)
    }

    /// Rewrites the name lists as [`crate::text::name_key`]s once, so checks compare
    /// a document's keys with them without allocating.
    fn canonicalise_names(&mut self) {
        use crate::text::name_key;
        for list in [
            &mut self.collective_name_prefixes,
            &mut self.collective_name_markers,
            &mut self.collective_principals,
            &mut self.by_order_principals,
            &mut self.committee_suffixes,
            &mut self.deputy_prefixes,
        ] {
            for item in list.iter_mut() {
                *item = name_key(item);
            }
        }
        self.deputy_titles =
            std::mem::take(&mut self.deputy_titles).into_iter().map(|(d, h)| (name_key(&d), name_key(&h))).collect();
        self.collective_heads =
            std::mem::take(&mut self.collective_heads).into_iter().map(|(b, h)| (name_key(&b), name_key(&h))).collect();
    }

    /// The head title a deputy title stands for (`PHÓ CHỦ TỊCH` → `CHỦ TỊCH`,
    /// `THỨ TRƯỞNG` → `BỘ TRƯỞNG`), or `None` when the title is not a deputy's.
    pub fn head_of_deputy(&self, position: &str) -> Option<String> {
        let upper = crate::text::name_key(position);
        if let Some(head) = self.deputy_titles.iter().find(|(d, _)| {
            upper == crate::text::name_key(d) || upper.starts_with(&format!("{} ", crate::text::name_key(d)))
        }) {
            return Some(head.1.clone());
        }
        self.deputy_prefixes
            .iter()
            .find_map(|p| upper.strip_prefix(&crate::text::name_key(p)).map(|rest| rest.trim().to_owned()))
            .filter(|rest| !rest.is_empty())
    }

    /// Whether a body on the collective regime signs this kind on behalf of the
    /// collective (`TM.`) rather than its head in their own competence.
    pub fn signed_for_the_collective(&self, kind: &str) -> bool {
        self.kinds_signed_for_the_collective.as_deref().is_none_or(|list| Self::kind_in(list, kind))
    }

    /// The head's title of the collective named `body` (`ỦY BAN NHÂN DÂN TỈNH …` →
    /// `CHỦ TỊCH`), by the longest matching start.
    pub fn collective_head(&self, body: &str) -> Option<&str> {
        let key = crate::text::name_key(body);
        self.collective_heads
            .iter()
            .filter(|(start, _)| key.starts_with(start.as_str()))
            .max_by_key(|(start, _)| start.len())
            .map(|(_, head)| head.as_str())
    }

    /// Whether `list` contains `kind`.
    pub fn kind_in(list: &[String], kind: &str) -> bool {
        list.iter().any(|k| k == kind)
    }
}

/// How a family numbers its documents.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Numbering {
    /// `agency-year` (NĐ 30 Điều 15) or `kind-term` (HD 36 1.3.1).
    pub scope: String,
    /// Whether secret documents have their own series.
    pub secret_series_separate: bool,
    /// Numbers below this are zero-padded.
    pub zero_pad_below: u32,
}

/// A ruleset as loaded from TOML.
#[derive(Debug, Clone, Deserialize)]
pub struct Ruleset {
    /// Header.
    pub ruleset: RulesetInfo,
    /// Check parameters.
    pub params: Params,
    /// Catalogue of document types, in legal order.
    #[serde(rename = "kind")]
    pub kinds: Vec<KindDef>,
    /// The rules.
    #[serde(rename = "rule", default)]
    pub rules: Vec<RuleDef>,
    /// Numbering scheme (`scope`, secret series), used by the numbering register.
    pub numbering: Numbering,
    /// Printed values of the additional components and fixed header texts.
    pub values: toml::Table,
    /// Typography of every component, for the PDF layout.
    pub typography: toml::Table,
    /// The versions by date (`[[version]]`); empty: one implicit version.
    #[serde(rename = "version", default)]
    pub versions: Vec<VersionDef>,
    /// Published documents and texts the ruleset's data relies on (`[[source]]`),
    /// cited in `docs/rules.md`.
    #[serde(rename = "source", default)]
    pub sources: Vec<SourceDoc>,
    /// The enabled rules resolved to their implementations, once.
    #[serde(skip)]
    pub(crate) compiled: OnceLock<Vec<(usize, crate::rules::RuleFn)>>,
    /// The later versions, resolved (version 1, 2 …), each a whole ruleset.
    #[serde(skip)]
    later: Vec<Ruleset>,
    /// Which version this ruleset is (0: the file itself).
    #[serde(skip)]
    version_index: usize,
}

/// A published document or text the ruleset's data relies on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct SourceDoc {
    /// Issuer, number and date as printed (`Tỉnh ủy Thừa Thiên Huế, Kết luận 445-KL/TU, 2022`).
    pub citation: String,
    /// Where it was read.
    pub url: String,
    /// What it attests.
    pub attests: String,
}

/// Error reading a ruleset.
#[derive(Debug, thiserror::Error)]
#[error("bộ quy tắc không hợp lệ: {0}")]
pub struct RulesetError(String);

impl Ruleset {
    /// Parses and validates a ruleset from TOML text, with its versions.
    pub fn from_toml(text: &str) -> Result<Self, RulesetError> {
        let table: toml::Table = toml::from_str(text).map_err(|e| RulesetError(e.to_string()))?;
        Self::build(table, None)
    }

    /// One version's table as a ruleset (no later versions).
    fn from_table(table: toml::Table) -> Result<Self, RulesetError> {
        let mut ruleset: Ruleset = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| {
            let english: String = e
                .message()
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| c.is_ascii() && !"()".contains(*c))
                .collect();
            RulesetError(format!("một giá trị sai kiểu hoặc còn thiếu (TOML value error: {english})"))
        })?;
        ruleset.params.canonicalise_names();
        ruleset.params.practice.validate()?;
        let mut seen = std::collections::HashSet::new();
        for kind in &ruleset.kinds {
            if !seen.insert(kind.code.as_str()) {
                return Err(RulesetError(format!("loại văn bản trùng mã `{}`", kind.code)));
            }
            if kind.code.is_empty() || !kind.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
                return Err(RulesetError(format!("mã loại văn bản không hợp lệ `{}`", kind.code)));
            }
        }
        let mut ids = std::collections::HashSet::new();
        for rule in &ruleset.rules {
            if !ids.insert(rule.id.as_str()) {
                return Err(RulesetError(format!("quy tắc trùng mã `{}`", rule.id)));
            }
        }
        if !matches!(ruleset.numbering.scope.as_str(), "agency-year" | "kind-term") {
            return Err(RulesetError(format!("phạm vi đánh số `{}` không hợp lệ", ruleset.numbering.scope)));
        }
        if ruleset.params.effective_date().is_none() {
            return Err(RulesetError("effective_from phải là một ngày".into()));
        }
        versions::validate(&ruleset.versions)?;
        Ok(ruleset)
    }

    /// The file's ruleset (version 0) and its later versions, each with the
    /// office's override applied last (an office setting holds in every version).
    fn build(base: toml::Table, office: Option<toml::Table>) -> Result<Self, RulesetError> {
        let mut first = base.clone();
        if let Some(patch) = &office {
            apply_patch(&mut first, patch.clone(), false)?;
        }
        let mut main = Self::from_table(first)?;
        // The patches as written (a deserialised `toml::Table` turns dates into strings).
        let raw_patches: Vec<toml::Table> = base
            .get("version")
            .and_then(toml::Value::as_array)
            .map(|list| {
                list.iter()
                    .map(|v| v.get("patch").and_then(toml::Value::as_table).cloned().unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default();
        let mut cumulative = base;
        for index in 1..main.versions.len() {
            let version = &main.versions[index];
            let patch = raw_patches.get(index).cloned().unwrap_or_default();
            apply_patch(&mut cumulative, patch, true)
                .map_err(|e| RulesetError(format!("phiên bản `{}`: {}", version.id, e.0)))?;
            let mut table = cumulative.clone();
            if let Some(patch) = &office {
                apply_patch(&mut table, patch.clone(), false)?;
            }
            let mut resolved = Self::from_table(table)?;
            resolved.version_index = index;
            main.later.push(resolved);
        }
        Ok(main)
    }

    /// The version in force on `date`: the last whose effective date is not after
    /// it (a date before the first version gets the first, and TG-05 says so).
    pub fn in_force_on(&self, date: chrono::NaiveDate) -> &Ruleset {
        self.later.iter().rev().find(|v| v.version().effective_date().is_some_and(|d| d <= date)).unwrap_or(self)
    }

    /// The version a document's page follows: the one in force on its date, or for
    /// a draft without a date the latest (the page depends on the document only).
    pub fn for_layout(&self, date: Option<chrono::NaiveDate>) -> &Ruleset {
        match date {
            Some(date) => self.in_force_on(date),
            None => self.later.last().unwrap_or(self),
        }
    }

    /// Every version, the file's own first.
    pub fn all_versions(&self) -> impl DoubleEndedIterator<Item = &Ruleset> {
        std::iter::once(self).chain(self.later.iter())
    }

    /// This ruleset's version entry (the implicit one when the file lists none).
    pub fn version(&self) -> VersionDef {
        self.versions.get(self.version_index).cloned().unwrap_or_else(|| VersionDef {
            id: self.ruleset.id.clone(),
            title: self.ruleset.title.clone(),
            effective_from: self.params.effective_from,
            texts: Vec::new(),
            patch: None,
        })
    }

    /// The embedded ruleset with an office's override applied over it.
    ///
    /// The override is TOML with the same shape: `[params]` keys replace the
    /// defaults; `[[rule]]` entries (matched by `id`) may change `severity`,
    /// `enabled`, `title` or `reference`; `[[kind]]` entries (matched by `code`) may
    /// change the name or abbreviation or add a kind. The result is validated. It
    /// applies to every version of the ruleset.
    pub fn with_override(base_toml: &str, override_toml: &str) -> Result<Self, RulesetError> {
        let base: toml::Table = toml::from_str(base_toml).map_err(|e| RulesetError(e.to_string()))?;
        let patch: toml::Table = toml::from_str(override_toml)
            .map_err(|e| RulesetError(crate::overrides::syntax_error("bản điều chỉnh", override_toml, &e)))?;
        Self::build(base, Some(patch))
    }

    /// The rule with this id, if the ruleset has it (enabled or not).
    pub fn rule(&self, id: &str) -> Option<&RuleDef> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The type with this code, if the family has it.
    pub fn kind(&self, code: &str) -> Option<&KindDef> {
        self.kinds.iter().find(|k| k.code == code)
    }
}

/// The embedded TOML text of a family's ruleset.
pub fn default_ruleset_toml(family: Family) -> &'static str {
    match family {
        Family::State => STATE_RULESET_TOML,
        Family::Party => PARTY_RULESET_TOML,
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

/// Whether `code` is a document type of either family's catalogue, in any version.
pub fn is_known_kind(code: &str) -> bool {
    Family::ALL.iter().any(|f| default_ruleset(*f).all_versions().any(|v| v.kind(code).is_some()))
}

/// The Vietnamese name of a kind code, looked up in the family first.
pub fn kind_name(family: Family, code: &str) -> Option<&'static str> {
    let in_family = |f: Family| default_ruleset(f).all_versions().rev().find_map(|v| v.kind(code));
    in_family(family).or_else(|| Family::ALL.iter().find_map(|f| in_family(*f))).map(|k| k.name.as_str())
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
        let text =
            STATE_RULESET_TOML.to_owned() + "\n[[kind]]\ncode = \"cong-van\"\nname = \"X\"\nabbreviation = \"X\"\n";
        assert!(Ruleset::from_toml(&text).is_err());
    }

    #[test]
    fn override_changes_a_parameter_and_a_rule() {
        let over = "[params]\nluu_prefix = \"Lưu: \"\n[[rule]]\nid = \"ND-15\"\nenabled = false\n";
        let r = Ruleset::with_override(PARTY_RULESET_TOML, over).unwrap();
        assert_eq!(r.params.luu_prefix, "Lưu: ");
        assert!(!r.rule("ND-15").unwrap().enabled);
        assert!(Ruleset::with_override(PARTY_RULESET_TOML, "[params]\nno_such = 1\n").is_err());
        assert!(Ruleset::with_override(PARTY_RULESET_TOML, "[[rule]]\nid = \"XX-99\"\n").is_err());
        assert!(Ruleset::with_override(PARTY_RULESET_TOML, "[params]\nluu_prefix = 3\n").is_err());
        // What would break the checks for the whole office is refused.
        for bad in [
            "[params]\nplaceholders = [\"\"]\n",
            "[params]\nluu_prefix = \"\"\n",
            "[params]\nnumber_separator = \" \"\n",
            "[params]\neffective_from = 9999-12-31\n",
        ] {
            assert!(Ruleset::with_override(STATE_RULESET_TOML, bad).is_err(), "{bad}");
        }
    }
}
