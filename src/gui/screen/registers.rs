//! Sổ đăng ký: the outgoing and incoming registers laid out in the Phụ lục IV
//! columns, sortable by any column and filterable by year, kind, unit and status.

use chrono::Datelike;
use iced::widget::{button, column, pick_list, row, text};
use iced::{Element, Length};

use vanthu_core::store::{IncomingRegisterRow, OutgoingRegisterRow};

use crate::gui::session::{Ctx, Go};
use crate::gui::widget::table::{self, Column};
use crate::gui::{font, theme};

/// Which register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Sổ đăng ký văn bản đi.
    Outgoing,
    /// Sổ đăng ký văn bản đến.
    Incoming,
}

const OUTGOING: [Column; 9] = [
    Column { title: "Số, ký hiệu", portion: 3 },
    Column { title: "Ngày tháng", portion: 2 },
    Column { title: "Tên loại và trích yếu", portion: 6 },
    Column { title: "Người ký", portion: 3 },
    Column { title: "Nơi nhận", portion: 4 },
    Column { title: "Bản lưu", portion: 2 },
    Column { title: "Số bản", portion: 1 },
    Column { title: "Ngày chuyển", portion: 2 },
    Column { title: "Ghi chú", portion: 3 },
];

const INCOMING: [Column; 8] = [
    Column { title: "Ngày đến", portion: 2 },
    Column { title: "Số đến", portion: 1 },
    Column { title: "Tác giả", portion: 3 },
    Column { title: "Số, ký hiệu", portion: 2 },
    Column { title: "Ngày tháng", portion: 2 },
    Column { title: "Tên loại và trích yếu", portion: 6 },
    Column { title: "Đơn vị, người nhận", portion: 3 },
    Column { title: "Ghi chú", portion: 3 },
];

const ALL: &str = "Tất cả";

/// One agency's book, for the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Book {
    id: i64,
    name: String,
}

impl std::fmt::Display for Book {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// Page state.
#[derive(Debug)]
pub struct State {
    which: Which,
    /// The books of the agencies the user serves (each agency keeps its own).
    books: Vec<Book>,
    book: Option<Book>,
    year: i32,
    rows: Vec<Vec<String>>,
    sort: Option<(usize, bool)>,
    kind: String,
    unit: String,
    status: String,
    error: Option<String>,
    /// The office's units: (abbreviation, name), to name the Lưu line's entries.
    units: Vec<(String, String)>,
}

/// Messages of the page.
#[derive(Debug, Clone)]
pub enum Message {
    /// Switch register.
    Which(Which),
    /// Change the year by a step.
    Year(i32),
    /// Sort by a column (again: reverse).
    Sort(usize),
    /// Filter by kind.
    Kind(String),
    /// Filter by unit.
    Unit(String),
    /// Filter by status.
    Status(String),
    /// Print the register of the year to PDF.
    Print,
    /// Open another agency's book.
    Book(Book),
}

impl State {
    /// The error shown on the page, if any (the shell shows no toast repeating it).
    pub fn shown_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The outgoing register of this year.
    pub fn new(ctx: &Ctx<'_>) -> Self {
        let books: Vec<Book> = ctx
            .store
            .book_agencies(ctx.actor)
            .unwrap_or_default()
            .into_iter()
            .map(|a| Book {
                id: a.id,
                name: match &a.parent_name {
                    Some(parent) => format!("{} — {parent}", a.short_name),
                    None => a.short_name.clone(),
                },
            })
            .collect();
        // The served committee's book first (the Văn phòng serves the UBND).
        let first = ctx
            .store
            .default_receiving_agency(ctx.actor)
            .ok()
            .flatten()
            .and_then(|id| books.iter().find(|b| b.id == id).cloned())
            .or_else(|| books.first().cloned());
        let mut state = State {
            which: Which::Outgoing,
            books,
            book: first,
            year: ctx.today().year(),
            rows: Vec::new(),
            sort: None,
            kind: ALL.into(),
            unit: ALL.into(),
            status: ALL.into(),
            error: None,
            units: office_units(ctx),
        };
        state.load(ctx);
        state
    }

    fn load(&mut self, ctx: &Ctx<'_>) {
        let Some(book) = self.book.as_ref().map(|b| b.id) else {
            self.rows.clear();
            self.error = Some("Bạn chưa được giao giữ sổ của cơ quan nào.".into());
            return;
        };
        let loaded = match self.which {
            Which::Outgoing => ctx
                .store
                .outgoing_register(self.year, Some(book))
                .map(|rows| rows.iter().map(OutgoingRegisterRow::cells).collect()),
            Which::Incoming => ctx
                .store
                .incoming_register(self.year, Some(book))
                .map(|rows| rows.iter().map(IncomingRegisterRow::cells).collect()),
        };
        match loaded {
            Ok(rows) => {
                self.rows = rows;
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
        self.kind = ALL.into();
        self.unit = ALL.into();
        self.status = ALL.into();
    }

    fn columns(&self) -> &'static [Column] {
        match self.which {
            Which::Outgoing => &OUTGOING,
            Which::Incoming => &INCOMING,
        }
    }

    /// Column indices of kind-and-subject, unit and status.
    fn filter_columns(&self) -> (usize, usize, usize) {
        match self.which {
            Which::Outgoing => (2, 5, 8),
            Which::Incoming => (5, 6, 7),
        }
    }

    /// The kind names found at the start of the kind-and-subject column.
    fn kinds(&self) -> Vec<String> {
        let (k, _, _) = self.filter_columns();
        let mut names: Vec<String> = self
            .rows
            .iter()
            .filter_map(|r| {
                let text = r.get(k)?;
                vanthu_core::model::Family::ALL.iter().find_map(|f| {
                    vanthu_core::ruleset::default_ruleset(*f)
                        .kinds
                        .iter()
                        .map(|kd| kd.name.as_str())
                        .filter(|name| text.to_lowercase().starts_with(&name.to_lowercase()))
                        .max_by_key(|name| name.len())
                        .map(str::to_owned)
                })
            })
            .collect();
        crate::gui::wording::sort_vietnamese(&mut names, String::as_str);
        names.dedup();
        std::iter::once(ALL.to_owned()).chain(names).collect()
    }

    fn distinct(&self, col: usize, split: bool) -> Vec<String> {
        let mut values: Vec<String> = self
            .rows
            .iter()
            .filter_map(|r| r.get(col))
            .flat_map(|v| {
                if split {
                    v.split([',', ';']).map(|s| s.trim().trim_end_matches('.').to_owned()).collect::<Vec<_>>()
                } else {
                    vec![v.split(';').next().unwrap_or("").trim().to_owned()]
                }
            })
            .filter(|v| !v.is_empty() && v != "VT")
            .collect();
        crate::gui::wording::sort_vietnamese(&mut values, String::as_str);
        values.dedup();
        std::iter::once(ALL.to_owned()).chain(values).collect()
    }

    /// The units of the "Đơn vị" filter (outgoing register): the units that keep a
    /// copy of the year's documents, read from the Lưu column ("Lưu: VT, TH (2).")
    /// and named as the office names them ("Phòng Tổng hợp (TH)"); the văn thư's
    /// own copy (VT) is in every row and not a filter.
    pub fn unit_filters(&self) -> Vec<String> {
        let (_, u, _) = self.filter_columns();
        let mut values: Vec<String> = self
            .rows
            .iter()
            .filter_map(|r| r.get(u))
            .flat_map(|cell| file_copy_units(cell))
            .map(|abbreviation| self.unit_label(&abbreviation))
            .collect();
        crate::gui::wording::sort_vietnamese(&mut values, String::as_str);
        values.dedup();
        std::iter::once(ALL.to_owned()).chain(values).collect()
    }

    /// "Phòng Tổng hợp (TH)" for "TH"; the abbreviation itself when no unit has it.
    fn unit_label(&self, abbreviation: &str) -> String {
        match self.units.iter().find(|(a, _)| a == abbreviation) {
            Some((a, name)) => format!("{name} ({a})"),
            None => abbreviation.to_owned(),
        }
    }

    /// Whether a row's Lưu column names the unit chosen in the filter.
    fn keeps_copy(&self, cell: &str) -> bool {
        file_copy_units(cell).iter().any(|a| self.unit_label(a) == self.unit)
    }

    /// The rows after filters and sorting.
    pub fn visible(&self) -> Vec<Vec<String>> {
        let (k, u, s) = self.filter_columns();
        let mut rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .filter(|r| self.kind == ALL || r[k].to_lowercase().starts_with(&self.kind.to_lowercase()))
            .filter(|r| {
                self.unit == ALL
                    || match self.which {
                        Which::Outgoing => self.keeps_copy(&r[u]),
                        Which::Incoming => r[u].contains(&self.unit),
                    }
            })
            .filter(|r| self.status == ALL || r[s].starts_with(&self.status))
            .cloned()
            .collect();
        if let Some((col, ascending)) = self.sort {
            rows.sort_by(|a, b| {
                let ord = sort_key(&a[col]).cmp(&sort_key(&b[col]));
                if ascending { ord } else { ord.reverse() }
            });
        }
        rows
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, ctx: &mut Ctx<'_>) -> Go {
        match message {
            Message::Which(w) => {
                self.which = w;
                self.sort = None;
                self.load(ctx);
            }
            Message::Year(step) => {
                self.year += step;
                self.load(ctx);
            }
            Message::Sort(col) => {
                self.sort = match self.sort {
                    Some((c, asc)) if c == col => Some((c, !asc)),
                    _ => Some((col, true)),
                };
            }
            Message::Kind(k) => self.kind = k,
            Message::Unit(u) => self.unit = u,
            Message::Status(s) => self.status = s,
            Message::Print => {
                let Some(book) = &self.book else { return Go::Stay };
                return Go::Run(crate::gui::job::Job::RegisterPdf {
                    incoming: self.which == Which::Incoming,
                    agency: book.id,
                    year: self.year,
                    to: None,
                });
            }
            Message::Book(book) => {
                self.book = Some(book);
                self.load(ctx);
            }
        }
        Go::Stay
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let tab = |w: Which, label: &'static str| {
            let style = if self.which == w { button::primary } else { button::secondary };
            button(text(label)).on_press(Message::Which(w)).style(style)
        };
        let (_, u, s) = self.filter_columns();
        let filters = row![
            button(text("‹")).on_press(Message::Year(-1)).style(button::secondary),
            text(format!("Năm {}", self.year)).font(font::BOLD),
            button(text("›")).on_press(Message::Year(1)).style(button::secondary),
            text("Loại:"),
            pick_list(self.kinds(), Some(self.kind.clone()), Message::Kind),
            text(if self.which == Which::Outgoing { "Đơn vị:" } else { "Người nhận:" }),
            pick_list(
                match self.which {
                    Which::Outgoing => self.unit_filters(),
                    Which::Incoming => self.distinct(u, false),
                },
                Some(self.unit.clone()),
                Message::Unit
            ),
            text("Trạng thái:"),
            pick_list(self.distinct(s, false), Some(self.status.clone()), Message::Status),
        ]
        .spacing(8)
        .align_y(iced::Center);
        let visible = self.visible();
        let count = visible.len();
        let mut page = column![
            row![
                text("Sổ đăng ký văn bản").size(theme::TITLE).font(font::BOLD).width(Length::Fill),
                button(text("In sổ ra PDF…")).on_press(Message::Print).style(button::secondary),
            ]
            .align_y(iced::Center),
            row![
                tab(Which::Outgoing, "Sổ văn bản đi"),
                tab(Which::Incoming, "Sổ văn bản đến"),
                text("Sổ của:"),
                crate::gui::widget::choice::fitted_pick_list(
                    &self.books,
                    self.book.as_ref(),
                    520.0,
                    "Chọn sổ",
                    Message::Book
                ),
            ]
            .spacing(8)
            .align_y(iced::Center),
            filters,
            text(format!("{count} dòng · bấm tiêu đề cột để sắp xếp")).size(12).color(theme::MUTED),
        ]
        .spacing(theme::GAP);
        if let Some(e) = &self.error {
            page = page.push(text(crate::gui::session::sentence(e)).color(theme::ERROR));
        }
        page.push(
            iced::widget::container(table::view(self.columns(), visible, self.sort, Message::Sort))
                .height(Length::Fill),
        )
        .into()
    }
}

/// The units of the office: (abbreviation, name), every agency's.
fn office_units(ctx: &Ctx<'_>) -> Vec<(String, String)> {
    let agencies = ctx.store.agencies().unwrap_or_default();
    agencies.iter().flat_map(|a| ctx.store.units(a.id).unwrap_or_default()).map(|u| (u.abbreviation, u.name)).collect()
}

/// The units keeping a copy in a Lưu cell: "Lưu: VT, TH (2)." → ["TH"] (the văn
/// thư's copy and the counts left out).
pub fn file_copy_units(cell: &str) -> Vec<String> {
    let list = cell.trim().trim_start_matches("Lưu").trim_start_matches(':');
    list.split([',', ';'])
        .map(|part| {
            let part = part.trim().trim_end_matches('.').trim();
            match part.find(" (") {
                Some(open) if part.ends_with(')') => part[..open].trim().to_owned(),
                _ => part.to_owned(),
            }
        })
        .filter(|a| !a.is_empty() && a != "VT")
        .collect()
}

/// Sorts numbers and dd/mm/yyyy dates by value, other text alphabetically.
fn sort_key(cell: &str) -> (u8, String) {
    let head = cell.split(['/', ' ']).next().unwrap_or("");
    if let Ok(date) = chrono::NaiveDate::parse_from_str(cell.trim(), "%d/%m/%Y") {
        return (0, date.format("%Y%m%d").to_string());
    }
    if let Ok(n) = head.parse::<u64>() {
        return (1, format!("{n:012}{cell}"));
    }
    (2, vanthu_core::text::fold(cell))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::testing::Fixture;

    #[test]
    fn registers_sort_and_filter() {
        let mut f = Fixture::demo("lythihongnhung");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        if state.rows.is_empty() {
            state.update(Message::Year(-1), &mut ctx);
        }
        assert!(!state.rows.is_empty(), "the demo has numbered documents");
        state.update(Message::Sort(0), &mut ctx);
        let up = state.visible();
        state.update(Message::Sort(0), &mut ctx);
        let down = state.visible();
        assert_eq!(up.first(), down.last());
        let kinds = state.kinds();
        assert!(kinds.len() > 1, "{kinds:?}");
        state.update(Message::Kind(kinds[1].clone()), &mut ctx);
        assert!(!state.visible().is_empty() && state.visible().len() < state.rows.len());
        state.update(Message::Which(Which::Incoming), &mut ctx);
        assert_eq!(state.kind, ALL);
    }

    #[test]
    fn the_unit_filter_lists_the_office_units_that_keep_copies() {
        assert_eq!(file_copy_units("Lưu: VT, TH (2)."), ["TH"]);
        assert_eq!(file_copy_units("Lưu: VT, KT."), ["KT"]);
        assert_eq!(file_copy_units("VT"), Vec::<String>::new());
        let mut f = Fixture::demo("lythihongnhung");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        if state.rows.is_empty() {
            state.update(Message::Year(-1), &mut ctx);
        }
        let units = state.unit_filters();
        assert_eq!(units[0], ALL);
        assert!(units.len() > 1, "{units:?}");
        for unit in &units[1..] {
            // Named as the office names its units, with no "Lưu:", count or VT.
            assert!(!unit.contains("Lưu") && !unit.contains("(2)") && unit != "VT", "{unit}");
            assert!(
                state.units.iter().any(|(a, name)| unit == &format!("{name} ({a})")),
                "{unit} is a unit of the office"
            );
            state.update(Message::Unit(unit.clone()), &mut ctx);
            let shown = state.visible();
            assert!(!shown.is_empty() && shown.len() <= state.rows.len(), "{unit}");
        }
        assert!(units.iter().any(|u| u == "Phòng Tổng hợp (TH)"), "{units:?}");
    }
}
