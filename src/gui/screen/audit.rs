//! Nhật ký: the audit log of the whole database or of one document, with the
//! hash-chain verification run off the UI thread.

use iced::widget::{button, column, row, scrollable, text, text_input};
use iced::{Element, Length};
use vanthu_core::store::{AuditEvent, OfficeNumbers, matches_filter};

use crate::gui::job::Job;
use crate::gui::session::{Ctx, Go};
use crate::gui::{font, theme};

/// Verification status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chain {
    /// Not run yet.
    Unknown,
    /// Running.
    Running,
    /// Everything verifies.
    Sound,
    /// Broken at a place.
    Broken(String),
    /// Verification failed to run.
    Failed(String),
}

/// Page state.
#[derive(Debug)]
pub struct State {
    events: Vec<AuditEvent>,
    /// Full names by user name.
    names: std::collections::HashMap<String, String>,
    /// The office numbers of documents, letters and dossiers (no record ids shown).
    numbers: OfficeNumbers,
    /// The one document whose history is shown, if any.
    document: Option<i64>,
    filter: String,
    chain: Chain,
    error: Option<String>,
}

/// Messages of the page.
#[derive(Debug, Clone)]
pub enum Message {
    /// Filter the rows by words (office number, person, action; diacritics folded).
    Filter(String),
    /// Verify the chain.
    Verify,
}

impl State {
    /// The error shown on the page, if any (the shell shows no toast repeating it).
    pub fn shown_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Loads the log (of one document when given).
    pub fn new(ctx: &Ctx<'_>, document: Option<i64>) -> Self {
        let mut state = State {
            events: Vec::new(),
            names: crate::gui::session::full_names(ctx.store),
            numbers: ctx.store.office_numbers(ctx.actor).unwrap_or_default(),
            document,
            filter: String::new(),
            chain: Chain::Unknown,
            error: None,
        };
        state.load(ctx);
        state
    }

    fn load(&mut self, ctx: &Ctx<'_>) {
        let subject = self.document.map(|id| ("document", id));
        match ctx.store.audit_events_for(ctx.actor, subject) {
            Ok(mut events) => {
                events.reverse();
                self.events = events;
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// The verification status (tests).
    #[cfg(test)]
    pub fn chain(&self) -> &Chain {
        &self.chain
    }

    /// Receives the verification result.
    pub fn verified(&mut self, result: Result<Option<String>, String>) -> Go {
        self.chain = match result {
            Ok(None) => Chain::Sound,
            Ok(Some(at)) => Chain::Broken(at),
            Err(e) => Chain::Failed(e),
        };
        Go::Stay
    }

    /// What a row is about, by the office's number: "Văn bản đi · 2542/UBND-KT",
    /// "Văn bản đến · số đến 9 (45/SXD-QLXD)", "Văn bản đi · Dự thảo «…»".
    fn subject(&self, e: &AuditEvent) -> String {
        use crate::gui::session::subject_name;
        let name = subject_name(&e.subject);
        match e.subject_id.and_then(|id| self.numbers.subject(&e.subject, id)) {
            Some(number) => format!("{name} {number}"),
            None => name.to_owned(),
        }
    }

    /// The rows shown: one per action, those with every word of the filter in their
    /// text (office number, person, action, comment).
    fn shown(&self) -> Vec<&AuditEvent> {
        one_row_per_action(&self.events)
            .into_iter()
            .filter(|e| {
                self.filter.trim().is_empty() || {
                    let line = format!(
                        "{} {} {} {}",
                        self.subject(e),
                        actor_line(&self.names, e),
                        crate::gui::session::action_label(&e.action),
                        e.comment.as_deref().map(|c| self.numbers.rewrite(c)).unwrap_or_default()
                    );
                    matches_filter(&line, &self.filter)
                }
            })
            .collect()
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, _ctx: &mut Ctx<'_>) -> Go {
        match message {
            Message::Filter(f) => {
                self.filter = vanthu_core::text::nfc(&f);
                Go::Stay
            }
            Message::Verify => {
                self.chain = Chain::Running;
                Go::Run(Job::Verify)
            }
        }
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let status = match &self.chain {
            Chain::Unknown => text("Chưa kiểm tra chuỗi nhật ký.").color(theme::MUTED),
            Chain::Running => text("Đang kiểm tra…").color(theme::MUTED),
            Chain::Sound => text("Toàn vẹn: chuỗi băm, nội dung và chữ ký đều khớp.").color(theme::OK),
            Chain::Broken(at) => text(format!("Bị hỏng tại {at}.")).color(theme::ERROR),
            Chain::Failed(e) => text(format!("Không kiểm tra được: {e}")).color(theme::ERROR),
        };
        let verify =
            button(text("Kiểm tra toàn vẹn")).on_press_maybe((self.chain != Chain::Running).then_some(Message::Verify));
        // Room on the right for the scroll bar: the fingerprint is not hidden under it.
        let mut list = column![].spacing(3).padding(iced::Padding { right: 16.0, ..iced::Padding::ZERO });
        let shown = self.shown();
        for &e in &shown {
            use crate::gui::session::state_name;
            let subject = self.subject(e);
            let label = |code: &str| state_name(&e.subject, code);
            let change = match (&e.state_before, &e.state_after) {
                (Some(a), Some(b)) if a != b => format!("{} → {}", label(a), label(b)),
                (None, Some(b)) => format!("→ {}", label(b)),
                _ => String::new(),
            };
            list = list.push(
                row![
                    text(format!("{}", e.id)).width(Length::Fixed(50.0)).color(theme::MUTED),
                    text(when(&e.at)).width(Length::Fixed(140.0)),
                    text(actor_line(&self.names, e)).width(Length::Fixed(220.0)),
                    text(format!("{} · {subject}", crate::gui::session::action_label(&e.action)))
                        .width(Length::Fixed(230.0)),
                    text(change).width(Length::Fill),
                    fingerprint(&e.hash),
                ]
                .spacing(8),
            );
            if let Some(c) = &e.comment {
                let c = self.numbers.rewrite(c);
                list = list.push(
                    text(format!("      {}", crate::gui::wording::short_hashes(&c))).size(12).color(theme::MUTED),
                );
            }
        }
        let mut page = column![
            text("Nhật ký hệ thống").size(theme::TITLE).font(font::BOLD),
            row![status.width(Length::Fill), verify].spacing(8).align_y(iced::Center),
            row![
                text_input("Lọc theo số văn bản, người, việc (gõ không dấu cũng được)", &self.filter)
                    .id("audit-filter")
                    .on_input(Message::Filter)
                    .width(Length::Fill)
                    .padding(6),
                text(format!("{} sự kiện, mới nhất trước", shown.len())).color(theme::MUTED),
            ]
            .spacing(8)
            .align_y(iced::Center),
        ]
        .spacing(theme::GAP);
        page = page.push(crate::gui::widget::slot::page_error(self.error.as_deref()));
        page.push(headings()).push(iced::widget::rule::horizontal(1)).push(scrollable(list).height(Length::Fill)).into()
    }
}

/// An audit time as people write it: `29/11/2026 14:02` (local time).
pub fn when(at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => t.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M").to_string(),
        Err(_) => match (at.get(..4), at.get(5..7), at.get(8..10), at.get(11..16)) {
            (Some(y), Some(m), Some(d), Some(hm)) => format!("{d}/{m}/{y} {hm}"),
            _ => at.to_owned(),
        },
    }
}

/// Who acted: the person's full name and the role they acted in; the system's own
/// events (the demo office's loading, upgrades) say "Hệ thống".
pub fn actor_line(names: &std::collections::HashMap<String, String>, e: &AuditEvent) -> String {
    use crate::gui::session::{person, role_name};
    if e.role == "system" || e.role.is_empty() {
        return match (names.get(&e.username), e.username.as_str()) {
            (Some(full), _) => format!("{full} (hệ thống)"),
            (None, "demo") => "Hệ thống (dữ liệu mẫu)".to_owned(),
            _ => "Hệ thống".to_owned(),
        };
    }
    format!("{} ({})", person(names, &e.username), role_name(&e.role))
}

/// The event's hash as a short fingerprint; the whole hash shows on hover.
/// The column headings, at the widths of the rows below (like the other tables).
fn headings<'a>() -> Element<'a, Message> {
    let head = |title: &'a str| text(title).font(font::BOLD).size(13);
    row![
        head("Số").width(Length::Fixed(50.0)),
        head("Thời gian").width(Length::Fixed(140.0)),
        head("Người thực hiện").width(Length::Fixed(220.0)),
        head("Thao tác · đối tượng").width(Length::Fixed(230.0)),
        head("Trạng thái").width(Length::Fill),
        head("Mã băm").width(Length::Fixed(66.0)),
    ]
    .spacing(8)
    .padding(iced::Padding { right: 16.0, ..iced::Padding::ZERO })
    .into()
}

fn fingerprint(hash: &str) -> Element<'_, Message> {
    let short =
        text(format!("{}…", hash.get(..8).unwrap_or(hash))).size(12).color(theme::MUTED).font(iced::Font::MONOSPACE);
    iced::widget::tooltip(
        short,
        iced::widget::container(text(format!("Mã băm SHA-256 của sự kiện: {hash}")).size(12))
            .padding(6)
            .style(iced::widget::container::bordered_box),
        iced::widget::tooltip::Position::Left,
    )
    .into()
}

/// One row per action: filing a document writes two events in one transaction (the
/// document "filed into dossier X", then the dossier "took document Y"); the
/// dossier's echo is left out when its document's event stands next to it.
/// `events` are newest first.
pub fn one_row_per_action(events: &[AuditEvent]) -> Vec<&AuditEvent> {
    events
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            let echo = e.subject == "dossier" && e.action == "add";
            let partner = events.get(i + 1).filter(|p| {
                p.id + 1 == e.id
                    && p.username == e.username
                    && matches!(p.action.as_str(), "file" | "add-to-dossier")
                    && e.subject_id
                        .is_some_and(|d| p.comment.as_deref().is_some_and(|c| c.ends_with(&format!("(#{d})"))))
            });
            !(echo && partner.is_some())
        })
        .map(|(_, e)| e)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::testing::Fixture;

    #[test]
    fn audit_rows_name_people_dates_and_show_one_row_per_filing() {
        let mut f = Fixture::demo("lythihongnhung");
        let ctx = f.ctx();
        let state = State::new(&ctx, None);
        let rows = one_row_per_action(&state.events);
        // Every filing shows once: no dossier echo next to its document's event.
        for pair in rows.windows(2) {
            let (newer, older) = (pair[0], pair[1]);
            assert!(
                !(newer.action == "add"
                    && matches!(older.action.as_str(), "file" | "add-to-dossier")
                    && newer.id == older.id + 1),
                "echo kept: {newer:?}"
            );
        }
        let filings = state.events.iter().filter(|e| matches!(e.action.as_str(), "file" | "add-to-dossier")).count();
        assert!(filings > 0, "the demo files documents");
        assert!(rows.len() < state.events.len(), "the dossier echoes of filings are left out");
        // Documents, letters and dossiers by the office's number, never by record id.
        for e in &rows {
            let subject = state.subject(e);
            assert!(!subject.contains('#'), "{subject}");
            if e.subject == "document" || e.subject == "incoming" {
                assert!(subject.len() > crate::gui::session::subject_name(&e.subject).len(), "{subject}");
            }
            let comment = e.comment.as_deref().map(|c| state.numbers.rewrite(c)).unwrap_or_default();
            assert!(!comment.contains("văn bản đi #") && !comment.contains("văn bản đến #"), "{comment}");
        }
        assert!(rows.iter().any(|e| state.subject(e).contains("/UBND-")), "numbered documents by number");
        assert!(rows.iter().any(|e| state.subject(e).contains("số đến ")), "letters by số đến");
        // Dates as people write them; the system in Vietnamese; people by full name.
        for e in &rows {
            let shown = when(&e.at);
            assert!(shown.len() == 16 && shown.as_bytes()[2] == b'/' && shown.as_bytes()[5] == b'/', "{shown}");
            let who = actor_line(&state.names, e);
            assert!(!who.contains("demo") && !who.contains(&e.username), "{who}");
        }
    }

    #[test]
    fn the_log_filters_and_verification_runs_as_a_job() {
        let mut f = Fixture::demo("admin");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx, None);
        let all = state.shown().len();
        // The filter takes the office's words: a document's number, a person's name
        // without diacritics.
        let number = state
            .shown()
            .iter()
            .map(|e| state.subject(e))
            .find_map(|s| s.split_whitespace().find(|w| w.contains("/UBND-")).map(str::to_owned))
            .expect("a numbered document in the log");
        state.update(Message::Filter(number.clone()), &mut ctx);
        let shown = state.shown();
        assert!(!shown.is_empty() && shown.len() < all, "{number}");
        assert!(shown.iter().all(|e| state.subject(e).contains(&number)
            || e.comment.as_deref().is_some_and(|c| state.numbers.rewrite(c).contains(&number))));
        state.update(Message::Filter("ly thi hong nhung".into()), &mut ctx);
        let by_her = state.shown().len();
        assert!(by_her > 0 && by_her < all, "{by_her} of {all}");
        state.update(Message::Filter(String::new()), &mut ctx);
        assert_eq!(state.shown().len(), all);
        assert!(matches!(state.update(Message::Verify, &mut ctx), Go::Run(Job::Verify)));
        assert_eq!(state.chain(), &Chain::Running);
        let done = crate::gui::job::run(&Job::Verify, ctx.store, false, &mut |_, _| {});
        let crate::gui::job::Done::Verified(result) = done else { panic!("verification expected, got {done:?}") };
        state.verified(result);
        assert_eq!(state.chain(), &Chain::Sound);
    }
}
