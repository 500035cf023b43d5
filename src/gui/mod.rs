//! The iced desktop application: view state only; every decision is a core call.

pub(crate) mod app;
#[cfg(test)]
mod digital_tests;
pub(crate) mod file_names;
pub(crate) mod font;
pub(crate) mod job;
pub(crate) mod screen;
pub(crate) mod session;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
pub(crate) mod theme;
#[cfg(test)]
mod vietnamese_tests;
pub(crate) mod widget;
pub(crate) mod wording;
pub(crate) mod worker;

use std::path::PathBuf;

/// Opens the main window on the database at `db_path`.
pub fn run(db_path: PathBuf) -> iced::Result {
    iced::application(move || app::App::boot(db_path.clone()), app::App::update, app::App::view)
        .title(app::App::title)
        .subscription(app::App::subscription)
        .font(font::REGULAR_BYTES)
        .font(font::BOLD_BYTES)
        .font(font::ITALIC_BYTES)
        .font(vanthu_core::pdf::fonts::Face::Regular.bytes())
        .font(vanthu_core::pdf::fonts::Face::Bold.bytes())
        .font(vanthu_core::pdf::fonts::Face::Italic.bytes())
        .font(vanthu_core::pdf::fonts::Face::BoldItalic.bytes())
        .default_font(font::UI)
        .window_size((1280.0, 820.0))
        // The close button asks first when a draft has unsaved changes.
        .exit_on_close_request(false)
        .theme(app::App::theme)
        .style(app::App::style)
        .run()
}
