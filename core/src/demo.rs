//! The demo office: a Party body and a state body with people in every role and
//! documents in every workflow state, loaded in one transaction and idempotently.
//!
//! The data lives in `assets/demo/` (`office.toml` and one `vanthu.document/1`
//! file per outgoing document) and is embedded at build time.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::add_working_weekdays;
use crate::exchange::parse_document;
use crate::model::{DelegationKind, Family, IncomingState, OutgoingState, PositionRank, Role, Urgency};
use crate::store::accounts::{hash_password, insert_user, user_id_by_name};
use crate::store::documents::insert_document;
use crate::store::incoming::{insert_incoming, next_arrival_number};
use crate::store::org::{
    insert_person, upsert_agency, upsert_authority, upsert_delegation, upsert_position, upsert_unit,
};
use crate::store::{
    ImportOptions, NewAgency, NewDelegation, NewIncoming, NewPerson, NewPosition, NewUnit, NewUser, Result, Store,
    StoreError,
};

include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "demo";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Office {
    agency: Vec<AgencySpec>,
    #[serde(default)]
    unit: Vec<UnitSpec>,
    #[serde(default)]
    position: Vec<PositionSpec>,
    #[serde(default)]
    person: Vec<PersonSpec>,
    #[serde(default)]
    delegation: Vec<DelegationSpec>,
    #[serde(default)]
    authority: Vec<AuthoritySpec>,
    #[serde(default)]
    serves: Vec<ServesSpec>,
    #[serde(default)]
    outgoing: Vec<OutgoingSpec>,
    #[serde(default)]
    incoming: Vec<IncomingSpec>,
}

#[derive(Debug, Deserialize)]
struct AgencySpec {
    key: String,
    family: Family,
    #[serde(default)]
    parent_agency: String,
    #[serde(default)]
    parent_name: String,
    name: String,
    short_name: String,
    abbreviation: String,
    place: String,
    collective: bool,
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
}

#[derive(Debug, Deserialize)]
struct UnitSpec {
    agency: String,
    key: String,
    name: String,
    abbreviation: String,
}

#[derive(Debug, Deserialize)]
struct PositionSpec {
    agency: String,
    key: String,
    title: String,
    rank: PositionRank,
}

#[derive(Debug, Deserialize)]
struct PersonSpec {
    username: String,
    full_name: String,
    agency: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    position: String,
    roles: Vec<Role>,
}

#[derive(Debug, Deserialize)]
struct DelegationSpec {
    kind: DelegationKind,
    agency: String,
    from_position: String,
    to_person: String,
    #[serde(default)]
    scope: Vec<String>,
    valid_from: NaiveDate,
    valid_until: NaiveDate,
    basis: String,
}

#[derive(Debug, Deserialize)]
struct AuthoritySpec {
    agency: String,
    position: String,
    kinds: Vec<String>,
}

/// The office of `provider` serves the agencies `served` (issue #12).
#[derive(Debug, Deserialize)]
struct ServesSpec {
    provider: String,
    served: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct OutgoingSpec {
    file: String,
    #[allow(dead_code)]
    agency: String,
    #[serde(default)]
    unit: String,
    drafter: String,
    #[serde(default)]
    signer: String,
    state: OutgoingState,
}

#[derive(Debug, Deserialize)]
struct IncomingSpec {
    agency: String,
    sender: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    notation: String,
    kind: String,
    #[serde(default)]
    date: Option<NaiveDate>,
    subject: String,
    #[serde(default)]
    urgency: String,
    /// Arrival, in working days before the day the demo is loaded.
    arrived_working_days_ago: i64,
    state: IncomingState,
    #[serde(default)]
    handler: String,
    #[serde(default)]
    lead_unit: String,
    #[serde(default)]
    deadline_in_working_days: Option<i64>,
}

/// What a demo load added (all zero when the demo was already there).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoReport {
    /// Accounts created.
    pub users_added: usize,
    /// Outgoing documents created.
    pub documents_added: usize,
    /// Incoming documents created.
    pub incoming_added: usize,
}

fn invalid(message: String) -> StoreError {
    StoreError::Invalid(format!("dữ liệu mẫu: {message}"))
}

fn opt(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_owned())
}

fn lookup(map: &HashMap<String, i64>, key: &str, what: &str) -> Result<i64> {
    map.get(key).copied().ok_or_else(|| invalid(format!("{what} `{key}` không có trong office.toml")))
}

fn lookup_opt(map: &HashMap<String, i64>, key: &str, what: &str) -> Result<Option<i64>> {
    if key.is_empty() { Ok(None) } else { lookup(map, key, what).map(Some) }
}

/// Loads the demo office into `store` (agencies, people, documents in every state,
/// incoming mail, no file plan), with deadlines and arrival dates relative
/// to `today`. Only into a database without accounts: the demo's well-known
/// password must never reach a real office ([`StoreError::Denied`] otherwise,
/// nothing written). Its `demo` events name the demo files' SHA-256.
pub fn load_demo_office(store: &mut Store, today: NaiveDate) -> Result<DemoReport> {
    let office: Office = toml::from_str(DEMO_OFFICE).map_err(|e| invalid(format!("office.toml: {e}")))?;
    let documents: Vec<(&OutgoingSpec, crate::model::Document, String)> = office
        .outgoing
        .iter()
        .map(|spec| {
            let text = DEMO_DOCUMENTS
                .iter()
                .find(|(name, _)| *name == spec.file)
                .map(|(_, text)| *text)
                .ok_or_else(|| invalid(format!("thiếu tệp {}", spec.file)))?;
            let sha = crate::store::documents::sha256_hex(text);
            parse_document(text).map(|d| (spec, d, sha)).map_err(|e| invalid(format!("{}: {e}", spec.file)))
        })
        .collect::<Result<_>>()?;
    if !store.needs_first_admin()? {
        return Err(StoreError::Denied(
            "cơ sở dữ liệu đã có tài khoản; văn phòng mẫu (mật khẩu chung `demo`) chỉ nạp vào cơ sở dữ liệu \
             chưa có tài khoản nào (demo refused: the database has accounts)"
                .into(),
        ));
    }
    let password_hash = hash_password(DEMO_PASSWORD)?;
    store.write(|tx| {
        let users_before: i64 = tx.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
        if users_before > 0 {
            return Err(StoreError::Denied("cơ sở dữ liệu đã có tài khoản (demo refused)".into()));
        }
        let mut report = DemoReport::default();
        let mut agencies = HashMap::new();
        for a in &office.agency {
            let parent_id = lookup_opt(&agencies, &a.parent_agency, "cơ quan")?;
            let id = upsert_agency(
                tx,
                &NewAgency {
                    family: a.family,
                    parent_id,
                    parent_name: opt(&a.parent_name),
                    name: a.name.clone(),
                    short_name: a.short_name.clone(),
                    abbreviation: a.abbreviation.clone(),
                    place: a.place.clone(),
                    collective: a.collective,
                    address: opt(&a.address),
                    phone: opt(&a.phone),
                    email: opt(&a.email),
                },
            )?;
            agencies.insert(a.key.clone(), id);
        }
        let mut units = HashMap::new();
        for u in &office.unit {
            let agency_id = lookup(&agencies, &u.agency, "cơ quan")?;
            let id =
                upsert_unit(tx, &NewUnit { agency_id, name: u.name.clone(), abbreviation: u.abbreviation.clone() })?;
            units.insert(u.key.clone(), id);
        }
        let mut positions = HashMap::new();
        for p in &office.position {
            let agency_id = lookup(&agencies, &p.agency, "cơ quan")?;
            let id = upsert_position(tx, &NewPosition { agency_id, title: p.title.clone(), rank: p.rank })?;
            positions.insert(p.key.clone(), id);
        }
        let mut users = HashMap::new();
        let mut people = HashMap::new();
        for p in &office.person {
            let agency_id = lookup(&agencies, &p.agency, "cơ quan")?;
            let (user_id, person_id) = match user_id_by_name(tx, &p.username)? {
                Some(id) => {
                    let person: Option<i64> =
                        tx.query_row("SELECT person_id FROM users WHERE id = ?1", [id], |r| r.get(0))?;
                    (id, person.unwrap_or_default())
                }
                None => {
                    let person_id = insert_person(
                        tx,
                        &NewPerson {
                            full_name: p.full_name.clone(),
                            agency_id: Some(agency_id),
                            unit_id: lookup_opt(&units, &p.unit, "đơn vị")?,
                            position_id: lookup_opt(&positions, &p.position, "chức vụ")?,
                        },
                    )?;
                    let user = NewUser {
                        username: p.username.clone(),
                        full_name: p.full_name.clone(),
                        person_id: Some(person_id),
                        agency_id: Some(agency_id),
                        roles: p.roles.clone(),
                    };
                    report.users_added += 1;
                    (insert_user(tx, &user, &password_hash)?, person_id)
                }
            };
            users.insert(p.username.clone(), user_id);
            people.insert(p.username.clone(), person_id);
        }
        for d in &office.delegation {
            upsert_delegation(
                tx,
                &NewDelegation {
                    kind: d.kind,
                    agency_id: lookup(&agencies, &d.agency, "cơ quan")?,
                    from_position_id: lookup(&positions, &d.from_position, "chức vụ")?,
                    to_person_id: lookup(&people, &d.to_person, "người")?,
                    scope: d.scope.clone(),
                    valid_from: d.valid_from,
                    valid_until: d.valid_until,
                    basis: d.basis.clone(),
                },
            )?;
        }
        for a in &office.authority {
            let agency_id = lookup(&agencies, &a.agency, "cơ quan")?;
            let position_id = lookup(&positions, &a.position, "chức vụ")?;
            for kind in &a.kinds {
                if kind != "*" && !crate::ruleset::is_known_kind(kind) {
                    return Err(invalid(format!("loại văn bản `{kind}` trong phân quyền ký")));
                }
                upsert_authority(tx, agency_id, position_id, kind)?;
            }
        }
        for serves in &office.serves {
            let provider = lookup(&agencies, &serves.provider, "cơ quan")?;
            for served in &serves.served {
                tx.execute(
                    "INSERT INTO agency_services (provider_id, served_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    crate::store::sql::params![provider, lookup(&agencies, served, "cơ quan")?],
                )?;
            }
        }
        for (spec, document, sha) in &documents {
            let options = ImportOptions {
                state: Some(spec.state),
                drafter_id: Some(lookup(&users, &spec.drafter, "người dùng")?),
                unit_id: lookup_opt(&units, &spec.unit, "đơn vị")?,
                signer_person_id: lookup_opt(&people, &spec.signer, "người")?,
                source_key: Some(format!("demo:{}", spec.file)),
                ..ImportOptions::default()
            };
            let (id, inserted) = insert_document(tx, document, &options)?;
            if inserted {
                crate::store::documents::record_creation(tx, id, "demo", None, sha)?;
                report.documents_added += 1;
            }
        }
        for i in &office.incoming {
            let agency_id = lookup(&agencies, &i.agency, "cơ quan")?;
            let arrival_date = add_working_weekdays(today, -i.arrived_working_days_ago, false);
            let urgency = if i.urgency.is_empty() {
                None
            } else {
                Some(Urgency::from_code(&i.urgency).ok_or_else(|| invalid(format!("mức độ khẩn `{}`", i.urgency)))?)
            };
            let key = format!("demo:in:{}:{}/{}:{}", i.agency, i.number, i.notation, i.sender);
            let exists: i64 =
                tx.query_row("SELECT count(*) FROM incoming WHERE source_key = ?1", [&key], |r| r.get(0))?;
            if exists > 0 {
                continue;
            }
            let arrival_number = if i.state == IncomingState::Received {
                None
            } else {
                use chrono::Datelike;
                Some(next_arrival_number(tx, agency_id, arrival_date.year())?)
            };
            let new = NewIncoming {
                agency_id,
                arrival_number,
                arrival_date,
                sender: i.sender.clone(),
                number: opt(&i.number),
                notation: opt(&i.notation),
                // Arrival dates follow today; a letter is never dated after it arrived
                // (its sender dated it two working days before, at the latest).
                date: i.date.map(|d| d.min(add_working_weekdays(arrival_date, -2, false))),
                kind: i.kind.clone(),
                subject: i.subject.clone(),
                urgency,
                state: i.state,
                handler_id: lookup_opt(&users, &i.handler, "người dùng")?,
                lead_unit_id: lookup_opt(&units, &i.lead_unit, "đơn vị")?,
                deadline: i.deadline_in_working_days.map(|n| add_working_weekdays(today, n, false)),
                source_key: Some(key),
            };
            if insert_incoming(tx, &new)?.1 {
                report.incoming_added += 1;
            }
        }
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
            crate::store::sql::params![crate::store::SETTING_DEMO, today.to_string()],
        )?;
        if report.users_added > 0 || report.documents_added > 0 {
            let effects = crate::store::effects::snapshot(tx)?;
            let author = crate::store::effects::Author::system("demo");
            let comment = format!("văn phòng mẫu: {} tài khoản", report.users_added);
            crate::store::effects::record_effects(tx, &author, "demo", &comment, &effects)?;
        }
        Ok(report)
    })
}

/// Loads the demo office ([`load_demo_office`]) and, on the first load, its file
/// plan: three dossiers of the documents' year with documents filed in them, one
/// of them closed. Refused once the database has accounts.
pub fn load_demo(store: &mut Store, today: NaiveDate) -> Result<DemoReport> {
    let report = load_demo_office(store, today)?;
    if report.documents_added > 0 {
        demo_file_plan(store, today)?;
    }
    Ok(report)
}

/// The demo file plan of the year of the demo documents: three dossiers opened by the
/// văn thư through the same core calls the application uses, the issued and
/// incoming documents filed in them, and the records-office dossier closed.
fn demo_file_plan(store: &mut Store, today: NaiveDate) -> Result<()> {
    use crate::store::{FiledItem, NewDossier};
    let actor = store.login("lythihongnhung", DEMO_PASSWORD)?;
    let now = chrono::Local::now();
    let year = store
        .list_documents()?
        .iter()
        .filter(|d| d.state == "filed" || d.state == "issued")
        .find_map(|d| d.date.as_deref().and_then(|t| t.get(..4)).and_then(|y| y.parse().ok()))
        .unwrap_or_else(|| chrono::Datelike::year(&today));
    let plan = [
        ("I. TỔNG HỢP", "TH", "Chương trình, kế hoạch, báo cáo công tác năm", "ke-hoach-bao-cao-nam"),
        ("II. TỔ CHỨC, CÁN BỘ", "TCCB", "Hồ sơ kiện toàn tổ chức bộ máy, tổ công tác năm", "to-chuc-bo-may"),
        ("III. VĂN THƯ, LƯU TRỮ", "VTLT", "Hồ sơ về công tác văn thư, lưu trữ năm", "van-thu-luu-tru"),
    ];
    let opened = NaiveDate::from_ymd_opt(year, 1, 2).unwrap_or(today).min(today);
    let mut ids = Vec::new();
    for (heading, code, title, item) in plan {
        let new = NewDossier {
            year,
            heading: heading.into(),
            heading_code: code.into(),
            title: format!("{title} {year}"),
            retention_item: Some(item.into()),
            responsible_person_id: actor.user().person_id,
            start_date: Some(opened),
            ..NewDossier::default()
        };
        ids.push(store.create_dossier(&actor, &new, now)?);
    }
    let agency = store.dossier(ids[0])?.map(|d| d.agency_id);
    let documents: Vec<_> = store.fileable_items(year, agency)?;
    let unfinished: Vec<i64> = store.list_incoming()?.into_iter().filter(|i| i.state.is_open()).map(|i| i.id).collect();
    for (n, entry) in documents.iter().enumerate() {
        let folded = crate::text::fold(&entry.subject);
        let dossier = if folded.contains("luu tru") || folded.contains("nop luu") || folded.contains("danh muc ho so") {
            ids[2]
        } else if folded.contains("to cong tac") || folded.contains("kien toan") || folded.contains("thanh lap") {
            ids[1]
        } else if n % 3 == 0 {
            ids[0]
        } else {
            continue;
        };
        let item = if entry.item == "incoming" { FiledItem::Incoming(entry.id) } else { FiledItem::Document(entry.id) };
        // The records-office dossier is closed below: a letter still being handled
        // would keep it open (issue #14), so it waits for its handler.
        if dossier == ids[2] && entry.item == "incoming" && unfinished.contains(&entry.id) {
            continue;
        }
        // The UBND văn thư files only the documents of the agencies her office serves.
        match store.add_to_dossier(&actor, dossier, item, now) {
            Err(crate::store::StoreError::Denied(_)) => continue,
            other => other?,
        }
    }
    if store.dossier(ids[2])?.is_some_and(|d| d.document_count > 0) {
        store.close_dossier(&actor, ids[2], "Đã đủ văn bản; kết thúc hồ sơ (dữ liệu mẫu).", Some(today), now)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Family;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn demo_loads_once_with_every_role_and_state() {
        let mut store = Store::open_in_memory().unwrap();
        let first = load_demo(&mut store, today()).unwrap();
        assert!(first.documents_added >= 30, "{first:?}");
        assert!(first.incoming_added >= 12, "{first:?}");
        let before = store.list_documents().unwrap().len();
        let second = load_demo(&mut store, today());
        assert!(matches!(second, Err(StoreError::Denied(_))), "a database with accounts refuses the demo");
        assert_eq!(store.list_documents().unwrap().len(), before, "nothing written");
        assert_eq!(store.verify().unwrap(), None, "every demo record has its creating event");

        let users = store.users().unwrap();
        for role in Role::ALL {
            assert!(users.iter().any(|u| u.roles.contains(&role)), "no demo user with role {role:?}");
        }
        assert!(store.login(&users[0].username, DEMO_PASSWORD).is_ok());
        for (state, count) in store.count_documents_by_state().unwrap() {
            assert!(count > 0, "no demo document in state {state:?}");
        }
        assert!(store.count_documents(Some(Family::State)).unwrap() > 0);
        assert!(store.count_documents(Some(Family::Party)).unwrap() > 0);
        let kinds: std::collections::HashSet<String> =
            store.list_documents().unwrap().into_iter().map(|d| d.kind).collect();
        assert!(kinds.len() >= 8, "{kinds:?}");
        let overdue = store
            .list_incoming()
            .unwrap()
            .into_iter()
            .filter(|i| i.state.is_open() && i.deadline.is_some_and(|d| d < today()))
            .count();
        assert!(overdue > 0, "some incoming documents are overdue");
        for letter in store.list_incoming().unwrap() {
            assert!(
                letter.date.is_none_or(|d| d <= letter.arrival_date),
                "{} dated {:?} after it arrived {}",
                letter.subject,
                letter.date,
                letter.arrival_date
            );
        }
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }

    #[test]
    fn demo_documents_are_canonical_and_show_format_revision_2() {
        let docs: Vec<crate::model::Document> = DEMO_DOCUMENTS
            .iter()
            .map(|(name, text)| {
                let doc = parse_document(text).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(crate::exchange::document_to_json(&doc), *text, "{name} is in canonical form");
                doc
            })
            .collect();
        let deputy = docs.iter().find(|d| d.signer.deputy.is_some()).expect("a two-level signature");
        assert_eq!(deputy.signer.authority_lines(), ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]);
        let table =
            docs.iter().flat_map(|d| &d.body).find(|b| b.kind == crate::model::BlockKind::Table).expect("a table");
        assert!(table.column_count() >= 3 && table.heading_rows() == 1);
    }

    #[test]
    fn every_demo_document_file_is_used() {
        let office: Office = toml::from_str(DEMO_OFFICE).unwrap();
        for (name, _) in DEMO_DOCUMENTS {
            assert!(office.outgoing.iter().any(|o| o.file == *name), "{name} is not in office.toml");
        }
    }
}
