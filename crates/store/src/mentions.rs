//! What each file a diff did not change mentions, kept between runs by git blob id, so that a
//! diff searches the unchanged part of a plan without reading it from the pack (see
//! `roadlog_engine::affected`): reading those blobs was two thirds of a diff of 100,000 items.
//!
//! A blob id names its bytes, so a record is never stale; the file is whole or ignored (magic
//! line, length and BLAKE3 hash), written atomically beside the parse cache, and holds the
//! records of the last diff's unchanged files only, so it grows no larger than the plan. A
//! token is kept as a 32-bit hash: a collision can only make a diff read a file it did not
//! need, never leave out one it did.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are bounded copies into fixed words"
)]

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use roadlog_engine::load::{Identity, Tokens};

/// The first bytes of the file; the digit is the layout's version. The build identity and a
/// newline follow: a token's hash is the loader's, so another build's records are not read.
const MAGIC: &[u8; 19] = b"roadlog-mentions 2\n";

/// What a records file starts with: the magic line and the build's identity line.
fn header() -> Vec<u8> {
    [MAGIC.as_slice(), crate::BUILD.as_bytes(), b"\n"].concat()
}

/// Where the records of the plan in `plan_dir` (relative to the repository) are kept in the
/// cache folder `dir`: a file per plan folder, so that diffs of two plans in one repository
/// do not write each other's records over.
fn file_in(dir: &Path, plan_dir: &str) -> PathBuf {
    let name = roadlog_engine::model::stable_hash([plan_dir.as_bytes()]);
    dir.join(format!("mentions-{name:016x}"))
}

/// The tokens of blobs, as the last diff through this cache folder recorded them.
#[derive(Default)]
pub struct Mentions {
    file: Option<PathBuf>,
    /// The file as read when first asked, and where each blob's record is in it: a diff that
    /// git answers alone (the plan untouched) reads none of it.
    read: OnceLock<Read>,
}

/// The records file as read.
#[derive(Default)]
struct Read {
    bytes: Arc<[u8]>,
    known: HashMap<Identity, Record, BuildHasherDefault<IdHasher>>,
}

/// A blob's record in the file: whether it holds a backslash, and where its hashes are.
#[derive(Clone, Debug)]
struct Record {
    backslash: bool,
    at: Range<usize>,
}

/// Hashes a blob id by its first eight bytes: git gives them at random already.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut word = [0u8; 8];
        let n = bytes.len().min(8);
        word[..n].copy_from_slice(&bytes[..n]);
        self.0 = self.0.rotate_left(8) ^ u64::from_le_bytes(word);
    }
}

impl Mentions {
    /// No records, and none kept (`--no-cache`, or no cache folder).
    pub fn none() -> Mentions {
        Mentions::default()
    }

    /// The records of the plan in `plan_dir` kept in the cache folder `dir`, read when first
    /// asked for: none when there are none or they are damaged.
    pub fn open(dir: &Path, plan_dir: &str) -> Mentions {
        Mentions {
            file: Some(file_in(dir, plan_dir)),
            read: OnceLock::new(),
        }
    }

    /// The records, read now if not yet.
    fn read(&self) -> &Read {
        self.read.get_or_init(|| {
            let Some(bytes) = self.file.as_ref().and_then(|f| std::fs::read(f).ok()) else {
                return Read::default();
            };
            let bytes: Arc<[u8]> = Arc::from(bytes);
            let known = decode(&bytes).unwrap_or_default();
            Read { bytes, known }
        })
    }

    /// The recorded tokens of the blob `id`.
    pub fn get(&self, id: &Identity) -> Option<Tokens> {
        let read = self.read();
        let record = read.known.get(id)?;
        Some(Tokens::shared(
            record.backslash,
            Arc::clone(&read.bytes),
            record.at.clone(),
        ))
    }

    /// Keeps `records`, the tokens of this diff's unchanged files (see `roadlog_engine::load::Change::records`),
    /// in place of the records, when one of them was not recorded. A cache that cannot be
    /// written costs the next diff its reads, nothing else, so an error is not reported.
    pub fn keep<'a>(&self, records: impl Iterator<Item = (Identity, &'a Tokens)> + Clone) {
        let Some(file) = &self.file else {
            return;
        };
        let known = &self.read().known;
        if records.clone().all(|(id, _)| known.contains_key(&id)) {
            return;
        }
        let _ = roadlog_engine::atomic::replace_with(file, |out| write(out, records));
    }
}

/// The magic line, then each record (the blob id, a byte for the backslash, the count of
/// hashes, the hashes), then the records' length and BLAKE3 hash. Written a record at a time:
/// encoded whole first, 100,000 files' records were 22 MB more at a diff's peak.
fn write<'a>(
    out: &mut dyn io::Write,
    records: impl Iterator<Item = (Identity, &'a Tokens)>,
) -> io::Result<()> {
    out.write_all(&header())?;
    let (mut hasher, mut len) = (blake3::Hasher::new(), 0u64);
    let mut record = Vec::new();
    for (id, tokens) in records {
        record.clear();
        record.extend_from_slice(&id);
        record.push(u8::from(tokens.backslash()));
        let hashed = tokens.hashed();
        let n = u32::try_from(hashed.len() / 4).map_err(io::Error::other)?;
        record.extend_from_slice(&n.to_le_bytes());
        record.extend_from_slice(hashed);
        hasher.update(&record);
        len += record.len() as u64;
        out.write_all(&record)?;
    }
    out.write_all(&len.to_le_bytes())?;
    out.write_all(hasher.finalize().as_bytes())
}

/// The records of a whole file, by where they are in it; `None` for one damaged, cut short or
/// of another layout.
fn decode(bytes: &[u8]) -> Option<HashMap<Identity, Record, BuildHasherDefault<IdHasher>>> {
    let header = header();
    let rest = bytes.strip_prefix(header.as_slice())?;
    let (rest, sum) = rest.split_last_chunk::<32>()?;
    let (body, len) = rest.split_last_chunk::<8>()?;
    if u64::from_le_bytes(*len) != body.len() as u64 || blake3::hash(body).as_bytes() != sum {
        return None;
    }
    let mut known = HashMap::default();
    let mut at = header.len();
    let end = at + body.len();
    while at < end {
        let (id, rest) = take::<20>(bytes.get(at..end)?)?;
        let (&flag, rest) = rest.split_first()?;
        let (n, _) = take::<4>(rest)?;
        let n = usize::try_from(u32::from_le_bytes(n)).ok()?;
        let start = at + 25;
        let stop = start
            .checked_add(n.checked_mul(4)?)
            .filter(|stop| *stop <= end)?;
        let record = Record {
            backslash: flag != 0,
            at: start..stop,
        };
        known.insert(id, record);
        at = stop;
    }
    Some(known)
}

/// The first `N` bytes as an array, and the rest.
fn take<const N: usize>(bytes: &[u8]) -> Option<([u8; N], &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<N>()?;
    Some((*head, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use roadlog_engine::load::Hashes;

    fn record(text: &str, id: u8) -> (Identity, Tokens) {
        ([id; 20], Tokens::of(text.as_bytes()))
    }

    fn keep(dir: &Path, records: &[(Identity, Tokens)]) {
        Mentions::open(dir, "plan").keep(records.iter().map(|(id, t)| (*id, t)));
    }

    #[test]
    fn records_are_kept_and_read_again_whole_or_not_at_all() {
        let dir = tempfile::tempdir().expect("tempdir");
        let files = [
            record("parent: BL-2\n", 1),
            record("title: \"a \\\" b\"\n", 2),
        ];
        keep(dir.path(), &files);
        let read = Mentions::open(dir.path(), "plan");
        assert_eq!(read.read().known.len(), 2);
        assert_eq!(read.get(&[1; 20]).as_ref(), Some(&files[0].1));
        assert_eq!(read.get(&[2; 20]).as_ref(), Some(&files[1].1));
        assert!(
            read.get(&[1; 20])
                .is_some_and(|t| t.any(&Hashes::of(["BL-2"])))
        );
        assert!(read.get(&[2; 20]).is_some_and(|t| t.backslash()));

        let file = file_in(dir.path(), "plan");
        let whole = std::fs::read(&file).expect("written");
        let mut flipped = whole.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        let mut other = whole.clone();
        other[MAGIC.len() - 2] = b'9';
        // Another build's records: the same layout, another identity.
        let mut foreign = whole.clone();
        foreign[MAGIC.len() + crate::BUILD.len() - 1] ^= 1;
        for damaged in [
            &foreign,
            &whole[..whole.len() - 3],
            &flipped,
            &other,
            &whole[..10],
            &[],
        ] {
            std::fs::write(&file, damaged).expect("write");
            assert!(Mentions::open(dir.path(), "plan").read().known.is_empty());
        }
    }

    #[test]
    fn records_are_written_again_only_for_a_blob_not_recorded() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = [record("a", 1), record("b", 2)];
        keep(dir.path(), &first);
        keep(dir.path(), &first[..1]);
        let read = Mentions::open(dir.path(), "plan");
        assert_eq!(
            read.read().known.len(),
            2,
            "nothing new, so not written again"
        );
        keep(dir.path(), &[record("c", 3)]);
        let read = Mentions::open(dir.path(), "plan");
        assert_eq!(
            read.read().known.len(),
            1,
            "only the last diff's records are kept"
        );
        assert!(read.get(&[3; 20]).is_some());
        Mentions::none().keep(first.iter().map(|(id, t)| (*id, t)));
        assert!(Mentions::open(dir.path(), "plan").get(&[1; 20]).is_none());
        Mentions::open(dir.path(), "other/plan").keep(first.iter().map(|(id, t)| (*id, t)));
        let (plan, other) = (
            Mentions::open(dir.path(), "plan"),
            Mentions::open(dir.path(), "other/plan"),
        );
        assert!(
            plan.get(&[3; 20]).is_some(),
            "another plan folder's records are its own"
        );
        assert!(other.get(&[3; 20]).is_none() && other.get(&[1; 20]).is_some());
    }
}
