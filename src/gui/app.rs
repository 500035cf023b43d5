//! Top-level application state: which screen is shown and the open database.

use std::path::PathBuf;

use iced::widget::{column, container, text};
use iced::{Element, Length, Subscription, Task, Theme};
use vanthu_core::{Actor, Store};

use super::screen::{first_run, login, shell};
use super::theme;

/// The screens of the application.
pub enum Screen {
    /// The database could not be opened.
    Failed(String),
    /// Empty database: create the administrator or load the demo office.
    FirstRun(first_run::State),
    /// Log in.
    Login(login::State),
    /// The signed-in shell.
    Main(Box<shell::State>),
}

/// Messages of the application, one variant per screen.
#[derive(Debug, Clone)]
pub enum Message {
    /// First-run page.
    FirstRun(first_run::Message),
    /// Login page.
    Login(login::Message),
    /// The signed-in shell.
    Main(shell::Message),
    /// Escape: close the open dialog.
    Escape,
    /// Tab (true: with Shift) when no widget used it: move the focus.
    Tab(bool),
    /// A frame was drawn (only listened to by the startup probe).
    Frame,
    /// The user pressed a key, clicked or scrolled.
    Activity,
    /// Half a minute passed: lock the window if it was idle too long.
    IdleTick,
    /// The password typed on the lock page.
    UnlockPassword(String),
    /// Unlock with that password.
    Unlock,
    /// The worker checked the unlock password (`None`: the check failed to run).
    UnlockChecked(Option<vanthu_core::store::CheckedLogin>),
    /// Log out from the lock page.
    LockLogout,
    /// The window's close button was pressed.
    CloseRequested(iced::window::Id),
}

/// The lock page shown over the signed-in shell after the office's idle time.
#[derive(Debug, Default)]
pub struct Lock {
    password: String,
    error: Option<String>,
    /// The password is being checked on a worker thread.
    checking: bool,
}

/// What a screen asks the application to do after an update.
pub enum Action {
    /// Nothing.
    None,
    /// Show the login page.
    OpenLogin,
    /// A user has logged in.
    LoggedIn(Actor),
    /// Run a task of the signed-in shell.
    Run(Task<shell::Message>),
    /// Log out.
    Logout,
    /// Wait for work running off the UI thread (the password check).
    Wait(Task<Message>),
}

impl From<shell::Out> for Action {
    fn from(out: shell::Out) -> Self {
        match out {
            shell::Out::Run(task) => Action::Run(task),
            shell::Out::Logout => Action::Logout,
        }
    }
}

fn startup_probe() -> bool {
    std::env::var_os("VANTHU_STARTUP_PROBE").is_some()
}

/// The application.
pub struct App {
    /// `VANTHU_STARTUP_PROBE`: report the first frame and exit.
    probe: bool,
    store: Option<Store>,
    db_path: PathBuf,
    screen: Screen,
    /// When the user last did something.
    last_active: std::time::Instant,
    /// The office's idle time before the window locks.
    idle_limit: std::time::Duration,
    /// Counts updates; the window's clear colour follows it ([`App::style`]).
    repaint: u32,
    /// The lock page, when locked (the shell underneath keeps its state).
    lock: Option<Lock>,
}

impl App {
    /// Opens the database and picks the first screen.
    pub fn new(db_path: PathBuf) -> Self {
        match Store::open(&db_path) {
            Ok(store) => {
                let screen = match store.needs_first_admin() {
                    Ok(true) => Screen::FirstRun(first_run::State::default()),
                    Ok(false) => Screen::Login(login::State::new(&store)),
                    Err(e) => Screen::Failed(e.to_string()),
                };
                App { store: Some(store), ..App::bare(db_path, screen) }
            }
            Err(e) => {
                eprintln!("vanthu: cannot open {}: {e}", db_path.display());
                App::bare(db_path, Screen::Failed(e.to_string()))
            }
        }
    }

    fn bare(db_path: PathBuf, screen: Screen) -> Self {
        App {
            probe: startup_probe(),
            store: None,
            db_path,
            screen,
            last_active: std::time::Instant::now(),
            idle_limit: std::time::Duration::from_secs(15 * 60),
            lock: None,
            repaint: 0,
        }
    }

    /// The lock page's messages; `None` when the message is not one of them.
    fn update_lock(&mut self, message: &Message) -> Option<Task<Message>> {
        let store = self.store.as_mut()?;
        let Screen::Main(shell) = &self.screen else { return None };
        let lock = self.lock.as_mut()?;
        match message {
            Message::UnlockPassword(p) => lock.password = p.clone(),
            Message::Unlock if lock.checking => {}
            Message::Unlock => match store.begin_login(&shell.actor().user().username) {
                Ok(attempt) => {
                    lock.checking = true;
                    let password = lock.password.clone();
                    return Some(super::worker::off_thread(move || attempt.check(&password), Message::UnlockChecked));
                }
                Err(e) => lock.error = Some(super::session::sentence(&e.to_string())),
            },
            Message::UnlockChecked(None) => {
                lock.checking = false;
                lock.error = Some("Không kiểm tra được mật khẩu; hãy thử lại.".into());
            }
            Message::UnlockChecked(Some(checked)) => {
                lock.checking = false;
                match store.finish_login(checked.clone()) {
                    Ok(actor) if actor.user().id == shell.actor().user().id => {
                        self.lock = None;
                        self.last_active = std::time::Instant::now();
                    }
                    Ok(_) => lock.error = Some("Tài khoản không khớp.".into()),
                    Err(e) => {
                        lock.password.clear();
                        lock.error = Some(super::session::sentence(&e.to_string()));
                    }
                }
            }
            Message::LockLogout => {
                self.lock = None;
                self.screen = Screen::Login(login::State::new(store));
                return Some(login::focus());
            }
            // Anything else waits until the window is unlocked.
            _ => {}
        }
        Some(Task::none())
    }

    /// Locks the window now (as the idle tick does after the office's idle time).
    pub fn lock_now(&mut self) {
        if matches!(self.screen, Screen::Main(_)) {
            self.lock = Some(Lock::default());
        }
    }

    /// Whether the lock page is shown (tests).
    #[cfg(test)]
    pub fn is_locked(&self) -> bool {
        self.lock.is_some()
    }

    /// The first task: the login page's name field takes the keyboard.
    pub fn boot(db_path: PathBuf) -> (Self, Task<Message>) {
        let app = App::new(db_path);
        let task = if matches!(app.screen, Screen::Login(_)) { login::focus() } else { Task::none() };
        (app, task)
    }

    /// The window title.
    pub fn title(&self) -> String {
        format!("Vanthu — Văn thư 4 đúng — {}", self.db_path.display())
    }

    /// The theme.
    pub fn theme(&self) -> Theme {
        Theme::Light
    }

    /// Handles a message. Anything but the background ticks asks the renderer to
    /// draw the whole window again on the next frame (see [`App::style`]).
    pub fn update(&mut self, message: Message) -> Task<Message> {
        let background = matches!(
            message,
            Message::Frame
                | Message::IdleTick
                | Message::Activity
                | Message::Main(shell::Message::Job(super::job::Event::Progress(..)))
                | Message::Main(shell::Message::Editor(super::screen::editor::Message::Tick(_)))
        );
        if !background {
            self.repaint = self.repaint.wrapping_add(1);
        }
        self.handle(message)
    }

    /// The window's clear colour, white, changed by an invisible amount after every
    /// update so that the software renderer draws the whole window again.
    ///
    /// iced's tiny-skia compositor redraws only the regions it computes as changed
    /// between two frames (`iced_tiny_skia::window::compositor::present`,
    /// `Layer::damage`). Those regions are the layout boxes of what changed, but
    /// glyphs reach outside their box (the bar of "Đ" left of it, stacked
    /// diacritics such as "Ắ" above it), so pixels of the previous page stayed on
    /// screen and new glyphs were cut at the box edge. The compositor redraws
    /// everything when the clear colour differs from the last frame's, which is
    /// what this uses; no pixel shows the clear colour (it rounds to white).
    pub fn style(&self, theme: &Theme) -> iced::theme::Style {
        let step = (self.repaint % 251) as f32 * 1.0e-6;
        iced::theme::Style {
            background_color: iced::Color { b: 1.0 - step, ..iced::Color::WHITE },
            ..iced::theme::Base::base(theme)
        }
    }

    fn handle(&mut self, message: Message) -> Task<Message> {
        if let Message::Frame = message {
            if std::mem::take(&mut self.probe) {
                let ns = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
                println!("vanthu-first-frame-epoch-ns {ns}");
                return iced::exit();
            }
            return Task::none();
        }
        if let Message::CloseRequested(id) = message {
            return match (&mut self.screen, self.store.as_mut()) {
                // Unlocked with a draft open: the shell asks before leaving it.
                (Screen::Main(state), Some(store)) if self.lock.is_none() => {
                    match state.update(shell::Message::Quit(id), store) {
                        shell::Out::Run(task) => task.map(Message::Main),
                        shell::Out::Logout => iced::window::close(id),
                    }
                }
                _ => iced::window::close(id),
            };
        }
        if self.lock.is_some() {
            return self.update_lock(&message).unwrap_or_else(Task::none);
        }
        match message {
            Message::IdleTick => {
                if matches!(self.screen, Screen::Main(_)) && self.last_active.elapsed() >= self.idle_limit {
                    eprintln!("vanthu: window locked after {} s idle", self.idle_limit.as_secs());
                    self.lock_now();
                }
                return Task::none();
            }
            Message::Activity => {
                self.last_active = std::time::Instant::now();
                return Task::none();
            }
            Message::UnlockPassword(_)
            | Message::Unlock
            | Message::UnlockChecked(_)
            | Message::LockLogout
            | Message::CloseRequested(_) => {
                return Task::none();
            }
            _ => self.last_active = std::time::Instant::now(),
        }
        let Some(store) = self.store.as_mut() else { return Task::none() };
        let action = match (&mut self.screen, message) {
            (_, Message::Tab(back)) => {
                return if back {
                    iced::widget::operation::focus_previous()
                } else {
                    iced::widget::operation::focus_next()
                };
            }
            (Screen::Main(state), Message::Escape) => state.update(shell::Message::Escape, store).into(),
            (Screen::Main(state), Message::Main(m)) => state.update(m, store).into(),
            (Screen::FirstRun(state), Message::FirstRun(m)) => state.update(m, store),
            (Screen::Login(state), Message::Login(m)) => state.update(m, store),
            _ => Action::None,
        };
        match action {
            Action::None => {}
            Action::Run(task) => return task.map(Message::Main),
            Action::Wait(task) => return task,
            Action::Logout | Action::OpenLogin => {
                self.screen = Screen::Login(login::State::new(store));
                return login::focus();
            }
            Action::LoggedIn(actor) => {
                eprintln!("vanthu: {} signed in", actor.user().username);
                let minutes = store.idle_lock_minutes().unwrap_or(15);
                self.idle_limit = std::time::Duration::from_secs(minutes * 60);
                self.last_active = std::time::Instant::now();
                self.screen = Screen::Main(Box::new(shell::State::new(actor, store)));
            }
        }
        Task::none()
    }

    /// Keyboard: Escape closes dialogs; Tab moves the focus when no widget used it.
    /// Nothing else is listened to, so Backspace and letters always reach the text
    /// field (Vietnamese input methods type by Backspace + letters).
    pub fn subscription(&self) -> Subscription<Message> {
        let probe = if self.probe { iced::window::frames().map(|_| Message::Frame) } else { Subscription::none() };
        let keys = iced::event::listen_with(|event, status, _window| {
            use iced::keyboard::{Event, Key, key::Named};
            match event {
                iced::Event::Keyboard(Event::KeyPressed { key: Key::Named(Named::Escape), .. }) => {
                    Some(Message::Escape)
                }
                iced::Event::Keyboard(Event::KeyPressed { key: Key::Named(Named::Tab), modifiers, .. })
                    if status == iced::event::Status::Ignored =>
                {
                    Some(Message::Tab(modifiers.shift()))
                }
                iced::Event::Keyboard(Event::KeyPressed { .. })
                | iced::Event::Mouse(iced::mouse::Event::ButtonPressed(_) | iced::mouse::Event::WheelScrolled { .. }) => {
                    Some(Message::Activity)
                }
                _ => None,
            }
        });
        let idle =
            if matches!(self.screen, Screen::Main(_)) { Subscription::run(idle_ticks) } else { Subscription::none() };
        let close = iced::window::close_requests().map(Message::CloseRequested);
        let shell = match &self.screen {
            Screen::Main(state) if self.lock.is_none() => state.subscription().map(Message::Main),
            _ => Subscription::none(),
        };
        // On an office server: other desks' commits refresh the lists (one listening
        // connection, no polling).
        let changes = match (&self.screen, self.store.as_ref().and_then(Store::change_listener_url)) {
            (Screen::Main(_), Some(url)) => Subscription::run_with(url.to_owned(), other_desks_changes)
                .map(|()| Message::Main(shell::Message::Changed)),
            _ => Subscription::none(),
        };
        Subscription::batch([keys, probe, idle, close, shell, changes])
    }

    /// The current screen (tests).
    #[cfg(test)]
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The signed-in shell and the store, both mutable (tests walking every page).
    #[cfg(test)]
    pub fn shell_and_store(&mut self) -> Option<(&mut shell::State, &mut Store)> {
        match (&mut self.screen, self.store.as_mut()) {
            (Screen::Main(shell), Some(store)) => Some((shell, store)),
            _ => None,
        }
    }

    /// The store (tests).
    #[cfg(test)]
    pub fn store_mut(&mut self) -> &mut Store {
        self.store.as_mut().expect("open store")
    }

    /// An application on an already open store (tests).
    #[cfg(test)]
    pub fn with_store(store: Store) -> Self {
        let screen = Screen::Login(login::State::new(&store));
        App { probe: false, store: Some(store), ..App::bare(PathBuf::from(":memory:"), screen) }
    }

    /// Draws the current screen.
    pub fn view(&self) -> Element<'_, Message> {
        if let (Some(lock), Screen::Main(shell)) = (&self.lock, &self.screen) {
            return lock_view(lock, shell.actor());
        }
        match &self.screen {
            Screen::Failed(error) => container(
                column![
                    text("Không mở được cơ sở dữ liệu").size(theme::TITLE),
                    text(crate::gui::session::sentence(error)).color(theme::ERROR),
                    text(format!("Tệp: {}", self.db_path.display())).color(theme::MUTED),
                ]
                .spacing(theme::GAP)
                .max_width(700),
            )
            .center(Length::Fill)
            .into(),
            Screen::FirstRun(state) => state.view().map(Message::FirstRun),
            Screen::Login(state) => state.view().map(Message::Login),
            Screen::Main(state) => state.view().map(Message::Main),
        }
    }
}

/// A tick every 30 seconds, from a sleeping thread (the thread-pool executor has no
/// timer).
/// One item each time other desks committed (a burst counts once); reconnects after
/// a lost connection.
#[allow(clippy::ptr_arg)] // `Subscription::run_with` hands the data it keys on as `&D`.
fn other_desks_changes(url: &String) -> impl iced::futures::Stream<Item = ()> + use<> {
    use iced::futures::{SinkExt, StreamExt};
    let url = url.clone();
    iced::stream::channel(1, |mut output: iced::futures::channel::mpsc::Sender<()>| async move {
        let (changed, mut changes) = iced::futures::channel::mpsc::unbounded::<()>();
        std::thread::spawn(move || {
            loop {
                let mut listener = match vanthu_core::store::ChangeListener::connect(&url) {
                    Ok(listener) => listener,
                    Err(e) => {
                        eprintln!("vanthu: cannot listen for changes: {e}");
                        std::thread::sleep(std::time::Duration::from_secs(10));
                        continue;
                    }
                };
                loop {
                    match listener.wait(std::time::Duration::from_secs(30)) {
                        Ok(true) if changed.unbounded_send(()).is_err() => return,
                        Ok(_) if changed.is_closed() => return,
                        Ok(_) => {}
                        Err(e) => {
                            eprintln!("vanthu: change listener lost: {e}");
                            break;
                        }
                    }
                }
            }
        });
        while changes.next().await.is_some() {
            if output.send(()).await.is_err() {
                break;
            }
        }
    })
}

fn idle_ticks() -> impl iced::futures::Stream<Item = Message> {
    use iced::futures::{SinkExt, StreamExt};
    iced::stream::channel(1, |mut output: iced::futures::channel::mpsc::Sender<Message>| async move {
        let (tick, mut ticks) = iced::futures::channel::mpsc::unbounded::<()>();
        std::thread::spawn(move || {
            while tick.unbounded_send(()).is_ok() {
                std::thread::sleep(std::time::Duration::from_secs(30));
            }
        });
        while ticks.next().await.is_some() {
            if output.send(Message::IdleTick).await.is_err() {
                break;
            }
        }
    })
}

/// The lock page: the user's name, the password, unlock or log out.
fn lock_view<'a>(lock: &'a Lock, actor: &'a Actor) -> Element<'a, Message> {
    use iced::widget::{button, row, text_input};
    let mut form = column![
        text("Cửa sổ đã khóa").size(theme::TITLE).font(super::font::BOLD),
        text(format!("{} ({}) — nhập lại mật khẩu để tiếp tục.", actor.user().full_name, actor.user().username)),
        super::widget::ime_guard::guard(
            text_input("", &lock.password)
                .id(iced::widget::Id::new("unlock-password"))
                .on_input(Message::UnlockPassword)
                .on_submit(Message::Unlock)
                .secure(true)
                .padding(8)
        ),
    ]
    .spacing(theme::GAP)
    .max_width(420);
    if let Some(error) = &lock.error {
        form = form.push(text(crate::gui::session::sentence(error)).color(theme::ERROR));
    }
    form = form.push(
        row![
            button(text("Mở khóa")).on_press(Message::Unlock).padding([8, 16]),
            button(text("Đăng xuất")).on_press(Message::LockLogout).style(button::secondary).padding([8, 16]),
        ]
        .spacing(theme::GAP),
    );
    container(form).center(Length::Fill).into()
}
