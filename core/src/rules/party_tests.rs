//! Party documents as Party offices write them (issue #17): the real corpus in
//! `tests/fixtures/party-real/` checks clean, each false finding seen on real
//! documents has a regression test, the strict forms are parameters an office can
//! switch on, and rulesets have versions by date.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::*;
use crate::exchange::parse_document;
use crate::ruleset::{PARTY_RULESET_TOML, STATE_RULESET_TOML, default_ruleset};

/// A provincial Party công văn written as the Tỉnh ủy office writes it: lower-case
/// "về việc …" trích yếu, Kính gửi and Nơi nhận lines ending with ",", "Như trên
/// (t/h);", no drafter mark, no number of copies, the body ending with ".".
const PARTY_LETTER: &str = r#"{
  "schema": "vanthu.document/1", "family": "party", "kind": "cong-van",
  "issuer": { "parent": null, "name": "TỈNH ỦY BÌNH PHƯỚC", "abbreviation": "TU" },
  "number": "1234", "notation": "CV/TU", "place": "Đồng Xoài", "date": "2025-06-10",
  "subject": "về việc tổ chức hội nghị sơ kết 6 tháng đầu năm 2025",
  "addressees": ["Các ban xây dựng Đảng Tỉnh ủy,", "Văn phòng Tỉnh ủy,", "các đảng ủy trực thuộc Tỉnh ủy."],
  "authority_line": null, "bases": [], "enacting_words": null,
  "body": [
    { "kind": "paragraph", "label": null, "title": null, "text": "Thực hiện Chương trình công tác năm 2025, Ban Thường vụ Tỉnh ủy đề nghị các cơ quan, đơn vị chuẩn bị báo cáo sơ kết gửi về Văn phòng Tỉnh ủy trước ngày 20/6/2025 (qua các ngành, …)." },
    { "kind": "heading", "label": "I.", "title": "YÊU CẦU", "text": null },
    { "kind": "paragraph", "label": null, "title": null, "text": "Báo cáo đúng thời gian, đủ nội dung." }
  ],
  "signer": { "form": "T/L", "principal": "BAN THƯỜNG VỤ", "position": "CHÁNH VĂN PHÒNG", "name": "Nguyễn Văn Hùng" },
  "recipients": ["Như trên (t/h);", "Thường trực Tỉnh ủy (b/c),", "Lưu Văn phòng Tỉnh ủy."],
  "urgency": null, "secrecy": null, "circulation": null, "drafter_code": null, "copies": null,
  "due_date": null, "appendices": [
    { "label": "PHỤ LỤC 1", "title": "Đề cương báo cáo", "body": [{ "kind": "paragraph", "label": null, "title": null, "text": "Nội dung." }] },
    { "label": "Phụ lục 2", "title": "Biểu số liệu", "body": [{ "kind": "paragraph", "label": null, "title": null, "text": "Số liệu." }] }
  ]
}"#;

/// A Ban Thường vụ quyết định: "- Căn cứ …;" with the last căn cứ ending ",", then
/// "BAN THƯỜNG VỤ TỈNH ỦY QUYẾT ĐỊNH" without a colon.
const PARTY_DECISION: &str = r#"{
  "schema": "vanthu.document/1", "family": "party", "kind": "quyet-dinh",
  "issuer": { "parent": null, "name": "TỈNH ỦY BÌNH PHƯỚC", "abbreviation": "TU" },
  "number": "45", "notation": "QĐ/TU", "place": "Đồng Xoài", "date": "2026-03-02",
  "subject": "về việc thành lập Tổ công tác chuyển đổi số của Tỉnh ủy",
  "addressees": [], "authority_line": "BAN THƯỜNG VỤ TỈNH ỦY",
  "bases": ["Căn cứ Điều lệ Đảng;", "Căn cứ Quy chế làm việc của Tỉnh ủy khóa XII, nhiệm kỳ 2025 - 2030;", "Xét đề nghị của Văn phòng Tỉnh ủy,"],
  "enacting_words": "BAN THƯỜNG VỤ TỈNH ỦY QUYẾT ĐỊNH",
  "body": [
    { "kind": "article", "label": "Điều 1.", "title": null, "text": "Thành lập Tổ công tác chuyển đổi số của Tỉnh ủy." },
    { "kind": "article", "label": "Điều 2.", "title": null, "text": "Quyết định có hiệu lực từ ngày ký. Văn phòng Tỉnh ủy và các đồng chí có tên tại Điều 1 thi hành Quyết định này." }
  ],
  "signer": { "form": "T/M", "principal": "BAN THƯỜNG VỤ", "position": "PHÓ BÍ THƯ THƯỜNG TRỰC", "name": "Trần Tuệ Hiền" },
  "recipients": ["Như Điều 2,", "Lưu Văn phòng Tỉnh ủy."],
  "urgency": null, "secrecy": null, "circulation": null, "drafter_code": null, "copies": null,
  "due_date": null, "appendices": []
}"#;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn run_with(doc: &Document, ruleset: &Ruleset) -> Vec<Finding> {
    let calendar = WorkCalendar::default_vietnam();
    let ctx = CheckContext { today: today(), office: None, calendar: &calendar };
    check(doc, ruleset, &ctx)
}

fn run(doc: &Document) -> Vec<Finding> {
    run_with(doc, default_ruleset(doc.family))
}

fn ids(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(|f| format!("{} {}", f.rule, f.field)).collect()
}

fn doc(text: &str) -> Document {
    parse_document(text).expect("test documents parse")
}

fn party(over: &str) -> Ruleset {
    Ruleset::with_override(PARTY_RULESET_TOML, over).expect("override is valid")
}

#[test]
fn party_documents_as_written_have_no_finding() {
    for text in [PARTY_LETTER, PARTY_DECISION] {
        let d = doc(text);
        assert_eq!(ids(&run(&d)), Vec::<String>::new(), "{}", d.kind);
    }
}

/// ND-03: the trích yếu under the tên loại starts in lower case ("về …") in Party
/// documents; capitalised is accepted too; either strict form is a parameter.
#[test]
fn nd03_lower_case_subject_is_party_practice() {
    let mut d = doc(PARTY_DECISION);
    assert!(run(&d).is_empty());
    d.subject = Some("Về việc thành lập Tổ công tác".into());
    assert!(run(&d).is_empty(), "a capitalised trích yếu is accepted too");
    let lower = party("[params]\nsubject_first_letter = \"lower\"\n");
    let found = run_with(&d, &lower);
    assert_eq!(ids(&found), ["ND-03 /subject"]);
    assert_eq!(found[0].fix.as_deref(), Some("về việc thành lập Tổ công tác"));
    d.subject = Some("về việc thành lập Tổ công tác".into());
    let upper = party("[params]\nsubject_first_letter = \"upper\"\n");
    assert_eq!(ids(&run_with(&d, &upper)), ["ND-03 /subject"]);
    // The state rule is unchanged.
    let mut state = d.clone();
    state.family = Family::State;
    assert!(run_with(&state, default_ruleset(Family::State)).iter().any(|f| f.rule == "ND-03"));
}

/// QT-04: real Party documents print no drafter mark.
#[test]
fn qt04_party_documents_need_no_drafter_mark() {
    let d = doc(PARTY_LETTER);
    assert!(d.number.is_some() && d.drafter_code.is_none());
    assert!(!run(&d).iter().any(|f| f.rule == "QT-04"));
    let strict = party("[params]\ndrafter_code_expected = true\n");
    assert_eq!(ids(&run_with(&d, &strict)), ["QT-04 /drafter_code"]);
}

/// TT-28 and TT-21: Nơi nhận and Kính gửi lines end with "," or ";".
#[test]
fn tt28_tt21_comma_lines_are_accepted() {
    let d = doc(PARTY_LETTER);
    assert!(run(&d).is_empty());
    let strict = party("[params]\nrecipient_line_marks = [\";\"]\naddressee_line_marks = [\";\"]\n");
    let found = run_with(&d, &strict);
    assert_eq!(ids(&found), ["TT-21 /addressees/0", "TT-21 /addressees/1", "TT-28 /recipients/1"]);
    assert_eq!(found[2].fix.as_deref(), Some("Thường trực Tỉnh ủy (b/c);"));
    // A line with no mark at all is still a finding.
    let mut bare = d.clone();
    bare.recipients[1] = "Thường trực Tỉnh ủy".into();
    assert_eq!(ids(&run(&bare)), ["TT-28 /recipients/1"]);
}

/// TT-40: "PHỤ LỤC 1", "Phụ lục 2": Arabic numerals in Party documents.
#[test]
fn tt40_arabic_appendix_numbers_are_accepted() {
    let mut d = doc(PARTY_LETTER);
    assert!(!run(&d).iter().any(|f| f.rule == "TT-40"));
    let arabic = party("[params]\nappendix_numerals = \"arabic\"\n");
    d.appendices[1].label = "Phụ lục II".into();
    let found = run_with(&d, &arabic);
    assert_eq!(ids(&found), ["TT-40 /appendices/1/label"]);
    assert_eq!(found[0].fix.as_deref(), Some("Phụ lục 2"));
    d.appendices[1].label = "Phụ lục B".into();
    assert_eq!(ids(&run(&d)), ["TT-40 /appendices/1/label"], "not a number at all");
}

/// TT-14: a Party công văn prints its trích yếu as typed ("về việc …"); the strict
/// form refuses "V/v"; the state printer still adds "V/v" itself.
#[test]
fn tt14_ve_viec_is_not_v_v() {
    let mut d = doc(PARTY_LETTER);
    assert!(!run(&d).iter().any(|f| f.rule == "TT-14"));
    assert_eq!(default_ruleset(Family::Party).values.get("cong_van_subject_prefix").and_then(|v| v.as_str()), Some(""));
    d.subject = Some("V/v tổ chức hội nghị".into());
    assert!(run(&d).is_empty(), "accepted as printed by default");
    let spelled = party("[params]\ncong_van_subject_style = \"spelled\"\n");
    let found = run_with(&d, &spelled);
    assert_eq!(ids(&found), ["TT-14 /subject"]);
    assert_eq!(found[0].fix.as_deref(), Some("về việc tổ chức hội nghị"));
}

/// TT-30: "Như trên (t/h);" is "Như trên" with a note.
#[test]
fn tt30_as_above_with_a_note() {
    let mut d = doc(PARTY_LETTER);
    assert!(!run(&d).iter().any(|f| f.rule == "TT-30"));
    d.recipients[0] = "Như trên (t/h;".into();
    assert_eq!(ids(&run(&d)), ["TT-30 /recipients/0", "ND-16 /recipients/0"], "an unclosed note is not a note");
    d.recipients[0] = "Ban Tổ chức Tỉnh ủy;".into();
    assert_eq!(ids(&run(&d)), ["TT-30 /recipients/0"]);
    let strict = party("[params]\nas_above_note_allowed = false\n");
    let d = doc(PARTY_LETTER);
    assert_eq!(ids(&run_with(&d, &strict)), ["TT-30 /recipients/0"]);
}

/// ND-08: an ellipsis in signed prose means "v.v."; blanks are still found.
#[test]
fn nd08_ellipsis_is_not_a_blank() {
    let mut d = doc(PARTY_LETTER);
    assert!(d.body[0].text.as_deref().unwrap().contains('…'));
    d.body[2].text = Some("Hạ tầng giao thông, thủy lợi, thương mại... đều được đầu tư.".into());
    assert!(!run(&d).iter().any(|f| f.rule == "ND-08"));
    for blank in [
        "Gửi trước ngày ..../..../2025.",
        "Hoàn thành trước ngày ... tháng 4 năm 2026.",
        "Hoàn thành trước ngày … tháng 4 năm 2026.",
        "Đồng chí xxx phụ trách.",
        "Ký tại ___.",
    ] {
        d.body[2].text = Some(blank.into());
        assert_eq!(ids(&run(&d)), ["ND-08 /body/2/text"], "{blank}");
    }
}

/// TT-18 and TT-19: "QUYẾT ĐỊNH" without colon, with the body's name before it,
/// and the last căn cứ ending ",".
#[test]
fn tt18_tt19_party_decision_forms() {
    let mut d = doc(PARTY_DECISION);
    for words in ["QUYẾT ĐỊNH", "QUYẾT ĐỊNH:", "BAN THƯỜNG VỤ TỈNH ỦY QUYẾT ĐỊNH", "BAN THƯỜNG VỤ QUYẾT ĐỊNH:"]
    {
        d.enacting_words = Some(words.into());
        assert!(run(&d).is_empty(), "{words}");
    }
    for words in ["QUYẾT NGHỊ:", "Ban Thường vụ quyết định", "QUYẾT ĐINH", "BAN THƯỜNG VỤ QUYẾT NGHỊ"]
    {
        d.enacting_words = Some(words.into());
        assert_eq!(ids(&run(&d)), ["TT-18 /enacting_words"], "{words}");
    }
    d.enacting_words = Some("QUYẾT ĐỊNH".into());
    d.bases[2] = "Xét đề nghị của Văn phòng Tỉnh ủy.".into();
    assert!(run(&d).is_empty(), "a full stop is accepted too");
    d.bases[2] = "Xét đề nghị của Văn phòng Tỉnh ủy".into();
    assert_eq!(ids(&run(&d)), ["TT-19 /bases/2"]);
    let strict = party("[params]\nbases_last_marks = [\".\"]\n");
    d.bases[2] = "Xét đề nghị của Văn phòng Tỉnh ủy,".into();
    let found = run_with(&d, &strict);
    assert_eq!(ids(&found), ["TT-19 /bases/2"]);
    assert_eq!(found[0].fix.as_deref(), Some("Xét đề nghị của Văn phòng Tỉnh ủy."));
}

/// The true findings stay: a skipped heading number, a weekend date as information
/// (issue #17: "a weekend date as information only").
#[test]
fn true_findings_are_kept() {
    let mut d = doc(PARTY_LETTER);
    d.body.push(crate::model::Block {
        kind: crate::model::BlockKind::Heading,
        label: Some("III.".into()),
        title: Some("TỔ CHỨC THỰC HIỆN".into()),
        text: None,
        ..Default::default()
    });
    d.body.push(crate::model::Block {
        kind: crate::model::BlockKind::Paragraph,
        label: None,
        title: None,
        text: Some("Văn phòng Tỉnh ủy theo dõi.".into()),
        ..Default::default()
    });
    assert_eq!(ids(&run(&d)), ["ND-07 /body/3/label"]);
    let mut sunday = doc(PARTY_LETTER);
    sunday.date = NaiveDate::from_ymd_opt(2025, 6, 8);
    let found = run(&sunday);
    assert_eq!(ids(&found), ["TG-03 /date"]);
    assert_eq!(found[0].severity, Severity::Info);
    assert!(!has_errors(&found));
}

/// Party quy định of the Politburo and Secretariat are numbered `QĐ` (399-QĐ/TW).
#[test]
fn quy_dinh_takes_both_abbreviations() {
    let mut d = doc(PARTY_DECISION);
    d.kind = crate::model::KindCode::new("quy-dinh").unwrap();
    d.authority_line = None;
    d.enacting_words = None;
    for notation in ["QĐ/TU", "QĐi/TU"] {
        d.notation = Some(notation.into());
        assert!(!run(&d).iter().any(|f| f.rule == "TT-06"), "{notation}");
    }
    d.notation = Some("QC/TU".into());
    assert!(run(&d).iter().any(|f| f.rule == "TT-06"));
}

/// Every document of the real corpus checks clean (zero errors, zero warnings),
/// except the findings its README names as true defects of the printed document.
#[test]
fn the_real_party_corpus_gives_no_false_finding() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/party-real");
    let expected: toml::Table = toml::from_str(&std::fs::read_to_string(dir.join("expected.toml")).unwrap()).unwrap();
    let allowed: Vec<String> = expected
        .get("finding")
        .and_then(|v| v.as_array())
        .map(|list| {
            list.iter()
                .map(|f| {
                    let s = |k: &str| f.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
                    format!("{} {} {}", s("file"), s("rule"), s("field"))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{} real documents", files.len());
    let mut kinds = std::collections::BTreeSet::new();
    let mut versions = std::collections::BTreeSet::new();
    let mut wrong = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_str().unwrap().to_owned();
        let d = parse_document(&std::fs::read_to_string(file).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(d.family, Family::Party, "{name}");
        kinds.insert(d.kind.as_str().to_owned());
        versions.insert(default_ruleset(Family::Party).in_force_on(d.date.unwrap()).version().id);
        for f in run(&d) {
            let key = format!("{name} {} {}", f.rule, f.field);
            if !allowed.contains(&key) {
                wrong.push(format!("{key}: {}", f.message));
            }
        }
    }
    assert!(wrong.is_empty(), "false findings on real Party documents:\n{}", wrong.join("\n"));
    assert!(kinds.len() >= 4, "{kinds:?}");
    assert_eq!(versions.len(), 2, "the corpus spans both Party versions: {versions:?}");
}

/// A document is checked by the version in force on its date; the 2026 version
/// (QĐ 399-QĐ/TW) adds a kind the 2018 one does not have.
#[test]
fn party_versions_by_date() {
    let party = default_ruleset(Family::Party);
    let on = |y, m, d| party.in_force_on(NaiveDate::from_ymd_opt(y, m, d).unwrap()).version().id;
    assert_eq!(on(2025, 6, 10), "party-qd66-hd36");
    assert_eq!(on(2026, 1, 8), "party-qd66-hd36");
    assert_eq!(on(2026, 1, 9), "party-qd399-2026");
    assert_eq!(on(2017, 1, 1), "party-qd66-hd36", "before the first version: the first");
    let v2026 = party.in_force_on(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
    assert!(v2026.version().texts.iter().any(|t| t.reference == "QĐ 399-QĐ/TW"));
    assert_eq!(v2026.rule("TT-01").unwrap().reference, "QĐ 399-QĐ/TW (09/01/2026); HD 36-HD/VPTW");

    let mut strategy = doc(PARTY_DECISION);
    strategy.kind = crate::model::KindCode::new("chien-luoc").unwrap();
    strategy.notation = Some("CL/TU".into());
    strategy.authority_line = None;
    strategy.enacting_words = None;
    strategy.bases.clear();
    strategy.date = NaiveDate::from_ymd_opt(2026, 3, 2);
    assert!(!run(&strategy).iter().any(|f| f.rule == "TT-01"), "2026: chiến lược is a Party kind");
    strategy.date = NaiveDate::from_ymd_opt(2025, 3, 3);
    assert_eq!(ids(&run(&strategy)), ["TT-01 /kind"], "2025: QĐ 66-QĐ/TW has no chiến lược");
    // A draft without a date is checked by the version in force on the check's day.
    strategy.date = None;
    strategy.number = None;
    strategy.notation = None;
    assert!(!run(&strategy).iter().any(|f| f.rule == "TT-01"));
}

/// An office override holds in every version, and the state ruleset can take a
/// later decree the same way.
#[test]
fn overrides_apply_to_every_version_and_state_can_take_a_later_decree() {
    let strict = party("[params]\nrecipient_line_marks = [\";\"]\n");
    for v in strict.all_versions() {
        assert_eq!(v.params.practice.recipient_line_marks, [";"], "{}", v.version().id);
    }
    let later = format!(
        "{STATE_RULESET_TOML}\n[[version]]\nid = \"state-nd30-2020\"\ntitle = \"NĐ 30/2020\"\neffective_from = 2020-03-05\n\
         [[version]]\nid = \"state-later\"\ntitle = \"Nghị định thay thế (thử)\"\neffective_from = 2026-07-01\n\
         [[version.text]]\nreference = \"NĐ X\"\ntitle = \"Thử\"\ndate = \"2026-06-15\"\neffective_from = \"2026-07-01\"\nconfidence = \"UNCERTAIN\"\n\
         [version.patch.params]\nbody_end_mark = \".\"\neffective_from = 2026-07-01\n"
    );
    let state = Ruleset::from_toml(&later).unwrap();
    let text = r#"{ "schema": "vanthu.document/1", "family": "state", "kind": "cong-van",
      "issuer": { "parent": "ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC", "name": "VĂN PHÒNG", "abbreviation": "VP" },
      "number": "125", "notation": "VP-HCTC", "place": "Đồng Xoài", "date": "2026-11-20",
      "subject": "Đăng ký danh mục hồ sơ năm 2027", "addressees": ["Các phòng thuộc Văn phòng"],
      "body": [{ "kind": "paragraph", "text": "Đề nghị các phòng đăng ký danh mục hồ sơ./." }],
      "signer": { "form": null, "principal": null, "position": "CHÁNH VĂN PHÒNG", "name": "Phạm Văn Thắng" },
      "recipients": ["Như trên;", "Lưu: VT, HCTC."], "drafter_code": "HCTC", "copies": 4 }"#;
    let mut d = doc(text);
    d.date = NaiveDate::from_ymd_opt(2026, 6, 1);
    assert_eq!(ids(&run_with(&d, &state)), Vec::<String>::new());
    d.date = NaiveDate::from_ymd_opt(2026, 8, 3);
    assert_eq!(ids(&run_with(&d, &state)), ["ND-10 /body/0/text"], "the later decree's end mark");
    assert_eq!(state.in_force_on(d.date.unwrap()).version().texts[0].confidence, crate::ruleset::Confidence::Uncertain);
}

#[test]
fn bad_versions_are_refused_with_a_message() {
    let two = |first: &str, second: &str| {
        format!(
            "{STATE_RULESET_TOML}\n[[version]]\nid = \"a\"\ntitle = \"A\"\neffective_from = {first}\n\
             [[version]]\nid = \"b\"\ntitle = \"B\"\neffective_from = {second}\n"
        )
    };
    let err = Ruleset::from_toml(&two("2020-03-05", "2019-01-01")).unwrap_err().to_string();
    assert!(err.contains("tăng dần"), "{err}");
    assert!(Ruleset::from_toml(&two("2020-03-05", "2020-03-05")).is_err());
    let patched_first = format!(
        "{STATE_RULESET_TOML}\n[[version]]\nid = \"a\"\ntitle = \"A\"\neffective_from = 2020-03-05\n[version.patch.params]\nbody_end_mark = \".\"\n"
    );
    assert!(Ruleset::from_toml(&patched_first).unwrap_err().to_string().contains("patch"));
    let bad_text = format!(
        "{STATE_RULESET_TOML}\n[[version]]\nid = \"a\"\ntitle = \"A\"\neffective_from = 2020-03-05\n\
         [[version.text]]\nreference = \"X\"\ntitle = \"X\"\ndate = \"5/3/2020\"\neffective_from = \"2020-03-05\"\n"
    );
    assert!(Ruleset::from_toml(&bad_text).is_err());
    assert!(Ruleset::with_override(PARTY_RULESET_TOML, "[params]\nappendix_numerals = \"greek\"\n").is_err());
    assert!(Ruleset::with_override(PARTY_RULESET_TOML, "[params]\nrecipient_line_marks = []\n").is_err());
}
