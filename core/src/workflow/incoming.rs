//! The incoming lifecycle (NĐ 30 Điều 20–24): receive → register (số đến) →
//! present to the competent person → assign (lead unit or person, deadline) →
//! in progress → done.

use serde::Serialize;

use super::WorkflowError;
use crate::model::{IncomingState, Role};

/// A step on an incoming document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IncomingAction {
    /// The văn thư registers it and gives it a số đến (Điều 22).
    Register,
    /// The văn thư presents it to the competent person (Điều 23.1).
    Present,
    /// The competent person assigns a handler and a deadline (Điều 23.2).
    Assign,
    /// The handler starts handling it (Điều 24).
    Start,
    /// The handler closes it, possibly with the reply (Điều 24).
    Resolve,
}

impl IncomingAction {
    /// Every action.
    pub const ALL: [IncomingAction; 5] = [
        IncomingAction::Register,
        IncomingAction::Present,
        IncomingAction::Assign,
        IncomingAction::Start,
        IncomingAction::Resolve,
    ];

    /// The code used on the command line and in the audit log.
    pub fn code(self) -> &'static str {
        match self {
            IncomingAction::Register => "register",
            IncomingAction::Present => "present",
            IncomingAction::Assign => "assign",
            IncomingAction::Start => "start",
            IncomingAction::Resolve => "resolve",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Self> {
        IncomingAction::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            IncomingAction::Register => "Vào sổ văn bản đến",
            IncomingAction::Present => "Trình",
            IncomingAction::Assign => "Giao xử lý",
            IncomingAction::Start => "Bắt đầu xử lý",
            IncomingAction::Resolve => "Hoàn thành",
        }
    }

    /// The states it may start from.
    pub fn from_states(self) -> &'static [IncomingState] {
        use IncomingState::*;
        match self {
            IncomingAction::Register => &[Received],
            IncomingAction::Present => &[Registered],
            IncomingAction::Assign => &[Presented, Assigned],
            IncomingAction::Start => &[Assigned],
            IncomingAction::Resolve => &[Assigned, InProgress],
        }
    }

    /// The state it leads to.
    pub fn to_state(self) -> IncomingState {
        match self {
            IncomingAction::Register => IncomingState::Registered,
            IncomingAction::Present => IncomingState::Presented,
            IncomingAction::Assign => IncomingState::Assigned,
            IncomingAction::Start => IncomingState::InProgress,
            IncomingAction::Resolve => IncomingState::Done,
        }
    }

    /// The roles that may take it; `None`: only the assigned handler.
    pub fn roles(self) -> Option<&'static [Role]> {
        match self {
            IncomingAction::Register | IncomingAction::Present => Some(&[Role::VanThu]),
            IncomingAction::Assign => Some(&[Role::Leader]),
            IncomingAction::Start | IncomingAction::Resolve => None,
        }
    }
}

/// Checks state, role (or being the handler); returns the next state.
pub fn plan_incoming(
    action: IncomingAction,
    state: IncomingState,
    actor_roles: &[Role],
    actor_is_handler: bool,
    username: &str,
) -> Result<IncomingState, WorkflowError> {
    if !action.from_states().contains(&state) {
        return Err(WorkflowError::State { action: action.label(), state: state.label() });
    }
    let allowed = match action.roles() {
        Some(roles) => roles.iter().any(|r| actor_roles.contains(r)),
        None => actor_is_handler,
    };
    if !allowed {
        let roles = action.roles().map_or_else(
            || "người được giao xử lý".to_owned(),
            |r| r.iter().map(|r| r.label()).collect::<Vec<_>>().join(" hoặc "),
        );
        return Err(WorkflowError::Role { user: username.to_owned(), action: action.label(), roles });
    }
    Ok(action.to_state())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_action_state_combination() {
        for action in IncomingAction::ALL {
            for state in IncomingState::ALL {
                for role in Role::ALL {
                    for handler in [false, true] {
                        let result = plan_incoming(action, *state, &[role], handler, "u");
                        let by_role = action.roles().map_or(handler, |r| r.contains(&role));
                        let expected = action.from_states().contains(state) && by_role;
                        assert_eq!(result.is_ok(), expected, "{action:?} {state:?} {role:?} handler={handler}");
                    }
                }
            }
        }
    }
}
