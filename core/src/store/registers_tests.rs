//! The number and the register row of an issued công văn as the newcomer's walk
//! checked them (issue #14): the symbol takes the drafting unit (NĐ 30 Phụ lục I,
//! Phần I, III.3), the Sổ đăng ký văn bản đi (Phụ lục IV) names the recipients the
//! "Như trên" stands for, where copies are kept, how many copies and the day sent.

use chrono::{DateTime, Local, TimeZone};

use super::Store;
use super::registers::OutgoingRegisterRow;
use super::workflow::{default_notation, name_initials};
use crate::demo::{DEMO_PASSWORD, load_demo};
use crate::exchange::parse_document;
use crate::model::Document;
use crate::workflow::Action;

const CONG_VAN: &str = include_str!("../../../assets/demo/documents/ubnd-cong-van-giai-ngan-von-dau-tu-cong.json");

fn at(y: i32, m: u32, d: u32) -> DateTime<Local> {
    Local.with_ymd_and_hms(y, m, d, 9, 30, 0).single().expect("valid local time")
}

/// The UBND công văn on disbursement, drafted by Bùi Văn Toàn (Phòng Kinh tế of the
/// Văn phòng, `KT`), its Lưu line and box 12 set by `edit`, taken to issue; its
/// symbol and its register row.
fn issued(edit: impl Fn(&mut Document)) -> (String, OutgoingRegisterRow) {
    let mut store = Store::open_in_memory().unwrap();
    load_demo(&mut store, at(2026, 11, 27).date_naive()).unwrap();
    let mut document = parse_document(CONG_VAN).unwrap();
    document.notation = None;
    edit(&mut document);
    let now = at(2026, 12, 1);
    let drafter = store.login("buivantoan", DEMO_PASSWORD).unwrap();
    let id = store.create_draft(&drafter, &document, now).unwrap();
    for (action, user) in [
        (Action::Submit, "buivantoan"),
        (Action::Approve, "danghuutai"),
        (Action::CheckFormat, "lythihongnhung"),
        (Action::Sign, "lethithuha"),
        (Action::Number, "lythihongnhung"),
        (Action::Issue, "lythihongnhung"),
    ] {
        let actor = store.login(user, DEMO_PASSWORD).unwrap();
        let outcome = if action == Action::Sign {
            store.sign(id, &actor, DEMO_PASSWORD, now, None)
        } else {
            store.transition(id, action, &actor, now, None)
        };
        outcome.unwrap_or_else(|e| panic!("{action:?} by {user}: {e}"));
    }
    let stored = store.document(id).unwrap().unwrap();
    let number = stored.document.number_notation().unwrap();
    let agency = stored.agency_id;
    let row = store
        .outgoing_register(2026, agency)
        .unwrap()
        .into_iter()
        .find(|r| r.number_notation == number)
        .expect("the register has the công văn");
    (number, row)
}

fn luu(document: &mut Document, line: &str) {
    let last = document.recipients.len() - 1;
    document.recipients[last] = line.to_owned();
}

#[test]
fn a_cong_van_takes_the_drafting_units_abbreviation_never_the_initials() {
    // Box 12 holds the drafter's initials and the Lưu line names no unit: the unit
    // recorded for the draft (Phòng Kinh tế) gives the symbol, not "BVT".
    let (number, _) = issued(|d| {
        d.drafter_code = Some("BVT".into());
        luu(d, "Lưu: VT, BVT(5).");
    });
    assert!(number.ends_with("/UBND-KT"), "{number}");
    // Initials written in the Lưu line without box 12.
    let (number, _) = issued(|d| {
        d.drafter_code = None;
        luu(d, "Lưu: VT, BVT.");
    });
    assert!(number.ends_with("/UBND-KT"), "{number}");

    // Without a recorded unit: the Lưu line's unit, never the initials, else the
    // agency alone.
    let mut d = parse_document(CONG_VAN).unwrap();
    d.drafter_code = None;
    luu(&mut d, "Lưu: VT, TH.");
    assert_eq!(default_notation(&d, "", None, "BVT"), "UBND-TH");
    luu(&mut d, "Lưu: VT, BVT(5).");
    assert_eq!(default_notation(&d, "", None, "BVT"), "UBND");
    assert_eq!(default_notation(&d, "", Some("KT"), "BVT"), "UBND-KT");
    assert_eq!(name_initials("Hồ Văn Phúc"), "HVP");
    assert_eq!(name_initials("Đặng Hữu Tài"), "ĐHT");
    luu(&mut d, "Lưu: VT, DHT.");
    assert_eq!(default_notation(&d, "", None, "ĐHT"), "UBND", "Đ written as D is the same initials");
}

#[test]
fn the_register_row_names_recipients_kept_copies_count_and_day_sent() {
    let (_, row) = issued(|d| {
        d.drafter_code = Some("BVT".into());
        d.copies = None;
        luu(d, "Lưu: VT, KT, BVT(12).");
    });
    // "Như trên" stands for the addressees of the Kính gửi.
    assert!(!row.recipients.contains("Như trên"), "{}", row.recipients);
    for named in ["Các sở, ban, ngành tỉnh", "Ban Quản lý dự án đầu tư xây dựng tỉnh", "Bộ Tài chính"]
    {
        assert!(row.recipients.contains(named), "{named} in {}", row.recipients);
    }
    assert!(!row.recipients.contains("Lưu"), "{}", row.recipients);
    assert_eq!(row.file_copy, "VT, KT");
    assert_eq!(row.copies, "12", "the Lưu line's count");
    assert_eq!(row.sent_on, "01/12/2026");

    // Box 12's count when it is given.
    let (_, row) = issued(|d| {
        d.copies = Some(50);
        luu(d, "Lưu: VT, KT.");
    });
    assert_eq!(row.copies, "50");

    // Neither: the recipients (3 addressees and 4 other lines) and the 2 kept copies.
    let (_, row) = issued(|d| {
        d.drafter_code = None;
        d.copies = None;
        luu(d, "Lưu: VT, KT.");
    });
    assert_eq!(row.recipients.split("; ").count(), 7, "{}", row.recipients);
    assert_eq!(row.copies, "9");
    // A Lưu line naming only the văn thư: the recorded drafting unit keeps one too.
    let (_, row) = issued(|d| {
        d.drafter_code = None;
        luu(d, "Lưu: VT.");
    });
    assert_eq!(row.file_copy, "VT, KT");
}
