//! Stage 5, publish: the only code that writes under the output folder.
//!
//! Two ways, both behind [`Sink`]:
//! - [`Staging`] (a full build): files go into a staging folder beside the
//!   output; only when every file is written does it replace the output
//!   (the old one is moved aside, then removed).
//! - [`Changes`] (an incremental build, serve): files whose inputs did not
//!   change since the last build's manifest are kept; the others are
//!   compared with the output, and those whose bytes changed are moved into
//!   place (each atomically) once the whole site rendered without error;
//!   files no longer made are removed.
//!
//! Either way a failed build leaves the old output as it was, and every path
//! written is checked to stay inside the output.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::slice::ParallelSliceMut;

use crate::manifest::{self, Manifest, Record};
use crate::paths::PathSet;
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

/// Where rendered files go. Every file comes with its fingerprint (see
/// [`crate::manifest`]); a sink records what it wrote for the next build.
pub trait Sink: Sync {
    /// Whether the file at `rel` is still the one made from these inputs,
    /// so it need not be made again (the sink then keeps it).
    fn keep(&self, _rel: &Path, _fingerprint: u64) -> bool {
        false
    }

    /// Whether every file below the folder `dir` is still one made from
    /// inputs of this fingerprint; if so they are kept, and counted.
    fn keep_folder(&self, _dir: &Path, _fingerprint: u64) -> Option<usize> {
        None
    }

    /// Takes the bytes of the file at `rel` (relative to the output).
    fn write(&self, rel: &Path, fingerprint: u64, bytes: &[u8]) -> io::Result<()>;

    /// Takes a file copied from disk or from the binary.
    fn copy(&self, rel: &Path, fingerprint: u64, source: &FileSource) -> io::Result<()> {
        match source {
            FileSource::Builtin(bytes) => self.write(rel, fingerprint, bytes),
            FileSource::Disk(from) => self.write(rel, fingerprint, &fs::read(from)?),
        }
    }
}

/// The records of the files a sink made or kept, for the next manifest.
#[derive(Default)]
struct Records(Mutex<Vec<(PathBuf, Record)>>);

impl Records {
    fn push(&self, rel: &Path, fingerprint: u64, file: &Path) -> io::Result<()> {
        let (len, modified) = manifest::stamp(file)?;
        self.push_record(
            rel,
            Record {
                fingerprint,
                len,
                modified,
            },
        );
        Ok(())
    }

    fn push_record(&self, rel: &Path, record: Record) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((rel.to_path_buf(), record));
    }

    fn into_sorted(self) -> Vec<(PathBuf, Record)> {
        let mut records = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        // Any fixed order will do: bytes are the quickest.
        records.par_sort_unstable_by(|a, b| {
            a.0.as_os_str()
                .as_encoded_bytes()
                .cmp(b.0.as_os_str().as_encoded_bytes())
        });
        records
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

/// A rebuild of the output folder in place. Files whose fingerprint and
/// stamp match the previous manifest are kept without being made; the
/// others are compared with the file on disk, and those whose bytes changed
/// are written beside it under a hidden temporary name. Only [`apply`]
/// renames them into place (each rename is atomic) and removes the files
/// the site no longer makes (those of the previous manifest; without one,
/// every other file); dropped without `apply`, the temporary files go and
/// the output is as it was.
///
/// [`apply`]: Changes::apply
pub struct Changes {
    dir: PathBuf,
    previous: Option<Manifest>,
    /// (file, its temporary, fingerprint) of each changed file.
    pending: Mutex<Vec<(PathBuf, PathBuf, u64)>>,
    made: Mutex<PathSet>,
    /// How many files were kept as the previous manifest records them.
    kept: AtomicUsize,
    records: Records,
}

impl Changes {
    /// `previous`: the manifest of the last build into `dir`, if any.
    pub fn new(dir: &Path, previous: Option<Manifest>) -> Changes {
        Changes {
            dir: dir.to_path_buf(),
            previous,
            pending: Mutex::default(),
            made: Mutex::default(),
            kept: AtomicUsize::new(0),
            records: Records::default(),
        }
    }

    /// Whether there is nothing to apply: every file of the previous
    /// manifest was kept, and no other was made.
    pub fn is_empty(&self) -> bool {
        let made = self.made.lock().unwrap_or_else(|e| e.into_inner()).len();
        let kept = self.kept.load(Ordering::Relaxed);
        self.previous.as_ref().is_some_and(|p| p.len() == kept) && made == kept
    }

    fn made(&self, rel: &Path) {
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.as_os_str().to_os_string());
    }

    /// Moves the changed files into place and removes the files the site no
    /// longer makes. Returns how many files changed or went, and the
    /// records of every file of the site.
    pub fn apply(mut self) -> io::Result<(usize, Vec<(PathBuf, Record)>)> {
        let pending = std::mem::take(self.pending.get_mut().unwrap_or_else(|e| e.into_inner()));
        let made = std::mem::take(self.made.get_mut().unwrap_or_else(|e| e.into_inner()));
        let mut count = pending.len();
        for (rel, temp, fingerprint) in &pending {
            let path = self.dir.join(rel);
            fs::rename(temp, &path)?;
            self.records.push(rel, *fingerprint, &path)?;
        }
        // Files no longer made: those of the last manifest, or, without
        // one, every other file in the folder.
        let gone: Vec<PathBuf> = match &self.previous {
            Some(previous) => previous
                .paths()
                .filter(|rel| !made.contains(rel.as_os_str()))
                .map(Path::to_path_buf)
                .collect(),
            None => walkdir::WalkDir::new(&self.dir)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| !e.file_type().is_dir())
                .filter_map(|e| e.path().strip_prefix(&self.dir).ok().map(Path::to_path_buf))
                .filter(|rel| !made.contains(rel.as_os_str()))
                .collect(),
        };
        let mut emptied = std::collections::BTreeSet::new();
        for rel in &gone {
            match fs::remove_file(self.dir.join(rel)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => count += 1,
            }
            emptied.extend(rel.parent().filter(|p| !p.as_os_str().is_empty()));
        }
        // Folders left empty go, deepest first; `remove_dir` refuses the
        // others.
        for dir in emptied.iter().rev() {
            let mut dir = Some(*dir);
            while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
                if fs::remove_dir(self.dir.join(d)).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        Ok((count, std::mem::take(&mut self.records).into_sorted()))
    }
}

impl Sink for Changes {
    fn keep(&self, rel: &Path, fingerprint: u64) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        let Some(record) = previous.unchanged(&self.dir, rel, fingerprint) else {
            return false;
        };
        self.made(rel);
        self.kept.fetch_add(1, Ordering::Relaxed);
        self.records.push_record(rel, record);
        true
    }

    fn keep_folder(&self, dir: &Path, fingerprint: u64) -> Option<usize> {
        let previous = self.previous.as_ref()?;
        let files: Vec<(&Path, Record)> = previous
            .under(dir)
            .map(|(rel, _)| Some((rel, previous.unchanged(&self.dir, rel, fingerprint)?)))
            .collect::<Option<_>>()?;
        if files.is_empty() {
            return None;
        }
        for (rel, record) in &files {
            self.made(rel);
            self.records.push_record(rel, *record);
        }
        self.kept.fetch_add(files.len(), Ordering::Relaxed);
        Some(files.len())
    }

    fn write(&self, rel: &Path, fingerprint: u64, bytes: &[u8]) -> io::Result<()> {
        check_relative(rel)?;
        self.made(rel);
        let path = self.dir.join(rel);
        if fs::read(&path).is_ok_and(|old| old == bytes) {
            return self.records.push(rel, fingerprint, &path);
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let temp = path.with_file_name(format!(
            ".{}.gazette-new",
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
        fs::write(&temp, bytes)?;
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((rel.to_path_buf(), temp, fingerprint));
        Ok(())
    }
}

impl Drop for Changes {
    fn drop(&mut self) {
        let pending = self.pending.get_mut().unwrap_or_else(|e| e.into_inner());
        for (_, temp, _) in pending.drain(..) {
            let _ = fs::remove_file(&temp);
            // Folders made for new files go too, if nothing else is in them.
            let mut dir = temp.parent();
            while let Some(d) = dir.filter(|d| *d != self.dir) {
                if fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
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
        assert!(staging.write(Path::new("../evil.html"), 0, b"x").is_err());
        assert!(staging.write(Path::new("/etc/evil.html"), 0, b"x").is_err());
        assert!(staging.write(Path::new("a/index.html"), 0, b"ok").is_ok());
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
        let changes = Changes::new(out, None);
        changes.write(Path::new("a/same.html"), 0, b"same").unwrap();
        changes.write(Path::new("a/old.html"), 0, b"new").unwrap();
        changes
            .write(Path::new("b/added.html"), 0, b"added")
            .unwrap();
        assert!(changes.write(Path::new("../escape.html"), 0, b"x").is_err());
        assert_eq!(
            changes.apply().unwrap().0,
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
