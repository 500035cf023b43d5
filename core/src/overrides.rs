//! Office overrides edited by choice instead of by hand: turning a rule on or off,
//! changing its level, adding a rest day or a make-up working day to the calendar.
//! Each function takes the stored override (TOML, or none) and returns the new one
//! (none when nothing is left), so the window never asks an office to write TOML.
//! A syntax error in a hand-written override is told in Vietnamese with its line
//! and column; the parser's English stays in parentheses for the log.

use chrono::{Datelike, NaiveDate};

use crate::ruleset::{RuleDef, Severity};

/// What an office decides about one day of its calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayChoice {
    /// A rest day the office adds (a decision of the Thủ tướng or the province).
    RestDay,
    /// A working day on a rest day (ngày làm bù).
    WorkingDay,
    /// Back to the default calendar for that day.
    Default,
}

/// A hand-written override that does not parse, in Vietnamese: where, then the
/// parser's own words in parentheses (dropped by the window, kept in the log).
pub fn syntax_error(what: &str, text: &str, error: &toml::de::Error) -> String {
    let place = error.span().map(|span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!(" ở dòng {line}, cột {column}")
    });
    // ASCII only, so that the window can tell the parenthesis is for the log.
    let english: String =
        error.message().lines().next().unwrap_or("").chars().filter(|c| c.is_ascii() && !"()".contains(*c)).collect();
    format!("{what} sai cú pháp{} (TOML syntax error: {})", place.unwrap_or_default(), english.trim())
}

fn parse(current: Option<&str>, what: &str) -> Result<toml::Table, String> {
    match current.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => toml::from_str(text).map_err(|e| syntax_error(what, text, &e)),
        None => Ok(toml::Table::new()),
    }
}

fn render(table: toml::Table) -> Result<Option<String>, String> {
    if table.is_empty() {
        return Ok(None);
    }
    toml::to_string(&table).map(Some).map_err(|e| format!("không ghi được bản điều chỉnh (cannot write TOML: {e})"))
}

/// The override with `rule` applied (`enabled`, `severity`) over the default
/// `default`: keys equal to the default are removed, and an entry left with its id
/// only goes away.
pub fn with_rule_choice(
    current: Option<&str>,
    default: &RuleDef,
    enabled: bool,
    severity: Severity,
) -> Result<Option<String>, String> {
    let mut table = parse(current, "Bản điều chỉnh bộ quy tắc")?;
    let mut entries = match table.remove("rule") {
        Some(toml::Value::Array(list)) => list,
        Some(_) => return Err("mục quy tắc của bản điều chỉnh phải là danh sách (rule must be an array)".into()),
        None => Vec::new(),
    };
    let position = entries.iter().position(|e| e.get("id").and_then(toml::Value::as_str) == Some(&default.id));
    let mut entry = match position {
        Some(i) => match entries.remove(i) {
            toml::Value::Table(t) => t,
            _ => toml::Table::new(),
        },
        None => toml::Table::new(),
    };
    entry.insert("id".into(), toml::Value::String(default.id.clone()));
    entry.remove("enabled");
    entry.remove("severity");
    if enabled != default.enabled {
        entry.insert("enabled".into(), toml::Value::Boolean(enabled));
    }
    if severity != default.severity {
        let code = match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        entry.insert("severity".into(), toml::Value::String(code.into()));
    }
    if entry.len() > 1 {
        entries.insert(position.unwrap_or(entries.len()), toml::Value::Table(entry));
    }
    if !entries.is_empty() {
        table.insert("rule".into(), toml::Value::Array(entries));
    }
    render(table)
}

fn date_value(date: NaiveDate) -> toml::Value {
    let text = date.format("%Y-%m-%d").to_string();
    toml::Value::Datetime(text.parse().expect("an ISO date is a TOML date"))
}

fn same_date(value: &toml::Value, date: NaiveDate) -> bool {
    value.as_datetime().and_then(|d| d.date).is_some_and(|d| {
        i32::from(d.year) == date.year() && u32::from(d.month) == date.month() && u32::from(d.day) == date.day()
    })
}

/// The calendar override with `choice` applied to `date`. A year the override did
/// not touch yet starts from the default schedule of that year (`default_toml`,
/// the embedded holidays), since a `[[year]]` entry replaces it whole.
pub fn with_day_choice(
    current: Option<&str>,
    default_toml: &str,
    date: NaiveDate,
    choice: DayChoice,
) -> Result<Option<String>, String> {
    let mut table = parse(current, "Bản điều chỉnh lịch")?;
    let year_of = |v: &toml::Value| v.get("year").and_then(toml::Value::as_integer) == Some(i64::from(date.year()));
    let mut years = match table.remove("year") {
        Some(toml::Value::Array(list)) => list,
        Some(_) => return Err("mục năm của bản điều chỉnh phải là danh sách (year must be an array)".into()),
        None => Vec::new(),
    };
    let mut entry = match years.iter().position(year_of) {
        Some(i) => years.remove(i),
        None => {
            let defaults: toml::Table = toml::from_str(default_toml).map_err(|e| e.to_string())?;
            let default_year =
                defaults.get("year").and_then(toml::Value::as_array).and_then(|l| l.iter().find(|v| year_of(v)));
            default_year.cloned().unwrap_or_else(|| {
                let mut t = toml::Table::new();
                t.insert("year".into(), toml::Value::Integer(i64::from(date.year())));
                toml::Value::Table(t)
            })
        }
    };
    let toml::Value::Table(fields) = &mut entry else {
        return Err("mục năm của bản điều chỉnh phải là bảng (year entry must be a table)".into());
    };
    for key in ["days_off", "working_days"] {
        let list = fields.entry(key).or_insert_with(|| toml::Value::Array(Vec::new()));
        let toml::Value::Array(list) = list else {
            return Err(format!("danh sách ngày của năm {} không hợp lệ (not an array)", date.year()));
        };
        list.retain(|v| !same_date(v, date));
        let wanted = match choice {
            DayChoice::RestDay => "days_off",
            DayChoice::WorkingDay => "working_days",
            DayChoice::Default => "",
        };
        if key == wanted {
            list.push(date_value(date));
            list.sort_by_key(|v| v.as_datetime().map(ToString::to_string));
        }
    }
    years.push(entry);
    years.sort_by_key(|v| v.get("year").and_then(toml::Value::as_integer));
    table.insert("year".into(), toml::Value::Array(years));
    render(table)
}

/// The calendar override with Saturday a working day or not.
pub fn with_saturday(current: Option<&str>, saturday_is_working: bool) -> Result<Option<String>, String> {
    let mut table = parse(current, "Bản điều chỉnh lịch")?;
    if saturday_is_working {
        let mut week = toml::Table::new();
        week.insert("saturday_is_working".into(), toml::Value::Boolean(true));
        table.insert("week".into(), toml::Value::Table(week));
    } else {
        table.remove("week");
    }
    render(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{HOLIDAYS_TOML, WorkCalendar};
    use crate::model::Family;
    use crate::ruleset::{Ruleset, default_ruleset, default_ruleset_toml};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_rule_is_turned_off_and_back_on_without_leaving_an_entry() {
        let base = default_ruleset(Family::State);
        let rule = base.rules.iter().find(|r| r.enabled && r.severity == Severity::Error).unwrap();
        let off = with_rule_choice(None, rule, false, Severity::Warning).unwrap().unwrap();
        let applied = Ruleset::with_override(default_ruleset_toml(Family::State), &off).unwrap();
        let changed = applied.rule(&rule.id).unwrap();
        assert!(!changed.enabled);
        assert_eq!(changed.severity, Severity::Warning);
        // Another rule's entry and a parameter the office wrote by hand stay.
        let other = base.rules.iter().find(|r| r.id != rule.id).unwrap();
        let both = with_rule_choice(Some(&off), other, other.enabled, Severity::Warning).unwrap().unwrap();
        assert!(both.contains(&rule.id) && both.contains(&other.id), "{both}");
        let back = with_rule_choice(Some(&both), rule, true, Severity::Error).unwrap().unwrap();
        assert!(!back.contains(&format!("\"{}\"", rule.id)), "{back}");
        let none = with_rule_choice(Some(&back), other, other.enabled, other.severity).unwrap();
        assert_eq!(none, None, "nothing left to override");
    }

    #[test]
    fn a_hand_written_syntax_error_names_its_line_and_column_in_vietnamese() {
        let base = default_ruleset(Family::State);
        let err =
            with_rule_choice(Some("[params]\nluu_prefix = \n"), &base.rules[0], true, Severity::Error).unwrap_err();
        assert!(err.starts_with("Bản điều chỉnh bộ quy tắc sai cú pháp ở dòng 2, cột"), "{err}");
    }

    #[test]
    fn a_rest_day_and_a_make_up_day_keep_the_year_s_official_tet() {
        let text = with_day_choice(None, HOLIDAYS_TOML, date(2026, 12, 31), DayChoice::RestDay).unwrap().unwrap();
        let text =
            with_day_choice(Some(&text), HOLIDAYS_TOML, date(2026, 12, 26), DayChoice::WorkingDay).unwrap().unwrap();
        let calendar = WorkCalendar::with_override(&text).unwrap();
        assert!(!calendar.is_working_day(date(2026, 12, 31)), "the added rest day");
        assert!(calendar.is_working_day(date(2026, 12, 26)), "a Saturday worked");
        // The official Tết 2026 (16–20 Feb, weekdays) is still off.
        assert!(!calendar.is_working_day(date(2026, 2, 18)));
        let back =
            with_day_choice(Some(&text), HOLIDAYS_TOML, date(2026, 12, 31), DayChoice::Default).unwrap().unwrap();
        assert!(WorkCalendar::with_override(&back).unwrap().is_working_day(date(2026, 12, 31)));
        // A year with no official schedule gets an entry of its own.
        let later = with_day_choice(None, HOLIDAYS_TOML, date(2031, 5, 5), DayChoice::RestDay).unwrap().unwrap();
        assert!(!WorkCalendar::with_override(&later).unwrap().is_working_day(date(2031, 5, 5)));
    }

    #[test]
    fn saturday_work_is_set_and_cleared() {
        let on = with_saturday(None, true).unwrap().unwrap();
        assert!(WorkCalendar::with_override(&on).unwrap().is_working_day(date(2026, 12, 5)));
        assert_eq!(with_saturday(Some(&on), false).unwrap(), None);
    }
}
