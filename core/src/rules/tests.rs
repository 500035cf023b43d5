//! Every rule: the clean documents pass it, and a mutation made for it fails it.

use chrono::NaiveDate;

use super::*;
use crate::exchange::parse_document;
use crate::model::{Block, BlockKind, DelegationKind, Urgency};
use crate::ruleset::default_ruleset;

const STATE_DECISION: &str = r#"{
  "schema": "vanthu.document/1", "family": "state", "kind": "quyet-dinh",
  "issuer": { "parent": null, "name": "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC", "abbreviation": "UBND" },
  "number": "05", "notation": "QĐ-UBND", "place": "Đồng Xoài", "date": "2026-03-05",
  "subject": "Về việc thành lập Tổ công tác chuyển đổi số",
  "addressees": [], "authority_line": "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC",
  "bases": ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;", "Theo đề nghị của Giám đốc Sở Nội vụ."],
  "enacting_words": "QUYẾT ĐỊNH:",
  "body": [
    { "kind": "article", "label": "Điều 1.", "title": null, "text": "Thành lập Tổ công tác chuyển đổi số của tỉnh gồm:" },
    { "kind": "clause", "label": "1.", "title": null, "text": "Tổ trưởng: Giám đốc Sở Khoa học và Công nghệ." },
    { "kind": "clause", "label": "2.", "title": null, "text": "Các thành viên:" },
    { "kind": "point", "label": "a)", "title": null, "text": "Đại diện Sở Nội vụ;" },
    { "kind": "point", "label": "b)", "title": null, "text": "Đại diện Văn phòng Ủy ban nhân dân tỉnh." },
    { "kind": "article", "label": "Điều 2.", "title": null, "text": "Quyết định này có hiệu lực kể từ ngày ký. Giám đốc Sở Nội vụ và các thành viên có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./." }
  ],
  "signer": { "form": "KT.", "principal": "CHỦ TỊCH", "position": "PHÓ CHỦ TỊCH", "name": "Lê Thị Thu Hà" },
  "recipients": ["Như Điều 2;", "Chủ tịch, các Phó Chủ tịch UBND tỉnh;", "Lưu: VT, KGVX."],
  "urgency": null, "secrecy": null, "circulation": null, "drafter_code": "KGVX", "copies": 5,
  "due_date": null, "appendices": []
}"#;

const STATE_LETTER: &str = r#"{
  "schema": "vanthu.document/1", "family": "state", "kind": "cong-van",
  "issuer": { "parent": "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC", "name": "VĂN PHÒNG", "abbreviation": "VP" },
  "number": "125", "notation": "VP-HCTC", "place": "Đồng Xoài", "date": "2026-11-20",
  "subject": "Đăng ký danh mục hồ sơ năm 2027",
  "addressees": ["Các phòng thuộc Văn phòng;", "Trung tâm Công báo - Tin học."],
  "authority_line": null, "bases": [], "enacting_words": null,
  "body": [
    { "kind": "paragraph", "label": null, "title": null, "text": "Văn phòng đề nghị các phòng đăng ký danh mục hồ sơ năm 2027 trước ngày 15 tháng 12 năm 2026." },
    { "kind": "heading", "label": "1.", "title": null, "text": "Nội dung đăng ký gồm tiêu đề hồ sơ và thời hạn bảo quản." },
    { "kind": "heading", "label": "2.", "title": null, "text": "Gửi về Phòng Hành chính - Tổ chức (qua Hệ thống quản lý văn bản)./." }
  ],
  "signer": { "form": null, "principal": null, "position": "CHÁNH VĂN PHÒNG", "name": "Phạm Văn Thắng" },
  "recipients": ["Như trên;", "Lãnh đạo Văn phòng;", "Lưu: VT, HCTC."],
  "urgency": null, "secrecy": null, "circulation": null, "drafter_code": "HCTC", "copies": 4,
  "due_date": "2026-12-15", "appendices": []
}"#;

const PARTY_LETTER: &str = r#"{
  "schema": "vanthu.document/1", "family": "party", "kind": "cong-van",
  "issuer": { "parent": "TỈNH ỦY BÌNH PHƯỚC", "name": "VĂN PHÒNG", "abbreviation": "VPTU" },
  "number": "234", "notation": "CV/VPTU", "place": "Đồng Xoài", "date": "2026-06-10",
  "subject": "Chế độ báo cáo quý III năm 2026",
  "addressees": ["Các ban xây dựng Đảng Tỉnh ủy;", "Các đảng ủy trực thuộc Tỉnh ủy."],
  "authority_line": null, "bases": [], "enacting_words": null,
  "body": [
    { "kind": "heading", "label": "I-", "title": "YÊU CẦU", "text": null },
    { "kind": "paragraph", "label": null, "title": null, "text": "Báo cáo đúng thời gian, đủ nội dung." },
    { "kind": "heading", "label": "II-", "title": "THỜI GIAN", "text": null },
    { "kind": "paragraph", "label": null, "title": null, "text": "Gửi báo cáo về Văn phòng Tỉnh ủy trước ngày 20 tháng 9 năm 2026." }
  ],
  "signer": { "form": "K/T", "principal": "CHÁNH VĂN PHÒNG", "position": "PHÓ CHÁNH VĂN PHÒNG", "name": "Trần Quốc Bảo" },
  "recipients": ["Như trên;", "Thường trực Tỉnh ủy (để báo cáo);", "Lưu Văn phòng Tỉnh ủy."],
  "urgency": null, "secrecy": null, "circulation": null, "drafter_code": "TH", "copies": 40,
  "due_date": "2026-09-18", "appendices": []
}"#;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn run(doc: &Document, office: Option<&OfficeFacts>) -> Vec<Finding> {
    let calendar = WorkCalendar::default_vietnam();
    let ctx = CheckContext { today: today(), office, calendar: &calendar };
    check(doc, default_ruleset(doc.family), &ctx)
}

fn base(text: &str) -> Document {
    parse_document(text).expect("base documents parse")
}

#[test]
fn the_clean_documents_have_no_finding() {
    for text in [STATE_DECISION, STATE_LETTER, PARTY_LETTER] {
        let doc = base(text);
        assert_eq!(run(&doc, None), vec![], "{}", doc.kind);
    }
}

type Mutation = fn(&mut Document);

fn block(kind: BlockKind, label: &str, text: &str) -> Block {
    Block { kind, label: Some(label.into()), text: Some(text.into()), ..Block::default() }
}

/// (rule, base, mutation, the field the finding must name, whether it has a fix).
const CASES: &[(&str, &str, Mutation, &str, bool)] = &[
    ("TT-01", PARTY_LETTER, |d| d.kind = crate::model::KindCode::new("hop-dong").unwrap(), "/kind", false),
    ("TT-02", STATE_LETTER, |d| d.issuer.name = "Văn phòng".into(), "/issuer/name", true),
    (
        "TT-03",
        STATE_LETTER,
        |d| d.issuer.parent = Some("Ủy ban nhân dân tỉnh Bình Phước".into()),
        "/issuer/parent",
        true,
    ),
    ("TT-04", STATE_LETTER, |d| d.issuer.abbreviation = "".into(), "/issuer/abbreviation", false),
    ("TT-05", STATE_DECISION, |d| d.number = Some("5".into()), "/number", true),
    ("TT-06", STATE_DECISION, |d| d.notation = Some("QD-UBND".into()), "/notation", true),
    ("TT-07", STATE_DECISION, |d| d.notation = Some("QĐ-VP".into()), "/notation", false),
    ("TT-08", STATE_DECISION, |d| d.notation = Some("QĐ - UBND".into()), "/notation", true),
    ("TT-09", STATE_LETTER, |d| d.notation = Some("CV-VP".into()), "/notation", false),
    ("TT-10", PARTY_LETTER, |d| d.notation = Some("CV-VPTU".into()), "/notation", true),
    ("TT-11", STATE_DECISION, |d| d.notation = None, "/notation", false),
    ("TT-12", STATE_DECISION, |d| d.place = "đồng Xoài".into(), "/place", true),
    ("TT-13", STATE_LETTER, |d| d.kind = crate::model::KindCode::new("giay-gioi-thieu").unwrap(), "/subject", false),
    ("TT-14", STATE_LETTER, |d| d.subject = Some("V/v đăng ký danh mục hồ sơ".into()), "/subject", true),
    ("TT-15", STATE_DECISION, |d| d.authority_line = None, "/authority_line", false),
    (
        "TT-16",
        STATE_DECISION,
        |d| d.authority_line = Some("Ủy ban nhân dân tỉnh Bình Phước".into()),
        "/authority_line",
        true,
    ),
    ("TT-17", STATE_DECISION, |d| d.bases.clear(), "/bases", false),
    ("TT-18", STATE_DECISION, |d| d.enacting_words = Some("QUYẾT NGHỊ:".into()), "/enacting_words", true),
    (
        "TT-19",
        STATE_DECISION,
        |d| d.bases[0] = "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025".into(),
        "/bases/0",
        true,
    ),
    ("TT-20", STATE_DECISION, |d| d.bases.insert(0, "Luật Tổ chức chính quyền địa phương;".into()), "/bases/0", false),
    ("TT-21", STATE_LETTER, |d| d.addressees[1] = "Trung tâm Công báo - Tin học".into(), "/addressees/1", true),
    ("TT-22", STATE_LETTER, |d| d.signer.position = "Chánh Văn phòng".into(), "/signer/position", true),
    ("TT-23", STATE_DECISION, |d| d.signer.principal = Some("Chủ tịch".into()), "/signer/principal", true),
    ("TT-24", STATE_LETTER, |d| d.signer.name = "TS. Phạm Văn Thắng".into(), "/signer/name", true),
    ("TT-25", STATE_LETTER, |d| d.signer.name = "Phạm văn thắng".into(), "/signer/name", true),
    ("TT-26", STATE_DECISION, |d| d.signer.principal = None, "/signer/principal", false),
    ("TT-27", STATE_LETTER, |d| d.recipients.clear(), "/recipients", false),
    ("TT-28", STATE_LETTER, |d| d.recipients[1] = "Lãnh đạo Văn phòng".into(), "/recipients/1", true),
    ("TT-29", STATE_LETTER, |d| d.recipients[2] = "Lưu VT, HCTC".into(), "/recipients/2", true),
    ("TT-30", STATE_LETTER, |d| d.recipients[0] = "Các phòng thuộc Văn phòng;".into(), "/recipients/0", false),
    ("TT-31", STATE_LETTER, |d| d.recipients[1] = "- Lãnh đạo Văn phòng;".into(), "/recipients/1", true),
    ("TT-32", STATE_LETTER, |d| d.drafter_code = Some("hctc".into()), "/drafter_code", true),
    ("TT-33", STATE_LETTER, |d| d.copies = Some(0), "/copies", false),
    ("TT-34", STATE_LETTER, |d| d.kind = crate::model::KindCode::new("bien-ban").unwrap(), "/second_signer", false),
    ("TT-35", STATE_LETTER, |d| d.enacting_words = Some("QUYẾT ĐỊNH:".into()), "/enacting_words", false),
    ("TT-36", STATE_DECISION, |d| d.body[5].label = Some("Điều 2:".into()), "/body/5/label", true),
    ("TT-37", STATE_DECISION, |d| d.body[2].label = Some("2)".into()), "/body/2/label", true),
    ("TT-38", STATE_DECISION, |d| d.body[4].label = Some("b.".into()), "/body/4/label", true),
    (
        "TT-39",
        STATE_DECISION,
        |d| {
            d.body.insert(
                0,
                Block {
                    kind: BlockKind::Chapter,
                    label: Some("Chương 1".into()),
                    title: Some("QUY ĐỊNH CHUNG".into()),
                    text: None,
                    ..Block::default()
                },
            )
        },
        "/body/0/label",
        true,
    ),
    (
        "TT-40",
        STATE_LETTER,
        |d| {
            for n in ["Phụ lục 1", "Phụ lục 2"] {
                d.appendices.push(crate::model::Appendix {
                    label: n.into(),
                    title: Some("DANH MỤC".into()),
                    body: vec![],
                });
            }
        },
        "/appendices/0/label",
        true,
    ),
    ("TT-41", STATE_LETTER, |d| d.subject = Some("Về việc liên hoan 🎉".into()), "/subject", false),
    ("TT-41", PARTY_LETTER, |d| d.recipients[0] = "Ban Thường vụ 公文".into(), "/recipients/0", false),
    ("TQ-01", STATE_DECISION, |d| d.signer.form = Some("K/T".into()), "/signer/form", true),
    (
        "TQ-02",
        STATE_LETTER,
        |d| {
            d.signer.form = Some("TM.".into());
            d.signer.principal = Some("VĂN PHÒNG".into());
        },
        "/signer/form",
        false,
    ),
    (
        "TQ-03",
        STATE_DECISION,
        |d| {
            d.signer.form = None;
            d.signer.principal = None;
            d.signer.position = "CHỦ TỊCH".into();
        },
        "/signer/form",
        false,
    ),
    (
        "TQ-04",
        STATE_LETTER,
        |d| {
            d.signer.form = Some("KT.".into());
            d.signer.principal = Some("CHÁNH VĂN PHÒNG".into());
        },
        "/signer/position",
        false,
    ),
    (
        "TQ-05",
        PARTY_LETTER,
        |d| {
            d.issuer =
                crate::model::Issuer {
                    parent: None, name: "TỈNH ỦY BÌNH PHƯỚC".into(), abbreviation: "TU".into()
                };
            d.notation = Some("CV/TU".into());
            d.signer.principal = Some("BÍ THƯ".into());
            d.signer.position = "PHÓ BÍ THƯ".into();
        },
        "/signer/form",
        false,
    ),
    ("TQ-06", STATE_LETTER, |d| d.signer.position = "PHÓ CHÁNH VĂN PHÒNG".into(), "/signer/form", false),
    ("TQ-07", STATE_DECISION, |d| d.signer.principal = Some("GIÁM ĐỐC".into()), "/signer/principal", false),
    (
        "TQ-08",
        STATE_LETTER,
        |d| {
            d.signer.form = Some("TL.".into());
            d.signer.principal = Some("CHÁNH VĂN PHÒNG".into());
        },
        "/signer/position",
        false,
    ),
    (
        "TQ-10",
        STATE_LETTER,
        |d| {
            d.signer.form = Some("Q.".into());
            d.signer.principal = Some("PHÓ CHÁNH VĂN PHÒNG".into());
        },
        "/signer/principal",
        false,
    ),
    (
        "TQ-11",
        PARTY_LETTER,
        |d| {
            d.signer.form = Some("T/L".into());
            d.signer.principal = Some("BÍ THƯ".into());
            d.signer.position = "CHÁNH VĂN PHÒNG".into();
        },
        "/signer/principal",
        false,
    ),
    (
        "TQ-13",
        PARTY_LETTER,
        |d| {
            d.signer.form = None;
            d.signer.principal = None;
            d.signer.position = "CHÁNH VĂN PHÒNG TỈNH ỦY".into();
        },
        "/signer/position",
        false,
    ),
    (
        "TQ-14",
        STATE_DECISION,
        |d| {
            d.signer.form = Some("TM.".into());
            d.signer.principal = Some("BỘ TRƯỞNG".into());
            d.signer.position = "CHỦ TỊCH".into();
        },
        "/signer/principal",
        false,
    ),
    (
        "TQ-18",
        PARTY_LETTER,
        |d| {
            d.issuer.parent = Some("HUYỆN ỦY BÙ ĐĂNG".into());
            d.date = chrono::NaiveDate::from_ymd_opt(2025, 8, 4);
        },
        "/issuer/parent",
        false,
    ),
    ("ND-01", STATE_LETTER, |d| d.subject = None, "/subject", false),
    ("ND-02", STATE_DECISION, |d| d.subject = Some("Về việc thành lập Tổ công tác.".into()), "/subject", true),
    ("ND-03", STATE_DECISION, |d| d.subject = Some("về việc thành lập Tổ công tác".into()), "/subject", true),
    ("ND-04", STATE_DECISION, |d| d.body[5].label = Some("Điều 3.".into()), "/body/5/label", false),
    ("ND-05", STATE_DECISION, |d| d.body[2].label = Some("3.".into()), "/body/2/label", false),
    ("ND-06", STATE_DECISION, |d| d.body[4].label = Some("c)".into()), "/body/4/label", false),
    ("ND-07", STATE_LETTER, |d| d.body[2].label = Some("3.".into()), "/body/2/label", false),
    (
        "ND-08",
        STATE_LETTER,
        |d| d.body[0].text = Some("Văn phòng đề nghị các phòng đăng ký trước ngày ... tháng 12./.".into()),
        "/body/0/text",
        false,
    ),
    (
        "ND-09",
        STATE_LETTER,
        |d| {
            d.addressees.clear();
            d.recipients.remove(0);
        },
        "/addressees",
        false,
    ),
    (
        "ND-10",
        STATE_LETTER,
        |d| d.body[2].text = Some("Gửi về Phòng Hành chính - Tổ chức.".into()),
        "/body/2/text",
        true,
    ),
    ("ND-11", STATE_LETTER, |d| d.body.clear(), "/body", false),
    ("ND-12", STATE_LETTER, |d| d.body.insert(1, Block::text(BlockKind::Paragraph, "  ")), "/body/1", false),
    (
        "ND-13",
        STATE_DECISION,
        |d| {
            d.body = vec![block(
                BlockKind::Paragraph,
                "",
                "Quyết định này có hiệu lực kể từ ngày ký; các cơ quan chịu trách nhiệm thi hành./.",
            )]
        },
        "/body",
        false,
    ),
    ("ND-14", STATE_DECISION, |d| d.body[5].text = Some("Giao Sở Nội vụ theo dõi./.".into()), "/body/5/text", false),
    (
        "ND-15",
        STATE_LETTER,
        |d| d.body[0].text = Some("Văn phòng  đề nghị các phòng đăng ký danh mục hồ sơ năm 2027.".into()),
        "/body/0/text",
        true,
    ),
    (
        "ND-16",
        STATE_LETTER,
        |d| {
            d.body[0].text =
                Some("Văn phòng (Phòng Hành chính đề nghị các phòng đăng ký danh mục hồ sơ năm 2027.".into())
        },
        "/body/0/text",
        false,
    ),
    ("ND-17", STATE_LETTER, |d| d.recipients.insert(2, "Lãnh đạo Văn phòng;".into()), "/recipients/2", false),
    ("QT-01", STATE_LETTER, |d| d.date = None, "/date", false),
    ("QT-02", STATE_LETTER, |d| d.signer.name = " ".into(), "/signer/name", false),
    ("QT-03", STATE_LETTER, |d| d.copies = Some(2), "/copies", false),
    ("QT-05", STATE_LETTER, |d| d.recipients[2] = "Lưu: VT.".into(), "/recipients/2", true),
    (
        "QT-06",
        STATE_LETTER,
        |d| {
            d.kind = crate::model::KindCode::new("cong-dien").unwrap();
            d.notation = Some("CĐ-VP".into());
        },
        "/urgency",
        false,
    ),
    (
        "TG-01",
        STATE_LETTER,
        |d| {
            d.date = NaiveDate::from_ymd_opt(2026, 12, 1);
            d.due_date = None;
        },
        "/date",
        false,
    ),
    ("TG-02", STATE_LETTER, |d| d.due_date = NaiveDate::from_ymd_opt(2026, 11, 19), "/due_date", false),
    ("TG-03", STATE_LETTER, |d| d.date = NaiveDate::from_ymd_opt(2026, 2, 18), "/date", false),
    ("TG-04", STATE_LETTER, |d| d.due_date = NaiveDate::from_ymd_opt(2026, 12, 13), "/due_date", false),
    (
        "TG-05",
        STATE_LETTER,
        |d| {
            d.date = NaiveDate::from_ymd_opt(2019, 12, 10);
            d.due_date = None;
        },
        "/date",
        false,
    ),
];

#[test]
fn every_mutation_fails_its_rule() {
    for (rule, text, mutate, field, fixable) in CASES {
        let mut doc = base(text);
        mutate(&mut doc);
        let findings = run(&doc, None);
        let hit = findings.iter().find(|f| f.rule == *rule);
        let Some(hit) = hit else { panic!("{rule}: no finding; got {findings:?}") };
        assert_eq!(hit.field, *field, "{rule}: {hit:?}");
        assert_eq!(hit.fix.is_some(), *fixable, "{rule}: {hit:?}");
        assert!(!hit.message.is_empty() && !hit.reference.is_empty());
    }
}

#[test]
fn fixes_clear_what_they_fix() {
    let calendar = WorkCalendar::default_vietnam();
    let ctx = CheckContext { today: today(), office: None, calendar: &calendar };
    for (rule, text, mutate, _, fixable) in CASES.iter().filter(|c| c.4) {
        let mut doc = base(text);
        mutate(&mut doc);
        let outcome = apply_fixes(&doc, default_ruleset(doc.family), &ctx);
        assert!(*fixable);
        assert!(!outcome.remaining.iter().any(|f| f.rule == *rule), "{rule} left after fix: {:?}", outcome.remaining);
    }
}

fn office(doc: &Document) -> OfficeFacts {
    let delegation = crate::model::Delegation {
        id: 1,
        kind: DelegationKind::ThuaLenh,
        agency_id: 1,
        from_position_id: 1,
        to_person_id: 2,
        scope: vec!["cong-van".into()],
        valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        valid_until: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        basis: "Quy chế làm việc".into(),
    };
    OfficeFacts {
        agencies: vec![AgencyFacts {
            family: Some(doc.family),
            name: doc.issuer.name.clone(),
            parent_name: doc.issuer.parent.clone(),
            collective: false,
            people: vec![
                ("Phạm Văn Thắng".into(), "CHÁNH VĂN PHÒNG".into()),
                ("Ngô Thị Lan".into(), "TRƯỞNG PHÒNG HÀNH CHÍNH - TỔ CHỨC".into()),
            ],
            delegations: vec![(delegation, "Ngô Thị Lan".into())],
            authority: vec![
                ("CHÁNH VĂN PHÒNG".into(), "*".into()),
                ("TRƯỞNG PHÒNG HÀNH CHÍNH - TỔ CHỨC".into(), "giay-moi".into()),
            ],
        }],
    }
}

#[test]
fn database_rules_use_positions_and_delegations() {
    let doc = base(STATE_LETTER);
    let facts = office(&doc);
    assert!(run(&doc, Some(&facts)).is_empty(), "the Chánh Văn phòng holds the position");

    let mut elsewhere = doc.clone();
    elsewhere.issuer.name = "SỞ NỘI VỤ".into();
    assert!(run(&elsewhere, Some(&facts)).iter().any(|f| f.rule == "TQ-16"), "unknown issuer with a database");
    let mut old_style = doc.clone();
    old_style.issuer.parent = Some("UBND TỈNH BÌNH PHƯỚC".into());
    assert!(run(&old_style, Some(&facts)).is_empty(), "an abbreviated parent still matches the agency");

    let mut stranger = doc.clone();
    stranger.signer.name = "Nguyễn Văn Lạ".into();
    assert!(run(&stranger, Some(&facts)).iter().any(|f| f.rule == "TQ-12"));

    let mut by_order = doc.clone();
    by_order.signer = crate::model::Signer {
        form: Some("TL.".into()),
        principal: Some("CHÁNH VĂN PHÒNG".into()),
        position: "TRƯỞNG PHÒNG HÀNH CHÍNH - TỔ CHỨC".into(),
        name: "Ngô Thị Lan".into(),
        ..Default::default()
    };
    let findings = run(&by_order, Some(&facts));
    assert!(findings.iter().any(|f| f.rule == "TQ-09"), "the delegation ended on 30/6: {findings:?}");
    by_order.date = NaiveDate::from_ymd_opt(2026, 5, 5);
    by_order.due_date = None;
    let findings = run(&by_order, Some(&facts));
    assert!(!findings.iter().any(|f| f.rule == "TQ-09" || f.rule == "TQ-12"), "{findings:?}");
    assert!(run(&by_order, None).iter().all(|f| f.rule != "TQ-09"), "without a database TQ-09 cannot apply");

    // The matrix lets the unit head sign only giấy mời in her own name.
    let mut own = by_order.clone();
    own.signer.form = None;
    own.signer.principal = None;
    let findings = run(&own, Some(&facts));
    assert!(findings.iter().any(|f| f.rule == "TQ-15" && f.field == "/signer/position"), "{findings:?}");
    let mut no_matrix = facts.clone();
    no_matrix.agencies[0].authority.clear();
    assert!(!run(&own, Some(&no_matrix)).iter().any(|f| f.rule == "TQ-15"), "no matrix, no finding");
}

#[test]
fn party_conventions_differ_from_state_ones() {
    let mut doc = base(PARTY_LETTER);
    doc.recipients[2] = "Lưu: VT, TH.".into();
    let f = run(&doc, None);
    assert!(f.iter().any(|f| f.rule == "TT-29" && f.fix.is_none()), "{f:?}");
    doc.recipients[2] = "Lưu: Văn phòng Tỉnh ủy.".into();
    let f = run(&doc, None);
    assert_eq!(f.iter().find(|f| f.rule == "TT-29").and_then(|f| f.fix.as_deref()), Some("Lưu Văn phòng Tỉnh ủy."));
    let mut doc = base(PARTY_LETTER);
    doc.body[3].text = Some("Gửi báo cáo trước ngày 20 tháng 9 năm 2026./.".into());
    let f = run(&doc, None);
    assert_eq!(
        f.iter().find(|f| f.rule == "ND-10").and_then(|f| f.fix.as_deref()),
        Some("Gửi báo cáo trước ngày 20 tháng 9 năm 2026.")
    );
    let mut doc = base(PARTY_LETTER);
    doc.signer.form = Some("KT.".into());
    assert_eq!(run(&doc, None).iter().find(|f| f.rule == "TQ-01").and_then(|f| f.fix.as_deref()), Some("K/T"));
    doc.signer.form = Some("TUQ.".into());
    assert!(run(&doc, None).iter().any(|f| f.rule == "TQ-01" && f.fix.is_none()));
}

#[test]
fn an_office_override_changes_the_result() {
    let doc = base(PARTY_LETTER);
    let calendar = WorkCalendar::default_vietnam();
    let ctx = CheckContext { today: today(), office: None, calendar: &calendar };
    let over = "[params]\nluu_prefix = \"Lưu: \"\n";
    let ruleset = Ruleset::with_override(crate::ruleset::PARTY_RULESET_TOML, over).unwrap();
    let findings = check(&doc, &ruleset, &ctx);
    assert_eq!(
        findings.iter().find(|f| f.rule == "TT-29").and_then(|f| f.fix.as_deref()),
        Some("Lưu: Văn phòng Tỉnh ủy.")
    );
    let off = Ruleset::with_override(crate::ruleset::PARTY_RULESET_TOML, "[[rule]]\nid = \"TT-29\"\nenabled = false\n")
        .unwrap();
    let mut bad = doc.clone();
    bad.recipients[2] = "Lưu: Văn phòng Tỉnh ủy.".into();
    assert!(check(&bad, &off, &ctx).is_empty());
}

#[test]
fn the_catalogue_matches_the_implementation() {
    let implemented = implemented_ids();
    let mut all: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for family in Family::ALL {
        for rule in &default_ruleset(family).rules {
            assert!(implemented.contains(&rule.id.as_str()), "{} has no implementation", rule.id);
            assert!(!rule.reference.trim().is_empty(), "{} has no reference", rule.id);
            all.insert(rule.id.as_str());
        }
    }
    for id in &implemented {
        assert!(all.contains(id), "{id} is in no ruleset");
    }
    assert!(all.len() >= 60, "{} rules", all.len());
    let tested: std::collections::BTreeSet<&str> = CASES
        .iter()
        .map(|c| c.0)
        .chain(["TQ-09", "TQ-12", "TQ-15", "TQ-16", "TQ-17"])
        // QT-04 is off in the State ruleset (NĐ 30 Điều 8.3: the drafter mark is
        // optional) and Party practice expects no mark: party_tests covers it with
        // `drafter_code_expected = true`.
        .chain(["QT-04"])
        .collect();
    assert_eq!(tested, all, "every rule has a failing case");
    for category in crate::ruleset::Category::ALL {
        assert!(default_ruleset(Family::State).rules.iter().any(|r| r.category == category));
    }
}

#[test]
fn urgency_silences_the_urgent_kind_rule() {
    let mut doc = base(STATE_LETTER);
    doc.kind = crate::model::KindCode::new("cong-dien").unwrap();
    doc.notation = Some("CĐ-VP".into());
    doc.urgency = Some(Urgency::HoaToc);
    assert!(!run(&doc, None).iter().any(|f| f.rule == "QT-06"));
}

/// Real-world variants found in review: each must check clean.
#[test]
fn correct_variants_stay_clean() {
    let variants: &[(&str, Mutation)] = &[
        ("the decree's own KT. BỘ TRƯỞNG / THỨ TRƯỞNG", |d| {
            d.issuer =
                crate::model::Issuer { parent: None, name: "BỘ NỘI VỤ".into(), abbreviation: "BNV".into() };
            d.notation = Some("BNV-VP".into());
            d.signer = crate::model::Signer {
                form: Some("KT.".into()),
                principal: Some("BỘ TRƯỞNG".into()),
                position: "THỨ TRƯỞNG".into(),
                name: "Trần Văn Tuấn".into(),
                ..Default::default()
            };
        }),
        ("old-style tone marks in a collective's name", |d| {
            d.issuer.parent = Some("UỶ BAN NHÂN DÂN TỈNH BÌNH PHƯỚC".into());
        }),
        ("Tiểu mục and letter headings", |d| {
            d.body.insert(
                0,
                Block {
                    kind: BlockKind::Section,
                    label: Some("Tiểu mục 1".into()),
                    title: Some("YÊU CẦU".into()),
                    text: None,
                    ..Block::default()
                },
            );
            d.body.insert(
                1,
                Block {
                    kind: BlockKind::Heading,
                    label: Some("A.".into()),
                    title: Some("MỤC TIÊU".into()),
                    text: None,
                    ..Block::default()
                },
            );
            d.body.insert(
                2,
                Block {
                    kind: BlockKind::Heading,
                    label: Some("I.".into()),
                    title: Some("NỘI DUNG".into()),
                    text: None,
                    ..Block::default()
                },
            );
        }),
        ("inline enumerators and a weekday in parentheses", |d| {
            d.body[0].text = Some(
                "Văn phòng đề nghị các phòng (trước thứ Sáu) đăng ký: a) tiêu đề hồ sơ; b) thời hạn bảo quản.".into(),
            );
        }),
        ("a Lưu line with the copies count the decree uses", |d| d.recipients[2] = "Lưu: VT, HCTC (2).".into()),
    ];
    for (name, mutate) in variants {
        let mut doc = base(STATE_LETTER);
        mutate(&mut doc);
        assert_eq!(run(&doc, None), vec![], "{name}");
    }
    // A head signing a decision of his own competence (authority line names the head).
    let mut doc = base(STATE_DECISION);
    doc.authority_line = Some("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC".into());
    doc.signer = crate::model::Signer {
        form: None,
        principal: None,
        position: "CHỦ TỊCH".into(),
        name: "Hoàng Minh Đức".into(),
        ..Default::default()
    };
    assert_eq!(run(&doc, None), vec![], "individual competence");
    doc.signer.form = Some("TM.".into());
    doc.signer.principal = Some("ỦY BAN NHÂN DÂN".into());
    assert!(run(&doc, None).iter().any(|f| f.rule == "TQ-02"), "TM. on an individual decision");
}

/// Inputs that once crashed or were "fixed" into garbage.
#[test]
fn hard_inputs_neither_panic_nor_mislead() {
    let calendar = WorkCalendar::default_vietnam();
    let ctx = CheckContext { today: today(), office: None, calendar: &calendar };
    let mut doc = base(STATE_DECISION);
    for position in ["PHÓ ", "Phó  ", "PHÓ", ""] {
        doc.signer.position = position.into();
        let _ = run(&doc, None);
    }
    for ending in ["này/.", "này./", "này. /.", "này../."] {
        let mut doc = base(STATE_DECISION);
        doc.body[5].text = Some(format!(
            "Quyết định có hiệu lực kể từ ngày ký; các cơ quan chịu trách nhiệm thi hành Quyết định {ending}"
        ));
        let fixed = apply_fixes(&doc, default_ruleset(doc.family), &ctx);
        assert_eq!(
            fixed.document.body[5].text.as_deref(),
            Some("Quyết định có hiệu lực kể từ ngày ký; các cơ quan chịu trách nhiệm thi hành Quyết định này./."),
            "{ending}"
        );
    }
    let mut doc = base(STATE_DECISION);
    doc.kind = crate::model::KindCode::new("huong-dan").unwrap();
    doc.notation = Some("HĐ-UBND".into());
    let f = run(&doc, None);
    assert!(f.iter().any(|f| f.rule == "TT-06" && f.fix.is_none()), "HĐ/HD is ambiguous: no fix: {f:?}");
    for name in ["GS.TS Nguyễn Văn An", "Ths. Nguyễn Văn An", "Tiến sĩ Nguyễn Văn An"] {
        let mut doc = base(STATE_LETTER);
        doc.signer.name = name.into();
        let f = run(&doc, None);
        assert_eq!(
            f.iter().find(|f| f.rule == "TT-24").and_then(|f| f.fix.as_deref()),
            Some("Nguyễn Văn An"),
            "{name}"
        );
    }
    let mut doc = base(STATE_LETTER);
    doc.issuer.name = "  ".into();
    assert!(run(&doc, None).iter().any(|f| f.rule == "TT-02"));
    let mut doc = base(STATE_LETTER);
    doc.recipients[2] = "Lưu: VT HCTC.".into();
    assert_eq!(
        run(&doc, None).iter().find(|f| f.rule == "TT-29").and_then(|f| f.fix.as_deref()),
        Some("Lưu: VT, HCTC.")
    );
}
