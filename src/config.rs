//! `gazette.toml`: read exactly as written ([`RawConfig`]), then validated
//! into the typed [`Config`] the rest of the build uses.
//!
//! Takes the site root and command-line overrides; returns a `Config` or
//! diagnostics naming `gazette.toml` with line and column. Knows nothing of
//! content or templates.

use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Failed, did_you_mean, line_col};
use crate::url::{BaseUrl, Permalink};

/// The folder of the articles, below the site root.
pub const CONTENT_DIR: &str = "content";

pub const CONFIG_FILE: &str = "gazette.toml";

/// `gazette.toml` as written. Every field is optional here; defaults and
/// validation happen in [`Config::from_raw`].
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawConfig {
    /// The site's name, shown in the masthead, titles, feeds and JSON-LD.
    pub title: Option<String>,
    /// The public address of the site; absolute URLs (feeds, sitemaps,
    /// canonical links) start with it, and its path prefixes every link.
    pub base_url: Option<String>,
    /// BCP 47 language tag of the content (`<html lang>`, feeds).
    pub language: Option<String>,
    /// One-line description of the site (meta description of the home page).
    pub description: Option<String>,
    /// Theme name: `themes/NAME/` of the site, else the built-in theme.
    pub theme: Option<String>,
    /// IANA time zone deciding calendar pages and datelines.
    pub timezone: Option<String>,
    /// Number of items on one page of a list.
    pub per_page: Option<i64>,
    pub permalinks: RawPermalinks,
    pub markdown: RawMarkdown,
    pub feeds: RawFeeds,
    pub search: RawSearch,
    pub social: RawSocial,
    pub images: RawImages,
    /// Free-form values passed to templates as `site.extra`.
    pub extra: Option<toml::Table>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawPermalinks {
    /// URL pattern of article pages; tokens `:year :month :day :slug :section`.
    pub article: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawMarkdown {
    /// `false` escapes raw HTML written in article bodies.
    pub raw_html: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawFeeds {
    /// How many entries the feeds carry.
    pub limit: Option<i64>,
    /// `true` puts the whole article in feed entries, else the summary.
    pub full_content: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawSearch {
    /// `gazette` (the project's own index, the default) or `pagefind`.
    pub engine: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawSocial {
    /// Share image of pages without one of their own: a file of `static/`
    /// (`/img/share.png`) or an absolute URL.
    pub image: Option<String>,
    /// The publisher's logo in structured data, the same way.
    pub logo: Option<String>,
    /// The site's account on X/Twitter (`@newsroom`), for `twitter:site`.
    pub twitter: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawImages {
    /// `false` publishes local images as they are, with no renditions.
    pub renditions: Option<bool>,
    /// Widths in pixels of the resized copies offered in `srcset`.
    pub widths: Option<Vec<i64>>,
    /// JPEG and WebP quality, 1 to 100.
    pub quality: Option<i64>,
    /// `false` writes no WebP renditions (only the JPEG or PNG ones).
    pub webp: Option<bool>,
    /// Width in pixels of a lead image's 16:9, 4:3 and 1:1 crops.
    pub crop_width: Option<i64>,
    /// The `sizes` attribute of images in article bodies.
    pub sizes: Option<String>,
}

const TOP_KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "description",
    "theme",
    "timezone",
    "per_page",
    "permalinks",
    "markdown",
    "feeds",
    "search",
    "social",
    "images",
    "extra",
];
const PERMALINK_KEYS: &[&str] = &["article"];
const MARKDOWN_KEYS: &[&str] = &["raw_html"];
const FEED_KEYS: &[&str] = &["limit", "full_content"];
const SEARCH_KEYS: &[&str] = &["engine"];
const SOCIAL_KEYS: &[&str] = &["image", "logo", "twitter"];
const IMAGE_KEYS: &[&str] = &[
    "renditions",
    "widths",
    "quality",
    "webp",
    "crop_width",
    "sizes",
];

/// Which search index a build writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchEngine {
    /// Pagefind's bundle under `/pagefind/`.
    Pagefind,
    /// gazette's own index under `/search-index/` (docs/search.md).
    #[default]
    Gazette,
}

/// The validated configuration.
#[derive(Debug, PartialEq)]
pub struct Config {
    /// The site folder (holding `gazette.toml`).
    pub root: PathBuf,
    pub title: String,
    pub base_url: BaseUrl,
    pub language: String,
    /// How slugs are made in this language.
    pub slugs: crate::content::slug::Slugs,
    pub description: String,
    pub theme: String,
    pub timezone: TimeZone,
    pub timezone_name: String,
    pub per_page: usize,
    pub permalink: Permalink,
    pub raw_html: bool,
    pub feed_limit: usize,
    pub feed_full_content: bool,
    pub search_engine: SearchEngine,
    pub social: Social,
    pub images: crate::images::Settings,
    pub extra: toml::Table,
}

/// The `[social]` table, checked: images are `/`-rooted paths of
/// `static/` or absolute URLs, the handle starts with `@`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Social {
    pub image: Option<String>,
    pub logo: Option<String>,
    pub twitter: Option<String>,
}

impl Config {
    /// What reading an article depends on besides its text: the time zone
    /// (local dates) and how slugs are made. Kept articles of an earlier
    /// build are trusted only under the same.
    pub fn reading(&self) -> String {
        match self.slugs {
            crate::content::slug::Slugs::Ascii => self.timezone_name.clone(),
            crate::content::slug::Slugs::KeepJapanese => format!("{} ja", self.timezone_name),
        }
    }
}

/// Command-line values that take precedence over the file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub base_url: Option<String>,
}

impl Config {
    pub fn content_dir(&self) -> PathBuf {
        self.root.join(CONTENT_DIR)
    }

    pub fn static_dir(&self) -> PathBuf {
        self.root.join("static")
    }

    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }

    pub fn themes_dir(&self) -> PathBuf {
        self.root.join("themes")
    }

    /// Validates `raw`, reporting every bad value against `gazette.toml`.
    pub fn from_raw(
        root: &Path,
        raw: RawConfig,
        overrides: &Overrides,
        src: &str,
        diags: &mut Diagnostics,
    ) -> Result<Config, Failed> {
        let RawConfig {
            title,
            base_url,
            language,
            description,
            theme,
            timezone,
            per_page,
            permalinks: RawPermalinks { article },
            markdown: RawMarkdown { raw_html },
            feeds: RawFeeds {
                limit,
                full_content,
            },
            search: RawSearch { engine },
            social,
            images,
            extra,
        } = raw;
        let mut bad = BadValues::default();
        let base_url = base_url_of(overrides.base_url.clone().or(base_url), &mut bad);
        let (timezone, timezone_name) = timezone_of(timezone, &mut bad);
        let per_page = at_least_one(per_page.unwrap_or(20), "per_page", &mut bad);
        let feed_limit = at_least_one(limit.unwrap_or(50), "feeds.limit", &mut bad);
        let permalink = permalink_of(article, &mut bad);
        let theme = theme_of(theme, &mut bad);
        let language = language_of(language, &mut bad);
        let search_engine = match engine.as_deref() {
            Some("pagefind") => SearchEngine::Pagefind,
            None | Some("gazette") => SearchEngine::Gazette,
            Some(other) => {
                bad.push(
                    "search.engine",
                    format!("search engine `{other}` is unknown; use `gazette` or `pagefind`"),
                );
                SearchEngine::Gazette
            }
        };
        let social = social_of(social, &mut bad);
        let images = images_of(images, &mut bad);
        bad.report(src, diags)?;
        Ok(Config {
            root: root.to_path_buf(),
            title: title.unwrap_or_else(|| "gazette".to_string()),
            base_url,
            slugs: crate::content::slug::Slugs::for_language(&language),
            language,
            description: description.unwrap_or_default(),
            theme,
            timezone,
            timezone_name,
            per_page,
            permalink,
            raw_html: raw_html.unwrap_or(true),
            feed_limit,
            feed_full_content: full_content.unwrap_or(false),
            search_engine,
            social,
            images,
            extra: extra.unwrap_or_default(),
        })
    }
}

/// The bad values found while validating, in order: the key's dotted path
/// (`feeds.limit`) and the message.
#[derive(Default)]
struct BadValues(Vec<(&'static str, String)>);

impl BadValues {
    fn push(&mut self, key: &'static str, message: String) {
        self.0.push((key, message));
    }

    /// Reports each bad value at the line of its key; fails if there was one.
    fn report(self, src: &str, diags: &mut Diagnostics) -> Result<(), Failed> {
        if self.0.is_empty() {
            return Ok(());
        }
        for (key, message) in self.0 {
            diags.push(at_key(src, key, Diagnostic::error(CONFIG_FILE, message)));
        }
        Err(Failed)
    }
}

/// The base URL: the command line's, else the file's, else localhost.
fn base_url_of(written: Option<String>, bad: &mut BadValues) -> BaseUrl {
    let base_url = written.unwrap_or_else(|| "http://localhost/".to_string());
    BaseUrl::parse(&base_url).unwrap_or_else(|e| {
        bad.push("base_url", e);
        BaseUrl::default()
    })
}

/// The time zone and its name (default UTC).
fn timezone_of(written: Option<String>, bad: &mut BadValues) -> (TimeZone, String) {
    let name = written.unwrap_or_else(|| "UTC".to_string());
    let tz = TimeZone::get(&name).unwrap_or_else(|_| {
        bad.push(
            "timezone",
            format!("unknown time zone `{name}` (use an IANA name such as `Europe/Paris`)"),
        );
        TimeZone::UTC
    });
    (tz, name)
}

/// A count that must be at least 1; `name` is the key as users write it.
fn at_least_one(n: i64, key: &'static str, bad: &mut BadValues) -> usize {
    positive(n).unwrap_or_else(|| {
        bad.push(key, format!("`{key}` must be a whole number of at least 1"));
        1
    })
}

/// The article URL pattern (default `/:year/:month/:day/:slug/`).
fn permalink_of(written: Option<String>, bad: &mut BadValues) -> Permalink {
    let pattern = written.unwrap_or_else(|| "/:year/:month/:day/:slug/".to_string());
    Permalink::parse(&pattern).unwrap_or_else(|e| {
        bad.push("permalinks.article", format!("permalinks.article: {e}"));
        Permalink::default()
    })
}

/// The theme name (default `broadsheet`): letters, digits, `-` and `_`.
fn theme_of(written: Option<String>, bad: &mut BadValues) -> String {
    let theme = written.unwrap_or_else(|| "broadsheet".to_string());
    if theme.is_empty()
        || !theme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
    {
        bad.push(
            "theme",
            format!("theme name `{theme}` may hold only letters, digits, `-` and `_`"),
        );
    }
    theme
}

/// The `[social]` table: each image a static path (`/img/share.png`) or
/// an absolute URL; the handle `@` and up to 15 letters, digits or `_`
/// (the `@` may be left out).
fn social_of(raw: RawSocial, bad: &mut BadValues) -> Social {
    let mut image = |value: Option<String>, key: &'static str| {
        let value = value?;
        let ok = value.starts_with('/') && !value.starts_with("//")
            || value.starts_with("https://")
            || value.starts_with("http://");
        if !ok {
            bad.push(
                key,
                format!(
                    "`{value}` is neither a file of static/ (`/img/share.png`) nor an absolute URL"
                ),
            );
        }
        ok.then_some(value)
    };
    let (image_, logo) = (
        image(raw.image, "social.image"),
        image(raw.logo, "social.logo"),
    );
    let twitter = raw.twitter.and_then(|handle| {
        let name = handle.strip_prefix('@').unwrap_or(&handle);
        let ok = (1..=15).contains(&name.len())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok {
            bad.push(
                "social.twitter",
                format!("`{handle}` is not an account name such as `@newsroom`"),
            );
        }
        ok.then(|| format!("@{name}"))
    });
    Social {
        image: image_,
        logo,
        twitter,
    }
}

/// The `[images]` table: widths between 16 and 8192 pixels (sorted, each
/// once), a quality of 1 to 100, a crop width of 200 to 4096 pixels.
fn images_of(raw: RawImages, bad: &mut BadValues) -> crate::images::Settings {
    let mut settings = crate::images::Settings::default();
    if let Some(on) = raw.renditions {
        settings.renditions = on;
    }
    if let Some(on) = raw.webp {
        settings.webp = on;
    }
    if let Some(widths) = raw.widths {
        let mut ok: Vec<u32> = Vec::new();
        for w in widths {
            match u32::try_from(w).ok().filter(|w| (16..=8192).contains(w)) {
                Some(w) => ok.push(w),
                None => bad.push(
                    "images.widths",
                    format!("images.widths: `{w}` is not a width of 16 to 8192 pixels"),
                ),
            }
        }
        ok.sort_unstable();
        ok.dedup();
        if ok.is_empty() {
            bad.push(
                "images.widths",
                "images.widths needs at least one width (or set `renditions = false`)".into(),
            );
        } else {
            settings.widths = ok;
        }
    }
    if let Some(q) = raw.quality {
        match u8::try_from(q).ok().filter(|q| (1..=100).contains(q)) {
            Some(q) => settings.quality = q,
            None => bad.push(
                "images.quality",
                format!("images.quality: `{q}` is not a quality of 1 to 100"),
            ),
        }
    }
    if let Some(w) = raw.crop_width {
        match u32::try_from(w).ok().filter(|w| (200..=4096).contains(w)) {
            Some(w) => settings.crop_width = w,
            None => bad.push(
                "images.crop_width",
                format!("images.crop_width: `{w}` is not a width of 200 to 4096 pixels"),
            ),
        }
    }
    if let Some(sizes) = raw.sizes {
        let sizes = sizes.trim().to_string();
        if sizes.is_empty() || sizes.contains(['"', '<', '>']) {
            bad.push(
                "images.sizes",
                "images.sizes must be a `sizes` attribute such as `(min-width: 42rem) 40rem, 100vw`"
                    .into(),
            );
        } else {
            settings.sizes = sizes;
        }
    }
    settings
}

/// The language tag (default `en`): letters, digits and `-`.
fn language_of(written: Option<String>, bad: &mut BadValues) -> String {
    let language = written.unwrap_or_else(|| "en".to_string());
    if language.is_empty()
        || !language
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        bad.push(
            "language",
            format!("`{language}` is not a language tag such as `en` or `pt-BR`"),
        );
    }
    language
}

fn positive(n: i64) -> Option<usize> {
    usize::try_from(n).ok().filter(|n| *n >= 1)
}

/// Reads and validates `ROOT/gazette.toml`.
pub fn load(root: &Path, overrides: &Overrides, diags: &mut Diagnostics) -> Result<Config, Failed> {
    let path = root.join(CONFIG_FILE);
    let src = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(src) => src,
            Err(_) => {
                diags.push(Diagnostic::error(CONFIG_FILE, "not valid UTF-8"));
                return Err(Failed);
            }
        },
        Err(e) => {
            let message = if e.kind() == std::io::ErrorKind::NotFound {
                "not found: this folder is not a gazette site (see --root)".to_string()
            } else {
                format!("cannot read: {e}")
            };
            diags.push(Diagnostic::error(CONFIG_FILE, message));
            return Err(Failed);
        }
    };
    let raw = parse(&src, diags)?;
    Config::from_raw(root, raw, overrides, &src, diags)
}

/// Parses the TOML text; unknown keys are errors with a suggestion.
pub fn parse(src: &str, diags: &mut Diagnostics) -> Result<RawConfig, Failed> {
    let toml_error = |e: toml::de::Error, diags: &mut Diagnostics| {
        let mut d = Diagnostic::error(CONFIG_FILE, e.message().trim().to_string());
        if let Some(span) = e.span() {
            let (line, col) = line_col(src, span.start);
            d = d.at(line, Some(col));
        }
        diags.push(d);
        Failed
    };
    let document = toml::de::DeTable::parse(src).map_err(|e| toml_error(e, diags))?;
    let mut unknown = Vec::new();
    let raw: RawConfig =
        serde_ignored::deserialize(toml::Deserializer::from(document.clone()), |path| {
            unknown.push(path.to_string())
        })
        .map_err(|e| toml_error(e, diags))?;
    for path in &unknown {
        let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
        let candidates = match parent {
            "" => TOP_KEYS,
            "permalinks" => PERMALINK_KEYS,
            "markdown" => MARKDOWN_KEYS,
            "feeds" => FEED_KEYS,
            "search" => SEARCH_KEYS,
            "social" => SOCIAL_KEYS,
            "images" => IMAGE_KEYS,
            _ => &[],
        };
        let message = match did_you_mean(key, candidates) {
            Some(near) if parent.is_empty() => {
                format!("unknown key `{path}`; did you mean `{near}`?")
            }
            Some(near) => format!("unknown key `{path}`; did you mean `{parent}.{near}`?"),
            None => format!("unknown key `{path}`"),
        };
        let mut d = Diagnostic::error(CONFIG_FILE, message);
        if let Some(offset) = key_offset(document.get_ref(), path) {
            let (line, col) = line_col(src, offset);
            d = d.at(line, Some(col));
        }
        diags.push(d);
    }
    // Unknown keys fail the build (they are errors), but the rest of the
    // site is still checked so that every problem is reported in one run.
    Ok(raw)
}

/// Byte offset of the key at dotted `path` in the parsed document.
fn key_offset(table: &toml::de::DeTable<'_>, path: &str) -> Option<usize> {
    let (first, rest) = match path.split_once('.') {
        Some((first, rest)) => (first, Some(rest)),
        None => (path, None),
    };
    let (key, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == first)?;
    match (rest, value.get_ref()) {
        (None, _) => Some(key.span().start),
        (Some(rest), toml::de::DeValue::Table(inner)) => key_offset(inner, rest),
        _ => None,
    }
}

/// Points `d` at the line of `key` (a dotted path) in the file, when it
/// can be found.
fn at_key(src: &str, key: &str, d: Diagnostic) -> Diagnostic {
    let Ok(document) = toml::de::DeTable::parse(src) else {
        return d;
    };
    match key_offset(document.get_ref(), key) {
        Some(offset) => {
            let (line, col) = line_col(src, offset);
            d.at(line, Some(col))
        }
        None => d,
    }
}
