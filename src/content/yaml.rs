//! Every YAML call of the project, so that swapping `serde_yaml` (deprecated
//! upstream) for a maintained fork touches one file.

use serde::de::DeserializeOwned;

/// Free-form YAML data (front matter `extra`), serializable into templates.
pub type Value = serde_yaml::Value;

/// A YAML problem, positioned within the YAML text (1-based).
#[derive(Debug)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub col: Option<usize>,
}

/// Deserializes `yaml` into `T`, collecting the dotted paths of keys that
/// `T` does not know into `unknown` instead of failing on them.
pub fn from_str_collecting_unknown<T: DeserializeOwned + Default>(
    yaml: &str,
    unknown: &mut Vec<String>,
) -> Result<T, YamlError> {
    if yaml.trim().is_empty() {
        return Ok(T::default());
    }
    let deserializer = serde_yaml::Deserializer::from_str(yaml);
    serde_ignored::deserialize(deserializer, |path| unknown.push(path.to_string())).map_err(
        |e: serde_yaml::Error| {
            let (line, col) = position(yaml, &e);
            let mut message = e.to_string();
            // serde_yaml appends " at line L column C"; the position is
            // reported separately, counted from the top of the file.
            if let Some(i) = message.find(" at line ") {
                message.truncate(i);
            }
            YamlError { message, line, col }
        },
    )
}

/// Where in `yaml` the error is (line and column, 1-based), with lines
/// counted as every other position in gazette is, by `\n`: YAML's own
/// line numbers also count a lone `\r`, NEL, LS and PS as line breaks,
/// which would point past the end of a file that has them.
fn position(yaml: &str, e: &serde_yaml::Error) -> (Option<usize>, Option<usize>) {
    match e.location() {
        Some(l) => {
            let (line, col) = crate::diagnostics::line_col(yaml, l.index());
            (Some(line), Some(col))
        }
        None => (None, None),
    }
}

/// The value of top-level `key` of a YAML mapping, deserialized as `T`:
/// `None` if the text or the key is not there, else whether it fits.
pub fn key_as<T: DeserializeOwned>(yaml: &str, key: &str) -> Option<Result<T, String>> {
    let mapping: serde_yaml::Mapping = serde_yaml::from_str(yaml).ok()?;
    let value = mapping.get(key)?.clone();
    Some(serde_yaml::from_value(value).map_err(|e| e.to_string()))
}

/// Reads a YAML data file (such as author profiles) into `T`.
pub fn from_str<T: DeserializeOwned>(yaml: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(yaml).map_err(|e| {
        let (line, col) = position(yaml, &e);
        YamlError {
            message: e.to_string(),
            line,
            col,
        }
    })
}

/// Writes `value` as YAML (front matter of new articles).
pub fn to_string<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

/// Reads YAML written for another generator (its front matter, its
/// configuration) as a JSON value, so that its readers handle YAML, TOML and
/// JSON alike. Dates are strings, as YAML loads them here.
pub fn to_json(yaml: &str) -> Result<serde_json::Value, YamlError> {
    if yaml.trim().is_empty() {
        return Ok(serde_json::Value::Object(serde_json::Map::new()));
    }
    let value: serde_yaml::Value = from_str(yaml)?;
    serde_json::to_value(value).map_err(|e| YamlError {
        message: e.to_string(),
        line: None,
        col: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzz/ (front_matter): a lone `\r` is a line break to YAML,
    /// not to gazette, so an error after one was reported past the file's
    /// last line (`---\n\r"\n---` has 3 lines; the error was on line 4).
    #[test]
    fn error_lines_count_newlines_only() {
        let mut unknown = Vec::new();
        let e =
            from_str_collecting_unknown::<serde_yaml::Value>("\r\"\n", &mut unknown).unwrap_err();
        assert_eq!((e.line, e.col), (Some(2), Some(1)), "{}", e.message);
        let e = from_str::<serde_yaml::Value>("a: 1\u{2028}b: [\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{}", e.message);
    }
}
