//! Writing a command's output to a file named by `--out`, safely.
//!
//! The file is written beside its destination and renamed into place, so a crash never
//! leaves half of it. Only a regular file is ever replaced, and it keeps its mode (and,
//! where allowed, its owner); a new file gets the usual mode (0666 less the umask).
//! Refused, without touching anything: the ledger itself (by inode or canonical path,
//! its `-wal` and `-shm` files included, through symlinks and hard links), any other
//! SQLite database, and anything that is not a regular file (a device node, a folder, a
//! FIFO, a symbolic link).

use crate::exit::bad_input;
use anyhow::Context;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Writes `write`'s output to `path` atomically, after the checks above. `ledger` is the
/// ledger the command uses.
pub fn write_atomically<T>(
    path: &Path,
    ledger: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let existing = check_destination(path, ledger)?;
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (temp_path, file) = create_temp_beside(path, folder)?;
    let mut temp = TempFile {
        path: Some(temp_path),
    };
    let result = (|| -> anyhow::Result<T> {
        let mut out = BufWriter::new(file);
        let value = write(&mut out)?;
        let file = out
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", path.display()))?;
        if let Some(existing) = &existing {
            // Keep the replaced file's mode and owner.
            file.set_permissions(std::fs::Permissions::from_mode(existing.mode() & 0o7777))
                .with_context(|| format!("cannot set the mode of {}", path.display()))?;
            let _ = std::os::unix::fs::fchown(&file, Some(existing.uid()), Some(existing.gid()));
        }
        file.sync_all()
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(value)
    })();
    let value = result?;
    // The destination may have changed while the output was written.
    check_destination(path, ledger)?;
    let temp_path = temp.path.take().expect("the temporary file is still there");
    if let Err(error) = std::fs::rename(&temp_path, path) {
        let _ = std::fs::remove_file(&temp_path);
        return Err(error).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(value)
}

/// Removes the temporary file unless it was renamed into place.
struct TempFile {
    path: Option<PathBuf>,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Creates a new file beside `path` with the default mode (0666 less the umask).
fn create_temp_beside(path: &Path, folder: &Path) -> anyhow::Result<(PathBuf, File)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    for attempt in 0..100u32 {
        let candidate = folder.join(format!(
            ".{name}.tally-{}-{attempt}.tmp",
            std::process::id()
        ));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => {
                return Err(bad_input(format!(
                    "cannot write {}: cannot create a file in {}: {error}",
                    path.display(),
                    folder.display()
                )))
            }
        }
    }
    Err(bad_input(format!(
        "cannot write {}: no free temporary name in {}",
        path.display(),
        folder.display()
    )))
}

/// Refuses a destination that must not be replaced; returns the metadata of an existing
/// regular file that may be.
fn check_destination(path: &Path, ledger: &Path) -> anyhow::Result<Option<Metadata>> {
    let refuse = |why: &str| {
        bad_input(format!(
            "refusing to write {}: {why}; nothing was written",
            path.display()
        ))
    };
    if is_the_ledger(path, ledger) {
        return Err(refuse("it is the ledger (or one of its -wal/-shm files)"));
    }
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(bad_input(format!(
                "cannot write {}: {error}",
                path.display()
            )))
        }
    };
    let kind = metadata.file_type();
    if kind.is_symlink() {
        return Err(refuse(
            "it is a symbolic link; --out replaces only regular files",
        ));
    }
    if kind.is_dir() {
        return Err(refuse("it is a folder"));
    }
    if !kind.is_file() {
        return Err(refuse(
            "it is not a regular file (a device, FIFO or socket); --out replaces only regular files",
        ));
    }
    if is_sqlite_database(path) {
        return Err(refuse("it is a SQLite database"));
    }
    Ok(Some(metadata))
}

/// True when `path` names the ledger or its `-wal`/`-shm` files: the same inode (hard
/// links, symlinks) or the same canonical path (for files that do not exist yet).
fn is_the_ledger(path: &Path, ledger: &Path) -> bool {
    let ledger_files: Vec<PathBuf> = ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| PathBuf::from(format!("{}{suffix}", ledger.display())))
        .collect();
    if let Ok(target) = std::fs::metadata(path) {
        for file in &ledger_files {
            if let Ok(other) = std::fs::metadata(file) {
                if other.dev() == target.dev() && other.ino() == target.ino() {
                    return true;
                }
            }
        }
    }
    let Some(destination) = canonical_even_if_missing(path) else {
        return false;
    };
    ledger_files
        .iter()
        .filter_map(|file| canonical_even_if_missing(file))
        .any(|file| file == destination)
}

/// The canonical form of a path whose last component may not exist yet.
fn canonical_even_if_missing(path: &Path) -> Option<PathBuf> {
    if let Ok(canonical) = std::fs::canonicalize(path) {
        return Some(canonical);
    }
    let name = path.file_name()?;
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(std::fs::canonicalize(folder).ok()?.join(name))
}

fn is_sqlite_database(path: &Path) -> bool {
    let mut header = [0u8; 16];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| &header == b"SQLite format 3\0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_13_new_files_get_the_default_mode_and_existing_ones_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("tally.db");
        let fresh = dir.path().join("fresh.csv");
        write_atomically(&fresh, &ledger, |w| Ok(w.write_all(b"a\n")?)).unwrap();
        let umask_default = {
            let probe = dir.path().join("probe");
            File::create(&probe).unwrap();
            std::fs::metadata(&probe).unwrap().mode() & 0o777
        };
        assert_eq!(
            std::fs::metadata(&fresh).unwrap().mode() & 0o777,
            umask_default
        );

        std::fs::set_permissions(&fresh, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&fresh, &ledger, |w| Ok(w.write_all(b"b\n")?)).unwrap();
        assert_eq!(std::fs::metadata(&fresh).unwrap().mode() & 0o777, 0o640);
        assert_eq!(std::fs::read(&fresh).unwrap(), b"b\n");
    }

    #[test]
    fn issue_13_the_ledger_links_and_special_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("tally.db");
        std::fs::write(&ledger, b"SQLite format 3\0 and the rest").unwrap();
        let link = dir.path().join("link.db");
        std::os::unix::fs::symlink(&ledger, &link).unwrap();
        let hard = dir.path().join("hard.db");
        std::fs::hard_link(&ledger, &hard).unwrap();
        let wal = dir.path().join("tally.db-wal");
        for path in [&ledger, &link, &hard, &wal, &dir.path().join("./tally.db")] {
            let error = write_atomically(path, &ledger, |w| Ok(w.write_all(b"x")?)).unwrap_err();
            assert!(error.to_string().contains("refusing"), "{path:?}: {error}");
        }
        assert_eq!(
            std::fs::read(&ledger).unwrap(),
            b"SQLite format 3\0 and the rest"
        );
        assert!(!wal.exists());
        let error = write_atomically(Path::new("/dev/null"), &ledger, |w| Ok(w.write_all(b"x")?))
            .unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        assert!(std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device_like());
        let error = write_atomically(dir.path(), &ledger, |w| Ok(w.write_all(b"x")?)).unwrap_err();
        assert!(error.to_string().contains("folder"), "{error}");
        // Nothing was left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }

    trait CharDevice {
        fn is_char_device_like(&self) -> bool;
    }

    impl CharDevice for std::fs::FileType {
        fn is_char_device_like(&self) -> bool {
            std::os::unix::fs::FileTypeExt::is_char_device(self)
        }
    }
}
