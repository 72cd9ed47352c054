//! `suspect-item`: open work planned against a theme's old why or when. A theme's objective,
//! metrics, horizon or status changed in a commit after the items serving it were last looked
//! at (their file changed, or their `reviewed:` date), so they may no longer serve it.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use crate::diag::{Finding, Location, Rule};
use crate::model::{Plan, natural_cmp};
use crate::trace::Trace;

use super::context::{AimChange, Context, History};

/// Items named in a message at most; JSON lists them all.
const NAMED: usize = 5;

/// The open items of a theme planned against its old aim.
#[derive(Clone, Debug)]
pub struct Suspects<'h> {
    /// The theme, by index.
    pub theme: usize,
    /// The change of aim.
    pub aim: &'h AimChange,
    /// The suspect items' ids, in natural order.
    pub items: Vec<String>,
    /// The same items by index, in the same order: two items that share an id are both here.
    pub at: Vec<usize>,
}

/// Every active theme's suspect items, from what `history` says; none without history.
pub fn suspects<'h>(plan: &Plan, trace: &Trace<'_>, history: &'h History) -> Vec<Suspects<'h>> {
    let History::Known { aims, .. } = history else {
        return Vec::new();
    };
    aims.iter()
        .filter_map(|aim| {
            let t = trace.theme(&aim.theme)?;
            let mut at: Vec<usize> = trace.scope[t]
                .iter()
                .copied()
                .filter(|&i| {
                    let item = &plan.items[i];
                    item.is_open()
                        && !aim.touched_since.contains(&plan.file(item.file).path)
                        && item.reviewed.as_ref().is_none_or(|r| r.value < aim.date)
                })
                .collect();
            at.sort_by(|&a, &b| natural_cmp(&plan.items[a].id.value, &plan.items[b].id.value));
            let items = at.iter().map(|&i| plan.items[i].id.value.clone()).collect();
            (!at.is_empty()).then_some(Suspects {
                theme: t,
                aim,
                items,
                at,
            })
        })
        .collect()
}

pub(super) fn check(plan: &Plan, trace: &Trace<'_>, ctx: Context, out: &mut Vec<Finding>) {
    let Some(history) = ctx.history else {
        return;
    };
    for found in suspects(plan, trace, history) {
        let (aim, suspects) = (found.aim, &found.items);
        let theme = &plan.themes[found.theme];
        let span = match aim.field {
            "objective" => theme.objective.as_ref().map(|o| o.span),
            "horizon" => theme.horizon.as_ref().map(|h| h.span),
            "status" => theme.status.as_ref().map(|s| s.span),
            _ => None,
        }
        .or(Some(theme.id.span));
        let mut named: Vec<String> = suspects
            .iter()
            .take(NAMED)
            .map(|id| format!("`{id}`"))
            .collect();
        if suspects.len() > NAMED {
            named.push(format!("{} more", suspects.len() - NAMED));
        }
        let n = suspects.len();
        let commit: String = aim.commit.chars().take(7).collect();
        out.push(
            Finding::new(
                Rule::SuspectItem,
                format!(
                    "the {} of `{}` changed on {} ({commit}: {} → {}); {} planned against the old \
                     one and not looked at since: {}",
                    aim.field,
                    aim.theme,
                    aim.date,
                    aim.old.as_deref().unwrap_or("none"),
                    aim.new.as_deref().unwrap_or("none"),
                    if n == 1 {
                        "1 open item was".to_string()
                    } else {
                        format!("{n} open items were")
                    },
                    named.join(", "),
                ),
                Some(Location {
                    file: theme.file,
                    span,
                }),
            )
            .on(&aim.theme)
            .field(aim.field)
            .label(format!("changed on {}", aim.date))
            .items(suspects.clone())
            .help(format!(
                "check each item still serves the theme: edit it, re-plan it, or record the \
                 check with `roadlog set ID reviewed today`; `roadlog trace {}` marks them",
                aim.theme
            )),
        );
    }
}
