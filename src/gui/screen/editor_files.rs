//! The files attached to a draft in the editor (issue #16, item 4): appendices in
//! separate files and supporting documents. A new draft is saved first; the file is
//! read and stored off the UI thread (a job); the core decides who may attach and
//! when (the drafter, before content approval).

use iced::Element;
use iced::widget::{button, column, row, text};
use vanthu_core::store::AttachmentKind;

use super::{Message, State};
use crate::gui::session::{Ctx, Go};
use crate::gui::{font, theme};

impl State {
    /// Reloads the attached files of the saved draft (none for an unsaved one).
    pub fn refresh_attachments(&mut self, ctx: &Ctx<'_>) {
        self.attachments = match self.id {
            Some(id) => ctx.store.draft_attachments(id).unwrap_or_else(|e| {
                eprintln!("vanthu: attachments of #{id}: {e}");
                Vec::new()
            }),
            None => Vec::new(),
        };
    }

    /// What the status line says of unsaved changes: when they will be saved.
    pub(super) fn unsaved_note(&self) -> String {
        let now = std::time::Instant::now();
        let after_rest = self.last_edit.map_or(now, |t| t + super::AUTOSAVE_IDLE);
        let after_spacing = self.last_autosave.map_or(now, |t| t + super::AUTOSAVE_SPACING);
        let wait = after_rest.max(after_spacing).saturating_duration_since(now).as_secs();
        if wait <= super::AUTOSAVE_IDLE.as_secs() {
            "Có thay đổi chưa lưu (tự lưu khi ngừng gõ vài giây).".to_owned()
        } else {
            format!("Có thay đổi chưa lưu (tự lưu sau khoảng {wait} giây; bấm «Lưu dự thảo» để lưu ngay).")
        }
    }

    /// The attached files shown (tests).
    #[cfg(test)]
    pub fn attachments(&self) -> &[vanthu_core::store::Attachment] {
        &self.attachments
    }

    /// Saves a new draft, then asks for the file to attach.
    pub(super) fn attach(&mut self, kind: AttachmentKind, ctx: &mut Ctx<'_>) -> Go {
        if (self.id.is_none() || self.dirty)
            && let Err(e) = self.save(ctx)
        {
            return Go::Error(e);
        }
        let Some(id) = self.id else { return Go::Stay };
        Go::Run(crate::gui::job::Job::AttachToDraft { id, kind, by: Box::new(ctx.actor.clone()), from: None })
    }

    /// Removes an attached file (audited by the core).
    pub(super) fn detach(&mut self, attachment: i64, ctx: &mut Ctx<'_>) -> Go {
        if let Err(e) = ctx.store.detach_from_draft(ctx.actor, attachment, ctx.now()) {
            eprintln!("vanthu: detach {attachment}: {e}");
            return Go::Error(crate::gui::session::sentence(&e.to_string()));
        }
        self.refresh_attachments(ctx);
        Go::Notice("Đã bỏ tệp đính kèm.".into())
    }

    /// The "Tệp đính kèm" section of the form.
    pub(super) fn attachments_section(&self) -> Element<'_, Message> {
        let shown: Vec<_> = self.attachments.iter().filter(|a| Some(a.document_id) == self.id).cloned().collect();
        let mut section = column![text("Tệp đính kèm").font(font::BOLD)].spacing(4);
        if shown.is_empty() {
            section = section.push(
                text("Phụ lục ban hành thành tệp riêng, tài liệu kèm theo: cơ quan ký số từng tệp khi phát hành.")
                    .size(12)
                    .color(theme::MUTED),
            );
        }
        for a in shown {
            section = section.push(
                row![
                    text(format!(
                        "{}. {}: {} ({})",
                        a.position,
                        a.kind.label(),
                        a.name,
                        super::super::document::digital::size_text(a.size)
                    ))
                    .width(iced::Length::Fill),
                    button(text("Bỏ").size(13)).on_press(Message::Detach(a.id)).style(button::danger),
                ]
                .spacing(8)
                .align_y(iced::Alignment::Center),
            );
        }
        section
            .push(
                row![
                    button(text("Đính kèm phụ lục…").size(13))
                        .on_press(Message::Attach(AttachmentKind::Appendix))
                        .style(button::secondary),
                    button(text("Đính kèm tài liệu…").size(13))
                        .on_press(Message::Attach(AttachmentKind::Supporting))
                        .style(button::secondary),
                ]
                .spacing(8),
            )
            .into()
    }
}
