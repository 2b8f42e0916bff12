//! `gazette init` and `gazette new`.

use assert_cmd::Command;

fn gazette() -> Command {
    let mut cmd = Command::cargo_bin("gazette").unwrap();
    cmd.env("SOURCE_DATE_EPOCH", crate::harness::BUILD_TIME.to_string());
    cmd
}

#[test]
fn init_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("paper");
    gazette().arg("init").arg(&site).assert().success();
    assert!(site.join("gazette.toml").is_file());
    gazette()
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .assert()
        .success();
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("Welcome to your new site"));
    // A folder that is not empty is refused, and left as it was.
    let before = std::fs::read_to_string(site.join("gazette.toml")).unwrap();
    gazette().arg("init").arg(&site).assert().code(1);
    assert_eq!(
        std::fs::read_to_string(site.join("gazette.toml")).unwrap(),
        before
    );
}

#[test]
fn new_writes_an_article_that_builds_and_never_overwrites() {
    let site = crate::harness::copy_fixture("timezone");
    let run = || {
        gazette()
            .args([
                "new",
                "Harbour \"Gala\": Zürich & Co. Arrive",
                "--section",
                "Culture",
                "--tag",
                "Gala",
                "--tag",
                "Visitors",
                "--author",
                "Zoë Lefèvre",
                "--root",
            ])
            .arg(site.path())
            .assert()
    };
    let out = run().success();
    // Build time 2025-06-15T00:00:00Z is June 14, 21:00 in Halifax (ADT).
    let expected = site
        .path()
        .join("content/2025/06/harbour-gala-zurich-co-arrive.md");
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout).trim(),
        expected.display().to_string()
    );
    let text = std::fs::read_to_string(&expected).unwrap();
    assert!(text.contains("date: 2025-06-14T21:00:00-03:00"), "{text}");
    run()
        .code(1)
        .stderr(predicates::str::contains("already exists"));
    gazette()
        .args(["build", "--quiet", "--no-minify", "--root"])
        .arg(site.path())
        .assert()
        .success();
    let page = std::fs::read_to_string(
        site.path()
            .join("public/2025/06/14/harbour-gala-zurich-co-arrive/index.html"),
    )
    .unwrap();
    assert!(page.contains("Harbour &quot;Gala&quot;: Zürich &amp; Co. Arrive"));
    assert!(page.contains(r#"<a href="/authors/zoe-lefevre/" rel="author">Zoë Lefèvre</a>"#));
    assert!(page.contains(r#"<a href="/tags/visitors/" rel="tag">Visitors</a>"#));
}
