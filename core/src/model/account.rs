//! User accounts and roles.

use serde::{Deserialize, Serialize};

/// A role: what a user may do in the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Chuyên viên soạn thảo: drafts documents.
    Drafter,
    /// Lãnh đạo đơn vị: checks the content of drafts of the unit.
    UnitHead,
    /// Lãnh đạo, người ký: approves and signs.
    Leader,
    /// Văn thư: checks format, numbers, issues, registers incoming mail.
    VanThu,
    /// Lưu trữ: archives dossiers.
    Archivist,
    /// Quản trị: manages accounts and settings.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 6] =
        [Role::Drafter, Role::UnitHead, Role::Leader, Role::VanThu, Role::Archivist, Role::Admin];

    /// Code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::Drafter => "drafter",
            Role::UnitHead => "unit_head",
            Role::Leader => "leader",
            Role::VanThu => "van_thu",
            Role::Archivist => "archivist",
            Role::Admin => "admin",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Self> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Role::Drafter => "Chuyên viên soạn thảo",
            Role::UnitHead => "Lãnh đạo đơn vị",
            Role::Leader => "Lãnh đạo (người ký)",
            Role::VanThu => "Văn thư",
            Role::Archivist => "Lưu trữ",
            Role::Admin => "Quản trị",
        }
    }
}

/// A user account (without its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Database id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Full name shown in the interface.
    pub full_name: String,
    /// The person record, if linked.
    pub person_id: Option<i64>,
    /// The agency the user works for.
    pub agency_id: Option<i64>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Whether the account may log in.
    pub active: bool,
}
