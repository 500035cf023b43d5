//! Who the window names beside a step: the people who may take the step after it
//! ("Trình ông/bà …, Trưởng phòng …") and the people a letter may be given to, each
//! with their position and unit. Decided by the same rules as the steps themselves
//! ([`crate::workflow::available_to`]); the window invents no authority.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Result, Store};
use crate::workflow::{Action, IncomingAction, available_to};

/// A person as the window names them: full name, position, unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonLine {
    /// Their user name (what steps are given).
    pub username: String,
    /// Full name.
    pub full_name: String,
    /// Their position's title (`Trưởng phòng`), if recorded.
    pub position: Option<String>,
    /// Their unit (`Phòng Hành chính - Tổ chức`) or, without one, their agency.
    pub unit: Option<String>,
}

impl PersonLine {
    /// `Full name — position, unit` (what is known of it).
    pub fn label(&self) -> String {
        let place: Vec<&str> = [self.position.as_deref(), self.unit.as_deref()].into_iter().flatten().collect();
        if place.is_empty() { self.full_name.clone() } else { format!("{} — {}", self.full_name, place.join(", ")) }
    }

    /// `ông/bà Full name, position` (a step's recipient).
    pub fn addressed(&self) -> String {
        match &self.position {
            Some(position) => format!("ông/bà {}, {position}", self.full_name),
            None => format!("ông/bà {}", self.full_name),
        }
    }
}

/// A position's title as written in a sentence: the capitals of the signature
/// block (`CHÁNH VĂN PHÒNG`) become `Chánh văn phòng`, and the name of the
/// person's unit inside it keeps the unit's own capitals (`TRƯỞNG PHÒNG HÀNH
/// CHÍNH - TỔ CHỨC` in `Phòng Hành chính - Tổ chức`: `Trưởng phòng Hành chính - Tổ
/// chức`); a title already in mixed case is kept.
fn title_case(title: &str, unit: Option<&str>) -> String {
    if title.chars().any(char::is_lowercase) {
        return title.to_owned();
    }
    let mut lower = title.to_lowercase();
    // The unit's name without its first word (Phòng, Ban, Trung tâm …).
    if let Some(name) = unit.and_then(|u| u.split_once(' ')).map(|(_, rest)| rest.trim())
        && !name.is_empty()
        && let Some(at) = lower.find(&name.to_lowercase())
    {
        let end = at + name.to_lowercase().len();
        lower = format!("{}{name}{}", &lower[..at], &lower[end..]);
    }
    let mut chars = lower.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

impl Store {
    /// Every account's name, position and unit, by user name.
    pub fn person_lines(&self) -> Result<HashMap<String, PersonLine>> {
        let mut stmt = self.conn.prepare(
            "SELECT u.username, u.full_name, pos.title, un.name, a.name
             FROM users u
             LEFT JOIN people p ON p.id = u.person_id
             LEFT JOIN positions pos ON pos.id = p.position_id
             LEFT JOIN units un ON un.id = p.unit_id
             LEFT JOIN agencies a ON a.id = coalesce(p.agency_id, u.agency_id)",
        )?;
        let rows = stmt.query_map([], |r| {
            let unit: Option<String> = r.get(3)?;
            let agency: Option<String> = r.get(4)?;
            let position: Option<String> = r.get(2)?;
            Ok(PersonLine {
                username: r.get(0)?,
                full_name: r.get(1)?,
                position: position.map(|p| title_case(&p, unit.as_deref())),
                unit: unit.or(agency),
            })
        })?;
        let lines: Vec<PersonLine> = rows.collect::<super::sql::Result<_>>()?;
        Ok(lines.into_iter().map(|l| (l.username.clone(), l)).collect())
    }

    /// [`Store::incoming_handler_choices`] with each person's position and unit.
    pub fn incoming_handler_lines(&self, id: i64) -> Result<Vec<PersonLine>> {
        let lines = self.person_lines()?;
        Ok(self
            .incoming_handler_choices(id)?
            .into_iter()
            .map(|(username, full_name)| {
                lines.get(&username).cloned().unwrap_or(PersonLine { username, full_name, position: None, unit: None })
            })
            .collect())
    }

    /// Who may take the step that follows `action` on document `id` once it is
    /// taken today: after Trình duyệt, the heads who may approve its content; after
    /// Duyệt nội dung, the văn thư who check its format; after Duyệt thể thức, its
    /// signer. The same rules as the steps themselves decide (role, unit, agency,
    /// the authority matrix and delegations); a return is not counted. Active
    /// accounts only, by user name (the window sorts by full name).
    pub fn next_step_takers(&self, id: i64, action: Action, today: NaiveDate) -> Result<Vec<PersonLine>> {
        let mut facts = self.document_facts(id, today)?;
        facts.state = action.to_state();
        let lines = self.person_lines()?;
        let mut takers = Vec::new();
        for user in self.users()?.into_iter().filter(|u| u.active) {
            let who = super::authority::user_facts(&self.conn, &user)?;
            let steps = available_to(&who, &facts);
            if steps.iter().any(|a| !matches!(a, Action::Return | Action::Recall)) {
                takers.push(lines.get(&user.username).cloned().unwrap_or(PersonLine {
                    username: user.username.clone(),
                    full_name: user.full_name.clone(),
                    position: None,
                    unit: None,
                }));
            }
        }
        Ok(takers)
    }

    /// Who a văn thư presents incoming letter `id` to (Trình): the leaders who may
    /// then give it to someone to handle (Giao xử lý), by the rule of that step.
    pub fn incoming_present_takers(&self, id: i64) -> Result<Vec<PersonLine>> {
        let facts = super::authority::incoming_facts(&self.conn, id)?;
        let lines = self.person_lines()?;
        let mut takers = Vec::new();
        for user in self.users()?.into_iter().filter(|u| u.active) {
            let who = super::authority::user_facts(&self.conn, &user)?;
            if crate::workflow::authority::authorize_incoming(IncomingAction::Assign, &who, &facts).is_ok()
                && let Some(line) = lines.get(&user.username)
            {
                takers.push(line.clone());
            }
        }
        Ok(takers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OutgoingState;

    fn demo() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        crate::demo::load_demo(&mut store, chrono::Local::now().date_naive()).unwrap();
        store
    }

    /// Trình duyệt names the head of the drafting unit, and only them: the core's
    /// own check agrees (the named person may approve, another head may not).
    #[test]
    fn trinh_names_the_head_who_may_approve() {
        let mut store = demo();
        let today = chrono::Local::now().date_naive();
        let drafter = store.login("buivantoan", crate::demo::DEMO_PASSWORD).unwrap();
        let draft = store
            .documents_for(&drafter)
            .unwrap()
            .into_iter()
            .find(|d| d.state == OutgoingState::Draft.code() || d.state == OutgoingState::Returned.code())
            .expect("a draft of buivantoan")
            .id;
        let takers = store.next_step_takers(draft, Action::Submit, today).unwrap();
        assert!(!takers.is_empty(), "someone approves a draft");
        for t in &takers {
            assert!(t.position.is_some(), "{t:?} has a position");
            assert!(t.label().contains(" — "), "{}", t.label());
        }
        // Submitted, the document is approved by a named person and by nobody else.
        store.transition(draft, Action::Submit, &drafter, chrono::Local::now(), None).unwrap();
        for user in store.users().unwrap().into_iter().filter(|u| u.active) {
            let actor = store.login(&user.username, crate::demo::DEMO_PASSWORD);
            let Ok(actor) = actor else { continue };
            let may = store.available_actions(&actor, draft, today).unwrap().contains(&Action::Approve);
            let named = takers.iter().any(|t| t.username == user.username);
            assert_eq!(may, named, "{}: may approve {may}, named {named}", user.username);
        }
    }

    /// The leaders a letter is presented to are those who may then assign it.
    #[test]
    fn an_incoming_letter_is_presented_to_the_leaders_who_may_assign_it() {
        let store = demo();
        let letter = store.list_incoming().unwrap().into_iter().next().unwrap();
        let takers = store.incoming_present_takers(letter.id).unwrap();
        assert!(!takers.is_empty(), "the demo's leaders");
        for t in &takers {
            let user = store.users().unwrap().into_iter().find(|u| u.username == t.username).unwrap();
            assert!(user.roles.contains(&crate::model::Role::Leader), "{t:?}");
        }
    }

    #[test]
    fn a_person_line_says_name_position_and_unit() {
        let line = PersonLine {
            username: "a".into(),
            full_name: "Hồ Văn Phúc".into(),
            position: Some("Chuyên viên".into()),
            unit: Some("Phòng Hành chính - Tổ chức".into()),
        };
        assert_eq!(line.label(), "Hồ Văn Phúc — Chuyên viên, Phòng Hành chính - Tổ chức");
        assert_eq!(line.addressed(), "ông/bà Hồ Văn Phúc, Chuyên viên");
        assert_eq!(title_case("CHÁNH VĂN PHÒNG", None), "Chánh văn phòng");
        assert_eq!(title_case("Trưởng phòng", None), "Trưởng phòng");
        assert_eq!(
            title_case("TRƯỞNG PHÒNG HÀNH CHÍNH - TỔ CHỨC", Some("Phòng Hành chính - Tổ chức")),
            "Trưởng phòng Hành chính - Tổ chức"
        );
        assert_eq!(title_case("CHUYÊN VIÊN", Some("Phòng Kinh tế")), "Chuyên viên");
        let bare = PersonLine { position: None, unit: None, ..line };
        assert_eq!(bare.label(), "Hồ Văn Phúc");
    }
}
