//! The page model shared by the PDF writer and the GUI's page preview: pages of text
//! runs and rules positioned in points, with `y` measured from the top of the page, and
//! the line breaker that fills it. Lines break only at spaces, so a Vietnamese syllable
//! (one space-separated unit) is never split.

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
    /// A rectangle outline (stamps).
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
}

fn words_of(para: &Para) -> Vec<Word> {
    let mut words = Vec::new();
    for (text, face) in &para.spans {
        for piece in text.split(' ').filter(|w| !w.is_empty()) {
            words.push(Word { text: piece.to_owned(), face: *face, width: face.width(piece, para.size) });
        }
    }
    words
}

/// Splits a word wider than `limit` at characters (only for strings without spaces
/// longer than a line, such as a long web address).
fn split_long(word: Word, limit: f32, size: f32) -> Vec<Word> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in word.text.chars() {
        let mut next = current.clone();
        next.push(c);
        if !current.is_empty() && word.face.width(&next, size) > limit {
            out.push(Word {
                width: word.face.width(&current, size),
                text: std::mem::take(&mut current),
                face: word.face,
            });
            current.push(c);
        } else {
            current = next;
        }
    }
    if !current.is_empty() {
        out.push(Word { width: word.face.width(&current, size), text: current, face: word.face });
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
        let pieces = if word.width > limit { split_long(word, limit, size) } else { vec![word] };
        for word in pieces {
            let limit = limit_of(lines.len());
            let needed = if current.is_empty() { word.width } else { used + space + word.width };
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
    let natural: f32 = words.iter().map(|w| w.width).sum::<f32>() + space * words.len().saturating_sub(1) as f32;
    let gaps = words.len().saturating_sub(1);
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
        if i > 0 && !joins {
            x += space + extra;
        }
        match runs.last_mut() {
            Some(run) if joins => {
                run.text.push(' ');
                run.text.push_str(&word.text);
                x += space + extra + word.width;
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

    #[test]
    fn a_word_longer_than_the_line_is_cut() {
        let para = Para::new(&"x".repeat(200), Face::Regular, 12.0, Align::Left, 0.0, 100.0);
        let lines = break_lines(&para);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width <= 100.01));
    }
}
