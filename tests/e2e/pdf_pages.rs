//! The page never loses text: stress documents through `vanthu export`, read back with
//! `pdftotext -bbox` (positions), `pdftotext -raw` (text), `qpdf` and PDFBox Preflight.
//! Two-level signature blocks, 70 recipients, biên bản, orphans, stranded headings,
//! tables across pages, long addresses, long place and body names, red stamps and
//! drafts independent of the time zone.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::pdf::{MM, Word, assert_margins, collapse, export, find, preflight, tool, words};
use crate::{repo, temp_dir};

fn fixture(name: &str) -> Value {
    let path = repo().join("tests/fixtures/corpus/ok").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Writes `doc` as `NAME.json` in `dir` and exports it to `NAME.pdf`.
fn render(dir: &Path, name: &str, doc: &Value) -> PathBuf {
    let file = dir.join(format!("{name}.json"));
    std::fs::write(&file, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    let pdf = dir.join(format!("{name}.pdf"));
    export(&dir.join("unused.db"), &file, &pdf);
    pdf
}

fn names(pdfs: &[PathBuf]) -> Vec<String> {
    pdfs.iter().map(|p| p.display().to_string()).collect()
}

fn raw_text(pdf: &Path) -> String {
    tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"])
}

/// The lines of a page (words within 1 pt of the same bottom), top to bottom, without
/// the page number in the top margin.
fn lines(words: &[Word], page: usize) -> Vec<Vec<Word>> {
    let mut on_page: Vec<&Word> =
        words.iter().filter(|w| w.page == page && !(w.y_max < 20.0 * MM && w.text.parse::<u32>().is_ok())).collect();
    on_page.sort_by(|a, b| a.y_max.total_cmp(&b.y_max).then(a.x_min.total_cmp(&b.x_min)));
    let mut out: Vec<Vec<Word>> = Vec::new();
    for w in on_page {
        match out.last_mut() {
            Some(line) if (line[0].y_max - w.y_max).abs() < 1.0 => line.push(w.clone()),
            _ => out.push(vec![w.clone()]),
        }
    }
    for line in &mut out {
        line.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
    }
    out
}

fn line_text(line: &[Word]) -> String {
    line.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// The horizontal centre of the words of `line` right of `from`.
fn centre_right_of(line: &[Word], from: f32) -> f32 {
    let right: Vec<&Word> = line.iter().filter(|w| w.x_min >= from).collect();
    (right.iter().map(|w| w.x_min).fold(f32::MAX, f32::min) + right.iter().map(|w| w.x_max).fold(0.0, f32::max)) / 2.0
}

#[test]
fn a_deputy_prints_three_lines_in_the_signature_block() {
    let dir = temp_dir("pdf-deputy");
    let mut doc = fixture("state-quyet-dinh-thanh-lap-to-cong-nghe-so.json");
    doc["signer"] = json!({
        "form": "TM.", "principal": "ỦY BAN NHÂN DÂN",
        "deputy": { "form": "KT.", "principal": "CHỦ TỊCH" },
        "position": "PHÓ CHỦ TỊCH", "name": "Trần Văn Bình"
    });
    let pdf = render(&dir, "deputy", &doc);
    let (words, pages) = words(&pdf);
    assert_margins(&words, pages);
    let tm = find(&words, "TM.");
    let kt = find(&words, "KT.");
    let page = tm.page;
    let all = lines(&words, page);
    let line_of = |w: &Word| all.iter().find(|l| l.iter().any(|x| (x.y_max - w.y_max).abs() < 0.5)).unwrap().clone();
    let position = all.iter().find(|l| l.iter().any(|w| w.text == "PHÓ") && l[0].y_min > kt.y_max).unwrap().clone();
    let name = all.iter().find(|l| l.iter().any(|w| w.text == "Bình")).unwrap().clone();
    assert_eq!((kt.page, name[0].page), (page, page), "the block is whole on one page");
    let (tm_line, kt_line) = (line_of(tm), line_of(kt));
    assert!(line_text(&tm_line).contains("TM. ỦY BAN NHÂN DÂN"), "{}", line_text(&tm_line));
    assert!(line_text(&kt_line).ends_with("KT. CHỦ TỊCH"), "{}", line_text(&kt_line));
    assert!(line_text(&position).ends_with("PHÓ CHỦ TỊCH"), "{}", line_text(&position));
    // Three lines, one under the other at single spacing, then room for the signature.
    let step1 = kt.y_max - tm.y_max;
    let step2 = position[0].y_max - kt.y_max;
    assert!((14.0..20.0).contains(&step1) && (14.0..20.0).contains(&step2), "{step1} {step2}");
    assert!(name[0].y_max - position[0].y_max > 50.0, "room for the signature");
    // Centred on one axis in the right part of the page.
    let column = tm.x_min - 1.0;
    let centres: Vec<f32> = [&tm_line, &kt_line, &position, &name].iter().map(|l| centre_right_of(l, column)).collect();
    for c in &centres {
        assert!((c - centres[0]).abs() < 2.0, "one axis: {centres:?}");
    }
    assert!(centres[0] > 595.28 / 2.0);
    // Nơi nhận level with the first authority line.
    let heading = find(&words, "Nơi");
    assert_eq!(heading.page, page);
    assert!((heading.y_max - 0.216 * 12.0 - (tm.y_max - 0.216 * 14.0)).abs() < 1.0, "{heading:?} {tm:?}");
    preflight(&dir, &names(&[pdf]));
}

#[test]
fn seventy_recipients_flow_onto_the_next_page_and_the_signature_stays_whole() {
    let dir = temp_dir("pdf-recipients");
    let mut doc = fixture("state-cong-van-phong-chong-sot-xuat-huyet.json");
    let mut recipients: Vec<String> =
        (1..=70).map(|n| format!("Ủy ban nhân dân xã Tân Hưng số {n:02} thuộc huyện Phú Riềng;")).collect();
    recipients.splice(3..3, ["Bộ Y tế (để b/c);".to_owned(), "+ Cục Y tế dự phòng;".into(), "+ Vụ Pháp chế;".into()]);
    recipients.push("Lưu: VT, KGVX.".into());
    doc["recipients"] = json!(recipients);
    let pdf = render(&dir, "seventy", &doc);
    let (words, pages) = words(&pdf);
    assert!(pages >= 2, "{pages}");
    assert_margins(&words, pages);
    // Every line on paper, in order.
    let text = collapse(&raw_text(&pdf));
    let mut from = 0;
    for r in &recipients {
        let printed = if r.starts_with("+ ") { r.clone() } else { format!("- {r}") };
        let at =
            text[from..].find(&collapse(&printed)).unwrap_or_else(|| panic!("`{printed}` missing or out of order"));
        from += at;
    }
    // The signature block is whole on the page of the Nơi nhận heading, with at least
    // two lines of text above it.
    let heading = find(&words, "Nơi");
    let name_word = doc["signer"]["name"].as_str().unwrap().split(' ').next_back().unwrap().to_owned();
    let name = words.iter().find(|w| w.text == name_word && w.page == heading.page).expect("the name on that page");
    assert!(name.y_min > heading.y_max);
    let above = lines(&words, heading.page).iter().filter(|l| l[0].y_max < heading.y_min).count();
    assert!(above >= 2, "{above} lines above the signature block");
    // The list continues on the next page, in the left column.
    let last_page = words.iter().map(|w| w.page).max().unwrap();
    let continued: Vec<&Word> = words.iter().filter(|w| w.page == last_page && w.text == "Tân").collect();
    assert!(last_page > heading.page && !continued.is_empty(), "the list goes on after the signature page");
    assert!(continued.iter().all(|w| w.x_max < 595.28 / 2.0), "left column");
    // Sub-lines keep their `+` and are indented under their group.
    let plus: Vec<&Word> = words.iter().filter(|w| w.text == "+").collect();
    let dash = words.iter().find(|w| w.text == "-" && w.page == heading.page && w.y_min > heading.y_max).unwrap();
    assert_eq!(plus.len(), 2);
    assert!(plus.iter().all(|p| p.x_min > dash.x_min + 3.0), "{plus:?} {dash:?}");
    preflight(&dir, &names(&[pdf]));
}

#[test]
fn a_bien_ban_prints_the_secretary_and_the_chair_side_by_side() {
    let dir = temp_dir("pdf-bien-ban");
    let path = repo().join("assets/demo/documents/ubnd-bien-ban-phien-hop-thuong-ky-thang-11.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let pdf = render(&dir, "bien-ban", &doc);
    let (words, pages) = words(&pdf);
    assert_margins(&words, pages);
    let secretary = find(&words, "KÝ");
    let chair = find(&words, "TỌA");
    assert_eq!(secretary.page, chair.page);
    assert!((secretary.y_max - chair.y_max).abs() < 0.5, "one row: {secretary:?} {chair:?}");
    assert!(secretary.x_max < 595.28 / 2.0 && chair.x_min > 595.28 / 2.0, "THƯ KÝ left, CHỦ TỌA right");
    let oanh = find(&words, "Oanh");
    let duc = find(&words, "Đức");
    assert!((oanh.y_max - duc.y_max).abs() < 0.5 && oanh.x_max < duc.x_min, "both names printed");
    let heading = find(&words, "Nơi");
    assert!(heading.page > chair.page || heading.y_min > oanh.y_max, "Nơi nhận under the signatures");
    preflight(&dir, &names(&[pdf]));
}

/// A quyết định whose body is `filler` one-line paragraphs and then `tail`.
fn with_body(filler: usize, tail: Vec<Value>) -> Value {
    let mut doc = fixture("state-quyet-dinh-thanh-lap-to-cong-nghe-so.json");
    let mut body: Vec<Value> = (0..filler)
        .map(|n| json!({"kind": "paragraph", "label": null, "title": null, "text": format!("Đoạn đệm thứ {n}.")}))
        .collect();
    body.extend(tail);
    doc["body"] = Value::Array(body);
    doc
}

#[test]
fn the_signature_never_leaves_one_line_of_a_paragraph_behind() {
    let dir = temp_dir("pdf-orphan");
    let last: String = (1..=44).map(|i| format!("zq{i:02}")).collect::<Vec<_>>().join(" ") + "./.";
    let mut pdfs = Vec::new();
    let mut moved = 0;
    for filler in 22..=34 {
        let doc = with_body(filler, vec![json!({"kind": "paragraph", "text": last})]);
        let pdf = render(&dir, &format!("orphan-{filler}"), &doc);
        let (words, pages) = words(&pdf);
        assert_margins(&words, pages);
        let mut per_page = std::collections::BTreeMap::new();
        for page in 1..=pages {
            let n = lines(&words, page).iter().filter(|l| l.iter().any(|w| w.text.starts_with("zq"))).count();
            if n > 0 {
                per_page.insert(page, n);
            }
        }
        assert_eq!(per_page.values().sum::<usize>(), 3, "{filler}: the paragraph is 3 lines: {per_page:?}");
        assert!(per_page.values().all(|n| *n >= 2), "{filler}: a single line left behind: {per_page:?}");
        let heading = find(&words, "Nơi");
        let above = lines(&words, heading.page).iter().filter(|l| l[0].y_max < heading.y_min).count();
        assert!(above >= 2, "{filler}: {above} lines above the signature");
        if heading.page > 1 && per_page.keys().all(|p| *p == heading.page) {
            moved += 1;
        }
        pdfs.push(pdf);
    }
    assert!(moved > 0, "some case sends the paragraph over with the signature");
    preflight(&dir, &names(&pdfs));
}

#[test]
fn a_heading_is_never_the_last_line_of_a_page() {
    let dir = temp_dir("pdf-heading");
    let mut pdfs = Vec::new();
    let mut at_top = 0;
    for filler in 26..=38 {
        let tail = vec![
            json!({"kind": "chapter", "label": "Chương II", "title": "TỔ CHỨC THỰC HIỆN", "text": null}),
            json!({"kind": "article", "label": "Điều 5.", "title": "Trách nhiệm thi hành", "text": null}),
            json!({"kind": "clause", "label": "1.", "text": "Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này kể từ ngày ký ban hành."}),
            json!({"kind": "clause", "label": "2.", "text": "Quyết định có hiệu lực kể từ ngày ký./."}),
        ];
        let pdf = render(&dir, &format!("heading-{filler}"), &with_body(filler, tail));
        let (words, pages) = words(&pdf);
        assert_margins(&words, pages);
        for page in 1..pages {
            let page_lines = lines(&words, page);
            let last = line_text(page_lines.last().unwrap());
            assert!(
                !last.starts_with("Chương") && !last.starts_with("Điều") && last != "TỔ CHỨC THỰC HIỆN",
                "{filler}: a heading ends page {page}: {last}"
            );
        }
        for page in 2..=pages {
            if line_text(&lines(&words, page)[0]).starts_with("Chương II") {
                at_top += 1;
            }
        }
        pdfs.push(pdf);
    }
    assert!(at_top > 0, "some case moves the headings over together");
    preflight(&dir, &names(&pdfs));
}

#[test]
fn a_table_across_a_page_break_repeats_its_heading_row() {
    let dir = temp_dir("pdf-table");
    let mut rows = vec![json!(["STT", "Đơn vị", "Nội dung thực hiện", "Kết quả"])];
    for n in 1..=60 {
        rows.push(json!([
            n.to_string(),
            format!("DV{n:03}"),
            "Rà soát, cập nhật danh mục thủ tục hành chính và quy trình nội bộ giải quyết thủ tục",
            "Đạt"
        ]));
    }
    let tail = vec![
        json!({"kind": "paragraph", "text": "Kết quả kiểm tra như sau:"}),
        json!({"kind": "table", "title": "Bảng tổng hợp", "text": null, "rows": rows, "header_rows": 1}),
        json!({"kind": "paragraph", "text": "Đề nghị các đơn vị tiếp tục thực hiện./."}),
        json!({"kind": "note", "text": "(Kèm theo Công văn số 847/UBND-VX ngày 05/3/2026)"}),
    ];
    let pdf = render(&dir, "table", &with_body(3, tail));
    let (words, pages) = words(&pdf);
    assert!(pages >= 3, "{pages}");
    assert_margins(&words, pages);
    for n in 1..=60 {
        let code = format!("DV{n:03}");
        assert_eq!(words.iter().filter(|w| w.text == code).count(), 1, "{code} printed once");
    }
    let mut continued = 0;
    for page in 1..=pages {
        let rows_here: Vec<&Word> = words.iter().filter(|w| w.page == page && w.text.starts_with("DV")).collect();
        let Some(first_row) = rows_here.iter().min_by(|a, b| a.y_min.total_cmp(&b.y_min)) else { continue };
        let heading = words.iter().find(|w| w.page == page && w.text == "STT");
        let heading = heading.unwrap_or_else(|| panic!("page {page} has rows but no heading row"));
        assert!(heading.y_max < first_row.y_min, "the heading row above the rows on page {page}");
        if page > 1 && rows_here.iter().any(|w| w.text != "DV001") {
            continued += 1;
        }
    }
    assert!(continued >= 2, "the table continues over pages");
    let text = collapse(&raw_text(&pdf));
    assert!(text.contains("(Kèm theo Công văn số 847/UBND-VX ngày 05/3/2026)"), "the note is printed");
    preflight(&dir, &names(&[pdf]));
}

#[test]
fn a_long_address_breaks_without_a_space_and_stays_inside_the_page() {
    let dir = temp_dir("pdf-url");
    let url = "https://dichvucong.binhphuoc.gov.vn/dichvucong/portal/p/home/tra-cuu-ho-so-thu-tuc-hanh-chinh-truc-tuyen-toan-trinh.html?ma-ho-so=H12.45-260305-0001&loai=day-du";
    let tail = vec![
        json!({"kind": "paragraph", "text": format!("Tổ chức, cá nhân tra cứu kết quả giải quyết hồ sơ tại {url} hoặc tại Bộ phận Một cửa./.")}),
    ];
    let pdf = render(&dir, "url", &with_body(2, tail));
    let (words, pages) = words(&pdf);
    assert_margins(&words, pages);
    let raw = raw_text(&pdf);
    assert!(raw.replace('\n', "").contains(url), "the address, rejoined, is whole and gains no space:\n{raw}");
    let pieces: Vec<&Word> = words.iter().filter(|w| url.contains(w.text.as_str()) && w.text.len() > 12).collect();
    assert!(pieces.len() >= 2, "the address is broken over lines: {pieces:?}");
    for piece in &pieces[..pieces.len() - 1] {
        assert!(piece.text.ends_with(['/', '.', '-', '?', '&', '=']), "breaks after a separator: {pieces:?}");
    }
    preflight(&dir, &names(&[pdf]));
}

fn overlaps(a: &Word, b: &Word) -> bool {
    a.page == b.page
        && a.x_min < b.x_max - 0.5
        && b.x_min < a.x_max - 0.5
        && a.y_min < b.y_max - 0.5
        && b.y_min < a.y_max - 0.5
}

#[test]
fn long_names_and_places_wrap_within_their_header_column() {
    let dir = temp_dir("pdf-header");
    let mut party = fixture("party-quyet-dinh-chuan-y-chi-uy-truong-thcs.json");
    party["place"] = json!("Thị trấn Phước Long Thọ Đông, huyện Đất Đỏ Mới");
    party["issuer"]["name"] = json!("ĐẢNG ỦY CƠ QUAN ỦY BAN NHÂN DÂN HUYỆN ĐẤT ĐỎ MỚI");
    let mut state = fixture("state-cong-van-phong-chong-sot-xuat-huyet.json");
    state["issuer"]["parent"] = json!("ỦY BAN NHÂN DÂN HUYỆN PHƯỚC LONG THỌ");
    state["issuer"]["name"] = json!("HỘI ĐỒNG NHÂN DÂN XÃ PHƯỚC LONG THỌ ĐÔNG");
    state["number"] = json!("1234");
    state["notation"] = json!("UBND-TTPVHCC-KSTTHC");
    let mut explicit = fixture("state-quyet-dinh-thanh-lap-to-cong-nghe-so.json");
    explicit["issuer"]["name"] = json!("SỞ GIÁO DỤC\nVÀ ĐÀO TẠO");
    let mut pdfs = Vec::new();
    for (name, doc) in [("party", &party), ("state", &state), ("explicit", &explicit)] {
        let pdf = render(&dir, name, doc);
        let (words, pages) = words(&pdf);
        assert_margins(&words, pages);
        let header: Vec<&Word> = words.iter().filter(|w| w.page == 1 && w.y_max < 75.0 * MM).collect();
        for (i, a) in header.iter().enumerate() {
            for b in &header[i + 1..] {
                assert!(!overlaps(a, b), "{name}: header words overlap: {a:?} {b:?}");
            }
        }
        // Never broken inside `NHÂN DÂN`.
        for nhan in header.iter().filter(|w| w.text == "NHÂN") {
            let next = header.iter().filter(|w| w.x_min > nhan.x_max).min_by(|a, b| a.x_min.total_cmp(&b.x_min));
            let dan = header.iter().find(|w| w.text == "DÂN" && (w.y_max - nhan.y_max).abs() < 0.5);
            assert!(dan.is_some(), "{name}: NHÂN / DÂN split: {next:?}");
        }
        pdfs.push((name, pdf, words));
    }
    // The long Số keeps `Số:` with its number.
    let (_, _, state_words) = &pdfs[1];
    let so = find(state_words, "Số:");
    let number = state_words.iter().find(|w| w.text.starts_with("1234")).unwrap();
    assert!((so.y_max - number.y_max).abs() < 0.5, "{so:?} {number:?}");
    // The explicit break is where the printed name breaks.
    let (_, _, explicit_words) = &pdfs[2];
    let (duc, va) = (find(explicit_words, "DỤC"), find(explicit_words, "VÀ"));
    assert!(va.y_min > duc.y_max - 1.0, "VÀ ĐÀO TẠO on its own line: {duc:?} {va:?}");
    preflight(&dir, &pdfs.iter().map(|(_, p, _)| p.display().to_string()).collect::<Vec<_>>());
}

#[test]
fn urgency_and_secrecy_stamps_are_red() {
    let dir = temp_dir("pdf-stamps");
    let mut doc = fixture("state-cong-van-phong-chong-sot-xuat-huyet.json");
    doc["urgency"] = json!("hoa-toc");
    doc["secrecy"] = json!("mat");
    let pdf = render(&dir, "stamps", &doc);
    let plain = dir.join("stamps-qdf.pdf");
    tool("qpdf", &["--qdf", "--object-streams=disable", pdf.to_str().unwrap(), plain.to_str().unwrap()]);
    let bytes = std::fs::read(&plain).unwrap();
    let content = String::from_utf8_lossy(&bytes);
    let red =
        content.lines().filter(|l| l.starts_with("0.9294") && l.contains(" 0.1098") && l.contains(" 0.1411")).count();
    assert!(red >= 2, "a red colour is set for the stamps");
    let text = collapse(&raw_text(&pdf));
    assert!(text.contains("HỎA TỐC") && text.contains("MẬT"));
    preflight(&dir, &names(&[pdf]));
}

#[test]
fn a_drafts_pdf_does_not_depend_on_the_time_zone() {
    let dir = temp_dir("pdf-tz");
    let mut doc = fixture("state-quyet-dinh-thanh-lap-to-cong-nghe-so.json");
    doc["number"] = Value::Null;
    doc["date"] = Value::Null;
    let file = dir.join("draft.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let mut outputs = Vec::new();
    for tz in ["UTC", "Asia/Ho_Chi_Minh", "Pacific/Kiritimati", "America/Los_Angeles"] {
        let out = dir.join(format!("draft-{}.pdf", tz.replace('/', "-")));
        let status = Command::new(env!("CARGO_BIN_EXE_vanthu"))
            .args(["export", file.to_str().unwrap(), "--out", out.to_str().unwrap(), "--db"])
            .arg(dir.join("unused.db"))
            .env("TZ", tz)
            .env_remove("VANTHU_DB")
            .status()
            .unwrap();
        assert!(status.success());
        outputs.push(out);
    }
    let first = std::fs::read(&outputs[0]).unwrap();
    for out in &outputs[1..] {
        assert_eq!(std::fs::read(out).unwrap(), first, "{} differs", out.display());
    }
    let text = collapse(&raw_text(&outputs[0]));
    assert!(text.contains("DỰ THẢO"), "{text}");
    preflight(&dir, &names(&outputs[..1]));
}
