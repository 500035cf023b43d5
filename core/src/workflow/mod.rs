//! The outgoing workflow as an explicit state machine (NĐ 30 Điều 10–19; HD 36 I.4):
//! who may do what to a document in which state, and which findings block the step.
//!
//! This module is pure; [`crate::store::Store::transition`] applies a planned step
//! with its audit event and side effects in one transaction.

pub mod authority;
mod incoming;

pub use incoming::{IncomingAction, plan_incoming};

use serde::Serialize;

use crate::model::{OutgoingState, Role};
use crate::rules::Finding;
use crate::ruleset::{Category, Severity};

/// A step an actor asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// The drafter submits the draft for content review (Điều 10–11).
    Submit,
    /// The head of the drafting unit approves the content (Điều 12.1).
    Approve,
    /// The văn thư (or the office) approves the format (Điều 12.2; HD 36 I.4).
    CheckFormat,
    /// The competent person signs (Điều 13).
    Sign,
    /// The văn thư assigns number and date from the register (Điều 15–16).
    Number,
    /// The văn thư dispatches it (Điều 17–18).
    Issue,
    /// The văn thư files it into a dossier (Điều 19, 28).
    File,
    /// Recall after issue (Điều 18.4).
    Recall,
    /// Return for revision, with a mandatory comment.
    Return,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 9] = [
        Action::Submit,
        Action::Approve,
        Action::CheckFormat,
        Action::Sign,
        Action::Number,
        Action::Issue,
        Action::File,
        Action::Recall,
        Action::Return,
    ];

    /// The code used on the command line and in the audit log.
    pub fn code(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Approve => "approve",
            Action::CheckFormat => "check-format",
            Action::Sign => "sign",
            Action::Number => "number",
            Action::Issue => "issue",
            Action::File => "file",
            Action::Recall => "recall",
            Action::Return => "return",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Vietnamese label (button text).
    pub fn label(self) -> &'static str {
        match self {
            Action::Submit => "Trình duyệt",
            Action::Approve => "Duyệt nội dung",
            Action::CheckFormat => "Duyệt thể thức",
            Action::Sign => "Ký",
            Action::Number => "Cấp số",
            Action::Issue => "Phát hành",
            Action::File => "Lập hồ sơ",
            Action::Recall => "Thu hồi",
            Action::Return => "Trả lại",
        }
    }

    /// The states it may start from.
    pub fn from_states(self) -> &'static [OutgoingState] {
        use OutgoingState::*;
        match self {
            Action::Submit => &[Draft, Returned],
            Action::Approve => &[ContentReview],
            Action::CheckFormat => &[FormatCheck],
            Action::Sign => &[AwaitingSignature],
            Action::Number => &[Signed],
            Action::Issue => &[Numbered],
            Action::File => &[Issued],
            Action::Recall => &[Issued],
            Action::Return => &[ContentReview, FormatCheck, AwaitingSignature],
        }
    }

    /// The state it leads to.
    pub fn to_state(self) -> OutgoingState {
        use OutgoingState::*;
        match self {
            Action::Submit => ContentReview,
            Action::Approve => FormatCheck,
            Action::CheckFormat => AwaitingSignature,
            Action::Sign => Signed,
            Action::Number => Numbered,
            Action::Issue => Issued,
            Action::File => Filed,
            Action::Recall => Recalled,
            Action::Return => Returned,
        }
    }

    /// The roles that may take it (any one suffices).
    pub fn roles(self, state: OutgoingState) -> &'static [Role] {
        match self {
            Action::Submit => &[Role::Drafter],
            Action::Approve => &[Role::UnitHead],
            Action::CheckFormat => &[Role::VanThu],
            Action::Sign => &[Role::Leader],
            Action::Number | Action::Issue => &[Role::VanThu],
            Action::File => &[Role::VanThu, Role::Archivist],
            Action::Recall => &[Role::Leader],
            Action::Return => match state {
                OutgoingState::ContentReview => &[Role::UnitHead],
                OutgoingState::FormatCheck => &[Role::VanThu],
                _ => &[Role::Leader],
            },
        }
    }

    /// Whether the step needs a comment.
    pub fn needs_comment(self) -> bool {
        matches!(self, Action::Return | Action::Recall)
    }

    /// The finding categories whose errors block the step.
    pub fn blocking(self) -> &'static [Category] {
        match self {
            Action::Submit | Action::Approve => &[Category::NoiDung],
            Action::CheckFormat => &[Category::TheThuc, Category::NoiDung],
            Action::Sign => &[Category::TheThuc, Category::ThamQuyen, Category::NoiDung],
            Action::Number | Action::Issue => {
                &[Category::TheThuc, Category::ThamQuyen, Category::NoiDung, Category::QuyTrinh, Category::ThoiGian]
            }
            Action::File | Action::Recall | Action::Return => &[],
        }
    }
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// The actor lacks the role.
    #[error("{user} không có quyền {action}: cần vai trò {roles} (permission denied)")]
    Role {
        /// Who asked.
        user: String,
        /// The action label.
        action: &'static str,
        /// The roles that may.
        roles: String,
    },
    /// The document is not in a state the action starts from.
    #[error("không thể {action} văn bản đang ở trạng thái \"{state}\" (wrong state)")]
    State {
        /// The action label.
        action: &'static str,
        /// The current state label.
        state: &'static str,
    },
    /// A comment is mandatory.
    #[error("{action} cần ghi ý kiến (a comment is required)")]
    Comment {
        /// The action label.
        action: &'static str,
    },
    /// The records do not give this person authority over this document.
    #[error("{user} không được {action}: {reason} (not authorised)")]
    Authority {
        /// Who asked.
        user: String,
        /// The action label.
        action: &'static str,
        /// Who may, in Vietnamese.
        reason: String,
    },
    /// Error findings block the step.
    #[error("chưa thể {action}: còn {} lỗi {} (blocked by findings)", findings.len(), summary(findings))]
    Blocked {
        /// The action label.
        action: &'static str,
        /// The blocking findings.
        findings: Vec<Finding>,
    },
}

fn summary(findings: &[Finding]) -> String {
    findings.iter().take(5).map(|f| format!("{} {}", f.rule, f.field)).collect::<Vec<_>>().join(", ")
}

/// Checks role, state and comment; returns the next state.
pub fn plan(
    action: Action,
    state: OutgoingState,
    actor_roles: &[Role],
    username: &str,
    comment: Option<&str>,
) -> Result<OutgoingState, WorkflowError> {
    if !action.from_states().contains(&state) {
        return Err(WorkflowError::State { action: action.label(), state: state.label() });
    }
    let roles = action.roles(state);
    if !roles.iter().any(|r| actor_roles.contains(r)) {
        let names: Vec<&str> = roles.iter().map(|r| r.label()).collect();
        return Err(WorkflowError::Role {
            user: username.to_owned(),
            action: action.label(),
            roles: names.join(" hoặc "),
        });
    }
    if action.needs_comment() && comment.is_none_or(|c| c.trim().is_empty()) {
        return Err(WorkflowError::Comment { action: action.label() });
    }
    Ok(action.to_state())
}

/// Checks role, state and comment ([`plan`]) and then the actor's authority over this
/// very document ([`authority::authorize`]); returns the next state.
pub fn decide(
    action: Action,
    actor: &authority::ActorFacts,
    doc: &authority::DocumentFacts,
    username: &str,
    comment: Option<&str>,
) -> Result<OutgoingState, WorkflowError> {
    let next = plan(action, doc.state, &actor.roles, username, comment)?;
    authority::authorize(action, actor, doc).map_err(|reason| WorkflowError::Authority {
        user: username.to_owned(),
        action: action.label(),
        reason,
    })?;
    Ok(next)
}

/// The steps this actor may take on this document (what the window offers).
pub fn available_to(actor: &authority::ActorFacts, doc: &authority::DocumentFacts) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| {
            a.from_states().contains(&doc.state)
                && a.roles(doc.state).iter().any(|r| actor.roles.contains(r))
                && authority::authorize(*a, actor, doc).is_ok()
        })
        .collect()
}

/// The error findings that block `action`.
pub fn blocking_findings(action: Action, findings: &[Finding]) -> Vec<Finding> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error && action.blocking().contains(&f.category))
        .cloned()
        .collect()
}

/// The actions `roles` may take on a document in `state` (what the GUI offers).
pub fn available(state: OutgoingState, roles: &[Role]) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| a.from_states().contains(&state) && a.roles(state).iter().any(|r| roles.contains(r)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_action_state_combination() {
        let mut allowed = 0;
        for role in Role::ALL {
            for action in Action::ALL {
                for state in OutgoingState::ALL {
                    let result = plan(action, *state, &[role], "u", Some("ý kiến"));
                    let expected = action.from_states().contains(state) && action.roles(*state).contains(&role);
                    assert_eq!(result.is_ok(), expected, "{role:?} {action:?} {state:?}: {result:?}");
                    if let Err(e) = &result {
                        assert!(!e.to_string().is_empty());
                    } else {
                        allowed += 1;
                        assert_eq!(result.unwrap(), action.to_state());
                    }
                }
            }
        }
        assert!(allowed >= 11, "{allowed}");
        assert!(
            plan(Action::Sign, OutgoingState::AwaitingSignature, &[Role::Drafter], "cv", None).is_err(),
            "a drafter cannot sign"
        );
        assert!(matches!(
            plan(Action::Return, OutgoingState::ContentReview, &[Role::UnitHead], "u", None),
            Err(WorkflowError::Comment { .. })
        ));
    }

    #[test]
    fn available_actions_follow_the_table() {
        assert_eq!(available(OutgoingState::Draft, &[Role::Drafter]), vec![Action::Submit]);
        assert_eq!(available(OutgoingState::AwaitingSignature, &[Role::Leader]), vec![Action::Sign, Action::Return]);
        assert!(available(OutgoingState::AwaitingSignature, &[Role::Drafter]).is_empty());
        assert_eq!(available(OutgoingState::Issued, &[Role::VanThu]), vec![Action::File]);
    }
}
