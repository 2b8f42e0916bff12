//! The words of each article, counted once, when its body is rendered, so
//! that the index need not keep or render any body again.
//!
//! A [`Vocabulary`] shared by the threads that render bodies stems each
//! word the first time it is met and numbers the stems; an article keeps
//! only its [`Terms`]: its length and, for each of its stems, the stem's
//! number and count, packed as varints (a few bytes a stem, about a fifth
//! of the body's HTML). Numbers depend on the order threads meet words
//! in; nothing the index writes does.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use pagefind_stem::Stemmer;

use super::text;

/// A headline word counts as this many words of the body.
pub const TITLE_WEIGHT: u32 = 3;

/// Shards of the vocabulary: threads adding words rarely wait on each other.
const SHARD_BITS: u32 = 6;
const SHARDS: usize = 1 << SHARD_BITS;

type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Every folded word of the site with its stem, and every stem with its
/// number.
pub struct Vocabulary {
    /// Told apart from other vocabularies by the threads' caches.
    id: usize,
    stemmer: Option<Stemmer>,
    hasher: foldhash::fast::RandomState,
    /// Word -> number of its stem.
    words: Shards,
    /// Stem -> its number.
    stems: Shards,
}

impl std::fmt::Debug for Vocabulary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vocabulary").field("id", &self.id).finish()
    }
}

type Shards = Box<[Mutex<Map<Box<str>, u32>>]>;

fn shards() -> Shards {
    (0..SHARDS).map(|_| Mutex::default()).collect()
}

thread_local! {
    /// Each thread's copy of the words it has met, with their stems'
    /// numbers, for the vocabulary of the id: most words are met again,
    /// and then cost one lookup without a lock.
    static MET: RefCell<(usize, Map<Box<str>, u32>)> = RefCell::default();
}

impl Vocabulary {
    /// A vocabulary stemming with the Snowball stemmer of `language`, if
    /// there is one.
    pub fn new(language: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(1);
        Vocabulary {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            stemmer: text::stemmer(language),
            hasher: foldhash::fast::RandomState::default(),
            words: shards(),
            stems: shards(),
        }
    }

    fn shard<'s>(
        &self,
        shards: &'s Shards,
        key: &str,
    ) -> (u32, MutexGuard<'s, Map<Box<str>, u32>>) {
        let shard = (self.hasher.hash_one(key) as usize) & (SHARDS - 1);
        let guard = shards[shard]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (shard as u32, guard)
    }

    /// The number of the stem of `word`, both added if new.
    fn number(&self, word: &str) -> u32 {
        let (_, mut words) = self.shard(&self.words, word);
        if let Some(&n) = words.get(word) {
            return n;
        }
        let stem = match &self.stemmer {
            Some(st) => st.stem(word),
            None => Cow::Borrowed(word),
        };
        let (shard, mut stems) = self.shard(&self.stems, &stem);
        let next = ((stems.len() as u32) << SHARD_BITS) | shard;
        let n = *stems.entry(stem.into()).or_insert(next);
        words.insert(word.into(), n);
        n
    }

    /// The terms of an article: the words of its headline (weighted) and
    /// of its body's HTML, counted by stem.
    pub fn count(&self, title: &str, html: &str) -> Terms {
        let mut counts: Vec<(u32, u32)> = Vec::new();
        MET.with_borrow_mut(|(id, met)| {
            if *id != self.id {
                *id = self.id;
                met.clear();
            }
            let mut add = |text: &str, weight: u32| {
                text::each_word(text, |w| {
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
            add(&text::html_text(html), 1);
        });
        let length = counts.len() as u32;
        counts.sort_unstable_by_key(|c| c.0);
        let mut bytes = Vec::with_capacity(counts.len() + 4);
        varint(&mut bytes, length);
        let mut last = 0;
        for same in counts.chunk_by(|a, b| a.0 == b.0) {
            let n = same[0].0;
            varint(&mut bytes, n - last);
            varint(&mut bytes, same.iter().map(|c| c.1).sum());
            last = n;
        }
        Terms(bytes.into_boxed_slice())
    }

    /// Every word with its stem's number, sorted by word (code point order).
    pub fn words(&self) -> Vec<(Box<str>, u32)> {
        all(&self.words)
    }

    /// Every stem with its number, sorted by stem.
    pub fn stems(&self) -> Vec<(Box<str>, u32)> {
        all(&self.stems)
    }
}

fn all(shards: &Shards) -> Vec<(Box<str>, u32)> {
    let mut all: Vec<(Box<str>, u32)> = Vec::new();
    for shard in shards {
        let map = shard
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        all.extend(map.iter().map(|(w, &n)| (w.clone(), n)));
    }
    all.sort_unstable();
    all
}

/// One article's words: its length, then (word number, count), packed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Terms(Box<[u8]>);

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
}

fn varint(out: &mut Vec<u8>, v: u32) {
    super::index::varint(out, u64::from(v));
}

fn read(bytes: &[u8], at: &mut usize) -> u32 {
    super::index::read_varint(bytes, at) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_count_each_stem_once_with_its_weight() {
        let v = Vocabulary::new("en");
        let a = v.count(
            "Ferry fares",
            "<p>The ferries&#8217; fares, and <em>Zürich</em>.</p>",
        );
        let b = v.count("Zurich", "<p>the</p>");
        assert_eq!(a.length(), 2 + 5);
        let stems: HashMap<u32, Box<str>> = v.stems().into_iter().map(|(w, n)| (n, w)).collect();
        let named = |t: &Terms| -> Vec<(String, u32)> {
            let mut out: Vec<(String, u32)> =
                t.iter().map(|(n, c)| (stems[&n].to_string(), c)).collect();
            out.sort();
            out
        };
        assert_eq!(
            named(&a),
            [
                ("and".to_string(), 1),
                ("fare".to_string(), 4),
                ("ferri".to_string(), 4),
                ("the".to_string(), 1),
                ("zurich".to_string(), 1),
            ]
        );
        assert_eq!(
            named(&b),
            [("the".to_string(), 1), ("zurich".to_string(), 3)]
        );
        let words: Vec<String> = v.words().iter().map(|w| w.0.to_string()).collect();
        assert_eq!(words, ["and", "fares", "ferries", "ferry", "the", "zurich"]);
        // Another vocabulary numbers its own words, whatever this thread met.
        let other = Vocabulary::new("en");
        other.count("", "<p>zurich</p>");
        assert_eq!(other.stems().len(), 1);
    }
}
