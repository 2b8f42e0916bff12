//! One value of the caller's type kept in a file from one build to the
//! next, in postcard's encoding behind a header (the caller's format,
//! which names gazette's version, and a probe of the hash: see [`header`]):
//! a file of another format or version, or one that cannot be read, reads
//! as none.

use std::fs;
use std::io;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::fingerprint::header;

#[derive(serde::Deserialize)]
struct Stored<T> {
    header: String,
    value: T,
}

#[derive(Serialize)]
struct Saved<'a, T> {
    header: &'a str,
    value: &'a T,
}

/// The value kept in `file` under `format`, if any.
pub fn read<T: DeserializeOwned>(file: &Path, format: &str) -> Option<T> {
    let bytes = super::Bytes::of(file).ok()?;
    let stored: Stored<T> = postcard::from_bytes(&bytes).ok()?;
    (stored.header == header(format)).then_some(stored.value)
}

/// Keeps `value` in `file` under `format` (written as it is encoded,
/// through a temporary file and a rename, so that a reader never sees half
/// of it).
pub fn write<T: Serialize>(file: &Path, format: &str, value: &T) -> io::Result<()> {
    if let Some(dir) = file.parent() {
        fs::create_dir_all(dir)?;
    }
    let header = header(format);
    let saved = Saved {
        header: &header,
        value,
    };
    super::replace(file, |out| {
        postcard::to_io(&saved, out).map_err(io::Error::other)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_read_back_only_under_its_format() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kept/value.bin");
        assert_eq!(read::<Vec<u64>>(&file, "test 1"), None, "no file");
        write(&file, "test 1", &vec![1u64, u64::MAX]).unwrap();
        assert_eq!(read::<Vec<u64>>(&file, "test 1"), Some(vec![1, u64::MAX]));
        assert_eq!(read::<Vec<u64>>(&file, "test 2"), None, "another format");
        fs::write(&file, b"\x03abc").unwrap();
        assert_eq!(read::<Vec<u64>>(&file, "test 1"), None, "unreadable");
        assert_eq!(fs::read_dir(dir.path().join("kept")).unwrap().count(), 1);
    }
}
