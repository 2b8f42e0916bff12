//! Paths in bulk. `Path`'s own `Hash` and `Ord` work component by
//! component, which shows when a build handles hundreds of thousands of
//! paths. The paths gazette keeps are all made alike (relative, without
//! `.` parts or doubled separators), so their bytes can stand in for them.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::Path;

/// A map keyed by a path's bytes: look up with `path.as_os_str()`.
pub type PathMap<V> = HashMap<OsString, V, foldhash::fast::RandomState>;

/// A set of paths' bytes: look up with `path.as_os_str()`.
pub type PathSet = HashSet<OsString, foldhash::fast::RandomState>;

/// The order of `Path::cmp` for paths made alike: bytes, with the
/// separator before every other byte.
pub fn cmp(a: &Path, b: &Path) -> Ordering {
    let (a, b) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    let rank = |b: u8| if b == b'/' { 0 } else { u16::from(b) + 1 };
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(i) => rank(a[i]).cmp(&rank(b[i])),
        None => a.len().cmp(&b.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn plain_path() -> impl Strategy<Value = String> {
        prop::collection::vec("[a-c.-]{1,3}", 1..4)
            .prop_filter("no . or .. parts", |parts| {
                parts.iter().all(|p| p != "." && p != "..")
            })
            .prop_map(|parts| parts.join("/"))
    }

    proptest! {
        #[test]
        fn orders_like_path(a in plain_path(), b in plain_path()) {
            prop_assert_eq!(cmp(Path::new(&a), Path::new(&b)), Path::new(&a).cmp(Path::new(&b)));
        }
    }
}
