//! The build as one story ([`run`]): config, load, assemble, plan,
//! render, publish, each a call with a named result. What the stages may
//! reuse of earlier builds is wired in [`cache`].

mod cache;
mod options;

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use crate::config::{self, Config, Overrides, SearchEngine};
use crate::content::{self, Recall, Source};
use crate::diagnostics::{Diagnostic, Diagnostics, Failed};
use crate::images;
use crate::lock::Lock;
use crate::output;
use crate::plan::{self, Job, Plan};
use crate::render::Renderer;
use crate::render::memo::{self, Memo};
use crate::render::templates::Templates;
use crate::render::write::{self, Progress, Work};
use crate::reuse::manifest::{Current, Manifest};
use crate::reuse::{CACHE_DIR, SETTLING, value};
use crate::site::{self, Learned, Publishing, RecallBodies, Site};
use crate::theme::Theme;
pub use cache::Cache;
use cache::Stored;
use options::Stages;
pub use options::{BuildOptions, Mode, Report, Summary};

/// How long a cached build (`serve`'s) holds back freeing the last one:
/// reloading a page (its HTML, styles and paint) takes 100-200 ms on two
/// cores, and freeing 10,000 articles' worth of allocations beside it made
/// the median reload about 25 ms slower (154 against 128 ms).
const FREE_AFTER_RELOAD: Duration = Duration::from_millis(500);

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
    if let Some(cache) = cache {
        cache.begin();
    }
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
    if let (Some(cache), Err(Failed)) = (cache, &result) {
        cache.failed();
    }
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
    let run = Run::new(options, progress, cache);
    let config = run.configure(diags)?;
    let _locks = run.lock(diags)?;
    let mut stages = Stages::new(started);
    // A file modified after this may have changed again unseen.
    let settled = SystemTime::now() - SETTLING;
    let (mut inputs, mut stored) = run.read_inputs(&config, diags);
    let reuse = Reuse {
        cache,
        stored: &stored,
    };
    let sources = run.load(&config, &inputs.files, &reuse, diags);
    stages.mark("load");
    let kept = inputs.kept.take();
    let (theme, templates) = inputs.theme_and_templates()?;
    let earlier = cache.and_then(Cache::rendered);
    let earlier_site = earlier.as_deref().and_then(Memo::site);
    let kept_related = kept.as_ref().and_then(Memo::related);
    let (site, learned) = run.assemble(
        config,
        sources,
        &theme,
        &reuse,
        (earlier_site, kept_related),
        diags,
    )?;
    stored.release();
    stages.mark("assemble");
    let renditions = run.renditions(&site, settled, diags)?;
    stages.mark("images");
    let (plan, previous) = run.plan(&site, &theme, &renditions.outputs, diags);
    let plan = plan?;
    stages.mark("plan");
    let earlier_memo = earlier.as_deref().or(kept.as_ref());
    let renderer = Renderer::new(&site, templates, &plan, options.minify, earlier_memo);
    let mut written = run.write(&site, &renderer, &plan, previous, diags)?;
    stages.mark(written.stage);
    if let (Some(cache), Some(current)) = (cache, written.manifest.take()) {
        cache.keep_manifest(&run.manifest_file, current);
    }
    // The fingerprints taken: `build` keeps them on disk, `serve` in
    // memory with the site.
    let taken = renderer.learned();
    drop(renderer);
    let taken = match run.saves_articles() {
        true => {
            let (articles, memo) = rayon::join(
                || stored.save(&site, &learned, settled),
                || run.save_memo(&site, taken),
            );
            diags.extend(articles.err());
            diags.extend(memo.err());
            stages.mark("save caches");
            None
        }
        false => Some(taken),
    };
    let summary = summarize(
        (&site, &learned, &stored),
        &plan,
        written,
        renditions.stats,
        stages,
    );
    // `serve` keeps the site and its fingerprints for the next build, and
    // frees the last build's instead.
    let (site, replaced) = match (cache, taken) {
        (Some(cache), Some(taken)) => (None, cache.keep_rendered(Memo::new(site, taken))),
        _ => (Some(site), None),
    };
    // Freeing an archive's worth of small allocations takes a while: it is
    // done on another thread, which a finishing process does not wait for.
    // `serve` reloads the open pages as soon as this returns, so there the
    // freeing waits until the browser has had the CPU for the reload.
    let pause = cache.map(|_| FREE_AFTER_RELOAD);
    let freed = std::thread::Builder::new().spawn(move || {
        if let Some(pause) = pause {
            std::thread::sleep(pause);
        }
        drop((site, replaced, earlier, kept, plan, learned, stored))
    });
    drop(freed);
    Ok(summary)
}

/// What every step of one run reads.
struct Run<'a> {
    options: &'a BuildOptions,
    progress: &'a dyn Progress,
    cache: Option<&'a Cache>,
    output_dir: PathBuf,
    manifest_file: PathBuf,
    /// Where `build` keeps its pages' and articles' fingerprints
    /// ([`memo::Kept`]) for the next build into the same folder.
    memo_file: PathBuf,
}

/// Theme, templates and the content files, read side by side.
struct Inputs {
    theme: Result<Theme, Failed>,
    templates: Option<Result<Templates, Failed>>,
    files: Vec<PathBuf>,
    /// What an incremental `build` kept of the last one (see
    /// [`Run::kept_memo`]).
    kept: Option<Memo>,
}

impl Inputs {
    fn theme_and_templates(self) -> Result<(Theme, Templates), Failed> {
        Ok((self.theme?, self.templates.ok_or(Failed)??))
    }
}

/// Where the stages' questions of reuse are answered: `serve`'s memory,
/// then the article store (which `serve` reads only for a first build into
/// a folder it served before: what it recalls there is remembered in
/// memory).
struct Reuse<'a> {
    cache: Option<&'a Cache>,
    stored: &'a Stored,
}

impl Reuse<'_> {
    fn sources(&self) -> &dyn Recall {
        match self.cache {
            Some(_) => self,
            None => self.stored,
        }
    }

    fn bodies(&self) -> &dyn RecallBodies {
        match self.cache {
            Some(_) => self,
            None => self.stored,
        }
    }
}

impl Recall for Reuse<'_> {
    fn recall(
        &self,
        path: &std::path::Path,
        stamp: crate::reuse::Stamp,
    ) -> Option<content::Loaded> {
        let cache = self.cache?;
        if let Some(loaded) = Recall::recall(cache, path, stamp) {
            return Some(loaded);
        }
        let loaded = Recall::recall(self.stored, path, stamp)?;
        Recall::remember(cache, path, stamp, &loaded);
        Some(loaded)
    }

    fn unchanged(&self, path: &std::path::Path) -> Option<content::Loaded> {
        self.cache?.unchanged(path)
    }

    fn remember(
        &self,
        path: &std::path::Path,
        stamp: crate::reuse::Stamp,
        loaded: &content::Loaded,
    ) {
        if let Some(cache) = self.cache {
            Recall::remember(cache, path, stamp, loaded);
        }
    }

    fn keep_bodies(&self) -> bool {
        self.cache.is_some_and(Recall::keep_bodies)
    }
}

impl RecallBodies for Reuse<'_> {
    fn recall(
        &self,
        source: site::BodyOf<'_>,
        key: u64,
        summary: bool,
        links: &dyn crate::content::markdown::Links,
    ) -> Option<site::Body> {
        let cache = self.cache?;
        if let Some(body) = RecallBodies::recall(cache, source, key, summary, links) {
            return Some(body);
        }
        let body = RecallBodies::recall(self.stored, source, key, summary, links)?;
        RecallBodies::remember(cache, source.path, &body);
        Some(body)
    }

    fn remember(&self, source: &std::path::Path, body: &site::Body) {
        if let Some(cache) = self.cache {
            RecallBodies::remember(cache, source, body);
        }
    }
}

/// The renditions of the site's images: each output file with its made
/// file in the cache and the article it is for, and what the cache did.
#[derive(Default)]
struct Renditions {
    outputs: Vec<plan::Copied>,
    stats: images::Stats,
}

/// What writing the site did.
struct Written {
    files: usize,
    in_place: bool,
    changed: usize,
    /// Pages whose fingerprint was reused from the last build.
    pages_reused: usize,
    stage: &'static str,
    /// What describes the output after an update in place.
    manifest: Option<Current>,
}

impl<'a> Run<'a> {
    fn new(
        options: &'a BuildOptions,
        progress: &'a dyn Progress,
        cache: Option<&'a Cache>,
    ) -> Self {
        let output_dir = options.output_dir();
        let manifest_file = Manifest::location(&options.root, &output_dir);
        Run {
            memo_file: manifest_file.with_extension("memo"),
            manifest_file,
            output_dir,
            options,
            progress,
            cache,
        }
    }

    /// Checks where the output goes, then reads the config.
    fn configure(&self, diags: &mut Diagnostics) -> Result<Config, Failed> {
        if self.options.mode != Mode::Check {
            output::check_location(&self.options.root, &self.output_dir).map_err(|e| {
                diags.push(Diagnostic::error(&self.output_dir, e));
                Failed
            })?;
        }
        let overrides = Overrides {
            base_url: self.options.base_url.clone(),
        };
        config::load(&self.options.root, &overrides, diags)
    }

    /// Takes the locks of what the run writes ([`crate::lock`]): its output
    /// folder (but `check` writes none, and `serve` holds the lock of its
    /// own while it runs) and the site's cache, which a build saves its
    /// articles into.
    fn lock(&self, diags: &mut Diagnostics) -> Result<Vec<Lock>, Failed> {
        let root = &self.options.root;
        let mut wanted = Vec::new();
        if self.options.mode != Mode::Check && self.cache.is_none() {
            let shown = self
                .output_dir
                .strip_prefix(root)
                .unwrap_or(&self.output_dir);
            let what = format!("{}/", shown.display());
            wanted.push((
                output::lock_file(&self.output_dir),
                shown.to_path_buf(),
                what,
            ));
        }
        if self.saves_articles() {
            let what = format!("{CACHE_DIR}/ (the site's cache)");
            wanted.push((root.join(CACHE_DIR).join("lock"), CACHE_DIR.into(), what));
        }
        wanted
            .into_iter()
            .map(|(file, shown, what)| {
                Lock::take(&file).map_err(|refused| {
                    diags.push(Diagnostic::error(shown, Lock::refusal(&refused, &what)));
                    Failed
                })
            })
            .collect()
    }

    /// Reads theme, templates and the list of content files (each checked
    /// on its own, so that a run reports the problems of all three) while
    /// the article store and the memo of the last build are read (`serve`
    /// keeps what it needs in memory; a clean build starts a fresh store).
    fn read_inputs(&self, config: &Config, diags: &mut Diagnostics) -> (Inputs, Stored) {
        // `serve` reads the store for its first build into a folder it
        // served before (whose pages mostly stand: the bodies' digests are
        // enough); into a new folder every page is made, and bodies are
        // better rendered once, kept. Then it has its own memory.
        let fresh = !self.options.incremental
            || self
                .cache
                .is_some_and(|c| c.rendered().is_some() || !self.manifest_file.is_file());
        let (read, (stored, kept)) = rayon::join(
            || {
                let theme = Theme::load(config, diags);
                let templates = theme.as_ref().ok().map(|t| Templates::load(t, diags));
                (theme, templates, self.content_files(config, diags))
            },
            || {
                rayon::join(
                    || Stored::load(config, fresh, self.counts_words(config)),
                    || self.kept_memo(),
                )
            },
        );
        let (theme, templates, files) = read;
        let inputs = Inputs {
            theme,
            templates,
            files,
            kept,
        };
        (inputs, stored)
    }

    /// The memo an incremental `build` kept of the last build into the
    /// same folder: its pages' fingerprints and its related lists.
    fn kept_memo(&self) -> Option<Memo> {
        match self.options.mode {
            Mode::Build if self.options.incremental && self.cache.is_none() => {
                value::read(&self.memo_file, memo::FORMAT).map(Memo::from_kept)
            }
            _ => None,
        }
    }

    /// The content files: as `serve`'s watcher knows them, else listed.
    fn content_files(&self, config: &Config, diags: &mut Diagnostics) -> Vec<PathBuf> {
        let Some(cache) = self.cache else {
            return content::walk(config, diags);
        };
        if let Some(files) = cache.content_files(config) {
            return files;
        }
        let mut problems = Diagnostics::default();
        let files = content::walk(config, &mut problems);
        let problems = problems.into_sorted();
        cache.listed(&files, problems.is_empty());
        diags.extend(problems);
        files
    }

    /// Whether the run counts the articles' words, for gazette's index.
    fn counts_words(&self, config: &Config) -> bool {
        let o = self.options;
        o.search && o.mode != Mode::Check && config.search_engine == SearchEngine::Gazette
    }

    fn load(
        &self,
        config: &Config,
        files: &[PathBuf],
        reuse: &Reuse<'_>,
        diags: &mut Diagnostics,
    ) -> Vec<Source> {
        if let Some(cache) = self.cache {
            cache.start(config, files);
        }
        content::load(config, files, reuse.sources(), diags)
    }

    fn assemble(
        &self,
        config: Config,
        sources: Vec<Source>,
        theme: &Theme,
        reuse: &Reuse<'_>,
        (earlier, related): (Option<&Site>, Option<&site::related::Kept>),
        diags: &mut Diagnostics,
    ) -> Result<(Site, Learned), Failed> {
        let o = self.options;
        let publishing = Publishing {
            drafts: o.drafts,
            future: o.future,
            build_time: o.build_time,
        };
        // Pagefind's records and full-content feeds read every body;
        // `serve` keeps them for its next rebuild. gazette's own index
        // takes each article's words as its body is rendered.
        let indexing = o.search && o.mode != Mode::Check;
        let counts_words = self.counts_words(&config);
        let keep_bodies =
            (indexing && !counts_words) || config.feed_full_content || self.cache.is_some();
        let inputs = site::Inputs {
            theme,
            publishing: &publishing,
            bodies: reuse.bodies(),
            keep_bodies,
            earlier,
            related,
            // `check` renders no page, so keeps nothing for them.
            spill_dir: (self.cache.is_none() && o.mode != Mode::Check)
                .then(|| config.root.join(CACHE_DIR)),
        };
        let vocabulary = counts_words.then(|| reuse.stored.take_vocabulary());
        let assembled = site::assemble(config, sources, &inputs, vocabulary, diags)?;
        if let Some(cache) = self.cache {
            cache.keep_bodies_of(&assembled.0);
        }
        Ok(assembled)
    }

    /// Makes the renditions of the site's images that the cache lacks
    /// (`check` makes none, and plans none).
    fn renditions(
        &self,
        site: &Site,
        settled: SystemTime,
        diags: &mut Diagnostics,
    ) -> Result<Renditions, Failed> {
        if self.options.mode == Mode::Check {
            return Ok(Renditions::default());
        }
        let pictures = site.pictures();
        if pictures.is_empty() {
            return Ok(Renditions::default());
        }
        let store = images::Store::open(&self.options.root, settled);
        let wanted: Vec<images::Wanted> = pictures.iter().map(|p| p.wanted.clone()).collect();
        let made = store.make(&wanted, site.config.images.quality);
        if let Err(e) = store.save() {
            diags.push(Diagnostic::warning(
                CACHE_DIR,
                format!("cannot save the image cache's table: {e}"),
            ));
        }
        let files = made.map_err(|problems| {
            diags.extend(problems);
            Failed
        })?;
        let outputs = pictures
            .into_iter()
            .zip(files)
            .flat_map(|(p, files)| {
                let origin = p.origin;
                p.paths
                    .into_iter()
                    .zip(files)
                    .map(move |(site_path, file)| plan::Copied {
                        site_path,
                        file,
                        origin: origin.clone(),
                    })
            })
            .collect();
        Ok(Renditions {
            outputs,
            stats: store.stats(),
        })
    }

    /// Plans the site while the last build's manifest is read.
    fn plan(
        &self,
        site: &Site,
        theme: &Theme,
        renditions: &[plan::Copied],
        diags: &mut Diagnostics,
    ) -> (Result<Plan, Failed>, Option<Manifest>) {
        let manifest = || match self.options.mode {
            Mode::Check => None,
            Mode::Build if !self.options.incremental || !self.output_dir.is_dir() => None,
            Mode::Build | Mode::Update => self
                .cache
                .and_then(|c| c.take_manifest(&self.manifest_file))
                .or_else(|| Manifest::load(&self.manifest_file))
                .map(|m| {
                    if self.options.trust_output {
                        m.trusted()
                    } else {
                        m
                    }
                }),
        };
        rayon::join(|| plan::plan(site, theme, renditions, diags), manifest)
    }

    /// Keeps what the renderer `taken` of `site`'s pages for the next build.
    fn save_memo(&self, site: &Site, taken: memo::Learned) -> Result<(), Diagnostic> {
        let saved = match memo::Kept::new(site, taken) {
            Some(kept) => value::write(&self.memo_file, memo::FORMAT, &kept),
            None => crate::reuse::remove(&self.memo_file),
        };
        saved.map_err(|e| {
            Diagnostic::warning(
                CACHE_DIR,
                format!("cannot save the fingerprints of the pages: {e}"),
            )
        })
    }

    /// Renders every output and publishes it: into a staging folder swapped
    /// in, or in place from the last manifest; `check` writes nothing.
    fn write(
        &self,
        site: &Site,
        renderer: &Renderer<'_>,
        plan: &Plan,
        previous: Option<Manifest>,
        diags: &mut Diagnostics,
    ) -> Result<Written, Failed> {
        let o = self.options;
        let work = Work {
            site,
            output: &self.output_dir,
            renderer,
            outputs: &plan.outputs,
            search: o.search,
            minify: o.minify,
            progress: self.progress,
        };
        let (dir, manifest) = (self.output_dir.as_path(), self.manifest_file.as_path());
        let in_place = o.mode == Mode::Update || previous.is_some();
        let fill = Box::new(|sink: &dyn write::Sink, diags: &mut Diagnostics| {
            write::write_all(&work, sink, diags)
        });
        let (files, changed, stage, current) = match o.mode {
            Mode::Check => {
                write::check_all(&work, diags);
                (work.outputs.len(), 0, "render", None)
            }
            _ if in_place => {
                let (files, changed, current) =
                    output::update(dir, manifest, previous, fill, diags)?;
                (files, changed, "render, write changes", current)
            }
            _ => {
                let files = output::publish(dir, manifest, fill, diags)?;
                (files, 0, "render, write, search, swap", None)
            }
        };
        if diags.has_errors() {
            return Err(Failed);
        }
        Ok(Written {
            files,
            in_place,
            changed,
            pages_reused: renderer.pages_reused(),
            stage,
            manifest: current,
        })
    }

    /// Whether the run saves what it learned of the articles: a build
    /// does; `check` never writes, `serve` keeps its own in memory.
    fn saves_articles(&self) -> bool {
        self.options.mode == Mode::Build && self.cache.is_none()
    }
}

fn summarize(
    (site, learned, stored): (&Site, &Learned, &Stored),
    plan: &Plan,
    written: Written,
    images: images::Stats,
    stages: Stages,
) -> Summary {
    Summary {
        elapsed: stages.elapsed(),
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
        reused: stored.reused(),
        pages_reused: written.pages_reused,
        template_code: learned.template_code(),
        images,
    }
}
