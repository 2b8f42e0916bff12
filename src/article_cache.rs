//! What the last build learned of each article file, kept in
//! `ROOT/.gazette/articles/` so that the next build neither parses the
//! front matter of an unchanged file again nor renders its body to learn
//! its summary, word count and HTML fingerprint.
//!
//! - A file's entry is used only while the file has the size and
//!   modification time it had when read. Files modified less than
//!   [`SETTLING`] before the build started are not kept: a second edit
//!   within the same tick of the file system's clock would keep both.
//! - A body's digest is used only while its Markdown, where it starts, its
//!   page link and `raw_html` are the same, and every question its
//!   rendering asked about other files (a linked article's URL, whether an
//!   image exists, its size) still gets the same answer.
//! - Another gazette version or time zone starts afresh; so does a shard
//!   that cannot be read. A file's front matter warnings are kept with
//!   it, so that every build gives them again.
//!
//! Nothing here decides what a page contains: a hit gives the same values
//! as parsing and rendering again, which the incremental tests check.

use std::borrow::Cow;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::content::Source;
use crate::content::frontmatter::{Image, ImageSrc, Meta};
use crate::content::markdown::Links;
use crate::content::yaml::{self, Value};
use crate::diagnostics::Diagnostic;
use crate::manifest::{self, Fingerprint};
use crate::paths::PathMap;
use crate::site::Site;
use crate::site::bodies::Question;

const FORMAT: &str = concat!("gazette-articles 2 256 ", env!("CARGO_PKG_VERSION"));

/// How long a file must have been left alone before the build started for
/// its entry to be kept: longer than the coarsest clock of common file
/// systems (two seconds on FAT).
pub const SETTLING: Duration = Duration::from_secs(3);

/// A file's size and modification time (ns since the epoch).
pub type Stamp = (u64, u128);

/// What rendering a body taught the build, apart from the HTML itself.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BodyDigest {
    /// Fingerprint of the body's own inputs: Markdown, first line, page
    /// link, `raw_html`.
    pub key: u64,
    /// The questions about other files, with the answers they got.
    pub asked: Vec<Question>,
    /// Local files the body uses (relative to the root), with their names.
    pub assets: Vec<(PathBuf, String)>,
}

/// The cache is split by a hash of the source path, so that a build that
/// changed a few articles rewrites a few shards, not the whole cache.
const SHARDS: usize = 256;

/// The cache as read at the start of a build.
#[derive(Debug, Default)]
pub struct ArticleCache {
    /// [`SHARDS`] long once loaded.
    shards: Vec<Shard>,
}

#[derive(Debug, Default)]
struct Shard {
    /// What the build uses is moved out, not copied.
    entries: Mutex<PathMap<Entry<'static>>>,
    /// How many entries were read.
    count: usize,
    /// Entries whose source, and whose body, were used by this build.
    hits: AtomicUsize,
    body_hits: AtomicUsize,
}

#[derive(Debug, Serialize, Deserialize)]
struct Stored<'a> {
    header: Cow<'a, str>,
    timezone: Cow<'a, str>,
    entries: Vec<Entry<'a>>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry<'a> {
    path: Cow<'a, Path>,
    len: u64,
    modified: u128,
    /// `None` once taken by the build.
    meta: Option<StoredMeta<'a>>,
    body_hash: u64,
    body_line: usize,
    /// The front matter's warnings: (line, column, message).
    warnings: Vec<(Option<usize>, Option<usize>, Cow<'a, str>)>,
    body: Option<StoredBody<'a>>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredBody<'a> {
    digest: Cow<'a, BodyDigest>,
    html_hash: u64,
    word_count: usize,
    /// The first paragraph as plain text, kept when it is the summary.
    first_paragraph: Option<Cow<'a, str>>,
}

/// [`Meta`] with instants for dates (read back in the site's time zone)
/// and `extra` as YAML text.
#[derive(Debug, Serialize, Deserialize)]
struct StoredMeta<'a> {
    title: Cow<'a, str>,
    date: i128,
    updated: Option<i128>,
    authors: Cow<'a, [String]>,
    section: Option<Cow<'a, str>>,
    tags: Cow<'a, [String]>,
    image: Option<StoredImage<'a>>,
    summary: Option<Cow<'a, str>>,
    slug: Cow<'a, str>,
    draft: bool,
    aliases: Cow<'a, [String]>,
    extra: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredImage<'a> {
    /// 0 local, 1 static, 2 remote.
    kind: u8,
    src: Cow<'a, str>,
    alt: Option<Cow<'a, str>>,
    caption: Option<Cow<'a, str>>,
    credit: Option<Cow<'a, str>>,
    line: usize,
}

impl<'a> StoredMeta<'a> {
    /// `None` when `extra` does not survive a round trip through YAML text.
    fn new(m: &'a Meta) -> Option<Self> {
        let extra = match &m.extra {
            Value::Null => None,
            value => {
                let text = yaml::to_string(value).ok()?;
                // Not kept (`None` from `new`) unless read back the same.
                Some((yaml::from_str::<Value>(&text).ok()? == *value).then_some(text)?)
            }
        };
        let (kind, src) = match m.image.as_ref().map(|i| &i.src) {
            Some(ImageSrc::Local(s)) => (0, s.as_str()),
            Some(ImageSrc::Static(s)) => (1, s.as_str()),
            Some(ImageSrc::Remote(s)) => (2, s.as_str()),
            None => (0, ""),
        };
        Some(StoredMeta {
            title: Cow::Borrowed(&m.title),
            date: m.date.timestamp().as_nanosecond(),
            updated: m.updated.as_ref().map(|u| u.timestamp().as_nanosecond()),
            authors: Cow::Borrowed(&m.authors),
            section: m.section.as_deref().map(Cow::Borrowed),
            tags: Cow::Borrowed(&m.tags),
            image: m.image.as_ref().map(|i| StoredImage {
                kind,
                src: Cow::Borrowed(src),
                alt: i.alt.as_deref().map(Cow::Borrowed),
                caption: i.caption.as_deref().map(Cow::Borrowed),
                credit: i.credit.as_deref().map(Cow::Borrowed),
                line: i.line,
            }),
            summary: m.summary.as_deref().map(Cow::Borrowed),
            slug: Cow::Borrowed(&m.slug),
            draft: m.draft,
            aliases: Cow::Borrowed(&m.aliases),
            extra,
        })
    }

    /// The front matter, its texts moved rather than copied.
    fn into_meta(self, tz: &TimeZone) -> Option<Meta> {
        let zoned = |ns: i128| {
            Timestamp::from_nanosecond(ns)
                .ok()
                .map(|t| t.to_zoned_datetime(tz.clone()))
        };
        let extra = match &self.extra {
            None => Value::Null,
            Some(text) => yaml::from_str(text).ok()?,
        };
        let owned = |s: Option<Cow<'_, str>>| s.map(Cow::into_owned);
        let image = match self.image {
            None => None,
            Some(i) => Some(Image {
                src: match i.kind {
                    0 => ImageSrc::Local(i.src.into_owned()),
                    1 => ImageSrc::Static(i.src.into_owned()),
                    2 => ImageSrc::Remote(i.src.into_owned()),
                    _ => return None,
                },
                alt: owned(i.alt),
                caption: owned(i.caption),
                credit: owned(i.credit),
                line: i.line,
            }),
        };
        Some(Meta {
            title: self.title.into_owned(),
            date: zoned(self.date)?,
            updated: match self.updated {
                Some(ns) => Some(zoned(ns)?),
                None => None,
            },
            authors: self.authors.into_owned(),
            section: owned(self.section),
            tags: self.tags.into_owned(),
            image,
            summary: owned(self.summary),
            slug: self.slug.into_owned(),
            draft: self.draft,
            aliases: self.aliases.into_owned(),
            extra,
        })
    }
}

/// A body's digest found in the cache.
pub struct BodyHit {
    pub digest: BodyDigest,
    pub html_hash: u64,
    pub word_count: usize,
    pub first_paragraph: Option<String>,
}

impl ArticleCache {
    /// The folder of the cache of the site at `root`.
    pub fn location(root: &Path) -> PathBuf {
        root.join(".gazette").join("articles")
    }

    fn shard_file(root: &Path, shard: usize) -> PathBuf {
        Self::location(root).join(format!("{shard:02x}.bin"))
    }

    /// Reads the cache of the site at `root`; shards that are missing,
    /// unreadable, from another version or another time zone are empty.
    pub fn load(root: &Path, timezone: &str) -> ArticleCache {
        let header = manifest::header(FORMAT);
        let shards = (0..SHARDS)
            .into_par_iter()
            .map(|i| {
                let Ok(bytes) = fs::read(Self::shard_file(root, i)) else {
                    return Shard::default();
                };
                // Read owned (not borrowed from `bytes`): serde makes each
                // `Cow` owned.
                match postcard::from_bytes::<Stored<'static>>(&bytes) {
                    Ok(s) if s.header == header && s.timezone == timezone => Shard {
                        count: s.entries.len(),
                        entries: Mutex::new(
                            s.entries
                                .into_iter()
                                .map(|e| (e.path.as_os_str().to_os_string(), e))
                                .collect(),
                        ),
                        ..Shard::default()
                    },
                    _ => Shard::default(),
                }
            })
            .collect();
        ArticleCache { shards }
    }

    /// How many articles were built from the cache, body included.
    pub fn reused(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.body_hits.load(Ordering::Relaxed))
            .sum()
    }

    /// The source of `path` as last read, and the warnings it had, if the
    /// file still has the size and time it had then.
    pub fn source(
        &self,
        path: &Path,
        stamp: Stamp,
        tz: &TimeZone,
    ) -> Option<(Option<Source>, Vec<Diagnostic>)> {
        let shard = self.shards.get(shard_of(path))?;
        let mut entries = shard.entries.lock().unwrap_or_else(|e| e.into_inner());
        let e = entries.get_mut(path.as_os_str())?;
        if (e.len, e.modified) != stamp {
            return None;
        }
        let meta = e.meta.take()?.into_meta(tz)?;
        shard.hits.fetch_add(1, Ordering::Relaxed);
        let warnings: Vec<Diagnostic> = e
            .warnings
            .iter()
            .map(|(line, col, message)| Diagnostic {
                line: *line,
                col: *col,
                ..Diagnostic::warning(path, message.as_ref())
            })
            .collect();
        let source = Source {
            path: path.to_path_buf(),
            meta,
            body: None,
            body_hash: e.body_hash,
            body_line: e.body_line,
            stamp: Some(stamp),
            warnings: warnings.clone(),
        };
        Some((Some(source), warnings))
    }

    /// The digest of the body of `path` if it was made from the same
    /// inputs (`key`), every question it asked gets the same answer, and
    /// it kept the first paragraph if `summary` needs it.
    pub fn body(&self, path: &Path, key: u64, summary: bool, links: &dyn Links) -> Option<BodyHit> {
        let shard = self.shards.get(shard_of(path))?;
        let mut entries = shard.entries.lock().unwrap_or_else(|e| e.into_inner());
        let e = entries.get_mut(path.as_os_str())?;
        let b = e.body.as_ref()?;
        if b.digest.key != key
            || (summary && b.first_paragraph.is_none())
            || !b.digest.asked.iter().all(|q| q.same_answer(links))
        {
            return None;
        }
        let b = e.body.take()?;
        shard.body_hits.fetch_add(1, Ordering::Relaxed);
        Some(BodyHit {
            digest: b.digest.into_owned(),
            html_hash: b.html_hash,
            word_count: b.word_count,
            first_paragraph: b.first_paragraph.map(Cow::into_owned),
        })
    }

    /// Saves what this build learned of the site's articles: rewrites the
    /// shards whose entries were not all used as read. Files modified
    /// after `settled` are left out.
    pub fn save(&self, root: &Path, site: &Site, settled: SystemTime) -> io::Result<()> {
        let settled = settled
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut buckets: Vec<Bucket> = (0..SHARDS).map(|_| Bucket::default()).collect();
        for (id, a) in site.articles.iter().enumerate() {
            buckets[shard_of(&a.source)].published.push(id);
        }
        for (i, s) in site.unpublished.iter().enumerate() {
            buckets[shard_of(&s.path)].unpublished.push(i);
        }
        fs::create_dir_all(Self::location(root))?;
        buckets
            .par_iter()
            .enumerate()
            .filter(|(i, b)| {
                let total = b.published.len() + b.unpublished.len();
                let used = self.shards.get(*i).is_some_and(|shard| {
                    shard.count == total
                        && shard.hits.load(Ordering::Relaxed) == total
                        && shard.body_hits.load(Ordering::Relaxed) == b.published.len()
                });
                !used
            })
            .try_for_each(|(i, b)| {
                let published = b.published.iter().filter_map(|&id| {
                    let a = &site.articles[id];
                    let body = a.digest.as_ref().map(|d| StoredBody {
                        digest: Cow::Borrowed(d),
                        html_hash: a.html_hash,
                        word_count: a.word_count,
                        first_paragraph: a
                            .meta
                            .summary
                            .is_none()
                            .then_some(Cow::Borrowed(a.summary.as_str())),
                    });
                    let file = (&*a.source, a.stamp?);
                    Entry::new(file, &a.meta, (a.body_hash, a.body_line), &a.warnings, body)
                });
                let unpublished = b.unpublished.iter().filter_map(|&i| {
                    let s = &site.unpublished[i];
                    let file = (&*s.path, s.stamp?);
                    Entry::new(file, &s.meta, (s.body_hash, s.body_line), &s.warnings, None)
                });
                // Files modified since `settled` may change again unseen.
                let entries: Vec<Entry<'_>> = published
                    .chain(unpublished)
                    .filter(|e| e.modified < settled && e.storable())
                    .collect();
                write_shard(
                    &Self::shard_file(root, i),
                    &site.config.timezone_name,
                    entries,
                )
            })
    }
}

/// The articles of one shard, by index.
#[derive(Default)]
struct Bucket {
    published: Vec<usize>,
    unpublished: Vec<usize>,
}

impl<'a> Entry<'a> {
    /// The entry of a file (path and stamp) with what was learned of it:
    /// front matter, body hash and first line, warnings, body digest.
    fn new(
        (path, (len, modified)): (&'a Path, Stamp),
        meta: &'a Meta,
        (body_hash, body_line): (u64, usize),
        warnings: &'a [Diagnostic],
        body: Option<StoredBody<'a>>,
    ) -> Option<Self> {
        Some(Entry {
            path: Cow::Borrowed(path),
            len,
            modified,
            meta: Some(StoredMeta::new(meta)?),
            body_hash,
            body_line,
            warnings: warnings
                .iter()
                .map(|d| (d.line, d.col, Cow::Borrowed(d.message.as_str())))
                .collect(),
            body,
        })
    }

    /// Whether its paths are UTF-8: postcard would refuse the whole shard.
    fn storable(&self) -> bool {
        self.path.to_str().is_some()
            && self.body.as_ref().is_none_or(|b| {
                b.digest.assets.iter().all(|(p, _)| p.to_str().is_some())
                    && b.digest.asked.iter().all(Question::storable)
            })
    }
}

/// Which shard a source path belongs to: the same in every run.
fn shard_of(path: &Path) -> usize {
    let hash = Fingerprint::default()
        .add_bytes(path.as_os_str().as_encoded_bytes())
        .finish()
        .unwrap_or_default();
    (hash % SHARDS as u64) as usize
}

/// Writes a shard through a temporary file and a rename; an empty shard
/// is removed.
fn write_shard(file: &Path, timezone: &str, entries: Vec<Entry<'_>>) -> io::Result<()> {
    if entries.is_empty() {
        return match fs::remove_file(file) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    }
    let stored = Stored {
        header: Cow::Owned(manifest::header(FORMAT)),
        timezone: Cow::Borrowed(timezone),
        entries,
    };
    let bytes = postcard::to_allocvec(&stored).map_err(io::Error::other)?;
    let temp = file.with_extension(format!("{}.tmp", std::process::id()));
    fs::write(&temp, bytes)?;
    fs::rename(&temp, file).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(text: &str) -> Meta {
        let dir = tempfile::tempdir().unwrap();
        let config = crate::config::Config::from_raw(
            dir.path(),
            crate::config::RawConfig::default(),
            &crate::config::Overrides::default(),
            "",
            &mut crate::diagnostics::Diagnostics::default(),
        )
        .unwrap();
        let (source, problems) =
            crate::content::parse_text(Path::new("content/a.md"), text, &config);
        assert!(problems.is_empty(), "{problems:?}");
        source.unwrap().meta
    }

    #[test]
    fn front_matter_survives_the_cache() {
        let meta = meta_of(
            "---\ntitle: \"A\"\ndate: 2022-01-27T10:00:00+04:00\n\
             updated: 2023-03-20T15:18:00+04:00\nauthors: [Jane Doe, Li Wei]\n\
             section: World\ntags: [NATO]\nimage:\n  src: a.png\n  alt: \"x\"\n  \
             caption: \"c\"\n  credit: \"d\"\nsummary: \"s\"\naliases: [\"/old/1.html\"]\n\
             extra:\n  corrections: \"An earlier version.\"\n  n: [1, 2.5, true]\n---\nBody.\n",
        );
        let stored = StoredMeta::new(&meta).expect("storable");
        let bytes = postcard::to_allocvec(&stored).unwrap();
        let back: StoredMeta<'static> = postcard::from_bytes(&bytes).unwrap();
        let tz = meta.date.time_zone().clone();
        let again = back.into_meta(&tz).unwrap();
        assert_eq!(format!("{again:?}"), format!("{meta:?}"));
    }
}
