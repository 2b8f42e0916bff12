//! The one place URLs and output paths are made.
//!
//! Pages are identified by their site path (`/2022/01/27/slug/`), always
//! starting and, for pretty URLs, ending with `/`: an article's made by the
//! [`Permalink`] pattern, every other page's by [`pages`]. Links add the
//! base path of `base_url`; feeds and canonical links add the whole
//! `base_url` ([`BaseUrl`]). Output files are derived from site paths here
//! and nowhere else ([`files`]), and a site path that could leave the
//! output folder is refused.
//!
//! A leaf module: it knows nothing of the site, its articles or templates.

pub mod files;
pub mod pages;
pub mod permalink;

pub use files::{normalize_alias, output_file, percent_decode, percent_encode_name};
pub use pages::*;
pub use permalink::{Permalink, PermalinkValues};

use serde::Serialize;

/// `base_url` split into what absolute and root-relative links need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

    /// Root-relative link to a site path: `/news` + `/2022/…/`. Letters
    /// beyond ASCII (a Japanese slug, an old URL kept as an alias) are
    /// percent-encoded; the file keeps them (`/東京/` is the file
    /// `東京/index.html`, linked as `/%E6%9D%B1%E4%BA%AC/`).
    pub fn link(&self, site_path: &str) -> String {
        let path = site_path.trim_start_matches('/');
        if path.is_ascii() {
            return format!("{}{path}", self.path);
        }
        let mut link = self.path.clone();
        for c in path.chars() {
            if c.is_ascii() {
                link.push(c);
            } else {
                let mut bytes = [0; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    link.push_str(&format!("%{b:02X}"));
                }
            }
        }
        link
    }

    /// Absolute URL of a site path, for feeds, sitemaps and canonical links.
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.link(site_path))
    }

    /// Scheme and host, without trailing slash (`https://news.example.com`):
    /// put before a root-relative link, it makes the link absolute.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The base URL as configured, with trailing slash.
    pub fn root(&self) -> String {
        self.absolute("/")
    }
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
        assert_eq!(base.link("/2024/東京/"), "/news/2024/%E6%9D%B1%E4%BA%AC/");
        assert!(BaseUrl::parse("news.example.com").is_err());
        assert!(BaseUrl::parse("https://").is_err());
    }
}
