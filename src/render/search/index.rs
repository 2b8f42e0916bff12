//! gazette's own search index (format `gazette-search` version 2): files
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
//!   bucket B: (article, section, authors, BM25 weight), so that counts by
//!   section and author come with the results.
//! - `docs/S.json`: what a result shows, 25 articles a file.
//! - `authors/A.bin`, `sections/S.bin`: the articles of author A and of
//!   section S, for filtering without words.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use rayon::prelude::*;

use super::Out;
use crate::content::terms::{Held, Terms, read_varint, varint};
use crate::content::words;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::site::Site;

/// Format name and version, in `meta.json`.
pub const FORMAT: &str = "gazette-search";
pub const VERSION: u32 = 2;
/// Where the index goes, below the output root.
pub const DIR: &str = "search-index";
/// Articles per `docs/` file.
pub const SHARD: usize = 25;
/// Bytes of articles' terms whose postings one pass gathers (about as
/// many bytes of postings held at once). A larger archive takes more
/// passes, each from its own spill: see [`Spill`].
const PASS_BYTES: usize = 32 << 20;
/// Words per `words/` file.
pub const WORDS_PER_CHUNK: usize = 1500;
/// Most postings kept for one stem: a word in more articles than this keeps
/// the articles where it weighs most (it ranks nothing much anyway).
pub const MOST_POSTINGS: usize = 4000;
/// BM25 parameters.
pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;
/// Characters of the summary a result shows.
pub const EXCERPT: usize = 240;

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

/// Makes the index from the articles' [`Terms`] into `out`, keeping the
/// files of the last build that the same inputs would make again (each
/// file's fingerprint is taken of what its bytes are made from; a postings
/// file's, of every posting in it). `meta.json` is recorded with `whole`
/// (see [`super::make`]). Returns the number of files, kept or written.
pub fn index(site: &Site, out: &dyn Out, whole: u64) -> Result<usize, Diagnostic> {
    let Some(vocabulary) = &site.vocabulary else {
        return Err(Diagnostic::error(
            crate::config::CONFIG_FILE,
            "search index: the articles' words were not counted",
        ));
    };
    // Oldest first: the site keeps its articles newest first.
    let order: Vec<usize> = (0..site.articles.len()).rev().collect();
    let n = order.len();
    let held: Vec<&Held> = order
        .iter()
        .map(|&id| {
            site.articles[id].terms.as_ref().ok_or_else(|| {
                Diagnostic::error(&site.articles[id].source, "search index: words not counted")
            })
        })
        .collect::<Result<_, _>>()?;
    // Read back from the build's spill file where they were written there.
    let terms = |doc: usize| {
        site.read_terms(held[doc]).map_err(|e| {
            let source = &site.articles[order[doc]].source;
            Diagnostic::error(
                source,
                format!("search index: cannot read its words back: {e}"),
            )
        })
    };
    let files = Files {
        out,
        count: AtomicUsize::new(0),
    };

    // Every word of the vocabulary (a vocabulary kept from earlier builds
    // may hold words no article has now: the postings files leave out
    // stems no article has, and the words files words no article has) and
    // its stem; the stems sorted, so that each bucket's stems, gathered in
    // order, are sorted too; `stem_of[word]` is a stem's place.
    let all_words = vocabulary.words();
    let stemmer = words::stemmer(&site.config.language);
    let stemmed: Vec<Cow<'_, str>> = all_words
        .par_iter()
        .map(|(w, _)| match &stemmer {
            Some(st) => st.stem(w),
            None => Cow::Borrowed(&**w),
        })
        .collect();
    let mut stem_names: Vec<&str> = stemmed.iter().map(|s| &**s).collect();
    stem_names.par_sort_unstable();
    stem_names.dedup();
    let mut stem_of = vec![u32::MAX; vocabulary.numbers()];
    for ((_, number), stem) in all_words.iter().zip(&stemmed) {
        let s = stem_names.binary_search(&&**stem).unwrap_or_default();
        stem_of[*number as usize] = s as u32;
    }
    let buckets = bucket_count(n);
    let mut by_bucket: Vec<Vec<u32>> = vec![Vec::new(); buckets as usize];
    let mut bucket_of = Vec::with_capacity(stem_names.len());
    for (s, name) in stem_names.iter().enumerate() {
        let b = fnv1a(name.as_bytes()) % buckets;
        by_bucket[b as usize].push(s as u32);
        bucket_of.push(b);
    }
    let section_of: Vec<u32> = order
        .iter()
        .map(|&id| site.articles[id].section.map_or(0, |s| s as u32 + 1))
        .collect();
    let about_of: Vec<Vec<u8>> = order
        .iter()
        .zip(&section_of)
        .map(|(&id, &section)| {
            let authors: Vec<u32> = site.articles[id]
                .authors
                .iter()
                .map(|&a| a as u32)
                .collect();
            about(section, &authors)
        })
        .collect();
    let average = average_length(held.iter().map(|h| h.length()));
    let stem_hash: Vec<u64> = stem_names
        .par_iter()
        .map(|s| hash_bytes(s.as_bytes()))
        .collect();
    let about_hash: Vec<u64> = about_of.iter().map(|a| hash_bytes(a)).collect();

    let gathering = Gathering {
        docs: n,
        size: held.iter().map(|h| h.size()).sum(),
        terms: &terms,
        stem_of: &stem_of,
        stems: &stem_names,
        bucket_of: &bucket_of,
        by_bucket: &by_bucket,
        about_of: &about_of,
        stem_hash: &stem_hash,
        about_hash: &about_hash,
        average,
    };
    let used = gathering.postings_files(PASS_BYTES, &files)?;
    let words: Vec<&(Box<str>, u32)> = all_words.iter().filter(|w| used[w.1 as usize]).collect();

    // words/K.json
    let mut firsts = Vec::new();
    for (k, chunk) in words.chunks(WORDS_PER_CHUNK).enumerate() {
        firsts.push(&*chunk[0].0);
        let json: Vec<serde_json::Value> = chunk
            .iter()
            .map(|&(word, number)| {
                let stem = stem_names[stem_of[*number as usize] as usize];
                if **word == *stem {
                    serde_json::Value::from(&**word)
                } else {
                    serde_json::json!([word, stem])
                }
            })
            .collect();
        files.put(&format!("words/{k}.json"), &json_bytes(&json)?)?;
    }

    // docs/S.json, made in parallel.
    order
        .par_chunks(SHARD)
        .enumerate()
        .try_for_each(|(s, ids)| {
            let records: Vec<Record<'_>> = ids
                .iter()
                .map(|&id| {
                    let a = &site.articles[id];
                    let summary = a.summary();
                    let end =
                        (summary.char_indices().nth(EXCERPT)).map_or(summary.len(), |(i, _)| i);
                    Record(
                        &a.meta.title,
                        site.link(&a.path),
                        crate::dates::day_label(a.meta.date.date()),
                        crate::dates::rfc3339(&a.meta.date),
                        a.section.map(|t| site.sections.get(t).name.as_str()),
                        (a.authors.iter())
                            .map(|&t| site.authors.get(t).name.as_str())
                            .collect(),
                        &summary[..end],
                    )
                })
                .collect();
            files.put(&format!("docs/{s}.json"), &json_bytes(&records)?)
        })?;

    let sections: Vec<&str> = site
        .sections
        .terms
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    let authors: Vec<&str> = site.authors.terms.iter().map(|t| t.name.as_str()).collect();

    // authors/A.bin
    let mut by_author: Vec<Vec<u32>> = vec![Vec::new(); authors.len()];
    for (doc, &id) in order.iter().enumerate() {
        for &t in &site.articles[id].authors {
            by_author[t].push(doc as u32);
        }
    }
    for (a, docs) in by_author.iter().enumerate() {
        files.put(&format!("authors/{a}.bin"), &id_list(docs))?;
    }

    // sections/N.bin
    let mut by_section: Vec<Vec<u32>> = vec![Vec::new(); sections.len()];
    for (doc, &s) in section_of.iter().enumerate() {
        if s > 0 {
            by_section[s as usize - 1].push(doc as u32);
        }
    }
    for (s, docs) in by_section.iter().enumerate() {
        files.put(&format!("sections/{s}.bin"), &id_list(docs))?;
    }

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
    // Always written (compared with the last one's bytes), so that its
    // record carries `whole`.
    files.write("meta.json", whole, &json_bytes(&meta)?)?;
    Ok(files.count.into_inner())
}

/// What a result shows of an article (a JSON array in `docs/S.json`):
/// title, link, date label, RFC 3339 date, section, authors, excerpt.
#[derive(Serialize)]
struct Record<'a>(
    &'a str,
    String,
    String,
    String,
    Option<&'a str>,
    Vec<&'a str>,
    &'a str,
);

/// The index's files into an [`Out`], below [`DIR`], counted.
struct Files<'a> {
    out: &'a dyn Out,
    count: AtomicUsize,
}

impl Files<'_> {
    /// Whether the last build's files may be kept.
    fn keeps(&self) -> bool {
        self.out.keeps()
    }

    /// Keeps `name` if the last build left it from inputs of this
    /// fingerprint.
    fn keep(&self, name: &str, fingerprint: u64) -> bool {
        let kept = self.out.keep(&Path::new(DIR).join(name), fingerprint);
        if kept {
            self.count.fetch_add(1, Ordering::Relaxed);
        }
        kept
    }

    fn write(&self, name: &str, fingerprint: u64, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.out
            .write(&Path::new(DIR).join(name), fingerprint, bytes)?;
        self.count.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// A file that costs little to make: fingerprinted by its bytes, and
    /// written unless the last build left the same.
    fn put(&self, name: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let fingerprint = Fingerprint::new(u64::from(VERSION))
            .add_bytes(bytes)
            .finish()
            .unwrap_or_default();
        match self.keeps() && self.keep(name, fingerprint) {
            true => Ok(()),
            false => self.write(name, fingerprint, bytes),
        }
    }
}

/// A 64-bit hash of some bytes, the same in every run.
fn hash_bytes(bytes: &[u8]) -> u64 {
    Fingerprint::default()
        .add_bytes(bytes)
        .finish()
        .unwrap_or_default()
}

/// BM25's term part for a word counted `f` times in an article of this
/// `norm`, scaled to 1..255 (see docs/search.md).
fn weight_of(f: u32, norm: f64) -> u8 {
    let f = f64::from(f);
    let weight = f * (K1 + 1.0) / (f + norm) / (K1 + 1.0);
    (weight * 255.0).round().clamp(1.0, 255.0) as u8
}

/// What one posting adds to its bucket's fingerprint:
/// `mix(stem hash ^ posting_part(..))`. A bucket's fingerprint is the sum of
/// these over its postings, which is the same in whatever order they come
/// (each (stem, article) is one posting), so that it does not depend on
/// how the articles are split between threads.
fn posting_part(doc: u32, about: u64, weight: u8) -> u64 {
    mix(u64::from(doc) << 8 | u64::from(weight)) ^ about.rotate_left(29)
}

/// The finalizer of MurmurHash3: every bit of the input moves every bit of
/// the output.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// The average article length BM25 normalizes by, rounded to two
/// significant digits: editing an article rarely changes it, so an edit
/// leaves the weights of other articles, and their files, as they were.
fn average_length(lengths: impl Iterator<Item = u32>) -> f64 {
    let (mut sum, mut n) = (0f64, 0usize);
    for l in lengths {
        sum += f64::from(l);
        n += 1;
    }
    let average = (sum / n.max(1) as f64).max(1.0);
    let unit = 10f64.powf(average.log10().floor() - 1.0).max(1.0);
    (average / unit).round() * unit
}

/// What every posting of an article carries after its gap: section + 1
/// (0 for none), the number of authors and each author's number.
fn about(section: u32, authors: &[u32]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(2 + authors.len());
    varint(&mut bytes, u64::from(section));
    varint(&mut bytes, authors.len() as u64);
    for &a in authors {
        varint(&mut bytes, u64::from(a));
    }
    bytes
}

/// The postings of one stem, packed as the file keeps them: (article gap,
/// [`about`] the article, weight), articles in order.
#[derive(Default)]
struct Postings {
    df: u32,
    last: u32,
    bytes: Vec<u8>,
}

impl Postings {
    fn push(&mut self, doc: u32, about: &[u8], weight: u8) {
        let gap = if self.df == 0 { doc } else { doc - self.last };
        varint(&mut self.bytes, u64::from(gap));
        self.bytes.extend_from_slice(about);
        self.bytes.push(weight);
        self.df += 1;
        self.last = doc;
    }

    /// (article, weight, where its `about` lies in the bytes), in article
    /// order.
    fn unpack(&self) -> Vec<(u32, u8, (usize, usize))> {
        let mut out = Vec::with_capacity(self.df as usize);
        let (mut at, mut doc) = (0, 0u32);
        for i in 0..self.df {
            let gap = read_varint(&self.bytes, &mut at) as u32;
            doc = if i == 0 { gap } else { doc + gap };
            let start = at;
            read_varint(&self.bytes, &mut at);
            for _ in 0..read_varint(&self.bytes, &mut at) {
                read_varint(&self.bytes, &mut at);
            }
            out.push((doc, self.bytes[at], (start, at)));
            at += 1;
        }
        out
    }

    /// The packed postings a file keeps: all, or the [`MOST_POSTINGS`]
    /// heaviest (in article order).
    fn kept(&self) -> (u32, Cow<'_, [u8]>) {
        if self.df as usize <= MOST_POSTINGS {
            return (self.df, Cow::Borrowed(&self.bytes));
        }
        let mut heaviest = Postings::default();
        for (doc, weight, (start, end)) in keep(self.unpack()) {
            heaviest.push(doc, &self.bytes[start..end], weight);
        }
        (heaviest.df, Cow::Owned(heaviest.bytes))
    }
}

/// What the postings files are made from: the articles' terms (oldest
/// first), each word's stem, each stem's bucket, and each article's
/// [`about`].
struct Gathering<'a> {
    docs: usize,
    /// Bytes of all the terms.
    size: usize,
    /// The terms of an article, by its place.
    terms: &'a (dyn Fn(usize) -> Result<Cow<'a, Terms>, Diagnostic> + Sync),
    /// Word number to stem number.
    stem_of: &'a [u32],
    /// Stems, sorted.
    stems: &'a [&'a str],
    bucket_of: &'a [u32],
    /// Each bucket's stems, in order.
    by_bucket: &'a [Vec<u32>],
    about_of: &'a [Vec<u8>],
    /// A hash of each stem, and of each article's `about`, for the
    /// postings files' fingerprints.
    stem_hash: &'a [u64],
    about_hash: &'a [u64],
    average: f64,
}

/// Where [`Gathering::weigh`] sends each posting it weighs.
struct Route<'a> {
    /// Spills, one a pass (none: spill nothing), and buckets a pass.
    passes: usize,
    per_pass: u32,
    /// The buckets whose postings are spilled (all, if none).
    wanted: Option<&'a [bool]>,
    /// Whether to sum each bucket's fingerprint (and mark the words met).
    fingerprints: bool,
}

impl Gathering<'_> {
    /// postings/B.bin, a range of buckets at a time (as many ranges at
    /// once as there are threads, about `pass_bytes` of terms together),
    /// so that memory is bounded whatever the archive's size. One reading
    /// of the articles' terms (a run of articles a thread) merges each
    /// article's words by stem, weighs them, and sends each (article,
    /// stem, weight) to its run's [`Spill`] for its bucket's pass; each
    /// pass then gathers its postings from its spills alone, run after
    /// run, so the work is linear in the archive.
    ///
    /// Where the last build's files may be kept, a first reading only
    /// sums each bucket's fingerprint; the buckets whose file is kept are
    /// then neither spilled nor gathered nor made, so that an edit makes
    /// again only the buckets of the words whose postings it changed.
    ///
    /// Returns which words (by number) some article has.
    fn postings_files(
        &self,
        pass_bytes: usize,
        files: &Files<'_>,
    ) -> Result<Vec<bool>, Diagnostic> {
        let buckets = self.by_bucket.len();
        let name = |b: usize| format!("postings/{b}.bin");
        let threads = rayon::current_num_threads().max(1);
        // The articles are read in as many runs as there are threads, each
        // into spills of its own; a pass then reads its spill of each run,
        // in order, so that its postings are in article order.
        let run = self.docs.div_ceil(threads).max(1);
        let starts: Vec<usize> = (0..self.docs).step_by(run).collect();
        // Each run's spills; with fingerprints, each bucket's, and the
        // words used.
        type Read = (Vec<Vec<Spill>>, Vec<u64>, Vec<bool>);
        let read = |route: &Route<'_>| -> Result<Read, Diagnostic> {
            let runs: Vec<Weighed> = starts
                .par_iter()
                .map(|&start| self.weigh(start..(start + run).min(self.docs), route))
                .collect::<Result<_, _>>()?;
            let mut sums = vec![self.seed(); buckets];
            let mut used = vec![false; self.stem_of.len()];
            let mut spills = Vec::with_capacity(runs.len());
            for weighed in runs {
                if route.fingerprints {
                    for (sum, s) in sums.iter_mut().zip(weighed.sums) {
                        *sum = sum.wrapping_add(s);
                    }
                    for (u, w) in used.iter_mut().zip(weighed.used) {
                        *u |= w;
                    }
                }
                spills.push(weighed.spills);
            }
            Ok((spills, sums, used))
        };
        let kept = match files.keeps() {
            true => {
                let only_sums = Route {
                    passes: 0,
                    per_pass: 1,
                    wanted: None,
                    fingerprints: true,
                };
                let (_, sums, used) = read(&only_sums)?;
                let wanted: Vec<bool> = (0..buckets)
                    .into_par_iter()
                    .map(|b| !files.keep(&name(b), sums[b]))
                    .collect();
                Some((wanted, (sums, used)))
            }
            false => None,
        };
        let (wanted, kept) = kept.unzip();
        let wanted = wanted.as_deref();
        let making = wanted.map_or(buckets, |w| w.iter().filter(|&&w| w).count());
        if making == 0
            && let Some((_, used)) = kept
        {
            return Ok(used);
        }
        // Passes run as many at once as there are threads: together they
        // hold about `pass_bytes` (of the buckets made, about their share
        // of the terms). The files do not depend on how buckets are
        // grouped into passes.
        let size = (self.size as u128 * making as u128 / buckets as u128) as usize;
        let passes = (size * threads).div_ceil(pass_bytes).clamp(1, buckets);
        let per_pass = buckets.div_ceil(passes) as u32;
        let route = Route {
            passes,
            per_pass,
            wanted,
            fingerprints: kept.is_none(),
        };
        let (runs, sums, used) = read(&route)?;
        let (sums, used) = kept.unwrap_or((sums, used));
        let mut by_pass: Vec<Vec<Spill>> = (0..passes).map(|_| Vec::new()).collect();
        for spills in runs {
            for (pass, spill) in spills.into_iter().enumerate() {
                by_pass[pass].push(spill);
            }
        }
        // Each stem's place among the stems of its pass: a pass gathers
        // its postings into a list by that place, not a map.
        let mut place = vec![0u32; self.stems.len()];
        let mut in_pass = vec![0u32; passes];
        for (b, stems) in self.by_bucket.iter().enumerate() {
            let pass = &mut in_pass[b / per_pass as usize];
            for &stem in stems {
                place[stem as usize] = *pass;
                *pass += 1;
            }
        }
        // As many passes at once as there are threads (each holds about
        // `pass_bytes` of postings).
        let mut spills = by_pass.into_iter().enumerate();
        loop {
            let group: Vec<(usize, Vec<Spill>)> = spills.by_ref().take(threads).collect();
            let Some(&(first, _)) = group.first() else {
                return Ok(used);
            };
            let last = first + group.len() - 1;
            let gathered: Vec<Vec<Postings>> = group
                .into_par_iter()
                .map(|(pass, spills)| {
                    let mut postings: Vec<Postings> =
                        (0..in_pass[pass]).map(|_| Postings::default()).collect();
                    for spill in spills {
                        spill.each(|doc, stem, weight| {
                            postings[place[stem as usize] as usize].push(
                                doc,
                                &self.about_of[doc as usize],
                                weight,
                            );
                        })?;
                    }
                    Ok(postings)
                })
                .collect::<Result<_, Diagnostic>>()?;
            // The group's buckets, made and written in parallel.
            let file = |b: u32| {
                let postings = &gathered[(b / per_pass) as usize - first];
                let stems: Vec<(&str, &Postings)> = self.by_bucket[b as usize]
                    .iter()
                    .map(|&s| {
                        (
                            self.stems[s as usize],
                            &postings[place[s as usize] as usize],
                        )
                    })
                    .filter(|(_, p)| p.df > 0)
                    .collect();
                bucket_file(&stems)
            };
            (first as u32 * per_pass..((last as u32 + 1) * per_pass).min(buckets as u32))
                .into_par_iter()
                .filter(|&b| wanted.is_none_or(|w| w[b as usize]))
                .try_for_each(|b| files.write(&name(b as usize), sums[b as usize], &file(b)))?;
        }
    }

    /// What every bucket's fingerprint starts from: what its file depends
    /// on beside its postings.
    fn seed(&self) -> u64 {
        Fingerprint::new(u64::from(VERSION))
            .add(self.by_bucket.len())
            .add(MOST_POSTINGS)
            .finish()
            .unwrap_or_default()
    }

    /// Reads the articles of `docs`, merges each one's words by stem and
    /// weighs them, and sends each (article, stem, weight) to the spill of
    /// its bucket's pass, as `route` says.
    fn weigh(
        &self,
        docs: std::ops::Range<usize>,
        route: &Route<'_>,
    ) -> Result<Weighed, Diagnostic> {
        let mut spills = (0..route.passes)
            .map(|_| Spill::new(route.passes > 1))
            .collect::<Result<Vec<_>, _>>()?;
        let (mut sums, mut used) = match route.fingerprints {
            true => (
                vec![0u64; self.by_bucket.len()],
                vec![false; self.stem_of.len()],
            ),
            false => (Vec::new(), Vec::new()),
        };
        // `slot[stem]` is the stem's place in `tf` while an article is read.
        let mut tf: Vec<(u32, u32)> = Vec::new();
        let mut slot = vec![u32::MAX; self.stems.len()];
        for doc in docs {
            let t = (self.terms)(doc)?;
            for (w, c) in t.iter() {
                if route.fingerprints {
                    used[w as usize] = true;
                }
                let stem = self.stem_of[w as usize];
                match slot[stem as usize] {
                    u32::MAX => {
                        slot[stem as usize] = tf.len() as u32;
                        tf.push((stem, c));
                    }
                    at => tf[at as usize].1 += c,
                }
            }
            let norm = K1 * (1.0 - B + B * f64::from(t.length()) / self.average);
            // Each count's weight and what it adds to a posting's hash,
            // worked out once an article (counts are mostly small).
            let mut by_count = [(0u8, 0u64); 32];
            let about = self.about_hash[doc];
            for &(stem, f) in &tf {
                slot[stem as usize] = u32::MAX;
                let bucket = self.bucket_of[stem as usize];
                let spilled = route.passes > 0 && route.wanted.is_none_or(|w| w[bucket as usize]);
                if !spilled && !route.fingerprints {
                    continue;
                }
                let (weight, part) = match by_count.get(f as usize) {
                    Some(&(weight, part)) if weight > 0 => (weight, part),
                    _ => {
                        let weight = weight_of(f, norm);
                        let worked = (weight, posting_part(doc as u32, about, weight));
                        if let Some(place) = by_count.get_mut(f as usize) {
                            *place = worked;
                        }
                        worked
                    }
                };
                if route.fingerprints {
                    let h = mix(self.stem_hash[stem as usize] ^ part);
                    sums[bucket as usize] = sums[bucket as usize].wrapping_add(h);
                }
                if spilled {
                    let pass = bucket / route.per_pass;
                    spills[pass as usize].push(doc as u32, stem, weight)?;
                }
            }
            tf.clear();
        }
        Ok(Weighed { spills, sums, used })
    }
}

/// What [`Gathering::weigh`] made of a run of articles: a spill a pass
/// and, if its route asked for fingerprints, what the run's postings add
/// to each bucket's fingerprint and the words (by number) it met.
struct Weighed {
    spills: Vec<Spill>,
    sums: Vec<u64>,
    used: Vec<bool>,
}

/// The (article, stem, weight) triples of one pass, in article order,
/// packed as (article gap, stem, weight). With more than one pass, all but
/// the last [`SPILL_CHUNK`] bytes wait in an anonymous temporary file (in
/// `TMPDIR`), which the system removes when it is closed, even after a
/// crash.
struct Spill {
    bytes: Vec<u8>,
    file: Option<File>,
    /// The length of each chunk written to the file.
    chunks: Vec<usize>,
    last: u32,
}

/// Bytes a [`Spill`] holds before it writes them to its file.
const SPILL_CHUNK: usize = 1 << 20;

impl Spill {
    fn new(to_file: bool) -> Result<Self, Diagnostic> {
        let file = match to_file {
            true => Some(tempfile::tempfile().map_err(spill_error)?),
            false => None,
        };
        Ok(Self {
            bytes: Vec::new(),
            file,
            chunks: Vec::new(),
            last: 0,
        })
    }

    fn push(&mut self, doc: u32, stem: u32, weight: u8) -> Result<(), Diagnostic> {
        varint(&mut self.bytes, u64::from(doc - self.last));
        varint(&mut self.bytes, u64::from(stem));
        self.bytes.push(weight);
        self.last = doc;
        if let Some(file) = &mut self.file
            && self.bytes.len() >= SPILL_CHUNK
        {
            file.write_all(&self.bytes).map_err(spill_error)?;
            self.chunks.push(self.bytes.len());
            self.bytes.clear();
        }
        Ok(())
    }

    /// Gives every triple pushed to `f`, in order, reading the file a
    /// chunk at a time (chunks end where triples do).
    fn each(self, mut f: impl FnMut(u32, u32, u8)) -> Result<(), Diagnostic> {
        let mut doc = 0u32;
        let mut decode = |bytes: &[u8]| {
            let mut at = 0;
            while at < bytes.len() {
                doc += read_varint(bytes, &mut at) as u32;
                let stem = read_varint(bytes, &mut at) as u32;
                f(doc, stem, bytes[at]);
                at += 1;
            }
        };
        if let Some(mut file) = self.file {
            file.seek(SeekFrom::Start(0)).map_err(spill_error)?;
            let mut chunk = Vec::new();
            for &length in &self.chunks {
                chunk.resize(length, 0);
                file.read_exact(&mut chunk).map_err(spill_error)?;
                decode(&chunk);
            }
        }
        decode(&self.bytes);
        Ok(())
    }
}

fn spill_error(e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        std::env::temp_dir(),
        format!("search index: cannot use a temporary file in this folder: {e}"),
    )
}

/// A postings file: its stems (sorted), each with its full document
/// frequency, the postings kept and their byte length; then the lists.
fn bucket_file(stems: &[(&str, &Postings)]) -> Vec<u8> {
    let mut head = Vec::new();
    let mut body = Vec::new();
    varint(&mut head, stems.len() as u64);
    for (name, postings) in stems {
        let (kept, bytes) = postings.kept();
        body.extend_from_slice(&bytes);
        varint(&mut head, name.len() as u64);
        head.extend_from_slice(name.as_bytes());
        varint(&mut head, u64::from(postings.df));
        varint(&mut head, u64::from(kept));
        varint(&mut head, bytes.len() as u64);
    }
    head.extend_from_slice(&body);
    head
}

/// An id list file: the count, then the article ids as gaps.
fn id_list(docs: &[u32]) -> Vec<u8> {
    let mut bytes = Vec::new();
    varint(&mut bytes, docs.len() as u64);
    let mut last = 0;
    for (i, &d) in docs.iter().enumerate() {
        varint(&mut bytes, u64::from(if i == 0 { d } else { d - last }));
        last = d;
    }
    bytes
}

/// Buckets for `n` articles: about 4 articles' worth of postings each, so
/// that a query fetches little and an edit rewrites few bytes
/// (a power of two, so that the count changes rarely as an archive grows).
pub fn bucket_count(n: usize) -> u32 {
    ((n / 4).max(1) as u32).next_power_of_two()
}

/// The [`MOST_POSTINGS`] heaviest of a list of (article, weight, ...)
/// (lightest ties dropped from the newest), in article order.
fn keep<T>(mut list: Vec<(u32, u8, T)>) -> Vec<(u32, u8, T)> {
    if list.len() <= MOST_POSTINGS {
        return list;
    }
    // Heaviest first, then oldest: articles are distinct, so the order is
    // total and the selection the same on every run.
    list.select_nth_unstable_by(MOST_POSTINGS - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    list.truncate(MOST_POSTINGS);
    list.sort_unstable_by_key(|p| p.0);
    list
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

fn json_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>, Diagnostic> {
    serde_json::to_vec(value)
        .map_err(|e| Diagnostic::error(crate::config::CONFIG_FILE, format!("search index: {e}")))
}

/// Reading the format back, for the tests: what the browser does.
#[cfg(test)]
pub mod read_back {
    /// One stem of a postings file: name, document frequency, postings
    /// (article, section, authors, weight).
    pub type Stem = (String, u64, Vec<(u64, u64, Vec<u64>, u8)>);

    pub use crate::content::terms::read_varint as varint;

    /// The stems of a bucket file.
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
                let authors = (0..varint(bytes, &mut at))
                    .map(|_| varint(bytes, &mut at))
                    .collect();
                let w = bytes[at];
                at += 1;
                list.push((doc, section, authors, w));
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
        assert_eq!(bucket_count(3), 1);
        assert_eq!(bucket_count(10), 2);
        assert_eq!(bucket_count(100_000), 32768);
    }

    /// The postings files of `texts` (oldest first, each word its own
    /// stem), made with passes of `pass_bytes`.
    fn postings_of(texts: &[String], pass_bytes: usize) -> Vec<(String, Vec<u8>)> {
        let out = Collect::default();
        postings_into(texts, pass_bytes, &out);
        out.files()
            .into_iter()
            .map(|(path, _, bytes)| (path, bytes))
            .collect()
    }

    /// The postings files of `texts` into `out`.
    fn postings_into(texts: &[String], pass_bytes: usize, out: &Collect) {
        let vocabulary = crate::content::terms::Vocabulary::default();
        let terms: Vec<Terms> = texts.iter().map(|t| vocabulary.count("", t)).collect();
        let words = vocabulary.words();
        let stems: Vec<&str> = words.iter().map(|w| &*w.0).collect();
        let mut stem_of = vec![0; words.len()];
        for (s, (_, number)) in words.iter().enumerate() {
            stem_of[*number as usize] = s as u32;
        }
        let buckets = bucket_count(texts.len());
        let bucket_of: Vec<u32> = stems
            .iter()
            .map(|s| fnv1a(s.as_bytes()) % buckets)
            .collect();
        let mut by_bucket = vec![Vec::new(); buckets as usize];
        for (s, &b) in bucket_of.iter().enumerate() {
            by_bucket[b as usize].push(s as u32);
        }
        let about_of: Vec<Vec<u8>> = (0..texts.len() as u32)
            .map(|d| about(d % 3, &[d % 5]))
            .collect();
        let read = |doc: usize| Ok(Cow::Borrowed(&terms[doc]));
        let stem_hash: Vec<u64> = stems.iter().map(|s| hash_bytes(s.as_bytes())).collect();
        let about_hash: Vec<u64> = about_of.iter().map(|a| hash_bytes(a)).collect();
        let gathering = Gathering {
            docs: terms.len(),
            size: terms.iter().map(Terms::size).sum(),
            terms: &read,
            stem_of: &stem_of,
            stems: &stems,
            bucket_of: &bucket_of,
            by_bucket: &by_bucket,
            about_of: &about_of,
            stem_hash: &stem_hash,
            about_hash: &about_hash,
            average: average_length(terms.iter().map(|t| t.length())),
        };
        let files = Files {
            out,
            count: AtomicUsize::new(0),
        };
        gathering.postings_files(pass_bytes, &files).unwrap();
        assert_eq!(
            files.count.into_inner(),
            buckets as usize,
            "each kept or written"
        );
    }

    /// After an edit, a bucket's file is kept exactly where its bytes are
    /// the same as the last build's, whatever the threads and passes.
    #[test]
    fn postings_files_are_kept_where_the_same_and_made_where_not() {
        let texts: Vec<String> = (0..300)
            .map(|d| {
                (0..30)
                    .map(|w| format!("w{} y{}", (d * 11 + w * 7) % 400, w % (d % 5 + 1)))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let first = Collect::default();
        postings_into(&texts, usize::MAX, &first);
        let last: std::collections::HashMap<String, (u64, Vec<u8>)> = first
            .files()
            .into_iter()
            .map(|(name, fp, bytes)| (name, (fp, bytes)))
            .collect();
        type Edit = Box<dyn Fn(&mut Vec<String>)>;
        let edits: [(&str, Edit); 4] = [
            ("one word added", Box::new(|t| t[17].push_str(" w3"))),
            ("a new word", Box::new(|t| t[250].push_str(" brandnew"))),
            (
                "a word gone",
                Box::new(|t| t[0] = t[0].replacen("w0 ", "", 1)),
            ),
            ("none", Box::new(|_| {})),
        ];
        for (what, edit) in &edits {
            let mut edited = texts.clone();
            edit(&mut edited);
            let clean = postings_of(&edited, usize::MAX);
            for threads in [1, 3] {
                for pass_bytes in [usize::MAX, 50] {
                    let pool = rayon::ThreadPoolBuilder::new()
                        .num_threads(threads)
                        .build()
                        .unwrap();
                    let out = Collect {
                        last: Some(last.iter().map(|(n, (fp, _))| (n.clone(), *fp)).collect()),
                        ..Collect::default()
                    };
                    pool.install(|| postings_into(&edited, pass_bytes, &out));
                    let written = out.files();
                    let kept = out.kept.lock().unwrap().clone();
                    let context = format!("{what}, {threads} threads, passes of {pass_bytes}");
                    for (name, bytes) in &clean {
                        let same = last[name].1 == *bytes;
                        assert_eq!(kept.contains(name), same, "{name} kept: {context}");
                        if !same {
                            let made = written.iter().find(|w| w.0 == *name).unwrap();
                            assert_eq!(made.2, *bytes, "{name}: {context}");
                        }
                    }
                    match *what {
                        "none" => assert!(written.is_empty(), "{context}"),
                        _ => assert!(!written.is_empty(), "{context}"),
                    }
                }
            }
        }
    }

    /// An [`Out`] that collects what is written, and keeps the files
    /// `last` recorded with the same fingerprint.
    #[derive(Default)]
    struct Collect {
        last: Option<std::collections::HashMap<String, u64>>,
        written: std::sync::Mutex<Vec<(String, u64, Vec<u8>)>>,
        kept: std::sync::Mutex<Vec<String>>,
    }

    impl Collect {
        /// (path below the index, fingerprint, bytes), by path.
        fn files(&self) -> Vec<(String, u64, Vec<u8>)> {
            let mut files = self.written.lock().unwrap().clone();
            files.sort_by(|a, b| a.0.cmp(&b.0));
            files
        }
    }

    impl Out for Collect {
        fn keeps(&self) -> bool {
            self.last.is_some()
        }

        fn keep(&self, rel: &Path, fingerprint: u64) -> bool {
            let name = rel.strip_prefix(DIR).unwrap().to_str().unwrap().to_string();
            let kept = self.last.as_ref().unwrap().get(&name) == Some(&fingerprint);
            if kept {
                self.kept.lock().unwrap().push(name);
            }
            kept
        }

        fn write(&self, rel: &Path, fingerprint: u64, bytes: &[u8]) -> Result<(), Diagnostic> {
            let name = rel.strip_prefix(DIR).unwrap().to_str().unwrap().to_string();
            self.written
                .lock()
                .unwrap()
                .push((name, fingerprint, bytes.to_vec()));
            Ok(())
        }
    }

    #[test]
    fn postings_are_the_same_in_one_pass_or_many() {
        let texts: Vec<String> = (0..200)
            .map(|d| {
                (0..40)
                    .map(|w| format!("w{} x{}", (d * 7 + w * 13) % 97, w % (d % 9 + 1)))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let one = postings_of(&texts, usize::MAX);
        assert_eq!(one.len(), bucket_count(200) as usize);
        for pass_bytes in [1, 100, 2000] {
            assert_eq!(
                postings_of(&texts, pass_bytes),
                one,
                "passes of {pass_bytes} bytes"
            );
        }
        // Read in runs, one a thread, and passes run a thread each.
        for threads in [1, 3, 8] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            for pass_bytes in [usize::MAX, 100] {
                assert_eq!(
                    pool.install(|| postings_of(&texts, pass_bytes)),
                    one,
                    "{threads} threads, passes of {pass_bytes} bytes"
                );
            }
        }
        let words: usize = one.iter().map(|(_, b)| read_back::bucket(b).len()).sum();
        assert_eq!(words, 97 + 9, "every word in one bucket");
    }

    #[test]
    fn spills_give_back_what_they_took() {
        let mut spill = Spill::new(true).unwrap();
        let entries: Vec<(u32, u32, u8)> = (0..1_000_000u32)
            .map(|i| (i / 3, i.wrapping_mul(7919) % 100_000, (i % 255) as u8 + 1))
            .collect();
        for &(doc, stem, weight) in &entries {
            spill.push(doc, stem, weight).unwrap();
        }
        assert!(spill.bytes.len() < SPILL_CHUNK, "written out as it went");
        assert!(spill.chunks.len() > 1);
        let mut back = Vec::new();
        spill
            .each(|doc, stem, weight| back.push((doc, stem, weight)))
            .unwrap();
        assert_eq!(back, entries);
    }

    fn packed(list: &[(u32, u32, &[u32], u8)]) -> Postings {
        let mut p = Postings::default();
        for &(doc, section, authors, weight) in list {
            p.push(doc, &about(section, authors), weight);
        }
        p
    }

    #[test]
    fn postings_files_read_back() {
        let ferri = packed(&[(0, 0, &[], 200), (4, 1, &[2], 17), (302, 2, &[0, 130], 255)]);
        let zurich = packed(&[(3, 0, &[1], 9)]);
        let bytes = bucket_file(&[("ferri", &ferri), ("zürich", &zurich)]);
        let back = read_back::bucket(&bytes);
        assert_eq!(
            back,
            vec![
                (
                    "ferri".to_string(),
                    3,
                    vec![
                        (0, 0, vec![], 200),
                        (4, 1, vec![2], 17),
                        (302, 2, vec![0, 130], 255)
                    ]
                ),
                ("zürich".to_string(), 1, vec![(3, 0, vec![1], 9)]),
            ]
        );
        let many: Vec<(u32, u32, &[u32], u8)> = (0..MOST_POSTINGS as u32 + 1)
            .map(|d| (d, 1, &[7u32, 300][..(d % 3) as usize], 1 + (d % 7) as u8))
            .collect();
        let back = read_back::bucket(&bucket_file(&[("the", &packed(&many))]));
        assert_eq!(back[0].1, many.len() as u64);
        assert_eq!(back[0].2.len(), MOST_POSTINGS);
        assert!(back[0].2.windows(2).all(|w| w[0].0 < w[1].0));
        // Each kept posting is the one written, whole.
        for (doc, section, authors, weight) in &back[0].2 {
            let (d, s, a, w) = many[*doc as usize];
            assert_eq!(
                (*section, authors.as_slice(), *weight),
                (
                    u64::from(s),
                    &a.iter().map(|&x| u64::from(x)).collect::<Vec<_>>()[..],
                    w
                )
            );
            assert_eq!(*doc, u64::from(d));
        }
        // Dropped: the newest of the lightest (weight 1: d % 7 == 0).
        let newest_light = (0..=MOST_POSTINGS as u64)
            .rev()
            .find(|d| d % 7 == 0)
            .unwrap();
        assert!(back[0].2.iter().all(|p| p.0 != newest_light));
    }

    #[test]
    fn heaviest_postings_are_kept() {
        let list: Vec<(u32, u8, ())> = (0..(MOST_POSTINGS as u32 + 10))
            .map(|d| (d, (d % 200) as u8 + 1, ()))
            .collect();
        let kept = keep(list.clone());
        assert_eq!(kept.len(), MOST_POSTINGS);
        assert!(kept.windows(2).all(|w| w[0].0 < w[1].0));
        let lightest = kept.iter().map(|p| p.1).min().unwrap();
        assert!(
            list.iter()
                .filter(|p| p.1 > lightest)
                .all(|p| kept.contains(p))
        );
    }

    #[test]
    fn average_length_moves_in_steps() {
        assert_eq!(average_length([654, 655].into_iter()), 650.0);
        assert_eq!(average_length([37].into_iter()), 37.0);
        assert_eq!(average_length(std::iter::empty()), 1.0);
        assert_eq!(average_length([1234, 1236].into_iter()), 1200.0);
    }
}
