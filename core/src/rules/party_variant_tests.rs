//! Variants of provincial Party documents the real corpus does not show yet (task P,
//! issue #17): each form below is printed by real Party offices (the Lào Cai
//! documents in `tests/fixtures/party-real/`, issue #17's comparison, HD 36) and
//! checks without an error or a warning; the true defects next to them stay found.

use chrono::NaiveDate;

use super::*;
use crate::exchange::parse_document;
use crate::model::{Block, BlockKind, DeputyLine, Issuer, KindCode, Signer};
use crate::ruleset::default_ruleset;

/// The Đảng ủy công văn 2449-CV/ĐU of 07/9/2026 in `tests/fixtures/party-real/`.
fn real_letter() -> Document {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/party-real/du-ubnd-lao-cai-cong-van-2449-2026.json");
    parse_document(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn run(doc: &Document) -> Vec<Finding> {
    let calendar = WorkCalendar::default_vietnam();
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    check(doc, default_ruleset(Family::Party), &CheckContext { today, office: None, calendar: &calendar })
}

fn ids(doc: &Document) -> Vec<String> {
    run(doc).iter().map(|f| format!("{} {} {:?}", f.rule, f.field, f.severity)).collect()
}

fn faults(doc: &Document) -> Vec<String> {
    run(doc).iter().filter(|f| f.severity != Severity::Info).map(|f| format!("{} {}", f.rule, f.field)).collect()
}

fn signer(form: Option<&str>, principal: Option<&str>, position: &str) -> Signer {
    Signer {
        form: form.map(str::to_owned),
        principal: principal.map(str::to_owned),
        position: position.into(),
        name: "Nguyễn Hữu Hải".into(),
        ..Signer::default()
    }
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn paragraph(text: &str) -> Block {
    Block { kind: BlockKind::Paragraph, text: Some(text.into()), ..Block::default() }
}

#[test]
fn the_real_letter_is_clean() {
    assert_eq!(ids(&real_letter()), Vec::<String>::new());
}

/// Names typed with the old tone placement (`TỈNH UỶ LÀO CAI`, as 104-CTr/TU prints
/// its header) are the same bodies as `TỈNH ỦY`.
#[test]
fn old_tone_placement_in_names() {
    let mut d = real_letter();
    d.issuer = Issuer {
        parent: Some("ĐẢNG BỘ TỈNH LÀO CAI".into()),
        name: "ĐẢNG UỶ XÃ BẢO YÊN".into(),
        abbreviation: "ĐU".into(),
    };
    d.signer = signer(Some("T/M"), Some("ĐẢNG UỶ"), "BÍ THƯ");
    d.recipients[5] = "Lưu Văn phòng Đảng uỷ.".into();
    assert_eq!(ids(&d), Vec::<String>::new());
    let mut t = real_letter();
    t.issuer = Issuer { parent: None, name: "TỈNH UỶ LÀO CAI".into(), abbreviation: "TU".into() };
    t.notation = Some("CV/TU".into());
    t.signer = signer(Some("T/M"), Some("TỈNH UỶ"), "PHÓ BÍ THƯ THƯỜNG TRỰC");
    t.recipients[5] = "Lưu Văn phòng Tỉnh uỷ.".into();
    assert_eq!(ids(&t), Vec::<String>::new());
    // A deputy secretary signing K/T for the committee is still a defect.
    t.signer = signer(Some("K/T"), Some("BÍ THƯ"), "PHÓ BÍ THƯ");
    assert_eq!(faults(&t), ["TQ-05 /signer/form"]);
}

/// Signature blocks seen on provincial documents: the Ban Thường vụ by order with a
/// deputy head of the office signing (Báo cáo 229-BC/TU of the Tỉnh ủy Lào Cai,
/// 27/7/2026: "T/L Ban Thường vụ, Phó Chánh Văn phòng"), the central committee's
/// collective, the office in its own name, a deputy head of a board.
#[test]
fn provincial_signature_blocks() {
    let cases: Vec<(Issuer, &str, Signer)> = vec![
        (
            Issuer { parent: None, name: "TỈNH ỦY LÀO CAI".into(), abbreviation: "TU".into() },
            "bao-cao",
            signer(Some("T/L"), Some("BAN THƯỜNG VỤ"), "PHÓ CHÁNH VĂN PHÒNG"),
        ),
        (
            Issuer { parent: None, name: "TỈNH ỦY LÀO CAI".into(), abbreviation: "TU".into() },
            "thong-bao",
            signer(Some("T/L"), Some("THƯỜNG TRỰC"), "CHÁNH VĂN PHÒNG"),
        ),
        (
            Issuer {
                parent: Some("TỈNH ỦY LÀO CAI".into()), name: "VĂN PHÒNG".into(), abbreviation: "VPTU".into()
            },
            "thong-bao",
            signer(None, None, "CHÁNH VĂN PHÒNG"),
        ),
        (
            Issuer {
                parent: Some("TỈNH ỦY LÀO CAI".into()), name: "BAN TỔ CHỨC".into(), abbreviation: "BTCTU".into()
            },
            "huong-dan",
            Signer {
                deputy: None, ..signer(Some("K/T"), Some("TRƯỞNG BAN"), "PHÓ TRƯỞNG BAN THƯỜNG TRỰC")
            },
        ),
        (
            Issuer { parent: None, name: "BAN CHẤP HÀNH TRUNG ƯƠNG".into(), abbreviation: "TW".into() },
            "ket-luan",
            signer(Some("T/M"), Some("BAN CHẤP HÀNH TRUNG ƯƠNG"), "TỔNG BÍ THƯ"),
        ),
        (
            Issuer {
                parent: Some("ĐẢNG BỘ THÀNH PHỐ HỒ CHÍ MINH".into()),
                name: "ĐẢNG ỦY PHƯỜNG BÌNH TIÊN".into(),
                abbreviation: "ĐU".into(),
            },
            "bao-cao",
            signer(Some("T/L"), Some("BAN THƯỜNG VỤ"), "CHÁNH VĂN PHÒNG"),
        ),
        (
            Issuer {
                parent: Some("ĐẢNG BỘ TỈNH LÀO CAI".into()),
                name: "ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH".into(),
                abbreviation: "ĐU".into(),
            },
            "ke-hoach",
            signer(Some("T/M"), Some("BAN THƯỜNG VỤ"), "PHÓ BÍ THƯ"),
        ),
    ];
    for (issuer, kind, s) in cases {
        let mut d = real_letter();
        let abbreviation = default_ruleset(Family::Party).kind(kind).unwrap().abbreviation.clone();
        d.notation = Some(format!("{abbreviation}/{}", issuer.abbreviation));
        d.kind = KindCode::new(kind).unwrap();
        d.addressees.clear();
        d.recipients = strings(&[
            "Thường trực Tỉnh ủy (để b/c);",
            "Các cơ quan tham mưu, giúp việc Tỉnh ủy;",
            "Lưu Văn phòng Tỉnh ủy.",
        ]);
        d.issuer = issuer;
        d.signer = s.clone();
        assert_eq!(faults(&d), Vec::<String>::new(), "{kind} {s:?}");
    }
    // T/L with a deputy head of the office and the K/T line under it.
    let mut d = real_letter();
    d.signer = Signer {
        deputy: Some(DeputyLine { form: "K/T".into(), principal: "CHÁNH VĂN PHÒNG".into() }),
        ..signer(Some("T/L"), Some("BAN THƯỜNG VỤ"), "PHÓ CHÁNH VĂN PHÒNG")
    };
    assert_eq!(faults(&d), Vec::<String>::new());
}

/// Body lines as printed in 104-CTr/TU and 2449-CV/ĐU: a parenthesised pointer to an
/// appendix without a full stop, a numbered item ending with a colon, items typed
/// as headings with their text, `(1)` items, `+` sub-items.
#[test]
fn body_lines_as_printed() {
    let mut d = real_letter();
    d.body = vec![
        paragraph("Thực hiện Chương trình hành động số 104-CTr/TU ngày 30/8/2026 của Tỉnh ủy, đề nghị như sau:"),
        Block {
            kind: BlockKind::Heading,
            label: Some("I.".into()),
            title: Some("MỤC TIÊU".into()),
            ..Block::default()
        },
        Block {
            kind: BlockKind::Heading,
            label: Some("1.".into()),
            text: Some("Mục tiêu tổng quát: Nâng cao năng lực.".into()),
            ..Block::default()
        },
        Block {
            kind: BlockKind::Heading,
            label: Some("2.1.".into()),
            text: Some("Về ngân sách: Bố trí tối thiểu 2%.".into()),
            ..Block::default()
        },
        paragraph("(1) Tập trung phát triển 06 khu công nghiệp."),
        paragraph("(2) Thành lập mới khoảng trên 500ha, trong đó:"),
        paragraph("+ Thành lập mới ít nhất 02 Khu công nghiệp (Bản Qua, Võ Lao)."),
        paragraph("(Có biểu phụ lục số 01 chi tiết kèm theo)"),
        Block {
            kind: BlockKind::Heading,
            label: Some("II.".into()),
            title: Some("TỔ CHỨC THỰC HIỆN".into()),
            ..Block::default()
        },
        Block {
            kind: BlockKind::Heading,
            label: Some("1.".into()),
            title: Some("Ủy ban nhân dân tỉnh, chỉ đạo các cơ quan:".into()),
            ..Block::default()
        },
        paragraph("- Nghiên cứu, cụ thể hóa."),
        paragraph("Đề nghị các tổ chức đảng nghiêm túc triển khai thực hiện."),
    ];
    assert_eq!(ids(&d), Vec::<String>::new());
    // A pointer to the appendices after the last sentence is no end of the text.
    let mut pointer = d.clone();
    pointer.body.push(paragraph("(Có biểu phụ lục kèm theo)"));
    assert_eq!(faults(&pointer), Vec::<String>::new());
    // A skipped heading number is still found.
    let mut skipped = d.clone();
    skipped.body[8].label = Some("III.".into());
    assert_eq!(faults(&skipped), ["ND-07 /body/8/label"]);
    let message = run(&skipped).into_iter().find(|f| f.rule == "ND-07").unwrap().message;
    assert!(message.contains("cần mục số II,"), "the expected number in Roman numerals: {message}");
    // The last paragraph without its full stop is still found.
    let last = d.body.len() - 1;
    d.body[last].text = Some("Đề nghị các tổ chức đảng nghiêm túc triển khai thực hiện".into());
    assert_eq!(faults(&d), [format!("ND-10 /body/{last}/text")]);
}

/// Kinds and lines the corpus lacks: căn cứ typed with their printed dash, a thông
/// báo or a tờ trình with Kính gửi, a báo cáo naming the upper body in its Nơi nhận,
/// a giấy mời, a Lưu line `Lưu VPĐU.`, a trích yếu in capitals (central copies),
/// one appendix labelled `PHỤ LỤC`. A number below 10 without its zero is still a
/// defect (HD 36, 1.3; real Party documents print `Số 04-CT/TU`, `Số 06-KH/TU`).
#[test]
fn other_kinds_and_lines() {
    let mut d = real_letter();
    d.kind = KindCode::new("quyet-dinh").unwrap();
    d.notation = Some("QĐ/ĐU".into());
    d.addressees.clear();
    d.bases = strings(&[
        "- Căn cứ Điều lệ Đảng;",
        "- Căn cứ Quy chế làm việc của Đảng ủy;",
        "- Xét đề nghị của Văn phòng Đảng ủy,",
    ]);
    d.enacting_words = Some("BAN THƯỜNG VỤ ĐẢNG ỦY QUYẾT ĐỊNH:".into());
    d.body = vec![
        Block {
            kind: BlockKind::Article,
            label: Some("Điều 1.".into()),
            text: Some("Thành lập Tổ công tác.".into()),
            ..Block::default()
        },
        Block {
            kind: BlockKind::Article,
            label: Some("Điều 2.".into()),
            text: Some("Quyết định có hiệu lực từ ngày ký. Văn phòng Đảng ủy thi hành Quyết định này.".into()),
            ..Block::default()
        },
    ];
    d.recipients = strings(&["Như Điều 2,", "Lưu Văn phòng Đảng ủy."]);
    assert_eq!(ids(&d), Vec::<String>::new(), "căn cứ with their dash");
    d.bases[2] = "- Xét đề nghị của Văn phòng Đảng ủy".into();
    assert_eq!(faults(&d), ["TT-19 /bases/2"], "the last căn cứ still needs its mark");

    for (kind, addressees, recipients) in [
        (
            "thong-bao",
            &["Ủy ban nhân dân tỉnh,", "Các chi bộ, đảng bộ cơ sở."][..],
            &["Như trên,", "Lưu Văn phòng Đảng ủy."][..],
        ),
        ("to-trinh", &["Ban Thường vụ Tỉnh ủy"][..], &["Như trên,", "Lưu Văn phòng Đảng ủy."][..]),
        ("bao-cao", &[][..], &["Văn phòng Tỉnh ủy,", "Lưu Văn phòng Đảng ủy."][..]),
        ("giay-moi", &[][..], &["Như trên (t/h),", "Thường trực Tỉnh ủy (để báo cáo),", "Lưu VPĐU."][..]),
    ] {
        let mut d = real_letter();
        let abbreviation = default_ruleset(Family::Party).kind(kind).unwrap().abbreviation.clone();
        d.kind = KindCode::new(kind).unwrap();
        d.notation = Some(format!("{abbreviation}/ĐU"));
        d.addressees = strings(addressees);
        d.recipients = strings(recipients);
        assert_eq!(ids(&d), Vec::<String>::new(), "{kind}");
    }
    let mut d = real_letter();
    d.kind = KindCode::new("ke-hoach").unwrap();
    d.notation = Some("KH/ĐU".into());
    d.addressees.clear();
    d.subject = Some("THỰC HIỆN CHƯƠNG TRÌNH HÀNH ĐỘNG SỐ 104-CTr/TU".into());
    d.appendices = vec![crate::model::Appendix {
        label: "PHỤ LỤC".into(),
        title: Some("Danh mục nhiệm vụ".into()),
        body: vec![paragraph("Nội dung.")],
    }];
    assert_eq!(ids(&d), Vec::<String>::new());
    d.number = Some("5".into());
    assert_eq!(faults(&d), ["TT-05 /number"]);
}

/// Lưu lines as offices print them (the body keeping the copy, its abbreviation,
/// the number of copies kept, a file after it) are accepted; the state form with a
/// colon is information with HD 36's form as the fix.
#[test]
fn luu_lines_offices_print() {
    for line in [
        "Lưu Văn phòng Tỉnh ủy (02b).",
        "Lưu VPĐU, TH.",
        "Lưu Ban Tổ chức Tỉnh ủy.",
        "Lưu BTCTU.",
        "Lưu Văn phòng Đảng ủy, Hồ sơ.",
        "Lưu VPTU, HS.",
    ] {
        let mut d = real_letter();
        d.recipients[5] = line.into();
        assert_eq!(ids(&d), Vec::<String>::new(), "{line}");
    }
    let mut d = real_letter();
    d.recipients[5] = "Lưu: VPTU.".into();
    assert_eq!(ids(&d), ["TT-29 /recipients/5 Info"]);
    d.recipients[5] = "Lưu Văn phòng Đảng ủy".into();
    assert_eq!(faults(&d), ["TT-29 /recipients/5"], "the Lưu line still ends with a full stop");
}

/// Advisory bodies typed on one line with their committee (`VĂN PHÒNG TỈNH ỦY`,
/// `ỦY BAN KIỂM TRA TỈNH ỦY`) or under it, with or without the parent line: the
/// signature forms of each check clean.
#[test]
fn advisory_bodies_typed_on_one_line() {
    for (name, abbr, kind, s) in [
        (
            "VĂN PHÒNG TỈNH ỦY",
            "VPTU",
            "cong-van",
            Signer { deputy: None, ..signer(Some("K/T"), Some("CHÁNH VĂN PHÒNG"), "PHÓ CHÁNH VĂN PHÒNG") },
        ),
        (
            "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY",
            "BTGDVTU",
            "huong-dan",
            signer(Some("K/T"), Some("TRƯỞNG BAN"), "PHÓ TRƯỞNG BAN"),
        ),
        ("ỦY BAN KIỂM TRA TỈNH ỦY", "UBKTTU", "thong-bao", signer(Some("T/M"), Some("ỦY BAN KIỂM TRA"), "CHỦ NHIỆM")),
        ("VĂN PHÒNG ĐẢNG ỦY", "VPĐU", "cong-van", signer(None, None, "CHÁNH VĂN PHÒNG")),
        ("BAN XÂY DỰNG ĐẢNG", "BXDĐ", "bao-cao", signer(None, None, "TRƯỞNG BAN")),
    ] {
        let mut d = real_letter();
        let a = default_ruleset(Family::Party).kind(kind).unwrap().abbreviation.clone();
        d.kind = KindCode::new(kind).unwrap();
        d.notation = Some(format!("{a}/{abbr}"));
        d.issuer = Issuer {
            parent: Some("ĐẢNG BỘ TỈNH LÀO CAI".into()), name: name.into(), abbreviation: abbr.into()
        };
        if kind != "cong-van" {
            d.addressees.clear();
        }
        d.signer = s;
        assert_eq!(ids(&d), Vec::<String>::new(), "{name}");
        d.issuer.parent = None;
        assert_eq!(ids(&d), Vec::<String>::new(), "{name} without the parent line");
    }
}

/// Đề án and văn kiện name their parts in words (`Phần mở đầu`, `Phần thứ nhất`,
/// `Phần thứ hai`, as a Tỉnh ủy đề án prints them): no TT-39; a part numbered in
/// Arabic figures is still found.
#[test]
fn parts_named_in_words() {
    let part = |label: &str| Block { kind: BlockKind::Part, label: Some(label.into()), ..Block::default() };
    let mut d = real_letter();
    let mut body = vec![part("Phần mở đầu"), paragraph("Sự cần thiết xây dựng Đề án.")];
    for (label, text) in
        [("Phần thứ nhất", "Thực trạng."), ("Phần thứ hai", "Nhiệm vụ."), ("Phần thứ ba", "Tổ chức thực hiện.")]
    {
        body.push(part(label));
        body.push(paragraph(text));
    }
    d.body = body.into_iter().chain(d.body.clone()).collect();
    assert!(!run(&d).iter().any(|f| f.rule == "TT-39"), "{:?}", ids(&d));
    d.body[0] = part("Phần 1");
    assert!(run(&d).iter().any(|f| f.rule == "TT-39" && f.field == "/body/0/label"), "{:?}", ids(&d));
}

/// ND-16 names the block where a quote is out of balance: a quotation may span
/// blocks, a stray closing quote is found where it stands.
#[test]
fn an_unbalanced_quote_is_named_where_it_stands() {
    let mut d = real_letter();
    let n = d.body.len();
    d.body.push(paragraph("Thực hiện “Nghị quyết số 26-NQ/TU"));
    d.body.push(paragraph("về phát triển công nghiệp”, các đơn vị triển khai."));
    assert!(!run(&d).iter().any(|f| f.rule == "ND-16"), "a quotation over two blocks: {:?}", ids(&d));
    d.body[n] = paragraph("Tầm nhìn đến năm 2045”; các mục tiêu.");
    d.body[n + 1] = paragraph("Các đơn vị triển khai thực hiện.");
    let at: Vec<String> = run(&d).into_iter().filter(|f| f.rule == "ND-16").map(|f| f.field).collect();
    assert_eq!(at, [format!("/body/{n}/text")]);
}
