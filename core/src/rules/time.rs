//! Đúng thời gian: dates against today, deadlines against dates, and the working
//! calendar (Bộ luật Lao động 2019, Điều 111–112). A date on a rest day is no defect
//! (information only) unless the text counts the deadline in working days.

use super::{Env, Out, RuleFn};

pub(super) const RULES: &[(&str, RuleFn)] = &[
    ("TG-01", not_in_the_future),
    ("TG-02", deadline_after_date),
    ("TG-03", date_on_working_day),
    ("TG-04", deadline_on_working_day),
    ("TG-05", after_effective_date),
];

fn fmt(date: chrono::NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn not_in_the_future(env: &Env<'_>, out: &mut Out) {
    if let Some(date) = env.doc.date.filter(|d| *d > env.ctx.today) {
        out.report("/date", format!("Ngày ban hành {} ở sau hôm nay ({}).", fmt(date), fmt(env.ctx.today)));
    }
}

fn deadline_after_date(env: &Env<'_>, out: &mut Out) {
    if let (Some(date), Some(due)) = (env.doc.date, env.doc.due_date)
        && due < date
    {
        out.report("/due_date", format!("Thời hạn {} ở trước ngày ban hành {}.", fmt(due), fmt(date)));
    }
}

/// What kind of rest day `date` is, in Vietnamese (`Chủ nhật`, `thứ Bảy`, or the
/// holiday's name).
fn rest_day_name(env: &Env<'_>, date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let calendar = env.ctx.calendar;
    if let Some((_, name)) = calendar.days_off(date.year()).into_iter().find(|(d, _)| *d == date) {
        return name;
    }
    match date.weekday() {
        chrono::Weekday::Sun => "Chủ nhật".to_owned(),
        chrono::Weekday::Sat => "thứ Bảy".to_owned(),
        _ => "ngày nghỉ".to_owned(),
    }
}

/// Neither NĐ 30 nor the Labour Code forbids issuing a document on a rest day (an
/// emergency công điện is often issued on a Sunday). The severity is the ruleset's:
/// `info` in the State ruleset, `warning` in the Party one (HD 36 practice).
fn date_on_working_day(env: &Env<'_>, out: &mut Out) {
    if let Some(date) = env.doc.date.filter(|d| !env.ctx.calendar.is_working_day(*d)) {
        out.report(
            "/date",
            format!(
                "Ngày ban hành {} là ngày nghỉ ({}): kiểm tra lại ngày (văn bản vẫn có thể ban hành vào ngày nghỉ khi cần).",
                fmt(date),
                rest_day_name(env, date)
            ),
        );
    }
}

/// Whether the document counts its deadline in working days (`ngày làm việc`).
fn counts_working_days(env: &Env<'_>) -> bool {
    let phrases = &env.params.working_day_phrases;
    let texts = env.doc.body.iter().filter_map(|b| b.text.as_deref()).chain(env.doc.subject.as_deref());
    texts.into_iter().any(|t| {
        let lower = t.to_lowercase();
        phrases.iter().any(|p| lower.contains(&p.to_lowercase()))
    })
}

/// A deadline on a rest day is no error: a date written in the text stands. Only a
/// deadline counted in working days (`… ngày làm việc`) cannot end on a rest day; it
/// moves to the next working day.
fn deadline_on_working_day(env: &Env<'_>, out: &mut Out) {
    let Some(due) = env.doc.due_date.filter(|d| !env.ctx.calendar.is_working_day(*d)) else { return };
    let rest = rest_day_name(env, due);
    if counts_working_days(env) {
        let next = env.ctx.calendar.add_working_days(due, 1);
        out.fixable(
            "/due_date",
            format!(
                "Thời hạn {} là ngày nghỉ ({rest}) trong khi văn bản tính thời hạn bằng ngày làm việc: thời hạn là ngày làm việc tiếp theo, {}.",
                fmt(due),
                fmt(next)
            ),
            next.format("%Y-%m-%d").to_string(),
        );
    } else {
        out.inform(
            "/due_date",
            format!(
                "Thời hạn {} là ngày nghỉ ({rest}). Không trái quy định: thời hạn ghi bằng ngày cụ thể giữ nguyên; chỉ thời hạn tính bằng ngày làm việc mới lùi sang ngày làm việc tiếp theo.",
                fmt(due)
            ),
        );
    }
}

fn after_effective_date(env: &Env<'_>, out: &mut Out) {
    let (Some(date), Some(from)) = (env.doc.date, env.params.effective_date()) else { return };
    if date < from {
        out.report(
            "/date",
            format!(
                "Ngày ban hành {} trước ngày {} có hiệu lực ({}).",
                fmt(date),
                env.ruleset.ruleset.reference,
                fmt(from)
            ),
        );
    }
}
