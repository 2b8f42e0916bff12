//! The search engines a site can choose: gazette's own index (the default,
//! docs/search.md) or Pagefind's bundle (`[search] engine = "pagefind"`).
//! The browser tests (tests/e2e/search.test.mjs) run queries on both.

use crate::harness::{assert_contains, build_root, check, copy_fixture};

fn with_engine(engine: &str) -> tempfile::TempDir {
    let site = copy_fixture("basic");
    let config = site.path().join("gazette.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}\n[search]\nengine = \"{engine}\"\n"),
    )
    .unwrap();
    site
}

#[test]
fn the_own_index_is_the_default() {
    let site = copy_fixture("basic");
    let built = build_root(&site, |_| {});
    built.assert_ok();
    let meta: serde_json::Value =
        serde_json::from_str(&built.read("search-index/meta.json")).unwrap();
    assert_eq!(meta["format"], "gazette-search");
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["docs"], 2);
    assert!(built.exists("search-index/postings/0.bin"));
    assert!(built.exists("search-index/docs/0.json"));
    assert!(!built.files().iter().any(|f| f.starts_with("pagefind/")));
    let page = built.read("search/index.html");
    assert_contains(&page, "search-index.js\" data-index=\"/search-index/\"");
    assert_contains(&page, "id=\"search-author\"");
    // Records carry what a result shows, newest last (ids oldest first).
    let docs: serde_json::Value =
        serde_json::from_str(&built.read("search-index/docs/0.json")).unwrap();
    assert_eq!(docs.as_array().unwrap().len(), 2);
    assert!(docs[1][1].as_str().unwrap().starts_with("/20"), "{docs}");
}

#[test]
fn pagefind_bundle_when_chosen() {
    let site = with_engine("pagefind");
    let built = build_root(&site, |_| {});
    built.assert_ok();
    let search = built.read("search/index.html");
    assert_contains(&search, r#"data-bundle="/pagefind/""#);
    assert!(built.exists("pagefind/pagefind.js"));
    assert!(built.exists("pagefind/pagefind-entry.json"));
    let files = built.files();
    assert!(files.iter().any(|f| f.starts_with("pagefind/index/")));
    assert!(!files.iter().any(|f| f.starts_with("search-index/")));
}

#[test]
fn an_unknown_engine_is_an_error_at_its_line() {
    let site = with_engine("lunr");
    let report = check(&site);
    let text = crate::harness::diagnostics_text(&report);
    assert_contains(
        &text,
        "search engine `lunr` is unknown; use `gazette` or `pagefind`",
    );
    let config = std::fs::read_to_string(site.path().join("gazette.toml")).unwrap();
    let line = config
        .lines()
        .position(|l| l.starts_with("engine"))
        .unwrap()
        + 1;
    assert_contains(&text, &format!("gazette.toml:{line}:"));
}
