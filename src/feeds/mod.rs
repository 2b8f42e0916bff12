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

pub use atom::{Mode, atom, feed};
pub use sitemaps::{Sitemap, news_sitemap, sitemap, sitemap_index};

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use crate::url::{self, BaseUrl};

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
pub fn robots(base: &BaseUrl, news: bool) -> Vec<u8> {
    let mut text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        base.absolute(url::SITEMAP)
    );
    if news {
        text += &format!("Sitemap: {}\n", base.absolute(url::NEWS_SITEMAP));
    }
    text.into_bytes()
}

/// Helpers for the tests of values that outputs are written from.
#[cfg(test)]
pub(crate) mod tests {
    use jiff::ZonedDateTime;
    use jiff::tz::TimeZone;
    use serde::Serialize;

    use crate::fingerprint::Fingerprint;

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
