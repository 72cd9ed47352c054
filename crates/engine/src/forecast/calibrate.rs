//! Calibration on the plan's own past: how often past forecasts' dates came true, and today's
//! dates moved so that they would have held at their stated rates.
//!
//! Each replayed forecast has a simulated median, its p50. Where its theme has finished since,
//! the days it really took over the days its p50 said (its score) tell how far off it was: 1 on
//! the day, 2 for twice as long. A theme still open has taken at least the days since, so its
//! score is at least that, and it is counted as censored there (Kaplan–Meier): leaving the
//! open ones out, or taking them as finished that day, would both make late themes look early,
//! since the late ones are the ones still open.
//!
//! Today's level-`q` date is then today's p50 times the `q`-quantile of the past scores:
//! conformal-style, it widens (or shifts) the simulated distribution just as far as the plan's
//! own history says it must. A score relative to the median, not a share of trials, keeps a
//! cautious forecast (whose trials often never finish) from pulling every other forecast early.
//! Every value is computed only from forecasts made and resolved before the day it serves, so
//! a replay that scores the calibration never peeks at what came after.

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
    /// The score of `day`: the days from the forecast to it over the days to its p50; `None`
    /// for a forecast without a p50 (it made no claim to measure against).
    fn score_at(&self, day: Date) -> Option<f64> {
        score(&self.outcomes, self.as_of.days_until(day))
    }

    /// Whether its level-`q` date held, as known on `on`: `Some(true)` when it finished by then,
    /// `Some(false)` when it did not finish by a date that has passed, `None` while open and for
    /// a forecast that gave no date at that level (it made no claim to score).
    pub fn held(&self, day: Option<Date>, on: Date) -> Option<bool> {
        let day = day?;
        match self.finished.filter(|&f| f <= on) {
            Some(f) => Some(f <= day),
            None if day < on => Some(false),
            None => None,
        }
    }

    /// Its raw level-`q` date.
    pub fn raw(&self, q: f64) -> Option<Date> {
        self.outcomes
            .percentile(q)
            .map(|d| self.as_of.plus_days(i64::from(d)))
    }
}

/// `days` over a forecast's p50 in days; `None` without a p50.
pub(crate) fn score(out: &Outcomes, days: i64) -> Option<f64> {
    let p50 = out.percentile(0.5)?;
    #[allow(clippy::cast_precision_loss)]
    let score = days as f64 / f64::from(p50.max(1));
    Some(score)
}

/// The calibrated level-`q` day (from the start) of `out`: its p50 times the level `sample`
/// gives; `None` without a p50.
pub(crate) fn calibrated_day(out: &Outcomes, sample: &Sample, q: f64) -> Option<u32> {
    let p50 = out.percentile(0.5)?;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let day = (f64::from(p50.max(1)) * sample.level(q)).ceil().max(1.0) as u32;
    Some(day)
}

/// The calibration of one day's forecasts: the score of each past forecast made before that
/// day, exact for those finished by then, at least that day's for those still open (censored).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Sample {
    /// (score, finished), sorted by score, a finish before a censoring at the same score.
    seen: Vec<(f64, bool)>,
    /// How many are resolved: finished, or open past their p50.
    resolved: usize,
}

impl Sample {
    /// What the forecasts of `past` made before `on` say as known on `on`.
    pub fn on(past: &[Past], on: Date) -> Sample {
        let mut seen = Vec::new();
        let mut resolved = 0;
        for p in past {
            if on <= p.as_of {
                continue;
            }
            match p.finished.filter(|&f| f <= on) {
                Some(f) => {
                    if let Some(score) = p.score_at(f) {
                        seen.push((score, true));
                        resolved += 1;
                    }
                }
                None => {
                    if let Some(score) = p.score_at(on) {
                        resolved += usize::from(score >= 1.0);
                        seen.push((score, false));
                    }
                }
            }
        }
        seen.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        Sample { seen, resolved }
    }

    /// How many past forecasts are resolved: finished, or open past their p50.
    pub fn len(&self) -> usize {
        self.resolved
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.resolved == 0
    }

    /// Whether enough are to adjust by.
    pub(crate) fn adjusts(&self) -> bool {
        self.len() >= MIN_RESOLVED
    }

    /// The estimated share of forecasts whose reality came at or before each finish seen, as
    /// (score, share), rising.
    fn steps(&self) -> Vec<(f64, f64)> {
        let mut at_risk = self.seen.len();
        let mut survive = 1.0;
        let mut steps = Vec::new();
        let mut k = 0;
        while k < self.seen.len() {
            let z = self.seen[k].0;
            let (mut events, mut gone) = (0usize, 0usize);
            while k < self.seen.len() && self.seen[k].0 == z {
                events += usize::from(self.seen[k].1);
                gone += 1;
                k += 1;
            }
            if events > 0 && at_risk > 0 {
                #[allow(clippy::cast_precision_loss)]
                let fall = events as f64 / at_risk as f64;
                survive *= 1.0 - fall;
                steps.push((z, 1.0 - survive));
            }
            at_risk -= gone;
        }
        steps
    }

    /// The multiple of the p50 that held `q` of the time on this plan; past the last finish
    /// seen, the farthest reality is known to have reached.
    pub fn level(&self, q: f64) -> f64 {
        let steps = self.steps();
        steps
            .iter()
            .find(|&&(_, share)| share >= q - 1e-12)
            .map(|&(z, _)| z)
            .or_else(|| self.seen.iter().map(|&(z, _)| z).reduce(f64::max))
            .unwrap_or(1.0)
    }

    /// The calibrated chance of finishing by a day whose score is `z`.
    pub fn chance(&self, z: f64) -> f64 {
        self.steps()
            .iter()
            .take_while(|&&(at, _)| at <= z)
            .last()
            .map_or(0.0, |&(_, share)| share)
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
    fn a_score_is_the_days_taken_over_the_p50() {
        let o = out(&[10, 20, 30, 40], 4);
        assert_eq!(score(&o, 40), Some(2.0));
        let s = Sample {
            seen: vec![(1.5, true); 10],
            resolved: 10,
        };
        assert_eq!(calibrated_day(&o, &s, 0.85), Some(30));
        assert_eq!(score(&out(&[10], 4), 40), None, "no p50: no claim");
    }

    #[test]
    fn a_forecast_counts_once_finished_or_open_past_its_p50() {
        let day = |s: &str| s.parse::<Date>().expect("date");
        let p = Past {
            as_of: day("2025-01-01"),
            outcomes: out(&[10, 20, 30, 40], 4),
            finished: Some(day("2025-03-01")),
        };
        let one = std::slice::from_ref(&p);
        assert_eq!(
            Sample::on(one, day("2025-01-05")).len(),
            0,
            "open, before its p50"
        );
        assert_eq!(
            Sample::on(one, day("2025-01-25")).len(),
            1,
            "open past its p50"
        );
        let late = Sample::on(one, day("2025-03-02"));
        assert!(late.level(0.5) > 2.0, "finished at three times its p50");
        assert_eq!(p.held(p.raw(0.85), day("2025-03-02")), Some(false));
    }

    #[test]
    fn open_forecasts_are_censored_not_dropped() {
        // Half finished at z = 0.5; the other half are still open, known to be past 0.6. The
        // 0.85 level lies beyond everything seen: the farthest known, 0.6, not 0.5.
        let mut seen: Vec<(f64, bool)> = vec![(0.5, true); 10];
        seen.extend(vec![(0.6, false); 10]);
        let s = Sample { seen, resolved: 20 };
        assert!((s.level(0.5) - 0.5).abs() < 1e-12);
        assert!((s.level(0.85) - 0.6).abs() < 1e-12);
        assert!((s.chance(0.55) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn the_level_that_held_is_the_quantile_of_past_scores() {
        let s = Sample {
            seen: (1..=20).map(|k| (f64::from(k) / 10.0, true)).collect(),
            resolved: 20,
        };
        // Reality fell at 0.1, 0.2, …, 2.0: the 85th of 100 is the 17th of 20, 1.7.
        assert!((s.level(0.85) - 1.7).abs() < 1e-12);
        assert!((s.chance(1.0) - 0.5).abs() < 1e-12);
        assert!(s.adjusts());
    }
}
