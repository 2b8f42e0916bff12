//! One broken site per error kind: the build fails with exit status 1,
//! writes nothing, and reports exactly these errors (snapshotted).

use crate::harness::{build_with, check, copy_fixture, diagnostics_text, fixture};

fn assert_broken(kind: &str) -> String {
    let name = format!("broken/{kind}");
    let built = build_with(&name, |_| {});
    assert!(built.report.summary.is_none(), "{kind} should fail");
    assert!(
        !built.out.exists(),
        "{kind}: a failed build wrote its output"
    );
    let checked = check(&copy_fixture(&name));
    assert_eq!(
        diagnostics_text(&checked),
        built.errors(),
        "check and build disagree on {kind}"
    );
    assert!(built.report.diagnostics.iter().any(|d| d.is_error()));
    built.errors()
}

macro_rules! broken {
    ($($kind:ident),* $(,)?) => {$(
        #[test]
        fn $kind() {
            insta::assert_snapshot!(stringify!($kind), assert_broken(stringify!($kind)));
        }
    )*};
}

broken!(
    config_missing,
    config_syntax,
    config_unknown_keys,
    config_wrong_type,
    config_bad_values,
    theme_unknown,
    fm_missing,
    fm_unclosed,
    fm_yaml_syntax,
    fm_wrong_types,
    fm_required,
    fm_bad_date,
    fm_bad_slug,
    fm_both_author_keys,
    fm_bad_alias,
    fm_bad_names,
    not_utf8,
    empty_file,
    link_missing,
    image_missing,
    url_collision,
    alias_collision,
    template_syntax,
    template_render,
    template_missing_parent,
    many_errors,
    errors_in_one_pass,
);

/// Every broken fixture folder has a test above.
#[test]
fn every_broken_fixture_is_tested() {
    let this = include_str!("broken.rs");
    for entry in std::fs::read_dir(fixture("broken")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            this.contains(&format!("    {name},")),
            "tests/fixtures/broken/{name} has no test"
        );
    }
}
