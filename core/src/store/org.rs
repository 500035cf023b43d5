//! Agencies, units, positions, people and delegations.

use super::sql::{Connection, OptionalExtension, Row, Transaction, params};
use chrono::NaiveDate;

use super::{Result, Store, StoreError};
use crate::model::{Agency, Delegation, DelegationKind, Family, Person, Position, PositionRank, Role, Unit};
use crate::store::Actor;
use crate::text::nfc;

/// Data for a new agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgency {
    /// Family of its documents.
    pub family: Family,
    /// Superior agency in the database.
    pub parent_id: Option<i64>,
    /// Superior body as printed.
    pub parent_name: Option<String>,
    /// Name as printed (upper case).
    pub name: String,
    /// Name in normal case.
    pub short_name: String,
    /// Abbreviation.
    pub abbreviation: String,
    /// Place name.
    pub place: String,
    /// Collective regime.
    pub collective: bool,
    /// Address.
    pub address: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
}

/// Data for a new unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    /// Agency.
    pub agency_id: i64,
    /// Name.
    pub name: String,
    /// Abbreviation.
    pub abbreviation: String,
}

/// Data for a new position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPosition {
    /// Agency.
    pub agency_id: i64,
    /// Title as printed.
    pub title: String,
    /// Rank.
    pub rank: PositionRank,
}

/// Data for a new person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    /// Full name.
    pub full_name: String,
    /// Agency.
    pub agency_id: Option<i64>,
    /// Unit.
    pub unit_id: Option<i64>,
    /// Position.
    pub position_id: Option<i64>,
}

/// Data for a new user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Login name (ASCII).
    pub username: String,
    /// Full name.
    pub full_name: String,
    /// Person record.
    pub person_id: Option<i64>,
    /// Agency.
    pub agency_id: Option<i64>,
    /// Roles.
    pub roles: Vec<Role>,
}

/// Data for a new delegation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelegation {
    /// Kind.
    pub kind: DelegationKind,
    /// Agency.
    pub agency_id: i64,
    /// Delegating position.
    pub from_position_id: i64,
    /// Delegate.
    pub to_person_id: i64,
    /// Kinds covered (empty: all).
    pub scope: Vec<String>,
    /// Valid from.
    pub valid_from: NaiveDate,
    /// Valid until.
    pub valid_until: NaiveDate,
    /// Written basis.
    pub basis: String,
}

fn opt_nfc(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(nfc)
}

/// Inserts an agency or returns the id of the one with the same identity.
pub(crate) fn upsert_agency(tx: &Transaction<'_>, a: &NewAgency) -> Result<i64> {
    let parent_name = opt_nfc(&a.parent_name);
    let name = nfc(a.name.trim());
    tx.execute(
        "INSERT INTO agencies (family, parent_id, parent_name, name, short_name, abbreviation, place, collective,
                               address, phone, email)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING",
        params![
            a.family.code(),
            a.parent_id,
            parent_name,
            name,
            nfc(a.short_name.trim()),
            nfc(a.abbreviation.trim()),
            nfc(a.place.trim()),
            a.collective,
            opt_nfc(&a.address),
            opt_nfc(&a.phone),
            opt_nfc(&a.email)
        ],
    )?;
    Ok(tx.query_row(
        "SELECT id FROM agencies WHERE family = ?1 AND coalesce(parent_name, '') = coalesce(?2, '') AND name = ?3",
        params![a.family.code(), parent_name, name],
        |r| r.get(0),
    )?)
}

pub(crate) fn upsert_unit(tx: &Transaction<'_>, u: &NewUnit) -> Result<i64> {
    let abbreviation = nfc(u.abbreviation.trim());
    tx.execute(
        "INSERT INTO units (agency_id, name, abbreviation) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        params![u.agency_id, nfc(u.name.trim()), abbreviation],
    )?;
    Ok(tx.query_row(
        "SELECT id FROM units WHERE agency_id = ?1 AND abbreviation = ?2",
        params![u.agency_id, abbreviation],
        |r| r.get(0),
    )?)
}

pub(crate) fn upsert_position(tx: &Transaction<'_>, p: &NewPosition) -> Result<i64> {
    let title = nfc(p.title.trim());
    tx.execute(
        "INSERT INTO positions (agency_id, title, rank) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        params![p.agency_id, title, p.rank.code()],
    )?;
    Ok(tx.query_row(
        "SELECT id FROM positions WHERE agency_id = ?1 AND title = ?2",
        params![p.agency_id, title],
        |r| r.get(0),
    )?)
}

pub(crate) fn insert_person(tx: &Transaction<'_>, p: &NewPerson) -> Result<i64> {
    let new_id = tx.query_row(
        "INSERT INTO people (full_name, agency_id, unit_id, position_id) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        params![nfc(p.full_name.trim()), p.agency_id, p.unit_id, p.position_id],
        |r| r.get::<_, i64>(0),
    )?;
    Ok(new_id)
}

pub(crate) fn upsert_delegation(tx: &Transaction<'_>, d: &NewDelegation) -> Result<i64> {
    let scope = serde_json::to_string(&d.scope).expect("strings serialise");
    tx.execute(
        "INSERT INTO delegations (kind, agency_id, from_position_id, to_person_id, scope_json, valid_from,
                                  valid_until, basis)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
        params![
            d.kind.code(),
            d.agency_id,
            d.from_position_id,
            d.to_person_id,
            scope,
            d.valid_from.to_string(),
            d.valid_until.to_string(),
            nfc(&d.basis)
        ],
    )?;
    Ok(tx.query_row(
        "SELECT id FROM delegations WHERE kind = ?1 AND from_position_id = ?2 AND to_person_id = ?3 AND valid_from = ?4",
        params![d.kind.code(), d.from_position_id, d.to_person_id, d.valid_from.to_string()],
        |r| r.get(0),
    )?)
}

/// Allows a position of an agency to sign a kind (`*`: every kind).
pub(crate) fn upsert_authority(tx: &Transaction<'_>, agency_id: i64, position_id: i64, kind: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO authority_matrix (agency_id, position_id, kind) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        params![agency_id, position_id, kind],
    )?;
    Ok(())
}

fn agency_from_row(r: &Row) -> super::sql::Result<Agency> {
    let family: String = r.get(1)?;
    Ok(Agency {
        id: r.get(0)?,
        family: Family::from_code(&family).unwrap_or(Family::State),
        parent_id: r.get(2)?,
        parent_name: r.get(3)?,
        name: r.get(4)?,
        short_name: r.get(5)?,
        abbreviation: r.get(6)?,
        place: r.get(7)?,
        collective: r.get::<_, i64>(8)? == 1,
        address: r.get(9)?,
        phone: r.get(10)?,
        email: r.get(11)?,
    })
}

const AGENCY_COLUMNS: &str =
    "id, family, parent_id, parent_name, name, short_name, abbreviation, place, collective, address, phone, email";

pub(crate) fn agency_by_id(conn: &Connection, id: i64) -> Result<Option<Agency>> {
    Ok(conn
        .query_row(&format!("SELECT {AGENCY_COLUMNS} FROM agencies WHERE id = ?1"), [id], agency_from_row)
        .optional()?)
}

impl Store {
    /// Creates an agency (administrator only).
    pub fn create_agency(&mut self, actor: &Actor, agency: &NewAgency) -> Result<Agency> {
        self.require_admin(actor, "tạo cơ quan")?;
        if agency.name.trim().is_empty() || agency.abbreviation.trim().is_empty() {
            return Err(StoreError::Invalid("tên cơ quan và chữ viết tắt không được để trống".into()));
        }
        let id = self.write(|tx| {
            let id = upsert_agency(tx, agency)?;
            super::admin::admin_event(tx, actor, "create-agency", &format!("cơ quan #{id} {}", agency.name.trim()))?;
            Ok(id)
        })?;
        agency_by_id(&self.conn, id)?.ok_or_else(|| StoreError::NotFound(format!("cơ quan #{id}")))
    }

    /// Every agency, by name.
    pub fn agencies(&self) -> Result<Vec<Agency>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {AGENCY_COLUMNS} FROM agencies ORDER BY family, coalesce(parent_name, ''), name"
        ))?;
        Ok(stmt.query_map([], agency_from_row)?.collect::<super::sql::Result<_>>()?)
    }

    /// One agency.
    pub fn agency(&self, id: i64) -> Result<Option<Agency>> {
        agency_by_id(&self.conn, id)
    }

    /// The units of an agency.
    pub fn units(&self, agency_id: i64) -> Result<Vec<Unit>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, agency_id, name, abbreviation FROM units WHERE agency_id = ?1 ORDER BY name")?;
        let rows = stmt.query_map([agency_id], |r| {
            Ok(Unit { id: r.get(0)?, agency_id: r.get(1)?, name: r.get(2)?, abbreviation: r.get(3)? })
        })?;
        Ok(rows.collect::<super::sql::Result<_>>()?)
    }

    /// The positions of an agency.
    pub fn positions(&self, agency_id: i64) -> Result<Vec<Position>> {
        let mut stmt =
            self.conn.prepare("SELECT id, agency_id, title, rank FROM positions WHERE agency_id = ?1 ORDER BY id")?;
        let rows = stmt.query_map([agency_id], |r| {
            let rank: String = r.get(3)?;
            Ok(Position {
                id: r.get(0)?,
                agency_id: r.get(1)?,
                title: r.get(2)?,
                rank: PositionRank::from_code(&rank).unwrap_or(PositionRank::Staff),
            })
        })?;
        Ok(rows.collect::<super::sql::Result<_>>()?)
    }

    /// Every person, by name.
    pub fn people(&self) -> Result<Vec<Person>> {
        let mut stmt =
            self.conn.prepare("SELECT id, full_name, agency_id, unit_id, position_id FROM people ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(Person {
                id: r.get(0)?,
                full_name: r.get(1)?,
                agency_id: r.get(2)?,
                unit_id: r.get(3)?,
                position_id: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<super::sql::Result<_>>()?)
    }

    /// Delegations granted to a person.
    pub fn delegations_to(&self, person_id: i64) -> Result<Vec<Delegation>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {DELEGATION_COLUMNS}, '' FROM delegations d WHERE d.to_person_id = ?1 ORDER BY d.valid_from"
        ))?;
        let rows = stmt.query_map([person_id], delegation_row)?;
        Ok(rows.map(|r| r.map(|(d, _)| d)).collect::<super::sql::Result<_>>()?)
    }

    /// Every delegation of the office with the delegate's full name, in the order
    /// each person's list gives them (by person, then start date).
    pub(crate) fn all_delegations_with_names(&self) -> Result<Vec<(Delegation, String)>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {DELEGATION_COLUMNS}, p.full_name FROM delegations d JOIN people p ON p.id = d.to_person_id
             ORDER BY d.to_person_id, d.valid_from"
        ))?;
        let rows = stmt.query_map([], delegation_row)?;
        Ok(rows.collect::<super::sql::Result<_>>()?)
    }
}

/// The columns of a delegation row, for [`delegation_row`].
const DELEGATION_COLUMNS: &str =
    "d.id, d.kind, d.agency_id, d.from_position_id, d.to_person_id, d.scope_json, d.valid_from, d.valid_until, d.basis";

/// A delegation and the text column after it.
fn delegation_row(r: &super::sql::Row) -> super::sql::Result<(Delegation, String)> {
    let kind: String = r.get(1)?;
    let scope: String = r.get(5)?;
    let from: String = r.get(6)?;
    let until: String = r.get(7)?;
    Ok((
        Delegation {
            id: r.get(0)?,
            kind: DelegationKind::from_code(&kind).unwrap_or(DelegationKind::ThuaLenh),
            agency_id: r.get(2)?,
            from_position_id: r.get(3)?,
            to_person_id: r.get(4)?,
            scope: serde_json::from_str(&scope).unwrap_or_default(),
            valid_from: from.parse().unwrap_or_default(),
            valid_until: until.parse().unwrap_or_default(),
            basis: r.get(8)?,
        },
        r.get(9)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agency() -> NewAgency {
        NewAgency {
            family: Family::State,
            parent_id: None,
            parent_name: None,
            name: "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC".into(),
            short_name: "UBND tỉnh Bình Phước".into(),
            abbreviation: "UBND".into(),
            place: "Đồng Xoài".into(),
            collective: true,
            address: None,
            phone: None,
            email: None,
        }
    }

    #[test]
    fn agencies_are_created_once_by_admins_only() {
        let mut store = Store::open_in_memory().unwrap();
        let admin = store.create_first_admin("quantri", "", "matkhau-2026").unwrap();
        let a = store.create_agency(&admin, &agency()).unwrap();
        assert!(a.collective);
        let again = store.create_agency(&admin, &agency()).unwrap();
        assert_eq!(a.id, again.id, "same identity gives the same agency");
        assert_eq!(store.agencies().unwrap().len(), 1);
        let unit = NewUnit { agency_id: a.id, name: "Phòng Kinh tế".into(), abbreviation: "KT".into() };
        let u1 = store.create_unit(&admin, &unit).unwrap();
        assert_eq!(store.create_unit(&admin, &unit).unwrap(), u1);
        assert_eq!(store.units(a.id).unwrap()[0].abbreviation, "KT");
    }
}
