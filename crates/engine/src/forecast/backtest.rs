//! Past forecasts replayed against what happened: at each past point, the forecast
//! `roadlog forecast --rev <that commit> --today <that day>` would have printed (the plan as it
//! stood then, its leaves, themes and scope, with only the history known then), scored on the
//! first day its theme had no open leaf, arrivals included.

use serde::Serialize;

use super::calibrate::{self, LevelView, Past, Sample};
use super::throughput::History;
use super::window::Window;
use super::work::{Options, Work, lacking};
use crate::time::Date;

/// Weeks between replayed forecasts.
pub(crate) const EVERY_WEEKS: u32 = 4;
/// How many are replayed at most: two years.
pub const POINTS: u32 = 26;
/// Trials per replayed forecast at most: 2,000 place a percentile within about a percent.
pub const TRIALS: u32 = 2_000;

/// One replayed forecast of one theme.
#[derive(Clone, Debug, PartialEq)]
pub struct Replayed {
    /// The theme, by its id today.
    pub theme: String,
    /// Its open weight as the plan stood then.
    pub remaining: f64,
    /// The forecast and what became of it.
    pub past: Past,
}

/// The dates forecasts are replayed from, for the walk to take snapshots at.
pub fn marks(today: Date) -> Vec<Date> {
    (1..=i64::from(POINTS))
        .map(|k| today.plus_days(-7 * i64::from(EVERY_WEEKS) * k))
        .collect()
}

/// Replays a forecast from each snapshot in `history` that has enough history before it.
pub fn replay(history: &History, opts: &Options) -> Vec<Replayed> {
    let mut snapshots: Vec<_> = history.snapshots.iter().collect();
    snapshots.sort_by_key(|s| s.date);
    let opts = Options {
        trials: opts.trials.min(TRIALS),
        ..*opts
    };
    let mut replayed = Vec::new();
    for snap in snapshots {
        let window = Window::read(history, snap.date, opts.window, &snap.leaves);
        if lacking(&window).is_some() {
            continue;
        }
        let work = Work::at(snap);
        for (k, out) in work.run(&window, &opts, 1.0).into_iter().enumerate() {
            let Some(outcomes) = out else { continue };
            let theme = work.keys[k].clone();
            let finished = history.finished_after(&theme, snap.date);
            replayed.push(Replayed {
                theme,
                remaining: work.remaining[k],
                past: Past {
                    as_of: snap.date,
                    outcomes,
                    finished,
                },
            });
        }
    }
    replayed
}

/// How past forecasts fared.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Backtest {
    /// Weeks between replayed forecasts.
    pub every_weeks: u32,
    /// Trials per replayed forecast.
    pub trials: u32,
    /// Theme forecasts replayed.
    pub forecasts: usize,
    /// Those whose p85 is known to have held or not: finished, or open past it.
    pub resolved: usize,
    /// Resolved forecasts whose theme finished by the p85.
    pub hits: usize,
    /// Hits over resolved.
    pub hit_rate: Option<f64>,
    /// Median of |finish − p50| in days, a theme still open past its p50 counting as late by
    /// at least today − p50.
    pub median_error_days: Option<i64>,
    /// Median of finish − p50 in days (later is positive), counted the same way.
    pub median_bias_days: Option<i64>,
    /// Stated level against how often the raw dates held.
    pub levels: Vec<LevelView>,
    /// The same for the calibrated dates, each computed only from forecasts resolved before
    /// it was made (points without enough of them are left out).
    pub calibrated: Vec<LevelView>,
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
    /// Its open weight as the plan stood then.
    pub remaining: f64,
    /// The forecast's p50, p85 and p95.
    pub p50: Option<String>,
    /// The p85.
    pub p85: Option<String>,
    /// The p95.
    pub p95: Option<String>,
    /// The first day after it with no open leaf under the theme, if it has come.
    pub finished: Option<String>,
    /// `hit` (finished by the p85), `miss`, or `open` (not finished, p85 not passed).
    pub outcome: &'static str,
    /// The calibrated p85, from the forecasts resolved before this one was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibrated_p85: Option<String>,
    /// The calibrated p85's outcome.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibrated_outcome: Option<&'static str>,
}

fn outcome(held: Option<bool>) -> &'static str {
    match held {
        Some(true) => "hit",
        Some(false) => "miss",
        None => "open",
    }
}

impl Backtest {
    /// The backtest of `replayed` as known on `today`.
    pub fn of(replayed: &[Replayed], today: Date, trials: u32) -> Backtest {
        let past: Vec<Past> = replayed.iter().map(|r| r.past.clone()).collect();
        // The calibrated level-q date of each past forecast, from the forecasts before it.
        let calibrated = |p: &Past, q: f64| {
            let sample = Sample::on(&past, p.as_of);
            sample.adjusts().then(|| {
                calibrate::calibrated_day(&p.outcomes, &sample, q)
                    .map(|d| p.as_of.plus_days(i64::from(d)))
            })
        };
        let mut points = Vec::new();
        let mut errors = Vec::new();
        for r in replayed {
            let p = &r.past;
            let (p50, p85, p95) = (p.raw(0.5), p.raw(0.85), p.raw(0.95));
            match (p.finished.filter(|&f| f <= today), p50) {
                (Some(f), Some(m)) => errors.push(m.days_until(f)),
                (None, Some(m)) if m < today => errors.push(m.days_until(today)),
                _ => {}
            }
            let cal = calibrated(p, 0.85);
            points.push(Point {
                as_of: p.as_of.to_string(),
                theme: r.theme.clone(),
                remaining: r.remaining,
                p50: p50.map(|d| d.to_string()),
                p85: p85.map(|d| d.to_string()),
                p95: p95.map(|d| d.to_string()),
                finished: p.finished.filter(|&f| f <= today).map(|d| d.to_string()),
                outcome: outcome(p.held(p85, today)),
                calibrated_p85: cal.flatten().map(|d| d.to_string()),
                calibrated_outcome: cal.map(|d| outcome(p.held(d, today))),
            });
        }
        let levels: Vec<LevelView> = calibrate::LEVELS
            .iter()
            .map(|&q| calibrate::record(past.iter().map(|p| p.held(p.raw(q), today)), q))
            .collect();
        let calibrated_levels = calibrate::LEVELS
            .iter()
            .map(|&q| {
                calibrate::record(
                    past.iter()
                        .filter_map(|p| calibrated(p, q).map(|d| p.held(d, today))),
                    q,
                )
            })
            .collect();
        let p85 = levels
            .iter()
            .find(|l| (l.level - 0.85).abs() < 1e-9)
            .cloned()
            .unwrap_or(LevelView {
                level: 0.85,
                observed: None,
                hits: 0,
                of: 0,
            });
        let mut absolute: Vec<i64> = errors.iter().map(|e| e.abs()).collect();
        Backtest {
            every_weeks: EVERY_WEEKS,
            trials,
            forecasts: points.len(),
            resolved: p85.of,
            hits: p85.hits,
            hit_rate: p85.observed,
            median_error_days: median(&mut absolute),
            median_bias_days: median(&mut errors),
            levels,
            calibrated: calibrated_levels,
            points,
        }
    }
}

/// The median, the lower of the middle two for an even count.
fn median(values: &mut [i64]) -> Option<i64> {
    values.sort_unstable();
    let n = values.len();
    (n > 0).then(|| values.get((n - 1) / 2).copied()).flatten()
}
