//! Handling an incoming letter as offices do it (issue #14; NĐ 30/2020 Điều 23–24):
//! the competent leader writes a bút phê and assigns one lead handler (chủ trì),
//! co-handlers (phối hợp) and a deadline; the lead handler records progress, asks
//! for more time (the leader grants or refuses it) and resolves the letter with the
//! reply document or a closing note; the leader may forward it to another handler.
//! Co-handlers write their opinions (ý kiến phối hợp) for the lead handler.
//!
//! Every step runs in one transaction with its audit event; a refusal for the wrong
//! person changes nothing and is itself audited.

use std::collections::HashSet;

use super::sql::{Connection, OptionalExtension, Transaction, params};
use chrono::{DateTime, Datelike, Local, NaiveDate};

use super::incoming::next_arrival_number;
use super::incoming_flow::Assignment;
use super::workflow::{NewEvent, append_event};
use super::{Actor, Result, Store, StoreError};
use crate::model::{Incoming, IncomingState, User};
use crate::text::nfc;
use crate::workflow::authority::{ActorFacts, DocumentPlace, IncomingFacts, authorize_incoming, may_link_reply};
use crate::workflow::{IncomingAction, WorkflowError, plan_incoming};

pub use super::incoming_card::{ExtensionRequest, IncomingCard, IncomingDetails, ProgressNote, ReceivedVia};

/// Longest bút phê (characters).
pub const MAX_DIRECTION_CHARS: usize = 2_000;
/// Longest progress note, extension reason, decision or closing note (characters).
pub const MAX_NOTE_CHARS: usize = 4_000;
/// Most co-handlers on one letter.
pub const MAX_CO_HANDLERS: usize = 20;
/// Furthest an extension may move a deadline (calendar days past the current one).
pub const MAX_EXTENSION_DAYS: i64 = 366;

/// The leader hands a letter to another lead handler (chuyển tiếp).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forwarding {
    /// The new lead handler's user name.
    pub handler: String,
    /// The new co-handlers; empty keeps the current ones.
    pub co_handlers: Vec<String>,
    /// The new bút phê (why and what to do).
    pub direction: String,
    /// A new deadline; `None` keeps the current one.
    pub deadline: Option<NaiveDate>,
}

/// One step on an incoming letter, with what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncomingStep {
    /// Vào sổ (số đến).
    Register,
    /// Trình.
    Present,
    /// Bắt đầu xử lý.
    Start,
    /// Bút phê and assignment.
    Assign(Assignment),
    /// Chuyển tiếp.
    Forward(Forwarding),
    /// A progress note.
    Progress(String),
    /// Ask for more time.
    RequestExtension {
        /// Why.
        reason: String,
        /// The new deadline asked for.
        until: NaiveDate,
    },
    /// Grant the pending request, with an optional note.
    GrantExtension {
        /// The leader's note.
        note: Option<String>,
    },
    /// Refuse the pending request.
    RefuseExtension {
        /// Why.
        reason: String,
    },
    /// An opinion of a co-handler (or of the lead handler) for the lead handler.
    Opinion(String),
    /// Close the letter: with the reply document, a closing note, or both.
    Resolve {
        /// The outgoing reply's id.
        reply: Option<i64>,
        /// What was done.
        note: Option<String>,
    },
}

impl IncomingStep {
    /// The workflow action of the step.
    pub fn action(&self) -> IncomingAction {
        match self {
            IncomingStep::Register => IncomingAction::Register,
            IncomingStep::Present => IncomingAction::Present,
            IncomingStep::Start => IncomingAction::Start,
            IncomingStep::Assign(_) => IncomingAction::Assign,
            IncomingStep::Forward(_) => IncomingAction::Forward,
            IncomingStep::Progress(_) => IncomingAction::Progress,
            IncomingStep::RequestExtension { .. } => IncomingAction::RequestExtension,
            IncomingStep::GrantExtension { .. } => IncomingAction::GrantExtension,
            IncomingStep::RefuseExtension { .. } => IncomingAction::RefuseExtension,
            IncomingStep::Resolve { .. } => IncomingAction::Resolve,
            IncomingStep::Opinion(_) => IncomingAction::Opinion,
        }
    }
}

/// NFC, trimmed, within `max` characters; `None` when empty.
fn clean(text: Option<&str>, max: usize, what: &str) -> Result<Option<String>> {
    let Some(text) = text else { return Ok(None) };
    let text = nfc(text.trim());
    if text.chars().count() > max {
        return Err(StoreError::Invalid(format!("{what} dài quá {max} ký tự")));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(StoreError::Invalid(format!("{what} có ký tự điều khiển")));
    }
    Ok(Some(text).filter(|t| !t.is_empty()))
}

fn required(text: &str, max: usize, what: &str) -> Result<String> {
    clean(Some(text), max, what)?.ok_or_else(|| StoreError::Invalid(format!("cần ghi {what}")))
}

/// The co-handlers of a letter.
pub(crate) fn co_handler_ids(conn: &Connection, id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT user_id FROM incoming_cohandlers WHERE incoming_id = ?1 ORDER BY user_id")?;
    Ok(stmt.query_map([id], |r| r.get(0))?.collect::<super::sql::Result<_>>()?)
}

/// The letters a user co-handles.
pub(crate) fn letters_co_handled_by(conn: &Connection, user_id: i64) -> Result<HashSet<i64>> {
    let mut stmt = conn.prepare("SELECT incoming_id FROM incoming_cohandlers WHERE user_id = ?1")?;
    Ok(stmt.query_map([user_id], |r| r.get(0))?.collect::<super::sql::Result<_>>()?)
}

/// The letters a user already wrote an opinion on (ý kiến phối hợp).
pub(crate) fn letters_with_opinion_by(conn: &Connection, user_id: i64) -> Result<HashSet<i64>> {
    let mut stmt = conn.prepare("SELECT DISTINCT incoming_id FROM incoming_opinions WHERE user_id = ?1")?;
    Ok(stmt.query_map([user_id], |r| r.get(0))?.collect::<super::sql::Result<_>>()?)
}

/// The letters with an extension request awaiting a decision.
pub(crate) fn letters_with_pending_extension(conn: &Connection) -> Result<HashSet<i64>> {
    let mut stmt = conn.prepare("SELECT incoming_id FROM incoming_extensions WHERE state = 'pending'")?;
    Ok(stmt.query_map([], |r| r.get(0))?.collect::<super::sql::Result<_>>()?)
}

/// The steps `user` may take on `letter` now: its state, the user's roles and
/// identity, and whether an extension request is pending.
pub(crate) fn allowed_incoming_actions(
    who: &ActorFacts,
    user: &User,
    letter: &Incoming,
    facts: &IncomingFacts,
    pending_extension: bool,
) -> Vec<IncomingAction> {
    IncomingAction::ALL
        .into_iter()
        .filter(|a| {
            plan_incoming(*a, letter.state, &user.roles, letter.handler_id == Some(user.id), &user.username).is_ok()
                && authorize_incoming(*a, who, facts).is_ok()
                && a.needs_pending_extension().is_none_or(|needed| needed == pending_extension)
        })
        .collect()
}

/// The unfinished letters filed in a dossier, each named by number/symbol and sender.
pub(crate) fn unfinished_in_dossier(conn: &Connection, dossier_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT id, number, notation, sender, state FROM incoming WHERE dossier_id = ?1 AND state <> 'done' ORDER BY id",
    )?;
    let rows = stmt.query_map([dossier_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut names = Vec::new();
    for row in rows {
        let (id, number, notation, sender, state) = row?;
        let symbol = match (number, notation) {
            (Some(n), Some(s)) => format!("số {n}/{s}"),
            (Some(n), None) => format!("số {n}"),
            (None, Some(s)) => format!("ký hiệu {s}"),
            (None, None) => format!("#{id} (không số)"),
        };
        let state = IncomingState::from_code(&state).map_or("chưa xong", |s| s.label());
        names.push(format!("văn bản đến {symbol} của {sender} ({})", state.to_lowercase()));
    }
    Ok(names)
}

/// A user who may handle letters of `agency_id`: active, working for it or for an
/// agency serving it. Returns (id, full name).
fn handler_in(tx: &Transaction<'_>, username: &str, agency_id: i64, agency_name: &str) -> Result<(i64, String)> {
    let username = nfc(username.trim());
    let row: Option<(i64, String, bool, Option<i64>)> = tx
        .query_row(
            "SELECT u.id, u.full_name, u.active, coalesce(p.agency_id, u.agency_id)
             FROM users u LEFT JOIN people p ON p.id = u.person_id WHERE u.username = ?1",
            [&username],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let (id, name, active, agency) = row.ok_or_else(|| StoreError::NotFound(format!("người dùng {username}")))?;
    if !active {
        return Err(StoreError::Invalid(format!("tài khoản của {name} đã bị khóa, không giao xử lý được")));
    }
    if !super::authority::served_by(tx, agency)?.contains(&agency_id) {
        return Err(StoreError::Invalid(format!(
            "{name} không thuộc {agency_name} hoặc văn phòng phục vụ cơ quan này, không giao xử lý được"
        )));
    }
    Ok((id, name))
}

/// Resolves and checks the co-handlers: distinct, not the lead handler, at most
/// [`MAX_CO_HANDLERS`].
fn co_handlers_in(
    tx: &Transaction<'_>,
    names: &[String],
    lead: i64,
    agency_id: i64,
    agency_name: &str,
) -> Result<Vec<(i64, String)>> {
    if names.len() > MAX_CO_HANDLERS {
        return Err(StoreError::Invalid(format!("tối đa {MAX_CO_HANDLERS} người phối hợp")));
    }
    let mut out: Vec<(i64, String)> = Vec::new();
    for name in names.iter().filter(|n| !n.trim().is_empty()) {
        let (id, full) = handler_in(tx, name, agency_id, agency_name)?;
        if id == lead {
            return Err(StoreError::Invalid(format!("{full} đã là người chủ trì, không đồng thời là người phối hợp")));
        }
        if !out.iter().any(|(o, _)| *o == id) {
            out.push((id, full));
        }
    }
    Ok(out)
}

fn set_co_handlers(tx: &Transaction<'_>, id: i64, co: &[(i64, String)]) -> Result<()> {
    tx.execute("DELETE FROM incoming_cohandlers WHERE incoming_id = ?1", [id])?;
    for (user, _) in co {
        tx.execute("INSERT INTO incoming_cohandlers (incoming_id, user_id) VALUES (?1, ?2)", params![id, user])?;
    }
    Ok(())
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The letter as the step finds it.
struct Letter {
    state: IncomingState,
    handler_id: Option<i64>,
    agency_id: i64,
    arrival: String,
    deadline: Option<NaiveDate>,
}

fn load_letter(tx: &Transaction<'_>, id: i64) -> Result<Letter> {
    tx.query_row("SELECT state, handler_id, agency_id, arrival_date, deadline FROM incoming WHERE id = ?1", [id], |r| {
        Ok(Letter {
            state: IncomingState::from_code(&r.get::<_, String>(0)?).unwrap_or(IncomingState::Received),
            handler_id: r.get(1)?,
            agency_id: r.get(2)?,
            arrival: r.get(3)?,
            deadline: r.get::<_, Option<String>>(4)?.and_then(|d| d.parse().ok()),
        })
    })
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("văn bản đến #{id}")))
}

impl Store {
    /// Takes one step on an incoming letter (see [`IncomingStep`]); returns the
    /// state it is in afterwards. The state, the person (roles and records) and the
    /// step's data are checked inside the write transaction; nothing changes on a
    /// refusal, and a refusal for the wrong person is audited.
    pub fn incoming_step(
        &mut self,
        id: i64,
        step: &IncomingStep,
        actor: &Actor,
        now: DateTime<Local>,
    ) -> Result<IncomingState> {
        let action = step.action();
        if let IncomingStep::Resolve { reply: Some(doc), .. } = step {
            self.guard_unseen_document(actor, *doc, action.code(), &format!("văn bản trả lời #{doc}"))?;
        }
        self.guard_not_sealed(actor, super::FiledItem::Incoming(id), action.label())?;
        let user = actor.user().clone();
        let today = now.date_naive();
        // Text first: bad input is refused before anything is read or written.
        let text = match step {
            IncomingStep::Assign(a) => clean(a.direction.as_deref(), MAX_DIRECTION_CHARS, "bút phê")?,
            IncomingStep::Forward(f) => Some(required(&f.direction, MAX_DIRECTION_CHARS, "bút phê khi chuyển tiếp")?),
            IncomingStep::Progress(note) => Some(required(note, MAX_NOTE_CHARS, "nội dung tiến độ")?),
            IncomingStep::Opinion(note) => Some(required(note, MAX_NOTE_CHARS, "ý kiến phối hợp")?),
            IncomingStep::RequestExtension { reason, .. } => {
                Some(required(reason, MAX_NOTE_CHARS, "lý do xin gia hạn")?)
            }
            IncomingStep::GrantExtension { note } => clean(note.as_deref(), MAX_NOTE_CHARS, "ý kiến cho gia hạn")?,
            IncomingStep::RefuseExtension { reason } => {
                Some(required(reason, MAX_NOTE_CHARS, "lý do không cho gia hạn")?)
            }
            IncomingStep::Resolve { note, reply } => {
                let note = clean(note.as_deref(), MAX_NOTE_CHARS, "ghi chú kết thúc")?;
                if note.is_none() && reply.is_none() {
                    return Err(StoreError::Invalid(
                        "hoàn thành cần văn bản trả lời hoặc ghi chú kết quả xử lý".into(),
                    ));
                }
                note
            }
            IncomingStep::Register | IncomingStep::Present | IncomingStep::Start => None,
        };
        let result = self.write(|tx| {
            let letter = load_letter(tx, id)?;
            if !action.from_states().contains(&letter.state) {
                return Err(StoreError::Workflow(WorkflowError::State {
                    action: action.label(),
                    state: letter.state.label(),
                }));
            }
            let who = super::authority::actor_facts(tx, actor)?;
            let facts = super::authority::incoming_facts(tx, id)?;
            authorize_incoming(action, &who, &facts).map_err(|reason| {
                StoreError::Workflow(WorkflowError::Authority { user: user.username.clone(), action: action.label(), reason })
            })?;
            let next = plan_incoming(
                action,
                letter.state,
                &user.roles,
                letter.handler_id == Some(user.id),
                &user.username,
            )
            .map_err(StoreError::Workflow)?;
            let pending: Option<(i64, NaiveDate)> = tx
                .query_row(
                    "SELECT id, requested_deadline FROM incoming_extensions WHERE incoming_id = ?1 AND state = 'pending'",
                    [id],
                    |r| Ok((r.get(0)?, r.get::<_, String>(1)?)),
                )
                .optional()?
                .map(|(eid, d)| (eid, d.parse().unwrap_or(today)));
            match (action.needs_pending_extension(), pending) {
                (Some(true), None) => {
                    return Err(StoreError::Invalid("không có yêu cầu gia hạn nào đang chờ quyết định".into()));
                }
                (Some(false), Some((_, until))) => {
                    return Err(StoreError::Invalid(format!(
                        "đang có yêu cầu gia hạn đến {} chờ lãnh đạo quyết định",
                        day(until)
                    )));
                }
                _ => {}
            }
            let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
            let comment = apply_step(tx, id, step, &Context { letter: &letter, facts: &facts, who: &who, user: &user, at: &at, today }, text.as_deref(), pending)?;
            tx.execute("UPDATE incoming SET state = ?2 WHERE id = ?1", params![id, next.code()])?;
            let role = match action.roles().and_then(|r| r.iter().find(|r| user.roles.contains(r))) {
                Some(r) => r.code(),
                None if letter.handler_id == Some(user.id) => "handler",
                None => "co-handler",
            };
            append_event(
                tx,
                &NewEvent {
                    at,
                    user_id: Some(user.id),
                    username: &user.username,
                    role,
                    subject: "incoming",
                    subject_id: Some(id),
                    action: action.code(),
                    state_before: Some(letter.state.code()),
                    state_after: Some(next.code()),
                    content_hash: None,
                    comment: comment.as_deref(),
                    effects: None,
                },
            )?;
            Ok(next)
        });
        result.map_err(|e| match e {
            StoreError::Workflow(WorkflowError::Role { .. } | WorkflowError::Authority { .. }) => {
                self.audit_refusal(actor, "incoming", Some(id), action.code(), e)
            }
            other => other,
        })
    }
}

/// What a checked step works with.
struct Context<'a> {
    letter: &'a Letter,
    facts: &'a IncomingFacts,
    who: &'a ActorFacts,
    user: &'a User,
    at: &'a str,
    today: NaiveDate,
}

/// The effects of one checked step; returns the audit comment.
fn apply_step(
    tx: &Transaction<'_>,
    id: i64,
    step: &IncomingStep,
    c: &Context<'_>,
    text: Option<&str>,
    pending: Option<(i64, NaiveDate)>,
) -> Result<Option<String>> {
    let (letter, user, at, today) = (c.letter, c.user, c.at, c.today);
    let agency = c.facts.agency_name.as_str();
    Ok(match step {
        IncomingStep::Register => {
            let year = letter.arrival.parse::<NaiveDate>().map_or(today.year(), |d| d.year());
            let number = next_arrival_number(tx, letter.agency_id, year)?;
            tx.execute("UPDATE incoming SET arrival_number = ?2 WHERE id = ?1", params![id, number])?;
            Some(format!("số đến {number}"))
        }
        IncomingStep::Present | IncomingStep::Start => None,
        IncomingStep::Assign(a) => {
            if a.deadline < today {
                return Err(StoreError::Invalid(format!("thời hạn {} đã qua", day(a.deadline))));
            }
            let (lead, lead_name) = handler_in(tx, &a.handler, letter.agency_id, agency)?;
            let co = co_handlers_in(tx, &a.co_handlers, lead, letter.agency_id, agency)?;
            tx.execute(
                "UPDATE incoming SET handler_id = ?2, lead_unit_id = ?3, deadline = ?4, direction = ?5 WHERE id = ?1",
                params![id, lead, a.lead_unit_id, a.deadline.to_string(), text],
            )?;
            set_co_handlers(tx, id, &co)?;
            let mut comment = format!("chủ trì: {lead_name}");
            if !co.is_empty() {
                let names: Vec<&str> = co.iter().map(|(_, n)| n.as_str()).collect();
                comment.push_str(&format!("; phối hợp: {}", names.join(", ")));
            }
            comment.push_str(&format!("; hạn {}", day(a.deadline)));
            if let Some(t) = text {
                comment.push_str(&format!("; bút phê: {t}"));
            }
            Some(comment)
        }
        IncomingStep::Forward(f) => {
            let (lead, lead_name) = handler_in(tx, &f.handler, letter.agency_id, agency)?;
            if Some(lead) == letter.handler_id {
                return Err(StoreError::Invalid(format!("{lead_name} đang là người chủ trì xử lý văn bản này")));
            }
            let deadline = f.deadline.or(letter.deadline);
            if let Some(d) = f.deadline.filter(|d| *d < today) {
                return Err(StoreError::Invalid(format!("thời hạn {} đã qua", day(d))));
            }
            let co = if f.co_handlers.is_empty() {
                co_handler_ids(tx, id)?.into_iter().filter(|c| *c != lead).map(|c| (c, String::new())).collect()
            } else {
                co_handlers_in(tx, &f.co_handlers, lead, letter.agency_id, agency)?
            };
            tx.execute(
                "UPDATE incoming SET handler_id = ?2, deadline = ?3, direction = ?4 WHERE id = ?1",
                params![id, lead, deadline.map(|d| d.to_string()), text],
            )?;
            set_co_handlers(tx, id, &co)?;
            let before: Option<String> = match letter.handler_id {
                Some(h) => tx.query_row("SELECT full_name FROM users WHERE id = ?1", [h], |r| r.get(0)).optional()?,
                None => None,
            };
            Some(format!(
                "chuyển từ {} sang {lead_name}{}; bút phê: {}",
                before.unwrap_or_else(|| "—".into()),
                deadline.map(|d| format!("; hạn {}", day(d))).unwrap_or_default(),
                text.unwrap_or_default()
            ))
        }
        IncomingStep::Progress(_) => {
            let note = text.unwrap_or_default();
            tx.execute(
                "INSERT INTO incoming_notes (incoming_id, user_id, at, text) VALUES (?1, ?2, ?3, ?4)",
                params![id, user.id, at, note],
            )?;
            Some(note.to_owned())
        }
        IncomingStep::Opinion(_) => {
            let opinion = text.unwrap_or_default();
            tx.execute(
                "INSERT INTO incoming_opinions (incoming_id, user_id, at, text) VALUES (?1, ?2, ?3, ?4)",
                params![id, user.id, at, opinion],
            )?;
            Some(opinion.to_owned())
        }
        IncomingStep::RequestExtension { until, .. } => {
            let floor = letter.deadline.unwrap_or(today).max(today);
            if *until <= floor {
                return Err(StoreError::Invalid(format!(
                    "ngày xin gia hạn {} phải sau thời hạn hiện tại {} và sau hôm nay",
                    day(*until),
                    letter.deadline.map_or_else(|| "—".into(), day)
                )));
            }
            if (*until - floor).num_days() > MAX_EXTENSION_DAYS {
                return Err(StoreError::Invalid(format!("gia hạn tối đa {MAX_EXTENSION_DAYS} ngày mỗi lần")));
            }
            tx.execute(
                "INSERT INTO incoming_extensions (incoming_id, requested_by, requested_at, reason, previous_deadline,
                                                  requested_deadline)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, user.id, at, text, letter.deadline.map(|d| d.to_string()), until.to_string()],
            )?;
            Some(format!("xin gia hạn đến {}: {}", day(*until), text.unwrap_or_default()))
        }
        IncomingStep::GrantExtension { .. } | IncomingStep::RefuseExtension { .. } => {
            let (request, until) = pending.expect("checked by needs_pending_extension");
            let granted = matches!(step, IncomingStep::GrantExtension { .. });
            tx.execute(
                "UPDATE incoming_extensions SET state = ?2, decided_by = ?3, decided_at = ?4, decision_note = ?5
                 WHERE id = ?1",
                params![request, if granted { "granted" } else { "refused" }, user.id, at, text],
            )?;
            if granted {
                tx.execute("UPDATE incoming SET deadline = ?2 WHERE id = ?1", params![id, until.to_string()])?;
            }
            let verdict = if granted { "cho gia hạn đến" } else { "không cho gia hạn đến" };
            Some(match text {
                Some(t) => format!("{verdict} {}: {t}", day(until)),
                None => format!("{verdict} {}", day(until)),
            })
        }
        IncomingStep::Resolve { reply, .. } => {
            let reply_label = match reply {
                Some(doc) => Some(visible_reply(tx, *doc, c.who, user)?),
                None => None,
            };
            tx.execute(
                "UPDATE incoming SET reply_document_id = ?2, closing_note = ?3 WHERE id = ?1",
                params![id, reply, text],
            )?;
            tx.execute(
                "UPDATE incoming_extensions SET state = 'withdrawn', decided_at = ?2
                 WHERE incoming_id = ?1 AND state = 'pending'",
                params![id, at],
            )?;
            let mut parts = Vec::new();
            if let Some(label) = reply_label {
                parts.push(format!("trả lời bằng {label}"));
            }
            if let Some(t) = text {
                parts.push(t.to_owned());
            }
            Some(parts.join("; "))
        }
    })
}

/// Checks that the reply exists and that the handler may see it; names it.
fn visible_reply(tx: &Transaction<'_>, doc: i64, who: &ActorFacts, user: &User) -> Result<String> {
    /// Where it sits; family, number, symbol, subject.
    type Row = (DocumentPlace, String, Option<String>, Option<String>, Option<String>);
    let row: Option<Row> = tx
        .query_row(
            &format!(
                "SELECT {}, family, number, notation, subject FROM documents WHERE id = ?1",
                super::scope::PLACE_COLUMNS
            ),
            [doc],
            |r| Ok((super::scope::place_from_row(r, 0)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?)),
        )
        .optional()?;
    let Some((place, family, number, notation, subject)) = row else {
        return Err(StoreError::NotFound(format!("văn bản trả lời #{doc}")));
    };
    if !may_link_reply(who, place) {
        return Err(StoreError::Invalid(format!(
            "văn bản trả lời không thuộc phạm vi {} được liên kết: chỉ văn bản của mình hoặc của đơn vị mình",
            user.full_name
        )));
    }
    Ok(match super::references::printed_number(&family, number.as_deref(), notation.as_deref()) {
        Some(printed) => format!("văn bản số {printed}"),
        None => format!("dự thảo «{}»", subject.unwrap_or_default()),
    })
}
