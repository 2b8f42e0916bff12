//! `gazette import`: each fixture source (a WordPress export, a Jekyll
//! site, a Hugo site) becomes a site that builds with no error, and every
//! URL the old site answered at answers in the new one: the article there,
//! or a redirect to it.

use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

use crate::harness::{Built, assert_contains, build_root, fixture};

/// Imports fixture `source` (a file or folder under fixtures/import/) into
/// a new temporary site; returns it and what the command printed.
fn import(kind: &str, source: &str, extra: &[&str]) -> (TempDir, String, String) {
    let site = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("gazette")
        .unwrap()
        .arg("import")
        .arg(kind)
        .arg(fixture("import").join(source))
        .arg("--root")
        .arg(site.path())
        .args(extra)
        .env("SOURCE_DATE_EPOCH", crate::harness::BUILD_TIME.to_string())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "import failed:\n{stdout}\n{stderr}");
    (site, stdout, stderr)
}

/// The output file that answers `url` (a site path, with the base path of
/// the site already taken off).
fn file_of(built: &Built, url: &str) -> String {
    let rel = url.trim_start_matches('/');
    if url.ends_with('/') {
        built.read(&format!("{rel}index.html"))
    } else {
        built.read(rel)
    }
}

/// Every `(old URL, headline)`: the page at the old URL shows the headline,
/// or redirects to a page that does.
fn assert_old_urls_answer(built: &Built, base_path: &str, expected: &[(&str, &str)]) {
    for (old, headline) in expected {
        let page = file_of(built, old);
        let shown = |html: &str| html.contains(&format!("class=\"story-headline\">{headline}"));
        if shown(&page) {
            continue;
        }
        let target = page
            .split("http-equiv=\"refresh\" content=\"0; url=")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{old}: neither the article nor a redirect:\n{page}"));
        let target = target
            .strip_prefix(base_path.trim_end_matches('/'))
            .unwrap_or(target);
        assert!(
            shown(&file_of(built, target)),
            "{old} redirects to {target}, which does not show `{headline}`"
        );
    }
}

fn built(site: &TempDir) -> Built {
    let built = build_root(site, |_| {});
    built.assert_ok();
    assert!(
        !built.report.diagnostics.iter().any(|d| d.is_error()),
        "{}",
        built.errors()
    );
    built
}

fn read(site: &TempDir, rel: &str) -> String {
    std::fs::read_to_string(site.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn wordpress_export_imports_with_every_old_url() {
    let uploads = fixture("import/wordpress/uploads");
    let (site, stdout, stderr) = import(
        "wordpress",
        "wordpress/export.xml",
        &["--uploads", uploads.to_str().unwrap()],
    );
    assert_contains(&stdout, "imported 5 articles (1 draft)");
    assert_contains(&stdout, "time zone: Europe/London, inferred");
    assert_contains(&stdout, "1  [caption] -> figures with captions");
    assert_contains(&stdout, "1  players (iframe, video, audio) kept as HTML");
    assert_contains(&stdout, "1  page: gazette has articles only");
    assert_contains(&stdout, "1  private post");
    assert_contains(&stdout, "0 errors, 2 warnings");
    // What is left is named with its file and line.
    assert_contains(
        &stderr,
        "content/2020/01/uber-zurich.md:16:1: WordPress shortcode `[gallery",
    );
    assert_contains(
        &stderr,
        "harbour-reopens.md:22: link to `https://www.harbourtimes.example/2018/01/01/gone/`",
    );

    let config = read(&site, "gazette.toml");
    assert_contains(&config, "title = \"Harbour Times & Views\"");
    assert_contains(&config, "timezone = \"Europe/London\"");
    assert_contains(&config, "article = \"/:year/:month/:day/:slug/\"");
    let harbour = read(&site, "content/2019/05/harbour-reopens.md");
    for line in [
        "title: ‘Harbour’ reopens at last",
        "date: 2019-05-03T10:00:00+01:00",
        "updated: 2019-05-04T08:15:00+01:00",
        "section: World",
        "- Ferries",
        "  src: /wp-content/uploads/2019/05/harbour.png",
        "  alt: Ferries moored at the terminal",
        "summary: The ferry terminal is open again.",
        "![Ferries moored at the terminal](/wp-content/uploads/2019/05/harbour.png \"The terminal at first light\")",
        "[voted on the budget](../12/council-votes-on-the-budget.md)",
        "- Ferries every **20 minutes**",
    ] {
        assert!(harbour.contains(line), "missing `{line}`:\n{harbour}");
    }
    assert!(!harbour.contains("Uncategorized"), "{harbour}");
    let council = read(&site, "content/2019/12/council-votes-on-the-budget.md");
    assert_contains(&council, "authors:\n- Li Wei\n- Jane Doe");
    assert!(!council.contains("wp:"), "{council}");
    let draft = read(&site, "content/2020/02/ferry-timetable-draft.md");
    assert_contains(&draft, "draft: true");
    let scheduled = read(&site, "content/2030/04/bridge-opens.md");
    assert_contains(&scheduled, "date: 2030-04-01T08:00:00+01:00");
    let profiles = read(&site, "data/authors.yaml");
    assert!(
        profiles.contains("Jane Doe") && !profiles.contains("Old Editor"),
        "{profiles}"
    );

    let built = built(&site);
    assert_old_urls_answer(
        &built,
        "/",
        &[
            ("/2019/05/03/harbour-reopens/", "‘Harbour’ reopens at last"),
            (
                "/2019/12/01/council-votes-on-the-budget/",
                "Council votes on the budget",
            ),
            ("/2020/01/15/über-zürich/", "Über Zürich: our twin town"),
        ],
    );
    // Images keep their upload URLs.
    assert!(built.exists("wp-content/uploads/2019/05/harbour.png"));
    let page = built.read("2019/12/01/council-votes-on-the-budget/index.html");
    assert_contains(
        &page,
        "<figcaption>The chamber during the vote</figcaption>",
    );
    let page = built.read("2020/01/15/uber-zurich/index.html");
    assert_contains(&page, "<iframe src=\"https://video.example/embed/42\"");
    assert_contains(&page, "href=\"/2019/05/03/harbour-reopens/#what-changes\"");
    assert!(!built.exists("2030/04/01/bridge-opens/index.html"));
}

#[test]
fn jekyll_site_imports_with_every_old_url() {
    let (site, stdout, stderr) = import("jekyll", "jekyll", &[]);
    assert_contains(&stdout, "imported 7 articles (2 drafts)");
    assert_contains(
        &stdout,
        "2  {% link %} / {% post_url %} -> links to the article files",
    );
    assert_contains(&stdout, "1  {% highlight %} -> fenced code");
    assert_contains(&stdout, "1  kramdown attribute lists ({: .class}) removed");
    assert_contains(
        &stdout,
        "not named YYYY-MM-DD-title: Jekyll does not publish it (_posts/notes.md)",
    );
    assert_contains(&stdout, "page with front matter");
    assert_contains(
        &stderr,
        "content/2015/03/council.md:16:1: Liquid tag `{% include figure.html",
    );
    let config = read(&site, "gazette.toml");
    assert_contains(&config, "base_url = \"https://blog.example.org/news/\"");
    assert_contains(&config, "timezone = \"America/New_York\"");
    let hiring = read(&site, "content/2019/05/we-are-hiring.md");
    for line in [
        "date: 2019-05-03T04:00:00-04:00",
        "author: Alice Smith",
        "section: Jobs",
        "summary: Two reporters wanted.",
        "- /jobs/2019/05/03/We-Are-Hiring.html",
        "- /hiring.html",
        "![The team](/assets/img/team.png)",
        "[how we started](../../2001/01/stable-snapshot.md)",
    ] {
        assert!(hiring.contains(line), "missing `{line}`:\n{hiring}");
    }
    let snapshot = read(&site, "content/2001/01/stable-snapshot.md");
    assert_contains(
        &snapshot,
        "title: Stable Snapshot\ndate: 2001-01-18T00:00:00-05:00",
    );
    assert_contains(&snapshot, "tags:\n- release\n- snapshot");
    assert_contains(&snapshot, "```ruby\nputs \"hello\"\n```");
    assert!(!snapshot.contains("{:"), "{snapshot}");
    let qa = read(&site, "content/2020/02/custom-permalink.md");
    assert_contains(&qa, "title: 'Q&A: the “budget”'");
    assert_contains(&qa, "{{ page.title }}");
    assert!(read(&site, "content/2011/11/one-digit.md").contains("draft: true"));
    assert!(read(&site, "data/authors.yaml").contains("bio: Covers the river and the council."));

    let built = built(&site);
    assert_old_urls_answer(
        &built,
        "/news/",
        &[
            ("/2001/01/18/stable-snapshot.html", "Stable Snapshot"),
            ("/jobs/2019/05/03/We-Are-Hiring.html", "We Are Hiring"),
            ("/jobs/", "We Are Hiring"),
            ("/hiring.html", "We Are Hiring"),
            (
                "/news/politics/2015/03/17/council.html",
                "Council meets on the bridge",
            ),
            ("/special/custom-page/", "Q&amp;A: the “budget”"),
            ("/2021/06/01/html-post.html", "An HTML post"),
        ],
    );
    assert!(built.exists("assets/img/team.png"));
    assert!(!built.exists("about.md") && !built.exists("Gemfile"));
}

#[test]
fn hugo_site_imports_with_every_old_url() {
    let (site, stdout, stderr) = import("hugo", "hugo", &[]);
    assert_contains(&stdout, "imported 9 articles (1 draft)");
    assert_contains(&stdout, "article permalink: /:year/:month/:slug/");
    assert_contains(&stdout, "2  list page of a section (_index)");
    assert_contains(&stdout, "1  {{< figure >}} -> images with captions");
    assert_contains(&stdout, "1  {{< highlight >}} -> fenced code");
    assert_contains(&stdout, "2  {{< ref >}} / {{< relref >}}");
    assert_contains(
        &stderr,
        "harbour-reopens.md:23:1: Hugo shortcode `{{< youtube abc123 >}}`",
    );
    let harbour = read(&site, "content/2019/05/harbour-reopens.md");
    for line in [
        "date: 2019-05-03T10:00:00+02:00",
        "updated: 2019-05-04T09:00:00+02:00",
        "author: Jane Doe",
        "section: Local",
        "  src: /images/harbour.png",
        "![Harbour](/images/harbour.png \"The harbour at dawn\")",
        "[council](../12/council-votes-on-the-budget/index.md)",
    ] {
        assert!(harbour.contains(line), "missing `{line}`:\n{harbour}");
    }
    // A bundle keeps its files beside it.
    let council = read(
        &site,
        "content/2019/12/council-votes-on-the-budget/index.md",
    );
    assert_contains(&council, "date: 2019-12-01T18:30:00+01:00");
    assert_contains(
        &council,
        "![The chamber](chamber.png \"The chamber during the vote\")",
    );
    assert!(
        site.path()
            .join("content/2019/12/council-votes-on-the-budget/chamber.png")
            .is_file()
    );
    assert!(
        read(&site, "content/2019/06/road-closed-for-the-weekend.md")
            .contains("expires: 2019-06-03T00:00:00+02:00")
    );
    assert!(
        read(&site, "content/2019/12/budget-what-it-means.md")
            .contains("{{< figure src=\"x.png\" >}}")
    );
    assert!(read(&site, "content/2018/03/first-post.md").contains("summary: Hello from the desk."));

    let built = built(&site);
    assert_old_urls_answer(
        &built,
        "/",
        &[
            ("/2019/05/harbour-reopens/", "Harbour reopens"),
            ("/old/harbour.html", "Harbour reopens"),
            ("/2019/05/harbour-old/", "Harbour reopens"),
            (
                "/2019/12/council-votes-on-the-budget/",
                "Council Votes on the Budget",
            ),
            ("/2019/12/budget-what-it-means/", "Budget: what it means"),
            ("/2020/01/ferry-timetable/", "Ferry timetable"),
            ("/blog/first-post/", "Our First Post"),
            ("/custom/moved-page/", "Moved elsewhere"),
            ("/about/", "About the desk"),
        ],
    );
    // Expired in the source, expired here: not published.
    assert!(!built.exists("2019/06/road-closed-for-the-weekend/index.html"));
    let page = built.read("2019/12/council-votes-on-the-budget/index.html");
    assert_contains(
        &page,
        "<figcaption>The chamber during the vote</figcaption>",
    );
}

#[test]
fn import_refuses_a_folder_that_is_not_empty() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("notes.txt"), "mine").unwrap();
    let out = Command::cargo_bin("gazette")
        .unwrap()
        .args(["import", "hugo"])
        .arg(fixture("import/hugo"))
        .arg("--root")
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_contains(&stderr, "is not empty; import into a new or empty folder");
    assert_eq!(
        std::fs::read_to_string(site.path().join("notes.txt")).unwrap(),
        "mine"
    );
    let wrong = Command::cargo_bin("gazette")
        .unwrap()
        .args(["import", "wordpress"])
        .arg(fixture("import/hugo/hugo.toml"))
        .arg("--root")
        .arg(site.path().join("new"))
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert!(!Path::new(&site.path().join("new")).exists());
}
