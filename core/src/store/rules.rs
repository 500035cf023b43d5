//! Office data the rule engine reads: ruleset overrides and the facts of agencies.

use super::{Actor, Result, Store, StoreError};
use crate::model::Family;
use crate::rules::{AgencyFacts, OfficeFacts};
use crate::ruleset::{Ruleset, default_ruleset, default_ruleset_toml};

fn override_key(family: Family) -> String {
    format!("ruleset_override:{}", family.code())
}

const CALENDAR_KEY: &str = "calendar_override";

/// Settings key of the office's retention table override (TOML).
const RETENTION_KEY: &str = "retention_override";

/// The largest override an office may store: a few hundred rules and days fit in
/// a fraction of it; a megabyte of text is a mistake or an attack.
const MAX_OVERRIDE_BYTES: usize = 64 * 1024;

fn check_override_size(text: Option<&str>) -> Result<()> {
    match text {
        Some(t) if t.len() > MAX_OVERRIDE_BYTES => Err(StoreError::Invalid(format!(
            "bản điều chỉnh dài {} KB, vượt giới hạn {} KB (override too large)",
            t.len() / 1024,
            MAX_OVERRIDE_BYTES / 1024
        ))),
        _ => Ok(()),
    }
}

impl Store {
    /// The office's working calendar: the default with its override, if any.
    pub fn work_calendar(&self) -> Result<crate::calendar::WorkCalendar> {
        match self.setting(CALENDAR_KEY)? {
            Some(text) => crate::calendar::WorkCalendar::with_override(&text)
                .map_err(|e| StoreError::Invalid(format!("lịch điều chỉnh trong cơ sở dữ liệu: {e}"))),
            None => Ok(crate::calendar::WorkCalendar::default_vietnam()),
        }
    }

    /// Sets (or with `None` removes) the calendar override (administrator only;
    /// validated first).
    pub fn set_calendar_override(&mut self, actor: &Actor, toml_text: Option<&str>) -> Result<()> {
        self.store_calendar_override(actor, (toml_text, None), "lịch làm việc")
    }

    /// Replaces the calendar override read earlier as `loaded` with `toml_text`,
    /// refused when another change came in between (two administrators at once).
    pub fn replace_calendar_override(
        &mut self,
        actor: &Actor,
        loaded: Option<&str>,
        toml_text: Option<&str>,
    ) -> Result<()> {
        self.store_calendar_override(actor, (toml_text, Some(loaded)), "lịch làm việc")
    }

    fn store_calendar_override(
        &mut self,
        actor: &Actor,
        (toml_text, expected): (Option<&str>, Option<Option<&str>>),
        what: &str,
    ) -> Result<()> {
        self.require_admin(actor, "điều chỉnh lịch làm việc")?;
        check_override_size(toml_text)?;
        if let Some(text) = toml_text {
            crate::calendar::WorkCalendar::with_override(text).map_err(|e| StoreError::Invalid(e.to_string()))?;
        }
        self.set_override_audited(actor, CALENDAR_KEY, (toml_text, expected), what)
    }

    /// The retention table: the embedded one with the office's override applied.
    pub fn retention_table(&self) -> Result<crate::archive::RetentionTable> {
        let table = crate::archive::RetentionTable::embedded();
        match self.setting(RETENTION_KEY)? {
            Some(text) => table.with_override(&text).map_err(StoreError::Invalid),
            None => Ok(table),
        }
    }

    /// Sets (or with `None` removes) the office's retention table override
    /// (administrator), validated and audited like the other overrides.
    pub fn set_retention_override(&mut self, actor: &Actor, text: Option<&str>) -> Result<()> {
        self.require_admin(actor, "sửa bảng thời hạn bảo quản")?;
        check_override_size(text)?;
        if let Some(text) = text {
            crate::archive::RetentionTable::embedded().with_override(text).map_err(StoreError::Invalid)?;
        }
        self.set_override_audited(actor, RETENTION_KEY, (text, None), "bảng thời hạn bảo quản")
    }

    /// The office's override of a family's ruleset (TOML), if any.
    pub fn ruleset_override(&self, family: Family) -> Result<Option<String>> {
        self.setting(&override_key(family))
    }

    /// Sets (or with `None` removes) the office's override of a family's ruleset.
    /// Only an administrator may; the override is validated first.
    pub fn set_ruleset_override(&mut self, actor: &Actor, family: Family, toml_text: Option<&str>) -> Result<()> {
        self.store_ruleset_override(actor, family, (toml_text, None), &format!("bộ quy tắc {}", family.label()))
    }

    /// Replaces the override read earlier as `loaded` with `toml_text`, refused
    /// when another change came in between (two administrators at once).
    pub fn replace_ruleset_override(
        &mut self,
        actor: &Actor,
        family: Family,
        loaded: Option<&str>,
        toml_text: Option<&str>,
    ) -> Result<()> {
        let what = format!("bộ quy tắc {}", family.label());
        self.store_ruleset_override(actor, family, (toml_text, Some(loaded)), &what)
    }

    fn store_ruleset_override(
        &mut self,
        actor: &Actor,
        family: Family,
        (toml_text, expected): (Option<&str>, Option<Option<&str>>),
        what: &str,
    ) -> Result<()> {
        self.require_admin(actor, "điều chỉnh bộ quy tắc")?;
        check_override_size(toml_text)?;
        if let Some(text) = toml_text {
            Ruleset::with_override(default_ruleset_toml(family), text)
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
        }
        self.set_override_audited(actor, &override_key(family), (toml_text, expected), what)
    }

    /// Turns one rule of a family on or off and sets its level, by editing the
    /// office's override for the administrator (validated and audited like a
    /// hand-written one). The rule must be one of the family's.
    pub fn set_rule_choice(
        &mut self,
        actor: &Actor,
        family: Family,
        rule_id: &str,
        enabled: bool,
        severity: crate::ruleset::Severity,
    ) -> Result<()> {
        self.require_admin(actor, "điều chỉnh bộ quy tắc")?;
        let Some(default) = default_ruleset(family).rule(rule_id) else {
            return Err(StoreError::Invalid(format!("không có quy tắc {rule_id} (no such rule)")));
        };
        let current = self.ruleset_override(family)?;
        let text = crate::overrides::with_rule_choice(current.as_deref(), default, enabled, severity)
            .map_err(StoreError::Invalid)?;
        let level =
            if enabled { format!("áp dụng, mức {}", severity.label()) } else { "không áp dụng".to_owned() };
        let what = format!("bộ quy tắc {}, quy tắc {rule_id} {level}", family.label());
        self.store_ruleset_override(actor, family, (text.as_deref(), Some(current.as_deref())), &what)
    }

    /// Makes `date` a rest day, a working day or a day of the default calendar for
    /// the office, by editing its calendar override (administrator only; audited).
    pub fn set_calendar_day(
        &mut self,
        actor: &Actor,
        date: chrono::NaiveDate,
        choice: crate::overrides::DayChoice,
    ) -> Result<()> {
        self.require_admin(actor, "điều chỉnh lịch làm việc")?;
        let current = self.setting(CALENDAR_KEY)?;
        let text = crate::overrides::with_day_choice(current.as_deref(), crate::calendar::HOLIDAYS_TOML, date, choice)
            .map_err(StoreError::Invalid)?;
        let effect = match choice {
            crate::overrides::DayChoice::RestDay => "ngày nghỉ",
            crate::overrides::DayChoice::WorkingDay => "ngày làm việc",
            crate::overrides::DayChoice::Default => "theo lịch chung",
        };
        let what = format!("lịch làm việc, ngày {} {effect}", date.format("%d/%m/%Y"));
        self.store_calendar_override(actor, (text.as_deref(), Some(current.as_deref())), &what)
    }

    /// Makes Saturday a working day of the office or not (administrator only; audited).
    pub fn set_saturday_working(&mut self, actor: &Actor, saturday_is_working: bool) -> Result<()> {
        self.require_admin(actor, "điều chỉnh lịch làm việc")?;
        let current = self.setting(CALENDAR_KEY)?;
        let text =
            crate::overrides::with_saturday(current.as_deref(), saturday_is_working).map_err(StoreError::Invalid)?;
        let what = if saturday_is_working {
            "lịch làm việc, thứ Bảy làm việc"
        } else {
            "lịch làm việc, thứ Bảy nghỉ"
        };
        self.store_calendar_override(actor, (text.as_deref(), Some(current.as_deref())), what)
    }

    /// The ruleset in force for a family: the embedded default with the office's override.
    pub fn effective_ruleset(&self, family: Family) -> Result<Ruleset> {
        match self.ruleset_override(family)? {
            Some(text) => Ruleset::with_override(default_ruleset_toml(family), &text)
                .map_err(|e| StoreError::Invalid(format!("bộ quy tắc điều chỉnh trong cơ sở dữ liệu: {e}"))),
            None => Ok(default_ruleset(family).clone()),
        }
    }

    /// What the authority rules need to know about the office's agencies.
    pub fn office_facts(&self) -> Result<OfficeFacts> {
        use std::collections::HashMap;
        // Four queries for the whole office, grouped here: every workflow step asks
        // for these facts, and on a server each query is a round trip.
        let mut people: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT p.agency_id, p.full_name, pos.title FROM people p JOIN positions pos ON pos.id = p.position_id
             WHERE p.agency_id IS NOT NULL ORDER BY p.id",
        )?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))? {
            let (agency, name, title) = row?;
            people.entry(agency).or_default().push((name, title));
        }
        let mut authority: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT m.agency_id, pos.title, m.kind FROM authority_matrix m JOIN positions pos ON pos.id = m.position_id
             ORDER BY m.id",
        )?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))? {
            let (agency, title, kind) = row?;
            authority.entry(agency).or_default().push((title, kind));
        }
        let mut delegations: HashMap<i64, Vec<(crate::model::Delegation, String)>> = HashMap::new();
        for (delegation, name) in self.all_delegations_with_names()? {
            delegations.entry(delegation.agency_id).or_default().push((delegation, name));
        }
        let mut agencies = Vec::new();
        for agency in self.agencies()? {
            agencies.push(AgencyFacts {
                authority: authority.remove(&agency.id).unwrap_or_default(),
                family: Some(agency.family),
                name: agency.name,
                parent_name: agency.parent_name,
                collective: agency.collective,
                people: people.remove(&agency.id).unwrap_or_default(),
                delegations: delegations.remove(&agency.id).unwrap_or_default(),
            });
        }
        Ok(OfficeFacts { agencies })
    }
}
