//! What is under the cursor and where it leads: the ids a plan file defines and names, their
//! definitions, every reference, what hover says about them, and the symbols of a file.
#![allow(
    clippy::indexing_slicing,
    reason = "an `Entity` and the trace's indices are made from the plan they index"
)]

use std::fmt::Write as _;

use crate::diag::FileId;
use crate::health;
use crate::model::{Plan, Span, Spanned};
use crate::progress;
use crate::time::Date;
use crate::trace::{Effective, Trace};

/// An entity of the plan: a theme or an item, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Entity {
    Theme(usize),
    Item(usize),
}

/// Which way a field links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// The entity's own `id:`.
    Defines,
    /// `theme:`: names a theme.
    Theme,
    /// `parent:` or `depends_on`: names an item.
    Item,
    /// `related`: names either.
    Either,
}

/// An id written in a file, with what it is.
#[derive(Clone, Debug)]
pub(crate) struct Hit {
    pub(crate) id: String,
    pub(crate) span: Span,
    pub(crate) role: Role,
}

/// The plan's index of a file by its path.
pub(crate) fn file_id(plan: &Plan, rel: &str) -> Option<FileId> {
    let at = plan.files.iter().position(|f| f.path == rel)?;
    Some(FileId(u32::try_from(at).ok()?))
}

/// Every id written in `file`, with its role.
pub(crate) fn ids_in(plan: &Plan, file: FileId) -> Vec<Hit> {
    hits(plan, |f| f == file)
        .into_iter()
        .map(|(_, h)| h)
        .collect()
}

/// Every id written in the files `keep` takes, with its file and role: one pass over the plan.
fn hits(plan: &Plan, keep: impl Fn(FileId) -> bool) -> Vec<(FileId, Hit)> {
    let mut hits = Vec::new();
    let hit = |v: &Spanned<String>, role| Hit {
        id: v.value.clone(),
        span: v.span,
        role,
    };
    for theme in plan.themes.iter().filter(|t| keep(t.file)) {
        if theme.id_written {
            hits.push((theme.file, hit(&theme.id, Role::Defines)));
        }
    }
    for item in plan.items.iter().filter(|i| keep(i.file)) {
        let at = |h| (item.file, h);
        if item.id_written {
            hits.push(at(hit(&item.id, Role::Defines)));
        }
        hits.extend(item.theme.iter().map(|t| at(hit(t, Role::Theme))));
        hits.extend(item.parent.iter().map(|p| at(hit(p, Role::Item))));
        hits.extend(item.depends_on.iter().map(|d| at(hit(d, Role::Item))));
        hits.extend(item.related.iter().map(|r| at(hit(r, Role::Either))));
    }
    hits
}

/// The id at byte `offset` of `file` (a cursor just after an id counts as on it).
pub(crate) fn at(plan: &Plan, file: FileId, offset: usize) -> Option<Hit> {
    ids_in(plan, file)
        .into_iter()
        .find(|h| h.span.start() <= offset && offset <= h.span.end())
}

/// The entities a hit names: both, when an id exists twice; the one a file stands for when it
/// writes no `id:` is found by that id too.
pub(crate) fn targets(plan: &Plan, hit: &Hit) -> Vec<Entity> {
    let themes = || {
        plan.themes
            .iter()
            .enumerate()
            .filter(|(_, t)| t.id.value == hit.id)
            .map(|(i, _)| Entity::Theme(i))
    };
    let items = || {
        plan.items
            .iter()
            .enumerate()
            .filter(|(_, t)| t.id.value == hit.id)
            .map(|(i, _)| Entity::Item(i))
    };
    match hit.role {
        Role::Theme => themes().collect(),
        Role::Item => items().collect(),
        Role::Defines | Role::Either => themes().chain(items()).collect(),
    }
}

/// Where an entity is defined: its file and its `id:` (the file's start when it writes none).
pub(crate) fn definition(plan: &Plan, entity: Entity) -> (FileId, Option<Span>) {
    match entity {
        Entity::Theme(t) => {
            let theme = &plan.themes[t];
            (theme.file, theme.id_written.then_some(theme.id.span))
        }
        Entity::Item(i) => {
            let item = &plan.items[i];
            (item.file, item.id_written.then_some(item.id.span))
        }
    }
}

/// Every place that names `entity`'s id in a field that can mean it, definitions included when
/// asked.
pub(crate) fn references(plan: &Plan, entity: Entity, declarations: bool) -> Vec<(FileId, Span)> {
    let id = match entity {
        Entity::Theme(t) => &plan.themes[t].id.value,
        Entity::Item(i) => &plan.items[i].id.value,
    };
    let wanted = |role: Role| match (entity, role) {
        (_, Role::Either) => true,
        (_, Role::Defines) => declarations,
        (Entity::Theme(_), Role::Theme) | (Entity::Item(_), Role::Item) => true,
        _ => false,
    };
    let mut out: Vec<(FileId, Span)> = hits(plan, |_| true)
        .into_iter()
        .filter(|(_, h)| &h.id == id && wanted(h.role))
        .map(|(file, h)| (file, h.span))
        .collect();
    out.sort_by_key(|(file, span)| (file.0, span.start()));
    out
}

/// What hover says about an entity, as markdown. Text from the plan is shown as code, so no
/// title can inject markup.
pub(crate) fn hover(plan: &Plan, trace: &Trace<'_>, entity: Entity, today: Date) -> String {
    let mut out = String::new();
    match entity {
        Entity::Theme(t) => {
            let theme = &plan.themes[t];
            let rollups = progress::theme_rollups(plan, &trace.links);
            let _ = writeln!(out, "**theme** {}\n", code(&theme.id.value));
            line(&mut out, "title", Some(theme.display_title()));
            line(
                &mut out,
                "objective",
                theme.objective.as_ref().map(|o| o.value.clone()),
            );
            line(&mut out, "status", theme.status_text());
            line(
                &mut out,
                "horizon",
                theme.horizon.as_ref().map(|h| h.value.to_string()),
            );
            if let Some(rollup) = rollups.get(t) {
                let health = health::health(theme, rollup, today, &plan.config);
                line(&mut out, "health", Some(health.as_str().to_string()));
                line(&mut out, "progress", Some(progress_text(rollup)));
            }
        }
        Entity::Item(i) => {
            let item = &plan.items[i];
            let _ = writeln!(out, "**{}** {}\n", item.kind.as_str(), code(&item.id.value));
            line(&mut out, "title", Some(item.title_text()));
            line(&mut out, "status", item.status_name());
            line(
                &mut out,
                "estimate",
                item.estimate.as_ref().map(|e| e.value.to_string()),
            );
            line(&mut out, "assignee", item.assignee_text());
            line(&mut out, "theme", Some(chain(plan, trace, i)));
            let waits: Vec<&str> = item
                .depends_on
                .iter()
                .map(|d| d.value.as_str())
                .filter(|d| !trace.is_done(plan, d))
                .collect();
            if !waits.is_empty() {
                line(&mut out, "waits on", Some(waits.join(", ")));
            }
        }
    }
    out
}

/// `done/total (35%)` of a rollup.
pub(crate) fn progress_text(rollup: &progress::Rollup) -> String {
    match rollup.fraction() {
        Some(f) => format!(
            "{}/{} ({}%)",
            trim(rollup.done),
            trim(rollup.total),
            progress::whole_percent(f)
        ),
        None => "no work yet".into(),
    }
}

/// How an item reaches its theme: the theme, and the ancestor that names it when not itself.
pub(crate) fn chain(plan: &Plan, trace: &Trace<'_>, item: usize) -> String {
    match trace.links.effective.get(item) {
        Some(Effective::Theme { theme, named_by }) => {
            let theme = &plan.themes[*theme].id.value;
            if *named_by == item {
                theme.clone()
            } else {
                let mut path = vec![plan.items[item].id.value.as_str()];
                let mut at = item;
                while let Some(Some(up)) = trace.links.parent.get(at) {
                    path.push(&plan.items[*up].id.value);
                    if *up == *named_by || path.len() > plan.items.len() {
                        break;
                    }
                    at = *up;
                }
                format!("{theme} (inherited: {})", path.join(" → "))
            }
        }
        Some(Effective::Broken) => "broken chain (see the findings)".into(),
        _ => "none".into(),
    }
}

fn line(out: &mut String, name: &str, value: Option<String>) {
    if let Some(value) = value {
        let _ = writeln!(out, "- {name}: {}", code(&value));
    }
}

/// Text as an inline code span whose fence no backtick inside can close.
fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let mut fence = "`".to_string();
    while text.contains(&fence) {
        fence.push('`');
    }
    format!("{fence} {text} {fence}")
}

fn trim(n: f64) -> String {
    let s = format!("{n:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}
