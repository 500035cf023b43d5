//! Two-level signature blocks (format revision 2, `signer.deputy`): a deputy signs
//! "KT." for the holder of an authority that is itself exercised for someone else.
//!
//! NĐ 30/2020 Điều 13.2: the deputy of a collective body's head "được thay mặt tập
//! thể, ký thay người đứng đầu" (`TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` /
//! `PHÓ CHỦ TỊCH`); Điều 13.4: "Người được ký thừa lệnh được giao lại cho cấp phó ký
//! thay" (`TL. CHỦ TỊCH` / `KT. CHÁNH VĂN PHÒNG` / `PHÓ CHÁNH VĂN PHÒNG`). Which
//! outer forms admit the second line is ruleset data (`two_level_outer_forms`).

use super::authority::{FormRole, principal_names_head, role_of};
use super::util::is_upper;
use super::{Env, Out, RuleFn};

pub(super) const RULES: &[(&str, RuleFn)] = &[("TQ-17", two_level_block)];

fn two_level_block(env: &Env<'_>, out: &mut Out) {
    let Some(deputy) = env.doc.signer.deputy.as_ref() else { return };
    let p = env.params;
    let signer = &env.doc.signer;
    let outer = role_of(signer.form.as_deref());
    let outer_allowed = !matches!(outer, FormRole::Own | FormRole::Unknown)
        && p.two_level_outer_forms.iter().any(|f| role_of(Some(f)) == outer);
    if !outer_allowed {
        out.report(
            "/signer/deputy",
            format!(
                "Dòng ký thay thứ hai (`{} {}`) chỉ đặt dưới {}: khối chữ ký `{}` không có hai cấp (NĐ 30, Điều 13).",
                deputy.form.trim(),
                deputy.principal.trim(),
                p.two_level_outer_forms.join(", "),
                signer.form.as_deref().unwrap_or("(không có chữ viết tắt)")
            ),
        );
        return;
    }
    match role_of(Some(deputy.form.as_str())) {
        FormRole::Deputy if deputy.form.trim() == p.form_deputy => {}
        FormRole::Deputy => out.fixable(
            "/signer/deputy/form",
            format!("Dòng ký thay thứ hai ghi `{}` (đang ghi `{}`).", p.form_deputy, deputy.form),
            p.form_deputy.clone(),
        ),
        _ => {
            out.report(
                "/signer/deputy/form",
                format!(
                    "Dòng thứ hai của khối chữ ký hai cấp là ký thay: ghi `{}` (đang ghi `{}`).",
                    p.form_deputy, deputy.form
                ),
            );
            return;
        }
    }
    let principal = deputy.principal.trim();
    if principal.is_empty() {
        out.report("/signer/deputy/principal", format!("Sau `{}` ghi chức vụ người đứng đầu.", p.form_deputy));
        return;
    }
    if !is_upper(principal) {
        out.fixable(
            "/signer/deputy/principal",
            "Chức vụ sau chữ viết tắt ký thay viết in hoa.",
            crate::text::nfc(principal).to_uppercase(),
        );
    }
    if p.head_of_deputy(principal).is_some() {
        out.report(
            "/signer/deputy/principal",
            format!("Sau `{}` ghi chức vụ người đứng đầu, không ghi chức vụ cấp phó `{principal}`.", p.form_deputy),
        );
        return;
    }
    let outer_principal = signer.principal.as_deref().map(str::trim).unwrap_or("");
    match outer {
        FormRole::Collective => {
            let body = if outer_principal.is_empty() { env.doc.issuer.name.as_str() } else { outer_principal };
            let head = p.collective_head(body).or_else(|| p.collective_head(&env.doc.issuer.name));
            if let Some(head) = head.filter(|h| !principal_names_head(principal, h)) {
                out.report(
                    "/signer/deputy/principal",
                    format!(
                        "Dưới `{} {body}` cấp phó ký thay người đứng đầu tập thể: ghi `{} {head}` (đang ghi `{principal}`; NĐ 30, Điều 13.2).",
                        p.form_collective, p.form_deputy
                    ),
                );
                return;
            }
        }
        _ => {
            // By order or delegation: the unit head holding the authority, never the
            // agency head named on the first line.
            if !outer_principal.is_empty() && principal_names_head(outer_principal, principal) {
                out.report(
                    "/signer/deputy/principal",
                    format!(
                        "Dưới `{} {outer_principal}` dòng ký thay ghi chức vụ người đứng đầu đơn vị được giao ký (ví dụ `{} CHÁNH VĂN PHÒNG`), không ghi lại `{principal}` (NĐ 30, Điều 13.3-13.4).",
                        signer.form.as_deref().unwrap_or("").trim(),
                        p.form_deputy
                    ),
                );
                return;
            }
        }
    }
    match p.head_of_deputy(&signer.position) {
        None => out.report(
            "/signer/position",
            format!(
                "Người ký dưới dòng `{} {principal}` là cấp phó của {principal}; chức vụ `{}` không phải cấp phó.",
                p.form_deputy, signer.position
            ),
        ),
        Some(head) if !principal_names_head(principal, &head) => out.report(
            "/signer/position",
            format!(
                "Chức vụ `{}` là cấp phó của `{head}`, không phải của `{principal}`: dòng ký thay và chức vụ người ký không khớp.",
                signer.position
            ),
        ),
        Some(_) => {}
    }
}
