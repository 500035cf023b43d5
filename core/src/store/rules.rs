//! Office data the rule engine reads: ruleset overrides and the facts of agencies.

use super::{Actor, Result, Store, StoreError};
use crate::model::Family;
use crate::rules::{AgencyFacts, OfficeFacts};
use crate::ruleset::{Ruleset, default_ruleset, default_ruleset_toml};

fn override_key(family: Family) -> String {
    format!("ruleset_override:{}", family.code())
}

const CALENDAR_KEY: &str = "calendar_override";

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
        self.require_admin(actor, "điều chỉnh lịch làm việc")?;
        if let Some(text) = toml_text {
            crate::calendar::WorkCalendar::with_override(text).map_err(|e| StoreError::Invalid(e.to_string()))?;
        }
        self.set_override_audited(actor, CALENDAR_KEY, toml_text, "lịch làm việc")
    }

    /// The office's override of a family's ruleset (TOML), if any.
    pub fn ruleset_override(&self, family: Family) -> Result<Option<String>> {
        self.setting(&override_key(family))
    }

    /// Sets (or with `None` removes) the office's override of a family's ruleset.
    /// Only an administrator may; the override is validated first.
    pub fn set_ruleset_override(&mut self, actor: &Actor, family: Family, toml_text: Option<&str>) -> Result<()> {
        self.require_admin(actor, "điều chỉnh bộ quy tắc")?;
        if let Some(text) = toml_text {
            Ruleset::with_override(default_ruleset_toml(family), text)
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
        }
        let key = override_key(family);
        self.set_override_audited(actor, &key, toml_text, &format!("bộ quy tắc {}", family.code()))
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
