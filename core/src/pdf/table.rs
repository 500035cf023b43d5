//! Tables (`table` blocks, format revision 2): cells wrapped within their columns and
//! drawn with single borders, heading rows in bold and repeated at the top of every page
//! the table continues on; a row taller than a page is split between pages rather than
//! cut.

use crate::model::Block as ContentBlock;

use super::flow::{Block, Unit};
use super::fonts::Face;
use super::layout::{Align, Item, Line, Para, break_lines};

/// Horizontal padding inside a cell, pt.
const PAD_X: f32 = 3.0;
/// Vertical padding inside a cell, pt.
const PAD_Y: f32 = 2.0;
/// Border width, pt.
const BORDER: f32 = 0.5;

/// Geometry of a table: left edge, column widths, text size and the tallest slice of a
/// row a page can hold.
pub struct TableFrame {
    /// Left edge, pt.
    pub x: f32,
    /// Full width, pt.
    pub width: f32,
    /// Text size, pt.
    pub size: f32,
    /// Height of the page's text area, pt.
    pub page_height: f32,
}

/// The column widths of `rows` filling `width`: from the document's relative `widths`
/// when given, else from the content (each column at least its longest word where the
/// width allows, the rest shared by how much text each column holds).
pub fn column_widths(rows: &[Vec<String>], widths: Option<&[f64]>, width: f32, size: f32) -> Vec<f32> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if columns == 0 {
        return Vec::new();
    }
    if let Some(given) = widths.filter(|w| w.len() == columns && w.iter().all(|v| v.is_finite() && *v > 0.0)) {
        let total: f64 = given.iter().sum();
        return given.iter().map(|w| (*w / total) as f32 * width).collect();
    }
    let mut natural = vec![2.0 * PAD_X; columns];
    let mut longest = vec![2.0 * PAD_X; columns];
    for (r, row) in rows.iter().enumerate() {
        let face = if r == 0 { Face::Bold } else { Face::Regular };
        for (c, cell) in row.iter().enumerate() {
            natural[c] = natural[c].max(face.width(cell.trim(), size) + 2.0 * PAD_X);
            let word = cell.split_whitespace().map(|w| face.width(w, size)).fold(0.0, f32::max);
            longest[c] = longest[c].max(word + 2.0 * PAD_X);
        }
    }
    let natural_sum: f32 = natural.iter().sum();
    if natural_sum <= width {
        return natural.iter().map(|n| n + (width - natural_sum) * n / natural_sum).collect();
    }
    let cap = width / columns as f32 * 1.5;
    let mut minimum: Vec<f32> = longest.iter().map(|l| l.min(cap)).collect();
    let minimum_sum: f32 = minimum.iter().sum();
    if minimum_sum > width {
        minimum.iter_mut().for_each(|m| *m *= width / minimum_sum);
        return minimum;
    }
    let spare = width - minimum_sum;
    let wants: Vec<f32> = natural.iter().zip(&minimum).map(|(n, m)| (n - m).max(0.0)).collect();
    let wants_sum: f32 = wants.iter().sum();
    minimum.iter().zip(&wants).map(|(m, w)| m + if wants_sum > 0.0 { spare * w / wants_sum } else { 0.0 }).collect()
}

/// The flow block of a table: one unit per row (or per slice of a row taller than a
/// page), the heading rows repeated on each page.
pub fn table_block(block: &ContentBlock, frame: &TableFrame, space_before: f32) -> Block {
    let Some(rows) = block.rows.as_ref().filter(|r| !r.is_empty()) else { return Block::default() };
    let widths = column_widths(rows, block.widths.as_deref(), frame.width, frame.size);
    let headings = block.heading_rows();
    let mut units = Vec::new();
    let mut repeat = Vec::new();
    let line_height = frame.size * super::layout::SINGLE_LINE;
    let heading_height: f32 = rows
        .iter()
        .take(headings)
        .map(|row| row_lines(row, &widths, frame, true).iter().map(Vec::len).max().unwrap_or(1) as f32)
        .sum::<f32>()
        * line_height;
    for (r, row) in rows.iter().enumerate() {
        let heading = r < headings;
        let cells = row_lines(row, &widths, frame, heading);
        let depth = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        // The most lines of a row a page holds under the repeated headings.
        let room = frame.page_height - if heading { 0.0 } else { heading_height + 2.0 * PAD_Y * headings as f32 };
        let per_slice = (((room - 2.0 * PAD_Y) / line_height).floor() as usize).max(1);
        let mut start = 0;
        while start < depth {
            let end = (start + per_slice).min(depth);
            let unit = row_unit(&cells, &widths, frame, start..end, line_height);
            if heading {
                repeat.push(unit.clone());
            }
            units.push(unit);
            start = end;
        }
    }
    let lead = (repeat.len() + 1).min(units.len());
    Block { units, space_before, repeat, lead, ..Block::default() }
}

/// The broken lines of each cell of a row (a short row gets empty cells).
fn row_lines(row: &[String], widths: &[f32], frame: &TableFrame, heading: bool) -> Vec<Vec<Line>> {
    let mut x = frame.x;
    widths
        .iter()
        .enumerate()
        .map(|(c, width)| {
            let text = row.get(c).map(|t| t.trim()).unwrap_or("");
            let (face, align) = if heading { (Face::Bold, Align::Center) } else { (Face::Regular, Align::Left) };
            let mut lines = Vec::new();
            for paragraph in text.split('\n') {
                let para = Para::new(paragraph, face, frame.size, align, x + PAD_X, (width - 2.0 * PAD_X).max(1.0));
                lines.extend(break_lines(&para).into_iter().filter(|l| !l.runs.is_empty()));
            }
            x += width;
            lines
        })
        .collect()
}

/// One unit: lines `range` of every cell, with the cell borders around them.
fn row_unit(
    cells: &[Vec<Line>],
    widths: &[f32],
    frame: &TableFrame,
    range: std::ops::Range<usize>,
    line_height: f32,
) -> Unit {
    let height = (range.end - range.start) as f32 * line_height + 2.0 * PAD_Y;
    let mut items = Vec::new();
    for lines in cells {
        for (k, line) in lines.iter().enumerate().filter(|(k, _)| range.contains(k)) {
            let top = PAD_Y + (k - range.start) as f32 * line_height;
            items.extend(line.runs.iter().cloned().map(|run| Item::Text(run).shifted(top)));
        }
    }
    let right = frame.x + widths.iter().sum::<f32>();
    items.push(Item::Rule { x1: frame.x, x2: right, y: 0.0, width: BORDER });
    items.push(Item::Rule { x1: frame.x, x2: right, y: height, width: BORDER });
    let mut x = frame.x;
    items.push(Item::Frame { x, y: 0.0, w: 0.0, h: height });
    for width in widths {
        x += width;
        items.push(Item::Frame { x, y: 0.0, w: 0.0, h: height });
    }
    Unit { height, items }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn widths_fill_the_measure_and_follow_the_document() {
        let r = rows(&[&["TT", "Nội dung", "Kết quả"], &["1", "Rà soát hồ sơ", "Đạt"]]);
        let auto = column_widths(&r, None, 450.0, 13.0);
        assert!((auto.iter().sum::<f32>() - 450.0).abs() < 0.01);
        assert!(auto[1] > auto[0], "{auto:?}");
        let given = column_widths(&r, Some(&[1.0, 6.0, 2.0]), 450.0, 13.0);
        assert!((given[0] - 50.0).abs() < 0.01 && (given[1] - 300.0).abs() < 0.01, "{given:?}");
    }

    #[test]
    fn long_cells_wrap_and_a_row_taller_than_a_page_is_sliced() {
        let long = "Nội dung rất dài ".repeat(400);
        let r = rows(&[&["TT", "Nội dung"], &["1", long.as_str()], &["2", "Ngắn"]]);
        let block = ContentBlock::table(r, 1);
        let frame = TableFrame { x: 85.0, width: 450.0, size: 13.0, page_height: 700.0 };
        let flow = table_block(&block, &frame, 6.0);
        assert_eq!(flow.repeat.len(), 1);
        assert!(flow.units.len() >= 4, "the long row is sliced: {}", flow.units.len());
        assert!(flow.units.iter().all(|u| u.height <= 700.0));
        for unit in &flow.units {
            for item in &unit.items {
                if let Item::Text(run) = item {
                    assert!(run.x >= 85.0 && run.x + run.width() <= 535.05, "inside the table: {run:?}");
                }
            }
        }
        let text: usize = flow.units[1..]
            .iter()
            .flat_map(|u| &u.items)
            .filter_map(|i| if let Item::Text(r) = i { Some(r.text.matches("dài").count()) } else { None })
            .sum();
        assert_eq!(text, 400, "no word of the long cell is lost");
    }
}
