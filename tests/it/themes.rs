//! Theme layering: site templates over the theme, a site theme over the
//! built-in one, and overrides that extend what they replace.

use crate::harness::build;

#[test]
fn site_templates_override_theme_partials_and_extend_base() {
    let built = build("theme_override");
    built.assert_ok();
    let html = built.read("2024/01/01/override-me/index.html");
    assert!(html.contains("Written by Ann Author (site byline)"));
    assert!(html.contains(r#"<aside class="site-extra">Added by the site</aside>"#));
    // The rest of the theme's base is still there.
    assert!(html.contains(r##"<a class="skip-link" href="#main">"##));
    assert!(
        html.contains(r#"<link rel="canonical""#),
        "the article template still fills the head"
    );
}

#[test]
fn a_site_theme_replaces_the_built_in_one() {
    let built = build("custom_theme");
    built.assert_ok();
    let html = built.read("2024/01/01/plain-theme/index.html");
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"en\"><head><title>Plain Theme</title>"));
    assert!(built.exists("plain.css"));
    assert!(!built.exists("broadsheet.css"));
}
