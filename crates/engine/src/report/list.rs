//! `roadlog list`: the items (or themes) that answer one everyday question, filtered and sorted,
//! as plain rows. The filter values are checked by the caller; here they only select.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use std::cmp::Ordering;
use std::collections::HashSet;

use serde::Serialize;

use super::{Analysis, by_priority, category_rank, horizon_of, item_order, status_of};
use crate::model::{Spanned, ThemeStatus, natural_cmp};
use crate::progress::whole_percent;

/// What `list` selects: every filter given must hold (AND).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Items serving this theme, directly or through their parents.
    pub theme: Option<String>,
    /// Items (or themes) with this status, as written.
    pub status: Option<String>,
    /// Open items (todo, in progress, blocked), or proposed and active themes.
    pub open: bool,
    /// Items of this kind.
    pub kind: Option<String>,
    /// Items assigned to this person.
    pub assignee: Option<String>,
    /// Items in this sprint (already resolved from `current`).
    pub sprint: Option<String>,
    /// Items (or themes) with this tag.
    pub tag: Option<String>,
    /// Open items that cannot be worked on now: blocked, or waiting on work not done.
    pub blocked: bool,
    /// Leaf items without an estimate.
    pub unestimated: bool,
}

/// What the history-reading filters found, by item index; `None` when not asked for.
#[derive(Clone, Debug, Default)]
pub struct Flagged {
    /// Items `stale-item` reports.
    pub stale: Option<HashSet<usize>>,
    /// Items `suspect-item` names.
    pub suspect: Option<HashSet<usize>>,
}

/// The order of `list`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Backlog rank (themes: theme priority, then horizon), then id.
    #[default]
    Priority,
    /// Id, in natural order (`BL-9` before `BL-10`).
    Id,
    /// Status, then rank.
    Status,
    /// Theme id, then rank.
    Theme,
    /// Estimate, largest first, then rank.
    Estimate,
}

/// An item as `list` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct ItemRow {
    /// Item id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: &'static str,
    /// Status as written.
    pub status: Option<String>,
    /// The theme it serves (own or inherited).
    pub theme: Option<String>,
    /// The item it breaks down.
    pub parent: Option<String>,
    /// Story points.
    pub estimate: Option<f64>,
    /// Backlog rank.
    pub priority: Option<u32>,
    /// Sprint id.
    pub sprint: Option<String>,
    /// Who works on it, everyone named.
    pub assignee: Vec<String>,
    /// Themes or items linked for reference.
    pub related: Vec<String>,
    /// Free labels.
    pub tags: Vec<String>,
    /// Open but not workable now (blocked, or waiting on work not done).
    pub blocked: bool,
    /// Of an open item, what it depends on that is not done (unknown ids too).
    pub waiting_on: Vec<String>,
    /// The file, relative to the plan root.
    pub file: String,
}

/// A theme as `list --themes` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct ThemeRow {
    /// Theme id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status, if readable.
    pub status: Option<&'static str>,
    /// Horizon as written.
    pub horizon: Option<String>,
    /// Theme priority.
    pub priority: Option<u32>,
    /// Owner.
    pub owner: Option<String>,
    /// Whole percent done, `null` with nothing to weigh.
    pub progress: Option<u32>,
    /// Free labels.
    pub tags: Vec<String>,
    /// The file, relative to the plan root.
    pub file: String,
}

/// The rows of `list`: `{"items": […]}` or `{"themes": […]}` in JSON.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Listing {
    /// Backlog items.
    Items(Vec<ItemRow>),
    /// Roadmap themes.
    Themes(Vec<ThemeRow>),
}

impl Listing {
    /// The ids, in order.
    pub fn ids(&self) -> Vec<&str> {
        match self {
            Listing::Items(rows) => rows.iter().map(|r| r.id.as_str()).collect(),
            Listing::Themes(rows) => rows.iter().map(|r| r.id.as_str()).collect(),
        }
    }
}

/// The items that pass `filter` and `flagged`, in `sort` order.
pub fn items(a: &Analysis<'_>, filter: &Filter, flagged: &Flagged, sort: SortKey) -> Listing {
    let plan = a.plan;
    let theme = filter.theme.as_deref().and_then(|t| a.trace.theme(t));
    // A team stands for its members, and for itself where an item names the team.
    let assignees: Option<Vec<&str>> =
        filter
            .assignee
            .as_deref()
            .map(|w| match plan.config.team(w) {
                Some(team) => std::iter::once(team.name.as_str())
                    .chain(team.members.iter().map(String::as_str))
                    .collect(),
                None => vec![w],
            });
    let keep = |i: usize| {
        let item = &plan.items[i];
        // An initiative's scope holds its themes' items too; a scope is in plan order.
        (filter.theme.is_none()
            || theme.is_some_and(|t| a.trace.scope[t].binary_search(&i).is_ok()))
            && filter
                .status
                .as_ref()
                .is_none_or(|s| item.status_name().as_ref() == Some(s))
            && (!filter.open || item.is_open())
            && filter
                .kind
                .as_deref()
                .is_none_or(|k| item.kind.as_str() == k)
            && assignees.as_ref().is_none_or(|ws| {
                item.assignee
                    .iter()
                    .any(|a| ws.iter().any(|w| same_person(&a.value, w)))
            })
            && same(filter.sprint.as_deref(), item.sprint.as_ref())
            && filter.tag.as_ref().is_none_or(|t| item.tags.contains(t))
            && (!filter.blocked || (item.is_open() && !a.trace.is_ready(plan, i)))
            && (!filter.unestimated || (item.estimate.is_none() && a.trace.is_leaf(i)))
            && flagged.stale.as_ref().is_none_or(|s| s.contains(&i))
            && flagged.suspect.as_ref().is_none_or(|s| s.contains(&i))
    };
    let mut rows: Vec<usize> = (0..plan.items.len()).filter(|&i| keep(i)).collect();
    let theme_id = |i: usize| {
        a.trace
            .theme_of(i)
            .map(|t| plan.themes[t].id.value.as_str())
    };
    rows.sort_by(|&x, &y| {
        let (ix, iy) = (&plan.items[x], &plan.items[y]);
        let first = match sort {
            SortKey::Priority => Ordering::Equal,
            SortKey::Id => natural_cmp(&ix.id.value, &iy.id.value),
            SortKey::Status => category_rank(ix.category())
                .cmp(&category_rank(iy.category()))
                .then_with(|| ix.status_name().cmp(&iy.status_name())),
            SortKey::Theme => none_last(theme_id(x), theme_id(y)),
            // Largest first, unestimated last.
            SortKey::Estimate => match (&ix.estimate, &iy.estimate) {
                (Some(a), Some(b)) => b.value.total_cmp(&a.value),
                (a, b) => b.is_some().cmp(&a.is_some()),
            },
        };
        first.then_with(|| item_order(ix, iy))
    });
    Listing::Items(
        rows.into_iter()
            .map(|i| {
                let item = &plan.items[i];
                ItemRow {
                    id: item.id.value.clone(),
                    title: item.title_text(),
                    kind: item.kind.as_str(),
                    status: item.status_name(),
                    theme: theme_id(i).map(str::to_string),
                    parent: item.parent.as_ref().map(|p| p.value.clone()),
                    estimate: item.estimate.as_ref().map(|e| e.value),
                    priority: item.priority.as_ref().map(|p| p.value),
                    sprint: item.sprint.as_ref().map(|s| s.value.clone()),
                    assignee: item.assignee.iter().map(|a| a.value.clone()).collect(),
                    related: item.related.iter().map(|r| r.value.clone()).collect(),
                    tags: item.tags.to_vec(),
                    blocked: item.is_open() && !a.trace.is_ready(plan, i),
                    waiting_on: item
                        .depends_on
                        .iter()
                        .filter(|_| item.is_open())
                        .filter(|d| !a.trace.is_done(plan, &d.value))
                        .map(|d| d.value.clone())
                        .collect(),
                    file: plan.file(item.file).path.clone(),
                }
            })
            .collect(),
    )
}

/// The themes that pass the theme filters (`status`, `open`, `tag`), in `sort` order.
pub fn themes(a: &Analysis<'_>, filter: &Filter, sort: SortKey) -> Listing {
    let plan = a.plan;
    let mut rows: Vec<usize> = (0..plan.themes.len())
        .filter(|&t| {
            let theme = &plan.themes[t];
            filter
                .status
                .as_deref()
                .is_none_or(|s| theme.status_text().as_deref() == Some(s))
                && (!filter.open
                    || matches!(
                        theme.status(),
                        Some(ThemeStatus::Proposed | ThemeStatus::Active)
                    ))
                && filter.tag.as_ref().is_none_or(|g| theme.tags.contains(g))
        })
        .collect();
    rows.sort_by(|&x, &y| {
        let (tx, ty) = (&plan.themes[x], &plan.themes[y]);
        let first = match sort {
            SortKey::Id | SortKey::Theme => natural_cmp(&tx.id.value, &ty.id.value),
            SortKey::Status => none_last(status_rank(tx), status_rank(ty)),
            SortKey::Priority | SortKey::Estimate => Ordering::Equal,
        };
        first
            .then_with(|| by_priority(tx, ty))
            .then_with(|| natural_cmp(&tx.id.value, &ty.id.value))
    });
    Listing::Themes(
        rows.into_iter()
            .map(|t| {
                let theme = &plan.themes[t];
                ThemeRow {
                    id: theme.id.value.clone(),
                    title: theme.display_title(),
                    status: status_of(theme),
                    horizon: horizon_of(theme),
                    priority: theme.priority.as_ref().map(|p| p.value),
                    owner: theme.owner.clone(),
                    progress: a.rollups[t].fraction().map(whole_percent),
                    tags: theme.tags.clone(),
                    file: plan.file(theme.file).path.clone(),
                }
            })
            .collect(),
    )
}

/// A filter on an optional text field: none given passes everything.
fn same(wanted: Option<&str>, value: Option<&Spanned<String>>) -> bool {
    wanted.is_none_or(|w| value.is_some_and(|v| v.value == w))
}

/// Orders present values before absent ones.
fn none_last<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// A theme status's place in [`ThemeStatus::ALL`], the lifecycle order.
fn status_rank(theme: &crate::model::Theme) -> Option<usize> {
    let status = theme.status()?;
    ThemeStatus::ALL.iter().position(|&s| s == status)
}

/// Whether two spellings name the same person: names are typed by hand, so `Alice` is `alice`.
pub fn same_person(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}
