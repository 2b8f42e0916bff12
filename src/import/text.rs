//! The readers' parsers on text held in memory: what an import makes of
//! one WordPress export, one Jekyll or Hugo page, one configuration file
//! or one piece of HTML, without a source folder.
//!
//! These are the entry points of the fuzz targets in `fuzz/`: each takes
//! untrusted text and must not panic, hang or exhaust memory on any of it.
//! They read no files and write none (but for the Jekyll reader asking
//! whether a lead image exists under `root`).

use std::collections::BTreeMap;
use std::path::Path;

use super::post::{Archive, Post};
use super::sources::{self, Map};
use super::{Log, html, hugo, jekyll, wordpress};
use crate::site::profiles::Profile;

/// A WordPress export (WXR) read into an archive, as `gazette import
/// wordpress` reads `export.xml` without `--uploads` and `--timezone`.
pub fn wordpress(xml: &str, log: &mut Log) -> Result<Archive, String> {
    wordpress::from_text(xml, "export.xml", None, None, log)
}

/// The HTML of a WordPress post as Markdown: block comments dropped,
/// paragraphs made explicit, `[caption]` and `[embed]` converted, other
/// shortcodes kept.
pub fn wordpress_body(html: &str) -> String {
    wordpress::convert_body(html)
}

/// A Jekyll post: the file at `rel` (a `/`-separated path below the site
/// `root` with a `_posts` or `_drafts` folder in it, such as
/// `_posts/2019-05-03-hiring.md`) holding `text`, in a site of Jekyll's
/// default settings. `Ok(None)`: a file Jekyll does not convert.
pub fn jekyll_post(
    root: &Path,
    rel: &str,
    text: &str,
    log: &mut Log,
) -> Result<Option<Post>, String> {
    jekyll::post_of_text(root, rel, text, log)
}

/// The Liquid of a Jekyll body with a Markdown form converted: the body
/// of a Markdown post, and the HTML of an HTML post with the Liquid left in
/// it set aside.
pub fn jekyll_liquid(body: &str) -> (String, String) {
    jekyll::convert_liquid(body)
}

/// A Hugo page: the file at `rel` (a path below content/, such as
/// `news/harbour.md` or `news/council/index.md`) holding `text`, in a site
/// configured by the TOML text `config` (`hugo.toml`).
pub fn hugo_post(config: &str, rel: &Path, text: &str, log: &mut Log) -> Result<Post, String> {
    let config = sources::config_text(config, "toml").map_err(|e| format!("hugo.toml: {e}"))?;
    hugo::post_of_text(&config, rel, text, log)
}

/// The shortcodes of a Hugo body with a Markdown form converted.
pub fn hugo_shortcodes(body: &str) -> String {
    hugo::parse_shortcode(body)
}

/// A configuration or data file of another generator, read as the readers
/// read them by extension (`hugo.toml`, `_config.yml`, `config.json`).
pub fn config(name: &str, text: &str) -> Result<Map, String> {
    let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    sources::config_text(text, ext)
}

/// The author profiles of a Jekyll `_data/authors.yml` holding `text`.
pub fn jekyll_authors(text: &str) -> Result<BTreeMap<String, Profile>, String> {
    sources::config_text(text, "yml").map(jekyll::authors_of)
}

/// An HTML body as Markdown (see [`html::to_markdown`]).
pub fn html_to_markdown(html: &str) -> String {
    html::to_markdown(html)
}

/// The plain text of an HTML fragment (titles, captions), white space
/// collapsed (see [`html::text`]).
pub fn html_text(html: &str) -> String {
    html::text(html)
}

/// WordPress's automatic paragraphs (see [`html::autop`]).
pub fn autop(html: &str) -> String {
    html::autop(html)
}
