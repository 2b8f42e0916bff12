//! Stage 3, plan: the list of every file the site consists of, with the
//! job that produces it. Two jobs on one file is an error naming both.
//!
//! Reads the `Site` and `Theme`; returns [`Output`]s sorted by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics, Failed};
use crate::site::Site;
use crate::site::indices::{Kind, ListId, page_path};
use crate::theme::{FileSource, Theme};
use crate::url::output_file;

/// A page rendered through a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// The article with this id.
    Article(usize),
    /// A redirect from an old URL to the article with this id.
    Alias(usize),
    /// Page N (1-based) of a list of articles.
    List(ListId, usize),
    /// Every term of a taxonomy, with counts (`/tags/`).
    Terms(Kind),
    /// Every year and month, with counts (`/archive/`).
    Archive,
}

#[derive(Debug, Clone)]
pub enum Job {
    Render(Page),
    Copy(FileSource),
}

/// One file of the output: where it goes and how it is made.
#[derive(Debug, Clone)]
pub struct Output {
    /// Path relative to the output folder.
    pub file: PathBuf,
    pub job: Job,
    /// The input responsible for it, for messages.
    pub origin: PathBuf,
}

pub fn plan(site: &Site, theme: &Theme, diags: &mut Diagnostics) -> Result<Vec<Output>, Failed> {
    let mut files: BTreeMap<PathBuf, Output> = BTreeMap::new();
    let mut add = |site_path: &str, job: Job, origin: &Path, diags: &mut Diagnostics| {
        let Some(file) = output_file(site_path) else {
            diags.push(Diagnostic::error(
                origin,
                format!("`{site_path}` is not a path inside the site"),
            ));
            return;
        };
        if let Some(existing) = files.get(&file) {
            diags.push(Diagnostic::error(
                origin,
                format!(
                    "{} would be written twice: also by {}",
                    file.display(),
                    existing.origin.display()
                ),
            ));
            return;
        }
        files.insert(
            file.clone(),
            Output {
                file,
                job,
                origin: origin.to_path_buf(),
            },
        );
    };
    for (id, a) in site.articles.iter().enumerate() {
        add(&a.path, Job::Render(Page::Article(id)), &a.source, diags);
        for (source, name) in &a.assets {
            let from = FileSource::Disk(site.config.root.join(source));
            add(&format!("{}{name}", a.path), Job::Copy(from), source, diags);
        }
        for alias in &a.meta.aliases {
            add(alias, Job::Render(Page::Alias(id)), &a.source, diags);
        }
    }
    let config_file = Path::new(crate::config::CONFIG_FILE);
    for list in site.lists() {
        let path = site.list_path(list);
        for n in 1..=site.page_count(list) {
            add(
                &page_path(&path, n),
                Job::Render(Page::List(list, n)),
                config_file,
                diags,
            );
        }
    }
    for kind in [Kind::Tag, Kind::Author, Kind::Section] {
        if !site.taxonomy(kind).terms.is_empty() {
            add(
                &format!("/{}/", kind.folder()),
                Job::Render(Page::Terms(kind)),
                config_file,
                diags,
            );
        }
    }
    if !site.articles.is_empty() {
        add("/archive/", Job::Render(Page::Archive), config_file, diags);
    }
    for (site_path, (source, origin)) in &theme.statics {
        add(site_path, Job::Copy(source.clone()), origin, diags);
    }
    if diags.has_errors() {
        return Err(Failed);
    }
    Ok(files.into_values().collect())
}
