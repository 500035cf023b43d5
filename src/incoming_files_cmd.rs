//! `vanthu incoming attach | files | file`: the files received with an incoming
//! letter (issue #16): attach (văn thư), list with their checks, save one.

use std::path::{Path, PathBuf};

use vanthu_core::Store;
use vanthu_core::received::{FileKind, MAX_FILE_BYTES};
use vanthu_core::store::{NewFile, ReceivedFile};

use crate::cli::{Failure, read_password};
use crate::incoming_cmd::IncomingArgs;

/// Reads the files to attach; a file over 50 MB is refused before it is read.
/// `name` replaces the name of a single file (the sender's name for it).
pub fn read_files(paths: &[PathBuf], kind: Option<FileKind>, name: Option<&str>) -> Result<Vec<NewFile>, Failure> {
    if name.is_some() && paths.len() != 1 {
        return Err(Failure::input("--name chỉ dùng với đúng một tệp (--name needs exactly one file)".into()));
    }
    let mut files = Vec::new();
    for path in paths {
        let cannot =
            |e: std::io::Error| Failure::input(format!("không đọc được {}: {e} (cannot read)", path.display()));
        let len = std::fs::metadata(path).map_err(cannot)?.len();
        if len > MAX_FILE_BYTES as u64 {
            return Err(Failure::input(format!(
                "tệp {} dung lượng {len} byte, vượt giới hạn {} MB mỗi tệp; không lưu gì (file larger than 50 MB)",
                path.display(),
                MAX_FILE_BYTES / (1024 * 1024)
            )));
        }
        let bytes = std::fs::read(path).map_err(cannot)?;
        let given = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        files.push(NewFile { name: name.map_or(given, str::to_owned), bytes, kind });
    }
    Ok(files)
}

/// Prints files with their checks, each line after `indent`.
pub fn print_files(files: &[ReceivedFile], indent: &str) {
    for f in files {
        println!("{indent}{}", f.line());
        let when = chrono::DateTime::parse_from_rfc3339(&f.attached_at)
            .map_or(f.attached_at.clone(), |t| t.format("%d/%m/%Y %H:%M").to_string());
        let by = if f.attached_by.is_empty() { String::new() } else { format!(" bởi {}", f.attached_by) };
        println!("{indent}   {} — SHA-256 {} — nhận {when}{by}", f.media_type, f.sha256);
        if let Some(check) = &f.check {
            for line in &check.report {
                println!("{indent}   {line}");
            }
            for warning in &check.warnings {
                println!("{indent}   Cảnh báo: {warning}");
            }
        }
    }
}

fn login(store: &Store, user: Option<&str>) -> Result<vanthu_core::Actor, Failure> {
    let user = user.ok_or_else(|| Failure::input("cần --as USER (acting user required)".into()))?;
    let password = read_password(&format!("Mật khẩu của {user} / Password for {user}: "))?;
    Ok(store.login(user, &password)?)
}

/// Where `file` is saved for `--out PATH`: the path itself, or inside an existing
/// directory under the file's sanitised name.
fn destination(out: &Path, file: &ReceivedFile) -> PathBuf {
    if out.is_dir() { out.join(&file.safe_name) } else { out.to_owned() }
}

/// Runs `attach`, `files` or `file`.
pub fn run(args: IncomingArgs, store: &mut Store) -> Result<(), Failure> {
    let id = args.id.ok_or_else(|| Failure::input("cần mã văn bản đến (document id required)".into()))?;
    match args.action.as_str() {
        "attach" => {
            let kind = match args.kind.as_deref() {
                None => None,
                Some(code) => Some(FileKind::from_code(code).ok_or_else(|| {
                    Failure::input(format!("loại tệp `{code}` không có: letter, scan, attachment (unknown file kind)"))
                })?),
            };
            let mut paths = args.files.clone();
            if let Some(target) = &args.target {
                paths.insert(0, PathBuf::from(target));
            }
            if paths.is_empty() {
                return Err(Failure::input("attach cần tệp: attach ID FILE (a file is required)".into()));
            }
            let files = read_files(&paths, kind, args.name.as_deref())?;
            let actor = login(store, args.as_user.as_deref())?;
            let positions = store.attach_incoming_files(&actor, id, &files, chrono::Local::now())?;
            let card = store.incoming_files(&actor, id)?;
            for f in card.iter().filter(|f| positions.contains(&f.position)) {
                println!("{}", f.line());
            }
        }
        "files" => {
            let actor = login(store, args.as_user.as_deref())?;
            let files = store.incoming_files(&actor, id)?;
            if args.json {
                println!("{}", serde_json::to_string_pretty(&files).map_err(|e| Failure::input(e.to_string()))?);
            } else if files.is_empty() {
                println!("Văn bản đến #{id} chưa có tệp nào.");
            } else {
                print_files(&files, "");
            }
        }
        _ => {
            let position: i64 = args.target.as_deref().and_then(|n| n.trim().parse().ok()).ok_or_else(|| {
                Failure::input("file cần số thứ tự tệp: file ID N --out PATH (file number required)".into())
            })?;
            let out = args.out.ok_or_else(|| Failure::input("file cần --out PATH (output path required)".into()))?;
            let actor = login(store, args.as_user.as_deref())?;
            let (file, bytes) = store.incoming_file(&actor, id, position)?;
            let path = destination(&out, &file);
            crate::export_cmd::write_out(store.path(), &path, &bytes)?;
            println!("{}", path.display());
        }
    }
    Ok(())
}
