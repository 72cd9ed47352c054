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
    let mut hash = 0x9e37_79b9_7f4a_7c15_u64 ^ bytes.len() as u64;
    let mut mix = |word: u64| hash = (hash ^ word).wrapping_mul(0x0100_0000_01b3).rotate_left(29);
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        mix(u64::from_le_bytes(word));
    }
    let mut last = [0u8; 8];
    for (to, from) in last.iter_mut().zip(words.remainder()) {
        *to = *from;
    }
    mix(u64::from_le_bytes(last));
    hash
}
