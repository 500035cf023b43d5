//! The form of a step on the incoming card: Giao xử lý and Chuyển tiếp (lead
//! handler and co-handlers named with position and unit, the working days with the
//! date they give), the extension asked for, the reply, and the bút phê, note or
//! reason in a multi-line area.

use iced::widget::{button, column, container, row, scrollable, text, text_editor, text_input};
use iced::{Element, Length};
use vanthu_core::workflow::IncomingAction;

use super::{Form, Message, Person, State, day, ids};
use crate::gui::widget::choice::fitted_pick_list_fill;
use crate::gui::widget::ime_guard::guard;
use crate::gui::{font, theme};

impl State {
    pub(super) fn form_view<'a>(&'a self, form: &'a Form) -> Element<'a, Message> {
        let title = format!("{}: văn bản đến {}", form.action.label(), self.short_name());
        let mut col = column![text(title).size(theme::HEADING).font(font::BOLD)].spacing(8);
        let (text_label, hint) = match form.action {
            IncomingAction::Assign => ("Bút phê (ý kiến chỉ đạo)", "Giao ... chủ trì, phối hợp ... tham mưu ..."),
            IncomingAction::Forward => ("Bút phê khi chuyển tiếp", "Chuyển ... chủ trì vì ..."),
            IncomingAction::Progress => ("Nội dung tiến độ", "Đã làm việc với ..."),
            IncomingAction::Opinion => ("Ý kiến phối hợp gửi người chủ trì", "Thống nhất ...; đề nghị bổ sung ..."),
            IncomingAction::RequestExtension => ("Lý do xin gia hạn", "Chờ số liệu của ..."),
            IncomingAction::GrantExtension => ("Ý kiến (nếu có)", "Đồng ý gia hạn."),
            IncomingAction::RefuseExtension => ("Lý do không cho gia hạn", "Việc gấp, ..."),
            IncomingAction::Resolve => ("Kết quả xử lý (hoặc chọn văn bản trả lời)", "Đã trả lời bằng ..."),
            _ => ("Ghi chú", ""),
        };
        if matches!(form.action, IncomingAction::Assign | IncomingAction::Forward) {
            let lead =
                if form.action == IncomingAction::Assign { "Người chủ trì" } else { "Người chủ trì mới" };
            col = col.push(text(lead));
            col = col.push(fitted_pick_list_fill(
                &self.people,
                form.handler.as_ref(),
                500.0,
                "Chọn người",
                Message::Handler,
            ));
            col = col.push(text("Người phối hợp"));
            let mut chips = row![].spacing(6);
            for (i, p) in form.co_handlers.iter().enumerate() {
                chips = chips.push(
                    button(text(format!("{} ×", p.name)).size(13))
                        .on_press(Message::RemoveCoHandler(i))
                        .style(button::secondary)
                        .padding([2, 6]),
                );
            }
            // The chips' line keeps its room when empty: the first co-handler added
            // does not push the buttons below down under the pointer.
            col = col
                .push(row![iced::widget::space().width(Length::Fixed(1.0)).height(Length::Fixed(30.0)), chips.wrap()]);
            let others: Vec<Person> = self
                .people
                .iter()
                .filter(|p| form.handler.as_ref() != Some(*p) && !form.co_handlers.contains(p))
                .cloned()
                .collect();
            col = col.push(fitted_pick_list_fill(&others, None, 500.0, "Thêm người phối hợp", Message::AddCoHandler));
            let days_label = if form.action == IncomingAction::Assign {
                "Thời hạn (ngày làm việc kể từ hôm nay, bỏ qua ngày nghỉ, lễ, Tết)"
            } else {
                "Thời hạn mới (ngày làm việc kể từ hôm nay; để trống: giữ hạn cũ)"
            };
            col = col.push(text(days_label));
            col = col.push(
                row![
                    guard(text_input("5", &form.days).id(ids::DAYS).on_input(Message::Days).padding(6).width(80)),
                    text(form.due.as_str()).font(font::BOLD),
                ]
                .spacing(12)
                .align_y(iced::Alignment::Center),
            );
        }
        if form.action == IncomingAction::RequestExtension {
            col = col.push(text(format!(
                "Xin gia hạn đến ngày (ngày/tháng/năm); hạn hiện tại: {}",
                self.card.letter.deadline.map_or_else(|| "—".into(), day)
            )));
            col = col
                .push(guard(text_input("15/12/2026", &form.until).id(ids::UNTIL).on_input(Message::Until).padding(6)));
        }
        if matches!(form.action, IncomingAction::GrantExtension | IncomingAction::RefuseExtension)
            && let Some(e) = self.card.pending_extension()
        {
            col = col.push(text(format!(
                "{} xin gia hạn đến {}: {}",
                e.requested_by,
                day(e.requested_deadline),
                e.reason
            )));
        }
        if form.action == IncomingAction::Resolve {
            col = col.push(text("Văn bản trả lời"));
            col = col.push(
                text_input("Lọc theo số, trích yếu (gõ không dấu cũng được)", &self.reply_filter)
                    .id(ids::REPLY_FILTER)
                    .on_input(Message::ReplyFilter)
                    .padding(6),
            );
            col = col.push(fitted_pick_list_fill(
                &self.shown_replies(),
                form.reply.as_ref(),
                500.0,
                "Chọn văn bản trả lời (nếu có)",
                Message::Reply,
            ));
        }
        col = col.push(text(text_label));
        // A bút phê runs to several lines: an area that grows with its text.
        col = col.push(guard(
            text_editor(&self.note)
                .id(iced::widget::Id::new(ids::TEXT))
                .placeholder(hint)
                .on_action(Message::Area)
                .padding(6)
                .min_height(80.0)
                .height(Length::Shrink),
        ));
        // The error's room is kept: the buttons below never move.
        col = col.push(crate::gui::widget::slot::error(self.error.as_deref()));
        col = col.push(
            row![
                button(text("Hủy")).on_press(Message::Cancel).style(button::secondary),
                button(text("Xác nhận")).on_press(Message::Confirm),
            ]
            .spacing(8),
        );
        container(scrollable(col)).padding(20).width(560).max_height(700.0).style(container::bordered_box).into()
    }
}
