//! The page model shared by the PDF writer and the GUI's page preview: pages of text
//! runs and rules positioned in points, with `y` measured from the top of the page, and
//! the line breaker that fills it. Lines break only at spaces, so a Vietnamese syllable
//! (one space-separated unit) is never split; a no-break space (U+00A0) joins two words
//! (`Số: 05/QĐ-VP`). Only a token longer than a whole line (a web address, a long
//! symbol) is broken: after `/`, `.`, `-` where possible, else anywhere, and its pieces
//! are never joined with a space.

use super::fonts::Face;

/// Line height of "single" spacing in Times-metric fonts, in em.
pub const SINGLE_LINE: f32 = 1.15;
/// Baseline below the top of a line box, in em.
pub const BASELINE: f32 = 0.891;

/// A run of text in one face on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Left edge, pt from the left of the page.
    pub x: f32,
    /// Baseline, pt from the top of the page.
    pub baseline: f32,
    /// Size, pt.
    pub size: f32,
    /// Face.
    pub face: Face,
    /// The text, NFC.
    pub text: String,
    /// Extra width added to every space (justification), pt.
    pub word_spacing: f32,
}

/// The colour of what follows on the page, until the next [`Item::Ink`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    /// Black (the text).
    Black,
    /// Bright red (đỏ tươi): the urgency and secrecy stamps of Phụ lục I.
    Red,
}

impl Ink {
    /// The colour as sRGB bytes.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            Ink::Black => [0, 0, 0],
            Ink::Red => [237, 28, 36],
        }
    }
}

impl TextRun {
    /// Width of the run as drawn, pt.
    pub fn width(&self) -> f32 {
        self.face.width(&self.text, self.size) + self.word_spacing * self.text.matches(' ').count() as f32
    }
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Text.
    Text(TextRun),
    /// A horizontal line.
    Rule {
        /// Start, pt from the left.
        x1: f32,
        /// End, pt from the left.
        x2: f32,
        /// Position, pt from the top.
        y: f32,
        /// Stroke width, pt.
        width: f32,
    },
    /// Sets the colour of the items after it on the page (stamps in red).
    Ink(Ink),
    /// A rectangle outline (stamps, table cells; `w` 0 draws a vertical line).
    Frame {
        /// Left, pt.
        x: f32,
        /// Top, pt.
        y: f32,
        /// Width, pt.
        w: f32,
        /// Height, pt.
        h: f32,
    },
}

impl Item {
    /// The item moved down by `dy`.
    pub fn shifted(mut self, dy: f32) -> Item {
        match &mut self {
            Item::Text(run) => run.baseline += dy,
            Item::Rule { y, .. } => *y += dy,
            Item::Frame { y, .. } => *y += dy,
            Item::Ink(_) => {}
        }
        self
    }
}

/// One page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// What is drawn on it.
    pub items: Vec<Item>,
}

impl Page {
    /// The text runs of the page.
    pub fn runs(&self) -> impl Iterator<Item = &TextRun> {
        self.items.iter().filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None })
    }
}

/// A laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentLayout {
    /// Page width, pt.
    pub width: f32,
    /// Page height, pt.
    pub height: f32,
    /// The pages, in order.
    pub pages: Vec<Page>,
}

/// Horizontal alignment of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Justified, the last line flush left.
    Justify,
}

/// A paragraph to break: spans of text in their faces, all at one size.
#[derive(Debug, Clone)]
pub struct Para {
    /// `(text, face)`; consecutive spans are separated by a space.
    pub spans: Vec<(String, Face)>,
    /// Size, pt.
    pub size: f32,
    /// Alignment.
    pub align: Align,
    /// Left edge of the lines, pt from the page's left.
    pub x: f32,
    /// Available width, pt.
    pub width: f32,
    /// Extra indent of the first line, pt.
    pub first_indent: f32,
    /// Indent of the lines after the first (hanging lists), pt.
    pub rest_indent: f32,
    /// Line spacing factor.
    pub spacing: f32,
}

impl Para {
    /// A paragraph of one span.
    pub fn new(text: &str, face: Face, size: f32, align: Align, x: f32, width: f32) -> Para {
        Para {
            spans: vec![(text.to_owned(), face)],
            size,
            align,
            x,
            width,
            first_indent: 0.0,
            rest_indent: 0.0,
            spacing: 1.0,
        }
    }

    /// Height of one line, pt.
    pub fn line_height(&self) -> f32 {
        self.size * SINGLE_LINE * self.spacing
    }
}

/// One broken line: its runs, positioned with `baseline` relative to the line's top.
#[derive(Debug, Clone)]
pub struct Line {
    /// The runs, baselines relative to the top of the line box.
    pub runs: Vec<TextRun>,
    /// Height of the line box, pt.
    pub height: f32,
    /// Natural width of the text, pt.
    pub width: f32,
}

struct Word {
    text: String,
    face: Face,
    width: f32,
    /// A piece of a broken token: no space before it.
    glue: bool,
}

fn words_of(para: &Para) -> Vec<Word> {
    let mut words = Vec::new();
    for (text, face) in &para.spans {
        for piece in text.split([' ', '\n', '\t']).filter(|w| !w.is_empty()) {
            words.push(Word { text: piece.to_owned(), face: *face, width: face.width(piece, para.size), glue: false });
        }
    }
    words
}

/// The longest prefix of `text` (at least one character) narrower than `limit`, ending
/// after `/`, `.`, `-` (or `_`, `?`, `&`, `=`, `,`) if such a prefix fills at least a
/// third of `limit`, else at any character. Returns its length in bytes.
fn break_point(text: &str, face: Face, size: f32, limit: f32) -> usize {
    let mut fits = 0;
    let mut preferred = 0;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if face.width(&text[..end], size) > limit {
            break;
        }
        fits = end;
        if matches!(c, '/' | '.' | '-' | '_' | '?' | '&' | '=' | ',') && end < text.len() {
            preferred = end;
        }
    }
    if fits == 0 {
        return text.chars().next().map_or(0, char::len_utf8);
    }
    if preferred > 0 && face.width(&text[..preferred], size) >= limit / 3.0 { preferred } else { fits }
}

/// Splits a word wider than a line into pieces: the first fills `first_limit` (the rest
/// of the current line, if that is worth using), the others `limit` each.
fn split_long(word: Word, first_limit: f32, limit: f32, size: f32) -> Vec<Word> {
    let mut out = Vec::new();
    let mut rest = word.text.as_str();
    let mut current_limit = first_limit;
    while !rest.is_empty() {
        let cut = if word.face.width(rest, size) <= current_limit {
            rest.len()
        } else {
            break_point(rest, word.face, size, current_limit)
        };
        let (piece, tail) = rest.split_at(cut);
        out.push(Word {
            text: piece.to_owned(),
            face: word.face,
            width: word.face.width(piece, size),
            glue: !out.is_empty() || word.glue,
        });
        rest = tail;
        current_limit = limit;
    }
    out
}

/// Breaks `para` into lines (greedy, as word processors do).
pub fn break_lines(para: &Para) -> Vec<Line> {
    let size = para.size;
    let space = Face::Regular.width(" ", size);
    let mut lines: Vec<Vec<Word>> = Vec::new();
    let mut current: Vec<Word> = Vec::new();
    let mut used = 0.0f32;
    let limit_of = |index: usize| {
        let indent = if index == 0 { para.first_indent } else { para.rest_indent };
        (para.width - indent).max(size)
    };
    for word in words_of(para) {
        let limit = limit_of(lines.len());
        let pieces = if word.width > limit_of(lines.len() + 1).min(limit) {
            // Use the rest of the current line if at least a quarter of it is free.
            let free = if current.is_empty() { limit } else { limit - used - space };
            let first = if free >= limit / 4.0 { free } else { limit_of(lines.len() + 1) };
            split_long(word, first, limit_of(lines.len() + 1), size)
        } else {
            vec![word]
        };
        for word in pieces {
            let limit = limit_of(lines.len());
            let gap = if word.glue { 0.0 } else { space };
            let needed = if current.is_empty() { word.width } else { used + gap + word.width };
            if !current.is_empty() && needed > limit + 0.01 {
                lines.push(std::mem::take(&mut current));
                used = word.width;
            } else {
                used = needed;
            }
            current.push(word);
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    let count = lines.len();
    lines.into_iter().enumerate().map(|(index, words)| place_line(para, index, index + 1 == count, words)).collect()
}

fn place_line(para: &Para, index: usize, last: bool, words: Vec<Word>) -> Line {
    let size = para.size;
    let space = Face::Regular.width(" ", size);
    let indent = if index == 0 { para.first_indent } else { para.rest_indent };
    let limit = (para.width - indent).max(size);
    let gaps = words.iter().skip(1).filter(|w| !w.glue).count();
    let natural: f32 = words.iter().map(|w| w.width).sum::<f32>() + space * gaps as f32;
    let extra = if para.align == Align::Justify && !last && gaps > 0 {
        ((limit - natural) / gaps as f32).max(0.0)
    } else {
        0.0
    };
    let mut x = para.x
        + indent
        + match para.align {
            Align::Center => ((limit - natural) / 2.0).max(0.0),
            Align::Left | Align::Justify => 0.0,
        };
    let baseline = size * BASELINE + (para.spacing - 1.0) * size * SINGLE_LINE / 2.0;
    let mut runs: Vec<TextRun> = Vec::new();
    for (i, word) in words.into_iter().enumerate() {
        let joins = runs.last().is_some_and(|r| r.face == word.face);
        let gap = if word.glue { 0.0 } else { space + extra };
        if i > 0 && !joins {
            x += gap;
        }
        match runs.last_mut() {
            Some(run) if joins => {
                if !word.glue {
                    run.text.push(' ');
                }
                run.text.push_str(&word.text);
                x += gap + word.width;
            }
            _ => {
                runs.push(TextRun { x, baseline, size, face: word.face, text: word.text, word_spacing: extra });
                x += word.width;
            }
        }
    }
    // A run that ends up alone needs no word spacing; keep it only where spaces exist.
    for run in &mut runs {
        if !run.text.contains(' ') {
            run.word_spacing = 0.0;
        }
        // A no-break space is printed as a space where no justification stretches it.
        if run.word_spacing == 0.0 && run.text.contains('\u{a0}') {
            run.text = run.text.replace('\u{a0}', " ");
        }
    }
    Line { runs, height: para.line_height(), width: natural }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_only_at_spaces_and_fill_the_width() {
        let text = "Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành và Ủy ban nhân dân các huyện triển khai thực hiện nghiêm túc các nội dung sau đây để bảo đảm tiến độ đề ra.";
        let para = Para::new(text, Face::Regular, 14.0, Align::Justify, 85.0, 300.0);
        let lines = break_lines(&para);
        assert!(lines.len() >= 3);
        let rebuilt: Vec<String> =
            lines.iter().map(|l| l.runs.iter().map(|r| r.text.clone()).collect::<Vec<_>>().join(" ")).collect();
        assert_eq!(rebuilt.join(" "), text, "no syllable is split or lost");
        for line in &lines[..lines.len() - 1] {
            let run = &line.runs[0];
            assert!((run.x - 85.0).abs() < 0.01);
            assert!(
                (run.x + run.width() - 385.0).abs() < 0.05,
                "justified line ends at the right edge: {}",
                run.x + run.width()
            );
        }
        let last = &lines.last().unwrap().runs[0];
        assert_eq!(last.word_spacing, 0.0, "the last line is not stretched");
    }

    #[test]
    fn centred_lines_and_faces_in_one_line() {
        let mut para = Para::new("Điều 1.", Face::Bold, 14.0, Align::Left, 0.0, 400.0);
        para.spans.push(("Ban hành kèm theo".into(), Face::Regular));
        let line = &break_lines(&para)[0];
        assert_eq!(line.runs.len(), 2);
        assert_eq!(line.runs[0].face, Face::Bold);
        assert!(line.runs[1].x > line.runs[0].x + line.runs[0].width());
        let centred = break_lines(&Para::new("QUYẾT ĐỊNH", Face::Bold, 14.0, Align::Center, 100.0, 200.0));
        let run = &centred[0].runs[0];
        assert!(((run.x - 100.0) - (300.0 - run.x - run.width())).abs() < 0.01);
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.runs.iter().map(|r| r.text.clone()).collect::<Vec<_>>().join("|")).collect()
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut() {
        let para = Para::new(&"x".repeat(200), Face::Regular, 12.0, Align::Left, 0.0, 100.0);
        let lines = break_lines(&para);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width <= 100.01));
        assert_eq!(texts(&lines).concat(), "x".repeat(200), "no character lost, no space inserted");
    }

    #[test]
    fn a_long_address_breaks_after_slashes_and_never_gains_a_space() {
        let url = "https://dichvucong.binhphuoc.gov.vn/portal/p/home/thu-tuc-hanh-chinh/chi-tiet-thu-tuc-hanh-chinh.html?ma=1.012345";
        let text = format!("Tra cứu tại {url} trước ngày 10.");
        let para = Para::new(&text, Face::Regular, 14.0, Align::Justify, 85.0, 300.0);
        let lines = break_lines(&para);
        for line in &lines {
            let right = line.runs.iter().map(|r| r.x + r.width()).fold(0.0, f32::max);
            assert!(right <= 385.05, "inside the measure: {right}");
        }
        let joined: String = texts(&lines).concat();
        assert!(joined.replace('|', "").contains(url), "{joined}");
        let all = texts(&lines);
        let pieces: Vec<&String> = all.iter().filter(|l| l.contains("gov") || l.contains("thu-tuc")).collect();
        for piece in &pieces[..pieces.len() - 1] {
            let end = piece.trim_end().chars().last().unwrap();
            assert!(matches!(end, '/' | '.' | '-' | '?'), "breaks after a separator: {all:?}");
        }
    }

    #[test]
    fn a_no_break_space_keeps_so_with_its_number() {
        let para = Para::new("Số:\u{a0}1852/UBND-KT", Face::Regular, 13.0, Align::Center, 0.0, 80.0);
        let lines = break_lines(&para);
        let first = texts(&lines)[0].clone();
        assert!(first.starts_with("Số: 1852"), "{lines:?}");
        assert_eq!(texts(&lines).concat(), "Số: 1852/UBND-KT");
    }
}
