//! Soạn thảo: pick family, issuing agency and kind; a form with exactly that kind's
//! components, prefilled from the agency and the ruleset, long texts in text areas
//! that grow; the live 4-đúng panel with focus and safe autofixes; the live page
//! preview; autosave after a few seconds of idle; save and submit for review.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use iced::widget::text_editor;
use vanthu_core::exchange::{document_to_json, parse_document};
use vanthu_core::model::{Block, BlockKind, Document, Family, OutgoingState, Urgency};
use vanthu_core::rules::Finding;
use vanthu_core::store::{DocumentSummary, SignerChoice};
use vanthu_core::workflow::Action;

use crate::gui::session::{Ctx, Go};

#[path = "editor_view.rs"]
mod view;

#[path = "editor_blocks.rs"]
pub mod blocks;

#[path = "editor_areas.rs"]
mod areas;

#[path = "editor_files.rs"]
mod files;

pub use blocks::{NewBlock, TableEdit};

/// A kind of the chosen family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindChoice {
    /// Code (`cong-van`).
    pub code: String,
    /// Vietnamese name.
    pub name: String,
}

/// An agency the user drafts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyChoice {
    /// Its id.
    pub id: i64,
    /// Its name as printed (`ỦY BAN NHÂN DÂN`), with its superior body.
    pub name: String,
}

impl std::fmt::Display for AgencyChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// How long the draft rests untouched before it is saved by itself.
pub const AUTOSAVE_IDLE: Duration = Duration::from_secs(3);

/// The least time between two versions saved by themselves: a draft typed with
/// many short pauses keeps a version every 20 seconds at most, not one per pause,
/// so the history is not flooded and little is ever unsaved (leaving and "Lưu"
/// still save at once).
pub const AUTOSAVE_SPACING: Duration = Duration::from_secs(20);

/// A list component the user can grow or shrink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// Kính gửi.
    Addressees,
    /// Căn cứ.
    Bases,
    /// Content blocks.
    Body,
    /// Nơi nhận.
    Recipients,
}

/// Page state.
#[derive(Debug)]
pub struct State {
    family: Family,
    kinds: Vec<KindChoice>,
    drafts: Vec<DocumentSummary>,
    doc: Option<Document>,
    kind_name: String,
    id: Option<i64>,
    doc_state: OutgoingState,
    dirty: bool,
    findings: Vec<Finding>,
    signers: Vec<SignerChoice>,
    error: Option<String>,
    /// The agencies the user drafts for, and the one chosen.
    agencies: Vec<AgencyChoice>,
    agency: Option<AgencyChoice>,
    /// The text areas' contents, by the JSON pointer they edit.
    areas: HashMap<String, text_editor::Content>,
    /// The page preview of the draft as it stands.
    layout: Option<vanthu_core::pdf::DocumentLayout>,
    /// When the draft was last changed (autosave waits for a rest).
    last_edit: Option<Instant>,
    /// When the last version was saved by itself ([`AUTOSAVE_SPACING`]).
    last_autosave: Option<Instant>,
    /// "Đã tự lưu lúc …".
    saved_note: Option<String>,
    /// The files attached to the saved draft (appendices, supporting documents).
    attachments: Vec<vanthu_core::store::Attachment>,
}

/// Messages of the editor.
#[derive(Debug, Clone)]
pub enum Message {
    /// Pick the family.
    Family(Family),
    /// Start a new draft of a kind.
    New(String),
    /// Open one of the user's drafts.
    Open(i64),
    /// A text field changed: (JSON pointer, value).
    Field(String, String),
    /// A text area was edited: (JSON pointer, action).
    Area(String, text_editor::Action),
    /// Choose the issuing agency.
    Agency(AgencyChoice),
    /// Attach a file to the draft (saved first when new).
    Attach(vanthu_core::store::AttachmentKind),
    /// Remove an attached file.
    Detach(i64),
    /// A second passed: autosave when the draft has rested long enough.
    Tick(Instant),
    /// Add an entry to a list.
    Add(List),
    /// Remove the entry of a list.
    Remove(List, usize),
    /// Add a table or a note at the end of the content.
    AddBlock(NewBlock),
    /// Change the table at `/body/N`.
    Table(usize, TableEdit),
    /// Pick a signer.
    Signer(SignerChoice),
    /// Pick the urgency.
    Urgency(Option<Urgency>),
    /// Focus the field of a finding.
    Focus(usize),
    /// Apply the autofix of a finding.
    Fix(usize),
    /// Apply every safe autofix.
    FixAll,
    /// Save the draft.
    Save,
    /// Save and submit for review.
    Submit,
    /// Back to the list of drafts.
    Back,
}

impl State {
    /// The error shown on the page, if any (the shell shows no toast repeating it).
    pub fn shown_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The kind picker and the user's drafts.
    pub fn new(ctx: &Ctx<'_>) -> Self {
        let family = ctx
            .actor
            .user()
            .agency_id
            .and_then(|id| ctx.store.agency(id).ok().flatten())
            .map_or(Family::State, |a| a.family);
        let mut state = State {
            family,
            kinds: Vec::new(),
            drafts: Vec::new(),
            doc: None,
            kind_name: String::new(),
            id: None,
            doc_state: OutgoingState::Draft,
            dirty: false,
            findings: Vec::new(),
            signers: Vec::new(),
            error: None,
            agencies: Vec::new(),
            agency: None,
            areas: HashMap::new(),
            layout: None,
            last_edit: None,
            last_autosave: None,
            saved_note: None,
            attachments: Vec::new(),
        };
        state.load_lists(ctx);
        state
    }

    /// Opens one of the user's drafts.
    pub fn open(id: i64, ctx: &Ctx<'_>) -> Result<Self, String> {
        // The core decides who may read it (another person's unsubmitted draft: nobody).
        if !ctx.store.may_see_document(ctx.actor, id).map_err(|e| e.to_string())? {
            return Err(
                "Bạn không được mở văn bản này: văn bản của cơ quan khác, hoặc dự thảo chưa trình của người khác."
                    .to_owned(),
            );
        }
        let mut state = State::new(ctx);
        let stored =
            ctx.store.document(id).map_err(|e| e.to_string())?.ok_or_else(|| "Không có văn bản này.".to_owned())?;
        if !matches!(stored.state, OutgoingState::Draft | OutgoingState::Returned) {
            return Err(format!("Văn bản này đang ở trạng thái \"{}\", không sửa được.", stored.state.label()));
        }
        state.family = stored.document.family;
        state.id = Some(id);
        state.doc_state = stored.state;
        state.start(stored.document, ctx);
        state.refresh_attachments(ctx);
        Ok(state)
    }

    fn load_lists(&mut self, ctx: &Ctx<'_>) {
        self.agencies = ctx
            .store
            .drafting_agencies(ctx.actor, self.family)
            .unwrap_or_default()
            .into_iter()
            .map(|a| AgencyChoice {
                id: a.id,
                name: a.parent_name.map_or_else(|| a.name.clone(), |p| format!("{} ({p})", a.name)),
            })
            .collect();
        if self.agency.as_ref().is_none_or(|a| !self.agencies.contains(a)) {
            self.agency = self.agencies.first().cloned();
        }
        // The kinds of the ruleset version in force today (QĐ 399-QĐ/TW adds one).
        self.kinds = ctx
            .setup
            .ruleset(self.family)
            .in_force_on(ctx.today())
            .kinds
            .iter()
            .map(|k| KindChoice { code: k.code.clone(), name: k.name.clone() })
            .collect();
        let mine = ctx.store.documents_drafted_by(ctx.actor.user().id).unwrap_or_default();
        self.drafts = ctx
            .store
            .list_documents()
            .unwrap_or_default()
            .into_iter()
            .filter(|d| mine.contains(&d.id) && matches!(d.state.as_str(), "draft" | "returned"))
            .collect();
    }

    fn start(&mut self, doc: Document, ctx: &Ctx<'_>) {
        self.kind_name =
            vanthu_core::ruleset::kind_name(doc.family, doc.kind.as_str()).unwrap_or(doc.kind.as_str()).to_owned();
        self.signers = ctx.store.signer_choices_for(ctx.actor, &doc).unwrap_or_default();
        self.findings = ctx.check(&doc);
        self.agency = ctx
            .store
            .agency_of_document(&doc)
            .ok()
            .flatten()
            .and_then(|id| self.agencies.iter().find(|a| a.id == id).cloned())
            .or_else(|| self.agency.clone());
        self.doc = Some(doc);
        self.dirty = false;
        self.last_edit = None;
        self.saved_note = None;
        self.error = None;
        self.rebuild_areas();
        self.relayout(ctx);
    }

    fn relayout(&mut self, ctx: &Ctx<'_>) {
        self.layout =
            self.doc.as_ref().map(|doc| vanthu_core::pdf::layout_document(doc, ctx.setup.ruleset(doc.family)));
    }

    /// The number of pages of the live preview.
    pub fn preview_pages(&self) -> usize {
        self.layout.as_ref().map_or(0, |l| l.pages.len())
    }

    /// The number of content blocks of the draft (the benchmark).
    #[allow(dead_code)]
    pub fn body_len(&self) -> Option<usize> {
        self.doc.as_ref().map(|d| d.body.len())
    }

    /// Whether the draft has changes not saved yet.
    pub fn is_dirty(&self) -> bool {
        self.doc.is_some() && self.dirty
    }

    /// Drops the unsaved changes (the user chose to leave without saving).
    pub fn discard(&mut self) {
        self.dirty = false;
        self.last_edit = None;
    }

    /// Saves the draft now (leaving the editor); the message on refusal.
    pub fn save_now(&mut self, ctx: &mut Ctx<'_>) -> Result<String, String> {
        self.save(ctx)
    }

    /// The draft being edited (tests).
    #[cfg(test)]
    pub fn document(&self) -> Option<&Document> {
        self.doc.as_ref()
    }

    /// "Đã tự lưu lúc …" after an autosave (tests).
    #[cfg(test)]
    pub fn saved_note(&self) -> Option<&str> {
        self.saved_note.as_deref()
    }

    /// The live findings (tests).
    #[cfg(test)]
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The saved document's id, if saved.
    #[cfg(test)]
    pub fn id(&self) -> Option<i64> {
        self.id
    }

    fn recheck(&mut self, ctx: &Ctx<'_>) {
        if let Some(doc) = &self.doc {
            self.findings = ctx.check(doc);
        }
        self.relayout(ctx);
        self.dirty = true;
        self.saved_note = None;
        // The draft changed: the last refusal no longer describes it.
        self.error = None;
        self.last_edit = Some(Instant::now());
    }

    /// A structural change (entries added or removed, a fix applied): the text areas
    /// follow the document again.
    fn restructured(&mut self, ctx: &Ctx<'_>) {
        self.rebuild_areas();
        self.recheck(ctx);
    }

    /// The autosave tick: saves the draft as a new version once it has rested
    /// [`AUTOSAVE_IDLE`].
    fn tick(&mut self, now: Instant, ctx: &mut Ctx<'_>) {
        let Some(last) = self.last_edit else { return };
        if !self.dirty || now.saturating_duration_since(last) < AUTOSAVE_IDLE {
            return;
        }
        // One version per AUTOSAVE_SPACING at most: the changes wait (still dirty) for a later tick.
        if self.last_autosave.is_some_and(|at| now.saturating_duration_since(at) < AUTOSAVE_SPACING) {
            return;
        }
        // One attempt per rest: a refused save waits for the next change.
        self.last_edit = None;
        self.last_autosave = Some(now);
        if self.save(ctx).is_ok() {
            self.saved_note = Some(format!("Đã tự lưu lúc {}.", ctx.now().format("%H:%M:%S")));
        }
    }

    /// Changes the issuing agency: a new template of the same kind for that agency,
    /// keeping what was written (trích yếu, kính gửi, căn cứ, nội dung, độ khẩn).
    fn change_agency(&mut self, choice: AgencyChoice, ctx: &mut Ctx<'_>) -> Go {
        let Some(doc) = &self.doc else {
            self.agency = Some(choice);
            return Go::Stay;
        };
        if self.agency.as_ref() == Some(&choice) {
            return Go::Stay;
        }
        match ctx.store.draft_template_in(ctx.actor, doc.family, doc.kind.as_str(), choice.id) {
            Ok(mut fresh) => {
                fresh.subject = doc.subject.clone().or(fresh.subject);
                fresh.addressees = doc.addressees.clone();
                fresh.bases = doc.bases.clone();
                fresh.body = doc.body.clone();
                fresh.urgency = doc.urgency;
                fresh.secrecy = doc.secrecy;
                fresh.drafter_code = doc.drafter_code.clone().or(fresh.drafter_code);
                self.signers = ctx.store.signer_choices_for(ctx.actor, &fresh).unwrap_or_default();
                self.doc = Some(fresh);
                self.agency = Some(choice);
                self.restructured(ctx);
                Go::Stay
            }
            Err(e) => Go::Error(crate::gui::session::sentence(&e.to_string())),
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, ctx: &mut Ctx<'_>) -> Go {
        match message {
            Message::Family(family) => {
                self.family = family;
                self.load_lists(ctx);
            }
            Message::New(kind) => match match &self.agency {
                Some(agency) => ctx.store.draft_template_in(ctx.actor, self.family, &kind, agency.id),
                None => ctx.store.draft_template(ctx.actor, self.family, &kind),
            } {
                Ok(doc) => {
                    self.id = None;
                    self.doc_state = OutgoingState::Draft;
                    self.start(doc, ctx);
                }
                Err(e) => return Go::Error(crate::gui::wording::explain(&e)),
            },
            Message::Open(id) => return Go::Edit(id),
            Message::Back => {
                self.doc = None;
                self.id = None;
                self.load_lists(ctx);
            }
            Message::Field(pointer, value) => {
                if let Some(doc) = &mut self.doc {
                    set_field(doc, &pointer, vanthu_core::text::nfc(&value));
                    self.recheck(ctx);
                }
            }
            Message::Area(pointer, action) => return self.edit_area(pointer, action, ctx),
            Message::Agency(choice) => return self.change_agency(choice, ctx),
            Message::Tick(now) => self.tick(now, ctx),
            Message::Attach(kind) => return self.attach(kind, ctx),
            Message::Detach(attachment) => return self.detach(attachment, ctx),
            Message::Add(list) => {
                if let Some(doc) = &mut self.doc {
                    add_item(doc, list);
                    self.restructured(ctx);
                }
            }
            Message::Remove(list, i) => {
                if let Some(doc) = &mut self.doc {
                    remove_item(doc, list, i);
                    self.restructured(ctx);
                }
            }
            Message::AddBlock(which) => {
                if let Some(doc) = &mut self.doc {
                    blocks::add_block(doc, which);
                    let last = doc.body.len() - 1;
                    let has_text = doc.body[last].text.is_some();
                    self.restructured(ctx);
                    // The new item's text takes what is typed next, not its number.
                    if has_text {
                        return Go::Focus(iced::widget::Id::from(format!("/body/{last}/text")));
                    }
                }
            }
            Message::Table(i, edit) => {
                if let Some(doc) = &mut self.doc {
                    blocks::edit_table(doc, i, edit);
                    self.recheck(ctx);
                }
            }
            Message::Signer(choice) => {
                if let Some(doc) = &mut self.doc {
                    doc.signer = choice.signer;
                    self.recheck(ctx);
                }
            }
            Message::Urgency(u) => {
                if let Some(doc) = &mut self.doc {
                    doc.urgency = u;
                    self.recheck(ctx);
                }
            }
            Message::Focus(i) => {
                if let (Some(doc), Some(f)) = (&self.doc, self.findings.get(i))
                    && let Some(id) = focus_target(doc, &f.field)
                {
                    return Go::Focus(iced::widget::Id::from(id));
                }
            }
            Message::Fix(i) => {
                let Some(finding) = self.findings.get(i).cloned() else { return Go::Stay };
                let Some(doc) = &self.doc else { return Go::Stay };
                match apply_one(doc, &finding) {
                    Some(fixed) => {
                        self.doc = Some(fixed);
                        self.restructured(ctx);
                    }
                    None => {
                        return Go::Error(format!(
                            "Không tự sửa được {} ({}).",
                            finding.rule,
                            crate::gui::widget::findings::field_name(&finding.field)
                        ));
                    }
                }
            }
            Message::FixAll => {
                if let Some(doc) = &self.doc {
                    let c = vanthu_core::rules::CheckContext {
                        today: ctx.today(),
                        office: ctx.setup.office.as_ref(),
                        calendar: &ctx.setup.calendar,
                    };
                    let outcome = vanthu_core::rules::apply_fixes(doc, ctx.setup.ruleset(doc.family), &c);
                    let n = outcome.applied.len();
                    self.doc = Some(outcome.document);
                    self.restructured(ctx);
                    return Go::Notice(format!("Đã sửa tự động {n} lỗi."));
                }
            }
            Message::Save => return self.save(ctx).map_or_else(Go::Error, Go::Notice),
            Message::Submit => {
                if let Err(e) = self.save(ctx) {
                    return Go::Error(e);
                }
                let Some(id) = self.id else { return Go::Stay };
                // An error whose correction is certain ("V/v V/v …": the layout prints
                // "V/v" itself) is not sent up the line: one click fixes it here. The
                // core blocks it again at the format check, signing and numbering.
                let certain: Vec<String> = self
                    .findings
                    .iter()
                    .filter(|f| f.severity == vanthu_core::ruleset::Severity::Error && f.fix.is_some())
                    .map(crate::gui::wording::finding_line)
                    .collect();
                if !certain.is_empty() {
                    let shown = crate::gui::session::sentence(&format!(
                        "Chưa trình được: {} (bấm “Sửa tự động” trong bảng Kiểm tra 4 đúng)",
                        certain.join("; ")
                    ));
                    self.error = Some(shown.clone());
                    return Go::Error(shown);
                }
                return match ctx.store.transition(id, Action::Submit, ctx.actor, ctx.now(), None) {
                    Ok(outcome) => {
                        self.doc = None;
                        self.id = None;
                        self.load_lists(ctx);
                        // To whom: the people the core lets approve it now.
                        let mut takers =
                            ctx.store.next_step_takers(id, Action::Submit, ctx.today()).unwrap_or_default();
                        crate::gui::wording::sort_vietnamese(&mut takers, |t| t.full_name.as_str());
                        let to = match takers.as_slice() {
                            [] => String::new(),
                            many => format!(
                                " lên {}",
                                many.iter().map(|t| t.addressed()).collect::<Vec<_>>().join(" hoặc ")
                            ),
                        };
                        Go::Notice(format!(
                            "Đã trình duyệt dự thảo{to}: {} → {}.",
                            outcome.from.label(),
                            outcome.to.label()
                        ))
                    }
                    Err(e) => {
                        eprintln!("vanthu: submit #{id}: {e}");
                        let shown = crate::gui::wording::explain(&e);
                        self.error = Some(shown.clone());
                        Go::Error(shown)
                    }
                };
            }
        }
        Go::Stay
    }

    /// Saves a new draft or a new version; returns the notice.
    fn save(&mut self, ctx: &mut Ctx<'_>) -> Result<String, String> {
        let Some(doc) = &self.doc else { return Err("Chưa có dự thảo.".into()) };
        let result = match self.id {
            None => ctx.store.create_draft(ctx.actor, doc, ctx.now()).map(|id| {
                self.id = Some(id);
                "Đã lưu dự thảo.".to_owned()
            }),
            Some(id) if self.dirty => ctx
                .store
                .edit_draft(ctx.actor, id, doc, ctx.now())
                .map(|v| format!("Đã lưu phiên bản {v} của dự thảo.")),
            Some(_) => Ok("Dự thảo không có thay đổi.".to_owned()),
        };
        match result {
            Ok(notice) => {
                self.dirty = false;
                self.error = None;
                self.saved_note = None;
                Ok(notice)
            }
            Err(e) => {
                eprintln!("vanthu: save draft: {e}");
                let shown = crate::gui::wording::explain(&e);
                self.error = Some(shown.clone());
                Err(shown)
            }
        }
    }
}

/// Sets a text component by its JSON pointer.
pub fn set_field(doc: &mut Document, pointer: &str, value: String) {
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    let index = |s: &str| s.parse::<usize>().ok();
    match parts.as_slice() {
        ["subject"] => doc.subject = Some(value),
        ["place"] => doc.place = value,
        ["authority_line"] => doc.authority_line = Some(value),
        ["enacting_words"] => doc.enacting_words = Some(value),
        ["drafter_code"] => doc.drafter_code = Some(value),
        ["signer", "form"] => doc.signer.form = Some(value).filter(|v| !v.is_empty()),
        ["signer", "principal"] => doc.signer.principal = Some(value).filter(|v| !v.is_empty()),
        ["signer", "deputy", part] => blocks::set_deputy(doc, part, value),
        ["body", i, "rows", r, c] => {
            if let (Some(i), Some(r), Some(c)) = (index(i), index(r), index(c)) {
                blocks::set_cell(doc, i, r, c, value);
            }
        }
        ["signer", "position"] => doc.signer.position = value,
        ["signer", "name"] => doc.signer.name = value,
        ["addressees", i] => set_in(&mut doc.addressees, index(i), value),
        ["bases", i] => set_in(&mut doc.bases, index(i), value),
        ["recipients", i] => set_in(&mut doc.recipients, index(i), value),
        ["body", i, part] => {
            if let Some(block) = index(i).and_then(|i| doc.body.get_mut(i)) {
                match *part {
                    "label" => block.label = Some(value).filter(|v| !v.is_empty()),
                    "title" => block.title = Some(value),
                    _ => block.text = Some(value),
                }
            }
        }
        _ => {}
    }
}

fn set_in(list: &mut [String], index: Option<usize>, value: String) {
    if let Some(slot) = index.and_then(|i| list.get_mut(i)) {
        *slot = value;
    }
}

fn add_item(doc: &mut Document, list: List) {
    match list {
        List::Addressees => doc.addressees.push(String::new()),
        List::Bases => doc.bases.push(String::new()),
        List::Recipients => {
            let at = doc.recipients.len().saturating_sub(1);
            doc.recipients.insert(at, String::new());
        }
        List::Body => {
            let articles = doc.body.iter().filter(|b| b.kind == BlockKind::Article).count();
            let block = if articles > 0 {
                Block {
                    kind: BlockKind::Article,
                    label: Some(format!("Điều {}.", articles + 1)),
                    text: Some(String::new()),
                    ..Block::default()
                }
            } else {
                Block::text(BlockKind::Paragraph, "")
            };
            doc.body.push(block);
        }
    }
}

fn remove_item(doc: &mut Document, list: List, i: usize) {
    let len = match list {
        List::Addressees => doc.addressees.len(),
        List::Bases => doc.bases.len(),
        List::Recipients => doc.recipients.len(),
        List::Body => doc.body.len(),
    };
    if i >= len {
        return;
    }
    match list {
        List::Addressees => drop(doc.addressees.remove(i)),
        List::Bases => drop(doc.bases.remove(i)),
        List::Recipients => drop(doc.recipients.remove(i)),
        List::Body => drop(doc.body.remove(i)),
    }
}

/// The ids of the inputs the form shows, which are the JSON pointers they edit.
pub fn input_ids(doc: &Document) -> Vec<String> {
    let mut ids = vec!["/place".to_owned(), "/drafter_code".to_owned()];
    if doc.subject.is_some() {
        ids.push("/subject".into());
    }
    if doc.authority_line.is_some() {
        ids.push("/authority_line".into());
    }
    if doc.enacting_words.is_some() {
        ids.push("/enacting_words".into());
    }
    ids.extend((0..doc.addressees.len()).map(|i| format!("/addressees/{i}")));
    ids.extend((0..doc.bases.len()).map(|i| format!("/bases/{i}")));
    for (i, b) in doc.body.iter().enumerate() {
        if b.kind == BlockKind::Table {
            ids.extend(blocks::cell_ids(doc, i));
            continue;
        }
        if b.label.is_some() || !matches!(b.kind, BlockKind::Paragraph | BlockKind::Note) {
            ids.push(format!("/body/{i}/label"));
        }
        if b.title.is_some() {
            ids.push(format!("/body/{i}/title"));
        }
        ids.push(format!("/body/{i}/text"));
    }
    ids.extend(
        [
            "/signer/form",
            "/signer/principal",
            "/signer/deputy/form",
            "/signer/deputy/principal",
            "/signer/position",
            "/signer/name",
        ]
        .map(str::to_owned),
    );
    ids.extend((0..doc.recipients.len()).map(|i| format!("/recipients/{i}")));
    ids
}

/// The input that shows a finding's field: the field itself, else its first
/// sub-field, else the nearest enclosing or preceding field.
pub fn focus_target(doc: &Document, field: &str) -> Option<String> {
    if field.is_empty() {
        return None;
    }
    let ids = input_ids(doc);
    let mut pointer = field.to_owned();
    loop {
        if let Some(id) = ids.iter().find(|id| **id == pointer) {
            return Some(id.clone());
        }
        let prefix = format!("{pointer}/");
        if let Some(id) = ids.iter().find(|id| id.starts_with(&prefix)) {
            return Some(id.clone());
        }
        // An index one past the end (an entry to add): its list's last entry.
        let (parent, _) = pointer.rsplit_once('/')?;
        if parent.is_empty() {
            return None;
        }
        let prefix = format!("{parent}/");
        if let Some(id) = ids.iter().rev().find(|id| id.starts_with(&prefix)) {
            return Some(id.clone());
        }
        pointer = parent.to_owned();
    }
}

/// Applies one finding's fix through the document's JSON.
pub fn apply_one(doc: &Document, finding: &Finding) -> Option<Document> {
    let fix = finding.fix.as_deref()?;
    let mut value: serde_json::Value = serde_json::from_str(&document_to_json(doc)).ok()?;
    if let Some(slot) = value.pointer_mut(&finding.field) {
        *slot = serde_json::Value::String(fix.to_owned());
    } else {
        let (parent, last) = finding.field.rsplit_once('/')?;
        let list = value.pointer_mut(parent)?.as_array_mut()?;
        if last.parse::<usize>().ok()? != list.len() {
            return None;
        }
        list.push(serde_json::Value::String(fix.to_owned()));
    }
    parse_document(&value.to_string()).ok()
}

#[cfg(test)]
#[path = "editor_tests.rs"]
mod tests;
