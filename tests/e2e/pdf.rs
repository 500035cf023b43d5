//! The PDF exporter as a user meets it: `vanthu export` on every correct fixture, read
//! back with poppler (`pdftotext`, `pdffonts`, `pdfinfo`), `qpdf` and Apache PDFBox
//! Preflight; positions read with `pdftotext -bbox`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{ok, repo, temp_dir, vanthu};

const PREFLIGHT_JARS: [&str; 7] =
    ["preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation", "jaxb-api"];

/// Runs a tool that must succeed and returns its standard output.
pub fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{program}` must be installed (.ci/run installs it): {e}"));
    assert!(output.status.success(), "{program} {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn info_field(info: &str, key: &str) -> String {
    let line = info.lines().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("no {key} in {info}"));
    line[key.len()..].trim().to_owned()
}

/// `Page size:` of `pdfinfo`, rounded to the hundredth of a point.
fn page_size(info: &str) -> (f64, f64) {
    let field = info_field(info, "Page size:");
    let parts: Vec<&str> = field.split_whitespace().collect();
    let round = |s: &str| (s.parse::<f64>().unwrap() * 100.0).round() / 100.0;
    (round(parts[0]), round(parts[2]))
}

/// `vanthu export FILE --out OUT`.
pub fn export(db: &Path, file: &Path, out: &Path) {
    ok(vanthu(db, &["export", file.to_str().unwrap(), "--out", out.to_str().unwrap()]));
}

fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/fixtures/corpus/ok"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 20);
    files
}

/// The words of `text` joined by single spaces.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn nfc(text: &str) -> String {
    vanthu_core::text::nfc(text)
}

/// Every printed component of a fixture, as it must be extractable.
fn components(doc: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let s = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    out.extend(s(&doc["issuer"]["name"]));
    out.extend(s(&doc["issuer"]["parent"]));
    out.extend(s(&doc["subject"]));
    out.extend(s(&doc["signer"]["name"]));
    out.extend(s(&doc["signer"]["position"]));
    out.extend(s(&doc["authority_line"]));
    out.extend(s(&doc["enacting_words"]));
    for key in ["bases", "addressees", "recipients"] {
        out.extend(doc[key].as_array().into_iter().flatten().filter_map(s));
    }
    for block in doc["body"].as_array().into_iter().flatten() {
        for key in ["title", "text"] {
            if let Some(text) = s(&block[key]) {
                out.extend(text.split('\n').filter(|p| !p.trim().is_empty()).map(str::to_owned));
            }
        }
    }
    if let (Some(n), Some(notation)) = (s(&doc["number"]), s(&doc["notation"])) {
        out.push(n);
        out.push(notation);
    }
    out.into_iter().map(|c| nfc(&c)).filter(|c| !c.trim().is_empty()).collect()
}

#[test]
fn every_correct_fixture_is_a_valid_pdfa_with_embedded_subset_fonts_and_exact_text() {
    let dir = temp_dir("pdf-fixtures");
    let db = dir.join("unused.db");
    let mut pdfs = Vec::new();
    for file in fixtures() {
        let out = dir.join(file.file_stem().unwrap()).with_extension("pdf");
        export(&db, &file, &out);
        let name = out.display().to_string();

        let info = tool("pdfinfo", &[&name]);
        assert_eq!(page_size(&info), (595.28, 841.89), "{name}: {info}");
        assert_eq!(info_field(&info, "PDF version:"), "1.4", "{name}: {info}");

        let fonts = tool("pdffonts", &[&name]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty(), "{name}: no font");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert!(cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+', "{name}: not a subset: {row}");
            assert!(cols[0].contains("LiberationSerif"), "{name}: {row}");
            let flags = &cols[cols.len() - 5..cols.len() - 2];
            assert_eq!(flags, ["yes", "yes", "yes"], "{name}: not embedded, subset, with ToUnicode: {row}");
        }

        let text = collapse(&tool("pdftotext", &["-raw", &name, "-"]));
        assert_eq!(text, nfc(&text), "{name}: extracted text is NFC");
        let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for component in components(&doc) {
            assert!(text.contains(&collapse(&component)), "{name}: `{component}` not extractable from:\n{text}");
        }

        tool("qpdf", &["--check", &name]);
        pdfs.push(name);
    }

    preflight(&dir, &pdfs);
}

/// Validates every PDF in `pdfs` as PDF/A-1b with Apache PDFBox Preflight (one JVM for
/// the batch; the report goes to `dir`).
pub fn preflight(dir: &Path, pdfs: &[String]) {
    let list = dir.join("list.txt");
    std::fs::write(&list, pdfs.join("\n") + "\n").unwrap();
    let classpath = PREFLIGHT_JARS.map(|j| format!("/usr/share/java/{j}.jar")).join(":");
    tool(
        "java",
        &["-cp", &classpath, "org.apache.pdfbox.preflight.Validator_A1b", "xml", "group", list.to_str().unwrap()],
    );
    let report = std::fs::read_to_string(dir.join("list.txt.preflight.xml")).expect("Preflight writes its report");
    assert!(report.contains(&format!("<preflights count=\"{}\">", pdfs.len())), "{report}");
    for pdf in pdfs {
        let marker = format!("<preflight name=\"{}\">", Path::new(pdf).file_name().unwrap().to_str().unwrap());
        let at = report.find(&marker).unwrap_or_else(|| panic!("{pdf} missing from the Preflight report:\n{report}"));
        let element = &report[at..at + report[at..].find("</preflight>").unwrap()];
        assert!(element.contains("<isValid type=\"PDF/A1-b\">true</isValid>"), "{pdf} is not PDF/A-1b:\n{element}");
    }
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let dir = temp_dir("pdf-deterministic");
    let file = repo().join("tests/fixtures/corpus/ok/state-quyet-dinh-thanh-lap-to-cong-nghe-so.json");
    let (a, b) = (dir.join("a.pdf"), dir.join("b.pdf"));
    export(&dir.join("x.db"), &file, &a);
    export(&dir.join("x.db"), &file, &b);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    preflight(&dir, &[a.display().to_string()]);
}

/// A word of `pdftotext -bbox` output.
#[derive(Debug, Clone)]
pub struct Word {
    /// Page, from 1.
    pub page: usize,
    /// Left, pt.
    pub x_min: f32,
    /// Top, pt.
    pub y_min: f32,
    /// Right, pt.
    pub x_max: f32,
    /// Bottom, pt.
    pub y_max: f32,
    /// The word.
    pub text: String,
}

fn attr(tag: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    let at = tag.find(&key).unwrap() + key.len();
    tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
}

/// The words of `pdf` with their boxes, and the number of pages.
pub fn words(pdf: &Path) -> (Vec<Word>, usize) {
    let html = tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let mut out = Vec::new();
    let mut page = 0;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        } else if line.starts_with("<word ") {
            let close = line.find('>').unwrap();
            let text = line[close + 1..line.rfind("</word>").unwrap()].replace("&amp;", "&").replace("&quot;", "\"");
            out.push(Word {
                page,
                x_min: attr(line, "xMin"),
                y_min: attr(line, "yMin"),
                x_max: attr(line, "xMax"),
                y_max: attr(line, "yMax"),
                text,
            });
        }
    }
    (out, page)
}

/// The first word equal to `text`.
pub fn find<'a>(words: &'a [Word], text: &str) -> &'a Word {
    words.iter().find(|w| w.text == text).unwrap_or_else(|| panic!("`{text}` not on the page: {words:?}"))
}

/// One millimetre in points.
pub const MM: f32 = 72.0 / 25.4;

/// Every word inside the text area of NĐ 30 (page numbers and page-1 stamps in the top
/// margin) and the page numbers where they belong.
pub fn assert_margins(words: &[Word], pages: usize) {
    for w in words {
        let page_number = w.text.chars().all(|c| c.is_ascii_digit()) && w.y_max < 20.0 * MM;
        let top_stamp = w.page == 1 && w.y_max < 20.0 * MM;
        assert!(w.x_min >= 30.0 * MM - 0.5, "left margin: {w:?}");
        assert!(w.x_max <= 595.28 - 15.0 * MM + 0.5, "right margin: {w:?}");
        assert!(w.y_max <= 841.89 - 20.0 * MM + 0.5, "bottom margin: {w:?}");
        assert!(page_number || top_stamp || w.y_min >= 20.0 * MM - 0.5, "top margin: {w:?}");
    }
    for page in 1..=pages {
        let numbers: Vec<&Word> = words
            .iter()
            .filter(|w| w.page == page && w.y_max < 20.0 * MM && w.text.chars().all(|c| c.is_ascii_digit()))
            .collect();
        if page == 1 {
            assert!(numbers.is_empty(), "no page number on page 1: {numbers:?}");
        } else {
            assert_eq!(numbers.len(), 1, "page {page} shows its number");
            assert_eq!(numbers[0].text, page.to_string());
            let centre = (numbers[0].x_min + numbers[0].x_max) / 2.0;
            let text_centre = 30.0 * MM + (595.28 - 45.0 * MM) / 2.0;
            assert!((centre - text_centre).abs() < 1.0, "page number centred: {centre} vs {text_centre}");
        }
    }
}

#[test]
fn header_columns_number_row_margins_and_signature_positions() {
    let dir = temp_dir("pdf-positions");
    let file = repo().join("tests/fixtures/corpus/ok/state-cong-van-phong-chong-sot-xuat-huyet.json");
    let pdf = dir.join("cv.pdf");
    export(&dir.join("x.db"), &file, &pdf);
    let (words, pages) = words(&pdf);
    assert_margins(&words, pages);

    // Two columns: the issuing body left, the Quốc hiệu right, on the same first line.
    let issuer = find(&words, "ỦY");
    let motto = find(&words, "CỘNG");
    assert!(issuer.x_max < motto.x_min, "issuer left of the Quốc hiệu");
    assert!((issuer.y_max - motto.y_max).abs() < 0.6, "both columns start on the first line");
    let republic_right = find(&words, "NAM").x_max;
    assert!(issuer.x_min < 30.0 * MM + 40.0 && republic_right > 595.28 - 15.0 * MM - 20.0);

    // Số and the date on one baseline (same size in the state ruleset: 13 pt).
    let number = find(&words, "Số:");
    let date = find(&words, "ngày");
    assert!((number.y_max - date.y_max).abs() < 0.3, "{number:?} {date:?}");
    assert!(number.x_max < date.x_min);

    // Nơi nhận level with the signer's authority line (`KT. CHỦ TỊCH`).
    let recipients = find(&words, "Nơi");
    let authority = find(&words, "KT.");
    assert_eq!(recipients.page, authority.page);
    let baseline = |w: &Word, size: f32| w.y_max - 0.216 * size;
    assert!((baseline(recipients, 12.0) - baseline(authority, 14.0)).abs() < 1.0, "{recipients:?} {authority:?}");
    assert!(recipients.x_max < authority.x_min);
    preflight(&dir, &[pdf.display().to_string()]);
}

#[test]
fn a_twenty_page_document_flows_with_page_numbers_and_no_orphaned_signature() {
    let dir = temp_dir("pdf-long");
    let source = repo().join("tests/fixtures/corpus/ok/state-quyet-dinh-ban-hanh-quy-che-he-thong-dieu-hanh.json");
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(source).unwrap()).unwrap();
    let paragraph = "Cơ quan, đơn vị có trách nhiệm cập nhật đầy đủ, kịp thời văn bản đi, văn bản đến, hồ sơ công việc trên Hệ thống quản lý văn bản và điều hành; bảo đảm thông tin chính xác, đúng thời hạn, đúng thẩm quyền và đúng thể thức theo quy định của pháp luật về công tác văn thư.";
    let mut body = Vec::new();
    for n in 1..=60 {
        body.push(serde_json::json!({"kind": "article", "label": format!("Điều {n}."), "title": format!("Trách nhiệm số {n}"), "text": null}));
        for _ in 0..3 {
            body.push(serde_json::json!({"kind": "paragraph", "label": null, "title": null, "text": paragraph}));
        }
    }
    doc["body"] = serde_json::Value::Array(body);
    let file = dir.join("long.json");
    std::fs::write(&file, serde_json::to_string(&doc).unwrap()).unwrap();
    let pdf = dir.join("long.pdf");
    export(&dir.join("x.db"), &file, &pdf);
    let (words, pages) = words(&pdf);
    assert!(pages >= 20, "{pages} pages");
    assert_margins(&words, pages);
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert_eq!(info_field(&info, "Pages:"), pages.to_string());

    // The signature block shares its page with the end of the text.
    let heading = find(&words, "Nơi");
    let above =
        words.iter().filter(|w| w.page == heading.page && w.y_min > 20.0 * MM && w.y_max < heading.y_min).count();
    assert!(above >= 5, "text above the signature block on page {}", heading.page);
    // No article heading is the last line of a page.
    for page in 1..pages {
        let last = words.iter().filter(|w| w.page == page).max_by(|a, b| a.y_max.total_cmp(&b.y_max)).unwrap();
        let line: Vec<&str> = words
            .iter()
            .filter(|w| w.page == page && (w.y_max - last.y_max).abs() < 0.5)
            .map(|w| w.text.as_str())
            .collect();
        assert!(line.first() != Some(&"Điều"), "a heading ends page {page}: {line:?}");
    }
    // Every article survives, in order.
    let text = collapse(&tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]));
    let mut from = 0;
    for n in 1..=60 {
        let label = format!("Điều {n}. Trách nhiệm số {n}");
        from += text[from..].find(&label).unwrap_or_else(|| panic!("{label} missing"));
    }
    preflight(&dir, &[pdf.display().to_string()]);
}

#[test]
fn party_header_and_draft_mark() {
    let dir = temp_dir("pdf-party");
    let file = repo().join("tests/fixtures/corpus/ok/party-quyet-dinh-chuan-y-chi-uy-truong-thcs.json");
    let pdf = dir.join("party.pdf");
    export(&dir.join("x.db"), &file, &pdf);
    let text = collapse(&tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]));
    assert!(text.contains("ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert!(text.contains("Số 145-QĐ/ĐU"));
    assert!(text.contains("T/M BAN THƯỜNG VỤ") || text.contains("T/M"));
    assert!(!text.contains("DỰ THẢO"), "an issued document is not a draft");
    let (words, _) = words(&pdf);
    let star = find(&words, "*");
    let issuer = find(&words, "ĐẢNG");
    assert!(star.x_max < 595.28 / 2.0 && star.y_min > issuer.y_max, "the asterisk under the issuing body");

    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    doc["number"] = serde_json::Value::Null;
    doc["date"] = serde_json::Value::Null;
    let draft = dir.join("draft.json");
    std::fs::write(&draft, doc.to_string()).unwrap();
    let draft_pdf = dir.join("draft.pdf");
    export(&dir.join("x.db"), &draft, &draft_pdf);
    let text = collapse(&tool("pdftotext", &["-raw", draft_pdf.to_str().unwrap(), "-"]));
    assert!(text.contains("DỰ THẢO"), "a draft carries the mark: {text}");
    preflight(&dir, &[pdf.display().to_string(), draft_pdf.display().to_string()]);
}

#[test]
fn registers_print_as_landscape_tables() {
    let dir = temp_dir("pdf-register");
    let db = dir.join("demo.db");
    ok(vanthu(&db, &["demo"]));
    for (which, title) in [("outgoing", "SỔ ĐĂNG KÝ VĂN BẢN ĐI"), ("incoming", "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN")]
    {
        let pdf = dir.join(format!("{which}.pdf"));
        ok(vanthu(&db, &["register", which, "--year", "2026", "--pdf", pdf.to_str().unwrap()]));
        let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
        assert_eq!(page_size(&info), (841.89, 595.28), "{info}");
        let text = collapse(&tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]));
        assert!(text.contains(title), "{text}");
        assert!(text.contains("Tên loại và trích yếu"), "{text}");
    }
    let written: Vec<String> =
        ["outgoing", "incoming"].iter().map(|w| dir.join(format!("{w}.pdf")).display().to_string()).collect();
    preflight(&dir, &written);
    let bad = vanthu(&db, &["register", "sideways", "--pdf", dir.join("x.pdf").to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
}
