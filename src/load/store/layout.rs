//! The cache file's layout: a head, then every part's records, then every part's entities.
//!
//! The records (paths, stamps, digests, and how many entities each file has) are read when the
//! cache is opened, since a load looks files up by them. A part's entities are read, checked
//! and decoded only when the load comes to its files, one or two parts at a time: decoded all
//! at once, the 100,000 items of a warm run were moved into the plan from buffers that, freed,
//! stayed in the heaps of the threads that decoded them.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::super::parse::Role;
use super::super::source::Stamp;
use crate::diag::Finding;
use crate::model::{self, Seal, hash::checksum};

/// The first bytes of a cache file; the digit is the layout's version.
pub(super) const MAGIC: &[u8; 16] = b"roadlog-cache 4\n";

/// The magic line, then the head's length and checksum.
const START: usize = MAGIC.len() + 16;

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
/// entities are its.
#[derive(Deserialize)]
pub(super) struct Record {
    pub(super) path: String,
    pub(super) role: Role,
    /// `None` for a file that had no stamp or could not be read: it is read again.
    pub(super) stamp: Option<Stamp>,
    /// Whether the stamp alone vouches for the text: it was older than the run that wrote it.
    pub(super) trusted: bool,
    pub(super) digest: Digest,
    pub(super) seal: Seal,
    pub(super) counts: Counts,
}

/// [`Record`], borrowed; the fields in the same order and of the same shapes.
#[derive(Serialize)]
pub(super) struct RecordRef<'a> {
    pub(super) path: &'a str,
    pub(super) role: Role,
    pub(super) stamp: Option<Stamp>,
    pub(super) trusted: bool,
    pub(super) digest: Digest,
    pub(super) seal: Seal,
    pub(super) counts: Counts,
}

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
        let mut file = File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        let mut start = [0u8; START];
        file.read_exact(&mut start).ok()?;
        let (magic, rest) = start.split_first_chunk::<16>()?;
        let (len, sum) = rest.split_first_chunk::<8>()?;
        let head = Extent {
            len: u64::from_le_bytes(*len),
            sum: u64::from_le_bytes(sum.first_chunk::<8>().copied()?),
        };
        if magic != MAGIC || head.len > size {
            return None;
        }
        let bytes = read_exactly(&mut file, head.len)?;
        if checksum(&bytes) != head.sum {
            return None;
        }
        let head: Head = postcard::from_bytes(&bytes).ok()?;
        if head.records.len() != head.entities.len() {
            return None;
        }
        let lens = |list: &[Extent]| list.iter().try_fold(0u64, |n, e| n.checked_add(e.len));
        let (records, entities) = (lens(&head.records)?, lens(&head.entities)?);
        let whole = (START as u64)
            .checked_add(bytes.len() as u64)?
            .checked_add(records)?
            .checked_add(entities)?;
        if whole != size {
            return None;
        }
        let all = read_exactly(&mut file, records)?;
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
        let mut at = START as u64 + bytes.len() as u64 + records;
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

/// The next `len` bytes of `file`, when there are that many.
fn read_exactly(file: &mut File, len: u64) -> Option<Vec<u8>> {
    let mut bytes = vec![0; usize::try_from(len).ok()?];
    file.read_exact(&mut bytes).ok()?;
    Some(bytes)
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

/// `len` bytes of `file` from `offset`, without moving its position (parts are read from
/// several threads).
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

/// A cache file's pieces, written one after the other: the start, the head, each part's
/// records, then each part's entities. Put into one buffer, the 77 MB of 100,000 files were
/// held three times over.
pub(super) fn pack(
    version: &str,
    options: u64,
    parts: &[(Vec<RecordRef<'_>>, EntitiesRef<'_>)],
) -> io::Result<Vec<Vec<u8>>> {
    let encode = |part: &(Vec<RecordRef<'_>>, EntitiesRef<'_>)| {
        Ok::<_, postcard::Error>((postcard::to_stdvec(&part.0)?, postcard::to_stdvec(&part.1)?))
    };
    let (records, entities): (Vec<Vec<u8>>, Vec<Vec<u8>>) = parts
        .par_iter()
        .map(encode)
        .collect::<Result<Vec<_>, _>>()
        .map_err(io::Error::other)?
        .into_iter()
        .unzip();
    let head = Head {
        version: version.to_string(),
        options,
        records: records.iter().map(|p| Extent::of(p)).collect(),
        entities: entities.iter().map(|p| Extent::of(p)).collect(),
    };
    let head = postcard::to_stdvec(&head).map_err(io::Error::other)?;
    let mut start = Vec::with_capacity(START + head.len());
    start.extend_from_slice(MAGIC);
    start.extend_from_slice(&(head.len() as u64).to_le_bytes());
    start.extend_from_slice(&checksum(&head).to_le_bytes());
    start.extend_from_slice(&head);
    Ok(std::iter::once(start)
        .chain(records)
        .chain(entities)
        .collect())
}

/// Puts `pieces`, end to end, at `file` whole or not at all: written to a temporary file of
/// this process beside it, then renamed over it, so a concurrent run reads the old cache or the
/// new one.
pub(super) fn write_atomically(file: &Path, pieces: &[Vec<u8>]) -> io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let temporary = dir.join(format!(".roadlog-cache.{}.{nanos}.tmp", std::process::id()));
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .and_then(|mut out| pieces.iter().try_for_each(|p| out.write_all(p)))
        .and_then(|()| fs::rename(&temporary, file));
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}
