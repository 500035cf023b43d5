//! Read-only queries the desktop screens need: a new draft prefilled from the
//! office, the audit log, the documents of a drafter, counts per month.

use super::sql::params;

use super::{Actor, Result, Store, StoreError};
use crate::model::{Block, BlockKind, Document, Family, Issuer, KindCode, PositionRank, Signer};
use crate::ruleset::Params;

/// One row of the audit log (the same record the dossier pages and packages use).
pub type AuditEvent = super::AuditRecord;

/// A signer the authority matrix allows for a kind, as printed in the signature block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerChoice {
    /// The signature block.
    pub signer: Signer,
    /// The person's rank.
    pub rank: PositionRank,
}

impl std::fmt::Display for SignerChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(form) = &self.signer.form {
            write!(f, "{form} {} — ", self.signer.principal.as_deref().unwrap_or(""))?;
        }
        write!(f, "{} — {}", self.signer.position, self.signer.name)
    }
}

impl Store {
    /// What can still be filed in a dossier of `year`: issued or filed outgoing
    /// documents dated that year and incoming documents that arrived that year, none
    /// of them in a dossier yet, in index order. With `agency`, only the items of
    /// that dossier agency and of the agencies its office serves.
    pub fn fileable_items(&self, year: i32, agency: Option<i64>) -> Result<Vec<crate::model::IndexEntry>> {
        let served = match agency {
            Some(a) => {
                let ids: Vec<String> =
                    super::authority::served_by(&self.conn, Some(a))?.iter().map(i64::to_string).collect();
                format!(" AND agency_id IN ({})", ids.join(", "))
            }
            None => String::new(),
        };
        super::dossiers::index_entries(
            &self.conn,
            &format!("dossier_id IS NULL AND state IN ('issued', 'filed') AND year = ?1{served}"),
            &format!("dossier_id IS NULL AND CAST(substr(arrival_date, 1, 4) AS INTEGER) = ?1{served}"),
            i64::from(year),
        )
    }

    /// The audit log, oldest first; only the events of one subject when given
    /// (`("document", 12)`).
    pub fn audit_events(&self, subject: Option<(&str, i64)>) -> Result<Vec<AuditEvent>> {
        let (filter, subject_name, subject_id) = match subject {
            Some((name, id)) => ("WHERE subject = ?1 AND subject_id = ?2", name, id),
            None => ("WHERE ?1 = ?1 AND ?2 = ?2", "", 0),
        };
        let columns = super::dossiers::AUDIT_COLUMNS;
        let mut stmt = self.conn.prepare(&format!("SELECT {columns} FROM audit_events {filter} ORDER BY id"))?;
        let rows = stmt.query_map(params![subject_name, subject_id], super::dossiers::audit_from_row)?;
        Ok(rows.collect::<super::sql::Result<_>>()?)
    }

    /// Ids of the documents `user_id` drafted.
    pub fn documents_drafted_by(&self, user_id: i64) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare("SELECT id FROM documents WHERE drafter_id = ?1 ORDER BY id DESC")?;
        Ok(stmt.query_map([user_id], |r| r.get(0))?.collect::<super::sql::Result<_>>()?)
    }

    /// Documents per month of `year` (by issue date, else creation date): twelve counts.
    pub fn count_documents_by_month(&self, year: i32) -> Result<[i64; 12]> {
        let mut stmt = self.conn.prepare(
            "SELECT CAST(substr(coalesce(date, created_at), 6, 2) AS INTEGER), count(*) FROM documents
             WHERE substr(coalesce(date, created_at), 1, 4) = ?1 GROUP BY 1",
        )?;
        let mut months = [0; 12];
        let rows = stmt.query_map([year.to_string()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (month, n) = row?;
            if (1..=12).contains(&month) {
                months[(month - 1) as usize] = n;
            }
        }
        Ok(months)
    }

    /// The signers the authority matrix allows for `kind` in the actor's agency (or,
    /// for the other family, the first agency of that family), heads first.
    pub fn signer_choices(&self, actor: &Actor, family: Family, kind: &str) -> Result<Vec<SignerChoice>> {
        let agency = self.drafting_agency(actor, family)?;
        self.signers_in(&agency, family, kind)
    }

    /// The signers the authority matrix allows for a document in its issuing body:
    /// the agency whose printed name and superior body match the document's issuer
    /// (compared folded, so case and marks do not matter), else the actor's agency.
    pub fn signer_choices_for(&self, actor: &Actor, document: &Document) -> Result<Vec<SignerChoice>> {
        use crate::text::fold;
        let name = fold(&document.issuer.name);
        let parent = document.issuer.parent.as_deref().map(fold).unwrap_or_default();
        let same_name: Vec<_> =
            self.agencies()?.into_iter().filter(|a| a.family == document.family && fold(&a.name) == name).collect();
        let issuer = match same_name.iter().find(|a| a.parent_name.as_deref().map(fold).unwrap_or_default() == parent) {
            Some(a) => Some(a.clone()),
            None if same_name.len() == 1 => same_name.into_iter().next(),
            None => None,
        };
        let agency = match issuer {
            Some(a) => a,
            None => self.drafting_agency(actor, document.family)?,
        };
        self.signers_in(&agency, document.family, document.kind.as_str())
    }

    fn signers_in(&self, agency: &crate::model::Agency, family: Family, kind: &str) -> Result<Vec<SignerChoice>> {
        let ruleset = self.effective_ruleset(family)?;
        let positions = self.positions(agency.id)?;
        let people = self.people()?;
        let mut stmt = self.conn.prepare("SELECT position_id, kind FROM authority_matrix WHERE agency_id = ?1")?;
        let matrix: Vec<(i64, String)> =
            stmt.query_map([agency.id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<super::sql::Result<_>>()?;
        let head_title =
            positions.iter().find(|p| p.rank == PositionRank::Head).map(|p| p.title.clone()).unwrap_or_default();
        let mut choices = Vec::new();
        for position in &positions {
            let allowed = matrix.iter().any(|(p, k)| *p == position.id && (k == "*" || k == kind));
            if !allowed {
                continue;
            }
            for person in people.iter().filter(|p| p.position_id == Some(position.id)) {
                let (form, principal) =
                    signer_form(&ruleset.params, agency.collective, &agency.name, position, &head_title);
                choices.push(SignerChoice {
                    signer: Signer {
                        form,
                        principal,
                        position: position.title.clone(),
                        name: person.full_name.clone(),
                        ..Signer::default()
                    },
                    rank: position.rank,
                });
            }
        }
        choices.sort_by_key(|c| c.rank != PositionRank::Head);
        Ok(choices)
    }

    /// A new draft of `kind` with exactly the components the kind has, prefilled from
    /// the actor's agency, unit and the ruleset (issuer, place, enacting words, the
    /// Lưu line, the first allowed signer).
    pub fn draft_template(&self, actor: &Actor, family: Family, kind: &str) -> Result<Document> {
        self.template_in(actor, family, kind, None)
    }

    /// The template of a new draft issued by `agency` (the actor's own agency when
    /// `None`); the caller checks that the actor drafts for it.
    pub(crate) fn template_in(
        &self,
        actor: &Actor,
        family: Family,
        kind: &str,
        agency: Option<crate::model::Agency>,
    ) -> Result<Document> {
        let rulesets = self.effective_ruleset(family)?;
        // A new draft follows the version in force today.
        let ruleset = rulesets.in_force_on(chrono::Local::now().date_naive());
        let kind_def = ruleset
            .kind(kind)
            .ok_or_else(|| StoreError::Invalid(format!("loại văn bản `{kind}` không có trong {family}")))?;
        let kind_code = KindCode::new(&kind_def.code).ok_or_else(|| StoreError::Invalid(kind.to_owned()))?;
        let agency = match agency {
            Some(agency) => agency,
            None => self.drafting_agency(actor, family)?,
        };
        let drafter = self.people()?.into_iter().find(|p| Some(p.id) == actor.user().person_id);
        // Revision 2: ký hiệu người soạn thảo is the drafter's initials; the unit goes in the Lưu line.
        let drafter_initials =
            drafter.as_ref().map(|p| crate::model::initials_of(&p.full_name)).filter(|i| !i.is_empty());
        // The drafter's own unit, in whichever agency it is: a Văn phòng specialist's
        // UBND công văn is `UBND-KT` after the Văn phòng's Phòng Kinh tế.
        let unit_abbreviation = drafter
            .and_then(|p| Some((p.unit_id?, p.agency_id?)))
            .and_then(|(unit, home)| self.units(home).ok()?.into_iter().find(|u| u.id == unit))
            .map(|u| u.abbreviation);
        let p = &ruleset.params;
        let has = |list: &[String]| Params::kind_in(list, kind);
        let signer = self.signers_in(&agency, family, kind)?.into_iter().next().map(|c| c.signer).unwrap_or_default();
        let authority_line = has(&p.kinds_with_authority_line).then(|| {
            let above = agency.parent_name.as_deref().unwrap_or(&agency.name);
            if agency.collective { above.to_owned() } else { format!("{} {above}", signer.position) }
        });
        let body = if has(&p.kinds_with_articles) {
            (1..=3)
                .map(|n| Block {
                    kind: BlockKind::Article,
                    label: Some(format!("Điều {n}.")),
                    text: Some(String::new()),
                    ..Block::default()
                })
                .collect()
        } else {
            vec![Block::text(BlockKind::Paragraph, "")]
        };
        let first_recipient = if has(&p.kinds_with_articles) {
            Some("Như Điều 3;")
        } else if has(&p.kinds_with_addressees) {
            Some("Như trên;")
        } else {
            None
        };
        let luu = if p.luu_requires_vt {
            let mut luu = format!("{}VT", p.luu_prefix);
            if let Some(unit) = &unit_abbreviation {
                luu.push_str(", ");
                luu.push_str(unit);
            }
            luu + "."
        } else {
            // Party: the body that keeps the copy, no VT ("Lưu Văn phòng Tỉnh ủy.").
            format!("{}{}.", p.luu_prefix, file_copy_holder(p, &agency))
        };
        let drafter_code = drafter_initials.filter(|_| p.practice.drafter_code_expected);
        let recipients = first_recipient.map(str::to_owned).into_iter().chain([luu]).collect();
        Ok(Document {
            schema: Default::default(),
            family,
            kind: kind_code,
            issuer: Issuer {
                parent: agency.parent_name.clone(),
                name: agency.name.clone(),
                abbreviation: agency.abbreviation.clone(),
            },
            number: None,
            notation: None,
            place: agency.place.clone(),
            date: None,
            subject: (!has(&p.kinds_without_subject)).then(String::new),
            addressees: if has(&p.kinds_with_addressees) { vec![String::new()] } else { Vec::new() },
            authority_line,
            bases: if has(&p.kinds_with_bases) { vec![String::new()] } else { Vec::new() },
            // Only kinds with an authority line print the enacting words (a Party
            // nghị quyết leads into its text with a sentence instead).
            enacting_words: has(&p.kinds_with_authority_line).then(|| p.enacting_words.get(kind).cloned()).flatten(),
            body,
            signer,
            recipients,
            urgency: None,
            secrecy: None,
            circulation: None,
            drafter_code,
            copies: None,
            due_date: None,
            appendices: Vec::new(),
            extra: Default::default(),
        })
    }

    /// The agency the actor drafts for in `family`.
    pub(crate) fn drafting_agency(&self, actor: &Actor, family: Family) -> Result<crate::model::Agency> {
        let own = match actor.user().agency_id {
            Some(id) => self.agency(id)?,
            None => None,
        };
        match own.filter(|a| a.family == family) {
            Some(a) => Ok(a),
            None => self
                .agencies()?
                .into_iter()
                .find(|a| a.family == family && a.parent_id.is_none())
                .ok_or_else(|| StoreError::NotFound(format!("cơ quan thuộc hệ {family}"))),
        }
    }
}

/// Who keeps the file copy when the family's Lưu line names no văn thư: the
/// committee's office (`Văn phòng Tỉnh ủy`) for a committee or its office, else the
/// body itself by its short name (`Ban Tổ chức Tỉnh ủy`).
fn file_copy_holder(params: &Params, agency: &crate::model::Agency) -> String {
    let committee_of = |name: &str| {
        let key = crate::text::name_key(name);
        params.committee_suffixes.iter().find(|c| key.starts_with(c.as_str())).map(|c| sentence_case(c))
    };
    let own = committee_of(&agency.name);
    let office_of_parent = (crate::text::name_key(&agency.name) == "VĂN PHÒNG")
        .then(|| agency.parent_name.as_deref().and_then(committee_of))
        .flatten();
    match own.or(office_of_parent) {
        Some(body) if !params.practice.luu_holder_template.is_empty() => {
            params.practice.luu_holder_template.replace("{body}", &body)
        }
        _ if !agency.short_name.trim().is_empty() => agency.short_name.trim().to_owned(),
        _ => agency.abbreviation.clone(),
    }
}

/// `TỈNH ỦY` → `Tỉnh ủy`.
fn sentence_case(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut chars = lower.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

/// The signer form and principal line of a position (Điều 13; HD 36 1.7).
fn signer_form(
    params: &Params,
    collective: bool,
    agency_name: &str,
    position: &crate::model::Position,
    head_title: &str,
) -> (Option<String>, Option<String>) {
    let collective_principal = || {
        params
            .collective_principals
            .iter()
            .find(|c| agency_name.starts_with(c.as_str()))
            .cloned()
            .unwrap_or_else(|| agency_name.to_owned())
    };
    match (position.rank, collective) {
        (PositionRank::Head | PositionRank::Deputy, true) => {
            (Some(params.form_collective.clone()), Some(collective_principal()))
        }
        (PositionRank::Deputy, false) => (
            Some(params.form_deputy.clone()),
            Some(params.head_of_deputy(&position.title).unwrap_or_else(|| head_title.to_owned())),
        ),
        _ => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{DEMO_PASSWORD, load_demo};

    #[test]
    fn templates_have_the_kind_components_and_an_allowed_signer() {
        let mut store = Store::open_in_memory().unwrap();
        load_demo(&mut store, chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()).unwrap();
        let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
        let cv = store.draft_template(&drafter, Family::State, "cong-van").unwrap();
        assert_eq!(cv.issuer.name, "VĂN PHÒNG");
        assert_eq!(cv.addressees.len(), 1);
        assert!(cv.bases.is_empty() && cv.enacting_words.is_none());
        assert_eq!(cv.recipients.last().unwrap(), "Lưu: VT, KT.");
        assert_eq!(cv.signer.name, "Phạm Văn Thắng");
        let qd = store.draft_template(&drafter, Family::State, "quyet-dinh").unwrap();
        assert_eq!(qd.enacting_words.as_deref(), Some("QUYẾT ĐỊNH:"));
        assert_eq!(qd.body.len(), 3);
        assert!(qd.addressees.is_empty());
        let choices = store.signer_choices(&drafter, Family::State, "cong-van").unwrap();
        assert!(choices.iter().any(|c| c.signer.form.as_deref() == Some("KT.")), "{choices:?}");
        // A quyết định the Văn phòng drafts for the provincial People's Committee: the
        // signers come from the issuing body, not from the drafter's own agency.
        let ubnd = store.agencies().unwrap().into_iter().find(|a| a.abbreviation == "UBND").unwrap();
        let mut for_ubnd = qd.clone();
        for_ubnd.issuer.name = ubnd.name.to_lowercase();
        for_ubnd.issuer.parent = ubnd.parent_name.clone();
        let ubnd_people: Vec<String> =
            store.people().unwrap().into_iter().filter(|p| p.agency_id == Some(ubnd.id)).map(|p| p.full_name).collect();
        let signers = store.signer_choices_for(&drafter, &for_ubnd).unwrap();
        assert!(!signers.is_empty());
        assert!(signers.iter().all(|c| ubnd_people.contains(&c.signer.name)), "{signers:?}");
        let own = store.signer_choices_for(&drafter, &qd).unwrap();
        assert!(own.iter().all(|c| !ubnd_people.contains(&c.signer.name)), "{own:?}");
        assert!(store.draft_template(&drafter, Family::State, "ket-luan").is_err(), "a Party kind");
        assert!(!store.audit_events(None).unwrap().iter().any(|e| e.subject == "nothing"));
        assert!(store.count_documents_by_month(2026).unwrap().iter().sum::<i64>() > 0);
    }

    /// Issue #17: every Party kind's new draft, once its blanks are filled, checks
    /// with no error and no warning (the Lưu line, "Như trên", the signer form).
    #[test]
    fn party_templates_pass_the_check_once_filled() {
        use crate::model::BlockKind;
        let mut store = Store::open_in_memory().unwrap();
        let today = chrono::Local::now().date_naive();
        load_demo(&mut store, today).unwrap();
        let drafter = store.login("huynhngocthao", DEMO_PASSWORD).unwrap();
        let rulesets = store.effective_ruleset(Family::Party).unwrap();
        let ruleset = rulesets.in_force_on(today);
        let calendar = crate::calendar::WorkCalendar::default_vietnam();
        let ctx = crate::rules::CheckContext { today, office: None, calendar: &calendar };
        let mut checked = 0;
        for kind in ruleset.kinds.iter().map(|k| k.code.clone()) {
            let mut d = store.draft_template(&drafter, Family::Party, &kind).unwrap();
            assert!(
                d.recipients.last().is_some_and(|l| l.starts_with("Lưu ") && !l.contains("VT")),
                "{kind}: {:?}",
                d.recipients
            );
            if let Some(subject) = d.subject.as_mut() {
                *subject = "về việc tổ chức hội nghị sơ kết công tác".into();
            }
            for a in d.addressees.iter_mut() {
                *a = "Các đảng ủy trực thuộc Tỉnh ủy.".into();
            }
            for b in d.bases.iter_mut() {
                *b = "Căn cứ Điều lệ Đảng,".into();
            }
            let last = d.body.len().saturating_sub(1);
            for (i, block) in d.body.iter_mut().enumerate() {
                let effect = block.kind == BlockKind::Article && i == last;
                block.text = Some(if effect {
                    "Quyết định có hiệu lực từ ngày ký. Văn phòng Tỉnh ủy thi hành Quyết định này.".into()
                } else {
                    "Văn phòng Tỉnh ủy hướng dẫn thực hiện.".into()
                });
            }
            if d.signer.name.is_empty() {
                d.signer.name = "Lê Hoàng Nam".into();
            }
            let found: Vec<String> = crate::rules::check(&d, &rulesets, &ctx)
                .into_iter()
                .filter(|f| f.severity != crate::ruleset::Severity::Info)
                // A biên bản is signed by the chair and the secretary (second
                // signer chosen by the drafter).
                .filter(|f| !(kind == "bien-ban" && f.rule == "TT-34"))
                .map(|f| format!("{} {}: {}", f.rule, f.field, f.message))
                .collect();
            assert!(found.is_empty(), "{kind}: {found:#?}");
            checked += 1;
        }
        assert!(checked >= 20, "{checked} Party kinds");
    }
}
