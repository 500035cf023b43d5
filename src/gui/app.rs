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
                App { probe: startup_probe(), store: Some(store), db_path, screen }
            }
            Err(e) => {
                eprintln!("vanthu: cannot open {}: {e}", db_path.display());
                App { probe: startup_probe(), store: None, db_path, screen: Screen::Failed(e.to_string()) }
            }
        }
    }

    /// The window title.
    pub fn title(&self) -> String {
        format!("Vanthu — Văn thư 4 đúng — {}", self.db_path.display())
    }

    /// The theme.
    pub fn theme(&self) -> Theme {
        Theme::Light
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Task<Message> {
        if let Message::Frame = message {
            if std::mem::take(&mut self.probe) {
                let ns = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
                println!("vanthu-first-frame-epoch-ns {ns}");
                return iced::exit();
            }
            return Task::none();
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
            Action::Logout => self.screen = Screen::Login(login::State::new(store)),
            Action::OpenLogin => self.screen = Screen::Login(login::State::new(store)),
            Action::LoggedIn(actor) => {
                eprintln!("vanthu: {} signed in", actor.user().username);
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
                _ => None,
            }
        });
        Subscription::batch([keys, probe])
    }

    /// The current screen (tests).
    #[cfg(test)]
    pub fn screen(&self) -> &Screen {
        &self.screen
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
        App { probe: false, store: Some(store), db_path: PathBuf::from(":memory:"), screen }
    }

    /// Draws the current screen.
    pub fn view(&self) -> Element<'_, Message> {
        match &self.screen {
            Screen::Failed(error) => container(
                column![
                    text("Không mở được cơ sở dữ liệu").size(theme::TITLE),
                    text(error.as_str()).color(theme::ERROR),
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
