//! Benchmark of one keystroke in the editor (issue #14): a three-page quyết định
//! with the live 4-đúng panel and the live page preview; for each keystroke the
//! time of the shell's `update`, of `view`, of the layout of the whole window
//! (iced's `UserInterface::build`, reusing its cache as the running app does) and of
//! drawing it with the tiny-skia renderer, with p50, p95 and max.
//!
//! Run: `ICED_TEST_BACKEND=tiny-skia cargo run --example editor_keystroke -- [N]`
//! (N keystrokes, 300 by default; the dev profile unless `--release` is given).

#![allow(dead_code, missing_docs, unused_imports)]

#[path = "../src/check.rs"]
mod check;
#[path = "../src/gui/mod.rs"]
mod gui;

use std::sync::Arc;
use std::time::{Duration, Instant};

use iced::widget::text_editor::{Action, Edit};
use iced_test::core::renderer::Headless;
use iced_test::runtime::user_interface::{self, UserInterface};

use gui::screen::{editor, shell};
use gui::session::Nav;

const ARTICLE: &str = "Ủy ban nhân dân các huyện, thị xã, thành phố chủ trì, phối hợp với các sở, ban, ngành \
liên quan tổ chức triển khai thực hiện các nội dung của Kế hoạch này trên địa bàn; bố trí kinh phí, nhân lực \
và cơ sở vật chất để số hóa tài liệu lưu trữ theo đúng tiến độ; định kỳ hằng quý báo cáo kết quả thực hiện về \
Sở Nội vụ trước ngày 20 của tháng cuối quý để tổng hợp, báo cáo Ủy ban nhân dân tỉnh.";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name:<34} p50 {:>7.2} ms   p95 {:>7.2} ms   max {:>7.2} ms",
        ms(percentile(&samples, 0.50)),
        ms(percentile(&samples, 0.95)),
        ms(*samples.last().unwrap())
    );
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(300);
    let mut store = vanthu_core::Store::open_in_memory().expect("store");
    vanthu_core::demo::load_demo(&mut store, chrono::Local::now().date_naive()).expect("demo");
    let actor = store.login("buivantoan", vanthu_core::demo::DEMO_PASSWORD).expect("login");
    let mut shell = shell::State::new(actor, &mut store);
    let send = |shell: &mut shell::State, store: &mut vanthu_core::Store, m: editor::Message| {
        let _ = shell.update(shell::Message::Editor(m), store);
    };
    let _ = shell.update(shell::Message::Nav(Nav::Editor), &mut store);
    send(&mut shell, &mut store, editor::Message::New("quyet-dinh".into()));
    let paste = |pointer: &str, text: &str| {
        editor::Message::Area(pointer.to_owned(), Action::Edit(Edit::Paste(Arc::new(text.to_owned()))))
    };
    send(&mut shell, &mut store, paste("/subject", "Ban hành Kế hoạch số hóa tài liệu lưu trữ giai đoạn 2026 - 2030"));
    send(&mut shell, &mut store, paste("/bases/0", "Căn cứ Luật Lưu trữ ngày 21 tháng 6 năm 2024;"));
    // Articles with numbered items and sub-items until the draft fills three pages.
    let mut i = 0;
    while shell.editor_preview_pages().unwrap_or(0) < 3 && i < 200 {
        let len = shell.editor_body_len().unwrap_or(0);
        let which = match i % 4 {
            0 => editor::NewBlock::Item,
            1 | 2 => editor::NewBlock::SubItem,
            _ => editor::NewBlock::Item,
        };
        if i < 3 {
            send(&mut shell, &mut store, paste(&format!("/body/{i}/text"), ARTICLE));
        } else {
            send(&mut shell, &mut store, editor::Message::AddBlock(which));
            send(&mut shell, &mut store, paste(&format!("/body/{len}/text"), ARTICLE));
        }
        i += 1;
    }
    let pages = shell.editor_preview_pages().unwrap_or(0);
    let blocks = shell.editor_body_len().unwrap_or(0);

    // The fonts of the window, loaded once as the application does.
    {
        let mut fonts = iced_test::renderer::graphics::text::font_system().write().expect("fonts");
        for bytes in [gui::font::REGULAR_BYTES, gui::font::BOLD_BYTES, gui::font::ITALIC_BYTES] {
            fonts.load_font(bytes.into());
        }
        for face in [
            vanthu_core::pdf::fonts::Face::Regular,
            vanthu_core::pdf::fonts::Face::Bold,
            vanthu_core::pdf::fonts::Face::Italic,
            vanthu_core::pdf::fonts::Face::BoldItalic,
        ] {
            fonts.load_font(face.bytes().into());
        }
    }
    let backend = std::env::var("ICED_TEST_BACKEND").unwrap_or_else(|_| "tiny-skia".into());
    let mut renderer =
        iced::futures::executor::block_on(iced::Renderer::new(gui::font::UI, iced::Pixels(16.0), Some(&backend)))
            .expect("headless renderer");
    let size = iced::Size::new(1280.0, 820.0);
    let theme = iced::Theme::Light;
    let style = iced::advanced::renderer::Style { text_color: theme.palette().text };
    let mut cache = user_interface::Cache::default();
    // Warm up: the first layout shapes every text once.
    for _ in 0..3 {
        let ui = UserInterface::build(shell.view(), size, cache, &mut renderer);
        cache = ui.into_cache();
    }

    let typed: Vec<char> = " và hoàn thành việc chỉnh lý tài liệu tồn đọng trước năm 2030".chars().collect();
    let (mut update, mut view, mut layout, mut draw, mut total) = (vec![], vec![], vec![], vec![], vec![]);
    let target = "/body/1/text".to_owned();
    for k in 0..n {
        let c = typed[k % typed.len()];
        let t0 = Instant::now();
        send(&mut shell, &mut store, editor::Message::Area(target.clone(), Action::Edit(Edit::Insert(c))));
        let t1 = Instant::now();
        let element = shell.view();
        let t2 = Instant::now();
        let mut ui = UserInterface::build(element, size, cache, &mut renderer);
        let t3 = Instant::now();
        ui.draw(&mut renderer, &theme, &style, iced::mouse::Cursor::Unavailable);
        let t4 = Instant::now();
        cache = ui.into_cache();
        update.push(t1 - t0);
        view.push(t2 - t1);
        layout.push(t3 - t2);
        draw.push(t4 - t3);
        total.push(t4 - t0);
    }
    println!(
        "editor keystroke benchmark: quyết định of {pages} pages ({blocks} blocks), {n} keystrokes, \
         window 1280×820, renderer {backend}, profile {}",
        if cfg!(debug_assertions) { "dev" } else { "release" }
    );
    let update_view: Vec<Duration> = update.iter().zip(&view).map(|(a, b)| *a + *b).collect();
    report("update (findings + preview layout)", update);
    report("view", view);
    report("update + view", update_view);
    report("layout of the window", layout);
    report("draw", draw);
    report("update + view + layout + draw", total);
}
