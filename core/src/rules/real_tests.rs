//! Regression tests for the false findings that real published State documents
//! showed (issue #19, item 2), each fixed from the law, and the guarantee that no
//! autofix creates a new finding anywhere in the fixture corpus.

use chrono::NaiveDate;

use super::*;
use crate::exchange::parse_document;
use crate::ruleset::default_ruleset;

/// Công văn 4586/VPCP-KTN of the Văn phòng Chính phủ (18/6/2015), as printed, with
/// its date moved into NĐ 30's time (a Thursday).
const VPCP_LETTER: &str = r#"{
  "schema": "vanthu.document/1", "family": "state", "kind": "cong-van",
  "issuer": { "parent": null, "name": "VĂN PHÒNG CHÍNH PHỦ", "abbreviation": "VPCP" },
  "number": "4586", "notation": "VPCP-KTN", "place": "Hà Nội", "date": "2026-06-18",
  "subject": "Tổ chức buổi gặp mặt cựu thanh niên xung phong ngành giao thông vận tải qua các thời kỳ",
  "addressees": ["Bộ Giao thông vận tải."],
  "authority_line": null, "bases": [], "enacting_words": null,
  "body": [
    { "kind": "paragraph", "label": null, "title": null, "text": "Xét đề nghị của Bộ Giao thông vận tải tại văn bản số 7036/BGTVT-VP ngày 03 tháng 6 năm 2026 về việc tổ chức buổi gặp mặt cựu thanh niên xung phong ngành giao thông vận tải qua các thời kỳ, Phó Thủ tướng có ý kiến như sau:" },
    { "kind": "paragraph", "label": null, "title": null, "text": "Đồng ý Bộ Giao thông vận tải tổ chức buổi gặp mặt như đề nghị tại văn bản nêu trên. Việc tổ chức buổi gặp mặt phải bảo đảm thiết thực, hiệu quả, tiết kiệm." },
    { "kind": "paragraph", "label": null, "title": null, "text": "Văn phòng Chính phủ thông báo để Bộ Giao thông vận tải biết, thực hiện./." }
  ],
  "signer": { "form": "KT.", "principal": "BỘ TRƯỞNG, CHỦ NHIỆM", "position": "PHÓ CHỦ NHIỆM", "name": "Nguyễn Sỹ Hiệp" },
  "recipients": ["Như trên;", "Thủ tướng, các Phó Thủ tướng Chính phủ;", "VPCP: BTCN, các PCN, Trợ lý TTg, các Vụ: TH, HC;", "Lưu: VT, KTN (3)."],
  "urgency": null, "secrecy": null, "circulation": null, "drafter_code": "KTN", "copies": 8,
  "due_date": null, "appendices": []
}"#;

/// A công văn of an Ủy ban nhân dân xã signed by its Chủ tịch in his own competence.
const COMMUNE_LETTER: &str = r#"{
  "schema": "vanthu.document/1", "family": "state", "kind": "cong-van",
  "issuer": { "parent": null, "name": "ỦY BAN NHÂN DÂN XÃ PHÚ HỘI", "abbreviation": "UBND" },
  "number": "412", "notation": "UBND-VP", "place": "Phú Hội", "date": "2026-05-06",
  "subject": "Tổng vệ sinh môi trường hưởng ứng Ngày Môi trường thế giới",
  "addressees": ["Các thôn trên địa bàn xã."],
  "authority_line": null, "bases": [], "enacting_words": null,
  "body": [
    { "kind": "paragraph", "label": null, "title": null, "text": "Ủy ban nhân dân xã đề nghị các thôn ra quân tổng vệ sinh đường làng, ngõ xóm, kênh mương, khu dân cư, chợ,... trước ngày 10 tháng 5 năm 2026." },
    { "kind": "paragraph", "label": null, "title": null, "text": "Trưởng các thôn báo cáo kết quả về Ủy ban nhân dân xã (qua Văn phòng)./." }
  ],
  "signer": { "form": null, "principal": null, "position": "CHỦ TỊCH", "name": "Trần Văn Hùng" },
  "recipients": ["Như trên;", "Thường trực Đảng ủy xã;", "Lưu: VT, VP."],
  "urgency": null, "secrecy": null, "circulation": null, "drafter_code": "TVH", "copies": 12,
  "due_date": "2026-05-10", "appendices": []
}"#;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn run(doc: &Document) -> Vec<Finding> {
    let calendar = WorkCalendar::default_vietnam();
    let ctx = CheckContext { today: today(), office: None, calendar: &calendar };
    check(doc, default_ruleset(doc.family), &ctx)
}

fn fix_all(doc: &Document) -> FixOutcome {
    let calendar = WorkCalendar::default_vietnam();
    let ctx = CheckContext { today: today(), office: None, calendar: &calendar };
    apply_fixes(doc, default_ruleset(doc.family), &ctx)
}

fn doc(text: &str) -> Document {
    parse_document(text).expect("test documents parse")
}

fn rules(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.rule.as_str()).collect()
}

fn defects(findings: &[Finding]) -> Vec<&Finding> {
    findings.iter().filter(|f| f.severity != Severity::Info).collect()
}

#[test]
fn the_real_documents_here_are_clean() {
    assert_eq!(defects(&run(&doc(VPCP_LETTER))), Vec::<&Finding>::new());
    // The deadline 10/5/2026 is a Sunday: information, not a defect.
    let findings = run(&doc(COMMUNE_LETTER));
    assert_eq!(defects(&findings), Vec::<&Finding>::new());
    assert_eq!(rules(&findings), ["TG-04"]);
}

#[test]
fn tq07_accepts_a_compound_head_title() {
    assert!(!rules(&run(&doc(VPCP_LETTER))).contains(&"TQ-07"));
    let mut wrong = doc(VPCP_LETTER);
    wrong.signer.principal = Some("BỘ TRƯỞNG".into());
    assert!(rules(&run(&wrong)).contains(&"TQ-07"), "a deputy of the Chủ nhiệm does not sign for a Bộ trưởng alone");
    let mut also = doc(VPCP_LETTER);
    also.signer.principal = Some("BỘ TRƯỞNG, TỔNG THANH TRA".into());
    assert!(rules(&run(&also)).contains(&"TQ-07"));
}

#[test]
fn rest_days_are_information_unless_counted_in_working_days() {
    // Issued on a Sunday (an emergency công điện): information, exit status 0.
    let mut sunday = doc(VPCP_LETTER);
    sunday.date = NaiveDate::from_ymd_opt(2026, 11, 22);
    let findings = run(&sunday);
    let tg03: Vec<&Finding> = findings.iter().filter(|f| f.rule == "TG-03").collect();
    assert_eq!(tg03.len(), 1);
    assert_eq!(tg03[0].severity, Severity::Info);
    assert!(tg03[0].message.contains("Chủ nhật"), "{}", tg03[0].message);
    assert!(!has_errors(&findings) && defects(&findings).is_empty());

    // A written date on a Sunday stands.
    let letter = doc(COMMUNE_LETTER);
    let tg04 = run(&letter).into_iter().find(|f| f.rule == "TG-04").expect("TG-04 informs");
    assert_eq!((tg04.severity, tg04.fix.as_deref()), (Severity::Info, None));

    // A deadline counted in working days moves to the next working day.
    let mut counted = doc(COMMUNE_LETTER);
    counted.body[1].text = Some("Trưởng các thôn báo cáo kết quả trong 03 ngày làm việc./.".into());
    let tg04 = run(&counted).into_iter().find(|f| f.rule == "TG-04").expect("TG-04 warns");
    assert_eq!(tg04.severity, Severity::Warning);
    assert_eq!(tg04.fix.as_deref(), Some("2026-05-11"));
    let fixed = fix_all(&counted);
    assert_eq!(fixed.document.due_date, NaiveDate::from_ymd_opt(2026, 5, 11));
    assert!(!rules(&fixed.remaining).contains(&"TG-04"));

    // A holiday names itself: 2 September.
    let mut holiday = doc(COMMUNE_LETTER);
    holiday.due_date = NaiveDate::from_ymd_opt(2026, 9, 2);
    let tg04 = run(&holiday).into_iter().find(|f| f.rule == "TG-04").expect("TG-04 informs");
    assert!(!tg04.message.contains("Chủ nhật"), "{}", tg04.message);
}

#[test]
fn tt32_keeps_mixed_case_abbreviations_and_its_fix_never_sets_off_qt05() {
    let mut unit = doc(VPCP_LETTER);
    unit.drafter_code = Some("CTrTT".into());
    unit.recipients[3] = "Lưu: VT, CTrTT.".into();
    assert_eq!(defects(&run(&unit)), Vec::<&Finding>::new());

    for (typed, luu, want) in [("ctrtt", "Lưu: VT, CTrTT.", "CTrTT"), ("hctc", "Lưu: VT, HCTC.", "HCTC")] {
        let mut lower = doc(VPCP_LETTER);
        lower.drafter_code = Some(typed.into());
        lower.recipients[3] = luu.into();
        let tt32 = run(&lower).into_iter().find(|f| f.rule == "TT-32").expect("TT-32 fires on lower case");
        assert_eq!(tt32.fix.as_deref(), Some(want));
        let fixed = fix_all(&lower);
        assert_eq!(fixed.document.drafter_code.as_deref(), Some(want));
        assert_eq!(defects(&fixed.remaining), Vec::<&Finding>::new(), "{typed}");
    }
}

#[test]
fn nd08_reads_an_ellipsis_in_prose_as_etc() {
    let letter = doc(COMMUNE_LETTER);
    assert!(!rules(&run(&letter)).contains(&"ND-08"), "`chợ,...` is `v.v.`");
    let mut prose = doc(COMMUNE_LETTER);
    prose.body[0].text =
        Some("Thu gom rác thải, phát quang bụi rậm, khơi thông cống rãnh… trước ngày 10 tháng 5 năm 2026.".into());
    assert!(!rules(&run(&prose)).contains(&"ND-08"));
    for blank in [
        "Báo cáo trước ngày … tháng … năm 2026.",
        "Báo cáo trước ngày ... tháng 5 năm 2026.",
        "Thực hiện theo Công văn số …/UBND-VP.",
        "Giao đồng chí .......... chủ trì.",
        "Giao đồng chí …… chủ trì.",
        "Kinh phí: [ ] đồng.",
        "Địa điểm: ___",
        "…",
    ] {
        let mut d = doc(COMMUNE_LETTER);
        d.body[0].text = Some(blank.into());
        assert!(rules(&run(&d)).contains(&"ND-08"), "`{blank}` is a blank");
    }
}

#[test]
fn tq03_lets_a_head_sign_their_own_competence_in_their_own_name() {
    // A Chủ tịch's công văn: his own competence.
    assert!(!rules(&run(&doc(COMMUNE_LETTER))).contains(&"TQ-03"));
    // A tờ trình of the Ủy ban is the collective's: TM.
    let mut submission = doc(COMMUNE_LETTER);
    submission.kind = crate::model::KindCode::new("to-trinh").unwrap();
    submission.notation = Some("TTr-UBND".into());
    let found = run(&submission);
    assert!(rules(&found).contains(&"TQ-03"), "{found:?}");
    // A deputy still needs KT. on a công văn.
    let mut deputy = doc(COMMUNE_LETTER);
    deputy.signer.position = "PHÓ CHỦ TỊCH".into();
    let found = run(&deputy);
    assert!(rules(&found).contains(&"TQ-06"), "{found:?}");
    // Which kinds need TM. is data: an office may ask it of every kind.
    let over = "[params]\nkinds_signed_for_the_collective = [\"cong-van\", \"to-trinh\"]\n";
    let strict = crate::ruleset::Ruleset::with_override(crate::ruleset::STATE_RULESET_TOML, over).unwrap();
    let calendar = WorkCalendar::default_vietnam();
    let ctx = CheckContext { today: today(), office: None, calendar: &calendar };
    assert!(rules(&check(&doc(COMMUNE_LETTER), &strict, &ctx)).contains(&"TQ-03"));
}

#[test]
fn nd10_fix_never_adds_a_second_end_mark_after_an_attachment_note() {
    let note = crate::model::Block {
        kind: crate::model::BlockKind::Paragraph,
        label: None,
        title: None,
        text: Some("(Kèm theo Danh sách các điểm tập kết rác thải)".into()),
        ..Default::default()
    };
    // The mark ends the text and the note follows it: right as printed.
    let mut noted = doc(COMMUNE_LETTER);
    noted.body.push(note.clone());
    assert!(!rules(&run(&noted)).contains(&"ND-10"));
    // The mark is missing: the fix goes to the text, not after the note.
    let mut missing = doc(COMMUNE_LETTER);
    missing.body[1].text = Some("Trưởng các thôn báo cáo kết quả về Ủy ban nhân dân xã (qua Văn phòng).".into());
    missing.body.push(note.clone());
    let nd10 = run(&missing).into_iter().find(|f| f.rule == "ND-10").expect("ND-10 fires");
    assert_eq!(nd10.field, "/body/1/text");
    let fixed = fix_all(&missing);
    let marks: usize =
        fixed.document.body.iter().filter_map(|b| b.text.as_deref()).map(|t| t.matches("./.").count()).sum();
    assert_eq!(marks, 1);
    assert!(!rules(&fixed.remaining).contains(&"ND-10"));
    // Text after the mark that is not a note: reported, never fixed by a second mark.
    let mut after = doc(COMMUNE_LETTER);
    after.body.push(crate::model::Block { text: Some("Đề nghị các thôn thực hiện nghiêm".into()), ..note });
    let nd10 = run(&after).into_iter().find(|f| f.rule == "ND-10").expect("ND-10 fires");
    assert_eq!(nd10.fix, None);
}

/// Every fixture document of the repository: the corpus (all folders) and the demo.
fn corpus_documents() -> Vec<(std::path::PathBuf, Document)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs = vec![root.join("tests/fixtures/corpus"), root.join("assets/demo/documents")];
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            parse_document(&text).ok().map(|d| (path, d))
        })
        .collect()
}

fn keys(findings: &[Finding]) -> std::collections::BTreeSet<(String, String)> {
    findings.iter().map(|f| (f.rule.clone(), f.field.clone())).collect()
}

#[test]
fn no_autofix_creates_a_new_finding_over_the_whole_corpus() {
    let documents = corpus_documents();
    assert!(documents.len() >= 100, "{} documents", documents.len());
    let mut fixes = 0;
    let mut problems = Vec::new();
    for (path, document) in &documents {
        let before = run(document);
        // Each fix on its own.
        for finding in before.iter().filter(|f| f.fix.is_some()) {
            let mut value: serde_json::Value =
                serde_json::from_str(&crate::exchange::document_to_json(document)).unwrap();
            assert!(fix::set_pointer(&mut value, &finding.field, finding.fix.as_deref().unwrap()));
            let Ok(fixed) = parse_document(&value.to_string()) else {
                problems.push(format!("{}: {} fix does not parse", path.display(), finding.rule));
                continue;
            };
            fixes += 1;
            let new: Vec<_> = keys(&run(&fixed)).difference(&keys(&before)).cloned().collect();
            if !new.is_empty() {
                problems.push(format!("{}: fixing {} {} creates {new:?}", path.display(), finding.rule, finding.field));
            }
        }
        // Every fix together.
        let outcome = fix_all(document);
        let new: Vec<_> = keys(&outcome.remaining).difference(&keys(&before)).cloned().collect();
        if !new.is_empty() {
            problems.push(format!("{}: fixing all creates {new:?}", path.display()));
        }
        if let Some(f) = outcome.remaining.iter().find(|f| f.fix.is_some()) {
            problems.push(format!("{}: a fix is left after fixing: {} {}", path.display(), f.rule, f.field));
        }
    }
    assert!(fixes >= 40, "only {fixes} fixes exercised");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A quyết định of an Ủy ban nhân dân signed in a two-level block, as offices print it
/// (QĐ 33/2009/QĐ-UBND of the UBND tỉnh Tiền Giang: `TM. ỦY BAN NHÂN DÂN TỈNH` /
/// `KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH`).
fn two_level_decision() -> Document {
    let mut d = doc(COMMUNE_LETTER);
    d.kind = crate::model::KindCode::new("quyet-dinh").unwrap();
    d.notation = Some("QĐ-UBND".into());
    d.subject = Some("Về việc ban hành Quy chế làm việc của Ủy ban nhân dân xã".into());
    d.addressees.clear();
    d.authority_line = Some("ỦY BAN NHÂN DÂN XÃ PHÚ HỘI".into());
    d.bases = vec![
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;".into(),
        "Theo đề nghị của Chánh Văn phòng.".into(),
    ];
    d.enacting_words = Some("QUYẾT ĐỊNH:".into());
    d.body = vec![
        crate::model::Block { kind: crate::model::BlockKind::Article, label: Some("Điều 1.".into()), title: None, text: Some("Ban hành kèm theo Quyết định này Quy chế làm việc của Ủy ban nhân dân xã.".into()), ..Default::default() },
        crate::model::Block { kind: crate::model::BlockKind::Article, label: Some("Điều 2.".into()), title: None, text: Some("Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng và các thành viên Ủy ban nhân dân xã chịu trách nhiệm thi hành Quyết định này./.".into()), ..Default::default() },
    ];
    d.recipients = vec!["Như Điều 2;".into(), "Lưu: VT, VP.".into()];
    d.due_date = None;
    d.signer.form = Some("TM.".into());
    d.signer.principal = Some("ỦY BAN NHÂN DÂN".into());
    d.signer.deputy = Some(crate::model::DeputyLine { form: "KT.".into(), principal: "CHỦ TỊCH".into() });
    d.signer.position = "PHÓ CHỦ TỊCH".into();
    d
}

#[test]
fn tq17_checks_two_level_blocks_under_tm() {
    let right = two_level_decision();
    assert_eq!(defects(&run(&right)), Vec::<&Finding>::new());
    // Without the second line, the collective's head signs: a deputy alone is wrong.
    let mut wrong_head = two_level_decision();
    wrong_head.signer.deputy.as_mut().unwrap().principal = "CHÁNH VĂN PHÒNG".into();
    let f = run(&wrong_head);
    assert!(f.iter().any(|f| f.rule == "TQ-17" && f.field == "/signer/deputy/principal"), "{f:?}");
    let mut not_deputy = two_level_decision();
    not_deputy.signer.position = "ỦY VIÊN".into();
    assert!(run(&not_deputy).iter().any(|f| f.rule == "TQ-17" && f.field == "/signer/position"));
    let mut deputy_title = two_level_decision();
    deputy_title.signer.deputy.as_mut().unwrap().principal = "PHÓ CHỦ TỊCH".into();
    assert!(run(&deputy_title).iter().any(|f| f.rule == "TQ-17" && f.field == "/signer/deputy/principal"));
    // `KT` without its dot is fixed; a second line under KT. is not a two-level block.
    let mut dotless = two_level_decision();
    dotless.signer.deputy.as_mut().unwrap().form = "KT".into();
    let fixed = fix_all(&dotless);
    assert_eq!(fixed.document.signer.deputy.as_ref().unwrap().form, "KT.");
    assert_eq!(defects(&fixed.remaining), Vec::<&Finding>::new());
    let mut under_kt = two_level_decision();
    under_kt.authority_line = Some("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ PHÚ HỘI".into());
    under_kt.signer.form = Some("KT.".into());
    under_kt.signer.principal = Some("CHỦ TỊCH".into());
    assert!(run(&under_kt).iter().any(|f| f.rule == "TQ-17" && f.field == "/signer/deputy"));
}

/// `TL. CHỦ TỊCH` / `KT. CHÁNH VĂN PHÒNG` / `PHÓ CHÁNH VĂN PHÒNG` (NĐ 30 Điều 13.4).
fn by_order_two_level() -> Document {
    let mut d = doc(COMMUNE_LETTER);
    d.signer.form = Some("TL.".into());
    d.signer.principal = Some("CHỦ TỊCH".into());
    d.signer.deputy = Some(crate::model::DeputyLine { form: "KT.".into(), principal: "CHÁNH VĂN PHÒNG".into() });
    d.signer.position = "PHÓ CHÁNH VĂN PHÒNG".into();
    d.signer.name = "Lê Thị Mai".into();
    d
}

#[test]
fn tq17_checks_two_level_blocks_under_tl_and_with_the_database() {
    let right = by_order_two_level();
    assert_eq!(defects(&run(&right)), Vec::<&Finding>::new());
    let mut again_head = by_order_two_level();
    again_head.signer.deputy.as_mut().unwrap().principal = "CHỦ TỊCH".into();
    assert!(run(&again_head).iter().any(|f| f.rule == "TQ-17" && f.field == "/signer/deputy/principal"));
    let mut other_unit = by_order_two_level();
    other_unit.signer.position = "PHÓ TRƯỞNG PHÒNG".into();
    assert!(run(&other_unit).iter().any(|f| f.rule == "TQ-17" && f.field == "/signer/position"));

    // With the database: the delegation is the Chánh Văn phòng's, his deputy signs.
    let delegation = crate::model::Delegation {
        id: 1,
        kind: crate::model::DelegationKind::ThuaLenh,
        agency_id: 1,
        from_position_id: 1,
        to_person_id: 2,
        scope: vec!["cong-van".into()],
        valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        valid_until: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        basis: "Quy chế làm việc".into(),
    };
    let facts = |delegate: &str| OfficeFacts {
        agencies: vec![AgencyFacts {
            family: Some(crate::model::Family::State),
            name: right.issuer.name.clone(),
            parent_name: None,
            collective: true,
            people: vec![
                ("Trần Văn Hùng".into(), "CHỦ TỊCH".into()),
                ("Ngô Văn Bình".into(), "CHÁNH VĂN PHÒNG".into()),
                ("Lê Thị Mai".into(), "PHÓ CHÁNH VĂN PHÒNG".into()),
            ],
            delegations: vec![(delegation.clone(), delegate.into())],
            authority: vec![("CHỦ TỊCH".into(), "*".into())],
        }],
    };
    let calendar = WorkCalendar::default_vietnam();
    let with = |office: &OfficeFacts, d: &Document| {
        let ctx = CheckContext { today: today(), office: Some(office), calendar: &calendar };
        check(d, default_ruleset(d.family), &ctx)
    };
    let on_record = facts("Ngô Văn Bình");
    assert_eq!(defects(&with(&on_record, &right)), Vec::<&Finding>::new());
    let elsewhere = facts("Trần Văn Hùng");
    assert!(rules(&with(&elsewhere, &right)).contains(&"TQ-09"), "no delegation to the Chánh Văn phòng");
}

#[test]
fn tables_and_notes_of_revision_2_are_no_empty_block_and_no_end() {
    let mut plan = doc(COMMUNE_LETTER);
    let rows =
        vec![vec!["Thôn".to_owned(), "Thời gian".to_owned()], vec!["Phú Lộc".to_owned(), "08/5/2026".to_owned()]];
    plan.body.insert(1, crate::model::Block::table(rows, 1));
    plan.body.push(crate::model::Block::text(
        crate::model::BlockKind::Note,
        "(Kèm theo Công văn số 412/UBND-VP ngày 06/5/2026)",
    ));
    let found = run(&plan);
    assert!(!rules(&found).contains(&"ND-12") && !rules(&found).contains(&"ND-10"), "{found:?}");
    // An empty table is an empty block.
    plan.body[1] = crate::model::Block::table(vec![vec![" ".to_owned()]], 1);
    assert!(rules(&run(&plan)).contains(&"ND-12"));
    // The end mark belongs to the text before the note: the fix goes there.
    let mut unmarked = doc(COMMUNE_LETTER);
    unmarked.body[1].text = Some("Trưởng các thôn báo cáo kết quả về Ủy ban nhân dân xã".into());
    unmarked
        .body
        .push(crate::model::Block::text(crate::model::BlockKind::Note, "Ghi chú: số liệu tính đến ngày 05/5/2026"));
    let nd10 = run(&unmarked).into_iter().find(|f| f.rule == "ND-10").expect("ND-10 fires");
    assert_eq!(nd10.field, "/body/1/text");
}

#[test]
fn recipient_sub_lines_of_revision_2_are_no_stray_dash() {
    let mut letter = doc(VPCP_LETTER);
    letter.recipients = vec![
        "Như trên;".into(),
        "Thủ tướng, các Phó Thủ tướng Chính phủ (để b/c);".into(),
        "Các Bộ:".into(),
        "+ Tài chính;".into(),
        "+ Kế hoạch và Đầu tư;".into(),
        "Lưu: VT, KTN (3).".into(),
    ];
    let found = run(&letter);
    assert!(!rules(&found).contains(&"TT-31") && !rules(&found).contains(&"TT-28"), "{found:?}");
    // A dash typed at the start of a line is still reported.
    letter.recipients[1] = "- Thủ tướng, các Phó Thủ tướng Chính phủ (để b/c);".into();
    assert!(run(&letter).iter().any(|f| f.rule == "TT-31" && f.field == "/recipients/1"));
}
