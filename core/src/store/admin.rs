//! Administration (Quản trị): the administrator's changes to the office's
//! organisation (units, positions, people), the authority matrix, delegations with
//! their dates, the working calendar and the rulesets. Every change is refused to
//! anyone but an administrator, validated, and recorded in the hash-chained audit
//! log (subject `system`) in the same transaction, so the log names who changed the
//! rules every later check relies on.

use super::sql::{OptionalExtension, Transaction, params};
use chrono::NaiveDate;

use super::effects::{AdminEffect, Author, account_effect, delegation_effect, record_effects};
use super::org::{
    NewDelegation, NewPerson, NewPosition, NewUnit, insert_person, upsert_delegation, upsert_position, upsert_unit,
};
use super::workflow::append_event;
use super::{Actor, Result, Store, StoreError};
use crate::model::{Delegation, Role};
use crate::text::nfc;

/// One line of the authority matrix: a position of an agency may sign a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityGrant {
    /// Agency.
    pub agency_id: i64,
    /// Position.
    pub position_id: i64,
    /// Its title.
    pub position_title: String,
    /// Kind code, `*` for every kind.
    pub kind: String,
}

/// Records an administrator's change in the audit log.
pub(crate) fn admin_event(tx: &Transaction<'_>, actor: &Actor, action: &str, comment: &str) -> Result<()> {
    let user = actor.user();
    append_event(
        tx,
        &super::workflow::system_event(Some(user.id), &user.username, Role::Admin.code(), action, comment, None),
    )
    .map(|_| ())
}

fn require_text(value: &str, what: &str) -> Result<String> {
    let value = nfc(value.trim());
    if value.is_empty() {
        return Err(StoreError::Invalid(format!("{what} không được để trống")));
    }
    Ok(value)
}

fn exists(tx: &Transaction<'_>, sql: &str, id: i64) -> Result<bool> {
    Ok(tx.query_row(sql, [id], |_| Ok(())).optional()?.is_some())
}

impl Store {
    /// Adds a unit to an agency (administrator only, audited).
    pub fn create_unit(&mut self, actor: &Actor, unit: &NewUnit) -> Result<i64> {
        self.require_admin(actor, "tạo đơn vị")?;
        let name = require_text(&unit.name, "tên đơn vị")?;
        let abbreviation = require_text(&unit.abbreviation, "chữ viết tắt của đơn vị")?;
        self.write(|tx| {
            if !exists(tx, "SELECT 1 FROM agencies WHERE id = ?1", unit.agency_id)? {
                return Err(StoreError::NotFound(format!("cơ quan #{}", unit.agency_id)));
            }
            let id = upsert_unit(tx, &NewUnit { agency_id: unit.agency_id, name: name.clone(), abbreviation })?;
            admin_event(tx, actor, "create-unit", &format!("đơn vị #{id} {name}"))?;
            Ok(id)
        })
    }

    /// Adds a position (chức vụ) to an agency (administrator only, audited).
    pub fn create_position(&mut self, actor: &Actor, position: &NewPosition) -> Result<i64> {
        self.require_admin(actor, "tạo chức vụ")?;
        let title = require_text(&position.title, "tên chức vụ")?;
        self.write(|tx| {
            if !exists(tx, "SELECT 1 FROM agencies WHERE id = ?1", position.agency_id)? {
                return Err(StoreError::NotFound(format!("cơ quan #{}", position.agency_id)));
            }
            let id = upsert_position(tx, &NewPosition { title: title.clone(), ..position.clone() })?;
            admin_event(tx, actor, "create-position", &format!("chức vụ #{id} {title} ({})", position.rank.code()))?;
            Ok(id)
        })
    }

    /// Adds a person (administrator only, audited). The unit and the position must
    /// belong to the person's agency.
    pub fn create_person(&mut self, actor: &Actor, person: &NewPerson) -> Result<i64> {
        self.require_admin(actor, "thêm cán bộ")?;
        let full_name = require_text(&person.full_name, "họ tên")?;
        self.write(|tx| {
            let belongs = |table: &str, id: Option<i64>| -> Result<bool> {
                match (id, person.agency_id) {
                    (None, _) => Ok(true),
                    (Some(_), None) => Ok(false),
                    (Some(id), Some(agency)) => Ok(tx
                        .query_row(
                            &format!("SELECT 1 FROM {table} WHERE id = ?1 AND agency_id = ?2"),
                            [id, agency],
                            |_| Ok(()),
                        )
                        .optional()?
                        .is_some()),
                }
            };
            if !belongs("units", person.unit_id)? || !belongs("positions", person.position_id)? {
                return Err(StoreError::Invalid("đơn vị và chức vụ phải thuộc cơ quan của người đó".into()));
            }
            let id = insert_person(tx, &NewPerson { full_name: full_name.clone(), ..person.clone() })?;
            admin_event(tx, actor, "create-person", &format!("người #{id} {full_name}"))?;
            Ok(id)
        })
    }

    /// The authority matrix of an agency, by position.
    pub fn authority_grants(&self, agency_id: i64) -> Result<Vec<AuthorityGrant>> {
        let mut stmt = self.conn.prepare(
            "SELECT m.agency_id, m.position_id, p.title, m.kind FROM authority_matrix m
               JOIN positions p ON p.id = m.position_id
              WHERE m.agency_id = ?1 ORDER BY p.id, m.kind",
        )?;
        let rows = stmt.query_map([agency_id], |r| {
            Ok(AuthorityGrant {
                agency_id: r.get(0)?,
                position_id: r.get(1)?,
                position_title: r.get(2)?,
                kind: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<super::sql::Result<_>>()?)
    }

    /// Allows a position to sign a kind of document (`*`: every kind); administrator
    /// only, audited.
    pub fn grant_authority(&mut self, actor: &Actor, agency_id: i64, position_id: i64, kind: &str) -> Result<()> {
        self.require_admin(actor, "phân quyền ký")?;
        if kind != "*" && !crate::ruleset::is_known_kind(kind) {
            return Err(StoreError::Invalid(format!("loại văn bản `{kind}` không có trong danh mục")));
        }
        self.write(|tx| {
            let title: Option<String> = tx
                .query_row(
                    "SELECT title FROM positions WHERE id = ?1 AND agency_id = ?2",
                    [position_id, agency_id],
                    |r| r.get(0),
                )
                .optional()?;
            let title = title.ok_or_else(|| {
                StoreError::Invalid(format!("chức vụ #{position_id} không thuộc cơ quan #{agency_id}"))
            })?;
            super::org::upsert_authority(tx, agency_id, position_id, kind)?;
            let effect = AdminEffect::Authority { agency_id, position_id, kind: kind.to_owned(), granted: true };
            let comment = format!("{title} được ký `{kind}` (cơ quan #{agency_id})");
            record_effects(tx, &Author::admin(actor), "grant-authority", &comment, &[effect])
        })
    }

    /// Withdraws a line of the authority matrix (administrator only, audited).
    pub fn revoke_authority(&mut self, actor: &Actor, agency_id: i64, position_id: i64, kind: &str) -> Result<()> {
        self.require_admin(actor, "thu hồi quyền ký")?;
        self.write(|tx| {
            let removed = tx.execute(
                "DELETE FROM authority_matrix WHERE agency_id = ?1 AND position_id = ?2 AND kind = ?3",
                params![agency_id, position_id, kind],
            )?;
            if removed == 0 {
                return Err(StoreError::NotFound(format!("quyền ký `{kind}` của chức vụ #{position_id}")));
            }
            let effect = AdminEffect::Authority { agency_id, position_id, kind: kind.to_owned(), granted: false };
            let comment = format!("chức vụ #{position_id} thôi ký `{kind}` (cơ quan #{agency_id})");
            record_effects(tx, &Author::admin(actor), "revoke-authority", &comment, &[effect])
        })
    }

    /// Every delegation of an agency, newest first.
    pub fn delegations_of(&self, agency_id: i64) -> Result<Vec<Delegation>> {
        let people: Vec<i64> = {
            let mut stmt = self.conn.prepare("SELECT DISTINCT to_person_id FROM delegations WHERE agency_id = ?1")?;
            stmt.query_map([agency_id], |r| r.get(0))?.collect::<super::sql::Result<_>>()?
        };
        let mut all = Vec::new();
        for person in people {
            all.extend(self.delegations_to(person)?.into_iter().filter(|d| d.agency_id == agency_id));
        }
        all.sort_by(|a, b| b.valid_from.cmp(&a.valid_from).then(b.id.cmp(&a.id)));
        Ok(all)
    }

    /// Records a delegation (ủy quyền, thừa lệnh) with its dates and written basis
    /// (administrator only, audited). The delegating position and the delegate must
    /// belong to the agency; the period must not end before it starts.
    pub fn create_delegation(&mut self, actor: &Actor, delegation: &NewDelegation) -> Result<i64> {
        self.require_admin(actor, "ghi ủy quyền")?;
        let basis = require_text(&delegation.basis, "căn cứ ủy quyền (văn bản ủy quyền)")?;
        if delegation.valid_until < delegation.valid_from {
            return Err(StoreError::Invalid(format!(
                "thời hạn ủy quyền kết thúc ({}) trước ngày bắt đầu ({})",
                delegation.valid_until.format("%d/%m/%Y"),
                delegation.valid_from.format("%d/%m/%Y")
            )));
        }
        for kind in &delegation.scope {
            if !crate::ruleset::is_known_kind(kind) {
                return Err(StoreError::Invalid(format!("loại văn bản `{kind}` không có trong danh mục")));
            }
        }
        self.write(|tx| {
            let agency = delegation.agency_id;
            let position_ok = tx
                .query_row(
                    "SELECT 1 FROM positions WHERE id = ?1 AND agency_id = ?2",
                    [delegation.from_position_id, agency],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            let person: Option<(String, Option<i64>)> = tx
                .query_row("SELECT full_name, agency_id FROM people WHERE id = ?1", [delegation.to_person_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            let Some((name, person_agency)) = person else {
                return Err(StoreError::NotFound(format!("người #{}", delegation.to_person_id)));
            };
            if !position_ok || person_agency != Some(agency) {
                return Err(StoreError::Invalid("chức vụ ủy quyền và người được ủy quyền phải cùng cơ quan".into()));
            }
            let id = upsert_delegation(tx, &NewDelegation { basis: basis.clone(), ..delegation.clone() })?;
            let comment = format!(
                "{} cho {name} từ {} đến {} theo {basis}",
                delegation.kind.code(),
                delegation.valid_from.format("%d/%m/%Y"),
                delegation.valid_until.format("%d/%m/%Y")
            );
            let effect = delegation_effect(tx, id)?;
            record_effects(tx, &Author::admin(actor), "create-delegation", &comment, &[effect])?;
            Ok(id)
        })
    }

    /// Ends a delegation early: its last day becomes `last_day` (not before its
    /// first day, never later than it was). Administrator only, audited.
    pub fn end_delegation(&mut self, actor: &Actor, id: i64, last_day: NaiveDate) -> Result<()> {
        self.require_admin(actor, "chấm dứt ủy quyền")?;
        self.write(|tx| {
            let row: Option<(String, String)> = tx
                .query_row("SELECT valid_from, valid_until FROM delegations WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            let (from, until) = row.ok_or_else(|| StoreError::NotFound(format!("ủy quyền #{id}")))?;
            let last = last_day.to_string();
            if last < from || last > until {
                return Err(StoreError::Invalid(format!("ngày kết thúc {last} phải trong thời hạn {from} – {until}")));
            }
            tx.execute("UPDATE delegations SET valid_until = ?1 WHERE id = ?2", params![last, id])?;
            let comment = format!("ủy quyền #{id} kết thúc ngày {last}");
            record_effects(tx, &Author::admin(actor), "end-delegation", &comment, &[delegation_effect(tx, id)?])
        })
    }

    /// Changes an account's roles and whether it may log in (administrator only,
    /// audited). The last active administrator cannot be removed or deactivated, so
    /// the office never locks itself out.
    pub fn set_user_access(&mut self, actor: &Actor, user_id: i64, roles: &[Role], active: bool) -> Result<()> {
        self.require_admin(actor, "đổi vai trò tài khoản")?;
        self.write(|tx| {
            let username: Option<String> =
                tx.query_row("SELECT username FROM users WHERE id = ?1", [user_id], |r| r.get(0)).optional()?;
            let username = username.ok_or_else(|| StoreError::NotFound(format!("tài khoản #{user_id}")))?;
            let other_admins: i64 = tx.query_row(
                "SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id
                  WHERE r.role = 'admin' AND u.active = 1 AND u.id <> ?1",
                [user_id],
                |r| r.get(0),
            )?;
            if other_admins == 0 && !(active && roles.contains(&Role::Admin)) {
                return Err(StoreError::Invalid(format!(
                    "{username} là quản trị viên cuối cùng: không thể bỏ vai trò Quản trị hay khóa tài khoản này"
                )));
            }
            tx.execute("DELETE FROM user_roles WHERE user_id = ?1", [user_id])?;
            for role in roles {
                tx.execute(
                    "INSERT INTO user_roles (user_id, role) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    params![user_id, role.code()],
                )?;
            }
            tx.execute("UPDATE users SET active = ?1 WHERE id = ?2", params![active, user_id])?;
            let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
            let state = if active { "hoạt động" } else { "khóa" };
            let comment = format!("{username}: {} ({state})", codes.join(", "));
            record_effects(tx, &Author::admin(actor), "set-access", &comment, &[account_effect(tx, user_id)?])
        })
    }

    /// Sets or removes a stored override (calendar or ruleset) and records it. With
    /// `expected`, only if the stored override is still that one (another
    /// administrator's change since it was read is not overwritten).
    pub(crate) fn set_override_audited(
        &mut self,
        actor: &Actor,
        key: &str,
        (text, expected): (Option<&str>, Option<Option<&str>>),
        what: &str,
    ) -> Result<()> {
        self.write(|tx| {
            if let Some(expected) = expected {
                let current: Option<String> =
                    tx.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?;
                if current.as_deref() != expected {
                    return Err(StoreError::Invalid(
                        "bản điều chỉnh đã được thay đổi từ khi mở (có thể bởi một quản trị viên khác): \
                         mở lại trang để xem bản mới rồi sửa (override changed since it was read)"
                            .into(),
                    ));
                }
            }
            super::put_setting(tx, key, text)?;
            let comment = match text {
                Some(value) => {
                    format!("{what}: {} dòng, sha256 {}", value.lines().count(), super::documents::sha256_hex(value))
                }
                None => format!("{what}: bỏ bản điều chỉnh"),
            };
            admin_event(tx, actor, "set-override", &comment)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{DEMO_PASSWORD, load_demo_office};
    use crate::model::{DelegationKind, PositionRank};

    fn store() -> (Store, Actor, Actor) {
        let mut store = Store::open_in_memory().unwrap();
        load_demo_office(&mut store, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()).unwrap();
        let admin = store.login("admin", DEMO_PASSWORD).unwrap();
        let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
        (store, admin, drafter)
    }

    fn system_events(store: &Store) -> Vec<String> {
        store.audit_events(None).unwrap().into_iter().filter(|e| e.subject == "system").map(|e| e.action).collect()
    }

    #[test]
    fn the_administrator_changes_the_organisation_and_each_change_is_audited() {
        let (mut store, admin, drafter) = store();
        let agency = store.agencies().unwrap()[0].id;
        let position =
            NewPosition { agency_id: agency, title: "Phó Chánh Văn phòng".into(), rank: PositionRank::Deputy };
        assert!(matches!(store.create_position(&drafter, &position), Err(StoreError::Denied(_))));
        let pos = store.create_position(&admin, &position).unwrap();
        let unit = store
            .create_unit(
                &admin,
                &NewUnit { agency_id: agency, name: "Phòng Lưu trữ".into(), abbreviation: "PLT".into() },
            )
            .unwrap();
        let person = NewPerson {
            full_name: "  Trần Thị Mai ".into(),
            agency_id: Some(agency),
            unit_id: Some(unit),
            position_id: Some(pos),
        };
        let mai = store.create_person(&admin, &person).unwrap();
        assert!(store.people().unwrap().iter().any(|p| p.id == mai && p.full_name == "Trần Thị Mai"));
        let other = store.agencies().unwrap().into_iter().find(|a| a.id != agency).unwrap().id;
        let wrong = NewPerson { agency_id: Some(other), ..person };
        assert!(matches!(store.create_person(&admin, &wrong), Err(StoreError::Invalid(_))));

        store.grant_authority(&admin, agency, pos, "cong-van").unwrap();
        assert!(store.authority_grants(agency).unwrap().iter().any(|g| g.position_id == pos && g.kind == "cong-van"));
        assert!(store.grant_authority(&admin, agency, pos, "khong-co").is_err());
        store.revoke_authority(&admin, agency, pos, "cong-van").unwrap();
        assert!(!store.authority_grants(agency).unwrap().iter().any(|g| g.position_id == pos));
        assert!(matches!(store.revoke_authority(&admin, agency, pos, "cong-van"), Err(StoreError::NotFound(_))));

        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let mut delegation = NewDelegation {
            kind: DelegationKind::ThuaUyQuyen,
            agency_id: agency,
            from_position_id: pos,
            to_person_id: mai,
            scope: vec!["giay-moi".into()],
            valid_from: d("2026-12-01"),
            valid_until: d("2026-11-01"),
            basis: "Giấy ủy quyền số 05/GUQ-VP".into(),
        };
        assert!(
            matches!(store.create_delegation(&admin, &delegation), Err(StoreError::Invalid(_))),
            "ends before it starts"
        );
        delegation.valid_until = d("2026-12-31");
        let id = store.create_delegation(&admin, &delegation).unwrap();
        assert!(store.delegations_of(agency).unwrap().iter().any(|x| x.id == id));
        assert!(store.end_delegation(&admin, id, d("2027-01-05")).is_err(), "never later than it was");
        store.end_delegation(&admin, id, d("2026-12-15")).unwrap();
        assert_eq!(
            store.delegations_of(agency).unwrap().iter().find(|x| x.id == id).unwrap().valid_until,
            d("2026-12-15")
        );

        let events = system_events(&store);
        for action in [
            "create-position",
            "create-unit",
            "create-person",
            "grant-authority",
            "revoke-authority",
            "create-delegation",
            "end-delegation",
        ] {
            assert!(events.iter().any(|e| e == action), "{action} audited: {events:?}");
        }
        assert_eq!(store.verify().unwrap(), None, "the chain still verifies");
    }

    #[test]
    fn roles_change_and_the_last_administrator_stays() {
        let (mut store, admin, drafter) = store();
        let id = drafter.user().id;
        assert!(store.set_user_access(&drafter, id, &[Role::Admin], true).is_err(), "no self-promotion");
        store.set_user_access(&admin, id, &[Role::Drafter, Role::VanThu], true).unwrap();
        assert!(store.login("buivantoan", DEMO_PASSWORD).unwrap().has(Role::VanThu));
        store.set_user_access(&admin, id, &[Role::Drafter], false).unwrap();
        assert!(matches!(store.login("buivantoan", DEMO_PASSWORD), Err(StoreError::BadCredentials)), "locked");
        let admins: Vec<i64> = store
            .users()
            .unwrap()
            .into_iter()
            .filter(|u| u.roles.contains(&Role::Admin) && u.active)
            .map(|u| u.id)
            .collect();
        for other in admins.iter().filter(|a| **a != admin.user().id) {
            store.set_user_access(&admin, *other, &[Role::Drafter], true).unwrap();
        }
        let own = admin.user().id;
        assert!(matches!(store.set_user_access(&admin, own, &[Role::VanThu], true), Err(StoreError::Invalid(_))));
        assert!(matches!(store.set_user_access(&admin, own, &[Role::Admin], false), Err(StoreError::Invalid(_))));
        assert!(system_events(&store).iter().any(|e| e == "set-access"));
    }

    #[test]
    fn overrides_are_validated_stored_and_audited() {
        let (mut store, admin, drafter) = store();
        let over =
            "[[year]]\nyear = 2027\ntet = [2027-02-05, 2027-02-08]\nworking_days = [2027-02-20]\ndays_off = []\n";
        assert!(store.set_calendar_override(&drafter, Some(over)).is_err());
        assert!(store.set_calendar_override(&admin, Some("[bogus]\nx = 1\n")).is_err());
        let huge = format!("# {}\n", "x".repeat(70 * 1024));
        assert!(store.set_calendar_override(&admin, Some(&huge)).unwrap_err().to_string().contains("vượt giới hạn"));
        store.set_calendar_override(&admin, Some(over)).unwrap();
        assert!(store.work_calendar().unwrap().is_working_day(NaiveDate::from_ymd_opt(2027, 2, 20).unwrap()));
        store.set_calendar_override(&admin, None).unwrap();
        assert!(!store.work_calendar().unwrap().is_working_day(NaiveDate::from_ymd_opt(2027, 2, 20).unwrap()));
        assert_eq!(system_events(&store).iter().filter(|e| *e == "set-override").count(), 2);
    }

    #[test]
    fn rules_and_days_are_chosen_without_writing_toml() {
        use crate::model::Family;
        use crate::overrides::DayChoice;
        use crate::ruleset::Severity;
        let (mut store, admin, drafter) = store();
        let rule = crate::ruleset::default_ruleset(Family::State).rules.iter().find(|r| r.enabled).unwrap().clone();
        assert!(store.set_rule_choice(&drafter, Family::State, &rule.id, false, rule.severity).is_err());
        assert!(store.set_rule_choice(&admin, Family::State, "XX-99", false, Severity::Warning).is_err());
        store.set_rule_choice(&admin, Family::State, &rule.id, false, Severity::Warning).unwrap();
        let ruleset = store.effective_ruleset(Family::State).unwrap();
        assert!(!ruleset.rule(&rule.id).unwrap().enabled);
        assert!(store.effective_ruleset(Family::Party).unwrap().rules.iter().all(|r| r.id != rule.id || r.enabled));
        store.set_rule_choice(&admin, Family::State, &rule.id, true, rule.severity).unwrap();
        assert_eq!(store.ruleset_override(Family::State).unwrap(), None, "back to the default: no override left");

        let day = NaiveDate::from_ymd_opt(2027, 6, 15).unwrap();
        assert!(store.work_calendar().unwrap().is_working_day(day), "a plain Tuesday");
        assert!(store.set_calendar_day(&drafter, day, DayChoice::RestDay).is_err());
        store.set_calendar_day(&admin, day, DayChoice::RestDay).unwrap();
        assert!(!store.work_calendar().unwrap().is_working_day(day));
        store.set_saturday_working(&admin, true).unwrap();
        let saturday = NaiveDate::from_ymd_opt(2027, 3, 6).unwrap();
        assert!(store.work_calendar().unwrap().is_working_day(saturday));
        assert!(!store.work_calendar().unwrap().is_working_day(day), "the rest day stays");
        store.set_calendar_day(&admin, day, DayChoice::Default).unwrap();
        assert!(store.work_calendar().unwrap().is_working_day(day));
        assert_eq!(system_events(&store).iter().filter(|e| *e == "set-override").count(), 5);
    }
}
