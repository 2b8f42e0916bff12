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
use std::hash::BuildHasher;
use std::io;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use super::words;
use crate::spill::{Spill, Spilled};

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
/// to the build's [`Spill`] (a build does not keep the words of a whole
/// archive in memory; `serve` keeps them, to compare and reuse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Held {
    Here(Terms),
    /// Where in the spill, and the article's [`Terms::length`].
    Filed(Spilled, u32),
}

impl Held {
    /// Bytes of the terms.
    pub fn size(&self) -> usize {
        match self {
            Held::Here(t) => t.size(),
            Held::Filed(spilled, _) => spilled.len(),
        }
    }

    /// The article's [`Terms::length`], without reading the terms back.
    pub fn length(&self) -> u32 {
        match self {
            Held::Here(t) => t.length(),
            Held::Filed(_, length) => *length,
        }
    }

    /// `terms` written to `spill`.
    pub fn file(spill: &Spill, terms: &Terms) -> io::Result<Held> {
        let length = terms.length();
        spill.put(terms.bytes()).map(|at| Held::Filed(at, length))
    }
}

/// The terms [`Held::file`] wrote at `spilled` (after [`Spill::flush`]).
pub fn read_filed(spill: &Spill, spilled: Spilled) -> io::Result<Terms> {
    Terms::from_bytes(&spill.get(spilled)?)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "damaged terms"))
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
    fn filed_terms_are_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let v = Vocabulary::default();
        let spill = Spill::create(dir.path()).unwrap();
        let terms: Vec<Terms> = (0..50)
            .map(|i| v.count("Title", &format!("<p>harbour {i} ferry {}</p>", i * 7)))
            .collect();
        let held: Vec<Held> = terms
            .iter()
            .map(|t| Held::file(&spill, t).unwrap())
            .collect();
        spill.flush().unwrap();
        for (t, h) in terms.iter().zip(&held).rev() {
            let Held::Filed(spilled, _) = *h else {
                unreachable!()
            };
            assert_eq!(h.size(), t.size());
            assert_eq!(h.length(), t.length());
            assert_eq!(&read_filed(&spill, spilled).unwrap(), t);
        }
        // Bytes that are not terms are refused, not misread.
        let other = spill.put(&[0x80]).unwrap();
        spill.flush().unwrap();
        assert!(read_filed(&spill, other).is_err());
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
