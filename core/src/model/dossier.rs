//! Dossiers (hồ sơ, NĐ 30 Điều 28–31).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Retention period (thời hạn bảo quản).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Retention {
    /// Vĩnh viễn.
    Permanent,
    /// A number of years.
    Years(u16),
}

impl Retention {
    /// As written in the file plan (`Vĩnh viễn`, `20 năm`).
    pub fn label(self) -> String {
        match self {
            Retention::Permanent => "Vĩnh viễn".to_owned(),
            Retention::Years(n) => format!("{n} năm"),
        }
    }

    /// Stored form: `0` for permanent, otherwise years.
    pub fn to_years_code(self) -> i64 {
        match self {
            Retention::Permanent => 0,
            Retention::Years(n) => i64::from(n),
        }
    }

    /// Parses the stored form.
    pub fn from_years_code(code: i64) -> Self {
        match u16::try_from(code) {
            Ok(0) | Err(_) => Retention::Permanent,
            Ok(n) => Retention::Years(n),
        }
    }
}

/// A dossier of the file plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    /// Database id.
    pub id: i64,
    /// Agency.
    pub agency_id: i64,
    /// Year of the file plan.
    pub year: i32,
    /// Số và ký hiệu hồ sơ (`01.TH`).
    pub code: String,
    /// Tiêu đề hồ sơ.
    pub title: String,
    /// Thời hạn bảo quản.
    pub retention: Retention,
    /// Người lập hồ sơ.
    pub responsible_person_id: Option<i64>,
    /// Opening date.
    pub start_date: Option<NaiveDate>,
    /// Closing date, when closed.
    pub end_date: Option<NaiveDate>,
    /// Whether it is closed (read-only).
    pub closed: bool,
}
