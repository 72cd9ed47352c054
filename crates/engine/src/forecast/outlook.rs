//! What a forecast says of one theme: its dates, its chance of making the horizon, a verdict.

use serde::Serialize;

use super::calibrate::{self, Sample};
use super::sim;
use crate::time::Date;

/// A forecast's verdict on one theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// At least 85% of trials finish by the horizon's end.
    Likely,
    /// 50% to 85%.
    AtRisk,
    /// Below 50%.
    Unlikely,
    /// Nothing left to do.
    Done,
    /// Dated, but with no end to measure against (`now`, `next`, `later`, or no horizon).
    Undated,
    /// No dates can be given honestly; `reason` says why.
    NoForecast,
}

impl Verdict {
    /// The name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Likely => "likely",
            Verdict::AtRisk => "at-risk",
            Verdict::Unlikely => "unlikely",
            Verdict::Done => "done",
            Verdict::Undated => "undated",
            Verdict::NoForecast => "no-forecast",
        }
    }

    /// Whether the theme may miss its horizon.
    pub fn is_at_risk(self) -> bool {
        matches!(self, Verdict::AtRisk | Verdict::Unlikely)
    }
}

/// One outlook for a theme: the dates and the chance of making the horizon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outlook {
    /// Weight left to do.
    pub remaining: f64,
    /// Half the trials finish by this day.
    pub p50: Option<String>,
    /// 85% of trials finish by this day.
    pub p85: Option<String>,
    /// 95% of trials finish by this day.
    pub p95: Option<String>,
    /// The fraction of trials finishing by the horizon's end.
    pub p_by_horizon_end: Option<f64>,
    /// The verdict.
    pub verdict: Verdict,
    /// Why there are no dates, or why one is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Outlook {
    /// An outlook without dates.
    pub(crate) fn without(remaining: f64, verdict: Verdict, reason: Option<String>) -> Outlook {
        Outlook {
            remaining,
            p50: None,
            p85: None,
            p95: None,
            p_by_horizon_end: None,
            verdict,
            reason,
        }
    }

    /// The outlook a run's outcomes give, from `today` against the horizon's `end`; with a
    /// calibration `sample`, its dates and chance are the calibrated ones.
    pub(crate) fn from_outcomes(
        remaining: f64,
        out: &sim::Outcomes,
        today: Date,
        end: Option<Date>,
        sample: Option<&Sample>,
    ) -> Outlook {
        // Without a p50 there is nothing to calibrate: the raw simulation stands.
        let sample = sample.filter(|_| out.percentile(0.5).is_some());
        let day = |q: f64| {
            match sample {
                Some(s) => calibrate::calibrated_day(out, s, q),
                None => out.percentile(q),
            }
            .map(|d| today.plus_days(i64::from(d)).to_string())
        };
        let p_by = end.map(|e| {
            let days = today.days_until(e);
            match sample.and_then(|s| Some(s.chance(calibrate::score(out, days)?))) {
                Some(chance) => chance,
                None => out.by(days),
            }
        });
        let verdict = match p_by {
            None => Verdict::Undated,
            Some(p) if p >= 0.85 => Verdict::Likely,
            Some(p) if p >= 0.5 => Verdict::AtRisk,
            Some(_) => Verdict::Unlikely,
        };
        Outlook {
            remaining,
            p50: day(0.5),
            p85: day(0.85),
            p95: day(0.95),
            p_by_horizon_end: p_by,
            verdict,
            reason: None,
        }
    }
}
