//! Problems found in a site, as data: severity, file, line, column, message.
//!
//! Every stage pushes into one [`Diagnostics`] collector and keeps going, so a
//! run reports every problem at once. Paths are relative to the site root and
//! lines count from the top of the file. Nothing here prints: `main.rs` does.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: warnings never fail a build, errors always do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, tied to a file and, where known, a line and column
/// (1-based), and to the page being rendered when it arose there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub severity: Severity,
    pub message: String,
    pub rendering: Option<Rendering>,
}

/// The page whose rendering met a problem (in a template, say), and how
/// many other pages met the same one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rendering {
    /// The page's source, or its site path when it has none.
    pub page: PathBuf,
    pub more: usize,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path.into(), message.into())
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path.into(), message.into())
    }

    fn new(severity: Severity, path: PathBuf, message: String) -> Self {
        Self {
            path,
            line: None,
            col: None,
            severity,
            message,
            rendering: None,
        }
    }

    /// Says which page was being rendered.
    pub fn rendering(mut self, page: impl Into<PathBuf>) -> Self {
        self.rendering = Some(Rendering {
            page: page.into(),
            more: 0,
        });
        self
    }

    /// Whether `other` is the same problem, whatever page met it.
    pub fn same_problem(&self, other: &Diagnostic) -> bool {
        (
            &self.path,
            self.line,
            self.col,
            self.severity,
            &self.message,
        ) == (
            &other.path,
            other.line,
            other.col,
            other.severity,
            &other.message,
        )
    }

    /// Attaches a position; `col` may be unknown.
    pub fn at(mut self, line: usize, col: Option<usize>) -> Self {
        self.line = Some(line);
        self.col = col;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Forward slashes on every platform, so messages and snapshots agree.
        let path = self.path.to_string_lossy().replace('\\', "/");
        write!(f, "{label}: {path}:")?;
        if let Some(line) = self.line {
            write!(f, "{line}:")?;
            if let Some(col) = self.col {
                write!(f, "{col}:")?;
            }
        }
        write!(f, " {}", self.message)?;
        match &self.rendering {
            Some(Rendering { page, more: 0 }) => write!(f, " (rendering {})", page.display()),
            Some(Rendering { page, more }) => {
                write!(f, " (rendering {} and {more} more)", page.display())
            }
            None => Ok(()),
        }
    }
}

/// The collector every stage writes into.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Everything collected, sorted by file, line, column, then message, so
    /// the report is the same whatever order parallel stages finished in.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }
}

/// Marker for "this stage failed; the reasons are in the diagnostics".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failed;

/// The nearest of `candidates` to a misspelt `key`, if one is close enough
/// to be a plausible typo.
pub fn did_you_mean<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(key, c), *c))
        .filter(|(distance, c)| *distance <= (c.len().max(key.len()) / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `path` relative to `root` for messages; unchanged if it lies elsewhere.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["title", "base_url", "timezone", "per_page"];
        assert_eq!(did_you_mean("titel", &keys), Some("title"));
        assert_eq!(did_you_mean("time_zone", &keys), Some("timezone"));
        assert_eq!(did_you_mean("colour", &keys), None);
    }

    #[test]
    fn formats_with_and_without_position() {
        let d = Diagnostic::error("content/a.md", "bad").at(3, Some(7));
        assert_eq!(d.to_string(), "error: content/a.md:3:7: bad");
        let d = Diagnostic::warning("gazette.toml", "odd");
        assert_eq!(d.to_string(), "warning: gazette.toml: odd");
        let mut d = Diagnostic::error("templates/a.html", "bad").rendering("content/b.md");
        assert_eq!(
            d.to_string(),
            "error: templates/a.html: bad (rendering content/b.md)"
        );
        d.rendering.as_mut().unwrap().more = 2;
        assert!(
            d.to_string()
                .ends_with("(rendering content/b.md and 2 more)")
        );
    }

    #[test]
    fn line_col_counts_from_one_in_chars() {
        let text = "ab\ncdé\nf";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 8), (3, 1));
        assert_eq!(line_col(text, 999), (3, 2));
    }
}
