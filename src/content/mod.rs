//! Stage 1, load: walk `content/`, read every `*.md` file and parse its
//! front matter, in parallel.
//!
//! Takes the config; returns one [`Source`] per readable article, sorted by
//! path, and diagnostics for the rest. Knows nothing of URLs or templates,
//! nor of any cache: what it may reuse of earlier builds it asks through
//! [`Recall`], which the pipeline answers.

pub mod asked;
pub mod foreign;
pub mod frontmatter;
pub mod markdown;
pub mod slug;
pub mod terms;
pub mod words;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, line_col, relative};
use crate::reuse::{Folder, Stamp};
use frontmatter::SharedMeta;

/// An article file as loaded: validated front matter, and the raw
/// Markdown body when it is kept (by `serve`). A build does not keep the
/// bodies of a whole archive in memory: it reads each again when it needs
/// it ([`read_body`]), checked against `body_hash`.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root (`content/2022/01/a.md`).
    pub path: PathBuf,
    pub meta: SharedMeta,
    /// Shared with `serve`'s cache.
    pub body: Option<crate::shared::Shared<str>>,
    pub body_hash: u64,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
    /// Size and time of the file, taken before it was read, when it
    /// loaded without errors (what is learned of it may then be kept).
    pub stamp: Option<Stamp>,
    /// The warnings about its front matter, to give again when what was
    /// learned of it is reused.
    pub warnings: Vec<Diagnostic>,
    /// Where the [`Recall`] that gave it keeps it, for the recall of its
    /// body to find it there without a search (`None`: read from its file).
    pub kept_at: Option<usize>,
}

/// A file's source, if it has one, and the problems found in it.
pub type Loaded = (Option<Source>, Vec<Diagnostic>);

/// What loading may reuse of earlier builds. Content asks; the pipeline
/// answers from its stores.
pub trait Recall: Sync {
    /// The file at `path` as an earlier build loaded it, if the file still
    /// has `stamp`.
    fn recall(&self, path: &Path, stamp: Stamp) -> Option<Loaded>;

    /// The file at `path` as an earlier build loaded it, if it is known
    /// not to have changed since (so it need not even be looked at).
    fn unchanged(&self, _path: &Path) -> Option<Loaded> {
        None
    }

    /// Told of each file loaded afresh.
    fn remember(&self, _path: &Path, _stamp: Stamp, _loaded: &Loaded) {}

    /// Whether loaded files keep their Markdown bodies in memory.
    fn keep_bodies(&self) -> bool {
        false
    }
}

/// Reuses nothing.
impl Recall for () {
    fn recall(&self, _path: &Path, _stamp: Stamp) -> Option<Loaded> {
        None
    }
}

fn body_hash(body: &str) -> u64 {
    crate::fingerprint::of(body)
}

/// The Markdown body of an article file, read again; an error if the file
/// changed since it was loaded (`body_hash`) or cannot be read.
pub fn read_body(root: &Path, path: &Path, expected_hash: u64) -> Result<String, Diagnostic> {
    let changed = || {
        Diagnostic::error(
            path,
            "the file changed during the build; build again (with `--clean` if it was replaced by a file of the same size and time)".to_string(),
        )
    };
    let text = std::fs::read_to_string(root.join(path))
        .map_err(|e| Diagnostic::error(path, format!("cannot read: {e}")))?;
    let split = frontmatter::split(&text).map_err(|_| changed())?;
    if body_hash(split.body) != expected_hash {
        return Err(changed());
    }
    Ok(split.body.to_string())
}

/// Loads the article files `files` (from [`walk`]).
pub fn load(
    config: &Config,
    files: &[PathBuf],
    recall: &dyn Recall,
    diags: &mut Diagnostics,
) -> Vec<Source> {
    // Each file's stamp is taken relative to the open root folder: about a
    // fifth cheaper than by a path joined to the root (bench/README.md).
    let root = Folder::open(&config.root).ok();
    let results: Vec<Loaded> = files
        .par_iter()
        .map(|path| load_one(config, root.as_ref(), recall, path))
        .collect();
    let mut sources = Vec::with_capacity(results.len());
    for (source, problems) in results {
        diags.extend(problems);
        sources.extend(source);
    }
    sources
}

/// The `*.md` files under `content/`, relative to the root, sorted. Hidden
/// files and folders (editor backups, `.git`) are skipped, and so are
/// Hugo's `_index.md` files, which describe a section, not an article.
/// Symbolic links are followed inside the site only ([`crate::walk`]).
pub fn walk(config: &Config, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let hidden = |name: &str| name.starts_with('.');
    crate::walk::files(
        &config.root,
        &config.content_dir(),
        hidden,
        is_article_file,
        diags,
    )
    .into_iter()
    .map(|p| relative(&config.root, &p))
    .collect()
}

/// Whether a file of `content/` is an article: Markdown, but not Hugo's
/// `_index.md`.
///
/// Read from the path's last bytes: a walk of an archive asks this of
/// every file, and `Path::extension` parses the path's components.
pub fn is_article_file(p: &Path) -> bool {
    let path = p.as_os_str().as_encoded_bytes();
    let name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    // `.md` alone is a hidden file's name, with no extension.
    name.len() > 3 && name.ends_with(b".md") && name != b"_index.md"
}

/// Loads one file, unless `recall` has it as it is now.
fn load_one(config: &Config, root: Option<&Folder>, recall: &dyn Recall, path: &Path) -> Loaded {
    if let Some(loaded) = recall.unchanged(path) {
        return loaded;
    }
    let keep_body = recall.keep_bodies();
    // Taken before reading: a file changed meanwhile is remembered under
    // its old stamp, so it is read again next time.
    let stamp = match root {
        Some(root) => Stamp::at(root, path),
        None => Stamp::of(&config.root.join(path)),
    };
    let Ok(stamp) = stamp else {
        return load_file(config, path, keep_body);
    };
    if let Some(loaded) = recall.recall(path, stamp) {
        return loaded;
    }
    let (mut source, problems) = load_file(config, path, keep_body);
    let only_warnings = !problems.iter().any(Diagnostic::is_error);
    if let Some(s) = source.as_mut().filter(|_| only_warnings) {
        s.stamp = Some(stamp);
        s.warnings = problems.clone();
    }
    let loaded = (source, problems);
    recall.remember(path, stamp, &loaded);
    loaded
}

fn load_file(config: &Config, path: &Path, keep_body: bool) -> Loaded {
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
    parse(path, &text, config, keep_body)
}

/// Parses one article's text; `path` is only used in diagnostics.
pub fn parse_text(path: &Path, text: &str, config: &Config) -> (Option<Source>, Vec<Diagnostic>) {
    parse(path, text, config, true)
}

/// Parses one article's text, keeping its body only if asked.
fn parse(path: &Path, text: &str, config: &Config, keep_body: bool) -> Loaded {
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(p) => {
            return (
                None,
                vec![Diagnostic::error(path, p.message).at(p.line, p.col)],
            );
        }
    };
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(frontmatter::FileName::of);
    let read = match split.toml {
        true => frontmatter::parse_toml,
        false => frontmatter::parse,
    };
    let (meta, problems) = read(
        split.yaml,
        split.yaml_line,
        file_name,
        &config.timezone,
        config.slugs,
    );
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
        meta: SharedMeta::new(meta),
        body: keep_body.then(|| split.body.into()),
        body_hash: body_hash(split.body),
        body_line: split.body_line,
        stamp: None,
        warnings: Vec::new(),
        kept_at: None,
    });
    (source, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_file_is_markdown_but_not_a_section_index() {
        let cases = [
            ("content/2024/a.md", true),
            ("a.md", true),
            ("content/a..md", true),
            ("content/_index.md", false),
            ("_index.md", false),
            ("content/x_index.md", true),
            ("content/.md", false),
            ("content/a.md.txt", false),
            ("content/a.MD", false),
            ("content/a.markdown", false),
            ("content/md", false),
        ];
        for (path, article) in cases {
            let p = Path::new(path);
            assert_eq!(is_article_file(p), article, "{path}");
            // As the component-wise reading of the path says.
            let by_parts = p.extension().is_some_and(|x| x == "md")
                && p.file_name().is_some_and(|n| n != "_index.md");
            assert_eq!(by_parts, article, "{path}");
        }
    }

    #[test]
    fn a_body_read_again_must_be_the_one_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let file = Path::new("content/a.md");
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let text = "---\ntitle: A\ndate: 2024-01-02\n---\nThe body.\n";
        std::fs::write(dir.path().join(file), text).unwrap();
        let config = crate::config::Config::from_raw(
            dir.path(),
            crate::config::RawConfig::default(),
            &crate::config::Overrides::default(),
            "",
            &mut Diagnostics::default(),
        )
        .unwrap();
        let (source, problems) = parse_text(file, text, &config);
        assert!(problems.is_empty(), "{problems:?}");
        let hash = source.unwrap().body_hash;
        assert_eq!(read_body(dir.path(), file, hash).unwrap(), "The body.\n");
        std::fs::write(dir.path().join(file), text.replace("The", "A changed")).unwrap();
        let error = read_body(dir.path(), file, hash).unwrap_err();
        assert!(
            error.message.contains("changed during the build"),
            "{error}"
        );
    }
}
