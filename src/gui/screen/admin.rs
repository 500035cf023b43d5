//! Quản trị (read-only for now): agencies, units, people with positions and roles,
//! the authority matrix, delegations with dates, the calendar's days off and the
//! rules in force with their legal references.

use chrono::Datelike;
use iced::widget::{button, column, row, scrollable, text};
use iced::{Element, Length};
use vanthu_core::model::Family;

use crate::gui::session::{Ctx, Go};
use crate::gui::{font, theme};

/// A tab of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Agencies and units.
    Agencies,
    /// People, positions, roles.
    People,
    /// Authority matrix and delegations.
    Authority,
    /// Calendar.
    Calendar,
    /// Rules.
    Rules,
}

impl Tab {
    const ALL: [Tab; 5] = [Tab::Agencies, Tab::People, Tab::Authority, Tab::Calendar, Tab::Rules];

    fn label(self) -> &'static str {
        match self {
            Tab::Agencies => "Cơ quan, đơn vị",
            Tab::People => "Người dùng, chức vụ",
            Tab::Authority => "Thẩm quyền ký, ủy quyền",
            Tab::Calendar => "Lịch làm việc",
            Tab::Rules => "Bộ quy tắc",
        }
    }
}

/// Page state: the lines of each tab, loaded once.
#[derive(Debug)]
pub struct State {
    tab: Tab,
    lines: Vec<(Tab, String, bool)>,
}

/// Messages of the page.
#[derive(Debug, Clone)]
pub enum Message {
    /// Switch tab.
    Tab(Tab),
}

impl State {
    /// Loads everything (read-only).
    pub fn new(ctx: &Ctx<'_>) -> Self {
        let mut lines = Vec::new();
        let mut push = |tab: Tab, text: String, heading: bool| lines.push((tab, text, heading));
        let store = &*ctx.store;
        let agencies = store.agencies().unwrap_or_default();
        let people = store.people().unwrap_or_default();
        let users = store.users().unwrap_or_default();
        for a in &agencies {
            let regime = if a.collective { "chế độ tập thể" } else { "chế độ thủ trưởng" };
            push(
                Tab::Agencies,
                format!("{} ({}) — {}, {}", a.short_name, a.abbreviation, a.family.label(), regime),
                true,
            );
            for u in store.units(a.id).unwrap_or_default() {
                push(Tab::Agencies, format!("    {} ({})", u.name, u.abbreviation), false);
            }
            let positions = store.positions(a.id).unwrap_or_default();
            push(Tab::People, a.short_name.clone(), true);
            for p in people.iter().filter(|p| p.agency_id == Some(a.id)) {
                let title = positions.iter().find(|x| Some(x.id) == p.position_id).map_or("", |x| x.title.as_str());
                let account = users.iter().find(|u| u.person_id == Some(p.id));
                let roles = account
                    .map(|u| {
                        let r: Vec<&str> = u.roles.iter().map(|r| r.label()).collect();
                        format!(" — {}: {}", u.username, r.join(", "))
                    })
                    .unwrap_or_default();
                push(Tab::People, format!("    {} — {title}{roles}", p.full_name), false);
            }
        }
        if let Some(office) = &ctx.setup.office {
            for a in &office.agencies {
                push(Tab::Authority, format!("{} {}", a.parent_name.as_deref().unwrap_or(""), a.name), true);
                for (title, kind) in &a.authority {
                    let kind = if kind == "*" {
                        "mọi loại văn bản"
                    } else {
                        vanthu_core::ruleset::kind_name(a.family.unwrap_or(Family::State), kind).unwrap_or(kind)
                    };
                    push(Tab::Authority, format!("    {title} ký: {kind}"), false);
                }
                for (d, name) in &a.delegations {
                    push(
                        Tab::Authority,
                        format!(
                            "    {} {name}: từ {} đến {} — {}",
                            d.kind.code(),
                            d.valid_from.format("%d/%m/%Y"),
                            d.valid_until.format("%d/%m/%Y"),
                            d.basis
                        ),
                        false,
                    );
                }
            }
        }
        let year = ctx.today().year();
        push(Tab::Calendar, format!("Ngày nghỉ năm {year}"), true);
        for (date, name) in ctx.setup.calendar.days_off(year) {
            push(Tab::Calendar, format!("    {}  {name}", date.format("%d/%m/%Y")), false);
        }
        for (family, ruleset) in &ctx.setup.rulesets {
            push(Tab::Rules, format!("{} — {} ({})", family.label(), ruleset.ruleset.title, ruleset.ruleset.id), true);
            for r in &ruleset.rules {
                let off = if r.enabled { "" } else { " [tắt]" };
                push(
                    Tab::Rules,
                    format!("    {} {} — {}{off} · {}", r.id, r.category.label(), r.title, r.reference),
                    false,
                );
            }
        }
        State { tab: Tab::Agencies, lines }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, _ctx: &mut Ctx<'_>) -> Go {
        let Message::Tab(tab) = message;
        self.tab = tab;
        Go::Stay
    }

    /// Number of lines of a tab (tests).
    #[cfg(test)]
    pub fn count(&self, tab: Tab) -> usize {
        self.lines.iter().filter(|(t, _, _)| *t == tab).count()
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let mut tabs = row![].spacing(6);
        for tab in Tab::ALL {
            let style = if tab == self.tab { button::primary } else { button::secondary };
            tabs = tabs.push(button(text(tab.label())).on_press(Message::Tab(tab)).style(style));
        }
        let mut list = column![].spacing(2);
        for (_, line, heading) in self.lines.iter().filter(|(t, _, _)| *t == self.tab) {
            list =
                list.push(if *heading { text(line.as_str()).font(font::BOLD) } else { text(line.as_str()).size(13) });
        }
        column![
            text("Quản trị").size(theme::TITLE).font(font::BOLD),
            text("Chỉ xem: thay đổi tổ chức, phân quyền và bộ quy tắc qua dòng lệnh (vanthu rules-override, calendar-override).")
                .color(theme::MUTED),
            tabs,
            scrollable(list).height(Length::Fill),
        ]
        .spacing(theme::GAP)
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::testing::Fixture;

    #[test]
    fn every_tab_has_content() {
        let mut f = Fixture::demo("admin");
        let ctx = f.ctx();
        let state = State::new(&ctx);
        for tab in Tab::ALL {
            assert!(state.count(tab) > 1, "{tab:?}");
        }
    }
}
