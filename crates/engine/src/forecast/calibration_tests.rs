//! Calibration tested on synthetic histories: themes that start every few weeks with a backlog,
//! get work done and new work arriving week by week, and finish; replayed forecasts are scored
//! and calibrated exactly as `roadlog forecast` does it, without peeking.

use std::collections::HashMap;

use super::backtest::{self, Backtest};
use super::sim::Rng;
use super::throughput::{History, ItemState, ThemeAt, Tracker};
use super::work::Options;
use crate::time::Date;

/// How a synthetic theme's weeks go.
#[derive(Clone, Copy)]
struct Pace {
    /// Items finished a week, drawn from 0 to this.
    most_done: usize,
    /// The chance a week brings new items, and how many.
    arrival_chance: f64,
    arrivals: usize,
    /// Weeks after its start when the team's work on it slows, and to what share.
    slows_after: usize,
    slows_by: usize,
}

/// A synthetic theme: its key, the week it started, and its items (id, done).
type Synthetic = (String, usize, Vec<(String, bool)>);

fn item(id: &str, theme: &str, done: bool) -> ItemState {
    ItemState {
        id: id.into(),
        done,
        wontdo: false,
        done_on: None,
        weight: 1.0,
        parent: None,
        theme: Some(theme.into()),
        aliases: Vec::new(),
    }
}

fn chance(rng: &mut Rng) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let f = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    f
}

/// A history of `weeks` weeks from 2023-01-02: a theme starts every 3 weeks with 12 to 30
/// items and goes at `pace`; snapshots are taken at the backtest's marks for `today`.
fn synthetic(seed: u64, weeks: usize, pace: Pace, today: Date) -> History {
    let start: Date = "2023-01-02".parse().unwrap_or(Date::FIRST);
    let mut rng = Rng::new(seed);
    let mut tracker = Tracker::new(HashMap::new());
    let mut themes: Vec<Synthetic> = Vec::new();
    let mut marks = backtest::marks(today);
    marks.sort_unstable();
    let mut marks = marks.into_iter().peekable();
    tracker.start(start, Vec::new());
    for week in 0..weeks {
        let day = start.plus_days(7 * i64::try_from(week).unwrap_or(0) + 1);
        while let Some(mark) = marks.next_if(|&m| m < day) {
            let at: Vec<ThemeAt> = themes
                .iter()
                .map(|(key, _, items)| ThemeAt {
                    key: key.clone(),
                    closed: items.iter().all(|(_, d)| *d),
                    horizon_end: None,
                    priority: None,
                })
                .collect();
            tracker.snapshot(mark, at);
        }
        let mut changed = Vec::new();
        if week % 3 == 0 {
            let key = format!("t{week}");
            let n = 12 + rng.below(19);
            let items = (0..n).map(|k| (format!("{key}-{k}"), false)).collect();
            themes.push((key, week, items));
        }
        for (key, started, items) in &mut themes {
            if items.iter().all(|(_, d)| *d) {
                continue;
            }
            let age = week - *started;
            let mut done = rng.below(pace.most_done + 1);
            if pace.slows_after > 0 && age >= pace.slows_after {
                done *= usize::from(rng.below(pace.slows_by) == 0);
            }
            for (_, d) in items.iter_mut().filter(|(_, d)| !*d).take(done) {
                *d = true;
            }
            if chance(&mut rng) < pace.arrival_chance {
                for _ in 0..pace.arrivals {
                    let id = format!("{key}-{}", items.len());
                    items.push((id, false));
                }
            }
            let states = items.iter().map(|(id, d)| item(id, key, *d)).collect();
            changed.push((format!("backlog/{key}.yaml"), Some(states)));
        }
        tracker.commit(day, changed);
    }
    for mark in marks.filter(|&m| m <= today) {
        tracker.snapshot(mark, Vec::new());
    }
    tracker.finish()
}

fn options(trials: u32, seed: u64) -> Options {
    Options {
        trials,
        seed,
        ..Options::default()
    }
}

/// The calibrated and raw p85 records over several seeds: (raw hits, raw of, cal hits, cal of).
fn record(pace: Pace, seeds: std::ops::Range<u64>) -> (usize, usize, usize, usize) {
    let today: Date = "2025-01-05".parse().unwrap_or(Date::FIRST);
    let mut sums = (0, 0, 0, 0);
    for seed in seeds {
        let history = synthetic(seed, 104, pace, today);
        let opts = options(200, seed);
        let replayed = backtest::replay(&history, &opts);
        let b = Backtest::of(&replayed, today, opts.trials);
        let at = |levels: &[super::calibrate::LevelView]| {
            levels
                .iter()
                .find(|l| (l.level - 0.85).abs() < 1e-9)
                .map_or((0, 0), |l| (l.hits, l.of))
        };
        let (raw, cal) = (at(&b.levels), at(&b.calibrated));
        sums = (
            sums.0 + raw.0,
            sums.1 + raw.1,
            sums.2 + cal.0,
            sums.3 + cal.1,
        );
    }
    sums
}

#[allow(clippy::cast_precision_loss)]
fn rate(hits: usize, of: usize) -> f64 {
    hits as f64 / of.max(1) as f64
}

#[test]
fn on_a_steady_history_the_calibrated_p85_holds_about_85_percent_of_the_time() {
    let pace = Pace {
        most_done: 4,
        arrival_chance: 0.3,
        arrivals: 2,
        slows_after: 0,
        slows_by: 1,
    };
    let (_, _, hits, of) = record(pace, 1..5);
    assert!(of >= 100, "only {of} calibrated forecasts resolved");
    let held = rate(hits, of);
    assert!((0.80..=0.90).contains(&held), "{hits} of {of}: {held}");
}

#[test]
fn where_the_raw_model_fails_the_calibrated_one_holds() {
    // The team moves on: after a theme's first four weeks, work on it comes in one week of
    // four. A forecast made while its window still holds the fast weeks promises too much.
    let pace = Pace {
        most_done: 4,
        arrival_chance: 0.1,
        arrivals: 2,
        slows_after: 4,
        slows_by: 4,
    };
    let (raw_hits, raw_of, hits, of) = record(pace, 1..5);
    let raw = rate(raw_hits, raw_of);
    let held = rate(hits, of);
    assert!(raw < 0.72, "the raw p85 held {raw_hits} of {raw_of}: {raw}");
    assert!(of >= 100, "only {of} calibrated forecasts resolved");
    assert!((0.75..=0.95).contains(&held), "{hits} of {of}: {held}");
}

#[test]
fn a_point_s_calibration_is_the_same_when_later_history_is_cut_off() {
    let pace = Pace {
        most_done: 4,
        arrival_chance: 0.2,
        arrivals: 2,
        slows_after: 0,
        slows_by: 1,
    };
    let today: Date = "2025-01-05".parse().unwrap_or(Date::FIRST);
    // 40 weeks earlier: a multiple of the four weeks between marks, so the marks coincide.
    let earlier = today.plus_days(-7 * 40);
    let full = synthetic(3, 104, pace, today);
    let cut = synthetic(3, 64, pace, earlier);
    let opts = options(200, 3);
    let calibrated = |h: &History, on: Date| -> Vec<(String, String, Option<String>)> {
        Backtest::of(&backtest::replay(h, &opts), on, opts.trials)
            .points
            .into_iter()
            .filter(|p| p.as_of < earlier.plus_days(-14).to_string())
            .map(|p| (p.as_of, p.theme, p.calibrated_p85))
            .collect()
    };
    let (a, b) = (calibrated(&full, today), calibrated(&cut, earlier));
    assert!(a.iter().filter(|p| p.2.is_some()).count() >= 5, "{a:?}");
    assert_eq!(a, b);
}
