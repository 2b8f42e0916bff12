//! Sitemaps: each chunk written from one [`Sitemap`] value (and
//! fingerprinted as it), the index over the chunks, and the Google News
//! sitemap.

use std::io;

use serde::Serialize;

use super::{text, writer};
use crate::dates::rfc3339;
use crate::plan::SitemapEntry;
use crate::site::Site;
use crate::url::{self, BaseUrl};

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// Everything one `urlset` of the sitemap is written from.
#[derive(Serialize)]
pub struct Sitemap<'a> {
    pub base: &'a BaseUrl,
    pub entries: &'a [SitemapEntry],
}

/// Writes one `urlset` of sitemap entries.
pub fn sitemap(input: &Sitemap<'_>) -> io::Result<Vec<u8>> {
    let mut w = writer();
    w.create_element("urlset")
        .with_attribute(("xmlns", SITEMAP_NS))
        .write_inner_content(|w| {
            for e in input.entries {
                w.create_element("url").write_inner_content(|w| {
                    text(w, "loc", &input.base.absolute(&e.path))?;
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
pub fn sitemap_index(base: &BaseUrl, chunks: usize) -> io::Result<Vec<u8>> {
    let mut w = writer();
    w.create_element("sitemapindex")
        .with_attribute(("xmlns", SITEMAP_NS))
        .write_inner_content(|w| {
            for n in 1..=chunks {
                w.create_element("sitemap").write_inner_content(|w| {
                    text(w, "loc", &base.absolute(&url::sitemap_chunk(n)))
                })?;
            }
            Ok(())
        })?;
    Ok(w.into_inner())
}

/// Google News sitemap of [`Site::news_articles`]. At most a thousand entries:
/// fingerprinted by its bytes.
pub fn news_sitemap(site: &Site) -> io::Result<Vec<u8>> {
    let c = &site.config;
    let mut w = writer();
    w.create_element("urlset")
        .with_attributes([("xmlns", SITEMAP_NS), ("xmlns:news", NEWS_NS)])
        .write_inner_content(|w| {
            for id in site.news_articles() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::tests::differs;

    fn entry(path: &str, lastmod: Option<&str>) -> SitemapEntry {
        SitemapEntry {
            path: path.into(),
            lastmod: lastmod.map(str::to_string),
        }
    }

    #[test]
    fn every_field_changes_the_fingerprint() {
        let base = BaseUrl::parse("https://news.example/").unwrap();
        let other_base = BaseUrl::parse("https://news.example/en/").unwrap();
        let entries = [entry("/a/", Some("2024-01-05T10:00:00+00:00"))];
        let reference = Sitemap {
            base: &base,
            entries: &entries,
        };
        let write = |s: &Sitemap<'_>| sitemap(s).unwrap();
        let variants = [
            ("path", [entry("/b/", Some("2024-01-05T10:00:00+00:00"))]),
            ("lastmod", [entry("/a/", Some("2024-01-06T10:00:00+00:00"))]),
            ("no lastmod", [entry("/a/", None)]),
        ];
        for (what, entries) in &variants {
            let variant = Sitemap {
                base: &base,
                entries,
            };
            differs(what, &reference, &variant, write);
        }
        let moved = Sitemap {
            base: &other_base,
            entries: &entries,
        };
        differs("base", &reference, &moved, write);
        let empty = Sitemap {
            base: &base,
            entries: &[],
        };
        differs("no entries", &reference, &empty, write);
    }
}
