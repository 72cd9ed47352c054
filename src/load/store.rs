//! The parse cache kept between runs over the work tree: each plan file's text and parse, found
//! again by its metadata (as git's index finds a clean file) or, when that moved, by its text.
//!
//! It can cost a parse, never give a wrong one. A record is used without reading the file only
//! when the file's [`Stamp`] is the one recorded and was older than the run that recorded it
//! (git's "racily clean" rule); otherwise the file is read and its text compared in full with
//! the recorded text. The cache file is whole or ignored: it is written to a temporary file and
//! renamed into place, and begins with a magic line, its length and a checksum, then roadlog's
//! version and the read options, so a damaged, cut short, foreign or older cache is read as no
//! cache and written again.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::cache::statuses_of;
use super::parse::{Parsed, Role, parse_text};
use super::plan::{
    FileOutcome, assemble, file_id, load_config, plan_files, read_decoded, read_file,
};
use super::source::{Entry, Source, Stamp};
use crate::diag::{FileId, Finding};
use crate::error::Error;
use crate::model::{
    self, Config, Plan, SourceFile, hash::checksum, hash::checksum_of, stable_hash,
};

/// The first bytes of a cache file; the digit is the layout's version.
const MAGIC: &[u8; 16] = b"roadlog-cache 2\n";

/// The records are written in this many parts, so that as many threads decode them: decoding
/// the 77 MB of 100,000 files on one thread was an eighth of a warm `check`.
const PARTS: usize = 16;

/// The cache is written again when at least one file in this many moved.
const REWRITE_SHARE: usize = 64;

/// The parse cache of one plan root, kept in a folder between runs.
pub struct Store {
    file: PathBuf,
    /// When this run began, in whole seconds since the epoch.
    started: i64,
    held: Option<Held>,
}

/// What a cache file's payload begins with: then come its parts of records, of these lengths.
#[derive(Serialize, Deserialize)]
struct Head {
    version: String,
    options: u64,
    parts: Vec<u64>,
}

/// What a cache file holds.
struct Held {
    version: String,
    options: u64,
    /// In the parts they were written in: flattened into one list, they were held twice.
    records: Vec<Vec<(String, Record)>>,
}

/// What a cache file is written from: [`Held`], borrowed from the loaded files.
struct HeldRef<'a> {
    version: &'a str,
    options: u64,
    records: Vec<(&'a str, RecordRef<'a>)>,
}

/// One file: its stamp, text and parse.
#[derive(Deserialize)]
struct Record {
    role: Role,
    stamp: Stamp,
    /// Whether the stamp alone vouches for the text: it was older than the run that wrote it.
    trusted: bool,
    text: Arc<str>,
    themes: Vec<model::Theme>,
    items: Vec<model::Item>,
    findings: Vec<Finding>,
}

/// [`Record`], borrowed; the fields in the same order and of the same shapes.
#[derive(Serialize)]
struct RecordRef<'a> {
    role: Role,
    stamp: Stamp,
    trusted: bool,
    text: &'a str,
    themes: &'a [model::Theme],
    items: &'a [model::Item],
    findings: &'a [Finding],
}

/// How a file was had in this run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Found {
    /// From its record alone: its stamp matched and was trusted.
    Stamped(Stamp),
    /// Read, and recorded again (its stamp moved, or its text or parse did).
    Read(Stamp),
    /// Not to be recorded (it could not be read, or has no stamp).
    Unrecorded,
}

impl Store {
    /// The cache of the plan at `root`, kept in `dir`: read now, and empty when there is none
    /// or it cannot be used.
    pub fn open(dir: &Path, root: &Path) -> Store {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let name = stable_hash([root.as_os_str().as_encoded_bytes()]);
        let file = dir.join(format!("plan-{name:016x}.cache"));
        let held = fs::read(&file).ok().and_then(|bytes| unpack(&bytes));
        Store {
            file,
            started,
            held,
        }
    }

    /// Where the cache file is.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The records read, by path, when they were written under `options`.
    fn take(&mut self, options: u64) -> HashMap<String, Record> {
        match self.held.take() {
            Some(held) if held.version == env!("CARGO_PKG_VERSION") && held.options == options => {
                held.records.into_iter().flatten().collect()
            }
            _ => HashMap::new(),
        }
    }

    /// Writes the cache of these files atomically: a temporary file beside it, renamed over it.
    fn save(&self, options: u64, files: &[(&FileOutcome, Role, Found)]) -> io::Result<()> {
        let records = files
            .iter()
            .filter_map(|(outcome, role, found)| {
                let (Found::Read(stamp) | Found::Stamped(stamp)) = *found else {
                    return None;
                };
                let record = RecordRef {
                    role: *role,
                    stamp,
                    trusted: stamp.before(self.started),
                    text: &outcome.file.text,
                    themes: &outcome.themes,
                    items: &outcome.items,
                    findings: &outcome.findings,
                };
                Some((outcome.file.path.as_str(), record))
            })
            .collect();
        let held = HeldRef {
            version: env!("CARGO_PKG_VERSION"),
            options,
            records,
        };
        write_atomically(&self.file, &pack(&held)?)
    }
}

/// A cache file's pieces: the magic line, the payload's length and checksum, the payload (the
/// [`Head`], then each part of the records), written one after the other: put into one buffer,
/// the 77 MB of 100,000 files' records were held three times over.
fn pack(held: &HeldRef<'_>) -> io::Result<Vec<Vec<u8>>> {
    let size = held.records.len().div_ceil(PARTS).max(1);
    let parts: Vec<Vec<u8>> = held
        .records
        .par_chunks(size)
        .map(postcard::to_stdvec)
        .collect::<Result<_, _>>()
        .map_err(io::Error::other)?;
    let head = Head {
        version: held.version.to_string(),
        options: held.options,
        parts: parts.iter().map(|p| p.len() as u64).collect(),
    };
    let head = postcard::to_stdvec(&head).map_err(io::Error::other)?;
    let payload: Vec<&[u8]> = std::iter::once(&head[..])
        .chain(parts.iter().map(|p| &p[..]))
        .collect();
    let len: usize = payload.iter().map(|p| p.len()).sum();
    let mut start = Vec::with_capacity(MAGIC.len() + 16 + head.len());
    start.extend_from_slice(MAGIC);
    start.extend_from_slice(&(len as u64).to_le_bytes());
    start.extend_from_slice(&checksum_of(&payload).to_le_bytes());
    start.extend_from_slice(&head);
    Ok(std::iter::once(start).chain(parts).collect())
}

/// Puts `pieces`, end to end, at `file` whole or not at all: written to a temporary file of
/// this process beside it, then renamed over it, so a concurrent run reads the old cache or the
/// new one.
fn write_atomically(file: &Path, pieces: &[Vec<u8>]) -> io::Result<()> {
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

/// The cache in `bytes`, when they are a whole cache file of this layout.
fn unpack(bytes: &[u8]) -> Option<Held> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let (len, rest) = rest.split_first_chunk::<8>()?;
    let (sum, payload) = rest.split_first_chunk::<8>()?;
    let whole = u64::try_from(payload.len()).ok()? == u64::from_le_bytes(*len)
        && checksum(payload) == u64::from_le_bytes(*sum);
    if !whole {
        return None;
    }
    let (head, mut rest): (Head, &[u8]) = postcard::take_from_bytes(payload).ok()?;
    let mut parts = Vec::with_capacity(head.parts.len());
    for len in &head.parts {
        let (part, after) = rest.split_at_checked(usize::try_from(*len).ok()?)?;
        parts.push(part);
        rest = after;
    }
    if !rest.is_empty() {
        return None;
    }
    let decoded: Vec<Vec<(String, Record)>> = parts
        .into_par_iter()
        .map(|part| postcard::from_bytes(part).ok())
        .collect::<Option<_>>()?;
    Some(Held {
        version: head.version,
        options: head.options,
        records: decoded,
    })
}

/// Reads the whole plan as [`super::load`] does, taking each file's parse from `store` when
/// the file is unchanged, and writes the store again when enough moved. The plan is the one a
/// load without the store gives; a store that cannot be written costs only the next run's
/// parses.
pub fn load_stored(
    source: &dyn Source,
    root_label: &str,
    store: &mut Store,
) -> Result<Plan, Error> {
    let (config_file, config) = load_config(source, root_label)?;
    let options = statuses_of(&config);
    let mut records = store.take(options);
    let work: Vec<(Entry, Role, Option<Record>)> = plan_files(source, &config)?
        .into_iter()
        .map(|(entry, role)| {
            let record = records.remove(&entry.path);
            (entry, role, record)
        })
        .collect();
    let read: Vec<(FileOutcome, Role, Found)> = work
        .into_par_iter()
        .enumerate()
        .map(|(i, (entry, role, record))| {
            let (outcome, found) = read_one(source, entry, role, file_id(i), &config, record);
            (outcome, role, found)
        })
        .collect();
    // Writing the whole cache again for a few edited files would cost more than reading just
    // them again on each run (they are verified by their text), so it is written when more than
    // one file in 64 moved: at once for a small plan, or a cache that was missing or foreign.
    let moved = records.len()
        + read
            .iter()
            .filter(|(_, _, f)| matches!(f, Found::Read(_)))
            .count();
    if moved > 0 && moved * REWRITE_SHARE >= read.len() {
        let files: Vec<(&FileOutcome, Role, Found)> =
            read.iter().map(|(o, r, f)| (o, *r, *f)).collect();
        // A cache that cannot be written (a read-only repository) is only a slower next run.
        let _ = store.save(options, &files);
    }
    let outcomes = read.into_iter().map(|(outcome, _, _)| outcome).collect();
    Ok(assemble(config_file, config, outcomes))
}

/// One plan file: from its record when its stamp vouches for it, else read, and parsed unless
/// the record holds the same text.
fn read_one(
    source: &dyn Source,
    entry: Entry,
    role: Role,
    id: FileId,
    config: &Config,
    record: Option<Record>,
) -> (FileOutcome, Found) {
    let stamp = match (&entry.problem, source.stamp(&entry.path)) {
        (None, Some(stamp)) => stamp,
        _ => {
            return (
                read_file(source, entry, role, id, config, None),
                Found::Unrecorded,
            );
        }
    };
    let record = match record.filter(|r| r.role == role) {
        Some(record) if record.trusted && record.stamp == stamp => {
            let (text, parsed) = record.into_parts(id);
            let outcome = FileOutcome::empty(SourceFile {
                path: entry.path,
                text,
            });
            return (outcome.with(parsed), Found::Stamped(stamp));
        }
        other => other,
    };
    let text = match read_decoded(source, &entry.path, id) {
        Ok(text) => text,
        Err(finding) => {
            let mut outcome = FileOutcome::empty(SourceFile {
                path: entry.path,
                text: Arc::from(""),
            });
            outcome.findings.push(*finding);
            return (outcome, Found::Unrecorded);
        }
    };
    let file = SourceFile {
        path: entry.path,
        text: Arc::from(text),
    };
    let parsed = match record {
        Some(record) if *record.text == *file.text => record.into_parts(id).1,
        _ => parse_text(&file, role, config, id),
    };
    (FileOutcome::empty(file).with(parsed), Found::Read(stamp))
}

impl Record {
    /// The recorded text, and the recorded parse belonging to file `id`.
    fn into_parts(self, id: FileId) -> (Arc<str>, Parsed) {
        let parsed = Parsed {
            themes: self.themes,
            items: self.items,
            findings: self.findings,
        };
        (self.text, parsed.in_file(id))
    }
}

#[cfg(test)]
mod tests;
