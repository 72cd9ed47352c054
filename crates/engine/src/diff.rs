//! How a plan changed between two revisions: the review view of a pull request.
//!
//! Entities are matched by id. Findings are matched by their identity (rule, file, entity and
//! field: never the message, whose figures move, nor the line, which edits above it shift), as
//! multisets, so a second copy of a problem is still new.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::Severity;
use crate::model::{Plan, SourceFile, Spanned, Theme};
use crate::report::Analysis;
use crate::rules::{self, Context};
use crate::time::Date;

mod findings;

pub use findings::{FindingView, finding_views, introduced, introduced_as};

/// A theme or item named in a change.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Named {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
}

/// One field of a theme, before and after.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FieldChange {
    /// Field name.
    pub field: &'static str,
    /// Value before, if set.
    pub old: Option<String>,
    /// Value after, if set.
    pub new: Option<String>,
}

/// A theme present on both sides whose strategic fields changed.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ThemeChange {
    /// Id.
    pub id: String,
    /// Title after the change.
    pub title: String,
    /// Changed fields, in documented order.
    pub changes: Vec<FieldChange>,
}

/// An item added or removed.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ItemView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status as written.
    pub status: Option<String>,
    /// Effective theme.
    pub theme: Option<String>,
}

/// An item whose value of one property changed (effective theme or status).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ItemChange {
    /// Id.
    pub id: String,
    /// Title after the change.
    pub title: String,
    /// Before.
    pub old: Option<String>,
    /// After.
    pub new: Option<String>,
}

/// A theme whose progress figure moved.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ProgressChange {
    /// Id.
    pub id: String,
    /// Title after the change.
    pub title: String,
    /// Progress before (0 to 1), `null` with nothing weighed.
    pub old: Option<f64>,
    /// Progress after.
    pub new: Option<f64>,
}

/// A theme or item renamed between base and head.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Rename {
    /// `theme` or `item`.
    pub kind: &'static str,
    /// The id in base.
    pub old: String,
    /// The id in head.
    pub new: String,
    /// Its title in head.
    pub title: String,
}

/// The id an entity of head had in base: its own, or the first of its aliases base holds.
fn base_id<'a>(
    id: &'a str,
    aliases: &'a [Spanned<String>],
    base: &BTreeMap<String, usize>,
) -> Option<&'a str> {
    if base.contains_key(id) {
        return Some(id);
    }
    aliases
        .iter()
        .map(|a| a.value.as_str())
        .find(|a| base.contains_key(*a))
}

/// Notes a rename, and the move of the entity's file from base to head.
fn rename(
    out: &mut PlanDiff,
    moves: &mut Vec<(String, String)>,
    rename: Rename,
    (head_file, base_file): (&SourceFile, &SourceFile),
) {
    out.renamed.push(rename);
    moves.push((head_file.path.clone(), base_file.path.clone()));
}

/// The open work under a theme whose why or when changed.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Impact {
    /// Theme id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Which of objective, metrics, horizon and status changed.
    pub fields: Vec<&'static str>,
    /// The open items that serve it, in id order.
    pub open: Vec<Named>,
}

/// Everything a reviewer needs to know about a change to the plan.
#[derive(Clone, Debug, Serialize, PartialEq, Default)]
pub struct PlanDiff {
    /// The base revision.
    pub base: String,
    /// The head revision, or `working tree`.
    pub head: String,
    /// Themes and items whose id changed: head names the base id under `aliases:`.
    pub renamed: Vec<Rename>,
    /// Themes only in head.
    pub themes_added: Vec<Named>,
    /// Themes only in base.
    pub themes_removed: Vec<Named>,
    /// Themes in both whose status, horizon, priority, title, objective or visibility changed.
    pub themes_changed: Vec<ThemeChange>,
    /// Items only in head.
    pub items_added: Vec<ItemView>,
    /// Items only in base.
    pub items_removed: Vec<ItemView>,
    /// Items in both that now serve another theme.
    pub items_retraced: Vec<ItemChange>,
    /// Items in both whose status changed.
    pub status_changes: Vec<ItemChange>,
    /// Themes in both whose progress moved.
    pub progress: Vec<ProgressChange>,
    /// For each theme whose why or when changed, the open items planned against the old value.
    pub impact: Vec<Impact>,
    /// Findings in head and not in base.
    pub findings_introduced: Vec<FindingView>,
    /// Findings in base and not in head.
    pub findings_fixed: Vec<FindingView>,
    /// How the change moves each theme's forecast, with `--forecast`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast: Option<crate::forecast::Change>,
}

impl PlanDiff {
    /// The diff of a plan that did not change: known from git alone, without reading the plan.
    pub fn unchanged(base: &str, head: &str) -> PlanDiff {
        PlanDiff {
            base: base.to_string(),
            head: head.to_string(),
            ..PlanDiff::default()
        }
    }

    /// Whether nothing a reviewer would care about changed.
    pub fn is_empty(&self) -> bool {
        self.themes_added.is_empty()
            && self.themes_removed.is_empty()
            && self.themes_changed.is_empty()
            && self.renamed.is_empty()
            && self.items_added.is_empty()
            && self.items_removed.is_empty()
            && self.items_retraced.is_empty()
            && self.status_changes.is_empty()
            && self.progress.is_empty()
            && self.findings_introduced.is_empty()
            && self.findings_fixed.is_empty()
    }

    /// Whether the change introduces a finding of severity `at_least` or worse.
    pub fn introduces(&self, at_least: Severity) -> bool {
        self.findings_introduced.iter().any(|f| match at_least {
            Severity::Error => f.severity == Severity::Error.as_str(),
            Severity::Warning => true,
        })
    }
}

fn theme_fields(t: &Theme) -> [(&'static str, Option<String>); 7] {
    [
        ("status", t.status_text()),
        ("horizon", t.horizon.as_ref().map(|h| h.value.to_string())),
        ("priority", t.priority.as_ref().map(|p| p.value.to_string())),
        ("title", t.title.as_ref().map(|x| x.value.clone())),
        ("objective", t.objective.as_ref().map(|x| x.value.clone())),
        ("visibility", Some(t.visibility.as_str().to_string())),
        ("metrics", t.metrics_text()),
    ]
}

/// Compares two plans.
pub fn diff(base: &Plan, head: &Plan, base_name: &str, head_name: &str, today: Date) -> PlanDiff {
    let (a, b) = (Analysis::new(base, today), Analysis::new(head, today));
    let mut out = PlanDiff {
        base: base_name.to_string(),
        head: head_name.to_string(),
        ..PlanDiff::default()
    };

    let themes = |p: &'_ Plan| -> BTreeMap<String, usize> {
        p.themes
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.value.clone(), i))
            .collect()
    };
    let (old_themes, new_themes) = (themes(base), themes(head));
    let mut kept_themes = std::collections::HashSet::new();
    // (head path, base path) of each renamed entity's file.
    let mut moves: Vec<(String, String)> = Vec::new();
    for (id, &j) in &new_themes {
        let new = &head.themes[j];
        let Some(was) = base_id(id, &new.aliases, &old_themes) else {
            out.themes_added.push(Named {
                id: id.clone(),
                title: new.display_title(),
            });
            continue;
        };
        let i = old_themes[was];
        kept_themes.insert(was.to_string());
        if was != id {
            let files = (head.file(new.file), base.file(base.themes[i].file));
            let renamed = Rename {
                kind: "theme",
                old: was.to_string(),
                new: id.clone(),
                title: new.display_title(),
            };
            rename(&mut out, &mut moves, renamed, files);
        }
        let old = &base.themes[i];
        let changes: Vec<FieldChange> = theme_fields(old)
            .into_iter()
            .zip(theme_fields(new))
            .filter(|((_, o), (_, n))| o != n)
            .map(|((field, old), (_, new))| FieldChange { field, old, new })
            .collect();
        let fields: Vec<&'static str> = changes
            .iter()
            .map(|c| c.field)
            .filter(|f| crate::model::AIM.contains(f))
            .collect();
        if !fields.is_empty() {
            let mut open: Vec<Named> = b.trace.scope[j]
                .iter()
                .map(|&k| &head.items[k])
                .filter(|item| item.is_open())
                .map(|item| Named {
                    id: item.id.value.clone(),
                    title: item.title_text(),
                })
                .collect();
            open.sort_by(|x, y| crate::model::natural_cmp(&x.id, &y.id));
            if !open.is_empty() {
                out.impact.push(Impact {
                    id: id.clone(),
                    title: new.display_title(),
                    fields,
                    open,
                });
            }
        }
        if !changes.is_empty() {
            out.themes_changed.push(ThemeChange {
                id: id.clone(),
                title: new.display_title(),
                changes,
            });
        }
        let (before, after) = (a.rollups[i], b.rollups[j]);
        if before.fraction() != after.fraction() {
            out.progress.push(ProgressChange {
                id: id.clone(),
                title: new.display_title(),
                old: before.fraction(),
                new: after.fraction(),
            });
        }
    }
    for (id, &i) in &old_themes {
        if !kept_themes.contains(id) {
            out.themes_removed.push(Named {
                id: id.clone(),
                title: base.themes[i].display_title(),
            });
        }
    }

    let items = |p: &'_ Plan| -> BTreeMap<String, usize> {
        p.items
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.value.clone(), i))
            .collect()
    };
    let view = |an: &Analysis<'_>, i: usize| {
        let item = &an.plan.items[i];
        ItemView {
            id: item.id.value.clone(),
            title: item.title_text(),
            status: item.status_name(),
            theme: an
                .trace
                .theme_of(i)
                .map(|t| an.plan.themes[t].id.value.clone()),
        }
    };
    let (old_items, new_items) = (items(base), items(head));
    let mut kept_items = std::collections::HashSet::new();
    for (id, &j) in &new_items {
        let after = view(&b, j);
        let Some(was) = base_id(id, &head.items[j].aliases, &old_items) else {
            out.items_added.push(after);
            continue;
        };
        let i = old_items[was];
        kept_items.insert(was.to_string());
        if was != id {
            let files = (head.file(head.items[j].file), base.file(base.items[i].file));
            let renamed = Rename {
                kind: "item",
                old: was.to_string(),
                new: id.clone(),
                title: head.items[j].title_text(),
            };
            rename(&mut out, &mut moves, renamed, files);
        }
        let mut before = view(&a, i);
        // An item under a renamed theme serves the same theme.
        if let Some(r) = out
            .renamed
            .iter()
            .find(|r| r.kind == "theme" && before.theme.as_deref() == Some(r.old.as_str()))
        {
            before.theme = Some(r.new.clone());
        }
        if before.theme != after.theme {
            out.items_retraced.push(ItemChange {
                id: id.clone(),
                title: after.title.clone(),
                old: before.theme,
                new: after.theme.clone(),
            });
        }
        if before.status != after.status {
            out.status_changes.push(ItemChange {
                id: id.clone(),
                title: after.title,
                old: before.status,
                new: after.status,
            });
        }
    }
    for (id, &i) in &old_items {
        if !kept_items.contains(id) {
            out.items_removed.push(view(&a, i));
        }
    }

    // A diff shows no help, and on a plan loaded only as far as the change reaches the
    // candidates for "did you mean" would be incomplete anyway.
    let ctx = Context::at(today).without_suggestions();
    let old_findings = finding_views(base, &rules::check_with(base, &a.trace, ctx).findings);
    let new_findings = finding_views(head, &rules::check_with(head, &b.trace, ctx).findings);
    // A renamed entity's findings are the ones it had under its old id and file.
    let renames: Vec<(String, String)> = out
        .renamed
        .iter()
        .map(|r| (r.new.clone(), r.old.clone()))
        .collect();
    let as_base = |f: &FindingView| f.renamed(&renames, &moves);
    let reversed: Vec<(String, String)> = renames
        .iter()
        .map(|(n, o)| (o.clone(), n.clone()))
        .collect();
    let back: Vec<(String, String)> = moves.iter().map(|(h, b)| (b.clone(), h.clone())).collect();
    let as_head = |f: &FindingView| f.renamed(&reversed, &back);
    out.findings_introduced = introduced_as(&new_findings, &old_findings, as_base);
    out.findings_fixed = introduced_as(&old_findings, &new_findings, as_head);
    let severity_rank = |f: &FindingView| {
        if f.severity == Severity::Error.as_str() {
            0
        } else {
            1
        }
    };
    // Ids in the order people read them: BL-5 before BL-10.
    let by_id = |a: &str, b: &str| crate::model::natural_cmp(a, b);
    out.renamed.sort_by(|x, y| {
        (x.kind != "theme")
            .cmp(&(y.kind != "theme"))
            .then_with(|| by_id(&x.new, &y.new))
    });
    out.themes_added.sort_by(|x, y| by_id(&x.id, &y.id));
    out.themes_removed.sort_by(|x, y| by_id(&x.id, &y.id));
    out.items_added.sort_by(|x, y| by_id(&x.id, &y.id));
    out.items_removed.sort_by(|x, y| by_id(&x.id, &y.id));
    out.items_retraced.sort_by(|x, y| by_id(&x.id, &y.id));
    out.status_changes.sort_by(|x, y| by_id(&x.id, &y.id));
    out.findings_introduced.sort_by_key(severity_rank);
    out.findings_fixed.sort_by_key(severity_rank);
    out
}
