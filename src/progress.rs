//! Progress rollups: leaves weighed by estimate or count, `wontdo` left out.

use crate::model::{Category, Config, Item, Plan, ProgressBy};
use crate::trace::Trace;

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
    /// Weighed leaves without an estimate (only counted with `progress_by: estimate`).
    pub unestimated: usize,
}

impl Rollup {
    /// Done weight over total weight; `None` when nothing is weighed.
    pub fn fraction(&self) -> Option<f64> {
        (self.total > 0.0).then(|| self.done / self.total)
    }

    /// Whether every weighed leaf is done (false when nothing is weighed).
    pub fn is_complete(&self) -> bool {
        self.total > 0.0 && self.done >= self.total
    }

    /// Adds one leaf.
    pub fn add_leaf(&mut self, item: &Item, config: &Config) {
        let category = item.category();
        if category == Some(Category::Wontdo) {
            self.wontdo += 1;
            return;
        }
        let (weight, estimated) = weight(item, config);
        if !estimated {
            self.unestimated += 1;
        }
        self.total += weight;
        if category == Some(Category::Done) {
            self.done += weight;
            self.done_items += 1;
        } else {
            self.open += 1;
        }
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

/// A fraction as a whole percent, rounded down so 99.9% never reads as done.
pub fn whole_percent(fraction: f64) -> u32 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let p = (fraction * 100.0).floor().clamp(0.0, 100.0) as u32;
    p
}

/// Each theme's rollup, indexed like `plan.themes`.
pub fn theme_rollups(plan: &Plan, trace: &Trace<'_>) -> Vec<Rollup> {
    trace
        .scope
        .iter()
        .map(|items| {
            let mut r = Rollup::default();
            for &i in items.iter().filter(|&&i| trace.is_leaf(i)) {
                r.add_leaf(&plan.items[i], &plan.config);
            }
            r
        })
        .collect()
}

/// The rollup of an item: itself if a leaf, else the leaves below it.
pub fn item_rollup(plan: &Plan, trace: &Trace<'_>, item: usize) -> Rollup {
    let mut r = Rollup::default();
    let mut stack = vec![item];
    let mut seen = std::collections::HashSet::new();
    while let Some(i) = stack.pop() {
        if !seen.insert(i) {
            continue; // a parent cycle; reported by its own rule
        }
        if trace.is_leaf(i) {
            r.add_leaf(&plan.items[i], &plan.config);
        } else {
            stack.extend(&trace.children[i]);
        }
    }
    r
}

impl Rollup {
    /// Adds another rollup's figures to this one.
    pub fn merge(&mut self, other: &Rollup) {
        self.done += other.done;
        self.total += other.total;
        self.open += other.open;
        self.done_items += other.done_items;
        self.wontdo += other.wontdo;
        self.unestimated += other.unestimated;
    }
}

/// Every item's rollup in one bottom-up pass: a leaf weighs itself, a parent sums its children.
/// Items in a parent cycle never complete and keep an empty rollup.
pub fn item_rollups(plan: &Plan, trace: &Trace<'_>) -> Vec<Rollup> {
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
