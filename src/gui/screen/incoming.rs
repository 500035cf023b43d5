//! Văn bản đến: receive incoming mail, register it (số đến), present it, assign it
//! with a deadline in working days, start and resolve. Each row offers the steps
//! the core's incoming table allows the user.

use iced::widget::{button, center, column, container, opaque, pick_list, row, scrollable, stack, text, text_input};
use iced::{Element, Length};
use vanthu_core::model::{Incoming, IncomingState, User};
use vanthu_core::store::{Assignment, NewIncoming};
use vanthu_core::workflow::IncomingAction;

use crate::gui::session::{Ctx, Go};
use crate::gui::widget::ime_guard::guard;
use crate::gui::{font, theme};

/// The form for a newly received document.
#[derive(Debug, Default, Clone)]
pub struct Receive {
    sender: String,
    number: String,
    notation: String,
    subject: String,
}

/// The assignment dialog.
#[derive(Debug, Clone)]
pub struct Assign {
    id: i64,
    handler: Option<Handler>,
    days: String,
}

/// A user who may handle a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handler(String, String);

impl std::fmt::Display for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.1, self.0)
    }
}

/// Page state.
#[derive(Debug)]
pub struct State {
    rows: Vec<(Incoming, Vec<IncomingAction>)>,
    handlers: Vec<Handler>,
    may_receive: bool,
    receive: Receive,
    assign: Option<Assign>,
    error: Option<String>,
}

/// Messages of the page.
#[derive(Debug, Clone)]
pub enum Message {
    /// Receive form: sender.
    Sender(String),
    /// Receive form: their number.
    Number(String),
    /// Receive form: their symbol.
    Notation(String),
    /// Receive form: trích yếu.
    Subject(String),
    /// Record the received document.
    Receive,
    /// A step on a row (Assign opens the dialog).
    Act(i64, IncomingAction),
    /// Dialog: handler.
    Handler(Handler),
    /// Dialog: working days.
    Days(String),
    /// Dialog: assign.
    ConfirmAssign,
    /// Close the dialog.
    Close,
}

impl State {
    /// Loads the page.
    pub fn new(ctx: &Ctx<'_>) -> Self {
        let mut state = State {
            rows: Vec::new(),
            handlers: Vec::new(),
            may_receive: ctx.actor.has(vanthu_core::model::Role::VanThu),
            receive: Receive::default(),
            assign: None,
            error: None,
        };
        state.reload(ctx);
        state
    }

    fn reload(&mut self, ctx: &Ctx<'_>) {
        let user = ctx.actor.user();
        let agency = user.agency_id;
        match ctx.store.incoming_queue_for(ctx.actor) {
            Ok(rows) => self.rows = rows,
            Err(e) => self.error = Some(e.to_string()),
        }
        self.handlers = ctx
            .store
            .users()
            .unwrap_or_default()
            .into_iter()
            .filter(|u: &User| u.active && (agency.is_none() || u.agency_id == agency))
            .map(|u| Handler(u.username, u.full_name))
            .collect();
    }

    /// Whether a dialog is open.
    pub fn has_dialog(&self) -> bool {
        self.assign.is_some()
    }

    /// Rows (tests).
    #[cfg(test)]
    pub fn rows(&self) -> &[(Incoming, Vec<IncomingAction>)] {
        &self.rows
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, ctx: &mut Ctx<'_>) -> Go {
        let nfc = vanthu_core::text::nfc;
        match message {
            Message::Sender(v) => self.receive.sender = nfc(&v),
            Message::Number(v) => self.receive.number = nfc(&v),
            Message::Notation(v) => self.receive.notation = nfc(&v),
            Message::Subject(v) => self.receive.subject = nfc(&v),
            Message::Receive => {
                let Some(agency_id) = ctx.store.default_receiving_agency(ctx.actor).ok().flatten() else {
                    return Go::Error("Tài khoản chưa gắn với cơ quan.".into());
                };
                let r = &self.receive;
                if r.sender.trim().is_empty() || r.subject.trim().is_empty() {
                    return Go::Error("Cần ghi tác giả (cơ quan gửi) và trích yếu.".into());
                }
                let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
                let kind = guess_kind(&r.notation);
                let new = NewIncoming {
                    agency_id,
                    arrival_number: None,
                    arrival_date: ctx.today(),
                    sender: r.sender.trim().to_owned(),
                    number: opt(&r.number),
                    notation: opt(&r.notation),
                    date: None,
                    kind,
                    subject: r.subject.trim().to_owned(),
                    urgency: None,
                    state: IncomingState::Received,
                    handler_id: None,
                    lead_unit_id: None,
                    deadline: None,
                    source_key: None,
                };
                match ctx.store.receive_incoming(ctx.actor, new, ctx.now()) {
                    Ok(id) => {
                        self.receive = Receive::default();
                        self.reload(ctx);
                        return Go::Notice(format!("Đã tiếp nhận văn bản đến #{id}."));
                    }
                    Err(e) => return Go::Error(e.to_string()),
                }
            }
            Message::Act(id, IncomingAction::Assign) => {
                self.assign = Some(Assign { id, handler: None, days: "5".into() });
            }
            Message::Act(id, action) => {
                let result = ctx.store.incoming_transition(id, action, ctx.actor, ctx.now(), None, None);
                return self.after(id, action, result, ctx);
            }
            Message::Handler(h) => {
                if let Some(a) = &mut self.assign {
                    a.handler = Some(h);
                }
            }
            Message::Days(d) => {
                if let Some(a) = &mut self.assign {
                    a.days = d.chars().filter(char::is_ascii_digit).collect();
                }
            }
            Message::Close => self.assign = None,
            Message::ConfirmAssign => {
                let Some(a) = self.assign.clone() else { return Go::Stay };
                let Some(handler) = a.handler else { return Go::Error("Chọn người xử lý.".into()) };
                let days: i64 = a.days.parse().unwrap_or(0);
                if days < 1 {
                    return Go::Error("Thời hạn phải từ 1 ngày làm việc.".into());
                }
                let deadline = ctx.setup.calendar.add_working_days(ctx.today(), days);
                let assignment = Assignment { handler: handler.0, lead_unit_id: None, deadline };
                let result = ctx.store.incoming_transition(
                    a.id,
                    IncomingAction::Assign,
                    ctx.actor,
                    ctx.now(),
                    Some(&assignment),
                    None,
                );
                self.assign = None;
                return self.after(a.id, IncomingAction::Assign, result, ctx);
            }
        }
        Go::Stay
    }

    fn after(
        &mut self,
        id: i64,
        action: IncomingAction,
        result: Result<IncomingState, vanthu_core::StoreError>,
        ctx: &Ctx<'_>,
    ) -> Go {
        self.reload(ctx);
        match result {
            Ok(state) => Go::Notice(format!("{}: văn bản đến #{id} → {}.", action.label(), state.label())),
            Err(e) => {
                eprintln!("vanthu: incoming {} #{id}: {e}", action.code());
                Go::Error(e.to_string())
            }
        }
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let mut page = column![text("Văn bản đến").size(theme::TITLE).font(font::BOLD)].spacing(theme::GAP);
        if self.may_receive {
            let r = &self.receive;
            page = page.push(
                container(
                    column![
                        text("Tiếp nhận văn bản đến").font(font::BOLD),
                        row![
                            text_input("Tác giả (cơ quan gửi)", &r.sender).on_input(Message::Sender).padding(6),
                            text_input("Số", &r.number).on_input(Message::Number).padding(6).width(Length::Fixed(80.0)),
                            text_input("Ký hiệu", &r.notation)
                                .on_input(Message::Notation)
                                .padding(6)
                                .width(Length::Fixed(130.0)),
                        ]
                        .spacing(6),
                        row![
                            guard(
                                text_input("Trích yếu", &r.subject)
                                    .on_input(Message::Subject)
                                    .on_submit(Message::Receive)
                                    .padding(6)
                            ),
                            button(text("Tiếp nhận")).on_press(Message::Receive),
                        ]
                        .spacing(6),
                    ]
                    .spacing(6),
                )
                .padding(10)
                .style(container::rounded_box),
            );
        }
        if let Some(e) = &self.error {
            page = page.push(text(e.as_str()).color(theme::ERROR));
        }
        let mut list = column![].spacing(4).padding(iced::Padding { right: 14.0, ..iced::Padding::ZERO });
        for (i, actions) in &self.rows {
            let symbol = match (&i.number, &i.notation) {
                (Some(n), Some(s)) => format!("{n}/{s}"),
                (Some(n), None) => n.clone(),
                _ => String::new(),
            };
            let deadline = i.deadline.map(|d| format!("Hạn {}", d.format("%d/%m/%Y"))).unwrap_or_default();
            let mut buttons = column![].spacing(4).width(Length::Fixed(160.0)).align_x(iced::Right);
            for a in actions {
                buttons =
                    buttons.push(button(text(a.label()).size(13)).on_press(Message::Act(i.id, *a)).padding([2, 8]));
            }
            list = list.push(
                row![
                    text(i.arrival_number.map_or_else(|| "—".to_owned(), |n| format!("Số đến {n}")))
                        .width(Length::Fixed(90.0)),
                    text(i.arrival_date.format("%d/%m/%Y").to_string()).width(Length::Fixed(90.0)),
                    column![
                        text(i.subject.as_str()),
                        text(format!("{} {symbol}", i.sender)).size(12).color(theme::MUTED)
                    ]
                    .width(Length::Fill),
                    column![text(i.state.label()), text(deadline).size(12).color(theme::MUTED)]
                        .width(Length::Fixed(140.0)),
                    buttons,
                ]
                .spacing(8)
                .align_y(iced::Center),
            );
        }
        let page: Element<'_, Message> = page.push(scrollable(list).height(Length::Fill)).into();
        match &self.assign {
            None => page,
            Some(a) => {
                let dialog = column![
                    text(format!("Giao xử lý văn bản đến #{}", a.id)).size(theme::HEADING).font(font::BOLD),
                    text("Người xử lý"),
                    pick_list(self.handlers.as_slice(), a.handler.clone(), Message::Handler).placeholder("Chọn người"),
                    text("Thời hạn (ngày làm việc kể từ hôm nay)"),
                    guard(
                        text_input("5", &a.days).on_input(Message::Days).on_submit(Message::ConfirmAssign).padding(6)
                    ),
                    row![
                        button(text("Hủy")).on_press(Message::Close).style(button::secondary),
                        button(text("Giao")).on_press(Message::ConfirmAssign),
                    ]
                    .spacing(8),
                ]
                .spacing(8);
                let modal = container(dialog).padding(20).width(440).style(container::bordered_box);
                stack![
                    page,
                    opaque(center(modal).style(|_| container::Style {
                        background: Some(iced::Color { a: 0.5, ..iced::Color::BLACK }.into()),
                        ..container::Style::default()
                    }))
                ]
                .into()
            }
        }
    }
}

/// The kind code from a symbol's type abbreviation (`QĐ-UBND` → quyết định), else công văn.
fn guess_kind(notation: &str) -> String {
    let head = notation.split(['-', '/']).next().unwrap_or("");
    vanthu_core::model::Family::ALL
        .iter()
        .find_map(|f| vanthu_core::ruleset::default_ruleset(*f).kinds.iter().find(|k| k.abbreviation == head))
        .map_or_else(|| "cong-van".to_owned(), |k| k.code.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::testing::Fixture;

    #[test]
    fn receive_register_present_then_a_leader_assigns() {
        let mut f = Fixture::demo("lythihongnhung");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        state.update(Message::Sender("Sở Tài chính".into()), &mut ctx);
        state.update(Message::Subject("Đề nghị báo cáo quyết toán".into()), &mut ctx);
        assert!(matches!(state.update(Message::Receive, &mut ctx), Go::Notice(_)));
        let (row, actions) = state.rows().iter().find(|(i, _)| i.sender == "Sở Tài chính").unwrap().clone();
        assert_eq!(actions, vec![IncomingAction::Register]);
        state.update(Message::Act(row.id, IncomingAction::Register), &mut ctx);
        state.update(Message::Act(row.id, IncomingAction::Present), &mut ctx);
        let (row, actions) = state.rows().iter().find(|(i, _)| i.id == row.id).unwrap().clone();
        assert_eq!(row.state, IncomingState::Presented);
        assert!(actions.is_empty(), "the văn thư does not assign");
        f.login("lethithuha");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        state.update(Message::Act(row.id, IncomingAction::Assign), &mut ctx);
        assert!(state.has_dialog());
        let handler = state.handlers.iter().find(|h| h.0 == "lethithuha").cloned();
        assert!(handler.is_some(), "handlers are the agency's users");
        state.update(Message::Handler(handler.unwrap()), &mut ctx);
        state.update(Message::Days("3".into()), &mut ctx);
        assert!(matches!(state.update(Message::ConfirmAssign, &mut ctx), Go::Notice(_)));
        let (row, _) = state.rows().iter().find(|(i, _)| i.id == row.id).unwrap();
        assert_eq!(row.state, IncomingState::Assigned);
        assert!(row.deadline.unwrap() > ctx.today());
    }
}
