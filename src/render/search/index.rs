//! gazette's own search index (format `gazette-search` version 1): files
//! a browser fetches a few at a time, so that a query at any archive size
//! downloads a few tens of kilobytes. The format is described, byte by
//! byte, in docs/search.md; `themes/broadsheet/static/search-index.js`
//! reads it, and the tests read it back here.
//!
//! - Articles are numbered oldest first (an archive grows at the end, so
//!   ids stay put), which also makes "newest first" a sort by id and each
//!   year a range of ids.
//! - `words/K.json`: the folded words, sorted, each with its stem, cut into
//!   chunks; `meta.json` lists each chunk's first word.
//! - `postings/B.bin`: the postings of every stem whose hash falls in
//!   bucket B: (article, section, BM25 weight), so that counts by section
//!   come with the results.
//! - `docs/S.json`: what a result shows, 25 articles a file.
//! - `authors/A.bin`, `sections/S.bin`: the articles of author A and of
//!   section S, for filtering without words.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use super::text;
use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// Format name and version, in `meta.json`.
pub const FORMAT: &str = "gazette-search";
pub const VERSION: u32 = 1;
/// Where the index goes, below the output root.
pub const DIR: &str = "search-index";
/// Articles per `docs/` file.
pub const SHARD: usize = 25;
/// Articles read in parallel before their words are merged.
const BATCH: usize = 1024;
/// Words per `words/` file.
pub const WORDS_PER_CHUNK: usize = 1500;
/// Most postings kept for one stem: a word in more articles than this keeps
/// the articles where it weighs most (it ranks nothing much anyway).
pub const MOST_POSTINGS: usize = 4000;
/// BM25 parameters.
pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;
/// A word of the headline counts as this many words of the body.
pub const TITLE_WEIGHT: u32 = 3;
/// Characters of the summary a result shows.
pub const EXCERPT: usize = 240;

/// One article, read for the index.
struct Read {
    /// Folded word -> occurrences (title ones weighted).
    words: HashMap<String, u32>,
    length: u32,
}

#[derive(Serialize)]
struct Meta<'a> {
    format: &'a str,
    version: u32,
    language: &'a str,
    docs: usize,
    shard: usize,
    buckets: u32,
    most_postings: usize,
    /// `[year, first id, last id]`, oldest first.
    years: Vec<(i16, usize, usize)>,
    sections: Vec<&'a str>,
    authors: Vec<&'a str>,
    /// The first word of each `words/` file.
    words: Vec<&'a str>,
}

/// The index files: (path relative to the output, bytes).
pub fn index(site: &Site) -> Result<Vec<(PathBuf, Vec<u8>)>, Diagnostic> {
    // Oldest first: the site keeps its articles newest first.
    let order: Vec<usize> = (0..site.articles.len()).rev().collect();
    let stemmer = text::stemmer(&site.config.language);
    let n = order.len();

    // Every word, its stem, and the postings of every stem. Articles are
    // read in parallel a batch at a time and merged as they come, so that
    // only one batch's words are held at once.
    let mut stems: HashMap<String, u32> = HashMap::new();
    let mut stem_names: Vec<String> = Vec::new();
    let mut word_stem: HashMap<String, u32> = HashMap::new();
    let mut postings: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut lengths: Vec<u32> = Vec::with_capacity(n);
    for (batch, ids) in order.chunks(BATCH).enumerate() {
        let read: Vec<Read> = ids
            .par_iter()
            .map(|&id| read(site, id))
            .collect::<Result<_, _>>()?;
        for (i, r) in read.into_iter().enumerate() {
            let doc = (batch * BATCH + i) as u32;
            let mut tf: HashMap<u32, u32> = HashMap::with_capacity(r.words.len());
            for (word, count) in r.words {
                let stem = match word_stem.get(&word) {
                    Some(&s) => s,
                    None => {
                        let stemmed = match &stemmer {
                            Some(st) => st.stem(&word).into_owned(),
                            None => word.clone(),
                        };
                        let next = stem_names.len() as u32;
                        let s = *stems.entry(stemmed.clone()).or_insert_with(|| {
                            stem_names.push(stemmed);
                            postings.push(Vec::new());
                            next
                        });
                        word_stem.insert(word, s);
                        s
                    }
                };
                *tf.entry(stem).or_default() += count;
            }
            for (stem, f) in tf {
                postings[stem as usize].push((doc, f));
            }
            lengths.push(r.length);
        }
    }
    // BM25's term-frequency part, with each article's length, as a byte.
    let average = lengths.iter().map(|&l| f64::from(l)).sum::<f64>() / n.max(1) as f64;
    let postings: Vec<Vec<(u32, u8)>> = postings
        .into_par_iter()
        .map(|list| {
            list.into_iter()
                .map(|(doc, f)| {
                    let norm =
                        K1 * (1.0 - B + B * f64::from(lengths[doc as usize]) / average.max(1.0));
                    let f = f64::from(f);
                    let weight = f * (K1 + 1.0) / (f + norm) / (K1 + 1.0);
                    (doc, (weight * 255.0).round().clamp(1.0, 255.0) as u8)
                })
                .collect()
        })
        .collect();
    let mut word_stem: Vec<(String, u32)> = word_stem.into_iter().collect();
    word_stem.sort_unstable();

    let buckets = bucket_count(n);
    let sections: Vec<&str> = site
        .sections
        .terms
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    let authors: Vec<&str> = site.authors.terms.iter().map(|t| t.name.as_str()).collect();
    let section_of: Vec<u32> = order
        .iter()
        .map(|&id| site.articles[id].section.map_or(0, |s| s as u32 + 1))
        .collect();

    let mut files = Vec::new();
    // postings/B.bin
    let mut by_bucket: Vec<Vec<u32>> = vec![Vec::new(); buckets as usize];
    for (s, name) in stem_names.iter().enumerate() {
        by_bucket[(fnv1a(name.as_bytes()) % buckets) as usize].push(s as u32);
    }
    for (b, members) in by_bucket.iter_mut().enumerate() {
        members.sort_by(|x, y| stem_names[*x as usize].cmp(&stem_names[*y as usize]));
        let stems = members.iter().map(|&s| {
            (
                stem_names[s as usize].as_str(),
                postings[s as usize].as_slice(),
            )
        });
        files.push((
            PathBuf::from(DIR).join(format!("postings/{b}.bin")),
            bucket_file(stems, &section_of),
        ));
    }

    // words/K.json
    let mut firsts = Vec::new();
    for (k, chunk) in word_stem.chunks(WORDS_PER_CHUNK).enumerate() {
        firsts.push(chunk[0].0.as_str());
        let json: Vec<serde_json::Value> = chunk
            .iter()
            .map(|(word, s)| {
                let stem = &stem_names[*s as usize];
                if word == stem {
                    serde_json::Value::from(word.as_str())
                } else {
                    serde_json::json!([word, stem])
                }
            })
            .collect();
        files.push((
            PathBuf::from(DIR).join(format!("words/{k}.json")),
            json_bytes(&json)?,
        ));
    }

    // docs/S.json
    for (s, ids) in order.chunks(SHARD).enumerate() {
        let records: Vec<serde_json::Value> = ids
            .iter()
            .map(|&id| {
                let a = &site.articles[id];
                let excerpt: String = a.summary.chars().take(EXCERPT).collect();
                serde_json::json!([
                    a.meta.title,
                    site.link(&a.path),
                    crate::dates::day_label(a.meta.date.date()),
                    crate::dates::rfc3339(&a.meta.date),
                    a.section.map(|t| site.sections.get(t).name.as_str()),
                    a.authors
                        .iter()
                        .map(|&t| site.authors.get(t).name.as_str())
                        .collect::<Vec<_>>(),
                    excerpt,
                ])
            })
            .collect();
        files.push((
            PathBuf::from(DIR).join(format!("docs/{s}.json")),
            json_bytes(&records)?,
        ));
    }

    // authors/A.bin
    let mut by_author: Vec<Vec<u32>> = vec![Vec::new(); authors.len()];
    for (doc, &id) in order.iter().enumerate() {
        for &t in &site.articles[id].authors {
            by_author[t].push(doc as u32);
        }
    }
    files.extend(id_lists("authors", &by_author));

    // sections/N.bin
    let mut by_section: Vec<Vec<u32>> = vec![Vec::new(); sections.len()];
    for (doc, &s) in section_of.iter().enumerate() {
        if s > 0 {
            by_section[s as usize - 1].push(doc as u32);
        }
    }
    files.extend(id_lists("sections", &by_section));

    // meta.json
    let mut years: Vec<(i16, usize, usize)> = Vec::new();
    for (doc, &id) in order.iter().enumerate() {
        let y = site.articles[id].meta.date.year();
        match years.last_mut() {
            Some(last) if last.0 == y => last.2 = doc,
            _ => years.push((y, doc, doc)),
        }
    }
    let meta = Meta {
        format: FORMAT,
        version: VERSION,
        language: &site.config.language,
        docs: n,
        shard: SHARD,
        buckets,
        most_postings: MOST_POSTINGS,
        years,
        sections,
        authors,
        words: firsts,
    };
    files.push((PathBuf::from(DIR).join("meta.json"), json_bytes(&meta)?));
    Ok(files)
}

/// A postings file: its stems (sorted), each with its full document
/// frequency, the postings kept and their byte length; then the lists of
/// (article gap, section + 1 or 0, weight).
fn bucket_file<'a>(
    stems: impl Iterator<Item = (&'a str, &'a [(u32, u8)])>,
    section_of: &[u32],
) -> Vec<u8> {
    let mut head = Vec::new();
    let mut body = Vec::new();
    let stems: Vec<_> = stems.collect();
    varint(&mut head, stems.len() as u64);
    for (name, list) in stems {
        let kept = keep(list);
        let start = body.len();
        let mut last = 0u32;
        for (i, &(doc, w)) in kept.iter().enumerate() {
            varint(&mut body, u64::from(if i == 0 { doc } else { doc - last }));
            varint(&mut body, u64::from(section_of[doc as usize]));
            body.push(w);
            last = doc;
        }
        varint(&mut head, name.len() as u64);
        head.extend_from_slice(name.as_bytes());
        varint(&mut head, list.len() as u64);
        varint(&mut head, kept.len() as u64);
        varint(&mut head, (body.len() - start) as u64);
    }
    head.extend_from_slice(&body);
    head
}

/// `folder/N.bin` for each list of article ids: the count, then the gaps.
fn id_lists(folder: &str, lists: &[Vec<u32>]) -> Vec<(PathBuf, Vec<u8>)> {
    lists
        .iter()
        .enumerate()
        .map(|(n, docs)| {
            let mut bytes = Vec::new();
            varint(&mut bytes, docs.len() as u64);
            let mut last = 0;
            for (i, &d) in docs.iter().enumerate() {
                varint(&mut bytes, u64::from(if i == 0 { d } else { d - last }));
                last = d;
            }
            (PathBuf::from(DIR).join(format!("{folder}/{n}.bin")), bytes)
        })
        .collect()
}

/// The words of one article: its headline (weighted) and body.
fn read(site: &Site, id: usize) -> Result<Read, Diagnostic> {
    let a = &site.articles[id];
    let body = site.body(id)?;
    let mut words: HashMap<String, u32> = HashMap::new();
    let mut length = 0;
    for w in text::words(&a.meta.title) {
        *words.entry(w).or_default() += TITLE_WEIGHT;
        length += 1;
    }
    for w in text::words(&text::html_text(&body)) {
        *words.entry(w).or_default() += 1;
        length += 1;
    }
    Ok(Read { words, length })
}

/// Buckets for `n` articles: about 16 articles' worth of postings each
/// (a power of two, so that the count changes rarely as an archive grows).
pub fn bucket_count(n: usize) -> u32 {
    ((n / 16).max(1) as u32).next_power_of_two()
}

/// The postings kept of a list: all, or the [`MOST_POSTINGS`] heaviest
/// (in article order).
fn keep(list: &[(u32, u8)]) -> Vec<(u32, u8)> {
    if list.len() <= MOST_POSTINGS {
        return list.to_vec();
    }
    let mut by_weight: Vec<(u32, u8)> = list.to_vec();
    by_weight.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    by_weight.truncate(MOST_POSTINGS);
    by_weight.sort_by_key(|p| p.0);
    by_weight
}

/// 32-bit FNV-1a, as the browser computes it to find a stem's bucket.
pub fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// LEB128: seven bits a byte, low first, the high bit set on all but the last.
fn varint(out: &mut Vec<u8>, mut v: u64) {
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

fn json_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>, Diagnostic> {
    serde_json::to_vec(value)
        .map_err(|e| Diagnostic::error(crate::config::CONFIG_FILE, format!("search index: {e}")))
}

/// Reading the format back, for the tests: what the browser does.
#[cfg(test)]
pub mod read_back {
    /// One stem of a postings file: name, document frequency, postings
    /// (article, section, weight).
    pub type Stem = (String, u64, Vec<(u64, u64, u8)>);

    pub fn varint(bytes: &[u8], at: &mut usize) -> u64 {
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

    /// The stems of a bucket file: (stem, df, postings (doc, section, weight)).
    pub fn bucket(bytes: &[u8]) -> Vec<Stem> {
        let mut at = 0;
        let count = varint(bytes, &mut at);
        let mut heads = Vec::new();
        for _ in 0..count {
            let len = varint(bytes, &mut at) as usize;
            let name = String::from_utf8(bytes[at..at + len].to_vec()).unwrap();
            at += len;
            let df = varint(bytes, &mut at);
            let kept = varint(bytes, &mut at);
            let size = varint(bytes, &mut at);
            heads.push((name, df, kept, size));
        }
        let mut out = Vec::new();
        for (name, df, kept, _) in heads {
            let mut list = Vec::new();
            let mut doc = 0;
            for i in 0..kept {
                let gap = varint(bytes, &mut at);
                doc = if i == 0 { gap } else { doc + gap };
                let section = varint(bytes, &mut at);
                let w = bytes[at];
                at += 1;
                list.push((doc, section, w));
            }
            out.push((name, df, list));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_hashes() {
        let mut out = Vec::new();
        for v in [0u64, 127, 128, 300, 1 << 35] {
            varint(&mut out, v);
        }
        let mut at = 0;
        let back: Vec<u64> = (0..5).map(|_| read_back::varint(&out, &mut at)).collect();
        assert_eq!(back, [0, 127, 128, 300, 1 << 35]);
        // Reference values of FNV-1a 32.
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(bucket_count(10), 1);
        assert_eq!(bucket_count(100_000), 8192);
    }

    #[test]
    fn postings_files_read_back() {
        let ferri = [(0u32, 200u8), (4, 17), (302, 255)];
        let zurich = [(3u32, 9u8)];
        // Article d is in section d % 3 (0: none).
        let section_of: Vec<u32> = (0..303).map(|d| d % 3).collect();
        let bytes = bucket_file(
            [("ferri", &ferri[..]), ("zürich", &zurich[..])].into_iter(),
            &section_of,
        );
        let back = read_back::bucket(&bytes);
        assert_eq!(
            back,
            vec![
                (
                    "ferri".to_string(),
                    3,
                    vec![(0, 0, 200), (4, 1, 17), (302, 2, 255)]
                ),
                ("zürich".to_string(), 1, vec![(3, 0, 9)]),
            ]
        );
        let many: Vec<(u32, u8)> = (0..MOST_POSTINGS as u32 + 1)
            .map(|d| (d, 1 + (d % 7) as u8))
            .collect();
        let section_of = vec![1u32; many.len()];
        let back = read_back::bucket(&bucket_file([("the", &many[..])].into_iter(), &section_of));
        assert_eq!(back[0].1, many.len() as u64);
        assert_eq!(back[0].2.len(), MOST_POSTINGS);
        assert!(back[0].2.iter().all(|p| p.1 == 1));
    }

    #[test]
    fn heaviest_postings_are_kept() {
        let list: Vec<(u32, u8)> = (0..(MOST_POSTINGS as u32 + 10))
            .map(|d| (d, (d % 200) as u8 + 1))
            .collect();
        let kept = keep(&list);
        assert_eq!(kept.len(), MOST_POSTINGS);
        assert!(kept.windows(2).all(|w| w[0].0 < w[1].0));
        let lightest = kept.iter().map(|p| p.1).min().unwrap();
        assert!(
            list.iter()
                .filter(|p| p.1 > lightest)
                .all(|p| kept.contains(p))
        );
    }
}
