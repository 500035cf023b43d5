//! The editor's text areas: the trích yếu, căn cứ, từ ngữ ban hành and every text of
//! the content are multi-line areas that grow with their text (a 230-character
//! paragraph is seen whole). Each is a paragraph of the document: Enter in a content
//! text splits it at the cursor (what follows the cursor becomes a new paragraph
//! below); Backspace at the start of a plain paragraph joins it to the text above; a
//! pasted line break becomes a space.

use std::sync::Arc;

use iced::widget::text_editor::{Action, Content, Cursor, Edit, Position};
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
            Action::Edit(Edit::Enter) => return self.split_paragraph(&pointer, ctx),
            Action::Edit(Edit::Backspace) if self.at_start(&pointer) => {
                if let Some(go) = self.join_with_previous(&pointer, ctx) {
                    return go;
                }
                Action::Edit(Edit::Backspace)
            }
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

    /// Whether the cursor of the area is at its very start with nothing selected.
    fn at_start(&self, pointer: &str) -> bool {
        self.areas.get(pointer).is_some_and(|content| {
            let cursor = content.cursor();
            cursor.position == Position { line: 0, column: 0 } && cursor.selection.is_none_or(|s| s == cursor.position)
        })
    }

    /// Enter in a content text: the text after the cursor (a selection is dropped)
    /// goes to a new plain paragraph right below, which takes the keyboard with its
    /// cursor at the start. Enter at the end gives an empty paragraph.
    fn split_paragraph(&mut self, pointer: &str, ctx: &mut Ctx<'_>) -> Go {
        let Some(i) = body_index(pointer) else { return Go::Stay };
        let Some(content) = self.areas.get(pointer) else { return Go::Stay };
        let text = content.text();
        let cursor = content.cursor();
        let at = byte_offset(&text, cursor.position);
        let other = cursor.selection.map_or(at, |s| byte_offset(&text, s));
        let (start, end) = (at.min(other), at.max(other));
        let before = vanthu_core::text::nfc(text[..start].trim_end());
        let after = vanthu_core::text::nfc(text[end..].trim_start());
        let Some(doc) = &mut self.doc else { return Go::Stay };
        let Some(block) = doc.body.get_mut(i).filter(|b| b.kind != BlockKind::Table) else { return Go::Stay };
        block.text = Some(before);
        doc.body.insert(i + 1, Block::text(BlockKind::Paragraph, &after));
        self.restructured(ctx);
        Go::Focus(iced::widget::Id::from(format!("/body/{}/text", i + 1)))
    }

    /// Backspace at the start of a plain paragraph whose block above holds text: the
    /// two become one (joined by a space), the cursor where they meet. `None` when
    /// that is not natural (the first block, a numbered item, a table above): the
    /// Backspace then does what it does in any field.
    fn join_with_previous(&mut self, pointer: &str, ctx: &mut Ctx<'_>) -> Option<Go> {
        let i = body_index(pointer).filter(|i| *i > 0)?;
        let doc = self.doc.as_mut()?;
        let current = doc.body.get(i).filter(|b| b.kind == BlockKind::Paragraph)?;
        let previous = doc.body.get(i - 1).filter(|b| b.kind != BlockKind::Table && b.text.is_some())?;
        let head = previous.text.clone().unwrap_or_default().trim_end().to_owned();
        let tail = current.text.clone().unwrap_or_default().trim_start().to_owned();
        let joint = if head.is_empty() || tail.is_empty() { head.len() } else { head.len() + 1 };
        let joined =
            if head.is_empty() || tail.is_empty() { format!("{head}{tail}") } else { format!("{head} {tail}") };
        doc.body[i - 1].text = Some(vanthu_core::text::nfc(&joined));
        doc.body.remove(i);
        self.restructured(ctx);
        let above = format!("/body/{}/text", i - 1);
        if let Some(content) = self.areas.get_mut(&above) {
            content.move_to(Cursor { position: Position { line: 0, column: joint }, selection: None });
        }
        Some(Go::Focus(iced::widget::Id::from(above)))
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

/// The index N of a `/body/N/text` pointer.
fn body_index(pointer: &str) -> Option<usize> {
    pointer.strip_prefix("/body/")?.strip_suffix("/text")?.parse().ok()
}

/// The byte offset in `text` of an editor position (its column counts bytes of its
/// line), kept on a character boundary.
fn byte_offset(text: &str, position: Position) -> usize {
    let mut offset = 0;
    for (n, line) in text.split('\n').enumerate() {
        if n == position.line {
            let mut at = offset + position.column.min(line.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            return at;
        }
        offset += line.len() + 1;
    }
    text.len()
}
