//! Reading the files of another generator: front matter in YAML, TOML or
//! JSON as one kind of map, and the values in it as the forms they come in.

use std::path::Path;

use jiff::ZonedDateTime as Zoned;
use jiff::tz::TimeZone;
use serde_json::Value;

use crate::content::frontmatter::dates::parse_date;
use crate::content::yaml;

pub type Map = serde_json::Map<String, Value>;

/// A source file's front matter and body.
#[derive(Debug, Default)]
pub struct FrontFile {
    pub front: Map,
    pub body: String,
}

/// Splits `text` into front matter (`---` YAML, `+++` TOML, or a JSON object
/// at the top) and body. A file without front matter is all body.
pub fn front_file(text: &str) -> Result<FrontFile, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.trim_start();
    if start.starts_with('{') {
        return json_front(text, start);
    }
    if !(start.starts_with("---") || start.starts_with("+++")) {
        return Ok(FrontFile {
            front: Map::new(),
            body: text.to_string(),
        });
    }
    let split = crate::content::frontmatter::split::split(text)
        .map_err(|p| format!("line {}: {}", p.line, p.message))?;
    let value = if split.toml {
        let table: toml::Table = toml::from_str(split.yaml).map_err(|e| e.message().to_string())?;
        from_toml(toml::Value::Table(table))
    } else {
        yaml::to_json(split.yaml).map_err(|e| match e.line {
            Some(line) => format!("line {}: {}", line + split.yaml_line - 1, e.message),
            None => e.message,
        })?
    };
    let Value::Object(front) = value else {
        return Err("the front matter is not a map of keys".into());
    };
    Ok(FrontFile {
        front,
        body: split.body.to_string(),
    })
}

fn json_front(text: &str, start: &str) -> Result<FrontFile, String> {
    let skipped = text.len() - start.len();
    let mut values = serde_json::Deserializer::from_str(start).into_iter::<Value>();
    let value = values
        .next()
        .ok_or("empty JSON front matter")?
        .map_err(|e| format!("line {}: {e}", e.line()))?;
    let end = skipped + values.byte_offset();
    let Value::Object(front) = value else {
        return Err("the JSON front matter is not an object".into());
    };
    let body = text[end..].strip_prefix('\n').unwrap_or(&text[end..]);
    Ok(FrontFile {
        front,
        body: body.to_string(),
    })
}

/// A TOML value as JSON; dates become their RFC 3339 text.
pub fn from_toml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(from_toml).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, from_toml(v))).collect())
        }
    }
}

/// A configuration file read by its extension (`.toml`, `.yaml`/`.yml`,
/// `.json`) into a map.
pub fn config_file(path: &Path) -> Result<Map, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    config_text(&text, ext).map_err(|e| format!("{}: {e}", path.display()))
}

/// [`config_file`] of `text`, read as the extension `ext` says.
pub fn config_text(text: &str, ext: &str) -> Result<Map, String> {
    let value = match ext {
        "toml" => toml::from_str::<toml::Table>(text)
            .map(|t| from_toml(toml::Value::Table(t)))
            .map_err(|e| e.to_string()),
        "json" => serde_json::from_str(text).map_err(|e| e.to_string()),
        _ => yaml::to_json(text).map_err(|e| match e.line {
            Some(line) => format!("line {line}: {}", e.message),
            None => e.message,
        }),
    }?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err("not a map of settings".into()),
    }
}

/// The map with every key lowercased (Hugo reads keys regardless of case).
pub fn lowercase_keys(map: Map) -> Map {
    map.into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect()
}

/// A scalar as text: strings, numbers and booleans.
pub fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of names: a list, or one string of several separated by commas
/// (when it has one) or else by white space, as gazette reads tags.
pub fn words(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(|v| text(Some(v))).collect(),
        Some(Value::String(s)) if s.contains(',') => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        other => text(other).into_iter().collect(),
    }
}

/// Names as authors are written: a string, a list, a map with `name`, or
/// a list of such maps.
pub fn names(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().flat_map(|v| names(Some(v))).collect(),
        Some(Value::Object(map)) => text(map.get("name")).into_iter().collect(),
        other => text(other).into_iter().collect(),
    }
}

/// A boolean written as one, or as `"true"`/`"false"`.
pub fn flag(value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A date in any form gazette reads (local forms in `tz`).
pub fn date(value: Option<&Value>, tz: &TimeZone) -> Option<Result<Zoned, String>> {
    text(value).map(|t| parse_date(&t, tz))
}

/// Whether a file at the site root is one gazette writes itself (its
/// robots.txt, sitemaps, feed, 404 page, home page), or the old site's
/// feed that gazette's replaces: a source's own is not copied.
pub fn is_generated(name: &str) -> bool {
    let own = [
        crate::url::ROBOTS,
        crate::url::SITEMAP,
        crate::url::NEWS_SITEMAP,
        crate::url::NOT_FOUND,
        &crate::url::feed(crate::url::HOME),
        "/index.html",
        "/atom.xml",
    ];
    own.iter().any(|path| path.trim_start_matches('/') == name)
}

/// The first of `names` (paths below `root`) that is a file: the source's
/// configuration; else an error saying the folder is not a `what` site.
pub fn config_path(root: &Path, names: &[&str], what: &str) -> Result<std::path::PathBuf, String> {
    names
        .iter()
        .map(|c| root.join(c))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("{}: not a {what} site (no {})", root.display(), names[0]))
}

/// The time zone of the new site: the one asked for (`--timezone`), else
/// the one the source's configuration names (`written`, in `file`), else
/// none (UTC), with a note saying why.
pub fn time_zone(
    asked: Option<&TimeZone>,
    written: Option<String>,
    file: &str,
    log: &mut super::Log,
) -> Option<(String, TimeZone)> {
    if let Some(tz) = asked {
        return Some((tz.iana_name().unwrap_or("UTC").to_string(), tz.clone()));
    }
    let name = match written {
        Some(name) => name,
        None => {
            log.note(format!(
                "time zone: {file} names none; UTC used, --timezone sets another"
            ));
            return None;
        }
    };
    match TimeZone::get(&name) {
        Ok(tz) => Some((name, tz)),
        Err(_) => {
            log.note(format!("{file}: time zone `{name}` is unknown; UTC used"));
            None
        }
    }
}

/// The lead image of front matter: `image` (a path, or a map with
/// `src`/`path`/`url`, `alt`, `caption`, `credit`), else the first other
/// key of `keys` that has one (`featured_image`, Hugo's `images` list...).
pub fn lead_image(front: &Map, keys: &[&str]) -> Option<super::post::LeadImage> {
    keys.iter().find_map(|key| {
        let value = front.get(*key)?;
        let value = match value {
            Value::Array(items) => items.first()?,
            v => v,
        };
        match value {
            Value::Object(map) => {
                let src = ["src", "path", "url", "image", "feature"]
                    .iter()
                    .find_map(|k| text(map.get(*k)))?;
                Some(super::post::LeadImage {
                    src,
                    alt: text(map.get("alt")),
                    caption: text(map.get("caption")),
                    credit: text(map.get("credit")),
                })
            }
            v => text(Some(v)).map(|src| super::post::LeadImage {
                src,
                ..Default::default()
            }),
        }
    })
}

/// The files under `root`, sorted, not descending into folders for which
/// `skip` is true (given the folder's name).
pub fn files_under(root: &Path, skip: impl Fn(&str) -> bool) -> Vec<std::path::PathBuf> {
    let mut files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !e.file_type().is_dir() || !skip(&e.file_name().to_string_lossy())
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// A list, or one value as a list of one (Hugo's taxonomy terms).
pub fn list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(|v| text(Some(v))).collect(),
        other => text(other).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_in_three_languages() {
        let yaml = front_file("\n---\ntitle: A\ntags: x y\n---\nBody\n").unwrap();
        assert_eq!(text(yaml.front.get("title")).as_deref(), Some("A"));
        assert_eq!(words(yaml.front.get("tags")), ["x", "y"]);
        assert_eq!(yaml.body, "Body\n");

        let toml = front_file("+++\ntitle = \"B\"\ndate = 2019-05-03T10:00:00+02:00\n+++\nText\n")
            .unwrap();
        assert_eq!(
            text(toml.front.get("date")).as_deref(),
            Some("2019-05-03T10:00:00+02:00")
        );

        let json = front_file("{\n  \"title\": \"C\",\n  \"tags\": [\"a\"]\n}\nText\n").unwrap();
        assert_eq!(text(json.front.get("title")).as_deref(), Some("C"));
        assert_eq!(json.body, "Text\n");

        let none = front_file("Just text\n").unwrap();
        assert!(none.front.is_empty());
        assert!(front_file("---\ntitle: [\n---\n").is_err());
    }

    #[test]
    fn author_forms() {
        let v: Value = serde_json::json!([{"name": "Ann Lee"}, "Bo Chen"]);
        assert_eq!(names(Some(&v)), ["Ann Lee", "Bo Chen"]);
        let v: Value = serde_json::json!({"name": "Ann Lee", "twitter": "ann"});
        assert_eq!(names(Some(&v)), ["Ann Lee"]);
    }
}
