//! The configuration and data files of the sites `gazette import` reads:
//! the input's first line is the file's name (`hugo.toml`, `_config.yml`,
//! `config.json`...), which picks the language (TOML, JSON, else YAML), the
//! rest its text, read by `gazette::import::text::config`; the text is also
//! read as Jekyll's `_data/authors.yml` (`text::jekyll_authors`).
//!
//! Beyond not panicking: a configuration that is read serializes to JSON
//! and back unchanged (floats to their last digits); every profile link
//! of an author is an http(s) URL, every photo a URL or a site path.

#![no_main]

use gazette::import::text;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// Equal values, but for the last digits of floats: serde_json reads a
/// float back to the nearest value only with its `float_roundtrip`
/// feature, which the fuzz build leaves off, as gazette does.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x == y || ((x - y) / x.abs().max(y.abs())).abs() < 1e-12
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (name, file) = input.split_once('\n').unwrap_or((input, ""));
    if let Ok(map) = text::config(name, file) {
        let json = serde_json::to_string(&map).expect("a map of JSON values serializes");
        let back: Value = serde_json::from_str(&json).expect("and reads back");
        assert!(same(&back, &Value::Object(map)), "{json}");
    }
    if let Ok(profiles) = text::jekyll_authors(file) {
        for profile in profiles.values() {
            for link in &profile.links {
                assert!(link.url.starts_with("http"), "link {:?}", link.url);
            }
            if let Some(photo) = &profile.photo {
                assert!(
                    photo.starts_with("http") || photo.starts_with('/'),
                    "{photo:?}"
                );
            }
        }
    }
});
