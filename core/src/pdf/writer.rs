//! Writes a laid-out document as PDF/A-1b with krilla (on pdf-writer): the Liberation
//! Serif faces embedded as subsets with a ToUnicode map and CIDSet, XMP metadata that
//! matches the Info dictionary, the sRGB output intent, and a file ID derived from the
//! content so the same document always gives the same bytes.

use krilla::Document as PdfDocument;
use krilla::configure::{Configuration, Validator};
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{SerializeSettings, surface::Surface};

use super::PdfError;
use super::fonts::Face;
use super::layout::{DocumentLayout, Ink, Item, TextRun};

/// Document information written to the Info dictionary and the XMP packet.
#[derive(Debug, Clone, Default)]
pub struct PdfInfo {
    /// Title (type name and trích yếu).
    pub title: String,
    /// Subject: the trích yếu.
    pub subject: String,
    /// Author: the issuing body.
    pub author: String,
    /// Keywords: the number and symbol.
    pub keywords: Vec<String>,
    /// Creation date (the document's date, so output is reproducible).
    pub date: Option<chrono::NaiveDate>,
    /// A stable identifier of the content (the file ID is derived from it).
    pub id: String,
}

/// The four faces as krilla fonts, parsed (and hashed) once per process.
fn fonts() -> Result<&'static [Font; 4], PdfError> {
    static FONTS: std::sync::OnceLock<Option<[Font; 4]>> = std::sync::OnceLock::new();
    FONTS
        .get_or_init(|| {
            let load = |face: Face| Font::new(face.bytes().into(), 0);
            Some([load(Face::Regular)?, load(Face::Bold)?, load(Face::Italic)?, load(Face::BoldItalic)?])
        })
        .as_ref()
        .ok_or_else(|| PdfError::new("không đọc được phông chữ Liberation Serif (embedded font unreadable)".to_owned()))
}

/// Writes `layout` as PDF/A-1b bytes.
pub fn write_pdf(layout: &DocumentLayout, info: &PdfInfo) -> Result<Vec<u8>, PdfError> {
    let settings = SerializeSettings {
        configuration: Configuration::new_with_validator(Validator::A1_B),
        ..SerializeSettings::default()
    };
    let mut document = PdfDocument::new_with(settings);
    let fonts = fonts()?;
    for page in &layout.pages {
        let settings = PageSettings::from_wh(layout.width, layout.height)
            .ok_or_else(|| PdfError::new("kích thước trang không hợp lệ (invalid page size)".to_owned()))?;
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        let mut ink = Ink::Black;
        for item in &page.items {
            draw(&mut surface, item, fonts, &mut ink);
        }
        surface.finish();
        pdf_page.finish();
    }
    let mut metadata = Metadata::new()
        .title(info.title.clone())
        .description(info.subject.clone())
        .authors(vec![info.author.clone()])
        .keywords(info.keywords.clone())
        .language("vi".to_owned())
        .creator("Vanthu".to_owned())
        .producer(format!("Vanthu {}", env!("CARGO_PKG_VERSION")))
        .document_id(info.id.clone());
    if let Some(date) = info.date {
        use chrono::Datelike;
        let (Ok(year), Ok(month), Ok(day)) =
            (u16::try_from(date.year()), u8::try_from(date.month()), u8::try_from(date.day()))
        else {
            return Err(PdfError::new(format!("ngày {date} không ghi được vào PDF (date out of range)")));
        };
        metadata = metadata.creation_date(
            DateTime::new(year)
                .month(month)
                .day(day)
                .hour(0)
                .minute(0)
                .second(0)
                .utc_offset_hour(7)
                .utc_offset_minute(0),
        );
    }
    document.set_metadata(metadata);
    document.finish().map_err(|e| PdfError::new(format!("không tạo được PDF/A-1b: {e:?} (PDF/A-1b export failed)")))
}

fn paint(ink: Ink) -> krilla::paint::Paint {
    let [r, g, b] = ink.rgb();
    krilla::color::rgb::Color::new(r, g, b).into()
}

fn draw(surface: &mut Surface<'_>, item: &Item, fonts: &[Font; 4], ink: &mut Ink) {
    match item {
        Item::Ink(next) => *ink = *next,
        Item::Text(run) => draw_run(surface, run, fonts, *ink),
        Item::Rule { x1, x2, y, width } => {
            let mut path = PathBuilder::new();
            path.move_to(*x1, *y);
            path.line_to(*x2, *y);
            stroke(surface, path, *width, *ink);
        }
        Item::Frame { x, y, w, h } => {
            let mut path = PathBuilder::new();
            path.move_to(*x, *y);
            path.line_to(x + w, *y);
            path.line_to(x + w, y + h);
            path.line_to(*x, y + h);
            path.close();
            stroke(surface, path, 0.75, *ink);
        }
    }
}

fn stroke(surface: &mut Surface<'_>, path: PathBuilder, width: f32, ink: Ink) {
    let Some(path) = path.finish() else { return };
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke { width, paint: paint(ink), ..Stroke::default() }));
    surface.draw_path(&path);
    surface.set_stroke(None);
}

fn draw_run(surface: &mut Surface<'_>, run: &TextRun, fonts: &[Font; 4], ink: Ink) {
    if run.text.is_empty() {
        return;
    }
    let metrics = run.face.metrics();
    let spacing = if run.size > 0.0 { run.word_spacing / run.size } else { 0.0 };
    let glyphs: Vec<KrillaGlyph> = run
        .text
        .char_indices()
        .map(|(i, c)| {
            let (gid, advance) = metrics.glyph(c);
            KrillaGlyph {
                glyph_id: GlyphId::new(u32::from(gid)),
                text_range: i..i + c.len_utf8(),
                x_advance: advance + if c == ' ' { spacing } else { 0.0 },
                x_offset: 0.0,
                y_offset: 0.0,
                y_advance: 0.0,
                location: None,
            }
        })
        .collect();
    surface.set_stroke(None);
    surface.set_fill(Some(krilla::paint::Fill { paint: paint(ink), ..krilla::paint::Fill::default() }));
    surface.draw_glyphs(
        Point::from_xy(run.x, run.baseline),
        &glyphs,
        fonts[run.face as usize].clone(),
        &run.text,
        run.size,
        false,
    );
}
