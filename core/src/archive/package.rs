//! Archive packages (gói nộp lưu) of a closed dossier, a plain directory or a `.zip`
//! file with the same members:
//!
//! ```text
//! manifest.json                 format, dossier, SHA-256 and size of every other file
//! dossier.json                  Phụ lục VI file metadata + agency, closing note, index
//! documents/001-<id>/document.json   vanthu.document/1, byte-identical to the database
//! documents/001-<id>/metadata.json   Phụ lục VI document metadata
//! documents/001-<id>/report.json     the 4-đúng findings (as `vanthu check --json`)
//! documents/001-<id>/document.pdf    PDF/A rendering, when a renderer is given
//! documents/001-<id>/signed.pdf      the digitally signed original, if any
//! documents/001-<id>/attachments/01-<name>   files delivered with it (agency-signed)
//! incoming/001-<id>.json        incoming records (metadata of văn bản đến)
//! incoming/001-<id>/files.json  the letter's received files: name, kind, media type,
//!                               SHA-256, size, the check made (signatures, scan)
//! incoming/001-<id>/file-01.pdf each received file's bytes (`file-NN.<ext>`)
//! audit.jsonl                   audit events of the dossier and its documents
//! ```
//!
//! [`verify_package`] needs nothing but the package: it recomputes every hash and
//! names each altered, damaged, missing or unlisted file (and, in a zip, every member
//! whose name would leave the package).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::container::{ReadError, Sink, Source, is_zip};
use crate::model::{Document, Incoming, IndexEntry, OutgoingState};
use crate::rules::{CheckContext, check};
use crate::ruleset::Ruleset;
use crate::store::{ArchivedAgency, ArchivedDossier, Store, StoreError};

/// The format identifier written in every manifest: version 2 adds the files of
/// incoming letters (`incoming/NNN-<id>/`).
pub const FORMAT: &str = "vanthu.archive/2";

/// The formats read: version 1 (no received files) and version 2.
const READ_FORMATS: [&str; 2] = ["vanthu.archive/1", FORMAT];

/// A received file as listed in `incoming/NNN-<id>/files.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PackagedFile {
    /// Its member path in the package.
    path: String,
    /// The record.
    #[serde(flatten)]
    file: crate::store::ReceivedFile,
}

/// The member name of a received file: ASCII, numbered, with the media type's
/// extension (the sender's name is in `files.json`, never a path).
fn member_name(position: i64, media_type: &str) -> String {
    let ext = match media_type {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/tiff" => "tif",
        _ => "bin",
    };
    format!("file-{position:02}.{ext}")
}

/// Renders a document as PDF/A bytes (the PDF module's `document_pdf`).
pub type PdfRenderer<'a> = &'a dyn Fn(&Document, &Ruleset) -> Result<Vec<u8>, String>;

/// Errors of packaging, with Vietnamese messages (English in parentheses).
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The store refused or failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A file could not be read or written.
    #[error("lỗi tệp {path}: {source} (I/O error)")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The package or the request is not acceptable.
    #[error("{0}")]
    Invalid(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io { path: path.display().to_string(), source }
}

/// One file listed in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Path inside the package, `/`-separated.
    pub path: String,
    /// SHA-256, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// The package manifest (`manifest.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// When the package was made (RFC 3339).
    pub created_at: String,
    /// The program that made it.
    pub generator: String,
    /// Dossier symbol.
    pub dossier_code: String,
    /// Dossier title.
    pub dossier_title: String,
    /// File plan year.
    pub year: i32,
    /// Number of documents.
    pub documents: usize,
    /// Whether PDF renderings are included.
    pub pdf: bool,
    /// Every other file, sorted by path.
    pub files: Vec<ManifestEntry>,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportReport {
    /// The package directory.
    pub path: PathBuf,
    /// Files written (manifest included).
    pub files: usize,
    /// Documents (outgoing and incoming).
    pub documents: usize,
}

/// One problem found by [`verify_package`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum PackageProblem {
    /// Listed in the manifest, absent from the package.
    Missing {
        /// The file.
        path: String,
    },
    /// Present but its bytes differ from the manifest.
    Altered {
        /// The file.
        path: String,
        /// SHA-256 in the manifest.
        expected: String,
        /// SHA-256 of the file.
        actual: String,
    },
    /// Present but not listed.
    Unlisted {
        /// The file.
        path: String,
    },
    /// A zip member whose data cannot be read back (damaged compressed data or CRC).
    Damaged {
        /// The file.
        path: String,
        /// What the zip reader said.
        reason: String,
    },
    /// A zip member whose name is absolute or climbs out of the package (`..`).
    UnsafePath {
        /// The member name as written in the zip.
        path: String,
    },
    /// A symbolic link in a directory package: never followed.
    Symlink {
        /// The link, relative to the package.
        path: String,
    },
}

impl std::fmt::Display for PackageProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PackageProblem::Missing { path } => write!(f, "thiếu tệp {path} (missing)"),
            PackageProblem::Altered { path, .. } => write!(f, "tệp {path} đã bị thay đổi (altered)"),
            PackageProblem::Unlisted { path } => write!(f, "tệp {path} không có trong manifest (unlisted)"),
            PackageProblem::Damaged { path, reason } => write!(f, "tệp {path} bị hỏng: {reason} (damaged)"),
            PackageProblem::UnsafePath { path } => {
                write!(f, "tệp `{path}` có đường dẫn ra ngoài gói, bị bỏ qua (unsafe path)")
            }
            PackageProblem::Symlink { path } => {
                write!(f, "`{path}` là liên kết tượng trưng, không được theo (symbolic link)")
            }
        }
    }
}

/// The result of a verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Files checked.
    pub checked: usize,
    /// Problems, in path order; empty when the package is intact.
    pub problems: Vec<PackageProblem>,
}

impl VerifyReport {
    /// Whether the package is intact.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
pub(crate) fn sha256_for_tests(bytes: &[u8]) -> String {
    sha256_hex(bytes)
}

/// A package member as pretty JSON ending in a newline. Line endings are LF on
/// every system (Windows included): a package is byte-identical wherever it is
/// written, so its SHA-256 manifest and anchors compare across systems.
fn pretty<T: Serialize>(value: &T) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(value).expect("package values serialise");
    text.push('\n');
    text.into_bytes()
}

/// The Phụ lục VI metadata of a dossier, with what Vanthu needs to restore it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DossierFile {
    file_code: FileCode,
    title: String,
    maintenance: String,
    rights: String,
    creator: String,
    language: String,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    doc_total: i64,
    page_total: Option<i64>,
    description: Option<String>,
    #[serde(rename = "vanthu")]
    vanthu: DossierExtra,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct FileCode {
    organ_id: String,
    file_catalog: i32,
    file_notation: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct DossierExtra {
    agency: ArchivedAgency,
    dossier: crate::model::Dossier,
    document_index: Option<Vec<IndexEntry>>,
}

/// Phụ lục VI metadata of an outgoing document.
fn document_metadata(ordinal: usize, id: i64, state: OutgoingState, hash: &str, d: &Document) -> serde_json::Value {
    serde_json::json!({
        "DocOrdinal": ordinal,
        "TypeName": crate::ruleset::kind_name(d.family, d.kind.as_str()).unwrap_or(d.kind.as_str()),
        "CodeNumber": d.number,
        "CodeNotation": d.notation,
        "IssuedDate": d.date,
        "OrganName": d.issuer.name,
        "Subject": d.subject,
        "Language": "Tiếng Việt",
        "SignerInfo": { "Position": d.signer.position, "FullName": d.signer.name },
        "To": d.recipients,
        "Priority": d.urgency.map(|u| u.code()),
        "IssuedAmount": d.copies,
        "DueDate": d.due_date,
        "vanthu": { "id": id, "state": state.code(), "content_sha256": hash },
    })
}

/// Writes the archive package of a closed dossier into the directory `out` (which
/// must not exist or be empty), or into the zip file `out` when it ends in `.zip`
/// (which must not exist). Everything is written under a temporary name and renamed
/// at the end, so a failed export leaves nothing half-written.
/// `progress(done, total)` follows the documents.
pub fn export_dossier(
    store: &Store,
    dossier_id: i64,
    out: &Path,
    pdf: Option<PdfRenderer<'_>>,
    today: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ExportReport, ArchiveError> {
    let page = store.dossier_page(dossier_id)?;
    let dossier = &page.dossier;
    if !dossier.closed {
        return Err(ArchiveError::Invalid(format!(
            "hồ sơ {} đang mở: đóng hồ sơ trước khi xuất gói lưu trữ (dossier is open)",
            dossier.code
        )));
    }
    if is_zip(out) {
        return export_zip(store, &page, out, pdf, today, progress);
    }
    if out.exists() && std::fs::read_dir(out).map_err(io(out))?.next().is_some() {
        return Err(ArchiveError::Invalid(format!("thư mục {} đã có dữ liệu (not empty)", out.display())));
    }
    let tmp = out.with_extension(format!("partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = write_package(store, &page, &mut Sink::Dir(tmp.clone()), pdf, today, progress);
    match result {
        Ok(report) => {
            if out.exists() {
                std::fs::remove_dir(out).map_err(io(out))?;
            }
            std::fs::rename(&tmp, out).map_err(io(out))?;
            Ok(ExportReport { path: out.to_owned(), ..report })
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

fn export_zip(
    store: &Store,
    page: &crate::store::DossierPage,
    out: &Path,
    pdf: Option<PdfRenderer<'_>>,
    today: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ExportReport, ArchiveError> {
    if out.exists() {
        return Err(ArchiveError::Invalid(format!("tệp {} đã có (file exists)", out.display())));
    }
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = out.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = Sink::zip(&tmp).and_then(|mut sink| {
        let report = write_package(store, page, &mut sink, pdf, today, progress)?;
        sink.finish()?;
        Ok(report)
    });
    match result.and_then(|report| {
        std::fs::rename(&tmp, out).map_err(io(out))?;
        Ok(report)
    }) {
        Ok(report) => Ok(ExportReport { path: out.to_owned(), ..report }),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn write_package(
    store: &Store,
    page: &crate::store::DossierPage,
    sink: &mut Sink,
    pdf: Option<PdfRenderer<'_>>,
    today: NaiveDate,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ExportReport, ArchiveError> {
    let dossier = &page.dossier;
    let mut files: Vec<ManifestEntry> = Vec::new();
    let mut put = |path: &str, bytes: &[u8]| -> Result<(), ArchiveError> {
        sink.put(path, bytes)?;
        files.push(ManifestEntry { path: path.to_owned(), sha256: sha256_hex(bytes), bytes: bytes.len() as u64 });
        Ok(())
    };
    let agency = store.archived_agency(dossier.agency_id)?;
    let office = store.office_facts()?;
    let calendar = store.work_calendar()?;
    let total = page.documents.len();
    for (i, entry) in page.documents.iter().enumerate() {
        let ordinal = i + 1;
        if entry.item == "incoming" {
            let record = store
                .incoming_record(entry.id)?
                .ok_or_else(|| StoreError::NotFound(format!("văn bản đến #{}", entry.id)))?;
            put(&format!("incoming/{ordinal:03}-{}.json", entry.id), &pretty(&record))?;
            let files = store.archived_files(entry.id)?;
            if !files.is_empty() {
                let dir = format!("incoming/{ordinal:03}-{}", entry.id);
                let mut listed = Vec::new();
                for f in files {
                    let path = format!("{dir}/{}", member_name(f.file.position, &f.file.media_type));
                    put(&path, &f.bytes)?;
                    listed.push(PackagedFile { path, file: f.file });
                }
                put(&format!("{dir}/files.json"), &pretty(&listed))?;
            }
        } else {
            let stored =
                store.document(entry.id)?.ok_or_else(|| StoreError::NotFound(format!("văn bản #{}", entry.id)))?;
            let base = format!("documents/{ordinal:03}-{}", entry.id);
            put(&format!("{base}/document.json"), stored.json.as_bytes())?;
            let meta = document_metadata(ordinal, stored.id, stored.state, &stored.content_hash, &stored.document);
            put(&format!("{base}/metadata.json"), &pretty(&meta))?;
            let ruleset = store.effective_ruleset(stored.document.family)?;
            let ctx = CheckContext { today, office: Some(&office), calendar: &calendar };
            let findings = check(&stored.document, &ruleset, &ctx);
            let report = serde_json::json!({
                "document": format!("{base}/document.json"),
                "ruleset": ruleset.ruleset.id,
                "checked_on": today,
                "findings": findings,
            });
            put(&format!("{base}/report.json"), &pretty(&report))?;
            if let Some(render) = pdf {
                let bytes = render(&stored.document, &ruleset).map_err(|e| {
                    ArchiveError::Invalid(format!("không tạo được PDF của văn bản #{}: {e} (PDF failed)", stored.id))
                })?;
                put(&format!("{base}/document.pdf"), &bytes)?;
            }
            // The digitally signed original and the files delivered with it.
            if let Some(bytes) = store.signed_pdf(stored.id)? {
                put(&format!("{base}/signed.pdf"), &bytes)?;
            }
            for (i, file) in store.delivered_files(stored.id)?.iter().enumerate() {
                put(&format!("{base}/attachments/{:02}-{}", i + 1, file.name), &file.bytes)?;
            }
        }
        progress(ordinal, total);
    }
    let file = DossierFile {
        file_code: FileCode {
            organ_id: agency.abbreviation.clone(),
            file_catalog: dossier.year,
            file_notation: dossier.code.clone(),
        },
        title: dossier.title.clone(),
        maintenance: dossier.retention.label(),
        rights: dossier.rights.clone(),
        creator: dossier.responsible_name.clone().unwrap_or_default(),
        language: dossier.language.clone(),
        start_date: dossier.start_date,
        end_date: dossier.end_date,
        doc_total: dossier.document_count,
        page_total: None,
        description: dossier.description.clone(),
        vanthu: DossierExtra { agency, dossier: dossier.clone(), document_index: page.document_index.clone() },
    };
    put("dossier.json", &pretty(&file))?;
    let mut audit = String::new();
    for event in store.dossier_audit(dossier.id)? {
        audit.push_str(&serde_json::to_string(&event).expect("events serialise"));
        audit.push('\n');
    }
    put("audit.jsonl", audit.as_bytes())?;
    // The exporting database's chain at this moment: `vanthu verify --anchor
    // anchor.json` on that database later proves its history was not cut.
    // Without its clock time, so the same dossier always gives the same package.
    let anchor = crate::store::ChainAnchor { at: String::new(), ..store.anchor()? };
    put("anchor.json", &pretty(&anchor))?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        generator: format!("Vanthu {}", env!("CARGO_PKG_VERSION")),
        dossier_code: dossier.code.clone(),
        dossier_title: dossier.title.clone(),
        year: dossier.year,
        documents: total,
        pdf: pdf.is_some(),
        files,
    };
    let count = manifest.files.len() + 1;
    sink.put("manifest.json", &pretty(&manifest))?;
    Ok(ExportReport { path: PathBuf::new(), files: count, documents: total })
}

fn read_manifest(source: &Source) -> Result<(Manifest, String), ArchiveError> {
    let bytes = match source.read("manifest.json") {
        Ok(bytes) => bytes,
        Err(ReadError::Missing) => {
            return Err(ArchiveError::Invalid("gói không có manifest.json (not a package)".into()));
        }
        Err(ReadError::Damaged(why)) => {
            return Err(ArchiveError::Invalid(format!("manifest.json bị hỏng: {why} (damaged manifest)")));
        }
        Err(ReadError::Other(e)) => return Err(e),
    };
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| ArchiveError::Invalid(format!("manifest.json không hợp lệ: {e} (invalid manifest)")))?;
    if !READ_FORMATS.contains(&manifest.format.as_str()) {
        return Err(ArchiveError::Invalid(format!(
            "định dạng gói `{}` không được hỗ trợ; cần {FORMAT} (unsupported format)",
            manifest.format
        )));
    }
    Ok((manifest, sha256_hex(&bytes)))
}

/// Verifies a package (directory or `.zip`) offline: every file listed in the
/// manifest is present with the recorded SHA-256, and no other file is present.
/// Fails only when the package or its manifest cannot be read; otherwise the report
/// names every problem. `progress(done, total)` follows the listed files.
pub fn verify_package(path: &Path, progress: &mut dyn FnMut(usize, usize)) -> Result<VerifyReport, ArchiveError> {
    let source = Source::open(path)?;
    verify_source(&source, &read_manifest(&source)?.0, progress)
}

fn verify_source(
    source: &Source,
    manifest: &Manifest,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<VerifyReport, ArchiveError> {
    let mut problems = Vec::new();
    let total = manifest.files.len();
    if total > super::container::MAX_MEMBERS {
        return Err(ArchiveError::Invalid(format!(
            "manifest.json liệt kê {total} tệp, tối đa {} (too many files)",
            super::container::MAX_MEMBERS
        )));
    }
    let declared = manifest.files.iter().fold(0u64, |sum, e| sum.saturating_add(e.bytes));
    if declared > super::container::MAX_TOTAL {
        return Err(ArchiveError::Invalid(format!(
            "manifest.json khai báo {declared} byte, vượt giới hạn 2 GiB (package too large)"
        )));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, entry) in manifest.files.iter().enumerate() {
        if !seen.insert(entry.path.as_str()) {
            return Err(ArchiveError::Invalid(format!(
                "manifest.json liệt kê hai lần `{}` (duplicate entry)",
                entry.path
            )));
        }
        match source.digest(&entry.path, entry.bytes) {
            Ok((actual, _)) => {
                if actual != entry.sha256 {
                    problems.push(PackageProblem::Altered {
                        path: entry.path.clone(),
                        expected: entry.sha256.clone(),
                        actual,
                    });
                }
            }
            Err(ReadError::Missing) => problems.push(PackageProblem::Missing { path: entry.path.clone() }),
            Err(ReadError::Damaged(reason)) => {
                problems.push(PackageProblem::Damaged { path: entry.path.clone(), reason })
            }
            Err(ReadError::Other(e)) => return Err(e),
        }
        progress(i + 1, total);
    }
    for path in source.names()? {
        if path != "manifest.json" && !seen.contains(path.as_str()) {
            problems.push(PackageProblem::Unlisted { path });
        }
    }
    for path in source.unsafe_names()? {
        problems.push(if source.is_dir() {
            PackageProblem::Symlink { path }
        } else {
            PackageProblem::UnsafePath { path }
        });
    }
    Ok(VerifyReport { checked: total, problems })
}

/// Imports a verified package (directory or `.zip`) into `store` (lưu trữ): the dossier comes back closed
/// and read-only with byte-identical documents. A package with any problem is
/// refused with the problems named. Returns the new dossier id.
pub fn import_package(
    store: &mut Store,
    actor: &crate::Actor,
    path: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<i64, ArchiveError> {
    let source = Source::open(path)?;
    let (manifest, manifest_sha256) = read_manifest(&source)?;
    let report = verify_source(&source, &manifest, progress)?;
    if !report.ok() {
        let list: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        return Err(ArchiveError::Invalid(format!(
            "gói lưu trữ không toàn vẹn, không nhập: {} (package failed verification)",
            list.join("; ")
        )));
    }
    let read = |name: &str| source.read_text(name);
    let file: DossierFile = serde_json::from_str(&read("dossier.json")?)
        .map_err(|e| ArchiveError::Invalid(format!("dossier.json không hợp lệ: {e}")))?;
    let mut documents = Vec::new();
    let mut incoming: Vec<Incoming> = Vec::new();
    let mut incoming_files = Vec::new();
    let mut signed_pdfs = Vec::new();
    let mut delivered_files = Vec::new();
    for entry in &manifest.files {
        if entry.path.starts_with("documents/") && entry.path.ends_with("/document.json") {
            let json = read(&entry.path)?;
            let meta: serde_json::Value =
                serde_json::from_str(&read(&entry.path.replace("/document.json", "/metadata.json"))?)
                    .map_err(|e| ArchiveError::Invalid(format!("metadata của {}: {e}", entry.path)))?;
            let state =
                meta["vanthu"]["state"].as_str().and_then(OutgoingState::from_code).unwrap_or(OutgoingState::Filed);
            documents.push((json, state));
            // The signed original, if the package has one: the package's own audit
            // trail must name it (its signing or sealing event gives its SHA-256).
            let signed_path = entry.path.replace("/document.json", "/signed.pdf");
            let signed = match manifest.files.iter().find(|e| e.path == signed_path) {
                Some(listed) => {
                    let audit = read("audit.jsonl")?;
                    if !audit.contains(&format!("SHA-256 {}", listed.sha256)) {
                        return Err(ArchiveError::Invalid(format!(
                            "{signed_path}: nhật ký trong gói không ghi SHA-256 của PDF ký số này; không nhập (signed PDF not in the package's audit trail)"
                        )));
                    }
                    match source.read(&signed_path) {
                        Ok(bytes) => Some(bytes),
                        Err(ReadError::Other(e)) => return Err(e),
                        Err(ReadError::Missing | ReadError::Damaged(_)) => {
                            return Err(ArchiveError::Invalid(format!(
                                "không đọc được {signed_path} (unreadable member)"
                            )));
                        }
                    }
                }
                None => None,
            };
            signed_pdfs.push(signed);
            let base = entry.path.trim_end_matches("/document.json");
            delivered_files.push(packaged_attachments(&source, &manifest, base, &read("audit.jsonl")?)?);
        } else if let Some(stem) = entry.path.strip_prefix("incoming/").and_then(|p| p.strip_suffix(".json"))
            && !stem.contains('/')
        {
            incoming.push(
                serde_json::from_str(&read(&entry.path)?)
                    .map_err(|e| ArchiveError::Invalid(format!("{}: {e}", entry.path)))?,
            );
            incoming_files.push(packaged_files(&source, &manifest, stem)?);
        }
    }
    let archived = ArchivedDossier {
        agency: file.vanthu.agency,
        dossier: file.vanthu.dossier,
        document_index: file.vanthu.document_index,
        documents,
        incoming,
        incoming_files,
        signed_pdfs,
        delivered_files,
        audit_jsonl: read("audit.jsonl")?,
        manifest_sha256,
    };
    Ok(store.import_archived_dossier(actor, &archived, chrono::Local::now())?)
}

/// The files delivered with the document under `base` (`documents/NNN-<id>`), in
/// the package's order, each named by the package's own audit trail (the event
/// that attached or signed it gives its SHA-256): a file slipped into a package
/// with a recomputed manifest is refused.
fn packaged_attachments(
    source: &Source,
    manifest: &Manifest,
    base: &str,
    audit: &str,
) -> Result<Vec<crate::store::DeliveredFile>, ArchiveError> {
    let prefix = format!("{base}/attachments/");
    let mut listed: Vec<&ManifestEntry> = manifest.files.iter().filter(|e| e.path.starts_with(&prefix)).collect();
    listed.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out = Vec::new();
    for entry in listed {
        if !audit.contains(&format!("SHA-256 {}", entry.sha256)) {
            return Err(ArchiveError::Invalid(format!(
                "{}: nhật ký trong gói không ghi SHA-256 của tệp này; không nhập (attachment not in the package's audit trail)",
                entry.path
            )));
        }
        let file = &entry.path[prefix.len()..];
        let name = file.split_once('-').filter(|(n, _)| n.bytes().all(|b| b.is_ascii_digit())).map_or(file, |(_, n)| n);
        let bytes = match source.read(&entry.path) {
            Ok(bytes) => bytes,
            Err(ReadError::Other(e)) => return Err(e),
            Err(ReadError::Missing | ReadError::Damaged(_)) => {
                return Err(ArchiveError::Invalid(format!("không đọc được {} (unreadable member)", entry.path)));
            }
        };
        out.push(crate::store::DeliveredFile { name: name.to_owned(), bytes });
    }
    Ok(out)
}

/// The received files of the letter `incoming/<stem>.json`, read from
/// `incoming/<stem>/files.json` and the members it lists (already verified against
/// the manifest); none when the package has no such list.
fn packaged_files(
    source: &Source,
    manifest: &Manifest,
    stem: &str,
) -> Result<Vec<crate::store::ArchivedFile>, ArchiveError> {
    let list = format!("incoming/{stem}/files.json");
    if !manifest.files.iter().any(|e| e.path == list) {
        return Ok(Vec::new());
    }
    let listed: Vec<PackagedFile> = serde_json::from_str(&source.read_text(&list)?)
        .map_err(|e| ArchiveError::Invalid(format!("{list} không hợp lệ: {e} (invalid file list)")))?;
    let mut out = Vec::new();
    for p in listed {
        let entry = manifest.files.iter().find(|e| e.path == p.path).ok_or_else(|| {
            ArchiveError::Invalid(format!("{list} nêu tệp {} không có trong manifest (unlisted file)", p.path))
        })?;
        if entry.sha256 != p.file.sha256 || !p.path.starts_with(&format!("incoming/{stem}/")) {
            return Err(ArchiveError::Invalid(format!(
                "{list}: SHA-256 của {} khác manifest (file list and manifest disagree)",
                p.path
            )));
        }
        let bytes = match source.read(&p.path) {
            Ok(bytes) => bytes,
            Err(ReadError::Other(e)) => return Err(e),
            Err(ReadError::Missing | ReadError::Damaged(_)) => {
                return Err(ArchiveError::Invalid(format!("không đọc được {} (unreadable member)", p.path)));
            }
        };
        out.push(crate::store::ArchivedFile { file: p.file, bytes });
    }
    Ok(out)
}
