//! The Vietnamese working calendar: the working week, public holidays of the
//! Labour Code 2019 (Điều 112) including lunar Tết and Giỗ Tổ, substitute days
//! (Điều 111.3) and the per-year official schedule as editable data.

pub mod lunar;

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Deserialize;

/// The embedded default holiday data.
pub const HOLIDAYS_TOML: &str = include_str!("../../../assets/rules/holidays.toml");

#[derive(Debug, Clone, Deserialize)]
struct HolidayData {
    week: WeekData,
    #[serde(default)]
    solar: Vec<SolarHoliday>,
    #[serde(default)]
    year: Vec<YearSchedule>,
}

#[derive(Debug, Clone, Deserialize)]
struct WeekData {
    saturday_is_working: bool,
}

#[derive(Debug, Clone, Deserialize)]
struct SolarHoliday {
    #[allow(dead_code)]
    name: String,
    month: u32,
    day: u32,
    #[serde(default)]
    from: Option<toml::value::Datetime>,
}

#[derive(Debug, Clone, Deserialize)]
struct YearSchedule {
    year: i32,
    #[serde(default)]
    tet: Vec<toml::value::Datetime>,
    #[serde(default)]
    quoc_khanh_extra: Option<toml::value::Datetime>,
    #[serde(default)]
    days_off: Vec<toml::value::Datetime>,
    #[serde(default)]
    working_days: Vec<toml::value::Datetime>,
}

fn to_date(value: &toml::value::Datetime) -> Option<NaiveDate> {
    let d = value.date?;
    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
}

/// The years a calendar is checked for working days when it is read.
const MIN_CHECKED_YEAR: i32 = 2000;
const MAX_CHECKED_YEAR: i32 = 2100;
/// The fewest working days a year may keep (a Vietnamese year has about 250).
const MIN_WORKING_DAYS: usize = 150;
/// The longest name of a holiday.
const MAX_NAME_CHARS: usize = 200;

/// Refuses a holiday name that is empty, too long, or holds control or bidi
/// characters (which would turn the list around on screen).
fn check_name(name: &str) -> Result<(), CalendarError> {
    let bad = |c: char| {
        c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if name.trim().is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(bad) {
        let shown: String = name.chars().filter(|c| !bad(*c)).take(40).collect();
        return Err(CalendarError(format!(
            "tên ngày nghỉ «{shown}» rỗng, dài quá {MAX_NAME_CHARS} ký tự hoặc có ký tự điều khiển (bad holiday name)"
        )));
    }
    Ok(())
}

/// Error reading holiday data.
#[derive(Debug, thiserror::Error)]
#[error("lịch nghỉ không hợp lệ: {0}")]
pub struct CalendarError(String);

/// The working calendar of an office.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    data: HolidayData,
    /// Days off per year, computed once (lunar conversions are not free).
    cache: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<i32, std::sync::Arc<BTreeSet<NaiveDate>>>>>,
}

impl WorkCalendar {
    /// The embedded default calendar.
    pub fn default_vietnam() -> Self {
        Self::parse(HOLIDAYS_TOML).expect("embedded holidays are valid (tested)")
    }

    /// A calendar from holiday TOML (same shape as `assets/rules/holidays.toml`),
    /// refused when a year from 2000 to 2100 keeps too few working days.
    pub fn from_toml(text: &str) -> Result<Self, CalendarError> {
        let calendar = Self::parse(text)?;
        // Deadlines are counted in working days: a calendar that leaves a year with
        // too few of them (every day off, by mistake or malice) would make every
        // deadline of the office run for ever.
        for year in MIN_CHECKED_YEAR..=MAX_CHECKED_YEAR {
            let working = calendar.working_days_in(year);
            if working < MIN_WORKING_DAYS {
                return Err(CalendarError(format!(
                    "năm {year} chỉ còn {working} ngày làm việc, dưới {MIN_WORKING_DAYS}: lịch này làm mọi thời hạn \
                     sai (too few working days)"
                )));
            }
        }
        Ok(calendar)
    }

    /// The calendar the TOML describes, checked for shape, names and dates.
    fn parse(text: &str) -> Result<Self, CalendarError> {
        let data: HolidayData = toml::from_str(text).map_err(|e| CalendarError(e.to_string()))?;
        for s in &data.solar {
            if NaiveDate::from_ymd_opt(2024, s.month, s.day).is_none() {
                return Err(CalendarError(format!("ngày {}/{} không tồn tại", s.day, s.month)));
            }
        }
        for y in &data.year {
            let all = y.tet.iter().chain(&y.days_off).chain(&y.working_days).chain(&y.quoc_khanh_extra);
            for value in all {
                if to_date(value).is_none() {
                    return Err(CalendarError(format!("năm {}: `{value}` không phải ngày", y.year)));
                }
            }
        }
        for s in &data.solar {
            check_name(&s.name)?;
        }
        for y in &data.year {
            if !(1900..=2200).contains(&y.year) {
                return Err(CalendarError(format!("năm {} nằm ngoài 1900–2200 (year out of range)", y.year)));
            }
            let all = y.tet.iter().chain(&y.days_off).chain(&y.working_days).chain(&y.quoc_khanh_extra);
            if let Some(stray) = all.filter_map(to_date).find(|d| d.year() != y.year) {
                return Err(CalendarError(format!(
                    "năm {}: ngày {} thuộc năm khác (date outside its year)",
                    y.year,
                    stray.format("%d/%m/%Y")
                )));
            }
        }
        Ok(WorkCalendar { data, cache: Default::default() })
    }

    /// How many working days `year` has.
    fn working_days_in(&self, year: i32) -> usize {
        let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else { return 0 };
        first.iter_days().take_while(|d| d.year() == year).filter(|d| self.is_working_day(*d)).count()
    }

    /// The default calendar with an office's override: `[week]` replaces the working
    /// week, `[[solar]]` entries are added, and a `[[year]]` entry replaces the
    /// default schedule of that year (official Tết days, swapped working days …).
    pub fn with_override(override_toml: &str) -> Result<Self, CalendarError> {
        let mut base: toml::Table = toml::from_str(HOLIDAYS_TOML).map_err(|e| CalendarError(e.to_string()))?;
        let patch: toml::Table = toml::from_str(override_toml)
            .map_err(|e| CalendarError(crate::overrides::syntax_error("bản điều chỉnh", override_toml, &e)))?;
        for (key, value) in patch {
            match (key.as_str(), value) {
                ("week", value @ toml::Value::Table(_)) => {
                    base.insert(key, value);
                }
                ("solar", toml::Value::Array(entries)) => {
                    if let Some(toml::Value::Array(list)) = base.get_mut("solar") {
                        list.extend(entries);
                    }
                }
                ("year", toml::Value::Array(entries)) => {
                    let list = base.entry("year").or_insert_with(|| toml::Value::Array(Vec::new()));
                    if let toml::Value::Array(list) = list {
                        for entry in entries {
                            let year = entry.get("year").and_then(toml::Value::as_integer);
                            list.retain(|e| e.get("year").and_then(toml::Value::as_integer) != year);
                            list.push(entry);
                        }
                    }
                }
                (other, _) => return Err(CalendarError(format!("mục không điều chỉnh được `{other}`"))),
            }
        }
        let text = toml::to_string(&base).map_err(|e| CalendarError(e.to_string()))?;
        Self::from_toml(&text)
    }

    /// Whether Saturday is a working day.
    pub fn saturday_is_working(&self) -> bool {
        self.data.week.saturday_is_working
    }

    fn schedule(&self, year: i32) -> Option<&YearSchedule> {
        self.data.year.iter().find(|y| y.year == year)
    }

    fn is_weekend(&self, date: NaiveDate) -> bool {
        !is_working_weekday(date, self.saturday_is_working())
    }

    /// The public holidays of a solar year (before substitute days), with their names.
    pub fn holidays(&self, year: i32) -> Vec<(NaiveDate, String)> {
        let mut out = Vec::new();
        for s in &self.data.solar {
            let Some(date) = NaiveDate::from_ymd_opt(year, s.month, s.day) else { continue };
            if s.from.as_ref().and_then(to_date).is_some_and(|from| date < from) {
                continue;
            }
            out.push((date, s.name.clone()));
        }
        let schedule = self.schedule(year);
        match schedule.map(|s| &s.quoc_khanh_extra) {
            Some(Some(extra)) => out.extend(to_date(extra).map(|d| (d, "Quốc khánh (ngày liền kề)".to_owned()))),
            _ => out.push((quoc_khanh_adjacent(year), "Quốc khánh (ngày liền kề)".to_owned())),
        }
        let tet_days: Vec<NaiveDate> = match schedule.filter(|s| !s.tet.is_empty()) {
            Some(s) => s.tet.iter().filter_map(to_date).collect(),
            None => {
                // The Tết of lunar year `year` falls in solar January or February of `year`.
                let first = lunar::tet(year);
                (-1..=3).map(|i| first + Duration::days(i)).collect()
            }
        };
        out.extend(tet_days.into_iter().map(|d| (d, "Tết Âm lịch".to_owned())));
        out.push((lunar::gio_to(year), "Giỗ Tổ Hùng Vương".to_owned()));
        if let Some(s) = schedule {
            out.extend(s.days_off.iter().filter_map(to_date).map(|d| (d, "Nghỉ theo lịch chính thức".to_owned())));
        }
        out.sort();
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }

    /// Every day off of a year that falls on a working weekday: holidays, and the
    /// substitute days of holidays that fall on a weekly rest day (Điều 111.3).
    pub fn days_off(&self, year: i32) -> Vec<(NaiveDate, String)> {
        let holidays = self.holidays(year);
        let official_tet = self.schedule(year).is_some_and(|s| !s.tet.is_empty());
        let mut taken: BTreeSet<NaiveDate> = holidays.iter().map(|(d, _)| *d).collect();
        let mut out: Vec<(NaiveDate, String)> = Vec::new();
        for (date, name) in &holidays {
            if !self.is_weekend(*date) {
                out.push((*date, name.clone()));
            } else if !(official_tet && name == "Tết Âm lịch") {
                let mut substitute = *date + Duration::days(1);
                while self.is_weekend(substitute) || taken.contains(&substitute) {
                    substitute += Duration::days(1);
                }
                taken.insert(substitute);
                out.push((substitute, format!("Nghỉ bù {name}")));
            }
        }
        if let Some(s) = self.schedule(year) {
            let working: BTreeSet<NaiveDate> = s.working_days.iter().filter_map(to_date).collect();
            out.retain(|(d, _)| !working.contains(d));
        }
        out.sort();
        out
    }

    /// The rest days of `year` worked instead (ngày làm bù), from the year's schedule.
    pub fn working_days_of(&self, year: i32) -> Vec<NaiveDate> {
        let mut days: Vec<NaiveDate> =
            self.schedule(year).map(|s| s.working_days.iter().filter_map(to_date).collect()).unwrap_or_default();
        days.sort();
        days
    }

    /// Why `date` is a rest day (`Chủ nhật`, `Thứ Bảy`, `Quốc khánh`, `Nghỉ bù …`,
    /// `Nghỉ Tết Âm lịch` …), or `None` on a working day.
    pub fn rest_day_name(&self, date: NaiveDate) -> Option<String> {
        if self.is_working_day(date) {
            return None;
        }
        let named = self.days_off(date.year()).into_iter().chain(self.holidays(date.year())).find(|(d, _)| *d == date);
        if let Some((_, name)) = named {
            return Some(name);
        }
        Some(match date.weekday() {
            chrono::Weekday::Sat => "Thứ Bảy".to_owned(),
            chrono::Weekday::Sun => "Chủ nhật".to_owned(),
            _ => "Ngày nghỉ".to_owned(),
        })
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if let Some(s) = self.schedule(date.year())
            && s.working_days.iter().filter_map(to_date).any(|d| d == date)
        {
            return true;
        }
        !self.is_weekend(date) && !self.days_off_set(date.year()).contains(&date)
    }

    fn days_off_set(&self, year: i32) -> std::sync::Arc<BTreeSet<NaiveDate>> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(year)
            .or_insert_with(|| std::sync::Arc::new(self.days_off(year).into_iter().map(|(d, _)| d).collect()))
            .clone()
    }

    /// The date `n` working days after `from` (before it when `n` is negative).
    ///
    /// Bounded: a calendar read from data always has working days (it is checked
    /// when read), but a search never runs more than ten years past the last working
    /// day found, nor past the dates chrono can hold.
    pub fn add_working_days(&self, from: NaiveDate, n: i64) -> NaiveDate {
        let step = if n < 0 { -1 } else { 1 };
        let mut date = from;
        let mut left = n.abs();
        let mut idle = 0;
        while left > 0 && idle < 3660 {
            let Some(next) = date.checked_add_signed(Duration::days(step)) else { break };
            date = next;
            idle += 1;
            if self.is_working_day(date) {
                left -= 1;
                idle = 0;
            }
        }
        date
    }
}

/// The day joined to Quốc khánh (2/9) when no schedule says: the one that links it
/// to a weekend (Monday or Tuesday before, Thursday or Friday after).
fn quoc_khanh_adjacent(year: i32) -> NaiveDate {
    let day = NaiveDate::from_ymd_opt(year, 9, 2).expect("2 September exists");
    match day.weekday() {
        Weekday::Tue | Weekday::Wed => day - Duration::days(1),
        _ => day + Duration::days(1),
    }
}

/// Whether `date` falls in the working week.
pub fn is_working_weekday(date: NaiveDate, saturday_is_working: bool) -> bool {
    match date.weekday() {
        Weekday::Sun => false,
        Weekday::Sat => saturday_is_working,
        _ => true,
    }
}

/// Moves `n` days of the working week from `from` (backwards when negative),
/// ignoring holidays. `n = 0` returns `from`.
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

    #[test]
    fn a_calendar_without_working_days_or_with_bad_data_is_refused() {
        let all_off: String = (1..=12)
            .flat_map(|m| (1..=31).map(move |d| (m, d)))
            .filter(|(m, d)| NaiveDate::from_ymd_opt(2024, *m, *d).is_some())
            .map(|(m, d)| format!("[[solar]]\nname = \"Nghỉ\"\nmonth = {m}\nday = {d}\n"))
            .collect();
        let err = WorkCalendar::with_override(&all_off).unwrap_err().to_string();
        assert!(err.contains("ngày làm việc"), "{err}");
        let huge = format!("[[solar]]\nname = \"{}\"\nmonth = 5\nday = 5\n", "x".repeat(5000));
        assert!(WorkCalendar::with_override(&huge).is_err());
        let bidi = "[[solar]]\nname = \"Nghỉ \u{202e} đảo\"\nmonth = 5\nday = 5\n";
        assert!(WorkCalendar::with_override(bidi).is_err());
        assert!(WorkCalendar::with_override("[[year]]\nyear = 99999\n").is_err());
        assert!(WorkCalendar::with_override("[[year]]\nyear = 2026\ndays_off = [2031-12-31]\n").is_err());
        // A fair override is still taken, fast.
        let ok = "[[solar]]\nname = \"Ngày thành lập tỉnh\"\nmonth = 10\nday = 6\n";
        assert!(!WorkCalendar::with_override(ok).unwrap().is_working_day(d("2026-10-06")));
    }

    #[test]
    fn adding_working_days_ends_even_on_a_calendar_with_none() {
        let mut calendar = WorkCalendar::default_vietnam();
        calendar.data.solar = (1..=12)
            .flat_map(|m| (1..=31).map(move |d| (m, d)))
            .filter(|(m, d)| NaiveDate::from_ymd_opt(2024, *m, *d).is_some())
            .map(|(month, day)| SolarHoliday { name: "Nghỉ".into(), month, day, from: None })
            .collect();
        let end = calendar.add_working_days(d("2026-12-01"), 5);
        assert!(end > d("2036-01-01") && end < d("2037-12-31"), "{end}");
        assert_eq!(calendar.add_working_days(NaiveDate::MAX, 1), NaiveDate::MAX);
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weekends_are_skipped_both_ways() {
        assert_eq!(add_working_weekdays(d("2026-11-27"), 1, false), d("2026-11-30"));
        assert_eq!(add_working_weekdays(d("2026-11-27"), 1, true), d("2026-11-28"));
        assert_eq!(add_working_weekdays(d("2026-11-30"), -1, false), d("2026-11-27"));
        assert_eq!(add_working_weekdays(d("2026-11-25"), 0, false), d("2026-11-25"));
    }

    #[test]
    fn days_off_2026_follow_the_official_schedule() {
        let cal = WorkCalendar::default_vietnam();
        let off: Vec<NaiveDate> = cal.days_off(2026).into_iter().map(|(d, _)| d).collect();
        for day in [
            "2026-01-01",
            "2026-02-16",
            "2026-02-17",
            "2026-02-18",
            "2026-02-19",
            "2026-02-20",
            "2026-04-27",
            "2026-04-30",
            "2026-05-01",
            "2026-09-01",
            "2026-09-02",
        ] {
            assert!(off.contains(&d(day)), "{day} should be off: {off:?}");
        }
        assert!(!off.contains(&d("2026-04-26")), "Sunday is not listed, its substitute is");
        assert!(cal.is_working_day(d("2026-02-23")));
        assert!(!cal.is_working_day(d("2026-02-17")));
        assert!(!cal.is_working_day(d("2026-04-27")));
        assert_eq!(cal.add_working_days(d("2026-02-13"), 1), d("2026-02-23"));
    }

    #[test]
    fn years_without_a_schedule_use_the_lunar_calendar() {
        let cal = WorkCalendar::default_vietnam();
        // Tết 2027 is Saturday 6 February: 5 days from 5 February, weekend days substituted.
        assert!(!cal.is_working_day(d("2027-02-05")));
        assert!(!cal.is_working_day(d("2027-02-08")));
        assert!(!cal.is_working_day(d("2027-02-09")));
        // Giỗ Tổ 2027 is Friday 16 April.
        assert!(!cal.is_working_day(d("2027-04-16")));
        assert!(cal.is_working_day(d("2027-04-15")));
    }

    #[test]
    fn an_override_adds_a_year_schedule_and_a_swapped_day() {
        let over = "[[year]]\nyear = 2027\ntet = [2027-02-05, 2027-02-08, 2027-02-09, 2027-02-10, 2027-02-11, 2027-02-12]\n\
                    working_days = [2027-02-20]\ndays_off = []\n";
        let cal = WorkCalendar::with_override(over).unwrap();
        assert!(!cal.is_working_day(d("2027-02-12")));
        assert!(cal.is_working_day(d("2027-02-20")), "a Saturday swapped to a working day");
        assert!(WorkCalendar::with_override("[bogus]\nx = 1\n").is_err());
    }

    #[test]
    fn bad_holiday_data_is_refused() {
        assert!(
            WorkCalendar::from_toml("[week]\nsaturday_is_working = false\n[[solar]]\nname='x'\nmonth=2\nday=30\n")
                .is_err()
        );
    }
}
