//! The cache file's layout: a magic line, every part's records, every part's entities, then
//! the head that says how long each is, and last the head's own length and checksum. The head
//! comes last so that the parts can be encoded and written a few at a time: it was first, and
//! the whole cache (44 MB at 100,000 files) was held encoded until its lengths were known.
//!
//! The records (paths, stamps, digests, and how many entities each file has) are read when the
//! cache is opened, since a load looks files up by them. A part's entities are read, checked
//! and decoded only when the load comes to its files, one or two parts at a time: decoded all
//! at once, the 100,000 items of a warm run were moved into the plan from buffers that, freed,
//! stayed in the heaps of the threads that decoded them.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diag::Finding;
use crate::load::Stamp;
use crate::load::parts::Role;
use crate::model::{self, Seal};
use roadlog_engine::hash::checksum;

/// The first bytes of a cache file; the digit is the layout's version.
pub(super) const MAGIC: &[u8; 16] = b"roadlog-cache 5\n";

/// Where the records begin: after the magic line.
const START: u64 = MAGIC.len() as u64;

/// The last bytes: the head's length and checksum.
const TRAILER: usize = 16;

/// The length and checksum of one stretch of a cache file.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct Extent {
    len: u64,
    /// In eight bytes: as a varint its length would change with the files' trust, and a cache
    /// of the same plan would not be the same size from run to run.
    #[serde(with = "postcard::fixint::le")]
    sum: u64,
}

impl Extent {
    fn of(bytes: &[u8]) -> Extent {
        Extent {
            len: bytes.len() as u64,
            sum: checksum(bytes),
        }
    }
}

/// What a cache file holds after its start: then come the parts' records and entities.
#[derive(Serialize, Deserialize)]
struct Head {
    version: String,
    options: u64,
    records: Vec<Extent>,
    entities: Vec<Extent>,
}

/// A text's BLAKE3 hash: what a file read again must match for its record to be used. The
/// cache may be restored in CI from a run on another branch, so a checksum that can be forged
/// would let a pull request's file be checked as the text it replaced.
pub(super) type Digest = [u8; 32];

/// The digest of `text`.
pub(super) fn digest(text: &str) -> Digest {
    *blake3::hash(text.as_bytes()).as_bytes()
}

/// One file: where it is, its stamp, its text's digest and seal, and how much of its part's
/// entities are its. Read with its own path (`String`); written with a path borrowed from the
/// plan (`&str`), so the two shapes cannot drift apart.
#[derive(Serialize, Deserialize)]
pub(super) struct Record<P = String> {
    pub(super) path: P,
    pub(super) role: Role,
    /// `None` for a file that had no stamp or could not be read: it is read again.
    pub(super) stamp: Option<Stamp>,
    /// Whether the stamp alone vouches for the text: it was older than the run that wrote it,
    /// by that run's clock; when the cache is opened, also older than the cache file itself.
    pub(super) trusted: bool,
    pub(super) digest: Digest,
    pub(super) seal: Seal,
    pub(super) counts: Counts,
}

/// [`Record`], as written: its path borrowed.
pub(super) type RecordRef<'a> = Record<&'a str>;

/// How many themes, items and findings a file has, or come before it in its part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct Counts {
    pub(super) themes: usize,
    pub(super) items: usize,
    pub(super) findings: usize,
}

impl Counts {
    /// Both counts together.
    pub(super) fn plus(self, more: Counts) -> Counts {
        Counts {
            themes: self.themes + more.themes,
            items: self.items + more.items,
            findings: self.findings + more.findings,
        }
    }
}

/// The entities of one part's files, each list end to end in record order.
#[derive(Deserialize)]
pub(super) struct Entities {
    pub(super) themes: Vec<model::Theme>,
    pub(super) items: Vec<model::Item>,
    pub(super) findings: Vec<Finding>,
}

/// [`Entities`], borrowed from a loaded plan.
#[derive(Serialize)]
pub(super) struct EntitiesRef<'a> {
    pub(super) themes: &'a [model::Theme],
    pub(super) items: &'a [model::Item],
    pub(super) findings: &'a [Finding],
}

/// A cache file opened: its version, options and records, and the file, kept open so that each
/// part's entities are read from the file that was opened even if another run replaces it.
pub(super) struct Opened {
    /// The cache file's modification time, in whole seconds since the epoch.
    pub(super) written: i64,
    pub(super) version: String,
    pub(super) options: u64,
    pub(super) records: Vec<Vec<Record>>,
    file: File,
    /// Where each part's entities begin in the file, and their length and checksum.
    stretches: Vec<(u64, Extent)>,
}

impl Opened {
    /// The cache file at `path`, when it is a whole one of this layout; its entities are read
    /// by [`Opened::entities`].
    pub(super) fn open(path: &Path) -> Option<Opened> {
        let file = File::open(path).ok()?;
        let meta = file.metadata().ok()?;
        let size = meta.len();
        let written = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(i64::MIN, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        if read_at(&file, 0, MAGIC.len()).ok()? != MAGIC {
            return None;
        }
        let trailer_at = size.checked_sub(TRAILER as u64)?;
        let trailer = read_at(&file, trailer_at, TRAILER).ok()?;
        let (len, sum) = trailer.split_first_chunk::<8>()?;
        let head = Extent {
            len: u64::from_le_bytes(*len),
            sum: u64::from_le_bytes(sum.first_chunk::<8>().copied()?),
        };
        let head_at = trailer_at.checked_sub(head.len)?;
        let bytes = read_at(&file, head_at, usize::try_from(head.len).ok()?).ok()?;
        if checksum(&bytes) != head.sum {
            return None;
        }
        let head: Head = postcard::from_bytes(&bytes).ok()?;
        if head.records.len() != head.entities.len() {
            return None;
        }
        let lens = |list: &[Extent]| list.iter().try_fold(0u64, |n, e| n.checked_add(e.len));
        let (records, entities) = (lens(&head.records)?, lens(&head.entities)?);
        if START.checked_add(records)?.checked_add(entities)? != head_at {
            return None;
        }
        let all = read_at(&file, START, usize::try_from(records).ok()?).ok()?;
        let mut parts = Vec::with_capacity(head.records.len());
        let mut rest = &all[..];
        for extent in &head.records {
            let (part, after) = rest.split_at_checked(usize::try_from(extent.len).ok()?)?;
            if Extent::of(part) != *extent {
                return None;
            }
            parts.push(part);
            rest = after;
        }
        let decoded: Vec<Vec<Record>> = parts
            .into_par_iter()
            .map(|part| postcard::from_bytes(part).ok())
            .collect::<Option<_>>()?;
        let mut at = START + records;
        let stretches = head
            .entities
            .iter()
            .map(|&extent| {
                let start = at;
                at += extent.len;
                (start, extent)
            })
            .collect();
        Some(Opened {
            written,
            version: head.version,
            options: head.options,
            records: decoded,
            file,
            stretches,
        })
    }

    /// The entities of part `part`, when they read whole from the file.
    pub(super) fn entities(&self, part: usize) -> Option<Entities> {
        let &(start, extent) = self.stretches.get(part)?;
        let bytes = read_at(&self.file, start, usize::try_from(extent.len).ok()?).ok()?;
        if Extent::of(&bytes) != extent {
            return None;
        }
        postcard::from_bytes(&bytes).ok()
    }
}

/// `len` bytes of `file` from `offset`, without moving its position (parts are read from
/// several threads).
#[cfg(unix)]
fn read_at(file: &File, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let mut bytes = vec![0; len];
    file.read_exact_at(&mut bytes, offset)?;
    Ok(bytes)
}

/// `len` bytes of `file` from `offset` (parts are read from several threads, and every read
/// names its offset, so where the file's position is left does not matter).
#[cfg(windows)]
fn read_at(file: &File, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    use std::os::windows::fs::FileExt;
    let mut bytes = vec![0; len];
    let mut done = 0;
    while done < len {
        match file.seek_read(&mut bytes[done..], offset + done as u64)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => done += n,
        }
    }
    Ok(bytes)
}

/// Elsewhere a part is never read: its files are parsed again.
#[cfg(not(any(unix, windows)))]
fn read_at(_: &File, _: u64, _: usize) -> io::Result<Vec<u8>> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Writes a cache file holding `parts` to `out`: the magic line, each part's records, each
/// part's entities, the head, and the head's length and checksum. Parts are encoded in parallel
/// a few at a time and written as they come, so no more than those few are held encoded.
pub(super) fn pack(
    version: &str,
    options: u64,
    parts: &[(Vec<RecordRef<'_>>, EntitiesRef<'_>)],
    out: &mut dyn Write,
) -> io::Result<()> {
    out.write_all(MAGIC)?;
    let records = write_in_turn(parts, |p| postcard::to_stdvec(&p.0), out)?;
    let entities = write_in_turn(parts, |p| postcard::to_stdvec(&p.1), out)?;
    let head = Head {
        version: version.to_string(),
        options,
        records,
        entities,
    };
    let head = postcard::to_stdvec(&head).map_err(io::Error::other)?;
    out.write_all(&head)?;
    out.write_all(&(head.len() as u64).to_le_bytes())?;
    out.write_all(&checksum(&head).to_le_bytes())
}

/// Encodes each of `parts` with `encode` and writes it to `out`, in order, as many at a time as
/// there are threads; gives each one's length and checksum.
fn write_in_turn<T: Sync>(
    parts: &[T],
    encode: impl Fn(&T) -> postcard::Result<Vec<u8>> + Sync,
    out: &mut dyn Write,
) -> io::Result<Vec<Extent>> {
    let mut extents = Vec::with_capacity(parts.len());
    for some in parts.chunks(rayon::current_num_threads().max(1)) {
        let encoded: Vec<Vec<u8>> = some
            .par_iter()
            .map(&encode)
            .collect::<Result<_, _>>()
            .map_err(io::Error::other)?;
        for bytes in encoded {
            out.write_all(&bytes)?;
            extents.push(Extent::of(&bytes));
        }
    }
    Ok(extents)
}
