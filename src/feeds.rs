//! XML outputs, written in code with quick-xml (which does all escaping):
//! Atom feeds, sitemaps (split above 50,000 URLs), the Google News
//! sitemap, and `robots.txt`.
//!
//! Reads `&Site`; returns bytes; never writes files.

use std::io::{self, Write};

use jiff::{SignedDuration, ZonedDateTime};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::manifest::Fingerprint;
use crate::site::Site;
use crate::site::indices::ListId;
use crate::url;

/// The most URLs one sitemap file may hold (sitemaps.org).
pub const SITEMAP_LIMIT: usize = 50_000;
/// The most articles a news sitemap may hold (Google News).
pub const NEWS_LIMIT: usize = 1_000;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// A page in the sitemap: site path and last modification.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SitemapEntry {
    pub path: String,
    pub lastmod: Option<String>,
}

/// W3C / RFC 3339 date-time of an instant in the site time zone.
pub fn rfc3339(z: &ZonedDateTime) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Characters XML 1.0 cannot carry (most control characters) are dropped;
/// quick-xml escapes the rest.
fn xml_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let ok = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    if s.chars().all(ok) {
        s.into()
    } else {
        s.chars().filter(|&c| ok(c)).collect::<String>().into()
    }
}

fn text<W: Write>(w: &mut Writer<W>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_safe(value)))?;
    Ok(())
}

fn writer() -> Writer<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::with_capacity(32 * 1024), b' ', 1);
    // Writing into a Vec cannot fail.
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)));
    w
}

/// Atom 1.0 feed of the newest `feeds.limit` articles of a list.
pub fn atom(site: &Site, list: ListId) -> io::Result<Vec<u8>> {
    let c = &site.config;
    let base = &c.base_url;
    let ids = &site.list(list)[..site.list(list).len().min(c.feed_limit)];
    let title = match list {
        ListId::Term(kind, id) => format!("{}: {}", c.title, site.taxonomy(kind).get(id).name),
        _ => c.title.clone(),
    };
    let self_url = base.absolute(&url::feed(&site.list_path(list)));
    let updated = ids
        .iter()
        .map(|&id| updated_of(site, id))
        .max()
        .map(rfc3339);
    let mut w = writer();
    w.create_element("feed")
        .with_attribute(("xmlns", ATOM_NS))
        .with_attribute(("xml:lang", xml_safe(&c.language).as_ref()))
        .write_inner_content(|w| {
            text(w, "title", &title)?;
            if !c.description.is_empty() {
                text(w, "subtitle", &c.description)?;
            }
            w.create_element("link")
                .with_attributes([
                    ("rel", "self"),
                    ("type", "application/atom+xml"),
                    ("href", self_url.as_str()),
                ])
                .write_empty()?;
            let alternate = base.absolute(&site.list_path(list));
            w.create_element("link")
                .with_attributes([
                    ("rel", "alternate"),
                    ("type", "text/html"),
                    ("href", alternate.as_str()),
                ])
                .write_empty()?;
            text(w, "id", &self_url)?;
            text(
                w,
                "updated",
                updated.as_deref().unwrap_or("1970-01-01T00:00:00+00:00"),
            )?;
            w.create_element("generator")
                .write_text_content(BytesText::new("gazette"))?;
            for &id in ids {
                entry(w, site, id)?;
            }
            Ok(())
        })?;
    Ok(w.into_inner())
}

/// Everything [`atom`] reads besides what every page's fingerprint holds
/// (the site's title, description, language, base URL and time zone),
/// taken into `f` without writing the feed. Keep the two in step.
pub fn atom_inputs(site: &Site, list: ListId, f: &mut Fingerprint) {
    let c = &site.config;
    let ids = &site.list(list)[..site.list(list).len().min(c.feed_limit)];
    f.add(site.list_path(list)).add(c.feed_full_content);
    if let ListId::Term(kind, id) = list {
        f.add(&site.taxonomy(kind).get(id).name);
    }
    for &id in ids {
        let a = &site.articles[id];
        f.add(&a.meta.title)
            .add(&a.path)
            .add(a.meta.date.timestamp())
            .add(a.meta.updated.as_ref().map(ZonedDateTime::timestamp));
        for &author in &a.authors {
            let term = site.authors.get(author);
            f.add(&term.name).add(&term.path);
        }
        f.add(a.authors.len());
        let section = a.section.map(|s| site.sections.get(s));
        for term in section
            .into_iter()
            .chain(a.tags.iter().map(|&t| site.tags.get(t)))
        {
            f.add(&term.slug).add(&term.name);
        }
        f.add(usize::MAX);
        if c.feed_full_content {
            f.add(a.html_hash);
        } else {
            f.add(&a.summary);
        }
    }
}

fn updated_of(site: &Site, id: usize) -> &ZonedDateTime {
    let meta = &site.articles[id].meta;
    meta.updated.as_ref().unwrap_or(&meta.date)
}

fn entry<W: Write>(w: &mut Writer<W>, site: &Site, id: usize) -> io::Result<()> {
    let a = &site.articles[id];
    let base = &site.config.base_url;
    let permalink = base.absolute(&a.path);
    w.create_element("entry").write_inner_content(|w| {
        text(w, "title", &a.meta.title)?;
        w.create_element("link")
            .with_attributes([
                ("rel", "alternate"),
                ("type", "text/html"),
                ("href", permalink.as_str()),
            ])
            .write_empty()?;
        text(w, "id", &permalink)?;
        text(w, "published", &rfc3339(&a.meta.date))?;
        text(w, "updated", &rfc3339(updated_of(site, id)))?;
        if a.authors.is_empty() {
            w.create_element("author")
                .write_inner_content(|w| text(w, "name", &site.config.title))?;
        }
        for &author in &a.authors {
            let term = site.authors.get(author);
            w.create_element("author").write_inner_content(|w| {
                text(w, "name", &term.name)?;
                text(w, "uri", &base.absolute(&term.path))
            })?;
        }
        let section = a.section.map(|s| site.sections.get(s));
        for term in section
            .into_iter()
            .chain(a.tags.iter().map(|&t| site.tags.get(t)))
        {
            w.create_element("category")
                .with_attributes([
                    ("term", term.slug.as_str()),
                    ("label", xml_safe(&term.name).as_ref()),
                ])
                .write_empty()?;
        }
        if site.config.feed_full_content {
            w.create_element("content")
                .with_attributes([("type", "html"), ("xml:base", permalink.as_str())])
                .write_text_content(BytesText::new(&xml_safe(
                    &site.body(id).map_err(|d| io::Error::other(d.to_string()))?,
                )))?;
        } else {
            w.create_element("summary")
                .with_attribute(("type", "text"))
                .write_text_content(BytesText::new(&xml_safe(&a.summary)))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// One `urlset` of sitemap entries.
/// What [`sitemap`] reads besides the base URL (which every page's
/// fingerprint holds), taken into `f` without writing the sitemap. Keep
/// the two in step.
pub fn sitemap_inputs(entries: &[SitemapEntry], f: &mut Fingerprint) {
    f.add("sitemap").add(entries);
}

pub fn sitemap(site: &Site, entries: &[SitemapEntry]) -> io::Result<Vec<u8>> {
    let mut w = writer();
    w.create_element("urlset")
        .with_attribute(("xmlns", SITEMAP_NS))
        .write_inner_content(|w| {
            for e in entries {
                w.create_element("url").write_inner_content(|w| {
                    text(w, "loc", &site.config.base_url.absolute(&e.path))?;
                    if let Some(lastmod) = &e.lastmod {
                        text(w, "lastmod", lastmod)?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(w.into_inner())
}

/// The sitemap index over `/sitemaps/1.xml` … `/sitemaps/N.xml`.
pub fn sitemap_index(site: &Site, chunks: usize) -> io::Result<Vec<u8>> {
    let mut w = writer();
    w.create_element("sitemapindex")
        .with_attribute(("xmlns", SITEMAP_NS))
        .write_inner_content(|w| {
            for n in 1..=chunks {
                w.create_element("sitemap").write_inner_content(|w| {
                    text(
                        w,
                        "loc",
                        &site.config.base_url.absolute(&url::sitemap_chunk(n)),
                    )
                })?;
            }
            Ok(())
        })?;
    Ok(w.into_inner())
}

/// Articles for the news sitemap: published in the 48 hours up to the build
/// time, newest first, at most [`NEWS_LIMIT`].
pub fn news_articles(site: &Site) -> Vec<usize> {
    let since = site.build_time - SignedDuration::from_hours(48);
    // Articles are newest first: skip any in the future, stop at the window's start.
    site.articles
        .iter()
        .enumerate()
        .skip_while(|(_, a)| a.meta.date.timestamp() > site.build_time)
        .take_while(|(_, a)| a.meta.date.timestamp() >= since)
        .map(|(id, _)| id)
        .take(NEWS_LIMIT)
        .collect()
}

/// Google News sitemap of [`news_articles`].
pub fn news_sitemap(site: &Site) -> io::Result<Vec<u8>> {
    let c = &site.config;
    let mut w = writer();
    w.create_element("urlset")
        .with_attributes([("xmlns", SITEMAP_NS), ("xmlns:news", NEWS_NS)])
        .write_inner_content(|w| {
            for id in news_articles(site) {
                let a = &site.articles[id];
                w.create_element("url").write_inner_content(|w| {
                    text(w, "loc", &c.base_url.absolute(&a.path))?;
                    w.create_element("news:news").write_inner_content(|w| {
                        w.create_element("news:publication")
                            .write_inner_content(|w| {
                                text(w, "news:name", &c.title)?;
                                text(w, "news:language", &c.language)
                            })?;
                        text(w, "news:publication_date", &rfc3339(&a.meta.date))?;
                        text(w, "news:title", &a.meta.title)
                    })?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(w.into_inner())
}

/// `robots.txt`: everything allowed, and where the sitemaps are.
pub fn robots(site: &Site) -> Vec<u8> {
    let base = &site.config.base_url;
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\nSitemap: {}\n",
        base.absolute(url::SITEMAP),
        base.absolute(url::NEWS_SITEMAP)
    )
    .into_bytes()
}

/// The `lastmod` of page `n` of a list: the newest change among its articles.
pub fn list_lastmod(site: &Site, list: ListId, n: usize) -> Option<String> {
    let per_page = site.config.per_page;
    let ids = site.list(list);
    let shown = ids.get((n - 1) * per_page..(n * per_page).min(ids.len()))?;
    shown
        .iter()
        .map(|&id| updated_of(site, id))
        .max()
        .map(rfc3339)
}
