//! Read-only text fields for what the văn thư writes after the signer signed: the
//! number and the issue date (NĐ 30/2020 Điều 15–16 give them at issue, after the
//! competent person signed). The signer's revision carries the fields with the
//! blank draft lines; at issue the agency's revision fills them (a new value and a
//! new appearance stream), which PDF readers and validators treat as form filling,
//! a change allowed after a signature (ISO 32000-1 §12.8.2.2, DocMDP P=2).

use std::collections::BTreeMap;

use crate::pdf::fonts::Face;

use super::PkiError;
use super::appearance::{deflate, stream};
use super::pades::text_string;
use super::pdf_file::{PdfFile, int_after};

/// Prefix of the names Vanthu gives its fields (`vanthu_dien_1`, …).
pub const FIELD_PREFIX: &str = "vanthu_dien_";

/// One piece of text in a field, from the field box's lower left.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldText {
    /// Face of the exporter's run.
    pub face: Face,
    /// Size, pt.
    pub size: f32,
    /// Left edge in the box.
    pub x: f32,
    /// Baseline in the box.
    pub y: f32,
    /// The text (NFC).
    pub text: String,
}

/// A field to create in the signer's revision.
#[derive(Debug, Clone, PartialEq)]
pub struct NewField {
    /// Page index (0 = first).
    pub page: usize,
    /// Lower-left x, y and upper-right x, y (PDF user space).
    pub rect: [f32; 4],
    /// What the field shows now (the draft line with its blanks).
    pub texts: Vec<FieldText>,
    /// What a reader's tooltip says the field is for.
    pub tooltip: String,
}

/// A field to fill at issue.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldFill {
    /// The field's object number.
    pub object: u32,
    /// What it shows.
    pub texts: Vec<FieldText>,
}

/// A field found in a PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundField {
    /// Object number.
    pub object: u32,
    /// Page index.
    pub page: usize,
    /// Its rectangle.
    pub rect: [f32; 4],
}

/// The form changes of one revision.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum FormChange {
    /// None.
    #[default]
    None,
    /// Create these fields (the signer's revision).
    Create(Vec<NewField>),
    /// Fill these fields (the agency's revision).
    Fill(Vec<FieldFill>),
}

/// Resource name of a face in the fields' resources.
fn font_name(face: Face) -> &'static str {
    match face {
        Face::Regular => "VR",
        Face::Bold => "VB",
        Face::Italic => "VI",
        Face::BoldItalic => "VBI",
    }
}

fn postscript_name(face: Face) -> &'static str {
    match face {
        Face::Regular => "LiberationSerif",
        Face::Bold => "LiberationSerif-Bold",
        Face::Italic => "LiberationSerif-Italic",
        Face::BoldItalic => "LiberationSerif-BoldItalic",
    }
}

/// A whole embedded face as a Type0 font, numbered from `first` (the font itself):
/// widths of every glyph (so any later text may use it) and a ToUnicode map (so text
/// extraction reads it).
pub fn embedded_font(face: Face, first: u32) -> Vec<(u32, Vec<u8>)> {
    use skrifa::instance::{LocationRef, Size};
    use skrifa::{FontRef, MetadataProvider};
    let data = face.bytes();
    let (font, descendant, descriptor, file, unicode) = (first, first + 1, first + 2, first + 3, first + 4);
    let mut widths = String::new();
    let mut to_unicode: BTreeMap<u16, u32> = BTreeMap::new();
    let mut bbox = [-600, -300, 2000, 1000];
    let mut cap = 660;
    if let Ok(parsed) = FontRef::new(data) {
        let metrics = parsed.metrics(Size::new(1000.0), LocationRef::default());
        if let Some(b) = metrics.bounds {
            bbox = [b.x_min.round() as i32, b.y_min.round() as i32, b.x_max.round() as i32, b.y_max.round() as i32];
        }
        cap = metrics.cap_height.unwrap_or(660.0).round() as i32;
        let glyphs = parsed.glyph_metrics(Size::new(1000.0), LocationRef::default());
        widths.push_str("0 [");
        for gid in 0..metrics.glyph_count {
            let w = glyphs.advance_width(skrifa::GlyphId::new(u32::from(gid))).unwrap_or(0.0).round() as i32;
            widths.push_str(&format!("{w} "));
        }
        widths.push(']');
        for (code, gid) in parsed.charmap().mappings() {
            if let Ok(gid) = u16::try_from(gid.to_u32())
                && gid != 0
                && code <= 0xFFFF
            {
                to_unicode.entry(gid).or_insert(code);
            }
        }
    }
    let metrics = face.metrics();
    let name = postscript_name(face);
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let pairs: Vec<(u16, u32)> = to_unicode.into_iter().collect();
    for chunk in pairs.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (gid, code) in chunk {
            cmap.push_str(&format!("<{gid:04X}> <{code:04X}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    vec![
        (
            font,
            format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{descendant} 0 R] /ToUnicode {unicode} 0 R >>"
            )
            .into_bytes(),
        ),
        (
            descendant,
            format!(
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /CIDToGIDMap /Identity /DW 1000 /W [{widths}] >>"
            )
            .into_bytes(),
        ),
        (
            descriptor,
            format!(
                "<< /Type /FontDescriptor /FontName /{name} /Flags {} /FontBBox [{} {} {} {}] /ItalicAngle {} /Ascent {} /Descent {} /CapHeight {cap} /StemV 80 /FontFile2 {file} 0 R >>",
                if face.is_italic() { 6 | 64 } else { 6 },
                bbox[0],
                bbox[1],
                bbox[2],
                bbox[3],
                if face.is_italic() { -12 } else { 0 },
                (metrics.ascent * 1000.0).round(),
                (metrics.descent * 1000.0).round()
            )
            .into_bytes(),
        ),
        (file, stream(&format!("/Length1 {} /Filter /FlateDecode", data.len()), &deflate(data))),
        (unicode, stream("/Filter /FlateDecode", &deflate(cmap.as_bytes()))),
    ]
}

/// Objects a font takes in [`embedded_font`].
const FONT_OBJECTS: u32 = 5;

/// The appearance stream of a field of `width` × `height` showing `texts`, with the
/// faces' fonts in `fonts`.
fn appearance(width: f32, height: f32, texts: &[FieldText], fonts: &BTreeMap<Face, u32>) -> Vec<u8> {
    let mut content = String::from("/Tx BMC q BT 0 g\n");
    for text in texts {
        let metrics = text.face.metrics();
        let hex: String = text.text.chars().map(|c| format!("{:04X}", metrics.glyph(c).0)).collect();
        content.push_str(&format!(
            "/{} {} Tf 1 0 0 1 {:.2} {:.2} Tm <{hex}> Tj\n",
            font_name(text.face),
            text.size,
            text.x,
            text.y
        ));
    }
    content.push_str("ET Q EMC\n");
    let resources: String = fonts.iter().map(|(face, n)| format!("/{} {n} 0 R ", font_name(*face))).collect();
    stream(
        &format!(
            "/Type /XObject /Subtype /Form /BBox [0 0 {width:.2} {height:.2}] /Resources << /Font << {resources}>> >> /Filter /FlateDecode"
        ),
        &deflate(content.as_bytes()),
    )
}

/// What a revision adds for its form change.
#[derive(Debug, Default)]
pub struct FormObjects {
    /// New or changed objects.
    pub objects: Vec<(u32, Vec<u8>)>,
    /// New widgets and their page objects.
    pub widgets: Vec<(u32, u32)>,
    /// Entries for a new AcroForm (`/DR …`).
    pub acroform_entries: String,
}

fn value_of(texts: &[FieldText]) -> String {
    texts.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ")
}

fn faces_of<'t>(texts: impl Iterator<Item = &'t FieldText>) -> Vec<Face> {
    let mut faces: Vec<Face> = texts.map(|t| t.face).collect();
    faces.sort();
    faces.dedup();
    faces
}

/// The objects of `change` for `file`, numbered from `*next`.
pub fn form_objects(
    file: &PdfFile<'_>,
    pages: &[u32],
    change: &FormChange,
    next: &mut u32,
) -> Result<FormObjects, PkiError> {
    let mut out = FormObjects::default();
    match change {
        FormChange::None => {}
        FormChange::Create(fields) => {
            let mut fonts = BTreeMap::new();
            for face in faces_of(fields.iter().flat_map(|f| f.texts.iter())) {
                out.objects.extend(embedded_font(face, *next));
                fonts.insert(face, *next);
                *next += FONT_OBJECTS;
            }
            let resources: String = fonts.iter().map(|(face, n)| format!("/{} {n} 0 R ", font_name(*face))).collect();
            out.acroform_entries = format!("/DR << /Font << {resources}>> >> /DA (/VR 13 Tf 0 g)");
            for (i, field) in fields.iter().enumerate() {
                let page = *pages.get(field.page).ok_or_else(|| {
                    PkiError::new(format!("văn bản không có trang {} (no such page)", field.page + 1))
                })?;
                let (widget, form) = (*next, *next + 1);
                *next += 2;
                let [x0, y0, x1, y1] = field.rect;
                out.objects.push((form, appearance(x1 - x0, y1 - y0, &field.texts, &fonts)));
                let size = field.texts.first().map_or(13.0, |t| t.size);
                let face = field.texts.first().map_or(Face::Regular, |t| t.face);
                out.objects.push((
                    widget,
                    format!(
                        "<< /Type /Annot /Subtype /Widget /FT /Tx /T ({FIELD_PREFIX}{}) /TU {} /Ff 1 /F 4 /P {page} 0 R /Rect [{x0:.2} {y0:.2} {x1:.2} {y1:.2}] /V {} /DA (/{} {size} Tf 0 g) /AP << /N {form} 0 R >> >>",
                        i + 1,
                        text_string(&field.tooltip),
                        text_string(&value_of(&field.texts)),
                        font_name(face),
                    )
                    .into_bytes(),
                ));
                out.widgets.push((widget, page));
            }
        }
        FormChange::Fill(fills) => {
            let catalog = file.dict(file.root)?;
            let acro = int_after(&catalog, "/AcroForm")
                .ok_or_else(|| PkiError::new("PDF không có ô để điền số và ngày (no form)".into()))?;
            let acro = file.dict(acro as u32)?;
            let resources = acro.find("/DR").map_or("", |at| &acro[at..]);
            let mut fonts = BTreeMap::new();
            for face in faces_of(fills.iter().flat_map(|f| f.texts.iter())) {
                match int_after(resources, &format!("/{} ", font_name(face))) {
                    Some(n) => {
                        fonts.insert(face, n as u32);
                    }
                    None => {
                        out.objects.extend(embedded_font(face, *next));
                        fonts.insert(face, *next);
                        *next += FONT_OBJECTS;
                    }
                }
            }
            for fill in fills {
                let dict = file.dict(fill.object)?;
                let rect =
                    rect_of(&dict).ok_or_else(|| PkiError::new("ô điền thiếu /Rect (field without /Rect)".into()))?;
                let form = *next;
                *next += 1;
                out.objects.push((form, appearance(rect[2] - rect[0], rect[3] - rect[1], &fill.texts, &fonts)));
                let dict = replace_after(&dict, "/V ", &text_string(&value_of(&fill.texts)))?;
                let dict = replace_after(&dict, "/AP ", &format!("<< /N {form} 0 R >>"))?;
                out.objects.push((fill.object, dict.into_bytes()));
            }
        }
    }
    Ok(out)
}

/// `dict` with the value after `key` (a `<…>` string or a `<< … >>` dictionary
/// without nesting) replaced by `value`.
fn replace_after(dict: &str, key: &str, value: &str) -> Result<String, PkiError> {
    let bad = || PkiError::new(format!("ô điền không đọc được {key}(unexpected field)"));
    let start = dict.find(key).ok_or_else(bad)? + key.len();
    let rest = &dict[start..];
    let end = if rest.starts_with("<<") {
        rest.find(">>").ok_or_else(bad)? + 2
    } else if rest.starts_with('<') {
        rest.find('>').ok_or_else(bad)? + 1
    } else {
        return Err(bad());
    };
    Ok(format!("{}{value}{}", &dict[..start], &rest[end..]))
}

fn rect_of(dict: &str) -> Option<[f32; 4]> {
    let start = dict.find("/Rect")? + 5;
    let rest = dict[start..].trim_start().strip_prefix('[')?;
    let numbers: Vec<f32> = rest[..rest.find(']')?].split_whitespace().filter_map(|n| n.parse().ok()).collect();
    (numbers.len() == 4).then(|| [numbers[0], numbers[1], numbers[2], numbers[3]])
}

/// The object numbers in the `/Fields` array of an AcroForm dictionary.
pub fn field_refs(acroform: &str) -> Vec<u32> {
    let Some(start) = acroform.find("/Fields") else { return Vec::new() };
    let list = acroform[start + 7..].trim_start();
    let Some(list) = list.strip_prefix('[') else { return Vec::new() };
    let list = &list[..list.find(']').unwrap_or(list.len())];
    let refs: Vec<&str> = list.split_whitespace().collect();
    refs.chunks(3).filter_map(|chunk| chunk.first().and_then(|n| n.parse().ok())).collect()
}

/// Vanthu's fill-in fields of `file` (number and date), in field order.
pub fn find_fields(file: &PdfFile<'_>) -> Result<Vec<FoundField>, PkiError> {
    let catalog = file.dict(file.root)?;
    let Some(acro) = int_after(&catalog, "/AcroForm") else { return Ok(Vec::new()) };
    let acro = file.dict(acro as u32)?;
    let pages = file.pages()?;
    let mut found = Vec::new();
    for object in field_refs(&acro) {
        let dict = file.dict(object)?;
        if !dict.contains(&format!("/T ({FIELD_PREFIX}")) {
            continue;
        }
        let page = int_after(&dict, "/P").and_then(|p| pages.iter().position(|&n| u64::from(n) == p));
        if let (Some(page), Some(rect)) = (page, rect_of(&dict)) {
            found.push(FoundField { object, page, rect });
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_values() {
        let dict = "<< /T (a) /V <FEFF0041> /AP << /N 5 0 R >> /Rect [1 2 3 4] >>";
        let dict = replace_after(dict, "/V ", "<FEFF0042>").unwrap();
        let dict = replace_after(&dict, "/AP ", "<< /N 9 0 R >>").unwrap();
        assert_eq!(dict, "<< /T (a) /V <FEFF0042> /AP << /N 9 0 R >> /Rect [1 2 3 4] >>");
        assert_eq!(rect_of(&dict), Some([1.0, 2.0, 3.0, 4.0]));
        assert!(replace_after("<< /T (a) >>", "/V ", "x").is_err());
        assert_eq!(field_refs("<< /Fields [4 0 R 12 0 R] /DR << /Font << /VR 9 0 R >> >> >>"), vec![4, 12]);
    }

    #[test]
    fn the_embedded_font_maps_every_vietnamese_letter_back_to_text() {
        let objects = embedded_font(Face::Italic, 10);
        assert_eq!(objects.len() as u32, FONT_OBJECTS);
        let descendant = String::from_utf8_lossy(&objects[1].1);
        // Every glyph has its width (Liberation Serif has over 2,000).
        let widths = descendant.split("/W [0 [").nth(1).unwrap();
        assert!(widths.split_whitespace().count() > 2000, "{}", &widths[..80]);
        assert!(String::from_utf8_lossy(&objects[0].1).contains("/ToUnicode 14 0 R"));
    }
}
