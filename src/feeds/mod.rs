//! XML outputs, written in code with quick-xml (which does all escaping):
//! Atom feeds, sitemaps (split above 50,000 URLs), the Google News
//! sitemap, and `robots.txt`.
//!
//! Feeds and sitemaps are each built from the `Site` into one plain value
//! ([`Feed`], [`Sitemap`]) that is all their writer reads; an incremental
//! build fingerprints that same value instead of writing the file. The
//! other writers are small and fingerprinted by their bytes. Nothing here
//! writes files.

mod atom;
mod sitemaps;

pub use atom::{Body, Category, Feed, FeedEntry, Instant, Mode, Person, atom, feed};
pub use sitemaps::{
    NEWS_LIMIT, SITEMAP_LIMIT, Sitemap, SitemapEntry, news_articles, news_sitemap, sitemap,
    sitemap_index,
};

use std::borrow::Cow;
use std::io::{self, Write};

use jiff::ZonedDateTime;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::site::Site;
use crate::site::indices::ListId;
use crate::url::{self, BaseUrl};

/// W3C / RFC 3339 date-time of an instant in the site time zone.
pub fn rfc3339(z: &ZonedDateTime) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Characters XML 1.0 cannot carry (most control characters) are dropped;
/// quick-xml escapes the rest.
fn xml_safe(s: &str) -> Cow<'_, str> {
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

/// `robots.txt`: everything allowed, and where the sitemaps are.
pub fn robots(base: &BaseUrl) -> Vec<u8> {
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
        .map(|&id| {
            let meta = &site.articles[id].meta;
            meta.updated.as_ref().unwrap_or(&meta.date)
        })
        .max()
        .map(rfc3339)
}

/// Helpers for the tests of values that outputs are written from.
#[cfg(test)]
pub(crate) mod tests {
    use jiff::ZonedDateTime;
    use jiff::tz::TimeZone;
    use serde::Serialize;

    use crate::manifest::Fingerprint;

    /// An instant (`2024-01-05T10:00:00Z`) in a time zone.
    pub fn date(instant: &str, zone: &str) -> ZonedDateTime {
        let zone = TimeZone::get(zone).unwrap();
        instant
            .parse::<jiff::Timestamp>()
            .unwrap()
            .to_zoned_datetime(zone)
    }

    /// `a` and `b` are written differently (by `write`), and their
    /// fingerprints differ too.
    pub fn differs<T: Serialize>(what: &str, a: &T, b: &T, write: impl Fn(&T) -> Vec<u8>) {
        assert_ne!(write(a), write(b), "{what}: written the same");
        let print = |v: &T| Fingerprint::default().add_serialized(v).finish().unwrap();
        assert_ne!(print(a), print(b), "{what}: fingerprinted the same");
    }
}
