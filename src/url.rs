//! The one place URLs and output paths are made.
//!
//! Pages are identified by their site path (`/2022/01/27/slug/`), always
//! starting and, for pretty URLs, ending with `/`. Links add the base path
//! of `base_url`; feeds and canonical links add the whole `base_url`. Output
//! files are derived from site paths here and nowhere else, and a site path
//! that could leave the output folder is refused.

use std::path::PathBuf;

/// `base_url` split into what absolute and root-relative links need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Scheme and host, without trailing slash: `https://news.example.com`.
    origin: String,
    /// Path prefix, starting and ending with `/`: `/` or `/news/`.
    path: String,
}

impl Default for BaseUrl {
    fn default() -> Self {
        Self {
            origin: "http://localhost".into(),
            path: "/".into(),
        }
    }
}

impl BaseUrl {
    /// Accepts `http(s)://host[:port][/path]`, adding the trailing slash.
    pub fn parse(url: &str) -> Result<BaseUrl, String> {
        let bad = || {
            format!(
                "base_url `{url}` must be an absolute http(s) URL such as `https://news.example.com/`"
            )
        };
        let rest = url
            .strip_prefix("https://")
            .map(|r| ("https://", r))
            .or_else(|| url.strip_prefix("http://").map(|r| ("http://", r)));
        let (scheme, rest) = rest.ok_or_else(bad)?;
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
        let path_ok = path
            .chars()
            .all(|c| c.is_ascii_graphic() && !"?#\"<>\\".contains(c));
        if !host_ok || !path_ok {
            return Err(bad());
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        Ok(BaseUrl {
            origin: format!("{scheme}{host}"),
            path,
        })
    }

    /// Root-relative link to a site path: `/news` + `/2022/…/`.
    pub fn link(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path.trim_start_matches('/'))
    }

    /// Absolute URL of a site path, for feeds, sitemaps and canonical links.
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.link(site_path))
    }

    /// The base URL as configured, with trailing slash.
    pub fn root(&self) -> String {
        self.absolute("/")
    }
}

/// The article URL pattern, as a list of literal and token parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Year,
    Month,
    Day,
    Slug,
    Section,
}

impl Default for Permalink {
    fn default() -> Self {
        Permalink::parse("/:year/:month/:day/:slug/").expect("the default pattern is valid")
    }
}

/// The values a permalink pattern can use.
pub struct PermalinkValues<'a> {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub slug: &'a str,
    pub section: Option<&'a str>,
}

impl Permalink {
    pub fn parse(pattern: &str) -> Result<Permalink, String> {
        if !pattern.starts_with('/') || !pattern.ends_with('/') {
            return Err(format!("`{pattern}` must start and end with `/`"));
        }
        let mut parts = Vec::new();
        for segment in pattern.split('/').filter(|s| !s.is_empty()) {
            let part = match segment {
                ":year" => Part::Year,
                ":month" => Part::Month,
                ":day" => Part::Day,
                ":slug" => Part::Slug,
                ":section" => Part::Section,
                s if s.starts_with(':') => {
                    return Err(format!(
                        "unknown token `{s}` (known: :year :month :day :slug :section)"
                    ));
                }
                s if s == "." || s == ".." || !is_clean_segment(s) => {
                    return Err(format!("`{s}` is not a usable path segment"));
                }
                s => Part::Literal(s.to_string()),
            };
            parts.push(part);
        }
        if !parts.contains(&Part::Slug) {
            return Err(format!(
                "`{pattern}` must contain :slug so that article URLs differ"
            ));
        }
        Ok(Permalink { parts })
    }

    pub fn uses_section(&self) -> bool {
        self.parts.contains(&Part::Section)
    }

    /// The site path of an article. `section` must be given if the pattern
    /// uses it (callers check [`Permalink::uses_section`]).
    pub fn expand(&self, v: &PermalinkValues<'_>) -> String {
        let mut url = String::from("/");
        for part in &self.parts {
            match part {
                Part::Literal(s) => url.push_str(s),
                Part::Year => url.push_str(&format!("{:04}", v.year)),
                Part::Month => url.push_str(&format!("{:02}", v.month)),
                Part::Day => url.push_str(&format!("{:02}", v.day)),
                Part::Slug => url.push_str(v.slug),
                Part::Section => url.push_str(v.section.unwrap_or("")),
            }
            url.push('/');
        }
        url
    }
}

fn is_clean_segment(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
}

/// The file a site path is written to, relative to the output folder:
/// `/a/b/` -> `a/b/index.html`, `/a/b.html` -> `a/b.html`, `/a/b` ->
/// `a/b/index.html`. `None` if the path could leave the output folder or is
/// not a plain path (`..`, `.`, backslashes, NUL, a query, a fragment).
pub fn output_file(site_path: &str) -> Option<PathBuf> {
    let segments = safe_segments(site_path)?;
    let mut file = PathBuf::new();
    for s in &segments {
        file.push(s);
    }
    let is_file =
        !site_path.ends_with('/') && segments.last().is_some_and(|last| last.contains('.'));
    if !is_file {
        file.push("index.html");
    }
    Some(file)
}

/// Normalizes an alias as written (`old/path.html`, `/old/path/`) into a
/// site path, or explains why it cannot be one.
pub fn normalize_alias(alias: &str) -> Result<String, String> {
    let trimmed = alias.trim();
    if trimmed.contains("://") || trimmed.starts_with("//") {
        return Err(format!(
            "alias `{alias}` must be a path on this site, not a URL"
        ));
    }
    let segments = safe_segments(trimmed)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| format!("alias `{alias}` is not a plain path inside the site"))?;
    let mut path = format!("/{}", segments.join("/"));
    if trimmed.ends_with('/') || !segments.last().is_some_and(|s| s.contains('.')) {
        path.push('/');
    }
    Ok(path)
}

/// The `/`-separated segments of a site path, or `None` if any of them is
/// unsafe to use as a file name.
fn safe_segments(site_path: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    for segment in site_path.split('/').filter(|s| !s.is_empty()) {
        let unsafe_segment = segment == "."
            || segment == ".."
            || segment.contains(['\\', '\0', '?', '#', ':'])
            || segment.chars().any(char::is_control);
        if unsafe_segment {
            return None;
        }
        out.push(segment);
    }
    Some(out)
}

/// The address of a file copied next to a page: the page's site path or
/// link, then the file's name made safe for a URL.
pub fn asset(page: &str, name: &str) -> String {
    format!("{page}{}", percent_encode_name(name))
}

/// A file name made safe for a URL path segment.
pub fn percent_encode_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (invalid UTF-8 becomes U+FFFD); other bytes are kept.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_with_path_prefixes_links() {
        let base = BaseUrl::parse("https://user.github.io/news").unwrap();
        assert_eq!(base.link("/2022/01/27/a/"), "/news/2022/01/27/a/");
        assert_eq!(
            base.absolute("/feed.xml"),
            "https://user.github.io/news/feed.xml"
        );
        assert_eq!(base.root(), "https://user.github.io/news/");
        assert!(BaseUrl::parse("news.example.com").is_err());
        assert!(BaseUrl::parse("https://").is_err());
    }

    #[test]
    fn permalink_expands_tokens() {
        let p = Permalink::parse("/:section/:year/:slug/").unwrap();
        let v = PermalinkValues {
            year: 2022,
            month: 1,
            day: 7,
            slug: "a-b",
            section: Some("world"),
        };
        assert_eq!(p.expand(&v), "/world/2022/a-b/");
        assert!(Permalink::parse("/:year/:title/").is_err());
        assert!(Permalink::parse("/:year/").is_err());
        assert!(Permalink::parse("/../:slug/").is_err());
    }

    #[test]
    fn output_files_stay_inside() {
        assert_eq!(output_file("/a/b/"), Some(PathBuf::from("a/b/index.html")));
        assert_eq!(output_file("/a/b.html"), Some(PathBuf::from("a/b.html")));
        assert_eq!(output_file("/"), Some(PathBuf::from("index.html")));
        assert_eq!(output_file("/a/../../etc/"), None);
        assert_eq!(output_file("/a\\..\\b/"), None);
    }

    #[test]
    fn aliases_normalize_or_fail() {
        assert_eq!(
            normalize_alias("old/cms/1.html").unwrap(),
            "/old/cms/1.html"
        );
        assert_eq!(normalize_alias("/stories/x").unwrap(), "/stories/x/");
        assert!(normalize_alias("/../../etc/passwd").is_err());
        assert!(normalize_alias("https://evil.example/").is_err());
        assert!(normalize_alias("/").is_err());
    }
}
