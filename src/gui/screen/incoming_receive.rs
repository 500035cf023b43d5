//! The reception form of Văn bản đến (tiếp nhận, NĐ 30/2020 Điều 21): every field
//! the core's incoming record holds, each with its label above it (no placeholder
//! as a label): tác giả, số, ký hiệu, ngày văn bản, loại văn bản, độ khẩn, độ mật,
//! số tờ, cách nhận, trích yếu. The input is checked here with messages in
//! Vietnamese, one at a time, cleared as soon as the input changes.

use chrono::NaiveDate;
use iced::widget::{button, column, container, pick_list, row, text, text_input};
use iced::{Element, Length};
use vanthu_core::model::{IncomingState, Secrecy, Urgency};
use vanthu_core::store::{IncomingDetails, NewIncoming, ReceivedVia};

use super::incoming::Message;
use crate::gui::theme;
use crate::gui::widget::ime_guard::guard;

/// A kind of document in the pick list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindChoice {
    /// The kind's code (`cong-van`).
    pub code: String,
    /// Its name (`Công văn`).
    pub name: String,
}

impl std::fmt::Display for KindChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// A level of urgency or secrecy, "Thường" (none) first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Độ khẩn.
    Urgency(Option<Urgency>),
    /// Độ mật.
    Secrecy(Option<Secrecy>),
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let label = match self {
            Level::Urgency(Some(u)) => sentence_case(u.label()),
            Level::Secrecy(Some(s)) => sentence_case(s.label()),
            Level::Urgency(None) | Level::Secrecy(None) => "Thường".to_owned(),
        };
        f.write_str(&label)
    }
}

/// "THƯỢNG KHẨN" → "Thượng khẩn".
fn sentence_case(label: &str) -> String {
    let lower = label.to_lowercase();
    let mut chars = lower.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The urgency levels offered.
pub fn urgencies() -> Vec<Level> {
    std::iter::once(Level::Urgency(None)).chain(Urgency::ALL.iter().map(|u| Level::Urgency(Some(*u)))).collect()
}

/// The secrecy levels offered.
pub fn secrecies() -> Vec<Level> {
    std::iter::once(Level::Secrecy(None)).chain(Secrecy::ALL.iter().map(|s| Level::Secrecy(Some(*s)))).collect()
}

/// The kinds of both systems (Nhà nước, Đảng), each name once, in Vietnamese order.
pub fn kinds() -> Vec<KindChoice> {
    let mut kinds: Vec<KindChoice> = Vec::new();
    for family in vanthu_core::model::Family::ALL {
        for k in &vanthu_core::ruleset::default_ruleset(family).kinds {
            if !kinds.iter().any(|c| c.name == k.name) {
                kinds.push(KindChoice { code: k.code.clone(), name: k.name.clone() });
            }
        }
    }
    crate::gui::wording::sort_vietnamese(&mut kinds, |k| k.name.as_str());
    kinds
}

/// The kind from a symbol's type abbreviation (`QĐ-UBND` → quyết định), else công văn.
pub fn guess_kind(notation: &str, kinds: &[KindChoice]) -> Option<KindChoice> {
    let head = notation.split(['-', '/']).next().unwrap_or("").trim();
    let code = vanthu_core::model::Family::ALL
        .iter()
        .find_map(|f| {
            vanthu_core::ruleset::default_ruleset(*f).kinds.iter().find(|k| !head.is_empty() && k.abbreviation == head)
        })
        .map_or_else(|| "cong-van".to_owned(), |k| k.code.clone());
    kinds.iter().find(|k| k.code == code).cloned()
}

/// The form for a newly received document.
#[derive(Debug, Clone)]
pub struct Receive {
    /// Tác giả (cơ quan gửi).
    pub sender: String,
    /// Their number.
    pub number: String,
    /// Their symbol.
    pub notation: String,
    /// Ngày văn bản, as typed.
    pub date: String,
    /// Loại văn bản.
    pub kind: Option<KindChoice>,
    /// Whether the kind was chosen (else it follows the symbol).
    pub kind_chosen: bool,
    /// Độ khẩn.
    pub urgency: Level,
    /// Độ mật.
    pub secrecy: Level,
    /// Số tờ, as typed.
    pub pages: String,
    /// Cách nhận.
    pub via: Option<ReceivedVia>,
    /// Trích yếu.
    pub subject: String,
    /// What is wrong with the input, shown under the form.
    pub error: Option<String>,
    /// The kinds offered.
    kinds: Vec<KindChoice>,
}

impl Default for Receive {
    fn default() -> Self {
        let kinds = kinds();
        Receive {
            sender: String::new(),
            number: String::new(),
            notation: String::new(),
            date: String::new(),
            kind: guess_kind("", &kinds),
            kind_chosen: false,
            urgency: Level::Urgency(None),
            secrecy: Level::Secrecy(None),
            pages: String::new(),
            via: None,
            subject: String::new(),
            error: None,
            kinds,
        }
    }
}

/// The ids of the form's text fields (tests type into them).
pub mod ids {
    /// Tác giả.
    pub const SENDER: &str = "receive-sender";
    /// Số.
    pub const NUMBER: &str = "receive-number";
    /// Ký hiệu.
    pub const NOTATION: &str = "receive-notation";
    /// Ngày văn bản.
    pub const DATE: &str = "receive-date";
    /// Số tờ.
    pub const PAGES: &str = "receive-pages";
    /// Trích yếu.
    pub const SUBJECT: &str = "receive-subject";
}

impl Receive {
    /// The symbol changed: the kind follows it unless the user chose one.
    pub fn set_notation(&mut self, notation: String) {
        self.notation = notation;
        if !self.kind_chosen {
            self.kind = guess_kind(&self.notation, &self.kinds);
        }
    }

    /// The record to store, or what is wrong, in Vietnamese.
    pub fn record(&self, agency_id: i64, today: NaiveDate) -> Result<(NewIncoming, IncomingDetails), String> {
        let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let sender = opt(&self.sender).ok_or("Ghi tác giả: cơ quan, tổ chức gửi văn bản.")?;
        let date = match opt(&self.date) {
            None => None,
            Some(typed) => {
                let date = crate::gui::wording::read_date(&typed).map_err(|why| format!("Ngày văn bản: {why}"))?;
                if date > today {
                    return Err(format!(
                        "Ngày văn bản {} sau ngày đến {}: kiểm tra lại ngày ghi trên văn bản.",
                        date.format("%d/%m/%Y"),
                        today.format("%d/%m/%Y")
                    ));
                }
                Some(date)
            }
        };
        let pages = match opt(&self.pages) {
            None => None,
            Some(p) => match p.parse::<u32>() {
                Ok(n) if (1..=9999).contains(&n) => Some(n),
                _ => return Err("Số tờ là một số từ 1 đến 9999.".into()),
            },
        };
        let subject = opt(&self.subject).ok_or("Ghi trích yếu nội dung của văn bản.")?;
        let kind = self.kind.as_ref().map_or_else(|| "cong-van".to_owned(), |k| k.code.clone());
        let urgency = match self.urgency {
            Level::Urgency(u) => u,
            Level::Secrecy(_) => None,
        };
        let secrecy = match self.secrecy {
            Level::Secrecy(s) => s,
            Level::Urgency(_) => None,
        };
        let new = NewIncoming {
            agency_id,
            arrival_number: None,
            arrival_date: today,
            sender,
            number: opt(&self.number),
            notation: opt(&self.notation),
            date,
            kind,
            subject,
            urgency,
            state: IncomingState::Received,
            handler_id: None,
            lead_unit_id: None,
            deadline: None,
            source_key: None,
        };
        Ok((new, IncomingDetails { pages, secrecy, received_via: self.via }))
    }

    /// Draws the form.
    pub fn view(&self) -> Element<'_, Message> {
        let field =
            |label: &'static str, input: Element<'static, Message>, width: Length| -> Element<'static, Message> {
                column![text(label).size(12).color(theme::MUTED), input].spacing(2).width(width).into()
            };
        let input = |id: &'static str, value: &str, on: fn(String) -> Message| -> Element<'static, Message> {
            guard(text_input("", value).id(id).on_input(on).on_submit(Message::Receive).padding(6))
        };
        let first = row![
            field("Tác giả (cơ quan gửi) *", input(ids::SENDER, &self.sender, Message::Sender), Length::Fill),
            field("Số", input(ids::NUMBER, &self.number, Message::Number), Length::Fixed(90.0)),
            field("Ký hiệu", input(ids::NOTATION, &self.notation, Message::Notation), Length::Fixed(150.0)),
            field("Ngày văn bản (ngày/tháng/năm)", input(ids::DATE, &self.date, Message::Date), Length::Fixed(200.0)),
        ]
        .spacing(8);
        let second = row![
            field(
                "Loại văn bản",
                pick_list(self.kinds.clone(), self.kind.clone(), Message::Kind).width(Length::Fill).into(),
                Length::FillPortion(3)
            ),
            field(
                "Độ khẩn",
                pick_list(urgencies(), Some(self.urgency), Message::Level).width(Length::Fill).into(),
                Length::FillPortion(2)
            ),
            field(
                "Độ mật",
                pick_list(secrecies(), Some(self.secrecy), Message::Level).width(Length::Fill).into(),
                Length::FillPortion(2)
            ),
            field("Số tờ", input(ids::PAGES, &self.pages, Message::Pages), Length::Fixed(80.0)),
            field(
                "Cách nhận",
                pick_list(&ReceivedVia::ALL[..], self.via, Message::Via)
                    .placeholder("Chọn cách nhận")
                    .width(Length::Fill)
                    .into(),
                Length::FillPortion(2)
            ),
        ]
        .spacing(8);
        let third = row![
            field("Trích yếu nội dung *", input(ids::SUBJECT, &self.subject, Message::Subject), Length::Fill),
            column![text(" ").size(12), button(text("Tiếp nhận")).on_press(Message::Receive)].spacing(2),
        ]
        .spacing(8);
        // The error keeps a room of its own: the list below does not move when it comes.
        let form = column![
            text("Tiếp nhận văn bản đến").font(crate::gui::font::BOLD),
            first,
            second,
            third,
            text("* bắt buộc. Số đến được cấp khi vào sổ.").size(12).color(theme::MUTED),
            crate::gui::widget::slot::page_error(self.error.as_deref()),
        ]
        .spacing(6);
        container(form).padding(10).style(container::rounded_box).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_form_checks_each_field_in_vietnamese() {
        let today = day(2026, 12, 1);
        let mut r = Receive::default();
        assert_eq!(r.record(1, today).unwrap_err(), "Ghi tác giả: cơ quan, tổ chức gửi văn bản.");
        r.sender = "Sở Tài chính".into();
        assert_eq!(r.record(1, today).unwrap_err(), "Ghi trích yếu nội dung của văn bản.");
        r.subject = "V/v quyết toán ngân sách".into();
        r.date = "31/02/2026".into();
        assert_eq!(
            r.record(1, today).unwrap_err(),
            "Ngày văn bản: Ngày 31/02/2026 không có trong lịch: tháng 2 năm 2026 có 28 ngày."
        );
        r.date = "05/12/2026".into();
        assert!(r.record(1, today).unwrap_err().contains("sau ngày đến"));
        r.date = "28/11/2026".into();
        r.pages = "0".into();
        assert_eq!(r.record(1, today).unwrap_err(), "Số tờ là một số từ 1 đến 9999.");
        r.pages = "3".into();
        r.set_notation("QĐ-UBND".into());
        assert_eq!(r.kind.as_ref().map(|k| k.code.as_str()), Some("quyet-dinh"), "the kind follows the symbol");
        r.urgency = Level::Urgency(Some(Urgency::ThuongKhan));
        r.secrecy = Level::Secrecy(Some(Secrecy::Mat));
        r.via = Some(ReceivedVia::Paper);
        let (new, details) = r.record(7, today).unwrap();
        assert_eq!((new.agency_id, new.arrival_date, new.date), (7, today, Some(day(2026, 11, 28))));
        assert_eq!((new.kind.as_str(), new.urgency), ("quyet-dinh", Some(Urgency::ThuongKhan)));
        assert_eq!(
            details,
            IncomingDetails { pages: Some(3), secrecy: Some(Secrecy::Mat), received_via: Some(ReceivedVia::Paper) }
        );
        assert_eq!(Level::Urgency(Some(Urgency::ThuongKhan)).to_string(), "Thượng khẩn");
        assert_eq!(Level::Secrecy(None).to_string(), "Thường");
    }
}
