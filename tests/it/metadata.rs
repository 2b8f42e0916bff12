//! What every page tells search engines and social sites: a canonical URL
//! on every indexable page, titles and descriptions that tell pages apart,
//! Open Graph in the forms the consumers expect, and the index pages
//! linked from every page.

use std::fs;

use crate::harness::{build, build_root, copy_fixture};

/// The `href` of each `<link rel="canonical">` in a page.
fn canonicals(html: &str) -> Vec<&str> {
    html.match_indices(r#"<link rel="canonical" href=""#)
        .map(|(at, m)| {
            let rest = &html[at + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let at = html.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    &html[at..at + html[at..].find(end).unwrap()]
}

#[test]
fn every_indexable_page_has_one_canonical_url_of_its_own() {
    let built = build("basic");
    built.assert_ok();
    let aliases = ["old/cms/1234.html", "stories/response/index.html"];
    let mut pages = 0;
    for file in built.files().iter().filter(|f| f.ends_with(".html")) {
        let html = built.read(file);
        let found = canonicals(&html);
        if file == "404.html" {
            assert!(found.is_empty(), "404.html: {found:?}");
            continue;
        }
        if aliases.contains(&file.as_str()) {
            assert_eq!(
                found,
                ["https://news.example.com/2022/01/27/written-response-handed-to-moscow/"],
                "{file}: a redirect names its article"
            );
            assert!(
                !html.contains("noindex"),
                "{file}: canonical and noindex disagree"
            );
            continue;
        }
        let own = format!(
            "https://news.example.com/{}",
            file.strip_suffix("index.html").unwrap()
        );
        assert_eq!(found, [own.as_str()], "{file}");
        pages += 1;
    }
    assert!(pages >= 20, "only {pages} pages checked");
}

#[test]
fn a_tag_and_a_section_of_one_name_are_told_apart() {
    let site = copy_fixture("basic");
    let talks = site.path().join("content/2021/05/talks.md");
    let text = fs::read_to_string(&talks).unwrap();
    fs::write(&talks, text.replacen("tags: [", "tags: [World, ", 1)).unwrap();
    let built = build_root(&site, |_| {});
    built.assert_ok();
    let (tag, section) = (
        built.read("tags/world/index.html"),
        built.read("sections/world/index.html"),
    );
    let title = |html: &str| between(html, "<title>", "</title>").to_string();
    let description =
        |html: &str| between(html, r#"<meta name="description" content=""#, "\"").to_string();
    assert_eq!(title(&tag), "Tagged: World | Fixture News");
    assert_eq!(title(&section), "Section: World | Fixture News");
    assert_eq!(description(&tag), "1 article tagged World on Fixture News.");
    assert_eq!(
        description(&section),
        "2 articles in the World section on Fixture News."
    );
    let author = built.read("authors/jane-doe/index.html");
    assert_eq!(title(&author), "Articles by Jane Doe | Fixture News");
}

#[test]
fn later_pages_of_a_list_describe_themselves() {
    let site = copy_fixture("basic");
    // A third article: with two a page, the home page has a page 2.
    fs::write(
        site.path().join("content/2022/01/third.md"),
        "---\ntitle: \"A third story\"\ndate: 2022-01-28T10:00:00Z\nauthors: [Li Wei]\nsection: World\n---\nBody.\n",
    )
    .unwrap();
    let built = build_root(&site, |_| {});
    built.assert_ok();
    let description = |file: &str| {
        let html = built.read(file);
        between(&html, r#"<meta name="description" content=""#, "\"").to_string()
    };
    assert_ne!(description("index.html"), description("page/2/index.html"));
    assert_eq!(
        description("page/2/index.html"),
        "Earlier news from Fixture News, page 2 of 2."
    );
    assert_eq!(
        description("sections/world/page/2/index.html"),
        "3 articles in the World section on Fixture News, page 2 of 2."
    );
    assert_eq!(
        canonicals(&built.read("page/2/index.html")),
        ["https://news.example.com/page/2/"]
    );
}

#[test]
fn open_graph_values_take_the_forms_consumers_read() {
    let built = build("basic");
    let html = built.read("2022/01/27/written-response-handed-to-moscow/index.html");
    assert!(html.contains(r#"<meta property="og:locale" content="en_US">"#));
    // Profile URLs, not names.
    assert!(html.contains(
        r#"<meta property="article:author" content="https://news.example.com/authors/jane-doe/">"#
    ));
    assert!(html.contains(
        r#"<meta property="article:author" content="https://news.example.com/authors/li-wei/">"#
    ));
}

#[test]
fn every_page_links_the_index_pages() {
    let built = build("basic");
    for file in [
        "index.html",
        "2021/05/03/talks-open-in-geneva/index.html",
        "404.html",
    ] {
        let html = built.read(file);
        let nav = between(
            &html,
            r#"<nav class="indexes" aria-label="Indexes">"#,
            "</nav>",
        );
        for link in ["/archive/", "/sections/", "/tags/", "/authors/"] {
            assert!(
                nav.contains(&format!(r#"href="{link}""#)),
                "{file}: no {link} in {nav}"
            );
        }
    }
}

#[test]
fn list_pages_carry_open_graph_and_article_images_their_size() {
    let built = build("basic");
    let tag = built.read("tags/nato/index.html");
    for part in [
        r#"<meta property="og:type" content="website">"#,
        r#"<meta property="og:title" content="Tagged: NATO">"#,
        r#"<meta property="og:url" content="https://news.example.com/tags/nato/">"#,
        r#"<meta property="og:locale" content="en_US">"#,
    ] {
        assert!(tag.contains(part), "no {part} in the tag page");
    }
    for file in ["index.html", "tags/index.html", "archive/index.html"] {
        assert!(
            built
                .read(file)
                .contains(r#"<meta property="og:type" content="website">"#),
            "{file}"
        );
    }
    let article = built.read("2022/01/27/written-response-handed-to-moscow/index.html");
    let (w, h) = imagesize_of(
        &built,
        "2022/01/27/written-response-handed-to-moscow/response.png",
    );
    assert!(article.contains(&format!(
        r#"<meta property="og:image:width" content="{w}">"#
    )));
    assert!(article.contains(&format!(
        r#"<meta property="og:image:height" content="{h}">"#
    )));
    assert!(article.contains(r#"<meta property="og:image:alt" content="Diplomats at a table">"#));
}

/// Width and height of a PNG in the output, from its header.
fn imagesize_of(built: &crate::harness::Built, file: &str) -> (u32, u32) {
    let bytes = fs::read(built.out.join(file)).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn lists_carry_breadcrumbs_and_the_home_page_its_search() {
    let built = build("basic");
    let data = |file: &str| crate::harness::json_ld(&built.read(file));
    let month = data("2022/01/index.html");
    assert_eq!(month["@type"], "CollectionPage");
    assert_eq!(month["url"], "https://news.example.com/2022/01/");
    let crumbs: Vec<(String, String)> = month["breadcrumb"]["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().into(),
                c["item"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        crumbs,
        [
            ("Fixture News".into(), "https://news.example.com/".into()),
            ("2022".into(), "https://news.example.com/2022/".into()),
            (
                "January 2022".into(),
                "https://news.example.com/2022/01/".into()
            ),
        ]
    );
    let tag = data("tags/nato/index.html");
    assert_eq!(
        tag["breadcrumb"]["itemListElement"][1]["item"],
        "https://news.example.com/tags/"
    );
    assert_eq!(tag["name"], "Tagged: NATO");
    let home = data("index.html");
    assert_eq!(home["@type"], "WebSite");
    assert_eq!(
        home["potentialAction"]["target"]["urlTemplate"],
        "https://news.example.com/search/?q={search_term_string}"
    );
}

#[test]
fn site_wide_share_image_logo_and_account() {
    let site = copy_fixture("basic");
    let config = site.path().join("gazette.toml");
    let text = fs::read_to_string(&config).unwrap();
    let social = "[social]\nimage = \"/img/geneva.png\"\nlogo = \"/img/geneva.png\"\ntwitter = \"newsroom\"\n";
    fs::write(
        &config,
        text.replace("[extra]", &format!("{social}[extra]")),
    )
    .unwrap();
    fs::write(
        site.path().join("content/2022/01/plain.md"),
        "---\ntitle: \"A story without a picture\"\ndate: 2022-01-28T10:00:00Z\nauthors: [Li Wei]\n---\nBody.\n",
    )
    .unwrap();
    let built = build_root(&site, |_| {});
    built.assert_ok();
    let (w, h) = imagesize_of(&built, "img/geneva.png");
    let plain = built.read("2022/01/28/a-story-without-a-picture/index.html");
    for part in [
        r#"<meta property="og:image" content="https://news.example.com/img/geneva.png">"#
            .to_string(),
        format!(r#"<meta property="og:image:width" content="{w}">"#),
        format!(r#"<meta property="og:image:height" content="{h}">"#),
        r#"<meta property="og:image:alt" content="Fixture News">"#.to_string(),
        r#"<meta name="twitter:site" content="@newsroom">"#.to_string(),
    ] {
        assert!(plain.contains(&part), "no {part}");
    }
    let data = crate::harness::json_ld(&plain);
    assert_eq!(
        data["image"][0]["url"],
        "https://news.example.com/img/geneva.png"
    );
    assert_eq!(data["image"][0]["width"], w);
    assert_eq!(data["publisher"]["logo"]["@type"], "ImageObject");
    assert_eq!(data["publisher"]["logo"]["height"], h);
    // An article's own image comes first.
    let own = built.read("2022/01/27/written-response-handed-to-moscow/index.html");
    assert!(own.contains("response.png\">"));
    assert!(!own.contains(r#"og:image" content="https://news.example.com/img/geneva.png"#));
    assert!(
        built
            .read("tags/index.html")
            .contains(r#"<meta name="twitter:site" content="@newsroom">"#)
    );
}

#[test]
fn bad_social_values_are_errors_at_their_line() {
    let site = copy_fixture("basic");
    let config = site.path().join("gazette.toml");
    let text = fs::read_to_string(&config).unwrap();
    let social =
        "[social]\nimage = \"share.png\"\nlogo = \"/no/such.png\"\ntwitter = \"not a handle\"\n";
    fs::write(
        &config,
        text.replace("[extra]", &format!("{social}[extra]")),
    )
    .unwrap();
    let built = build_root(&site, |_| {});
    let errors = built.errors();
    assert!(built.report.summary.is_none());
    assert!(
        errors.contains("gazette.toml:6:1: `share.png` is neither a file of static/"),
        "{errors}"
    );
    assert!(
        errors.contains("gazette.toml:8:1: `not a handle` is not an account name"),
        "{errors}"
    );
    // Well formed, but no such file.
    let social = "[social]\nlogo = \"/no/such.png\"\n";
    fs::write(
        &config,
        text.replace("[extra]", &format!("{social}[extra]")),
    )
    .unwrap();
    let built = build_root(&site, |_| {});
    assert!(built.report.summary.is_none());
    assert!(
        built
            .errors()
            .contains("error: gazette.toml: social.logo: `/no/such.png` not found in static/"),
        "{}",
        built.errors()
    );
}
