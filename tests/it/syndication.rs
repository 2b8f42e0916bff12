//! Feeds, sitemaps, the news sitemap, robots.txt, 404 and the search bundle.

use std::path::Path;
use std::process::Command;

use crate::harness::{Built, build, build_root, build_with, copy_fixture};

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn children<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    node.children()
        .filter(|n| n.tag_name().name() == name)
        .collect()
}

fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    children(node, name)
        .first()
        .and_then(|n| n.text())
        .unwrap_or_default()
}

/// The (title, id) of every entry of a feed, after checking it is Atom.
fn entries(xml: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(xml).expect("feed parses as XML");
    let feed = doc.root_element();
    assert_eq!(
        (feed.tag_name().namespace(), feed.tag_name().name()),
        (Some(ATOM), "feed")
    );
    for required in ["title", "id", "updated"] {
        assert!(
            !child_text(feed, required).is_empty(),
            "feed without {required}"
        );
    }
    children(feed, "entry")
        .into_iter()
        .map(|e| {
            for required in ["id", "updated", "published"] {
                assert!(
                    !child_text(e, required).is_empty(),
                    "entry without {required}"
                );
            }
            assert!(!children(e, "author").is_empty(), "entry without author");
            (
                child_text(e, "title").to_string(),
                child_text(e, "id").to_string(),
            )
        })
        .collect()
}

/// Validates an XML file against one of the committed schemas with xmllint.
pub fn xmllint(schema: &str, file: &Path) {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(schema);
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .arg(file)
        .output()
        .expect("xmllint is installed (Debian package libxml2-utils; .ci/run installs it)");
    assert!(
        out.status.success(),
        "{} does not validate:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn site_feed_lists_newest_first_with_authors_and_categories() {
    let built = build("basic");
    let feed = built.read("feed.xml");
    assert_eq!(
        entries(&feed),
        [
            (
                "Written Response Handed to Moscow".to_string(),
                "https://news.example.com/2022/01/27/written-response-handed-to-moscow/"
                    .to_string()
            ),
            (
                "Talks Open in Geneva".to_string(),
                "https://news.example.com/2021/05/03/talks-open-in-geneva/".to_string()
            ),
        ]
    );
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let first = children(doc.root_element(), "entry")[0];
    let authors: Vec<_> = children(first, "author")
        .iter()
        .map(|a| child_text(*a, "name"))
        .collect();
    assert_eq!(authors, ["Jane Doe", "Li Wei"]);
    assert_eq!(child_text(first, "published"), "2022-01-27T06:00:00+00:00");
    assert_eq!(child_text(first, "updated"), "2023-03-20T11:18:00+00:00");
    let labels: Vec<_> = children(first, "category")
        .iter()
        .map(|c| c.attribute("label").unwrap())
        .collect();
    assert_eq!(labels, ["World", "Diplomacy", "NATO", "Ukraine"]);
    assert_eq!(
        child_text(first, "summary"),
        "Washington answers Moscow in writing."
    );
    assert_eq!(
        child_text(doc.root_element(), "updated"),
        "2023-03-20T11:18:00+00:00"
    );
}

#[test]
fn term_feeds_and_their_links() {
    let built = build("basic");
    let nato: Vec<String> = entries(&built.read("tags/nato/feed.xml"))
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(
        nato,
        ["Written Response Handed to Moscow", "Talks Open in Geneva"]
    );
    assert_eq!(entries(&built.read("authors/li-wei/feed.xml")).len(), 2);
    assert_eq!(entries(&built.read("sections/world/feed.xml")).len(), 2);
    assert!(built.read("index.html").contains(r#"<link rel="alternate" type="application/atom+xml" title="Fixture News" href="/feed.xml">"#));
    assert!(
        built
            .read("tags/nato/index.html")
            .contains(r#"href="/tags/nato/feed.xml""#)
    );
}

#[test]
fn hostile_titles_survive_feeds_intact() {
    let built = build("hostile");
    let titles: Vec<String> = entries(&built.read("feed.xml"))
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(
        titles,
        ["</script><script>alert('t')</script> & \"quoted\" <b>"]
    );
    let doc_text = built.read("feed.xml");
    let doc = roxmltree::Document::parse(&doc_text).unwrap();
    assert_eq!(
        child_text(doc.root_element(), "title"),
        "Site </title><script>alert(1)</script>"
    );
}

#[test]
fn feed_limit_and_full_content() {
    let site = copy_fixture("basic");
    let config = site.path().join("gazette.toml");
    let text =
        std::fs::read_to_string(&config).unwrap() + "[feeds]\nlimit = 1\nfull_content = true\n";
    std::fs::write(&config, text).unwrap();
    let built = build_root(&site, |_| {});
    built.assert_ok();
    let feed = built.read("feed.xml");
    assert_eq!(entries(&feed).len(), 1);
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let content = children(children(doc.root_element(), "entry")[0], "content")[0];
    assert_eq!(content.attribute("type"), Some("html"));
    assert_eq!(
        content.attribute(("http://www.w3.org/XML/1998/namespace", "base")),
        Some("https://news.example.com/2022/01/27/written-response-handed-to-moscow/")
    );
    assert!(
        content
            .text()
            .unwrap()
            .contains("<a href=\"/2021/05/03/talks-open-in-geneva/#outcome\">")
    );
}

fn sitemap_locs(built: &Built, file: &str) -> Vec<String> {
    let xml = built.read(file);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    children(doc.root_element(), "url")
        .iter()
        .map(|u| child_text(*u, "loc").to_string())
        .collect()
}

#[test]
fn sitemap_has_every_page_but_redirects_and_404() {
    let built = build("basic");
    xmllint("sitemap.xsd", &built.out.join("sitemap.xml"));
    let locs = sitemap_locs(&built, "sitemap.xml");
    let html_pages: Vec<String> = built
        .files()
        .into_iter()
        .filter(|f| f.ends_with("index.html"))
        .map(|f| {
            format!(
                "https://news.example.com/{}",
                f.trim_end_matches("index.html")
            )
        })
        .filter(|u| !u.contains("/stories/"))
        .collect();
    let mut sorted = locs.clone();
    sorted.sort();
    let mut expected = html_pages.clone();
    expected.sort();
    assert_eq!(sorted, expected);
    assert!(
        !locs
            .iter()
            .any(|l| l.contains("old/cms") || l.contains("404"))
    );
    let xml = built.read("sitemap.xml");
    assert!(xml.contains("<loc>https://news.example.com/2022/01/27/written-response-handed-to-moscow/</loc>\n  <lastmod>2023-03-20T11:18:00+00:00</lastmod>"));
    // A list page changed when the newest change among its articles was:
    // the home page when the 2022 article was updated, the 2021 page
    // when its own article was written.
    assert!(xml.contains(
        "<loc>https://news.example.com/</loc>\n  <lastmod>2023-03-20T11:18:00+00:00</lastmod>"
    ));
    assert!(xml.contains(
        "<loc>https://news.example.com/2021/</loc>\n  <lastmod>2021-05-03T00:00:00+00:00</lastmod>"
    ));
}

#[test]
fn robots_404_and_search_bundle() {
    let built = build("basic");
    assert_eq!(
        built.read("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://news.example.com/sitemap.xml\n",
        "no news in the last 48 hours: no news sitemap to name"
    );
    assert!(
        !built.exists("news-sitemap.xml"),
        "an empty one is not a valid sitemap"
    );
    assert!(built.read("404.html").contains("Page not found"));
    let search = built.read("search/index.html");
    assert!(search.contains(r#"data-index="/search-index/""#));
    assert!(built.exists("search-index/meta.json"));
}

#[test]
fn news_sitemap_holds_the_last_48_hours() {
    // Build time: 2025-06-15T00:00:00Z. Even with --future and --drafts,
    // the article of tomorrow and the draft stay out only when unpublished.
    let built = build("news");
    built.assert_ok();
    assert!(
        built
            .read("robots.txt")
            .contains("Sitemap: https://news.example.com/news-sitemap.xml\n")
    );
    let xml = built.read("news-sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("news sitemap parses");
    let news = "http://www.google.com/schemas/sitemap-news/0.9";
    let urls = children(doc.root_element(), "url");
    let got: Vec<(String, String, String)> = urls
        .iter()
        .map(|u| {
            let n = u
                .children()
                .find(|c| c.tag_name() == (news, "news").into())
                .expect("news:news");
            let publication = n
                .children()
                .find(|c| c.tag_name().name() == "publication")
                .unwrap();
            assert_eq!(child_text(publication, "name"), "Harbour & <News>");
            assert_eq!(child_text(publication, "language"), "en-CA");
            (
                child_text(*u, "loc").to_string(),
                child_text(n, "publication_date").to_string(),
                child_text(n, "title").to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "https://news.example.com/2025/06/14/fish-chips-special-quoted/".into(),
                "2025-06-14T23:00:00+00:00".into(),
                "Fish & Chips <Special> \"Quoted\"".into()
            ),
            (
                "https://news.example.com/2025/06/13/forty-seven-hours-before/".into(),
                "2025-06-13T01:00:00+00:00".into(),
                "Forty-seven hours before".into()
            ),
            (
                "https://news.example.com/2025/06/13/exactly-forty-eight-hours-before/".into(),
                "2025-06-13T00:00:00+00:00".into(),
                "Exactly forty-eight hours before".into()
            ),
        ]
    );
    let with_future = build_with("news", |o| o.future = true);
    assert!(
        !with_future.read("news-sitemap.xml").contains("Tomorrow"),
        "after the build time is not news yet"
    );
}

#[test]
fn sitemap_splits_above_50000_urls() {
    // 17,000 articles, each on its own day with its own tag: article, day
    // and tag pages alone make 51,000 URLs.
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("gazette.toml"),
        "title = \"Big\"\nbase_url = \"https://big.example.com/\"\nper_page = 1000\n",
    )
    .unwrap();
    let content = site.path().join("content");
    std::fs::create_dir(&content).unwrap();
    let start = jiff::civil::date(1960, 1, 1);
    for i in 0..17_000 {
        let day = start.checked_add(jiff::Span::new().days(i)).unwrap();
        std::fs::write(
            content.join(format!("a{i}.md")),
            format!("---\ntitle: Story {i}\ndate: {day}\ntags: [t{i}]\n---\nx\n"),
        )
        .unwrap();
    }
    let built = build_root(&site, |o| o.search = false);
    built.assert_ok();
    let index = built.read("sitemap.xml");
    xmllint("siteindex.xsd", &built.out.join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&index).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let locs: Vec<_> = children(doc.root_element(), "sitemap")
        .iter()
        .map(|s| child_text(*s, "loc").to_string())
        .collect();
    assert_eq!(
        locs,
        [
            "https://big.example.com/sitemaps/1.xml",
            "https://big.example.com/sitemaps/2.xml"
        ]
    );
    let first = sitemap_locs(&built, "sitemaps/1.xml");
    let second = sitemap_locs(&built, "sitemaps/2.xml");
    assert_eq!(first.len(), 50_000);
    assert!(!second.is_empty());
    let html_pages = built
        .files()
        .iter()
        .filter(|f| f.ends_with("index.html"))
        .count();
    assert_eq!(
        first.len() + second.len(),
        html_pages,
        "every page once, across the chunks"
    );
    xmllint("sitemap.xsd", &built.out.join("sitemaps/1.xml"));
    xmllint("sitemap.xsd", &built.out.join("sitemaps/2.xml"));
}
