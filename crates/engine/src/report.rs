//! Audience views of one plan, as plain serializable data. Renderers only format these.
//!
//! Each view is a different selection, not one table with columns hidden: the executive view is
//! assembled from theme-level data and rollup numbers only, so no backlog item's id, title,
//! assignee, estimate or sprint can reach it.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

mod list;
mod pm;
mod team;
mod timeline;
mod trace;

use std::cmp::Ordering;

use serde::Serialize;

pub use list::{
    Filter, Flagged, ItemRow, Listing, SortKey, ThemeRow, items as list_items, same_person,
    themes as list_themes,
};
pub use pm::{
    Alignment, Drift, DriftGroup, PmReport, PmTheme, Stale, TreeRow, alignment, alignment_by, pm,
};
pub use team::{Dependency, NextSprint, SprintInfo, StatusGroup, TeamItem, TeamReport, team};
pub use timeline::{BucketRow, Timeline, TimelineRow, Unit, timeline};
pub use trace::{Link, SuspectView, TraceReport, trace};

use crate::health::{self, Health};
use crate::model::{Category, Item, Plan, Theme, ThemeStatus, Visibility, natural_cmp};
use crate::progress::{self, Rollup};
use crate::time::{Bucket, Date, Horizon};
use crate::trace::Trace;

/// A plan resolved once for every view: links and theme rollups.
pub struct Analysis<'p> {
    /// The plan.
    pub plan: &'p Plan,
    /// Its resolved links.
    pub trace: Trace<'p>,
    /// Rollup per theme, indexed like `plan.themes`.
    pub rollups: Vec<Rollup>,
    /// The date reports are computed for.
    pub today: Date,
}

impl<'p> Analysis<'p> {
    /// Resolves links and rollups.
    pub fn new(plan: &'p Plan, today: Date) -> Analysis<'p> {
        let trace = Trace::new(plan);
        let rollups = progress::theme_rollups(plan, &trace);
        Analysis {
            plan,
            trace,
            rollups,
            today,
        }
    }
}

fn status_of(theme: &Theme) -> Option<&'static str> {
    theme.status().map(ThemeStatus::as_str)
}

fn horizon_of(theme: &Theme) -> Option<String> {
    theme.horizon.as_ref().map(|h| h.value.to_string())
}

/// Orders themes by priority (unranked last), then horizon, then id.
pub(crate) fn by_priority(a: &Theme, b: &Theme) -> Ordering {
    let rank = |t: &Theme| t.priority.as_ref().map_or(u32::MAX, |p| p.value);
    rank(a).cmp(&rank(b)).then_with(|| by_horizon(a, b))
}

/// Orders themes by horizon: dated by start then end, then now, next, later, then undated;
/// ties by priority and id.
fn by_horizon(a: &Theme, b: &Theme) -> Ordering {
    fn key(t: &Theme) -> (u8, Option<(Date, Date)>, Option<Bucket>) {
        match t.horizon.as_ref().map(|h| h.value) {
            Some(Horizon::Dated { .. }) => {
                (0, t.horizon.as_ref().and_then(|h| h.value.dates()), None)
            }
            Some(Horizon::Ongoing) => (1, None, None),
            Some(Horizon::Bucket(b)) => (2, None, Some(b)),
            None => (3, None, None),
        }
    }
    let rank = |t: &Theme| t.priority.as_ref().map_or(u32::MAX, |p| p.value);
    key(a)
        .cmp(&key(b))
        .then_with(|| rank(a).cmp(&rank(b)))
        .then_with(|| natural_cmp(&a.id.value, &b.id.value))
}

/// Blocked first, then in progress, to do, done, out of scope: the order a stand-up reads.
fn category_rank(c: Option<Category>) -> u8 {
    match c {
        Some(Category::Blocked) => 0,
        Some(Category::InProgress) => 1,
        Some(Category::Todo) | None => 2,
        Some(Category::Done) => 3,
        Some(Category::Wontdo) => 4,
    }
}

/// Orders items by backlog priority (unranked last), then id in natural order.
fn item_order(a: &Item, b: &Item) -> Ordering {
    let rank = |i: &Item| i.priority.as_ref().map_or(u32::MAX, |p| p.value);
    rank(a)
        .cmp(&rank(b))
        .then_with(|| natural_cmp(&a.id.value, &b.id.value))
}

/// Open, done and out-of-scope leaf counts.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct ItemCounts {
    /// Open leaves.
    pub open: usize,
    /// Done leaves.
    pub done: usize,
    /// `wontdo` leaves.
    pub wontdo: usize,
}

/// One row of `roadlog progress`.
#[derive(Clone, Debug, Serialize)]
pub struct ThemeProgress {
    /// Theme id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status, if readable.
    pub status: Option<&'static str>,
    /// Horizon as written.
    pub horizon: Option<String>,
    /// Done weight over total weight, `null` with nothing to weigh.
    pub progress: Option<f64>,
    /// Done weight.
    pub done: f64,
    /// Total weight.
    pub total: f64,
    /// Leaf counts.
    pub items: ItemCounts,
    /// Weighed leaves without an estimate.
    pub unestimated: usize,
    /// The initiative it belongs to, when it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// How far below a listed initiative it sits: 0 at the top.
    #[serde(skip)]
    pub depth: usize,
}

/// `roadlog progress`: one row per theme.
#[derive(Clone, Debug, Serialize)]
pub struct ProgressReport {
    /// Themes by priority, then horizon.
    pub themes: Vec<ThemeProgress>,
    /// Ids that several themes or several items hold, with how many items trace through them:
    /// their work counts toward no theme (a duplicate never moves work between themes).
    pub ambiguous: Vec<Ambiguous>,
}

/// An id several themes or items hold, and the items whose chain runs through it.
#[derive(Clone, Debug, Serialize)]
pub struct Ambiguous {
    /// The id.
    pub id: String,
    /// Items counted in no theme because their chain names it.
    pub items: usize,
}

/// The ids several entities hold that items' chains run through, in id order.
fn ambiguous(a: &Analysis<'_>) -> Vec<Ambiguous> {
    let (plan, trace) = (a.plan, &a.trace);
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for (i, e) in trace.effective.iter().enumerate() {
        if *e != crate::trace::Effective::Broken {
            continue;
        }
        // Up the chain to the link that breaks it.
        let mut at = i;
        let mut steps = 0;
        let broken = loop {
            let item = &plan.items[at];
            if let Some(t) = &item.theme {
                break trace.is_ambiguous(&t.value).then_some(t.value.as_str());
            }
            match (&item.parent, trace.parent[at]) {
                (_, Some(p)) if steps < plan.items.len() => {
                    at = p;
                    steps += 1;
                }
                (Some(p), None) => break trace.is_ambiguous(&p.value).then_some(p.value.as_str()),
                _ => break None,
            }
        };
        if let Some(id) = broken {
            *counts.entry(id).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|(id, items)| Ambiguous {
            id: id.to_string(),
            items,
        })
        .collect()
}

fn theme_progress(theme: &Theme, r: &Rollup) -> ThemeProgress {
    ThemeProgress {
        id: theme.id.value.clone(),
        title: theme.display_title(),
        status: status_of(theme),
        horizon: horizon_of(theme),
        progress: r.fraction(),
        done: r.done,
        total: r.total,
        items: ItemCounts {
            open: r.open,
            done: r.done_items,
            wontdo: r.wontdo,
        },
        unestimated: r.unestimated,
        parent: theme.parent.as_ref().map(|p| p.value.clone()),
        depth: 0,
    }
}

/// Builds the progress table; done and dropped themes only with `all`, internal themes not
/// with `external`.
pub fn progress(
    a: &Analysis<'_>,
    all: bool,
    external: bool,
    depth: Option<usize>,
) -> ProgressReport {
    let mut themes = theme_progress_of(a.plan, &a.rollups, all, external);
    if let Some(depth) = depth {
        themes.retain(|t| t.depth < depth);
    }
    ProgressReport {
        themes,
        ambiguous: ambiguous(a),
    }
}

/// Each theme's progress from its rollup (indexed like `plan.themes`), in priority order; with
/// `all`, done and dropped themes too; with `external`, no internal ones.
pub(crate) fn theme_progress_of(
    plan: &Plan,
    rollups: &[Rollup],
    all: bool,
    external: bool,
) -> Vec<ThemeProgress> {
    let mut order: Vec<usize> = (0..plan.themes.len())
        .filter(|&t| all || !plan.themes[t].status().is_some_and(ThemeStatus::is_over))
        .filter(|&t| !(external && plan.themes[t].visibility == Visibility::Internal))
        .collect();
    order.sort_by(|&x, &y| by_priority(&plan.themes[x], &plan.themes[y]));
    tree_order(plan, &order)
        .into_iter()
        .map(|(t, depth)| {
            let row = theme_progress(&plan.themes[t], &rollups[t]);
            // Named only when the initiative is listed too: an internal one left out of an
            // external view is not given away by its id.
            ThemeProgress {
                depth,
                parent: row.parent.filter(|_| depth > 0),
                ..row
            }
        })
        .collect()
}

/// `order` (themes ranked) as a tree: each theme under the initiative it names when that one is
/// listed too, children in rank order, with the depth of each.
pub(crate) fn tree_order(plan: &Plan, order: &[usize]) -> Vec<(usize, usize)> {
    let listed: std::collections::HashSet<usize> = order.iter().copied().collect();
    let parent_of = |t: usize| -> Option<usize> {
        let id = &plan.themes[t].parent.as_ref()?.value;
        plan.themes
            .iter()
            .position(|p| p.id.value == *id)
            .filter(|p| listed.contains(p) && *p != t)
    };
    let parents: Vec<Option<usize>> = (0..plan.themes.len()).map(parent_of).collect();
    let mut out = Vec::with_capacity(order.len());
    let mut placed = vec![false; plan.themes.len()];
    // Depth-first from each top: a theme whose initiative is not listed, or sits in a cycle,
    // is a top of its own.
    fn place(
        t: usize,
        depth: usize,
        order: &[usize],
        parents: &[Option<usize>],
        placed: &mut [bool],
        out: &mut Vec<(usize, usize)>,
    ) {
        if placed[t] {
            return;
        }
        placed[t] = true;
        out.push((t, depth));
        for &c in order.iter().filter(|&&c| parents[c] == Some(t)) {
            place(c, depth + 1, order, parents, placed, out);
        }
    }
    for &t in order {
        let top = match parents[t] {
            None => true,
            Some(_) => {
                // Under an initiative unless following parents comes back round.
                let mut seen = std::collections::HashSet::new();
                let mut at = parents[t];
                loop {
                    match at {
                        None => break false,
                        Some(p) if !seen.insert(p) || p == t => break true,
                        Some(p) => at = parents[p],
                    }
                }
            }
        };
        if top {
            place(t, 0, order, &parents, &mut placed, &mut out);
        }
    }
    for &t in order {
        place(t, 0, order, &parents, &mut placed, &mut out);
    }
    out
}

/// A success metric as executives see it.
#[derive(Clone, Debug, Serialize)]
pub struct MetricView {
    /// What is measured.
    pub name: String,
    /// Where it should get to.
    pub target: String,
    /// Where it is.
    pub current: Option<String>,
    /// Where it started.
    pub baseline: Option<String>,
}

/// A theme in the executive view: strategy and outcomes, nothing tactical.
#[derive(Clone, Debug, Serialize)]
pub struct ExecTheme {
    /// Theme id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The why.
    pub objective: Option<String>,
    /// Status.
    pub status: Option<&'static str>,
    /// The when.
    pub horizon: Option<String>,
    /// Rolled-up progress, `null` with nothing to weigh.
    pub progress: Option<f64>,
    /// done, overdue, at-risk or on-track.
    pub health: Health,
    /// Who answers for it (left out of external reports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Success metrics.
    pub metrics: Vec<MetricView>,
    /// When it will be done, where the plan's history allows a forecast.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast: Option<ExecForecast>,
    /// The initiative it belongs to, when that one is shown too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// How far below a shown initiative it sits: 0 at the top.
    #[serde(skip)]
    pub depth: usize,
}

/// A theme's forecast as the executive view shows it: a date and a verdict, nothing of items.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExecForecast {
    /// 85% of trials finish by this day.
    pub p85: Option<String>,
    /// likely, at-risk, unlikely, done, undated or no-forecast.
    pub verdict: &'static str,
    /// Whether the verdict says it may miss its horizon.
    #[serde(skip)]
    pub at_risk: bool,
}

impl ExecReport {
    /// Adds each theme's forecast by id. A theme on track by its progress but forecast to miss
    /// its horizon (`at-risk` or `unlikely`) is at risk.
    #[must_use]
    pub fn with_forecasts(
        mut self,
        of: impl Fn(&str) -> Option<ExecForecast>,
        calibration: Option<String>,
    ) -> ExecReport {
        self.forecast_calibration = calibration;
        for t in &mut self.themes {
            if let Some(mut f) = of(&t.id) {
                // A theme without a dated horizon shows no date to customers: a forecast is
                // not a promise, and there is no horizon to hold it to.
                if self.external && f.verdict == "undated" {
                    f.p85 = None;
                }
                t.health = t.health.with_forecast(f.at_risk);
                t.forecast = Some(f);
            }
        }
        self
    }
}

/// `roadlog report exec`.
#[derive(Clone, Debug, Serialize)]
pub struct ExecReport {
    /// Product name from config.
    pub product: Option<String>,
    /// The date health is computed for.
    pub today: String,
    /// Whether internal themes and owners were left out.
    pub external: bool,
    /// Themes in horizon order (dropped themes are not shown).
    pub themes: Vec<ExecTheme>,
    /// How often this plan's forecasts came true, where forecasts are shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast_calibration: Option<String>,
}

/// Builds the executive view from theme-level data and rollup numbers only.
pub fn exec(a: &Analysis<'_>, external: bool) -> ExecReport {
    let mut order: Vec<usize> = (0..a.plan.themes.len())
        .filter(|&t| {
            let theme = &a.plan.themes[t];
            theme.status() != Some(ThemeStatus::Dropped)
                && !(external && theme.visibility == Visibility::Internal)
        })
        .collect();
    order.sort_by(|&x, &y| by_horizon(&a.plan.themes[x], &a.plan.themes[y]));
    let themes = tree_order(a.plan, &order)
        .into_iter()
        .map(|(t, depth)| {
            let theme = &a.plan.themes[t];
            ExecTheme {
                parent: theme
                    .parent
                    .as_ref()
                    .filter(|_| depth > 0)
                    .map(|p| p.value.clone()),
                depth,
                id: theme.id.value.clone(),
                title: theme.display_title(),
                objective: theme.objective.as_ref().map(|o| o.value.clone()),
                status: status_of(theme),
                horizon: horizon_of(theme),
                progress: a.rollups[t].fraction(),
                health: health::health(theme, &a.rollups[t], a.today, &a.plan.config),
                owner: if external { None } else { theme.owner.clone() },
                metrics: theme
                    .metrics
                    .iter()
                    .map(|m| MetricView {
                        name: m.name.clone(),
                        target: m.target.clone(),
                        current: m.current.clone(),
                        baseline: m.baseline.clone(),
                    })
                    .collect(),
                forecast: None,
            }
        })
        .collect();
    ExecReport {
        product: a.plan.config.product.clone(),
        today: a.today.to_string(),
        external,
        themes,
        forecast_calibration: None,
    }
}
