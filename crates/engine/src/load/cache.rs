//! Parsed files shared between loads, so a file version is parsed once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::parse::{Parsed, Role, parse_text};
use super::source::Identity;
use crate::diag::FileId;
use crate::hash::checksum;
use crate::model::{Config, Seal, stable_hash};

/// Parsed files shared between loads (the samples of `history`, both sides of `diff`), so a file
/// whose path, text and status configuration did not change is parsed once. Files with a known
/// [`Identity`] (git blobs) are kept and found by it, without being read; others by their text,
/// where a hit is confirmed by comparing the full text, so a hash collision can only cost a
/// parse, never give a wrong one. A file kept by identity is not found by text, so a load
/// without identities (the working tree) should come first.
///
/// Keys are stable (a checksum of the text, and a hash of explicit read options: the version and
/// the custom statuses), so the cache could be kept on disk. It holds the parses of at most
/// [`MAX_HELD`] bytes of text: past that it starts again empty, which costs parses, never a
/// wrong answer.
#[derive(Default)]
pub struct ParseCache {
    entries: Mutex<HashMap<(String, u64), Vec<CacheEntry>>>,
    by_identity: Mutex<HashMap<IdentityKey, Shared>>,
    parses: AtomicUsize,
    held: AtomicUsize,
}

/// The most text, in bytes, a cache holds.
pub(crate) const MAX_HELD: usize = 512 * 1024 * 1024;

/// Path, blob id, role and read-options fingerprint.
type IdentityKey = (String, Identity, Role, u64);

/// A file's seal and its parse, shared by every load that meets the file.
type Shared = (Seal, Arc<Parsed>);

struct CacheEntry {
    text: Arc<str>,
    role: Role,
    statuses: u64,
    parsed: Arc<Parsed>,
}

/// What changes how a file reads within a build: the custom statuses, the only part of the
/// config that parsing depends on.
pub fn statuses_of(config: &Config) -> u64 {
    let mut parts: Vec<&[u8]> = Vec::new();
    for (name, category) in &config.statuses {
        parts.push(name.as_bytes());
        parts.push(category.as_str().as_bytes());
    }
    stable_hash(parts)
}

impl ParseCache {
    /// An empty cache.
    pub fn new() -> ParseCache {
        ParseCache::default()
    }

    /// How many files this cache has parsed (misses).
    pub fn parses(&self) -> usize {
        self.parses.load(Ordering::Relaxed)
    }

    /// The seal and parse of the file at `path` with content `identity`, if already parsed.
    pub(super) fn known(
        &self,
        path: &str,
        identity: Identity,
        role: Role,
        config: &Config,
        id: FileId,
    ) -> Option<(Seal, Parsed)> {
        let key = (path.to_string(), identity, role, statuses_of(config));
        // Clone the handle under the lock and the parse outside it, so threads do not queue.
        let (seal, parsed) = self.by_identity.lock().ok()?.get(&key).cloned()?;
        Some((seal, Parsed::clone(&parsed).in_file(id)))
    }

    /// Parses `text`, the file at `path`, or takes the earlier parse of the same text. A fresh
    /// parse is kept under the file's identity when it has one (nothing needs its text hashed or
    /// kept then), else under its text.
    pub(super) fn parse(
        &self,
        path: &str,
        text: &str,
        role: Role,
        config: &Config,
        id: FileId,
        identity: Option<Identity>,
    ) -> Parsed {
        let statuses = statuses_of(config);
        let by_text = || (path.to_string(), checksum(text.as_bytes()));
        // Only files without an identity are kept by text: with none kept, skip the hashing.
        let mut key = None;
        let hit = self.entries.lock().ok().and_then(|map| {
            if map.is_empty() {
                return None;
            }
            map.get(key.insert(by_text()))?
                .iter()
                .find(|e| e.role == role && e.statuses == statuses && *e.text == *text)
                .map(|e| Arc::clone(&e.parsed))
        });
        if let Some(shared) = hit {
            return Parsed::clone(&shared).in_file(id);
        }
        self.parses.fetch_add(1, Ordering::Relaxed);
        let parsed = parse_text(path, text, role, config, id);
        let shared = Arc::new(parsed.clone());
        self.make_room(text.len());
        match identity {
            Some(identity) => {
                if let Ok(mut map) = self.by_identity.lock() {
                    map.insert(
                        (path.to_string(), identity, role, statuses),
                        (Seal::of(text), shared),
                    );
                }
            }
            None => {
                if let Ok(mut map) = self.entries.lock() {
                    map.entry(key.unwrap_or_else(by_text))
                        .or_default()
                        .push(CacheEntry {
                            text: Arc::from(text),
                            role,
                            statuses,
                            parsed: shared,
                        });
                }
            }
        }
        parsed
    }

    /// Forgets everything when keeping `len` more bytes would pass [`MAX_HELD`].
    fn make_room(&self, len: usize) {
        if self.held.fetch_add(len, Ordering::Relaxed) + len <= MAX_HELD {
            return;
        }
        if let (Ok(mut by_text), Ok(mut by_identity)) =
            (self.entries.lock(), self.by_identity.lock())
        {
            by_text.clear();
            by_identity.clear();
        }
        self.held.store(len, Ordering::Relaxed);
    }
}
