//! Queues of documents awaiting the user: Duyệt / Ký (content review, signing) and
//! Văn thư (format check, number and date, issue, file). What appears is what the
//! core's workflow table lets the user's roles do.

use iced::widget::{button, column, row, scrollable, text, text_input};
use iced::{Element, Length};
use vanthu_core::model::{Family, OutgoingState};
use vanthu_core::store::DocumentSummary;
use vanthu_core::workflow::Action;

use crate::gui::session::{Ctx, Go};
use crate::gui::{font, theme};

/// Which queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Content review and signing.
    Review,
    /// The văn thư's steps.
    VanThu,
}

impl Kind {
    pub(crate) fn actions(self) -> &'static [Action] {
        match self {
            Kind::Review => &[Action::Approve, Action::Sign],
            Kind::VanThu => &[Action::CheckFormat, Action::Number, Action::Issue, Action::File],
        }
    }
}

/// Page state.
#[derive(Debug)]
pub struct State {
    kind: Kind,
    rows: Vec<(DocumentSummary, Vec<Action>)>,
    /// The filter typed (trích yếu, number, issuer, kind; diacritics and đ/d folded).
    filter: String,
    error: Option<String>,
}

/// Messages of a queue.
#[derive(Debug, Clone)]
pub enum Message {
    /// Open a document.
    Open(i64),
    /// Reload.
    Refresh,
    /// The filter changed.
    Filter(String),
}

impl State {
    /// The error shown on the page, if any (the shell shows no toast repeating it).
    pub fn shown_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Loads the queue.
    pub fn new(kind: Kind, ctx: &Ctx<'_>) -> Self {
        let mut state = State { kind, rows: Vec::new(), filter: String::new(), error: None };
        let today = chrono::Local::now().date_naive();
        match ctx.store.queue_for(ctx.actor, kind.actions(), today) {
            Ok(rows) => state.rows = rows,
            Err(e) => state.error = Some(e.to_string()),
        }
        state
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, ctx: &mut Ctx<'_>) -> Go {
        match message {
            Message::Open(id) => Go::Document(id),
            Message::Refresh => {
                let filter = std::mem::take(&mut self.filter);
                *self = State::new(self.kind, ctx);
                self.filter = filter;
                Go::Stay
            }
            Message::Filter(text) => {
                self.filter = vanthu_core::text::nfc(&text);
                Go::Stay
            }
        }
    }

    /// The rows the filter keeps: every word typed (diacritics and đ/d folded) is
    /// in the trích yếu, number, issuer or kind.
    fn shown(&self) -> Vec<&(DocumentSummary, Vec<Action>)> {
        let words: Vec<String> = vanthu_core::text::fold(&self.filter).split_whitespace().map(str::to_owned).collect();
        self.rows
            .iter()
            .filter(|(d, _)| {
                let family = Family::from_code(&d.family).unwrap_or(Family::State);
                let kind = vanthu_core::ruleset::kind_name(family, &d.kind).unwrap_or(&d.kind);
                let hay = vanthu_core::text::fold(&format!(
                    "{} {} {} {kind}",
                    d.subject.as_deref().unwrap_or(""),
                    d.reference(),
                    d.issuer,
                ));
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .collect()
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let (title, hint) = match self.kind {
            Kind::Review => ("Văn bản chờ duyệt, chờ ký", "Văn bản chờ bạn duyệt nội dung hoặc ký."),
            Kind::VanThu => ("Việc của văn thư", "Kiểm tra thể thức, cấp số và ngày, phát hành, lập hồ sơ."),
        };
        let mut list = column![
            row![
                text("Số, ký hiệu").width(Length::Fixed(130.0)),
                text("Loại").width(Length::Fixed(110.0)),
                text("Trích yếu, cơ quan ban hành").width(Length::Fill),
                text("Trạng thái").width(Length::Fixed(170.0)),
                text("Việc cần làm").width(Length::Fixed(150.0)),
            ]
            .spacing(8)
            .padding([0, 5]),
            iced::widget::rule::horizontal(1),
        ]
        .spacing(4);
        let shown = self.shown();
        if self.rows.is_empty() {
            list = list.push(text("Không có văn bản nào chờ bạn.").color(theme::MUTED));
        } else if shown.is_empty() {
            list = list.push(text("Không có văn bản nào khớp bộ lọc.").color(theme::MUTED));
        }
        for (d, actions) in shown {
            let family = Family::from_code(&d.family).unwrap_or(Family::State);
            let kind = vanthu_core::ruleset::kind_name(family, &d.kind).unwrap_or(&d.kind);
            let state = OutgoingState::from_code(&d.state).map_or("", |s| s.label());
            let next: Vec<&str> = actions.iter().map(|a| a.label()).collect();
            list = list.push(
                button(
                    row![
                        // The office's number (2542/UBND-KT, 15-NQ/TU), "Dự thảo" before
                        // numbering: the trích yếu beside it names the draft.
                        text(d.reference()).width(Length::Fixed(130.0)),
                        text(kind).width(Length::Fixed(110.0)),
                        column![
                            text(d.subject.as_deref().unwrap_or("")),
                            text(d.issuer.as_str()).size(12).color(theme::MUTED)
                        ]
                        .width(Length::Fill),
                        text(state).width(Length::Fixed(170.0)),
                        text(next.join(", ")).color(theme::ACCENT).width(Length::Fixed(150.0)),
                    ]
                    .spacing(8),
                )
                .on_press(Message::Open(d.id))
                .style(button::text)
                .width(Length::Fill),
            );
        }
        let mut page = column![
            row![
                column![text(title).size(theme::TITLE).font(font::BOLD), text(hint).color(theme::MUTED)]
                    .width(Length::Fill),
                button(text("Làm mới")).on_press(Message::Refresh).style(button::secondary),
            ],
            text_input("Lọc theo trích yếu, số, cơ quan, loại (gõ không dấu cũng được)", &self.filter)
                .on_input(Message::Filter)
                .padding(6),
            text(format!("{} văn bản", self.shown().len())).font(font::BOLD),
        ]
        .spacing(theme::GAP);
        if let Some(e) = &self.error {
            page = page.push(text(crate::gui::session::sentence(e)).color(theme::ERROR));
        }
        page.push(scrollable(list).height(Length::Fill)).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::testing::Fixture;

    #[test]
    fn queues_hold_what_the_roles_may_do() {
        let mut f = Fixture::demo("lythihongnhung");
        let ctx = f.ctx();
        let vt = State::new(Kind::VanThu, &ctx);
        assert!(!vt.rows.is_empty());
        assert!(
            vt.rows.iter().all(|(d, _)| matches!(d.state.as_str(), "format_check" | "signed" | "numbered" | "issued"))
        );
        let review = State::new(Kind::Review, &ctx);
        assert!(review.rows.is_empty(), "a văn thư neither approves nor signs");
        // The filter folds diacritics and đ/d and keeps the rows of every word typed.
        let mut ctx = ctx;
        let mut vt = vt;
        let (first, _) = vt.rows[0].clone();
        let subject = first.subject.clone().unwrap_or_default();
        let word = subject.split_whitespace().max_by_key(|w| w.chars().count()).unwrap().to_owned();
        vt.update(Message::Filter(vanthu_core::text::fold(&word)), &mut ctx);
        assert!(vt.shown().iter().any(|(d, _)| d.id == first.id), "{word}");
        vt.update(Message::Filter("không có văn bản nào như thế này".into()), &mut ctx);
        assert!(vt.shown().is_empty());
        vt.update(Message::Refresh, &mut ctx);
        assert!(vt.shown().is_empty(), "a refresh keeps the filter");
        vt.update(Message::Filter(String::new()), &mut ctx);
        assert_eq!(vt.shown().len(), vt.rows.len());
        // Tờ trình 14 prints Hoàng Minh Đức: it waits in his queue, not his deputy's.
        let mut f = Fixture::demo("hoangminhduc");
        let ctx = f.ctx();
        let review = State::new(Kind::Review, &ctx);
        assert!(review.rows.iter().all(|(d, _)| d.state == "awaiting_signature"));
        assert!(review.rows.iter().any(|(d, actions)| d.id == 14 && actions == &[Action::Sign]));
        let mut f = Fixture::demo("lethithuha");
        let ctx = f.ctx();
        assert!(State::new(Kind::Review, &ctx).rows.iter().all(|(d, _)| d.id != 14));
    }
}
