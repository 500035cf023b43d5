//! What the shell draws over or around its page: the notice's box, dialogs over
//! the dimmed window, the question before leaving an unsaved draft, and the
//! one-second ticks (autosave, notices leaving).

use iced::widget::{button, column, container, row, text};
use iced::{Element, Length};

use super::{Leave, Message};
use crate::gui::screen::editor;
use crate::gui::{font, theme};

/// The notice's box: white, a border in the notice's colour, and no shadow.
///
/// No shadow because the software renderer draws a quad's shadow without the clip
/// of the region it repaints (`iced_tiny_skia::Engine::draw_quad` paints the shadow
/// pixmap with no mask, the quad itself with one). Each partial repaint touching
/// the notice (a scroll, a hover, a caret blink beside it) laid another 25 % of
/// black over the parts of the notice outside that region, which the fill did not
/// cover again: the grey and black patches seen on notices.
pub fn toast_style(theme: &iced::Theme, color: iced::Color) -> container::Style {
    container::Style {
        background: Some(iced::Color::WHITE.into()),
        border: iced::Border { color, width: 2.0, radius: 6.0.into() },
        shadow: iced::Shadow::default(),
        ..container::rounded_box(theme)
    }
}

/// How far below the window's top edge a dialog's top edge stands.
pub const DIALOG_TOP: f32 = 110.0;

/// `dialog` over `page`, the whole window dimmed and not clickable. The dialog is
/// centred across and anchored at a fixed height ([`DIALOG_TOP`]), not centred
/// up and down: when its content grows (an error line, a note under a date) it
/// grows downwards and its buttons never jump under the pointer.
pub(super) fn over<'a>(page: Element<'a, Message>, dialog: Element<'a, Message>) -> Element<'a, Message> {
    use iced::widget::{opaque, stack};
    // A dialog taller than the window scrolls instead of losing its buttons.
    let placed = container(dialog).width(Length::Fill).align_x(iced::Alignment::Center).padding(iced::Padding {
        top: DIALOG_TOP,
        bottom: 16.0,
        ..iced::Padding::ZERO
    });
    stack![
        page,
        opaque(
            container(iced::widget::scrollable(placed).height(Length::Fill))
                .width(Length::Fill)
                .height(Length::Fill)
                .style(|_| container::Style {
                    background: Some(iced::Color { a: 0.5, ..iced::Color::BLACK }.into()),
                    ..container::Style::default()
                })
        )
    ]
    .into()
}

/// The question before leaving a draft with unsaved changes.
pub(super) fn leave_dialog<'a>() -> Element<'a, Message> {
    container(
        column![
            text("Dự thảo có thay đổi chưa lưu").size(theme::HEADING).font(font::BOLD),
            text("Bạn sắp rời trang soạn thảo. Lưu thay đổi thành một phiên bản mới, hay bỏ các thay đổi?"),
            row![
                button(text("Ở lại soạn tiếp")).on_press(Message::Leave(Leave::Stay)).style(button::secondary),
                iced::widget::space().width(Length::Fill),
                button(text("Bỏ thay đổi")).on_press(Message::Leave(Leave::Discard)).style(button::danger),
                button(text("Lưu rồi rời đi")).on_press(Message::Leave(Leave::Save)),
            ]
            .spacing(8),
        ]
        .spacing(12),
    )
    .padding(20)
    .width(520)
    .style(container::bordered_box)
    .into()
}

/// A tick every second while a success notice is shown (it leaves after
/// [`NOTICE_LIFE`]).
pub(super) fn notice_ticks() -> impl iced::futures::Stream<Item = Message> {
    every_second(Message::NoticeTick)
}

/// A tick every second for the editor's autosave.
pub(super) fn editor_ticks() -> impl iced::futures::Stream<Item = Message> {
    every_second(|now| Message::Editor(editor::Message::Tick(now)))
}

/// `tick(now)` every second, from a sleeping thread (the thread-pool executor has
/// no timer); the thread ends when the subscription is dropped.
fn every_second(tick_message: fn(std::time::Instant) -> Message) -> impl iced::futures::Stream<Item = Message> {
    use iced::futures::{SinkExt, StreamExt};
    iced::stream::channel(1, move |mut output: iced::futures::channel::mpsc::Sender<Message>| async move {
        let (tick, mut ticks) = iced::futures::channel::mpsc::unbounded::<()>();
        std::thread::spawn(move || {
            while tick.unbounded_send(()).is_ok() {
                std::thread::sleep(std::time::Duration::from_secs(1));
            }
        });
        while ticks.next().await.is_some() {
            if output.send(tick_message(std::time::Instant::now())).await.is_err() {
                break;
            }
        }
    })
}
