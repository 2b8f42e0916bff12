//! Values kept in memory from one build to the next (by `serve`), by
//! source path, each with the key it was made from. A value is given back
//! only while the caller finds its key still valid, and cloned (callers
//! keep cheap values: shared text, small lists).

use std::path::Path;
use std::sync::RwLock;

use crate::paths::PathMap;

#[derive(Debug)]
pub struct Memory<K, V> {
    /// Read by many threads at once while a build loads its files.
    entries: RwLock<Entries<K, V>>,
}

impl<K, V> Default for Memory<K, V> {
    fn default() -> Self {
        Memory {
            entries: RwLock::new(Entries {
                context: String::new(),
                values: PathMap::default(),
            }),
        }
    }
}

#[derive(Debug)]
struct Entries<K, V> {
    /// What every value depends on (the time zone, say); another one
    /// forgets them all.
    context: String,
    values: PathMap<(K, V)>,
}

impl<K, V: Clone> Memory<K, V> {
    /// Starts a build of `live` paths: forgets everything if `context`
    /// changed and, once it holds more values than that, the values of the
    /// paths that `keep` (made only then) refuses. Looking at every value
    /// costs a pass over the archive, so a build that adds a file as another
    /// goes keeps the gone one's value, never asked for, until the next.
    pub fn start<F: Fn(&Path) -> bool>(
        &self,
        context: &str,
        live: usize,
        keep: impl FnOnce() -> F,
    ) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.context != context {
            entries.values.clear();
            entries.context = context.to_string();
        }
        if entries.values.len() > live {
            let keep = keep();
            entries.values.retain(|path, _| keep(Path::new(path)));
        }
    }

    /// The value kept for `path`, if `valid` accepts its key and it.
    pub fn get(&self, path: &Path, valid: impl FnOnce(&K, &V) -> bool) -> Option<V> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let (key, value) = entries.values.get(path.as_os_str())?;
        valid(key, value).then(|| value.clone())
    }

    pub fn put(&self, path: &Path, key: K, value: V) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        entries
            .values
            .insert(path.as_os_str().to_os_string(), (key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_back_while_valid_and_kept_in_context() {
        let memory: Memory<u64, &str> = Memory::default();
        let (a, b) = (Path::new("content/a.md"), Path::new("content/b.md"));
        memory.start("UTC", 2, || |_| true);
        memory.put(a, 1, "a");
        memory.put(b, 2, "b");
        assert_eq!(memory.get(a, |&k, _| k == 1), Some("a"));
        assert_eq!(memory.get(a, |&k, _| k == 2), None);
        memory.start("UTC", 2, || |p| p == a);
        assert_eq!(memory.get(b, |_, _| true), Some("b"), "no more than 2 kept");
        memory.start("UTC", 1, || |p| p == a);
        assert_eq!(memory.get(b, |_, _| true), None, "b is gone");
        assert_eq!(memory.get(a, |_, _| true), Some("a"));
        memory.start("Asia/Tokyo", 1, || |_| true);
        assert_eq!(memory.get(a, |_, _| true), None, "another context");
    }
}
