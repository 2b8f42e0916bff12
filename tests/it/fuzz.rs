//! Arbitrary input never panics: the front matter and Markdown stages, and
//! whole sites made of arbitrary article files.

use std::path::Path;

use gazette::config::{Config, Overrides, RawConfig};
use gazette::content::markdown::{self, Links};
use gazette::diagnostics::Diagnostics;
use proptest::prelude::*;

struct AnyLinks;
impl Links for AnyLinks {
    fn article(&self, _: &Path) -> Result<String, String> {
        Err("none".into())
    }
    fn file_exists(&self, path: &Path) -> bool {
        path.to_string_lossy().len() % 2 == 0
    }
}

fn config() -> Config {
    Config::from_raw(
        Path::new("."),
        RawConfig::default(),
        &Overrides::default(),
        "",
        &mut Diagnostics::default(),
    )
    .unwrap()
}

fn exercise(text: &str) {
    let config = config();
    let (source, _) = gazette::content::parse_text(Path::new("content/x.md"), text, &config);
    let body = source
        .as_ref()
        .and_then(|s| s.body.as_deref())
        .unwrap_or(text);
    let input = markdown::Input {
        body,
        body_line: source.as_ref().map_or(1, |s| s.body_line),
        source: Path::new("content/a/x.md"),
        page_link: "/a/",
        raw_html: false,
        template_code: true,
        slugs: gazette::content::slug::Slugs::Ascii,
        images: &gazette::images::Settings::default(),
    };
    let _ = markdown::render(&input, &AnyLinks);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        exercise(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_front_matter_never_panics(yaml in "(title|date|tags|image|authors|slug|aliases|extra|[a-z]{1,6})(: ?)([ -~\n\t]{0,80})", body in "[ -~\n]{0,200}") {
        exercise(&format!("---\n{yaml}\n---\n{body}"));
    }

    #[test]
    fn front_matter_shaped_values_never_panic(
        date in "[0-9T:+Z -]{0,30}",
        slug in "[a-z./\\\\ ]{0,12}",
        image in "[a-z./:#?%]{0,16}",
        link in "[a-z./:#?%]{0,16}",
    ) {
        exercise(&format!(
            "---\ntitle: t\ndate: \"{date}\"\nslug: \"{slug}\"\nimage: \"{image}\"\naliases: [\"{link}\"]\n---\n[x]({link}) ![y]({image})\n"
        ));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn whole_site_with_arbitrary_articles_never_panics(files in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..200), 1..4)) {
        let site = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join("gazette.toml"), "title = \"t\"\n").unwrap();
        std::fs::create_dir(site.path().join("content")).unwrap();
        for (i, bytes) in files.iter().enumerate() {
            let mut text = b"---\ntitle: x\ndate: 2024-01-01\n".to_vec();
            text.extend_from_slice(bytes);
            std::fs::write(site.path().join(format!("content/{i}.md")), text).unwrap();
        }
        let report = gazette::build(&crate::harness::options(&site), &());
        for d in &report.diagnostics {
            prop_assert!(!d.path.is_absolute(), "{d}");
        }
    }
}
