//! The PDF exporter: a layout engine that places a document as Phụ lục I of NĐ 30/2020
//! (or HD 36 for the Party) draws it, driven by the ruleset's typography, and a writer
//! that produces PDF/A-1b with embedded Vietnamese fonts. The same [`layout`] feeds the
//! GUI's page preview.

pub mod column;
pub mod compose;
pub mod flow;
pub mod fonts;
pub mod layout;
pub mod register;
pub mod signature;
pub mod table;
pub mod typography;
pub mod writer;

use crate::model::{Document, OutgoingState};
use crate::ruleset::Ruleset;

pub use layout::{DocumentLayout, Item, Page, TextRun};
pub use writer::PdfInfo;

/// An export failure, with a Vietnamese message (English in parentheses for logs).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PdfError(String);

impl PdfError {
    /// An error with `message`.
    pub fn new(message: String) -> PdfError {
        PdfError(message)
    }
}

/// The creation date written into a draft's PDF: fixed, so that a draft's bytes depend
/// only on the document (the date line of a draft is left blank).
pub const DRAFT_DATE: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(date) => date,
    None => panic!("a valid date"),
};

/// Lays `doc` out on pages. The text is normalised to NFC first. A document without
/// number or date carries the "DỰ THẢO" mark.
pub fn layout_document(doc: &Document, ruleset: &Ruleset) -> DocumentLayout {
    layout_marked(doc, ruleset, None)
}

/// Lays out a stored document in workflow `state`: the "DỰ THẢO" mark is printed
/// until the competent person signs (a signed text awaiting its number is no draft).
pub fn layout_document_in_state(doc: &Document, ruleset: &Ruleset, state: OutgoingState) -> DocumentLayout {
    layout_marked(doc, ruleset, Some(!state.is_signed_or_later()))
}

fn layout_marked(doc: &Document, ruleset: &Ruleset, draft: Option<bool>) -> DocumentLayout {
    let mut doc = doc.clone();
    doc.normalize();
    let mut composer = compose::Composer::new(&doc, ruleset);
    if let Some(draft) = draft {
        composer.draft = draft;
    }
    let typo = composer.typography().clone();
    let blocks = composer.blocks();
    let flow = flow::paginate(&blocks, typo.margin_top, typo.text_bottom());
    let mut pages = Vec::with_capacity(flow.len());
    for flow_page in flow {
        let mut page = flow_page.page;
        if flow_page.number >= typo.page_number_from {
            let text = flow_page.number.to_string();
            let size = typo.page_number_size;
            let width = fonts::Face::Regular.width(&text, size);
            page.items.push(Item::Text(TextRun {
                x: typo.margin_left + (typo.text_width() - width) / 2.0,
                baseline: typo.margin_top / 2.0 + size * 0.35,
                size,
                face: fonts::Face::Regular,
                text,
                word_spacing: 0.0,
            }));
        }
        pages.push(page);
    }
    DocumentLayout { width: typo.page_width, height: typo.page_height, pages }
}

/// The document information of `doc` for the PDF metadata.
pub fn document_info(doc: &Document, ruleset: &Ruleset) -> PdfInfo {
    let composer = compose::Composer::new(doc, ruleset);
    let kind = ruleset.kind(doc.kind.as_str()).map(|k| k.name.clone()).unwrap_or_else(|| doc.kind.to_string());
    let subject = doc.subject.clone().unwrap_or_default();
    let title = if subject.is_empty() { kind } else { format!("{kind}: {subject}") };
    let number = composer.number_line();
    let json = crate::exchange::json::document_to_json(doc);
    use sha2::Digest;
    let id = hex::encode(sha2::Sha256::digest(json.as_bytes()));
    PdfInfo {
        title: crate::text::nfc(&title),
        subject: crate::text::nfc(&subject),
        author: crate::text::nfc(&doc.issuer.name),
        keywords: vec![crate::text::nfc(number.trim())],
        // PDF/A needs a creation date. An issued text carries its own; a draft a fixed one
        // (no clock, no time zone: a draft's bytes depend only on the document).
        date: Some(doc.date.unwrap_or(DRAFT_DATE)),
        id,
    }
}

/// The finished text of `doc` as PDF/A-1b bytes (deterministic: the same document gives
/// the same bytes).
///
/// The page follows the version of `ruleset` in force on the document's date (a
/// draft without a date: the latest version).
pub fn document_pdf(doc: &Document, ruleset: &Ruleset) -> Result<Vec<u8>, PdfError> {
    pdf_marked(doc, ruleset, None)
}

/// [`document_pdf`] of a stored document in workflow `state` (no "DỰ THẢO" once
/// signed; see [`layout_document_in_state`]).
pub fn document_pdf_in_state(doc: &Document, ruleset: &Ruleset, state: OutgoingState) -> Result<Vec<u8>, PdfError> {
    pdf_marked(doc, ruleset, Some(!state.is_signed_or_later()))
}

fn pdf_marked(doc: &Document, ruleset: &Ruleset, draft: Option<bool>) -> Result<Vec<u8>, PdfError> {
    let ruleset = ruleset.for_layout(doc.date);
    if let Some((pointer, c)) = crate::rules::glyphs::undrawable(doc).into_iter().next() {
        return Err(PdfError::new(format!(
            "không xuất PDF: {pointer}: {} (character not in the PDF font)",
            crate::rules::glyphs::message(c)
        )));
    }
    let layout = layout_marked(doc, ruleset, draft);
    writer::write_pdf(&layout, &document_info(doc, ruleset))
}
