//! The binary: flags, exit codes, summary line, SOURCE_DATE_EPOCH.

use assert_cmd::Command;

use crate::harness::copy_fixture;

fn gazette() -> Command {
    let mut cmd = Command::cargo_bin("gazette").unwrap();
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// A second build into the same output is incremental and says how many
/// files changed; `--clean` is a full build again.
#[test]
fn a_second_build_is_incremental_unless_clean() {
    let site = copy_fixture("basic");
    let out = site.path().join("public");
    let build = |extra: &[&str]| {
        let assert = gazette()
            .args(["build", "--no-search", "--root"])
            .arg(site.path())
            .args(extra)
            .assert()
            .success();
        String::from_utf8(assert.get_output().stdout.clone()).unwrap()
    };
    assert!(!build(&[]).contains("changed"));
    let again = build(&[]);
    assert!(again.contains(" (0 changed) in "), "{again}");
    std::fs::remove_file(out.join("index.html")).unwrap();
    let repaired = build(&[]);
    assert!(repaired.contains(" (1 changed) in "), "{repaired}");
    assert!(out.join("index.html").exists());
    assert!(!build(&["--clean"]).contains("changed"));
}

#[test]
fn build_prints_one_summary_line_and_exits_0() {
    let site = copy_fixture("basic");
    let out = tempfile::tempdir().unwrap();
    let assert = gazette()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(out.path().join("site"))
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("2 articles, 34 pages, 49 files into "),
        "{stdout}"
    );
    assert!(stdout.ends_with(" s\n"), "{stdout}");
    // Not a terminal: no progress bar, only the one warning of the fixture
    // (an image without alt text).
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(
        stderr,
        "warning: content/2021/05/talks.md:7:1: the image has no `alt` text: screen readers will announce nothing; add `alt:`\n"
    );
    assert!(out.path().join("site/index.html").exists());
}

#[test]
fn site_errors_exit_1_with_positioned_messages() {
    let site = copy_fixture("broken/fm_bad_date");
    let out = tempfile::tempdir().unwrap();
    let assert = gazette()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(out.path().join("site"))
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with("error: content/a.md:3:1: `date`: `next tuesday` is not a date"),
        "{stderr}"
    );
    assert!(!out.path().join("site").exists());
}

/// Run in a copy of a site: without `--root`, a command line accepted by
/// mistake would build the current folder (the repository).
#[test]
fn command_line_errors_exit_2() {
    let site = copy_fixture("basic");
    let in_site = || {
        let mut cmd = gazette();
        cmd.current_dir(site.path());
        cmd
    };
    in_site().args(["build", "--jobs", "0"]).assert().code(2);
    in_site().args(["build", "--no-such-flag"]).assert().code(2);
    in_site().args(["frobnicate"]).assert().code(2);
    in_site()
        .arg("build")
        .env("SOURCE_DATE_EPOCH", "soon")
        .assert()
        .code(2);
    assert!(!site.path().join("public").exists());
}

#[test]
fn check_writes_nothing() {
    let site = copy_fixture("basic");
    gazette()
        .args(["check", "--root"])
        .arg(site.path())
        .assert()
        .success();
    assert!(!site.path().join("public").exists());
    let entries: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries.len(), 3, "{entries:?}");
}

#[test]
fn source_date_epoch_decides_what_is_future() {
    let site = copy_fixture("basic");
    let future = site
        .path()
        .join("public/2099/01/01/tomorrows-news/index.html");
    gazette()
        .args(["build", "--quiet", "--root"])
        .arg(site.path())
        .assert()
        .success();
    assert!(!future.exists());
    gazette()
        .args(["build", "--quiet", "--root"])
        .arg(site.path())
        .env("SOURCE_DATE_EPOCH", "4102444800")
        .assert()
        .success()
        .stdout("");
    assert!(future.exists());
}

#[test]
fn minified_by_default_and_not_with_no_minify() {
    let site = copy_fixture("basic");
    let page = site
        .path()
        .join("public/2021/05/03/talks-open-in-geneva/index.html");
    gazette()
        .args(["build", "--root"])
        .arg(site.path())
        .assert()
        .success();
    let minified = std::fs::read_to_string(&page).unwrap();
    gazette()
        .args(["build", "--no-minify", "--root"])
        .arg(site.path())
        .assert()
        .success();
    let plain = std::fs::read_to_string(&page).unwrap();
    assert!(minified.len() < plain.len());
    assert!(plain.contains("\n<body>\n"));
    assert!(!minified.contains("\n<body>"));
}
