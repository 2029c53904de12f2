//! Component key -> component index, for resolving every dependency of a
//! large release (validation and the schedule). Open addressing with linear probing; each slot keeps the
//! key's first 16 bytes, its length and part of its hash, so a lookup reads
//! one 24-byte slot and compares words, and reads the key itself only when it
//! is longer than 16 bytes. (A `HashMap<&str, u32>` follows a pointer to every
//! stored key it compares, which was most of the schedule's time on 10,000
//! components.)

/// A slot: the key's first 16 bytes, zero-padded, then `meta`: the index in
/// the low 32 bits (`u32::MAX`: empty), the length (up to 255) in the next 8,
/// 24 bits of the hash above. 24 bytes, so 10,000 keys fit in 384 KiB.
#[derive(Clone, Copy)]
struct Slot {
    head: [u64; 2],
    meta: u64,
}

const EMPTY: u64 = u32::MAX as u64;
const VACANT: Slot = Slot {
    head: [0, 0],
    meta: EMPTY,
};

pub(crate) struct KeyIndex<'r> {
    slots: Vec<Slot>,
    mask: usize,
    keys: Vec<&'r str>,
}

/// Up to 8 bytes as a little-endian word, zero-padded, with no copy through
/// memory (overlapping loads for the odd lengths).
fn word(b: &[u8]) -> u64 {
    let n = b.len();
    let u32_at = |i: usize| u64::from(u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]));
    match n {
        0 => 0,
        1..=3 => {
            u64::from(b[0])
                | u64::from(b[n / 2]) << (8 * (n / 2))
                | u64::from(b[n - 1]) << (8 * (n - 1))
        }
        4..=7 => u32_at(0) | u32_at(n - 4) << (8 * (n - 4)),
        _ => u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
    }
}

/// The first 16 bytes of `key`, zero-padded, as two words.
fn head(key: &[u8]) -> [u64; 2] {
    if key.len() <= 8 {
        [word(key), 0]
    } else {
        [word(&key[..8]), word(&key[8..key.len().min(16)])]
    }
}

fn mix(h: u64, word: u64) -> u64 {
    (h.rotate_left(23) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

fn hash(key: &[u8], head: [u64; 2]) -> u64 {
    let mut h = mix(mix(key.len() as u64, head[0]), head[1]);
    if key.len() > 16 {
        for c in key[16..].chunks(8) {
            h = mix(h, word(c));
        }
    }
    h ^ (h >> 29)
}

/// The `meta` word a slot holding this key has, but for the index.
fn tag(h: u64, len: usize) -> u64 {
    (h >> 40) << 40 | (len.min(255) as u64) << 32
}

impl<'r> KeyIndex<'r> {
    pub fn with_capacity(n: usize) -> KeyIndex<'r> {
        let size = (n + n / 2 + 1).next_power_of_two().max(8);
        KeyIndex {
            slots: vec![VACANT; size],
            mask: size - 1,
            keys: Vec::with_capacity(n),
        }
    }

    /// The slot holding `key`, or the empty slot where it would go; and the
    /// key's `head` and `tag`.
    fn find(&self, key: &str) -> (usize, [u64; 2], u64) {
        let bytes = key.as_bytes();
        let head = head(bytes);
        let h = hash(bytes, head);
        let tag = tag(h, bytes.len());
        let mut i = h as usize & self.mask;
        loop {
            let s = &self.slots[i];
            if s.meta == EMPTY
                || (s.meta & !EMPTY == tag
                    && s.head == head
                    && (bytes.len() <= 16 || self.keys[(s.meta & EMPTY) as usize] == key))
            {
                return (i, head, tag);
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Adds `key` as the next index; `false` (and no change) when it is there.
    pub fn insert(&mut self, key: &'r str) -> bool {
        if self.keys.len() + 1 > self.slots.len() / 4 * 3 {
            let mut bigger = KeyIndex::with_capacity(self.slots.len());
            for &k in &self.keys {
                bigger.insert(k);
            }
            *self = bigger;
        }
        let (i, head, tag) = self.find(key);
        if self.slots[i].meta != EMPTY {
            return false;
        }
        self.slots[i] = Slot {
            head,
            meta: tag | self.keys.len() as u64,
        };
        self.keys.push(key);
        true
    }

    /// The index `key` was inserted as.
    pub fn get(&self, key: &str) -> Option<u32> {
        let meta = self.slots[self.find(key).0].meta;
        (meta != EMPTY).then_some((meta & EMPTY) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_zero_padded_bytes() {
        let text = b"0123456789abcdefghij";
        for n in 0..=8 {
            let mut padded = [0u8; 8];
            padded[..n].copy_from_slice(&text[..n]);
            assert_eq!(word(&text[..n]), u64::from_le_bytes(padded), "{n}");
        }
    }

    #[test]
    fn finds_every_key_and_no_other() {
        let keys: Vec<String> = (0..5000)
            .map(|i| match i % 4 {
                0 => format!("c{i}"),
                1 => format!("a-rather-long-component-key-{i}"),
                2 => format!("exactly-16-b{i:04}"),
                _ => "x".repeat(i % 40 + 1) + &i.to_string(),
            })
            .collect();
        let mut index = KeyIndex::with_capacity(10);
        for (i, k) in keys.iter().enumerate() {
            assert!(index.insert(k), "{k}");
            assert_eq!(index.get(k), Some(i as u32));
        }
        assert!(!index.insert(&keys[7]));
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(index.get(k), Some(i as u32), "{k}");
        }
        for missing in [
            "",
            "c",
            "c5000",
            "a-rather-long-component-key-",
            "exactly-16-b5000",
            "c1 ",
        ] {
            assert_eq!(index.get(missing), None, "{missing}");
        }
        // Keys that agree on their first 16 bytes and length differ after.
        let mut index = KeyIndex::with_capacity(2);
        assert!(index.insert("0123456789abcdef-one"));
        assert!(index.insert("0123456789abcdef-two"));
        assert_eq!(index.get("0123456789abcdef-two"), Some(1));
        assert_eq!(index.get("0123456789abcdef-six"), None);
    }
}
