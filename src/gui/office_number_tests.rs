//! Simulator journey of the office's numbers (issue #14, the newcomer's walk): the
//! văn thư's queue and the audit log name documents as the office does
//! (`2542/UBND-KT`, `số đến 9`, `Dự thảo`), never by record id (`#37`).

use super::*;

impl Ui {
    /// Every text drawn on the current page.
    fn texts(&mut self) -> Vec<String> {
        use iced_test::selector::{Candidate, Selector};
        struct All(Vec<String>);
        impl Selector for &mut All {
            type Output = ();
            fn select(&mut self, candidate: Candidate<'_>) -> Option<()> {
                if let Candidate::Text { content, .. } = candidate {
                    self.0.push(content.to_owned());
                }
                None
            }
            fn description(&self) -> String {
                "every text".into()
            }
        }
        let mut all = All(Vec::new());
        self.with(|ui| {
            let _ = ui.find(&mut all);
        });
        all.0
    }
}

/// The texts that show a record id: `#` followed by a digit.
fn record_ids(texts: &[String]) -> Vec<&String> {
    texts
        .iter()
        .filter(|t| t.char_indices().any(|(i, c)| c == '#' && t[i + 1..].starts_with(|d: char| d.is_ascii_digit())))
        .collect()
}

#[test]
fn the_queue_and_the_log_name_documents_by_the_office_number() {
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    ui.login("lythihongnhung");

    // The văn thư's queue: the Số column holds 2542/UBND-KT or "Dự thảo".
    ui.click("Văn thư");
    assert!(ui.sees("Số, ký hiệu"), "the column heading");
    let texts = ui.texts();
    assert!(record_ids(&texts).is_empty(), "{:?}", record_ids(&texts));
    let store = ui.app.store_mut();
    let actor = store.login("lythihongnhung", vanthu_core::demo::DEMO_PASSWORD).unwrap();
    let today = chrono::Local::now().date_naive();
    let kind = crate::gui::screen::queue::Kind::VanThu;
    let rows = store.queue_for(&actor, kind.actions(), today).unwrap();
    let numbered: Vec<_> = rows.into_iter().map(|(d, _)| d).filter(|d| d.number.is_some()).collect();
    assert!(!numbered.is_empty(), "the demo has numbered documents for the văn thư");
    for d in &numbered {
        assert!(texts.contains(&d.reference()), "{} not shown in {texts:?}", d.reference());
    }
    assert!(texts.iter().any(|t| t == "Dự thảo" || t == "Chưa cấp số"), "a document not numbered yet is named as such");

    // The audit log: "Cấp số · văn bản đi 2542/UBND-KT", "… · văn bản đến số đến 9 (…)".
    ui.click("Nhật ký");
    let texts = ui.texts();
    assert!(record_ids(&texts).is_empty(), "{:?}", record_ids(&texts));
    assert!(texts.iter().any(|t| t.contains(" · văn bản đi ") && t.contains(&numbered[0].reference())), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains(" · văn bản đến số đến ")), "{texts:?}");
    let rows = texts.iter().filter(|t| t.contains(" · ")).count();
    // The filter takes the office's words, without diacritics.
    let number = numbered[0].reference();
    ui.type_in("audit-filter", &number);
    let texts = ui.texts();
    assert!(texts.iter().any(|t| t.contains(&number)), "{number}: {texts:?}");
    let filtered = texts.iter().filter(|t| t.contains(" · ")).count();
    assert!(filtered > 0 && filtered < rows, "{filtered} of {rows} rows for {number}");
}

#[test]
fn the_reply_picker_offers_the_handlers_documents_behind_a_folding_filter() {
    use crate::gui::screen::incoming_card::ids;
    let _guard = SIMULATOR.lock().unwrap_or_else(|e| e.into_inner());
    let mut ui = Ui::demo();
    // Bùi Văn Toàn (Phòng Kinh tế) handles the Bộ Tài chính letter and resolves it.
    let subject = "V/v xây dựng phương án phân bổ dự toán ngân sách nhà nước năm 2027";
    ui.login("buivantoan");
    ui.click(subject);
    ui.click("Hoàn thành");
    let labels = |ui: &Ui| match ui.shell().page() {
        Page::IncomingCard(card) => card.reply_labels(),
        _ => panic!("the letter's card"),
    };
    let all = labels(&ui);
    // The list is the core's: his own and his unit's documents, nobody's private draft.
    let store = ui.app.store_mut();
    let actor = store.login("buivantoan", vanthu_core::demo::DEMO_PASSWORD).unwrap();
    let allowed = store.reply_choices(&actor).unwrap();
    assert!(!all.is_empty() && all.len() == allowed.len(), "{all:?}");
    assert!(all.len() < store.list_documents().unwrap().len(), "not every document of the office");
    assert!(all.iter().all(|l| !l.contains('#')), "{all:?}");
    // Typed without diacritics (đ as d), the filter keeps the matching ones only.
    let word = all
        .iter()
        .flat_map(|l| l.split_whitespace())
        .filter(|w| !w.is_ascii() && w.chars().count() > 3)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
        .next()
        .expect("a word with diacritics");
    let typed = vanthu_core::text::fold(&word);
    assert_ne!(typed, word);
    ui.type_in(ids::REPLY_FILTER, &typed);
    let kept = labels(&ui);
    assert!(!kept.is_empty(), "{typed}: {all:?}");
    assert!(kept.iter().all(|l| vanthu_core::text::fold(l).contains(&typed)), "{typed}: {kept:?}");
    ui.type_in(ids::REPLY_FILTER, " khongcovanbannaonhuthe");
    assert!(labels(&ui).is_empty());
}
