//! Build a copy of a fixture into a temporary output and look at the
//! result.
//!
//! A build writes its caches into the site it builds (`ROOT/.gazette/`),
//! so no test builds a site in place: [`build`] and [`build_with`] copy
//! the fixture first, and whatever builds or edits a site takes a
//! [`TempDir`] (a [`copy_fixture`], a [`sample_site`] or a site made by
//! the test), never a path into the repository.

use std::path::{Path, PathBuf};

use gazette::{BuildOptions, Mode, Report};
use jiff::Timestamp;
use tempfile::TempDir;

/// 2025-06-15T00:00:00Z: the build time of every fixture build, so that
/// "future" is stable.
pub const BUILD_TIME: i64 = 1_749_945_600;

/// The fixture folder as stored: to read or copy, never to build.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A finished build: the report and the output folder (kept alive by
/// `_dir`), and the site it was built from.
pub struct Built {
    pub report: Report,
    pub out: PathBuf,
    /// The site that was built, which holds the build's caches.
    pub root: PathBuf,
    /// The copy of the fixture, when the harness made it.
    _site: Option<TempDir>,
    _dir: TempDir,
}

impl Built {
    /// The text of an output file; panics with the list of files if absent.
    pub fn read(&self, rel: &str) -> String {
        let path = self.out.join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{rel}: {e}\nerrors:\n{}\nfiles:\n{}",
                self.errors(),
                self.files().join("\n")
            )
        })
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out.join(rel).exists()
    }

    /// Every file of the output, relative, sorted, with `/` separators.
    pub fn files(&self) -> Vec<String> {
        files_under(&self.out)
    }

    pub fn errors(&self) -> String {
        diagnostics_text(&self.report)
    }

    pub fn assert_ok(&self) -> &Self {
        assert!(
            self.report.summary.is_some(),
            "build failed:\n{}",
            self.errors()
        );
        self
    }
}

pub fn diagnostics_text(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn files_under(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// Unminified build options for the scratch site `site`.
pub fn options(site: &TempDir) -> BuildOptions {
    let mut o = BuildOptions::new(site.path(), Timestamp::from_second(BUILD_TIME).unwrap());
    o.minify = false;
    o
}

/// Builds a copy of the fixture `name` (unminified) into a fresh temporary
/// folder.
pub fn build(name: &str) -> Built {
    build_with(name, |_| {})
}

pub fn build_with(name: &str, tweak: impl FnOnce(&mut BuildOptions)) -> Built {
    let site = copy_fixture(name);
    let built = build_root(&site, tweak);
    Built {
        _site: Some(site),
        ..built
    }
}

/// Builds the scratch site `site` (unminified) into a fresh temporary
/// folder.
pub fn build_root(site: &TempDir, tweak: impl FnOnce(&mut BuildOptions)) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut o = options(site);
    o.output = Some(out.clone());
    tweak(&mut o);
    let report = gazette::build(&o, &());
    Built {
        report,
        out,
        root: site.path().to_path_buf(),
        _site: None,
        _dir: dir,
    }
}

/// Runs `check` on a scratch site and returns the report.
pub fn check(site: &TempDir) -> Report {
    let mut o = options(site);
    o.mode = Mode::Check;
    gazette::build(&o, &())
}

/// Copies a fixture into a temporary folder, to build or change it.
pub fn copy_fixture(name: &str) -> TempDir {
    copy_site(&fixture(name))
}

/// A copy of a site, without the build manifests and caches of builds
/// that ran in it.
pub fn copy_site(src: &Path) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_into(src, dir.path());
    dir
}

/// What the sample site at the repository root consists of; the rest of
/// the repository (sources, `target/`, `node_modules/`) is not part of it.
const SAMPLE_SITE: &[&str] = &[
    "gazette.toml",
    "content",
    "static",
    "data",
    "templates",
    "themes",
];

/// A copy of the sample site at the repository root.
pub fn sample_site() -> TempDir {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for part in SAMPLE_SITE {
        let src = repository.join(part);
        if src.exists() {
            copy_into(&src, &dir.path().join(part));
        }
    }
    dir
}

/// Copies the file or folder `src` to `dest`, leaving out `.gazette`
/// folders.
fn copy_into(src: &Path, dest: &Path) {
    for entry in walkdir::WalkDir::new(src)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".gazette")
    {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let to = if rel.as_os_str().is_empty() {
            dest.to_path_buf()
        } else {
            dest.join(rel)
        };
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// Makes the site's files look settled to the article cache, which keeps
/// nothing modified in the seconds before a build: files modified in
/// the last ten minutes are dated an hour earlier (an edited file thus
/// still gets a time of its own).
pub fn settle(site: &TempDir) {
    let now = std::time::SystemTime::now();
    let recent = now - std::time::Duration::from_secs(600);
    for entry in walkdir::WalkDir::new(site.path())
        .into_iter()
        .filter_entry(|e| e.file_name() != ".gazette")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let modified = entry.metadata().unwrap().modified().unwrap();
        if modified > recent {
            let file = std::fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap();
            file.set_modified(modified - std::time::Duration::from_secs(3600))
                .unwrap();
        }
    }
}

/// The JSON-LD object of a page.
pub fn json_ld(html: &str) -> serde_json::Value {
    let start = html
        .find(r#"<script type="application/ld+json">"#)
        .expect("JSON-LD present")
        + r#"<script type="application/ld+json">"#.len();
    let end = start + html[start..].find("</script>").expect("script closed");
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses")
}

/// Fails, showing `text`, unless it contains `part`.
#[track_caller]
pub fn assert_contains(text: &str, part: &str) {
    assert!(text.contains(part), "missing `{part}` in:\n{text}");
}
