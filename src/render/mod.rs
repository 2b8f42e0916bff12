//! Stage 4, render: a planned page to HTML bytes, through Tera, and the
//! loop that makes every output ([`write`]).
//!
//! Reads `&Site` and the templates; returns bytes, which a sink (see
//! `output`) writes: render never touches the output folder. Template
//! errors name the template file and line, and the page being rendered.

pub mod jsonld;
pub mod lists;
pub mod memo;
mod minify;
pub mod search;
pub mod templates;
pub mod views;
pub mod write;

use std::path::PathBuf;

use serde::Serialize;
use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::feeds;
use crate::fingerprint::Fingerprint;
use crate::plan::{Page, Plan};
use crate::site::Site;
use crate::url;
use memo::{Memo, Taken};
pub use minify::minify;
use templates::Templates;
use views::{ArticleView, Cards, Neighbours, SiteView};

pub struct Renderer<'a> {
    site: &'a Site,
    templates: Templates,
    plan: &'a Plan,
    /// Hash of what every page depends on: gazette's version, the
    /// templates, `site` and whether pages are minified.
    recipe: u64,
    /// The fingerprints of each article's card and view, taken when first
    /// needed (or reused from the last build).
    taken: Taken<'a>,
}

/// What a page's template is given: taken once into a fingerprint, to
/// decide whether the page must be made at all, and again into a Tera
/// context only when it must.
pub enum Data<'m> {
    /// The fingerprint, and the cards' fingerprints shared by all pages.
    Fingerprint(Fingerprint, &'m Taken<'m>),
    Context(Context),
}

impl Data<'_> {
    /// How the page's cards are to be made.
    pub fn cards(&self) -> Cards<'_> {
        match self {
            Data::Fingerprint(_, taken) => Cards::Fingerprints(taken),
            Data::Context(_) => Cards::Views,
        }
    }

    pub fn put<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        match self {
            Data::Fingerprint(f, _) => {
                f.add(key).add_serialized(value);
            }
            Data::Context(c) => c.insert(key, value),
        }
    }

    /// Puts the value `make` makes from `input` (and what every page
    /// depends on): for a fingerprint, `input` stands for it, unmade.
    pub fn put_made<I: Serialize + ?Sized, T: Serialize>(
        &mut self,
        key: &'static str,
        input: &I,
        make: impl FnOnce() -> T,
    ) {
        match self {
            Data::Fingerprint(f, _) => {
                f.add(key).add_serialized(input);
            }
            Data::Context(c) => c.insert(key, &make()),
        }
    }
}

/// A page as far as its template, or, when code writes it, its finished
/// bytes or the input value it is written from.
enum Filled {
    Template {
        name: &'static str,
        /// The page's source or path, for error messages.
        what: PathBuf,
    },
    /// Written, and fingerprinted by its bytes (small outputs).
    Bytes(Vec<u8>),
    /// Only fingerprinted, by the value it is written from (feeds,
    /// sitemaps); the bytes are made only if needed.
    Input,
}

/// A page's fingerprint, and its bytes if they were made on the way.
pub struct Prepared {
    /// `None` if it could not be taken: the page is then always made.
    pub fingerprint: Option<u64>,
    bytes: Option<Vec<u8>>,
}

impl<'a> Renderer<'a> {
    /// The renderer of `site`, reusing the fingerprints of the articles
    /// `earlier` (the last build's) had as they are.
    pub fn new(
        site: &'a Site,
        mut templates: Templates,
        plan: &'a Plan,
        minify: bool,
        earlier: Option<&'a Memo>,
    ) -> Self {
        let site_view = SiteView::new(site);
        let mut recipe = Fingerprint::default();
        recipe
            .add(env!("CARGO_PKG_VERSION"))
            .add(templates.fingerprint)
            .add(minify.then_some(minify::RULES))
            .add_serialized(&site_view);
        templates.tera.global_context().insert("site", &site_view);
        let recipe = recipe.finish().unwrap_or_default();
        Renderer {
            site,
            templates,
            plan,
            recipe,
            taken: Taken::new(site, recipe, plan.outputs.len(), earlier),
        }
    }

    /// How many pages' fingerprints were reused from the earlier build.
    pub fn pages_reused(&self) -> usize {
        self.taken.pages_reused()
    }

    /// The fingerprints taken, for the next build's [`Memo`].
    pub fn learned(&self) -> memo::Learned {
        self.taken.learned(&self.plan.outputs)
    }

    /// Takes the fingerprint of the page that is output `index` of the
    /// plan: it changes whenever the page's bytes could. Reused from the
    /// earlier build when the page reads nothing that changed (see
    /// [`memo`]), else taken: cheaper than rendering, no template runs.
    pub fn prepare(&self, index: usize, page: &Page) -> Result<Prepared, Diagnostic> {
        let prepared = match self.taken.page(self.site, index, page) {
            Some(fingerprint) => {
                debug_assert_eq!(
                    Some(fingerprint),
                    self.fingerprint(page)?.fingerprint,
                    "a reused fingerprint of {page:?} differs from the one taken"
                );
                Prepared {
                    fingerprint: Some(fingerprint),
                    bytes: None,
                }
            }
            None => self.fingerprint(page)?,
        };
        self.taken.took_page(index, prepared.fingerprint);
        Ok(prepared)
    }

    fn fingerprint(&self, page: &Page) -> Result<Prepared, Diagnostic> {
        let mut data = Data::Fingerprint(Fingerprint::new(self.recipe), &self.taken);
        let filled = self.fill(page, &mut data)?;
        Ok(match (filled, data) {
            (Filled::Template { name, .. }, Data::Fingerprint(mut f, _)) => Prepared {
                fingerprint: f.add(name).finish(),
                bytes: None,
            },
            (Filled::Bytes(bytes), _) => Prepared {
                fingerprint: Fingerprint::new(self.recipe).add_bytes(&bytes).finish(),
                bytes: Some(bytes),
            },
            (Filled::Input, Data::Fingerprint(f, _)) => Prepared {
                fingerprint: f.finish(),
                bytes: None,
            },
            (Filled::Template { .. } | Filled::Input, Data::Context(_)) => Prepared {
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
        let filled = self.fill(page, &mut data)?;
        let (name, what, context) = match (filled, data) {
            (Filled::Bytes(bytes), _) => return Ok(bytes),
            (Filled::Template { name, what }, Data::Context(context)) => (name, what, context),
            // `fill` only gives these when fingerprinting.
            (Filled::Input, _) | (_, Data::Fingerprint(..)) => {
                return Err(Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    format!("internal error: {page:?} was not rendered"),
                ));
            }
        };
        let mut out = Vec::with_capacity(16 * 1024);
        self.templates
            .tera
            .render_to(name, &context, &mut out)
            .map_err(|e| self.templates.diagnostic(name, &e).rendering(what))?;
        Ok(out)
    }

    /// Gives a page's template its data, or makes the page's bytes. Every
    /// template gets `canonical`: the page's absolute URL (the article's,
    /// for a redirect), or none for the "not found" page.
    fn fill(&self, page: &Page, data: &mut Data<'_>) -> Result<Filled, Diagnostic> {
        let site = self.site;
        let base = &site.config.base_url;
        let template = |name, what| Ok(Filled::Template { name, what });
        let canonical: Option<String> = match *page {
            Page::Article(id) | Page::Alias(id) => Some(base.absolute(&site.articles[id].path)),
            Page::List(list, n) => Some(base.absolute(&url::page(&site.list_path(list), n))),
            Page::Terms(kind) => Some(base.absolute(&url::terms(kind.folder()))),
            Page::Archive => Some(base.absolute(url::ARCHIVE)),
            Page::Search => Some(base.absolute(url::SEARCH)),
            _ => None,
        };
        if page.is_html() {
            data.put("canonical", &canonical);
        }
        match *page {
            Page::Article(id) => {
                match data {
                    // The value the JSON is written from, not the JSON; it
                    // holds the page's view, so that is taken in once:
                    // without the neighbours (unchanged with the article),
                    // then they.
                    Data::Fingerprint(_, taken) => {
                        let cards = Cards::Fingerprints(taken);
                        let own = taken
                            .article(site, id, || {
                                let view = ArticleView::new(site, id, false, &cards).ok()?;
                                Fingerprint::default()
                                    .add_serialized(&jsonld::input(site, id, &view))
                                    .finish()
                            })
                            .unwrap_or_else(|| views::unique_fingerprint(id));
                        let neighbours = Neighbours::new(site, id, &cards);
                        data.put("jsonld", &own);
                        data.put("neighbours", &neighbours);
                    }
                    Data::Context(_) => {
                        let view = ArticleView::new(site, id, true, &data.cards())?;
                        let news_article = jsonld::input(site, id, &view);
                        data.put("jsonld", &jsonld::news_article(&news_article));
                        data.put("page", &view);
                    }
                }
                template("article.html", site.articles[id].source.clone())
            }
            Page::Alias(id) => {
                let view = ArticleView::new(site, id, false, &data.cards())?;
                data.put("page", &view);
                template("redirect.html", site.articles[id].source.clone())
            }
            Page::List(list, n) => {
                let name = lists::list(site, list, n, data);
                template(name, PathBuf::from(url::page(&site.list_path(list), n)))
            }
            Page::Terms(kind) => template(
                lists::terms(site, kind, data),
                PathBuf::from(url::terms(kind.folder())),
            ),
            Page::Archive => template(lists::archive(site, data), PathBuf::from(url::ARCHIVE)),
            Page::NotFound => template("404.html", PathBuf::from(url::NOT_FOUND)),
            Page::Search => template("search.html", PathBuf::from(url::SEARCH)),
            Page::Feed(_)
            | Page::Sitemap(_)
            | Page::SitemapIndex(_)
            | Page::NewsSitemap
            | Page::Robots => self.written(page, data),
        }
    }

    /// Makes a page written in code. Feeds are many and long, sitemaps up
    /// to 50,000 URLs: each is built into the one value it is written
    /// from, and fingerprinted by that value (bodies standing in as their
    /// hashes) rather than written. The others are small: written, and
    /// fingerprinted by their bytes.
    fn written(&self, page: &Page, data: &mut Data<'_>) -> Result<Filled, Diagnostic> {
        let site = self.site;
        let base = &site.config.base_url;
        match *page {
            Page::Feed(list) => match data {
                Data::Fingerprint(..) => {
                    data.put("feed", &feeds::feed(site, list, feeds::Mode::Fingerprint)?);
                    Ok(Filled::Input)
                }
                Data::Context(_) => {
                    let feed = feeds::feed(site, list, feeds::Mode::Write)?;
                    self.xml(feeds::atom(&feed), &feed.path)
                }
            },
            Page::Sitemap(k) => match data {
                Data::Fingerprint(..) => {
                    let entries = crate::plan::sitemap_chunk_input(self.plan, site, k);
                    data.put("sitemap", &(base, entries));
                    Ok(Filled::Input)
                }
                Data::Context(_) => {
                    let entries = self.plan.sitemap_chunk(site, k);
                    let sitemap = feeds::Sitemap {
                        base,
                        entries: &entries,
                    };
                    self.xml(feeds::sitemap(&sitemap), url::SITEMAP)
                }
            },
            Page::SitemapIndex(n) => self.xml(feeds::sitemap_index(base, n), url::SITEMAP),
            Page::NewsSitemap => self.xml(feeds::news_sitemap(site), url::NEWS_SITEMAP),
            Page::Robots => Ok(Filled::Bytes(feeds::robots(
                base,
                !site.news_articles().is_empty(),
            ))),
            _ => Err(Diagnostic::error(
                crate::config::CONFIG_FILE,
                format!("internal error: {page:?} is not written in code"),
            )),
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
