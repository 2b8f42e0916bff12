//! Archive navigation: home, date, tag, section and author lists, their
//! pagination, name merging, and what is left out of them.

use crate::harness::{Built, build};

/// The links of the `<article>` elements inside `<main>`, in order.
fn listed(html: &str) -> Vec<String> {
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    main.split("<article")
        .skip(1)
        .map(|a| {
            let href = a.find("href=\"").unwrap() + 6;
            a[href..href + a[href..].find('"').unwrap()].to_string()
        })
        .collect()
}

fn built() -> Built {
    let built = build("indices");
    built.assert_ok();
    built
}

const E: &str = "/2024/03/01/echo-latest/";
const D1: &str = "/2024/02/01/delta-same-instant/";
const D2: &str = "/2024/02/01/zulu-same-instant/";
const C: &str = "/2023/12/31/charlie-council-vote/";
const B: &str = "/2023/06/05/bravo-ferry-talks/";
const A: &str = "/2023/01/10/alpha-harbour-opens/";

#[test]
fn home_is_paginated_newest_first_with_equal_dates_by_url() {
    let b = built();
    assert_eq!(listed(&b.read("index.html")), [E, D1]);
    assert_eq!(listed(&b.read("page/2/index.html")), [D2, C]);
    assert_eq!(listed(&b.read("page/3/index.html")), [B, A]);
    assert!(!b.exists("page/1/index.html"), "page 1 is the list itself");
    assert!(!b.exists("page/4/index.html"), "no empty pages");
    let page2 = b.read("page/2/index.html");
    assert!(page2.contains(r#"<a href="/" rel="prev">"#));
    assert!(page2.contains(r#"<a href="/page/3/" rel="next">"#));
}

#[test]
fn pagination_edges() {
    let b = built();
    // Exactly per_page (2) items: one page.
    assert_eq!(listed(&b.read("2024/02/index.html")), [D1, D2]);
    assert!(!b.exists("2024/02/page/2/index.html"));
    // per_page + 1: two pages, the second with one item.
    assert_eq!(listed(&b.read("2024/index.html")), [E, D1]);
    assert_eq!(listed(&b.read("2024/page/2/index.html")), [D2]);
    // Four items: two full pages, no third.
    assert_eq!(
        listed(&b.read("authors/ann-reporter/page/2/index.html")),
        [B, A]
    );
    assert!(!b.exists("authors/ann-reporter/page/3/index.html"));
    // Zero: no page at all.
    assert!(!b.exists("2022/index.html"));
}

#[test]
fn day_pages_follow_the_site_time_zone() {
    let b = built();
    // 22:30 at -04:00 on Dec 31 is Jan 1 in UTC: it is a Dec 31 article.
    assert_eq!(listed(&b.read("2023/12/31/index.html")), [C]);
    assert!(!b.exists("2024/01/01/index.html"));
    assert!(!b.exists("2024/01/index.html"));
}

#[test]
fn year_and_month_pages_link_down() {
    let b = built();
    let year = b.read("2023/index.html");
    for month in [
        r#"<a href="/2023/01/">January</a> <span class="count">(1)</span>"#,
        r#"<a href="/2023/06/">June</a>"#,
        r#"<a href="/2023/12/">December</a>"#,
    ] {
        assert!(year.contains(month), "{month}");
    }
    let month = b.read("2024/02/index.html");
    assert!(
        month.contains(
            r#"<a href="/2024/02/01/">February 1, 2024</a> <span class="count">(2)</span>"#
        )
    );
    assert!(
        month.contains(r#"<a href="/2024/">2024</a>"#),
        "month links up to its year"
    );
}

#[test]
fn archive_lists_years_and_months_with_counts() {
    let b = built();
    let archive = b.read("archive/index.html");
    assert!(archive.contains(r#"<a href="/2024/">2024</a> <span class="count">(3)</span>"#));
    assert!(archive.contains(r#"<a href="/2023/12/">December</a> <span class="count">(1)</span>"#));
    assert!(
        archive.find("/2024/").unwrap() < archive.find("/2023/").unwrap(),
        "newest year first"
    );
}

#[test]
fn names_merge_with_the_majority_spelling() {
    let b = built();
    let tags = b.read("tags/index.html");
    assert!(
        tags.contains(
            r#"<a href="/tags/ferry-service/">Ferry service</a> <span class="count">(3)</span>"#
        ),
        "{tags}"
    );
    assert!(!tags.contains("Ferry Service"));
    assert_eq!(listed(&b.read("tags/ferry-service/index.html")), [C, B]);
    assert_eq!(listed(&b.read("sections/harbour/index.html")), [E, B]);
    assert!(
        b.read(&format!("{}index.html", &A[1..]))
            .contains(r#"<a href="/sections/harbour/">Harbour</a>"#)
    );
}

#[test]
fn co_authored_articles_are_on_both_author_pages() {
    let b = built();
    assert!(listed(&b.read("authors/ann-reporter/page/2/index.html")).contains(&B.to_string()));
    assert_eq!(listed(&b.read("authors/ben-writer/page/2/index.html")), [B]);
    let authors = b.read("authors/index.html");
    assert!(authors.contains(
        r#"<a href="/authors/ann-reporter/">Ann Reporter</a> <span class="count">(4)</span>"#
    ));
    assert!(authors.contains(
        r#"<a href="/authors/ben-writer/">Ben Writer</a> <span class="count">(3)</span>"#
    ));
}

#[test]
fn drafts_and_future_articles_are_in_no_index() {
    let b = built();
    for file in b.files() {
        if file.ends_with(".html") {
            let html = b.read(&file);
            for hidden in [
                "Secret Draft Story",
                "Future Scheduled Story",
                "Hidden Tag",
                "Future Person",
                "Future Section",
            ] {
                assert!(!html.contains(hidden), "{hidden} in {file}");
            }
        }
    }
    assert!(!b.exists("tags/hidden-tag/index.html"));
    assert!(!b.exists("authors/future-person/index.html"));
    assert!(!b.exists("2099/index.html"));
}

#[test]
fn articles_link_to_neighbours_and_related() {
    let b = built();
    let html = b.read(&format!("{}index.html", &D1[1..]));
    assert!(html.contains(&format!(
        r#"Previous: <a href="{D2}" rel="prev">Zulu Same Instant</a>"#
    )));
    assert!(html.contains(&format!(
        r#"Next: <a href="{E}" rel="next">Echo Latest</a>"#
    )));
    let more = &html[html.find("<aside class=\"more\"").unwrap()..];
    let related: Vec<&str> = more
        .split("<li><a href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(
        &related[..2],
        [D2, A],
        "articles sharing the tag Boats, nearest first"
    );
    // Related links stay outside the article element.
    assert!(html.find("</article>").unwrap() < html.find("<aside class=\"more\"").unwrap());
}

#[test]
fn author_profiles_show_and_feed_structured_data() {
    let b = built();
    let page = b.read("authors/ann-reporter/index.html");
    assert!(page.contains("Covers the harbour &amp; the council."));
    assert!(page.contains(r#"<img class="profile-photo" src="/img/ann.png""#));
    assert!(page.contains(r#"<a href="https://ann.example.com/" rel="me">Website</a>"#));
    let data = crate::harness::json_ld(&b.read(&format!("{}index.html", &E[1..])));
    assert_eq!(data["author"][0]["sameAs"][0], "https://ann.example.com/");
    assert_eq!(
        data["author"][0]["description"],
        "Covers the harbour & the council."
    );
}

#[test]
fn list_pages_hold_one_article_per_item() {
    let b = built();
    for file in [
        "index.html",
        "tags/council/index.html",
        "2023/index.html",
        "authors/ben-writer/index.html",
    ] {
        let html = b.read(file);
        let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
        assert_eq!(main.matches("<article").count(), listed(&html).len());
        assert!(main.matches("<nav").count() <= 2);
        for nav in main.split("<nav").skip(1) {
            assert!(
                !nav[..nav.find("</nav>").unwrap()].contains("<article"),
                "navigation outside articles"
            );
        }
    }
}
