//! First run on an empty database: create the administrator, or load the demo office.

use iced::widget::{button, column, container, row, text, text_input};
use iced::{Element, Length};
use vanthu_core::Store;

use crate::gui::app::Action;
use crate::gui::widget::ime_guard::guard;
use crate::gui::{font, theme};

/// Form state.
#[derive(Debug, Default)]
pub struct State {
    username: String,
    full_name: String,
    password: String,
    confirm: String,
    error: Option<String>,
}

/// Messages of the first-run page.
#[derive(Debug, Clone)]
pub enum Message {
    /// The user name changed.
    Username(String),
    /// The full name changed.
    FullName(String),
    /// The password changed.
    Password(String),
    /// The confirmation changed.
    Confirm(String),
    /// Create the administrator.
    Create,
    /// Load the demo office.
    LoadDemo,
}

impl State {
    /// Handles a message.
    pub fn update(&mut self, message: Message, store: &mut Store) -> Action {
        match message {
            Message::Username(v) => self.username = v,
            Message::FullName(v) => self.full_name = v,
            Message::Password(v) => self.password = v,
            Message::Confirm(v) => self.confirm = v,
            Message::Create => {
                if self.password != self.confirm {
                    self.error = Some("Mật khẩu nhập lại không khớp.".into());
                    return Action::None;
                }
                match store.create_first_admin(self.username.trim(), &self.full_name, &self.password) {
                    Ok(_) => return Action::OpenLogin,
                    Err(e) => self.error = Some(e.to_string()),
                }
            }
            Message::LoadDemo => match vanthu_core::demo::load_demo(store, chrono::Local::now().date_naive()) {
                Ok(_) => return Action::OpenLogin,
                Err(e) => self.error = Some(e.to_string()),
            },
        }
        Action::None
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let form = column![
            text("Chào mừng đến với Vanthu").size(theme::TITLE).font(font::BOLD),
            text(
                "Cơ sở dữ liệu còn trống. Hãy tạo tài khoản quản trị viên đầu tiên, hoặc nạp văn phòng mẫu để dùng thử."
            )
            .color(theme::MUTED),
            text("Tên đăng nhập"),
            text_input("vd: quantri", &self.username).on_input(Message::Username).padding(8),
            text("Họ và tên"),
            text_input("vd: Nguyễn Văn An", &self.full_name).on_input(Message::FullName).padding(8),
            text("Mật khẩu"),
            text_input("", &self.password).on_input(Message::Password).secure(true).padding(8),
            text("Nhập lại mật khẩu"),
            guard(
                text_input("", &self.confirm)
                    .on_input(Message::Confirm)
                    .on_submit(Message::Create)
                    .secure(true)
                    .padding(8)
            ),
        ]
        .spacing(6);
        let error = self.error.as_deref().map(|e| text(e).color(theme::ERROR));
        let buttons = row![
            button(text("Tạo quản trị viên")).on_press(Message::Create).padding([8, 16]),
            button(text("Nạp văn phòng mẫu")).on_press(Message::LoadDemo).padding([8, 16]).style(button::secondary),
        ]
        .spacing(theme::GAP);
        container(column![form].push(error).push(buttons).spacing(theme::GAP).max_width(520))
            .center(Length::Fill)
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_the_first_administrator() {
        let mut store = Store::open_in_memory().unwrap();
        let mut state = State::default();
        state.update(Message::Username("quantri".into()), &mut store);
        state.update(Message::Password("matkhau-2026".into()), &mut store);
        state.update(Message::Confirm("khac".into()), &mut store);
        assert!(matches!(state.update(Message::Create, &mut store), Action::None));
        assert!(state.error.as_deref().unwrap().contains("không khớp"));
        assert!(store.needs_first_admin().unwrap());
        state.update(Message::Confirm("matkhau-2026".into()), &mut store);
        assert!(matches!(state.update(Message::Create, &mut store), Action::OpenLogin));
        assert!(store.login("quantri", "matkhau-2026").is_ok());
    }
}
