//! The words of each article, counted once, when its body is rendered, so
//! that the index need not keep or render any body again.
//!
//! A [`Vocabulary`] shared by the threads that render bodies numbers the
//! words; an article keeps only its [`Terms`]: its length and, for each of
//! its words, the word's number and count, packed as varints (a few bytes
//! a word, about a fifth of the body's HTML). Numbers depend on the order
//! threads meet words in; nothing the index writes does. The article
//! cache keeps the terms, and the vocabulary they are numbered in, for the
//! next build.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use super::words;

/// A headline word counts as this many words of the body.
pub const TITLE_WEIGHT: u32 = 3;

/// Shards of the vocabulary: threads adding words rarely wait on each other.
const SHARDS: usize = 64;

type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;
/// One shard: words and their numbers.
type Shard = Mutex<Map<Box<str>, u32>>;

/// Every folded word of the site, each with its number. A vocabulary is
/// kept from one build to the next (with the articles' terms), so its
/// numbers only grow; its generation tells it from another.
pub struct Vocabulary {
    generation: u64,
    hasher: foldhash::fast::RandomState,
    words: Box<[Shard]>,
    /// The number the next new word gets.
    next: AtomicU32,
}

impl std::fmt::Debug for Vocabulary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vocabulary")
            .field("generation", &self.generation)
            .finish()
    }
}

thread_local! {
    /// Each thread's copy of the words it has met, with their numbers, in
    /// the vocabulary of the generation: most words are met again, and
    /// then cost one lookup without a lock.
    static MET: RefCell<(u64, Map<Box<str>, u32>)> = RefCell::default();
}

impl Default for Vocabulary {
    /// An empty vocabulary of a new generation.
    fn default() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let clock = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let generation = crate::fingerprint::Fingerprint::default()
            .add(clock)
            .add(std::process::id())
            .add(NEXT.fetch_add(1, Ordering::Relaxed))
            .finish()
            .unwrap_or_default()
            | 1;
        Vocabulary::of(generation, Vec::new())
    }
}

impl Vocabulary {
    /// The vocabulary of `generation` holding `words` (word, number).
    pub fn of(generation: u64, words: Vec<(Box<str>, u32)>) -> Self {
        let hasher = foldhash::fast::RandomState::default();
        let next = words.iter().map(|w| w.1 + 1).max().unwrap_or(0);
        let mut shards: Vec<Map<Box<str>, u32>> = (0..SHARDS).map(|_| Map::default()).collect();
        for (word, n) in words {
            shards[shard_of(&hasher, &word)].insert(word, n);
        }
        Vocabulary {
            generation,
            hasher,
            words: shards.into_iter().map(Mutex::new).collect(),
            next: AtomicU32::new(next),
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The number of `word`, given it if it is new.
    fn number(&self, word: &str) -> u32 {
        let mut words = self.words[shard_of(&self.hasher, word)]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&n) = words.get(word) {
            return n;
        }
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        words.insert(word.into(), n);
        n
    }

    /// The terms of an article: the words of its headline (weighted) and
    /// of its body's HTML, counted.
    pub fn count(&self, title: &str, html: &str) -> Terms {
        let mut counts: Vec<(u32, u32)> = Vec::new();
        MET.with_borrow_mut(|(generation, met)| {
            if *generation != self.generation {
                *generation = self.generation;
                met.clear();
            }
            let mut add = |text: &str, weight: u32| {
                words::each_word(text, |w| {
                    let n = match met.get(w) {
                        Some(&n) => n,
                        None => {
                            let n = self.number(w);
                            met.insert(w.into(), n);
                            n
                        }
                    };
                    counts.push((n, weight));
                });
            };
            add(title, TITLE_WEIGHT);
            add(&words::html_text(html), 1);
        });
        let length = counts.len() as u32;
        counts.sort_unstable_by_key(|c| c.0);
        let mut bytes = Vec::with_capacity(counts.len() + 4);
        varint32(&mut bytes, length);
        let mut last = 0;
        for same in counts.chunk_by(|a, b| a.0 == b.0) {
            let n = same[0].0;
            varint32(&mut bytes, n - last);
            varint32(&mut bytes, same.iter().map(|c| c.1).sum());
            last = n;
        }
        Terms(bytes.into())
    }

    /// Whether every word of `terms` has a number here (terms kept by an
    /// earlier build in this vocabulary do).
    pub fn holds(&self, terms: &Terms) -> bool {
        let numbers = self.numbers();
        terms.iter().all(|(n, _)| (n as usize) < numbers)
    }

    /// One more than the highest number given.
    pub fn numbers(&self) -> usize {
        self.next.load(Ordering::Relaxed) as usize
    }

    /// Every word with its number, sorted by word (code point order).
    pub fn words(&self) -> Vec<(Box<str>, u32)> {
        let mut all: Vec<(Box<str>, u32)> = Vec::new();
        for shard in &self.words {
            let map = shard
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            all.extend(map.iter().map(|(w, &n)| (w.clone(), n)));
        }
        all.sort_unstable();
        all
    }
}

fn shard_of(hasher: &foldhash::fast::RandomState, word: &str) -> usize {
    (hasher.hash_one(word) as usize) & (SHARDS - 1)
}

/// One article's words: its length, then (word number, count), packed.
///
/// Shared, not copied, between the builds that keep the same body
/// (`serve` recalls it from memory, and compares it with the last build's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms(crate::shared::Shared<[u8]>);

impl Terms {
    /// Words in the headline and body.
    pub fn length(&self) -> u32 {
        read(&self.0, &mut 0)
    }

    /// (word number, count), by number.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut at = 0;
        read(&self.0, &mut at);
        let mut last = 0;
        std::iter::from_fn(move || {
            if at >= self.0.len() {
                return None;
            }
            last += read(&self.0, &mut at);
            Some((last, read(&self.0, &mut at)))
        })
    }

    /// Bytes held.
    pub fn size(&self) -> usize {
        self.0.len()
    }

    /// The packed form, as the article cache keeps it.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// Terms kept as [`Terms::bytes`] gave them: `None` unless they read
    /// back whole.
    pub fn from_bytes(bytes: &[u8]) -> Option<Terms> {
        let mut at = 0;
        let mut values = 0usize;
        while at < bytes.len() {
            // Every varint ends within the bytes.
            let end = bytes[at..].iter().position(|b| b & 0x80 == 0)?;
            at += end + 1;
            values += 1;
        }
        (values % 2 == 1).then(|| Terms(bytes.into()))
    }
}

/// An article's [`Terms`] as the site holds them: in memory, or written
/// to the build's [`TermsFile`] (a build does not keep the words of a
/// whole archive in memory; `serve` keeps them, to compare and reuse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Held {
    Here(Terms),
    /// `len` bytes at offset `at` of the terms file.
    Filed {
        at: u64,
        len: u32,
    },
}

impl Held {
    /// Bytes of the terms.
    pub fn size(&self) -> usize {
        match self {
            Held::Here(t) => t.size(),
            Held::Filed { len, .. } => *len as usize,
        }
    }
}

/// The file one build writes its articles' terms to as they are counted,
/// and reads them back from for the search index and the article cache:
/// an anonymous file (in the site's cache folder), which the system
/// removes when the build ends, even if it is killed.
pub struct TermsFile {
    /// Opened to append: writes go to the end whatever reads do.
    file: Mutex<File>,
    /// Terms not yet written, and the file's length with them.
    pending: Mutex<(Vec<u8>, u64)>,
}

/// Bytes gathered before they are written.
const TERMS_BUFFER: usize = 1 << 20;

impl std::fmt::Debug for TermsFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TermsFile").finish_non_exhaustive()
    }
}

impl TermsFile {
    /// A new, empty terms file in `dir` (made if missing).
    pub fn create(dir: &Path) -> io::Result<TermsFile> {
        std::fs::create_dir_all(dir)?;
        Ok(TermsFile {
            file: Mutex::new(tempfile::tempfile_in(dir)?),
            pending: Mutex::new((Vec::with_capacity(TERMS_BUFFER), 0)),
        })
    }

    /// Writes `terms` (buffered); where to read them back.
    pub fn put(&self, terms: &Terms) -> io::Result<Held> {
        let bytes = terms.bytes();
        let len = u32::try_from(bytes.len()).map_err(io::Error::other)?;
        let mut pending = lock(&self.pending);
        let (buffer, end) = &mut *pending;
        let at = *end;
        buffer.extend_from_slice(bytes);
        *end += u64::from(len);
        if buffer.len() >= TERMS_BUFFER {
            write_end(&mut lock(&self.file), buffer)?;
            buffer.clear();
        }
        Ok(Held::Filed { at, len })
    }

    /// Writes what is still buffered: every [`TermsFile::put`] can then be
    /// read back.
    pub fn flush(&self) -> io::Result<()> {
        let mut pending = lock(&self.pending);
        write_end(&mut lock(&self.file), &pending.0)?;
        pending.0 = Vec::new();
        Ok(())
    }

    /// The terms written at `at` (after [`TermsFile::flush`]).
    pub fn get(&self, at: u64, len: u32) -> io::Result<Terms> {
        let mut bytes = vec![0; len as usize];
        let mut file = lock(&self.file);
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(&mut bytes)?;
        drop(file);
        Terms::from_bytes(&bytes)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "damaged terms"))
    }
}

/// Appends `bytes` to `file`, wherever reads left its position.
fn write_end(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    file.seek(SeekFrom::End(0))?;
    file.write_all(bytes)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn varint32(out: &mut Vec<u8>, v: u32) {
    varint(out, u64::from(v));
}

fn read(bytes: &[u8], at: &mut usize) -> u32 {
    read_varint(bytes, at) as u32
}

/// LEB128 (as the search index's files store numbers too): seven bits a
/// byte, low first, the high bit set on all but the last.
pub fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// The LEB128 number at `at`, which moves past it.
pub fn read_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let b = bytes[*at];
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return v;
        }
        shift += 7;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_file_gives_back_what_it_took() {
        let dir = tempfile::tempdir().unwrap();
        let v = Vocabulary::default();
        let file = TermsFile::create(&dir.path().join("cache")).unwrap();
        // More than one buffer's worth, so that some are written early,
        // and read back in another order while more are written.
        let texts: Vec<String> = (0..3000)
            .map(|i| {
                let words: Vec<String> = (0..400).map(|w| format!("w{}", i * 7 + w)).collect();
                format!("<p>harbour {i} ferry {}</p>", words.join(" "))
            })
            .collect();
        let terms: Vec<Terms> = texts.iter().map(|t| v.count("Title", t)).collect();
        let (first, second) = terms.split_at(2000);
        assert!(first.iter().map(Terms::size).sum::<usize>() > TERMS_BUFFER);
        let mut held: Vec<Held> = first.iter().map(|t| file.put(t).unwrap()).collect();
        let Held::Filed { at, len } = held[0] else {
            unreachable!()
        };
        assert_eq!(file.get(at, len).unwrap(), terms[0], "written early");
        held.extend(second.iter().map(|t| file.put(t).unwrap()));
        file.flush().unwrap();
        for (t, h) in terms.iter().zip(&held).rev() {
            let Held::Filed { at, len } = *h else {
                unreachable!()
            };
            assert_eq!(h.size(), t.size());
            assert_eq!(&file.get(at, len).unwrap(), t);
        }
        let left: Vec<_> = std::fs::read_dir(dir.path().join("cache"))
            .unwrap()
            .collect();
        assert!(left.is_empty(), "the file has no name: {left:?}");
    }

    #[test]
    fn terms_count_each_word_once_with_its_weight() {
        let v = Vocabulary::default();
        let a = v.count(
            "Ferry fares",
            "<p>The ferry&#8217;s fares, and <em>Zürich</em>.</p>",
        );
        let b = v.count("Zurich", "<p>the</p>");
        assert_eq!(a.length(), 2 + 5);
        let words: HashMap<u32, Box<str>> = v.words().into_iter().map(|(w, n)| (n, w)).collect();
        let named = |t: &Terms| -> Vec<(String, u32)> {
            let mut out: Vec<(String, u32)> =
                t.iter().map(|(n, c)| (words[&n].to_string(), c)).collect();
            out.sort();
            out
        };
        let expected = [
            ("and".to_string(), 1),
            ("fares".to_string(), 4),
            ("ferry".to_string(), 3),
            ("ferry’s".to_string(), 1),
            ("the".to_string(), 1),
            ("zurich".to_string(), 1),
        ];
        assert_eq!(named(&a), expected);
        assert_eq!(
            named(&b),
            [("the".to_string(), 1), ("zurich".to_string(), 3)]
        );
        assert_eq!(words.len(), 6);
        // Kept and read back: the same terms, in a vocabulary that goes on
        // numbering after the kept words.
        let kept = Vocabulary::of(v.generation(), v.words());
        assert_eq!(Terms::from_bytes(a.bytes()), Some(a.clone()));
        assert_eq!(Terms::from_bytes(&a.bytes()[..a.size() - 1]), None);
        let c = kept.count("", "<p>zurich harbour</p>");
        let numbers: Vec<u32> = c.iter().map(|(n, _)| n).collect();
        let zurich = v.words().into_iter().find(|w| &*w.0 == "zurich").unwrap().1;
        assert!(numbers.contains(&zurich));
        assert!(numbers.iter().any(|&n| n as usize == words.len()));
        // Another vocabulary numbers its own words, whatever this thread met.
        let other = Vocabulary::default();
        assert_ne!(other.generation(), v.generation());
        other.count("", "<p>quay</p>");
        assert_eq!(other.words().len(), 1);
    }
}
