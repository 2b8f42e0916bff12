//! Nothing lost: a failed build leaves the old site; pages of removed
//! articles go; the output may not overwrite the site; nothing is written
//! outside it.

use std::fs;

use crate::harness::{build_root, copy_fixture, files_under, options};

#[test]
fn failed_build_leaves_previous_site_untouched() {
    let site = copy_fixture("basic");
    let out = site.path().join("public");
    let ok = gazette::build(&options(&site), &());
    assert!(ok.summary.is_some());
    let before: Vec<(String, Vec<u8>)> = files_under(&out)
        .into_iter()
        .map(|f| (f.clone(), fs::read(out.join(&f)).unwrap()))
        .collect();
    fs::write(
        site.path().join("content/2021/05/talks.md"),
        "---\ntitle: broken\n",
    )
    .unwrap();
    let failed = gazette::build(&options(&site), &());
    assert!(failed.summary.is_none());
    let after: Vec<(String, Vec<u8>)> = files_under(&out)
        .into_iter()
        .map(|f| (f.clone(), fs::read(out.join(&f)).unwrap()))
        .collect();
    assert_eq!(before, after);
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".gazette")
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn pages_of_removed_articles_do_not_survive() {
    let site = copy_fixture("basic");
    let out = site.path().join("public");
    assert!(gazette::build(&options(&site), &()).summary.is_some());
    fs::remove_file(site.path().join("content/2021/05/talks.md")).unwrap();
    // The link to the removed article must go too, or the build fails.
    let response = site.path().join("content/2022/01/response.md");
    let text = fs::read_to_string(&response)
        .unwrap()
        .replace("(../../2021/05/talks.md#outcome)", "(https://example.com/)");
    fs::write(&response, text).unwrap();
    assert!(gazette::build(&options(&site), &()).summary.is_some());
    assert!(
        !out.join("2021/05/03/talks-open-in-geneva/index.html")
            .exists()
    );
}

#[test]
fn output_may_not_overwrite_the_site() {
    let site = copy_fixture("basic");
    for bad in [
        site.path().to_path_buf(),
        site.path().join("content"),
        site.path().join("static/out"),
        site.path().join(".."),
    ] {
        let built = build_root(&site, |o| o.output = Some(bad.clone()));
        assert!(
            built.report.summary.is_none(),
            "{} accepted as output",
            bad.display()
        );
        assert!(built.errors().contains("the output"), "{}", built.errors());
    }
    assert!(site.path().join("content/2022/01/response.md").exists());
    assert!(site.path().join("gazette.toml").exists());
}

#[test]
fn hostile_slugs_and_aliases_write_nothing_outside() {
    let site = copy_fixture("basic");
    let outside = site
        .path()
        .parent()
        .unwrap()
        .join("gazette-escape-test.html");
    fs::write(
        site.path().join("content/evil.md"),
        "---\ntitle: Evil\ndate: 2024-01-01\nslug: ../../../gazette-escape-test\naliases: [\"/../../gazette-escape-test.html\", \"..\\\\..\\\\x.html\"]\n---\n",
    )
    .unwrap();
    let built = build_root(&site, |_| {});
    assert!(built.report.summary.is_none());
    assert!(!outside.exists());
    let errors = built.errors();
    assert!(
        errors.contains("slug `../../../gazette-escape-test` may not contain"),
        "{errors}"
    );
    assert!(
        errors.contains("is not a plain path inside the site"),
        "{errors}"
    );
}
