//! The item of a pick list: a record's id or a fixed list's code, and what the
//! user reads.

/// A record offered in a picker: its id and what the user reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Database id, or 0 for fixed lists.
    pub id: i64,
    /// Code for fixed lists (kind code, rank code, retention item …).
    pub code: String,
    /// Label.
    pub label: String,
}

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// A record by id.
pub fn choice(id: i64, label: impl Into<String>) -> Choice {
    Choice { id, code: String::new(), label: label.into() }
}

/// An entry of a fixed list by code.
pub fn coded(code: &str, label: impl Into<String>) -> Choice {
    Choice { id: 0, code: code.to_owned(), label: label.into() }
}

/// An entry of a pick list shown shortened at a word boundary, so that it fits the
/// list's width instead of being cut mid-word or pushing the list off the window.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted<T> {
    /// The entry.
    pub value: T,
    /// What the list shows.
    short: String,
}

impl<T> std::fmt::Display for Fitted<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.short)
    }
}

/// About how many characters of 16 px UI text fit a pick list `width` px wide (the
/// handle and padding taken off; capitals are the widest letters).
pub fn chars_for(width: f32) -> usize {
    (((width - 44.0) / 9.5).floor() as usize).max(8)
}

/// `text` within `max` characters: cut at the last space that fits, with "…"; a
/// single longer word is cut where it must be.
pub fn shorten_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match head.rfind(' ') {
        Some(at) if at > 0 => head[..at].trim_end_matches([' ', ',', ';', '(', '—', '-']),
        _ => head.as_str(),
    };
    format!("{cut}…")
}

/// About how wide `text` is in 16 px UI text (Noto Sans), px: capitals and digits
/// are wide, spaces and stops narrow. An estimate, on the generous side.
pub fn estimated_width(text: &str) -> f32 {
    text.chars()
        .map(|c| match c {
            ' ' | '.' | ',' | ';' | ':' | '·' | '\'' | '|' | 'i' | 'l' | 'í' | 'ì' | 'ỉ' | 'ĩ' | 'ị' => 4.6,
            'm' | 'w' | 'M' | 'W' | '—' => 13.5,
            c if c.is_uppercase() => 11.0,
            c if c.is_ascii_digit() => 9.2,
            _ => 8.6,
        })
        .sum()
}

/// `text` fitted to a pick list `width` px wide: whole when it fits, else cut at
/// the last word boundary that fits, with "…".
pub fn fit_text(text: &str, width: f32) -> String {
    let room = (width - 44.0).max(60.0);
    if estimated_width(text) <= room {
        return text.to_owned();
    }
    let mut best = String::new();
    for (at, _) in text.match_indices(' ') {
        let head = text[..at].trim_end_matches([' ', ',', ';', '(', '—', '-', '·']);
        if estimated_width(head) + 12.0 > room {
            break;
        }
        best = head.to_owned();
    }
    if best.is_empty() { shorten_words(text, chars_for(width)) } else { format!("{best}…") }
}

/// `value` fitted to `max` characters.
#[cfg(test)]
pub fn fit<T: ToString + Clone>(value: &T, max: usize) -> Fitted<T> {
    Fitted { value: value.clone(), short: shorten_words(&value.to_string(), max) }
}

/// `value` fitted to a list `width` px wide ([`fit_text`]).
fn fit_to<T: ToString + Clone>(value: &T, width: f32) -> Fitted<T> {
    Fitted { value: value.clone(), short: fit_text(&value.to_string(), width) }
}

/// A pick list `width` px wide whose entries are shortened at word boundaries to fit
/// it; when the chosen entry is shortened, its whole text shows in a tooltip.
pub fn fitted_pick_list<'a, T, M>(
    options: &[T],
    selected: Option<&T>,
    width: f32,
    placeholder: &str,
    on_select: impl Fn(T) -> M + 'a,
) -> iced::Element<'a, M>
where
    T: ToString + Clone + PartialEq + 'a,
    M: Clone + 'a,
{
    fitted(options, selected, width, iced::Length::Fixed(width), placeholder, on_select)
}

/// Like [`fitted_pick_list`], filling the width of its column, which is about
/// `width` px wide (the entries are shortened for that width).
pub fn fitted_pick_list_fill<'a, T, M>(
    options: &[T],
    selected: Option<&T>,
    width: f32,
    placeholder: &str,
    on_select: impl Fn(T) -> M + 'a,
) -> iced::Element<'a, M>
where
    T: ToString + Clone + PartialEq + 'a,
    M: Clone + 'a,
{
    fitted(options, selected, width, iced::Length::Fill, placeholder, on_select)
}

fn fitted<'a, T, M>(
    options: &[T],
    selected: Option<&T>,
    width: f32,
    length: iced::Length,
    placeholder: &str,
    on_select: impl Fn(T) -> M + 'a,
) -> iced::Element<'a, M>
where
    T: ToString + Clone + PartialEq + 'a,
    M: Clone + 'a,
{
    use iced::widget::{container, pick_list, text, tooltip};
    let shown: Vec<Fitted<T>> = options.iter().map(|o| fit_to(o, width)).collect();
    let chosen = selected.map(|s| fit_to(s, width));
    let cut = chosen.as_ref().is_some_and(|c| c.short.ends_with('…'));
    let list = pick_list(shown, chosen, move |f: Fitted<T>| on_select(f.value))
        .placeholder(fit_text(placeholder, width))
        .text_shaping(iced::widget::text::Shaping::Advanced)
        .width(length);
    match selected.map(ToString::to_string) {
        Some(full) if cut => tooltip(
            list,
            container(text(full).size(13)).padding(6).max_width(520).style(container::rounded_box),
            tooltip::Position::Bottom,
        )
        .into(),
        _ => list.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_entries_are_shortened_at_a_word_boundary() {
        let agency = "VĂN PHÒNG (ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC)";
        assert_eq!(shorten_words(agency, 100), agency, "what fits stays whole");
        assert_eq!(shorten_words(agency, 30), "VĂN PHÒNG (ỦY BAN NHÂN DÂN…");
        assert!(shorten_words(agency, 30).chars().count() <= 30);
        assert_eq!(shorten_words("Chánh Văn phòng — Phạm Văn Thắng", 20), "Chánh Văn phòng…");
        assert_eq!(shorten_words("Siêudàikhôngcókhoảngtrắng", 10), "Siêudàikh…", "one long word is cut");
        assert_eq!(fit(&"Ủy ban nhân dân tỉnh".to_owned(), 10).to_string(), "Ủy ban…");
        assert!(chars_for(400.0) >= 30 && chars_for(10.0) == 8);
    }

    #[test]
    fn entries_that_fit_stay_whole_and_others_end_at_a_word() {
        let dossier = "2026 · 01.TH — Chương trình, kế hoạch, báo cáo công tác năm 2026";
        assert_eq!(fit_text(dossier, 640.0), dossier, "a wide dialog shows it whole");
        let short = fit_text(dossier, 360.0);
        assert!(short.ends_with('…') && dossier.starts_with(short.trim_end_matches('…')), "{short}");
        let head = short.trim_end_matches('…');
        assert!(dossier[head.len()..].starts_with([' ', ',']), "cut at a word boundary: {short}");
        let agency = "VĂN PHÒNG (ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC)";
        assert_eq!(fit_text(agency, 520.0), agency);
    }
}
