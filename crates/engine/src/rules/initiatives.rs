//! Themes under initiatives (`parent:` on a theme): a parent that is no theme (or an item), a
//! cycle, nesting past four levels, and a theme whose horizon falls outside its initiative's.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables and the trace's vectors beside them"
)]

use crate::diag::{Finding, Location, Rule, suggestion};
use crate::model::Plan;
use crate::trace::Trace;

/// How deep initiatives nest: initiative, theme, sub-theme, and one more.
pub(crate) const MAX_DEPTH: usize = 4;

pub(super) fn check(plan: &Plan, trace: &Trace<'_>, suggest: bool, out: &mut Vec<Finding>) {
    for (t, theme) in plan.themes.iter().enumerate() {
        let Some(parent) = &theme.parent else {
            continue;
        };
        let at = Some(Location {
            file: theme.file,
            span: Some(parent.span),
        });
        if trace.theme(&parent.value).is_none()
            && !trace.theme_cycles.iter().any(|c| c.contains(&t))
        {
            let finding = if trace.item(&parent.value).is_some() {
                Finding::new(
                    Rule::RoadmapDetail,
                    format!(
                        "theme `{}` names backlog item `{}` as its parent; a theme's parent is an \
                         initiative, another theme",
                        theme.id.value, parent.value
                    ),
                    at,
                )
                .help("work names its theme from the backlog side (`theme:` on the item); name an initiative here, or remove `parent`")
            } else {
                let near = if suggest {
                    suggestion(
                        &parent.value,
                        plan.themes.iter().map(|t| t.id.value.as_str()),
                    )
                } else {
                    None
                };
                Finding::new(
                    Rule::UnknownTheme,
                    format!(
                        "theme `{}` names `{}` as its initiative, and there is no such theme",
                        theme.id.value, parent.value
                    ),
                    at,
                )
                .maybe_help(
                    near.or_else(|| Some("name another theme's id, or remove `parent`".into())),
                )
            };
            out.push(
                finding
                    .on(&theme.id.value)
                    .field("parent")
                    .label("no such initiative"),
            );
            continue;
        }
        let depth = depth(trace, t);
        if depth > MAX_DEPTH {
            out.push(
                Finding::new(
                    Rule::InvalidValue,
                    format!(
                        "theme `{}` sits {depth} levels deep; initiatives nest at most {MAX_DEPTH} levels",
                        theme.id.value
                    ),
                    at,
                )
                .on(&theme.id.value)
                .field("parent")
                .label("too deep")
                .help("hang it from a higher initiative: a roadmap read by executives stays shallow"),
            );
        }
        horizon_outside(plan, trace, t, out);
    }
    for cycle in &trace.theme_cycles {
        let Some(&first) = cycle.first() else {
            continue;
        };
        let theme = &plan.themes[first];
        let names: Vec<&str> = cycle
            .iter()
            .map(|&t| plan.themes[t].id.value.as_str())
            .collect();
        let at = theme.parent.as_ref().map(|p| p.span);
        out.push(
            Finding::new(
                Rule::ParentCycle,
                format!(
                    "following the themes' `parent` returns to the start: {} → {}",
                    names.join(" → "),
                    names.first().copied().unwrap_or_default()
                ),
                Some(Location {
                    file: theme.file,
                    span: at,
                }),
            )
            .on(&theme.id.value)
            .field("parent")
            .label("initiative cycle")
            .help("an initiative sits above its themes: remove `parent` from one of them"),
        );
    }
}

/// How many levels a theme sits at: 1 for a top-level theme.
pub(crate) fn depth(trace: &Trace<'_>, t: usize) -> usize {
    let mut n = 1;
    let mut at = trace.theme_parent[t];
    while let Some(p) = at {
        n += 1;
        if n > trace.theme_parent.len() + 1 {
            break;
        }
        at = trace.theme_parent[p];
    }
    n
}

/// `horizon-outside-parent`: a theme planned to start before its initiative or end after it.
fn horizon_outside(plan: &Plan, trace: &Trace<'_>, t: usize, out: &mut Vec<Finding>) {
    let Some(p) = trace.theme_parent[t] else {
        return;
    };
    let (theme, parent) = (&plan.themes[t], &plan.themes[p]);
    let (Some(own), Some(outer)) = (&theme.horizon, &parent.horizon) else {
        return;
    };
    let (Some((start, end)), Some((from, to))) = (own.value.dates(), outer.value.dates()) else {
        return;
    };
    if start >= from && end <= to {
        return;
    }
    out.push(
        Finding::new(
            Rule::HorizonOutsideParent,
            format!(
                "theme `{}` is planned for {}, outside its initiative `{}` ({})",
                theme.id.value, own.value, parent.id.value, outer.value
            ),
            Some(Location {
                file: theme.file,
                span: Some(own.span),
            }),
        )
        .on(&theme.id.value)
        .field("horizon")
        .label("outside the initiative")
        .help("move the theme's horizon inside its initiative's, or widen the initiative's"),
    );
}
