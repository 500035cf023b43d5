//! Benchmark of the longest UI-thread stall during login and signing (issue #14,
//! target < 50 ms): the application on a demo database file, driven message by
//! message as the window does. For each message the UI thread's work is timed:
//! `update`, `view`, the layout of the whole window (`UserInterface::build`) and
//! drawing it with tiny-skia. Work the application hands to a worker thread (the
//! argon2id password check, opening the signing key) is timed apart: it runs while
//! the window stays responsive.
//!
//! Run: `ICED_TEST_BACKEND=tiny-skia cargo run --example ui_stalls -- [ROUNDS]`
//! (5 rounds of login + sign by default; the dev profile unless `--release`).

#![allow(dead_code, missing_docs, unused_imports)]

#[path = "../src/check.rs"]
mod check;
#[path = "../src/gui/mod.rs"]
mod gui;

use std::time::{Duration, Instant};

use iced::advanced::renderer::Headless;
use iced::futures::StreamExt;
use iced_test::runtime::user_interface::{self, UserInterface};

use gui::app::{App, Message};
use gui::screen::{document, login, queue, shell};
use gui::session::Nav;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The window around the application: a renderer and the layout cache.
struct Window {
    app: App,
    renderer: iced::Renderer,
    cache: Option<user_interface::Cache>,
    /// (what, UI-thread time) of every message.
    stalls: Vec<(String, Duration)>,
    /// Time spent on worker threads.
    worker: Vec<(String, Duration)>,
}

impl Window {
    /// Sends one message as the runtime does: `update`, then `view`, layout and draw;
    /// returns the messages of the task `update` returned, run to its end (on its
    /// worker thread, timed apart).
    fn send(&mut self, what: &str, message: Message) -> Vec<Message> {
        let t0 = Instant::now();
        let task = self.app.update(message);
        let size = iced::Size::new(1280.0, 820.0);
        let theme = iced::Theme::Light;
        let style = iced::advanced::renderer::Style { text_color: theme.palette().text };
        let cache = self.cache.take().unwrap_or_default();
        let mut ui = UserInterface::build(self.app.view(), size, cache, &mut self.renderer);
        ui.draw(&mut self.renderer, &theme, &style, iced::mouse::Cursor::Unavailable);
        self.cache = Some(ui.into_cache());
        self.stalls.push((what.to_owned(), t0.elapsed()));
        let t1 = Instant::now();
        let out: Vec<Message> = match iced_test::runtime::task::into_stream(task) {
            Some(stream) => iced::futures::executor::block_on(stream.collect::<Vec<_>>())
                .into_iter()
                .filter_map(|a| match a {
                    iced_test::runtime::Action::Output(m) => Some(m),
                    _ => None,
                })
                .collect(),
            None => Vec::new(),
        };
        if !out.is_empty() {
            self.worker.push((what.to_owned(), t1.elapsed()));
        }
        out
    }

    /// Sends a message and then what its task yields, in turn.
    fn send_all(&mut self, what: &str, message: Message) {
        let mut queue = vec![(what.to_owned(), message)];
        while let Some((what, m)) = queue.pop() {
            for next in self.send(&what, m) {
                queue.push((format!("{what} → kết quả"), next));
            }
        }
    }
}

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let dir = std::env::temp_dir().join(format!("vanthu-ui-stalls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = dir.join("demo.db");
    let mut renderer = {
        let mut fonts = iced_test::renderer::graphics::text::font_system().write().expect("fonts");
        for bytes in [gui::font::REGULAR_BYTES, gui::font::BOLD_BYTES, gui::font::ITALIC_BYTES] {
            fonts.load_font(bytes.into());
        }
        drop(fonts);
        let backend = std::env::var("ICED_TEST_BACKEND").unwrap_or_else(|_| "tiny-skia".into());
        iced::futures::executor::block_on(iced::Renderer::new(gui::font::UI, iced::Pixels(16.0), Some(&backend)))
            .expect("headless renderer")
    };
    let mut worst: Vec<(String, Duration)> = Vec::new();
    let mut worker: Vec<(String, Duration)> = Vec::new();
    for round in 0..rounds {
        let _ = std::fs::remove_file(&db);
        // A fresh demo office each round: the tờ trình waits for its signer.
        let (signer, id) = {
            let mut store = vanthu_core::Store::open(&db).expect("open");
            vanthu_core::demo::load_demo(&mut store, chrono::Local::now().date_naive()).expect("demo");
            let actor = store.login("hoangminhduc", vanthu_core::demo::DEMO_PASSWORD).expect("login");
            let today = chrono::Local::now().date_naive();
            let rows = store.queue_for(&actor, &[vanthu_core::workflow::Action::Sign], today).expect("queue");
            ("hoangminhduc", rows.first().expect("a document to sign").0.id)
        };
        let mut w = Window { app: App::new(db.clone()), renderer, cache: None, stalls: Vec::new(), worker: Vec::new() };
        w.send_all("trang đăng nhập", Message::Activity);
        w.send_all("gõ tên", Message::Login(login::Message::Username(signer.into())));
        w.send_all("gõ mật khẩu", Message::Login(login::Message::Password("demo".into())));
        w.send_all("đăng nhập", Message::Login(login::Message::Submit));
        w.send_all("mở Duyệt / Ký", Message::Main(shell::Message::Nav(Nav::Review)));
        w.send_all("mở văn bản", Message::Main(shell::Message::Queue(queue::Message::Open(id))));
        w.send_all(
            "bấm Ký",
            Message::Main(shell::Message::Document(document::Message::Act(vanthu_core::workflow::Action::Sign))),
        );
        w.send_all(
            "gõ mật khẩu ký",
            Message::Main(shell::Message::Document(document::Message::Password("demo".into()))),
        );
        w.send_all("xác nhận ký", Message::Main(shell::Message::Document(document::Message::ConfirmSign)));
        {
            let mut store = vanthu_core::Store::open(&db).expect("open");
            let state = store.document(id).expect("read").expect("document").state;
            assert_eq!(state, vanthu_core::model::OutgoingState::Signed, "round {round}: the document is signed");
            let _ = &mut store;
        }
        renderer = w.renderer;
        if round > 0 {
            // The first round warms the caches (fonts shaped once, statements prepared).
            worst.extend(w.stalls);
            worker.extend(w.worker);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "UI-thread stalls during login and signing: {} rounds (first one as warm-up), window 1280×820, profile {}",
        rounds,
        if cfg!(debug_assertions) { "dev" } else { "release" }
    );
    let mut by_step: Vec<(String, Duration)> = Vec::new();
    for (what, d) in &worst {
        match by_step.iter_mut().find(|(w, _)| w == what) {
            Some((_, max)) => *max = (*max).max(*d),
            None => by_step.push((what.clone(), *d)),
        }
    }
    for (what, d) in &by_step {
        println!("  {what:<36} max {:>7.2} ms (UI thread)", ms(*d));
    }
    for (what, d) in &worker {
        println!("  {what:<36} {:>7.2} ms on a worker thread (window responsive)", ms(*d));
    }
    let longest = worst.iter().map(|(_, d)| *d).max().unwrap_or_default();
    println!("longest UI-thread stall: {:.2} ms (target < 50 ms)", ms(longest));
}
