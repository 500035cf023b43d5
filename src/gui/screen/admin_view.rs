//! The administration page's view: one tab at a time, the records on the left and
//! the forms that change them on the right.

use iced::widget::{button, checkbox, column, container, row, rule, scrollable, text, text_input};
use iced::{Element, Length};
use vanthu_core::model::Role;

use super::{Choice, Field, Message, Picker, State, Submit, Tab, delegation_kinds, ranks};
use crate::gui::{font, theme};

fn form<'a>(title: &'a str, fields: Vec<Element<'a, Message>>, submit: Element<'a, Message>) -> Element<'a, Message> {
    let mut col = column![text(title).font(font::BOLD)].spacing(6);
    for f in fields {
        col = col.push(f);
    }
    container(col.push(submit)).padding(10).style(container::rounded_box).width(Length::Fill).into()
}

/// The roles as checkboxes, two per line.
fn role_grid<'a>(ticked: &[Role], on_toggle: fn(Role, bool) -> Message) -> Element<'a, Message> {
    let mut grid = column![].spacing(4);
    for pair in Role::ALL.chunks(2) {
        let mut line = row![].spacing(10);
        for role in pair {
            let role = *role;
            line = line.push(
                checkbox(ticked.contains(&role))
                    .label(role.label())
                    .on_toggle(move |on| on_toggle(role, on))
                    .size(16)
                    .width(Length::FillPortion(1)),
            );
        }
        grid = grid.push(line);
    }
    grid.into()
}

impl State {
    /// A labelled field: the label stays above the input once something is typed.
    fn input<'a>(&'a self, field: Field, label: &'a str) -> Element<'a, Message> {
        let input = text_input("", self.text(field)).on_input(move |v| Message::Text(field, v));
        let input: Element<'a, Message> =
            if field == Field::Password { input.secure(true).into() } else { input.into() };
        column![text(label).size(12).color(theme::MUTED), input].spacing(2).into()
    }

    /// A labelled choice.
    fn picker<'a>(&'a self, picker: Picker, options: Vec<Choice>, label: &'a str) -> Element<'a, Message> {
        let list = crate::gui::widget::choice::fitted_pick_list_fill(
            &options,
            self.pick(picker),
            300.0,
            "Chọn…",
            move |c| Message::Pick(picker, c),
        );
        column![text(label).size(12).color(theme::MUTED), list].spacing(2).into()
    }

    pub(super) fn button_for<'a>(label: &'a str, submit: Submit) -> Element<'a, Message> {
        button(text(label)).on_press(Message::Submit(submit)).style(button::primary).into()
    }

    fn agencies_tab(&self) -> (Element<'_, Message>, Element<'_, Message>) {
        let mut list = column![].spacing(2);
        for a in &self.agencies {
            let regime = if a.collective { "chế độ tập thể" } else { "chế độ thủ trưởng" };
            list = list.push(
                text(format!("{} ({}) — {}, {regime}", a.short_name, a.abbreviation, a.family.label()))
                    .font(font::BOLD),
            );
            if Some(a.id) == self.agency_id() {
                for u in &self.units {
                    list = list.push(text(format!("    {} ({})", u.name, u.abbreviation)).size(13));
                }
            }
        }
        let forms = column![
            form(
                "Thêm đơn vị vào cơ quan đã chọn",
                vec![
                    self.input(Field::UnitName, "Tên đơn vị (Phòng Tổng hợp)"),
                    self.input(Field::UnitAbbreviation, "Viết tắt (TH)"),
                ],
                Self::button_for("Thêm đơn vị", Submit::Unit),
            ),
            form(
                "Thêm cơ quan",
                vec![
                    self.picker(Picker::AgencyFamily, State::family_choices(), "Hệ văn bản (Nhà nước, Đảng)"),
                    self.input(Field::AgencyParent, "Cơ quan chủ quản như in (ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC)"),
                    self.input(Field::AgencyName, "Tên cơ quan như in (SỞ NỘI VỤ)"),
                    self.input(Field::AgencyShortName, "Tên viết thường (Sở Nội vụ)"),
                    self.input(Field::AgencyAbbreviation, "Viết tắt (SNV)"),
                    self.input(Field::AgencyPlace, "Địa danh (Bình Phước)"),
                    checkbox(self.collective)
                        .label("Chế độ tập thể (ký TM.)")
                        .on_toggle(Message::Collective)
                        .size(16)
                        .into(),
                ],
                Self::button_for("Thêm cơ quan", Submit::Agency),
            ),
        ]
        .spacing(10);
        (list.into(), forms.into())
    }

    fn people_tab(&self) -> (Element<'_, Message>, Element<'_, Message>) {
        let mut list = column![text("Chức vụ").font(font::BOLD)].spacing(2);
        for p in &self.positions {
            let rank = ranks().into_iter().find(|r| r.code == p.rank.code()).map_or(String::new(), |r| r.label);
            list = list.push(text(format!("    {} — {rank}", p.title)).size(13));
        }
        list = list.push(text("Cán bộ, tài khoản").font(font::BOLD));
        for p in &self.people {
            let title = self.positions.iter().find(|x| Some(x.id) == p.position_id).map_or("", |x| x.title.as_str());
            let account = self.users.iter().find(|u| u.person_id == Some(p.id)).map_or(String::new(), |u| {
                let roles: Vec<&str> = u.roles.iter().map(|r| r.label()).collect();
                format!(" — {}: {}", u.username, roles.join(", "))
            });
            list = list.push(text(format!("    {} — {title}{account}", p.full_name)).size(13));
        }
        let without_account: Vec<Choice> = self
            .people_choices()
            .into_iter()
            .filter(|c| !self.users.iter().any(|u| u.person_id == Some(c.id)))
            .collect();
        let roles = role_grid(&self.roles, Message::Role);
        let access = role_grid(&self.access_roles, Message::AccessRole);
        let forms = column![
            form(
                "Thêm chức vụ",
                vec![
                    self.input(Field::PositionTitle, "Tên chức vụ như in ở chữ ký (Phó Chánh Văn phòng)"),
                    self.picker(Picker::Rank, ranks(), "Cấp"),
                ],
                Self::button_for("Thêm chức vụ", Submit::Position),
            ),
            form(
                "Thêm cán bộ",
                vec![
                    self.input(Field::PersonName, "Họ và tên"),
                    self.picker(Picker::PersonUnit, self.unit_choices(), "Đơn vị"),
                    self.picker(Picker::PersonPosition, self.position_choices(), "Chức vụ"),
                ],
                Self::button_for("Thêm cán bộ", Submit::Person),
            ),
            form(
                "Cấp tài khoản",
                vec![
                    self.picker(Picker::AccountPerson, without_account, "Cán bộ chưa có tài khoản"),
                    self.input(Field::Username, "Tên đăng nhập (không dấu)"),
                    self.input(Field::Password, "Mật khẩu (ít nhất 8 ký tự)"),
                    roles,
                ],
                Self::button_for("Tạo tài khoản", Submit::Account),
            ),
            form(
                "Đổi vai trò, khóa tài khoản",
                vec![
                    self.picker(Picker::Account, self.account_choices(), "Tài khoản"),
                    access,
                    checkbox(self.active).label("Được đăng nhập").on_toggle(Message::Active).size(16).into(),
                ],
                Self::button_for("Lưu vai trò", Submit::Access),
            ),
        ]
        .spacing(10);
        (list.into(), forms.into())
    }

    fn authority_tab(&self) -> (Element<'_, Message>, Element<'_, Message>) {
        let family = self.agency_family();
        let kind_label = |code: &str| {
            if code == "*" {
                "mọi loại văn bản".to_owned()
            } else {
                vanthu_core::ruleset::kind_name(family, code).unwrap_or(code).to_owned()
            }
        };
        let mut list = column![text("Thẩm quyền ký").font(font::BOLD)].spacing(2);
        for g in &self.grants {
            list = list.push(
                row![
                    text(format!("{} ký: {}", g.position_title, kind_label(&g.kind))).size(13).width(Length::Fill),
                    button(text("Thu hồi").size(12))
                        .on_press(Message::Revoke(g.position_id, g.kind.clone()))
                        .style(button::text),
                ]
                .align_y(iced::Center),
            );
        }
        list = list.push(text("Ủy quyền, thừa lệnh").font(font::BOLD));
        if self.delegations.is_empty() {
            list = list.push(text("Chưa có ủy quyền nào.").size(13).color(theme::MUTED));
        }
        for d in &self.delegations {
            let name = self.people.iter().find(|p| p.id == d.to_person_id).map_or("", |p| p.full_name.as_str());
            let from = self.positions.iter().find(|p| p.id == d.from_position_id).map_or("", |p| p.title.as_str());
            let scope = if d.scope.is_empty() {
                "mọi loại".to_owned()
            } else {
                d.scope.iter().map(|k| kind_label(k)).collect::<Vec<_>>().join(", ")
            };
            let current = d.valid_from <= self.today && self.today <= d.valid_until;
            let mut line = row![
                text(format!(
                    "{} {from} → {name}: {} – {} ({scope}) · {}",
                    d.kind.code(),
                    d.valid_from.format("%d/%m/%Y"),
                    d.valid_until.format("%d/%m/%Y"),
                    d.basis
                ))
                .size(13)
                .color(if current { theme::TEXT } else { theme::MUTED })
                .width(Length::Fill)
            ]
            .align_y(iced::Center);
            if current {
                line = line.push(
                    button(text("Chấm dứt hôm nay").size(12))
                        .on_press(Message::EndDelegation(d.id))
                        .style(button::text),
                );
            }
            list = list.push(line);
        }
        let forms = column![
            form(
                "Giao quyền ký",
                vec![
                    self.picker(Picker::GrantPosition, self.position_choices(), "Chức vụ"),
                    self.picker(Picker::GrantKind, self.kinds(), "Loại văn bản"),
                ],
                Self::button_for("Giao quyền ký", Submit::Grant),
            ),
            form(
                "Ghi ủy quyền, thừa lệnh",
                vec![
                    self.picker(Picker::DelegationKind, delegation_kinds(), "Hình thức"),
                    self.picker(Picker::DelegationPosition, self.position_choices(), "Chức vụ ủy quyền"),
                    self.picker(Picker::DelegationPerson, self.people_choices(), "Người được ủy quyền"),
                    row![
                        self.input(Field::DelegationFrom, "Từ ngày (dd/mm/yyyy)"),
                        self.input(Field::DelegationUntil, "Đến ngày (dd/mm/yyyy)"),
                    ]
                    .spacing(6)
                    .into(),
                    self.picker(Picker::DelegationScope, self.kinds(), "Phạm vi: loại văn bản"),
                    self.input(Field::DelegationBasis, "Căn cứ: văn bản ủy quyền (số, ngày)"),
                ],
                Self::button_for("Ghi ủy quyền", Submit::Delegation),
            ),
        ]
        .spacing(10);
        (list.into(), forms.into())
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let mut tabs = row![].spacing(6);
        for tab in Tab::ALL {
            let style = if tab == self.tab { button::primary } else { button::secondary };
            tabs = tabs.push(button(text(tab.label())).on_press(Message::Tab(tab)).style(style));
        }
        let agency = row![
            text("Cơ quan:"),
            crate::gui::widget::choice::fitted_pick_list(
                &self.agency_choices(),
                self.agency.as_ref(),
                420.0,
                "Chọn cơ quan",
                |c| Message::Pick(Picker::Agency, c)
            ),
        ]
        .spacing(8)
        .align_y(iced::Center);
        let (records, forms) = match self.tab {
            Tab::Agencies => self.agencies_tab(),
            Tab::People => self.people_tab(),
            Tab::Authority => self.authority_tab(),
            Tab::Calendar => self.calendar_tab(),
            Tab::Rules => self.rules_tab(),
        };
        let mut page = column![text("Quản trị").size(theme::TITLE).font(font::BOLD), tabs].spacing(theme::GAP);
        if matches!(self.tab, Tab::Agencies | Tab::People | Tab::Authority) {
            page = page.push(agency);
        }
        page = page.push(crate::gui::widget::slot::page_error(self.error.as_deref()));
        let pad = iced::Padding { right: 14.0, ..iced::Padding::ZERO };
        page.push(rule::horizontal(1))
            .push(
                row![
                    scrollable(container(records).padding(pad)).width(Length::FillPortion(3)).height(Length::Fill),
                    scrollable(container(forms).padding(pad)).width(Length::FillPortion(2)).height(Length::Fill),
                ]
                .spacing(16),
            )
            .into()
    }
}
