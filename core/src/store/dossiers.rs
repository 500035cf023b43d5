//! The file plan (danh mục hồ sơ) and dossiers: open, file documents, close, reopen
//! (NĐ 30 Điều 28–29, Phụ lục V). A closed dossier and its documents are read-only:
//! every core call refuses the change and records the attempt in the audit log, and
//! triggers refuse it at the SQLite level as well.

use super::sql::{OptionalExtension, Row, Transaction, params};
use chrono::{DateTime, Local, NaiveDate};
use serde::Serialize;

use super::workflow::{NewEvent, append_event};
use super::{Actor, Result, Store, StoreError};
use crate::model::{Dossier, IndexEntry, OutgoingState, Retention, Role};
use crate::text::nfc;

/// A dossier to open (a line of the file plan).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewDossier {
    /// Agency; by default the actor's.
    pub agency_id: Option<i64>,
    /// Year of the file plan.
    pub year: i32,
    /// Large heading (`I. TỔNG HỢP`).
    pub heading: String,
    /// Abbreviation of the heading (`TH`), used in the symbol.
    pub heading_code: String,
    /// Sub-heading, if any.
    pub subheading: Option<String>,
    /// Số và ký hiệu; by default the next number of the year and agency + `.` + heading code.
    pub code: Option<String>,
    /// Tiêu đề hồ sơ.
    pub title: String,
    /// Retention; by default the period of `retention_item`.
    pub retention: Option<Retention>,
    /// Key of the retention table item.
    pub retention_item: Option<String>,
    /// Người lập hồ sơ (person id).
    pub responsible_person_id: Option<i64>,
    /// Opening date; by default today.
    pub start_date: Option<NaiveDate>,
    /// Ghi chú.
    pub description: Option<String>,
}

/// Changes to an open dossier (`None` keeps the value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DossierChange {
    /// New title.
    pub title: Option<String>,
    /// New retention period.
    pub retention: Option<Retention>,
    /// New responsible person.
    pub responsible_person_id: Option<i64>,
    /// New description.
    pub description: Option<String>,
}

/// A document that can be filed: outgoing (`documents`) or incoming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "item", content = "id", rename_all = "snake_case")]
pub enum FiledItem {
    /// An outgoing document (văn bản đi).
    Document(i64),
    /// An incoming document (văn bản đến).
    Incoming(i64),
}

impl FiledItem {
    /// The audit subject (`document`, `incoming`).
    pub fn subject(self) -> &'static str {
        match self {
            FiledItem::Document(_) => "document",
            FiledItem::Incoming(_) => "incoming",
        }
    }

    /// The database id.
    pub fn id(self) -> i64 {
        match self {
            FiledItem::Document(id) | FiledItem::Incoming(id) => id,
        }
    }

    fn table(self) -> &'static str {
        match self {
            FiledItem::Document(_) => "documents",
            FiledItem::Incoming(_) => "incoming",
        }
    }

    fn label(self) -> String {
        match self {
            FiledItem::Document(id) => format!("văn bản đi #{id}"),
            FiledItem::Incoming(id) => format!("văn bản đến #{id}"),
        }
    }
}

/// One large heading of the file plan with its dossiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilePlanHeading {
    /// The heading (`I. TỔNG HỢP`).
    pub heading: String,
    /// Its abbreviation.
    pub heading_code: String,
    /// Its dossiers, by symbol.
    pub dossiers: Vec<Dossier>,
}

/// One audit event as stored (for dossier pages and archive packages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AuditRecord {
    /// Row id.
    pub id: i64,
    /// Time (RFC 3339).
    pub at: String,
    /// Acting user name.
    pub username: String,
    /// Role the user acted in.
    pub role: String,
    /// `document`, `incoming`, `dossier` or `system`.
    pub subject: String,
    /// Id of the subject.
    pub subject_id: Option<i64>,
    /// What was done.
    pub action: String,
    /// State before.
    pub state_before: Option<String>,
    /// State after.
    pub state_after: Option<String>,
    /// Content hash recorded with the step.
    pub content_hash: Option<String>,
    /// Comment or reason.
    pub comment: Option<String>,
    /// Hash of the previous event.
    pub prev_hash: String,
    /// Hash of this event.
    pub hash: String,
}

/// What a dossier page shows: the dossier, its documents and its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DossierPage {
    /// The dossier.
    pub dossier: Dossier,
    /// Its documents in index order.
    pub documents: Vec<IndexEntry>,
    /// The stored document index (mục lục văn bản), for closed permanent files.
    pub document_index: Option<Vec<IndexEntry>>,
    /// Audit events of the dossier itself, oldest first.
    pub events: Vec<AuditRecord>,
}

const DOSSIER_COLUMNS: &str = "d.id, d.agency_id, d.year, d.heading, d.heading_code, d.subheading, d.code, d.title,
    d.retention_years, d.retention_item, d.responsible_person_id, p.full_name, d.start_date, d.end_date, d.closed,
    d.description, d.language, d.rights, d.closing_note,
    (SELECT count(*) FROM documents x WHERE x.dossier_id = d.id) + (SELECT count(*) FROM incoming y WHERE y.dossier_id = d.id)";

fn dossier_from_row(r: &Row) -> super::sql::Result<Dossier> {
    let date = |v: Option<String>| v.and_then(|t| t.parse::<NaiveDate>().ok());
    Ok(Dossier {
        id: r.get(0)?,
        agency_id: r.get(1)?,
        year: r.get(2)?,
        heading: r.get(3)?,
        heading_code: r.get(4)?,
        subheading: r.get(5)?,
        code: r.get(6)?,
        title: r.get(7)?,
        retention: Retention::from_years_code(r.get(8)?),
        retention_item: r.get(9)?,
        responsible_person_id: r.get(10)?,
        responsible_name: r.get(11)?,
        start_date: date(r.get(12)?),
        end_date: date(r.get(13)?),
        closed: r.get::<_, i64>(14)? == 1,
        description: r.get(15)?,
        language: r.get(16)?,
        rights: r.get(17)?,
        closing_note: r.get(18)?,
        document_count: r.get(19)?,
    })
}

pub(crate) fn audit_from_row(r: &Row) -> super::sql::Result<AuditRecord> {
    Ok(AuditRecord {
        id: r.get(0)?,
        at: r.get(1)?,
        username: r.get(2)?,
        role: r.get(3)?,
        subject: r.get(4)?,
        subject_id: r.get(5)?,
        action: r.get(6)?,
        state_before: r.get(7)?,
        state_after: r.get(8)?,
        content_hash: r.get(9)?,
        comment: r.get(10)?,
        prev_hash: r.get(11)?,
        hash: r.get(12)?,
    })
}

pub(crate) const AUDIT_COLUMNS: &str = "id, at, username, role, subject, subject_id, action, state_before, state_after, content_hash, comment, prev_hash, hash";

fn load_dossier(tx: &super::sql::Connection, id: i64) -> Result<Dossier> {
    tx.query_row(
        &format!("SELECT {DOSSIER_COLUMNS} FROM dossiers d LEFT JOIN people p ON p.id = d.responsible_person_id WHERE d.id = ?1"),
        [id],
        dossier_from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("hồ sơ #{id}")))
}

/// The documents of a dossier in index order (by date, outgoing before incoming).
pub(crate) fn contents(conn: &super::sql::Connection, dossier_id: i64) -> Result<Vec<IndexEntry>> {
    index_entries(conn, "dossier_id = ?1", "dossier_id = ?1", dossier_id)
}

/// Index lines of the outgoing documents matching `documents_where` and the incoming
/// ones matching `incoming_where` (both SQL conditions on `?1 = value`), by date,
/// outgoing before incoming, numbered from 1.
pub(crate) fn index_entries(
    conn: &super::sql::Connection,
    documents_where: &str,
    incoming_where: &str,
    value: i64,
) -> Result<Vec<IndexEntry>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT 'document', id, family, number, notation, coalesce(date, ''), issuer_name, coalesce(subject, '')
           FROM documents WHERE {documents_where}
         UNION ALL
         SELECT 'incoming', id, 'state', number, notation, coalesce(date, arrival_date), sender, subject
           FROM incoming WHERE {incoming_where}
         ORDER BY 6, 1, 2"
    ))?;
    let rows = stmt.query_map([value], |r| {
        let (family, number, notation): (String, Option<String>, Option<String>) = (r.get(2)?, r.get(3)?, r.get(4)?);
        let number = match (number, notation) {
            (Some(n), Some(s)) if family == "party" => format!("{n}-{s}"),
            (Some(n), Some(s)) => format!("{n}/{s}"),
            (Some(n), None) => n,
            (None, Some(s)) => s,
            (None, None) => String::new(),
        };
        Ok(IndexEntry {
            ordinal: 0,
            item: r.get(0)?,
            id: r.get(1)?,
            number,
            date: r.get(5)?,
            author: r.get(6)?,
            subject: r.get(7)?,
        })
    })?;
    let mut entries: Vec<IndexEntry> = rows.collect::<super::sql::Result<_>>()?;
    for (i, e) in entries.iter_mut().enumerate() {
        e.ordinal = i as i64 + 1;
    }
    Ok(entries)
}

/// The role an actor uses for a dossier step, for the audit log.
fn acting_role(actor: &Actor, allowed: &[Role]) -> &'static str {
    allowed.iter().find(|r| actor.has(**r)).map_or("responsible", |r| r.code())
}

fn event<'a>(
    actor: &'a Actor,
    now: DateTime<Local>,
    role: &'a str,
    subject: &'a str,
    id: i64,
    action: &'a str,
    comment: Option<&'a str>,
) -> NewEvent<'a> {
    NewEvent {
        at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        user_id: Some(actor.user().id),
        username: &actor.user().username,
        role,
        subject,
        subject_id: Some(id),
        action,
        state_before: None,
        state_after: None,
        content_hash: None,
        comment,
        effects: None,
    }
}

const KEEPERS: [Role; 2] = [Role::VanThu, Role::Archivist];

/// Refuses unless the actor keeps records (văn thư, lưu trữ) or is the dossier's
/// responsible person.
fn require_keeper(actor: &Actor, dossier: &Dossier, what: &str) -> Result<()> {
    let responsible =
        dossier.responsible_person_id.is_some() && actor.user().person_id == dossier.responsible_person_id;
    if responsible || KEEPERS.iter().any(|r| actor.has(*r)) {
        Ok(())
    } else {
        Err(StoreError::Denied(format!(
            "{} không phải văn thư, lưu trữ hoặc người lập hồ sơ {} nên không được {what}",
            actor.user().username,
            dossier.code
        )))
    }
}

impl Store {
    /// Opens a dossier (adds a line to the file plan of its year), audited. Văn thư,
    /// lưu trữ or administrator.
    pub fn create_dossier(&mut self, actor: &Actor, new: &NewDossier, now: DateTime<Local>) -> Result<i64> {
        if ![Role::VanThu, Role::Archivist, Role::Admin].iter().any(|r| actor.has(*r)) {
            return Err(StoreError::Denied(format!(
                "{} cần vai trò Văn thư, Lưu trữ hoặc Quản trị để lập hồ sơ",
                actor.user().username
            )));
        }
        let title = nfc(new.title.trim());
        let heading = nfc(new.heading.trim());
        let heading_code = nfc(new.heading_code.trim());
        if title.is_empty() {
            return Err(StoreError::Invalid("hồ sơ cần tiêu đề".into()));
        }
        if heading.is_empty() || heading_code.is_empty() || !heading_code.chars().all(char::is_alphanumeric) {
            return Err(StoreError::Invalid(
                "hồ sơ cần đề mục lớn (vd. `I. TỔNG HỢP`) và chữ viết tắt của đề mục chỉ gồm chữ, số (vd. `TH`)".into(),
            ));
        }
        if !(1900..=2200).contains(&new.year) {
            return Err(StoreError::Invalid(format!("năm {} của danh mục hồ sơ ngoài phạm vi", new.year)));
        }
        let table = self.retention_table()?;
        let retention = match (&new.retention, &new.retention_item) {
            (Some(r), _) => *r,
            (None, Some(key)) => {
                table
                    .item(key)
                    .ok_or_else(|| StoreError::Invalid(format!("bảng thời hạn bảo quản không có mục `{key}`")))?
                    .retention
            }
            (None, None) => {
                return Err(StoreError::Invalid(
                    "hồ sơ cần thời hạn bảo quản (`Vĩnh viễn` hoặc số năm) hoặc một mục của bảng thời hạn".into(),
                ));
            }
        };
        let who = super::authority::actor_facts(&self.conn, actor)?;
        let agency_id = new.agency_id.or(who.agency_id).ok_or_else(|| {
            StoreError::Invalid("chưa rõ cơ quan của hồ sơ: tài khoản không gắn với cơ quan nào".into())
        })?;
        if !actor.has(Role::Admin) && !who.serves_agency(Some(agency_id)) {
            let refusal = StoreError::Denied(format!(
                "{} không phục vụ cơ quan #{agency_id} nên không lập hồ sơ của cơ quan đó",
                actor.user().username
            ));
            return Err(self.audit_refusal(actor, "system", None, "create-dossier", refusal));
        }
        let start = new.start_date.unwrap_or_else(|| now.date_naive());
        let role = acting_role(actor, &[Role::VanThu, Role::Archivist, Role::Admin]);
        self.write(|tx| {
            let code = match &new.code {
                Some(code) if !code.trim().is_empty() => nfc(code.trim()),
                _ => {
                    let n: i64 = tx.query_row(
                        "SELECT count(*) + 1 FROM dossiers WHERE agency_id = ?1 AND year = ?2",
                        params![agency_id, new.year],
                        |r| r.get(0),
                    )?;
                    format!("{n:02}.{heading_code}")
                }
            };
            let taken: Option<i64> = tx
                .query_row(
                    "SELECT id FROM dossiers WHERE agency_id = ?1 AND year = ?2 AND code = ?3",
                    params![agency_id, new.year, code],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(other) = taken {
                return Err(StoreError::Invalid(format!(
                    "số và ký hiệu hồ sơ {code} năm {} đã dùng cho hồ sơ #{other}",
                    new.year
                )));
            }
            let new_id = tx.query_row(
                "INSERT INTO dossiers (agency_id, year, code, title, retention_years, responsible_person_id, start_date,
                                       heading, heading_code, subheading, retention_item, description, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
                params![
                    agency_id,
                    new.year,
                    code,
                    title,
                    retention.to_years_code(),
                    new.responsible_person_id,
                    start.to_string(),
                    heading,
                    heading_code,
                    new.subheading.as_deref().map(|s| nfc(s.trim())),
                    new.retention_item,
                    new.description.as_deref().map(|s| nfc(s.trim())),
                    super::now_text()
                ], |r| r.get::<_, i64>(0))?;
            let id = new_id;
            let comment = format!("{code} {title} ({})", retention.label());
            append_event(tx, &event(actor, now, role, "dossier", id, "create", Some(&comment)))?;
            Ok(id)
        })
    }

    /// One dossier.
    pub fn dossier(&self, id: i64) -> Result<Option<Dossier>> {
        match load_dossier(&self.conn, id) {
            Ok(d) => Ok(Some(d)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The dossier with a symbol in a year (of any agency when `agency_id` is `None`).
    pub fn dossier_by_code(&self, year: i32, code: &str, agency_id: Option<i64>) -> Result<Option<Dossier>> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM dossiers WHERE year = ?1 AND code = ?2 AND (CAST(?3 AS BIGINT) IS NULL OR agency_id = ?3) ORDER BY id LIMIT 1",
                params![year, nfc(code.trim()), agency_id],
                |r| r.get(0),
            )
            .optional()?;
        id.map_or(Ok(None), |id| self.dossier(id))
    }

    /// The file plan of a year, by large heading (in heading order), each with its
    /// dossiers by symbol. `agency_id` narrows it to one agency.
    pub fn file_plan(&self, year: i32, agency_id: Option<i64>) -> Result<Vec<FilePlanHeading>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {DOSSIER_COLUMNS} FROM dossiers d LEFT JOIN people p ON p.id = d.responsible_person_id
             WHERE d.year = ?1 AND (CAST(?2 AS BIGINT) IS NULL OR d.agency_id = ?2) ORDER BY d.heading, d.code, d.id"
        ))?;
        let dossiers: Vec<Dossier> =
            stmt.query_map(params![year, agency_id], dossier_from_row)?.collect::<super::sql::Result<_>>()?;
        let mut plan: Vec<FilePlanHeading> = Vec::new();
        for d in dossiers {
            match plan.last_mut() {
                Some(h) if h.heading == d.heading => h.dossiers.push(d),
                _ => plan.push(FilePlanHeading {
                    heading: d.heading.clone(),
                    heading_code: d.heading_code.clone(),
                    dossiers: vec![d],
                }),
            }
        }
        Ok(plan)
    }

    /// Everything a dossier page shows.
    pub fn dossier_page(&self, id: i64) -> Result<DossierPage> {
        let dossier = load_dossier(&self.conn, id)?;
        let documents = contents(&self.conn, id)?;
        let index: Option<String> =
            self.conn.query_row("SELECT document_index FROM dossiers WHERE id = ?1", [id], |r| r.get(0))?;
        let document_index = index.and_then(|t| serde_json::from_str(&t).ok());
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_events WHERE subject = 'dossier' AND subject_id = ?1 ORDER BY id"
        ))?;
        let events = stmt.query_map([id], audit_from_row)?.collect::<super::sql::Result<_>>()?;
        Ok(DossierPage { dossier, documents, document_index, events })
    }

    /// The audit events of a dossier and of the documents filed in it, oldest first.
    pub fn dossier_audit(&self, id: i64) -> Result<Vec<AuditRecord>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_events
             WHERE (subject = 'dossier' AND subject_id = ?1)
                OR (subject = 'document' AND subject_id IN (SELECT id FROM documents WHERE dossier_id = ?1))
                OR (subject = 'incoming' AND subject_id IN (SELECT id FROM incoming WHERE dossier_id = ?1))
             ORDER BY id"
        ))?;
        Ok(stmt.query_map([id], audit_from_row)?.collect::<super::sql::Result<_>>()?)
    }

    /// The closed dossier holding a document, if any.
    fn closed_dossier_of(&self, item: FiledItem) -> Result<Option<Dossier>> {
        let id: Option<i64> = self
            .conn
            .query_row(
                &format!(
                    "SELECT d.id FROM {} t JOIN dossiers d ON d.id = t.dossier_id WHERE t.id = ?1 AND d.closed = 1",
                    item.table()
                ),
                [item.id()],
                |r| r.get(0),
            )
            .optional()?;
        id.map_or(Ok(None), |id| self.dossier(id))
    }

    /// Records a refused change of a closed dossier (or of one of its documents) in
    /// the audit log, in its own transaction, and returns the refusal.
    fn refuse_closed(&mut self, actor: &Actor, subject: &str, id: i64, dossier: &Dossier, what: &str) -> StoreError {
        let reason = format!("{what}: hồ sơ {} đã đóng, chỉ được đọc", dossier.code);
        let role = actor.user().roles.first().map_or("user", |r| r.code());
        let logged = self.write(|tx| {
            append_event(tx, &event(actor, Local::now(), role, subject, id, "refused", Some(&reason))).map(|_| ())
        });
        match logged {
            Ok(()) => StoreError::Denied(format!("không được {what}: hồ sơ {} đã đóng, chỉ được đọc", dossier.code)),
            Err(e) => e,
        }
    }

    /// Refuses (and audits) any change of a document filed in a closed dossier.
    /// Workflow steps and edits call it before they write.
    pub(crate) fn guard_not_sealed(&mut self, actor: &Actor, item: FiledItem, what: &str) -> Result<()> {
        match self.closed_dossier_of(item)? {
            Some(dossier) => Err(self.refuse_closed(actor, item.subject(), item.id(), &dossier, what)),
            None => Ok(()),
        }
    }

    /// Loads an open dossier for a change, refusing (and auditing) when it is closed.
    fn open_dossier_for(&mut self, actor: &Actor, id: i64, what: &str) -> Result<Dossier> {
        let dossier = load_dossier(&self.conn, id)?;
        if dossier.closed {
            return Err(self.refuse_closed(actor, "dossier", id, &dossier, what));
        }
        require_keeper(actor, &dossier, what)?;
        self.require_serving_keeper(actor, &dossier, what)?;
        Ok(dossier)
    }

    /// Refuses (and audits) anyone but a văn thư or archivist serving the dossier's
    /// agency.
    fn require_serving_keeper(&mut self, actor: &Actor, dossier: &Dossier, what: &str) -> Result<()> {
        let who = super::authority::actor_facts(&self.conn, actor)?;
        let name: String = self
            .conn
            .query_row("SELECT name FROM agencies WHERE id = ?1", [dossier.agency_id], |r| r.get(0))
            .optional()?
            .unwrap_or_default();
        match crate::workflow::authority::may_keep_dossiers(&who, Some(dossier.agency_id), &name) {
            Ok(()) => Ok(()),
            Err(reason) => {
                let refusal = StoreError::Denied(format!("{} không được {what}: {reason}", actor.user().username));
                Err(self.audit_refusal(actor, "dossier", Some(dossier.id), what, refusal))
            }
        }
    }

    /// Changes the title, retention, responsible person or description of an open
    /// dossier, audited.
    pub fn update_dossier(
        &mut self,
        actor: &Actor,
        id: i64,
        change: &DossierChange,
        now: DateTime<Local>,
    ) -> Result<()> {
        let dossier = self.open_dossier_for(actor, id, "sửa hồ sơ")?;
        let title = change.title.as_deref().map(|t| nfc(t.trim()));
        if title.as_deref().is_some_and(str::is_empty) {
            return Err(StoreError::Invalid("tiêu đề hồ sơ không được để trống".into()));
        }
        let role = acting_role(actor, &KEEPERS);
        self.write(|tx| {
            tx.execute(
                "UPDATE dossiers SET title = coalesce(?2, title), retention_years = coalesce(?3, retention_years),
                        responsible_person_id = coalesce(?4, responsible_person_id),
                        description = coalesce(?5, description) WHERE id = ?1",
                params![
                    id,
                    title,
                    change.retention.map(Retention::to_years_code),
                    change.responsible_person_id,
                    change.description.as_deref().map(nfc)
                ],
            )?;
            let comment = format!("{}: {}", dossier.code, title.as_deref().unwrap_or(&dossier.title));
            append_event(tx, &event(actor, now, role, "dossier", id, "edit", Some(&comment)))?;
            Ok(())
        })
    }

    /// Files a document into an open dossier. An issued outgoing document becomes
    /// `filed` (the workflow's filing step, Điều 19, 28); a filed one is attached.
    /// A document belongs to at most one dossier. Audited on the dossier and on the
    /// document.
    pub fn add_to_dossier(
        &mut self,
        actor: &Actor,
        dossier_id: i64,
        item: FiledItem,
        now: DateTime<Local>,
    ) -> Result<()> {
        if let FiledItem::Document(id) = item {
            self.guard_unseen_document(actor, id, "add-to-dossier", &item.label())?;
        }
        self.guard_not_sealed(actor, item, "đưa văn bản vào hồ sơ khác")?;
        let dossier = self.open_dossier_for(actor, dossier_id, "thêm văn bản vào hồ sơ")?;
        let role = acting_role(actor, &KEEPERS);
        self.write(|tx| {
            let row: Option<(Option<i64>, String, Option<String>)> = match item {
                FiledItem::Document(id) => tx
                    .query_row("SELECT dossier_id, state, content_hash FROM documents WHERE id = ?1", [id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })
                    .optional()?,
                FiledItem::Incoming(id) => tx
                    .query_row("SELECT dossier_id, state, NULL FROM incoming WHERE id = ?1", [id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })
                    .optional()?,
            };
            let (current, state, hash) = row.ok_or_else(|| StoreError::NotFound(item.label()))?;
            // A dossier keeps the documents of its agency and of those its office serves.
            let item_agency: Option<i64> =
                tx.query_row(&format!("SELECT agency_id FROM {} WHERE id = ?1", item.table()), [item.id()], |r| {
                    r.get(0)
                })?;
            if !super::authority::served_by(tx, Some(dossier.agency_id))?.contains(&item_agency.unwrap_or(-1)) {
                return Err(StoreError::Denied(format!(
                    "{} không thuộc cơ quan của hồ sơ {}: mỗi cơ quan lập hồ sơ văn bản của mình",
                    item.label(),
                    dossier.code
                )));
            }
            if let Some(other) = current {
                let code: String = tx.query_row("SELECT code FROM dossiers WHERE id = ?1", [other], |r| r.get(0))?;
                return Err(StoreError::Invalid(format!(
                    "{} đã thuộc hồ sơ {code} (#{other}); một văn bản chỉ thuộc một hồ sơ",
                    item.label()
                )));
            }
            let mut after = state.clone();
            if let FiledItem::Document(id) = item {
                if state == OutgoingState::Issued.code() {
                    after = OutgoingState::Filed.code().to_owned();
                } else if state != OutgoingState::Filed.code() {
                    let label = OutgoingState::from_code(&state).map_or(state.as_str(), |s| s.label());
                    return Err(StoreError::Invalid(format!(
                        "văn bản đi #{id} đang ở trạng thái «{label}»: chỉ văn bản đã phát hành mới được lập hồ sơ"
                    )));
                }
            }
            tx.execute(
                &format!("UPDATE {} SET dossier_id = ?2 WHERE id = ?1", item.table()),
                params![item.id(), dossier_id],
            )?;
            if after != state {
                tx.execute("UPDATE documents SET state = ?2 WHERE id = ?1", params![item.id(), after])?;
            }
            let comment = format!("vào hồ sơ {} (#{dossier_id})", dossier.code);
            let action = if after != state { "file" } else { "add-to-dossier" };
            let mut doc_event = event(actor, now, role, item.subject(), item.id(), action, Some(&comment));
            doc_event.state_before = Some(&state);
            doc_event.state_after = Some(&after);
            doc_event.content_hash = hash.as_deref();
            append_event(tx, &doc_event)?;
            let comment = item.label();
            append_event(tx, &event(actor, now, role, "dossier", dossier_id, "add", Some(&comment)))?;
            Ok(())
        })
    }

    /// Takes a document out of an open dossier, audited.
    pub fn remove_from_dossier(
        &mut self,
        actor: &Actor,
        dossier_id: i64,
        item: FiledItem,
        now: DateTime<Local>,
    ) -> Result<()> {
        let dossier = self.open_dossier_for(actor, dossier_id, "bỏ văn bản khỏi hồ sơ")?;
        let role = acting_role(actor, &KEEPERS);
        self.write(|tx| {
            let changed = tx.execute(
                &format!("UPDATE {} SET dossier_id = NULL WHERE id = ?1 AND dossier_id = ?2", item.table()),
                params![item.id(), dossier_id],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound(format!("{} trong hồ sơ {}", item.label(), dossier.code)));
            }
            let comment = item.label();
            append_event(tx, &event(actor, now, role, "dossier", dossier_id, "remove", Some(&comment)))?;
            Ok(())
        })
    }

    /// Closes a dossier (kết thúc hồ sơ): checks the title, the dates and the
    /// documents, records the closing note (chứng từ kết thúc) and, for permanent
    /// files, the document index; from then on the dossier is read-only. Every
    /// problem found is named in the refusal.
    pub fn close_dossier(
        &mut self,
        actor: &Actor,
        id: i64,
        note: &str,
        end_date: Option<NaiveDate>,
        now: DateTime<Local>,
    ) -> Result<Dossier> {
        let dossier = self.open_dossier_for(actor, id, "đóng hồ sơ")?;
        let note = nfc(note.trim());
        let end = end_date.unwrap_or_else(|| now.date_naive());
        let entries = contents(&self.conn, id)?;
        let mut problems = Vec::new();
        if dossier.title.trim().is_empty() {
            problems.push("thiếu tiêu đề hồ sơ".to_owned());
        }
        match dossier.start_date {
            None => problems.push("thiếu ngày bắt đầu".to_owned()),
            Some(start) if start > end => problems.push(format!("ngày kết thúc {end} trước ngày bắt đầu {start}")),
            Some(_) => {}
        }
        if end > now.date_naive() {
            problems.push(format!("ngày kết thúc {end} ở tương lai"));
        }
        if entries.is_empty() {
            problems.push("hồ sơ chưa có văn bản nào".to_owned());
        }
        for e in &entries {
            if e.date.is_empty() {
                problems.push(format!("văn bản #{} chưa có ngày", e.id));
            } else if e.date.as_str() > end.to_string().as_str() {
                problems.push(format!("văn bản #{} ngày {} sau ngày kết thúc {end}", e.id, e.date));
            }
        }
        if note.is_empty() {
            problems.push("cần chứng từ kết thúc (ghi chú khi đóng hồ sơ)".to_owned());
        }
        // A letter still being handled would be frozen by closing (issue #14).
        for letter in super::incoming_handling::unfinished_in_dossier(&self.conn, id)? {
            problems.push(format!("{letter} chưa giải quyết xong"));
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(format!("chưa đóng được hồ sơ {}: {}", dossier.code, problems.join("; "))));
        }
        let index =
            dossier.retention.is_permanent().then(|| serde_json::to_string(&entries).expect("index entries serialise"));
        let role = acting_role(actor, &KEEPERS);
        self.write(|tx: &Transaction<'_>| {
            tx.execute(
                "UPDATE dossiers SET closed = 1, end_date = ?2, closing_note = ?3, document_index = ?4, closed_at = ?5
                 WHERE id = ?1 AND closed = 0",
                params![id, end.to_string(), note, index, now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)],
            )?;
            let comment = format!("{} văn bản; {note}", entries.len());
            let mut e = event(actor, now, role, "dossier", id, "close", Some(&comment));
            e.state_before = Some("open");
            e.state_after = Some("closed");
            append_event(tx, &e)?;
            Ok(())
        })?;
        load_dossier(&self.conn, id)
    }

    /// Reopens a closed dossier: only the archivist, with a reason kept in the audit log.
    pub fn reopen_dossier(&mut self, actor: &Actor, id: i64, reason: &str, now: DateTime<Local>) -> Result<()> {
        actor.require(Role::Archivist, "mở lại hồ sơ đã đóng")?;
        let reason = nfc(reason.trim());
        if reason.is_empty() {
            return Err(StoreError::Invalid("mở lại hồ sơ cần ghi lý do".into()));
        }
        let dossier = load_dossier(&self.conn, id)?;
        self.require_serving_keeper(actor, &dossier, "mở lại hồ sơ")?;
        if !dossier.closed {
            return Err(StoreError::Invalid(format!("hồ sơ {} đang mở", dossier.code)));
        }
        self.write(|tx| {
            tx.execute("UPDATE dossiers SET closed = 0 WHERE id = ?1", [id])?;
            let mut e = event(actor, now, Role::Archivist.code(), "dossier", id, "reopen", Some(&reason));
            e.state_before = Some("closed");
            e.state_after = Some("open");
            append_event(tx, &e)?;
            Ok(())
        })
    }
}
