//! Hugo sites: the configuration (TOML, YAML or JSON), every content
//! section with front matter in any of the three, page bundles with their
//! files, the URLs Hugo gave each page, and the shortcodes that have a
//! Markdown form.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::ZonedDateTime as Zoned;
use jiff::tz::TimeZone;
use serde_json::Value;

use super::Log;
use super::html::{self, collapse};
use super::post::{Archive, Post, SiteInfo, link_to};
use super::sources::{self, Map};

const CONFIGS: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
    "config/_default/hugo.toml",
    "config/_default/hugo.yaml",
    "config/_default/config.toml",
    "config/_default/config.yaml",
];

const CONTENT_EXTENSIONS: &[&str] = &["md", "markdown", "html"];

/// Front matter keys Hugo reads the date from, in its default order.
const DATE_KEYS: &[&str] = &[
    "date",
    "publishdate",
    "pubdate",
    "published",
    "lastmod",
    "modified",
];

pub fn read(root: &Path, tz: Option<&TimeZone>, log: &mut Log) -> Result<Archive, String> {
    let config_path = sources::config_path(root, CONFIGS, "Hugo")?;
    let config = sources::lowercase_keys(sources::config_file(&config_path)?);
    let get = |k: &str| sources::text(config.get(k));
    let file = config_path
        .strip_prefix(root)
        .unwrap_or(&config_path)
        .display()
        .to_string();
    let timezone = sources::time_zone(tz, get("timezone"), &file, log);
    let site_tz = timezone
        .as_ref()
        .map_or(TimeZone::UTC, |(_, tz)| tz.clone());
    let settings = Settings::of(&config);
    if sources::flag(config.get("buildfuture")) == Some(true) {
        log.note("buildFuture is on: gazette publishes future posts only with --future");
    }
    if settings.build_expired {
        log.note("buildExpired is on: expiry dates are not imported");
    }
    let content = root.join(get("contentdir").unwrap_or_else(|| "content".into()));
    let files = sources::files_under(&content, |name| name.starts_with('.'));
    let pages: Vec<&PathBuf> = files
        .iter()
        .filter(|f| {
            f.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| CONTENT_EXTENSIONS.contains(&e))
        })
        .collect();
    let bundles: HashSet<PathBuf> = pages
        .iter()
        .filter(|p| p.file_stem().is_some_and(|s| s == "index"))
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    let known: HashSet<String> = pages
        .iter()
        .flat_map(|p| keys_of(p.strip_prefix(&content).unwrap_or(p)))
        .collect();
    let reader = Reader {
        tz: &site_tz,
        settings: &settings,
        known: &known,
    };
    let mut posts = Vec::new();
    for page in &pages {
        let rel = page.strip_prefix(&content).unwrap_or(page);
        let origin = format!(
            "{}/{}",
            content.file_name().unwrap_or_default().to_string_lossy(),
            rel.to_string_lossy().replace('\\', "/")
        );
        if page.file_stem().is_some_and(|s| s == "_index") {
            log.skip(
                origin,
                "list page of a section (_index): gazette makes its own lists",
            );
            continue;
        }
        // Files of a bundle: everything in its folder that is not a page.
        let resources: Vec<PathBuf> = match page.parent().filter(|d| bundles.contains(*d)) {
            Some(dir) if page.file_stem().is_some_and(|s| s == "index") => files
                .iter()
                .filter(|f| f.parent() == Some(dir) && !pages.contains(f))
                .cloned()
                .collect(),
            _ => Vec::new(),
        };
        match reader.post(page, rel, &origin, resources, log) {
            Ok(post) => posts.push(post),
            Err(reason) => log.skip(origin, reason),
        }
    }
    let static_dir = root.join(get("staticdir").unwrap_or_else(|| "static".into()));
    let static_files = sources::files_under(&static_dir, |name| name.starts_with('.'))
        .into_iter()
        .filter_map(|f| {
            let rel = f.strip_prefix(&static_dir).ok()?.to_path_buf();
            let top = rel.to_string_lossy().replace('\\', "/");
            if sources::is_generated(&top) {
                log.skip(format!("static/{top}"), "gazette writes its own");
                return None;
            }
            Some((f.clone(), rel))
        })
        .collect();
    let params = config.get("params").and_then(Value::as_object);
    Ok(Archive {
        site: SiteInfo {
            title: get("title").map(|t| html::text(&t)),
            base_url: get("baseurl").map(|b| format!("{}/", b.trim_end_matches('/'))),
            language: get("languagecode").or_else(|| get("defaultcontentlanguage")),
            description: params.and_then(|p| sources::text(p.get("description"))),
            timezone,
        },
        posts,
        profiles: Default::default(),
        static_files,
    })
}

/// What of the configuration decides URLs and taxonomies.
struct Settings {
    /// Section -> pattern.
    permalinks: HashMap<String, String>,
    /// Plural names of the taxonomies that are categories, tags, authors.
    categories: Vec<String>,
    tags: Vec<String>,
    authors: Vec<String>,
    lower: bool,
    ugly: bool,
    build_expired: bool,
}

impl Settings {
    fn of(config: &Map) -> Settings {
        let mut permalinks = HashMap::new();
        if let Some(Value::Object(map)) = config.get("permalinks") {
            for (key, value) in map {
                match value {
                    Value::String(p) => {
                        permalinks.insert(key.to_ascii_lowercase(), p.clone());
                    }
                    // Newer form: [permalinks.page] section = "...".
                    Value::Object(inner) if key == "page" => {
                        for (section, p) in inner {
                            if let Some(p) = p.as_str() {
                                permalinks.insert(section.to_ascii_lowercase(), p.to_string());
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let taxonomies: Vec<(String, String)> = match config.get("taxonomies") {
            Some(Value::Object(map)) => map
                .iter()
                .filter_map(|(k, v)| {
                    Some((k.to_ascii_lowercase(), v.as_str()?.to_ascii_lowercase()))
                })
                .collect(),
            _ => vec![
                ("category".into(), "categories".into()),
                ("tag".into(), "tags".into()),
            ],
        };
        let plural = |singulars: &[&str]| -> Vec<String> {
            taxonomies
                .iter()
                .filter(|(s, p)| singulars.contains(&s.as_str()) || singulars.contains(&p.as_str()))
                .map(|(_, p)| p.clone())
                .collect()
        };
        Settings {
            permalinks,
            categories: plural(&["category", "section"]),
            tags: {
                let mut t = plural(&["tag", "keyword", "series", "topic"]);
                if t.is_empty() {
                    t.push("tags".into());
                }
                t
            },
            authors: plural(&["author", "writer"]),
            lower: sources::flag(config.get("disablepathtolower")) != Some(true),
            ugly: sources::flag(config.get("uglyurls")) == Some(true),
            build_expired: sources::flag(config.get("buildexpired")) == Some(true),
        }
    }
}

/// The names a page can be referred to by (`ref`, `relref`): its path in
/// content/ with and without extension, its bundle folder, its file name.
fn keys_of(rel: &Path) -> Vec<String> {
    let text = rel.to_string_lossy().replace('\\', "/");
    let stem = text
        .rsplit_once('.')
        .map_or(text.clone(), |(s, _)| s.to_string());
    let mut keys = vec![format!("hugo:{text}"), format!("hugo:{stem}")];
    if let Some(bundle) = stem.strip_suffix("/index") {
        keys.push(format!("hugo:{bundle}"));
        keys.push(format!("hugo:{bundle}/"));
        if let Some(name) = bundle.rsplit('/').next() {
            keys.push(format!("hugo:{name}"));
        }
    } else if let Some(name) = text.rsplit('/').next() {
        keys.push(format!("hugo:{name}"));
        if let Some(n) = stem.rsplit('/').next() {
            keys.push(format!("hugo:{n}"));
        }
    }
    keys
}

struct Reader<'a> {
    tz: &'a TimeZone,
    settings: &'a Settings,
    known: &'a HashSet<String>,
}

impl Reader<'_> {
    fn post(
        &self,
        file: &Path,
        rel: &Path,
        origin: &str,
        resources: Vec<PathBuf>,
        log: &mut Log,
    ) -> Result<Post, String> {
        let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read: {e}"))?;
        self.post_text(&text, rel, origin, resources, log)
    }

    /// [`Reader::post`] of the `text` of the page at `rel` (below content/).
    fn post_text(
        &self,
        text: &str,
        rel: &Path,
        origin: &str,
        resources: Vec<PathBuf>,
        log: &mut Log,
    ) -> Result<Post, String> {
        let parsed = sources::front_file(text)?;
        let front = sources::lowercase_keys(parsed.front);
        let title = sources::text(front.get("title"))
            .map(|t| html::text(&t))
            .filter(|t| !t.is_empty())
            .ok_or("no title")?;
        let date = DATE_KEYS
            .iter()
            .find_map(|k| sources::date(front.get(*k), self.tz))
            .ok_or("no date (date, publishDate or lastmod)")?
            .map_err(|e| format!("date: {e}"))?;
        let updated = sources::date(front.get("lastmod"), self.tz)
            .and_then(Result::ok)
            .filter(|u| u.timestamp() > date.timestamp());
        let expires = ["expirydate", "unpublishdate"]
            .iter()
            .find_map(|k| sources::date(front.get(*k), self.tz))
            .and_then(Result::ok)
            .filter(|_| !self.settings.build_expired);
        let rel_text = rel.to_string_lossy().replace('\\', "/");
        let parts: Vec<&str> = rel_text.split('/').collect();
        let is_bundle = rel.file_stem().is_some_and(|s| s == "index");
        let file_name = if is_bundle {
            parts
                .iter()
                .rev()
                .nth(1)
                .copied()
                .unwrap_or("index")
                .to_string()
        } else {
            let name = parts.last().copied().unwrap_or("");
            name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
        };
        let section = if parts.len() > 1 {
            parts[0].to_string()
        } else {
            String::new()
        };
        let front_slug = sources::text(front.get("slug"));
        // The slug the old URL shows: with a permalink rule naming :slug or
        // :title and no `slug`, Hugo's is the title's.
        let rule = self.settings.permalinks.get(&section);
        let slug = match (&front_slug, rule) {
            (Some(s), _) => s.clone(),
            (None, Some(p)) if p.contains(":slug") || p.contains(":title") => urlize(&title),
            (None, _) => file_name.clone(),
        };
        let own = match sources::text(front.get("url")) {
            Some(url) => with_slash(&url),
            None => {
                let page = Page {
                    title: &title,
                    slug: front_slug.as_deref(),
                    file_name: &file_name,
                    section: &section,
                    // A bundle at the top (`index.md`) has no folder.
                    dirs: &parts[..parts.len().saturating_sub(if is_bundle { 2 } else { 1 })],
                    date: &date,
                };
                let url = match rule {
                    Some(pattern) => page.expand(pattern),
                    None => page.default_url(),
                };
                let url = if self.settings.lower {
                    url.to_lowercase()
                } else {
                    url
                };
                if self.settings.ugly && url.ends_with('/') && url.len() > 1 {
                    format!("{}.html", url.trim_end_matches('/'))
                } else {
                    url
                }
            }
        };
        let mut urls = vec![own.clone()];
        for alias in sources::words(front.get("aliases")) {
            urls.push(if alias.starts_with('/') {
                alias
            } else {
                let parent = own
                    .trim_end_matches('/')
                    .rsplit_once('/')
                    .map_or("", |(p, _)| p);
                format!("{parent}/{alias}")
            });
        }
        let taxonomy = |names: &[String]| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for n in names {
                for v in sources::list(front.get(n)) {
                    if !out.contains(&v) {
                        out.push(v);
                    }
                }
            }
            out
        };
        let mut authors = taxonomy(&self.settings.authors);
        for name in sources::names(front.get("author")) {
            if !authors.contains(&name) {
                authors.push(name);
            }
        }
        let image = sources::lead_image(
            &front,
            &[
                "image",
                "images",
                "featured_image",
                "featuredimage",
                "cover",
            ],
        );
        let dir = rel.parent().unwrap_or(Path::new(""));
        let mut counts = Counts::default();
        let mut body = self.shortcodes(&parsed.body, dir, &mut counts);
        if rel.extension().is_some_and(|e| e == "html") {
            body = html::to_markdown(&body);
            counts.html += 1;
        }
        counts.report(log);
        let draft = sources::flag(front.get("draft")) == Some(true);
        Ok(Post {
            origin: origin.to_string(),
            keys: keys_of(rel),
            title,
            date,
            updated,
            expires,
            authors,
            categories: taxonomy(&self.settings.categories),
            tags: taxonomy(&self.settings.tags),
            summary: sources::text(front.get("summary"))
                .or_else(|| sources::text(front.get("description")))
                .map(|s| html::text(&s)),
            slug,
            draft,
            urls,
            image,
            body,
            files: resources,
        })
    }

    /// The shortcodes with a Markdown form converted (`ref`/`relref` to
    /// links to the page's file, `figure` and image shortcodes to images);
    /// others left as they are, and the build warns about them.
    fn shortcodes(&self, body: &str, dir: &Path, counts: &mut Counts) -> String {
        let mut out = String::with_capacity(body.len());
        let mut rest = body;
        while let Some(i) = rest.find("{{") {
            out.push_str(&rest[..i]);
            let at = &rest[i..];
            // `{{</* x */>}}` is Hugo's way to show a shortcode as text.
            if let Some(inner) = at
                .strip_prefix("{{</*")
                .or_else(|| at.strip_prefix("{{%/*"))
            {
                let close = if at.starts_with("{{<") {
                    "*/>}}"
                } else {
                    "*/%}}"
                };
                if let Some(end) = inner.find(close) {
                    let open = if at.starts_with("{{<") { "{{<" } else { "{{%" };
                    out.push_str(open);
                    out.push_str(&inner[..end]);
                    out.push_str(&close[2..]);
                    counts.escaped += 1;
                    rest = &inner[end + close.len()..];
                    continue;
                }
            }
            let Some((name, args, len)) = shortcode_at(at) else {
                out.push_str("{{");
                rest = &at[2..];
                continue;
            };
            if name == "highlight"
                && let Some((end, after)) = closing(&at[len..], "highlight")
            {
                counts.highlights += 1;
                let lang = args.positional(0).unwrap_or_default();
                let code = at[len..len + end].trim_matches('\n');
                out.push_str(&format!("```{lang}\n{code}\n```"));
                rest = &at[len + after..];
                continue;
            }
            let replacement = match name.as_str() {
                "ref" | "relref" => args.positional(0).map(|target| {
                    counts.refs += 1;
                    let (path, fragment) = match target.split_once('#') {
                        Some((p, f)) => (p, format!("#{f}")),
                        None => (target.as_str(), String::new()),
                    };
                    let relative = format!(
                        "hugo:{}",
                        dir.join(path).to_string_lossy().replace('\\', "/")
                    );
                    let key = if !path.starts_with('/') && self.known.contains(&relative) {
                        relative
                    } else {
                        format!("hugo:{}", path.trim_start_matches('/'))
                    };
                    format!("{}{fragment}", link_to(&key))
                }),
                "figure" => args.named("src").map(|src| {
                    counts.figures += 1;
                    let caption = args.named("caption").or_else(|| args.named("title"));
                    block_image(
                        &src,
                        &args.named("alt").unwrap_or_default(),
                        caption.as_deref(),
                    )
                }),
                n if (n.contains("img") || n.contains("image")) && args.named("src").is_some() => {
                    counts.custom_images += 1;
                    let src = args.named("src").unwrap_or_default();
                    let caption = args.named("caption").or_else(|| args.named("title"));
                    Some(block_image(
                        &src,
                        &args.named("alt").unwrap_or_default(),
                        caption.as_deref(),
                    ))
                }
                _ => None,
            };
            match replacement {
                Some(r) => out.push_str(&r),
                None => out.push_str(&at[..len]),
            }
            rest = &at[len..];
        }
        out.push_str(rest);
        out
    }
}

/// Where the closing tag `{{< /name >}}` (or `{{% /name %}}`) starts in
/// `text`, and where it ends.
fn closing(text: &str, name: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = text[from..].find("{{") {
        let at = from + i;
        let rest = &text[at + 2..];
        let (inner, close) = match rest.chars().next() {
            Some('<') => (&rest[1..], ">}}"),
            Some('%') => (&rest[1..], "%}}"),
            _ => {
                from = at + 2;
                continue;
            }
        };
        if let Some(end) = inner.find(close)
            && inner[..end].trim().strip_prefix('/').map(str::trim) == Some(name)
        {
            return Some((at, at + 3 + end + close.len()));
        }
        from = at + 2;
    }
    None
}

/// An image; alone in its paragraph, as figure shortcodes stand, gazette
/// shows it as a figure when it has a caption.
fn block_image(src: &str, alt: &str, caption: Option<&str>) -> String {
    let caption = caption.map(html::text);
    html::image(src, alt, caption.as_deref())
}

/// What the shortcode conversion did, for the report.
#[derive(Default)]
struct Counts {
    refs: usize,
    highlights: usize,
    figures: usize,
    custom_images: usize,
    escaped: usize,
    html: usize,
}

impl Counts {
    fn report(&self, log: &mut Log) {
        log.converted(
            "{{< ref >}} / {{< relref >}} -> links to the article files",
            self.refs,
        );
        log.converted("{{< figure >}} -> images with captions", self.figures);
        log.converted("{{< highlight >}} -> fenced code", self.highlights);
        log.converted(
            "image shortcodes of the site's own (a name with img/image, a src) -> images: check them",
            self.custom_images,
        );
        log.converted(
            "{{</* */>}} (a shortcode shown as text) -> the text",
            self.escaped,
        );
        log.converted("HTML pages -> Markdown", self.html);
    }
}

/// A page's URL parts, for the permalink tokens.
struct Page<'a> {
    title: &'a str,
    slug: Option<&'a str>,
    file_name: &'a str,
    section: &'a str,
    /// Folders from content/ down to the page's file (or bundle).
    dirs: &'a [&'a str],
    date: &'a Zoned,
}

impl Page<'_> {
    /// Hugo's URL without a permalink rule: the page's folders, then its
    /// slug or file name.
    fn default_url(&self) -> String {
        let mut url = String::from("/");
        for d in self.dirs {
            url.push_str(&urlize(d));
            url.push('/');
        }
        url.push_str(&urlize(self.slug.unwrap_or(self.file_name)));
        url.push('/');
        url
    }

    fn expand(&self, pattern: &str) -> String {
        let d = self.date;
        let slug = self.slug.map_or_else(|| urlize(self.title), urlize);
        let values: [(&str, String); 16] = [
            (
                ":slugorcontentbasename",
                urlize(self.slug.unwrap_or(self.file_name)),
            ),
            (
                ":slugorfilename",
                urlize(self.slug.unwrap_or(self.file_name)),
            ),
            (":contentbasename", urlize(self.file_name)),
            (":filename", urlize(self.file_name)),
            (
                ":sections",
                self.dirs
                    .iter()
                    .map(|s| urlize(s))
                    .collect::<Vec<_>>()
                    .join("/"),
            ),
            (":section", urlize(self.section)),
            (":monthname", d.strftime("%B").to_string().to_lowercase()),
            (":weekdayname", d.strftime("%A").to_string()),
            (":weekday", d.strftime("%w").to_string()),
            (":yearday", d.day_of_year().to_string()),
            (":year", d.strftime("%Y").to_string()),
            (":month", d.strftime("%m").to_string()),
            (":day", d.strftime("%d").to_string()),
            (":title", urlize(self.title)),
            (":slug", slug),
            (":lastmod", String::new()),
        ];
        let mut url = pattern.to_string();
        for (token, value) in &values {
            url = url.replace(token, value);
        }
        while url.contains("//") {
            url = url.replace("//", "/");
        }
        with_slash(&url)
    }
}

/// A leading `/`, and a trailing one unless the last segment has an
/// extension.
fn with_slash(url: &str) -> String {
    let mut url = if url.starts_with('/') {
        url.to_string()
    } else {
        format!("/{url}")
    };
    if !url.ends_with('/') && !url.rsplit('/').next().is_some_and(|s| s.contains('.')) {
        url.push('/');
    }
    url
}

/// Hugo's `urlize`: white space to `-`, and only letters, digits and
/// `-_.~` kept (case is lowered later, unless the site says not to).
fn urlize(text: &str) -> String {
    collapse(text)
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || "-_.~".contains(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// A shortcode's arguments: positional and `name="value"` ones.
struct Args(Vec<(Option<String>, String)>);

impl Args {
    fn positional(&self, n: usize) -> Option<String> {
        self.0
            .iter()
            .filter(|(k, _)| k.is_none())
            .nth(n)
            .map(|(_, v)| v.clone())
    }

    fn named(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k.as_deref() == Some(name))
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    }
}

/// `{{< name args >}}` or `{{% name args %}}` at the start of `text`: its
/// name, arguments and length. Closing tags are not shortcodes here.
fn shortcode_at(text: &str) -> Option<(String, Args, usize)> {
    let (inner, close) = if let Some(i) = text.strip_prefix("{{<") {
        (i, ">}}")
    } else {
        (text.strip_prefix("{{%")?, "%}}")
    };
    let end = inner.find(close)?;
    let tag = inner[..end].trim();
    if tag.starts_with('/') {
        return None;
    }
    let (name, rest) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
    let len = text.len() - inner.len() + end + close.len();
    Some((
        name.to_string(),
        parse_args(rest.trim_end_matches('/')),
        len,
    ))
}

fn parse_args(text: &str) -> Args {
    let mut args = Vec::new();
    let mut chars = text.trim().chars().peekable();
    while chars.peek().is_some() {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut word = String::new();
        let mut key = None;
        while let Some(&c) = chars.peek() {
            match c {
                '"' | '`' => {
                    chars.next();
                    for c in chars.by_ref() {
                        if c == '"' || c == '`' {
                            break;
                        }
                        word.push(c);
                    }
                }
                '=' if key.is_none() => {
                    chars.next();
                    key = Some(std::mem::take(&mut word));
                }
                c if c.is_whitespace() => break,
                c => {
                    chars.next();
                    word.push(c);
                }
            }
        }
        if !word.is_empty() || key.is_some() {
            args.push((key, word));
        }
    }
    Args(args)
}

/// [`Reader::post`] of the page at `rel` (below content/) holding `text`,
/// in a site whose configuration is `config`.
pub(super) fn post_of_text(
    config: &Map,
    rel: &Path,
    text: &str,
    log: &mut Log,
) -> Result<Post, String> {
    let settings = Settings::of(&sources::lowercase_keys(config.clone()));
    let known = HashSet::new();
    let reader = Reader {
        tz: &TimeZone::UTC,
        settings: &settings,
        known: &known,
    };
    let origin = format!("content/{}", rel.to_string_lossy());
    reader.post_text(text, rel, &origin, Vec::new(), log)
}

/// [`shortcode_at`] and the conversion of every shortcode in `text`, for
/// [`super::text`] and the property tests of the module above.
pub(super) fn parse_shortcode(text: &str) -> String {
    let _ = shortcode_at(text);
    let settings = Settings::of(&Map::new());
    let known = HashSet::new();
    let reader = Reader {
        tz: &TimeZone::UTC,
        settings: &settings,
        known: &known,
    };
    reader.shortcodes(text, Path::new("news"), &mut Counts::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcode_arguments() {
        let (name, args, len) =
            shortcode_at(r#"{{< figure src="a b.jpg" caption="The "x"" alt=Boat >}} after"#)
                .unwrap();
        assert_eq!(name, "figure");
        assert_eq!(args.named("src").as_deref(), Some("a b.jpg"));
        assert_eq!(args.named("alt").as_deref(), Some("Boat"));
        assert_eq!(
            len,
            r#"{{< figure src="a b.jpg" caption="The "x"" alt=Boat >}}"#.len()
        );
        let (name, args, _) = shortcode_at(r#"{{% ref "posts/a.md#top" %}}"#).unwrap();
        assert_eq!(
            (name.as_str(), args.positional(0).as_deref()),
            ("ref", Some("posts/a.md#top"))
        );
        assert!(shortcode_at("{{< /note >}}").is_none());
    }

    /// Found by fuzz/ (hugo): a title of markup alone gave a post titled "".
    #[test]
    fn a_title_of_markup_alone_is_no_title() {
        let text = "+++\ntitle = \"<b></b>\"\ndate = 2020-01-01\n+++\nx\n";
        let post = post_of_text(
            &Map::new(),
            Path::new("news/x.md"),
            text,
            &mut Log::default(),
        );
        assert_eq!(post.map(|p| p.title), Err("no title".to_string()));
    }

    /// Found with fuzz/ (hugo, by a hand-made input): a bundle at the top
    /// of content/ overflowed when its folders were counted.
    #[test]
    fn a_bundle_at_the_top_of_content() {
        let text = "+++\ntitle = \"A\"\ndate = 2020-01-01\n+++\nx\n";
        let post = post_of_text(
            &Map::new(),
            Path::new("index.md"),
            text,
            &mut Log::default(),
        );
        assert_eq!(post.unwrap().urls, ["/index/"]);
    }

    #[test]
    fn highlight_becomes_a_fence() {
        let body = "Code:\n\n{{< highlight go \"linenos=table\" >}}\nfmt.Println(1)\n{{< / highlight >}}\n\n{{< highlight >}}unclosed";
        assert_eq!(
            parse_shortcode(body),
            "Code:\n\n```go\nfmt.Println(1)\n```\n\n{{< highlight >}}unclosed"
        );
    }

    #[test]
    fn hugo_urls() {
        let date =
            crate::content::frontmatter::parse_date("2019-05-03T10:00:00+02:00", &TimeZone::UTC)
                .unwrap();
        let date = date.with_time_zone(TimeZone::fixed(jiff::tz::offset(2)));
        let page = Page {
            title: "Harbour Reopens: Day One",
            slug: None,
            file_name: "harbour",
            section: "news",
            dirs: &["news", "2019"],
            date: &date,
        };
        assert_eq!(page.default_url(), "/news/2019/harbour/");
        assert_eq!(
            page.expand("/:year/:month/:title/"),
            "/2019/05/Harbour-Reopens-Day-One/"
        );
        assert_eq!(page.expand("/:section/:slugorfilename/"), "/news/harbour/");
        assert_eq!(
            page.expand("/:year/:monthname/:slug"),
            "/2019/may/Harbour-Reopens-Day-One/"
        );
    }
}
