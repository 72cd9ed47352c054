//! Finding the plan root and reading a plan from a [`Source`] of `(path, bytes)`.
//!
//! The work tree is one source; a git tree will be another, through the same interface, so
//! `--rev` needs no second loader.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diag::{FileId, Finding, Location, Rule};
use crate::error::Error;
use crate::model::{self, Config, Plan, SourceFile};

/// The file whose presence marks a plan root.
pub const CONFIG_FILE: &str = "roadlog.yaml";

/// Files larger than this are not parsed: one finding names the file and its size. The YAML
/// library bounds depth, nodes and aliases, not the size of a string it is given.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A plan file found by listing a source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the plan root, `/`-separated.
    pub path: String,
    /// Why it cannot be read, when that is known from listing alone.
    pub problem: Option<String>,
}

/// Where plan files come from: the work tree, or (later) a git tree.
pub trait Source: Sync {
    /// Reads a file by path relative to the plan root; `Ok(None)` when there is none.
    fn read(&self, path: &str) -> io::Result<Option<Vec<u8>>>;
    /// Lists the `.yaml`/`.yml` files under `dir` (relative to the plan root), sorted by path,
    /// hidden entries skipped.
    fn list(&self, dir: &str) -> Result<Vec<Entry>, Error>;
    /// The content's identity (a git blob id) when the source knows it without reading: equal
    /// identities mean equal bytes, so a [`ParseCache`] can answer without reading at all.
    fn identity(&self, _path: &str) -> Option<Identity> {
        None
    }
}

/// A content identity: the 20 bytes of a git blob id.
pub type Identity = [u8; 20];

/// Finds the plan root: `explicit` (from `--plan`/`ROADLOG_PLAN`), else the nearest folder from
/// `start` upwards holding a `roadlog.yaml`.
pub fn find_root(start: &Path, explicit: Option<&Path>) -> Result<PathBuf, Error> {
    if let Some(dir) = explicit {
        let dir = if dir.file_name().is_some_and(|n| n == CONFIG_FILE) && dir.is_file() {
            dir.parent().unwrap_or(Path::new(".")).to_path_buf()
        } else {
            dir.to_path_buf()
        };
        if !dir.is_dir() {
            return Err(Error::NoPlanDir { dir });
        }
        if !dir.join(CONFIG_FILE).exists() {
            return Err(Error::NoConfigIn { dir });
        }
        return Ok(dir);
    }
    let mut dir = Some(start);
    while let Some(d) = dir {
        if d.join(CONFIG_FILE).is_file() {
            return Ok(d.to_path_buf());
        }
        dir = d.parent();
    }
    Err(Error::NoPlanRoot {
        start: start.to_path_buf(),
    })
}

/// The plan as it is on disk.
pub struct WorkTree {
    root: PathBuf,
    canonical_root: PathBuf,
}

impl WorkTree {
    /// A source reading under `root`.
    pub fn new(root: &Path) -> Result<WorkTree, Error> {
        let canonical_root = fs::canonicalize(root).map_err(|source| Error::Io {
            path: root.to_path_buf(),
            source,
        })?;
        Ok(WorkTree {
            root: root.to_path_buf(),
            canonical_root,
        })
    }

    /// The plan root as given.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// Whether a file name is a plan file (`.yaml` or `.yml`, any case).
pub fn is_plan_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

impl Source for WorkTree {
    fn read(&self, path: &str) -> io::Result<Option<Vec<u8>>> {
        let full = self.root.join(path);
        let file = match fs::File::open(&full) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(io::Error::other("is a directory, not a file"));
        }
        if !meta.is_file() {
            // A FIFO or device named .yaml would block or never end.
            return Err(io::Error::other("is not a regular file"));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(too_large(meta.len()));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        // Bounded even if the file grows between stat and read.
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large(bytes.len() as u64));
        }
        Ok(Some(bytes))
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>, Error> {
        let base = self.root.join(dir);
        if !base.exists() {
            return Ok(Vec::new());
        }
        let problems = RefCell::new(Vec::new());
        let nested = RefCell::new(None);
        let rel = |p: &Path| -> String {
            let r = p.strip_prefix(&self.root).unwrap_or(p);
            r.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        };
        let walker = walkdir::WalkDir::new(&base)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && is_hidden(e.file_name()) {
                    return false;
                }
                if e.depth() > 0 && e.file_type().is_dir() && e.path().join(".git").exists() {
                    nested.borrow_mut().get_or_insert_with(|| rel(e.path()));
                    return false;
                }
                if e.path_is_symlink() {
                    match fs::canonicalize(e.path()) {
                        Ok(target) if target.starts_with(&self.canonical_root) => {}
                        Ok(_) => {
                            problems.borrow_mut().push(Entry {
                                path: rel(e.path()),
                                problem: Some("is a symbolic link to a place outside the plan root; it is not followed".into()),
                            });
                            return false;
                        }
                        Err(err) => {
                            problems.borrow_mut().push(Entry {
                                path: rel(e.path()),
                                problem: Some(format!("is a symbolic link that cannot be followed ({err})")),
                            });
                            return false;
                        }
                    }
                }
                true
            });
        let mut entries = Vec::new();
        for e in walker {
            let e = match e {
                Ok(e) => e,
                Err(err) => {
                    let path = err.path().map_or_else(|| dir.to_string(), &rel);
                    let why = if err.loop_ancestor().is_some() {
                        "is a symbolic link loop; it is not followed".to_string()
                    } else {
                        format!(
                            "cannot be listed ({})",
                            err.io_error()
                                .map_or_else(|| err.to_string(), ToString::to_string)
                        )
                    };
                    problems.borrow_mut().push(Entry {
                        path,
                        problem: Some(why),
                    });
                    continue;
                }
            };
            let name = e.file_name().to_string_lossy();
            if e.depth() == 0 || !is_plan_file(&name) {
                continue;
            }
            let problem = if e.file_type().is_dir() {
                Some("is a directory, not a file".to_string())
            } else if !e.file_type().is_file() {
                Some("is not a regular file".to_string())
            } else {
                None
            };
            entries.push(Entry {
                path: rel(e.path()),
                problem,
            });
        }
        if let Some(path) = nested.into_inner() {
            return Err(crate::git::nested_repository(&path));
        }
        entries.extend(problems.into_inner());
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(entries)
    }
}

/// A plan held in memory, path → bytes: the git source, tests and fuzzing.
#[derive(Clone, Debug, Default)]
pub struct MemoryTree {
    files: std::collections::BTreeMap<String, Stored>,
}

#[derive(Clone, Debug)]
enum Stored {
    /// Shared, so a tree cloned to make the other side of a diff copies no file.
    Bytes(Arc<[u8]>, Option<Identity>),
    /// Known from the listing alone: why the path cannot be read (a link, a submodule…).
    Problem(String),
    /// Too large to hold; only the size is kept.
    TooLarge(u64),
    /// Reading it failed: the error's kind and text, given again on every read.
    Failed(io::ErrorKind, String),
}

impl MemoryTree {
    /// An empty tree.
    pub fn new() -> MemoryTree {
        MemoryTree::default()
    }

    /// Adds a file at a `/`-separated path relative to the plan root.
    #[must_use]
    pub fn with(mut self, path: &str, text: impl Into<Vec<u8>>) -> MemoryTree {
        self.insert(path, text.into());
        self
    }

    /// Removes a file, if it is there.
    pub fn remove(&mut self, path: &str) {
        self.files.remove(path);
    }

    /// Adds a file.
    pub fn insert(&mut self, path: &str, bytes: Vec<u8>) {
        self.insert_blob(path, &bytes, None);
    }

    /// Adds a file whose content has a known identity (its git blob id).
    pub fn insert_blob(&mut self, path: &str, bytes: &[u8], identity: Option<Identity>) {
        self.insert_shared(path, Arc::from(bytes), identity);
    }

    /// Adds a file whose bytes are already shared, without copying them.
    pub fn insert_shared(&mut self, path: &str, bytes: Arc<[u8]>, identity: Option<Identity>) {
        let stored = if bytes.len() as u64 > MAX_FILE_BYTES {
            Stored::TooLarge(bytes.len() as u64)
        } else {
            Stored::Bytes(bytes, identity)
        };
        self.files.insert(path.to_string(), stored);
    }

    /// Records a path that cannot be read, and why.
    pub fn insert_problem(&mut self, path: &str, why: impl Into<String>) {
        self.files
            .insert(path.to_string(), Stored::Problem(why.into()));
    }

    /// Records a file too large to parse, by its size.
    pub fn insert_too_large(&mut self, path: &str, size: u64) {
        self.files.insert(path.to_string(), Stored::TooLarge(size));
    }

    /// Records a file whose reading failed with `error`, which every read gives again.
    pub fn insert_error(&mut self, path: &str, error: &io::Error) {
        let failed = Stored::Failed(error.kind(), error.to_string());
        self.files.insert(path.to_string(), failed);
    }

    /// Keeps only the paths for which `keep` says yes.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.files.retain(|path, _| keep(path));
    }

    /// Every path held, files that cannot be read included, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Every file held as bytes, with its path, in path order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &Arc<[u8]>)> {
        self.files.iter().filter_map(|(path, stored)| match stored {
            Stored::Bytes(bytes, _) => Some((path.as_str(), bytes)),
            _ => None,
        })
    }
}

impl Source for MemoryTree {
    fn read(&self, path: &str) -> io::Result<Option<Vec<u8>>> {
        match self.files.get(path) {
            Some(Stored::Bytes(bytes, _)) => Ok(Some(bytes.to_vec())),
            Some(Stored::TooLarge(size)) => Err(too_large(*size)),
            Some(Stored::Problem(why)) => Err(io::Error::other(why.clone())),
            Some(Stored::Failed(kind, why)) => Err(io::Error::new(*kind, why.clone())),
            None => Ok(None),
        }
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>, Error> {
        let prefix = format!("{dir}/");
        Ok(self
            .files
            .iter()
            .filter(|(p, _)| p.starts_with(&prefix))
            .filter(|(p, _)| {
                !p[prefix.len()..]
                    .split('/')
                    .any(|part| part.starts_with('.'))
            })
            // A problem is listed whatever its name: a link out of the root, a link loop.
            .filter(|(p, stored)| {
                matches!(stored, Stored::Problem(_))
                    || is_plan_file(p.rsplit('/').next().unwrap_or(p))
            })
            .map(|(p, stored)| Entry {
                path: p.clone(),
                problem: match stored {
                    Stored::Problem(why) => Some(why.clone()),
                    _ => None,
                },
            })
            .collect())
    }

    fn identity(&self, path: &str) -> Option<Identity> {
        match self.files.get(path) {
            Some(Stored::Bytes(_, identity)) => *identity,
            _ => None,
        }
    }
}

fn too_large(len: u64) -> io::Error {
    #[allow(clippy::cast_precision_loss)]
    let mib = len as f64 / (1024.0 * 1024.0);
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("is {mib:.1} MiB; plan files over 4 MiB are not parsed"),
    )
}

/// What a plan file holds.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Role {
    Theme,
    Item,
}

struct FileOutcome {
    file: SourceFile,
    themes: Vec<model::Theme>,
    items: Vec<model::Item>,
    findings: Vec<Finding>,
}

/// Decodes a file's bytes as UTF-8 (a leading byte-order mark is kept; YAML allows it).
fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.contains(&0) {
        return Err("is not a text file (it holds NUL bytes); plan files are UTF-8 YAML".into());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        format!("is not valid UTF-8 (first bad byte on line {line}); save it as UTF-8")
    })
}

/// Reads `roadlog.yaml` from a source. Problems in it stop everything: exit 2.
pub fn load_config(source: &dyn Source, root_label: &str) -> Result<(SourceFile, Config), Error> {
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
    let file = SourceFile {
        path: CONFIG_FILE.to_string(),
        text: Arc::from(text),
    };
    let mut findings = Vec::new();
    let config = match model::parse_docs(&file.text, FileId(0), &mut findings) {
        Some(docs) => model::read_config(&file.text, &docs, FileId(0), &mut findings),
        None => Config::default(),
    };
    if findings.is_empty() {
        Ok((file, config))
    } else {
        Err(Error::Config { file, findings })
    }
}

/// What loading `source` reads, held in memory: loading the copy gives what loading `source`
/// gives, and it is read only once. `None` when the listing holds what a [`MemoryTree`] cannot
/// list the same way (a path twice, a problem with a folder that is no plan file); load
/// `source` itself then.
pub fn snapshot(source: &dyn Source, root_label: &str) -> Result<Option<MemoryTree>, Error> {
    let (config_file, config) = load_config(source, root_label)?;
    let mut tree = MemoryTree::new().with(CONFIG_FILE, config_file.text.as_bytes());
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
    let (config_file, config) = load_config(source, root_label)?;
    let outcomes: Vec<FileOutcome> = plan_files(source, &config)?
        .into_par_iter()
        .enumerate()
        .map(|(i, (entry, role))| read_file(source, entry, role, file_id(i), &config, cache))
        .collect();
    Ok(assemble(config_file, config, outcomes))
}

/// Brings `previous`, loaded from `source` before the files in `changed` (paths relative to
/// the plan root) changed, up to date. Only those files are read again; every other file keeps
/// its entities, moved rather than cloned, so a `history` sample costs what changed, not the
/// whole plan. The result is what [`load_with`] gives.
pub fn reload(
    source: &dyn Source,
    root_label: &str,
    cache: &ParseCache,
    previous: Plan,
    changed: &HashSet<String>,
) -> Result<Plan, Error> {
    // The config decides which files are read and how statuses parse: a change reads it all.
    if changed.contains(CONFIG_FILE) {
        return load_with(source, root_label, Some(cache));
    }
    let Some((config, outcomes)) = split(previous) else {
        return load_with(source, root_label, Some(cache));
    };
    let mut outcomes = outcomes.into_iter();
    let Some(config_file) = outcomes.next() else {
        return load_with(source, root_label, Some(cache));
    };
    let mut kept: HashMap<String, FileOutcome> =
        outcomes.map(|o| (o.file.path.clone(), o)).collect();
    let work = plan_files(source, &config)?;
    let mut slots: Vec<Option<FileOutcome>> = work
        .iter()
        .enumerate()
        .map(|(i, (entry, _))| {
            if changed.contains(&entry.path) || entry.problem.is_some() {
                return None;
            }
            kept.remove(&entry.path).map(|o| o.in_file(file_id(i)))
        })
        .collect();
    let fresh: Vec<(usize, FileOutcome)> = work
        .into_par_iter()
        .enumerate()
        .filter(|(i, _)| slots[*i].is_none())
        .map(|(i, (entry, role))| {
            let outcome = read_file(source, entry, role, file_id(i), &config, Some(cache));
            (i, outcome)
        })
        .collect();
    for (i, outcome) in fresh {
        slots[i] = Some(outcome);
    }
    Ok(assemble(
        config_file.file,
        config,
        slots.into_iter().flatten().collect(),
    ))
}

/// A plan taken apart: its config, and each file's outcome indexed by [`FileId`] (the config
/// file first). `None` if an entity or finding names no file, which the loader never gives.
fn split(plan: Plan) -> Option<(Config, Vec<FileOutcome>)> {
    let Plan {
        files,
        config,
        themes,
        items,
        findings,
    } = plan;
    let mut outcomes: Vec<FileOutcome> = files.into_iter().map(FileOutcome::empty).collect();
    for theme in themes {
        outcomes.get_mut(theme.file.0 as usize)?.themes.push(theme);
    }
    for item in items {
        outcomes.get_mut(item.file.0 as usize)?.items.push(item);
    }
    for finding in findings {
        let n = finding.at?.file.0 as usize;
        outcomes.get_mut(n)?.findings.push(finding);
    }
    Some((config, outcomes))
}

/// The plan files a config names, in load order: themes, then items.
fn plan_files(source: &dyn Source, config: &Config) -> Result<Vec<(Entry, Role)>, Error> {
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
fn file_id(i: usize) -> FileId {
    FileId(u32::try_from(i + 1).unwrap_or(u32::MAX))
}

/// A plan from its config and its files' outcomes in load order.
fn assemble(config_file: SourceFile, config: Config, outcomes: Vec<FileOutcome>) -> Plan {
    let mut plan = Plan {
        files: Vec::with_capacity(outcomes.len() + 1),
        config,
        themes: Vec::new(),
        items: Vec::new(),
        findings: Vec::new(),
    };
    plan.files.push(config_file);
    for outcome in outcomes {
        plan.files.push(outcome.file);
        plan.themes.extend(outcome.themes);
        plan.items.extend(outcome.items);
        plan.findings.extend(outcome.findings);
    }
    plan
}

fn read_file(
    source: &dyn Source,
    entry: Entry,
    role: Role,
    id: FileId,
    config: &Config,
    cache: Option<&ParseCache>,
) -> FileOutcome {
    let mut out = FileOutcome::empty(SourceFile {
        path: entry.path,
        text: Arc::from(""),
    });
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
        && let Some((text, parsed)) = cache.known(&out.file.path, identity, role, config, id)
    {
        out.file.text = text;
        return out.with(parsed);
    }
    let bytes = match source.read(&out.file.path) {
        Ok(Some(b)) => b,
        Ok(None) => {
            out.findings.push(Finding::new(
                Rule::UnreadableFile,
                format!("`{}` disappeared while the plan was read", out.file.path),
                whole_file,
            ));
            return out;
        }
        Err(e) if e.kind() == io::ErrorKind::FileTooLarge => {
            out.findings.push(
                Finding::new(
                    Rule::ParseError,
                    format!("`{}` {e}", out.file.path),
                    whole_file,
                )
                .help("split it into one file per theme or item"),
            );
            return out;
        }
        Err(e) => {
            out.findings.push(Finding::new(
                Rule::UnreadableFile,
                format!("`{}` cannot be read: {e}", out.file.path),
                whole_file,
            ));
            return out;
        }
    };
    let text = match decode(bytes) {
        Ok(t) => t,
        Err(why) => {
            out.findings.push(Finding::new(
                Rule::ParseError,
                format!("`{}` {why}", out.file.path),
                whole_file,
            ));
            return out;
        }
    };
    out.file.text = Arc::from(text);
    let parsed = match cache {
        Some(cache) => {
            let (text, parsed) = cache.parse(&out.file, role, config, id, identity);
            out.file.text = text;
            parsed
        }
        None => parse_text(&out.file, role, config, id),
    };
    out.with(parsed)
}

impl FileOutcome {
    fn empty(file: SourceFile) -> FileOutcome {
        FileOutcome {
            file,
            themes: Vec::new(),
            items: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// The same outcome, belonging to file `id`.
    fn in_file(self, id: FileId) -> FileOutcome {
        let parsed = Parsed {
            themes: self.themes,
            items: self.items,
            findings: self.findings,
        };
        FileOutcome::empty(self.file).with(parsed.in_file(id))
    }

    fn with(mut self, parsed: Parsed) -> FileOutcome {
        self.themes = parsed.themes;
        self.items = parsed.items;
        self.findings.extend(parsed.findings);
        self
    }
}

/// What one file's text yields.
#[derive(Clone)]
struct Parsed {
    themes: Vec<model::Theme>,
    items: Vec<model::Item>,
    findings: Vec<Finding>,
}

impl Parsed {
    /// The same entities and findings, belonging to file `id`.
    fn in_file(mut self, id: FileId) -> Parsed {
        for t in &mut self.themes {
            t.file = id;
        }
        for i in &mut self.items {
            i.file = id;
        }
        for f in &mut self.findings {
            if let Some(at) = &mut f.at {
                at.file = id;
            }
            if let Some((at, _)) = &mut f.related {
                at.file = id;
            }
        }
        self
    }
}

/// What the loader reads from one file's text, as a theme file (`theme`) or an item file: the ids
/// it holds and its findings. Commands that write check their text with it before the disk.
pub fn read_text(
    path: &str,
    text: &str,
    theme: bool,
    config: &Config,
) -> (Vec<String>, Vec<Finding>) {
    let file = SourceFile {
        path: path.to_string(),
        text: Arc::from(text),
    };
    let role = if theme { Role::Theme } else { Role::Item };
    let parsed = parse_text(&file, role, config, FileId(0));
    let ids = parsed
        .themes
        .iter()
        .map(|t| t.id.value.clone())
        .chain(parsed.items.iter().map(|i| i.id.value.clone()))
        .collect();
    (ids, parsed.findings)
}

/// Parses a decoded file into themes or items.
fn parse_text(file: &SourceFile, role: Role, config: &Config, id: FileId) -> Parsed {
    let mut parsed = Parsed {
        themes: Vec::new(),
        items: Vec::new(),
        findings: Vec::new(),
    };
    let text = &file.text;
    let stem = stem_of(&file.path);
    let Some(docs) = model::parse_docs(text, id, &mut parsed.findings) else {
        return parsed;
    };
    if docs.is_empty() {
        parsed.findings.push(
            Finding::new(
                Rule::ParseError,
                format!(
                    "`{}` holds no theme or item (it is empty or only comments)",
                    file.path
                ),
                Some(Location {
                    file: id,
                    span: None,
                }),
            )
            .help("write the theme or item into it, or delete the file"),
        );
        return parsed;
    }
    match role {
        Role::Theme => {
            parsed.themes = model::read_themes(text, &docs, id, stem, &mut parsed.findings)
        }
        Role::Item => {
            parsed.items = model::read_items(text, &docs, id, stem, config, &mut parsed.findings)
        }
    }
    parsed
}

/// Parsed files shared between loads (the samples of `history`, both sides of `diff`), so a file
/// whose path, text and status configuration did not change is parsed once. Files with a known
/// [`Identity`] (git blobs) are kept and found by it, without being read; others by their text,
/// where a hit is confirmed by comparing the full text, so a hash collision can only cost a
/// parse, never give a wrong one. A file kept by identity is not found by text, so a load
/// without identities (the working tree) should come first.
#[derive(Default)]
pub struct ParseCache {
    entries: Mutex<HashMap<(String, u64), Vec<CacheEntry>>>,
    by_identity: Mutex<HashMap<IdentityKey, Shared>>,
    parses: std::sync::atomic::AtomicUsize,
}

/// Path, blob id, role and custom-status fingerprint.
type IdentityKey = (String, Identity, Role, u64);

/// A file's text and its parse, shared by every load that meets the file.
type Shared = (Arc<str>, Arc<Parsed>);

struct CacheEntry {
    text: Arc<str>,
    role: Role,
    statuses: u64,
    parsed: Arc<Parsed>,
}

/// Custom statuses are the only part of the config that parsing depends on.
fn statuses_of(config: &Config) -> u64 {
    fingerprint(&config.statuses)
}

fn fingerprint<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

impl ParseCache {
    /// An empty cache.
    pub fn new() -> ParseCache {
        ParseCache::default()
    }

    /// How many files this cache has parsed (misses).
    pub fn parses(&self) -> usize {
        self.parses.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The text and parse of the file at `path` with content `identity`, if already parsed.
    fn known(
        &self,
        path: &str,
        identity: Identity,
        role: Role,
        config: &Config,
        id: FileId,
    ) -> Option<(Arc<str>, Parsed)> {
        let key = (path.to_string(), identity, role, statuses_of(config));
        // Clone the handles under the lock and the parse outside it, so threads do not queue.
        let (text, parsed) = self.by_identity.lock().ok()?.get(&key).cloned()?;
        Some((text, Parsed::clone(&parsed).in_file(id)))
    }

    /// Parses `file`, or takes the earlier parse of the same text; gives the text to keep (the
    /// cached copy on a hit, so equal files share memory) with the parse. A fresh parse is kept
    /// under the file's identity when it has one (nothing needs its text hashed then), else
    /// under its text.
    fn parse(
        &self,
        file: &SourceFile,
        role: Role,
        config: &Config,
        id: FileId,
        identity: Option<Identity>,
    ) -> (Arc<str>, Parsed) {
        let statuses = statuses_of(config);
        let by_text = || (file.path.clone(), fingerprint(&*file.text));
        // Only files without an identity are kept by text: with none kept, skip the hashing.
        let mut key = None;
        let hit = self.entries.lock().ok().and_then(|map| {
            if map.is_empty() {
                return None;
            }
            map.get(key.insert(by_text()))?
                .iter()
                .find(|e| e.role == role && e.statuses == statuses && e.text == file.text)
                .map(|e| (Arc::clone(&e.text), Arc::clone(&e.parsed)))
        });
        if let Some((text, shared)) = hit {
            return (text, Parsed::clone(&shared).in_file(id));
        }
        self.parses
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let parsed = parse_text(file, role, config, id);
        let shared = Arc::new(parsed.clone());
        let text = Arc::clone(&file.text);
        match identity {
            Some(identity) => {
                if let Ok(mut map) = self.by_identity.lock() {
                    map.insert(
                        (file.path.clone(), identity, role, statuses),
                        (text, shared),
                    );
                }
            }
            None => {
                if let Ok(mut map) = self.entries.lock() {
                    map.entry(key.unwrap_or_else(by_text))
                        .or_default()
                        .push(CacheEntry {
                            text,
                            role,
                            statuses,
                            parsed: shared,
                        });
                }
            }
        }
        (Arc::clone(&file.text), parsed)
    }
}

/// The file name without folder and extension.
pub fn stem_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source whose file `gone` is listed but removed before it is read.
    struct Vanishing(MemoryTree, &'static str);

    impl Source for Vanishing {
        fn read(&self, path: &str) -> io::Result<Option<Vec<u8>>> {
            if path == self.1 {
                return Ok(None);
            }
            self.0.read(path)
        }
        fn list(&self, dir: &str) -> Result<Vec<Entry>, Error> {
            self.0.list(dir)
        }
    }

    #[test]
    fn a_file_removed_between_listing_and_reading_is_one_finding() {
        let tree = MemoryTree::new()
            .with(CONFIG_FILE, "")
            .with("backlog/A.yaml", "title: A\nstatus: todo\n")
            .with("backlog/B.yaml", "title: B\nstatus: todo\n");
        let plan = load(&Vanishing(tree, "backlog/B.yaml"), "vanishing").expect("loads");
        assert_eq!(plan.items.len(), 1, "A is still read");
        let found: Vec<_> = plan
            .findings
            .iter()
            .filter(|f| f.rule == Rule::UnreadableFile)
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(
            found,
            ["`backlog/B.yaml` disappeared while the plan was read"]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_snapshot_of_the_work_tree_loads_as_the_work_tree_does() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let put = |path: &str, bytes: &[u8]| {
            let path = root.join(path);
            fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
            fs::write(path, bytes).expect("write");
        };
        put(CONFIG_FILE, b"statuses:\n  review: in-progress\n");
        put("roadmap/t.yaml", b"title: T\nobjective: O\n");
        put("backlog/a/A.yaml", b"title: A\ntheme: t\nstatus: review\n");
        put("backlog/B.yml", b"title: B\ntheme: nope\n");
        put("backlog/bad.yaml", b"title: \xff\n");
        put("backlog/.hidden.yaml", b"title: H\n");
        put("backlog/notes.txt", b"title: N\n");
        fs::create_dir_all(root.join("backlog/folder.yaml")).expect("mkdir");
        let big = fs::File::create(root.join("backlog/big.yaml")).expect("create");
        big.set_len(MAX_FILE_BYTES + 1).expect("sparse");
        let link = |from: PathBuf, to: PathBuf| std::os::unix::fs::symlink(from, to);
        link(
            root.join("backlog/a/A.yaml"),
            root.join("backlog/alias.yaml"),
        )
        .expect("link");
        link(outside.path().to_path_buf(), root.join("backlog/elsewhere")).expect("link");
        link(root.join("backlog"), root.join("backlog/loop")).expect("link");
        let fifo = std::process::Command::new("mkfifo")
            .arg(root.join("backlog/pipe.yaml"))
            .status();
        assert!(
            fifo.is_ok_and(|s| s.success()),
            "mkfifo (coreutils) makes the FIFO this test needs"
        );

        let tree = WorkTree::new(root).expect("a root");
        let copy = snapshot(&tree, "t")
            .expect("reads")
            .expect("held in memory");
        let (direct, copied) = (
            load(&tree, "t").expect("loads"),
            load(&copy, "t").expect("loads"),
        );
        let paths = |p: &Plan| p.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&copied), paths(&direct));
        assert_eq!(copied.config, direct.config);
        assert_eq!(copied.themes, direct.themes);
        assert_eq!(copied.items, direct.items);
        assert_eq!(copied.findings, direct.findings);
        // Equal only means something if every kind of problem was there to be copied.
        let mut problems: Vec<&str> = direct
            .findings
            .iter()
            .filter(|f| matches!(f.rule, Rule::UnreadableFile | Rule::ParseError))
            .filter_map(|f| Some(direct.files.get(f.at?.file.0 as usize)?.path.as_str()))
            .collect();
        problems.sort_unstable();
        let expected = vec![
            "backlog/bad.yaml",
            "backlog/big.yaml",
            "backlog/elsewhere",
            "backlog/folder.yaml",
            "backlog/loop",
            "backlog/pipe.yaml",
        ];
        assert_eq!(problems, expected);
        assert_eq!(direct.items.len(), 3, "A, B and the link to A");
    }

    /// A source listing one file twice.
    struct Twice(MemoryTree);

    impl Source for Twice {
        fn read(&self, path: &str) -> io::Result<Option<Vec<u8>>> {
            self.0.read(path)
        }
        fn list(&self, dir: &str) -> Result<Vec<Entry>, Error> {
            let mut entries = self.0.list(dir)?;
            entries.extend(entries.clone());
            Ok(entries)
        }
    }

    #[test]
    fn a_listing_a_copy_cannot_give_again_is_not_copied() {
        let tree = MemoryTree::new()
            .with(CONFIG_FILE, "")
            .with("backlog/A.yaml", "title: A\nstatus: todo\n");
        assert!(snapshot(&tree, "t").expect("reads").is_some());
        assert!(
            snapshot(&Twice(tree.clone()), "t")
                .expect("reads")
                .is_none()
        );
        let vanishing = Vanishing(tree, "backlog/A.yaml");
        assert!(snapshot(&vanishing, "t").expect("reads").is_none());
    }

    #[test]
    fn the_cache_parses_only_what_changed_and_gives_what_a_fresh_load_gives() {
        let theme = "title: T\nobjective: O\nstatus: active\nhorizon: 2025-Q3\n";
        let before = MemoryTree::new()
            .with(CONFIG_FILE, "statuses:\n  review: in-progress\n")
            .with("roadmap/t.yaml", theme)
            .with("backlog/A.yaml", "title: A\nstatus: review\ntheme: t\n")
            .with(
                "backlog/B.yaml",
                "title: B\nstatus: todo\ntheme: nope\nowner: x\n",
            );
        let after = before
            .clone()
            .with("backlog/A.yaml", "title: A\nstatus: done\ntheme: t\n")
            .with("backlog/C.yaml", "title: C\nstatus: todo\n");
        let cache = ParseCache::new();
        load_with(&before, "before", Some(&cache)).expect("loads");
        assert_eq!(cache.parses(), 3);
        let cached = load_with(&after, "after", Some(&cache)).expect("loads");
        assert_eq!(
            cache.parses(),
            5,
            "only A (changed) and C (new) are parsed again"
        );
        let fresh = load(&after, "after").expect("loads");
        assert_eq!(cached.themes, fresh.themes);
        assert_eq!(cached.items, fresh.items);
        assert_eq!(
            cached.findings, fresh.findings,
            "findings point at the new file ids"
        );
        // Parsing depends on custom statuses: a different map is a different entry.
        let other = before.clone().with(CONFIG_FILE, "");
        let plan = load_with(&other, "other", Some(&cache)).expect("loads");
        assert_eq!(
            cache.parses(),
            8,
            "all three files again, under the other status map"
        );
        assert!(
            plan.findings
                .iter()
                .any(|f| f.message.contains("`review` is not a known status"))
        );
    }

    /// A source that counts reads, over a tree whose files carry identities.
    struct Counted(MemoryTree, std::sync::atomic::AtomicUsize);

    impl Source for Counted {
        fn read(&self, path: &str) -> io::Result<Option<Vec<u8>>> {
            self.1.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.0.read(path)
        }
        fn list(&self, dir: &str) -> Result<Vec<Entry>, Error> {
            self.0.list(dir)
        }
        fn identity(&self, path: &str) -> Option<Identity> {
            self.0.identity(path)
        }
    }

    #[test]
    fn files_with_a_known_identity_are_neither_read_nor_parsed_twice() {
        let mut tree = MemoryTree::new().with(CONFIG_FILE, "");
        tree.insert_blob("roadmap/t.yaml", b"title: T\nobjective: O\n", Some([1; 20]));
        tree.insert_blob("backlog/A.yaml", b"title: A\ntheme: t\n", Some([2; 20]));
        // The same content under another name is another parse: the id comes from the name.
        tree.insert_blob("backlog/B.yaml", b"title: A\ntheme: t\n", Some([2; 20]));
        let cache = ParseCache::new();
        let first = Counted(tree.clone(), 0.into());
        load_with(&first, "first", Some(&cache)).expect("loads");
        assert_eq!((cache.parses(), first.1.into_inner()), (3, 4));

        tree.insert_blob("backlog/A.yaml", b"title: A\ntheme: nope\n", Some([3; 20]));
        let second = Counted(tree.clone(), 0.into());
        let cached = load_with(&second, "second", Some(&cache)).expect("loads");
        assert_eq!(
            (cache.parses(), second.1.into_inner()),
            (4, 2),
            "only the config and the changed A are read; only A is parsed"
        );
        let fresh = load(&tree, "second").expect("loads");
        assert_eq!(cached.themes, fresh.themes);
        assert_eq!(cached.items, fresh.items);
        assert_eq!(cached.findings, fresh.findings);
        let texts = |p: &Plan| {
            p.files
                .iter()
                .map(|f| f.text.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(&cached), texts(&fresh), "the text kept is the file's");
    }

    #[test]
    fn a_reload_gives_what_a_fresh_load_gives() {
        let before = MemoryTree::new()
            .with(CONFIG_FILE, "")
            .with("roadmap/t.yaml", "title: T\nobjective: O\n")
            .with("backlog/A.yaml", "title: A\ntheme: t\nstatus: todo\n")
            .with("backlog/B.yaml", "title: B\ntheme: nope\n")
            .with("backlog/C.yaml", "title: C\ntheme: t\nstatus: done\n");
        let edits: Vec<(&str, Option<&str>)> = vec![
            ("backlog/A.yaml", Some("title: A\ntheme: t\nstatus: done\n")),
            // Removing B and adding A2 shift the other files' ids both ways.
            ("backlog/B.yaml", None),
            ("backlog/A2.yaml", Some("title: A2\ntheme: t\nowner: x\n")),
            ("roadmap/u.yaml", Some("title: U\n")),
            (CONFIG_FILE, Some("statuses:\n  review: in-progress\n")),
            ("backlog/C.yaml", Some("title: C\nstatus: review\n")),
        ];
        let cache = ParseCache::new();
        let mut tree = before;
        let mut plan = load_with(&tree, "t", Some(&cache)).expect("loads");
        for (path, text) in edits {
            match text {
                Some(text) => tree.insert(path, text.as_bytes().to_vec()),
                None => tree.remove(path),
            }
            let changed = HashSet::from([path.to_string()]);
            plan = reload(&tree, "t", &cache, plan, &changed).expect("reloads");
            let fresh = load(&tree, "t").expect("loads");
            let paths = |p: &Plan| p.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
            assert_eq!(paths(&plan), paths(&fresh), "after {path}");
            assert_eq!(plan.config, fresh.config, "after {path}");
            assert_eq!(plan.themes, fresh.themes, "after {path}");
            assert_eq!(plan.items, fresh.items, "after {path}");
            assert_eq!(plan.findings, fresh.findings, "after {path}");
        }
        assert!(
            plan.findings.iter().any(|f| f.message.contains("owner")),
            "the added file's finding is there"
        );
    }

    #[test]
    fn stems() {
        assert_eq!(stem_of("backlog/a/BL-1.yaml"), "BL-1");
        assert_eq!(stem_of("roadmap/x.y.yml"), "x.y");
    }

    #[test]
    fn decode_names_the_line_of_a_bad_byte() {
        let err = decode(b"a: 1\nb: \xff\n".to_vec()).expect_err("bad");
        assert!(err.contains("line 2"), "{err}");
        assert!(decode(b"\x00\x01".to_vec()).is_err());
        assert_eq!(
            decode("\u{feff}a: 1".as_bytes().to_vec()).as_deref(),
            Ok("\u{feff}a: 1")
        );
    }
}
