//! Component key -> component index, for resolving every dependency of a
//! large release. Open addressing with linear probing; each slot keeps the
//! key's hash, length and first 16 bytes, so a lookup reads one slot and
//! compares words, and reads the key itself only when it is longer than 16
//! bytes. (A `HashMap<&str, u32>` follows a pointer to every stored key it
//! compares, which was most of the schedule's time on 10,000 components.)

const EMPTY: u32 = u32::MAX;

#[derive(Clone, Copy)]
struct Slot {
    hash: u64,
    head: [u64; 2],
    len: u32,
    index: u32,
}

const VACANT: Slot = Slot {
    hash: 0,
    head: [0, 0],
    len: 0,
    index: EMPTY,
};

pub(crate) struct KeyIndex<'r> {
    slots: Vec<Slot>,
    mask: usize,
    keys: Vec<&'r str>,
}

/// The first 16 bytes of `key`, zero-padded, as two words.
fn head(key: &[u8]) -> [u64; 2] {
    let mut b = [0u8; 16];
    let n = key.len().min(16);
    b[..n].copy_from_slice(&key[..n]);
    [
        u64::from_le_bytes(b[..8].try_into().expect("8 bytes")),
        u64::from_le_bytes(b[8..].try_into().expect("8 bytes")),
    ]
}

fn mix(h: u64, word: u64) -> u64 {
    (h.rotate_left(23) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

fn hash(key: &[u8], head: [u64; 2]) -> u64 {
    let mut h = mix(mix(key.len() as u64, head[0]), head[1]);
    if key.len() > 16 {
        for c in key[16..].chunks(8) {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            h = mix(h, u64::from_le_bytes(w));
        }
    }
    h ^ (h >> 29)
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

    /// The slot holding `key`, or the empty slot where it would go.
    fn find(&self, key: &str) -> usize {
        let bytes = key.as_bytes();
        let head = head(bytes);
        let h = hash(bytes, head);
        let mut i = h as usize & self.mask;
        loop {
            let s = &self.slots[i];
            if s.index == EMPTY
                || (s.hash == h
                    && s.len as usize == bytes.len()
                    && s.head == head
                    && (bytes.len() <= 16 || self.keys[s.index as usize] == key))
            {
                return i;
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
        let i = self.find(key);
        if self.slots[i].index != EMPTY {
            return false;
        }
        let bytes = key.as_bytes();
        let head = head(bytes);
        self.slots[i] = Slot {
            hash: hash(bytes, head),
            head,
            len: bytes.len() as u32,
            index: self.keys.len() as u32,
        };
        self.keys.push(key);
        true
    }

    /// The index `key` was inserted as.
    pub fn get(&self, key: &str) -> Option<u32> {
        let s = self.slots[self.find(key)];
        (s.index != EMPTY).then_some(s.index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
