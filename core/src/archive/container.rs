//! Where an archive package lives: a directory or a `.zip` file with the same members.
//!
//! Nothing is read before it is needed, and nothing is trusted: a zip's members are
//! indexed from the central directory without inflating them, a member is inflated
//! only when asked for, with a hard cap (its declared size when streamed through
//! SHA-256, [`MAX_IN_MEMORY`] when read into memory) and an absolute total
//! ([`MAX_TOTAL`]); a package has at most [`MAX_MEMBERS`] members and no duplicate
//! names. A member name that is absolute, has a `..`, `.` or empty component, a
//! backslash or a drive colon is set aside (and reported by the verification).
//! In a directory package symbolic links are never followed: they are reported,
//! so a link loop cannot hang the reader nor a link smuggle a file from outside.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::package::ArchiveError;

/// The largest member read into memory (manifest, JSON, audit log).
pub const MAX_IN_MEMORY: u64 = 64 << 20;
/// The most bytes inflated from one package in all (2 GiB).
pub const MAX_TOTAL: u64 = 2 << 30;
/// The most members (files) in one package.
pub const MAX_MEMBERS: usize = 100_000;

/// Whether `path` names a zip package (by its extension).
pub fn is_zip(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// Whether a `/`-separated member name stays inside the package.
fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.contains(':')
        && !name.split('/').any(|part| part.is_empty() || part == "." || part == "..")
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io { path: path.display().to_string(), source }
}

fn zip_error(path: &Path) -> impl FnOnce(zip::result::ZipError) -> ArchiveError + '_ {
    move |e| ArchiveError::Invalid(format!("tệp zip {} không đọc được: {e} (invalid zip)", path.display()))
}

/// Why a member could not be read.
pub(crate) enum ReadError {
    /// No such member.
    Missing,
    /// The member is there but its data is damaged (or longer than declared).
    Damaged(String),
    /// Any other failure.
    Other(ArchiveError),
}

/// A package opened for reading.
pub(crate) enum Source {
    /// A directory.
    Dir {
        /// The package directory.
        root: PathBuf,
        /// Bytes read so far (against [`MAX_TOTAL`]).
        inflated: Cell<u64>,
    },
    /// A zip file, indexed but not inflated.
    Zip {
        /// The archive, read member by member on demand.
        archive: RefCell<ZipArchive<BufReader<File>>>,
        /// Safe member names → index in the archive.
        index: BTreeMap<String, usize>,
        /// Member names refused as unsafe.
        unsafe_names: Vec<String>,
        /// Bytes inflated so far (against [`MAX_TOTAL`]).
        inflated: Cell<u64>,
    },
}

/// Reads at most `cap` bytes from `reader` through `sink`; `Ok(false)` when the
/// reader had more than `cap`, counted against the package's total.
fn stream(
    reader: &mut dyn Read,
    cap: u64,
    inflated: &Cell<u64>,
    sink: &mut dyn FnMut(&[u8]),
) -> std::io::Result<Result<u64, String>> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(Ok(total));
        }
        total += n as u64;
        inflated.set(inflated.get() + n as u64);
        if total > cap {
            return Ok(Err(format!("dài hơn {cap} byte đã khai báo (longer than declared)")));
        }
        if inflated.get() > MAX_TOTAL {
            return Ok(Err("gói vượt tổng 2 GiB khi giải nén (package over 2 GiB)".to_owned()));
        }
        sink(&buf[..n]);
    }
}

impl Source {
    /// Opens a package directory or zip file (a zip is only indexed).
    pub(crate) fn open(path: &Path) -> Result<Source, ArchiveError> {
        if path.is_dir() {
            return Ok(Source::Dir { root: path.to_owned(), inflated: Cell::new(0) });
        }
        if !is_zip(path) || !path.is_file() {
            return Err(ArchiveError::Invalid(format!(
                "{} không phải gói lưu trữ (thư mục hoặc tệp .zip) (not a package)",
                path.display()
            )));
        }
        let file = File::open(path).map_err(io(path))?;
        let mut archive = ZipArchive::new(BufReader::new(file)).map_err(zip_error(path))?;
        if archive.len() > MAX_MEMBERS {
            return Err(ArchiveError::Invalid(format!(
                "gói {} có {} tệp, tối đa {MAX_MEMBERS} (too many members)",
                path.display(),
                archive.len()
            )));
        }
        let mut index = BTreeMap::new();
        let mut unsafe_names = Vec::new();
        for i in 0..archive.len() {
            let member = archive.by_index_raw(i).map_err(zip_error(path))?;
            let name = String::from_utf8_lossy(member.name_raw()).into_owned();
            if member.is_dir() && safe_name(name.trim_end_matches('/')) {
                continue;
            }
            if !safe_name(&name) {
                unsafe_names.push(name);
                continue;
            }
            if index.insert(name.clone(), i).is_some() {
                return Err(ArchiveError::Invalid(format!(
                    "gói {} có hai tệp cùng tên `{name}` (duplicate member)",
                    path.display()
                )));
            }
        }
        Ok(Source::Zip { archive: RefCell::new(archive), index, unsafe_names, inflated: Cell::new(0) })
    }

    /// Streams one member through `sink`, at most `cap` bytes; returns its length.
    fn read_with(&self, name: &str, cap: u64, sink: &mut dyn FnMut(&[u8])) -> Result<u64, ReadError> {
        if !safe_name(name) {
            return Err(ReadError::Missing);
        }
        match self {
            Source::Dir { root, inflated } => {
                let path = dir_member(root, name)?;
                let mut file = File::open(&path).map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory => ReadError::Missing,
                    _ => ReadError::Other(io(&path)(e)),
                })?;
                match stream(&mut file, cap, inflated, sink) {
                    Ok(Ok(n)) => Ok(n),
                    Ok(Err(why)) => Err(ReadError::Damaged(why)),
                    Err(e) => Err(ReadError::Other(io(&path)(e))),
                }
            }
            Source::Zip { archive, index, inflated, .. } => {
                let Some(&i) = index.get(name) else { return Err(ReadError::Missing) };
                let mut archive = archive.borrow_mut();
                let mut member = archive.by_index(i).map_err(|e| ReadError::Damaged(e.to_string()))?;
                match stream(&mut member, cap, inflated, sink) {
                    Ok(Ok(n)) => Ok(n),
                    Ok(Err(why)) => Err(ReadError::Damaged(why)),
                    Err(e) => Err(ReadError::Damaged(e.to_string())),
                }
            }
        }
    }

    /// The bytes of one member, at most [`MAX_IN_MEMORY`].
    pub(crate) fn read(&self, name: &str) -> Result<Vec<u8>, ReadError> {
        let mut bytes = Vec::new();
        self.read_with(name, MAX_IN_MEMORY, &mut |chunk| bytes.extend_from_slice(chunk))?;
        Ok(bytes)
    }

    /// SHA-256 (hex) and length of one member streamed with `declared` bytes as a
    /// hard cap: a member inflating past it is [`ReadError::Damaged`].
    pub(crate) fn digest(&self, name: &str, declared: u64) -> Result<(String, u64), ReadError> {
        let mut hasher = Sha256::new();
        let len = self.read_with(name, declared, &mut |chunk| hasher.update(chunk))?;
        Ok((hex::encode(hasher.finalize()), len))
    }

    /// One member as text; any failure is an error naming it.
    pub(crate) fn read_text(&self, name: &str) -> Result<String, ArchiveError> {
        let bytes = self.read(name).map_err(|e| match e {
            ReadError::Missing => ArchiveError::Invalid(format!("thiếu tệp {name} (missing)")),
            ReadError::Damaged(why) => ArchiveError::Invalid(format!("tệp {name} bị hỏng: {why} (damaged)")),
            ReadError::Other(e) => e,
        })?;
        String::from_utf8(bytes).map_err(|_| ArchiveError::Invalid(format!("tệp {name} không phải UTF-8 (not UTF-8)")))
    }

    /// Every file of the package (`/`-separated), sorted; unsafe zip names and
    /// directory symlinks excluded. Nothing is inflated.
    pub(crate) fn names(&self) -> Result<Vec<String>, ArchiveError> {
        match self {
            Source::Dir { root, .. } => {
                let (mut files, _) = walk_dir(root)?;
                files.sort();
                Ok(files)
            }
            Source::Zip { index, .. } => Ok(index.keys().cloned().collect()),
        }
    }

    /// Whether this is a directory package.
    pub(crate) fn is_dir(&self) -> bool {
        matches!(self, Source::Dir { .. })
    }

    /// Names refused as unsafe: zip names leaving the package, and symbolic links
    /// of a directory package (never followed).
    pub(crate) fn unsafe_names(&self) -> Result<Vec<String>, ArchiveError> {
        match self {
            Source::Dir { root, .. } => Ok(walk_dir(root)?.1),
            Source::Zip { unsafe_names, .. } => Ok(unsafe_names.clone()),
        }
    }
}

/// The path of a directory package's member, refusing any symlink on the way.
fn dir_member(root: &Path, name: &str) -> Result<PathBuf, ReadError> {
    let mut path = root.to_owned();
    for part in name.split('/') {
        path.push(part);
        match path.symlink_metadata() {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(ReadError::Damaged("là liên kết tượng trưng, không đọc (symbolic link)".into()));
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::Missing),
            Err(e) => return Err(ReadError::Other(io(&path)(e))),
        }
    }
    Ok(path)
}

/// The regular files and the symlinks under `root` (relative, `/`-separated),
/// never following a link; at most [`MAX_MEMBERS`] entries.
fn walk_dir(root: &Path) -> Result<(Vec<String>, Vec<String>), ArchiveError> {
    let mut files = Vec::new();
    let mut links = Vec::new();
    let mut pending = vec![(root.to_owned(), String::new())];
    while let Some((dir, prefix)) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            let kind = entry.file_type().map_err(io(&dir))?;
            if kind.is_symlink() {
                links.push(rel);
            } else if kind.is_dir() {
                pending.push((entry.path(), rel));
            } else {
                files.push(rel);
            }
            if files.len() + links.len() > MAX_MEMBERS {
                return Err(ArchiveError::Invalid(format!(
                    "gói {} có hơn {MAX_MEMBERS} tệp (too many members)",
                    root.display()
                )));
            }
        }
    }
    Ok((files, links))
}

/// A package being written: into a directory or a zip file.
pub(crate) enum Sink {
    /// Files under this directory.
    Dir(PathBuf),
    /// Members of a zip file.
    Zip {
        /// The file being written.
        path: PathBuf,
        /// The writer (boxed: it is large).
        writer: Box<ZipWriter<BufWriter<File>>>,
    },
}

impl Sink {
    /// A zip file created at `path` (which must not exist).
    pub(crate) fn zip(path: &Path) -> Result<Sink, ArchiveError> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(crate::private_fs::FILE_MODE);
        }
        let file = options.open(path).map_err(io(path))?;
        Ok(Sink::Zip { path: path.to_owned(), writer: Box::new(ZipWriter::new(BufWriter::new(file))) })
    }

    /// Writes one member.
    pub(crate) fn put(&mut self, name: &str, bytes: &[u8]) -> Result<(), ArchiveError> {
        match self {
            Sink::Dir(dir) => {
                let full = dir.join(name);
                if let Some(parent) = full.parent() {
                    crate::private_fs::create_dir_all(parent).map_err(io(parent))?;
                }
                crate::private_fs::write(&full, bytes).map_err(io(&full))
            }
            Sink::Zip { path, writer } => {
                // PDFs are compressed already.
                let method =
                    if name.ends_with(".pdf") { CompressionMethod::Stored } else { CompressionMethod::Deflated };
                let options =
                    SimpleFileOptions::default().compression_method(method).large_file(bytes.len() > u32::MAX as usize);
                writer.start_file(name, options).map_err(|e| zip_write(path, e))?;
                writer.write_all(bytes).map_err(io(path))
            }
        }
    }

    /// Completes the package: the zip's central directory written and the file synced.
    pub(crate) fn finish(self) -> Result<(), ArchiveError> {
        match self {
            Sink::Dir(_) => Ok(()),
            Sink::Zip { path, writer } => {
                let buffered = (*writer).finish().map_err(|e| zip_write(&path, e))?;
                let file = buffered.into_inner().map_err(|e| io(&path)(e.into_error()))?;
                file.sync_all().map_err(io(&path))
            }
        }
    }
}

fn zip_write(path: &Path, e: zip::result::ZipError) -> ArchiveError {
    ArchiveError::Invalid(format!("không ghi được tệp zip {}: {e} (zip write failed)", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names_are_recognised() {
        for good in ["manifest.json", "documents/001-4/document.pdf", "a..b/c"] {
            assert!(safe_name(good), "{good}");
        }
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a\\b", "C:/x", "a/"] {
            assert!(!safe_name(bad), "{bad}");
        }
    }

    #[test]
    fn zip_members_with_unsafe_or_damaged_data_are_set_aside() {
        let dir = std::env::temp_dir().join(format!("vanthu-container-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("p.zip");
        let mut sink = Sink::zip(&path).unwrap();
        sink.put("manifest.json", b"{}").unwrap();
        let text: Vec<String> = (0..2000u32).map(|i| (i.wrapping_mul(7919) % 10007).to_string()).collect();
        sink.put("report.json", text.join(" ").as_bytes()).unwrap();
        if let Sink::Zip { writer, .. } = &mut sink {
            writer.start_file("../evil.txt", SimpleFileOptions::default()).unwrap();
            writer.write_all(b"x").unwrap();
            writer.start_file("/abs.txt", SimpleFileOptions::default()).unwrap();
        }
        sink.finish().unwrap();
        let source = Source::open(&path).unwrap();
        assert_eq!(source.names().unwrap(), vec!["manifest.json", "report.json"]);
        assert_eq!(source.unsafe_names().unwrap(), ["../evil.txt", "/abs.txt"]);
        assert!(matches!(source.read("../evil.txt"), Err(ReadError::Missing)));
        assert_eq!(source.read_text("manifest.json").unwrap(), "{}");

        // Corrupt the deflated data of report.json: the member is named as damaged.
        let mut bytes = std::fs::read(&path).unwrap();
        let at = bytes.windows(11).position(|w| w == b"report.json").unwrap() + 11 + 40;
        bytes[at] ^= 0xFF;
        std::fs::write(&path, &bytes).unwrap();
        let source = Source::open(&path).unwrap();
        assert!(matches!(source.read("report.json"), Err(ReadError::Damaged(_))));
        assert!(source.read_text("report.json").unwrap_err().to_string().contains("report.json"));
        assert!(Source::open(&dir.join("nothing.zip")).is_err());
        std::fs::write(dir.join("junk.zip"), b"not a zip").unwrap();
        assert!(Source::open(&dir.join("junk.zip")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
