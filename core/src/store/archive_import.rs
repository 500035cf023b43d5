//! Restoring a dossier from an archive package: the agency (found or created), the
//! dossier closed as it was, its documents byte-identical, its incoming records, and
//! the audit events it carried, in one transaction.

use super::sql::{OptionalExtension, params};
use chrono::{DateTime, Local};

use super::org::{NewAgency, upsert_agency};
use super::workflow::{NewEvent, append_event};
use super::{Actor, ImportOptions, NewIncoming, Result, Store, StoreError};
use crate::model::{Dossier, Family, Incoming, IndexEntry, OutgoingState, Role};

/// The issuing agency of an archived dossier, as written in the package.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ArchivedAgency {
    /// `state` or `party`.
    pub family: String,
    /// Parent body as printed.
    pub parent_name: Option<String>,
    /// Name.
    pub name: String,
    /// Short name.
    pub short_name: String,
    /// Abbreviation.
    pub abbreviation: String,
    /// Place name.
    pub place: String,
}

/// Everything an archive package restores.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchivedDossier {
    /// The agency.
    pub agency: ArchivedAgency,
    /// The dossier as it was closed (ids are those of the exporting database).
    pub dossier: Dossier,
    /// Its document index, if it had one.
    pub document_index: Option<Vec<IndexEntry>>,
    /// The outgoing documents: canonical `vanthu.document/1` text and state.
    pub documents: Vec<(String, OutgoingState)>,
    /// The incoming records.
    pub incoming: Vec<Incoming>,
    /// The files of each incoming record (same order; empty when none).
    pub incoming_files: Vec<Vec<super::files::ArchivedFile>>,
    /// The digitally signed PDF of each outgoing document (same order as
    /// `documents`; `None` or missing when it had none).
    pub signed_pdfs: Vec<Option<Vec<u8>>>,
    /// The files delivered with each outgoing document (same order as `documents`;
    /// empty or missing when none), named without their `NN-` prefix.
    pub delivered_files: Vec<Vec<super::DeliveredFile>>,
    /// The audit events carried by the package (JSON lines).
    pub audit_jsonl: String,
    /// SHA-256 of the package manifest.
    pub manifest_sha256: String,
}

impl Store {
    /// The agency of a dossier as written into archive packages.
    pub fn archived_agency(&self, agency_id: i64) -> Result<ArchivedAgency> {
        let a = self.agency(agency_id)?.ok_or_else(|| StoreError::NotFound(format!("cơ quan #{agency_id}")))?;
        Ok(ArchivedAgency {
            family: a.family.code().to_owned(),
            parent_name: a.parent_name,
            name: a.name,
            short_name: a.short_name,
            abbreviation: a.abbreviation,
            place: a.place,
        })
    }

    /// One incoming record.
    pub fn incoming_record(&self, id: i64) -> Result<Option<Incoming>> {
        Ok(self.list_incoming()?.into_iter().find(|i| i.id == id))
    }

    /// Restores an archived dossier (lưu trữ only): closed and read-only, with
    /// identical documents. Refused when the dossier's symbol is already used in that
    /// year by the agency. Returns the new dossier id.
    pub fn import_archived_dossier(
        &mut self,
        actor: &Actor,
        archived: &ArchivedDossier,
        now: DateTime<Local>,
    ) -> Result<i64> {
        actor.require(Role::Archivist, "nhập gói lưu trữ")?;
        let a = &archived.agency;
        let family = Family::from_code(&a.family)
            .ok_or_else(|| StoreError::Invalid(format!("hệ văn bản `{}` của cơ quan trong gói", a.family)))?;
        let documents: Vec<crate::model::Document> = archived
            .documents
            .iter()
            .map(|(json, _)| crate::exchange::parse_document(json).map_err(|e| StoreError::Invalid(e.to_string())))
            .collect::<Result<_>>()?;
        let d = &archived.dossier;
        let user = actor.user().clone();
        self.write(|tx| {
            let agency_id = upsert_agency(
                tx,
                &NewAgency {
                    family,
                    parent_id: None,
                    parent_name: a.parent_name.clone(),
                    name: a.name.clone(),
                    short_name: a.short_name.clone(),
                    abbreviation: a.abbreviation.clone(),
                    place: a.place.clone(),
                    collective: false,
                    address: None,
                    phone: None,
                    email: None,
                },
            )?;
            let taken: Option<i64> = tx
                .query_row(
                    "SELECT id FROM dossiers WHERE agency_id = ?1 AND year = ?2 AND code = ?3",
                    params![agency_id, d.year, d.code],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(other) = taken {
                return Err(StoreError::Invalid(format!(
                    "hồ sơ {} năm {} của {} đã có trong cơ sở dữ liệu (#{other}); không nhập lại",
                    d.code, d.year, a.name
                )));
            }
            let new_id = tx.query_row(
                "INSERT INTO dossiers (agency_id, year, code, title, retention_years, start_date, heading, heading_code,
                                       subheading, retention_item, description, language, rights, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id",
                params![
                    agency_id,
                    d.year,
                    d.code,
                    d.title,
                    d.retention.to_years_code(),
                    d.start_date.map(|x| x.to_string()),
                    d.heading,
                    d.heading_code,
                    d.subheading,
                    d.retention_item,
                    d.description,
                    d.language,
                    d.rights,
                    super::now_text()
                ], |r| r.get::<_, i64>(0))?;
            let dossier_id = new_id;
            for (document, (_, state)) in documents.iter().zip(&archived.documents) {
                let options = ImportOptions { state: Some(*state), ..ImportOptions::default() };
                let (id, _) = super::documents::insert_document(tx, document, &options)?;
                super::documents::record_creation(tx, id, "archive-import", Some(user.id), &archived.manifest_sha256)?;
                tx.execute("UPDATE documents SET dossier_id = ?2 WHERE id = ?1", params![id, dossier_id])?;
            }
            let imported: Vec<i64> = {
                let mut stmt = tx.prepare("SELECT id FROM documents WHERE dossier_id = ?1 ORDER BY id")?;
                stmt.query_map([dossier_id], |r| r.get(0))?.collect::<super::sql::Result<_>>()?
            };
            for (id, signed) in imported.iter().zip(&archived.signed_pdfs) {
                if let Some(bytes) = signed {
                    import_signed_pdf(tx, *id, bytes, &user, &archived.manifest_sha256)?;
                }
            }
            for (id, files) in imported.iter().zip(&archived.delivered_files) {
                super::attachments::import_delivered(tx, *id, files, &user, &archived.manifest_sha256, now)?;
            }
            for (n, i) in archived.incoming.iter().enumerate() {
                let new = NewIncoming {
                    agency_id,
                    arrival_number: i.arrival_number,
                    arrival_date: i.arrival_date,
                    sender: i.sender.clone(),
                    number: i.number.clone(),
                    notation: i.notation.clone(),
                    date: i.date,
                    kind: i.kind.clone(),
                    subject: i.subject.clone(),
                    urgency: i.urgency,
                    state: i.state,
                    handler_id: None,
                    lead_unit_id: None,
                    deadline: i.deadline,
                    source_key: None,
                };
                let (id, _) = super::incoming::insert_incoming(tx, &new)?;
                tx.execute("UPDATE incoming SET dossier_id = ?2 WHERE id = ?1", params![id, dossier_id])?;
                if let Some(files) = archived.incoming_files.get(n) {
                    super::files::import_in_tx(tx, id, files, &user, &archived.manifest_sha256)?;
                }
            }
            let index = archived.document_index.as_ref().map(|i| serde_json::to_string(i).expect("index serialises"));
            tx.execute(
                "UPDATE dossiers SET closed = 1, end_date = ?2, closing_note = ?3, document_index = ?4, closed_at = ?5
                 WHERE id = ?1",
                params![
                    dossier_id,
                    d.end_date.map(|x| x.to_string()),
                    d.closing_note,
                    index,
                    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
                ],
            )?;
            tx.execute(
                "INSERT INTO archive_imports (dossier_id, manifest_sha256, audit_jsonl, imported_at) VALUES (?1, ?2, ?3, ?4)",
                params![dossier_id, archived.manifest_sha256, archived.audit_jsonl, super::now_text()],
            )?;
            let comment = format!("gói lưu trữ {} (manifest sha256 {})", d.code, archived.manifest_sha256);
            append_event(
                tx,
                &NewEvent {
                    at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                    user_id: Some(user.id),
                    username: &user.username,
                    role: Role::Archivist.code(),
                    subject: "dossier",
                    subject_id: Some(dossier_id),
                    action: "import",
                    state_before: None,
                    state_after: Some("closed"),
                    content_hash: None,
                    comment: Some(&comment),
                    effects: None,
                },
            )?;
            Ok(dossier_id)
        })
    }
}

/// Keeps an archived document's digitally signed PDF (the legal original): the
/// signing step is read from the file (two signatures: signed and sealed at issue),
/// and an audit event names its SHA-256 so that `verify` holds it to the chain.
fn import_signed_pdf(
    tx: &super::sql::Transaction<'_>,
    document_id: i64,
    bytes: &[u8],
    user: &crate::model::User,
    manifest_sha256: &str,
) -> Result<()> {
    use sha2::{Digest, Sha256};
    let reports = crate::pki::verify::verify_pdf(bytes, &[]);
    let Some(last) = reports.last() else {
        return Err(StoreError::Invalid(format!(
            "PDF ký số của văn bản trong gói không có chữ ký số nào (signed.pdf without a signature) — văn bản #{document_id}"
        )));
    };
    let sha = hex::encode(Sha256::digest(bytes));
    let step = if reports.len() >= 2 { "issue" } else { "sign" };
    let signed_at = last.time.map(|t| t.to_rfc3339()).unwrap_or_else(super::now_text);
    tx.execute(
        "INSERT INTO signed_pdfs (document_id, step, bytes, sha256, signer, fingerprint, signed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![document_id, step, bytes, sha, last.subject, "", signed_at],
    )?;
    let comment = format!("PDF ký số nhập từ gói lưu trữ (manifest SHA-256 {manifest_sha256}) SHA-256 {sha}");
    append_event(
        tx,
        &NewEvent {
            at: super::now_text(),
            user_id: Some(user.id),
            username: &user.username,
            role: Role::Archivist.code(),
            subject: "document",
            subject_id: Some(document_id),
            action: "archive-import",
            state_before: None,
            state_after: None,
            content_hash: None,
            comment: Some(&comment),
            effects: None,
        },
    )?;
    Ok(())
}
