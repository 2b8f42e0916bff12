//! What assembling learned of each loaded file that pages do not need but
//! the next build can use: its stamp and front matter warnings, what its
//! body's rendering depended on, and the files that were not published.
//! Handed out as plain [`FileRecord`]s; the pipeline decides what to keep.

use std::path::{Path, PathBuf};

use super::Site;
use crate::content::Source;
use crate::content::asked::Question;
use crate::content::frontmatter::SharedMeta;
use crate::content::terms::Held;
use crate::diagnostics::Diagnostic;
use crate::reuse::Stamp;

/// What was learned of one published article.
#[derive(Debug)]
pub(super) struct Note {
    pub stamp: Option<Stamp>,
    pub warnings: Vec<Diagnostic>,
    pub digest: Digest,
}

/// What a body's HTML depended on.
#[derive(Debug)]
pub(super) struct Digest {
    pub key: u64,
    pub asked: Vec<Question>,
    /// The body's own local files (not the lead image).
    pub assets: Vec<(PathBuf, String)>,
    /// Template code of other generators left in it.
    pub template_code: Vec<(usize, usize, String)>,
}

/// What was learned of every loaded file, beside the [`Site`].
#[derive(Debug, Default)]
pub struct Learned {
    /// By article id.
    notes: Vec<Note>,
    /// Drafts and articles dated in the future.
    unpublished: Vec<Source>,
}

/// One loaded file as the next build may reuse it.
#[derive(Debug, Clone, Copy)]
pub struct FileRecord<'a> {
    pub path: &'a Path,
    pub stamp: Option<Stamp>,
    pub meta: &'a SharedMeta,
    pub body_hash: u64,
    pub body_line: usize,
    pub warnings: &'a [Diagnostic],
    /// What rendering its body taught (published articles only).
    pub body: Option<BodyRecord<'a>>,
}

/// What rendering a body taught, apart from the HTML itself.
#[derive(Debug, Clone, Copy)]
pub struct BodyRecord<'a> {
    /// Fingerprint of the body's own inputs.
    pub key: u64,
    pub asked: &'a [Question],
    pub assets: &'a [(PathBuf, String)],
    pub template_code: &'a [(usize, usize, String)],
    pub html_hash: u64,
    pub word_count: usize,
    /// The first paragraph as plain text, when it is the summary.
    pub first_paragraph: Option<&'a str>,
    /// Its words, when counted for the search index (read through
    /// [`Site::read_terms`]).
    pub terms: Option<&'a Held>,
}

impl Learned {
    pub(super) fn new(notes: Vec<Note>, unpublished: Vec<Source>) -> Self {
        Learned { notes, unpublished }
    }

    /// How many pieces of template code the published bodies hold.
    pub fn template_code(&self) -> usize {
        self.notes
            .iter()
            .map(|n| n.digest.template_code.len())
            .sum()
    }

    /// A record of every loaded file: the site's articles, then the
    /// unpublished files.
    pub fn records<'a>(&'a self, site: &'a Site) -> Vec<FileRecord<'a>> {
        let published = site
            .articles
            .iter()
            .zip(&self.notes)
            .map(|(a, n)| FileRecord {
                path: &a.source,
                stamp: n.stamp,
                meta: &a.meta,
                body_hash: a.body_hash,
                body_line: a.body_line,
                warnings: &n.warnings,
                body: Some(BodyRecord {
                    key: n.digest.key,
                    asked: &n.digest.asked,
                    assets: &n.digest.assets,
                    template_code: &n.digest.template_code,
                    html_hash: a.html_hash,
                    word_count: a.word_count,
                    first_paragraph: a.meta.summary.is_none().then_some(&*a.first_paragraph),
                    terms: a.terms.as_ref(),
                }),
            });
        let unpublished = self.unpublished.iter().map(|s| FileRecord {
            path: &s.path,
            stamp: s.stamp,
            meta: &s.meta,
            body_hash: s.body_hash,
            body_line: s.body_line,
            warnings: &s.warnings,
            body: None,
        });
        published.chain(unpublished).collect()
    }
}
