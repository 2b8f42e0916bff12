//! Stage 2, assemble: from loaded sources to the immutable [`Site`]: which
//! articles are published, their URLs, rendered bodies, and taxonomies.
//!
//! Takes sources, config and theme (for static files); returns a `Site`
//! that later stages only read. Knows nothing of Tera.

pub mod bodies;
pub mod indices;
pub mod profiles;
pub mod related;
pub mod taxonomy;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;

use crate::article_cache::{ArticleCache, BodyDigest, Stamp};
use crate::config::Config;
use crate::content::Source;
use crate::content::frontmatter::{ImageSrc, Meta};
use crate::content::markdown::{self, Links};
use crate::diagnostics::{Diagnostic, Diagnostics, Failed};
use crate::manifest::Fingerprint;
use crate::paths::PathMap;
use crate::theme::Theme;
use crate::url::PermalinkValues;
use bodies::BodyCache;
use indices::{DateIndex, Kind};
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
    /// Bodies rendered by an earlier build (`serve`).
    pub bodies: Option<&'a BodyCache>,
    /// What the last build learned of each body.
    pub stored: Option<&'a ArticleCache>,
    /// Keep every article's HTML in memory (for search records, full
    /// feeds, `serve`); else each is rendered again when its page is.
    pub keep_bodies: bool,
}

/// A published article with everything pages need.
#[derive(Debug)]
pub struct Article {
    /// Source file relative to the site root.
    pub source: PathBuf,
    pub meta: Meta,
    /// Site path of the page (`/2022/01/27/slug/`).
    pub path: String,
    /// The body's HTML, when kept (see [`Site::body`]).
    pub html: Option<Arc<str>>,
    /// Fingerprint of the body's HTML: pages fingerprint this, not the HTML.
    pub html_hash: u64,
    /// Fingerprint of the Markdown body, and where it starts in the file,
    /// to read and render it again.
    pub body_hash: u64,
    pub body_line: usize,
    /// The source file's size and time, when the article cache may keep
    /// this article.
    pub stamp: Option<Stamp>,
    /// What rendering the body taught, for the article cache (`None` when
    /// it was rendered by `serve`'s cache).
    pub digest: Option<BodyDigest>,
    /// The front matter's warnings, for the article cache.
    pub warnings: Vec<Diagnostic>,
    /// Front matter summary, else the first paragraph as plain text.
    pub summary: String,
    pub word_count: usize,
    /// Where the lead image is served from.
    pub image_url: Option<ImageUrl>,
    /// Width and height of the lead image in pixels, when it is a local
    /// file whose header could be read.
    pub image_size: Option<(u32, u32)>,
    /// Local files copied next to the page: (source relative to root, file name).
    pub assets: Vec<(PathBuf, String)>,
    pub tags: Vec<usize>,
    pub section: Option<usize>,
    pub authors: Vec<usize>,
    /// Up to five related articles, most related first.
    pub related: Vec<usize>,
}

/// A lead image's address: a site path (made into links by views) or a
/// remote URL used as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageUrl {
    Site(String),
    Remote(String),
}

/// The whole site, built once, read by every later stage.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub build_time: Timestamp,
    /// Newest first; equal dates ordered by URL.
    pub articles: Vec<Article>,
    pub tags: Taxonomy,
    pub sections: Taxonomy,
    pub authors: Taxonomy,
    /// Author profiles by author term id.
    pub profiles: Vec<Option<Profile>>,
    /// Every article id, newest first (the home list).
    pub all: Vec<usize>,
    pub dates: DateIndex,
    /// Drafts and articles dated in the future, for the article cache.
    pub unpublished: Vec<Source>,
    /// Article URLs by source file, to render bodies again.
    links: LinkTable,
}

impl Site {
    /// Root-relative link to a site path (with the base URL's path).
    pub fn link(&self, site_path: &str) -> String {
        self.config.base_url.link(site_path)
    }

    /// The HTML of an article's body: kept, or read and rendered again.
    pub fn body(&self, id: usize) -> Result<Cow<'_, str>, Diagnostic> {
        let a = &self.articles[id];
        if let Some(html) = &a.html {
            return Ok(Cow::Borrowed(html));
        }
        let body = crate::content::read_body(&self.config.root, &a.source, a.body_hash)?;
        let page_link = self.link(&a.path);
        let input = markdown::Input {
            body: &body,
            body_line: a.body_line,
            source: &a.source,
            page_link: &page_link,
            raw_html: self.config.raw_html,
        };
        Ok(Cow::Owned(
            markdown::render(&input, &self.links).html.to_string(),
        ))
    }

    pub fn taxonomy(&self, kind: Kind) -> &Taxonomy {
        match kind {
            Kind::Tag => &self.tags,
            Kind::Section => &self.sections,
            Kind::Author => &self.authors,
        }
    }
}

/// The article URL of each published source, and why others can't be linked.
#[derive(Debug)]
struct LinkTable {
    root: PathBuf,
    targets: PathMap<Result<String, String>>,
}

impl Links for LinkTable {
    fn article(&self, source: &Path) -> Result<String, String> {
        self.targets
            .get(source.as_os_str())
            .cloned()
            .unwrap_or_else(|| Err(format!("no article {}", source.display())))
    }

    fn file_exists(&self, path: &Path) -> bool {
        self.root.join(path).is_file()
    }

    fn image_size(&self, path: &Path) -> Option<(u32, u32)> {
        image_size(&self.root.join(path))
    }
}

pub fn assemble(
    config: Config,
    sources: Vec<Source>,
    inputs: &Inputs<'_>,
    diags: &mut Diagnostics,
) -> Result<Site, Failed> {
    let publishing = inputs.publishing;
    let (published, unpublished): (Vec<Source>, Vec<Source>) = sources
        .into_par_iter()
        .partition(|s| is_published(&s.meta, publishing));
    let paths = article_paths(&config, &published, diags);
    let links: Vec<Result<String, String>> = paths
        .par_iter()
        .map(|path| Ok(config.base_url.link(path)))
        .collect();
    let mut targets = PathMap::with_capacity_and_hasher(links.len(), Default::default());
    for (s, link) in published.iter().zip(links) {
        targets.insert(s.path.clone().into_os_string(), link);
    }
    for s in &unpublished {
        let why = if s.meta.draft {
            "is a draft (built only with --drafts)"
        } else {
            "is dated in the future (built only with --future)"
        };
        targets.insert(
            s.path.clone().into_os_string(),
            Err(format!("{} {why}", s.path.display())),
        );
    }
    let links = LinkTable {
        root: config.root.clone(),
        targets,
    };
    let results: Vec<(Article, Vec<Diagnostic>)> = published
        .into_par_iter()
        .zip(paths.into_par_iter())
        .map(|(s, path)| build_article(&config, inputs, &links, s, path))
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    for (article, problems) in results {
        diags.extend(problems);
        articles.push(article);
    }
    if diags.has_errors() {
        return Err(Failed);
    }
    // Unstable is enough: no two articles share a path.
    articles.par_sort_unstable_by(|a, b| {
        b.meta
            .date
            .timestamp()
            .cmp(&a.meta.date.timestamp())
            .then_with(|| a.path.cmp(&b.path))
    });
    let n = articles.len();
    let (tags, (sections, authors)) = rayon::join(
        || {
            Taxonomy::build("tags", n, |i| {
                articles[i].meta.tags.iter().map(String::as_str).collect()
            })
        },
        || {
            rayon::join(
                || {
                    Taxonomy::build("sections", n, |i| {
                        articles[i].meta.section.as_deref().into_iter().collect()
                    })
                },
                || {
                    Taxonomy::build("authors", n, |i| {
                        articles[i]
                            .meta
                            .authors
                            .iter()
                            .map(String::as_str)
                            .collect()
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
    let tags_of: Vec<Vec<usize>> = articles.iter().map(|a| a.tags.clone()).collect();
    for (a, related) in articles.iter_mut().zip(related::related(&tags_of, &tags)) {
        a.related = related;
    }
    let profiles = profiles::load(&config.root, &authors, diags);
    let dates = DateIndex::build(articles.iter().map(|a| {
        let d = a.meta.date.date();
        (d.year(), d.month(), d.day())
    }));
    Ok(Site {
        build_time: publishing.build_time,
        all: (0..articles.len()).collect(),
        config,
        articles,
        tags,
        sections,
        authors,
        profiles,
        dates,
        unpublished,
        links,
    })
}

fn is_published(meta: &Meta, p: &Publishing) -> bool {
    (!meta.draft || p.drafts) && (meta.date.timestamp() <= p.build_time || p.future)
}

/// Site path of each source (same order); two articles on one URL is an error.
fn article_paths(config: &Config, sources: &[Source], diags: &mut Diagnostics) -> Vec<String> {
    let mut seen: HashMap<String, &Path, foldhash::fast::RandomState> = HashMap::default();
    let mut section_slugs: HashMap<&str, String, foldhash::fast::RandomState> = HashMap::default();
    let mut paths = Vec::with_capacity(sources.len());
    for s in sources {
        let date = s.meta.date.date();
        let section = s.meta.section.as_deref().map(|name| {
            section_slugs
                .entry(name)
                .or_insert_with(|| crate::content::slug::slugify(name))
                .clone()
        });
        if config.permalink.uses_section() && section.is_none() {
            diags.push(
                Diagnostic::error(
                    &s.path,
                    "the article permalink uses :section but this article has no `section`",
                )
                .at(1, None),
            );
        }
        let values = PermalinkValues {
            year: date.year(),
            month: date.month(),
            day: date.day(),
            slug: &s.meta.slug,
            section: section.as_deref(),
        };
        let path = config.permalink.expand(&values);
        if let Some(other) = seen.get(&path) {
            diags.push(
                Diagnostic::error(
                    &s.path,
                    format!(
                        "URL {path} is also the URL of {}; give one a different `slug`",
                        other.display()
                    ),
                )
                .at(1, None),
            );
        } else {
            seen.insert(path.clone(), &s.path);
        }
        paths.push(path);
    }
    paths
}

fn build_article(
    config: &Config,
    inputs: &Inputs<'_>,
    links: &LinkTable,
    mut s: Source,
    path: String,
) -> (Article, Vec<Diagnostic>) {
    let page_link = config.base_url.link(&path);
    let key = Fingerprint::default()
        .add(s.body_hash)
        .add(s.body_line)
        .add(&page_link)
        .add(config.raw_html)
        .finish()
        .unwrap_or_default();
    let hit = inputs
        .stored
        .and_then(|c| c.body(&s.path, key, s.meta.summary.is_none(), links));
    let mut body = match hit {
        Some(hit) => Body {
            html: None,
            html_hash: hit.html_hash,
            first_paragraph: hit.first_paragraph.unwrap_or_default(),
            word_count: hit.word_count,
            assets: hit.digest.assets.clone(),
            digest: Some(hit.digest),
            problems: Vec::new(),
        },
        None => render_body(config, inputs, links, &mut s, key, &page_link),
    };
    let (image_url, image_size) = lead_image(
        config,
        inputs.theme,
        links,
        &s,
        &path,
        &mut body.assets,
        &mut body.problems,
    );
    let summary = s
        .meta
        .summary
        .clone()
        .unwrap_or_else(|| body.first_paragraph.trim().to_string());
    let article = Article {
        source: s.path,
        meta: s.meta,
        path,
        html: body.html,
        html_hash: body.html_hash,
        body_hash: s.body_hash,
        body_line: s.body_line,
        stamp: s.stamp,
        digest: body.digest,
        warnings: s.warnings,
        summary,
        word_count: body.word_count,
        image_url,
        image_size,
        assets: body.assets,
        tags: Vec::new(),
        section: None,
        authors: Vec::new(),
        related: Vec::new(),
    };
    (article, body.problems)
}

/// An article body as rendered, or as the article cache remembers it.
struct Body {
    html: Option<Arc<str>>,
    html_hash: u64,
    first_paragraph: String,
    word_count: usize,
    assets: Vec<(PathBuf, String)>,
    digest: Option<BodyDigest>,
    problems: Vec<Diagnostic>,
}

/// Reads (unless loaded) and renders a body.
fn render_body(
    config: &Config,
    inputs: &Inputs<'_>,
    links: &LinkTable,
    s: &mut Source,
    key: u64,
    page_link: &str,
) -> Body {
    let mut unreadable = None;
    let text = match s.body.take() {
        Some(text) => text,
        None => crate::content::read_body(&config.root, &s.path, s.body_hash)
            .map(Arc::from)
            .unwrap_or_else(|d| {
                unreadable = Some(d);
                Arc::from("")
            }),
    };
    let input = markdown::Input {
        body: &text,
        body_line: s.body_line,
        source: &s.path,
        page_link,
        raw_html: config.raw_html,
    };
    let (mut rendered, digest) = match inputs.bodies {
        Some(cache) => (cache.render(&input, links), None),
        None => {
            let (rendered, asked) = bodies::render_recorded(&input, links);
            let digest = BodyDigest {
                key,
                asked,
                assets: rendered.assets.clone(),
            };
            (rendered, Some(digest))
        }
    };
    drop(text);
    let problems =
        unreadable
            .into_iter()
            .chain(rendered.problems.drain(..).map(|(line, col, message)| {
                Diagnostic::error(&s.path, message).at(line, Some(col))
            }))
            .collect();
    Body {
        html_hash: Fingerprint::default()
            .add(&*rendered.html)
            .finish()
            .unwrap_or_default(),
        html: inputs.keep_bodies.then_some(rendered.html),
        first_paragraph: rendered.first_paragraph,
        word_count: rendered.word_count,
        assets: rendered.assets,
        digest,
        problems,
    }
}

/// Resolves the lead image: where it is served from, and its size. A
/// local image is added to the files copied next to the page.
fn lead_image(
    config: &Config,
    theme: &Theme,
    links: &LinkTable,
    s: &Source,
    page_path: &str,
    assets: &mut Vec<(PathBuf, String)>,
    problems: &mut Vec<Diagnostic>,
) -> (Option<ImageUrl>, Option<(u32, u32)>) {
    match s.meta.image.as_ref().map(|i| &i.src) {
        None => (None, None),
        Some(ImageSrc::Remote(url)) => (Some(ImageUrl::Remote(url.clone())), None),
        Some(ImageSrc::Static(site_path)) => {
            if !theme.has_static(site_path) {
                problems.push(image_problem(
                    s,
                    format!("image `{site_path}` not found in static/"),
                ));
            }
            (
                Some(ImageUrl::Site(site_path.clone())),
                theme.static_image_size(site_path),
            )
        }
        Some(ImageSrc::Local(rel)) => match markdown::resolve(&s.path, rel) {
            Some(file) if links.file_exists(&file) => {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let size = image_size(&config.root.join(&file));
                if !assets.iter().any(|(f, _)| *f == file) {
                    assets.push((file, name.clone()));
                }
                (
                    Some(ImageUrl::Site(crate::url::asset(page_path, &name))),
                    size,
                )
            }
            _ => {
                problems.push(image_problem(
                    s,
                    format!("image `{rel}` not found next to the article"),
                ));
                (None, None)
            }
        },
    }
}

/// Pixel size of an image file, read from its header.
pub fn image_size(path: &std::path::Path) -> Option<(u32, u32)> {
    let size = imagesize::size(path).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

fn image_problem(s: &Source, message: String) -> Diagnostic {
    let line = s.meta.image.as_ref().map_or(1, |i| i.line);
    Diagnostic::error(&s.path, message).at(line, Some(1))
}
