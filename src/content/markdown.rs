//! Article bodies: Markdown to HTML with pulldown-cmark.
//!
//! Takes the body text and a [`Links`] resolver; returns the HTML, the first
//! paragraph as plain text, the local files the body uses, and positioned
//! problems. Links to another article's `.md` source become its URL; local
//! images are collected to be copied next to the page. Reads the file
//! system only to check that images exist; writes nothing.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use super::slug::Slugs;
use crate::diagnostics::line_col;
use crate::images::{self, Probe, Rendition};

/// What the body needs from the rest of the site.
pub trait Links {
    /// The link of the article whose source is `source` (a path relative
    /// to the site root), or why it cannot be linked.
    fn article(&self, source: &Path) -> Result<String, String>;
    /// Whether `path` (relative to the site root) is an existing file
    /// inside the site (no symbolic link on the way leads out of it).
    fn file_exists(&self, path: &Path) -> bool;
    /// Where `path` (relative to the site root) really leads, when a
    /// symbolic link takes it out of the site.
    fn leads_out(&self, _path: &Path) -> Option<PathBuf> {
        None
    }
    /// What the header of the image at `path` (relative to the site root)
    /// says: its size and format.
    fn image(&self, _path: &Path) -> Option<Probe> {
        None
    }
}

/// Where the body sits and how to treat it.
pub struct Input<'a> {
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// Source file, relative to the site root.
    pub source: &'a Path,
    /// Root-relative link of the article's page (`/news/2022/01/27/a/`).
    pub page_link: &'a str,
    pub raw_html: bool,
    /// Look for other generators' template code: the first rendering of a
    /// body does; a page rendering it again only needs the HTML.
    pub template_code: bool,
    /// How heading ids are made.
    pub slugs: Slugs,
    /// Which renditions local images get.
    pub images: &'a images::Settings,
}

#[derive(Debug, Default, Clone)]
pub struct Rendered {
    /// Shared: kept by `serve`'s cache and by the article at once.
    pub html: crate::shared::Shared<str>,
    /// Plain text of the first paragraph.
    pub first_paragraph: String,
    pub word_count: usize,
    /// Local files the body uses, relative to the site root, each with the
    /// file name it gets next to the page.
    pub assets: Vec<(PathBuf, String)>,
    /// (line, column, message) of each problem, lines of the whole file.
    pub problems: Vec<(usize, usize, String)>,
    /// (line, column, message) of each piece of another generator's
    /// template code left in the body (see [`super::foreign`]): warnings.
    pub template_code: Vec<(usize, usize, String)>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(input: &Input<'_>, links: &dyn Links) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut state = State::default();
    let mut pictures: HashMap<String, Picture> = HashMap::new();
    let mut code = Vec::new();
    for (event, range) in Parser::new_ext(input.body, options()).into_offset_iter() {
        if matches!(event, Event::Start(Tag::CodeBlock(_)) | Event::Code(_)) {
            code.push(range.clone());
        }
        let at = || {
            let (line, col) = line_col(input.body, range.start);
            (line + input.body_line - 1, col)
        };
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite_link(input, dest_url, links)
                    .unwrap_or_else(|e| fail(&mut out, at(), e));
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = local_image(input, dest_url, links, &mut out.assets, &mut pictures)
                    .unwrap_or_else(|e| fail(&mut out, at(), e));
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            // A task's box says its state to screen readers, which would
            // otherwise announce an unlabelled checkbox.
            Event::TaskListMarker(done) => Event::InlineHtml(CowStr::Borrowed(match done {
                true => r#"<input type="checkbox" disabled checked aria-label="Done"> "#,
                false => r#"<input type="checkbox" disabled aria-label="Not done"> "#,
            })),
            Event::Html(h) | Event::InlineHtml(h) if !input.raw_html => Event::Text(h),
            // `{attr=value}` after a heading writes HTML attributes
            // (`onmouseover=...`): with raw HTML off, only its id and classes.
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) if !input.raw_html && !attrs.is_empty() => Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: Vec::new(),
            }),
            other => other,
        };
        state.observe(&event, &mut out);
        events.push(event);
    }
    if input.template_code {
        out.template_code = template_code(input, &code);
    }
    add_heading_ids(&mut events, input.slugs);
    let events = lazy_images(events, &pictures, &input.images.sizes);
    let mut html = String::with_capacity(input.body.len() + input.body.len() / 4);
    html::push_html(&mut html, events.into_iter().map(focusable_code));
    out.html = html.into();
    out
}

/// A code block scrolls sideways within the column when its lines are
/// long: it can take the keyboard's focus (`tabindex="0"`), so that it can
/// be scrolled without a mouse. The language class keeps letters, digits
/// and `+-_.#` of the info string's first word.
fn focusable_code(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::CodeBlock(kind)) => {
            let lang: String = match &kind {
                CodeBlockKind::Fenced(info) => info
                    .split(' ')
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || "+-_.#".contains(*c))
                    .collect(),
                CodeBlockKind::Indented => String::new(),
            };
            Event::Html(CowStr::from(match lang.is_empty() {
                true => "<pre tabindex=\"0\"><code>".to_string(),
                false => format!("<pre tabindex=\"0\"><code class=\"language-{lang}\">"),
            }))
        }
        Event::End(TagEnd::CodeBlock) => Event::Html(CowStr::Borrowed("</code></pre>\n")),
        other => other,
    }
}

/// Other generators' template code outside the `code` ranges, at lines of
/// the whole file.
fn template_code(input: &Input<'_>, code: &[Range<usize>]) -> Vec<(usize, usize, String)> {
    super::foreign::find(input.body, code)
        .into_iter()
        .map(|found| {
            let (line, col) = line_col(input.body, found.offset);
            let message = format!(
                "{} `{}` is shown as text; convert it or remove it",
                found.kind, found.text
            );
            (line + input.body_line - 1, col, message)
        })
        .collect()
}

fn fail<'a>(out: &mut Rendered, (line, col): (usize, usize), message: String) -> CowStr<'a> {
    out.problems.push((line, col, message));
    CowStr::Borrowed("")
}

/// Tracks the first paragraph and the word count while events go by.
#[derive(Default)]
struct State {
    in_first: bool,
    first_done: bool,
}

impl State {
    fn observe(&mut self, event: &Event<'_>, out: &mut Rendered) {
        match event {
            Event::Start(Tag::Paragraph) if !self.first_done => self.in_first = true,
            Event::End(TagEnd::Paragraph) if self.in_first => {
                self.in_first = false;
                self.first_done = true;
            }
            Event::Text(t) | Event::Code(t) => {
                out.word_count += t.split_whitespace().count();
                if self.in_first {
                    out.first_paragraph.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak if self.in_first => out.first_paragraph.push(' '),
            _ => {}
        }
    }
}

/// A link to an `.md` source becomes the article's link; others are kept.
fn rewrite_link<'a>(
    input: &Input<'_>,
    dest: CowStr<'a>,
    links: &dyn Links,
) -> Result<CowStr<'a>, String> {
    let (path, fragment) = split_fragment(&dest);
    if !is_relative_path(path) || !path.ends_with(".md") {
        return Ok(dest);
    }
    let target = resolve(input.source, path)
        .ok_or_else(|| format!("link `{dest}` points outside the site"))?;
    let link = links
        .article(&target)
        .map_err(|e| format!("link `{dest}`: {e}"))?;
    Ok(CowStr::from(format!("{link}{fragment}")))
}

/// A file next to an article, found from a path relative to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    /// Relative to the site root.
    pub file: PathBuf,
    /// The name it gets next to the page.
    pub name: String,
}

/// Why a relative path names no file next to the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotLocal {
    /// It climbs above the site root.
    Outside,
    /// Nothing at this path (relative to the site root).
    Missing(PathBuf),
    /// A symbolic link on the way leads out of the site: (the path, where
    /// it leads).
    LinkOut(PathBuf, PathBuf),
}

/// The one way a local image (in a body or as the lead image) is found:
/// `rel` (URL-style, relative to the article file `source`) must name an
/// existing file inside the site.
pub fn local_file(source: &Path, rel: &str, links: &dyn Links) -> Result<LocalFile, NotLocal> {
    let file = resolve(source, rel).ok_or(NotLocal::Outside)?;
    if !links.file_exists(&file) {
        return Err(match links.leads_out(&file) {
            Some(target) => NotLocal::LinkOut(file, target),
            None => NotLocal::Missing(file),
        });
    }
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(LocalFile { file, name })
}

/// The message for an image whose file is a symbolic link out of the site.
pub fn link_out(dest: &str, file: &Path, target: &Path) -> String {
    format!(
        "image `{dest}`: {} is a symbolic link to {}, outside the site: refused, so that \
         no file from elsewhere on the machine is published (copy the file into the site instead)",
        file.display(),
        target.display()
    )
}

/// A relative image must exist; it is copied next to the page and linked there.
fn local_image<'a>(
    input: &Input<'_>,
    dest: CowStr<'a>,
    links: &dyn Links,
    assets: &mut Vec<(PathBuf, String)>,
    pictures: &mut HashMap<String, Picture>,
) -> Result<CowStr<'a>, String> {
    let (path, _) = split_fragment(&dest);
    if !is_relative_path(path) {
        return Ok(dest);
    }
    let LocalFile { file, name } = local_file(input.source, path, links).map_err(|e| match e {
        NotLocal::Outside => format!("image `{dest}` points outside the site"),
        NotLocal::Missing(file) => {
            format!("image `{dest}` not found (looked for {})", file.display())
        }
        NotLocal::LinkOut(file, target) => link_out(&dest, &file, &target),
    })?;
    match assets.iter().find(|(_, n)| *n == name) {
        Some((other, _)) if *other != file => {
            return Err(format!(
                "image `{dest}` has the same file name as {}; rename one",
                other.display()
            ));
        }
        Some(_) => {}
        None => assets.push((file.clone(), name.clone())),
    }
    let url = crate::url::asset(input.page_link, &name);
    if let Some(probe) = links.image(&file) {
        let renditions = images::renditions(&probe, &name, input.images, false);
        if let Some(clash) = stem_clash(assets, &name, &renditions) {
            return Err(format!(
                "image `{dest}`: its resized copies would have the names of those of \
                 {clash}; rename one"
            ));
        }
        let picture = Picture {
            size: probe.size(),
            format: probe.format.unwrap_or(images::Format::Jpeg),
            renditions,
        };
        pictures.insert(url.clone(), picture);
    }
    Ok(CowStr::from(url))
}

/// A local image of the body: its size, format and renditions.
struct Picture {
    size: (u32, u32),
    format: images::Format,
    renditions: Vec<Rendition>,
}

/// Closes an open attribute and writes ` srcset="…" sizes="…"`.
fn srcset_attrs(tag: &mut String, srcset: &str, sizes: &str) {
    tag.push_str("\" srcset=\"");
    let _ = pulldown_cmark_escape::escape_html(&mut *tag, srcset);
    tag.push_str("\" sizes=\"");
    let _ = pulldown_cmark_escape::escape_html(&mut *tag, sizes);
    tag.push('"');
}

/// Another image of the page whose renditions take the same names
/// (`a.jpg` and `a.png` both make `a-480w.webp`).
fn stem_clash<'a>(
    assets: &'a [(PathBuf, String)],
    name: &str,
    renditions: &[Rendition],
) -> Option<&'a str> {
    if renditions.is_empty() {
        return None;
    }
    assets
        .iter()
        .map(|(_, other)| other.as_str())
        .find(|other| *other != name && images::stem(other) == images::stem(name))
}

/// Writes body images as `<img>` that load lazily (they are below the
/// lead), with their pixel size when known so the page does not shift,
/// and with renditions as a `<picture>`: WebP first, then the fallback's
/// `srcset`. An image with a title alone in its paragraph is a figure:
/// the title is its caption (`![alt](src "caption")`).
fn lazy_images<'a>(
    events: Vec<Event<'a>>,
    pictures: &HashMap<String, Picture>,
    sizes: &str,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter().peekable();
    while let Some(event) = iter.next() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = event
        else {
            out.push(event);
            continue;
        };
        let mut alt = String::new();
        let mut depth = 0;
        for inner in iter.by_ref() {
            match inner {
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                _ => {}
            }
        }
        let figure = !title.is_empty()
            && matches!(out.last(), Some(Event::Start(Tag::Paragraph)))
            && matches!(iter.peek(), Some(Event::End(TagEnd::Paragraph)));
        let picture = pictures.get(dest_url.as_ref());
        let mut tag = String::from(if figure { "<figure>" } else { "" });
        let pictured = match picture {
            Some(p) if !p.renditions.is_empty() => {
                let folder = &dest_url[..dest_url.rfind('/').map_or(0, |i| i + 1)];
                let link =
                    |name: &str| format!("{folder}{}", crate::url::percent_encode_name(name));
                tag.push_str("<picture>");
                for format in images::sources(&p.renditions, p.format) {
                    tag.push_str("<source type=\"");
                    tag.push_str(format.mime());
                    srcset_attrs(
                        &mut tag,
                        &images::srcset(&p.renditions, format, &link),
                        sizes,
                    );
                    tag.push('>');
                }
                tag.push_str("<img src=\"");
                match images::fallback(&p.renditions, p.format) {
                    Some(best) => {
                        let _ = pulldown_cmark_escape::escape_href(&mut tag, &link(&best.name));
                        let set = images::srcset(&p.renditions, best.format, &link);
                        srcset_attrs(&mut tag, &set, sizes);
                    }
                    None => {
                        let _ = pulldown_cmark_escape::escape_href(&mut tag, &dest_url);
                        tag.push('"');
                    }
                }
                true
            }
            _ => {
                tag.push_str("<img src=\"");
                let _ = pulldown_cmark_escape::escape_href(&mut tag, &dest_url);
                tag.push('"');
                false
            }
        };
        tag.push_str(" alt=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut tag, &alt);
        tag.push('"');
        if !title.is_empty() && !figure {
            tag.push_str(" title=\"");
            let _ = pulldown_cmark_escape::escape_html(&mut tag, &title);
            tag.push('"');
        }
        if let Some(Picture { size: (w, h), .. }) = picture {
            tag.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
        }
        tag.push_str(" loading=\"lazy\" decoding=\"async\">");
        if pictured {
            tag.push_str("</picture>");
        }
        if figure {
            tag.push_str("<figcaption>");
            let _ = pulldown_cmark_escape::escape_html(&mut tag, &title);
            tag.push_str("</figcaption></figure>");
            out.pop();
            iter.next();
            out.push(Event::Html(CowStr::from(tag)));
            continue;
        }
        out.push(Event::InlineHtml(CowStr::from(tag)));
    }
    out
}

fn split_fragment(dest: &str) -> (&str, &str) {
    match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    }
}

/// A path relative to the article: no scheme, not absolute, not a fragment.
fn is_relative_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.starts_with('#')
        && !path
            .split('/')
            .next()
            .is_some_and(|first| first.contains(':'))
}

/// `rel` (URL-style, relative to the article file) as a path relative to the
/// site root; `None` if it climbs above the root.
pub fn resolve(source: &Path, rel: &str) -> Option<PathBuf> {
    let rel = crate::url::percent_decode(rel);
    let mut parts: Vec<String> = Vec::new();
    for c in source.parent().unwrap_or(Path::new("")).components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => return None,
        }
    }
    for segment in rel.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s if s.contains('\\') => return None,
            s => parts.push(s.to_string()),
        }
    }
    Some(parts.iter().collect())
}

/// Gives every heading without an explicit `{#id}` one made from its text,
/// unique within the article.
fn add_heading_ids(events: &mut [Event<'_>], slugs: Slugs) {
    let mut used: HashMap<String, usize> = HashMap::new();
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { id, .. }) = &events[i] else {
            continue;
        };
        if let Some(id) = id {
            used.insert(id.to_string(), 1);
            continue;
        }
        let mut text = String::new();
        for e in &events[i + 1..] {
            match e {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
        }
        let base = match slugs.slug(&text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let count = used.entry(base.clone()).or_insert(0);
        *count += 1;
        let unique = if *count == 1 {
            base
        } else {
            format!("{base}-{}", *count - 1)
        };
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            *id = Some(CowStr::from(unique));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoLinks;
    impl Links for NoLinks {
        fn article(&self, source: &Path) -> Result<String, String> {
            if source == Path::new("content/2021/05/talks.md") {
                Ok("/2021/05/03/talks/".into())
            } else {
                Err("no such article".into())
            }
        }
        fn file_exists(&self, path: &Path) -> bool {
            path == Path::new("content/2022/01/pic.png")
        }
    }

    fn md(body: &str) -> Rendered {
        let input = Input {
            body,
            body_line: 5,
            source: Path::new("content/2022/01/a.md"),
            page_link: "/2022/01/27/a/",
            raw_html: false,
            template_code: true,
            slugs: Slugs::Ascii,
            images: &crate::images::Settings::default(),
        };
        render(&input, &NoLinks)
    }

    #[test]
    fn heading_attributes_write_no_html_when_raw_html_is_off() {
        let r = md("## Heading {#top .wide onmouseover=alert(1)}\n");
        assert!(
            r.html.contains(r#"<h2 id="top" class="wide">"#),
            "{}",
            r.html
        );
        assert!(!r.html.contains("onmouseover"), "{}", r.html);
    }

    #[test]
    fn code_blocks_take_the_keyboard_and_tasks_say_their_state() {
        let r = md(
            "Before.\n\n```rust extra\nfn main() {}\n```\n\n    indented\n\n- [x] done\n- [ ] open\n",
        );
        assert!(
            r.html.contains("<p>Before.</p>\n<pre tabindex=\"0\"><code class=\"language-rust\">fn main() {}\n</code></pre>\n"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<pre tabindex=\"0\"><code>indented\n</code></pre>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains(r#"<input type="checkbox" disabled checked aria-label="Done"> done"#)
        );
        assert!(
            r.html
                .contains(r#"<input type="checkbox" disabled aria-label="Not done"> open"#)
        );
        // Nothing of the info string but a plain language name lands in the class.
        let r = md("```\"><script>x\ny\n```\n");
        assert!(
            r.html.contains(r#"<code class="language-scriptx">"#),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
    }

    #[test]
    fn rewrites_source_links_and_reports_missing_ones() {
        let r = md("See [talks](../../2021/05/talks.md#top).\n\nAnd [gone](gone.md).\n");
        assert!(
            r.html.contains(r#"href="/2021/05/03/talks/#top""#),
            "{}",
            r.html
        );
        assert_eq!(r.problems.len(), 1);
        assert_eq!((r.problems[0].0, r.problems[0].1), (7, 5));
    }

    #[test]
    fn copies_local_images_and_escapes_raw_html() {
        let r = md("![a](pic.png) <b>x</b>\n\n![b](nope.png)\n");
        assert!(
            r.html.contains(r#"src="/2022/01/27/a/pic.png""#),
            "{}",
            r.html
        );
        assert!(r.html.contains("&lt;b&gt;"), "{}", r.html);
        assert_eq!(
            r.assets,
            vec![(
                PathBuf::from("content/2022/01/pic.png"),
                "pic.png".to_string()
            )]
        );
        assert_eq!(r.problems.len(), 1);
    }

    #[test]
    fn a_titled_image_alone_is_a_figure() {
        let r = md(
            "![Boat](https://x.example/b.png \"The <harbour>\")\n\nText ![i](https://x.example/i.png \"t\") here.\n",
        );
        assert!(
            r.html.contains(r#"<figure><img src="https://x.example/b.png" alt="Boat" loading="lazy" decoding="async"><figcaption>The &lt;harbour&gt;</figcaption></figure>"#),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<p><figure>"), "{}", r.html);
        assert!(
            r.html
                .contains(r#"<p>Text <img src="https://x.example/i.png" alt="i" title="t""#),
            "{}",
            r.html
        );
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = md("## Zürich news\n\n## Zürich news\n\n## Custom {#mine}\n");
        assert!(r.html.contains(r#"<h2 id="zurich-news">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="zurich-news-1">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="mine">"#), "{}", r.html);
    }

    #[test]
    fn resolve_refuses_to_climb_out() {
        assert_eq!(resolve(Path::new("content/a.md"), "../../x.md"), None);
        assert_eq!(
            resolve(Path::new("content/a/b.md"), "../c%20d.md"),
            Some(PathBuf::from("content/c d.md"))
        );
    }
}
