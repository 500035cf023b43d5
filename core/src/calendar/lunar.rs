//! Vietnamese lunar calendar (âm lịch), after Hồ Ngọc Đức's astronomical
//! algorithm with the time zone UTC+7, written from its published description
//! (Meeus, *Astronomical Algorithms*: mean new moon with periodic terms, the
//! sun's apparent longitude, month 11 always containing the winter solstice, the
//! leap month being the first month without a major solar term).

use std::f64::consts::PI;

use chrono::{Datelike, NaiveDate};

/// Vietnam's time zone, in hours east of UTC.
pub const VIETNAM_TZ: f64 = 7.0;

/// A date of the lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LunarDate {
    /// Day of the month, 1–30.
    pub day: u32,
    /// Month, 1–12.
    pub month: u32,
    /// Lunar year (the year in which its Tết falls).
    pub year: i32,
    /// Whether the month is the leap (nhuận) month.
    pub leap: bool,
}

impl std::fmt::Display for LunarDate {
    /// `DD/MM/YYYY`, followed by ` nhuận` in a leap month.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}/{:02}/{}", self.day, self.month, self.year)?;
        if self.leap {
            f.write_str(" nhuận")?;
        }
        Ok(())
    }
}

/// Julian day number of a Gregorian date.
fn jd_from_date(date: NaiveDate) -> i64 {
    // Days since 0001-01-01 (CE day 1) plus the JDN of that day.
    i64::from(date.num_days_from_ce()) + 1_721_425
}

fn date_from_jd(jd: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt((jd - 1_721_425) as i32).expect("Julian day in chrono's range")
}

/// Time (Julian day, UTC) of the k-th new moon after 1900-01-01 13:52 UTC.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 -= 0.4068 * (mpr * dr).sin() - 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 += 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 -= 0.0074 * (dr * (m - mpr)).sin() - 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 -= 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 += 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The sun's apparent longitude at Julian day `jdn` (UTC), radians in [0, 2π).
fn sun_longitude(jdn: f64) -> f64 {
    let t = (jdn - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - PI * 2.0 * (l / (PI * 2.0)).floor()
}

/// The 30° sector (0–11) of the sun's longitude at local midnight starting `day_number`.
fn sun_sector(day_number: i64, tz: f64) -> i64 {
    (sun_longitude(day_number as f64 - 0.5 - tz / 24.0) / PI * 6.0).floor() as i64
}

/// The local civil day (Julian day number) containing the k-th new moon.
fn new_moon_day(k: i64, tz: f64) -> i64 {
    (new_moon(k) + 0.5 + tz / 24.0).floor() as i64
}

/// The first day of lunar month 11 of solar year `year` (it contains the solstice).
fn lunar_month_11(year: i32, tz: f64) -> i64 {
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).expect("valid date");
    let off = jd_from_date(dec31) - 2_415_021;
    let k = (off as f64 / 29.530_588_853).floor() as i64;
    let nm = new_moon_day(k, tz);
    if sun_sector(nm, tz) >= 9 { new_moon_day(k - 1, tz) } else { nm }
}

/// Offset (in months after month 11 starting `a11`) of the leap month.
fn leap_month_offset(a11: i64, tz: f64) -> i64 {
    let k = ((a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853 + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i, tz), tz);
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i, tz), tz);
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// Converts a solar date to the lunar calendar (time zone `tz`, UTC+7 for Vietnam).
pub fn solar_to_lunar_tz(date: NaiveDate, tz: f64) -> LunarDate {
    let day_number = jd_from_date(date);
    let k = ((day_number as f64 - 2_415_021.076_998_695) / 29.530_588_853).floor() as i64;
    let mut month_start = new_moon_day(k + 1, tz);
    if month_start > day_number {
        month_start = new_moon_day(k, tz);
    }
    let year = date.year();
    let mut a11 = lunar_month_11(year, tz);
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = year;
        a11 = lunar_month_11(year - 1, tz);
    } else {
        lunar_year = year + 1;
        b11 = lunar_month_11(year + 1, tz);
    }
    let day = (day_number - month_start + 1) as u32;
    let diff = ((month_start - a11) as f64 / 29.0).floor() as i64;
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11, tz);
        if diff >= leap_diff {
            month = diff + 10;
            if diff == leap_diff {
                leap = true;
            }
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    LunarDate { day, month: month as u32, year: lunar_year, leap }
}

/// Converts a solar date to the Vietnamese lunar calendar.
pub fn solar_to_lunar(date: NaiveDate) -> LunarDate {
    solar_to_lunar_tz(date, VIETNAM_TZ)
}

/// Converts a lunar date to the solar calendar; `None` if it does not exist
/// (a leap flag on a month that is not the leap month, or day 30 of a short month).
pub fn lunar_to_solar_tz(lunar: LunarDate, tz: f64) -> Option<NaiveDate> {
    if !(1..=12).contains(&lunar.month) || !(1..=30).contains(&lunar.day) {
        return None;
    }
    let (a11, b11) = if lunar.month < 11 {
        (lunar_month_11(lunar.year - 1, tz), lunar_month_11(lunar.year, tz))
    } else {
        (lunar_month_11(lunar.year, tz), lunar_month_11(lunar.year + 1, tz))
    };
    let k = (0.5 + (a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853).floor() as i64;
    let mut off = i64::from(lunar.month) - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11, tz);
        let mut leap_month = leap_off - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if lunar.leap && i64::from(lunar.month) != leap_month {
            return None;
        }
        if lunar.leap || off >= leap_off {
            off += 1;
        }
    } else if lunar.leap {
        return None;
    }
    let month_start = new_moon_day(k + off, tz);
    let next_start = new_moon_day(k + off + 1, tz);
    if month_start + i64::from(lunar.day) > next_start {
        return None;
    }
    Some(date_from_jd(month_start + i64::from(lunar.day) - 1))
}

/// Converts a Vietnamese lunar date to the solar calendar.
pub fn lunar_to_solar(lunar: LunarDate) -> Option<NaiveDate> {
    lunar_to_solar_tz(lunar, VIETNAM_TZ)
}

/// The solar date of Tết (1/1) of lunar year `year`.
pub fn tet(year: i32) -> NaiveDate {
    lunar_to_solar(LunarDate { day: 1, month: 1, year, leap: false }).expect("1/1 always exists")
}

/// The solar date of Giỗ Tổ Hùng Vương (10/3, the regular month 3) of lunar year `year`.
pub fn gio_to(year: i32) -> NaiveDate {
    lunar_to_solar(LunarDate { day: 10, month: 3, year, leap: false }).expect("10/3 always exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn matches_every_row_of_the_reference_csv() {
        let csv = include_str!("tet-gio-to-1900-2100.csv");
        let mut rows = 0;
        for line in csv.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let cols: Vec<&str> = line.split(',').collect();
            let year: i32 = cols[0].parse().unwrap();
            assert_eq!(tet(year), d(cols[1]), "Tết {year}");
            assert_eq!(gio_to(year), d(cols[2]), "Giỗ Tổ {year}");
            let back = solar_to_lunar(d(cols[1]));
            assert_eq!(back, LunarDate { day: 1, month: 1, year, leap: false });
            rows += 1;
        }
        assert_eq!(rows, 201);
    }

    #[test]
    fn reference_vectors() {
        assert_eq!(solar_to_lunar(d("2025-08-15")), LunarDate { day: 22, month: 6, year: 2025, leap: true });
        assert_eq!(solar_to_lunar(d("2025-08-15")).to_string(), "22/06/2025 nhuận");
        assert_eq!(solar_to_lunar(d("2026-01-01")).to_string(), "13/11/2025");
        assert_eq!(lunar_to_solar(LunarDate { day: 1, month: 4, year: 2020, leap: true }), Some(d("2020-05-23")));
        assert_eq!(lunar_to_solar(LunarDate { day: 15, month: 8, year: 2026, leap: false }), Some(d("2026-09-25")));
        assert_eq!(lunar_to_solar(LunarDate { day: 1, month: 5, year: 2026, leap: true }), None);
        // Time-zone sensitive years: UTC+7 differs from the Chinese UTC+8 calendar.
        assert_eq!(tet(1985), d("1985-01-21"));
        assert_eq!(tet(2030), d("2030-02-02"));
        assert_eq!(tet(2007), d("2007-02-17"));
        assert_ne!(solar_to_lunar_tz(d("2030-02-02"), 8.0).day, 1);
    }

    #[test]
    fn round_trip_over_two_centuries() {
        let mut date = d("1900-03-01");
        while date < d("2099-12-01") {
            let lunar = solar_to_lunar(date);
            assert_eq!(lunar_to_solar(lunar), Some(date), "{date} -> {lunar}");
            date += chrono::Duration::days(13);
        }
    }
}
