//! Incoming documents (văn bản đến, NĐ 30 Điều 20–24).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{IncomingState, Urgency};

/// An incoming document as registered in the sổ đăng ký văn bản đến.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incoming {
    /// Database id.
    pub id: i64,
    /// Receiving agency.
    pub agency_id: i64,
    /// Số đến, consecutive within the year; `None` before registration.
    pub arrival_number: Option<i64>,
    /// Ngày đến.
    pub arrival_date: NaiveDate,
    /// Tác giả: the sending body.
    pub sender: String,
    /// Their number.
    pub number: Option<String>,
    /// Their symbol.
    pub notation: Option<String>,
    /// Their date.
    pub date: Option<NaiveDate>,
    /// Document type code.
    pub kind: String,
    /// Trích yếu.
    pub subject: String,
    /// Urgency, if marked.
    pub urgency: Option<Urgency>,
    /// Workflow state.
    pub state: IncomingState,
    /// The person assigned to handle it.
    pub handler_id: Option<i64>,
    /// The lead unit.
    pub lead_unit_id: Option<i64>,
    /// Handling deadline.
    pub deadline: Option<NaiveDate>,
    /// The outgoing reply that closed it, if any.
    pub reply_document_id: Option<i64>,
}
