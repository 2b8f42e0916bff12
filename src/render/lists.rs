//! Contexts of list pages: home, term and date lists (paginated), the term
//! lists (`/tags/`), and the archive. Each page borrows only the articles
//! it shows, so the cost of a page does not grow with the archive.

use std::borrow::Cow;

use super::Data;
use serde::Serialize;

use jiff::civil::Date;

use super::views::{Card, CountView, LinkView, PagerView};
use crate::dates::{day_label, month_label};
use crate::site::Site;
use crate::site::indices::{Kind, ListId};
use crate::site::profiles::{Profile, ProfileLink};
use crate::url;

/// `list` in `index.html` and `list.html`.
#[derive(Serialize)]
pub struct ListView<'a> {
    /// `home`, `tag`, `section`, `author`, `year`, `month` or `day`.
    pub kind: &'static str,
    /// The name shown: "NATO", "2024", "January 2024", "January 5, 2024".
    pub name: Cow<'a, str>,
    /// The page's title, told apart by kind: "Tagged: NATO", "Section:
    /// World", "Articles by Jane Doe", "2024" (the site title at home).
    pub title: String,
    /// What the page holds, page N included: "3 articles tagged NATO on
    /// Fixture News, page 2 of 2." (the site's description at home).
    pub description: String,
    /// Link of page 1.
    pub url: String,
    /// Articles in the whole list.
    pub total: usize,
    pub articles: Vec<Card<'a>>,
    pub pager: PagerView,
    /// Months of a year page, days of a month page.
    pub children: Vec<CountView<'a>>,
    /// The year of a month page, the month of a day page.
    pub parent: Option<LinkView<'a>>,
    pub profile: Option<ProfileView<'a>>,
    /// Link of the list's Atom feed (home and term lists).
    pub feed: Option<String>,
}

/// An author's profile, with the photo's link resolved.
#[derive(Serialize)]
pub struct ProfileView<'a> {
    pub bio: Option<&'a str>,
    pub photo: Option<String>,
    pub links: &'a [ProfileLink],
}

impl<'a> ProfileView<'a> {
    fn new(site: &Site, p: &'a Profile) -> Self {
        let photo = p.photo.as_ref().map(|photo| {
            if photo.starts_with('/') {
                site.link(photo)
            } else {
                photo.clone()
            }
        });
        ProfileView {
            bio: p.bio.as_deref(),
            photo,
            links: &p.links,
        }
    }
}

/// The first of a month, for labels (always a valid date: `m` is 1-12).
fn first_of(y: i16, m: i8) -> Date {
    Date::new(y, m, 1).unwrap_or_default()
}

fn month_only(m: i8) -> String {
    crate::dates::month_name(m).to_string()
}

fn date_label(y: i16, m: i8, d: i8) -> String {
    Date::new(y, m, d).map(day_label).unwrap_or_default()
}

pub fn list<'a>(site: &'a Site, list: ListId, page: usize, data: &mut Data) -> &'static str {
    let ids = site.list(list);
    let shown = site.shown(list, page);
    let path = site.list_path(list);
    let pager = PagerView::new(page, site.page_count(list), |n| {
        site.link(&url::page(&path, n))
    });
    let (kind, name): (&'static str, Cow<'a, str>) = match list {
        ListId::Home => ("home", Cow::Borrowed(site.config.title.as_str())),
        ListId::Term(kind, id) => (
            kind.name(),
            Cow::Borrowed(site.taxonomy(kind).get(id).name.as_str()),
        ),
        ListId::Year(y) => ("year", Cow::Owned(y.to_string())),
        ListId::Month(y, m) => ("month", Cow::Owned(month_label(first_of(y, m)))),
        ListId::Day(y, m, d) => ("day", Cow::Owned(date_label(y, m, d))),
    };
    let title = match list {
        ListId::Term(Kind::Tag, _) => format!("Tagged: {name}"),
        ListId::Term(Kind::Section, _) => format!("Section: {name}"),
        ListId::Term(Kind::Author, _) => format!("Articles by {name}"),
        _ => name.to_string(),
    };
    let description = list_description(site, list, &name, ids.len(), page, pager.total);
    let view = ListView {
        kind,
        name,
        title,
        description,
        url: site.link(&path),
        total: ids.len(),
        articles: shown
            .iter()
            .map(|&id| data.cards().card(site, id))
            .collect(),
        pager,
        children: children(site, list),
        parent: parent(site, list),
        feed: matches!(list, ListId::Home | ListId::Term(..)).then(|| site.link(&url::feed(&path))),
        profile: match list {
            ListId::Term(Kind::Author, id) => site
                .profiles
                .get(id)
                .and_then(Option::as_ref)
                .map(|p| ProfileView::new(site, p)),
            _ => None,
        },
    };
    let crumbs = crumbs(site, list, page, &view.title);
    data.put_made("jsonld", &(&view.title, &view.description, &crumbs), || {
        super::jsonld::collection_page(site, &view.title, &view.description, &crumbs)
    });
    data.put("list", &view);
    if list == ListId::Home {
        "index.html"
    } else {
        "list.html"
    }
}

/// The way from the home page to page `page` of a list, as (name,
/// absolute URL): the home page, then the index of a term's kind or the
/// year and month of a date, then the list.
fn crumbs(site: &Site, list: ListId, page: usize, title: &str) -> Vec<(String, String)> {
    let base = &site.config.base_url;
    let mut out = vec![(site.config.title.clone(), base.root())];
    let mut add = |name: String, path: &str| out.push((name, base.absolute(path)));
    match list {
        ListId::Home => {}
        ListId::Term(kind, _) => add(
            crate::render::views::index_name(kind).to_string(),
            &url::terms(kind.folder()),
        ),
        ListId::Year(_) => {}
        ListId::Month(y, _) => add(y.to_string(), &site.list_path(ListId::Year(y))),
        ListId::Day(y, m, _) => {
            add(y.to_string(), &site.list_path(ListId::Year(y)));
            add(
                month_label(first_of(y, m)),
                &site.list_path(ListId::Month(y, m)),
            );
        }
    }
    if list != ListId::Home {
        add(title.to_string(), &url::page(&site.list_path(list), page));
    }
    out
}

fn list_description(
    site: &Site,
    list: ListId,
    name: &str,
    total: usize,
    page: usize,
    pages: usize,
) -> String {
    let site_title = &site.config.title;
    let page_part = match page {
        1 => String::new(),
        n => format!(", page {n} of {pages}"),
    };
    if list == ListId::Home {
        return match page {
            1 => site.config.description.clone(),
            _ => format!("Earlier news from {site_title}{page_part}."),
        };
    }
    let articles = if total == 1 { "article" } else { "articles" };
    let what = match list {
        ListId::Term(Kind::Tag, _) => format!("tagged {name}"),
        ListId::Term(Kind::Author, _) => format!("by {name}"),
        ListId::Term(Kind::Section, _) => format!("in the {name} section"),
        _ => format!("published in {name}"),
    };
    format!("{total} {articles} {what} on {site_title}{page_part}.")
}

fn children<'a>(site: &'a Site, list: ListId) -> Vec<CountView<'a>> {
    let count = |label: String, list: ListId| CountView {
        name: Cow::Owned(label),
        url: site.link(&site.list_path(list)),
        count: site.list(list).len(),
    };
    match list {
        ListId::Year(y) => site
            .dates
            .months
            .range((y, 1)..=(y, 12))
            .map(|(&(y, m), _)| count(month_only(m), ListId::Month(y, m)))
            .collect(),
        ListId::Month(y, m) => site
            .dates
            .days
            .range((y, m, 1)..=(y, m, 31))
            .map(|(&(y, m, d), _)| count(date_label(y, m, d), ListId::Day(y, m, d)))
            .collect(),
        _ => Vec::new(),
    }
}

fn parent<'a>(site: &'a Site, list: ListId) -> Option<LinkView<'a>> {
    let (name, list) = match list {
        ListId::Month(y, _) => (y.to_string(), ListId::Year(y)),
        ListId::Day(y, m, _) => (month_label(first_of(y, m)), ListId::Month(y, m)),
        _ => return None,
    };
    Some(LinkView {
        name: Cow::Owned(name),
        url: site.link(&site.list_path(list)),
    })
}

/// `terms` in `terms.html`: every tag, section or author with its count.
#[derive(Serialize)]
pub struct TermsView<'a> {
    pub kind: &'static str,
    /// "Tags", "Sections", "Authors".
    pub title: &'static str,
    pub url: String,
    pub items: Vec<CountView<'a>>,
}

pub fn terms(site: &Site, kind: Kind, data: &mut Data) -> &'static str {
    let title = crate::render::views::index_name(kind);
    let view = TermsView {
        kind: kind.name(),
        title,
        url: site.link(&url::terms(kind.folder())),
        items: site
            .taxonomy(kind)
            .terms
            .iter()
            .map(|t| CountView {
                name: Cow::Borrowed(&t.name),
                url: site.link(&t.path),
                count: t.articles.len(),
            })
            .collect(),
    };
    data.put("terms", &view);
    "terms.html"
}

#[derive(Serialize)]
struct YearView<'a> {
    year: i16,
    url: String,
    count: usize,
    months: Vec<CountView<'a>>,
}

/// `archive` in `archive.html`: years (newest first) with their months.
pub fn archive(site: &Site, data: &mut Data) -> &'static str {
    let years: Vec<YearView<'_>> = site
        .dates
        .years
        .iter()
        .rev()
        .map(|(&y, ids)| YearView {
            year: y,
            url: site.link(&site.list_path(ListId::Year(y))),
            count: ids.len(),
            months: children(site, ListId::Year(y)),
        })
        .collect();
    data.put("archive", &years);
    "archive.html"
}
