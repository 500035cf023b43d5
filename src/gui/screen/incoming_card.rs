//! The card of one incoming letter (phiếu xử lý văn bản đến): its registered fields,
//! the bút phê, the lead handler and co-handlers, the deadline (overdue shown),
//! progress notes, extension requests and the history in Vietnamese words. The
//! buttons are the steps the core allows the signed-in user now; every step is a
//! core call, checked and audited there.

use chrono::NaiveDate;
use iced::widget::{button, column, container, row, rule, scrollable, text, text_editor};
use iced::{Element, Length};
use vanthu_core::store::{Assignment, Forwarding, IncomingCard, IncomingStep};
use vanthu_core::workflow::IncomingAction;

use crate::gui::session::{Ctx, Go, Nav, action_label, sentence};
use crate::gui::{font, theme};

#[path = "incoming_card_form.rs"]
mod form;

/// A person who may be given the letter, shown as `Full name — position, unit`.
#[derive(Debug, Clone)]
pub struct Person {
    username: String,
    name: String,
    label: String,
}

impl PartialEq for Person {
    fn eq(&self, other: &Self) -> bool {
        self.username == other.username
    }
}

impl Eq for Person {}

impl Person {
    /// A person from a user name and full name (tests).
    #[cfg(test)]
    pub fn for_tests(username: String, name: String) -> Self {
        Person { username, label: name.clone(), name }
    }
}

impl std::fmt::Display for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// A document that may be linked as the reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    id: i64,
    label: String,
}

impl std::fmt::Display for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// The form of the step being taken.
#[derive(Debug, Clone)]
pub struct Form {
    action: IncomingAction,
    handler: Option<Person>,
    co_handlers: Vec<Person>,
    days: String,
    text: String,
    until: String,
    reply: Option<Reply>,
    /// What the working days typed give: `Hạn: thứ Năm 03/12/2026` (or why not).
    due: String,
}

/// Page state.
#[derive(Debug)]
pub struct State {
    card: IncomingCard,
    today: NaiveDate,
    people: Vec<Person>,
    replies: Vec<Reply>,
    /// The words typed to narrow the replies offered (diacritics and đ/d folded).
    reply_filter: String,
    form: Option<Form>,
    error: Option<String>,
    /// The user is a văn thư: the card offers to add received files (the core
    /// decides whether this letter takes them).
    may_add_files: bool,
    /// The second click of a double click takes no second step.
    guard: crate::gui::widget::step_guard::StepGuard,
    /// The bút phê, note or reason of the form, a multi-line area.
    note: text_editor::Content,
    /// The text of a form closed without confirming (Hủy, Escape), given back when
    /// the same step is opened again: a bút phê is not lost to a stray key.
    kept: Option<(IncomingAction, String)>,
    /// To whom the văn thư presents the letter (Trình offered).
    present_to: Option<Vec<vanthu_core::store::PersonLine>>,
}

/// Messages of the card.
#[derive(Debug, Clone)]
pub enum Message {
    /// Back to the list.
    Back,
    /// Open a received file in the system's viewer.
    OpenFile(i64),
    /// Add a received file (the văn thư): letter, scan or attachment.
    AddFile(vanthu_core::received::FileKind),
    /// A step's button: takes it, or opens its form.
    Act(IncomingAction),
    /// Form: the lead handler.
    Handler(Person),
    /// Form: add a co-handler.
    AddCoHandler(Person),
    /// Form: remove a co-handler.
    RemoveCoHandler(usize),
    /// Form: working days.
    Days(String),
    /// Form: an edit in the bút phê, note or reason's area.
    Area(text_editor::Action),
    /// Form: the new deadline asked for (dd/mm/yyyy).
    Until(String),
    /// Form: the reply.
    Reply(Reply),
    /// Form: narrow the replies offered.
    ReplyFilter(String),
    /// Take the step of the form.
    Confirm,
    /// Close the form.
    Cancel,
    /// Open the linked reply.
    OpenReply(i64),
    /// Save a received file (its number on the letter).
    SaveFile(i64),
}

/// Text input ids (tests and focus).
pub mod ids {
    /// The bút phê, note or reason.
    pub const TEXT: &str = "incoming-text";
    /// Working days.
    pub const DAYS: &str = "incoming-days";
    /// The new deadline asked for.
    pub const UNTIL: &str = "incoming-until";
    /// The filter of the replies offered.
    pub const REPLY_FILTER: &str = "incoming-reply-filter";
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The weekday as offices write it before a date: `thứ Năm`, `Chủ nhật`.
fn weekday(d: NaiveDate) -> &'static str {
    use chrono::Datelike;
    ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]
        [d.weekday().num_days_from_monday() as usize]
}

fn when(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_owned())
}

impl State {
    /// The error shown on the page, if any (the shell shows no toast repeating it).
    pub fn shown_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Loads the card; refused (in Vietnamese) when the user may not see the letter.
    pub fn new(id: i64, ctx: &Ctx<'_>) -> Result<Self, String> {
        let card =
            named_by_office_numbers(ctx.store.incoming_card(ctx.actor, id).map_err(|e| sentence(&e.to_string()))?, ctx);
        let may_add_files = ctx.store.may_attach_to_incoming(ctx.actor, id);
        let mut state = State {
            card,
            today: ctx.today(),
            people: Vec::new(),
            replies: Vec::new(),
            reply_filter: String::new(),
            form: None,
            error: None,
            may_add_files,
            guard: Default::default(),
            note: text_editor::Content::new(),
            kept: None,
            present_to: None,
        };
        state.load_choices(ctx);
        Ok(state)
    }

    fn load_choices(&mut self, ctx: &Ctx<'_>) {
        let id = self.card.letter.id;
        let leader = self.card.actions.iter().any(|a| matches!(a, IncomingAction::Assign | IncomingAction::Forward));
        self.people = if leader {
            ctx.store
                .incoming_handler_lines(id)
                .unwrap_or_default()
                .into_iter()
                .map(|line| Person { label: line.label(), username: line.username, name: line.full_name })
                .collect()
        } else {
            Vec::new()
        };
        self.present_to = if self.card.actions.contains(&IncomingAction::Present) {
            let mut takers = ctx.store.incoming_present_takers(id).unwrap_or_default();
            crate::gui::wording::sort_vietnamese(&mut takers, |t| t.full_name.as_str());
            Some(takers)
        } else {
            None
        };
        crate::gui::wording::sort_vietnamese(&mut self.people, |p| p.name.as_str());
        // The core says which documents the handler may link (their own, their unit's;
        // never someone else's unsubmitted draft).
        self.replies = if self.card.actions.contains(&IncomingAction::Resolve) {
            ctx.store
                .reply_choices(ctx.actor)
                .unwrap_or_default()
                .into_iter()
                .map(|d| {
                    let symbol = match d.number {
                        Some(_) => format!("Số {}", d.reference()),
                        None => d.reference(),
                    };
                    let subject: String = d.subject.unwrap_or_default().chars().take(70).collect();
                    Reply { id: d.id, label: format!("{symbol}: {subject}") }
                })
                .collect()
        } else {
            Vec::new()
        };
    }

    /// The replies the filter keeps: every word typed is in the number or trích yếu
    /// (diacritics and đ/d folded, as search folds them).
    pub(super) fn shown_replies(&self) -> Vec<Reply> {
        self.replies
            .iter()
            .filter(|r| vanthu_core::store::matches_filter(&r.label, &self.reply_filter))
            .cloned()
            .collect()
    }

    /// The labels of the replies the filter keeps (tests).
    #[cfg(test)]
    pub fn reply_labels(&self) -> Vec<String> {
        self.shown_replies().into_iter().map(|r| r.label).collect()
    }

    /// Reloads after work done elsewhere (a file added by a worker).
    pub fn refresh(&mut self, ctx: &Ctx<'_>) {
        self.reload(ctx);
    }

    fn reload(&mut self, ctx: &Ctx<'_>) {
        match ctx.store.incoming_card(ctx.actor, self.card.letter.id) {
            Ok(card) => self.card = named_by_office_numbers(card, ctx),
            Err(e) => self.error = Some(sentence(&e.to_string())),
        }
        self.load_choices(ctx);
    }

    /// Whether a form is open.
    pub fn has_dialog(&self) -> bool {
        self.form.is_some()
    }

    /// The user waited after the last step (tests: the next click is a new step).
    #[cfg(test)]
    pub fn wait_after_step(&mut self) {
        self.guard.wait(crate::gui::widget::step_guard::QUIET);
    }

    /// The people the form offers (tests).
    #[cfg(test)]
    pub fn people(&self) -> &[Person] {
        &self.people
    }

    /// The text of the open form's area (tests).
    #[cfg(test)]
    pub fn form_text(&self) -> Option<&str> {
        self.form.as_ref().map(|f| f.text.as_str())
    }

    /// The card shown (tests).
    #[cfg(test)]
    pub fn card(&self) -> &IncomingCard {
        &self.card
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, ctx: &mut Ctx<'_>) -> Go {
        let nfc = vanthu_core::text::nfc;
        if matches!(message, Message::Act(_) | Message::Confirm) && !self.guard.allows() {
            // The rest of a double click on the previous step's button.
            eprintln!("vanthu: incoming #{}: a click right after a step ignored", self.card.letter.id);
            return Go::Stay;
        }
        match message {
            Message::Back => return Go::Open(Nav::Incoming),
            Message::OpenReply(id) => return Go::Document(id),
            Message::OpenFile(position) => {
                let Some(file) = self.card.files.iter().find(|f| f.position == position) else { return Go::Stay };
                return Go::Run(crate::gui::job::Job::OpenIncomingFile {
                    incoming: self.card.letter.id,
                    position,
                    name: file.safe_name.clone(),
                    by: Box::new(ctx.actor.clone()),
                });
            }
            Message::AddFile(kind) => {
                return Go::Run(crate::gui::job::Job::AttachToIncoming {
                    incoming: self.card.letter.id,
                    kind: Some(kind),
                    by: Box::new(ctx.actor.clone()),
                    from: None,
                });
            }
            Message::SaveFile(position) => {
                let Some(file) = self.card.files.iter().find(|f| f.position == position) else { return Go::Stay };
                return Go::Run(crate::gui::job::Job::SaveIncomingFile {
                    incoming: self.card.letter.id,
                    position,
                    name: file.safe_name.clone(),
                    by: Box::new(ctx.actor.clone()),
                    to: None,
                });
            }
            Message::Act(action @ (IncomingAction::Register | IncomingAction::Present | IncomingAction::Start)) => {
                let step = match action {
                    IncomingAction::Register => IncomingStep::Register,
                    IncomingAction::Present => IncomingStep::Present,
                    _ => IncomingStep::Start,
                };
                return self.take(&step, ctx);
            }
            Message::Act(action) => {
                let until = self
                    .card
                    .letter
                    .deadline
                    .map(|d| day(ctx.setup.calendar.add_working_days(d.max(ctx.today()), 5)))
                    .unwrap_or_default();
                let co_handlers = if action == IncomingAction::Assign {
                    self.people.iter().filter(|p| self.card.co_handlers.contains(&p.name)).cloned().collect()
                } else {
                    Vec::new()
                };
                let mut form = Form {
                    action,
                    handler: None,
                    co_handlers,
                    days: if action == IncomingAction::Assign { "5".into() } else { String::new() },
                    text: String::new(),
                    until,
                    reply: None,
                    due: String::new(),
                };
                form.due = self.due_line(&form.days, ctx);
                self.note = text_editor::Content::new();
                if let Some((kept_action, text)) = self.kept.take() {
                    if kept_action == action {
                        self.note = text_editor::Content::with_text(&text);
                        form.text = text;
                    } else {
                        self.kept = Some((kept_action, text));
                    }
                }
                self.form = Some(form);
                self.error = None;
                return Go::Focus(iced::widget::Id::new(ids::TEXT));
            }
            Message::Cancel => {
                if let Some(form) = self.form.take().filter(|f| !f.text.trim().is_empty()) {
                    self.kept = Some((form.action, form.text));
                }
                self.error = None;
            }
            Message::Confirm => return self.confirm(ctx),
            Message::Days(d) => {
                let days: String = d.chars().filter(char::is_ascii_digit).take(3).collect();
                let due = self.due_line(&days, ctx);
                let Some(form) = &mut self.form else { return Go::Stay };
                (form.days, form.due) = (days, due);
                self.error = None;
            }
            other => {
                let Some(form) = &mut self.form else { return Go::Stay };
                // The input changed: the dialog's last refusal no longer describes it.
                self.error = None;
                match other {
                    Message::Handler(p) => {
                        form.co_handlers.retain(|c| c != &p);
                        form.handler = Some(p);
                    }
                    Message::AddCoHandler(p) if form.handler.as_ref() != Some(&p) && !form.co_handlers.contains(&p) => {
                        form.co_handlers.push(p);
                    }
                    Message::RemoveCoHandler(i) if i < form.co_handlers.len() => {
                        form.co_handlers.remove(i);
                    }
                    Message::Area(action) => {
                        let is_edit = action.is_edit();
                        self.note.perform(action);
                        if is_edit {
                            form.text = nfc(&self.note.text());
                        }
                    }
                    Message::Until(t) => form.until = t.chars().filter(|c| c.is_ascii_digit() || *c == '/').collect(),
                    Message::Reply(r) => form.reply = Some(r),
                    Message::ReplyFilter(t) => self.reply_filter = nfc(&t),
                    _ => {}
                }
            }
        }
        Go::Stay
    }

    /// What `days` working days from today give, by the office's calendar:
    /// `Hạn xử lý: thứ Năm 03/12/2026`; empty (a forward): the deadline kept.
    fn due_line(&self, days: &str, ctx: &Ctx<'_>) -> String {
        if days.is_empty() {
            return match self.card.letter.deadline {
                Some(d) => format!("Giữ hạn cũ: {} {}", weekday(d), day(d)),
                None => "Chưa có hạn xử lý.".into(),
            };
        }
        match days.parse::<i64>() {
            Ok(n) if (1..=250).contains(&n) => {
                let due = ctx.setup.calendar.add_working_days(ctx.today(), n);
                format!("Hạn xử lý: {} {} ({n} ngày làm việc)", weekday(due), day(due))
            }
            _ => "Thời hạn phải từ 1 đến 250 ngày làm việc.".into(),
        }
    }

    fn confirm(&mut self, ctx: &mut Ctx<'_>) -> Go {
        let Some(form) = self.form.clone() else { return Go::Stay };
        let text = Some(form.text.trim().to_owned()).filter(|t| !t.is_empty());
        let names = |people: &[Person]| people.iter().map(|p| p.username.clone()).collect::<Vec<_>>();
        let days = || -> Result<Option<NaiveDate>, String> {
            if form.days.is_empty() {
                return Ok(None);
            }
            match form.days.parse::<i64>() {
                Ok(n) if (1..=250).contains(&n) => Ok(Some(ctx.setup.calendar.add_working_days(ctx.today(), n))),
                _ => Err("Thời hạn phải từ 1 đến 250 ngày làm việc.".into()),
            }
        };
        let step = match form.action {
            IncomingAction::Assign => {
                let Some(handler) = &form.handler else { return self.refuse("Chọn người chủ trì xử lý.") };
                let deadline = match days() {
                    Ok(Some(d)) => d,
                    Ok(None) => return self.refuse("Ghi thời hạn xử lý (số ngày làm việc)."),
                    Err(e) => return self.refuse(&e),
                };
                IncomingStep::Assign(Assignment {
                    handler: handler.username.clone(),
                    co_handlers: names(&form.co_handlers),
                    direction: text,
                    lead_unit_id: None,
                    deadline,
                })
            }
            IncomingAction::Forward => {
                let Some(handler) = &form.handler else { return self.refuse("Chọn người chủ trì mới.") };
                let deadline = match days() {
                    Ok(d) => d,
                    Err(e) => return self.refuse(&e),
                };
                IncomingStep::Forward(Forwarding {
                    handler: handler.username.clone(),
                    co_handlers: names(&form.co_handlers),
                    direction: text.unwrap_or_default(),
                    deadline,
                })
            }
            IncomingAction::Progress => IncomingStep::Progress(text.unwrap_or_default()),
            IncomingAction::Opinion => IncomingStep::Opinion(text.unwrap_or_default()),
            IncomingAction::RequestExtension => {
                let until = match crate::gui::wording::read_date(&form.until) {
                    Ok(until) => until,
                    Err(why) => return self.refuse(&format!("Ngày xin gia hạn đến: {why}")),
                };
                IncomingStep::RequestExtension { reason: text.unwrap_or_default(), until }
            }
            IncomingAction::GrantExtension => IncomingStep::GrantExtension { note: text },
            IncomingAction::RefuseExtension => IncomingStep::RefuseExtension { reason: text.unwrap_or_default() },
            IncomingAction::Resolve => IncomingStep::Resolve { reply: form.reply.as_ref().map(|r| r.id), note: text },
            IncomingAction::Register | IncomingAction::Present | IncomingAction::Start => return Go::Stay,
        };
        self.take(&step, ctx)
    }

    fn refuse(&mut self, message: &str) -> Go {
        self.error = Some(message.to_owned());
        Go::Stay
    }

    fn take(&mut self, step: &IncomingStep, ctx: &mut Ctx<'_>) -> Go {
        let action = step.action();
        let id = self.card.letter.id;
        match ctx.store.incoming_step(id, step, ctx.actor, ctx.now()) {
            Ok(state) => {
                self.guard.stepped();
                self.form = None;
                self.kept = None;
                self.error = None;
                self.reload(ctx);
                Go::Notice(format!("{}: văn bản đến {} — {}.", action.label(), self.short_name(), state.label()))
            }
            Err(e) => {
                eprintln!("vanthu: incoming {} #{id}: {e}", action.code());
                let message = sentence(&e.to_string());
                self.reload(ctx);
                if self.form.is_some() {
                    self.error = Some(message);
                    Go::Stay
                } else {
                    Go::Error(message)
                }
            }
        }
    }

    /// The letter as the office knows it: `số đến 9 (45/SXD-QLXD)`, or by the
    /// sender's number (or the sender) before it is registered.
    fn short_name(&self) -> String {
        let i = &self.card.letter;
        let theirs = match (&i.number, &i.notation) {
            (Some(n), Some(s)) => Some(format!("{n}/{s}")),
            (Some(n), None) => Some(n.clone()),
            _ => None,
        };
        match (i.arrival_number, theirs) {
            (Some(a), Some(t)) => format!("số đến {a} ({t})"),
            (Some(a), None) => format!("số đến {a} của {}", i.sender),
            (None, Some(t)) => format!("số {t} (chưa vào sổ)"),
            (None, None) => format!("của {} (chưa vào sổ)", i.sender),
        }
    }

    fn fields(&self) -> Element<'_, Message> {
        let c = &self.card;
        let i = &c.letter;
        let symbol = match (&i.number, &i.notation) {
            (Some(n), Some(s)) => format!("{n}/{s}"),
            (Some(n), None) => n.clone(),
            (None, Some(s)) => s.clone(),
            (None, None) => "—".into(),
        };
        let kind = vanthu_core::ruleset::kind_name(vanthu_core::model::Family::State, &i.kind).unwrap_or("Văn bản");
        let pairs: Vec<(&str, String)> = vec![
            ("Số đến", i.arrival_number.map_or_else(|| "Chưa vào sổ".into(), |n| n.to_string())),
            ("Ngày đến", day(i.arrival_date)),
            ("Loại văn bản", kind.to_owned()),
            ("Số, ký hiệu", symbol),
            ("Ngày văn bản", i.date.map_or_else(|| "—".into(), day)),
            ("Tác giả (nơi gửi)", i.sender.clone()),
            ("Cơ quan nhận", c.agency_name.clone()),
            ("Độ khẩn", i.urgency.map_or("Thường", |u| u.label()).to_owned()),
            ("Độ mật", c.details.secrecy.map_or("Thường", |s| s.label()).to_owned()),
            ("Số tờ", c.details.pages.map_or_else(|| "—".into(), |p| p.to_string())),
            ("Cách nhận", c.details.received_via.map_or("—", |v| v.label()).to_owned()),
            ("Hồ sơ", c.dossier.clone().unwrap_or_else(|| "Chưa lập hồ sơ".into())),
        ];
        let mut grid = column![].spacing(4);
        for pair in pairs.chunks(2) {
            let mut line = row![].spacing(12);
            for (label, value) in pair {
                line = line.push(
                    row![
                        text(*label).color(theme::MUTED).width(Length::Fixed(130.0)),
                        text(value.clone()).width(Length::Fill)
                    ]
                    .width(Length::FillPortion(1)),
                );
            }
            grid = grid.push(line);
        }
        grid.into()
    }

    fn handling(&self) -> Element<'_, Message> {
        let c = &self.card;
        let mut col = column![text("Xử lý").size(theme::HEADING).font(font::BOLD)].spacing(6);
        let line = |label: &'static str, value: String| {
            row![text(label).color(theme::MUTED).width(Length::Fixed(130.0)), text(value).width(Length::Fill)]
        };
        col = col.push(line("Trạng thái", c.letter.state.label().to_owned()));
        col = col.push(line("Bút phê", c.direction.clone().unwrap_or_else(|| "Chưa có bút phê.".into())));
        col = col.push(line("Chủ trì", c.handler.clone().unwrap_or_else(|| "Chưa giao.".into())));
        if !c.co_handlers.is_empty() {
            col = col.push(line("Phối hợp", c.co_handlers.join(", ")));
        }
        if let Some(deadline) = c.letter.deadline {
            let overdue = c.overdue(self.today);
            let label = if overdue { format!("{} — QUÁ HẠN", day(deadline)) } else { day(deadline) };
            col = col.push(row![
                text("Hạn xử lý").color(theme::MUTED).width(Length::Fixed(130.0)),
                text(label).color(if overdue { theme::ERROR } else { theme::TEXT }).font(font::BOLD)
            ]);
        }
        if let Some((id, label)) = &c.reply {
            col = col.push(row![
                text("Văn bản trả lời").color(theme::MUTED).width(Length::Fixed(130.0)),
                button(text(label.as_str())).on_press(Message::OpenReply(*id)).style(button::text).padding(0)
            ]);
        }
        if let Some(note) = &c.closing_note {
            col = col.push(line("Kết quả xử lý", note.clone()));
        }
        if c.viewer_co_handles {
            col = col.push(
                text("Bạn là người phối hợp: ghi ý kiến phối hợp cho người chủ trì; các bước xử lý do người chủ trì làm.")
                    .color(theme::MUTED),
            );
        }
        if !c.notes.is_empty() {
            col = col.push(text("Tiến độ").font(font::BOLD));
            for n in &c.notes {
                col = col.push(text(format!("{} — {}: {}", when(&n.at), n.author, n.text)).size(13));
            }
        }
        if !c.opinions.is_empty() {
            col = col.push(text("Ý kiến phối hợp").font(font::BOLD));
            for n in &c.opinions {
                col = col.push(text(format!("{} — {}: {}", when(&n.at), n.author, n.text)).size(13));
            }
        }
        if !c.extensions.is_empty() {
            col = col.push(text("Gia hạn").font(font::BOLD));
            for e in &c.extensions {
                let decided = match (&e.decided_by, &e.decision_note) {
                    (Some(by), Some(note)) => format!(" ({by}: {note})"),
                    (Some(by), None) => format!(" ({by})"),
                    _ => String::new(),
                };
                col = col.push(
                    text(format!(
                        "{} — {} xin gia hạn đến {}: {} · {}{decided}",
                        when(&e.requested_at),
                        e.requested_by,
                        day(e.requested_deadline),
                        e.reason,
                        e.state_label()
                    ))
                    .size(13),
                );
            }
        }
        col.into()
    }

    /// The files received with the letter, each with its check (the same report as
    /// `vanthu pdf verify`) and a button to save it.
    fn files(&self) -> Element<'_, Message> {
        use vanthu_core::received::SignatureStatus as S;
        let mut col = column![text("Tệp nhận kèm").size(theme::HEADING).font(font::BOLD)].spacing(4);
        for f in &self.card.files {
            let colour = match f.check.as_ref().map(|c| c.status) {
                Some(S::Valid) => theme::OK,
                Some(S::Untrusted) => theme::WARNING,
                Some(S::Invalid) => theme::ERROR,
                _ => theme::TEXT,
            };
            col = col.push(
                row![
                    text(f.line()).color(colour).width(Length::Fill),
                    button(text("Xem").size(13)).on_press(Message::OpenFile(f.position)).style(button::secondary),
                    button(text("Lưu tệp…").size(13)).on_press(Message::SaveFile(f.position)).style(button::secondary),
                ]
                .spacing(8)
                .align_y(iced::Alignment::Center),
            );
            let by = if f.attached_by.is_empty() { String::new() } else { format!(" bởi {}", f.attached_by) };
            col = col.push(
                text(format!("Nhận {}{by} · SHA-256 {}", when(&f.attached_at), f.sha256)).size(12).color(theme::MUTED),
            );
            if let Some(check) = &f.check {
                for line in &check.report {
                    // The report as `vanthu pdf verify` prints it, without its English notes.
                    col = col.push(text(sentence(&line.replace(" / an earlier revision", ""))).size(12));
                }
                for warning in &check.warnings {
                    col = col.push(text(format!("Cảnh báo: {}", sentence(warning))).size(12).color(theme::WARNING));
                }
            }
        }
        col.into()
    }

    fn history(&self) -> Element<'_, Message> {
        let mut col = column![text("Lịch sử").size(theme::HEADING).font(font::BOLD)].spacing(4);
        for e in &self.card.history {
            let mut line =
                format!("{} — {}: {}", when(&e.at), self.card.full_name(&e.username), action_label(&e.action));
            if let Some(comment) = e.comment.as_deref().filter(|c| !c.is_empty()) {
                let comment = comment.strip_prefix(&format!("{}: ", e.action)).unwrap_or(comment);
                line.push_str(&format!(" ({})", sentence(comment).trim_end_matches('.')));
            }
            col = col.push(text(line).size(13));
        }
        col.into()
    }

    /// Draws the card.
    pub fn view(&self) -> Element<'_, Message> {
        let i = &self.card.letter;
        let mut actions = row![].spacing(8);
        for a in &self.card.actions {
            actions = actions.push(button(text(a.label())).on_press(Message::Act(*a)));
        }
        let header = row![
            button(text("← Danh sách")).on_press(Message::Back).style(button::text),
            column![
                text(i.subject.as_str()).size(theme::TITLE).font(font::BOLD),
                text(format!("Văn bản đến của {}", i.sender)).color(theme::MUTED),
            ]
            .width(Length::Fill),
        ]
        .spacing(8)
        .align_y(iced::Alignment::Center);
        let mut body = column![container(self.fields()).padding(10).style(container::rounded_box), actions,]
            .spacing(theme::GAP)
            .padding(iced::Padding { right: 14.0, ..iced::Padding::ZERO });
        if let Some(takers) = &self.present_to {
            let line = match takers.as_slice() {
                [] => "Chưa có lãnh đạo nào được giao xử lý văn bản này; hãy báo quản trị viên.".to_owned(),
                [one] => format!("Trình {} giao xử lý.", one.addressed()),
                many => format!(
                    "Trình lãnh đạo giao xử lý; một trong: {}.",
                    many.iter().map(|t| t.addressed()).collect::<Vec<_>>().join("; ")
                ),
            };
            body = body.push(text(line).size(13).color(if takers.is_empty() { theme::WARNING } else { theme::MUTED }));
        }
        // The error line keeps its room: what is below does not move when it comes.
        body = body.push(crate::gui::widget::slot::messages(
            self.error
                .as_deref()
                .filter(|_| self.form.is_none())
                .map(|e| (sentence(e), theme::ERROR))
                .into_iter()
                .collect(),
            1,
        ));
        if !self.card.files.is_empty() {
            body = body.push(self.files());
        }
        if self.may_add_files {
            use vanthu_core::received::FileKind;
            body = body.push(
                row![
                    button(text("Thêm tệp văn bản…"))
                        .on_press(Message::AddFile(FileKind::Letter))
                        .style(button::secondary),
                    button(text("Thêm bản quét…")).on_press(Message::AddFile(FileKind::Scan)).style(button::secondary),
                    button(text("Thêm tệp kèm theo…"))
                        .on_press(Message::AddFile(FileKind::Attachment))
                        .style(button::secondary),
                ]
                .spacing(8)
                .wrap(),
            );
        }
        body = body.push(self.handling()).push(rule::horizontal(1)).push(self.history());
        column![header, scrollable(body).height(Length::Fill)].spacing(theme::GAP).into()
    }

    /// The open form, drawn by the shell over the whole window at a fixed height.
    pub fn dialog(&self) -> Option<Element<'_, Message>> {
        self.form.as_ref().map(|form| self.form_view(form))
    }
}

/// The card with its history naming dossiers and documents by the office's numbers
/// (`vào hồ sơ 01.TH`), not by record ids.
fn named_by_office_numbers(mut card: IncomingCard, ctx: &Ctx<'_>) -> IncomingCard {
    if let Ok(numbers) = ctx.store.office_numbers(ctx.actor) {
        for e in &mut card.history {
            e.comment = e.comment.as_deref().map(|c| numbers.rewrite(c));
        }
    }
    card
}
