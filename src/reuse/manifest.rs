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

use std::fmt::Write as _;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Folder, Stamp};
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
    /// Each file's record, and its place among them (`0..len`): what a
    /// build marks the files it keeps or makes by ([`Manifest::slot`]).
    files: PathMap<(Record, usize)>,
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
        let text = fs::read_to_string(file).ok()?;
        let mut lines = text.split_terminator('\n');
        if lines.next()? != header(FORMAT) {
            return None;
        }
        let mut files = PathMap::default();
        files.reserve(text.bytes().filter(|&b| b == b'\n').count());
        for line in lines {
            let mut parts = line.splitn(4, ' ');
            let fingerprint = u64::from_str_radix(parts.next()?, 16).ok()?;
            let len = parts.next()?.parse().ok()?;
            let modified = parts.next()?.parse().ok()?;
            let path = Path::new(parts.next()?);
            // Only plain paths inside the output: the files of a manifest
            // may be removed.
            if !path
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
            {
                return None;
            }
            let record = Record {
                fingerprint,
                stamp: Stamp { len, modified },
            };
            let slot = files.len();
            if files
                .insert(path.as_os_str().to_os_string(), (record, slot))
                .is_some()
            {
                // Written by no gazette: slots must be `0..len`.
                return None;
            }
        }
        Some(Manifest {
            files,
            trusted: false,
        })
    }

    /// The manifest of the records a build saved (as [`Manifest::load`]
    /// would read them back, but for names with a line break, which are
    /// kept here).
    pub fn from_records(records: Vec<(PathBuf, Record)>) -> Manifest {
        let mut files = PathMap::default();
        files.reserve(records.len());
        for (path, record) in records {
            let slot = files.len();
            files.entry(path.into_os_string()).or_insert((record, slot));
        }
        Manifest {
            files,
            trusted: false,
        }
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

    /// The record of `rel`, with its slot, if the file at `rel` in the
    /// output folder is still the one written with this fingerprint (for
    /// a trusted manifest: if it was written with this fingerprint).
    pub fn unchanged(
        &self,
        output: &Folder,
        rel: &Path,
        fingerprint: u64,
    ) -> Option<(Record, usize)> {
        let &(r, slot) = self.files.get(rel.as_os_str())?;
        if r.fingerprint != fingerprint {
            return None;
        }
        if !self.trusted && Stamp::at(output, rel).ok()? != r.stamp {
            return None;
        }
        Some((r, slot))
    }

    /// The slot of `rel`, if it records it: a number below [`Manifest::len`],
    /// another for each file.
    pub fn slot(&self, rel: &Path) -> Option<usize> {
        self.files.get(rel.as_os_str()).map(|&(_, slot)| slot)
    }

    /// How many files it records.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Every recorded file, with its record and slot.
    pub fn files(&self) -> impl Iterator<Item = (&Path, Record, usize)> {
        self.files
            .iter()
            .map(|(p, &(r, slot))| (Path::new(p), r, slot))
    }

    /// The recorded files below a folder of the output.
    pub fn under<'a>(&'a self, dir: &'a Path) -> impl Iterator<Item = &'a Path> {
        self.files
            .keys()
            .map(Path::new)
            .filter(move |p| p.starts_with(dir))
    }
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
        assert_eq!(m.files.len(), 1);
        let out = Folder::open(&out).unwrap();
        let rel = Path::new("a b/index.html");
        assert_eq!(m.unchanged(&out, rel, 42), Some((rec, 0)));
        assert_eq!(m.slot(rel), Some(0));
        assert_eq!(m.slot(Path::new("bad\nname")), None);
        assert_eq!(m.unchanged(&out, rel, 43), None);
        fs::write(dir.path().join("public").join(rel), "hellO").unwrap();
        assert_eq!(m.unchanged(&out, rel, 42), None, "edited by hand");
        let trusted = Manifest::load(&file).unwrap().trusted();
        assert_eq!(
            trusted.unchanged(&out, rel, 42),
            Some((rec, 0)),
            "not looked at"
        );
        assert_eq!(trusted.unchanged(&out, rel, 43), None);
        fs::write(&file, "gazette-manifest 0\n").unwrap();
        assert!(Manifest::load(&file).is_none(), "another version");
        fs::write(
            &file,
            format!("{}\n0 1 2 ../outside.html\n", header(FORMAT)),
        )
        .unwrap();
        assert!(Manifest::load(&file).is_none(), "a path leaving the output");
    }
}
