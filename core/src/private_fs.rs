//! Private files: the database, its side files, backups, packages, exports and
//! temporary copies are created readable by their owner only (files 0600,
//! directories 0700) whatever the umask, because they hold personal data and the
//! office's unpublished documents.
//!
//! Platform difference: Windows has no mode bits. There a new file or directory
//! inherits the access control list of its folder, and the default places
//! (`%APPDATA%`, the user's profile) are readable only by the user, SYSTEM and the
//! administrators; the functions below then only create and write. A file put in a
//! shared folder gets that folder's ACL (README, "Where data lives").

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Mode of private files.
pub const FILE_MODE: u32 = 0o600;
/// Mode of private directories.
pub const DIR_MODE: u32 = 0o700;

/// Creates `dir` and its missing parents, each new one 0700.
pub fn create_dir_all(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(DIR_MODE);
    }
    builder.create(dir)
}

/// Creates a new private directory (fails if it exists), 0700.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    // Only Unix sets a mode on it (see the module's note on Windows).
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(DIR_MODE);
    }
    builder.create(dir)
}

/// Opens `path` for writing, created 0600 (an existing file is truncated and made
/// 0600). Never call this on a database that a connection may have open.
pub fn create(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    let file = options.open(path)?;
    restrict(path)?;
    Ok(file)
}

/// Creates an empty private file if none exists (so SQLite, which gives a
/// database's `-wal` and `-shm` the database file's mode, keeps them private).
/// Only ever call this before any connection to `path` exists.
pub fn create_empty_if_missing(path: &Path) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Writes `bytes` to `path` as a private file.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use io::Write as _;
    let mut file = create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes an existing file or directory private by path (`chmod`; no descriptor is
/// opened, so this is safe on a database with open connections).
pub fn restrict(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if path.is_dir() { DIR_MODE } else { FILE_MODE };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    // Windows: nothing to change; the file keeps the ACL inherited from its folder.
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn files_and_directories_are_private_even_when_they_existed() {
        let dir = std::env::temp_dir().join(format!("vanthu-private-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        create_dir_all(&dir.join("a/b")).unwrap();
        assert_eq!(mode(&dir.join("a")), 0o700);
        assert_eq!(mode(&dir.join("a/b")), 0o700);
        let file = dir.join("a/x.pdf");
        std::fs::write(&file, b"old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        write(&file, b"new").unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
