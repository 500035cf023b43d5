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
        let mut agencies = Vec::new();
        for agency in self.agencies()? {
            let mut stmt = self.conn.prepare(
                "SELECT p.full_name, pos.title FROM people p JOIN positions pos ON pos.id = p.position_id
                 WHERE p.agency_id = ?1",
            )?;
            let people = stmt
                .query_map([agency.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
                .collect::<super::sql::Result<Vec<_>>>()?;
            let mut delegations = Vec::new();
            let mut stmt = self.conn.prepare("SELECT DISTINCT to_person_id FROM delegations WHERE agency_id = ?1")?;
            let delegates: Vec<i64> = stmt.query_map([agency.id], |r| r.get(0))?.collect::<super::sql::Result<_>>()?;
            for person_id in delegates {
                let name: String =
                    self.conn.query_row("SELECT full_name FROM people WHERE id = ?1", [person_id], |r| r.get(0))?;
                for d in self.delegations_to(person_id)?.into_iter().filter(|d| d.agency_id == agency.id) {
                    delegations.push((d, name.clone()));
                }
            }
            let mut stmt = self.conn.prepare(
                "SELECT pos.title, m.kind FROM authority_matrix m JOIN positions pos ON pos.id = m.position_id
                 WHERE m.agency_id = ?1",
            )?;
            let authority = stmt
                .query_map([agency.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
                .collect::<super::sql::Result<Vec<_>>>()?;
            agencies.push(AgencyFacts {
                authority,
                family: Some(agency.family),
                name: agency.name,
                parent_name: agency.parent_name,
                collective: agency.collective,
                people,
                delegations,
            });
        }
        Ok(OfficeFacts { agencies })
    }
}
