//! Stage 5, publish: the only code that writes under the output folder.
//!
//! Two ways, both implementing render's `Sink`, and the steps around
//! them ([`publish`], [`update`]: manifest out, files in, manifest back):
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

mod changes;
mod publish;
mod staging;

use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::slice::ParallelSliceMut;

use crate::reuse::Stamp;
use crate::reuse::manifest::Record;
pub use changes::Changes;
pub use publish::{publish, update};
pub use staging::Staging;

/// A hidden name beside an output folder: `.public.{what}` for `public/`
/// (its staging folder, its lock file...), on its file system as a rule,
/// so that renames between the two are atomic.
pub fn beside(output: &Path, what: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.{what}"))
}

/// The lock file of an output folder ([`crate::lock`]): beside it, since a
/// full build swaps the folder itself.
pub fn lock_file(output: &Path) -> PathBuf {
    beside(output, "lock")
}

/// Clears what a killed build may have left beside `output` (a staging
/// folder, the old output moved aside, changed files pending) before a
/// build writes; an old output left aside while no output stands goes
/// back first.
pub fn sweep(output: &Path) -> io::Result<()> {
    let aside = staging::aside(output);
    if !output.exists() && aside.is_dir() {
        std::fs::rename(&aside, output)?;
    }
    for dir in [
        aside,
        staging::staging_folder(output),
        changes::pending_folder(output),
    ] {
        match std::fs::remove_dir_all(&dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

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

/// The records of the files a sink made or kept, for the next manifest.
#[derive(Default)]
pub(crate) struct Records(Mutex<Vec<(PathBuf, Record)>>);

impl Records {
    pub(crate) fn push(&self, rel: &Path, fingerprint: u64, file: &Path) -> io::Result<()> {
        let stamp = Stamp::of(file)?;
        self.push_record(rel, Record { fingerprint, stamp });
        Ok(())
    }

    pub(crate) fn push_record(&self, rel: &Path, record: Record) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((rel.to_path_buf(), record));
    }

    pub(crate) fn into_sorted(self) -> Vec<(PathBuf, Record)> {
        self.into_sorted_with(std::iter::empty())
    }

    /// These records and `more`, sorted.
    pub(crate) fn into_sorted_with(
        self,
        more: impl Iterator<Item = (PathBuf, Record)>,
    ) -> Vec<(PathBuf, Record)> {
        let mut records = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        records.extend(more);
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
pub(crate) fn check_relative(rel: &Path) -> io::Result<()> {
    let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain || rel.as_os_str().is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "refusing a path outside the output",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

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
}
