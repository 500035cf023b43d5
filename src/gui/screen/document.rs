//! One outgoing document: its text, the 4-đúng panel, the differences from the
//! previous version, its history, and the steps the core allows the user (comment,
//! return, approve, check format, sign with the password re-entered, number, issue).

use iced::widget::{button, column, container, row, scrollable, text, text_input};
use iced::{Element, Length};
use vanthu_core::exchange::diff::Change;
use vanthu_core::model::{OutgoingState, Role};
use vanthu_core::rules::Finding;
use vanthu_core::store::{ApprovalSignature, AuditEvent, StoredDocument};
use vanthu_core::workflow::Action;

use crate::gui::session::{Ctx, Go};
use crate::gui::widget::findings;
use crate::gui::widget::ime_guard::guard;
use crate::gui::{font, theme};

#[path = "document_digital.rs"]
pub mod digital;
#[path = "document_steps.rs"]
pub mod steps;
use digital::{DigitalDialog, DigitalMessage};
use steps::{StepDialog, StepMessage};

/// Page state.
#[derive(Debug)]
pub struct State {
    stored: StoredDocument,
    layout: Option<vanthu_core::pdf::DocumentLayout>,
    findings: Vec<Finding>,
    actions: Vec<Action>,
    may_edit: bool,
    comment: String,
    versions: usize,
    changes: Vec<Change>,
    history: Vec<AuditEvent>,
    /// Full names by user name, for the history.
    names: std::collections::HashMap<String, String>,
    signatures: Vec<ApprovalSignature>,
    dialog: Option<String>,
    /// The signer's key is being unlocked on a worker thread.
    unlocking: bool,
    /// A step that cannot be undone, waiting for confirmation.
    step: Option<StepDialog>,
    /// The digital-signing dialog (`Ký số`, `Phát hành có đóng dấu số`).
    digital: Option<DigitalDialog>,
    /// The digital signatures of the signed PDF, checked.
    reports: Vec<vanthu_core::pki::verify::SignatureReport>,
    /// The files attached to the document (appendices, supporting documents).
    attachments: Vec<vanthu_core::store::Attachment>,
    error: Option<String>,
    /// The second click of a double click takes no second step.
    guard: crate::gui::widget::step_guard::StepGuard,
    /// For Trình, Duyệt nội dung and Duyệt thể thức offered: who takes the next step.
    next_takers: Vec<(Action, Vec<vanthu_core::store::PersonLine>)>,
}

/// Messages of the document page.
#[derive(Debug, Clone)]
pub enum Message {
    /// The comment changed.
    Comment(String),
    /// Take a step (Sign opens the password dialog).
    Act(Action),
    /// The password in the sign dialog changed.
    Password(String),
    /// Sign with the password entered.
    ConfirmSign,
    /// Close the dialog.
    Close,
    /// Edit the draft.
    Edit,
    /// Export to PDF (save dialog, off the UI thread).
    Export,
    /// The worker unlocked the signing key (`None`: the unlock failed to run).
    Unlocked(Option<Box<vanthu_core::store::UnlockedSigner>>),
    /// The step dialog (Cấp số, Phát hành, Lập hồ sơ, Thu hồi).
    Step(StepMessage),
    /// The digital-signing dialog.
    Digital(DigitalMessage),
    /// Attach a file to the draft (a file dialog, off the UI thread).
    Attach(vanthu_core::store::AttachmentKind),
    /// Remove an attached file from the draft.
    Detach(i64),
}

impl State {
    /// The error shown on the page, if any (the shell shows no toast repeating it).
    pub fn shown_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Loads a document for the signed-in user.
    pub fn new(id: i64, ctx: &Ctx<'_>) -> Result<Self, String> {
        let stored =
            ctx.store.document(id).map_err(|e| e.to_string())?.ok_or_else(|| format!("Không có văn bản #{id}."))?;
        let mut state = State {
            layout: None,
            findings: Vec::new(),
            actions: Vec::new(),
            may_edit: false,
            comment: String::new(),
            versions: 0,
            changes: Vec::new(),
            history: Vec::new(),
            names: crate::gui::session::full_names(ctx.store),
            signatures: Vec::new(),
            dialog: None,
            unlocking: false,
            step: None,
            digital: None,
            reports: Vec::new(),
            attachments: Vec::new(),
            error: None,
            guard: Default::default(),
            next_takers: Vec::new(),
            stored,
        };
        state.reload(ctx)?;
        Ok(state)
    }

    /// Reloads after work done elsewhere (a file attached by a worker).
    pub fn refresh(&mut self, ctx: &Ctx<'_>) {
        if let Err(e) = self.reload(ctx) {
            self.error = Some(e);
        }
    }

    /// The signing key's file chosen in a file dialog: into the signing dialog.
    pub fn key_file_chosen(&mut self, path: std::path::PathBuf) -> Go {
        match &mut self.digital {
            Some(dialog) => {
                dialog.edit(&DigitalMessage::Path(path.display().to_string()));
                Go::Focus(iced::widget::Id::new("digital-secret"))
            }
            None => Go::Stay,
        }
    }

    fn reload(&mut self, ctx: &Ctx<'_>) -> Result<(), String> {
        let id = self.stored.id;
        if !ctx.store.may_see_document(ctx.actor, id).map_err(|e| e.to_string())? {
            return Err(
                "Bạn không được xem văn bản này: văn bản của cơ quan khác, hoặc dự thảo chưa trình của người khác."
                    .to_owned(),
            );
        }
        self.stored =
            ctx.store.document(id).map_err(|e| e.to_string())?.ok_or_else(|| format!("Không có văn bản #{id}."))?;
        self.layout = Some(vanthu_core::pdf::layout_document_in_state(
            &self.stored.document,
            ctx.setup.ruleset(self.stored.document.family),
            self.stored.state,
        ));
        self.signatures = ctx.store.approval_signatures(id).map_err(|e| e.to_string())?;
        self.reports = digital::reports(ctx.store, id)?;
        self.attachments = ctx.store.draft_attachments(id).map_err(|e| e.to_string())?;
        self.findings = ctx.check(&self.stored.document);
        let today = chrono::Local::now().date_naive();
        self.actions = ctx.store.available_actions(ctx.actor, id, today).map_err(|e| e.to_string())?;
        self.next_takers = Vec::new();
        for action in [Action::Submit, Action::Approve, Action::CheckFormat] {
            if self.actions.contains(&action) {
                let mut takers = ctx.store.next_step_takers(id, action, today).map_err(|e| e.to_string())?;
                crate::gui::wording::sort_vietnamese(&mut takers, |t| t.full_name.as_str());
                self.next_takers.push((action, takers));
            }
        }
        let mine = ctx.store.documents_drafted_by(ctx.actor.user().id).unwrap_or_default();
        self.may_edit = ctx.actor.has(Role::Drafter)
            && mine.contains(&id)
            && matches!(self.stored.state, OutgoingState::Draft | OutgoingState::Returned);
        let versions = ctx.store.versions(id).map_err(|e| e.to_string())?;
        self.versions = versions.len();
        self.changes = match versions.as_slice() {
            [.., (a, _), (b, _)] => ctx.store.diff_versions(id, *a, *b).map_err(|e| e.to_string())?,
            _ => Vec::new(),
        };
        self.history = ctx.store.audit_events(Some(("document", id))).map_err(|e| e.to_string())?;
        // Dossiers and documents named by the office's numbers, not by record ids.
        if let Ok(numbers) = ctx.store.office_numbers(ctx.actor) {
            for e in &mut self.history {
                e.comment = e.comment.as_deref().map(|c| numbers.rewrite(c));
            }
        }
        Ok(())
    }

    /// The document's state (tests).
    #[cfg(test)]
    pub fn state(&self) -> OutgoingState {
        self.stored.state
    }

    /// The steps offered (tests).
    #[cfg(test)]
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// Whether a dialog is open.
    pub fn has_dialog(&self) -> bool {
        self.dialog.is_some() || self.step.is_some() || self.digital.is_some()
    }

    /// The user waited after the last step (tests: the next click is a new step).
    #[cfg(test)]
    pub fn wait_after_step(&mut self) {
        self.guard.wait(crate::gui::widget::step_guard::QUIET);
    }

    /// The digital-signing dialog (tests).
    #[cfg(test)]
    pub fn digital_dialog(&self) -> Option<&DigitalDialog> {
        self.digital.as_ref()
    }

    /// The digital signatures shown (tests).
    #[cfg(test)]
    pub fn digital_reports(&self) -> &[vanthu_core::pki::verify::SignatureReport] {
        &self.reports
    }

    /// The open step dialog (tests).
    #[cfg(test)]
    pub fn step_dialog(&self) -> Option<&StepDialog> {
        self.step.as_ref()
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, ctx: &mut Ctx<'_>) -> Go {
        let takes_a_step = matches!(
            message,
            Message::Act(_)
                | Message::Edit
                | Message::Step(StepMessage::Confirm)
                | Message::Digital(DigitalMessage::Open(_))
        );
        if takes_a_step && !self.guard.allows() {
            // The rest of a double click on the previous step's button.
            eprintln!("vanthu: #{}: a click right after a step ignored", self.stored.id);
            return Go::Stay;
        }
        match message {
            Message::Comment(c) => {
                self.comment = vanthu_core::text::nfc(&c);
                // The input changed: the last refusal no longer describes it.
                self.error = None;
            }
            Message::Password(p) => {
                if let Some(d) = &mut self.dialog {
                    *d = p;
                    self.error = None;
                }
            }
            Message::Close => {
                if self.dialog.is_some() {
                    // The signing dialog's error leaves with it.
                    self.error = None;
                }
                self.dialog = None;
                self.step = None;
                if self.digital.as_ref().is_some_and(|d| !d.busy) {
                    self.digital = None;
                }
            }
            Message::Step(m) => return self.update_step(m, ctx),
            Message::Digital(m) => return self.update_digital(m, ctx),
            Message::Edit => return Go::Edit(self.stored.id),
            Message::Attach(kind) => {
                return Go::Run(crate::gui::job::Job::AttachToDraft {
                    id: self.stored.id,
                    kind,
                    by: Box::new(ctx.actor.clone()),
                    from: None,
                });
            }
            Message::Detach(attachment) => {
                self.error = None;
                if let Err(e) = ctx.store.detach_from_draft(ctx.actor, attachment, ctx.now()) {
                    eprintln!("vanthu: detach {attachment} from #{}: {e}", self.stored.id);
                    self.error = Some(crate::gui::session::sentence(&e.to_string()));
                    return Go::Stay;
                }
                if let Err(e) = self.reload(ctx) {
                    return Go::Error(e);
                }
                return Go::Notice("Đã bỏ tệp đính kèm.".into());
            }
            Message::Export => return Go::Run(crate::gui::job::Job::ExportPdf { id: self.stored.id, to: None }),
            Message::Act(Action::Sign) => {
                self.dialog = Some(String::new());
                self.error = None;
                return Go::Focus(iced::widget::Id::new("sign-password"));
            }
            Message::Act(action) if steps::asks_first(action) => {
                self.error = None;
                self.step = Some(StepDialog::open(action, self.stored.id, ctx));
                if action == Action::Number {
                    return Go::Focus(iced::widget::Id::new("issue-date"));
                }
            }
            Message::Act(action) => {
                let comment = Some(self.comment.as_str()).filter(|c| !c.trim().is_empty());
                let result = ctx.store.transition(self.stored.id, action, ctx.actor, ctx.now(), comment);
                return self.after(action, result, ctx);
            }
            Message::ConfirmSign if self.unlocking => {}
            Message::ConfirmSign => {
                let Some(password) = self.dialog.clone() else { return Go::Stay };
                match ctx.store.begin_signing(ctx.actor) {
                    Ok(attempt) => {
                        // Checking the password and opening the key take about a
                        // second of argon2id: off the UI thread.
                        self.unlocking = true;
                        self.error = None;
                        return Go::Unlock(Box::new(attempt), password);
                    }
                    Err(e) => self.error = Some(crate::gui::session::sentence(&e.to_string())),
                }
            }
            Message::Unlocked(unlocked) => {
                self.unlocking = false;
                let Some(unlocked) = unlocked else {
                    self.error = Some("Không mở được khóa ký; hãy thử lại.".into());
                    return Go::Stay;
                };
                let comment = Some(self.comment.as_str()).filter(|c| !c.trim().is_empty());
                let result = ctx.store.sign_unlocked(self.stored.id, ctx.actor, *unlocked, ctx.now(), comment);
                if let Err(e) = &result {
                    self.dialog = Some(String::new());
                    self.error = Some(match e {
                        vanthu_core::StoreError::BadCredentials => "Mật khẩu không đúng; hãy nhập lại.".to_owned(),
                        other => crate::gui::wording::explain(other),
                    });
                    eprintln!("vanthu: sign #{}: {e}", self.stored.id);
                    return Go::Stay;
                }
                self.dialog = None;
                return self.after(Action::Sign, result, ctx);
            }
        }
        Go::Stay
    }

    fn update_digital(&mut self, message: DigitalMessage, ctx: &mut Ctx<'_>) -> Go {
        if let DigitalMessage::Open(action) = message {
            self.digital = Some(DigitalDialog::new(action));
            return Go::Focus(iced::widget::Id::new("digital-path"));
        }
        let Some(dialog) = &mut self.digital else { return Go::Stay };
        match message {
            DigitalMessage::Read | DigitalMessage::Confirm | DigitalMessage::Browse if dialog.busy => {}
            DigitalMessage::Browse => {
                return Go::Run(crate::gui::job::Job::PickKeyFile { pkcs11: dialog.is_pkcs11(), from: None });
            }
            DigitalMessage::Read => match dialog.key() {
                Ok(key) => {
                    dialog.busy = true;
                    dialog.error = None;
                    return Go::ReadCertificate(key);
                }
                Err(e) => dialog.error = Some(e),
            },
            DigitalMessage::CertificateRead(read) => {
                dialog.busy = false;
                match read {
                    Some(Ok(cert)) => {
                        dialog.certificate = Some(cert);
                        if dialog.action == Action::Sign {
                            return Go::Focus(iced::widget::Id::new("digital-password"));
                        }
                    }
                    Some(Err(e)) => dialog.error = Some(crate::gui::session::sentence(&e)),
                    None => dialog.error = Some("Không đọc được chứng thư; hãy thử lại.".into()),
                }
            }
            DigitalMessage::Confirm => {
                let comment = Some(self.comment.clone()).filter(|c| !c.trim().is_empty());
                match dialog.request(self.stored.id, ctx.actor, comment) {
                    Ok(request) => {
                        dialog.busy = true;
                        dialog.error = None;
                        return Go::SignDigitally(Box::new(request));
                    }
                    Err(e) => dialog.error = Some(e),
                }
            }
            DigitalMessage::Done(done) => {
                dialog.busy = false;
                match done {
                    Some(Ok(notice)) => {
                        self.guard.stepped();
                        self.digital = None;
                        self.comment.clear();
                        if let Err(e) = self.reload(ctx) {
                            return Go::Error(e);
                        }
                        return Go::Notice(notice);
                    }
                    Some(Err(e)) => {
                        eprintln!("vanthu: digital signing #{}: {e}", self.stored.id);
                        dialog.error = Some(e);
                    }
                    None => dialog.error = Some("Việc ký bị gián đoạn; hãy thử lại.".into()),
                }
            }
            edit => dialog.edit(&edit),
        }
        Go::Stay
    }

    fn update_step(&mut self, message: StepMessage, ctx: &mut Ctx<'_>) -> Go {
        let Some(step) = &mut self.step else { return Go::Stay };
        match message {
            StepMessage::Date(d) => step.set_date(d, &ctx.setup.calendar),
            StepMessage::Dossier(d) => {
                step.dossier = Some(d);
                step.error = None;
            }
            StepMessage::Confirm => {
                let id = self.stored.id;
                let action = step.action;
                let comment = Some(self.comment.as_str()).filter(|c| !c.trim().is_empty());
                let result = match action {
                    Action::Number => {
                        let Some(date) = steps::parse_date(&step.date) else { return Go::Stay };
                        ctx.store.number_on(id, ctx.actor, ctx.now(), date, comment)
                    }
                    Action::File => {
                        let Some(dossier) = step.dossier.clone() else { return Go::Stay };
                        let filed = ctx.store.add_to_dossier(
                            ctx.actor,
                            dossier.id,
                            vanthu_core::store::FiledItem::Document(id),
                            ctx.now(),
                        );
                        return match filed {
                            Ok(()) => {
                                self.guard.stepped();
                                self.step = None;
                                self.comment.clear();
                                if let Err(e) = self.reload(ctx) {
                                    return Go::Error(e);
                                }
                                Go::Notice(format!("Đã lập hồ sơ: văn bản #{id} vào hồ sơ {}.", dossier.label))
                            }
                            Err(e) => {
                                eprintln!("vanthu: file #{id}: {e}");
                                step.error = Some(crate::gui::wording::explain(&e));
                                Go::Stay
                            }
                        };
                    }
                    other => ctx.store.transition(id, other, ctx.actor, ctx.now(), comment),
                };
                if let Err(e) = &result {
                    // The dialog stays open and says why.
                    eprintln!("vanthu: {} #{id}: {e}", action.code());
                    step.error = Some(crate::gui::wording::explain(e));
                    return Go::Stay;
                }
                self.step = None;
                return self.after(action, result, ctx);
            }
        }
        Go::Stay
    }

    fn after(
        &mut self,
        action: Action,
        result: Result<vanthu_core::store::TransitionOutcome, vanthu_core::StoreError>,
        ctx: &Ctx<'_>,
    ) -> Go {
        match result {
            Ok(outcome) => {
                self.guard.stepped();
                self.comment.clear();
                self.error = None;
                // To whom the step sent it (named on the page before the step).
                let to = self
                    .next_takers
                    .iter()
                    .find(|(a, _)| *a == action)
                    .filter(|(_, takers)| !takers.is_empty())
                    .map(|(_, takers)| {
                        format!(", tới {}", takers.iter().map(|t| t.addressed()).collect::<Vec<_>>().join(" hoặc "))
                    })
                    .unwrap_or_default();
                if let Err(e) = self.reload(ctx) {
                    return Go::Error(e);
                }
                let number = outcome.number.map(|n| format!(", số {n}")).unwrap_or_default();
                Go::Notice(format!(
                    "{}: {} {} → {}{number}{to}.",
                    action.label(),
                    steps::office_name(&self.stored),
                    outcome.from.label(),
                    outcome.to.label()
                ))
            }
            Err(e) => {
                eprintln!("vanthu: {} #{}: {e}", action.code(), self.stored.id);
                let shown = crate::gui::wording::explain(&e);
                self.error = Some(shown.clone());
                Go::Error(shown)
            }
        }
    }

    /// The sign-offs of the document: who signed, when, the key's fingerprint and
    /// whether the signature still verifies against the text kept.
    fn signatures_view(&self) -> Element<'_, Message> {
        if self.signatures.is_empty() {
            return column![].into();
        }
        let mut list = column![text("Chữ ký").size(theme::HEADING).font(font::BOLD)].spacing(4);
        for s in &self.signatures {
            let when = chrono::DateTime::parse_from_rfc3339(&s.signed_at)
                .map(|t| t.with_timezone(&chrono::Local).format("%H:%M ngày %d/%m/%Y").to_string())
                .unwrap_or_else(|_| s.signed_at.clone());
            let (status, color) = if s.valid {
                ("Chữ ký hợp lệ: nội dung không đổi từ khi ký.", theme::OK)
            } else {
                ("Chữ ký KHÔNG hợp lệ: nội dung hoặc chữ ký đã bị thay đổi.", theme::ERROR)
            };
            list = list.push(
                column![
                    text(format!("Đã ký: {} lúc {when}", s.signer)).font(font::BOLD),
                    text(status).color(color),
                    text(format!("Dấu vân tay khóa ký: {}", s.fingerprint)).size(12).color(theme::MUTED),
                ]
                .spacing(1),
            );
        }
        list.into()
    }

    /// Draws the page.
    pub fn view(&self) -> Element<'_, Message> {
        let d = &self.stored.document;
        let kind = vanthu_core::ruleset::kind_name(d.family, d.kind.as_str()).unwrap_or(d.kind.as_str());
        let header = row![
            column![
                text(match d.number_notation() {
                    Some(n) => format!("{kind} số {n}"),
                    None => kind.to_owned(),
                })
                .size(theme::TITLE)
                .font(font::BOLD),
                text(format!(
                    "{} · {}{}",
                    self.stored.state.label(),
                    d.number_notation().map_or_else(|| "chưa cấp số".to_owned(), |n| format!("Số {n}")),
                    if self.versions > 0 { format!(" · {} phiên bản", self.versions) } else { String::new() }
                ))
                .color(theme::MUTED),
            ]
            .width(Length::Fill),
            button(text("Xuất PDF")).on_press(Message::Export).style(button::secondary)
        ];
        let body: Element<'_, Message> = match &self.layout {
            Some(layout) => crate::gui::widget::preview::Preview { layout: layout.clone(), width: 560.0 }.view(),
            None => text("").into(),
        };
        let mut left = column![body].spacing(theme::GAP);
        let mut diff = column![text("Khác biệt so với phiên bản trước").font(font::BOLD)].spacing(4);
        if self.changes.is_empty() {
            diff = diff.push(text("Không có phiên bản trước.").color(theme::MUTED));
        }
        for c in &self.changes {
            diff = diff.push(
                column![
                    text(crate::gui::widget::findings::field_name(&c.field)).size(12).color(theme::MUTED),
                    text(format!("− {}", value_text(&c.before))).color(theme::ERROR),
                    text(format!("+ {}", value_text(&c.after))).color(theme::OK),
                ]
                .spacing(1),
            );
        }
        left = left.push(diff);
        let mut history = column![text("Lịch sử").font(font::BOLD)].spacing(2);
        for e in &self.history {
            history = history.push(
                text(format!(
                    "{} · {} · {}{}{}",
                    super::audit::when(&e.at),
                    super::audit::actor_line(&self.names, e),
                    crate::gui::session::action_label(&e.action),
                    e.state_after
                        .as_deref()
                        .map(|s| format!(" → {}", crate::gui::session::state_name("document", s)))
                        .unwrap_or_default(),
                    e.comment
                        .as_deref()
                        .map(|c| format!(" — {}", crate::gui::wording::short_hashes(c)))
                        .unwrap_or_default()
                ))
                .size(12),
            );
        }
        left = left.push(history);

        let mut actions = column![text("Thao tác").size(theme::HEADING).font(font::BOLD)].spacing(8);
        if self.actions.is_empty() && !self.may_edit {
            actions = actions
                .push(text("Bạn không có thao tác nào trên văn bản này ở trạng thái hiện tại.").color(theme::MUTED));
        } else {
            // The field is shown only when a step offered takes an opinion: a văn thư
            // about to number or issue has none to give.
            if self.actions.iter().any(|a| steps::takes_opinion(*a)) {
                let hint = if self.actions.iter().any(|a| a.needs_comment()) {
                    "Ý kiến (bắt buộc khi trả lại, thu hồi)"
                } else {
                    "Ý kiến (nếu có)"
                };
                actions = actions.push(
                    text_input(hint, &self.comment)
                        .id(iced::widget::Id::new("opinion"))
                        .on_input(Message::Comment)
                        .padding(6),
                );
            }
            let mut buttons = row![].spacing(8);
            if self.may_edit {
                buttons = buttons.push(button(text("Sửa dự thảo")).on_press(Message::Edit).style(button::secondary));
            }
            for a in &self.actions {
                let style = if *a == Action::Return { button::danger } else { button::primary };
                buttons = buttons.push(button(text(a.label())).on_press(Message::Act(*a)).style(style));
            }
            // Signing and issuing with a certificate (a token or a PKCS#12 file).
            for (a, label) in [(Action::Sign, "Ký số…"), (Action::Issue, "Phát hành, đóng dấu số…")] {
                if self.actions.contains(&a) {
                    let open = Message::Digital(DigitalMessage::Open(a));
                    buttons = buttons.push(button(text(label)).on_press(open).style(button::secondary));
                }
            }
            actions = actions.push(buttons.wrap());
            for (action, takers) in &self.next_takers {
                actions =
                    actions.push(text(steps::recipients_line(*action, takers)).size(13).color(if takers.is_empty() {
                        theme::WARNING
                    } else {
                        theme::MUTED
                    }));
            }
        }
        // A dialog shows its own error; the page does not repeat it underneath.
        // Its room is kept: the panel below does not move when it appears or goes.
        actions = actions.push(crate::gui::widget::slot::error(self.error.as_deref().filter(|_| !self.has_dialog())));
        let panel = findings::panel(
            &self.findings,
            &findings::Callbacks { focus: |_| Message::Close, fix: None::<fn(usize) -> Message> },
        );
        let mut files =
            column![digital::attachments_view(&self.attachments, self.may_edit.then_some(Message::Detach))].spacing(6);
        if self.may_edit {
            use vanthu_core::store::AttachmentKind;
            files = files.push(
                row![
                    button(text("Đính kèm phụ lục…"))
                        .on_press(Message::Attach(AttachmentKind::Appendix))
                        .style(button::secondary),
                    button(text("Đính kèm tài liệu…"))
                        .on_press(Message::Attach(AttachmentKind::Supporting))
                        .style(button::secondary),
                ]
                .spacing(8)
                .wrap(),
            );
        }
        let right = column![self.signatures_view(), digital::reports_view(&self.reports), files, actions, panel]
            .spacing(theme::GAP);
        column![
            header,
            row![
                scrollable(left).height(Length::Fill).width(Length::FillPortion(3)),
                scrollable(right).height(Length::Fill).width(Length::FillPortion(2)),
            ]
            .spacing(theme::GAP)
        ]
        .spacing(theme::GAP)
        .into()
    }

    /// The open dialog, drawn by the shell over the whole window (dimmed) at a
    /// fixed height: its buttons do not move when its text grows or shrinks.
    pub fn dialog(&self) -> Option<Element<'_, Message>> {
        if let Some(step) = &self.step {
            let title = steps::dialog_title(&self.stored);
            return Some(step.view(title, Message::Step, Message::Close));
        }
        if let Some(dialog) = &self.digital {
            return Some(dialog.view(Message::Digital, Message::Close));
        }
        let password = self.dialog.as_ref()?;
        let mut dialog = column![
            text("Ký văn bản").size(theme::HEADING).font(font::BOLD),
            text("Nhập lại mật khẩu để mở khóa chữ ký số của bạn."),
            guard(
                text_input("Mật khẩu", password)
                    .id(iced::widget::Id::new("sign-password"))
                    .on_input(Message::Password)
                    .on_submit(Message::ConfirmSign)
                    .secure(true)
                    .padding(8)
            ),
        ]
        .spacing(8);
        // The error's room is kept: the buttons below never move.
        dialog = dialog.push(crate::gui::widget::slot::error(self.error.as_deref()));
        dialog = dialog.push(
            row![
                button(text("Hủy")).on_press(Message::Close).style(button::secondary),
                if self.unlocking {
                    button(text("Đang mở khóa chữ ký…"))
                } else {
                    button(text("Xác nhận ký")).on_press(Message::ConfirmSign)
                },
            ]
            .spacing(8),
        );
        Some(container(dialog).padding(20).width(420).style(container::bordered_box).into())
    }
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "(trống)".to_owned(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::testing::Fixture;

    #[test]
    fn a_drafter_is_not_offered_signing_and_the_core_refuses_it() {
        let mut f = Fixture::demo("buivantoan");
        let id = f.document_in(OutgoingState::AwaitingSignature);
        let mut ctx = f.ctx();
        let mut state = State::new(id, &ctx).unwrap();
        assert!(!state.actions().contains(&Action::Sign), "not offered");
        let go = state.update(Message::Act(Action::Sign), &mut ctx);
        assert!(matches!(go, Go::Focus(_)), "the dialog opens only when asked");
        state.update(Message::Password("demo".into()), &mut ctx);
        let Go::Unlock(attempt, password) = state.update(Message::ConfirmSign, &mut ctx) else {
            panic!("the key is unlocked off the UI thread")
        };
        assert!(matches!(state.update(Message::ConfirmSign, &mut ctx), Go::Stay), "one unlock at a time");
        let unlocked = std::thread::spawn(move || attempt.unlock(&password)).join().unwrap();
        state.update(Message::Unlocked(Some(Box::new(unlocked))), &mut ctx);
        let error = state.error.as_deref().unwrap().to_lowercase();
        assert!(error.contains("không có quyền"), "{error}");
        assert_eq!(state.state(), OutgoingState::AwaitingSignature);
        assert!(ctx.store.sign(id, ctx.actor, "demo", ctx.now(), None).is_err());
    }

    #[test]
    fn return_needs_a_comment() {
        // The report of the Phòng Hành chính - Tổ chức waits for its head.
        let mut f = Fixture::demo("doquanghuy");
        let id = f.document_in(OutgoingState::ContentReview);
        let mut ctx = f.ctx();
        let mut state = State::new(id, &ctx).unwrap();
        assert!(state.actions().contains(&Action::Return));
        assert!(matches!(state.update(Message::Act(Action::Return), &mut ctx), Go::Error(_)));
        state.update(Message::Comment("Bổ sung số liệu".into()), &mut ctx);
        assert!(matches!(state.update(Message::Act(Action::Return), &mut ctx), Go::Notice(_)));
        assert_eq!(state.state(), OutgoingState::Returned);
        assert!(state.history.iter().any(|e| e.comment.as_deref() == Some("Bổ sung số liệu")));
    }
}
