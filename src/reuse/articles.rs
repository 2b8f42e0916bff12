//! What the last build learned of each source file, kept in
//! `ROOT/.gazette/articles/` so that the next build need not learn it
//! again. The store knows paths and stamps; what it keeps of a file is
//! two encoded values of the caller's, taken separately: the first (what
//! loading learned, used while the file keeps its stamp) and the second
//! (what rendering its body learned, used while the caller accepts it).
//!
//! - Split into [`SHARDS`] shards by a hash of the path, so that a build
//!   that changed a few files rewrites a few shards, not the whole store:
//!   a shard is rewritten unless every entry it holds was used as read.
//! - A shard is held as read, with where each entry lies in it: a value
//!   is decoded only when the build takes it (the store of an archive of
//!   100,000 articles took 171 MiB decoded up front, against its 69 MB).
//! - Files modified less than [`super::SETTLING`] before the build started
//!   are not kept: a second edit within the same tick of the file system's
//!   clock would go unseen.
//! - Another format, version or context (the caller's: the time zone) is
//!   an empty store; so is a shard that cannot be read.
//! - Each value is taken once.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::SystemTime;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Bytes, Stamp};
use crate::fingerprint::{Fingerprint, header};

const FORMAT: &str = concat!("gazette-articles 8 256 ", env!("CARGO_PKG_VERSION"));

/// How many shards the store is split into.
pub const SHARDS: usize = 256;

/// The store as read at the start of a build.
#[derive(Debug, Default)]
pub struct ArticleStore {
    /// [`SHARDS`] long once loaded.
    shards: Vec<Shard>,
}

#[derive(Debug, Default)]
struct Shard {
    /// The shard's file as read.
    bytes: Bytes,
    entries: Vec<Held>,
    /// Each entry by a hash of its path ([`path_hash`]); of two paths
    /// with one hash, the second is not found (and so read again).
    by_path: HashMap<u64, usize, foldhash::fast::RandomState>,
    /// Entries whose first part, and whose second part, this build used.
    hits: AtomicUsize,
    body_hits: AtomicUsize,
}

/// An entry of a shard: where its path and values lie in the shard's
/// bytes, and whether each value was taken.
#[derive(Debug)]
struct Held {
    path: Range<usize>,
    stamp: Stamp,
    source: Option<Range<usize>>,
    body: Option<Range<usize>>,
    source_taken: AtomicBool,
    body_taken: AtomicBool,
}

#[derive(Debug, Serialize, Deserialize)]
struct Stored<'a, E> {
    header: Cow<'a, str>,
    context: Cow<'a, str>,
    entries: Vec<E>,
}

/// An entry as written, and as read: borrowed from the shard's bytes.
#[derive(Debug, Serialize, Deserialize)]
struct Entry<'a> {
    path: &'a str,
    stamp: Stamp,
    #[serde(borrow)]
    source: Option<Encoded<'a>>,
    #[serde(borrow)]
    body: Option<Encoded<'a>>,
}

/// Bytes in an encoded value, read back without a copy: serde takes a
/// `Cow<[u8]>` (or a `Vec<u8>`) as a sequence, a byte at a time, into a
/// new vector. The same bytes in postcard either way.
#[derive(Debug)]
pub(crate) struct Encoded<'a>(pub Cow<'a, [u8]>);

impl Serialize for Encoded<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Encoded<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'de [u8]>::deserialize(d).map(|b| Encoded(Cow::Borrowed(b)))
    }
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

impl ArticleStore {
    /// Reads the store of the site at `root`; shards that are missing,
    /// unreadable, or of another format or `context` are empty.
    pub fn load(root: &Path, context: &str) -> Self {
        let header = header(FORMAT);
        let shards = (0..SHARDS)
            .into_par_iter()
            .map(|i| {
                let bytes = Bytes::of(&shard_file(root, i)).unwrap_or_default();
                Shard::read(bytes, &header, context).unwrap_or_default()
            })
            .collect();
        ArticleStore { shards }
    }

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

    /// Lets go of the shards as read (unmapped, or freed where they were
    /// read): nothing more is taken from them.
    pub fn release(&mut self) {
        for shard in &mut self.shards {
            shard.bytes = Bytes::default();
            for e in &mut shard.entries {
                (e.source, e.body) = (None, None);
            }
        }
    }

    /// Where `path`'s entry is: its shard's number and its place there,
    /// as one number (`entry * SHARDS + shard`); tried at `at` first.
    fn find(&self, path: &Path, at: Option<usize>) -> Option<usize> {
        let name = path.as_os_str().as_encoded_bytes();
        let is_path = |at: usize| {
            let (shard, e) = self.entry(at)?;
            (shard.bytes.get(e.path.clone()) == Some(name)).then_some(at)
        };
        at.and_then(is_path).or_else(|| {
            let hash = path_hash(name);
            let shard = shard_of(hash);
            is_path(*self.shards.get(shard)?.by_path.get(&hash)? * SHARDS + shard)
        })
    }

    /// The entry at `at` (as [`ArticleStore::find`] gives it), with its shard.
    fn entry(&self, at: usize) -> Option<(&Shard, &Held)> {
        let shard = self.shards.get(at % SHARDS)?;
        Some((shard, shard.entries.get(at / SHARDS)?))
    }

    /// Takes the first part kept of `path`, if the file still has the
    /// stamp it had then and `open` makes something of its bytes; `open`
    /// is told where the entry is, for [`ArticleStore::take_body`].
    pub fn take_source<T>(
        &self,
        path: &Path,
        stamp: Stamp,
        open: impl FnOnce(&[u8], usize) -> Option<T>,
    ) -> Option<T> {
        let at = self.find(path, None)?;
        let (shard, e) = self.entry(at)?;
        if e.stamp != stamp || e.source_taken.swap(true, Ordering::Relaxed) {
            return None;
        }
        let opened = open(shard.bytes.get(e.source.clone()?)?, at)?;
        shard.hits.fetch_add(1, Ordering::Relaxed);
        Some(opened)
    }

    /// Takes the second part kept of `path`, if `accept` makes something
    /// of its bytes; looked for first at `at`, where
    /// [`ArticleStore::take_source`] found it, without a second search by
    /// the hash of its path.
    pub fn take_body<T>(
        &self,
        path: &Path,
        at: Option<usize>,
        accept: impl FnOnce(&[u8]) -> Option<T>,
    ) -> Option<T> {
        let (shard, e) = self.entry(self.find(path, at)?)?;
        if e.body_taken.load(Ordering::Relaxed) {
            return None;
        }
        let accepted = accept(shard.bytes.get(e.body.clone()?)?)?;
        if e.body_taken.swap(true, Ordering::Relaxed) {
            return None;
        }
        shard.body_hits.fetch_add(1, Ordering::Relaxed);
        Some(accepted)
    }

    /// Saves what this build learned of `files`: rewrites the shards whose
    /// entries were not all used as read, asking `parts(i)` for what to
    /// keep of `files[i]` (`None`: nothing), encoded. Files modified after
    /// `settled` and paths that are not UTF-8 are left out.
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
            buckets[shard_of(path_hash(f.path.as_os_str().as_encoded_bytes()))].push(i);
        }
        fs::create_dir_all(Self::location(root))?;
        buckets
            .par_iter()
            .enumerate()
            .filter(|(i, bucket)| !self.used_as_read(*i, bucket, files))
            .try_for_each(|(i, bucket)| {
                let entries: Vec<Entry<'_>> = bucket
                    .iter()
                    .filter_map(|&f| {
                        let file = &files[f];
                        let stamp = file.stamp.filter(|s| s.settled_by(settled))?;
                        let path = file.path.to_str()?;
                        let (source, body) = parts(f)?;
                        let body = match body {
                            Some(b) => Some(encode(&b)?),
                            None => None,
                        };
                        Some(Entry {
                            path,
                            stamp,
                            source: Some(encode(&source)?),
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
            shard.entries.len() == bucket.len()
                && shard.hits.load(Ordering::Relaxed) == bucket.len()
                && shard.body_hits.load(Ordering::Relaxed) == with_body
        })
    }
}

impl Shard {
    /// The shard of `bytes`, if they are one of this format and `context`.
    fn read(bytes: Bytes, header: &str, context: &str) -> Option<Shard> {
        let start = bytes.as_ptr() as usize;
        let within = |part: &[u8]| {
            let at = part.as_ptr() as usize - start;
            at..at + part.len()
        };
        let stored: Stored<'_, Entry<'_>> = postcard::from_bytes(&bytes).ok()?;
        if stored.header != header || stored.context != context {
            return None;
        }
        let mut by_path = HashMap::default();
        by_path.reserve(stored.entries.len());
        let mut entries = Vec::with_capacity(stored.entries.len());
        for e in &stored.entries {
            let span = |v: &Option<Encoded<'_>>| v.as_ref().map(|v| within(&v.0));
            by_path
                .entry(path_hash(e.path.as_bytes()))
                .or_insert(entries.len());
            entries.push(Held {
                path: within(e.path.as_bytes()),
                stamp: e.stamp,
                source: span(&e.source),
                body: span(&e.body),
                source_taken: AtomicBool::new(false),
                body_taken: AtomicBool::new(false),
            });
        }
        drop(stored);
        Some(Shard {
            bytes,
            entries,
            by_path,
            ..Shard::default()
        })
    }
}

/// A value as kept; `None` if it cannot be encoded.
fn encode<T: Serialize>(value: &T) -> Option<Encoded<'static>> {
    postcard::to_allocvec(value)
        .ok()
        .map(|bytes| Encoded(Cow::Owned(bytes)))
}

/// The hash of a source path, the same in every run: what its shard is
/// chosen by ([`shard_of`]) and what the shard finds it by.
fn path_hash(name: &[u8]) -> u64 {
    Fingerprint::default()
        .add_bytes(name)
        .finish()
        .unwrap_or_default()
}

fn shard_file(root: &Path, shard: usize) -> PathBuf {
    root.join(crate::reuse::CACHE_DIR)
        .join("articles")
        .join(format!("{shard:02x}.bin"))
}

/// Which shard the path of this [`path_hash`] belongs to.
fn shard_of(hash: u64) -> usize {
    (hash % SHARDS as u64) as usize
}

/// Writes a shard as it is encoded, through a temporary file and a
/// rename ([`super::replace`]); an empty shard is removed.
fn write_shard(file: &Path, context: &str, entries: Vec<Entry<'_>>) -> io::Result<()> {
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

    type Store = ArticleStore;

    fn text(bytes: &[u8], _at: usize) -> Option<String> {
        postcard::from_bytes(bytes).ok()
    }

    /// Accepts a kept number if it is `want`.
    fn number(want: u32) -> impl FnOnce(&[u8]) -> Option<u32> {
        move |bytes| postcard::from_bytes(bytes).ok().filter(|&n| n == want)
    }

    fn stamp(n: u64) -> Stamp {
        Stamp {
            len: n,
            modified: 1,
        }
    }

    #[test]
    fn a_body_is_found_where_its_source_was_and_by_its_path_else() {
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<PathBuf> = (0..600)
            .map(|i| PathBuf::from(format!("content/{i}.md")))
            .collect();
        let files: Vec<File<'_>> = (names.iter())
            .map(|path| File {
                path,
                stamp: Some(stamp(1)),
                has_body: true,
            })
            .collect();
        let parts = |i: usize| Some((i as u32, Some(i as u32)));
        let now = SystemTime::now();
        Store::default()
            .save(dir.path(), "UTC", &files, now, parts)
            .unwrap();
        let store = Store::load(dir.path(), "UTC");
        let place = |i: usize| store.take_source(&names[i], stamp(1), |_, at| Some(at));
        let (at_1, at_2) = (place(1).unwrap(), place(2).unwrap());
        assert_ne!(at_1, at_2);
        assert_eq!(store.take_body(&names[1], Some(at_1), number(1)), Some(1));
        // Told another entry's place, or none there: found by its path.
        assert_eq!(store.take_body(&names[2], Some(at_1), number(2)), Some(2));
        let nowhere = Some(usize::MAX / 2);
        assert_eq!(store.take_body(&names[3], nowhere, number(3)), Some(3));
        assert_eq!(store.reused(), 3);
        // Out of the hash index (as the second of two paths with one hash
        // is): found at its place only.
        let mut store = Store::load(dir.path(), "UTC");
        let at_4 = store.take_source(&names[4], stamp(1), |_, at| Some(at));
        let hash = path_hash(names[4].as_os_str().as_encoded_bytes());
        store.shards[shard_of(hash)].by_path.remove(&hash);
        assert_eq!(store.take_body(&names[4], None, number(4)), None);
        assert_eq!(store.take_body(&names[4], at_4, number(4)), Some(4));
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
        assert_eq!(store.take_source(a, stamp(9), text), None, "another stamp");
        assert_eq!(
            store.take_source(a, stamp(1), text).as_deref(),
            Some("source 0")
        );
        assert_eq!(store.take_source(a, stamp(1), text), None, "taken");
        assert_eq!(store.take_body(a, None, number(8)), None, "not accepted");
        assert_eq!(store.take_body(a, None, number(7)), Some(7));
        assert_eq!(store.take_body(a, None, number(7)), None, "taken");
        assert_eq!(store.reused(), 1);
        assert_eq!(
            store.take_source(b, stamp(2), text).as_deref(),
            Some("source 1")
        );
        assert_eq!(store.take_body(b, None, number(7)), None, "none kept");
        let mut store = Store::load(dir.path(), "UTC");
        store.release();
        assert_eq!(store.take_source(a, stamp(1), text), None, "let go");
        assert!(
            Store::load(dir.path(), "Europe/Paris")
                .take_source(b, stamp(2), text)
                .is_none()
        );
        let unsettled = SystemTime::UNIX_EPOCH;
        Store::default()
            .save(dir.path(), "UTC", &files, unsettled, parts)
            .unwrap();
        assert!(
            Store::load(dir.path(), "UTC")
                .take_source(b, stamp(2), text)
                .is_none()
        );
    }

    #[test]
    fn encoded_bytes_are_borrowed_and_read_as_a_sequence_would_be() {
        let bytes: Vec<u8> = (0..=255).chain(0..10).collect();
        let as_sequence = postcard::to_allocvec(&(7u64, Cow::Borrowed(&bytes[..]))).unwrap();
        let as_bytes = postcard::to_allocvec(&(7u64, Encoded(Cow::Borrowed(&bytes)))).unwrap();
        assert_eq!(as_sequence, as_bytes, "one format either way");
        let (n, read): (u64, Encoded<'_>) = postcard::from_bytes(&as_sequence).unwrap();
        assert_eq!((n, &*read.0), (7, &bytes[..]));
        assert!(matches!(read.0, Cow::Borrowed(_)), "not copied");
    }

    #[test]
    fn a_shard_cut_short_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let a = Path::new("content/a.md");
        let files = [File {
            path: a,
            stamp: Some(stamp(1)),
            has_body: false,
        }];
        let parts = |_| Some(("source".to_string(), None::<u32>));
        Store::default()
            .save(dir.path(), "UTC", &files, SystemTime::now(), parts)
            .unwrap();
        let shard = shard_file(
            dir.path(),
            shard_of(path_hash(a.as_os_str().as_encoded_bytes())),
        );
        let whole = fs::read(&shard).unwrap();
        assert!(
            Store::load(dir.path(), "UTC")
                .take_source(a, stamp(1), text)
                .is_some()
        );
        fs::write(&shard, &whole[..whole.len() - 3]).unwrap();
        assert_eq!(
            Store::load(dir.path(), "UTC").take_source(a, stamp(1), text),
            None
        );
    }
}
