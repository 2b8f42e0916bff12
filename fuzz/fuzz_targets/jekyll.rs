//! A Jekyll post. The input's first line is the file's path in the site
//! (`_posts/2019-05-03-we-are-hiring.md`, `news/_posts/x.html`,
//! `_drafts/idea.md`), the rest its text: front matter (YAML, TOML or
//! JSON) and a Markdown or HTML body with Liquid, read by
//! `gazette::import::text::jekyll_post` as `gazette import jekyll` reads
//! it (dates and slugs from the file name, permalinks, authors, lead
//! image, Liquid and kramdown converted, HTML to Markdown). The body's
//! Liquid is also converted alone (`jekyll_liquid`).
//!
//! Beyond not panicking: a post that is read has a plain, non-empty
//! title, a slug, an update later than its date, names, and URLs that are
//! site paths (`/...`, its own without `//`); text without `{` comes out
//! of the Liquid conversion as it went in.

#![no_main]

use std::path::Path;

use gazette::import::Log;
use gazette::import::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (rel, file) = input.split_once('\n').unwrap_or((input, ""));
    // Paths as a walk of the source folder gives them: no empty, `.` or
    // `..` segments.
    let plain = rel
        .split('/')
        .all(|s| !s.is_empty() && s != "." && s != "..");
    let (markdown, html) = text::jekyll_liquid(file);
    if !file.contains('{') {
        assert_eq!(markdown, file);
        assert_eq!(html, file);
    }
    if !plain {
        return;
    }
    let mut log = Log::default();
    let root = Path::new("/nonexistent/jekyll-site");
    let Ok(Some(post)) = text::jekyll_post(root, rel, file, &mut log) else {
        return;
    };
    assert!(
        !post.title.is_empty() && post.title == post.title.trim(),
        "title {:?}",
        post.title
    );
    assert!(!post.slug.is_empty(), "no slug");
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
    let own = post.urls.first().expect("a post has its own URL");
    assert!(!own.contains("//"), "own URL {own:?}");
    for url in &post.urls {
        assert!(url.starts_with('/'), "URL {url:?}");
    }
});
