//! The forms provincial Party documents print (issue #17, task G): each variant a
//! Tỉnh ủy, its Ban Thường vụ, its advisory bodies, a Đảng ủy xã or a chi bộ writes
//! checks without an error or a warning, the forms the checker cannot tell from a
//! defect are information only, and the true defects stay findings.

use chrono::NaiveDate;

use super::*;
use crate::exchange::parse_document;
use crate::model::{Block, BlockKind, DeputyLine, Issuer, Signer};
use crate::ruleset::{PARTY_RULESET_TOML, default_ruleset};

/// A Tỉnh ủy công văn as its office writes it (2025, before QĐ 399-QĐ/TW).
const LETTER: &str = r#"{
  "schema": "vanthu.document/1", "family": "party", "kind": "cong-van",
  "issuer": { "parent": null, "name": "TỈNH ỦY LÂM ĐỒNG", "abbreviation": "TU" },
  "number": "125", "notation": "CV/TU", "place": "Lâm Đồng", "date": "2025-09-16",
  "subject": "về việc triển khai nhiệm vụ",
  "addressees": ["Các đảng ủy trực thuộc Tỉnh ủy,", "các ban xây dựng Đảng Tỉnh ủy."],
  "body": [
    { "kind": "paragraph", "text": "Thường trực Tỉnh ủy có ý kiến như sau:" },
    { "kind": "paragraph", "text": "Đề nghị các cơ quan, đơn vị triển khai thực hiện." }
  ],
  "signer": { "form": "T/L", "principal": "BAN THƯỜNG VỤ", "position": "CHÁNH VĂN PHÒNG", "name": "Nguyễn Văn An" },
  "recipients": ["Như trên,", "Thường trực Tỉnh ủy (b/c),", "Lưu Văn phòng Tỉnh ủy."]
}"#;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn run_with(doc: &Document, ruleset: &Ruleset) -> Vec<Finding> {
    let calendar = WorkCalendar::default_vietnam();
    check(doc, ruleset, &CheckContext { today: today(), office: None, calendar: &calendar })
}

fn run(doc: &Document) -> Vec<Finding> {
    run_with(doc, default_ruleset(Family::Party))
}

/// Errors and warnings only (information is no finding against the document).
fn faults(doc: &Document) -> Vec<String> {
    run(doc).into_iter().filter(|f| f.severity != Severity::Info).map(|f| format!("{} {}", f.rule, f.field)).collect()
}

fn ids(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(|f| format!("{} {}", f.rule, f.field)).collect()
}

fn letter() -> Document {
    parse_document(LETTER).unwrap()
}

fn signer(form: Option<&str>, principal: Option<&str>, position: &str) -> Signer {
    Signer {
        form: form.map(str::to_owned),
        principal: principal.map(str::to_owned),
        position: position.into(),
        name: "Trần Văn Bình".into(),
        ..Signer::default()
    }
}

fn block(kind: BlockKind, label: &str, text: &str) -> Block {
    Block {
        kind,
        label: (!label.is_empty()).then(|| label.to_owned()),
        text: (!text.is_empty()).then(|| text.to_owned()),
        ..Block::default()
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn the_base_letter_is_clean() {
    assert_eq!(ids(&run(&letter())), Vec::<String>::new());
}

/// Kính gửi, Nơi nhận and trích yếu as provincial offices print them.
#[test]
fn kinh_gui_noi_nhan_and_subject_variants_are_accepted() {
    let addressees: &[&[&str]] = &[
        &["Ban Thường vụ các đảng ủy trực thuộc Tỉnh ủy"],
        &["Ban Thường vụ các đảng ủy trực thuộc Tỉnh ủy."],
        &["Các đảng ủy trực thuộc Tỉnh ủy;", "các ban xây dựng Đảng Tỉnh ủy."],
        &["Các đảng ủy trực thuộc Tỉnh ủy,", "các ban xây dựng Đảng Tỉnh ủy,", "Văn phòng Tỉnh ủy."],
    ];
    for list in addressees {
        let mut d = letter();
        d.addressees = strings(list);
        assert_eq!(faults(&d), Vec::<String>::new(), "{list:?}");
    }
    let recipients: &[&[&str]] = &[
        &["Như trên;", "Thường trực Tỉnh ủy (b/c);", "Lưu Văn phòng Tỉnh ủy."],
        &["Như trên (t/h);", "Thường trực Tỉnh ủy (để b/c);", "Lưu Văn phòng Tỉnh ủy."],
        &["Như trên,", "Lưu VPTU."],
        &["Như trên,", "Lưu Văn phòng Tỉnh ủy, Phương."],
        &[
            "Như trên,",
            "Thường trực Tỉnh ủy (b/c),",
            "Các đồng chí:",
            "+ Nguyễn Văn A,",
            "+ Trần Văn B,",
            "Lưu Văn phòng Tỉnh ủy.",
        ],
    ];
    for list in recipients {
        let mut d = letter();
        d.recipients = strings(list);
        assert_eq!(ids(&run(&d)), Vec::<String>::new(), "{list:?}");
    }
    for subject in [
        "về việc triển khai nhiệm vụ",
        "Về việc triển khai nhiệm vụ",
        "V/v triển khai nhiệm vụ",
        "về triển khai nhiệm vụ",
    ] {
        let mut d = letter();
        d.subject = Some(subject.into());
        assert_eq!(ids(&run(&d)), Vec::<String>::new(), "{subject}");
    }
}

/// Signature blocks of committees, their standing committees, offices, boards and
/// inspection committees.
#[test]
fn signature_forms_of_party_bodies_are_accepted() {
    let cases = [
        signer(Some("T/M"), Some("TỈNH ỦY"), "BÍ THƯ"),
        signer(Some("T/M"), Some("BAN THƯỜNG VỤ"), "PHÓ BÍ THƯ"),
        signer(Some("T/M"), Some("BAN THƯỜNG VỤ"), "PHÓ BÍ THƯ THƯỜNG TRỰC"),
        signer(Some("T/M"), Some("BAN CHẤP HÀNH"), "BÍ THƯ"),
        signer(Some("T/L"), Some("BAN THƯỜNG VỤ"), "CHÁNH VĂN PHÒNG"),
        Signer {
            deputy: Some(DeputyLine { form: "K/T".into(), principal: "CHÁNH VĂN PHÒNG".into() }),
            ..signer(Some("T/L"), Some("BAN THƯỜNG VỤ"), "PHÓ CHÁNH VĂN PHÒNG")
        },
    ];
    for s in cases {
        let mut d = letter();
        d.signer = s.clone();
        assert_eq!(ids(&run(&d)), Vec::<String>::new(), "{s:?}");
    }
    // Advisory bodies of the Tỉnh ủy work under their head: K/T TRƯỞNG BAN, the head
    // in their own name; the inspection committee is a collective.
    let bodies = [
        (
            "BAN TUYÊN GIÁO VÀ DÂN VẬN",
            "BTGDVTU",
            "huong-dan",
            signer(Some("K/T"), Some("TRƯỞNG BAN"), "PHÓ TRƯỞNG BAN"),
        ),
        ("BAN TỔ CHỨC", "BTCTU", "thong-bao", signer(None, None, "TRƯỞNG BAN")),
        ("VĂN PHÒNG", "VPTU", "cong-van", signer(Some("K/T"), Some("CHÁNH VĂN PHÒNG"), "PHÓ CHÁNH VĂN PHÒNG")),
        ("ỦY BAN KIỂM TRA", "UBKTTU", "thong-bao", signer(Some("T/M"), Some("ỦY BAN KIỂM TRA"), "CHỦ NHIỆM")),
    ];
    for (name, abbreviation, kind, s) in bodies {
        let mut d = letter();
        d.issuer =
            Issuer {
                parent: Some("TỈNH ỦY LÂM ĐỒNG".into()), name: name.into(), abbreviation: abbreviation.into()
            };
        d.kind = crate::model::KindCode::new(kind).unwrap();
        d.notation =
            Some(format!("{}/{abbreviation}", default_ruleset(Family::Party).kind(kind).unwrap().abbreviation));
        if kind != "cong-van" {
            d.addressees.clear();
            d.recipients = strings(&["Thường trực Tỉnh ủy (b/c),", "Lưu Văn phòng Tỉnh ủy."]);
        }
        d.signer = s;
        assert_eq!(ids(&run(&d)), Vec::<String>::new(), "{name}");
    }
    // A deputy secretary signing K/T for a committee is a true defect (HD 36, 1.7.1).
    let mut d = letter();
    d.signer = signer(Some("K/T"), Some("BÍ THƯ"), "PHÓ BÍ THƯ");
    assert_eq!(faults(&d), ["TQ-05 /signer/form"]);
}

/// Headers of two levels (ĐẢNG BỘ TỈNH / ĐẢNG ỦY XÃ, 2025 communes), headings
/// `I.` `I-` `1.` `1.1.` `a)` `-` `+`, parts typed as headings, appendices.
#[test]
fn commune_headers_headings_and_appendices() {
    let mut d = letter();
    d.kind = crate::model::KindCode::new("ke-hoach").unwrap();
    d.issuer = Issuer {
        parent: Some("ĐẢNG BỘ TỈNH LÂM ĐỒNG".into()),
        name: "ĐẢNG ỦY XÃ ĐẠ HUOAI".into(),
        abbreviation: "ĐU".into(),
    };
    d.notation = Some("KH/ĐU".into());
    d.addressees.clear();
    d.subject = Some("thực hiện Chỉ thị số 45-CT/TW của Bộ Chính trị".into());
    d.signer = signer(Some("T/M"), Some("BAN THƯỜNG VỤ"), "BÍ THƯ");
    d.recipients = strings(&["Ban Thường vụ Tỉnh ủy (b/c),", "Các chi bộ trực thuộc,", "Lưu Văn phòng Đảng ủy."]);
    d.body = vec![
        block(BlockKind::Heading, "I.", "MỤC ĐÍCH, YÊU CẦU"),
        block(BlockKind::Heading, "1.", "Mục đích"),
        block(BlockKind::Paragraph, "-", "Quán triệt sâu sắc."),
        block(BlockKind::Paragraph, "+", "Nội dung."),
        block(BlockKind::Heading, "2.", "Yêu cầu"),
        block(BlockKind::Heading, "II-", "NỘI DUNG"),
        block(BlockKind::Paragraph, "1.1.", "Nội dung một."),
        block(BlockKind::Point, "a)", "Điểm một."),
        block(BlockKind::Point, "b)", "Điểm hai."),
        block(BlockKind::Heading, "Phần thứ hai", "TỔ CHỨC THỰC HIỆN"),
        block(BlockKind::Heading, "I.", "PHÂN CÔNG"),
        block(BlockKind::Paragraph, "", "Văn phòng Đảng ủy theo dõi."),
    ];
    d.appendices = vec![
        crate::model::Appendix {
            label: "PHỤ LỤC 1".into(),
            title: Some("Danh mục".into()),
            body: vec![block(BlockKind::Paragraph, "", "A.")],
        },
        crate::model::Appendix {
            label: "Phụ lục 2".into(),
            title: Some("Biểu".into()),
            body: vec![block(BlockKind::Paragraph, "", "B.")],
        },
    ];
    assert_eq!(ids(&run(&d)), Vec::<String>::new());
    for labels in [["Phụ lục I", "Phụ lục II"], ["PHỤ LỤC I", "PHỤ LỤC II"]] {
        let mut roman = d.clone();
        roman.appendices[0].label = labels[0].into();
        roman.appendices[1].label = labels[1].into();
        assert_eq!(ids(&run(&roman)), Vec::<String>::new(), "{labels:?}");
    }
    // A skipped number is still found, inside a part as before it.
    let mut skipped = d.clone();
    skipped.body[10].label = Some("II.".into());
    assert_eq!(faults(&skipped), ["ND-07 /body/10/label"]);
    // Chi bộ of a commune: T/M CHI BỘ, Lưu Chi bộ.
    let mut cell = d.clone();
    cell.kind = crate::model::KindCode::new("nghi-quyet").unwrap();
    cell.issuer =
        Issuer {
            parent: Some("ĐẢNG BỘ XÃ ĐẠ HUOAI".into()), name: "CHI BỘ THÔN 1".into(), abbreviation: "CB".into()
        };
    cell.notation = Some("NQ/CB".into());
    cell.signer = signer(Some("T/M"), Some("CHI BỘ"), "BÍ THƯ");
    cell.recipients = strings(&["Đảng ủy xã (b/c),", "Lưu Chi bộ."]);
    assert_eq!(ids(&run(&cell)), Vec::<String>::new());
}

/// TT-29: `Lưu: VT, …` and `Lưu: Văn phòng …` in a Party document are information
/// with HD 36's form as the fix; an office may make them errors again.
#[test]
fn tt29_other_luu_forms_are_information() {
    for (line, fix) in
        [("Lưu: VT.", None), ("Lưu: Văn phòng Tỉnh ủy.", Some("Lưu Văn phòng Tỉnh ủy.")), ("Lưu VT, VPTU.", None)]
    {
        let mut d = letter();
        d.recipients[2] = line.into();
        let found = run(&d);
        assert_eq!(ids(&found), ["TT-29 /recipients/2"], "{line}");
        assert_eq!(found[0].severity, Severity::Info, "{line}");
        assert_eq!(found[0].fix.as_deref(), fix, "{line}");
        let strict = Ruleset::with_override(
            PARTY_RULESET_TOML,
            "[params]\nluu_other_forms_as_info = false\nluu_prefix_variants = []\n",
        )
        .unwrap();
        let found = run_with(&d, &strict);
        assert_eq!(found[0].severity, Severity::Error, "{line}");
    }
    // An office that prints its own form (`Lưu: `) makes HD 36's form an error.
    let own = Ruleset::with_override(PARTY_RULESET_TOML, "[params]\nluu_prefix = \"Lưu: \"\n").unwrap();
    let found = run_with(&letter(), &own);
    assert_eq!((ids(&found), found[0].severity), (vec!["TT-29 /recipients/2".to_owned()], Severity::Error));
    // Without its final full stop, or with no Lưu line at all, it stays an error.
    let mut d = letter();
    d.recipients[2] = "Lưu Văn phòng Tỉnh ủy".into();
    assert_eq!(faults(&d), ["TT-29 /recipients/2"]);
    d.recipients[2] = "Lưu: VT".into();
    assert_eq!(faults(&d), ["TT-29 /recipients/2"]);
    let mut d = letter();
    d.recipients.pop();
    assert_eq!(faults(&d), ["TT-29 /recipients/1"]);
}

/// TT-30: a báo cáo sent upward names its addressee in the Nơi nhận instead of
/// "Như trên"; a Nơi nhận that leaves the addressee out is still a warning.
#[test]
fn tt30_naming_the_addressee_instead_of_as_above() {
    let mut d = letter();
    d.kind = crate::model::KindCode::new("bao-cao").unwrap();
    d.notation = Some("BC/TU".into());
    d.addressees = strings(&["Ban Bí thư Trung ương Đảng"]);
    d.signer = signer(Some("T/M"), Some("BAN THƯỜNG VỤ"), "PHÓ BÍ THƯ");
    d.recipients = strings(&["Ban Bí thư (b/c),", "Văn phòng Trung ương Đảng,", "Lưu Văn phòng Tỉnh ủy."]);
    assert_eq!(ids(&run(&d)), Vec::<String>::new());
    d.recipients = strings(&["Văn phòng Trung ương Đảng,", "Lưu Văn phòng Tỉnh ủy."]);
    assert_eq!(faults(&d), ["TT-30 /recipients/0"]);
}

/// TQ-14: `T/M THƯỜNG TRỰC TỈNH ỦY` names the collective with its committee:
/// information; a wrong collective is still an error.
#[test]
fn tq14_collective_with_the_committee_name_is_information() {
    let mut d = letter();
    d.signer = signer(Some("T/M"), Some("BAN THƯỜNG VỤ TỈNH ỦY"), "BÍ THƯ");
    let found = run(&d);
    assert_eq!(ids(&found), ["TQ-14 /signer/principal"]);
    assert_eq!((found[0].severity, found[0].fix.as_deref()), (Severity::Info, Some("BAN THƯỜNG VỤ")));
    d.signer.principal = Some("THƯỜNG TRỰC TỈNH ỦY".into());
    assert_eq!(faults(&d), Vec::<String>::new());
    d.signer.principal = Some("VĂN PHÒNG".into());
    assert_eq!(faults(&d), ["TQ-14 /signer/principal"]);
}

/// TQ-18: no Huyện ủy after 01/7/2025 (two-level reform); before it, and for the
/// new communes' Đảng ủy, nothing.
#[test]
fn tq18_no_district_committee_after_the_reform() {
    let mut d = letter();
    d.issuer = Issuer {
        parent: Some("ĐẢNG BỘ TỈNH LÂM ĐỒNG".into()),
        name: "HUYỆN ỦY ĐẠ HUOAI".into(),
        abbreviation: "HU".into(),
    };
    d.notation = Some("CV/HU".into());
    d.recipients[2] = "Lưu Văn phòng Huyện ủy.".into();
    d.date = NaiveDate::from_ymd_opt(2025, 8, 4);
    let found = run(&d);
    assert_eq!(ids(&found), ["TQ-18 /issuer/name"]);
    assert_eq!(found[0].severity, Severity::Warning);
    d.date = NaiveDate::from_ymd_opt(2025, 6, 30);
    assert_eq!(ids(&run(&d)), Vec::<String>::new(), "the last day of the district level");
    // A board of a Huyện ủy after the reform: found on the parent line.
    let mut board = d.clone();
    board.issuer =
        Issuer {
            parent: Some("HUYỆN ỦY ĐẠ HUOAI".into()), name: "BAN TỔ CHỨC".into(), abbreviation: "BTCHU".into()
        };
    board.notation = Some("CV/BTCHU".into());
    board.signer = signer(None, None, "TRƯỞNG BAN");
    board.date = NaiveDate::from_ymd_opt(2026, 2, 2);
    assert!(ids(&run(&board)).contains(&"TQ-18 /issuer/parent".to_owned()));
    let mut commune = d.clone();
    commune.issuer.name = "ĐẢNG ỦY XÃ ĐẠ HUOAI".into();
    commune.issuer.abbreviation = "ĐU".into();
    commune.notation = Some("CV/ĐU".into());
    commune.recipients[2] = "Lưu Văn phòng Đảng ủy.".into();
    commune.date = NaiveDate::from_ymd_opt(2025, 8, 4);
    assert_eq!(ids(&run(&commune)), Vec::<String>::new());
    let off = Ruleset::with_override(PARTY_RULESET_TOML, "[params]\nabolished_issuer_prefixes = []\n").unwrap();
    d.date = NaiveDate::from_ymd_opt(2025, 8, 4);
    assert_eq!(ids(&run_with(&d, &off)), Vec::<String>::new());
    assert!(Ruleset::with_override(PARTY_RULESET_TOML, "[params]\nlevels_abolished_from = \"1/7/2025\"\n").is_err());
}

/// ND-10: `./.` ends a Party text as information (practice prints `.`); a final
/// ellipsis ends with full stops; a text without an end mark is still an error.
#[test]
fn nd10_end_marks_in_party_documents() {
    let mut d = letter();
    d.body[1].text = Some("Đề nghị các cơ quan, đơn vị triển khai thực hiện./.".into());
    let found = run(&d);
    assert_eq!(ids(&found), ["ND-10 /body/1/text"]);
    assert_eq!(found[0].severity, Severity::Info);
    assert_eq!(found[0].fix.as_deref(), Some("Đề nghị các cơ quan, đơn vị triển khai thực hiện."));
    d.body[1].text = Some("Đề nghị chuẩn bị báo cáo, tham luận, số liệu...".into());
    assert_eq!(ids(&run(&d)), Vec::<String>::new());
    d.body[1].text = Some("Đề nghị các cơ quan, đơn vị triển khai thực hiện".into());
    assert_eq!(faults(&d), ["ND-10 /body/1/text"]);
    let strict = Ruleset::with_override(PARTY_RULESET_TOML, "[params]\nend_marks_as_info = []\n").unwrap();
    d.body[1].text = Some("Đề nghị thực hiện./.".into());
    assert_eq!(run_with(&d, &strict)[0].severity, Severity::Error);
}

/// TT-15: a Party quyết định names its authority in the enacting line after the
/// căn cứ (`BAN THƯỜNG VỤ TỈNH ỦY QUYẾT ĐỊNH`) with no line above them; with neither
/// it is still an error.
#[test]
fn tt15_authority_named_in_the_enacting_line() {
    let mut d = letter();
    d.kind = crate::model::KindCode::new("quyet-dinh").unwrap();
    d.notation = Some("QĐ/TU".into());
    d.subject = Some("về việc chỉ định Ban Chấp hành Đảng bộ xã".into());
    d.addressees.clear();
    d.bases = strings(&["Căn cứ Điều lệ Đảng;", "Xét đề nghị của Ban Tổ chức Tỉnh ủy,"]);
    d.body = vec![
        block(BlockKind::Article, "Điều 1.", "Chỉ định các đồng chí có tên trong danh sách kèm theo."),
        block(
            BlockKind::Article,
            "Điều 2.",
            "Quyết định có hiệu lực từ ngày ký. Ban Tổ chức Tỉnh ủy và các đồng chí có tên tại Điều 1 thi hành Quyết định này.",
        ),
    ];
    d.signer = signer(Some("T/M"), Some("BAN THƯỜNG VỤ"), "PHÓ BÍ THƯ");
    d.recipients = strings(&["Như Điều 2,", "Lưu Văn phòng Tỉnh ủy."]);
    for words in ["BAN THƯỜNG VỤ TỈNH ỦY QUYẾT ĐỊNH", "BAN THƯỜNG VỤ TỈNH ỦY QUYẾT ĐỊNH:"] {
        d.enacting_words = Some(words.into());
        d.authority_line = None;
        assert_eq!(ids(&run(&d)), Vec::<String>::new(), "{words}");
    }
    d.enacting_words = Some("QUYẾT ĐỊNH:".into());
    assert_eq!(faults(&d), ["TT-15 /authority_line"]);
    d.authority_line = Some("BAN THƯỜNG VỤ TỈNH ỦY".into());
    assert_eq!(ids(&run(&d)), Vec::<String>::new());
}
