//! The login page.

use iced::widget::{button, column, container, scrollable, text, text_input};
use iced::{Element, Length};
use vanthu_core::Store;
use vanthu_core::model::User;

use crate::gui::app::Action;
use crate::gui::widget::ime_guard::guard;
use crate::gui::{font, theme};

/// Form state.
#[derive(Debug, Default)]
pub struct State {
    username: String,
    password: String,
    /// An administrator reset the password: the new one, typed twice.
    must_change: bool,
    new_password: String,
    new_again: String,
    error: Option<String>,
    /// The password is being checked on a worker thread.
    checking: bool,
    /// Accounts shown on a demo database, so that a visitor can try each role.
    demo_users: Vec<User>,
}

/// Messages of the login page.
#[derive(Debug, Clone)]
pub enum Message {
    /// The user name changed.
    Username(String),
    /// The password changed.
    Password(String),
    /// Log in.
    Submit,
    /// Pick a demo account.
    PickDemo(String),
    /// The new password changed (after a reset).
    NewPassword(String),
    /// The new password typed again.
    NewAgain(String),
    /// The worker checked the password (`None`: the check failed to run).
    Checked(Option<vanthu_core::store::CheckedLogin>),
}

/// Puts the keyboard in the user name field (the page opens ready to type).
pub fn focus<M: Send + 'static>() -> iced::Task<M> {
    iced::widget::operation::focus(iced::widget::Id::new("login-user"))
}

impl State {
    /// A fresh login page; lists the demo accounts on the demo database.
    pub fn new(store: &Store) -> Self {
        let demo_users = if store.is_demo().unwrap_or(false) { store.users().unwrap_or_default() } else { Vec::new() };
        State { demo_users, ..State::default() }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, store: &mut Store) -> Action {
        match message {
            Message::Username(v) => self.username = v,
            Message::Password(v) => self.password = v,
            Message::PickDemo(name) => {
                self.username = name;
                self.password = vanthu_core::demo::DEMO_PASSWORD.to_owned();
            }
            Message::NewPassword(v) => self.new_password = v,
            Message::NewAgain(v) => self.new_again = v,
            Message::Submit if self.must_change => {
                if self.new_password != self.new_again {
                    self.error = Some("Hai lần nhập mật khẩu mới không khớp.".into());
                    return Action::None;
                }
                let changed = store
                    .change_password(&self.username, &self.password, &self.new_password)
                    .and_then(|()| store.login(&self.username, &self.new_password));
                match changed {
                    Ok(actor) => return Action::LoggedIn(actor),
                    Err(e) => self.error = Some(crate::gui::session::sentence(&e.to_string())),
                }
            }
            Message::Submit if self.checking => {}
            Message::Submit => match store.begin_login(&self.username) {
                Ok(attempt) => {
                    // argon2id takes about half a second: off the UI thread.
                    self.checking = true;
                    self.error = None;
                    let password = self.password.clone();
                    return Action::Wait(crate::gui::worker::off_thread(
                        move || attempt.check(&password),
                        |checked| crate::gui::app::Message::Login(Message::Checked(checked)),
                    ));
                }
                Err(e) => self.error = Some(crate::gui::session::sentence(&e.to_string())),
            },
            Message::Checked(None) => {
                self.checking = false;
                self.error = Some("Không kiểm tra được mật khẩu; hãy thử lại.".into());
            }
            Message::Checked(Some(checked)) => match store.finish_login(checked) {
                Ok(actor) => {
                    self.checking = false;
                    return Action::LoggedIn(actor);
                }
                Err(vanthu_core::store::StoreError::MustChangePassword(_)) => {
                    self.checking = false;
                    self.must_change = true;
                    self.error = Some("Quản trị viên đã đặt lại mật khẩu của bạn: hãy đặt mật khẩu mới.".into());
                }
                Err(e) => {
                    self.checking = false;
                    eprintln!("vanthu: login failed for {}: {e}", self.username);
                    self.error = Some(crate::gui::session::sentence(&e.to_string()));
                    self.password.clear();
                }
            },
        }
        Action::None
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let mut form = column![
            text("Đăng nhập Vanthu").size(theme::TITLE).font(font::BOLD),
            text("Tên đăng nhập"),
            guard(
                text_input("", &self.username)
                    .id(iced::widget::Id::new("login-user"))
                    .on_input(Message::Username)
                    .on_submit(Message::Submit)
                    .padding(8)
            ),
            text("Mật khẩu"),
            guard(
                text_input("", &self.password)
                    .id(iced::widget::Id::new("login-password"))
                    .on_input(Message::Password)
                    .on_submit(Message::Submit)
                    .secure(true)
                    .padding(8)
            ),
        ]
        .spacing(6)
        .max_width(420);
        if self.must_change {
            form = form.push(text("Mật khẩu mới (ít nhất 10 ký tự)")).push(guard(
                text_input("", &self.new_password)
                    .id(iced::widget::Id::new("login-new-password"))
                    .on_input(Message::NewPassword)
                    .secure(true)
                    .padding(8),
            ));
            form = form.push(text("Nhập lại mật khẩu mới")).push(guard(
                text_input("", &self.new_again)
                    .id(iced::widget::Id::new("login-new-again"))
                    .on_input(Message::NewAgain)
                    .on_submit(Message::Submit)
                    .secure(true)
                    .padding(8),
            ));
        }
        if let Some(error) = &self.error {
            form = form.push(text(crate::gui::session::sentence(error)).color(theme::ERROR));
        }
        form = form.push(if self.checking {
            button(text("Đang kiểm tra mật khẩu…")).padding([8, 16])
        } else {
            button(text("Đăng nhập")).on_press(Message::Submit).padding([8, 16])
        });
        if !self.demo_users.is_empty() {
            let mut list =
                column![text("Tài khoản mẫu (mật khẩu: demo)").size(theme::HEADING).font(font::BOLD)].spacing(4);
            for user in &self.demo_users {
                let roles: Vec<&str> = user.roles.iter().map(|r| r.label()).collect();
                list = list.push(
                    button(text(format!("{} — {} ({})", user.username, user.full_name, roles.join(", "))))
                        .on_press(Message::PickDemo(user.username.clone()))
                        .style(button::text),
                );
            }
            form = form.push(scrollable(list).height(Length::Fixed(300.0)));
        }
        container(form).center(Length::Fill).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_password_is_refused_then_right_one_logs_in() {
        let mut store = Store::open_in_memory().unwrap();
        store.create_first_admin("quantri", "", "matkhau-2026").unwrap();
        let mut state = State::new(&store);
        assert!(state.demo_users.is_empty(), "not a demo database");
        state.update(Message::Username("quantri".into()), &mut store);
        state.update(Message::Password("sai".into()), &mut store);
        let submit = |state: &mut State, store: &mut Store| {
            // The password is checked on a worker thread; its answer comes back as a message.
            let Action::Wait(task) = state.update(Message::Submit, store) else { panic!("a check runs") };
            assert!(state.checking, "the button shows the check running");
            assert!(matches!(state.update(Message::Submit, store), Action::None), "no second check meanwhile");
            let mut answers = crate::gui::worker::finish(task);
            assert_eq!(answers.len(), 1);
            let crate::gui::app::Message::Login(answer) = answers.remove(0) else { panic!("a login message") };
            state.update(answer, store)
        };
        assert!(matches!(submit(&mut state, &mut store), Action::None));
        assert!(state.error.is_some());
        assert!(state.password.is_empty());
        state.update(Message::Password("matkhau-2026".into()), &mut store);
        assert!(matches!(submit(&mut state, &mut store), Action::LoggedIn(_)));
    }
}
