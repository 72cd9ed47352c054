//! Alignment and freshness rules: empty, stale and overdue themes, sprint alignment, done items
//! with open children (work on inactive themes is `inactive`).
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use super::context::{Context, History};
use crate::diag::{Finding, Location, Rule};
use crate::health::{self, Review};
use crate::model::{Category, Plan, ThemeStatus};
use crate::progress::{self, Rollup};
use crate::trace::{Effective, Trace};

pub(super) fn check(
    plan: &Plan,
    trace: &Trace<'_>,
    rollups: &[Rollup],
    ctx: Context,
    out: &mut Vec<Finding>,
) {
    themes(plan, trace, rollups, ctx, out);
    items(plan, trace, ctx, out);
    super::inactive::check(plan, trace, out);
}

fn themes(
    plan: &Plan,
    trace: &Trace<'_>,
    rollups: &[Rollup],
    ctx: Context,
    out: &mut Vec<Finding>,
) {
    for (t, theme) in plan.themes.iter().enumerate() {
        let Some(status) = &theme.status else {
            continue;
        };
        if status.value != ThemeStatus::Active {
            continue;
        }
        let status_at = Location {
            file: theme.file,
            span: Some(status.span),
        };
        let id = &theme.id.value;
        if trace.scope[t].is_empty() {
            out.push(
                Finding::new(Rule::EmptyTheme, format!("active theme `{id}` has no backlog items"), Some(theme.location()))
                    .on(id)
                    .label("no item serves it")
                    .help(format!("add backlog items with `theme: {id}`, or set the theme back to `proposed` until work is planned")),
            );
        }
        let cadence = plan.config.review_cadence_days;
        match health::review(theme, cadence, ctx.today) {
            Review::Fresh | Review::Unreadable => {}
            Review::Never => out.push(
                Finding::new(
                    Rule::StaleTheme,
                    format!("active theme `{id}` has no `reviewed` date"),
                    Some(status_at),
                )
                .on(id)
                .field("reviewed")
                .label("never reviewed")
                .help(format!(
                    "review it and record the day with `reviewed: {}`",
                    ctx.today
                )),
            ),
            Review::Stale(age) => out.push(
                Finding::new(
                    Rule::StaleTheme,
                    format!("theme `{id}` was last reviewed {age} days ago; the review cadence is {cadence} days"),
                    theme.reviewed.as_ref().map(|r| Location { file: theme.file, span: Some(r.span) }),
                )
                .on(id)
                .field("reviewed")
                .label("stale review")
                .help(format!("review whether the theme still holds and set `reviewed: {}`", ctx.today)),
            ),
        }
        if let Some(horizon) = &theme.horizon
            && let Some(end) = health::ended_before(theme, ctx.today)
            && !rollups[t].is_complete()
        {
            let done = rollups[t].fraction().map_or_else(
                || "it has no weighed work".to_string(),
                |f| format!("it is {}% done", progress::whole_percent(f)),
            );
            out.push(
                Finding::new(
                    Rule::OverdueTheme,
                    format!(
                        "theme `{id}`'s horizon {} ended on {end} and {done}",
                        horizon.value
                    ),
                    Some(Location {
                        file: theme.file,
                        span: Some(horizon.span),
                    }),
                )
                .on(id)
                .field("horizon")
                .label("horizon has passed")
                .help("re-plan the horizon, or set the theme's status to done or dropped"),
            );
        }
    }
}

/// The open items `stale-item` reports, by index, in plan order: their file did not change in git
/// (or the working tree) within `stale_item_days`. None without history.
pub fn stale_items(plan: &Plan, history: &History) -> Vec<usize> {
    let History::Known { changed, .. } = history else {
        return Vec::new();
    };
    (0..plan.items.len())
        .filter(|&i| {
            plan.items[i].is_open() && !changed.contains(&plan.file(plan.items[i].file).path)
        })
        .collect()
}

/// `stale-item`: one finding per file whose open items have not changed in git within
/// `stale_item_days`, saying how long ago the file last changed, so files can be ranked by it.
fn stale_files(plan: &Plan, ctx: Context, out: &mut Vec<Finding>) {
    let Some(history @ History::Known { last_changed, .. }) = ctx.history else {
        return;
    };
    let days = plan.config.stale_item_days;
    let mut by_file: Vec<(crate::diag::FileId, Vec<&crate::model::Item>)> = Vec::new();
    for item in stale_items(plan, history)
        .into_iter()
        .map(|i| &plan.items[i])
    {
        match by_file.last_mut() {
            Some((file, items)) if *file == item.file => items.push(item),
            _ => by_file.push((item.file, vec![item])),
        }
    }
    for (file, items) in by_file {
        let path = &plan.file(file).path;
        let first = items[0];
        let who = match items.len() {
            1 => format!("`{}` is open", first.id.value),
            2 => format!("`{}` and `{}` are open", first.id.value, items[1].id.value),
            n => format!("`{}` and {} more items are open", first.id.value, n - 1),
        };
        let age = match last_changed.get(path) {
            Some(day) => format!(
                "its file last changed in git {} days ago, on {day}",
                day.days_until(ctx.today)
            ),
            None => format!("its file has not changed in git for over {days} days"),
        };
        out.push(
            Finding::new(
                Rule::StaleItem,
                format!("{who} and {age}"),
                Some(first.location()),
            )
            .label("untouched")
            .help(format!(
                "re-plan it, close it (wontdo) if nobody will do it, or record progress on it; \
                     items count as stale after {days} days (`stale_item_days`)"
            )),
        );
    }
}

fn items(plan: &Plan, trace: &Trace<'_>, ctx: Context, out: &mut Vec<Finding>) {
    stale_files(plan, ctx, out);
    for item in &plan.items {
        if let Some(done_on) = &item.done_on
            && done_on.value > ctx.today
        {
            let mut f = Finding::new(
                Rule::InvalidValue,
                format!(
                    "`done_on` is {}, after today ({})",
                    done_on.value, ctx.today
                ),
                Some(item.at(done_on.span)),
            )
            .on(&item.id.value)
            .field("done_on")
            .label("in the future")
            .help("write the day the item was finished, or leave `done_on` out until it is");
            // A date ahead of the clock is likely a typo or a time zone, not a broken plan.
            f.severity = crate::diag::Severity::Warning;
            out.push(f);
        }
    }
    let current = plan.config.current_sprint(ctx.today);
    for (i, item) in plan.items.iter().enumerate() {
        let effective = trace.effective[i];
        let theme = match effective {
            Effective::Theme { theme, named_by } => Some((&plan.themes[theme], named_by)),
            _ => None,
        };
        if let (Some(current), Some(sprint)) = (current, &item.sprint)
            && sprint.value == current
        {
            let why = match theme {
                Some((t, _)) if t.status() == Some(ThemeStatus::Active) => None,
                Some((t, _)) => Some(format!(
                    "its theme `{}` is {}",
                    t.id.value,
                    t.status().map_or("without a status", ThemeStatus::as_str)
                )),
                None if effective == Effective::Broken => None, // the broken link is reported already
                None => Some("it traces to no theme".to_string()),
            };
            if let Some(why) = why {
                out.push(
                    Finding::new(
                        Rule::SprintMisaligned,
                        format!("`{}` is in the current sprint `{current}` but {why}", item.id.value),
                        Some(item.at(sprint.span)),
                    )
                    .on(&item.id.value)
                    .field("sprint")
                    .label("current sprint")
                    .help("sprint capacity should move active themes forward; re-plan the item or trace it to an active theme"),
                );
            }
        }
        if item.category() == Some(Category::Done) {
            for dep in &item.depends_on {
                let Some(j) = trace.item(&dep.value) else {
                    continue;
                };
                if plan.items[j].is_open() {
                    out.push(
                        Finding::new(
                            Rule::DoneWithOpenDependency,
                            format!(
                                "`{}` is done but depends on `{}`, which is {}",
                                item.id.value,
                                dep.value,
                                plan.items[j].status_name().unwrap_or_default()
                            ),
                            Some(item.at(dep.span)),
                        )
                        .on(&item.id.value)
                        .field(format!("depends_on[{}]", dep.value))
                        .label("still open")
                        .help("finish the dependency, drop it from `depends_on` if it was not needed, or reopen this item"),
                    );
                }
            }
            let open: Vec<&str> = trace.children[i]
                .iter()
                .filter(|&&c| plan.items[c].is_open())
                .map(|&c| plan.items[c].id.value.as_str())
                .collect();
            if !open.is_empty() {
                let status_span = item.status.as_ref().map_or(item.id.span, |s| s.span);
                let shown: Vec<String> = open.iter().take(5).map(|c| format!("`{c}`")).collect();
                let more = if open.len() > 5 {
                    format!(" and {} more", open.len() - 5)
                } else {
                    String::new()
                };
                out.push(
                    Finding::new(
                        Rule::DoneWithOpenChildren,
                        format!(
                            "`{}` is done but {} {} still open",
                            item.id.value,
                            shown.join(", ") + &more,
                            if open.len() == 1 { "is" } else { "are" }
                        ),
                        Some(item.at(status_span)),
                    )
                    .on(&item.id.value)
                    .field("status")
                    .label("done too early?")
                    .help("finish or close (wontdo) the open children, or reopen this item"),
                );
            }
        }
    }
}
