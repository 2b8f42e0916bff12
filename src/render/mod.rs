//! Stage 4, render: a planned page to HTML bytes, through Tera.
//!
//! Reads `&Site` and the templates; returns bytes and never writes.
//! Template errors name the template file and line, and the page's source.

pub mod jsonld;
pub mod lists;
pub mod templates;
pub mod views;

use std::path::PathBuf;

use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::feeds::{self, SitemapEntry};
use crate::plan::Page;
use crate::site::Site;
use templates::Templates;
use views::{ArticleView, SiteView};

pub struct Renderer<'a> {
    site: &'a Site,
    templates: Templates,
    sitemap: &'a [SitemapEntry],
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, mut templates: Templates, sitemap: &'a [SitemapEntry]) -> Self {
        templates
            .tera
            .global_context()
            .insert("site", &SiteView::new(site));
        Renderer {
            site,
            templates,
            sitemap,
        }
    }

    /// Renders one page; an error names the template and the page.
    pub fn render(&self, page: &Page) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let (template, context, what) = match *page {
            Page::Article(id) => {
                let view = ArticleView::new(site, id, true);
                let mut context = Context::new();
                context.insert("jsonld", &jsonld::news_article(site, id, &view));
                context.insert("page", &view);
                ("article.html", context, site.articles[id].source.clone())
            }
            Page::Alias(id) => {
                let mut context = Context::new();
                context.insert("page", &ArticleView::new(site, id, false));
                ("redirect.html", context, site.articles[id].source.clone())
            }
            Page::List(list, n) => {
                let (template, context) = lists::list(site, list, n);
                let path = crate::site::indices::page_path(&site.list_path(list), n);
                (template, context, PathBuf::from(path))
            }
            Page::Terms(kind) => {
                let (template, context) = lists::terms(site, kind);
                (
                    template,
                    context,
                    PathBuf::from(format!("/{}/", kind.folder())),
                )
            }
            Page::Archive => {
                let (template, context) = lists::archive(site);
                (template, context, PathBuf::from("/archive/"))
            }
            Page::NotFound => ("404.html", Context::new(), PathBuf::from("/404.html")),
            Page::Search => ("search.html", Context::new(), PathBuf::from("/search/")),
            Page::Feed(list) => {
                return self.xml(feeds::atom(site, list), &feeds::feed_path(site, list));
            }
            Page::Sitemap(k) => {
                let chunk = self
                    .sitemap
                    .chunks(feeds::SITEMAP_LIMIT)
                    .nth(k)
                    .unwrap_or(&[]);
                return self.xml(feeds::sitemap(site, chunk), "/sitemap.xml");
            }
            Page::SitemapIndex(n) => {
                return self.xml(feeds::sitemap_index(site, n), "/sitemap.xml");
            }
            Page::NewsSitemap => return self.xml(feeds::news_sitemap(site), "/news-sitemap.xml"),
            Page::Robots => return Ok(feeds::robots(site)),
        };
        let mut out = Vec::with_capacity(16 * 1024);
        self.templates
            .tera
            .render_to(template, &context, &mut out)
            .map_err(|e| {
                let mut d = self.templates.diagnostic(template, &e);
                d.message = format!("{} (rendering {})", d.message, what.display());
                d
            })?;
        Ok(out)
    }

    fn xml(&self, result: std::io::Result<Vec<u8>>, what: &str) -> Result<Vec<u8>, Diagnostic> {
        result.map_err(|e| {
            Diagnostic::error(
                crate::config::CONFIG_FILE,
                format!("cannot write {what}: {e}"),
            )
        })
    }
}
