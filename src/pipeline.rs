//! The build as one story: config, load, assemble, plan, render, publish.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::{self, Overrides};
use crate::content::{self, SourceCache};
use crate::diagnostics::{Diagnostic, Diagnostics, Failed};
use crate::output::{self, Changes, Sink, Staging};
use crate::plan::{self, Job, Output};
use crate::render::Renderer;
use crate::render::templates::Templates;
use crate::search;
use crate::site::{self, Publishing, Site};
use crate::theme::Theme;

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
            mode: Mode::Build,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// Told of progress while pages are written; `main` shows a bar.
pub trait Progress: Sync {
    fn start(&self, _total: usize) {}
    fn advance(&self) {}
    fn finish(&self) {}
}

impl Progress for () {}

#[derive(Debug, Clone)]
pub struct Summary {
    pub articles: usize,
    /// HTML pages rendered.
    pub pages: usize,
    /// Files in the output, pages included.
    pub files: usize,
    /// With [`Mode::Update`]: files written or removed.
    pub changed: usize,
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
    cache: Option<&SourceCache>,
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

fn run(
    options: &BuildOptions,
    progress: &dyn Progress,
    cache: Option<&SourceCache>,
    diags: &mut Diagnostics,
) -> Result<Summary, Failed> {
    let started = Instant::now();
    let output_dir = options.output_dir();
    if options.mode != Mode::Check {
        output::check_location(&options.root, &output_dir).map_err(|e| {
            diags.push(Diagnostic::error(&output_dir, e));
            Failed
        })?;
    }
    let overrides = Overrides {
        base_url: options.base_url.clone(),
    };
    let config = config::load(&options.root, &overrides, diags)?;
    // Theme, templates and content are checked independently, so that a run
    // reports the problems of all three.
    let theme = Theme::load(&config, diags);
    let templates = theme.as_ref().ok().map(|t| Templates::load(t, diags));
    let mut stages = Stages::new(started);
    let sources = content::load(&config, cache, diags);
    stages.mark("load");
    let theme = theme?;
    let templates = templates.ok_or(Failed)??;
    let publishing = Publishing {
        drafts: options.drafts,
        future: options.future,
        build_time: options.build_time,
    };
    let site = site::assemble(config, sources, &theme, &publishing, diags)?;
    stages.mark("assemble");
    let plan = plan::plan(&site, &theme, diags)?;
    stages.mark("plan");
    let renderer = Renderer::new(&site, templates, &plan.sitemap);
    let (files, changed) = match options.mode {
        Mode::Check => (
            render_all(
                &renderer,
                &plan.outputs,
                None,
                options.minify,
                progress,
                diags,
            ),
            0,
        ),
        Mode::Build => (
            publish(
                &site,
                &renderer,
                &plan.outputs,
                &output_dir,
                options,
                progress,
                diags,
            )?,
            0,
        ),
        Mode::Update => update(
            &renderer,
            &plan.outputs,
            &output_dir,
            options.minify,
            progress,
            diags,
        )?,
    };
    stages.mark(match options.mode {
        Mode::Check => "render",
        Mode::Build => "render, write, search, swap",
        Mode::Update => "render, write changes",
    });
    if diags.has_errors() {
        return Err(Failed);
    }
    Ok(Summary {
        stages: stages.done,
        articles: site.articles.len(),
        pages: plan
            .outputs
            .iter()
            .filter(|o| matches!(o.job, Job::Render(_)))
            .count(),
        files,
        changed,
        elapsed: started.elapsed(),
    })
}

fn io_failure(diags: &mut Diagnostics, path: &Path, what: &str, e: std::io::Error) -> Failed {
    diags.push(Diagnostic::error(path, format!("{what}: {e}")));
    Failed
}

/// Writes the site into a staging folder (pages in parallel, the search
/// index meanwhile on its own thread) and swaps it in if all went well.
/// Returns the number of files written.
fn publish(
    site: &Site,
    renderer: &Renderer<'_>,
    outputs: &[Output],
    output_dir: &Path,
    options: &BuildOptions,
    progress: &dyn Progress,
    diags: &mut Diagnostics,
) -> Result<usize, Failed> {
    let staging = Staging::create(output_dir)
        .map_err(|e| io_failure(diags, output_dir, "cannot create the staging folder", e))?;
    let (written, bundle) = std::thread::scope(|scope| {
        let search = scope.spawn(|| {
            if options.search {
                search::index(site)
            } else {
                Ok(Vec::new())
            }
        });
        let written = render_all(
            renderer,
            outputs,
            Some(&staging),
            options.minify,
            progress,
            diags,
        );
        let bundle = search
            .join()
            .unwrap_or_else(|_| Err("the search indexer stopped unexpectedly".into()));
        (written, bundle)
    });
    let bundle = bundle.map_err(|e| {
        diags.push(Diagnostic::error(crate::config::CONFIG_FILE, e));
        Failed
    })?;
    for (file, bytes) in &bundle {
        staging.write(file, bytes).map_err(|e| {
            io_failure(
                diags,
                output_dir,
                &format!("cannot write {}", file.display()),
                e,
            )
        })?;
    }
    if diags.has_errors() {
        return Err(Failed);
    }
    staging
        .commit()
        .map_err(|e| io_failure(diags, output_dir, "cannot replace the output folder", e))?;
    Ok(written + bundle.len())
}

/// Renders every page, then, if all went well, writes into the output in
/// place only the files whose bytes changed. Returns (files, changed).
fn update(
    renderer: &Renderer<'_>,
    outputs: &[Output],
    output_dir: &Path,
    minify: bool,
    progress: &dyn Progress,
    diags: &mut Diagnostics,
) -> Result<(usize, usize), Failed> {
    let changes = Changes::new(output_dir);
    let files = render_all(renderer, outputs, Some(&changes), minify, progress, diags);
    if diags.has_errors() {
        return Err(Failed);
    }
    let changed = changes
        .apply()
        .map_err(|e| io_failure(diags, output_dir, "cannot update the output folder", e))?;
    Ok((files, changed))
}

/// Renders (and, with a sink, writes) every output in parallel; problems go
/// into `diags`. Returns the number of outputs.
fn render_all(
    renderer: &Renderer<'_>,
    outputs: &[Output],
    sink: Option<&dyn Sink>,
    minify: bool,
    progress: &dyn Progress,
    diags: &mut Diagnostics,
) -> usize {
    progress.start(outputs.len());
    let problems: Vec<Diagnostic> = outputs
        .par_iter()
        .filter_map(|o| {
            let result = produce(renderer, sink, o, minify);
            progress.advance();
            result.err()
        })
        .collect();
    progress.finish();
    diags.extend(collapse_repeats(problems));
    outputs.len()
}

/// Makes one output file: renders (and minifies) a page or copies a file.
fn produce(
    renderer: &Renderer<'_>,
    sink: Option<&dyn Sink>,
    o: &Output,
    minify: bool,
) -> Result<(), Diagnostic> {
    let write_error = |e: std::io::Error| {
        Diagnostic::error(&o.origin, format!("cannot write {}: {e}", o.file.display()))
    };
    match &o.job {
        Job::Render(page) => {
            let html = renderer.render(page)?;
            let Some(sink) = sink else { return Ok(()) };
            let bytes = if minify && page.is_html() {
                output::minify(&html)
            } else {
                html
            };
            sink.write(&o.file, &bytes).map_err(write_error)
        }
        Job::Copy(source) => match sink {
            Some(sink) => sink.copy(&o.file, source).map_err(write_error),
            None => Ok(()),
        },
    }
}

/// One template bug breaks every page that uses it: report it once, with
/// the number of pages it broke.
fn collapse_repeats(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    problems.sort();
    let mut out: Vec<(Diagnostic, usize)> = Vec::new();
    for d in problems {
        let key = |d: &Diagnostic| {
            (
                d.path.clone(),
                d.line,
                d.col,
                d.message.split(" (rendering ").next().map(str::to_string),
            )
        };
        match out.last_mut() {
            Some((last, n)) if key(last) == key(&d) => *n += 1,
            _ => out.push((d, 1)),
        }
    }
    out.into_iter()
        .map(|(mut d, n)| {
            if n > 1 && d.message.ends_with(')') {
                d.message.pop();
                d.message.push_str(&format!(" and {} more)", n - 1));
            }
            d
        })
        .collect()
}
