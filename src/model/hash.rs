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
