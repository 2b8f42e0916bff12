//! The article URL pattern (`permalinks.article`): literal segments and
//! `:year`, `:month`, `:day`, `:slug`, `:section` tokens.

/// The article URL pattern, as a list of literal and token parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Year,
    Month,
    Day,
    Slug,
    Section,
}

impl Default for Permalink {
    fn default() -> Self {
        Permalink::parse("/:year/:month/:day/:slug/").expect("the default pattern is valid")
    }
}

/// The values a permalink pattern can use.
pub struct PermalinkValues<'a> {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub slug: &'a str,
    pub section: Option<&'a str>,
}

impl Permalink {
    pub fn parse(pattern: &str) -> Result<Permalink, String> {
        if !pattern.starts_with('/') || !pattern.ends_with('/') {
            return Err(format!("`{pattern}` must start and end with `/`"));
        }
        let mut parts = Vec::new();
        for segment in pattern.split('/').filter(|s| !s.is_empty()) {
            let part = match segment {
                ":year" => Part::Year,
                ":month" => Part::Month,
                ":day" => Part::Day,
                ":slug" => Part::Slug,
                ":section" => Part::Section,
                s if s.starts_with(':') => {
                    return Err(format!(
                        "unknown token `{s}` (known: :year :month :day :slug :section)"
                    ));
                }
                s if s == "." || s == ".." || !is_clean_segment(s) => {
                    return Err(format!("`{s}` is not a usable path segment"));
                }
                s => Part::Literal(s.to_string()),
            };
            parts.push(part);
        }
        if !parts.contains(&Part::Slug) {
            return Err(format!(
                "`{pattern}` must contain :slug so that article URLs differ"
            ));
        }
        Ok(Permalink { parts })
    }

    pub fn uses_section(&self) -> bool {
        self.parts.contains(&Part::Section)
    }

    /// The site path of an article. `section` must be given if the pattern
    /// uses it (callers check [`Permalink::uses_section`]).
    pub fn expand(&self, v: &PermalinkValues<'_>) -> String {
        use std::fmt::Write;
        let mut url = String::with_capacity(16 + v.slug.len() + v.section.map_or(0, str::len));
        url.push('/');
        for part in &self.parts {
            // Writing into a String cannot fail.
            let _ = match part {
                Part::Literal(s) => url.write_str(s),
                Part::Year => write!(url, "{:04}", v.year),
                Part::Month => write!(url, "{:02}", v.month),
                Part::Day => write!(url, "{:02}", v.day),
                Part::Slug => url.write_str(v.slug),
                Part::Section => url.write_str(v.section.unwrap_or("")),
            };
            url.push('/');
        }
        url
    }
}

/// The pattern as written in gazette.toml.
impl std::fmt::Display for Permalink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("/")?;
        for part in &self.parts {
            match part {
                Part::Literal(s) => f.write_str(s)?,
                Part::Year => f.write_str(":year")?,
                Part::Month => f.write_str(":month")?,
                Part::Day => f.write_str(":day")?,
                Part::Slug => f.write_str(":slug")?,
                Part::Section => f.write_str(":section")?,
            }
            f.write_str("/")?;
        }
        Ok(())
    }
}

fn is_clean_segment(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permalink_expands_tokens() {
        let p = Permalink::parse("/:section/:year/:slug/").unwrap();
        let v = PermalinkValues {
            year: 2022,
            month: 1,
            day: 7,
            slug: "a-b",
            section: Some("world"),
        };
        assert_eq!(p.expand(&v), "/world/2022/a-b/");
        assert_eq!(p.to_string(), "/:section/:year/:slug/");
        assert!(Permalink::parse("/:year/:title/").is_err());
        assert!(Permalink::parse("/:year/").is_err());
        assert!(Permalink::parse("/../:slug/").is_err());
    }
}
