//! Values shared, not copied, between the builds that hold them.

use std::sync::Arc;

/// A value behind an `Arc`, equal at once to itself.
///
/// `serve` hands the same front matter, HTML and word counts to each
/// build and compares every article with the last build's: those compares
/// must not read the values again. `Arc`'s own `==` skips the read for
/// the same allocation only when the value is sized, so an `Arc<str>`
/// compared with itself reads every byte (25 ms for 100,000 bodies of 4 KB
/// here, against 0.2 ms).
#[derive(Debug)]
pub struct Shared<T: ?Sized>(Arc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(Arc::new(value))
    }
}

impl<T: ?Sized> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T: ?Sized> std::ops::Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: ?Sized + std::fmt::Display> std::fmt::Display for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<T: ?Sized + PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

impl<T: ?Sized + Eq> Eq for Shared<T> {}

/// Hashes the value, as `==` compares it.
impl<T: ?Sized + std::hash::Hash> std::hash::Hash for Shared<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}

impl From<&str> for Shared<str> {
    fn from(value: &str) -> Self {
        Shared(Arc::from(value))
    }
}

impl From<String> for Shared<str> {
    fn from(value: String) -> Self {
        Shared(Arc::from(value))
    }
}

impl<T: Clone> From<&[T]> for Shared<[T]> {
    fn from(value: &[T]) -> Self {
        Shared(Arc::from(value))
    }
}

impl<T> From<Vec<T>> for Shared<[T]> {
    fn from(value: Vec<T>) -> Self {
        Shared(Arc::from(value))
    }
}

impl Default for Shared<str> {
    fn default() -> Self {
        Shared::from("")
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::Shared;

    #[test]
    fn equal_by_value() {
        let a = Shared::<str>::from("Flood gates opened");
        assert_eq!(a, Shared::from(String::from("Flood gates opened")));
        assert_ne!(a, Shared::from("Flood gates closed"));
        let bytes = Shared::<[u8]>::from(vec![1, 2, 3]);
        assert_eq!(bytes, Shared::from(vec![1, 2, 3]));
        assert_ne!(bytes, Shared::from(vec![1, 2]));
    }

    /// Counts the compares it takes part in.
    struct Counted<'a>(&'a AtomicUsize);

    impl PartialEq for Counted<'_> {
        fn eq(&self, _: &Self) -> bool {
            self.0.fetch_add(1, Ordering::Relaxed);
            true
        }
    }

    #[test]
    fn an_unsized_value_is_equal_to_itself_without_being_read() {
        let reads = AtomicUsize::new(0);
        let a: Shared<[Counted]> = Shared::from(vec![Counted(&reads), Counted(&reads)]);
        assert!(a == a.clone());
        assert_eq!(reads.load(Ordering::Relaxed), 0);
        let b: Shared<[Counted]> = Shared::from(vec![Counted(&reads), Counted(&reads)]);
        assert!(a == b);
        assert_eq!(reads.load(Ordering::Relaxed), 2);
    }
}
