//! Signature and seal images kept in the office database (the administrator binds a
//! person's handwritten-signature image and an agency's seal image, so the signer and
//! the văn thư need not carry the PNG), and electronic copies of paper originals
//! (bản sao điện tử, NĐ 30/2020 Điều 25–26 and Phụ lục I: the agency's digital
//! signature in box 14, top right of page 1, no image, size 10: the copy form, the
//! copying agency and the ISO 8601 time).

use super::sql::{OptionalExtension, Transaction, params};
use chrono::{DateTime, Local, Utc};
use sha2::{Digest, Sha256};

use super::{Actor, Result, Store, StoreError};
use crate::model::Role;
use crate::pki::appearance::Stencil;
use crate::pki::keys::KeySigner;

/// Whose image it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageOwner {
    /// A person (record id): their handwritten signature.
    Person(i64),
    /// An agency (record id): its seal.
    Agency(i64),
}

/// The latest image bound to `owner`, if any.
pub(crate) fn signing_image(conn: &super::sql::Connection, owner: ImageOwner) -> Result<Option<Stencil>> {
    let (column, id) = match owner {
        ImageOwner::Person(id) => ("person_id", id),
        ImageOwner::Agency(id) => ("agency_id", id),
    };
    let sql = format!(
        "SELECT b.bytes FROM signing_images i JOIN blobs b ON b.sha256 = i.sha256 WHERE i.{column} = ?1 ORDER BY i.id DESC LIMIT 1"
    );
    let bytes: Option<Vec<u8>> = conn.query_row(&sql, [id], |r| r.get(0)).optional()?;
    bytes.map(|b| Stencil::from_png(&b).map_err(|e| StoreError::Invalid(e.to_string()))).transpose()
}

/// Copy forms of NĐ 30/2020 Điều 25 (bản sao y, trích sao, sao lục).
pub const COPY_FORMS: [&str; 3] = ["SAO Y", "TRÍCH SAO", "SAO LỤC"];

impl Store {
    /// Binds a signature image to a person or a seal image to an agency
    /// (administrator only, audited); the PNG is checked and kept content-addressed.
    pub fn bind_signing_image(&mut self, actor: &Actor, owner: ImageOwner, png: &[u8]) -> Result<()> {
        self.require_admin(actor, "gắn ảnh chữ ký hoặc con dấu")?;
        Stencil::from_png(png).map_err(|e| StoreError::Invalid(e.to_string()))?;
        if png.len() > 5 * 1024 * 1024 {
            return Err(StoreError::Invalid("ảnh lớn hơn 5 MB (image too large)".into()));
        }
        let admin = actor.user().clone();
        self.write(|tx| {
            let (table, id) = match owner {
                ImageOwner::Person(id) => ("people", id),
                ImageOwner::Agency(id) => ("agencies", id),
            };
            let exists: i64 = tx.query_row(&format!("SELECT count(*) FROM {table} WHERE id = ?1"), [id], |r| r.get(0))?;
            if exists == 0 {
                return Err(StoreError::NotFound(format!("{} #{id}", if table == "people" { "người" } else { "cơ quan" })));
            }
            let sha = super::attachments::put_blob(tx, png)?;
            let (person, agency) = match owner {
                ImageOwner::Person(id) => (Some(id), None),
                ImageOwner::Agency(id) => (None, Some(id)),
            };
            tx.execute(
                "INSERT INTO signing_images (person_id, agency_id, sha256, added_at, added_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![person, agency, sha, super::now_text(), admin.id],
            )?;
            let whom = match owner {
                ImageOwner::Person(id) => format!("ảnh chữ ký của người #{id}"),
                ImageOwner::Agency(id) => format!("ảnh con dấu của cơ quan #{id}"),
            };
            let comment = format!("gắn {whom} (SHA-256 {sha})");
            super::workflow::append_event(
                tx,
                &super::workflow::system_event(Some(admin.id), &admin.username, "admin", "bind-image", &comment, None),
            )?;
            Ok(())
        })
    }

    /// The person record of user `username`, if any.
    pub fn person_of_user(&self, username: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT person_id FROM users WHERE username = ?1", [username], |r| r.get::<_, Option<i64>>(0))
            .optional()?
            .flatten())
    }

    /// The văn thư makes an electronic copy of a paper original: the scan (a PDF)
    /// gets the agency's digital signature in box 14 with `form` (one of
    /// [`COPY_FORMS`]), the agency's name and the time. The agency is `agency` or
    /// the văn thư's own; the certificate must be that agency's (its name or an
    /// administrator's binding); the copy's SHA-256 is audited. Returns the bytes.
    pub fn sign_electronic_copy(
        &mut self,
        actor: &Actor,
        scan: &[u8],
        form: &str,
        agency: Option<i64>,
        key: &dyn KeySigner,
        now: DateTime<Local>,
    ) -> Result<Vec<u8>> {
        actor.require(Role::VanThu, "ký số bản sao điện tử")?;
        let form = crate::text::nfc(form.trim()).to_uppercase();
        if !COPY_FORMS.contains(&form.as_str()) {
            return Err(StoreError::Invalid(format!(
                "hình thức sao «{form}» không có; dùng {} (NĐ 30/2020 Điều 25)",
                COPY_FORMS.join(", ")
            )));
        }
        if !scan.starts_with(b"%PDF-") {
            return Err(StoreError::Invalid("bản sao điện tử phải là tệp PDF (a PDF is required)".into()));
        }
        let user = actor.user().clone();
        let agency_id = agency
            .or(user.agency_id)
            .ok_or_else(|| StoreError::Invalid("tài khoản văn thư chưa gắn với cơ quan (no agency)".into()))?;
        // Only a văn thư serving that agency holds its seal (as at issue).
        if !super::authority::actor_facts(&self.conn, actor)?.serves_agency(Some(agency_id)) {
            let refusal = StoreError::Workflow(crate::workflow::WorkflowError::Authority {
                user: user.username.clone(),
                action: "Ký số bản sao điện tử",
                reason: "chỉ văn thư phục vụ cơ quan đó mới ký số bản sao của cơ quan".into(),
            });
            return Err(self.audit_refusal(actor, "system", None, "electronic-copy", refusal));
        }
        self.write(|tx| {
            let agency: String = tx.query_row("SELECT name FROM agencies WHERE id = ?1", [agency_id], |r| r.get(0))?;
            super::pki::check_certificate(tx, key, &agency, ("agency_id", agency_id), now.with_timezone(&Utc))?;
            // Lower case, as Phụ lục I asks of this text (`Ủy ban nhân dân tỉnh Bình Phước`).
            let signed = sign_copy(scan, &form, &crate::pdf::compose::sentence_case(&agency), key, now)?;
            let sha = hex::encode(Sha256::digest(&signed));
            let comment = format!("ký số bản sao điện tử ({form}) SHA-256 {sha}");
            super::workflow::append_event(
                tx,
                &super::workflow::system_event(
                    Some(user.id),
                    &user.username,
                    "van_thu",
                    "electronic-copy",
                    &comment,
                    None,
                ),
            )?;
            Ok(signed)
        })
    }
}

fn sign_copy(scan: &[u8], form: &str, agency: &str, key: &dyn KeySigner, now: DateTime<Local>) -> Result<Vec<u8>> {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    let time = now.with_timezone(&vietnam);
    let lines = [form.to_owned(), agency.to_owned(), time.format("%Y-%m-%dT%H:%M:%S%:z").to_string()];
    let reason = "Chữ ký số của cơ quan trên bản sao điện tử (NĐ 30/2020, Phụ lục I, ô 14)";
    super::attachments::corner_request(scan, &lines, time, &key.certificate().common_name, reason, "")
        .and_then(|request| crate::pki::pades::sign_pdf(scan, &request, key))
        .map_err(|e| StoreError::Invalid(format!("không ký được bản sao: {e}")))
}

/// The image for a signing step: the one given, else the one bound in the database.
pub(crate) fn image_for(
    tx: &Transaction<'_>,
    given: Option<Stencil>,
    owner: Option<ImageOwner>,
) -> Result<Option<Stencil>> {
    match (given, owner) {
        (Some(image), _) => Ok(Some(image)),
        (None, Some(owner)) => signing_image(tx, owner),
        (None, None) => Ok(None),
    }
}
