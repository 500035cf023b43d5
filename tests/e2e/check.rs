//! `vanthu check`, `fix`, `rules` over the fixture corpus and the demo office.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use super::{ok, repo, temp_dir};

const TODAY: &str = "2026-11-27";

fn vanthu(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(args)
        .env_remove("VANTHU_DB")
        .env_remove("VANTHU_PASSWORD")
        .output()
        .expect("vanthu runs")
}

fn check_json(file: &Path, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["check", file.to_str().unwrap(), "--json", "--today", TODAY];
    args.extend_from_slice(extra);
    let output = vanthu(&args);
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{}: {e}: {}", file.display(), String::from_utf8_lossy(&output.stderr)));
    (output.status.code(), report)
}

fn corpus() -> PathBuf {
    repo().join("tests/fixtures/corpus")
}

#[derive(Debug, serde::Deserialize)]
struct Case {
    file: String,
    source: String,
    rule: String,
    field: String,
    fixable: bool,
}

#[derive(Debug, serde::Deserialize)]
struct Expected {
    case: Vec<Case>,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(corpus().join("expected.toml")).unwrap();
    toml::from_str::<Expected>(&text).unwrap().case
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// The findings that are defects (errors and warnings; `info` says a Sunday date is
/// a Sunday and is no defect).
fn defects(report: &Value) -> Vec<&Value> {
    report["findings"].as_array().unwrap().iter().filter(|f| f["severity"] != "info").collect()
}

#[test]
fn correct_documents_and_the_demo_office_check_clean() {
    let mut files = json_files(&corpus().join("ok"));
    assert!(files.len() >= 18, "{} correct fixtures", files.len());
    files.extend(json_files(&repo().join("assets/demo/documents")));
    let mut kinds = std::collections::BTreeSet::new();
    for file in files {
        let (code, report) = check_json(&file, &[]);
        assert_eq!(defects(&report), Vec::<&Value>::new(), "{}", file.display());
        assert_eq!(code, Some(0), "{}", file.display());
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        kinds.insert((doc["family"].as_str().unwrap().to_owned(), doc["kind"].as_str().unwrap().to_owned()));
    }
    assert!(kinds.iter().any(|(f, _)| f == "party") && kinds.iter().any(|(f, _)| f == "state"));
    assert!(kinds.iter().map(|(_, k)| k).collect::<std::collections::BTreeSet<_>>().len() >= 12, "{kinds:?}");

    // With the demo database, the authority rules also use its people, delegations
    // and authority matrix: the demo documents still check clean.
    let dir = temp_dir("demo-db-check");
    let db = dir.join("v.db");
    ok(vanthu(&["demo", "--db", db.to_str().unwrap()]));
    for file in json_files(&repo().join("assets/demo/documents")) {
        let (code, report) = check_json(&file, &["--db", db.to_str().unwrap()]);
        assert_eq!((code, &report["findings"]), (Some(0), &Value::Array(vec![])), "{} with --db", file.display());
    }
}

#[derive(Debug, serde::Deserialize)]
struct RealDocument {
    file: String,
    findings: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
struct RealExpected {
    #[serde(default)]
    document: Vec<RealDocument>,
}

/// Real published State documents typed as printed (`corpus/state-real`, sources in its
/// README): each gives exactly the true findings its `expected.toml` lists (a document
/// issued before NĐ 30 took effect, a subject ending with a full stop …), nothing else;
/// information (`info`) is no finding.
#[test]
fn real_state_documents_give_no_false_finding() {
    let dir = corpus().join("state-real");
    let expected: RealExpected = toml::from_str(&std::fs::read_to_string(dir.join("expected.toml")).unwrap()).unwrap();
    let files = json_files(&dir);
    assert!(files.len() >= 15, "{} real documents", files.len());
    let mut wrong = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_str().unwrap();
        let mut want: Vec<String> =
            expected.document.iter().find(|d| d.file == name).map(|d| d.findings.clone()).unwrap_or_default();
        want.sort();
        let (code, report) = check_json(file, &[]);
        let mut got: Vec<String> = defects(&report)
            .iter()
            .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["field"].as_str().unwrap()))
            .collect();
        got.sort();
        let errors = defects(&report).iter().any(|f| f["severity"] == "error");
        if got != want || code != Some(i32::from(errors)) {
            wrong.push(format!("{name}: want {want:?}, got {got:?} (exit {code:?})"));
        }
    }
    for listed in &expected.document {
        assert!(dir.join(&listed.file).exists(), "{} is listed but missing", listed.file);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn each_defective_document_gives_exactly_its_finding() {
    let cases = cases();
    assert!(cases.len() + json_files(&corpus().join("ok")).len() >= 40);
    let mut wrong = Vec::new();
    for case in &cases {
        let (code, report) = check_json(&corpus().join(&case.file), &[]);
        let findings = report["findings"].as_array().unwrap();
        let got: Vec<String> = findings
            .iter()
            .map(|f| {
                format!(
                    "{} {} fix={}",
                    f["rule"].as_str().unwrap(),
                    f["field"].as_str().unwrap(),
                    f.get("fix").is_some()
                )
            })
            .collect();
        let want = format!("{} {} fix={}", case.rule, case.field, case.fixable);
        let error = findings.first().is_some_and(|f| f["severity"] == "error");
        if got != [want.clone()] || code != Some(if error { 1 } else { 0 }) {
            wrong.push(format!("{}: want [{want}], got {got:?} (exit {code:?})", case.file));
        }
        assert!(findings.iter().all(|f| !f["reference"].as_str().unwrap().is_empty()));
    }
    assert!(wrong.is_empty(), "{} of {} cases differ:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

#[test]
fn fixing_restores_the_correct_document_and_nothing_else() {
    let dir = temp_dir("fix");
    for case in cases().iter().filter(|c| c.fixable) {
        let out = dir.join(case.file.replace('/', "_"));
        let bad = corpus().join(&case.file);
        let output = vanthu(&["fix", bad.to_str().unwrap(), "--out", out.to_str().unwrap(), "--today", TODAY]);
        assert!(output.status.success(), "{}: {}", case.file, String::from_utf8_lossy(&output.stderr));
        let (code, report) = check_json(&out, &[]);
        assert_eq!(report["findings"], Value::Array(vec![]), "{} after fix", case.file);
        assert_eq!(code, Some(0));
        let fixed: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        let source: Value =
            serde_json::from_str(&std::fs::read_to_string(corpus().join(&case.source)).unwrap()).unwrap();
        assert_eq!(fixed, source, "{}: the fix changed more than the defect", case.file);
    }
}

#[test]
fn invalid_input_exits_2() {
    let bad = repo().join("tests/fixtures/bad/impossible-date.json");
    let output = vanthu(&["check", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/date"));
    let output = vanthu(&["check", json_files(&corpus().join("ok"))[0].to_str().unwrap(), "--today", "2026-13-01"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_readable_report_groups_by_the_four_dung() {
    let case = cases().into_iter().find(|c| c.rule.starts_with("TQ")).expect("an authority case");
    let output = vanthu(&["check", corpus().join(&case.file).to_str().unwrap(), "--today", TODAY]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Đúng thẩm quyền"), "{text}");
    assert!(text.contains(&case.rule) && text.contains("Căn cứ:"), "{text}");
}

#[test]
fn rules_catalogue_is_complete_and_docs_are_current() {
    let listing: Value = serde_json::from_str(&ok(vanthu(&["rules", "--json"]))).unwrap();
    let state = listing.as_array().unwrap().iter().find(|r| r["family"] == "state").unwrap();
    let rules = state["rules"].as_array().unwrap();
    assert!(rules.len() >= 60);
    assert!(rules.iter().all(|r| !r["reference"].as_str().unwrap().is_empty()));
    let markdown = ok(vanthu(&["rules", "--markdown"]));
    let committed = std::fs::read_to_string(repo().join("docs/rules.md")).unwrap();
    assert!(committed == markdown, "docs/rules.md is out of date: run `cargo run -- rules --markdown > docs/rules.md`");
}

#[test]
fn an_office_override_changes_check_without_recompiling() {
    let dir = temp_dir("override");
    let db = dir.join("v.db");
    let db_arg = db.to_str().unwrap();
    ok(vanthu(&["demo", "--db", db_arg]));
    let party = repo().join("assets/demo/documents/vptu-cong-van-che-do-bao-cao-quy-i.json");
    let (code, report) = check_json(&party, &["--db", db_arg]);
    assert_eq!(
        (code, report["findings"].as_array().unwrap().len()),
        (Some(0), 0),
        "clean before the override: {report}"
    );
    let override_file = dir.join("luu.toml");
    std::fs::write(&override_file, "[params]\nluu_prefix = \"Lưu: \"\n").unwrap();
    let set = Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(["rules-override", "--family", "party", override_file.to_str().unwrap(), "--as", "admin", "--db", db_arg])
        .env("VANTHU_PASSWORD", "demo")
        .output()
        .unwrap();
    ok(set);
    let (code, report) = check_json(&party, &["--db", db_arg]);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(code, Some(1), "{report}");
    assert!(
        findings.iter().any(|f| f["rule"] == "TT-29" && f["fix"].as_str().unwrap().starts_with("Lưu: ")),
        "{report}"
    );
    let refused = Command::new(env!("CARGO_BIN_EXE_vanthu"))
        .args(["rules-override", "--family", "party", "--clear", "--as", "admin", "--db", db_arg])
        .env("VANTHU_PASSWORD", "sai")
        .output()
        .unwrap();
    assert_ne!(refused.status.code(), Some(0), "a wrong password is refused");
}

/// Issue #17: `vanthu check` names the ruleset version in force on the document's
/// date (text and JSON), and a rule differs between the 2025 and 2026 Party
/// versions (QĐ 399-QĐ/TW adds the kind `chiến lược`).
#[test]
fn check_names_the_party_version_in_force_on_the_date() {
    let dir = temp_dir("party-versions");
    let real = repo().join("tests/fixtures/party-real");
    let (code, report) = check_json(&real.join("tw-ket-luan-200-2025.json"), &[]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["ruleset"], "party-hd36-2018");
    assert_eq!(report["version"]["id"], "party-qd66-hd36", "{report}");
    assert_eq!(report["version"]["effective_from"], "2018-04-03");
    let (code, report) = check_json(&real.join("tw-quy-dinh-399-2026.json"), &[]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["version"]["id"], "party-qd399-2026", "{report}");
    assert!(report["version"]["texts"].as_array().unwrap().iter().any(|t| t["reference"] == "QĐ 399-QĐ/TW"));
    let text = String::from_utf8(
        vanthu(&["check", real.join("tw-quy-dinh-399-2026.json").to_str().unwrap(), "--today", TODAY]).stdout,
    )
    .unwrap();
    assert!(text.contains("Phiên bản party-qd399-2026"), "{text}");

    // The same chiến lược checked on two dates: TT-01 only under QĐ 66-QĐ/TW.
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(real.join("tw-quy-dinh-399-2026.json")).unwrap()).unwrap();
    doc["kind"] = "chien-luoc".into();
    doc["notation"] = "CL/TW".into();
    doc["bases"] = Value::Array(vec![]);
    let write = |date: &str| {
        let mut d = doc.clone();
        d["date"] = date.into();
        let path = dir.join(format!("chien-luoc-{date}.json"));
        std::fs::write(&path, serde_json::to_string(&d).unwrap()).unwrap();
        path
    };
    let (code_2026, report_2026) = check_json(&write("2026-02-02"), &[]);
    let (code_2025, report_2025) = check_json(&write("2025-12-01"), &[]);
    assert_eq!(code_2026, Some(0), "{report_2026}");
    assert_eq!(code_2025, Some(1), "{report_2025}");
    let rules: Vec<&str> =
        report_2025["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["TT-01"], "{report_2025}");
}

/// Task G (#17): a Đảng ủy xã công văn of the 2025 reform with the forms provincial
/// offices print checks with exit 0; a `Lưu: VT.` line is information only; a
/// Huyện ủy document dated after 01/7/2025 is a warning (still exit 0), and a
/// Huyện ủy document dated before it is clean.
#[test]
fn provincial_party_forms_check_clean_and_the_district_level_ends() {
    let dir = temp_dir("party-provincial");
    let letter = serde_json::json!({
        "schema": "vanthu.document/1", "family": "party", "kind": "cong-van",
        "issuer": { "parent": "ĐẢNG BỘ TỈNH LÂM ĐỒNG", "name": "ĐẢNG ỦY XÃ ĐẠ HUOAI", "abbreviation": "ĐU" },
        "number": "37", "notation": "CV/ĐU", "place": "Đạ Huoai", "date": "2025-09-15",
        "subject": "về việc chuẩn bị hội nghị Ban Chấp hành Đảng bộ xã",
        "addressees": ["Các chi bộ trực thuộc Đảng ủy,", "các đồng chí Đảng ủy viên."],
        "body": [{ "kind": "paragraph", "text": "Ban Thường vụ Đảng ủy đề nghị các chi bộ chuẩn bị báo cáo (số liệu, kiến nghị...)." }],
        "signer": { "form": "T/M", "principal": "BAN THƯỜNG VỤ", "position": "PHÓ BÍ THƯ THƯỜNG TRỰC", "name": "Phạm Văn Dũng" },
        "recipients": ["Như trên (t/h);", "Ban Thường vụ Tỉnh ủy (b/c);", "Lưu Văn phòng Đảng ủy."]
    });
    let write = |name: &str, doc: &Value| {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_string(doc).unwrap()).unwrap();
        path
    };
    let (code, report) = check_json(&write("commune.json", &letter), &[]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["findings"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(report["version"]["id"], "party-qd66-hd36");

    let mut vt = letter.clone();
    vt["recipients"][2] = "Lưu: VT.".into();
    let (code, report) = check_json(&write("vt.json", &vt), &[]);
    assert_eq!(code, Some(0), "{report}");
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report}");
    assert_eq!((findings[0]["rule"].as_str(), findings[0]["severity"].as_str()), (Some("TT-29"), Some("info")));

    let mut district = letter.clone();
    district["issuer"] =
        serde_json::json!({ "parent": "ĐẢNG BỘ TỈNH LÂM ĐỒNG", "name": "HUYỆN ỦY ĐẠ HUOAI", "abbreviation": "HU" });
    district["notation"] = "CV/HU".into();
    district["recipients"][2] = "Lưu Văn phòng Huyện ủy.".into();
    let (code, report) = check_json(&write("district.json", &district), &[]);
    assert_eq!(code, Some(0), "a warning does not fail the check: {report}");
    let rules: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(rules, [("TQ-18", "warning")], "{report}");
    district["date"] = "2025-05-05".into();
    let (code, report) = check_json(&write("district-before.json", &district), &[]);
    assert_eq!((code, report["findings"].as_array().unwrap().len()), (Some(0), 0), "{report}");
}

/// Task P (#17): `vanthu check` on fully printed provincial Party documents of
/// 2025 and 2026 (tests/fixtures/party-real, Lào Cai): the Đảng ủy công văn is
/// clean; the Tỉnh ủy chương trình has only its Sunday date as information; the Ban
/// Thường vụ nghị quyết of 2025 keeps its one true defect (heading III skipped) and
/// is checked by the 2018 version, the others by the 2026 one.
#[test]
fn real_provincial_party_documents_check_as_printed() {
    let real = repo().join("tests/fixtures/party-real");
    let rules = |report: &Value| -> Vec<(String, String)> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["rule"].as_str().unwrap().to_owned(), f["severity"].as_str().unwrap().to_owned()))
            .collect()
    };
    let (code, report) = check_json(&real.join("du-ubnd-lao-cai-cong-van-2449-2026.json"), &[]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(rules(&report), Vec::<(String, String)>::new(), "{report}");
    assert_eq!(report["version"]["id"], "party-qd399-2026");

    let (code, report) = check_json(&real.join("tu-lao-cai-chuong-trinh-104-2026.json"), &[]);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(rules(&report), [("TG-03".to_owned(), "info".to_owned())], "{report}");
    assert_eq!(report["version"]["id"], "party-qd399-2026");

    let path = real.join("tu-lao-cai-nghi-quyet-34-2025.json");
    let (code, report) = check_json(&path, &[]);
    assert_eq!(code, Some(1), "a true error: {report}");
    let found = rules(&report);
    assert_eq!(found.len(), 2, "{report}");
    assert!(found.contains(&("ND-07".to_owned(), "error".to_owned())), "{report}");
    assert!(found.contains(&("TG-03".to_owned(), "info".to_owned())), "{report}");
    assert_eq!(report["version"]["id"], "party-qd66-hd36");
    let text = String::from_utf8(vanthu(&["check", path.to_str().unwrap(), "--today", TODAY]).stdout).unwrap();
    assert!(text.contains("Phiên bản party-qd66-hd36"), "{text}");
    assert!(text.contains("ND-07"), "{text}");
}
