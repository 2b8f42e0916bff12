//! Atom 1.0 feeds: [`feed`] builds the one value a feed is written from
//! ([`Feed`]), [`atom`] writes it, and the feed's fingerprint is the hash
//! of that value built with [`Mode::Fingerprint`].

use std::borrow::Cow;
use std::io;

use jiff::ZonedDateTime;
use quick_xml::events::BytesText;
use serde::{Serialize, Serializer};

use super::{text, writer, xml_safe};
use crate::dates::rfc3339;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::site::indices::ListId;
use crate::url::{self, BaseUrl};

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// What a [`Feed`] is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// To be written: bodies as HTML.
    Write,
    /// Only to be fingerprinted: bodies as the hash of their HTML, so that
    /// none is rendered.
    Fingerprint,
}

/// Everything an Atom feed is written from.
#[derive(Serialize)]
pub struct Feed<'a> {
    pub base: &'a BaseUrl,
    /// Site path of the feed itself: its `self` link and its id.
    pub path: String,
    /// Site path of the list the feed follows: its `alternate` link.
    pub list: String,
    pub title: Cow<'a, str>,
    /// No `subtitle` when empty.
    pub subtitle: &'a str,
    pub language: &'a str,
    /// The author of entries that name none (the site's title).
    pub default_author: &'a str,
    /// Newest first.
    pub entries: Vec<FeedEntry<'a>>,
}

/// One article of a feed.
#[derive(Serialize)]
pub struct FeedEntry<'a> {
    pub title: &'a str,
    /// Site path of the article.
    pub path: &'a str,
    pub published: Instant<'a>,
    pub updated: Instant<'a>,
    pub authors: Vec<Person<'a>>,
    /// The section first, then the tags.
    pub categories: Vec<Category<'a>>,
    pub body: Body<'a>,
}

#[derive(Serialize)]
pub struct Person<'a> {
    pub name: &'a str,
    /// Site path of the author's page.
    pub path: &'a str,
}

#[derive(Serialize)]
pub struct Category<'a> {
    pub slug: &'a str,
    pub name: &'a str,
}

/// What an entry carries of its article.
#[derive(Serialize)]
pub enum Body<'a> {
    /// `feeds.full_content` off: the summary, as plain text.
    Summary(&'a str),
    /// The whole article, as HTML.
    Html(Cow<'a, str>),
    /// Stands in for `Html` when the feed is only fingerprinted: the hash
    /// of that HTML.
    Fingerprint(u64),
}

/// A date-time in the site time zone, serialized as what its written form
/// depends on (the instant and the zone's offset at it) rather than
/// formatted.
#[derive(Clone, Copy)]
pub struct Instant<'a>(pub &'a ZonedDateTime);

impl Serialize for Instant<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0.timestamp();
        (
            t.as_second(),
            t.subsec_nanosecond(),
            self.0.offset().seconds(),
        )
            .serialize(s)
    }
}

/// The feed of a list: its newest `feeds.limit` articles.
pub fn feed(site: &Site, list: ListId, mode: Mode) -> Result<Feed<'_>, Diagnostic> {
    let c = &site.config;
    let list_path = site.list_path(list);
    Ok(Feed {
        base: &c.base_url,
        path: url::feed(&list_path),
        list: list_path,
        title: match list {
            ListId::Term(kind, id) => {
                format!("{}: {}", c.title, site.taxonomy(kind).get(id).name).into()
            }
            _ => Cow::Borrowed(&c.title),
        },
        subtitle: &c.description,
        language: &c.language,
        default_author: &c.title,
        entries: site
            .in_feed(list)
            .iter()
            .map(|&id| entry(site, id, mode))
            .collect::<Result<_, _>>()?,
    })
}

fn entry(site: &Site, id: usize, mode: Mode) -> Result<FeedEntry<'_>, Diagnostic> {
    let a = &site.articles[id];
    let section = a.section.map(|s| site.sections.get(s));
    let terms = section
        .into_iter()
        .chain(a.tags.iter().map(|&t| site.tags.get(t)));
    Ok(FeedEntry {
        title: &a.meta.title,
        path: &a.path,
        published: Instant(&a.meta.date),
        updated: Instant(a.meta.updated.as_ref().unwrap_or(&a.meta.date)),
        authors: a
            .authors
            .iter()
            .map(|&author| {
                let term = site.authors.get(author);
                Person {
                    name: &term.name,
                    path: &term.path,
                }
            })
            .collect(),
        categories: terms
            .map(|term| Category {
                slug: &term.slug,
                name: &term.name,
            })
            .collect(),
        body: match (site.config.feed_full_content, mode) {
            (false, _) => Body::Summary(a.summary()),
            (true, Mode::Write) => Body::Html(site.body(id)?),
            (true, Mode::Fingerprint) => Body::Fingerprint(a.html_hash),
        },
    })
}

/// Writes a feed as Atom 1.0.
pub fn atom(feed: &Feed<'_>) -> io::Result<Vec<u8>> {
    let base = feed.base;
    let self_url = base.absolute(&feed.path);
    let updated = feed.entries.iter().map(|e| e.updated.0).max().map(rfc3339);
    let mut w = writer();
    w.create_element("feed")
        .with_attribute(("xmlns", ATOM_NS))
        .with_attribute(("xml:lang", xml_safe(feed.language).as_ref()))
        .write_inner_content(|w| {
            text(w, "title", &feed.title)?;
            if !feed.subtitle.is_empty() {
                text(w, "subtitle", feed.subtitle)?;
            }
            w.create_element("link")
                .with_attributes([
                    ("rel", "self"),
                    ("type", "application/atom+xml"),
                    ("href", self_url.as_str()),
                ])
                .write_empty()?;
            let alternate = base.absolute(&feed.list);
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
            for e in &feed.entries {
                write_entry(w, feed, e)?;
            }
            Ok(())
        })?;
    Ok(w.into_inner())
}

fn write_entry<W: io::Write>(
    w: &mut quick_xml::Writer<W>,
    feed: &Feed<'_>,
    e: &FeedEntry<'_>,
) -> io::Result<()> {
    let permalink = feed.base.absolute(e.path);
    w.create_element("entry").write_inner_content(|w| {
        text(w, "title", e.title)?;
        w.create_element("link")
            .with_attributes([
                ("rel", "alternate"),
                ("type", "text/html"),
                ("href", permalink.as_str()),
            ])
            .write_empty()?;
        text(w, "id", &permalink)?;
        text(w, "published", &rfc3339(e.published.0))?;
        text(w, "updated", &rfc3339(e.updated.0))?;
        if e.authors.is_empty() {
            w.create_element("author")
                .write_inner_content(|w| text(w, "name", feed.default_author))?;
        }
        for author in &e.authors {
            w.create_element("author").write_inner_content(|w| {
                text(w, "name", author.name)?;
                text(w, "uri", &feed.base.absolute(author.path))
            })?;
        }
        for c in &e.categories {
            w.create_element("category")
                .with_attributes([("term", c.slug), ("label", xml_safe(c.name).as_ref())])
                .write_empty()?;
        }
        match &e.body {
            Body::Summary(summary) => {
                w.create_element("summary")
                    .with_attribute(("type", "text"))
                    .write_text_content(BytesText::new(&xml_safe(summary)))?;
            }
            Body::Html(html) => {
                w.create_element("content")
                    .with_attributes([("type", "html"), ("xml:base", permalink.as_str())])
                    .write_text_content(BytesText::new(&xml_safe(html)))?;
            }
            Body::Fingerprint(_) => {
                return Err(io::Error::other("a fingerprinted body cannot be written"));
            }
        }
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::tests::{date, differs};

    fn feed<'a>(base: &'a BaseUrl, entries: Vec<FeedEntry<'a>>) -> Feed<'a> {
        Feed {
            base,
            path: "/tags/nato/feed.xml".into(),
            list: "/tags/nato/".into(),
            title: "News: NATO".into(),
            subtitle: "All the news",
            language: "en",
            default_author: "News",
            entries,
        }
    }

    fn entry<'a>(published: &'a ZonedDateTime, body: Body<'a>) -> FeedEntry<'a> {
        FeedEntry {
            title: "Talks open",
            path: "/2024/01/05/talks/",
            published: Instant(published),
            updated: Instant(published),
            authors: vec![Person {
                name: "Jane Doe",
                path: "/authors/jane-doe/",
            }],
            categories: vec![Category {
                slug: "nato",
                name: "NATO",
            }],
            body,
        }
    }

    #[test]
    fn writes_the_feed_it_is_given() {
        let base = BaseUrl::parse("https://news.example/").unwrap();
        let day = date("2024-01-05T10:00:00Z", "UTC");
        let xml = atom(&feed(&base, vec![entry(&day, Body::Summary("Talks."))])).unwrap();
        let xml = String::from_utf8(xml).unwrap();
        for part in [
            r#"<link rel="self" type="application/atom+xml" href="https://news.example/tags/nato/feed.xml"/>"#,
            "<updated>2024-01-05T10:00:00+00:00</updated>",
            "<uri>https://news.example/authors/jane-doe/</uri>",
            r#"<category term="nato" label="NATO"/>"#,
            r#"<summary type="text">Talks.</summary>"#,
        ] {
            assert!(xml.contains(part), "no {part} in {xml}");
        }
    }

    /// The feed of `feed(base, [entry(day, html)])`, changed by `change`.
    fn changed<'a>(
        base: &'a BaseUrl,
        day: &'a ZonedDateTime,
        change: impl FnOnce(&mut Feed<'a>),
    ) -> Feed<'a> {
        let mut f = feed(base, vec![entry(day, Body::Html("<p>Talks.</p>".into()))]);
        change(&mut f);
        f
    }

    /// Each field is in the fingerprint: a feed differing in any one of
    /// them is written differently and fingerprinted differently.
    #[test]
    fn every_field_changes_the_fingerprint() {
        let base = BaseUrl::parse("https://news.example/").unwrap();
        let other_base = BaseUrl::parse("https://news.example/en/").unwrap();
        let day = date("2024-01-05T10:00:00Z", "UTC");
        let later = date("2024-01-06T10:00:00Z", "UTC");
        let tokyo = date("2024-01-05T10:00:00Z", "Asia/Tokyo");
        let reference = changed(&base, &day, |_| {});
        let variants = [
            ("base", changed(&base, &day, |f| f.base = &other_base)),
            (
                "path",
                changed(&base, &day, |f| f.path = "/feed.xml".into()),
            ),
            ("list", changed(&base, &day, |f| f.list = "/".into())),
            ("title", changed(&base, &day, |f| f.title = "News".into())),
            ("subtitle", changed(&base, &day, |f| f.subtitle = "")),
            ("language", changed(&base, &day, |f| f.language = "fr")),
            ("no entries", changed(&base, &day, |f| f.entries.clear())),
            (
                "entry title",
                changed(&base, &day, |f| f.entries[0].title = "Talks close"),
            ),
            (
                "entry path",
                changed(&base, &day, |f| f.entries[0].path = "/2024/01/05/b/"),
            ),
            (
                "published",
                changed(&base, &day, |f| f.entries[0].published = Instant(&later)),
            ),
            (
                "updated",
                changed(&base, &day, |f| f.entries[0].updated = Instant(&later)),
            ),
            (
                "time zone",
                changed(&base, &day, |f| {
                    f.entries[0].published = Instant(&tokyo);
                    f.entries[0].updated = Instant(&tokyo);
                }),
            ),
            (
                "author",
                changed(&base, &day, |f| f.entries[0].authors[0].name = "Jane Roe"),
            ),
            (
                "author page",
                changed(&base, &day, |f| f.entries[0].authors[0].path = "/roe/"),
            ),
            (
                "no author",
                changed(&base, &day, |f| f.entries[0].authors.clear()),
            ),
            (
                "category slug",
                changed(&base, &day, |f| f.entries[0].categories[0].slug = "otan"),
            ),
            (
                "category name",
                changed(&base, &day, |f| f.entries[0].categories[0].name = "Nato"),
            ),
            (
                "no category",
                changed(&base, &day, |f| f.entries[0].categories.clear()),
            ),
            (
                "body",
                changed(&base, &day, |f| {
                    f.entries[0].body = Body::Html("<p>Talks!</p>".into())
                }),
            ),
            (
                "summary instead",
                changed(&base, &day, |f| {
                    f.entries[0].body = Body::Summary("<p>Talks.</p>")
                }),
            ),
        ];
        let write = |f: &Feed<'_>| atom(f).unwrap();
        for (what, variant) in &variants {
            differs(what, &reference, variant, write);
        }
        // Shown only for an entry that names no author.
        let anonymous = changed(&base, &day, |f| f.entries[0].authors.clear());
        let desk = changed(&base, &day, |f| {
            f.entries[0].authors.clear();
            f.default_author = "Desk";
        });
        differs("default author", &anonymous, &desk, write);
    }

    #[test]
    fn a_fingerprinted_body_is_its_html_hash() {
        let base = BaseUrl::parse("https://news.example/").unwrap();
        let day = date("2024-01-05T10:00:00Z", "UTC");
        let print = |hash| {
            let f = feed(&base, vec![entry(&day, Body::Fingerprint(hash))]);
            crate::fingerprint::Fingerprint::default()
                .add_serialized(&f)
                .finish()
        };
        assert_ne!(print(1), print(2));
        assert!(atom(&feed(&base, vec![entry(&day, Body::Fingerprint(1))])).is_err());
    }
}
