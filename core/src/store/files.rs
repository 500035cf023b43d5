//! Files received with incoming letters (issue #16, item 3), stored content-addressed
//! in the office database (migration 0013): `blobs` keyed by SHA-256, links from a
//! letter with name, media type and kind, and the checks made of each file (on
//! receipt, again when the office trusts a new root, carried by archive packages).
//! Attaching is the văn thư's (the role that receives and registers incoming mail,
//! for the agencies it serves); each attach is an audit event naming the SHA-256.

use super::sql::{OptionalExtension, Transaction, params};
use chrono::{DateTime, Local};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::workflow::{NewEvent, append_event};
use super::{Actor, Result, Store, StoreError};
use crate::model::{Role, User};
use crate::received::{FileCheck, FileKind, MAX_FILE_BYTES, SignatureStatus, check_file, kept_name, safe_name};
use crate::workflow::WorkflowError;

/// A file to attach: its name as given, its bytes, and its kind (guessed from the
/// bytes when `None`: see [`crate::received::default_kind`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// The name as given (any text: it is kept, and sanitised to save or show).
    pub name: String,
    /// The content.
    pub bytes: Vec<u8>,
    /// Letter, scan or attachment.
    pub kind: Option<FileKind>,
}

/// A file of an incoming letter, with its latest check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedFile {
    /// Its number on the letter: 1, 2, …
    pub position: i64,
    /// Letter, scan or attachment.
    pub kind: FileKind,
    /// The name as given (NFC, at most 255 characters; may hold anything).
    pub name: String,
    /// The name to save and show ([`crate::received::safe_name`]).
    pub safe_name: String,
    /// The media type, read from the bytes.
    pub media_type: String,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// When it was attached (RFC 3339).
    pub attached_at: String,
    /// Who attached it (full name; empty when it came from an archive package).
    pub attached_by: String,
    /// The latest check.
    pub check: Option<FileCheck>,
}

impl ReceivedFile {
    /// One line for a list: `1. cong-van.pdf (Văn bản điện tử, 120 KB) — chữ ký số hợp lệ: …`.
    pub fn line(&self) -> String {
        let size = if self.size >= 1024 * 1024 {
            format!("{:.1} MB", self.size as f64 / (1024.0 * 1024.0))
        } else {
            format!("{} KB", (self.size + 1023) / 1024)
        };
        let status = self.check.as_ref().map(|c| c.summary.as_str()).filter(|s| !s.is_empty());
        let warned = self.check.as_ref().is_some_and(|c| !c.warnings.is_empty());
        let mut line = format!("{}. {} ({}, {size})", self.position, self.safe_name, self.kind.label());
        if let Some(status) = status {
            line.push_str(&format!(" — {status}"));
        }
        if warned {
            line.push_str(" — có cảnh báo bản quét");
        }
        line
    }
}

/// A file of an archive package: its record and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedFile {
    /// The record as exported (position, kind, name, media type, SHA-256, check).
    pub file: ReceivedFile,
    /// The content.
    pub bytes: Vec<u8>,
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Refuses a file over the limit before anything is written.
pub(crate) fn check_sizes(files: &[NewFile]) -> Result<()> {
    for f in files {
        if f.bytes.len() > MAX_FILE_BYTES {
            return Err(StoreError::Invalid(format!(
                "tệp «{}» dung lượng {} byte, vượt giới hạn {} MB mỗi tệp; không lưu tệp nào (file larger than 50 MB)",
                safe_name(&f.name),
                f.bytes.len(),
                MAX_FILE_BYTES / (1024 * 1024)
            )));
        }
    }
    Ok(())
}

fn check_json(check: &FileCheck) -> String {
    serde_json::json!({ "report": check.report, "warnings": check.warnings }).to_string()
}

fn insert_check(tx: &Transaction<'_>, file_id: i64, check: &FileCheck, reason: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO incoming_file_checks (file_id, checked_at, status, summary, report, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![file_id, check.checked_at, check.status.code(), check.summary, check_json(check), reason],
    )?;
    Ok(())
}

/// Stores the blob (once per content) and links it to the letter; returns the
/// link's id and position.
fn link(
    tx: &Transaction<'_>,
    incoming_id: i64,
    sha: &str,
    bytes: &[u8],
    meta: (FileKind, &str, &str, &str),
    user_id: Option<i64>,
) -> Result<(i64, i64)> {
    let (kind, name, media_type, at) = meta;
    tx.execute(
        "INSERT INTO blobs (sha256, size, bytes, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (sha256) DO NOTHING",
        params![sha, bytes.len() as i64, bytes, super::now_text()],
    )?;
    let position: i64 = tx.query_row(
        "SELECT coalesce(max(position), 0) + 1 FROM incoming_files WHERE incoming_id = ?1",
        [incoming_id],
        |r| r.get(0),
    )?;
    let id: i64 = tx.query_row(
        "INSERT INTO incoming_files (incoming_id, position, sha256, kind, name, media_type, attached_at, attached_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        params![incoming_id, position, sha, kind.code(), name, media_type, at, user_id],
        |r| r.get(0),
    )?;
    Ok((id, position))
}

fn attach_event(
    tx: &Transaction<'_>,
    user: Option<&User>,
    role: &str,
    at: &str,
    incoming_id: i64,
    sha: &str,
    comment: &str,
) -> Result<()> {
    append_event(
        tx,
        &NewEvent {
            at: at.to_owned(),
            user_id: user.map(|u| u.id),
            username: user.map_or("system", |u| u.username.as_str()),
            role,
            subject: "incoming",
            subject_id: Some(incoming_id),
            action: "attach-file",
            state_before: None,
            state_after: None,
            content_hash: Some(sha),
            comment: Some(comment),
            effects: None,
        },
    )?;
    Ok(())
}

/// Attaches `files` to letter `incoming_id` inside a write transaction: each blob
/// stored once, each link checked (signatures against the trusted roots, a scan's
/// quality) and audited with its SHA-256. Returns the positions.
pub(crate) fn attach_in_tx(
    tx: &Transaction<'_>,
    incoming_id: i64,
    files: &[NewFile],
    user: &User,
    now: DateTime<Local>,
) -> Result<Vec<i64>> {
    check_sizes(files)?;
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let on_paper: bool =
        tx.query_row("SELECT coalesce(received_via, '') = 'paper' FROM incoming WHERE id = ?1", [incoming_id], |r| {
            r.get(0)
        })?;
    let trusted = super::pki::trusted(tx)?;
    let mut positions = Vec::new();
    for file in files {
        let name = kept_name(&file.name);
        let media_type = crate::received::media_type(&file.bytes, &name);
        let has_letter: bool = tx.query_row(
            "SELECT count(*) > 0 FROM incoming_files WHERE incoming_id = ?1 AND kind = 'letter'",
            [incoming_id],
            |r| r.get(0),
        )?;
        let kind = file.kind.unwrap_or_else(|| crate::received::default_kind(media_type, on_paper, has_letter));
        let sha = sha256_hex(&file.bytes);
        let check = check_file(&file.bytes, media_type, kind, &trusted, &at);
        let (id, position) = link(tx, incoming_id, &sha, &file.bytes, (kind, &name, media_type, &at), Some(user.id))?;
        insert_check(tx, id, &check, "receipt")?;
        let status = if check.summary.is_empty() { String::new() } else { format!("; {}", check.summary) };
        let comment = format!(
            "tệp {position} «{}» ({}, {} byte) SHA-256 {sha}{status}",
            safe_name(&name),
            kind.label(),
            file.bytes.len()
        );
        attach_event(tx, Some(user), Role::VanThu.code(), &at, incoming_id, &sha, &comment)?;
        positions.push(position);
    }
    Ok(positions)
}

/// The files of a letter with their latest checks, by position.
pub(crate) fn files_of(conn: &super::sql::Connection, incoming_id: i64) -> Result<Vec<ReceivedFile>> {
    let mut stmt = conn.prepare(
        "SELECT f.id, f.position, f.kind, f.name, f.media_type, f.sha256, b.size, f.attached_at,
                coalesce(u.full_name, '')
         FROM incoming_files f JOIN blobs b ON b.sha256 = f.sha256 LEFT JOIN users u ON u.id = f.attached_by
         WHERE f.incoming_id = ?1 ORDER BY f.position",
    )?;
    type Row = (i64, i64, String, String, String, String, i64, String, String);
    let rows: Vec<Row> = stmt
        .query_map([incoming_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))
        })?
        .collect::<super::sql::Result<_>>()?;
    let mut files = Vec::new();
    for (id, position, kind, name, media_type, sha256, size, attached_at, attached_by) in rows {
        files.push(ReceivedFile {
            position,
            kind: FileKind::from_code(&kind).unwrap_or(FileKind::Attachment),
            safe_name: safe_name(&name),
            name,
            media_type,
            sha256,
            size,
            attached_at,
            attached_by,
            check: latest_check(conn, id)?,
        });
    }
    Ok(files)
}

fn latest_check(conn: &super::sql::Connection, file_id: i64) -> Result<Option<FileCheck>> {
    let row: Option<(String, String, String, String)> = conn
        .query_row(
            "SELECT checked_at, status, summary, report FROM incoming_file_checks WHERE file_id = ?1
             ORDER BY id DESC LIMIT 1",
            [file_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    Ok(row.map(|(checked_at, status, summary, report)| {
        let value: serde_json::Value = serde_json::from_str(&report).unwrap_or_default();
        let lines = |key: &str| -> Vec<String> {
            value[key]
                .as_array()
                .map(|a| a.iter().filter_map(|l| l.as_str().map(str::to_owned)).collect())
                .unwrap_or_default()
        };
        FileCheck {
            checked_at,
            status: SignatureStatus::from_code(&status).unwrap_or(SignatureStatus::Invalid),
            summary,
            report: lines("report"),
            warnings: lines("warnings"),
        }
    }))
}

/// After the office trusts new roots: checks again each received PDF whose latest
/// check was "not trusted", appending the new result (and an audit event) when it
/// changed. Returns how many changed.
pub(crate) fn recheck_untrusted(tx: &Transaction<'_>, user: &User) -> Result<usize> {
    let mut stmt = tx.prepare(
        "SELECT f.id, f.incoming_id, f.position, f.sha256, f.kind, f.media_type, c.summary
         FROM incoming_files f JOIN incoming_file_checks c ON c.file_id = f.id
         WHERE c.id = (SELECT max(id) FROM incoming_file_checks WHERE file_id = f.id) AND c.status = 'untrusted'
         ORDER BY f.id",
    )?;
    type Row = (i64, i64, i64, String, String, String, String);
    let rows: Vec<Row> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?
        .collect::<super::sql::Result<_>>()?;
    drop(stmt);
    if rows.is_empty() {
        return Ok(0);
    }
    let trusted = super::pki::trusted(tx)?;
    let at = Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let mut changed = 0;
    for (id, incoming_id, position, sha, kind, media_type, before) in rows {
        let bytes: Vec<u8> = tx.query_row("SELECT bytes FROM blobs WHERE sha256 = ?1", [&sha], |r| r.get(0))?;
        let kind = FileKind::from_code(&kind).unwrap_or(FileKind::Attachment);
        let check = check_file(&bytes, &media_type, kind, &trusted, &at);
        if check.summary == before {
            continue;
        }
        insert_check(tx, id, &check, "trust")?;
        let comment =
            format!("kiểm tra lại tệp {position} sau khi tin cậy chứng thư mới: {} (SHA-256 {sha})", check.summary);
        append_event(
            tx,
            &NewEvent {
                at: at.clone(),
                user_id: Some(user.id),
                username: &user.username,
                role: Role::Admin.code(),
                subject: "incoming",
                subject_id: Some(incoming_id),
                action: "recheck-file",
                state_before: None,
                state_after: None,
                content_hash: Some(&sha),
                comment: Some(&comment),
                effects: None,
            },
        )?;
        changed += 1;
    }
    Ok(changed)
}

/// Integrity, whatever the trusted roots: intact (valid or untrusted), broken,
/// unsigned, not a PDF.
fn integrity(status: SignatureStatus) -> u8 {
    match status {
        SignatureStatus::Valid | SignatureStatus::Untrusted => 0,
        SignatureStatus::Invalid => 1,
        SignatureStatus::Unsigned => 2,
        SignatureStatus::NotPdf => 3,
    }
}

/// Restores the files of an archived letter (archive import): the bytes must hash
/// to the recorded SHA-256, and the check the package carries (made by the
/// exporting office, kept as the file's check) must agree with the bytes on what
/// does not depend on trusted roots: intact, broken, unsigned, not a PDF.
pub(crate) fn import_in_tx(
    tx: &Transaction<'_>,
    incoming_id: i64,
    files: &[ArchivedFile],
    user: &User,
    manifest_sha256: &str,
) -> Result<()> {
    let trusted = super::pki::trusted(tx)?;
    let at = Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    for f in files {
        let sha = sha256_hex(&f.bytes);
        if sha != f.file.sha256 || f.bytes.len() > MAX_FILE_BYTES {
            return Err(StoreError::Invalid(format!(
                "tệp «{}» trong gói không khớp SHA-256 ghi kèm hoặc vượt 50 MB (archived file does not match)",
                safe_name(&f.file.name)
            )));
        }
        let name = kept_name(&f.file.name);
        let media_type = crate::received::media_type(&f.bytes, &name);
        let ours = check_file(&f.bytes, media_type, f.file.kind, &trusted, &at);
        let check = match &f.file.check {
            Some(carried) if integrity(carried.status) != integrity(ours.status) => {
                return Err(StoreError::Invalid(format!(
                    "kết quả kiểm tra tệp «{}» ghi trong gói («{}») không khớp với chính tệp («{}»); không nhập gói (the package's check does not match the file)",
                    safe_name(&f.file.name),
                    carried.status.label(),
                    ours.status.label()
                )));
            }
            Some(carried) => carried,
            None => &ours,
        };
        let meta = (f.file.kind, name.as_str(), media_type, f.file.attached_at.as_str());
        let (id, position) = link(tx, incoming_id, &sha, &f.bytes, meta, None)?;
        insert_check(tx, id, check, "archive-import")?;
        // The carried result stays in the file's history; what this office's trusted
        // roots say now is the latest (a root the other office trusted may not be
        // trusted here).
        if ours.status != check.status {
            insert_check(tx, id, &ours, "trust")?;
        }
        let comment = format!(
            "tệp {position} «{}» nhập từ gói lưu trữ (manifest SHA-256 {manifest_sha256}) SHA-256 {sha}",
            safe_name(&name)
        );
        attach_event(tx, Some(user), Role::Archivist.code(), &at, incoming_id, &sha, &comment)?;
    }
    Ok(())
}

impl Store {
    /// Refuses (and audits) anyone but a văn thư serving the letter's agency, and a
    /// letter filed in a closed dossier.
    fn may_attach(&mut self, actor: &Actor, id: i64) -> Result<()> {
        match self.attach_refusal(actor, id)? {
            Some(refusal) => Err(self.audit_refusal(actor, "incoming", Some(id), "đính kèm tệp", refusal)),
            None => Ok(()),
        }
    }

    /// Whether `actor` may add files to the letter now (the window shows the buttons
    /// only then; the attaching call itself checks again and audits a refusal).
    pub fn may_attach_to_incoming(&self, actor: &Actor, id: i64) -> bool {
        matches!(self.attach_refusal(actor, id), Ok(None))
    }

    /// Why `actor` may not add files to the letter, if so.
    fn attach_refusal(&self, actor: &Actor, id: i64) -> Result<Option<StoreError>> {
        let row: Option<(i64, Option<i64>)> = self
            .conn
            .query_row(
                "SELECT i.agency_id, (SELECT d.closed FROM dossiers d WHERE d.id = i.dossier_id) FROM incoming i
                 WHERE i.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (agency, closed) = row.ok_or_else(|| StoreError::NotFound(format!("văn bản đến #{id}")))?;
        let who = super::authority::actor_facts(&self.conn, actor)?;
        let refusal = if actor.require(Role::VanThu, "đính kèm tệp vào văn bản đến").is_err()
            || !who.serves_agency(Some(agency))
        {
            Some(StoreError::Workflow(WorkflowError::Authority {
                user: actor.user().username.clone(),
                action: "Đính kèm tệp",
                reason: "chỉ văn thư phục vụ cơ quan nhận mới đính kèm tệp vào văn bản đến".into(),
            }))
        } else if closed == Some(1) {
            Some(StoreError::Denied(
                "văn bản đến này đã ở trong hồ sơ đã đóng: không đính kèm thêm tệp (letter in a closed dossier)".into(),
            ))
        } else {
            None
        };
        Ok(refusal)
    }

    /// The văn thư attaches files to letter `id` (the received PDF, a scan, an
    /// attachment): all of them or none, each audited with its SHA-256. A file over
    /// 50 MB is refused before anything is written. Returns the files' positions.
    pub fn attach_incoming_files(
        &mut self,
        actor: &Actor,
        id: i64,
        files: &[NewFile],
        now: DateTime<Local>,
    ) -> Result<Vec<i64>> {
        check_sizes(files)?;
        if files.is_empty() {
            return Err(StoreError::Invalid("chưa chọn tệp nào (no file)".into()));
        }
        self.may_attach(actor, id)?;
        let user = actor.user().clone();
        self.write(|tx| attach_in_tx(tx, id, files, &user, now))
    }

    /// The files of letter `id` as `actor` may see them (the card's rule).
    pub fn incoming_files(&self, actor: &Actor, id: i64) -> Result<Vec<ReceivedFile>> {
        Ok(self.incoming_card(actor, id)?.files)
    }

    /// File `position` of letter `id` and its bytes, for `actor` who may see the
    /// letter.
    pub fn incoming_file(&self, actor: &Actor, id: i64, position: i64) -> Result<(ReceivedFile, Vec<u8>)> {
        let file = self
            .incoming_files(actor, id)?
            .into_iter()
            .find(|f| f.position == position)
            .ok_or_else(|| StoreError::NotFound(format!("tệp {position} của văn bản đến #{id}")))?;
        let bytes = self.conn.query_row("SELECT bytes FROM blobs WHERE sha256 = ?1", [&file.sha256], |r| r.get(0))?;
        Ok((file, bytes))
    }

    /// The files of a letter with their bytes (archive export).
    pub fn archived_files(&self, id: i64) -> Result<Vec<ArchivedFile>> {
        let mut out = Vec::new();
        for file in files_of(&self.conn, id)? {
            let bytes =
                self.conn.query_row("SELECT bytes FROM blobs WHERE sha256 = ?1", [&file.sha256], |r| r.get(0))?;
            out.push(ArchivedFile { file, bytes });
        }
        Ok(out)
    }

    /// The register's line on a letter's signatures: the summaries of its PDF
    /// letter files (e.g. `chữ ký số hợp lệ: Ủy ban nhân dân tỉnh X, 03/05/2026 10:14`).
    pub(crate) fn signature_note(&self, id: i64) -> Result<Option<String>> {
        let lines: Vec<String> = files_of(&self.conn, id)?
            .into_iter()
            .filter(|f| f.media_type == "application/pdf" && f.kind != FileKind::Attachment)
            .filter_map(|f| f.check.map(|c| c.summary))
            .filter(|s| !s.is_empty())
            .collect();
        Ok(if lines.is_empty() { None } else { Some(lines.join("; ")) })
    }

    /// `verify`'s check of the stored files: each blob's bytes hash to its key and
    /// have its size, and each link has the audit event naming its SHA-256.
    pub(crate) fn verify_files(&self) -> Result<Option<String>> {
        let mut stmt = self.conn.prepare("SELECT sha256 FROM blobs ORDER BY sha256")?;
        let keys: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<super::sql::Result<_>>()?;
        for key in keys {
            let (size, bytes): (i64, Vec<u8>) =
                self.conn.query_row("SELECT size, bytes FROM blobs WHERE sha256 = ?1", [&key], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            if sha256_hex(&bytes) != key || size != bytes.len() as i64 {
                return Ok(Some(format!(
                    "tệp lưu trữ SHA-256 {key}: nội dung không khớp mã băm (stored file altered)"
                )));
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT f.incoming_id, f.position, f.sha256,
                    (SELECT count(*) FROM audit_events e WHERE e.subject = 'incoming' AND e.subject_id = f.incoming_id
                       AND e.action = 'attach-file' AND e.content_hash = f.sha256)
             FROM incoming_files f ORDER BY f.id",
        )?;
        let links: Vec<(i64, i64, String, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<super::sql::Result<_>>()?;
        for (incoming, position, sha, logged) in links {
            if logged == 0 {
                return Ok(Some(format!(
                    "tệp {position} của văn bản đến #{incoming}: không có sự kiện đính kèm ghi SHA-256 {sha}"
                )));
            }
        }
        Ok(None)
    }
}
