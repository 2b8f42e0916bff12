//! Reuse: what one build keeps for the next, as plain stores that know
//! paths, stamps and fingerprints but nothing of articles, pages or
//! templates.
//!
//! - [`Stamp`]: the one way a file's version is told apart (size and
//!   modification time).
//! - [`manifest`]: each output file with the fingerprint of the inputs it
//!   was made from (`ROOT/.gazette/manifests/`).
//! - [`articles`]: a sharded store of what was learned of each source
//!   file, in two parts taken separately (`ROOT/.gazette/articles/`).
//! - [`memory`]: values kept in memory between the builds of `serve`.
//! - [`value`]: one value of the caller's kept in a file (the fingerprints
//!   of a build's pages and articles, `ROOT/.gazette/manifests/`).
//!
//! The stages do not import these stores: `content` and `site` each own a
//! small trait saying what they may reuse, and the pipeline answers it from
//! a store (`pipeline::cache`). A hit must give the same values as doing
//! the work again; the incremental tests check that.

pub mod articles;
pub mod manifest;
pub mod memory;
pub mod value;

use std::fs;
use std::io;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The site's cache folder, below its root: what builds keep for the next
/// (articles, manifests, the search vocabulary), and `serve`'s output.
pub const CACHE_DIR: &str = ".gazette";

/// How long a file must have been left alone before a build started for
/// what was learned of it to be kept: longer than the coarsest clock of
/// common file systems (two seconds on FAT), so that a second edit within
/// one tick is not missed.
pub const SETTLING: Duration = Duration::from_secs(3);

/// A file's size and modification time (nanoseconds since the epoch).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct Stamp {
    pub len: u64,
    pub modified: u128,
}

impl Stamp {
    /// The stamp of the file at `path` (following symlinks).
    pub fn of(path: &Path) -> io::Result<Stamp> {
        let meta = fs::metadata(path)?;
        Ok(Stamp {
            len: meta.len(),
            modified: nanos(meta.modified()?),
        })
    }

    /// The stamp of the file at `rel` in the open folder `dir`, as
    /// [`Stamp::of`] gives it. The output's files are looked at this way:
    /// a path walk of the few parts below the folder, not of the whole
    /// path, is a third of the cost of keeping an unchanged file.
    pub fn at(dir: &Folder, rel: &Path) -> io::Result<Stamp> {
        let stat = rustix::fs::statat(&dir.0, rel, rustix::fs::AtFlags::empty())?;
        let (secs, ns) = (stat.st_mtime, stat.st_mtime_nsec);
        let modified = match u128::try_from(secs) {
            Ok(secs) => secs * 1_000_000_000 + ns as u128,
            Err(_) => 0,
        };
        Ok(Stamp {
            len: stat.st_size as u64,
            modified,
        })
    }

    /// Whether the file was modified before `instant`.
    pub fn settled_by(&self, instant: SystemTime) -> bool {
        self.modified < nanos(instant)
    }
}

/// A folder held open, for [`Stamp::at`].
#[derive(Debug)]
pub struct Folder(std::os::fd::OwnedFd);

impl Folder {
    pub fn open(path: &Path) -> io::Result<Folder> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        Ok(Folder(rustix::fs::open(path, flags, Mode::empty())?))
    }
}

/// The bytes of a file of the cache folder, mapped from the system's page
/// cache where the file system allows it, else read. A build reads about
/// 90 MB of them at 100,000 articles; read, each of their pages was
/// copied into memory faulted in for it (a fifth of the faults of a
/// one-article rebuild).
#[derive(Debug)]
pub enum Bytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl Bytes {
    pub fn of(file: &Path) -> io::Result<Bytes> {
        let mut f = fs::File::open(file)?;
        // SAFETY: a mapped file must not change while it is mapped. gazette
        // writes the files of its cache folder only through [`replace`]
        // (a new file renamed over the old, whose mapping keeps the old
        // bytes), under the site's lock; nothing else is meant to write
        // there.
        match unsafe { memmap2::Mmap::map(&f) } {
            Ok(map) => Ok(Bytes::Mapped(map)),
            // An empty file cannot be mapped, nor one of some file systems.
            Err(_) => {
                let mut bytes = Vec::new();
                io::Read::read_to_end(&mut f, &mut bytes)?;
                Ok(Bytes::Read(bytes))
            }
        }
    }

    /// The bytes to change (mapped ones are copied first).
    pub fn to_mut(&mut self) -> &mut Vec<u8> {
        if let Bytes::Mapped(map) = self {
            *self = Bytes::Read(map.to_vec());
        }
        match self {
            Bytes::Read(bytes) => bytes,
            Bytes::Mapped(_) => unreachable!("copied above"),
        }
    }
}

impl Default for Bytes {
    fn default() -> Self {
        Bytes::Read(Vec::new())
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(map) => map,
            Bytes::Read(bytes) => bytes,
        }
    }
}

/// Writes `file` through a temporary file beside it (named for this
/// process) and a rename, so that a reader never sees half of it; the
/// temporary goes if anything fails.
pub fn replace(
    file: &Path,
    write: impl FnOnce(&mut io::BufWriter<fs::File>) -> io::Result<()>,
) -> io::Result<()> {
    let temp = file.with_extension(format!("{}.tmp", std::process::id()));
    let written = (|| {
        let mut out = io::BufWriter::new(fs::File::create(&temp)?);
        write(&mut out)?;
        out.into_inner().map_err(io::Error::other)?;
        fs::rename(&temp, file)
    })();
    written.inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

/// Removes `file`; one that is not there is no error.
pub fn remove(file: &Path) -> io::Result<()> {
    match fs::remove_file(file) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn nanos(t: SystemTime) -> u128 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_the_files_and_outlive_its_replacement() {
        let dir = tempfile::tempdir().unwrap();
        let (empty, file) = (dir.path().join("empty"), dir.path().join("file"));
        fs::write(&empty, b"").unwrap();
        fs::write(&file, b"first").unwrap();
        assert!(Bytes::of(&empty).unwrap().is_empty());
        let held = Bytes::of(&file).unwrap();
        assert!(matches!(held, Bytes::Mapped(_)));
        // How every file of the cache folder is written again.
        replace(&file, |out| io::Write::write_all(out, b"second, longer")).unwrap();
        assert_eq!(&*held, b"first");
        assert_eq!(&*Bytes::of(&file).unwrap(), b"second, longer");
        assert!(Bytes::of(&dir.path().join("none")).is_err());
    }
}
