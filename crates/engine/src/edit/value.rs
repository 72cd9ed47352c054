//! The values `set` writes: each checked for its field before any text is touched, and returned
//! as the YAML to write.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use crate::diag::suggestion;
use crate::error::Error;
use crate::model::{Kind, Plan, ThemeStatus, Visibility};
use crate::time::{Date, Horizon};
use crate::trace::{Entity, Trace};
use crate::yaml::{flow_scalar as yaml_flow_scalar, scalar as yaml_scalar};

/// Whether following `parent` up from `from` comes to `target` (itself included): making
/// `from` the parent of `target` would close a cycle. At most `bound` steps, so a cycle already
/// in the plan ends the walk.
fn reaches(
    from: usize,
    target: usize,
    parent: impl Fn(usize) -> Option<usize>,
    bound: usize,
) -> bool {
    let mut at = from;
    for _ in 0..=bound {
        if at == target {
            return true;
        }
        match parent(at) {
            Some(up) => at = up,
            None => return false,
        }
    }
    false
}

/// Checks `value` for `field` of the entity `id`, and returns it as YAML.
pub(super) fn validated(
    plan: &Plan,
    trace: &Trace<'_>,
    entity: Entity,
    field: &str,
    value: &str,
    today: Date,
) -> Result<String, Error> {
    let is_theme = matches!(entity, Entity::Theme(_));
    match field {
        "status" if is_theme => match ThemeStatus::parse(value) {
            Some(s) => Ok(s.as_str().to_string()),
            None => Err(Error::refused(
                crate::error::Refusal::InvalidValue,
                format!(
                    "`{value}` is not a theme status: use {}",
                    ThemeStatus::choices()
                ),
            )),
        },
        "status" => {
            if plan.config.category_of(value).is_some() {
                Ok(yaml_scalar(value))
            } else {
                Err(Error::not_one_of(
                    "a status of this plan",
                    value,
                    &plan.config.status_names(),
                ))
            }
        }
        "counts" => match value {
            "false" | "true" => Ok(value.to_string()),
            _ => Err(Error::refused(
                crate::error::Refusal::InvalidValue,
                format!(
                    "`{value}` is not `true` or `false`: `counts false` marks a standing commitment"
                ),
            )),
        },
        "theme" => match trace.theme(value) {
            Some(_) => Ok(value.to_string()),
            None => {
                let help = suggestion(value, plan.themes.iter().map(|t| t.id.value.as_str()));
                Err(Error::refused(
                    crate::error::Refusal::UnknownId,
                    format!("there is no theme `{value}`"),
                )
                .maybe_help(help))
            }
        },
        "parent" if is_theme => {
            let Entity::Theme(me) = entity else {
                return Err(Error::usage("only a theme has an initiative"));
            };
            let Some(at) = trace.theme(value) else {
                let help = suggestion(value, plan.themes.iter().map(|t| t.id.value.as_str()));
                return Err(Error::refused(
                    crate::error::Refusal::UnknownId,
                    format!("there is no theme `{value}` to be the initiative"),
                )
                .maybe_help(help));
            };
            // The initiative must not sit below this theme (a cycle).
            if reaches(at, me, |t| trace.theme_parent[t], plan.themes.len()) {
                return Err(Error::refused(
                    crate::error::Refusal::WouldFailCheck,
                    format!(
                        "`{value}` is `{}` itself or below it; that would make a cycle of initiatives",
                        plan.themes[me].id.value
                    ),
                ));
            }
            Ok(yaml_scalar(value))
        }
        "parent" => {
            let Entity::Item(me) = entity else {
                return Err(Error::usage("themes have no parent"));
            };
            let Some(at) = trace.item(value) else {
                let help = suggestion(value, plan.items.iter().map(|t| t.id.value.as_str()));
                return Err(Error::refused(
                    crate::error::Refusal::UnknownId,
                    format!("there is no backlog item `{value}`"),
                )
                .maybe_help(help));
            };
            // The new parent must not descend from this item (a parent cycle).
            if reaches(at, me, |i| trace.parent[i], plan.items.len()) {
                return Err(Error::refused(
                    crate::error::Refusal::WouldFailCheck,
                    format!(
                        "`{value}` is `{}` itself or below it; that would make a parent cycle",
                        plan.items[me].id.value
                    ),
                ));
            }
            Ok(value.to_string())
        }
        "estimate" => match value.parse::<f64>() {
            Ok(n) if n.is_finite() && n >= 0.0 => Ok(value.to_string()),
            _ => Err(Error::refused(
                crate::error::Refusal::InvalidValue,
                format!("`{value}` is not an estimate: use a number of at least 0"),
            )),
        },
        "priority" => match value.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(n.to_string()),
            _ => Err(Error::refused(
                crate::error::Refusal::InvalidValue,
                format!("`{value}` is not a priority: use a whole number of at least 1"),
            )),
        },
        "horizon" => value
            .parse::<Horizon>()
            .map(|h| h.to_string())
            .map_err(|e| {
                Error::usage(e)
                    .maybe_help(Horizon::suggest(value).map(|s| format!("did you mean `{s}`?")))
            }),
        "kind" => match Kind::ALL.iter().find(|k| k.as_str() == value) {
            Some(k) => Ok(k.as_str().to_string()),
            None => Err(Error::not_one_of(
                "a kind",
                value,
                &Kind::ALL.map(Kind::as_str),
            )),
        },
        "visibility" => match Visibility::ALL.iter().find(|v| v.as_str() == value) {
            Some(v) => Ok(v.as_str().to_string()),
            None => Err(Error::not_one_of(
                "a visibility",
                value,
                &Visibility::ALL.map(Visibility::as_str),
            )),
        },
        // A review, or a finish, is recorded the day it happens: `today` says so without looking
        // it up.
        "reviewed" | "done_on" => {
            let day = match value {
                "today" => today,
                _ => value.parse::<Date>().map_err(|e| {
                    Error::usage(e).with_help("write the day as YYYY-MM-DD, or `today`")
                })?,
            };
            if field == "done_on" && day > today {
                return Err(Error::usage(format!(
                    "`{day}` is after today ({today}): work is done on the day it is finished"
                )));
            }
            Ok(day.to_string())
        }
        _ => Ok(yaml_scalar(value)),
    }
}

/// Checks a value to add to the list `field` of `entity`, and returns it as YAML.
pub(super) fn list_value(
    plan: &Plan,
    trace: &Trace<'_>,
    entity: Entity,
    field: &str,
    value: &str,
) -> Result<String, Error> {
    if value.trim().is_empty() {
        return Err(Error::refused(
            crate::error::Refusal::InvalidValue,
            format!("an entry of `{field}` cannot be empty"),
        ));
    }
    if field == "related" && !trace.by_id.contains_key(value) {
        let help = suggestion(value, trace.by_id.keys().copied());
        return Err(Error::refused(
            crate::error::Refusal::UnknownId,
            format!("there is no theme or item `{value}`"),
        )
        .maybe_help(help));
    }
    if field == "aliases" {
        let kind = entity.id_kind();
        if !(kind.valid)(value) {
            return Err(Error::refused(
                crate::error::Refusal::InvalidValue,
                format!("`{value}` is not a valid {}", kind.noun),
            ));
        }
        if trace.by_id.contains_key(value) {
            return Err(Error::refused(
                crate::error::Refusal::IdTaken,
                format!(
                    "`{value}` is the id of a theme or item; an alias is an id nothing holds any more"
                ),
            ));
        }
    }
    if field == "depends_on" {
        let Some(to) = trace.item(value) else {
            let help = suggestion(value, plan.items.iter().map(|t| t.id.value.as_str()));
            return Err(Error::refused(
                crate::error::Refusal::UnknownId,
                format!("there is no backlog item `{value}`"),
            )
            .maybe_help(help));
        };
        if entity == Entity::Item(to) {
            return Err(Error::refused(
                crate::error::Refusal::WouldFailCheck,
                format!("`{value}` cannot depend on itself"),
            ));
        }
    }
    Ok(yaml_flow_scalar(value))
}
