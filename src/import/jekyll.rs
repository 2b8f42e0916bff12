//! Jekyll sites: `_config.yml`, every `_posts` (and `_drafts`) folder,
//! dates and slugs from file names, the URLs Jekyll gave each post, and
//! the Liquid that has a Markdown form.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::ZonedDateTime as Zoned;
use jiff::tz::TimeZone;

use super::Log;
use super::html::{self, Kept};
use super::post::{Archive, Post, SiteInfo, link_to};
use super::sources;
use crate::content::frontmatter::FileName;
use crate::site::profiles::{Profile, ProfileLink};

const CONFIGS: &[&str] = &["_config.yml", "_config.yaml", "_config.toml"];

/// Extensions of post files Jekyll converts.
const POST_EXTENSIONS: &[&str] = &["md", "markdown", "mkd", "mkdn", "html"];

/// Files of a Jekyll project that are not part of the site.
const PROJECT_FILES: &[&str] = &[
    "Gemfile",
    "Gemfile.lock",
    "Rakefile",
    "package.json",
    "package-lock.json",
    "yarn.lock",
    "CNAME",
    "LICENSE",
    "LICENSE.md",
    "LICENSE.txt",
    "README.md",
    "README",
    "CHANGELOG.md",
];

pub fn read(root: &Path, tz: Option<&TimeZone>, log: &mut Log) -> Result<Archive, String> {
    let config_path = sources::config_path(root, CONFIGS, "Jekyll")?;
    let config = sources::config_file(&config_path)?;
    let get = |k: &str| sources::text(config.get(k));
    // Without a time zone Jekyll uses the machine's; here that is UTC.
    let timezone = sources::time_zone(tz, get("timezone"), "_config.yml", log);
    let site_tz = timezone
        .as_ref()
        .map_or(TimeZone::UTC, |(_, tz)| tz.clone());
    let baseurl = get("baseurl").unwrap_or_default();
    let base_url = get("url").map(|u| {
        format!("{}/{}", u.trim_end_matches('/'), baseurl.trim_matches('/'))
            .trim_end_matches('/')
            .to_string()
            + "/"
    });
    let permalink = get("permalink").unwrap_or_else(|| "date".to_string());
    let data = Data::read(root);
    let files = sources::files_under(root, |name| {
        name.starts_with('.') || matches!(name, "_site" | "node_modules" | "vendor")
    });
    let mut posts = Vec::new();
    let mut static_files = Vec::new();
    let reader = Reader {
        root,
        tz: &site_tz,
        permalink: &permalink,
        data: &data,
    };
    for file in &files {
        let rel = file.strip_prefix(root).unwrap_or(file);
        let rel_text = rel.to_string_lossy().replace('\\', "/");
        let parts: Vec<&str> = rel_text.split('/').collect();
        let posts_at = parts.iter().position(|p| *p == "_posts" || *p == "_drafts");
        match posts_at {
            Some(at) => match reader.post(file, &rel_text, &parts, at, log) {
                Ok(Some(post)) => posts.push(post),
                Ok(None) => {}
                Err(reason) => log.skip(rel_text, reason),
            },
            None => {
                if let Some(reason) = not_static(&parts, file) {
                    if let Some(reason) = reason {
                        log.skip(rel_text, reason);
                    }
                } else {
                    static_files.push((file.clone(), rel.to_path_buf()));
                }
            }
        }
    }
    Ok(Archive {
        site: SiteInfo {
            title: get("title").map(|t| html::text(&t)),
            base_url,
            language: get("lang")
                .or_else(|| get("locale"))
                .map(|l| l.replace('_', "-")),
            description: get("description").map(|d| html::text(&d)),
            timezone,
        },
        posts,
        profiles: data.profiles,
        static_files,
    })
}

/// Why a file outside the posts is not copied to `static/`: `Some(None)` to
/// pass over it quietly (Jekyll's own files), `Some(Some(reason))` to report.
fn not_static(parts: &[&str], file: &Path) -> Option<Option<String>> {
    if parts.iter().any(|p| p.starts_with('_')) {
        return Some(None);
    }
    let name = parts.last().copied().unwrap_or("");
    if parts.len() == 1 && PROJECT_FILES.contains(&name) {
        return Some(None);
    }
    if parts.len() == 1 && sources::is_generated(name) {
        return Some(Some("gazette writes its own".into()));
    }
    let head = std::fs::read(file).ok()?;
    let front = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head);
    if front.starts_with(b"---\n") || front.starts_with(b"---\r\n") {
        return Some(Some(
            "page with front matter: gazette has articles only (make it an article, or a template)"
                .into(),
        ));
    }
    None
}

/// `_data/authors.yml`: authors by key, with profiles.
#[derive(Default)]
struct Data {
    /// Key (as posts name authors) -> display name.
    names: BTreeMap<String, String>,
    profiles: BTreeMap<String, Profile>,
}

impl Data {
    fn read(root: &Path) -> Data {
        let Some(map) = ["_data/authors.yml", "_data/authors.yaml"]
            .iter()
            .map(|p| root.join(p))
            .find(|p| p.is_file())
            .and_then(|p| sources::config_file(&p).ok())
        else {
            return Data::default();
        };
        Data::of(map)
    }

    /// The authors of `_data/authors.yml`, read into `map`.
    fn of(map: sources::Map) -> Data {
        let mut data = Data::default();
        for (key, value) in map {
            let entry = value.as_object().cloned().unwrap_or_default();
            let name = sources::text(entry.get("name")).unwrap_or_else(|| key.clone());
            let mut links = Vec::new();
            for (site, prefix) in [
                ("twitter", "https://twitter.com/"),
                ("github", "https://github.com/"),
                ("mastodon", ""),
                ("url", ""),
                ("website", ""),
            ] {
                if let Some(v) = sources::text(entry.get(site)) {
                    let url = if v.starts_with("http") {
                        v
                    } else {
                        format!("{prefix}{}", v.trim_start_matches('@'))
                    };
                    if url.starts_with("http") {
                        links.push(ProfileLink {
                            name: capitalized(site),
                            url,
                        });
                    }
                }
            }
            let photo = ["avatar", "photo", "image", "picture"]
                .iter()
                .find_map(|k| sources::text(entry.get(*k)))
                .map(|p| {
                    if p.starts_with("http") || p.starts_with('/') {
                        p
                    } else {
                        format!("/{p}")
                    }
                });
            data.profiles.insert(
                name.clone(),
                Profile {
                    bio: sources::text(entry.get("bio")),
                    photo,
                    links,
                },
            );
            data.names.insert(key, name);
        }
        data
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

struct Reader<'a> {
    root: &'a Path,
    tz: &'a TimeZone,
    permalink: &'a str,
    data: &'a Data,
}

impl Reader<'_> {
    /// One file of a `_posts` or `_drafts` folder (at `parts[at]`).
    fn post(
        &self,
        file: &Path,
        rel: &str,
        parts: &[&str],
        at: usize,
        log: &mut Log,
    ) -> Result<Option<Post>, String> {
        if post_name(parts).is_none() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read: {e}"))?;
        self.post_text(&text, rel, parts, at, log)
    }

    /// [`Reader::post`] of the file's `text`.
    fn post_text(
        &self,
        text: &str,
        rel: &str,
        parts: &[&str],
        at: usize,
        log: &mut Log,
    ) -> Result<Option<Post>, String> {
        let Some((stem, ext)) = post_name(parts) else {
            return Ok(None);
        };
        let in_drafts = parts[at] == "_drafts";
        let named =
            FileName::of(&format!("{stem}.md")).map(|n| (n.date.to_string(), n.slug.to_string()));
        let front_file = sources::front_file(text)?;
        let front = &front_file.front;
        let file_slug = match (&named, in_drafts) {
            (Some((_, slug)), _) => slug.clone(),
            (None, true) => stem.to_string(),
            (None, false) => {
                return Err("not named YYYY-MM-DD-title: Jekyll does not publish it".into());
            }
        };
        let date = match sources::date(front.get("date"), self.tz) {
            Some(d) => d.map_err(|e| format!("date: {e}"))?,
            None => match &named {
                Some((day, _)) => crate::content::frontmatter::parse_date(day, self.tz)?,
                None => return Err("a draft without a date: give it `date`".into()),
            },
        };
        let slug = sources::text(front.get("slug")).unwrap_or_else(|| file_slug.clone());
        // Markup alone (`<b></b>`) or a blank slug give no title.
        let title = sources::text(front.get("title"))
            .map(|t| html::text(&t))
            .filter(|t| !t.is_empty())
            .or_else(|| Some(titled(&file_slug)).filter(|t| !t.is_empty()))
            .ok_or("no title: give it `title`")?;
        // Categories: the folders above `_posts`, then the front matter's.
        let mut categories: Vec<String> = parts[..at].iter().map(|s| s.to_string()).collect();
        categories.extend(sources::words(front.get("categories")));
        categories.extend(sources::words(front.get("category")));
        let mut tags = sources::words(front.get("tags"));
        tags.extend(sources::words(front.get("tag")));
        let draft = in_drafts || sources::flag(front.get("published")) == Some(false);
        let own = match sources::text(front.get("permalink")) {
            Some(p) => expand(&p, &date, &slug, &categories, self.tz),
            None => expand(self.permalink, &date, &slug, &categories, self.tz),
        };
        let mut urls = vec![own];
        urls.extend(
            sources::words(front.get("redirect_from"))
                .into_iter()
                .map(|u| {
                    if u.starts_with('/') {
                        u
                    } else {
                        format!("/{u}")
                    }
                }),
        );
        let mut authors = Vec::new();
        for key in ["author", "authors"] {
            for name in sources::names(front.get(key)) {
                let name = self.data.names.get(&name).cloned().unwrap_or(name);
                if !authors.contains(&name) {
                    authors.push(name);
                }
            }
        }
        let image = sources::lead_image(
            front,
            &["image", "featured_image", "feature_image", "cover_image"],
        )
        .and_then(|mut image| {
            if !image.src.contains("://") && !image.src.starts_with('/') {
                image.src = format!("/{}", image.src);
            }
            if image.src.starts_with('/') && !self.root.join(&image.src[1..]).is_file() {
                log.note(format!(
                    "{rel}: lead image {} is not in the site; left out",
                    image.src
                ));
                return None;
            }
            Some(image)
        });
        let mut counts = Counts::default();
        let body = liquid(&front_file.body, ext == "html", &mut counts);
        let body = if ext == "html" {
            let mut kept = Kept::default();
            let protected = keep_liquid(&body, &mut kept);
            counts.html += 1;
            kept.restore(&html::to_markdown(&protected))
        } else {
            body
        };
        counts.report(log);
        let updated = ["last_modified_at", "updated", "modified", "lastmod"]
            .iter()
            .find_map(|k| sources::date(front.get(*k), self.tz))
            .and_then(Result::ok)
            .filter(|u| u.timestamp() > date.timestamp());
        let stem_key = format!("post_url:{stem}");
        let nested: String = parts[at + 1..].join("/");
        let nested_stem = nested
            .rsplit_once('.')
            .map_or(nested.clone(), |(s, _)| s.to_string());
        Ok(Some(Post {
            origin: rel.to_string(),
            keys: vec![rel.to_string(), stem_key, format!("post_url:{nested_stem}")],
            title,
            date,
            updated,
            expires: None,
            authors,
            categories,
            tags,
            summary: sources::text(front.get("excerpt"))
                .or_else(|| sources::text(front.get("description")))
                .map(|s| html::text(&s)),
            slug,
            draft,
            urls,
            image,
            body,
            files: Vec::new(),
        }))
    }
}

/// The stem and extension of a post file (the last of `parts`) that
/// Jekyll converts; `None` for other files.
fn post_name<'a>(parts: &[&'a str]) -> Option<(&'a str, &'a str)> {
    let name = parts.last().copied().unwrap_or("");
    name.rsplit_once('.')
        .filter(|(_, ext)| POST_EXTENSIONS.contains(ext))
}

/// `stable-snapshot` -> `Stable Snapshot`, as Jekyll titles a post
/// without `title`.
fn titled(slug: &str) -> String {
    let words = slug
        .split('-')
        .filter(|w| !w.is_empty())
        .map(capitalized)
        .collect::<Vec<_>>()
        .join(" ");
    html::collapse(&words)
}

/// The URL Jekyll gives a post: a named style or a pattern of
/// placeholders, with `:categories` lowercased and `.html` for
/// `:output_ext`.
fn expand(pattern: &str, date: &Zoned, slug: &str, categories: &[String], tz: &TimeZone) -> String {
    let pattern = match pattern {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        other => other,
    };
    let d = date.with_time_zone(tz.clone());
    let categories = categories
        .iter()
        .map(|c| c.to_lowercase().replace(' ', "-"))
        .collect::<Vec<_>>()
        .join("/");
    let lower_slug = crate::content::slug::slugify(slug);
    let values: [(&str, String); 19] = [
        (":categories", categories),
        (":output_ext", ".html".into()),
        (":short_year", d.strftime("%y").to_string()),
        (":i_month", d.month().to_string()),
        (":i_day", d.day().to_string()),
        (":y_day", d.strftime("%j").to_string()),
        (":short_month", d.strftime("%b").to_string()),
        (":long_month", d.strftime("%B").to_string()),
        (":short_day", d.strftime("%a").to_string()),
        (":long_day", d.strftime("%A").to_string()),
        (":week", d.strftime("%V").to_string()),
        (":year", d.strftime("%Y").to_string()),
        (":month", d.strftime("%m").to_string()),
        (":day", d.strftime("%d").to_string()),
        (":hour", d.strftime("%H").to_string()),
        (":minute", d.strftime("%M").to_string()),
        (":second", d.strftime("%S").to_string()),
        (":title", slug.to_string()),
        (":slug", lower_slug),
    ];
    let mut url = pattern.to_string();
    for (token, value) in &values {
        url = url.replace(token, value);
    }
    while url.contains("//") {
        url = url.replace("//", "/");
    }
    if !url.starts_with('/') {
        url.insert(0, '/');
    }
    url
}

/// What the Liquid conversion did, for the report.
#[derive(Default)]
struct Counts {
    raw: usize,
    kramdown: usize,
    highlight: usize,
    links: usize,
    site_vars: usize,
    filters: usize,
    html: usize,
}

impl Counts {
    fn report(&self, log: &mut Log) {
        log.converted("{% raw %} unwrapped", self.raw);
        log.converted("{% highlight %} -> fenced code", self.highlight);
        log.converted(
            "{% link %} / {% post_url %} -> links to the article files",
            self.links,
        );
        log.converted(
            "{{ site.baseurl }} / {{ site.url }} -> root-relative links",
            self.site_vars,
        );
        log.converted("{{ '/x' | relative_url }} -> /x", self.filters);
        log.converted("HTML posts -> Markdown", self.html);
        log.converted(
            "kramdown attribute lists ({: .class}) removed",
            self.kramdown,
        );
    }
}

/// The Liquid with a Markdown (or, in HTML posts, an HTML) form converted;
/// other Liquid is left as it is, and the build warns about it.
fn liquid(body: &str, is_html: bool, counts: &mut Counts) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find(['{']) {
        out.push_str(&rest[..i]);
        let at = &rest[i..];
        if let Some((tag, len)) = tag_at(at, "{%", "%}") {
            let mut words = tag.split_whitespace();
            let name = words.next().unwrap_or("");
            let args: Vec<&str> = words.collect();
            match name {
                "raw" => {
                    if let Some(end) = find_tag(&at[len..], "endraw") {
                        counts.raw += 1;
                        out.push_str(&at[len..len + end.0]);
                        rest = &at[len + end.1..];
                        continue;
                    }
                }
                "highlight" => {
                    if let Some(end) = find_tag(&at[len..], "endhighlight") {
                        counts.highlight += 1;
                        let code = at[len..len + end.0].trim_matches('\n');
                        let lang = args.first().copied().unwrap_or("");
                        if is_html {
                            out.push_str(&format!(
                                "<pre><code class=\"language-{lang}\">{}</code></pre>",
                                code.replace('&', "&amp;").replace('<', "&lt;")
                            ));
                        } else {
                            out.push_str(&format!("```{lang}\n{code}\n```"));
                        }
                        rest = &at[len + end.1..];
                        continue;
                    }
                }
                "link" | "post_url" if args.len() == 1 => {
                    counts.links += 1;
                    let target = args[0].trim_matches(['"', '\'']);
                    let key = if name == "link" {
                        target.trim_start_matches('/').to_string()
                    } else {
                        format!("post_url:{}", target.trim_start_matches('/'))
                    };
                    out.push_str(&link_to(&key));
                    rest = &at[len..];
                    continue;
                }
                _ => {}
            }
        } else if let Some(len) = (!is_html).then(|| kramdown_attributes(at)).flatten() {
            counts.kramdown += 1;
            rest = &at[len..];
            continue;
        } else if let Some((output, len)) = tag_at(at, "{{", "}}") {
            let compact: String = output.split_whitespace().collect();
            if matches!(
                compact.as_str(),
                "site.baseurl" | "site.url" | "site.url}}{{site.baseurl"
            ) {
                counts.site_vars += 1;
                rest = &at[len..];
                continue;
            }
            if let Some(path) = filtered_path(output) {
                counts.filters += 1;
                out.push_str(&path);
                rest = &at[len..];
                continue;
            }
        }
        out.push('{');
        rest = &at[1..];
    }
    out.push_str(rest);
    out
}

/// The length of a kramdown attribute list at the start of `text`
/// (`{: .lead}`, `{:#top}`, `{:target="_blank"}`), which CommonMark would
/// show as text; `None` if there is none.
fn kramdown_attributes(text: &str) -> Option<usize> {
    let inner = text.strip_prefix("{:")?;
    let end = inner.find('}')?;
    let body = &inner[..end];
    let plausible = !body.contains('\n')
        && body
            .trim_start()
            .chars()
            .next()
            .is_none_or(|c| c == '.' || c == '#' || c.is_ascii_alphabetic());
    plausible.then_some(2 + end + 1)
}

/// `"/x" | relative_url` (or `absolute_url`, `prepend: site.baseurl`) -> `/x`.
fn filtered_path(output: &str) -> Option<String> {
    let (value, filter) = output.split_once('|')?;
    let filter: String = filter.split_whitespace().collect();
    let known = [
        "relative_url",
        "absolute_url",
        "prepend:site.baseurl",
        "prepend:site.url",
    ];
    if !known.contains(&filter.as_str()) {
        return None;
    }
    let value = value.trim();
    let path = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))?;
    Some(if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    })
}

/// The inside of a tag opening `text` (`{% name args %}`), and the tag's
/// length.
fn tag_at<'a>(text: &'a str, open: &str, close: &str) -> Option<(&'a str, usize)> {
    let inner = text.strip_prefix(open)?;
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    let end = inner.find(close)?;
    let tag = inner[..end].trim_end_matches('-').trim();
    let len = text.len() - inner.len() + end + close.len();
    Some((tag, len))
}

/// Where `{% name %}` starts in `text` and where it ends.
fn find_tag(text: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = text[from..].find("{%") {
        let at = from + i;
        if let Some((tag, len)) = tag_at(&text[at..], "{%", "%}")
            && tag == name
        {
            return Some((at, at + len));
        }
        from = at + 2;
    }
    None
}

/// Liquid left in an HTML body set aside while it is converted.
fn keep_liquid(body: &str, kept: &mut Kept) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let at = &rest[i..];
        let found = tag_at(at, "{%", "%}").or_else(|| tag_at(at, "{{", "}}"));
        match found {
            Some((_, len)) => {
                out.push_str(&kept.keep(&at[..len]));
                rest = &at[len..];
            }
            None => {
                out.push('{');
                rest = &at[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// [`Reader::post`] of the file at `rel` (below the site `root`, in a
/// `_posts` or `_drafts` folder) holding `text`, in a site of Jekyll's
/// default settings; `Ok(None)` for a file Jekyll does not convert.
pub(super) fn post_of_text(
    root: &Path,
    rel: &str,
    text: &str,
    log: &mut Log,
) -> Result<Option<Post>, String> {
    let parts: Vec<&str> = rel.split('/').collect();
    let Some(at) = parts.iter().position(|p| *p == "_posts" || *p == "_drafts") else {
        return Ok(None);
    };
    let reader = Reader {
        root,
        tz: &TimeZone::UTC,
        permalink: "date",
        data: &Data::default(),
    };
    reader.post_text(text, rel, &parts, at, log)
}

/// The author profiles of a `_data/authors.yml` read into `map`: display
/// name and profile links of each.
pub(super) fn authors_of(map: sources::Map) -> BTreeMap<String, Profile> {
    Data::of(map).profiles
}

/// [`liquid`] (both forms), for [`super::text`] and the property tests of
/// the module above.
pub(super) fn convert_liquid(text: &str) -> (String, String) {
    let mut counts = Counts::default();
    let mut kept = Kept::default();
    (
        liquid(text, false, &mut counts),
        keep_liquid(&liquid(text, true, &mut counts), &mut kept),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Zoned {
        crate::content::frontmatter::parse_date(text, &TimeZone::UTC).unwrap()
    }

    #[test]
    fn jekyll_permalinks() {
        let d = at("2019-05-03 10:00:00 +0200");
        let cats = ["News".to_string(), "Town Hall".to_string()];
        assert_eq!(
            expand("date", &d, "We-Are-Hiring", &cats, &TimeZone::UTC),
            "/news/town-hall/2019/05/03/We-Are-Hiring.html"
        );
        assert_eq!(
            expand("pretty", &d, "x", &[], &TimeZone::UTC),
            "/2019/05/03/x/"
        );
        assert_eq!(
            expand(
                "/blog/:year/:i_month/:slug/",
                &d,
                "We-Are-Hiring",
                &[],
                &TimeZone::UTC
            ),
            "/blog/2019/5/we-are-hiring/"
        );
        assert_eq!(expand("none", &d, "x", &[], &TimeZone::UTC), "/x.html");
    }

    #[test]
    fn liquid_with_markdown_forms() {
        let mut counts = Counts::default();
        let body = "Lead.\n{: .lead}\n\nSee [a]({% post_url 2019-01-01-a %}) and [b]({% link _posts/2019-01-02-b.md %}).\n\n{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n\n![x]({{ site.baseurl }}/assets/x.png) ![y]({{ \"/assets/y.png\" | relative_url }})\n\n{% raw %}{{ not liquid }}{% endraw %} {% include note.html %}\n";
        assert_eq!(
            liquid(body, false, &mut counts),
            "Lead.\n\n\nSee [a](import:post_url:2019-01-01-a) and [b](import:_posts/2019-01-02-b.md).\n\n```ruby\nputs 1\n```\n\n![x](/assets/x.png) ![y](/assets/y.png)\n\n{{ not liquid }} {% include note.html %}\n"
        );
        assert_eq!(
            (
                counts.links,
                counts.highlight,
                counts.site_vars,
                counts.filters,
                counts.raw
            ),
            (2, 1, 1, 1, 1)
        );
    }

    #[test]
    fn titles_from_file_names() {
        assert_eq!(titled("stable-snapshot"), "Stable Snapshot");
    }

    /// Found by fuzz/ (jekyll): a blank slug titled a post " ", a title of
    /// markup alone titled it "", and gazette refuses both.
    #[test]
    fn a_post_has_a_title_or_is_skipped() {
        let post = |rel: &str, text: &str| {
            post_of_text(Path::new("/nowhere"), rel, text, &mut Log::default())
        };
        assert_eq!(
            post("_posts/2021-06-01- .html", "").map(|p| p.map(|p| p.title)),
            Err("no title: give it `title`".to_string())
        );
        let titled = post(
            "_posts/2021-06-01-a-b .md",
            "---\ntitle: \"<b></b>\"\n---\nx\n",
        );
        assert_eq!(titled.unwrap().unwrap().title, "A B");
    }
}
