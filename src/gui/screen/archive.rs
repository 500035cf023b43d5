//! Hồ sơ, lưu trữ: the file plan (danh mục hồ sơ) of a year by large heading, a form
//! to open a dossier with its retention period from the retention table, checking
//! an archive package, and backup and restore of the database.

use chrono::Datelike;
use iced::widget::{button, column, container, row, rule, scrollable, text, text_input};
use iced::{Element, Length};
use vanthu_core::model::Role;
use vanthu_core::store::{FilePlanHeading, NewDossier};

use crate::gui::job::Job;
use crate::gui::session::{Ctx, Go};
use crate::gui::widget::choice::{Choice, choice, coded, fitted_pick_list_fill};
use crate::gui::widget::ime_guard::guard;
use crate::gui::{font, theme};

/// A large heading already in the plan, offered to fill the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingChoice {
    heading: String,
    code: String,
}

impl std::fmt::Display for HeadingChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.heading, self.code)
    }
}

/// The form to open a dossier.
#[derive(Debug, Clone, Default)]
pub struct Form {
    heading: String,
    heading_code: String,
    title: String,
    retention: Option<Choice>,
    responsible: Option<Choice>,
}

/// Page state.
#[derive(Debug)]
pub struct State {
    year: i32,
    plan: Vec<FilePlanHeading>,
    retention: Vec<Choice>,
    people: Vec<Choice>,
    form: Option<Form>,
    may_open: bool,
    may_restore: bool,
    last_backup: Option<String>,
    error: Option<String>,
}

/// Messages of the page.
#[derive(Debug, Clone)]
pub enum Message {
    /// Change the year by a step.
    Year(i32),
    /// Open a dossier's page.
    Open(i64),
    /// Show or hide the form.
    ToggleForm,
    /// Form: pick an existing heading.
    PickHeading(HeadingChoice),
    /// Form: heading.
    Heading(String),
    /// Form: heading abbreviation.
    HeadingCode(String),
    /// Form: title.
    Title(String),
    /// Form: retention item.
    Retention(Choice),
    /// Form: responsible person.
    Responsible(Choice),
    /// Open the dossier.
    Create,
    /// Check an archive package: a `.zip` file (true) or a directory.
    VerifyPackage(bool),
    /// Back the database up.
    Backup,
    /// Restore a backup.
    Restore,
}

impl State {
    /// The error shown on the page, if any (the shell shows no toast repeating it).
    pub fn shown_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The file plan of this year.
    pub fn new(ctx: &Ctx<'_>) -> Self {
        let keeper = [Role::VanThu, Role::Archivist, Role::Admin].iter().any(|r| ctx.actor.has(*r));
        let mut state = State {
            year: ctx.today().year(),
            plan: Vec::new(),
            retention: Vec::new(),
            people: Vec::new(),
            form: None,
            may_open: keeper,
            may_restore: ctx.actor.has(Role::Admin),
            last_backup: None,
            error: None,
        };
        if let Ok(table) = ctx.store.retention_table() {
            state.retention =
                table.items.iter().map(|i| coded(&i.key, format!("{} — {}", i.title, i.retention.label()))).collect();
        }
        let agency = ctx.actor.user().agency_id;
        state.people = ctx
            .store
            .people()
            .unwrap_or_default()
            .into_iter()
            .filter(|p| agency.is_none() || p.agency_id == agency)
            .map(|p| choice(p.id, p.full_name))
            .collect();
        state.reload(ctx);
        if state.plan.is_empty() {
            // Early in a year the plan is still empty: show last year's.
            state.year -= 1;
            state.reload(ctx);
            if state.plan.is_empty() {
                state.year += 1;
                state.reload(ctx);
            }
        }
        state
    }

    /// Reloads the plan and the time of the last backup.
    pub fn reload(&mut self, ctx: &Ctx<'_>) {
        // Only the dossiers of the agencies the user serves (agencies are apart).
        let books: Vec<i64> =
            ctx.store.book_agencies(ctx.actor).unwrap_or_default().into_iter().map(|a| a.id).collect();
        match ctx.store.file_plan(self.year, None) {
            Ok(mut plan) => {
                for heading in &mut plan {
                    heading.dossiers.retain(|d| books.contains(&d.agency_id));
                }
                plan.retain(|h| !h.dossiers.is_empty());
                self.plan = plan;
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
        self.last_backup = ctx
            .store
            .last_backup()
            .ok()
            .flatten()
            .map(|t| t.with_timezone(&chrono::Local).format("%H:%M ngày %d/%m/%Y").to_string());
    }

    fn headings(&self) -> Vec<HeadingChoice> {
        self.plan.iter().map(|h| HeadingChoice { heading: h.heading.clone(), code: h.heading_code.clone() }).collect()
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, ctx: &mut Ctx<'_>) -> Go {
        match message {
            Message::Year(step) => {
                self.year += step;
                self.reload(ctx);
            }
            Message::Open(id) => return Go::Dossier(id),
            Message::ToggleForm => {
                self.form = match self.form.take() {
                    Some(_) => None,
                    None => Some(Form {
                        responsible: self.people.iter().find(|p| Some(p.id) == ctx.actor.user().person_id).cloned(),
                        ..Form::default()
                    }),
                };
            }
            Message::VerifyPackage(zip) => return Go::Run(Job::ArchiveVerify { from: None, zip }),
            Message::Backup => return Go::Run(Job::Backup { to: None, by: Box::new(ctx.actor.clone()) }),
            Message::Restore => return Go::Run(Job::Restore { from: None, by: Box::new(ctx.actor.clone()) }),
            Message::Create => return self.create(ctx),
            form_message => {
                let Some(form) = self.form.as_mut() else { return Go::Stay };
                match form_message {
                    Message::PickHeading(h) => {
                        form.heading = h.heading;
                        form.heading_code = h.code;
                    }
                    Message::Heading(v) => form.heading = v,
                    Message::HeadingCode(v) => form.heading_code = v,
                    Message::Title(v) => form.title = v,
                    Message::Retention(r) => form.retention = Some(r),
                    Message::Responsible(p) => form.responsible = Some(p),
                    _ => {}
                }
            }
        }
        Go::Stay
    }

    fn create(&mut self, ctx: &mut Ctx<'_>) -> Go {
        let Some(form) = &self.form else { return Go::Stay };
        let new = NewDossier {
            year: self.year,
            heading: form.heading.clone(),
            heading_code: form.heading_code.clone(),
            title: form.title.clone(),
            retention_item: form.retention.as_ref().map(|r| r.code.clone()),
            responsible_person_id: form.responsible.as_ref().map(|p| p.id),
            ..NewDossier::default()
        };
        if new.retention_item.is_none() {
            self.error = Some("Chọn thời hạn bảo quản theo bảng thời hạn.".into());
            return Go::Stay;
        }
        match ctx.store.create_dossier(ctx.actor, &new, ctx.now()) {
            Ok(id) => {
                self.form = None;
                self.reload(ctx);
                Go::Dossier(id)
            }
            Err(e) => {
                eprintln!("vanthu: create dossier refused: {e}");
                self.error = Some(e.to_string());
                Go::Stay
            }
        }
    }

    fn form_view(&self, form: &Form) -> Element<'_, Message> {
        let field = |label: &'static str, input: Element<'static, Message>| {
            row![text(label).width(Length::Fixed(170.0)), input].spacing(8).align_y(iced::Center)
        };
        let ready = !form.title.trim().is_empty() && form.retention.is_some();
        container(
            column![
                text("Lập hồ sơ mới").size(theme::HEADING).font(font::BOLD),
                field(
                    "Đề mục có sẵn",
                    fitted_pick_list_fill(
                        &self.headings(),
                        None::<&HeadingChoice>,
                        560.0,
                        "Chọn để điền đề mục",
                        Message::PickHeading
                    )
                ),
                field("Đề mục lớn", text_input("I. TỔNG HỢP", &form.heading).on_input(Message::Heading).into()),
                field(
                    "Viết tắt của đề mục",
                    text_input("TH", &form.heading_code).on_input(Message::HeadingCode).width(120).into()
                ),
                field(
                    "Tiêu đề hồ sơ",
                    guard(text_input("Hồ sơ …", &form.title).on_input(Message::Title).on_submit(Message::Create))
                ),
                field(
                    "Thời hạn bảo quản",
                    fitted_pick_list_fill(
                        &self.retention,
                        form.retention.as_ref(),
                        560.0,
                        "Chọn theo bảng thời hạn",
                        Message::Retention
                    )
                ),
                field(
                    "Người lập hồ sơ",
                    fitted_pick_list_fill(
                        &self.people,
                        form.responsible.as_ref(),
                        560.0,
                        "Chọn người",
                        Message::Responsible
                    )
                ),
                row![
                    button(text("Lập hồ sơ")).on_press_maybe(ready.then_some(Message::Create)).style(button::primary),
                    button(text("Hủy")).on_press(Message::ToggleForm).style(button::secondary),
                ]
                .spacing(8),
            ]
            .spacing(8),
        )
        .padding(12)
        .style(container::rounded_box)
        .into()
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let mut tools = row![
            button(text("‹")).on_press(Message::Year(-1)).style(button::secondary),
            text(format!("Năm {}", self.year)).font(font::BOLD),
            button(text("›")).on_press(Message::Year(1)).style(button::secondary),
            iced::widget::space().width(Length::Fill),
        ]
        .spacing(8)
        .align_y(iced::Center);
        if self.may_open {
            tools = tools.push(button(text("Lập hồ sơ mới")).on_press(Message::ToggleForm).style(button::primary));
        }
        tools = tools
            .push(button(text("Kiểm tra gói .zip…")).on_press(Message::VerifyPackage(true)).style(button::secondary));
        tools = tools.push(
            button(text("Kiểm tra thư mục gói…")).on_press(Message::VerifyPackage(false)).style(button::secondary),
        );
        let mut page = column![text("Danh mục hồ sơ").size(theme::TITLE).font(font::BOLD), tools].spacing(theme::GAP);
        page = page.push(crate::gui::widget::slot::page_error(self.error.as_deref()));
        if let Some(form) = &self.form {
            page = page.push(self.form_view(form));
        }
        let mut plan = column![].spacing(6);
        if self.plan.is_empty() {
            plan = plan.push(text(format!("Chưa có hồ sơ nào trong danh mục năm {}.", self.year)).color(theme::MUTED));
        }
        let header = row![
            text("Số, ký hiệu").font(font::BOLD).size(13).width(Length::FillPortion(2)),
            text("Tiêu đề hồ sơ").font(font::BOLD).size(13).width(Length::FillPortion(7)),
            text("Thời hạn").font(font::BOLD).size(13).width(Length::FillPortion(2)),
            text("Người lập").font(font::BOLD).size(13).width(Length::FillPortion(3)),
            text("Văn bản").font(font::BOLD).size(13).width(Length::FillPortion(1)),
            text("Tình trạng").font(font::BOLD).size(13).width(Length::FillPortion(2)),
        ]
        .spacing(6);
        if !self.plan.is_empty() {
            plan = plan.push(header).push(rule::horizontal(1));
        }
        for heading in &self.plan {
            plan = plan.push(text(heading.heading.as_str()).font(font::BOLD).color(theme::ACCENT));
            for d in &heading.dossiers {
                let status = if d.closed { "Đã đóng" } else { "Đang mở" };
                plan = plan.push(
                    button(
                        row![
                            text(d.code.as_str()).width(Length::FillPortion(2)),
                            text(d.title.as_str()).width(Length::FillPortion(7)),
                            text(d.retention.label()).width(Length::FillPortion(2)),
                            text(d.responsible_name.as_deref().unwrap_or("")).width(Length::FillPortion(3)),
                            text(d.document_count.to_string()).width(Length::FillPortion(1)),
                            text(status)
                                .color(if d.closed { theme::MUTED } else { theme::OK })
                                .width(Length::FillPortion(2)),
                        ]
                        .spacing(6),
                    )
                    .on_press(Message::Open(d.id))
                    .style(button::text)
                    .padding([3, 0])
                    .width(Length::Fill),
                );
            }
        }
        page = page.push(scrollable(plan).height(Length::Fill));
        let mut backup = row![
            text(match &self.last_backup {
                Some(at) => format!("Lần sao lưu gần nhất: {at}"),
                None => "Chưa sao lưu lần nào.".to_owned(),
            })
            .color(theme::MUTED)
            .width(Length::Fill),
            button(text("Sao lưu…")).on_press(Message::Backup).style(button::secondary),
        ]
        .spacing(8)
        .align_y(iced::Center);
        if self.may_restore {
            backup = backup.push(button(text("Khôi phục…")).on_press(Message::Restore).style(button::danger));
        }
        page.push(rule::horizontal(1)).push(backup).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::testing::Fixture;

    #[test]
    fn the_file_plan_lists_the_demo_dossiers_and_opens_a_new_one() {
        let mut f = Fixture::demo("lythihongnhung");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        let dossiers: usize = state.plan.iter().map(|h| h.dossiers.len()).sum();
        assert!(dossiers >= 3, "{:?}", state.plan);
        assert!(state.plan.iter().flat_map(|h| &h.dossiers).any(|d| d.closed));
        state.update(Message::ToggleForm, &mut ctx);
        let heading = state.headings()[0].clone();
        state.update(Message::PickHeading(heading.clone()), &mut ctx);
        state.update(Message::Title("Hồ sơ hội nghị tổng kết".into()), &mut ctx);
        assert!(matches!(state.update(Message::Create, &mut ctx), Go::Stay), "no retention yet");
        assert!(state.error.is_some());
        let item = state.retention[0].clone();
        state.update(Message::Retention(item), &mut ctx);
        let Go::Dossier(id) = state.update(Message::Create, &mut ctx) else {
            panic!("dossier expected: {:?}", state.error)
        };
        let made = ctx.store.dossier(id).unwrap().unwrap();
        assert_eq!(made.heading, heading.heading);
        assert_eq!(made.title, "Hồ sơ hội nghị tổng kết");
        assert!(state.plan.iter().flat_map(|h| &h.dossiers).any(|d| d.id == id));
    }

    #[test]
    fn a_drafter_may_not_open_a_dossier() {
        let mut f = Fixture::demo("buivantoan");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        assert!(!state.may_open && !state.may_restore);
        state.form = Some(Form {
            heading: "I. TỔNG HỢP".into(),
            heading_code: "TH".into(),
            title: "Hồ sơ".into(),
            retention: state.retention.first().cloned(),
            responsible: None,
        });
        assert!(matches!(state.update(Message::Create, &mut ctx), Go::Stay));
        assert!(state.error.as_deref().is_some_and(|e| e.contains("lập hồ sơ")), "{:?}", state.error);
    }
}
