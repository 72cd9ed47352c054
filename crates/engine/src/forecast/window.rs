//! The window a forecast learns from: the weeks before a date and, for each, what the team
//! finished and, per theme, what was finished under it and what arrived under it. A simulated
//! week draws one week of the window and takes all of it together, so growth is as bursty as
//! it was and comes in the weeks work on a theme was done.

use std::collections::HashMap;

use super::throughput::History;
use crate::time::Date;

/// The weeks before a date that the history covers.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Window {
    /// Each week's first day, oldest first; the last week ends on the date.
    pub starts: Vec<Date>,
    /// Weight the team finished in each week, leaves of no theme included.
    pub done: Vec<f64>,
    /// Weight finished under each theme key, per week.
    pub theme_done: HashMap<String, Vec<f64>>,
    /// Leaf weight that arrived under each theme key, per week.
    pub theme_arrived: HashMap<String, Vec<f64>>,
    /// The first week each theme key had a leaf, for themes younger than the window: the weeks
    /// before a theme existed are not weeks in which nothing was done on it.
    pub theme_since: HashMap<String, usize>,
}

/// The leaves a window is read for, by id: the theme key each serves and its weight. Ids a
/// leaf had before a rename are leaves too, so its history under the old name counts.
pub type Leaves = HashMap<String, (String, f64)>;

impl Window {
    /// The `weeks` weeks ending on `as_of` that start on or after the history began (the weeks
    /// before are unknown, not zeros), as the history stood on `as_of`: turns to done recorded
    /// by then and not reopened by then. Leaves count by `leaves`; an item outside it counts in
    /// the team's throughput when it was a leaf when done. Arrivals are the leaves first seen in
    /// a week, weighed as they stand.
    pub fn read(history: &History, as_of: Date, weeks: u32, leaves: &Leaves) -> Window {
        let began = history.began.unwrap_or(as_of.plus_days(1));
        let starts: Vec<Date> = (0..i64::from(weeks))
            .rev()
            .map(|k| as_of.plus_days(-7 * k - 6))
            .filter(|&s| s >= began)
            .collect();
        let n = starts.len();
        let mut window = Window {
            done: vec![0.0; n],
            starts,
            ..Window::default()
        };
        let Some(&first) = window.starts.first() else {
            return window;
        };
        let week = |day: Date| usize::try_from(first.days_until(day) / 7).ok();
        for d in history.done.iter().filter(|d| d.stood_on(as_of)) {
            if d.date < first || d.date > as_of {
                continue;
            }
            let theme = leaves.get(d.id.as_str()).map(|(t, _)| t);
            if theme.is_none() && !d.leaf {
                continue;
            }
            let Some(w) = week(d.date) else { continue };
            if let Some(slot) = window.done.get_mut(w) {
                *slot += d.weight;
            }
            if let Some(t) = theme
                && let Some(slot) = window
                    .theme_done
                    .entry(t.clone())
                    .or_insert_with(|| vec![0.0; n])
                    .get_mut(w)
            {
                *slot += d.weight;
            }
        }
        // The week each theme first had a leaf: the start for one with a leaf older than the
        // window (or than the history).
        let mut since: HashMap<&str, Option<usize>> = HashMap::new();
        for (id, (t, _)) in leaves {
            let seen = history
                .first_seen
                .get(id)
                .filter(|&&d| d >= first)
                .and_then(|&d| week(d));
            let at = since.entry(t.as_str()).or_insert(seen);
            *at = match (*at, seen) {
                (Some(a), Some(b)) => Some(a.min(b)),
                _ => None,
            };
        }
        window.theme_since = since
            .into_iter()
            .filter_map(|(t, w)| Some((t.to_string(), w.filter(|&w| w > 0)?)))
            .collect();
        for (id, (t, weight)) in leaves {
            let Some(&seen) = history.first_seen.get(id) else {
                continue;
            };
            if seen < first || seen > as_of {
                continue;
            }
            if let Some(slot) = week(seen).and_then(|w| {
                window
                    .theme_arrived
                    .entry(t.clone())
                    .or_insert_with(|| vec![0.0; n])
                    .get_mut(w)
            }) {
                *slot += weight;
            }
        }
        window
    }

    /// How many weeks the window holds.
    pub fn len(&self) -> u32 {
        u32::try_from(self.starts.len()).unwrap_or(u32::MAX)
    }

    /// Whether the history covers none of it.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Weight finished over the window.
    pub fn total(&self) -> f64 {
        self.done.iter().sum()
    }

    /// Weight finished under theme `key` over the window.
    pub(crate) fn theme_total(&self, key: &str) -> f64 {
        self.theme_done.get(key).map_or(0.0, |w| w.iter().sum())
    }

    /// A theme's scope growth a week, on average.
    pub fn growth(&self, key: &str) -> f64 {
        match self.len() {
            0 => 0.0,
            n => self.theme_arrived.get(key).map_or(0.0, |w| w.iter().sum()) / f64::from(n),
        }
    }

    /// The first week of the window theme `key` existed in.
    pub fn since(&self, key: &str) -> usize {
        self.theme_since.get(key).copied().unwrap_or(0)
    }

    /// Theme `key`'s finished and arrived weight in each week (zeros where none).
    pub(crate) fn weeks_of(&self, key: &str) -> (Vec<f64>, Vec<f64>) {
        let zeros = || vec![0.0; self.starts.len()];
        (
            self.theme_done.get(key).cloned().unwrap_or_else(zeros),
            self.theme_arrived.get(key).cloned().unwrap_or_else(zeros),
        )
    }
}
