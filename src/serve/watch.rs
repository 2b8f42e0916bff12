//! Watches the site's sources and calls back, debounced, after changes.
//!
//! File system events also come for mere reads (the build itself opens
//! every file), so an event only counts when the sources' fingerprint (each
//! file's path, size and modification time) differs from the last one.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};

/// Folders watched recursively, and files of the root watched alone.
const FOLDERS: &[&str] = &["content", "themes", "templates", "static", "data"];
const FILES: &[&str] = &["gazette.toml"];

/// Keeps watching while the returned value lives.
pub struct Watcher {
    _debouncer: Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>,
}

pub fn start(
    root: &Path,
    output: &Path,
    on_change: impl Fn() + Send + 'static,
) -> Result<Watcher, String> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let output = output
        .canonicalize()
        .unwrap_or_else(|_| output.to_path_buf());
    let watched_root = root.clone();
    let relevant = move |path: &Path| {
        if path.starts_with(&output) {
            return false;
        }
        let Ok(rel) = path.strip_prefix(&watched_root) else {
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
    };
    let fingerprint_root = root.clone();
    let mut last = fingerprint(&fingerprint_root);
    let mut debouncer = new_debouncer(
        Duration::from_millis(100),
        move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            if events.iter().any(|e| relevant(&e.path)) {
                let now = fingerprint(&fingerprint_root);
                if now != last {
                    last = now;
                    on_change();
                }
            }
        },
    )
    .map_err(|e| format!("cannot watch files: {e}"))?;
    let watcher = debouncer.watcher();
    // The root alone (not recursively) sees gazette.toml and folders that
    // appear later; the folders recursively see everything inside them.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    for folder in FOLDERS {
        let path: PathBuf = root.join(folder);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    Ok(Watcher {
        _debouncer: debouncer,
    })
}

/// A hash of every watched file's path, size and modification time.
fn fingerprint(root: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    let paths = FILES.iter().chain(FOLDERS).map(|name| root.join(name));
    for path in paths {
        for entry in walkdir::WalkDir::new(path)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            entry.path().hash(&mut hasher);
            if let Ok(meta) = entry.metadata() {
                meta.len().hash(&mut hasher);
                meta.modified().ok().hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}
