//! The iced desktop application: view state only; every decision is a core call.

mod app;
mod font;
mod screen;
mod theme;

use std::path::PathBuf;

/// Opens the main window on the database at `db_path`.
pub fn run(db_path: PathBuf) -> iced::Result {
    iced::application(move || app::App::new(db_path.clone()), app::App::update, app::App::view)
        .title(app::App::title)
        .font(font::REGULAR_BYTES)
        .font(font::BOLD_BYTES)
        .font(font::ITALIC_BYTES)
        .default_font(font::UI)
        .window_size((1200.0, 800.0))
        .theme(app::App::theme)
        .run()
}
