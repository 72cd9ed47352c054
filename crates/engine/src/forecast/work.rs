//! A forecast's inputs: its options, the plan's leaves by theme, and each theme's work as a
//! run sees it, from today's plan or from the plan as it stood at a past date.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use std::collections::HashMap;

use super::sim::{self, Model};
use super::throughput::Snapshot;
use super::window::{Leaves, Window};
use crate::model::{Category, ProgressBy, ThemeStatus};
use crate::progress;
use crate::report::{Analysis, by_priority};
use crate::time::Date;

/// Fewer weeks of history than this give no forecast, whatever `--window` asks.
pub const MIN_WEEKS: u32 = 4;

/// How a forecast is run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Weeks of throughput to learn from.
    pub window: u32,
    /// Monte Carlo trials.
    pub trials: u32,
    /// The generator's seed.
    pub seed: u64,
    /// Where each theme's throughput comes from.
    pub model: Model,
    /// Whether scope growth measured in the window is part of the forecast.
    pub growth: bool,
    /// Whether the dates are calibrated on the plan's own past forecasts.
    pub calibrate: bool,
}

/// The default seed: fixed, so the same plan gives the same dates in every run.
pub const DEFAULT_SEED: u64 = 1;

impl Default for Options {
    fn default() -> Options {
        Options {
            window: 12,
            trials: 10_000,
            seed: DEFAULT_SEED,
            model: Model::Theme,
            growth: true,
            calibrate: true,
        }
    }
}

/// Leaves of the plan by id (and by each id they had before a rename), with the theme each
/// serves and its weight (`wontdo` leaves are out of scope and left out).
pub fn attribution(a: &Analysis<'_>) -> Leaves {
    let mut leaves = Leaves::new();
    for (i, item) in a.plan.items.iter().enumerate() {
        if !a.trace.is_leaf(i)
            || a.trace.item(&item.id.value) != Some(i)
            || item.category() == Some(Category::Wontdo)
        {
            continue;
        }
        let Some(t) = a.trace.theme_of(i) else {
            continue;
        };
        let key = a.plan.themes[t].id.value.clone();
        let weight = progress::weight(item, &a.plan.config).0;
        for id in std::iter::once(&item.id).chain(item.aliases.iter()) {
            leaves
                .entry(id.value.clone())
                .or_insert_with(|| (key.clone(), weight));
        }
    }
    leaves
}

/// Each theme's old ids (its `aliases:`) and the id it has now, so history written under an
/// old name counts for the theme as it is named today.
pub fn renamed_themes(a: &Analysis<'_>) -> HashMap<String, String> {
    a.plan
        .themes
        .iter()
        .flat_map(|t| {
            t.aliases
                .iter()
                .map(|old| (old.value.clone(), t.id.value.clone()))
        })
        .collect()
}

/// Why a window is too thin to forecast from, if it is.
pub(crate) fn lacking(window: &Window) -> Option<String> {
    if window.len() < MIN_WEEKS {
        return Some(format!(
            "the plan's history covers {} of the {MIN_WEEKS} needed to forecast",
            crate::diag::count(window.len() as usize, "whole week")
        ));
    }
    (window.total() <= 0.0).then(|| {
        format!(
            "nothing was finished in the last {}, so there is no throughput to forecast from",
            crate::diag::count(window.len() as usize, "week")
        )
    })
}

/// Themes neither dropped nor closed (a period that ended gets no date), in rank order:
/// priority, then horizon.
pub(crate) fn ranked(a: &Analysis<'_>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..a.plan.themes.len())
        .filter(|&t| {
            !matches!(
                a.plan.themes[t].status(),
                Some(ThemeStatus::Dropped | ThemeStatus::Closed)
            )
        })
        .collect();
    order.sort_by(|&x, &y| by_priority(&a.plan.themes[x], &a.plan.themes[y]));
    order
}

pub(crate) fn horizon_end(a: &Analysis<'_>, t: usize) -> Option<Date> {
    a.plan.themes[t]
        .horizon
        .as_ref()?
        .value
        .dates()
        .map(|(_, end)| end)
}

/// The work of each theme in rank order, as a run sees it.
#[derive(Clone, Debug)]
pub(crate) struct Work {
    /// The theme key (its id, through today's aliases) each slot holds, in rank order.
    pub(crate) keys: Vec<String>,
    /// Open weight per slot.
    pub(crate) remaining: Vec<f64>,
    /// Whether the theme has any weighed leaf.
    pub(crate) scoped: Vec<bool>,
    /// Open leaves without an estimate.
    pub(crate) unestimated: Vec<usize>,
    /// Whether the theme's status says it is done.
    pub(crate) marked_done: Vec<bool>,
    /// Worked on only after every other theme (`--defer`).
    pub(crate) deferred: Vec<bool>,
    /// The last day of each theme's dated horizon.
    pub(crate) horizon_end: Vec<Option<Date>>,
}

impl Work {
    /// Each theme's work in `order`, as today's plan has it.
    pub(crate) fn new(a: &Analysis<'_>, order: &[usize]) -> Work {
        let estimated = a.plan.config.progress_by == ProgressBy::Estimate;
        let unestimated = order
            .iter()
            .map(|&t| {
                a.trace.scope[t]
                    .iter()
                    .filter(|&&i| a.trace.is_leaf(i))
                    .filter(|&&i| estimated && a.plan.items[i].is_open())
                    .filter(|&&i| a.plan.items[i].estimate.is_none())
                    .count()
            })
            .collect();
        Work {
            keys: order
                .iter()
                .map(|&t| a.plan.themes[t].id.value.clone())
                .collect(),
            remaining: order
                .iter()
                .map(|&t| (a.rollups[t].total - a.rollups[t].done).max(0.0))
                .collect(),
            scoped: order.iter().map(|&t| a.rollups[t].total > 0.0).collect(),
            unestimated,
            marked_done: order
                .iter()
                .map(|&t| a.plan.themes[t].status() == Some(ThemeStatus::Done))
                .collect(),
            deferred: vec![false; order.len()],
            horizon_end: order.iter().map(|&t| horizon_end(a, t)).collect(),
        }
    }

    /// The work of the themes open in `snap`, as the plan stood then, in its rank order.
    pub(crate) fn at(snap: &Snapshot) -> Work {
        let mut themes: Vec<_> = snap
            .themes
            .iter()
            .filter(|t| !t.closed && snap.open.contains_key(&t.key))
            .collect();
        themes.sort_by(|a, b| {
            let rank = |p: Option<u32>| p.unwrap_or(u32::MAX);
            rank(a.priority)
                .cmp(&rank(b.priority))
                .then_with(|| a.horizon_end.cmp(&b.horizon_end))
                .then_with(|| a.key.cmp(&b.key))
        });
        let n = themes.len();
        Work {
            keys: themes.iter().map(|t| t.key.clone()).collect(),
            remaining: themes.iter().map(|t| snap.open[&t.key]).collect(),
            scoped: vec![true; n],
            unestimated: vec![0; n],
            marked_done: vec![false; n],
            deferred: vec![false; n],
            horizon_end: themes.iter().map(|t| t.horizon_end).collect(),
        }
    }

    /// Whether slot `k` is finished: done by its status, or with weighed leaves all done.
    pub(crate) fn finished(&self, k: usize) -> bool {
        self.marked_done[k] || (self.scoped[k] && self.remaining[k] <= 0.0)
    }

    /// How many weeks of the window theme `k` existed in: what the theme model learns its pace
    /// from.
    pub(crate) fn own_weeks(&self, window: &Window, k: usize) -> u32 {
        window
            .len()
            .saturating_sub(u32::try_from(window.since(&self.keys[k])).unwrap_or(u32::MAX))
    }

    /// Runs the trials over `window` with `capacity`: each slot's outcomes, `None` for a slot
    /// not run (finished, or without work).
    pub(crate) fn run(
        &self,
        window: &Window,
        opts: &Options,
        capacity: f64,
    ) -> Vec<Option<sim::Outcomes>> {
        let runs: Vec<usize> = (0..self.keys.len())
            .filter(|&k| !self.finished(k) && self.remaining[k] > 0.0)
            .filter(|&k| opts.model != Model::Theme || self.own_weeks(window, k) >= MIN_WEEKS)
            .collect();
        let lanes: Vec<sim::Lane> = runs
            .iter()
            .map(|&k| {
                let (done, arrived) = window.weeks_of(&self.keys[k]);
                sim::Lane {
                    remaining: self.remaining[k],
                    share: window.theme_total(&self.keys[k]),
                    deferred: self.deferred[k],
                    done,
                    arrived: if opts.growth { arrived } else { Vec::new() },
                    since: window.since(&self.keys[k]),
                }
            })
            .collect();
        let mut out = vec![None; self.keys.len()];
        if lanes.is_empty() {
            return out;
        }
        let outcomes = sim::run(&sim::Setup {
            lanes: &lanes,
            weeks: &window.done,
            capacity,
            model: opts.model,
            trials: opts.trials,
            seed: opts.seed,
        });
        for (k, o) in runs.into_iter().zip(outcomes) {
            out[k] = Some(o);
        }
        out
    }
}
