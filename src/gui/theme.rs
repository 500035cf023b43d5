//! Colours and sizes shared by the screens.

use iced::Color;

/// Page title size.
pub const TITLE: f32 = 24.0;
/// Section heading size.
pub const HEADING: f32 = 18.0;
/// Space between blocks.
pub const GAP: f32 = 12.0;

/// Colour of body text.
pub const TEXT: Color = Color::from_rgb(0.12, 0.13, 0.15);
/// Colour of error messages.
pub const ERROR: Color = Color::from_rgb(0.70, 0.10, 0.10);
/// Colour of secondary text.
pub const MUTED: Color = Color::from_rgb(0.40, 0.42, 0.45);
/// Colour of warnings such as overdue deadlines.
pub const WARNING: Color = Color::from_rgb(0.75, 0.35, 0.0);
/// Colour of a clean result.
pub const OK: Color = Color::from_rgb(0.10, 0.50, 0.20);
/// Accent colour (bars, selection).
pub const ACCENT: Color = Color::from_rgb(0.16, 0.38, 0.70);
/// Sidebar background.
pub const SIDEBAR: Color = Color::from_rgb(0.93, 0.94, 0.96);
