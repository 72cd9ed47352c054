//! The team's view: the sprint's work by status, blocked first, then what comes next.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use serde::Serialize;

use super::{Analysis, category_rank, item_order};
use crate::model::Item;
use crate::progress::Rollup;

/// A dependency and whether it is done.
#[derive(Clone, Debug, Serialize)]
pub struct Dependency {
    /// Item id.
    pub id: String,
    /// Done (false for unknown ids).
    pub done: bool,
}

/// An item as the people building it need it.
#[derive(Clone, Debug, Serialize)]
pub struct TeamItem {
    /// Item id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: &'static str,
    /// Status as written.
    pub status: Option<String>,
    /// Story points.
    pub estimate: Option<f64>,
    /// Who works on it.
    pub assignee: Option<String>,
    /// Backlog rank.
    pub priority: Option<u32>,
    /// Sprint id.
    pub sprint: Option<String>,
    /// The theme it serves (own or inherited).
    pub theme: Option<String>,
    /// What it waits on.
    pub depends_on: Vec<Dependency>,
    /// Acceptance criteria.
    pub acceptance: Vec<String>,
    /// The sprint it was planned into that ended while it is still open: work carried over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried_over: Option<String>,
}

/// Items of the sprint sharing a status.
#[derive(Clone, Debug, Serialize)]
pub struct StatusGroup {
    /// The status as written.
    pub status: String,
    /// Its items by priority.
    pub items: Vec<TeamItem>,
}

/// The sprint the report is about.
#[derive(Clone, Debug, Serialize)]
pub struct SprintInfo {
    /// Sprint id.
    pub id: String,
    /// First day, when the calendar has the sprint.
    pub start: Option<String>,
    /// Last day, when the calendar has the sprint.
    pub end: Option<String>,
    /// Points the team can take on, from the calendar.
    pub capacity: Option<f64>,
    /// Weight of the sprint's items that are done.
    pub done: f64,
    /// Weight of the sprint's items (wontdo left out).
    pub committed: f64,
}

/// The sprint that starts next, when today falls between sprints of the calendar.
#[derive(Clone, Debug, Serialize)]
pub struct NextSprint {
    /// Sprint id.
    pub id: String,
    /// First day.
    pub start: String,
}

/// `roadlog report team`.
#[derive(Clone, Debug, Serialize)]
pub struct TeamReport {
    /// The sprint, if one is current or chosen.
    pub sprint: Option<SprintInfo>,
    /// With no current sprint, the calendar's next one, if any.
    pub next_sprint: Option<NextSprint>,
    /// Whether the plan has a sprint calendar.
    pub has_calendar: bool,
    /// Whether weights are item counts (`progress_by: count`) rather than points.
    pub by_count: bool,
    /// The sprint's items by status, blocked first.
    pub groups: Vec<StatusGroup>,
    /// Open items outside the sprint, by priority, at most `--limit` of them.
    pub next: Vec<TeamItem>,
    /// Open items outside the sprint beyond the limit.
    pub more_open: usize,
    /// Each person's committed weight in the sprint against their capacity (with `people:`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub load: Vec<crate::progress::PersonLoad>,
}

fn team_item(a: &Analysis<'_>, i: usize) -> TeamItem {
    let item = &a.plan.items[i];
    TeamItem {
        id: item.id.value.clone(),
        title: item.title_text(),
        kind: item.kind.as_str(),
        status: item.status_name(),
        estimate: item.estimate.as_ref().map(|e| e.value),
        assignee: item.assignee_text(),
        priority: item.priority.as_ref().map(|p| p.value),
        sprint: item.sprint.as_ref().map(|s| s.value.clone()),
        theme: a
            .trace
            .theme_of(i)
            .map(|t| a.plan.themes[t].id.value.clone()),
        depends_on: item
            .depends_on
            .iter()
            .map(|d| Dependency {
                id: d.value.clone(),
                done: a.trace.is_done(a.plan, &d.value),
            })
            .collect(),
        acceptance: item.acceptance.to_vec(),
        carried_over: item
            .sprint
            .as_ref()
            .filter(|_| item.is_open())
            .filter(|s| {
                a.plan
                    .config
                    .sprints
                    .iter()
                    .any(|c| c.id == s.value && c.end < a.today)
            })
            .map(|s| s.value.clone()),
    }
}

/// Builds the team view for `sprint` (or the current sprint), with up to `limit` next items.
pub fn team(a: &Analysis<'_>, sprint: Option<&str>, limit: usize) -> TeamReport {
    let config = &a.plan.config;
    let sprint_id = sprint.or_else(|| config.current_sprint(a.today));
    let in_sprint =
        |item: &Item| sprint_id.is_some_and(|s| item.sprint.as_ref().is_some_and(|x| x.value == s));

    let mut members: Vec<usize> = (0..a.plan.items.len())
        .filter(|&i| in_sprint(&a.plan.items[i]))
        .collect();
    members.sort_by(|&x, &y| {
        let (ix, iy) = (&a.plan.items[x], &a.plan.items[y]);
        category_rank(ix.category())
            .cmp(&category_rank(iy.category()))
            .then_with(|| {
                ix.status
                    .as_ref()
                    .map(|s| &s.value.name)
                    .cmp(&iy.status.as_ref().map(|s| &s.value.name))
            })
            .then_with(|| item_order(ix, iy))
    });
    let mut groups: Vec<StatusGroup> = Vec::new();
    let mut points = Rollup::default();
    for &i in &members {
        let item = team_item(a, i);
        let status = item.status.clone().unwrap_or_else(|| "unknown".to_string());
        if a.trace.is_leaf(i) {
            points.add_leaf(&a.plan.items[i], config);
        }
        match groups.last_mut() {
            Some(g) if g.status == status => g.items.push(item),
            _ => groups.push(StatusGroup {
                status,
                items: vec![item],
            }),
        }
    }

    let mut next: Vec<usize> = (0..a.plan.items.len())
        .filter(|&i| {
            let item = &a.plan.items[i];
            item.is_open() && a.trace.is_leaf(i) && !in_sprint(item)
        })
        .collect();
    next.sort_by(|&x, &y| item_order(&a.plan.items[x], &a.plan.items[y]));
    let more_open = next.len().saturating_sub(limit);
    next.truncate(limit);
    let next_sprint = match sprint_id {
        Some(_) => None,
        None => config
            .sprints
            .iter()
            .filter(|s| s.start > a.today)
            .min_by_key(|s| s.start)
            .map(|s| NextSprint {
                id: s.id.clone(),
                start: s.start.to_string(),
            }),
    };

    let sprint = sprint_id.map(|id| {
        let calendar = config.sprints.iter().find(|s| s.id == id);
        SprintInfo {
            id: id.to_string(),
            start: calendar.map(|s| s.start.to_string()),
            end: calendar.map(|s| s.end.to_string()),
            capacity: calendar.and_then(|s| s.capacity),
            done: points.done,
            committed: points.total,
        }
    });
    TeamReport {
        sprint,
        next_sprint,
        has_calendar: !config.sprints.is_empty(),
        by_count: config.progress_by == crate::model::ProgressBy::Count,
        groups,
        next: next.into_iter().map(|i| team_item(a, i)).collect(),
        more_open,
        load: sprint_id.map_or_else(Vec::new, |s| {
            crate::progress::person_load(a.plan, &a.trace, s)
        }),
    }
}
