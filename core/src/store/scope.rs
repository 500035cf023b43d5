//! What each user may see: the documents, letters, registers, counts and audit
//! events of the agencies they serve ([`crate::workflow::authority::may_see`]). The
//! CLI and the window list through these, so agencies stay apart.

use std::collections::HashMap;

use super::sql::params;

use super::{Actor, AuditEvent, DocumentSummary, Result, Store};
use crate::model::{Agency, Incoming, OutgoingState, Role};
use crate::workflow::IncomingAction;
use crate::workflow::authority::{
    DocumentPlace, IncomingFacts, hidden_from, may_see, may_see_incoming, office_may_see,
};

/// The columns of `documents` [`place_from_row`] reads, from its first column on.
pub(crate) const PLACE_COLUMNS: &str = "agency_id, unit_id, drafter_id, CASE WHEN state = 'draft' THEN 1 ELSE 0 END, \
     shared_with_unit, coalesce((SELECT du.active FROM users du WHERE du.id = documents.drafter_id), 1)";

/// Where a document sits, from the [`PLACE_COLUMNS`] starting at column `at`.
pub(crate) fn place_from_row(r: &super::sql::Row, at: usize) -> super::sql::Result<DocumentPlace> {
    Ok(DocumentPlace {
        agency_id: r.get(at)?,
        unit_id: r.get(at + 1)?,
        drafter_id: r.get(at + 2)?,
        unsubmitted: r.get::<_, i64>(at + 3)? == 1,
        shared_with_unit: r.get::<_, i64>(at + 4)? == 1,
        drafter_active: r.get::<_, i64>(at + 5)? == 1,
    })
}

impl Store {
    /// The documents `actor` may see, newest first (the same order as
    /// [`Store::list_documents`]).
    pub fn documents_for(&self, actor: &Actor) -> Result<Vec<DocumentSummary>> {
        let who = self.actor_facts(actor)?;
        let mut stmt = self.conn.prepare(&format!("SELECT id, {PLACE_COLUMNS} FROM documents"))?;
        let visible: std::collections::HashSet<i64> = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, place_from_row(r, 1)?)))?
            .filter_map(|row| row.ok())
            .filter(|(_, place)| may_see(&who, *place))
            .map(|(id, _)| id)
            .collect();
        Ok(self.list_documents()?.into_iter().filter(|d| visible.contains(&d.id)).collect())
    }

    /// The incoming letters `actor` may see, newest arrival first.
    pub fn incoming_for(&self, actor: &Actor) -> Result<Vec<Incoming>> {
        let who = self.actor_facts(actor)?;
        let co = super::incoming_handling::letters_co_handled_by(&self.conn, who.user_id)?;
        Ok(self
            .list_incoming()?
            .into_iter()
            .filter(|i| may_see_incoming(&who, i.agency_id, i.handler_id == Some(who.user_id) || co.contains(&i.id)))
            .collect())
    }

    /// The agencies whose books (registers, file plans) `actor` may open: those they
    /// serve; every agency for the administrator.
    pub fn book_agencies(&self, actor: &Actor) -> Result<Vec<Agency>> {
        let who = self.actor_facts(actor)?;
        Ok(self.agencies()?.into_iter().filter(|a| actor.has(Role::Admin) || who.serves.contains(&a.id)).collect())
    }

    /// Documents per workflow state, counting only what `actor` may see.
    ///
    /// Every state is listed, zero or not, in the workflow order of
    /// [`OutgoingState::ALL`]: the dashboard's cards stand in the same place for
    /// every role and every office.
    pub fn count_documents_by_state_for(&self, actor: &Actor) -> Result<Vec<(OutgoingState, i64)>> {
        let mut counts: Vec<(OutgoingState, i64)> = OutgoingState::ALL.iter().map(|s| (*s, 0)).collect();
        for d in self.documents_for(actor)? {
            let Some(state) = OutgoingState::from_code(&d.state) else { continue };
            if let Some((_, n)) = counts.iter_mut().find(|(s, _)| *s == state) {
                *n += 1;
            }
        }
        Ok(counts)
    }

    /// Documents per month of `year` (issue date, else creation), counting only what
    /// `actor` may see.
    pub fn count_documents_by_month_for(&self, actor: &Actor, year: i32) -> Result<[i64; 12]> {
        let visible: std::collections::HashSet<i64> = self.documents_for(actor)?.into_iter().map(|d| d.id).collect();
        let mut stmt = self.conn.prepare(
            "SELECT id, CAST(substr(coalesce(date, created_at), 6, 2) AS INTEGER) FROM documents
             WHERE substr(coalesce(date, created_at), 1, 4) = ?1",
        )?;
        let mut months = [0; 12];
        let rows = stmt.query_map(params![year.to_string()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (id, month) = row?;
            if visible.contains(&id) && (1..=12).contains(&month) {
                months[(month - 1) as usize] += 1;
            }
        }
        Ok(months)
    }

    /// The audit log as `actor` may read it: everything for the administrator; for
    /// the văn thư and leaders, the events about documents, letters and dossiers of
    /// the agencies they serve and their own events; for anyone else, their own
    /// events only.
    ///
    /// The events about a document the actor may not see (another person's draft
    /// never submitted, or an id that names no document) keep their row — who, when,
    /// what step — but not their comment nor content hash, which may name the draft's
    /// files or words. The stored log is unchanged (its hash chain stays whole).
    pub fn audit_events_for(&self, actor: &Actor, subject: Option<(&str, i64)>) -> Result<Vec<AuditEvent>> {
        let mut events = self.visible_audit_events(actor, subject)?;
        let who = self.actor_facts(actor)?;
        let mut stmt = self.conn.prepare(&format!("SELECT id, {PLACE_COLUMNS} FROM documents"))?;
        let places: HashMap<i64, DocumentPlace> = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, place_from_row(r, 1)?)))?
            .collect::<super::sql::Result<_>>()?;
        for e in events.iter_mut().filter(|e| e.subject == "document") {
            let seen = e.subject_id.and_then(|id| places.get(&id)).is_some_and(|p| !hidden_from(&who, *p));
            if !seen {
                e.comment = None;
                e.content_hash = None;
            }
        }
        Ok(events)
    }

    /// The rows of the audit log `actor` may read ([`Store::audit_events_for`]).
    fn visible_audit_events(&self, actor: &Actor, subject: Option<(&str, i64)>) -> Result<Vec<AuditEvent>> {
        let events = self.audit_events(subject)?;
        if actor.has(Role::Admin) {
            return Ok(events);
        }
        let who = self.actor_facts(actor)?;
        let reader = actor.has(Role::VanThu) || actor.has(Role::Leader);
        let agencies = |sql: &str| -> Result<HashMap<i64, Option<i64>>> {
            let mut stmt = self.conn.prepare(sql)?;
            Ok(stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<super::sql::Result<_>>()?)
        };
        let documents = agencies("SELECT id, agency_id FROM documents")?;
        let letters = agencies("SELECT id, agency_id FROM incoming")?;
        let dossiers = agencies("SELECT id, agency_id FROM dossiers")?;
        Ok(events
            .into_iter()
            .filter(|e| {
                if e.username == actor.user().username {
                    return true;
                }
                if !reader {
                    return false;
                }
                let table = match e.subject.as_str() {
                    "document" => &documents,
                    "incoming" => &letters,
                    "dossier" => &dossiers,
                    _ => return false,
                };
                e.subject_id.and_then(|id| table.get(&id).copied().flatten()).is_some_and(|a| who.serves.contains(&a))
            })
            .collect())
    }

    /// The agency whose mail the actor receives by default: the agency their office
    /// serves above it (the Văn phòng's văn thư receives the committee's mail), else
    /// their own.
    pub fn default_receiving_agency(&self, actor: &Actor) -> Result<Option<i64>> {
        let who = self.actor_facts(actor)?;
        let Some(own) = who.agency_id else { return Ok(None) };
        let parent: Option<i64> =
            self.conn.query_row("SELECT parent_id FROM agencies WHERE id = ?1", [own], |r| r.get(0)).unwrap_or(None);
        Ok(Some(parent.filter(|p| who.serves.contains(p)).unwrap_or(own)))
    }

    /// Where document `id` sits; `None` when there is no such document.
    pub(crate) fn document_place(&self, id: i64) -> Result<Option<DocumentPlace>> {
        Ok(self
            .conn
            .query_row(&format!("SELECT {PLACE_COLUMNS} FROM documents WHERE id = ?1"), [id], |r| place_from_row(r, 0))
            .map(Some)
            .or_else(|e| if matches!(e, super::sql::SqlError::NoRows) { Ok(None) } else { Err(e) })?)
    }

    /// Whether `actor` may see document `id` (open its page, read its history).
    pub fn may_see_document(&self, actor: &Actor, id: i64) -> Result<bool> {
        let who = self.actor_facts(actor)?;
        Ok(self.document_place(id)?.is_some_and(|p| may_see(&who, p)))
    }

    /// Whether `viewer` may read document `id` (its text, versions, files): with a
    /// signed-in user, [`Store::may_see_document`]; without one (the command line's
    /// read commands without `--as`), what the office sees: every document but a
    /// draft never submitted ([`office_may_see`]). `false` for an id that does not
    /// exist, so callers answer both alike.
    pub fn may_read_document(&self, viewer: Option<&Actor>, id: i64) -> Result<bool> {
        match viewer {
            Some(actor) => self.may_see_document(actor, id),
            None => Ok(self.document_place(id)?.is_some_and(office_may_see)),
        }
    }

    /// The documents `viewer` may read, newest first: [`Store::documents_for`] for a
    /// signed-in user; without one every document but the drafts never submitted.
    pub fn documents_seen_by(&self, viewer: Option<&Actor>) -> Result<Vec<DocumentSummary>> {
        if let Some(actor) = viewer {
            return self.documents_for(actor);
        }
        let mut stmt = self.conn.prepare(&format!("SELECT id, {PLACE_COLUMNS} FROM documents"))?;
        let visible: std::collections::HashSet<i64> = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, place_from_row(r, 1)?)))?
            .filter_map(|row| row.ok())
            .filter(|(_, place)| office_may_see(*place))
            .map(|(id, _)| id)
            .collect();
        Ok(self.list_documents()?.into_iter().filter(|d| visible.contains(&d.id)).collect())
    }

    /// Refuses a call on document `id` exactly as for a document that does not
    /// exist when it is missing or is another person's draft never submitted that
    /// `actor` may not see (`not_found` names it as the call names a missing one), so
    /// the answer tells nobody that the draft exists. Both refusals are audited, the
    /// same way. Other documents pass (their own checks refuse in their own words).
    pub(crate) fn guard_unseen_document(
        &mut self,
        actor: &Actor,
        id: i64,
        action: &str,
        not_found: &str,
    ) -> Result<()> {
        let who = self.actor_facts(actor)?;
        match self.document_place(id)? {
            Some(place) if !hidden_from(&who, place) => Ok(()),
            _ => Err(self.audit_refusal(
                actor,
                "document",
                Some(id),
                action,
                super::StoreError::NotFound(not_found.to_owned()),
            )),
        }
    }

    /// The letters `actor` may see, each with the steps they may take on it.
    pub fn incoming_queue_for(&self, actor: &Actor) -> Result<Vec<(Incoming, Vec<IncomingAction>)>> {
        let who = self.actor_facts(actor)?;
        let agencies: HashMap<i64, String> = self.agencies()?.into_iter().map(|a| (a.id, a.name)).collect();
        let pending = super::incoming_handling::letters_with_pending_extension(&self.conn)?;
        let user = actor.user();
        self.incoming_for(actor)?
            .into_iter()
            .map(|i| {
                let letter = IncomingFacts {
                    agency_id: i.agency_id,
                    agency_name: agencies.get(&i.agency_id).cloned().unwrap_or_default(),
                    handler_id: i.handler_id,
                    co_handlers: super::incoming_handling::co_handler_ids(&self.conn, i.id)?,
                };
                let actions = super::incoming_handling::allowed_incoming_actions(
                    &who,
                    user,
                    &i,
                    &letter,
                    pending.contains(&i.id),
                );
                Ok((i, actions))
            })
            .collect()
    }

    /// [`Store::search_for`] for a signed-in user; without one (the command line's
    /// `search` without `--as`) what the office sees: every hit but the drafts never
    /// submitted ([`office_may_see`]).
    pub fn search_seen_by(&self, viewer: Option<&Actor>, query: &super::SearchQuery) -> Result<Vec<super::SearchHit>> {
        if let Some(actor) = viewer {
            return self.search_for(actor, query);
        }
        let wanted = query.limit;
        let wide = super::SearchQuery { limit: wanted.saturating_mul(5).max(wanted), ..query.clone() };
        let mut kept = Vec::new();
        for hit in self.search_ranked(&wide)? {
            if hit.item != super::SearchItem::Document || self.may_read_document(None, hit.id)? {
                kept.push(hit);
                if kept.len() == wanted {
                    break;
                }
            }
        }
        self.add_snippets(&mut kept, query)?;
        Ok(kept)
    }

    /// [`Store::search`] as `actor` may read it: hits on documents, letters and
    /// dossiers of other agencies are left out, and so are other people's drafts
    /// never submitted (even for the administrator, [`may_see`]).
    pub fn search_for(&self, actor: &Actor, query: &super::SearchQuery) -> Result<Vec<super::SearchHit>> {
        use super::SearchItem;
        let wanted = query.limit;
        let wide = super::SearchQuery { limit: wanted.saturating_mul(5).max(wanted), ..query.clone() };
        let hits = self.search_ranked(&wide)?;
        let admin = actor.has(Role::Admin);
        let who = self.actor_facts(actor)?;
        let mut kept = Vec::new();
        for hit in hits {
            let visible = match hit.item {
                SearchItem::Document => self.may_see_document(actor, hit.id)?,
                SearchItem::Incoming | SearchItem::Dossier if admin => true,
                SearchItem::Incoming => self
                    .conn
                    .query_row(
                        "SELECT agency_id, handler_id = ?2 OR EXISTS (SELECT 1 FROM incoming_cohandlers c
                                WHERE c.incoming_id = incoming.id AND c.user_id = ?2)
                         FROM incoming WHERE id = ?1",
                        [hit.id, who.user_id],
                        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<bool>>(1)?)),
                    )
                    .map(|(agency, involved)| may_see_incoming(&who, agency, involved.unwrap_or(false)))
                    .unwrap_or(false),
                SearchItem::Dossier => self
                    .conn
                    .query_row("SELECT agency_id FROM dossiers WHERE id = ?1", [hit.id], |r| r.get::<_, i64>(0))
                    .map(|agency| who.serves.contains(&agency))
                    .unwrap_or(false),
            };
            if visible {
                kept.push(hit);
                if kept.len() == wanted {
                    break;
                }
            }
        }
        self.add_snippets(&mut kept, query)?;
        Ok(kept)
    }
}
