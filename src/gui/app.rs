//! Top-level application state: which screen is shown and the open database.

use std::path::PathBuf;

use iced::widget::{column, container, text};
use iced::{Element, Length, Task, Theme};
use vanthu_core::{Actor, Store};

use super::screen::{first_run, home, login};
use super::theme;

/// The screens of the application.
pub enum Screen {
    /// The database could not be opened.
    Failed(String),
    /// Empty database: create the administrator or load the demo office.
    FirstRun(first_run::State),
    /// Log in.
    Login(login::State),
    /// The signed-in user's home page.
    Home(home::State),
}

/// Messages of the application, one variant per screen.
#[derive(Debug, Clone)]
pub enum Message {
    /// First-run page.
    FirstRun(first_run::Message),
    /// Login page.
    Login(login::Message),
    /// Home page.
    Home(home::Message),
}

/// What a screen asks the application to do after an update.
pub enum Action {
    /// Nothing.
    None,
    /// Show the login page.
    OpenLogin,
    /// A user has logged in.
    LoggedIn(Actor),
    /// Log out.
    Logout,
}

/// The application.
pub struct App {
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
                App { store: Some(store), db_path, screen }
            }
            Err(e) => {
                eprintln!("vanthu: cannot open {}: {e}", db_path.display());
                App { store: None, db_path, screen: Screen::Failed(e.to_string()) }
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
        let Some(store) = self.store.as_mut() else { return Task::none() };
        let action = match (&mut self.screen, message) {
            (Screen::FirstRun(state), Message::FirstRun(m)) => state.update(m, store),
            (Screen::Login(state), Message::Login(m)) => state.update(m, store),
            (Screen::Home(state), Message::Home(m)) => state.update(m, store),
            _ => Action::None,
        };
        match action {
            Action::None => {}
            Action::OpenLogin | Action::Logout => self.screen = Screen::Login(login::State::new(store)),
            Action::LoggedIn(actor) => self.screen = Screen::Home(home::State::new(actor, store)),
        }
        Task::none()
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
            Screen::Home(state) => state.view().map(Message::Home),
        }
    }
}
