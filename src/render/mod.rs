//! Stage 4, render: a planned page to HTML bytes, through Tera.
//!
//! Reads `&Site` and the templates; returns bytes and never writes.
//! Template errors name the template file and line, and the page's source.

pub mod jsonld;
pub mod templates;
pub mod views;

use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::plan::Page;
use crate::site::Site;
use templates::Templates;
use views::{ArticleView, SiteView};

pub struct Renderer<'a> {
    site: &'a Site,
    templates: Templates,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, mut templates: Templates) -> Self {
        templates
            .tera
            .global_context()
            .insert("site", &SiteView::new(site));
        Renderer { site, templates }
    }

    /// Renders one page; an error names the template and the page's source.
    pub fn render(&self, page: &Page) -> Result<Vec<u8>, Diagnostic> {
        let (template, context, source) = match page {
            Page::Article(id) => {
                let article = &self.site.articles[*id];
                let view = ArticleView::new(self.site, article);
                let mut context = Context::new();
                context.insert("jsonld", &jsonld::news_article(self.site, &view));
                context.insert("page", &view);
                ("article.html", context, &article.source)
            }
            Page::Alias(id) => {
                let article = &self.site.articles[*id];
                let mut context = Context::new();
                context.insert("page", &ArticleView::new(self.site, article));
                ("redirect.html", context, &article.source)
            }
        };
        let mut out = Vec::with_capacity(16 * 1024);
        self.templates
            .tera
            .render_to(template, &context, &mut out)
            .map_err(|e| {
                let mut d = self.templates.diagnostic(template, &e);
                d.message = format!("{} (rendering {})", d.message, source.display());
                d
            })?;
        Ok(out)
    }
}
