//! What templates see: small views that borrow from the `Site`, built per
//! page and serialized into the Tera context. Nothing here is cloned from
//! the site beyond formatted strings.

use std::borrow::Cow;

use jiff::ZonedDateTime;
use serde::Serialize;

use super::memo::Taken;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;

use crate::content::yaml::Value;
use crate::images::{self, Ratio, Shape};
use crate::site::indices::Kind;
use crate::site::taxonomy::Taxonomy;
use crate::site::{Article, ImageUrl, Site, SiteImage};
use crate::url;

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
    /// Link of the site's Atom feed (absent on a site without articles).
    pub feed: Option<String>,
    /// Link of the search page.
    pub search: String,
    /// The search index the build writes: `pagefind` or `gazette`.
    pub search_engine: &'static str,
    /// Scheme and host (`https://news.example.com`), to make a link absolute.
    pub origin: &'a str,
    /// The language in Open Graph's form (`en_US`), where it is known.
    pub locale: Option<String>,
    /// The index pages the site has (archive, sections, tags, authors).
    pub indexes: Vec<LinkView<'a>>,
    /// The share image of pages without one of their own, `[social]`.
    pub share_image: Option<&'a SiteImage>,
    /// The publisher's logo, `[social]`.
    pub logo: Option<&'a SiteImage>,
    /// The site's X/Twitter account (`@newsroom`).
    pub twitter: Option<&'a str>,
}

impl<'a> SiteView<'a> {
    pub fn new(site: &'a Site) -> Self {
        let c = &site.config;
        SiteView {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base_url: c.base_url.root(),
            home: c.base_url.link(url::HOME),
            timezone: &c.timezone_name,
            extra: &c.extra,
            feed: (!site.articles.is_empty()).then(|| c.base_url.link(&url::feed(url::HOME))),
            search: c.base_url.link(url::SEARCH),
            origin: c.base_url.origin(),
            locale: og_locale(&c.language),
            indexes: indexes(site),
            share_image: site.share_image.as_ref(),
            logo: site.logo.as_ref(),
            twitter: c.social.twitter.as_deref(),
            search_engine: match c.search_engine {
                crate::config::SearchEngine::Pagefind => "pagefind",
                crate::config::SearchEngine::Gazette => "gazette",
            },
            sections: (0..site.sections.terms.len())
                .map(|id| link(site, &site.sections, id))
                .collect(),
        }
    }
}

/// A named link: an author, tag or section.
#[derive(Serialize)]
pub struct LinkView<'a> {
    pub name: Cow<'a, str>,
    pub url: String,
}

/// The index pages a site has, as the plan makes them: the archive (with
/// articles), and the list of each taxonomy that has terms.
fn indexes(site: &Site) -> Vec<LinkView<'static>> {
    let link = |name: &'static str, path: &str| LinkView {
        name: Cow::Borrowed(name),
        url: site.config.base_url.link(path),
    };
    let mut out = Vec::new();
    if !site.articles.is_empty() {
        out.push(link("Archive", url::ARCHIVE));
    }
    for kind in [Kind::Section, Kind::Tag, Kind::Author] {
        if !site.taxonomy(kind).terms.is_empty() {
            out.push(link(index_name(kind), &url::terms(kind.folder())));
        }
    }
    out
}

/// The name of a taxonomy's index page: "Tags", "Sections", "Authors".
pub fn index_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Tag => "Tags",
        Kind::Section => "Sections",
        Kind::Author => "Authors",
    }
}

/// A language tag in Open Graph's form, `language_TERRITORY`: the tag's
/// own region (`en-GB` is `en_GB`), else the usual territory of common
/// languages (`en` is `en_US`); `None` for others, rather than a guess.
pub fn og_locale(language: &str) -> Option<String> {
    let mut parts = language.split(['-', '_']);
    let lang = parts.next()?.to_ascii_lowercase();
    if let Some(region) = parts.find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return Some(format!("{lang}_{}", region.to_ascii_uppercase()));
    }
    let territory = match lang.as_str() {
        "en" => "US",
        "fr" => "FR",
        "de" => "DE",
        "es" => "ES",
        "it" => "IT",
        "pt" => "PT",
        "nl" => "NL",
        "sv" => "SE",
        "nb" | "no" => "NO",
        "da" => "DK",
        "fi" => "FI",
        "ru" => "RU",
        "tr" => "TR",
        "ro" => "RO",
        "hu" => "HU",
        "el" => "GR",
        "pl" => "PL",
        "cs" => "CZ",
        "ja" => "JP",
        "ko" => "KR",
        "zh" => "CN",
        "uk" => "UA",
        _ => return None,
    };
    let lang = if lang == "no" { "nb".to_string() } else { lang };
    Some(format!("{lang}_{territory}"))
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
            iso: crate::dates::rfc3339(z),
            display: crate::dates::day_label(z.date()),
            time: crate::dates::time_label(z),
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
    /// Pixel size, when known (local and static images).
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Whether it has renditions, to be shown as a `<picture>`.
    pub picture: bool,
    /// The `src` of an `<img>`: the widest rendition of the fallback
    /// format, else `url`.
    pub src: String,
    /// The `srcset` of the fallback format (JPEG; a PNG has none but its
    /// own file), when the image has renditions.
    pub srcset: Option<String>,
    /// The formats offered before the fallback (`<source>`): WebP.
    pub sources: Vec<SourceView>,
    /// The crops for cards and structured data: 16:9, 4:3, 1:1, those the
    /// image is large enough for.
    pub crops: Vec<CropView>,
    /// The image of share cards (`og:image`): the 16:9 crop, else the image.
    pub share: CropView,
    /// Where crops centre, as CSS `object-position` (`30% 60%`), when the
    /// front matter says.
    pub focus: Option<String>,
}

/// A `<source>` of a `<picture>`.
#[derive(Serialize)]
pub struct SourceView {
    #[serde(rename = "type")]
    pub mime: &'static str,
    pub srcset: String,
}

/// One image file at one size: a crop, or the image itself.
#[derive(Serialize)]
pub struct CropView {
    /// `16x9`, `4x3`, `1x1`; empty for the image itself.
    pub ratio: &'static str,
    pub url: String,
    pub absolute: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// `page.extra` of an article without one.
static NO_EXTRA: Value = Value::Null;

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
    pub content: Content<'a>,
    pub word_count: usize,
    pub reading_minutes: usize,
    pub extra: &'a Value,
    /// The article published just before this one.
    pub previous: Option<Card<'a>>,
    /// The article published just after this one.
    pub next: Option<Card<'a>>,
    /// Up to five articles sharing tags, most related first.
    pub related: Vec<Card<'a>>,
}

fn links<'a>(site: &'a Site, taxonomy: &'a Taxonomy, ids: &[usize]) -> Vec<LinkView<'a>> {
    ids.iter().map(|&id| link(site, taxonomy, id)).collect()
}

fn image_view<'a>(site: &'a Site, a: &'a Article) -> Option<ImageView<'a>> {
    let base = &site.config.base_url;
    let (url, meta) = a.image_url.as_ref().zip(a.meta.image.as_ref())?;
    let (url, absolute) = match url {
        ImageUrl::Site(path) => (base.link(path), base.absolute(path)),
        ImageUrl::Remote(u) => (u.clone(), u.clone()),
    };
    let renditions = &a.image_renditions;
    let path_of = |name: &str| crate::url::asset(&a.image_folder, name);
    let link_of = |name: &str| base.link(&path_of(name));
    let format = a.image_probe.and_then(|p| p.format);
    let fallback = format.and_then(|f| images::fallback(renditions, f));
    let sources: Vec<SourceView> = format
        .map(|f| images::sources(renditions, f))
        .unwrap_or_default()
        .into_iter()
        .map(|format| SourceView {
            mime: format.mime(),
            srcset: images::srcset(renditions, format, &link_of),
        })
        .collect();
    let crops: Vec<CropView> = renditions
        .iter()
        .filter_map(|r| match r.shape {
            Shape::Crop(ratio) => Some(CropView {
                ratio: ratio.name(),
                url: link_of(&r.name),
                absolute: base.absolute(&path_of(&r.name)),
                width: Some(r.width),
                height: Some(r.height),
            }),
            Shape::Width(_) => None,
        })
        .collect();
    let share = match crops.first().filter(|c| c.ratio == Ratio::Wide.name()) {
        Some(wide) => CropView {
            ratio: wide.ratio,
            url: wide.url.clone(),
            absolute: wide.absolute.clone(),
            width: wide.width,
            height: wide.height,
        },
        None => CropView {
            ratio: "",
            url: url.clone(),
            absolute: absolute.clone(),
            width: a.image_size.map(|(w, _)| w),
            height: a.image_size.map(|(_, h)| h),
        },
    };
    Some(ImageView {
        picture: !renditions.is_empty(),
        src: fallback.map_or_else(|| url.clone(), |f| link_of(&f.name)),
        srcset: fallback.map(|f| images::srcset(renditions, f.format, &link_of)),
        sources,
        crops,
        share,
        focus: meta.focus.map(images::Focus::css),
        url,
        absolute,
        alt: meta.alt.as_deref().unwrap_or(""),
        caption: meta.caption.as_deref(),
        credit: meta.credit.as_deref(),
        width: a.image_size.map(|(w, _)| w),
        height: a.image_size.map(|(_, h)| h),
    })
}

impl<'a> ArticleView<'a> {
    /// The view of article `id`; with `neighbours`, also the previous and
    /// next articles in time and the related ones, as `cards` makes them.
    pub fn new(
        site: &'a Site,
        id: usize,
        neighbours: bool,
        cards: &Cards<'_>,
    ) -> Result<Self, Diagnostic> {
        let a = &site.articles[id];
        let base = &site.config.base_url;
        let Neighbours {
            previous,
            next,
            related,
        } = match neighbours {
            true => Neighbours::new(site, id, cards),
            false => Neighbours::default(),
        };
        Ok(ArticleView {
            title: &a.meta.title,
            url: base.link(&a.path),
            permalink: base.absolute(&a.path),
            date: DateView::new(&a.meta.date),
            updated: a.meta.updated.as_ref().map(DateView::new),
            authors: links(site, &site.authors, &a.authors),
            section: a.section.map(|s| link(site, &site.sections, s)),
            tags: links(site, &site.tags, &a.tags),
            image: image_view(site, a),
            summary: a.summary(),
            content: match cards {
                Cards::Views => Content::Html(site.body(id)?),
                Cards::Fingerprints(_) => Content::Fingerprint(a.html_hash),
            },
            word_count: a.word_count,
            reading_minutes: a.word_count.div_ceil(230).max(1),
            extra: a.meta.extra.as_deref().unwrap_or(&NO_EXTRA),
            previous,
            next,
            related,
        })
    }
}

/// The articles shown beside an article on its page: all of its view that
/// other articles make. A page's fingerprint takes its view without them
/// (reused while the article is unchanged) and these apart.
#[derive(Serialize, Default)]
pub struct Neighbours<'a> {
    pub previous: Option<Card<'a>>,
    pub next: Option<Card<'a>>,
    pub related: Vec<Card<'a>>,
}

impl<'a> Neighbours<'a> {
    pub fn new(site: &'a Site, id: usize, cards: &Cards<'_>) -> Self {
        let card = |other: usize| cards.card(site, other);
        Neighbours {
            previous: (id + 1 < site.articles.len()).then(|| card(id + 1)),
            next: id.checked_sub(1).map(card),
            related: site.articles[id].related.iter().map(|&r| card(r)).collect(),
        }
    }
}

/// An article in a list or beside another: its view for templates, or,
/// when a page is only fingerprinted, the fingerprint of that view.
/// Templates only ever see views (serialized as the view itself).
#[derive(Serialize)]
#[serde(untagged)]
pub enum Card<'a> {
    View(Box<CardView<'a>>),
    Fingerprint(u64),
}

/// An article's body: its HTML for templates, or, when a page is only
/// fingerprinted, the fingerprint of that HTML (rendering it is then not
/// needed).
#[derive(Serialize)]
#[serde(untagged)]
pub enum Content<'a> {
    Html(Cow<'a, str>),
    Fingerprint(u64),
}

/// How cards are made: as views, or as their fingerprints, each taken
/// once per build (or reused from the last) and shared by every page that
/// shows the article.
pub enum Cards<'m> {
    Views,
    Fingerprints(&'m Taken<'m>),
}

impl Cards<'_> {
    pub fn card<'a>(&self, site: &'a Site, id: usize) -> Card<'a> {
        match self {
            Cards::Views => Card::View(Box::new(CardView::new(site, id))),
            Cards::Fingerprints(taken) => Card::Fingerprint(
                taken
                    .card(site, id, || {
                        Fingerprint::default()
                            .add_serialized(&CardView::new(site, id))
                            .finish()
                    })
                    .unwrap_or_else(|| unique_fingerprint(id)),
            ),
        }
    }
}

/// A fingerprint no earlier build can have recorded: for a view that could
/// not be fingerprinted (its pages are then always made).
pub fn unique_fingerprint(id: usize) -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    Fingerprint::default()
        .add(now)
        .add(id)
        .finish()
        .unwrap_or(u64::MAX)
}

/// An article in a list: what a card or a link needs.
#[derive(Serialize)]
pub struct CardView<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: DateView,
    pub summary: &'a str,
    pub section: Option<LinkView<'a>>,
    pub authors: Vec<LinkView<'a>>,
    pub image: Option<ImageView<'a>>,
}

impl<'a> CardView<'a> {
    pub fn new(site: &'a Site, id: usize) -> Self {
        let a = &site.articles[id];
        CardView {
            title: &a.meta.title,
            url: site.link(&a.path),
            date: DateView::new(&a.meta.date),
            summary: a.summary(),
            section: a.section.map(|s| link(site, &site.sections, s)),
            authors: links(site, &site.authors, &a.authors),
            image: image_view(site, a),
        }
    }
}

fn link<'a>(site: &'a Site, taxonomy: &'a Taxonomy, id: usize) -> LinkView<'a> {
    let t = taxonomy.get(id);
    LinkView {
        name: Cow::Borrowed(&t.name),
        url: site.link(&t.path),
    }
}

/// A link with a count: a term, a year, a month, a day.
#[derive(Serialize)]
pub struct CountView<'a> {
    pub name: Cow<'a, str>,
    pub url: String,
    pub count: usize,
}

/// Page navigation of a list: previous, next, and a window of page numbers
/// (first, last, and two either side of the current one), so that a list
/// of 500 pages gets a handful of links, not 500.
#[derive(Serialize)]
pub struct PagerView {
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PagerItem>,
}

#[derive(Serialize)]
pub struct PagerItem {
    /// `None` for a gap ("…").
    pub number: Option<usize>,
    pub url: Option<String>,
    pub current: bool,
}

impl PagerView {
    pub fn new(current: usize, total: usize, url_of: impl Fn(usize) -> String) -> Self {
        let mut pages = Vec::new();
        let mut last_shown = 0;
        for n in 1..=total {
            let shown = n == 1 || n == total || n.abs_diff(current) <= 2;
            if !shown {
                continue;
            }
            if n > last_shown + 1 {
                pages.push(PagerItem {
                    number: None,
                    url: None,
                    current: false,
                });
            }
            pages.push(PagerItem {
                number: Some(n),
                url: Some(url_of(n)),
                current: n == current,
            });
            last_shown = n;
        }
        PagerView {
            current,
            total,
            previous: (current > 1).then(|| url_of(current - 1)),
            next: (current < total).then(|| url_of(current + 1)),
            pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_take_open_graph_form() {
        assert_eq!(og_locale("en").as_deref(), Some("en_US"));
        assert_eq!(og_locale("en-GB").as_deref(), Some("en_GB"));
        assert_eq!(og_locale("fr").as_deref(), Some("fr_FR"));
        assert_eq!(og_locale("pt-br").as_deref(), Some("pt_BR"));
        assert_eq!(og_locale("no").as_deref(), Some("nb_NO"));
        assert_eq!(og_locale("zh-Hant-TW").as_deref(), Some("zh_TW"));
        assert_eq!(og_locale("xx"), None);
    }

    use super::PagerView;

    fn numbers(p: &PagerView) -> Vec<Option<usize>> {
        p.pages.iter().map(|i| i.number).collect()
    }

    #[test]
    fn pager_stays_small_on_long_lists() {
        let p = PagerView::new(250, 500, |n| format!("/page/{n}/"));
        assert_eq!(
            numbers(&p),
            [
                Some(1),
                None,
                Some(248),
                Some(249),
                Some(250),
                Some(251),
                Some(252),
                None,
                Some(500)
            ]
        );
        assert_eq!(p.previous.as_deref(), Some("/page/249/"));
        assert_eq!(p.next.as_deref(), Some("/page/251/"));
        assert!(p.pages.iter().any(|i| i.current && i.number == Some(250)));
    }

    #[test]
    fn pager_edges() {
        let first = PagerView::new(1, 3, |n| n.to_string());
        assert_eq!(numbers(&first), [Some(1), Some(2), Some(3)]);
        assert!(first.previous.is_none() && first.next.as_deref() == Some("2"));
        let last = PagerView::new(7, 7, |n| n.to_string());
        assert_eq!(numbers(&last), [Some(1), None, Some(5), Some(6), Some(7)]);
        assert!(last.next.is_none());
        let one = PagerView::new(1, 1, |n| n.to_string());
        assert_eq!(numbers(&one), [Some(1)]);
    }
}
