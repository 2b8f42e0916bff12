//! One writer at a time: a lock file beside what is written (the output
//! folder, the site's cache), locked with the system's advisory file lock
//! (`flock`) and holding the writer's process id, for the message another
//! writer gets.
//!
//! The system releases the lock when its holder exits, however it exits,
//! so a lock file left by a killed process is simply locked again: a stale
//! lock cannot block a site. A second writer fails at once rather than
//! wait: a build can take minutes, and two builds of one output at once
//! are a mistake to report, not to queue.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rustix::fs::{FlockOperation, flock};
use rustix::io::Errno;

/// A held lock; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

/// Why a lock was not taken.
#[derive(Debug)]
pub enum Refused {
    /// Another process holds it (its id, when it wrote one).
    Held(Option<u32>),
    Io(io::Error),
}

impl Lock {
    /// Takes the lock at `path`, creating the file (and its folder).
    pub fn take(path: &Path) -> Result<Lock, Refused> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(Refused::Io)?;
        }
        loop {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .map_err(Refused::Io)?;
            match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {}
                Err(Errno::WOULDBLOCK) => return Err(Refused::Held(holder(&mut file))),
                Err(e) => return Err(Refused::Io(e.into())),
            }
            // The holder before may have removed the file between our
            // opening and locking it: then lock the one now at the path.
            if !same_file(&file, path) {
                continue;
            }
            file.set_len(0).map_err(Refused::Io)?;
            file.seek(SeekFrom::Start(0)).map_err(Refused::Io)?;
            writeln!(file, "{}", std::process::id()).map_err(Refused::Io)?;
            return Ok(Lock {
                file,
                path: path.to_path_buf(),
            });
        }
    }

    /// The message for a refused lock on `what` (a folder, as the user
    /// knows it).
    pub fn refusal(refused: &Refused, what: &str) -> String {
        match refused {
            Refused::Held(Some(pid)) => format!(
                "another gazette (pid {pid}) is writing {what}; wait for it to finish, or stop it"
            ),
            Refused::Held(None) => {
                format!("another gazette is writing {what}; wait for it to finish, or stop it")
            }
            Refused::Io(e) => format!("cannot lock {what}: {e}"),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked; closing the file releases the lock.
        let _ = fs::remove_file(&self.path);
        let _ = flock(&self.file, FlockOperation::Unlock);
    }
}

/// The process id written in a lock file.
fn holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

fn same_file(file: &File, path: &Path) -> bool {
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_with_the_first_ones_pid() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".public.lock");
        let first = Lock::take(&path).unwrap();
        let refused = Lock::take(&path).unwrap_err();
        assert_eq!(
            Lock::refusal(&refused, "public/"),
            format!(
                "another gazette (pid {}) is writing public/; wait for it to finish, or stop it",
                std::process::id()
            )
        );
        drop(first);
        assert!(!path.exists(), "the lock file goes with the lock");
        let again = Lock::take(&path).unwrap();
        drop(again);
    }

    #[test]
    fn a_lock_file_left_by_a_dead_process_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".public.lock");
        // What a killed build leaves: the file, with a pid, and no lock.
        fs::write(&path, "4000000\n").unwrap();
        let lock = Lock::take(&path).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            format!("{}\n", std::process::id())
        );
        drop(lock);
    }
}
