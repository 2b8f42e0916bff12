//! An archive laid out as a gazette site: `gazette.toml`, one Markdown file
//! per post under `content/YYYY/MM/`, its files beside it, `static/`, and
//! `data/authors.yaml`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use jiff::tz::TimeZone;
use serde::Serialize;

use super::links::{self, Index};
use super::post::{Archive, Post};
use super::urls::{self, Values};
use super::{ImportOptions, Log};
use crate::content::{slug, yaml};
use crate::diagnostics::Diagnostic;
use crate::url::Permalink;

/// What was written.
#[derive(Debug, Default)]
pub struct Written {
    pub articles: usize,
    pub drafts: usize,
    pub urls_kept: usize,
    pub urls_aliased: usize,
    pub files: usize,
    /// Links that point into the old site at nothing, by article.
    pub problems: Vec<Diagnostic>,
}

/// Where one post goes.
struct Placed {
    values: Values,
    url: String,
    aliases: Vec<String>,
    /// The section's name, as the source spells it.
    section: Option<String>,
    tags: Vec<String>,
    /// Relative to the site root: `content/2019/05/slug.md`.
    file: PathBuf,
}

pub fn write(archive: &Archive, options: &ImportOptions, log: &mut Log) -> Result<Written, String> {
    let (tz_name, tz) = time_zone(archive, log);
    let mut order: Vec<usize> = (0..archive.posts.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&archive.posts[a], &archive.posts[b]);
        pa.date
            .timestamp()
            .cmp(&pb.date.timestamp())
            .then_with(|| pa.origin.cmp(&pb.origin))
    });
    let slugs = slug::Slugs::for_language(archive.site.language.as_deref().unwrap_or("en"));
    let sections: Vec<Option<String>> = archive
        .posts
        .iter()
        .map(|p| section_of(&p.categories, &options.sections))
        .collect();
    let values: Vec<Values> = archive
        .posts
        .iter()
        .zip(&sections)
        .map(|(p, section)| values_of(p, &tz, section.as_deref(), slugs))
        .collect();
    let (permalink, _) = urls::choose(order.iter().filter_map(|&i| {
        let url = archive.posts[i].urls.first()?;
        Some((url.as_str(), &values[i]))
    }));
    let pattern = permalink.to_string();
    log.note(format!("article permalink: {pattern}"));
    let placed = place(
        archive,
        &order,
        (&values, &sections),
        (&permalink, slugs),
        log,
    );
    let mut written = Written::default();
    for (post, p) in archive.posts.iter().zip(&placed) {
        written.urls_kept += usize::from(post.urls.first() == Some(&p.url));
        written.urls_aliased += p.aliases.len();
    }
    let root = &options.root;
    write_config(root, archive, &tz_name, &pattern)?;
    let index = link_index(archive, &placed);
    for (i, post) in archive.posts.iter().enumerate() {
        let p = &placed[i];
        let dir = p.file.parent().unwrap_or(Path::new("content"));
        let (body, changed, missing) = links::rewrite(
            &post.body,
            |dest| index.resolve(dest),
            |target| relative(dir, &placed[target].file),
        );
        log.converted("links to other posts -> links to their files", changed);
        let front = front_matter(post, p)?;
        let body_line = front.lines().count() + 3;
        for m in missing {
            written.problems.push(
                Diagnostic::warning(
                    &p.file,
                    format!("link to `{}`: no imported article or file is there", m.dest),
                )
                .at(m.line + body_line - 1, None),
            );
        }
        let text = format!("---\n{front}---\n{}", body.trim_start_matches('\n'));
        create(&root.join(&p.file), text.as_bytes())?;
        for file in &post.files {
            let name = file.file_name().unwrap_or_default();
            copy(file, &root.join(dir).join(name))?;
            written.files += 1;
        }
        written.articles += 1;
        written.drafts += usize::from(post.draft);
    }
    for (from, to) in &archive.static_files {
        copy(from, &root.join("static").join(to))?;
        written.files += 1;
    }
    write_profiles(root, archive)?;
    Ok(written)
}

/// The site's time zone: the source's (the readers put the one asked for
/// there), else UTC.
fn time_zone(archive: &Archive, log: &mut Log) -> (String, TimeZone) {
    match &archive.site.timezone {
        Some((name, tz)) => (name.clone(), tz.clone()),
        None => {
            log.note("time zone: UTC (the source names none; --timezone sets one)");
            ("UTC".to_string(), TimeZone::UTC)
        }
    }
}

fn values_of(post: &Post, tz: &TimeZone, section: Option<&str>, slugs: slug::Slugs) -> Values {
    let date = post.date.with_time_zone(tz.clone());
    let slug = [post.slug.as_str(), post.title.as_str()]
        .iter()
        .map(|s| slugs.slug(s))
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "article".to_string());
    Values {
        year: date.year(),
        month: date.month(),
        day: date.day(),
        slug,
        section: section.map(|s| slugs.slug(s)),
    }
}

/// The section among a post's categories: the first of `preferred` it has,
/// else (with no preference given) its first category.
pub fn section_of(categories: &[String], preferred: &[String]) -> Option<String> {
    let usable = categories
        .iter()
        .filter(|c| !c.eq_ignore_ascii_case("uncategorized"));
    if preferred.is_empty() {
        return usable.into_iter().next().cloned();
    }
    preferred
        .iter()
        .find_map(|p| categories.iter().find(|c| c.eq_ignore_ascii_case(p)))
        .cloned()
}

/// Each post's URL (a slug that would collide gets `-2`, `-3`...), aliases
/// and file.
fn place(
    archive: &Archive,
    order: &[usize],
    (values, sections): (&[Values], &[Option<String>]),
    (permalink, slugs): (&Permalink, slug::Slugs),
    log: &mut Log,
) -> Vec<Placed> {
    let mut slots: Vec<Option<Placed>> = (0..archive.posts.len()).map(|_| None).collect();
    let mut taken_urls: HashSet<String> = HashSet::new();
    let mut taken_files: HashSet<PathBuf> = HashSet::new();
    for &i in order {
        let post = &archive.posts[i];
        let mut v = values[i].clone();
        let base = v.slug.clone();
        let mut n = 1;
        let mut url = v.expand(permalink);
        while taken_urls.contains(&url) {
            n += 1;
            v.slug = format!("{base}-{n}");
            url = v.expand(permalink);
        }
        if n > 1 {
            log.note(format!(
                "{}: slug `{base}` is another article's at this URL; it is `{}`",
                post.origin, v.slug
            ));
        }
        taken_urls.insert(url.clone());
        let dir = PathBuf::from("content")
            .join(format!("{:04}", v.year))
            .join(format!("{:02}", v.month));
        let mut name = v.slug.clone();
        let mut k = 1;
        let file = loop {
            let file = if post.files.is_empty() {
                dir.join(format!("{name}.md"))
            } else {
                dir.join(&name).join("index.md")
            };
            if taken_files.insert(file.clone()) {
                break file;
            }
            k += 1;
            name = format!("{}-{k}", v.slug);
        };
        let mut tags = post.tags.clone();
        let section = sections[i].clone();
        for c in &post.categories {
            let is_section = section.as_ref().is_some_and(|s| s.eq_ignore_ascii_case(c));
            if !is_section && !c.eq_ignore_ascii_case("uncategorized") {
                tags.push(c.clone());
            }
        }
        let mut seen = HashSet::new();
        tags.retain(|t| seen.insert(slugs.slug(t)));
        slots[i] = Some(Placed {
            values: v,
            url,
            aliases: Vec::new(),
            section,
            tags,
            file,
        });
    }
    let mut placed: Vec<Placed> = slots.into_iter().flatten().collect();
    let own: HashSet<String> = placed.iter().map(|p| p.url.clone()).collect();
    let mut taken_aliases: HashSet<String> = HashSet::new();
    for &i in order {
        let post = &archive.posts[i];
        for old in &post.urls {
            let Ok(alias) = crate::url::normalize_alias(&crate::url::percent_decode(old)) else {
                log.note(format!(
                    "{}: old URL `{old}` cannot be a file path; not kept",
                    post.origin
                ));
                continue;
            };
            if alias == placed[i].url {
                continue;
            }
            if own.contains(&alias) || !taken_aliases.insert(alias.clone()) {
                log.note(format!(
                    "{}: old URL `{alias}` is another article's now; not kept as an alias",
                    post.origin
                ));
                continue;
            }
            placed[i].aliases.push(alias);
        }
    }
    placed
}

fn link_index<'a>(archive: &'a Archive, placed: &[Placed]) -> Index<'a> {
    let mut keys = HashMap::new();
    let mut urls = HashMap::new();
    for (i, post) in archive.posts.iter().enumerate() {
        for key in &post.keys {
            keys.insert(key.clone(), i);
        }
        for url in post.urls.iter().chain(&placed[i].aliases) {
            urls.insert(crate::url::percent_decode(url), i);
        }
        urls.insert(placed[i].url.clone(), i);
    }
    let files = archive
        .static_files
        .iter()
        .map(|(_, to)| format!("/{}", to.to_string_lossy().replace('\\', "/")))
        .collect();
    let old_base = archive.site.base_url.as_deref();
    let old_path = old_base
        .and_then(|b| b.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    Index {
        keys,
        urls,
        files,
        old_base,
        old_path,
    }
}

/// The path from folder `from` to `to`, both relative to the site root.
fn relative(from: &Path, to: &Path) -> String {
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[derive(Serialize)]
struct FrontMatter<'a> {
    title: &'a str,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    authors: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<String>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<ImageOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    slug: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    draft: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    aliases: &'a [String],
}

#[derive(Serialize)]
struct ImageOut<'a> {
    src: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    alt: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit: Option<&'a str>,
}

fn front_matter(post: &Post, p: &Placed) -> Result<String, String> {
    let stamp = |z: &jiff::ZonedDateTime| {
        z.with_time_zone(post.date.time_zone().clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    };
    let (author, authors) = match post.authors.as_slice() {
        [one] => (Some(one.as_str()), &[][..]),
        many => (None, many),
    };
    let front = FrontMatter {
        title: &post.title,
        date: stamp(&post.date),
        updated: post.updated.as_ref().map(stamp),
        expires: post.expires.as_ref().map(stamp),
        author,
        authors,
        section: p.section.clone(),
        tags: &p.tags,
        image: post.image.as_ref().map(|i| ImageOut {
            src: &i.src,
            alt: i.alt.as_deref(),
            caption: i.caption.as_deref(),
            credit: i.credit.as_deref(),
        }),
        summary: post.summary.as_deref(),
        slug: &p.values.slug,
        draft: post.draft,
        aliases: &p.aliases,
    };
    yaml::to_string(&front).map_err(|e| format!("{}: {e}", post.origin))
}

#[derive(Serialize)]
struct ConfigOut<'a> {
    title: &'a str,
    base_url: &'a str,
    language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    timezone: &'a str,
    permalinks: PermalinksOut<'a>,
}

#[derive(Serialize)]
struct PermalinksOut<'a> {
    article: &'a str,
}

fn write_config(root: &Path, archive: &Archive, tz: &str, pattern: &str) -> Result<(), String> {
    let site = &archive.site;
    let config = ConfigOut {
        title: site.title.as_deref().unwrap_or("Imported archive"),
        base_url: site
            .base_url
            .as_deref()
            .unwrap_or("https://news.example.com/"),
        language: site.language.as_deref().unwrap_or("en"),
        description: site.description.as_deref(),
        timezone: tz,
        permalinks: PermalinksOut { article: pattern },
    };
    let text = toml::to_string(&config).map_err(|e| e.to_string())?;
    let text = format!(
        "# Written by `gazette import`; every key is described in docs/configuration.md.\n{text}"
    );
    create(&root.join(crate::config::CONFIG_FILE), text.as_bytes())
}

/// `data/authors.yaml` for the authors of published posts who have a
/// profile in the source.
fn write_profiles(root: &Path, archive: &Archive) -> Result<(), String> {
    let published: HashSet<&str> = archive
        .posts
        .iter()
        .filter(|p| !p.draft)
        .flat_map(|p| p.authors.iter().map(String::as_str))
        .collect();
    let profiles: BTreeMap<&String, &crate::site::profiles::Profile> = archive
        .profiles
        .iter()
        .filter(|(name, _)| published.contains(name.as_str()))
        .collect();
    if profiles.is_empty() {
        return Ok(());
    }
    let text = yaml::to_string(&profiles)?;
    create(
        &root.join(crate::site::profiles::PROFILES_FILE),
        text.as_bytes(),
    )
}

fn create(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_articles() {
        assert_eq!(
            relative(
                Path::new("content/2019/05"),
                Path::new("content/2020/01/x.md")
            ),
            "../../2020/01/x.md"
        );
        assert_eq!(
            relative(
                Path::new("content/2019/05"),
                Path::new("content/2019/05/y/index.md")
            ),
            "y/index.md"
        );
    }

    #[test]
    fn section_rules() {
        let cats = ["Uncategorized".to_string(), "World".into(), "Sport".into()];
        assert_eq!(section_of(&cats, &[]).as_deref(), Some("World"));
        assert_eq!(
            section_of(&cats, &["sport".into()]).as_deref(),
            Some("Sport")
        );
        assert_eq!(section_of(&cats, &["Arts".into()]), None);
    }
}
