//! What the last build learned of each source file, kept in
//! `ROOT/.gazette/articles/` so that the next build need not learn it
//! again. The store knows paths and stamps; what it keeps of a file is
//! two values of the caller's types, taken separately: `S` (what loading
//! learned, used while the file keeps its stamp) and `B` (what rendering
//! its body learned, used while the caller accepts it).
//!
//! - Split into [`SHARDS`] shards by a hash of the path, so that a build
//!   that changed a few files rewrites a few shards, not the whole store:
//!   a shard is rewritten unless every entry it holds was used as read.
//! - Files modified less than [`super::SETTLING`] before the build started
//!   are not kept: a second edit within the same tick of the file system's
//!   clock would go unseen.
//! - Another format, version or context (the caller's: the time zone) is
//!   an empty store; so is a shard that cannot be read.
//! - What a build uses is moved out, not copied.

use std::borrow::Cow;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::Stamp;
use crate::fingerprint::{Fingerprint, header};
use crate::paths::PathMap;

const FORMAT: &str = concat!("gazette-articles 6 256 ", env!("CARGO_PKG_VERSION"));

/// How many shards the store is split into.
pub const SHARDS: usize = 256;

/// The store as read at the start of a build.
#[derive(Debug)]
pub struct ArticleStore<S, B> {
    /// [`SHARDS`] long once loaded.
    shards: Vec<Shard<S, B>>,
}

impl<S, B> Default for ArticleStore<S, B> {
    fn default() -> Self {
        ArticleStore { shards: Vec::new() }
    }
}

#[derive(Debug)]
struct Shard<S, B> {
    /// What the build uses is moved out, not copied.
    entries: Mutex<PathMap<Kept<S, B>>>,
    /// How many entries were read.
    count: usize,
    /// Entries whose first part, and whose second part, this build used.
    hits: AtomicUsize,
    body_hits: AtomicUsize,
}

impl<S, B> Default for Shard<S, B> {
    fn default() -> Self {
        Shard {
            entries: Mutex::default(),
            count: 0,
            hits: AtomicUsize::new(0),
            body_hits: AtomicUsize::new(0),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Stored<'a, E> {
    header: Cow<'a, str>,
    context: Cow<'a, str>,
    entries: Vec<E>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry<S, B> {
    path: PathBuf,
    /// Postcard writes a struct's fields in order, unframed: the same
    /// bytes as [`Saved`]'s.
    kept: Kept<S, B>,
}

/// What an entry keeps of its file, by its path in the shard's map.
#[derive(Debug, Serialize, Deserialize)]
struct Kept<S, B> {
    stamp: Stamp,
    /// `None` once taken by the build.
    source: Option<S>,
    body: Option<B>,
}

/// [`Entry`] as saved: borrowed, serialized the same way.
#[derive(Serialize)]
struct Saved<'a, S, B> {
    path: &'a Path,
    stamp: Stamp,
    source: Option<S>,
    body: Option<B>,
}

/// A file of this build, for [`ArticleStore::save`].
#[derive(Debug, Clone, Copy)]
pub struct File<'a> {
    pub path: &'a Path,
    /// `None`: not to be kept (its stamp could not be taken).
    pub stamp: Option<Stamp>,
    /// Whether the build learned the second part too.
    pub has_body: bool,
}

impl<S: DeserializeOwned, B: DeserializeOwned> ArticleStore<S, B> {
    /// Reads the store of the site at `root`; shards that are missing,
    /// unreadable, or of another format or `context` are empty.
    pub fn load(root: &Path, context: &str) -> Self
    where
        S: Send,
        B: Send,
    {
        let header = header(FORMAT);
        let shards = (0..SHARDS)
            .into_par_iter()
            .map(|i| {
                let Ok(bytes) = fs::read(shard_file(root, i)) else {
                    return Shard::default();
                };
                match postcard::from_bytes::<Stored<'static, Entry<S, B>>>(&bytes) {
                    Ok(s) if s.header == header && s.context == context => Shard {
                        count: s.entries.len(),
                        entries: Mutex::new(
                            s.entries
                                .into_iter()
                                .map(|e| (e.path.into_os_string(), e.kept))
                                .collect(),
                        ),
                        ..Shard::default()
                    },
                    _ => Shard::default(),
                }
            })
            .collect();
        ArticleStore { shards }
    }
}

impl<S: Send, B: Send> ArticleStore<S, B> {
    /// The folder of the store of the site at `root`.
    pub fn location(root: &Path) -> PathBuf {
        root.join(crate::reuse::CACHE_DIR).join("articles")
    }

    /// How many files' second parts this build used.
    pub fn reused(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.body_hits.load(Ordering::Relaxed))
            .sum()
    }

    /// Takes the first part kept of `path`, if the file still has the
    /// stamp it had then and `open` makes something of it.
    pub fn take_source<T>(
        &self,
        path: &Path,
        stamp: Stamp,
        open: impl FnOnce(S) -> Option<T>,
    ) -> Option<T> {
        let shard = self.shards.get(shard_of(path))?;
        let mut entries = shard.entries.lock().unwrap_or_else(|e| e.into_inner());
        let e = entries.get_mut(path.as_os_str())?;
        if e.stamp != stamp {
            return None;
        }
        let opened = open(e.source.take()?)?;
        shard.hits.fetch_add(1, Ordering::Relaxed);
        Some(opened)
    }

    /// Takes the second part kept of `path`, if `accept` accepts it.
    pub fn take_body(&self, path: &Path, accept: impl FnOnce(&B) -> bool) -> Option<B> {
        let shard = self.shards.get(shard_of(path))?;
        let mut entries = shard.entries.lock().unwrap_or_else(|e| e.into_inner());
        let e = entries.get_mut(path.as_os_str())?;
        if !accept(e.body.as_ref()?) {
            return None;
        }
        let body = e.body.take();
        shard.body_hits.fetch_add(1, Ordering::Relaxed);
        body
    }

    /// Saves what this build learned of `files`: rewrites the shards whose
    /// entries were not all used as read, asking `parts(i)` for what to
    /// keep of `files[i]` (`None`: nothing). Files modified after `settled`
    /// and paths that are not UTF-8 are left out.
    pub fn save<P, Q>(
        &self,
        root: &Path,
        context: &str,
        files: &[File<'_>],
        settled: SystemTime,
        parts: impl Fn(usize) -> Option<(P, Option<Q>)> + Sync,
    ) -> io::Result<()>
    where
        P: Serialize,
        Q: Serialize,
    {
        let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); SHARDS];
        for (i, f) in files.iter().enumerate() {
            buckets[shard_of(f.path)].push(i);
        }
        fs::create_dir_all(Self::location(root))?;
        buckets
            .par_iter()
            .enumerate()
            .filter(|(i, bucket)| !self.used_as_read(*i, bucket, files))
            .try_for_each(|(i, bucket)| {
                let entries: Vec<Saved<'_, P, Q>> = bucket
                    .iter()
                    .filter_map(|&f| {
                        let file = &files[f];
                        let stamp = file.stamp.filter(|s| s.settled_by(settled))?;
                        file.path.to_str()?;
                        let (source, body) = parts(f)?;
                        Some(Saved {
                            path: file.path,
                            stamp,
                            source: Some(source),
                            body,
                        })
                    })
                    .collect();
                write_shard(&shard_file(root, i), context, entries)
            })
    }

    /// Whether shard `i` holds exactly the files of `bucket`, every one
    /// used as read.
    fn used_as_read(&self, i: usize, bucket: &[usize], files: &[File<'_>]) -> bool {
        let with_body = bucket.iter().filter(|&&f| files[f].has_body).count();
        self.shards.get(i).is_some_and(|shard| {
            shard.count == bucket.len()
                && shard.hits.load(Ordering::Relaxed) == bucket.len()
                && shard.body_hits.load(Ordering::Relaxed) == with_body
        })
    }
}

fn shard_file(root: &Path, shard: usize) -> PathBuf {
    root.join(crate::reuse::CACHE_DIR)
        .join("articles")
        .join(format!("{shard:02x}.bin"))
}

/// Which shard a source path belongs to: the same in every run.
fn shard_of(path: &Path) -> usize {
    let hash = Fingerprint::default()
        .add_bytes(path.as_os_str().as_encoded_bytes())
        .finish()
        .unwrap_or_default();
    (hash % SHARDS as u64) as usize
}

/// Writes a shard as it is encoded, through a temporary file and a
/// rename ([`super::replace`]); an empty shard is removed.
fn write_shard<E: Serialize>(file: &Path, context: &str, entries: Vec<E>) -> io::Result<()> {
    if entries.is_empty() {
        return super::remove(file);
    }
    let stored = Stored {
        header: Cow::Owned(header(FORMAT)),
        context: Cow::Borrowed(context),
        entries,
    };
    super::replace(file, |out| {
        postcard::to_io(&stored, out).map_err(io::Error::other)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Store = ArticleStore<String, u32>;

    fn stamp(n: u64) -> Stamp {
        Stamp {
            len: n,
            modified: 1,
        }
    }

    #[test]
    fn kept_while_the_stamp_holds_and_taken_once() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (Path::new("content/a.md"), Path::new("content/b.md"));
        let files = [
            File {
                path: a,
                stamp: Some(stamp(1)),
                has_body: true,
            },
            File {
                path: b,
                stamp: Some(stamp(2)),
                has_body: false,
            },
        ];
        let parts = |i: usize| Some((format!("source {i}"), (i == 0).then_some(7u32)));
        let now = SystemTime::now();
        Store::default()
            .save(dir.path(), "UTC", &files, now, parts)
            .unwrap();
        let store = Store::load(dir.path(), "UTC");
        assert_eq!(store.take_source(a, stamp(9), Some), None, "another stamp");
        assert_eq!(
            store.take_source(a, stamp(1), Some).as_deref(),
            Some("source 0")
        );
        assert_eq!(store.take_source(a, stamp(1), Some), None, "taken");
        assert_eq!(store.take_body(a, |&n| n == 8), None, "not accepted");
        assert_eq!(store.take_body(a, |&n| n == 7), Some(7));
        assert_eq!(store.reused(), 1);
        assert!(
            Store::load(dir.path(), "Europe/Paris")
                .take_source(b, stamp(2), Some)
                .is_none()
        );
        let unsettled = SystemTime::UNIX_EPOCH;
        Store::default()
            .save(dir.path(), "UTC", &files, unsettled, parts)
            .unwrap();
        assert!(
            Store::load(dir.path(), "UTC")
                .take_source(b, stamp(2), Some)
                .is_none()
        );
    }
}
