//! What a build is asked to do ([`BuildOptions`]) and what it tells
//! ([`Report`], [`Summary`]).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::diagnostics::Diagnostic;

/// How a run treats the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write everything into a staging folder, then swap it in.
    Build,
    /// Render everything, write nothing.
    Check,
    /// Update the output in place, writing only the files whose bytes
    /// changed (for `serve`).
    Update,
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `ROOT/public`.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub future: bool,
    pub base_url: Option<String>,
    pub minify: bool,
    /// Worker threads; default: one per core.
    pub jobs: Option<usize>,
    /// Articles dated after this are unpublished (unless `future`).
    pub build_time: Timestamp,
    /// Build the full-text search index (on by default).
    pub search: bool,
    /// With [`Mode::Build`]: update the output in place from the last
    /// build's manifest when there is one (on by default; `--clean` is a
    /// full build).
    pub incremental: bool,
    pub mode: Mode,
    /// The output folder holds what the last build of this process left
    /// there, and nothing else writes it (`serve`'s, after its first
    /// build): its files are not checked on disk before they are kept.
    pub trust_output: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>, build_time: Timestamp) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            future: false,
            base_url: None,
            minify: true,
            jobs: None,
            build_time,
            search: true,
            incremental: true,
            trust_output: false,
            mode: Mode::Build,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub articles: usize,
    /// HTML pages rendered.
    pub pages: usize,
    /// Files in the output, pages included.
    pub files: usize,
    /// Whether the output was updated in place (serve, incremental build).
    pub in_place: bool,
    /// When updated in place: files written or removed.
    pub changed: usize,
    /// Articles taken from the article cache (front matter and body
    /// digest) rather than parsed and rendered.
    pub reused: usize,
    /// Pieces of other generators' template code left in article bodies
    /// (each also a warning).
    pub template_code: usize,
    /// What the renditions cache did: images read, decoded, renditions
    /// made and reused.
    pub images: crate::images::Stats,
    pub elapsed: Duration,
    /// Time of each stage, in order (for `--timings`).
    pub stages: Vec<(&'static str, Duration)>,
}

/// What a run found and, if it succeeded, what it made.
#[derive(Debug)]
pub struct Report {
    /// Sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// `None` when the site has errors (nothing was written).
    pub summary: Option<Summary>,
}

/// Stage timings: each mark closes the stage that began at the last one.
pub(super) struct Stages {
    started: Instant,
    last: Instant,
    pub(super) done: Vec<(&'static str, Duration)>,
}

impl Stages {
    pub(super) fn new(started: Instant) -> Self {
        Stages {
            started,
            last: started,
            done: Vec::new(),
        }
    }

    pub(super) fn mark(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.done.push((stage, now - self.last));
        self.last = now;
    }

    /// Time since the run started.
    pub(super) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}
