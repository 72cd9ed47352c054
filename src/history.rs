//! Theme progress over time, sampled from the commits that changed the plan.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use serde::Serialize;

use crate::model::{Plan, PlanCommit};
use crate::progress::{self, Weighed};
use crate::report;
use crate::time::Date;
use crate::trace::{Links, Trace};

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
        Every::Month => format!("{:04}-{:02}", date.year, date.month),
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

/// What one sample hands the next while no link changes: the trace's links, and each item's
/// weighing and sprint, so that a sample weighs again only the items its commit changed. Going
/// over every item's fields each sample was most of a sample: each is a cache miss.
#[derive(Debug)]
pub struct Carried {
    links: Links,
    weighed: Vec<Weighed>,
    /// Each item's sprint, as its index in `sprints`.
    sprint: Vec<Option<u32>>,
    sprints: HashMap<String, u32, foldhash::fast::RandomState>,
}

impl Carried {
    /// The figures of `plan`: `previous` brought up to date when the reload that gave `plan`
    /// kept the links (`same_links`), reading again only the items in `read`; else worked out
    /// afresh.
    pub fn carry(
        previous: Option<Carried>,
        plan: &Plan,
        same_links: bool,
        read: &[Range<usize>],
    ) -> Carried {
        match previous {
            Some(mut kept) if same_links && kept.weighed.len() == plan.items.len() => {
                for i in read.iter().flat_map(Clone::clone) {
                    let (weighed, sprint) = kept.weigh(plan, i);
                    kept.weighed[i] = weighed;
                    kept.sprint[i] = sprint;
                }
                kept
            }
            _ => {
                let n = plan.items.len();
                let mut fresh = Carried {
                    links: Trace::new(plan).links,
                    weighed: Vec::with_capacity(n),
                    sprint: Vec::with_capacity(n),
                    sprints: HashMap::default(),
                };
                for i in 0..n {
                    let (weighed, sprint) = fresh.weigh(plan, i);
                    fresh.weighed.push(weighed);
                    fresh.sprint.push(sprint);
                }
                fresh
            }
        }
    }

    fn weigh(&mut self, plan: &Plan, i: usize) -> (Weighed, Option<u32>) {
        let item = &plan.items[i];
        let sprint = item
            .sprint
            .as_ref()
            .map(|s| match self.sprints.get(&s.value) {
                Some(&n) => n,
                None => {
                    let n = u32::try_from(self.sprints.len()).unwrap_or(u32::MAX);
                    self.sprints.insert(s.value.clone(), n);
                    n
                }
            });
        (Weighed::of(item, &plan.config), sprint)
    }
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
