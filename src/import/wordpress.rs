//! WordPress export files (WXR 1.1 and 1.2): posts, drafts and scheduled
//! posts with their authors, categories, tags, featured images and old
//! permalinks; HTML bodies converted to Markdown.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ZonedDateTime as Zoned};
use quick_xml::Reader;
use quick_xml::events::Event;
use rayon::prelude::*;

use super::html::{self, Kept};
use super::post::{Archive, LeadImage, Post, SiteInfo};
use super::{ImportOptions, Log};
use crate::content::foreign;
use crate::site::profiles::Profile;

/// One `<item>` (or the channel itself): its simple fields, categories and
/// meta values.
#[derive(Debug, Default)]
struct Item {
    line: usize,
    fields: HashMap<String, String>,
    /// `(domain, nicename, name)`.
    categories: Vec<(String, String, String)>,
    meta: HashMap<String, String>,
}

impl Item {
    fn get(&self, key: &str) -> &str {
        self.fields.get(key).map_or("", |s| s.trim())
    }

    /// A date field as WordPress writes it (`2019-05-03 10:00:00`); `None`
    /// when absent or zero (`0000-00-00 00:00:00`, a draft's GMT date).
    fn date_time(&self, key: &str) -> Option<DateTime> {
        self.get(key)
            .replace(' ', "T")
            .parse::<DateTime>()
            .ok()
            .filter(|d| d.year() > 1)
    }
}

#[derive(Debug, Default)]
struct Export {
    channel: Item,
    /// `(login, display name)`.
    authors: Vec<(String, String)>,
    items: Vec<Item>,
}

pub fn read(
    options: &ImportOptions,
    tz: Option<&TimeZone>,
    log: &mut Log,
) -> Result<Archive, String> {
    let path = &options.source;
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file = path
        .file_name()
        .map_or("export".into(), |n| n.to_string_lossy().into_owned());
    from_text(&text, &file, options.uploads.clone(), tz, log)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// [`read`] of an export held in memory, named `file` in the report;
/// `uploads` is the local copy of `wp-content/uploads`, if there is one.
pub fn from_text(
    text: &str,
    file: &str,
    uploads: Option<PathBuf>,
    tz: Option<&TimeZone>,
    log: &mut Log,
) -> Result<Archive, String> {
    let export = parse(text)?;
    if !export.channel.fields.contains_key("wp:wxr_version") {
        return Err(
            "not a WordPress export (no wp:wxr_version); export one with Tools > Export".into(),
        );
    }
    let channel = &export.channel;
    let base = [channel.get("wp:base_blog_url"), channel.get("link")]
        .into_iter()
        .find(|b| !b.is_empty())
        .map(|b| format!("{}/", b.trim_end_matches('/')));
    let (tz_name, tz) = match tz {
        Some(tz) => (tz.iana_name().unwrap_or("UTC").to_string(), tz.clone()),
        None => infer_time_zone(&export.items, log),
    };
    let attachments: HashMap<&str, &Item> = export
        .items
        .iter()
        .filter(|i| i.get("wp:post_type") == "attachment")
        .map(|i| (i.get("wp:post_id"), i))
        .collect();
    let names: HashMap<&str, &str> = export
        .authors
        .iter()
        .map(|(login, name)| (login.as_str(), name.as_str()))
        .collect();
    let uploads = Uploads {
        prefix: base.as_ref().map(|b| format!("{b}wp-content/uploads/")),
        folder: uploads,
    };
    let context = Context {
        file,
        base: base.as_deref(),
        tz: &tz,
        attachments,
        names,
        uploads: &uploads,
    };
    let results: Vec<Result<Converted, (String, String)>> = export
        .items
        .par_iter()
        .map(|item| context.post(item))
        .collect();
    let mut posts = Vec::new();
    let mut static_files = HashSet::new();
    for result in results {
        match result {
            Ok(c) => {
                for (what, n) in &c.counts {
                    log.converted(what, *n);
                }
                static_files.extend(c.files);
                posts.push(c.post);
            }
            Err((origin, reason)) => log.skip(origin, reason),
        }
    }
    let mut authors: HashSet<&str> = HashSet::new();
    for post in &posts {
        authors.extend(post.authors.iter().map(String::as_str));
    }
    let profiles = export
        .authors
        .iter()
        .filter(|(_, name)| authors.contains(name.as_str()))
        .map(|(_, name)| (name.clone(), Profile::default()))
        .collect();
    let mut static_files: Vec<(PathBuf, PathBuf)> = static_files.into_iter().collect();
    static_files.sort();
    Ok(Archive {
        site: SiteInfo {
            title: Some(html::text(channel.get("title"))).filter(|t| !t.is_empty()),
            base_url: base,
            language: Some(channel.get("language").to_string()).filter(|l| !l.is_empty()),
            description: Some(html::text(channel.get("description"))).filter(|d| !d.is_empty()),
            timezone: Some((tz_name, tz)),
        },
        posts,
        profiles,
        static_files,
    })
}

/// What every item's conversion needs.
struct Context<'a> {
    file: &'a str,
    base: Option<&'a str>,
    tz: &'a TimeZone,
    attachments: HashMap<&'a str, &'a Item>,
    names: HashMap<&'a str, &'a str>,
    uploads: &'a Uploads,
}

/// One converted item.
struct Converted {
    post: Post,
    counts: Vec<(&'static str, usize)>,
    files: Vec<(PathBuf, PathBuf)>,
}

impl Context<'_> {
    fn post(&self, item: &Item) -> Result<Converted, (String, String)> {
        let origin = format!("{}:{}", self.file, item.line);
        let skip = |reason: &str| Err((origin.clone(), reason.to_string()));
        let kind = item.get("wp:post_type");
        match kind {
            "post" => {}
            "attachment" => return skip("attachment (its file is used where a post shows it)"),
            "page" => return skip("page: gazette has articles only (copy its text by hand)"),
            "nav_menu_item"
            | "revision"
            | "custom_css"
            | "customize_changeset"
            | "wp_global_styles"
            | "wp_navigation"
            | "wp_template"
            | "wp_template_part" => {
                return skip(&format!("{kind}: site machinery, not content"));
            }
            other => return skip(&format!("post type `{other}`: not an article")),
        }
        let status = item.get("wp:status");
        let draft = match status {
            "publish" | "future" => false,
            "draft" | "pending" => true,
            "private" => return skip("private post: not for the public site"),
            other => return skip(&format!("status `{other}`")),
        };
        let mut counts = Vec::new();
        let raw_title = item.get("title");
        let title = html::text(raw_title);
        if title != raw_title.trim() {
            counts.push(("titles with HTML entities or tags -> plain text", 1));
        }
        if title.is_empty() {
            return skip("no title");
        }
        let date = self
            .date(item, "wp:post_date_gmt", "wp:post_date")
            .ok_or_else(|| (origin.clone(), "no usable post_date".to_string()))?;
        let updated = self
            .date(item, "wp:post_modified_gmt", "wp:post_modified")
            .filter(|m| m.timestamp() > date.timestamp());
        let slug = crate::url::percent_decode(item.get("wp:post_name"));
        let mut urls = Vec::new();
        let link = item.get("link");
        if let Some(path) = self.site_path(link) {
            urls.push(path);
        } else if !draft && !link.is_empty() {
            counts.push((
                "old URLs with a query (?p=N): a static host cannot answer them",
                1,
            ));
        }
        let mut authors: Vec<String> = Vec::new();
        let creator = item.get("dc:creator");
        let mut push_author = |name: String| {
            if !name.is_empty() && !authors.contains(&name) {
                authors.push(name);
            }
        };
        let mut categories = Vec::new();
        let mut tags = Vec::new();
        let mut coauthors = 0;
        for (domain, nicename, name) in &item.categories {
            let name = html::text(name);
            match domain.as_str() {
                "category" => categories.push(name),
                "post_tag" => tags.push(name),
                "author" => {
                    coauthors += 1;
                    let login = nicename.strip_prefix("cap-").unwrap_or(nicename);
                    push_author(self.names.get(login).map_or(name, |n| n.to_string()));
                }
                _ => {}
            }
        }
        if coauthors == 0 {
            push_author(
                self.names
                    .get(creator)
                    .map_or(creator.to_string(), |n| n.to_string()),
            );
        } else {
            counts.push(("Co-Authors Plus authors -> authors", 1));
        }
        let summary = Some(html::text(item.get("excerpt:encoded"))).filter(|s| !s.is_empty());
        let mut files = Vec::new();
        let image = item
            .meta
            .get("_thumbnail_id")
            .and_then(|id| self.attachments.get(id.trim()))
            .map(|a| {
                counts.push(("featured images -> lead images", 1));
                LeadImage {
                    src: self.uploads.local(a.get("wp:attachment_url"), &mut files),
                    alt: a
                        .meta
                        .get("_wp_attachment_image_alt")
                        .map(|s| html::text(s))
                        .filter(|s| !s.is_empty()),
                    caption: Some(html::text(a.get("excerpt:encoded"))).filter(|s| !s.is_empty()),
                    credit: None,
                }
            });
        let body = body(item.get("content:encoded"), &mut counts);
        let body = self.uploads.rewrite(&body, &mut files);
        let id = item.get("wp:post_id");
        Ok(Converted {
            post: Post {
                origin,
                keys: vec![format!("wp:{id}")],
                title,
                date,
                updated,
                expires: None,
                authors,
                categories,
                tags,
                summary,
                slug,
                draft,
                urls,
                image,
                body,
                files: Vec::new(),
            },
            counts,
            files,
        })
    }

    /// The instant of `gmt` (UTC), else `local` read in the site time zone
    /// (drafts have no GMT date).
    fn date(&self, item: &Item, gmt: &str, local: &str) -> Option<Zoned> {
        if let Some(dt) = item.date_time(gmt) {
            let ts = dt.to_zoned_datetime(TimeZone::UTC).ok()?.timestamp();
            return Some(ts.to_zoned_datetime(self.tz.clone()));
        }
        item.date_time(local)
            .and_then(|dt| dt.to_zoned_datetime(self.tz.clone()).ok())
    }

    /// The path of a link into the blog (`https://host/blog/2019/x/` ->
    /// `/2019/x/`), unless it has a query.
    fn site_path(&self, link: &str) -> Option<String> {
        let rest = link.strip_prefix(self.base?.trim_end_matches('/'))?;
        // Not `https://host/blog2/x` for the blog `https://host/blog`.
        if rest.contains('?') || !rest.starts_with('/') {
            return None;
        }
        Some(rest.split('#').next().unwrap_or(rest).to_string())
    }
}

/// Where WordPress's uploads are, to take images from there.
struct Uploads {
    /// `https://host/wp-content/uploads/`.
    prefix: Option<String>,
    /// The local copy of that folder.
    folder: Option<PathBuf>,
}

impl Uploads {
    /// `/wp-content/uploads/x.jpg` (and the file to copy into static/) when
    /// the copy has the file, else the URL as it is.
    fn local(&self, url: &str, files: &mut Vec<(PathBuf, PathBuf)>) -> String {
        let (Some(prefix), Some(folder)) = (&self.prefix, &self.folder) else {
            return url.to_string();
        };
        let Some(rest) = url
            .strip_prefix(prefix.as_str())
            .or_else(|| url.strip_prefix(&prefix.replacen("https://", "http://", 1)))
        else {
            return url.to_string();
        };
        let rest = crate::url::percent_decode(rest);
        let safe = !rest.split('/').any(|s| s == ".." || s.is_empty());
        let file = folder.join(&rest);
        if !safe || !file.is_file() {
            return url.to_string();
        }
        let under_static = Path::new("wp-content/uploads").join(&rest);
        files.push((file, under_static));
        format!("/wp-content/uploads/{rest}")
    }

    /// The body with every image from the uploads folder made local.
    fn rewrite(&self, body: &str, files: &mut Vec<(PathBuf, PathBuf)>) -> String {
        let Some(prefix) = &self.prefix else {
            return body.to_string();
        };
        if self.folder.is_none() || !body.contains("/wp-content/uploads/") {
            return body.to_string();
        }
        let mut out = body.to_string();
        let parser = pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all());
        for event in parser {
            if let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { dest_url, .. }) = event
                && dest_url.contains(
                    prefix
                        .trim_start_matches("https:")
                        .trim_start_matches("http:"),
                )
            {
                let local = self.local(&dest_url, files);
                if local != *dest_url {
                    out = out.replace(&format!("]({dest_url}"), &format!("]({local}"));
                }
            }
        }
        out
    }
}

/// A post's HTML as Markdown: Gutenberg block comments dropped, classic
/// paragraphs made explicit, `[caption]` as figures, `[embed]` as links,
/// other shortcodes kept as they are (the build warns about them).
fn body(content: &str, counts: &mut Vec<(&'static str, usize)>) -> String {
    let (content, blocks) = drop_block_comments(content);
    counts.push(("Gutenberg block comments dropped", blocks));
    let mut kept = Kept::default();
    let mut out = String::with_capacity(content.len());
    let mut rest = content.as_str();
    let (mut captions, mut embeds, mut left) = (0, 0, 0);
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let at = &rest[i..];
        let Some((name, whole, inner)) = shortcode(at) else {
            out.push('[');
            rest = &at[1..];
            continue;
        };
        let piece = &at[..whole];
        match name {
            "caption" | "wp_caption" => match caption(piece, inner) {
                Some(figure) => {
                    captions += 1;
                    out.push_str(&figure);
                }
                None => {
                    left += 1;
                    out.push_str(&kept.keep(piece));
                }
            },
            "embed" if inner.is_some_and(|u| u.trim().starts_with("http")) => {
                embeds += 1;
                let url = inner.unwrap_or_default().trim();
                out.push_str(&format!("<p><a href=\"{url}\">{url}</a></p>"));
            }
            _ => {
                left += 1;
                out.push_str(&kept.keep(piece));
            }
        }
        rest = &at[whole..];
    }
    out.push_str(rest);
    counts.push(("[caption] -> figures with captions", captions));
    counts.push(("[embed] -> links", embeds));
    counts.push(("other shortcodes kept as text (the build warns)", left));
    let lower = content.to_ascii_lowercase();
    let embeds = html::EMBEDS
        .iter()
        .map(|tag| lower.matches(&format!("<{tag}")).count())
        .sum();
    counts.push(("players (iframe, video, audio) kept as HTML", embeds));
    let html = if blocks == 0 { html::autop(&out) } else { out };
    kept.restore(&html::to_markdown(&html))
}

/// `<!-- wp:... -->` and `<!-- /wp:... -->` removed; how many there were.
fn drop_block_comments(content: &str) -> (String, usize) {
    let mut out = String::with_capacity(content.len());
    let mut count = 0;
    let mut rest = content;
    while let Some(i) = rest.find("<!-- ") {
        let after = &rest[i + 5..];
        if !(after.starts_with("wp:") || after.starts_with("/wp:")) {
            out.push_str(&rest[..i + 5]);
            rest = after;
            continue;
        }
        let Some(end) = after.find("-->") else { break };
        out.push_str(&rest[..i]);
        count += 1;
        rest = &after[end + 3..];
    }
    out.push_str(rest);
    (out, count)
}

/// A WordPress shortcode at the start of `text`, if it is one of the known
/// names: its name, its length (up to `[/name]` when closed) and what it
/// encloses.
fn shortcode(text: &str) -> Option<(&'static str, usize, Option<&str>)> {
    let after = &text[1..];
    let name = foreign::WORDPRESS
        .iter()
        .copied()
        .find(|n| after.starts_with(n) && after[n.len()..].starts_with([' ', ']', '/']))?;
    let open_end = text.find(']')? + 1;
    let close = format!("[/{name}]");
    match text[open_end..].find(&close) {
        Some(c) => Some((
            name,
            open_end + c + close.len(),
            Some(&text[open_end..open_end + c]),
        )),
        None => Some((name, open_end, None)),
    }
}

/// `[caption ...]<img ...> Caption[/caption]` as a figure; `None` without
/// an image in it.
fn caption(piece: &str, inner: Option<&str>) -> Option<String> {
    let inner = inner?;
    let start = inner.find("<img")?;
    let end = start + inner[start..].find('>')? + 1;
    let img = &inner[start..end];
    let mut text = html::text(&format!("{}{}", &inner[..start], &inner[end..]));
    if text.is_empty() {
        // Older exports put it in the attribute: [caption caption="..."].
        text = attribute(piece, "caption")
            .map(|c| html::text(&c))
            .unwrap_or_default();
    }
    Some(format!(
        "<figure>{img}<figcaption>{}</figcaption></figure>",
        text.replace('<', "&lt;")
    ))
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_string())
}

/// Time zones preferred when several fit the same offsets.
const PREFERRED: &[&str] = &[
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "America/Toronto",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Athens",
    "Europe/Moscow",
    "Africa/Johannesburg",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Singapore",
    "Asia/Dubai",
    "Australia/Sydney",
    "Pacific/Auckland",
];

/// The time zone whose offsets agree with the most posts' `post_date`
/// minus `post_date_gmt` (WordPress writes both).
fn infer_time_zone(items: &[Item], log: &mut Log) -> (String, TimeZone) {
    let mut seen: Vec<(Timestamp, i32)> = Vec::new();
    for item in items {
        let (Some(local), Some(gmt)) = (
            item.date_time("wp:post_date"),
            item.date_time("wp:post_date_gmt"),
        ) else {
            continue;
        };
        let (Ok(l), Ok(g)) = (
            local.to_zoned_datetime(TimeZone::UTC),
            gmt.to_zoned_datetime(TimeZone::UTC),
        ) else {
            continue;
        };
        let offset = (l.timestamp().as_second() - g.timestamp().as_second()) as i32;
        seen.push((g.timestamp(), offset));
    }
    if seen.is_empty() || seen.iter().all(|(_, o)| *o == 0) {
        return ("UTC".to_string(), TimeZone::UTC);
    }
    // A sample is enough to tell zones apart; every post would be slow.
    let step = (seen.len() / 400).max(1);
    let sample: Vec<_> = seen.iter().step_by(step).collect();
    let fits = |tz: &TimeZone| {
        sample
            .iter()
            .filter(|(ts, o)| tz.to_offset(*ts).seconds() == *o)
            .count()
    };
    let mut best: Option<(usize, String, TimeZone)> = None;
    let names = PREFERRED
        .iter()
        .map(|s| s.to_string())
        .chain(jiff::tz::db().available().map(|n| n.to_string()));
    for name in names {
        let Ok(tz) = TimeZone::get(&name) else {
            continue;
        };
        let n = fits(&tz);
        if best.as_ref().is_none_or(|(b, _, _)| n > *b) {
            best = Some((n, name, tz));
        }
        if n == sample.len() && best.as_ref().is_some_and(|(b, _, _)| *b == n) {
            // The first zone (in order of preference) that fits every post.
            break;
        }
    }
    match best {
        Some((n, name, tz)) if n > 0 => {
            log.note(format!(
                "time zone: {name}, inferred from post dates ({n} of {} sampled agree; --timezone sets another)",
                sample.len()
            ));
            (name, tz)
        }
        _ => {
            let offset = Offset::from_seconds(seen[0].1).unwrap_or(Offset::UTC);
            log.note(format!("time zone: fixed offset {offset}, from post dates"));
            (offset.to_string(), TimeZone::fixed(offset))
        }
    }
}

/// Reads the export into items. Comments (`wp:comment`) are passed over.
fn parse(text: &str) -> Result<Export, String> {
    let mut reader = Reader::from_str(text);
    let mut export = Export::default();
    let mut stack: Vec<String> = Vec::new();
    let mut current: Option<Item> = None;
    let mut author: Option<HashMap<String, String>> = None;
    let mut value = String::new();
    let mut category: Option<(String, String)> = None;
    let mut meta_key = String::new();
    // Lines are counted on from the last position asked for, once.
    let mut counted = (0, 1);
    let mut line_of = |pos: usize| {
        let mut pos = pos.min(text.len());
        while !text.is_char_boundary(pos) {
            pos -= 1;
        }
        if pos < counted.0 {
            counted = (0, 1);
        }
        counted.1 += text[counted.0..pos].matches('\n').count();
        counted.0 = pos;
        counted.1
    };
    loop {
        let position = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| format!("line {}: {e}", line_of(reader.error_position() as usize)))?;
        match event {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                value.clear();
                match name.as_str() {
                    "item" => {
                        current = Some(Item {
                            line: line_of(position),
                            ..Item::default()
                        })
                    }
                    "wp:author" if current.is_none() => author = Some(HashMap::new()),
                    "category" => {
                        let attr = |n: &str| {
                            e.try_get_attribute(n)
                                .ok()
                                .flatten()
                                .and_then(|a| {
                                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                        .ok()
                                        .map(|v| v.into_owned())
                                })
                                .unwrap_or_default()
                        };
                        category = Some((attr("domain"), attr("nicename")));
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Event::Text(t) => value.push_str(&t.html_content()),
            Event::CData(c) => value.push_str(&c.html_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => value.push(c),
                _ => value.push_str(match r.as_ref() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "apos" => "'",
                    "quot" => "\"",
                    other => return Err(format!("unknown entity &{other};")),
                }),
            },
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let in_comment = stack.iter().any(|s| s == "wp:comment");
                let text = std::mem::take(&mut value);
                if in_comment || name == "wp:comment" {
                    continue;
                }
                match (name.as_str(), current.as_mut()) {
                    ("item", _) => export.items.extend(current.take()),
                    ("category", Some(item)) => {
                        let (domain, nicename) = category.take().unwrap_or_default();
                        item.categories.push((domain, nicename, text));
                    }
                    ("wp:meta_key", Some(_)) => meta_key = text.trim().to_string(),
                    ("wp:meta_value", Some(item)) => {
                        item.meta.insert(std::mem::take(&mut meta_key), text);
                    }
                    (_, Some(item)) if stack.last().is_some_and(|p| p == "item") => {
                        item.fields.entry(name).or_insert(text);
                    }
                    ("wp:author", None) => {
                        let fields = author.take().unwrap_or_default();
                        let login = fields.get("wp:author_login").cloned().unwrap_or_default();
                        let display = fields
                            .get("wp:author_display_name")
                            .cloned()
                            .filter(|d| !d.trim().is_empty())
                            .unwrap_or_else(|| login.clone());
                        export
                            .authors
                            .push((login.trim().into(), html::text(&display)));
                    }
                    (_, None) if author.is_some() => {
                        if let Some(fields) = author.as_mut() {
                            fields.insert(name, text);
                        }
                    }
                    (_, None) if stack.last().is_some_and(|p| p == "channel") => {
                        export.channel.fields.entry(name).or_insert(text);
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(export)
}

/// [`parse`] and [`body`], for the property tests of the module above.
#[cfg(test)]
pub(super) fn parse_export(text: &str) -> bool {
    parse(text).is_ok()
}

/// [`body`]: a post's HTML as Markdown (for [`super::text`] and the tests).
pub(super) fn convert_body(text: &str) -> String {
    body(text, &mut Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_and_blocks() {
        let mut counts = Vec::new();
        let md = body(
            "Intro line\n\n[caption id=\"a\" width=\"300\"]<a href=\"x\"><img src=\"https://ex.com/wp-content/uploads/a.jpg\" alt=\"Boat\" /></a> The harbour[/caption]\n\n[gallery ids=\"1,2\"]\n\n[embed]https://video.example/v/1[/embed]",
            &mut counts,
        );
        assert_eq!(
            md,
            "Intro line\n\n![Boat](https://ex.com/wp-content/uploads/a.jpg \"The harbour\")\n\n[gallery ids=\"1,2\"]\n\n[https://video.example/v/1](https://video.example/v/1)\n"
        );
        let (text, n) =
            drop_block_comments("<!-- wp:paragraph --><p>A</p><!-- /wp:paragraph --><!-- keep -->");
        assert_eq!((text.as_str(), n), ("<p>A</p><!-- keep -->", 2));
    }

    /// Found by fuzz/ (wordpress): a link that only began with the blog's
    /// address (`.../blog2/x/` of the blog `.../blog`) was kept as its
    /// old URL `2/x/`, not a site path.
    #[test]
    fn old_urls_are_links_into_the_blog_only() {
        let item = |link: &str| {
            format!(
                "<item><title>T</title><link>{link}</link><wp:post_date>2020-01-15 10:00:00</wp:post_date>\
                 <wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>"
            )
        };
        let xml = format!(
            "<rss><channel><link>https://ex.com/blog</link><wp:wxr_version>1.2</wp:wxr_version>{}{}</channel></rss>",
            item("https://ex.com/blog2/x/"),
            item("https://ex.com/blog/2020/y/"),
        );
        let archive = from_text(
            &xml,
            "export.xml",
            None,
            Some(&TimeZone::UTC),
            &mut Log::default(),
        )
        .unwrap();
        let urls: Vec<_> = archive.posts.iter().map(|p| p.urls.clone()).collect();
        assert_eq!(urls, [vec![], vec!["/2020/y/".to_string()]]);
    }
}
