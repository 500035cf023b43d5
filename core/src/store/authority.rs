//! The records behind đúng thẩm quyền: the facts [`crate::workflow::authority`]
//! decides on, read from the organisation tables (inside the write transaction when a
//! step is taken), the audited "serves" relation between agencies, draft sharing, and
//! refusals written to the audit log.

use super::sql::{Connection, OptionalExtension, params};
use chrono::{DateTime, Local, NaiveDate};

use super::workflow::{NewEvent, append_event};
use super::{Actor, Result, Store, StoreError};
use crate::exchange::parse_document;
use crate::model::{Delegation, DelegationKind, Family, OutgoingState, PositionRank, Role};
use crate::workflow::authority::{
    ActorFacts, DocumentFacts, IncomingFacts, OrgFacts, OrgPerson, SignerResolution, resolve_signer,
};
use crate::workflow::{Action, available_to};

/// The agencies `agency` serves: itself and those recorded by the administrator.
pub(crate) fn served_by(conn: &Connection, agency: Option<i64>) -> Result<Vec<i64>> {
    let Some(agency) = agency else { return Ok(Vec::new()) };
    let mut stmt = conn.prepare("SELECT served_id FROM agency_services WHERE provider_id = ?1 ORDER BY served_id")?;
    let mut served: Vec<i64> = stmt.query_map([agency], |r| r.get(0))?.collect::<super::sql::Result<_>>()?;
    served.insert(0, agency);
    Ok(served)
}

/// What the records say about the actor.
pub(crate) fn actor_facts(conn: &Connection, actor: &Actor) -> Result<ActorFacts> {
    user_facts(conn, actor.user())
}

/// What the records say about an account (not signed in: who may take a step).
pub(crate) fn user_facts(conn: &Connection, user: &crate::model::User) -> Result<ActorFacts> {
    let person: Option<(Option<i64>, Option<i64>, Option<String>)> = match user.person_id {
        Some(pid) => conn
            .query_row(
                "SELECT p.agency_id, p.unit_id, pos.rank FROM people p LEFT JOIN positions pos ON pos.id = p.position_id
                 WHERE p.id = ?1",
                [pid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?,
        None => None,
    };
    let (agency, unit, rank) = person.unwrap_or((None, None, None));
    let agency = agency.or(user.agency_id);
    Ok(ActorFacts {
        user_id: user.id,
        roles: user.roles.clone(),
        person_id: user.person_id,
        agency_id: agency,
        unit_id: unit,
        rank: rank.as_deref().and_then(PositionRank::from_code),
        serves: served_by(conn, agency)?,
    })
}

/// The people, the authority matrix and the delegations.
pub(crate) fn org_facts(conn: &Connection) -> Result<OrgFacts> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.full_name, p.position_id, pos.title, pos.agency_id, pos.rank
         FROM people p LEFT JOIN positions pos ON pos.id = p.position_id ORDER BY p.id",
    )?;
    let people = stmt
        .query_map([], |r| {
            let rank: Option<String> = r.get(5)?;
            Ok(OrgPerson {
                id: r.get(0)?,
                full_name: r.get(1)?,
                position_id: r.get(2)?,
                position_title: r.get(3)?,
                position_agency_id: r.get(4)?,
                rank: rank.as_deref().and_then(PositionRank::from_code),
            })
        })?
        .collect::<super::sql::Result<_>>()?;
    let mut stmt = conn.prepare("SELECT agency_id, position_id, kind FROM authority_matrix")?;
    let authority =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<super::sql::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT d.id, d.kind, d.agency_id, d.from_position_id, d.to_person_id, d.scope_json, d.valid_from,
                d.valid_until, d.basis, pos.title
         FROM delegations d JOIN positions pos ON pos.id = d.from_position_id",
    )?;
    let delegations = stmt
        .query_map([], |r| {
            let (kind, scope, from, until): (String, String, String, String) =
                (r.get(1)?, r.get(5)?, r.get(6)?, r.get(7)?);
            Ok((
                Delegation {
                    id: r.get(0)?,
                    kind: DelegationKind::from_code(&kind).unwrap_or(DelegationKind::ThuaLenh),
                    agency_id: r.get(2)?,
                    from_position_id: r.get(3)?,
                    to_person_id: r.get(4)?,
                    scope: serde_json::from_str(&scope).unwrap_or_default(),
                    // An unreadable date covers nothing.
                    valid_from: from.parse().unwrap_or(NaiveDate::MAX),
                    valid_until: until.parse().unwrap_or(NaiveDate::MIN),
                    basis: r.get(8)?,
                },
                r.get::<_, String>(9)?,
            ))
        })?
        .collect::<super::sql::Result<_>>()?;
    Ok(OrgFacts { people, authority, delegations })
}

/// What the records say about a document, its signer resolved for `on`.
pub(crate) fn document_facts(
    conn: &Connection,
    id: i64,
    on: NaiveDate,
    signed_in_person: &dyn Fn(Family) -> Vec<String>,
) -> Result<DocumentFacts> {
    document_facts_with(conn, id, on, signed_in_person, &org_facts(conn)?)
}

/// [`document_facts`] with the organisation records already read.
pub(crate) fn document_facts_with(
    conn: &Connection,
    id: i64,
    on: NaiveDate,
    signed_in_person: &dyn Fn(Family) -> Vec<String>,
    org: &OrgFacts,
) -> Result<DocumentFacts> {
    type Row = (String, String, Option<i64>, String, Option<i64>, Option<i64>, i64, Option<i64>);
    let row: Option<Row> = conn
        .query_row(
            "SELECT d.state, d.content_json, d.agency_id, d.issuer_name, d.unit_id, d.drafter_id, d.shared_with_unit,
                    u.agency_id
             FROM documents d LEFT JOIN units u ON u.id = d.unit_id WHERE d.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
        )
        .optional()?;
    let (state, json, agency_id, issuer_name, unit_id, drafter_id, shared, unit_agency_id) =
        row.ok_or_else(|| StoreError::NotFound(format!("văn bản #{id}")))?;
    let document = parse_document(&json).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let signer = match agency_id {
        Some(agency) => resolve_signer(&document, agency, org, on, &signed_in_person(document.family)),
        None => SignerResolution::Nobody(format!("cơ quan ban hành \"{issuer_name}\" không có trong cơ sở dữ liệu")),
    };
    let signed_by: Option<i64> = conn
        .query_row("SELECT user_id FROM signatures WHERE document_id = ?1 ORDER BY id DESC LIMIT 1", [id], |r| r.get(0))
        .optional()?;
    let mut stmt = conn.prepare(
        "SELECT p.id FROM people p JOIN positions pos ON pos.id = p.position_id
         WHERE pos.agency_id = ?1 AND pos.rank = 'head'",
    )?;
    let agency_heads = stmt.query_map([agency_id], |r| r.get(0))?.collect::<super::sql::Result<_>>()?;
    Ok(DocumentFacts {
        state: OutgoingState::from_code(&state).unwrap_or(OutgoingState::Draft),
        agency_id,
        issuer_name,
        unit_id,
        unit_agency_id,
        drafter_id,
        shared_with_unit: shared == 1,
        signer,
        signed_by,
        agency_heads,
    })
}

/// What the records say about an incoming letter.
pub(crate) fn incoming_facts(conn: &Connection, id: i64) -> Result<IncomingFacts> {
    conn.query_row(
        "SELECT i.agency_id, a.name, i.handler_id FROM incoming i JOIN agencies a ON a.id = i.agency_id WHERE i.id = ?1",
        [id],
        |r| Ok(IncomingFacts { agency_id: r.get(0)?, agency_name: r.get(1)?, handler_id: r.get(2)?, co_handlers: vec![] }),
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("văn bản đến #{id}")))
    .and_then(|mut facts| {
        facts.co_handlers = super::incoming_handling::co_handler_ids(conn, id)?;
        Ok(facts)
    })
}

impl Store {
    /// The kinds signed in person (biên bản) of a family's ruleset in force.
    pub(crate) fn kinds_signed_in_person(&self) -> Result<impl Fn(Family) -> Vec<String> + use<>> {
        let state = self.effective_ruleset(Family::State)?.params.kinds_with_two_signatures.clone();
        let party = self.effective_ruleset(Family::Party)?.params.kinds_with_two_signatures.clone();
        Ok(move |family| if family == Family::Party { party.clone() } else { state.clone() })
    }

    /// What the records say about the actor (their agency, unit, rank, and the
    /// agencies they serve).
    pub fn actor_facts(&self, actor: &Actor) -> Result<ActorFacts> {
        actor_facts(&self.conn, actor)
    }

    /// What the records say about a document; its printed signer resolved for `on`.
    pub fn document_facts(&self, id: i64, on: NaiveDate) -> Result<DocumentFacts> {
        let in_person = self.kinds_signed_in_person()?;
        document_facts(&self.conn, id, on, &in_person)
    }

    /// The steps `actor` may take on document `id` today: role, state and the
    /// records (what the window offers; the core checks again when asked).
    pub fn available_actions(&self, actor: &Actor, id: i64, today: NaiveDate) -> Result<Vec<Action>> {
        Ok(available_to(&self.actor_facts(actor)?, &self.document_facts(id, today)?))
    }

    /// The queue of `actor`: the documents they may see on which they may take one
    /// of `actions` today, with those steps, newest first.
    pub fn queue_for(
        &self,
        actor: &Actor,
        actions: &[Action],
        today: NaiveDate,
    ) -> Result<Vec<(super::DocumentSummary, Vec<Action>)>> {
        let who = self.actor_facts(actor)?;
        let org = org_facts(&self.conn)?;
        let in_person = self.kinds_signed_in_person()?;
        let mut queue = Vec::new();
        for d in self.documents_for(actor)? {
            let Some(state) = OutgoingState::from_code(&d.state) else { continue };
            if !crate::workflow::available(state, &who.roles).iter().any(|a| actions.contains(a)) {
                continue;
            }
            let facts = document_facts_with(&self.conn, d.id, today, &in_person, &org)?;
            let offered: Vec<Action> = available_to(&who, &facts).into_iter().filter(|a| actions.contains(a)).collect();
            if !offered.is_empty() {
                queue.push((d, offered));
            }
        }
        queue.sort_by_key(|(d, _)| std::cmp::Reverse(d.id));
        Ok(queue)
    }

    /// Refuses (and audits) anyone but an administrator.
    pub(crate) fn require_admin(&mut self, actor: &Actor, what: &str) -> Result<()> {
        match actor.require(Role::Admin, what) {
            Ok(()) => Ok(()),
            Err(refusal) => Err(self.audit_refusal(actor, "system", None, what, refusal)),
        }
    }

    /// Records a refused step in the audit log (in its own transaction: the step
    /// itself changed nothing) and gives back the refusal.
    pub(crate) fn audit_refusal(
        &mut self,
        actor: &Actor,
        subject: &str,
        id: Option<i64>,
        action: &str,
        refusal: StoreError,
    ) -> StoreError {
        let user = actor.user();
        let role = user.roles.first().map_or("user", |r| r.code());
        let reason = refusal.to_string();
        let comment = format!("{action}: {reason}");
        let logged = self.write(|tx| {
            append_event(
                tx,
                &NewEvent {
                    at: Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                    user_id: Some(user.id),
                    username: &user.username,
                    role,
                    subject,
                    subject_id: id,
                    action: "refused",
                    state_before: None,
                    state_after: None,
                    content_hash: None,
                    comment: Some(&comment),
                    effects: None,
                },
            )
            .map(|_| ())
        });
        match logged {
            Ok(()) => refusal,
            Err(e) => e,
        }
    }

    /// The recorded "serves" relation: (provider agency, served agency).
    pub fn agency_services(&self) -> Result<Vec<(i64, i64)>> {
        let mut stmt = self.conn.prepare("SELECT provider_id, served_id FROM agency_services ORDER BY 1, 2")?;
        Ok(stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<super::sql::Result<_>>()?)
    }

    /// Records (or withdraws) that `provider`'s office serves `served` (its văn thư
    /// checks, numbers and issues the served agency's documents and keeps its
    /// books). Administrator only, audited.
    pub fn set_agency_serves(&mut self, actor: &Actor, provider: i64, served: i64, serves: bool) -> Result<()> {
        self.require_admin(actor, "ghi quan hệ phục vụ giữa các cơ quan")?;
        if provider == served {
            return Err(StoreError::Invalid("một cơ quan luôn tự phục vụ mình; chọn hai cơ quan khác nhau".into()));
        }
        self.write(|tx| {
            let name = |id: i64| -> Result<String> {
                tx.query_row("SELECT name FROM agencies WHERE id = ?1", [id], |r| r.get(0))
                    .optional()?
                    .ok_or_else(|| StoreError::NotFound(format!("cơ quan #{id}")))
            };
            let (p, s) = (name(provider)?, name(served)?);
            let changed = if serves {
                tx.execute(
                    "INSERT INTO agency_services (provider_id, served_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    params![provider, served],
                )?
            } else {
                tx.execute(
                    "DELETE FROM agency_services WHERE provider_id = ?1 AND served_id = ?2",
                    params![provider, served],
                )?
            };
            if changed > 0 {
                let (action, verb) = if serves { ("serve", "phục vụ") } else { ("unserve", "thôi phục vụ") };
                let comment = format!("cơ quan #{provider} {p} {verb} cơ quan #{served} {s}");
                let effect =
                    super::effects::AdminEffect::Serves { provider_id: provider, served_id: served, serving: serves };
                super::effects::record_effects(tx, &super::effects::Author::admin(actor), action, &comment, &[effect])?;
            }
            Ok(())
        })
    }

    /// An administrator sets an office setting: `password-min-length` (at least
    /// 10) or `idle-lock-minutes` (1 to 480, the window locks after that idle time).
    /// Audited.
    pub fn set_office_setting(&mut self, actor: &Actor, key: &str, value: &str) -> Result<()> {
        self.require_admin(actor, "đổi thiết lập của văn phòng")?;
        let (stored, range) = match key {
            "password-min-length" => ("password_min_length", 10..=128),
            "idle-lock-minutes" => ("idle_lock_minutes", 1..=480),
            other => {
                return Err(StoreError::Invalid(format!(
                    "thiết lập `{other}` không có: password-min-length hoặc idle-lock-minutes"
                )));
            }
        };
        let n: i64 = value.trim().parse().map_err(|_| StoreError::Invalid(format!("`{value}` không phải số")))?;
        if !range.contains(&n) {
            return Err(StoreError::Invalid(format!(
                "{key} phải từ {} đến {} (đang là {n})",
                range.start(),
                range.end()
            )));
        }
        self.write(|tx| {
            super::put_setting(tx, stored, Some(&n.to_string()))?;
            super::admin::admin_event(tx, actor, "setting", &format!("{key} = {n}"))
        })
    }

    /// Minutes of idle time after which the window locks (office setting, default 15).
    pub fn idle_lock_minutes(&self) -> Result<u64> {
        Ok(self.setting("idle_lock_minutes")?.and_then(|v| v.parse().ok()).filter(|m| *m > 0).unwrap_or(15))
    }

    /// The drafter shares (or stops sharing) a draft with the colleagues of the
    /// drafting unit, who may then edit and submit it. Audited.
    pub fn share_draft(&mut self, actor: &Actor, id: i64, shared: bool, now: DateTime<Local>) -> Result<()> {
        let user = actor.user().clone();
        let result = self.write(|tx| {
            let drafter: Option<Option<i64>> =
                tx.query_row("SELECT drafter_id FROM documents WHERE id = ?1", [id], |r| r.get(0)).optional()?;
            let drafter = drafter.ok_or_else(|| StoreError::NotFound(format!("văn bản #{id}")))?;
            if drafter != Some(user.id) {
                return Err(StoreError::Denied(format!(
                    "chỉ người soạn thảo văn bản #{id} mới chia sẻ được dự thảo với đơn vị"
                )));
            }
            tx.execute("UPDATE documents SET shared_with_unit = ?2 WHERE id = ?1", params![id, shared])?;
            append_event(
                tx,
                &NewEvent {
                    at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                    user_id: Some(user.id),
                    username: &user.username,
                    role: Role::Drafter.code(),
                    subject: "document",
                    subject_id: Some(id),
                    action: if shared { "share" } else { "unshare" },
                    state_before: None,
                    state_after: None,
                    content_hash: None,
                    comment: None,
                    effects: None,
                },
            )?;
            Ok(())
        });
        result.map_err(|e| match e {
            StoreError::Denied(_) => self.audit_refusal(actor, "document", Some(id), "share", e),
            other => other,
        })
    }
}
