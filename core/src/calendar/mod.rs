//! The working calendar: working days and deadlines.
//!
//! This first part knows the working week (Monday–Friday, Saturday optional).
//! Public holidays of the Labour Code (including the lunar ones) are added by the
//! holiday calendar on top of it.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Whether `date` falls in the working week.
pub fn is_working_weekday(date: NaiveDate, saturday_is_working: bool) -> bool {
    match date.weekday() {
        Weekday::Sun => false,
        Weekday::Sat => saturday_is_working,
        _ => true,
    }
}

/// Moves `n` working days from `from` (backwards when `n` is negative), counting
/// only days of the working week. `n = 0` returns `from` itself.
pub fn add_working_weekdays(from: NaiveDate, n: i64, saturday_is_working: bool) -> NaiveDate {
    let step = if n < 0 { -1 } else { 1 };
    let mut date = from;
    let mut left = n.abs();
    while left > 0 {
        date += Duration::days(step);
        if is_working_weekday(date, saturday_is_working) {
            left -= 1;
        }
    }
    date
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weekends_are_skipped_both_ways() {
        // Friday 2026-11-27 + 1 working day = Monday 2026-11-30.
        assert_eq!(add_working_weekdays(d("2026-11-27"), 1, false), d("2026-11-30"));
        assert_eq!(add_working_weekdays(d("2026-11-27"), 1, true), d("2026-11-28"));
        assert_eq!(add_working_weekdays(d("2026-11-30"), -1, false), d("2026-11-27"));
        assert_eq!(add_working_weekdays(d("2026-11-25"), 0, false), d("2026-11-25"));
        assert_eq!(add_working_weekdays(d("2026-11-23"), 5, false), d("2026-11-30"));
    }
}
