//! HTML as archives hold it: bodies turned into Markdown (with `htmd`),
//! titles and captions turned into plain text, WordPress's paragraphs
//! made explicit, and template code kept out of the converter's way.

use std::rc::Rc;

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BulletListMarker, Options};
use htmd::{Element, HtmlToMarkdown};
use markup5ever_rcdom::{Node, NodeData};

/// Converts an HTML body to Markdown: ATX headings, fenced code, `-`
/// bullets; `<figure>` with an image and a caption becomes an image whose
/// title is the caption (gazette renders that as a figure).
pub fn to_markdown(html: &str) -> String {
    let converter = HtmlToMarkdown::builder()
        .options(Options {
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Options::default()
        })
        .skip_tags(vec!["script", "style", "noscript"])
        .add_handler(vec!["figure"], figure)
        .add_handler(EMBEDS.to_vec(), embed)
        .add_handler(vec!["sup", "sub"], inline_html)
        .build();
    let markdown = converter.convert(html).unwrap_or_default();
    let mut out = markdown.trim().to_string();
    out.push('\n');
    out
}

/// `<figure><img ...><figcaption>...</figcaption></figure>` as
/// `![alt](src "caption")` in a paragraph of its own.
fn figure(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let Some(img) = find(element.node, "img") else {
        return Some(handlers.walk_children(element.node));
    };
    let attr = |name: &str| attribute(&img, name).unwrap_or_default();
    let caption = find(element.node, "figcaption")
        .map(|c| collapse(&text_of(&c)))
        .filter(|c| !c.is_empty())
        .or_else(|| attribute(&img, "title"));
    let markdown = image(&attr("src"), &attr("alt"), caption.as_deref());
    Some(format!("\n\n{markdown}\n\n").into())
}

/// Elements Markdown has no form for, kept as HTML in a block of their
/// own: videos, audio and the players of other sites.
pub const EMBEDS: &[&str] = &["iframe", "video", "audio", "object", "embed"];

fn embed(_: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let mut html = String::new();
    serialize(element.node, &mut html);
    Some(format!("\n\n{html}\n\n").into())
}

/// `<sup>2</sup>`, `<sub>2</sub>` as they are.
fn inline_html(_: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let mut html = String::new();
    serialize(element.node, &mut html);
    Some(html.into())
}

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "br", "embed", "hr", "img", "param", "source", "track", "wbr",
];

/// A node as HTML again: elements with their attributes, text escaped.
fn serialize(node: &Rc<Node>, out: &mut String) {
    match &node.data {
        NodeData::Text { contents } => {
            out.push_str(
                &contents
                    .borrow()
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;"),
            );
        }
        NodeData::Element { name, attrs, .. } => {
            let tag = &*name.local;
            out.push('<');
            out.push_str(tag);
            for a in attrs.borrow().iter() {
                out.push(' ');
                out.push_str(&a.name.local);
                out.push_str("=\"");
                out.push_str(&a.value.replace('&', "&amp;").replace('"', "&quot;"));
                out.push('"');
            }
            out.push('>');
            if VOID.contains(&tag) {
                return;
            }
            for child in node.children.borrow().iter() {
                serialize(child, out);
            }
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        }
        _ => {
            for child in node.children.borrow().iter() {
                serialize(child, out);
            }
        }
    }
}

/// A Markdown image; with a caption, written as the title.
pub fn image(src: &str, alt: &str, caption: Option<&str>) -> String {
    let alt = collapse(alt).replace(['[', ']'], "");
    let src = if src.contains([' ', '(', ')']) {
        format!("<{src}>")
    } else {
        src.to_string()
    };
    match caption {
        Some(c) => format!("![{alt}]({src} \"{}\")", collapse(c).replace('"', "\\\"")),
        None => format!("![{alt}]({src})"),
    }
}

/// The text of an HTML fragment: tags dropped, entities decoded, runs of
/// white space made one space. `&#8216;IRS2Go&#8217; <em>now</em>` ->
/// `‘IRS2Go’ now`.
pub fn text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return collapse(html);
    }
    let converter = HtmlToMarkdown::new();
    match converter.html_to_tree(html) {
        Ok(tree) => collapse(&text_of(&tree)),
        Err(_) => collapse(html),
    }
}

fn text_of(node: &Rc<Node>) -> String {
    let mut out = String::new();
    push_text(node, &mut out);
    out
}

fn push_text(node: &Rc<Node>, out: &mut String) {
    match &node.data {
        NodeData::Text { contents } => out.push_str(&contents.borrow()),
        NodeData::Element { name, .. }
            if matches!(&*name.local, "script" | "style" | "noscript") => {}
        _ => {
            for child in node.children.borrow().iter() {
                push_text(child, out);
            }
        }
    }
}

fn find(node: &Rc<Node>, tag: &str) -> Option<Rc<Node>> {
    for child in node.children.borrow().iter() {
        if let NodeData::Element { name, .. } = &child.data
            && &*name.local == tag
        {
            return Some(child.clone());
        }
        if let Some(found) = find(child, tag) {
            return Some(found);
        }
    }
    None
}

fn attribute(node: &Rc<Node>, attr: &str) -> Option<String> {
    let NodeData::Element { attrs, .. } = &node.data else {
        return None;
    };
    attrs
        .borrow()
        .iter()
        .find(|a| &*a.name.local == attr)
        .map(|a| a.value.to_string())
}

/// Runs of white space as one space, trimmed.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tags that start a block of their own: WordPress does not wrap them in
/// a paragraph.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "div",
    "dl",
    "figure",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "iframe",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
    "!--",
];

/// WordPress's automatic paragraphs for classic-editor bodies, which mark
/// paragraphs by blank lines and line breaks by newlines: each run of text
/// between blank lines that is not a block of its own becomes `<p>`, its
/// single newlines `<br>`. `<pre>` keeps its blank lines.
pub fn autop(html: &str) -> String {
    let html = html.replace("\r\n", "\n");
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html.as_str();
    while !rest.is_empty() {
        let (text, pre, after) = match rest.find("<pre") {
            Some(i) => {
                let end = rest[i..]
                    .find("</pre>")
                    .map_or(rest.len(), |e| i + e + "</pre>".len());
                (&rest[..i], &rest[i..end], &rest[end..])
            }
            None => (rest, "", ""),
        };
        paragraphs(text, &mut out);
        out.push_str(pre);
        rest = after;
    }
    out
}

fn paragraphs(text: &str, out: &mut String) {
    for chunk in text.split("\n\n").map(str::trim).filter(|c| !c.is_empty()) {
        if starts_block(chunk) {
            out.push_str(chunk);
        } else {
            out.push_str("<p>");
            out.push_str(&chunk.replace("\n", "<br>"));
            out.push_str("</p>");
        }
        out.push('\n');
    }
}

fn starts_block(chunk: &str) -> bool {
    let Some(tag) = chunk.strip_prefix('<') else {
        return false;
    };
    let name: String = tag
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    BLOCKS.contains(&name.as_str())
}

/// Pieces of a text set aside while the rest is converted, then put back
/// as they were: template code that the HTML converter would escape.
#[derive(Debug, Default)]
pub struct Kept {
    pieces: Vec<String>,
}

impl Kept {
    /// A placeholder for `piece`: letters and digits only, so no converter
    /// touches it.
    pub fn keep(&mut self, piece: &str) -> String {
        self.pieces.push(piece.to_string());
        format!("GAZETTEKEPT{}X", self.pieces.len() - 1)
    }

    /// `text` with every placeholder replaced by its piece.
    pub fn restore(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = rest.find("GAZETTEKEPT") {
            out.push_str(&rest[..i]);
            let after = &rest[i + "GAZETTEKEPT".len()..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            let piece = after[..digits]
                .parse::<usize>()
                .ok()
                .and_then(|n| self.pieces.get(n))
                .filter(|_| after[digits..].starts_with('X'));
            match piece {
                Some(piece) => {
                    out.push_str(piece);
                    rest = &after[digits + 1..];
                }
                None => {
                    out.push_str("GAZETTEKEPT");
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_tags_and_entities() {
        assert_eq!(
            text("&#8216;IRS2Go&#8217; app <em>now</em> &amp; later"),
            "‘IRS2Go’ app now & later"
        );
        assert_eq!(text("Plain  title "), "Plain title");
        assert_eq!(text("Caf&eacute; &lt;3"), "Café <3");
    }

    #[test]
    fn autop_makes_paragraphs_and_keeps_pre() {
        let html = "First line\nsecond line\n\n<h2>Head</h2>\n\nLast\n<pre>a\n\nb</pre>";
        assert_eq!(
            autop(html),
            "<p>First line<br>second line</p>\n<h2>Head</h2>\n<p>Last</p>\n<pre>a\n\nb</pre>"
        );
    }

    #[test]
    fn bodies_become_markdown_with_figures() {
        let md = to_markdown(
            "<p>Hello <strong>there</strong>.</p><figure class=\"wp-block-image\"><img src=\"/a.jpg\" alt=\"A boat\"/><figcaption>The <em>harbour</em> at dawn</figcaption></figure><ul><li>one</li></ul>",
        );
        assert_eq!(
            md,
            "Hello **there**.\n\n![A boat](/a.jpg \"The harbour at dawn\")\n\n- one\n"
        );
    }

    #[test]
    fn embeds_stay_html() {
        let md = to_markdown(
            "<p>Watch:</p><iframe src=\"https://video.example/embed/x?a=1&amp;b=2\" width=\"560\" allowfullscreen></iframe><video controls><source src=\"/a.mp4\" type=\"video/mp4\">No video</video><p>E = mc<sup>2</sup></p>",
        );
        assert_eq!(
            md,
            "Watch:\n\n<iframe src=\"https://video.example/embed/x?a=1&amp;b=2\" width=\"560\" allowfullscreen=\"\"></iframe>\n\n<video controls=\"\"><source src=\"/a.mp4\" type=\"video/mp4\">No video</video>\n\nE = mc<sup>2</sup>\n"
        );
    }

    #[test]
    fn kept_pieces_come_back() {
        let mut kept = Kept::default();
        let a = kept.keep("[gallery ids=\"1,2\"]");
        let text = format!("<p>{a} and GAZETTEKEPT9X</p>");
        assert_eq!(
            kept.restore(&text),
            "<p>[gallery ids=\"1,2\"] and GAZETTEKEPT9X</p>"
        );
    }
}
