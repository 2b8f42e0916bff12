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
        let name = output
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let parent = output
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        fs::create_dir_all(&parent)?;
        let dir = parent.join(format!(".{name}.staging"));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
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
    /// records of its files.
    pub fn commit(mut self) -> io::Result<Vec<(PathBuf, Record)>> {
        let old = self.output.with_file_name(format!(
            ".{}.old",
            self.output
                .file_name()
                .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned())
        ));
        if old.exists() {
            fs::remove_dir_all(&old)?;
        }
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, &old)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            if had_output {
                // Put the previous site back before reporting.
                let _ = fs::rename(&old, &self.output);
            }
            return Err(e);
        }
        self.committed = true;
        if had_output {
            remove_tree(&old)?;
        }
        Ok(std::mem::take(&mut self.records).into_sorted())
    }
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
