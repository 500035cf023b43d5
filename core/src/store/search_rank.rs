//! Ranking and snippets of search hits.
//!
//! The index finds the candidates newest first (so that a common word on a million
//! documents stops after a few hundred rows); they are then ranked by where the
//! words are, as a reader weighs them (the title outweighs the body, as in BM25F):
//! 1. the query is the title (tên loại, trích yếu, number and symbol; dossier title)
//!    or a phrase of a line of it: `quyet dinh` finds every quyết định first;
//! 2. every word of the query is in the title;
//! 3. some words are in the title, the more the better, the others elsewhere;
//! 4. the words are only elsewhere (body, issuer, signer…).
//!
//! Within a rank, spellings that match the query's diacritics come first, then the
//! newest. The ranking uses only the candidates' titles, never an engine's score,
//! so SQLite (FTS5) and PostgreSQL (tsvector) give the same hits in the same order.
//! The snippet is cut from the original text (case and diacritics as written) around
//! the first matched word.

use serde::Serialize;

use crate::text::fold;

/// A line of a hit's text with the words that matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The text shown, as written (with "…" where it was cut).
    pub text: String,
    /// Byte ranges of `text` (UTF-8) that matched a word of the query.
    pub marks: Vec<(usize, usize)>,
}

/// How well a candidate's title matches the query (lower is better).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TitleMatch {
    /// The title (or a line of it) contains the query as a phrase.
    Phrase,
    /// Every word of the query is in the title.
    AllWords,
    /// The query matched elsewhere.
    Elsewhere,
}

/// A query split into folded words, for ranking and snippets.
#[derive(Debug, Clone)]
pub(crate) struct QueryWords {
    words: Vec<String>,
    /// The last word is being typed (a prefix).
    prefix: bool,
}

/// The words of `text` folded (lower case, no marks, đ→d), split where FTS5's
/// `unicode61` tokenizer splits: on anything that is not a letter or a digit.
fn folded_words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

impl QueryWords {
    /// The words of a query as typed.
    pub(crate) fn new(text: &str, prefix: bool) -> Self {
        QueryWords { words: folded_words(text), prefix }
    }

    fn matches(&self, index: usize, word: &str) -> bool {
        let wanted = &self.words[index];
        let last = index + 1 == self.words.len();
        word == wanted || (self.prefix && last && word.starts_with(wanted.as_str()))
    }

    fn matches_any(&self, word: &str) -> bool {
        (0..self.words.len()).any(|i| self.matches(i, word))
    }

    /// How many words of the query are in the title lines.
    pub(crate) fn title_words(&self, title_lines: &[&str]) -> usize {
        let all: Vec<String> = title_lines.iter().flat_map(|l| folded_words(l)).collect();
        (0..self.words.len()).filter(|i| all.iter().any(|w| self.matches(*i, w))).count()
    }

    /// How the title lines match the query.
    pub(crate) fn title_match(&self, title_lines: &[&str]) -> TitleMatch {
        if self.words.is_empty() {
            return TitleMatch::Elsewhere;
        }
        let mut all: Vec<String> = Vec::new();
        for line in title_lines {
            let words = folded_words(line);
            let n = self.words.len();
            if words.len() >= n && (0..=words.len() - n).any(|s| (0..n).all(|i| self.matches(i, &words[s + i]))) {
                return TitleMatch::Phrase;
            }
            all.extend(words);
        }
        if (0..self.words.len()).all(|i| all.iter().any(|w| self.matches(i, w))) {
            TitleMatch::AllWords
        } else {
            TitleMatch::Elsewhere
        }
    }

    /// The words of `line` (byte ranges in it) that match the query.
    fn marks(&self, line: &str) -> Vec<(usize, usize)> {
        let mut marks = Vec::new();
        let mut start: Option<usize> = None;
        let mut folded = String::new();
        let mut close = |start: &mut Option<usize>, end: usize, folded: &mut String| {
            if let Some(s) = start.take()
                && self.matches_any(folded)
            {
                marks.push((s, end));
            }
            folded.clear();
        };
        for (at, c) in line.char_indices() {
            let f = fold(c.encode_utf8(&mut [0; 4]));
            if !f.is_empty() && f.chars().all(char::is_alphanumeric) {
                start.get_or_insert(at);
                folded.push_str(&f);
            } else if f.is_empty() && start.is_some() {
                // A lone combining mark stays in its word.
            } else {
                close(&mut start, at, &mut folded);
            }
        }
        close(&mut start, line.len(), &mut folded);
        marks
    }

    /// The snippet of `lines`: the first line with the most matched words, cut to
    /// about `width` characters around its first match.
    pub(crate) fn snippet<'a>(&self, lines: impl IntoIterator<Item = &'a str>, width: usize) -> Option<Snippet> {
        if self.words.is_empty() {
            return None;
        }
        let mut best: Option<(&str, Vec<(usize, usize)>)> = None;
        for line in lines {
            let marks = self.marks(line);
            if !marks.is_empty() && best.as_ref().is_none_or(|(_, b)| marks.len() > b.len()) {
                best = Some((line, marks));
            }
        }
        best.map(|(line, marks)| cut(line, &marks, width))
    }
}

/// Cuts `line` to about `width` characters around its first mark, at word
/// boundaries, with "…" where text was left out.
fn cut(line: &str, marks: &[(usize, usize)], width: usize) -> Snippet {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    if chars.len() <= width {
        return Snippet { text: line.to_owned(), marks: marks.to_vec() };
    }
    let first = marks[0].0;
    let first_char = chars.iter().position(|(b, _)| *b == first).unwrap_or(0);
    let mut from = first_char.saturating_sub(width / 3);
    while from > 0 && !chars[from - 1].1.is_whitespace() {
        from -= 1;
    }
    let mut to = (from + width).min(chars.len());
    while to < chars.len() && !chars[to].1.is_whitespace() && to - from < width + 20 {
        to += 1;
    }
    let start = chars[from].0;
    let end = chars.get(to).map_or(line.len(), |(b, _)| *b);
    let lead = if from > 0 { "…" } else { "" };
    let tail = if end < line.len() { "…" } else { "" };
    let body = line[start..end].trim_end();
    let shift = lead.len();
    let kept = marks
        .iter()
        .filter(|(s, e)| *s >= start && *e <= start + body.len())
        .map(|(s, e)| (s - start + shift, e - start + shift))
        .collect();
    Snippet { text: format!("{lead}{body}{tail}"), marks: kept }
}

/// The sort key of a candidate: title match, then how many query words its title
/// holds (more first), then diacritics matched, then newest (higher key) first.
pub(crate) fn rank_key(title: TitleMatch, title_words: usize, exact: bool, key: i64) -> (TitleMatch, i64, bool, i64) {
    (title, -(title_words as i64), !exact, -key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_match_tiers() {
        let q = QueryWords::new("Quyết định thành lập", false);
        assert_eq!(q.title_match(&["Về việc quyết định thành lập tổ công tác"]), TitleMatch::Phrase);
        assert_eq!(q.title_match(&["Thành lập tổ", "quyết định"]), TitleMatch::AllWords);
        assert_eq!(q.title_match(&["Về việc thành lập"]), TitleMatch::Elsewhere);
        let typing = QueryWords::new("dang u", true);
        assert_eq!(typing.title_match(&["Kiện toàn Đảng ủy cơ quan"]), TitleMatch::Phrase);
        let number = QueryWords::new("15/QĐ-UBND", false);
        assert_eq!(number.title_match(&["Về việc …", "15/QĐ-UBND"]), TitleMatch::Phrase);
    }

    #[test]
    fn snippets_keep_the_original_text_and_mark_folded_matches() {
        let q = QueryWords::new("duong giao thong", false);
        let text =
            "Về việc sửa chữa\n15/QĐ-UBND\nỦy ban nhân dân tỉnh\nSửa chữa Đường giao thông nông thôn xã Yên Hòa.";
        let s = q.snippet(text.lines().skip(2), 160).unwrap();
        assert_eq!(s.text, "Sửa chữa Đường giao thông nông thôn xã Yên Hòa.");
        let marked: Vec<&str> = s.marks.iter().map(|(a, b)| &s.text[*a..*b]).collect();
        assert_eq!(marked, vec!["Đường", "giao", "thông"]);
        assert!(q.snippet("Về việc\n15\nkhông có gì".lines().skip(2), 160).is_none());
    }

    #[test]
    fn long_lines_are_cut_around_the_match_at_word_boundaries() {
        let q = QueryWords::new("tiếp nhận", false);
        let line = format!("{} tiếp nhận hồ sơ {}", "mở đầu ".repeat(60), "kết thúc ".repeat(60));
        let s = q.snippet([line.as_str()], 80).unwrap();
        assert!(s.text.starts_with('…') && s.text.ends_with('…'), "{}", s.text);
        assert!(s.text.chars().count() <= 110, "{}", s.text);
        let marked: Vec<&str> = s.marks.iter().map(|(a, b)| &s.text[*a..*b]).collect();
        assert_eq!(marked, vec!["tiếp", "nhận"]);
        for (a, b) in &s.marks {
            assert!(s.text.is_char_boundary(*a) && s.text.is_char_boundary(*b));
        }
    }

    #[test]
    fn rank_orders_title_then_title_words_then_diacritics_then_newest() {
        let mut keys = [
            (rank_key(TitleMatch::Elsewhere, 0, true, 40), 40),
            (rank_key(TitleMatch::Phrase, 2, false, 4), 4),
            (rank_key(TitleMatch::AllWords, 2, true, 8), 8),
            (rank_key(TitleMatch::Phrase, 2, true, 12), 12),
            (rank_key(TitleMatch::Elsewhere, 1, true, 44), 44),
            (rank_key(TitleMatch::Elsewhere, 1, false, 52), 52),
            (rank_key(TitleMatch::Elsewhere, 0, true, 48), 48),
        ];
        keys.sort();
        let order: Vec<i64> = keys.iter().map(|(_, k)| *k).collect();
        assert_eq!(order, vec![12, 4, 8, 44, 52, 48, 40]);
    }

    #[test]
    fn title_words_count_each_query_word_once() {
        let q = QueryWords::new("quyet dinh chuyen doi so", false);
        assert_eq!(q.title_words(&["Quyết định", "Về đẩy mạnh chuyển đổi số"]), 5);
        assert_eq!(q.title_words(&["Chuyển đổi số, chuyển đổi số"]), 3);
        assert_eq!(q.title_words(&["Về việc khác"]), 0);
    }

    /// The kind's name is part of the title: `quyet dinh` finds the quyết định first,
    /// before a newer tờ trình that names one in its text; a title holding some of the
    /// words ranks before one holding none; the order is the engine's no more.
    #[test]
    fn the_kind_counts_as_title_and_partial_titles_rank_before_body_matches() {
        use crate::exchange::parse_document;
        use crate::store::{ImportOptions, SearchQuery, Store};
        let base = parse_document(include_str!(
            "../../../assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json"
        ))
        .unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let mut decision = base.clone();
        decision.subject = Some("Về việc thành lập Tổ công tác".into());
        decision.number = Some("11".into());
        let decision = store.import_document(&decision, &ImportOptions::default()).unwrap();
        let mut report = base.clone();
        report.kind = crate::model::KindCode::new("to-trinh").unwrap();
        report.subject = Some("Đề nghị ban hành quy chế".into());
        report.number = Some("12".into());
        let block = report.body.iter_mut().find(|b| b.text.is_some()).unwrap();
        block.text = Some("Kính trình Chủ tịch xem xét, ký quyết định ban hành.".into());
        let report = store.import_document(&report, &ImportOptions::default()).unwrap();
        let mut partial = base.clone();
        partial.kind = crate::model::KindCode::new("to-trinh").unwrap();
        partial.subject = Some("Đề nghị định mức chi".into());
        partial.number = Some("13".into());
        let block = partial.body.iter_mut().find(|b| b.text.is_some()).unwrap();
        block.text = Some("Căn cứ quyết định của Bộ Tài chính.".into());
        let partial = store.import_document(&partial, &ImportOptions::default()).unwrap();
        let hits = store.search(&SearchQuery::new("quyet dinh")).unwrap();
        let order: Vec<i64> = hits.iter().map(|h| h.id).filter(|id| [decision, report, partial].contains(id)).collect();
        assert_eq!(order, vec![decision, partial, report], "{hits:?}");
    }
}
