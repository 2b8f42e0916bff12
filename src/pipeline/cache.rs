//! How the pipeline answers what the stages may reuse: content's
//! [`Recall`] and site's [`RecallBodies`], from the article store the last
//! build left (`build`, `check`) or from memory (`serve`), and how the
//! article store is saved from the plain records site hands out. The
//! stages import none of this; the stores in `reuse` know nothing of
//! articles. What is kept of a file:
//!
//! - its front matter, while the file has the size and modification time
//!   it had when read (with its warnings, so that every build gives them);
//! - its body's digest (summary, word count, local files, HTML
//!   fingerprint), while the Markdown, where it starts, its page link and
//!   `raw_html` are the same and every question its rendering asked about
//!   other files (a linked article's URL, whether an image exists, its
//!   size) still gets the same answer.

use std::borrow::Cow;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::content::asked::{self, Question};
use crate::content::frontmatter::{Image, ImageSrc, Meta, SharedMeta};
use crate::content::markdown::Links;
use crate::content::terms::{Terms, Vocabulary};
use crate::content::yaml::{self, Value};
use crate::content::{Loaded, Recall, Source};
use crate::diagnostics::Diagnostic;
use crate::paths::PathSet;
use crate::render::memo::Memo;
use crate::reuse::Stamp;
use crate::reuse::articles::{ArticleStore, Encoded, File};
use crate::reuse::manifest::{Current, Manifest};
use crate::reuse::memory::Memory;
use crate::site::{Body, BodyOf, FileRecord, Learned, RecallBodies, Site};

/// Paths borrowed from this build, to tell which kept values still count.
type Paths<'a> = std::collections::HashSet<&'a std::ffi::OsStr, foldhash::fast::RandomState>;

/// What `serve` keeps from one build to the next: loaded files, rendered
/// bodies and the last site with its articles' fingerprints, each reused
/// only while its inputs are unchanged.
#[derive(Default)]
pub struct Cache {
    sources: Memory<Stamp, Loaded>,
    bodies: Memory<u64, Body>,
    rendered: Mutex<Option<Arc<Memo>>>,
    /// What describes the output after the last update, with the file of
    /// the manifest it stands for: read instead of that file.
    manifest: Mutex<Option<(PathBuf, Current)>>,
    watched: Mutex<Watched>,
    /// What the running build was told changed since the one before (read
    /// for every file it loads).
    changed: RwLock<Option<Arc<PathSet>>>,
}

/// What `serve`'s file watcher told of the site's files between builds,
/// so that a build need not list the content folder nor look at each file.
#[derive(Default)]
struct Watched {
    /// Whether the watcher runs: from then on every change is told.
    watching: bool,
    /// Changed since the running build began, relative to the site root;
    /// `None`: not known (before the watcher, after a lost event or a
    /// failed build).
    told: Option<PathSet>,
    /// The content files the last listing found, when it found no problem.
    files: Option<(Vec<PathBuf>, PathSet)>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("sources", &self.sources)
            .field("bodies", &self.bodies)
            .finish_non_exhaustive()
    }
}

impl Cache {
    /// From now on, every change to the site's files is told with
    /// [`Cache::changed`]; the next build still looks at every file.
    pub fn watching(&self) {
        let mut w = self.watched();
        w.watching = true;
        w.told = None;
    }

    /// The files (relative to the site root) that changed; `None` if not
    /// known, and the next build looks at every file.
    pub fn changed(&self, files: Option<Vec<PathBuf>>) {
        let mut w = self.watched();
        match (files, &mut w.told) {
            (Some(files), Some(told)) => {
                told.extend(files.into_iter().map(PathBuf::into_os_string))
            }
            _ => w.told = None,
        }
    }

    fn watched(&self) -> std::sync::MutexGuard<'_, Watched> {
        self.watched.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A build begins: it takes what was told so far.
    pub(super) fn begin(&self) {
        let mut w = self.watched();
        let told = w.told.take();
        w.told = w.watching.then(PathSet::default);
        *self.changed.write().unwrap_or_else(|e| e.into_inner()) = told.map(Arc::new);
    }

    /// The build failed, maybe before it took in what changed: the next
    /// one looks at every file (and lists the content folder again).
    pub(super) fn failed(&self) {
        self.watched().told = None;
    }

    /// The content files of the last listing, if nothing told since can
    /// have added or removed one: every change is outside `content/`, in
    /// a hidden file, to a file that is not an article, or to one listed
    /// that is still a file.
    pub(super) fn content_files(&self, config: &Config) -> Option<Vec<PathBuf>> {
        let changed = self.changed.read().ok()?.clone()?;
        let w = self.watched();
        let (files, listed) = w.files.as_ref()?;
        let content = Path::new(crate::config::CONTENT_DIR);
        let keeps_list = |p: &std::ffi::OsStr| {
            let p = Path::new(p);
            let is_file = || config.root.join(p).metadata().is_ok_and(|m| m.is_file());
            !p.starts_with(content)
                || p.components()
                    .any(|c| c.as_os_str().as_encoded_bytes().starts_with(b"."))
                || (listed.contains(p.as_os_str()) && is_file())
                || (!crate::content::is_article_file(p) && is_file())
        };
        changed.iter().all(|p| keeps_list(p)).then(|| files.clone())
    }

    /// The content folder was listed: `files`, `clean` if without a problem.
    pub(super) fn listed(&self, files: &[PathBuf], clean: bool) {
        let listed = || {
            let set = files.iter().map(|f| f.as_os_str().to_os_string()).collect();
            (files.to_vec(), set)
        };
        self.watched().files = clean.then(listed);
    }

    /// The last successful build's site and fingerprints.
    pub(super) fn rendered(&self) -> Option<Arc<Memo>> {
        self.rendered.lock().ok()?.clone()
    }

    /// Keeps `memo` for the next build; returns the one it replaces (for
    /// the caller to free where it costs nothing).
    pub(super) fn keep_rendered(&self, memo: Memo) -> Option<Arc<Memo>> {
        let mut kept = self.rendered.lock().unwrap_or_else(|e| e.into_inner());
        kept.replace(Arc::new(memo))
    }

    /// Keeps what describes the output of the manifest `file` after a
    /// build updated it.
    pub(super) fn keep_manifest(&self, file: &Path, current: Current) {
        *self.manifest.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((file.to_path_buf(), current));
    }

    /// The manifest kept for `file`, taken: a build that fails after this
    /// puts none back, and the next reads the file.
    pub(super) fn take_manifest(&self, file: &Path) -> Option<Manifest> {
        let mut kept = self.manifest.lock().unwrap_or_else(|e| e.into_inner());
        match kept.take() {
            Some((kept_for, current)) if kept_for == file => Some(current.into_manifest()),
            _ => None,
        }
    }

    /// Starts a build of `files`: forgets the others, and everything if
    /// what reading a file depends on (time zone, slugs) changed.
    pub(super) fn start(&self, config: &Config, files: &[PathBuf]) {
        self.sources.start(&config.reading(), files.len(), || {
            let keep: Paths<'_> = files.iter().map(|f| f.as_os_str()).collect();
            move |p: &Path| keep.contains(p.as_os_str())
        });
    }

    /// Forgets the bodies of files that are not published articles.
    pub(super) fn keep_bodies_of(&self, site: &Site) {
        self.bodies.start("", site.articles.len(), || {
            let keep: Paths<'_> = site.articles.iter().map(|a| a.source.as_os_str()).collect();
            move |p: &Path| keep.contains(p.as_os_str())
        });
    }
}

impl Recall for Cache {
    fn recall(&self, path: &Path, stamp: Stamp) -> Option<Loaded> {
        self.sources.get(path, |&kept, _| kept == stamp)
    }

    fn unchanged(&self, path: &Path) -> Option<Loaded> {
        let changed = self.changed.read().ok()?.clone()?;
        if changed.contains(path.as_os_str()) {
            return None;
        }
        self.sources.get(path, |_, _| true)
    }

    fn remember(&self, path: &Path, stamp: Stamp, loaded: &Loaded) {
        self.sources.put(path, stamp, loaded.clone());
    }

    fn keep_bodies(&self) -> bool {
        true
    }
}

impl RecallBodies for Cache {
    fn recall(
        &self,
        source: BodyOf<'_>,
        key: u64,
        _summary: bool,
        links: &dyn Links,
    ) -> Option<Body> {
        self.bodies.get(source.path, |&kept, body| {
            kept == key && asked::same_answers(&body.asked, links)
        })
    }

    fn remember(&self, source: &Path, body: &Body) {
        self.bodies.put(source, body.key, body.clone());
    }
}

/// The article store of the last build, read in the site's time zone,
/// and the vocabulary its articles' words are numbered in.
pub(super) struct Stored {
    store: ArticleStore,
    tz: TimeZone,
    /// The kept vocabulary's generation: terms of another are not used.
    generation: Option<u64>,
    vocabulary: Mutex<Option<Vocabulary>>,
}

impl Stored {
    /// The store of the site at `config.root`, with the vocabulary if
    /// `words` are counted; with `fresh`, an empty one (a clean build
    /// trusts nothing, but saves a new store).
    pub(super) fn load(config: &Config, fresh: bool, words: bool) -> Stored {
        let store = match fresh {
            true => ArticleStore::default(),
            false => ArticleStore::load(&config.root, &config.reading()),
        };
        let vocabulary = (words && !fresh)
            .then(|| load_vocabulary(&config.root))
            .flatten();
        Stored {
            store,
            tz: config.timezone.clone(),
            generation: vocabulary.as_ref().map(Vocabulary::generation),
            vocabulary: Mutex::new(vocabulary),
        }
    }

    /// The vocabulary kept by the last build, else a new one.
    pub(super) fn take_vocabulary(&self) -> Vocabulary {
        self.vocabulary
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
            .unwrap_or_default()
    }

    /// Everything is taken that will be (the articles are assembled):
    /// frees the store as read, keeping what saving it asks.
    pub(super) fn release(&mut self) {
        self.store.release();
    }

    /// How many articles were built from the store, body included.
    pub(super) fn reused(&self) -> usize {
        self.store.reused()
    }

    /// Saves what this build learned: every record site hands out, but
    /// for files modified after `settled`.
    pub(super) fn save(
        &self,
        site: &Site,
        learned: &Learned,
        settled: SystemTime,
    ) -> Result<(), Diagnostic> {
        let generation = site.vocabulary.as_ref().map(Vocabulary::generation);
        if let Some(vocabulary) = &site.vocabulary {
            // Before the terms numbered in it: the store left by the last
            // build stays valid with a vocabulary that only grew.
            let root = &site.config.root;
            save_vocabulary(root, vocabulary).map_err(|e| {
                Diagnostic::warning(
                    vocabulary_file(root),
                    format!("cannot save the search vocabulary, nor so the article cache: {e}"),
                )
            })?;
        }
        let records = learned.records(site);
        let files: Vec<File<'_>> = records
            .iter()
            .map(|r| File {
                path: r.path,
                stamp: r.stamp,
                has_body: r.body.is_some(),
            })
            .collect();
        let config = &site.config;
        let parts = |i: usize| stored_parts(site, &records[i], generation);
        self.store
            .save(&config.root, &config.reading(), &files, settled, parts)
            .map_err(|e: io::Error| {
                Diagnostic::warning(
                    ArticleStore::location(&config.root),
                    format!(
                        "cannot save the article cache (the next build will read every article): {e}"
                    ),
                )
            })
    }
}

impl Recall for Stored {
    fn recall(&self, path: &Path, stamp: Stamp) -> Option<Loaded> {
        self.store.take_source(path, stamp, |bytes, at| {
            let source: StoredSource<'_> = postcard::from_bytes(bytes).ok()?;
            source.open(path, stamp, at, &self.tz)
        })
    }
}

impl RecallBodies for Stored {
    fn recall(
        &self,
        source: BodyOf<'_>,
        key: u64,
        summary: bool,
        links: &dyn Links,
    ) -> Option<Body> {
        self.store.take_body(source.path, source.at, |bytes| {
            let b: StoredBody<'_> = postcard::from_bytes(bytes).ok()?;
            let accepted = b.key == key
                && (!summary || b.first_paragraph.is_some())
                && asked::same_answers(&b.asked, links);
            accepted.then(|| Body {
                key,
                asked: b.asked.into_owned(),
                html: None,
                html_hash: b.html_hash,
                first_paragraph: b.first_paragraph.map(Cow::into_owned),
                word_count: b.word_count,
                assets: b.assets.into_owned(),
                template_code: b.template_code.into_owned(),
                // Read only where they are in this build's vocabulary.
                terms: b
                    .terms
                    .filter(|(generation, _)| Some(*generation) == self.generation)
                    .and_then(|(_, bytes)| Terms::from_bytes(&bytes.0)),
            })
        })
    }
}

/// Where the vocabulary of the articles' kept words is saved.
fn vocabulary_file(root: &Path) -> PathBuf {
    root.join(crate::reuse::CACHE_DIR).join("search-words")
}

const VOCABULARY_FORMAT: &str = concat!("gazette-search-words 1 ", env!("CARGO_PKG_VERSION"));

/// The vocabulary as kept: (format, generation, words with their numbers).
type KeptVocabulary<'a> = (Cow<'a, str>, u64, Vec<(Cow<'a, str>, u32)>);

fn load_vocabulary(root: &Path) -> Option<Vocabulary> {
    let bytes = std::fs::read(vocabulary_file(root)).ok()?;
    let (format, generation, words): KeptVocabulary<'_> = postcard::from_bytes(&bytes).ok()?;
    (format == VOCABULARY_FORMAT).then(|| {
        Vocabulary::of(
            generation,
            words.into_iter().map(|(w, n)| (Box::from(w), n)).collect(),
        )
    })
}

/// Saves through a temporary file and a rename.
fn save_vocabulary(root: &Path, vocabulary: &Vocabulary) -> io::Result<()> {
    let words = vocabulary.words();
    let kept: KeptVocabulary<'_> = (
        Cow::Borrowed(VOCABULARY_FORMAT),
        vocabulary.generation(),
        words
            .iter()
            .map(|(w, n)| (Cow::Borrowed(&**w), *n))
            .collect(),
    );
    let bytes = postcard::to_allocvec(&kept).map_err(io::Error::other)?;
    let file = vocabulary_file(root);
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temp = file.with_extension(format!("{}.tmp", std::process::id()));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, &file).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// What loading learned of a file, as kept.
#[derive(Debug, Serialize, Deserialize)]
struct StoredSource<'a> {
    meta: StoredMeta<'a>,
    /// The front matter's fingerprint ([`SharedMeta::fingerprint`]).
    meta_fingerprint: u64,
    body_hash: u64,
    body_line: usize,
    /// The front matter's warnings: (line, column, message).
    warnings: Vec<(Option<usize>, Option<usize>, Cow<'a, str>)>,
}

impl StoredSource<'_> {
    /// The file as loaded, and its warnings again.
    fn open(self, path: &Path, stamp: Stamp, at: usize, tz: &TimeZone) -> Option<Loaded> {
        let warnings: Vec<Diagnostic> = self
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
            meta: SharedMeta::kept(self.meta.into_meta(tz)?, self.meta_fingerprint),
            body: None,
            body_hash: self.body_hash,
            body_line: self.body_line,
            stamp: Some(stamp),
            warnings: warnings.clone(),
            kept_at: Some(at),
        };
        Some((Some(source), warnings))
    }
}

/// What rendering a body learned, as kept.
#[derive(Debug, Serialize, Deserialize)]
struct StoredBody<'a> {
    key: u64,
    asked: Cow<'a, [Question]>,
    assets: Cow<'a, [(PathBuf, String)]>,
    template_code: Cow<'a, [(usize, usize, String)]>,
    html_hash: u64,
    word_count: usize,
    /// The first paragraph as plain text, kept when it is the summary.
    first_paragraph: Option<Cow<'a, str>>,
    /// The words of the body and headline, for the search index, and the
    /// generation of the vocabulary they are numbered in.
    #[serde(borrow)]
    terms: Option<(u64, Encoded<'a>)>,
}

/// What to keep of a record: `None` if its front matter cannot be kept
/// exactly, or a path in it is not UTF-8.
fn stored_parts<'a>(
    site: &'a Site,
    r: &FileRecord<'a>,
    generation: Option<u64>,
) -> Option<(StoredSource<'a>, Option<StoredBody<'a>>)> {
    let source = StoredSource {
        meta: StoredMeta::new(r.meta)?,
        meta_fingerprint: r.meta.fingerprint(),
        body_hash: r.body_hash,
        body_line: r.body_line,
        warnings: r
            .warnings
            .iter()
            .map(|d| (d.line, d.col, Cow::Borrowed(d.message.as_str())))
            .collect(),
    };
    let body = match r.body {
        None => None,
        Some(b) => {
            let storable = b.assets.iter().all(|(p, _)| p.to_str().is_some())
                && b.asked.iter().all(Question::storable);
            if !storable {
                return None;
            }
            Some(StoredBody {
                key: b.key,
                asked: Cow::Borrowed(b.asked),
                assets: Cow::Borrowed(b.assets),
                template_code: Cow::Borrowed(b.template_code),
                html_hash: b.html_hash,
                word_count: b.word_count,
                first_paragraph: b.first_paragraph.map(Cow::Borrowed),
                // Terms that cannot be read back are counted again next time.
                terms: generation
                    .zip(b.terms)
                    .and_then(|(g, held)| Some((g, stored_terms(site.read_terms(held).ok()?)))),
            })
        }
    };
    Some((source, body))
}

fn stored_terms(terms: Cow<'_, Terms>) -> Encoded<'_> {
    Encoded(match terms {
        Cow::Borrowed(t) => Cow::Borrowed(t.bytes()),
        Cow::Owned(t) => Cow::Owned(t.bytes().to_vec()),
    })
}

/// [`Meta`] with instants for dates (read back in the site's time zone)
/// and `extra` as YAML text.
#[derive(Debug, Serialize, Deserialize)]
struct StoredMeta<'a> {
    title: Cow<'a, str>,
    date: i128,
    updated: Option<i128>,
    expires: Option<i128>,
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
    focus: Option<crate::images::Focus>,
    line: usize,
}

impl<'a> StoredMeta<'a> {
    /// `None` when `extra` does not survive a round trip through YAML text.
    fn new(m: &'a Meta) -> Option<Self> {
        let extra = match m.extra.as_deref() {
            None => None,
            Some(value) => {
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
            expires: m.expires.as_ref().map(|u| u.timestamp().as_nanosecond()),
            authors: Cow::Borrowed(&m.authors),
            section: m.section.as_deref().map(Cow::Borrowed),
            tags: Cow::Borrowed(&m.tags),
            image: m.image.as_ref().map(|i| StoredImage {
                kind,
                src: Cow::Borrowed(src),
                alt: i.alt.as_deref().map(Cow::Borrowed),
                caption: i.caption.as_deref().map(Cow::Borrowed),
                credit: i.credit.as_deref().map(Cow::Borrowed),
                focus: i.focus,
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
            None => None,
            Some(text) => Some(Box::new(yaml::from_str::<Value>(text).ok()?)),
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
                focus: i.focus,
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
            expires: match self.expires {
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
        (*source.unwrap().meta).clone()
    }

    #[test]
    fn front_matter_survives_the_cache() {
        let meta = meta_of(
            "---\ntitle: \"A\"\ndate: 2022-01-27T10:00:00+04:00\n\
             updated: 2023-03-20T15:18:00+04:00\nexpires: 2030-01-01\nauthors: [Jane Doe, Li Wei]\n\
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
        // What a kept fingerprint stands for: the front matter read back.
        assert_eq!(
            crate::fingerprint::of(&again),
            SharedMeta::new(meta).fingerprint()
        );
    }

    struct Target(&'static str);

    impl Links for Target {
        fn article(&self, _source: &Path) -> Result<String, String> {
            Ok(self.0.to_string())
        }

        fn file_exists(&self, _path: &Path) -> bool {
            true
        }
    }

    #[test]
    fn a_kept_body_is_not_reused_when_a_linked_url_changes() {
        let cache = Cache::default();
        let source = Path::new("content/a.md");
        let body = Body {
            key: 7,
            asked: vec![Question::Article(
                PathBuf::from("content/b.md"),
                Ok("/talks/".into()),
            )],
            ..Body::default()
        };
        RecallBodies::remember(&cache, source, &body);
        let source = BodyOf {
            path: source,
            at: None,
        };
        let recall =
            |key, links: &dyn Links| RecallBodies::recall(&cache, source, key, true, links);
        assert!(recall(7, &Target("/talks/")).is_some());
        assert!(recall(8, &Target("/talks/")).is_none(), "other inputs");
        assert!(recall(7, &Target("/moved/")).is_none(), "the link moved");
    }
}
