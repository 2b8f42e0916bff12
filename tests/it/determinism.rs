//! Reproducible: the same input gives byte-identical output, whatever the
//! number of worker threads.

use std::path::Path;

use crate::harness::{build_root, files_under};

#[test]
fn jobs_1_and_jobs_2_give_identical_trees() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let one = build_root(root, |o| {
        o.jobs = Some(1);
        o.minify = true;
    });
    let two = build_root(root, |o| {
        o.jobs = Some(2);
        o.minify = true;
    });
    one.assert_ok();
    two.assert_ok();
    let files = files_under(&one.out);
    assert!(files.len() > 30, "the sample site has its articles");
    assert_eq!(files, files_under(&two.out));
    for f in &files {
        let a = std::fs::read(one.out.join(f)).unwrap();
        let b = std::fs::read(two.out.join(f)).unwrap();
        assert!(a == b, "{f} differs between --jobs 1 and --jobs 2");
    }
}
