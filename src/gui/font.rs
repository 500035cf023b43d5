//! The embedded UI font: Noto Sans (SIL OFL 1.1), full Vietnamese coverage.

use iced::Font;
use iced::font::Weight;

/// Noto Sans Regular.
pub const REGULAR_BYTES: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
/// Noto Sans Bold.
pub const BOLD_BYTES: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
/// Noto Sans Italic.
pub const ITALIC_BYTES: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Italic.ttf");

/// The UI font.
pub const UI: Font = Font::with_name("Noto Sans");

/// The UI font in bold.
pub const BOLD: Font = Font { weight: Weight::Bold, ..UI };
