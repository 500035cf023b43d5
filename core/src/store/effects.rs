//! Administration effects: what an audited administration event did, as data.
//!
//! Every change to who may do what (accounts and their roles, the authority matrix,
//! delegations, signing keys) appends an audit event whose `effects` column holds a
//! JSON array of [`AdminEffect`]s, covered by the event's chained hash. Each effect
//! states a record *as it is after the event* (read back from the tables inside the
//! same transaction), so replaying the chain in order, last writer wins, must give
//! exactly the tables: [`Store::verify`] replays and compares, and a role granted,
//! an authority line added or a delegation widened with SQL behind the
//! application's back is reported.
//!
//! # Adding a new audited relation
//! 1. Add a variant to [`AdminEffect`] carrying the record's key and every column
//!    that matters, and a field to [`AdminState`].
//! 2. Fill it in [`AdminState::apply`] and [`AdminState::from_tables`] (same key,
//!    same text forms), and compare it in [`AdminState::first_difference`].
//! 3. In the write path, after changing the table, call [`record_effects`] with the
//!    effect built from the table (e.g. `account_effect(tx, id)`), in the same
//!    transaction. A legacy database gets a `baseline` event from [`baseline_if_needed`].

use std::collections::{BTreeMap, BTreeSet};

use super::sql::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::workflow::append_event;
use super::{Actor, Result, StoreError};
use crate::model::Role;
/// One effect of an administration event: a record as it is after the event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "kebab-case")]
pub enum AdminEffect {
    /// An account, its roles (codes, sorted) and whether it may log in.
    Account {
        /// `users.id`.
        user_id: i64,
        /// `users.username`.
        username: String,
        /// Role codes from `user_roles`, sorted.
        roles: Vec<String>,
        /// `users.active`.
        active: bool,
    },
    /// A line of the authority matrix, present (`granted`) or withdrawn.
    Authority {
        /// Agency.
        agency_id: i64,
        /// Position allowed to sign.
        position_id: i64,
        /// Kind code or `*`.
        kind: String,
        /// Whether the line exists after the event.
        granted: bool,
    },
    /// A delegation row as it is after the event.
    Delegation {
        /// `delegations.id`.
        id: i64,
        /// TL, TUQ or T/L.
        kind: String,
        /// Agency.
        agency_id: i64,
        /// The delegating position.
        from_position_id: i64,
        /// The delegate.
        to_person_id: i64,
        /// `scope_json` as stored.
        scope_json: String,
        /// First day.
        valid_from: String,
        /// Last day.
        valid_until: String,
        /// Written basis.
        basis: String,
    },
    /// A user's Ed25519 public key (hex), registered once.
    SigningKey {
        /// The key's owner.
        user_id: i64,
        /// Public key, hex.
        public_key: String,
    },
    /// A signing key retired by a password reset (signatures made with it still
    /// verify; the user gets a new key at the next signature).
    SigningKeyRetired {
        /// The account.
        user_id: i64,
    },
    /// The "serves" relation between agencies (issue #12), present or withdrawn.
    Serves {
        /// The agency whose office serves.
        provider_id: i64,
        /// The agency served.
        served_id: i64,
        /// Whether the relation exists after the event.
        serving: bool,
    },
}

/// Who an administration event names.
pub(crate) struct Author<'a> {
    /// The account, if any (none for the demo loader and the baseline).
    pub user_id: Option<i64>,
    /// Its user name, or `vanthu` / `demo` for the application itself.
    pub username: &'a str,
    /// Role code the change was made in (`admin`, or `system`).
    pub role: &'a str,
}

impl<'a> Author<'a> {
    /// An administrator acting in the administrator role.
    pub(crate) fn admin(actor: &'a Actor) -> Self {
        Author { user_id: Some(actor.user().id), username: &actor.user().username, role: Role::Admin.code() }
    }

    /// The application itself (demo loader, baseline).
    pub(crate) fn system(username: &'a str) -> Self {
        Author { user_id: None, username, role: "system" }
    }
}

/// Appends an audit event (subject `system`) carrying `effects`, in `tx`.
pub(crate) fn record_effects(
    tx: &Transaction<'_>,
    author: &Author<'_>,
    action: &str,
    comment: &str,
    effects: &[AdminEffect],
) -> Result<()> {
    let json = serde_json::to_string(effects).map_err(|e| StoreError::Invalid(format!("effects: {e}")))?;
    let event =
        super::workflow::system_event(author.user_id, author.username, author.role, action, comment, Some(&json));
    append_event(tx, &event).map(|_| ())
}

/// The account `user_id` as the tables hold it now.
pub(crate) fn account_effect(conn: &Connection, user_id: i64) -> Result<AdminEffect> {
    let (username, active): (String, i64) = conn
        .query_row("SELECT username, active FROM users WHERE id = ?1", [user_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("tài khoản #{user_id}")))?;
    let mut stmt = conn.prepare("SELECT role FROM user_roles WHERE user_id = ?1 ORDER BY role")?;
    let roles = stmt.query_map([user_id], |r| r.get(0))?.collect::<super::sql::Result<Vec<String>>>()?;
    Ok(AdminEffect::Account { user_id, username, roles, active: active == 1 })
}

/// The delegation `id` as the table holds it now.
pub(crate) fn delegation_effect(conn: &Connection, id: i64) -> Result<AdminEffect> {
    conn.query_row(
        "SELECT id, kind, agency_id, from_position_id, to_person_id, scope_json, valid_from, valid_until, basis
           FROM delegations WHERE id = ?1",
        [id],
        delegation_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("ủy quyền #{id}")))
}

fn delegation_row(r: &super::sql::Row) -> super::sql::Result<AdminEffect> {
    Ok(AdminEffect::Delegation {
        id: r.get(0)?,
        kind: r.get(1)?,
        agency_id: r.get(2)?,
        from_position_id: r.get(3)?,
        to_person_id: r.get(4)?,
        scope_json: r.get(5)?,
        valid_from: r.get(6)?,
        valid_until: r.get(7)?,
        basis: r.get(8)?,
    })
}

/// Every administration record of the tables, as effects (demo loader, baseline).
pub(crate) fn snapshot(conn: &Connection) -> Result<Vec<AdminEffect>> {
    let state = AdminState::from_tables(conn)?;
    Ok(state.into_effects())
}

/// Gives a database written before effects existed (schema < 8) one `baseline`
/// event stating its administration records, so later verifications have a start.
pub(crate) fn baseline_if_needed(tx: &Transaction<'_>) -> Result<()> {
    if !needs_baseline(tx)? {
        return Ok(());
    }
    let effects = snapshot(tx)?;
    record_effects(
        tx,
        &Author::system("vanthu"),
        BASELINE_ACTION,
        "trạng thái quản trị khi nâng cấp lược đồ 8 (administration baseline)",
        &effects,
    )
}

/// Whether the database has accounts but no event with effects yet (schema < 8).
pub(crate) fn needs_baseline(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM users) AND NOT EXISTS (SELECT 1 FROM audit_events WHERE effects IS NOT NULL)",
        [],
        |r| r.get(0),
    )?)
}

/// Action of the event that states the whole administration state of a database
/// written before effects existed; replay starts over from it.
pub(crate) const BASELINE_ACTION: &str = "baseline";

/// One delegation row, compared as text.
type DelegationRow = (String, i64, i64, i64, String, String, String, String);

/// Administration state: replayed from the chain, or read from the tables.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct AdminState {
    /// user id → (user name, roles, active).
    accounts: BTreeMap<i64, (String, BTreeSet<String>, bool)>,
    /// (agency, position, kind).
    authority: BTreeSet<(i64, i64, String)>,
    /// delegation id → row.
    delegations: BTreeMap<i64, DelegationRow>,
    /// user id → public key.
    signing_keys: BTreeMap<i64, String>,
    serves: BTreeSet<(i64, i64)>,
}

impl AdminState {
    /// Applies one effect (last writer wins).
    pub(crate) fn apply(&mut self, effect: &AdminEffect) {
        match effect {
            AdminEffect::Account { user_id, username, roles, active } => {
                self.accounts.insert(*user_id, (username.clone(), roles.iter().cloned().collect(), *active));
            }
            AdminEffect::Authority { agency_id, position_id, kind, granted } => {
                let key = (*agency_id, *position_id, kind.clone());
                if *granted {
                    self.authority.insert(key);
                } else {
                    self.authority.remove(&key);
                }
            }
            AdminEffect::Delegation {
                id,
                kind,
                agency_id,
                from_position_id,
                to_person_id,
                scope_json,
                valid_from,
                valid_until,
                basis,
            } => {
                let row = (
                    kind.clone(),
                    *agency_id,
                    *from_position_id,
                    *to_person_id,
                    scope_json.clone(),
                    valid_from.clone(),
                    valid_until.clone(),
                    basis.clone(),
                );
                self.delegations.insert(*id, row);
            }
            AdminEffect::SigningKey { user_id, public_key } => {
                self.signing_keys.insert(*user_id, public_key.clone());
            }
            AdminEffect::SigningKeyRetired { user_id } => {
                self.signing_keys.remove(user_id);
            }
            AdminEffect::Serves { provider_id, served_id, serving } => {
                if *serving {
                    self.serves.insert((*provider_id, *served_id));
                } else {
                    self.serves.remove(&(*provider_id, *served_id));
                }
            }
        }
    }

    /// The public key registered for `user_id`, if any.
    pub(crate) fn signing_key(&self, user_id: i64) -> Option<&str> {
        self.signing_keys.get(&user_id).map(String::as_str)
    }

    /// The state the tables hold.
    pub(crate) fn from_tables(conn: &Connection) -> Result<Self> {
        let mut state = AdminState::default();
        let ids: Vec<i64> = conn
            .prepare("SELECT id FROM users ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<super::sql::Result<_>>()?;
        for id in ids {
            state.apply(&account_effect(conn, id)?);
        }
        let mut stmt = conn.prepare("SELECT agency_id, position_id, kind FROM authority_matrix")?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
            state.authority.insert(row?);
        }
        let mut stmt = conn.prepare(
            "SELECT id, kind, agency_id, from_position_id, to_person_id, scope_json, valid_from, valid_until, basis
               FROM delegations ORDER BY id",
        )?;
        for effect in stmt.query_map([], delegation_row)? {
            state.apply(&effect?);
        }
        let mut stmt = conn.prepare("SELECT user_id, public_key FROM user_keys")?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (user_id, public_key) = row?;
            state.signing_keys.insert(user_id, public_key);
        }
        let mut stmt = conn.prepare("SELECT provider_id, served_id FROM agency_services")?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            state.serves.insert(row?);
        }
        Ok(state)
    }

    /// The state as effects that rebuild it.
    fn into_effects(self) -> Vec<AdminEffect> {
        let mut effects = Vec::new();
        for (user_id, (username, roles, active)) in self.accounts {
            effects.push(AdminEffect::Account { user_id, username, roles: roles.into_iter().collect(), active });
        }
        for (agency_id, position_id, kind) in self.authority {
            effects.push(AdminEffect::Authority { agency_id, position_id, kind, granted: true });
        }
        for (id, (kind, agency_id, from_position_id, to_person_id, scope_json, valid_from, valid_until, basis)) in
            self.delegations
        {
            effects.push(AdminEffect::Delegation {
                id,
                kind,
                agency_id,
                from_position_id,
                to_person_id,
                scope_json,
                valid_from,
                valid_until,
                basis,
            });
        }
        for (user_id, public_key) in self.signing_keys {
            effects.push(AdminEffect::SigningKey { user_id, public_key });
        }
        for (provider_id, served_id) in self.serves {
            effects.push(AdminEffect::Serves { provider_id, served_id, serving: true });
        }
        effects
    }

    /// The first record where `self` (replayed) and `tables` differ, in Vietnamese.
    pub(crate) fn first_difference(&self, tables: &AdminState) -> Option<String> {
        fn diff_map<K: Ord + std::fmt::Display, V: PartialEq>(
            what: &str,
            replayed: &BTreeMap<K, V>,
            tables: &BTreeMap<K, V>,
        ) -> Option<String> {
            for key in replayed.keys().chain(tables.keys()) {
                match (replayed.get(key), tables.get(key)) {
                    (Some(a), Some(b)) if a == b => {}
                    (None, Some(_)) => return Some(format!("{what} #{key} không do sự kiện quản trị nào tạo ra")),
                    (Some(_), None) => return Some(format!("{what} #{key} đã ghi nhật ký nhưng không còn trong bảng")),
                    _ => return Some(format!("{what} #{key} khác với nhật ký quản trị")),
                }
            }
            None
        }
        diff_map("tài khoản (vai trò, trạng thái)", &self.accounts, &tables.accounts)
            .or_else(|| {
                self.authority.symmetric_difference(&tables.authority).next().map(|(agency, position, kind)| {
                    format!("quyền ký `{kind}` của chức vụ #{position} (cơ quan #{agency}) khác với nhật ký quản trị")
                })
            })
            .or_else(|| diff_map("ủy quyền", &self.delegations, &tables.delegations))
            .or_else(|| diff_map("khóa ký của tài khoản", &self.signing_keys, &tables.signing_keys))
            .or_else(|| {
                self.serves.symmetric_difference(&tables.serves).next().map(|(provider, served)| {
                    format!("quan hệ cơ quan #{provider} phục vụ cơ quan #{served} khác với nhật ký quản trị")
                })
            })
    }
}

/// Replays the effects of one event onto `state`; a `baseline` event starts over.
pub(crate) fn replay_event(state: &mut AdminState, action: &str, effects_json: &str) -> Result<(), String> {
    let effects: Vec<AdminEffect> = serde_json::from_str(effects_json).map_err(|e| e.to_string())?;
    if action == BASELINE_ACTION {
        *state = AdminState::default();
    }
    for effect in &effects {
        state.apply(effect);
    }
    Ok(())
}
