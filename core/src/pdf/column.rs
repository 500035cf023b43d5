//! A vertical stack of lines in one column: the header's two columns, the signature
//! block and the recipients list are built with it.

use super::fonts::Face;
use super::layout::{Align, Ink, Item, Para, break_lines};
use super::typography::{Style, Underline};

/// A column being filled from the top; item positions are relative to the column's top.
#[derive(Debug, Clone)]
pub struct Column {
    /// Left edge, pt from the page's left.
    pub x: f32,
    /// Width, pt.
    pub width: f32,
    /// Height used so far, pt.
    pub y: f32,
    /// What was placed.
    pub items: Vec<Item>,
    /// Baseline of every line placed, in order.
    pub baselines: Vec<f32>,
}

/// Where the lines of the last `text` call went: `(left, width)` of each line.
pub type Extents = Vec<(f32, f32)>;

impl Column {
    /// An empty column.
    pub fn new(x: f32, width: f32) -> Column {
        Column { x, width, y: 0.0, items: Vec::new(), baselines: Vec::new() }
    }

    /// Adds vertical space.
    pub fn gap(&mut self, pt: f32) {
        self.y += pt;
    }

    /// Places `text` in `style` (upper-cased if the style says so), wrapped and aligned.
    pub fn text(&mut self, text: &str, style: &Style, align: Align) -> Extents {
        let text = if style.upper { crate::text::nfc(&text.to_uppercase()) } else { text.to_owned() };
        let mut para = Para::new(&text, style.face(), style.size, align, self.x, self.width);
        if align == Align::Center {
            balance(&mut para);
        }
        self.para(&para)
    }

    /// Places an organisation's name (header boxes 1 and 2): centred, each line given by
    /// an explicit line break kept; a line too long for the column breaks before the
    /// administrative unit (`HỘI ĐỒNG NHÂN DÂN / XÃ PHÚ HỘI`) or `VÀ`, and never inside a
    /// fixed term (`NHÂN DÂN`, `ỦY BAN`, `HỘI ĐỒNG`).
    pub fn name(&mut self, text: &str, style: &Style) -> Extents {
        let mut extents = Vec::new();
        for piece in text.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
            let piece = if style.upper { crate::text::nfc(&piece.to_uppercase()) } else { piece.to_owned() };
            for line in name_lines(&piece, style.face(), style.size, self.width) {
                extents.extend(self.text(&glue_terms(&line), style, Align::Center));
            }
        }
        extents
    }

    /// Places a prepared paragraph.
    pub fn para(&mut self, para: &Para) -> Extents {
        let mut extents = Vec::new();
        for line in break_lines(para) {
            if let Some(first) = line.runs.first() {
                let left = first.x;
                let right = line.runs.iter().map(|r| r.x + r.width()).fold(left, f32::max);
                extents.push((left, right - left));
                self.baselines.push(self.y + first.baseline);
            }
            for run in line.runs {
                self.items.push(Item::Text(run).shifted(self.y));
            }
            self.y += line.height;
        }
        extents
    }

    /// Draws the line a style asks for under the lines just placed.
    pub fn underline(&mut self, extents: &Extents, style: &Style) {
        let Some(&(left, width)) = extents.iter().max_by(|a, b| a.1.total_cmp(&b.1)) else { return };
        // Clear of the descenders (ạ, ọ, g, p …) by about 2 pt.
        let y = self.y + 2.0;
        match style.underline {
            Underline::None => {}
            Underline::TextLength => {
                self.items.push(Item::Rule { x1: left, x2: left + width, y, width: 0.5 });
                self.y += 4.0;
            }
            Underline::ThirdToHalf => {
                let centre = left + width / 2.0;
                let half = (width * 0.4).max(36.0).min(width.max(36.0)) / 2.0;
                self.items.push(Item::Rule { x1: centre - half, x2: centre + half, y, width: 0.5 });
                self.y += 4.0;
            }
        }
    }

    /// A framed stamp (`KHẨN`, `MẬT`, `DỰ THẢO`): bold text centred in a box at least
    /// `min_width` wide and 8 mm high, its left edge at `left`, in `ink`.
    pub fn stamp(&mut self, text: &str, size: f32, left: f32, min_width: f32, ink: Ink) {
        let items = stamp_items(text, size, left, self.y, min_width, ink);
        self.y += 8.0 * super::typography::MM;
        self.items.extend(items);
    }

    /// The column's items moved down to `top`.
    pub fn placed_at(&self, top: f32) -> Vec<Item> {
        self.items.iter().cloned().map(|i| i.shifted(top)).collect()
    }
}

/// Narrows a centred paragraph that wraps so its lines come out even
/// (`BAN TUYÊN GIÁO / VÀ DÂN VẬN`, not `BAN TUYÊN GIÁO VÀ DÂN / VẬN`); the lines stay
/// centred on the same axis.
fn balance(para: &mut Para) {
    let count = break_lines(para).len();
    if count < 2 {
        return;
    }
    let full = para.width;
    let (mut low, mut high) = (full / count as f32, full);
    for _ in 0..12 {
        let mid = (low + high) / 2.0;
        para.width = mid;
        if break_lines(para).len() > count {
            low = mid;
        } else {
            high = mid;
        }
    }
    para.width = high;
    para.x += (full - high) / 2.0;
}

/// Words before which an organisation's name may break (the administrative unit, a
/// conjunction), as printed names break.
const NAME_BREAKS: [&str; 12] =
    ["XÃ", "PHƯỜNG", "THỊ", "HUYỆN", "QUẬN", "TỈNH", "THÀNH", "ĐẶC", "VÀ", "CỦA", "TẠI", "KHU"];

/// Fixed terms a name never breaks inside.
const NAME_TERMS: [&str; 8] =
    ["NHÂN DÂN", "ỦY BAN", "UỶ BAN", "HỘI ĐỒNG", "CỘNG SẢN", "THƯỜNG VỤ", "THÀNH PHỐ", "THỊ XÃ"];

/// Joins the words of each fixed term with a no-break space.
fn glue_terms(line: &str) -> String {
    let mut out = line.to_owned();
    for term in NAME_TERMS {
        out = out.replace(term, &term.replace(' ', "\u{a0}"));
    }
    out
}

/// Breaks a name too wide for `width` before the last break word that lets the first
/// part fit, then the rest likewise; a part with no such word is left whole (the line
/// breaker then wraps it, fixed terms kept together).
fn name_lines(text: &str, face: Face, size: f32, width: f32) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let rest = words[start..].join(" ");
        if face.width(&rest, size) <= width {
            lines.push(rest);
            break;
        }
        let cut = (start + 1..words.len())
            .filter(|&i| NAME_BREAKS.contains(&words[i]))
            .filter(|&i| face.width(&words[start..i].join(" "), size) <= width)
            .rfind(|&i| !(words[i] == "XÃ" && words[i - 1] == "THỊ"));
        match cut {
            Some(i) => {
                lines.push(words[start..i].join(" "));
                start = i;
            }
            None => {
                lines.push(rest);
                break;
            }
        }
    }
    lines
}

/// The items of a framed stamp whose box starts at (`left`, `top`), in `ink`.
pub fn stamp_items(text: &str, size: f32, left: f32, top: f32, min_width: f32, ink: Ink) -> Vec<Item> {
    let height = 8.0 * super::typography::MM;
    let text_width = Face::Bold.width(text, size);
    let width = min_width.max(text_width + 4.0 * super::typography::MM);
    let baseline = top + height / 2.0 + size * 0.33;
    vec![
        Item::Ink(ink),
        Item::Frame { x: left, y: top, w: width, h: height },
        Item::Text(super::layout::TextRun {
            x: left + (width - text_width) / 2.0,
            baseline,
            size,
            face: Face::Bold,
            text: text.to_owned(),
            word_spacing: 0.0,
        }),
        Item::Ink(Ink::Black),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_break_before_the_unit_and_never_inside_a_term() {
        let lines = name_lines("HỘI ĐỒNG NHÂN DÂN XÃ PHÚ HỘI", Face::Bold, 12.0, 150.0);
        assert_eq!(lines, ["HỘI ĐỒNG NHÂN DÂN", "XÃ PHÚ HỘI"]);
        let lines = name_lines("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", Face::Regular, 12.0, 180.0);
        assert_eq!(lines, ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"]);
        let mut column = Column::new(0.0, 160.0);
        let style = super::super::typography::bold(12.0);
        column.name("BAN CHỈ ĐẠO PHÒNG CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN\nHỘI ĐỒNG NHÂN DÂN", &style);
        let texts: Vec<String> = column
            .items
            .iter()
            .filter_map(|i| if let Item::Text(r) = i { Some(r.text.clone()) } else { None })
            .collect();
        assert_eq!(texts.last().map(String::as_str), Some("HỘI ĐỒNG NHÂN DÂN"), "explicit break kept: {texts:?}");
        for item in &column.items {
            if let Item::Text(run) = item {
                assert!(run.x >= -0.01 && run.x + run.width() <= 160.05, "inside the column: {run:?}");
                assert!(!run.text.ends_with("NHÂN") && !run.text.ends_with("ỦY"), "split inside a term: {texts:?}");
            }
        }
    }
}
