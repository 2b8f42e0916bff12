//! The build as one story: config, load, assemble, plan, render, publish
//! ([`run`]); the reuse of earlier builds' work is wired in [`cache`].

mod cache;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use jiff::Timestamp;

use crate::config::{self, Config, Overrides};
use crate::content::{self, Recall, Source};
use crate::diagnostics::{Diagnostic, Diagnostics, Failed};
use crate::output;
use crate::plan::{self, Job, Plan};
use crate::render::Renderer;
use crate::render::templates::Templates;
use crate::render::write::{self, Progress, Work};
use crate::reuse::SETTLING;
use crate::reuse::manifest::Manifest;
use crate::site::{self, Learned, Publishing, RecallBodies, Site};
use crate::theme::Theme;
pub use cache::Cache;
use cache::Stored;

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
    pub elapsed: Duration,
    /// Time of each stage, in order (for `--timings`).
    pub stages: Vec<(&'static str, Duration)>,
}

/// Stage timings: each mark closes the stage that began at the last one.
struct Stages {
    last: Instant,
    done: Vec<(&'static str, Duration)>,
}

impl Stages {
    fn new(started: Instant) -> Self {
        Stages {
            last: started,
            done: Vec::new(),
        }
    }

    fn mark(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.done.push((stage, now - self.last));
        self.last = now;
    }
}

/// What a run found and, if it succeeded, what it made.
#[derive(Debug)]
pub struct Report {
    /// Sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// `None` when the site has errors (nothing was written).
    pub summary: Option<Summary>,
}

/// Runs the whole pipeline once.
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Report {
    build_cached(options, progress, None)
}

/// Runs the pipeline, reusing the parsed articles of `cache` whose files
/// did not change since the last run.
pub fn build_cached(
    options: &BuildOptions,
    progress: &dyn Progress,
    cache: Option<&Cache>,
) -> Report {
    let mut diags = Diagnostics::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build();
    let result = match pool {
        Ok(pool) => pool.install(|| run(options, progress, cache, &mut diags)),
        Err(e) => {
            diags.push(Diagnostic::error(
                &options.root,
                format!("cannot start worker threads: {e}"),
            ));
            Err(Failed)
        }
    };
    Report {
        diagnostics: diags.into_sorted(),
        summary: result.ok(),
    }
}

/// The build, stage by stage.
fn run(
    options: &BuildOptions,
    progress: &dyn Progress,
    cache: Option<&Cache>,
    diags: &mut Diagnostics,
) -> Result<Summary, Failed> {
    let started = Instant::now();
    let output_dir = options.output_dir();
    check_output(options, &output_dir, diags)?;
    let overrides = Overrides {
        base_url: options.base_url.clone(),
    };
    let config = config::load(&options.root, &overrides, diags)?;
    let mut stages = Stages::new(started);
    // A file modified after this may have changed again unseen.
    let settled = SystemTime::now() - SETTLING;
    let (inputs, stored) = read_inputs(options, &config, cache, diags);
    let reuse = Reuse {
        cache,
        stored: &stored,
    };
    if let Some(cache) = cache {
        cache.start(&config, &inputs.files);
    }
    let sources = content::load(&config, &inputs.files, reuse.sources(), diags);
    stages.mark("load");
    let theme = inputs.theme?;
    let templates = inputs.templates.ok_or(Failed)??;
    let (site, learned) = assemble(options, config, sources, &theme, &reuse, diags)?;
    stages.mark("assemble");
    let manifest_file = Manifest::location(&options.root, &output_dir);
    let (plan, previous) = plan_and_recall(options, &site, &theme, &manifest_file, diags);
    let plan = plan?;
    stages.mark("plan");
    let renderer = Renderer::new(&site, templates, &plan.sitemap, options.minify);
    let work = Work {
        site: &site,
        output: &output_dir,
        renderer: &renderer,
        outputs: &plan.outputs,
        search: options.search,
        minify: options.minify,
        progress,
    };
    let written = write_site(options, &work, &manifest_file, previous, diags)?;
    stages.mark(written.stage);
    if diags.has_errors() {
        return Err(Failed);
    }
    if options.mode == Mode::Build && cache.is_none() {
        diags.extend(stored.save(&site, &learned, settled).err());
        stages.mark("save article cache");
    }
    let summary = summarize(&site, &plan, written, stored.reused(), stages, started);
    // Freeing an archive's worth of small allocations takes a while: it is
    // done on another thread, which a finishing process does not wait for.
    drop(renderer);
    let freed = std::thread::Builder::new().spawn(move || drop((site, plan, learned, stored)));
    drop(freed);
    Ok(summary)
}

/// Refuses an output folder that would overwrite the site.
fn check_output(
    options: &BuildOptions,
    output_dir: &Path,
    diags: &mut Diagnostics,
) -> Result<(), Failed> {
    if options.mode == Mode::Check {
        return Ok(());
    }
    output::check_location(&options.root, output_dir).map_err(|e| {
        diags.push(Diagnostic::error(output_dir, e));
        Failed
    })
}

/// Theme, templates and the content files, read on one side.
struct Inputs {
    theme: Result<Theme, Failed>,
    templates: Option<Result<Templates, Failed>>,
    files: Vec<PathBuf>,
}

/// Reads theme, templates and the list of content files (each checked
/// on its own, so that a run reports the problems of all three) while the
/// article store is read (`serve` keeps what it needs in memory; a clean
/// build starts a fresh store).
fn read_inputs(
    options: &BuildOptions,
    config: &Config,
    cache: Option<&Cache>,
    diags: &mut Diagnostics,
) -> (Inputs, Stored) {
    rayon::join(
        || {
            let theme = Theme::load(config, diags);
            let templates = theme.as_ref().ok().map(|t| Templates::load(t, diags));
            let files = content::walk(config, diags);
            Inputs {
                theme,
                templates,
                files,
            }
        },
        || Stored::load(config, !options.incremental || cache.is_some()),
    )
}

/// Where the stages' questions of reuse are answered: `serve`'s memory,
/// else the article store.
struct Reuse<'a> {
    cache: Option<&'a Cache>,
    stored: &'a Stored,
}

impl Reuse<'_> {
    fn sources(&self) -> &dyn Recall {
        match self.cache {
            Some(cache) => cache,
            None => self.stored,
        }
    }

    fn bodies(&self) -> &dyn RecallBodies {
        match self.cache {
            Some(cache) => cache,
            None => self.stored,
        }
    }
}

fn assemble(
    options: &BuildOptions,
    config: Config,
    sources: Vec<Source>,
    theme: &Theme,
    reuse: &Reuse<'_>,
    diags: &mut Diagnostics,
) -> Result<(Site, Learned), Failed> {
    let publishing = Publishing {
        drafts: options.drafts,
        future: options.future,
        build_time: options.build_time,
    };
    // Search records and full-content feeds read every body; `serve`
    // keeps them for its next rebuild.
    let keep_bodies = (options.search && options.mode != Mode::Check)
        || config.feed_full_content
        || reuse.cache.is_some();
    let inputs = site::Inputs {
        theme,
        publishing: &publishing,
        bodies: reuse.bodies(),
        keep_bodies,
    };
    let assembled = site::assemble(config, sources, &inputs, diags)?;
    if let Some(cache) = reuse.cache {
        cache.keep_bodies_of(&assembled.0);
    }
    Ok(assembled)
}

/// Plans the site while the last build's manifest is read.
fn plan_and_recall(
    options: &BuildOptions,
    site: &Site,
    theme: &Theme,
    manifest_file: &Path,
    diags: &mut Diagnostics,
) -> (Result<Plan, Failed>, Option<Manifest>) {
    let output_dir = options.output_dir();
    rayon::join(
        || plan::plan(site, theme, diags),
        || match options.mode {
            Mode::Check => None,
            Mode::Build if !options.incremental || !output_dir.is_dir() => None,
            Mode::Build | Mode::Update => Manifest::load(manifest_file),
        },
    )
}

/// What writing the site did.
struct Written {
    files: usize,
    in_place: bool,
    changed: usize,
    stage: &'static str,
}

/// Renders every output and publishes it: into a staging folder swapped
/// in, or in place from the last manifest; `check` writes nothing.
fn write_site(
    options: &BuildOptions,
    work: &Work<'_>,
    manifest_file: &Path,
    previous: Option<Manifest>,
    diags: &mut Diagnostics,
) -> Result<Written, Failed> {
    let in_place = options.mode == Mode::Update || previous.is_some();
    let fill = Box::new(|sink: &dyn write::Sink, diags: &mut Diagnostics| {
        write::write_all(work, sink, diags)
    });
    let (files, changed, stage) = match options.mode {
        Mode::Check => {
            write::check_all(work, diags);
            (work.outputs.len(), 0, "render")
        }
        _ if in_place => {
            let (files, changed) =
                output::update(work.output, manifest_file, previous, fill, diags)?;
            (files, changed, "render, write changes")
        }
        _ => {
            let files = output::publish(work.output, manifest_file, fill, diags)?;
            (files, 0, "render, write, search, swap")
        }
    };
    Ok(Written {
        files,
        in_place,
        changed,
        stage,
    })
}

fn summarize(
    site: &Site,
    plan: &Plan,
    written: Written,
    reused: usize,
    stages: Stages,
    started: Instant,
) -> Summary {
    Summary {
        stages: stages.done,
        articles: site.articles.len(),
        pages: plan
            .outputs
            .iter()
            .filter(|o| matches!(o.job, Job::Render(_)))
            .count(),
        files: written.files,
        in_place: written.in_place,
        changed: written.changed,
        reused,
        elapsed: started.elapsed(),
    }
}
