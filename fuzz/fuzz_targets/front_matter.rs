//! An article file (`content/**/*.md`): front matter (YAML between `---`,
//! TOML between `+++`) split off and validated by
//! `gazette::content::parse_text`, in three site settings (UTC and ASCII
//! slugs; New York, whose clocks skip and repeat an hour; Tokyo with
//! Japanese slugs), chosen by the input's length.
//!
//! Beyond not panicking: every diagnostic names the file and a line that
//! exists (1-based, of the whole file); an article that loads has no
//! errors, a trimmed non-empty title, a slug, clean names, aliases that are
//! site paths, and a body that is the end of the file.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use gazette::Severity;
use gazette::config::{Config, Overrides, RawConfig};
use gazette::diagnostics::Diagnostics;
use libfuzzer_sys::fuzz_target;

fn config(timezone: &str, language: &str) -> Config {
    let raw = RawConfig {
        timezone: Some(timezone.into()),
        language: Some(language.into()),
        ..RawConfig::default()
    };
    Config::from_raw(
        Path::new("."),
        raw,
        &Overrides::default(),
        "",
        &mut Diagnostics::default(),
    )
    .expect("a valid configuration")
}

static CONFIGS: LazyLock<[Config; 3]> = LazyLock::new(|| {
    [
        config("UTC", "en"),
        config("America/New_York", "en-US"),
        config("Asia/Tokyo", "ja"),
    ]
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let config = &CONFIGS[data.len() % 3];
    let path = Path::new("content/2024/01/2024-01-02-an-article.md");
    let (source, diagnostics) = gazette::content::parse_text(path, text, config);
    let lines = text.matches('\n').count() + 1;
    for d in &diagnostics {
        assert_eq!(d.path, path, "{d}");
        if let Some(line) = d.line {
            assert!((1..=lines).contains(&line), "line {line} of {lines}: {d}");
        }
        assert!(d.col.is_none_or(|c| c >= 1), "{d}");
        assert!(!d.message.trim().is_empty(), "{d:?}");
    }
    let Some(source) = source else {
        return;
    };
    assert!(
        diagnostics.iter().all(|d| d.severity == Severity::Warning),
        "an article loaded despite errors: {diagnostics:?}"
    );
    let meta = &source.meta;
    assert!(
        !meta.title.is_empty() && meta.title == meta.title.trim(),
        "{meta:?}"
    );
    assert!(!meta.slug.is_empty(), "{meta:?}");
    for name in meta.authors.iter().chain(&meta.tags).chain(&meta.section) {
        assert!(!name.is_empty() && name == name.trim(), "name {name:?}");
    }
    for alias in &meta.aliases {
        let plain = alias
            .split('/')
            .all(|s| s != "." && s != ".." && !s.contains('\\'));
        assert!(alias.starts_with('/') && plain, "alias {alias:?}");
    }
    if let Some(summary) = &meta.summary {
        assert!(!summary.is_empty() && summary == summary.trim());
    }
    assert!(
        (1..=lines + 1).contains(&source.body_line),
        "body line {}",
        source.body_line
    );
    let body = source.body.as_deref().expect("parse_text keeps the body");
    assert!(text.ends_with(body), "the body is not the end of the file");
});
