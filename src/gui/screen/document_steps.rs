//! Steps that cannot be undone ask first: Cấp số (with the issue date, today by
//! default, a rest day named), Phát hành, Lập hồ sơ (which dossier, among those the
//! user may file into) and Thu hồi open a dialog that names the document and the
//! effect. The confirm button sits at the dialog's right, away from the page's step
//! buttons, so a double click never takes two steps.

use chrono::NaiveDate;
use iced::widget::{button, column, container, row, text, text_input};
use iced::{Element, Length};
use vanthu_core::model::Dossier;
use vanthu_core::workflow::Action;

use crate::gui::session::Ctx;
use crate::gui::{font, theme};

/// A dossier the document may be filed into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierChoice {
    /// Its id.
    pub id: i64,
    /// `2026 · 01.TH — Hồ sơ …`.
    pub label: String,
}

impl std::fmt::Display for DossierChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// The open step dialog.
#[derive(Debug, Clone)]
pub struct StepDialog {
    /// The step.
    pub action: Action,
    /// Cấp số: the issue date as typed.
    pub date: String,
    /// Today, when the dialog opened.
    today: NaiveDate,
    /// Lập hồ sơ: the dossiers offered, and the one chosen.
    pub dossiers: Vec<DossierChoice>,
    /// The chosen dossier.
    pub dossier: Option<DossierChoice>,
    /// Why the step was refused (shown in the dialog).
    pub error: Option<String>,
    /// What the date field says about the date: (blocks the step, text).
    note: Option<(bool, String)>,
}

/// Messages of the step dialog.
#[derive(Debug, Clone)]
pub enum StepMessage {
    /// The issue date was typed.
    Date(String),
    /// A dossier was chosen.
    Dossier(DossierChoice),
    /// Take the step.
    Confirm,
}

/// Whether `action` asks first.
pub fn asks_first(action: Action) -> bool {
    matches!(action, Action::Number | Action::Issue | Action::File | Action::Recall)
}

/// `29/11/2026` or `2026-11-29`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%d/%m/%Y").or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d")).ok()
}

impl StepDialog {
    /// The dialog for `action` on document `id`.
    pub fn open(action: Action, id: i64, ctx: &Ctx<'_>) -> Self {
        let today = ctx.today();
        let dossiers: Vec<DossierChoice> = if action == Action::File {
            ctx.store
                .dossiers_to_file(ctx.actor, id)
                .unwrap_or_default()
                .into_iter()
                .map(|d: Dossier| DossierChoice {
                    id: d.id, label: format!("{} · {} — {}", d.year, d.code, d.title)
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut dialog = StepDialog {
            action,
            date: today.format("%d/%m/%Y").to_string(),
            today,
            // Chosen by the văn thư, never by default: one click must not file a
            // document in the first dossier of the list (the only one is taken).
            dossier: if dossiers.len() == 1 { dossiers.first().cloned() } else { None },
            dossiers,
            error: None,
            note: None,
        };
        dialog.set_date(dialog.date.clone(), &ctx.setup.calendar);
        dialog
    }

    /// The date typed, and what it means.
    pub fn set_date(&mut self, date: String, calendar: &vanthu_core::calendar::WorkCalendar) {
        self.date = date;
        self.error = None;
        self.note = if self.action == Action::Number { self.date_note(calendar) } else { None };
    }

    /// What the date field says about the date: a rest day, the future, a typo.
    fn date_note(&self, calendar: &vanthu_core::calendar::WorkCalendar) -> Option<(bool, String)> {
        let date = match crate::gui::wording::read_date(&self.date) {
            Ok(date) => date,
            Err(why) => return Some((true, why)),
        };
        if date > self.today {
            return Some((true, "Không cấp số cho một ngày chưa đến.".into()));
        }
        calendar
            .rest_day_name(date)
            .map(|name| (false, format!("Ngày {} là ngày nghỉ: {name}.", date.format("%d/%m/%Y"))))
    }

    /// Draws the dialog: `title` names the document.
    pub fn view<'a, M: Clone + 'a>(
        &'a self,
        title: String,
        on: impl Fn(StepMessage) -> M + Clone + 'a,
        close: M,
    ) -> Element<'a, M> {
        let (heading, effect, confirm) = match self.action {
            Action::Number => (
                "Cấp số văn bản",
                "Văn bản nhận số tiếp theo của sổ văn bản đi và ngày ban hành dưới đây. \
                 Số và ngày đã cấp không thay đổi được.",
                "Xác nhận cấp số",
            ),
            Action::Issue => (
                "Phát hành văn bản",
                "Văn bản được gửi tới các nơi nhận và ghi vào sổ. Văn bản đã phát hành chỉ có thể thu hồi, \
                 không sửa được.",
                "Xác nhận phát hành",
            ),
            Action::File => {
                ("Lập hồ sơ", "Văn bản được đưa vào hồ sơ đã chọn; mỗi văn bản chỉ thuộc một hồ sơ.", "Đưa vào hồ sơ")
            }
            _ => (
                "Thu hồi văn bản",
                "Văn bản đã phát hành bị thu hồi; việc thu hồi được ghi vào nhật ký và không hoàn tác được.",
                "Xác nhận thu hồi",
            ),
        };
        let mut dialog =
            column![text(heading).size(theme::HEADING).font(font::BOLD), text(title).font(font::BOLD), text(effect),]
                .spacing(8);
        let mut ready = true;
        if self.action == Action::Number {
            let on_date = on.clone();
            dialog = dialog.push(text("Ngày ban hành (ngày/tháng/năm)").size(13)).push(
                text_input("", &self.date)
                    .id(iced::widget::Id::new("issue-date"))
                    .on_input(move |d| on_date(StepMessage::Date(d)))
                    .padding(6)
                    .width(Length::Fixed(180.0)),
            );
            if let Some((blocking, _)) = &self.note {
                ready = !blocking;
            }
        }
        if self.action == Action::File {
            if self.dossiers.is_empty() {
                ready = false;
                dialog = dialog.push(
                    text("Không có hồ sơ đang mở nào bạn được đưa văn bản này vào. Hãy mở hồ sơ trong Hồ sơ, lưu trữ.")
                        .color(theme::ERROR),
                );
            } else {
                ready &= self.dossier.is_some();
                let on_dossier = on.clone();
                dialog = dialog.push(text("Hồ sơ").size(13)).push(crate::gui::widget::choice::fitted_pick_list_fill(
                    &self.dossiers,
                    self.dossier.as_ref(),
                    620.0,
                    "Chọn hồ sơ",
                    move |d| on_dossier(StepMessage::Dossier(d)),
                ));
            }
        }
        // The note under the date and the error keep their room: the buttons below
        // never move while the date is typed or when a step is refused.
        let mut lines: Vec<(String, iced::Color)> = Vec::new();
        if let Some((blocking, note)) = &self.note {
            lines.push((note.clone(), if *blocking { theme::ERROR } else { theme::WARNING }));
        }
        if let Some(e) = &self.error {
            lines.push((crate::gui::session::sentence(e), theme::ERROR));
        }
        dialog = dialog.push(crate::gui::widget::slot::messages(lines, 3));
        dialog = dialog.push(
            row![
                button(text("Hủy")).on_press(close).style(button::secondary),
                iced::widget::space().width(Length::Fill),
                button(text(confirm)).on_press_maybe(ready.then(|| on(StepMessage::Confirm))),
            ]
            .spacing(8),
        );
        container(dialog).padding(20).width(660).style(container::bordered_box).into()
    }
}

/// To whom a step sends the document: `Trình ông/bà …, Trưởng phòng … duyệt nội
/// dung.`; several people: each of them; nobody: what is missing.
pub fn recipients_line(action: Action, takers: &[vanthu_core::store::PersonLine]) -> String {
    let (verb, next) = match action {
        Action::Submit => ("Trình", "duyệt nội dung"),
        Action::Approve => ("Chuyển", "kiểm tra thể thức"),
        _ => ("Trình", "ký"),
    };
    match takers {
        [] => format!("Chưa có ai được {next} văn bản này; hãy báo quản trị viên kiểm tra người có thẩm quyền."),
        [one] => format!("{verb} {} {next}.", one.addressed()),
        many => format!(
            "{verb} {next}; một trong những người được {next}: {}.",
            many.iter().map(|t| t.addressed()).collect::<Vec<_>>().join("; ")
        ),
    }
}

/// The document as the office names it: its kind and number, or its kind and
/// trích yếu before numbering (never the record id).
pub fn office_name(stored: &vanthu_core::store::StoredDocument) -> String {
    let d = &stored.document;
    let kind = vanthu_core::ruleset::kind_name(d.family, d.kind.as_str()).unwrap_or(d.kind.as_str()).to_lowercase();
    match (d.number_notation(), d.subject.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
        (Some(n), _) => format!("{kind} số {n}"),
        (None, Some(subject)) if subject.chars().count() > 60 => {
            format!("{kind} «{}…»", subject.chars().take(60).collect::<String>())
        }
        (None, Some(subject)) => format!("{kind} «{subject}»"),
        (None, None) => kind,
    }
}

/// A step dialog's title: the kind, the number (or where the document stands
/// without one) and the trích yếu.
pub fn dialog_title(stored: &vanthu_core::store::StoredDocument) -> String {
    let d = &stored.document;
    let kind = vanthu_core::ruleset::kind_name(d.family, d.kind.as_str()).unwrap_or(d.kind.as_str());
    let number = match d.number_notation() {
        Some(n) => format!("số {n}"),
        None if stored.state == vanthu_core::model::OutgoingState::Signed => "(chưa cấp số)".to_owned(),
        None => "(dự thảo)".to_owned(),
    };
    let subject = d.subject.as_deref().filter(|s| !s.trim().is_empty()).unwrap_or("(chưa có trích yếu)");
    format!("{kind} {number}: {subject}")
}

/// Whether `action` takes an opinion written on the page (Trình, Duyệt, Ký, Trả
/// lại, Thu hồi); Cấp số, Phát hành and Lập hồ sơ are the văn thư's registry work
/// and take none.
pub fn takes_opinion(action: Action) -> bool {
    !matches!(action, Action::Number | Action::Issue | Action::File)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_offices_write_them() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(parse_date("29/11/2026"), Some(d));
        assert_eq!(parse_date(" 2026-11-29 "), Some(d));
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("hôm nay"), None);
    }
}

#[cfg(test)]
mod filing_tests {
    use super::*;
    use crate::gui::testing::Fixture;
    use vanthu_core::model::OutgoingState;

    /// Lập hồ sơ never files into the first dossier of the list by default: with
    /// several open dossiers nothing is chosen and the confirm button waits.
    #[test]
    fn lap_ho_so_asks_which_dossier_when_there_are_several() {
        let mut f = Fixture::demo("lythihongnhung");
        let id = f.document_in(OutgoingState::Issued);
        let ctx = f.ctx();
        let dialog = StepDialog::open(Action::File, id, &ctx);
        assert!(dialog.dossiers.len() > 1, "the demo offers several: {:?}", dialog.dossiers);
        assert!(dialog.dossier.is_none(), "none chosen by default");
    }
}
