//! `gazette import`: a new site from a WordPress export (WXR) or from a
//! Jekyll or Hugo site, with every old URL kept.
//!
//! Each reader ([`wordpress`], [`jekyll`], [`hugo`]) turns its source into
//! one [`Archive`]: the site's settings and a list of [`Post`]s, each with
//! the URLs it had. [`write`] lays the archive out as a gazette site,
//! choosing the article permalink that keeps most old URLs as they were and
//! writing the rest as aliases. Finally the new site is checked the way
//! `gazette check` does, so the report says what a build would.
//! [`text`] runs the readers' parsers on text in memory (for `fuzz/`).

mod html;
mod hugo;
mod jekyll;
mod links;
mod post;
mod sources;
pub mod text;
mod urls;
mod wordpress;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::tz::TimeZone;

pub use post::{Archive, LeadImage, Post, SiteInfo};

use crate::diagnostics::Diagnostic;

/// Where an archive comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    WordPress,
    Jekyll,
    Hugo,
}

/// What `gazette import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub kind: Kind,
    /// The WXR file, or the root folder of the Jekyll or Hugo site.
    pub source: PathBuf,
    /// The new site's folder: created, or empty.
    pub root: PathBuf,
    /// IANA time zone of the new site; else the source's (inferred from the
    /// post dates of a WordPress export).
    pub timezone: Option<String>,
    /// Categories that are sections, in order of preference; empty: a post's
    /// first category is its section.
    pub sections: Vec<String>,
    /// A copy of WordPress's `wp-content/uploads` folder: images found there
    /// are copied into `static/wp-content/uploads/`, keeping their URLs.
    pub uploads: Option<PathBuf>,
    /// Reference time of the check that ends the import.
    pub build_time: Timestamp,
}

/// What an import did: the figures, what it converted, what it left.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Articles written (drafts included).
    pub imported: usize,
    pub drafts: usize,
    /// Source entries not imported, and why.
    pub skipped: Vec<Skipped>,
    /// Conversions made, by kind (`"[caption] -> figure"`), with counts.
    pub converted: BTreeMap<String, usize>,
    /// Facts worth knowing: the permalink chosen, the time zone, ...
    pub notes: Vec<String>,
    /// Old URLs the articles now have as their own.
    pub urls_kept: usize,
    /// Old URLs that are aliases of the articles now.
    pub urls_aliased: usize,
    /// Static files copied.
    pub files: usize,
    /// What checking the new site found (paths relative to it): template
    /// code left in bodies, links that point nowhere.
    pub check: Vec<Diagnostic>,
}

/// A source entry that was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub origin: String,
    pub reason: String,
}

/// What the readers tell as they go: conversions, skips and notes.
#[derive(Debug, Default)]
pub struct Log {
    pub skipped: Vec<Skipped>,
    pub converted: BTreeMap<String, usize>,
    pub notes: Vec<String>,
}

impl Log {
    pub fn skip(&mut self, origin: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            origin: origin.into(),
            reason: reason.into(),
        });
    }

    pub fn converted(&mut self, what: &str, count: usize) {
        if count > 0 {
            *self.converted.entry(what.to_string()).or_default() += count;
        }
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }
}

/// Imports the archive into a new site. An `Err` is a reason the import
/// could not be done at all (an unreadable source, a non-empty folder);
/// problems with single entries are in the report.
pub fn import(options: &ImportOptions) -> Result<ImportReport, String> {
    refuse_non_empty(&options.root)?;
    let timezone = match &options.timezone {
        Some(name) => Some(
            TimeZone::get(name)
                .map_err(|_| format!("--timezone `{name}` is not an IANA time zone name"))?,
        ),
        None => None,
    };
    let mut log = Log::default();
    let archive = match options.kind {
        Kind::WordPress => wordpress::read(options, timezone.as_ref(), &mut log)?,
        Kind::Jekyll => jekyll::read(&options.source, timezone.as_ref(), &mut log)?,
        Kind::Hugo => hugo::read(&options.source, timezone.as_ref(), &mut log)?,
    };
    let written = write::write(&archive, options, &mut log)?;
    let check = check(&options.root, options.build_time);
    Ok(ImportReport {
        imported: written.articles,
        drafts: written.drafts,
        skipped: log.skipped,
        converted: log.converted,
        notes: log.notes,
        urls_kept: written.urls_kept,
        urls_aliased: written.urls_aliased,
        files: written.files,
        check: check
            .into_iter()
            .chain(written.problems)
            .collect::<Vec<_>>(),
    })
}

/// The new site checked as `gazette check --drafts` would (drafts too:
/// they were imported and will be published one day).
fn check(root: &Path, build_time: Timestamp) -> Vec<Diagnostic> {
    let mut options = crate::BuildOptions::new(root, build_time);
    options.mode = crate::Mode::Check;
    options.drafts = true;
    options.future = true;
    crate::build(&options, &()).diagnostics
}

fn refuse_non_empty(root: &Path) -> Result<(), String> {
    match std::fs::read_dir(root) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                Err(format!(
                    "{} is not empty; import into a new or empty folder",
                    root.display()
                ))
            } else {
                Ok(())
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot read {}: {e}", root.display())),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The readers' parsers take whatever a file holds without panicking.
        #[test]
        fn parsers_never_panic(text in any::<String>(), mix in "[<>\\[\\]{}%/*!\"=a-z #-]{0,80}") {
            for t in [text.as_str(), mix.as_str()] {
                let _ = super::wordpress::parse_export(t);
                let _ = super::wordpress::convert_body(t);
                let _ = super::jekyll::convert_liquid(t);
                let _ = super::hugo::parse_shortcode(t);
                let _ = super::sources::front_file(t);
                let _ = super::html::to_markdown(t);
                let _ = super::html::autop(t);
                let _ = super::links::rewrite(t, |_| super::links::Target::Missing, |_| String::new());
            }
        }
    }
}
