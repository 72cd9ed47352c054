//! `roadlog roadmap`: themes over time, quarters (or months for short plans) as columns.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use serde::Serialize;

use super::{Analysis, by_horizon, horizon_of, status_of};
use crate::health::{self, Health};
use crate::model::{ThemeStatus, Visibility};
use crate::time::PeriodUnit;
use crate::time::{Date, Horizon, Period};

/// Columns are quarters, or months when every dated horizon fits in six months.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Calendar quarters.
    Quarter,
    /// Calendar months.
    Month,
}

/// Never more columns than this; a plan spanning longer is cut around today.
pub(crate) const MAX_PERIODS: usize = 24;

/// A dated theme on the timeline.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineRow {
    /// Theme id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Option<&'static str>,
    /// Horizon as written.
    pub horizon: Option<String>,
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
    /// Rolled-up progress.
    pub progress: Option<f64>,
    /// done, overdue, at-risk or on-track.
    pub health: Health,
    /// An `ongoing` theme: the bar runs across the whole timeline and has no end; `start` and
    /// `end` are the timeline's.
    pub open: bool,
    /// Whether the bar covers each column (for renderers; the dates carry it in JSON).
    #[serde(skip)]
    pub cells: Vec<bool>,
    /// The initiative it belongs to, when that one is on the timeline too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// How far below an initiative on the timeline it sits: 0 at the top.
    #[serde(skip)]
    pub depth: usize,
}

/// An undated theme (`now`, `next`, `later`, or no horizon at all), shown in its own band.
#[derive(Clone, Debug, Serialize)]
pub struct BucketRow {
    /// `now`, `next`, `later`, or `undated` for a theme without a horizon (a done theme may
    /// have none).
    pub bucket: String,
    /// Theme id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Option<&'static str>,
    /// Rolled-up progress.
    pub progress: Option<f64>,
}

/// The roadmap timeline.
#[derive(Clone, Debug, Serialize)]
pub struct Timeline {
    /// Product name.
    pub product: Option<String>,
    /// The date the current period is taken from.
    pub today: String,
    /// Quarter or month.
    pub unit: Unit,
    /// Column labels, in order.
    pub periods: Vec<String>,
    /// The column holding today, if shown.
    pub current: Option<String>,
    /// Dated themes in horizon order (dropped themes are not shown).
    pub rows: Vec<TimelineRow>,
    /// Undated themes.
    pub buckets: Vec<BucketRow>,
    /// Whether internal themes were left out.
    pub external: bool,
}

impl Timeline {
    /// Refines each row's health with its theme's forecast: `misses(id)` says whether the
    /// forecast has it missing its horizon (see [`Health::with_forecast`]).
    #[must_use]
    pub fn with_forecasts(mut self, misses: impl Fn(&str) -> Option<bool>) -> Timeline {
        for row in &mut self.rows {
            if let Some(m) = misses(&row.id) {
                row.health = row.health.with_forecast(m);
            }
        }
        self
    }
}

fn period_of(date: Date, unit: Unit) -> Period {
    Period::of(
        date,
        match unit {
            Unit::Quarter => PeriodUnit::Quarter,
            Unit::Month => PeriodUnit::Month,
        },
    )
}

/// Builds the timeline; `external` leaves out internal themes.
pub fn timeline(a: &Analysis<'_>, external: bool) -> Timeline {
    let plan = a.plan;
    let mut order: Vec<usize> = (0..plan.themes.len())
        .filter(|&t| plan.themes[t].status() != Some(ThemeStatus::Dropped))
        .filter(|&t| !(external && plan.themes[t].visibility == Visibility::Internal))
        .collect();
    order.sort_by(|&x, &y| by_horizon(&plan.themes[x], &plan.themes[y]));

    let dated: Vec<(usize, Date, Date)> = order
        .iter()
        .filter_map(|&t| {
            plan.themes[t]
                .horizon
                .as_ref()
                .and_then(|h| h.value.dates())
                .map(|(s, e)| (t, s, e))
        })
        .collect();
    let first = dated
        .iter()
        .map(|d| d.1)
        .min()
        .map_or(a.today, |d| d.min(a.today));
    let last = dated
        .iter()
        .map(|d| d.2)
        .max()
        .map_or(a.today, |d| d.max(a.today));
    let unit = if first.days_until(last) <= 183 {
        Unit::Month
    } else {
        Unit::Quarter
    };

    // All periods from first to last, then cut to MAX_PERIODS around today.
    let mut periods = Vec::new();
    let mut p = period_of(first, unit);
    let end = period_of(last, unit);
    while p <= end && periods.len() < 10 * MAX_PERIODS {
        periods.push(p);
        let Some(next) = p.next() else { break };
        p = next;
    }
    let today_period = period_of(a.today, unit);
    if periods.len() > MAX_PERIODS {
        let at = periods.iter().position(|&x| x == today_period).unwrap_or(0);
        let from = at
            .saturating_sub(MAX_PERIODS / 4)
            .min(periods.len() - MAX_PERIODS);
        periods = periods[from..from + MAX_PERIODS].to_vec();
    }

    // Ongoing themes run across whatever the dated ones span.
    let (window_start, window_end) = match (periods.first(), periods.last()) {
        (Some(a), Some(b)) => (a.start(), b.end()),
        _ => (first, last),
    };
    let ongoing = order.iter().filter_map(|&t| {
        let h = plan.themes[t].horizon.as_ref()?.value;
        (h == Horizon::Ongoing).then_some((t, window_start, window_end))
    });
    let placed: Vec<(usize, Date, Date)> = dated.iter().copied().chain(ongoing).collect();
    let shown: Vec<usize> = placed.iter().map(|p| p.0).collect();
    // Each theme beneath its initiative, in the order of their horizons.
    let rows = super::tree_order(plan, &shown)
        .into_iter()
        .filter_map(|(t, depth)| placed.iter().find(|p| p.0 == t).map(|&p| (p, depth)))
        .map(|((t, start, end), depth)| {
            let theme = &plan.themes[t];
            TimelineRow {
                parent: theme
                    .parent
                    .as_ref()
                    .filter(|_| depth > 0)
                    .map(|p| p.value.clone()),
                depth,
                id: theme.id.value.clone(),
                title: theme.display_title(),
                status: status_of(theme),
                horizon: horizon_of(theme),
                start: start.to_string(),
                end: end.to_string(),
                progress: a.rollups[t].fraction(),
                health: health::health(theme, &a.rollups[t], a.today, &plan.config),
                open: theme.horizon.as_ref().map(|h| h.value) == Some(Horizon::Ongoing),
                cells: periods
                    .iter()
                    .map(|p| p.start() <= end && start <= p.end())
                    .collect(),
            }
        })
        .collect();
    let buckets = order
        .iter()
        .filter_map(|&t| {
            let theme = &plan.themes[t];
            let bucket = match theme.horizon.as_ref().map(|h| h.value) {
                Some(Horizon::Dated { .. } | Horizon::Ongoing) => return None,
                Some(Horizon::Bucket(_)) => horizon_of(theme).unwrap_or_default(),
                None => "undated".to_string(),
            };
            Some(BucketRow {
                bucket,
                id: theme.id.value.clone(),
                title: theme.display_title(),
                status: status_of(theme),
                progress: a.rollups[t].fraction(),
            })
        })
        .collect();
    Timeline {
        product: plan.config.product.clone(),
        today: a.today.to_string(),
        unit,
        current: periods
            .contains(&today_period)
            .then(|| today_period.to_string()),
        periods: periods.iter().map(ToString::to_string).collect(),
        rows,
        buckets,
        external,
    }
}
