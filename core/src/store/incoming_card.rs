//! The card of an incoming letter (phiếu xử lý): its fields as registered (NĐ 30
//! Phụ lục IV, sổ đăng ký văn bản đến), the bút phê, the handlers, the deadline,
//! progress notes, the co-handlers' opinions, extension requests, and its history;
//! with the steps the viewer may take.

use std::collections::HashMap;

use super::sql::{OptionalExtension, params};
use chrono::NaiveDate;
use serde::Serialize;

use super::{Actor, AuditEvent, Result, Store, StoreError};
use crate::model::{Incoming, Secrecy};
use crate::workflow::IncomingAction;
use crate::workflow::authority::{IncomingFacts, may_see_incoming};

/// How a letter reached the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceivedVia {
    /// By post, on paper.
    Paper,
    /// Through the electronic document system (trục liên thông) or e-mail.
    Electronic,
    /// By fax.
    Fax,
    /// Delivered by hand.
    Hand,
}

impl ReceivedVia {
    /// Every way.
    pub const ALL: [ReceivedVia; 4] =
        [ReceivedVia::Paper, ReceivedVia::Electronic, ReceivedVia::Fax, ReceivedVia::Hand];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ReceivedVia::Paper => "paper",
            ReceivedVia::Electronic => "electronic",
            ReceivedVia::Fax => "fax",
            ReceivedVia::Hand => "hand",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        ReceivedVia::ALL.into_iter().find(|v| v.code() == code)
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            ReceivedVia::Paper => "Văn bản giấy (bưu chính)",
            ReceivedVia::Electronic => "Văn bản điện tử",
            ReceivedVia::Fax => "Fax",
            ReceivedVia::Hand => "Nhận trực tiếp",
        }
    }
}

impl std::fmt::Display for ReceivedVia {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Registered facts of a letter beyond [`super::NewIncoming`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IncomingDetails {
    /// Số tờ (pages).
    pub pages: Option<u32>,
    /// Độ mật.
    pub secrecy: Option<Secrecy>,
    /// How it came.
    pub received_via: Option<ReceivedVia>,
}

/// A progress note of the lead handler.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressNote {
    /// When (RFC 3339).
    pub at: String,
    /// Who wrote it (full name).
    pub author: String,
    /// The note.
    pub text: String,
}

/// An extension request and its decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtensionRequest {
    /// Who asked (full name).
    pub requested_by: String,
    /// When (RFC 3339).
    pub requested_at: String,
    /// Why.
    pub reason: String,
    /// The deadline before.
    pub previous_deadline: Option<NaiveDate>,
    /// The deadline asked for.
    pub requested_deadline: NaiveDate,
    /// `pending`, `granted`, `refused` or `withdrawn`.
    pub state: String,
    /// Who decided (full name).
    pub decided_by: Option<String>,
    /// The decision's note.
    pub decision_note: Option<String>,
}

impl ExtensionRequest {
    /// The state in Vietnamese.
    pub fn state_label(&self) -> &'static str {
        match self.state.as_str() {
            "pending" => "Chờ lãnh đạo quyết định",
            "granted" => "Đã cho gia hạn",
            "refused" => "Không cho gia hạn",
            _ => "Đã rút (văn bản đã hoàn thành)",
        }
    }
}

/// Everything the card of a letter shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncomingCard {
    /// The letter as registered.
    pub letter: Incoming,
    /// The receiving agency.
    pub agency_name: String,
    /// Pages, secrecy, how it came.
    #[serde(skip)]
    pub details: IncomingDetails,
    /// The bút phê.
    pub direction: Option<String>,
    /// The lead handler (full name).
    pub handler: Option<String>,
    /// The co-handlers (full names).
    pub co_handlers: Vec<String>,
    /// The note that closed it.
    pub closing_note: Option<String>,
    /// The reply: id and its name.
    pub reply: Option<(i64, String)>,
    /// The dossier it is filed in (code and title).
    pub dossier: Option<String>,
    /// Progress notes, oldest first.
    pub notes: Vec<ProgressNote>,
    /// Opinions of the co-handlers (ý kiến phối hợp), oldest first.
    pub opinions: Vec<ProgressNote>,
    /// Extension requests, oldest first.
    pub extensions: Vec<ExtensionRequest>,
    /// Its audit events, oldest first.
    pub history: Vec<AuditEvent>,
    /// Full names by user name (to show the history in people's names).
    pub names: HashMap<String, String>,
    /// The steps the viewer may take now.
    pub actions: Vec<IncomingAction>,
    /// Whether the viewer is a co-handler (read-only).
    pub viewer_co_handles: bool,
    /// The files received with it (signed PDF, scan, attachments) and their checks.
    pub files: Vec<super::ReceivedFile>,
}

impl IncomingCard {
    /// Whether the deadline is past on `today` and the letter is unfinished.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.letter.state.is_open() && self.letter.deadline.is_some_and(|d| d < today)
    }

    /// A user's full name (the user name when unknown).
    pub fn full_name<'a>(&'a self, username: &'a str) -> &'a str {
        self.names.get(username).map_or(username, String::as_str)
    }

    /// Whether an extension request awaits a decision.
    pub fn pending_extension(&self) -> Option<&ExtensionRequest> {
        self.extensions.iter().find(|e| e.state == "pending")
    }
}

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| t.parse().ok())
}

impl Store {
    /// Who may be given letter `id` to handle (lead or co-handler): active users of
    /// the receiving agency or of an agency serving it, as (user name, full name),
    /// by full name.
    pub fn incoming_handler_choices(&self, id: i64) -> Result<Vec<(String, String)>> {
        let agency: i64 = self
            .conn
            .query_row("SELECT agency_id FROM incoming WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("văn bản đến #{id}")))?;
        let mut stmt = self.conn.prepare(
            "SELECT u.username, u.full_name, coalesce(p.agency_id, u.agency_id) FROM users u
             LEFT JOIN people p ON p.id = u.person_id WHERE u.active = 1 ORDER BY u.full_name",
        )?;
        let users: Vec<(String, String, Option<i64>)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<super::sql::Result<_>>()?;
        let mut out = Vec::new();
        for (username, name, home) in users {
            if super::authority::served_by(&self.conn, home)?.contains(&agency) {
                out.push((username, name));
            }
        }
        Ok(out)
    }

    /// The card of letter `id` as `actor` may see it: refused for those who may not
    /// see the letter (other agencies, staff not handling it).
    pub fn incoming_card(&self, actor: &Actor, id: i64) -> Result<IncomingCard> {
        let who = self.actor_facts(actor)?;
        let letter = self
            .list_incoming()?
            .into_iter()
            .find(|i| i.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("văn bản đến #{id}")))?;
        let co_ids = super::incoming_handling::co_handler_ids(&self.conn, id)?;
        let involved = letter.handler_id == Some(who.user_id) || co_ids.contains(&who.user_id);
        if !may_see_incoming(&who, letter.agency_id, involved) {
            return Err(StoreError::Denied(format!(
                "{} không xem được văn bản đến #{id}: chỉ văn thư, lãnh đạo phục vụ cơ quan nhận và người được giao xử lý",
                actor.user().full_name
            )));
        }
        let full_names: HashMap<i64, (String, String)> = {
            let mut stmt = self.conn.prepare("SELECT id, username, full_name FROM users")?;
            stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?.collect::<super::sql::Result<_>>()?
        };
        let name_of = |uid: i64| full_names.get(&uid).map_or_else(|| format!("#{uid}"), |(_, n)| n.clone());
        /// Agency name, bút phê, pages, secrecy, how it came, closing note, dossier.
        type Row =
            (String, Option<String>, Option<u32>, Option<String>, Option<String>, Option<String>, Option<String>);
        let (agency_name, direction, pages, secrecy, via, closing_note, dossier): Row = self.conn.query_row(
            "SELECT a.name, i.direction, i.pages, i.secrecy, i.received_via, i.closing_note,
                    (SELECT d.code || ' ' || d.title FROM dossiers d WHERE d.id = i.dossier_id)
             FROM incoming i JOIN agencies a ON a.id = i.agency_id WHERE i.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )?;
        let details = IncomingDetails {
            pages,
            secrecy: secrecy.as_deref().and_then(Secrecy::from_code),
            received_via: via.as_deref().and_then(ReceivedVia::from_code),
        };
        let reply = match letter.reply_document_id {
            Some(doc) => self
                .conn
                .query_row("SELECT number, notation, subject FROM documents WHERE id = ?1", [doc], |r| {
                    Ok((r.get::<_, Option<String>>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, Option<String>>(2)?))
                })
                .optional()?
                .map(|(n, s, subject)| {
                    let symbol = match (n, s) {
                        (Some(n), Some(s)) => format!("Số {n}/{s}"),
                        _ => format!("Văn bản #{doc}"),
                    };
                    (doc, format!("{symbol}: {}", subject.unwrap_or_default()))
                }),
            None => None,
        };
        let notes = {
            let mut stmt =
                self.conn.prepare("SELECT at, user_id, text FROM incoming_notes WHERE incoming_id = ?1 ORDER BY id")?;
            stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?
                .map(|row| row.map(|(at, uid, text)| ProgressNote { at, author: name_of(uid), text }))
                .collect::<super::sql::Result<Vec<_>>>()?
        };
        let opinions = {
            let mut stmt = self
                .conn
                .prepare("SELECT at, user_id, text FROM incoming_opinions WHERE incoming_id = ?1 ORDER BY id")?;
            stmt.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?
                .map(|row| row.map(|(at, uid, text)| ProgressNote { at, author: name_of(uid), text }))
                .collect::<super::sql::Result<Vec<_>>>()?
        };
        let extensions = {
            let mut stmt = self.conn.prepare(
                "SELECT requested_by, requested_at, reason, previous_deadline, requested_deadline, state, decided_by,
                        decision_note
                 FROM incoming_extensions WHERE incoming_id = ?1 ORDER BY id",
            )?;
            stmt.query_map(params![id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                ))
            })?
            .map(|row| {
                row.map(|(by, at, reason, before, until, state, decided, note)| ExtensionRequest {
                    requested_by: name_of(by),
                    requested_at: at,
                    reason,
                    previous_deadline: date(before),
                    requested_deadline: until.parse().unwrap_or_default(),
                    state,
                    decided_by: decided.map(name_of),
                    decision_note: note,
                })
            })
            .collect::<super::sql::Result<Vec<_>>>()?
        };
        let facts = IncomingFacts {
            agency_id: letter.agency_id,
            agency_name: agency_name.clone(),
            handler_id: letter.handler_id,
            co_handlers: co_ids.clone(),
        };
        let pending = extensions.iter().any(|e| e.state == "pending");
        let actions = super::incoming_handling::allowed_incoming_actions(&who, actor.user(), &letter, &facts, pending);
        let history = self.audit_events(Some(("incoming", id)))?;
        let files = super::files::files_of(&self.conn, id)?;
        Ok(IncomingCard {
            handler: letter.handler_id.map(name_of),
            co_handlers: co_ids.iter().map(|c| name_of(*c)).collect(),
            viewer_co_handles: co_ids.contains(&who.user_id),
            letter,
            agency_name,
            details,
            direction,
            closing_note,
            reply,
            dossier,
            notes,
            opinions,
            extensions,
            history,
            names: full_names.into_values().collect(),
            actions,
            files,
        })
    }
}
