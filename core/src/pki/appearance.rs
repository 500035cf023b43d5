//! What a signature shows on the page (NĐ 30/2020, Phụ lục I, Phần II): the
//! signer's handwritten-signature image (blue) or the agency's seal image (red), as
//! a stencil mask in the signature's colour (PDF/A-1 forbids soft masks, so the
//! PNG's transparency becomes a 1-bit mask), and text lines in an embedded font
//! (Liberation Serif, the exporter's face; PDF/A requires every font embedded).

use std::io::Write;

use crate::pdf::fonts::Face;

use super::PkiError;

/// A 1-bit image painted in one colour where its bits are 0 (ISO 32000-1 §8.9.6.2).
#[derive(Debug, Clone)]
pub struct Stencil {
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Rows packed 8 pixels a byte, 0 = paint.
    pub bits: Vec<u8>,
}

impl Stencil {
    /// Reads a PNG: a pixel is painted where it is mostly opaque and not light (a
    /// transparent background or a white paper scan stays clear).
    pub fn from_png(bytes: &[u8]) -> Result<Stencil, PkiError> {
        let bad = |e: &dyn std::fmt::Display| PkiError::new(format!("ảnh PNG không đọc được (bad PNG: {e})"));
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info().map_err(|e| bad(&e))?;
        let mut buffer = vec![0; reader.output_buffer_size().ok_or_else(|| bad(&"size"))?];
        let info = reader.next_frame(&mut buffer).map_err(|e| bad(&e))?;
        if info.width == 0 || info.height == 0 || info.width > 4000 || info.height > 4000 {
            return Err(PkiError::new("ảnh chữ ký/con dấu phải từ 1 đến 4000 điểm ảnh mỗi chiều (image size)".into()));
        }
        let channels = info.color_type.samples();
        let row_bytes = (info.width as usize).div_ceil(8);
        let mut bits = vec![0xffu8; row_bytes * info.height as usize];
        for y in 0..info.height as usize {
            for x in 0..info.width as usize {
                let px = &buffer[(y * info.width as usize + x) * channels..][..channels];
                let (luma, alpha) = match channels {
                    1 => (u32::from(px[0]), 255),
                    2 => (u32::from(px[0]), u32::from(px[1])),
                    3 => ((u32::from(px[0]) + u32::from(px[1]) + u32::from(px[2])) / 3, 255),
                    _ => ((u32::from(px[0]) + u32::from(px[1]) + u32::from(px[2])) / 3, u32::from(px[3])),
                };
                if alpha >= 128 && luma < 200 {
                    bits[y * row_bytes + x / 8] &= !(0x80 >> (x % 8));
                }
            }
        }
        Ok(Stencil { width: info.width, height: info.height, bits })
    }
}

/// One line of text in the appearance, at (x, baseline) from the box's lower left.
#[derive(Debug, Clone)]
pub struct Line {
    /// The text (NFC).
    pub text: String,
    /// Left edge.
    pub x: f32,
    /// Baseline.
    pub y: f32,
    /// Font size.
    pub size: f32,
}

/// An appearance: a box of `width` × `height` points with an image and lines.
#[derive(Debug, Clone, Default)]
pub struct Appearance {
    /// Box width.
    pub width: f32,
    /// Box height.
    pub height: f32,
    /// The image and where it goes (x, y, w, h in the box).
    pub image: Option<(Stencil, [f32; 4])>,
    /// RGB colour of image and text.
    pub colour: [f32; 3],
    /// Text lines.
    pub lines: Vec<Line>,
}

/// Width in points of `text` at `size` in the appearance font.
pub fn text_width(text: &str, size: f32) -> f32 {
    Face::Regular.width(text, size)
}

/// Compresses with zlib (FlateDecode).
pub fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// A stream object's body.
pub fn stream(dict_entries: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict_entries} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// The objects of an appearance, numbered from `first`; returns them with the
/// number of the form XObject.
pub fn objects(appearance: &Appearance, first: u32) -> (Vec<(u32, Vec<u8>)>, u32) {
    let mut objects = Vec::new();
    let form = first;
    let mut next = first + 1;
    let [r, g, b] = appearance.colour;
    let mut content = String::new();
    let mut resources = String::new();
    if let Some((stencil, [x, y, w, h])) = &appearance.image {
        let image = next;
        next += 1;
        objects.push((
            image,
            stream(
                &format!(
                    "/Type /XObject /Subtype /Image /Width {} /Height {} /ImageMask true /BitsPerComponent 1 /Decode [0 1] /Filter /FlateDecode",
                    stencil.width, stencil.height
                ),
                &deflate(&stencil.bits),
            ),
        ));
        content.push_str(&format!("q {r} {g} {b} rg {w} 0 0 {h} {x} {y} cm /Im0 Do Q\n"));
        resources.push_str(&format!("/XObject << /Im0 {image} 0 R >> "));
    }
    if !appearance.lines.is_empty() {
        let metrics = Face::Regular.metrics();
        content.push_str(&format!("BT {r} {g} {b} rg\n"));
        for line in &appearance.lines {
            let hex: String = line.text.chars().map(|c| format!("{:04X}", metrics.glyph(c).0)).collect();
            content.push_str(&format!("/F0 {} Tf 1 0 0 1 {} {} Tm <{hex}> Tj\n", line.size, line.x, line.y));
        }
        content.push_str("ET\n");
        // The whole face with a ToUnicode map, so the signer's details read as text.
        let font = next;
        let font_objects = super::fields::embedded_font(Face::Regular, font);
        objects.extend(font_objects);
        resources.push_str(&format!("/Font << /F0 {font} 0 R >> "));
    }
    objects.push((
        form,
        stream(
            &format!(
                "/Type /XObject /Subtype /Form /BBox [0 0 {} {}] /Resources << {resources}>> /Filter /FlateDecode",
                appearance.width, appearance.height
            ),
            &deflate(content.as_bytes()),
        ),
    ));
    (objects, form)
}
