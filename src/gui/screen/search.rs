//! Tra cứu: search outgoing and incoming documents and dossiers as you type,
//! with or without diacritics (`dang uy` finds `Đảng ủy`; an accented query ranks
//! exact spellings first), filtered by what, year and state.

use chrono::Datelike;
use iced::widget::text::Span;
use iced::widget::{button, column, container, pick_list, rich_text, row, rule, scrollable, span, text, text_input};
use iced::{Element, Length};
use vanthu_core::model::Incoming;
use vanthu_core::store::{SearchFilters, SearchHit, SearchItem, SearchQuery, Snippet};

use crate::gui::session::{Ctx, Go};
use crate::gui::widget::ime_guard::guard;
use crate::gui::{font, theme};

/// A choice of the "what" filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemChoice(Option<SearchItem>);

impl std::fmt::Display for ItemChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            None => f.write_str("Tất cả"),
            Some(item) => f.write_str(item.label()),
        }
    }
}

/// A choice of the year filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearChoice(Option<i32>);

impl std::fmt::Display for YearChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            None => f.write_str("Mọi năm"),
            Some(y) => write!(f, "{y}"),
        }
    }
}

/// The id of the search box, focused when the page opens.
pub fn input_id() -> iced::widget::Id {
    iced::widget::Id::new("search-query")
}

/// Page state.
#[derive(Debug)]
pub struct State {
    query: String,
    item: ItemChoice,
    year: YearChoice,
    years: Vec<YearChoice>,
    hits: Vec<SearchHit>,
    took_ms: f64,
    incoming: Option<Incoming>,
    error: Option<String>,
}

/// Messages of the page.
#[derive(Debug, Clone)]
pub enum Message {
    /// The query changed (search as you type).
    Query(String),
    /// Enter: search whole words.
    Submit,
    /// Filter by what.
    Item(ItemChoice),
    /// Filter by year.
    Year(YearChoice),
    /// Open a hit.
    Open(SearchItem, i64),
    /// Close the incoming document's card.
    CloseCard,
}

impl State {
    /// The error shown on the page, if any (the shell shows no toast repeating it).
    pub fn shown_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// An empty search.
    pub fn new(ctx: &Ctx<'_>) -> Self {
        let this = ctx.today().year();
        let years =
            std::iter::once(YearChoice(None)).chain((this - 10..=this).rev().map(|y| YearChoice(Some(y)))).collect();
        State {
            query: String::new(),
            item: ItemChoice(None),
            year: YearChoice(None),
            years,
            hits: Vec::new(),
            took_ms: 0.0,
            incoming: None,
            error: None,
        }
    }

    fn run(&mut self, ctx: &Ctx<'_>, prefix: bool) {
        self.error = None;
        if self.query.trim().is_empty() && self.year.0.is_none() && self.item.0.is_none() {
            self.hits.clear();
            return;
        }
        let query = SearchQuery {
            filters: SearchFilters { item: self.item.0, year: self.year.0, ..SearchFilters::default() },
            prefix,
            limit: 100,
            ..SearchQuery::new(&self.query)
        };
        let started = std::time::Instant::now();
        match ctx.store.search_for(ctx.actor, &query) {
            Ok(hits) => self.hits = hits,
            Err(e) => {
                eprintln!("vanthu: search failed: {e}");
                self.error = Some(e.to_string());
                self.hits.clear();
            }
        }
        self.took_ms = started.elapsed().as_secs_f64() * 1000.0;
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, ctx: &mut Ctx<'_>) -> Go {
        match message {
            Message::Query(q) => {
                self.query = q;
                self.run(ctx, true);
            }
            Message::Submit => self.run(ctx, false),
            Message::Item(i) => {
                self.item = i;
                self.run(ctx, true);
            }
            Message::Year(y) => {
                self.year = y;
                self.run(ctx, true);
            }
            Message::Open(SearchItem::Document, id) => return Go::Document(id),
            Message::Open(SearchItem::Dossier, id) => return Go::Dossier(id),
            Message::Open(SearchItem::Incoming, id) => match ctx.store.incoming_record(id) {
                Ok(found) => self.incoming = found,
                Err(e) => self.error = Some(e.to_string()),
            },
            Message::CloseCard => self.incoming = None,
        }
        Go::Stay
    }

    fn card(incoming: &Incoming) -> Element<'_, Message> {
        let line = |label: &'static str, value: String| {
            row![text(label).color(theme::MUTED).width(Length::Fixed(150.0)), text(value)].spacing(8)
        };
        let number = match (&incoming.number, &incoming.notation) {
            (Some(n), Some(s)) => format!("{n}/{s}"),
            (n, s) => n.clone().or_else(|| s.clone()).unwrap_or_default(),
        };
        container(
            column![
                row![
                    text("Văn bản đến").font(font::BOLD).width(Length::Fill),
                    button(text("Đóng").size(13)).on_press(Message::CloseCard).style(button::text),
                ],
                line("Nơi gửi", incoming.sender.clone()),
                line("Số, ký hiệu", number),
                line("Trích yếu", incoming.subject.clone()),
                line("Ngày đến", incoming.arrival_date.format("%d/%m/%Y").to_string()),
                line("Số đến", incoming.arrival_number.map(|n| n.to_string()).unwrap_or_default()),
                line("Tình trạng", incoming.state.label().to_owned()),
            ]
            .spacing(4),
        )
        .padding(12)
        .style(container::rounded_box)
        .into()
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let search = text_input(
            "Tìm theo trích yếu, số ký hiệu, cơ quan, người ký, nội dung… (gõ có dấu hoặc không dấu)",
            &self.query,
        )
        .id(input_id())
        .on_input(Message::Query)
        .on_submit(Message::Submit)
        .padding(10)
        .size(16);
        let items = [None, Some(SearchItem::Document), Some(SearchItem::Incoming), Some(SearchItem::Dossier)]
            .map(ItemChoice)
            .to_vec();
        let filters = row![
            text("Loại:"),
            pick_list(items, Some(self.item), Message::Item),
            text("Năm:"),
            pick_list(self.years.clone(), Some(self.year), Message::Year),
        ]
        .spacing(8)
        .align_y(iced::Center);
        let mut page =
            column![text("Tra cứu").size(theme::TITLE).font(font::BOLD), guard(search), filters].spacing(theme::GAP);
        if let Some(e) = &self.error {
            page = page.push(text(crate::gui::session::sentence(e)).color(theme::ERROR));
        }
        if let Some(incoming) = &self.incoming {
            page = page.push(Self::card(incoming));
        }
        if !self.query.trim().is_empty() || !self.hits.is_empty() {
            page = page.push(
                text(format!("{} kết quả · {:.1} ms", self.hits.len(), self.took_ms)).size(12).color(theme::MUTED),
            );
        }
        let mut list = column![].spacing(2);
        for hit in &self.hits {
            let date = hit
                .date
                .as_deref()
                .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default();
            let mut meta = vec![hit.item.label().to_owned()];
            if !hit.number.is_empty() {
                meta.push(hit.number.clone());
            }
            if !date.is_empty() {
                meta.push(date);
            }
            meta.push(hit.author.clone());
            if let Some(d) = &hit.dossier {
                meta.push(format!("hồ sơ {d}"));
            }
            let mut lines = column![text(hit.subject.as_str()).font(if hit.exact { font::BOLD } else { font::UI })];
            if let Some(snippet) = &hit.snippet {
                lines = lines.push(snippet_text(snippet));
            }
            lines = lines.push(text(meta.join(" · ")).size(12).color(theme::MUTED));
            list = list.push(
                button(lines.spacing(2))
                    .on_press(Message::Open(hit.item, hit.id))
                    .style(button::text)
                    .width(Length::Fill),
            );
            list = list.push(rule::horizontal(1));
        }
        page.push(scrollable(list).height(Length::Fill)).into()
    }
}

/// A snippet with its matched words in bold.
fn snippet_text(snippet: &Snippet) -> Element<'_, Message> {
    let mut spans: Vec<Span<'_, (), iced::Font>> = Vec::new();
    let mut at = 0;
    for &(start, end) in &snippet.marks {
        let (Some(before), Some(word)) = (snippet.text.get(at..start), snippet.text.get(start..end)) else { continue };
        spans.push(span(before).size(13));
        spans.push(span(word).size(13).font(font::BOLD));
        at = end;
    }
    spans.push(span(snippet.text.get(at..).unwrap_or_default()).size(13));
    rich_text(spans).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::testing::Fixture;

    #[test]
    fn typing_without_diacritics_finds_and_accented_ranks_exact_first() {
        let mut f = Fixture::demo("lythihongnhung");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        state.update(Message::Query("quyet dinh".into()), &mut ctx);
        assert!(!state.hits.is_empty());
        assert!(
            state.hits.iter().any(|h| h.subject.contains("Quyết định")
                || h.author.contains("QUYẾT")
                || h.item == SearchItem::Document)
        );
        // Search as you type: a prefix of a word already finds.
        state.update(Message::Query("uy ban nhan d".into()), &mut ctx);
        let typed = state.hits.len();
        assert!(typed > 0, "prefix search finds the issuer");
        state.update(Message::Item(ItemChoice(Some(SearchItem::Dossier))), &mut ctx);
        assert!(state.hits.iter().all(|h| h.item == SearchItem::Dossier));
        state.update(Message::Item(ItemChoice(None)), &mut ctx);
        state.update(Message::Query("hồ sơ".into()), &mut ctx);
        assert!(state.hits.first().is_some_and(|h| h.exact), "accented query ranks exact matches first");
        // A dossier hit opens the dossier page; an incoming hit shows its card.
        state.update(Message::Query("van thu luu tru".into()), &mut ctx);
        let dossier = state.hits.iter().find(|h| h.item == SearchItem::Dossier).expect("the demo dossier");
        assert!(matches!(state.update(Message::Open(SearchItem::Dossier, dossier.id), &mut ctx), Go::Dossier(_)));
        state.update(Message::Item(ItemChoice(Some(SearchItem::Incoming))), &mut ctx);
        state.update(Message::Query("".into()), &mut ctx);
        let incoming = state.hits.first().expect("incoming documents").id;
        state.update(Message::Open(SearchItem::Incoming, incoming), &mut ctx);
        assert_eq!(state.incoming.as_ref().map(|i| i.id), Some(incoming));
        // Query syntax is text.
        state.update(Message::Query("NĐ-CP \"".into()), &mut ctx);
        assert!(state.error.is_none(), "{:?}", state.error);
    }
}
