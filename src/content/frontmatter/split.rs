//! Where the front matter is: the `---` fenced block at the top of an
//! article file, and what a Jekyll-style file name says.

use jiff::civil::Date;

use super::Problem;

/// The front matter block and the body of an article file.
pub struct Split<'a> {
    pub yaml: &'a str,
    /// Whether the block is TOML (`+++` fences) rather than YAML.
    pub toml: bool,
    /// 1-based line of the file where `yaml` starts (2, unless blank
    /// lines come before the opening `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// Separates the front matter from the body: YAML between `---` lines, or
/// TOML between `+++` lines (as Hugo writes it). Blank lines
/// before the opening `---` are skipped, as other generators do.
pub fn split(text: &str) -> Result<Split<'_>, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(problem(
            1,
            "empty file: an article needs front matter with at least `title` and `date`",
        ));
    }
    let (mut start, mut opening_line) = (0, 1);
    while let Some(end) = text[start..].find('\n').map(|i| start + i + 1) {
        if !text[start..end].trim().is_empty() {
            break;
        }
        start = end;
        opening_line += 1;
    }
    let first_end = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    let fence = text[start..first_end].trim_end();
    if fence != "---" && fence != "+++" {
        return Err(problem(
            opening_line,
            "missing front matter: the file must start with a `---` line",
        ));
    }
    let mut offset = first_end;
    let mut line = opening_line + 1;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        if text[offset..end].trim_end() == fence {
            return Ok(Split {
                yaml: &text[first_end..offset],
                toml: fence == "+++",
                yaml_line: opening_line + 1,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(problem(
        opening_line,
        format!("front matter opened here is never closed by a `{fence}` line"),
    ))
}

fn problem(line: usize, message: impl Into<String>) -> Problem {
    Problem {
        line,
        col: None,
        message: message.into(),
        warning: false,
    }
}

/// What a Jekyll-style file name (`2001-01-18-stable-snapshot.md`) says:
/// used when the front matter has no `date` (the date, at midnight in the
/// site time zone) and, then, no `slug`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileName<'a> {
    pub date: &'a str,
    pub slug: &'a str,
}

impl<'a> FileName<'a> {
    /// `None` unless the name is `YYYY-MM-DD-slug.md` with a real date.
    pub fn of(name: &'a str) -> Option<FileName<'a>> {
        let stem = name.strip_suffix(".md")?;
        let (date, slug) = (stem.get(..10)?, stem.get(10..)?.strip_prefix('-')?);
        (date.parse::<Date>().is_ok() && !slug.is_empty()).then_some(FileName { date, slug })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_block_and_body_line() {
        let s = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
        assert!(split("---\ntitle: a\n").is_err());
        assert!(split("title: a\n").is_err());
        assert!(split("").is_err());
    }
}
