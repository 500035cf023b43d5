//! The administration tabs that tune the checks and the calendar: each rule is
//! turned on or off and given its level by a click, a day becomes a rest day or a
//! working day from a date field. The core turns each choice into the office's
//! override and records it in the audit log; the hand-written override (TOML) stays
//! behind "Điều chỉnh nâng cao" for the technical staff.

use chrono::{Datelike, NaiveDate};
use iced::widget::{button, checkbox, column, container, pick_list, row, text, text_editor, text_input};
use iced::{Element, Length};
use vanthu_core::model::Family;
use vanthu_core::overrides::DayChoice;
use vanthu_core::ruleset::{RuleDef, Severity};

use super::{Choice, Editor, Field, Message, State, Submit, coded};
use crate::gui::session::{Ctx, Go};
use crate::gui::{font, theme};

/// The levels an office may give a rule.
pub fn severities() -> Vec<Choice> {
    [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .map(|s| coded(severity_code(s), capitalised(s.label())))
        .collect()
}

fn severity_code(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The rules tab's records: the ruleset's title, then its rules as the office
/// applies them.
#[derive(Debug, Clone, Default)]
pub struct RulesView {
    /// "Nghị định 30/2020/NĐ-CP …, áp dụng từ 05/03/2020", or why it cannot be read.
    pub heading: String,
    /// The rules in force.
    pub rules: Vec<RuleDef>,
}

impl RulesView {
    /// The family's ruleset in force, read from the store.
    pub fn load(ctx: &Ctx<'_>, family: Family) -> Self {
        match ctx.store.effective_ruleset(family) {
            Ok(r) => {
                let since = r.params.effective_date().map(|d| format!(", áp dụng từ {}", d.format("%d/%m/%Y")));
                RulesView {
                    heading: format!("{} ({}){}", r.ruleset.title, r.ruleset.reference, since.unwrap_or_default()),
                    rules: r.rules.clone(),
                }
            }
            Err(e) => RulesView { heading: crate::gui::wording::explain(&e), rules: Vec::new() },
        }
    }
}

impl State {
    /// Turns a rule on or off, or changes its level, through the core.
    pub(super) fn choose_rule(
        &mut self,
        id: &str,
        enabled: Option<bool>,
        level: Option<&Choice>,
        ctx: &mut Ctx<'_>,
    ) -> Go {
        let Some(rule) = self.rules.rules.iter().find(|r| r.id == id).cloned() else { return Go::Stay };
        let enabled = enabled.unwrap_or(rule.enabled);
        let severity = match level.map(|c| c.code.as_str()) {
            Some("error") => Severity::Error,
            Some("warning") => Severity::Warning,
            Some("info") => Severity::Info,
            _ => rule.severity,
        };
        let result = ctx.store.set_rule_choice(ctx.actor, self.family, id, enabled, severity);
        let done = if enabled {
            format!("Quy tắc {id} được áp dụng, mức {}.", severity.label())
        } else {
            format!("Quy tắc {id} không còn được áp dụng.")
        };
        let go = self.outcome(result, done, &[], ctx, true);
        self.load_overrides(ctx);
        go
    }

    /// Makes the day typed in the calendar form a rest day, a working day or a
    /// day of the default calendar.
    pub(super) fn choose_day(&mut self, choice: DayChoice, ctx: &mut Ctx<'_>) -> Go {
        let typed = self.text(Field::CalendarDay).trim().to_owned();
        let Ok(date) = NaiveDate::parse_from_str(&typed, "%d/%m/%Y") else {
            let parts: Vec<&str> = typed.split('/').collect();
            let shaped =
                parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
            self.error = Some(if shaped {
                format!("Ngày {typed} không có trong lịch.")
            } else {
                format!("Ngày “{typed}” không đúng dạng ngày/tháng/năm, ví dụ 02/01/2027.")
            });
            return Go::Stay;
        };
        let result = ctx.store.set_calendar_day(ctx.actor, date, choice);
        let day = date.format("%d/%m/%Y");
        let done = match choice {
            DayChoice::RestDay => format!("Ngày {day} là ngày nghỉ của cơ quan."),
            DayChoice::WorkingDay => format!("Ngày {day} là ngày làm việc của cơ quan."),
            DayChoice::Default => format!("Ngày {day} theo lịch chung."),
        };
        self.year = date.year();
        let go = self.outcome(result, done, &[Field::CalendarDay], ctx, true);
        self.load_overrides(ctx);
        go
    }

    /// Makes Saturday a working day or not.
    pub(super) fn choose_saturday(&mut self, working: bool, ctx: &mut Ctx<'_>) -> Go {
        let result = ctx.store.set_saturday_working(ctx.actor, working);
        let done = if working { "Thứ Bảy là ngày làm việc." } else { "Thứ Bảy là ngày nghỉ." };
        let go = self.outcome(result, done.into(), &[], ctx, true);
        self.load_overrides(ctx);
        go
    }

    /// The hand-written override: hidden until asked for.
    fn advanced_form<'a>(
        &'a self,
        hint: &'a str,
        (content, editor): (&'a text_editor::Content, Editor),
        (save, submit, clear): (&'a str, Submit, Submit),
    ) -> Element<'a, Message> {
        let toggle = checkbox(self.advanced)
            .label("Điều chỉnh nâng cao (tệp cấu hình, dành cho cán bộ kỹ thuật)")
            .on_toggle(Message::Advanced)
            .size(16);
        if !self.advanced {
            return toggle.into();
        }
        let editor = text_editor(content)
            .on_action(move |a| Message::Edit(editor, a))
            .height(Length::Fixed(240.0))
            .font(iced::Font::MONOSPACE);
        let buttons = row![
            Self::button_for(save, submit),
            button(text("Bỏ mọi điều chỉnh")).on_press(Message::Submit(clear)).style(button::secondary),
        ]
        .spacing(8);
        let body = column![toggle, text(hint).size(12).color(theme::MUTED), editor, buttons].spacing(6);
        container(body).padding(10).style(container::rounded_box).width(Length::Fill).into()
    }

    pub(super) fn rules_tab(&self) -> (Element<'_, Message>, Element<'_, Message>) {
        let levels = severities();
        let mut list = column![text(self.rules.heading.as_str()).font(font::BOLD)].spacing(4);
        for rule in &self.rules.rules {
            let id = rule.id.clone();
            let level = levels.iter().find(|c| c.code == severity_code(rule.severity)).cloned();
            let on = {
                let id = id.clone();
                move |on| Message::RuleEnabled(id.clone(), on)
            };
            let line = row![
                checkbox(rule.enabled).on_toggle(on).size(16),
                column![
                    text(format!("{} — {}", rule.id, rule.title)).size(14),
                    text(format!("{} · {}", rule.category.label(), rule.reference)).size(12).color(theme::MUTED),
                ]
                .width(Length::Fill),
                pick_list(levels.clone(), level, move |c| Message::RuleLevel(id.clone(), c))
                    .width(Length::Fixed(130.0)),
            ]
            .spacing(8)
            .align_y(iced::Center);
            list = list.push(line);
        }
        let family = State::family_choices().into_iter().find(|c| c.code == self.family.code());
        let intro = "Bỏ dấu ở ô đầu dòng để cơ quan không áp dụng một quy tắc; chọn mức ở cuối dòng: \
                     Lỗi chặn bước tiếp theo, Cảnh báo và Thông tin chỉ nhắc. Mỗi thay đổi được ghi vào nhật ký.";
        let hint = "Ví dụ: [[rule]] id = \"TT-14\" severity = \"warning\". Các tham số của mục [params] \
                    được giải thích trong docs/rules.md.";
        let forms = column![
            column![
                text("Bộ quy tắc của cơ quan").font(font::BOLD),
                pick_list(State::family_choices(), family, |c| Message::Pick(super::Picker::Family, c)),
                text(intro).size(13),
            ]
            .spacing(6),
            self.advanced_form(
                hint,
                (&self.ruleset, Editor::Ruleset),
                ("Lưu bộ quy tắc", Submit::Ruleset, Submit::ClearRuleset),
            ),
        ]
        .spacing(12);
        (list.into(), forms.into())
    }

    pub(super) fn calendar_tab(&self) -> (Element<'_, Message>, Element<'_, Message>) {
        let mut list = column![
            row![
                button(text("‹")).on_press(Message::Year(-1)).style(button::secondary),
                text(format!("Ngày nghỉ năm {}", self.year)).font(font::BOLD),
                button(text("›")).on_press(Message::Year(1)).style(button::secondary),
            ]
            .spacing(8)
            .align_y(iced::Center)
        ]
        .spacing(2);
        let weekday = |date: &NaiveDate| {
            ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
                [date.weekday().num_days_from_monday() as usize]
        };
        for (date, name) in &self.days_off {
            list = list.push(text(format!("    {} {}  {name}", weekday(date), date.format("%d/%m/%Y"))).size(13));
        }
        if !self.working_days.is_empty() {
            list = list.push(text(format!("Ngày làm bù năm {}", self.year)).font(font::BOLD));
            for date in &self.working_days {
                list = list.push(text(format!("    {} {}", weekday(date), date.format("%d/%m/%Y"))).size(13));
            }
        }
        let day = text_input("ngày/tháng/năm", self.text(Field::CalendarDay))
            .on_input(|v| Message::Text(Field::CalendarDay, v))
            .width(Length::Fixed(160.0));
        let day_form = column![
            text("Một ngày theo quyết định của cấp có thẩm quyền").font(font::BOLD),
            row![text("Ngày"), day].spacing(8).align_y(iced::Center),
            row![
                Self::button_for("Là ngày nghỉ", Submit::RestDay),
                Self::button_for("Là ngày làm bù", Submit::WorkingDay),
                button(text("Theo lịch chung")).on_press(Message::Submit(Submit::DefaultDay)).style(button::secondary),
            ]
            .spacing(8),
            checkbox(self.saturday_working).label("Thứ Bảy là ngày làm việc").on_toggle(Message::Saturday).size(16),
        ]
        .spacing(8);
        let hint = "[[solar]] thêm ngày nghỉ dương lịch hằng năm; [[year]] thay lịch nghỉ Tết, ngày làm bù của \
                    một năm; [week] ngày làm việc trong tuần. Xem docs/rules.md.";
        let forms = column![
            container(day_form).padding(10).style(container::rounded_box).width(Length::Fill),
            self.advanced_form(
                hint,
                (&self.calendar, Editor::Calendar),
                ("Lưu lịch", Submit::Calendar, Submit::ClearCalendar)
            ),
        ]
        .spacing(12);
        (list.into(), forms.into())
    }
}
