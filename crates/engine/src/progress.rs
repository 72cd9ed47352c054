//! Progress rollups: leaves weighed by estimate or count, `wontdo` left out.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use crate::model::{Category, Config, Item, Plan, ProgressBy};
use crate::trace::Links;

/// Completion of a set of leaves.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rollup {
    /// Weight of done leaves.
    pub done: f64,
    /// Weight of all leaves except `wontdo`.
    pub total: f64,
    /// Open leaves (todo, in progress, blocked, or unreadable status).
    pub open: usize,
    /// Done leaves.
    pub done_items: usize,
    /// Leaves out of scope.
    pub wontdo: usize,
    /// Standing commitments (`counts: false`): traced, never weighed.
    pub standing: usize,
    /// Weighed leaves without an estimate (only counted with `progress_by: estimate`).
    pub unestimated: usize,
}

impl Rollup {
    /// Done weight over total weight; `None` when nothing is weighed.
    pub fn fraction(&self) -> Option<f64> {
        (self.total > 0.0).then(|| self.done / self.total)
    }

    /// Whether every weighed leaf is done (false when nothing is weighed).
    pub(crate) fn is_complete(&self) -> bool {
        self.total > 0.0 && self.done >= self.total
    }

    /// Adds one leaf.
    pub(crate) fn add_leaf(&mut self, item: &Item, config: &Config) {
        self.add(Weighed::of(item, config));
    }

    /// Adds one leaf, as it was weighed.
    pub fn add(&mut self, leaf: Weighed) {
        if !leaf.counts {
            self.standing += 1;
            return;
        }
        if leaf.category == Some(Category::Wontdo) {
            self.wontdo += 1;
            return;
        }
        if !leaf.estimated {
            self.unestimated += 1;
        }
        self.total += leaf.weight;
        if leaf.category == Some(Category::Done) {
            self.done += leaf.weight;
            self.done_items += 1;
        } else {
            self.open += 1;
        }
    }
}

/// All that progress and alignment read of an item, in 16 bytes: `history` keeps one per item
/// from sample to sample and weighs again only the items a commit changed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weighed {
    /// The status's category, if the status was readable.
    pub category: Option<Category>,
    /// The weight progress gives it.
    pub weight: f64,
    /// Whether it had the estimate it was weighed by (always with `progress_by: count`).
    pub estimated: bool,
    /// Whether it is weighed at all (`counts: false` is not).
    pub counts: bool,
}

impl Weighed {
    /// How progress weighs `item` under `config`.
    pub fn of(item: &Item, config: &Config) -> Weighed {
        let (weight, estimated) = self::weight(item, config);
        Weighed {
            category: item.category(),
            weight,
            estimated,
            counts: item.counts,
        }
    }

    /// Open (todo, in progress, blocked), as [`Item::is_open`] says.
    pub fn is_open(&self) -> bool {
        self.category.is_some_and(Category::is_open)
    }
}

/// An item's weight for progress, and whether it had the estimate it was weighed by (always
/// true with `progress_by: count`).
pub fn weight(item: &Item, config: &Config) -> (f64, bool) {
    match (config.progress_by, &item.estimate) {
        (ProgressBy::Count, _) => (1.0, true),
        (ProgressBy::Estimate, Some(e)) => (e.value, true),
        (ProgressBy::Estimate, None) => (config.default_estimate, false),
    }
}

/// A fraction as a whole percent: rounded to nearest, except that 100% means complete and 0%
/// means nothing done, so 99.9% reads 99% and 0.1% reads 1%.
pub fn whole_percent(fraction: f64) -> u32 {
    rounded(fraction, 100)
}

/// A fraction as a whole number of `steps`, rounded as [`whole_percent`] rounds.
pub fn rounded(fraction: f64, steps: u32) -> u32 {
    let f = if fraction.is_nan() {
        0.0
    } else {
        fraction.clamp(0.0, 1.0)
    };
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let n = (f * f64::from(steps)).round() as u32;
    if n == steps && f < 1.0 {
        steps - 1
    } else if n == 0 && f > 0.0 {
        1
    } else {
        n
    }
}

/// One person's share of a sprint: the weight of its leaves assigned to them (an item with
/// several people split evenly; one assigned to a team is the team's, no one person's).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PersonLoad {
    /// Their key under `people:`.
    pub person: String,
    /// Their name.
    pub name: Option<String>,
    /// Weight committed to the sprint.
    pub committed: f64,
    /// Of that, weight done.
    pub done: f64,
    /// Points they can take on in a sprint.
    pub capacity: Option<f64>,
}

/// Each person's load in `sprint`, in the order of `people:`; empty without `people:`. Leaves
/// only, weighed as progress is (`wontdo` and `counts: false` left out).
pub fn person_load(plan: &Plan, links: &Links, sprint: &str) -> Vec<PersonLoad> {
    let config = &plan.config;
    let mut load: Vec<PersonLoad> = config
        .people
        .iter()
        .map(|p| PersonLoad {
            person: p.key.clone(),
            name: p.name.clone(),
            committed: 0.0,
            done: 0.0,
            capacity: p.capacity,
        })
        .collect();
    if load.is_empty() {
        return load;
    }
    for (i, item) in plan.items.iter().enumerate() {
        let planned = item.sprint.as_ref().is_some_and(|s| s.value == sprint);
        if !planned || !links.is_leaf(i) || !item.counts {
            continue;
        }
        if item.category() == Some(Category::Wontdo) {
            continue;
        }
        let people: Vec<usize> = item
            .assignee
            .iter()
            .filter_map(|a| {
                config
                    .people
                    .iter()
                    .position(|p| p.key.eq_ignore_ascii_case(&a.value))
            })
            .collect();
        if people.is_empty() {
            continue;
        }
        #[allow(clippy::cast_precision_loss, reason = "a handful of assignees")]
        let share = weight(item, config).0 / people.len() as f64;
        for p in people {
            if let Some(l) = load.get_mut(p) {
                l.committed += share;
                if item.category() == Some(Category::Done) {
                    l.done += share;
                }
            }
        }
    }
    load
}

/// Each theme's rollup, indexed like `plan.themes`.
pub fn theme_rollups(plan: &Plan, trace: &Links) -> Vec<Rollup> {
    theme_rollups_by(trace, |i| Weighed::of(&plan.items[i], &plan.config))
}

/// Each theme's rollup from the links and each item's weighing (by index).
pub(crate) fn theme_rollups_by(trace: &Links, weigh: impl Fn(usize) -> Weighed) -> Vec<Rollup> {
    trace
        .scope
        .iter()
        .map(|items| {
            let mut r = Rollup::default();
            for &i in items.iter().filter(|&&i| trace.is_leaf(i)) {
                r.add(weigh(i));
            }
            r
        })
        .collect()
}

impl Rollup {
    /// Adds another rollup's figures to this one.
    pub fn merge(&mut self, other: &Rollup) {
        self.done += other.done;
        self.total += other.total;
        self.open += other.open;
        self.done_items += other.done_items;
        self.wontdo += other.wontdo;
        self.standing += other.standing;
        self.unestimated += other.unestimated;
    }
}

/// Every item's rollup in one bottom-up pass: a leaf weighs itself, a parent sums its children.
/// Items in a parent cycle never complete and keep an empty rollup.
pub(crate) fn item_rollups(plan: &Plan, trace: &Links) -> Vec<Rollup> {
    let n = plan.items.len();
    let mut rollups = vec![Rollup::default(); n];
    let mut waiting: Vec<usize> = trace.children.iter().map(Vec::len).collect();
    let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    while let Some(i) = ready.pop() {
        if trace.is_leaf(i) {
            rollups[i].add_leaf(&plan.items[i], &plan.config);
        }
        if let Some(p) = trace.parent[i] {
            let child = rollups[i];
            rollups[p].merge(&child);
            waiting[p] -= 1;
            if waiting[p] == 0 {
                ready.push(p);
            }
        }
    }
    rollups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{MemoryTree, load};
    use crate::trace::Trace;

    fn plan(config: &str, files: &[(&str, &str)]) -> Plan {
        let mut tree = MemoryTree::new().with("roadlog.yaml", config);
        for (path, text) in files {
            tree = tree.with(path, *text);
        }
        load(&tree, "memory").expect("loads")
    }

    const THEME: &str = "title: T\nobjective: O\nstatus: active\nhorizon: 2025-Q3\n";

    #[test]
    fn nested_epics_weigh_only_leaves_and_drop_wontdo() {
        let p = plan(
            "",
            &[
                ("roadmap/t.yaml", THEME),
                (
                    "backlog/E.yaml",
                    "title: E\nkind: epic\nstatus: done\ntheme: t\nestimate: 100\n",
                ),
                (
                    "backlog/F.yaml",
                    "title: F\nkind: epic\nstatus: todo\nparent: E\n",
                ),
                (
                    "backlog/A.yaml",
                    "title: A\nstatus: done\nparent: F\nestimate: 3\n",
                ),
                (
                    "backlog/B.yaml",
                    "title: B\nstatus: todo\nparent: F\nestimate: 1\n",
                ),
                (
                    "backlog/C.yaml",
                    "title: C\nstatus: wontdo\nparent: E\nestimate: 50\n",
                ),
            ],
        );
        let trace = Trace::new(&p);
        let r = theme_rollups(&p, &trace)[0];
        assert_eq!(
            (r.done, r.total, r.open, r.done_items, r.wontdo),
            (3.0, 4.0, 1, 1, 1)
        );
        assert_eq!(r.fraction(), Some(0.75));
        let items = item_rollups(&p, &trace);
        let f = p.items.iter().position(|i| i.id.value == "F").expect("F");
        assert_eq!(items[f].fraction(), Some(0.75));
        let e = p.items.iter().position(|i| i.id.value == "E").expect("E");
        assert_eq!(
            (items[e].total, items[e].wontdo),
            (4.0, 1),
            "the epic's own estimate is not weighed"
        );
    }

    #[test]
    fn unestimated_leaves_weigh_the_default_and_are_counted() {
        let p = plan(
            "default_estimate: 2\n",
            &[
                ("roadmap/t.yaml", THEME),
                ("backlog/A.yaml", "title: A\nstatus: done\ntheme: t\n"),
                (
                    "backlog/B.yaml",
                    "title: B\nstatus: todo\ntheme: t\nestimate: 6\n",
                ),
            ],
        );
        let r = theme_rollups(&p, &Trace::new(&p))[0];
        assert_eq!((r.done, r.total, r.unestimated), (2.0, 8.0, 1));
        let by_count = plan(
            "progress_by: count\n",
            &[
                ("roadmap/t.yaml", THEME),
                ("backlog/A.yaml", "title: A\nstatus: done\ntheme: t\n"),
                (
                    "backlog/B.yaml",
                    "title: B\nstatus: todo\ntheme: t\nestimate: 6\n",
                ),
            ],
        );
        let r = theme_rollups(&by_count, &Trace::new(&by_count))[0];
        assert_eq!((r.done, r.total, r.unestimated), (1.0, 2.0, 0));
    }

    #[test]
    fn empty_and_all_wontdo_themes_have_no_progress() {
        let p = plan(
            "",
            &[
                ("roadmap/t.yaml", THEME),
                ("roadmap/u.yaml", THEME),
                ("backlog/A.yaml", "title: A\nstatus: wontdo\ntheme: u\n"),
            ],
        );
        let rollups = theme_rollups(&p, &Trace::new(&p));
        assert_eq!(rollups[0].fraction(), None);
        assert_eq!(rollups[1].fraction(), None);
        assert!(!rollups[1].is_complete());
    }

    #[test]
    fn parent_cycles_do_not_hang_item_rollups() {
        let p = plan(
            "",
            &[
                ("backlog/A.yaml", "title: A\nstatus: todo\nparent: B\n"),
                ("backlog/B.yaml", "title: B\nstatus: todo\nparent: A\n"),
            ],
        );
        let items = item_rollups(&p, &Trace::new(&p));
        assert!(items.iter().all(|r| r.fraction().is_none()));
    }
}
