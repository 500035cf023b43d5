//! `verify`: the audit chain, its administration effects replayed against the
//! tables, signatures tied to registered keys, and every document's content, state,
//! register columns and history checked against the chain.

use std::collections::BTreeMap;

use super::sql::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::documents::sha256_hex;
use super::effects::{AdminState, BASELINE_ACTION, replay_event};
use super::workflow::{GENESIS_HASH, NewEvent, without_register_fields};
use super::{Result, Store};
use crate::exchange::parse_document;

/// The length and head of the audit chain at a moment: written by `vanthu anchor`,
/// carried by backups and archive packages, checked by `verify --anchor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainAnchor {
    /// Format tag, `vanthu.anchor/1`.
    pub format: String,
    /// Number of events in the chain.
    pub events: i64,
    /// Hash of the last event ([`GENESIS_HASH`] when empty).
    pub head: String,
    /// When the anchor was taken (UTC, RFC 3339).
    pub at: String,
}

/// The anchor format tag.
pub const ANCHOR_FORMAT: &str = "vanthu.anchor/1";

impl Store {
    /// The chain's current length and head hash.
    pub fn anchor(&self) -> Result<ChainAnchor> {
        let events: i64 = self.conn.query_row("SELECT count(*) FROM audit_events", [], |r| r.get(0))?;
        let head: Option<String> = self
            .conn
            .query_row("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
            .optional()?;
        Ok(ChainAnchor {
            format: ANCHOR_FORMAT.into(),
            events,
            head: head.unwrap_or_else(|| GENESIS_HASH.to_owned()),
            at: super::now_text(),
        })
    }

    /// Checks the chain against an anchor taken earlier: it must be at least as long
    /// and its event at the anchored position must have the anchored hash. Names the
    /// problem, `Ok(None)` when the chain extends the anchor.
    pub fn check_anchor(&self, anchor: &ChainAnchor) -> Result<Option<String>> {
        if anchor.events <= 0 {
            return Ok(None);
        }
        let at: Option<String> = self
            .conn
            .query_row("SELECT hash FROM audit_events ORDER BY id LIMIT 1 OFFSET ?1", [anchor.events - 1], |r| r.get(0))
            .optional()?;
        Ok(match at {
            None => {
                let now = self.anchor()?.events;
                Some(format!(
                    "chuỗi nhật ký chỉ có {now} sự kiện, ít hơn {} sự kiện của mốc neo (chain shorter than anchor)",
                    anchor.events
                ))
            }
            Some(hash) if hash != anchor.head => Some(format!(
                "sự kiện thứ {} của chuỗi nhật ký khác mốc neo (chain differs at the anchored event)",
                anchor.events
            )),
            Some(_) => None,
        })
    }

    /// Recomputes the audit chain and checks everything that hangs on it; names the
    /// first broken link (`Ok(None)` when everything verifies).
    pub fn verify(&self) -> Result<Option<String>> {
        let mut admin = AdminState::default();
        if let Some(broken) = self.verify_chain(&mut admin)? {
            return Ok(Some(broken));
        }
        if let Some(diff) = admin.first_difference(&AdminState::from_tables(&self.conn)?) {
            return Ok(Some(format!("quản trị: {diff}")));
        }
        for check in [Self::verify_signatures, Self::verify_documents, Self::verify_registers] {
            if let Some(broken) = check(self, &admin)? {
                return Ok(Some(broken));
            }
        }
        if let Some(broken) = self.verify_signed_pdfs()? {
            return Ok(Some(broken));
        }
        if let Some(broken) = self.verify_files()? {
            return Ok(Some(broken));
        }
        self.verify_attachments()
    }

    fn verify_chain(&self, admin: &mut AdminState) -> Result<Option<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, at, user_id, username, role, subject, subject_id, action, state_before, state_after,
                    content_hash, comment, prev_hash, hash, effects FROM audit_events ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut prev = GENESIS_HASH.to_owned();
        let mut seen_effects = false;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let stored_prev: String = r.get(12)?;
            let stored_hash: String = r.get(13)?;
            let (at, username, role, subject, action): (String, String, String, String, String) =
                (r.get(1)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(7)?);
            let (before, after, content, comment): (Option<String>, Option<String>, Option<String>, Option<String>) =
                (r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?);
            let effects: Option<String> = r.get(14)?;
            let event = NewEvent {
                at,
                user_id: r.get(2)?,
                username: &username,
                role: &role,
                subject: &subject,
                subject_id: r.get(6)?,
                action: &action,
                state_before: before.as_deref(),
                state_after: after.as_deref(),
                content_hash: content.as_deref(),
                comment: comment.as_deref(),
                effects: effects.as_deref(),
            };
            let text = event.canonical(&stored_prev);
            if stored_prev != prev || sha256_hex(&text) != stored_hash {
                return Ok(Some(format!("audit_events #{id}")));
            }
            if let Some(effects) = &effects {
                if action == BASELINE_ACTION && seen_effects {
                    return Ok(Some(format!("audit_events #{id} (mốc quản trị chỉ được ở đầu chuỗi)")));
                }
                if let Err(e) = replay_event(admin, &action, effects) {
                    return Ok(Some(format!("audit_events #{id} (tác động quản trị không đọc được: {e})")));
                }
                seen_effects = true;
            }
            prev = stored_hash;
        }
        Ok(None)
    }

    /// Each signature verifies, its public key is the key the signer registered
    /// through an audited event, and the signing event names the same user.
    fn verify_signatures(&self, admin: &AdminState) -> Result<Option<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT s.id, s.public_key, s.content_hash, s.signature, d.signed_content, s.user_id, s.document_id
               FROM signatures s JOIN documents d ON d.id = s.document_id ORDER BY s.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let (public, hash, signature): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
            let signed: Option<String> = r.get(4)?;
            let (user_id, document_id): (i64, i64) = (r.get(5)?, r.get(6)?);
            let content_ok = signed.is_some_and(|content| sha256_hex(&content) == hash);
            if !content_ok || !super::signing::signature_verifies(&public, &hash, &signature) {
                return Ok(Some(format!("signatures #{id} (chữ ký không khớp nội dung đã ký)")));
            }
            if admin.signing_key(user_id) != Some(public.as_str()) {
                return Ok(Some(format!(
                    "signatures #{id} (khóa công khai không phải khóa đã đăng ký của người ký #{user_id})"
                )));
            }
            let signer: Option<Option<i64>> = self
                .conn
                .query_row(
                    "SELECT user_id FROM audit_events WHERE subject = 'document' AND subject_id = ?1
                        AND action = 'sign' AND content_hash = ?2 ORDER BY id DESC LIMIT 1",
                    super::sql::params![document_id, hash],
                    |r| r.get(0),
                )
                .optional()?;
            if signer != Some(Some(user_id)) {
                return Ok(Some(format!("signatures #{id} (người ký khác với sự kiện ký trong nhật ký)")));
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT id, content_json, signed_content FROM documents WHERE signed_content IS NOT NULL ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let (current, signed): (String, String) = (r.get(1)?, r.get(2)?);
            if without_register_fields(&current) != without_register_fields(&signed) {
                return Ok(Some(format!("documents #{id} (nội dung khác bản đã ký)")));
            }
        }
        Ok(None)
    }

    /// Each document: content hash, the last logged content, its creating event,
    /// the state its events lead to, the register columns equal to the content, and
    /// its versions numbered 1, 2, … each with a logged event.
    fn verify_documents(&self, _admin: &AdminState) -> Result<Option<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, content_json, content_hash, state, number, notation, date FROM documents ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let (json, hash, state): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
            let (number, notation, date): (Option<String>, Option<String>, Option<String>) =
                (r.get(4)?, r.get(5)?, r.get(6)?);
            if sha256_hex(&json) != hash {
                return Ok(Some(format!("documents #{id} (nội dung không khớp mã băm)")));
            }
            let events: Vec<(Option<String>, Option<String>)> = {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT state_after, content_hash FROM audit_events
                      WHERE subject = 'document' AND subject_id = ?1 ORDER BY id",
                )?;
                stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<super::sql::Result<_>>()?
            };
            if events.is_empty() {
                return Ok(Some(format!("documents #{id} (không có sự kiện tạo trong nhật ký)")));
            }
            if events.iter().rev().find_map(|(_, h)| h.as_ref()).is_some_and(|h| *h != hash) {
                return Ok(Some(format!("documents #{id} (nội dung khác bước đã ghi nhật ký)")));
            }
            if events.iter().rev().find_map(|(s, _)| s.as_ref()).is_some_and(|s| *s != state) {
                return Ok(Some(format!("documents #{id} (trạng thái khác với nhật ký)")));
            }
            let content = parse_document(&json).ok();
            let columns_match = content
                .is_some_and(|d| d.number == number && d.notation == notation && d.date.map(|d| d.to_string()) == date);
            if !columns_match {
                return Ok(Some(format!("documents #{id} (số, ký hiệu hoặc ngày khác nội dung)")));
            }
            let versions: Vec<(i64, String)> = {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT version, content_hash FROM document_versions WHERE document_id = ?1 ORDER BY version",
                )?;
                stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<super::sql::Result<_>>()?
            };
            for (i, (version, version_hash)) in versions.iter().enumerate() {
                if *version != i as i64 + 1 {
                    return Ok(Some(format!("documents #{id} (phiên bản {version} không liền mạch)")));
                }
                if !events.iter().any(|(_, h)| h.as_deref() == Some(version_hash.as_str())) {
                    return Ok(Some(format!("documents #{id} (phiên bản {version} không có sự kiện trong nhật ký)")));
                }
            }
        }
        Ok(None)
    }

    /// Numbers are unique in their series and each register's last number is at
    /// least the highest number issued in it.
    fn verify_registers(&self, _admin: &AdminState) -> Result<Option<String>> {
        let duplicate: Option<(String, i64)> = self
            .conn
            .query_row(
                "SELECT series, CAST(number AS INTEGER) FROM documents WHERE series IS NOT NULL
                  GROUP BY series, CAST(number AS INTEGER) HAVING count(*) > 1 LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((series, number)) = duplicate {
            return Ok(Some(format!("sổ {series}: số {number} cấp hai lần")));
        }
        let mut highest: BTreeMap<String, i64> = BTreeMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT series, number FROM documents WHERE series IS NOT NULL AND number IS NOT NULL")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (series, number) = row?;
            let n: i64 = number.trim_start_matches('0').parse().unwrap_or(0);
            let entry = highest.entry(series).or_default();
            *entry = (*entry).max(n);
        }
        for (series, top) in highest {
            let last: Option<i64> = self
                .conn
                .query_row("SELECT last_number FROM number_registers WHERE series = ?1", [&series], |r| r.get(0))
                .optional()?;
            if last.is_none_or(|last| last < top) {
                return Ok(Some(format!(
                    "sổ {series}: số cuối {} nhỏ hơn số đã cấp {top}",
                    last.map_or("(không có)".into(), |l| l.to_string())
                )));
            }
        }
        Ok(None)
    }
}
