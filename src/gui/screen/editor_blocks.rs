//! The editor's format-revision-2 parts: the deputy line of a two-level signature
//! (`TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH`), a simple table editor (cells, rows,
//! columns, heading rows) and note blocks.

use vanthu_core::model::{Block, BlockKind, DeputyLine, Document};

/// A change to a table block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableEdit {
    /// Adds an empty row at the end.
    AddRow,
    /// Adds an empty column at the right.
    AddColumn,
    /// Removes a row (the last one stays).
    RemoveRow(usize),
    /// Removes a column (the last one stays).
    RemoveColumn(usize),
    /// One more heading row (up to the number of rows).
    MoreHeadings,
    /// One heading row fewer (down to none).
    FewerHeadings,
}

/// A block the user can add at the end of the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewBlock {
    /// A table of two columns: a heading row and one empty row.
    Table,
    /// A note printed after the end mark (`(Kèm theo …)`).
    Note,
    /// A numbered item (`1.`, `2.` …: a khoản, or an item of a công văn).
    Item,
    /// A lettered sub-item (`a)`, `b)` …: a điểm).
    SubItem,
}

/// The letters of điểm labels, in Vietnamese alphabet order (no f, j, w, z; HD 36 and
/// NĐ 30/2020 Phụ lục I: "điểm ... đánh số thứ tự bằng chữ cái tiếng Việt").
const POINT_LETTERS: [char; 23] =
    ['a', 'b', 'c', 'd', 'đ', 'e', 'g', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'x', 'y'];

/// The label of the next numbered item at the end of `body`: items count up from 1
/// after the last block of a higher level (Điều, heading, part …).
fn next_item_label(body: &[Block]) -> String {
    let n = body
        .iter()
        .rev()
        .take_while(|b| {
            matches!(b.kind, BlockKind::Clause | BlockKind::Point | BlockKind::Paragraph | BlockKind::Table)
        })
        .filter(|b| b.kind == BlockKind::Clause)
        .count();
    format!("{}.", n + 1)
}

/// The label of the next sub-item at the end of `body`: letters restart after any
/// block that is not a sub-item or a plain paragraph.
fn next_sub_item_label(body: &[Block]) -> String {
    let n = body
        .iter()
        .rev()
        .take_while(|b| matches!(b.kind, BlockKind::Point | BlockKind::Paragraph))
        .filter(|b| b.kind == BlockKind::Point)
        .count();
    let letter = POINT_LETTERS.get(n).copied().unwrap_or('y');
    format!("{letter})")
}

/// Adds a new block of `which` at the end of the body.
pub fn add_block(doc: &mut Document, which: NewBlock) {
    let block = new_block(&doc.body, which);
    doc.body.push(block);
}

/// The block of `which` to add at the end of `body`.
fn new_block(body: &[Block], which: NewBlock) -> Block {
    match which {
        NewBlock::Table => {
            Block::table(vec![vec!["TT".into(), "Nội dung".into()], vec![String::new(), String::new()]], 1)
        }
        NewBlock::Note => Block::text(BlockKind::Note, ""),
        NewBlock::Item => Block {
            kind: BlockKind::Clause,
            label: Some(next_item_label(body)),
            text: Some(String::new()),
            ..Block::default()
        },
        NewBlock::SubItem => Block {
            kind: BlockKind::Point,
            label: Some(next_sub_item_label(body)),
            text: Some(String::new()),
            ..Block::default()
        },
    }
}

/// Applies `edit` to the table at `/body/index`; anything else is left alone. A table
/// always keeps at least one row and one column.
pub fn edit_table(doc: &mut Document, index: usize, edit: TableEdit) {
    let Some(block) = doc.body.get_mut(index).filter(|b| b.kind == BlockKind::Table) else { return };
    let columns = block.column_count().max(1);
    let rows = block.rows.get_or_insert_with(Vec::new);
    match edit {
        TableEdit::AddRow => rows.push(vec![String::new(); columns]),
        TableEdit::AddColumn => {
            for row in rows.iter_mut() {
                row.resize(columns, String::new());
                row.push(String::new());
            }
            if let Some(widths) = &mut block.widths {
                widths.push(1.0);
            }
        }
        TableEdit::RemoveRow(r) if rows.len() > 1 && r < rows.len() => drop(rows.remove(r)),
        TableEdit::RemoveColumn(c) if columns > 1 && c < columns => {
            for row in rows.iter_mut() {
                if c < row.len() {
                    row.remove(c);
                }
            }
            if let Some(widths) = &mut block.widths
                && c < widths.len()
            {
                widths.remove(c);
            }
        }
        TableEdit::MoreHeadings => {
            let next = block.header_rows.unwrap_or(1).saturating_add(1);
            block.header_rows = Some(next.min(rows.len() as u32));
        }
        TableEdit::FewerHeadings => block.header_rows = Some(block.header_rows.unwrap_or(1).saturating_sub(1)),
        TableEdit::RemoveRow(_) | TableEdit::RemoveColumn(_) => {}
    }
    let count = block.rows.as_ref().map_or(0, Vec::len) as u32;
    if let Some(headings) = &mut block.header_rows {
        *headings = (*headings).min(count);
    }
}

/// Sets cell (`row`, `column`) of the table at `/body/index`, growing a short row.
pub fn set_cell(doc: &mut Document, index: usize, row: usize, column: usize, value: String) {
    let Some(block) = doc.body.get_mut(index).filter(|b| b.kind == BlockKind::Table) else { return };
    let Some(cells) = block.rows.as_mut().and_then(|rows| rows.get_mut(row)) else { return };
    if column >= cells.len() {
        cells.resize(column + 1, String::new());
    }
    cells[column] = value;
}

/// Sets the deputy line's `form` or `principal`; the line disappears when both are empty.
pub fn set_deputy(doc: &mut Document, part: &str, value: String) {
    let deputy = doc.signer.deputy.get_or_insert_with(DeputyLine::default);
    match part {
        "form" => deputy.form = value,
        _ => deputy.principal = value,
    }
    if deputy.form.trim().is_empty() && deputy.principal.trim().is_empty() {
        doc.signer.deputy = None;
    }
}

/// The input ids (JSON pointers) of a table's cells.
pub fn cell_ids(doc: &Document, index: usize) -> Vec<String> {
    let Some(rows) = doc.body.get(index).and_then(|b| b.rows.as_ref()) else { return Vec::new() };
    rows.iter()
        .enumerate()
        .flat_map(|(r, row)| (0..row.len()).map(move |c| format!("/body/{index}/rows/{r}/{c}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(body: &[Block]) -> Vec<&str> {
        body.iter().filter_map(|b| b.label.as_deref()).collect()
    }

    fn add(body: &mut Vec<Block>, which: NewBlock) {
        let block = new_block(body, which);
        body.push(block);
    }

    #[test]
    fn items_and_sub_items_number_themselves_and_restart_under_a_new_article() {
        let mut body = vec![Block::text(BlockKind::Paragraph, "Mở đầu")];
        for which in [NewBlock::Item, NewBlock::SubItem, NewBlock::SubItem, NewBlock::Item, NewBlock::SubItem] {
            add(&mut body, which);
        }
        assert_eq!(labels(&body), ["1.", "a)", "b)", "2.", "a)"]);
        body.push(Block { kind: BlockKind::Article, label: Some("Điều 2.".into()), ..Block::default() });
        add(&mut body, NewBlock::Item);
        add(&mut body, NewBlock::SubItem);
        assert_eq!(labels(&body)[5..], ["Điều 2.", "1.", "a)"]);
        // After the 23rd letter the labels stay on the last one (the checks report it).
        for _ in 0..30 {
            add(&mut body, NewBlock::SubItem);
        }
        assert_eq!(body.last().unwrap().label.as_deref(), Some("y)"));
    }
}
