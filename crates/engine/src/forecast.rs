//! When each theme will be done, from what the team finished in the plan's own history.
//!
//! - [`throughput`]: the commit-by-commit walk's bookkeeping: when each item was done;
//! - [`window`]: the weeks a forecast learns from: what was finished and what arrived, per theme;
//! - [`work`]: the options, and each theme's work as a run sees it;
//! - [`sim`]: the Monte Carlo runs; [`outlook`]: what they say of a theme;
//! - [`scenario`]: what-if changes to the plan or the team;
//! - [`backtest`]: past forecasts replayed against what happened;
//! - [`calibrate`]: how often they came true, and today's dates moved to hold at that rate.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

pub mod backtest;
pub mod calibrate;
#[cfg(test)]
mod calibration_tests;
pub mod outlook;
pub mod scenario;
pub mod sim;
#[cfg(test)]
mod tests;
pub mod throughput;
pub mod window;
pub mod work;

use serde::Serialize;

pub use backtest::Backtest;
pub use calibrate::Calibration;
pub use outlook::{Outlook, Verdict};
pub use scenario::Scenario;
pub use sim::Model;
pub use throughput::{History, ItemState, Tracker};
pub use window::Window;
pub use work::{DEFAULT_SEED, MIN_WEEKS, Options, attribution, renamed_themes};

use crate::model::ProgressBy;
use crate::report::Analysis;
use crate::time::Date;
use work::{Work, lacking, ranked};

/// A theme's forecast.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThemeForecast {
    /// Theme id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its horizon as written.
    pub horizon: Option<String>,
    /// The horizon's last day.
    pub horizon_end: Option<String>,
    /// Open leaves weighed by `default_estimate` for want of an estimate.
    pub unestimated: usize,
    /// Leaf weight that arrived a week in the window, on average (0 with `--no-growth`).
    pub growth: f64,
    /// The forecast as the plan stands.
    #[serde(flatten)]
    pub outlook: Outlook,
    /// The forecast with the scenario applied, when one is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Outlook>,
    /// Days the scenario moves the p85 (later is positive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p85_moves: Option<i64>,
}

/// One week of the team's throughput.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WeekView {
    /// Its first day.
    pub start: String,
    /// Weight finished.
    pub done: f64,
}

/// The throughput a forecast learned from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Throughput {
    /// Each week of the window the history covers, oldest first.
    pub weeks: Vec<WeekView>,
    /// Mean weight finished a week.
    pub mean: f64,
    /// What throughput is weighed by: `count` or `estimate`.
    pub unit: &'static str,
}

/// `roadlog forecast`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForecastReport {
    /// The date forecast from.
    pub today: String,
    /// Weeks of history asked for.
    pub window_weeks: u32,
    /// Trials run.
    pub trials: u32,
    /// The seed.
    pub seed: u64,
    /// `theme`, `share` or `rank`.
    pub model: &'static str,
    /// Whether scope growth is included.
    pub growth: bool,
    /// Whether calibration was asked for (not `--no-calibrate`).
    pub calibrate: bool,
    /// What was learned from.
    pub throughput: Throughput,
    /// Why nothing could be forecast, when that holds for every theme.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The scenario, as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<scenario::Described>,
    /// Each theme not dropped, in rank order.
    pub themes: Vec<ThemeForecast>,
    /// How often this plan's past forecasts came true, and whether the dates are calibrated;
    /// `null` without history to replay.
    pub calibration: Option<Calibration>,
    /// Past forecasts against what happened, with `--backtest`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backtest: Option<Backtest>,
    /// The past forecasts replayed, for a backtest.
    #[serde(skip)]
    pub replayed: Vec<backtest::Replayed>,
}

/// Forecasts every theme not dropped from `history` (or says why it cannot: `Err` is the
/// reason), with `scenario` set beside the baseline when given.
pub fn forecast(
    a: &Analysis<'_>,
    history: Result<&History, String>,
    opts: &Options,
    scenario: Option<&Scenario>,
) -> ForecastReport {
    let plan = a.plan;
    let leaves = attribution(a);
    let empty = History::default();
    let known = history.is_ok();
    let (h, mut reason) = match history {
        Ok(h) => (h, None),
        Err(why) => (&empty, Some(why)),
    };
    let window = Window::read(h, a.today, opts.window, &leaves);
    if reason.is_none() {
        reason = lacking(&window);
    }
    // The plan's own past forecasts, replayed, say how far to trust today's.
    let replayed = if known && opts.calibrate {
        backtest::replay(h, opts)
    } else {
        Vec::new()
    };
    let past: Vec<calibrate::Past> = replayed.iter().map(|r| r.past.clone()).collect();
    let (calibration, sample) = if known {
        let (c, s) = Calibration::of(&past, a.today, opts.calibrate);
        (Some(c), s)
    } else {
        (None, calibrate::Sample::default())
    };
    let adjust = calibration
        .as_ref()
        .is_some_and(|c| c.adjusted)
        .then_some(&sample);
    let order = ranked(a);
    let base = Work::new(a, &order);
    let outlooks = |work: &Work, capacity: f64| -> Vec<Outlook> {
        let runs = if reason.is_none() {
            work.run(&window, opts, capacity)
        } else {
            vec![None; work.keys.len()]
        };
        runs.iter()
            .enumerate()
            .map(|(k, out)| {
                let learned = (&window, reason.as_deref(), opts.model);
                outlook(work, k, out.as_ref(), learned, a.today, adjust)
            })
            .collect()
    };
    let baseline = outlooks(&base, 1.0);
    let scenario_outlooks = scenario.map(|s| outlooks(&s.apply(a, base.clone()), s.capacity));
    let themes = order
        .iter()
        .enumerate()
        .map(|(k, &t)| {
            let theme = &plan.themes[t];
            let outlook = baseline[k].clone();
            let after = scenario_outlooks.as_ref().map(|o| o[k].clone());
            let p85_moves = after.as_ref().and_then(|s| {
                let (Some(b), Some(s)) = (&outlook.p85, &s.p85) else {
                    return None;
                };
                let (b, s): (Date, Date) = (b.parse().ok()?, s.parse().ok()?);
                Some(b.days_until(s))
            });
            ThemeForecast {
                id: theme.id.value.clone(),
                title: theme.display_title(),
                horizon: theme.horizon.as_ref().map(|h| h.value.to_string()),
                horizon_end: base.horizon_end[k].map(|d| d.to_string()),
                unestimated: base.unestimated[k],
                growth: if opts.growth {
                    window.growth(&base.keys[k])
                } else {
                    0.0
                },
                outlook,
                scenario: after,
                p85_moves,
            }
        })
        .collect();
    let mean = match window.len() {
        0 => 0.0,
        n => window.total() / f64::from(n),
    };
    ForecastReport {
        today: a.today.to_string(),
        window_weeks: opts.window,
        trials: opts.trials,
        seed: opts.seed,
        model: opts.model.as_str(),
        growth: opts.growth,
        calibrate: opts.calibrate,
        throughput: Throughput {
            weeks: window
                .starts
                .iter()
                .zip(&window.done)
                .map(|(s, &d)| WeekView {
                    start: s.to_string(),
                    done: d,
                })
                .collect(),
            mean,
            unit: match plan.config.progress_by {
                ProgressBy::Count => "count",
                ProgressBy::Estimate => "estimate",
            },
        },
        reason,
        scenario: scenario.map(|s| s.describe(plan)),
        themes,
        calibration,
        backtest: None,
        replayed,
    }
}

/// The outlook of slot `k` of `work` from its outcomes (`None`: not run), against the window it
/// learned from, the reason there is no forecast at all (if there is one) and the model.
fn outlook(
    work: &Work,
    k: usize,
    out: Option<&sim::Outcomes>,
    (window, reason, model): (&Window, Option<&str>, sim::Model),
    today: Date,
    adjust: Option<&calibrate::Sample>,
) -> Outlook {
    let remaining = work.remaining[k];
    if work.finished(k) {
        return Outlook::without(remaining, Verdict::Done, None);
    }
    if remaining <= 0.0 {
        let why = "nothing in the backlog serves it yet, so there is no work to forecast";
        return Outlook::without(remaining, Verdict::NoForecast, Some(why.into()));
    }
    if let Some(why) = reason {
        return Outlook::without(remaining, Verdict::NoForecast, Some(why.to_string()));
    }
    let Some(out) = out else {
        let weeks = work.own_weeks(window, k);
        let why = (model == sim::Model::Theme && weeks < MIN_WEEKS).then(|| {
            format!(
                "it has {} of history of its own, and {MIN_WEEKS} are needed to forecast it \
                 from its own pace",
                crate::diag::count(weeks as usize, "week")
            )
        });
        return Outlook::without(remaining, Verdict::NoForecast, why);
    };
    let mut o = Outlook::from_outcomes(remaining, out, today, work.horizon_end[k], adjust);
    if o.p95.is_none() {
        let key = &work.keys[k];
        let weeks = crate::diag::count(window.len() as usize, "week");
        let idle = model == sim::Model::Theme && window.theme_total(key) <= 0.0;
        o.reason = Some(if idle {
            format!(
                "nothing serving it was finished in the last {weeks}: at the pace its own history \
                 shows there is no finish in sight"
            )
        } else {
            "work arrives under it about as fast as it is finished: no finish in sight within \
             ten years"
                .to_string()
        });
    }
    o
}

/// How a change moves one theme's forecast.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Move {
    /// Theme id.
    pub id: String,
    /// Its title after the change.
    pub title: String,
    /// The p85 before the change (`null` for a new theme, or none).
    pub p85_before: Option<String>,
    /// The p85 after it.
    pub p85_after: Option<String>,
    /// Days the p85 moves (later is positive), when both sides have one.
    pub moves: Option<i64>,
    /// The verdict before (`null` for a new theme).
    pub verdict_before: Option<Verdict>,
    /// The verdict after.
    pub verdict_after: Verdict,
}

/// What a change does to the forecast: each theme whose p85 or verdict moves, or why there is
/// no forecast to compare.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Change {
    /// Themes whose forecast moved, in the head's rank order.
    pub moves: Vec<Move>,
    /// Why nothing could be forecast, when that is so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The themes of `after` whose p85 or verdict differs from `before`.
pub fn moves(before: &ForecastReport, after: &ForecastReport) -> Change {
    let moves = after
        .themes
        .iter()
        .filter_map(|t| {
            let old = before.themes.iter().find(|b| b.id == t.id);
            let p85_before = old.and_then(|b| b.outlook.p85.clone());
            let verdict_before = old.map(|b| b.outlook.verdict);
            if p85_before == t.outlook.p85 && verdict_before == Some(t.outlook.verdict) {
                return None;
            }
            let day = |s: &Option<String>| s.as_deref().and_then(|s| s.parse::<Date>().ok());
            let moves = match (day(&p85_before), day(&t.outlook.p85)) {
                (Some(b), Some(a)) => Some(b.days_until(a)),
                _ => None,
            };
            Some(Move {
                id: t.id.clone(),
                title: t.title.clone(),
                p85_before,
                p85_after: t.outlook.p85.clone(),
                moves,
                verdict_before,
                verdict_after: t.outlook.verdict,
            })
        })
        .collect();
    Change {
        moves,
        reason: after.reason.clone(),
    }
}
