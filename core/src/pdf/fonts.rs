//! The PDF fonts: Liberation Serif 2 (SIL OFL 1.1), metric-compatible with Times New
//! Roman and covering every Vietnamese letter as a precomposed glyph. The four faces are
//! embedded in the binary, so a document looks the same on any machine, offline.

use std::collections::HashMap;
use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// Regular face (Liberation Serif).
pub static SERIF_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Regular.ttf");
/// Bold face.
pub static SERIF_BOLD: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Bold.ttf");
/// Italic face.
pub static SERIF_ITALIC: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Italic.ttf");
/// Bold italic face.
pub static SERIF_BOLD_ITALIC: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-BoldItalic.ttf");

/// One of the four faces of the document font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// Upright.
    Regular,
    /// Upright bold.
    Bold,
    /// Italic.
    Italic,
    /// Bold italic.
    BoldItalic,
}

impl Face {
    /// Every face, in a fixed order.
    pub const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic];

    /// The face with the given weight and slant.
    pub fn from_style(bold: bool, italic: bool) -> Face {
        match (bold, italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }

    /// Whether the face is bold.
    pub fn is_bold(self) -> bool {
        matches!(self, Face::Bold | Face::BoldItalic)
    }

    /// Whether the face is italic.
    pub fn is_italic(self) -> bool {
        matches!(self, Face::Italic | Face::BoldItalic)
    }

    /// The font file.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => SERIF_REGULAR,
            Face::Bold => SERIF_BOLD,
            Face::Italic => SERIF_ITALIC,
            Face::BoldItalic => SERIF_BOLD_ITALIC,
        }
    }

    /// Metrics of the face, read once.
    pub fn metrics(self) -> &'static FaceMetrics {
        static CACHE: [OnceLock<FaceMetrics>; 4] = [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
        CACHE[self as usize].get_or_init(|| FaceMetrics::read(self.bytes()))
    }

    /// Width of `text` at `size` pt (no kerning: the writer places glyphs the same way).
    pub fn width(self, text: &str, size: f32) -> f32 {
        let metrics = self.metrics();
        text.chars().map(|c| metrics.glyph(c).1).sum::<f32>() * size
    }
}

/// Glyph ids and advance widths (in em) of one face.
#[derive(Debug)]
pub struct FaceMetrics {
    /// Glyph id and advance for the characters below U+2000 (Latin, Vietnamese).
    dense: Vec<(u16, f32)>,
    /// The other characters met in the cmap.
    sparse: HashMap<char, (u16, f32)>,
    /// Advance of the missing glyph.
    notdef_advance: f32,
    /// Ascender, in em.
    pub ascent: f32,
    /// Descender (negative), in em.
    pub descent: f32,
}

const DENSE_LIMIT: u32 = 0x2000;

impl FaceMetrics {
    fn read(data: &[u8]) -> FaceMetrics {
        // The font is embedded and known good; an unreadable font is a build defect, which
        // the tests catch, so this falls back to empty metrics rather than panicking.
        let Ok(font) = FontRef::new(data) else {
            return FaceMetrics {
                dense: Vec::new(),
                sparse: HashMap::new(),
                notdef_advance: 0.5,
                ascent: 0.9,
                descent: -0.2,
            };
        };
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        let upem = f32::from(metrics.units_per_em.max(1));
        let glyphs = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let advance = |gid: skrifa::GlyphId| glyphs.advance_width(gid).unwrap_or(0.0) / upem;
        let charmap = font.charmap();
        let mut dense = vec![(0u16, f32::NAN); DENSE_LIMIT as usize];
        let mut sparse = HashMap::new();
        for (code, gid) in charmap.mappings() {
            let Some(c) = char::from_u32(code) else { continue };
            let id = u16::try_from(gid.to_u32()).unwrap_or(0);
            if code < DENSE_LIMIT {
                dense[code as usize] = (id, advance(gid));
            } else {
                sparse.insert(c, (id, advance(gid)));
            }
        }
        FaceMetrics {
            dense,
            sparse,
            notdef_advance: advance(skrifa::GlyphId::new(0)),
            ascent: metrics.ascent / upem,
            descent: metrics.descent / upem,
        }
    }

    /// Glyph id and advance (em) of `c`; the missing glyph (id 0) when the font lacks it.
    pub fn glyph(&self, c: char) -> (u16, f32) {
        let code = c as u32;
        let found = if code < DENSE_LIMIT {
            self.dense.get(code as usize).copied().filter(|(_, adv)| !adv.is_nan())
        } else {
            self.sparse.get(&c).copied()
        };
        found.unwrap_or((0, self.notdef_advance))
    }

    /// Whether the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.glyph(c).0 != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vietnamese_letter_is_covered_in_every_face() {
        let letters = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";
        let upper = letters.to_uppercase();
        for face in Face::ALL {
            let m = face.metrics();
            for c in letters.chars().chain(upper.chars()).chain("0123456789.,;:-–/()“”\"'*%".chars()) {
                assert!(m.covers(c), "{face:?} lacks {c}");
            }
            assert!(m.ascent > 0.8 && m.descent < 0.0, "{face:?}");
        }
    }

    #[test]
    fn widths_are_times_compatible() {
        // Times New Roman: 'M' is 0.889 em, space 0.25 em, bold 'M' 0.944 em.
        assert!((Face::Regular.width("M", 1.0) - 0.889).abs() < 0.002);
        assert!((Face::Regular.width(" ", 1.0) - 0.25).abs() < 0.002);
        assert!((Face::Bold.width("M", 1.0) - 0.944).abs() < 0.002);
        assert!(Face::Regular.width("Quyết định", 14.0) > Face::Regular.width("Quyet dinh", 14.0) - 0.01);
    }
}
