//! Past forecasts replayed against what happened: from the plan as it stood every four weeks
//! over the last year, with the throughput known then, and each theme's real finish since.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use serde::Serialize;

use super::sim;
use super::throughput::History;
use super::window::Window;
use super::work::{Options, attribution, lacking, ranked, weigher};
use crate::report::Analysis;
use crate::time::Date;

/// Weeks between replayed forecasts.
pub const EVERY_WEEKS: u32 = 4;
/// How many are replayed at most: a year.
pub const POINTS: u32 = 13;
/// Trials per replayed forecast at most: thirteen runs of 10,000 would take a while, and
/// 2,000 place a percentile within about a percent.
pub const TRIALS: u32 = 2_000;

/// How past forecasts fared.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Backtest {
    /// Weeks between replayed forecasts.
    pub every_weeks: u32,
    /// Trials per replayed forecast.
    pub trials: u32,
    /// Theme forecasts replayed.
    pub forecasts: usize,
    /// Those whose outcome is known: finished, or not finished by their p85.
    pub resolved: usize,
    /// Resolved forecasts whose theme finished by the p85.
    pub hits: usize,
    /// Hits over resolved.
    pub hit_rate: Option<f64>,
    /// Median of |finish − p50| in days, over the themes that finished.
    pub median_error_days: Option<i64>,
    /// Median of finish − p50 in days (later is positive): whether forecasts run early or late.
    pub median_bias_days: Option<i64>,
    /// Each replayed forecast.
    pub points: Vec<Point>,
}

/// One replayed forecast of one theme.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Point {
    /// The date forecast from.
    pub as_of: String,
    /// Theme id.
    pub theme: String,
    /// The forecast's p50.
    pub p50: Option<String>,
    /// The forecast's p85.
    pub p85: Option<String>,
    /// When the theme's leaves were all done, if they have been since.
    pub finished: Option<String>,
    /// `hit` (finished by the p85), `miss`, or `open` (not finished, p85 not passed).
    pub outcome: &'static str,
}

/// The dates forecasts are replayed from, for the walk to take snapshots at.
pub fn marks(today: Date) -> Vec<Date> {
    (1..=i64::from(POINTS))
        .map(|k| today.plus_days(-7 * i64::from(EVERY_WEEKS) * k))
        .collect()
}

/// Replays a forecast from each snapshot in `history` that has enough history before it.
pub fn backtest(a: &Analysis<'_>, history: &History, opts: &Options) -> Backtest {
    let attribution = attribution(a);
    let order = ranked(a);
    let mut points = Vec::new();
    let mut errors = Vec::new();
    let mut snapshots: Vec<_> = history.snapshots.iter().collect();
    snapshots.sort_by_key(|s| s.date);
    for snap in snapshots {
        let window = Window::read(
            history,
            snap.date,
            opts.window,
            &attribution,
            weigher(a.plan, a),
        );
        if lacking(&window, opts.window).is_some() {
            continue;
        }
        let themes: Vec<usize> = order
            .iter()
            .copied()
            .filter(|t| snap.open.contains_key(t))
            .collect();
        let lanes: Vec<sim::Lane> = themes
            .iter()
            .map(|&t| sim::Lane {
                remaining: snap.open[&t],
                growth: if opts.growth { window.growth(t) } else { 0.0 },
                share: window.by_theme.get(&t).copied().unwrap_or(0.0),
            })
            .collect();
        let outcomes = sim::run(&sim::Setup {
            lanes: &lanes,
            weeks: &window.done,
            capacity: 1.0,
            model: opts.model,
            trials: opts.trials.min(TRIALS),
            seed: opts.seed,
        });
        for (&t, out) in themes.iter().zip(&outcomes) {
            let day = |q: f64| out.percentile(q).map(|d| snap.date.plus_days(i64::from(d)));
            let (p50, p85) = (day(0.5), day(0.85));
            let finished = history.finishes(t).find(|&f| f > snap.date);
            let outcome = match (finished, p85) {
                (Some(f), Some(p)) if f > p => "miss",
                (Some(_), _) => "hit",
                (None, Some(p)) if p < a.today => "miss",
                (None, _) => "open",
            };
            if let (Some(f), Some(p)) = (finished, p50) {
                errors.push(p.days_until(f));
            }
            points.push(Point {
                as_of: snap.date.to_string(),
                theme: a.plan.themes[t].id.value.clone(),
                p50: p50.map(|d| d.to_string()),
                p85: p85.map(|d| d.to_string()),
                finished: finished.map(|d| d.to_string()),
                outcome,
            });
        }
    }
    let resolved = points.iter().filter(|p| p.outcome != "open").count();
    let hits = points.iter().filter(|p| p.outcome == "hit").count();
    #[allow(clippy::cast_precision_loss)]
    let hit_rate = (resolved > 0).then(|| hits as f64 / resolved as f64);
    let mut absolute: Vec<i64> = errors.iter().map(|e| e.abs()).collect();
    Backtest {
        every_weeks: EVERY_WEEKS,
        trials: opts.trials.min(TRIALS),
        forecasts: points.len(),
        resolved,
        hits,
        hit_rate,
        median_error_days: median(&mut absolute),
        median_bias_days: median(&mut errors),
        points,
    }
}

/// The median, the lower of the middle two for an even count.
fn median(values: &mut [i64]) -> Option<i64> {
    values.sort_unstable();
    let n = values.len();
    (n > 0).then(|| values[(n - 1) / 2])
}
