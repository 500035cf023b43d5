//! The signed-in shell: a sidebar with the entries the user's roles allow, the
//! current page, notices and the progress of long work.

use iced::widget::{button, column, container, progress_bar, row, rule, text};
use iced::{Element, Length, Task};
use vanthu_core::{Actor, Store};

use super::{
    admin, archive, audit, dashboard, document, dossier, editor, incoming, incoming_card, queue, registers, search,
};
use crate::check::Setup;
use crate::gui::job::{self, Done, Event};
use crate::gui::session::{Ctx, Go, Nav, sentence};
use crate::gui::widget::save_dialog::{self, SaveDialog};
use crate::gui::{font, theme};

#[path = "shell_overlay.rs"]
mod overlay;
pub use overlay::toast_style;
use overlay::{editor_ticks, leave_dialog, notice_ticks, over};

/// The page shown right of the sidebar.
#[derive(Debug)]
pub enum Page {
    /// Việc của tôi.
    Dashboard(dashboard::State),
    /// Soạn thảo.
    Editor(Box<editor::State>),
    /// A queue of documents awaiting the user (Duyệt / Ký, Văn thư).
    Queue(queue::State),
    /// One document.
    Document(Box<document::State>),
    /// Văn bản đến.
    Incoming(incoming::State),
    /// One incoming letter's card.
    IncomingCard(Box<incoming_card::State>),
    /// Sổ đăng ký.
    Registers(registers::State),
    /// Quản trị.
    Admin(Box<admin::State>),
    /// Nhật ký.
    Audit(audit::State),
    /// Hồ sơ, lưu trữ: the file plan.
    Archive(archive::State),
    /// One dossier.
    Dossier(Box<dossier::State>),
    /// Tra cứu.
    Search(search::State),
}

/// Shell state.
pub struct State {
    actor: Actor,
    setup: Setup,
    nav: Nav,
    page: Page,
    notice: Option<(bool, String)>,
    busy: Option<(&'static str, Option<(u64, u64)>)>,
    backup_due: Option<&'static str>,
    /// The notice is neutral (a cancel), neither success nor error.
    notice_neutral: bool,
    /// The in-app save dialog, when the system's could not open.
    save_dialog: Option<SaveDialog>,
    /// Leaving an unsaved draft: what the user asked, held until they choose.
    leaving: Option<Box<Message>>,
    /// The notice as first seen by a tick, and when: a success goes after
    /// [`NOTICE_LIFE`].
    notice_seen: Option<(String, std::time::Instant)>,
}

/// How long a success (or neutral) notice stays; an error stays until the next
/// page or its × button.
pub const NOTICE_LIFE: std::time::Duration = std::time::Duration::from_secs(5);

/// The height kept at the bottom of the page for the notice: it covers no field
/// and moves nothing when it comes or goes.
pub const NOTICE_BAR: f32 = 48.0;

/// Messages of the shell.
#[derive(Debug, Clone)]
pub enum Message {
    /// A sidebar entry.
    Nav(Nav),
    /// Log out.
    Logout,
    /// Close the notice.
    Dismiss,
    /// A second passed while a notice is shown (a success leaves after [`NOTICE_LIFE`]).
    NoticeTick(std::time::Instant),
    /// Escape: close the open dialog, else the notice.
    Escape,
    /// Long work progressed or finished.
    Job(Event),
    /// The backup reminder's button.
    BackupNow,
    /// Other desks committed changes (office server): the lists are read again.
    Changed,
    /// Dashboard.
    Dashboard(dashboard::Message),
    /// Editor.
    Editor(editor::Message),
    /// Queue.
    Queue(queue::Message),
    /// Document.
    Document(document::Message),
    /// Incoming.
    Incoming(incoming::Message),
    /// Incoming card.
    IncomingCard(incoming_card::Message),
    /// Registers.
    Registers(registers::Message),
    /// Admin.
    Admin(admin::Message),
    /// Audit.
    Audit(audit::Message),
    /// Archive.
    Archive(archive::Message),
    /// Dossier.
    Dossier(dossier::Message),
    /// Search.
    Search(search::Message),
    /// The in-app save dialog.
    SaveDialog(save_dialog::Message),
    /// The answer to "the draft has unsaved changes".
    Leave(Leave),
    /// The window's close button.
    Quit(iced::window::Id),
}

/// The choices when leaving a draft with unsaved changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leave {
    /// Save it as a new version, then go.
    Save,
    /// Drop the changes and go.
    Discard,
    /// Stay in the editor.
    Stay,
}

/// What the shell asks the application to do.
pub enum Out {
    /// Keep going, running the task.
    Run(Task<Message>),
    /// Log out.
    Logout,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shell").field("nav", &self.nav).field("page", &self.page).finish_non_exhaustive()
    }
}

impl State {
    /// Who is signed in.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The shell for a user who just logged in, on the dashboard.
    pub fn new(actor: Actor, store: &mut Store) -> Self {
        let setup = Setup::from_store(store).unwrap_or_else(|e| {
            eprintln!("vanthu: cannot load the office rules: {e}");
            Setup::embedded()
        });
        let page = {
            let ctx = Ctx { store, actor: &actor, setup: &setup };
            Page::Dashboard(dashboard::State::new(&ctx))
        };
        let backup_due = backup_reminder(&actor, store);
        State {
            actor,
            setup,
            nav: Nav::Dashboard,
            page,
            notice: None,
            busy: None,
            backup_due,
            notice_neutral: false,
            save_dialog: None,
            leaving: None,
            notice_seen: None,
        }
    }

    /// The current page (tests).
    #[cfg(test)]
    pub fn page(&self) -> &Page {
        &self.page
    }

    /// Goes where a page would send the user (tests walking every page).
    #[cfg(test)]
    pub fn go_for_test(&mut self, go: Go, store: &mut Store) {
        let _ = self.go(go, store);
    }

    /// The user took their time before the next click (tests): the page's step
    /// buttons no longer take it for the rest of a double click.
    #[cfg(test)]
    pub fn user_waited(&mut self) {
        match &mut self.page {
            Page::Document(p) => p.wait_after_step(),
            Page::IncomingCard(p) => p.wait_after_step(),
            _ => {}
        }
    }

    /// The notice shown, if any: (is error, text).
    #[cfg(test)]
    pub fn notice(&self) -> Option<&(bool, String)> {
        self.notice.as_ref()
    }

    /// The number of pages of the editor's live preview (the keystroke benchmark,
    /// `examples/editor_keystroke.rs`).
    #[allow(dead_code)]
    pub fn editor_preview_pages(&self) -> Option<usize> {
        match &self.page {
            Page::Editor(page) => Some(page.preview_pages()),
            _ => None,
        }
    }

    /// The number of content blocks of the draft in the editor (the benchmark).
    #[allow(dead_code)]
    pub fn editor_body_len(&self) -> Option<usize> {
        match &self.page {
            Page::Editor(page) => page.body_len(),
            _ => None,
        }
    }

    /// Whether the page is a draft with unsaved changes.
    pub fn has_unsaved_draft(&self) -> bool {
        matches!(&self.page, Page::Editor(page) if page.is_dirty())
    }

    /// Whether the "unsaved changes" question is shown (tests).
    #[cfg(test)]
    pub fn asks_to_leave(&self) -> bool {
        self.leaving.is_some()
    }

    /// Whether the notice is neutral (tests).
    #[cfg(test)]
    pub fn notice_is_neutral(&self) -> bool {
        self.notice_neutral
    }

    /// Whether the in-app save dialog is shown (tests).
    #[cfg(test)]
    pub fn save_dialog_open(&self) -> bool {
        self.save_dialog.is_some()
    }

    /// The in-app save dialog (tests).
    #[cfg(test)]
    pub fn save_dialog(&self) -> Option<&SaveDialog> {
        self.save_dialog.as_ref()
    }

    /// Ticks for the editor's autosave while a draft has unsaved changes.
    pub fn subscription(&self) -> iced::Subscription<Message> {
        let editor =
            if self.has_unsaved_draft() { iced::Subscription::run(editor_ticks) } else { iced::Subscription::none() };
        let notice = if self.notice.as_ref().is_some_and(|(error, _)| !error) {
            iced::Subscription::run(notice_ticks)
        } else {
            iced::Subscription::none()
        };
        iced::Subscription::batch([editor, notice])
    }

    /// A tick while a notice is shown: a success or neutral notice leaves
    /// [`NOTICE_LIFE`] after the tick that first saw it; an error stays.
    fn notice_tick(&mut self, now: std::time::Instant) {
        let Some((error, text)) = &self.notice else {
            self.notice_seen = None;
            return;
        };
        match &self.notice_seen {
            Some((seen, at)) if seen == text => {
                if !error && now.saturating_duration_since(*at) >= NOTICE_LIFE {
                    self.notice = None;
                    self.notice_seen = None;
                }
            }
            _ => self.notice_seen = Some((text.clone(), now)),
        }
    }

    /// The dialogs of the shell and the question before leaving an unsaved draft;
    /// `None` when the message is for the page.
    fn intercept(&mut self, message: &Message, store: &mut Store) -> Option<Out> {
        match message {
            Message::SaveDialog(m) => {
                let dialog = self.save_dialog.as_mut()?;
                let go = match dialog.update(m.clone()) {
                    save_dialog::Outcome::Open => Go::Stay,
                    save_dialog::Outcome::Cancelled => {
                        self.save_dialog = None;
                        Go::Info("Đã hủy.".into())
                    }
                    save_dialog::Outcome::Run(job) => {
                        self.save_dialog = None;
                        Go::Run(job)
                    }
                };
                Some(Out::Run(self.go(go, store)))
            }
            Message::Leave(choice) => {
                let pending = self.leaving.take()?;
                let Page::Editor(page) = &mut self.page else { return Some(self.update(*pending, store)) };
                match choice {
                    Leave::Stay => return Some(Out::Run(Task::none())),
                    Leave::Discard => page.discard(),
                    Leave::Save => {
                        let mut ctx = Ctx { store, actor: &self.actor, setup: &self.setup };
                        if let Err(e) = page.save_now(&mut ctx) {
                            self.notice = Some((true, sentence(&e)));
                            return Some(Out::Run(Task::none()));
                        }
                    }
                }
                Some(self.update(*pending, store))
            }
            Message::Nav(_) | Message::Logout | Message::Quit(_) | Message::Editor(editor::Message::Back)
                if self.has_unsaved_draft() =>
            {
                self.leaving = Some(Box::new(message.clone()));
                Some(Out::Run(Task::none()))
            }
            Message::Quit(id) => Some(Out::Run(iced::window::close(*id))),
            Message::Escape if self.leaving.is_some() => {
                self.leaving = None;
                Some(Out::Run(Task::none()))
            }
            Message::Escape if self.save_dialog.is_some() => {
                Some(self.update(Message::SaveDialog(save_dialog::Message::Cancel), store))
            }
            _ => None,
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, store: &mut Store) -> Out {
        if let Some(out) = self.intercept(&message, store) {
            return out;
        }
        let mut ctx = Ctx { store, actor: &self.actor, setup: &self.setup };
        let go = match (message, &mut self.page) {
            (Message::Nav(nav), _) => Go::Open(nav),
            (Message::Changed, Page::Dashboard(_) | Page::Queue(_) | Page::Incoming(_) | Page::Registers(_)) => {
                Go::Open(self.nav)
            }
            (Message::Changed, _) => Go::Stay,
            (Message::Logout, _) => return Out::Logout,
            (Message::Dismiss, _) => {
                self.notice = None;
                Go::Stay
            }
            (Message::NoticeTick(now), _) => {
                self.notice_tick(now);
                Go::Stay
            }
            (Message::Escape, Page::Document(page)) if page.has_dialog() => {
                page.update(document::Message::Close, &mut ctx)
            }
            (Message::Escape, Page::IncomingCard(page)) if page.has_dialog() => {
                page.update(incoming_card::Message::Cancel, &mut ctx)
            }
            (Message::Escape, Page::Dossier(page)) if page.dialog().is_some() => {
                page.update(dossier::Message::CancelClose, &mut ctx)
            }
            (Message::Escape, _) => {
                self.notice = None;
                Go::Stay
            }
            (Message::Job(Event::Progress(done, total)), _) => {
                if let Some((_, progress)) = &mut self.busy {
                    *progress = Some((done, total));
                }
                Go::Stay
            }
            (Message::Job(Event::Done(done)), _) => {
                self.busy = None;
                self.backup_due = backup_reminder(&self.actor, ctx.store);
                match (&mut self.page, done) {
                    (Page::Audit(page), Done::Verified(result)) => page.verified(result),
                    (_, Done::Verified(Ok(None))) => Go::Notice("Nhật ký và nội dung toàn vẹn.".into()),
                    (_, Done::Verified(Ok(Some(at)))) => Go::Error(format!("Nhật ký bị hỏng tại {at}")),
                    (_, Done::Verified(Err(e))) | (_, Done::Written(Err(e))) => Go::Error(e),
                    (_, Done::PackageChecked(Err(e))) | (_, Done::Restored(Err(e))) => Go::Error(e),
                    (page, Done::Written(Ok(Some(what)))) => {
                        if let Page::Archive(p) = page {
                            p.reload(&ctx);
                        }
                        Go::Notice(what)
                    }
                    (_, Done::Written(Ok(None)))
                    | (_, Done::PackageChecked(Ok(None)))
                    | (_, Done::Restored(Ok(false))) => Go::Info("Đã hủy.".into()),
                    (page, Done::Attached(Ok(Some(what)))) => {
                        match page {
                            Page::Document(p) => p.refresh(&ctx),
                            Page::IncomingCard(p) => p.refresh(&ctx),
                            Page::Editor(p) => p.refresh_attachments(&ctx),
                            _ => {}
                        }
                        Go::Notice(what)
                    }
                    (_, Done::Attached(Err(e))) => Go::Error(e),
                    (Page::Document(p), Done::Picked(Some(path))) => p.key_file_chosen(path),
                    (_, Done::Picked(_)) | (_, Done::Attached(Ok(None))) => Go::Info("Đã hủy.".into()),
                    (_, Done::AskPath(job, name)) => {
                        self.save_dialog = Some(SaveDialog::new(*job, name));
                        Go::Focus(iced::widget::Id::new("save-name"))
                    }
                    (_, Done::PackageChecked(Ok(Some((package, problems))))) if problems.is_empty() => {
                        Go::Notice(format!("Gói lưu trữ {package} toàn vẹn: mọi tệp đúng mã băm SHA-256."))
                    }
                    (_, Done::PackageChecked(Ok(Some((package, problems))))) => {
                        Go::Error(format!("Gói lưu trữ {package} không toàn vẹn: {}", problems.join("; ")))
                    }
                    (_, Done::Restored(Ok(true))) => {
                        eprintln!("vanthu: database restored from a backup; signing out");
                        return Out::Logout;
                    }
                }
            }
            (Message::BackupNow, _) => Go::Run(job::Job::Backup { to: None, by: Box::new(self.actor.clone()) }),
            (Message::Dashboard(m), Page::Dashboard(page)) => page.update(m, &mut ctx),
            (Message::Editor(m), Page::Editor(page)) => page.update(m, &mut ctx),
            (Message::Queue(m), Page::Queue(page)) => page.update(m, &mut ctx),
            (Message::Document(m), Page::Document(page)) => page.update(m, &mut ctx),
            (Message::Incoming(m), Page::Incoming(page)) => page.update(m, &mut ctx),
            (Message::IncomingCard(m), Page::IncomingCard(page)) => page.update(m, &mut ctx),
            (Message::Registers(m), Page::Registers(page)) => page.update(m, &mut ctx),
            (Message::Admin(m), Page::Admin(page)) => page.update(m, &mut ctx),
            (Message::Audit(m), Page::Audit(page)) => page.update(m, &mut ctx),
            (Message::Archive(m), Page::Archive(page)) => page.update(m, &mut ctx),
            (Message::Dossier(m), Page::Dossier(page)) => page.update(m, &mut ctx),
            (Message::Search(m), Page::Search(page)) => page.update(m, &mut ctx),
            _ => Go::Stay,
        };
        Out::Run(self.go(go, store))
    }

    fn go(&mut self, go: Go, store: &mut Store) -> Task<Message> {
        if !matches!(go, Go::Stay | Go::Focus(_) | Go::Run(_)) {
            self.notice_neutral = matches!(go, Go::Info(_));
        }
        if let Go::RulesChanged(text) = go {
            self.notice = Some(match Setup::from_store(store) {
                Ok(setup) => {
                    self.setup = setup;
                    (false, text)
                }
                Err(e) => (true, format!("{text} Nhưng không nạp lại được quy tắc: {e}")),
            });
            return Task::none();
        }
        let ctx = Ctx { store, actor: &self.actor, setup: &self.setup };
        match go {
            Go::Stay => {}
            Go::Open(nav) => {
                if !nav.allowed(ctx.roles()) {
                    self.notice = Some((true, format!("Không có quyền mở mục {}.", nav.label())));
                    return Task::none();
                }
                self.nav = nav;
                self.notice = None;
                self.page = match nav {
                    Nav::Dashboard => Page::Dashboard(dashboard::State::new(&ctx)),
                    Nav::Editor => Page::Editor(Box::new(editor::State::new(&ctx))),
                    Nav::Review => Page::Queue(queue::State::new(queue::Kind::Review, &ctx)),
                    Nav::VanThu => Page::Queue(queue::State::new(queue::Kind::VanThu, &ctx)),
                    Nav::Incoming => Page::Incoming(incoming::State::new(&ctx)),
                    Nav::Registers => Page::Registers(registers::State::new(&ctx)),
                    Nav::Admin => Page::Admin(Box::new(admin::State::new(&ctx))),
                    Nav::Audit => Page::Audit(audit::State::new(&ctx, None)),
                    Nav::Archive => Page::Archive(archive::State::new(&ctx)),
                    Nav::Search => Page::Search(search::State::new(&ctx)),
                };
                if nav == Nav::Search {
                    return iced::widget::operation::focus(search::input_id());
                }
            }
            Go::Document(id) => match document::State::new(id, &ctx) {
                Ok(page) => self.page = Page::Document(Box::new(page)),
                Err(e) => self.notice = Some((true, sentence(&e))),
            },
            Go::Incoming(id) => match incoming_card::State::new(id, &ctx) {
                Ok(page) => {
                    self.nav = Nav::Incoming;
                    self.notice = None;
                    self.page = Page::IncomingCard(Box::new(page));
                }
                Err(e) => self.notice = Some((true, sentence(&e))),
            },
            Go::Dossier(id) => match dossier::State::new(id, &ctx) {
                Ok(page) => {
                    self.page = Page::Dossier(Box::new(page));
                }
                Err(e) => self.notice = Some((true, sentence(&e))),
            },
            Go::Edit(id) => match editor::State::open(id, &ctx) {
                Ok(page) => {
                    self.nav = Nav::Editor;
                    self.page = Page::Editor(Box::new(page));
                }
                Err(e) => self.notice = Some((true, sentence(&e))),
            },
            Go::Notice(text) | Go::Info(text) => self.notice = Some((false, sentence(&text))),
            Go::RulesChanged(text) => self.notice = Some((false, sentence(&text))),
            Go::Error(text) => {
                // Shown once: not as a toast when the page already says it.
                let text = sentence(&text);
                if self.page_error().is_some_and(|shown| sentence(shown) == text) {
                    eprintln!("vanthu: {text}");
                    // An older notice would now say something else than the page.
                    self.notice = None;
                } else {
                    self.notice = Some((true, text));
                }
            }
            Go::Focus(id) => return iced::widget::operation::focus(id),
            Go::Unlock(attempt, password) => {
                return crate::gui::worker::off_thread(
                    move || Box::new(attempt.unlock(&password)),
                    |unlocked| Message::Document(document::Message::Unlocked(unlocked)),
                );
            }
            Go::ReadCertificate(key) => {
                use document::digital::DigitalMessage;
                return crate::gui::worker::off_thread(
                    move || key.certificate(),
                    |read| Message::Document(document::Message::Digital(DigitalMessage::CertificateRead(read))),
                );
            }
            Go::SignDigitally(request) => {
                use document::digital::DigitalMessage;
                let done = |d| Message::Document(document::Message::Digital(DigitalMessage::Done(d)));
                return match ctx.store.path().map(std::path::Path::to_path_buf) {
                    Some(db) => crate::gui::worker::off_thread(move || request.run_on(&db), done),
                    // A database in memory (tests): sign here.
                    None => {
                        let result = request.run(ctx.store);
                        match self.update(done(Some(result)), store) {
                            Out::Run(task) => task,
                            Out::Logout => Task::none(),
                        }
                    }
                };
            }
            Go::Run(job) => {
                if self.busy.is_some() {
                    self.notice = Some((true, "Đang có một việc chạy nền; hãy đợi nó xong.".into()));
                    return Task::none();
                }
                self.busy = Some((job.label(), None));
                return match ctx.store.path().map(std::path::Path::to_path_buf) {
                    Some(db) => Task::run(job::run_on_worker(job, db), Message::Job),
                    None => {
                        // A database in memory (tests): run here and take the result now.
                        let done = job::run(&job, ctx.store, false, &mut |_, _| {});
                        match self.update(Message::Job(Event::Done(done)), store) {
                            Out::Run(task) => task,
                            Out::Logout => Task::none(),
                        }
                    }
                };
            }
        }
        Task::none()
    }

    /// The error the current page shows inline, if any.
    fn page_error(&self) -> Option<&str> {
        match &self.page {
            Page::Dashboard(p) => p.shown_error(),
            Page::Editor(p) => p.shown_error(),
            Page::Queue(p) => p.shown_error(),
            Page::Document(p) => p.shown_error(),
            Page::Incoming(p) => p.shown_error(),
            Page::IncomingCard(p) => p.shown_error(),
            Page::Registers(p) => p.shown_error(),
            Page::Admin(p) => p.shown_error(),
            Page::Audit(p) => p.shown_error(),
            Page::Archive(p) => p.shown_error(),
            Page::Dossier(p) => p.shown_error(),
            Page::Search(p) => p.shown_error(),
        }
    }

    /// Draws the shell.
    pub fn view(&self) -> Element<'_, Message> {
        let user = self.actor.user();
        let mut side = column![
            text("Vanthu").size(theme::TITLE).font(font::BOLD).color(theme::ACCENT),
            text("Văn thư 4 đúng").size(12).color(theme::MUTED),
            rule::horizontal(1),
        ]
        .spacing(6)
        .width(Length::Fixed(200.0));
        for nav in Nav::ALL.into_iter().filter(|n| n.allowed(&user.roles)) {
            let style = if nav == self.nav { button::primary } else { button::text };
            side = side.push(button(text(nav.label())).on_press(Message::Nav(nav)).style(style).width(Length::Fill));
        }
        let roles: Vec<&str> = user.roles.iter().map(|r| r.label()).collect();
        side = side.push(iced::widget::space().height(Length::Fill)).push(rule::horizontal(1)).push(
            column![
                text(user.full_name.as_str()).font(font::BOLD),
                text(roles.join(", ")).size(12).color(theme::MUTED),
                button(text("Đăng xuất")).on_press(Message::Logout).style(button::secondary),
            ]
            .spacing(4),
        );
        let sidebar = container(side)
            .padding(12)
            .height(Length::Fill)
            .style(|_| container::Style { background: Some(theme::SIDEBAR.into()), ..container::Style::default() });

        let mut main = column![].spacing(8);
        if let Some((label, progress)) = self.busy {
            let (value, count) = match progress {
                Some((done, total)) if total > 0 => (done as f32 / total as f32, format!("{done}/{total}")),
                _ => (0.0, String::new()),
            };
            main = main.push(
                row![text(label), progress_bar(0.0..=1.0, value).girth(6), text(count).color(theme::MUTED)]
                    .spacing(12)
                    .align_y(iced::Alignment::Center),
            );
        }
        if let Some(reminder) = self.backup_due.filter(|_| self.busy.is_none()) {
            main = main.push(
                container(
                    row![
                        text(reminder).color(theme::WARNING).width(Length::Fill),
                        button(text("Sao lưu ngay")).on_press(Message::BackupNow).style(button::secondary),
                    ]
                    .spacing(8)
                    .align_y(iced::Alignment::Center),
                )
                .padding(8)
                .style(container::rounded_box),
            );
        }
        let page = match &self.page {
            Page::Dashboard(p) => p.view().map(Message::Dashboard),
            Page::Editor(p) => p.view().map(Message::Editor),
            Page::Queue(p) => p.view().map(Message::Queue),
            Page::Document(p) => p.view().map(Message::Document),
            Page::Incoming(p) => p.view().map(Message::Incoming),
            Page::IncomingCard(p) => p.view().map(Message::IncomingCard),
            Page::Registers(p) => p.view().map(Message::Registers),
            Page::Admin(p) => p.view().map(Message::Admin),
            Page::Audit(p) => p.view().map(Message::Audit),
            Page::Archive(p) => p.view().map(Message::Archive),
            Page::Dossier(p) => p.view().map(Message::Dossier),
            Page::Search(p) => p.view().map(Message::Search),
        };
        main = main.push(page);
        // The notice has its own strip at the bottom, kept when empty: it never covers
        // the field being edited and nothing moves under the pointer when it comes or goes.
        let notice: Element<'_, Message> = match &self.notice {
            None => iced::widget::space().height(Length::Fixed(NOTICE_BAR)).into(),
            Some((error, message)) => {
                let color = if *error {
                    theme::ERROR
                } else if self.notice_neutral {
                    theme::MUTED
                } else {
                    theme::OK
                };
                container(
                    row![
                        // The strip's height; a longer notice grows it.
                        iced::widget::space().width(Length::Fixed(1.0)).height(Length::Fixed(NOTICE_BAR - 12.0)),
                        text(message.as_str()).color(color).width(Length::Fill),
                        button(text("×").size(16)).on_press(Message::Dismiss).style(button::text).padding([0, 8]),
                    ]
                    .spacing(8)
                    .align_y(iced::Alignment::Center),
                )
                .padding([6, 12])
                .width(Length::Fill)
                .style(move |t: &iced::Theme| toast_style(t, color))
                .into()
            }
        };
        let main = column![container(main).height(Length::Fill), notice].spacing(8);
        let main = container(main).padding(16).width(Length::Fill).height(Length::Fill);
        let shell: Element<'_, Message> = row![sidebar, main].into();
        if let Some(dialog) = &self.save_dialog {
            return over(shell, dialog.view().map(Message::SaveDialog));
        }
        if self.leaving.is_some() {
            return over(shell, leave_dialog());
        }
        // A page's dialog dims the whole window, the sidebar too.
        let page_dialog = match &self.page {
            Page::Document(p) => p.dialog().map(|d| d.map(Message::Document)),
            Page::IncomingCard(p) => p.dialog().map(|d| d.map(Message::IncomingCard)),
            Page::Dossier(p) => p.dialog().map(|d| d.map(Message::Dossier)),
            _ => None,
        };
        match page_dialog {
            Some(dialog) => over(shell, dialog),
            None => shell,
        }
    }
}

/// Whether to remind this user that the last backup is older than a week: shown to
/// those who keep the records (administrator, văn thư, lưu trữ).
/// The reminder to back up shown to those who keep the records, if one is due: a
/// database never backed up is not said to be a week late.
fn backup_reminder(actor: &Actor, store: &Store) -> Option<&'static str> {
    use vanthu_core::model::Role;
    let keeper = [Role::Admin, Role::VanThu, Role::Archivist].iter().any(|r| actor.has(*r));
    if !keeper || store.path().is_none() || !store.backup_overdue(chrono::Utc::now()).unwrap_or(false) {
        return None;
    }
    Some(match store.last_backup() {
        Ok(None) => "Cơ sở dữ liệu chưa được sao lưu lần nào.",
        _ => "Đã hơn một tuần chưa sao lưu cơ sở dữ liệu.",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shadow is drawn outside the repainted region by the software renderer and
    /// piles up on the notice (see [`toast_style`]): the notice has none.
    #[test]
    fn the_notice_has_no_shadow_to_leave_patches() {
        for color in [theme::OK, theme::ERROR, theme::MUTED] {
            let style = toast_style(&iced::Theme::Light, color);
            assert_eq!(style.shadow.color.a, 0.0);
            assert_eq!(style.background, Some(iced::Color::WHITE.into()));
        }
    }
}
