//! `priority-inversion`: the backlog working against the roadmap's ranking. The current sprint
//! carries work for a theme ranked below another active theme that has ready work waiting, or
//! the backlog ranks an item of the lower theme above every ready item of the higher one.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use std::sync::Arc;

use crate::diag::{Finding, Location, Rule};
use crate::model::{Plan, ThemeStatus, natural_cmp};
use crate::time::Date;
use crate::trace::{Entity, Trace};

/// Items named in a message at most; the rest are counted.
const NAMED: usize = 5;

pub(super) fn check(plan: &Plan, trace: &Trace<'_>, today: Date, out: &mut Vec<Finding>) {
    // Active themes with a rank, best first.
    let mut ranked: Vec<(usize, u32)> = plan
        .themes
        .iter()
        .enumerate()
        .filter(|(_, t)| t.status() == Some(ThemeStatus::Active))
        .filter_map(|(i, t)| Some((i, t.priority.as_ref()?.value)))
        .collect();
    ranked.sort_by_key(|&(i, p)| (p, i));
    if ranked.len() < 2 {
        return;
    }
    let current = plan.config.current_sprint(today);
    let open = |i: usize| plan.items[i].is_open();
    let in_sprint = |i: usize| {
        current.is_some_and(|c| plan.items[i].sprint.as_ref().is_some_and(|s| s.value == c))
    };
    let rank = |i: usize| {
        plan.items[i]
            .priority
            .as_ref()
            .map_or(u32::MAX, |p| p.value)
    };
    // Each ranked theme's leaves, in id order once (so the lists filtered from them are in the
    // order messages name them), and what it has in the sprint or ranked: worked out once per
    // theme, not once per pair of themes.
    let leaves: Vec<Vec<usize>> = ranked
        .iter()
        .map(|&(t, _)| {
            let mut leaves: Vec<usize> = trace.scope[t]
                .iter()
                .copied()
                .filter(|&i| trace.is_leaf(i))
                .collect();
            leaves.sort_by(|&a, &b| natural_cmp(&plan.items[a].id.value, &plan.items[b].id.value));
            leaves
        })
        .collect();
    // Every finding on a theme names it: one copy of its id for all of them.
    let ids: Vec<Arc<str>> = ranked
        .iter()
        .map(|&(t, _)| Arc::from(plan.themes[t].id.value.as_str()))
        .collect();
    // Ids as numbers (the entity that first holds each), so that whether a higher theme's work
    // waits on an item is a mark in an array: hashing the ids of the items in every pair of
    // themes was most of this rule at 500 themes.
    let number = |id: &str| match trace.by_id.get(id)? {
        Entity::Theme(t) => Some(*t),
        Entity::Item(i) => Some(plan.themes.len() + i),
    };
    let numbered = |i: usize| (i, number(&plan.items[i].id.value));
    let sprinted_of: Vec<Vec<(usize, Option<usize>)>> = leaves
        .iter()
        .map(|l| {
            l.iter()
                .copied()
                .filter(|&i| open(i) && in_sprint(i))
                .map(numbered)
                .collect()
        })
        .collect();
    let ranked_of: Vec<Vec<(usize, Option<usize>)>> = leaves
        .iter()
        .map(|l| {
            let ranked = |&i: &usize| open(i) && plan.items[i].priority.is_some();
            l.iter().copied().filter(ranked).map(numbered).collect()
        })
        .collect();
    // `needed[n] == k`: the k-th ranked theme's work depends on the id numbered `n`.
    let mut needed = vec![usize::MAX; plan.themes.len() + plan.items.len()];
    for (k, &(high, high_rank)) in ranked.iter().enumerate() {
        let waiting: Vec<usize> = leaves[k]
            .iter()
            .copied()
            .filter(|&i| trace.is_ready(plan, i) && !in_sprint(i))
            .collect();
        if waiting.is_empty() {
            continue;
        }
        let waiting_named = named(plan, &waiting);
        // What the higher theme's work waits on explains the lower theme's being done first.
        for &i in &leaves[k] {
            for n in plan.items[i]
                .depends_on
                .iter()
                .filter_map(|d| number(&d.value))
            {
                needed[n] = k;
            }
        }
        let best_waiting = waiting.iter().map(|&i| rank(i)).min().unwrap_or(u32::MAX);
        let h = &plan.themes[high];
        // The same for every theme ranked below this one.
        let field: Arc<str> = format!("priority[{}]", h.id.value).into();
        let label: Arc<str> = format!("ranked below `{}`", h.id.value).into();
        let help: Arc<str> = format!(
            "work `{}` first, or say why this order holds: `depends_on` from its items to the \
             work that must come first, or re-rank the themes; to allow it on purpose, set \
             `rules: {{ priority-inversion: off }}` in roadlog.yaml",
            h.id.value
        )
        .into();
        for (j, &(low, low_rank)) in ranked.iter().enumerate().skip(k + 1) {
            if low_rank == high_rank {
                continue;
            }
            let unexplained =
                |&(i, n): &(usize, Option<usize>)| n.is_none_or(|n| needed[n] != k).then_some(i);
            let sprinted: Vec<usize> = sprinted_of[j].iter().filter_map(unexplained).collect();
            let ahead = || -> Vec<usize> {
                ranked_of[j]
                    .iter()
                    .filter(|&&(i, _)| rank(i) < best_waiting)
                    .filter_map(unexplained)
                    .collect()
            };
            let l = &plan.themes[low];
            let message = if !sprinted.is_empty() {
                format!(
                    "the current sprint `{}` carries work for `{}` (theme priority {low_rank}): {}, while `{}` (theme priority {high_rank}) has ready work outside it: {}",
                    current.unwrap_or_default(),
                    l.id.value,
                    named(plan, &sprinted),
                    h.id.value,
                    waiting_named,
                )
            } else {
                let ahead = ahead();
                if ahead.is_empty() {
                    continue;
                }
                format!(
                    "the backlog ranks work for `{}` (theme priority {low_rank}): {}, above every ready item of `{}` (theme priority {high_rank}): {}",
                    l.id.value,
                    named(plan, &ahead),
                    h.id.value,
                    waiting_named,
                )
            };
            let Some(at) = l.priority.as_ref() else {
                continue;
            };
            out.push(
                Finding::new(
                    Rule::PriorityInversion,
                    message,
                    Some(Location {
                        file: l.file,
                        span: Some(at.span),
                    }),
                )
                .on(&ids[j])
                .field(&field)
                .label(Arc::clone(&label))
                .help(Arc::clone(&help)),
            );
        }
    }
}

/// `` `BL-1`, `BL-2`, `BL-3`, `BL-4`, `BL-5`, 4 more ``, of items already in id order: written
/// into one string, since a `format!` per id was a third of this rule at 500 themes.
fn named(plan: &Plan, items: &[usize]) -> String {
    let mut out = String::new();
    for (n, &i) in items.iter().take(NAMED).enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(&plan.items[i].id.value);
        out.push('`');
    }
    if items.len() > NAMED {
        out.push_str(&format!(", {} more", items.len() - NAMED));
    }
    out
}
