//! The article page and publishing rules, on the `basic` fixture.

use crate::harness::{build, build_with, json_ld};

const RESPONSE: &str = "2022/01/27/written-response-handed-to-moscow/index.html";
const TALKS: &str = "2021/05/03/talks-open-in-geneva/index.html";

#[test]
fn article_page_carries_everything() {
    let built = build("basic");
    built.assert_ok();
    let html = built.read(RESPONSE);
    for expected in [
        "<h1 class=\"story-headline\">Written Response Handed to Moscow</h1>",
        r#"<a href="/authors/jane-doe/" rel="author">Jane Doe</a> and <a href="/authors/li-wei/" rel="author">Li Wei</a>"#,
        r#"<time datetime="2022-01-27T06:00:00+00:00">January 27, 2022</time>"#,
        r#"Updated <time datetime="2023-03-20T11:18:00+00:00">March 20, 2023 11:18</time>"#,
        r#"<img src="/2022/01/27/written-response-handed-to-moscow/response.png" alt="Diplomats at a table""#,
        r#"<span class="caption">The document was delivered on Wednesday.</span> <span class="credit">Jane Doe / Wire</span>"#,
        r#"<a href="/tags/nato/" rel="tag">NATO</a>"#,
        r#"<a href="/sections/world/">World</a>"#,
        r#"<link rel="canonical" href="https://news.example.com/2022/01/27/written-response-handed-to-moscow/">"#,
        r#"<meta property="og:title" content="Written Response Handed to Moscow">"#,
        r#"<meta property="article:published_time" content="2022-01-27T06:00:00+00:00">"#,
        r#"<meta property="article:modified_time" content="2023-03-20T11:18:00+00:00">"#,
        r#"<meta property="og:image" content="https://news.example.com/2022/01/27/written-response-handed-to-moscow/response.png">"#,
        r#"<meta name="twitter:card" content="summary_large_image">"#,
        "<p class=\"story-standfirst\">Washington answers Moscow in writing.</p>",
        "An earlier version misdated the meeting.",
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    assert_eq!(
        main.matches("<article").count(),
        1,
        "one <article> in <main>"
    );
}

#[test]
fn json_ld_names_every_author() {
    let built = build("basic");
    let data = json_ld(&built.read(RESPONSE));
    assert_eq!(data["@type"], "NewsArticle");
    assert_eq!(data["headline"], "Written Response Handed to Moscow");
    assert_eq!(data["datePublished"], "2022-01-27T06:00:00+00:00");
    assert_eq!(data["dateModified"], "2023-03-20T11:18:00+00:00");
    let authors: Vec<_> = data["author"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(authors, ["Jane Doe", "Li Wei"]);
    assert_eq!(
        data["author"][1]["url"],
        "https://news.example.com/authors/li-wei/"
    );
    assert_eq!(
        data["image"][0]["url"],
        "https://news.example.com/2022/01/27/written-response-handed-to-moscow/response.png"
    );
    assert_eq!(data["publisher"]["name"], "Fixture News");
}

#[test]
fn source_links_and_local_images_resolve() {
    let built = build("basic");
    let html = built.read(RESPONSE);
    assert!(
        html.contains(r#"<a href="/2021/05/03/talks-open-in-geneva/#outcome">earlier talks</a>"#)
    );
    assert!(html.contains(
        r#"<img src="/2022/01/27/written-response-handed-to-moscow/chart.png" alt="chart" width="4" height="4" loading="lazy" decoding="async">"#
    ));
    assert!(built.exists("2022/01/27/written-response-handed-to-moscow/response.png"));
    assert!(built.exists("2022/01/27/written-response-handed-to-moscow/chart.png"));
    // An image from static/, and a date-only article at midnight.
    let talks = built.read(TALKS);
    assert!(talks.contains(r#"<img src="/img/geneva.png""#));
    assert!(built.exists("img/geneva.png"));
    assert!(talks.contains(r#"<h2 id="outcome">Outcome</h2>"#));
}

#[test]
fn drafts_and_future_articles_need_flags() {
    let draft = "2021/06/01/unfinished-draft/index.html";
    let future = "2099/01/01/tomorrows-news/index.html";
    let built = build("basic");
    assert!(!built.exists(draft) && !built.exists(future));
    assert!(!built.read(RESPONSE).contains("Unfinished Draft"));
    let built = build_with("basic", |o| o.drafts = true);
    assert!(built.exists(draft) && !built.exists(future));
    let built = build_with("basic", |o| o.future = true);
    assert!(!built.exists(draft) && built.exists(future));
}

#[test]
fn aliases_redirect_to_the_article() {
    let built = build("basic");
    for alias in ["old/cms/1234.html", "stories/response/index.html"] {
        let html = built.read(alias);
        assert!(html.contains(r#"<link rel="canonical" href="https://news.example.com/2022/01/27/written-response-handed-to-moscow/">"#));
        assert!(html.contains(r#"<meta http-equiv="refresh" content="0; url=/2022/01/27/written-response-handed-to-moscow/">"#));
        assert!(html.contains(r#"<a href="/2022/01/27/written-response-handed-to-moscow/">"#));
    }
}

#[test]
fn static_files_are_copied_verbatim() {
    let built = build("basic");
    assert_eq!(built.read("robots-extra.txt"), "verbatim\n");
    assert!(
        built
            .read("broadsheet.css")
            .contains("prefers-color-scheme")
    );
}

#[test]
fn names_merge_by_slug() {
    // "NATO" and "Nato" are one tag (tie: first in sort order); "World"
    // and "world" one section.
    let built = build("basic");
    let talks = built.read(TALKS);
    assert!(talks.contains(r#"<a href="/tags/nato/" rel="tag">NATO</a>"#));
    assert!(talks.contains(r#"<a href="/sections/world/">World</a>"#));
}

#[test]
fn output_manifest() {
    let built = build("basic");
    let manifest: Vec<String> = built
        .files()
        .iter()
        .map(|f| {
            let bytes = std::fs::read(built.out.join(f)).unwrap();
            format!("{f} {} {:016x}", bytes.len(), fnv1a(&bytes))
        })
        .collect();
    insta::assert_snapshot!("basic_manifest", manifest.join("\n"));
    insta::assert_snapshot!("basic_article", built.read(RESPONSE));
}

/// A stable 64-bit hash for manifests (FNV-1a).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn base_url_path_prefixes_every_link() {
    let built = build("base_path");
    built.assert_ok();
    let html = built.read("2024/01/02/under-a-path/index.html");
    for expected in [
        r#"href="/news/broadsheet.css""#,
        r#"<a href="/news/">Fixture News</a>"#,
        r#"<a href="/news/authors/ann/" rel="author">Ann</a>"#,
        r#"<a href="/news/tags/one/" rel="tag">One</a>"#,
        r#"<img src="/news/2024/01/02/under-a-path/a.png""#,
        r#"<a href="/news/2024/01/01/second/">b</a>"#,
        r#"<link rel="canonical" href="https://user.github.io/news/2024/01/02/under-a-path/">"#,
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    assert!(built.exists("2024/01/02/under-a-path/a.png"));
    assert!(
        built
            .read("old/b.html")
            .contains(r#"url=/news/2024/01/01/second/"#)
    );
}

#[test]
fn permalink_pattern_with_section() {
    let built = build("permalink_section");
    built.assert_ok();
    assert!(
        built.exists("stadte-land/2024/zurich-cafe-reopens/index.html"),
        "{:?}",
        built.files()
    );
}

#[test]
fn unknown_front_matter_keys_warn_but_build() {
    let site = crate::harness::copy_fixture("permalink_section");
    let article = site.path().join("content/a.md");
    let text = std::fs::read_to_string(&article)
        .unwrap()
        .replace("section:", "tagz: [x]\nsection:");
    std::fs::write(&article, text).unwrap();
    let built = crate::harness::build_root(&site, |_| {});
    built.assert_ok();
    assert_eq!(
        built.errors(),
        "warning: content/a.md:4:1: unknown front matter key `tagz` is ignored; did you mean `tags`?"
    );
}

/// Front matter as Jekyll and Hugo archives write it builds as it means:
/// dates with a space and `+0200` / `-4` offsets and one-digit hours,
/// blank lines before the fence, `author` maps with `name`, tags as a
/// separated string, date and slug from a `YYYY-MM-DD-slug.md` name when
/// the front matter has no date, `expires` (or Hugo's `expirydate`); keys
/// of other generators get a hint.
#[test]
fn front_matter_of_other_generators() {
    let built = crate::harness::build("foreign");
    built.assert_ok();
    // 10:00 +02:00 is 10:00 in Berlin; 10:00 -04:00 is 15:00 there; 8:32
    // -04:00 on the 28th is 14:32 in Berlin, the same day.
    assert!(built.exists("2019/05/03/stable-snapshot-released/index.html"));
    assert!(built.exists("2015/03/17/we-are-hiring/index.html"));
    assert!(built.exists("2011/11/28/a-late-night/index.html"));
    // TOML front matter between `+++` lines, dates unquoted.
    let hugo = built.read("2019/05/23/council-votes-on-the-quay/index.html");
    assert!(
        hugo.contains("2019-05-23T18:30:00+02:00"),
        "the date, in Berlin time"
    );
    assert!(built.exists("tags/quay/index.html"));
    // Hugo's section file is not an article (it has no date; it would fail).
    assert!(!built.errors().contains("_index.md"), "{}", built.errors());
    // No date in the front matter: date and slug from the file name.
    assert!(built.exists("2001/01/18/winter-notes/index.html"));
    let page = built.read("2015/03/17/we-are-hiring/index.html");
    assert!(
        page.contains("2015-03-17T15:00:00+01:00"),
        "the instant in the site time zone"
    );
    for term in [
        "tags/fellowship",
        "tags/announcements",
        "tags/harbour",
        "tags/jobs-board",
        "authors/jane-doe",
        "authors/li-wei",
    ] {
        assert!(built.exists(&format!("{term}/index.html")), "{term}");
    }
    // An alias of the article's own URL is dropped; the other redirects.
    assert!(
        built
            .read("jobs/index.html")
            .contains("/2015/03/17/we-are-hiring/")
    );
    // Expired (Hugo's `expirydate`): on no page, list, feed or sitemap.
    assert!(built.exists("2019/05/21/ferry-timetable-for-the-season/index.html"));
    assert!(!built.exists("2019/05/20/harbour-road-closed-for-the-summer/index.html"));
    assert!(!built.exists("tags/roads/index.html"));
    for file in [
        "sitemap.xml",
        "feed.xml",
        "index.html",
        "2019/05/index.html",
    ] {
        assert!(!built.read(file).contains("harbour-road-closed"), "{file}");
    }
    let errors = built.errors();
    for (line, hint) in [
        (
            "content/2019/05/stable-snapshot.md:10:1",
            "one `section` and any number of `tags`",
        ),
        (
            "content/2019/05/hiring.md:8:1",
            "list old URLs under `aliases`",
        ),
        ("content/2019/05/hiring.md:10:1", "use `summary`"),
        (
            "content/2019/05/hugo.md:7:1",
            "one `section` and any number of `tags`",
        ),
    ] {
        assert!(
            errors.lines().any(|l| l.contains(line) && l.contains(hint)),
            "{line}: {hint}\n{errors}"
        );
    }
}

/// Template code of other generators left in a body is a warning at its
/// line, every build (a body taken from the article cache too), and is
/// counted in the summary; inside code it is meant, and left alone.
#[test]
fn template_code_of_other_generators_is_never_silent() {
    let site = crate::harness::copy_fixture("foreign");
    crate::harness::settle(&site);
    let warned = |report: &gazette::Report| -> Vec<String> {
        report
            .diagnostics
            .iter()
            .filter(|d| d.path.ends_with("liquid.md"))
            .map(|d| {
                format!(
                    "{}:{} {}",
                    d.line.unwrap_or(0),
                    d.col.unwrap_or(0),
                    d.message
                )
            })
            .collect()
    };
    let first = crate::harness::build_root(&site, |_| {});
    first.assert_ok();
    let lines = warned(&first.report);
    let at: Vec<&str> = lines.iter().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(at, ["5:1", "6:21", "8:1", "10:1"], "{lines:#?}");
    assert!(
        lines[0].contains("Liquid tag `{% assign lead = \"Harbour\" %}`"),
        "{lines:#?}"
    );
    assert!(lines[2].contains("Hugo shortcode"), "{lines:#?}");
    assert!(lines[3].contains("WordPress shortcode"), "{lines:#?}");
    assert_eq!(first.report.summary.as_ref().unwrap().template_code, 4);
    // Again, with the body's digest taken from the article cache.
    let mut o = crate::harness::options(&site);
    o.output = Some(first.out.clone());
    let again = gazette::build(&o, &());
    let summary = again.summary.as_ref().expect("second build");
    assert!(summary.reused > 0, "the article cache was used");
    assert_eq!(warned(&again), lines);
    assert_eq!(summary.template_code, 4);
}
