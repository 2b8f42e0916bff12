//! Stage 1, load: walk `content/`, read every `*.md` file and parse its
//! front matter, in parallel.
//!
//! Takes the config; returns one [`Source`] per readable article, sorted by
//! path, and diagnostics for the rest. Knows nothing of URLs or templates.

pub mod frontmatter;
pub mod markdown;
pub mod slug;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, line_col, relative};
use frontmatter::Meta;

/// An article file as loaded: validated front matter, raw Markdown body.
#[derive(Debug)]
pub struct Source {
    /// Path relative to the site root (`content/2022/01/a.md`).
    pub path: PathBuf,
    pub meta: Meta,
    pub body: String,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// Loads every article under `content/`.
pub fn load(config: &Config, diags: &mut Diagnostics) -> Vec<Source> {
    let files = walk(config, diags);
    let results: Vec<(Option<Source>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|path| load_file(config, path))
        .collect();
    let mut sources = Vec::with_capacity(results.len());
    for (source, problems) in results {
        diags.extend(problems);
        sources.extend(source);
    }
    sources
}

/// The `*.md` files under `content/`, relative to the root, sorted. Hidden
/// files and folders (editor backups, `.git`) are skipped.
fn walk(config: &Config, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let dir = config.content_dir();
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() || e.path_is_symlink() => {
                if e.path().extension().is_some_and(|x| x == "md") {
                    files.push(relative(&config.root, e.path()));
                }
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().map_or_else(|| dir.clone(), Path::to_path_buf);
                diags.push(Diagnostic::error(
                    relative(&config.root, &path),
                    format!("cannot read: {e}"),
                ));
            }
        }
    }
    files
}

fn load_file(config: &Config, path: &Path) -> (Option<Source>, Vec<Diagnostic>) {
    let bytes = match std::fs::read(config.root.join(path)) {
        Ok(b) => b,
        Err(e) => {
            return (
                None,
                vec![Diagnostic::error(path, format!("cannot read: {e}"))],
            );
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid =
                String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]).into_owned();
            let (line, col) = line_col(&valid, valid.len());
            let d = Diagnostic::error(path, "not valid UTF-8 text").at(line, Some(col));
            return (None, vec![d]);
        }
    };
    parse_text(path, &text, config)
}

/// Parses one article's text; `path` is only used in diagnostics.
pub fn parse_text(path: &Path, text: &str, config: &Config) -> (Option<Source>, Vec<Diagnostic>) {
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(p) => {
            return (
                None,
                vec![Diagnostic::error(path, p.message).at(p.line, p.col)],
            );
        }
    };
    let (meta, problems) = frontmatter::parse(split.yaml, &config.timezone);
    let diags = problems
        .into_iter()
        .map(|p| {
            let d = if p.warning {
                Diagnostic::warning(path, p.message)
            } else {
                Diagnostic::error(path, p.message)
            };
            d.at(p.line, p.col)
        })
        .collect();
    let source = meta.map(|meta| Source {
        path: path.to_path_buf(),
        meta,
        body: split.body.to_string(),
        body_line: split.body_line,
    });
    (source, diags)
}
