//! The parse cache kept between runs over the work tree: each plan file's parse, found again by
//! its metadata (as git's index finds a clean file) or, when that moved, by its content.
//!
//! It can cost a parse, never give a wrong one. A record is used without reading the file only
//! when the file's [`Stamp`] is the one recorded and was older than the run that recorded it
//! (git's "racily clean" rule); otherwise the file is read and its text's BLAKE3 hash compared
//! with the recorded one (no text is kept, and a collision cannot be crafted). The cache file
//! is whole or ignored: it is written to a temporary file and renamed into place, and holds a
//! magic line and a head with roadlog's version, the read options and the length and checksum
//! of every part, so a damaged, cut short, foreign or older cache is read as no cache and
//! written again (a part found damaged only when the load comes to it costs the parse of its
//! files). Its layout is in [`layout`].
#![allow(
    clippy::indexing_slicing,
    reason = "indices are parts this load kept after checking each against the cache's own table of parts"
)]

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use crate::diag::{FileId, Finding};
use crate::error::Error;
use crate::load::parts::{
    CHUNK, FileOutcome, Role, chunks, file_id, parse_text, plan_files, put, read_decoded,
    read_file, statuses_of, with_room,
};
use crate::load::{Entry, Source, Stamp, load_config};
use crate::model::{Config, Plan, SourceFile, stable_hash};

mod layout;
mod taking;

use layout::{Counts, Digest, EntitiesRef, Opened, Record, RecordRef, digest, pack};
use taking::{Body, Slot, Stage};

/// The records are written in this many parts, so that threads decode them side by side:
/// decoding the 77 MB of 100,000 files on one thread was an eighth of a warm `check`. A part's
/// entities are read when the load comes to its files, a chunk of them at a time; at 64 parts
/// a chunk spans two or three, read in parallel (at 16 a warm `check` was 7% slower).
const PARTS: usize = 64;

/// The cache is written again when at least one file in this many moved.
const REWRITE_SHARE: usize = 64;

/// The parse cache of one plan root, kept in a folder between runs.
pub struct Store {
    file: PathBuf,
    /// When this run began, in whole seconds since the epoch.
    started: i64,
    held: Option<Opened>,
    /// How many files the last load through it parsed.
    parses: usize,
}

/// How a file of this run is recorded when the cache is written again.
struct Kept {
    role: Role,
    /// The file's stamp and its text's digest; `None` for a file that could not be read.
    known: Option<(Stamp, Digest)>,
    counts: Counts,
}

impl Store {
    /// The cache of the plan at `root`, kept in `dir`: opened now, and empty when there is
    /// none or it cannot be used.
    pub fn open(dir: &Path, root: &Path) -> Store {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let name = stable_hash([root.as_os_str().as_encoded_bytes()]);
        let file = dir.join(format!("plan-{name:016x}.cache"));
        let held = Opened::open(&file);
        Store {
            file,
            started,
            held,
            parses: 0,
        }
    }

    /// How many files the last load through this cache parsed: those it had no record of, and
    /// those whose text is not the recorded one.
    pub fn parses(&self) -> usize {
        self.parses
    }

    /// Where the cache file is.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The cache opened, when it was written under `options` by this build. A record's stamp
    /// vouches for its file only when it is also older than the cache file itself, by the
    /// file system's clock and granularity: a file written in the second the cache was may be
    /// written again within it unseen (git compares its index's entries with the index's own
    /// time the same way), and the run's clock need not agree with the file system's.
    fn take(&mut self, options: u64) -> Option<Opened> {
        let mut held = self
            .held
            .take()
            .filter(|held| held.version == crate::BUILD && held.options == options)?;
        let written = held.written;
        for record in held.records.iter_mut().flatten() {
            record.trusted &= record.stamp.is_some_and(|s| s.before(written));
        }
        Some(held)
    }

    /// Writes the cache of `plan`'s files atomically: a temporary file beside it, renamed over
    /// it. `kept` says how each file after the config stood; their entities lie end to end in
    /// the plan, in file order.
    fn save(&self, options: u64, plan: &Plan, kept: &[Kept]) -> io::Result<()> {
        let files = plan.files.get(1..).unwrap_or(&[]);
        let size = kept.len().div_ceil(PARTS).max(1);
        let mut at = Counts::default();
        let mut parts = Vec::with_capacity(PARTS);
        for (files, kept) in files.chunks(size).zip(kept.chunks(size)) {
            let end = kept.iter().fold(at, |sum, k| sum.plus(k.counts));
            let records = files
                .iter()
                .zip(kept)
                .map(|(file, k)| RecordRef {
                    path: &file.path,
                    role: k.role,
                    stamp: k.known.map(|(stamp, _)| stamp),
                    trusted: k.known.is_some_and(|(s, _)| s.before(self.started)),
                    // A file without a stamp is never taken from its record: no digest matters.
                    digest: k.known.map_or([0; 32], |(_, digest)| digest),
                    seal: file.seal,
                    counts: k.counts,
                })
                .collect();
            let entities = EntitiesRef {
                themes: slice(&plan.themes, at.themes, end.themes)?,
                items: slice(&plan.items, at.items, end.items)?,
                findings: slice(&plan.findings, at.findings, end.findings)?,
            };
            parts.push((records, entities));
            at = end;
        }
        crate::atomic::replace_with(&self.file, |out| pack(crate::BUILD, options, &parts, out))
    }
}

/// The entities `from..to` of a plan's list.
fn slice<T>(list: &[T], from: usize, to: usize) -> io::Result<&[T]> {
    list.get(from..to)
        .ok_or_else(|| io::Error::other("the plan's entities are not its files'"))
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
    let (config_file, _, config) = load_config(source, root_label)?;
    let options = statuses_of(&config);
    let opened = store.take(options);
    let heads: &[Vec<Record>] = opened.as_ref().map_or(&[], |o| &o.records);
    let mut stages: Vec<Stage> = heads.iter().map(|_| Stage::Unread).collect();
    // SipHash of 100,000 paths was 3% of a warm check.
    let mut index: HashMap<&str, (&Record, Slot), foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(heads.iter().map(Vec::len).sum(), Default::default());
    for (part, records) in heads.iter().enumerate() {
        let mut at = Counts::default();
        for record in records {
            let slot = Slot {
                part,
                at,
                counts: record.counts,
            };
            index.insert(record.path.as_str(), (record, slot));
            at = at.plus(record.counts);
        }
    }
    let files = plan_files(source, &config)?;
    let listed = files.len();
    let mut plan = with_room(config_file, config, &files);
    let mut kept = Vec::with_capacity(listed);
    // Records of files still listed, and files read again: what moved is the rest of the
    // records (files gone) and the files read.
    let (mut matched, mut read) = (0, 0);
    // The parts below this one are spent.
    let mut spent = 0;
    let parses = AtomicUsize::new(0);
    // A chunk at a time, as `load` reads, so that what a chunk's parses free is reused by the
    // next chunk's.
    for next in chunks(files, CHUNK) {
        let found: Vec<Found> = next
            .into_par_iter()
            .map(|(i, (entry, role))| {
                let record = index.get(entry.path.as_str()).copied();
                find(
                    source,
                    entry,
                    role,
                    file_id(i),
                    Reading {
                        config: &plan.config,
                        parses: &parses,
                    },
                    record,
                )
            })
            .collect();
        // The parts this chunk's files are recorded in, read in parallel.
        let mut wanted: Vec<usize> = found.iter().filter_map(Found::part).collect();
        wanted.sort_unstable();
        wanted.dedup();
        wanted.retain(|&p| matches!(stages.get(p), Some(Stage::Unread)));
        let read_parts: Vec<Stage> = wanted
            .par_iter()
            .map(|&p| {
                let entities = opened.as_ref().and_then(|o| o.entities(p));
                entities.map_or(Stage::Spent, |e| Stage::Ready(Body::new(e)))
            })
            .collect();
        for (p, stage) in wanted.into_iter().zip(read_parts) {
            stages[p] = stage;
        }
        for found in found {
            match found {
                Found::Recorded(hit) => {
                    let (slot, id) = (hit.slot, hit.id);
                    matched += 1;
                    read += usize::from(!hit.by_stamp);
                    // The parts are recorded in load order: one the load has gone past is
                    // spent, and its memory freed for the next part's.
                    for stage in stages.get_mut(spent..slot.part).into_iter().flatten() {
                        *stage = Stage::Spent;
                    }
                    spent = spent.max(slot.part);
                    match stages.get_mut(slot.part) {
                        Some(Stage::Ready(body)) if body.ahead(&slot) => {
                            plan.files.push(hit.file);
                            body.take_into(&slot, id, &mut plan);
                            kept.push(Kept {
                                role: hit.role,
                                known: Some((hit.stamp, hit.digest)),
                                counts: slot.counts,
                            });
                        }
                        // Recorded out of the order it is listed in, or in a damaged part:
                        // read and parsed again, and the cache written again.
                        _ => {
                            read += usize::from(hit.by_stamp);
                            let (path, reading) = (
                                hit.file.path,
                                Reading {
                                    config: &plan.config,
                                    parses: &parses,
                                },
                            );
                            let (outcome, known) =
                                read_and_parse(source, path, hit.stamp, id, hit.role, reading);
                            keep(&mut plan, &mut kept, outcome, hit.role, known);
                        }
                    }
                }
                Found::Read {
                    outcome,
                    role,
                    known,
                } => {
                    matched += usize::from(index.contains_key(outcome.file.path.as_str()));
                    read += usize::from(known.is_some());
                    keep(&mut plan, &mut kept, outcome, role, known);
                }
            }
        }
    }
    store.parses = parses.into_inner();
    // Writing the whole cache again for a few edited files would cost more than reading just
    // them again on each run (they are verified by their digest), so it is written when more than
    // one file in 64 moved: at once for a small plan, or a cache that was missing or foreign.
    let moved = index.len() - matched + read;
    // The old records go before the new ones are encoded: at 100,000 files they were 30 MB
    // of the peak of a run that writes the cache again.
    drop((stages, index));
    drop(opened);
    if moved > 0 && moved * REWRITE_SHARE >= listed {
        // A cache that cannot be written (a read-only repository) is only a slower next run.
        let _ = store.save(options, &plan, &kept);
    }
    Ok(plan)
}

/// How a plan file was had in this run.
enum Found {
    /// From its record: its stamp matched and was trusted, or its text is the recorded one.
    Recorded(Hit),
    /// Read and parsed, or unreadable; its stamp and digest, when it has a stamp and was read.
    Read {
        outcome: FileOutcome,
        role: Role,
        known: Option<(Stamp, Digest)>,
    },
}

/// A file whose entities are taken from its record.
struct Hit {
    file: SourceFile,
    id: FileId,
    role: Role,
    stamp: Stamp,
    digest: Digest,
    slot: Slot,
    /// Whether the stamp alone vouched for it (else its text was read and compared).
    by_stamp: bool,
}

impl Found {
    /// The part of the cache its entities are taken from.
    fn part(&self) -> Option<usize> {
        match self {
            Found::Recorded(hit) => Some(hit.slot.part),
            Found::Read { .. } => None,
        }
    }
}

/// What reading a file needs besides the file: the plan's config, and the count of files parsed.
#[derive(Clone, Copy)]
struct Reading<'a> {
    config: &'a Config,
    parses: &'a AtomicUsize,
}

/// One plan file: from its record when its stamp vouches for it, else read, and parsed unless
/// the record holds the same text.
fn find(
    source: &dyn Source,
    entry: Entry,
    role: Role,
    id: FileId,
    reading: Reading<'_>,
    record: Option<(&Record, Slot)>,
) -> Found {
    let config = reading.config;
    let stamp = match (&entry.problem, source.stamp(&entry.path)) {
        (None, Some(stamp)) => stamp,
        _ => {
            let outcome = read_file(source, entry, role, id, config, None);
            return Found::Read {
                outcome,
                role,
                known: None,
            };
        }
    };
    let record = record.filter(|(r, _)| r.role == role && r.stamp.is_some());
    let recorded = |path, r: &Record, slot, by_stamp| {
        Found::Recorded(Hit {
            file: SourceFile { path, seal: r.seal },
            id,
            role,
            stamp,
            digest: r.digest,
            slot,
            by_stamp,
        })
    };
    if let Some((r, slot)) = record
        && r.trusted
        && r.stamp == Some(stamp)
    {
        return recorded(entry.path, r, slot, true);
    }
    // Hashed before it is parsed: a checkout restored from another run's cache has every
    // stamp new, and each file whose text is the recorded one costs no parse.
    let text = match read_decoded(source, &entry.path, id) {
        Ok(text) => text,
        Err(finding) => {
            let outcome = unreadable(entry.path, *finding);
            return Found::Read {
                outcome,
                role,
                known: None,
            };
        }
    };
    let digest = digest(&text);
    match record {
        Some((r, slot)) if r.digest == digest => recorded(entry.path, r, slot, false),
        _ => Found::Read {
            outcome: parsed(entry.path, &text, role, reading, id),
            role,
            known: Some((stamp, digest)),
        },
    }
}

/// The file at `path`, with stamp `stamp`, read and parsed; its stamp and digest when it reads.
fn read_and_parse(
    source: &dyn Source,
    path: String,
    stamp: Stamp,
    id: FileId,
    role: Role,
    reading: Reading<'_>,
) -> (FileOutcome, Option<(Stamp, Digest)>) {
    match read_decoded(source, &path, id) {
        Ok(text) => {
            let known = Some((stamp, digest(&text)));
            (parsed(path, &text, role, reading, id), known)
        }
        Err(finding) => (unreadable(path, *finding), None),
    }
}

/// The file at `path` with its text parsed, counted in `parses`.
fn parsed(path: String, text: &str, role: Role, reading: Reading<'_>, id: FileId) -> FileOutcome {
    reading.parses.fetch_add(1, Ordering::Relaxed);
    let parsed = parse_text(&path, text, role, reading.config, id);
    FileOutcome::empty(SourceFile::new(path, text)).with(parsed)
}

/// The file at `path`, which could not be read, with the finding that says why.
fn unreadable(path: String, finding: Finding) -> FileOutcome {
    let mut outcome = FileOutcome::empty(SourceFile::new(path, ""));
    outcome.findings.push(finding);
    outcome
}

/// Puts a file read in this run at the end of `plan`, and how it is to be recorded in `kept`.
fn keep(
    plan: &mut Plan,
    kept: &mut Vec<Kept>,
    outcome: FileOutcome,
    role: Role,
    known: Option<(Stamp, Digest)>,
) {
    kept.push(Kept {
        role,
        known,
        counts: Counts {
            themes: outcome.themes.len(),
            items: outcome.items.len(),
            findings: outcome.findings.len(),
        },
    });
    put(plan, outcome);
}

#[cfg(test)]
mod tests;
