//! Stage 5, publish: the only code that writes under the output folder.
//!
//! Two ways, both behind [`Sink`]:
//! - [`Staging`] (build): files go into a staging folder beside the output;
//!   only when every file is written does it replace the output (the old one
//!   is moved aside, then removed).
//! - [`Changes`] (serve): files are compared with the output in place; only
//!   those whose bytes changed are kept, and written (each atomically) once
//!   the whole site rendered without error; files no longer made are removed.
//!
//! Either way a failed build leaves the old output as it was, and every path
//! written is checked to stay inside the output.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::theme::FileSource;

/// Folders of the site that the output may never be or lie in.
const PROTECTED: &[&str] = &["content", "static", "themes", "templates"];

/// Refuses an output folder that would overwrite the site itself.
pub fn check_location(root: &Path, output: &Path) -> Result<(), String> {
    let root = resolve(root);
    let out = resolve(output);
    if out == root {
        return Err("the output folder may not be the site root".into());
    }
    if root.starts_with(&out) {
        return Err(format!(
            "the output folder {} contains the site; choose another",
            output.display()
        ));
    }
    for dir in PROTECTED {
        if out.starts_with(root.join(dir)) {
            return Err(format!("the output folder may not lie inside {dir}/"));
        }
    }
    if out.exists() && !out.is_dir() {
        return Err(format!(
            "the output {} exists and is not a folder",
            output.display()
        ));
    }
    Ok(())
}

/// Absolute, symlink-free form of a path that may not exist yet: the
/// longest existing ancestor canonicalized, plus the rest.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Lexical clean-up first, so `x/../content` is seen as `content`.
    let mut clean = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    let mut existing = clean.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(mut out) = existing.canonicalize() {
            out.extend(rest.iter().rev());
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => return clean,
        }
    }
}

/// Where rendered files go.
pub trait Sink: Sync {
    /// Takes the bytes of the file at `rel` (relative to the output).
    fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<()>;

    /// Takes a file copied from disk or from the binary.
    fn copy(&self, rel: &Path, source: &FileSource) -> io::Result<()> {
        match source {
            FileSource::Builtin(bytes) => self.write(rel, bytes),
            FileSource::Disk(from) => self.write(rel, &fs::read(from)?),
        }
    }
}

/// `rel` must be a plain relative path: anything else is refused.
fn check_relative(rel: &Path) -> io::Result<()> {
    let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain || rel.as_os_str().is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "refusing a path outside the output",
        ));
    }
    Ok(())
}

/// A folder being filled with the new site.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    committed: bool,
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
        })
    }

    /// Writes `bytes` at `rel`, creating folders. `rel` must be a plain
    /// relative path: anything else is refused, never written.
    pub fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        let path = self.target(rel)?;
        fs::write(path, bytes)
    }

    /// Copies a file (from disk or the binary) to `rel`.
    pub fn copy(&self, rel: &Path, source: &FileSource) -> io::Result<()> {
        let path = self.target(rel)?;
        match source {
            FileSource::Builtin(bytes) => fs::write(path, bytes),
            FileSource::Disk(from) => fs::copy(from, path).map(|_| ()),
        }
    }

    fn target(&self, rel: &Path) -> io::Result<PathBuf> {
        let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
        if !plain || rel.as_os_str().is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "refusing a path outside the output",
            ));
        }
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        Ok(path)
    }

    /// Replaces the output folder with the staging folder.
    pub fn commit(mut self) -> io::Result<()> {
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
        Ok(())
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

impl Sink for Staging {
    fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        fs::write(self.target(rel)?, bytes)
    }

    fn copy(&self, rel: &Path, source: &FileSource) -> io::Result<()> {
        let path = self.target(rel)?;
        match source {
            FileSource::Builtin(bytes) => fs::write(path, bytes),
            FileSource::Disk(from) => fs::copy(from, path).map(|_| ()),
        }
    }
}

/// The files of a rebuild that differ from the output folder in place.
pub struct Changes {
    dir: PathBuf,
    changed: Mutex<Vec<(PathBuf, Vec<u8>)>>,
    made: Mutex<HashSet<PathBuf>>,
}

impl Changes {
    pub fn new(dir: &Path) -> Changes {
        Changes {
            dir: dir.to_path_buf(),
            changed: Mutex::default(),
            made: Mutex::default(),
        }
    }

    /// Writes the changed files (each through a temporary file and a
    /// rename, so no file is ever half-written) and removes the files the
    /// site no longer makes. Returns how many files changed or went.
    pub fn apply(self) -> io::Result<usize> {
        let changed = self.changed.into_inner().unwrap_or_else(|e| e.into_inner());
        let made = self.made.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut count = changed.len();
        for (rel, bytes) in &changed {
            let path = self.dir.join(rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            let temp = path.with_file_name(format!(
                ".{}.tmp",
                path.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            ));
            fs::write(&temp, bytes)?;
            fs::rename(&temp, &path)?;
        }
        for entry in walkdir::WalkDir::new(&self.dir)
            .contents_first(true)
            .into_iter()
            .filter_map(Result::ok)
        {
            let Ok(rel) = entry.path().strip_prefix(&self.dir) else {
                continue;
            };
            if entry.file_type().is_dir() {
                // Only empty folders go; `remove_dir` refuses the others.
                if !rel.as_os_str().is_empty() && fs::remove_dir(entry.path()).is_ok() {
                    continue;
                }
            } else if !made.contains(rel) {
                fs::remove_file(entry.path())?;
                count += 1;
            }
        }
        Ok(count)
    }
}

impl Sink for Changes {
    fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<()> {
        check_relative(rel)?;
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_path_buf());
        let unchanged = fs::read(self.dir.join(rel)).is_ok_and(|old| old == bytes);
        if !unchanged {
            self.changed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((rel.to_path_buf(), bytes.to_vec()));
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Minifies a rendered HTML page; the settings keep the output valid HTML.
pub fn minify(html: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        minify_js: false,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(html, &cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_location_rules() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        fs::create_dir(root.join("content")).unwrap();
        assert!(check_location(root, &root.join("public")).is_ok());
        assert!(check_location(root, root).is_err());
        assert!(check_location(root, &root.join("content/out")).is_err());
        assert!(check_location(root, &root.join("static")).is_err());
        assert!(check_location(root, root.parent().unwrap()).is_err());
        assert!(check_location(root, &root.join("x/../content")).is_err());
    }

    #[test]
    fn staging_refuses_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public")).unwrap();
        assert!(staging.write(Path::new("../evil.html"), b"x").is_err());
        assert!(staging.write(Path::new("/etc/evil.html"), b"x").is_err());
        assert!(staging.write(Path::new("a/index.html"), b"ok").is_ok());
        staging.commit().unwrap();
        assert!(dir.path().join("public/a/index.html").is_file());
        assert!(!dir.path().join("evil.html").exists());
    }

    #[test]
    fn changes_write_only_what_differs_and_remove_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/same.html"), "same").unwrap();
        fs::write(out.join("a/old.html"), "old").unwrap();
        fs::write(out.join("stale.html"), "stale").unwrap();
        let changes = Changes::new(out);
        changes.write(Path::new("a/same.html"), b"same").unwrap();
        changes.write(Path::new("a/old.html"), b"new").unwrap();
        changes.write(Path::new("b/added.html"), b"added").unwrap();
        assert!(changes.write(Path::new("../escape.html"), b"x").is_err());
        assert_eq!(
            changes.apply().unwrap(),
            3,
            "one changed, one added, one removed"
        );
        assert_eq!(fs::read_to_string(out.join("a/old.html")).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(out.join("b/added.html")).unwrap(),
            "added"
        );
        assert!(!out.join("stale.html").exists());
        assert!(!dir.path().parent().unwrap().join("escape.html").exists());
    }
}
