//! The suite builds copies: a build writes its caches into the site it
//! builds (`ROOT/.gazette/`), so a test that built a fixture in place
//! would leave them in `tests/fixtures/`, and the next test building that
//! fixture would read them.

use std::path::Path;
use std::time::SystemTime;

use crate::harness::{build, fixture};

/// Every entry under `dir`, with its size and modification time.
fn listing(dir: &Path) -> Vec<(String, u64, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, meta.len(), meta.modified().unwrap())
        })
        .collect()
}

#[test]
fn building_a_fixture_leaves_its_folder_as_it_was() {
    let folder = fixture("basic");
    let before = listing(&folder);
    let built = build("basic");
    built.assert_ok();
    assert!(
        !built.root.starts_with(env!("CARGO_MANIFEST_DIR")),
        "built in the repository: {}",
        built.root.display()
    );
    assert!(
        built.root.join(".gazette/manifests").is_dir(),
        "the build kept its manifest in the copy it built"
    );
    assert_eq!(
        listing(&folder),
        before,
        "building the fixture wrote into tests/fixtures/basic"
    );
}
