//! The render-and-write loop: every planned output made in parallel and
//! handed to a [`Sink`], unless the sink still has it from the same
//! inputs; meanwhile, on its own thread, the search index. Renders bytes
//! and never touches the output folder itself: the sink (see `output`)
//! does.

use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{Renderer, search};
use crate::diagnostics::{Diagnostic, Diagnostics, Failed};
use crate::fingerprint::Fingerprint;
use crate::plan::{Job, Output};
use crate::reuse::Stamp;
use crate::site::Site;
use crate::theme::FileSource;

/// Told of progress while outputs are made; `main` shows a bar.
pub trait Progress: Sync {
    fn start(&self, _total: usize) {}
    fn advance(&self) {}
    fn finish(&self) {}
}

impl Progress for () {}

/// Where made files go. Every file comes with its fingerprint (see
/// [`crate::fingerprint`]); a sink records what it wrote for the next
/// build.
pub trait Sink: Sync {
    /// Whether the file at `rel` is still the one made from these inputs,
    /// so it need not be made again (the sink then keeps it).
    fn keep(&self, _rel: &Path, _fingerprint: u64) -> bool {
        false
    }

    /// Whether the sink holds files of a last build that [`Sink::keep`]
    /// could keep.
    fn keeps(&self) -> bool {
        false
    }

    /// Whether the folder `dir` still holds what the last build made there
    /// from inputs of this fingerprint: the file `key` in it is recorded
    /// with that fingerprint (it stands for the folder), and every file
    /// below `dir` is as the last build left it. If so they are kept, and
    /// counted.
    fn keep_folder(&self, _dir: &Path, _key: &Path, _fingerprint: u64) -> Option<usize> {
        None
    }

    /// Takes the bytes of the file at `rel` (relative to the output).
    fn write(&self, rel: &Path, fingerprint: u64, bytes: &[u8]) -> io::Result<()>;

    /// Takes a file copied from disk or from the binary.
    fn copy(&self, rel: &Path, fingerprint: u64, source: &FileSource) -> io::Result<()> {
        match source {
            FileSource::Builtin(bytes) => self.write(rel, fingerprint, bytes),
            FileSource::Disk(from) => self.write(rel, fingerprint, &std::fs::read(from)?),
        }
    }
}

/// What making the site's files needs, whatever the sink.
pub struct Work<'a> {
    pub site: &'a Site,
    /// The output folder, for messages.
    pub output: &'a Path,
    pub renderer: &'a Renderer<'a>,
    pub outputs: &'a [Output],
    /// Build the search index too.
    pub search: bool,
    pub minify: bool,
    pub progress: &'a dyn Progress,
}

/// Renders every page without writing anything (`check`).
pub fn check_all(work: &Work<'_>, diags: &mut Diagnostics) {
    make_all(work, None, diags);
}

/// Makes every output into `sink` while the search index is built on its
/// own thread (unless the sink still has the one made from the same
/// articles), then writes the index. Returns the number of files.
pub fn write_all(
    work: &Work<'_>,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> Result<usize, Failed> {
    let (pages, search) = std::thread::scope(|scope| {
        let search = scope.spawn(|| search_files(work, sink));
        let pages = make_all(work, Some(sink), diags);
        let search = search.join().unwrap_or_else(|_| {
            Err(Diagnostic::error(
                crate::config::CONFIG_FILE,
                "the search indexer stopped unexpectedly",
            ))
        });
        (pages, search)
    });
    let search = search.map_err(|d| {
        diags.push(d);
        Failed
    })?;
    if diags.has_errors() {
        return Err(Failed);
    }
    Ok(pages + search)
}

/// Writes the search index into `sink` as it is made, unless the sink
/// still has the one made from the same articles. Returns its files.
fn search_files(work: &Work<'_>, sink: &dyn Sink) -> Result<usize, Diagnostic> {
    if !work.search {
        return Ok(0);
    }
    let fingerprint = search::fingerprint(work.site);
    let dir = search::folder(work.site);
    let key = search::key_file(work.site);
    if let Some(kept) = sink.keep_folder(Path::new(dir), &key, fingerprint) {
        return Ok(kept);
    }
    search::make(work.site, &SearchOut { work, sink }, fingerprint)
}

/// The search index's files into a [`Sink`].
struct SearchOut<'a> {
    work: &'a Work<'a>,
    sink: &'a dyn Sink,
}

impl search::Out for SearchOut<'_> {
    fn keeps(&self) -> bool {
        self.sink.keeps()
    }

    fn keep(&self, rel: &Path, fingerprint: u64) -> bool {
        self.sink.keep(rel, fingerprint)
    }

    fn write(&self, rel: &Path, fingerprint: u64, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.sink.write(rel, fingerprint, bytes).map_err(|e| {
            Diagnostic::error(
                self.work.output,
                format!("{WRITE_FAILED}{}: {e}", rel.display()),
            )
        })
    }
}

/// Makes (and, with a sink, writes) every output in parallel; problems go
/// into `diags`. Returns the number of outputs. Once a file cannot be
/// written (a full disk, a read-only output), no other is made: the build
/// has failed, and one message says why.
fn make_all(work: &Work<'_>, sink: Option<&dyn Sink>, diags: &mut Diagnostics) -> usize {
    let progress = work.progress;
    progress.start(work.outputs.len());
    let halt = Halt::default();
    let problems: Vec<Diagnostic> = work
        .outputs
        .par_iter()
        .enumerate()
        .filter_map(|(index, o)| {
            let result = match halt.stopped.load(Ordering::Relaxed) {
                true => {
                    halt.skipped.fetch_add(1, Ordering::Relaxed);
                    Ok(())
                }
                false => make(work, sink, (index, o), &halt),
            };
            progress.advance();
            result.err()
        })
        .collect();
    progress.finish();
    let mut problems = collapse_repeats(problems);
    let mut skipped = halt.skipped.into_inner();
    // Files whose writes failed beside the first, before the stop was
    // seen, are told with the files skipped: one message says why.
    let mut told = false;
    problems.retain(|d| match d.message.starts_with(WRITE_FAILED) {
        true if told => {
            skipped += 1;
            false
        }
        true => {
            told = true;
            true
        }
        false => true,
    });
    if skipped > 0
        && let Some(first) = problems
            .iter_mut()
            .find(|d| d.message.starts_with(WRITE_FAILED))
    {
        first.message += &format!(" ({skipped} more files were not made after it)");
    }
    diags.extend(problems);
    work.outputs.len()
}

/// How every message of a file that could not be written begins.
const WRITE_FAILED: &str = "cannot write ";

/// The stop of [`make_all`] after a file could not be written.
#[derive(Default)]
struct Halt {
    stopped: AtomicBool,
    skipped: AtomicUsize,
}

/// Makes one output file, unless the sink still has it from the same
/// inputs: renders (and minifies) a page, or copies a file.
fn make(
    work: &Work<'_>,
    sink: Option<&dyn Sink>,
    (index, o): (usize, &Output),
    halt: &Halt,
) -> Result<(), Diagnostic> {
    let renderer = work.renderer;
    let write_error = |e: io::Error| {
        halt.stopped.store(true, Ordering::Relaxed);
        Diagnostic::error(
            o.origin(work.site),
            format!("{WRITE_FAILED}{}: {e}", o.file.display()),
        )
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
            let prepared = renderer.prepare(index, page)?;
            let fingerprint = prepared.fingerprint;
            if fingerprint.is_some_and(|f| sink.keep(&o.file, f)) {
                return Ok(());
            }
            let html = renderer.finish(page, prepared)?;
            let bytes = if work.minify && page.is_html() {
                super::minify(&html)
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
        FileSource::Disk(path) => f.add(path).add(Stamp::of(path).ok()),
    };
    f.finish().unwrap_or_default()
}

/// One template bug breaks every page that uses it: report it once, with
/// the number of other pages it broke.
fn collapse_repeats(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    problems.sort();
    let mut out: Vec<Diagnostic> = Vec::new();
    for d in problems {
        match out.last_mut() {
            // Both met while rendering a page: one problem, one more page.
            Some(last) if last.same_problem(&d) && d.rendering.is_some() => {
                match &mut last.rendering {
                    Some(r) => r.more += 1,
                    None => out.push(d),
                }
            }
            _ => out.push(d),
        }
    }
    out
}
