//! Which article permalink keeps the most old URLs: each post's old URL is
//! read as a pattern (its segments that equal the post's year, month, day,
//! slug or section become tokens), and the pattern most posts share wins.
//! Posts whose old URL it does not give keep that URL as an alias.

use std::collections::BTreeMap;

use crate::url::{Permalink, PermalinkValues};

/// What a post's new URL is made of.
#[derive(Debug, Clone)]
pub struct Values {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub slug: String,
    pub section: Option<String>,
}

impl Values {
    pub fn expand(&self, permalink: &Permalink) -> String {
        permalink.expand(&PermalinkValues {
            year: self.year,
            month: self.month,
            day: self.day,
            slug: &self.slug,
            section: self.section.as_deref(),
        })
    }
}

pub const DEFAULT: &str = "/:year/:month/:day/:slug/";

/// The pattern that gives the most posts (`(old URL, values)`) their old
/// URL, and how many it gives it; the default unless that is more than
/// half of them. Patterns with `:section` are considered
/// only when every post has a section.
pub fn choose<'a>(posts: impl Iterator<Item = (&'a str, &'a Values)>) -> (Permalink, usize) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut all_have_section = true;
    let mut total = 0;
    for (url, values) in posts {
        total += 1;
        all_have_section &= values.section.is_some();
        if let Some(pattern) = pattern_of(url, values) {
            *counts.entry(pattern).or_default() += 1;
        }
    }
    let best = counts
        .into_iter()
        .filter(|(p, _)| all_have_section || !p.contains(":section"))
        .filter_map(|(p, n)| Permalink::parse(&p).ok().map(|permalink| (p, permalink, n)))
        // Most posts first; on a tie, the default, then the shorter pattern.
        .max_by(|(pa, _, na), (pb, _, nb)| {
            na.cmp(nb)
                .then_with(|| (pa == DEFAULT).cmp(&(pb == DEFAULT)))
                .then_with(|| pb.len().cmp(&pa.len()))
                .then_with(|| pb.cmp(pa))
        });
    match best {
        // A pattern only a few posts share (a custom permalink or two) is
        // no rule for the rest.
        Some((_, permalink, n)) if n * 2 > total => (permalink, n),
        _ => (Permalink::default(), 0),
    }
}

/// The old URL as a gazette pattern, if it is one: it ends in `/`, names
/// the slug, and its other segments are tokens or plain literals.
fn pattern_of(url: &str, v: &Values) -> Option<String> {
    if !url.ends_with('/') {
        return None;
    }
    let (year, month, day) = (
        format!("{:04}", v.year),
        format!("{:02}", v.month),
        format!("{:02}", v.day),
    );
    let mut used = [false; 5];
    let mut pattern = String::from("/");
    for segment in url.split('/').filter(|s| !s.is_empty()) {
        let token = [
            (segment == v.slug, ":slug"),
            (segment == year, ":year"),
            (segment == month, ":month"),
            (segment == day, ":day"),
            (v.section.as_deref() == Some(segment), ":section"),
        ]
        .iter()
        .enumerate()
        .find(|(i, (matches, _))| *matches && !used[*i])
        .map(|(i, (_, token))| {
            used[i] = true;
            *token
        });
        match token {
            Some(t) => pattern.push_str(t),
            None => pattern.push_str(segment),
        }
        pattern.push('/');
    }
    used[0].then_some(pattern)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(slug: &str, section: Option<&str>) -> Values {
        Values {
            year: 2019,
            month: 5,
            day: 5,
            slug: slug.into(),
            section: section.map(str::to_string),
        }
    }

    #[test]
    fn old_urls_read_as_patterns() {
        let v = values("harbour-reopens", Some("world"));
        assert_eq!(
            pattern_of("/2019/05/05/harbour-reopens/", &v).as_deref(),
            Some("/:year/:month/:day/:slug/")
        );
        assert_eq!(
            pattern_of("/news/2019/harbour-reopens/", &v).as_deref(),
            Some("/news/:year/:slug/")
        );
        assert_eq!(
            pattern_of("/world/harbour-reopens/", &v).as_deref(),
            Some("/:section/:slug/")
        );
        assert_eq!(pattern_of("/2019/05/05/harbour-reopens.html", &v), None);
        assert_eq!(pattern_of("/2019/05/05/Harbour-Reopens/", &v), None);
    }

    #[test]
    fn the_most_shared_pattern_wins() {
        let a = values("a", None);
        let b = values("b", None);
        let c = values("c", None);
        let posts = [("/posts/a/", &a), ("/posts/b/", &b), ("/2019/05/05/c/", &c)];
        let (permalink, kept) = choose(posts.into_iter());
        assert_eq!(kept, 2);
        assert_eq!(a.expand(&permalink), "/posts/a/");
        let s = values("s", Some("world"));
        let n = values("n", None);
        let (permalink, _) = choose([("/world/s/", &s), ("/x/n.html", &n)].into_iter());
        assert_eq!(s.expand(&permalink), "/2019/05/05/s/");
    }
}
