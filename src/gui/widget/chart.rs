//! A bar chart drawn on a canvas.

use iced::widget::canvas::{self, Frame, Geometry, Path, Text};
use iced::{Color, Element, Length, Point, Rectangle, Renderer, Size, Theme, mouse};

use crate::gui::{font, theme};

/// Bars with labels.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// (label, value) pairs.
    pub bars: Vec<(String, i64)>,
    /// Bar colour.
    pub colour: Color,
}

impl BarChart {
    /// The chart as an element of the given height.
    pub fn view<'a, M: 'a>(self, height: f32) -> Element<'a, M> {
        canvas::Canvas::new(self).width(Length::Fill).height(Length::Fixed(height)).into()
    }
}

impl<M> canvas::Program<M> for BarChart {
    type State = ();

    fn draw(&self, _: &(), renderer: &Renderer, _: &Theme, bounds: Rectangle, _: mouse::Cursor) -> Vec<Geometry> {
        let mut frame = Frame::new(renderer, bounds.size());
        let n = self.bars.len().max(1) as f32;
        let max = self.bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f32;
        let label_h = 34.0;
        let value_h = 16.0;
        let plot_h = (bounds.height - label_h - value_h).max(10.0);
        let slot = bounds.width / n;
        let bar_w = (slot * 0.6).min(48.0);
        frame.fill_rectangle(Point::new(0.0, value_h + plot_h), Size::new(bounds.width, 1.0), theme::MUTED);
        for (i, (label, value)) in self.bars.iter().enumerate() {
            let h = plot_h * (*value as f32) / max;
            let x = slot * i as f32 + (slot - bar_w) / 2.0;
            let y = value_h + plot_h - h;
            frame.fill(&Path::rectangle(Point::new(x, y), Size::new(bar_w, h)), self.colour);
            let centre = slot * i as f32 + slot / 2.0;
            frame.fill_text(Text {
                content: value.to_string(),
                position: Point::new(centre, y - 2.0),
                size: 12.0.into(),
                font: font::BOLD,
                align_x: iced::widget::text::Alignment::Center,
                align_y: iced::alignment::Vertical::Bottom,
                color: theme::TEXT,
                ..Text::default()
            });
            for (line, part) in wrap(label, slot).into_iter().enumerate() {
                frame.fill_text(Text {
                    content: part,
                    position: Point::new(centre, value_h + plot_h + 4.0 + 14.0 * line as f32),
                    size: 11.0.into(),
                    font: font::UI,
                    align_x: iced::widget::text::Alignment::Center,
                    color: theme::MUTED,
                    ..Text::default()
                });
            }
        }
        vec![frame.into_geometry()]
    }
}

/// Splits a label into at most two lines that fit a slot (about 6 px a character).
fn wrap(label: &str, width: f32) -> Vec<String> {
    let max = ((width / 6.0) as usize).max(4);
    if label.chars().count() <= max {
        return vec![label.to_owned()];
    }
    let mut first = String::new();
    let mut rest = String::new();
    for word in label.split(' ') {
        if rest.is_empty() && first.chars().count() + word.chars().count() < max {
            if !first.is_empty() {
                first.push(' ');
            }
            first.push_str(word);
        } else {
            if !rest.is_empty() {
                rest.push(' ');
            }
            rest.push_str(word);
        }
    }
    vec![first, crate::gui::widget::findings::ellipsis(&rest, max)]
}
