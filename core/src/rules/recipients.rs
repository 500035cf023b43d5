//! Nơi nhận rules (TT-27 … TT-31): the recipient lines, their marks, the Lưu line
//! and "Như trên". Their legal references are in the rulesets (assets/rules).

use super::util::trim_end_punct;
use super::{Env, Out};

pub(super) fn recipients_present(env: &Env<'_>, out: &mut Out) {
    if env.doc.recipients.iter().all(|r| r.trim().is_empty()) {
        out.report("/recipients", "Thiếu nơi nhận.");
    }
}

pub(super) fn recipients_punctuation(env: &Env<'_>, out: &mut Out) {
    let n = env.doc.recipients.len();
    let marks = &env.params.practice.recipient_line_marks;
    for (i, line) in env.doc.recipients.iter().enumerate().take(n.saturating_sub(1)) {
        let line_end = line.trim_end();
        // A group line introducing `+ ` sub-lines ends with a colon (`Các Bộ:`).
        let opens_group = line_end.ends_with(':') && env.doc.recipients[i + 1].starts_with("+ ");
        if opens_group {
            continue;
        }
        let accepted = marks.iter().any(|m| line_end.ends_with(m.as_str()));
        if !accepted || line_end.ends_with(".;") || line_end.ends_with(".,") {
            let names = marks.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" hoặc ");
            out.fixable(
                format!("/recipients/{i}"),
                format!("Dòng nơi nhận `{line}` phải kết thúc bằng {names}."),
                format!("{}{}", trim_end_punct(line), marks[0]),
            );
        }
    }
}

/// Whether a recipient line is a Lưu line.
pub(super) fn is_luu(line: &str) -> bool {
    let line = line.trim_start_matches(['-', '–', ' ', '+']);
    ["Lưu", "LƯU", "lưu"].iter().any(|w| line.strip_prefix(w).is_some_and(|rest| rest.starts_with([':', ' '])))
}

/// What follows `Lưu` on the line, without its colon and final full stop.
pub(super) fn luu_content(line: &str) -> &str {
    let body = line.trim_start_matches(['-', '–', ' ', '+']);
    let after: &str = body.char_indices().nth(3).map_or("", |(i, _)| &body[i..]);
    trim_end_punct(after.trim_start_matches([':', ' ']))
}

pub(super) fn luu_line(env: &Env<'_>, out: &mut Out) {
    let recipients = &env.doc.recipients;
    if recipients.is_empty() {
        return;
    }
    let p = env.params;
    let example = format!("{}{}.", p.luu_prefix, if p.luu_requires_vt { "VT, TH" } else { "Văn phòng Tỉnh ủy" });
    let last = recipients.len() - 1;
    for (i, line) in recipients.iter().enumerate().take(last) {
        if is_luu(line) {
            out.report(format!("/recipients/{i}"), "Dòng Lưu phải là dòng cuối của nơi nhận.");
        }
    }
    let line = &recipients[last];
    if !is_luu(line) {
        let message = format!("Dòng cuối của nơi nhận phải là dòng Lưu, ví dụ `{example}`.");
        match env.doc.drafter_code.as_deref().filter(|c| !c.is_empty() && p.luu_requires_vt) {
            Some(code) => {
                out.fixable(format!("/recipients/{}", last + 1), message, format!("{}VT, {code}.", p.luu_prefix))
            }
            None => out.report(format!("/recipients/{last}"), message),
        }
        return;
    }
    let content = luu_content(line);
    let names_vt = content == "VT" || content.starts_with("VT,") || content.starts_with("VT ");
    if p.luu_requires_vt && names_vt && content != "VT" && !content.starts_with("VT, ") {
        let rest = content[2..].trim_start_matches([',', ' ']);
        out.fixable(
            format!("/recipients/{last}"),
            format!("Dòng Lưu ghi `VT` rồi dấu phẩy trước đơn vị soạn thảo, ví dụ `{example}` (đang ghi `{line}`)."),
            format!("{}VT, {rest}.", p.luu_prefix),
        );
        return;
    }
    if p.luu_requires_vt && !names_vt {
        out.report(
            format!("/recipients/{last}"),
            format!("Dòng Lưu phải ghi văn thư cơ quan (VT) trước đơn vị soạn thảo, ví dụ `{example}`."),
        );
        return;
    }
    // Party offices print `Lưu: VT, …` and `Lưu: Văn phòng …` beside HD 36's
    // `Lưu Văn phòng Tỉnh ủy.`: where the family says so, only information.
    // A missing final full stop is a defect whatever the form.
    let lenient = p.practice.luu_other_forms_as_info && line.trim_end().ends_with('.');
    if !p.luu_requires_vt && names_vt {
        let message = format!(
            "Dòng Lưu của văn bản {} theo mẫu ghi tên cơ quan lưu, không ghi VT, ví dụ `{example}` (đang ghi `{line}`).",
            env.doc.family.label()
        );
        if lenient {
            out.inform(format!("/recipients/{last}"), message);
        } else {
            out.report(format!("/recipients/{last}"), message);
        }
        return;
    }
    let canonical = format!("{}{content}.", p.luu_prefix);
    if line != &canonical && !content.is_empty() {
        let message = format!("Dòng Lưu phải đúng mẫu `{example}` (đang ghi `{line}`).");
        let variant = p.practice.luu_prefix_variants.iter().any(|v| v != &p.luu_prefix && line.starts_with(v.as_str()));
        if variant && line.trim_end().ends_with('.') && line == &format!("{}{content}.", line_prefix(line)) {
            out.suggest(format!("/recipients/{last}"), message, canonical);
        } else {
            out.fixable(format!("/recipients/{last}"), message, canonical);
        }
    }
}

/// The `Lưu` word with what separates it from the holder (`Lưu `, `Lưu: `).
fn line_prefix(line: &str) -> &str {
    let rest = line.trim_start_matches(|c: char| c.is_alphabetic());
    let holder = rest.trim_start_matches([':', ' ']);
    &line[..line.len() - holder.len()]
}

/// A Nơi nhận or Kính gửi entry without its dash, final mark and bracketed note
/// (`(b/c)`, `(để t/h)`), as a comparison key.
fn entry_key(line: &str) -> String {
    let line = trim_end_punct(line.trim_start_matches(['-', '–', '+', ' ']));
    let line = match line.rfind(" (") {
        Some(i) if line.ends_with(')') => &line[..i],
        _ => line,
    };
    crate::text::name_key(trim_end_punct(line))
}

/// Whether the Nơi nhận names every Kính gửi entry itself instead of "Như trên"
/// (a báo cáo sent upward: `Kính gửi: Ban Bí thư`, `- Ban Bí thư (b/c),`).
fn names_the_addressees(env: &Env<'_>) -> bool {
    let recipients: Vec<String> = env.doc.recipients.iter().map(|r| entry_key(r)).collect();
    env.doc
        .addressees
        .iter()
        .map(|a| entry_key(a))
        .filter(|a| !a.is_empty())
        .all(|a| recipients.iter().any(|r| !r.is_empty() && (r.starts_with(a.as_str()) || a.starts_with(r.as_str()))))
}

pub(super) fn nhu_tren(env: &Env<'_>, out: &mut Out) {
    if env.doc.addressees.is_empty() || env.doc.recipients.is_empty() {
        return;
    }
    let first = trim_end_punct(&env.doc.recipients[0]);
    // `Như trên (t/h);`: a note in brackets after "Như trên", where the family allows it.
    let first = match first.split_once(" (") {
        Some((head, note)) if env.params.practice.as_above_note_allowed && note.ends_with(')') => head,
        _ => first,
    };
    if !matches!(first, "Như trên" | "như trên" | "NHƯ TRÊN") && !names_the_addressees(env) {
        out.report("/recipients/0", "Văn bản có Kính gửi: dòng đầu của nơi nhận là \"Như trên;\".");
    }
}

pub(super) fn recipient_dash(env: &Env<'_>, out: &mut Out) {
    let lists = [("recipients", &env.doc.recipients), ("addressees", &env.doc.addressees)];
    for (name, list) in lists {
        for (i, line) in list.iter().enumerate() {
            // Format revision 2: `+ ` opens a sub-line of the Nơi nhận line before it.
            let sub_line = name == "recipients" && i > 0 && line.starts_with("+ ");
            if line.starts_with(['-', '–', '+', '•']) && !sub_line {
                out.fixable(
                    format!("/{name}/{i}"),
                    "Dòng ghi không kèm gạch đầu dòng: dấu \"- \" được in tự động.",
                    line.trim_start_matches(['-', '–', '+', '•', ' ']).to_owned(),
                );
            }
        }
    }
}
