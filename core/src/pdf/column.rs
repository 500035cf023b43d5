//! A vertical stack of lines in one column: the header's two columns, the signature
//! block and the recipients list are built with it.

use super::fonts::Face;
use super::layout::{Align, Item, Para, break_lines};
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
    /// `min_width` wide and 8 mm high, its left edge at `left`.
    pub fn stamp(&mut self, text: &str, size: f32, left: f32, min_width: f32) {
        let items = stamp_items(text, size, left, self.y, min_width);
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

/// The items of a framed stamp whose box starts at (`left`, `top`).
pub fn stamp_items(text: &str, size: f32, left: f32, top: f32, min_width: f32) -> Vec<Item> {
    let height = 8.0 * super::typography::MM;
    let text_width = Face::Bold.width(text, size);
    let width = min_width.max(text_width + 4.0 * super::typography::MM);
    let baseline = top + height / 2.0 + size * 0.33;
    vec![
        Item::Frame { x: left, y: top, w: width, h: height },
        Item::Text(super::layout::TextRun {
            x: left + (width - text_width) / 2.0,
            baseline,
            size,
            face: Face::Bold,
            text: text.to_owned(),
            word_spacing: 0.0,
        }),
    ]
}
