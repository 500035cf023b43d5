//! Đúng nội dung: structure and wording that can be checked mechanically
//! (numbering of Điều, khoản, điểm and headings; no placeholder left; the
//! components each kind needs; the end mark).

use super::util::{
    POINT_LETTERS, article_number, capitalize_first, contains_any_case, leading_number, parse_roman, roman,
    starts_lowercase, tidy_spaces, trim_end_punct,
};
use super::{Env, Out, RuleFn};
use crate::model::BlockKind;

pub(super) const RULES: &[(&str, RuleFn)] = &[
    ("ND-01", subject_present),
    ("ND-02", subject_no_full_stop),
    ("ND-03", subject_capitalised),
    ("ND-04", articles_consecutive),
    ("ND-05", clauses_consecutive),
    ("ND-06", points_in_order),
    ("ND-07", headings_in_order),
    ("ND-08", no_placeholder),
    ("ND-09", addressees_present),
    ("ND-10", end_mark),
    ("ND-11", body_present),
    ("ND-12", blocks_have_text),
    ("ND-13", decision_has_articles),
    ("ND-14", decision_effect_clause),
    ("ND-15", no_stray_spaces),
    ("ND-16", balanced_marks),
    ("ND-17", no_duplicate_recipient),
];

fn subject_present(env: &Env<'_>, out: &mut Out) {
    if !env.kind_in(&env.params.kinds_without_subject) && env.doc.subject.as_deref().is_none_or(|s| s.trim().is_empty())
    {
        out.report("/subject", "Thiếu trích yếu nội dung văn bản.");
    }
}

fn subject_no_full_stop(env: &Env<'_>, out: &mut Out) {
    let Some(subject) = env.doc.subject.as_deref() else { return };
    if subject.trim_end().ends_with('.') && !subject.trim_end().ends_with("...") {
        out.fixable(
            "/subject",
            "Trích yếu không kết thúc bằng dấu chấm.",
            subject.trim_end().trim_end_matches('.').trim_end().to_owned(),
        );
    }
}

fn subject_capitalised(env: &Env<'_>, out: &mut Out) {
    // The trích yếu of a công văn follows "V/v" and may start in lower case.
    if env.kind == "cong-van" {
        return;
    }
    let Some(subject) = env.doc.subject.as_deref() else { return };
    match env.params.practice.subject_first_letter.as_str() {
        "upper" if starts_lowercase(subject) => {
            out.fixable("/subject", "Trích yếu viết hoa chữ cái đầu.", capitalize_first(subject.trim_start()))
        }
        "lower" if subject.trim_start().chars().next().is_some_and(char::is_uppercase) => {
            let trimmed = subject.trim_start();
            let mut chars = trimmed.chars();
            let first: String = chars.next().map(|c| c.to_lowercase().collect()).unwrap_or_default();
            // Only the first word is lowered, and only when it is not all capitals (`UBND`).
            let word = trimmed.split(' ').next().unwrap_or("");
            if word.chars().skip(1).any(char::is_uppercase) {
                return;
            }
            out.fixable(
                "/subject",
                "Trích yếu dưới tên loại viết thường chữ cái đầu (\"về …\").",
                first + chars.as_str(),
            )
        }
        _ => {}
    }
}

fn articles_consecutive(env: &Env<'_>, out: &mut Out) {
    let mut expected = 1;
    for (i, block) in env.doc.body.iter().enumerate().filter(|(_, b)| b.kind == BlockKind::Article) {
        let Some(label) = block.label.as_deref() else { continue };
        let Some(n) = article_number(label) else { continue };
        if n != expected {
            out.report(
                format!("/body/{i}/label"),
                format!(
                    "Các Điều đánh số liên tục: sau Điều {} là Điều {expected}, không phải `{label}`.",
                    expected - 1
                ),
            );
            return;
        }
        expected += 1;
    }
}

fn clauses_consecutive(env: &Env<'_>, out: &mut Out) {
    let mut expected = 1;
    for (i, block) in env.doc.body.iter().enumerate() {
        match block.kind {
            BlockKind::Clause => {
                let Some(label) = block.label.as_deref() else { continue };
                let Some((n, _)) = leading_number(label.trim()) else { continue };
                if n != expected {
                    out.report(
                        format!("/body/{i}/label"),
                        format!("Các khoản đánh số liên tục: cần khoản {expected}, đang ghi `{label}`."),
                    );
                    return;
                }
                expected += 1;
            }
            BlockKind::Point | BlockKind::Paragraph => {}
            _ => expected = 1,
        }
    }
}

fn points_in_order(env: &Env<'_>, out: &mut Out) {
    let mut expected = 0usize;
    for (i, block) in env.doc.body.iter().enumerate() {
        match block.kind {
            BlockKind::Point => {
                let Some(label) = block.label.as_deref() else { continue };
                let letter = label.trim().trim_start_matches('(').chars().next().and_then(|c| c.to_lowercase().next());
                let Some(letter) = letter.filter(|c| c.is_alphabetic()) else { continue };
                let want = POINT_LETTERS.get(expected).copied().unwrap_or('?');
                if letter != want {
                    out.report(
                        format!("/body/{i}/label"),
                        format!("Các điểm đánh theo thứ tự chữ cái tiếng Việt (a, b, c, d, đ, e, g, h, i, k …): cần `{want})`, đang ghi `{label}`."),
                    );
                    return;
                }
                expected += 1;
            }
            BlockKind::Paragraph => {}
            _ => expected = 0,
        }
    }
}

/// The numbering levels of headings.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HeadingLevel {
    Letter,
    Roman,
    Arabic,
}

/// A heading label's level and value: `A.` (letter), `I.`/`I-` (Roman, I to XXXIX),
/// `1.` (Arabic).
fn heading_number(label: &str) -> Option<(HeadingLevel, u32)> {
    let core = label.trim().trim_end_matches(['.', '-', ')', ':', ' ']);
    if core.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
        && let Some(n) = parse_roman(core)
    {
        return Some((HeadingLevel::Roman, n));
    }
    let mut chars = core.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_ascii_uppercase()
    {
        return Some((HeadingLevel::Letter, u32::from(c) - u32::from('A') + 1));
    }
    leading_number(core).filter(|(_, rest)| rest.is_empty()).map(|(n, _)| (HeadingLevel::Arabic, n))
}

/// Whether a heading label names a part, chapter or section (`Phần thứ hai`,
/// `PHẦN II`, `Chương I`, `Mục 2`) rather than a numbered heading.
fn is_division_label(label: &str) -> bool {
    let first = label.split_whitespace().next().unwrap_or("");
    let key = crate::text::name_key(first);
    matches!(key.as_str(), "PHẦN" | "CHƯƠNG" | "MỤC") && label.split_whitespace().nth(1).is_some()
}

fn headings_in_order(env: &Env<'_>, out: &mut Out) {
    // Next expected number per level; a higher level restarts the lower ones, and a
    // part, chapter or section restarts them all.
    let mut next = [1u32; 3];
    let index = |level: HeadingLevel| match level {
        HeadingLevel::Letter => 0,
        HeadingLevel::Roman => 1,
        HeadingLevel::Arabic => 2,
    };
    for (i, block) in env.doc.body.iter().enumerate() {
        match block.kind {
            BlockKind::Part | BlockKind::Chapter | BlockKind::Section => next = [1; 3],
            BlockKind::Heading => {
                let Some(label) = block.label.as_deref() else { continue };
                // `Phần thứ nhất`, `PHẦN I`, `Chương II` typed as a heading: a part
                // restarts the numbering below it (báo cáo chính trị, Party reports).
                if is_division_label(label) {
                    next = [1; 3];
                    continue;
                }
                let Some((level, n)) = heading_number(label) else { continue };
                let k = index(level);
                if n != next[k] {
                    // The expected number in the label's own numerals (`III`, `3`, `C`).
                    let want = match level {
                        HeadingLevel::Roman => roman(next[k]),
                        HeadingLevel::Arabic => next[k].to_string(),
                        HeadingLevel::Letter => {
                            char::from_u32(u32::from('A') + next[k] - 1).map(String::from).unwrap_or_default()
                        }
                    };
                    out.report(
                        format!("/body/{i}/label"),
                        format!("Các đề mục đánh số theo thứ tự: cần mục số {want}, đang ghi `{label}`."),
                    );
                    return;
                }
                next[k] += 1;
                for lower in next.iter_mut().skip(k + 1) {
                    *lower = 1;
                }
            }
            _ => {}
        }
    }
}

fn no_placeholder(env: &Env<'_>, out: &mut Out) {
    // Labels (`Chương XXX`) are not text to fill in, and an appendix may be a form
    // with blanks on purpose.
    for scan in env.scans().iter().filter(|s| !s.field.is_label() && !s.field.is_appendix()) {
        if let Some(marker) = scan.marker.map(|i| env.params.placeholders[i].as_str()) {
            out.report(
                scan.field.pointer(),
                format!("Còn chỗ trống chưa điền (`{marker}`): điền đủ nội dung trước khi trình."),
            );
        } else if only_an_ellipsis(scan.text) {
            // An ellipsis in prose means "v.v."; a field that is nothing else is a blank.
            out.report(scan.field.pointer(), "Còn chỗ trống chưa điền (chỉ có `…`): điền đủ nội dung trước khi trình.");
        }
    }
}

/// Whether a field holds nothing but an ellipsis (`…`, `...;`).
fn only_an_ellipsis(text: &str) -> bool {
    let mut dots = 0;
    for c in text.chars().filter(|c| !c.is_whitespace() && !matches!(c, ';' | ',' | ':')) {
        match c {
            '.' => dots += 1,
            '…' => dots += 3,
            _ => return false,
        }
    }
    dots >= 3
}

fn addressees_present(env: &Env<'_>, out: &mut Out) {
    if env.kind_in(&env.params.kinds_with_addressees) && env.doc.addressees.iter().all(|a| a.trim().is_empty()) {
        out.report("/addressees", "Thiếu phần Kính gửi (nơi nhận văn bản để giải quyết).");
    }
}

/// Whether a block's text is an attachment note printed after the end mark
/// (`(Kèm theo Danh sách …)`): it starts with one of the ruleset's note prefixes or
/// is wholly in parentheses.
fn is_attachment_note(env: &Env<'_>, text: &str) -> bool {
    let text = text.trim();
    (text.starts_with('(') && text.ends_with(')') && !text[1..].contains('('))
        || env.params.attachment_note_prefixes.iter().any(|p| text.starts_with(p.as_str()))
}

/// `text` split into what precedes its end punctuation, and whether that punctuation
/// is exactly `mark` (not `../.`, not `/./.`, not `. /.`).
fn split_end_mark<'t>(text: &'t str, mark: &str) -> (&'t str, bool) {
    let text = text.trim_end();
    let base = text.trim_end_matches(|c: char| matches!(c, '.' | ';' | ',' | ':' | '/') || c.is_whitespace());
    (base, text.strip_prefix(base).is_some_and(|tail| tail == mark))
}

fn end_mark(env: &Env<'_>, out: &mut Out) {
    let mark = env.params.body_end_mark.as_str();
    let texts: Vec<(usize, &str)> = env
        .doc
        .body
        .iter()
        .enumerate()
        // A `note` block is printed after the end mark (format revision 2).
        .filter(|(_, b)| b.kind != BlockKind::Note)
        .filter_map(|(i, b)| b.text.as_deref().filter(|t| !t.trim().is_empty()).map(|t| (i, t)))
        .collect();
    // Attachment notes after the last paragraph are not the end of the text.
    let mut last = texts.len();
    while last > 1 && is_attachment_note(env, texts[last - 1].1) && !split_end_mark(texts[last - 1].1, mark).1 {
        last -= 1;
    }
    let Some(&(i, text)) = last.checked_sub(1).and_then(|k| texts.get(k)) else { return };
    let (base, right) = split_end_mark(text, mark);
    // A last sentence ending with an ellipsis ("v.v.") ends with a full stop too.
    let ellipsis = mark == "." && (text.trim_end().ends_with("...") || text.trim_end().ends_with('…'));
    if right || ellipsis {
        return;
    }
    let message = format!("Nội dung văn bản {} kết thúc bằng `{mark}`.", env.doc.family.label());
    // `./.` in a Party document: practice prints `.`, but no text the checker holds
    // forbids the other mark (ruleset data `end_marks_as_info`).
    let tail = text.trim_end().strip_prefix(base).unwrap_or("").trim();
    if env.params.practice.end_marks_as_info.iter().any(|m| m == tail) {
        out.suggest(format!("/body/{i}/text"), format!("{message} (đang ghi `{tail}`)"), format!("{base}{mark}"));
        return;
    }
    // A distinctive mark (`./.`, not a plain full stop) already ends an earlier block:
    // appending a second one is no fix.
    let distinctive = mark.chars().count() > 1;
    if let Some(&(k, _)) = texts[..last - 1].iter().rev().find(|(_, t)| distinctive && split_end_mark(t, mark).1) {
        out.report(
            format!("/body/{i}/text"),
            format!("{message} Dấu `{mark}` đang ở khối {k}, trước phần cuối của nội dung: đặt ở cuối nội dung hoặc ghi phần sau thành ghi chú."),
        );
        return;
    }
    out.fixable(format!("/body/{i}/text"), message, format!("{base}{mark}"));
}

fn body_present(env: &Env<'_>, out: &mut Out) {
    if env.doc.body.is_empty() {
        out.report("/body", "Văn bản chưa có nội dung.");
    }
}

fn blocks_have_text(env: &Env<'_>, out: &mut Out) {
    for (i, block) in env.doc.body.iter().enumerate() {
        let empty = |s: &Option<String>| s.as_deref().is_none_or(|t| t.trim().is_empty());
        let cells = block.rows.iter().flatten().flatten().any(|c| !c.trim().is_empty());
        if empty(&block.text) && empty(&block.title) && !cells {
            out.report(format!("/body/{i}"), "Khối nội dung trống: ghi nội dung hoặc xóa khối.");
        }
    }
}

fn decision_has_articles(env: &Env<'_>, out: &mut Out) {
    if env.kind_in(&env.params.kinds_with_articles) && !env.doc.body.iter().any(|b| b.kind == BlockKind::Article) {
        out.report("/body", "Quyết định trình bày nội dung theo Điều (Điều 1., Điều 2. …).");
    }
}

fn decision_effect_clause(env: &Env<'_>, out: &mut Out) {
    if env.kind != "quyet-dinh" || !env.doc.body.iter().any(|b| b.kind == BlockKind::Article) {
        return;
    }
    let texts = || env.doc.body.iter().filter_map(|b| b.text.as_deref());
    let effect = texts().any(|t| contains_any_case(t, "hiệu lực"));
    let execution = texts().any(|t| contains_any_case(t, "thi hành"));
    if !effect || !execution {
        let last = env.doc.body.iter().rposition(|b| b.text.as_deref().is_some_and(|t| !t.trim().is_empty()));
        let field = last.map_or_else(|| "/body".to_owned(), |i| format!("/body/{i}/text"));
        out.report(field, "Quyết định cần điều khoản hiệu lực và trách nhiệm thi hành (\"… có hiệu lực …\", \"… chịu trách nhiệm thi hành …\").");
    }
}

fn no_stray_spaces(env: &Env<'_>, out: &mut Out) {
    for scan in env.scans().iter().filter(|s| s.stray_spaces) {
        out.fixable(
            scan.field.pointer(),
            "Khoảng trắng thừa (hai dấu cách liền nhau hoặc ở đầu, cuối).",
            tidy_spaces(scan.text),
        );
    }
}

fn balanced_marks(env: &Env<'_>, out: &mut Out) {
    // Labels such as `a)` are unbalanced by design.
    // Parentheses balance within a field (inline enumerators `a)` excepted); a quoted
    // passage may span several blocks, so quotes balance over the whole body.
    // The block named is where the imbalance is: a closing quote with nothing open,
    // else the last opening quote never closed, else the last block with an odd
    // count of straight quotes.
    let (mut open, mut opened_at, mut stray, mut straight_total, mut odd_at) = (0usize, Vec::new(), None, 0, None);
    for scan in env.scans().iter().filter(|s| !s.field.is_label()) {
        let [_, _, straight, left, right] = scan.brackets;
        if scan.unbalanced_parentheses {
            out.report(scan.field.pointer(), "Dấu ngoặc đơn không cân đối (thiếu dấu mở hoặc đóng).");
        }
        if scan.field.is_body() {
            for _ in 0..left {
                open += 1;
                opened_at.push(scan.field);
            }
            for _ in 0..right {
                if open == 0 {
                    stray.get_or_insert(scan.field);
                } else {
                    open -= 1;
                    opened_at.pop();
                }
            }
            straight_total += straight;
            if straight % 2 != 0 {
                odd_at = Some(scan.field);
            }
        } else if straight % 2 != 0 || left != right {
            out.report(scan.field.pointer(), "Dấu ngoặc kép không cân đối (thiếu dấu mở hoặc đóng).");
        }
    }
    let curly = stray.or_else(|| opened_at.last().copied());
    let straight = (straight_total % 2 != 0).then_some(odd_at).flatten();
    if let Some(field) = curly.or(straight) {
        out.report(field.pointer(), "Dấu ngoặc kép trong nội dung không cân đối (thiếu dấu mở hoặc đóng).");
    }
}

fn no_duplicate_recipient(env: &Env<'_>, out: &mut Out) {
    let key = |line: &'_ str| trim_end_punct(line.trim_start_matches(['-', ' '])).to_owned();
    let recipients = &env.doc.recipients;
    for (i, line) in recipients.iter().enumerate() {
        let this = trim_end_punct(line.trim_start_matches(['-', ' ']));
        if !this.is_empty() && recipients[..i].iter().any(|earlier| key(earlier) == this) {
            out.report(format!("/recipients/{i}"), format!("Nơi nhận `{line}` bị ghi trùng."));
        }
    }
}
