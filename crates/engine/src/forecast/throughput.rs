//! What the team finished and when, and how each theme's open work stood, read from the plan's
//! history one commit at a time.
//!
//! The [`Tracker`] is fed the backlog files each first-parent commit changed, oldest first, and
//! keeps what a forecast needs of each item: whether it is done, its weight, its parent and the
//! theme it names. From those it keeps each theme's open leaves as the plan stood at every
//! commit (an item's theme is its own, else its nearest ancestor's, as the plan had it then), so
//! a theme is finished on the first day it had no open leaf, arrivals included.
//!
//! An item is done on the day of the commit where its status turned `done`, or on its
//! `done_on` when written. An item that first appears already done, without `done_on`, is not
//! counted: the commit records work, it does not say when the work happened. An item whose
//! `aliases:` name an id it replaces is the same item renamed: not new work, and not removed.

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
    /// The theme it names itself, when it names one.
    pub theme: Option<String>,
    /// Ids it had before a rename.
    pub aliases: Vec<String>,
}

impl ItemState {
    /// The state of `item` as read under `config`.
    pub fn of(item: &Item, config: &Config) -> ItemState {
        let category = item.category();
        ItemState {
            id: item.id.value.clone(),
            done: category == Some(Category::Done),
            // A standing commitment never finishes: out of the forecast, as out of scope is.
            wontdo: category == Some(Category::Wontdo) || !item.counts,
            done_on: item.done_on.as_ref().map(|d| d.value),
            weight: progress::weight(item, config).0,
            parent: item.parent.as_ref().map(|p| p.value.clone()),
            theme: item.theme.as_ref().map(|t| t.value.clone()),
            aliases: item.aliases.iter().map(|a| a.value.clone()).collect(),
        }
    }
}

/// One item turning done.
#[derive(Clone, Debug, PartialEq)]
pub struct Done {
    /// The item, by the id it had then.
    pub id: String,
    /// The day it counts as done: its `done_on`, else the commit's day.
    pub date: Date,
    /// The day of the commit that recorded it.
    pub recorded: Date,
    /// The day of the commit that reopened it, if one did.
    pub reopened: Option<Date>,
    /// Its weight then.
    pub weight: f64,
    /// Whether nothing named it as parent then (a parent's weight is its leaves').
    pub leaf: bool,
}

impl Done {
    /// Whether it stood done on `day`: recorded by then, and not reopened by then.
    pub(crate) fn stood_on(&self, day: Date) -> bool {
        self.recorded <= day && self.reopened.is_none_or(|r| r > day)
    }
}

/// A theme as the plan had it at a past date, for a replayed forecast.
#[derive(Clone, Debug, PartialEq)]
pub struct ThemeAt {
    /// Its id then, through today's aliases.
    pub key: String,
    /// Whether its status then was `done` or `dropped`.
    pub closed: bool,
    /// The last day of its horizon then, when dated.
    pub horizon_end: Option<Date>,
    /// Its priority then.
    pub priority: Option<u32>,
}

/// The plan at a past date, as a forecast made that day would have seen it.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The date: the state after every commit made on or before it.
    pub date: Date,
    /// Open weight per theme key.
    pub open: HashMap<String, f64>,
    /// Each leaf then (not `wontdo`), by id: its theme key and weight.
    pub leaves: HashMap<String, (String, f64)>,
    /// The themes then, by key.
    pub themes: Vec<ThemeAt>,
}

/// What the history says, once every commit is read.
#[derive(Debug, Default)]
pub struct History {
    /// The day the history starts: its first commit, or the state before the range read.
    pub began: Option<Date>,
    /// Every turn to done, in the order recorded.
    pub done: Vec<Done>,
    /// The day each id first appeared after the start (a renamed item keeps its old day).
    pub first_seen: HashMap<String, Date>,
    /// The days each theme key's open leaves fell to none, and came back, alternately.
    pub emptied: HashMap<String, Vec<Date>>,
    /// The plan at each requested date.
    pub snapshots: Vec<Snapshot>,
}

const EMPTY: f64 = 1e-9;

/// How far `theme:` is looked for up a parent chain: deeper is a cycle.
const MAX_DEPTH: usize = 64;

/// What one item adds to its theme's figures.
#[derive(Clone, Debug, PartialEq)]
struct Share {
    key: String,
    open: f64,
}

/// Where the tracker stands, and what it has seen.
#[derive(Debug, Default)]
pub struct Tracker {
    /// Current state per id, with the file holding it.
    items: HashMap<String, (String, ItemState)>,
    /// The ids each file holds.
    files: HashMap<String, Vec<String>>,
    /// The ids that name each id as their parent.
    children: HashMap<String, HashSet<String>>,
    /// What each leaf adds to its theme now.
    shares: HashMap<String, Share>,
    /// Open weight and leaves (not `wontdo`) per theme key.
    open: HashMap<String, f64>,
    scope: HashMap<String, usize>,
    /// The open turn to done of each id, as an index into `done`.
    open_done: HashMap<String, usize>,
    history: History,
    /// A theme's old ids and the id it has now.
    renamed: HashMap<String, String>,
}

impl Tracker {
    /// A tracker whose theme keys go through `renamed` (a theme's old ids to its id now).
    pub fn new(renamed: HashMap<String, String>) -> Tracker {
        Tracker {
            renamed,
            ..Tracker::default()
        }
    }

    /// Starts from the backlog as it stood on `date`: what it holds is the starting scope, not
    /// new work, and only its `done_on` dates count as finished.
    pub fn start(&mut self, date: Date, files: Vec<(String, Vec<ItemState>)>) {
        let mut dirty = HashSet::new();
        let mut finished = Vec::new();
        for (path, states) in files {
            finished.extend(
                states
                    .iter()
                    .filter(|s| s.done)
                    .filter_map(|s| Some((s.id.clone(), s.done_on?))),
            );
            dirty.extend(self.put(&path, states));
        }
        // Resolution dates older than the first commit (a tracker's, brought in by `roadlog
        // import`) are history too: the weeks since the earliest of them are known weeks of
        // throughput, though not of arrivals.
        let earliest = finished.iter().map(|(_, d)| *d).min();
        self.history.began = Some(earliest.map_or(date, |e| e.min(date)));
        // Work finished before the history began counts on its `done_on`, which may fall in a
        // forecast's window even though its status turned done earlier.
        for (id, day) in finished {
            self.record_done(&id, day, date);
        }
        self.settle(date, dirty);
    }

    /// Applies one commit made on `date`: each changed backlog file with the items it now holds,
    /// `None` for a file removed.
    pub fn commit(&mut self, date: Date, changed: Vec<(String, Option<Vec<ItemState>>)>) {
        if self.history.began.is_none() {
            let files = changed
                .into_iter()
                .filter_map(|(p, s)| s.map(|s| (p, s)))
                .collect();
            self.start(date, files);
            return;
        }
        let mut before: HashMap<String, ItemState> = HashMap::new();
        let mut dirty = HashSet::new();
        for (path, _) in &changed {
            for id in self.files.remove(path).unwrap_or_default() {
                if self.items.get(&id).is_some_and(|(p, _)| p == path)
                    && let Some((_, old)) = self.items.remove(&id)
                {
                    self.unlink(&old, &mut dirty);
                    before.insert(id, old);
                }
            }
        }
        let mut after = Vec::new();
        for (path, states) in changed {
            if let Some(states) = states {
                for state in &states {
                    if let Some(old) = self.items.get(&state.id).map(|(_, s)| s.clone()) {
                        before.entry(state.id.clone()).or_insert(old);
                    }
                }
                after.extend(self.put(&path, states));
            }
        }
        dirty.extend(after.iter().cloned());
        for id in after {
            let Some((_, now)) = self.items.get(&id) else {
                continue;
            };
            let now = now.clone();
            // A renamed item is the item it replaces: its old state, and its first day.
            let renamed_from = now
                .aliases
                .iter()
                .find(|a| before.contains_key(*a) && !self.items.contains_key(*a))
                .cloned();
            let old = before
                .get(&id)
                .or_else(|| renamed_from.as_ref().and_then(|a| before.get(a)));
            if let Some(from) = &renamed_from {
                if let Some(day) = self.history.first_seen.get(from).copied() {
                    self.history.first_seen.entry(id.clone()).or_insert(day);
                }
                if let Some(k) = self.open_done.remove(from) {
                    self.open_done.insert(id.clone(), k);
                }
            }
            if now.done {
                let day = match (now.done_on, old) {
                    (_, Some(old)) if old.done && self.open_done.contains_key(&id) => None,
                    (Some(d), _) => Some(d),
                    (None, Some(old)) if !old.done => Some(date),
                    _ => None,
                };
                if let Some(day) = day {
                    self.record_done(&id, day, date);
                }
            } else if let Some(k) = self.open_done.remove(&id)
                && let Some(d) = self.history.done.get_mut(k)
            {
                d.reopened = Some(date);
            }
            if old.is_none() && !self.history.first_seen.contains_key(&id) {
                self.history.first_seen.insert(id.clone(), date);
            }
        }
        self.settle(date, dirty);
    }

    /// Notes a turn to done of `id` on `day`, recorded by the commit of `recorded`.
    fn record_done(&mut self, id: &str, day: Date, recorded: Date) {
        let leaf = self.children.get(id).is_none_or(HashSet::is_empty);
        let weight = self.items.get(id).map_or(0.0, |(_, s)| s.weight);
        self.history.done.push(Done {
            id: id.to_string(),
            date: day,
            recorded,
            reopened: None,
            weight,
            leaf,
        });
        self.open_done
            .insert(id.to_string(), self.history.done.len() - 1);
    }

    /// Takes the plan as it stands now as the snapshot of `date`, with `themes` as they are.
    pub fn snapshot(&mut self, date: Date, themes: Vec<ThemeAt>) {
        let open = self
            .open
            .iter()
            .filter(|&(_, &w)| w > EMPTY)
            .map(|(t, &w)| (t.clone(), w))
            .collect();
        let leaves = self
            .shares
            .iter()
            .filter_map(|(id, share)| {
                let (_, state) = self.items.get(id)?;
                Some((id.clone(), (share.key.clone(), state.weight)))
            })
            .collect();
        let themes = themes
            .into_iter()
            .map(|t| ThemeAt {
                key: self.key(&t.key),
                ..t
            })
            .collect();
        self.history.snapshots.push(Snapshot {
            date,
            open,
            leaves,
            themes,
        });
    }

    /// Ends the walk.
    pub fn finish(self) -> History {
        self.history
    }

    /// A theme id as today's plan names it.
    fn key(&self, id: &str) -> String {
        self.renamed
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// Holds `states` as the contents of `path`; returns their ids. An id another file already
    /// holds moves here.
    fn put(&mut self, path: &str, states: Vec<ItemState>) -> Vec<String> {
        let mut ids = Vec::with_capacity(states.len());
        for state in states {
            let id = state.id.clone();
            if let Some((_, old)) = self.items.remove(&id) {
                let mut ignored = HashSet::new();
                self.unlink(&old, &mut ignored);
            }
            if let Some(parent) = &state.parent {
                self.children
                    .entry(parent.clone())
                    .or_default()
                    .insert(id.clone());
            }
            self.items.insert(id.clone(), (path.to_string(), state));
            self.files
                .entry(path.to_string())
                .or_default()
                .push(id.clone());
            ids.push(id);
        }
        ids
    }

    /// Takes `old` out of its parent's children; its parent's leafhood may change.
    fn unlink(&mut self, old: &ItemState, dirty: &mut HashSet<String>) {
        dirty.insert(old.id.clone());
        if let Some(parent) = &old.parent {
            if let Some(c) = self.children.get_mut(parent) {
                c.remove(&old.id);
                if c.is_empty() {
                    self.children.remove(parent);
                }
            }
            dirty.insert(parent.clone());
        }
    }

    /// Brings the theme figures of `dirty` ids, their descendants and their parents up to date,
    /// and notes each theme that emptied or came back on `date`.
    fn settle(&mut self, date: Date, dirty: HashSet<String>) {
        let mut todo: Vec<String> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for id in dirty {
            if let Some(parent) = self.items.get(&id).and_then(|(_, s)| s.parent.clone()) {
                todo.push(parent);
            }
            todo.push(id);
        }
        let mut keys: HashSet<String> = HashSet::new();
        while let Some(id) = todo.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            if let Some(children) = self.children.get(&id) {
                todo.extend(children.iter().cloned());
            }
            let now = self.share_of(&id);
            let was = self.shares.remove(&id);
            if let Some(was) = &was {
                self.apply(was, -1.0);
                keys.insert(was.key.clone());
            }
            if let Some(now) = now {
                self.apply(&now, 1.0);
                keys.insert(now.key.clone());
                self.shares.insert(id, now);
            }
        }
        for key in keys {
            let has_scope = self.scope.get(&key).is_some_and(|&n| n > 0);
            let open = self.open.get(&key).copied().unwrap_or(0.0);
            let days = self.history.emptied.entry(key).or_default();
            // The list alternates emptied, reopened, emptied…, so its parity is the state.
            let was_empty = days.len() % 2 == 1;
            let is_empty = has_scope && open <= EMPTY;
            if is_empty != was_empty {
                days.push(date);
            }
        }
    }

    fn apply(&mut self, share: &Share, sign: f64) {
        let scope = self.scope.entry(share.key.clone()).or_default();
        if sign > 0.0 {
            *scope += 1;
        } else {
            *scope = scope.saturating_sub(1);
        }
        *self.open.entry(share.key.clone()).or_default() += sign * share.open;
    }

    /// What item `id` adds to its theme now: a leaf in scope, with the theme it or its nearest
    /// ancestor names.
    fn share_of(&self, id: &str) -> Option<Share> {
        let (_, state) = self.items.get(id)?;
        let leaf = self.children.get(id).is_none_or(HashSet::is_empty);
        if !leaf || state.wontdo {
            return None;
        }
        let key = self.theme_of(id)?;
        Some(Share {
            key,
            open: if state.done { 0.0 } else { state.weight },
        })
    }

    /// The theme key `id` serves: its own `theme:`, else its nearest ancestor's.
    fn theme_of(&self, id: &str) -> Option<String> {
        let mut at = id;
        for _ in 0..MAX_DEPTH {
            let (_, state) = self.items.get(at)?;
            if let Some(theme) = &state.theme {
                return Some(self.key(theme));
            }
            at = state.parent.as_deref()?;
        }
        None
    }
}

impl History {
    /// The days theme `key`'s leaves were all done: the first of each emptied–reopened pair.
    pub fn finishes<'a>(&'a self, key: &str) -> impl Iterator<Item = Date> + 'a {
        self.emptied
            .get(key)
            .into_iter()
            .flat_map(|days| days.iter().step_by(2).copied())
    }

    /// The first day after `after` on which theme `key` had no open leaf.
    pub(crate) fn finished_after(&self, key: &str, after: Date) -> Option<Date> {
        self.finishes(key).find(|&f| f > after)
    }
}
