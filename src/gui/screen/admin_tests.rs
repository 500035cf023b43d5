//! Update-level tests of the administration page.

use super::*;
use crate::gui::testing::Fixture;

fn set(state: &mut State, ctx: &mut Ctx<'_>, field: Field, value: &str) {
    state.update(Message::Text(field, value.into()), ctx);
}

#[test]
fn the_administrator_adds_a_person_an_account_a_grant_and_a_delegation() {
    let mut f = Fixture::demo("admin");
    let mut ctx = f.ctx();
    let mut state = State::new(&ctx);
    assert!(!state.people.is_empty() && !state.grants.is_empty());
    set(&mut state, &mut ctx, Field::PositionTitle, "Phó Trưởng phòng Hành chính");
    state.update(Message::Pick(Picker::Rank, ranks()[3].clone()), &mut ctx);
    assert!(matches!(state.update(Message::Submit(Submit::Position), &mut ctx), Go::Notice(_)), "{:?}", state.error);
    let position = state.positions.iter().find(|p| p.title == "Phó Trưởng phòng Hành chính").unwrap().id;
    set(&mut state, &mut ctx, Field::PersonName, "Nguyễn Văn Bình");
    let pos = state.position_choices().into_iter().find(|c| c.id == position).unwrap();
    state.update(Message::Pick(Picker::PersonPosition, pos.clone()), &mut ctx);
    assert!(matches!(state.update(Message::Submit(Submit::Person), &mut ctx), Go::RulesChanged(_)));
    let person = state.people_choices().into_iter().find(|c| c.label == "Nguyễn Văn Bình").unwrap();
    state.update(Message::Pick(Picker::AccountPerson, person.clone()), &mut ctx);
    set(&mut state, &mut ctx, Field::Username, "nguyenvanbinh");
    set(&mut state, &mut ctx, Field::Password, "matkhau123");
    state.update(Message::Role(Role::UnitHead, true), &mut ctx);
    assert!(matches!(state.update(Message::Submit(Submit::Account), &mut ctx), Go::Notice(_)), "{:?}", state.error);
    assert!(ctx.store.login("nguyenvanbinh", "matkhau123").unwrap().has(Role::UnitHead));
    let account = state.account_choices().into_iter().find(|c| c.label.contains("nguyenvanbinh")).unwrap();
    state.update(Message::Pick(Picker::Account, account), &mut ctx);
    assert_eq!(state.access_roles, vec![Role::Drafter, Role::UnitHead]);
    state.update(Message::AccessRole(Role::UnitHead, false), &mut ctx);
    state.update(Message::Active(false), &mut ctx);
    assert!(matches!(state.update(Message::Submit(Submit::Access), &mut ctx), Go::Notice(_)), "{:?}", state.error);
    assert!(ctx.store.login("nguyenvanbinh", "matkhau123").is_err(), "a locked account cannot log in");

    state.update(Message::Pick(Picker::GrantPosition, pos.clone()), &mut ctx);
    let kind = state.kinds().into_iter().find(|k| k.code == "giay-moi").unwrap();
    state.update(Message::Pick(Picker::GrantKind, kind), &mut ctx);
    assert!(matches!(state.update(Message::Submit(Submit::Grant), &mut ctx), Go::RulesChanged(_)));
    assert!(state.grants.iter().any(|g| g.position_id == position && g.kind == "giay-moi"));

    let head = state.position_choices()[0].clone();
    state.update(Message::Pick(Picker::DelegationKind, delegation_kinds()[1].clone()), &mut ctx);
    state.update(Message::Pick(Picker::DelegationPosition, head), &mut ctx);
    state.update(Message::Pick(Picker::DelegationPerson, person), &mut ctx);
    set(&mut state, &mut ctx, Field::DelegationFrom, "31/12/2026");
    set(&mut state, &mut ctx, Field::DelegationUntil, "01/12/2026");
    set(&mut state, &mut ctx, Field::DelegationBasis, "Giấy ủy quyền số 07/GUQ-VP");
    assert!(matches!(state.update(Message::Submit(Submit::Delegation), &mut ctx), Go::Stay));
    assert!(state.error.as_deref().is_some_and(|e| e.contains("trước ngày bắt đầu")), "{:?}", state.error);
    set(&mut state, &mut ctx, Field::DelegationFrom, "01/12/2026");
    set(&mut state, &mut ctx, Field::DelegationUntil, "31/12/2026");
    assert!(matches!(state.update(Message::Submit(Submit::Delegation), &mut ctx), Go::RulesChanged(_)));
    assert!(state.delegations.iter().any(|d| d.basis == "Giấy ủy quyền số 07/GUQ-VP"));

    let grant = state.grants.iter().find(|g| g.kind == "giay-moi" && g.position_id == position).unwrap().clone();
    state.update(Message::Revoke(grant.position_id, grant.kind), &mut ctx);
    assert!(!state.grants.iter().any(|g| g.kind == "giay-moi" && g.position_id == position));
}

#[test]
fn a_bad_calendar_override_is_refused_and_a_good_one_changes_the_days_off() {
    let mut f = Fixture::demo("admin");
    let mut ctx = f.ctx();
    let mut state = State::new(&ctx);
    state.calendar = text_editor::Content::with_text("[bogus]\nx = 1\n");
    assert!(matches!(state.update(Message::Submit(Submit::Calendar), &mut ctx), Go::Stay));
    assert!(state.error.is_some());
    let year = state.year;
    let before = state.days_off.len();
    let over = "[[solar]]\nname = \"Ngày thành lập tỉnh\"\nmonth = 10\nday = 6\n";
    state.calendar = text_editor::Content::with_text(over);
    let go = state.update(Message::Submit(Submit::Calendar), &mut ctx);
    assert!(matches!(go, Go::RulesChanged(_)), "{:?}", state.error);
    let oct6 = NaiveDate::from_ymd_opt(year, 10, 6).unwrap();
    let weekend = matches!(oct6.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
    assert!(weekend || state.days_off.iter().any(|(d, _)| *d == oct6), "{year}: {:?}", state.days_off);
    assert!(state.days_off.len() >= before);
    state.update(Message::Submit(Submit::ClearCalendar), &mut ctx);
    assert!(ctx.store.setting("calendar_override").unwrap().is_none());
}

#[test]
fn the_administrator_adds_an_agency() {
    let mut f = Fixture::demo("admin");
    let mut ctx = f.ctx();
    let mut state = State::new(&ctx);
    let before = state.agencies.len();
    state.update(Message::Pick(Picker::AgencyFamily, State::family_choices()[0].clone()), &mut ctx);
    set(&mut state, &mut ctx, Field::AgencyParent, "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC");
    set(&mut state, &mut ctx, Field::AgencyName, "SỞ NỘI VỤ");
    set(&mut state, &mut ctx, Field::AgencyShortName, "Sở Nội vụ");
    set(&mut state, &mut ctx, Field::AgencyPlace, "Bình Phước");
    assert!(matches!(state.update(Message::Submit(Submit::Agency), &mut ctx), Go::Stay), "no abbreviation");
    set(&mut state, &mut ctx, Field::AgencyAbbreviation, "SNV");
    assert!(
        matches!(state.update(Message::Submit(Submit::Agency), &mut ctx), Go::RulesChanged(_)),
        "{:?}",
        state.error
    );
    assert_eq!(state.agencies.len(), before + 1);
    assert!(state.agencies.iter().any(|a| a.name == "SỞ NỘI VỤ" && a.family == Family::State && !a.collective));
    assert!(state.text(Field::AgencyName).is_empty(), "the form is cleared");
}

#[test]
fn a_drafter_is_refused_by_the_core() {
    let mut f = Fixture::demo("buivantoan");
    let mut ctx = f.ctx();
    let mut state = State::new(&ctx);
    set(&mut state, &mut ctx, Field::UnitName, "Phòng Mới");
    set(&mut state, &mut ctx, Field::UnitAbbreviation, "PM");
    assert!(matches!(state.update(Message::Submit(Submit::Unit), &mut ctx), Go::Stay));
    assert!(state.error.is_some());
}

/// Issue #14: a refusal is said once, in Vietnamese without the English for the
/// logs, and goes when the administrator changes tab or the input.
#[test]
fn a_refusal_is_vietnamese_and_goes_with_a_change() {
    let mut f = Fixture::demo("admin");
    let mut ctx = f.ctx();
    let mut state = State::new(&ctx);
    assert!(matches!(state.update(Message::Submit(Submit::Unit), &mut ctx), Go::Stay));
    let error = state.error.clone().expect("an empty unit is refused");
    assert!(!error.contains("invalid") && !error.contains("input") && !error.contains('('), "{error}");
    assert!(error.chars().next().is_some_and(char::is_uppercase), "{error}");
    state.update(Message::Tab(Tab::People), &mut ctx);
    assert!(state.error.is_none(), "another tab: gone");
    state.update(Message::Tab(Tab::Agencies), &mut ctx);
    state.update(Message::Submit(Submit::Unit), &mut ctx);
    assert!(state.error.is_some());
    set(&mut state, &mut ctx, Field::UnitName, "Phòng Quản trị");
    assert!(state.error.is_none(), "the input changed: gone");
}

/// Issue #14: the office tunes its rules and its calendar by clicks; no TOML, and a
/// hand-written mistake is told in Vietnamese with its line.
#[test]
fn rules_and_days_are_chosen_by_click_and_a_syntax_error_names_its_line() {
    let mut f = Fixture::demo("admin");
    let mut ctx = f.ctx();
    let mut state = State::new(&ctx);
    state.update(Message::Tab(Tab::Rules), &mut ctx);
    let rule = state.rules.rules.iter().find(|r| r.enabled).unwrap().clone();
    let go = state.update(Message::RuleEnabled(rule.id.clone(), false), &mut ctx);
    assert!(matches!(go, Go::RulesChanged(_)), "{:?}", state.error);
    assert!(!state.rules.rules.iter().find(|r| r.id == rule.id).unwrap().enabled, "the list shows it off");
    assert!(!ctx.store.effective_ruleset(Family::State).unwrap().rule(&rule.id).unwrap().enabled);
    let warning = rules::severities().into_iter().find(|c| c.code == "warning").unwrap();
    state.update(Message::RuleLevel(rule.id.clone(), warning), &mut ctx);
    let stored = ctx.store.effective_ruleset(Family::State).unwrap();
    assert_eq!(stored.rule(&rule.id).unwrap().severity, vanthu_core::ruleset::Severity::Warning);
    assert!(!stored.rule(&rule.id).unwrap().enabled, "the level keeps the rule off");
    assert!(state.ruleset.text().contains(&rule.id), "the advanced editor shows the override");

    state.ruleset = text_editor::Content::with_text("[params]\nluu_prefix = \n");
    assert!(matches!(state.update(Message::Submit(Submit::Ruleset), &mut ctx), Go::Stay));
    let error = state.error.clone().unwrap();
    assert!(error.contains("sai cú pháp ở dòng 2"), "{error}");
    assert!(!error.contains("TOML") && !error.contains("expected") && !error.contains('`'), "{error}");

    state.update(Message::Tab(Tab::Calendar), &mut ctx);
    set(&mut state, &mut ctx, Field::CalendarDay, "31/02/2027");
    assert!(matches!(state.update(Message::Submit(Submit::RestDay), &mut ctx), Go::Stay));
    assert!(state.error.as_deref().is_some_and(|e| e.contains("31/02/2027")), "{:?}", state.error);
    set(&mut state, &mut ctx, Field::CalendarDay, "15/06/2027");
    assert!(matches!(state.update(Message::Submit(Submit::RestDay), &mut ctx), Go::RulesChanged(_)));
    let june15 = NaiveDate::from_ymd_opt(2027, 6, 15).unwrap();
    assert_eq!(state.year, 2027, "the list turns to the day's year");
    assert!(state.days_off.iter().any(|(d, _)| *d == june15), "{:?}", state.days_off);
    set(&mut state, &mut ctx, Field::CalendarDay, "19/06/2027");
    state.update(Message::Submit(Submit::WorkingDay), &mut ctx);
    assert_eq!(state.working_days, vec![NaiveDate::from_ymd_opt(2027, 6, 19).unwrap()]);
    assert!(ctx.store.work_calendar().unwrap().is_working_day(NaiveDate::from_ymd_opt(2027, 6, 19).unwrap()));
}

/// Two administrators: the hand-written calendar saved over a change made since it
/// was opened is refused, not silently lost; after a reload it saves.
#[test]
fn a_hand_written_override_does_not_overwrite_another_administrators_change() {
    let mut f = Fixture::demo("admin");
    let mut ctx = f.ctx();
    let mut state = State::new(&ctx);
    state.update(Message::Tab(Tab::Calendar), &mut ctx);
    let other = ctx.store.login("admin", vanthu_core::demo::DEMO_PASSWORD).unwrap();
    let theirs = "[[solar]]\nname = \"Ngày của quản trị B\"\nmonth = 7\nday = 20\n";
    ctx.store.set_calendar_override(&other, Some(theirs)).unwrap();
    state.calendar = text_editor::Content::with_text("[[solar]]\nname = \"Của tôi\"\nmonth = 8\nday = 20\n");
    assert!(matches!(state.update(Message::Submit(Submit::Calendar), &mut ctx), Go::Stay));
    assert!(state.error.as_deref().is_some_and(|e| e.contains("đã được thay đổi")), "{:?}", state.error);
    assert_eq!(ctx.store.setting("calendar_override").unwrap().as_deref(), Some(theirs), "theirs kept");
    // Opening the tab again shows their change; then a save goes through.
    state.calendar = text_editor::Content::with_text(state.loaded.0.as_deref().unwrap_or_default());
    state.update(Message::Tab(Tab::Calendar), &mut ctx);
    assert!(state.calendar.text().contains("quản trị B"));
    assert!(
        matches!(state.update(Message::Submit(Submit::Calendar), &mut ctx), Go::RulesChanged(_)),
        "{:?}",
        state.error
    );
    assert!(matches!(state.update(Message::Submit(Submit::Calendar), &mut ctx), Go::RulesChanged(_)), "saves again");
}

/// Issue #14: a double click on "Thu hồi" withdraws one grant; the row that moved
/// up under the pointer keeps its grant.
#[test]
fn a_double_click_on_thu_hoi_withdraws_one_grant() {
    let mut f = Fixture::demo("admin");
    let mut ctx = f.ctx();
    let mut state = State::new(&ctx);
    state.update(Message::Tab(Tab::Authority), &mut ctx);
    let before = state.grants.len();
    assert!(before >= 2);
    let (first, second) = (state.grants[0].clone(), state.grants[1].clone());
    state.update(Message::Revoke(first.position_id, first.kind.clone()), &mut ctx);
    state.update(Message::Revoke(second.position_id, second.kind.clone()), &mut ctx);
    assert_eq!(state.grants.len(), before - 1, "one grant withdrawn");
    assert!(state.grants.iter().any(|g| g.position_id == second.position_id && g.kind == second.kind));
    state.guard.wait(crate::gui::widget::step_guard::QUIET);
    state.update(Message::Revoke(second.position_id, second.kind), &mut ctx);
    assert_eq!(state.grants.len(), before - 2, "a deliberate click later withdraws");
}
