//! Files of an outgoing document (issue #16, item 4): appendices in separate files and
//! supporting documents attached to the draft travel with it, kept content-addressed
//! (SHA-256) in the office database; at issue the agency signs each of them (NĐ
//! 30/2020, Phụ lục I, Phần II: a PDF gets the agency's signature top right of its
//! first page, without image, with the number and symbol and the ISO 8601 time in
//! size 10; another file gets a detached CMS signature beside it), and they are
//! delivered with the document (`export --id`, archive packages).

use super::sql::{OptionalExtension, Transaction, params};
use chrono::{DateTime, Local};
use sha2::{Digest, Sha256};

use super::{Actor, Result, Store, StoreError};
use crate::model::OutgoingState;
use crate::pki::appearance::{Appearance, Line};
use crate::pki::keys::KeySigner;
use crate::pki::pades::{SignatureRequest, sign_pdf};

/// Largest file kept (50 MB), as for received files.
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// Longest file name kept, in characters.
const MAX_NAME_CHARS: usize = 200;

/// What an attached file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    /// An appendix in a separate file (phụ lục, văn bản kèm theo).
    Appendix,
    /// A supporting document (tài liệu kèm theo).
    Supporting,
}

impl AttachmentKind {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            AttachmentKind::Appendix => "appendix",
            AttachmentKind::Supporting => "supporting",
        }
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            AttachmentKind::Appendix => "Phụ lục",
            AttachmentKind::Supporting => "Tài liệu kèm theo",
        }
    }

    /// Parses a code or a CLI word (`appendix`, `phu-luc`, `supporting`, `tai-lieu`).
    pub fn parse(text: &str) -> Option<AttachmentKind> {
        match text {
            "appendix" | "phu-luc" => Some(AttachmentKind::Appendix),
            "supporting" | "tai-lieu" => Some(AttachmentKind::Supporting),
            _ => None,
        }
    }
}

/// The agency's signature on an attached file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentSignature {
    /// `pades` (the signed PDF replaces the file) or `cms` (a `.p7s` beside it).
    pub form: String,
    /// SHA-256 of the signed PDF or of the `.p7s`.
    pub signed_sha256: String,
    /// Certificate subject.
    pub signer: String,
    /// When (RFC 3339).
    pub signed_at: String,
}

/// A file attached to an outgoing document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Row id.
    pub id: i64,
    /// The document.
    pub document_id: i64,
    /// Order, from 1.
    pub position: i64,
    /// What it is.
    pub kind: AttachmentKind,
    /// File name (NFC).
    pub name: String,
    /// Media type (`application/pdf`, …).
    pub media_type: String,
    /// SHA-256 of the file as attached.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// The agency's signature, once issued.
    pub signature: Option<AttachmentSignature>,
}

/// A file as delivered: its name and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveredFile {
    /// File name.
    pub name: String,
    /// Bytes.
    pub bytes: Vec<u8>,
}

/// Stores `bytes` once under their SHA-256 and returns it.
pub(crate) fn put_blob(tx: &Transaction<'_>, bytes: &[u8]) -> Result<String> {
    let sha = hex::encode(Sha256::digest(bytes));
    tx.execute(
        "INSERT INTO blobs (sha256, size, bytes, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (sha256) DO NOTHING",
        params![sha, bytes.len() as i64, bytes, super::now_text()],
    )?;
    Ok(sha)
}

fn blob(conn: &super::sql::Connection, sha: &str) -> Result<Vec<u8>> {
    let bytes: Vec<u8> = conn
        .query_row("SELECT bytes FROM blobs WHERE sha256 = ?1", [sha], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("tệp SHA-256 {sha}")))?;
    if hex::encode(Sha256::digest(&bytes)) != sha {
        return Err(StoreError::Invalid(format!("tệp SHA-256 {sha} đã bị thay đổi (stored file altered)")));
    }
    Ok(bytes)
}

/// A clean file name: NFC, no folder, no control character, not too long.
pub(crate) fn clean_name(name: &str) -> Result<String> {
    let name = crate::text::nfc(name.trim());
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default().trim().to_owned();
    if base.is_empty() || base == "." || base == ".." {
        return Err(StoreError::Invalid("tên tệp trống (empty file name)".into()));
    }
    if base.chars().any(char::is_control) {
        return Err(StoreError::Invalid("tên tệp có ký tự điều khiển (control character in name)".into()));
    }
    if base.chars().count() > MAX_NAME_CHARS {
        return Err(StoreError::Invalid(format!("tên tệp dài quá {MAX_NAME_CHARS} ký tự (name too long)")));
    }
    Ok(base)
}

/// The media type of a file, from its first bytes, then its extension.
pub fn media_type(name: &str, bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"%PDF-") {
        return "application/pdf";
    }
    if bytes.starts_with(b"\x89PNG") {
        return "image/png";
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return "image/jpeg";
    }
    let lower = name.to_lowercase();
    let ext = lower.rsplit('.').next().unwrap_or_default();
    match ext {
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "doc" => "application/msword",
        "xls" => "application/vnd.ms-excel",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

fn attachment_row(r: &super::sql::Row) -> super::sql::Result<Attachment> {
    let kind: String = r.get(3)?;
    let form: Option<String> = r.get(9)?;
    Ok(Attachment {
        id: r.get(0)?,
        document_id: r.get(1)?,
        position: r.get(2)?,
        kind: AttachmentKind::parse(&kind).unwrap_or(AttachmentKind::Supporting),
        name: r.get(4)?,
        media_type: r.get(5)?,
        sha256: r.get(6)?,
        size: r.get(7)?,
        signature: match form {
            Some(form) => {
                Some(AttachmentSignature { form, signed_sha256: r.get(10)?, signer: r.get(11)?, signed_at: r.get(12)? })
            }
            None => None,
        },
    })
}

const ATTACHMENT_SELECT: &str =
    "SELECT a.id, a.document_id, a.position, a.kind, a.name, a.media_type, a.sha256, b.size,
            a.attached_at, s.form, s.signed_sha256, s.signer, s.signed_at
       FROM draft_attachments a JOIN blobs b ON b.sha256 = a.sha256
       LEFT JOIN attachment_signatures s ON s.attachment_id = a.id";

fn attachments_of(conn: &super::sql::Connection, document_id: i64) -> Result<Vec<Attachment>> {
    let mut stmt = conn.prepare(&format!("{ATTACHMENT_SELECT} WHERE a.document_id = ?1 ORDER BY a.position"))?;
    let rows = stmt.query_map([document_id], attachment_row)?.collect::<super::sql::Result<_>>()?;
    Ok(rows)
}

/// Checks that `actor` may change the files of draft `document_id` now: the
/// drafter's rights of [`Store::edit_draft`], and only before the content is
/// approved (what the unit head approves and the signer signs includes the files).
fn require_attachable(
    tx: &Transaction<'_>,
    actor: &Actor,
    document_id: i64,
    today: chrono::NaiveDate,
    in_person: &dyn Fn(crate::model::Family) -> Vec<String>,
) -> Result<()> {
    actor.require(crate::model::Role::Drafter, "đính kèm tệp vào dự thảo")?;
    {
        let facts = super::authority::document_facts(tx, document_id, today, in_person)?;
        if !matches!(facts.state, OutgoingState::Draft | OutgoingState::Returned | OutgoingState::ContentReview) {
            return Err(StoreError::Invalid(format!(
                "văn bản đang ở bước «{}»: chỉ thêm hoặc bỏ tệp đính kèm khi còn là dự thảo chưa duyệt nội dung (attachments are fixed once the content is approved)",
                facts.state.label()
            )));
        }
        let who = super::authority::actor_facts(tx, actor)?;
        crate::workflow::authority::may_draft(&who, &facts).map_err(|reason| {
            StoreError::Workflow(crate::workflow::WorkflowError::Authority {
                user: actor.user().username.clone(),
                action: "Đính kèm tệp",
                reason,
            })
        })?;
    }
    Ok(())
}

impl Store {
    /// Attaches a file to a draft (audited); returns it.
    pub fn attach_to_draft(
        &mut self,
        actor: &Actor,
        document_id: i64,
        name: &str,
        bytes: &[u8],
        kind: AttachmentKind,
        now: DateTime<Local>,
    ) -> Result<Attachment> {
        let name = clean_name(name)?;
        if bytes.is_empty() {
            return Err(StoreError::Invalid(format!("tệp {name} rỗng (empty file)")));
        }
        if bytes.len() > MAX_FILE_BYTES {
            return Err(StoreError::Invalid(format!(
                "tệp {name} lớn hơn {} MB (file too large)",
                MAX_FILE_BYTES / 1024 / 1024
            )));
        }
        let media = media_type(&name, bytes);
        actor.require(crate::model::Role::Drafter, "đính kèm tệp vào dự thảo")?;
        self.guard_unseen_document(actor, document_id, "attach", &format!("văn bản #{document_id}"))?;
        let user = actor.user().clone();
        let in_person = self.kinds_signed_in_person()?;
        let id = self.write(|tx| {
            require_attachable(tx, actor, document_id, now.date_naive(), &in_person)?;
            let sha = put_blob(tx, bytes)?;
            let position: i64 = tx.query_row(
                "SELECT coalesce(max(position), 0) + 1 FROM draft_attachments WHERE document_id = ?1",
                [document_id],
                |r| r.get(0),
            )?;
            let id: i64 = tx.query_row(
                "INSERT INTO draft_attachments (document_id, position, sha256, kind, name, media_type, attached_at, attached_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                params![document_id, position, sha, kind.code(), name, media, super::now_text(), user.id],
                |r| r.get(0),
            )?;
            let comment = format!("đính kèm {} «{name}» (SHA-256 {sha})", kind.label().to_lowercase());
            document_event(tx, document_id, &user, "attach", &comment, now)?;
            Ok(id)
        })?;
        attachments_of(&self.conn, document_id)?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("tệp đính kèm #{id}")))
    }

    /// Removes a file from a draft (audited; the content stays in the database's
    /// file store, as every version of a draft does).
    pub fn detach_from_draft(&mut self, actor: &Actor, attachment_id: i64, now: DateTime<Local>) -> Result<()> {
        let owner: Option<i64> = self
            .conn
            .query_row("SELECT document_id FROM draft_attachments WHERE id = ?1", [attachment_id], |r| r.get(0))
            .optional()?;
        if let Some(document_id) = owner {
            // A file of another person's private draft is answered as a missing file.
            self.guard_unseen_document(actor, document_id, "detach", &format!("tệp đính kèm #{attachment_id}"))?;
        }
        let user = actor.user().clone();
        let in_person = self.kinds_signed_in_person()?;
        self.write(|tx| {
            let row: Option<(i64, String, String)> = tx
                .query_row(
                    "SELECT document_id, name, sha256 FROM draft_attachments WHERE id = ?1",
                    [attachment_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let (document_id, name, sha) =
                row.ok_or_else(|| StoreError::NotFound(format!("tệp đính kèm #{attachment_id}")))?;
            require_attachable(tx, actor, document_id, now.date_naive(), &in_person)?;
            tx.execute("DELETE FROM draft_attachments WHERE id = ?1", [attachment_id])?;
            let comment = format!("bỏ tệp đính kèm «{name}» (SHA-256 {sha})");
            document_event(tx, document_id, &user, "detach", &comment, now)?;
            Ok(())
        })
    }

    /// The files attached to a document, in order, with their signatures.
    pub fn draft_attachments(&self, document_id: i64) -> Result<Vec<Attachment>> {
        attachments_of(&self.conn, document_id)
    }

    /// The bytes of an attached file as attached.
    pub fn attachment_bytes(&self, attachment: &Attachment) -> Result<Vec<u8>> {
        blob(&self.conn, &attachment.sha256)
    }

    /// The files delivered with a document: each attached file (its signed PDF once
    /// the agency signed it), and beside a file signed with CMS its `.p7s`.
    pub fn delivered_files(&self, document_id: i64) -> Result<Vec<DeliveredFile>> {
        let mut out = Vec::new();
        for a in attachments_of(&self.conn, document_id)? {
            match &a.signature {
                Some(s) if s.form == "pades" => {
                    out.push(DeliveredFile { name: a.name.clone(), bytes: blob(&self.conn, &s.signed_sha256)? })
                }
                Some(s) => {
                    out.push(DeliveredFile { name: a.name.clone(), bytes: blob(&self.conn, &a.sha256)? });
                    out.push(DeliveredFile {
                        name: format!("{}.p7s", a.name),
                        bytes: blob(&self.conn, &s.signed_sha256)?,
                    });
                }
                None => out.push(DeliveredFile { name: a.name.clone(), bytes: blob(&self.conn, &a.sha256)? }),
            }
        }
        Ok(out)
    }
}

fn document_event(
    tx: &Transaction<'_>,
    document_id: i64,
    user: &crate::model::User,
    action: &str,
    comment: &str,
    now: DateTime<Local>,
) -> Result<()> {
    let state: String = tx.query_row("SELECT state FROM documents WHERE id = ?1", [document_id], |r| r.get(0))?;
    super::workflow::append_event(
        tx,
        &super::workflow::NewEvent {
            at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            user_id: Some(user.id),
            username: &user.username,
            role: crate::model::Role::Drafter.code(),
            subject: "document",
            subject_id: Some(document_id),
            action,
            state_before: Some(&state),
            state_after: Some(&state),
            content_hash: None,
            comment: Some(comment),
            effects: None,
        },
    )?;
    Ok(())
}

/// The agency's signature box on an attached PDF: top right of page 1, no image,
/// number and symbol and the ISO 8601 time, size 10, black (Phụ lục I, Phần II);
/// also the box-14 text of an electronic copy.
pub fn corner_request(
    bytes: &[u8],
    lines: &[String],
    time: DateTime<chrono::FixedOffset>,
    name: &str,
    reason: &str,
    location: &str,
) -> std::result::Result<SignatureRequest, crate::pki::PkiError> {
    let file = crate::pki::pdf_file::PdfFile::read(bytes)?;
    let pages = file.pages()?;
    let first = *pages.first().ok_or_else(|| crate::pki::PkiError::new("PDF không có trang nào (no page)".into()))?;
    let [x0, _y0, x1, y1] = file.media_box(first)?;
    let size = 10.0;
    let width = lines.iter().map(|l| crate::pki::appearance::text_width(l, size)).fold(0.0, f32::max) + 4.0;
    let height = lines.len() as f32 * (size + 2.0) + 2.0;
    let lines: Vec<Line> = lines
        .iter()
        .enumerate()
        .map(|(i, text)| Line {
            text: crate::text::nfc(text),
            x: 2.0,
            y: height - (i as f32 + 1.0) * (size + 2.0) + 3.0,
            size,
        })
        .collect();
    // 15 mm from the right edge, 10 mm from the top: in the margins NĐ 30 sets.
    let mm = 72.0 / 25.4;
    let at = [(x1 - 15.0 * mm - width).max(x0), y1 - 10.0 * mm - height];
    Ok(SignatureRequest {
        page: 0,
        at,
        appearance: Appearance { width, height, image: None, colour: [0.0, 0.0, 0.0], lines },
        time,
        name: name.to_owned(),
        reason: reason.to_owned(),
        location: location.to_owned(),
        form: Default::default(),
    })
}

/// Restores the files an archive package delivered with a document (lưu trữ): each
/// is kept byte for byte as a file of the document, in the package's order, and one
/// audited event names every SHA-256 so that `verify` holds them to the chain. The
/// caller has checked that the package's own audit trail names each file.
pub(crate) fn import_delivered(
    tx: &Transaction<'_>,
    document_id: i64,
    files: &[DeliveredFile],
    user: &crate::model::User,
    manifest_sha256: &str,
    now: DateTime<Local>,
) -> Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    let mut notes = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let name = clean_name(&file.name)?;
        if file.bytes.len() > MAX_FILE_BYTES {
            return Err(StoreError::Invalid(format!("tệp {name} trong gói lớn hơn 50 MB (file too large)")));
        }
        let sha = put_blob(tx, &file.bytes)?;
        let media = media_type(&name, &file.bytes);
        tx.execute(
            "INSERT INTO draft_attachments (document_id, position, sha256, kind, name, media_type, attached_at, attached_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                document_id,
                i as i64 + 1,
                sha,
                AttachmentKind::Supporting.code(),
                name,
                media,
                super::now_text(),
                user.id
            ],
        )?;
        notes.push(format!("«{name}» SHA-256 {sha}"));
    }
    // The manifest's hash is written in lower case so that it is not read as a file.
    let comment = format!("tệp kèm theo nhập từ gói lưu trữ (manifest sha256 {manifest_sha256}): {}", notes.join("; "));
    document_event(tx, document_id, user, "attach", &comment, now)
}

/// At issue: the agency signs every file attached to the document with `key`.
/// Returns one `name SHA-256` note per file for the audit event.
pub(crate) fn sign_attachments(
    tx: &Transaction<'_>,
    document_id: i64,
    number: &str,
    place: &str,
    key: &dyn KeySigner,
    now: DateTime<Local>,
) -> Result<Vec<String>> {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    let time = now.with_timezone(&vietnam);
    let cert = key.certificate();
    let mut notes = Vec::new();
    for a in attachments_of(tx, document_id)? {
        if a.signature.is_some() {
            continue;
        }
        let bytes = blob(tx, &a.sha256)?;
        let lines = [number.to_owned(), time.format("%Y-%m-%dT%H:%M:%S%:z").to_string()];
        let reason = "Chữ ký số của cơ quan trên văn bản kèm theo (NĐ 30/2020, Phụ lục I)";
        // A PDF whose structure the signer cannot extend (cross-reference streams,
        // encryption) gets a detached signature instead, like any other file.
        let pades = (a.media_type == "application/pdf")
            .then(|| {
                corner_request(&bytes, &lines, time, &cert.common_name, reason, place)
                    .and_then(|request| sign_pdf(&bytes, &request, key))
                    .inspect_err(|e| eprintln!("vanthu: attachment «{}»: {e}; signing it detached (.p7s)", a.name))
                    .ok()
            })
            .flatten();
        let (form, signed) = if let Some(signed) = pades {
            ("pades", signed)
        } else {
            let digest: [u8; 32] = Sha256::digest(&bytes).into();
            let cms = crate::pki::cms_build::signed_data(key, &digest)
                .map_err(|e| StoreError::Invalid(format!("không ký được tệp đính kèm «{}»: {e}", a.name)))?;
            ("cms", cms)
        };
        let sha = put_blob(tx, &signed)?;
        tx.execute(
            "INSERT INTO attachment_signatures (attachment_id, form, signed_sha256, signer, fingerprint, signed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                a.id,
                form,
                sha,
                cert.subject,
                cert.fingerprint,
                now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
            ],
        )?;
        notes.push(format!("tệp «{}» ký số SHA-256 {sha}", a.name));
    }
    Ok(notes)
}

/// The SHA-256 values named in an audit comment (`… SHA-256 <64 hex> …`).
fn named_hashes(comment: &str) -> impl Iterator<Item = &str> {
    comment.match_indices("SHA-256 ").filter_map(|(at, marker)| {
        let hex = comment.get(at + marker.len()..at + marker.len() + 64)?;
        hex.bytes().all(|b| b.is_ascii_hexdigit()).then_some(hex)
    })
}

impl Store {
    /// Checks the outgoing documents' files against the audit chain (`verify`): every
    /// attached file was attached by an audited event naming its SHA-256, every
    /// file attached and not removed by an audited event is still there, and every
    /// signed copy of a file is named by the event of the step that signed it. The
    /// contents themselves are re-hashed with the file store.
    pub(crate) fn verify_attachments(&self) -> Result<Option<String>> {
        use std::collections::{BTreeMap, HashMap};
        let mut events = self.conn.prepare(
            "SELECT subject_id, action, comment FROM audit_events
             WHERE subject = 'document' AND comment IS NOT NULL AND comment LIKE '%SHA-256 %' ORDER BY id",
        )?;
        let rows: Vec<(i64, String, String)> =
            events.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<super::sql::Result<_>>()?;
        // Per document: files attached and not removed (a count per hash), and every
        // hash any of its events names.
        let mut expected: BTreeMap<i64, HashMap<String, i64>> = BTreeMap::new();
        let mut named: HashMap<i64, std::collections::HashSet<String>> = HashMap::new();
        for (document, action, comment) in &rows {
            for sha in named_hashes(comment) {
                named.entry(*document).or_default().insert(sha.to_owned());
                let delta = match action.as_str() {
                    "attach" => 1,
                    "detach" => -1,
                    _ => 0,
                };
                *expected.entry(*document).or_default().entry(sha.to_owned()).or_default() += delta;
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT a.document_id, a.position, a.name, a.sha256, s.signed_sha256
             FROM draft_attachments a LEFT JOIN attachment_signatures s ON s.attachment_id = a.id
             ORDER BY a.document_id, a.position",
        )?;
        let files: Vec<(i64, i64, String, String, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<super::sql::Result<_>>()?;
        for (document, position, name, sha, signed) in &files {
            let left = expected.entry(*document).or_default().entry(sha.clone()).or_default();
            if *left <= 0 {
                return Ok(Some(format!(
                    "tệp đính kèm {position} «{name}» của văn bản #{document}: không có sự kiện đính kèm ghi SHA-256 {sha} (attachment not in the audit log)"
                )));
            }
            *left -= 1;
            if let Some(signed) = signed
                && !named.get(document).is_some_and(|set| set.contains(signed))
            {
                return Ok(Some(format!(
                    "bản ký số của tệp «{name}» (văn bản #{document}): nhật ký không ghi SHA-256 {signed} (signed attachment not in the audit log)"
                )));
            }
        }
        for (document, left) in expected {
            if let Some((sha, _)) = left.iter().find(|(_, n)| **n > 0) {
                return Ok(Some(format!(
                    "văn bản #{document}: tệp đính kèm SHA-256 {sha} đã ghi trong nhật ký nhưng không còn (attachment removed outside the app)"
                )));
            }
        }
        Ok(None)
    }
}
