//! The editor's tests: new drafts, fixes, tables, focus targets, text areas,
//! numbered items, the issuing agency and autosave.

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

fn paste(pointer: &str, text: &str) -> Message {
    use iced::widget::text_editor::{Action, Edit};
    Message::Area(pointer.to_owned(), Action::Edit(Edit::Paste(std::sync::Arc::new(text.to_owned()))))
}

/// Issue #14: a Văn phòng UBND specialist drafts the UBND's công văn: the issuer,
/// the place and the signers follow the agency chosen; the text stays.
#[test]
fn the_issuing_agency_is_chosen_among_those_the_user_drafts_for() {
    let mut f = Fixture::demo("buivantoan");
    let mut ctx = f.ctx();
    let mut state = State::new(&ctx);
    assert_eq!(state.agencies.len(), 2, "{:?}", state.agencies);
    assert_eq!(state.agency.as_ref(), state.agencies.first(), "the user's own agency first");
    state.update(Message::New("cong-van".into()), &mut ctx);
    let own = state.document().unwrap().issuer.name.clone();
    state.update(paste("/subject", "về việc báo cáo tiến độ số hóa"), &mut ctx);
    let ubnd = state.agencies.iter().find(|a| a.name.starts_with("ỦY BAN")).cloned().expect("the UBND");
    assert!(matches!(state.update(Message::Agency(ubnd.clone()), &mut ctx), Go::Stay));
    let doc = state.document().unwrap();
    assert!(doc.issuer.name.starts_with("ỦY BAN") && doc.issuer.name != own, "{}", doc.issuer.name);
    assert_eq!(doc.subject.as_deref(), Some("về việc báo cáo tiến độ số hóa"));
    assert!(!state.signers.is_empty());
    assert!(state.signers.iter().all(|c| c.signer.principal.as_deref().is_none_or(|p| !p.contains("VĂN PHÒNG"))));
    assert_eq!(state.signers.iter().find(|c| c.signer == doc.signer).map(|c| &c.signer), Some(&doc.signer));
    // Saved, it is the UBND's draft.
    assert!(matches!(state.update(Message::Save, &mut ctx), Go::Notice(_)));
    let id = state.id().unwrap();
    let stored = ctx.store.document(id).unwrap().unwrap().document;
    assert_eq!(stored.issuer.name, state.document().unwrap().issuer.name);
}

/// Issue #14: content texts are areas; Enter at the end starts a new paragraph below (focused),
/// a pasted line break becomes a space, numbered items and sub-items are added in a
/// công văn and pass the numbering checks.
#[test]
fn areas_paragraphs_and_numbered_items_in_a_cong_van() {
    use iced::widget::text_editor::{Action, Edit};
    let mut f = Fixture::demo("buivantoan");
    let mut ctx = f.ctx();
    let mut state = State::new(&ctx);
    state.update(Message::New("cong-van".into()), &mut ctx);
    state.update(paste("/body/0/text", "Dòng một\nDòng hai"), &mut ctx);
    assert_eq!(state.document().unwrap().body[0].text.as_deref(), Some("Dòng một Dòng hai"));
    let go = state.update(Message::Area("/body/0/text".into(), Action::Edit(Edit::Enter)), &mut ctx);
    assert!(matches!(go, Go::Focus(_)));
    assert_eq!(state.document().unwrap().body.len(), 2);
    state.update(Message::AddBlock(NewBlock::Item), &mut ctx);
    state.update(Message::AddBlock(NewBlock::SubItem), &mut ctx);
    state.update(Message::AddBlock(NewBlock::SubItem), &mut ctx);
    state.update(Message::AddBlock(NewBlock::Item), &mut ctx);
    let labels: Vec<_> = state.document().unwrap().body.iter().filter_map(|b| b.label.clone()).collect();
    assert_eq!(labels, ["1.", "a)", "b)", "2."]);
    for i in 2..6 {
        state.update(paste(&format!("/body/{i}/text"), "Nội dung của mục."), &mut ctx);
    }
    assert!(
        !state.findings().iter().any(|f| f.field.ends_with("/label")),
        "the labels pass the numbering checks: {:?}",
        state.findings()
    );
    assert!(state.preview_pages() >= 1, "the preview follows");
    assert!(state.is_dirty());
    // The autosave waits for a rest, then saves a version.
    let now = std::time::Instant::now();
    state.update(Message::Tick(now), &mut ctx);
    assert!(state.id().is_none() && state.is_dirty());
    state.update(Message::Tick(now + AUTOSAVE_IDLE + std::time::Duration::from_secs(1)), &mut ctx);
    assert!(state.id().is_some() && !state.is_dirty(), "{:?}", state.error);
    // More pauses within AUTOSAVE_SPACING do not each make a version: the changes
    // wait (still unsaved) and go into one version once the spacing has passed.
    let id = state.id().unwrap();
    let versions = |ctx: &Ctx<'_>| ctx.store.versions(id).unwrap().len();
    let saved = versions(&ctx);
    let spacing = AUTOSAVE_SPACING.as_secs();
    for (n, pause) in [spacing / 6, spacing / 3, spacing / 2].into_iter().enumerate() {
        state.update(paste("/body/2/text", &format!("Nội dung của mục, lần sửa {n}.")), &mut ctx);
        state.update(Message::Tick(now + std::time::Duration::from_secs(pause) + AUTOSAVE_IDLE), &mut ctx);
        assert_eq!(versions(&ctx), saved, "pause {pause} s: no new version yet");
        assert!(state.is_dirty());
    }
    state.update(Message::Tick(now + AUTOSAVE_SPACING + AUTOSAVE_IDLE + std::time::Duration::from_secs(2)), &mut ctx);
    assert_eq!(versions(&ctx), saved + 1, "one version for the three pauses");
    assert!(!state.is_dirty());
}

/// Issue #14: Enter splits a paragraph at the cursor (the text after it goes to a new
/// paragraph below, which takes the keyboard); Backspace at the start of that
/// paragraph joins the two again; a selection is dropped by the split.
#[test]
fn enter_splits_a_paragraph_at_the_cursor_and_backspace_joins_it_back() {
    use iced::widget::text_editor::{Action, Edit, Motion};
    let mut f = Fixture::demo("buivantoan");
    let mut ctx = f.ctx();
    let mut state = State::new(&ctx);
    state.update(Message::New("cong-van".into()), &mut ctx);
    let body = |state: &State| -> Vec<String> {
        state.document().unwrap().body.iter().map(|b| b.text.clone().unwrap_or_default()).collect()
    };
    state.update(paste("/body/0/text", "Đề nghị các phòng rà soát. Gửi báo cáo trước ngày 20."), &mut ctx);
    // The cursor is at the end after the paste: move it before "Gửi" (the end minus
    // "Gửi báo cáo trước ngày 20." — 26 characters).
    for _ in 0.."Gửi báo cáo trước ngày 20.".chars().count() {
        state.update(Message::Area("/body/0/text".into(), Action::Move(Motion::Left)), &mut ctx);
    }
    let go = state.update(Message::Area("/body/0/text".into(), Action::Edit(Edit::Enter)), &mut ctx);
    assert!(matches!(go, Go::Focus(ref id) if *id == iced::widget::Id::from("/body/1/text".to_owned())), "{go:?}");
    assert_eq!(body(&state), ["Đề nghị các phòng rà soát.", "Gửi báo cáo trước ngày 20."]);
    assert_eq!(state.document().unwrap().body[1].kind, BlockKind::Paragraph);
    assert_eq!(state.areas["/body/1/text"].text(), "Gửi báo cáo trước ngày 20.", "the area shows the moved text");
    // Backspace in the middle of a paragraph deletes a letter as usual.
    state.update(Message::Area("/body/1/text".into(), Action::Move(Motion::End)), &mut ctx);
    state.update(Message::Area("/body/1/text".into(), Action::Edit(Edit::Backspace)), &mut ctx);
    assert_eq!(body(&state)[1], "Gửi báo cáo trước ngày 20");
    // At its start it joins the paragraph to the one above, the cursor at the joint.
    state.update(Message::Area("/body/1/text".into(), Action::Move(Motion::DocumentStart)), &mut ctx);
    let go = state.update(Message::Area("/body/1/text".into(), Action::Edit(Edit::Backspace)), &mut ctx);
    assert!(matches!(go, Go::Focus(ref id) if *id == iced::widget::Id::from("/body/0/text".to_owned())), "{go:?}");
    assert_eq!(body(&state), ["Đề nghị các phòng rà soát. Gửi báo cáo trước ngày 20"]);
    let cursor = state.areas["/body/0/text"].cursor().position;
    assert_eq!(cursor.column, "Đề nghị các phòng rà soát. ".len(), "the cursor where the two met");
    // Enter at the end gives an empty paragraph; Backspace in it removes it again.
    state.update(Message::Area("/body/0/text".into(), Action::Move(Motion::End)), &mut ctx);
    state.update(Message::Area("/body/0/text".into(), Action::Edit(Edit::Enter)), &mut ctx);
    assert_eq!(body(&state), ["Đề nghị các phòng rà soát. Gửi báo cáo trước ngày 20", ""]);
    state.update(Message::Area("/body/1/text".into(), Action::Edit(Edit::Backspace)), &mut ctx);
    assert_eq!(body(&state).len(), 1);
    // A selection is dropped by the split: select "rà soát" and press Enter.
    state.update(Message::Area("/body/0/text".into(), Action::Move(Motion::DocumentStart)), &mut ctx);
    for _ in 0.."Đề nghị các phòng ".chars().count() {
        state.update(Message::Area("/body/0/text".into(), Action::Move(Motion::Right)), &mut ctx);
    }
    for _ in 0.."rà soát".chars().count() {
        state.update(Message::Area("/body/0/text".into(), Action::Select(Motion::Right)), &mut ctx);
    }
    state.update(Message::Area("/body/0/text".into(), Action::Edit(Edit::Enter)), &mut ctx);
    assert_eq!(body(&state), ["Đề nghị các phòng", ". Gửi báo cáo trước ngày 20"]);
    // The first block and a numbered item are not joined upwards: Backspace at their
    // start does nothing to the structure.
    state.update(Message::Area("/body/0/text".into(), Action::Move(Motion::DocumentStart)), &mut ctx);
    state.update(Message::Area("/body/0/text".into(), Action::Edit(Edit::Backspace)), &mut ctx);
    assert_eq!(body(&state).len(), 2);
    state.update(Message::AddBlock(NewBlock::Item), &mut ctx);
    state.update(Message::Area("/body/2/text".into(), Action::Edit(Edit::Backspace)), &mut ctx);
    assert_eq!(state.document().unwrap().body.len(), 3, "a numbered item keeps its place");
}

/// Issue #14: a công văn whose trích yếu starts with "V/v" prints "V/v V/v …" (the
/// layout adds it): an error that blocks submission, said in people's words (the
/// field's name and the rule's message, no code or pointer), fixed in one click.
#[test]
fn a_doubled_vv_blocks_submission_until_fixed() {
    let mut f = Fixture::demo("buivantoan");
    let mut ctx = f.ctx();
    let mut state = State::new(&ctx);
    state.update(Message::New("cong-van".into()), &mut ctx);
    for (pointer, value) in [
        ("/subject", "V/v đề nghị cung cấp số liệu chuyển đổi số năm 2026"),
        ("/addressees/0", "Sở Tài chính tỉnh Bình Phước"),
        ("/body/0/text", "Văn phòng đề nghị Sở Tài chính cung cấp số liệu về kinh phí chuyển đổi số đã bố trí./."),
    ] {
        state.update(Message::Field(pointer.into(), value.into()), &mut ctx);
    }
    let vv = state.findings().iter().find(|f| f.rule == "TT-14").expect("TT-14 found").clone();
    assert_eq!(vv.severity, vanthu_core::ruleset::Severity::Error, "an error, not a warning");
    let go = state.update(Message::Submit, &mut ctx);
    let Go::Error(shown) = go else { panic!("refused: {go:?}") };
    assert!(shown.contains("Trích yếu") && shown.contains("V/v"), "{shown}");
    assert!(!shown.contains("TT-14") && !shown.contains("/subject") && !shown.contains("blocked"), "{shown}");
    assert_eq!(state.shown_error(), Some(shown.as_str()), "shown on the page (the shell adds no toast)");
    let id = state.id().expect("saved before submitting");
    assert_eq!(ctx.store.document(id).unwrap().unwrap().state, OutgoingState::Draft);
    // One click fixes it; the page's error goes with the change.
    let at = state.findings().iter().position(|f| f.rule == "TT-14").unwrap();
    state.update(Message::Fix(at), &mut ctx);
    assert!(state.shown_error().is_none());
    assert_eq!(state.document().unwrap().subject.as_deref(), Some("đề nghị cung cấp số liệu chuyển đổi số năm 2026"));
    assert!(!state.findings().iter().any(|f| f.rule == "TT-14"));
}

/// Issue #14: after "+ Mục số" or "+ Điểm" what is typed goes into the new item's
/// text, not into its number.
#[test]
fn a_new_item_takes_the_focus_in_its_text() {
    let mut f = Fixture::demo("buivantoan");
    let mut ctx = f.ctx();
    let mut state = State::new(&ctx);
    state.update(Message::New("cong-van".into()), &mut ctx);
    for which in [blocks::NewBlock::Item, blocks::NewBlock::SubItem] {
        let go = state.update(Message::AddBlock(which), &mut ctx);
        let last = state.doc.as_ref().unwrap().body.len() - 1;
        let expected = iced::widget::Id::from(format!("/body/{last}/text"));
        assert!(matches!(go, Go::Focus(ref id) if *id == expected), "{which:?}: {go:?}");
    }
}
