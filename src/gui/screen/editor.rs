//! Soạn thảo: pick family and kind; a form with exactly that kind's components,
//! prefilled from the agency and the ruleset; the live 4-đúng panel with focus and
//! safe autofixes; save and submit for review.

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

pub use blocks::{NewBlock, TableEdit};

/// A kind of the chosen family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindChoice {
    /// Code (`cong-van`).
    pub code: String,
    /// Vietnamese name.
    pub name: String,
}

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
        };
        state.load_lists(ctx);
        state
    }

    /// Opens one of the user's drafts.
    pub fn open(id: i64, ctx: &Ctx<'_>) -> Result<Self, String> {
        let mut state = State::new(ctx);
        let stored =
            ctx.store.document(id).map_err(|e| e.to_string())?.ok_or_else(|| format!("Không có văn bản #{id}."))?;
        if !matches!(stored.state, OutgoingState::Draft | OutgoingState::Returned) {
            return Err(format!("Văn bản #{id} đang ở trạng thái \"{}\", không sửa được.", stored.state.label()));
        }
        state.family = stored.document.family;
        state.id = Some(id);
        state.doc_state = stored.state;
        state.start(stored.document, ctx);
        Ok(state)
    }

    fn load_lists(&mut self, ctx: &Ctx<'_>) {
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
        self.doc = Some(doc);
        self.dirty = false;
        self.error = None;
    }

    /// The draft being edited (tests).
    #[cfg(test)]
    pub fn document(&self) -> Option<&Document> {
        self.doc.as_ref()
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
        self.dirty = true;
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, ctx: &mut Ctx<'_>) -> Go {
        match message {
            Message::Family(family) => {
                self.family = family;
                self.load_lists(ctx);
            }
            Message::New(kind) => match ctx.store.draft_template(ctx.actor, self.family, &kind) {
                Ok(doc) => {
                    self.id = None;
                    self.doc_state = OutgoingState::Draft;
                    self.start(doc, ctx);
                }
                Err(e) => return Go::Error(e.to_string()),
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
            Message::Add(list) => {
                if let Some(doc) = &mut self.doc {
                    add_item(doc, list);
                    self.recheck(ctx);
                }
            }
            Message::Remove(list, i) => {
                if let Some(doc) = &mut self.doc {
                    remove_item(doc, list, i);
                    self.recheck(ctx);
                }
            }
            Message::AddBlock(which) => {
                if let Some(doc) = &mut self.doc {
                    blocks::add_block(doc, which);
                    self.recheck(ctx);
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
                        self.recheck(ctx);
                    }
                    None => return Go::Error(format!("Không tự sửa được {} {}.", finding.rule, finding.field)),
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
                    self.recheck(ctx);
                    return Go::Notice(format!("Đã sửa tự động {n} lỗi."));
                }
            }
            Message::Save => return self.save(ctx).map_or_else(Go::Error, Go::Notice),
            Message::Submit => {
                if let Err(e) = self.save(ctx) {
                    return Go::Error(e);
                }
                let Some(id) = self.id else { return Go::Stay };
                return match ctx.store.transition(id, Action::Submit, ctx.actor, ctx.now(), None) {
                    Ok(outcome) => {
                        self.doc = None;
                        self.id = None;
                        self.load_lists(ctx);
                        Go::Notice(format!(
                            "Đã trình duyệt văn bản #{id}: {} → {}.",
                            outcome.from.label(),
                            outcome.to.label()
                        ))
                    }
                    Err(e) => {
                        eprintln!("vanthu: submit #{id}: {e}");
                        self.error = Some(e.to_string());
                        Go::Error(e.to_string())
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
                format!("Đã lưu dự thảo #{id}.")
            }),
            Some(id) if self.dirty => {
                ctx.store.edit_draft(ctx.actor, id, doc, ctx.now()).map(|v| format!("Đã lưu phiên bản {v} của #{id}."))
            }
            Some(id) => Ok(format!("Dự thảo #{id} không có thay đổi.")),
        };
        match result {
            Ok(notice) => {
                self.dirty = false;
                self.error = None;
                Ok(notice)
            }
            Err(e) => {
                eprintln!("vanthu: save draft: {e}");
                self.error = Some(e.to_string());
                Err(e.to_string())
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
mod tests {
    use super::*;
    use crate::gui::testing::Fixture;

    #[test]
    fn a_new_cong_van_can_be_fixed_saved_and_submitted() {
        let mut f = Fixture::demo("buivantoan");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        assert!(state.kinds.iter().any(|k| k.name == "Công văn"));
        state.update(Message::New("cong-van".into()), &mut ctx);
        let doc = state.document().unwrap();
        assert_eq!(doc.addressees.len(), 1, "a công văn has Kính gửi");
        assert!(doc.bases.is_empty(), "and no căn cứ");
        state.update(Message::Field("/subject".into(), "V/v báo cáo số liệu".into()), &mut ctx);
        let fixable = state.findings().iter().position(|f| f.field == "/subject" && f.fix.is_some()).unwrap();
        assert!(matches!(state.update(Message::Focus(fixable), &mut ctx), Go::Focus(_)));
        state.update(Message::Fix(fixable), &mut ctx);
        assert_eq!(state.document().unwrap().subject.as_deref(), Some("báo cáo số liệu"));
        assert!(matches!(state.update(Message::Save, &mut ctx), Go::Notice(_)));
        let id = state.id().unwrap();
        state.update(Message::Field("/subject".into(), "Báo cáo số liệu quý IV".into()), &mut ctx);
        assert!(matches!(state.update(Message::Save, &mut ctx), Go::Notice(_)));
        assert_eq!(ctx.store.versions(id).unwrap().len(), 2);
        // Submit is refused while content errors remain (empty content), then passes.
        let go = state.update(Message::Submit, &mut ctx);
        if let Go::Error(e) = go {
            assert!(e.contains("Trình duyệt"), "{e}");
        }
    }

    /// Issue #17: a new Party công văn starts from what a Tỉnh ủy office prints
    /// ("Lưu Văn phòng Tỉnh ủy.", no VT, no drafter mark) and, once its blanks are
    /// filled the way the office writes them, has no finding at all.
    #[test]
    fn a_new_party_cong_van_passes_once_filled() {
        let mut f = Fixture::demo("huynhngocthao");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        assert_eq!(state.family, Family::Party);
        state.update(Message::New("cong-van".into()), &mut ctx);
        let doc = state.document().unwrap();
        assert_eq!(doc.recipients.last().map(String::as_str), Some("Lưu Văn phòng Tỉnh ủy."));
        assert_eq!(doc.recipients.first().map(String::as_str), Some("Như trên;"));
        assert!(doc.drafter_code.is_none() && doc.enacting_words.is_none());
        assert!(!state.findings().iter().any(|f| f.rule == "TT-29"), "{:?}", state.findings());
        for (pointer, value) in [
            ("/subject", "về việc chuẩn bị hội nghị sơ kết 6 tháng đầu năm"),
            ("/addressees/0", "Các ban xây dựng Đảng Tỉnh ủy"),
            ("/body/0/text", "Văn phòng Tỉnh ủy đề nghị các ban gửi báo cáo trước ngày 20/6 (qua các phòng, …)."),
        ] {
            state.update(Message::Field(pointer.into(), value.into()), &mut ctx);
        }
        assert_eq!(state.findings(), &[], "a filled Party công văn passes");
        // Two lines of Nơi nhận ending with "," as Tỉnh ủy documents print them.
        state.update(Message::Add(List::Recipients), &mut ctx);
        let n = state.document().unwrap().recipients.len();
        state.update(Message::Field(format!("/recipients/{}", n - 2), "Thường trực Tỉnh ủy (b/c),".into()), &mut ctx);
        let doc = state.document().unwrap();
        assert_eq!(doc.recipients.last().map(String::as_str), Some("Lưu Văn phòng Tỉnh ủy."), "{:?}", doc.recipients);
        assert_eq!(state.findings(), &[], "{:?}", doc.recipients);
        assert!(matches!(state.update(Message::Save, &mut ctx), Go::Notice(_)));
    }

    #[test]
    fn a_deputy_line_a_table_and_a_note_are_edited_and_saved() {
        let mut f = Fixture::demo("buivantoan");
        let mut ctx = f.ctx();
        let mut state = State::new(&ctx);
        state.update(Message::New("bao-cao".into()), &mut ctx);
        // The deputy line of a two-level block.
        state.update(Message::Field("/signer/form".into(), "TM.".into()), &mut ctx);
        state.update(Message::Field("/signer/principal".into(), "ỦY BAN NHÂN DÂN".into()), &mut ctx);
        state.update(Message::Field("/signer/deputy/form".into(), "KT.".into()), &mut ctx);
        state.update(Message::Field("/signer/deputy/principal".into(), "CHU\u{309} TI\u{323}CH".into()), &mut ctx);
        let signer = &state.document().unwrap().signer;
        assert_eq!(signer.authority_lines(), ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"], "NFC, two lines");
        // A table: fill a cell, add a row and a column, two heading rows, drop a column.
        state.update(Message::AddBlock(NewBlock::Table), &mut ctx);
        let t = state.document().unwrap().body.len() - 1;
        state.update(Message::Field(format!("/body/{t}/rows/1/1"), "Xã Phú Hội".into()), &mut ctx);
        state.update(Message::Table(t, TableEdit::AddRow), &mut ctx);
        state.update(Message::Table(t, TableEdit::AddColumn), &mut ctx);
        state.update(Message::Field(format!("/body/{t}/rows/2/2"), "Đạt".into()), &mut ctx);
        state.update(Message::Table(t, TableEdit::MoreHeadings), &mut ctx);
        state.update(Message::Table(t, TableEdit::RemoveColumn(0)), &mut ctx);
        let table = &state.document().unwrap().body[t];
        assert_eq!(
            table.rows.as_deref().unwrap(),
            [
                vec!["Nội dung".to_owned(), String::new()],
                vec!["Xã Phú Hội".into(), String::new()],
                vec![String::new(), "Đạt".into()]
            ]
        );
        assert_eq!(table.heading_rows(), 2);
        for _ in 0..5 {
            state.update(Message::Table(t, TableEdit::RemoveRow(0)), &mut ctx);
            state.update(Message::Table(t, TableEdit::RemoveColumn(0)), &mut ctx);
        }
        let table = &state.document().unwrap().body[t];
        assert_eq!((table.rows.as_ref().unwrap().len(), table.column_count()), (1, 1), "one cell always stays");
        assert!(table.heading_rows() <= 1);
        assert!(input_ids(state.document().unwrap()).contains(&format!("/body/{t}/rows/0/0")));
        // A note after the text.
        state.update(Message::AddBlock(NewBlock::Note), &mut ctx);
        let n = state.document().unwrap().body.len() - 1;
        state.update(Message::Field(format!("/body/{n}/text"), "(Kèm theo Công văn số 847/UBND-VX)".into()), &mut ctx);
        assert_eq!(state.document().unwrap().body[n].kind, BlockKind::Note);
        // Saved, it reads back the same; clearing the deputy removes the line.
        assert!(matches!(state.update(Message::Save, &mut ctx), Go::Notice(_)));
        let id = state.id().unwrap();
        let stored = ctx.store.document(id).unwrap().unwrap().document;
        assert_eq!(&stored, state.document().unwrap());
        state.update(Message::Field("/signer/deputy/form".into(), String::new()), &mut ctx);
        state.update(Message::Field("/signer/deputy/principal".into(), String::new()), &mut ctx);
        assert_eq!(state.document().unwrap().signer.deputy, None);
        // A table edit on a block that is not a table changes nothing.
        let before = state.document().unwrap().clone();
        state.update(Message::Table(n, TableEdit::AddRow), &mut ctx);
        assert_eq!(state.document().unwrap(), &before);
    }

    #[test]
    fn focus_targets_find_the_nearest_input() {
        let mut f = Fixture::demo("buivantoan");
        let ctx = f.ctx();
        let doc = ctx.store.draft_template(ctx.actor, Family::State, "cong-van").unwrap();
        assert_eq!(focus_target(&doc, "/subject").as_deref(), Some("/subject"));
        assert_eq!(focus_target(&doc, "/body/0").as_deref(), Some("/body/0/text"));
        assert_eq!(focus_target(&doc, "/recipients/9").as_deref(), Some("/recipients/1"));
        assert_eq!(focus_target(&doc, "/signer").as_deref(), Some("/signer/form"));
        assert_eq!(focus_target(&doc, ""), None);
    }
}
