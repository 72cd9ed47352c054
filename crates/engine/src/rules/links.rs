//! Traceability rules: ids, references, cycles, inherited themes, orphans.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use crate::diag::{Finding, Location, Rule, suggestion};
use crate::model::stem_of;
use crate::model::{Item, Plan, Spanned, is_item_id, is_theme_id};
use crate::trace::{Effective, Entity, Trace, cycles_in};

/// "Did you mean" compares a wrong id with every candidate id. The total number of comparisons
/// per run is bounded, so a plan with many broken links among 100,000 items stays fast: past the
/// budget, findings come without a suggestion.
const COMPARISON_BUDGET: usize = 500_000;

/// A "did you mean" a finding of this rule waits for: worked out by [`suggestions`], which a
/// check runs beside the other rules (comparing ids was the longest part of this rule).
pub(super) struct Wanted<'p> {
    /// The finding's place in the rule's output.
    finding: usize,
    /// The id written.
    wrong: &'p str,
    /// Whether it should have named a theme (else an item).
    theme: bool,
}

/// Runs the rule, leaving out the "did you mean" help it returns as wanted.
pub(super) fn check<'p>(
    plan: &'p Plan,
    trace: &Trace<'_>,
    suggest: bool,
    out: &mut Vec<Finding>,
) -> Vec<Wanted<'p>> {
    let start = out.len();
    duplicate_ids(plan, trace, out);
    duplicate_sources(plan, out);
    let mut budget = if suggest { COMPARISON_BUDGET } else { 0 };
    let mut wanted = Vec::new();
    let mut want = |wrong: &'p str, theme: bool, out: &Vec<Finding>| {
        let among = if theme {
            plan.themes.len()
        } else {
            plan.items.len()
        };
        if let Some(left) = budget.checked_sub(among) {
            budget = left;
            let finding = out.len() - start;
            wanted.push(Wanted {
                finding,
                wrong,
                theme,
            });
        }
    };

    for (i, item) in plan.items.iter().enumerate() {
        // Malformed ids were reported as invalid-value when read.
        // A link to an id that several themes (or several items) hold goes nowhere; the
        // duplicate-id finding says why, so it is not also an unknown link.
        if let Some(theme) = &item.theme
            && is_theme_id(&theme.value)
            && !trace.themes.contains_key(theme.value.as_str())
        {
            let help = if trace.items.contains_key(theme.value.as_str()) {
                Some(format!(
                    "`{}` is a backlog item; to break it down, write `parent: {}`",
                    theme.value, theme.value
                ))
            } else {
                want(&theme.value, true, out);
                None
            };
            out.push(
                Finding::new(
                    Rule::UnknownTheme,
                    format!(
                        "`{}` serves theme `{}`, which does not exist",
                        item.id.value, theme.value
                    ),
                    Some(item.at(theme.span)),
                )
                .on(&item.id.value)
                .field("theme")
                .label("no such theme")
                .maybe_help(help),
            );
        }
        if let Some(parent) = &item.parent
            && is_item_id(&parent.value)
            && !trace.items.contains_key(parent.value.as_str())
        {
            let help = if trace.themes.contains_key(parent.value.as_str()) {
                Some(format!(
                    "`{}` is a roadmap theme; to trace to it, write `theme: {}`",
                    parent.value, parent.value
                ))
            } else {
                want(&parent.value, false, out);
                None
            };
            out.push(
                Finding::new(
                    Rule::UnknownParent,
                    format!(
                        "`{}` has parent `{}`, which is not a backlog item",
                        item.id.value, parent.value
                    ),
                    Some(item.at(parent.span)),
                )
                .on(&item.id.value)
                .field("parent")
                .label("no such item")
                .maybe_help(help),
            );
        }
        for dep in &item.depends_on {
            if !trace.items.contains_key(dep.value.as_str()) {
                want(&dep.value, false, out);
                out.push(
                    Finding::new(
                        Rule::UnknownDependency,
                        format!(
                            "`{}` depends on `{}`, which is not a backlog item",
                            item.id.value, dep.value
                        ),
                        Some(item.at(dep.span)),
                    )
                    .on(&item.id.value)
                    .field(format!("depends_on[{}]", dep.value))
                    .label("no such item"),
                );
            }
        }
        theme_conflict(plan, trace, i, item, out);
        let applies = item.id_written && item.sole_in_file && is_item_id(&item.id.value);
        id_mismatch(item.file, &item.id, applies, plan, out);
    }
    for theme in &plan.themes {
        id_mismatch(
            theme.file,
            &theme.id,
            theme.id_written && is_theme_id(&theme.id.value),
            plan,
            out,
        );
    }
    parent_cycles(plan, trace, out);
    dependency_cycles(plan, trace, out);
    orphans(plan, trace, out);
    wanted
}

/// The "did you mean" help of each wanted finding, in order: the nearest theme or item id.
pub(super) fn suggestions(plan: &Plan, wanted: &[Wanted<'_>]) -> Vec<Option<String>> {
    let theme_ids = || plan.themes.iter().map(|t| t.id.value.as_str());
    let item_ids = || plan.items.iter().map(|t| t.id.value.as_str());
    wanted
        .iter()
        .map(|w| match w.theme {
            true => suggestion(w.wrong, theme_ids()),
            false => suggestion(w.wrong, item_ids()),
        })
        .collect()
}

/// Gives the rule's findings (`out`, from where it started) the help [`suggestions`] found.
pub(super) fn give(out: &mut [Finding], wanted: &[Wanted<'_>], helps: Vec<Option<String>>) {
    for (w, help) in wanted.iter().zip(helps) {
        if let Some(finding) = out.get_mut(w.finding) {
            finding.help = help.map(Into::into);
        }
    }
}

fn duplicate_ids(plan: &Plan, trace: &Trace<'_>, out: &mut Vec<Finding>) {
    let describe = |e: Entity| -> (Location, &str) {
        match e {
            Entity::Theme(i) => (plan.themes[i].location(), "theme"),
            Entity::Item(i) => (plan.items[i].location(), "item"),
        }
    };
    for &(dup, first) in &trace.duplicates {
        let (at, kind) = describe(dup);
        let (first_at, first_kind) = describe(first);
        let id = match dup {
            Entity::Theme(i) => &plan.themes[i].id.value,
            Entity::Item(i) => &plan.items[i].id.value,
        };
        out.push(
            Finding::new(
                Rule::DuplicateId,
                format!(
                    "{kind} id `{id}` is already used by {} {first_kind} in {}",
                    if first_kind == "item" { "an" } else { "a" },
                    plan.file(first_at.file).path
                ),
                Some(at),
            )
            .on(id)
            .field("id")
            .label("duplicate id")
            .related(first_at, "first used here")
            .help("ids are unique across themes and items; rename one of them"),
        );
    }
}

/// Two items mirroring one tracker record: an import could update only one of them.
fn duplicate_sources(plan: &Plan, out: &mut Vec<Finding>) {
    let mut first: std::collections::HashMap<&str, usize, foldhash::fast::RandomState> =
        std::collections::HashMap::default();
    for (i, item) in plan.items.iter().enumerate() {
        let Some(source) = &item.source else {
            continue;
        };
        let Some(&was) = first.get(source.value.as_str()) else {
            first.insert(&source.value, i);
            continue;
        };
        let earlier = &plan.items[was];
        out.push(
            Finding::new(
                Rule::DuplicateSource,
                format!(
                    "`{}` is already mirrored by `{}` in {}",
                    source.value,
                    earlier.id.value,
                    plan.file(earlier.file).path
                ),
                Some(item.at(source.span)),
            )
            .on(&item.id.value)
            .field("source")
            .label("second item for this record")
            .related(
                earlier.at(earlier.source.as_ref().map_or(earlier.id.span, |s| s.span)),
                "first here",
            )
            .help(
                "one item per tracker record: remove `source:` from one of them, or merge the two",
            ),
        );
    }
}

fn theme_conflict(plan: &Plan, trace: &Trace<'_>, i: usize, item: &Item, out: &mut Vec<Finding>) {
    let (Some(own), Some(parent)) = (&item.theme, trace.parent[i]) else {
        return;
    };
    let Effective::Theme { theme, named_by } = trace.effective[parent] else {
        return;
    };
    let inherited = &plan.themes[theme].id.value;
    if *inherited == own.value {
        return;
    }
    let ancestor = &plan.items[named_by];
    let mut finding = Finding::new(
        Rule::ThemeConflict,
        format!("`{}` names theme `{}`, but its parent chain gives it `{inherited}` (from `{}`)", item.id.value, own.value, ancestor.id.value),
        Some(item.at(own.span)),
    )
    .on(&item.id.value)
    .field("theme")
    .label("conflicting theme")
    .help(format!("remove `theme:` here to inherit `{inherited}`, or move the item under a parent that serves `{}`", own.value));
    if let Some(t) = &ancestor.theme {
        finding = finding.related(
            ancestor.at(t.span),
            format!("`{}` gives `{inherited}` here", ancestor.id.value),
        );
    }
    out.push(finding);
}

fn id_mismatch(
    file: crate::diag::FileId,
    id: &Spanned<String>,
    applies: bool,
    plan: &Plan,
    out: &mut Vec<Finding>,
) {
    if !applies {
        return;
    }
    let path = &plan.file(file).path;
    let stem = stem_of(path);
    if stem != id.value {
        out.push(
            Finding::new(
                Rule::IdMismatch,
                format!("`id: {}` differs from the file name `{stem}`", id.value),
                Some(Location {
                    file,
                    span: Some(id.span),
                }),
            )
            .on(&id.value)
            .field("id")
            .label("differs from the file name")
            .help(format!(
                "rename the file to `{}.yaml`, or drop `id:` to use the file name",
                id.value
            )),
        );
    }
}

fn parent_cycles(plan: &Plan, trace: &Trace<'_>, out: &mut Vec<Finding>) {
    for cycle in &trace.parent_cycles {
        let first = &plan.items[cycle[0]];
        let mut names: Vec<&str> = cycle
            .iter()
            .map(|&i| plan.items[i].id.value.as_str())
            .collect();
        names.push(names[0]);
        let span = first.parent.as_ref().map_or(first.id.span, |p| p.span);
        out.push(
            Finding::new(
                Rule::ParentCycle,
                format!("parent cycle: {}", names.join(" → ")),
                Some(first.at(span)),
            )
            .on(&first.id.value)
            .field("parent")
            .label("this link closes the cycle")
            .help("an item cannot be its own ancestor; remove one of these `parent:` links"),
        );
    }
}

fn dependency_cycles(plan: &Plan, trace: &Trace<'_>, out: &mut Vec<Finding>) {
    let edges: Vec<Vec<usize>> = plan
        .items
        .iter()
        .map(|item| {
            item.depends_on
                .iter()
                .filter_map(|d| trace.item(&d.value))
                .collect()
        })
        .collect();
    for component in cycles_in(&edges) {
        let first = &plan.items[component[0]];
        // Point at the first member's dependency that stays inside the cycle.
        let span = first
            .depends_on
            .iter()
            .find(|d| trace.item(&d.value).is_some_and(|j| component.contains(&j)))
            .map_or(first.id.span, |d| d.span);
        let names: Vec<&str> = component
            .iter()
            .map(|&i| plan.items[i].id.value.as_str())
            .collect();
        let message = if names.len() == 1 {
            format!("`{}` depends on itself", names[0])
        } else {
            format!(
                "dependency cycle among {}",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        out.push(
            Finding::new(Rule::DependencyCycle, message, Some(first.at(span)))
                .on(&first.id.value)
                .field("depends_on")
                .label("part of the cycle")
                .help("work that waits on itself can never start; remove one of these `depends_on` links"),
        );
    }
}

fn orphans(plan: &Plan, trace: &Trace<'_>, out: &mut Vec<Finding>) {
    // One finding per untraced chain, at its top: fixing the epic fixes its stories.
    for (i, item) in plan.items.iter().enumerate() {
        if trace.effective[i] != Effective::None || trace.parent[i].is_some() {
            continue;
        }
        let below = count_below(trace, i);
        let message = match below {
            0 => format!("`{}` traces to no theme", item.id.value),
            1 => format!(
                "`{}` and the item under it trace to no theme",
                item.id.value
            ),
            n => format!(
                "`{}` and the {n} items under it trace to no theme",
                item.id.value
            ),
        };
        out.push(
            Finding::new(Rule::OrphanItem, message, Some(item.location()))
                .on(&item.id.value)
                .label("no theme")
                .help("add `theme: <theme-id>` here so the work is tied to the roadmap, or drop the item if no theme needs it"),
        );
    }
}

fn count_below(trace: &Trace<'_>, item: usize) -> usize {
    let mut stack: Vec<usize> = trace.children[item].clone();
    let mut n = 0;
    while let Some(i) = stack.pop() {
        n += 1;
        stack.extend(&trace.children[i]);
    }
    n
}
