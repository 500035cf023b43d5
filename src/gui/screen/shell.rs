//! The signed-in shell: a sidebar with the entries the user's roles allow, the
//! current page, notices and the progress of long work.

use iced::widget::{button, column, container, progress_bar, row, rule, text};
use iced::{Element, Length, Task};
use vanthu_core::{Actor, Store};

use super::{admin, audit, dashboard, document, editor, incoming, queue, registers};
use crate::check::Setup;
use crate::gui::job::{self, Done};
use crate::gui::session::{Ctx, Go, Nav};
use crate::gui::{font, theme};

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
    /// Sổ đăng ký.
    Registers(registers::State),
    /// Quản trị.
    Admin(admin::State),
    /// Nhật ký.
    Audit(audit::State),
}

/// Shell state.
pub struct State {
    actor: Actor,
    setup: Setup,
    nav: Nav,
    page: Page,
    notice: Option<(bool, String)>,
    busy: Option<&'static str>,
}

/// Messages of the shell.
#[derive(Debug, Clone)]
pub enum Message {
    /// A sidebar entry.
    Nav(Nav),
    /// Log out.
    Logout,
    /// Close the notice.
    Dismiss,
    /// Escape: close the open dialog, else the notice.
    Escape,
    /// Long work finished.
    Done(Done),
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
    /// Registers.
    Registers(registers::Message),
    /// Admin.
    Admin(admin::Message),
    /// Audit.
    Audit(audit::Message),
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
        State { actor, setup, nav: Nav::Dashboard, page, notice: None, busy: None }
    }

    /// The current page (tests).
    #[cfg(test)]
    pub fn page(&self) -> &Page {
        &self.page
    }

    /// The notice shown, if any: (is error, text).
    #[cfg(test)]
    pub fn notice(&self) -> Option<&(bool, String)> {
        self.notice.as_ref()
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, store: &mut Store) -> Out {
        let mut ctx = Ctx { store, actor: &self.actor, setup: &self.setup };
        let go = match (message, &mut self.page) {
            (Message::Nav(nav), _) => Go::Open(nav),
            (Message::Logout, _) => return Out::Logout,
            (Message::Dismiss, _) => {
                self.notice = None;
                Go::Stay
            }
            (Message::Escape, Page::Document(page)) if page.has_dialog() => {
                page.update(document::Message::Close, &mut ctx)
            }
            (Message::Escape, Page::Incoming(page)) if page.has_dialog() => {
                page.update(incoming::Message::Close, &mut ctx)
            }
            (Message::Escape, _) => {
                self.notice = None;
                Go::Stay
            }
            (Message::Done(done), _) => {
                self.busy = None;
                match (&mut self.page, done) {
                    (Page::Audit(page), Done::Verified(result)) => page.verified(result),
                    (_, Done::Verified(Ok(None))) => Go::Notice("Nhật ký và nội dung toàn vẹn.".into()),
                    (_, Done::Verified(Ok(Some(at)))) => Go::Error(format!("Nhật ký bị hỏng tại {at}")),
                    (_, Done::Verified(Err(e))) => Go::Error(e),
                    (_, Done::Exported(Ok(Some(path)))) => Go::Notice(format!("Đã xuất PDF: {path}")),
                    (_, Done::Exported(Ok(None))) => Go::Notice("Đã hủy xuất PDF.".into()),
                    (_, Done::Exported(Err(e))) => Go::Error(e),
                }
            }
            (Message::Dashboard(m), Page::Dashboard(page)) => page.update(m, &mut ctx),
            (Message::Editor(m), Page::Editor(page)) => page.update(m, &mut ctx),
            (Message::Queue(m), Page::Queue(page)) => page.update(m, &mut ctx),
            (Message::Document(m), Page::Document(page)) => page.update(m, &mut ctx),
            (Message::Incoming(m), Page::Incoming(page)) => page.update(m, &mut ctx),
            (Message::Registers(m), Page::Registers(page)) => page.update(m, &mut ctx),
            (Message::Admin(m), Page::Admin(page)) => page.update(m, &mut ctx),
            (Message::Audit(m), Page::Audit(page)) => page.update(m, &mut ctx),
            _ => Go::Stay,
        };
        Out::Run(self.go(go, store))
    }

    fn go(&mut self, go: Go, store: &mut Store) -> Task<Message> {
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
                    Nav::Admin => Page::Admin(admin::State::new(&ctx)),
                    Nav::Audit => Page::Audit(audit::State::new(&ctx, None)),
                };
            }
            Go::Document(id) => match document::State::new(id, &ctx) {
                Ok(page) => self.page = Page::Document(Box::new(page)),
                Err(e) => self.notice = Some((true, e)),
            },
            Go::Edit(id) => match editor::State::open(id, &ctx) {
                Ok(page) => {
                    self.nav = Nav::Editor;
                    self.page = Page::Editor(Box::new(page));
                }
                Err(e) => self.notice = Some((true, e)),
            },
            Go::Notice(text) => self.notice = Some((false, text)),
            Go::Error(text) => self.notice = Some((true, text)),
            Go::Focus(id) => return iced::widget::operation::focus(id),
            Go::Run(job) => {
                self.busy = Some(job.label());
                return match ctx.store.path().map(std::path::Path::to_path_buf) {
                    Some(db) => Task::perform(job::run_on_worker(job, db), Message::Done),
                    None => {
                        let done = job::run_inline(&job, ctx.store);
                        Task::done(Message::Done(done))
                    }
                };
            }
        }
        Task::none()
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
        if let Some(label) = self.busy {
            main = main.push(row![text(label), progress_bar(0.0..=1.0, 0.5).girth(6)].spacing(12));
        }
        if let Some((error, message)) = &self.notice {
            main = main.push(
                container(
                    row![
                        text(message.as_str()).color(if *error { theme::ERROR } else { theme::OK }).width(Length::Fill),
                        button(text("Đóng").size(13)).on_press(Message::Dismiss).style(button::text),
                    ]
                    .spacing(8),
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
            Page::Registers(p) => p.view().map(Message::Registers),
            Page::Admin(p) => p.view().map(Message::Admin),
            Page::Audit(p) => p.view().map(Message::Audit),
        };
        main = main.push(page);
        row![sidebar, container(main).padding(16).width(Length::Fill).height(Length::Fill)].into()
    }
}
