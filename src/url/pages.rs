//! The site path of every page gazette makes besides articles: lists and
//! their pages, taxonomies, feeds, sitemaps, fixed pages, and the files
//! copied next to an article.

use super::percent_encode_name;

/// The home page: page 1 of the list of every article.
pub const HOME: &str = "/";
/// Every year and month, with counts.
pub const ARCHIVE: &str = "/archive/";
pub const SEARCH: &str = "/search/";
pub const NOT_FOUND: &str = "/404.html";
/// The sitemap, or the sitemap index when the sitemap is split.
pub const SITEMAP: &str = "/sitemap.xml";
pub const NEWS_SITEMAP: &str = "/news-sitemap.xml";
pub const ROBOTS: &str = "/robots.txt";

/// A static file, by its path below `static/` (`img/a.jpg` -> `/img/a.jpg`).
pub fn static_file(rel: &str) -> String {
    format!("/{rel}")
}

/// The list of a year: `/2024/`.
pub fn year(y: i16) -> String {
    format!("/{y:04}/")
}

/// The list of a month: `/2024/01/`.
pub fn month(y: i16, m: i8) -> String {
    format!("/{y:04}/{m:02}/")
}

/// The list of a day: `/2024/01/05/`.
pub fn day(y: i16, m: i8, d: i8) -> String {
    format!("/{y:04}/{m:02}/{d:02}/")
}

/// Every term of a taxonomy, by the taxonomy's folder: `/tags/`.
pub fn terms(folder: &str) -> String {
    format!("/{folder}/")
}

/// The list of one term: `/tags/nato/`.
pub fn term(folder: &str, slug: &str) -> String {
    format!("/{folder}/{slug}/")
}

/// Page `n` (1-based) of the list at `list`: page 1 is the list itself,
/// later pages are `page/N/` below it.
pub fn page(list: &str, n: usize) -> String {
    if n <= 1 {
        list.to_string()
    } else {
        format!("{list}page/{n}/")
    }
}

/// The Atom feed of the list at `list`: `/feed.xml`, `/tags/nato/feed.xml`.
pub fn feed(list: &str) -> String {
    format!("{list}feed.xml")
}

/// Chunk `n` (1-based) of a sitemap split into several: `/sitemaps/2.xml`.
pub fn sitemap_chunk(n: usize) -> String {
    format!("/sitemaps/{n}.xml")
}

/// Where a file copied next to the page at `page_path` is written: the
/// file name as is, the way a server finds it once a link is decoded.
pub fn asset_path(page_path: &str, name: &str) -> String {
    format!("{page_path}{name}")
}

/// The address of a file next to a page, with its name percent-encoded:
/// `page` is the page's site path or its link.
pub fn asset(page: &str, name: &str) -> String {
    format!("{page}{}", percent_encode_name(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_one_is_the_list_itself() {
        assert_eq!(page("/tags/nato/", 1), "/tags/nato/");
        assert_eq!(page("/tags/nato/", 2), "/tags/nato/page/2/");
        assert_eq!(page(HOME, 3), "/page/3/");
    }

    #[test]
    fn dates_are_padded() {
        assert_eq!(year(987), "/0987/");
        assert_eq!(month(2024, 1), "/2024/01/");
        assert_eq!(day(2024, 1, 5), "/2024/01/05/");
    }

    #[test]
    fn feeds_terms_and_assets() {
        assert_eq!(feed(HOME), "/feed.xml");
        assert_eq!(feed(&term("tags", "nato")), "/tags/nato/feed.xml");
        assert_eq!(terms("authors"), "/authors/");
        assert_eq!(sitemap_chunk(2), "/sitemaps/2.xml");
        assert_eq!(asset_path("/a/", "my chart.png"), "/a/my chart.png");
        assert_eq!(asset("/a/", "my chart.png"), "/a/my%20chart.png");
    }
}
