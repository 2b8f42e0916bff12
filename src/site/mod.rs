//! Stage 2, assemble: from loaded sources to the immutable [`Site`]: which
//! articles are published, their URLs, rendered bodies, and taxonomies.
//!
//! Takes sources, config and theme (for static files); returns a `Site`
//! that later stages only read, and, apart, what was [`Learned`] of each
//! file that only the next build can use. Knows nothing of Tera, nor of
//! any cache: what it may reuse of bodies rendered earlier it asks through
//! [`RecallBodies`], which the pipeline answers.

mod articles;
pub mod indices;
mod learned;
mod pictures;
pub mod profiles;
pub mod related;
pub mod taxonomy;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::Config;
use crate::content::Source;
use crate::content::asked::Question;
use crate::content::frontmatter::{Meta, SharedMeta};
use crate::content::markdown::{self, Links};
use crate::content::slug::Slugs;
use crate::content::terms::{self, Held, Terms, Vocabulary};
use crate::diagnostics::{Diagnostic, Diagnostics, Failed};
use crate::paths::PathMap;
use crate::shared::Shared;
use crate::spill::{Spill, Spilled};
use crate::theme::Theme;
use indices::{DateIndex, Kind};
pub use learned::{FileRecord, Learned};
use profiles::Profile;
use taxonomy::Taxonomy;

/// Which articles a build publishes, and as of when.
#[derive(Debug, Clone)]
pub struct Publishing {
    pub drafts: bool,
    pub future: bool,
    /// `SOURCE_DATE_EPOCH`, else the clock.
    pub build_time: Timestamp,
}

/// What assembling reads besides the config and the sources.
pub struct Inputs<'a> {
    pub theme: &'a Theme,
    pub publishing: &'a Publishing,
    /// Bodies rendered by earlier builds.
    pub bodies: &'a dyn RecallBodies,
    /// Keep every article's HTML in memory (for search records, full
    /// feeds, `serve`); else each is rendered again when its page is.
    pub keep_bodies: bool,
    /// The last build's site (`serve`'s), whose lists made of the
    /// articles are kept where their inputs did not change.
    pub earlier: Option<&'a Site>,
    /// The related lists `build` kept of the last build, used where their
    /// inputs did not change.
    pub related: Option<&'a related::Kept>,
    /// Where to make the build's [`Spill`], to write the articles'
    /// counted words and (unless `keep_bodies`) their bodies' HTML rather
    /// than keep them in memory (at a million articles the words are most
    /// of a gigabyte, the HTML several); without it the words are kept
    /// (`serve` compares and reuses them) and the HTML is rendered again.
    pub spill_dir: Option<PathBuf>,
}

/// The source file whose body is asked for: its path, and where the
/// recall of its source found it ([`Source::kept_at`]).
#[derive(Debug, Clone, Copy)]
pub struct BodyOf<'a> {
    pub path: &'a Path,
    pub at: Option<usize>,
}

/// What assembling may reuse of bodies rendered by earlier builds. Site
/// asks; the pipeline answers from its stores.
pub trait RecallBodies: Sync {
    /// The body of `source` as an earlier build rendered it from the same
    /// inputs (`key`), if every question it asked gets the same answer
    /// from `links`, and it has the first paragraph if `summary` needs it.
    fn recall(
        &self,
        source: BodyOf<'_>,
        key: u64,
        summary: bool,
        links: &dyn Links,
    ) -> Option<Body>;

    /// Told of each body rendered afresh without problems.
    fn remember(&self, _source: &Path, _body: &Body) {}
}

/// Reuses nothing.
impl RecallBodies for () {
    fn recall(&self, _: BodyOf<'_>, _: u64, _: bool, _: &dyn Links) -> Option<Body> {
        None
    }
}

/// What rendering a body gives its article, and what it depended on.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Fingerprint of the body's own inputs: Markdown, first line, page
    /// link, `raw_html`.
    pub key: u64,
    /// The questions it asked about other files, with their answers.
    pub asked: Vec<Question>,
    /// The HTML, when kept.
    pub html: Option<Shared<str>>,
    pub html_hash: u64,
    /// Plain text of the first paragraph, when kept.
    pub first_paragraph: Option<String>,
    pub word_count: usize,
    /// Local files the body uses (relative to the root), with their names.
    pub assets: Vec<(PathBuf, String)>,
    /// Template code of other generators left in it: (line, column,
    /// message), given as warnings by every build.
    pub template_code: Vec<(usize, usize, String)>,
    /// Its words with the headline's, as an earlier build counted them
    /// (in the vocabulary the site is given); counted anew when `None`.
    pub terms: Option<Terms>,
}

/// A published article with everything pages need.
#[derive(Debug, PartialEq)]
pub struct Article {
    /// Source file relative to the site root.
    pub source: PathBuf,
    pub meta: SharedMeta,
    /// Site path of the page (`/2022/01/27/slug/`).
    pub path: String,
    /// The body's HTML, as held (see [`Site::body`]).
    pub html: Html,
    /// Fingerprint of the body's HTML: pages fingerprint this, not the HTML.
    pub html_hash: u64,
    /// Fingerprint of the Markdown body, and where it starts in the file,
    /// to read and render it again when a page needs it.
    pub body_hash: u64,
    pub body_line: usize,
    /// The first paragraph as plain text when the front matter has no
    /// summary (else empty: [`Article::summary`] gives the front matter's,
    /// which is not copied).
    pub first_paragraph: Box<str>,
    pub word_count: usize,
    /// Where the lead image is served from.
    pub image_url: Option<ImageUrl>,
    /// Width and height of the lead image in pixels, when it is a local
    /// file whose header could be read.
    pub image_size: Option<(u32, u32)>,
    /// The lead image's renditions: `srcset` widths, then crops.
    pub image_renditions: Vec<crate::images::Rendition>,
    /// The site path of the folder they go in: the page's for a local
    /// image, the static file's own folder for a static one.
    pub image_folder: String,
    /// The lead image's file when it is local (relative to the root) or
    /// a static file on disk.
    pub image_file: Option<PathBuf>,
    /// What the lead image's header says, when it could be read.
    pub image_probe: Option<crate::images::Probe>,
    /// Local files copied next to the page: (source relative to root, file name).
    pub assets: Vec<(PathBuf, String)>,
    pub tags: Vec<usize>,
    pub section: Option<usize>,
    pub authors: Vec<usize>,
    /// Up to five related articles, most related first.
    pub related: Vec<usize>,
    /// Its words, for the search index, when counted (numbered by
    /// [`Site::vocabulary`]; read through [`Site::read_terms`]).
    pub terms: Option<Held>,
}

/// An article's body HTML as the site holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Html {
    /// Not held: read and rendered again when a page needs it.
    Again,
    Here(Shared<str>),
    /// Written to the build's [`Spill`] when it was rendered.
    Filed(Spilled),
}

impl Article {
    /// Front matter summary, else the first paragraph as plain text.
    pub fn summary(&self) -> &str {
        self.meta
            .summary
            .as_deref()
            .unwrap_or(&self.first_paragraph)
    }
}

/// A lead image's address: a site path (made into links by views) or a
/// remote URL used as is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ImageUrl {
    Site(String),
    Remote(String),
}

/// A site-wide image of `[social]`: its absolute URL, and its size when
/// it is a file of `static/`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SiteImage {
    pub absolute: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl SiteImage {
    /// `value` as `[social]` holds it (`key` names it in errors): a static
    /// file must exist.
    fn of(
        config: &Config,
        theme: &crate::theme::Theme,
        key: &str,
        value: Option<&String>,
        diags: &mut Diagnostics,
    ) -> Option<SiteImage> {
        let value = value?;
        if !value.starts_with('/') {
            return Some(SiteImage {
                absolute: value.clone(),
                width: None,
                height: None,
            });
        }
        if !theme.has_static(value) {
            diags.push(Diagnostic::error(
                crate::config::CONFIG_FILE,
                format!("social.{key}: `{value}` not found in static/"),
            ));
            return None;
        }
        let size = theme.static_image_size(value);
        Some(SiteImage {
            absolute: config.base_url.absolute(value),
            width: size.map(|s| s.0),
            height: size.map(|s| s.1),
        })
    }
}

/// The whole site, built once, read by every later stage.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub build_time: Timestamp,
    /// Newest first; equal dates ordered by URL.
    pub articles: Vec<Article>,
    /// Shared with the last build's site when made from the same names
    /// (`serve`).
    pub tags: Arc<Taxonomy>,
    pub sections: Arc<Taxonomy>,
    pub authors: Arc<Taxonomy>,
    /// Author profiles by author term id.
    pub profiles: Vec<Option<Profile>>,
    /// Every article id, newest first (the home list).
    pub all: Vec<usize>,
    pub dates: DateIndex,
    /// The words of every article's [`Terms`], when counted.
    pub vocabulary: Option<Vocabulary>,
    /// The site-wide share image and publisher logo of `[social]`.
    pub share_image: Option<SiteImage>,
    pub logo: Option<SiteImage>,
    /// Article URLs by source file, to render bodies again.
    links: LinkTable,
    /// Where a build wrote its articles' words and bodies, when it did
    /// not keep them.
    spill: Option<Spill>,
}

/// Most articles in the news sitemap (Google's limit).
pub const NEWS_LIMIT: usize = 1_000;

impl Site {
    /// The words an article holds: read back from the build's spill file
    /// where they were written there.
    pub fn read_terms<'a>(&'a self, held: &'a Held) -> std::io::Result<Cow<'a, Terms>> {
        match (held, &self.spill) {
            (Held::Here(terms), _) => Ok(Cow::Borrowed(terms)),
            (Held::Filed(at, _), Some(spill)) => terms::read_filed(spill, *at).map(Cow::Owned),
            (Held::Filed(..), None) => Err(std::io::Error::other("no spill file")),
        }
    }

    /// Articles for the news sitemap: published in the 48 hours up to the
    /// build time, newest first, at most [`NEWS_LIMIT`]. With none, the
    /// site has no news sitemap (an empty one is not a valid sitemap).
    pub fn news_articles(&self) -> Vec<usize> {
        let since = self.build_time - jiff::SignedDuration::from_hours(48);
        // Newest first: skip any in the future, stop at the window's start.
        self.articles
            .iter()
            .enumerate()
            .skip_while(|(_, a)| a.meta.date.timestamp() > self.build_time)
            .take_while(|(_, a)| a.meta.date.timestamp() >= since)
            .map(|(id, _)| id)
            .take(NEWS_LIMIT)
            .collect()
    }

    /// Root-relative link to a site path (with the base URL's path).
    pub fn link(&self, site_path: &str) -> String {
        self.config.base_url.link(site_path)
    }

    /// The HTML of an article's body: kept, read back from the spill
    /// file, or read and rendered again.
    pub fn body(&self, id: usize) -> Result<Cow<'_, str>, Diagnostic> {
        let a = &self.articles[id];
        match (&a.html, &self.spill) {
            (Html::Here(html), _) => Ok(Cow::Borrowed(html)),
            (Html::Filed(at), Some(spill)) => {
                read_spilled(spill, *at).map(Cow::Owned).map_err(|e| {
                    Diagnostic::error(
                        &a.source,
                        format!("cannot read its rendered body back from the cache folder: {e}"),
                    )
                })
            }
            (Html::Again | Html::Filed(_), _) => {
                render_again(&self.config, &self.links, a).map(Cow::Owned)
            }
        }
    }

    /// Everything but the articles themselves that a page of articles
    /// reads: the config, taxonomies, date lists, profiles and number of
    /// articles. Each field of `Site` is named here, so that one added must
    /// be placed.
    fn shape(&self) -> Shape<'_> {
        let Site {
            config,
            // Read only by the news sitemap.
            build_time: _,
            // Compared one by one by whoever asks.
            articles,
            tags,
            sections,
            authors,
            profiles,
            // `0..articles.len()`.
            all: _,
            dates,
            // Read only by the search index.
            vocabulary: _,
            share_image,
            logo,
            // Read only to render bodies, whose hashes pages take.
            links: _,
            // Read only by the search index and the article cache.
            spill: _,
        } = self;
        Shape {
            articles: articles.len(),
            config,
            taxonomies: [tags, sections, authors],
            profiles,
            dates,
            images: [share_image, logo],
        }
    }

    /// Whether `other` has this site's shape ([`Site::shape`]).
    pub fn same_shape(&self, other: &Site) -> bool {
        let (a, b) = (self.shape(), other.shape());
        a.articles == b.articles
            && a.config == b.config
            && (a.taxonomies.iter().zip(b.taxonomies)).all(|(a, b)| same_terms(a, b))
            && a.profiles == b.profiles
            && a.dates == b.dates
            && a.images == b.images
    }

    /// A hash of the site's shape ([`Site::shape`]), for a build that keeps
    /// it on disk: the config by its `Debug` form (which derives from every
    /// field); `None` if a part could not be taken.
    pub fn shape_digest(&self) -> Option<u64> {
        let shape = self.shape();
        let mut f = crate::fingerprint::Fingerprint::new(0x0073_6861_7065);
        f.add(shape.articles).add(format!("{:?}", shape.config));
        for taxonomy in shape.taxonomies {
            f.add(&taxonomy.terms);
        }
        f.add_serialized(shape.profiles)
            .add(shape.dates)
            .add_serialized(&shape.images);
        f.finish()
    }

    pub fn taxonomy(&self, kind: Kind) -> &Taxonomy {
        match kind {
            Kind::Tag => &self.tags,
            Kind::Section => &self.sections,
            Kind::Author => &self.authors,
        }
    }
}

/// What [`Site::shape`] gives.
struct Shape<'a> {
    articles: usize,
    config: &'a Config,
    taxonomies: [&'a Arc<Taxonomy>; 3],
    profiles: &'a [Option<Profile>],
    dates: &'a DateIndex,
    images: [&'a Option<SiteImage>; 2],
}

/// The HTML [`Spill::put`] took at `at`.
fn read_spilled(spill: &Spill, at: Spilled) -> std::io::Result<String> {
    String::from_utf8(spill.get(at)?).map_err(std::io::Error::other)
}

/// The HTML of an article's body, read and rendered again.
fn render_again(config: &Config, links: &LinkTable, a: &Article) -> Result<String, Diagnostic> {
    let body = crate::content::read_body(&config.root, &a.source, a.body_hash)?;
    let page_link = config.base_url.link(&a.path);
    let input = markdown::Input {
        body: &body,
        body_line: a.body_line,
        source: &a.source,
        page_link: &page_link,
        raw_html: config.raw_html,
        // Found when the site was assembled.
        template_code: false,
        slugs: config.slugs,
        images: &config.images,
    };
    Ok(markdown::render(&input, links).html.to_string())
}

/// The article URL of each published source, and why others can't be linked.
#[derive(Debug)]
struct LinkTable {
    root: PathBuf,
    /// The root with its links resolved: files must lie below it.
    real_root: PathBuf,
    targets: PathMap<Result<String, String>>,
    /// Image headers read in this build: a body's rendering, its recall,
    /// the lead image and [`Site::pictures`] all ask of the same files.
    probes: std::sync::Mutex<PathMap<Option<crate::images::Probe>>>,
}

impl LinkTable {
    /// The link of each published source (paths in the same order), and
    /// why each unpublished one cannot be linked.
    fn new(
        config: &Config,
        published: &[Source],
        paths: &[String],
        unpublished: &[Source],
        publishing: &Publishing,
    ) -> Self {
        let links: Vec<Result<String, String>> = paths
            .par_iter()
            .map(|path| Ok(config.base_url.link(path)))
            .collect();
        let mut targets = PathMap::with_capacity_and_hasher(links.len(), Default::default());
        for (s, link) in published.iter().zip(links) {
            targets.insert(s.path.clone().into_os_string(), link);
        }
        for s in unpublished {
            let why = if s.meta.draft {
                "is a draft (built only with --drafts)"
            } else if is_expired(&s.meta, publishing) {
                "has expired (its `expires` date has passed)"
            } else {
                "is dated in the future (built only with --future)"
            };
            targets.insert(
                s.path.clone().into_os_string(),
                Err(format!("{} {why}", s.path.display())),
            );
        }
        LinkTable {
            root: config.root.clone(),
            real_root: crate::walk::real_root(&config.root),
            targets,
            probes: Default::default(),
        }
    }
}

impl Links for LinkTable {
    fn article(&self, source: &Path) -> Result<String, String> {
        self.targets
            .get(source.as_os_str())
            .cloned()
            .unwrap_or_else(|| Err(format!("no article {}", source.display())))
    }

    fn file_exists(&self, path: &Path) -> bool {
        let file = self.root.join(path);
        file.is_file() && crate::walk::leads_out(&self.real_root, &file).is_none()
    }

    fn leads_out(&self, path: &Path) -> Option<PathBuf> {
        crate::walk::leads_out(&self.real_root, &self.root.join(path))
    }

    fn image(&self, path: &Path) -> Option<crate::images::Probe> {
        let lock = || self.probes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = lock().get(path.as_os_str()) {
            return *known;
        }
        let probe = crate::images::probe(&self.root.join(path));
        lock().insert(path.as_os_str().to_os_string(), probe);
        probe
    }
}

/// Assembles the site from its loaded sources.
/// With a `vocabulary`, each article's words are counted in it, for
/// gazette's search index.
pub fn assemble(
    config: Config,
    sources: Vec<Source>,
    inputs: &Inputs<'_>,
    vocabulary: Option<Vocabulary>,
    diags: &mut Diagnostics,
) -> Result<(Site, Learned), Failed> {
    let (published, unpublished): (Vec<Source>, Vec<Source>) = sources
        .into_par_iter()
        .partition(|s| is_published(&s.meta, inputs.publishing));
    let paths = articles::paths(&config, &published, diags);
    let links = LinkTable::new(&config, &published, &paths, &unpublished, inputs.publishing);
    // A site with errors is still assembled, so that planning it reports
    // the collisions of its aliases too: one run shows every problem. The
    // plan refuses it before anything is rendered.
    // Without a file (none asked for, or it cannot be made), the words
    // are kept and the bodies rendered again.
    let spill = inputs
        .spill_dir
        .as_deref()
        .filter(|_| vocabulary.is_some() || !inputs.keep_bodies)
        .and_then(|dir| Spill::create(dir).ok());
    let (mut articles, notes) = articles::build(
        &config,
        inputs,
        &links,
        (vocabulary.as_ref(), spill.as_ref()),
        published,
        paths,
        diags,
    );
    if let Some(spill) = &spill {
        if let Err(e) = spill.flush() {
            diags.push(Diagnostic::error(
                crate::reuse::CACHE_DIR,
                format!("cannot write the articles' words and bodies to the cache folder: {e}"),
            ));
        }
    }
    let (tags, sections, authors) = taxonomies(&mut articles, config.slugs, inputs.earlier);
    let tags_of: Vec<Vec<usize>> = articles.iter().map(|a| a.tags.clone()).collect();
    let related = related::related_or_kept(&tags_of, &tags, inputs.earlier, inputs.related);
    for (a, related) in articles.iter_mut().zip(related) {
        a.related = related;
    }
    let profiles = profiles::load(&config.root, &authors, diags);
    let social = &config.social;
    let share_image = SiteImage::of(&config, inputs.theme, "image", social.image.as_ref(), diags);
    let logo = SiteImage::of(&config, inputs.theme, "logo", social.logo.as_ref(), diags);
    let dates = DateIndex::build(articles.iter().map(|a| {
        let d = a.meta.date.date();
        (d.year(), d.month(), d.day())
    }));
    let site = Site {
        build_time: inputs.publishing.build_time,
        all: (0..articles.len()).collect(),
        config,
        articles,
        tags,
        sections,
        authors,
        profiles,
        dates,
        vocabulary,
        share_image,
        logo,
        links,
        spill,
    };
    Ok((site, Learned::new(notes, unpublished)))
}

/// Whether two taxonomies have the same terms (at once when shared).
fn same_terms(a: &Arc<Taxonomy>, b: &Arc<Taxonomy>) -> bool {
    Arc::ptr_eq(a, b) || a.terms == b.terms
}

fn is_published(meta: &Meta, p: &Publishing) -> bool {
    (!meta.draft || p.drafts)
        && (meta.date.timestamp() <= p.build_time || p.future)
        && !is_expired(meta, p)
}

/// Whether the article's `expires` instant has come.
fn is_expired(meta: &Meta, p: &Publishing) -> bool {
    meta.expires
        .as_ref()
        .is_some_and(|e| e.timestamp() <= p.build_time)
}

type Taxonomies = (Arc<Taxonomy>, Arc<Taxonomy>, Arc<Taxonomy>);

/// Tags, sections and authors of the articles (in their final order),
/// each article given the ids of its terms: those of `earlier` (the last
/// build's site) when every article at the same place has the same names
/// under the same slugs, the only inputs they are made from.
fn taxonomies(articles: &mut [Article], slugs: Slugs, earlier: Option<&Site>) -> Taxonomies {
    let same_names = |e: &&Site| {
        e.config.slugs == slugs
            && e.articles.len() == articles.len()
            && e.articles.iter().zip(articles.iter()).all(|(o, a)| {
                let (o, a) = (&*o.meta, &*a.meta);
                std::ptr::eq(o, a)
                    || o.tags == a.tags && o.section == a.section && o.authors == a.authors
            })
    };
    let Some(e) = earlier.filter(same_names) else {
        return build_taxonomies(articles, slugs);
    };
    for (a, old) in articles.iter_mut().zip(&e.articles) {
        a.tags.clone_from(&old.tags);
        a.section = old.section;
        a.authors.clone_from(&old.authors);
    }
    if cfg!(debug_assertions) {
        let ids = |a: &Article| (a.tags.clone(), a.section, a.authors.clone());
        let kept: Vec<_> = articles.iter().map(ids).collect();
        let made = build_taxonomies(articles, slugs);
        assert!(
            made.0.terms == e.tags.terms
                && made.1.terms == e.sections.terms
                && made.2.terms == e.authors.terms
                && articles.iter().map(ids).eq(kept),
            "the taxonomies kept differ from those made"
        );
    }
    (e.tags.clone(), e.sections.clone(), e.authors.clone())
}

fn build_taxonomies(articles: &mut [Article], slugs: Slugs) -> Taxonomies {
    let n = articles.len();
    let meta = |i: usize| &*articles[i].meta;
    let (tags, (sections, authors)) = rayon::join(
        || {
            Taxonomy::build(Kind::Tag.folder(), slugs, n, |i| {
                meta(i).tags.iter().map(String::as_str)
            })
        },
        || {
            rayon::join(
                || {
                    Taxonomy::build(Kind::Section.folder(), slugs, n, |i| {
                        meta(i).section.as_deref()
                    })
                },
                || {
                    Taxonomy::build(Kind::Author.folder(), slugs, n, |i| {
                        meta(i).authors.iter().map(String::as_str)
                    })
                },
            )
        },
    );
    articles.par_iter_mut().for_each(|a| {
        a.tags = a.meta.tags.iter().filter_map(|t| tags.id_of(t)).collect();
        a.section = a.meta.section.as_deref().and_then(|s| sections.id_of(s));
        a.authors = a
            .meta
            .authors
            .iter()
            .filter_map(|n| authors.id_of(n))
            .collect();
    });
    (Arc::new(tags), Arc::new(sections), Arc::new(authors))
}
