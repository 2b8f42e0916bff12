//! What templates see: small views that borrow from the `Site`, built per
//! page and serialized into the Tera context. Nothing here is cloned from
//! the site beyond formatted strings.

use jiff::ZonedDateTime;
use serde::Serialize;

use crate::content::yaml::Value;
use crate::site::taxonomy::Taxonomy;
use crate::site::{Article, ImageUrl, Site};

/// `site` in every template.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    /// Absolute base URL, with trailing slash.
    pub base_url: String,
    /// Root-relative link to the home page (`/` or `/news/`).
    pub home: String,
    pub timezone: &'a str,
    pub extra: &'a toml::Table,
    /// The site's sections, for navigation.
    pub sections: Vec<LinkView<'a>>,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site) -> Self {
        let c = &site.config;
        SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_url: c.base_url.root(),
            home: c.base_url.link("/"),
            timezone: &c.timezone_name,
            extra: &c.extra,
            sections: site
                .sections
                .terms
                .iter()
                .map(|t| LinkView {
                    name: &t.name,
                    url: site.link(&t.path),
                })
                .collect(),
        }
    }
}

/// A named link: an author, tag or section.
#[derive(Serialize)]
pub struct LinkView<'a> {
    pub name: &'a str,
    pub url: String,
}

/// A date in the site time zone, ready to print.
#[derive(Serialize)]
pub struct DateView {
    /// For `<time datetime>`: `2022-01-27T10:00:00+04:00`.
    pub iso: String,
    /// "January 27, 2022".
    pub display: String,
    /// "15:18".
    pub time: String,
    pub year: i16,
    pub month: i8,
    pub day: i8,
}

impl DateView {
    pub fn new(z: &ZonedDateTime) -> Self {
        DateView {
            iso: z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            display: z.strftime("%B %-d, %Y").to_string(),
            time: z.strftime("%H:%M").to_string(),
            year: z.year(),
            month: z.month(),
            day: z.day(),
        }
    }
}

#[derive(Serialize)]
pub struct ImageView<'a> {
    /// For `src`: root-relative link or remote URL.
    pub url: String,
    /// For Open Graph and JSON-LD.
    pub absolute: String,
    pub alt: &'a str,
    pub caption: Option<&'a str>,
    pub credit: Option<&'a str>,
}

/// `page` on an article page.
#[derive(Serialize)]
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub url: String,
    /// Absolute URL: canonical link, Open Graph.
    pub permalink: String,
    pub date: DateView,
    pub updated: Option<DateView>,
    pub authors: Vec<LinkView<'a>>,
    pub section: Option<LinkView<'a>>,
    pub tags: Vec<LinkView<'a>>,
    pub image: Option<ImageView<'a>>,
    pub summary: &'a str,
    pub content: &'a str,
    pub word_count: usize,
    pub reading_minutes: usize,
    pub extra: &'a Value,
}

fn links<'a>(site: &'a Site, taxonomy: &'a Taxonomy, ids: &[usize]) -> Vec<LinkView<'a>> {
    ids.iter()
        .map(|&id| {
            let t = taxonomy.get(id);
            LinkView {
                name: &t.name,
                url: site.link(&t.path),
            }
        })
        .collect()
}

impl<'a> ArticleView<'a> {
    pub fn new(site: &'a Site, a: &'a Article) -> Self {
        let base = &site.config.base_url;
        let image = a
            .image_url
            .as_ref()
            .zip(a.meta.image.as_ref())
            .map(|(url, meta)| {
                let (url, absolute) = match url {
                    ImageUrl::Site(path) => (base.link(path), base.absolute(path)),
                    ImageUrl::Remote(u) => (u.clone(), u.clone()),
                };
                ImageView {
                    url,
                    absolute,
                    alt: meta.alt.as_deref().unwrap_or(""),
                    caption: meta.caption.as_deref(),
                    credit: meta.credit.as_deref(),
                }
            });
        ArticleView {
            title: &a.meta.title,
            url: base.link(&a.path),
            permalink: base.absolute(&a.path),
            date: DateView::new(&a.meta.date),
            updated: a.meta.updated.as_ref().map(DateView::new),
            authors: links(site, &site.authors, &a.authors),
            section: a
                .section
                .map(|id| links(site, &site.sections, &[id]).remove(0)),
            tags: links(site, &site.tags, &a.tags),
            image,
            summary: &a.summary,
            content: &a.html,
            word_count: a.word_count,
            reading_minutes: a.word_count.div_ceil(230).max(1),
            extra: &a.meta.extra,
        }
    }
}
