//! Minification of rendered pages: one pass over the bytes, no tree.
//!
//! gazette's pages come from its own templates and Markdown, so they need
//! a minifier that is fast and never changes what a reader sees, not one
//! that rewrites CSS and JavaScript. This one keeps every element, closing
//! tag and character of content, and removes only what HTML ignores:
//!
//! - **whitespace in text**, by the element it is in (the rules of
//!   minify-html, which gazette used before): runs of whitespace become one
//!   space; in layout elements (`div`, `ul`, `nav`, `body`, ...) a run that
//!   is only whitespace goes, and content elements (`p`, `li`, `h1`, ...)
//!   and layout ones lose it at their start and end. Inside `pre`, `code`
//!   and `textarea` nothing is touched;
//! - **comments**, and the case of `<!DOCTYPE html>`;
//! - **attribute quotes** where the value needs none, the value of an empty
//!   attribute (`alt=""` is `alt`), and runs of whitespace in `class`;
//! - **entities that need no escaping where they stand**: quotes, `&gt;`,
//!   and `&amp;` where no reference could follow, in text and in attribute
//!   values (which are then quoted as they need);
//! - the spaces of simple `style` declarations (`text-align: right`);
//! - the `/` of void elements (`<br/>` is `<br>`).
//!
//! `script` and `style` are copied as they are. What it cannot read (a tag
//! or comment that never ends) it copies as it is. The reasons for writing
//! it, with measurements: docs/architecture.md, "Minification".

use memchr::memchr;
use memchr::memmem;

/// Changed whenever the minifier's output for some page changes, so that
/// an incremental build makes every page again.
pub const RULES: u32 = 1;

/// Minifies one HTML page.
pub fn minify(html: &[u8]) -> Vec<u8> {
    let mut m = Minifier {
        src: html,
        out: Vec::with_capacity(html.len()),
        open: Vec::with_capacity(32),
        text: Vec::new(),
        span: None,
        scratch: Vec::with_capacity(256),
        kept: 0,
        first: true,
    };
    m.run();
    m.out
}

/// How whitespace in an element's text is treated.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Space {
    /// As written: `pre`, `code`, `textarea`, and everything inside them.
    Kept,
    /// Collapsed; whitespace-only runs removed; trimmed at both ends.
    Layout,
    /// Collapsed and trimmed at both ends.
    Content,
    /// Collapsed only: inline elements, and any element not listed.
    Inline,
}

impl Space {
    fn trims(self) -> bool {
        matches!(self, Space::Layout | Space::Content)
    }
}

/// An element whose end tag has not come yet.
struct Open<'a> {
    name: &'a [u8],
    space: Space,
    /// In SVG or MathML, where `/>` closes an element.
    foreign: bool,
}

struct Minifier<'a> {
    src: &'a [u8],
    out: Vec<u8>,
    open: Vec<Open<'a>>,
    /// Text read since the last tag, not yet written: where it is in
    /// `src`, or (when a comment split it) its pieces joined in `text`.
    span: Option<(usize, usize)>,
    text: Vec<u8>,
    /// An attribute value being minified.
    scratch: Vec<u8>,
    /// How many of `open` keep their whitespace.
    kept: usize,
    /// Whether nothing but comments came since the parent's start tag.
    first: bool,
}

impl<'a> Minifier<'a> {
    fn run(&mut self) {
        let src = self.src;
        let mut at = 0;
        while at < src.len() {
            let Some(lt) = next_markup(src, at) else {
                self.add_text(at, src.len());
                break;
            };
            self.add_text(at, lt);
            let next = match src[lt + 1] {
                b'!' => self.bang(lt),
                b'?' => self.opaque(lt, b">"),
                b'/' => self.end_tag(lt),
                _ => self.start_tag(lt),
            };
            match next {
                Some(next) => at = next,
                None => {
                    // Unreadable from here on: copied as it is.
                    self.flush_text(true);
                    self.out.extend_from_slice(&src[lt..]);
                    return;
                }
            }
        }
        self.flush_text(true);
    }

    /// `<!--`, `<!DOCTYPE`, `<![CDATA[` and other `<!` markup at `lt`.
    fn bang(&mut self, lt: usize) -> Option<usize> {
        let src = self.src;
        if src[lt..].starts_with(b"<!--") {
            let end = comment_end(&src[lt..])? + lt;
            // Removed, and the text on either side joins up; unless that
            // text ends in `<` or `&`, which the next could make markup
            // or an entity of.
            if !matches!(self.last_text_byte(), Some(b'<' | b'&')) {
                return Some(end);
            }
            self.flush_text(false);
            self.out.extend_from_slice(&src[lt..end]);
            return Some(end);
        }
        if src[lt..].starts_with(b"<![CDATA[") {
            return self.opaque(lt, b"]]>");
        }
        let end = lt + memchr(b'>', &src[lt..])?;
        self.flush_text(false);
        let inner = &src[lt + 2..end];
        if inner.len() >= 7 && inner[..7].eq_ignore_ascii_case(b"doctype") {
            self.out.extend_from_slice(b"<!doctype");
            let rest = inner[7..].trim_ascii();
            if !rest.is_empty() {
                self.out.push(b' ');
                collapse_into(&mut self.out, rest, false, false);
            }
            self.out.push(b'>');
        } else {
            self.out.extend_from_slice(&src[lt..=end]);
        }
        self.first = false;
        Some(end + 1)
    }

    /// Markup copied as it is, from `lt` to the end of `close`.
    fn opaque(&mut self, lt: usize, close: &[u8]) -> Option<usize> {
        let end = lt + memmem::find(&self.src[lt..], close)? + close.len();
        self.flush_text(false);
        self.out.extend_from_slice(&self.src[lt..end]);
        self.first = false;
        Some(end)
    }

    fn end_tag(&mut self, lt: usize) -> Option<usize> {
        let src = self.src;
        let gt = lt + memchr(b'>', &src[lt..])?;
        let name = tag_name(&src[lt + 2..gt]);
        let found = if name.is_empty() {
            None
        } else {
            self.open
                .iter()
                .rposition(|o| o.name.eq_ignore_ascii_case(name))
        };
        self.flush_text(found.is_some_and(|i| i + 1 == self.open.len()));
        match found {
            Some(i) => {
                for o in self.open.drain(i..) {
                    if o.space == Space::Kept {
                        self.kept -= 1;
                    }
                }
                self.out.extend_from_slice(b"</");
                self.out.extend_from_slice(name);
                self.out.push(b'>');
            }
            None => self.out.extend_from_slice(&src[lt..=gt]),
        }
        self.first = false;
        Some(gt + 1)
    }

    fn start_tag(&mut self, lt: usize) -> Option<usize> {
        self.flush_text(false);
        // Written straight into `out`; taken back if the tag never ends.
        let mark = self.out.len();
        let read = self.write_start_tag(lt);
        let Some((at, name, self_closing, last_unquoted)) = read else {
            self.out.truncate(mark);
            return None;
        };
        let lower = Lower::new(name);
        let foreign =
            self.open.last().is_some_and(|o| o.foreign) || lower.is(b"svg") || lower.is(b"math");
        self.first = false;
        if self_closing && foreign {
            if last_unquoted {
                self.out.push(b' ');
            }
            self.out.extend_from_slice(b"/>");
            return Some(at);
        }
        self.out.push(b'>');
        if foreign {
            self.push(name, lower.svg_space(), true);
            return Some(at);
        }
        if lower.is_void() {
            return Some(at);
        }
        if lower.is(b"plaintext") {
            // Everything after it is its text, to the end of the page.
            self.out.truncate(mark);
            return None;
        }
        match lower.raw_text() {
            Some(raw) => {
                let next = self.raw_text(name, at, raw);
                if next.is_none() {
                    // Never ends: copied from its start tag on.
                    self.out.truncate(mark);
                }
                next
            }
            None => {
                self.push(name, lower.space(), false);
                Some(at)
            }
        }
    }

    fn push(&mut self, name: &'a [u8], space: Space, foreign: bool) {
        if space == Space::Kept {
            self.kept += 1;
        }
        self.open.push(Open {
            name,
            space,
            foreign,
        });
        self.first = true;
    }

    /// Writes `<name` and the attributes of the start tag at `lt`, without
    /// its end; returns where the tag ends, its name, whether it ended
    /// with `/>` and whether its last attribute was written unquoted.
    fn write_start_tag(&mut self, lt: usize) -> Option<(usize, &'a [u8], bool, bool)> {
        let src = self.src;
        let name = tag_name(&src[lt + 1..]);
        let mut at = lt + 1 + name.len();
        self.out.push(b'<');
        self.out.extend_from_slice(name);
        let mut last_unquoted = false;
        loop {
            while at < src.len()
                && (is_space(src[at]) || src[at] == b'/' && src.get(at + 1) != Some(&b'>'))
            {
                at += 1;
            }
            match src.get(at)? {
                b'>' => return Some((at + 1, name, false, last_unquoted)),
                b'/' => return Some((at + 2, name, true, last_unquoted)),
                _ => {}
            }
            let start = at;
            at += 1;
            while at < src.len() && !matches!(src[at], b'>' | b'/' | b'=') && !is_space(src[at]) {
                at += 1;
            }
            let attr = &src[start..at];
            let mut look = at;
            while look < src.len() && is_space(src[look]) {
                look += 1;
            }
            self.out.push(b' ');
            self.out.extend_from_slice(attr);
            last_unquoted = false;
            if src.get(look) != Some(&b'=') {
                continue;
            }
            at = look + 1;
            while at < src.len() && is_space(src[at]) {
                at += 1;
            }
            let value = match *src.get(at)? {
                q @ (b'"' | b'\'') => {
                    let end = at + 1 + memchr(q, &src[at + 1..])?;
                    let value = &src[at + 1..end];
                    at = end + 1;
                    value
                }
                _ => {
                    let start = at;
                    while at < src.len() && src[at] != b'>' && !is_space(src[at]) {
                        at += 1;
                    }
                    let value = &src[start..at];
                    if value.iter().any(|&b| UNQUOTABLE[b as usize]) {
                        // Not valid unquoted, but read so: kept as it is.
                        self.out.push(b'=');
                        self.out.extend_from_slice(value);
                        last_unquoted = true;
                        continue;
                    }
                    value
                }
            };
            let kind = if attr.eq_ignore_ascii_case(b"class") {
                Value::Class
            } else if attr.eq_ignore_ascii_case(b"style") {
                Value::Style
            } else {
                Value::Other
            };
            last_unquoted = write_value(&mut self.out, &mut self.scratch, kind, value);
        }
    }

    /// The content of `script`, `style`, `title`, `textarea` and the like,
    /// from `at` to its end tag, which is written too.
    fn raw_text(&mut self, name: &'a [u8], at: usize, raw: Raw) -> Option<usize> {
        let src = self.src;
        let end = at + find_end_tag(&src[at..], name)?;
        let content = &src[at..end];
        match raw {
            Raw::Copied => self.out.extend_from_slice(content),
            Raw::Title => collapse_into(&mut self.out, content, true, true),
        }
        let gt = end + memchr(b'>', &src[end..])?;
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(name);
        self.out.push(b'>');
        Some(gt + 1)
    }

    fn last_text_byte(&self) -> Option<u8> {
        match self.span {
            Some((_, e)) => Some(self.src[e - 1]),
            None => self.text.last().copied(),
        }
    }

    fn add_text(&mut self, start: usize, end: usize) {
        if start == end {
            return;
        }
        if let Some((s, e)) = self.span.take() {
            self.text.extend_from_slice(&self.src[s..e]);
        }
        if self.text.is_empty() {
            self.span = Some((start, end));
        } else {
            self.text.extend_from_slice(&self.src[start..end]);
        }
    }

    /// Writes the pending text; `closing` when the parent's end tag (or
    /// the end of the page) follows it.
    fn flush_text(&mut self, closing: bool) {
        let joined = std::mem::take(&mut self.text);
        let mut text = match self.span.take() {
            Some((s, e)) => &self.src[s..e],
            None if joined.is_empty() => return,
            None => &joined[..],
        };
        let space = if self.kept > 0 {
            Space::Kept
        } else {
            self.open.last().map_or(Space::Layout, |o| o.space)
        };
        if space == Space::Kept {
            shrink_entities(&mut self.out, text);
        } else {
            if space.trims() && self.first {
                text = text.trim_ascii_start();
            }
            if space.trims() && closing {
                text = text.trim_ascii_end();
            }
            if !(space == Space::Layout && text.iter().all(|&b| is_space(b))) {
                collapse_into(&mut self.out, text, false, false);
            }
        }
        self.text = joined;
        self.text.clear();
        self.first = false;
    }
}

/// Where the next tag, comment or other markup starts, at or after `at`:
/// a `<` followed by a letter, `/`, `!` or `?` (any other `<` is text).
fn next_markup(src: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let lt = at + memchr(b'<', &src[at..])?;
        match src.get(lt + 1) {
            Some(c) if c.is_ascii_alphabetic() || matches!(c, b'/' | b'!' | b'?') => {
                return Some(lt);
            }
            Some(_) => at = lt + 1,
            None => return None,
        }
    }
}

/// Where the comment `s` starts with ends, as browsers read it: at the
/// first `-->` or `--!>`, or right away for `<!-->` and `<!--->`.
fn comment_end(s: &[u8]) -> Option<usize> {
    let body = &s[4..];
    if body.starts_with(b">") {
        return Some(5);
    }
    if body.starts_with(b"->") {
        return Some(6);
    }
    let mut at = 0;
    loop {
        let i = at + memmem::find(&body[at..], b"--")?;
        match body.get(i + 2) {
            Some(b'>') => return Some(4 + i + 3),
            Some(b'!') if body.get(i + 3) == Some(&b'>') => return Some(4 + i + 4),
            _ => at = i + 1,
        }
    }
}

/// The tag name at the start of `s`: up to whitespace, `/` or `>`.
fn tag_name(s: &[u8]) -> &[u8] {
    let end = s
        .iter()
        .position(|&b| is_space(b) || b == b'/' || b == b'>')
        .unwrap_or(s.len());
    &s[..end]
}

/// Where `</name` starts in `s`, case-insensitively.
fn find_end_tag(s: &[u8], name: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        let i = at + memmem::find(&s[at..], b"</")?;
        let rest = &s[i + 2..];
        if rest.len() >= name.len()
            && rest[..name.len()].eq_ignore_ascii_case(name)
            && rest
                .get(name.len())
                .is_none_or(|&b| is_space(b) || b == b'/' || b == b'>')
        {
            return Some(i);
        }
        at = i + 2;
    }
}

/// Writes `="value"` (or `=value`, or nothing for an empty value) for one
/// attribute; returns whether the value was written unquoted.
fn write_value(out: &mut Vec<u8>, scratch: &mut Vec<u8>, kind: Value, raw: &[u8]) -> bool {
    let value = match kind {
        Value::Class => {
            scratch.clear();
            collapse_into(scratch, raw, true, true);
            &scratch[..]
        }
        Value::Style
            if !raw
                .iter()
                .any(|b| matches!(b, b'"' | b'\'' | b'(' | b'\\' | b'&')) =>
        {
            scratch.clear();
            compact_style(scratch, raw);
            &scratch[..]
        }
        _ if memchr(b'&', raw).is_some() => {
            scratch.clear();
            shrink_entities(scratch, raw);
            &scratch[..]
        }
        _ => raw,
    };
    if value.is_empty() {
        return false;
    }
    out.push(b'=');
    let needs_quotes = value.iter().any(|&b| UNQUOTABLE[b as usize]);
    if !needs_quotes {
        out.extend_from_slice(value);
        return true;
    }
    let quote = if memchr(b'"', value).is_none() {
        b'"'
    } else if memchr(b'\'', value).is_none() {
        b'\''
    } else {
        b'"'
    };
    out.push(quote);
    if quote == b'"' && memchr(b'"', value).is_some() {
        for &b in value {
            if b == b'"' {
                out.extend_from_slice(b"&#34;");
            } else {
                out.push(b);
            }
        }
    } else {
        out.extend_from_slice(value);
    }
    out.push(quote);
    false
}

/// Attributes whose values are minified beyond their quotes.
#[derive(Clone, Copy)]
enum Value {
    /// Class names: whitespace collapsed and trimmed.
    Class,
    /// Declarations (`text-align: right`, as Markdown tables get): the
    /// spaces around `:` and `;` and a last `;` removed, when the value
    /// holds no string, escape or function, whose spaces could matter.
    Style,
    Other,
}

/// Writes the declarations `s` without the spaces around `:` and `;`,
/// other runs of whitespace made one space, and no last `;`.
fn compact_style(out: &mut Vec<u8>, s: &[u8]) {
    let mut collapsed = Vec::with_capacity(s.len());
    collapse_into(&mut collapsed, s, true, true);
    for (i, &b) in collapsed.iter().enumerate() {
        let around = |j: Option<usize>| {
            j.and_then(|j| collapsed.get(j))
                .is_some_and(|c| matches!(c, b':' | b';'))
        };
        if b == b' ' && (around(i.checked_sub(1)) || around(Some(i + 1))) {
            continue;
        }
        out.push(b);
    }
    while out.last() == Some(&b';') {
        out.pop();
    }
}

/// The bytes an unquoted attribute value cannot hold.
static UNQUOTABLE: [bool; 256] = {
    let mut t = [false; 256];
    let bytes = b" \t\n\x0c\r\"'=<>`";
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
};

/// Copies `s` into `out` with each run of whitespace made one space (and
/// removed at the ends where asked), and quote entities made characters.
fn collapse_into(out: &mut Vec<u8>, s: &[u8], trim_start_: bool, trim_end_: bool) {
    let s = if trim_start_ { s.trim_ascii_start() } else { s };
    let s = if trim_end_ { s.trim_ascii_end() } else { s };
    // Most text (words and single spaces) needs nothing: three vector
    // scans find that faster than one look at each byte.
    if memchr::memchr3(b'\n', b'&', b'\t', s).is_none()
        && memchr::memchr2(b'\r', b'\x0c', s).is_none()
        && memmem::find(s, b"  ").is_none()
    {
        out.extend_from_slice(s);
        return;
    }
    let mut at = 0;
    while at < s.len() {
        let run = s[at..]
            .iter()
            .position(|&b| is_space(b) || b == b'&')
            .map_or(s.len(), |i| at + i);
        out.extend_from_slice(&s[at..run]);
        at = run;
        if at == s.len() {
            break;
        }
        if s[at] == b'&' {
            at += shrink_entity(out, &s[at..]);
            continue;
        }
        out.push(b' ');
        while at < s.len() && is_space(s[at]) {
            at += 1;
        }
    }
}

/// Copies `s` into `out` with quote entities made characters.
fn shrink_entities(out: &mut Vec<u8>, s: &[u8]) {
    let mut at = 0;
    while let Some(i) = memchr(b'&', &s[at..]) {
        out.extend_from_slice(&s[at..at + i]);
        at += i;
        at += shrink_entity(out, &s[at..]);
    }
    out.extend_from_slice(&s[at..]);
}

/// Writes the character `s` starts with an entity of, if it is one of
/// those that need no escaping where they stand (quotes, `>`, an `&` not
/// followed by what could make a reference of it), or else `&`; returns
/// how many bytes of `s` were used.
fn shrink_entity(out: &mut Vec<u8>, s: &[u8]) -> usize {
    const PLAIN: [(&[u8], u8); 14] = [
        (b"&quot;", b'"'),
        (b"&QUOT;", b'"'),
        (b"&#34;", b'"'),
        (b"&#x22;", b'"'),
        (b"&#X22;", b'"'),
        (b"&#39;", b'\''),
        (b"&#x27;", b'\''),
        (b"&#X27;", b'\''),
        (b"&apos;", b'\''),
        (b"&gt;", b'>'),
        (b"&GT;", b'>'),
        (b"&#62;", b'>'),
        (b"&amp;", b'&'),
        (b"&AMP;", b'&'),
    ];
    for (entity, c) in PLAIN {
        if s.starts_with(entity) {
            let next = s.get(entity.len());
            if c == b'&' && next.is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'#') {
                break;
            }
            out.push(c);
            return entity.len();
        }
    }
    out.push(b'&');
    1
}

/// HTML's whitespace (space, tab, line feed, form feed, carriage return),
/// which is ASCII's.
fn is_space(b: u8) -> bool {
    b.is_ascii_whitespace()
}

/// Elements whose content is not markup.
#[derive(Clone, Copy)]
enum Raw {
    /// `script`, `style`, `textarea` and the like: copied as they are.
    Copied,
    /// `title`: whitespace collapsed and trimmed, as browsers read it.
    Title,
}

/// A tag name in lower case (names longer than any known one are unknown).
struct Lower {
    buf: [u8; 16],
    len: usize,
}

impl Lower {
    fn new(name: &[u8]) -> Lower {
        let mut buf = [0; 16];
        let len = if name.len() <= buf.len() {
            for (b, n) in buf.iter_mut().zip(name) {
                *b = n.to_ascii_lowercase();
            }
            name.len()
        } else {
            0
        };
        Lower { buf, len }
    }

    fn name(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    fn is(&self, name: &[u8]) -> bool {
        self.name() == name
    }

    fn is_void(&self) -> bool {
        matches!(
            self.name(),
            b"area"
                | b"base"
                | b"br"
                | b"col"
                | b"embed"
                | b"hr"
                | b"img"
                | b"input"
                | b"link"
                | b"meta"
                | b"param"
                | b"source"
                | b"track"
                | b"wbr"
        )
    }

    fn raw_text(&self) -> Option<Raw> {
        match self.name() {
            b"script" | b"style" | b"textarea" | b"xmp" | b"iframe" | b"noembed" | b"noframes" => {
                Some(Raw::Copied)
            }
            b"title" => Some(Raw::Title),
            _ => None,
        }
    }

    /// The whitespace rule of an HTML element's content.
    fn space(&self) -> Space {
        match self.name() {
            b"pre" | b"code" | b"listing" => Space::Kept,
            b"article" | b"aside" | b"blockquote" | b"body" | b"colgroup" | b"datalist"
            | b"dialog" | b"div" | b"dl" | b"fieldset" | b"figure" | b"footer" | b"form"
            | b"head" | b"header" | b"hgroup" | b"html" | b"main" | b"map" | b"menu" | b"nav"
            | b"ol" | b"optgroup" | b"picture" | b"section" | b"select" | b"table" | b"tbody"
            | b"tfoot" | b"thead" | b"tr" | b"ul" | b"audio" | b"video" => Space::Layout,
            b"address" | b"button" | b"canvas" | b"caption" | b"figcaption" | b"h1" | b"h2"
            | b"h3" | b"h4" | b"h5" | b"h6" | b"legend" | b"meter" | b"object" | b"option"
            | b"p" | b"summary" | b"dd" | b"details" | b"dt" | b"label" | b"li" | b"noscript"
            | b"output" | b"progress" | b"td" | b"template" | b"th" => Space::Content,
            _ => Space::Inline,
        }
    }

    /// The whitespace rule of an SVG or MathML element's content: only
    /// text elements keep their spaces.
    fn svg_space(&self) -> Space {
        match self.name() {
            b"text" | b"title" | b"desc" => Space::Content,
            b"a" | b"tspan" | b"textpath" | b"tref" | b"mi" | b"mn" | b"mo" | b"ms" | b"mtext" => {
                Space::Inline
            }
            _ => Space::Layout,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::minify;
    use proptest::prelude::*;

    fn m(html: &str) -> String {
        String::from_utf8(minify(html.as_bytes())).unwrap()
    }

    #[test]
    fn whitespace_by_element() {
        assert_eq!(
            m(
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <title>\n  A   page </title>\n</head>\n<body>\n  <div class=\"a  b\">\n    <p>\n      Hello   <b>bold</b>\n      world.\n    </p>\n  </div>\n</body>\n</html>\n"
            ),
            "<!doctype html><html lang=en><head><title>A page</title></head><body><div class=\"a b\"><p>Hello <b>bold</b> world.</p></div></body></html>"
        );
        // Inline elements keep one space on either side, layout ones none.
        assert_eq!(
            m("<p><a href=\"/x\">x</a>\n<a href=\"/y\">y</a></p>"),
            "<p><a href=/x>x</a> <a href=/y>y</a></p>"
        );
        assert_eq!(
            m("<ul>\n  <li> one </li>\n  <li>two</li>\n</ul>"),
            "<ul><li>one</li><li>two</li></ul>"
        );
    }

    #[test]
    fn preformatted_and_raw_text_kept() {
        let pre = "<pre><code>fn main() {\n    <span>let  x</span> = 1;\n}\n</code></pre>";
        assert_eq!(m(pre), pre);
        assert_eq!(
            m("<p>a <code>b  c</code>  d</p>"),
            "<p>a <code>b  c</code> d</p>"
        );
        let script = "<script type=\"application/ld+json\">{\"a\":  \"<b>\"}</script>";
        assert_eq!(
            m(script),
            "<script type=application/ld+json>{\"a\":  \"<b>\"}</script>"
        );
        assert_eq!(
            m("<textarea>\n  x  </textarea>"),
            "<textarea>\n  x  </textarea>"
        );
        assert_eq!(m("<style>a  { }</STYLE>"), "<style>a  { }</style>");
    }

    #[test]
    fn attributes() {
        assert_eq!(
            m("<img src=\"/a.png\" alt=\"\" width=\"10\">"),
            "<img src=/a.png alt width=10>"
        );
        assert_eq!(
            m("<a title=\"A b\" href='/'>x</a>"),
            "<a title=\"A b\" href=/>x</a>"
        );
        assert_eq!(
            m("<meta content=\"Say &quot;hi&quot;\">"),
            "<meta content='Say \"hi\"'>"
        );
        assert_eq!(
            m("<meta content=\"&#x27;a&#x27; &quot;b&quot;\">"),
            "<meta content=\"'a' &#34;b&#34;\">"
        );
        assert_eq!(m("<meta content=\"a=b\">"), "<meta content=\"a=b\">");
        assert_eq!(m("<br/><hr />"), "<br><hr>");
        assert_eq!(
            m("<th style=\"text-align: right\"><p style=\" margin : 0  auto ; color: red; \">"),
            "<th style=text-align:right><p style=\"margin:0 auto;color:red\">"
        );
        assert_eq!(
            m("<p style=\"font-family: 'A  B'\">"),
            "<p style=\"font-family: 'A  B'\">"
        );
        assert_eq!(m("<input disabled value=\"\">"), "<input disabled value>");
        assert_eq!(
            m("<svg viewBox=\"0 0 1 1\"><path d=\"M0\"/><rect x=\"1\"/></svg>"),
            "<svg viewBox=\"0 0 1 1\"><path d=M0 /><rect x=1 /></svg>"
        );
    }

    #[test]
    fn comments_and_entities() {
        assert_eq!(m("<p>a <!-- x --> b</p>"), "<p>a b</p>");
        assert_eq!(
            m("<p>Mayor&#x27;s &amp; &quot;x&quot; &lt;b&gt; &APOS;</p>"),
            "<p>Mayor's & \"x\" &lt;b> &APOS;</p>"
        );
        // An `&` stays escaped where what follows could make a reference.
        assert_eq!(
            m("<p>1 < 2 &amp;&amp; 3 &amp;amp; &amp;#1</p>"),
            "<p>1 < 2 && 3 &amp;amp; &amp;#1</p>"
        );
        assert_eq!(
            m("<a href=\"?a=1&amp;b=2&amp;\">x</a>"),
            "<a href=\"?a=1&amp;b=2&\">x</a>"
        );
    }

    #[test]
    fn broken_markup_copied() {
        assert_eq!(m("<p>a</p><!-- never ends"), "<p>a</p><!-- never ends");
        assert_eq!(m("<p>a  b <a href=\"x"), "<p>a b <a href=\"x");
        assert_eq!(m("</p></nope>x"), "</p></nope>x");
        assert_eq!(m("<script>never ends"), "<script>never ends");
        assert_eq!(
            m("<p>a  b</p><plaintext><p  class=\"x\">  </p>"),
            "<p>a b</p><plaintext><p  class=\"x\">  </p>"
        );
    }

    /// Pieces pages are made of, well formed or not.
    const PIECES: &[&str] = &[
        "<p>",
        "</p>",
        "<div class=\"a  b\">",
        "</div>",
        "<ul>",
        "</ul>",
        "<li>",
        "</li>",
        "<pre>",
        "</pre>",
        "<code>",
        "</code>",
        "<a href=\"/x y\">",
        "<a href='/'>",
        "</a>",
        "<span>",
        "</span>",
        " ",
        "  ",
        "\n  ",
        "\t",
        "word",
        "Mayor&#x27;s",
        "&quot;q&quot;",
        "&amp;",
        "&",
        "<",
        ">",
        "'",
        "\"",
        "=",
        "<!-- c -->",
        "<!--",
        "-->",
        "<br/>",
        "<img alt=\"\" src='s'>",
        "<script>a  <b></script>",
        "<style>x  y</style>",
        "<svg><path d=\"M0\"/></svg>",
        "<!DOCTYPE html>",
        "<title> t  x </title>",
        "<textarea> a  b </textarea>",
        "<h1 >",
        "</h1 >",
        "</nope>",
        "<?x?>",
        "<![CDATA[ a ]]>",
        "<meta content=\"a=&quot;b&quot; &#39;c\">",
        "<input disabled>",
        "</",
        "<plaintext>",
        "<a href=x<y>",
    ];

    /// The words a reader sees: markup and comments dropped, quote
    /// entities read, split at white space.
    fn words(html: &str) -> Vec<String> {
        let mut text = String::new();
        let mut rest = html;
        loop {
            let start = rest.char_indices().find(|&(i, c)| {
                c == '<'
                    && rest[i + 1..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_ascii_alphabetic() || "/!?".contains(n))
            });
            let Some((i, _)) = start else { break };
            text.push_str(&rest[..i]);
            let after = &rest[i..];
            let end = if after.starts_with("<!-->") {
                Some(5)
            } else if after.starts_with("<!--->") {
                Some(6)
            } else if let Some(comment) = after.strip_prefix("<!--") {
                comment.find("-->").map(|e| e + 7)
            } else {
                text.push(' ');
                after.find('>').map(|e| e + 1)
            };
            rest = end.map_or("", |e| &after[e..]);
        }
        text.push_str(rest);
        let text = text
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        text.split_whitespace().map(str::to_owned).collect()
    }

    proptest! {
        /// Any mix of pieces: no panic, never longer, the same words in
        /// the same order, and minifying again changes nothing.
        #[test]
        fn keeps_words_and_settles(picks in proptest::collection::vec(0..PIECES.len(), 0..40)) {
            let html: String = picks.iter().map(|&i| PIECES[i]).collect();
            let once = minify(html.as_bytes());
            prop_assert!(once.len() <= html.len());
            let once = String::from_utf8(once).unwrap();
            prop_assert_eq!(minify(once.as_bytes()), once.as_bytes());
            prop_assert_eq!(words(&once), words(&html));
        }

        #[test]
        fn never_panics(html in any::<String>()) {
            let _ = minify(html.as_bytes());
        }
    }
}
