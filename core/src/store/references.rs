//! The numbers the office knows its items by, for showing in place of record ids:
//! `2542/UBND-KT` for a state document (NĐ 30 Phụ lục I, ô số 3), `15-NQ/TU` for a
//! Party one (HD 36), `số đến 9` with the sender's number for a letter (NĐ 30 Điều
//! 22, Phụ lục IV.V), `Dự thảo` with its trích yếu for a draft not numbered yet.
//! Record ids (`#37`) stay inside the program.

use std::collections::HashMap;

use super::scope::{PLACE_COLUMNS, place_from_row};
use super::{Actor, DocumentSummary, Result, Store};
use crate::workflow::authority::{may_link_reply, may_see};

/// The printed number and symbol without `Số` (`2542/UBND-KT`, `15-NQ/TU`); the
/// number alone when there is no symbol; `None` before numbering.
pub(crate) fn printed_number(family: &str, number: Option<&str>, notation: Option<&str>) -> Option<String> {
    let number = number.map(str::trim).filter(|n| !n.is_empty())?;
    Some(match notation.map(str::trim).filter(|s| !s.is_empty()) {
        Some(symbol) if family == "party" => format!("{number}-{symbol}"),
        Some(symbol) => format!("{number}/{symbol}"),
        None => number.to_owned(),
    })
}

/// At most `max` characters of a trích yếu, with `…` when cut.
fn short(subject: &str, max: usize) -> String {
    let subject = subject.trim();
    if subject.chars().count() <= max {
        return subject.to_owned();
    }
    let cut: String = subject.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// What stands where the number would: `Dự thảo` before signature, `Chưa cấp số`
/// once signed (the page no longer says DỰ THẢO then).
fn unnumbered(state: &str) -> &'static str {
    if state == "signed" { "Chưa cấp số" } else { "Dự thảo" }
}

/// How an unnumbered document is named where a number would stand: `Dự thảo «Về
/// việc…»`.
fn draft_label(state: &str, subject: Option<&str>) -> String {
    match subject.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => format!("{} «{}»", unnumbered(state), short(s, 60)),
        None => format!("{} (chưa có trích yếu)", unnumbered(state)),
    }
}

/// How a letter is named: `số đến 9 (45/SXD-QLXD)`; `chưa vào sổ «…»` before it
/// is registered.
fn letter_label(arrival: Option<i64>, number: Option<&str>, notation: Option<&str>, subject: &str) -> String {
    let theirs = printed_number("state", number, notation);
    match (arrival, theirs) {
        (Some(a), Some(t)) => format!("số đến {a} ({t})"),
        (Some(a), None) => format!("số đến {a}"),
        (None, Some(t)) => format!("chưa vào sổ, số {t}"),
        (None, None) => format!("chưa vào sổ «{}»", short(subject, 60)),
    }
}

impl DocumentSummary {
    /// The number the office knows the document by: `2542/UBND-KT` (`15-NQ/TU` for
    /// the Party); before it is numbered `Dự thảo` (`Chưa cấp số` once signed), its
    /// trích yếu naming it then.
    pub fn reference(&self) -> String {
        printed_number(&self.family, self.number.as_deref(), self.notation.as_deref())
            .unwrap_or_else(|| unnumbered(&self.state).to_owned())
    }

    /// [`DocumentSummary::reference`] with the trích yếu of a draft: `Dự thảo «Về
    /// việc…»` (for places that show no trích yếu beside it).
    pub fn reference_with_title(&self) -> String {
        printed_number(&self.family, self.number.as_deref(), self.notation.as_deref())
            .unwrap_or_else(|| draft_label(&self.state, self.subject.as_deref()))
    }
}

/// The office numbers of the documents, letters and dossiers a user may see, to name
/// them in the audit log and the dossier history instead of record ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficeNumbers {
    documents: HashMap<i64, String>,
    letters: HashMap<i64, String>,
    dossiers: HashMap<i64, String>,
}

/// What names a document the user may not see (another person's unsubmitted draft).
const HIDDEN_DRAFT: &str = "dự thảo chưa trình";

impl OfficeNumbers {
    /// The office number of an audit subject (`document`, `incoming`, `dossier`);
    /// `None` for other subjects and unknown records.
    pub fn subject(&self, subject: &str, id: i64) -> Option<&str> {
        let table = match subject {
            "document" => &self.documents,
            "incoming" => &self.letters,
            "dossier" => &self.dossiers,
            _ => return None,
        };
        table.get(&id).map(String::as_str)
    }

    /// A stored audit comment with its record ids replaced by office numbers:
    /// `văn bản đi #37` → `văn bản đi 2542/UBND-KT`, `văn bản đến #4` → `văn bản
    /// đến số đến 9 (45/SXD-QLXD)`, `hồ sơ 01.KT (#2)` → `hồ sơ 01.KT`. The log
    /// itself is never changed (its hash chain covers the comments as written).
    pub fn rewrite(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (prefix, table) in [("văn bản đi #", &self.documents), ("văn bản đến #", &self.letters)] {
            out = replace_ids(&out, prefix, |id| {
                table.get(&id).map(|label| format!("{}{label}", prefix.trim_end_matches('#')))
            });
        }
        // `(#2)` after a dossier code says the same as the code.
        replace_ids(&out, " (#", |id| self.dossiers.contains_key(&id).then(String::new))
    }
}

/// Replaces `prefix` + digits (+ `)` when the prefix opened a parenthesis) by what
/// `name` gives for the id; leaves the text as it is where `name` gives nothing.
fn replace_ids(text: &str, prefix: &str, name: impl Fn(i64) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        let after = &rest[at + prefix.len()..];
        let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
        let closing = prefix.ends_with('(') || prefix.ends_with("(#");
        let tail = &after[digits..];
        let closes = !closing || tail.starts_with(')');
        match after[..digits].parse::<i64>().ok().filter(|_| closes).and_then(&name) {
            Some(label) => {
                out.push_str(&rest[..at]);
                out.push_str(&label);
                rest = if closing { &tail[1..] } else { tail };
            }
            None => {
                out.push_str(&rest[..at + prefix.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl Store {
    /// The office numbers of every document, letter and dossier, as `actor` may read
    /// them: a document they may not see (another person's unsubmitted draft) is
    /// named `dự thảo chưa trình`, without its trích yếu.
    pub fn office_numbers(&self, actor: &Actor) -> Result<OfficeNumbers> {
        let who = self.actor_facts(actor)?;
        let mut numbers = OfficeNumbers::default();
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT id, family, number, notation, subject, state, {PLACE_COLUMNS} FROM documents"))?;
        let rows = stmt.query_map([], |r| {
            let (id, family, number, notation, subject): (i64, String, Option<String>, Option<String>, Option<String>) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            let state: String = r.get(5)?;
            let label = if may_see(&who, place_from_row(r, 6)?) {
                printed_number(&family, number.as_deref(), notation.as_deref())
                    .unwrap_or_else(|| draft_label(&state, subject.as_deref()))
            } else {
                HIDDEN_DRAFT.to_owned()
            };
            Ok((id, label))
        })?;
        numbers.documents = rows.collect::<super::sql::Result<_>>()?;
        let mut stmt =
            self.conn.prepare("SELECT id, arrival_number, number, notation, coalesce(subject, '') FROM incoming")?;
        let rows = stmt.query_map([], |r| {
            let (number, notation, subject): (Option<String>, Option<String>, String) =
                (r.get(2)?, r.get(3)?, r.get(4)?);
            Ok((r.get(0)?, letter_label(r.get(1)?, number.as_deref(), notation.as_deref(), &subject)))
        })?;
        numbers.letters = rows.collect::<super::sql::Result<_>>()?;
        let mut stmt = self.conn.prepare("SELECT id, code, year FROM dossiers")?;
        let rows = stmt.query_map([], |r| {
            let (code, year): (String, i64) = (r.get(1)?, r.get(2)?);
            Ok((r.get(0)?, format!("{code} ({year})")))
        })?;
        numbers.dossiers = rows.collect::<super::sql::Result<_>>()?;
        Ok(numbers)
    }

    /// The documents `actor` may link as the reply to a letter they resolve
    /// ([`may_link_reply`]: their own, their unit's; never another person's
    /// unsubmitted draft), newest first.
    pub fn reply_choices(&self, actor: &Actor) -> Result<Vec<DocumentSummary>> {
        let who = self.actor_facts(actor)?;
        let mut stmt = self.conn.prepare(&format!("SELECT id, {PLACE_COLUMNS} FROM documents"))?;
        let allowed: std::collections::HashSet<i64> = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, place_from_row(r, 1)?)))?
            .filter_map(|row| row.ok())
            .filter(|(_, place)| may_link_reply(&who, *place))
            .map(|(id, _)| id)
            .collect();
        Ok(self.list_documents()?.into_iter().filter(|d| allowed.contains(&d.id)).collect())
    }
}

/// Whether every word of `filter` (diacritics and đ/d folded, as search folds them)
/// is in `text`: the filter boxes of the lists.
pub fn matches_filter(text: &str, filter: &str) -> bool {
    let hay = crate::text::fold(text);
    crate::text::fold(filter).split_whitespace().all(|w| hay.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_numbers_follow_the_family() {
        assert_eq!(printed_number("state", Some("2542"), Some("UBND-KT")).as_deref(), Some("2542/UBND-KT"));
        assert_eq!(printed_number("party", Some("15"), Some("NQ/TU")).as_deref(), Some("15-NQ/TU"));
        assert_eq!(printed_number("state", Some("7"), None).as_deref(), Some("7"));
        assert_eq!(printed_number("state", None, Some("UBND-KT")), None);
        assert_eq!(printed_number("state", Some(" "), Some("UBND-KT")), None);
    }

    #[test]
    fn comments_name_office_numbers_not_record_ids() {
        let numbers = OfficeNumbers {
            documents: HashMap::from([(37, "2542/UBND-KT".to_owned())]),
            letters: HashMap::from([(4, "số đến 9 (45/SXD-QLXD)".to_owned())]),
            dossiers: HashMap::from([(2, "01.KT (2026)".to_owned())]),
        };
        assert_eq!(numbers.rewrite("văn bản đi #37"), "văn bản đi 2542/UBND-KT");
        assert_eq!(numbers.rewrite("văn bản đến #4"), "văn bản đến số đến 9 (45/SXD-QLXD)");
        assert_eq!(numbers.rewrite("vào hồ sơ 01.KT (#2)"), "vào hồ sơ 01.KT");
        // Unknown ids and other `#` stay as written.
        assert_eq!(numbers.rewrite("văn bản đi #99; tài khoản #3"), "văn bản đi #99; tài khoản #3");
        assert_eq!(numbers.rewrite("(#2 và"), "(#2 và");
        assert_eq!(numbers.subject("document", 37), Some("2542/UBND-KT"));
        assert_eq!(numbers.subject("user", 37), None);
    }

    #[test]
    fn filters_fold_diacritics_and_d() {
        assert!(matches_filter("Đề án phát triển đô thị", "de an do thi"));
        assert!(matches_filter("Đề án phát triển đô thị", "ĐÔ THỊ"));
        assert!(!matches_filter("Đề án phát triển đô thị", "do thi giao thong"));
        assert!(matches_filter("bất kỳ", ""));
    }
}
