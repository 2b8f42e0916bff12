//! The `gazette` binary: parse arguments, run one command, print what it
//! found, exit 0 (success), 1 (the site has errors) or 2 (bad command line).

mod cli;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use gazette::{BuildOptions, Mode, Progress, Report};
use indicatif::{ProgressBar, ProgressStyle};
use jiff::Timestamp;

use cli::{
    BuildArgs, CheckArgs, Cli, Command, ImportArgs, ImportFrom, InitArgs, NewArgs, ServeArgs,
};

/// Rendering allocates many short-lived strings on every thread; mimalloc
/// cuts the time the build spends in the allocator by about half compared
/// with the system allocator (measured; see bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`, the 16th of `mi_option_e` in its
/// `mimalloc.h` (version 3), which libmimalloc-sys does not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps the memory the process frees for its next allocations, instead of
/// handing it back to the system a second after (mimalloc's purge). Each of
/// `serve`'s rebuilds allocates about what the one before freed; purged,
/// every page of it was faulted in again and zeroed by the kernel, 12% of
/// `serve`'s time. At 10,000 articles a one-article rebuild took a median
/// 0.22-0.29 s purging and 0.20-0.24 s not (bench/README.md). The price is that
/// `serve` stays at the size of its largest build.
fn keep_freed_memory() {
    // SAFETY: `mi_option_set` writes one word of mimalloc's option table;
    // it is called before `serve` starts any thread, so no allocation reads
    // the option meanwhile.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let build_time = match build_time() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Build(args) => build(args, build_time),
        Command::Serve(args) => serve(args, build_time),
        Command::New(args) => new(args, build_time),
        Command::Init(args) => init(args, build_time),
        Command::Check(args) => check(args, build_time),
        Command::Import(args) => import(args, build_time),
    }
}

fn build(args: BuildArgs, build_time: Timestamp) -> ExitCode {
    let mut options = BuildOptions::new(&args.root, build_time);
    options.output = args.output;
    options.drafts = args.drafts;
    options.future = args.future;
    options.base_url = args.base_url;
    options.minify = !args.no_minify;
    options.search = !args.no_search;
    options.incremental = !args.clean;
    options.jobs = args.jobs.map(usize::from);
    let bar = Bar::new(args.quiet);
    let report = gazette::build(&options, &bar);
    if args.timings {
        print_timings(&report);
    }
    finish(
        &report,
        args.quiet,
        &format!("into {}", options.output_dir().display()),
    )
}

fn serve(args: ServeArgs, build_time: Timestamp) -> ExitCode {
    keep_freed_memory();
    let options = gazette::serve::ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        future: args.future,
        build_time: std::env::var_os("SOURCE_DATE_EPOCH").map(|_| build_time),
    };
    match gazette::serve::serve(
        &options,
        std::sync::Arc::new(Console {
            timings: args.timings,
        }),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn new(args: NewArgs, build_time: Timestamp) -> ExitCode {
    let article = gazette::scaffold::NewArticle {
        title: args.title,
        section: args.section,
        tags: args.tags,
        author: args.author,
    };
    match gazette::scaffold::new_article(&args.root, &article, build_time) {
        Ok(path) => {
            println!("{}", args.root.join(path).display());
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            ExitCode::from(1)
        }
    }
}

fn init(args: InitArgs, build_time: Timestamp) -> ExitCode {
    match gazette::scaffold::init(&args.dir, build_time) {
        Ok(files) => {
            for f in files {
                println!("{}", args.dir.join(f).display());
            }
            println!("next: gazette build --root {}", args.dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn check(args: CheckArgs, build_time: Timestamp) -> ExitCode {
    let mut options = BuildOptions::new(&args.root, build_time);
    options.drafts = args.drafts;
    options.future = args.future;
    options.mode = Mode::Check;
    let report = gazette::build(&options, &());
    finish(&report, args.quiet, "checked, nothing written")
}

fn import(args: ImportArgs, build_time: Timestamp) -> ExitCode {
    let options = gazette::import::ImportOptions {
        kind: match args.from {
            ImportFrom::Wordpress => gazette::import::Kind::WordPress,
            ImportFrom::Jekyll => gazette::import::Kind::Jekyll,
            ImportFrom::Hugo => gazette::import::Kind::Hugo,
        },
        source: args.source,
        root: args.root,
        timezone: args.timezone,
        sections: args.sections,
        uploads: args.uploads,
        build_time,
    };
    let report = match gazette::import::import(&options) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    print_import_report(&report, &options);
    let errors = report.check.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        eprintln!(
            "{errors} error{} to fix before the site builds (see above)",
            if errors == 1 { "" } else { "s" }
        );
        return ExitCode::from(1);
    }
    println!("next: gazette build --root {}", options.root.display());
    ExitCode::SUCCESS
}

fn print_import_report(
    r: &gazette::import::ImportReport,
    options: &gazette::import::ImportOptions,
) {
    println!(
        "imported {} ({}) from {} into {}",
        counted(r.imported, "article"),
        counted(r.drafts, "draft"),
        options.source.display(),
        options.root.display()
    );
    println!(
        "old URLs: {} kept as the article's own, {} kept as aliases; {} copied",
        r.urls_kept,
        r.urls_aliased,
        counted(r.files, "file")
    );
    for note in &r.notes {
        println!("note: {note}");
    }
    if !r.converted.is_empty() {
        println!("converted:");
        for (what, n) in &r.converted {
            println!("{n:>8}  {what}");
        }
    }
    if !r.skipped.is_empty() {
        println!("skipped {}:", r.skipped.len());
        let mut by_reason: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
        for s in &r.skipped {
            by_reason.entry(&s.reason).or_default().push(&s.origin);
        }
        for (reason, origins) in by_reason {
            let shown: Vec<&str> = origins.iter().take(5).copied().collect();
            let more = if origins.len() > shown.len() {
                ", ..."
            } else {
                ""
            };
            println!(
                "{:>8}  {reason} ({}{more})",
                origins.len(),
                shown.join(", ")
            );
        }
    }
    let root = &options.root;
    let warnings = r.check.iter().filter(|d| !d.is_error()).count();
    let errors = r.check.len() - warnings;
    println!("checked the new site: {errors} errors, {warnings} warnings (left for you, below)");
    for d in &r.check {
        let mut d = d.clone();
        d.path = root.join(&d.path);
        eprintln!("{d}");
    }
}

/// `1 draft`, `2 drafts`.
fn counted(n: usize, thing: &str) -> String {
    format!("{n} {thing}{}", if n == 1 { "" } else { "s" })
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970) when set, else the clock.
fn build_time() -> Result<Timestamp, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => value
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| Timestamp::from_second(s).ok())
            .ok_or_else(|| {
                format!("SOURCE_DATE_EPOCH=`{value}` is not a number of seconds since 1970")
            }),
        Err(_) => Ok(Timestamp::now()),
    }
}

fn finish(report: &Report, quiet: bool, what: &str) -> ExitCode {
    print_diagnostics(&report.diagnostics);
    match &report.summary {
        Some(s) => {
            if !quiet {
                let changed = if s.in_place {
                    format!(" ({} changed)", s.changed)
                } else {
                    String::new()
                };
                println!(
                    "{} articles, {} pages, {} files {what}{changed} in {:.2} s{}{}",
                    s.articles,
                    s.pages,
                    s.files,
                    s.elapsed.as_secs_f64(),
                    images(s),
                    template_code(s)
                );
            }
            ExitCode::SUCCESS
        }
        None => {
            let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "{errors} error{} found; nothing was written",
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
    }
}

/// The summary line's note of the images decoded for renditions, if any.
fn images(s: &gazette::Summary) -> String {
    let i = &s.images;
    match i.decoded {
        0 => String::new(),
        1 => format!("; 1 image resized ({} renditions made)", i.made),
        n => format!("; {n} images resized ({} renditions made)", i.made),
    }
}

/// The summary line's note of template code left in bodies, if any.
fn template_code(s: &gazette::Summary) -> String {
    match s.template_code {
        0 => String::new(),
        1 => "; 1 piece of template code left as text (see the warning)".to_string(),
        n => format!("; {n} pieces of template code left as text (see the warnings)"),
    }
}

fn print_diagnostics(diagnostics: &[gazette::Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

/// Prints how long each stage of a successful build took.
fn print_timings(report: &Report) {
    if let Some(summary) = &report.summary {
        for stage in &summary.stages {
            let memory = stage.memory.map_or(String::new(), |m| {
                format!(
                    "{:>6} MiB resident, {:>6} MiB peak  ",
                    m.resident >> 20,
                    m.peak >> 20
                )
            });
            eprintln!(
                "{:>8.3} s {:>8.3} s CPU  {memory}{}",
                stage.time.as_secs_f64(),
                stage.cpu.as_secs_f64(),
                stage.name
            );
        }
        if summary.pages_reused > 0 {
            eprintln!(
                "{} of {} pages fingerprinted as in the last build (nothing they show changed)",
                summary.pages_reused, summary.pages
            );
        }
    }
}

/// Prints what `serve` reports.
struct Console {
    timings: bool,
}

impl gazette::serve::Events for Console {
    fn listening(&self, url: &str, note: Option<&str>) {
        if let Some(note) = note {
            eprintln!("note: {note}");
        }
        println!("serving on {url} (Ctrl-C to stop)");
    }

    fn built(&self, report: &Report) {
        print_diagnostics(&report.diagnostics);
        if self.timings {
            print_timings(report);
        }
        match &report.summary {
            Some(s) => println!(
                "built {} articles, {} pages in {:.2} s; {} files changed{}",
                s.articles,
                s.pages,
                s.elapsed.as_secs_f64(),
                s.changed,
                template_code(s)
            ),
            None => eprintln!("the site has errors; still serving the last good build"),
        }
    }
}

/// A progress bar on a terminal; silent elsewhere or with --quiet.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new(quiet: bool) -> Bar {
        let show = !quiet && std::io::stderr().is_terminal();
        Bar(show.then(|| {
            let bar = ProgressBar::hidden();
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        }))
    }
}

impl Progress for Bar {
    fn start(&self, total: usize) {
        if let Some(bar) = &self.0 {
            bar.set_length(total as u64);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    fn advance(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    /// The number is mimalloc's purge delay's: its default is 1,000 (ms),
    /// and no option within ten places of it has that default.
    #[test]
    fn the_purge_delay_option_is_mimallocs() {
        // SAFETY: reads one option, initialised on first read.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
