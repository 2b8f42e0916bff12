//! What the last build wrote: each output file with the fingerprint of the
//! inputs it was made from, and its size and modification time once
//! written. The next build into the same folder renders and writes only
//! the files whose fingerprint changed or whose file on disk is not the one
//! recorded (edited or removed by hand).
//!
//! A fingerprint is a hash of everything a file's bytes depend on: for a
//! page, the template set and the data given to its template; for a copied
//! file, its source's path, size and time; for feeds and sitemaps, the
//! value each is written from; for other generated files (news sitemap,
//! robots.txt), the bytes. Fingerprints are taken elsewhere (see
//! `crate::fingerprint`); the manifest only keeps them.
//! The manifest lives in `ROOT/.gazette/manifests/`, one per output folder,
//! and is removed before an output is changed in place, so a build stopped
//! half-way is followed by a full one.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs;
use std::hash::{BuildHasher, DefaultHasher, Hash, Hasher};
use std::io::{self, Write};
use std::ops::Range;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Bytes, Folder, Stamp};
use crate::fingerprint::header;
use crate::paths::PathMap;

/// Stable within one gazette binary: a different version starts afresh.
const FORMAT: &str = concat!("gazette-manifest 1 ", env!("CARGO_PKG_VERSION"));

/// A file as the last build left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub fingerprint: u64,
    /// The file as written.
    pub stamp: Stamp,
}

#[derive(Debug, Default)]
pub struct Manifest {
    /// The recorded paths, one after the other (a manifest read from its
    /// file keeps the file's text, mapped, and its paths are in it).
    names: Bytes,
    /// Each file: where its path lies in `names`, and its record. Its
    /// place here is its slot: what a build marks the files it keeps or
    /// makes by ([`Manifest::slot`]).
    files: Vec<(Range<usize>, Record)>,
    /// Each file's slot by a hash of its path ([`path_hash`]): a manifest
    /// of 150,000 files is found in without a key made for each.
    by_hash: HashMap<u64, usize, foldhash::fast::RandomState>,
    /// The slots of paths whose hash another path had first.
    collided: PathMap<usize>,
    /// Whether the files it records are taken to be on disk as written,
    /// unchecked: for an output folder only gazette writes.
    trusted: bool,
}

/// What describes an output folder after a build updated it, for a
/// caller that keeps it in memory (`serve`): the manifest that stood (no
/// file changed), or the records just saved.
pub enum Current {
    Stood(Manifest),
    Saved(Vec<(PathBuf, Record)>),
}

impl Current {
    pub fn into_manifest(self) -> Manifest {
        match self {
            Current::Stood(manifest) => manifest,
            Current::Saved(records) => Manifest::from_records(records),
        }
    }
}

impl Manifest {
    /// The manifest file of an output folder.
    pub fn location(root: &Path, output: &Path) -> PathBuf {
        let output = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
        let mut h = DefaultHasher::new();
        output.hash(&mut h);
        root.join(crate::reuse::CACHE_DIR)
            .join("manifests")
            .join(format!("{:016x}.txt", h.finish()))
    }

    /// Reads a manifest; `None` when there is none, or it is unreadable,
    /// from another version or names a path outside the output (the build
    /// is then a full one).
    pub fn load(file: &Path) -> Option<Manifest> {
        // Read whole and split, rather than a line at a time: a large
        // site's manifest has hundreds of thousands of lines.
        let bytes = Bytes::of(file).ok()?;
        let text = std::str::from_utf8(&bytes).ok()?;
        let mut lines = text.split_terminator('\n');
        if lines.next()? != header(FORMAT) {
            return None;
        }
        let start = text.as_ptr() as usize;
        let mut files = Vec::with_capacity(text.bytes().filter(|&b| b == b'\n').count());
        for line in lines {
            let mut parts = line.splitn(4, ' ');
            let fingerprint = u64::from_str_radix(parts.next()?, 16).ok()?;
            let len = parts.next()?.parse().ok()?;
            let modified = parts.next()?.parse().ok()?;
            let name = parts.next()?;
            // Only plain paths inside the output: the files of a manifest
            // may be removed.
            if !Path::new(name)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
            {
                return None;
            }
            let record = Record {
                fingerprint,
                stamp: Stamp { len, modified },
            };
            let at = name.as_ptr() as usize - start;
            files.push((at..at + name.len(), record));
        }
        let mut m = Manifest::with_capacity(files.len());
        (m.names, m.files) = (bytes, files);
        // A path twice was written by no gazette: slots must be `0..len`.
        (0..m.files.len()).all(|slot| m.index(slot)).then_some(m)
    }

    fn with_capacity(n: usize) -> Manifest {
        let mut m = Manifest {
            files: Vec::with_capacity(n),
            ..Manifest::default()
        };
        m.by_hash.reserve(n);
        m
    }

    /// Records the file whose path is at `range` of `names`; `false` if
    /// it is recorded already.
    fn insert(&mut self, range: Range<usize>, record: Record) -> bool {
        self.files.push((range, record));
        let indexed = self.index(self.files.len() - 1);
        if !indexed {
            self.files.pop();
        }
        indexed
    }

    /// Makes the file at `slot` found by its path; `false` if a file
    /// before it has the same path.
    fn index(&mut self, slot: usize) -> bool {
        let name = &self.names[self.files[slot].0.clone()];
        match self.by_hash.entry(path_hash(name)) {
            Entry::Vacant(v) => {
                v.insert(slot);
                true
            }
            Entry::Occupied(o) if self.names[self.files[*o.get()].0.clone()] == *name => false,
            Entry::Occupied(_) => {
                let key = OsStr::from_bytes(name).to_os_string();
                self.collided.insert(key, slot).is_none()
            }
        }
    }

    /// The manifest of the records a build saved (as [`Manifest::load`]
    /// would read them back, but for names with a line break, which are
    /// kept here).
    pub fn from_records(records: Vec<(PathBuf, Record)>) -> Manifest {
        let mut m = Manifest::with_capacity(records.len());
        for (path, record) in records {
            let at = m.names.len();
            m.names
                .to_mut()
                .extend_from_slice(path.as_os_str().as_bytes());
            if !m.insert(at..m.names.len(), record) {
                m.names.to_mut().truncate(at);
            }
        }
        m
    }

    /// Writes the manifest (through a temporary file and a rename). Files
    /// whose name holds a line break are left out: they are rewritten by
    /// every build.
    pub fn save(records: &[(PathBuf, Record)], file: &Path) -> io::Result<()> {
        if let Some(dir) = file.parent() {
            fs::create_dir_all(dir)?;
        }
        // Lines are formatted in parallel, in chunks, then written in order.
        let chunks: Vec<String> = records
            .par_chunks(4096)
            .map(|chunk| {
                let mut text = String::with_capacity(chunk.len() * 96);
                for (path, r) in chunk {
                    if let Some(name) = path.to_str().filter(|n| !n.contains(['\n', '\r'])) {
                        let (f, len, modified) = (r.fingerprint, r.stamp.len, r.stamp.modified);
                        let _ = writeln!(text, "{f:016x} {len} {modified} {name}");
                    }
                }
                text
            })
            .collect();
        let temp = file.with_extension("tmp");
        let mut out = io::BufWriter::new(fs::File::create(&temp)?);
        writeln!(out, "{}", header(FORMAT))?;
        for text in &chunks {
            out.write_all(text.as_bytes())?;
        }
        out.into_inner().map_err(io::Error::other)?.sync_all()?;
        fs::rename(&temp, file)
    }

    /// The manifest of an output folder that only gazette writes (`serve`'s,
    /// locked while it runs): its files are not looked at on disk.
    pub fn trusted(self) -> Manifest {
        Manifest {
            trusted: true,
            ..self
        }
    }

    /// The slot of `rel`, if the file at `rel` in the output folder is
    /// still the one written with this fingerprint (for a trusted
    /// manifest: if it was written with this fingerprint).
    pub fn unchanged(&self, output: &Folder, rel: &Path, fingerprint: u64) -> Option<usize> {
        let slot = self.slot(rel)?;
        if self.files[slot].1.fingerprint != fingerprint {
            return None;
        }
        self.on_disk(output, rel, slot)
    }

    /// The slot of `rel` if it records it and the file is as the last
    /// build left it, whatever it was made from.
    pub fn intact(&self, output: &Folder, rel: &Path) -> Option<usize> {
        self.on_disk(output, rel, self.slot(rel)?)
    }

    fn on_disk(&self, output: &Folder, rel: &Path, slot: usize) -> Option<usize> {
        if !self.trusted && Stamp::at(output, rel).ok()? != self.files[slot].1.stamp {
            return None;
        }
        Some(slot)
    }

    /// The slot of `rel`, if it records it: a number below [`Manifest::len`],
    /// another for each file.
    ///
    /// A build asks for its outputs in the order the manifest records them
    /// (both sorted by path), each thread a run of them: so the slot after
    /// the one this thread found last is tried first, and the hash is
    /// taken only when that is not the file.
    pub fn slot(&self, rel: &Path) -> Option<usize> {
        let name = rel.as_os_str().as_bytes();
        let next = NEXT_SLOT.get();
        let slot = match next < self.files.len() && self.name(next) == name {
            true => next,
            false => self.hashed_slot(rel, name)?,
        };
        NEXT_SLOT.set(slot + 1);
        Some(slot)
    }

    fn hashed_slot(&self, rel: &Path, name: &[u8]) -> Option<usize> {
        let &slot = self.by_hash.get(&path_hash(name))?;
        match self.name(slot) == name {
            true => Some(slot),
            false => self.collided.get(rel.as_os_str()).copied(),
        }
    }

    /// How many files it records.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Every recorded file, with its record and slot.
    pub fn files(&self) -> impl Iterator<Item = (&Path, Record, usize)> {
        (self.files.iter().enumerate()).map(|(slot, (range, r))| (self.path(range), *r, slot))
    }

    /// The recorded files below a folder of the output.
    pub fn under<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = &'a Path> {
        (self.files.iter())
            .map(|(range, _)| self.path(range))
            .filter(move |p| p.starts_with(dir))
    }

    fn path(&self, range: &Range<usize>) -> &Path {
        Path::new(OsStr::from_bytes(&self.names[range.clone()]))
    }

    /// The path of the file at `slot`, as bytes.
    fn name(&self, slot: usize) -> &[u8] {
        &self.names[self.files[slot].0.clone()]
    }
}

thread_local! {
    /// The slot after the one [`Manifest::slot`] last found on this
    /// thread, in whichever manifest: only a guess, checked by the path.
    static NEXT_SLOT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The hash a manifest finds a path by.
fn path_hash(name: &[u8]) -> u64 {
    foldhash::fast::FixedState::default().hash_one(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_round_trips_and_checks_the_file_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join("a b")).unwrap();
        fs::write(out.join("a b/index.html"), "hello").unwrap();
        let rec = Record {
            fingerprint: 42,
            stamp: Stamp::of(&out.join("a b/index.html")).unwrap(),
        };
        let file = Manifest::location(dir.path(), &out);
        let records = vec![
            (PathBuf::from("a b/index.html"), rec),
            (PathBuf::from("bad\nname"), rec),
        ];
        Manifest::save(&records, &file).unwrap();
        let m = Manifest::load(&file).unwrap();
        assert_eq!(m.len(), 1);
        let out = Folder::open(&out).unwrap();
        let rel = Path::new("a b/index.html");
        assert_eq!(m.unchanged(&out, rel, 42), Some(0));
        assert_eq!(m.slot(rel), Some(0));
        assert_eq!(m.slot(Path::new("bad\nname")), None);
        assert_eq!(m.unchanged(&out, rel, 43), None);
        fs::write(dir.path().join("public").join(rel), "hellO").unwrap();
        assert_eq!(m.unchanged(&out, rel, 42), None, "edited by hand");
        let trusted = Manifest::load(&file).unwrap().trusted();
        assert_eq!(trusted.unchanged(&out, rel, 42), Some(0), "not looked at");
        assert_eq!(trusted.unchanged(&out, rel, 43), None);
        fs::write(&file, "gazette-manifest 0\n").unwrap();
        assert!(Manifest::load(&file).is_none(), "another version");
        fs::write(
            &file,
            format!("{}\n0 1 2 ../outside.html\n", header(FORMAT)),
        )
        .unwrap();
        assert!(Manifest::load(&file).is_none(), "a path leaving the output");
        fs::write(
            &file,
            format!("{}\n0 1 2 a.html\n0 1 2 a.html\n", header(FORMAT)),
        )
        .unwrap();
        assert!(Manifest::load(&file).is_none(), "a path twice");
    }

    #[test]
    fn records_are_found_by_path_and_slot() {
        let rec = |n| Record {
            fingerprint: n,
            stamp: Stamp {
                len: n,
                modified: 0,
            },
        };
        let names = ["b/index.html", "a/index.html", "b/index.html", "a/b.css"];
        let records = names
            .iter()
            .zip(1..)
            .map(|(n, i)| (PathBuf::from(n), rec(i)));
        let m = Manifest::from_records(records.collect());
        assert_eq!(m.len(), 3, "the first of a path twice is kept");
        assert_eq!(m.slot(Path::new("a/index.html")), Some(1));
        assert_eq!(m.slot(Path::new("a/b.css")), Some(2));
        assert_eq!(m.slot(Path::new("a/other.html")), None);
        let files: Vec<_> = m
            .files()
            .map(|(p, r, slot)| (p.to_path_buf(), r, slot))
            .collect();
        assert_eq!(files[0], (PathBuf::from("b/index.html"), rec(1), 0));
        assert_eq!(files[2], (PathBuf::from("a/b.css"), rec(4), 2));
        let under: Vec<_> = m.under(Path::new("a")).collect();
        assert_eq!(under, [Path::new("a/index.html"), Path::new("a/b.css")]);
    }

    #[test]
    fn a_slot_is_found_whatever_the_order_of_the_lookups() {
        let rec = Record {
            fingerprint: 1,
            stamp: Stamp {
                len: 1,
                modified: 0,
            },
        };
        let names: Vec<String> = (0..50).map(|i| format!("{i:02}/index.html")).collect();
        let m = Manifest::from_records(names.iter().map(|n| (PathBuf::from(n), rec)).collect());
        let other = Manifest::from_records(vec![(PathBuf::from(&names[7]), rec)]);
        let in_order = 0..names.len();
        let backwards = (0..names.len()).rev();
        let skipping = (0..names.len()).step_by(3).chain([5, 5, 6, 0]);
        for slot in in_order.chain(backwards).chain(skipping) {
            assert_eq!(m.slot(Path::new(&names[slot])), Some(slot));
            assert_eq!(m.slot(Path::new("00/other.html")), None);
        }
        // The guess left by one manifest is only a guess in another.
        assert_eq!(m.slot(Path::new(&names[6])), Some(6));
        assert_eq!(other.slot(Path::new(&names[7])), Some(0));
        assert_eq!(other.slot(Path::new(&names[8])), None);
    }

    #[test]
    fn a_path_whose_hash_another_had_is_still_found() {
        let rec = Record {
            fingerprint: 1,
            stamp: Stamp {
                len: 1,
                modified: 0,
            },
        };
        let mut m = Manifest::from_records(vec![(PathBuf::from("a.html"), rec)]);
        // As if "b.html" hashed as "a.html" does.
        m.by_hash.insert(path_hash(b"b.html"), 0);
        let at = m.names.len();
        m.names.to_mut().extend_from_slice(b"b.html");
        assert!(m.insert(at..m.names.len(), rec));
        assert_eq!(m.slot(Path::new("a.html")), Some(0));
        assert_eq!(m.slot(Path::new("b.html")), Some(1));
        assert!(!m.insert(at..m.names.len(), rec), "recorded already");
    }
}
