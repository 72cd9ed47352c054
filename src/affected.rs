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

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use aho_corasick::AhoCorasick;
use rayon::prelude::*;

use crate::error::Error;
use crate::load::{self, CONFIG_FILE, Change, Kept, MemoryTree, ParseCache};
use crate::model::Plan;
use crate::trace::Trace;

/// The side of a diff an error of [`load_sides`] comes from.
pub const BASE: &str = "BASE";
/// See [`BASE`].
pub const HEAD: &str = "HEAD";

/// Loads both sides of `change`, each as far as the change reaches (see the module doc). An
/// error says which side it comes from ([`BASE`] or [`HEAD`]).
pub fn load_sides(
    change: &Change,
    base_label: &str,
    head_label: &str,
    cache: &ParseCache,
) -> Result<(Plan, Plan), Error> {
    // A file holding a backslash may spell an id with an escape, which no search sees.
    let mut taken: Vec<bool> = change
        .kept
        .par_iter()
        .map(|k| k.path == CONFIG_FILE || k.bytes.contains(&b'\\'))
        .collect();
    // The config decides how every file reads.
    let mut whole = change.changed.contains(CONFIG_FILE);
    if whole {
        taken.fill(true);
    }
    let mut searched: HashSet<String> = HashSet::new();
    loop {
        let base = load::load_with(
            &side(&change.base, &change.kept, &taken),
            base_label,
            Some(cache),
        )
        .map_err(|e| e.on_side(BASE))?;
        let head = load::load_with(
            &side(&change.head, &change.kept, &taken),
            head_label,
            Some(cache),
        )
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
        let matcher = match new.iter().all(|id| searchable(id)) {
            true => AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(&new)
                .ok(),
            false => None,
        };
        let Some(matcher) = matcher else {
            whole = true;
            taken.fill(true);
            continue;
        };
        let stems: HashSet<&str> = new.iter().map(String::as_str).collect();
        let found = change
            .kept
            .par_iter()
            .zip(taken.par_iter_mut())
            .filter(|(_, taken)| !**taken)
            .map(|(kept, taken)| {
                *taken = stems.contains(crate::model::stem_of(&kept.path))
                    || mentions(&matcher, &kept.bytes);
                usize::from(*taken)
            })
            .sum::<usize>();
        searched.extend(new);
        if found == 0 {
            return Ok((base, head));
        }
    }
}

/// One side: its changed files plus the kept files taken so far.
fn side(changed: &MemoryTree, kept: &[Kept], taken: &[bool]) -> MemoryTree {
    let mut tree = changed.clone();
    for (k, _) in kept.iter().zip(taken).filter(|(_, t)| **t) {
        tree.insert_shared(&k.path, Arc::clone(&k.bytes), k.identity);
    }
    tree
}

/// The bytes an id is made of: within them, a match is only a match at a token's edges.
fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// Whether an id can be found by its text: every valid theme and item id can. A value outside
/// that alphabet (spaces fold across lines, other bytes may be escaped) cannot.
fn searchable(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(is_id_byte)
}

/// Whether `bytes` hold one of the matcher's ids as a whole token. The matcher gives the
/// longest id at the leftmost place; when that one is not a whole token, no shorter id that
/// starts there is either (the next byte is an id byte), so the search moves on one byte.
fn mentions(matcher: &AhoCorasick, bytes: &[u8]) -> bool {
    let mut from = 0;
    while let Some(m) = matcher.find(aho_corasick::Input::new(bytes).span(from..bytes.len())) {
        let before = m.start().checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(m.end()).copied();
        if !before.is_some_and(is_id_byte) && !after.is_some_and(is_id_byte) {
            return true;
        }
        from = m.start() + 1;
    }
    false
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
