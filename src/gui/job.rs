//! Long work (verification, exports, archive packages, backups) run off the UI
//! thread on its own database connection. The worker reports its progress as it
//! goes; the shell shows a progress bar meanwhile.

use std::path::{Path, PathBuf};

use vanthu_core::Store;
use vanthu_core::archive::package;

/// A piece of long work. A `None` destination or source is asked for with a file
/// dialog on the worker thread; tests pass one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Verify the audit chain, content hashes and signatures.
    Verify,
    /// Export an outgoing document to PDF.
    ExportPdf {
        /// The document.
        id: i64,
        /// Where to write it.
        to: Option<PathBuf>,
    },
    /// Print the outgoing (false) or incoming (true) register of a year to PDF.
    RegisterPdf {
        /// Incoming register.
        incoming: bool,
        /// The agency whose book it is.
        agency: i64,
        /// Year.
        year: i32,
        /// Where to write it.
        to: Option<PathBuf>,
    },
    /// Write the archive package of a closed dossier: a `.zip` file, or a new
    /// directory for any other name.
    ArchiveExport {
        /// The dossier.
        dossier_id: i64,
        /// Its symbol, for the file name.
        code: String,
        /// The file or directory to create.
        to: Option<PathBuf>,
    },
    /// Verify an archive package offline.
    ArchiveVerify {
        /// The package (a `.zip` file or a directory).
        from: Option<PathBuf>,
        /// Ask for a `.zip` file (else a directory).
        zip: bool,
    },
    /// Back the database up.
    Backup {
        /// The backup file.
        to: Option<PathBuf>,
        /// Who backs up (audited).
        by: Box<vanthu_core::Actor>,
    },
    /// Save a file received with an incoming letter (issue #16).
    SaveIncomingFile {
        /// The letter.
        incoming: i64,
        /// The file's number on the letter.
        position: i64,
        /// The suggested (sanitised) file name.
        name: String,
        /// Who saves it (must be allowed to see the letter).
        by: Box<vanthu_core::Actor>,
        /// Where to write it.
        to: Option<PathBuf>,
    },
    /// Attach a file to a draft: an appendix in a separate file or a supporting
    /// document (issue #16, item 4); the agency signs it at issue.
    AttachToDraft {
        /// The draft.
        id: i64,
        /// Appendix or supporting document.
        kind: vanthu_core::store::AttachmentKind,
        /// The drafter (the core checks that they may).
        by: Box<vanthu_core::Actor>,
        /// The file to attach.
        from: Option<PathBuf>,
    },
    /// Add a received file to an incoming letter (the văn thư): the letter's PDF,
    /// a scan of the paper letter or an attachment; it is checked on receipt.
    AttachToIncoming {
        /// The letter.
        incoming: i64,
        /// What the file is (`None`: guessed from its content).
        kind: Option<vanthu_core::received::FileKind>,
        /// The văn thư.
        by: Box<vanthu_core::Actor>,
        /// The file to add.
        from: Option<PathBuf>,
    },
    /// Open a file received with a letter in the system's viewer (a private copy
    /// in the temporary folder; nothing is written when no viewer can start).
    OpenIncomingFile {
        /// The letter.
        incoming: i64,
        /// The file's number on the letter.
        position: i64,
        /// The suggested (sanitised) file name.
        name: String,
        /// Who opens it (must be allowed to see the letter).
        by: Box<vanthu_core::Actor>,
    },
    /// Choose the signing key's file for the signing dialog: a PKCS #12 file or a
    /// PKCS #11 module.
    PickKeyFile {
        /// A PKCS #11 module (else a PKCS #12 file).
        pkcs11: bool,
        /// The file chosen.
        from: Option<PathBuf>,
    },
    /// Replace the database with a verified backup (administrator; never a
    /// rollback from the window: that needs `vanthu restore --allow-rollback`).
    Restore {
        /// The backup file.
        from: Option<PathBuf>,
        /// The administrator.
        by: Box<vanthu_core::Actor>,
    },
}

/// What the in-app file dialog asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAsk {
    /// A file to write, with this extension (empty: any).
    Save {
        /// The dialog's title.
        title: &'static str,
        /// The extension added to a name without it.
        extension: &'static str,
    },
    /// An existing file to read, with one of these extensions (empty: any).
    OpenFile {
        /// The dialog's title.
        title: &'static str,
        /// The files listed have one of these extensions, comma-separated (`p12,pfx`).
        extension: &'static str,
    },
    /// An existing folder to read.
    OpenFolder {
        /// The dialog's title.
        title: &'static str,
    },
}

impl Job {
    /// What the in-app file dialog asks for this job: where to write, or which file
    /// or folder to read.
    pub fn file_ask(&self) -> FileAsk {
        match self {
            Job::ExportPdf { .. } => FileAsk::Save { title: "Xuất PDF", extension: "pdf" },
            Job::RegisterPdf { .. } => FileAsk::Save { title: "In sổ đăng ký ra PDF", extension: "pdf" },
            Job::ArchiveExport { .. } => FileAsk::Save { title: "Ghi gói lưu trữ", extension: "" },
            Job::Backup { .. } => FileAsk::Save { title: "Sao lưu cơ sở dữ liệu", extension: "db" },
            Job::ArchiveVerify { zip: true, .. } => {
                FileAsk::OpenFile { title: "Chọn gói lưu trữ .zip", extension: "zip" }
            }
            Job::ArchiveVerify { zip: false, .. } => FileAsk::OpenFolder { title: "Chọn thư mục gói lưu trữ" },
            Job::Restore { .. } => {
                FileAsk::OpenFile { title: "Chọn bản sao lưu để khôi phục", extension: "db" }
            }
            Job::SaveIncomingFile { .. } => FileAsk::Save { title: "Lưu tệp nhận kèm", extension: "" },
            Job::Verify => FileAsk::OpenFile { title: "Chọn tệp", extension: "" },
            Job::AttachToDraft { .. } => FileAsk::OpenFile { title: "Chọn tệp đính kèm", extension: "" },
            Job::AttachToIncoming { .. } => FileAsk::OpenFile { title: "Chọn tệp nhận kèm", extension: "" },
            Job::OpenIncomingFile { .. } => FileAsk::OpenFile { title: "Mở tệp", extension: "" },
            Job::PickKeyFile { pkcs11: false, .. } => {
                FileAsk::OpenFile { title: "Chọn tệp khóa PKCS#12 (.p12, .pfx)", extension: "p12,pfx" }
            }
            Job::PickKeyFile { pkcs11: true, .. } => {
                FileAsk::OpenFile { title: "Chọn thư viện PKCS#11 của thiết bị ký số", extension: "" }
            }
        }
    }

    /// The same job writing to `path`.
    pub fn with_destination(self, path: PathBuf) -> Job {
        match self {
            Job::ExportPdf { id, .. } => Job::ExportPdf { id, to: Some(path) },
            Job::RegisterPdf { incoming, agency, year, .. } => {
                Job::RegisterPdf { incoming, agency, year, to: Some(path) }
            }
            Job::ArchiveExport { dossier_id, code, .. } => Job::ArchiveExport { dossier_id, code, to: Some(path) },
            Job::Backup { by, .. } => Job::Backup { to: Some(path), by },
            Job::SaveIncomingFile { incoming, position, name, by, .. } => {
                Job::SaveIncomingFile { incoming, position, name, by, to: Some(path) }
            }
            Job::ArchiveVerify { zip, .. } => Job::ArchiveVerify { from: Some(path), zip },
            Job::Restore { by, .. } => Job::Restore { from: Some(path), by },
            Job::AttachToDraft { id, kind, by, .. } => Job::AttachToDraft { id, kind, by, from: Some(path) },
            Job::AttachToIncoming { incoming, kind, by, .. } => {
                Job::AttachToIncoming { incoming, kind, by, from: Some(path) }
            }
            Job::PickKeyFile { pkcs11, .. } => Job::PickKeyFile { pkcs11, from: Some(path) },
            job @ (Job::Verify | Job::OpenIncomingFile { .. }) => job,
        }
    }

    /// What the progress indicator says.
    pub fn label(&self) -> &'static str {
        match self {
            Job::Verify => "Đang kiểm tra chuỗi nhật ký…",
            Job::ExportPdf { .. } => "Đang xuất PDF…",
            Job::RegisterPdf { .. } => "Đang in sổ đăng ký ra PDF…",
            Job::ArchiveExport { .. } => "Đang xuất gói lưu trữ…",
            Job::ArchiveVerify { .. } => "Đang kiểm tra gói lưu trữ…",
            Job::Backup { .. } => "Đang sao lưu cơ sở dữ liệu…",
            Job::SaveIncomingFile { .. } => "Đang lưu tệp…",
            Job::Restore { .. } => "Đang kiểm tra và khôi phục bản sao lưu…",
            Job::AttachToDraft { .. } | Job::AttachToIncoming { .. } => "Đang đính kèm tệp…",
            Job::OpenIncomingFile { .. } => "Đang mở tệp…",
            Job::PickKeyFile { .. } => "Đang chọn tệp…",
        }
    }
}

/// The result of a job, ready to travel in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    /// `Ok(None)`: everything verifies; `Ok(Some(where))`: the first broken link.
    Verified(Result<Option<String>, String>),
    /// A file or directory was written: `Ok(Some(what))` says what and where,
    /// `Ok(None)`: the dialog was cancelled.
    Written(Result<Option<String>, String>),
    /// A package was verified: `Ok(Some((package, problems)))`, empty problems when
    /// intact; `Ok(None)`: the dialog was cancelled.
    PackageChecked(Result<Option<(String, Vec<String>)>, String>),
    /// `Ok(true)`: the database was replaced by the backup; `Ok(false)`: cancelled.
    Restored(Result<bool, String>),
    /// A file was attached (to a draft or a letter): `Ok(Some(what))`, or why not;
    /// `Ok(None)`: the dialog was cancelled. The page reloads to show it.
    Attached(Result<Option<String>, String>),
    /// A file was chosen for the page (the signing key): `None` when cancelled.
    Picked(Option<PathBuf>),
    /// The system's file dialog could not open: ask with the in-app dialog, then run
    /// the job again with the file or folder chosen (the suggested file name, empty
    /// when a file is to be opened).
    AskPath(Box<Job>, String),
}

/// What a running job reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `done` of `total` steps.
    Progress(u64, u64),
    /// Finished.
    Done(Done),
}

/// The PDF of a stored document.
fn pdf_of(store: &Store, id: i64) -> Result<Vec<u8>, String> {
    let stored = store.document(id).map_err(|e| e.to_string())?.ok_or_else(|| format!("Không có văn bản #{id}."))?;
    let ruleset = store.effective_ruleset(stored.document.family).map_err(|e| e.to_string())?;
    vanthu_core::pdf::document_pdf_in_state(&stored.document, &ruleset, stored.state).map_err(|e| e.to_string())
}

/// The printed register of one agency's book for a year.
fn register_of(store: &Store, incoming: bool, agency_id: i64, year: i32) -> Result<Vec<u8>, String> {
    use vanthu_core::pdf::register;
    let agency = store.agency(agency_id).map_err(|e| e.to_string())?.map(|a| a.name).unwrap_or_default();
    let table = if incoming {
        let rows = store.incoming_register(year, Some(agency_id)).map_err(|e| e.to_string())?;
        register::incoming_table(&agency, year, &rows)
    } else {
        let rows = store.outgoing_register(year, Some(agency_id)).map_err(|e| e.to_string())?;
        register::outgoing_table(&agency, year, &rows)
    };
    register::register_pdf(&table).map_err(|e| e.to_string())
}

fn logged(context: &str) -> impl Fn(String) -> String + '_ {
    move |e| {
        eprintln!("vanthu: {context} failed: {e}");
        e
    }
}

/// Where a job writes.
enum Destination {
    /// This file or directory.
    Path(PathBuf),
    /// The user cancelled the system dialog.
    Cancelled,
    /// No system dialog could open: the in-app dialog asks, with this file name.
    AskInApp(String),
}

/// Set to force the in-app save dialog (`VANTHU_FILE_DIALOG=app`), e.g. on a desktop
/// whose portal shows nothing.
fn in_app_forced() -> bool {
    std::env::var("VANTHU_FILE_DIALOG").is_ok_and(|v| v.eq_ignore_ascii_case("app"))
}

/// A dialog that closes faster than a person can press Cancel never showed (rfd
/// returns `None` both when the user cancels and when no portal or GTK answered).
const NEVER_SHOWN: std::time::Duration = std::time::Duration::from_millis(400);

/// The given destination, else the system's save dialog, else the in-app dialog.
fn save_path(given: &Option<PathBuf>, dialogs: bool, title: &str, filter: (&str, &str), name: String) -> Destination {
    if let Some(path) = given {
        return Destination::Path(path.clone());
    }
    if !dialogs || in_app_forced() {
        return Destination::AskInApp(name);
    }
    let started = std::time::Instant::now();
    let mut dialog = rfd::FileDialog::new().set_title(title).add_filter(filter.0, &[filter.1]).set_file_name(&name);
    if let Some(folder) = crate::gui::file_names::last_folder() {
        dialog = dialog.set_directory(folder);
    }
    match dialog.save_file() {
        Some(path) => {
            crate::gui::file_names::remember_folder_of(&path);
            Destination::Path(path)
        }
        None if started.elapsed() < NEVER_SHOWN => {
            eprintln!("vanthu: the system file dialog did not open; using the in-app dialog");
            Destination::AskInApp(name)
        }
        None => Destination::Cancelled,
    }
}

/// The given source, else the system's open dialog, else the in-app dialog.
fn open_path(given: &Option<PathBuf>, dialogs: bool, ask: FileAsk) -> Destination {
    if let Some(path) = given {
        return Destination::Path(path.clone());
    }
    if !dialogs || in_app_forced() {
        return Destination::AskInApp(String::new());
    }
    let started = std::time::Instant::now();
    let chosen = match ask {
        FileAsk::OpenFolder { title } => rfd::FileDialog::new().set_title(title).pick_folder(),
        FileAsk::OpenFile { title, extension } if !extension.is_empty() => {
            let extensions: Vec<&str> = extension.split(',').collect();
            rfd::FileDialog::new().set_title(title).add_filter(extension.to_uppercase(), &extensions).pick_file()
        }
        FileAsk::OpenFile { title, .. } | FileAsk::Save { title, .. } => {
            rfd::FileDialog::new().set_title(title).pick_file()
        }
    };
    match chosen {
        Some(path) => Destination::Path(path),
        None if started.elapsed() < NEVER_SHOWN => {
            eprintln!("vanthu: the system file dialog did not open; using the in-app dialog");
            Destination::AskInApp(String::new())
        }
        None => Destination::Cancelled,
    }
}

/// The destination's path, or what the job reports instead (cancelled, or ask in
/// the window).
fn chosen(job: &Job, destination: Destination) -> Result<PathBuf, Done> {
    match destination {
        Destination::Path(path) => Ok(path),
        Destination::Cancelled => Err(Done::Written(Ok(None))),
        Destination::AskInApp(name) => Err(Done::AskPath(Box::new(job.clone()), name)),
    }
}

fn write_file(store: &Store, path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(db) = store.path() {
        vanthu_core::store::refuse_database_target(db, path).map_err(|e| crate::gui::session::sentence(&e))?;
    }
    let tmp = partial_path(path);
    vanthu_core::private_fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path)).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        eprintln!("vanthu: cannot write {}: {e}", path.display());
        format!("Không ghi được {}: {e}", path.display())
    })
}

/// The hidden file a write goes to before it is renamed into place
/// (`.<name>.vanthu-<pid>.partial`, beside the target). The leftovers of a write
/// killed before its rename (another process id) are removed first, so a killed
/// export leaves nothing behind for long.
pub(super) fn partial_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let prefix = format!(".{name}.vanthu-");
    let ours = format!("{prefix}{}.partial", std::process::id());
    if let Ok(entries) = std::fs::read_dir(folder) {
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let stale = file.starts_with(&prefix) && file.ends_with(".partial") && file != ours;
            if stale && entry.file_type().is_ok_and(|t| t.is_file()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    folder.join(ours)
}

/// A package name from a dossier symbol (`01.TH` → `ho-so-01.TH`).
fn package_name(code: &str) -> String {
    let safe: String =
        code.chars().map(|c| if c.is_alphanumeric() || c == '.' || c == '-' { c } else { '-' }).collect();
    format!("ho-so-{safe}")
}

/// Runs `job` on `store` (a connection of its own when on a worker), reporting
/// progress. Without `dialogs` (tests, headless) a missing destination or source is
/// asked with the in-app dialog ([`Done::AskPath`]).
pub fn run(job: &Job, store: &mut Store, dialogs: bool, progress: &mut dyn FnMut(u64, u64)) -> Done {
    match job {
        Job::Verify => Done::Verified(store.verify().map_err(|e| e.to_string()).map_err(logged("verify"))),
        Job::ExportPdf { id, to } => {
            let bytes = match pdf_of(store, *id) {
                Ok(bytes) => bytes,
                Err(e) => return Done::Written(Err(e)),
            };
            let name = match store.document(*id) {
                Ok(Some(stored)) => crate::gui::file_names::pdf_file_name(&stored.document, *id),
                _ => format!("van-ban-{id}.pdf"),
            };
            let path = match chosen(job, save_path(to, dialogs, "Xuất PDF", ("PDF", "pdf"), name)) {
                Ok(path) => path,
                Err(done) => return done,
            };
            Done::Written(write_file(store, &path, &bytes).map(|()| Some(format!("Đã xuất PDF: {}", path.display()))))
        }
        Job::RegisterPdf { incoming, agency, year, to } => {
            let bytes = match register_of(store, *incoming, *agency, *year).map_err(logged("register pdf")) {
                Ok(bytes) => bytes,
                Err(e) => return Done::Written(Err(e)),
            };
            let name = format!("so-van-ban-{}-{year}.pdf", if *incoming { "den" } else { "di" });
            let path = match chosen(job, save_path(to, dialogs, "In sổ đăng ký ra PDF", ("PDF", "pdf"), name)) {
                Ok(path) => path,
                Err(done) => return done,
            };
            Done::Written(
                write_file(store, &path, &bytes).map(|()| Some(format!("Đã in sổ ra PDF: {}", path.display()))),
            )
        }
        Job::ArchiveExport { dossier_id, code, to } => {
            let name = format!("{}.zip", package_name(code));
            let dir = match chosen(job, save_path(to, dialogs, "Ghi gói lưu trữ", ("Gói lưu trữ ZIP", "zip"), name))
            {
                Ok(path) => path,
                Err(done) => return done,
            };
            Done::Written((|| {
                let today = chrono::Local::now().date_naive();
                let pdf = |d: &vanthu_core::model::Document, r: &vanthu_core::ruleset::Ruleset| {
                    vanthu_core::pdf::document_pdf(d, r).map_err(|e| e.to_string())
                };
                let report =
                    package::export_dossier(store, *dossier_id, &dir, Some(&pdf), today, &mut |done, total| {
                        progress(done as u64, total as u64)
                    })
                    .map_err(|e| e.to_string())
                    .map_err(logged("archive export"))?;
                Ok(Some(format!(
                    "Đã xuất gói lưu trữ {}: {} văn bản, {} tệp",
                    report.path.display(),
                    report.documents,
                    report.files
                )))
            })())
        }
        Job::ArchiveVerify { from, .. } => {
            let dir = match open_path(from, dialogs, job.file_ask()) {
                Destination::Path(path) => path,
                Destination::Cancelled => return Done::PackageChecked(Ok(None)),
                Destination::AskInApp(name) => return Done::AskPath(Box::new(job.clone()), name),
            };
            Done::PackageChecked((|| {
                let report = package::verify_package(&dir, &mut |done, total| progress(done as u64, total as u64))
                    .map_err(|e| e.to_string())?;
                let problems = report.problems.iter().map(ToString::to_string).collect();
                Ok(Some((dir.display().to_string(), problems)))
            })())
        }
        Job::Backup { to, by } => {
            let name = format!("vanthu-{}.db", chrono::Local::now().format("%Y-%m-%d"));
            let path = match chosen(job, save_path(to, dialogs, "Sao lưu cơ sở dữ liệu", ("SQLite", "db"), name))
            {
                Ok(path) => path,
                Err(done) => return done,
            };
            // The dialog already asked before replacing an existing file.
            Done::Written(
                store
                    .backup_to(Some(by.as_ref()), &path, true, progress)
                    .map_err(|e| e.to_string())
                    .map_err(logged("backup"))
                    .map(|report| {
                        Some(format!("Đã sao lưu vào {} ({} KB)", report.path.display(), report.bytes / 1024))
                    }),
            )
        }
        Job::SaveIncomingFile { incoming, position, name, by, to } => {
            let bytes = match store.incoming_file(by, *incoming, *position) {
                Ok((_, bytes)) => bytes,
                Err(e) => return Done::Written(Err(crate::gui::session::sentence(&e.to_string()))),
            };
            let ext = name.rsplit_once('.').map_or("*", |(_, e)| e);
            let path = match chosen(job, save_path(to, dialogs, "Lưu tệp nhận kèm", ("Tệp", ext), name.clone()))
            {
                Ok(path) => path,
                Err(done) => return done,
            };
            Done::Written(write_file(store, &path, &bytes).map(|()| Some(format!("Đã lưu tệp: {}", path.display()))))
        }
        Job::AttachToDraft { id, kind, by, from } => {
            let file = match open_path(from, dialogs, job.file_ask()) {
                Destination::Path(path) => path,
                Destination::Cancelled => return Done::Attached(Ok(None)),
                Destination::AskInApp(name) => return Done::AskPath(Box::new(job.clone()), name),
            };
            Done::Attached((|| {
                let (name, bytes) = read_to_attach(&file)?;
                let now = chrono::Local::now();
                let attached = store
                    .attach_to_draft(by, *id, &name, &bytes, *kind, now)
                    .map_err(|e| crate::gui::session::sentence(&e.to_string()))
                    .map_err(logged("attach to draft"))?;
                Ok(Some(format!("Đã đính kèm {} «{}».", attached.kind.label().to_lowercase(), attached.name)))
            })())
        }
        Job::AttachToIncoming { incoming, kind, by, from } => {
            let file = match open_path(from, dialogs, job.file_ask()) {
                Destination::Path(path) => path,
                Destination::Cancelled => return Done::Attached(Ok(None)),
                Destination::AskInApp(name) => return Done::AskPath(Box::new(job.clone()), name),
            };
            Done::Attached((|| {
                let (name, bytes) = read_to_attach(&file)?;
                let new = vanthu_core::store::NewFile { name: name.clone(), bytes, kind: *kind };
                store
                    .attach_incoming_files(by, *incoming, &[new], chrono::Local::now())
                    .map_err(|e| crate::gui::session::sentence(&e.to_string()))
                    .map_err(logged("attach to incoming"))?;
                Ok(Some(format!("Đã thêm tệp «{name}» vào văn bản đến.")))
            })())
        }
        Job::OpenIncomingFile { incoming, position, name, by } => {
            let bytes = match store.incoming_file(by, *incoming, *position) {
                Ok((_, bytes)) => bytes,
                Err(e) => return Done::Written(Err(crate::gui::session::sentence(&e.to_string()))),
            };
            Done::Written(open_copy(name, &bytes, dialogs).map(Some))
        }
        Job::PickKeyFile { from, .. } => match open_path(from, dialogs, job.file_ask()) {
            Destination::Path(path) => Done::Picked(Some(path)),
            Destination::Cancelled => Done::Picked(None),
            Destination::AskInApp(name) => Done::AskPath(Box::new(job.clone()), name),
        },
        Job::Restore { from, by } => {
            let file = match open_path(from, dialogs, job.file_ask()) {
                Destination::Path(path) => path,
                Destination::Cancelled => return Done::Restored(Ok(false)),
                Destination::AskInApp(name) => return Done::AskPath(Box::new(job.clone()), name),
            };
            let options = vanthu_core::store::RestoreOptions::default();
            Done::Restored(
                store
                    .restore_from(by, &file, &options, progress)
                    .map(|_| true)
                    .map_err(|e| e.to_string())
                    .map_err(logged("restore")),
            )
        }
    }
}

/// The name and content of a file to attach; a file over the size limit is refused
/// before it is read.
fn read_to_attach(path: &Path) -> Result<(String, Vec<u8>), String> {
    let limit = vanthu_core::store::MAX_FILE_BYTES as u64;
    let size = std::fs::metadata(path).map_err(|e| format!("Không đọc được tệp {}: {e}.", path.display()))?.len();
    if size > limit {
        return Err(format!("Tệp {} lớn hơn {} MB: không đính kèm được.", path.display(), limit / 1024 / 1024));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("Không đọc được tệp {}: {e}.", path.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "tep".into());
    Ok((name, bytes))
}

/// Writes a private copy of a received file in the temporary folder and, when
/// `launch`, opens it in the system's viewer; what was done, or why not.
fn open_copy(name: &str, bytes: &[u8], launch: bool) -> Result<String, String> {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    if !VIEWABLE.contains(&extension.as_str()) {
        return Err(format!(
            "Tệp «{name}» không mở để xem trong ứng dụng (chỉ mở tài liệu và ảnh; một tệp nhận được có thể là chương trình). Hãy dùng «Lưu tệp…» rồi kiểm tra trước khi mở."
        ));
    }
    let folder = std::env::temp_dir().join(format!("vanthu-xem-{}", std::process::id()));
    private_folder(&folder).map_err(|e| format!("Không tạo được thư mục tạm {}: {e}.", folder.display()))?;
    let path = folder.join(name);
    vanthu_core::private_fs::write(&path, bytes)
        .map_err(|e| format!("Không ghi được bản xem {}: {e}.", path.display()))?;
    if launch {
        let mut child = viewer_command(&path).spawn().map_err(|e| {
            eprintln!("vanthu: cannot start a viewer for {}: {e}", path.display());
            format!(
                "Không mở được tệp (máy chưa có chương trình xem tệp này); hãy dùng «Lưu tệp…». Bản sao ở {}.",
                path.display()
            )
        })?;
        // Reap the launcher when it exits (it hands the file to the viewer).
        std::thread::spawn(move || child.wait());
    }
    Ok(format!("Đã mở tệp {} (bản sao chỉ để xem).", path.display()))
}

/// What "Xem" hands to the system viewer: documents and pictures, never a type that
/// runs (a received `.exe`, `.js`, `.html`, `.desktop`… is saved, not opened).
const VIEWABLE: [&str; 18] = [
    "pdf", "png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "txt", "doc", "docx", "odt", "xls", "xlsx",
    "ods", "rtf", "xml",
];

/// A folder only this user may read (0700 on Unix; the profile's own folder on
/// Windows).
fn private_folder(folder: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(folder)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// The command that opens `path` with the desktop's default program.
fn viewer_command(path: &Path) -> std::process::Command {
    #[cfg(windows)]
    let mut command = {
        let mut c = std::process::Command::new("explorer");
        c.arg(path);
        c
    };
    #[cfg(target_os = "macos")]
    let mut command = {
        let mut c = std::process::Command::new("open");
        c.arg(path);
        c
    };
    #[cfg(not(any(windows, target_os = "macos")))]
    let mut command = {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(path);
        c
    };
    command.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    command
}

/// Runs a job on a worker thread with its own connection to `db`; the stream
/// yields its progress, then its result.
pub fn run_on_worker(job: Job, db: PathBuf) -> impl iced::futures::Stream<Item = Event> {
    let (tx, rx) = iced::futures::channel::mpsc::unbounded();
    std::thread::spawn(move || {
        let done = match Store::open(&db) {
            Ok(mut store) => {
                let mut last = 0u64;
                let progress_tx = tx.clone();
                run(&job, &mut store, true, &mut |done, total| {
                    // At most one report per percent keeps the UI calm on big jobs.
                    let percent = (done * 100).checked_div(total).unwrap_or(0);
                    if percent != last || done == total {
                        last = percent;
                        let _ = progress_tx.unbounded_send(Event::Progress(done, total));
                    }
                })
            }
            Err(e) => {
                eprintln!("vanthu: worker cannot open {}: {e}", db.display());
                Done::Written(Err(e.to_string()))
            }
        };
        let _ = tx.unbounded_send(Event::Done(done));
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_then_restore_through_jobs_with_progress() {
        let dir = std::env::temp_dir().join(format!("vanthu-gui-backup-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut store = Store::open(&dir.join("v.db")).unwrap();
        vanthu_core::demo::load_demo(&mut store, chrono::Local::now().date_naive()).unwrap();
        let by = Box::new(store.login("admin", vanthu_core::demo::DEMO_PASSWORD).unwrap());
        assert!(store.backup_overdue(chrono::Utc::now()).unwrap());
        let mut steps = 0;
        let backup = dir.join("backup.db");
        let done =
            run(&Job::Backup { to: Some(backup.clone()), by: by.clone() }, &mut store, false, &mut |_, _| steps += 1);
        assert!(matches!(&done, Done::Written(Ok(Some(m))) if m.contains("backup.db")), "{done:?}");
        assert!(steps > 0 && backup.is_file());
        assert!(!store.backup_overdue(chrono::Utc::now()).unwrap(), "the reminder goes away");
        let done = run(&Job::Restore { from: Some(backup), by: by.clone() }, &mut store, false, &mut |_, _| {});
        assert_eq!(done, Done::Restored(Ok(true)));
        let refused = run(
            &Job::Restore { from: Some(dir.join("missing.db")), by: by.clone() },
            &mut store,
            false,
            &mut |_, _| {},
        );
        assert!(matches!(refused, Done::Restored(Err(_))));
        let job = Job::Backup { to: None, by };
        match run(&job, &mut store, false, &mut |_, _| {}) {
            Done::AskPath(asked, name) => {
                assert_eq!(*asked, job);
                assert!(name.starts_with("vanthu-") && name.ends_with(".db"), "{name}");
            }
            other => panic!("headless, the in-app dialog asks: {other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn package_directories_are_named_after_the_symbol() {
        assert_eq!(package_name("01.TH"), "ho-so-01.TH");
        assert_eq!(package_name("02/TC K"), "ho-so-02-TC-K");
    }
}
