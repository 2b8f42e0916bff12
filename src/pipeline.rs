//! The build as one story: config, load, assemble, plan, render, publish.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rayon::prelude::*;

use crate::config::{self, Overrides};
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, Failed};
use crate::output::{self, Staging};
use crate::plan::{self, Job, Output};
use crate::render::Renderer;
use crate::render::templates::Templates;
use crate::site::{self, Publishing};
use crate::theme::Theme;

/// Write the site (`build`) or only validate it (`check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Build,
    Check,
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
    pub elapsed: Duration,
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
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build();
    let result = match pool {
        Ok(pool) => pool.install(|| run(options, progress, &mut diags)),
        Err(e) => {
            diags.push(Diagnostic::error(
                &options.root,
                format!("cannot start worker threads: {e}"),
            ));
            Err(Failed)
        }
    };
    let summary = result.ok().map(|(articles, pages, files)| Summary {
        articles,
        pages,
        files,
        elapsed: started.elapsed(),
    });
    Report {
        diagnostics: diags.into_sorted(),
        summary,
    }
}

fn run(
    options: &BuildOptions,
    progress: &dyn Progress,
    diags: &mut Diagnostics,
) -> Result<(usize, usize, usize), Failed> {
    let output_dir = options.output_dir();
    if options.mode == Mode::Build {
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
    let sources = content::load(&config, diags);
    let theme = theme?;
    let templates = templates.ok_or(Failed)??;
    let publishing = Publishing {
        drafts: options.drafts,
        future: options.future,
        build_time: options.build_time,
    };
    let site = site::assemble(config, sources, &theme, &publishing, diags)?;
    let renderer = Renderer::new(&site, templates);
    let outputs = plan::plan(&site, &theme, diags)?;
    let pages = outputs
        .iter()
        .filter(|o| matches!(o.job, Job::Render(_)))
        .count();
    let staging = match options.mode {
        Mode::Build => Some(Staging::create(&output_dir).map_err(|e| {
            diags.push(Diagnostic::error(
                &output_dir,
                format!("cannot create the staging folder: {e}"),
            ));
            Failed
        })?),
        Mode::Check => None,
    };
    progress.start(outputs.len());
    let problems: Vec<Diagnostic> = outputs
        .par_iter()
        .filter_map(|o| {
            let result = produce(&renderer, staging.as_ref(), o, options.minify);
            progress.advance();
            result.err()
        })
        .collect();
    progress.finish();
    diags.extend(collapse_repeats(problems));
    if diags.has_errors() {
        return Err(Failed);
    }
    if let Some(staging) = staging {
        staging.commit().map_err(|e| {
            diags.push(Diagnostic::error(
                &output_dir,
                format!("cannot replace the output folder: {e}"),
            ));
            Failed
        })?;
    }
    Ok((site.articles.len(), pages, outputs.len()))
}

/// Makes one output file: renders (and minifies) a page or copies a file.
fn produce(
    renderer: &Renderer<'_>,
    staging: Option<&Staging>,
    o: &Output,
    minify: bool,
) -> Result<(), Diagnostic> {
    let write_error = |e: std::io::Error| {
        Diagnostic::error(&o.origin, format!("cannot write {}: {e}", o.file.display()))
    };
    match &o.job {
        Job::Render(page) => {
            let html = renderer.render(page)?;
            let Some(staging) = staging else {
                return Ok(());
            };
            let bytes = if minify { output::minify(&html) } else { html };
            staging.write(&o.file, &bytes).map_err(write_error)
        }
        Job::Copy(source) => match staging {
            Some(staging) => staging.copy(&o.file, source).map_err(write_error),
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
