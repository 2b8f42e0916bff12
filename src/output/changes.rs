//! An output updated in place: only the files whose bytes changed are
//! written (into a pending folder beside the output, then renamed over
//! their old version), and only once the whole site rendered without
//! error.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::{Records, check_relative};
use crate::paths::PathSet;
use crate::render::write::Sink;
use crate::reuse::Folder;
use crate::reuse::manifest::{Manifest, Record};

/// A rebuild of the output folder in place. Files whose fingerprint and
/// stamp match the previous manifest are kept without being made; the
/// others are compared with the file on disk, and those whose bytes changed
/// are written into a pending folder beside the output (`.public.pending/`
/// for `public/`), never inside it: a deploy that copies the output while
/// a build runs, or after one was killed, finds no stray file there. Only
/// [`apply`] renames them into place (each rename is atomic) and removes
/// the files the site no longer makes (those of the previous manifest;
/// without one, every other file); dropped without `apply`, the pending
/// folder goes and the output is as it was. A pending folder left by a
/// killed build is removed by the next.
///
/// [`apply`]: Changes::apply
pub struct Changes {
    dir: PathBuf,
    /// `dir`, open: the files kept are looked at in it.
    folder: Folder,
    /// Where changed files wait for [`Changes::apply`].
    pending_dir: PathBuf,
    /// Names given in `pending_dir`.
    next: AtomicUsize,
    previous: Option<Manifest>,
    /// (file, its temporary, fingerprint) of each changed file.
    pending: Mutex<Vec<(PathBuf, PathBuf, u64)>>,
    /// By the previous manifest's slot: whether the site makes the file
    /// again (kept or written), and whether it was kept as recorded.
    made: Vec<AtomicBool>,
    kept: Vec<AtomicBool>,
    /// How many of `made`, and of `kept`, are set.
    made_count: AtomicUsize,
    kept_count: AtomicUsize,
    /// The files made that the previous manifest does not record.
    made_new: Mutex<PathSet>,
    records: Records,
}

impl Changes {
    /// `previous`: the manifest of the last build into `dir`, if any.
    /// What a killed build left beside it must have been swept
    /// ([`super::sweep`]); the pending folder is made here.
    pub fn new(dir: &Path, previous: Option<Manifest>) -> io::Result<Changes> {
        let pending_dir = pending_folder(dir);
        fs::create_dir_all(&pending_dir)?;
        Ok(Changes {
            dir: dir.to_path_buf(),
            folder: Folder::open(dir)?,
            pending_dir,
            next: AtomicUsize::new(0),
            made: flags(previous.as_ref()),
            kept: flags(previous.as_ref()),
            previous,
            pending: Mutex::default(),
            made_count: AtomicUsize::new(0),
            kept_count: AtomicUsize::new(0),
            made_new: Mutex::default(),
            records: Records::default(),
        })
    }

    /// Whether there is nothing to apply: every file of the previous
    /// manifest was kept, and no other was made.
    pub fn is_empty(&self) -> bool {
        let kept = self.kept_count.load(Ordering::Relaxed);
        self.previous.as_ref().is_some_and(|p| p.len() == kept)
            && self.made_count.load(Ordering::Relaxed) == kept
            && self.made_new().is_empty()
    }

    /// The previous manifest, which still describes the output when
    /// nothing is to apply ([`Changes::is_empty`]).
    pub fn into_previous(mut self) -> Option<Manifest> {
        self.previous.take()
    }

    fn made_new(&self) -> std::sync::MutexGuard<'_, PathSet> {
        self.made_new.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `rel` is made; `slot`: its slot in the previous manifest, which
    /// records it.
    fn made(&self, rel: &Path, slot: Option<usize>) {
        match slot {
            Some(slot) => set(&self.made[slot], &self.made_count),
            None => {
                self.made_new().insert(rel.as_os_str().to_os_string());
            }
        }
    }

    /// The file at `slot` of the previous manifest is kept as recorded.
    fn kept(&self, slot: usize) {
        set(&self.made[slot], &self.made_count);
        set(&self.kept[slot], &self.kept_count);
    }

    /// Moves the changed files into place and removes the files the site no
    /// longer makes. Returns how many files changed or went, and the
    /// records of every file of the site.
    pub fn apply(mut self) -> io::Result<(usize, Vec<(PathBuf, Record)>)> {
        let pending = std::mem::take(self.pending.get_mut().unwrap_or_else(|e| e.into_inner()));
        let made_new = std::mem::take(self.made_new.get_mut().unwrap_or_else(|e| e.into_inner()));
        let mut count = pending.len();
        for (rel, temp, fingerprint) in &pending {
            let path = self.dir.join(rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::rename(temp, &path)?;
            self.records.push(rel, *fingerprint, &path)?;
        }
        let _ = fs::remove_dir(&self.pending_dir);
        // Files no longer made: those of the last manifest, or, without
        // one, every other file in the folder.
        let made = |slot: usize| self.made[slot].load(Ordering::Relaxed);
        let gone: Vec<PathBuf> = match &self.previous {
            // Every file it records was made again.
            Some(previous) if previous.len() == *self.made_count.get_mut() => Vec::new(),
            Some(previous) => (previous.files())
                .filter(|&(_, _, slot)| !made(slot))
                .map(|(rel, _, _)| rel.to_path_buf())
                .collect(),
            None => walkdir::WalkDir::new(&self.dir)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| !e.file_type().is_dir())
                .filter_map(|e| e.path().strip_prefix(&self.dir).ok().map(Path::to_path_buf))
                .filter(|rel| !made_new.contains(rel.as_os_str()))
                .collect(),
        };
        let mut emptied = std::collections::BTreeSet::new();
        for rel in &gone {
            match fs::remove_file(self.dir.join(rel)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => count += 1,
            }
            emptied.extend(rel.parent().filter(|p| !p.as_os_str().is_empty()));
        }
        // Folders left empty go, deepest first; `remove_dir` refuses the
        // others.
        for dir in emptied.iter().rev() {
            let mut dir = Some(*dir);
            while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
                if fs::remove_dir(self.dir.join(d)).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        // The files kept, as the last manifest records them, and those
        // written.
        let kept = self.previous.iter().flat_map(|previous| {
            (previous.files())
                .filter(|&(_, _, slot)| self.kept[slot].load(Ordering::Relaxed))
                .map(|(rel, record, _)| (rel.to_path_buf(), record))
        });
        let records = std::mem::take(&mut self.records).into_sorted_with(kept);
        // An archive's worth of paths: freed where the build does not wait.
        let previous = self.previous.take();
        let freed = std::thread::Builder::new().spawn(move || drop((made_new, previous)));
        drop(freed);
        Ok((count, records))
    }
}

/// One flag a file of `previous`.
fn flags(previous: Option<&Manifest>) -> Vec<AtomicBool> {
    let n = previous.map_or(0, Manifest::len);
    (0..n).map(|_| AtomicBool::new(false)).collect()
}

/// Sets `flag`, counting it in `count` the first time.
fn set(flag: &AtomicBool, count: &AtomicUsize) {
    if !flag.swap(true, Ordering::Relaxed) {
        count.fetch_add(1, Ordering::Relaxed);
    }
}

impl Sink for Changes {
    fn keep(&self, rel: &Path, fingerprint: u64) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        let Some(slot) = previous.unchanged(&self.folder, rel, fingerprint) else {
            return false;
        };
        self.kept(slot);
        true
    }

    fn keeps(&self) -> bool {
        self.previous.is_some()
    }

    fn keep_folder(&self, dir: &Path, key: &Path, fingerprint: u64) -> Option<usize> {
        let previous = self.previous.as_ref()?;
        previous.unchanged(&self.folder, key, fingerprint)?;
        let slots: Vec<usize> = previous
            .under(dir)
            .map(|rel| previous.intact(&self.folder, rel))
            .collect::<Option<_>>()?;
        for &slot in &slots {
            self.kept(slot);
        }
        Some(slots.len())
    }

    fn write(&self, rel: &Path, fingerprint: u64, bytes: &[u8]) -> io::Result<()> {
        check_relative(rel)?;
        self.made(rel, self.previous.as_ref().and_then(|p| p.slot(rel)));
        let path = self.dir.join(rel);
        if fs::read(&path).is_ok_and(|old| old == bytes) {
            return self.records.push(rel, fingerprint, &path);
        }
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let temp = self.pending_dir.join(n.to_string());
        fs::write(&temp, bytes)?;
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((rel.to_path_buf(), temp, fingerprint));
        Ok(())
    }
}

impl Drop for Changes {
    fn drop(&mut self) {
        // After `apply` the folder is gone already.
        let _ = fs::remove_dir_all(&self.pending_dir);
    }
}

/// The pending folder of an output folder: beside it, hidden, so that a
/// rename moves a file into place. An output that is a mount point of its
/// own (another file system than its parent's) keeps it inside instead,
/// as `.gazette-pending/`, since renames cannot cross file systems.
pub(super) fn pending_folder(dir: &Path) -> PathBuf {
    use std::os::unix::fs::MetadataExt;
    let beside = super::beside(dir, "pending");
    let device = |p: &Path| fs::metadata(p).map(|m| m.dev()).ok();
    match (device(dir), dir.parent().and_then(device)) {
        (Some(own), Some(parent)) if own != parent => dir.join(".gazette-pending"),
        _ => beside,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_write_only_what_differs_and_remove_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/same.html"), "same").unwrap();
        fs::write(out.join("a/old.html"), "old").unwrap();
        fs::write(out.join("stale.html"), "stale").unwrap();
        let changes = Changes::new(out, None).unwrap();
        changes.write(Path::new("a/same.html"), 0, b"same").unwrap();
        changes.write(Path::new("a/old.html"), 0, b"new").unwrap();
        changes
            .write(Path::new("b/added.html"), 0, b"added")
            .unwrap();
        assert!(changes.write(Path::new("../escape.html"), 0, b"x").is_err());
        assert_eq!(
            changes.apply().unwrap().0,
            3,
            "one changed, one added, one removed"
        );
        assert_eq!(fs::read_to_string(out.join("a/old.html")).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(out.join("b/added.html")).unwrap(),
            "added"
        );
        assert!(!out.join("stale.html").exists());
        assert!(!dir.path().parent().unwrap().join("escape.html").exists());
    }

    /// As many files as the last build, but one of them new: the one it
    /// replaces still goes. With every recorded file made again, none does.
    #[test]
    fn a_file_no_longer_made_goes_even_when_another_took_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        let manifest = dir.path().join("manifest");
        let previous = |names: &[&str]| {
            let records: Vec<(PathBuf, Record)> = names
                .iter()
                .map(|name| {
                    let stamp = crate::reuse::Stamp::of(&out.join(name)).unwrap();
                    let record = Record {
                        fingerprint: 1,
                        stamp,
                    };
                    (PathBuf::from(name), record)
                })
                .collect();
            Manifest::save(&records, &manifest).unwrap();
            Some(Manifest::load(&manifest).unwrap())
        };
        fs::write(out.join("a.html"), "a").unwrap();
        fs::write(out.join("b.html"), "b").unwrap();
        let changes = Changes::new(&out, previous(&["a.html", "b.html"])).unwrap();
        assert!(changes.keep(Path::new("a.html"), 1));
        changes.write(Path::new("c.html"), 1, b"c").unwrap();
        let (count, records) = changes.apply().unwrap();
        assert_eq!(count, 2, "one added, one removed");
        assert!(!out.join("b.html").exists());
        assert_eq!(records.len(), 2);

        let changes = Changes::new(&out, previous(&["a.html", "c.html"])).unwrap();
        assert!(changes.keep(Path::new("a.html"), 1));
        changes.write(Path::new("c.html"), 1, b"c again").unwrap();
        assert_eq!(changes.apply().unwrap().0, 1, "one changed, none removed");
        assert!(out.join("a.html").exists());
    }

    /// A folder is kept by the fingerprint of its key file when every file
    /// below it is as the last build left it, whatever their own
    /// fingerprints.
    #[test]
    fn a_folder_is_kept_by_its_key_and_only_when_intact() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join("index/postings")).unwrap();
        let manifest = dir.path().join("manifest");
        let files = [
            ("index/meta.json", 7),
            ("index/postings/0.bin", 11),
            ("index/postings/1.bin", 12),
            ("page.html", 1),
        ];
        for (name, _) in files {
            fs::write(out.join(name), name).unwrap();
        }
        let previous = || {
            let records: Vec<(PathBuf, Record)> = files
                .iter()
                .map(|&(name, fingerprint)| {
                    let stamp = crate::reuse::Stamp::of(&out.join(name)).unwrap();
                    (PathBuf::from(name), Record { fingerprint, stamp })
                })
                .collect();
            Manifest::save(&records, &manifest).unwrap();
            Some(Manifest::load(&manifest).unwrap())
        };
        let (folder, key) = (Path::new("index"), Path::new("index/meta.json"));
        let changes = Changes::new(&out, previous()).unwrap();
        assert!(changes.keeps());
        assert_eq!(changes.keep_folder(folder, key, 8), None, "another key");
        assert_eq!(changes.keep_folder(folder, key, 7), Some(3));
        drop(changes);
        let changes = Changes::new(&out, previous()).unwrap();
        // Touched after the manifest was saved: no longer as recorded.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(out.join("index/postings/1.bin"), "edited by hand").unwrap();
        assert_eq!(changes.keep_folder(folder, key, 7), None);
        assert!(!Changes::new(&out, None).unwrap().keeps());
    }
}
