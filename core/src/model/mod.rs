//! The domain model: plain data, serde, no storage and no GUI.

mod account;
mod document;
mod dossier;
mod incoming;
mod org;
mod state;

pub use account::{Role, User};
pub use document::{
    Appendix, Block, BlockKind, Circulation, DeputyLine, Document, Issuer, KindCode, SCHEMA_ID, Secrecy, Signer,
    Urgency, initials_of, is_recipient_sub_line, parse_iso_date,
};
pub use dossier::{Dossier, IndexEntry, Retention};
pub use incoming::Incoming;
pub use org::{Agency, Delegation, DelegationKind, Person, Position, PositionRank, Unit};
pub use state::{IncomingState, OutgoingState};

use serde::{Deserialize, Serialize};

/// The two families of official documents, each with its own ruleset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// State administrative documents (Nghị định 30/2020/NĐ-CP).
    State,
    /// Party documents (Hướng dẫn 36-HD/VPTW).
    Party,
}

impl Family {
    /// Both families.
    pub const ALL: [Family; 2] = [Family::State, Family::Party];

    /// The code used in JSON and the database.
    pub fn code(self) -> &'static str {
        match self {
            Family::State => "state",
            Family::Party => "party",
        }
    }

    /// Parses a code as written in JSON and the database.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "state" => Some(Family::State),
            "party" => Some(Family::Party),
            _ => None,
        }
    }

    /// Vietnamese label for lists.
    pub fn label(self) -> &'static str {
        match self {
            Family::State => "Nhà nước",
            Family::Party => "Đảng",
        }
    }
}

impl std::fmt::Display for Family {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
