//! Where plan files come from: the [`Source`] trait of `(path, bytes)`, the work tree on disk,
//! and a plan held in memory (a git tree, a snapshot, tests and fuzzing).

use std::cell::RefCell;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::Error;

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

/// Where plan files come from: the work tree, or a git tree read into a [`MemoryTree`].
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
    /// How `path` lists under `dir` now, where the source can tell without listing: `Some(None)`
    /// when a listing of `dir` would leave it out. How a reload skips listing the whole plan.
    fn entry(&self, _dir: &str, _path: &str) -> Option<Option<Entry>> {
        None
    }
    /// What the file system says of the file now, when the source is a file system: how a
    /// [`crate::load::Store`] tells an unchanged file without reading it.
    fn stamp(&self, _path: &str) -> Option<Stamp> {
        None
    }
}

/// A file's metadata as git's index keeps it (size, modification and change times, inode,
/// device): while none of it moves, the file was not written. The change time moves on every
/// write and rename, even when a tool puts the modification time back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time: seconds since the epoch and nanoseconds.
    pub modified: (i64, u32),
    /// Status change time, the same way (the modification time where there is none).
    pub changed: (i64, u32),
    /// Inode number (0 where there is none).
    pub inode: u64,
    /// Device number (0 where there is none).
    pub device: u64,
}

impl Stamp {
    /// The stamp of a file's metadata.
    #[cfg(unix)]
    pub fn of(meta: &fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        let nanos = |n: i64| u32::try_from(n).unwrap_or(0);
        Stamp {
            size: meta.len(),
            modified: (meta.mtime(), nanos(meta.mtime_nsec())),
            changed: (meta.ctime(), nanos(meta.ctime_nsec())),
            inode: meta.ino(),
            device: meta.dev(),
        }
    }

    /// The stamp of a file's metadata.
    #[cfg(not(unix))]
    pub fn of(meta: &fs::Metadata) -> Stamp {
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or((0, 0), |d| {
                (
                    i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                    d.subsec_nanos(),
                )
            });
        Stamp {
            size: meta.len(),
            modified,
            changed: modified,
            inode: 0,
            device: 0,
        }
    }

    /// Whether the file was last written before the second `second` began: a file written in
    /// that second or later can be written again within it with no visible change to its
    /// metadata (git's "racily clean" case), so only an earlier stamp can be trusted alone.
    pub fn before(&self, second: i64) -> bool {
        self.modified.0 < second && self.changed.0 < second
    }
}

/// A content identity: the 20 bytes of a git blob id.
pub type Identity = [u8; 20];

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

    /// The folder read.
    pub(super) fn root(&self) -> &Path {
        &self.root
    }
}

/// Whether a file name is a plan file (`.yaml` or `.yml`, any case).
pub fn is_plan_file(name: &str) -> bool {
    // Compared in place: a lowercased copy per name was an allocation per file per listing.
    let ends_with = |ext: &str| {
        name.len()
            .checked_sub(ext.len())
            .and_then(|at| name.as_bytes().get(at..))
            .is_some_and(|tail| tail.eq_ignore_ascii_case(ext.as_bytes()))
    };
    ends_with(".yaml") || ends_with(".yml")
}

/// Whether a file or folder name is hidden: hidden entries are never plan files, nor are the
/// files below a hidden folder (`.git`, editors' swap files, roadlog's own temporary files).
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.') && name != "." && name != ".."
}

/// Whether a `/`-separated relative path has a hidden part, so a listing leaves it out.
pub fn has_hidden_part(rel: &str) -> bool {
    // Only a part starting with `.` can hide a file: most paths have none, and are not split.
    (rel.starts_with('.') || rel.contains("/.")) && rel.split('/').any(is_hidden)
}

/// Whether `path` lies below the folder `dir` (both relative to the plan root, `/`-separated).
pub fn is_inside(dir: &str, path: &str) -> bool {
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether one folder is the other or lies inside it.
pub(crate) fn overlaps(a: &str, b: &str) -> bool {
    a == b || is_inside(a, b) || is_inside(b, a)
}

/// A relative path with `/` between its parts, whatever the platform writes.
pub fn to_slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

impl Source for WorkTree {
    fn stamp(&self, path: &str) -> Option<Stamp> {
        fs::metadata(self.root.join(path))
            .ok()
            .map(|m| Stamp::of(&m))
    }

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
        let rel = |p: &Path| to_slash(p.strip_prefix(&self.root).unwrap_or(p));
        let walker = walkdir::WalkDir::new(&base)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                if e.depth() > 0 && e.file_name().to_str().is_some_and(is_hidden) {
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
            return Err(Error::nested_repository(&path));
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
    pub(crate) fn insert_shared(
        &mut self,
        path: &str,
        bytes: Arc<[u8]>,
        identity: Option<Identity>,
    ) {
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
    pub(crate) fn insert_error(&mut self, path: &str, error: &io::Error) {
        let failed = Stored::Failed(error.kind(), error.to_string());
        self.files.insert(path.to_string(), failed);
    }

    /// Keeps only the paths for which `keep` says yes.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.files.retain(|path, _| keep(path));
    }

    /// Whether `path` is held, readable or not.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
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
        // The folder's paths are one run of the sorted map, from the prefix on.
        Ok(self
            .files
            .range::<str, _>((
                std::ops::Bound::Included(prefix.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .take_while(|(p, _)| p.starts_with(&prefix))
            .filter_map(|(p, stored)| listed(&prefix, p, stored))
            .collect())
    }

    fn entry(&self, dir: &str, path: &str) -> Option<Option<Entry>> {
        let prefix = format!("{dir}/");
        let listing = path
            .starts_with(&prefix)
            .then(|| self.files.get(path))
            .flatten();
        Some(listing.and_then(|stored| listed(&prefix, path, stored)))
    }

    fn identity(&self, path: &str) -> Option<Identity> {
        match self.files.get(path) {
            Some(Stored::Bytes(_, identity)) => *identity,
            _ => None,
        }
    }
}

/// How a stored file lists under the folder `prefix` (with its `/`): not at all when hidden or
/// not a plan file, with its problem when it has one.
fn listed(prefix: &str, path: &str, stored: &Stored) -> Option<Entry> {
    if has_hidden_part(path.strip_prefix(prefix).unwrap_or(path)) {
        return None;
    }
    // A problem is listed whatever its name: a link out of the root, a link loop.
    let problem = match stored {
        Stored::Problem(why) => Some(why.clone()),
        _ if is_plan_file(path.rsplit('/').next().unwrap_or(path)) => None,
        _ => return None,
    };
    Some(Entry {
        path: path.to_string(),
        problem,
    })
}

pub(super) fn too_large(len: u64) -> io::Error {
    #[allow(clippy::cast_precision_loss)]
    let mib = len as f64 / (1024.0 * 1024.0);
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("is {mib:.1} MiB; plan files over 4 MiB are not parsed"),
    )
}
