//! Fingerprints: 64-bit hashes of what an output or a cached value was made
//! from. A page is current when the fingerprint of the exact value its
//! writer consumes is unchanged, so fingerprints are taken of those values
//! (serialized as templates or writers see them), never of a list of
//! inputs kept beside them.
//!
//! The hash (foldhash, fixed seed) is fast on long texts and the same in
//! every run of one binary; stored fingerprints from another version are
//! never read ([`header`]).

use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::quality::{FixedState, FoldHasher};

/// The first line of a stored file of fingerprints: its format, gazette's
/// version, and a fingerprint of a fixed text, so that a change in how
/// fingerprints are taken also starts afresh.
pub fn header(format: &str) -> String {
    let probe = Fingerprint::new(1)
        .add("gazette")
        .finish()
        .unwrap_or_default();
    format!("{format} {probe:016x}")
}

/// Builds a fingerprint from parts that are hashed or serialized.
pub struct Fingerprint {
    hasher: FoldHasher<'static>,
    /// A part could not be serialized: never trust the result.
    failed: bool,
}

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint {
            hasher: FixedState::with_seed(0x6761_7a65_7474_6521).build_hasher(),
            failed: false,
        }
    }
}

impl Fingerprint {
    pub fn new(seed: u64) -> Self {
        let mut f = Fingerprint::default();
        f.hasher.write_u64(seed);
        f
    }

    pub fn add(&mut self, part: impl Hash) -> &mut Self {
        part.hash(&mut self.hasher);
        self
    }

    pub fn add_bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.hasher.write(bytes);
        self.hasher.write_usize(bytes.len());
        self
    }

    /// Adds a serializable value (what templates will see of it), in
    /// postcard's encoding: compact, lengths first, no escaping.
    pub fn add_serialized<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        if postcard::serialize_with_flavor(value, HashFlavor(&mut self.hasher)).is_err() {
            self.failed = true;
        }
        self.hasher.write_u8(0xff);
        self
    }

    /// The fingerprint; `None` if a part could not be taken in.
    pub fn finish(&self) -> Option<u64> {
        (!self.failed).then(|| self.hasher.finish())
    }
}

/// The fingerprint of one hashable value.
pub fn of(part: impl Hash) -> u64 {
    Fingerprint::default()
        .add(part)
        .finish()
        .unwrap_or_default()
}

/// Feeds postcard's output straight into the hasher.
struct HashFlavor<'a>(&'a mut FoldHasher<'static>);

impl postcard::ser_flavors::Flavor for HashFlavor<'_> {
    type Output = ();

    fn try_push(&mut self, byte: u8) -> postcard::Result<()> {
        self.0.write_u8(byte);
        Ok(())
    }

    fn try_extend(&mut self, bytes: &[u8]) -> postcard::Result<()> {
        self.0.write(bytes);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_differ_with_any_part() {
        let f = |a: &str, b: u32| {
            let mut f = Fingerprint::new(1);
            f.add(a).add_serialized(&b);
            f.finish().unwrap()
        };
        assert_eq!(f("x", 1), f("x", 1));
        assert_ne!(f("x", 1), f("x", 2));
        assert_ne!(f("x", 1), f("y", 1));
    }
}
