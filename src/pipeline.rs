//! The build as one story: config, load, assemble, plan, render, publish.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rayon::prelude::*;

use crate::article_cache::{self, ArticleCache};
use crate::config::{self, Overrides};
use crate::content::{self, Reuse, SourceCache};

/// What `serve` keeps from one build to the next: parsed files and
/// rendered bodies, each reused only while its inputs are unchanged.
#[derive(Debug, Default)]
pub struct Cache {
    sources: SourceCache,
    bodies: BodyCache,
}
use crate::diagnostics::{Diagnostic, Diagnostics, Failed};
use crate::manifest::{self, Fingerprint, Manifest, Record};
use crate::output::{self, Changes, Sink, Staging};
use crate::plan::{self, Job, Output};
use crate::render::Renderer;
use crate::render::templates::Templates;
use crate::search;
use crate::site::bodies::BodyCache;
use crate::site::{self, Publishing, Site};
use crate::theme::{FileSource, Theme};

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

fn run(
    options: &BuildOptions,
    progress: &dyn Progress,
    cache: Option<&Cache>,
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
    let mut stages = Stages::new(started);
    // A file modified after this may have changed again unseen.
    let settled = std::time::SystemTime::now() - article_cache::SETTLING;
    // Theme, templates and content are checked independently, so that a run
    // reports the problems of all three. Meanwhile the article cache is
    // read: `serve` keeps what it needs in memory; a clean build trusts
    // nothing, but starts a fresh cache.
    let ((theme, templates, files), stored) = rayon::join(
        || {
            let theme = Theme::load(&config, diags);
            let templates = theme.as_ref().ok().map(|t| Templates::load(t, diags));
            (theme, templates, content::walk(&config, diags))
        },
        || {
            cache.is_none().then(|| match options.incremental {
                true => ArticleCache::load(&options.root, &config.timezone_name),
                false => ArticleCache::default(),
            })
        },
    );
    let reuse = match (cache, &stored) {
        (Some(cache), _) => Reuse::Memory(&cache.sources),
        (None, Some(stored)) => Reuse::Stored(stored),
        (None, None) => Reuse::Nothing,
    };
    let sources = content::load(&config, &files, reuse, diags);
    stages.mark("load");
    let theme = theme?;
    let templates = templates.ok_or(Failed)??;
    let publishing = Publishing {
        drafts: options.drafts,
        future: options.future,
        build_time: options.build_time,
    };
    let inputs = site::Inputs {
        theme: &theme,
        publishing: &publishing,
        bodies: cache.map(|c| &c.bodies),
        stored: stored.as_ref(),
        // Search records and full-content feeds read every body; `serve`
        // keeps them for its next rebuild.
        keep_bodies: (options.search && options.mode != Mode::Check)
            || config.feed_full_content
            || cache.is_some(),
    };
    let site = site::assemble(config, sources, &inputs, diags)?;
    if let Some(cache) = cache {
        let kept: std::collections::HashSet<&Path> =
            site.articles.iter().map(|a| a.source.as_path()).collect();
        cache.bodies.retain(|p| kept.contains(p));
    }
    stages.mark("assemble");
    // The last build's manifest is read while the site is planned.
    let manifest_file = Manifest::location(&options.root, &output_dir);
    let (plan, previous) = rayon::join(
        || plan::plan(&site, &theme, diags),
        || match options.mode {
            Mode::Check => None,
            Mode::Build if !options.incremental || !output_dir.is_dir() => None,
            Mode::Build | Mode::Update => Manifest::load(&manifest_file),
        },
    );
    let plan = plan?;
    stages.mark("plan");
    let renderer = Renderer::new(&site, templates, &plan.sitemap, options.minify);
    let in_place = options.mode == Mode::Update || previous.is_some();
    let write = Write {
        site: &site,
        renderer: &renderer,
        outputs: &plan.outputs,
        options,
        progress,
    };
    let (files, changed) = match options.mode {
        Mode::Check => (render_all(&write, None, diags), 0),
        _ if in_place => update(&write, &output_dir, &manifest_file, previous, diags)?,
        _ => (publish(&write, &output_dir, &manifest_file, diags)?, 0),
    };
    stages.mark(match options.mode {
        Mode::Check => "render",
        _ if in_place => "render, write changes",
        _ => "render, write, search, swap",
    });
    if diags.has_errors() {
        return Err(Failed);
    }
    let stored = stored.unwrap_or_default();
    if options.mode == Mode::Build && cache.is_none() {
        let saved = stored.save(&options.root, &site, settled);
        if let Err(e) = saved {
            diags.push(Diagnostic::warning(
                ArticleCache::location(&options.root),
                format!(
                    "cannot save the article cache (the next build will read every article): {e}"
                ),
            ));
        }
        stages.mark("save article cache");
    }
    let summary = Summary {
        stages: stages.done,
        articles: site.articles.len(),
        pages: plan
            .outputs
            .iter()
            .filter(|o| matches!(o.job, Job::Render(_)))
            .count(),
        files,
        in_place,
        changed,
        reused: stored.reused(),
        elapsed: started.elapsed(),
    };
    // Freeing an archive's worth of small allocations takes a while: it is
    // done on another thread, which a finishing process does not wait for.
    drop(renderer);
    let freed = std::thread::Builder::new().spawn(move || drop((site, plan, stored)));
    drop(freed);
    Ok(summary)
}

fn io_failure(diags: &mut Diagnostics, path: &Path, what: &str, e: std::io::Error) -> Failed {
    diags.push(Diagnostic::error(path, format!("{what}: {e}")));
    Failed
}

/// What writing the site needs, whatever the sink.
struct Write<'a> {
    site: &'a Site,
    renderer: &'a Renderer<'a>,
    outputs: &'a [Output],
    options: &'a BuildOptions,
    progress: &'a dyn Progress,
}

/// Writes the whole site into a staging folder and swaps it in if all went
/// well. Returns the number of files written.
fn publish(
    write: &Write<'_>,
    output_dir: &Path,
    manifest_file: &Path,
    diags: &mut Diagnostics,
) -> Result<usize, Failed> {
    let staging = Staging::create(output_dir)
        .map_err(|e| io_failure(diags, output_dir, "cannot create the staging folder", e))?;
    let files = write_all(write, &staging, diags)?;
    // The old manifest describes the old output: it goes before the swap.
    forget(manifest_file, diags)?;
    let records = staging
        .commit()
        .map_err(|e| io_failure(diags, output_dir, "cannot replace the output folder", e))?;
    remember(&records, manifest_file, diags);
    Ok(files)
}

/// Updates the output in place: makes only the files whose inputs changed
/// since the `previous` manifest (or, without one, compares every file
/// with the output) and, if all went well, moves them into place. Returns
/// (files, files changed).
fn update(
    write: &Write<'_>,
    output_dir: &Path,
    manifest_file: &Path,
    previous: Option<Manifest>,
    diags: &mut Diagnostics,
) -> Result<(usize, usize), Failed> {
    std::fs::create_dir_all(output_dir)
        .map_err(|e| io_failure(diags, output_dir, "cannot create the output folder", e))?;
    let changes = Changes::new(output_dir, previous);
    let files = write_all(write, &changes, diags)?;
    if changes.is_empty() {
        // Every file kept, none to remove: output and manifest stand.
        return Ok((files, 0));
    }
    // Changed in place, the output no longer matches the manifest until
    // the new one is saved: a build stopped in between starts afresh.
    forget(manifest_file, diags)?;
    let (changed, records) = changes
        .apply()
        .map_err(|e| io_failure(diags, output_dir, "cannot update the output folder", e))?;
    remember(&records, manifest_file, diags);
    Ok((files, changed))
}

fn forget(manifest_file: &Path, diags: &mut Diagnostics) -> Result<(), Failed> {
    match std::fs::remove_file(manifest_file) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_failure(
            diags,
            manifest_file,
            "cannot remove the build manifest",
            e,
        )),
        _ => Ok(()),
    }
}

/// Saves the manifest; if that fails the next build is a full one, so a
/// warning is enough.
fn remember(records: &[(PathBuf, Record)], manifest_file: &Path, diags: &mut Diagnostics) {
    if let Err(e) = Manifest::save(records, manifest_file) {
        diags.push(Diagnostic::warning(
            manifest_file,
            format!("cannot save the build manifest (the next build will be a full one): {e}"),
        ));
    }
}

/// Renders the pages into the sink in parallel while, on its own thread,
/// the search index is built (unless the sink still has the one made from
/// the same articles), then writes the index. Returns the number of files.
fn write_all(write: &Write<'_>, sink: &dyn Sink, diags: &mut Diagnostics) -> Result<usize, Failed> {
    let (pages, bundle) = std::thread::scope(|scope| {
        let search = scope.spawn(|| -> Result<SearchFiles, String> {
            if !write.options.search {
                return Ok(SearchFiles::default());
            }
            let fingerprint = search::fingerprint(write.site);
            if let Some(kept) = sink.keep_folder(Path::new(search::BUNDLE_DIR), fingerprint) {
                return Ok(SearchFiles {
                    kept,
                    ..SearchFiles::default()
                });
            }
            Ok(SearchFiles {
                kept: 0,
                fingerprint,
                files: search::index(write.site)?,
            })
        });
        let pages = render_all(write, Some(sink), diags);
        let bundle = search
            .join()
            .unwrap_or_else(|_| Err("the search indexer stopped unexpectedly".into()));
        (pages, bundle)
    });
    let bundle = bundle.map_err(|e| {
        diags.push(Diagnostic::error(crate::config::CONFIG_FILE, e));
        Failed
    })?;
    for (file, bytes) in &bundle.files {
        sink.write(file, bundle.fingerprint, bytes).map_err(|e| {
            io_failure(
                diags,
                &write.options.output_dir(),
                &format!("cannot write {}", file.display()),
                e,
            )
        })?;
    }
    if diags.has_errors() {
        return Err(Failed);
    }
    Ok(pages + bundle.kept + bundle.files.len())
}

/// The search bundle: files kept from the last build, or made anew.
#[derive(Default)]
struct SearchFiles {
    kept: usize,
    fingerprint: u64,
    files: Vec<(PathBuf, Vec<u8>)>,
}

/// Renders (and, with a sink, writes) every output in parallel; problems go
/// into `diags`. Returns the number of outputs.
fn render_all(write: &Write<'_>, sink: Option<&dyn Sink>, diags: &mut Diagnostics) -> usize {
    let progress = write.progress;
    progress.start(write.outputs.len());
    let problems: Vec<Diagnostic> = write
        .outputs
        .par_iter()
        .filter_map(|o| {
            let result = produce(write.renderer, sink, o, write.options.minify);
            progress.advance();
            result.err()
        })
        .collect();
    progress.finish();
    diags.extend(collapse_repeats(problems));
    write.outputs.len()
}

/// Makes one output file, unless the sink still has it from the same
/// inputs: renders (and minifies) a page, or copies a file.
fn produce(
    renderer: &Renderer<'_>,
    sink: Option<&dyn Sink>,
    o: &Output,
    minify: bool,
) -> Result<(), Diagnostic> {
    let write_error = |e: std::io::Error| {
        Diagnostic::error(&o.origin, format!("cannot write {}: {e}", o.file.display()))
    };
    let Some(sink) = sink else {
        // Checking: render, write nothing.
        if let Job::Render(page) = &o.job {
            renderer.render(page)?;
        }
        return Ok(());
    };
    match &o.job {
        Job::Render(page) => {
            let prepared = renderer.prepare(page)?;
            let fingerprint = prepared.fingerprint;
            if fingerprint.is_some_and(|f| sink.keep(&o.file, f)) {
                return Ok(());
            }
            let html = renderer.finish(page, prepared)?;
            let bytes = if minify && page.is_html() {
                output::minify(&html)
            } else {
                html
            };
            sink.write(&o.file, fingerprint.unwrap_or_default(), &bytes)
                .map_err(write_error)
        }
        Job::Copy(source) => {
            let fingerprint = copy_fingerprint(source);
            if sink.keep(&o.file, fingerprint) {
                return Ok(());
            }
            sink.copy(&o.file, fingerprint, source).map_err(write_error)
        }
    }
}

/// A copied file's fingerprint: its bytes when built in, else its path,
/// size and modification time.
fn copy_fingerprint(source: &FileSource) -> u64 {
    let mut f = Fingerprint::default();
    match source {
        FileSource::Builtin(bytes) => f.add_bytes(bytes),
        FileSource::Disk(path) => f.add(path).add(manifest::stamp(path).ok()),
    };
    f.finish().unwrap_or_default()
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
