//! A build's scratch file: what it makes of each article in one stage and
//! reads back in a later one, but does not hold in memory meanwhile (at a
//! million articles the bodies' HTML is several gigabytes, their counted
//! words most of one).
//!
//! The file is anonymous, made in the site's cache folder: the system
//! removes it when the build ends, even if the build is killed. Writes are
//! gathered and appended a megabyte at a time; reads take the place a
//! write gave back, without a lock, once [`Spill::flush`] has run.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Where [`Spill::put`] wrote some bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spilled {
    at: u64,
    len: u32,
}

impl Spilled {
    /// How many bytes.
    pub fn len(&self) -> usize {
        self.len as usize
    }
}

pub struct Spill {
    file: File,
    /// Bytes not yet written, and where in the file they go.
    pending: Mutex<(Vec<u8>, u64)>,
}

/// Bytes gathered before they are written.
const BUFFER: usize = 1 << 20;

impl std::fmt::Debug for Spill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spill").finish_non_exhaustive()
    }
}

impl Spill {
    /// A new, empty spill file in `dir` (made if missing).
    pub fn create(dir: &Path) -> io::Result<Spill> {
        std::fs::create_dir_all(dir)?;
        Ok(Spill {
            file: tempfile::tempfile_in(dir)?,
            pending: Mutex::new((Vec::with_capacity(BUFFER), 0)),
        })
    }

    /// Writes `bytes` (buffered); where to read them back.
    pub fn put(&self, bytes: &[u8]) -> io::Result<Spilled> {
        let len = u32::try_from(bytes.len()).map_err(io::Error::other)?;
        let mut pending = lock(&self.pending);
        let (buffer, written) = &mut *pending;
        let at = *written + buffer.len() as u64;
        buffer.extend_from_slice(bytes);
        if buffer.len() >= BUFFER {
            self.file.write_all_at(buffer, *written)?;
            *written += buffer.len() as u64;
            buffer.clear();
        }
        Ok(Spilled { at, len })
    }

    /// Writes what is still buffered: everything [`Spill::put`] took can
    /// then be read back.
    pub fn flush(&self) -> io::Result<()> {
        let mut pending = lock(&self.pending);
        let (buffer, written) = &mut *pending;
        self.file.write_all_at(buffer, *written)?;
        *written += buffer.len() as u64;
        *buffer = Vec::new();
        Ok(())
    }

    /// The bytes written at `spilled` (after [`Spill::flush`]).
    pub fn get(&self, spilled: Spilled) -> io::Result<Vec<u8>> {
        let mut bytes = vec![0; spilled.len()];
        self.file.read_exact_at(&mut bytes, spilled.at)?;
        Ok(bytes)
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_back_what_it_took() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::create(&dir.path().join("cache")).unwrap();
        // More than one buffer's worth, so that some are written early,
        // and read back in another order while more are written.
        let texts: Vec<String> = (0..3000)
            .map(|i| format!("<p>harbour {i} {}</p>", "ferry ".repeat(i % 700)))
            .collect();
        let (first, second) = texts.split_at(2000);
        assert!(first.iter().map(String::len).sum::<usize>() > BUFFER);
        let mut spilled: Vec<Spilled> = first
            .iter()
            .map(|t| spill.put(t.as_bytes()).unwrap())
            .collect();
        assert_eq!(
            spill.get(spilled[0]).unwrap(),
            texts[0].as_bytes(),
            "written early"
        );
        spilled.extend(second.iter().map(|t| spill.put(t.as_bytes()).unwrap()));
        spill.flush().unwrap();
        for (t, s) in texts.iter().zip(&spilled).rev() {
            assert_eq!(s.len(), t.len());
            assert_eq!(spill.get(*s).unwrap(), t.as_bytes());
        }
        // Nothing is left in the folder: the file has no name.
        assert_eq!(
            std::fs::read_dir(dir.path().join("cache")).unwrap().count(),
            0
        );
    }

    #[test]
    fn empty_bytes_and_no_flush() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::create(dir.path()).unwrap();
        let empty = spill.put(b"").unwrap();
        let word = spill.put(b"word").unwrap();
        assert!(spill.get(word).is_err(), "not yet written");
        spill.flush().unwrap();
        assert_eq!(spill.get(empty).unwrap(), b"");
        assert_eq!(spill.get(word).unwrap(), b"word");
    }
}
