//! Keeps Enter from submitting a form while an input method is composing.
//!
//! Vietnamese input methods (ibus-unikey, fcitx5-unikey, the Telex and VNI modes)
//! may hold the syllable being typed as pre-edit text until it is committed. iced's
//! text input submits on Enter whatever the pre-edit state, so a user pressing Enter
//! to accept a syllable would send the form without it. This wrapper follows the
//! input method's events and swallows Enter while pre-edit text is shown; the input
//! method then commits the text and the next Enter submits.

use iced::advanced::layout::{self, Layout};
use iced::advanced::widget::{Operation, Tree, Widget, tree};
use iced::advanced::{Clipboard, Shell, input_method, mouse, overlay, renderer};
use iced::keyboard::{self, key};
use iced::{Element, Event, Length, Rectangle, Size, Vector};

/// Wraps a widget (a text input) so that Enter does not submit while composing.
pub fn guard<'a, Message: 'a>(content: impl Into<Element<'a, Message>>) -> Element<'a, Message> {
    Element::new(ImeGuard { content: content.into() })
}

struct ImeGuard<'a, Message> {
    content: Element<'a, Message>,
}

/// Whether pre-edit text is being composed.
#[derive(Debug, Default)]
struct Composing(bool);

impl<Message> Widget<Message, iced::Theme, iced::Renderer> for ImeGuard<'_, Message> {
    fn size(&self) -> Size<Length> {
        self.content.as_widget().size()
    }

    fn size_hint(&self) -> Size<Length> {
        self.content.as_widget().size_hint()
    }

    fn layout(&mut self, tree: &mut Tree, renderer: &iced::Renderer, limits: &layout::Limits) -> layout::Node {
        self.content.as_widget_mut().layout(&mut tree.children[0], renderer, limits)
    }

    fn draw(
        &self,
        tree: &Tree,
        renderer: &mut iced::Renderer,
        theme: &iced::Theme,
        style: &renderer::Style,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
    ) {
        self.content.as_widget().draw(&tree.children[0], renderer, theme, style, layout, cursor, viewport);
    }

    fn tag(&self) -> tree::Tag {
        tree::Tag::of::<Composing>()
    }

    fn state(&self) -> tree::State {
        tree::State::new(Composing::default())
    }

    fn children(&self) -> Vec<Tree> {
        vec![Tree::new(&self.content)]
    }

    fn diff(&self, tree: &mut Tree) {
        tree.diff_children(std::slice::from_ref(&self.content));
    }

    fn operate(
        &mut self,
        tree: &mut Tree,
        layout: Layout<'_>,
        renderer: &iced::Renderer,
        operation: &mut dyn Operation,
    ) {
        self.content.as_widget_mut().operate(&mut tree.children[0], layout, renderer, operation);
    }

    fn update(
        &mut self,
        tree: &mut Tree,
        event: &Event,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        renderer: &iced::Renderer,
        clipboard: &mut dyn Clipboard,
        shell: &mut Shell<'_, Message>,
        viewport: &Rectangle,
    ) {
        let composing = tree.state.downcast_mut::<Composing>();
        match event {
            Event::InputMethod(input_method::Event::Preedit(content, _)) => composing.0 = !content.is_empty(),
            Event::InputMethod(input_method::Event::Commit(_) | input_method::Event::Closed) => composing.0 = false,
            Event::Keyboard(keyboard::Event::KeyPressed { key: keyboard::Key::Named(key::Named::Enter), .. })
                if composing.0 =>
            {
                shell.capture_event();
                return;
            }
            _ => {}
        }
        self.content.as_widget_mut().update(
            &mut tree.children[0],
            event,
            layout,
            cursor,
            renderer,
            clipboard,
            shell,
            viewport,
        );
    }

    fn mouse_interaction(
        &self,
        tree: &Tree,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
        renderer: &iced::Renderer,
    ) -> mouse::Interaction {
        self.content.as_widget().mouse_interaction(&tree.children[0], layout, cursor, viewport, renderer)
    }

    fn overlay<'b>(
        &'b mut self,
        tree: &'b mut Tree,
        layout: Layout<'b>,
        renderer: &iced::Renderer,
        viewport: &Rectangle,
        translation: Vector,
    ) -> Option<overlay::Element<'b, Message, iced::Theme, iced::Renderer>> {
        self.content.as_widget_mut().overlay(&mut tree.children[0], layout, renderer, viewport, translation)
    }
}
