//! The quality of a scan of a paper letter, read from the file itself: the
//! resolution (PNG `pHYs`, JPEG JFIF density or Exif `XResolution`, TIFF
//! `XResolution`; for a PDF scan, each page image's pixels against the page size)
//! and whether it is in colour. NĐ 30/2020 Phụ lục I, Phần II asks a digitised
//! copy for "định dạng PDF, phiên bản 1.4 trở lên; hình ảnh màu; độ phân giải tối
//! thiểu 200 dpi; tỷ lệ số hóa 100%".

use std::io::Read as _;

/// The least resolution of a scan (NĐ 30/2020 Phụ lục I, Phần II).
pub const MIN_DPI: u32 = 200;

/// The most `/Subtype` entries of a PDF looked at (a scan has one image per page).
const MAX_IMAGES: usize = 10_000;

/// What a scan's file says about its pixels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanFacts {
    /// Resolution in dots per inch (the lower of the two axes), when the file says.
    pub dpi: Option<u32>,
    /// Whether the image is in colour, when known.
    pub colour: Option<bool>,
    /// For a PDF: its version (`14` for 1.4).
    pub pdf_version: Option<u32>,
    /// Whether any page image was found (PDF scans).
    pub found_image: bool,
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?)))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// A PNG: `IHDR` colour type, `pHYs` pixels per metre, `PLTE` entries.
pub fn png(bytes: &[u8]) -> ScanFacts {
    let mut facts = ScanFacts::default();
    let mut at = 8;
    let mut colour_type = None;
    while let (Some(len), Some(kind)) = (be32(bytes, at), bytes.get(at + 4..at + 8)) {
        let data = at + 8;
        let Some(body) = bytes.get(data..data.saturating_add(len as usize)) else { break };
        match kind {
            b"IHDR" => colour_type = body.get(9).copied(),
            b"pHYs" if body.len() >= 9 && body[8] == 1 => {
                let (x, y) = (be32(body, 0).unwrap_or(0), be32(body, 4).unwrap_or(0));
                facts.dpi = Some((f64::from(x.min(y)) * 0.0254).round() as u32);
            }
            b"PLTE" => {
                facts.colour = Some(body.chunks_exact(3).any(|p| p[0] != p[1] || p[1] != p[2]));
            }
            b"IDAT" | b"IEND" => break,
            _ => {}
        }
        at = data + len as usize + 4;
    }
    facts.colour = match colour_type {
        Some(2 | 6) => Some(true),
        Some(0 | 4) => Some(false),
        Some(3) => facts.colour.or(Some(true)),
        _ => None,
    };
    facts
}

/// TIFF fields: (dpi, colour), from a TIFF file or an Exif block.
fn tiff_fields(t: &[u8]) -> (Option<u32>, Option<bool>) {
    let little = match t.get(..4) {
        Some(b"II*\0") => true,
        Some(b"MM\0*") => false,
        _ => return (None, None),
    };
    let u16_at = |at: usize| -> Option<u32> {
        let b: [u8; 2] = t.get(at..at + 2)?.try_into().ok()?;
        Some(u32::from(if little { u16::from_le_bytes(b) } else { u16::from_be_bytes(b) }))
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = t.get(at..at + 4)?.try_into().ok()?;
        Some(if little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    };
    let Some(ifd) = u32_at(4).map(|o| o as usize) else { return (None, None) };
    let count = u16_at(ifd).unwrap_or(0).min(512) as usize;
    let (mut x_res, mut unit, mut photometric, mut samples) = (None, 2, None, None);
    for i in 0..count {
        let e = ifd + 2 + i * 12;
        let (Some(tag), Some(kind)) = (u16_at(e), u16_at(e + 2)) else { break };
        // SHORT values sit in the first two bytes of the value field.
        let short = if kind == 3 { u16_at(e + 8) } else { u32_at(e + 8) };
        match tag {
            262 => photometric = short,
            277 => samples = short,
            282 if kind == 5 => {
                let offset = u32_at(e + 8).unwrap_or(0) as usize;
                if let (Some(n), Some(d)) = (u32_at(offset), u32_at(offset + 4))
                    && d > 0
                {
                    x_res = Some(f64::from(n) / f64::from(d));
                }
            }
            296 => unit = short.unwrap_or(2),
            _ => {}
        }
    }
    let dpi = x_res.and_then(|r| match unit {
        2 => Some(r.round() as u32),
        3 => Some((r * 2.54).round() as u32),
        _ => None,
    });
    let colour = match (photometric, samples) {
        (Some(2 | 3 | 5 | 6 | 8), _) => Some(true),
        (Some(0 | 1), _) => Some(false),
        (_, Some(s)) => Some(s >= 3),
        _ => None,
    };
    (dpi, colour)
}

/// A TIFF file.
pub fn tiff(bytes: &[u8]) -> ScanFacts {
    let (dpi, colour) = tiff_fields(bytes);
    ScanFacts { dpi, colour, ..ScanFacts::default() }
}

/// A JPEG: JFIF density (or Exif resolution) and the frame's component count.
pub fn jpeg(bytes: &[u8]) -> ScanFacts {
    let mut facts = ScanFacts::default();
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            break;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let Some(len) = be16(bytes, at + 2).map(|l| l as usize) else { break };
        let Some(body) = bytes.get(at + 4..(at + 2 + len).min(bytes.len())) else { break };
        match marker {
            0xE0 if body.starts_with(b"JFIF\0") && body.len() >= 12 && facts.dpi.is_none() => {
                let (x, y) = (be16(body, 8).unwrap_or(0), be16(body, 10).unwrap_or(0));
                facts.dpi = match body[7] {
                    1 => Some(x.min(y)),
                    2 => Some((f64::from(x.min(y)) * 2.54).round() as u32),
                    _ => None,
                };
            }
            0xE1 if body.starts_with(b"Exif\0\0") && facts.dpi.is_none() => facts.dpi = tiff_fields(&body[6..]).0,
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF if body.len() >= 6 => {
                facts.colour = Some(body[5] >= 3);
            }
            0xDA => break,
            _ => {}
        }
        at += 2 + len;
    }
    facts
}

/// The text of the dictionary of the object holding `pos` (from `obj` to `stream`
/// or `endobj`).
fn object_around(pdf: &[u8], pos: usize) -> &[u8] {
    let from = pos.saturating_sub(4096);
    let start = memchr::memmem::rfind(&pdf[from..pos], b"obj").map_or(from, |s| from + s);
    let tail = &pdf[pos..pdf.len().min(pos + 4096)];
    let end = [memchr::memmem::find(tail, b"stream"), memchr::memmem::find(tail, b"endobj")]
        .into_iter()
        .flatten()
        .min()
        .map_or(pos + tail.len(), |e| pos + e);
    &pdf[start..end]
}

/// The body of object `n` (`n 0 obj … endobj`), searched in the file's text.
fn object(pdf: &[u8], n: u64) -> Option<&[u8]> {
    let needle = format!("\n{n} 0 obj");
    let alt = format!("\r{n} 0 obj");
    let at = memchr::memmem::find(pdf, needle.as_bytes()).or_else(|| memchr::memmem::find(pdf, alt.as_bytes()))?;
    let rest = &pdf[at + needle.len()..];
    let rest = &rest[..rest.len().min(4096)];
    let end = memchr::memmem::find(rest, b"endobj").unwrap_or(rest.len());
    Some(&rest[..end])
}

fn number_after(dict: &str, key: &str) -> Option<f64> {
    let mut from = 0;
    while let Some(pos) = dict[from..].find(key) {
        let at = from + pos + key.len();
        if dict[at..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
            from = at;
            continue;
        }
        let rest = dict[at..].trim_start();
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')).unwrap_or(rest.len());
        return rest[..end].parse().ok();
    }
    None
}

/// Whether a PDF colour space (as written after `/ColorSpace`) is in colour.
fn colour_space(pdf: &[u8], value: &str, depth: u32, lookups: &mut usize) -> Option<bool> {
    let v = value.trim_start();
    if v.starts_with("/DeviceGray") || v.starts_with("/CalGray") || v.starts_with("/G") && !v.starts_with("/Gr") {
        return Some(false);
    }
    for colour in ["/DeviceRGB", "/DeviceCMYK", "/CalRGB", "/Lab", "/RGB", "/CMYK", "/Indexed", "/I "] {
        if v.starts_with(colour) || v.starts_with(&format!("[{colour}")) || v.starts_with(&format!("[ {colour}")) {
            return Some(true);
        }
    }
    let inner = v.trim_start_matches('[').trim_start();
    // Each lookup searches the whole file: a hostile file gets a few, not thousands.
    if *lookups == 0 {
        return None;
    }
    *lookups -= 1;
    if let Some(rest) = inner.strip_prefix("/ICCBased") {
        let n: u64 = rest.split_whitespace().next()?.parse().ok()?;
        let dict = String::from_utf8_lossy(object(pdf, n)?).into_owned();
        return number_after(&dict, "/N").map(|n| n >= 3.0);
    }
    // An indirect colour space: `12 0 R`.
    let mut parts = v.split_whitespace();
    if depth < 2
        && let (Some(n), Some("0"), Some(r)) = (parts.next(), parts.next(), parts.next())
        && r.starts_with('R')
    {
        let body = String::from_utf8_lossy(object(pdf, n.parse().ok()?)?).into_owned();
        return colour_space(pdf, &body, depth + 1, lookups);
    }
    None
}

/// The text of the PDF and of its inflated object streams (where page dictionaries
/// of PDF 1.5+ files live).
fn searchable(pdf: &[u8]) -> Vec<u8> {
    let mut out = pdf.to_vec();
    let mut budget: usize = 64 * 1024 * 1024;
    for pos in memchr::memmem::find_iter(pdf, b"/ObjStm") {
        let dict = object_around(pdf, pos);
        let Some(start) = memchr::memmem::find(&pdf[pos..], b"stream").map(|s| pos + s + 6) else { continue };
        let start = start + pdf[start..].iter().take(2).take_while(|b| matches!(b, b'\r' | b'\n')).count();
        let Some(len) = number_after(&String::from_utf8_lossy(dict), "/Length") else { continue };
        let Some(data) = pdf.get(start..start.saturating_add(len as usize)) else { continue };
        let mut inflated = Vec::new();
        let limit = budget.min(16 * 1024 * 1024) as u64;
        if flate2::read::ZlibDecoder::new(data).take(limit).read_to_end(&mut inflated).is_ok() {
            budget = budget.saturating_sub(inflated.len());
            out.push(b'\n');
            out.extend_from_slice(&inflated);
        }
        if budget == 0 {
            break;
        }
    }
    out
}

/// A PDF scan: its version, the most common page size, and each full-page image's
/// resolution and colour (an image whose shape matches the page's is a page scan;
/// small images such as logos are ignored).
pub fn pdf(bytes: &[u8]) -> ScanFacts {
    let mut facts = ScanFacts::default();
    if let Some(v) = bytes.get(5..8).and_then(|v| std::str::from_utf8(v).ok())
        && let Some((major, minor)) = v.split_once('.')
    {
        facts.pdf_version = major.parse::<u32>().ok().zip(minor.parse::<u32>().ok()).map(|(a, b)| a * 10 + b);
    }
    let text = searchable(bytes);
    let mut sizes: std::collections::BTreeMap<(i64, i64), usize> = std::collections::BTreeMap::new();
    for pos in memchr::memmem::find_iter(&text, b"/MediaBox") {
        let rest = String::from_utf8_lossy(&text[pos + 9..text.len().min(pos + 120)]).into_owned();
        let Some(open) = rest.find('[') else { continue };
        let Some(close) = rest.find(']') else { continue };
        let v: Vec<f64> = rest[open + 1..close].split_whitespace().filter_map(|n| n.parse().ok()).collect();
        if let [x0, y0, x1, y1] = v[..] {
            let (w, h) = ((x1 - x0).abs().round() as i64, (y1 - y0).abs().round() as i64);
            if w > 0 && h > 0 {
                *sizes.entry((w, h)).or_default() += 1;
            }
        }
    }
    let Some((&(pw, ph), _)) = sizes.iter().max_by_key(|(_, n)| **n) else { return facts };
    let (pw, ph) = (pw as f64, ph as f64);
    let mut dpi: Option<u32> = None;
    let mut colour: Option<bool> = None;
    let mut lookups = 64usize;
    for pos in memchr::memmem::find_iter(bytes, b"/Subtype").take(MAX_IMAGES) {
        let after = &bytes[pos + 8..bytes.len().min(pos + 16)];
        if !after.trim_ascii_start().starts_with(b"/Image") {
            continue;
        }
        let dict = String::from_utf8_lossy(object_around(bytes, pos)).into_owned();
        let (Some(w), Some(h)) = (number_after(&dict, "/Width"), number_after(&dict, "/Height")) else { continue };
        let (w, h) = if (w > h) == (pw > ph) { (w, h) } else { (h, w) };
        let (aspect_img, aspect_page) = (w / h, pw / ph);
        if (aspect_img / aspect_page - 1.0).abs() > 0.15 || w < 100.0 {
            continue;
        }
        facts.found_image = true;
        let image_dpi = ((w * 72.0 / pw).min(h * 72.0 / ph)).round() as u32;
        dpi = Some(dpi.map_or(image_dpi, |d| d.min(image_dpi)));
        let bilevel = dict.contains("/ImageMask true")
            || number_after(&dict, "/BitsPerComponent") == Some(1.0)
            || dict.contains("/JBIG2Decode")
            || dict.contains("/CCITTFaxDecode");
        let this = if bilevel {
            Some(false)
        } else {
            dict.find("/ColorSpace").and_then(|at| colour_space(bytes, &dict[at + 11..], 0, &mut lookups))
        };
        colour = match (colour, this) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (_, Some(true)) => Some(true),
            (c, None) => c,
        };
    }
    facts.dpi = dpi;
    facts.colour = colour;
    facts
}

#[cfg(test)]
/// A 4×4 PNG with colour type `colour` and `dpi` in pHYs (tests).
pub(crate) fn tests_png(colour: u8, dpi: Option<u32>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, 4, 4);
    let (ct, samples) = match colour {
        2 => (png::ColorType::Rgb, 3),
        _ => (png::ColorType::Grayscale, 1),
    };
    encoder.set_color(ct);
    encoder.set_depth(png::BitDepth::Eight);
    if let Some(d) = dpi {
        let ppm = (f64::from(d) / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions { xppu: ppm, yppu: ppm, unit: png::Unit::Meter }));
    }
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&vec![128u8; 16 * samples]).unwrap();
    writer.finish().unwrap();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_resolution_and_colour_are_read() {
        assert_eq!(
            png(&tests_png(2, Some(300))),
            ScanFacts { dpi: Some(300), colour: Some(true), ..Default::default() }
        );
        assert_eq!(
            png(&tests_png(0, Some(150))),
            ScanFacts { dpi: Some(150), colour: Some(false), ..Default::default() }
        );
        assert_eq!(png(&tests_png(2, None)).dpi, None);
    }

    fn jfif(units: u8, density: u16, components: u8) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        b.extend_from_slice(b"JFIF\0\x01\x02");
        b.push(units);
        b.extend_from_slice(&density.to_be_bytes());
        b.extend_from_slice(&density.to_be_bytes());
        b.extend_from_slice(&[0, 0]);
        let len = 8 + 3 * u16::from(components);
        b.extend_from_slice(&[0xFF, 0xC0]);
        b.extend_from_slice(&len.to_be_bytes());
        b.extend_from_slice(&[8, 0, 10, 0, 10, components]);
        for i in 0..components {
            b.extend_from_slice(&[i + 1, 0x11, 0]);
        }
        b.extend_from_slice(&[0xFF, 0xDA, 0, 2, 0xFF, 0xD9]);
        b
    }

    #[test]
    fn jpeg_density_in_inches_or_centimetres_and_components() {
        assert_eq!(jpeg(&jfif(1, 300, 3)), ScanFacts { dpi: Some(300), colour: Some(true), ..Default::default() });
        assert_eq!(jpeg(&jfif(2, 59, 1)), ScanFacts { dpi: Some(150), colour: Some(false), ..Default::default() });
        assert_eq!(jpeg(&jfif(0, 1, 3)).dpi, None, "aspect ratio only");
    }

    #[test]
    fn tiff_resolution_and_photometric() {
        // Little-endian, one IFD of 4 entries, XResolution rational after it.
        let mut t = b"II*\0\x08\0\0\0".to_vec();
        t.extend_from_slice(&4u16.to_le_bytes());
        let entry = |tag: u16, kind: u16, value: u32| {
            let mut e = Vec::new();
            e.extend_from_slice(&tag.to_le_bytes());
            e.extend_from_slice(&kind.to_le_bytes());
            e.extend_from_slice(&1u32.to_le_bytes());
            e.extend_from_slice(&value.to_le_bytes());
            e
        };
        let rational_at = 8 + 2 + 4 * 12 + 4;
        t.extend(entry(262, 3, 2));
        t.extend(entry(277, 3, 3));
        t.extend(entry(282, 5, rational_at));
        t.extend(entry(296, 3, 2));
        t.extend_from_slice(&0u32.to_le_bytes());
        t.extend_from_slice(&240u32.to_le_bytes());
        t.extend_from_slice(&1u32.to_le_bytes());
        assert_eq!(tiff(&t), ScanFacts { dpi: Some(240), colour: Some(true), ..Default::default() });
    }

    #[test]
    fn pdf_scan_resolution_is_the_image_against_the_page() {
        // An A4 page (595×842 pt) holding one 1654×2339 RGB image: 200 dpi.
        let bytes = b"%PDF-1.4\n1 0 obj\n<< /Type /Page /MediaBox [0 0 595 842] >>\nendobj\n\
                    2 0 obj\n<< /Type /XObject /Subtype /Image /Width 1654 /Height 2339 /ColorSpace /DeviceRGB \
                    /BitsPerComponent 8 /Length 0 >>\nstream\n\nendstream\nendobj\n\
                    3 0 obj\n<< /Type /XObject /Subtype /Image /Width 40 /Height 12 /ColorSpace /DeviceGray >>\nstream\n";
        let facts = pdf(bytes);
        assert_eq!(
            (facts.dpi, facts.colour, facts.pdf_version, facts.found_image),
            (Some(200), Some(true), Some(14), true)
        );
        let grey = String::from_utf8_lossy(bytes).replace(
            "/Width 1654 /Height 2339 /ColorSpace /DeviceRGB",
            "/Width 827 /Height 1170 /ColorSpace /DeviceGray",
        );
        let facts = super::pdf(grey.as_bytes());
        assert_eq!((facts.dpi, facts.colour), (Some(100), Some(false)));
    }
}
