//! Incremental builds: after any change to the site, a build that updates
//! the last output in place gives exactly the tree a clean build gives,
//! byte for byte, and makes only the files whose inputs changed.

use std::fs;
use std::path::{Path, PathBuf};

use gazette::{BuildOptions, Cache, Mode, Summary};

use tempfile::TempDir;

use crate::harness::{
    copy_fixture, copy_site, diagnostics_text, files_under, options, sample_site, settle,
};

fn build_into(site: &TempDir, out: &Path, incremental: bool) -> Summary {
    build_with_search(site, out, incremental, true).0
}

/// The summary of a build that must succeed, and its warnings.
fn build_with_search(
    site: &TempDir,
    out: &Path,
    incremental: bool,
    search: bool,
) -> (Summary, String) {
    let mut o: BuildOptions = options(site);
    o.output = Some(out.to_path_buf());
    o.incremental = incremental;
    o.search = search;
    let report = gazette::build(&o, &());
    let text = diagnostics_text(&report);
    let summary = report
        .summary
        .unwrap_or_else(|| panic!("build failed:\n{text}"));
    (summary, text)
}

fn assert_same_tree(step: &str, incremental: &Path, clean: &Path) {
    let files = files_under(clean);
    assert_eq!(
        files_under(incremental),
        files,
        "{step}: not the same files as a clean build"
    );
    for f in &files {
        let a = fs::read(incremental.join(f)).unwrap();
        let b = fs::read(clean.join(f)).unwrap();
        assert!(a == b, "{step}: {f} differs from a clean build");
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

type Step = (&'static str, fn(&Path, &Path));

/// Each step changes the site (or the output by hand), then the
/// incremental build must equal a clean build.
const STEPS: &[Step] = &[
    ("nothing changed", |_, _| {}),
    ("article body edited", |site, _| {
        edit(
            &site.join("content/2021/05/talks.md"),
            "Delegations met on Monday.",
            "Delegations met on Monday morning.",
        );
    }),
    (
        "headline edited (lists, feeds, related, search)",
        |site, _| {
            edit(
                &site.join("content/2022/01/response.md"),
                "Written Response Handed to Moscow",
                "Written Reply Handed to Moscow",
            );
        },
    ),
    ("article added with a new tag", |site, _| {
        fs::create_dir_all(site.join("content/2022/02")).unwrap();
        fs::write(
            site.join("content/2022/02/added.md"),
            "---\ntitle: An Added Story\ndate: 2022-02-03T08:00:00Z\nauthor: Jane Doe\n\
             section: World\ntags: [Nato, Harbours]\n---\nA new story.\n",
        )
        .unwrap();
    }),
    ("article file renamed, same URL", |site, _| {
        fs::rename(
            site.join("content/2022/02/added.md"),
            site.join("content/2022/02/renamed.md"),
        )
        .unwrap();
    }),
    ("slug changed, so the URL moves", |site, _| {
        edit(
            &site.join("content/2022/02/renamed.md"),
            "title: An Added Story\n",
            "title: An Added Story\nslug: moved-story\n",
        );
    }),
    (
        "linked article moved: the linking body must follow",
        |site, _| {
            edit(
                &site.join("content/2021/05/talks.md"),
                "title: \"Talks Open in Geneva\"\n",
                "title: \"Talks Open in Geneva\"\nslug: geneva-talks\n",
            );
        },
    ),
    ("article deleted, and the link to it", |site, _| {
        fs::remove_file(site.join("content/2021/05/talks.md")).unwrap();
        edit(
            &site.join("content/2022/01/response.md"),
            "(../../2021/05/talks.md#outcome)",
            "(https://example.com/)",
        );
    }),
    ("image next to an article replaced", |site, _| {
        let image = site.join("content/2022/01/chart.png");
        let mut bytes = fs::read(&image).unwrap();
        bytes.extend_from_slice(b"trailing bytes");
        fs::write(&image, bytes).unwrap();
    }),
    (
        "author profile written (author pages, structured data)",
        |site, _| {
            fs::create_dir_all(site.join("data")).unwrap();
            fs::write(
            site.join("data/authors.yaml"),
            "Jane Doe:\n  bio: Covers diplomacy.\n  links:\n    - name: Site\n      url: https://jane.example/\n",
        )
        .unwrap();
        },
    ),
    ("template override added", |site, _| {
        fs::create_dir_all(site.join("templates")).unwrap();
        fs::write(
            site.join("templates/404.html"),
            "{% extends \"theme/404.html\" %}{% block main %}<h1>Gone</h1>{% endblock main %}",
        )
        .unwrap();
    }),
    ("site title changed in gazette.toml", |site, _| {
        edit(
            &site.join("gazette.toml"),
            "title = \"Fixture News\"",
            "title = \"Fixture Times\"",
        );
    }),
    ("feeds switched to full content", |site, _| {
        let config = site.join("gazette.toml");
        let mut text = fs::read_to_string(&config).unwrap();
        text.push_str("\n[feeds]\nfull_content = true\n");
        fs::write(config, text).unwrap();
    }),
    ("body edited, shown in full-content feeds", |site, _| {
        edit(
            &site.join("content/2022/01/response.md"),
            "is said to address",
            "is reported to address",
        );
    }),
    ("byline edited, file size unchanged", |site, _| {
        edit(
            &site.join("content/2022/01/response.md"),
            "authors: [Jane Doe",
            "authors: [Jane Roe",
        );
    }),
    ("draft published", |site, _| {
        edit(
            &site.join("content/2021/06/draft.md"),
            "draft: true",
            "draft: false",
        );
    }),
    (
        "section respelled by most of its articles: renamed on the rest",
        |site, _| {
            edit(
                &site.join("content/2022/02/renamed.md"),
                "section: World",
                "section: world",
            );
            fs::write(
                site.join("content/2021/06/older.md"),
                "---\ntitle: An Older Story\ndate: 2021-06-01T08:00:00Z\nauthor: Li Wei\n\
                 section: world\n---\nAn older story.\n",
            )
            .unwrap();
        },
    ),
    (
        "author respelled by most of their articles: renamed on the rest",
        |site, _| {
            edit(
                &site.join("content/2021/06/older.md"),
                "author: Li Wei",
                "author: LI WEI",
            );
            fs::write(
                site.join("content/2021/06/oldest.md"),
                "---\ntitle: The Oldest Story\ndate: 2021-06-01T07:00:00Z\nauthor: LI WEI\n---\n\
                 The oldest story.\n",
            )
            .unwrap();
        },
    ),
    (
        "an editor's swap file and a text file appear beside an article",
        |site, _| {
            fs::write(site.join("content/2022/01/.response.md.swp"), "swap").unwrap();
            fs::write(site.join("content/2022/01/notes.txt"), "notes").unwrap();
        },
    ),
    ("author profile added (structured data)", |site, _| {
        fs::create_dir_all(site.join("data")).unwrap();
        fs::write(
            site.join("data/authors.yaml"),
            "Jane Roe:\n  bio: \"Covers diplomacy.\"\n",
        )
        .unwrap();
    }),
    ("time zone changed (dates read again)", |site, _| {
        edit(
            &site.join("gazette.toml"),
            "timezone = \"UTC\"",
            "timezone = \"Asia/Tokyo\"",
        );
    }),
    ("output page edited by hand", |_, out| {
        fs::write(out.join("index.html"), "tampered").unwrap();
    }),
    ("output page deleted by hand", |_, out| {
        fs::remove_file(out.join("feed.xml")).unwrap();
    }),
];

#[test]
fn incremental_builds_equal_clean_builds_after_every_kind_of_change() {
    incremental_steps(true);
}

/// Without search, bodies are not kept in memory but rendered again with
/// their pages: the same steps must hold.
#[test]
fn incremental_builds_without_search_equal_clean_builds() {
    incremental_steps(false);
}

fn incremental_steps(search: bool) {
    let site = copy_fixture("basic");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("public");
    // Settled files, so that the article cache keeps them.
    settle(&site);
    let (first, _) = build_with_search(&site, &out, true, search);
    assert!(!first.in_place, "the first build is a full one");
    for (step, change) in STEPS {
        change(site.path(), &out);
        settle(&site);
        let (summary, warnings) = build_with_search(&site, &out, true, search);
        assert!(summary.in_place, "{step}: not incremental");
        // Built from a copy, so that only incremental builds touch the
        // site's caches.
        let reference = copy_site(site.path());
        let clean = work.path().join("clean");
        let (_, clean_warnings) = build_with_search(&reference, &clean, false, search);
        assert_same_tree(step, &out, &clean);
        assert_eq!(warnings, clean_warnings, "{step}: other warnings");
        fs::remove_dir_all(&clean).unwrap();
        if *step == "nothing changed" {
            assert_eq!(summary.changed, 0, "an unchanged site writes nothing");
            assert_eq!(
                summary.reused, summary.articles,
                "every article comes from the article cache"
            );
            assert!(
                warnings.contains("no `alt` text"),
                "front matter warnings come back from the cache: {warnings}"
            );
        }
        if *step == "article body edited" {
            assert_eq!(summary.reused, summary.articles - 1, "{step}");
        }
    }
}

/// The same steps through the path `serve` takes: one cache of parsed
/// files and rendered bodies kept across builds, output updated in place.
/// Without search, as `serve` builds, the views of unchanged articles are
/// not fingerprinted again but reused from the last build (and, in these
/// debug builds, checked against fingerprints taken afresh).
#[test]
fn cached_rebuilds_equal_clean_builds_after_every_kind_of_change() {
    cached_steps(false, false);
}

#[test]
fn cached_rebuilds_with_search_equal_clean_builds() {
    cached_steps(true, false);
}

/// As `serve` does once its watcher runs: each build is told which files
/// changed, and neither lists the content folder again (unless a change
/// can have added or removed an article) nor looks at the other files.
#[test]
fn cached_rebuilds_told_what_changed_equal_clean_builds() {
    cached_steps(false, true);
}

/// Options of a build through `serve`'s path into `out`: updated in place,
/// unminified, with or without search.
fn served_options(site: &TempDir, out: &Path, search: bool) -> BuildOptions {
    let mut o = options(site);
    o.output = Some(out.to_path_buf());
    o.mode = Mode::Update;
    o.search = search;
    o
}

/// A copy of the sample site built through `serve`'s path, again and
/// again with one cache, into a folder of its own (without search).
struct Served {
    site: TempDir,
    out: PathBuf,
    cache: Cache,
    options: BuildOptions,
    _work: TempDir,
}

impl Served {
    fn new() -> Self {
        let site = sample_site();
        let work = tempfile::tempdir().unwrap();
        let out = work.path().join("served");
        let options = served_options(&site, &out, false);
        Served {
            site,
            out,
            cache: Cache::default(),
            options,
            _work: work,
        }
    }

    /// One build; its summary, or a panic with its problems.
    fn build(&self) -> Summary {
        let report = gazette::build_cached(&self.options, &(), Some(&self.cache));
        let text = diagnostics_text(&report);
        report.summary.unwrap_or_else(|| panic!("{text}"))
    }

    /// Edits one article's body.
    fn add_a_first_sentence(&self) {
        edit(
            &self
                .site
                .path()
                .join("content/2019/03/ferry-schedule-cut.md"),
            "\n---\n",
            "\n---\nAn added first sentence.\n\n",
        );
    }
}

/// After one article's edit, the pages that show it are fingerprinted
/// again, not the others.
fn assert_only_what_shows_the_edit_anew(edited: &Summary, unchanged: &Summary) {
    assert!(
        edited.pages_reused < unchanged.pages_reused
            && edited.pages_reused > unchanged.pages_reused / 2,
        "the pages that show the edited article are fingerprinted again, not \
         the others: {} reused, {} without the edit",
        edited.pages_reused,
        unchanged.pages_reused
    );
}

/// `serve` reuses the fingerprint of each page of articles and each feed
/// that shows nothing changed since its last build, and of none once the site's
/// shape (here its config) changed. That the pages are still right is
/// what the cached steps above check, and debug builds take each reused
/// fingerprint afresh as well.
#[test]
fn served_rebuilds_reuse_the_fingerprints_of_pages_that_show_nothing_changed() {
    let mut served = Served::new();
    assert_eq!(
        served.build().pages_reused,
        0,
        "a first build has none to reuse"
    );
    served.options.trust_output = true;
    let unchanged = served.build();
    assert!(
        unchanged.pages_reused > unchanged.articles,
        "every article's page and every list page: {} reused of {}",
        unchanged.pages_reused,
        unchanged.pages
    );
    let feeds = walkdir::WalkDir::new(&served.out)
        .into_iter()
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_name() == "feed.xml"))
        .count();
    assert!(
        unchanged.pages - unchanged.pages_reused < feeds,
        "the feeds are reused too: {} of {} pages fingerprinted afresh, {feeds} feeds",
        unchanged.pages - unchanged.pages_reused,
        unchanged.pages
    );
    served.add_a_first_sentence();
    assert_only_what_shows_the_edit_anew(&served.build(), &unchanged);
    let config = served.site.path().join("gazette.toml");
    edit(&config, "per_page = 10", "per_page = 9");
    assert_eq!(
        served.build().pages_reused,
        0,
        "a new config: every page anew"
    );
}

/// `build` keeps the fingerprints of its pages and a digest of each
/// article on disk beside the manifest, and the next build into the same
/// folder reuses those of the pages that show nothing changed: none after
/// `--clean`, none once the site's shape changed, none from a file that
/// cannot be read (the build is then the same, only slower). That the
/// pages are right is what the incremental steps above check; debug
/// builds take each reused fingerprint afresh as well.
#[test]
fn builds_reuse_the_fingerprints_the_last_build_kept() {
    let site = sample_site();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("public");
    let build = |incremental| build_with_search(&site, &out, incremental, false).0;
    assert_eq!(
        build(true).pages_reused,
        0,
        "a first build has none to reuse"
    );
    let unchanged = build(true);
    assert!(
        unchanged.pages_reused > unchanged.articles,
        "every article's page and every list page: {} reused of {}",
        unchanged.pages_reused,
        unchanged.pages
    );
    assert_eq!(build(false).pages_reused, 0, "--clean reads none");
    assert_eq!(
        build(true).pages_reused,
        unchanged.pages_reused,
        "--clean kept them"
    );
    edit(
        &site.path().join("content/2019/03/ferry-schedule-cut.md"),
        "\n---\n",
        "\n---\nAn added first sentence.\n\n",
    );
    assert_only_what_shows_the_edit_anew(&build(true), &unchanged);
    let manifests = site.path().join(".gazette/manifests");
    let kept: Vec<PathBuf> = fs::read_dir(&manifests)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "memo"))
        .collect();
    assert_eq!(kept.len(), 1, "one memo for the one output folder");
    fs::write(&kept[0], b"not a memo").unwrap();
    assert_eq!(build(true).pages_reused, 0, "an unreadable memo is none");
    assert!(
        build(true).pages_reused > unchanged.articles,
        "and saved again"
    );
    edit(
        &site.path().join("gazette.toml"),
        "per_page = 10",
        "per_page = 9",
    );
    assert_eq!(build(true).pages_reused, 0, "a new config: every page anew");
}

/// `serve` keeps its output's manifest in memory between builds: a
/// rebuild does not read the file back. Removed, it stays removed while
/// nothing changes (every file was kept by the manifest in memory, so
/// there is none to save), and an edit saves it again.
#[test]
fn served_rebuilds_keep_the_manifest_in_memory() {
    let mut served = Served::new();
    served.build();
    served.options.trust_output = true;
    let manifests = served.site.path().join(".gazette/manifests");
    let saved = || fs::read_dir(&manifests).unwrap().count();
    assert_eq!(saved(), 1);
    fs::remove_dir_all(&manifests).unwrap();
    fs::create_dir(&manifests).unwrap();
    assert_eq!(served.build().changed, 0);
    assert_eq!(saved(), 0, "nothing changed, so nothing was saved");
    served.add_a_first_sentence();
    let edited = served.build();
    assert!(
        edited.changed > 0 && edited.changed < 20,
        "{}",
        edited.changed
    );
    assert_eq!(saved(), 1, "the edit's manifest is saved");
}

/// A build that fails (here on a broken gazette.toml) may not have taken in
/// what it was told changed: the next one, told only of the fix, must still
/// see the article edited meanwhile.
#[test]
fn a_failed_cached_build_forgets_nothing_it_was_told() {
    let site = copy_fixture("basic");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("served");
    let cache = Cache::default();
    let o = served_options(&site, &out, false);
    cache.watching();
    assert!(
        gazette::build_cached(&o, &(), Some(&cache))
            .summary
            .is_some()
    );
    let config = site.path().join("gazette.toml");
    let good = fs::read_to_string(&config).unwrap();
    fs::write(&config, format!("{good}\nnot toml [")).unwrap();
    edit(
        &site.path().join("content/2021/05/talks.md"),
        "Delegations met on Monday.",
        "Delegations met on Tuesday.",
    );
    cache.changed(Some(vec![
        "gazette.toml".into(),
        "content/2021/05/talks.md".into(),
    ]));
    assert!(
        gazette::build_cached(&o, &(), Some(&cache))
            .summary
            .is_none()
    );
    fs::write(&config, good).unwrap();
    cache.changed(Some(vec!["gazette.toml".into()]));
    let report = gazette::build_cached(&o, &(), Some(&cache));
    assert!(report.summary.is_some(), "{}", diagnostics_text(&report));
    let clean = work.path().join("clean");
    build_with_search(&site, &clean, false, false);
    assert_same_tree("fixed after a failed build", &out, &clean);
}

/// `serve`'s first build into the folder it served before takes the
/// articles (front matter and rendered bodies' digests) from the store a
/// `build` left, then keeps them in memory: its output equals a clean
/// build's, before and after an edit. Into a new folder, where every page
/// is made, it renders the bodies itself.
#[test]
fn serve_first_build_reads_the_article_store() {
    let site = copy_fixture("basic");
    settle(&site);
    let work = tempfile::tempdir().unwrap();
    build_with_search(&site, &work.path().join("public"), true, false);
    let out = work.path().join("served");
    let o = served_options(&site, &out, false);
    let new_folder = gazette::build_cached(&o, &(), Some(&Cache::default()));
    assert_eq!(new_folder.summary.expect("the site builds").reused, 0);
    // `serve` started again.
    let cache = Cache::default();
    let clean = work.path().join("clean");
    for step in ["first build", "body edited"] {
        if step == "body edited" {
            edit(
                &site.path().join("content/2021/05/talks.md"),
                "Delegations met on Monday.",
                "Delegations met on Sunday.",
            );
        }
        let report = gazette::build_cached(&o, &(), Some(&cache));
        let summary = report.summary.expect("the site builds");
        match step {
            "first build" => assert_eq!(summary.reused, summary.articles, "all from the store"),
            _ => assert_eq!(summary.reused, 0, "from memory, not the store"),
        }
        build_with_search(&site, &clean, false, false);
        assert_same_tree(step, &out, &clean);
        fs::remove_dir_all(&clean).unwrap();
    }
}

/// Every file and folder under `root` with its size and modification time,
/// as a file watcher tells them apart.
fn stamps(root: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Option<gazette::Stamp>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
            (rel, gazette::Stamp::of(e.path()).ok())
        })
        .collect()
}

fn cached_steps(search: bool, told: bool) {
    let site = copy_fixture("basic");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("served");
    let cache = Cache::default();
    let mut o = served_options(&site, &out, search);
    if told {
        cache.watching();
    }
    for (i, (step, change)) in STEPS.iter().enumerate() {
        let before = stamps(site.path());
        change(site.path(), &out);
        if told {
            let after = stamps(site.path());
            let changed: Vec<_> = before
                .keys()
                .chain(after.keys())
                .filter(|p| before.get(*p) != after.get(*p))
                .cloned()
                .collect();
            cache.changed(Some(changed));
        }
        // As `serve` does after its first build, the folder's files are
        // trusted to be as written, but where a step changed them by hand
        // (which `serve`, holding the folder's lock, does not expect).
        o.trust_output = i > 0 && !step.starts_with("output ");
        let report = gazette::build_cached(&o, &(), Some(&cache));
        assert!(
            report.summary.is_some(),
            "{step}: {}",
            diagnostics_text(&report)
        );
        let clean = work.path().join("clean");
        build_with_search(&site, &clean, false, search);
        assert_same_tree(step, &out, &clean);
        fs::remove_dir_all(&clean).unwrap();
    }
}

/// The three ways a page gets an article's body give the same pages: kept
/// in memory (search by Pagefind, which reads every body), written to the
/// build's spill file as rendered (no search, a clean build) and read back,
/// or recalled from the article cache without HTML and rendered again (a
/// build into a new folder, which renders every page).
#[test]
fn pages_are_the_same_whether_bodies_are_kept_spilled_or_rendered_again() {
    // Clean builds: the second ignores the caches the first left. Pagefind
    // reads every body, so a build with it keeps them all in memory.
    let site = sample_site();
    let config = site.path().join("gazette.toml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        format!("{text}\n[search]\nengine = \"pagefind\"\n"),
    )
    .unwrap();
    crate::harness::settle(&site);
    let work = tempfile::tempdir().unwrap();
    let [kept, spilled, again] = ["kept", "spilled", "again"].map(|d| work.path().join(d));
    build_with_search(&site, &kept, false, true);
    build_with_search(&site, &spilled, false, false);
    let (summary, _) = build_with_search(&site, &again, true, false);
    assert!(
        summary.reused > 0,
        "the last build recalls bodies from the article cache"
    );
    let pages: Vec<String> = files_under(&kept)
        .into_iter()
        .filter(|f| !f.starts_with("pagefind/"))
        .collect();
    assert!(pages.len() > 100, "the sample site has its pages");
    for other in [&spilled, &again] {
        assert_eq!(pages, files_under(other));
        for f in &pages {
            let a = fs::read(kept.join(f)).unwrap();
            let b = fs::read(other.join(f)).unwrap();
            assert!(a == b, "{f} differs in {}", other.display());
        }
    }
}

#[test]
fn a_body_edit_rewrites_only_the_pages_that_show_it() {
    let site = copy_fixture("basic");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("public");
    build_into(&site, &out, true);
    let article = out.join("2021/05/03/talks-open-in-geneva/index.html");
    let home = out.join("index.html");
    let before = |p: &Path| fs::metadata(p).unwrap().modified().unwrap();
    let (article_time, home_time) = (before(&article), before(&home));
    edit(
        &site.path().join("content/2021/05/talks.md"),
        "No agreement.",
        "No agreement yet.",
    );
    let summary = build_into(&site, &out, true);
    assert!(
        fs::read_to_string(&article)
            .unwrap()
            .contains("agreement yet")
    );
    assert_ne!(before(&article), article_time, "the article is rewritten");
    assert_eq!(
        before(&home),
        home_time,
        "the home page (which shows only the first paragraph) is not"
    );
    // The article page, the feeds listing its content, and the search
    // bundle; nothing like the whole site.
    assert!(
        summary.changed < summary.files / 3,
        "{} of {} files changed",
        summary.changed,
        summary.files
    );
}

#[test]
fn clean_starts_afresh_and_a_failed_build_keeps_the_manifest_valid() {
    let site = copy_fixture("basic");
    settle(&site);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("public");
    build_into(&site, &out, true);
    // A file gazette never wrote stays until a clean build.
    fs::write(out.join("stray.html"), "stray").unwrap();
    build_into(&site, &out, true);
    assert!(out.join("stray.html").exists());
    let clean = build_into(&site, &out, false);
    assert!(!clean.in_place);
    assert_eq!(clean.reused, 0, "a clean build reads every article");
    assert!(!out.join("stray.html").exists());
    // It leaves a fresh article cache for the next build.
    let next = build_into(&site, &out, true);
    assert_eq!(next.reused, next.articles);
    // A broken edit fails the build and leaves output and manifest as
    // they were: the next build is still incremental and correct.
    let talks = site.path().join("content/2021/05/talks.md");
    let good = fs::read_to_string(&talks).unwrap();
    fs::write(&talks, "---\ntitle: [unclosed\n---\n").unwrap();
    let mut o = options(&site);
    o.output = Some(out.clone());
    assert!(gazette::build(&o, &()).summary.is_none());
    fs::write(&talks, good.replace("Talks lasted", "The talks lasted")).unwrap();
    let summary = build_into(&site, &out, true);
    assert!(summary.in_place);
    let reference = work.path().join("reference");
    build_into(&site, &reference, false);
    assert_same_tree("after a failed build", &out, &reference);
}

/// A link to an article that is neither a neighbour nor related: when the
/// linked article moves, only the remembered link answer tells the article
/// cache that the linking body must be rendered again.
#[test]
fn a_link_follows_an_article_that_moves_far_away() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    fs::write(
        root.join("gazette.toml"),
        "title = \"Links\"\nbase_url = \"https://links.example/\"\n",
    )
    .unwrap();
    fs::create_dir_all(root.join("content")).unwrap();
    let article = |name: &str, date: &str, tag: &str, body: &str| {
        fs::write(
            root.join(format!("content/{name}.md")),
            format!("---\ntitle: {name}\ndate: {date}\ntags: [{tag}]\n---\n{body}\n"),
        )
        .unwrap();
    };
    article(
        "linking",
        "2020-01-01",
        "one",
        "See [the target](target.md).",
    );
    article("between", "2021-01-01", "two", "Nothing to see.");
    article("next", "2022-01-01", "three", "Nothing either.");
    article("target", "2023-01-01", "four", "The target.");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("public");
    settle(&site);
    build_into(&site, &out, true);
    let page = out.join("2020/01/01/linking/index.html");
    assert!(
        fs::read_to_string(&page)
            .unwrap()
            .contains("/2023/01/01/target/")
    );
    edit(
        &root.join("content/target.md"),
        "title: target\n",
        "title: target\nslug: moved\n",
    );
    settle(&site);
    let summary = build_into(&site, &out, true);
    assert!(
        summary.reused >= 2,
        "the untouched articles come from the cache"
    );
    assert!(
        fs::read_to_string(&page)
            .unwrap()
            .contains("/2023/01/01/moved/"),
        "the link follows the moved article"
    );
}
