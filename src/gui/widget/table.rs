//! A simple table with clickable, sortable column headers.

use iced::widget::{button, column, container, row, rule, scrollable, text};
use iced::{Element, Length};

use crate::gui::{font, theme};

/// A column: title and relative width.
pub struct Column {
    /// Header text.
    pub title: &'static str,
    /// Relative width.
    pub portion: u16,
}

/// About how many characters of a 13 px cell fit on two lines per width portion
/// of a table filling the window.
const CHARS_PER_PORTION: usize = 10;

/// Draws a table; clicking a header sends `on_sort(column)`; `sorted` marks the sort column.
pub fn view<'a, M: Clone + 'a>(
    columns: &[Column],
    rows: Vec<Vec<String>>,
    sorted: Option<(usize, bool)>,
    on_sort: impl Fn(usize) -> M,
) -> Element<'a, M> {
    let mut header = row![].spacing(6);
    for (i, c) in columns.iter().enumerate() {
        let mark = match sorted {
            Some((col, true)) if col == i => " ▲",
            Some((col, false)) if col == i => " ▼",
            _ => "",
        };
        header = header.push(
            button(text(format!("{}{mark}", c.title)).font(font::BOLD).size(13))
                .on_press(on_sort(i))
                .style(button::text)
                .padding(2)
                .width(Length::FillPortion(c.portion)),
        );
    }
    let mut body = column![].spacing(2);
    let empty = rows.is_empty();
    for (n, r) in rows.into_iter().enumerate() {
        let mut line = row![].spacing(6);
        for (cell, c) in r.into_iter().zip(columns) {
            // A row stays at most two lines high: a longer cell is shortened and shows
            // its whole text when the pointer rests on it.
            let room = usize::from(c.portion).max(1) * CHARS_PER_PORTION;
            let cell_view: Element<'a, M> = if cell.chars().count() > room {
                // Cut at a word, never inside one ("Tỉnh ủ…").
                let short = crate::gui::widget::choice::shorten_words(&cell, room);
                iced::widget::tooltip(
                    text(short).size(13),
                    container(text(cell).size(13)).padding(6).max_width(520).style(container::rounded_box),
                    iced::widget::tooltip::Position::Bottom,
                )
                .into()
            } else {
                text(cell).size(13).into()
            };
            line = line.push(container(cell_view).width(Length::FillPortion(c.portion)));
        }
        let striped = container(line).padding([3, 2]).width(Length::Fill);
        body = body.push(if n % 2 == 1 { striped.style(container::rounded_box) } else { striped });
    }
    if empty {
        body = body.push(text("Không có dòng nào.").color(theme::MUTED));
    }
    let body = body.padding(iced::Padding { right: 14.0, ..iced::Padding::ZERO });
    let header = header.padding(iced::Padding { right: 14.0, ..iced::Padding::ZERO });
    column![header, rule::horizontal(1), scrollable(body).height(Length::Fill)].spacing(4).into()
}
