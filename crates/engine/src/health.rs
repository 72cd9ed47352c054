//! Theme health from dates and progress: review freshness, overdue, at risk. Shared by the rules
//! (`stale-theme`, `overdue-theme`) and the executive report, so both mean the same thing.

use serde::Serialize;

use crate::model::{Config, Theme, ThemeStatus};
use crate::progress::Rollup;
use crate::time::{Date, Horizon};

/// How far progress may trail the elapsed share of a dated horizon before a theme is at risk.
pub(crate) const AT_RISK_GAP: f64 = 0.25;

/// Where a theme's strategic review stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Review {
    /// Reviewed within the cadence.
    Fresh,
    /// No `reviewed` date.
    Never,
    /// Reviewed this many days ago, more than the cadence.
    Stale(i64),
    /// `reviewed:` is there but not a date; its own finding says so.
    Unreadable,
}

/// The review state of a theme on `today` with a cadence in days.
pub fn review(theme: &Theme, cadence_days: u32, today: Date) -> Review {
    match &theme.reviewed {
        None if theme.reviewed_unreadable => Review::Unreadable,
        None => Review::Never,
        Some(r) => {
            let age = r.value.days_until(today);
            if age > i64::from(cadence_days) {
                Review::Stale(age)
            } else {
                Review::Fresh
            }
        }
    }
}

/// The end of a theme's dated horizon, if it lies before `today`.
pub(crate) fn ended_before(theme: &Theme, today: Date) -> Option<Date> {
    let (_, end) = theme.horizon.as_ref()?.value.dates()?;
    (end < today).then_some(end)
}

/// The share of a dated horizon that has elapsed on `today`, from 0 to 1.
pub fn elapsed(theme: &Theme, today: Date) -> Option<f64> {
    let (start, end) = theme.horizon.as_ref()?.value.dates()?;
    #[allow(clippy::cast_precision_loss)]
    let share = (start.days_until(today) + 1) as f64 / (start.days_until(end) + 1) as f64;
    Some(share.clamp(0.0, 1.0))
}

/// A theme's health for executives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Health {
    /// The theme is done.
    Done,
    /// Its period ended (`closed`): neither done nor overdue.
    Closed,
    /// Its dated horizon ended and it is not complete.
    Overdue,
    /// Progress trails the elapsed share of its horizon by more than 25 points, or half the
    /// horizon has passed with no progress figure.
    AtRisk,
    /// None of the above.
    OnTrack,
    /// Not committed to dates: proposed, undated (`now`/`next`/`later`, none) or with a horizon
    /// that does not read. No health is earned before there is a schedule to keep.
    NotScheduled,
}

impl Health {
    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Done => "done",
            Health::Closed => "closed",
            Health::Overdue => "overdue",
            Health::AtRisk => "at-risk",
            Health::OnTrack => "on-track",
            Health::NotScheduled => "not-scheduled",
        }
    }
}

impl Health {
    /// The health once the forecast is known: a theme on track by its progress but forecast to
    /// miss its horizon is at risk. Every view that shows a health takes it from here, so the
    /// roadmap, the executive report and the pages never disagree.
    #[must_use]
    pub(crate) fn with_forecast(self, forecast_misses: bool) -> Health {
        match self {
            Health::OnTrack if forecast_misses => Health::AtRisk,
            h => h,
        }
    }
}

/// The health of a theme with its rollup on `today`, before a forecast refines it
/// ([`Health::with_forecast`]).
pub fn health(theme: &Theme, rollup: &Rollup, today: Date, config: &Config) -> Health {
    match theme.status() {
        Some(ThemeStatus::Done) => return Health::Done,
        Some(ThemeStatus::Closed) => return Health::Closed,
        _ => {}
    }
    // A standing mandate has no schedule to trail: it is at risk only when nobody looks at it.
    let ongoing = theme.horizon.as_ref().map(|h| h.value) == Some(Horizon::Ongoing);
    if ongoing && theme.status() == Some(ThemeStatus::Active) {
        return match review(theme, config.review_cadence_days, today) {
            Review::Fresh => Health::OnTrack,
            _ => Health::AtRisk,
        };
    }
    let dated = theme
        .horizon
        .as_ref()
        .and_then(|h| h.value.dates())
        .is_some();
    if theme.status() != Some(ThemeStatus::Active) || !dated {
        return Health::NotScheduled;
    }
    if ended_before(theme, today).is_some() && !rollup.is_complete() {
        return Health::Overdue;
    }
    match (elapsed(theme, today), rollup.fraction()) {
        (Some(elapsed), Some(progress)) if elapsed - progress > AT_RISK_GAP => Health::AtRisk,
        (Some(elapsed), None) if elapsed >= 0.5 => Health::AtRisk,
        _ => Health::OnTrack,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn health_at(theme: &Theme, rollup: &Rollup, today: Date) -> Health {
        health(theme, rollup, today, &Config::default())
    }
    use crate::diag::FileId;
    use crate::model::Span;
    use crate::model::{Spanned, Visibility};

    fn theme(status: ThemeStatus, horizon: &str) -> Theme {
        Theme {
            file: FileId(0),
            id: Spanned::new("t".into(), Span::default()),
            id_written: false,
            title: None,
            objective: None,
            status: Some(Spanned::new(status, Span::default())),
            status_written: None,
            horizon: Some(Spanned::new(
                horizon.parse().expect("horizon"),
                Span::default(),
            )),
            priority: None,
            owner: None,
            visibility: Visibility::Public,
            metrics: Vec::new(),
            reviewed: None,
            reviewed_unreadable: false,
            aliases: Vec::new(),
            tags: Vec::new(),
            description: None,
            parent: None,
        }
    }

    fn rollup(done: f64, total: f64) -> Rollup {
        Rollup {
            done,
            total,
            ..Rollup::default()
        }
    }

    fn day(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn health_follows_dates_and_progress() {
        let active = theme(ThemeStatus::Active, "2025-Q3");
        // Q3 2025 is 92 days; on Aug 15, 46 days (50%) have elapsed.
        assert_eq!(elapsed(&active, day("2025-08-15")), Some(0.5));
        assert_eq!(
            health_at(&active, &rollup(3.0, 10.0), day("2025-08-15")),
            Health::OnTrack
        );
        assert_eq!(
            health_at(&active, &rollup(2.0, 10.0), day("2025-08-15")),
            Health::AtRisk
        );
        assert_eq!(
            health_at(&active, &rollup(0.0, 0.0), day("2025-08-15")),
            Health::AtRisk
        );
        assert_eq!(
            health_at(&active, &rollup(0.0, 0.0), day("2025-07-10")),
            Health::OnTrack
        );
        assert_eq!(
            health_at(&active, &rollup(9.0, 10.0), day("2025-10-01")),
            Health::Overdue
        );
        assert_eq!(
            health_at(&active, &rollup(10.0, 10.0), day("2025-10-01")),
            Health::OnTrack
        );
        assert_eq!(
            health_at(&active, &rollup(0.0, 10.0), day("2025-06-01")),
            Health::OnTrack
        );
        let done = theme(ThemeStatus::Done, "2025-Q1");
        assert_eq!(
            health_at(&done, &rollup(0.0, 10.0), day("2025-10-01")),
            Health::Done
        );
        let bucket = theme(ThemeStatus::Active, "now");
        assert_eq!(
            health_at(&bucket, &rollup(0.0, 10.0), day("2025-10-01")),
            Health::NotScheduled
        );
        let proposed = theme(ThemeStatus::Proposed, "2025-Q3");
        assert_eq!(
            health_at(&proposed, &rollup(0.0, 10.0), day("2025-09-01")),
            Health::NotScheduled,
            "a proposed theme has no schedule to be on or off"
        );
    }
}
