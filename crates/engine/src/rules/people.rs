//! `unknown-person`: with a `people:` list, an assignee or owner that is neither a person nor a
//! team, matched whatever its case (`Alice` is `alice`).

use crate::diag::{Finding, Rule, suggestion};
use crate::model::Plan;

pub(super) fn check(plan: &Plan, suggest: bool, out: &mut Vec<Finding>) {
    let config = &plan.config;
    if config.people.is_empty() {
        return;
    }
    let known = |name: &str| config.person(name).is_some() || config.team(name).is_some();
    let names = || {
        config
            .people
            .iter()
            .map(|p| p.key.as_str())
            .chain(config.teams.iter().map(|t| t.name.as_str()))
    };
    let help = |name: &str| {
        let near = if suggest {
            suggestion(&name.to_lowercase(), names())
        } else {
            None
        };
        near.or_else(|| {
            Some(format!(
                "the people and teams of roadlog.yaml are: {}; add them under `people:`",
                names().collect::<Vec<_>>().join(", ")
            ))
        })
    };
    for item in &plan.items {
        for a in item.assignee.iter().filter(|a| !known(&a.value)) {
            out.push(
                Finding::new(
                    Rule::UnknownPerson,
                    format!(
                        "`{}` is assigned to `{}`, who is not a person or team of roadlog.yaml",
                        item.id.value, a.value
                    ),
                    Some(item.at(a.span)),
                )
                .on(&item.id.value)
                .field("assignee")
                .label("unknown person")
                .maybe_help(help(&a.value)),
            );
        }
    }
    for theme in &plan.themes {
        let Some(owner) = theme.owner.as_deref().filter(|o| !known(o)) else {
            continue;
        };
        out.push(
            Finding::new(
                Rule::UnknownPerson,
                format!(
                    "theme `{}` is owned by `{owner}`, who is not a person or team of roadlog.yaml",
                    theme.id.value
                ),
                Some(theme.location()),
            )
            .on(&theme.id.value)
            .field("owner")
            .label("owner unknown")
            .maybe_help(help(owner)),
        );
    }
}
