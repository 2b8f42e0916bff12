//! Front matter: the YAML block at the top of an article, read as written
//! ([`RawFrontMatter`]) and validated into [`Meta`].
//!
//! Positions in every diagnostic are lines of the whole file, not of the
//! YAML block. Dates become instants in the site time zone.

use jiff::ZonedDateTime;
use jiff::tz::TimeZone;
use serde::Deserialize;

pub(crate) mod dates;
pub(crate) mod split;

pub use dates::parse_date;
pub use split::{FileName, Split, split};

use super::slug::{self, Slugs};
use super::yaml::{self, Value};
use crate::diagnostics::did_you_mean;
use crate::url;

/// The front matter as written. Dates stay text until validated.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RawFrontMatter {
    /// The headline (required).
    pub title: Option<String>,
    /// Publication instant (required): RFC 3339, a date-time without offset
    /// (site time zone) or a date (midnight in the site time zone).
    pub date: Option<DateText>,
    /// "Last update" instant, same formats as `date`.
    pub updated: Option<DateText>,
    /// From this instant on the article is not published (Hugo's
    /// `expiryDate`, also read under that name).
    #[serde(alias = "expirydate", alias = "expiryDate")]
    pub expires: Option<DateText>,
    /// One author, or a list.
    pub author: Option<OneOrMany>,
    /// Several authors, or one.
    pub authors: Option<OneOrMany>,
    /// The section the article belongs to.
    pub section: Option<String>,
    /// Tags, as a list (or one string).
    pub tags: Option<OneOrMany>,
    /// Lead image: a path, or a map with `src`, `alt`, `caption`, `credit`.
    pub image: Option<RawImage>,
    /// Standfirst; the first paragraph of the body when absent.
    pub summary: Option<String>,
    /// URL slug; derived from the title when absent.
    pub slug: Option<String>,
    /// Drafts are published only with `--drafts`.
    pub draft: Option<bool>,
    /// Old site paths that redirect to this article.
    pub aliases: Option<OneOrMany>,
    /// Free-form data for themes, as `page.extra`.
    pub extra: Option<Value>,
}

/// A date as written: text, or a TOML date-time (unquoted between `+++`
/// fences), read as its text; validated later, like any date.
#[derive(Debug)]
pub struct DateText(pub String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> serde::de::Visitor<'de> for Text {
            type Value = DateText;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a date")
            }

            fn visit_str<E>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }

            fn visit_u64<E>(self, v: u64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }

            fn visit_i64<E>(self, v: i64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }

            fn visit_f64<E>(self, v: f64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }

            /// The toml crate hands a date-time over as a map of one entry
            /// whose value is its text.
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<DateText, A::Error> {
                match map.next_entry::<String, String>()? {
                    Some((_, text)) => Ok(DateText(text)),
                    None => Err(serde::de::Error::custom("expected a date")),
                }
            }
        }
        d.deserialize_any(Text)
    }
}

pub const KEYS: &[&str] = &[
    "title", "date", "updated", "expires", "author", "authors", "section", "tags", "image",
    "summary", "slug", "draft", "aliases", "extra",
];

/// One name or several, as other generators write them too: a string, a
/// map with `name` (Jekyll and Hugo author data), or a list of either.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(Name),
    Many(Vec<Name>),
}

/// A name, or a map that has one (other keys of the map are ignored).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Name {
    Text(String),
    Map { name: String },
}

impl Name {
    fn into_string(self) -> String {
        match self {
            Name::Text(s) | Name::Map { name: s } => s,
        }
    }
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(n) => vec![n.into_string()],
            OneOrMany::Many(v) => v.into_iter().map(Name::into_string).collect(),
        }
    }

    /// Tags: a list, or one string of several separated by commas (when it
    /// has one) or else by spaces, as Jekyll writes them.
    fn into_tags(self) -> Vec<String> {
        match self {
            OneOrMany::One(Name::Text(s)) if s.contains(',') => s
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
            OneOrMany::One(Name::Text(s)) => s.split_whitespace().map(str::to_string).collect(),
            other => other.into_vec(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawImage {
    Path(String),
    Full {
        src: String,
        #[serde(default)]
        alt: Option<String>,
        #[serde(default)]
        caption: Option<String>,
        #[serde(default)]
        credit: Option<String>,
        /// Where crops centre: `"30% 60%"`, `"top"`.
        #[serde(default)]
        focus: Option<String>,
    },
}

/// Validated front matter.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Meta {
    pub title: String,
    pub date: ZonedDateTime,
    pub updated: Option<ZonedDateTime>,
    /// Not published from then on.
    pub expires: Option<ZonedDateTime>,
    pub authors: Vec<String>,
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub image: Option<Image>,
    pub summary: Option<String>,
    pub slug: String,
    pub draft: bool,
    /// Site paths (normalized) of the aliases.
    pub aliases: Vec<String>,
    /// `None` when there is none (or it is null): most articles have
    /// none, and a YAML value is large.
    pub extra: Option<Box<Value>>,
}

/// Front matter as sources and articles hold it: shared, not copied,
/// between the builds that loaded the same file (`serve` keeps it), equal
/// at once to itself, and with its fingerprint taken once, when it was
/// read from its file: hashing it is hashing that fingerprint (an
/// incremental build fingerprints every article, and the front matter was
/// most of it).
#[derive(Debug, Clone)]
pub struct SharedMeta {
    meta: crate::shared::Shared<Meta>,
    fingerprint: u64,
}

impl SharedMeta {
    pub fn new(meta: Meta) -> Self {
        SharedMeta {
            fingerprint: crate::fingerprint::of(&meta),
            meta: crate::shared::Shared::new(meta),
        }
    }

    /// Front matter read back from a store with the fingerprint taken of
    /// it when it was read from its file (the store keeps both exactly).
    pub fn kept(meta: Meta, fingerprint: u64) -> Self {
        debug_assert_eq!(
            crate::fingerprint::of(&meta),
            fingerprint,
            "front matter read back is not the one kept"
        );
        SharedMeta {
            meta: crate::shared::Shared::new(meta),
            fingerprint,
        }
    }

    /// The fingerprint of the front matter ([`crate::fingerprint::of`]).
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}

impl std::ops::Deref for SharedMeta {
    type Target = Meta;

    fn deref(&self) -> &Meta {
        &self.meta
    }
}

impl PartialEq for SharedMeta {
    fn eq(&self, other: &Self) -> bool {
        self.fingerprint == other.fingerprint && self.meta == other.meta
    }
}

/// Hashes the fingerprint, which equal front matter shares.
impl std::hash::Hash for SharedMeta {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.fingerprint);
    }
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Image {
    pub src: ImageSrc,
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Where the lead image's crops centre (default: the middle).
    pub focus: Option<crate::images::Focus>,
    /// Line of the `image:` key in the file, for messages.
    pub line: usize,
}

/// Where an image comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ImageSrc {
    /// A file next to the article, as written (relative path).
    Local(String),
    /// A file of the site's `static/` folder: the site path (`/img/a.jpg`).
    Static(String),
    /// An http(s) URL, used as is.
    Remote(String),
}

/// A problem in the front matter: 1-based line of the file, and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub col: Option<usize>,
    pub message: String,
    pub warning: bool,
}

/// Parses and validates a front matter block (`yaml` begins on line
/// `first_line` of the file, named `file`). Returns the meta, or every
/// problem found; warnings come in both cases.
pub fn parse(
    yaml: &str,
    first_line: usize,
    file: Option<FileName<'_>>,
    tz: &TimeZone,
    slugs: Slugs,
) -> (Option<Meta>, Vec<Problem>) {
    let mut unknown = Vec::new();
    let raw = yaml::from_str_collecting_unknown(yaml, &mut unknown)
        .map_err(|e| explain(yaml, first_line, (e.line, e.col, e.message)));
    validate(yaml, first_line, (raw, unknown), file, (tz, slugs))
}

/// [`parse`] for a TOML block (`+++` fences, as Hugo writes them).
pub fn parse_toml(
    toml: &str,
    first_line: usize,
    file: Option<FileName<'_>>,
    tz: &TimeZone,
    slugs: Slugs,
) -> (Option<Meta>, Vec<Problem>) {
    let mut unknown = Vec::new();
    let raw = read_toml(toml, &mut unknown);
    validate(toml, first_line, (raw, unknown), file, (tz, slugs))
}

/// A position in the block (line, column, 1-based) and a message.
type BlockError = (Option<usize>, Option<usize>, String);

/// Deserializes TOML, collecting the keys `RawFrontMatter` does not know.
fn read_toml(text: &str, unknown: &mut Vec<String>) -> Result<RawFrontMatter, BlockError> {
    let positioned = |e: toml::de::Error| {
        let at = e
            .span()
            .map(|s| crate::diagnostics::line_col(text, s.start));
        (
            at.map(|a| a.0),
            at.map(|a| a.1),
            e.message().trim().to_string(),
        )
    };
    let document = toml::de::DeTable::parse(text).map_err(positioned)?;
    serde_ignored::deserialize(toml::Deserializer::from(document), |path| {
        unknown.push(path.to_string())
    })
    .map_err(positioned)
}

/// The lines (1-based, of the block) where top-level `key` is written:
/// `key:` in YAML, `key =` in TOML.
fn key_lines<'a>(text: &'a str, key: &'a str) -> impl Iterator<Item = usize> + 'a {
    text.lines().enumerate().filter_map(move |(i, l)| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with([':', '=']))
            .then_some(i + 1)
    })
}

/// Points serde's messages that name no place at the key they are about:
/// a duplicate key at its second occurrence, a value of the wrong shape at
/// its key, with words a writer can act on.
fn explain(yaml: &str, first_line: usize, e: BlockError) -> BlockError {
    let (_, _, message) = &e;
    if let Some(key) = message
        .strip_prefix("duplicate field `")
        .and_then(|rest| rest.split('`').next())
    {
        if let [first, second, ..] = key_lines(yaml, key).collect::<Vec<_>>()[..] {
            let first = first + first_line - 1;
            let message = format!("duplicate key `{key}`: it is also on line {first}");
            return (Some(second), Some(1), message);
        }
    }
    if message.contains("untagged enum OneOrMany") {
        for key in ["author", "authors", "tags", "aliases"] {
            if let Some(Err(_)) = yaml::key_as::<OneOrMany>(yaml, key) {
                let line = key_lines(yaml, key).next();
                let message =
                    format!("`{key}` must be a name, a map with `name`, or a list of those");
                return (line, Some(1), message);
            }
        }
    }
    if message.contains("untagged enum RawImage") {
        let line = key_lines(yaml, "image").next();
        let message =
            "`image` must be a path or URL, or a map with `src` (and `alt`, `caption`, `credit`)"
                .to_string();
        return (line, Some(1), message);
    }
    e
}

/// Validates what was read of a block (`text`, from line `first_line`).
fn validate(
    text: &str,
    first_line: usize,
    (raw, unknown): (Result<RawFrontMatter, BlockError>, Vec<String>),
    file: Option<FileName<'_>>,
    (tz, slugs): (&TimeZone, Slugs),
) -> (Option<Meta>, Vec<Problem>) {
    let raw = match raw {
        Ok(raw) => raw,
        Err((line, col, message)) => {
            let line = line.map_or(first_line - 1, |l| l + first_line - 1);
            return (
                None,
                vec![Problem {
                    line,
                    col,
                    message,
                    warning: false,
                }],
            );
        }
    };
    let yaml = text;
    let mut v = Validator {
        yaml,
        first_line,
        slugs,
        problems: Vec::new(),
    };
    for key in unknown {
        let top = key.split('.').next().unwrap_or(&key);
        let hint = match foreign_hint(top) {
            Some(hint) => format!("; {hint}"),
            None => did_you_mean(top, KEYS)
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default(),
        };
        v.warn(
            top,
            format!("unknown front matter key `{key}` is ignored{hint}"),
        );
    }
    let meta = v.validate(raw, file, tz);
    (meta, v.problems)
}

/// What a key of another generator's front matter is called here.
fn foreign_hint(key: &str) -> Option<&'static str> {
    Some(match key {
        "categories" | "category" => "gazette has one `section` and any number of `tags`",
        "permalink" | "url" => {
            "gazette makes URLs from `[permalinks]`; keep an old URL with `aliases`"
        }
        "redirect_from" => "list old URLs under `aliases`",
        "excerpt" | "description" => "use `summary`",
        "lastmod" | "last_modified_at" => "use `updated`",
        _ => return None,
    })
}

struct Validator<'a> {
    yaml: &'a str,
    /// Line of the file where `yaml` starts.
    first_line: usize,
    slugs: Slugs,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    /// Line of the file where top-level `key:` is written (else line 1).
    fn line_of(&self, key: &str) -> usize {
        key_lines(self.yaml, key)
            .next()
            .map_or(1, |l| l + self.first_line - 1)
    }

    fn error(&mut self, key: &str, message: String) {
        let line = self.line_of(key);
        self.problems.push(Problem {
            line,
            col: Some(1),
            message,
            warning: false,
        });
    }

    fn warn(&mut self, key: &str, message: String) {
        let line = self.line_of(key);
        self.problems.push(Problem {
            line,
            col: Some(1),
            message,
            warning: true,
        });
    }

    fn validate(
        &mut self,
        raw: RawFrontMatter,
        file: Option<FileName<'_>>,
        tz: &TimeZone,
    ) -> Option<Meta> {
        let RawFrontMatter {
            title,
            mut date,
            updated,
            expires,
            author,
            authors,
            section,
            tags,
            image,
            summary,
            slug,
            draft,
            aliases,
            extra,
        } = raw;
        let title = self.title(title);
        // The file name speaks only when the front matter has no date.
        let named = file.filter(|_| date.is_none());
        date = date.or(named.map(|n| DateText(n.date.to_string())));
        let slug = slug.or(named.map(|n| n.slug.to_string()));
        let (date, updated) = self.dates(date.map(|d| d.0), updated.map(|d| d.0), tz);
        let expires = expires.and_then(|e| self.date("expires", &e.0, tz));
        let authors = self.authors(author, authors);
        let section = section
            .map(|s| self.names("section", vec![s]))
            .and_then(|mut v| v.pop());
        let tags = tags
            .map(|t| self.names("tags", t.into_tags()))
            .unwrap_or_default();
        let image = image.and_then(|i| self.image(i));
        let slug = self.slug(slug, title.as_deref());
        let aliases = self.aliases(aliases);
        if self.problems.iter().any(|p| !p.warning) {
            return None;
        }
        Some(Meta {
            title: title?,
            date: date?,
            updated,
            expires,
            authors,
            section,
            tags,
            image,
            summary: summary
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
            slug: slug?,
            draft: draft.unwrap_or(false),
            aliases,
            extra: extra.filter(|v| !v.is_null()).map(Box::new),
        })
    }

    /// The trimmed title (required, not empty).
    fn title(&mut self, title: Option<String>) -> Option<String> {
        match title.map(|t| t.trim().to_string()) {
            Some(t) if !t.is_empty() => Some(t),
            Some(_) => self.fail("title", "`title` is empty"),
            None => self.fail("title", "`title` is required"),
        }
    }

    /// `date` (required) and `updated`; an update before the date warns.
    fn dates(
        &mut self,
        date: Option<String>,
        updated: Option<String>,
        tz: &TimeZone,
    ) -> (Option<ZonedDateTime>, Option<ZonedDateTime>) {
        let date = match date {
            Some(d) => self.date("date", &d, tz),
            None => self.fail("date", "`date` is required"),
        };
        let updated = updated.and_then(|u| self.date("updated", &u, tz));
        if let (Some(d), Some(u)) = (&date, &updated) {
            if u < d {
                self.warn("updated", "`updated` is earlier than `date`".into());
            }
        }
        (date, updated)
    }

    /// The names of `author` or `authors` (not both).
    fn authors(&mut self, author: Option<OneOrMany>, authors: Option<OneOrMany>) -> Vec<String> {
        match (author, authors) {
            (Some(_), Some(_)) => {
                self.error(
                    "authors",
                    "give either `author` or `authors`, not both".into(),
                );
                Vec::new()
            }
            (Some(a), None) => self.names("author", a.into_vec()),
            (None, Some(a)) => self.names("authors", a.into_vec()),
            (None, None) => Vec::new(),
        }
    }

    /// The slug as written (cleaned), else made from the title.
    fn slug(&mut self, slug: Option<String>, title: Option<&str>) -> Option<String> {
        match slug {
            Some(s) => slug::clean_front_matter_slug(&s, self.slugs)
                .map_err(|e| self.error("slug", e))
                .ok(),
            None => title.and_then(|t| {
                let s = self.slugs.slug(t);
                if s.is_empty() {
                    self.fail("title", "the title gives an empty slug; set `slug`")
                } else {
                    Some(s)
                }
            }),
        }
    }

    /// The site paths of the aliases; a bad one is an error.
    fn aliases(&mut self, aliases: Option<OneOrMany>) -> Vec<String> {
        let mut paths = Vec::new();
        for alias in aliases.map(OneOrMany::into_vec).unwrap_or_default() {
            match url::normalize_alias(&alias) {
                Ok(path) => paths.push(path),
                Err(e) => self.error("aliases", e),
            }
        }
        paths
    }

    fn fail<T>(&mut self, key: &str, message: &str) -> Option<T> {
        self.error(key, message.to_string());
        None
    }

    fn date(&mut self, key: &str, text: &str, tz: &TimeZone) -> Option<ZonedDateTime> {
        match parse_date(text.trim(), tz) {
            Ok(z) => Some(z),
            Err(e) => self.fail(key, &format!("`{key}`: {e}")),
        }
    }

    /// Trimmed, de-duplicated (by slug) names; a name without a slug is an error.
    fn names(&mut self, key: &str, names: Vec<String>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut seen = Vec::new();
        for name in names {
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            let s = self.slugs.slug(&name);
            if s.is_empty() {
                self.error(
                    key,
                    format!("`{key}`: `{name}` has no letters or digits to make a page name from"),
                );
            } else if !seen.contains(&s) {
                seen.push(s);
                out.push(name);
            }
        }
        // Kept for the whole build: no room to spare.
        out.shrink_to_fit();
        out
    }

    fn image(&mut self, raw: RawImage) -> Option<Image> {
        let (src, alt, caption, credit, focus) = match raw {
            RawImage::Path(src) => (src, None, None, None, None),
            RawImage::Full {
                src,
                alt,
                caption,
                credit,
                focus,
            } => (src, alt, caption, credit, focus),
        };
        let focus = match focus.as_deref().map(crate::images::Focus::parse) {
            None => None,
            Some(Ok(focus)) => Some(focus),
            Some(Err(message)) => return self.fail("image", &message),
        };
        let src = src.trim().to_string();
        let src = if src.starts_with("http://") || src.starts_with("https://") {
            ImageSrc::Remote(src)
        } else if src.starts_with('/') {
            if url::output_file(&src).is_none() || src.ends_with('/') {
                return self.fail(
                    "image",
                    &format!("image `{src}` is not a plain path inside static/"),
                );
            }
            ImageSrc::Static(src)
        } else if src.is_empty() || src.contains("://") || src.contains('\\') {
            return self.fail(
                "image",
                &format!("image `{src}` must be a file path or an http(s) URL"),
            );
        } else {
            ImageSrc::Local(src)
        };
        let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        if clean(alt.clone()).is_none() {
            self.warn(
                "image",
                "the image has no `alt` text: screen readers will announce nothing; add `alt:`"
                    .into(),
            );
        }
        Some(Image {
            src,
            alt: clean(alt),
            caption: clean(caption),
            credit: clean(credit),
            focus,
            line: self.line_of("image"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_may_come_before_the_front_matter() {
        let s = split("\n  \n---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!((s.yaml, s.yaml_line, s.body_line), ("title: A\n", 4, 6));
        let (_, problems) = parse(
            "title: A\ndate: soon\n",
            s.yaml_line,
            None,
            &TimeZone::UTC,
            Slugs::Ascii,
        );
        assert_eq!(problems[0].line, 5, "{problems:?}");
        assert_eq!(split("\n\ntitle: A\n").err().map(|p| p.line), Some(3));
    }

    /// Found by fuzz/ (front_matter): the error after a lone `\r` was
    /// reported on line 4 of this 3-line file.
    #[test]
    fn yaml_error_lines_lie_in_the_file() {
        let s = split("---\n\r\"\n---").unwrap();
        let (meta, problems) = parse(s.yaml, s.yaml_line, None, &TimeZone::UTC, Slugs::Ascii);
        assert!(meta.is_none());
        assert_eq!(problems[0].line, 3, "{problems:?}");
    }

    #[test]
    fn date_and_slug_from_a_jekyll_file_name_when_front_matter_has_no_date() {
        let file = FileName::of("2001-01-18-Stable-Snapshot.md");
        assert_eq!(
            file,
            Some(FileName {
                date: "2001-01-18",
                slug: "Stable-Snapshot"
            })
        );
        assert_eq!(FileName::of("2001-02-30-x.md"), None, "no such day");
        assert_eq!(FileName::of("notes.md"), None);
        let (meta, problems) = parse("title: A Headline\n", 2, file, &TimeZone::UTC, Slugs::Ascii);
        assert!(problems.is_empty(), "{problems:?}");
        let meta = meta.unwrap();
        assert_eq!(meta.date.date().to_string(), "2001-01-18");
        assert_eq!(meta.slug, "stable-snapshot");
        let (meta, _) = parse(
            "title: A Headline\ndate: 2005-05-05\n",
            2,
            file,
            &TimeZone::UTC,
            Slugs::Ascii,
        );
        assert_eq!(
            meta.unwrap().slug,
            "a-headline",
            "a dated article keeps its own slug"
        );
    }

    #[test]
    fn tags_as_a_string_and_authors_as_maps() {
        let meta = |yaml: &str| {
            let (meta, problems) = parse(yaml, 2, None, &TimeZone::UTC, Slugs::Ascii);
            assert!(problems.iter().all(|p| p.warning), "{problems:?}");
            meta.unwrap()
        };
        let m = meta("title: A\ndate: 2024-01-02\ntags: fellowship announcements\n");
        assert_eq!(m.tags, ["fellowship", "announcements"]);
        let m = meta("title: A\ndate: 2024-01-02\ntags: \"Climate change, Harbour,\"\n");
        assert_eq!(m.tags, ["Climate change", "Harbour"]);
        let m =
            meta("title: A\ndate: 2024-01-02\nauthor:\n  name: Jane Doe\n  email: j@x.example\n");
        assert_eq!(m.authors, ["Jane Doe"]);
        let m = meta("title: A\ndate: 2024-01-02\nauthors:\n  - name: Jane Doe\n  - Li Wei\n");
        assert_eq!(m.authors, ["Jane Doe", "Li Wei"]);
    }

    #[test]
    fn toml_front_matter_as_hugo_writes_it() {
        let toml = "title = \"A\"\ndate = 2019-05-23T18:30:00+02:00\nlastmod = 2019-06-01\n\
                    tags = [\"x\", \"y\"]\n[author]\nname = \"Jane Doe\"\n";
        let (meta, problems) = parse_toml(toml, 2, None, &TimeZone::UTC, Slugs::Ascii);
        let meta = meta.expect("parsed");
        assert_eq!(meta.date.timestamp().to_string(), "2019-05-23T16:30:00Z");
        assert_eq!((meta.tags.len(), meta.authors.len()), (2, 1));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!((problems[0].line, problems[0].warning), (4, true));
        assert!(
            problems[0].message.ends_with("use `updated`"),
            "{problems:?}"
        );
        let (meta, problems) = parse_toml(
            "title = \"A\"\ndate = \n",
            2,
            None,
            &TimeZone::UTC,
            Slugs::Ascii,
        );
        assert!(meta.is_none());
        assert_eq!(problems[0].line, 3, "{problems:?}");
    }

    #[test]
    fn errors_point_at_the_key_they_are_about() {
        let problem = |yaml: &str| {
            let (meta, problems) = parse(yaml, 2, None, &TimeZone::UTC, Slugs::Ascii);
            assert!(meta.is_none());
            (problems[0].line, problems[0].message.clone())
        };
        let (line, message) =
            problem("title: A\ndate: 2024-01-01\ntags: [a]\nsummary: s\ntags: [b]\n");
        assert_eq!(
            (line, message.as_str()),
            (6, "duplicate key `tags`: it is also on line 4")
        );
        let (line, message) = problem("title: A\ndate: 2024-01-01\nauthor:\n  - [x]\n");
        assert_eq!(line, 4);
        assert!(message.starts_with("`author` must be a name"), "{message}");
        let (line, message) = problem("title: A\nimage: [a, b]\n");
        assert_eq!(line, 3);
        assert!(message.starts_with("`image` must be"), "{message}");
    }

    #[test]
    fn keys_of_other_generators_get_a_hint() {
        let yaml =
            "title: A\ndate: 2024-01-02\ncategories: [news]\nredirect_from: /old/\nexcerpt: x\n";
        let (_, problems) = parse(yaml, 2, None, &TimeZone::UTC, Slugs::Ascii);
        let messages: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0]
                .1
                .contains("one `section` and any number of `tags`"),
            "{messages:?}"
        );
        assert_eq!(messages[1].0, 5);
        assert!(messages[1].1.contains("`aliases`"), "{messages:?}");
        assert!(messages[2].1.ends_with("use `summary`"), "{messages:?}");
    }

    #[test]
    fn problems_are_on_file_lines() {
        let yaml = "title: A\ndate: soon\ntitel: B\n";
        let (meta, problems) = parse(yaml, 2, None, &TimeZone::UTC, Slugs::Ascii);
        assert!(meta.is_none());
        let lines: Vec<_> = problems.iter().map(|p| (p.line, p.warning)).collect();
        assert!(lines.contains(&(3, false)), "{problems:?}");
        assert!(lines.contains(&(4, true)), "{problems:?}");
    }
}
