//! The plain-text rendering `vanthu show` prints.

use vanthu_core::model::{Family, OutgoingState};

/// A readable plain-text rendering of a document for `show`.
pub(crate) fn render_document(d: &vanthu_core::model::Document, state: OutgoingState) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let kind = vanthu_core::ruleset::kind_name(d.family, d.kind.as_str()).unwrap_or(d.kind.as_str());
    let _ = writeln!(s, "Trạng thái: {}", state.label());
    if let Some(parent) = &d.issuer.parent {
        let _ = writeln!(s, "{parent}");
    }
    let _ = writeln!(s, "{}", d.issuer.name);
    match (d.number_notation(), d.family) {
        (Some(n), Family::State) => {
            let _ = writeln!(s, "Số: {n}");
        }
        (Some(n), Family::Party) => {
            let _ = writeln!(s, "Số {n}");
        }
        (None, _) => {
            let _ = writeln!(s, "Số: (chưa cấp)");
        }
    }
    let date = d.date.map_or_else(|| "(chưa ghi ngày)".to_owned(), vanthu_core::text::vietnamese_date);
    let _ = writeln!(s, "{}, {date}", d.place);
    let _ = writeln!(s, "\n{}", kind.to_uppercase());
    if let Some(subject) = &d.subject {
        let _ = writeln!(s, "{subject}");
    }
    for a in &d.addressees {
        let _ = writeln!(s, "Kính gửi: {a}");
    }
    for b in &d.bases {
        let _ = writeln!(s, "{b}");
    }
    if let Some(w) = &d.enacting_words {
        let _ = writeln!(s, "{w}");
    }
    for block in &d.body {
        let parts: Vec<&str> =
            [&block.label, &block.title, &block.text].into_iter().flatten().map(String::as_str).collect();
        let _ = writeln!(s, "{}", parts.join(" "));
    }
    let _ = writeln!(s);
    if let Some(form) = &d.signer.form {
        let _ = writeln!(s, "{form} {}", d.signer.principal.as_deref().unwrap_or(""));
    }
    let _ = writeln!(s, "{}\n{}", d.signer.position, d.signer.name);
    let _ = writeln!(s, "\nNơi nhận:");
    for r in &d.recipients {
        let _ = writeln!(s, "- {r}");
    }
    s
}
