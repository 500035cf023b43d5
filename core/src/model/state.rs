//! Workflow states of outgoing and incoming documents.

use serde::{Deserialize, Serialize};

macro_rules! state_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $code)] $variant),+
        }
        impl $name {
            /// Every state, in workflow order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The code stored in the database and printed by `list --json`.
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            /// Vietnamese label.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            /// Parses a stored code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.code()) }
        }
    };
}

state_enum!(
    /// Lifecycle of an outgoing document (NĐ 30 Điều 10–19; HD 36 I.4).
    OutgoingState {
        /// Being drafted by the drafter (Điều 10.2).
        Draft = "draft" / "Dự thảo",
        /// Content check by the head of the drafting unit (Điều 12.1).
        ContentReview = "content_review" / "Chờ duyệt nội dung",
        /// Format check by the văn thư or the Chánh văn phòng (Điều 12.2).
        FormatCheck = "format_check" / "Chờ kiểm tra thể thức",
        /// Submitted to the competent signer (Điều 13).
        AwaitingSignature = "awaiting_signature" / "Chờ ký",
        /// Signed, awaiting number and date (Điều 15).
        Signed = "signed" / "Đã ký",
        /// Number and date assigned, registered (Điều 15–16).
        Numbered = "numbered" / "Đã cấp số",
        /// Dispatched to its recipients (Điều 18).
        Issued = "issued" / "Đã phát hành",
        /// Kept in a dossier (Điều 19, 28).
        Filed = "filed" / "Đã lập hồ sơ",
        /// Returned for revision with a comment.
        Returned = "returned" / "Trả lại sửa",
        /// Recalled after issue (Điều 18.4).
        Recalled = "recalled" / "Đã thu hồi",
    }
);

state_enum!(
    /// Lifecycle of an incoming document (NĐ 30 Điều 20–24).
    IncomingState {
        /// Received, not yet registered (Điều 21).
        Received = "received" / "Đã tiếp nhận",
        /// Registered with a số đến (Điều 22).
        Registered = "registered" / "Đã đăng ký",
        /// Presented to the competent person (Điều 23).
        Presented = "presented" / "Đã trình",
        /// Assigned to a lead unit or person with a deadline (Điều 23).
        Assigned = "assigned" / "Đã giao xử lý",
        /// Being handled (Điều 24).
        InProgress = "in_progress" / "Đang xử lý",
        /// Handled.
        Done = "done" / "Đã giải quyết",
    }
);

impl OutgoingState {
    /// Whether the document is still a draft without number or date.
    pub fn is_before_numbering(self) -> bool {
        matches!(
            self,
            Self::Draft
                | Self::ContentReview
                | Self::FormatCheck
                | Self::AwaitingSignature
                | Self::Signed
                | Self::Returned
        )
    }
}

impl OutgoingState {
    /// Whether the competent person has signed it (signed, numbered, issued, filed or
    /// recalled): its page no longer carries the "DỰ THẢO" mark.
    pub fn is_signed_or_later(self) -> bool {
        matches!(self, Self::Signed | Self::Numbered | Self::Issued | Self::Filed | Self::Recalled)
    }
}

impl IncomingState {
    /// Whether handling is still open.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Done)
    }
}
