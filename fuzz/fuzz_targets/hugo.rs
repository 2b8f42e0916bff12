//! A Hugo page. The input is the site's `hugo.toml`, a NUL byte, then the
//! page's path below content/ on one line (`news/harbour.md`,
//! `news/council/index.md`, `about.html`) and the page's text: front
//! matter (TOML, YAML or JSON) and a body with shortcodes, read by
//! `gazette::import::text::hugo_post` as `gazette import hugo` reads it
//! (dates, permalinks of the configuration, aliases, taxonomies, lead
//! image, shortcodes converted, HTML to Markdown). Without a NUL the
//! configuration is empty. The body's shortcodes are also converted alone
//! (`hugo_shortcodes`).
//!
//! Beyond not panicking: a page that is read has a plain, non-empty
//! title, an update later than its date, names, and URLs that are site
//! paths (`/...`); text without `{{` comes out of the shortcode
//! conversion as it went in.

#![no_main]

use std::path::Path;

use gazette::import::Log;
use gazette::import::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (config, page) = input.split_once('\0').unwrap_or(("", input));
    let (rel, file) = page.split_once('\n').unwrap_or((page, ""));
    // Paths as a walk of the source folder gives them: no empty, `.` or
    // `..` segments.
    let plain = rel
        .split('/')
        .all(|s| !s.is_empty() && s != "." && s != "..");
    let converted = text::hugo_shortcodes(file);
    if !file.contains("{{") {
        assert_eq!(converted, file);
    }
    if !plain {
        return;
    }
    let mut log = Log::default();
    let Ok(post) = text::hugo_post(config, Path::new(rel), file, &mut log) else {
        return;
    };
    assert!(
        !post.title.is_empty() && post.title == post.title.trim(),
        "title {:?}",
        post.title
    );
    if let Some(updated) = &post.updated {
        assert!(updated.timestamp() > post.date.timestamp());
    }
    for name in post.authors.iter().chain(&post.tags) {
        assert!(!name.trim().is_empty(), "name {name:?}");
    }
    assert!(
        post.categories.iter().all(|c| !c.is_empty()),
        "{:?}",
        post.categories
    );
    assert!(!post.urls.is_empty(), "a page has its own URL");
    for url in &post.urls {
        assert!(url.starts_with('/'), "URL {url:?}");
    }
});
