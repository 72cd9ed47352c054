//! How far a change reaches: the unchanged files a diff must read to be exact.
//!
//! A diff reports entity changes, progress before and after, and findings introduced and
//! fixed. Only files the change touched can change entities, but progress and findings reach
//! further: a theme's progress weighs every item under it, a removed id breaks every reference
//! to it, a re-parented story moves its whole subtree. So both sides are loaded from the changed
//! files plus the unchanged files that can see them, found by searching the unchanged bytes for
//! the ids the change reaches, and that search is repeated until no new id turns up:
//!
//! - every id a changed file defines or names (`theme`, `parent`, `depends_on`), and its stem;
//!   an unchanged entity holding an id a changed file defines counts as changed (a removed
//!   duplicate hands its id over);
//! - each changed item's ancestors, and the whole tree under the topmost one;
//! - every theme named in those trees or changed, with every item under it;
//! - every item a changed item depends on, directly or not.
//!
//! Everything else is the same on both sides: its findings cancel and its figures do not move,
//! so leaving it out changes nothing in the diff. `tests` compares the result with a diff of
//! the whole plans over many random changes.
//!
//! The search is by text, so it must not miss a mention: an id is matched as a whole token
//! (`BL-1` is not in `BL-10`), a file whose bytes hold a backslash is always read (a quoted
//! escape can spell an id without its letters), and a change whose ids cannot be searched
//! this way, or which touches `roadlog.yaml`, reads the whole plan.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::Error;
use crate::load::{
    self, CONFIG_FILE, Change, Hashes, Identity, Kept, MemoryTree, ParseCache, is_id_byte,
};
use crate::model::Plan;
use crate::trace::Trace;

/// The side of a diff an error of [`load_sides`] comes from.
pub const BASE: &str = "BASE";
/// See [`BASE`].
pub const HEAD: &str = "HEAD";

/// Reads the unchanged files of a diff that were not read, by path and blob id (`None`: too
/// large to read, which leaves the file out of both sides alike).
pub type Read<'a> = &'a dyn Fn(&[(&str, Identity)]) -> Result<Vec<Option<Arc<[u8]>>>, Error>;

/// Loads both sides of `change`, each as far as the change reaches (see the module doc), with
/// the labels given; an unchanged file not read yet is read with `read` when a side takes it.
/// An error says which side it comes from ([`BASE`] or [`HEAD`]).
pub fn load_sides(
    change: &Change,
    base_label: &str,
    head_label: &str,
    cache: &ParseCache,
    read: Read<'_>,
) -> Result<(Plan, Plan), Error> {
    let mut bytes = Contents::new(&change.kept);
    // A file holding a backslash may spell an id with an escape, which no search sees.
    let mut taken: Vec<bool> = change
        .kept
        .par_iter()
        .map(|k| k.path == CONFIG_FILE || k.tokens.backslash())
        .collect();
    // The config decides how every file reads.
    let mut whole = change.changed.contains(CONFIG_FILE);
    if whole {
        taken.fill(true);
    }
    let mut searched: HashSet<String> = HashSet::new();
    loop {
        bytes.fetch(&taken, read)?;
        let base = load::load_with(&bytes.side(&change.base, &taken), base_label, Some(cache))
            .map_err(|e| e.on_side(BASE))?;
        let head = load::load_with(&bytes.side(&change.head, &taken), head_label, Some(cache))
            .map_err(|e| e.on_side(HEAD))?;
        if whole {
            return Ok((base, head));
        }
        let mut wanted = BTreeSet::new();
        for path in &change.changed {
            wanted.insert(crate::model::stem_of(path).to_string());
        }
        // An id a changed file defines or drops can pass to another entity holding it.
        let mut defined = HashSet::new();
        defined_in(&base, &change.changed, &mut defined);
        defined_in(&head, &change.changed, &mut defined);
        reach(&base, &defined, &mut wanted);
        reach(&head, &defined, &mut wanted);
        let new: Vec<String> = wanted
            .into_iter()
            .filter(|id| !searched.contains(id))
            .collect();
        if new.is_empty() {
            return Ok((base, head));
        }
        if !new.iter().all(|id| searchable(id)) {
            whole = true;
            taken.fill(true);
            continue;
        }
        let ids = Hashes::of(new.iter().map(String::as_str));
        let stems: HashSet<&str> = new.iter().map(String::as_str).collect();
        let found = change
            .kept
            .par_iter()
            .zip(taken.par_iter_mut())
            .filter(|(_, taken)| !**taken)
            .map(|(kept, taken)| {
                *taken = stems.contains(crate::model::stem_of(&kept.path)) || kept.tokens.any(&ids);
                usize::from(*taken)
            })
            .sum::<usize>();
        searched.extend(new);
        if found == 0 {
            return Ok((base, head));
        }
    }
}

/// The content of each unchanged file, as far as it has been read.
struct Contents<'a> {
    kept: &'a [Kept],
    bytes: Vec<Option<Arc<[u8]>>>,
    /// Whether a file was read or asked for already.
    asked: Vec<bool>,
}

impl<'a> Contents<'a> {
    fn new(kept: &'a [Kept]) -> Contents<'a> {
        let bytes: Vec<Option<Arc<[u8]>>> = kept.iter().map(|k| k.bytes.clone()).collect();
        let asked = bytes.iter().map(Option::is_some).collect();
        Contents { kept, bytes, asked }
    }

    /// Reads every file taken and not yet read, all in one call of `read`.
    fn fetch(&mut self, taken: &[bool], read: Read<'_>) -> Result<(), Error> {
        let need: Vec<usize> = (0..self.kept.len())
            .filter(|&i| taken[i] && !self.asked[i] && self.kept[i].identity.is_some())
            .collect();
        if need.is_empty() {
            return Ok(());
        }
        let files: Vec<(&str, Identity)> = need
            .iter()
            .filter_map(|&i| Some((self.kept[i].path.as_str(), self.kept[i].identity?)))
            .collect();
        for (i, bytes) in need.into_iter().zip(read(&files)?) {
            self.asked[i] = true;
            self.bytes[i] = bytes;
        }
        Ok(())
    }

    /// One side: its changed files plus the kept files taken so far.
    fn side(&self, changed: &MemoryTree, taken: &[bool]) -> MemoryTree {
        let mut tree = changed.clone();
        for ((k, bytes), _) in self
            .kept
            .iter()
            .zip(&self.bytes)
            .zip(taken)
            .filter(|(_, t)| **t)
        {
            if let Some(bytes) = bytes {
                tree.insert_shared(&k.path, Arc::clone(bytes), k.identity);
            }
        }
        tree
    }
}

/// Whether an id can be found by its text: every valid theme and item id can. A value outside
/// that alphabet (spaces fold across lines, other bytes may be escaped) cannot.
fn searchable(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(is_id_byte)
}

/// Adds to `ids` the id of every entity in a changed file.
fn defined_in(plan: &Plan, changed: &HashSet<String>, ids: &mut HashSet<String>) {
    let touched = |file| changed.contains(&plan.file(file).path);
    let themes = plan
        .themes
        .iter()
        .filter(|t| touched(t.file))
        .map(|t| &t.id);
    let items = plan.items.iter().filter(|i| touched(i.file)).map(|i| &i.id);
    ids.extend(themes.chain(items).map(|id| id.value.clone()));
}

/// Adds to `wanted` every id whose files one side of the change must see, starting from the
/// entities holding an id in `defined` (see the module doc).
fn reach(plan: &Plan, defined: &HashSet<String>, wanted: &mut BTreeSet<String>) {
    let trace = Trace::new(plan);
    let mut themes: BTreeSet<&str> = plan
        .themes
        .iter()
        .map(|t| t.id.value.as_str())
        .filter(|id| defined.contains(*id))
        .collect();
    let mut tops = Vec::new();
    let mut depends = Vec::new();
    for (i, item) in plan.items.iter().enumerate() {
        if !defined.contains(&item.id.value) {
            continue;
        }
        depends.push(i);
        // Up to the top of the tree: the ancestors give the item its theme.
        let mut at = i;
        let mut seen = HashSet::from([i]);
        loop {
            let it = &plan.items[at];
            wanted.insert(it.id.value.clone());
            if let Some(parent) = &it.parent {
                wanted.insert(parent.value.clone());
            }
            match trace.parent[at] {
                Some(p) if seen.insert(p) => at = p,
                _ => break,
            }
        }
        tops.push(at);
    }
    // The whole tree under each top: re-parenting moves a subtree, closing a story changes its
    // epic's progress and an untraced chain's count.
    for i in below(&trace, tops) {
        let item = &plan.items[i];
        wanted.insert(item.id.value.clone());
        if let Some(theme) = &item.theme {
            themes.insert(theme.value.as_str());
        }
    }
    // Every item of every theme the change can move.
    let named: Vec<usize> = plan
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| {
            item.theme
                .as_ref()
                .is_some_and(|t| themes.contains(t.value.as_str()))
        })
        .map(|(i, _)| i)
        .collect();
    for i in below(&trace, named) {
        wanted.insert(plan.items[i].id.value.clone());
    }
    wanted.extend(themes.into_iter().map(str::to_string));
    // Dependencies: a cycle through a changed item runs through what it depends on.
    let mut seen: HashSet<usize> = depends.iter().copied().collect();
    while let Some(i) = depends.pop() {
        for dep in &plan.items[i].depends_on {
            wanted.insert(dep.value.clone());
            if let Some(j) = trace.item(&dep.value)
                && seen.insert(j)
            {
                depends.push(j);
            }
        }
    }
}

/// The given items and everything under them.
fn below(trace: &Trace<'_>, from: Vec<usize>) -> Vec<usize> {
    let mut seen = vec![false; trace.children.len()];
    let mut stack = from;
    let mut out = Vec::new();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        out.push(i);
        stack.extend(&trace.children[i]);
    }
    out
}

#[cfg(test)]
mod tests;
