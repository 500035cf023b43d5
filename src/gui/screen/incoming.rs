//! Văn bản đến: receive incoming mail, register it (số đến) and present it from the
//! list; every row opens the letter's card, where the leader directs it and the
//! handler works on it. The list has column headings and a filter box that ignores
//! diacritics (like Tra cứu). Each row offers the steps the core allows the user.

use iced::widget::{button, column, row, rule, scrollable, text, text_input};
use iced::{Element, Length};
use vanthu_core::model::{Incoming, IncomingState};
use vanthu_core::store::ReceivedVia;
use vanthu_core::workflow::IncomingAction;

use super::incoming_receive::{KindChoice, Level, Receive};

use crate::gui::session::{Ctx, Go};
use crate::gui::widget::ime_guard::guard;
use crate::gui::{font, theme};

/// Page state.
#[derive(Debug)]
pub struct State {
    rows: Vec<(Incoming, Vec<IncomingAction>)>,
    may_receive: bool,
    receive: Receive,
    filter: String,
    error: Option<String>,
    /// A row's step button pressed right after a step is the second click of a
    /// double click: the row under the pointer may be another letter.
    guard: crate::gui::widget::step_guard::StepGuard,
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
    /// Receive form: ngày văn bản.
    Date(String),
    /// Receive form: loại văn bản.
    Kind(KindChoice),
    /// Receive form: độ khẩn or độ mật.
    Level(Level),
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
    /// The reception form's refusal, if any (tests).
    #[cfg(test)]
    pub fn receive_error(&self) -> Option<&str> {
        self.receive.error.as_deref()
    }

    /// The error shown on the page, if any (the shell shows no toast repeating it).
    pub fn shown_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Loads the page.
    pub fn new(ctx: &Ctx<'_>) -> Self {
        let mut state = State {
            rows: Vec::new(),
            may_receive: ctx.actor.has(vanthu_core::model::Role::VanThu),
            receive: Receive::default(),
            filter: String::new(),
            error: None,
            guard: Default::default(),
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
        if matches!(
            message,
            Message::Sender(_)
                | Message::Number(_)
                | Message::Notation(_)
                | Message::Subject(_)
                | Message::Pages(_)
                | Message::Via(_)
                | Message::Date(_)
                | Message::Kind(_)
                | Message::Level(_)
        ) {
            // The input changed: the form's last complaint no longer describes it.
            self.receive.error = None;
        }
        match message {
            Message::Sender(v) => self.receive.sender = nfc(&v),
            Message::Number(v) => self.receive.number = nfc(&v),
            Message::Notation(v) => self.receive.set_notation(nfc(&v)),
            Message::Subject(v) => self.receive.subject = nfc(&v),
            Message::Date(v) => {
                self.receive.date =
                    v.chars().filter(|c| c.is_ascii_digit() || matches!(c, '/' | '-' | '.')).take(10).collect()
            }
            Message::Kind(k) => {
                self.receive.kind = Some(k);
                self.receive.kind_chosen = true;
            }
            Message::Level(level @ Level::Urgency(_)) => self.receive.urgency = level,
            Message::Level(level @ Level::Secrecy(_)) => self.receive.secrecy = level,
            Message::Receive => {
                let Some(agency_id) = ctx.store.default_receiving_agency(ctx.actor).ok().flatten() else {
                    self.receive.error = Some("Tài khoản chưa gắn với cơ quan nào: không tiếp nhận được.".into());
                    return Go::Stay;
                };
                let (new, details) = match self.receive.record(agency_id, ctx.today()) {
                    Ok(record) => record,
                    Err(why) => {
                        self.receive.error = Some(why);
                        return Go::Stay;
                    }
                };
                match ctx.store.receive_incoming_with(ctx.actor, new, details, ctx.now()) {
                    Ok(id) => {
                        self.receive = Receive::default();
                        self.reload(ctx);
                        return Go::Notice(format!("Đã tiếp nhận văn bản đến #{id}."));
                    }
                    Err(e) => {
                        self.receive.error = Some(crate::gui::wording::explain(&e));
                        return Go::Stay;
                    }
                }
            }
            Message::Pages(v) => self.receive.pages = v.chars().filter(char::is_ascii_digit).take(5).collect(),
            Message::Via(v) => self.receive.via = Some(v),
            Message::Filter(v) => self.filter = nfc(&v),
            Message::Open(id) => return Go::Incoming(id),
            Message::Act(id, action @ (IncomingAction::Register | IncomingAction::Present)) => {
                if !self.guard.allows() {
                    eprintln!("vanthu: incoming list: a click right after a step ignored");
                    return Go::Stay;
                }
                self.guard.stepped();
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
            page = page.push(self.receive.view());
        }
        page = page.push(crate::gui::widget::slot::page_error(self.error.as_deref()));
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
                        // A very long trích yếu is cut in the list (the card shows it whole).
                        text(if i.subject.chars().count() > 240 {
                            format!("{}…", i.subject.chars().take(240).collect::<String>().trim_end())
                        } else {
                            i.subject.clone()
                        }),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::testing::Fixture;

    #[test]
    fn receive_register_present_then_the_row_opens_the_card() {
        let mut f = Fixture::demo("lythihongnhung");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        // Nothing typed: the form says what is missing, in the form, once.
        assert!(matches!(state.update(Message::Receive, &mut ctx), Go::Stay));
        assert_eq!(state.receive.error.as_deref(), Some("Ghi tác giả: cơ quan, tổ chức gửi văn bản."));
        state.update(Message::Sender("Sở Tài chính".into()), &mut ctx);
        assert!(state.receive.error.is_none(), "cleared by the change");
        state.update(Message::Subject("Đề nghị báo cáo quyết toán".into()), &mut ctx);
        state.update(Message::Date("31/02/2026".into()), &mut ctx);
        assert!(matches!(state.update(Message::Receive, &mut ctx), Go::Stay));
        assert!(state.receive.error.as_deref().unwrap().contains("không có trong lịch"));
        let yesterday = ctx.today().pred_opt().unwrap();
        state.update(Message::Date(yesterday.format("%d/%m/%Y").to_string()), &mut ctx);
        state.update(Message::Notation("STC-QLNS".into()), &mut ctx);
        state.update(Message::Level(Level::Urgency(Some(vanthu_core::model::Urgency::Khan))), &mut ctx);
        state.update(Message::Level(Level::Secrecy(Some(vanthu_core::model::Secrecy::Mat))), &mut ctx);
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
        state.guard.wait(crate::gui::widget::step_guard::QUIET);
        state.update(Message::Act(row.id, IncomingAction::Present), &mut ctx);
        let (row, actions) = state.rows().iter().find(|(i, _)| i.id == row.id).unwrap().clone();
        assert_eq!(row.state, IncomingState::Presented);
        assert!(actions.is_empty(), "the văn thư does not assign");
        assert!(matches!(state.update(Message::Open(row.id), &mut ctx), Go::Incoming(id) if id == row.id));
        let card = ctx.store.incoming_card(ctx.actor, row.id).unwrap();
        assert_eq!(card.details.pages, Some(4));
        assert_eq!(card.details.secrecy, Some(vanthu_core::model::Secrecy::Mat));
        assert_eq!((row.date, row.urgency), (Some(yesterday), Some(vanthu_core::model::Urgency::Khan)));
        assert_eq!(row.kind, "cong-van");
        assert_eq!(card.details.received_via, Some(ReceivedVia::Electronic));
    }

    /// Issue #14: a double click on a row's "Vào sổ văn bản đến" takes one step:
    /// the button that then appears under the pointer (Trình, or the next row's
    /// Vào sổ) ignores the second click.
    #[test]
    fn a_double_click_on_vao_so_takes_one_step() {
        let mut f = Fixture::demo("lythihongnhung");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        let id = state
            .rows()
            .iter()
            .find(|(_, actions)| actions.contains(&IncomingAction::Register))
            .map(|(i, _)| i.id)
            .expect("a letter waits for its số đến");
        state.update(Message::Act(id, IncomingAction::Register), &mut ctx);
        state.update(Message::Act(id, IncomingAction::Present), &mut ctx);
        let letter = |state: &State| state.rows().iter().find(|(i, _)| i.id == id).unwrap().0.clone();
        assert!(letter(&state).arrival_number.is_some(), "registered");
        assert_eq!(letter(&state).state, IncomingState::Registered, "the second click presented nothing");
        state.guard.wait(crate::gui::widget::step_guard::QUIET);
        state.update(Message::Act(id, IncomingAction::Present), &mut ctx);
        assert_eq!(letter(&state).state, IncomingState::Presented, "a deliberate click later does");
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
