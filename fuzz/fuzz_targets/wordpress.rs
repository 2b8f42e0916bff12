//! A WordPress export (WXR XML): read by `gazette::import::text::wordpress`
//! as `gazette import wordpress` reads `export.xml` (channel, authors,
//! items, categories, post meta, featured images, dates and the time zone
//! they imply), every post's HTML body converted to Markdown.
//!
//! Beyond not panicking: every post and every skipped entry names a line
//! of the export that exists; every post has a plain, non-empty title,
//! non-empty author names, an update later than its date, and old URLs
//! that are site paths (`/...`).

#![no_main]

use gazette::import::Log;
use gazette::import::text;
use libfuzzer_sys::fuzz_target;

/// The line in an origin `export.xml:LINE`, checked to exist.
fn check_origin(origin: &str, lines: usize) {
    let line = origin
        .strip_prefix("export.xml:")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("origin {origin:?}"));
    assert!((1..=lines).contains(&line), "{origin} of {lines} lines");
}

fuzz_target!(|data: &[u8]| {
    let Ok(xml) = std::str::from_utf8(data) else {
        return;
    };
    let mut log = Log::default();
    let Ok(archive) = text::wordpress(xml, &mut log) else {
        return;
    };
    let lines = xml.matches('\n').count() + 1;
    for skipped in &log.skipped {
        check_origin(&skipped.origin, lines);
    }
    assert!(archive.site.timezone.is_some());
    for post in &archive.posts {
        check_origin(&post.origin, lines);
        assert!(
            !post.title.is_empty() && post.title == post.title.trim(),
            "title {:?}",
            post.title
        );
        for name in &post.authors {
            assert!(!name.trim().is_empty(), "author {name:?}");
        }
        if let Some(updated) = &post.updated {
            assert!(updated.timestamp() > post.date.timestamp());
        }
        for url in &post.urls {
            assert!(url.starts_with('/'), "{}: old URL {url:?}", post.origin);
        }
    }
});
