//! The office's trust store and digital signing in the workflow (issue #16): the
//! administrator trusts root and intermediate certificates and binds certificates
//! whose name differs from the person record; at `sign` the signer's PAdES
//! signature and at `issue` the agency's seal are appended to the document's PDF/A,
//! whose exact bytes are kept (immutable) with their SHA-256 in the step's event.

use super::sql::{OptionalExtension, Transaction, params};
use chrono::{DateTime, Local, Utc};
use sha2::{Digest, Sha256};

use super::signing_extras::{ImageOwner, image_for};
use super::{Actor, Result, Store, StoreError};
use crate::model::Document;
use crate::pki::appearance::{Appearance, Line, Stencil, text_width};
use crate::pki::cert::{CertInfo, build_path};
use crate::pki::fields::{FormChange, find_fields};
use crate::pki::fill_plan;
use crate::pki::keys::KeySigner;
use crate::pki::pades::{SignatureRequest, sign_pdf};
use crate::pki::pdf_file::PdfFile;
use crate::text::name_key;

/// A key to sign with at `sign` or `issue`, and the image its box shows (the
/// signer's handwritten signature, or the agency's seal), if given.
pub struct DigitalSigning<'k> {
    /// The key (PKCS #12 file or PKCS #11 token).
    pub key: &'k dyn KeySigner,
    /// The PNG image for the signature box.
    pub image: Option<Stencil>,
}

fn pki_error(e: crate::pki::PkiError) -> StoreError {
    StoreError::Invalid(e.to_string())
}

/// Every trusted certificate.
pub(crate) fn trusted(tx: &super::sql::Connection) -> Result<Vec<CertInfo>> {
    let mut stmt = tx.prepare("SELECT der FROM trusted_certificates ORDER BY id")?;
    let ders: Vec<Vec<u8>> = stmt.query_map([], |r| r.get(0))?.collect::<super::sql::Result<_>>()?;
    ders.iter().map(|d| CertInfo::from_der(d).map_err(pki_error)).collect()
}

impl Store {
    /// Trusts every certificate of a PEM (or DER) file as a root or intermediate
    /// (administrator only, audited). Returns the certificates newly trusted.
    pub fn trust_certificates(&mut self, actor: &Actor, bytes: &[u8]) -> Result<Vec<CertInfo>> {
        self.require_admin(actor, "tin cậy chứng thư số")?;
        let certs = CertInfo::parse_many(bytes).map_err(pki_error)?;
        if let Some(leaf) = certs.iter().find(|c| !c.is_ca()) {
            return Err(StoreError::Invalid(format!(
                "{} không phải chứng thư của tổ chức cấp chứng thư (CA); chỉ tin cậy chứng thư gốc và trung gian (not a CA certificate)",
                leaf.subject
            )));
        }
        let user = actor.user().clone();
        self.write(|tx| {
            let mut added = Vec::new();
            for cert in certs {
                let n = tx.execute(
                    "INSERT INTO trusted_certificates
                       (fingerprint, der, subject, issuer, not_before, not_after, added_at, added_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
                    params![
                        cert.fingerprint,
                        cert.der,
                        cert.subject,
                        cert.issuer,
                        cert.not_before.to_rfc3339(),
                        cert.not_after.to_rfc3339(),
                        super::now_text(),
                        user.id
                    ],
                )?;
                if n == 1 {
                    let comment = format!("tin cậy chứng thư {} (SHA-256 {})", cert.subject, cert.fingerprint);
                    super::workflow::append_event(
                        tx,
                        &super::workflow::system_event(
                            Some(user.id),
                            &user.username,
                            "admin",
                            "trust-certificate",
                            &comment,
                            None,
                        ),
                    )?;
                    added.push(cert);
                }
            }
            if !added.is_empty() {
                // Received PDFs "not trusted" until now are checked again.
                super::files::recheck_untrusted(tx, &user)?;
            }
            Ok(added)
        })
    }

    /// The office's trusted certificates.
    pub fn trusted_certificates(&self) -> Result<Vec<CertInfo>> {
        trusted(&self.conn)
    }

    /// Binds a certificate whose name differs from the record to a user (their
    /// signature) or, with `agency`, to an agency (its seal). Administrator only,
    /// audited.
    pub fn bind_certificate(
        &mut self,
        actor: &Actor,
        bytes: &[u8],
        user: Option<i64>,
        agency: Option<i64>,
    ) -> Result<()> {
        self.require_admin(actor, "gắn chứng thư số với người dùng")?;
        let cert = CertInfo::parse_many(bytes).map_err(pki_error)?.remove(0);
        let admin = actor.user().clone();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO certificate_bindings (fingerprint, user_id, agency_id, added_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (fingerprint) DO UPDATE SET user_id = excluded.user_id, agency_id = excluded.agency_id,
                 added_at = excluded.added_at",
                params![cert.fingerprint, user, agency, super::now_text()],
            )?;
            let whom =
                user.map_or_else(|| format!("cơ quan #{}", agency.unwrap_or_default()), |u| format!("người dùng #{u}"));
            let comment = format!("gắn chứng thư {} (SHA-256 {}) với {whom}", cert.subject, cert.fingerprint);
            super::workflow::append_event(
                tx,
                &super::workflow::system_event(
                    Some(admin.id),
                    &admin.username,
                    "admin",
                    "bind-certificate",
                    &comment,
                    None,
                ),
            )?;
            Ok(())
        })
    }

    /// The id of the user `username`, if any.
    pub fn user_id(&self, username: &str) -> Result<Option<i64>> {
        Ok(self.conn.query_row("SELECT id FROM users WHERE username = ?1", [username], |r| r.get(0)).optional()?)
    }

    /// `verify`'s check of the signed PDFs: each row's bytes hash to its SHA-256, and
    /// the audit event of its step names that hash.
    pub(crate) fn verify_signed_pdfs(&self) -> Result<Option<String>> {
        let mut stmt = self.conn.prepare("SELECT id, document_id, step, bytes, sha256 FROM signed_pdfs ORDER BY id")?;
        let rows: Vec<(i64, i64, String, Vec<u8>, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<super::sql::Result<_>>()?;
        for (id, document_id, step, bytes, sha) in rows {
            if hex::encode(Sha256::digest(&bytes)) != sha {
                return Ok(Some(format!("PDF ký số #{id} của văn bản #{document_id}: nội dung không khớp SHA-256")));
            }
            let logged: i64 = self.conn.query_row(
                "SELECT count(*) FROM audit_events WHERE subject = 'document' AND subject_id = ?1
                   AND (action = ?2 OR action = 'archive-import') AND comment LIKE '%' || ?3 || '%'",
                params![document_id, step, sha],
                |r| r.get(0),
            )?;
            if logged == 0 {
                return Ok(Some(format!(
                    "PDF ký số #{id} của văn bản #{document_id}: không có sự kiện {step} ghi SHA-256 của nó"
                )));
            }
        }
        Ok(None)
    }

    /// The latest signed PDF of a document (after the seal if issued digitally).
    pub fn signed_pdf(&self, document_id: i64) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row(
                "SELECT bytes FROM signed_pdfs WHERE document_id = ?1 ORDER BY id DESC LIMIT 1",
                [document_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}

/// Checks that `cert` may sign for `name` (the person or the agency): a path to a
/// trusted root, valid at `at`, and the name in the certificate or an
/// administrator's binding.
pub(crate) fn check_certificate(
    tx: &Transaction<'_>,
    key: &dyn KeySigner,
    name: &str,
    binding: (&str, i64),
    at: DateTime<Utc>,
) -> Result<()> {
    let cert = key.certificate();
    build_path(cert, key.chain(), &trusted(tx)?, at).map_err(pki_error)?;
    if name_key(&cert.common_name) == name_key(name) {
        return Ok(());
    }
    let sql = format!("SELECT count(*) FROM certificate_bindings WHERE fingerprint = ?1 AND {} = ?2", binding.0);
    let bound: i64 = tx.query_row(&sql, params![cert.fingerprint, binding.1], |r| r.get(0))?;
    if bound > 0 {
        return Ok(());
    }
    Err(StoreError::Invalid(format!(
        "chứng thư số cấp cho «{}», không phải «{name}»; quản trị viên cần gắn chứng thư này nếu đúng là của họ (certificate names someone else)",
        cert.common_name
    )))
}

/// Where the signer's name sits on the last page that has it: (page, x centre,
/// baseline from the bottom, size).
fn name_position(document: &Document, ruleset: &crate::ruleset::Ruleset) -> Option<(usize, f32, f32, f32)> {
    let layout = crate::pdf::layout_document(document, ruleset.for_layout(document.date));
    let name = crate::text::nfc(document.signer.name.trim());
    layout.pages.iter().enumerate().rev().find_map(|(index, page)| {
        page.items.iter().rev().find_map(|item| match item {
            crate::pdf::Item::Text(run) if run.text.trim() == name && run.face.is_bold() => {
                let width = run.face.width(&run.text, run.size);
                Some((index, run.x + width / 2.0, layout.height - run.baseline, run.size))
            }
            _ => None,
        })
    })
}

const BOX_WIDTH: f32 = 170.0;
const BOX_HEIGHT: f32 = 58.0;
/// A seal of about 36 mm (NĐ 99/2016 sizes; the image is shown at the seal's size).
const SEAL_SIZE: f32 = 100.0;

/// Appends the signer's signature (`sign`) or the agency's seal (`issue`) to the
/// document's PDF, stores the bytes and returns their SHA-256.
#[allow(clippy::too_many_arguments)] // the step's own facts, passed through from `step`
pub(crate) fn sign_in_step(
    tx: &Transaction<'_>,
    document_id: i64,
    issue: bool,
    document: &Document,
    ruleset: &crate::ruleset::Ruleset,
    signing: &DigitalSigning<'_>,
    now: DateTime<Local>,
    actor: &crate::model::User,
) -> Result<(String, Vec<String>)> {
    let at = now.with_timezone(&Utc);
    let key = signing.key;
    let cert = key.certificate();
    let owner;
    let (base, reason) = if issue {
        let agency: (i64, String) = tx
            .query_row(
                "SELECT a.id, a.name FROM documents d JOIN agencies a ON a.id = d.agency_id WHERE d.id = ?1",
                [document_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::Invalid("văn bản không thuộc cơ quan nào để đóng dấu số (no agency)".into()))?;
        check_certificate(tx, key, &agency.1, ("agency_id", agency.0), at)?;
        owner = Some(ImageOwner::Agency(agency.0));
        let base: Option<Vec<u8>> = tx
            .query_row("SELECT bytes FROM signed_pdfs WHERE document_id = ?1 AND step = 'sign'", [document_id], |r| {
                r.get(0)
            })
            .optional()?;
        (base, "Đóng dấu số của cơ quan, tổ chức (NĐ 30/2020, Phụ lục I)")
    } else {
        let person: Option<String> = match actor.person_id {
            Some(p) => tx.query_row("SELECT full_name FROM people WHERE id = ?1", [p], |r| r.get(0)).optional()?,
            None => None,
        };
        let name = person.unwrap_or_else(|| actor.full_name.clone());
        if name_key(&name) != name_key(&document.signer.name) {
            return Err(StoreError::Invalid(format!(
                "người ký ghi trên văn bản là «{}», không phải «{name}» (not the printed signer)",
                document.signer.name
            )));
        }
        check_certificate(tx, key, &name, ("user_id", actor.id), at)?;
        owner = actor.person_id.map(ImageOwner::Person);
        (None, "Ký ban hành văn bản (NĐ 30/2020, Điều 5)")
    };
    // The signer's revision carries fields for the lines the number and date change;
    // the agency's revision fills them (see `pki::fill_plan`).
    let (base, form) = match base {
        Some(bytes) => {
            let found = PdfFile::read(&bytes).and_then(|f| find_fields(&f)).map_err(pki_error)?;
            let fills = fill_plan::fills(document, ruleset, &found);
            (bytes, FormChange::Fill(fills))
        }
        None if issue => (
            crate::pdf::document_pdf(document, ruleset).map_err(|e| StoreError::Invalid(e.to_string()))?,
            FormChange::None,
        ),
        None => {
            let base = fill_plan::signing_base(document, ruleset, now.date_naive()).map_err(pki_error)?;
            (base.pdf, FormChange::Create(base.fields))
        }
    };
    let image = image_for(tx, signing.image.clone(), owner)?;
    let (page, centre, name_baseline, size) = name_position(document, ruleset).ok_or_else(|| {
        StoreError::Invalid("không tìm thấy chỗ ký (tên người ký) trên văn bản (signature place not found)".into())
    })?;
    // Vietnam's time zone (UTC+7), as Phụ lục I asks of the signing time.
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    let time = now.with_timezone(&vietnam);
    let sig_x = centre - BOX_WIDTH / 2.0;
    let sig_y = name_baseline + size;
    let text_size = 7.0;
    let detail = |who: &str| {
        vec![
            Line { text: crate::text::nfc(who), x: 0.0, y: text_size + 1.0, size: text_size },
            Line { text: time.format("%Y-%m-%dT%H:%M:%S%:z").to_string(), x: 0.0, y: 1.0, size: text_size },
        ]
    };
    let (appearance, at_xy) = if issue {
        let mut lines = detail(&cert.common_name);
        // Without a seal image the text stands in the middle of the seal's place.
        let lift = if image.is_none() { SEAL_SIZE / 2.0 } else { 0.0 };
        for line in &mut lines {
            line.x = (SEAL_SIZE - text_width(&line.text, line.size)).max(0.0) / 2.0;
            line.y += lift;
        }
        let image =
            image.clone().map(|s| (s, [0.0, 2.0 * text_size + 2.0, SEAL_SIZE, SEAL_SIZE - 2.0 * text_size - 2.0]));
        let appearance = Appearance { width: SEAL_SIZE, height: SEAL_SIZE, image, colour: [0.86, 0.08, 0.12], lines };
        // The seal covers about the left third of the signature image.
        let x = sig_x + BOX_WIDTH / 3.0 - SEAL_SIZE;
        let y = sig_y + BOX_HEIGHT / 2.0 - SEAL_SIZE / 2.0;
        (appearance, [x, y])
    } else {
        let mut lines = detail(&format!("Ký số bởi: {}", cert.common_name));
        for line in &mut lines {
            line.x = (BOX_WIDTH - text_width(&line.text, line.size)).max(0.0) / 2.0;
        }
        let image = image.clone().map(|s| {
            (s, [BOX_WIDTH * 0.15, 2.0 * text_size + 2.0, BOX_WIDTH * 0.7, BOX_HEIGHT - 2.0 * text_size - 2.0])
        });
        let appearance = Appearance { width: BOX_WIDTH, height: BOX_HEIGHT, image, colour: [0.0, 0.2, 0.7], lines };
        (appearance, [sig_x, sig_y])
    };
    let request = SignatureRequest {
        page,
        at: at_xy,
        appearance,
        time,
        name: cert.common_name.clone(),
        reason: reason.to_owned(),
        location: document.place.clone(),
        form,
    };
    let bytes = sign_pdf(&base, &request, key).map_err(pki_error)?;
    let sha = hex::encode(Sha256::digest(&bytes));
    tx.execute(
        "INSERT INTO signed_pdfs (document_id, step, bytes, sha256, signer, fingerprint, signed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            document_id,
            if issue { "issue" } else { "sign" },
            bytes,
            sha,
            cert.subject,
            cert.fingerprint,
            now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        ],
    )?;
    // The files attached to the document get the agency's signature too.
    let notes = if issue {
        let number = document.number_notation().unwrap_or_default();
        super::attachments::sign_attachments(tx, document_id, &number, &document.place, key, now)?
    } else {
        Vec::new()
    };
    Ok((sha, notes))
}
