//! Incoming documents (văn bản đến).

use super::sql::{OptionalExtension, Row, Transaction, params};
use chrono::NaiveDate;

use super::{Result, Store, now_text};
use crate::model::{Incoming, IncomingState, Urgency};
use crate::text::nfc;

/// Data of an incoming document to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncoming {
    /// Receiving agency.
    pub agency_id: i64,
    /// Số đến, if registered.
    pub arrival_number: Option<i64>,
    /// Ngày đến.
    pub arrival_date: NaiveDate,
    /// Sending body.
    pub sender: String,
    /// Their number.
    pub number: Option<String>,
    /// Their symbol.
    pub notation: Option<String>,
    /// Their date.
    pub date: Option<NaiveDate>,
    /// Type code.
    pub kind: String,
    /// Trích yếu.
    pub subject: String,
    /// Urgency.
    pub urgency: Option<Urgency>,
    /// State.
    pub state: IncomingState,
    /// Handler (user id).
    pub handler_id: Option<i64>,
    /// Lead unit.
    pub lead_unit_id: Option<i64>,
    /// Deadline.
    pub deadline: Option<NaiveDate>,
    /// Stable key for idempotent loads.
    pub source_key: Option<String>,
}

pub(crate) fn insert_incoming(tx: &Transaction<'_>, n: &NewIncoming) -> Result<(i64, bool)> {
    if let Some(key) = &n.source_key {
        let existing: Option<i64> =
            tx.query_row("SELECT id FROM incoming WHERE source_key = ?1", [key], |r| r.get(0)).optional()?;
        if let Some(id) = existing {
            return Ok((id, false));
        }
    }
    use chrono::Datelike;
    let new_id = tx.query_row(
        "INSERT INTO incoming (agency_id, arrival_year, arrival_number, arrival_date, sender, number, notation, date,
                               kind, subject, urgency, state, handler_id, lead_unit_id, deadline, source_key, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) RETURNING id",
        params![
            n.agency_id,
            n.arrival_date.year(),
            n.arrival_number,
            n.arrival_date.to_string(),
            nfc(n.sender.trim()),
            n.number.as_deref().map(nfc),
            n.notation.as_deref().map(nfc),
            n.date.map(|d| d.to_string()),
            n.kind,
            nfc(n.subject.trim()),
            n.urgency.map(|u| u.code()),
            n.state.code(),
            n.handler_id,
            n.lead_unit_id,
            n.deadline.map(|d| d.to_string()),
            n.source_key,
            now_text(),
        ], |r| r.get::<_, i64>(0))?;
    Ok((new_id, true))
}

/// The next số đến of an agency in a year.
pub(crate) fn next_arrival_number(tx: &Transaction<'_>, agency_id: i64, year: i32) -> Result<i64> {
    let max: Option<i64> = tx.query_row(
        "SELECT max(arrival_number) FROM incoming WHERE agency_id = ?1 AND arrival_year = ?2",
        params![agency_id, year],
        |r| r.get(0),
    )?;
    Ok(max.unwrap_or(0) + 1)
}

fn parse_date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| t.parse().ok())
}

fn incoming_from_row(r: &Row) -> super::sql::Result<Incoming> {
    let state: String = r.get(12)?;
    let urgency: Option<String> = r.get(11)?;
    let arrival: String = r.get(3)?;
    Ok(Incoming {
        id: r.get(0)?,
        agency_id: r.get(1)?,
        arrival_number: r.get(2)?,
        arrival_date: arrival.parse().unwrap_or_default(),
        sender: r.get(4)?,
        number: r.get(5)?,
        notation: r.get(6)?,
        date: parse_date(r.get(7)?),
        kind: r.get(8)?,
        subject: r.get(9)?,
        urgency: urgency.as_deref().and_then(Urgency::from_code),
        state: IncomingState::from_code(&state).unwrap_or(IncomingState::Received),
        handler_id: r.get(13)?,
        lead_unit_id: r.get(14)?,
        deadline: parse_date(r.get(15)?),
        reply_document_id: r.get(16)?,
    })
}

impl Store {
    /// Every incoming document, newest arrival first.
    pub fn list_incoming(&self) -> Result<Vec<Incoming>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, agency_id, arrival_number, arrival_date, sender, number, notation, date, kind, subject,
                    arrival_year, urgency, state, handler_id, lead_unit_id, deadline, reply_document_id
             FROM incoming ORDER BY arrival_date DESC, arrival_number DESC",
        )?;
        Ok(stmt.query_map([], incoming_from_row)?.collect::<super::sql::Result<_>>()?)
    }
}
