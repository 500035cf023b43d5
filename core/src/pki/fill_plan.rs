//! Where the văn thư's number and issue date go on a digitally signed text. The
//! signer signs before the number exists (NĐ 30/2020 Điều 15: the number and date are
//! given at issue), so the lines that change once numbered (the `Số:` line, the
//! place-and-date line, an appendix's `Kèm theo … số … ngày …`) are found by laying
//! the text out twice, as signed and as it will be numbered, and become read-only
//! form fields instead of page content: the signer's PDF shows them with their blanks,
//! and at issue the fields are filled with the exporter's own lines, at the exporter's
//! own places.

use chrono::NaiveDate;

use crate::model::{Document, OutgoingState};
use crate::pdf::{DocumentLayout, Item, TextRun};
use crate::ruleset::Ruleset;

use super::PkiError;
use super::fields::{FieldFill, FieldText, FoundField, NewField};

/// Room on each side of a line for a number or date longer than the sample's.
const PAD: f32 = 24.0;
/// More changing lines than this means the sample reflowed the text: no fields.
const MAX_FIELDS: usize = 8;

/// The PDF/A the signer signs and the fields it gets.
#[derive(Debug)]
pub struct SigningBase {
    /// The PDF/A of the signed text without the lines the văn thư fills.
    pub pdf: Vec<u8>,
    /// The fields for those lines.
    pub fields: Vec<NewField>,
}

fn same(a: &TextRun, b: &TextRun) -> bool {
    a.text == b.text && a.face == b.face && (a.x - b.x).abs() < 0.01 && (a.baseline - b.baseline).abs() < 0.01
}

fn width(run: &TextRun) -> f32 {
    run.face.width(&run.text, run.size)
}

fn text_in(run: &TextRun, height: f32, origin: [f32; 2]) -> FieldText {
    FieldText {
        face: run.face,
        size: run.size,
        x: run.x - origin[0],
        y: height - run.baseline - origin[1],
        text: run.text.clone(),
    }
}

/// The signer's PDF/A of `document` (signed, not yet numbered) with fields for the
/// lines the number and date change; `today` dates the sample used to find them.
pub fn signing_base(document: &Document, ruleset: &Ruleset, today: NaiveDate) -> Result<SigningBase, PkiError> {
    if let Some((pointer, c)) = crate::rules::glyphs::undrawable(document).into_iter().next() {
        return Err(PkiError::new(format!(
            "không xuất PDF: {pointer}: {} (character not in the PDF font)",
            crate::rules::glyphs::message(c)
        )));
    }
    let ruleset = ruleset.for_layout(Some(today));
    let mut draft = crate::pdf::layout_document_in_state(document, ruleset, OutgoingState::Signed);
    let mut sample = document.clone();
    sample.number = Some("0000".into());
    sample.date = Some(today);
    let numbered = crate::pdf::layout_document_in_state(&sample, ruleset, OutgoingState::Issued);
    let mut fields = Vec::new();
    let mut cut: Vec<(usize, usize)> = Vec::new();
    if draft.pages.len() == numbered.pages.len() {
        for (p, (page, after)) in draft.pages.iter().zip(&numbered.pages).enumerate() {
            let new_runs: Vec<&TextRun> = after.runs().filter(|m| !page.runs().any(|r| same(r, m))).collect();
            for (i, item) in page.items.iter().enumerate() {
                let Item::Text(run) = item else { continue };
                if after.runs().any(|m| same(run, m)) || run.text.trim().is_empty() {
                    continue;
                }
                // Its numbered counterpart: on the same line, overlapping the most.
                let (x0, x1) = (run.x, run.x + width(run));
                let partner = new_runs.iter().filter(|m| (m.baseline - run.baseline).abs() < 0.5).max_by(|a, b| {
                    let overlap = |m: &TextRun| (x1.min(m.x + width(m)) - x0.max(m.x)).max(-1000.0);
                    overlap(a).total_cmp(&overlap(b))
                });
                let (lo, hi) = match partner {
                    Some(m) => (x0.min(m.x), x1.max(m.x + width(m))),
                    None => (x0, x1),
                };
                let y = draft.height - run.baseline;
                let rect = [(lo - PAD).max(0.0), y - 0.35 * run.size, (hi + PAD).min(draft.width), y + 1.05 * run.size];
                let tooltip = "Số, ký hiệu và ngày ban hành do văn thư điền khi ban hành (NĐ 30/2020, Điều 15)";
                fields.push(NewField {
                    page: p,
                    rect,
                    texts: vec![text_in(run, draft.height, [rect[0], rect[1]])],
                    tooltip: tooltip.into(),
                });
                cut.push((p, i));
            }
        }
    }
    if fields.len() > MAX_FIELDS {
        fields.clear();
        cut.clear();
    }
    for &(p, i) in cut.iter().rev() {
        draft.pages[p].items.remove(i);
    }
    let info = crate::pdf::document_info(document, ruleset);
    let pdf = crate::pdf::writer::write_pdf(&draft, &info).map_err(|e| PkiError::new(e.to_string()))?;
    Ok(SigningBase { pdf, fields })
}

/// The fills of `found` for the numbered `document`: each field shows the exporter's
/// runs whose middle falls inside it.
pub fn fills(document: &Document, ruleset: &Ruleset, found: &[FoundField]) -> Vec<FieldFill> {
    let layout: DocumentLayout =
        crate::pdf::layout_document_in_state(document, ruleset.for_layout(document.date), OutgoingState::Issued);
    found
        .iter()
        .map(|field| {
            let [x0, y0, x1, y1] = field.rect;
            let texts = layout
                .pages
                .get(field.page)
                .map(|page| {
                    page.runs()
                        .filter(|run| {
                            let middle = run.x + width(run) / 2.0;
                            let y = layout.height - run.baseline;
                            (x0..=x1).contains(&middle) && (y0..=y1).contains(&y)
                        })
                        .map(|run| text_in(run, layout.height, [x0, y0]))
                        .collect()
                })
                .unwrap_or_default();
            FieldFill { object: field.object, texts }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> (Document, Ruleset) {
        let json = include_str!("../../../assets/demo/documents/ubnd-quyet-dinh-to-cong-tac-dich-vu-cong.json");
        let mut document = crate::exchange::parse_document(json).unwrap();
        document.number = None;
        document.date = None;
        let ruleset = crate::ruleset::default_ruleset(document.family).clone();
        (document, ruleset)
    }

    #[test]
    fn the_number_and_date_lines_become_fields_and_are_filled_at_their_places() {
        let (document, ruleset) = demo();
        let today = NaiveDate::from_ymd_opt(2026, 5, 3).unwrap();
        let base = signing_base(&document, &ruleset, today).unwrap();
        let lines: Vec<&str> = base.fields.iter().map(|f| f.texts[0].text.as_str()).collect();
        assert_eq!(base.fields.len(), 2, "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("Số:")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("ngày") && l.contains("tháng")), "{lines:?}");
        let mut numbered = document.clone();
        numbered.number = Some("15".into());
        numbered.date = Some(NaiveDate::from_ymd_opt(2026, 5, 4).unwrap());
        let found: Vec<FoundField> = base
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| FoundField { object: i as u32, page: f.page, rect: f.rect })
            .collect();
        let fills = fills(&numbered, &ruleset, &found);
        let texts: Vec<String> = fills.iter().flat_map(|f| f.texts.iter().map(|t| t.text.clone())).collect();
        assert!(texts.iter().any(|t| t.starts_with("Số:") && t.ends_with(" 15/QĐ-UBND")), "{texts:?}");
        assert!(texts.iter().any(|t| t.ends_with("ngày 04 tháng 5 năm 2026")), "{texts:?}");
        // Each filled line lies inside its field.
        for (fill, field) in fills.iter().zip(&base.fields) {
            let [x0, _, x1, _] = field.rect;
            for text in &fill.texts {
                assert!(text.x >= 0.0 && text.x + text.face.width(&text.text, text.size) <= x1 - x0, "{text:?}");
            }
        }
    }
}
