//! Bringing a loaded plan up to date after some of its files changed, reading only those.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables, taken from the same plan being patched"
)]

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::cache::ParseCache;
use super::parse::Role;
use super::parse::renumber;
use super::plan::{FileOutcome, file_id, load_with, plan_files, read_file};
use super::root::CONFIG_FILE;
use super::source::{Entry, Source, is_inside, overlaps};
use crate::diag::{FileId, Finding, Rule};
use crate::error::Error;
use crate::model::{Plan, SourceFile};

/// A plan brought up to date by [`reload`].
#[derive(Debug)]
pub struct Reloaded {
    /// The plan, as [`load_with`] gives it.
    pub plan: Plan,
    /// For a reload done in place, how the theme and item lists changed, in the order the
    /// changes were made: every entry no splice touched is the one that held its place before.
    /// `None` when the plan was put together afresh.
    pub splices: Option<Vec<Splice>>,
}

/// One change a reload in place made to the plan's theme or item list: at `at`, `removed`
/// entries taken out and `added` entries read afresh put in their place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Splice {
    /// Whether it is the theme list (else the item list).
    pub themes: bool,
    /// Where, in the list as it stood when the change was made.
    pub at: usize,
    /// How many entries were taken out.
    pub removed: usize,
    /// How many were put in.
    pub added: usize,
}

impl Reloaded {
    /// A plan read whole, which says nothing of what it kept.
    pub fn afresh(plan: Plan) -> Reloaded {
        Reloaded {
            plan,
            splices: None,
        }
    }
}

/// Brings `previous`, loaded from `source` before the files in `changed` (paths relative to
/// the plan root) changed, up to date. Only those files are read again; every other file keeps
/// its entities, moved rather than cloned, so a `history` sample costs what changed, not the
/// whole plan.
pub fn reload(
    source: &dyn Source,
    root_label: &str,
    cache: &ParseCache,
    previous: Plan,
    changed: &HashSet<String>,
) -> Result<Reloaded, Error> {
    // The config decides which files are read and how statuses parse: a change reads it all.
    if changed.contains(CONFIG_FILE) || !grouped(&previous) {
        return load_with(source, root_label, Some(cache)).map(Reloaded::afresh);
    }
    if let Some(moves) = moves(source, &previous, changed) {
        return Ok(in_place(source, cache, previous, moves));
    }
    reassemble(source, root_label, cache, previous, changed).map(Reloaded::afresh)
}

/// [`reload`] when the listing changed: the plan is put together again from the new listing,
/// moving the entities of the files that did not change.
fn reassemble(
    source: &dyn Source,
    root_label: &str,
    cache: &ParseCache,
    previous: Plan,
    changed: &HashSet<String>,
) -> Result<Plan, Error> {
    let Plan {
        files,
        config,
        themes,
        items,
        findings,
    } = previous;
    let work = plan_files(source, &config)?;
    let old: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    // Each new file's index in the previous plan, when it is kept as it was.
    let kept: Vec<Option<usize>> = work
        .iter()
        .map(|(entry, _)| {
            let unchanged = !changed.contains(&entry.path) && entry.problem.is_none();
            unchanged
                .then(|| old.get(entry.path.as_str()).copied())
                .flatten()
        })
        .collect();
    drop(old);
    // Kept files come in the previous plan's order (both listings are sorted the same way), so
    // their entities can be taken in one pass; anything else reads the plan afresh.
    let mut last = 0;
    for &k in kept.iter().flatten() {
        if k <= last {
            return load_with(source, root_label, Some(cache));
        }
        last = k;
    }
    let fresh: Vec<Option<FileOutcome>> = work
        .into_par_iter()
        .zip(kept.par_iter())
        .enumerate()
        .map(|(i, ((entry, role), kept))| {
            kept.is_none()
                .then(|| read_file(source, entry, role, file_id(i), &config, Some(cache)))
        })
        .collect();

    let mut old_files: Vec<Option<SourceFile>> = files.into_iter().map(Some).collect();
    let config_file = old_files
        .first_mut()
        .and_then(Option::take)
        .unwrap_or_else(|| SourceFile::new(CONFIG_FILE, ""));
    let mut plan = Plan {
        files: Vec::with_capacity(kept.len() + 1),
        config,
        themes: Vec::with_capacity(themes.len()),
        items: Vec::with_capacity(items.len()),
        findings: Vec::with_capacity(findings.len()),
    };
    plan.files.push(config_file);
    let (mut themes, mut items, mut findings) = (
        themes.into_iter().peekable(),
        items.into_iter().peekable(),
        findings.into_iter().peekable(),
    );
    for (i, (kept, fresh)) in kept.into_iter().zip(fresh).enumerate() {
        let id = file_id(i);
        match (kept, fresh) {
            (Some(k), _) => {
                let from = file_id(k - 1);
                let Some(file) = old_files.get_mut(k).and_then(Option::take) else {
                    continue;
                };
                plan.files.push(file);
                // Entities of files left out before this one are dropped on the way.
                take(
                    &mut themes,
                    |t| t.file,
                    from,
                    |mut t| {
                        t.file = id;
                        plan.themes.push(t);
                    },
                );
                take(
                    &mut items,
                    |t| t.file,
                    from,
                    |mut t| {
                        t.file = id;
                        plan.items.push(t);
                    },
                );
                take(&mut findings, finding_file, from, |mut f| {
                    renumber(&mut f, id);
                    plan.findings.push(f);
                });
            }
            (None, Some(outcome)) => {
                plan.files.push(outcome.file);
                plan.themes.extend(outcome.themes);
                plan.items.extend(outcome.items);
                plan.findings.extend(outcome.findings);
            }
            (None, None) => {}
        }
    }
    Ok(plan)
}

/// How the listing moved, for a reload done in place.
struct Moves {
    /// Changed files still listed: index in the plan's files, and role.
    replaced: Vec<(usize, Role)>,
    /// Changed paths newly listed, and their role.
    added: Vec<(String, Role)>,
    /// Changed files no longer listed: index in the plan's files.
    removed: Vec<usize>,
}

/// Beyond this many files come or gone, a reload reassembles the plan: each one in place moves
/// the entities after it.
const MOVES_IN_PLACE: usize = 16;

/// How the changed paths moved in the listing, so the plan keeps its other files and only the
/// changed ones are read, added or taken out: listing and moving every file was most of a
/// `history` sample. `None`, to reload the general way, when the source cannot say how a path
/// lists, the two folders are not apart, too many files came or went, or a file had or has a
/// problem from listing (its entry carries it).
fn moves(source: &dyn Source, plan: &Plan, changed: &HashSet<String>) -> Option<Moves> {
    let (roadmap, backlog) = (
        plan.config.roadmap_dir.as_str(),
        plan.config.backlog_dir.as_str(),
    );
    // The config refuses empty and overlapping folders; a plan made otherwise reloads the
    // general way.
    let apart = !roadmap.is_empty() && !backlog.is_empty() && !overlaps(roadmap, backlog);
    if !apart || plan.findings.iter().any(|f| f.rule == Rule::UnreadableFile) {
        return None;
    }
    // A few changed paths are looked for in the list; a commit that touches many, in a map.
    let index: HashMap<&str, usize> = if changed.len() > 32 {
        plan.files
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, f)| (f.path.as_str(), i))
            .collect()
    } else {
        HashMap::new()
    };
    let mut moves = Moves {
        replaced: Vec::with_capacity(changed.len()),
        added: Vec::new(),
        removed: Vec::new(),
    };
    for path in changed {
        let (dir, role) = if is_inside(roadmap, path) {
            (roadmap, Role::Theme)
        } else if is_inside(backlog, path) {
            (backlog, Role::Item)
        } else {
            continue;
        };
        let now = source.entry(dir, path)?;
        let was = if index.is_empty() {
            plan.files
                .iter()
                .position(|f| f.path == *path)
                .filter(|&i| i > 0)
        } else {
            index.get(path.as_str()).copied()
        };
        match (now, was) {
            (None, None) => {}
            (Some(entry), Some(i)) if entry.problem.is_none() => moves.replaced.push((i, role)),
            (Some(entry), None) if entry.problem.is_none() => moves.added.push((entry.path, role)),
            (None, Some(i)) => moves.removed.push(i),
            _ => return None,
        }
    }
    if moves.added.len() + moves.removed.len() > MOVES_IN_PLACE {
        return None;
    }
    moves.replaced.sort_unstable_by_key(|&(i, _)| i);
    // Taken out from the last, so each index still names its file when its turn comes.
    moves.removed.sort_unstable_by(|a, b| b.cmp(a));
    Some(moves)
}

/// `plan` with the changed files read again, each one's entities and findings put where the old
/// ones were, the files that went taken out and the files that came put in listing order.
fn in_place(source: &dyn Source, cache: &ParseCache, mut plan: Plan, moves: Moves) -> Reloaded {
    let read = |path: String, role: Role, id: FileId| {
        let entry = Entry {
            path,
            problem: None,
        };
        read_file(source, entry, role, id, &plan.config, Some(cache))
    };
    let replaced: Vec<(FileId, FileOutcome)> = moves
        .replaced
        .into_par_iter()
        .map(|(i, role)| {
            let id = file_id(i - 1);
            (id, read(plan.files[i].path.clone(), role, id))
        })
        .collect();
    // Numbered when they find their place.
    let added: Vec<FileOutcome> = moves
        .added
        .into_par_iter()
        .map(|(path, role)| read(path, role, FileId(0)))
        .collect();
    let mut splices = Vec::with_capacity(2 * (replaced.len() + added.len() + moves.removed.len()));
    for (id, outcome) in replaced {
        plan.files[id.0 as usize] = outcome.file;
        let themes = replace(&mut plan.themes, |t| t.file, id, outcome.themes);
        let items = replace(&mut plan.items, |t| t.file, id, outcome.items);
        replace(&mut plan.findings, finding_file, id, outcome.findings);
        splices.extend([themes.splice(true), items.splice(false)]);
    }
    for i in moves.removed {
        take_out(&mut plan, i, &mut splices);
    }
    for outcome in added {
        put_in(&mut plan, outcome, &mut splices);
    }
    Reloaded {
        plan,
        splices: Some(splices),
    }
}

/// Takes file `i` and its entities and findings out of `plan`, and numbers the files after it
/// one down.
fn take_out(plan: &mut Plan, i: usize, splices: &mut Vec<Splice>) {
    let id = file_id(i - 1);
    plan.files.remove(i);
    let themes = replace(&mut plan.themes, |t| t.file, id, Vec::new());
    let items = replace(&mut plan.items, |t| t.file, id, Vec::new());
    replace(&mut plan.findings, finding_file, id, Vec::new());
    splices.extend([themes.splice(true), items.splice(false)]);
    renumber_from(plan, id, |n| n - 1);
}

/// Puts a file read afresh into `plan` at its place in the listing (roadmap files first, then
/// backlog files, each by path, as `plan_files` lists them), numbering the files after it one up.
fn put_in(plan: &mut Plan, outcome: FileOutcome, splices: &mut Vec<Splice>) {
    fn key<'a>(roadmap: &str, path: &'a str) -> (bool, &'a str) {
        (!is_inside(roadmap, path), path)
    }
    let roadmap = plan.config.roadmap_dir.as_str();
    let new = key(roadmap, &outcome.file.path);
    let i = 1 + plan.files[1..].partition_point(|f| key(roadmap, &f.path) < new);
    let id = file_id(i - 1);
    renumber_from(plan, id, |n| n + 1);
    plan.files.insert(i, outcome.file);
    let mut themes = outcome.themes;
    themes.iter_mut().for_each(|t| t.file = id);
    let mut items = outcome.items;
    items.iter_mut().for_each(|t| t.file = id);
    let mut findings = outcome.findings;
    findings.iter_mut().for_each(|f| renumber(f, id));
    let themes = replace(&mut plan.themes, |t| t.file, id, themes);
    let items = replace(&mut plan.items, |t| t.file, id, items);
    replace(&mut plan.findings, finding_file, id, findings);
    splices.extend([themes.splice(true), items.splice(false)]);
}

/// Numbers every entity and finding of file `from` and after anew, by `to`.
fn renumber_from(plan: &mut Plan, from: FileId, to: impl Fn(u32) -> u32) {
    let start = plan.themes.partition_point(|t| t.file < from);
    for t in &mut plan.themes[start..] {
        t.file = FileId(to(t.file.0));
    }
    let start = plan.items.partition_point(|t| t.file < from);
    for t in &mut plan.items[start..] {
        t.file = FileId(to(t.file.0));
    }
    let start = plan.findings.partition_point(|f| finding_file(f) < from);
    for f in &mut plan.findings[start..] {
        let id = FileId(to(finding_file(f).0));
        renumber(f, id);
    }
}

/// What [`replace`] did: where, and how many entries it took out and put in.
struct Replaced {
    at: usize,
    removed: usize,
    added: usize,
}

impl Replaced {
    /// The change as a [`Splice`] of the theme list (`themes`) or the item list.
    fn splice(&self, themes: bool) -> Splice {
        Splice {
            themes,
            at: self.at,
            removed: self.removed,
            added: self.added,
        }
    }
}

/// Puts `with` where the entries of file `file` are in `list` (none, for a file it has no
/// entries of yet), which is grouped by file in file order.
fn replace<T>(
    list: &mut Vec<T>,
    file_of: impl Fn(&T) -> FileId,
    file: FileId,
    with: Vec<T>,
) -> Replaced {
    let start = list.partition_point(|t| file_of(t) < file);
    let end = start + list[start..].partition_point(|t| file_of(t) == file);
    let added = with.len();
    list.splice(start..end, with);
    Replaced {
        at: start,
        removed: end - start,
        added,
    }
}

/// Moves the entries of file `file` at the front of `from` into `keep`, first dropping those of
/// earlier files.
fn take<T>(
    from: &mut std::iter::Peekable<std::vec::IntoIter<T>>,
    file_of: impl Fn(&T) -> FileId,
    file: FileId,
    mut keep: impl FnMut(T),
) {
    while from.peek().is_some_and(|t| file_of(t) < file) {
        from.next();
    }
    while let Some(t) = from.next_if(|t| file_of(t) == file) {
        keep(t);
    }
}

fn finding_file(f: &Finding) -> FileId {
    f.at.map_or(FileId(0), |at| at.file)
}

/// Whether every entity and finding names a file and they come grouped by file in file order,
/// as the loader leaves them; what [`reload`] takes them apart by.
fn grouped(plan: &Plan) -> bool {
    let n = plan.files.len();
    in_order(plan.themes.iter().map(|t| Some(t.file)), n)
        && in_order(plan.items.iter().map(|t| Some(t.file)), n)
        && in_order(plan.findings.iter().map(|f| f.at.map(|at| at.file)), n)
}

/// Whether `ids` are all plan files (not the config, not past `files`) and never go back.
fn in_order(ids: impl Iterator<Item = Option<FileId>>, files: usize) -> bool {
    let mut last = FileId(1);
    for id in ids {
        match id {
            Some(id) if id >= last && (id.0 as usize) < files => last = id,
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests;
