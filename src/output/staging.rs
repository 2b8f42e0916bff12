//! A full build's output: a staging folder beside the output, filled with
//! the new site and swapped in only when every file is written.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{Records, check_relative};
use crate::render::write::Sink;
use crate::reuse::manifest::Record;
use crate::theme::FileSource;

/// A folder being filled with the new site.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    committed: bool,
    records: Records,
}

impl Staging {
    /// Creates an empty staging folder beside `output`.
    pub fn create(output: &Path) -> io::Result<Staging> {
        let output = std::path::absolute(output)?;
        let parent = output
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        fs::create_dir_all(&parent)?;
        super::sweep(&output)?;
        let dir = staging_folder(&output);
        fs::create_dir(&dir)?;
        Ok(Staging {
            output,
            dir,
            committed: false,
            records: Records::default(),
        })
    }

    fn target(&self, rel: &Path) -> io::Result<PathBuf> {
        check_relative(rel)?;
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        Ok(path)
    }

    /// Replaces the output folder with the staging folder; returns the
    /// records of its files. Where the system can, the two folders are
    /// swapped in one step, so that no moment passes without an output;
    /// elsewhere the old output is moved aside first (and put back if the
    /// new one cannot take its place; a build killed in between leaves it
    /// aside, and the next puts it back).
    pub fn commit(mut self) -> io::Result<Vec<(PathBuf, Record)>> {
        let old = aside(&self.output);
        if old.exists() {
            fs::remove_dir_all(&old)?;
        }
        if self.output.exists() {
            match exchange(&self.dir, &self.output) {
                Ok(()) => {
                    self.committed = true;
                    // The staging folder's name now holds the old site.
                    remove_tree(&self.dir)?;
                    return Ok(std::mem::take(&mut self.records).into_sorted());
                }
                Err(e) if !cannot_exchange(&e) => return Err(e),
                Err(_) => {}
            }
            fs::rename(&self.output, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            let _ = fs::rename(&old, &self.output);
            return Err(e);
        }
        self.committed = true;
        if old.exists() {
            remove_tree(&old)?;
        }
        Ok(std::mem::take(&mut self.records).into_sorted())
    }
}

/// The staging folder of an output folder: beside it, hidden.
pub(super) fn staging_folder(output: &Path) -> PathBuf {
    super::beside(output, "staging")
}

/// Where the old output waits while the new one takes its place, when
/// the two cannot be swapped in one step.
pub(super) fn aside(output: &Path) -> PathBuf {
    super::beside(output, "old")
}

/// Swaps two folders in one step (Linux's `renameat2` with
/// `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Whether a failed [`exchange`] means the system or file system has no
/// such operation (rather than that the folders cannot be renamed).
fn cannot_exchange(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported
        || matches!(e.raw_os_error(), Some(code) if code == rustix::io::Errno::INVAL.raw_os_error()
            || code == rustix::io::Errno::NOSYS.raw_os_error())
}

/// Removes a folder tree, its second-level subtrees in parallel: a large
/// site has hundreds of thousands of files, and unlinking them one by one
/// can take longer than the build.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let mut subtrees = Vec::new();
    for entry in fs::read_dir(dir)?.filter_map(Result::ok) {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            subtrees.extend(
                fs::read_dir(&path)?
                    .filter_map(Result::ok)
                    .map(|e| e.path()),
            );
        } else {
            subtrees.push(path);
        }
    }
    subtrees.par_iter().try_for_each(|path| {
        if path.is_dir() {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        }
    })?;
    fs::remove_dir_all(dir)
}

/// Files are written as they come, each only once: a staging folder
/// starts empty. Paths that are not plain relative paths are refused.
impl Sink for Staging {
    fn write(&self, rel: &Path, fingerprint: u64, bytes: &[u8]) -> io::Result<()> {
        let path = self.target(rel)?;
        fs::write(&path, bytes)?;
        self.records.push(rel, fingerprint, &path)
    }

    fn copy(&self, rel: &Path, fingerprint: u64, source: &FileSource) -> io::Result<()> {
        let path = self.target(rel)?;
        match source {
            FileSource::Builtin(bytes) => fs::write(&path, bytes)?,
            FileSource::Disk(from) => {
                fs::copy(from, &path)?;
            }
        }
        self.records.push(rel, fingerprint, &path)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_refuses_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public")).unwrap();
        assert!(staging.write(Path::new("../evil.html"), 0, b"x").is_err());
        assert!(staging.write(Path::new("/etc/evil.html"), 0, b"x").is_err());
        assert!(staging.write(Path::new("a/index.html"), 0, b"ok").is_ok());
        staging.commit().unwrap();
        assert!(dir.path().join("public/a/index.html").is_file());
        assert!(!dir.path().join("evil.html").exists());
    }
}
