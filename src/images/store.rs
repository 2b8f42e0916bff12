//! The renditions cache, `ROOT/.gazette/images/`: each rendition a file
//! named by a fingerprint of its source's bytes and of how it is made
//! (size, crop and focus, format, quality, codec version), so a rendition
//! is made once and an unchanged image is never decoded again, whatever
//! the output folder. The source's bytes are read for their fingerprint
//! only when its size or modification time changed (`sources`, a small
//! table beside the files). Files are written whole and renamed into
//! place, so a killed build leaves none half made.
//!
//! The cache only grows; removing the folder is always safe (everything
//! is made again on the next build).

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use rayon::prelude::*;

use super::codec::Decoded;
use super::{Focus, Probe, Rendition, Shape};
use crate::diagnostics::Diagnostic;
use crate::fingerprint::{Fingerprint, header};
use crate::reuse::{CACHE_DIR, Stamp};

/// Changes whenever the codecs or their settings in `codec` do, so that
/// renditions made the old way are not reused.
const CODEC: &str = "gazette-renditions 1";

/// The table of source fingerprints.
const SOURCES: &str = "sources.json";

/// What a build asks of one source image: its renditions (all of them
/// go next to one page or static file).
#[derive(Debug, Clone)]
pub struct Wanted {
    /// The source, relative to the site root (for messages and the table).
    pub source: PathBuf,
    pub probe: Probe,
    pub focus: Focus,
    pub renditions: Vec<Rendition>,
}

/// What the cache did in one build: its own counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Source images whose bytes were read to fingerprint them.
    pub read: usize,
    /// Source images decoded (each once, for all its missing renditions).
    pub decoded: usize,
    /// Renditions made and stored.
    pub made: usize,
    /// Renditions found made already.
    pub reused: usize,
}

pub struct Store {
    root: PathBuf,
    dir: PathBuf,
    /// Source (relative to the root) to its stamp and fingerprint.
    sources: Mutex<HashMap<String, (Stamp, u64)>>,
    /// A source modified after this may change again within its stamp.
    settled: SystemTime,
    read: AtomicUsize,
    decoded: AtomicUsize,
    made: AtomicUsize,
    reused: AtomicUsize,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Table {
    header: String,
    sources: Vec<(String, Stamp, u64)>,
}

impl Store {
    /// The cache of the site at `root`; sources modified after `settled`
    /// are fingerprinted again by the next build.
    pub fn open(root: &Path, settled: SystemTime) -> Store {
        let dir = root.join(CACHE_DIR).join("images");
        let sources = fs::read(dir.join(SOURCES))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Table>(&bytes).ok())
            .filter(|t| t.header == header(CODEC))
            .map(|t| {
                t.sources
                    .into_iter()
                    .map(|(path, stamp, key)| (path, (stamp, key)))
                    .collect()
            })
            .unwrap_or_default();
        Store {
            root: root.to_path_buf(),
            dir,
            sources: Mutex::new(sources),
            settled,
            read: AtomicUsize::new(0),
            decoded: AtomicUsize::new(0),
            made: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
        }
    }

    pub fn stats(&self) -> Stats {
        Stats {
            read: self.read.load(Ordering::Relaxed),
            decoded: self.decoded.load(Ordering::Relaxed),
            made: self.made.load(Ordering::Relaxed),
            reused: self.reused.load(Ordering::Relaxed),
        }
    }

    /// Makes every wanted rendition the cache lacks, in parallel, one
    /// source image decoded at a time per worker. Returns, in the order
    /// of `wanted`, the cache file of each rendition.
    pub fn make(
        &self,
        wanted: &[Wanted],
        quality: u8,
    ) -> Result<Vec<Vec<PathBuf>>, Vec<Diagnostic>> {
        let keyed: Vec<Result<Vec<PathBuf>, Diagnostic>> = wanted
            .par_iter()
            .map(|w| {
                let key = self.key(&w.source).map_err(|e| {
                    Diagnostic::error(&w.source, format!("cannot read the image: {e}"))
                })?;
                Ok(w.renditions
                    .iter()
                    .map(|r| self.file(key, r, w.focus, quality))
                    .collect())
            })
            .collect();
        let mut files = Vec::with_capacity(wanted.len());
        let mut problems = Vec::new();
        for k in keyed {
            match k {
                Ok(f) => files.push(f),
                Err(d) => {
                    problems.push(d);
                    files.push(Vec::new());
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        // Each missing file is made once, by the first source that wants it.
        let mut claimed = HashSet::new();
        let todo: Vec<(&Wanted, Vec<(&Rendition, &PathBuf)>)> = wanted
            .iter()
            .zip(&files)
            .filter_map(|(w, files)| {
                let missing: Vec<(&Rendition, &PathBuf)> = w
                    .renditions
                    .iter()
                    .zip(files)
                    .filter(|(_, f)| claimed.insert(*f))
                    .filter(|(_, f)| {
                        let there = f.is_file();
                        if there {
                            self.reused.fetch_add(1, Ordering::Relaxed);
                        }
                        !there
                    })
                    .collect();
                (!missing.is_empty()).then_some((w, missing))
            })
            .collect();
        let problems: Vec<Diagnostic> = todo
            .par_iter()
            .with_max_len(1)
            .filter_map(|(w, missing)| self.make_one(w, missing, quality).err())
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(files)
    }

    /// Decodes one source and makes its missing renditions.
    fn make_one(
        &self,
        w: &Wanted,
        missing: &[(&Rendition, &PathBuf)],
        quality: u8,
    ) -> Result<(), Diagnostic> {
        let fail = |what: &str, e: String| {
            Diagnostic::error(
                &w.source,
                format!(
                    "cannot {what}: {e}; replace the file, or publish images as they are \
                     with `[images] renditions = false`"
                ),
            )
        };
        let decoded = Decoded::read(&self.root.join(&w.source), &w.probe)
            .map_err(|e| fail("decode the image", e))?;
        self.decoded.fetch_add(1, Ordering::Relaxed);
        // The WebP and the JPEG of one width share their resized pixels
        // (a crop is made in one format only).
        let mut widths: HashMap<(u32, u32), Vec<u8>> = HashMap::new();
        for (rendition, file) in missing {
            let make = |e: String| fail(&format!("make {}", rendition.name), e);
            let size = (rendition.width, rendition.height);
            let bytes = match rendition.shape {
                Shape::Width(_) => {
                    let pixels = match widths.entry(size) {
                        Entry::Occupied(e) => e.into_mut(),
                        Entry::Vacant(e) => {
                            e.insert(decoded.resized(rendition, w.focus).map_err(make)?)
                        }
                    };
                    decoded.encode(rendition, pixels, quality)
                }
                Shape::Crop(_) => decoded
                    .resized(rendition, w.focus)
                    .and_then(|pixels| decoded.encode(rendition, &pixels, quality)),
            }
            .map_err(make)?;
            write_whole(file, &bytes).map_err(|e| {
                Diagnostic::error(
                    &self.dir,
                    format!("cannot write the image cache {}: {e}", file.display()),
                )
            })?;
            self.made.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// The fingerprint of a source's bytes: from the table while its stamp
    /// is the same, else read.
    fn key(&self, source: &Path) -> io::Result<u64> {
        let path = self.root.join(source);
        let stamp = Stamp::of(&path)?;
        let name = source.to_string_lossy().into_owned();
        if let Some((known, key)) = self.lock().get(&name)
            && *known == stamp
        {
            return Ok(*key);
        }
        let mut bytes = Vec::new();
        fs::File::open(&path)?.read_to_end(&mut bytes)?;
        self.read.fetch_add(1, Ordering::Relaxed);
        let key = Fingerprint::default()
            .add_bytes(&bytes)
            .finish()
            .unwrap_or_default();
        if stamp.settled_by(self.settled) {
            self.lock().insert(name, (stamp, key));
        }
        Ok(key)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Stamp, u64)>> {
        self.sources.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Where the rendition of the source with fingerprint `key` is kept.
    fn file(&self, key: u64, r: &Rendition, focus: Focus, quality: u8) -> PathBuf {
        let mut f = Fingerprint::new(key);
        f.add(CODEC).add((r.width, r.height, r.format)).add(quality);
        match r.shape {
            Shape::Width(w) => f.add(("width", w)),
            // Only a crop moves with the focus.
            Shape::Crop(ratio) => f.add(("crop", ratio, focus)),
        };
        let name = format!("{:016x}", f.finish().unwrap_or_default());
        self.dir
            .join(&name[..2])
            .join(format!("{}.{}", &name[2..], r.format.extension()))
    }

    /// Saves the table of source fingerprints for the next build.
    pub fn save(&self) -> io::Result<()> {
        let mut sources: Vec<(String, Stamp, u64)> = self
            .lock()
            .iter()
            .map(|(path, (stamp, key))| (path.clone(), *stamp, *key))
            .collect();
        sources.sort_by(|a, b| a.0.cmp(&b.0));
        let table = Table {
            header: header(CODEC),
            sources,
        };
        let bytes = serde_json::to_vec(&table).map_err(io::Error::other)?;
        write_whole(&self.dir.join(SOURCES), &bytes)
    }
}

/// Writes a file whole under a temporary name of this process and
/// thread, then renames it into place. Made like any other file (the
/// umask decides its mode), since outputs are copied from it.
fn write_whole(file: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let thread = format!("{:?}", std::thread::current().id());
    let digits: String = thread.chars().filter(char::is_ascii_digit).collect();
    let temp = file.with_extension(format!("{}-{digits}.tmp", std::process::id()));
    let written = fs::write(&temp, bytes).and_then(|()| fs::rename(&temp, file));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}
