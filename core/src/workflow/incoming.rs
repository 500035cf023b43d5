//! The incoming lifecycle (NĐ 30 Điều 20–24): receive → register (số đến) →
//! present to the competent person → assign (bút phê, lead handler, co-handlers,
//! deadline) → in progress (progress notes, extension requests, forwarding) → done.

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
    /// The handler closes it with the reply document or a closing note (Điều 24).
    Resolve,
    /// The competent person hands it to another lead handler (chuyển tiếp).
    Forward,
    /// The lead handler records how handling progresses.
    Progress,
    /// The lead handler asks for more time (reason and a new date).
    RequestExtension,
    /// The competent person grants the pending extension request.
    GrantExtension,
    /// The competent person refuses the pending extension request.
    RefuseExtension,
    /// A co-handler (or the lead handler) writes an opinion on the letter (ý kiến
    /// phối hợp) for the lead handler; the state does not change.
    Opinion,
}

impl IncomingAction {
    /// Every action.
    pub const ALL: [IncomingAction; 11] = [
        IncomingAction::Register,
        IncomingAction::Present,
        IncomingAction::Assign,
        IncomingAction::Start,
        IncomingAction::Resolve,
        IncomingAction::Forward,
        IncomingAction::Progress,
        IncomingAction::RequestExtension,
        IncomingAction::GrantExtension,
        IncomingAction::RefuseExtension,
        IncomingAction::Opinion,
    ];

    /// The code used on the command line and in the audit log.
    pub fn code(self) -> &'static str {
        match self {
            IncomingAction::Register => "register",
            IncomingAction::Present => "present",
            IncomingAction::Assign => "assign",
            IncomingAction::Start => "start",
            IncomingAction::Resolve => "resolve",
            IncomingAction::Forward => "forward",
            IncomingAction::Progress => "progress",
            IncomingAction::RequestExtension => "extend",
            IncomingAction::GrantExtension => "grant-extension",
            IncomingAction::RefuseExtension => "refuse-extension",
            IncomingAction::Opinion => "opinion",
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
            IncomingAction::Forward => "Chuyển tiếp",
            IncomingAction::Progress => "Ghi tiến độ",
            IncomingAction::RequestExtension => "Xin gia hạn",
            IncomingAction::GrantExtension => "Cho gia hạn",
            IncomingAction::RefuseExtension => "Không cho gia hạn",
            IncomingAction::Opinion => "Ghi ý kiến phối hợp",
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
            IncomingAction::Resolve
            | IncomingAction::Forward
            | IncomingAction::Progress
            | IncomingAction::RequestExtension
            | IncomingAction::GrantExtension
            | IncomingAction::RefuseExtension
            | IncomingAction::Opinion => &[Assigned, InProgress],
        }
    }

    /// The state it leads to from `from`: recording progress or asking for time
    /// means handling has started; a decision on an extension changes no state.
    pub fn next_state(self, from: IncomingState) -> IncomingState {
        match self {
            IncomingAction::Register => IncomingState::Registered,
            IncomingAction::Present => IncomingState::Presented,
            IncomingAction::Assign | IncomingAction::Forward => IncomingState::Assigned,
            IncomingAction::Start | IncomingAction::Progress | IncomingAction::RequestExtension => {
                IncomingState::InProgress
            }
            IncomingAction::Resolve => IncomingState::Done,
            IncomingAction::GrantExtension | IncomingAction::RefuseExtension | IncomingAction::Opinion => from,
        }
    }

    /// Whether the step needs (`Some(true)`) or forbids (`Some(false)`) a pending
    /// extension request; `None`: either.
    pub fn needs_pending_extension(self) -> Option<bool> {
        match self {
            IncomingAction::GrantExtension | IncomingAction::RefuseExtension => Some(true),
            IncomingAction::RequestExtension | IncomingAction::Forward => Some(false),
            _ => None,
        }
    }

    /// The roles that may take it; `None`: only the assigned handler (for
    /// [`IncomingAction::Opinion`]: the handlers, lead and co-handlers, which
    /// [`super::authority::authorize_incoming`] checks against the letter).
    pub fn roles(self) -> Option<&'static [Role]> {
        match self {
            IncomingAction::Register | IncomingAction::Present => Some(&[Role::VanThu]),
            IncomingAction::Assign
            | IncomingAction::Forward
            | IncomingAction::GrantExtension
            | IncomingAction::RefuseExtension => Some(&[Role::Leader]),
            IncomingAction::Start
            | IncomingAction::Resolve
            | IncomingAction::Progress
            | IncomingAction::RequestExtension
            | IncomingAction::Opinion => None,
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
        // Co-handlers write opinions too; who they are is the letter's record,
        // checked by `authorize_incoming`.
        None if action == IncomingAction::Opinion => true,
        None => actor_is_handler,
    };
    if !allowed {
        let roles = action.roles().map_or_else(
            || "người được giao xử lý".to_owned(),
            |r| r.iter().map(|r| r.label()).collect::<Vec<_>>().join(" hoặc "),
        );
        return Err(WorkflowError::Role { user: username.to_owned(), action: action.label(), roles });
    }
    Ok(action.next_state(state))
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
                        let by_role = match action.roles() {
                            Some(r) => r.contains(&role),
                            None => handler || action == IncomingAction::Opinion,
                        };
                        let expected = action.from_states().contains(state) && by_role;
                        assert_eq!(result.is_ok(), expected, "{action:?} {state:?} {role:?} handler={handler}");
                    }
                }
            }
        }
    }
}
