//! Theme layering: site templates over the theme, a site theme over the
//! built-in one, and overrides that extend what they replace.

use crate::harness::build;

#[test]
fn site_templates_override_theme_partials_and_extend_base() {
    let built = build("theme_override");
    built.assert_ok();
    let html = built.read("2024/01/01/override-me/index.html");
    assert!(html.contains("Written by Ann Author (site byline)"));
    // The site's article.html extends the theme's and keeps its block content.
    assert!(html.contains(r#"<aside class="article-extra">Added to articles</aside>"#));
    assert!(
        html.contains(r#"<aside class="more" aria-label="More stories">"#),
        "super() kept the theme's block"
    );
    // The site's base.html extends the theme's; list pages show its block.
    let home = built.read("index.html");
    assert!(home.contains(r#"<aside class="site-extra">Added by the site</aside>"#));
    assert!(home.contains(r#"<a href="/2024/01/01/override-me/">Override Me</a>"#));
    // The rest of the theme's base is still there.
    assert!(html.contains(r##"<a class="skip-link" href="#main">"##));
    assert!(
        html.contains(r#"<link rel="canonical""#),
        "the article template still fills the head"
    );
}

#[test]
fn a_site_theme_layers_over_the_built_in_one() {
    let built = build("custom_theme");
    built.assert_ok();
    let html = built.read("2024/01/01/plain-theme/index.html");
    assert!(html.starts_with("<!DOCTYPE html><html lang=\"en\"><head><title>Plain Theme</title>"));
    assert!(built.exists("plain.css"));
    // What the theme does not have comes from broadsheet.
    assert!(
        built
            .read("index.html")
            .contains(r#"<a href="/2024/01/01/plain-theme/">Plain Theme</a>"#)
    );
    assert!(built.exists("broadsheet.css"));
}
