//! The product manager's view: the traceability tree and how well the backlog serves strategy.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use serde::Serialize;

use super::{Analysis, by_priority, horizon_of, item_order, status_of};
use crate::health::{self, Review};
use crate::model::{Plan, ThemeStatus};
use crate::progress::{self, Weighed};
use crate::time::Date;
use crate::trace::{Effective, Links};

/// One item in a theme's tree, flattened in pre-order with its depth (0 under the theme).
#[derive(Clone, Debug, Serialize)]
pub struct TreeRow {
    /// Depth below the theme.
    pub depth: usize,
    /// Item id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: &'static str,
    /// Status as written.
    pub status: Option<String>,
    /// Rolled-up progress of the item (its leaves), `null` with nothing to weigh.
    pub progress: Option<f64>,
}

/// A theme with its tree.
#[derive(Clone, Debug, Serialize)]
pub struct PmTheme {
    /// Theme id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: Option<&'static str>,
    /// Horizon.
    pub horizon: Option<String>,
    /// Rolled-up progress.
    pub progress: Option<f64>,
    /// Epics, stories and tasks serving it.
    pub items: Vec<TreeRow>,
}

/// How much of the backlog serves active themes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alignment {
    /// Share of open weight serving active themes (0 to 1), `null` with no open work.
    pub open_share: Option<f64>,
    /// Share of the current sprint's weight serving active themes, `null` with no sprint or no
    /// weight in it.
    pub sprint_share: Option<f64>,
    /// The current sprint.
    pub current_sprint: Option<String>,
}

/// Open work on a theme that is done or dropped.
#[derive(Clone, Debug, Serialize)]
pub struct Drift {
    /// Item id.
    pub item: String,
    /// The inactive theme.
    pub theme: String,
    /// Its status.
    pub theme_status: &'static str,
}

/// An active theme whose review is missing or stale.
#[derive(Clone, Debug, Serialize)]
pub struct Stale {
    /// Theme id.
    pub id: String,
    /// Last review, if any.
    pub reviewed: Option<String>,
    /// Days since it, if any.
    pub days: Option<i64>,
}

/// `roadlog report pm`.
#[derive(Clone, Debug, Serialize)]
pub struct PmReport {
    /// Product name.
    pub product: Option<String>,
    /// Themes by priority, each with its tree.
    pub themes: Vec<PmTheme>,
    /// Alignment figures.
    pub alignment: Alignment,
    /// Items that trace to no theme: none named, or a link that names nothing.
    pub orphans: Vec<String>,
    /// Open items on done or dropped themes.
    pub drift: Vec<Drift>,
    /// Active themes with no items.
    pub empty_themes: Vec<String>,
    /// Active themes due for review.
    pub stale_themes: Vec<Stale>,
}

/// Open work on one inactive theme, for views that group [`PmReport::drift`] by theme.
#[derive(Clone, Debug, PartialEq)]
pub struct DriftGroup<'r> {
    /// The inactive theme.
    pub theme: &'r str,
    /// Its status.
    pub theme_status: &'static str,
    /// The open items serving it, in plan order.
    pub items: Vec<&'r str>,
}

impl PmReport {
    /// [`PmReport::drift`] grouped by theme, in the order the themes first appear, each
    /// group's ids in the order people read them (`A-2` before `A-10`).
    pub fn drift_by_theme(&self) -> Vec<DriftGroup<'_>> {
        let mut groups: Vec<DriftGroup<'_>> = Vec::new();
        for d in &self.drift {
            match groups.iter_mut().find(|g| g.theme == d.theme) {
                Some(g) => g.items.push(&d.item),
                None => groups.push(DriftGroup {
                    theme: &d.theme,
                    theme_status: d.theme_status,
                    items: vec![&d.item],
                }),
            }
        }
        for g in &mut groups {
            g.items.sort_by(|a, b| crate::model::natural_cmp(a, b));
        }
        groups
    }
}

fn share(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part / whole)
}

/// The items serving theme `t` as a pre-order list with depths: roots are items whose parent
/// does not serve the theme too; children that serve another theme are left to that theme.
pub(super) fn theme_tree(
    a: &Analysis<'_>,
    t: usize,
    item_rollups: &[crate::progress::Rollup],
) -> Vec<TreeRow> {
    let (plan, trace) = (a.plan, &a.trace);
    let mut roots: Vec<usize> = trace.scope[t]
        .iter()
        .copied()
        .filter(|&i| trace.parent[i].is_none_or(|p| trace.theme_of(p) != Some(t)))
        .collect();
    // Reversed, because the stack pops from the end.
    roots.sort_by(|&x, &y| item_order(&plan.items[y], &plan.items[x]));
    let mut stack: Vec<(usize, usize)> = roots.into_iter().map(|i| (i, 0)).collect();
    let mut rows = Vec::new();
    while let Some((i, depth)) = stack.pop() {
        let item = &plan.items[i];
        rows.push(TreeRow {
            depth,
            id: item.id.value.clone(),
            title: item.title_text(),
            kind: item.kind.as_str(),
            status: item.status_name(),
            progress: item_rollups[i].fraction(),
        });
        let mut children: Vec<usize> = trace.children[i]
            .iter()
            .copied()
            .filter(|&c| trace.theme_of(c) == Some(t))
            .collect();
        children.sort_by(|&x, &y| item_order(&plan.items[y], &plan.items[x]));
        stack.extend(children.into_iter().map(|c| (c, depth + 1)));
    }
    rows
}

/// How much of the open work, and of the sprint current on `date`, serves active themes: leaves
/// weighed as progress weighs them, `wontdo` left out.
pub fn alignment(plan: &Plan, trace: &Links, date: Date) -> Alignment {
    let current = plan.config.current_sprint(date);
    alignment_by(plan, trace, current, |i| {
        let item = &plan.items[i];
        let in_sprint = current.is_some_and(|s| item.sprint.as_ref().is_some_and(|x| x.value == s));
        (Weighed::of(item, &plan.config), in_sprint)
    })
}

/// [`alignment`] from each item's weighing and whether it is in the sprint `current`, by index.
pub fn alignment_by(
    plan: &Plan,
    trace: &Links,
    current: Option<&str>,
    weigh: impl Fn(usize) -> (Weighed, bool),
) -> Alignment {
    let is_active = |t: usize| plan.themes[t].status() == Some(ThemeStatus::Active);
    let (mut open_all, mut open_active, mut sprint_all, mut sprint_active) = (0.0, 0.0, 0.0, 0.0);
    for i in (0..plan.items.len()).filter(|&i| trace.is_leaf(i)) {
        let (leaf, in_sprint) = weigh(i);
        if leaf.category == Some(crate::model::Category::Wontdo) {
            continue;
        }
        let w = leaf.weight;
        let active = trace.theme_of(i).is_some_and(is_active);
        if leaf.is_open() {
            open_all += w;
            if active {
                open_active += w;
            }
        }
        if in_sprint {
            sprint_all += w;
            if active {
                sprint_active += w;
            }
        }
    }
    Alignment {
        open_share: share(open_active, open_all),
        sprint_share: current.and_then(|_| share(sprint_active, sprint_all)),
        current_sprint: current.map(str::to_string),
    }
}

/// Builds the product manager's view.
pub fn pm(a: &Analysis<'_>) -> PmReport {
    let (plan, trace) = (a.plan, &a.trace);
    let item_rollups = progress::item_rollups(plan, trace);
    let is_active = |t: usize| plan.themes[t].status() == Some(ThemeStatus::Active);

    let mut order: Vec<usize> = (0..plan.themes.len()).collect();
    order.sort_by(|&x, &y| by_priority(&plan.themes[x], &plan.themes[y]));
    let themes = order
        .iter()
        .map(|&t| {
            let theme = &plan.themes[t];
            let rows = theme_tree(a, t, &item_rollups);
            PmTheme {
                id: theme.id.value.clone(),
                title: theme.display_title(),
                status: status_of(theme),
                horizon: horizon_of(theme),
                progress: a.rollups[t].fraction(),
                items: rows,
            }
        })
        .collect();

    // An item whose link is broken (a theme or parent that does not exist) traces to no theme
    // either: `check` says why, and the PM sees it among the orphans rather than nowhere.
    let orphans = (0..plan.items.len())
        .filter(|&i| matches!(trace.effective[i], Effective::None | Effective::Broken))
        .map(|i| plan.items[i].id.value.clone())
        .collect();
    let drift = (0..plan.items.len())
        .filter(|&i| plan.items[i].is_open())
        .filter_map(|i| {
            let t = trace.theme_of(i)?;
            let status = plan.themes[t].status().filter(|s| s.is_over())?;
            Some(Drift {
                item: plan.items[i].id.value.clone(),
                theme: plan.themes[t].id.value.clone(),
                theme_status: status.as_str(),
            })
        })
        .collect();
    let empty_themes = order
        .iter()
        .filter(|&&t| is_active(t) && trace.scope[t].is_empty())
        .map(|&t| plan.themes[t].id.value.clone())
        .collect();
    let stale_themes = order
        .iter()
        .filter(|&&t| is_active(t))
        .filter_map(|&t| {
            let theme = &plan.themes[t];
            let days = match health::review(theme, plan.config.review_cadence_days, a.today) {
                Review::Fresh | Review::Unreadable => return None,
                Review::Never => None,
                Review::Stale(days) => Some(days),
            };
            Some(Stale {
                id: theme.id.value.clone(),
                reviewed: theme.reviewed.as_ref().map(|r| r.value.to_string()),
                days,
            })
        })
        .collect();

    PmReport {
        product: plan.config.product.clone(),
        themes,
        alignment: alignment(a.plan, &a.trace, a.today),
        orphans,
        drift,
        empty_themes,
        stale_themes,
    }
}
