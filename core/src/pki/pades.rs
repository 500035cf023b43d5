//! PAdES baseline B-B signatures (ETSI EN 319 142-1): each signature is one
//! incremental update that appends a signature dictionary (/Filter /Adobe.PPKLite,
//! /SubFilter /ETSI.CAdES.detached, /ByteRange, /Contents, /M), its field as a
//! widget annotation with a visible appearance on the page, and the AcroForm
//! listing the fields; earlier signatures stay valid, each covering its revision.

use chrono::{DateTime, FixedOffset};
use sha2::{Digest, Sha256};

use super::PkiError;
use super::appearance::{Appearance, objects};
use super::fields::{FormChange, form_objects};
use super::keys::KeySigner;
use super::pdf_file::{PdfFile, int_after, with_array_item, with_entry};

/// Bytes reserved for the CMS (hex-encoded twice as long in /Contents).
const RESERVED: usize = 16_384;
/// Room for `[0 a b c]` in /ByteRange.
const BYTE_RANGE_WIDTH: usize = 44;

/// One signature to add.
#[derive(Debug, Clone)]
pub struct SignatureRequest {
    /// Page index of the signature box (0 = first).
    pub page: usize,
    /// Lower-left x and y of the box on the page (PDF user space).
    pub at: [f32; 2],
    /// What the box shows.
    pub appearance: Appearance,
    /// The claimed signing time (/M).
    pub time: DateTime<FixedOffset>,
    /// Signer's name (/Name).
    pub name: String,
    /// Reason (/Reason), e.g. `Ký ban hành` or `Đóng dấu cơ quan`.
    pub reason: String,
    /// Place (/Location).
    pub location: String,
    /// Fields the revision creates (the signer's) or fills (the agency's).
    pub form: FormChange,
}

/// A PDF text string: UTF-16BE with its byte-order mark, as a hex string.
pub fn text_string(text: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in text.encode_utf16() {
        hex.push_str(&format!("{unit:04X}"));
    }
    hex.push('>');
    hex
}

/// A PDF date (`D:20260503101400+07'00'`).
pub fn pdf_date(time: &DateTime<FixedOffset>) -> String {
    let offset = time.offset().local_minus_utc();
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.abs();
    format!("D:{}{sign}{:02}'{:02}'", time.format("%Y%m%d%H%M%S"), offset / 3600, offset % 3600 / 60)
}

fn annotation(kind: &str, page: u32, at: [f32; 2], appearance: &Appearance, form: u32, extra: &str) -> Vec<u8> {
    let [x, y] = at;
    format!(
        "<< /Type /Annot /Subtype /{kind} /F 132 /P {page} 0 R /Rect [{x} {y} {} {}] /AP << /N {form} 0 R >> {extra}>>",
        x + appearance.width,
        y + appearance.height
    )
    .into_bytes()
}

/// `base` with `request`'s signature appended as an incremental update, signed by
/// `key`.
pub fn sign_pdf(base: &[u8], request: &SignatureRequest, key: &dyn KeySigner) -> Result<Vec<u8>, PkiError> {
    let file = PdfFile::read(base)?;
    let pages = file.pages()?;
    let page_ref = |index: usize| {
        pages
            .get(index)
            .copied()
            .ok_or_else(|| PkiError::new(format!("văn bản không có trang {} (no such page)", index + 1)))
    };
    let mut next = file.size;
    let mut out_objects: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut page_annots: std::collections::BTreeMap<u32, Vec<u32>> = Default::default();
    let page = page_ref(request.page)?;
    let (sig, widget) = (next, next + 1);
    next += 2;
    let (objs, form) = objects(&request.appearance, next);
    next += objs.len() as u32;
    out_objects.extend(objs);
    let form_change = form_objects(&file, &pages, &request.form, &mut next)?;
    out_objects.extend(form_change.objects);
    let new_fields: String = form_change.widgets.iter().map(|(w, _)| format!(" {w} 0 R")).collect();
    let catalog = file.dict(file.root)?;
    let fields_before = match int_after(&catalog, "/AcroForm") {
        Some(acro) => {
            let acro = acro as u32;
            let dict = file.dict(acro)?;
            // Signature fields so far (the number and date fields are not counted).
            let count = super::fields::field_refs(&dict)
                .into_iter()
                .filter(|&n| file.dict(n).is_ok_and(|d| d.contains("/FT /Sig")))
                .count();
            out_objects
                .push((acro, with_array_item(&dict, "/Fields", &format!("{widget} 0 R{new_fields}"))?.into_bytes()));
            count
        }
        None => {
            let acro = next;
            next += 1;
            out_objects.push((
                acro,
                format!("<< /Fields [{widget} 0 R{new_fields}] /SigFlags 3 {} >>", form_change.acroform_entries)
                    .into_bytes(),
            ));
            out_objects.push((file.root, with_entry(&catalog, &format!("/AcroForm {acro} 0 R")).into_bytes()));
            0
        }
    };
    let field_name = format!("Signature{}", fields_before + 1);
    out_objects.push((
        widget,
        annotation(
            "Widget",
            page,
            request.at,
            &request.appearance,
            form,
            &format!("/FT /Sig /T ({field_name}) /V {sig} 0 R "),
        ),
    ));
    page_annots.entry(page).or_default().push(widget);
    for (field, page) in form_change.widgets {
        page_annots.entry(page).or_default().push(field);
    }
    for (page, annots) in page_annots {
        let mut dict = file.dict(page)?;
        for annot in annots {
            dict = with_array_item(&dict, "/Annots", &format!("{annot} 0 R"))?;
        }
        out_objects.push((page, dict.into_bytes()));
    }
    let placeholder_range = format!("/ByteRange {:BYTE_RANGE_WIDTH$}", "[0 0 0 0]");
    let sig_dict = format!(
        "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached {placeholder_range} /Contents <{}> /M ({}) /Name {} /Reason {} /Location {} >>",
        "0".repeat(RESERVED * 2),
        pdf_date(&request.time),
        text_string(&request.name),
        text_string(&request.reason),
        text_string(&request.location),
    );
    out_objects.push((sig, sig_dict.into_bytes()));
    out_objects.sort_by_key(|(n, _)| *n);

    // The update: objects, cross-reference section, trailer.
    let mut out = base.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut entries = Vec::new();
    for (n, body) in &out_objects {
        entries.push((*n, out.len()));
        out.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n");
    let mut i = 0;
    while i < entries.len() {
        let mut j = i;
        while j + 1 < entries.len() && entries[j + 1].0 == entries[j].0 + 1 {
            j += 1;
        }
        out.extend_from_slice(format!("{} {}\n", entries[i].0, j - i + 1).as_bytes());
        for (_, offset) in &entries[i..=j] {
            out.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
        }
        i = j + 1;
    }
    let size = next.max(file.size);
    let mut trailer = format!("trailer\n<< /Size {size} /Root {} 0 R /Prev {}", file.root, file.startxref);
    if let Some(info) = &file.info {
        trailer.push_str(&format!(" /Info {info}"));
    }
    if let Some(id) = &file.id {
        trailer.push_str(&format!(" /ID {id}"));
    }
    trailer.push_str(&format!(" >>\nstartxref\n{xref}\n%%EOF\n"));
    out.extend_from_slice(trailer.as_bytes());

    // Fill /ByteRange, hash everything but /Contents, sign, fill /Contents.
    let sig_at = entries.iter().find(|(n, _)| *n == sig).map(|(_, o)| *o).unwrap_or(0);
    let range_at = memchr::memmem::find(&out[sig_at..], b"/ByteRange ").map(|p| p + sig_at + 11);
    let contents_at = memchr::memmem::find(&out[sig_at..], b"/Contents <").map(|p| p + sig_at + 10);
    let (Some(range_at), Some(contents_at)) = (range_at, contents_at) else {
        return Err(PkiError::new("không tạo được chỗ cho chữ ký (placeholder not found)".into()));
    };
    let contents_end = contents_at + RESERVED * 2 + 2;
    let range = format!("[0 {contents_at} {contents_end} {}]", out.len() - contents_end);
    out[range_at..range_at + BYTE_RANGE_WIDTH].copy_from_slice(format!("{range:BYTE_RANGE_WIDTH$}").as_bytes());
    let mut hasher = Sha256::new();
    hasher.update(&out[..contents_at]);
    hasher.update(&out[contents_end..]);
    let digest: [u8; 32] = hasher.finalize().into();
    let cms = super::cms_build::signed_data(key, &digest)?;
    if cms.len() > RESERVED {
        return Err(PkiError::new("chữ ký quá lớn so với chỗ dành sẵn (signature too large)".into()));
    }
    let hex = hex::encode_upper(&cms);
    out[contents_at + 1..contents_at + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(out)
}
