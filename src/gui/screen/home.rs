//! The signed-in user's home page: documents by state, the document list and
//! the incoming register.

use iced::widget::{button, column, container, row, rule, scrollable, text};
use iced::{Element, Length};
use vanthu_core::model::{Family, Incoming, OutgoingState};
use vanthu_core::store::DocumentSummary;
use vanthu_core::{Actor, Store};

use crate::gui::app::Action;
use crate::gui::{font, theme};

/// Page state.
#[derive(Debug)]
pub struct State {
    actor: Actor,
    counts: Vec<(OutgoingState, i64)>,
    documents: Vec<DocumentSummary>,
    incoming: Vec<Incoming>,
    today: chrono::NaiveDate,
    error: Option<String>,
}

/// Messages of the home page.
#[derive(Debug, Clone)]
pub enum Message {
    /// Reload the lists.
    Refresh,
    /// Log out.
    Logout,
}

impl State {
    /// Loads the page for `actor`.
    pub fn new(actor: Actor, store: &Store) -> Self {
        let mut state = State {
            actor,
            counts: Vec::new(),
            documents: Vec::new(),
            incoming: Vec::new(),
            today: chrono::Local::now().date_naive(),
            error: None,
        };
        state.reload(store);
        state
    }

    fn reload(&mut self, store: &Store) {
        let loaded =
            store.count_documents_by_state().and_then(|c| Ok((c, store.list_documents()?, store.list_incoming()?)));
        match loaded {
            Ok((counts, documents, incoming)) => {
                self.counts = counts;
                self.documents = documents;
                self.incoming = incoming;
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, store: &mut Store) -> Action {
        match message {
            Message::Refresh => {
                self.reload(store);
                Action::None
            }
            Message::Logout => Action::Logout,
        }
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let user = self.actor.user();
        let roles: Vec<&str> = user.roles.iter().map(|r| r.label()).collect();
        let header = row![
            column![
                text(format!("Xin chào, {}", user.full_name)).size(theme::TITLE).font(font::BOLD),
                text(format!("Vai trò: {}", roles.join(", "))).color(theme::MUTED),
            ]
            .width(Length::Fill),
            button(text("Làm mới")).on_press(Message::Refresh).style(button::secondary),
            button(text("Đăng xuất")).on_press(Message::Logout).style(button::secondary),
        ]
        .spacing(theme::GAP);

        let mut counts = row![].spacing(theme::GAP);
        for (state, n) in &self.counts {
            counts = counts.push(
                container(column![
                    text(n.to_string()).size(theme::HEADING).font(font::BOLD),
                    text(state.label()).size(12)
                ])
                .padding(8)
                .style(container::rounded_box),
            );
        }

        let mut documents = column![text("Văn bản đi").size(theme::HEADING).font(font::BOLD)].spacing(4);
        for d in &self.documents {
            documents = documents.push(document_line(d));
        }
        let mut incoming = column![text("Văn bản đến").size(theme::HEADING).font(font::BOLD)].spacing(4);
        for i in &self.incoming {
            incoming = incoming.push(self.incoming_line(i));
        }
        let mut page =
            column![header, scrollable(counts).direction(scrollable::Direction::Horizontal(Default::default()))]
                .spacing(theme::GAP)
                .padding(20);
        if let Some(error) = &self.error {
            page = page.push(text(error.as_str()).color(theme::ERROR));
        }
        page.push(rule::horizontal(1))
            .push(
                scrollable(column![documents, rule::horizontal(1), incoming].spacing(theme::GAP)).height(Length::Fill),
            )
            .into()
    }

    fn incoming_line<'a>(&'a self, i: &'a Incoming) -> Element<'a, Message> {
        let number = i.arrival_number.map_or_else(|| "—".to_owned(), |n| n.to_string());
        let symbol = match (&i.number, &i.notation) {
            (Some(n), Some(s)) => format!("{n}/{s}"),
            (Some(n), None) => n.clone(),
            _ => String::new(),
        };
        let deadline = match i.deadline {
            Some(d) if i.state.is_open() && d < self.today => {
                text(format!("Quá hạn {}", d.format("%d/%m/%Y"))).color(theme::WARNING)
            }
            Some(d) => text(format!("Hạn {}", d.format("%d/%m/%Y"))).color(theme::MUTED),
            None => text(""),
        };
        row![
            text(format!("Số đến {number}")).width(Length::Fixed(110.0)),
            text(i.arrival_date.format("%d/%m/%Y").to_string()).width(Length::Fixed(100.0)),
            text(format!("{} {symbol}", i.sender)).width(Length::FillPortion(2)),
            text(i.subject.as_str()).width(Length::FillPortion(4)),
            text(i.state.label()).width(Length::Fixed(130.0)),
            deadline.width(Length::Fixed(150.0)),
        ]
        .spacing(8)
        .into()
    }
}

fn document_line(d: &DocumentSummary) -> Element<'_, Message> {
    let family = Family::from_code(&d.family).unwrap_or(Family::State);
    let kind = vanthu_core::ruleset::kind_name(family, &d.kind).unwrap_or(&d.kind);
    let symbol = match (&d.number, &d.notation) {
        (Some(n), Some(s)) if family == Family::Party => format!("{n}-{s}"),
        (Some(n), Some(s)) => format!("{n}/{s}"),
        _ => "(chưa cấp số)".to_owned(),
    };
    let state = OutgoingState::from_code(&d.state).map_or(d.state.as_str(), |s| s.label());
    row![
        text(symbol).width(Length::Fixed(150.0)),
        text(kind).width(Length::Fixed(110.0)),
        text(d.subject.as_deref().unwrap_or("")).width(Length::Fill),
        text(state).width(Length::Fixed(170.0)),
    ]
    .spacing(8)
    .into()
}
