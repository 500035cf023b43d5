//! The editor's text areas: the trích yếu, căn cứ, từ ngữ ban hành and every text of
//! the content are multi-line areas that grow with their text (a 230-character
//! paragraph is seen whole). Each is a paragraph of the document: Enter in a content
//! text starts a new paragraph below it; a pasted line break becomes a space.

use std::sync::Arc;

use iced::widget::text_editor::{Action, Content, Edit};
use iced::{Element, Length};
use vanthu_core::model::{Block, BlockKind, Document};

use super::{Message, State, set_field};
use crate::gui::session::{Ctx, Go};

/// The JSON pointers of the texts shown as areas, with their current text.
pub fn area_texts(doc: &Document) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    if let Some(subject) = &doc.subject {
        out.push(("/subject".to_owned(), subject.as_str()));
    }
    if let Some(words) = &doc.enacting_words {
        out.push(("/enacting_words".to_owned(), words.as_str()));
    }
    for (i, basis) in doc.bases.iter().enumerate() {
        out.push((format!("/bases/{i}"), basis.as_str()));
    }
    for (i, block) in doc.body.iter().enumerate() {
        if block.kind != BlockKind::Table {
            out.push((format!("/body/{i}/text"), block.text.as_deref().unwrap_or("")));
        }
    }
    out
}

impl State {
    /// Builds the areas anew from the document (after a structural change).
    pub(super) fn rebuild_areas(&mut self) {
        self.areas.clear();
        if let Some(doc) = &self.doc {
            for (pointer, text) in area_texts(doc) {
                self.areas.insert(pointer, Content::with_text(text));
            }
        }
    }

    /// One edit in a text area.
    pub(super) fn edit_area(&mut self, pointer: String, action: Action, ctx: &mut Ctx<'_>) -> Go {
        let action = match action {
            Action::Edit(Edit::Enter) => return self.new_paragraph_after(&pointer, ctx),
            Action::Edit(Edit::Paste(text)) if text.contains(['\n', '\r']) => {
                let joined = text.split(['\n', '\r']).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join(" ");
                Action::Edit(Edit::Paste(Arc::new(joined)))
            }
            other => other,
        };
        let Some(content) = self.areas.get_mut(&pointer) else { return Go::Stay };
        let is_edit = action.is_edit();
        content.perform(action);
        if is_edit && let Some(doc) = &mut self.doc {
            let value = vanthu_core::text::nfc(&content.text());
            set_field(doc, &pointer, value);
            self.recheck(ctx);
        }
        Go::Stay
    }

    /// Enter in a content text: a new plain paragraph right below, focused.
    fn new_paragraph_after(&mut self, pointer: &str, ctx: &mut Ctx<'_>) -> Go {
        let index = pointer.strip_prefix("/body/").and_then(|rest| rest.strip_suffix("/text"));
        let Some(i) = index.and_then(|i| i.parse::<usize>().ok()) else { return Go::Stay };
        let Some(doc) = &mut self.doc else { return Go::Stay };
        if i >= doc.body.len() {
            return Go::Stay;
        }
        doc.body.insert(i + 1, Block::text(BlockKind::Paragraph, ""));
        self.restructured(ctx);
        Go::Focus(iced::widget::Id::from(format!("/body/{}/text", i + 1)))
    }

    /// The area editing `pointer` (an empty, inert one if it is not an area).
    pub(super) fn area<'a>(&'a self, pointer: &str, placeholder: &'a str) -> Element<'a, Message> {
        match self.areas.get(pointer) {
            Some(content) => {
                let owned = pointer.to_owned();
                iced::widget::text_editor(content)
                    .id(iced::widget::Id::from(pointer.to_owned()))
                    .placeholder(placeholder)
                    .on_action(move |a| Message::Area(owned.clone(), a))
                    .padding(6)
                    .height(Length::Shrink)
                    .into()
            }
            None => iced::widget::text("").into(),
        }
    }
}
