//! Việc của tôi: the user's tasks grouped overdue / due today / upcoming with the
//! due date in working days, counts per state, and charts per state and per month.

use chrono::{Datelike, NaiveDate};
use iced::widget::{button, column, container, row, scrollable, text, text_input};
use iced::{Element, Length};
use vanthu_core::calendar::WorkCalendar;
use vanthu_core::model::OutgoingState;
use vanthu_core::store::{DueStatus, Task};

use crate::gui::session::{Ctx, Go};
use crate::gui::widget::chart::BarChart;
use crate::gui::{font, theme};

/// Page state.
#[derive(Debug)]
pub struct State {
    name: String,
    tasks: Vec<(Task, i64)>,
    counts: Vec<(OutgoingState, i64)>,
    months: [i64; 12],
    year: i32,
    filter: String,
    error: Option<String>,
}

/// Messages of the dashboard.
#[derive(Debug, Clone)]
pub enum Message {
    /// Open a task.
    Open(usize),
    /// Reload.
    Refresh,
    /// The filter box over the tasks.
    Filter(String),
}

/// The task filter box's id.
pub const FILTER_ID: &str = "task-filter";

/// Whether a task matches the filter: every word, diacritics folded (đ → d), in its
/// title, action or kind.
pub fn task_matches(task: &Task, filter: &str) -> bool {
    let fold = vanthu_core::text::fold;
    let kind = if task.subject == "incoming" { "văn bản đến" } else { "văn bản đi" };
    let haystack = fold(&format!("{} {} {kind} {}", task.title, task.action, task.id));
    fold(filter).split_whitespace().all(|w| haystack.contains(w))
}

/// Signed working days from `today` to `due` (negative when overdue).
pub fn working_days_between(calendar: &WorkCalendar, today: NaiveDate, due: NaiveDate) -> i64 {
    let (from, to, sign) = if due >= today { (today, due, 1) } else { (due, today, -1) };
    let mut n = 0;
    let mut d = from;
    while d < to {
        d = d.succ_opt().unwrap_or(d);
        if calendar.is_working_day(d) {
            n += 1;
        }
        if n > 3660 {
            break;
        }
    }
    n * sign
}

impl State {
    /// The error shown on the page, if any (the shell shows no toast repeating it).
    pub fn shown_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Loads the page.
    pub fn new(ctx: &Ctx<'_>) -> Self {
        let today = ctx.today();
        let mut state = State {
            name: ctx.actor.user().full_name.clone(),
            tasks: Vec::new(),
            counts: Vec::new(),
            months: [0; 12],
            year: today.year(),
            filter: String::new(),
            error: None,
        };
        let loaded = ctx.store.tasks(ctx.actor, today, &ctx.setup.calendar).and_then(|tasks| {
            Ok((
                tasks,
                ctx.store.count_documents_by_state_for(ctx.actor)?,
                ctx.store.count_documents_by_month_for(ctx.actor, today.year())?,
            ))
        });
        match loaded {
            Ok((tasks, counts, months)) => {
                state.tasks = tasks
                    .into_iter()
                    .map(|t| {
                        let days = working_days_between(&ctx.setup.calendar, today, t.due);
                        (t, days)
                    })
                    .collect();
                state.counts = counts;
                state.months = months;
            }
            Err(e) => {
                eprintln!("vanthu: dashboard: {e}");
                state.error = Some(e.to_string());
            }
        }
        state
    }

    /// The tasks listed: (trích yếu, what to do, due date) (tests).
    #[cfg(test)]
    pub fn task_lines(&self) -> Vec<(&str, &str, NaiveDate)> {
        self.tasks.iter().map(|(t, _)| (t.title.as_str(), t.action.as_str(), t.due)).collect()
    }

    /// The tasks with a status (tests).
    #[cfg(test)]
    pub fn tasks_in(&self, status: DueStatus) -> usize {
        self.tasks.iter().filter(|(t, _)| t.status == status).count()
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, ctx: &mut Ctx<'_>) -> Go {
        match message {
            Message::Refresh => {
                let filter = std::mem::take(&mut self.filter);
                *self = State::new(ctx);
                self.filter = filter;
                Go::Stay
            }
            Message::Filter(v) => {
                self.filter = vanthu_core::text::nfc(&v);
                Go::Stay
            }
            Message::Open(i) => match self.tasks.get(i) {
                Some((t, _)) if t.subject == "incoming" => Go::Incoming(t.id),
                Some((t, _)) => Go::Document(t.id),
                None => Go::Stay,
            },
        }
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let header = row![
            column![
                text("Việc của tôi").size(theme::TITLE).font(font::BOLD),
                text(format!("Xin chào, {}", self.name)).color(theme::MUTED)
            ]
            .width(Length::Fill),
            button(text("Làm mới")).on_press(Message::Refresh).style(button::secondary),
        ];
        let mut tasks = column![].spacing(10);
        for (status, title) in
            [(DueStatus::Overdue, "Quá hạn"), (DueStatus::DueToday, "Đến hạn hôm nay"), (DueStatus::OnTime, "Sắp tới")]
        {
            let items: Vec<(usize, &(Task, i64))> = self
                .tasks
                .iter()
                .enumerate()
                .filter(|(_, (t, _))| t.status == status && task_matches(t, &self.filter))
                .collect();
            let colour = match status {
                DueStatus::Overdue => theme::ERROR,
                DueStatus::DueToday => theme::WARNING,
                DueStatus::OnTime => theme::TEXT,
            };
            let mut group =
                column![text(format!("{title} ({})", items.len())).size(theme::HEADING).font(font::BOLD).color(colour)]
                    .spacing(4);
            if items.is_empty() {
                group = group.push(text("Không có việc.").color(theme::MUTED));
            }
            for (i, (task, days)) in items {
                group = group.push(task_line(i, task, *days));
            }
            tasks = tasks.push(group);
        }
        if let Some(error) = &self.error {
            tasks = tasks.push(text(crate::gui::session::sentence(error)).color(theme::ERROR));
        }

        let mut counts = row![].spacing(8);
        for (state, n) in &self.counts {
            counts = counts.push(
                container(
                    column![text(n.to_string()).size(theme::HEADING).font(font::BOLD), text(state.label()).size(11)]
                        .align_x(iced::Center),
                )
                .padding(6)
                .width(Length::Fill)
                .style(container::rounded_box),
            );
        }
        let by_state = BarChart {
            bars: self.counts.iter().map(|(s, n)| (s.label().to_owned(), *n)).collect(),
            colour: theme::ACCENT,
        };
        let by_month = BarChart {
            bars: self.months.iter().enumerate().map(|(m, n)| (format!("T{}", m + 1), *n)).collect(),
            colour: theme::OK,
        };
        let charts = row![
            column![text("Văn bản đi theo trạng thái").font(font::BOLD), by_state.view(140.0)]
                .spacing(4)
                .width(Length::FillPortion(3)),
            column![text(format!("Văn bản theo tháng, năm {}", self.year)).font(font::BOLD), by_month.view(140.0)]
                .spacing(4)
                .width(Length::FillPortion(2)),
        ]
        .spacing(16);
        column![
            header,
            text("Số văn bản đi theo trạng thái").font(font::BOLD),
            counts,
            charts,
            crate::gui::widget::ime_guard::guard(
                text_input("Lọc việc theo trích yếu, loại việc (gõ không dấu cũng được)", &self.filter)
                    .id(FILTER_ID)
                    .on_input(Message::Filter)
                    .padding(6)
            ),
            scrollable(tasks).height(Length::Fill)
        ]
        .spacing(theme::GAP)
        .into()
    }
}

fn task_line(index: usize, task: &Task, days: i64) -> Element<'_, Message> {
    let due = match days {
        0 => "hôm nay".to_owned(),
        d if d < 0 => format!("quá {} ngày làm việc", -d),
        d => format!("còn {d} ngày làm việc"),
    };
    let kind = if task.subject == "incoming" { "Văn bản đến" } else { "Văn bản đi" };
    let urgent = if task.urgent { " · KHẨN" } else { "" };
    button(
        row![
            column![
                text(format!("Hạn {}", task.due.format("%d/%m/%Y"))).font(font::BOLD),
                text(due).size(12).color(theme::MUTED)
            ]
            .width(Length::Fixed(170.0)),
            column![
                text(task.title.as_str()),
                text(format!(
                    "{kind} {} · {}{urgent}",
                    task.reference.clone().unwrap_or_else(|| format!("#{}", task.id)),
                    task.action
                ))
                .size(12)
                .color(theme::MUTED)
            ]
            .width(Length::Fill),
        ]
        .spacing(8),
    )
    .on_press(Message::Open(index))
    .style(button::text)
    .width(Length::Fill)
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::testing::Fixture;

    #[test]
    fn tasks_are_grouped_and_counted() {
        let mut f = Fixture::demo("lythihongnhung");
        let ctx = f.ctx();
        let state = State::new(&ctx);
        assert!(state.error.is_none(), "{:?}", state.error);
        assert!(!state.tasks.is_empty(), "the văn thư has work in the demo");
        assert_eq!(state.counts.len(), OutgoingState::ALL.len());
        assert!(state.months.iter().sum::<i64>() > 0);
        let total: usize =
            [DueStatus::Overdue, DueStatus::DueToday, DueStatus::OnTime].into_iter().map(|s| state.tasks_in(s)).sum();
        assert_eq!(total, state.tasks.len());
    }

    #[test]
    fn status_cards_stand_in_one_order_for_every_role() {
        let mut f = Fixture::demo("admin");
        for user in ["lythihongnhung", "phamvanthang", "buivantoan", "doquanghuy", "admin"] {
            f.login(user);
            let state = State::new(&f.ctx());
            let order: Vec<OutgoingState> = state.counts.iter().map(|(s, _)| *s).collect();
            assert_eq!(order, OutgoingState::ALL, "{user}");
        }
    }

    #[test]
    fn working_days_skip_weekends() {
        let cal = WorkCalendar::default_vietnam();
        let fri = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let mon = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(working_days_between(&cal, fri, mon), 1);
        assert_eq!(working_days_between(&cal, mon, fri), -1);
        assert_eq!(working_days_between(&cal, fri, fri), 0);
    }
}
