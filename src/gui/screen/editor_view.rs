//! The editor's view: kind picker, the form and the 4-đúng panel.

use iced::widget::{button, column, container, pick_list, row, scrollable, text, text_input};
use iced::{Element, Length};
use vanthu_core::model::{Block, BlockKind, Document, Family, Urgency};

use super::{List, Message, NewBlock, State, TableEdit};
use crate::gui::widget::choice::{fitted_pick_list, fitted_pick_list_fill};
use crate::gui::widget::{findings, preview};
use crate::gui::{font, theme};

/// Drawn width of a page of the live preview, px.
const PREVIEW_WIDTH: f32 = 400.0;

/// An urgency choice for the pick list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UrgencyChoice(Option<Urgency>);

impl std::fmt::Display for UrgencyChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.map_or("Thường", |u| u.label()))
    }
}

const URGENCIES: [UrgencyChoice; 4] = [
    UrgencyChoice(None),
    UrgencyChoice(Some(Urgency::Khan)),
    UrgencyChoice(Some(Urgency::ThuongKhan)),
    UrgencyChoice(Some(Urgency::HoaToc)),
];

impl State {
    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        match &self.doc {
            None => self.picker(),
            Some(doc) => self.form(doc),
        }
    }

    fn picker(&self) -> Element<'_, Message> {
        let family = |f: Family, label: &'static str| {
            let style = if self.family == f { button::primary } else { button::secondary };
            button(text(label)).on_press(Message::Family(f)).style(style)
        };
        let mut kinds = iced::widget::Row::new().spacing(6);
        for k in &self.kinds {
            kinds = kinds
                .push(button(text(k.name.as_str())).on_press(Message::New(k.code.clone())).style(button::secondary));
        }
        let mut drafts = column![text("Dự thảo của tôi").size(theme::HEADING).font(font::BOLD)].spacing(4);
        if self.drafts.is_empty() {
            drafts = drafts.push(text("Chưa có dự thảo nào.").color(theme::MUTED));
        }
        for d in &self.drafts {
            let state = vanthu_core::model::OutgoingState::from_code(&d.state).map_or("", |s| s.label());
            drafts = drafts.push(
                button(
                    row![
                        text(d.subject.as_deref().filter(|s| !s.is_empty()).unwrap_or("(chưa có trích yếu)"))
                            .width(Length::Fill),
                        text(state).color(theme::MUTED),
                    ]
                    .spacing(8),
                )
                .on_press(Message::Open(d.id))
                .style(button::text)
                .width(Length::Fill),
            );
        }
        column![
            text("Soạn thảo văn bản").size(theme::TITLE).font(font::BOLD),
            row![text("Hệ văn bản:"), family(Family::State, "Văn bản Nhà nước"), family(Family::Party, "Văn bản Đảng")]
                .spacing(8)
                .align_y(iced::Center),
            row![
                text("Cơ quan ban hành:"),
                fitted_pick_list(&self.agencies, self.agency.as_ref(), 480.0, "Chọn cơ quan", Message::Agency),
            ]
            .spacing(8)
            .align_y(iced::Center),
            text("Chọn loại văn bản để bắt đầu dự thảo:").color(theme::MUTED),
            kinds.wrap(),
            scrollable(drafts).height(Length::Fill),
        ]
        .spacing(theme::GAP)
        .into()
    }

    fn form<'a>(&'a self, doc: &'a Document) -> Element<'a, Message> {
        let title = match self.id {
            Some(_) => format!("{} — {}", self.kind_name, self.doc_state.label()),
            None => format!("{} — dự thảo mới", self.kind_name),
        };
        let (errors, _) = findings::counts(&self.findings);
        let header = row![
            column![
                text(title).size(theme::TITLE).font(font::BOLD),
                row![
                    text("Cơ quan ban hành:").color(theme::MUTED),
                    fitted_pick_list(&self.agencies, self.agency.as_ref(), 330.0, &doc.issuer.name, Message::Agency),
                ]
                .spacing(8)
                .align_y(iced::Center),
            ]
            .width(Length::Fill),
            button(text("Danh sách")).on_press(Message::Back).style(button::secondary),
            button(text("Sửa tất cả"))
                .on_press_maybe(self.findings.iter().any(|f| f.fix.is_some()).then_some(Message::FixAll))
                .style(button::secondary),
            button(text("Lưu dự thảo")).on_press(Message::Save).style(button::secondary),
            button(text("Trình duyệt")).on_press(Message::Submit),
        ]
        .spacing(8)
        .align_y(iced::Center);

        let mut form = column![].spacing(8).padding([0, 12]);
        form = form.push(
            row![
                field("Địa danh", "/place", &doc.place),
                field("Ký hiệu người soạn thảo", "/drafter_code", doc.drafter_code.as_deref().unwrap_or("")),
                column![
                    text("Mức độ khẩn").size(13),
                    pick_list(URGENCIES, Some(UrgencyChoice(doc.urgency)), |c: UrgencyChoice| Message::Urgency(c.0)),
                ]
                .spacing(2)
            ]
            .spacing(8),
        );
        if let Some(line) = &doc.authority_line {
            form = form.push(field("Thẩm quyền ban hành", "/authority_line", line));
        }
        if doc.subject.is_some() {
            form = form.push(labelled("Trích yếu", self.area("/subject", "")));
        }
        if !doc.addressees.is_empty() {
            form = form.push(list("Kính gửi", "addressees", List::Addressees, &doc.addressees));
        }
        if !doc.bases.is_empty() {
            let mut bases = column![section("Căn cứ", List::Bases)].spacing(4);
            for i in 0..doc.bases.len() {
                bases = bases.push(
                    row![self.area(&format!("/bases/{i}"), "Căn cứ …;"), remove(List::Bases, i)]
                        .spacing(6)
                        .align_y(iced::Center),
                );
            }
            form = form.push(bases);
        }
        if doc.enacting_words.is_some() {
            form = form.push(labelled("Từ ngữ ban hành", self.area("/enacting_words", "")));
        }
        let mut body = column![section("Nội dung", List::Body)].spacing(4);
        for (i, block) in doc.body.iter().enumerate() {
            if block.kind == BlockKind::Table {
                body = body.push(table_editor(i, block));
                continue;
            }
            if block.kind == BlockKind::Note {
                body = body.push(
                    row![self.area(&format!("/body/{i}/text"), "Ghi chú (in sau ./.)"), remove(List::Body, i)]
                        .spacing(6)
                        .align_y(iced::Center),
                );
                continue;
            }
            let indent = match block.kind {
                BlockKind::Clause => 16.0,
                BlockKind::Point => 40.0,
                _ => 0.0,
            };
            let mut line = row![iced::widget::space().width(Length::Fixed(indent))].spacing(6).align_y(iced::Top);
            if block.label.is_some() || block.kind != BlockKind::Paragraph {
                line = line.push(
                    input(&format!("/body/{i}/label"), block.label.as_deref().unwrap_or(""), "Nhãn")
                        .width(Length::Fixed(90.0)),
                );
            }
            line = line.push(self.area(&format!("/body/{i}/text"), "Nội dung"));
            line = line.push(remove(List::Body, i));
            body = body.push(line);
        }
        body = body.push(
            row![
                button(text("+ Mục số (1.)").size(13)).on_press(Message::AddBlock(NewBlock::Item)).style(button::text),
                button(text("+ Điểm (a))").size(13)).on_press(Message::AddBlock(NewBlock::SubItem)).style(button::text),
                button(text("+ Bảng").size(13)).on_press(Message::AddBlock(NewBlock::Table)).style(button::text),
                button(text("+ Ghi chú").size(13)).on_press(Message::AddBlock(NewBlock::Note)).style(button::text),
            ]
            .spacing(6),
        );
        form = form.push(body);
        let chosen = self.signers.iter().find(|c| c.signer == doc.signer).cloned();
        form = form.push(
            column![
                text("Người ký").font(font::BOLD),
                fitted_pick_list_fill(
                    &self.signers,
                    chosen.as_ref(),
                    540.0,
                    "Chọn người ký theo phân quyền",
                    Message::Signer
                ),
                row![
                    field("Quyền hạn ký (TM., KT., TL.…)", "/signer/form", doc.signer.form.as_deref().unwrap_or("")),
                    field("Dòng sau quyền hạn", "/signer/principal", doc.signer.principal.as_deref().unwrap_or("")),
                ]
                .spacing(8),
                row![
                    field(
                        "Dòng thứ hai (KT. khi cấp phó ký thay)",
                        "/signer/deputy/form",
                        doc.signer.deputy.as_ref().map_or("", |d| d.form.as_str()),
                    ),
                    field(
                        "Chức danh người đứng đầu (CHỦ TỊCH…)",
                        "/signer/deputy/principal",
                        doc.signer.deputy.as_ref().map_or("", |d| d.principal.as_str()),
                    ),
                ]
                .spacing(8),
                row![
                    field("Chức vụ người ký", "/signer/position", &doc.signer.position),
                    field("Họ tên người ký", "/signer/name", &doc.signer.name),
                ]
                .spacing(8),
            ]
            .spacing(4),
        );
        form = form.push(list("Nơi nhận", "recipients", List::Recipients, &doc.recipients));
        form = form.push(self.attachments_section());

        let panel =
            findings::panel(&self.findings, &findings::Callbacks { focus: Message::Focus, fix: Some(Message::Fix) });
        let status = if errors > 0 {
            text(format!("Còn {errors} lỗi: bước tiếp theo có thể bị chặn.")).color(theme::WARNING)
        } else {
            text("Không còn lỗi.").color(theme::OK)
        };
        let mut status = row![status].spacing(16);
        if let Some(note) = &self.saved_note {
            status = status.push(text(note.as_str()).color(theme::MUTED));
        } else if self.dirty {
            status = status.push(text(self.unsaved_note()).color(theme::MUTED));
        }
        let mut page = column![header, status].spacing(theme::GAP);
        page = page.push(crate::gui::widget::slot::page_error(self.error.as_deref()));
        // The 4-đúng panel above, the page preview below, each scrolling on its own,
        // so the page stays in sight while typing.
        let mut side = column![scrollable(panel).height(Length::FillPortion(2))].spacing(6);
        if let Some(layout) = &self.layout {
            side =
                side.push(text(format!("Xem trước trang in ({} trang)", self.preview_pages())).font(font::BOLD)).push(
                    scrollable(preview::Preview { layout: layout.clone(), width: PREVIEW_WIDTH }.view())
                        .height(Length::FillPortion(3)),
                );
        }
        page.push(
            row![
                scrollable(form).height(Length::Fill).width(Length::Fill),
                container(side).height(Length::Fill).width(Length::Fixed(PREVIEW_WIDTH + 16.0)),
            ]
            .spacing(theme::GAP),
        )
        .into()
    }
}

fn input<'a>(pointer: &str, value: &'a str, placeholder: &'a str) -> iced::widget::TextInput<'a, Message> {
    let owned = pointer.to_owned();
    text_input(placeholder, value)
        .id(iced::widget::Id::from(pointer.to_owned()))
        .on_input(move |v| Message::Field(owned.clone(), v))
        .padding(6)
}

fn labelled<'a>(label: &'a str, area: Element<'a, Message>) -> Element<'a, Message> {
    column![text(label).size(13), area].spacing(2).width(Length::Fill).into()
}

fn field<'a>(label: &'a str, pointer: &str, value: &'a str) -> Element<'a, Message> {
    column![text(label).size(13), input(pointer, value, "")].spacing(2).width(Length::Fill).into()
}

/// A table block as a grid of cell inputs with row, column and heading buttons.
fn table_editor(i: usize, block: &Block) -> Element<'_, Message> {
    let small = |label: &'static str, message: Message| {
        button(text(label).size(12)).on_press(message).style(button::text).padding([0, 4])
    };
    let columns = block.column_count();
    let mut grid = column![
        row![
            text(format!("Bảng ({} hàng tiêu đề)", block.heading_rows())).size(13).width(Length::Fill),
            small("+ Hàng", Message::Table(i, TableEdit::AddRow)),
            small("+ Cột", Message::Table(i, TableEdit::AddColumn)),
            small("+ Tiêu đề", Message::Table(i, TableEdit::MoreHeadings)),
            small("− Tiêu đề", Message::Table(i, TableEdit::FewerHeadings)),
            remove(List::Body, i),
        ]
        .spacing(4)
        .align_y(iced::Center)
    ]
    .spacing(2);
    for (r, cells) in block.rows.iter().flatten().enumerate() {
        let mut line = row![].spacing(2).align_y(iced::Center);
        for c in 0..columns {
            let value = cells.get(c).map_or("", String::as_str);
            line = line.push(input(&format!("/body/{i}/rows/{r}/{c}"), value, ""));
        }
        line = line.push(small("Xóa hàng", Message::Table(i, TableEdit::RemoveRow(r))));
        grid = grid.push(line);
    }
    let mut drops = row![].spacing(2);
    for c in 0..columns {
        drops =
            drops.push(container(small("Xóa cột", Message::Table(i, TableEdit::RemoveColumn(c)))).width(Length::Fill));
    }
    container(grid.push(drops)).padding(4).style(container::bordered_box).into()
}

fn section<'a>(label: &'a str, list: List) -> Element<'a, Message> {
    row![
        text(label).font(font::BOLD).width(Length::Fill),
        button(text("+ Thêm").size(13)).on_press(Message::Add(list)).style(button::text).padding([0, 6]),
    ]
    .into()
}

fn remove<'a>(list: List, i: usize) -> Element<'a, Message> {
    button(text("Xóa").size(12)).on_press(Message::Remove(list, i)).style(button::text).padding([0, 4]).into()
}

fn list<'a>(label: &'a str, key: &str, kind: List, items: &'a [String]) -> Element<'a, Message> {
    let mut col = column![section(label, kind)].spacing(4);
    for (i, item) in items.iter().enumerate() {
        col = col.push(row![input(&format!("/{key}/{i}"), item, ""), remove(kind, i)].spacing(6).align_y(iced::Center));
    }
    container(col).into()
}
