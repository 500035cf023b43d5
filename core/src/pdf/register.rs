//! The outgoing and incoming registers (sổ đăng ký, Phụ lục IV of NĐ 30/2020) printed
//! as a landscape A4 table in PDF/A-1b, its header row repeated on every page.

use crate::store::{IncomingRegisterRow, OutgoingRegisterRow};

use super::PdfError;
use super::flow::{Block, Unit, paginate};
use super::fonts::Face;
use super::layout::{Align, DocumentLayout, Item, Page, Para, TextRun, break_lines};
use super::typography::MM;
use super::writer::{PdfInfo, write_pdf};

/// A register as a table: its title, columns (heading and relative width) and rows.
#[derive(Debug, Clone)]
pub struct RegisterTable {
    /// `SỔ ĐĂNG KÝ VĂN BẢN ĐI`.
    pub title: String,
    /// The year it covers.
    pub year: i32,
    /// The agency keeping it.
    pub agency: String,
    /// `(heading, relative width)`.
    pub columns: Vec<(String, f32)>,
    /// Cells, one vector per row, as many cells as columns.
    pub rows: Vec<Vec<String>>,
}

/// The outgoing register of Phụ lục IV.
pub fn outgoing_table(agency: &str, year: i32, rows: &[OutgoingRegisterRow]) -> RegisterTable {
    let columns = [
        ("Số, ký hiệu văn bản", 1.3),
        ("Ngày tháng văn bản", 1.0),
        ("Tên loại và trích yếu nội dung văn bản", 3.2),
        ("Người ký", 1.3),
        ("Nơi nhận văn bản", 2.0),
        ("Đơn vị, người nhận bản lưu", 1.2),
        ("Số lượng bản", 0.7),
        ("Ngày chuyển", 0.9),
        ("Ký nhận", 0.8),
        ("Ghi chú", 0.9),
    ];
    // Phụ lục IV's ten columns; "Ký nhận" is signed on paper and stays blank in print.
    let cells = rows.iter().map(|r| {
        let mut cells = r.cells();
        cells.insert(8, String::new());
        cells
    });
    table("SỔ ĐĂNG KÝ VĂN BẢN ĐI", agency, year, &columns, cells)
}

/// The incoming register of Phụ lục IV.
pub fn incoming_table(agency: &str, year: i32, rows: &[IncomingRegisterRow]) -> RegisterTable {
    let columns = [
        ("Ngày đến", 0.9),
        ("Số đến", 0.7),
        ("Tác giả", 1.8),
        ("Số, ký hiệu", 1.2),
        ("Ngày tháng", 0.9),
        ("Tên loại và trích yếu nội dung", 3.2),
        ("Đơn vị hoặc người nhận", 1.6),
        ("Ký nhận", 0.8),
        ("Ghi chú", 0.9),
    ];
    // The paper sổ has a "Ký nhận" column the handler signs; it stays blank in print.
    let cells = rows.iter().map(|r| {
        let mut cells = r.cells();
        cells.insert(7, String::new());
        cells
    });
    table("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", agency, year, &columns, cells)
}

fn table(
    title: &str,
    agency: &str,
    year: i32,
    columns: &[(&str, f32)],
    rows: impl Iterator<Item = Vec<String>>,
) -> RegisterTable {
    RegisterTable {
        title: title.to_owned(),
        year,
        agency: agency.to_owned(),
        columns: columns.iter().map(|(h, w)| (h.to_string(), *w)).collect(),
        rows: rows.collect(),
    }
}

const SIZE: f32 = 10.5;
const PAD: f32 = 3.0;

/// Lays the register out on landscape A4 pages.
pub fn layout_register(table: &RegisterTable) -> DocumentLayout {
    let (width, height) = (297.0 * MM, 210.0 * MM);
    let (left, right, top, bottom) = (20.0 * MM, 15.0 * MM, 20.0 * MM, 15.0 * MM);
    let text_width = width - left - right;
    let total: f32 = table.columns.iter().map(|c| c.1).sum::<f32>().max(0.1);
    let mut edges = vec![left];
    for (_, w) in &table.columns {
        let last = edges.last().copied().unwrap_or(left);
        edges.push(last + text_width * w / total);
    }
    let header = row_unit(&table.columns.iter().map(|c| c.0.clone()).collect::<Vec<_>>(), &edges, Face::Bold);
    let mut blocks = Vec::new();
    let mut title = Vec::new();
    for (text, face, size) in [
        (table.agency.clone(), Face::Bold, 12.0),
        (table.title.clone(), Face::Bold, 14.0),
        (format!("Năm {}", table.year), Face::Italic, 13.0),
    ] {
        if text.is_empty() {
            continue;
        }
        for line in break_lines(&Para::new(&text, face, size, Align::Center, left, text_width)) {
            title.push(Unit { height: line.height, items: line.runs.into_iter().map(Item::Text).collect() });
        }
    }
    blocks.push(Block { units: title, keep_together: true, keep_with_next: true, ..Block::default() });
    blocks.push(Block { units: vec![header.clone()], space_before: 6.0, ..Block::default() });
    for row in &table.rows {
        blocks.push(Block { units: vec![row_unit(row, &edges, Face::Regular)], ..Block::default() });
    }
    if table.rows.is_empty() {
        let empty = vec!["(Chưa có văn bản)".to_owned()];
        blocks.push(Block {
            units: vec![row_unit(&empty, &[left, left + text_width], Face::Italic)],
            ..Block::default()
        });
    }
    // Every page but the first repeats the header row above its rows; the first page
    // carries it under the title, so its items move up by the room left for it.
    let flow = paginate(&blocks, top + header.height, height - bottom);
    let pages = flow
        .into_iter()
        .enumerate()
        .map(|(index, flow_page)| {
            let mut items: Vec<Item> = Vec::new();
            if index == 0 {
                items.extend(flow_page.page.items.into_iter().map(|i| i.shifted(-header.height)));
            } else {
                items.extend(header.items.iter().cloned().map(|i| i.shifted(top)));
                items.extend(flow_page.page.items);
                let text = (index + 1).to_string();
                let w = Face::Regular.width(&text, 12.0);
                items.push(Item::Text(TextRun {
                    x: (width - w) / 2.0,
                    baseline: top / 2.0 + 4.0,
                    size: 12.0,
                    face: Face::Regular,
                    text,
                    word_spacing: 0.0,
                }));
            }
            Page { items }
        })
        .collect();
    DocumentLayout { width, height, pages }
}

/// One table row: wrapped cells and the grid around them.
fn row_unit(cells: &[String], edges: &[f32], face: Face) -> Unit {
    let mut items = Vec::new();
    let mut height: f32 = 0.0;
    for (i, cell) in cells.iter().enumerate() {
        let (Some(&x0), Some(&x1)) = (edges.get(i), edges.get(i + 1)) else { break };
        let align = if face == Face::Bold { Align::Center } else { Align::Left };
        let mut y = PAD;
        for line in break_lines(&Para::new(cell, face, SIZE, align, x0 + PAD, x1 - x0 - 2.0 * PAD)) {
            items.extend(line.runs.into_iter().map(|r| Item::Text(r).shifted(y)));
            y += line.height;
        }
        height = height.max(y + PAD);
    }
    let (left, right) = (edges.first().copied().unwrap_or(0.0), edges.last().copied().unwrap_or(0.0));
    items.push(Item::Rule { x1: left, x2: right, y: 0.0, width: 0.5 });
    items.push(Item::Rule { x1: left, x2: right, y: height, width: 0.5 });
    for &x in edges {
        items.push(Item::Frame { x, y: 0.0, w: 0.0, h: height });
    }
    Unit { height, items }
}

/// The register as PDF/A-1b bytes.
pub fn register_pdf(table: &RegisterTable) -> Result<Vec<u8>, PdfError> {
    let layout = layout_register(table);
    let info = PdfInfo {
        title: format!("{} năm {}", table.title, table.year),
        subject: table.title.clone(),
        author: table.agency.clone(),
        keywords: vec![table.year.to_string()],
        date: chrono::NaiveDate::from_ymd_opt(table.year, 1, 1),
        id: format!("register-{}-{}-{}", table.title, table.year, table.rows.len()),
    };
    write_pdf(&layout, &info)
}
