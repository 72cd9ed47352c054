//! What-if: a decision tried on the forecast before it is made. Deferring a theme, dropping an
//! item (or an epic with everything under it), a change of capacity, and expected new scope.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use serde::Serialize;

use super::work::Work;
use crate::diag::suggestion;
use crate::error::Error;
use crate::model::{Category, MAX_WEIGHT, Plan};
use crate::progress;
use crate::report::Analysis;

/// A scenario resolved against the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Themes (indexes) worked on only after every other.
    pub defer: Vec<usize>,
    /// Items (indexes) dropped, with everything under them.
    pub drop: Vec<usize>,
    /// Multiplies the team's throughput.
    pub capacity: f64,
    /// Weight added to themes (indexes).
    pub add: Vec<(usize, f64)>,
}

/// A scenario as the output describes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Described {
    /// Theme ids deferred.
    pub defer: Vec<String>,
    /// Item ids dropped.
    pub drop: Vec<String>,
    /// The capacity factor.
    pub capacity: f64,
    /// Scope added per theme.
    pub add: Vec<Added>,
}

/// Expected new scope for a theme.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Added {
    /// Theme id.
    pub theme: String,
    /// Weight added.
    pub weight: f64,
}

/// The largest capacity factor: ten times the team is a typo, not a plan.
pub(crate) const MAX_CAPACITY: f64 = 10.0;

impl Scenario {
    /// Resolves ids against the plan; an id that names nothing is an error with the nearest one.
    pub fn resolve(
        a: &Analysis<'_>,
        defer: &[String],
        drop: &[String],
        capacity: Option<f64>,
        add: &[(String, f64)],
    ) -> Result<Scenario, Error> {
        let capacity = capacity.unwrap_or(1.0);
        if !(capacity.is_finite() && capacity > 0.0 && capacity <= MAX_CAPACITY) {
            return Err(Error::usage(format!(
                "--capacity {capacity} is not a factor from above 0 to {MAX_CAPACITY}"
            ))
            .with_help("0.8 means a fifth of the team away; 1.25 a quarter more people"));
        }
        let mut added = Vec::new();
        for (id, weight) in add {
            if !(weight.is_finite() && (0.0..=MAX_WEIGHT).contains(weight)) {
                return Err(Error::usage(format!(
                    "--add {id}={weight}: the weight must be a number from 0 to {MAX_WEIGHT}"
                )));
            }
            added.push((theme(a, id, "--add")?, *weight));
        }
        Ok(Scenario {
            defer: defer
                .iter()
                .map(|id| theme(a, id, "--defer"))
                .collect::<Result<_, _>>()?,
            drop: drop
                .iter()
                .map(|id| item(a, id))
                .collect::<Result<_, _>>()?,
            capacity,
            add: added,
        })
    }

    /// Whether it changes anything.
    pub fn is_empty(&self) -> bool {
        self.defer.is_empty() && self.drop.is_empty() && self.add.is_empty() && self.capacity == 1.0
    }

    /// The scenario as the output names it.
    pub fn describe(&self, plan: &Plan) -> Described {
        Described {
            defer: self
                .defer
                .iter()
                .map(|&t| plan.themes[t].id.value.clone())
                .collect(),
            drop: self
                .drop
                .iter()
                .map(|&i| plan.items[i].id.value.clone())
                .collect(),
            capacity: self.capacity,
            add: self
                .add
                .iter()
                .map(|&(t, weight)| Added {
                    theme: plan.themes[t].id.value.clone(),
                    weight,
                })
                .collect(),
        }
    }

    /// The work as it would be after the decision (capacity applies to the run itself).
    pub(crate) fn apply(&self, a: &Analysis<'_>, mut work: Work) -> Work {
        let keys = work.keys.clone();
        let slot = |t: usize| keys.iter().position(|k| *k == a.plan.themes[t].id.value);
        for &t in &self.defer {
            if let Some(k) = slot(t) {
                work.deferred[k] = true;
            }
        }
        let mut leaves = Vec::new();
        for &i in &self.drop {
            under(a, i, &mut leaves);
        }
        leaves.sort_unstable();
        leaves.dedup();
        for leaf in leaves {
            let item = &a.plan.items[leaf];
            let open = !matches!(item.category(), Some(Category::Done | Category::Wontdo));
            if let (true, Some(k)) = (open, a.trace.theme_of(leaf).and_then(slot)) {
                let weight = progress::weight(item, &a.plan.config).0;
                work.remaining[k] = (work.remaining[k] - weight).max(0.0);
            }
        }
        for &(t, weight) in &self.add {
            if let Some(k) = slot(t) {
                work.remaining[k] += weight;
            }
        }
        work
    }
}

/// The leaves at or under item `i`, pushed onto `out`.
fn under(a: &Analysis<'_>, i: usize, out: &mut Vec<usize>) {
    let mut stack = vec![i];
    let mut seen = std::collections::HashSet::new();
    while let Some(j) = stack.pop() {
        if !seen.insert(j) {
            continue;
        }
        if a.trace.is_leaf(j) {
            out.push(j);
        }
        stack.extend(a.trace.children[j].iter().copied());
    }
}

fn theme(a: &Analysis<'_>, id: &str, option: &str) -> Result<usize, Error> {
    if let Some(t) = a.trace.theme(id) {
        return Ok(t);
    }
    let why = if a.trace.is_ambiguous(id) {
        format!("{option} {id}: several themes have the id `{id}`")
    } else {
        format!("{option} {id}: the plan has no theme `{id}`")
    };
    let ids = a.plan.themes.iter().map(|t| t.id.value.as_str());
    Err(Error::usage(why).maybe_help(suggestion(id, ids)))
}

fn item(a: &Analysis<'_>, id: &str) -> Result<usize, Error> {
    if let Some(i) = a.trace.item(id) {
        return Ok(i);
    }
    let why = if a.trace.is_ambiguous(id) {
        format!("--drop {id}: several items have the id `{id}`")
    } else {
        format!("--drop {id}: the backlog has no item `{id}`")
    };
    let ids = a.plan.items.iter().map(|i| i.id.value.as_str());
    Err(Error::usage(why).maybe_help(suggestion(id, ids)))
}
