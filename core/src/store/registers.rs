//! Links between documents (đính chính, thay thế) and the registers laid out as
//! the paper sổ of Phụ lục IV.

use super::sql::params;
use serde::Serialize;

use super::{Actor, Result, Store, StoreError};
use crate::model::{Family, OutgoingState, Role};

/// How a new document relates to an issued one (NĐ 30 Điều 18.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// A công văn đính chính corrects a format, technique or procedure error.
    Corrects,
    /// A document of the same kind replaces one with a content error.
    Replaces,
}

impl Relation {
    /// Code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Relation::Corrects => "corrects",
            Relation::Replaces => "replaces",
        }
    }
}

/// One row of the Sổ đăng ký văn bản đi (Phụ lục IV: số, ký hiệu; ngày tháng; tên
/// loại và trích yếu; người ký; nơi nhận; đơn vị, người nhận bản lưu; số lượng bản;
/// ngày chuyển; ký nhận; ghi chú).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutgoingRegisterRow {
    /// Số, ký hiệu văn bản.
    pub number_notation: String,
    /// Ngày tháng văn bản.
    pub date: String,
    /// Tên loại và trích yếu nội dung.
    pub kind_and_subject: String,
    /// Người ký.
    pub signer: String,
    /// Nơi nhận văn bản.
    pub recipients: String,
    /// Đơn vị, người nhận bản lưu.
    pub file_copy: String,
    /// Số lượng bản.
    pub copies: String,
    /// Ngày chuyển: the day the văn thư dispatched it (the issue step), when issued.
    pub sent_on: String,
    /// Ghi chú (trạng thái).
    pub note: String,
}

/// One row of the Sổ đăng ký văn bản đến (Phụ lục IV: ngày đến; số đến; tác giả;
/// số, ký hiệu; ngày tháng; tên loại và trích yếu; đơn vị hoặc người nhận; ngày
/// chuyển; ký nhận; ghi chú).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncomingRegisterRow {
    /// Ngày đến.
    pub arrival_date: String,
    /// Số đến.
    pub arrival_number: String,
    /// Tác giả.
    pub sender: String,
    /// Số, ký hiệu văn bản.
    pub number_notation: String,
    /// Ngày tháng văn bản.
    pub date: String,
    /// Tên loại và trích yếu nội dung.
    pub kind_and_subject: String,
    /// Đơn vị hoặc người nhận.
    pub handler: String,
    /// Ghi chú (trạng thái, thời hạn).
    pub note: String,
}

impl OutgoingRegisterRow {
    /// The row's cells in column order.
    pub fn cells(&self) -> Vec<String> {
        [
            &self.number_notation,
            &self.date,
            &self.kind_and_subject,
            &self.signer,
            &self.recipients,
            &self.file_copy,
            &self.copies,
            &self.sent_on,
            &self.note,
        ]
        .map(String::clone)
        .to_vec()
    }
}

impl IncomingRegisterRow {
    /// The row's cells in column order.
    pub fn cells(&self) -> Vec<String> {
        [
            &self.arrival_date,
            &self.arrival_number,
            &self.sender,
            &self.number_notation,
            &self.date,
            &self.kind_and_subject,
            &self.handler,
            &self.note,
        ]
        .map(String::clone)
        .to_vec()
    }
}

/// The Nơi nhận cell: the recipients without the Lưu line, `Như trên` replaced by
/// the addressees the Kính gửi names (it means "those named above"), each without
/// its closing `;`/`.` and list dash; a heading line followed by `+` sub-lines gives
/// its sub-lines.
fn register_recipients(d: &crate::model::Document) -> Vec<String> {
    let clean = |line: &str| -> String {
        line.trim().trim_start_matches(['-', '+', '–']).trim().trim_end_matches([';', '.', ',', ':']).trim().to_owned()
    };
    let last = d.recipients.len().saturating_sub(1);
    let is_luu = |i: usize| i == last && clean(&d.recipients[i]).starts_with("Lưu");
    let mut out = Vec::new();
    for (main, subs) in d.recipient_groups() {
        let lines: Vec<usize> = if subs.is_empty() { vec![main] } else { subs };
        for i in lines.into_iter().filter(|i| !is_luu(*i)) {
            let line = clean(&d.recipients[i]);
            if crate::text::fold(&line).starts_with("nhu tren") && !d.addressees.is_empty() {
                out.extend(d.addressees.iter().map(|a| clean(a)).filter(|a| !a.is_empty()));
            } else if !line.is_empty() {
                out.push(line);
            }
        }
    }
    out
}

/// The Bản lưu cell: where copies are kept, as the Lưu line names them (`VT, KT` of
/// `Lưu: VT, KT, NVA(5).`, `Văn phòng Tỉnh ủy` of `Lưu Văn phòng Tỉnh ủy.`), without
/// the drafter's initials (box 12) and counts; the drafting unit recorded for the
/// document (`unit`) is added when the line names none besides the văn thư.
fn kept_copies(d: &crate::model::Document, unit: Option<&str>) -> Vec<String> {
    let Some(line) = d.recipients.last() else { return Vec::new() };
    let content = line.trim().trim_start_matches("- ").trim();
    let Some(rest) = content.strip_prefix("Lưu") else { return Vec::new() };
    let drafter = d.drafter_code.as_deref().map(str::trim).unwrap_or("");
    let mut kept: Vec<String> = rest
        .trim_start_matches([':', ' '])
        .trim_end_matches(['.', ';', ' '])
        .split(',')
        .map(|part| part.split('(').next().unwrap_or("").trim().to_owned())
        .filter(|part| !part.is_empty() && part != drafter)
        .collect();
    if d.family == Family::State
        && let Some(unit) = unit.map(str::trim).filter(|u| !u.is_empty())
        && kept.iter().all(|k| k == "VT")
        && !kept.iter().any(|k| k == unit)
    {
        kept.push(unit.to_owned());
    }
    kept
}

impl Store {
    /// The day each issued document was dispatched (`dd/mm/yyyy` of its first issue
    /// event), by document id.
    fn dispatch_days(&self) -> Result<std::collections::HashMap<i64, String>> {
        let mut stmt = self.conn.prepare(
            "SELECT subject_id, min(at) FROM audit_events WHERE subject = 'document' AND action = 'issue'
             AND subject_id IS NOT NULL GROUP BY subject_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut days = std::collections::HashMap::new();
        for row in rows {
            let (id, at) = row?;
            let day = at.get(..10).and_then(|d| d.parse::<chrono::NaiveDate>().ok());
            days.insert(id, day.map_or(at.clone(), |d| d.format("%d/%m/%Y").to_string()));
        }
        Ok(days)
    }

    /// Links a draft to the issued document it corrects or replaces; a correction is
    /// a công văn, a replacement has the same kind (Điều 18.3).
    pub fn relate(&mut self, actor: &Actor, document_id: i64, related_id: i64, relation: Relation) -> Result<()> {
        actor.require(Role::Drafter, "liên kết văn bản")?;
        let new = self.document(document_id)?.ok_or_else(|| StoreError::NotFound(format!("văn bản #{document_id}")))?;
        let facts = self.document_facts(document_id, chrono::Local::now().date_naive())?;
        let who = self.actor_facts(actor)?;
        if let Err(reason) = crate::workflow::authority::may_draft(&who, &facts) {
            let refusal = StoreError::Denied(format!(
                "{} không được liên kết văn bản #{document_id}: {reason}",
                actor.user().username
            ));
            return Err(self.audit_refusal(actor, "document", Some(document_id), "relate", refusal));
        }
        self.check_relation(&new.document, new.agency_id, related_id, relation)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO document_relations (document_id, related_id, relation) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                params![document_id, related_id, relation.code()],
            )?;
            Ok(())
        })
    }

    /// Checks that a draft of `agency` (not yet stored, or stored) may correct or
    /// replace document `related_id`: that one is issued, of the same issuing agency,
    /// and a correction is a công văn, a replacement of the same kind (Điều 18.3).
    pub fn check_relation(
        &self,
        draft: &crate::model::Document,
        agency: Option<i64>,
        related_id: i64,
        relation: Relation,
    ) -> Result<()> {
        let missing = || StoreError::NotFound(format!("văn bản #{related_id}"));
        // Only an issued document is corrected or replaced: a draft never submitted
        // is answered as a missing id, so the refusal tells nobody it exists.
        if self.document_place(related_id)?.is_none_or(|p| p.is_private_draft()) {
            return Err(missing());
        }
        let old = self.document(related_id)?.ok_or_else(missing)?;
        if !matches!(old.state, OutgoingState::Issued | OutgoingState::Filed) {
            return Err(StoreError::Invalid(format!(
                "văn bản #{related_id} chưa phát hành: chỉ đính chính, thay thế văn bản đã phát hành"
            )));
        }
        if old.agency_id.is_none() || old.agency_id != agency {
            return Err(StoreError::Denied(format!(
                "văn bản #{related_id} do \"{}\" ban hành: chỉ cơ quan đã ban hành mới đính chính hoặc thay thế",
                old.document.issuer.name
            )));
        }
        match relation {
            Relation::Corrects if draft.kind.as_str() != "cong-van" => {
                Err(StoreError::Invalid("lỗi thể thức được đính chính bằng công văn (Điều 18.3)".into()))
            }
            Relation::Replaces if draft.kind != old.document.kind => Err(StoreError::Invalid(
                "văn bản thay thế phải cùng hình thức với văn bản bị thay thế (Điều 18.3)".into(),
            )),
            _ => Ok(()),
        }
    }

    /// The documents a document corrects or replaces, and those that correct or replace it.
    pub fn relations(&self, document_id: i64) -> Result<Vec<(i64, i64, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT document_id, related_id, relation FROM document_relations
             WHERE document_id = ?1 OR related_id = ?1 ORDER BY id",
        )?;
        Ok(stmt
            .query_map([document_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<super::sql::Result<_>>()?)
    }

    /// The outgoing register of a year, by number: one agency's book when `agency`
    /// is given (each agency keeps its own), every book one after the other
    /// otherwise.
    pub fn outgoing_register(&self, year: i32, agency: Option<i64>) -> Result<Vec<OutgoingRegisterRow>> {
        let mut rows = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT id, state FROM documents WHERE year = ?1 AND number IS NOT NULL AND (CAST(?2 AS BIGINT) IS NULL OR agency_id = ?2)
             ORDER BY issuer_name, CAST(number AS INTEGER)",
        )?;
        let ids: Vec<(i64, String)> = stmt
            .query_map(super::sql::params![year, agency], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<super::sql::Result<_>>()?;
        let sent = self.dispatch_days()?;
        for (id, state) in ids {
            let Some(stored) = self.document(id)? else { continue };
            let d = &stored.document;
            let kind = crate::ruleset::kind_name(d.family, d.kind.as_str()).unwrap_or(d.kind.as_str());
            let unit: Option<String> = self.conn.query_row(
                "SELECT u.abbreviation FROM documents d LEFT JOIN units u ON u.id = d.unit_id WHERE d.id = ?1",
                [id],
                |r| r.get(0),
            )?;
            let recipients = register_recipients(d);
            let kept = kept_copies(d, unit.as_deref());
            rows.push(OutgoingRegisterRow {
                number_notation: d.number_notation().unwrap_or_default(),
                date: d.date.map(|x| x.format("%d/%m/%Y").to_string()).unwrap_or_default(),
                kind_and_subject: format!("{kind}: {}", d.subject.as_deref().unwrap_or("")),
                signer: d.signer.name.clone(),
                recipients: recipients.join("; "),
                file_copy: kept.join(", "),
                copies: d
                    .copies
                    .filter(|c| *c > 0)
                    .or_else(|| d.luu_copies())
                    .unwrap_or((recipients.len() + kept.len()) as u32)
                    .to_string(),
                sent_on: sent.get(&id).cloned().unwrap_or_default(),
                note: OutgoingState::from_code(&state).map_or(state.clone(), |s| s.label().to_owned()),
            });
        }
        Ok(rows)
    }

    /// The incoming register of a year, by số đến: one agency's book when `agency` is
    /// given (each agency numbers its own số đến), every book one after the other
    /// otherwise.
    pub fn incoming_register(&self, year: i32, agency: Option<i64>) -> Result<Vec<IncomingRegisterRow>> {
        let users = self.users()?;
        let mut letters: Vec<crate::model::Incoming> = self
            .list_incoming()?
            .into_iter()
            .filter(|i| chrono::Datelike::year(&i.arrival_date) == year && i.arrival_number.is_some())
            .filter(|i| agency.is_none_or(|a| i.agency_id == a))
            .collect();
        letters.sort_by_key(|i| (i.agency_id, i.arrival_number));
        let mut rows = Vec::with_capacity(letters.len());
        for i in letters {
            let signatures = self.signature_note(i.id)?;
            rows.push({
                let kind = crate::ruleset::kind_name(Family::State, &i.kind).unwrap_or(&i.kind);
                let handler = i.handler_id.and_then(|h| users.iter().find(|u| u.id == h)).map(|u| u.full_name.clone());
                let symbol = match (&i.number, &i.notation) {
                    (Some(n), Some(s)) => format!("{n}/{s}"),
                    (Some(n), None) => n.clone(),
                    _ => String::new(),
                };
                IncomingRegisterRow {
                    arrival_date: i.arrival_date.format("%d/%m/%Y").to_string(),
                    arrival_number: i.arrival_number.map(|n| n.to_string()).unwrap_or_default(),
                    sender: i.sender,
                    number_notation: symbol,
                    date: i.date.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default(),
                    kind_and_subject: format!("{kind}: {}", i.subject),
                    handler: handler.unwrap_or_default(),
                    note: match (i.deadline, signatures) {
                        (Some(d), Some(s)) => format!("{}; hạn {}; {s}", i.state.label(), d.format("%d/%m/%Y")),
                        (Some(d), None) => format!("{}; hạn {}", i.state.label(), d.format("%d/%m/%Y")),
                        (None, Some(s)) => format!("{}; {s}", i.state.label()),
                        (None, None) => i.state.label().to_owned(),
                    },
                }
            });
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{DEMO_PASSWORD, load_demo};

    #[test]
    fn registers_follow_the_paper_columns_and_links_follow_the_law() {
        let mut store = Store::open_in_memory().unwrap();
        load_demo(&mut store, chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()).unwrap();
        let outgoing = store.outgoing_register(2026, None).unwrap();
        assert!(outgoing.len() >= 15);
        assert!(outgoing.iter().all(|r| !r.number_notation.is_empty() && !r.signer.is_empty()));
        // Bản lưu names where copies are kept (the văn thư first), Số bản is never empty.
        assert!(outgoing.iter().any(|r| r.file_copy.starts_with("VT, ")), "{outgoing:#?}");
        assert!(outgoing.iter().all(|r| !r.file_copy.starts_with("Lưu") && r.copies.parse::<u32>().is_ok()));
        let ubnd = store.agencies().unwrap().into_iter().find(|a| a.abbreviation == "UBND").unwrap();
        let incoming = store.incoming_register(2026, Some(ubnd.id)).unwrap();
        assert!(!incoming.is_empty());
        let numbers: Vec<i64> = incoming.iter().map(|r| r.arrival_number.parse().unwrap()).collect();
        assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>(), "one book, 1, 2, 3 without repeats");

        let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
        let issued = store
            .documents_for(&drafter)
            .unwrap()
            .into_iter()
            .chain(store.documents_for(&store.login("lythihongnhung", DEMO_PASSWORD).unwrap()).unwrap())
            .find(|d| (d.state == "issued" || d.state == "filed") && d.kind == "quyet-dinh")
            .unwrap();
        let original = store.document(issued.id).unwrap().unwrap().document;
        let replacement = store.create_draft(&drafter, &original, chrono::Local::now()).unwrap();
        store.relate(&drafter, replacement, issued.id, Relation::Replaces).unwrap();
        assert!(
            store.relate(&drafter, replacement, issued.id, Relation::Corrects).is_err(),
            "a correction is a công văn"
        );
        assert_eq!(store.relations(issued.id).unwrap(), vec![(replacement, issued.id, "replaces".to_owned())]);
    }
}
