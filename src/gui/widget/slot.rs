//! A line of a dialog that keeps its room when empty: an error or a note under a
//! field takes the place kept for it, so the buttons below never move when it
//! appears or goes (issue #14: the confirm button jumped under the pointer).

use iced::widget::{column, row, space, text};
use iced::{Element, Length};

/// Height kept for `lines` lines of 16 px text.
fn height(lines: u16) -> f32 {
    f32::from(lines) * 22.0
}

/// `messages` (text, colour) one under the other, in a room at least `lines` lines
/// high; a longer text grows the room.
pub fn messages<'a, M: 'a>(messages: Vec<(String, iced::Color)>, lines: u16) -> Element<'a, M> {
    let mut shown = column![].spacing(2);
    for (message, color) in messages {
        shown = shown.push(text(message).color(color));
    }
    // A row is as high as its highest child: the space (one pixel wide: a row leaves
    // out a child of no width) keeps the room, the messages (full width) grow it when
    // longer. (A stack lays the messages out within the size of its first child.)
    row![space().width(Length::Fixed(1.0)).height(Length::Fixed(height(lines))), shown.width(Length::Fill)].into()
}

/// One optional error line in a room kept for two lines.
pub fn error<'a, M: 'a>(error: Option<&str>) -> Element<'a, M> {
    let shown = error.map(|e| (crate::gui::session::sentence(e), crate::gui::theme::ERROR)).into_iter().collect();
    messages(shown, 2)
}

/// A page's error line, in a room kept for one line: what is below it on the page
/// does not move when a refusal appears or goes (a longer text grows the room).
pub fn page_error<'a, M: 'a>(error: Option<&str>) -> Element<'a, M> {
    let shown = error.map(|e| (crate::gui::session::sentence(e), crate::gui::theme::ERROR)).into_iter().collect();
    messages(shown, 1)
}
