//! Applying workflow steps: state, side effects and the audit event in one
//! transaction; the hash-chained audit log and its verification.

use super::sql::{OptionalExtension, Transaction, params};
use chrono::{DateTime, Datelike, Local, NaiveDate};
use serde::Serialize;

use super::documents::sha256_hex;
use super::{Actor, Result, Store, StoreError};
use crate::calendar::WorkCalendar;
use crate::exchange::{document_to_json, parse_document};
use crate::model::{Document, Family, OutgoingState, Role};
use crate::rules::{CheckContext, Finding, check};
use crate::workflow::{Action, WorkflowError, blocking_findings, decide};

/// The hash that starts the chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a successful step did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransitionOutcome {
    /// The document.
    pub document_id: i64,
    /// State before.
    pub from: OutgoingState,
    /// State after.
    pub to: OutgoingState,
    /// Number and symbol assigned by the step, if it numbered the document.
    pub number: Option<String>,
    /// Warnings found on the way (errors would have blocked the step).
    pub warnings: Vec<Finding>,
}

/// An event about the office itself (subject `system`: administration, logins,
/// backups), stamped now.
pub(crate) fn system_event<'a>(
    user_id: Option<i64>,
    username: &'a str,
    role: &'a str,
    action: &'a str,
    comment: &'a str,
    effects: Option<&'a str>,
) -> NewEvent<'a> {
    NewEvent {
        at: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        user_id,
        username,
        role,
        subject: "system",
        subject_id: None,
        action,
        state_before: None,
        state_after: None,
        content_hash: None,
        comment: Some(comment),
        effects,
    }
}

/// One audit event to append.
pub(crate) struct NewEvent<'a> {
    pub at: String,
    pub user_id: Option<i64>,
    pub username: &'a str,
    pub role: &'a str,
    pub subject: &'a str,
    pub subject_id: Option<i64>,
    pub action: &'a str,
    pub state_before: Option<&'a str>,
    pub state_after: Option<&'a str>,
    pub content_hash: Option<&'a str>,
    pub comment: Option<&'a str>,
    /// JSON array of [`super::effects::AdminEffect`]s (administration events only).
    pub effects: Option<&'a str>,
}

impl NewEvent<'_> {
    /// The canonical text the event's hash covers, chained to `prev`.
    pub(crate) fn canonical(&self, prev: &str) -> String {
        let opt = |v: Option<&str>| v.unwrap_or("").replace('\n', "\\n");
        let num = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        let text = format!(
            "{prev}\nat={}\nuser_id={}\nusername={}\nrole={}\nsubject={}\nsubject_id={}\naction={}\nbefore={}\nafter={}\ncontent={}\ncomment={}",
            self.at,
            num(self.user_id),
            self.username,
            self.role,
            self.subject,
            num(self.subject_id),
            self.action,
            opt(self.state_before),
            opt(self.state_after),
            opt(self.content_hash),
            opt(self.comment)
        );
        // Events without effects hash exactly as before schema 8.
        match self.effects {
            Some(effects) => format!("{text}\neffects={}", effects.replace('\n', "\\n")),
            None => text,
        }
    }
}

/// Appends an event to the chain and returns its hash.
pub(crate) fn append_event(tx: &Transaction<'_>, e: &NewEvent<'_>) -> Result<String> {
    let prev: String = tx
        .query_row("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS_HASH.to_owned());
    let hash = sha256_hex(&e.canonical(&prev));
    tx.execute(
        "INSERT INTO audit_events (at, user_id, username, role, subject, subject_id, action, state_before, state_after,
                                   content_hash, comment, prev_hash, hash, effects)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            e.at,
            e.user_id,
            e.username,
            e.role,
            e.subject,
            e.subject_id,
            e.action,
            e.state_before,
            e.state_after,
            e.content_hash,
            e.comment,
            prev,
            hash,
            e.effects
        ],
    )?;
    Ok(hash)
}

/// Issuing sends the document to its recipients; those that are agencies of this
/// database receive it as incoming mail (state `received`, Điều 18, 21).
fn deliver_internally(
    tx: &Transaction<'_>,
    document_id: i64,
    issuer_agency: Option<i64>,
    document: &Document,
    now: DateTime<Local>,
    user_id: i64,
    username: &str,
) -> Result<()> {
    use crate::text::name_key;
    let as_above = document.recipients.iter().any(|r| name_key(r.trim_end_matches([';', '.', ','])) == "NHƯ TRÊN");
    let lines = document.recipients.iter().chain(document.addressees.iter().filter(|_| as_above));
    // "Sở Nội vụ (để thực hiện);" names the Sở Nội vụ.
    let keys: Vec<String> = lines
        .map(|l| {
            name_key(
                l.split('(').next().unwrap_or(l).trim_start_matches(['-', ' ']).trim_end_matches([';', '.', ',', ' ']),
            )
        })
        .collect();
    let mut stmt = tx.prepare("SELECT id, name, short_name FROM agencies")?;
    let agencies: Vec<(i64, String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<super::sql::Result<_>>()?;
    for (agency_id, name, short_name) in agencies {
        if Some(agency_id) == issuer_agency
            || !keys.iter().any(|k| *k == name_key(&name) || *k == name_key(&short_name))
        {
            continue;
        }
        let incoming = super::NewIncoming {
            agency_id,
            arrival_number: None,
            arrival_date: now.date_naive(),
            sender: document.issuer.name.clone(),
            number: document.number.clone(),
            notation: document.notation.clone(),
            date: document.date,
            kind: document.kind.as_str().to_owned(),
            subject: document.subject.clone().unwrap_or_default(),
            urgency: document.urgency,
            state: crate::model::IncomingState::Received,
            handler_id: None,
            lead_unit_id: None,
            deadline: None,
            source_key: Some(format!("issued:{document_id}:{agency_id}")),
        };
        let (id, added) = super::incoming::insert_incoming(tx, &incoming)?;
        if added {
            append_event(
                tx,
                &NewEvent {
                    at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                    user_id: Some(user_id),
                    username,
                    role: Role::VanThu.code(),
                    subject: "incoming",
                    subject_id: Some(id),
                    action: "receive",
                    state_before: None,
                    state_after: Some(crate::model::IncomingState::Received.code()),
                    content_hash: None,
                    comment: Some(&format!("từ văn bản đi #{document_id}")),
                    effects: None,
                },
            )?;
        }
    }
    Ok(())
}

/// A document's JSON without what the register adds after signing.
pub(crate) fn without_register_fields(json: &str) -> Option<serde_json::Value> {
    let mut value: serde_json::Value = serde_json::from_str(json).ok()?;
    if let Some(map) = value.as_object_mut() {
        for key in ["number", "notation", "date"] {
            map.remove(key);
        }
    }
    Some(value)
}

/// The next number of a series, inside the numbering transaction. A new series
/// starts after the highest number already recorded for it (imported history).
fn next_number(tx: &Transaction<'_>, series: &str, document: &Document, year: i32, per_kind: bool) -> Result<i64> {
    let exists: bool =
        tx.query_row("SELECT count(*) FROM number_registers WHERE series = ?1", [series], |r| r.get::<_, i64>(0))? > 0;
    if !exists {
        let secret_clause = if series.ends_with("/mat") { "secrecy IS NOT NULL" } else { "1 = 1" };
        let sql = format!(
            "SELECT coalesce(max(CAST(number AS INTEGER)), 0) FROM documents
             WHERE family = ?1 AND issuer_name = ?2 AND number IS NOT NULL
               AND (?3 OR year = ?4) AND (NOT ?3 OR kind = ?5) AND {secret_clause}"
        );
        let seed: i64 = tx.query_row(
            &sql,
            params![document.family.code(), document.issuer.name, per_kind, year, document.kind.as_str()],
            |r| r.get(0),
        )?;
        tx.execute("INSERT INTO number_registers (series, last_number) VALUES (?1, ?2)", params![series, seed])?;
    }
    take_number(tx, series)
}

/// Moves `series` one number up and returns the new number, inside the caller's
/// write transaction (which holds the store's write lock, so no two desks take the
/// same number and none is skipped).
pub(crate) fn take_number(tx: &Transaction<'_>, series: &str) -> Result<i64> {
    Ok(tx.query_row(
        "INSERT INTO number_registers (series, last_number) VALUES (?1, 1)
         ON CONFLICT (series) DO UPDATE SET last_number = number_registers.last_number + 1 RETURNING last_number",
        [series],
        |r| r.get(0),
    )?)
}

/// An imported document that already has its number (numbered, issued or filed)
/// takes its place in its register: its series is recorded, so the unique index
/// refuses the same number twice, and the register moves up to it, so the number
/// is never issued again.
pub(crate) fn register_imported(
    tx: &Transaction<'_>,
    id: i64,
    document: &Document,
    state: OutgoingState,
    ruleset: &crate::ruleset::Ruleset,
    term: &str,
) -> Result<()> {
    let numbered = matches!(state, OutgoingState::Numbered | OutgoingState::Issued | OutgoingState::Filed);
    let (Some(number), Some(year)) = (document.number.as_deref(), document.year()) else { return Ok(()) };
    let Ok(n) = number.parse::<i64>() else { return Ok(()) };
    if !numbered {
        return Ok(());
    }
    let agency_id: Option<i64> = tx.query_row("SELECT agency_id FROM documents WHERE id = ?1", [id], |r| r.get(0))?;
    let series =
        series_of(document, agency_id, year, &ruleset.numbering.scope, ruleset.numbering.secret_series_separate, term);
    let taken = tx.execute("UPDATE documents SET series = ?2 WHERE id = ?1", params![id, series]);
    if let Err(e) = &taken
        && e.is_constraint_violation()
    {
        return Err(StoreError::Invalid(format!(
            "số {number} đã được cấp trong sổ {series}; không nhập trùng số (number already issued)"
        )));
    }
    taken?;
    tx.execute(
        "INSERT INTO number_registers (series, last_number) VALUES (?1, ?2)
         ON CONFLICT (series) DO UPDATE SET last_number = CASE WHEN excluded.last_number > number_registers.last_number
             THEN excluded.last_number ELSE number_registers.last_number END",
        params![series, n],
    )?;
    Ok(())
}

/// What a step needs beyond the common arguments.
#[derive(Default)]
struct Extras<'a> {
    /// The signer's key, opened with the password (signing).
    key: Option<super::signing::OpenedKey>,
    /// The digital certificate signing the PDF (PAdES), at signing or issue.
    digital: Option<&'a super::DigitalSigning<'a>>,
    /// The issue date chosen at Cấp số (else today).
    issue_date: Option<NaiveDate>,
}

/// A chosen issue date is not in the future and not before the document was signed.
fn check_issue_date(tx: &Transaction<'_>, document_id: i64, date: NaiveDate, today: NaiveDate) -> Result<()> {
    let show = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    if date > today {
        return Err(StoreError::Invalid(format!(
            "ngày ban hành {} ở sau hôm nay ({}): không cấp số cho một ngày chưa đến (issue date in the future)",
            show(date),
            show(today)
        )));
    }
    // The signature's time, else the audited signing step (an imported document).
    let signed: Option<String> = tx.query_row(
        "SELECT coalesce(
            (SELECT max(substr(signed_at, 1, 10)) FROM signatures WHERE document_id = ?1),
            (SELECT max(substr(at, 1, 10)) FROM audit_events
              WHERE subject = 'document' AND subject_id = ?1 AND action = 'sign'))",
        [document_id],
        |r| r.get(0),
    )?;
    if let Some(signed) = signed.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        && date < signed
    {
        return Err(StoreError::Invalid(format!(
            "ngày ban hành {} ở trước ngày ký {}: văn bản chỉ được cấp số sau khi ký (issue date before signing)",
            show(date),
            show(signed)
        )));
    }
    Ok(())
}

/// A chosen date is not before the last date the register already gave: numbers
/// and dates of one register go up together (NĐ 30/2020 Điều 15.1: số văn bản liên
/// tục trong năm).
pub(super) fn check_register_order(
    tx: &Transaction<'_>,
    series: &str,
    document: &Document,
    date: NaiveDate,
) -> Result<()> {
    // The register's documents: those of the series, and numbered ones recorded
    // without a series (imported) of the same issuer and year.
    let last: Option<String> = tx.query_row(
        "SELECT max(date) FROM documents WHERE number IS NOT NULL AND (series = ?1
            OR (series IS NULL AND family = ?2 AND issuer_name = ?3 AND year = ?4))",
        params![series, document.family.code(), document.issuer.name, date.year()],
        |r| r.get(0),
    )?;
    if let Some(last) = last.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        && date < last
    {
        return Err(StoreError::Invalid(format!(
            "ngày ban hành {} ở trước ngày {} của văn bản đã cấp số gần nhất trong sổ: số và ngày phải tăng cùng nhau (issue date before the register's last date)",
            date.format("%d/%m/%Y"),
            last.format("%d/%m/%Y")
        )));
    }
    Ok(())
}

/// The series a document is numbered in (NĐ 30 Điều 15; HD 36 1.3.1).
fn series_of(
    document: &Document,
    agency_id: Option<i64>,
    year: i32,
    scope: &str,
    secret_apart: bool,
    term: &str,
) -> String {
    let agency = agency_id.map_or_else(|| format!("issuer:{}", document.issuer.name), |id| format!("agency:{id}"));
    let secret = if secret_apart && document.secrecy.is_some() { "/mat" } else { "" };
    match scope {
        "kind-term" => format!("{}/{agency}/{}/term:{term}{secret}", document.family.code(), document.kind),
        _ => format!("{}/{agency}/year:{year}{secret}", document.family.code()),
    }
}

/// The symbol the register gives when the draft has none. A state công văn takes
/// the drafting unit's abbreviation (NĐ 30 Phụ lục I, Phần I, III.3: "viết tắt tên
/// cơ quan – viết tắt tên đơn vị soạn thảo hoặc lĩnh vực"): the unit recorded for
/// the document (`unit`), else the unit its Lưu line names; never the drafter's
/// initials (`initials`, which belong in box 12). With no unit known it is the
/// agency's abbreviation alone.
pub(super) fn default_notation(document: &Document, abbreviation: &str, unit: Option<&str>, initials: &str) -> String {
    let issuer = &document.issuer.abbreviation;
    match document.family {
        Family::State if abbreviation.is_empty() => {
            let unit = unit
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_owned)
                .or_else(|| document.luu_unit(&[initials, &initials.replace('Đ', "D")]));
            match unit {
                Some(unit) => format!("{issuer}-{unit}"),
                None => issuer.clone(),
            }
        }
        Family::State => format!("{abbreviation}-{issuer}"),
        Family::Party => format!("{abbreviation}/{issuer}"),
    }
}

/// The initials of a full name as box 12 writes them: `HVP` for Hồ Văn Phúc, `ĐTH`
/// for Đặng Thị Hoa (first letters, upper case, diacritics of vowels dropped).
pub(super) fn name_initials(full_name: &str) -> String {
    full_name
        .split_whitespace()
        .filter_map(|word| word.chars().next())
        .map(|c| {
            let folded = crate::text::fold(&c.to_string()).to_uppercase();
            if c == 'Đ' || c == 'đ' { "Đ".to_owned() } else { folded }
        })
        .collect()
}

impl Store {
    /// Takes one workflow step on a document: checks role, state, comment and the
    /// findings that block the step, then commits the new state, its side effects
    /// (number and date) and the audit event in one transaction. Nothing changes on
    /// refusal.
    pub fn transition(
        &mut self,
        document_id: i64,
        action: Action,
        actor: &Actor,
        now: DateTime<Local>,
        comment: Option<&str>,
    ) -> Result<TransitionOutcome> {
        if action == Action::Sign {
            return Err(StoreError::Invalid(
                "ký văn bản cần nhập lại mật khẩu: dùng chức năng ký (sign needs the password)".into(),
            ));
        }
        self.step(document_id, action, actor, now, comment, Extras::default())
    }

    /// Issues the document with the agency's digital seal: the seal (a PAdES
    /// signature by the agency's certificate) is appended to the signed PDF (or to the
    /// PDF/A of the document when the signer signed in the application only).
    pub fn issue_digitally(
        &mut self,
        document_id: i64,
        actor: &Actor,
        now: DateTime<Local>,
        comment: Option<&str>,
        signing: &super::DigitalSigning<'_>,
    ) -> Result<TransitionOutcome> {
        let extras = Extras { digital: Some(signing), ..Extras::default() };
        self.step(document_id, Action::Issue, actor, now, comment, extras)
    }

    /// The signer signs with a digital certificate as well: the in-application
    /// sign-off of [`Store::sign`] and a PAdES signature on the document's PDF/A.
    pub fn sign_digitally(
        &mut self,
        document_id: i64,
        actor: &Actor,
        password: &str,
        now: DateTime<Local>,
        comment: Option<&str>,
        signing: &super::DigitalSigning<'_>,
    ) -> Result<TransitionOutcome> {
        let unlocked = self.begin_signing(actor)?.unlock(password);
        let key = self.signer_key(actor, unlocked)?;
        let extras = Extras { key: Some(key), digital: Some(signing), ..Extras::default() };
        self.step(document_id, Action::Sign, actor, now, comment, extras)
    }

    /// Cấp số with an issue date the văn thư chose (NĐ 30/2020 Điều 15–16: the date
    /// is the date the document is numbered and issued; an office may number on the
    /// next working day a document signed on a rest day, or record the day it was
    /// actually issued). The date may not be after today, nor before the signing
    /// date, nor before the last date already given in the same register (numbers
    /// and dates go up together). The chosen date is written into the audit event.
    pub fn number_on(
        &mut self,
        document_id: i64,
        actor: &Actor,
        now: DateTime<Local>,
        date: NaiveDate,
        comment: Option<&str>,
    ) -> Result<TransitionOutcome> {
        self.step(
            document_id,
            Action::Number,
            actor,
            now,
            comment,
            Extras { issue_date: Some(date), ..Extras::default() },
        )
    }

    /// The signer signs: the password is entered again; it unlocks (or, the first time,
    /// creates) the signer's Ed25519 key, which signs the SHA-256 of the exact content.
    /// From then on the text is immutable (triggers), but for the number, symbol and
    /// date the register adds.
    pub fn sign(
        &mut self,
        document_id: i64,
        actor: &Actor,
        password: &str,
        now: DateTime<Local>,
        comment: Option<&str>,
    ) -> Result<TransitionOutcome> {
        let unlocked = self.begin_signing(actor)?.unlock(password);
        self.sign_unlocked(document_id, actor, unlocked, now, comment)
    }

    /// [`Store::sign`] with the password work done beforehand
    /// ([`Store::begin_signing`], then [`super::SignAttempt::unlock`] on another
    /// thread): the login is recorded (a wrong password counts as a failed login) and
    /// the step taken in one transaction, as `sign` does.
    pub fn sign_unlocked(
        &mut self,
        document_id: i64,
        actor: &Actor,
        unlocked: super::UnlockedSigner,
        now: DateTime<Local>,
        comment: Option<&str>,
    ) -> Result<TransitionOutcome> {
        let key = self.signer_key(actor, unlocked)?;
        self.step(document_id, Action::Sign, actor, now, comment, Extras { key: Some(key), ..Extras::default() })
    }

    /// Records the login of an unlock (a wrong password counts as a failed login)
    /// and returns the key it opened, only for `actor` themself.
    fn signer_key(&self, actor: &Actor, unlocked: super::UnlockedSigner) -> Result<super::signing::OpenedKey> {
        let super::UnlockedSigner { checked, key } = unlocked;
        if self.finish_login(checked)?.user().id != actor.user().id {
            return Err(StoreError::BadCredentials);
        }
        key.ok_or(StoreError::BadCredentials)
    }

    #[allow(clippy::too_many_arguments)] // one private entry for every kind of step
    fn step(
        &mut self,
        document_id: i64,
        action: Action,
        actor: &Actor,
        now: DateTime<Local>,
        comment: Option<&str>,
        extras: Extras<'_>,
    ) -> Result<TransitionOutcome> {
        let Extras { key, issue_date, digital } = extras;
        // Another person's private draft is answered as a missing id (issue #14).
        self.guard_unseen_document(actor, document_id, action.code(), &format!("văn bản #{document_id}"))?;
        let stored =
            self.document(document_id)?.ok_or_else(|| StoreError::NotFound(format!("văn bản #{document_id}")))?;
        self.guard_not_sealed(actor, super::FiledItem::Document(document_id), action.label())?;
        let user = actor.user();
        let in_person = self.kinds_signed_in_person()?;
        let ruleset = self.effective_ruleset(stored.document.family)?;
        let office = self.office_facts()?;
        let calendar: WorkCalendar = self.work_calendar()?;
        let today = now.date_naive();
        let term = self.setting("party_term")?.unwrap_or_else(|| "2025-2030".to_owned());
        let role = action.roles(stored.state).iter().find(|r| user.roles.contains(r)).copied().unwrap_or(Role::Admin);
        let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        let dated = issue_date.map(|d| {
            let note = format!("ngày ban hành {}", d.format("%d/%m/%Y"));
            comment.map_or(note.clone(), |c| format!("{c} — {note}"))
        });
        let comment = dated.as_deref().or(comment);
        let result = self.write(|tx| {
            // Re-read under the write lock: another process may have moved the document.
            let (state, json, agency_id): (String, String, Option<i64>) = tx.query_row(
                "SELECT state, content_json, agency_id FROM documents WHERE id = ?1",
                [document_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            if state != stored.state.code() {
                return Err(StoreError::Workflow(WorkflowError::State {
                    action: action.label(),
                    state: OutgoingState::from_code(&state).map_or("?", |s| s.label()),
                }));
            }
            // Who may: role and state, then the records (issue #12).
            let facts = super::authority::document_facts(tx, document_id, today, &in_person)?;
            let who = super::authority::actor_facts(tx, actor)?;
            let next = decide(action, &who, &facts, &user.username, comment).map_err(StoreError::Workflow)?;
            let mut document = parse_document(&json).map_err(|e| StoreError::Invalid(e.to_string()))?;
            let mut number = None;
            let mut numbered_in = None;
            if action == Action::Number {
                let date = issue_date.unwrap_or(today);
                check_issue_date(tx, document_id, date, today)?;
                let year = date.year();
                let series = series_of(
                    &document,
                    agency_id,
                    year,
                    &ruleset.numbering.scope,
                    ruleset.numbering.secret_series_separate,
                    &term,
                );
                let n = next_number(tx, &series, &document, year, ruleset.numbering.scope == "kind-term")?;
                if n > i64::from(crate::exchange::limits::MAX_NUMBER) {
                    return Err(StoreError::Invalid(format!(
                        "sổ {series} đã dùng hết số (tối đa {}); quản trị viên cần kiểm tra sổ (register exhausted)",
                        crate::exchange::limits::MAX_NUMBER
                    )));
                }
                if issue_date.is_some() {
                    check_register_order(tx, &series, &document, date)?;
                }
                numbered_in = Some(series);
                let padded =
                    if n < i64::from(ruleset.numbering.zero_pad_below) { format!("{n:02}") } else { n.to_string() };
                let abbreviation = ruleset.kind(document.kind.as_str()).map_or("", |k| k.abbreviation.as_str());
                if document.notation.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    let (unit, drafter): (Option<String>, Option<String>) = tx.query_row(
                        "SELECT u.abbreviation, us.full_name FROM documents d LEFT JOIN units u ON u.id = d.unit_id
                         LEFT JOIN users us ON us.id = d.drafter_id WHERE d.id = ?1",
                        [document_id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )?;
                    let initials = drafter.as_deref().map(name_initials).unwrap_or_default();
                    document.notation = Some(default_notation(&document, abbreviation, unit.as_deref(), &initials));
                }
                document.number = Some(padded);
                document.date = Some(date);
                number = document.number_notation();
            }
            let ctx = CheckContext { today, office: Some(&office), calendar: &calendar };
            let findings = check(&document, &ruleset, &ctx);
            let blocking = blocking_findings(action, &findings);
            if !blocking.is_empty() {
                return Err(StoreError::Workflow(WorkflowError::Blocked {
                    action: action.label(),
                    findings: blocking,
                }));
            }
            let json = document_to_json(&document);
            let hash = sha256_hex(&json);
            tx.execute(
                "UPDATE documents SET state = ?2, content_json = ?3, content_hash = ?4, number = ?5, notation = ?6,
                        date = ?7, year = ?8, updated_at = ?9 WHERE id = ?1",
                params![
                    document_id,
                    next.code(),
                    json,
                    hash,
                    document.number,
                    document.notation,
                    document.date.map(|d| d.to_string()),
                    document.year(),
                    at
                ],
            )?;
            if let Some(series) = numbered_in {
                tx.execute("UPDATE documents SET series = ?2 WHERE id = ?1", params![document_id, series])?;
            }
            if action == Action::Issue {
                deliver_internally(tx, document_id, agency_id, &document, now, user.id, &user.username)?;
            }
            if action == Action::Sign {
                let opened = key.clone().ok_or_else(|| {
                    StoreError::Invalid("ký văn bản cần nhập lại mật khẩu (sign needs the password)".into())
                })?;
                let key = super::signing::install_key(tx, user.id, opened)?;
                tx.execute("UPDATE documents SET signed_content = ?2 WHERE id = ?1", params![document_id, json])?;
                super::signing::record_signature(tx, document_id, user.id, &key, &hash, &at)?;
            }
            let mut comment = comment.map(str::to_owned);
            if let Some(signing) = digital {
                let (sha, files) = super::pki::sign_in_step(
                    tx,
                    document_id,
                    action == Action::Issue,
                    &document,
                    &ruleset,
                    signing,
                    now,
                    user,
                )?;
                let mut note = format!("PDF ký số SHA-256 {sha}");
                for file in files {
                    note.push_str(&format!("; {file}"));
                }
                comment = Some(comment.map_or(note.clone(), |c| format!("{c}; {note}")));
            }
            append_event(
                tx,
                &NewEvent {
                    at: at.clone(),
                    user_id: Some(user.id),
                    username: &user.username,
                    role: role.code(),
                    subject: "document",
                    subject_id: Some(document_id),
                    action: action.code(),
                    state_before: Some(stored.state.code()),
                    state_after: Some(next.code()),
                    content_hash: Some(&hash),
                    comment: comment.as_deref(),
                    effects: None,
                },
            )?;
            let warnings = findings.into_iter().filter(|f| f.severity == crate::ruleset::Severity::Warning).collect();
            Ok(TransitionOutcome { document_id, from: stored.state, to: next, number, warnings })
        });
        result.map_err(|e| match e {
            StoreError::Workflow(WorkflowError::Role { .. } | WorkflowError::Authority { .. }) => {
                self.audit_refusal(actor, "document", Some(document_id), action.code(), e)
            }
            other => other,
        })
    }
}
