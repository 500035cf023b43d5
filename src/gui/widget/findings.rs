//! The live 4-đúng panel: findings grouped by đúng, each with its reference; a
//! click focuses the field, and a safe autofix has its own button.

use iced::widget::{button, column, container, row, text};
use iced::{Element, Length};
use vanthu_core::rules::Finding;
use vanthu_core::ruleset::{Category, Severity};

use crate::gui::{font, theme};

/// What the panel reports to its screen.
pub trait Handler<M> {
    /// The user clicked the finding at `index` (focus its field).
    fn focus(&self, index: usize) -> M;
    /// The user asked for the autofix of the finding at `index`.
    fn fix(&self, index: usize) -> Option<M>;
}

/// A handler from two closures.
pub struct Callbacks<F, G> {
    /// Focus.
    pub focus: F,
    /// Autofix, if the screen may change the document.
    pub fix: Option<G>,
}

impl<M, F: Fn(usize) -> M, G: Fn(usize) -> M> Handler<M> for Callbacks<F, G> {
    fn focus(&self, index: usize) -> M {
        (self.focus)(index)
    }
    fn fix(&self, index: usize) -> Option<M> {
        self.fix.as_ref().map(|f| f(index))
    }
}

/// Counts of errors and warnings.
pub fn counts(findings: &[Finding]) -> (usize, usize) {
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    (errors, findings.len() - errors)
}

/// Draws the panel.
pub fn panel<'a, M: Clone + 'a>(findings: &'a [Finding], handler: &impl Handler<M>) -> Element<'a, M> {
    let (errors, warnings) = counts(findings);
    let summary = if findings.is_empty() {
        text("Đạt 4 đúng: không có lỗi hay cảnh báo.").color(theme::OK)
    } else {
        text(format!("{errors} lỗi, {warnings} cảnh báo")).color(if errors > 0 { theme::ERROR } else { theme::WARNING })
    };
    let mut col = column![text("Kiểm tra 4 đúng").size(theme::HEADING).font(font::BOLD), summary].spacing(8);
    for category in Category::ALL {
        let in_category: Vec<(usize, &Finding)> =
            findings.iter().enumerate().filter(|(_, f)| f.category == category).collect();
        let head = format!("{} ({})", category.label(), in_category.len());
        col = col.push(text(head).font(font::BOLD).color(if in_category.is_empty() { theme::OK } else { theme::TEXT }));
        for (index, finding) in in_category {
            col = col.push(item(index, finding, handler));
        }
    }
    container(col).padding(12).width(Length::Fill).style(container::rounded_box).into()
}

fn item<'a, M: Clone + 'a>(index: usize, f: &'a Finding, handler: &impl Handler<M>) -> Element<'a, M> {
    let (label, colour) = match f.severity {
        Severity::Error => ("Lỗi", theme::ERROR),
        Severity::Warning => ("Cảnh báo", theme::WARNING),
        Severity::Info => ("Thông tin", theme::MUTED),
    };
    let mut body = column![
        row![
            text(format!("{label} {}", f.rule)).font(font::BOLD).color(colour),
            text(field_name(&f.field)).color(theme::MUTED)
        ]
        .spacing(8),
        text(quoted(&f.message)),
        text(format!("Căn cứ: {}", f.reference)).size(12).color(theme::MUTED),
    ]
    .spacing(2);
    if let (Some(fix), Some(message)) = (&f.fix, handler.fix(index)) {
        body = body.push(
            row![
                button(text("Sửa tự động").size(13)).on_press(message).padding([2, 8]),
                text(format!("→ {}", ellipsis(fix, 60))).size(12).color(theme::MUTED)
            ]
            .spacing(8),
        );
    }
    button(body).on_press(handler.focus(index)).style(button::text).width(Length::Fill).padding(4).into()
}

/// The Vietnamese name of a document field, from its JSON pointer (`/bases/0` →
/// "Căn cứ thứ 1"); users never see a pointer.
pub fn field_name(pointer: &str) -> String {
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').filter(|p| !p.is_empty()).collect();
    let name = |key: &str| -> &str {
        match key {
            "issuer" => "Tên cơ quan ban hành",
            "parent" => "Cơ quan chủ quản",
            "name" => "Tên",
            "number" => "Số",
            "notation" => "Ký hiệu",
            "place" => "Địa danh",
            "date" => "Ngày ban hành",
            "kind" => "Loại văn bản",
            "subject" => "Trích yếu",
            "addressees" => "Kính gửi",
            "authority_line" => "Thẩm quyền ban hành",
            "bases" => "Căn cứ",
            "enacting_words" => "Lời ban hành",
            "body" => "Nội dung",
            "signer" => "Chữ ký",
            "position" => "Chức vụ người ký",
            "principal" => "Quyền hạn ký",
            "deputy" => "Cấp phó ký thay",
            "recipients" => "Nơi nhận",
            "urgency" => "Độ khẩn",
            "secrecy" => "Độ mật",
            "circulation" => "Phạm vi phổ biến",
            "drafter_code" => "Ký hiệu người soạn thảo",
            "copies" => "Số lượng bản",
            "due_date" => "Hạn xử lý",
            "text" => "Văn bản",
            "title" => "Tiêu đề",
            "label" => "Số thứ tự",
            "rows" => "Hàng",
            "appendices" => "Phụ lục",
            _ => "",
        }
    };
    let mut out: Vec<String> = Vec::new();
    for part in parts {
        if let Ok(n) = part.parse::<usize>() {
            out.push(format!("thứ {}", n + 1));
        } else {
            let n = name(part);
            out.push(if n.is_empty() { "trường khác".to_owned() } else { n.to_owned() });
        }
    }
    if out.is_empty() { "Cả văn bản".to_owned() } else { out.join(" ") }
}

/// A core message as shown: `code` spans become quoted text (“.”), without
/// backticks.
pub fn quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut open = true;
    for c in message.chars() {
        if c == '`' {
            out.push(if open { '“' } else { '”' });
            open = !open;
        } else {
            out.push(c);
        }
    }
    out
}

/// Shortens a text to `max` characters.
pub fn ellipsis(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_owned() } else { s.chars().take(max).collect::<String>() + "…" }
}
