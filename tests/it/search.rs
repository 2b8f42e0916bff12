//! The search engines a site can choose: gazette's own index (the default,
//! docs/search.md) or Pagefind's bundle (`[search] engine = "pagefind"`).
//! The browser tests (tests/e2e/search.test.mjs) run queries on both.

use crate::harness::{
    assert_contains, build_root, check, copy_fixture, copy_site, diagnostics_text, files_under,
    options, settle,
};

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
    assert_eq!(meta["version"], 2);
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

/// Every file below `dir` with its bytes.
fn tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

fn build_into(
    site: &tempfile::TempDir,
    out: &std::path::Path,
    incremental: bool,
) -> gazette::Summary {
    let mut o = options(site);
    o.output = Some(out.to_path_buf());
    o.incremental = incremental;
    let report = gazette::build(&o, &());
    let text = diagnostics_text(&report);
    report.summary.unwrap_or_else(|| panic!("{text}"))
}

/// A build writes its articles' counted words to a file while it runs,
/// rather than keep them, and reads them back for the index and the
/// article cache: the next build reuses them, and leaves the cache
/// folder as the first did.
#[test]
fn counted_words_are_read_back_and_leave_nothing_behind() {
    let site = copy_fixture("basic");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("public");
    let gazette = site.path().join(".gazette");
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(&gazette)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    settle(&site);
    build_into(&site, &out, false);
    let first = listing();
    let index = tree(&out.join("search-index"));
    settle(&site);
    let summary = build_into(&site, &out, true);
    assert!(summary.reused > 0, "{summary:?}");
    assert_eq!(listing(), first);
    assert_eq!(tree(&out.join("search-index")), index);
}

/// The article cache keeps each article's counted words, numbered in the
/// vocabulary saved beside it; words numbered in another vocabulary (a
/// cache older than the vocabulary, as a crash between saving the two
/// leaves them) are counted again, so the index is still a clean build's.
#[test]
fn kept_words_count_only_with_their_vocabulary() {
    let site = copy_fixture("basic");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("public");
    let gazette = site.path().join(".gazette");
    settle(&site);
    build_into(&site, &out, true);
    assert!(gazette.join("search-words").is_file());
    let first_cache = work.path().join("articles");
    std::fs::rename(gazette.join("articles"), &first_cache).unwrap();

    // A clean build of other words numbers them anew.
    let talks = site.path().join("content/2021/05/talks.md");
    let text = std::fs::read_to_string(&talks).unwrap();
    let other = text.replace(
        "Delegations met",
        "Quayside ferrymen, zebrafish and delegations met",
    );
    std::fs::write(&talks, &other).unwrap();
    build_into(&site, &out, false);
    std::fs::write(&talks, &text).unwrap();
    std::fs::remove_dir_all(gazette.join("articles")).unwrap();
    std::fs::rename(&first_cache, gazette.join("articles")).unwrap();
    settle(&site);
    build_into(&site, &out, true);

    let clean = work.path().join("clean");
    build_into(&copy_site(site.path()), &clean, false);
    assert_eq!(
        tree(&out.join("search-index")),
        tree(&clean.join("search-index"))
    );
    let words = std::fs::read_to_string(out.join("search-index/words/0.json")).unwrap();
    assert!(!words.contains("zebrafish"), "{words}");
    assert_contains(&words, "\"delegations\"");
}
