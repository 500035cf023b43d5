//! Outgoing documents: import, read, list.

use super::sql::{OptionalExtension, Transaction, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Result, Store, StoreError, now_text};
use crate::exchange::{document_to_json, parse_document};
use crate::model::{Document, Family, OutgoingState};

/// How a document enters the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Workflow state; by default `issued` when the document has a number and a
    /// date, otherwise `draft`.
    pub state: Option<OutgoingState>,
    /// Drafting user.
    pub drafter_id: Option<i64>,
    /// Drafting unit.
    pub unit_id: Option<i64>,
    /// The signer's person record.
    pub signer_person_id: Option<i64>,
    /// A stable key making the import idempotent (demo data).
    pub source_key: Option<String>,
    /// SHA-256 (hex) of the source file, recorded in the creating `import` event.
    pub source_sha256: Option<String>,
    /// The account importing the document (named by the `import` event).
    pub imported_by: Option<i64>,
}

/// A stored document with its workflow data.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDocument {
    /// Database id.
    pub id: i64,
    /// Workflow state.
    pub state: OutgoingState,
    /// The issuing agency, when it is one of the database's agencies.
    pub agency_id: Option<i64>,
    /// The document.
    pub document: Document,
    /// Its canonical `vanthu.document/1` text.
    pub json: String,
    /// SHA-256 of `json`, hex.
    pub content_hash: String,
}

/// One line of the document list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentSummary {
    /// Database id.
    pub id: i64,
    /// `state` or `party`.
    pub family: String,
    /// Kind code.
    pub kind: String,
    /// Number, if numbered.
    pub number: Option<String>,
    /// Symbol, if numbered.
    pub notation: Option<String>,
    /// Issue date (ISO), if dated.
    pub date: Option<String>,
    /// Trích yếu.
    pub subject: Option<String>,
    /// Issuing body as printed.
    pub issuer: String,
    /// Workflow state code.
    pub state: String,
}

/// SHA-256 of a text, lower-case hex.
pub(crate) fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn find_agency(tx: &super::sql::Connection, document: &Document) -> Result<Option<i64>> {
    Ok(tx
        .query_row(
            "SELECT id FROM agencies WHERE family = ?1 AND coalesce(parent_name, '') = coalesce(?2, '') AND name = ?3",
            params![document.family.code(), document.issuer.parent, document.issuer.name],
            |r| r.get(0),
        )
        .optional()?)
}

/// The audit comment of an edit: the version, and why an approval lapsed.
fn lapse_note(version: i64, lapsed: bool, signer_changed: bool) -> String {
    match (lapsed, signer_changed) {
        (false, _) => format!("phiên bản {version}"),
        (true, true) => format!("phiên bản {version}; đổi người ký sau khi đã duyệt nội dung: trình duyệt lại"),
        (true, false) => format!("phiên bản {version}; sửa sau khi đã duyệt nội dung: trình duyệt lại"),
    }
}

/// Keeps one version of a document's content.
fn insert_version(tx: &Transaction<'_>, id: i64, version: i64, json: &str, hash: &str, user_id: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO document_versions (document_id, version, content_json, content_hash, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, version, json, hash, now_text(), user_id],
    )?;
    Ok(())
}

pub(crate) fn insert_document(
    tx: &Transaction<'_>,
    document: &Document,
    options: &ImportOptions,
) -> Result<(i64, bool)> {
    if let Some(key) = &options.source_key {
        let existing: Option<i64> =
            tx.query_row("SELECT id FROM documents WHERE source_key = ?1", [key], |r| r.get(0)).optional()?;
        if let Some(id) = existing {
            return Ok((id, false));
        }
    }
    let numbered = document.number.is_some() && document.date.is_some();
    let state = options.state.unwrap_or(if numbered { OutgoingState::Issued } else { OutgoingState::Draft });
    if let (Some(number), Some(year)) = (&document.number, document.year()) {
        // State: one series per year, secret documents apart (Điều 15); Party: per
        // type per term, so the same number may come back in another year.
        let per_year = document.family == Family::State;
        let duplicate: Option<i64> = tx
            .query_row(
                "SELECT id FROM documents WHERE family = ?1 AND issuer_name = ?2 AND number = ?3
                 AND coalesce(notation, '') = coalesce(?4, '') AND (NOT ?6 OR year = ?5)
                 AND (secrecy IS NULL) = (CAST(?7 AS TEXT) IS NULL)",
                params![
                    document.family.code(),
                    document.issuer.name,
                    number,
                    document.notation,
                    year,
                    per_year,
                    document.secrecy.map(|s| s.code())
                ],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = duplicate {
            return Err(StoreError::Invalid(format!(
                "văn bản số {} năm {year} của {} đã có trong cơ sở dữ liệu (#{id})",
                document.number_notation().unwrap_or_default(),
                document.issuer.name
            )));
        }
    }
    let json = document_to_json(document);
    let now = now_text();
    let new_id = tx.query_row(
        "INSERT INTO documents (family, kind, agency_id, unit_id, drafter_id, signer_person_id, number, notation,
                                year, date, subject, issuer_name, signer_name, urgency, secrecy, state,
                                content_json, content_hash, source_key, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?20) RETURNING id",
        params![
            document.family.code(),
            document.kind.as_str(),
            find_agency(tx, document)?,
            options.unit_id,
            options.drafter_id,
            options.signer_person_id,
            document.number,
            document.notation,
            document.year(),
            document.date.map(|d| d.to_string()),
            document.subject,
            document.issuer.name,
            document.signer.name,
            document.urgency.map(|u| u.code()),
            document.secrecy.map(|s| s.code()),
            state.code(),
            json,
            sha256_hex(&json),
            options.source_key,
            now,
        ], |r| r.get::<_, i64>(0))?;
    Ok((new_id, true))
}

/// Records the event that created document `id` (`import`, `demo`,
/// `archive-import`), naming its source's SHA-256, so `verify` finds a history for
/// every document.
pub(crate) fn record_creation(
    tx: &Transaction<'_>,
    id: i64,
    action: &str,
    user_id: Option<i64>,
    source_sha256: &str,
) -> Result<()> {
    let (state, hash): (String, String) =
        tx.query_row("SELECT state, content_hash FROM documents WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let (username, role) = match user_id {
        Some(user) => (tx.query_row("SELECT username FROM users WHERE id = ?1", [user], |r| r.get(0))?, "importer"),
        None => (if action == "demo" { "demo" } else { "vanthu" }.to_owned(), "system"),
    };
    super::workflow::append_event(
        tx,
        &super::workflow::NewEvent {
            at: now_text(),
            user_id,
            username: &username,
            role,
            subject: "document",
            subject_id: Some(id),
            action,
            state_before: None,
            state_after: Some(&state),
            content_hash: Some(&hash),
            comment: Some(&format!("sha256 nguồn {source_sha256}")),
            effects: None,
        },
    )
    .map(|_| ())
}

impl Store {
    /// A drafter starts a new draft from a document (its number and date are
    /// cleared: the register gives them). Recorded in the audit log.
    pub fn create_draft(
        &mut self,
        actor: &super::Actor,
        document: &Document,
        now: chrono::DateTime<chrono::Local>,
    ) -> Result<i64> {
        actor.require(crate::model::Role::Drafter, "soạn thảo văn bản")?;
        let mut draft = document.clone();
        draft.number = None;
        draft.date = None;
        let user = actor.user().clone();
        let who = super::authority::actor_facts(&self.conn, actor)?;
        let options = ImportOptions {
            state: Some(OutgoingState::Draft),
            drafter_id: Some(user.id),
            unit_id: who.unit_id,
            ..ImportOptions::default()
        };
        let result = self.write(|tx| {
            // A drafter drafts for their own agency and those it serves.
            let agencies: i64 = tx.query_row("SELECT count(*) FROM agencies", [], |r| r.get(0))?;
            let issuer = find_agency(tx, &draft)?;
            if agencies > 0 && !who.serves_agency(issuer) {
                return Err(StoreError::Workflow(crate::workflow::WorkflowError::Authority {
                    user: user.username.clone(),
                    action: "Soạn thảo",
                    reason: format!(
                        "cơ quan của bạn không soạn thảo văn bản cho \"{}\" (chỉ cho cơ quan mình và cơ quan mình phục vụ)",
                        draft.issuer.name
                    ),
                }));
            }
            let (id, _) = insert_document(tx, &draft, &options)?;
            let (json, hash): (String, String) =
                tx.query_row("SELECT content_json, content_hash FROM documents WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            insert_version(tx, id, 1, &json, &hash, user.id)?;
            super::workflow::append_event(
                tx,
                &super::workflow::NewEvent {
                    at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                    user_id: Some(user.id),
                    username: &user.username,
                    role: crate::model::Role::Drafter.code(),
                    subject: "document",
                    subject_id: Some(id),
                    action: "create",
                    state_before: None,
                    state_after: Some(OutgoingState::Draft.code()),
                    content_hash: Some(&hash),
                    comment: None,
                    effects: None,
                },
            )?;
            Ok(id)
        });
        result.map_err(|e| match e {
            StoreError::Workflow(crate::workflow::WorkflowError::Authority { .. }) => {
                self.audit_refusal(actor, "system", None, "create", e)
            }
            other => other,
        })
    }

    /// The drafter (or a colleague of the drafting unit it is shared with) saves an
    /// edited draft: a new version is kept beside the earlier ones, and the edit is
    /// audited. Returns the version. A draft still under review may be edited; once
    /// its content was approved (format check, awaiting signature) an edit makes the
    /// approval lapse and sends the draft back to content review, so what is signed
    /// is what the unit head approved, signer included.
    pub fn edit_draft(
        &mut self,
        actor: &super::Actor,
        id: i64,
        document: &Document,
        now: chrono::DateTime<chrono::Local>,
    ) -> Result<i64> {
        actor.require(crate::model::Role::Drafter, "sửa dự thảo")?;
        self.guard_unseen_document(actor, id, "edit", &format!("văn bản #{id}"))?;
        self.guard_not_sealed(actor, super::FiledItem::Document(id), "sửa dự thảo")?;
        let user = actor.user().clone();
        let mut draft = document.clone();
        draft.number = None;
        draft.date = None;
        let json = document_to_json(&draft);
        let hash = sha256_hex(&json);
        let in_person = self.kinds_signed_in_person()?;
        let today = now.date_naive();
        let result = self.write(|tx| {
            let facts = super::authority::document_facts(tx, id, today, &in_person)?;
            let state = facts.state;
            use OutgoingState::*;
            if !matches!(state, Draft | Returned | ContentReview | FormatCheck | AwaitingSignature) {
                return Err(StoreError::Workflow(crate::workflow::WorkflowError::State {
                    action: "Sửa dự thảo",
                    state: state.label(),
                }));
            }
            let who = super::authority::actor_facts(tx, actor)?;
            crate::workflow::authority::may_draft(&who, &facts).map_err(|reason| {
                StoreError::Workflow(crate::workflow::WorkflowError::Authority {
                    user: user.username.clone(),
                    action: "Sửa dự thảo",
                    reason,
                })
            })?;
            // After content approval the approval lapses: back to the unit head.
            let after = if matches!(state, FormatCheck | AwaitingSignature) { ContentReview } else { state };
            let (old_json, old_signer): (String, String) =
                tx.query_row("SELECT content_json, signer_name FROM documents WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            let signer_changed = parse_document(&old_json).map(|d| d.signer != draft.signer).unwrap_or(true)
                || old_signer != draft.signer.name;
            let mut version: i64 = tx.query_row(
                "SELECT coalesce(max(version), 0) + 1 FROM document_versions WHERE document_id = ?1",
                [id],
                |r| r.get(0),
            )?;
            if version == 1 {
                // An imported or demo draft has no version yet: keep what it was first.
                insert_version(tx, id, 1, &old_json, &sha256_hex(&old_json), user.id)?;
                version = 2;
            }
            tx.execute(
                "UPDATE documents SET content_json = ?2, content_hash = ?3, kind = ?4, subject = ?5, issuer_name = ?6,
                        signer_name = ?7, urgency = ?8, secrecy = ?9, updated_at = ?10 WHERE id = ?1",
                params![
                    id,
                    json,
                    hash,
                    draft.kind.as_str(),
                    draft.subject,
                    draft.issuer.name,
                    draft.signer.name,
                    draft.urgency.map(|u| u.code()),
                    draft.secrecy.map(|s| s.code()),
                    now_text()
                ],
            )?;
            if after != state {
                tx.execute("UPDATE documents SET state = ?2 WHERE id = ?1", params![id, after.code()])?;
            }
            insert_version(tx, id, version, &json, &hash, user.id)?;
            super::workflow::append_event(
                tx,
                &super::workflow::NewEvent {
                    at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                    user_id: Some(user.id),
                    username: &user.username,
                    role: crate::model::Role::Drafter.code(),
                    subject: "document",
                    subject_id: Some(id),
                    action: "edit",
                    state_before: Some(state.code()),
                    state_after: Some(after.code()),
                    content_hash: Some(&hash),
                    comment: Some(&lapse_note(version, state != after, signer_changed)),
                    effects: None,
                },
            )?;
            Ok(version)
        });
        result.map_err(|e| match e {
            StoreError::Workflow(crate::workflow::WorkflowError::Authority { .. }) => {
                self.audit_refusal(actor, "document", Some(id), "edit", e)
            }
            other => other,
        })
    }

    /// Every kept version of a document: (version, content JSON), oldest first.
    pub fn versions(&self, id: i64) -> Result<Vec<(i64, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT version, content_json FROM document_versions WHERE document_id = ?1 ORDER BY version")?;
        Ok(stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<super::sql::Result<_>>()?)
    }

    /// The differences between two versions of a document.
    pub fn diff_versions(&self, id: i64, from: i64, to: i64) -> Result<Vec<crate::exchange::diff::Change>> {
        let versions = self.versions(id)?;
        let get = |v: i64| {
            versions
                .iter()
                .find(|(n, _)| *n == v)
                .and_then(|(_, json)| serde_json::from_str::<serde_json::Value>(json).ok())
                .ok_or_else(|| StoreError::NotFound(format!("phiên bản {v} của văn bản #{id}")))
        };
        Ok(crate::exchange::diff::diff(&get(from)?, &get(to)?))
    }

    /// Stores a parsed document and returns its id, in one transaction.
    pub fn import_document(&mut self, document: &Document, options: &ImportOptions) -> Result<i64> {
        let source = options.source_sha256.clone().unwrap_or_else(|| sha256_hex(&document_to_json(document)));
        let ruleset = self.effective_ruleset(document.family)?;
        let term = self.setting("party_term")?.unwrap_or_else(|| "2025-2030".to_owned());
        self.write(|tx| {
            let (id, inserted) = insert_document(tx, document, options)?;
            if inserted {
                let state: String = tx.query_row("SELECT state FROM documents WHERE id = ?1", [id], |r| r.get(0))?;
                let state = OutgoingState::from_code(&state).unwrap_or(OutgoingState::Draft);
                super::workflow::register_imported(tx, id, document, state, &ruleset, &term)?;
                record_creation(tx, id, "import", options.imported_by, &source)?;
            }
            Ok(id)
        })
    }

    /// Imports a `vanthu.document/1` text as `actor`, who must be a văn thư or an
    /// administrator; the `import` event names them and the text's SHA-256.
    pub fn import_json_as(&mut self, actor: &super::Actor, text: &str, options: &ImportOptions) -> Result<i64> {
        use crate::model::Role;
        if !actor.has(Role::VanThu) && !actor.has(Role::Admin) {
            let refusal = StoreError::Denied(format!(
                "{} không có vai trò Văn thư hay Quản trị để nhập văn bản",
                actor.user().username
            ));
            return Err(self.audit_refusal(actor, "system", None, "import", refusal));
        }
        // A văn thư imports only the documents of the agencies their office serves.
        if !actor.has(Role::Admin) {
            let document = parse_document(text).map_err(|e| StoreError::Invalid(e.to_string()))?;
            let issuer = find_agency(&self.conn, &document)?;
            let who = super::authority::actor_facts(&self.conn, actor)?;
            if !who.serves_agency(issuer) {
                let refusal = StoreError::Denied(format!(
                    "{} chỉ nhập văn bản của cơ quan mình phục vụ, không nhập văn bản của \"{}\"",
                    actor.user().username,
                    document.issuer.name
                ));
                return Err(self.audit_refusal(actor, "system", None, "import", refusal));
            }
        }
        let options = ImportOptions { imported_by: Some(actor.user().id), ..options.clone() };
        self.import_json(text, &options)
    }

    /// The database's agency that issues `document` (matched by family and printed
    /// names), if any.
    pub fn agency_of_document(&self, document: &Document) -> Result<Option<i64>> {
        find_agency(&self.conn, document)
    }

    /// Parses a `vanthu.document/1` text and stores it.
    pub fn import_json(&mut self, text: &str, options: &ImportOptions) -> Result<i64> {
        let document = parse_document(text).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let options = ImportOptions { source_sha256: Some(sha256_hex(text)), ..options.clone() };
        self.import_document(&document, &options)
    }

    /// One document by id.
    pub fn document(&self, id: i64) -> Result<Option<StoredDocument>> {
        let row: Option<(String, Option<i64>, String, String)> = self
            .conn
            .query_row("SELECT state, agency_id, content_json, content_hash FROM documents WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((state, agency_id, json, content_hash)) = row else { return Ok(None) };
        let document = parse_document(&json)
            .map_err(|e| StoreError::Invalid(format!("nội dung lưu của văn bản #{id} bị hỏng: {e}")))?;
        let state = OutgoingState::from_code(&state)
            .ok_or_else(|| StoreError::Invalid(format!("trạng thái `{state}` của văn bản #{id}")))?;
        Ok(Some(StoredDocument { id, state, agency_id, document, json, content_hash }))
    }

    /// Every document, newest first (undated drafts first).
    pub fn list_documents(&self) -> Result<Vec<DocumentSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, family, kind, number, notation, date, subject, issuer_name, state FROM documents
             ORDER BY date IS NOT NULL, date DESC, id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(DocumentSummary {
                id: r.get(0)?,
                family: r.get(1)?,
                kind: r.get(2)?,
                number: r.get(3)?,
                notation: r.get(4)?,
                date: r.get(5)?,
                subject: r.get(6)?,
                issuer: r.get(7)?,
                state: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<super::sql::Result<_>>()?)
    }

    /// Number of documents per workflow state.
    pub fn count_documents_by_state(&self) -> Result<Vec<(OutgoingState, i64)>> {
        let mut stmt = self.conn.prepare("SELECT state, count(*) FROM documents GROUP BY state")?;
        let rows: Vec<(String, i64)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<super::sql::Result<_>>()?;
        Ok(OutgoingState::ALL
            .iter()
            .map(|s| (*s, rows.iter().find(|(code, _)| code == s.code()).map_or(0, |(_, n)| *n)))
            .collect())
    }

    /// Number of documents per family.
    pub fn count_documents(&self, family: Option<Family>) -> Result<i64> {
        Ok(match family {
            Some(f) => {
                self.conn.query_row("SELECT count(*) FROM documents WHERE family = ?1", [f.code()], |r| r.get(0))?
            }
            None => self.conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::json::tests::SAMPLE;

    #[test]
    fn import_then_read_is_lossless() {
        let mut store = Store::open_in_memory().unwrap();
        let id = store.import_json(SAMPLE, &ImportOptions::default()).unwrap();
        let stored = store.document(id).unwrap().unwrap();
        assert_eq!(stored.state, OutgoingState::Issued);
        assert_eq!(stored.json, document_to_json(&parse_document(SAMPLE).unwrap()));
        assert_eq!(stored.content_hash, sha256_hex(&stored.json));
        let mut other = Store::open_in_memory().unwrap();
        let id2 = other.import_json(&stored.json, &ImportOptions::default()).unwrap();
        assert_eq!(other.document(id2).unwrap().unwrap().json, stored.json);
        let list = store.list_documents().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].notation.as_deref(), Some("QĐ-VP"));
    }

    #[test]
    fn duplicate_number_is_refused_and_nothing_changes() {
        let mut store = Store::open_in_memory().unwrap();
        store.import_json(SAMPLE, &ImportOptions::default()).unwrap();
        let err = store.import_json(SAMPLE, &ImportOptions::default()).unwrap_err();
        assert!(err.to_string().contains("05/QĐ-VP"), "{err}");
        assert_eq!(store.count_documents(None).unwrap(), 1);
    }

    #[test]
    fn source_key_makes_import_idempotent() {
        let mut store = Store::open_in_memory().unwrap();
        let options = ImportOptions { source_key: Some("demo:1".into()), ..Default::default() };
        let a = store.import_json(SAMPLE, &options).unwrap();
        let b = store.import_json(SAMPLE, &options).unwrap();
        assert_eq!(a, b);
        assert_eq!(store.count_documents(None).unwrap(), 1);
    }

    #[test]
    fn edits_keep_versions_that_can_be_compared() {
        let mut store = Store::open_in_memory().unwrap();
        crate::demo::load_demo(&mut store, chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()).unwrap();
        let drafter = store.login("buivantoan", crate::demo::DEMO_PASSWORD).unwrap();
        let now = chrono::Local::now();
        let doc = parse_document(SAMPLE).unwrap();
        let id = store.create_draft(&drafter, &doc, now).unwrap();
        let mut edited = doc.clone();
        edited.subject = Some("Về việc ban hành Quy chế làm việc sửa đổi".into());
        assert_eq!(store.edit_draft(&drafter, id, &edited, now).unwrap(), 2);
        let changes = store.diff_versions(id, 1, 2).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "/subject");
        let other = store.login("duongthikimoanh", crate::demo::DEMO_PASSWORD).unwrap();
        assert!(store.edit_draft(&other, id, &doc, now).is_err(), "only the drafter edits");
        assert_eq!(store.versions(id).unwrap().len(), 2);
        assert_eq!(store.verify().unwrap(), None);
    }

    #[test]
    fn drafts_are_imported_as_drafts() {
        let mut store = Store::open_in_memory().unwrap();
        let draft = SAMPLE.replacen("\"05\"", "null", 1).replacen("\"2026-03-05\"", "null", 1);
        let id = store.import_json(&draft, &ImportOptions::default()).unwrap();
        assert_eq!(store.document(id).unwrap().unwrap().state, OutgoingState::Draft);
    }
}
