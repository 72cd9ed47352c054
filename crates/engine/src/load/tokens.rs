//! What a file mentions, as tokens hashed once, so that a diff finds the unchanged files that
//! may mention the ids a change touches without parsing them (see [`crate::affected`]). A
//! token is kept as a 32-bit hash: a collision can only make a diff read a file it did not
//! need, never leave out one it did.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are a byte (below 256) into a 256-entry table and a masked hash into the bit set sized for it"
)]

use std::ops::Range;
use std::sync::Arc;

use crate::hash::{FNV_SEED, fnv_step};

/// The bytes an id is made of: within them, a match is only a match at a token's edges.
pub const fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// What a file mentions: the hash of every token (maximal run of id bytes) it holds, and
/// whether it holds a backslash, with which a quoted escape can spell an id no token shows.
///
/// The hashes are held as their little-endian bytes, as the records file holds them, so that
/// every file's recorded tokens share the one buffer the file was read into: one allocation
/// each for 100,000 files was a fifth of a diff.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    backslash: bool,
    /// The hashes, sorted, each once, at `at` in `bytes`.
    bytes: Arc<[u8]>,
    at: Range<usize>,
}

impl PartialEq for Tokens {
    fn eq(&self, other: &Tokens) -> bool {
        self.backslash == other.backslash && self.hashed() == other.hashed()
    }
}

impl Tokens {
    /// The tokens of `bytes`, hashed in one pass over them: this runs over every unchanged
    /// file of a diff with no records yet, the 40 MB of 100,000 files.
    pub fn of(bytes: &[u8]) -> Tokens {
        let mut hashes = Vec::with_capacity(bytes.len() / 8);
        let (mut hash, mut inside) = (FNV_SEED, false);
        for &b in bytes {
            if ID_BYTES[usize::from(b)] {
                hash = fnv_step(hash, b);
                inside = true;
            } else if inside {
                hashes.push(fold(hash));
                (hash, inside) = (FNV_SEED, false);
            }
        }
        if inside {
            hashes.push(fold(hash));
        }
        hashes.sort_unstable();
        hashes.dedup();
        let hashed: Arc<[u8]> = hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
        Tokens {
            backslash: bytes.contains(&b'\\'),
            at: 0..hashed.len(),
            bytes: hashed,
        }
    }

    /// Tokens whose hashes are `at` in `bytes`, shared with others (a records file read whole):
    /// the little-endian hashes, sorted, each once.
    pub fn shared(backslash: bool, bytes: Arc<[u8]>, at: Range<usize>) -> Tokens {
        Tokens {
            backslash,
            bytes,
            at,
        }
    }

    /// The hashes' bytes, as [`Tokens::shared`] takes them.
    pub fn hashed(&self) -> &[u8] {
        self.bytes.get(self.at.clone()).unwrap_or_default()
    }

    /// Whether the bytes held a backslash.
    pub fn backslash(&self) -> bool {
        self.backslash
    }

    /// Whether one of the tokens may be one of `ids`' (certainly, when no two hashes collide).
    pub fn any(&self, ids: &Hashes) -> bool {
        self.hashed()
            .chunks_exact(4)
            .any(|h| ids.holds(u32::from_le_bytes([h[0], h[1], h[2], h[3]])))
    }
}

/// The hash a token is kept and looked up by: FNV-1a, folded to 32 bits.
fn token_hash(token: &[u8]) -> u32 {
    fold(token.iter().fold(FNV_SEED, |hash, &b| fnv_step(hash, b)))
}

/// The two halves of a hash, one over the other.
fn fold(hash: u64) -> u32 {
    let [a, b, c, d, e, f, g, h] = hash.to_le_bytes();
    u32::from_le_bytes([a ^ e, b ^ f, c ^ g, d ^ h])
}

/// [`is_id_byte`] for every byte, looked up rather than worked out in [`Tokens::of`]'s loop.
const ID_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b: u8 = 0;
    loop {
        table[b as usize] = is_id_byte(b);
        if b == u8::MAX {
            break table;
        }
        b += 1;
    }
};

/// The hashes of the ids a search looks for, with a bit per low 16 bits in front, so that most
/// tokens are turned away by one bit.
pub struct Hashes {
    bits: Vec<u64>,
    sorted: Vec<u32>,
}

impl Hashes {
    /// The hashes of `ids`.
    pub fn of<'a>(ids: impl IntoIterator<Item = &'a str>) -> Hashes {
        let mut sorted: Vec<u32> = ids
            .into_iter()
            .map(|id| token_hash(id.as_bytes()))
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut bits = vec![0u64; 1 << 10];
        for h in &sorted {
            let low = (h & 0xffff) as usize;
            bits[low >> 6] |= 1 << (low & 63);
        }
        Hashes { bits, sorted }
    }

    /// Whether `h` is one of the hashes.
    fn holds(&self, h: u32) -> bool {
        let low = (h & 0xffff) as usize;
        self.bits[low >> 6] & (1 << (low & 63)) != 0 && self.sorted.binary_search(&h).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds(text: &str, id: &str) -> bool {
        Tokens::of(text.as_bytes()).any(&Hashes::of([id]))
    }

    #[test]
    fn an_id_is_found_only_as_a_whole_token() {
        assert!(holds("parent: BL-1\n", "BL-1"));
        assert!(holds("depends_on: [BL-2, BL-1]", "BL-1"));
        assert!(holds("BL-1", "BL-1"), "at both ends of the bytes");
        assert!(!holds("parent: BL-10\n", "BL-1"));
        assert!(!holds("parent: XBL-1\n", "BL-1"));
        assert!(!holds("parent: BL-1.2\n", "BL-1"), "`.` is an id byte");
        assert!(holds("theme: growth # and more", "growth"));
        assert!(!holds("", "BL-1"));
    }

    #[test]
    fn a_backslash_is_noted() {
        assert!(Tokens::of(br#"parent: "BL\x2d1""#).backslash());
        assert!(!Tokens::of(b"parent: BL-1").backslash());
    }
}
