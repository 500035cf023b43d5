//! What search shows of its candidates, read in one query per kind (a round trip
//! to a server each): their title lines for ranking, the hits' rows, and the
//! snippets cut from their indexed text.

use std::collections::HashMap;

use super::search::{
    SNIPPET_CHARS, SearchHit, SearchItem, SearchQuery, document_entry, dossier_entry, incoming_entry, number_text,
};
use super::search_rank::QueryWords;
use super::{Result, Store};
use crate::text::nfc;

/// Title, number and notation of a candidate row.
type TitleRow = (Option<String>, Option<String>, Option<String>);

/// A row's family and kind code (a document's), or a letter's own kind word.
type KindRow = (Option<String>, Option<String>);

/// The ids of `keys` per kind, as `1, 2, 3` for an `IN (…)` list (ids are
/// integers, written into the query); kinds without a key are left out.
fn id_lists(keys: &[i64]) -> Vec<(SearchItem, String)> {
    [SearchItem::Document, SearchItem::Incoming, SearchItem::Dossier]
        .into_iter()
        .filter_map(|item| {
            let ids: Vec<String> = keys
                .iter()
                .filter_map(|k| SearchItem::from_key(*k).filter(|(i, _)| *i == item).map(|(_, id)| id.to_string()))
                .collect();
            (!ids.is_empty()).then(|| (item, ids.join(", ")))
        })
        .collect()
}

impl Store {
    /// The title lines of index keys (kind name, trích yếu and number of a document
    /// or a letter; title and symbol of a dossier), all at once: ids are integers,
    /// written into the query.
    pub(super) fn title_lines_of(&self, keys: &[i64]) -> Result<HashMap<i64, Vec<String>>> {
        let mut out = HashMap::new();
        for (item, list) in id_lists(keys) {
            let sql = match item {
                SearchItem::Document => {
                    format!("SELECT id, subject, number, notation, family, kind FROM documents WHERE id IN ({list})")
                }
                SearchItem::Incoming => {
                    format!("SELECT id, subject, number, notation, NULL, kind FROM incoming WHERE id IN ({list})")
                }
                SearchItem::Dossier => {
                    format!("SELECT id, title, code, NULL, NULL, NULL FROM dossiers WHERE id IN ({list})")
                }
            };
            let rows: Vec<(i64, TitleRow, KindRow)> = self
                .conn
                .prepare(&sql)?
                .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?), (r.get(4)?, r.get(5)?))))?
                .collect::<super::sql::Result<_>>()?;
            for (id, (title, number, notation), (family, kind)) in rows {
                // The kind's name as printed (a document's code, a letter's own word).
                let kind = kind.map(|k| {
                    family
                        .as_deref()
                        .and_then(crate::model::Family::from_code)
                        .and_then(|f| crate::ruleset::kind_name(f, &k))
                        .map_or(k.clone(), str::to_owned)
                });
                let lines =
                    kind.into_iter().chain(title).chain(number_text(number.as_deref(), notation.as_deref())).collect();
                out.insert(id * 4 + item.tag(), lines);
            }
        }
        Ok(out)
    }

    /// Fills each hit's snippet from its indexed text as written (the title lines,
    /// shown anyway, are left out).
    pub(crate) fn add_snippets(&self, hits: &mut [SearchHit], query: &SearchQuery) -> Result<()> {
        let ranking = QueryWords::new(&nfc(&query.text), query.prefix && !query.text.ends_with(char::is_whitespace));
        for hit in hits {
            let entry = match hit.item {
                SearchItem::Document => document_entry(&self.conn, hit.id)?,
                SearchItem::Incoming => incoming_entry(&self.conn, hit.id)?,
                SearchItem::Dossier => dossier_entry(&self.conn, hit.id)?,
            };
            if let Some(entry) = entry {
                let shown = |l: &&str| *l != hit.subject && *l != hit.number;
                hit.snippet = ranking.snippet(entry.text.lines().filter(shown), SNIPPET_CHARS);
            }
        }
        Ok(())
    }

    /// The hits of index keys, all at once (one query per kind: a round trip to a
    /// server each); a key whose row is gone has none.
    pub(super) fn hits_of(&self, keys: &[i64]) -> Result<HashMap<i64, SearchHit>> {
        let mut out = HashMap::new();
        for (item, list) in id_lists(keys) {
            let sql = match item {
                SearchItem::Document => format!(
                    "SELECT t.id, t.number, t.notation, t.date, coalesce(t.subject, ''), t.issuer_name, t.state, d.code
                     FROM documents t LEFT JOIN dossiers d ON d.id = t.dossier_id WHERE t.id IN ({list})"
                ),
                SearchItem::Incoming => format!(
                    "SELECT t.id, t.number, t.notation, coalesce(t.date, t.arrival_date), t.subject, t.sender, t.state, d.code
                     FROM incoming t LEFT JOIN dossiers d ON d.id = t.dossier_id WHERE t.id IN ({list})"
                ),
                SearchItem::Dossier => format!(
                    "SELECT id, code, NULL, start_date, title, heading, CASE closed WHEN 1 THEN 'closed' ELSE 'open' END, NULL
                     FROM dossiers WHERE id IN ({list})"
                ),
            };
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map([], |r| {
                let (number, notation): (Option<String>, Option<String>) = (r.get(1)?, r.get(2)?);
                Ok(SearchHit {
                    item,
                    id: r.get(0)?,
                    number: number_text(number.as_deref(), notation.as_deref()).unwrap_or_default(),
                    date: r.get(3)?,
                    subject: r.get(4)?,
                    author: r.get(5)?,
                    state: r.get(6)?,
                    dossier: r.get(7)?,
                    exact: false,
                    snippet: None,
                })
            })?;
            for hit in rows {
                let hit = hit?;
                out.insert(hit.id * 4 + item.tag(), hit);
            }
        }
        Ok(out)
    }
}
