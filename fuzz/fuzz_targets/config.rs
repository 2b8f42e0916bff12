//! `gazette.toml`: parsed by `gazette::config::parse` (TOML, unknown keys
//! found and placed), then validated by `Config::from_raw`.
//!
//! Beyond not panicking: every diagnostic names gazette.toml, at a line
//! that exists and a column from 1; a parse that fails says why; a
//! configuration that validates has counts of at least 1 and a theme name.

#![no_main]

use std::path::Path;

use gazette::config::{self, Config, Overrides};
use gazette::diagnostics::Diagnostics;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Diagnostics::default();
    let parsed = config::parse(src, &mut diags);
    let validated = parsed
        .ok()
        .map(|raw| Config::from_raw(Path::new("."), raw, &Overrides::default(), src, &mut diags));
    let failed = validated.as_ref().is_none_or(|v| v.is_err());
    let diags = diags.into_sorted();
    assert!(!failed || !diags.is_empty(), "failed without saying why");
    let lines = src.matches('\n').count() + 1;
    for d in &diags {
        assert_eq!(d.path, Path::new(config::CONFIG_FILE), "{d}");
        if let Some(line) = d.line {
            assert!((1..=lines).contains(&line), "line {line} of {lines}: {d}");
        }
        assert!(d.col.is_none_or(|c| c >= 1), "{d}");
    }
    if let Some(Ok(config)) = validated {
        assert!(config.per_page >= 1 && config.feed_limit >= 1);
        assert!(!config.theme.is_empty() && !config.language.is_empty());
    }
});
