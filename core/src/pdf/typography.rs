//! The ruleset's `[typography]` tables read as typed values: the one source of truth
//! the checker and the layout share. Missing entries fall back to the sample values of
//! Phụ lục I, so an office override may change one size without restating the rest.

use crate::ruleset::Ruleset;

use super::fonts::Face;

/// Millimetres to PDF points.
pub const MM: f32 = 72.0 / 25.4;

/// How a component is underlined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Underline {
    /// No line.
    None,
    /// A line as long as the text (Tiêu ngữ, Party title).
    TextLength,
    /// A centred line a third to a half of the text (issuing body, trích yếu).
    ThirdToHalf,
}

/// Size and style of one component.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Size in points.
    pub size: f32,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Printed in capitals.
    pub upper: bool,
    /// The line drawn under it.
    pub underline: Underline,
    /// Framed (stamps).
    pub border: bool,
}

impl Style {
    /// The font face of the style.
    pub fn face(&self) -> Face {
        Face::from_style(self.bold, self.italic)
    }
}

/// Page geometry and component styles of a ruleset.
#[derive(Debug, Clone, PartialEq)]
pub struct Typography {
    /// Page width, pt.
    pub page_width: f32,
    /// Page height, pt.
    pub page_height: f32,
    /// Top margin, pt.
    pub margin_top: f32,
    /// Bottom margin, pt.
    pub margin_bottom: f32,
    /// Left margin, pt.
    pub margin_left: f32,
    /// Right margin, pt.
    pub margin_right: f32,
    /// Page number size, pt.
    pub page_number_size: f32,
    /// First page that shows its number.
    pub page_number_from: usize,
    /// First-line indent of body paragraphs, pt.
    pub first_line_indent: f32,
    /// Space between paragraphs, pt.
    pub paragraph_space: f32,
    /// Line spacing factor (1.0 single … 1.5).
    pub line_spacing: f32,
    table: toml::Table,
}

fn number(value: Option<&toml::Value>) -> Option<f32> {
    match value? {
        toml::Value::Float(f) => Some(*f as f32),
        toml::Value::Integer(i) => Some(*i as f32),
        _ => None,
    }
}

impl Typography {
    /// Reads the typography of `ruleset`.
    pub fn of(ruleset: &Ruleset) -> Typography {
        let page = ruleset.typography.get("page").and_then(|v| v.as_table()).cloned().unwrap_or_default();
        let components = ruleset.typography.get("components").and_then(|v| v.as_table()).cloned().unwrap_or_default();
        let mm = |key: &str, default: f32| number(page.get(key)).unwrap_or(default) * MM;
        let body = components.get("body").and_then(|v| v.as_table());
        let body_num = |key: &str, default: f32| number(body.and_then(|b| b.get(key))).unwrap_or(default);
        Typography {
            page_width: mm("width_mm", 210.0),
            page_height: mm("height_mm", 297.0),
            margin_top: mm("margin_top_mm", 20.0),
            margin_bottom: mm("margin_bottom_mm", 20.0),
            margin_left: mm("margin_left_mm", 30.0),
            margin_right: mm("margin_right_mm", 15.0),
            page_number_size: number(page.get("page_number_size")).unwrap_or(13.0),
            page_number_from: number(page.get("page_number_from")).unwrap_or(2.0).max(1.0) as usize,
            first_line_indent: body_num("first_line_indent_mm", 10.0) * MM,
            paragraph_space: body_num("paragraph_space_pt", 6.0).max(6.0),
            line_spacing: body_num("line_spacing", 1.0).clamp(1.0, 1.5),
            table: components,
        }
    }

    /// Width of the text area, pt.
    pub fn text_width(&self) -> f32 {
        self.page_width - self.margin_left - self.margin_right
    }

    /// Bottom of the text area, measured from the top of the page, pt.
    pub fn text_bottom(&self) -> f32 {
        self.page_height - self.margin_bottom
    }

    /// The style of component `name` (`kind_name`, `body` …), with `fallback` for what the
    /// ruleset does not say.
    pub fn style(&self, name: &str, fallback: Style) -> Style {
        let Some(entry) = self.table.get(name).and_then(|v| v.as_table()) else { return fallback };
        let flag = |key: &str, default: bool| entry.get(key).and_then(|v| v.as_bool()).unwrap_or(default);
        let underline = match entry.get("underline").and_then(|v| v.as_str()) {
            Some("text-length") => Underline::TextLength,
            Some("third-to-half") => Underline::ThirdToHalf,
            Some(_) => Underline::None,
            None => fallback.underline,
        };
        Style {
            size: number(entry.get("size")).unwrap_or(fallback.size).clamp(6.0, 30.0),
            bold: flag("bold", fallback.bold),
            italic: flag("italic", fallback.italic),
            upper: entry.get("case").and_then(|v| v.as_str()).map(|c| c == "upper").unwrap_or(fallback.upper),
            underline,
            border: flag("border", fallback.border),
        }
    }

    /// The style of component `name` exactly as the ruleset writes it: a flag it does not
    /// set is off (so `{ size = 14, underline = "text-length" }` is upright and not bold);
    /// `fallback` only when the ruleset has no entry, and for the size.
    pub fn style_exact(&self, name: &str, fallback: Style) -> Style {
        if self.table.get(name).and_then(|v| v.as_table()).is_none() {
            return fallback;
        }
        self.style(name, Style { size: fallback.size, ..plain(fallback.size) })
    }
}

/// A plain style: `size` pt, upright, no line.
pub const fn plain(size: f32) -> Style {
    Style { size, bold: false, italic: false, upper: false, underline: Underline::None, border: false }
}

/// A bold style.
pub const fn bold(size: f32) -> Style {
    Style { size, bold: true, italic: false, upper: false, underline: Underline::None, border: false }
}

/// An italic style.
pub const fn italic(size: f32) -> Style {
    Style { size, bold: false, italic: true, upper: false, underline: Underline::None, border: false }
}
