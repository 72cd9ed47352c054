//! Reading a whole plan from a [`Source`]: `roadlog.yaml` first, then every theme and item
//! file, decoded and parsed in parallel.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::ParseCache;
use super::parse::{Parsed, Role, parse_text};
use super::root::CONFIG_FILE;
use super::source::{Entry, MemoryTree, Source};
use crate::diag::{FileId, Finding, Location, Rule};
use crate::error::Error;
use crate::model::{self, Config, Plan, Seal, SourceFile};

/// One file read and parsed: the file and what it yields, to [`put`] into a plan.
pub struct FileOutcome {
    /// The file, with its seal.
    pub file: SourceFile,
    /// Its themes.
    pub themes: Vec<model::Theme>,
    /// Its items.
    pub items: Vec<model::Item>,
    /// Its findings.
    pub findings: Vec<Finding>,
}

/// Decodes a file's bytes as UTF-8 (a leading byte-order mark is kept; YAML allows it).
pub(super) fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.contains(&0) {
        return Err("is not a text file (it holds NUL bytes); plan files are UTF-8 YAML".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e
            .as_bytes()
            .iter()
            .take(valid)
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        format!("is not valid UTF-8 (first bad byte on line {line}); save it as UTF-8")
    })
}

/// Reads `roadlog.yaml` from a source, and gives its text too (a snapshot copies it). Problems
/// in it stop everything: exit 2, with the text for their snippets.
pub fn load_config(
    source: &dyn Source,
    root_label: &str,
) -> Result<(SourceFile, Arc<str>, Config), Error> {
    let bytes = source
        .read(CONFIG_FILE)
        .map_err(|e| Error::Io {
            path: PathBuf::from(root_label).join(CONFIG_FILE),
            source: e,
        })?
        .ok_or_else(|| Error::NoConfigIn {
            dir: PathBuf::from(root_label),
        })?;
    let text = decode(bytes).map_err(|why| Error::Io {
        path: PathBuf::from(root_label).join(CONFIG_FILE),
        source: io::Error::new(io::ErrorKind::InvalidData, why),
    })?;
    let file = SourceFile::new(CONFIG_FILE, &text);
    let mut findings = Vec::new();
    let config = match super::build::parse_docs(&text, FileId(0), &mut findings) {
        Some(docs) => super::build::read_config(&text, &docs, FileId(0), &mut findings),
        None => Config::default(),
    };
    if findings.is_empty() {
        Ok((file, Arc::from(text), config))
    } else {
        Err(Error::Config {
            file,
            text: Arc::from(text),
            findings,
        })
    }
}

/// What loading `source` reads, held in memory: loading the copy gives what loading `source`
/// gives, and it is read only once. `None` when the listing holds what a [`MemoryTree`] cannot
/// list the same way (a path twice, a problem with a folder that is no plan file); load
/// `source` itself then.
pub fn snapshot(source: &dyn Source, root_label: &str) -> Result<Option<MemoryTree>, Error> {
    let (_, config_text, config) = load_config(source, root_label)?;
    let mut tree = MemoryTree::new().with(CONFIG_FILE, config_text.as_bytes());
    let dirs = [&config.roadmap_dir, &config.backlog_dir];
    let listed = dirs
        .map(|dir| source.list(dir))
        .into_iter()
        .collect::<Result<Vec<_>, Error>>()?;
    let readable: Vec<&Entry> = listed
        .iter()
        .flatten()
        .filter(|entry| entry.problem.is_none())
        .collect();
    let reads: Vec<(&Entry, io::Result<Option<Vec<u8>>>)> = readable
        .into_par_iter()
        .map(|entry| (entry, source.read(&entry.path)))
        .collect();
    for entry in listed.iter().flatten() {
        if let Some(why) = &entry.problem {
            tree.insert_problem(&entry.path, why.clone());
        }
    }
    for (entry, read) in reads {
        match read {
            Ok(Some(bytes)) => tree.insert(&entry.path, bytes),
            // Gone since the listing: a copy cannot list a file it cannot read as missing.
            Ok(None) => return Ok(None),
            Err(e) => tree.insert_error(&entry.path, &e),
        }
    }
    let same = dirs
        .iter()
        .zip(&listed)
        .all(|(dir, entries)| tree.list(dir).is_ok_and(|again| &again == entries));
    Ok(same.then_some(tree))
}

/// Reads the whole plan: config, then every theme and item file, parsed in parallel.
pub fn load(source: &dyn Source, root_label: &str) -> Result<Plan, Error> {
    load_with(source, root_label, None)
}

/// Reads the whole plan, reusing files already parsed in `cache`.
pub fn load_with(
    source: &dyn Source,
    root_label: &str,
    cache: Option<&ParseCache>,
) -> Result<Plan, Error> {
    load_in_chunks(source, root_label, cache, CHUNK)
}

/// How many files a load reads in parallel before it puts their parses in the plan.
pub const CHUNK: usize = 4096;

/// [`load_with`], reading `chunk` files at a time.
pub(super) fn load_in_chunks(
    source: &dyn Source,
    root_label: &str,
    cache: Option<&ParseCache>,
    chunk: usize,
) -> Result<Plan, Error> {
    let (config_file, _, config) = load_config(source, root_label)?;
    let files = plan_files(source, &config)?;
    let mut plan = with_room(config_file, config, &files);
    // A chunk at a time: each file's parse is put in the plan and freed before the next chunk
    // is read, so the next chunk's parses reuse the memory in the same worker's heap. Read all
    // at once, the 100,000 freed parses of a check stayed in the workers' heaps for the rest
    // of the run, beside the plan they were moved into.
    for next in chunks(files, chunk) {
        let outcomes: Vec<FileOutcome> = next
            .into_par_iter()
            .map(|(i, (entry, role))| {
                read_file(source, entry, role, file_id(i), &plan.config, cache)
            })
            .collect();
        take_in(&mut plan, outcomes);
    }
    Ok(plan)
}

/// `files`, numbered in load order, `chunk` at a time.
pub fn chunks(
    files: Vec<(Entry, Role)>,
    chunk: usize,
) -> impl Iterator<Item = Vec<(usize, (Entry, Role))>> {
    let mut files = files.into_iter().enumerate();
    std::iter::from_fn(move || {
        let next: Vec<_> = files.by_ref().take(chunk.max(1)).collect();
        (!next.is_empty()).then_some(next)
    })
}

/// The plan files a config names, in load order: themes, then items.
pub fn plan_files(source: &dyn Source, config: &Config) -> Result<Vec<(Entry, Role)>, Error> {
    let mut work: Vec<(Entry, Role)> = Vec::new();
    work.extend(
        source
            .list(&config.roadmap_dir)?
            .into_iter()
            .map(|e| (e, Role::Theme)),
    );
    work.extend(
        source
            .list(&config.backlog_dir)?
            .into_iter()
            .map(|e| (e, Role::Item)),
    );
    Ok(work)
}

/// The id of the `i`-th plan file in load order (`roadlog.yaml` is 0).
pub fn file_id(i: usize) -> FileId {
    FileId(u32::try_from(i + 1).unwrap_or(u32::MAX))
}

/// An empty plan with room for what `files` most often hold, one theme or item each: growing
/// by doubling holds the old and the new buffer at once, which was the peak of a check of
/// 100,000 items.
pub fn with_room(config_file: SourceFile, config: Config, files: &[(Entry, Role)]) -> Plan {
    let themes = files.iter().filter(|(_, r)| *r == Role::Theme).count();
    let mut plan = Plan {
        files: Vec::with_capacity(files.len() + 1),
        config,
        themes: Vec::with_capacity(themes),
        items: Vec::with_capacity(files.len() - themes),
        findings: Vec::new(),
    };
    plan.files.push(config_file);
    plan
}

/// Moves files' outcomes, in load order, to the end of `plan`.
pub(super) fn take_in(plan: &mut Plan, outcomes: Vec<FileOutcome>) {
    for outcome in outcomes {
        put(plan, outcome);
    }
}

/// Moves one file's outcome to the end of `plan`.
pub fn put(plan: &mut Plan, outcome: FileOutcome) {
    plan.files.push(outcome.file);
    plan.themes.extend(outcome.themes);
    plan.items.extend(outcome.items);
    plan.findings.extend(outcome.findings);
}

/// Reads and parses one listed file as file `id`, through `cache` when given; a problem the
/// listing found is its finding.
pub fn read_file(
    source: &dyn Source,
    entry: Entry,
    role: Role,
    id: FileId,
    config: &Config,
    cache: Option<&ParseCache>,
) -> FileOutcome {
    let mut out = FileOutcome::empty(SourceFile::new(entry.path, ""));
    let whole_file = Some(Location {
        file: id,
        span: None,
    });
    if let Some(problem) = entry.problem {
        out.findings.push(Finding::new(
            Rule::UnreadableFile,
            format!("`{}` {problem}", out.file.path),
            whole_file,
        ));
        return out;
    }
    let identity = cache.and_then(|_| source.identity(&out.file.path));
    if let (Some(cache), Some(identity)) = (cache, identity)
        && let Some((seal, parsed)) = cache.known(&out.file.path, identity, role, config, id)
    {
        out.file.seal = seal;
        return out.with(parsed);
    }
    let text = match read_decoded(source, &out.file.path, id) {
        Ok(text) => text,
        Err(finding) => {
            out.findings.push(*finding);
            return out;
        }
    };
    out.file.seal = Seal::of(&text);
    let path = out.file.path.as_str();
    let parsed = match cache {
        Some(cache) => cache.parse(path, &text, role, config, id, identity),
        None => parse_text(path, &text, role, config, id),
    };
    // The text goes here, in the thread that read it, which reads the next file into its
    // memory: kept, the texts of 100,000 files were 39 MB of a check's peak.
    out.with(parsed)
}

/// A plan file's text, or the finding that says why it cannot be had.
pub fn read_decoded(source: &dyn Source, path: &str, id: FileId) -> Result<String, Box<Finding>> {
    let whole_file = Some(Location {
        file: id,
        span: None,
    });
    let bytes = match source.read(path) {
        Ok(Some(b)) => b,
        Ok(None) => {
            return Err(Box::new(Finding::new(
                Rule::UnreadableFile,
                format!("`{path}` disappeared while the plan was read"),
                whole_file,
            )));
        }
        Err(e) if e.kind() == io::ErrorKind::FileTooLarge => {
            return Err(Box::new(
                Finding::new(Rule::ParseError, format!("`{path}` {e}"), whole_file)
                    .help("split it into one file per theme or item"),
            ));
        }
        Err(e) => {
            return Err(Box::new(Finding::new(
                Rule::UnreadableFile,
                format!("`{path}` cannot be read: {e}"),
                whole_file,
            )));
        }
    };
    decode(bytes)
        .map_err(|why| Finding::new(Rule::ParseError, format!("`{path}` {why}"), whole_file).into())
}

impl FileOutcome {
    /// A file that yields nothing (yet).
    pub fn empty(file: SourceFile) -> FileOutcome {
        FileOutcome {
            file,
            themes: Vec::new(),
            items: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// The file with what `parsed` yields.
    pub fn with(mut self, parsed: Parsed) -> FileOutcome {
        self.themes = parsed.themes;
        self.items = parsed.items;
        self.findings.extend(parsed.findings);
        self
    }
}
