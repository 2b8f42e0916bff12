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
    /// Pages whose fingerprint `serve` reused from its last build, as
    /// they show nothing that changed since (see `render::memo`).
    pub pages_reused: usize,
    /// Pieces of other generators' template code left in article bodies
    /// (each also a warning).
    pub template_code: usize,
    /// What the renditions cache did: images read, decoded, renditions
    /// made and reused.
    pub images: crate::images::Stats,
    pub elapsed: Duration,
    /// Each stage in order, with its time and the memory at its end (for
    /// `--timings`).
    pub stages: Vec<Stage>,
}

/// One stage of a run, as `--timings` prints it.
#[derive(Debug, Clone, Copy)]
pub struct Stage {
    pub name: &'static str,
    pub time: Duration,
    /// The CPU time all the process's threads spent in the stage (in the
    /// kernel too).
    pub cpu: Duration,
    /// The process's memory when the stage ended: resident and peak
    /// resident bytes (Linux only; `None` elsewhere).
    pub memory: Option<Memory>,
}

/// Resident memory of this process, as the kernel counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    pub resident: u64,
    pub peak: u64,
}

impl Memory {
    /// Read from `/proc/self/status` (`VmRSS`, `VmHWM`).
    pub fn now() -> Option<Memory> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        Memory::parse(&status)
    }

    fn parse(status: &str) -> Option<Memory> {
        let kb = |key: &str| {
            let line = status.lines().find(|l| l.starts_with(key))?;
            let n = line[key.len()..].trim().strip_suffix("kB")?.trim();
            n.parse::<u64>().ok().map(|k| k * 1024)
        };
        Some(Memory {
            resident: kb("VmRSS:")?,
            peak: kb("VmHWM:")?,
        })
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

/// Stage timings: each mark closes the stage that began at the last one.
pub(super) struct Stages {
    started: Instant,
    last: Instant,
    last_cpu: Duration,
    pub(super) done: Vec<Stage>,
}

/// The CPU time this process has used so far, all threads.
fn cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Duration::new(
        t.tv_sec.max(0) as u64,
        t.tv_nsec.clamp(0, 999_999_999) as u32,
    )
}

impl Stages {
    pub(super) fn new(started: Instant) -> Self {
        Stages {
            started,
            last: started,
            last_cpu: cpu_time(),
            done: Vec::new(),
        }
    }

    pub(super) fn mark(&mut self, stage: &'static str) {
        let now = Instant::now();
        let cpu = cpu_time();
        self.done.push(Stage {
            name: stage,
            time: now - self.last,
            cpu: cpu.saturating_sub(self.last_cpu),
            memory: Memory::now(),
        });
        self.last = now;
        self.last_cpu = cpu;
    }

    /// Time since the run started.
    pub(super) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_read_from_the_kernels_status_lines() {
        let status = "Name:\tgazette\nVmPeak:\t 9000 kB\nVmHWM:\t   2048 kB\nVmRSS:\t   1024 kB\n";
        assert_eq!(
            Memory::parse(status),
            Some(Memory {
                resident: 1024 * 1024,
                peak: 2048 * 1024
            })
        );
        assert_eq!(Memory::parse("VmRSS:\t12 kB\n"), None, "no peak line");
        if cfg!(target_os = "linux") {
            let now = Memory::now().expect("this process's status");
            assert!(now.resident > 0 && now.peak >= now.resident);
        }
    }
}
