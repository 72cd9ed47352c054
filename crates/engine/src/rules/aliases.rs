//! References by an old id (`alias-reference`) and `related` links that go nowhere
//! (`unknown-related`). A rename keeps the old id as an alias, so a branch made before it still
//! resolves; the warning says to write the new id.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use crate::diag::{Finding, Rule, suggestion};
use crate::model::{Item, Plan, Spanned};
use crate::trace::{Entity, Trace};

pub(super) fn check(plan: &Plan, trace: &Trace<'_>, suggest: bool, out: &mut Vec<Finding>) {
    for item in &plan.items {
        // Without aliases no reference is by an old id. The fields are formatted only for a
        // finding: formatting those of every reference was a tenth of the rules at 100,000 items.
        if !trace.aliases.is_empty() {
            let refs = item
                .theme
                .iter()
                .map(|t| ("theme", false, t, Kind::Theme))
                .chain(item.parent.iter().map(|p| ("parent", false, p, Kind::Item)))
                .chain(
                    item.depends_on
                        .iter()
                        .map(|d| ("depends_on", true, d, Kind::Item)),
                )
                .chain(item.related.iter().map(|r| ("related", true, r, Kind::Any)));
            for (name, keyed, id, kind) in refs {
                if let Some(renamed) = renamed(plan, trace, &id.value, kind) {
                    let field = match keyed {
                        true => format!("{name}[{}]", id.value),
                        false => name.to_string(),
                    };
                    out.push(old_id(item, &field, id, renamed));
                }
            }
        }
        for related in &item.related {
            let known = trace.by_id.contains_key(related.value.as_str())
                || matches!(trace.aliases.get(related.value.as_str()), Some(Some(_)));
            if !known {
                let help = suggest
                    .then(|| suggestion(&related.value, trace.by_id.keys().copied()))
                    .flatten();
                out.push(
                    Finding::new(
                        Rule::UnknownRelated,
                        format!(
                            "`{}` is related to `{}`, which is no theme or item",
                            item.id.value, related.value
                        ),
                        Some(item.at(related.span)),
                    )
                    .on(&item.id.value)
                    .field(format!("related[{}]", related.value))
                    .label("no such theme or item")
                    .maybe_help(help),
                );
            }
        }
    }
}

/// What a reference may name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Theme,
    Item,
    Any,
}

/// The current id of the entity an old id `id` names, when `id` is an alias and no id.
fn renamed<'p>(plan: &'p Plan, trace: &Trace<'_>, id: &str, kind: Kind) -> Option<&'p str> {
    if trace.by_id.contains_key(id) {
        return None;
    }
    match (trace.aliases.get(id).copied().flatten()?, kind) {
        (Entity::Theme(t), Kind::Theme | Kind::Any) => Some(&plan.themes[t].id.value),
        (Entity::Item(i), Kind::Item | Kind::Any) => Some(&plan.items[i].id.value),
        _ => None,
    }
}

fn old_id(item: &Item, field: &str, id: &Spanned<String>, renamed: &str) -> Finding {
    Finding::new(
        Rule::AliasReference,
        format!(
            "`{}` names `{}` in `{}`, the old id of `{renamed}`",
            item.id.value,
            id.value,
            field.split('[').next().unwrap_or(field)
        ),
        Some(item.at(id.span)),
    )
    .on(&item.id.value)
    .field(field)
    .label("renamed")
    .help(format!(
        "write `{renamed}`: `{}` was renamed, and its `aliases:` keep the old id only so history \
         and older branches still resolve",
        id.value
    ))
}
