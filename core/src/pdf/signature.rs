//! The signature block and the Nơi nhận beside it (boxes 7 and 9b of Phụ lục I):
//! the authority lines (`TM. ỦY BAN NHÂN DÂN`, then in a two-level block
//! `KT. CHỦ TỊCH`), the position, any extra lines, the name; a biên bản's two signers
//! side by side (THƯ KÝ left, CHỦ TỌA right, Mẫu 1.8 of Phụ lục III); and a Nơi nhận of
//! any length, whose lines beyond the signature's height flow onto the next pages.

use crate::model::{Document, Signer, is_recipient_sub_line};

use super::column::Column;
use super::compose::Composer;
use super::flow::{Block, Unit};
use super::fonts::Face;
use super::layout::{Align, BASELINE, Item, Para, break_lines};
use super::typography::{Style, bold, plain};

/// A placed line of the Nơi nhận column: its items (relative to the block's top) and
/// the top and bottom of its line box.
struct ListLine {
    items: Vec<Item>,
    top: f32,
    bottom: f32,
}

impl Composer<'_> {
    /// The signature block with its Nơi nhận, as one flow block: the first unit holds the
    /// signature(s) with the recipient lines level with them; each further recipient line
    /// is a unit of its own, so a long list continues on the following pages.
    pub(super) fn signature(&self) -> Vec<Block> {
        let second = second_signer(self.doc);
        let width = self.width();
        let authority_style = self.style("signer_authority", bold(14.0));
        let mut units = Vec::new();
        if let Some(second) = second {
            // Biên bản: THƯ KÝ left, CHỦ TỌA (the signer) right, Nơi nhận under both.
            let half = width / 2.0;
            let mut left = Column::new(self.left(), half);
            let mut right = Column::new(self.left() + half, half);
            self.signer_column(&mut left, &second);
            self.signer_column(&mut right, &self.doc.signer);
            let mut items = left.placed_at(0.0);
            items.extend(right.placed_at(0.0));
            let height = left.y.max(right.y);
            let lines = self.recipient_lines(height + 12.0, self.left(), width * 0.5);
            let (first, rest) = split_level(lines, height);
            let mut first_height = height;
            for line in first {
                first_height = first_height.max(line.bottom);
                items.extend(line.items);
            }
            units.push(Unit { height: first_height, items });
            units.extend(rest);
        } else {
            let left_width = width * 0.45;
            let mut right = Column::new(self.left() + left_width, width - left_width);
            self.signer_column(&mut right, &self.doc.signer);
            let heading_style = self.recipients_heading_style();
            // Nơi nhận sits level with the first line of the block: same baseline.
            let top = (authority_style.size - heading_style.size) * BASELINE;
            let lines = self.recipient_lines(top, self.left(), left_width);
            let (first, rest) = split_level(lines, right.y);
            let mut items = right.placed_at(0.0);
            let mut first_height = right.y;
            for line in first {
                first_height = first_height.max(line.bottom);
                items.extend(line.items);
            }
            units.push(Unit { height: first_height, items });
            units.extend(rest);
        }
        vec![Block { units, space_before: 12.0, keep_with_previous: 2, lead: 1, ..Block::default() }]
    }

    /// Fills `column` with one signer's lines: authority lines, position, extra lines,
    /// room for the signature, name.
    fn signer_column(&self, column: &mut Column, signer: &Signer) {
        let authority_style = self.style("signer_authority", bold(14.0));
        let name_style = self.style("signer_name", bold(14.0));
        for line in signer.authority_lines() {
            column.text(&line, &authority_style, Align::Center);
        }
        column.text(&signer.position, &authority_style, Align::Center);
        for line in signer.extra_lines.iter().filter(|l| !l.trim().is_empty()) {
            column.text(line, &authority_style, Align::Center);
        }
        column.gap(authority_style.size * 4.5);
        column.text(&signer.name, &name_style, Align::Center);
    }

    /// The style of `Nơi nhận:` exactly as the ruleset gives it (the Party's is
    /// underlined, upright, not bold); the state's bold italic when the ruleset says
    /// nothing.
    fn recipients_heading_style(&self) -> Style {
        self.typography().style_exact("recipients_heading", Style { italic: true, ..bold(12.0) })
    }

    /// Every line of the Nơi nhận, the heading's top at `top`: `- ` lines with a hanging
    /// indent, `+ ` sub-lines indented under their group, the Lưu line with the drafter's
    /// initials and the copies.
    fn recipient_lines(&self, top: f32, x: f32, width: f32) -> Vec<ListLine> {
        let mut out = Vec::new();
        let recipients = &self.doc.recipients;
        if recipients.is_empty() {
            return out;
        }
        let heading_style = self.recipients_heading_style();
        let heading = self.value("recipients_heading").unwrap_or("Nơi nhận:");
        let mut column = Column::new(x, width);
        column.y = top;
        let extents = column.text(heading, &heading_style, Align::Left);
        column.underline(&extents, &heading_style);
        out.push(ListLine { items: std::mem::take(&mut column.items), top, bottom: column.y });
        let size = self.style("recipients", plain(11.0)).size;
        let dash = Face::Regular.width("- ", size);
        let last = recipients.len() - 1;
        for (i, recipient) in recipients.iter().enumerate() {
            let sub = is_recipient_sub_line(recipient);
            let text = if i == last { luu_with_drafter(self.doc, recipient) } else { recipient.clone() };
            let (text, indent) = if sub { (text.trim_start().to_owned(), dash) } else { (format!("- {text}"), 0.0) };
            let mut para = Para::new(&text, Face::Regular, size, Align::Left, x + indent, width - indent);
            para.rest_indent = dash;
            for line in break_lines(&para) {
                let at = column.y;
                let items = line.runs.into_iter().map(|r| Item::Text(r).shifted(at)).collect();
                column.y += line.height;
                out.push(ListLine { items, top: at, bottom: column.y });
            }
        }
        out
    }
}

/// Splits list lines into those level with the signature (ending by `limit`; the
/// heading and the first line always among them) and the rest, as flow units.
fn split_level(lines: Vec<ListLine>, limit: f32) -> (Vec<ListLine>, Vec<Unit>) {
    let mut first = Vec::new();
    let mut rest = Vec::new();
    let mut overflow = false;
    for (i, line) in lines.into_iter().enumerate() {
        // The heading goes with the first recipient line.
        let fits = !overflow && (i <= 1 || line.bottom <= limit + 0.01);
        if fits {
            first.push(line);
        } else {
            overflow = true;
            let height = line.bottom - line.top;
            let items = line.items.into_iter().map(|item| item.shifted(-line.top)).collect();
            rest.push(Unit { height, items });
        }
    }
    (first, rest)
}

/// The second signer of a biên bản (the `second_signer` extension: the secretary),
/// if the document has a readable one.
fn second_signer(doc: &Document) -> Option<Signer> {
    let value = doc.extra.get("second_signer")?;
    let signer: Signer = serde_json::from_value(value.clone()).ok()?;
    (!signer.position.trim().is_empty() || !signer.name.trim().is_empty()).then_some(signer)
}

/// The Lưu line with the drafter's initials and the number of copies after its units
/// (Phụ lục I, Phần I, III.3: `Lưu: VT, KT, NVA(10).`), unless the line already names
/// the drafter.
pub fn luu_with_drafter(doc: &Document, line: &str) -> String {
    let Some(code) = doc.drafter_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) else {
        return line.to_owned();
    };
    let trimmed = line.trim_end();
    if !trimmed.trim_start().starts_with("Lưu") {
        return line.to_owned();
    }
    let named = trimmed.split([',', ' ', '(', ')', '.', ':', ';']).any(|part| part == code);
    if named {
        return line.to_owned();
    }
    let body = trimmed.trim_end_matches(['.', ';']);
    let copies = doc.copies.map(|n| format!("({n})")).unwrap_or_default();
    let separator = if body.trim_end().ends_with(':') { " " } else { ", " };
    format!("{body}{separator}{code}{copies}.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DeputyLine;
    use crate::pdf::layout::TextRun;

    fn doc() -> Document {
        crate::exchange::parse_document(crate::exchange::json::tests::SAMPLE).unwrap()
    }

    fn runs(doc: &Document) -> Vec<(usize, TextRun)> {
        let ruleset = crate::ruleset::default_ruleset(doc.family);
        let layout = crate::pdf::layout_document(doc, ruleset);
        layout.pages.iter().enumerate().flat_map(|(p, page)| page.runs().cloned().map(move |r| (p, r))).collect()
    }

    fn run_of<'a>(runs: &'a [(usize, TextRun)], text: &str) -> &'a TextRun {
        &runs.iter().find(|(_, r)| r.text == text).unwrap_or_else(|| panic!("no run `{text}`")).1
    }

    #[test]
    fn a_two_level_block_prints_three_centred_lines_and_extra_lines() {
        let mut d = doc();
        d.signer = Signer {
            form: Some("TM.".into()),
            principal: Some("ỦY BAN NHÂN DÂN".into()),
            deputy: Some(DeputyLine { form: "KT.".into(), principal: "CHỦ TỊCH".into() }),
            position: "PHÓ CHỦ TỊCH".into(),
            extra_lines: vec!["TRƯỞNG BAN CHỈ ĐẠO".into()],
            name: "Lê Minh Tâm".into(),
        };
        let all = runs(&d);
        let lines: Vec<&TextRun> =
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "TRƯỞNG BAN CHỈ ĐẠO", "Lê Minh Tâm"]
                .iter()
                .map(|t| run_of(&all, t))
                .collect();
        for pair in lines.windows(2) {
            assert!(pair[1].baseline > pair[0].baseline, "in order: {pair:?}");
        }
        let centre = |r: &TextRun| r.x + r.width() / 2.0;
        for line in &lines {
            assert!((centre(line) - centre(lines[0])).abs() < 0.5, "one axis: {line:?}");
        }
    }

    #[test]
    fn party_recipients_heading_is_underlined_not_bold_italic_and_sub_lines_are_indented() {
        let text = include_str!("../../../tests/fixtures/corpus/ok/party-quyet-dinh-chuan-y-chi-uy-truong-thcs.json");
        let mut d = crate::exchange::parse_document(text).unwrap();
        d.recipients.insert(1, "+ Ban Tổ chức Tỉnh ủy,".into());
        let all = runs(&d);
        let heading = run_of(&all, "Nơi nhận:");
        assert_eq!(heading.face, Face::Regular, "the ruleset says underlined only");
        let ruleset = crate::ruleset::default_ruleset(d.family);
        let layout = crate::pdf::layout_document(&d, ruleset);
        let underlined = layout.pages.iter().flat_map(|p| &p.items).any(|i| {
            matches!(i, Item::Rule { x1, y, .. } if (x1 - heading.x).abs() < 0.5 && *y > heading.baseline && *y < heading.baseline + 8.0)
        });
        assert!(underlined, "the heading is underlined");
        let sub = all.iter().map(|(_, r)| r).find(|r| r.text.starts_with("+ Ban Tổ chức")).expect("sub-line");
        let dash = all.iter().map(|(_, r)| r).find(|r| r.text.starts_with("- ")).unwrap();
        assert!(sub.x > dash.x + 3.0, "indented under its group");
        let state = doc();
        let heading = run_of(&runs(&state), "Nơi nhận:").clone();
        assert_eq!(heading.face, Face::BoldItalic, "NĐ 30: bold italic");
    }

    #[test]
    fn the_luu_line_gets_the_drafter_and_copies_once() {
        let mut d = doc();
        d.drafter_code = Some("LMT".into());
        d.copies = Some(10);
        assert_eq!(luu_with_drafter(&d, "Lưu: VT, HCTC."), "Lưu: VT, HCTC, LMT(10).");
        assert_eq!(luu_with_drafter(&d, "Lưu: VT, HCTC, LMT (10)."), "Lưu: VT, HCTC, LMT (10).");
        assert_eq!(luu_with_drafter(&d, "Lưu: VT."), "Lưu: VT, LMT(10).");
        d.copies = None;
        assert_eq!(luu_with_drafter(&d, "Lưu: VT, HCTC."), "Lưu: VT, HCTC, LMT.");
        d.drafter_code = None;
        assert_eq!(luu_with_drafter(&d, "Lưu: VT, HCTC."), "Lưu: VT, HCTC.");
    }
}
