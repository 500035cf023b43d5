//! Agencies, units, positions, people and delegations.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Family;

/// An issuing body (cơ quan, tổ chức).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    /// Database id.
    pub id: i64,
    /// Which ruleset its documents follow.
    pub family: Family,
    /// The directly superior body in the database, if any.
    pub parent_id: Option<i64>,
    /// Name of the superior body as printed above the name (upper case), if any.
    pub parent_name: Option<String>,
    /// Name as printed (upper case).
    pub name: String,
    /// Name in normal case for lists.
    pub short_name: String,
    /// Abbreviation used in symbols (`UBND`, `TU`).
    pub abbreviation: String,
    /// Place name printed before the date.
    pub place: String,
    /// Works on the collective regime (signs `TM.` / `T/M`).
    pub collective: bool,
    /// Contact block (ô 13): address.
    pub address: Option<String>,
    /// Contact block: telephone.
    pub phone: Option<String>,
    /// Contact block: e-mail.
    pub email: Option<String>,
}

/// An internal unit (phòng, ban) of an agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Database id.
    pub id: i64,
    /// The agency.
    pub agency_id: i64,
    /// Name (`Phòng Hành chính - Tổ chức`).
    pub name: String,
    /// Abbreviation used in công văn symbols and the Lưu line (`HCTC`).
    pub abbreviation: String,
}

/// Rank of a position, which decides the signer forms it may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionRank {
    /// Head of the agency (cấp trưởng).
    Head,
    /// Deputy head (cấp phó).
    Deputy,
    /// Head of an internal unit.
    UnitHead,
    /// Deputy head of an internal unit.
    UnitDeputy,
    /// Staff.
    Staff,
}

impl PositionRank {
    /// Code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Head => "head",
            Self::Deputy => "deputy",
            Self::UnitHead => "unit_head",
            Self::UnitDeputy => "unit_deputy",
            Self::Staff => "staff",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Head, Self::Deputy, Self::UnitHead, Self::UnitDeputy, Self::Staff].into_iter().find(|r| r.code() == code)
    }
}

/// A position (chức vụ) in an agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// Database id.
    pub id: i64,
    /// The agency.
    pub agency_id: i64,
    /// Title as printed in a signature block (`PHÓ CHỦ TỊCH`).
    pub title: String,
    /// Rank.
    pub rank: PositionRank,
}

/// A person working in an agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Database id.
    pub id: i64,
    /// Full name.
    pub full_name: String,
    /// Agency.
    pub agency_id: Option<i64>,
    /// Unit, if any.
    pub unit_id: Option<i64>,
    /// Position, if any.
    pub position_id: Option<i64>,
}

/// Kind of a delegation of signing authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DelegationKind {
    /// Thừa lệnh (NĐ 30 Điều 13.4).
    #[serde(rename = "TL")]
    ThuaLenh,
    /// Thừa ủy quyền (NĐ 30 Điều 13.3): in writing, limited, not re-delegable.
    #[serde(rename = "TUQ")]
    ThuaUyQuyen,
    /// Party thừa lệnh (HD 36 1.7.1).
    #[serde(rename = "T/L")]
    PartyThuaLenh,
    /// Quyền: a person assigned to act as the head (NĐ 30 Phụ lục I, II.8: `Q.`).
    #[serde(rename = "Q")]
    Acting,
}

impl DelegationKind {
    /// The prefix as printed.
    pub fn code(self) -> &'static str {
        match self {
            Self::ThuaLenh => "TL",
            Self::ThuaUyQuyen => "TUQ",
            Self::PartyThuaLenh => "T/L",
            Self::Acting => "Q",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::ThuaLenh, Self::ThuaUyQuyen, Self::PartyThuaLenh, Self::Acting].into_iter().find(|k| k.code() == code)
    }
}

/// A written delegation of signing authority, with scope and validity dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegation {
    /// Database id.
    pub id: i64,
    /// TL., TUQ. or T/L.
    pub kind: DelegationKind,
    /// The agency whose authority is delegated.
    pub agency_id: i64,
    /// The delegating position.
    pub from_position_id: i64,
    /// The person who may sign.
    pub to_person_id: i64,
    /// Document kinds covered (codes); empty means every kind.
    pub scope: Vec<String>,
    /// First day of validity.
    pub valid_from: NaiveDate,
    /// Last day of validity.
    pub valid_until: NaiveDate,
    /// The written basis (quy chế, giấy ủy quyền …).
    pub basis: String,
}

impl Delegation {
    /// Whether it covers `kind` on `date`.
    pub fn covers(&self, kind: &str, date: NaiveDate) -> bool {
        (self.scope.is_empty() || self.scope.iter().any(|k| k == kind))
            && self.valid_from <= date
            && date <= self.valid_until
    }
}
