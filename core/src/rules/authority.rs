//! Đúng thẩm quyền: the signer form agrees with the issuer and the positions
//! (NĐ 30 Điều 13; HD 36 điểm 1.7.1), and with a database the office's people and
//! delegations.

use super::{Env, Out, RuleFn};
use crate::model::Family;
use crate::ruleset::Params;

pub(super) const RULES: &[(&str, RuleFn)] = &[
    ("TQ-01", form_of_family),
    ("TQ-02", collective_form_only_for_collectives),
    ("TQ-03", collective_head_signs_on_behalf),
    ("TQ-04", deputy_form_by_deputies),
    ("TQ-05", no_deputy_form_for_committees),
    ("TQ-06", deputy_needs_a_form),
    ("TQ-07", deputy_principal_matches),
    ("TQ-08", delegate_is_not_the_principal),
    ("TQ-09", delegation_on_record),
    ("TQ-10", acting_principal_is_a_head),
    ("TQ-11", party_by_order_principal),
    ("TQ-12", signer_holds_the_position),
    ("TQ-13", party_title_without_committee),
    ("TQ-14", collective_principal_names_the_body),
    ("TQ-15", authority_matrix_allows),
    ("TQ-16", issuer_known_to_the_office),
    ("TQ-18", issuer_level_exists_on_the_date),
];

/// The meaning of a signer form, whatever its spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FormRole {
    /// The head signs in their own name.
    Own,
    /// Thay mặt tập thể.
    Collective,
    /// Ký thay.
    Deputy,
    /// Thừa lệnh.
    ByOrder,
    /// Thừa ủy quyền.
    ByDelegation,
    /// Quyền.
    Acting,
    /// Not a known form.
    Unknown,
}

fn key(form: &str) -> String {
    form.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_uppercase).collect()
}

pub(super) fn role_of(form: Option<&str>) -> FormRole {
    let Some(form) = form.map(str::trim).filter(|f| !f.is_empty()) else { return FormRole::Own };
    match key(form).as_str() {
        "TM" => FormRole::Collective,
        "KT" => FormRole::Deputy,
        "TL" => FormRole::ByOrder,
        "TUQ" => FormRole::ByDelegation,
        "Q" => FormRole::Acting,
        _ => FormRole::Unknown,
    }
}

fn family_form(params: &Params, role: FormRole) -> &str {
    match role {
        FormRole::Collective => &params.form_collective,
        FormRole::Deputy => &params.form_deputy,
        FormRole::ByOrder => &params.form_by_order,
        FormRole::ByDelegation => &params.form_by_delegation,
        FormRole::Acting => &params.form_acting,
        FormRole::Own | FormRole::Unknown => "",
    }
}

fn role(env: &Env<'_>) -> FormRole {
    role_of(env.doc.signer.form.as_deref())
}

fn is_deputy(env: &Env<'_>, position: &str) -> bool {
    env.params.head_of_deputy(position).is_some()
}

/// A biên bản is signed by the chair and the secretary in person.
fn signed_in_person(env: &Env<'_>) -> bool {
    env.kind_in(&env.params.kinds_with_two_signatures)
}

fn forms_list(params: &Params) -> String {
    [
        &params.form_collective,
        &params.form_deputy,
        &params.form_by_order,
        &params.form_by_delegation,
        &params.form_acting,
    ]
    .into_iter()
    .filter(|f| !f.is_empty())
    .map(String::as_str)
    .collect::<Vec<_>>()
    .join(", ")
}

fn form_of_family(env: &Env<'_>, out: &mut Out) {
    let Some(form) = env.doc.signer.form.as_deref() else { return };
    let role = role(env);
    let expected = family_form(env.params, role);
    if form == expected {
        return;
    }
    let message = format!(
        "Chữ viết tắt quyền hạn `{form}` không đúng dạng văn bản {}: dùng một trong {}",
        env.doc.family.label(),
        forms_list(env.params)
    );
    if expected.is_empty() {
        out.report("/signer/form", message);
    } else {
        out.fixable("/signer/form", message, expected.to_owned());
    }
}

fn collective_form_only_for_collectives(env: &Env<'_>, out: &mut Out) {
    if role(env) == FormRole::Collective && !env.collective {
        out.report(
            "/signer/form",
            format!(
                "`{}` (thay mặt tập thể) chỉ dùng cho cơ quan làm việc theo chế độ tập thể; {} làm việc theo chế độ thủ trưởng: người đứng đầu ký trực tiếp, cấp phó ký `{}`",
                env.params.form_collective, env.doc.issuer.name, env.params.form_deputy
            ),
        );
    }
}

/// Whether TQ-03 asks this document for `TM.`: a collective body's document of a kind
/// it signs on behalf of the collective (ruleset data). Its head acting in their own
/// competence (Luật Tổ chức chính quyền địa phương: the Chủ tịch directs the Ủy ban's
/// work) signs other kinds in their own name.
fn needs_collective_form(env: &Env<'_>) -> bool {
    env.collective && !signed_in_person(env) && env.params.signed_for_the_collective(env.kind)
}

fn collective_head_signs_on_behalf(env: &Env<'_>, out: &mut Out) {
    // A biên bản is signed by the chair and the secretary in person.
    if needs_collective_form(env) && role(env) == FormRole::Own {
        let kind_name = env.kind_def.map_or(env.kind, |k| k.name.as_str());
        out.report(
            "/signer/form",
            format!(
                "{} làm việc theo chế độ tập thể và {kind_name} được ký thay mặt tập thể: người ký ghi `{}` và tên tập thể lãnh đạo trước chức vụ.",
                env.doc.issuer.name, env.params.form_collective
            ),
        );
    }
}

fn deputy_form_by_deputies(env: &Env<'_>, out: &mut Out) {
    if role(env) == FormRole::Deputy && !signed_in_person(env) && !is_deputy(env, &env.doc.signer.position) {
        out.report(
            "/signer/position",
            format!(
                "`{}` (ký thay) chỉ do cấp phó ký; chức vụ `{}` không phải cấp phó.",
                env.params.form_deputy, env.doc.signer.position
            ),
        );
    }
}

fn no_deputy_form_for_committees(env: &Env<'_>, out: &mut Out) {
    if env.doc.family == Family::Party && env.collective && role(env) == FormRole::Deputy {
        out.report(
            "/signer/form",
            format!(
                "Cấp ủy làm việc theo chế độ tập thể không dùng K/T: phó bí thư cũng ký `{}`.",
                env.params.form_collective
            ),
        );
    }
}

fn deputy_needs_a_form(env: &Env<'_>, out: &mut Out) {
    // Where TQ-03 asks for `TM.`, it reports the missing form.
    if role(env) == FormRole::Own
        && !signed_in_person(env)
        && !needs_collective_form(env)
        && is_deputy(env, &env.doc.signer.position)
    {
        out.report(
            "/signer/form",
            format!("Cấp phó ký văn bản của cơ quan phải ghi `{}` và chức vụ người đứng đầu.", env.params.form_deputy),
        );
    }
}

/// The titles a principal line names: a compound head title lists several
/// (`BỘ TRƯỞNG, CHỦ NHIỆM` for the head of the Văn phòng Chính phủ).
pub(super) fn principal_titles(principal: &str) -> Vec<String> {
    crate::text::name_key(principal)
        .split([',', ';'])
        .flat_map(|part| part.split(" KIÊM "))
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Whether `principal` names `head` (one of its titles is `head`, or `head` with the
/// body's name after it, or the start of `head`).
pub(super) fn principal_names_head(principal: &str, head: &str) -> bool {
    let head = crate::text::name_key(head);
    principal_titles(principal)
        .iter()
        .any(|title| title == &head || head.starts_with(&format!("{title} ")) || title.starts_with(&format!("{head} ")))
}

fn deputy_principal_matches(env: &Env<'_>, out: &mut Out) {
    if role(env) != FormRole::Deputy {
        return;
    }
    let Some(head) = env.params.head_of_deputy(&env.doc.signer.position) else { return };
    let Some(principal) = env.doc.signer.principal.as_deref().map(str::trim).filter(|p| !p.is_empty()) else { return };
    if !principal_names_head(principal, &head) {
        out.report(
            "/signer/principal",
            format!("Ký thay cho `{principal}` nhưng chức vụ người ký là `{}`: dòng ký thay ghi chức vụ người đứng đầu tương ứng (`{head}`).", env.doc.signer.position),
        );
    }
}

fn delegate_is_not_the_principal(env: &Env<'_>, out: &mut Out) {
    if !matches!(role(env), FormRole::ByOrder | FormRole::ByDelegation) {
        return;
    }
    let principal = env.doc.signer.principal.as_deref().unwrap_or("").trim();
    if !principal.is_empty() && principal.eq_ignore_ascii_case(env.doc.signer.position.trim()) {
        out.report(
            "/signer/position",
            format!("Ký thừa lệnh, thừa ủy quyền: người ký là người được giao, không phải `{principal}`; ghi chức vụ của người ký."),
        );
    }
}

fn delegation_on_record(env: &Env<'_>, out: &mut Out) {
    let role = role(env);
    if !matches!(role, FormRole::ByOrder | FormRole::ByDelegation) {
        return;
    }
    let Some(agency) = env.agency else { return };
    let on = env.doc.date.unwrap_or(env.ctx.today);
    let wanted = if role == FormRole::ByDelegation { "TUQ" } else { "TL" };
    // In a two-level block (`TL. CHỦ TỊCH` / `KT. CHÁNH VĂN PHÒNG`) the delegation is
    // the unit head's, and their deputy signs for them (NĐ 30 Điều 13.4).
    let holders = delegation_holders(env, agency);
    let valid = agency.delegations.iter().any(|(d, name)| {
        holders.contains(&name.as_str()) && d.kind.code().replace('/', "") == wanted && d.covers(env.kind, on)
    });
    if !valid {
        out.report(
            "/signer/form",
            format!(
                "Không có văn bản giao {} cho {} còn hiệu lực ngày {} bao gồm loại văn bản này.",
                if role == FormRole::ByDelegation { "ủy quyền" } else { "ký thừa lệnh" },
                env.doc.signer.name,
                on.format("%d/%m/%Y")
            ),
        );
    }
}

/// The title on the `KT.` line of a two-level block (`signer.deputy`), if any.
fn two_level_principal<'a>(env: &Env<'a>) -> Option<&'a str> {
    env.doc.signer.deputy.as_ref().map(|d| d.principal.as_str()).filter(|p| !p.trim().is_empty())
}

/// Who must hold the delegation: the signer, or in a two-level block the people who
/// hold the title on the `KT.` line in the agency or a body under it.
fn delegation_holders<'a>(env: &Env<'a>, agency: &'a super::AgencyFacts) -> Vec<&'a str> {
    let Some(principal) = two_level_principal(env) else { return vec![env.doc.signer.name.as_str()] };
    let title = crate::text::name_key(principal);
    let subordinate = |a: &&'a super::AgencyFacts| a.parent_name.as_deref() == Some(agency.name.as_str());
    let bodies =
        std::iter::once(agency).chain(env.ctx.office.into_iter().flat_map(|o| o.agencies.iter().filter(subordinate)));
    bodies
        .flat_map(|a| a.people.iter())
        .filter(|(_, held)| crate::text::name_key(held) == title)
        .map(|(name, _)| name.as_str())
        .collect()
}

fn acting_principal_is_a_head(env: &Env<'_>, out: &mut Out) {
    if role(env) == FormRole::Acting && env.doc.signer.principal.as_deref().is_some_and(|p| is_deputy(env, p)) {
        out.report(
            "/signer/principal",
            "Quyền (Q.) ghi chức vụ người đứng đầu được giao quyền, không ghi chức vụ cấp phó.",
        );
    }
}

fn party_by_order_principal(env: &Env<'_>, out: &mut Out) {
    if env.doc.family != Family::Party || role(env) != FormRole::ByOrder || env.params.by_order_principals.is_empty() {
        return;
    }
    let principal = env.doc.signer.principal.as_deref().unwrap_or("").trim();
    let key = crate::text::name_key(principal);
    if !env.params.by_order_principals.iter().any(|p| key.starts_with(p.as_str())) {
        out.report(
            "/signer/principal",
            format!("T/L dùng cho văn bản Ban Thường vụ hoặc Thường trực cấp ủy giao ký: ghi `{}` (đang ghi `{principal}`).", env.params.by_order_principals.join("` hoặc `")),
        );
    }
}

fn signer_holds_the_position(env: &Env<'_>, out: &mut Out) {
    // A biên bản is signed by the meeting's chair and secretary, not by position.
    if env.kind_in(&env.params.kinds_with_two_signatures) {
        return;
    }
    let Some(agency) = env.agency else { return };
    let signer = &env.doc.signer;
    let holds_in =
        |a: &super::AgencyFacts| a.people.iter().any(|(name, title)| name == &signer.name && title == &signer.position);
    // By order or delegation, the head of a subordinate body (the Văn phòng) signs.
    let delegated = matches!(role(env), FormRole::ByOrder | FormRole::ByDelegation);
    let subordinate = |a: &&super::AgencyFacts| a.parent_name.as_deref() == Some(agency.name.as_str());
    let holds = holds_in(agency)
        || delegated && env.ctx.office.is_some_and(|o| o.agencies.iter().filter(subordinate).any(holds_in));
    if !holds {
        out.report(
            "/signer/name",
            format!(
                "Trong cơ sở dữ liệu, {} không giữ chức vụ `{}` tại {}.",
                signer.name, signer.position, agency.name
            ),
        );
    }
}

fn party_title_without_committee(env: &Env<'_>, out: &mut Out) {
    if env.doc.family != Family::Party {
        return;
    }
    let position = env.doc.signer.position.trim();
    let key = crate::text::name_key(position);
    for suffix in &env.params.committee_suffixes {
        let suffix = format!(" {suffix}");
        if let Some(head) = key.strip_suffix(&suffix).filter(|h| !h.trim().is_empty()) {
            out.report(
                "/signer/position",
                format!("Chức vụ người ký ghi không kèm tên cấp ủy: `{}` thay vì `{position}`.", head.trim()),
            );
            return;
        }
    }
}

fn collective_principal_names_the_body(env: &Env<'_>, out: &mut Out) {
    if role(env) != FormRole::Collective || !env.collective {
        return;
    }
    let Some(principal) = env.doc.signer.principal.as_deref().map(str::trim).filter(|p| !p.is_empty()) else { return };
    let known =
        env.params.collective_principals.iter().any(|p| p == principal) || env.doc.issuer.name.starts_with(principal);
    // `T/M BAN THƯỜNG VỤ TỈNH ỦY`, `T/M THƯỜNG TRỰC TỈNH ỦY`: the collective with
    // its committee's name. HD 36 prints the collective alone; the line still names
    // the body that decided, so this is information, not a wrong authority.
    let key = crate::text::name_key(principal);
    let with_committee = env.params.committee_suffixes.iter().find_map(|suffix| {
        key.strip_suffix(suffix.as_str())
            .map(str::trim_end)
            .filter(|head| env.params.collective_principals.iter().any(|p| p == head))
    });
    if let Some(head) = with_committee {
        out.suggest(
            "/signer/principal",
            format!("Dòng quyền hạn thường ghi tên tập thể không kèm tên cấp ủy: `{head}` thay vì `{principal}`."),
            head.to_owned(),
        );
        return;
    }
    if !known {
        out.report(
            "/signer/principal",
            format!(
                "Sau `{}` ghi tên tập thể lãnh đạo (ví dụ `{}`), không ghi `{principal}`.",
                env.params.form_collective,
                env.params.collective_principals.first().map_or("", String::as_str)
            ),
        );
    }
}

fn authority_matrix_allows(env: &Env<'_>, out: &mut Out) {
    let Some(agency) = env.agency.filter(|a| !a.authority.is_empty()) else { return };
    // Delegated signatures are checked against the delegation (TQ-09); a biên bản
    // is signed by the meeting's chair.
    if matches!(role(env), FormRole::ByOrder | FormRole::ByDelegation)
        || env.kind_in(&env.params.kinds_with_two_signatures)
    {
        return;
    }
    let position = env.doc.signer.position.trim();
    let allowed = agency.authority.iter().any(|(title, kind)| title == position && (kind == "*" || kind == env.kind));
    if !allowed {
        let kind_name = env.kind_def.map_or(env.kind, |k| k.name.as_str());
        out.report(
            "/signer/position",
            format!("Theo phân quyền ký của {}, chức vụ `{position}` không được ký {kind_name}.", agency.name),
        );
    }
}

fn issuer_known_to_the_office(env: &Env<'_>, out: &mut Out) {
    if env.ctx.office.is_some() && env.agency.is_none() {
        out.report(
            "/issuer/name",
            format!(
                "{} không có trong cơ sở dữ liệu của cơ quan: không kiểm tra được người ký, ủy quyền và phân quyền ký.",
                env.doc.issuer.name
            ),
        );
    }
}

/// TQ-18: a document dated after its issuer's level was abolished (district Party
/// committees from 01/7/2025). Ruleset data; a warning, since a date typed wrong is
/// the likelier cause.
fn issuer_level_exists_on_the_date(env: &Env<'_>, out: &mut Out) {
    let practice = &env.params.practice;
    let (Some(date), Ok(from)) = (env.doc.date, crate::model::parse_iso_date(&practice.levels_abolished_from)) else {
        return;
    };
    // A date in the future is already TG-01's finding: one wrong date, one finding.
    if date < from || date > env.ctx.today {
        return;
    }
    let names = [Some(env.doc.issuer.name.as_str()), env.doc.issuer.parent.as_deref()];
    for (field, name) in ["/issuer/name", "/issuer/parent"].into_iter().zip(names) {
        let Some(name) = name else { continue };
        let key = crate::text::name_key(name);
        if practice.abolished_issuer_prefixes.iter().any(|p| key.starts_with(p.as_str())) {
            out.report(
                field,
                format!(
                    "{name}: cấp này không còn tổ chức từ ngày {} (tổ chức đảng hai cấp tỉnh, xã); kiểm tra lại cơ quan ban hành hoặc ngày ban hành {}.",
                    from.format("%d/%m/%Y"),
                    date.format("%d/%m/%Y")
                ),
            );
            return;
        }
    }
}
