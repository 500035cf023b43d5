//! Full-text search (SQLite FTS5) over outgoing and incoming documents and dossiers:
//! subject, number and symbol, issuer, signer, body text and dossier titles.
//!
//! Each row has an `exact` column (NFC, lower case, diacritics kept) and a `folded`
//! column (lower case, marks removed, đ→d, folded in Rust because no tokenizer folds
//! đ), plus `meta` filter tokens. A query is folded the same way; when it carries
//! diacritics, exact spellings are looked up first and rank above folded matches,
//! so `đường` lists `đường` before `dương`. User input is always quoted, so FTS
//! syntax in it (`NĐ-CP`, `AND`, `*`) is searched as text.
//!
//! The index is kept in sync by triggers that queue changed rows in
//! `search_pending`; [`Store::write`] drains the queue inside every write transaction.

use super::sql::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use super::search_rank::{QueryWords, Snippet, TitleMatch, rank_key};
use super::{Result, Store};
use crate::exchange::parse_document;
use crate::model::Document;
use crate::text::{fold, nfc};

/// What a search hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchItem {
    /// An outgoing document (văn bản đi).
    Document,
    /// An incoming document (văn bản đến).
    Incoming,
    /// A dossier (hồ sơ).
    Dossier,
}

impl SearchItem {
    pub(super) fn tag(self) -> i64 {
        match self {
            SearchItem::Document => 0,
            SearchItem::Incoming => 1,
            SearchItem::Dossier => 2,
        }
    }

    pub(super) fn from_key(key: i64) -> Option<(Self, i64)> {
        let item = match key & 3 {
            0 => SearchItem::Document,
            1 => SearchItem::Incoming,
            2 => SearchItem::Dossier,
            _ => return None,
        };
        Some((item, key >> 2))
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            SearchItem::Document => "văn bản đi",
            SearchItem::Incoming => "văn bản đến",
            SearchItem::Dossier => "hồ sơ",
        }
    }
}

/// Filters of a search (all optional, combined with AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilters {
    /// Only this kind of hit.
    pub item: Option<SearchItem>,
    /// Year of the document (arrival year for incoming, file plan year for dossiers).
    pub year: Option<i32>,
    /// Document type code (`quyet-dinh`, `cong-van`).
    pub kind: Option<String>,
    /// Drafting unit (outgoing) or lead unit (incoming), by id.
    pub unit_id: Option<i64>,
    /// Workflow state code (`issued`, `filed`, `registered` …; `open`/`closed` for dossiers).
    pub state: Option<String>,
    /// Dossier id.
    pub dossier_id: Option<i64>,
}

/// A search request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// What the user typed.
    pub text: String,
    /// Filters.
    pub filters: SearchFilters,
    /// At most this many hits.
    pub limit: usize,
    /// Search as you type: the last word is a prefix while it is being typed, that is
    /// when no space follows it (a word followed by a space is complete).
    pub prefix: bool,
}

impl SearchQuery {
    /// A query for `text` without filters, 50 hits, whole words.
    pub fn new(text: &str) -> Self {
        SearchQuery { text: text.to_owned(), filters: SearchFilters::default(), limit: 50, prefix: false }
    }
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchHit {
    /// What it is.
    pub item: SearchItem,
    /// Its id.
    pub id: i64,
    /// Number and symbol (dossier symbol for dossiers); empty when none.
    pub number: String,
    /// Date (ISO), if any.
    pub date: Option<String>,
    /// Trích yếu, or the dossier title.
    pub subject: String,
    /// Issuer, sender, or the dossier's heading.
    pub author: String,
    /// State code.
    pub state: String,
    /// The dossier it is filed in (symbol), if any.
    pub dossier: Option<String>,
    /// Whether it matched the query with its diacritics exactly.
    pub exact: bool,
    /// The line of its text (outside the title) where the query matched, with the
    /// matched words marked; `None` when only the title matched.
    pub snippet: Option<Snippet>,
}

/// A filter token: a letter and the folded value with anything but ASCII letters and
/// digits removed (`kquyetdinh`, `y2026`).
fn meta_token(tag: char, value: &str) -> String {
    let mut token = String::with_capacity(value.len() + 1);
    token.push(tag);
    token.extend(fold(value).chars().filter(char::is_ascii_alphanumeric));
    token
}

/// One index row: its text (for the `exact` and `folded` columns) and its filter tokens.
pub(crate) struct Entry {
    pub(super) text: String,
    meta: Vec<String>,
}

impl Entry {
    /// The `exact` column: NFC, lower case.
    fn exact(&self) -> String {
        nfc(&self.text).to_lowercase()
    }

    fn push(&mut self, part: Option<&str>) {
        if let Some(part) = part.filter(|p| !p.trim().is_empty()) {
            self.text.push_str(part);
            self.text.push('\n');
        }
    }
}

fn dossier_text(tx: &Connection, dossier_id: Option<i64>) -> Result<Option<String>> {
    let Some(id) = dossier_id else { return Ok(None) };
    Ok(tx.query_row("SELECT code || ' ' || title FROM dossiers WHERE id = ?1", [id], |r| r.get(0)).optional()?)
}

/// Number and symbol as printed: `865/QĐ-UBND` (NĐ 30: the symbol joins kind and
/// agency with "-") or `312-QĐ/TU` (HD 36: with "/", the number joined by "-").
pub(super) fn number_text(number: Option<&str>, notation: Option<&str>) -> Option<String> {
    match (number, notation) {
        (Some(n), Some(s)) if s.contains('/') => Some(format!("{n}-{s}")),
        (Some(n), Some(s)) => Some(format!("{n}/{s}")),
        (n, s) => n.or(s).map(str::to_owned),
    }
}

/// What the index needs of an outgoing document besides its content: the columns of
/// its `documents` row and the text of its dossier.
pub(crate) struct DocumentFacts<'a> {
    /// Type code.
    pub kind: &'a str,
    /// Year of the number.
    pub year: Option<i64>,
    /// Workflow state code.
    pub state: &'a str,
    /// Drafting unit.
    pub unit: Option<i64>,
    /// Dossier id.
    pub dossier: Option<i64>,
    /// The dossier's symbol and title, when filed.
    pub dossier_text: Option<&'a str>,
    /// Issuing agency.
    pub agency: Option<i64>,
}

/// The index entry of an outgoing document (`None` content: a row whose JSON no
/// longer parses is still found by its metadata and dossier). The one place that
/// decides what of a document is searchable, for the trigger queue and the bulk
/// generator alike.
pub(crate) fn outgoing_entry(d: Option<&Document>, facts: &DocumentFacts<'_>) -> Entry {
    let mut e = Entry { text: String::new(), meta: Vec::new() };
    if let Some(d) = d {
        e.push(d.subject.as_deref());
        e.push(number_text(d.number.as_deref(), d.notation.as_deref()).as_deref());
        e.push(d.issuer.parent.as_deref());
        e.push(Some(&d.issuer.name));
        e.push(d.signer.principal.as_deref());
        e.push(Some(&d.signer.position));
        e.push(Some(&d.signer.name));
        for line in &d.bases {
            e.push(Some(line));
        }
        for block in &d.body {
            e.push(block.label.as_deref());
            e.push(block.title.as_deref());
            e.push(block.text.as_deref());
        }
    }
    e.push(facts.dossier_text);
    e.meta.push("t0".into());
    if let Some(y) = facts.year {
        e.meta.push(format!("y{y}"));
    }
    e.meta.push(meta_token('k', facts.kind));
    e.meta.push(meta_token('s', facts.state));
    e.meta.extend(facts.unit.map(|u| format!("u{u}")));
    e.meta.push(format!("d{}", facts.dossier.unwrap_or(0)));
    e.meta.extend(facts.agency.map(|a| format!("a{a}")));
    e
}

pub(super) fn document_entry(tx: &Connection, id: i64) -> Result<Option<Entry>> {
    type Row = (String, String, Option<i64>, String, Option<i64>, Option<i64>, Option<i64>);
    let row: Option<Row> = tx
        .query_row(
            "SELECT content_json, kind, year, state, unit_id, dossier_id, agency_id FROM documents WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .optional()?;
    let Some((json, kind, year, state, unit, dossier, agency)) = row else { return Ok(None) };
    let dossier_text = dossier_text(tx, dossier)?;
    let facts = DocumentFacts {
        kind: &kind,
        year,
        state: &state,
        unit,
        dossier,
        dossier_text: dossier_text.as_deref(),
        agency,
    };
    Ok(Some(outgoing_entry(parse_document(&json).ok().as_ref(), &facts)))
}

pub(super) fn incoming_entry(tx: &Connection, id: i64) -> Result<Option<Entry>> {
    type Row = (String, Option<String>, Option<String>, String, String, i64, String, Option<i64>, Option<i64>, i64);
    let row: Option<Row> = tx
        .query_row(
            "SELECT subject, number, notation, sender, kind, arrival_year, state, lead_unit_id, dossier_id, agency_id
             FROM incoming WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                ))
            },
        )
        .optional()?;
    let Some((subject, number, notation, sender, kind, year, state, unit, dossier, agency)) = row else {
        return Ok(None);
    };
    let mut e = Entry { text: String::new(), meta: Vec::new() };
    e.push(Some(&subject));
    e.push(number_text(number.as_deref(), notation.as_deref()).as_deref());
    e.push(Some(&sender));
    e.push(dossier_text(tx, dossier)?.as_deref());
    e.meta.extend(["t1".to_owned(), format!("y{year}"), meta_token('k', &kind), meta_token('s', &state)]);
    e.meta.extend(unit.map(|u| format!("u{u}")));
    e.meta.push(format!("d{}", dossier.unwrap_or(0)));
    e.meta.push(format!("a{agency}"));
    Ok(Some(e))
}

pub(super) fn dossier_entry(tx: &Connection, id: i64) -> Result<Option<Entry>> {
    type Row = (String, String, String, Option<String>, Option<String>, i64, i64, i64);
    let row: Option<Row> = tx
        .query_row(
            "SELECT code, title, heading, subheading, description, year, closed, agency_id FROM dossiers WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
        )
        .optional()?;
    let Some((code, title, heading, subheading, description, year, closed, agency)) = row else { return Ok(None) };
    let mut e = Entry { text: String::new(), meta: Vec::new() };
    for part in [Some(code), Some(title), Some(heading), subheading, description] {
        e.push(part.as_deref());
    }
    let state = if closed == 1 { "sclosed" } else { "sopen" };
    e.meta.extend(["t2".to_owned(), format!("y{year}"), state.to_owned(), format!("d{id}"), format!("a{agency}")]);
    Ok(Some(e))
}

/// Whether index rows wait to be recomputed.
pub(crate) fn has_pending(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM search_pending)", [], |r| r.get(0))?)
}

/// Recomputes the index rows queued by the triggers, inside the caller's transaction.
pub(crate) fn flush_pending(tx: &Transaction<'_>) -> Result<()> {
    let keys: Vec<i64> = {
        let mut stmt = tx.prepare_cached("SELECT key FROM search_pending")?;
        stmt.query_map([], |r| r.get(0))?.collect::<super::sql::Result<_>>()?
    };
    if keys.is_empty() {
        return Ok(());
    }
    let postgres = tx.backend() == super::Backend::Postgres;
    let mut delete = tx.prepare_cached(if postgres {
        "DELETE FROM search_index WHERE key = ?1"
    } else {
        "DELETE FROM search_fts WHERE rowid = ?1"
    })?;
    for key in keys {
        delete.execute([key])?;
        let entry = match SearchItem::from_key(key) {
            Some((SearchItem::Document, id)) => document_entry(tx, id)?,
            Some((SearchItem::Incoming, id)) => incoming_entry(tx, id)?,
            Some((SearchItem::Dossier, id)) => dossier_entry(tx, id)?,
            None => None,
        };
        if let Some(e) = entry {
            insert_entry(tx, key, &e)?;
        }
    }
    tx.execute("DELETE FROM search_pending", [])?;
    Ok(())
}

/// The index key of an outgoing document.
pub(crate) fn document_key(id: i64) -> i64 {
    id * 4 + SearchItem::Document.tag()
}

/// Indexes a row that is not in the index yet (the bulk generator): the entry is
/// written directly and the row's queued key, left by the insert trigger, dropped.
pub(crate) fn index_new(tx: &Transaction<'_>, key: i64, e: &Entry) -> Result<()> {
    insert_entry(tx, key, e)?;
    tx.prepare_cached("DELETE FROM search_pending WHERE key = ?1")?.execute([key])?;
    Ok(())
}

/// Writes one index row: FTS5 on SQLite; on PostgreSQL, tsvectors of the tokens
/// (split and folded here, as FTS5's `unicode61` splits them).
fn insert_entry(tx: &Connection, key: i64, e: &Entry) -> Result<()> {
    if tx.backend() == super::Backend::Postgres {
        tx.prepare_cached(
            "INSERT INTO search_index (key, exact_tsv, folded_tsv, meta_tsv) VALUES (?1,
             array_to_tsvector(string_to_array(?2, ' ')), array_to_tsvector(string_to_array(?3, ' ')),
             array_to_tsvector(string_to_array(?4, ' ')))",
        )?
        .execute(params![
            key,
            tokens(&e.exact()).join(" "),
            tokens(&fold(&e.text)).join(" "),
            e.meta.join(" ")
        ])?;
    } else {
        tx.prepare_cached("INSERT INTO search_fts (rowid, exact, folded, meta) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![key, e.exact(), fold(&e.text), e.meta.join(" ")])?;
    }
    Ok(())
}

/// The longest token kept (PostgreSQL lexemes are limited to 2 KB).
const MAX_TOKEN_CHARS: usize = 200;

/// Lower-case words split at every character that is not a letter or a digit, like
/// FTS5's `unicode61` tokenizer.
fn tokens(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().take(MAX_TOKEN_CHARS).collect::<String>())
        .filter(|w| seen.insert(w.clone()))
        .collect()
}

/// A tsquery literal for one lexeme (quoted; `'` doubled, `\` escaped).
fn lexeme(word: &str) -> String {
    format!("'{}'", word.replace('\\', "\\\\").replace('\'', "''"))
}

/// The PostgreSQL tsquery for `words` (every token must be there; the last word a
/// prefix while typing), or `None` when there is nothing to match.
fn pg_words_query(words: &[String], prefix: bool) -> Option<String> {
    let mut parts = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let last = i + 1 == words.len() && word.chars().count() >= 2;
        let toks = tokens(word);
        for (j, t) in toks.iter().enumerate() {
            let is_prefix = prefix && last && j + 1 == toks.len();
            parts.push(if is_prefix { format!("{}:*", lexeme(t)) } else { lexeme(t) });
        }
    }
    (!parts.is_empty()).then(|| parts.join(" & "))
}

/// An FTS5 string literal: the text in double quotes, inner quotes doubled.
fn quoted(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// The meta tokens every hit must carry.
fn meta_filter(filters: &SearchFilters) -> Vec<String> {
    let mut meta = Vec::new();
    meta.extend(filters.item.map(|i| format!("t{}", i.tag())));
    meta.extend(filters.year.map(|y| format!("y{y}")));
    meta.extend(filters.kind.as_deref().map(|k| meta_token('k', k)));
    meta.extend(filters.state.as_deref().map(|s| meta_token('s', s)));
    meta.extend(filters.unit_id.map(|u| format!("u{u}")));
    meta.extend(filters.dossier_id.map(|d| format!("d{d}")));
    meta
}

/// The MATCH expression for `words` in `column`, with the filters; `None` when
/// there is nothing to match.
fn match_expr(column: &str, words: &[String], prefix: bool, filters: &SearchFilters) -> Option<String> {
    let mut parts = Vec::new();
    if !words.is_empty() {
        let terms: Vec<String> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                // A one-letter prefix would merge the lists of thousands of words.
                let last = i + 1 == words.len() && w.chars().count() >= 2;
                if prefix && last { format!("{}*", quoted(w)) } else { quoted(w) }
            })
            .collect();
        parts.push(format!("{column} : ({})", terms.join(" ")));
    }
    let meta = meta_filter(filters);
    if !meta.is_empty() {
        parts.push(format!("meta : ({})", meta.iter().map(|m| quoted(m)).collect::<Vec<_>>().join(" ")));
    }
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// Title, number and symbol of one row (any may be missing).
/// How many of the newest index rows PostgreSQL scans first for common words.
const PG_NEWEST_WINDOW: usize = 20_000;

/// How many candidates are ranked at most (newest first).
const CANDIDATES: usize = 300;

/// About how many characters a snippet shows.
pub(super) const SNIPPET_CHARS: usize = 160;

/// A row found by the index, before ranking.
struct Candidate {
    key: i64,
    exact: bool,
    title: TitleMatch,
    title_words: usize,
}

/// The longest search query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 256;

impl Store {
    /// Searches documents, incoming documents and dossiers. Words are matched without
    /// regard to case and diacritics (`quyet dinh` finds `Quyết định`, `dang uy` finds
    /// `Đảng ủy`). Every word must match. Hits whose title (trích yếu, number, dossier
    /// title, kind) holds the query come first, then those whose title holds more of
    /// its words; within each, spellings with the query's diacritics first, then the
    /// newest, the same on both engines (see [`super::search_rank`]). Candidates are taken newest first and bounded, which
    /// keeps common words fast on a million documents. Each hit carries a snippet of
    /// the text where the query matched. Never fails on odd input: FTS syntax in the
    /// text is searched literally.
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>> {
        let mut hits = self.search_ranked(query)?;
        self.add_snippets(&mut hits, query)?;
        Ok(hits)
    }

    /// [`Store::search`] without snippets (the caller filters first).
    pub(crate) fn search_ranked(&self, query: &SearchQuery) -> Result<Vec<SearchHit>> {
        let chars = query.text.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(super::StoreError::Invalid(format!(
                "câu tìm dài {chars} ký tự, tối đa {MAX_QUERY_CHARS} ký tự (search query too long)"
            )));
        }
        let text = nfc(&query.text);
        let mut words: Vec<&str> = text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).collect();
        // A word followed by a space is complete; only the word being typed is a prefix.
        // A prefix longer than the FTS5 prefix indexes (2 and 3 characters) makes FTS5
        // merge the postings of every matching term (`chuyen*`: a third of a million
        // documents, ~200 ms), so a complete word must not be searched as one.
        let mut prefix = query.prefix && !text.ends_with(char::is_whitespace);
        if prefix && words.len() > 1 && words.last().is_some_and(|w| w.chars().count() < 2) {
            // While typing `chuyen d`, the lone `d` waits for its next letter, and
            // `chuyen` is a complete word.
            words.pop();
            prefix = false;
        }
        let exact_words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let folded_words: Vec<String> = words.iter().map(|w| fold(w)).collect();
        let ranking = QueryWords::new(&words.join(" "), prefix);
        let limit = query.limit.clamp(1, 10_000);
        // Enough candidates to rank a page of hits; bounded so that FTS5 stops early.
        let wanted = limit.max(CANDIDATES);
        let mut found: Vec<Candidate> = Vec::new();
        let postgres = self.conn.backend() == super::Backend::Postgres;
        let meta = meta_filter(&query.filters);
        let meta_query = meta.iter().map(|m| lexeme(m)).collect::<Vec<_>>().join(" & ");
        let run = |column: &str, words: &[String], exact: bool, found: &mut Vec<Candidate>| -> Result<()> {
            let rows: Vec<i64> = if postgres {
                let want = (wanted + found.len()) as i64;
                let (condition, mut values) = match (pg_words_query(words, prefix), meta.is_empty()) {
                    (Some(q), true) => {
                        (format!("{column}_tsv @@ CAST(CAST(?1 AS TEXT) AS tsquery)"), vec![super::sql::Value::Text(q)])
                    }
                    (Some(q), false) => (
                        format!(
                            "{column}_tsv @@ CAST(CAST(?1 AS TEXT) AS tsquery) AND meta_tsv @@ CAST(CAST(?2 AS TEXT) AS tsquery)"
                        ),
                        vec![super::sql::Value::Text(q), super::sql::Value::Text(meta_query.clone())],
                    ),
                    (None, false) => (
                        "meta_tsv @@ CAST(CAST(?1 AS TEXT) AS tsquery)".to_owned(),
                        vec![super::sql::Value::Text(meta_query.clone())],
                    ),
                    (None, true) => return Ok(()),
                };
                let n = values.len() + 1;
                values.push(super::sql::Value::Integer(want));
                // Common words first look among the newest rows only (a backward scan
                // that stops early): when that window holds enough matches they are
                // the newest ones overall, as FTS5 gives them. Rarer words go to the
                // GIN index, which would otherwise intersect huge posting lists and
                // sort them (a four-word query on a million documents: 180 ms → 7 ms).
                let window = format!(
                    "SELECT key FROM (SELECT * FROM search_index ORDER BY key DESC LIMIT {PG_NEWEST_WINDOW}) search_index \
                     WHERE {condition} ORDER BY key DESC LIMIT ?{n}"
                );
                let newest: Vec<i64> = self
                    .conn
                    .prepare_cached(&window)?
                    .query_map(values.clone(), |r| r.get(0))?
                    .collect::<super::sql::Result<_>>()?;
                if newest.len() as i64 == want {
                    newest
                } else {
                    let sql = format!("SELECT key FROM search_index WHERE {condition} ORDER BY key DESC LIMIT ?{n}");
                    self.conn
                        .prepare_cached(&sql)?
                        .query_map(values, |r| r.get(0))?
                        .collect::<super::sql::Result<_>>()?
                }
            } else {
                let Some(expr) = match_expr(column, words, prefix, &query.filters) else { return Ok(()) };
                let mut stmt = self.conn.prepare_cached(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
                )?;
                stmt.query_map(params![expr, (wanted + found.len()) as i64], |r| r.get(0))?
                    .collect::<super::sql::Result<_>>()?
            };
            let seen: std::collections::HashSet<i64> = found.iter().map(|c| c.key).collect();
            let mut new: Vec<i64> = Vec::new();
            for key in rows {
                if found.len() + new.len() < wanted && !seen.contains(&key) && !new.contains(&key) {
                    new.push(key);
                }
            }
            // One query per kind for all the candidates' titles, not one per candidate:
            // a round trip to a server costs what a whole search may take.
            let titles = self.title_lines_of(&new)?;
            for key in new {
                let title = titles.get(&key).map(Vec::as_slice).unwrap_or_default();
                let title: Vec<&str> = title.iter().map(String::as_str).collect();
                let (title_match, title_words) = (ranking.title_match(&title), ranking.title_words(&title));
                found.push(Candidate { key, exact, title: title_match, title_words });
            }
            Ok(())
        };
        if exact_words != folded_words {
            run("exact", &exact_words, true, &mut found)?;
        }
        if found.len() < wanted {
            run("folded", &folded_words, false, &mut found)?;
        }
        found.sort_by_key(|c| rank_key(c.title, c.title_words, c.exact, c.key));
        found.truncate(limit);
        let mut hits = self.hits_of(&found.iter().map(|c| c.key).collect::<Vec<_>>())?;
        Ok(found
            .into_iter()
            .filter_map(|c| hits.remove(&c.key).map(|hit| SearchHit { exact: c.exact, ..hit }))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ImportOptions;

    const BASE: &str = include_str!("../../../assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");

    fn store_with(subjects: &[&str]) -> (Store, Vec<i64>) {
        let mut store = Store::open_in_memory().unwrap();
        let base = parse_document(BASE).unwrap();
        let ids = subjects
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut d = base.clone();
                d.subject = Some((*s).to_owned());
                d.number = Some(format!("{:02}", i + 1));
                store.import_document(&d, &ImportOptions::default()).unwrap()
            })
            .collect();
        (store, ids)
    }

    fn ids(store: &Store, text: &str) -> Vec<i64> {
        store.search(&SearchQuery::new(text)).unwrap().into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn vietnamese_pairs_are_found_without_diacritics() {
        let (store, id) = store_with(&[
            "Về việc sửa chữa đường giao thông nông thôn",
            "Về việc trồng cây phân tán ở Bình Dương",
            "Về kiện toàn Đảng ủy cơ quan",
        ]);
        let qd = ids(&store, "quyet dinh");
        assert_eq!(qd.len(), 3, "every sample is a Quyết định: {qd:?}");
        assert_eq!(ids(&store, "dang uy"), vec![id[2]]);
        let duong = ids(&store, "duong");
        assert!(duong.contains(&id[0]) && duong.contains(&id[1]) && duong.len() == 2, "{duong:?}");
        let hits = store.search(&SearchQuery::new("đường")).unwrap();
        assert_eq!(hits[0].id, id[0], "the exact spelling ranks first: {hits:?}");
        assert!(hits[0].exact);
        assert!(hits.iter().any(|h| h.id == id[1] && !h.exact), "folded matches follow: {hits:?}");
    }

    #[test]
    fn fts_syntax_in_the_query_is_text_and_filters_narrow() {
        let (mut store, id) = store_with(&["Thực hiện Chỉ thị 77/CT-ĐQX", "Kế hoạch Quỳnh Lưu"]);
        assert_eq!(ids(&store, "CT-ĐQX"), vec![id[0]]);
        assert_eq!(ids(&store, "ct-dqx"), vec![id[0]]);
        for odd in ["\"", "AND", "*", "(", "NEAR(", "a OR", "\"\"\"", "   "] {
            store.search(&SearchQuery::new(odd)).unwrap();
        }
        let mut q = SearchQuery::new("quynh luu");
        q.filters.state = Some("issued".into());
        assert_eq!(store.search(&q).unwrap().len(), 1);
        q.filters.state = Some("draft".into());
        assert!(store.search(&q).unwrap().is_empty());
        // The index follows edits: a changed state is found by its new filter.
        store.conn.execute("UPDATE documents SET state = 'draft' WHERE id = ?1", [id[1]]).unwrap();
        store.write(|_| Ok(())).unwrap();
        assert_eq!(store.search(&q).unwrap().len(), 1);
        let mut prefix = SearchQuery::new("chi thi 77/ct-dq");
        prefix.prefix = true;
        assert_eq!(store.search(&prefix).unwrap().iter().map(|h| h.id).collect::<Vec<_>>(), vec![id[0]]);
    }

    #[test]
    fn a_title_match_ranks_before_a_newer_body_match_and_hits_carry_snippets() {
        let base = parse_document(BASE).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let mut titled = base.clone();
        titled.subject = Some("Ban hành Quy chế làm việc của Tổ công tác".into());
        titled.number = Some("01".into());
        let titled = store.import_document(&titled, &ImportOptions::default()).unwrap();
        let mut body = base.clone();
        body.subject = Some("Về việc kiện toàn Tổ công tác".into());
        body.number = Some("02".into());
        let block = body.body.iter_mut().find(|b| b.text.is_some()).unwrap();
        block.text = Some("Tổ công tác hoạt động theo quy chế làm việc do Chủ tịch ban hành.".into());
        let body = store.import_document(&body, &ImportOptions::default()).unwrap();
        let hits = store.search(&SearchQuery::new("quy che lam viec")).unwrap();
        let order: Vec<i64> = hits.iter().map(|h| h.id).collect();
        assert_eq!(order, vec![titled, body], "the title match first although older: {hits:?}");
        let snippet = hits[1].snippet.as_ref().expect("a body match shows where it matched");
        let marked: Vec<&str> = snippet.marks.iter().map(|(a, b)| &snippet.text[*a..*b]).collect();
        assert_eq!(marked, vec!["quy", "chế", "làm", "việc"], "{snippet:?}");
        assert!(snippet.text.contains("Chủ tịch"), "the original text, diacritics kept: {snippet:?}");
    }

    #[test]
    fn only_the_word_being_typed_is_a_prefix() {
        let (store, id) = store_with(&["Kế hoạch Quỳnh Yên", "Về Quỳnh Phụ"]);
        let typed = |text: &str| {
            let q = SearchQuery { prefix: true, ..SearchQuery::new(text) };
            let mut found: Vec<i64> = store.search(&q).unwrap().into_iter().map(|h| h.id).collect();
            found.sort();
            found
        };
        assert_eq!(typed("quyn"), vec![id[0], id[1]], "a word being typed is a prefix");
        assert_eq!(typed("quyn "), Vec::<i64>::new(), "a word followed by a space is complete");
        assert_eq!(typed("quynh l"), vec![id[0], id[1]], "the lone letter waits, `quynh` is whole");
        assert_eq!(typed("quỳnh yê"), vec![id[0]]);
        assert_eq!(typed("ke hoach quynh ye"), vec![id[0]]);
    }
}
