//! A forecast's inputs: its options, the plan's leaves by theme, and each theme's work as a
//! run sees it.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use std::collections::HashMap;

use super::outlook::{Outlook, Verdict};
use super::sim::{self, Model};
use super::window::Window;
use crate::model::{Category, Plan, ProgressBy, ThemeStatus};
use crate::progress;
use crate::report::{Analysis, by_priority};
use crate::time::Date;

/// Fewer weeks of history than this give no forecast.
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
    /// How throughput is split between themes.
    pub model: Model,
    /// Whether scope growth measured in the window is part of the forecast.
    pub growth: bool,
}

/// The default seed: fixed, so the same plan gives the same dates in every run.
pub const DEFAULT_SEED: u64 = 1;

impl Default for Options {
    fn default() -> Options {
        Options {
            window: 12,
            trials: 10_000,
            seed: DEFAULT_SEED,
            model: Model::Share,
            growth: true,
        }
    }
}

/// Leaves of the plan, by unique id, with the theme each serves.
pub fn attribution(a: &Analysis<'_>) -> HashMap<String, usize> {
    a.plan
        .items
        .iter()
        .enumerate()
        .filter(|&(i, item)| a.trace.is_leaf(i) && a.trace.item(&item.id.value) == Some(i))
        .filter_map(|(i, item)| Some((item.id.value.clone(), a.trace.theme_of(i)?)))
        .collect()
}

/// The weight of each item by id, `None` for `wontdo` ones, as the plan stands.
pub(crate) fn weigher<'a>(
    plan: &'a Plan,
    a: &'a Analysis<'_>,
) -> impl Fn(&str) -> Option<f64> + 'a {
    move |id: &str| {
        let item = &plan.items[a.trace.item(id)?];
        (item.category() != Some(Category::Wontdo)).then(|| progress::weight(item, &plan.config).0)
    }
}

/// Why a window is too thin to forecast from, if it is.
pub(crate) fn lacking(window: &Window, asked: u32) -> Option<String> {
    if window.len() < MIN_WEEKS.min(asked.max(1)) {
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

/// Themes not dropped, in rank order: priority, then horizon.
pub(crate) fn ranked(a: &Analysis<'_>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..a.plan.themes.len())
        .filter(|&t| a.plan.themes[t].status() != Some(ThemeStatus::Dropped))
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
    /// The theme (index in the plan) each slot holds, in rank order.
    pub(crate) themes: Vec<usize>,
    /// Slots in the order of the run: rank order, deferred themes last.
    pub(crate) order: Vec<usize>,
    /// Open weight per theme, indexed like the report's themes.
    pub(crate) remaining: Vec<f64>,
    /// Whether the theme has any weighed leaf.
    pub(crate) scoped: Vec<bool>,
    /// Open leaves without an estimate.
    pub(crate) unestimated: Vec<usize>,
    /// Share of throughput, indexed like the report's themes.
    pub(crate) share: Vec<f64>,
    /// Weight added a week.
    pub(crate) growth: Vec<f64>,
    /// Whether the theme's status says it is done.
    pub(crate) marked_done: Vec<bool>,
}

impl Work {
    /// Each theme's work in `order`, with shares and growth from `window`.
    pub(crate) fn new(a: &Analysis<'_>, order: &[usize], window: &Window, opts: &Options) -> Work {
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
            themes: order.to_vec(),
            order: (0..order.len()).collect(),
            remaining: order
                .iter()
                .map(|&t| (a.rollups[t].total - a.rollups[t].done).max(0.0))
                .collect(),
            scoped: order.iter().map(|&t| a.rollups[t].total > 0.0).collect(),
            unestimated,
            share: order
                .iter()
                .map(|&t| window.by_theme.get(&t).copied().unwrap_or(0.0))
                .collect(),
            growth: order
                .iter()
                .map(|&t| if opts.growth { window.growth(t) } else { 0.0 })
                .collect(),
            marked_done: order
                .iter()
                .map(|&t| a.plan.themes[t].status() == Some(ThemeStatus::Done))
                .collect(),
        }
    }

    /// Each theme's outlook (indexed like the report's themes) from a run with `capacity`.
    pub(crate) fn outlooks(
        &self,
        a: &Analysis<'_>,
        window: &Window,
        opts: &Options,
        capacity: f64,
        reason: Option<&str>,
    ) -> Vec<Outlook> {
        let n = self.remaining.len();
        let finished =
            |k: usize| self.marked_done[k] || (self.scoped[k] && self.remaining[k] <= 0.0);
        let runs: Vec<usize> = self
            .order
            .iter()
            .copied()
            .filter(|&k| !finished(k) && self.remaining[k] > 0.0)
            .collect();
        let lanes: Vec<sim::Lane> = runs
            .iter()
            .map(|&k| sim::Lane {
                remaining: self.remaining[k],
                growth: self.growth[k],
                share: self.share[k],
            })
            .collect();
        let outcomes = if reason.is_none() && !lanes.is_empty() {
            sim::run(&sim::Setup {
                lanes: &lanes,
                weeks: &window.done,
                capacity,
                model: opts.model,
                trials: opts.trials,
                seed: opts.seed,
            })
        } else {
            Vec::new()
        };
        let mut by_theme: Vec<Option<&sim::Outcomes>> = vec![None; n];
        for (lane, &k) in runs.iter().enumerate() {
            by_theme[k] = outcomes.get(lane);
        }
        (0..n)
            .map(|k| {
                let remaining = self.remaining[k];
                if finished(k) {
                    return Outlook::without(remaining, Verdict::Done, None);
                }
                if remaining <= 0.0 {
                    let why =
                        "nothing in the backlog serves it yet, so there is no work to forecast";
                    return Outlook::without(remaining, Verdict::NoForecast, Some(why.into()));
                }
                match (reason, by_theme[k]) {
                    (Some(why), _) => {
                        Outlook::without(remaining, Verdict::NoForecast, Some(why.to_string()))
                    }
                    (None, Some(out)) => Outlook::from_outcomes(
                        remaining,
                        out,
                        a.today,
                        horizon_end(a, self.themes[k]),
                    ),
                    (None, None) => Outlook::without(remaining, Verdict::NoForecast, None),
                }
            })
            .collect()
    }
}
