//! PDF export speed: a 2-page quyết định rendered in process (layout + PDF/A-1b with
//! font subsetting), against LibreOffice converting the same text from a flat ODT file
//! (`libreoffice --headless --convert-to pdf`). Prints both times and the ratio
//! (target: at least 100× faster and under 10 ms in process).
//!
//! Run with `cargo bench -p vanthu-core --bench pdf`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use vanthu_core::exchange::parse_document;
use vanthu_core::model::{Block, BlockKind, Document};
use vanthu_core::pdf::{document_pdf, layout_document};
use vanthu_core::ruleset::default_ruleset;

fn two_page_decision() -> Result<Document, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/corpus/ok/state-quyet-dinh-ban-hanh-quy-che-he-thong-dieu-hanh.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut doc = parse_document(&text).map_err(|e| e.to_string())?;
    let ruleset = default_ruleset(doc.family);
    let filler = "Các cơ quan, đơn vị, địa phương có trách nhiệm triển khai thực hiện nghiêm túc, bảo đảm đúng thời hạn, đúng thẩm quyền và đúng thể thức theo quy định.";
    while layout_document(&doc, ruleset).pages.len() < 2 {
        doc.body.push(Block::text(BlockKind::Paragraph, filler));
    }
    Ok(doc)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The same text as a flat ODT document.
fn flat_odt(doc: &Document) -> String {
    let mut paragraphs = vec![
        doc.issuer.name.clone(),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
        "Độc lập - Tự do - Hạnh phúc".into(),
    ];
    paragraphs.extend(doc.subject.clone());
    paragraphs.extend(doc.bases.iter().cloned());
    for block in &doc.body {
        paragraphs.push(format!(
            "{} {}",
            block.label.clone().unwrap_or_default(),
            block.text.clone().unwrap_or_default()
        ));
    }
    paragraphs.push(doc.signer.position.clone());
    paragraphs.push(doc.signer.name.clone());
    paragraphs.extend(doc.recipients.iter().cloned());
    let body: String =
        paragraphs.iter().map(|p| format!("<text:p text:style-name=\"P\">{}</text:p>\n", escape(p))).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
<style:style style:name="P" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:text-indent="1cm" fo:margin-bottom="6pt"/><style:text-properties style:font-name="Liberation Serif" fo:font-size="14pt"/></style:style>
</office:automatic-styles>
<office:body><office:text>
{body}</office:text></office:body></office:document>
"#
    )
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let doc = match two_page_decision() {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("cannot load the fixture: {e}");
            std::process::exit(1);
        }
    };
    let ruleset = default_ruleset(doc.family);
    let pages = layout_document(&doc, ruleset).pages.len();
    let mut size = 0;
    for _ in 0..5 {
        size = document_pdf(&doc, ruleset).map(|b| b.len()).unwrap_or(0);
    }
    let runs = 50;
    let times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let _ = std::hint::black_box(document_pdf(&doc, ruleset));
            start.elapsed()
        })
        .collect();
    let in_process = median(times);
    let layout_only = median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(layout_document(&doc, ruleset));
                start.elapsed()
            })
            .collect(),
    );
    println!("layout alone: median {:.2} ms", layout_only.as_secs_f64() * 1e3);
    println!(
        "in process: {pages}-page quyết định, {size} bytes, median of {runs}: {:.2} ms",
        in_process.as_secs_f64() * 1e3
    );

    let dir = std::env::temp_dir().join(format!("vanthu-bench-pdf-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let fodt = dir.join("quyet-dinh.fodt");
    if let Err(e) = std::fs::write(&fodt, flat_odt(&doc)) {
        eprintln!("cannot write {}: {e}", fodt.display());
        return;
    }
    let mut office = Vec::new();
    for _ in 0..2 {
        let start = Instant::now();
        let status = Command::new("libreoffice")
            .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
            .arg(&dir)
            .arg(&fodt)
            .env("HOME", &dir)
            .output();
        match status {
            Ok(out) if out.status.success() && dir.join("quyet-dinh.pdf").exists() => office.push(start.elapsed()),
            Ok(out) => {
                println!("libreoffice failed: {}", String::from_utf8_lossy(&out.stderr));
                return;
            }
            Err(e) => {
                println!("libreoffice is not installed ({e}); install libreoffice-writer-nogui to compare");
                return;
            }
        }
    }
    let best = office.iter().min().copied().unwrap_or_default();
    println!("libreoffice --headless --convert-to pdf (flat ODT, best of 2): {:.0} ms", best.as_secs_f64() * 1e3);
    println!("ratio: {:.0}× faster in process", best.as_secs_f64() / in_process.as_secs_f64().max(1e-9));
    let _ = std::fs::remove_dir_all(&dir);
}
