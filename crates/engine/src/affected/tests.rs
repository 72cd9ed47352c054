//! Every diff of a partial load equals the diff of the whole plans, over random plans and
//! changes.

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
const CONFIG: &str = "default_estimate: 2\ncurrent_sprint: S1\nstatuses:\n  review: in-progress\n";

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
            Some(same) if same == text => {
                change
                    .kept
                    .push(Kept::read(path.clone(), Arc::from(text.as_bytes()), None));
            }
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

/// A stand-in for a blob id: a hash of the bytes.
fn identify(bytes: &[u8]) -> Option<Identity> {
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(bytes, &mut hasher);
    let mut id = [0; 20];
    id[..8].copy_from_slice(&std::hash::Hasher::finish(&hasher).to_le_bytes());
    Some(id)
}

/// [`change`] as a diff with recorded tokens gives it: every other unchanged file not read.
fn change_recorded(base: &BTreeMap<String, String>, head: &BTreeMap<String, String>) -> Change {
    let mut change = change(base, head);
    for kept in change.kept.iter_mut().step_by(2) {
        kept.identity = kept.bytes.take().and_then(|bytes| identify(&bytes));
    }
    change
}

/// The change from `base` to `head` found as for a working tree: by identities of the bytes.
fn change_to_files(base: &BTreeMap<String, String>, head: &BTreeMap<String, String>) -> Change {
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
        // As between two commits, with and without tokens recorded, then as against a
        // working tree. The files not read are read from `base` when a side takes them.
        let read = |files: &[(&str, Identity)]| {
            let bytes = |path: &str| base.get(path).map(|t| Arc::from(t.as_bytes()));
            Ok(files.iter().map(|(path, _)| bytes(path)).collect())
        };
        let changes = [
            change(&base, &head),
            change_recorded(&base, &head),
            change_to_files(&base, &head),
        ];
        for change in changes {
            let cache = ParseCache::new();
            let (a, b) = load_sides(&change, "base", "head", &cache, &read).expect("loads");
            if a.items.len() < ITEMS {
                partial += 1;
            }
            let scoped = diff(&a, &b, "base", "head", today);
            assert_eq!(scoped, whole, "seed {seed}");
        }
        nonempty += usize::from(!whole.is_empty());
    }
    // The comparison means something only if most cases were partial loads of real changes.
    assert!(partial > 600, "only {partial} of 1,200 loads were partial");
    assert!(
        nonempty > 300,
        "only {nonempty} of 400 diffs showed anything"
    );
}
