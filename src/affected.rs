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
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::diff::{PlanDiff, diff};
    use crate::time::Date;

    /// A small deterministic generator (xorshift), so a failing case can be replayed by seed.
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn chance(&mut self, percent: usize) -> bool {
            self.roll(100) < percent
        }

        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.roll(from.len())]
        }
    }

    const THEMES: usize = 6;
    const ITEMS: usize = 40;
    const CONFIG: &str =
        "default_estimate: 2\ncurrent_sprint: S1\nstatuses:\n  review: in-progress\n";

    /// An item's text (with `id:` when `with_id`, else half the time): every field the rules and rollups read, with dangling ids, cycles,
    /// mentions in prose and, now and then, an id spelled with an escape.
    fn item(dice: &mut Dice, n: usize, with_id: bool) -> String {
        let mut text = String::new();
        if with_id || dice.chance(50) {
            text += &format!("id: BL-{n}\n");
        }
        text += &format!("title: item {n}\n");
        text += &format!("kind: {}\n", dice.pick(&["epic", "story", "task", "bug"]));
        text += &format!(
            "status: {}\n",
            dice.pick(&[
                "todo",
                "in-progress",
                "blocked",
                "done",
                "done",
                "wontdo",
                "review"
            ])
        );
        if dice.chance(35) {
            text += &format!("theme: theme-{}\n", dice.roll(THEMES + 1));
        }
        if dice.chance(3) {
            // A parent that is a theme, and a theme that is an item: both wrong, both reported.
            text += &format!("parent: theme-{}\n", dice.roll(THEMES));
        } else if dice.chance(3) {
            text += &format!("theme: BL-{}\n", dice.roll(ITEMS));
        } else if dice.chance(60) {
            let parent = dice.roll(ITEMS + 2);
            if dice.chance(5) {
                // `\x2d` is `-`: the id is there, but not its letters.
                text += &format!("parent: \"BL\\x2d{parent}\"\n");
            } else {
                text += &format!("parent: BL-{parent}\n");
            }
        }
        if dice.chance(70) {
            text += &format!("estimate: {}\n", dice.roll(8));
        }
        if dice.chance(40) {
            text += &format!("sprint: S{}\n", dice.roll(3));
        }
        if dice.chance(30) {
            text += &format!(
                "depends_on: [BL-{}, BL-{}]\n",
                dice.roll(ITEMS + 2),
                dice.roll(ITEMS + 2)
            );
        }
        if dice.chance(20) {
            text += &format!(
                "description: see BL-{} and theme-{}\n",
                dice.roll(ITEMS),
                dice.roll(THEMES)
            );
        }
        text
    }

    fn theme(dice: &mut Dice) -> String {
        // Now and then an id that differs from the file name, or that an item holds too.
        let id = match dice.roll(20) {
            0 => format!("id: theme-{}\n", dice.roll(THEMES)),
            1 => format!("id: BL-{}\n", dice.roll(ITEMS)),
            _ => String::new(),
        };
        format!(
            "{id}title: a theme\nobjective: why\nstatus: {}\nhorizon: {}\nreviewed: 2025-05-01\n",
            dice.pick(&["proposed", "active", "active", "done", "dropped"]),
            dice.pick(&["2025-Q1", "2025-Q3", "next"])
        )
    }

    /// A random plan: path → text.
    fn plan(dice: &mut Dice) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        files.insert(CONFIG_FILE.to_string(), CONFIG.to_string());
        for t in 0..THEMES {
            files.insert(format!("roadmap/theme-{t}.yaml"), theme(dice));
        }
        for n in 0..ITEMS {
            files.insert(format!("backlog/BL-{n}.yaml"), item(dice, n, false));
        }
        // A stream of two items in one file, and an id written against its file name.
        let (a, b) = (item(dice, ITEMS, true), item(dice, ITEMS + 1, true));
        files.insert("backlog/more/stream.yaml".into(), format!("{a}---\n{b}"));
        files.insert("backlog/misnamed.yaml".into(), item(dice, 7, true));
        files
    }

    /// Edits one to four files: rewrites, removals, additions, theme changes, and rarely the
    /// config.
    fn edit(dice: &mut Dice, base: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut head = base.clone();
        for _ in 0..1 + dice.roll(4) {
            let paths: Vec<String> = head.keys().cloned().collect();
            let path = paths[dice.roll(paths.len())].clone();
            match dice.roll(10) {
                0 if dice.chance(30) => {
                    head.insert(CONFIG_FILE.into(), "current_sprint: S2\n".into());
                }
                0..=1 if path != CONFIG_FILE => {
                    head.remove(&path);
                }
                2 => {
                    let n = ITEMS + 2 + dice.roll(5);
                    head.insert(format!("backlog/BL-{n}.yaml"), item(dice, n, false));
                }
                3..=4 => {
                    head.insert(
                        format!("roadmap/theme-{}.yaml", dice.roll(THEMES + 1)),
                        theme(dice),
                    );
                }
                _ => {
                    let n = dice.roll(ITEMS);
                    head.insert(format!("backlog/BL-{n}.yaml"), item(dice, n, false));
                }
            }
        }
        head
    }

    fn tree(files: &BTreeMap<String, String>) -> MemoryTree {
        let mut tree = MemoryTree::new();
        for (path, text) in files {
            tree.insert(path, text.clone().into_bytes());
        }
        tree
    }

    /// The change from `base` to `head` as the git side would give it.
    fn change(base: &BTreeMap<String, String>, head: &BTreeMap<String, String>) -> Change {
        let mut change = Change::default();
        for (path, text) in base {
            match head.get(path) {
                Some(same) if same == text => change.kept.push(Kept {
                    path: path.clone(),
                    bytes: Arc::from(text.as_bytes()),
                    identity: None,
                }),
                _ => {
                    change.base.insert(path, text.clone().into_bytes());
                    change.changed.insert(path.clone());
                }
            }
        }
        for (path, text) in head {
            if base.get(path) != Some(text) {
                change.head.insert(path, text.clone().into_bytes());
                change.changed.insert(path.clone());
            }
        }
        change
    }

    /// The change from `base` to `head` found as for a working tree: by identities of the bytes.
    fn change_to_files(base: &BTreeMap<String, String>, head: &BTreeMap<String, String>) -> Change {
        let identify = |bytes: &[u8]| {
            let mut hasher = std::hash::DefaultHasher::new();
            std::hash::Hash::hash(bytes, &mut hasher);
            let mut id = [0; 20];
            id[..8].copy_from_slice(&std::hash::Hasher::finish(&hasher).to_le_bytes());
            Some(id)
        };
        let ids = base
            .iter()
            .map(|(path, text)| (path.clone(), (identify(text.as_bytes()), text)))
            .collect();
        let (mut change, from_base) = Change::to_files(ids, tree(head), identify);
        for (path, text) in from_base {
            change.base.insert(&path, text.clone().into_bytes());
        }
        change
    }

    fn whole_diff(base: &BTreeMap<String, String>, head: &BTreeMap<String, String>) -> PlanDiff {
        let today = Date::new(2025, 8, 1).expect("a date");
        let (a, b) = (
            load::load(&tree(base), "base").expect("loads"),
            load::load(&tree(head), "head").expect("loads"),
        );
        diff(&a, &b, "base", "head", today)
    }

    #[test]
    fn a_diff_of_what_the_change_reaches_equals_a_diff_of_whole_plans() {
        let today = Date::new(2025, 8, 1).expect("a date");
        let (mut partial, mut nonempty) = (0, 0);
        for seed in 1..=400u64 {
            let mut dice = Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let base = plan(&mut dice);
            let head = edit(&mut dice, &base);
            let whole = whole_diff(&base, &head);
            // As between two commits, then as against a working tree.
            for change in [change(&base, &head), change_to_files(&base, &head)] {
                let cache = ParseCache::new();
                let (a, b) = load_sides(&change, "base", "head", &cache).expect("loads");
                if a.items.len() < ITEMS {
                    partial += 1;
                }
                let scoped = diff(&a, &b, "base", "head", today);
                assert_eq!(scoped, whole, "seed {seed}");
            }
            nonempty += usize::from(!whole.is_empty());
        }
        // The comparison means something only if most cases were partial loads of real changes.
        assert!(partial > 400, "only {partial} of 800 loads were partial");
        assert!(
            nonempty > 300,
            "only {nonempty} of 400 diffs showed anything"
        );
    }
}
