//! A revision's plan folder read from the object database: every plan blob into a
//! [`MemoryTree`], or the change between two trees with the files both sides share.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::{Repo, git_error};
use crate::error::Error;
use crate::load::{
    CONFIG_FILE, Change, Identity, Kept, Laid, MAX_FILE_BYTES, MemoryTree, Tokens, is_hidden,
    is_plan_file,
};

impl Repo {
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
            Ok(Blob::Read(blob)) => plan.insert_blob(path, blob.content(), identity(id)),
            Err(e) => return Err(git_error(&format!("cannot read `{path}` at `{rev}`"), &e)),
        }
        Ok(())
    }

    /// The files that differ between two trees (`None`: an empty one), descending only into
    /// subtrees whose ids differ. Hidden files and folders, and names that are not UTF-8, are
    /// left out, as the loader leaves them. With `same`, every file present and identical on
    /// both sides is listed there too.
    pub(super) fn compare(
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
            // Tree entries are sorted in git's order, so both sides are walked once together,
            // with no name copied unless it differs.
            let (before, after) = (listed(old.as_ref()), listed(new.as_ref()));
            let (mut i, mut j) = (0, 0);
            loop {
                let order = match (before.get(i), after.get(j)) {
                    (Some(b), Some(a)) => git_order(b, a),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => break,
                };
                let (b, a) = match order {
                    Ordering::Less => (before.get(i), None),
                    Ordering::Greater => (None, after.get(j)),
                    Ordering::Equal => (before.get(i), after.get(j)),
                };
                if b.is_some() {
                    i += 1;
                }
                if a.is_some() {
                    j += 1;
                }
                let name = a.or(b).and_then(|e| e.name().ok()).unwrap_or_default();
                let path = format!("{dir}{name}");
                let (b, a) = (
                    b.map(|e| (e.id(), e.filemode())),
                    a.map(|e| (e.id(), e.filemode())),
                );
                match (b, a) {
                    (Some(b), Some(a)) if b == a => {
                        if let Some(same) = same.as_deref_mut() {
                            if is_tree(a.1) {
                                self.list(a.0, &format!("{path}/"), same)?;
                            } else {
                                same.push((path, a));
                            }
                        }
                    }
                    (Some(b), Some(a)) if is_tree(a.1) && is_tree(b.1) => {
                        work.push((Some(b.0), Some(a.0), format!("{path}/")));
                    }
                    (b, a) => side(&mut deltas, &mut work, path, b, a),
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
    /// side, and every other plan file. Those are most of the plan: the ones `known` gives the
    /// tokens of (the mentions a store kept) are not read, the others are read in parallel.
    pub fn change(
        &self,
        base: &str,
        head: &str,
        plan_dir: &str,
        known: &dyn Fn(&Identity) -> Option<Tokens>,
    ) -> Result<Change, Error> {
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
        let mut unread = Vec::with_capacity(same.len());
        for (path, (id, mode)) in same {
            // A link reads as the same problem on both sides: nothing to compare.
            if !matches!(reading(&path, mode)?, Reading::File) {
                continue;
            }
            match identity(id).and_then(|at| Some((at, known(&at)?))) {
                Some((at, tokens)) => change.kept.push(Kept {
                    path,
                    bytes: None,
                    identity: Some(at),
                    tokens,
                }),
                None => unread.push((path, id)),
            }
        }
        let read = self.read_blobs(&unread, head)?;
        let read: Vec<Kept> = unread
            .into_par_iter()
            .zip(read)
            // Unreadable on both sides alike, so it adds nothing to the diff.
            .filter_map(|((path, id), bytes)| Some(Kept::read(path, bytes?, identity(id))))
            .collect();
        change.kept.extend(read);
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
                Reading::File => identity(id),
            };
            at_base.insert(path, (identity, (id, mode)));
        }
        let (mut change, from_base) =
            Change::to_files(at_base, head, |bytes| blob_id(bytes).and_then(identity));
        for (path, entry) in from_base {
            self.put(&mut change.base, &path, entry, base)?;
        }
        Ok(change)
    }

    /// The change to the plan folder from `base` to the working tree, given `change`, the
    /// change from `base` to `HEAD` ([`Repo::change`]), the plan files that differ from `HEAD`
    /// there as read (`None`: removed) and every other one as its blob at `HEAD` (what
    /// [`Repo::plan_dirt`] vouches for): `change` with the files read laid over it. No other
    /// file of the working tree is read.
    pub fn change_over(
        &self,
        mut change: Change,
        base: &str,
        plan_dir: &str,
        read: Vec<Laid>,
    ) -> Result<Change, Error> {
        let over: HashSet<&str> = read.iter().map(|(path, _)| path.as_str()).collect();
        change.kept.retain(|k| !over.contains(k.path.as_str()));
        let old = self.plan_tree(base, plan_dir)?;
        for (path, bytes) in read {
            change.head.remove(&path);
            // A folder at the base is compared file by file, by `change` above.
            let at_base = old
                .get_path(Path::new(&path))
                .ok()
                .map(|e| (e.id(), e.filemode()))
                .filter(|(_, mode)| !is_tree(*mode));
            let base_file = match at_base {
                Some((id, mode)) => matches!(reading(&path, mode)?, Reading::File).then_some(id),
                None => None,
            };
            if let (Some(id), Some(bytes)) = (base_file, &bytes)
                && blob_id(bytes) == Some(id)
            {
                // Back to the base's bytes: the file is unchanged after all.
                change.base.remove(&path);
                change.changed.remove(&path);
                change
                    .kept
                    .push(Kept::read(path, Arc::from(bytes.as_slice()), identity(id)));
                continue;
            }
            if !change.changed.contains(&path)
                && let Some(entry) = at_base
            {
                self.put(&mut change.base, &path, entry, base)?;
            }
            if at_base.is_none() && bytes.is_none() && !change.changed.contains(&path) {
                continue;
            }
            if let Some(bytes) = bytes {
                change.head.insert(&path, bytes);
            }
            change.changed.insert(path);
        }
        Ok(change)
    }
}

/// A blob id as the loader's [`Identity`] (`None` for ids that are not 20 bytes).
pub(super) fn identity(id: git2::Oid) -> Option<Identity> {
    id.as_bytes().try_into().ok()
}

/// The id git gives `bytes` stored as a blob.
fn blob_id(bytes: &[u8]) -> Option<git2::Oid> {
    git2::Oid::hash_object(git2::ObjectType::Blob, bytes).ok()
}

/// A blob as far as roadlog reads it.
pub(super) enum Blob<'r> {
    /// Over [`MAX_FILE_BYTES`]: only its size, from the object's header.
    TooLarge(u64),
    /// Read whole.
    Read(git2::Blob<'r>),
}

/// Reads a blob, unless its header says it is too large to parse: a few kilobytes of
/// compressed zeros can inflate to gigabytes, so the size is asked before the content.
pub(super) fn read_blob(repo: &git2::Repository, id: git2::Oid) -> Result<Blob<'_>, git2::Error> {
    let (size, _) = repo.odb()?.read_header(id)?;
    if size as u64 > MAX_FILE_BYTES {
        return Ok(Blob::TooLarge(size as u64));
    }
    repo.find_blob(id).map(Blob::Read)
}

/// A tree entry: object id and file mode.
type Entry = (git2::Oid, i32);

/// A tree's entries, hidden names and names that are not UTF-8 left out, in the tree's order.
fn listed<'t>(tree: Option<&'t git2::Tree<'_>>) -> Vec<git2::TreeEntry<'t>> {
    tree.into_iter()
        .flat_map(git2::Tree::iter)
        .filter(|e| e.name().is_ok_and(|n| !is_hidden(n)))
        .collect()
}

/// Git's order of tree entries: by name, a folder's name read with a `/` after it.
fn git_order(a: &git2::TreeEntry<'_>, b: &git2::TreeEntry<'_>) -> Ordering {
    let (x, y) = (a.name_bytes(), b.name_bytes());
    let n = x.len().min(y.len());
    x.iter().take(n).cmp(y.iter().take(n)).then_with(|| {
        let next = |name: &[u8], e: &git2::TreeEntry<'_>| {
            name.get(n)
                .copied()
                .or(is_tree(e.filemode()).then_some(b'/'))
        };
        next(x, a).cmp(&next(y, b))
    })
}

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
pub(super) struct Delta {
    pub(super) path: String,
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
