//! Stage 4, render: a planned page to HTML bytes, through Tera.
//!
//! Reads `&Site` and the templates; returns bytes and never writes.
//! Template errors name the template file and line, and the page's source.

pub mod jsonld;
pub mod lists;
pub mod templates;
pub mod views;

use std::path::PathBuf;

use serde::Serialize;
use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::feeds::{self, SitemapEntry};
use crate::manifest::Fingerprint;
use crate::plan::Page;
use crate::site::Site;
use templates::Templates;
use views::{ArticleView, SiteView};

pub struct Renderer<'a> {
    site: &'a Site,
    templates: Templates,
    sitemap: &'a [SitemapEntry],
    /// Hash of what every page depends on: gazette's version, the
    /// templates, `site` and whether pages are minified.
    recipe: u64,
}

/// What a page's template is given: taken once into a fingerprint, to
/// decide whether the page must be made at all, and again into a Tera
/// context only when it must.
pub enum Data {
    Fingerprint(Fingerprint),
    Context(Context),
}

impl Data {
    pub fn put<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        match self {
            Data::Fingerprint(f) => {
                f.add(key).add_serialized(value);
            }
            Data::Context(c) => c.insert(key, value),
        }
    }
}

/// A page as far as its template, or its finished bytes when code makes it
/// (feeds, sitemaps).
enum Filled {
    Template {
        name: &'static str,
        /// The page's source or path, for error messages.
        what: PathBuf,
    },
    Bytes(Vec<u8>),
}

/// A page's fingerprint, and its bytes if they were made on the way.
pub struct Prepared {
    /// `None` if it could not be taken: the page is then always made.
    pub fingerprint: Option<u64>,
    bytes: Option<Vec<u8>>,
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        mut templates: Templates,
        sitemap: &'a [SitemapEntry],
        minify: bool,
    ) -> Self {
        let site_view = SiteView::new(site);
        let mut recipe = Fingerprint::default();
        recipe
            .add(env!("CARGO_PKG_VERSION"))
            .add(templates.fingerprint)
            .add(minify)
            .add_serialized(&site_view);
        templates.tera.global_context().insert("site", &site_view);
        Renderer {
            site,
            templates,
            sitemap,
            recipe: recipe.finish().unwrap_or_default(),
        }
    }

    /// Takes a page's fingerprint: it changes whenever the page's bytes
    /// could. Cheaper than rendering: no template runs.
    pub fn prepare(&self, page: &Page) -> Result<Prepared, Diagnostic> {
        let mut data = Data::Fingerprint(Fingerprint::new(self.recipe));
        let filled = self.fill(page, &mut data)?;
        Ok(match (filled, data) {
            (Filled::Template { name, .. }, Data::Fingerprint(mut f)) => Prepared {
                fingerprint: f.add(name).finish(),
                bytes: None,
            },
            (Filled::Bytes(bytes), _) => Prepared {
                fingerprint: Fingerprint::new(self.recipe).add_bytes(&bytes).finish(),
                bytes: Some(bytes),
            },
            (Filled::Template { .. }, Data::Context(_)) => Prepared {
                fingerprint: None,
                bytes: None,
            },
        })
    }

    /// Renders a prepared page.
    pub fn finish(&self, page: &Page, prepared: Prepared) -> Result<Vec<u8>, Diagnostic> {
        match prepared.bytes {
            Some(bytes) => Ok(bytes),
            None => self.render(page),
        }
    }

    /// Renders one page; an error names the template and the page.
    pub fn render(&self, page: &Page) -> Result<Vec<u8>, Diagnostic> {
        let mut data = Data::Context(Context::new());
        let (name, what) = match self.fill(page, &mut data)? {
            Filled::Bytes(bytes) => return Ok(bytes),
            Filled::Template { name, what } => (name, what),
        };
        let Data::Context(context) = data else {
            unreachable!("filled as a context above")
        };
        let mut out = Vec::with_capacity(16 * 1024);
        self.templates
            .tera
            .render_to(name, &context, &mut out)
            .map_err(|e| {
                let mut d = self.templates.diagnostic(name, &e);
                d.message = format!("{} (rendering {})", d.message, what.display());
                d
            })?;
        Ok(out)
    }

    /// Gives a page's template its data, or makes the page's bytes.
    fn fill(&self, page: &Page, data: &mut Data) -> Result<Filled, Diagnostic> {
        let site = self.site;
        let template = |name, what| Ok(Filled::Template { name, what });
        match *page {
            Page::Article(id) => {
                let view = ArticleView::new(site, id, true);
                data.put("jsonld", &jsonld::news_article(site, id, &view));
                data.put("page", &view);
                template("article.html", site.articles[id].source.clone())
            }
            Page::Alias(id) => {
                data.put("page", &ArticleView::new(site, id, false));
                template("redirect.html", site.articles[id].source.clone())
            }
            Page::List(list, n) => {
                let name = lists::list(site, list, n, data);
                let path = crate::site::indices::page_path(&site.list_path(list), n);
                template(name, PathBuf::from(path))
            }
            Page::Terms(kind) => template(
                lists::terms(site, kind, data),
                PathBuf::from(format!("/{}/", kind.folder())),
            ),
            Page::Archive => template(lists::archive(site, data), PathBuf::from("/archive/")),
            Page::NotFound => template("404.html", PathBuf::from("/404.html")),
            Page::Search => template("search.html", PathBuf::from("/search/")),
            Page::Feed(list) => self.xml(feeds::atom(site, list), &feeds::feed_path(site, list)),
            Page::Sitemap(k) => {
                let chunk = self
                    .sitemap
                    .chunks(feeds::SITEMAP_LIMIT)
                    .nth(k)
                    .unwrap_or(&[]);
                self.xml(feeds::sitemap(site, chunk), "/sitemap.xml")
            }
            Page::SitemapIndex(n) => self.xml(feeds::sitemap_index(site, n), "/sitemap.xml"),
            Page::NewsSitemap => self.xml(feeds::news_sitemap(site), "/news-sitemap.xml"),
            Page::Robots => Ok(Filled::Bytes(feeds::robots(site))),
        }
    }

    fn xml(&self, result: std::io::Result<Vec<u8>>, what: &str) -> Result<Filled, Diagnostic> {
        result.map(Filled::Bytes).map_err(|e| {
            Diagnostic::error(
                crate::config::CONFIG_FILE,
                format!("cannot write {what}: {e}"),
            )
        })
    }
}
