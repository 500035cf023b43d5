//! Đúng thẩm quyền bound to identity: who may take a step is a pure function of the
//! actor's records (person, unit, position, the agencies their agency serves) and of
//! the document's records (issuing agency, drafting unit, drafter, the person the
//! signature block resolves to). Roles say what kind of work a user does; these
//! facts say on which documents.
//!
//! The store gathers the facts inside the write transaction and calls [`authorize`];
//! the CLI and the window ask [`authorize`] what to offer.

use chrono::NaiveDate;

use super::{Action, IncomingAction};
use crate::model::{Delegation, DelegationKind, Document, OutgoingState, PositionRank, Role};
use crate::text::name_key;

/// What the records say about the person acting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorFacts {
    /// The account.
    pub user_id: i64,
    /// The roles of the account.
    pub roles: Vec<Role>,
    /// The person record the account belongs to.
    pub person_id: Option<i64>,
    /// The agency the person works for.
    pub agency_id: Option<i64>,
    /// The internal unit (phòng, ban) the person works in.
    pub unit_id: Option<i64>,
    /// The rank of the person's position.
    pub rank: Option<PositionRank>,
    /// The agencies the person's agency serves: itself and those the administrator
    /// recorded (the Văn phòng serves its committee and the advisory bodies).
    pub serves: Vec<i64>,
}

impl ActorFacts {
    fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the actor's agency serves `agency` (or is it).
    pub fn serves_agency(&self, agency: Option<i64>) -> bool {
        agency.is_some_and(|a| self.serves.contains(&a))
    }
}

/// Who must sign a document, resolved from its printed block through the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerResolution {
    /// The person the block names, holding the authority it shows.
    Person {
        /// Their person record.
        person_id: i64,
        /// Their name as recorded.
        name: String,
    },
    /// Nobody may sign it as printed; the reason in Vietnamese.
    Nobody(String),
}

/// What the records say about a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFacts {
    /// Workflow state.
    pub state: OutgoingState,
    /// The issuing agency, when it is one of the database's agencies.
    pub agency_id: Option<i64>,
    /// The issuing body as printed (for messages).
    pub issuer_name: String,
    /// The drafting unit.
    pub unit_id: Option<i64>,
    /// The agency the drafting unit belongs to.
    pub unit_agency_id: Option<i64>,
    /// The drafting account.
    pub drafter_id: Option<i64>,
    /// The drafter shared the draft with colleagues of the unit.
    pub shared_with_unit: bool,
    /// Who must sign.
    pub signer: SignerResolution,
    /// The account that signed it, once signed.
    pub signed_by: Option<i64>,
    /// The people heading the issuing agency (rank head).
    pub agency_heads: Vec<i64>,
}

/// Why the records refuse the step, in Vietnamese.
pub type Refusal = String;

fn unknown_agency(doc: &DocumentFacts) -> Refusal {
    format!(
        "cơ quan ban hành \"{}\" không có trong cơ sở dữ liệu của văn phòng; quản trị viên cần thêm cơ quan trước",
        doc.issuer_name
    )
}

fn serving_van_thu(actor: &ActorFacts, doc: &DocumentFacts, roles: &[Role]) -> Result<(), Refusal> {
    if doc.agency_id.is_none() {
        return Err(unknown_agency(doc));
    }
    if roles.iter().any(|r| actor.has(*r)) && actor.serves_agency(doc.agency_id) {
        Ok(())
    } else {
        Err(format!("chỉ văn thư phục vụ {} mới được làm bước này", doc.issuer_name))
    }
}

/// Whether the actor may edit or submit the draft: its drafter, or a colleague of
/// the drafting unit the drafter shared it with.
pub fn may_draft(actor: &ActorFacts, doc: &DocumentFacts) -> Result<(), Refusal> {
    if !actor.has(Role::Drafter) {
        return Err("cần vai trò chuyên viên soạn thảo".into());
    }
    if doc.drafter_id == Some(actor.user_id) {
        return Ok(());
    }
    let same_unit = doc.unit_id.is_some() && actor.unit_id == doc.unit_id;
    if same_unit && (doc.shared_with_unit || doc.drafter_id.is_none()) {
        return Ok(());
    }
    Err("chỉ người soạn thảo văn bản mới được làm bước này".into())
}

/// Whether the actor heads (or deputises for) the drafting unit.
fn approves_for_unit(actor: &ActorFacts, doc: &DocumentFacts) -> Result<(), Refusal> {
    if !actor.has(Role::UnitHead) {
        return Err("cần vai trò lãnh đạo đơn vị".into());
    }
    let heads_unit =
        doc.unit_id.is_some() && actor.unit_id == doc.unit_id && !matches!(actor.rank, Some(PositionRank::Staff));
    // The head or deputy of the body the unit belongs to (the Chánh Văn phòng over
    // a phòng of the Văn phòng; the Trưởng ban of a Ban without unit heads).
    let drafting_agency = doc.unit_agency_id.or(doc.agency_id);
    let heads_body = actor.unit_id.is_none()
        && matches!(actor.rank, Some(PositionRank::Head | PositionRank::Deputy))
        && drafting_agency.is_some()
        && actor.agency_id == drafting_agency;
    if heads_unit || heads_body {
        Ok(())
    } else {
        Err("chỉ trưởng (hoặc phó) đơn vị soạn thảo mới duyệt nội dung dự thảo của đơn vị".into())
    }
}

fn is_the_signer(actor: &ActorFacts, doc: &DocumentFacts) -> Result<(), Refusal> {
    match &doc.signer {
        SignerResolution::Person { person_id, name } => {
            if actor.has(Role::Leader) && actor.person_id == Some(*person_id) {
                Ok(())
            } else {
                Err(format!("chỉ {name}, người ký ghi trên văn bản, mới được ký"))
            }
        }
        SignerResolution::Nobody(reason) => Err(format!("không ai ký được văn bản này: {reason}")),
    }
}

/// The identity checks of an outgoing step (role and state are checked by
/// [`super::plan`]). `Err` names who may, in Vietnamese.
pub fn authorize(action: Action, actor: &ActorFacts, doc: &DocumentFacts) -> Result<(), Refusal> {
    match action {
        Action::Submit => may_draft(actor, doc),
        Action::Approve => approves_for_unit(actor, doc),
        Action::CheckFormat | Action::Number | Action::Issue => serving_van_thu(actor, doc, &[Role::VanThu]),
        Action::File => serving_van_thu(actor, doc, &[Role::VanThu, Role::Archivist]),
        Action::Sign => is_the_signer(actor, doc),
        Action::Return => match doc.state {
            OutgoingState::ContentReview => approves_for_unit(actor, doc),
            OutgoingState::FormatCheck => serving_van_thu(actor, doc, &[Role::VanThu]),
            _ => is_the_signer(actor, doc),
        },
        Action::Recall => {
            let signed_it = doc.signed_by == Some(actor.user_id);
            let heads = actor.person_id.is_some_and(|p| doc.agency_heads.contains(&p));
            if actor.has(Role::Leader) && (signed_it || heads) {
                Ok(())
            } else {
                Err(format!("chỉ người đã ký hoặc người đứng đầu {} mới được thu hồi", doc.issuer_name))
            }
        }
    }
}

/// What the records say about an incoming letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingFacts {
    /// The receiving agency.
    pub agency_id: i64,
    /// Its name (for messages).
    pub agency_name: String,
    /// The assigned lead handler (chủ trì).
    pub handler_id: Option<i64>,
    /// The co-handlers (phối hợp).
    pub co_handlers: Vec<i64>,
}

/// The identity checks of an incoming step: the văn thư serving the receiving agency
/// registers and presents; a leader of that agency (or of the office serving it)
/// directs (bút phê, assignment), forwards and decides on extensions; the lead
/// handler (chủ trì) starts, records progress, asks for time and resolves.
/// Co-handlers (phối hợp) read the letter and write their opinion on it (ý kiến
/// phối hợp) but take no step on it: the lead handler answers for the result (NĐ 30/2020 Điều 24; Quy chế làm việc mẫu, QĐ 114/2006).
pub fn authorize_incoming(action: IncomingAction, actor: &ActorFacts, letter: &IncomingFacts) -> Result<(), Refusal> {
    let serves = actor.serves_agency(Some(letter.agency_id));
    let lead = letter.handler_id == Some(actor.user_id);
    match action {
        IncomingAction::Register | IncomingAction::Present if actor.has(Role::VanThu) && serves => Ok(()),
        IncomingAction::Register | IncomingAction::Present => {
            Err(format!("chỉ văn thư phục vụ {} mới vào sổ và trình văn bản đến của cơ quan", letter.agency_name))
        }
        IncomingAction::Assign
        | IncomingAction::Forward
        | IncomingAction::GrantExtension
        | IncomingAction::RefuseExtension
            if actor.has(Role::Leader) && serves =>
        {
            Ok(())
        }
        IncomingAction::Assign => Err(format!("chỉ lãnh đạo của {} mới giao xử lý văn bản đến", letter.agency_name)),
        IncomingAction::Forward => {
            Err(format!("chỉ lãnh đạo của {} mới chuyển tiếp văn bản đến cho người khác", letter.agency_name))
        }
        IncomingAction::GrantExtension | IncomingAction::RefuseExtension => {
            Err(format!("chỉ lãnh đạo của {} mới quyết định gia hạn xử lý", letter.agency_name))
        }
        IncomingAction::Start
        | IncomingAction::Resolve
        | IncomingAction::Progress
        | IncomingAction::RequestExtension
            if lead =>
        {
            Ok(())
        }
        IncomingAction::Start
        | IncomingAction::Resolve
        | IncomingAction::Progress
        | IncomingAction::RequestExtension
            if letter.co_handlers.contains(&actor.user_id) =>
        {
            Err("người phối hợp chỉ được xem và ghi ý kiến phối hợp; bước này do người chủ trì xử lý thực hiện".into())
        }
        IncomingAction::Start
        | IncomingAction::Resolve
        | IncomingAction::Progress
        | IncomingAction::RequestExtension => Err("chỉ người chủ trì xử lý được giao mới làm bước này".into()),
        IncomingAction::Opinion if lead || letter.co_handlers.contains(&actor.user_id) => Ok(()),
        IncomingAction::Opinion => {
            Err("chỉ người chủ trì và người phối hợp xử lý văn bản này mới ghi ý kiến phối hợp".into())
        }
    }
}

/// Whether the actor may file, close or change dossiers of `agency` (văn thư or
/// archivist serving it).
pub fn may_keep_dossiers(actor: &ActorFacts, agency: Option<i64>, agency_name: &str) -> Result<(), Refusal> {
    if (actor.has(Role::VanThu) || actor.has(Role::Archivist)) && actor.serves_agency(agency) {
        Ok(())
    } else {
        Err(format!("chỉ văn thư hoặc lưu trữ phục vụ {agency_name} mới làm việc với hồ sơ của cơ quan này"))
    }
}

/// Where a document sits, for deciding who may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentPlace {
    /// The issuing agency.
    pub agency_id: Option<i64>,
    /// The drafting unit.
    pub unit_id: Option<i64>,
    /// The drafting account.
    pub drafter_id: Option<i64>,
    /// Still a draft never submitted (state `draft`): private to its drafter.
    pub unsubmitted: bool,
    /// The drafter shared the draft with the colleagues of the drafting unit.
    pub shared_with_unit: bool,
    /// The drafter's account is active (false once the administrator deactivated it).
    pub drafter_active: bool,
}

impl DocumentPlace {
    /// A draft never submitted that has a drafter: the drafter's working paper.
    pub fn is_private_draft(&self) -> bool {
        self.unsubmitted && self.drafter_id.is_some()
    }
}

/// What the office sees without anyone signed in (the CLI's read commands without
/// `--as`): every document but a draft never submitted.
pub fn office_may_see(place: DocumentPlace) -> bool {
    !place.is_private_draft()
}

/// Whether the document must be answered as if it did not exist: another person's
/// draft never submitted that the actor may not see ([`may_see`]). Other documents
/// the actor may not act on get their ordinary refusal.
pub fn hidden_from(actor: &ActorFacts, place: DocumentPlace) -> bool {
    place.is_private_draft() && !may_see(actor, place)
}

/// Whether the actor may see a document in lists, queues, registers and counts: the
/// administrator sees all; a drafter their own and their unit's documents; a unit
/// head their unit's; the văn thư, the archivist and the leaders the documents of the
/// agencies they serve. A draft never submitted is the exception: only its drafter
/// and the unit colleagues it was shared with see it (not even the administrator);
/// once the drafter's account is deactivated, the head of the drafting unit sees it
/// too (the unit's work does not vanish with the person who left).
pub fn may_see(actor: &ActorFacts, place: DocumentPlace) -> bool {
    if place.drafter_id == Some(actor.user_id) {
        return true;
    }
    let unit = place.unit_id.is_some() && actor.unit_id == place.unit_id;
    if place.unsubmitted && place.drafter_id.is_some() {
        // A draft nobody was asked to look at yet is the drafter's working paper: not
        // the administrator's, the leaders' or the văn thư's (NĐ 30 Điều 10.2 gives the
        // drafting to the drafter until it is submitted), only the unit colleagues
        // it was shared with (who may then edit it, [`may_draft`]).
        let shared = place.shared_with_unit && unit && (actor.has(Role::Drafter) || actor.has(Role::UnitHead));
        // The drafter left (account deactivated): the unit head takes over the paper.
        let orphaned = !place.drafter_active && unit && actor.has(Role::UnitHead);
        return shared || orphaned;
    }
    if actor.has(Role::Admin) {
        return true;
    }
    if unit && (actor.has(Role::Drafter) || actor.has(Role::UnitHead)) {
        return true;
    }
    [Role::VanThu, Role::Archivist, Role::Leader].iter().any(|r| actor.has(*r)) && actor.serves_agency(place.agency_id)
}

/// Whether the handler of a letter may link the document as its reply (NĐ 30 Điều
/// 24: the handler answers through their own or their unit's document): one they
/// may see that they drafted or that their unit drafted; for someone outside any unit
/// (a leader, the văn thư), a document of an agency they serve. Other people's
/// unsubmitted drafts never qualify ([`may_see`]).
pub fn may_link_reply(actor: &ActorFacts, place: DocumentPlace) -> bool {
    may_see(actor, place)
        && (place.drafter_id == Some(actor.user_id)
            || place.unit_id.is_some() && place.unit_id == actor.unit_id
            || actor.unit_id.is_none() && actor.serves_agency(place.agency_id))
}

/// Whether the actor may see an incoming letter: those serving the receiving agency
/// (văn thư, archivist, leaders), its lead handler and co-handlers (`involved`), and
/// the administrator.
pub fn may_see_incoming(actor: &ActorFacts, agency_id: i64, involved: bool) -> bool {
    actor.has(Role::Admin)
        || involved
        || [Role::VanThu, Role::Archivist, Role::Leader].iter().any(|r| actor.has(*r))
            && actor.serves_agency(Some(agency_id))
}

/// One person of the organisation, with their position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgPerson {
    /// Person record.
    pub id: i64,
    /// Full name.
    pub full_name: String,
    /// Position record.
    pub position_id: Option<i64>,
    /// The position's title as printed.
    pub position_title: Option<String>,
    /// The agency of the position.
    pub position_agency_id: Option<i64>,
    /// The position's rank.
    pub rank: Option<PositionRank>,
}

/// The organisation records a signer is resolved against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgFacts {
    /// Every person.
    pub people: Vec<OrgPerson>,
    /// The authority matrix: (agency, position, kind or `*`).
    pub authority: Vec<(i64, i64, String)>,
    /// Every delegation, with the title of the delegating position.
    pub delegations: Vec<(Delegation, String)>,
}

/// The meaning of a printed form, whatever its spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Capacity {
    Own,
    Collective,
    Deputy,
    ByOrder,
    ByDelegation,
    Acting,
}

fn capacity(form: Option<&str>) -> Option<Capacity> {
    let key: String = form.unwrap_or("").chars().filter(|c| c.is_alphabetic()).flat_map(char::to_uppercase).collect();
    match key.as_str() {
        "" => Some(Capacity::Own),
        "TM" => Some(Capacity::Collective),
        "KT" => Some(Capacity::Deputy),
        "TL" => Some(Capacity::ByOrder),
        "TUQ" => Some(Capacity::ByDelegation),
        "Q" => Some(Capacity::Acting),
        _ => None,
    }
}

/// Resolves the printed signature block of `doc`, issued by `agency`, to the one
/// person who may sign it on `on`: the person named, holding the printed position,
/// with the authority the form shows (the authority matrix of the agency for a
/// signature in the agency's name; a recorded delegation in force, covering the
/// kind, for TL., TUQ., T/L and Q.). `kinds_signed_in_person` (biên bản) are signed
/// by the person named in the agency, whatever the matrix.
pub fn resolve_signer(
    doc: &Document,
    agency: i64,
    org: &OrgFacts,
    on: NaiveDate,
    kinds_signed_in_person: &[String],
) -> SignerResolution {
    let signer = &doc.signer;
    let kind = doc.kind.as_str();
    let name = name_key(&signer.name);
    let named: Vec<&OrgPerson> = org.people.iter().filter(|p| name_key(&p.full_name) == name).collect();
    if name.is_empty() || named.is_empty() {
        return SignerResolution::Nobody(format!(
            "không có người tên \"{}\" trong danh sách cán bộ",
            signer.name.trim()
        ));
    }
    let position = name_key(&signer.position);
    let holding: Vec<&OrgPerson> = named
        .iter()
        .copied()
        .filter(|p| p.position_title.as_deref().is_some_and(|t| name_key(t) == position))
        .collect();
    if holding.is_empty() {
        return SignerResolution::Nobody(format!(
            "{} không giữ chức vụ \"{}\" trong danh sách cán bộ",
            signer.name.trim(),
            signer.position.trim()
        ));
    }
    if kinds_signed_in_person.iter().any(|k| k == kind) {
        let in_agency: Vec<&OrgPerson> =
            holding.iter().copied().filter(|p| p.position_agency_id == Some(agency)).collect();
        return one(&in_agency, signer.name.trim());
    }
    let Some(capacity) = capacity(signer.form.as_deref()) else {
        return SignerResolution::Nobody(format!(
            "hình thức ký \"{}\" không hợp lệ",
            signer.form.as_deref().unwrap_or("")
        ));
    };
    let principal = name_key(signer.principal.as_deref().unwrap_or(""));
    let granted = |p: &OrgPerson| {
        let Some(position) = p.position_id else { return false };
        let rows: Vec<&(i64, i64, String)> = org.authority.iter().filter(|(a, _, _)| *a == agency).collect();
        if rows.is_empty() {
            // No matrix recorded for the agency: the head, and a deputy signing KT.
            return match capacity {
                Capacity::Deputy => p.rank == Some(PositionRank::Deputy),
                _ => p.rank == Some(PositionRank::Head),
            };
        }
        rows.iter().any(|(_, pos, k)| *pos == position && (k == "*" || k == kind))
    };
    let delegated = |p: &OrgPerson, wanted: &[DelegationKind]| {
        org.delegations.iter().any(|(d, from_title)| {
            d.agency_id == agency
                && d.to_person_id == p.id
                && wanted.contains(&d.kind)
                && d.covers(kind, on)
                // The principal printed is the delegating title, or a collective
                // (T/L BAN THƯỜNG VỤ) that no position carries.
                && (principal.is_empty()
                    || name_key(from_title) == principal
                    || !org.people.iter().any(|o| o.position_title.as_deref().is_some_and(|t| name_key(t) == principal)))
        })
    };
    // A two-level block (NĐ 30 Điều 13.2, 13.4): a deputy signs KT. for the head
    // under TM., or for the unit head who holds the TL./TUQ. delegation.
    let deputy_line = signer.deputy.as_ref().filter(|d| capacity_of_line(&d.form) == Some(Capacity::Deputy));
    if let Some(line) = deputy_line {
        let head_title = name_key(&line.principal);
        let wanted: &[DelegationKind] = match capacity {
            Capacity::ByOrder => &[DelegationKind::ThuaLenh, DelegationKind::PartyThuaLenh],
            Capacity::ByDelegation => &[DelegationKind::ThuaUyQuyen],
            Capacity::Acting => &[DelegationKind::Acting],
            Capacity::Own | Capacity::Collective | Capacity::Deputy => &[],
        };
        let allowed: Vec<&OrgPerson> = holding
            .iter()
            .copied()
            .filter(|p| {
                let deputy_rank = matches!(p.rank, Some(PositionRank::Deputy | PositionRank::UnitDeputy));
                if wanted.is_empty() {
                    return deputy_rank
                        && p.position_agency_id == Some(agency)
                        && granted_as_deputy(p, agency, kind, org);
                }
                // The unit head holding the delegation, and the signer their deputy in the same body.
                deputy_rank
                    && org.delegations.iter().any(|(d, _)| {
                        d.agency_id == agency
                            && wanted.contains(&d.kind)
                            && d.covers(kind, on)
                            && org.people.iter().any(|holder| {
                                holder.id == d.to_person_id
                                    && holder.position_title.as_deref().is_some_and(|t| name_key(t) == head_title)
                                    && holder.position_agency_id == p.position_agency_id
                            })
                    })
            })
            .collect();
        if allowed.is_empty() {
            return SignerResolution::Nobody(format!(
                "{} ({}) không ký thay {} được cho văn bản này theo phân quyền và giao quyền ngày {}",
                signer.name.trim(),
                signer.position.trim(),
                line.principal.trim(),
                on.format("%d/%m/%Y")
            ));
        }
        return one(&allowed, signer.name.trim());
    }
    let allowed: Vec<&OrgPerson> = holding
        .iter()
        .copied()
        .filter(|p| match capacity {
            Capacity::Own | Capacity::Collective | Capacity::Deputy => {
                p.position_agency_id == Some(agency) && granted(p)
            }
            Capacity::ByOrder => delegated(p, &[DelegationKind::ThuaLenh, DelegationKind::PartyThuaLenh]),
            Capacity::ByDelegation => delegated(p, &[DelegationKind::ThuaUyQuyen]),
            Capacity::Acting => delegated(p, &[DelegationKind::Acting]),
        })
        .collect();
    if allowed.is_empty() {
        let why = match capacity {
            Capacity::ByOrder | Capacity::ByDelegation | Capacity::Acting => format!(
                "không có văn bản giao quyền ký ({}) cho {} còn hiệu lực ngày {} bao gồm loại văn bản này",
                signer.form.as_deref().unwrap_or("").trim(),
                signer.name.trim(),
                on.format("%d/%m/%Y")
            ),
            _ => format!(
                "theo phân quyền ký, {} ({}) không được ký loại văn bản này của cơ quan ban hành",
                signer.name.trim(),
                signer.position.trim()
            ),
        };
        return SignerResolution::Nobody(why);
    }
    one(&allowed, signer.name.trim())
}

fn capacity_of_line(form: &str) -> Option<Capacity> {
    capacity(Some(form))
}

/// A deputy's grant: the matrix of the agency when it has one, else the deputy rank.
fn granted_as_deputy(p: &OrgPerson, agency: i64, kind: &str, org: &OrgFacts) -> bool {
    let rows: Vec<&(i64, i64, String)> = org.authority.iter().filter(|(a, _, _)| *a == agency).collect();
    if rows.is_empty() {
        return p.rank == Some(PositionRank::Deputy);
    }
    p.position_id.is_some_and(|pos| rows.iter().any(|(_, position, k)| *position == pos && (k == "*" || k == kind)))
}

fn one(people: &[&OrgPerson], printed: &str) -> SignerResolution {
    match people {
        [p] => SignerResolution::Person { person_id: p.id, name: p.full_name.clone() },
        [] => SignerResolution::Nobody(format!("{printed} không thuộc cơ quan ban hành")),
        _ => SignerResolution::Nobody(format!(
            "có {} người cùng tên \"{printed}\" và cùng chức vụ: quản trị viên cần phân biệt hồ sơ cán bộ",
            people.len()
        )),
    }
}

#[cfg(test)]
#[path = "authority_tests.rs"]
mod tests;
