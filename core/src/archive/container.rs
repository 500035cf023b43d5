//! Where an archive package lives: a directory or a `.zip` file with the same members.
//!
//! A zip is read into memory member by member and never extracted, and its member
//! names are not trusted: a name that is absolute, has a `..`, `.` or empty
//! component, a backslash or a drive colon is set aside (and reported by the
//! verification), never looked up as a package file.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::package::ArchiveError;

/// The largest member read from a zip (a guard against decompression bombs).
const MAX_MEMBER: u64 = 1 << 30;

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
    /// The member is there but its data is damaged.
    Damaged(String),
    /// Any other failure.
    Other(ArchiveError),
}

/// A package opened for reading.
pub(crate) enum Source {
    /// A directory.
    Dir(PathBuf),
    /// A zip file, read into memory: each member's bytes or why they are unreadable.
    Zip {
        /// Members with safe names.
        members: BTreeMap<String, Result<Vec<u8>, String>>,
        /// Member names refused as unsafe.
        unsafe_names: Vec<String>,
    },
}

impl Source {
    /// Opens a package directory or zip file.
    pub(crate) fn open(path: &Path) -> Result<Source, ArchiveError> {
        if path.is_dir() {
            return Ok(Source::Dir(path.to_owned()));
        }
        if !is_zip(path) || !path.is_file() {
            return Err(ArchiveError::Invalid(format!(
                "{} không phải gói lưu trữ (thư mục hoặc tệp .zip) (not a package)",
                path.display()
            )));
        }
        let file = File::open(path).map_err(io(path))?;
        let mut archive = ZipArchive::new(std::io::BufReader::new(file)).map_err(zip_error(path))?;
        let mut members = BTreeMap::new();
        let mut unsafe_names = Vec::new();
        for i in 0..archive.len() {
            let mut member = archive.by_index(i).map_err(zip_error(path))?;
            let name = String::from_utf8_lossy(member.name_raw()).into_owned();
            if member.is_dir() && safe_name(name.trim_end_matches('/')) {
                continue;
            }
            if !safe_name(&name) {
                unsafe_names.push(name);
                continue;
            }
            let mut bytes = Vec::new();
            let read = (&mut member).take(MAX_MEMBER + 1).read_to_end(&mut bytes);
            let data = match read {
                Ok(_) if bytes.len() as u64 > MAX_MEMBER => Err("quá lớn (too large)".to_owned()),
                Ok(_) => Ok(bytes),
                Err(e) => Err(e.to_string()),
            };
            members.insert(name, data);
        }
        Ok(Source::Zip { members, unsafe_names })
    }

    /// The bytes of one member.
    pub(crate) fn read(&self, name: &str) -> Result<Vec<u8>, ReadError> {
        if !safe_name(name) {
            return Err(ReadError::Missing);
        }
        match self {
            Source::Dir(dir) => {
                let path = dir.join(name);
                std::fs::read(&path).map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory => ReadError::Missing,
                    _ => ReadError::Other(io(&path)(e)),
                })
            }
            Source::Zip { members, .. } => match members.get(name) {
                None => Err(ReadError::Missing),
                Some(Ok(bytes)) => Ok(bytes.clone()),
                Some(Err(why)) => Err(ReadError::Damaged(why.clone())),
            },
        }
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

    /// Every file of the package (`/`-separated), sorted; unsafe zip names excluded.
    pub(crate) fn names(&self) -> Result<Vec<String>, ArchiveError> {
        match self {
            Source::Dir(dir) => {
                let mut out = Vec::new();
                list_files(dir, "", &mut out)?;
                out.sort();
                Ok(out)
            }
            Source::Zip { members, .. } => Ok(members.keys().cloned().collect()),
        }
    }

    /// Zip member names refused as unsafe.
    pub(crate) fn unsafe_names(&self) -> &[String] {
        match self {
            Source::Dir(_) => &[],
            Source::Zip { unsafe_names, .. } => unsafe_names,
        }
    }
}

fn list_files(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), ArchiveError> {
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        if entry.path().is_dir() {
            list_files(&entry.path(), &rel, out)?;
        } else {
            out.push(rel);
        }
    }
    Ok(())
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
        let file = File::create_new(path).map_err(io(path))?;
        Ok(Sink::Zip { path: path.to_owned(), writer: Box::new(ZipWriter::new(BufWriter::new(file))) })
    }

    /// Writes one member.
    pub(crate) fn put(&mut self, name: &str, bytes: &[u8]) -> Result<(), ArchiveError> {
        match self {
            Sink::Dir(dir) => {
                let full = dir.join(name);
                if let Some(parent) = full.parent() {
                    std::fs::create_dir_all(parent).map_err(io(parent))?;
                }
                std::fs::write(&full, bytes).map_err(io(&full))
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
        assert_eq!(source.unsafe_names(), ["../evil.txt", "/abs.txt"]);
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
