//! The window a forecast learns from: the weeks before a date, what was finished in each, and
//! how fast each theme's scope grew.

use std::collections::HashMap;

use super::throughput::History;
use crate::time::Date;

/// The weeks before a date that the history covers.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    /// Each week's first day, oldest first; the last week ends on the date.
    pub starts: Vec<Date>,
    /// Weight finished in each week.
    pub done: Vec<f64>,
    /// Weight finished per theme (index) over the window.
    pub by_theme: HashMap<usize, f64>,
    /// Leaf weight added per theme over the window.
    pub added: HashMap<usize, f64>,
}

impl Window {
    /// The weeks of `weeks` ending on `as_of` that start on or after the history began; the
    /// weeks before are unknown, not zeros. Leaves count by `attribution` (id → theme); an item
    /// outside it counts in the team's throughput when it was a leaf when done.
    pub fn read(
        history: &History,
        as_of: Date,
        weeks: u32,
        attribution: &HashMap<String, usize>,
        weight: impl Fn(&str) -> Option<f64>,
    ) -> Window {
        let began = history.began.unwrap_or(as_of.plus_days(1));
        let starts: Vec<Date> = (0..i64::from(weeks))
            .rev()
            .map(|k| as_of.plus_days(-7 * k - 6))
            .filter(|&s| s >= began)
            .collect();
        let mut window = Window {
            done: vec![0.0; starts.len()],
            starts,
            by_theme: HashMap::new(),
            added: HashMap::new(),
        };
        let Some(&first) = window.starts.first() else {
            return window;
        };
        for (id, f) in &history.finished {
            if f.date < first || f.date > as_of {
                continue;
            }
            let theme = attribution.get(id.as_str());
            if theme.is_none() && !f.leaf {
                continue;
            }
            let week = usize::try_from(first.days_until(f.date) / 7).unwrap_or(0);
            if let Some(slot) = window.done.get_mut(week) {
                *slot += f.weight;
            }
            if let Some(&t) = theme {
                *window.by_theme.entry(t).or_default() += f.weight;
            }
        }
        for (id, &t) in attribution {
            if let Some(&seen) = history.first_seen.get(id)
                && seen >= first
                && seen <= as_of
                && let Some(w) = weight(id)
            {
                *window.added.entry(t).or_default() += w;
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

    /// A theme's scope growth a week.
    pub fn growth(&self, theme: usize) -> f64 {
        match self.len() {
            0 => 0.0,
            n => self.added.get(&theme).copied().unwrap_or(0.0) / f64::from(n),
        }
    }
}
