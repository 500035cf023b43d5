//! One dossier (hồ sơ): its Phụ lục VI metadata, its documents in index order, filing
//! and removing documents while it is open, closing it with a note, reopening it
//! (archivist, with a reason), its archive package and its history. Every change is
//! a core call; a closed dossier is refused by the core whatever the page shows.

use iced::widget::{button, column, container, row, rule, scrollable, text, text_input};
use iced::{Element, Length};
use vanthu_core::model::{IndexEntry, Role};
use vanthu_core::store::{DossierPage, FiledItem};

use crate::gui::job::Job;
use crate::gui::session::{Ctx, Go, Nav};
use crate::gui::widget::ime_guard::guard;
use crate::gui::{font, theme};

/// A document that can be filed, as offered in the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate(IndexEntry);

impl Candidate {
    fn item(&self) -> FiledItem {
        if self.0.item == "incoming" { FiledItem::Incoming(self.0.id) } else { FiledItem::Document(self.0.id) }
    }
}

impl std::fmt::Display for Candidate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.0.item == "incoming" { "đến" } else { "đi" };
        let subject: String = self.0.subject.chars().take(70).collect();
        write!(f, "Văn bản {kind} {} — {}", self.0.number, subject)
    }
}

/// Page state.
#[derive(Debug)]
pub struct State {
    page: DossierPage,
    candidates: Vec<Candidate>,
    pick: Option<Candidate>,
    note: String,
    reason: String,
    may_keep: bool,
    may_reopen: bool,
    error: Option<String>,
    /// Closing asks first (it cannot be undone but by the archivist).
    confirm_close: bool,
    /// Full names by user name, for the history.
    names: std::collections::HashMap<String, String>,
    /// Office numbers, to name documents in the history instead of record ids.
    numbers: vanthu_core::store::OfficeNumbers,
}

/// Messages of the page.
#[derive(Debug, Clone)]
pub enum Message {
    /// Back to the file plan.
    Back,
    /// Open an outgoing document.
    OpenDocument(i64),
    /// Open an incoming letter's card.
    OpenIncoming(i64),
    /// Pick a document to file.
    Pick(Candidate),
    /// File the picked document.
    Add,
    /// Take a document out (open dossier only).
    Remove(FiledItem),
    /// Closing note.
    Note(String),
    /// Close the dossier (asks first).
    Close,
    /// Close it: the answer to the question.
    ConfirmClose,
    /// Keep it open.
    CancelClose,
    /// Reason to reopen.
    Reason(String),
    /// Reopen the dossier.
    Reopen,
    /// Write the archive package.
    Export,
}

impl State {
    /// The error shown on the page, if any (the shell shows no toast repeating it).
    pub fn shown_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Loads a dossier's page.
    pub fn new(id: i64, ctx: &Ctx<'_>) -> Result<Self, String> {
        let page = ctx.store.dossier_page(id).map_err(|e| e.to_string())?;
        let responsible = page.dossier.responsible_person_id.is_some()
            && page.dossier.responsible_person_id == ctx.actor.user().person_id;
        let mut state = State {
            page,
            candidates: Vec::new(),
            pick: None,
            note: String::new(),
            reason: String::new(),
            may_keep: responsible || ctx.actor.has(Role::VanThu) || ctx.actor.has(Role::Archivist),
            may_reopen: ctx.actor.has(Role::Archivist),
            error: None,
            confirm_close: false,
            names: crate::gui::session::full_names(ctx.store),
            numbers: ctx.store.office_numbers(ctx.actor).unwrap_or_default(),
        };
        state.load_candidates(ctx);
        Ok(state)
    }

    fn reload(&mut self, ctx: &Ctx<'_>) {
        if let Ok(page) = ctx.store.dossier_page(self.page.dossier.id) {
            self.page = page;
        }
        self.load_candidates(ctx);
    }

    /// What can still be filed, while the dossier is open.
    fn load_candidates(&mut self, ctx: &Ctx<'_>) {
        self.candidates = if self.page.dossier.closed {
            Vec::new()
        } else {
            ctx.store
                .fileable_items(self.page.dossier.year, Some(self.page.dossier.agency_id))
                .unwrap_or_default()
                .into_iter()
                .map(Candidate)
                .collect()
        };
        self.pick = None;
    }

    fn outcome(&mut self, result: vanthu_core::store::Result<()>, done: &str, ctx: &Ctx<'_>) -> Go {
        match result {
            Ok(()) => {
                self.error = None;
                self.reload(ctx);
                Go::Notice(done.to_owned())
            }
            Err(e) => {
                eprintln!("vanthu: dossier step refused: {e}");
                self.error = Some(crate::gui::session::sentence(&e.to_string()));
                self.reload(ctx);
                Go::Stay
            }
        }
    }

    /// The error shown on the page (tests).
    #[cfg(test)]
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether the dossier is closed (tests).
    #[cfg(test)]
    pub fn closed(&self) -> bool {
        self.page.dossier.closed
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, ctx: &mut Ctx<'_>) -> Go {
        let id = self.page.dossier.id;
        let now = ctx.now();
        match message {
            Message::Back => Go::Open(Nav::Archive),
            Message::OpenDocument(doc) => Go::Document(doc),
            Message::OpenIncoming(letter) => Go::Incoming(letter),
            Message::Pick(c) => {
                self.pick = Some(c);
                Go::Stay
            }
            Message::Add => {
                let Some(pick) = self.pick.clone() else { return Go::Stay };
                let result = ctx.store.add_to_dossier(ctx.actor, id, pick.item(), now);
                self.outcome(result, &format!("Đã đưa {} vào hồ sơ.", pick.0.number), ctx)
            }
            Message::Remove(item) => {
                let result = ctx.store.remove_from_dossier(ctx.actor, id, item, now);
                self.outcome(result, "Đã bỏ văn bản khỏi hồ sơ.", ctx)
            }
            Message::Note(v) => {
                self.note = v;
                self.error = None;
                Go::Stay
            }
            Message::Close => {
                self.confirm_close = !self.note.trim().is_empty();
                if !self.confirm_close {
                    // Said, not silently ignored (a disabled-looking button tells nothing).
                    self.error = Some("Hãy ghi chú kết thúc hồ sơ (chứng từ kết thúc) trước khi đóng.".into());
                }
                Go::Stay
            }
            Message::CancelClose => {
                self.confirm_close = false;
                Go::Stay
            }
            Message::ConfirmClose => {
                self.confirm_close = false;
                let result = ctx.store.close_dossier(ctx.actor, id, &self.note, Some(ctx.today()), now).map(|_| ());
                let go = self.outcome(result, "Đã đóng hồ sơ; hồ sơ và văn bản của nó chỉ còn đọc.", ctx);
                if self.error.is_none() {
                    self.note.clear();
                }
                go
            }
            Message::Reason(v) => {
                self.reason = v;
                Go::Stay
            }
            Message::Reopen => {
                let result = ctx.store.reopen_dossier(ctx.actor, id, &self.reason, now);
                let go = self.outcome(result, "Đã mở lại hồ sơ; lý do được ghi vào nhật ký.", ctx);
                if self.error.is_none() {
                    self.reason.clear();
                }
                go
            }
            Message::Export => {
                Go::Run(Job::ArchiveExport { dossier_id: id, code: self.page.dossier.code.clone(), to: None })
            }
        }
    }

    fn metadata(&self) -> Element<'_, Message> {
        let d = &self.page.dossier;
        let line = |label: &'static str, value: String| {
            row![text(label).color(theme::MUTED).width(Length::Fixed(170.0)), text(value)].spacing(8)
        };
        let date = |v: Option<chrono::NaiveDate>| v.map_or("…".to_owned(), |d| d.format("%d/%m/%Y").to_string());
        let mut lines = column![
            line("Số, ký hiệu hồ sơ", d.code.clone()),
            line(
                "Đề mục",
                [Some(d.heading.as_str()), d.subheading.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" — ")
            ),
            line("Thời hạn bảo quản", d.retention.label()),
            line("Người lập hồ sơ", d.responsible_name.clone().unwrap_or_default()),
            line("Thời gian", format!("{} – {}", date(d.start_date), date(d.end_date))),
            line("Số văn bản", d.document_count.to_string()),
            line("Ngôn ngữ, chế độ sử dụng", format!("{}, {}", d.language, d.rights)),
        ]
        .spacing(4);
        if let Some(note) = &d.description {
            lines = lines.push(line("Ghi chú", note.clone()));
        }
        if let Some(note) = &d.closing_note {
            lines = lines.push(line("Chứng từ kết thúc", note.clone()));
        }
        lines.into()
    }

    fn documents(&self) -> Element<'_, Message> {
        let open = !self.page.dossier.closed && self.may_keep;
        let mut list = column![
            row![
                text("TT").font(font::BOLD).size(13).width(Length::Fixed(36.0)),
                text("Số, ký hiệu").font(font::BOLD).size(13).width(Length::FillPortion(2)),
                text("Ngày").font(font::BOLD).size(13).width(Length::FillPortion(2)),
                text("Trích yếu").font(font::BOLD).size(13).width(Length::FillPortion(7)),
                text("Tác giả").font(font::BOLD).size(13).width(Length::FillPortion(3)),
                iced::widget::space().width(Length::Fixed(if open { 60.0 } else { 0.0 })),
            ]
            .spacing(6),
            rule::horizontal(1),
        ]
        .spacing(4);
        if self.page.documents.is_empty() {
            list = list.push(text("Hồ sơ chưa có văn bản nào.").color(theme::MUTED));
        }
        for e in &self.page.documents {
            let date = e.date.parse::<chrono::NaiveDate>().map_or(e.date.clone(), |d| d.format("%d/%m/%Y").to_string());
            let open_item =
                if e.item == "document" { Message::OpenDocument(e.id) } else { Message::OpenIncoming(e.id) };
            let subject: Element<'_, Message> =
                button(text(e.subject.as_str()).size(13)).on_press(open_item).style(button::text).padding(0).into();
            let mut line = row![
                text(e.ordinal.to_string()).size(13).width(Length::Fixed(36.0)),
                text(e.number.as_str()).size(13).width(Length::FillPortion(2)),
                text(date).size(13).width(Length::FillPortion(2)),
                container(subject).width(Length::FillPortion(7)),
                text(e.author.as_str()).size(13).width(Length::FillPortion(3)),
            ]
            .spacing(6);
            if open {
                let item = if e.item == "incoming" { FiledItem::Incoming(e.id) } else { FiledItem::Document(e.id) };
                line = line.push(
                    button(text("Bỏ ra").size(12))
                        .on_press(Message::Remove(item))
                        .style(button::text)
                        .width(Length::Fixed(60.0)),
                );
            }
            list = list.push(line);
        }
        list.into()
    }

    fn actions(&self) -> Element<'_, Message> {
        let d = &self.page.dossier;
        let mut actions = column![].spacing(8);
        if !d.closed && self.may_keep {
            actions = actions.push(
                row![
                    crate::gui::widget::choice::fitted_pick_list_fill(
                        &self.candidates,
                        self.pick.as_ref(),
                        640.0,
                        if self.candidates.is_empty() {
                            "Không còn văn bản nào chưa lập hồ sơ"
                        } else {
                            "Chọn văn bản đã phát hành hoặc văn bản đến"
                        },
                        Message::Pick
                    ),
                    button(text("Đưa vào hồ sơ"))
                        .on_press_maybe(self.pick.is_some().then_some(Message::Add))
                        .style(button::primary),
                ]
                .spacing(8),
            );
            let hint = if d.retention.is_permanent() {
                "Ghi chú kết thúc hồ sơ (hồ sơ vĩnh viễn: mục lục văn bản được lập khi đóng)"
            } else {
                "Ghi chú kết thúc hồ sơ"
            };
            actions = actions.push(
                row![
                    guard(
                        text_input(hint, &self.note)
                            .id("dossier-close-note")
                            .on_input(Message::Note)
                            .on_submit(Message::Close)
                    ),
                    button(text("Đóng hồ sơ")).on_press(Message::Close).style(button::secondary),
                ]
                .spacing(8),
            );
        }
        if d.closed {
            actions = actions.push(
                row![
                    text("Hồ sơ đã đóng: không thể thêm, bớt hay sửa văn bản.").color(theme::MUTED).width(Length::Fill),
                    button(text("Xuất gói lưu trữ…")).on_press(Message::Export).style(button::primary),
                ]
                .spacing(8)
                .align_y(iced::Center),
            );
            if self.may_reopen {
                actions = actions.push(
                    row![
                        guard(
                            text_input("Lý do mở lại (bắt buộc, ghi vào nhật ký)", &self.reason)
                                .on_input(Message::Reason)
                                .on_submit(Message::Reopen)
                        ),
                        button(text("Mở lại hồ sơ"))
                            .on_press_maybe((!self.reason.trim().is_empty()).then_some(Message::Reopen))
                            .style(button::danger),
                    ]
                    .spacing(8),
                );
            }
        }
        actions.into()
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let d = &self.page.dossier;
        let status =
            if d.closed { text("Đã đóng").color(theme::MUTED) } else { text("Đang mở").color(theme::OK) };
        let mut page = column![
            row![
                button(text("‹ Danh mục hồ sơ")).on_press(Message::Back).style(button::text),
                iced::widget::space().width(Length::Fill),
                status.font(font::BOLD),
            ]
            .align_y(iced::Center),
            text(d.title.as_str()).size(theme::TITLE).font(font::BOLD),
            self.metadata(),
        ]
        .spacing(theme::GAP);
        page = page.push(crate::gui::widget::slot::page_error(self.error.as_deref()));
        page = page.push(self.actions());
        page = page.push(text("Văn bản trong hồ sơ").size(theme::HEADING).font(font::BOLD)).push(self.documents());
        let mut history = column![text("Lịch sử hồ sơ").size(theme::HEADING).font(font::BOLD)].spacing(2);
        for line in self.history() {
            history = history.push(text(line).size(13));
        }
        page = page.push(history);
        scrollable(page.padding(iced::Padding { right: 14.0, ..iced::Padding::ZERO })).height(Length::Fill).into()
    }

    /// The history lines: when, who, what, with documents named by the office's
    /// number ("văn bản đi 2542/UBND-KT", "văn bản đến số đến 9 (…)"), not record ids.
    fn history(&self) -> Vec<String> {
        self.page
            .events
            .iter()
            .map(|e| {
                let at = super::audit::when(&e.at);
                let comment =
                    e.comment.as_deref().map(|c| format!(" — {}", self.numbers.rewrite(c))).unwrap_or_default();
                format!(
                    "{at}  {}  {}{comment}",
                    crate::gui::session::person(&self.names, &e.username),
                    crate::gui::session::action_label(&e.action)
                )
            })
            .collect()
    }

    /// The closing question, drawn by the shell over the whole window at a fixed height.
    pub fn dialog(&self) -> Option<Element<'_, Message>> {
        if !self.confirm_close {
            return None;
        }
        let d = &self.page.dossier;
        let dialog = container(
            column![
                text("Đóng hồ sơ").size(theme::HEADING).font(font::BOLD),
                text(format!("Hồ sơ {} — {}", d.code, d.title)).font(font::BOLD),
                text(
                    "Sau khi đóng, hồ sơ và các văn bản của nó chỉ còn đọc; chỉ người làm lưu trữ mở lại được, \
                     với lý do ghi vào nhật ký.",
                ),
                row![
                    button(text("Hủy")).on_press(Message::CancelClose).style(button::secondary),
                    iced::widget::space().width(Length::Fill),
                    button(text("Xác nhận đóng hồ sơ")).on_press(Message::ConfirmClose),
                ]
                .spacing(8),
            ]
            .spacing(10),
        )
        .padding(20)
        .width(520)
        .style(container::bordered_box);
        Some(dialog.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::testing::Fixture;

    fn open_dossier(f: &mut Fixture) -> i64 {
        f.dossiers().into_iter().find(|d| !d.closed).map(|d| d.id).expect("an open demo dossier")
    }

    #[test]
    fn file_close_and_reopen_through_the_page() {
        let mut f = Fixture::demo("lythihongnhung");
        let id = open_dossier(&mut f);
        let mut ctx = f.ctx();
        let mut state = State::new(id, &ctx).unwrap();
        let before = state.page.documents.len();
        let candidate = state.candidates.first().cloned().expect("something to file");
        state.update(Message::Pick(candidate), &mut ctx);
        assert!(matches!(state.update(Message::Add, &mut ctx), Go::Notice(_)), "{:?}", state.error);
        assert_eq!(state.page.documents.len(), before + 1);
        // The history names what was filed by the office's number, not a record id.
        let history = state.history();
        assert!(history.iter().any(|l| l.contains("Thêm") || l.contains("văn bản")), "{history:?}");
        assert!(history.iter().all(|l| !l.contains('#')), "{history:?}");
        state.update(Message::Note("Đủ văn bản".into()), &mut ctx);
        // A letter still being handled keeps the dossier open; the message names it.
        let unfinished: Vec<i64> = ctx
            .store
            .list_incoming()
            .unwrap()
            .into_iter()
            .filter(|i| i.state.is_open() && state.page.documents.iter().any(|e| e.item == "incoming" && e.id == i.id))
            .map(|i| i.id)
            .collect();
        if !unfinished.is_empty() {
            state.update(Message::Close, &mut ctx);
            assert!(matches!(state.update(Message::ConfirmClose, &mut ctx), Go::Stay));
            let error = state.error.clone().unwrap_or_default();
            assert!(error.contains("chưa giải quyết xong") && error.contains("văn bản đến số"), "{error}");
            assert!(!state.page.dossier.closed);
            for letter in &unfinished {
                state.update(Message::Remove(FiledItem::Incoming(*letter)), &mut ctx);
            }
        }
        let before = state.page.documents.len();
        assert!(matches!(state.update(Message::Close, &mut ctx), Go::Stay), "closing asks first");
        assert!(!state.page.dossier.closed && state.confirm_close);
        assert!(matches!(state.update(Message::ConfirmClose, &mut ctx), Go::Notice(_)), "{:?}", state.error);
        assert!(state.page.dossier.closed);
        // Closed: the core refuses a removal even if a message is forced.
        let first = &state.page.documents[0];
        let item = if first.item == "incoming" { FiledItem::Incoming(first.id) } else { FiledItem::Document(first.id) };
        assert!(matches!(state.update(Message::Remove(item), &mut ctx), Go::Stay));
        assert!(state.error.is_some());
        assert_eq!(state.page.documents.len(), before);
        // The văn thư may not reopen; the archivist may, with a reason.
        state.update(Message::Reason("Bổ sung văn bản".into()), &mut ctx);
        assert!(matches!(state.update(Message::Reopen, &mut ctx), Go::Stay));
        assert!(state.page.dossier.closed);
        f.login("hovanphuc");
        let mut ctx = f.ctx();
        let mut state = State::new(id, &ctx).unwrap();
        assert!(state.may_reopen);
        state.update(Message::Reason("Bổ sung văn bản còn thiếu".into()), &mut ctx);
        assert!(matches!(state.update(Message::Reopen, &mut ctx), Go::Notice(_)), "{:?}", state.error);
        assert!(!state.page.dossier.closed);
        assert!(state.page.events.iter().any(|e| e.comment.as_deref() == Some("Bổ sung văn bản còn thiếu")));
    }

    #[test]
    fn a_closed_dossier_exports_its_package_and_the_package_verifies() {
        let mut f = Fixture::demo("lythihongnhung");
        let closed = f.dossiers().into_iter().find(|d| d.closed).expect("a closed demo dossier");
        let mut ctx = f.ctx();
        let mut state = State::new(closed.id, &ctx).unwrap();
        let Go::Run(Job::ArchiveExport { dossier_id, code, .. }) = state.update(Message::Export, &mut ctx) else {
            panic!("export job expected")
        };
        // Both forms: the .zip file the dialog offers, and a directory.
        for name in ["package.zip", "package"] {
            let out = std::env::temp_dir().join(format!("vanthu-gui-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&out);
            let _ = std::fs::remove_file(&out);
            let mut steps = Vec::new();
            let job = Job::ArchiveExport { dossier_id, code: code.clone(), to: Some(out.clone()) };
            let done = crate::gui::job::run(&job, ctx.store, false, &mut |d, t| steps.push((d, t)));
            assert!(matches!(&done, crate::gui::job::Done::Written(Ok(Some(_)))), "{done:?}");
            assert!(steps.last().is_some_and(|(d, t)| d == t && *t as i64 == closed.document_count), "{steps:?}");
            assert_eq!(out.is_file(), name.ends_with(".zip"));
            let verify = Job::ArchiveVerify { from: Some(out.clone()), zip: out.is_file() };
            let check = crate::gui::job::run(&verify, ctx.store, false, &mut |_, _| {});
            let crate::gui::job::Done::PackageChecked(Ok(Some((_, problems)))) = check else { panic!("{check:?}") };
            assert!(problems.is_empty(), "{problems:?}");
            let _ = std::fs::remove_dir_all(&out);
            let _ = std::fs::remove_file(&out);
        }
    }
}
