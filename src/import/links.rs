//! Links in imported bodies: to another post (named `import:KEY` by a
//! reader, or by one of its old URLs) they become links to that post's
//! `.md` file, which gazette turns into its current URL; links into the old
//! site that match nothing are reported.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::post::LINK_SCHEME;

/// What a link in a body points at, as far as the import can tell.
pub enum Target {
    /// The post with this index.
    Post(usize),
    /// A file or page the new site has (a static file, say).
    Present,
    /// Into the old site, but nothing imported is there.
    Missing,
    /// Elsewhere (another site, a fragment): left alone.
    Outside,
}

/// One link whose target could not be found, for the report.
pub struct Unresolved {
    pub line: usize,
    pub dest: String,
}

/// Rewrites the link destinations of `body` for which `resolve` names a
/// post, as `relative(post)`; returns the body, how many links changed and
/// those that point into the old site at nothing.
pub fn rewrite(
    body: &str,
    resolve: impl Fn(&str) -> Target,
    relative: impl Fn(usize) -> String,
) -> (String, usize, Vec<Unresolved>) {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut unresolved = Vec::new();
    let parser = Parser::new_ext(body, Options::all()).into_offset_iter();
    for (event, range) in parser {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let (path, fragment) = split_fragment(&dest_url);
        match resolve(path) {
            Target::Post(post) => {
                if let Some(span) = dest_span(body, &range) {
                    edits.push((span, format!("{}{fragment}", relative(post))));
                }
            }
            Target::Missing => unresolved.push(Unresolved {
                line: body[..range.start].matches('\n').count() + 1,
                dest: dest_url.to_string(),
            }),
            Target::Present | Target::Outside => {}
        }
    }
    let changed = edits.len();
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (span, text) in edits {
        out.push_str(&body[at..span.start]);
        out.push_str(&text);
        at = span.end;
    }
    out.push_str(&body[at..]);
    (out, changed, unresolved)
}

/// Where the destination of the inline link at `range` is written.
fn dest_span(body: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let link = &body[range.clone()];
    let open = link.rfind("](")? + 2;
    let rest = &link[open..];
    let (start, len) = if let Some(inner) = rest.strip_prefix('<') {
        (open + 1, inner.find('>')?)
    } else {
        let len = rest
            .find(|c: char| c.is_whitespace() || c == ')')
            .unwrap_or(rest.len());
        (open, len)
    };
    Some(range.start + start..range.start + start + len)
}

fn split_fragment(dest: &str) -> (&str, &str) {
    match dest.find('#') {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    }
}

/// Finds posts by key and by old URL, for [`rewrite`].
pub struct Index<'a> {
    pub keys: HashMap<String, usize>,
    pub urls: HashMap<String, usize>,
    /// Site paths of the files the new site has besides articles.
    pub files: std::collections::HashSet<String>,
    /// `https://host/base/` of the old site, to recognize its absolute links.
    pub old_base: Option<&'a str>,
    /// The old site's base path (`/blog/`), stripped from its links.
    pub old_path: &'a str,
}

impl Index<'_> {
    pub fn resolve(&self, dest: &str) -> Target {
        if let Some(key) = dest.strip_prefix(LINK_SCHEME) {
            let key = key.replace("%20", " ");
            return self
                .keys
                .get(&key)
                .map_or(Target::Missing, |&i| Target::Post(i));
        }
        let path = match self.old_base.and_then(|base| strip_base(dest, base)) {
            Some(path) => path,
            None if dest.starts_with('/') && !dest.starts_with("//") => dest.to_string(),
            None => return Target::Outside,
        };
        let path = path.split('?').next().unwrap_or("");
        let site_path = match path.strip_prefix(self.old_path.trim_end_matches('/')) {
            Some(p) if p.starts_with('/') => p.to_string(),
            _ => path.to_string(),
        };
        let site_path = crate::url::percent_decode(&site_path);
        let with_slash = if site_path.ends_with('/')
            || site_path
                .rsplit('/')
                .next()
                .is_some_and(|s| s.contains('.'))
        {
            site_path.clone()
        } else {
            format!("{site_path}/")
        };
        if let Some(&i) = self
            .urls
            .get(&site_path)
            .or_else(|| self.urls.get(&with_slash))
        {
            Target::Post(i)
        } else if self.files.contains(&site_path) || site_path == "/" {
            Target::Present
        } else {
            Target::Missing
        }
    }
}

/// The path of an absolute link into the old site (`https://host/x` with
/// base `https://host/`: `/x`), also over the other scheme.
fn strip_base(dest: &str, base: &str) -> Option<String> {
    let host = |u: &str| -> Option<String> {
        let rest = u.split_once("://")?.1;
        Some(rest.split('/').next()?.to_ascii_lowercase())
    };
    let (dest_host, base_host) = (host(dest)?, host(base)?);
    let dest_host = dest_host.trim_start_matches("www.");
    if dest_host != base_host.trim_start_matches("www.") {
        return None;
    }
    let rest = dest.split_once("://")?.1;
    Some(match rest.find('/') {
        Some(i) => rest[i..].to_string(),
        None => "/".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_posts_become_file_links() {
        let body = "See [one](import:_posts/a.md) and [two](https://old.example/blog/2019/b/#x \"T\"),\n[three](/blog/nowhere/), [four](https://elsewhere.example/), [img](/logo.png).\n";
        let index = Index {
            keys: HashMap::from([("_posts/a.md".to_string(), 0)]),
            urls: HashMap::from([("/2019/b/".to_string(), 1)]),
            files: ["/logo.png".to_string()].into_iter().collect(),
            old_base: Some("https://old.example/blog/"),
            old_path: "/blog/",
        };
        let (out, changed, missing) = rewrite(body, |d| index.resolve(d), |i| format!("../{i}.md"));
        assert_eq!(changed, 2);
        assert_eq!(
            out,
            "See [one](../0.md) and [two](../1.md#x \"T\"),\n[three](/blog/nowhere/), [four](https://elsewhere.example/), [img](/logo.png).\n"
        );
        assert_eq!(missing.len(), 1);
        assert_eq!(
            (missing[0].line, missing[0].dest.as_str()),
            (2, "/blog/nowhere/")
        );
    }
}
