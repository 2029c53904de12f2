//! A fast hasher for plan keys (short strings), for the maps and sets that
//! validation and scheduling build over thousands of components. Plans are
//! local files, so hash flooding is not a concern; SipHash would cost more
//! than the work the maps serve.

use std::hash::{BuildHasherDefault, Hasher};

/// Word-at-a-time multiply-rotate hashing.
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

/// The `S` of a `HashMap<&str, V, KeyHash>` or `HashSet<&str, KeyHash>`.
pub type KeyHash = BuildHasherDefault<KeyHasher>;

impl KeyHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(23) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.mix(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }

    fn finish(&self) -> u64 {
        // Fold the high bits down: hashbrown takes its bucket from the low bits.
        self.0 ^ (self.0 >> 29)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn distinct_keys_stay_distinct() {
        let keys: Vec<String> = (0..20_000).map(|i| format!("c{i:05}")).collect();
        let set: HashSet<&str, KeyHash> = keys.iter().map(String::as_str).collect();
        assert_eq!(set.len(), keys.len());
        assert!(set.contains("c00042") && !set.contains("c20000"));
        let pairs: HashSet<(&str, &str), KeyHash> = [("ab", "c"), ("a", "bc"), ("ab", "c")]
            .into_iter()
            .collect();
        assert_eq!(pairs.len(), 2);
    }
}
