//! Issue #14: no English word, slug, JSON pointer or backtick reaches a user. Every
//! page of the demo office is opened for every demo account (each sidebar entry, a
//! document, a letter's card, a dossier, a new draft of each family) and the text
//! the window shows is read back from the widget tree.

use std::sync::{Arc, Mutex};

use iced::Settings;
use iced_test::Simulator;
use iced_test::selector::{Candidate, Selector};
use vanthu_core::Store;

use super::app::{App, Message};
use super::font;
use super::screen::{editor, shell};
use super::session::{Go, Nav};

/// Collects the visible text of a view.
struct AllText(Arc<Mutex<Vec<String>>>);

impl Selector for AllText {
    type Output = ();

    fn select(&mut self, candidate: Candidate<'_>) -> Option<()> {
        if let Candidate::Text { content, .. } = candidate {
            self.0.lock().unwrap().push(content.to_owned());
        }
        None
    }

    fn description(&self) -> String {
        "every visible text".into()
    }
}

fn visible_text(app: &App) -> Vec<String> {
    let settings = Settings {
        fonts: vec![font::REGULAR_BYTES.into(), font::BOLD_BYTES.into(), font::ITALIC_BYTES.into()],
        default_font: font::UI,
        ..Settings::default()
    };
    let found = Arc::new(Mutex::new(Vec::new()));
    let mut ui = Simulator::with_size(settings, (1280.0, 820.0), app.view());
    let _ = ui.find(AllText(found.clone()));
    found.lock().unwrap().clone()
}

/// Codes of the core that must never be shown: roles, states, actions.
fn codes() -> Vec<String> {
    use vanthu_core::model::{IncomingState, OutgoingState, Role};
    let mut codes: Vec<String> = Role::ALL.iter().map(|r| r.code().to_owned()).collect();
    codes.extend(OutgoingState::ALL.iter().map(|s| s.code().to_owned()));
    codes.extend(IncomingState::ALL.iter().map(|s| s.code().to_owned()));
    codes.extend(vanthu_core::workflow::Action::ALL.iter().map(|a| a.code().to_owned()));
    codes.extend(vanthu_core::workflow::IncomingAction::ALL.iter().map(|a| a.code().to_owned()));
    for english in [
        "invalid",
        "input",
        "permission",
        "denied",
        "error",
        "state",
        "party",
        "document",
        "incoming",
        "dossier",
        "none",
        "null",
        "true",
        "false",
        "create",
        "edit",
        "import",
        "open",
        "closed",
        "draft",
        "admin",
        "blocked",
        "findings",
        "required",
        "comment",
        "wrong",
        "password",
        "found",
        "system",
    ] {
        codes.push(english.to_owned());
    }
    codes.retain(|c| c.is_ascii());
    codes
}

/// What is wrong with one visible text, if anything.
fn problem(text: &str, codes: &[String], usernames: &[String]) -> Option<String> {
    if text.contains('`') {
        return Some("a backtick".into());
    }
    let words = text.split(|c: char| c.is_whitespace() || ",.;:()[]{}\"'«»!?".contains(c)).filter(|w| !w.is_empty());
    for word in words {
        if word.starts_with('/') && word[1..].starts_with(|c: char| c.is_ascii_lowercase()) {
            return Some(format!("a JSON pointer `{word}`"));
        }
        let slug = word.split(['-', '_']).count() > 1
            && word
                .split(['-', '_'])
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
            && word.chars().any(|c| c.is_ascii_lowercase());
        if slug {
            return Some(format!("a slug `{word}`"));
        }
        if word.len() > 1 && word.starts_with('#') && word[1..].chars().all(|c| c.is_ascii_digit()) {
            return Some(format!("a record id `{word}` instead of the office's number"));
        }
        if codes.iter().any(|c| c == word) {
            return Some(format!("a code `{word}`"));
        }
        if usernames.iter().any(|u| u == word) {
            return Some(format!("a user name `{word}` instead of the full name"));
        }
    }
    None
}

#[test]
fn no_english_word_slug_or_pointer_on_any_page_for_any_role() {
    let _guard = super::tests::SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut store = Store::open_in_memory().unwrap();
    vanthu_core::demo::load_demo(&mut store, chrono::Local::now().date_naive()).unwrap();
    let users = store.users().unwrap();
    let usernames: Vec<String> = users.iter().map(|u| u.username.clone()).collect();
    let codes = codes();
    let mut app = App::with_store(store);
    let mut failures: Vec<String> = Vec::new();
    let mut login_failures: Vec<String> = Vec::new();
    let mut pages = 0;
    // The login page lists the demo accounts by the name one types there.
    let codes_but_names: Vec<String> = codes.iter().filter(|c| !usernames.contains(c)).cloned().collect();
    let mut check = |app: &App, place: &str, names_allowed: bool| {
        pages += 1;
        // The administrator's pages name accounts by the name one logs in with.
        let no_names: Vec<String> = Vec::new();
        let codes_here = if names_allowed { &codes_but_names } else { &codes };
        for text in visible_text(app) {
            if let Some(p) = problem(&text, codes_here, if names_allowed { &no_names } else { &usernames }) {
                failures.push(format!("{place}: {p} in {text:?}"));
            }
        }
    };
    for text in visible_text(&app) {
        if let Some(p) = problem(&text, &codes_but_names, &[]) {
            login_failures.push(format!("trang đăng nhập: {p} in {text:?}"));
        }
    }
    for user in &users {
        let actor = app.store_mut().login(&user.username, vanthu_core::demo::DEMO_PASSWORD).unwrap();
        let documents = app.store_mut().documents_for(&actor).unwrap();
        let letters = app.store_mut().incoming_for(&actor).unwrap_or_default();
        let _ = app.update(Message::Login(super::screen::login::Message::Username(user.username.clone())));
        let _ = app.update(Message::Login(super::screen::login::Message::Password("demo".into())));
        let task = app.update(Message::Login(super::screen::login::Message::Submit));
        for m in super::worker::finish(task) {
            let _ = app.update(m);
        }
        assert!(app.shell_and_store().is_some(), "{} signed in", user.username);
        for nav in Nav::ALL.into_iter().filter(|n| n.allowed(&user.roles)) {
            let _ = app.update(Message::Main(shell::Message::Nav(nav)));
            check(&app, &format!("{} › {}", user.username, nav.label()), nav == Nav::Admin);
        }
        if Nav::Admin.allowed(&user.roles) {
            // Every tab; the rules of both families, with the technical editor open,
            // and a hand-written override that does not parse.
            use super::screen::admin;
            let _ = app.update(Message::Main(shell::Message::Nav(Nav::Admin)));
            let admin = |m: admin::Message| Message::Main(shell::Message::Admin(m));
            for tab in admin::Tab::ALL {
                let _ = app.update(admin(admin::Message::Tab(tab)));
                check(&app, &format!("{} › quản trị › {}", user.username, tab.label()), true);
            }
            let _ = app.update(admin(admin::Message::Advanced(true)));
            for family in admin::State::family_choices() {
                let _ = app.update(admin(admin::Message::Pick(admin::Picker::Family, family.clone())));
                check(&app, &format!("{} › bộ quy tắc {}", user.username, family.label), true);
            }
            let broken = iced::widget::text_editor::Action::Edit(iced::widget::text_editor::Edit::Paste(
                std::sync::Arc::new("[params]\nluu_prefix = \n".into()),
            ));
            let _ = app.update(admin(admin::Message::Edit(admin::Editor::Ruleset, broken)));
            let _ = app.update(admin(admin::Message::Submit(admin::Submit::Ruleset)));
            check(&app, &format!("{} › bộ quy tắc sai cú pháp", user.username), true);
            let _ = app.update(admin(admin::Message::Tab(admin::Tab::Calendar)));
            let _ = app.update(admin(admin::Message::Text(admin::Field::CalendarDay, "31/02/2027".into())));
            let _ = app.update(admin(admin::Message::Submit(admin::Submit::RestDay)));
            check(&app, &format!("{} › lịch, ngày sai", user.username), true);
            let _ = app.update(admin(admin::Message::Advanced(false)));
        }
        let mut visit = |app: &mut App, go: Go, place: &str| {
            let (shell, store) = app.shell_and_store().unwrap();
            shell.go_for_test(go, store);
            check(app, &format!("{} › {place}", user.username), false);
        };
        for d in documents.iter().take(6) {
            visit(&mut app, Go::Document(d.id), &format!("văn bản #{}", d.id));
        }
        for l in letters.iter().take(3) {
            visit(&mut app, Go::Incoming(l.id), &format!("văn bản đến #{}", l.id));
        }
        if Nav::Editor.allowed(&user.roles) {
            for kind in ["cong-van", "quyet-dinh"] {
                let _ = app.update(Message::Main(shell::Message::Nav(Nav::Editor)));
                let _ = app.update(Message::Main(shell::Message::Editor(editor::Message::New(kind.into()))));
                check(&app, &format!("{} › soạn {kind}", user.username), false);
            }
            // Submitting the empty draft is refused: the reason, in people's words.
            let _ = app.update(Message::Main(shell::Message::Editor(editor::Message::Submit)));
            check(&app, &format!("{} › trình dự thảo còn lỗi", user.username), false);
        }
        if Nav::Incoming.allowed(&user.roles) {
            // The reception form refuses an empty letter, in Vietnamese.
            use super::screen::incoming;
            let _ = app.update(Message::Main(shell::Message::Nav(Nav::Incoming)));
            let _ = app.update(Message::Main(shell::Message::Incoming(incoming::Message::Date("31/02/2026".into()))));
            let _ = app.update(Message::Main(shell::Message::Incoming(incoming::Message::Receive)));
            check(&app, &format!("{} › tiếp nhận văn bản đến", user.username), false);
        }
        for nav in [Nav::Audit, Nav::Registers] {
            if nav.allowed(&user.roles) {
                let _ = app.update(Message::Main(shell::Message::Nav(nav)));
                check(&app, &format!("{} › {} (lần hai)", user.username, nav.label()), false);
            }
        }
        let _ = app.update(Message::Main(shell::Message::Logout));
        if app.shell_and_store().is_some_and(|(shell, _)| shell.asks_to_leave()) {
            check(&app, &format!("{} › rời bản nháp", user.username), false);
            let _ = app.update(Message::Main(shell::Message::Leave(shell::Leave::Discard)));
        }
    }
    assert!(pages > 40, "walked {pages} pages");
    failures.extend(login_failures);
    assert!(failures.is_empty(), "{} problems on {pages} pages:\n{}", failures.len(), failures.join("\n"));
}
