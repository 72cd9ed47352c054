//! `inactive-theme-work`: open work on a theme that is done or dropped, once per top-level item
//! under the theme, so an epic and its stories are one finding (a goal of 107 items is not 107
//! warnings).
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables and in the per-item vectors `Trace` builds beside them"
)]

use std::collections::BTreeMap;

use crate::diag::{Finding, Rule};
use crate::model::{Plan, ThemeStatus};
use crate::trace::{Effective, Trace};

/// How many of a group's items a message names; JSON's `items` lists them all.
const NAMED: usize = 5;

pub(super) fn check(plan: &Plan, trace: &Trace<'_>, out: &mut Vec<Finding>) {
    // The open items under each top-level item of an inactive theme, in plan order.
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, item) in plan.items.iter().enumerate() {
        let Effective::Theme { theme, .. } = trace.effective[i] else {
            continue;
        };
        if item.is_open() && inactive(plan, theme).is_some() {
            groups.entry(top(trace, i, theme)).or_default().push(i);
        }
    }
    for (top, open) in groups {
        let Effective::Theme { theme, named_by } = trace.effective[top] else {
            continue;
        };
        let (t, Some(status)) = (&plan.themes[theme], inactive(plan, theme)) else {
            continue;
        };
        let item = &plan.items[top];
        let via = if named_by == top {
            String::new()
        } else {
            format!(" (through `{}`)", plan.items[named_by].id.value)
        };
        let at = match (&item.theme, named_by == top) {
            (Some(theme), true) => item.at(theme.span),
            _ => item.location(),
        };
        let ids: Vec<String> = open
            .iter()
            .map(|&i| plan.items[i].id.value.clone())
            .collect();
        let serves = |n: usize| {
            let verb = if n == 1 { "serves" } else { "serve" };
            format!(
                "{verb} theme `{}`{via}, which is {}",
                t.id.value,
                status.as_str()
            )
        };
        let message = match open.as_slice() {
            [only] if *only == top => format!("`{}` is open but {}", item.id.value, serves(1)),
            [first, rest @ ..] if *first == top => format!(
                "`{}` and {} under it are open and {}: {}",
                item.id.value,
                crate::diag::count(rest.len(), "item"),
                serves(open.len()),
                named(ids.get(1..).unwrap_or_default())
            ),
            _ => format!(
                "{} under `{}` {} open and {}: {}",
                crate::diag::count(open.len(), "item"),
                item.id.value,
                if open.len() == 1 { "is" } else { "are" },
                serves(open.len()),
                named(&ids)
            ),
        };
        out.push(
            Finding::new(Rule::InactiveThemeWork, message, Some(at))
                .on(&item.id.value)
                .field("theme")
                .label(format!("theme is {}", status.as_str()))
                .items(ids)
                .help(if open.len() == 1 {
                    "close the item (done or wontdo), or move it to an active theme"
                } else {
                    "close the items (done or wontdo), or move them to an active theme"
                }),
        );
    }
}

/// The theme's status, when it is one that takes no more work.
fn inactive(plan: &Plan, theme: usize) -> Option<ThemeStatus> {
    plan.themes[theme].status().filter(|s| s.is_over())
}

/// The topmost ancestor of `i` that serves the same theme: the item its finding is told on.
fn top(trace: &Trace<'_>, i: usize, theme: usize) -> usize {
    let mut at = i;
    // Bounded by the plan's size: a parent cycle leaves `effective` broken, never here.
    for _ in 0..trace.parent.len() {
        match trace.parent[at] {
            Some(p) if matches!(trace.effective[p], Effective::Theme { theme: t, .. } if t == theme) =>
            {
                at = p;
            }
            _ => break,
        }
    }
    at
}

/// The first few ids, and how many more.
fn named(ids: &[String]) -> String {
    let shown: Vec<String> = ids.iter().take(NAMED).map(|id| format!("`{id}`")).collect();
    match ids.len().saturating_sub(NAMED) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}
