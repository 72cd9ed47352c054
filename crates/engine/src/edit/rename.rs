//! `roadlog rename OLD NEW`: a theme or item gets a new id, every reference to it (`theme`,
//! `parent`, `depends_on`, `related`) is rewritten in place, its file is renamed where it is
//! named after the id, and the old id stays as an alias so history and older branches follow it.
//! The whole change is checked against the plan first and written all or nothing.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{find_doc, loaded_text, parse, text};
use crate::diag::FileId;
use crate::diff::FindingView;
use crate::error::Error;
use crate::load::Source;
use crate::model::fields;
use crate::model::{Plan, Span, stem_of};
use crate::time::Date;
use crate::trace::{Entity, Trace};
use crate::write::FileWrite;
use crate::yaml::flow_scalar as yaml_flow_scalar;

/// What a rename did.
#[derive(Debug)]
pub struct Renamed {
    /// Every file written, created or removed, as paths under the plan root.
    pub files: Vec<PathBuf>,
    /// The entity's file before and after, when it was renamed with the id.
    pub moved: Option<(PathBuf, PathBuf)>,
    /// How many references were rewritten.
    pub references: usize,
    /// Warnings the change adds.
    pub warnings: Vec<FindingView>,
}

/// A rename worked out and checked, not yet written: what a language server offers as one edit.
#[derive(Debug)]
pub struct RenamePlan {
    /// Each file's new text, as paths under the plan root; `None` for a file removed (the
    /// entity's own file when it moves, which then appears again under its new path).
    pub changes: Vec<(String, Option<String>)>,
    /// The entity's file before and after, under the plan root, when it moves with the id.
    pub moved: Option<(String, String)>,
    /// How many references are rewritten.
    pub references: usize,
    /// Warnings the change adds.
    pub warnings: Vec<FindingView>,
    writes: Vec<FileWrite>,
}

/// Renames `old` to `new` in the plan under `root` (which `source` reads and `plan` holds).
pub fn rename(
    root: &Path,
    source: &dyn Source,
    plan: Plan,
    old: &str,
    new: &str,
    today: Date,
) -> Result<Renamed, Error> {
    let planned = plan_rename(root, source, plan, old, new, today)?;
    crate::write::commit(&planned.writes)?;
    Ok(Renamed {
        files: planned.changes.iter().map(|(p, _)| root.join(p)).collect(),
        moved: planned
            .moved
            .as_ref()
            .map(|(from, to)| (root.join(from), root.join(to))),
        references: planned.references,
        warnings: planned.warnings,
    })
}

/// Works out renaming `old` to `new` and refuses it as [`rename`] would, writing nothing. Each
/// file is read through `source`, so an editor's unsaved buffers are what is renamed.
pub fn plan_rename(
    root: &Path,
    source: &dyn Source,
    plan: Plan,
    old: &str,
    new: &str,
    today: Date,
) -> Result<RenamePlan, Error> {
    let trace = Trace::new(&plan);
    let entity = target(&plan, &trace, old, new)?;
    let (own_file, id_span, sole, order) = match entity {
        Entity::Theme(t) => {
            let theme = &plan.themes[t];
            let span = theme.id_written.then_some(theme.id.span);
            (theme.file, span, true, fields::names(fields::THEME))
        }
        Entity::Item(i) => {
            let item = &plan.items[i];
            let span = item.id_written.then_some(item.id.span);
            (
                item.file,
                span,
                item.sole_in_file,
                fields::names(fields::ITEM),
            )
        }
    };

    // Every reference, as a span to replace, by file.
    let mut spans: BTreeMap<FileId, Vec<Span>> = BTreeMap::new();
    for item in &plan.items {
        let refs = match entity {
            Entity::Theme(_) => item.theme.iter().collect::<Vec<_>>(),
            Entity::Item(_) => item.parent.iter().chain(&item.depends_on).collect(),
        };
        for r in refs.into_iter().chain(&item.related) {
            if r.value == old {
                spans.entry(item.file).or_default().push(r.span);
            }
        }
    }
    let references = spans.values().map(Vec::len).sum();
    if let Some(span) = id_span {
        spans.entry(own_file).or_default().push(span);
    }
    spans.entry(own_file).or_default();

    let own_path = plan.file(own_file).path.clone();
    let stem = stem_of(&own_path);
    let moved_to = (sole && stem == old).then(|| {
        let ext = own_path.rsplit_once('.').map_or("yaml", |(_, e)| e);
        let dir = own_path.rsplit_once('/').map_or("", |(d, _)| d);
        if dir.is_empty() {
            format!("{new}.{ext}")
        } else {
            format!("{dir}/{new}.{ext}")
        }
    });
    if let Some(to) = &moved_to
        && std::fs::symlink_metadata(root.join(to)).is_ok()
    {
        return Err(Error::refused(
            crate::error::Refusal::IdTaken,
            format!("{to} exists already; move it away, or rename to another id"),
        ));
    }

    let mut changes: Vec<(String, Option<String>)> = Vec::new();
    // The same change as the files to write, each replaced or removed one with the text it was
    // read with: the change is refused if one was saved since.
    let mut writes: Vec<FileWrite> = Vec::new();
    for (file, mut at) in spans {
        let source_file = plan.file(file);
        let mut edited = loaded_text(source, source_file)?;
        // From the end, so earlier offsets stay put.
        at.sort_by_key(|s| std::cmp::Reverse(s.start()));
        for span in at {
            edited = text::splice(&edited, span.start(), span.end(), &yaml_flow_scalar(new))?;
        }
        if file == own_file {
            let docs = parse(&edited, &source_file.path)?;
            // The document now carries the new id if it wrote one; else it is the file's only one.
            let lookup = if id_span.is_some() { new } else { old };
            let doc = find_doc(&docs, &edited, lookup, &source_file.path)?;
            edited = text::add_to_list(&edited, doc, &order, "aliases", &yaml_flow_scalar(old))?;
        }
        let (path, was) = (root.join(&source_file.path), source_file.seal);
        match (&moved_to, file == own_file) {
            (Some(to), true) => {
                writes.push(FileWrite::Remove { path, was });
                writes.push(FileWrite::Create {
                    path: root.join(to),
                    text: edited.clone(),
                });
                changes.push((source_file.path.clone(), None));
                changes.push((to.clone(), Some(edited)));
            }
            _ => {
                writes.push(FileWrite::Replace {
                    path,
                    text: edited.clone(),
                    was,
                });
                changes.push((source_file.path.clone(), Some(edited)));
            }
        }
    }

    let label = root.display().to_string();
    // A finding on the renamed entity, in its moved file or on a field naming it, is the one it
    // had before: only what the rename itself brings is new.
    let ids = [(new.to_string(), old.to_string())];
    let files: Vec<(String, String)> = moved_to
        .iter()
        .map(|to| (to.clone(), own_path.clone()))
        .collect();
    let same = |f: &FindingView| f.renamed(&ids, &files);
    let added = crate::guard::added_by(source, &label, plan, &changes, today, same)?;
    added.refuse_errors()?;
    Ok(RenamePlan {
        changes,
        moved: moved_to.map(|to| (own_path, to)),
        references,
        warnings: added.warnings,
        writes,
    })
}

/// The entity `old` names, once `new` is known to be a free, valid id of its kind.
fn target(plan: &Plan, trace: &Trace<'_>, old: &str, new: &str) -> Result<Entity, Error> {
    if trace.is_ambiguous(old) {
        return Err(Error::refused(
            crate::error::Refusal::AmbiguousId,
            format!("several themes or items hold the id `{old}`; rename one by editing its file"),
        ));
    }
    let Some(&entity) = trace.by_id.get(old) else {
        let help = match trace.renamed_to(plan, old) {
            Some(now) => Some(format!("`{old}` is an old id of `{now}`")),
            None => crate::diag::suggestion(old, trace.by_id.keys().copied()),
        };
        return Err(Error::refused(
            crate::error::Refusal::UnknownId,
            format!("no theme or item has the id `{old}`"),
        )
        .maybe_help(help));
    };
    if old == new {
        return Err(Error::refused(
            crate::error::Refusal::IdTaken,
            format!("`{old}` has that id already"),
        ));
    }
    let kind = entity.id_kind();
    if !(kind.valid)(new) {
        return Err(Error::refused(
            crate::error::Refusal::InvalidValue,
            format!("`{new}` is not a valid {}", kind.noun),
        )
        .with_help(format!(
            "{}s are {}; a rename keeps the kind",
            kind.noun, kind.rule
        )));
    }
    if let Some(&other) = trace.by_id.get(new) {
        let what = match other {
            Entity::Theme(_) => "a theme",
            Entity::Item(_) => "an item",
        };
        return Err(Error::refused(
            crate::error::Refusal::IdTaken,
            format!("`{new}` is already the id of {what}"),
        ));
    }
    if trace.aliases.contains_key(new) {
        return Err(Error::refused(
            crate::error::Refusal::IdTaken,
            format!(
                "`{new}` is an old id (`aliases:`) in this plan; references to it would be ambiguous"
            ),
        ));
    }
    Ok(entity)
}
