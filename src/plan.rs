//! Stage 3, plan: the list of every file the site consists of, with the
//! job that produces it. Two jobs on one file is an error naming both.
//!
//! Reads the `Site` and `Theme`; returns a [`Plan`]: outputs sorted by file,
//! and which of them the sitemap lists. A sitemap entry is worked out from
//! its page when its chunk is made ([`Plan::sitemap_chunk`]), not kept:
//! a million articles' URLs and dates would be half a gigabyte.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jiff::ZonedDateTime;
use rayon::prelude::*;
use serde::Serialize;

use crate::dates::rfc3339;
use crate::diagnostics::{Diagnostic, Diagnostics, Failed};
use crate::paths;
use crate::site::indices::{Kind, ListId};
use crate::site::{Article, Site};
use crate::theme::{FileSource, Theme};
use crate::url::{self, output_file};

/// The most URLs one sitemap file may hold (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;

/// A page in the sitemap: site path and last modification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SitemapEntry {
    pub path: String,
    pub lastmod: Option<String>,
}

/// A file made by the renderer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Page {
    /// The article with this id.
    Article(usize),
    /// A redirect from an old URL to the article with this id.
    Alias(usize),
    /// Page N (1-based) of a list of articles.
    List(ListId, usize),
    /// Every term of a taxonomy, with counts (`/tags/`).
    Terms(Kind),
    /// Every year and month, with counts (`/archive/`).
    Archive,
    /// The Atom feed of a list.
    Feed(ListId),
    /// Chunk K (0-based) of the sitemap entries.
    Sitemap(usize),
    /// The index over N sitemap chunks.
    SitemapIndex(usize),
    NewsSitemap,
    Robots,
    NotFound,
    Search,
}

impl Page {
    /// Whether the page is HTML (minified on build) rather than XML or text.
    pub fn is_html(&self) -> bool {
        !matches!(
            self,
            Page::Feed(_)
                | Page::Sitemap(_)
                | Page::SitemapIndex(_)
                | Page::NewsSitemap
                | Page::Robots
        )
    }

    /// Whether search engines should find the page in the sitemap.
    fn in_sitemap(&self) -> bool {
        self.is_html() && !matches!(self, Page::Alias(_) | Page::NotFound)
    }
}

#[derive(Debug, Clone)]
pub enum Job {
    Render(Page),
    Copy(FileSource),
}

/// A file made beforehand and copied into the output: an image's
/// rendition from the cache.
#[derive(Debug, Clone)]
pub struct Copied {
    pub site_path: String,
    pub file: PathBuf,
    /// The article it is for, for messages.
    pub origin: PathBuf,
}

/// One file of the output: where it goes and how it is made.
#[derive(Debug, Clone)]
pub struct Output {
    /// Path relative to the output folder.
    pub file: PathBuf,
    pub job: Job,
    /// The input responsible for it, for messages ([`Output::origin`]).
    origin: Origin,
}

/// The input responsible for an output: an article's source is not
/// copied for each of its files.
#[derive(Debug, Clone)]
enum Origin {
    Config,
    Article(usize),
    File(PathBuf),
}

impl Origin {
    fn path<'a>(&'a self, site: &'a Site) -> &'a Path {
        match self {
            Origin::Config => Path::new(crate::config::CONFIG_FILE),
            Origin::Article(id) => &site.articles[*id].source,
            Origin::File(path) => path,
        }
    }
}

impl Output {
    /// The input responsible for it, for messages.
    pub fn origin<'a>(&'a self, site: &'a Site) -> &'a Path {
        self.origin.path(site)
    }
}

#[derive(Debug, Default)]
pub struct Plan {
    pub outputs: Vec<Output>,
    /// The outputs the sitemap lists, by index: sorted by file as they are.
    pub sitemap: Vec<u32>,
    /// Each article's last change, by id, as an instant: a list page's
    /// newest is found among its articles without reading each of them
    /// (at 100,000 articles, a million reads scattered in memory each
    /// time a sitemap chunk is fingerprinted). Taken when first asked.
    changed: OnceLock<Vec<i128>>,
}

impl Plan {
    /// The entries of sitemap chunk `k` (0-based), worked out from their
    /// pages.
    pub fn sitemap_chunk(&self, site: &Site, k: usize) -> Vec<SitemapEntry> {
        let chunk = self.sitemap.chunks(SITEMAP_LIMIT).nth(k).unwrap_or(&[]);
        let changed = self.changed_at(site);
        chunk
            .par_iter()
            .filter_map(|&i| match &self.outputs[i as usize].job {
                Job::Render(page) => sitemap_entry(site, changed, page),
                Job::Copy(_) => None,
            })
            .collect()
    }

    /// Each article's last change as an instant (nanoseconds), by id.
    fn changed_at(&self, site: &Site) -> &[i128] {
        self.changed.get_or_init(|| {
            (site.articles.par_iter())
                .map(|a| changed(a).timestamp().as_nanosecond())
                .collect()
        })
    }
}

/// What the entries of sitemap chunk `k` are written from, for its
/// fingerprint: each page's site path and the instant and offset of its
/// last change, which its `lastmod` is written from ([`sitemap_entry`]),
/// without the text of either worked out.
pub fn sitemap_chunk_input<'a>(plan: &Plan, site: &'a Site, k: usize) -> Vec<EntryInput<'a>> {
    let chunk = plan.sitemap.chunks(SITEMAP_LIMIT).nth(k).unwrap_or(&[]);
    let changed_at = plan.changed_at(site);
    chunk
        .par_iter()
        .filter_map(|&i| match &plan.outputs[i as usize].job {
            Job::Render(page) => {
                let (path, changed) = sitemap_page(site, changed_at, page)?;
                let at = changed.map(|z| (z.timestamp().as_nanosecond(), z.offset().seconds()));
                Some((path, at))
            }
            Job::Copy(_) => None,
        })
        .collect()
}

/// A sitemap entry as [`sitemap_chunk_input`] gives it.
pub type EntryInput<'a> = (Cow<'a, str>, Option<(i128, i32)>);

/// The sitemap entry of a page the sitemap lists: its site path, and when
/// what it shows last changed.
fn sitemap_entry(site: &Site, changed_at: &[i128], page: &Page) -> Option<SitemapEntry> {
    let (path, changed) = sitemap_page(site, changed_at, page)?;
    Some(SitemapEntry {
        path: path.into_owned(),
        lastmod: changed.map(rfc3339),
    })
}

/// The site path of a page the sitemap lists, and when what it shows
/// last changed: an article's own change; a list page's newest; for the
/// term indexes and the archive, the newest article's. `changed_at`: each
/// article's last change as an instant ([`Plan::changed_at`]).
fn sitemap_page<'a>(
    site: &'a Site,
    changed_at: &[i128],
    page: &Page,
) -> Option<(Cow<'a, str>, Option<&'a ZonedDateTime>)> {
    let newest = || site.articles.first().map(changed);
    Some(match *page {
        Page::Article(id) => {
            let a = &site.articles[id];
            (Cow::Borrowed(a.path.as_str()), Some(changed(a)))
        }
        Page::List(list, n) => (
            Cow::Owned(url::page(&site.list_path(list), n)),
            list_newest(site, changed_at, list, n).map(changed),
        ),
        Page::Terms(kind) => (Cow::Owned(url::terms(kind.folder())), newest()),
        Page::Archive => (Cow::Borrowed(url::ARCHIVE), newest()),
        Page::Search => (Cow::Borrowed(url::SEARCH), None),
        _ => return None,
    })
}

struct Planner<'a> {
    site: &'a Site,
    /// In the order added; sorted (and checked for clashes) at the end.
    files: Vec<Output>,
    diags: &'a mut Diagnostics,
}

impl Planner<'_> {
    fn add(&mut self, site_path: &str, job: Job, origin: Origin) {
        self.add_file(output_file(site_path), site_path, job, origin);
    }

    /// Adds a job whose output file is already worked out.
    fn add_file(&mut self, file: Option<PathBuf>, site_path: &str, job: Job, origin: Origin) {
        let Some(file) = file else {
            self.diags.push(Diagnostic::error(
                origin.path(self.site),
                format!("`{site_path}` is not a path inside the site"),
            ));
            return;
        };
        self.files.push(Output { file, job, origin });
    }

    /// The outputs sorted by file; a file planned twice is an error naming
    /// both origins.
    fn outputs(&mut self) -> Vec<Output> {
        let mut files = std::mem::take(&mut self.files);
        // Stable: of two outputs on one file, the one planned first stays.
        files.par_sort_by(|a, b| paths::cmp(&a.file, &b.file));
        let mut outputs: Vec<Output> = Vec::with_capacity(files.len());
        for o in files {
            match outputs.last() {
                // Two articles on one URL were reported by assemble already.
                // (Bytes, not `Path`'s `==`, which walks components.)
                Some(existing) if existing.file.as_os_str() == o.file.as_os_str() => {
                    if !both_articles(existing, &o) {
                        let message = format!(
                            "{} would be written twice: also by {}",
                            o.file.display(),
                            existing.origin(self.site).display()
                        );
                        self.diags
                            .push(Diagnostic::error(o.origin(self.site), message));
                    }
                }
                _ => outputs.push(o),
            }
        }
        outputs
    }

    fn page(&mut self, site_path: &str, page: Page) {
        self.planned(Planned::new(site_path.to_string(), page));
    }

    fn planned(&mut self, p: Planned) {
        self.add_file(p.file, &p.site_path, Job::Render(p.page), Origin::Config);
    }
}

fn in_sitemap(o: &Output) -> bool {
    matches!(&o.job, Job::Render(page) if page.in_sitemap())
}

fn both_articles(a: &Output, b: &Output) -> bool {
    let article = |o: &Output| matches!(o.job, Job::Render(Page::Article(_)));
    article(a) && article(b)
}

/// A page with its paths worked out (in parallel).
struct Planned {
    site_path: String,
    file: Option<PathBuf>,
    page: Page,
}

impl Planned {
    fn new(site_path: String, page: Page) -> Self {
        Planned {
            file: output_file(&site_path),
            site_path,
            page,
        }
    }
}

/// Every output of the site: articles, lists and feeds, the fixed pages,
/// the theme's static files, and the sitemaps of the pages among them.
pub fn plan(
    site: &Site,
    theme: &Theme,
    copied: &[Copied],
    diags: &mut Diagnostics,
) -> Result<Plan, Failed> {
    let mut p = Planner {
        site,
        files: Vec::with_capacity(site.articles.len() * 2),
        diags,
    };
    // In this order: of two outputs on one file the first planned stays,
    // and the sitemaps list the pages planned before them.
    p.articles(site);
    for c in copied {
        p.add(
            &c.site_path,
            Job::Copy(FileSource::Disk(c.file.clone())),
            Origin::File(c.origin.clone()),
        );
    }
    p.lists(site);
    p.fixed_pages(site, theme);
    p.statics(theme);
    p.sitemaps();
    let outputs = p.outputs();
    if p.diags.has_errors() {
        return Err(Failed);
    }
    let sitemap: Vec<u32> = outputs
        .iter()
        .enumerate()
        .filter(|(_, o)| in_sitemap(o))
        .map(|(i, _)| i as u32)
        .collect();
    Ok(Plan {
        outputs,
        sitemap,
        changed: OnceLock::new(),
    })
}

/// When an article last changed, as the sitemap gives it.
fn changed(a: &Article) -> &ZonedDateTime {
    a.meta.updated.as_ref().unwrap_or(&a.meta.date)
}

impl Planner<'_> {
    /// Each article's page, the files copied next to it, and its aliases.
    fn articles(&mut self, site: &Site) {
        let article_files: Vec<Option<PathBuf>> = site
            .articles
            .par_iter()
            .map(|a| output_file(&a.path))
            .collect();
        for ((id, a), file) in site.articles.iter().enumerate().zip(article_files) {
            let own = file.clone();
            let article = Job::Render(Page::Article(id));
            self.add_file(file, &a.path, article, Origin::Article(id));
            for (source, name) in &a.assets {
                let from = FileSource::Disk(site.config.root.join(source));
                let origin = Origin::File(source.clone());
                self.add(&url::asset_path(&a.path, name), Job::Copy(from), origin);
            }
            for alias in &a.meta.aliases {
                // An alias of the article's own URL (imported archives
                // list it among their redirects) needs no page.
                let alias_file = output_file(alias);
                if alias_file.is_some() && alias_file == own {
                    continue;
                }
                let alias_job = Job::Render(Page::Alias(id));
                self.add_file(alias_file, alias, alias_job, Origin::Article(id));
            }
        }
    }

    /// Every page of every list, and the feeds of the home and term lists.
    fn lists(&mut self, site: &Site) {
        let lists: Vec<Vec<Planned>> = site
            .lists()
            .into_par_iter()
            .map(|list| {
                let path = site.list_path(list);
                let mut pages: Vec<Planned> = (1..=site.page_count(list))
                    .map(|n| Planned::new(url::page(&path, n), Page::List(list, n)))
                    .collect();
                if matches!(list, ListId::Home | ListId::Term(..)) && !site.list(list).is_empty() {
                    pages.push(Planned::new(url::feed(&path), Page::Feed(list)));
                }
                pages
            })
            .collect();
        for planned in lists.into_iter().flatten() {
            self.planned(planned);
        }
    }

    /// The term lists of each taxonomy, the archive, and the pages every
    /// site has.
    fn fixed_pages(&mut self, site: &Site, theme: &Theme) {
        for kind in Kind::ALL {
            if !site.taxonomy(kind).terms.is_empty() {
                let path = url::terms(kind.folder());
                self.page(&path, Page::Terms(kind));
            }
        }
        if !site.articles.is_empty() {
            self.page(url::ARCHIVE, Page::Archive);
        }
        self.page(url::SEARCH, Page::Search);
        self.page(url::NOT_FOUND, Page::NotFound);
        if !site.news_articles().is_empty() {
            self.page(url::NEWS_SITEMAP, Page::NewsSitemap);
        }
        if !theme.has_static(url::ROBOTS) {
            self.page(url::ROBOTS, Page::Robots);
        }
    }

    /// The theme's static files.
    fn statics(&mut self, theme: &Theme) {
        for (site_path, (source, origin)) in &theme.statics {
            self.add(
                site_path,
                Job::Copy(source.clone()),
                Origin::File(origin.clone()),
            );
        }
    }

    /// The sitemap of the pages planned so far, in chunks of at most
    /// [`SITEMAP_LIMIT`] under an index when there are more.
    fn sitemaps(&mut self) {
        let listed = self.files.iter().filter(|o| in_sitemap(o)).count();
        let chunks = listed.div_ceil(SITEMAP_LIMIT).max(1);
        if chunks == 1 {
            self.page(url::SITEMAP, Page::Sitemap(0));
        } else {
            self.page(url::SITEMAP, Page::SitemapIndex(chunks));
            for k in 0..chunks {
                self.page(&url::sitemap_chunk(k + 1), Page::Sitemap(k));
            }
        }
    }
}

/// The article of page `n` of `list` that changed last: what its
/// `lastmod` is.
fn list_newest<'a>(
    site: &'a Site,
    changed_at: &[i128],
    list: ListId,
    n: usize,
) -> Option<&'a Article> {
    let per_page = site.config.per_page;
    let ids = site.list(list);
    let shown = ids.get((n - 1) * per_page..(n * per_page).min(ids.len()))?;
    // Of two at one instant, the last shown, as `Iterator::max` would.
    let newest = shown.iter().max_by_key(|&&id| changed_at[id])?;
    Some(&site.articles[*newest])
}
