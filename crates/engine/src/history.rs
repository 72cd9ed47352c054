//! Theme progress over time, sampled from the commits that changed the plan.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::load::Splice;
use crate::model::{Item, Plan, PlanCommit, Theme};
use crate::progress::{self, Weighed};
use crate::report;
use crate::time::Date;
use crate::trace::{Entity, Keys, Links, Trace};

/// How often to sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Every {
    /// The plan at the end of each day with a plan commit.
    Day,
    /// … of each week (Monday to Sunday).
    Week,
    /// … of each month.
    Month,
    /// After every commit that changed the plan.
    Commit,
}

/// One sample: the period it stands for, the commit read, and how aligned the work was then.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Sample {
    /// The day, the Monday of the week, the month (`2025-08`), or the commit's day.
    pub date: String,
    /// The commit whose plan was read (the last one of the period).
    pub commit: String,
    /// Share of open weight serving active themes, as `report pm` gives it.
    pub open_share: Option<f64>,
    /// Share of the weight of the sprint current on the commit's day serving active themes.
    pub sprint_share: Option<f64>,
    /// That sprint.
    pub current_sprint: Option<String>,
}

/// One theme's progress at each sample.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Series {
    /// Theme id.
    pub id: String,
    /// Title at the newest sample that has the theme.
    pub title: String,
    /// Progress at each sample, `null` where the theme did not exist or had nothing to weigh.
    pub progress: Vec<Option<f64>>,
}

/// `roadlog history`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HistoryReport {
    /// The sampling period.
    pub every: Every,
    /// Samples, oldest first.
    pub samples: Vec<Sample>,
    /// Themes, in the newest sample's priority order, then themes that no longer exist.
    pub themes: Vec<Series>,
}

fn bucket(date: Date, every: Every) -> String {
    match every {
        Every::Day | Every::Commit => date.to_string(),
        Every::Week => {
            // 1970-01-01 was a Thursday: Monday-based weekday is (days + 3) mod 7.
            let days = date.days_since_epoch();
            Date::from_days_since_epoch(days - (days + 3).rem_euclid(7)).to_string()
        }
        Every::Month => format!("{:04}-{:02}", date.year(), date.month()),
    }
}

/// Picks the commits to read: with `Commit` all of them, else the newest of each period.
/// `commits` is newest first; the result is oldest first.
pub fn pick(commits: &[PlanCommit], every: Every) -> Vec<(Sample, &PlanCommit)> {
    let mut picked: Vec<(Sample, &PlanCommit)> = Vec::new();
    for c in commits {
        let date = bucket(c.date, every);
        if every != Every::Commit && picked.last().is_some_and(|(s, _)| s.date == date) {
            continue; // an older commit of a period already sampled
        }
        picked.push((
            Sample {
                date,
                commit: c.id.clone(),
                open_share: None,
                sprint_share: None,
                current_sprint: None,
            },
            c,
        ));
    }
    picked.reverse();
    picked
}

/// One theme's figure at one sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Theme id.
    pub id: String,
    /// Title at that sample.
    pub title: String,
    /// Progress at that sample.
    pub progress: Option<f64>,
}

/// What a sample keeps of its plan: each theme's progress and the alignment.
#[derive(Clone, Debug, PartialEq)]
pub struct Measured {
    /// Each theme's progress, in priority order.
    pub points: Vec<Point>,
    /// The alignment figures.
    pub alignment: report::Alignment,
    /// Each old theme id (`aliases:`) with the id it became.
    pub aliases: Vec<(String, String)>,
}

/// What one sample hands the next: the trace's links, a compact copy of what they are resolved
/// from, and each item's weighing and sprint. A sample reads again only the entities its commit
/// changed, keeps the links while no id, alias, parent or theme moved, and otherwise resolves
/// them from the copy. Going over every item of the plan each sample was most of a sample: each
/// item is a cache miss, and each of its strings another.
#[derive(Debug)]
pub struct Carried {
    links: Links,
    keys: OwnedKeys,
    weighed: Vec<Weighed>,
    /// Each item's sprint, as its index in `sprints`.
    sprint: Vec<Option<u32>>,
    sprints: HashMap<String, u32, foldhash::fast::RandomState>,
}

/// What a trace reads of each entity, copied out of the plan into allocations made together.
#[derive(Debug, Default, PartialEq)]
struct OwnedKeys {
    themes: Vec<EntityKey>,
    items: Vec<EntityKey>,
}

/// One entity's id and aliases, and an item's parent and theme.
#[derive(Debug, PartialEq)]
struct EntityKey {
    id: String,
    aliases: Vec<String>,
    parent: Option<String>,
    theme: Option<String>,
}

impl EntityKey {
    fn of_theme(theme: &Theme) -> EntityKey {
        EntityKey {
            id: theme.id.value.clone(),
            aliases: values(&theme.aliases),
            parent: theme.parent.as_ref().map(|p| p.value.clone()),
            theme: None,
        }
    }

    fn of_item(item: &Item) -> EntityKey {
        EntityKey {
            id: item.id.value.clone(),
            aliases: values(&item.aliases),
            parent: item.parent.as_ref().map(|p| p.value.clone()),
            theme: item.theme.as_ref().map(|t| t.value.clone()),
        }
    }
}

fn values(list: &[crate::model::Spanned<String>]) -> Vec<String> {
    list.iter().map(|a| a.value.clone()).collect()
}

impl<'k> Keys<'k> for &'k OwnedKeys {
    fn theme_count(&self) -> usize {
        self.themes.len()
    }
    fn item_count(&self) -> usize {
        self.items.len()
    }
    fn theme_id(&self, t: usize) -> &'k str {
        &self.themes[t].id
    }
    fn item_id(&self, i: usize) -> &'k str {
        &self.items[i].id
    }
    fn aliases(&self, entity: Entity) -> impl Iterator<Item = &'k str> {
        let keys: &'k OwnedKeys = self;
        let key = match entity {
            Entity::Theme(t) => &keys.themes[t],
            Entity::Item(i) => &keys.items[i],
        };
        key.aliases.iter().map(String::as_str)
    }
    fn parent(&self, i: usize) -> Option<&'k str> {
        let keys: &'k OwnedKeys = self;
        keys.items[i].parent.as_deref()
    }
    fn theme_parent(&self, t: usize) -> Option<&'k str> {
        let keys: &'k OwnedKeys = self;
        keys.themes[t].parent.as_deref()
    }
    fn theme(&self, i: usize) -> Option<&'k str> {
        let keys: &'k OwnedKeys = self;
        keys.items[i].theme.as_deref()
    }
}

/// Where each entry of a list after `splices` came from: `Some(k)`, the entry at `k` before
/// them; `None`, one they put in. `None` as a whole when they do not fit a list of `len`.
fn origins<'s>(
    len: usize,
    splices: impl Iterator<Item = &'s Splice>,
) -> Option<Vec<Option<usize>>> {
    let mut origin: Vec<Option<usize>> = (0..len).map(Some).collect();
    for s in splices {
        let end =
            s.at.checked_add(s.removed)
                .filter(|&end| end <= origin.len())?;
        origin.splice(s.at..end, std::iter::repeat_n(None, s.added));
    }
    Some(origin)
}

/// `old` moved to where `origin` says, with `fresh(i)` where it says nothing was there.
fn moved<T>(old: Vec<T>, origin: &[Option<usize>], mut fresh: impl FnMut(usize) -> T) -> Vec<T> {
    let mut old: Vec<Option<T>> = old.into_iter().map(Some).collect();
    origin
        .iter()
        .enumerate()
        .map(
            |(i, from)| match from.and_then(|k| old.get_mut(k)?.take()) {
                Some(kept) => kept,
                None => fresh(i),
            },
        )
        .collect()
}

impl Carried {
    /// The figures of `plan`: `previous` brought up to date when the reload that gave `plan`
    /// was done in place (`splices`), else worked out afresh.
    pub fn carry(previous: Option<Carried>, plan: &Plan, splices: Option<&[Splice]>) -> Carried {
        Carried::carry_links(previous, plan, splices).0
    }

    /// [`Carried::carry`], and whether it kept the previous links: no entity came or went, and
    /// each one read again holds the keys it held.
    fn carry_links(
        previous: Option<Carried>,
        plan: &Plan,
        splices: Option<&[Splice]>,
    ) -> (Carried, bool) {
        let (Some(mut kept), Some(splices)) = (previous, splices) else {
            return (Carried::afresh(plan), false);
        };
        // Files read again in place move nothing: their entries are refreshed where they are.
        let fits = |s: &Splice| {
            let len = if s.themes {
                plan.themes.len()
            } else {
                plan.items.len()
            };
            s.removed == s.added && s.at.checked_add(s.added).is_some_and(|end| end <= len)
        };
        if splices.iter().all(fits)
            && kept.keys.themes.len() == plan.themes.len()
            && kept.weighed.len() == plan.items.len()
        {
            let mut same = true;
            for s in splices {
                for i in s.at..s.at + s.added {
                    if s.themes {
                        let key = EntityKey::of_theme(&plan.themes[i]);
                        same &= kept.keys.themes[i] == key;
                        kept.keys.themes[i] = key;
                    } else {
                        let (key, weighed, sprint) = kept.read_item(plan, i);
                        same &= kept.keys.items[i] == key;
                        (kept.keys.items[i], kept.weighed[i], kept.sprint[i]) =
                            (key, weighed, sprint);
                    }
                }
            }
            if !same {
                kept.links = Trace::from_keys(&&kept.keys).links;
            }
            return (kept, same);
        }
        let themes = origins(kept.keys.themes.len(), splices.iter().filter(|s| s.themes));
        let items = origins(kept.weighed.len(), splices.iter().filter(|s| !s.themes));
        match (themes, items) {
            (Some(themes), Some(items))
                if themes.len() == plan.themes.len() && items.len() == plan.items.len() =>
            {
                (kept.moved(plan, &themes, &items), false)
            }
            _ => (Carried::afresh(plan), false),
        }
    }

    fn afresh(plan: &Plan) -> Carried {
        let mut fresh = Carried {
            links: Links::default(),
            keys: OwnedKeys {
                themes: plan.themes.iter().map(EntityKey::of_theme).collect(),
                items: Vec::with_capacity(plan.items.len()),
            },
            weighed: Vec::with_capacity(plan.items.len()),
            sprint: Vec::with_capacity(plan.items.len()),
            sprints: HashMap::default(),
        };
        for i in 0..plan.items.len() {
            let (key, weighed, sprint) = fresh.read_item(plan, i);
            fresh.keys.items.push(key);
            fresh.weighed.push(weighed);
            fresh.sprint.push(sprint);
        }
        fresh.links = Trace::from_keys(&&fresh.keys).links;
        fresh
    }

    /// These figures moved as the origins of the plan's themes and items say, the entities put
    /// in read from `plan`, and the links resolved again.
    fn moved(mut self, plan: &Plan, themes: &[Option<usize>], items: &[Option<usize>]) -> Carried {
        let keys = std::mem::take(&mut self.keys);
        self.keys.themes = moved(keys.themes, themes, |t| {
            EntityKey::of_theme(&plan.themes[t])
        });
        let old: Vec<(EntityKey, Weighed, Option<u32>)> = keys
            .items
            .into_iter()
            .zip(std::mem::take(&mut self.weighed))
            .zip(std::mem::take(&mut self.sprint))
            .map(|((key, weighed), sprint)| (key, weighed, sprint))
            .collect();
        for (key, weighed, sprint) in moved(old, items, |i| self.read_item(plan, i)) {
            self.keys.items.push(key);
            self.weighed.push(weighed);
            self.sprint.push(sprint);
        }
        self.links = Trace::from_keys(&&self.keys).links;
        self
    }

    /// What these figures hold of item `i` of `plan`, read afresh: its keys, its weighing and
    /// its sprint's index.
    fn read_item(&mut self, plan: &Plan, i: usize) -> (EntityKey, Weighed, Option<u32>) {
        let item = &plan.items[i];
        (
            EntityKey::of_item(item),
            Weighed::of(item, &plan.config),
            sprint_index(&mut self.sprints, item),
        )
    }
}

/// The index of `item`'s sprint among those seen, a new one for a sprint not seen before.
fn sprint_index(
    sprints: &mut HashMap<String, u32, foldhash::fast::RandomState>,
    item: &Item,
) -> Option<u32> {
    let name = &item.sprint.as_ref()?.value;
    Some(match sprints.get(name) {
        Some(&n) => n,
        None => {
            let n = u32::try_from(sprints.len()).unwrap_or(u32::MAX);
            sprints.insert(name.clone(), n);
            n
        }
    })
}

/// Every theme's progress in a plan, in priority order, and its alignment on `date` (the
/// sample's commit day, which picks the sprint then current), from the figures carried for it.
/// Samples keep only these figures, so a history of 1,000 samples holds 1,000 small lists, not
/// 1,000 plans.
pub fn measure(plan: &Plan, carried: &Carried, date: Date) -> Measured {
    let rollups = progress::theme_rollups_by(&carried.links, |i| carried.weighed[i]);
    let points = report::theme_progress_of(plan, &rollups, true, false)
        .into_iter()
        .map(|t| Point {
            id: t.id,
            title: t.title,
            progress: t.progress,
        })
        .collect();
    let aliases = plan
        .themes
        .iter()
        .flat_map(|t| {
            t.aliases
                .iter()
                .map(|a| (a.value.clone(), t.id.value.clone()))
        })
        .collect();
    let current = plan.config.current_sprint(date);
    let current_id = current.and_then(|s| carried.sprints.get(s).copied());
    let alignment = report::alignment_by(plan, &carried.links, current, |i| {
        let in_sprint = current_id.is_some() && carried.sprint[i] == current_id;
        (carried.weighed[i], in_sprint)
    });
    Measured {
        points,
        alignment,
        aliases,
    }
}

/// Builds the series from each sample's figures (oldest first).
pub fn build(every: Every, samples: Vec<(Sample, Measured)>) -> HistoryReport {
    let n = samples.len();
    let mut series: BTreeMap<String, Series> = BTreeMap::new();
    let newest_order: Vec<String> = samples
        .last()
        .map(|(_, m)| m.points.iter().map(|p| p.id.clone()).collect())
        .unwrap_or_default();
    // A renamed theme is one series under its newest id, however many times it was renamed.
    let current: std::collections::HashMap<String, String> = samples
        .last()
        .map(|(_, m)| m.aliases.iter().cloned().collect())
        .unwrap_or_default();
    let mut out_samples = Vec::with_capacity(n);
    for (k, (mut sample, measured)) in samples.into_iter().enumerate() {
        sample.open_share = measured.alignment.open_share;
        sample.sprint_share = measured.alignment.sprint_share;
        sample.current_sprint = measured.alignment.current_sprint;
        for point in measured.points {
            let id = current.get(&point.id).cloned().unwrap_or(point.id);
            let entry = series.entry(id.clone()).or_insert_with(|| Series {
                id,
                title: String::new(),
                progress: vec![None; n],
            });
            entry.title = point.title;
            entry.progress[k] = point.progress;
        }
        out_samples.push(sample);
    }
    let mut themes: Vec<Series> = newest_order
        .iter()
        .filter_map(|id| series.remove(id))
        .collect();
    themes.extend(series.into_values());
    HistoryReport {
        every,
        samples: out_samples,
        themes,
    }
}

#[cfg(test)]
mod tests;

pub mod rewrites;
