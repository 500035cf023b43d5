//! Văn bản đến: receive incoming mail, register it (số đến) and present it from the
//! list; every row opens the letter's card, where the leader directs it and the
//! handler works on it. The list has column headings and a filter box that ignores
//! diacritics (like Tra cứu). Each row offers the steps the core allows the user.

use iced::widget::{button, column, container, pick_list, row, rule, scrollable, text, text_input};
use iced::{Element, Length};
use vanthu_core::model::{Incoming, IncomingState};
use vanthu_core::store::{IncomingDetails, NewIncoming, ReceivedVia};
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
    pages: String,
    via: Option<ReceivedVia>,
}

/// Page state.
#[derive(Debug)]
pub struct State {
    rows: Vec<(Incoming, Vec<IncomingAction>)>,
    may_receive: bool,
    receive: Receive,
    filter: String,
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
    /// Receive form: số tờ.
    Pages(String),
    /// Receive form: how it came.
    Via(ReceivedVia),
    /// Record the received document.
    Receive,
    /// A step on a row: register and present are taken here, the others on the card.
    Act(i64, IncomingAction),
    /// Open a letter's card.
    Open(i64),
    /// The filter box.
    Filter(String),
}

/// The filter box's id.
pub const FILTER_ID: &str = "incoming-filter";

/// Whether a letter matches the filter: every word of it, diacritics folded
/// (đ → d), in its số đến, number, symbol, sender, subject or state.
pub fn matches_filter(letter: &Incoming, filter: &str) -> bool {
    let fold = vanthu_core::text::fold;
    let haystack = fold(&format!(
        "{} {} {} {} {} {}",
        letter.arrival_number.map(|n| n.to_string()).unwrap_or_default(),
        letter.number.as_deref().unwrap_or(""),
        letter.notation.as_deref().unwrap_or(""),
        letter.sender,
        letter.subject,
        letter.state.label()
    ));
    fold(filter).split_whitespace().all(|w| haystack.contains(w))
}

impl State {
    /// Loads the page.
    pub fn new(ctx: &Ctx<'_>) -> Self {
        let mut state = State {
            rows: Vec::new(),
            may_receive: ctx.actor.has(vanthu_core::model::Role::VanThu),
            receive: Receive::default(),
            filter: String::new(),
            error: None,
        };
        state.reload(ctx);
        state
    }

    fn reload(&mut self, ctx: &Ctx<'_>) {
        match ctx.store.incoming_queue_for(ctx.actor) {
            Ok(rows) => self.rows = rows,
            Err(e) => self.error = Some(crate::gui::session::sentence(&e.to_string())),
        }
    }

    /// The rows the filter lets through.
    pub fn visible(&self) -> impl Iterator<Item = &(Incoming, Vec<IncomingAction>)> {
        self.rows.iter().filter(|(i, _)| matches_filter(i, &self.filter))
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
                let details = IncomingDetails {
                    pages: r.pages.parse().ok().filter(|p| *p > 0),
                    secrecy: None,
                    received_via: r.via,
                };
                match ctx.store.receive_incoming_with(ctx.actor, new, details, ctx.now()) {
                    Ok(id) => {
                        self.receive = Receive::default();
                        self.reload(ctx);
                        return Go::Notice(format!("Đã tiếp nhận văn bản đến #{id}."));
                    }
                    Err(e) => return Go::Error(crate::gui::session::sentence(&e.to_string())),
                }
            }
            Message::Pages(v) => self.receive.pages = v.chars().filter(char::is_ascii_digit).take(5).collect(),
            Message::Via(v) => self.receive.via = Some(v),
            Message::Filter(v) => self.filter = nfc(&v),
            Message::Open(id) => return Go::Incoming(id),
            Message::Act(id, action @ (IncomingAction::Register | IncomingAction::Present)) => {
                let result = ctx.store.incoming_transition(id, action, ctx.actor, ctx.now(), None, None);
                return self.after(id, action, result, ctx);
            }
            Message::Act(id, _) => return Go::Incoming(id),
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
            Ok(state) => Go::Notice(format!("{}: văn bản đến #{id} — {}.", action.label(), state.label())),
            Err(e) => {
                eprintln!("vanthu: incoming {} #{id}: {e}", action.code());
                Go::Error(crate::gui::session::sentence(&e.to_string()))
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
                            text_input("Số tờ", &r.pages)
                                .on_input(Message::Pages)
                                .padding(6)
                                .width(Length::Fixed(80.0)),
                            pick_list(&ReceivedVia::ALL[..], r.via, Message::Via).placeholder("Cách nhận"),
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
        page = page.push(guard(
            text_input("Lọc theo số, ký hiệu, nơi gửi, trích yếu (gõ không dấu cũng được)", &self.filter)
                .id(FILTER_ID)
                .on_input(Message::Filter)
                .padding(6),
        ));
        let heading = |label: &'static str| text(label).font(font::BOLD).size(13);
        let mut list = column![
            row![
                heading("Số đến").width(Length::Fixed(70.0)),
                heading("Ngày đến").width(Length::Fixed(90.0)),
                heading("Trích yếu, nơi gửi, số ký hiệu").width(Length::Fill),
                heading("Trạng thái, hạn").width(Length::Fixed(150.0)),
                heading("Việc").width(Length::Fixed(160.0)),
            ]
            .spacing(8),
            rule::horizontal(1),
        ]
        .spacing(4)
        .padding(iced::Padding { right: 14.0, ..iced::Padding::ZERO });
        let today = chrono::Local::now().date_naive();
        let mut shown = 0;
        for (i, actions) in self.visible() {
            shown += 1;
            let symbol = match (&i.number, &i.notation) {
                (Some(n), Some(s)) => format!("{n}/{s}"),
                (Some(n), None) => n.clone(),
                (None, Some(s)) => s.clone(),
                _ => String::new(),
            };
            let overdue = i.state.is_open() && i.deadline.is_some_and(|d| d < today);
            let deadline = i
                .deadline
                .map(|d| format!("Hạn {}{}", d.format("%d/%m/%Y"), if overdue { " — quá hạn" } else { "" }))
                .unwrap_or_default();
            let mut buttons = column![].spacing(4).width(Length::Fixed(160.0)).align_x(iced::Right);
            for a in actions {
                buttons =
                    buttons.push(button(text(a.label()).size(13)).on_press(Message::Act(i.id, *a)).padding([2, 8]));
            }
            let summary = button(
                row![
                    text(i.arrival_number.map_or_else(|| "—".to_owned(), |n| n.to_string())).width(Length::Fixed(70.0)),
                    text(i.arrival_date.format("%d/%m/%Y").to_string()).width(Length::Fixed(90.0)),
                    column![
                        text(i.subject.as_str()),
                        text(format!("{} · {symbol}", i.sender)).size(12).color(theme::MUTED)
                    ]
                    .width(Length::Fill),
                    column![
                        text(i.state.label()),
                        text(deadline).size(12).color(if overdue { theme::ERROR } else { theme::MUTED })
                    ]
                    .width(Length::Fixed(150.0)),
                ]
                .spacing(8)
                .align_y(iced::Center),
            )
            .on_press(Message::Open(i.id))
            .style(button::text)
            .padding(0)
            .width(Length::Fill);
            list = list.push(row![summary, buttons].spacing(8).align_y(iced::Center));
        }
        if shown == 0 {
            let empty = if self.filter.trim().is_empty() {
                "Không có văn bản đến."
            } else {
                "Không có văn bản khớp bộ lọc."
            };
            list = list.push(text(empty).color(theme::MUTED));
        }
        page.push(scrollable(list).height(Length::Fill)).into()
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
    fn receive_register_present_then_the_row_opens_the_card() {
        let mut f = Fixture::demo("lythihongnhung");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        state.update(Message::Sender("Sở Tài chính".into()), &mut ctx);
        state.update(Message::Subject("Đề nghị báo cáo quyết toán".into()), &mut ctx);
        state.update(Message::Pages("4".into()), &mut ctx);
        state.update(Message::Via(ReceivedVia::Electronic), &mut ctx);
        assert!(matches!(state.update(Message::Receive, &mut ctx), Go::Notice(_)));
        let (row, actions) = state
            .rows()
            .iter()
            .find(|(i, _)| i.sender == "Sở Tài chính" && i.subject.starts_with("Đề nghị báo cáo"))
            .unwrap()
            .clone();
        assert_eq!(actions, vec![IncomingAction::Register]);
        state.update(Message::Act(row.id, IncomingAction::Register), &mut ctx);
        state.update(Message::Act(row.id, IncomingAction::Present), &mut ctx);
        let (row, actions) = state.rows().iter().find(|(i, _)| i.id == row.id).unwrap().clone();
        assert_eq!(row.state, IncomingState::Presented);
        assert!(actions.is_empty(), "the văn thư does not assign");
        assert!(matches!(state.update(Message::Open(row.id), &mut ctx), Go::Incoming(id) if id == row.id));
        let card = ctx.store.incoming_card(ctx.actor, row.id).unwrap();
        assert_eq!(card.details.pages, Some(4));
        assert_eq!(card.details.received_via, Some(ReceivedVia::Electronic));
    }

    #[test]
    fn the_filter_folds_diacritics() {
        let mut f = Fixture::demo("lythihongnhung");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        let all = state.visible().count();
        assert!(all > 3);
        state.update(Message::Filter("bo tai chinh 13250".into()), &mut ctx);
        let senders: Vec<&str> = state.visible().map(|(i, _)| i.sender.as_str()).collect();
        assert_eq!(senders, ["Bộ Tài chính"], "typed without diacritics");
        state.update(Message::Filter("BỘ TÀI CHÍNH".into()), &mut ctx);
        assert!(state.visible().count() < all && state.visible().any(|(i, _)| i.sender == "Bộ Tài chính"));
        state.update(Message::Filter("ĐỀ NGHỊ".into()), &mut ctx);
        assert!(state.visible().all(|(i, _)| vanthu_core::text::fold(&i.subject).contains("de nghi")));
        state.update(Message::Filter("khongcogiday".into()), &mut ctx);
        assert_eq!(state.visible().count(), 0);
        state.update(Message::Filter(String::new()), &mut ctx);
        assert_eq!(state.visible().count(), all);
    }
}
