//! Quản trị: the administrator's pages. Agencies and units, people, positions and
//! accounts with their roles, the authority matrix and delegations with dates, the
//! working calendar and the rulesets with their references, each with the forms to
//! change them. Every change is a core call that checks the administrator role,
//! validates, and records the change in the audit log.

use chrono::{Datelike, NaiveDate};
use iced::widget::text_editor;
use vanthu_core::model::{
    Agency, Delegation, DelegationKind, Family, Person, Position, PositionRank, Role, Unit, User,
};
use vanthu_core::store::{AuthorityGrant, NewDelegation, NewPerson, NewPosition, NewUnit, NewUser};

use crate::gui::session::{Ctx, Go};
pub use crate::gui::widget::choice::{Choice, choice, coded};

#[path = "admin_view.rs"]
mod view;

#[path = "admin_rules.rs"]
mod rules;

/// A tab of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Agencies and units.
    Agencies,
    /// People, positions, roles.
    People,
    /// Authority matrix and delegations.
    Authority,
    /// Calendar.
    Calendar,
    /// Rules.
    Rules,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Tab; 5] = [Tab::Agencies, Tab::People, Tab::Authority, Tab::Calendar, Tab::Rules];

    /// Its label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Agencies => "Cơ quan, đơn vị",
            Tab::People => "Người dùng, chức vụ",
            Tab::Authority => "Thẩm quyền ký, ủy quyền",
            Tab::Calendar => "Lịch làm việc",
            Tab::Rules => "Bộ quy tắc",
        }
    }
}

/// A text field of the forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// New agency: superior body as printed.
    AgencyParent,
    /// New agency: name as printed.
    AgencyName,
    /// New agency: name in normal case.
    AgencyShortName,
    /// New agency: abbreviation.
    AgencyAbbreviation,
    /// New agency: place name.
    AgencyPlace,
    /// New unit: name.
    UnitName,
    /// New unit: abbreviation.
    UnitAbbreviation,
    /// New position: title.
    PositionTitle,
    /// New person: full name.
    PersonName,
    /// New account: user name.
    Username,
    /// New account: password.
    Password,
    /// Delegation: first day (dd/mm/yyyy).
    DelegationFrom,
    /// Delegation: last day.
    DelegationUntil,
    /// Delegation: written basis.
    DelegationBasis,
    /// Calendar: the day made a rest day or a working day (dd/mm/yyyy).
    CalendarDay,
}

/// A picker of the forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Picker {
    /// The agency the tabs work on.
    Agency,
    /// New agency: family.
    AgencyFamily,
    /// New position: rank.
    Rank,
    /// New person: unit.
    PersonUnit,
    /// New person: position.
    PersonPosition,
    /// New account: the person.
    AccountPerson,
    /// Access: the account whose roles change.
    Account,
    /// Authority: position.
    GrantPosition,
    /// Authority: kind.
    GrantKind,
    /// Delegation: kind (TL, TUQ, T/L).
    DelegationKind,
    /// Delegation: delegating position.
    DelegationPosition,
    /// Delegation: delegate.
    DelegationPerson,
    /// Delegation: kinds covered.
    DelegationScope,
    /// Rules: family.
    Family,
}

/// What a submit button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submit {
    /// Add the agency.
    Agency,
    /// Add the unit.
    Unit,
    /// Add the position.
    Position,
    /// Add the person.
    Person,
    /// Create the account.
    Account,
    /// Save an account's roles and whether it is active.
    Access,
    /// Grant the authority.
    Grant,
    /// Record the delegation.
    Delegation,
    /// Save the calendar override.
    Calendar,
    /// Remove the calendar override.
    ClearCalendar,
    /// Save the ruleset override.
    Ruleset,
    /// Remove the ruleset override.
    ClearRuleset,
    /// Make the typed day a rest day.
    RestDay,
    /// Make the typed day a working day.
    WorkingDay,
    /// Give the typed day back to the default calendar.
    DefaultDay,
}

/// The multi-line editors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editor {
    /// The calendar override (TOML).
    Calendar,
    /// The ruleset override (TOML).
    Ruleset,
}

/// Messages of the page.
#[derive(Debug, Clone)]
pub enum Message {
    /// Switch tab.
    Tab(Tab),
    /// A text field changed.
    Text(Field, String),
    /// A picker chose.
    Pick(Picker, Choice),
    /// New account: a role ticked or unticked.
    Role(Role, bool),
    /// New agency: collective regime ticked or unticked.
    Collective(bool),
    /// Access: a role ticked or unticked.
    AccessRole(Role, bool),
    /// Access: the account may log in.
    Active(bool),
    /// A form's button.
    Submit(Submit),
    /// Withdraw a line of the authority matrix.
    Revoke(i64, String),
    /// End a delegation today.
    EndDelegation(i64),
    /// Calendar: the year shown.
    Year(i32),
    /// An editor's action.
    Edit(Editor, text_editor::Action),
    /// Rules: a rule applied or not.
    RuleEnabled(String, bool),
    /// Rules: a rule's level.
    RuleLevel(String, Choice),
    /// Show or hide the hand-written overrides.
    Advanced(bool),
    /// Calendar: Saturday is a working day.
    Saturday(bool),
}

/// Page state.
pub struct State {
    pub(super) tab: Tab,
    pub(super) today: NaiveDate,
    pub(super) agencies: Vec<Agency>,
    pub(super) agency: Option<Choice>,
    pub(super) units: Vec<Unit>,
    pub(super) positions: Vec<Position>,
    pub(super) people: Vec<Person>,
    pub(super) all_people: Vec<Person>,
    pub(super) users: Vec<User>,
    pub(super) grants: Vec<AuthorityGrant>,
    pub(super) delegations: Vec<Delegation>,
    pub(super) year: i32,
    pub(super) days_off: Vec<(NaiveDate, String)>,
    pub(super) family: Family,
    pub(super) rules: rules::RulesView,
    pub(super) advanced: bool,
    pub(super) saturday_working: bool,
    pub(super) working_days: Vec<NaiveDate>,
    pub(super) texts: std::collections::HashMap<Field, String>,
    pub(super) picks: std::collections::HashMap<Picker, Choice>,
    pub(super) roles: Vec<Role>,
    pub(super) collective: bool,
    pub(super) access_roles: Vec<Role>,
    pub(super) active: bool,
    pub(super) calendar: text_editor::Content,
    pub(super) ruleset: text_editor::Content,
    /// The overrides as read, to refuse saving over another administrator's change.
    pub(super) loaded: (Option<String>, Option<String>),
    /// Withdrawing a grant or ending a delegation moves the next row under the
    /// pointer: the second click of a double click takes nothing.
    pub(super) guard: crate::gui::widget::step_guard::StepGuard,
    pub(super) error: Option<String>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Admin").field("tab", &self.tab).field("agency", &self.agency).finish_non_exhaustive()
    }
}

/// The ranks of positions, for the picker.
pub fn ranks() -> Vec<Choice> {
    [
        (PositionRank::Head, "Người đứng đầu"),
        (PositionRank::Deputy, "Cấp phó của người đứng đầu"),
        (PositionRank::UnitHead, "Trưởng đơn vị"),
        (PositionRank::UnitDeputy, "Phó đơn vị"),
        (PositionRank::Staff, "Chuyên viên"),
    ]
    .into_iter()
    .map(|(r, label)| coded(r.code(), label))
    .collect()
}

/// The delegation kinds, for the picker.
pub fn delegation_kinds() -> Vec<Choice> {
    [
        (DelegationKind::ThuaLenh, "TL. — thừa lệnh (NĐ 30 Điều 13.4)"),
        (DelegationKind::ThuaUyQuyen, "TUQ. — thừa ủy quyền (NĐ 30 Điều 13.3)"),
        (DelegationKind::PartyThuaLenh, "T/L — thừa lệnh (HD 36)"),
        (DelegationKind::Acting, "Q. — giao quyền cấp trưởng (NĐ 30 Phụ lục I)"),
    ]
    .into_iter()
    .map(|(k, label)| coded(k.code(), label))
    .collect()
}

impl State {
    /// The error shown on the page, if any (the shell shows no toast repeating it).
    pub fn shown_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Loads the page on the administrator's agency (or the first).
    pub fn new(ctx: &Ctx<'_>) -> Self {
        let agencies = ctx.store.agencies().unwrap_or_default();
        let mine = ctx.actor.user().agency_id;
        let agency = agencies
            .iter()
            .find(|a| Some(a.id) == mine)
            .or_else(|| agencies.first())
            .map(|a| choice(a.id, a.short_name.clone()));
        let today = ctx.today();
        let mut state = State {
            tab: Tab::Agencies,
            today,
            agencies,
            agency,
            units: Vec::new(),
            positions: Vec::new(),
            people: Vec::new(),
            all_people: Vec::new(),
            users: Vec::new(),
            grants: Vec::new(),
            delegations: Vec::new(),
            year: today.year(),
            days_off: Vec::new(),
            family: Family::State,
            rules: Default::default(),
            advanced: false,
            saturday_working: false,
            working_days: Vec::new(),
            texts: Default::default(),
            picks: Default::default(),
            roles: vec![Role::Drafter],
            collective: false,
            access_roles: Vec::new(),
            active: true,
            calendar: text_editor::Content::new(),
            ruleset: text_editor::Content::new(),
            loaded: (None, None),
            guard: Default::default(),
            error: None,
        };
        state.reload(ctx);
        state.load_overrides(ctx);
        state
    }

    /// The selected agency.
    pub(super) fn agency_id(&self) -> Option<i64> {
        self.agency.as_ref().map(|a| a.id)
    }

    pub(super) fn agency_family(&self) -> Family {
        self.agencies.iter().find(|a| Some(a.id) == self.agency_id()).map_or(Family::State, |a| a.family)
    }

    fn reload(&mut self, ctx: &Ctx<'_>) {
        self.agencies = ctx.store.agencies().unwrap_or_default();
        self.users = ctx.store.users().unwrap_or_default();
        self.all_people = ctx.store.people().unwrap_or_default();
        crate::gui::wording::sort_vietnamese(&mut self.all_people, |p| p.full_name.as_str());
        if let Some(agency) = self.agency_id() {
            self.units = ctx.store.units(agency).unwrap_or_default();
            self.positions = ctx.store.positions(agency).unwrap_or_default();
            self.people = self.all_people.iter().filter(|p| p.agency_id == Some(agency)).cloned().collect();
            self.grants = ctx.store.authority_grants(agency).unwrap_or_default();
            self.delegations = ctx.store.delegations_of(agency).unwrap_or_default();
        }
        if let Ok(calendar) = ctx.store.work_calendar() {
            self.days_off = calendar.days_off(self.year);
            self.working_days = calendar.working_days_of(self.year);
            self.saturday_working = calendar.saturday_is_working();
        }
        self.rules = rules::RulesView::load(ctx, self.family);
    }

    fn load_overrides(&mut self, ctx: &Ctx<'_>) {
        let calendar = ctx.store.setting("calendar_override").ok().flatten();
        self.calendar = text_editor::Content::with_text(calendar.as_deref().unwrap_or_default());
        let ruleset = ctx.store.ruleset_override(self.family).ok().flatten();
        self.ruleset = text_editor::Content::with_text(ruleset.as_deref().unwrap_or_default());
        self.loaded = (calendar, ruleset);
    }

    pub(super) fn text(&self, field: Field) -> &str {
        self.texts.get(&field).map_or("", String::as_str)
    }

    pub(super) fn pick(&self, picker: Picker) -> Option<&Choice> {
        self.picks.get(&picker)
    }

    fn picked_id(&self, picker: Picker) -> Option<i64> {
        self.pick(picker).map(|c| c.id)
    }

    /// What a change gave: a notice, with the forms it used cleared; or the core's
    /// refusal shown on the page.
    fn outcome<T>(
        &mut self,
        result: vanthu_core::store::Result<T>,
        done: String,
        clear: &[Field],
        ctx: &Ctx<'_>,
        rules: bool,
    ) -> Go {
        match result {
            Ok(_) => {
                self.error = None;
                for f in clear {
                    self.texts.remove(f);
                }
                self.reload(ctx);
                if rules { Go::RulesChanged(done) } else { Go::Notice(done) }
            }
            Err(e) => {
                eprintln!("vanthu: administration change refused: {e}");
                self.error = Some(crate::gui::wording::explain(&e));
                Go::Stay
            }
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message, ctx: &mut Ctx<'_>) -> Go {
        // A refusal describes the input as it was: another tab, or a change to the
        // input, takes it away.
        if matches!(message, Message::Tab(_) | Message::Text(..) | Message::Pick(..)) {
            self.error = None;
        }
        match message {
            Message::Tab(tab) => {
                self.tab = tab;
                // Another administrator may have changed things meanwhile; the
                // hand-written text is kept when it has unsaved edits.
                self.reload(ctx);
                let unsaved = |content: &text_editor::Content, loaded: &Option<String>| {
                    content.text().trim() != loaded.as_deref().unwrap_or("").trim()
                };
                if !unsaved(&self.calendar, &self.loaded.0) && !unsaved(&self.ruleset, &self.loaded.1) {
                    self.load_overrides(ctx);
                }
            }
            Message::Text(field, value) => {
                self.texts.insert(field, value);
            }
            Message::Pick(picker, value) => {
                self.picks.insert(picker, value);
                match picker {
                    Picker::Agency => {
                        self.agency = self.picks.get(&Picker::Agency).cloned();
                        self.picks.retain(|p, _| *p == Picker::Agency || *p == Picker::Family);
                        self.reload(ctx);
                    }
                    Picker::Account => {
                        let id = self.picks[&picker].id;
                        if let Some(user) = self.users.iter().find(|u| u.id == id) {
                            self.access_roles = user.roles.clone();
                            self.active = user.active;
                        }
                    }
                    Picker::Family => {
                        self.family = if self.picks[&picker].code == "party" { Family::Party } else { Family::State };
                        self.reload(ctx);
                        self.load_overrides(ctx);
                    }
                    _ => {}
                }
            }
            Message::Role(role, on) => {
                self.roles.retain(|r| *r != role);
                if on {
                    self.roles.push(role);
                }
            }
            Message::Collective(on) => self.collective = on,
            Message::AccessRole(role, on) => {
                self.access_roles.retain(|r| *r != role);
                if on {
                    self.access_roles.push(role);
                }
            }
            Message::Active(on) => self.active = on,
            Message::Year(step) => {
                self.year += step;
                self.reload(ctx);
            }
            Message::Edit(editor, action) => match editor {
                Editor::Calendar => self.calendar.perform(action),
                Editor::Ruleset => self.ruleset.perform(action),
            },
            Message::Revoke(..) | Message::EndDelegation(_) if !self.guard.allows() => {
                eprintln!("vanthu: administration: a click right after a change ignored");
            }
            Message::Revoke(position, kind) => {
                self.guard.stepped();
                let Some(agency) = self.agency_id() else { return Go::Stay };
                let result = ctx.store.revoke_authority(ctx.actor, agency, position, &kind);
                let name = vanthu_core::ruleset::kind_name(self.family, &kind).unwrap_or("loại văn bản này");
                return self.outcome(result, format!("Đã thu hồi quyền ký {}.", name.to_lowercase()), &[], ctx, true);
            }
            Message::EndDelegation(id) => {
                self.guard.stepped();
                let result = ctx.store.end_delegation(ctx.actor, id, self.today);
                let done = format!("Ủy quyền kết thúc hôm nay {}.", self.today.format("%d/%m/%Y"));
                return self.outcome(result, done, &[], ctx, true);
            }
            Message::Submit(submit) => return self.submit(submit, ctx),
            Message::RuleEnabled(id, on) => return self.choose_rule(&id, Some(on), None, ctx),
            Message::RuleLevel(id, level) => return self.choose_rule(&id, None, Some(&level), ctx),
            Message::Advanced(on) => self.advanced = on,
            Message::Saturday(on) => return self.choose_saturday(on, ctx),
        }
        Go::Stay
    }

    fn submit(&mut self, submit: Submit, ctx: &mut Ctx<'_>) -> Go {
        // Only a new agency needs no agency chosen.
        let Some(agency) = self.agency_id().or((submit == Submit::Agency).then_some(0)) else {
            self.error = Some("Chọn cơ quan trước.".into());
            return Go::Stay;
        };
        let actor = ctx.actor;
        match submit {
            Submit::Agency => self.submit_agency(ctx),
            Submit::Unit => {
                let unit = NewUnit {
                    agency_id: agency,
                    name: self.text(Field::UnitName).to_owned(),
                    abbreviation: self.text(Field::UnitAbbreviation).to_owned(),
                };
                let result = ctx.store.create_unit(actor, &unit);
                self.outcome(
                    result,
                    format!("Đã thêm đơn vị {}.", unit.name.trim()),
                    &[Field::UnitName, Field::UnitAbbreviation],
                    ctx,
                    false,
                )
            }
            Submit::Position => {
                let rank = self
                    .pick(Picker::Rank)
                    .and_then(|c| PositionRank::from_code(&c.code))
                    .unwrap_or(PositionRank::Staff);
                let position =
                    NewPosition { agency_id: agency, title: self.text(Field::PositionTitle).to_owned(), rank };
                let result = ctx.store.create_position(actor, &position);
                self.outcome(
                    result,
                    format!("Đã thêm chức vụ {}.", position.title.trim()),
                    &[Field::PositionTitle],
                    ctx,
                    false,
                )
            }
            Submit::Person => {
                let person = NewPerson {
                    full_name: self.text(Field::PersonName).to_owned(),
                    agency_id: Some(agency),
                    unit_id: self.picked_id(Picker::PersonUnit),
                    position_id: self.picked_id(Picker::PersonPosition),
                };
                let result = ctx.store.create_person(actor, &person);
                self.outcome(result, format!("Đã thêm {}.", person.full_name.trim()), &[Field::PersonName], ctx, true)
            }
            Submit::Account => {
                let Some(person) = self.pick(Picker::AccountPerson).cloned() else {
                    self.error = Some("Chọn người được cấp tài khoản.".into());
                    return Go::Stay;
                };
                let user = NewUser {
                    username: self.text(Field::Username).trim().to_owned(),
                    full_name: person.label.clone(),
                    person_id: Some(person.id),
                    agency_id: Some(agency),
                    roles: self.roles.clone(),
                };
                let password = self.text(Field::Password).to_owned();
                let result = ctx.store.create_user(actor, &user, &password);
                let done = format!("Đã tạo tài khoản {} cho {}.", user.username, person.label);
                self.outcome(result, done, &[Field::Username, Field::Password], ctx, false)
            }
            Submit::Access => {
                let Some(account) = self.pick(Picker::Account).cloned() else {
                    self.error = Some("Chọn tài khoản.".into());
                    return Go::Stay;
                };
                let result = ctx.store.set_user_access(actor, account.id, &self.access_roles, self.active);
                self.outcome(result, format!("Đã lưu vai trò của {}.", account.label), &[], ctx, false)
            }
            Submit::Grant => {
                let (Some(position), Some(kind)) =
                    (self.picked_id(Picker::GrantPosition), self.pick(Picker::GrantKind).cloned())
                else {
                    self.error = Some("Chọn chức vụ và loại văn bản.".into());
                    return Go::Stay;
                };
                let result = ctx.store.grant_authority(actor, agency, position, &kind.code);
                self.outcome(result, format!("Đã giao quyền ký {}.", kind.label), &[], ctx, true)
            }
            Submit::Delegation => self.submit_delegation(agency, ctx),
            Submit::Calendar | Submit::ClearCalendar => {
                let text = self.calendar.text();
                let value = (submit == Submit::Calendar && !text.trim().is_empty()).then_some(text.as_str());
                let loaded = self.loaded.0.clone();
                let result = ctx.store.replace_calendar_override(actor, loaded.as_deref(), value);
                let go = self.outcome(result, "Đã lưu lịch làm việc của cơ quan.".into(), &[], ctx, true);
                if self.error.is_none() {
                    self.load_overrides(ctx);
                }
                go
            }
            Submit::Ruleset | Submit::ClearRuleset => {
                let text = self.ruleset.text();
                let value = (submit == Submit::Ruleset && !text.trim().is_empty()).then_some(text.as_str());
                let loaded = self.loaded.1.clone();
                let result = ctx.store.replace_ruleset_override(actor, self.family, loaded.as_deref(), value);
                let go = self.outcome(result, format!("Đã lưu bộ quy tắc {}.", self.family.label()), &[], ctx, true);
                if self.error.is_none() {
                    self.load_overrides(ctx);
                }
                go
            }
            Submit::RestDay => self.choose_day(vanthu_core::overrides::DayChoice::RestDay, ctx),
            Submit::WorkingDay => self.choose_day(vanthu_core::overrides::DayChoice::WorkingDay, ctx),
            Submit::DefaultDay => self.choose_day(vanthu_core::overrides::DayChoice::Default, ctx),
        }
    }

    fn submit_agency(&mut self, ctx: &mut Ctx<'_>) -> Go {
        let family = if self.pick(Picker::AgencyFamily).is_some_and(|c| c.code == "party") {
            Family::Party
        } else {
            Family::State
        };
        let optional = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_owned());
        let agency = vanthu_core::store::NewAgency {
            family,
            parent_id: None,
            parent_name: optional(self.text(Field::AgencyParent)),
            name: self.text(Field::AgencyName).to_owned(),
            short_name: self.text(Field::AgencyShortName).to_owned(),
            abbreviation: self.text(Field::AgencyAbbreviation).to_owned(),
            place: self.text(Field::AgencyPlace).to_owned(),
            collective: self.collective,
            address: None,
            phone: None,
            email: None,
        };
        let result = ctx.store.create_agency(ctx.actor, &agency);
        let fields = [
            Field::AgencyParent,
            Field::AgencyName,
            Field::AgencyShortName,
            Field::AgencyAbbreviation,
            Field::AgencyPlace,
        ];
        self.outcome(result, format!("Đã thêm cơ quan {}.", agency.name.trim()), &fields, ctx, true)
    }

    fn submit_delegation(&mut self, agency: i64, ctx: &mut Ctx<'_>) -> Go {
        let kind = self.pick(Picker::DelegationKind).and_then(|c| DelegationKind::from_code(&c.code));
        let (Some(kind), Some(position), Some(person)) =
            (kind, self.picked_id(Picker::DelegationPosition), self.picked_id(Picker::DelegationPerson))
        else {
            self.error = Some("Chọn hình thức, chức vụ ủy quyền và người được ủy quyền.".into());
            return Go::Stay;
        };
        let read = crate::gui::wording::read_date;
        let (from, until) = match (read(self.text(Field::DelegationFrom)), read(self.text(Field::DelegationUntil))) {
            (Ok(from), Ok(until)) => (from, until),
            (Err(why), _) => {
                self.error = Some(format!("Ngày bắt đầu: {why}"));
                return Go::Stay;
            }
            (_, Err(why)) => {
                self.error = Some(format!("Ngày kết thúc: {why}"));
                return Go::Stay;
            }
        };
        let scope = self
            .pick(Picker::DelegationScope)
            .filter(|c| c.code != "*")
            .map(|c| vec![c.code.clone()])
            .unwrap_or_default();
        let delegation = NewDelegation {
            kind,
            agency_id: agency,
            from_position_id: position,
            to_person_id: person,
            scope,
            valid_from: from,
            valid_until: until,
            basis: self.text(Field::DelegationBasis).to_owned(),
        };
        let result = ctx.store.create_delegation(ctx.actor, &delegation);
        let clear = [Field::DelegationFrom, Field::DelegationUntil, Field::DelegationBasis];
        self.outcome(result, "Đã ghi ủy quyền.".into(), &clear, ctx, true)
    }

    /// Kinds of the selected agency's family for the pickers, `*` first.
    pub(super) fn kinds(&self) -> Vec<Choice> {
        let ruleset = vanthu_core::ruleset::default_ruleset(self.agency_family());
        std::iter::once(coded("*", "Mọi loại văn bản"))
            .chain(ruleset.kinds.iter().map(|k| coded(&k.code, k.name.clone())))
            .collect()
    }

    /// People of the selected agency for the pickers.
    pub(super) fn people_choices(&self) -> Vec<Choice> {
        self.people.iter().map(|p| choice(p.id, p.full_name.clone())).collect()
    }

    /// Positions of the selected agency for the pickers.
    pub(super) fn position_choices(&self) -> Vec<Choice> {
        self.positions.iter().map(|p| choice(p.id, p.title.clone())).collect()
    }

    /// Units of the selected agency for the pickers.
    pub(super) fn unit_choices(&self) -> Vec<Choice> {
        self.units.iter().map(|u| choice(u.id, u.name.clone())).collect()
    }

    /// Accounts for the picker.
    pub(super) fn account_choices(&self) -> Vec<Choice> {
        self.users.iter().map(|u| choice(u.id, format!("{} ({})", u.full_name, u.username))).collect()
    }

    /// Agencies for the picker.
    pub(super) fn agency_choices(&self) -> Vec<Choice> {
        self.agencies.iter().map(|a| choice(a.id, a.short_name.clone())).collect()
    }

    /// The families for the rules picker.
    /// The families, for the rules tab's picker.
    pub fn family_choices() -> Vec<Choice> {
        Family::ALL.iter().map(|f| coded(f.code(), f.label())).collect()
    }
}

#[cfg(test)]
#[path = "admin_tests.rs"]
mod tests;
