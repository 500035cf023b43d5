//! Every (actor profile × agency relation × action) against an explicit table of who
//! may, and the signer resolution against the organisation records.

use chrono::NaiveDate;

use super::*;
use crate::model::{Delegation, DelegationKind, Document, OutgoingState, PositionRank, Role};
use crate::workflow::{Action, IncomingAction, available_to, decide};

const UBND: i64 = 1;
const VP_UBND: i64 = 2;
const VP_TU: i64 = 3;
const TU: i64 = 4;
const UNIT: i64 = 10;
const OTHER_UNIT: i64 = 11;
const DRAFTER: i64 = 100;
const SIGNER_USER: i64 = 108;
const SIGNER_PERSON: i64 = 208;

fn actor(user_id: i64, roles: &[Role], agency: i64, unit: Option<i64>, rank: PositionRank) -> ActorFacts {
    let serves = match agency {
        VP_UBND => vec![VP_UBND, UBND],
        VP_TU => vec![VP_TU, TU],
        a => vec![a],
    };
    ActorFacts {
        user_id,
        roles: roles.to_vec(),
        person_id: Some(user_id + 100),
        agency_id: Some(agency),
        unit_id: unit,
        rank: Some(rank),
        serves,
    }
}

/// The people of the table, by name.
fn profiles() -> Vec<(&'static str, ActorFacts)> {
    use PositionRank::*;
    vec![
        ("drafter", actor(DRAFTER, &[Role::Drafter], VP_UBND, Some(UNIT), Staff)),
        ("colleague", actor(101, &[Role::Drafter], VP_UBND, Some(UNIT), Staff)),
        ("drafter-other-unit", actor(102, &[Role::Drafter], VP_UBND, Some(OTHER_UNIT), Staff)),
        ("unit-head", actor(103, &[Role::UnitHead], VP_UBND, Some(UNIT), UnitHead)),
        ("unit-head-other-unit", actor(104, &[Role::UnitHead], VP_UBND, Some(OTHER_UNIT), UnitHead)),
        ("van-thu", actor(105, &[Role::VanThu], VP_UBND, Some(OTHER_UNIT), Staff)),
        ("van-thu-party", actor(106, &[Role::VanThu], VP_TU, None, Staff)),
        ("archivist", actor(107, &[Role::Archivist], VP_UBND, Some(OTHER_UNIT), Staff)),
        ("archivist-party", actor(117, &[Role::Archivist], VP_TU, None, Staff)),
        ("signer", actor(SIGNER_USER, &[Role::Leader], UBND, None, Head)),
        ("deputy-leader", actor(109, &[Role::Leader], UBND, None, Deputy)),
        ("party-secretary", actor(110, &[Role::Leader], TU, None, Head)),
        ("office-chief", actor(112, &[Role::Leader, Role::UnitHead], VP_UBND, None, Head)),
        ("admin", actor(111, &[Role::Admin], VP_UBND, None, Staff)),
    ]
}

fn document(state: OutgoingState, shared: bool) -> DocumentFacts {
    DocumentFacts {
        state,
        agency_id: Some(UBND),
        issuer_name: "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC".into(),
        unit_id: Some(UNIT),
        unit_agency_id: Some(VP_UBND),
        drafter_id: Some(DRAFTER),
        shared_with_unit: shared,
        signer: SignerResolution::Person { person_id: SIGNER_PERSON, name: "Hoàng Minh Đức".into() },
        signed_by: Some(SIGNER_USER),
        agency_heads: vec![SIGNER_PERSON],
    }
}

/// Who may take each step on a UBND document drafted in unit 10 of the VP UBND.
fn expected(action: Action, state: OutgoingState, shared: bool) -> &'static [&'static str] {
    use OutgoingState::*;
    match (action, state) {
        (Action::Submit, _) if shared => &["drafter", "colleague"],
        (Action::Submit, _) => &["drafter"],
        // The head of the drafting unit, or the head of the body the unit belongs to.
        (Action::Approve, _) | (Action::Return, ContentReview) => &["unit-head", "office-chief"],
        (Action::CheckFormat | Action::Number | Action::Issue, _) | (Action::Return, FormatCheck) => &["van-thu"],
        (Action::Sign, _) | (Action::Return, AwaitingSignature) => &["signer"],
        (Action::File, _) => &["van-thu", "archivist"],
        (Action::Recall, _) => &["signer"],
        (Action::Return, _) => &[],
    }
}

#[test]
fn every_profile_action_and_relation_follows_the_table() {
    let mut checked = 0;
    for shared in [false, true] {
        for action in Action::ALL {
            for &state in action.from_states() {
                let doc = document(state, shared);
                let allowed: Vec<&str> = profiles()
                    .into_iter()
                    .filter(|(_, a)| decide(action, a, &doc, "u", Some("ý kiến")).is_ok())
                    .map(|(name, _)| name)
                    .collect();
                assert_eq!(allowed, expected(action, state, shared), "{action:?} from {state:?} shared={shared}");
                for (name, a) in profiles() {
                    let offered = available_to(&a, &doc).contains(&action);
                    assert_eq!(offered, allowed.contains(&name), "{name} offered {action:?} in {state:?}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 300, "{checked}");
}

#[test]
fn refusals_name_who_may() {
    let doc = document(OutgoingState::AwaitingSignature, false);
    let profiles = profiles();
    let secretary = &profiles.iter().find(|(n, _)| *n == "party-secretary").unwrap().1;
    let err = decide(Action::Sign, secretary, &doc, "nguyendinhkhoi", None).unwrap_err().to_string();
    assert!(err.contains("Hoàng Minh Đức"), "{err}");
    assert!(err.starts_with("nguyendinhkhoi không được Ký"), "{err}");
    let unknown = DocumentFacts { agency_id: None, ..document(OutgoingState::Signed, false) };
    let van_thu = &profiles.iter().find(|(n, _)| *n == "van-thu").unwrap().1;
    let err = decide(Action::Number, van_thu, &unknown, "vt", None).unwrap_err().to_string();
    assert!(err.contains("không có trong cơ sở dữ liệu"), "{err}");
    let nobody = DocumentFacts {
        signer: SignerResolution::Nobody("không có người tên \"X\"".into()),
        ..document(OutgoingState::AwaitingSignature, false)
    };
    let signer = &profiles.iter().find(|(n, _)| *n == "signer").unwrap().1;
    assert!(decide(Action::Sign, signer, &nobody, "s", None).unwrap_err().to_string().contains("không ai ký"));
}

#[test]
fn the_head_of_the_agency_recalls_what_a_deputy_signed() {
    let doc = DocumentFacts { signed_by: Some(109), ..document(OutgoingState::Issued, false) };
    let allowed: Vec<&str> = profiles()
        .into_iter()
        .filter(|(_, a)| decide(Action::Recall, a, &doc, "u", Some("thu hồi")).is_ok())
        .map(|(n, _)| n)
        .collect();
    assert_eq!(allowed, ["signer", "deputy-leader"]);
}

#[test]
fn a_body_without_units_is_approved_by_its_head() {
    // A Ban of the Tỉnh ủy: the drafter's unit belongs to the Ban; its head has no unit.
    let doc = DocumentFacts {
        agency_id: Some(TU),
        unit_id: Some(50),
        unit_agency_id: Some(60),
        ..document(OutgoingState::ContentReview, false)
    };
    let mut head = actor(300, &[Role::Leader, Role::UnitHead], 60, None, PositionRank::Head);
    assert!(decide(Action::Approve, &head, &doc, "truongban", None).is_ok());
    head.agency_id = Some(61);
    assert!(decide(Action::Approve, &head, &doc, "truongban", None).is_err(), "another Ban's head");
}

#[test]
fn incoming_steps_follow_the_receiving_agency() {
    // 102 leads the handling, 101 co-handles (phối hợp).
    let letter =
        IncomingFacts { agency_id: UBND, agency_name: "UBND".into(), handler_id: Some(102), co_handlers: vec![101] };
    let who = |action| -> Vec<&'static str> {
        profiles().into_iter().filter(|(_, a)| authorize_incoming(action, a, &letter).is_ok()).map(|(n, _)| n).collect()
    };
    assert_eq!(who(IncomingAction::Register), ["van-thu"]);
    assert_eq!(who(IncomingAction::Present), ["van-thu"]);
    let leaders = ["signer", "deputy-leader", "office-chief"];
    for action in [
        IncomingAction::Assign,
        IncomingAction::Forward,
        IncomingAction::GrantExtension,
        IncomingAction::RefuseExtension,
    ] {
        assert_eq!(who(action), leaders, "{action:?}: the leaders serving the UBND, not the Party secretary");
    }
    for action in
        [IncomingAction::Start, IncomingAction::Progress, IncomingAction::RequestExtension, IncomingAction::Resolve]
    {
        assert_eq!(who(action), ["drafter-other-unit"], "{action:?}: the lead handler only");
        let colleague = profiles().into_iter().find(|(n, _)| *n == "colleague").unwrap().1;
        let refusal = authorize_incoming(action, &colleague, &letter).unwrap_err();
        assert!(refusal.contains("phối hợp chỉ được xem"), "{action:?}: {refusal}");
    }
}

#[test]
fn co_handlers_and_handlers_see_the_letter() {
    let all = profiles();
    let get = |name: &str| all.iter().find(|(n, _)| *n == name).unwrap().1.clone();
    assert!(may_see_incoming(&get("colleague"), UBND, true), "a co-handler sees it");
    assert!(!may_see_incoming(&get("colleague"), UBND, false), "a drafter not involved does not");
    assert!(may_see_incoming(&get("van-thu"), UBND, false));
    assert!(!may_see_incoming(&get("van-thu-party"), UBND, false), "the Party's văn thư does not");
}

#[test]
fn dossiers_are_kept_by_those_serving_their_agency() {
    let allowed: Vec<&str> = profiles()
        .into_iter()
        .filter(|(_, a)| may_keep_dossiers(a, Some(TU), "Tỉnh ủy").is_ok())
        .map(|(n, _)| n)
        .collect();
    assert_eq!(allowed, ["van-thu-party", "archivist-party"]);
}

// ---- signer resolution ---------------------------------------------------------

fn person(id: i64, name: &str, position: i64, title: &str, agency: i64, rank: PositionRank) -> OrgPerson {
    OrgPerson {
        id,
        full_name: name.into(),
        position_id: Some(position),
        position_title: Some(title.into()),
        position_agency_id: Some(agency),
        rank: Some(rank),
    }
}

fn org() -> OrgFacts {
    use PositionRank::*;
    OrgFacts {
        people: vec![
            person(1, "Hoàng Minh Đức", 11, "CHỦ TỊCH", UBND, Head),
            person(2, "Lê Thị Thu Hà", 12, "PHÓ CHỦ TỊCH", UBND, Deputy),
            person(3, "Phạm Văn Thắng", 21, "CHÁNH VĂN PHÒNG", VP_UBND, Head),
            person(4, "Nguyễn Đình Khôi", 41, "BÍ THƯ", TU, Head),
            person(5, "Võ Thị Ngọc Lan", 22, "PHÓ CHÁNH VĂN PHÒNG", VP_UBND, Deputy),
        ],
        authority: vec![(UBND, 11, "*".into()), (UBND, 12, "cong-van".into())],
        delegations: vec![(
            Delegation {
                id: 1,
                kind: DelegationKind::ThuaLenh,
                agency_id: UBND,
                from_position_id: 11,
                to_person_id: 3,
                scope: vec!["giay-moi".into()],
                valid_from: day(2026, 1, 1),
                valid_until: day(2026, 12, 31),
                basis: "Quyết định 1/QĐ-UBND".into(),
            },
            "CHỦ TỊCH".into(),
        )],
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn doc(kind: &str, form: Option<&str>, principal: Option<&str>, position: &str, name: &str) -> Document {
    let mut d: Document = crate::exchange::parse_document(include_str!(
        "../../../tests/fixtures/corpus/ok/state-cong-van-phong-chong-sot-xuat-huyet.json"
    ))
    .expect("fixture parses");
    d.kind = crate::model::KindCode::new(kind).expect("known kind");
    d.signer.form = form.map(str::to_owned);
    d.signer.principal = principal.map(str::to_owned);
    d.signer.position = position.into();
    d.signer.name = name.into();
    d
}

fn resolves(d: &Document, on: NaiveDate) -> SignerResolution {
    resolve_signer(d, UBND, &org(), on, &["bien-ban".to_owned()])
}

#[test]
fn the_printed_block_resolves_to_one_person() {
    let on = day(2026, 5, 4);
    let chair = doc("to-trinh", Some("TM."), Some("ỦY BAN NHÂN DÂN"), "CHỦ TỊCH", "Hoàng Minh Đức");
    assert_eq!(resolves(&chair, on), SignerResolution::Person { person_id: 1, name: "Hoàng Minh Đức".into() });
    // Old-style tone marks and spacing in the printed name still resolve.
    let spaced = doc("to-trinh", Some("TM."), Some("ỦY BAN NHÂN DÂN"), "CHỦ TỊCH", " hoàng  minh đức ");
    assert!(matches!(resolves(&spaced, on), SignerResolution::Person { person_id: 1, .. }));
    // A deputy signs KT. only the kinds the matrix grants the position.
    let deputy = doc("cong-van", Some("KT."), Some("CHỦ TỊCH"), "PHÓ CHỦ TỊCH", "Lê Thị Thu Hà");
    assert!(matches!(resolves(&deputy, on), SignerResolution::Person { person_id: 2, .. }));
    let deputy_decision = doc("quyet-dinh", Some("KT."), Some("CHỦ TỊCH"), "PHÓ CHỦ TỊCH", "Lê Thị Thu Hà");
    assert!(matches!(resolves(&deputy_decision, on), SignerResolution::Nobody(r) if r.contains("phân quyền")));
    // The wrong title for the person, or a person of another agency.
    let wrong_title = doc("to-trinh", Some("TM."), Some("ỦY BAN NHÂN DÂN"), "CHỦ TỊCH", "Lê Thị Thu Hà");
    assert!(matches!(resolves(&wrong_title, on), SignerResolution::Nobody(r) if r.contains("không giữ chức vụ")));
    let foreign = doc("to-trinh", None, None, "BÍ THƯ", "Nguyễn Đình Khôi");
    assert!(matches!(resolves(&foreign, on), SignerResolution::Nobody(_)));
    let unknown = doc("to-trinh", None, None, "CHỦ TỊCH", "Người Lạ");
    assert!(matches!(resolves(&unknown, on), SignerResolution::Nobody(r) if r.contains("Người Lạ")));
}

#[test]
fn by_order_needs_a_delegation_in_force_covering_the_kind() {
    let invitation = doc("giay-moi", Some("TL."), Some("CHỦ TỊCH"), "CHÁNH VĂN PHÒNG", "Phạm Văn Thắng");
    assert!(matches!(resolves(&invitation, day(2026, 5, 4)), SignerResolution::Person { person_id: 3, .. }));
    assert!(matches!(resolves(&invitation, day(2027, 1, 2)), SignerResolution::Nobody(r) if r.contains("02/01/2027")));
    let letter = doc("cong-van", Some("TL."), Some("CHỦ TỊCH"), "CHÁNH VĂN PHÒNG", "Phạm Văn Thắng");
    assert!(matches!(resolves(&letter, day(2026, 5, 4)), SignerResolution::Nobody(_)), "scope");
    let other = doc("giay-moi", Some("TL."), Some("CHỦ TỊCH"), "PHÓ CHÁNH VĂN PHÒNG", "Võ Thị Ngọc Lan");
    assert!(matches!(resolves(&other, day(2026, 5, 4)), SignerResolution::Nobody(_)), "no delegation to her");
    let by_delegation = doc("giay-moi", Some("TUQ."), Some("CHỦ TỊCH"), "CHÁNH VĂN PHÒNG", "Phạm Văn Thắng");
    assert!(matches!(resolves(&by_delegation, day(2026, 5, 4)), SignerResolution::Nobody(_)), "TL is not TUQ");
}

#[test]
fn two_people_of_the_same_name_and_title_are_not_guessed() {
    let mut facts = org();
    facts.people.push(person(9, "Hoàng Minh Đức", 11, "CHỦ TỊCH", UBND, PositionRank::Head));
    let chair = doc("to-trinh", Some("TM."), Some("ỦY BAN NHÂN DÂN"), "CHỦ TỊCH", "Hoàng Minh Đức");
    let resolution = resolve_signer(&chair, UBND, &facts, day(2026, 5, 4), &[]);
    assert!(matches!(resolution, SignerResolution::Nobody(r) if r.contains("cùng tên")));
}

#[test]
fn two_level_blocks_resolve_to_the_deputy_who_may_sign_them() {
    let on = day(2026, 5, 4);
    let mut under_collective = doc("cong-van", Some("TM."), Some("ỦY BAN NHÂN DÂN"), "PHÓ CHỦ TỊCH", "Lê Thị Thu Hà");
    under_collective.signer.deputy =
        Some(crate::model::DeputyLine { form: "KT.".into(), principal: "CHỦ TỊCH".into() });
    assert!(matches!(resolves(&under_collective, on), SignerResolution::Person { person_id: 2, .. }));
    // The matrix does not grant the deputy a quyết định.
    let mut decision = under_collective.clone();
    decision.kind = crate::model::KindCode::new("quyet-dinh").unwrap();
    assert!(matches!(resolves(&decision, on), SignerResolution::Nobody(_)));
    // TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG: the Chánh Văn phòng holds
    // the delegation; his deputy signs for him, within its scope and dates.
    let mut by_order = doc("giay-moi", Some("TL."), Some("CHỦ TỊCH"), "PHÓ CHÁNH VĂN PHÒNG", "Võ Thị Ngọc Lan");
    by_order.signer.deputy =
        Some(crate::model::DeputyLine { form: "KT.".into(), principal: "CHÁNH VĂN PHÒNG".into() });
    assert!(matches!(resolves(&by_order, on), SignerResolution::Person { person_id: 5, .. }));
    assert!(matches!(resolves(&by_order, day(2027, 3, 1)), SignerResolution::Nobody(_)), "the delegation ended");
    let mut out_of_scope = by_order.clone();
    out_of_scope.kind = crate::model::KindCode::new("cong-van").unwrap();
    assert!(matches!(resolves(&out_of_scope, on), SignerResolution::Nobody(_)));
}

/// Who sees a draft of the Văn phòng's unit `UNIT`, by its state and sharing; who may
/// link it as a reply.
#[test]
fn an_unsubmitted_draft_is_seen_by_its_drafter_and_those_it_was_shared_with() {
    let place = |unsubmitted: bool, shared: bool| DocumentPlace {
        agency_id: Some(UBND),
        unit_id: Some(UNIT),
        drafter_id: Some(DRAFTER),
        unsubmitted,
        shared_with_unit: shared,
        drafter_active: true,
    };
    let seeing = |p: DocumentPlace| -> Vec<&'static str> {
        profiles().into_iter().filter(|(_, a)| may_see(a, p)).map(|(n, _)| n).collect()
    };
    assert_eq!(seeing(place(true, false)), ["drafter"], "private until submitted, even for the administrator");
    assert_eq!(seeing(place(true, true)), ["drafter", "colleague", "unit-head"], "shared with the unit");
    let submitted = seeing(place(false, false));
    for name in ["drafter", "colleague", "unit-head", "van-thu", "signer", "deputy-leader", "office-chief", "admin"] {
        assert!(submitted.contains(&name), "{name} sees it once submitted: {submitted:?}");
    }
    assert!(!submitted.contains(&"drafter-other-unit") && !submitted.contains(&"van-thu-party"));
    // A reply is one's own or one's unit's document; outside any unit, the agency's.
    let linking: Vec<&str> =
        profiles().into_iter().filter(|(_, a)| may_link_reply(a, place(false, false))).map(|(n, _)| n).collect();
    assert!(linking.contains(&"drafter") && linking.contains(&"colleague") && linking.contains(&"signer"));
    assert!(!linking.contains(&"van-thu") && !linking.contains(&"drafter-other-unit"), "{linking:?}");
    let private: Vec<&str> =
        profiles().into_iter().filter(|(_, a)| may_link_reply(a, place(true, false))).map(|(n, _)| n).collect();
    assert_eq!(private, ["drafter"]);
}
