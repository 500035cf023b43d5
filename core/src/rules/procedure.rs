//! Đúng quy trình: what must hold before the steps of the workflow (number and
//! date together, a signer named, enough copies, the drafter recorded).

use super::recipients::{is_luu, luu_content};
use super::util::is_as_above;
use super::{Env, Out, RuleFn};

pub(super) const RULES: &[(&str, RuleFn)] = &[
    ("QT-01", number_and_date_together),
    ("QT-02", signer_named),
    ("QT-03", enough_copies),
    ("QT-04", drafter_recorded),
    ("QT-05", luu_names_drafter),
    ("QT-06", urgent_kinds),
];

fn number_and_date_together(env: &Env<'_>, out: &mut Out) {
    let numbered = env.doc.number.as_deref().is_some_and(|n| !n.trim().is_empty());
    match (numbered, env.doc.date.is_some()) {
        (true, false) => out
            .report("/date", "Văn bản đã có số nhưng chưa có ngày ban hành: số và ngày được cấp cùng lúc tại văn thư."),
        (false, true) => out.report(
            "/number",
            "Văn bản đã có ngày ban hành nhưng chưa có số: số và ngày được cấp cùng lúc tại văn thư.",
        ),
        _ => {}
    }
}

fn signer_named(env: &Env<'_>, out: &mut Out) {
    if env.doc.signer.name.trim().is_empty() {
        out.report("/signer/name", "Thiếu họ tên người ký.");
    }
    let signer = &env.doc.signer;
    // `T/M BỘ CHÍNH TRỊ` with the name only: where the ruleset says the collective's
    // documents print no title line.
    let untitled = signer.form.as_deref().is_some_and(|f| f.trim() == env.params.form_collective)
        && signer.principal.as_deref().is_some_and(|p| {
            let key = crate::text::name_key(p);
            env.params.practice.untitled_collective_principals.iter().any(|u| crate::text::name_key(u) == key)
        });
    if signer.position.trim().is_empty() && !untitled {
        out.report("/signer/position", "Thiếu chức vụ người ký.");
    }
}

/// Recipient lines that receive a copy: all but the Lưu line and "Như trên".
fn receiving_lines(env: &Env<'_>) -> usize {
    env.doc.recipients.iter().filter(|r| !is_luu(r) && !is_as_above(r)).count()
}

fn enough_copies(env: &Env<'_>, out: &mut Out) {
    let Some(copies) = env.doc.copies.filter(|c| *c > 0) else { return };
    let as_above = env.doc.recipients.iter().any(|r| is_as_above(r));
    let needed = receiving_lines(env) + if as_above { env.doc.addressees.len() } else { 0 };
    if (copies as usize) < needed {
        out.report("/copies", format!("Số lượng bản phát hành ({copies}) ít hơn số nơi nhận ({needed})."));
    }
}

fn drafter_recorded(env: &Env<'_>, out: &mut Out) {
    if env.params.practice.drafter_code_expected
        && env.doc.number.is_some()
        && env.doc.drafter_code.as_deref().is_none_or(|c| c.trim().is_empty())
    {
        out.report("/drafter_code", "Văn bản đã cấp số cần ghi ký hiệu người soạn thảo (đơn vị soạn thảo).");
    }
}

/// The drafting unit a công văn's symbol names (`VP-HCTC` → `HCTC`).
fn unit_in_symbol(env: &Env<'_>) -> Option<String> {
    if env.kind != "cong-van" {
        return None;
    }
    let notation = env.doc.notation.as_deref()?.trim();
    let (_, unit) = notation.split_once(env.params.notation_separator.as_str())?;
    Some(unit.trim().to_owned()).filter(|u| !u.is_empty() && !u.contains(char::is_whitespace))
}

/// The Lưu line names the drafting unit after VT (Phụ lục I, Phần I, II.9.b:
/// "Lưu: VT, <đơn vị soạn thảo>"). Any unit will do: the drafter's mark
/// (`drafter_code`, revision 2: the drafter's initials) is printed after it, and a
/// mixed-case unit (`CTrTT`) is compared as written or ignoring case.
fn luu_names_drafter(env: &Env<'_>, out: &mut Out) {
    let code = env.doc.drafter_code.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let unit = unit_in_symbol(env);
    let Some(wanted) = unit.as_deref().or(code) else { return };
    let Some((i, line)) = env.doc.recipients.iter().enumerate().next_back().filter(|(_, l)| is_luu(l)) else { return };
    let content = luu_content(line);
    let parts: Vec<&str> = content.split([',', ' ', '(', ')', '.']).map(str::trim).filter(|p| !p.is_empty()).collect();
    let names_a_unit = parts.iter().any(|p| !p.eq_ignore_ascii_case("VT") && p.chars().any(char::is_alphabetic));
    if names_a_unit {
        return;
    }
    let message = format!("Dòng Lưu ghi chữ viết tắt đơn vị soạn thảo (`{wanted}`) sau VT.");
    if content == "VT" {
        out.fixable(format!("/recipients/{i}"), message, format!("{}VT, {wanted}.", env.params.luu_prefix));
    } else {
        out.report(format!("/recipients/{i}"), message);
    }
}

fn urgent_kinds(env: &Env<'_>, out: &mut Out) {
    if env.kind_in(&env.params.kinds_always_urgent) && env.doc.urgency.is_none() {
        out.report("/urgency", "Công điện là văn bản khẩn: ghi mức độ khẩn (Khẩn, Thượng khẩn, Hỏa tốc).");
    }
}
