//! Calibration on the plan's own past: how often past forecasts' dates came true, and today's
//! dates moved so that they would have held at their stated rates.
//!
//! Each replayed forecast is a simulated distribution of finishing days; where its theme has
//! finished since, the share of its trials that finished by the real day (its PIT value, `z`)
//! says where reality fell in it: forecasts that hold their promises give `z` spread evenly
//! from 0 to 1. A finish later than every trial is beyond 1, by how far it overran the latest
//! trial. A theme still open is late by at least the days since its forecast: its `z` is at
//! least that day's, and it is counted once that is past its p50.
//!
//! Today's level-`q` date is then the simulated day at the `q`-quantile of the past `z` values
//! rather than at `q` itself: conformal-style, it widens (or shifts) the simulated distribution
//! just as far as the plan's own history says it must. Every value is computed only from
//! forecasts made and resolved before the day it serves, so a replay that scores the
//! calibration never peeks at what came after.

use serde::Serialize;

use super::sim::Outcomes;
use crate::time::Date;

/// The levels calibrated and reported.
pub const LEVELS: [f64; 3] = [0.5, 0.85, 0.95];

/// Fewer resolved past forecasts than this give no adjustment: the raw dates are shown.
pub const MIN_RESOLVED: usize = 10;

/// One past forecast of one theme, for calibration.
#[derive(Clone, Debug, PartialEq)]
pub struct Past {
    /// The day it was made.
    pub as_of: Date,
    /// Its simulated finishing days (from `as_of`).
    pub outcomes: Outcomes,
    /// The first day after `as_of` its theme had no open leaf, if it has come.
    pub finished: Option<Date>,
}

impl Past {
    /// Where `day` falls in this forecast's distribution.
    fn z_at(&self, day: Date) -> f64 {
        z_of(&self.outcomes, self.as_of.days_until(day))
    }

    /// Its `z` as known on `on`: exact when its theme finished by then; a lower bound while it is
    /// open and past its p50; `None` before either.
    pub fn z_known(&self, on: Date) -> Option<f64> {
        if on <= self.as_of {
            return None;
        }
        match self.finished {
            Some(f) if f <= on => Some(self.z_at(f)),
            _ => Some(self.z_at(on)).filter(|&z| z >= 0.5),
        }
    }

    /// Whether its level-`q` date held, as known on `on`: `Some(true)` when it finished by then,
    /// `Some(false)` when it did not finish by a date that has passed, `None` while open.
    pub fn held(&self, day: Option<Date>, on: Date) -> Option<bool> {
        match (self.finished.filter(|&f| f <= on), day) {
            (Some(f), Some(d)) => Some(f <= d),
            (Some(_), None) => Some(true),
            (None, Some(d)) if d < on => Some(false),
            (None, _) => None,
        }
    }

    /// Its raw level-`q` date.
    pub fn raw(&self, q: f64) -> Option<Date> {
        self.outcomes
            .percentile(q)
            .map(|d| self.as_of.plus_days(i64::from(d)))
    }
}

/// The share of trials finished by `days` after the start, and beyond 1 by how far past the
/// latest trial when every trial finished before it.
pub fn z_of(out: &Outcomes, days: i64) -> f64 {
    let g = out.by(days);
    let all = out.trials > 0 && out.days.len() == out.trials as usize;
    match out.days.last() {
        Some(&max) if all && days > i64::from(max) && max > 0 => {
            #[allow(clippy::cast_precision_loss)]
            let beyond = (days - i64::from(max)) as f64 / f64::from(max);
            1.0 + beyond
        }
        _ => g,
    }
}

/// The day (from the start) at `z` in `out`'s distribution: its percentile within it, and
/// beyond its latest trial in proportion past 1. `None` where the trials do not reach it.
pub fn day_at(out: &Outcomes, z: f64) -> Option<u32> {
    if z <= 1.0 {
        return out.percentile(z.max(0.0));
    }
    let all = out.trials > 0 && out.days.len() == out.trials as usize;
    let max = *out.days.last().filter(|_| all)?;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let day = (f64::from(max) * z).ceil() as u32;
    Some(day)
}

/// The calibration of one day's forecasts: the past `z` values known that day.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Sample {
    z: Vec<f64>,
}

impl Sample {
    /// The `z` values of the forecasts of `past` made and resolved before `on`.
    pub fn on(past: &[Past], on: Date) -> Sample {
        let mut z: Vec<f64> = past.iter().filter_map(|p| p.z_known(on)).collect();
        z.sort_by(f64::total_cmp);
        Sample { z }
    }

    /// How many past forecasts it holds.
    pub fn len(&self) -> usize {
        self.z.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.z.is_empty()
    }

    /// Whether it holds enough to adjust by.
    pub fn adjusts(&self) -> bool {
        self.len() >= MIN_RESOLVED
    }

    /// The level of the simulated distribution that held `q` of the time on this plan.
    pub fn level(&self, q: f64) -> f64 {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let rank = ((q * self.z.len() as f64).ceil() as usize).max(1);
        self.z.get(rank - 1).copied().unwrap_or(q)
    }

    /// The calibrated chance of finishing by a day whose raw `z` is `z`: the share of past
    /// forecasts whose reality fell at or before it.
    pub fn chance(&self, z: f64) -> f64 {
        if self.z.is_empty() {
            return z.min(1.0);
        }
        #[allow(clippy::cast_precision_loss)]
        let held = self.z.partition_point(|&v| v <= z) as f64 / self.z.len() as f64;
        held
    }
}

/// How often past forecasts at one level came true.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LevelView {
    /// The stated level: 0.85 for the p85.
    pub level: f64,
    /// The share of resolved forecasts whose date held, `null` with none resolved.
    pub observed: Option<f64>,
    /// How many held.
    pub hits: usize,
    /// How many are resolved at this level.
    pub of: usize,
}

/// How often this plan's forecasts came true, and whether today's dates were adjusted for it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Calibration {
    /// Past forecasts resolved enough to calibrate by.
    pub resolved: usize,
    /// How often the raw dates came true, per level.
    pub levels: Vec<LevelView>,
    /// Whether the dates shown are the calibrated ones.
    pub adjusted: bool,
}

impl Calibration {
    /// The calibration of today's forecast from `past`: the raw levels' record, and whether
    /// `adjust` (not `--no-calibrate`) and enough resolved forecasts move today's dates.
    pub fn of(past: &[Past], today: Date, adjust: bool) -> (Calibration, Sample) {
        let sample = Sample::on(past, today);
        let levels = LEVELS
            .iter()
            .map(|&q| record(past.iter().map(|p| p.held(p.raw(q), today)), q))
            .collect();
        let calibration = Calibration {
            resolved: sample.len(),
            levels,
            adjusted: adjust && sample.adjusts(),
        };
        (calibration, sample)
    }

    /// The level view of `q`.
    pub fn level(&self, q: f64) -> Option<&LevelView> {
        self.levels.iter().find(|l| (l.level - q).abs() < 1e-9)
    }
}

/// Hits over resolved outcomes (`None` is not resolved yet).
pub fn record(outcomes: impl Iterator<Item = Option<bool>>, level: f64) -> LevelView {
    let (mut hits, mut of) = (0, 0);
    for held in outcomes.flatten() {
        of += 1;
        hits += usize::from(held);
    }
    #[allow(clippy::cast_precision_loss)]
    let observed = (of > 0).then(|| hits as f64 / of as f64);
    LevelView {
        level,
        observed,
        hits,
        of,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(days: &[u32], trials: u32) -> Outcomes {
        Outcomes {
            days: days.to_vec(),
            trials,
        }
    }

    #[test]
    fn z_is_the_share_of_trials_by_the_day_and_runs_past_one_beyond_them() {
        let o = out(&[10, 20, 30, 40], 4);
        assert!((z_of(&o, 20) - 0.5).abs() < 1e-12);
        assert!((z_of(&o, 40) - 1.0).abs() < 1e-12);
        assert!((z_of(&o, 80) - 2.0).abs() < 1e-12, "twice the latest trial");
        assert_eq!(day_at(&o, 0.5), Some(20));
        assert_eq!(day_at(&o, 2.0), Some(80));
        // Trials that never finished: nothing is known past the last finish.
        let some = out(&[10, 20], 4);
        assert!((z_of(&some, 100) - 0.5).abs() < 1e-12);
        assert_eq!(day_at(&some, 0.75), None);
    }

    #[test]
    fn a_forecast_counts_once_finished_or_open_past_its_p50() {
        let day = |s: &str| s.parse::<Date>().expect("date");
        let p = Past {
            as_of: day("2025-01-01"),
            outcomes: out(&[10, 20, 30, 40], 4),
            finished: Some(day("2025-03-01")),
        };
        assert_eq!(p.z_known(day("2025-01-05")), None, "open, before its p50");
        assert!(
            p.z_known(day("2025-01-25")).is_some_and(|z| z >= 0.5),
            "open past p50"
        );
        assert!(
            p.z_known(day("2025-03-02")).is_some_and(|z| z > 1.0),
            "finished late"
        );
        assert_eq!(p.held(p.raw(0.85), day("2025-03-02")), Some(false));
    }

    #[test]
    fn the_level_that_held_is_the_quantile_of_past_z() {
        let s = Sample {
            z: (1..=20).map(|k| f64::from(k) / 10.0).collect(),
        };
        // Reality fell at 0.1, 0.2, …, 2.0: the 85th of 100 is the 17th of 20, 1.7.
        assert!((s.level(0.85) - 1.7).abs() < 1e-12);
        assert!((s.chance(1.0) - 0.5).abs() < 1e-12);
        assert!(s.adjusts());
    }
}
