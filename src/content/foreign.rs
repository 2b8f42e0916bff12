//! Template code of other generators left in a body: Liquid tags and
//! outputs (`{% ... %}`, `{{ ... }}`), Hugo shortcodes (`{{< ... >}}`,
//! `{{% ... %}}`) and WordPress shortcodes (`[caption ...]`). gazette
//! shows them as text; finding them makes that never silent. Code spans
//! and code blocks are skipped: there such text is meant.

use std::ops::Range;

/// One piece of template code: where it starts (byte offset in the body),
/// what it is, and its text (shortened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub offset: usize,
    pub kind: &'static str,
    pub text: String,
}

/// WordPress shortcodes that archives carry in post bodies.
pub const WORDPRESS: &[&str] = &[
    "caption",
    "wp_caption",
    "gallery",
    "embed",
    "video",
    "audio",
    "playlist",
];

/// How far a closing delimiter is looked for.
const REACH: usize = 400;

/// Every piece of template code in `body` outside the ranges `skip`
/// (sorted by start).
pub fn find(body: &str, skip: &[Range<usize>]) -> Vec<Found> {
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut next_skip) = (0, 0);
    // Only `{` and `[` can start template code: jump from one to the next.
    while let Some(step) = bytes[i..].iter().position(|&b| b == b'{' || b == b'[') {
        i += step;
        while next_skip < skip.len() && skip[next_skip].end <= i {
            next_skip += 1;
        }
        if let Some(r) = skip.get(next_skip).filter(|r| r.start <= i) {
            i = r.end;
            continue;
        }
        // `{` and `[` are ASCII, so `i` is a char boundary.
        match at(&body[i..]) {
            Some((len, kind)) => {
                out.push(Found {
                    offset: i,
                    kind,
                    text: shorten(&body[i..i + len]),
                });
                i += len;
            }
            None => i += 1,
        }
    }
    out
}

/// The length and kind of the template code `rest` starts with.
fn at(rest: &str) -> Option<(usize, &'static str)> {
    if rest.starts_with("{{<") {
        closed(rest, ">}}", "Hugo shortcode")
    } else if rest.starts_with("{{%") {
        closed(rest, "%}}", "Hugo shortcode")
    } else if rest.starts_with("{%") {
        closed(rest, "%}", "Liquid tag")
    } else if rest.starts_with("{{") {
        closed(rest, "}}", "Liquid output")
    } else if let Some(name) = rest.strip_prefix('[') {
        let known = WORDPRESS.iter().any(|w| {
            name.strip_prefix(w)
                .is_some_and(|after| after.starts_with([' ', ']']))
        });
        if known {
            closed(rest, "]", "WordPress shortcode")
        } else {
            None
        }
    } else {
        None
    }
}

/// `rest` up to and with `end`, if `end` comes soon and before a blank line.
fn closed(rest: &str, end: &str, kind: &'static str) -> Option<(usize, &'static str)> {
    let mut reach = rest.len().min(REACH);
    while !rest.is_char_boundary(reach) {
        reach -= 1;
    }
    let window = &rest[..reach];
    let window = &window[..window.find("\n\n").unwrap_or(window.len())];
    window.find(end).map(|i| (i + end.len(), kind))
}

/// The text on one line, at most 60 characters.
fn shorten(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(body: &str, skip: &[Range<usize>]) -> Vec<(usize, &'static str)> {
        find(body, skip)
            .iter()
            .map(|f| (f.offset, f.kind))
            .collect()
    }

    #[test]
    fn finds_liquid_hugo_and_wordpress_outside_code() {
        let body = "A {% assign x = 1 %} and {{ site.baseurl }}.\n\
                    {{< legacy-img src=\"a.jpg\" >}} {{% ref \"b.md\" %}}\n\
                    [caption id=\"1\"]<img>A photo[/caption] [gallery]";
        let found = kinds(body, &[]);
        let names: Vec<&str> = found.iter().map(|(_, k)| *k).collect();
        assert_eq!(
            names,
            [
                "Liquid tag",
                "Liquid output",
                "Hugo shortcode",
                "Hugo shortcode",
                "WordPress shortcode",
                "WordPress shortcode"
            ]
        );
        assert_eq!(found[0].0, 2);
    }

    #[test]
    fn code_and_plain_text_are_left_alone() {
        let body = "Use `{{ x }}` here. A set {1, 2} and [a link] and {{ unclosed\n\nlater }}.";
        let code = body.find('`').unwrap()..body.find("` here").unwrap() + 1;
        assert_eq!(kinds(body, &[code]), []);
        assert_eq!(kinds("ümlaut {{ é }} ñ", &[]), [(8, "Liquid output")]);
        let long = format!("{{% {} %}}", "x".repeat(100));
        assert!(find(&long, &[])[0].text.ends_with('…'));
    }
}
