//! `gazette new` (an article file with its front matter filled in) and
//! `gazette init` (a new site that builds at once).

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::Serialize;

use crate::config::{self, CONFIG_FILE, Overrides};
use crate::content::yaml;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// What `gazette new` was asked for.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub title: String,
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub author: Option<String>,
}

#[derive(Serialize)]
struct FrontMatter<'a> {
    title: &'a str,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
}

/// Writes `content/YYYY/MM/<slug>.md` (date: `now` in the site time zone)
/// and returns its path relative to the root. Never overwrites a file.
pub fn new_article(
    root: &Path,
    article: &NewArticle,
    now: Timestamp,
) -> Result<PathBuf, Vec<Diagnostic>> {
    let mut diags = Diagnostics::default();
    let Ok(config) = config::load(root, &Overrides::default(), &mut diags) else {
        return Err(diags.into_sorted());
    };
    let fail = |message: String| vec![Diagnostic::error(PathBuf::from("content"), message)];
    let title = article.title.trim();
    let slug = config.slugs.slug(title);
    if slug.is_empty() {
        return Err(fail(format!(
            "the headline `{title}` has no letters or digits to make a file name from"
        )));
    }
    let date = now.to_zoned_datetime(config.timezone.clone());
    let rel = PathBuf::from("content")
        .join(format!("{:04}", date.year()))
        .join(format!("{:02}", date.month()))
        .join(format!("{slug}.md"));
    let front = FrontMatter {
        title,
        date: date.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        author: article.author.as_deref(),
        section: article.section.as_deref(),
        tags: &article.tags,
    };
    let yaml = yaml::to_string(&front).map_err(fail)?;
    let text = format!(
        "---\n{yaml}---\nWrite the article here. The first paragraph is the summary unless `summary` is set.\n"
    );
    let path = root.join(&rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
    }
    // `create_new` refuses to replace an existing file, even in a race.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    match file {
        Ok(mut file) => {
            std::io::Write::write_all(&mut file, text.as_bytes())
                .map_err(|e| fail(format!("cannot write {}: {e}", rel.display())))?;
            Ok(rel)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(vec![Diagnostic::error(
            &rel,
            "already exists; not overwritten (choose another headline, or edit it)",
        )]),
        Err(e) => Err(fail(format!("cannot write {}: {e}", rel.display()))),
    }
}

const INIT_CONFIG: &str = r#"# gazette site configuration. Every key is optional; see docs/configuration.md.

# The site's name: masthead, page titles, feeds, structured data.
title = "My Newsroom"
# The public address of the site: canonical links, feeds and sitemaps use it.
base_url = "https://news.example.com/"
language = "en"
description = "News from our town."
# The built-in theme; put a theme of your own in themes/NAME/.
theme = "broadsheet"
# IANA time zone: decides which day, month and year page an article is on.
timezone = "UTC"
# Articles per page on the home page and every list.
per_page = 20

[permalinks]
# Tokens: :year :month :day :slug :section
article = "/:year/:month/:day/:slug/"

[markdown]
# false shows HTML written in articles as text.
raw_html = true

[feeds]
limit = 50
full_content = false

[extra]
# Free-form values for templates (site.extra), such as a tagline.
tagline = "Independent local news"
"#;

const INIT_GITIGNORE: &str = "/public/\n/.public.*\n/.gazette/\n";

/// Creates a new site in `dir` (which must be absent or empty) and returns
/// the files written, relative to `dir`.
pub fn init(dir: &Path, now: Timestamp) -> Result<Vec<PathBuf>, String> {
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if entries.next().is_some() {
            return Err(format!(
                "{} is not empty; `gazette init` only fills an empty or new folder",
                dir.display()
            ));
        }
    }
    let date = now.to_zoned_datetime(jiff::tz::TimeZone::UTC);
    let article_dir = PathBuf::from("content")
        .join(format!("{:04}", date.year()))
        .join(format!("{:02}", date.month()));
    let article = format!(
        "---\ntitle: \"Welcome to your new site\"\ndate: {}\nauthor: The Editors\nsection: News\ntags: [Announcements]\nsummary: \"This site is built with gazette.\"\n---\nThis is the first article. Every Markdown file under `content/` is an article:\nadd one with `gazette new \"Headline\"`, preview with `gazette serve`, and\npublish the `public/` folder that `gazette build` writes.\n\n## What an article can say\n\nIts front matter sets the headline, date, authors, section, tags, an image\nwith caption and credit, and more: see the gazette documentation.\n",
        date.strftime("%Y-%m-%dT%H:%M:%SZ")
    );
    let files = [
        (PathBuf::from(CONFIG_FILE), INIT_CONFIG.to_string()),
        (PathBuf::from(".gitignore"), INIT_GITIGNORE.to_string()),
        (article_dir.join("welcome.md"), article),
    ];
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(files.into_iter().map(|(rel, _)| rel).collect())
}
