//! Watches the site's sources and calls back, debounced, after changes.
//!
//! File system events also come for mere reads (the build itself opens
//! every file and folder), so an event only counts when the size or
//! modification time of its path differs from the last one seen. Checking
//! uses `stat` only, which causes no events of its own.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};

/// How long after the last event of a burst the rebuild starts: enough
/// for an editor's save (a temporary file written, then renamed), short
/// against the rebuild itself.
const DEBOUNCE_MS: u64 = 20;

/// Folders watched recursively, and files of the root watched alone.
const FOLDERS: &[&str] = &["content", "themes", "templates", "static", "data"];
const FILES: &[&str] = &["gazette.toml"];

/// Keeps watching while the returned value lives.
pub struct Watcher {
    _debouncer: Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>,
}

/// Calls `on_change` with the changed paths, relative to the site root
/// (`None` when the watcher lost track and cannot say).
pub fn start(
    root: &Path,
    output: &Path,
    on_change: impl Fn(Option<Vec<PathBuf>>) + Send + 'static,
) -> Result<Watcher, String> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let output = output
        .canonicalize()
        .unwrap_or_else(|_| output.to_path_buf());
    let watched_root = root.clone();
    let relevant = move |path: &Path| is_source(&watched_root, &output, path);
    let site_root = root.clone();
    let mut stamps = initial_stamps(&root);
    let mut debouncer = new_debouncer(
        Duration::from_millis(DEBOUNCE_MS),
        move |result: DebounceEventResult| {
            let Ok(events) = result else {
                // Events were lost: a rebuild that looks at every file.
                on_change(None);
                return;
            };
            let mut changed = Vec::new();
            for event in events.iter().filter(|e| relevant(&e.path)) {
                let now = stamp(&event.path);
                if stamps.get(&event.path) != Some(&now) {
                    stamps.insert(event.path.clone(), now);
                    changed.extend(
                        event
                            .path
                            .strip_prefix(&site_root)
                            .ok()
                            .map(Path::to_path_buf),
                    );
                }
            }
            if !changed.is_empty() {
                on_change(Some(changed));
            }
        },
    )
    .map_err(|e| format!("cannot watch files: {e}"))?;
    watch_sources(debouncer.watcher(), &root)?;
    Ok(Watcher {
        _debouncer: debouncer,
    })
}

/// Whether `path` is one of the site's sources (not in the output).
fn is_source(root: &Path, output: &Path, path: &Path) -> bool {
    if path.starts_with(output) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    match first {
        Some(first) if rel.components().count() == 1 => {
            FILES.contains(&first.as_str()) || FOLDERS.contains(&first.as_str())
        }
        Some(first) => FOLDERS.contains(&first.as_str()),
        None => false,
    }
}

/// The root alone (not recursively) sees gazette.toml and folders that
/// appear later; the folders recursively see everything inside them.
fn watch_sources(
    watcher: &mut dyn notify_debouncer_mini::notify::Watcher,
    root: &Path,
) -> Result<(), String> {
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    for folder in FOLDERS {
        let path: PathBuf = root.join(folder);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// `None`: the path is gone (or cannot be read).
type Stamp = Option<crate::reuse::Stamp>;

fn stamp(path: &Path) -> Stamp {
    crate::reuse::Stamp::of(path).ok()
}

/// The stamps of every watched file and folder, as the first build saw them.
fn initial_stamps(root: &Path) -> HashMap<PathBuf, Stamp> {
    let mut stamps = HashMap::new();
    for path in FILES.iter().chain(FOLDERS).map(|name| root.join(name)) {
        for entry in walkdir::WalkDir::new(path)
            .into_iter()
            .filter_map(Result::ok)
        {
            stamps.insert(entry.path().to_path_buf(), stamp(entry.path()));
        }
    }
    stamps
}
