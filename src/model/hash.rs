//! A hash that stays the same across platforms and Rust releases.

/// FNV-1a over `parts`, each ended by a byte no UTF-8 text holds: a hash that is the same on
/// every platform and Rust release, for fingerprints and cache keys that may outlive a process.
pub fn stable_hash<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part.iter().chain(&[0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// A fast checksum of bytes, stable across Rust releases and platforms, to tell a damaged or cut
/// short file of roadlog's own from a whole one: eight bytes a step, where [`stable_hash`] takes
/// one. It guards against accidents, not against someone crafting a collision.
pub fn checksum(bytes: &[u8]) -> u64 {
    checksum_of(&[bytes])
}

/// The [`checksum`] of `pieces` put end to end, without putting them end to end: a cache file
/// is written from its parts, and copying 77 MB of them into one buffer held them twice.
pub fn checksum_of(pieces: &[&[u8]]) -> u64 {
    let total: usize = pieces.iter().map(|p| p.len()).sum();
    let mut hash = 0x9e37_79b9_7f4a_7c15_u64 ^ total as u64;
    let mut mix = |word: [u8; 8]| {
        hash = (hash ^ u64::from_le_bytes(word))
            .wrapping_mul(0x0100_0000_01b3)
            .rotate_left(29);
    };
    // The bytes of a word that began in an earlier piece.
    let (mut carry, mut carried) = ([0u8; 8], 0);
    for piece in pieces {
        let mut rest = *piece;
        if carried > 0 {
            let take = rest.len().min(8 - carried);
            carry[carried..carried + take].copy_from_slice(&rest[..take]);
            (carried, rest) = (carried + take, &rest[take..]);
            if carried < 8 {
                continue;
            }
            mix(carry);
        }
        let mut words = rest.chunks_exact(8);
        for chunk in &mut words {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            mix(word);
        }
        carried = words.remainder().len();
        carry[..carried].copy_from_slice(words.remainder());
    }
    // The last word, padded with zeros: always one, even when the bytes end on a word.
    carry[carried..].fill(0);
    mix(carry);
    hash
}

#[cfg(test)]
mod tests {
    use super::{checksum, checksum_of};

    /// The checksum as cache files written before `checksum_of` computed it: over one buffer.
    fn whole(bytes: &[u8]) -> u64 {
        let mut hash = 0x9e37_79b9_7f4a_7c15_u64 ^ bytes.len() as u64;
        let mut mix = |w: u64| hash = (hash ^ w).wrapping_mul(0x0100_0000_01b3).rotate_left(29);
        let mut words = bytes.chunks_exact(8);
        for chunk in &mut words {
            mix(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        let mut last = [0u8; 8];
        last[..words.remainder().len()].copy_from_slice(words.remainder());
        mix(u64::from_le_bytes(last));
        hash
    }

    #[test]
    fn pieces_checksum_as_the_bytes_end_to_end_do() {
        let bytes: Vec<u8> = (0..61u32).map(|i| (i * 37 % 251) as u8).collect();
        for len in [0, 1, 7, 8, 9, 16, 61] {
            let bytes = &bytes[..len];
            assert_eq!(checksum(bytes), whole(bytes), "{len} bytes");
            // Every way of cutting it in three, empty pieces among them.
            for a in 0..=len {
                for b in a..=len {
                    let pieces = [&bytes[..a], &bytes[a..b], &bytes[b..]];
                    assert_eq!(checksum_of(&pieces), whole(bytes), "{len} cut at {a}, {b}");
                }
            }
        }
        assert_ne!(checksum(b"roadlog"), checksum(b"roadlof"));
    }
}
