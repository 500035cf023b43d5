//! Đúng thể thức: every component present and well formed (NĐ 30 Điều 8,
//! Phụ lục I–III; HD 36 for Party documents).

use super::recipients::{
    is_luu, luu_content, luu_line, nhu_tren, recipient_dash, recipients_present, recipients_punctuation,
};
use super::util::{article_number, capitalize_first, is_upper, leading_number, parse_roman, roman, trim_end_punct};
use super::{Env, Out, RuleFn};
use crate::model::{Block, BlockKind, Family};
use crate::text::fold;

pub(super) const RULES: &[(&str, RuleFn)] = &[
    ("TT-01", kind_in_family),
    ("TT-02", issuer_name_upper),
    ("TT-03", issuer_parent_upper),
    ("TT-04", issuer_abbreviation),
    ("TT-05", number_padding),
    ("TT-06", notation_type),
    ("TT-07", notation_agency),
    ("TT-08", notation_spaces),
    ("TT-09", cong_van_notation),
    ("TT-10", notation_separator),
    ("TT-11", number_with_notation),
    ("TT-12", place),
    ("TT-13", no_subject_kinds),
    ("TT-14", cong_van_vv),
    ("TT-15", authority_line_present),
    ("TT-16", authority_line_upper),
    ("TT-17", bases_present),
    ("TT-18", enacting_words),
    ("TT-19", bases_punctuation),
    ("TT-20", bases_opening),
    ("TT-21", addressees_punctuation),
    ("TT-22", position_upper),
    ("TT-23", principal_upper),
    ("TT-24", academic_titles),
    ("TT-25", name_case),
    ("TT-26", form_needs_principal),
    ("TT-27", recipients_present),
    ("TT-28", recipients_punctuation),
    ("TT-29", luu_line),
    ("TT-30", nhu_tren),
    ("TT-31", recipient_dash),
    ("TT-32", drafter_code_upper),
    ("TT-33", copies_positive),
    ("TT-34", second_signature),
    ("TT-35", cong_van_no_enacting),
    ("TT-36", article_labels),
    ("TT-37", clause_labels),
    ("TT-38", point_labels),
    ("TT-39", part_labels),
    ("TT-40", appendix_labels),
];

fn kind_in_family(env: &Env<'_>, out: &mut Out) {
    if env.kind_def.is_none() {
        out.report(
            "/kind",
            format!(
                "Loại văn bản `{}` không thuộc danh mục văn bản {} ({}).",
                env.kind,
                env.doc.family.label(),
                env.ruleset.ruleset.reference
            ),
        );
    }
}

fn issuer_name_upper(env: &Env<'_>, out: &mut Out) {
    let name = &env.doc.issuer.name;
    if name.trim().is_empty() {
        out.report("/issuer/name", "Thiếu tên cơ quan, tổ chức ban hành văn bản.");
    } else if !is_upper(name) {
        out.fixable("/issuer/name", format!("Tên cơ quan ban hành phải viết in hoa: `{name}`."), name.to_uppercase());
    }
}

fn issuer_parent_upper(env: &Env<'_>, out: &mut Out) {
    if let Some(parent) = env.doc.issuer.parent.as_deref().filter(|p| !is_upper(p)) {
        out.fixable(
            "/issuer/parent",
            format!("Tên cơ quan chủ quản phải viết in hoa: `{parent}`."),
            parent.to_uppercase(),
        );
    }
}

fn issuer_abbreviation(env: &Env<'_>, out: &mut Out) {
    let abbreviation = &env.doc.issuer.abbreviation;
    if abbreviation.trim().is_empty() {
        out.report("/issuer/abbreviation", "Thiếu chữ viết tắt tên cơ quan ban hành (dùng trong ký hiệu văn bản).");
    } else if abbreviation.chars().any(char::is_whitespace) {
        let fixed: String = abbreviation.chars().filter(|c| !c.is_whitespace()).collect();
        out.fixable(
            "/issuer/abbreviation",
            format!("Chữ viết tắt `{abbreviation}` không được có khoảng trắng."),
            fixed,
        );
    }
}

fn number_padding(env: &Env<'_>, out: &mut Out) {
    let Some(number) = env.doc.number.as_deref() else { return };
    let canonical = |n: u64| if n < 10 { format!("0{n}") } else { n.to_string() };
    let well_formed = number.chars().all(|c| c.is_ascii_digit())
        && number.parse::<u64>().is_ok_and(|n| n > 0 && number == canonical(n));
    if well_formed {
        return;
    }
    let message =
        format!("Số `{number}` phải là số Ả Rập, số nhỏ hơn 10 thêm một số 0 phía trước (01, 02 … 09, 10, 125).");
    match number.trim().parse::<u64>() {
        Ok(n) if n > 0 && number.trim().chars().all(|c| c.is_ascii_digit()) => {
            out.fixable("/number", message, canonical(n));
        }
        _ => out.report("/number", message),
    }
}

/// The symbol after the fixes of TT-08 and TT-10, split into its type and body parts.
struct Notation {
    type_part: String,
    rest: String,
}

fn cleaned_notation(env: &Env<'_>) -> Option<String> {
    let raw = env.doc.notation.as_deref()?;
    let mut n: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let sep = env.params.notation_separator.as_str();
    if !n.contains(sep) {
        let other = if sep == "/" { "-" } else { "/" };
        n = n.replacen(other, sep, 1);
    }
    (!n.is_empty()).then_some(n)
}

fn split_notation(env: &Env<'_>) -> Option<Notation> {
    let n = cleaned_notation(env)?;
    let (type_part, rest) = n.split_once(env.params.notation_separator.as_str())?;
    Some(Notation { type_part: type_part.to_owned(), rest: rest.to_owned() })
}

/// Whether the kind's symbol starts with a type abbreviation in this family.
fn typed_symbol<'a>(env: &Env<'a>) -> Option<&'a str> {
    let abbreviation = env.kind_def?.abbreviation.as_str();
    if abbreviation.is_empty() || env.kind == "cong-van" && !env.params.cong_van_has_type {
        return None;
    }
    Some(abbreviation)
}

fn notation_type(env: &Env<'_>, out: &mut Out) {
    let (Some(expected), Some(n)) = (typed_symbol(env), split_notation(env)) else { return };
    if n.type_part == expected || env.kind_def.is_some_and(|k| k.abbreviation_variants.contains(&n.type_part)) {
        return;
    }
    let message =
        format!("Ký hiệu phải bắt đầu bằng chữ viết tắt của loại văn bản `{expected}` (đang ghi `{}`).", n.type_part);
    // `HD` folds like `HĐ`, `DA` like `ĐA`: fix only when no other type shares the key.
    let key = fold(&n.type_part);
    let candidates =
        env.ruleset.kinds.iter().filter(|k| !k.abbreviation.is_empty() && fold(&k.abbreviation) == key).count();
    if key == fold(expected) && candidates == 1 {
        let sep = &env.params.notation_separator;
        out.fixable("/notation", message, format!("{expected}{sep}{}", n.rest));
    } else {
        out.report("/notation", message);
    }
}

fn notation_agency(env: &Env<'_>, out: &mut Out) {
    if env.kind_def.is_none() {
        return;
    }
    let Some(n) = cleaned_notation(env) else { return };
    let expected = env.doc.issuer.abbreviation.as_str();
    let sep = env.params.notation_separator.as_str();
    let agency_part = if typed_symbol(env).is_some() {
        n.split_once(sep).map(|(_, rest)| rest.split(['-', '/']).next().unwrap_or(rest).to_owned())
    } else {
        let first = n.split(sep).next().unwrap_or(&n);
        // A công văn symbol that starts with a type abbreviation is TT-09's finding.
        let typed =
            first == "CV" || env.ruleset.kinds.iter().any(|k| !k.abbreviation.is_empty() && k.abbreviation == first);
        (!typed).then(|| first.to_owned())
    };
    if let Some(part) = agency_part.filter(|p| p != expected && !expected.is_empty()) {
        out.report(
            "/notation",
            format!("Phần cơ quan trong ký hiệu `{part}` phải là chữ viết tắt của cơ quan ban hành `{expected}`."),
        );
    }
}

fn notation_spaces(env: &Env<'_>, out: &mut Out) {
    let Some(raw) = env.doc.notation.as_deref() else { return };
    if raw.chars().any(char::is_whitespace) {
        let fixed: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        out.fixable("/notation", format!("Ký hiệu `{raw}` không được có khoảng trắng."), fixed);
    }
}

fn cong_van_notation(env: &Env<'_>, out: &mut Out) {
    if env.kind != "cong-van" || env.params.cong_van_has_type {
        return;
    }
    let Some(n) = cleaned_notation(env) else { return };
    let parts: Vec<&str> = n.split('-').collect();
    let first = parts[0];
    let is_type =
        first == "CV" || env.ruleset.kinds.iter().any(|k| !k.abbreviation.is_empty() && k.abbreviation == first);
    if is_type {
        out.report(
            "/notation",
            format!("Ký hiệu công văn không có chữ viết tắt loại văn bản (`{first}`): ghi chữ viết tắt cơ quan và đơn vị soạn thảo, ví dụ `UBND-VX`."),
        );
    } else if parts.len() < 2 || parts[1].is_empty() {
        out.report(
            "/notation",
            format!("Ký hiệu công văn `{n}` thiếu chữ viết tắt đơn vị soạn thảo hoặc lĩnh vực, ví dụ `UBND-VX`."),
        );
    }
}

fn notation_separator(env: &Env<'_>, out: &mut Out) {
    let Some(raw) = env.doc.notation.as_deref() else { return };
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let sep = env.params.notation_separator.as_str();
    if compact.is_empty() || compact.contains(sep) {
        return;
    }
    let other = if sep == "/" { "-" } else { "/" };
    if compact.contains(other) {
        let example = if env.doc.family == Family::State { "QĐ-UBND" } else { "QĐ/TU" };
        out.fixable(
            "/notation",
            format!(
                "Ký hiệu văn bản {} dùng dấu `{sep}` giữa các nhóm chữ (ví dụ `{example}`), không dùng `{other}`.",
                env.doc.family.label()
            ),
            compact.replacen(other, sep, 1),
        );
    } else if typed_symbol(env).is_some() || env.kind == "cong-van" {
        out.report(
            "/notation",
            format!("Ký hiệu `{compact}` thiếu dấu `{sep}` giữa chữ viết tắt loại văn bản và cơ quan."),
        );
    }
}

fn number_with_notation(env: &Env<'_>, out: &mut Out) {
    let number = env.doc.number.as_deref().is_some_and(|s| !s.trim().is_empty());
    let notation = env.doc.notation.as_deref().is_some_and(|s| !s.trim().is_empty());
    // A draft already carries its symbol; the number comes from the register.
    if number && !notation {
        out.report("/notation", "Văn bản có số nhưng thiếu ký hiệu.");
    }
}

fn place(env: &Env<'_>, out: &mut Out) {
    let place = env.doc.place.trim();
    if place.is_empty() {
        out.report("/place", "Thiếu địa danh ghi trước ngày tháng ban hành.");
    } else if place.chars().next().is_some_and(char::is_lowercase) {
        out.fixable("/place", format!("Địa danh phải viết hoa chữ cái đầu: `{place}`."), capitalize_first(place));
    }
}

fn no_subject_kinds(env: &Env<'_>, out: &mut Out) {
    if env.kind_in(&env.params.kinds_without_subject)
        && env.doc.subject.as_deref().is_some_and(|s| !s.trim().is_empty())
    {
        out.report(
            "/subject",
            "Loại văn bản này không có trích yếu nội dung; nội dung ghi trong phần nội dung văn bản.",
        );
    }
}

fn cong_van_vv(env: &Env<'_>, out: &mut Out) {
    if env.kind != "cong-van" {
        return;
    }
    let Some(subject) = env.doc.subject.as_deref() else { return };
    match env.params.practice.cong_van_subject_style.as_str() {
        // The printer adds `V/v`: neither it nor its spelled-out form is typed.
        "auto-vv" => {
            let rest =
                ["V/v", "V/V", "v/v", "Về việc ", "về việc ", "VỀ VIỆC "].iter().find_map(|p| subject.strip_prefix(p));
            if let Some(rest) = rest {
                out.fixable(
                    "/subject",
                    "Trích yếu công văn ghi không kèm \"V/v\": chữ \"V/v\" được in tự động trước trích yếu.",
                    rest.trim_start_matches([':', ' ']).to_owned(),
                );
            }
        }
        // Printed as typed, spelled out (`về việc …`, `về …`): never the abbreviation.
        "spelled" => {
            if let Some(rest) = ["V/v", "V/V", "v/v"].iter().find_map(|p| subject.strip_prefix(p)) {
                out.fixable(
                    "/subject",
                    "Trích yếu công văn viết đầy đủ \"về việc …\", không viết tắt \"V/v\".",
                    format!("về việc {}", rest.trim_start_matches([':', ' '])),
                );
            }
        }
        _ => {}
    }
}

fn authority_line_present(env: &Env<'_>, out: &mut Out) {
    // Party quyết định print the body in the enacting line after the căn cứ
    // (`BAN THƯỜNG VỤ TỈNH ỦY QUYẾT ĐỊNH`, as `BỘ CHÍNH TRỊ QUYẾT ĐỊNH` in
    // 31-QĐ/TW): the authority is named there, in a `*` variant of the ruleset.
    let variants = env.params.practice.enacting_words_variants.get(env.kind).map(Vec::as_slice).unwrap_or(&[]);
    let named_in_enacting_words = env.doc.enacting_words.as_deref().is_some_and(|w| {
        let starred: Vec<String> = variants.iter().filter(|v| v.starts_with("* ")).cloned().collect();
        enacting_variant(w.trim(), &starred)
    });
    if env.kind_in(&env.params.kinds_with_authority_line)
        && !named_in_enacting_words
        && env.doc.authority_line.as_deref().is_none_or(|s| s.trim().is_empty())
    {
        out.report(
            "/authority_line",
            "Thiếu dòng thẩm quyền ban hành (tên cơ quan hoặc chức danh người đứng đầu, in hoa) trước phần căn cứ.",
        );
    }
}

fn authority_line_upper(env: &Env<'_>, out: &mut Out) {
    if let Some(line) = env.doc.authority_line.as_deref().filter(|l| !is_upper(l)) {
        out.fixable(
            "/authority_line",
            format!("Dòng thẩm quyền ban hành phải viết in hoa: `{line}`."),
            line.to_uppercase(),
        );
    }
}

fn bases_present(env: &Env<'_>, out: &mut Out) {
    if env.kind_in(&env.params.kinds_with_bases) && env.doc.bases.iter().all(|b| b.trim().is_empty()) {
        out.report("/bases", "Thiếu căn cứ ban hành văn bản.");
    }
}

/// Whether `found` is one of the accepted variants; `*` stands for a name in capitals.
fn enacting_variant(found: &str, variants: &[String]) -> bool {
    variants.iter().any(|v| match v.strip_prefix("* ") {
        Some(tail) => found
            .strip_suffix(tail)
            .and_then(|head| head.strip_suffix(' '))
            .is_some_and(|head| !head.trim().is_empty() && is_upper(head)),
        None => found == v,
    })
}

fn enacting_words(env: &Env<'_>, out: &mut Out) {
    let Some(expected) = env.params.enacting_words.get(env.kind) else { return };
    let applies = env.kind_in(&env.params.kinds_with_authority_line) || env.doc.enacting_words.is_some();
    let variants = env.params.practice.enacting_words_variants.get(env.kind).map(Vec::as_slice).unwrap_or(&[]);
    if env.doc.enacting_words.as_deref().is_some_and(|w| enacting_variant(w.trim(), variants)) {
        return;
    }
    if applies && env.doc.enacting_words.as_deref() != Some(expected.as_str()) {
        let found = env.doc.enacting_words.as_deref().unwrap_or("(không có)");
        out.fixable(
            "/enacting_words",
            format!("Từ ban hành phải là `{expected}` (đang ghi `{found}`)."),
            expected.clone(),
        );
    }
}

fn bases_punctuation(env: &Env<'_>, out: &mut Out) {
    let last = env.doc.bases.len().saturating_sub(1);
    let last_marks = &env.params.practice.bases_last_marks;
    // Căn cứ ban hành of a nghị quyết or quyết định end with the family's last mark
    // (`.`) before the enacting words; in other kinds (a kế hoạch) a lead-in sentence
    // follows them, and the last one may end with `;` as published documents print it.
    let lead_in_follows = !env.kind_in(&env.params.kinds_with_bases);
    for (i, basis) in env.doc.bases.iter().enumerate() {
        if i == last && lead_in_follows && basis.ends_with(';') && !basis.ends_with(".;") {
            continue;
        }
        let mark = if i == last { last_marks[0].as_str() } else { ";" };
        let accepted =
            if i == last { last_marks.iter().any(|m| basis.ends_with(m.as_str())) } else { basis.ends_with(';') };
        if !accepted || basis.ends_with("..") || basis.ends_with(".,") || i != last && basis.ends_with(".;") {
            let expected = if i != last {
                "dấu chấm phẩy".to_owned()
            } else {
                last_marks.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" hoặc ")
            };
            out.fixable(
                format!("/bases/{i}"),
                format!("Căn cứ {} phải kết thúc bằng {expected} (`{mark}`).", i + 1),
                format!("{}{mark}", trim_end_punct(basis)),
            );
        }
    }
}

fn bases_opening(env: &Env<'_>, out: &mut Out) {
    const OPENINGS: [&str; 5] = ["Căn cứ", "Theo đề nghị", "Xét ", "Thực hiện", "Theo "];
    for (i, basis) in env.doc.bases.iter().enumerate() {
        let text = basis.trim().trim_start_matches(['-', ' ']);
        if !OPENINGS.iter().any(|o| text.starts_with(o)) {
            out.report(
                format!("/bases/{i}"),
                format!("Căn cứ {} nên mở đầu bằng \"Căn cứ\", \"Theo đề nghị\" hoặc \"Xét đề nghị\".", i + 1),
            );
        }
    }
}

fn addressees_punctuation(env: &Env<'_>, out: &mut Out) {
    let list = &env.doc.addressees;
    if list.len() == 1 {
        let only = &list[0];
        let bare = trim_end_punct(only);
        // The marks a single addressee may end with are data: State and Party
        // documents print none or a full stop ("Kính gửi: Bộ Giao thông vận tải.").
        let marks = &env.params.practice.single_addressee_marks;
        let tail = only.trim_end().strip_prefix(bare).unwrap_or("");
        if !marks.iter().any(|m| m == tail) {
            out.fixable(
                "/addressees/0",
                "Kính gửi một nơi: ghi trên cùng dòng, không có dấu kết thúc.",
                bare.to_owned(),
            );
        }
        return;
    }
    let last = list.len().saturating_sub(1);
    let line_marks = &env.params.practice.addressee_line_marks;
    for (i, entry) in list.iter().enumerate() {
        let mark = if i == last { "." } else { line_marks[0].as_str() };
        let accepted =
            if i == last { entry.ends_with('.') } else { line_marks.iter().any(|m| entry.ends_with(m.as_str())) };
        if !accepted || entry.ends_with("..") || i != last && entry.ends_with(".;") {
            out.fixable(
                format!("/addressees/{i}"),
                format!(
                    "Kính gửi nhiều nơi: mỗi dòng kết thúc bằng dấu chấm phẩy, dòng cuối bằng dấu chấm (dòng {}).",
                    i + 1
                ),
                format!("{}{mark}", trim_end_punct(entry)),
            );
        }
    }
}

fn position_upper(env: &Env<'_>, out: &mut Out) {
    let position = &env.doc.signer.position;
    if !is_upper(position) {
        out.fixable(
            "/signer/position",
            format!("Chức vụ người ký phải viết in hoa: `{position}`."),
            position.to_uppercase(),
        );
    }
}

fn principal_upper(env: &Env<'_>, out: &mut Out) {
    if let Some(principal) = env.doc.signer.principal.as_deref().filter(|p| !is_upper(p)) {
        out.fixable(
            "/signer/principal",
            format!("Dòng quyền hạn phải viết in hoa: `{principal}`."),
            principal.to_uppercase(),
        );
    }
}

/// The byte length of `prefix` at the start of `text`, compared without case, when
/// a space follows it.
fn starts_with_words(text: &str, prefix: &str) -> Option<usize> {
    let mut text_chars = text.char_indices();
    for p in prefix.chars() {
        let (_, t) = text_chars.next()?;
        if !t.to_lowercase().eq(p.to_lowercase()) {
            return None;
        }
    }
    match text_chars.next() {
        Some((i, c)) if c.is_whitespace() => Some(i),
        _ => None,
    }
}

/// The signer's name without leading academic titles, if it had any. Abbreviated
/// titles compare without dots and case (`GS.TS`, `Ths.`); titles in words compare
/// without case (`Tiến sĩ`).
fn strip_titles<'a>(name: &'a str, abbreviations: &[String], words: &[String]) -> Option<&'a str> {
    let mut rest = name.trim_start();
    let mut stripped = false;
    loop {
        if let Some(len) = words.iter().find_map(|w| starts_with_words(rest, w)) {
            rest = rest[len..].trim_start();
            stripped = true;
            continue;
        }
        let token = rest.split_whitespace().next().unwrap_or("");
        let is_title = rest.len() > token.len()
            && token.split('.').any(|p| !p.is_empty())
            && token
                .split('.')
                .filter(|p| !p.is_empty())
                .all(|p| abbreviations.iter().any(|a| a.eq_ignore_ascii_case(p)));
        if !is_title {
            break;
        }
        rest = rest[token.len()..].trim_start();
        stripped = true;
    }
    stripped.then_some(rest)
}

fn academic_titles(env: &Env<'_>, out: &mut Out) {
    let name = &env.doc.signer.name;
    if let Some(bare) = strip_titles(name, &env.params.academic_titles, &env.params.academic_title_words) {
        out.fixable("/signer/name", format!("Họ tên người ký không kèm học hàm, học vị: `{name}`."), bare.to_owned());
    }
}

fn name_case(env: &Env<'_>, out: &mut Out) {
    let params = env.params;
    let name = strip_titles(&env.doc.signer.name, &params.academic_titles, &params.academic_title_words)
        .unwrap_or(&env.doc.signer.name);
    if name.split_whitespace().any(|w| w.chars().next().is_some_and(char::is_lowercase)) {
        let fixed: Vec<String> = name.split_whitespace().map(capitalize_first).collect();
        out.fixable(
            "/signer/name",
            format!("Họ tên người ký viết hoa chữ cái đầu mỗi âm tiết: `{name}`."),
            fixed.join(" "),
        );
    }
}

fn form_needs_principal(env: &Env<'_>, out: &mut Out) {
    let form = env.doc.signer.form.as_deref().unwrap_or("").trim();
    if !form.is_empty() && env.doc.signer.principal.as_deref().is_none_or(|p| p.trim().is_empty()) {
        out.report(
            "/signer/principal",
            format!("Sau `{form}` phải ghi tên tập thể lãnh đạo hoặc chức vụ người đứng đầu."),
        );
    }
}

fn drafter_code_upper(env: &Env<'_>, out: &mut Out) {
    let Some(code) = env.doc.drafter_code.as_deref() else { return };
    let known = super::util::known_mixed_case(env.ruleset);
    if super::util::is_upper_with_known_mixed(code, &known) {
        return;
    }
    // The spelling the Lưu line already uses wins, so the fix cannot set off QT-05.
    let in_luu = env.doc.recipients.last().filter(|l| is_luu(l)).and_then(|line| {
        luu_content(line)
            .split([',', ' ', '(', ')', '.'])
            .map(str::trim)
            .find(|part| part.to_lowercase() == code.trim().to_lowercase())
            .filter(|part| super::util::is_upper_with_known_mixed(part, &known))
    });
    let fix = in_luu.map_or_else(|| super::util::upper_with_known_mixed(code, &known), str::to_owned);
    out.fixable(
        "/drafter_code",
        format!("Ký hiệu người soạn thảo viết in hoa (trừ chữ viết tắt có chữ thường như CTr, TTr): `{code}`."),
        fix,
    );
}

fn copies_positive(env: &Env<'_>, out: &mut Out) {
    if env.doc.copies == Some(0) {
        out.report("/copies", "Số lượng bản phát hành phải lớn hơn 0.");
    }
}

fn second_signature(env: &Env<'_>, out: &mut Out) {
    if !env.kind_in(&env.params.kinds_with_two_signatures) {
        return;
    }
    let signer = env.doc.extra.get("second_signer");
    let named = signer.and_then(|s| s.get("name")).and_then(|n| n.as_str()).is_some_and(|n| !n.trim().is_empty());
    let titled = signer.and_then(|s| s.get("position")).and_then(|n| n.as_str()).is_some_and(|n| !n.trim().is_empty());
    if !named || !titled {
        out.report("/second_signer", "Biên bản có hai chữ ký: thư ký (bên trái) và chủ trì (bên phải); ghi `second_signer` với chức danh và họ tên thư ký.");
    }
}

fn cong_van_no_enacting(env: &Env<'_>, out: &mut Out) {
    if env.kind != "cong-van" {
        return;
    }
    if env.doc.authority_line.is_some() {
        out.report("/authority_line", "Công văn không có dòng thẩm quyền ban hành.");
    }
    if env.doc.enacting_words.is_some() {
        out.report("/enacting_words", "Công văn không có từ ban hành (QUYẾT ĐỊNH:, QUYẾT NGHỊ:).");
    }
}

fn labelled(blocks: &[Block], kind: BlockKind) -> impl Iterator<Item = (usize, &str)> {
    blocks
        .iter()
        .enumerate()
        .filter(move |(_, b)| b.kind == kind)
        .filter_map(|(i, b)| b.label.as_deref().map(|l| (i, l)))
}

fn article_labels(env: &Env<'_>, out: &mut Out) {
    for (i, label) in labelled(&env.doc.body, BlockKind::Article) {
        match article_number(label) {
            Some(n) if label != format!("Điều {n}.") => {
                out.fixable(
                    format!("/body/{i}/label"),
                    format!("Nhãn Điều phải có dạng `Điều {n}.` (đang ghi `{label}`)."),
                    format!("Điều {n}."),
                );
            }
            Some(_) => {}
            None => out
                .report(format!("/body/{i}/label"), format!("Nhãn Điều phải có dạng `Điều 1.` (đang ghi `{label}`).")),
        }
    }
}

fn clause_labels(env: &Env<'_>, out: &mut Out) {
    for (i, label) in labelled(&env.doc.body, BlockKind::Clause) {
        match leading_number(label.trim()) {
            Some((n, rest)) if label != format!("{n}.") && matches!(rest.trim(), "" | ")" | ":" | "." | "-") => {
                out.fixable(
                    format!("/body/{i}/label"),
                    format!("Nhãn khoản có dạng `{n}.` (đang ghi `{label}`)."),
                    format!("{n}."),
                );
            }
            Some((n, rest)) if !rest.is_empty() && rest != "." => {
                out.report(format!("/body/{i}/label"), format!("Nhãn khoản có dạng `{n}.` (đang ghi `{label}`)."));
            }
            Some(_) => {}
            None => out.report(
                format!("/body/{i}/label"),
                format!("Nhãn khoản là số Ả Rập và dấu chấm, ví dụ `1.` (đang ghi `{label}`)."),
            ),
        }
    }
}

fn point_labels(env: &Env<'_>, out: &mut Out) {
    for (i, label) in labelled(&env.doc.body, BlockKind::Point) {
        let core = label.trim().trim_start_matches('(');
        let mut chars = core.chars();
        let letter = chars.next().map(|c| c.to_lowercase().next().unwrap_or(c));
        let rest: String = chars.collect();
        match letter {
            Some(l) if super::util::POINT_LETTERS.contains(&l) && matches!(rest.as_str(), ")" | "." | "" | ":") => {
                if label != format!("{l})") {
                    out.fixable(
                        format!("/body/{i}/label"),
                        format!("Nhãn điểm có dạng `{l})` (đang ghi `{label}`)."),
                        format!("{l})"),
                    );
                }
            }
            _ => out.report(
                format!("/body/{i}/label"),
                format!("Nhãn điểm là chữ cái tiếng Việt và dấu ngoặc đơn, ví dụ `a)` (đang ghi `{label}`)."),
            ),
        }
    }
}

fn part_labels(env: &Env<'_>, out: &mut Out) {
    let wanted =
        [(BlockKind::Part, "Phần", true), (BlockKind::Chapter, "Chương", true), (BlockKind::Section, "Mục", false)];
    for (kind, default_word, roman_numbers) in wanted {
        for (i, label) in labelled(&env.doc.body, kind) {
            // A section may be a Tiểu mục (Phụ lục I, II.6.đ), numbered like a Mục.
            let word = if kind == BlockKind::Section && label.trim_start().starts_with("Tiểu mục") {
                "Tiểu mục"
            } else {
                default_word
            };
            let number = label.trim().strip_prefix(word).map(str::trim);
            // Party văn kiện and đề án, and many reports, name their parts in words
            // ("Phần thứ nhất", "Phần thứ hai"; "Phần mở đầu", "Phần kết luận" are not
            // numbered): printed practice, not a defect.
            if kind == BlockKind::Part
                && number.is_some_and(|n| ordinal_word(n).is_some() || UNNUMBERED_PARTS.contains(&fold(n).as_str()))
            {
                continue;
            }
            let parsed = number.and_then(|n| {
                leading_number(n).filter(|(_, r)| r.is_empty()).map(|(v, _)| v).or_else(|| parse_roman(n))
            });
            let Some(value) = parsed else {
                out.report(
                    format!("/body/{i}/label"),
                    format!("Nhãn `{label}` phải có dạng `{word} {}`.", if roman_numbers { "I" } else { "1" }),
                );
                continue;
            };
            let expected = if roman_numbers { format!("{word} {}", roman(value)) } else { format!("{word} {value}") };
            if label != expected {
                let system = if roman_numbers { "số La Mã" } else { "số Ả Rập" };
                out.fixable(
                    format!("/body/{i}/label"),
                    format!("{word} đánh {system}: `{expected}` (đang ghi `{label}`)."),
                    expected,
                );
            }
        }
    }
}

/// Parts printed without a number (folded).
const UNNUMBERED_PARTS: [&str; 4] = ["mo dau", "ket luan", "phu luc", "tong quan"];

/// The value of an ordinal in words (`thứ nhất` → 1, `thứ hai` → 2, … `thứ mười` → 10).
fn ordinal_word(text: &str) -> Option<u32> {
    let folded = fold(text.trim());
    let word = folded.strip_prefix("thu ")?.trim();
    let words = ["nhat", "hai", "ba", "tu", "nam", "sau", "bay", "tam", "chin", "muoi"];
    words.iter().position(|w| *w == word).map(|i| i as u32 + 1)
}

fn appendix_labels(env: &Env<'_>, out: &mut Out) {
    if env.doc.appendices.len() < 2 {
        return;
    }
    let numerals = env.params.practice.appendix_numerals.as_str();
    for (i, appendix) in env.doc.appendices.iter().enumerate() {
        let label = appendix.label.trim();
        // `Phụ lục 2`, `PHỤ LỤC 2` (Party documents print both cases).
        let number = ["Phụ lục", "PHỤ LỤC"].iter().find_map(|p| label.strip_prefix(p)).map(str::trim).unwrap_or("");
        let arabic = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
        let ok = match numerals {
            "arabic" => arabic,
            "any" => arabic || parse_roman(number).is_some(),
            _ => parse_roman(number).is_some(),
        };
        if !ok {
            let (expected, system) = if numerals == "arabic" {
                (format!("Phụ lục {}", i + 1), "số Ả Rập")
            } else {
                (format!("Phụ lục {}", roman(i as u32 + 1)), "số La Mã")
            };
            out.fixable(
                format!("/appendices/{i}/label"),
                format!("Từ hai phụ lục trở lên, phụ lục đánh {system}: `{expected}` (đang ghi `{}`).", appendix.label),
                expected,
            );
        }
    }
}
