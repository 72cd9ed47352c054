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
        let weight = match config.progress_by {
            ProgressBy::Count => 1.0,
            ProgressBy::Estimate => match &item.estimate {
                Some(e) => e.value,
                None => {
                    self.unestimated += 1;
                    config.default_estimate
                }
            },
        };
        self.total += weight;
        if category == Some(Category::Done) {
            self.done += weight;
            self.done_items += 1;
        } else {
            self.open += 1;
        }
    }
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
