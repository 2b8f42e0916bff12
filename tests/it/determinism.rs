//! Reproducible: the same input gives byte-identical output, whatever the
//! number of worker threads.

use crate::harness::{build_root, files_under, sample_site};

/// Each build runs clean in a fresh copy of the sample site, so neither
/// reads the article cache or manifest of the other.
#[test]
fn jobs_1_and_jobs_2_give_identical_trees() {
    let (site_one, site_two) = (sample_site(), sample_site());
    let clean_with_jobs = |jobs: usize| {
        move |o: &mut gazette::BuildOptions| {
            o.jobs = Some(jobs);
            o.minify = true;
            o.incremental = false;
        }
    };
    let one = build_root(&site_one, clean_with_jobs(1));
    let two = build_root(&site_two, clean_with_jobs(2));
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
