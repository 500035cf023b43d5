//! The page preview: the pages of `vanthu_core::pdf::layout_document`, the same
//! layout the PDF writer uses, drawn on a canvas in the document font.

use iced::font::{Style, Weight};
use iced::widget::canvas::{self, Frame, Geometry, Path, Stroke, Text};
use iced::{Color, Element, Font, Length, Point, Rectangle, Renderer, Size, Theme, mouse};
use vanthu_core::pdf::fonts::Face;
use vanthu_core::pdf::layout::{BASELINE, SINGLE_LINE};
use vanthu_core::pdf::{DocumentLayout, Item};

/// The document font (Liberation Serif, metric-compatible with Times New Roman).
const SERIF: Font = Font::with_name("Liberation Serif");
/// Space between pages, px.
const GAP: f32 = 12.0;

/// A laid-out document to draw at a scale of `width` px per page width.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The layout.
    pub layout: DocumentLayout,
    /// Drawn width of a page, px.
    pub width: f32,
}

impl Preview {
    /// The preview as an element (every page, one under the other).
    pub fn view<'a, M: 'a>(self) -> Element<'a, M> {
        let scale = self.width / self.layout.width.max(1.0);
        let page_h = self.layout.height * scale;
        let height = (page_h + GAP) * self.layout.pages.len().max(1) as f32;
        let width = self.width;
        canvas::Canvas::new(self).width(Length::Fixed(width)).height(Length::Fixed(height)).into()
    }
}

fn font(face: Face) -> Font {
    Font {
        weight: if face.is_bold() { Weight::Bold } else { Weight::Normal },
        style: if face.is_italic() { Style::Italic } else { Style::Normal },
        ..SERIF
    }
}

impl<M> canvas::Program<M> for Preview {
    type State = ();

    fn draw(&self, _: &(), renderer: &Renderer, _: &Theme, bounds: Rectangle, _: mouse::Cursor) -> Vec<Geometry> {
        let mut frame = Frame::new(renderer, bounds.size());
        let s = self.width / self.layout.width.max(1.0);
        let page_h = self.layout.height * s;
        for (n, page) in self.layout.pages.iter().enumerate() {
            let top = n as f32 * (page_h + GAP);
            frame.fill_rectangle(Point::new(0.0, top), Size::new(self.width, page_h), Color::WHITE);
            frame.stroke(
                &Path::rectangle(Point::new(0.0, top), Size::new(self.width, page_h)),
                Stroke::default().with_width(1.0).with_color(Color::from_rgb(0.7, 0.7, 0.7)),
            );
            let mut ink = Color::BLACK;
            for item in &page.items {
                match item {
                    Item::Ink(next) => {
                        let [r, g, b] = next.rgb();
                        ink = Color::from_rgb8(r, g, b);
                    }
                    Item::Text(run) => frame.fill_text(Text {
                        content: run.text.clone(),
                        position: Point::new(run.x * s, top + (run.baseline - BASELINE * run.size) * s),
                        size: (run.size * s).into(),
                        line_height: iced::widget::text::LineHeight::Relative(SINGLE_LINE),
                        font: font(run.face),
                        color: ink,
                        ..Text::default()
                    }),
                    // `fill`, not `fill_rectangle`: the software renderer fills
                    // rectangles without anti-aliasing, so a rule thinner than a
                    // pixel vanished whenever the scroll offset put it between two
                    // pixel centres. At least one pixel high, anti-aliased, it is
                    // drawn at every offset.
                    Item::Rule { x1, x2, y, width } => frame.fill(
                        &Path::rectangle(
                            Point::new(x1 * s, top + y * s),
                            Size::new((x2 - x1) * s, (width * s).max(1.0)),
                        ),
                        ink,
                    ),
                    Item::Frame { x, y, w, h } => frame.stroke(
                        &Path::rectangle(Point::new(x * s, top + y * s), Size::new(w * s, h * s)),
                        Stroke::default().with_width(1.0).with_color(ink),
                    ),
                }
            }
        }
        vec![frame.into_geometry()]
    }
}
