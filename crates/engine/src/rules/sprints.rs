//! The sprint calendar: sprints named that it does not have, sprints that overlap, and sprints
//! planned past their capacity.

use super::context::Context;
use crate::diag::{FileId, Finding, Location, Rule, did_you_mean};
use crate::model::{Category, Plan};
use crate::progress::weight;
use crate::time::Date;
use crate::trace::Trace;

/// `roadlog.yaml` is the plan's first file.
const CONFIG: FileId = FileId(0);

pub(super) fn check(plan: &Plan, trace: &Trace<'_>, ctx: Context, out: &mut Vec<Finding>) {
    let (suggest, today) = (ctx.suggest, ctx.today);
    let ids = plan.config.sprint_ids();
    if ids.is_empty() {
        return;
    }
    let known = |id: &str| ids.contains(&id);
    let help = |wrong: &str| {
        let near = if suggest {
            did_you_mean(wrong, ids.iter().copied())
        } else {
            None
        };
        Some(near.map_or_else(
            || {
                format!(
                    "the calendar's sprints are: {}; add this one to `sprints`",
                    ids.join(", ")
                )
            },
            |n| format!("did you mean `{n}`?"),
        ))
    };
    if let Some(current) = &plan.config.current_sprint
        && !known(&current.value)
    {
        out.push(
            Finding::new(
                Rule::UnknownSprint,
                format!(
                    "`current_sprint` is `{}`, which is not a sprint of the calendar",
                    current.value
                ),
                Some(Location {
                    file: CONFIG,
                    span: Some(current.span),
                }),
            )
            .field("current_sprint")
            .label("no such sprint")
            .maybe_help(help(&current.value)),
        );
    }
    for item in &plan.items {
        if let Some(sprint) = &item.sprint
            && !known(&sprint.value)
        {
            out.push(
                Finding::new(
                    Rule::UnknownSprint,
                    format!(
                        "`{}` is planned into sprint `{}`, which is not a sprint of the calendar",
                        item.id.value, sprint.value
                    ),
                    Some(item.at(sprint.span)),
                )
                .on(&item.id.value)
                .field("sprint")
                .label("no such sprint")
                .maybe_help(help(&sprint.value)),
            );
        }
    }
    overlaps(plan, out);
    capacity(plan, trace, today, out);
}

/// One finding per pair of sprints whose days overlap, on the later one.
fn overlaps(plan: &Plan, out: &mut Vec<Finding>) {
    let mut sprints: Vec<_> = plan.config.sprints.iter().collect();
    sprints.sort_by_key(|s| (s.start, s.end));
    for (n, later) in sprints.iter().enumerate() {
        for earlier in sprints.iter().take(n) {
            if earlier.end < later.start {
                continue;
            }
            out.push(
                Finding::new(
                    Rule::SprintOverlap,
                    format!(
                        "sprint `{}` ({} to {}) overlaps sprint `{}` ({} to {})",
                        later.id, later.start, later.end, earlier.id, earlier.start, earlier.end
                    ),
                    Some(Location {
                        file: CONFIG,
                        span: Some(later.span),
                    }),
                )
                .field(format!("sprints[{}]/{}", later.id, earlier.id))
                .label("overlaps")
                .help("a team works one sprint at a time; end one sprint before the next starts"),
            );
        }
    }
}

/// A sprint whose planned weight (its leaves, weighed as progress is, `wontdo` left out) is
/// more than its capacity.
fn capacity(plan: &Plan, trace: &Trace<'_>, today: Date, out: &mut Vec<Finding>) {
    // A sprint that ended cannot be re-planned: what was over its capacity is history.
    for sprint in plan.config.sprints.iter().filter(|s| s.end >= today) {
        let Some(capacity) = sprint.capacity else {
            continue;
        };
        let planned: f64 = plan
            .items
            .iter()
            .enumerate()
            .filter(|(i, item)| {
                trace.is_leaf(*i)
                    && item.counts
                    && item.category() != Some(Category::Wontdo)
                    && item.sprint.as_ref().is_some_and(|s| s.value == sprint.id)
            })
            .map(|(_, item)| weight(item, &plan.config).0)
            .sum();
        if planned > capacity {
            let unit = match plan.config.progress_by {
                crate::model::ProgressBy::Estimate => "points",
                crate::model::ProgressBy::Count => "items",
            };
            out.push(
                Finding::new(
                    Rule::SprintOverCapacity,
                    format!(
                        "sprint `{}` holds {} {unit} of work against a capacity of {}",
                        sprint.id,
                        round(planned),
                        round(capacity)
                    ),
                    Some(Location {
                        file: CONFIG,
                        span: Some(sprint.span),
                    }),
                )
                .field(format!("sprints[{}].capacity", sprint.id))
                .label("over capacity")
                .help("move work to a later sprint, or raise `capacity` if the team really has it"),
            );
        }
    }
    people_capacity(plan, trace, today, out);
}

/// A person of `people:` whose share of a sprint is more than their capacity.
fn people_capacity(plan: &Plan, trace: &Trace<'_>, today: Date, out: &mut Vec<Finding>) {
    let config = &plan.config;
    if !config.people.iter().any(|p| p.capacity.is_some()) {
        return;
    }
    let unit = match config.progress_by {
        crate::model::ProgressBy::Estimate => "points",
        crate::model::ProgressBy::Count => "items",
    };
    for sprint in config.sprints.iter().filter(|s| s.end >= today) {
        for load in crate::progress::person_load(plan, trace, &sprint.id) {
            let (Some(capacity), Some(person)) = (load.capacity, config.person(&load.person))
            else {
                continue;
            };
            if load.committed <= capacity {
                continue;
            }
            out.push(
                Finding::new(
                    Rule::SprintOverCapacity,
                    format!(
                        "`{}` holds {} {unit} of sprint `{}` against a capacity of {}",
                        load.person,
                        round(load.committed),
                        sprint.id,
                        round(capacity)
                    ),
                    Some(Location {
                        file: CONFIG,
                        span: Some(person.span),
                    }),
                )
                .field(format!("people.{}.capacity[{}]", load.person, sprint.id))
                .label("over their capacity")
                .help("hand some of their work to someone else, or move it to a later sprint"),
            );
        }
    }
}

/// A weight without a needless `.0`.
fn round(w: f64) -> String {
    if w.fract() == 0.0 {
        format!("{w:.0}")
    } else {
        format!("{w:.1}")
    }
}
