//! Đúng thời gian: dates against today, deadlines against dates, and the working
//! calendar (Bộ luật Lao động 2019, Điều 111–112).

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

fn date_on_working_day(env: &Env<'_>, out: &mut Out) {
    if let Some(date) = env.doc.date.filter(|d| !env.ctx.calendar.is_working_day(*d)) {
        out.report("/date", format!("Ngày ban hành {} là ngày nghỉ (cuối tuần hoặc ngày lễ, Tết).", fmt(date)));
    }
}

fn deadline_on_working_day(env: &Env<'_>, out: &mut Out) {
    if let Some(due) = env.doc.due_date.filter(|d| !env.ctx.calendar.is_working_day(*d)) {
        out.report("/due_date", format!("Thời hạn {} rơi vào ngày nghỉ; chọn ngày làm việc.", fmt(due)));
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
