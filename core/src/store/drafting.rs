//! What the editor and the văn thư choose from: the agencies a user drafts for
//! (their own and those their office serves, issue #12), a new draft issued by one of
//! them, and the open dossiers a document may be filed into.

use chrono::Datelike;

use super::{Actor, Result, Store, StoreError};
use crate::model::{Agency, Document, Dossier, Family};

impl Store {
    /// The agencies of `family` the actor drafts for: their own agency first, then
    /// those it serves (a Văn phòng UBND specialist drafts for the Văn phòng and for
    /// the UBND). Without an agency on record: the family's top-level agencies.
    pub fn drafting_agencies(&self, actor: &Actor, family: Family) -> Result<Vec<Agency>> {
        let who = self.actor_facts(actor)?;
        let all: Vec<Agency> = self.agencies()?.into_iter().filter(|a| a.family == family).collect();
        if who.agency_id.is_none() {
            return Ok(all.into_iter().filter(|a| a.parent_id.is_none()).collect());
        }
        let mut mine: Vec<Agency> = all.into_iter().filter(|a| who.serves_agency(Some(a.id))).collect();
        mine.sort_by_key(|a| (Some(a.id) != who.agency_id, a.name.clone()));
        Ok(mine)
    }

    /// A new draft of `kind` issued by `agency_id`, which must be one the actor
    /// drafts for ([`Store::drafting_agencies`]).
    pub fn draft_template_in(&self, actor: &Actor, family: Family, kind: &str, agency_id: i64) -> Result<Document> {
        let agency =
            self.drafting_agencies(actor, family)?.into_iter().find(|a| a.id == agency_id).ok_or_else(|| {
                StoreError::Denied(format!(
                    "cơ quan #{agency_id} không nằm trong các cơ quan bạn soạn thảo văn bản cho \
                 (not an agency the user drafts for)"
                ))
            })?;
        self.template_in(actor, family, kind, Some(agency))
    }

    /// The open dossiers the actor may file document `document_id` into: those of the
    /// agencies the actor keeps records for whose office keeps the document's agency,
    /// of the document's year and the year before (a dossier of last year stays open
    /// until it is closed), ordered by year, then symbol.
    pub fn dossiers_to_file(&self, actor: &Actor, document_id: i64) -> Result<Vec<Dossier>> {
        let stored =
            self.document(document_id)?.ok_or_else(|| StoreError::NotFound(format!("văn bản #{document_id}")))?;
        let item_agency: Option<i64> =
            self.conn.query_row("SELECT agency_id FROM documents WHERE id = ?1", [document_id], |r| r.get(0))?;
        let who = self.actor_facts(actor)?;
        let names: Vec<Agency> = self.agencies()?;
        let year = stored.document.date.map_or_else(|| chrono::Local::now().date_naive().year(), |d| d.year());
        let mut out = Vec::new();
        for y in [year - 1, year] {
            for heading in self.file_plan(y, None)? {
                for dossier in heading.dossiers {
                    if dossier.closed {
                        continue;
                    }
                    let name = names.iter().find(|a| a.id == dossier.agency_id).map_or("", |a| a.name.as_str());
                    let keeps = crate::workflow::authority::may_keep_dossiers(&who, Some(dossier.agency_id), name);
                    let holds = super::authority::served_by(&self.conn, Some(dossier.agency_id))?
                        .contains(&item_agency.unwrap_or(-1));
                    if keeps.is_ok() && holds {
                        out.push(dossier);
                    }
                }
            }
        }
        out.sort_by(|a, b| (b.year, &a.code).cmp(&(a.year, &b.code)));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, Local};

    use super::*;
    use crate::model::OutgoingState;
    use crate::workflow::Action;

    fn demo() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        crate::demo::load_demo(&mut store, Local::now().date_naive()).unwrap();
        store
    }

    fn login(store: &Store, user: &str) -> Actor {
        store.login(user, crate::demo::DEMO_PASSWORD).unwrap()
    }

    /// A document the UBND chairman signs now, ready for Cấp số.
    fn signed(store: &mut Store) -> i64 {
        let chairman = login(store, "hoangminhduc");
        let id = store
            .documents_for(&chairman)
            .unwrap()
            .into_iter()
            .filter(|d| d.state == OutgoingState::AwaitingSignature.code())
            .map(|d| d.id)
            .find(|id| store.document(*id).unwrap().unwrap().document.signer.name == "Hoàng Minh Đức")
            .expect("the demo has a document awaiting the chairman's signature");
        store.sign(id, &chairman, crate::demo::DEMO_PASSWORD, Local::now(), None).unwrap();
        id
    }

    #[test]
    fn a_van_phong_specialist_drafts_for_the_ubnd_too_and_nothing_else() {
        let store = demo();
        let toan = login(&store, "buivantoan");
        let agencies = store.drafting_agencies(&toan, Family::State).unwrap();
        let names: Vec<&str> = agencies.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names[0].starts_with("VĂN PHÒNG"), "own agency first: {names:?}");
        let ubnd = agencies.iter().find(|a| a.name.starts_with("ỦY BAN")).expect("the UBND is served");
        let doc = store.draft_template_in(&toan, Family::State, "cong-van", ubnd.id).unwrap();
        assert_eq!(doc.issuer.name, ubnd.name);
        // The Lưu line names the drafter's own unit (of the Văn phòng), so the draft's
        // symbol reads UBND-<unit>, never the drafter's initials (issue #14).
        let person = store.people().unwrap().into_iter().find(|p| Some(p.id) == toan.user().person_id).unwrap();
        let home = store.units(person.agency_id.unwrap()).unwrap();
        let unit = home.iter().find(|u| Some(u.id) == person.unit_id).expect("the demo specialist has a unit");
        assert_eq!(doc.drafting_unit().as_deref(), Some(unit.abbreviation.as_str()), "{:?}", doc.recipients);
        assert_ne!(doc.drafting_unit(), doc.drafter_code);
        // The signers offered are the UBND's (its chairman signs its công văn).
        let signers = store.signer_choices_for(&toan, &doc).unwrap();
        assert!(!signers.is_empty());
        assert!(signers.iter().all(|c| c.signer.principal.as_deref().is_none_or(|p| !p.contains("VĂN PHÒNG"))));
        // An agency the office does not serve is refused.
        let other = store.agencies().unwrap().into_iter().find(|a| !agencies.iter().any(|m| m.id == a.id)).unwrap();
        assert!(matches!(
            store.draft_template_in(&toan, other.family, "cong-van", other.id),
            Err(StoreError::Denied(_))
        ));
        // A draft of the UBND is accepted by the store.
        let mut store = store;
        assert!(store.create_draft(&toan, &doc, Local::now()).is_ok());
    }

    #[test]
    fn number_on_a_chosen_date_is_validated_and_audited() {
        let mut store = demo();
        let id = signed(&mut store);
        let vanthu = login(&store, "lythihongnhung");
        let now = Local::now();
        let today = now.date_naive();
        // Tomorrow is refused and nothing changes.
        let err = store.number_on(id, &vanthu, now, today + Duration::days(1), None).unwrap_err();
        assert!(err.to_string().contains("sau hôm nay"), "{err}");
        assert_eq!(store.document(id).unwrap().unwrap().state, OutgoingState::Signed);
        // Before the signing date is refused.
        let err = store.number_on(id, &vanthu, now, today - Duration::days(1), None).unwrap_err();
        assert!(err.to_string().contains("trước ngày ký"), "{err}");
        // Today is accepted, written on the document and in the audit.
        let outcome = store.number_on(id, &vanthu, now, today, Some("Cấp số")).unwrap();
        assert_eq!(outcome.to, OutgoingState::Numbered);
        let stored = store.document(id).unwrap().unwrap();
        assert_eq!(stored.document.date, Some(today));
        let events = store.audit_events(Some(("document", id))).unwrap();
        let last = events.iter().rev().find(|e| e.action == Action::Number.code()).unwrap();
        let shown = today.format("%d/%m/%Y").to_string();
        assert!(last.comment.as_deref().is_some_and(|c| c.contains(&shown) && c.starts_with("Cấp số")), "{last:?}");
    }

    #[test]
    fn a_date_before_the_registers_last_date_is_refused() {
        let mut store = demo();
        let today = Local::now().date_naive();
        let id = signed(&mut store);
        let document = store.document(id).unwrap().unwrap().document;
        // A document of the same issuer numbered today.
        let other: i64 = store
            .conn
            .query_row(
                "SELECT id FROM documents WHERE number IS NOT NULL AND issuer_name = ?1 ORDER BY id LIMIT 1",
                [&document.issuer.name],
                |r| r.get(0),
            )
            .expect("the demo has numbered documents of that issuer");
        store
            .conn
            .execute(
                "UPDATE documents SET date = ?2, year = ?3 WHERE id = ?1",
                super::super::sql::params![other, today.to_string(), today.year()],
            )
            .unwrap();
        let tx = store.conn.begin_write().unwrap();
        let order = |date| super::super::workflow::check_register_order(&tx, "a-new-series", &document, date);
        let err = order(today - Duration::days(1)).unwrap_err();
        assert!(err.to_string().contains("gần nhất trong sổ"), "{err}");
        assert!(order(today).is_ok());
    }

    #[test]
    fn the_van_thu_files_only_into_open_dossiers_of_the_agencies_she_keeps() {
        let mut store = demo();
        let vanthu = login(&store, "lythihongnhung");
        let issued = store
            .documents_for(&vanthu)
            .unwrap()
            .into_iter()
            .find(|d| d.state == OutgoingState::Issued.code())
            .map(|d| d.id);
        let Some(id) = issued else { panic!("the demo has an issued document") };
        let dossiers = store.dossiers_to_file(&vanthu, id).unwrap();
        assert!(!dossiers.is_empty());
        assert!(dossiers.iter().all(|d| !d.closed));
        // Every offered dossier accepts the document.
        let first = dossiers[0].id;
        store.add_to_dossier(&vanthu, first, super::super::FiledItem::Document(id), Local::now()).unwrap();
        assert_eq!(store.document(id).unwrap().unwrap().state, OutgoingState::Filed);
        // A drafter keeps no dossier.
        let toan = login(&store, "buivantoan");
        assert!(store.dossiers_to_file(&toan, id).unwrap().is_empty());
    }
}
