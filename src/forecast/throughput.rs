//! What the team finished and when, read from the plan's history one commit at a time.
//!
//! The [`Tracker`] is fed the backlog files each first-parent commit changed, oldest first, and
//! keeps only what a forecast needs of each item: whether it is done, its weight, its parent.
//! An item is done on the day of the commit where its status turned `done`, or on its
//! `done_on` when written. An item that first appears already done, without `done_on`, is not
//! counted: the commit records work, it does not say when the work happened.

use std::collections::{HashMap, HashSet};

use crate::model::{Category, Config, Item};
use crate::progress;
use crate::time::Date;

/// What the tracker keeps of one backlog item at one commit.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemState {
    /// The item's id.
    pub id: String,
    /// Whether its status is in the `done` category.
    pub done: bool,
    /// Whether it is out of scope (`wontdo`).
    pub wontdo: bool,
    /// Its `done_on`, when written.
    pub done_on: Option<Date>,
    /// Its weight for progress at that commit.
    pub weight: f64,
    /// The item it breaks down, when named.
    pub parent: Option<String>,
}

impl ItemState {
    /// The state of `item` as read under `config`.
    pub fn of(item: &Item, config: &Config) -> ItemState {
        let category = item.category();
        ItemState {
            id: item.id.value.clone(),
            done: category == Some(Category::Done),
            wontdo: category == Some(Category::Wontdo),
            done_on: item.done_on.as_ref().map(|d| d.value),
            weight: progress::weight(item, config).0,
            parent: item.parent.as_ref().map(|p| p.value.clone()),
        }
    }
}

/// One finished item.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Finished {
    /// The day it was done.
    pub date: Date,
    /// Its weight then.
    pub weight: f64,
    /// Whether nothing named it as parent then (a parent's weight is its leaves').
    pub leaf: bool,
}

/// Where the tracker stands, and what it has seen.
#[derive(Debug, Default)]
pub struct Tracker {
    /// Current state per id, with the file holding it.
    items: HashMap<String, (String, ItemState)>,
    /// The ids each file holds.
    files: HashMap<String, Vec<String>>,
    /// How many items name each id as their parent.
    parents: HashMap<String, u32>,
    /// Each finished item, by id.
    finished: HashMap<String, Finished>,
    /// The day each id first appeared after the start.
    first_seen: HashMap<String, Date>,
    /// The day the history starts.
    began: Option<Date>,
    /// Leaves of the plan being forecast, by id, and the theme (index) each serves.
    attribution: HashMap<String, usize>,
    /// Open weight per theme, of its attributed leaves as they stand.
    open: HashMap<usize, f64>,
    /// Leaves present per theme (not `wontdo`).
    scope: HashMap<usize, usize>,
    /// The days on which each theme's open weight fell to zero.
    emptied: HashMap<usize, Vec<Date>>,
    /// Dates to take a snapshot at, soonest last, and the snapshots taken.
    marks: Vec<Date>,
    snapshots: Vec<Snapshot>,
}

/// The open weight of each theme at a past date, for a backtest.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The date: the state after every commit made on or before it.
    pub date: Date,
    /// Open weight per theme index.
    pub open: HashMap<usize, f64>,
}

/// What the history says, once every commit is read.
#[derive(Debug, Default)]
pub struct History {
    /// The day the history starts: its first commit, or the state before the range read.
    pub began: Option<Date>,
    /// Each finished item, by id.
    pub finished: HashMap<String, Finished>,
    /// The day each id first appeared after the start.
    pub first_seen: HashMap<String, Date>,
    /// The days each theme's open weight fell to zero.
    pub emptied: HashMap<usize, Vec<Date>>,
    /// Open weight per theme at each requested date.
    pub snapshots: Vec<Snapshot>,
}

const EMPTY: f64 = 1e-9;

impl Tracker {
    /// A tracker that attributes the leaves in `attribution` (id → theme index) to their themes,
    /// and takes a snapshot of each theme's open weight at each of `marks`.
    pub fn new(attribution: HashMap<String, usize>, mut marks: Vec<Date>) -> Tracker {
        marks.sort_unstable_by(|a, b| b.cmp(a));
        marks.dedup();
        Tracker {
            attribution,
            marks,
            ..Tracker::default()
        }
    }

    /// Starts from the backlog as it stood on `date`: what it holds is the starting scope, not
    /// new work, and only its `done_on` dates count as finished.
    pub fn start(&mut self, date: Date, files: Vec<(String, Vec<ItemState>)>) {
        self.snap_before(date);
        self.began = Some(date);
        for (path, states) in files {
            self.put(&path, states, None);
        }
        self.update_emptied(date, None);
    }

    /// Applies one commit made on `date`: each changed backlog file with the items it now holds,
    /// `None` for a file removed.
    pub fn commit(&mut self, date: Date, changed: Vec<(String, Option<Vec<ItemState>>)>) {
        if self.began.is_none() {
            let files = changed
                .into_iter()
                .filter_map(|(p, s)| s.map(|s| (p, s)))
                .collect();
            self.start(date, files);
            return;
        }
        self.snap_before(date);
        let mut before: HashMap<String, ItemState> = HashMap::new();
        let mut touched = HashSet::new();
        for (path, _) in &changed {
            for id in self.files.remove(path).unwrap_or_default() {
                if self.items.get(&id).is_some_and(|(p, _)| p == path)
                    && let Some((_, old)) = self.items.remove(&id)
                {
                    self.forget(&old, &mut touched);
                    before.insert(id, old);
                }
            }
        }
        let mut after = Vec::new();
        for (path, states) in changed {
            if let Some(states) = states {
                after.extend(self.put(&path, states, Some(&mut before)));
            }
        }
        for id in after {
            let Some((_, now)) = self.items.get(&id) else {
                continue;
            };
            let now = now.clone();
            let old = before.get(&id);
            if now.done {
                let day = match (now.done_on, old) {
                    (Some(d), _) => Some(d),
                    (None, Some(old)) if !old.done => Some(date),
                    _ => None,
                };
                if let Some(day) = day {
                    let leaf = !self.parents.contains_key(&id);
                    self.finished.insert(
                        id.clone(),
                        Finished {
                            date: day,
                            weight: now.weight,
                            leaf,
                        },
                    );
                }
            } else {
                self.finished.remove(&id);
            }
            if old.is_none() && !self.first_seen.contains_key(&id) {
                self.first_seen.insert(id.clone(), date);
            }
            if let Some(&t) = self.attribution.get(&id) {
                touched.insert(t);
            }
        }
        self.update_emptied(date, Some(&touched));
    }

    /// Ends the walk: snapshots not yet taken see the last state.
    pub fn finish(mut self) -> History {
        while let Some(date) = self.marks.pop() {
            self.snapshot(date);
        }
        History {
            began: self.began,
            finished: self.finished,
            first_seen: self.first_seen,
            emptied: self.emptied,
            snapshots: self.snapshots,
        }
    }

    /// Holds `states` as the contents of `path`; returns their ids. An id another file already
    /// holds moves here, and its old state goes into `before` when given.
    fn put(
        &mut self,
        path: &str,
        states: Vec<ItemState>,
        mut before: Option<&mut HashMap<String, ItemState>>,
    ) -> Vec<String> {
        let mut ids = Vec::with_capacity(states.len());
        for state in states {
            if let Some(parent) = &state.parent {
                *self.parents.entry(parent.clone()).or_default() += 1;
            }
            self.remember(&state);
            let id = state.id.clone();
            if let Some((_, old)) = self.items.insert(id.clone(), (path.to_string(), state)) {
                if let Some(parent) = &old.parent {
                    self.unparent(parent);
                }
                self.unremember(&old);
                if let Some(before) = before.as_deref_mut() {
                    before.entry(id.clone()).or_insert(old);
                }
            }
            self.files
                .entry(path.to_string())
                .or_default()
                .push(id.clone());
            ids.push(id);
        }
        ids
    }

    /// Takes `old` out of the parent counts and its theme's figures.
    fn forget(&mut self, old: &ItemState, touched: &mut HashSet<usize>) {
        if let Some(parent) = &old.parent {
            self.unparent(parent);
        }
        self.unremember(old);
        if let Some(&t) = self.attribution.get(&old.id) {
            touched.insert(t);
        }
    }

    fn unparent(&mut self, parent: &str) {
        if let Some(n) = self.parents.get_mut(parent) {
            *n -= 1;
            if *n == 0 {
                self.parents.remove(parent);
            }
        }
    }

    /// Adds an attributed leaf's figures to its theme.
    fn remember(&mut self, state: &ItemState) {
        if let Some(&t) = self.attribution.get(&state.id)
            && !state.wontdo
        {
            *self.scope.entry(t).or_default() += 1;
            if !state.done {
                *self.open.entry(t).or_default() += state.weight;
            }
        }
    }

    /// Takes an attributed leaf's figures out of its theme.
    fn unremember(&mut self, state: &ItemState) {
        if let Some(&t) = self.attribution.get(&state.id)
            && !state.wontdo
        {
            if let Some(n) = self.scope.get_mut(&t) {
                *n = n.saturating_sub(1);
            }
            if !state.done {
                *self.open.entry(t).or_default() -= state.weight;
            }
        }
    }

    /// Notes `date` for each theme (of `touched`, or all) whose leaves are all done now.
    fn update_emptied(&mut self, date: Date, touched: Option<&HashSet<usize>>) {
        let themes: Vec<usize> = match touched {
            Some(t) => t.iter().copied().collect(),
            None => self.scope.keys().copied().collect(),
        };
        for t in themes {
            let has_scope = self.scope.get(&t).is_some_and(|&n| n > 0);
            let open = self.open.get(&t).copied().unwrap_or(0.0);
            let days = self.emptied.entry(t).or_default();
            // The list alternates emptied, reopened, emptied…, so its parity is the state.
            let was_empty = days.len() % 2 == 1;
            let is_empty = has_scope && open <= EMPTY;
            if is_empty != was_empty {
                days.push(date);
            }
        }
    }

    /// Takes the snapshots due before a commit made on `date`.
    fn snap_before(&mut self, date: Date) {
        while self.marks.last().is_some_and(|&m| m < date) {
            if let Some(m) = self.marks.pop() {
                self.snapshot(m);
            }
        }
    }

    fn snapshot(&mut self, date: Date) {
        let open = self
            .open
            .iter()
            .filter(|&(_, &w)| w > EMPTY)
            .map(|(&t, &w)| (t, w))
            .collect();
        self.snapshots.push(Snapshot { date, open });
    }
}

impl History {
    /// The days each theme's leaves were all done: the first of each emptied–reopened pair.
    pub fn finishes(&self, theme: usize) -> impl Iterator<Item = Date> + '_ {
        self.emptied
            .get(&theme)
            .into_iter()
            .flat_map(|days| days.iter().step_by(2).copied())
    }
}
