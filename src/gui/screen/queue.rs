//! Queues of documents awaiting the user: Duyệt / Ký (content review, signing) and
//! Văn thư (format check, number and date, issue, file). What appears is what the
//! core's workflow table lets the user's roles do.

use iced::widget::{button, column, row, scrollable, text};
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
    fn actions(self) -> &'static [Action] {
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
    error: Option<String>,
}

/// Messages of a queue.
#[derive(Debug, Clone)]
pub enum Message {
    /// Open a document.
    Open(i64),
    /// Reload.
    Refresh,
}

impl State {
    /// Loads the queue.
    pub fn new(kind: Kind, ctx: &Ctx<'_>) -> Self {
        let mut state = State { kind, rows: Vec::new(), error: None };
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
                *self = State::new(self.kind, ctx);
                Go::Stay
            }
        }
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let (title, hint) = match self.kind {
            Kind::Review => ("Văn bản chờ duyệt, chờ ký", "Văn bản chờ bạn duyệt nội dung hoặc ký."),
            Kind::VanThu => ("Việc của văn thư", "Kiểm tra thể thức, cấp số và ngày, phát hành, lập hồ sơ."),
        };
        let mut list = column![].spacing(4);
        if self.rows.is_empty() {
            list = list.push(text("Không có văn bản nào chờ bạn.").color(theme::MUTED));
        }
        for (d, actions) in &self.rows {
            let family = Family::from_code(&d.family).unwrap_or(Family::State);
            let kind = vanthu_core::ruleset::kind_name(family, &d.kind).unwrap_or(&d.kind);
            let state = OutgoingState::from_code(&d.state).map_or("", |s| s.label());
            let next: Vec<&str> = actions.iter().map(|a| a.label()).collect();
            list = list.push(
                button(
                    row![
                        text(format!("#{}", d.id)).width(Length::Fixed(50.0)),
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
            text(format!("{} văn bản", self.rows.len())).font(font::BOLD),
        ]
        .spacing(theme::GAP);
        if let Some(e) = &self.error {
            page = page.push(text(e.as_str()).color(theme::ERROR));
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
