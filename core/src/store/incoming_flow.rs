//! Incoming steps and the task list: what each user has to do, and by when.

use super::sql::{OptionalExtension, params};
use chrono::{DateTime, Local, NaiveDate};
use serde::Serialize;

use super::incoming::{NewIncoming, insert_incoming};
use super::workflow::{NewEvent, append_event};
use super::{Actor, Result, Store, StoreError};
use crate::calendar::WorkCalendar;
use crate::model::{IncomingState, Role};
use crate::workflow::{IncomingAction, WorkflowError};

/// Who handles an incoming document, and by when (Điều 23.2): the leader's bút
/// phê, one lead handler (chủ trì), co-handlers (phối hợp) and a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assignment {
    /// The lead handler's user name.
    pub handler: String,
    /// The co-handlers' user names.
    pub co_handlers: Vec<String>,
    /// The bút phê (direction), if written.
    pub direction: Option<String>,
    /// The lead unit, if any.
    pub lead_unit_id: Option<i64>,
    /// The deadline.
    pub deadline: NaiveDate,
}

/// How a task stands against its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DueStatus {
    /// Past its due date.
    Overdue,
    /// Due today.
    DueToday,
    /// Due later.
    OnTime,
}

impl DueStatus {
    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            DueStatus::Overdue => "Quá hạn",
            DueStatus::DueToday => "Đến hạn hôm nay",
            DueStatus::OnTime => "Trong hạn",
        }
    }
}

/// One thing a user has to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    /// `outgoing` or `incoming`.
    pub subject: &'static str,
    /// The document's id.
    pub id: i64,
    /// What to do (a Vietnamese action label).
    pub action: String,
    /// Trích yếu.
    pub title: String,
    /// Due date.
    pub due: NaiveDate,
    /// Status against today.
    pub status: DueStatus,
    /// Whether it is marked urgent (handled immediately).
    pub urgent: bool,
    /// The number the office knows it by: `số đến 9` for a letter (`chưa vào sổ`
    /// before registration), `số 2542/UBND-KT` for a numbered document, `Dự thảo`
    /// (`Chưa cấp số` once signed) before numbering; always given.
    pub reference: Option<String>,
}

fn status(due: NaiveDate, today: NaiveDate) -> DueStatus {
    match due.cmp(&today) {
        std::cmp::Ordering::Less => DueStatus::Overdue,
        std::cmp::Ordering::Equal => DueStatus::DueToday,
        std::cmp::Ordering::Greater => DueStatus::OnTime,
    }
}

/// The legal limit "the same day, at the latest the next working day" (Điều 4.2.c,
/// 15.2, 18.1, 23.1); urgent documents: the same day.
fn next_working_day_limit(calendar: &WorkCalendar, from: NaiveDate, urgent: bool) -> NaiveDate {
    if urgent { from } else { calendar.add_working_days(from, 1) }
}

impl Store {
    /// The văn thư records a document received today (state `received`).
    pub fn receive_incoming(&mut self, actor: &Actor, incoming: NewIncoming, now: DateTime<Local>) -> Result<i64> {
        self.receive_incoming_with(actor, incoming, super::IncomingDetails::default(), now)
    }

    /// [`Store::receive_incoming`] with the pages, secrecy and how it came.
    pub fn receive_incoming_with(
        &mut self,
        actor: &Actor,
        incoming: NewIncoming,
        details: super::IncomingDetails,
        now: DateTime<Local>,
    ) -> Result<i64> {
        self.receive_incoming_with_files(actor, incoming, details, &[], now)
    }

    /// [`Store::receive_incoming_with`] and the letter's files (the received PDF, a
    /// scan, attachments) in the same transaction: a file over 50 MB refuses the
    /// whole receipt before anything is written.
    pub fn receive_incoming_with_files(
        &mut self,
        actor: &Actor,
        mut incoming: NewIncoming,
        details: super::IncomingDetails,
        files: &[super::NewFile],
        now: DateTime<Local>,
    ) -> Result<i64> {
        super::files::check_sizes(files)?;
        if details.pages.is_some_and(|p| !(1..=100_000).contains(&p)) {
            return Err(StoreError::Invalid("số tờ phải từ 1 đến 100000".into()));
        }
        actor.require(Role::VanThu, "tiếp nhận văn bản đến")?;
        let who = super::authority::actor_facts(&self.conn, actor)?;
        if !who.serves_agency(Some(incoming.agency_id)) {
            let refusal = StoreError::Workflow(WorkflowError::Authority {
                user: actor.user().username.clone(),
                action: "Tiếp nhận văn bản đến",
                reason: "chỉ văn thư phục vụ cơ quan nhận mới tiếp nhận văn bản đến của cơ quan đó".into(),
            });
            return Err(self.audit_refusal(actor, "system", None, "receive", refusal));
        }
        incoming.arrival_date = now.date_naive();
        if let Some(dated) = incoming.date.filter(|d| *d > incoming.arrival_date) {
            return Err(StoreError::Invalid(format!(
                "ngày văn bản {} sau ngày đến {}: một văn bản không đến trước khi được ký ban hành, hãy kiểm tra lại ngày văn bản (document dated after arrival)",
                dated.format("%d/%m/%Y"),
                incoming.arrival_date.format("%d/%m/%Y")
            )));
        }
        incoming.arrival_number = None;
        incoming.state = IncomingState::Received;
        let user = actor.user().clone();
        self.write(|tx| {
            let (id, _) = insert_incoming(tx, &incoming)?;
            tx.execute(
                "UPDATE incoming SET pages = ?2, secrecy = ?3, received_via = ?4 WHERE id = ?1",
                params![id, details.pages, details.secrecy.map(|s| s.code()), details.received_via.map(|v| v.code())],
            )?;
            append_event(
                tx,
                &NewEvent {
                    at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                    user_id: Some(user.id),
                    username: &user.username,
                    role: Role::VanThu.code(),
                    subject: "incoming",
                    subject_id: Some(id),
                    action: "receive",
                    state_before: None,
                    state_after: Some(IncomingState::Received.code()),
                    content_hash: None,
                    comment: None,
                    effects: None,
                },
            )?;
            super::files::attach_in_tx(tx, id, files, &user, now)?;
            Ok(id)
        })
    }

    /// One step on an incoming document; `assignment` is required to assign, and
    /// `reply` links the outgoing reply when resolving (see [`Store::incoming_step`]
    /// for the steps that need more: notes, extensions, forwarding, closing notes).
    /// Nothing changes on refusal.
    pub fn incoming_transition(
        &mut self,
        id: i64,
        action: IncomingAction,
        actor: &Actor,
        now: DateTime<Local>,
        assignment: Option<&Assignment>,
        reply: Option<i64>,
    ) -> Result<IncomingState> {
        use super::IncomingStep as S;
        let step = match action {
            IncomingAction::Register => S::Register,
            IncomingAction::Present => S::Present,
            IncomingAction::Start => S::Start,
            IncomingAction::Assign => S::Assign(
                assignment
                    .cloned()
                    .ok_or_else(|| StoreError::Invalid("giao xử lý cần người xử lý và thời hạn".into()))?,
            ),
            IncomingAction::Resolve => S::Resolve { reply, note: None },
            other => {
                return Err(StoreError::Invalid(format!("bước {} cần thêm nội dung", other.label().to_lowercase())));
            }
        };
        self.incoming_step(id, &step, actor, now)
    }

    /// The user's tasks, overdue first, with due dates on the working calendar.
    pub fn tasks(&self, actor: &Actor, today: NaiveDate, calendar: &WorkCalendar) -> Result<Vec<Task>> {
        let user = actor.user();
        let mut tasks = Vec::new();
        // The letters this user co-handles (phối hợp) and those they already gave an
        // opinion on: a co-handler's task is to give one, by the letter's deadline.
        let co_handled = super::incoming_handling::letters_co_handled_by(&self.conn, user.id)?;
        let answered = super::incoming_handling::letters_with_opinion_by(&self.conn, user.id)?;
        // Only what the records let this user do (issue #12): the letters and documents
        // of the agencies they serve, their own drafts, the letters they handle.
        for (letter, allowed) in self.incoming_queue_for(actor)? {
            let arrival = letter.arrival_date;
            let urgent = letter.urgency.is_some();
            let legal = next_working_day_limit(calendar, arrival, urgent);
            let (action, due) = match letter.state {
                IncomingState::Received => (IncomingAction::Register, legal),
                IncomingState::Registered => (IncomingAction::Present, legal),
                IncomingState::Presented => (IncomingAction::Assign, legal),
                IncomingState::Assigned | IncomingState::InProgress
                    if allowed.contains(&IncomingAction::GrantExtension) =>
                {
                    // An extension request awaits the leader: decided by the next working day.
                    let asked: Option<String> = self
                        .conn
                        .query_row(
                            "SELECT requested_at FROM incoming_extensions WHERE incoming_id = ?1 AND state = 'pending'",
                            [letter.id],
                            |r| r.get(0),
                        )
                        .optional()?;
                    let since =
                        asked.as_deref().and_then(|a| a.get(..10)).and_then(|d| d.parse().ok()).unwrap_or(today);
                    (IncomingAction::GrantExtension, next_working_day_limit(calendar, since, false))
                }
                IncomingState::Assigned | IncomingState::InProgress
                    if letter.handler_id != Some(user.id) && co_handled.contains(&letter.id) =>
                {
                    // Phối hợp xử lý: an opinion for the lead handler by the deadline.
                    let Some(due) = letter.deadline else { continue };
                    if answered.contains(&letter.id) {
                        continue;
                    }
                    (IncomingAction::Opinion, due)
                }
                IncomingState::Assigned | IncomingState::InProgress => {
                    let Some(due) = letter.deadline else { continue };
                    (IncomingAction::Resolve, due)
                }
                IncomingState::Done => continue,
            };
            if !allowed.contains(&action) || (action == IncomingAction::Resolve && letter.handler_id != Some(user.id)) {
                continue;
            }
            let label = match action {
                IncomingAction::Opinion => "Phối hợp xử lý: cho ý kiến",
                other => other.label(),
            };
            tasks.push(Task {
                subject: "incoming",
                id: letter.id,
                action: label.to_owned(),
                title: letter.subject,
                due,
                status: status(due, today),
                urgent,
                // Not registered yet: "chưa vào sổ" (never the record id).
                reference: Some(
                    letter.arrival_number.map_or_else(|| "chưa vào sổ".to_owned(), |n| format!("số đến {n}")),
                ),
            });
        }
        // Filing and recall are not steps with a time limit.
        use crate::workflow::Action;
        let timed = [Action::Submit, Action::Approve, Action::CheckFormat, Action::Sign, Action::Number, Action::Issue];
        for (doc, actions) in self.queue_for(actor, &timed, today)? {
            let Some(action) = actions.first().copied() else { continue };
            let (updated, urgent): (String, bool) = self.conn.query_row(
                "SELECT updated_at, urgency IS NOT NULL FROM documents WHERE id = ?1",
                [doc.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let since = updated.get(..10).and_then(|d| d.parse().ok()).unwrap_or(today);
            // Numbering and issuing have legal limits (Điều 15.2, 18.1); review steps follow
            // the agency's working regulations: one working day by default.
            let due = next_working_day_limit(calendar, since, urgent);
            // As printed: `2542/UBND-KT` (NĐ 30) or `236-TB/TU` (HD 36); `Dự thảo`
            // (`Chưa cấp số` once signed) before numbering, the title beside it.
            let reference = Some(match doc.number {
                Some(_) => format!("số {}", doc.reference()),
                None => doc.reference(),
            });
            tasks.push(Task {
                subject: "outgoing",
                id: doc.id,
                action: action.label().to_owned(),
                title: doc.subject.unwrap_or_default(),
                due,
                status: status(due, today),
                urgent,
                reference,
            });
        }
        tasks.sort_by_key(|t| (t.status, t.due, t.id));
        Ok(tasks)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::demo::{DEMO_PASSWORD, load_demo};

    fn at(y: i32, m: u32, d: u32) -> DateTime<Local> {
        Local.with_ymd_and_hms(y, m, d, 10, 0, 0).single().unwrap()
    }

    fn new_letter(agency_id: i64) -> NewIncoming {
        NewIncoming {
            agency_id,
            arrival_number: None,
            arrival_date: at(2026, 12, 1).date_naive(),
            sender: "Bộ Nội vụ".into(),
            number: Some("5120".into()),
            notation: Some("BNV-VTLTNN".into()),
            date: NaiveDate::from_ymd_opt(2026, 11, 25),
            kind: "cong-van".into(),
            subject: "Hướng dẫn nộp lưu hồ sơ điện tử".into(),
            urgency: None,
            state: IncomingState::Received,
            handler_id: None,
            lead_unit_id: None,
            deadline: None,
            source_key: None,
        }
    }

    #[test]
    fn an_incoming_letter_from_receipt_to_done() {
        let mut store = Store::open_in_memory().unwrap();
        load_demo(&mut store, at(2026, 11, 27).date_naive()).unwrap();
        let vanthu = store.login("lythihongnhung", DEMO_PASSWORD).unwrap();
        let agency_id = store
            .agencies()
            .unwrap()
            .into_iter()
            .find(|a| a.abbreviation == "UBND" && a.family == crate::model::Family::State)
            .unwrap()
            .id;
        let id = store.receive_incoming(&vanthu, new_letter(agency_id), at(2026, 12, 1)).unwrap();
        let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
        assert!(
            store.incoming_transition(id, IncomingAction::Register, &drafter, at(2026, 12, 1), None, None).is_err()
        );
        // The Tỉnh ủy văn thư does not keep the UBND's book, nor receive its mail.
        let party_van_thu = store.login("lamthihoa", DEMO_PASSWORD).unwrap();
        assert!(
            store
                .incoming_transition(id, IncomingAction::Register, &party_van_thu, at(2026, 12, 1), None, None)
                .is_err()
        );
        assert!(store.receive_incoming(&party_van_thu, new_letter(agency_id), at(2026, 12, 1)).is_err());
        assert_eq!(
            store.incoming_transition(id, IncomingAction::Register, &vanthu, at(2026, 12, 1), None, None).unwrap(),
            IncomingState::Registered
        );
        let number = store.list_incoming().unwrap().into_iter().find(|i| i.id == id).unwrap().arrival_number.unwrap();
        assert!(number > 1, "the year's số đến continues");
        store.incoming_transition(id, IncomingAction::Present, &vanthu, at(2026, 12, 1), None, None).unwrap();
        let leader = store.login("phamvanthang", DEMO_PASSWORD).unwrap();
        let assignment = Assignment {
            handler: "hovanphuc".into(),
            lead_unit_id: None,
            deadline: NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
            ..Assignment::default()
        };
        store
            .incoming_transition(id, IncomingAction::Assign, &leader, at(2026, 12, 2), Some(&assignment), None)
            .unwrap();
        let calendar = WorkCalendar::default_vietnam();
        let handler = store.login("hovanphuc", DEMO_PASSWORD).unwrap();
        let tasks = store.tasks(&handler, NaiveDate::from_ymd_opt(2026, 12, 9).unwrap(), &calendar).unwrap();
        let task = tasks.iter().find(|t| t.subject == "incoming" && t.id == id).expect("the handler has the task");
        assert_eq!(task.status, DueStatus::Overdue);
        assert!(
            store.incoming_transition(id, IncomingAction::Resolve, &leader, at(2026, 12, 3), None, None).is_err(),
            "only the handler"
        );
        store.incoming_transition(id, IncomingAction::Start, &handler, at(2026, 12, 3), None, None).unwrap();
        assert!(
            store.incoming_transition(id, IncomingAction::Resolve, &handler, at(2026, 12, 4), None, None).is_err(),
            "resolving needs the reply or a closing note"
        );
        let resolve =
            crate::store::IncomingStep::Resolve { reply: None, note: Some("Đã nộp lưu đủ hồ sơ.".into()) };
        assert_eq!(store.incoming_step(id, &resolve, &handler, at(2026, 12, 4)).unwrap(), IncomingState::Done);
        assert_eq!(store.verify().unwrap(), None);
    }

    /// Tasks name the number the office knows: the arrival number of a registered
    /// letter, the number and symbol of a numbered document (as printed per family).
    #[test]
    fn tasks_carry_the_office_number() {
        let mut store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        load_demo(&mut store, today).unwrap();
        let calendar = WorkCalendar::default_vietnam();
        for user in ["lythihongnhung", "lamthihoa"] {
            let actor = store.login(user, DEMO_PASSWORD).unwrap();
            for task in store.tasks(&actor, today, &calendar).unwrap() {
                if task.subject == "incoming" {
                    let letter = store.incoming_record(task.id).unwrap().unwrap();
                    let want = letter.arrival_number.map_or("chưa vào sổ".to_owned(), |n| format!("số đến {n}"));
                    assert_eq!(task.reference, Some(want), "{task:?}");
                } else {
                    let stored = store.document(task.id).unwrap().unwrap();
                    let want = match stored.document.number_notation() {
                        Some(n) => format!("số {n}"),
                        None if stored.state == crate::model::OutgoingState::Signed => "Chưa cấp số".to_owned(),
                        None => "Dự thảo".to_owned(),
                    };
                    assert_eq!(task.reference.as_deref(), Some(want.as_str()), "{task:?}");
                }
            }
        }
    }
}
