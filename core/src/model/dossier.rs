//! Dossiers (hồ sơ, NĐ 30 Điều 28–31; Phụ lục V and the file metadata of Phụ lục VI).

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

    /// Parses what a user writes: `Vĩnh viễn` (any case, with or without marks), `20`,
    /// `20 năm`. `None` for anything else (and for 0 or more than 999 years).
    pub fn parse(text: &str) -> Option<Self> {
        let folded = crate::text::fold(text.trim());
        if folded == "vinh vien" || folded == "permanent" {
            return Some(Retention::Permanent);
        }
        let digits = folded.strip_suffix("nam").unwrap_or(&folded).trim();
        match digits.parse::<u16>() {
            Ok(n) if (1..=999).contains(&n) => Some(Retention::Years(n)),
            _ => None,
        }
    }

    /// Whether the file is kept forever (a document index is due at closing).
    pub fn is_permanent(self) -> bool {
        self == Retention::Permanent
    }
}

/// A dossier of the file plan (danh mục hồ sơ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    /// Database id.
    pub id: i64,
    /// Agency (OrganId of Phụ lục VI).
    pub agency_id: i64,
    /// Year of the file plan (FileCatalog).
    pub year: i32,
    /// Large heading of the file plan, e.g. `I. TỔNG HỢP`.
    pub heading: String,
    /// Abbreviation of the large heading, ending the symbol (`TH`).
    pub heading_code: String,
    /// Sub-heading, if any (`1. Kế hoạch, báo cáo`).
    pub subheading: Option<String>,
    /// Số và ký hiệu hồ sơ (FileNotation, `01.TH`).
    pub code: String,
    /// Tiêu đề hồ sơ (Title).
    pub title: String,
    /// Thời hạn bảo quản (Maintenance).
    pub retention: Retention,
    /// The retention table item the period comes from, if any.
    pub retention_item: Option<String>,
    /// Người lập hồ sơ (Creator), a person id.
    pub responsible_person_id: Option<i64>,
    /// The responsible person's name, when known.
    pub responsible_name: Option<String>,
    /// Opening date (StartDate).
    pub start_date: Option<NaiveDate>,
    /// Closing date (EndDate), when closed.
    pub end_date: Option<NaiveDate>,
    /// Whether it is closed (read-only).
    pub closed: bool,
    /// Ghi chú (Description).
    pub description: Option<String>,
    /// Ngôn ngữ (Language).
    pub language: String,
    /// Chế độ sử dụng (Rights).
    pub rights: String,
    /// Chứng từ kết thúc (closing note), once closed.
    pub closing_note: Option<String>,
    /// Number of documents filed in it (DocTotal).
    pub document_count: i64,
}

/// One line of the mục lục văn bản (document index) of a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexEntry {
    /// Order in the dossier (DocOrdinal), from 1.
    pub ordinal: i64,
    /// `document` (outgoing) or `incoming`.
    pub item: String,
    /// Database id of the document.
    pub id: i64,
    /// Số, ký hiệu.
    pub number: String,
    /// Ngày tháng văn bản (ISO).
    pub date: String,
    /// Tác giả (issuing or sending body).
    pub author: String,
    /// Trích yếu.
    pub subject: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_parses_what_users_write() {
        assert_eq!(Retention::parse("Vĩnh viễn"), Some(Retention::Permanent));
        assert_eq!(Retention::parse("vinh vien"), Some(Retention::Permanent));
        assert_eq!(Retention::parse("20 năm"), Some(Retention::Years(20)));
        assert_eq!(Retention::parse("5"), Some(Retention::Years(5)));
        assert_eq!(Retention::parse("0"), None);
        assert_eq!(Retention::parse("mãi mãi"), None);
        assert_eq!(Retention::from_years_code(Retention::Years(70).to_years_code()), Retention::Years(70));
        assert_eq!(Retention::Permanent.label(), "Vĩnh viễn");
    }
}
