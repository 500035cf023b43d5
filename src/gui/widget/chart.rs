//! A bar chart: bars drawn on a canvas, values and labels as text widgets below
//! (canvas text is left out: the tiny-skia renderer can leave stale canvas glyphs).

use iced::widget::canvas::{self, Frame, Geometry, Path};
use iced::widget::{column, row, text};
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
    /// The chart as an element whose bars are `height` tall at most.
    pub fn view<'a, M: 'a>(self, height: f32) -> Element<'a, M> {
        let mut labels = row![].spacing(2);
        for (label, value) in &self.bars {
            labels = labels.push(
                column![
                    text(value.to_string()).size(12).font(font::BOLD),
                    text(label.clone()).size(11).color(theme::MUTED).center()
                ]
                .align_x(iced::Center)
                .width(Length::FillPortion(1)),
            );
        }
        column![canvas::Canvas::new(self).width(Length::Fill).height(Length::Fixed(height)), labels].spacing(2).into()
    }
}

impl<M> canvas::Program<M> for BarChart {
    type State = ();

    fn draw(&self, _: &(), renderer: &Renderer, _: &Theme, bounds: Rectangle, _: mouse::Cursor) -> Vec<Geometry> {
        let mut frame = Frame::new(renderer, bounds.size());
        let n = self.bars.len().max(1) as f32;
        let max = self.bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f32;
        let plot_h = (bounds.height - 2.0).max(1.0);
        let slot = (bounds.width + 2.0) / n;
        let bar_w = (slot * 0.6).min(48.0);
        frame.fill_rectangle(Point::new(0.0, plot_h), Size::new(bounds.width, 1.0), theme::MUTED);
        for (i, (_, value)) in self.bars.iter().enumerate() {
            let h = plot_h * (*value as f32) / max;
            let x = slot * i as f32 + (slot - bar_w) / 2.0;
            frame.fill(&Path::rectangle(Point::new(x, plot_h - h), Size::new(bar_w, h)), self.colour);
        }
        vec![frame.into_geometry()]
    }
}
