//! An article body: Markdown to HTML by `gazette::content::markdown::render`,
//! with raw HTML allowed or escaped and ASCII or Japanese slugs (chosen by
//! the input's length), links to other articles' `.md` files and local
//! images resolved against a made-up site.
//!
//! Beyond not panicking: every problem and every piece of template code is
//! reported at a line of the body (counted from the file's top) and a
//! column from 1; every local file the body uses lies inside the site
//! (plain relative path, no `..`), under its own file name, each name
//! once; with raw HTML escaped, no `<script` element comes out.

#![no_main]

use std::path::{Component, Path};

use gazette::content::markdown::{self, Input, Links};
use gazette::content::slug::Slugs;
use libfuzzer_sys::fuzz_target;

/// A site where an article exists when its path has an even length, and
/// a file exists when its name has an extension and an even length.
struct MadeUpSite;

impl Links for MadeUpSite {
    fn article(&self, source: &Path) -> Result<String, String> {
        let text = source.to_string_lossy();
        if text.len().is_multiple_of(2) {
            Ok(format!("/{}/", text.trim_end_matches(".md")))
        } else {
            Err("no such article".into())
        }
    }

    fn file_exists(&self, path: &Path) -> bool {
        path.file_name()
            .is_some_and(|n| n.to_string_lossy().contains('.') && n.len().is_multiple_of(2))
    }

    fn image(&self, path: &Path) -> Option<gazette::images::Probe> {
        // Wide enough for renditions when the name is long.
        Some(gazette::images::Probe {
            width: path.as_os_str().len() as u32 * 40,
            height: 10,
            format: Some(gazette::images::Format::Jpeg),
            orientation: 1,
        })
    }
}

/// Line 7 of the file: as if the front matter took lines 1 to 6.
const BODY_LINE: usize = 7;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let raw_html = data.len().is_multiple_of(2);
    let input = Input {
        body,
        body_line: BODY_LINE,
        source: Path::new("content/2024/01/an-article.md"),
        page_link: "/2024/01/02/an-article/",
        raw_html,
        template_code: true,
        slugs: if data.len().is_multiple_of(3) {
            Slugs::KeepJapanese
        } else {
            Slugs::Ascii
        },
        images: &gazette::images::Settings::default(),
    };
    let out = markdown::render(&input, &MadeUpSite);
    let last = BODY_LINE + body.matches('\n').count();
    for (line, col, message) in out.problems.iter().chain(&out.template_code) {
        assert!(
            (BODY_LINE..=last).contains(line) && *col >= 1,
            "{line}:{col} (lines {BODY_LINE} to {last}): {message}"
        );
    }
    let mut names = Vec::new();
    for (file, name) in &out.assets {
        let inside = file.components().all(|c| matches!(c, Component::Normal(_)));
        assert!(
            inside && file.components().next().is_some(),
            "asset {file:?}"
        );
        assert_eq!(
            file.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .as_ref(),
            Some(name),
            "asset {file:?} named {name:?}"
        );
        assert!(!names.contains(&name), "two assets named {name:?}");
        names.push(name);
    }
    if !raw_html {
        assert!(
            !out.html.to_ascii_lowercase().contains("<script"),
            "a script element with raw HTML escaped: {}",
            out.html
        );
    }
});
