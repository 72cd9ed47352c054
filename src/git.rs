//! Reading plans from git objects: the only module that imports git2.
//!
//! A revision's plan is read straight from the object database (no checkout, no `git` process)
//! into a [`MemoryTree`], which the ordinary loader then parses in parallel. `git2::Repository`
//! is not `Sync`, so blobs are read here, up front; parsing, the expensive part, stays parallel.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::Error;
use crate::load::{
    CONFIG_FILE, Change, Kept, MAX_FILE_BYTES, MemoryTree, is_hidden, is_plan_file, to_slash,
};
use crate::model::PlanCommit;
use crate::time::Date;

/// An open repository.
pub struct Repo {
    repo: git2::Repository,
}

/// The help for errors that mean objects are broken or missing.
const DAMAGED: &str =
    "the repository looks damaged; `git fsck` lists the broken or missing objects";

fn git_error(context: &str, e: &git2::Error) -> Error {
    let damaged = matches!(
        e.class(),
        git2::ErrorClass::Odb | git2::ErrorClass::Zlib | git2::ErrorClass::Object
    );
    Error::git(format!("{context}: {}", e.message())).maybe_help(damaged.then(|| DAMAGED.into()))
}

/// Sets libgit2's process-wide options once, from the binary: the library never flips global
/// state behind a caller's back.
pub fn configure_process() {
    // Like git, which re-hashes objects only in `git fsck`; libgit2 re-hashes every object it
    // reads, a tenth of a large diff. Damage still shows: zlib checks each object.
    git2::opts::strict_hash_verification(false);
}

impl Repo {
    /// Opens the repository holding `start` (searching upwards, as git does). `need` says what
    /// the command wants git for, to word the error when there is no repository.
    pub fn discover(start: &Path, need: &str) -> Result<Repo, Error> {
        // Like git, stop searching at GIT_CEILING_DIRECTORIES.
        let ceilings: Vec<PathBuf> = std::env::var_os("GIT_CEILING_DIRECTORIES")
            .map(|v| {
                std::env::split_paths(&v)
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default();
        git2::Repository::open_ext(start, git2::RepositoryOpenFlags::empty(), &ceilings)
            .map(|repo| Repo { repo })
            .map_err(|e| open_error(start, need, &e))
    }

    /// The work tree's root, or `None` for a bare repository.
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// Whether this is a shallow clone (history cut off).
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    fn tree(&self, rev: &str) -> Result<git2::Tree<'_>, Error> {
        let object = self.repo.revparse_single(rev).map_err(|e| {
            let dangling = self
                .repo
                .resolve_reference_from_short_name(rev)
                .ok()
                .and_then(|r| r.target());
            if let Some(id) = dangling {
                Error::git(format!(
                    "revision `{rev}` points at object {id}, which is missing from the repository"
                ))
                .with_help(DAMAGED)
            } else if !self.has_commits() {
                Error::git(format!(
                    "the repository has no commits yet, so `{rev}` names nothing"
                ))
                .with_help("commit the plan first (`git add` and `git commit`)")
            } else if e.code() == git2::ErrorCode::NotFound
                || e.class() == git2::ErrorClass::Reference
            {
                Error::git(format!("revision `{rev}` does not exist in this repository"))
                    .with_help("check the name with `git rev-parse`; a branch of a remote is `origin/NAME`, and a CI checkout needs `fetch-depth: 0` to have it")
            } else {
                git_error(&format!("cannot resolve `{rev}`"), &e)
            }
        })?;
        object
            .peel_to_tree()
            .map_err(|e| git_error(&format!("`{rev}` does not name a commit or tree"), &e))
    }

    /// Whether `path` (relative to the repository root) is a file at `rev`.
    pub fn has_file(&self, rev: &str, path: &str) -> Result<bool, Error> {
        let tree = self.tree(rev)?;
        Ok(tree
            .get_path(Path::new(path))
            .is_ok_and(|e| e.kind() == Some(git2::ObjectType::Blob)))
    }

    /// Whether `plan_dir` holds a `roadlog.yaml` at `rev`.
    pub fn has_plan(&self, rev: &str, plan_dir: &str) -> Result<bool, Error> {
        match plan_dir {
            "" => self.has_file(rev, CONFIG_FILE),
            dir => self.has_file(rev, &format!("{dir}/{CONFIG_FILE}")),
        }
    }

    /// The plan under `plan_dir` (relative to the repository root, `""` for the root) as
    /// committed at `rev`: every `.yaml`/`.yml` blob below it, paths relative to `plan_dir`.
    pub fn plan_at(&self, rev: &str, plan_dir: &str) -> Result<MemoryTree, Error> {
        let mut plan = MemoryTree::new();
        self.update_plan(&mut plan, None, rev, plan_dir)
            .map(|_| plan)
    }

    /// Brings `plan`, which holds the plan as committed at `from` (empty for `None`), to the plan
    /// at `to`, reading only the blobs that differ: the two plan folders' trees are compared
    /// first. Gives the paths that differ, relative to the plan folder.
    pub fn update_plan(
        &self,
        plan: &mut MemoryTree,
        from: Option<&str>,
        to: &str,
        plan_dir: &str,
    ) -> Result<HashSet<String>, Error> {
        let new = self.plan_tree(to, plan_dir)?;
        let old = from.map(|rev| self.plan_tree(rev, plan_dir)).transpose()?;
        let deltas = self
            .compare(old.as_ref(), &new, None)
            .map_err(|e| git_error(&format!("cannot read the plan at `{to}`"), &e))?;
        let mut changed = HashSet::new();
        for delta in deltas {
            plan.remove(&delta.path);
            if let Some(entry) = delta.new {
                self.put(plan, &delta.path, entry, to)?;
            }
            changed.insert(delta.path);
        }
        Ok(changed)
    }

    /// Adds the file at `path` with tree entry `entry` to `plan`, as the loader should see it:
    /// a link or an oversized file as a problem, a submodule as an error, other files skipped.
    fn put(
        &self,
        plan: &mut MemoryTree,
        path: &str,
        (id, mode): (git2::Oid, i32),
        rev: &str,
    ) -> Result<(), Error> {
        match reading(path, mode)? {
            Reading::Skip => return Ok(()),
            Reading::Link => {
                plan.insert_problem(
                    path,
                    format!("`{path}` is a symbolic link; links are not followed in a git tree"),
                );
                return Ok(());
            }
            Reading::File => {}
        }
        match read_blob(&self.repo, id) {
            Ok(Blob::TooLarge(size)) => plan.insert_too_large(path, size),
            Ok(Blob::Read(blob)) => {
                plan.insert_blob(path, blob.content(), id.as_bytes().try_into().ok())
            }
            Err(e) => return Err(git_error(&format!("cannot read `{path}` at `{rev}`"), &e)),
        }
        Ok(())
    }

    /// The files that differ between two trees (`None`: an empty one), descending only into
    /// subtrees whose ids differ. Hidden files and folders, and names that are not UTF-8, are
    /// left out, as the loader leaves them. With `same`, every file present and identical on
    /// both sides is listed there too.
    fn compare(
        &self,
        old: Option<&git2::Tree<'_>>,
        new: &git2::Tree<'_>,
        mut same: Option<&mut Vec<(String, Entry)>>,
    ) -> Result<Vec<Delta>, git2::Error> {
        let mut deltas = Vec::new();
        let mut work = vec![(old.map(git2::Tree::id), Some(new.id()), String::new())];
        while let Some((old, new, dir)) = work.pop() {
            let old = old.map(|id| self.repo.find_tree(id)).transpose()?;
            let new = new.map(|id| self.repo.find_tree(id)).transpose()?;
            let entries = |tree: &Option<git2::Tree<'_>>| -> HashMap<String, Entry> {
                tree.iter()
                    .flat_map(git2::Tree::iter)
                    .filter_map(|e| Some((e.name().ok()?.to_string(), (e.id(), e.filemode()))))
                    .filter(|(name, _)| !is_hidden(name))
                    .collect()
            };
            let (before, after) = (entries(&old), entries(&new));
            for (name, &b) in &before {
                if !after.contains_key(name) {
                    side(
                        &mut deltas,
                        &mut work,
                        format!("{dir}{name}"),
                        Some(b),
                        None,
                    );
                }
            }
            for (name, &a) in &after {
                let path = format!("{dir}{name}");
                match before.get(name) {
                    Some(&b) if b == a => {
                        if let Some(same) = same.as_deref_mut() {
                            if is_tree(a.1) {
                                self.list(a.0, &format!("{path}/"), same)?;
                            } else {
                                same.push((path, a));
                            }
                        }
                    }
                    Some(&b) if is_tree(a.1) && is_tree(b.1) => {
                        work.push((Some(b.0), Some(a.0), format!("{path}/")));
                    }
                    b => side(&mut deltas, &mut work, path, b.copied(), Some(a)),
                }
            }
        }
        deltas.sort_by(|x, y| x.path.cmp(&y.path));
        Ok(deltas)
    }

    /// Every file under the tree `id`, except hidden ones, each path behind `prefix` (the
    /// tree's own path and a `/`, or nothing).
    fn list(
        &self,
        id: git2::Oid,
        prefix: &str,
        out: &mut Vec<(String, Entry)>,
    ) -> Result<(), git2::Error> {
        let tree = self.repo.find_tree(id)?;
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            let Ok(name) = entry.name() else {
                return git2::TreeWalkResult::Skip;
            };
            if is_hidden(name) {
                return git2::TreeWalkResult::Skip;
            }
            if !is_tree(entry.filemode()) {
                out.push((
                    format!("{prefix}{dir}{name}"),
                    (entry.id(), entry.filemode()),
                ));
            }
            git2::TreeWalkResult::Ok
        })
    }

    /// The change to the plan folder from `base` to `head`: the files that differ as on each
    /// side, and every other plan file. Those are most of the plan, so they are read in
    /// parallel, with a repository handle per thread.
    pub fn change(&self, base: &str, head: &str, plan_dir: &str) -> Result<Change, Error> {
        let (old, new) = (
            self.plan_tree(base, plan_dir)?,
            self.plan_tree(head, plan_dir)?,
        );
        let mut same = Vec::new();
        let deltas = self
            .compare(Some(&old), &new, Some(&mut same))
            .map_err(|e| git_error(&format!("cannot read the plan at `{head}`"), &e))?;
        let mut change = Change::default();
        for delta in deltas {
            if let Some(entry) = delta.old {
                self.put(&mut change.base, &delta.path, entry, base)?;
            }
            if let Some(entry) = delta.new {
                self.put(&mut change.head, &delta.path, entry, head)?;
            }
            change.changed.insert(delta.path);
        }
        let mut listed = Vec::with_capacity(same.len());
        for (path, (id, mode)) in same {
            // A link reads as the same problem on both sides: nothing to compare.
            if let Reading::File = reading(&path, mode)? {
                listed.push((path, id));
            }
        }
        // One chunk per thread: opening a repository costs more than reading many blobs.
        let git_dir = self.repo.path();
        let chunk = listed.len().div_ceil(rayon::current_num_threads()).max(1);
        let kept: Vec<Vec<Kept>> = listed
            .par_chunks(chunk)
            .map(|files| {
                let repo = git2::Repository::open(git_dir)
                    .map_err(|e| git_error("cannot open the repository", &e))?;
                let mut kept = Vec::with_capacity(files.len());
                for (path, id) in files {
                    match read_blob(&repo, *id) {
                        // Unreadable on both sides alike, so it adds nothing to the diff.
                        Ok(Blob::TooLarge(_)) => {}
                        Ok(Blob::Read(blob)) => kept.push(Kept {
                            path: path.clone(),
                            bytes: Arc::from(blob.content()),
                            identity: id.as_bytes().try_into().ok(),
                        }),
                        Err(e) => {
                            return Err(git_error(
                                &format!("cannot read `{path}` at `{head}`"),
                                &e,
                            ));
                        }
                    }
                }
                Ok(kept)
            })
            .collect::<Result<_, Error>>()?;
        change.kept = kept.into_iter().flatten().collect();
        Ok(change)
    }

    /// The change to the plan folder from `base` to `head`, the plan files as read from the
    /// working tree (see [`crate::load::snapshot`]). A file is unchanged when its bytes hash to
    /// the blob id at `base`, so no status is asked and unchanged files are not read from git.
    pub fn change_to(&self, base: &str, plan_dir: &str, head: MemoryTree) -> Result<Change, Error> {
        let old = self.plan_tree(base, plan_dir)?;
        let mut listed = Vec::new();
        self.list(old.id(), "", &mut listed)
            .map_err(|e| git_error(&format!("cannot read the plan at `{base}`"), &e))?;
        let mut at_base = HashMap::with_capacity(listed.len());
        for (path, (id, mode)) in listed {
            let identity = match reading(&path, mode)? {
                Reading::Skip => continue,
                // A link's blob holds its target's name, never what the working tree reads.
                Reading::Link => None,
                Reading::File => id.as_bytes().try_into().ok(),
            };
            at_base.insert(path, (identity, (id, mode)));
        }
        let (mut change, from_base) = Change::to_files(at_base, head, |bytes| {
            let id = git2::Oid::hash_object(git2::ObjectType::Blob, bytes).ok()?;
            id.as_bytes().try_into().ok()
        });
        for (path, entry) in from_base {
            self.put(&mut change.base, &path, entry, base)?;
        }
        Ok(change)
    }

    /// Whether the plan folder is the same tree at `a` and `b` (false when either lacks it).
    pub fn same_plan(&self, a: &str, b: &str, plan_dir: &str) -> bool {
        match (self.plan_tree(a, plan_dir), self.plan_tree(b, plan_dir)) {
            (Ok(x), Ok(y)) => x.id() == y.id(),
            _ => false,
        }
    }

    /// Whether the working tree and index hold exactly `HEAD`'s plan folder: nothing modified,
    /// staged, untracked or ignored under it.
    pub fn plan_is_clean(&self, plan_dir: &str) -> Result<bool, Error> {
        Ok(self.plan_status(plan_dir, true)?.is_empty())
    }

    /// Status entries under `plan_dir`: modified, staged and untracked files, and with `ignored`
    /// ignored ones too.
    fn plan_status(&self, plan_dir: &str, ignored: bool) -> Result<git2::Statuses<'_>, Error> {
        let mut options = git2::StatusOptions::new();
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(ignored);
        if !plan_dir.is_empty() {
            options.pathspec(plan_dir);
        }
        self.repo
            .statuses(Some(&mut options))
            .map_err(|e| git_error("cannot read the working tree's status", &e))
    }

    /// The tree of the plan folder at `rev`.
    fn plan_tree(&self, rev: &str, plan_dir: &str) -> Result<git2::Tree<'_>, Error> {
        let root = self.tree(rev)?;
        if plan_dir.is_empty() {
            return Ok(root);
        }
        let entry = root
            .get_path(Path::new(plan_dir))
            .map_err(|_| Error::git(format!("`{plan_dir}` does not exist at `{rev}`")))?;
        entry
            .to_object(&self.repo)
            .and_then(|o| o.peel_to_tree())
            .map_err(|_| Error::git(format!("`{plan_dir}` is not a folder at `{rev}`")))
    }
}

impl Repo {
    /// Whether the repository has a commit at HEAD (a new repository has none).
    pub fn has_commits(&self) -> bool {
        self.repo.head().is_ok_and(|h| h.peel_to_commit().is_ok())
    }

    /// When plan files last changed, from one walk of the first-parent history of `rev`: every
    /// path under `plan_dir` (relative to it) changed by a commit at or after `since`, and for
    /// each path of `watched` that no such commit changed, the day of the last commit that did.
    /// The walk stops once every watched path is dated.
    pub fn file_ages(
        &self,
        rev: &str,
        plan_dir: &str,
        since: Date,
        watched: &HashSet<String>,
    ) -> Result<FileAges, Error> {
        let mut commit = self
            .repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| git_error(&format!("cannot read the history of `{rev}`"), &e))?;
        let prefix = if plan_dir.is_empty() {
            String::new()
        } else {
            format!("{plan_dir}/")
        };
        let mut ages = FileAges::default();
        let mut undated: Option<usize> = None;
        loop {
            let day = commit_date(&commit);
            let recent = day >= since;
            if !recent && undated.is_none() {
                let left = watched.iter().filter(|p| !ages.recent.contains(*p)).count();
                undated = Some(left);
            }
            if undated == Some(0) {
                break;
            }
            let tree = commit
                .tree()
                .map_err(|e| git_error("cannot read a commit's tree", &e))?;
            let parent = commit.parent(0).ok();
            let parent_tree = parent
                .as_ref()
                .map(git2::Commit::tree)
                .transpose()
                .map_err(|e| git_error("cannot read a commit's tree", &e))?;
            let mut options = git2::DiffOptions::new();
            if !plan_dir.is_empty() {
                options.pathspec(plan_dir);
            }
            let diff = self
                .repo
                .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut options))
                .map_err(|e| git_error("cannot compare commits", &e))?;
            for delta in diff.deltas() {
                let Some(rel) = delta
                    .new_file()
                    .path()
                    .and_then(Path::to_str)
                    .and_then(|p| p.strip_prefix(&prefix))
                else {
                    continue;
                };
                if recent {
                    ages.recent.insert(rel.to_string());
                } else if watched.contains(rel)
                    && !ages.recent.contains(rel)
                    && let std::collections::hash_map::Entry::Vacant(slot) =
                        ages.last_changed.entry(rel.to_string())
                {
                    slot.insert(day);
                    undated = undated.map(|n| n.saturating_sub(1));
                }
            }
            match parent {
                Some(p) => commit = p,
                None => break,
            }
        }
        Ok(ages)
    }

    /// Paths under `plan_dir` (relative to it) modified or new in the working tree.
    pub fn dirty_paths(&self, plan_dir: &str) -> Result<HashSet<String>, Error> {
        let statuses = self.plan_status(plan_dir, false)?;
        let prefix = if plan_dir.is_empty() {
            String::new()
        } else {
            format!("{plan_dir}/")
        };
        Ok(statuses
            .iter()
            .filter_map(|entry| {
                entry
                    .path()
                    .ok()
                    .and_then(|p| p.strip_prefix(&prefix))
                    .map(str::to_string)
            })
            .collect())
    }
}

/// When plan files last changed, as [`Repo::file_ages`] found it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileAges {
    /// Paths changed by a commit within the window.
    pub recent: HashSet<String>,
    /// The day each watched path outside the window last changed.
    pub last_changed: HashMap<String, Date>,
}

/// The day of a commit as `git log` shows it: in the time zone it was made in, not UTC.
fn commit_date(commit: &git2::Commit<'_>) -> Date {
    let time = commit.time();
    let local = time.seconds() + i64::from(time.offset_minutes()) * 60;
    Date::from_days_since_epoch(local.div_euclid(86_400))
}

impl Repo {
    /// The commits on the first-parent history of `rev` that changed anything under `plan_dir`,
    /// newest first, stopping before `since`. A commit changes the plan when the plan folder's
    /// tree id differs from its parent's, so no blob is read here.
    pub fn plan_commits(
        &self,
        rev: &str,
        plan_dir: &str,
        since: Option<Date>,
    ) -> Result<Vec<PlanCommit>, Error> {
        let mut commit = self
            .repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| git_error(&format!("cannot read the history of `{rev}`"), &e))?;
        let folder = |c: &git2::Commit<'_>| -> Option<git2::Oid> {
            let tree = c.tree().ok()?;
            if plan_dir.is_empty() {
                Some(tree.id())
            } else {
                tree.get_path(Path::new(plan_dir)).ok().map(|e| e.id())
            }
        };
        let mut out = Vec::new();
        loop {
            let date = commit_date(&commit);
            if since.is_some_and(|s| date < s) {
                break;
            }
            let parent = commit.parent(0).ok();
            let here = folder(&commit);
            if here.is_some() && here != parent.as_ref().and_then(folder) {
                out.push(PlanCommit {
                    id: commit.id().to_string(),
                    date,
                });
            }
            match parent {
                Some(p) => commit = p,
                None => break,
            }
        }
        Ok(out)
    }
}

/// Where the plan lives in a repository, for `--rev`: the plan folder relative to the repository
/// root, found from `--plan` or by looking upwards from `start` for a `roadlog.yaml` at `rev`.
pub fn plan_dir_at(
    repo: &Repo,
    rev: &str,
    start: &Path,
    explicit: Option<&Path>,
) -> Result<String, Error> {
    let checked = |dir: String| -> Result<String, Error> {
        if repo.has_plan(rev, &dir)? {
            return Ok(dir);
        }
        let shown = if dir.is_empty() {
            "the repository root".to_string()
        } else {
            format!("`{dir}`")
        };
        Err(Error::git(format!("no roadlog.yaml in {shown} at `{rev}`"))
            .with_help("name the plan folder with --plan DIR (a path inside the repository)"))
    };
    let Some(workdir) = repo.workdir() else {
        // A bare repository: --plan names a folder inside the tree.
        return checked(
            explicit.map_or_else(String::new, |p| to_slash(p).trim_matches('/').to_string()),
        );
    };
    let workdir = canonical(workdir);
    let from = canonical(explicit.unwrap_or(start));
    let rel = from.strip_prefix(&workdir).map_err(|_| {
        Error::git(format!(
            "{} is outside the repository's work tree {}",
            from.display(),
            workdir.display()
        ))
    })?;
    let rel = to_slash(rel);
    if explicit.is_some() {
        return checked(rel);
    }
    let mut dir = rel.as_str();
    loop {
        if repo.has_plan(rev, dir)? {
            return Ok(dir.to_string());
        }
        if dir.is_empty() {
            return Err(Error::git(format!(
                "no roadlog.yaml at `{rev}` in {} or any parent folder",
                from.display()
            )));
        }
        dir = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
}

/// The plan root's path from the root of its git work tree, `""` when it is the root or not in a
/// repository: GitHub anchors annotations there.
pub fn work_tree_prefix(plan_root: &Path) -> String {
    let Ok(repo) = Repo::discover(plan_root, "") else {
        return String::new();
    };
    let Some(workdir) = repo.workdir() else {
        return String::new();
    };
    canonical(plan_root)
        .strip_prefix(canonical(workdir))
        .map(to_slash)
        .unwrap_or_default()
}

/// Why a repository could not be opened, in git's own words, with the fix.
fn open_error(start: &Path, need: &str, e: &git2::Error) -> Error {
    let at = start.display();
    match e.code() {
        git2::ErrorCode::NotFound => Error::git(format!("{at} is not inside a git repository; {need}"))
            .with_help("run roadlog inside a clone of the plan's repository, or point --plan at a plan inside one"),
        git2::ErrorCode::Owner => Error::git(format!(
            "git refuses to open the repository holding {at}: it is owned by another user ({})",
            e.message()
        ))
        .with_help(format!(
            "if you trust it, mark it safe: `git config --global --add safe.directory {}`",
            canonical(start).display()
        )),
        _ => Error::git(format!("cannot open the git repository holding {at}: {}", e.message()))
            .with_help(
                "check that you can read its `.git` folder; if it is damaged, `git fsck` says what is broken",
            ),
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// A blob as far as roadlog reads it.
enum Blob<'r> {
    /// Over [`MAX_FILE_BYTES`]: only its size, from the object's header.
    TooLarge(u64),
    /// Read whole.
    Read(git2::Blob<'r>),
}

/// Reads a blob, unless its header says it is too large to parse: a few kilobytes of
/// compressed zeros can inflate to gigabytes, so the size is asked before the content.
fn read_blob(repo: &git2::Repository, id: git2::Oid) -> Result<Blob<'_>, git2::Error> {
    let (size, _) = repo.odb()?.read_header(id)?;
    if size as u64 > MAX_FILE_BYTES {
        return Ok(Blob::TooLarge(size as u64));
    }
    repo.find_blob(id).map(Blob::Read)
}

/// A tree entry: object id and file mode.
type Entry = (git2::Oid, i32);

fn is_tree(mode: i32) -> bool {
    mode == i32::from(git2::FileMode::Tree)
}

/// How the loader reads a file of a git tree.
enum Reading {
    /// Not a plan file.
    Skip,
    /// A symbolic link: reported, not followed.
    Link,
    /// A plan file, read from its blob.
    File,
}

/// How the loader reads the entry at `path` with file `mode`; a submodule is an error.
fn reading(path: &str, mode: i32) -> Result<Reading, Error> {
    if mode == i32::from(git2::FileMode::Commit) {
        return Err(Error::nested_repository(path));
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    Ok(if !is_plan_file(name) && path != CONFIG_FILE {
        Reading::Skip
    } else if mode == i32::from(git2::FileMode::Link) {
        Reading::Link
    } else {
        Reading::File
    })
}

/// A file that differs between two trees: its entry on each side (`None` where absent).
struct Delta {
    path: String,
    old: Option<Entry>,
    new: Option<Entry>,
}

/// Records that `path` differs: a file becomes a delta, a folder is compared further against
/// nothing, so each of its files becomes one.
fn side(
    deltas: &mut Vec<Delta>,
    work: &mut Vec<(Option<git2::Oid>, Option<git2::Oid>, String)>,
    path: String,
    old: Option<Entry>,
    new: Option<Entry>,
) {
    let folder = |e: Option<Entry>| e.filter(|(_, mode)| is_tree(*mode));
    let (old_folder, new_folder) = (folder(old), folder(new));
    if old_folder.is_some() || new_folder.is_some() {
        work.push((
            old_folder.map(|(id, _)| id),
            new_folder.map(|(id, _)| id),
            format!("{path}/"),
        ));
    }
    let old = old.filter(|_| old_folder.is_none());
    let new = new.filter(|_| new_folder.is_none());
    if old.is_some() || new.is_some() {
        deltas.push(Delta { path, old, new });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository whose commit holds `backlog/B.yaml` as a blob whose stored bytes are another
    /// blob's: what git calls a hash mismatch.
    fn tampered() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = git2::Repository::init(dir.path()).expect("init");
        let config = repo.blob(b"").expect("blob");
        let a = repo.blob(b"title: A\nstatus: todo\n").expect("blob");
        let b = repo.blob(b"title: B\nstatus: todo\n").expect("blob");
        let loose = |id: git2::Oid| {
            let hex = id.to_string();
            dir.path()
                .join(".git/objects")
                .join(&hex[..2])
                .join(&hex[2..])
        };
        let stored = std::fs::read(loose(a)).expect("object");
        let path = loose(b);
        let mut perms = std::fs::metadata(&path).expect("object").permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&path, perms).expect("chmod");
        std::fs::write(&path, stored).expect("tamper");
        let mut backlog = repo.treebuilder(None).expect("builder");
        backlog.insert("B.yaml", b, 0o100_644).expect("insert");
        let backlog = backlog.write().expect("tree");
        let mut root = repo.treebuilder(None).expect("builder");
        root.insert(CONFIG_FILE, config, 0o100_644).expect("insert");
        root.insert("backlog", backlog, 0o040_000).expect("insert");
        let tree = repo.find_tree(root.write().expect("tree")).expect("tree");
        let who = git2::Signature::now("Test", "test@example.com").expect("signature");
        repo.commit(Some("HEAD"), &who, &who, "tampered", &tree, &[])
            .expect("commit");
        dir
    }

    #[test]
    fn the_library_leaves_libgit2s_process_options_alone() {
        // libgit2 verifies object hashes unless a caller turns it off; only the binary may
        // (`configure_process`), so opening a repository must not turn it off for everyone.
        let dir = tampered();
        let repo = Repo::discover(dir.path(), "").expect("opens");
        let read = repo.plan_at("HEAD", "");
        assert!(
            read.is_err(),
            "a tampered blob is refused while hash verification is on"
        );
    }
}
