//! A hash that stays the same across platforms and Rust releases.

/// FNV-1a over `parts`, each ended by a byte no UTF-8 text holds: a hash that is the same on
/// every platform and Rust release, for fingerprints and cache keys that may outlive a process.
pub fn stable_hash<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut hash = FNV_SEED;
    for part in parts {
        for &byte in part.iter().chain(&[0xff]) {
            hash = fnv_step(hash, byte);
        }
    }
    hash
}

/// FNV-1a's offset basis: where a hash of nothing starts.
pub(crate) const FNV_SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// One byte into an FNV-1a hash. Byte at a time, so the token scanner hashes as it reads.
pub(crate) fn fnv_step(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
}

/// A checksum of bytes, to tell a damaged, cut short or changed text from the one read: foldhash
/// with a fixed seed, fast on the small files a plan is made of (a plan's every file is sealed
/// with it as it is read). Stable within a build, which is all a cache needs: the caches are keyed
/// on the build identity, which hashes `Cargo.lock` and so foldhash's version. It guards against
/// accidents, not against someone crafting a collision (the caches' content hash is BLAKE3).
pub fn checksum(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x9e37_79b9_7f4a_7c15).hash_one(bytes)
}
