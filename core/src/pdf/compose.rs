//! Turns a `vanthu.document/1` document into flow blocks following Phụ lục I of
//! NĐ 30/2020 (state) or HD 36 (Party): the two-column header, type name and trích yếu,
//! Kính gửi, căn cứ, the body, the signature block with Nơi nhận level with it, stamps
//! and appendices. Sizes and styles come from the ruleset's typography.

use crate::model::{BlockKind, Document, Family};
use crate::ruleset::Ruleset;
use crate::text::{nfc, vietnamese_date};

use super::column::{Column, stamp_items};
use super::flow::{Block, Unit};
use super::fonts::Face;
use super::layout::{Align, Ink, Item, Para, break_lines};
use super::typography::{MM, Style, Typography, bold, italic, plain};

/// Everything composition needs about the document and its rules.
pub struct Composer<'a> {
    pub(super) doc: &'a Document,
    ruleset: &'a Ruleset,
    typo: Typography,
    /// Whether the document is a draft (no number or no date yet).
    pub draft: bool,
}

/// A blank the line breaker does not collapse (no-break space).
const BLANK: &str = "\u{a0}";

fn upper(text: &str) -> String {
    nfc(&text.to_uppercase())
}

impl<'a> Composer<'a> {
    /// A composer for `doc` under `ruleset`.
    pub fn new(doc: &'a Document, ruleset: &'a Ruleset) -> Composer<'a> {
        let draft = doc.number.as_deref().is_none_or(str::is_empty) || doc.date.is_none();
        Composer { doc, ruleset, typo: Typography::of(ruleset), draft }
    }

    /// The page geometry in use.
    pub fn typography(&self) -> &Typography {
        &self.typo
    }

    pub(super) fn style(&self, name: &str, fallback: Style) -> Style {
        self.typo.style(name, fallback)
    }

    pub(super) fn left(&self) -> f32 {
        self.typo.margin_left
    }

    pub(super) fn width(&self) -> f32 {
        self.typo.text_width()
    }

    pub(super) fn is_party(&self) -> bool {
        self.doc.family == Family::Party
    }

    fn is_cong_van(&self) -> bool {
        self.doc.kind.as_str() == "cong-van"
    }

    pub(super) fn value(&self, key: &str) -> Option<&str> {
        self.ruleset.values.get(key).and_then(|v| v.as_str())
    }

    /// `Số: 05/QĐ-VP` (state) or `Số 05-QĐ/TU` (Party). A draft leaves room for the
    /// number (non-breaking spaces, which the line breaker keeps) and shows the symbol the
    /// register will give it. `Số:` is joined to the number by a no-break space, so it
    /// never ends a line on its own.
    pub fn number_line(&self) -> String {
        let params = &self.ruleset.params;
        let prefix = match params.number_prefix.strip_suffix(' ') {
            Some(head) => format!("{head}{BLANK}"),
            None => params.number_prefix.clone(),
        };
        let number =
            self.doc.number.as_deref().filter(|n| !n.is_empty()).map_or_else(|| BLANK.repeat(8), str::to_owned);
        let notation = self.doc.notation.clone().filter(|n| !n.is_empty()).or_else(|| self.expected_notation());
        match notation {
            Some(notation) => format!("{prefix}{number}{}{notation}", params.number_separator),
            None => format!("{prefix}{number}"),
        }
    }

    /// The symbol of a document not yet numbered: type and body abbreviations
    /// (`QĐ-UBND`, `CT/TU`), or for a state công văn the body and the drafting unit.
    fn expected_notation(&self) -> Option<String> {
        let params = &self.ruleset.params;
        let issuer = self.doc.issuer.abbreviation.as_str();
        let abbreviation = self.ruleset.kind(self.doc.kind.as_str()).map(|k| k.abbreviation.as_str()).unwrap_or("");
        if issuer.is_empty() {
            return None;
        }
        if self.is_cong_van() && !params.cong_van_has_type {
            // Never the drafter's initials (box 12): a draft whose Lưu line names no
            // unit shows the agency alone until the register gives the symbol.
            // (A code the Lưu line itself names is a unit, whatever box 12 says.)
            let initials = self.doc.drafter_code.as_deref().map(str::trim);
            let in_luu = |code: &str| {
                self.doc.recipients.last().is_some_and(|line| {
                    line.contains("Lưu") && line.split([',', ' ', '.', ':', ';']).any(|part| part == code)
                })
            };
            let unit =
                self.doc.drafting_unit().filter(|c| !c.is_empty() && (Some(c.as_str()) != initials || in_luu(c)));
            return Some(match unit {
                Some(unit) => format!("{issuer}{}{unit}", params.notation_separator),
                None => issuer.to_owned(),
            });
        }
        (!abbreviation.is_empty()).then(|| format!("{abbreviation}{}{issuer}", params.notation_separator))
    }

    /// `Phú Hội, ngày 16 tháng 9 năm 2025`; a draft leaves day, month and year blank
    /// (no clock: a draft's page depends only on the document).
    pub fn place_date_line(&self) -> String {
        match self.doc.date {
            Some(date) => format!("{}, {}", self.doc.place, vietnamese_date(date)),
            None => {
                let gap = BLANK.repeat(5);
                format!("{}, ngày{gap}tháng{gap}năm{gap}", self.doc.place)
            }
        }
    }

    fn kind_name(&self) -> String {
        self.ruleset
            .kind(self.doc.kind.as_str())
            .map(|k| upper(&k.name))
            .unwrap_or_else(|| upper(self.doc.kind.as_str()))
    }

    /// All blocks of the document, header first.
    pub fn blocks(&self) -> Vec<Block> {
        let mut blocks = vec![self.header()];
        blocks.extend(self.title());
        blocks.extend(self.addressees());
        blocks.extend(self.preamble());
        let body_size = self.style("body", plain(14.0)).size;
        blocks.extend(self.body_blocks(&self.doc.body, body_size));
        blocks.extend(self.signature());
        for appendix in &self.doc.appendices {
            let mut first = self.centred_block(&appendix.label, &self.style("appendix_label", bold(14.0)), 0.0);
            first.new_page = true;
            first.restart_numbering = true;
            first.keep_with_next = true;
            blocks.push(first);
            if let Some(title) = appendix.title.as_deref().filter(|t| !t.is_empty()) {
                let mut title_block = self.centred_block(&upper(title), &bold(body_size), 0.0);
                title_block.keep_with_next = true;
                blocks.push(title_block);
            }
            let mut reference = self.centred_block(&self.appendix_reference(), &italic(body_size), 0.0);
            reference.keep_with_next = true;
            blocks.push(reference);
            let mut body = self.body_blocks(&appendix.body, body_size);
            if let Some(first) = body.first_mut() {
                first.space_before = first.space_before.max(12.0);
            }
            blocks.extend(body);
        }
        blocks
    }

    fn appendix_reference(&self) -> String {
        let kind = self.ruleset.kind(self.doc.kind.as_str()).map(|k| k.name.clone()).unwrap_or_default();
        let number = self.number_line();
        let number =
            number.trim_start_matches(self.ruleset.params.number_prefix.trim_end()).trim_start_matches(':').trim();
        let date = self.doc.date.map(vietnamese_date).unwrap_or_else(|| format!("ngày{0}tháng{0}năm", BLANK.repeat(5)));
        nfc(&format!("(Kèm theo {kind} số {number} {date} của {})", sentence_case(&self.doc.issuer.name)))
    }

    fn header(&self) -> Block {
        let width = self.width();
        let title_style = self.style("header_title", bold(12.0));
        let title = self.value("header_title").unwrap_or("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").to_owned();
        let right_width = (Face::Bold.width(&title, title_style.size) + 8.0).max(width * 0.58).min(width * 0.66);
        let left_width = width - right_width;
        let mut left = Column::new(self.left(), left_width);
        let mut right = Column::new(self.left() + left_width, right_width);

        if let Some(parent) = self.doc.issuer.parent.as_deref().filter(|p| !p.trim().is_empty()) {
            left.name(parent, &self.style("issuer_parent", plain(12.0)));
        }
        let issuer_style = self.style("issuer_name", bold(12.0));
        let extents = left.name(&self.doc.issuer.name, &issuer_style);
        let issuer_baseline = left.baselines.last().copied().unwrap_or(0.0);
        if self.value("issuer_separator") == Some("*") {
            left.text("*", &plain(issuer_style.size), Align::Center);
        } else {
            left.underline(&extents, &issuer_style);
        }

        let title_extents = right.text(&title, &title_style, Align::Center);
        let motto = self.value("header_motto").unwrap_or("").to_owned();
        if motto.is_empty() {
            right.underline(&title_extents, &title_style);
        } else {
            let motto_style = self.style("header_motto", bold(13.0));
            let extents = right.text(&motto, &motto_style, Align::Center);
            right.underline(&extents, &motto_style);
        }

        let number_style = self.style("number", plain(13.0));
        let date_style = self.style("place_date", italic(13.0));
        let date_line = self.place_date_line();
        if self.is_party() {
            // HD 36: the date under the title's line, Số under the asterisk.
            right.gap(4.0);
            let top = right.y.max(issuer_baseline - date_style.size * super::layout::BASELINE);
            right.y = top;
            right.text(&date_line, &date_style, Align::Center);
            left.text(&self.number_line(), &number_style, Align::Center);
        } else {
            // NĐ 30: Số and the date on one row (boxes 3 and 4).
            let row = left.y.max(right.y) + 6.0;
            let (left_size, right_size) = (number_style.size, date_style.size);
            let baseline = row + left_size.max(right_size) * super::layout::BASELINE;
            left.y = baseline - left_size * super::layout::BASELINE;
            left.text(&self.number_line(), &number_style, Align::Center);
            right.y = baseline - right_size * super::layout::BASELINE;
            right.text(&date_line, &date_style, Align::Center);
        }

        if self.is_cong_van()
            && let Some(subject) = self.doc.subject.as_deref().filter(|s| !s.is_empty())
        {
            let style = self.style("cong_van_subject", plain(12.0));
            left.gap(6.0);
            let prefix = self.value("cong_van_subject_prefix").unwrap_or("V/v ");
            let mut para =
                Para::new(&format!("{prefix}{subject}"), style.face(), style.size, Align::Center, left.x, left.width);
            para.spans[0].0 = nfc(&para.spans[0].0);
            left.para(&para);
        }
        let stamp_size = self.style("urgency_stamp", bold(13.0)).size;
        if let Some(secrecy) = self.doc.secrecy {
            left.gap(6.0);
            // Red, as the secrecy stamps of Thông tư 24/2020/TT-BCA are inked.
            left.stamp(secrecy.label(), stamp_size, left.x + 8.0, 20.0 * MM, Ink::Red);
        }
        if let Some(urgency) = self.doc.urgency {
            let box_mm = match urgency {
                crate::model::Urgency::HoaToc => 30.0,
                crate::model::Urgency::ThuongKhan => 40.0,
                crate::model::Urgency::Khan => 20.0,
            };
            left.gap(6.0);
            // Phụ lục I, box 10b: the urgency stamp is inked bright red (đỏ tươi).
            left.stamp(urgency.label(), stamp_size, left.x + 8.0, box_mm * MM, Ink::Red);
        }

        let mut items = left.placed_at(0.0);
        items.extend(right.placed_at(0.0));
        let top = self.typo.margin_top;
        // Box 11 (circulation) and the draft mark sit in the top margin of page 1.
        if let Some(circulation) = self.doc.circulation {
            let size = self.style("circulation_stamp", bold(13.0)).size;
            let x = self.left() + width * 0.58;
            items.extend(stamp_items(circulation.label(), size, x, -top + 2.0 * MM, 0.0, Ink::Black));
        }
        if self.draft {
            items.extend(stamp_items("DỰ THẢO", 13.0, self.left(), -top + 2.0 * MM, 0.0, Ink::Black));
        }
        Block { units: vec![Unit { height: left.y.max(right.y), items }], keep_together: true, ..Block::default() }
    }

    fn centred_block(&self, text: &str, style: &Style, space_before: f32) -> Block {
        let para = Para::new(text, style.face(), style.size, Align::Center, self.left(), self.width());
        Block { units: line_units(&para), space_before, ..Block::default() }
    }

    fn title(&self) -> Vec<Block> {
        if self.is_cong_van() {
            return Vec::new();
        }
        let kind_style = self.style("kind_name", bold(14.0));
        let mut column = Column::new(self.left(), self.width());
        column.text(&self.kind_name(), &kind_style, Align::Center);
        let without_subject = self.ruleset.params.kinds_without_subject.iter().any(|k| k == self.doc.kind.as_str());
        if let Some(subject) = self.doc.subject.as_deref().filter(|s| !s.is_empty() && !without_subject) {
            let style = self.style("subject", bold(14.0));
            let inset = self.width() * 0.08;
            let mut sub = Column::new(self.left() + inset, self.width() - 2.0 * inset);
            sub.y = column.y;
            let extents = sub.text(subject, &style, Align::Center);
            sub.underline(&extents, &style);
            column.items.extend(sub.items);
            column.y = sub.y;
        }
        vec![Block {
            units: vec![Unit { height: column.y, items: column.items }],
            space_before: 18.0,
            keep_together: true,
            keep_with_next: true,
            ..Block::default()
        }]
    }

    fn addressees(&self) -> Vec<Block> {
        let list = &self.doc.addressees;
        if list.is_empty() {
            return Vec::new();
        }
        let size = self.style("body", plain(14.0)).size;
        let heading = if self.is_party() && self.doc.kind.as_str() == "to-trinh" {
            self.value("to_trinh_addressees_heading").unwrap_or("Kính gửi:")
        } else {
            self.value("addressees_heading").unwrap_or("Kính gửi:")
        };
        let heading_width = Face::Regular.width(heading, size) + Face::Regular.width(" ", size);
        let entries: Vec<String> =
            if list.len() == 1 { list.clone() } else { list.iter().map(|a| format!("- {a}")).collect() };
        let widest = entries.iter().map(|e| Face::Regular.width(e, size)).fold(0.0, f32::max);
        let width = self.width();
        let start = (width - heading_width - widest).clamp(width * 0.1, width * 0.3);
        let x = self.left() + start;
        let item_x = x + heading_width;
        let mut units = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let mut para = Para::new(entry, Face::Regular, size, Align::Left, item_x, self.left() + width - item_x);
            if list.len() > 1 {
                para.rest_indent = Face::Regular.width("- ", size);
            }
            let mut lines = line_units(&para);
            if i == 0
                && let Some(first) = lines.first_mut()
            {
                first.items.push(Item::Text(super::layout::TextRun {
                    x,
                    baseline: size * super::layout::BASELINE,
                    size,
                    face: Face::Regular,
                    text: heading.to_owned(),
                    word_spacing: 0.0,
                }));
            }
            units.extend(lines);
        }
        vec![Block { units, space_before: 12.0, keep_together: true, ..Block::default() }]
    }

    fn preamble(&self) -> Vec<Block> {
        let mut blocks = Vec::new();
        let body = self.style("body", plain(14.0));
        if let Some(line) = self.doc.authority_line.as_deref().filter(|l| !l.is_empty()) {
            let mut block = self.centred_block(&upper(line), &bold(body.size), 12.0);
            block.keep_with_next = true;
            blocks.push(block);
        }
        let bases_style = self.style("bases", italic(body.size));
        for (i, base) in self.doc.bases.iter().enumerate() {
            let mut block = self.paragraph(vec![(base.clone(), bases_style.face())], bases_style.size);
            if i == 0 {
                block.space_before = 12.0;
            }
            blocks.push(block);
        }
        if let Some(words) = self.doc.enacting_words.as_deref().filter(|w| !w.is_empty()) {
            let mut block = self.centred_block(words, &bold(body.size), 12.0);
            block.keep_with_next = true;
            blocks.push(block);
        }
        blocks
    }

    fn paragraph(&self, spans: Vec<(String, Face)>, size: f32) -> Block {
        let mut para = Para::new("", Face::Regular, size, Align::Justify, self.left(), self.width());
        para.spans = spans.into_iter().filter(|(t, _)| !t.trim().is_empty()).collect();
        para.first_indent = self.typo.first_line_indent;
        para.spacing = self.typo.line_spacing;
        Block { units: line_units(&para), space_before: self.typo.paragraph_space, ..Block::default() }
    }

    fn body_blocks(&self, body: &[crate::model::Block], size: f32) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut first = true;
        for block in body {
            let label = block.label.clone().unwrap_or_default();
            let title = block.title.clone().filter(|t| !t.is_empty());
            let texts: Vec<&str> = block
                .text
                .as_deref()
                .map(|t| t.split('\n').filter(|p| !p.trim().is_empty()).collect())
                .unwrap_or_default();
            match block.kind {
                BlockKind::Part | BlockKind::Chapter | BlockKind::Section => {
                    let mut head = self.centred_block(&label, &bold(size), 12.0);
                    head.keep_with_next = true;
                    head.keep_together = true;
                    blocks.push(head);
                    if let Some(title) = &title {
                        let mut t = self.centred_block(&upper(title), &bold(size), 0.0);
                        t.keep_with_next = true;
                        t.keep_together = true;
                        blocks.push(t);
                    }
                    for text in texts {
                        blocks.push(self.paragraph(vec![(text.to_owned(), Face::Regular)], size));
                    }
                }
                BlockKind::Table => {
                    if let Some(title) = &title {
                        let mut t = self.centred_block(title, &bold(size), self.typo.paragraph_space);
                        t.keep_with_next = true;
                        t.keep_together = true;
                        blocks.push(t);
                    }
                    let style = self.style("table", plain(13.0));
                    let frame = super::table::TableFrame {
                        x: self.left(),
                        width: self.width(),
                        size: style.size,
                        page_height: self.typo.text_bottom() - self.typo.margin_top,
                    };
                    blocks.push(super::table::table_block(block, &frame, self.typo.paragraph_space + 3.0));
                }
                BlockKind::Note => {
                    // Printed where the document puts it (after `./.` or the signature),
                    // flush left and italic, as the attachment notes of real documents.
                    let style = self.style("note", italic(size - 1.0));
                    for text in texts {
                        let mut para =
                            Para::new(text, style.face(), style.size, Align::Left, self.left(), self.width());
                        para.spacing = self.typo.line_spacing;
                        blocks.push(Block {
                            units: line_units(&para),
                            space_before: self.typo.paragraph_space,
                            ..Block::default()
                        });
                    }
                }
                _ => {
                    let label_face = if block.kind == BlockKind::Article { Face::Bold } else { Face::Regular };
                    match title {
                        Some(title) => {
                            let mut head = self.paragraph(vec![(format!("{label} {title}"), Face::Bold)], size);
                            // A heading is never the last line of a page.
                            head.keep_with_next = true;
                            head.keep_together = true;
                            blocks.push(head);
                            for text in texts {
                                blocks.push(self.paragraph(vec![(text.to_owned(), Face::Regular)], size));
                            }
                        }
                        None => {
                            let mut texts = texts.into_iter();
                            let first_text = texts.next().unwrap_or("").to_owned();
                            blocks.push(self.paragraph(vec![(label, label_face), (first_text, Face::Regular)], size));
                            for text in texts {
                                blocks.push(self.paragraph(vec![(text.to_owned(), Face::Regular)], size));
                            }
                        }
                    }
                }
            }
            if first && let Some(b) = blocks.first_mut() {
                b.space_before = b.space_before.max(12.0);
                first = false;
            }
        }
        blocks.retain(|b| !b.units.is_empty());
        blocks
    }
}

/// The lines of a paragraph as flow units.
pub fn line_units(para: &Para) -> Vec<Unit> {
    break_lines(para)
        .into_iter()
        .filter(|line| !line.runs.is_empty())
        .map(|line| Unit { height: line.height, items: line.runs.into_iter().map(Item::Text).collect() })
        .collect()
}

/// The issuing body's printed (upper-case) name in running text:
/// `ỦY BAN NHÂN DÂN XÃ PHÚ HỘI` → `Ủy ban nhân dân xã Phú Hội` (Phụ lục II: the name of
/// the administrative unit after `xã`, `tỉnh` … is a proper name; `Đảng` keeps its capital).
pub fn sentence_case(name: &str) -> String {
    const UNITS: [&str; 8] = ["xã", "phường", "trấn", "huyện", "quận", "tỉnh", "phố", "khu"];
    let mut out: Vec<String> = Vec::new();
    let mut proper = false;
    for (i, word) in name.split_whitespace().enumerate() {
        let lower = word.to_lowercase();
        let capital = i == 0 || proper || lower == "đảng";
        out.push(if capital { crate::rules::util::capitalize_first(&lower) } else { lower.clone() });
        if UNITS.contains(&lower.as_str()) {
            proper = true;
        }
    }
    nfc(&out.join(" "))
}

#[cfg(test)]
mod tests {
    use super::{Composer, sentence_case};

    /// A draft công văn shows the symbol the register will give: the agency and the
    /// unit the Lưu line names, never the drafter's initials (box 12).
    #[test]
    fn a_draft_cong_van_symbol_names_the_unit_never_the_initials() {
        let mut doc = crate::exchange::parse_document(include_str!(
            "../../../tests/fixtures/corpus/ok/state-cong-van-phong-chong-sot-xuat-huyet.json"
        ))
        .unwrap();
        doc.number = None;
        doc.notation = None;
        doc.drafter_code = Some("BVT".into());
        let ruleset = crate::ruleset::default_ruleset(crate::model::Family::State);
        doc.recipients = vec!["Như trên;".into(), "Lưu: VT, KT.".into()];
        let line = Composer::new(&doc, ruleset).number_line();
        assert!(line.ends_with(&format!("/{}-KT", doc.issuer.abbreviation)), "{line}");
        doc.recipients = vec!["Như trên;".into(), "Lưu: VT.".into()];
        let line = Composer::new(&doc, ruleset).number_line();
        assert!(line.ends_with(&format!("/{}", doc.issuer.abbreviation)) && !line.contains("BVT"), "{line}");
        // A file whose box 12 holds the unit the Lưu line names keeps it.
        doc.drafter_code = Some("KT".into());
        doc.recipients = vec!["Như trên;".into(), "Lưu: VT, KT.".into()];
        let line = Composer::new(&doc, ruleset).number_line();
        assert!(line.ends_with(&format!("/{}-KT", doc.issuer.abbreviation)), "{line}");
    }

    #[test]
    fn issuer_names_read_as_running_text() {
        assert_eq!(sentence_case("ỦY BAN NHÂN DÂN XÃ PHÚ HỘI"), "Ủy ban nhân dân xã Phú Hội");
        assert_eq!(sentence_case("ĐẢNG ỦY XÃ PHÚ HỘI"), "Đảng ủy xã Phú Hội");
        assert_eq!(sentence_case("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"), "Ủy ban nhân dân thành phố Hồ Chí Minh");
        assert_eq!(sentence_case("VĂN PHÒNG"), "Văn phòng");
    }
}
