//! Colours and sizes shared by the screens.

use iced::Color;

/// Page title size.
pub const TITLE: f32 = 24.0;
/// Section heading size.
pub const HEADING: f32 = 18.0;
/// Space between blocks.
pub const GAP: f32 = 12.0;

/// Colour of error messages.
pub const ERROR: Color = Color::from_rgb(0.70, 0.10, 0.10);
/// Colour of secondary text.
pub const MUTED: Color = Color::from_rgb(0.40, 0.42, 0.45);
/// Colour of warnings such as overdue deadlines.
pub const WARNING: Color = Color::from_rgb(0.75, 0.35, 0.0);
