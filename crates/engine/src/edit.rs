//! `roadlog set`: change one top-level field of a theme or item in place, or add an entry to one
//! of its lists or remove one, every other byte kept, written atomically.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

mod rename;
mod text;
mod value;

pub use rename::{RenamePlan, Renamed, plan_rename, rename};

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::{FileId, suggestion};
use crate::error::Error;
use crate::load::Source;
use crate::model::fields::{self, Edit, Field};
use crate::model::{Category, Plan, SourceFile};
use crate::time::Date;
use crate::trace::{Entity, Trace};
use crate::yaml::{self, Node, Value};

/// What `set` does to the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Sets the value.
    To(String),
    /// Removes the field.
    Unset,
    /// Adds an entry to a list field.
    Add(String),
    /// Removes an entry from a list field.
    Remove(String),
}

/// The fields of an entity that may never be removed.
fn required(entity: Entity) -> &'static [&'static str] {
    match entity {
        Entity::Theme(_) => fields::THEME_REQUIRED,
        Entity::Item(_) => fields::ITEM_REQUIRED,
    }
}

/// The document of `id` in a file's text.
pub(super) fn find_doc<'d, 't>(
    docs: &'d [Node<'t>],
    text: &str,
    id: &str,
    rel: &str,
) -> Result<&'d Node<'t>, Error> {
    docs.iter()
        .find(|d| match &d.value {
            Value::Map(entries) => entries
                .iter()
                .any(|(k, v)| k.name == "id" && v.scalar_text(text).as_deref() == Some(id)),
            _ => false,
        })
        .or_else(|| (docs.len() == 1).then(|| docs.first()).flatten())
        .ok_or_else(|| {
            Error::refused(
                crate::error::Refusal::UnknownId,
                format!("cannot find `{id}` in {rel}"),
            )
        })
}

pub(super) fn parse<'t>(text: &'t str, rel: &str) -> Result<Vec<Node<'t>>, Error> {
    yaml::parse_stream(text).map_err(|e| {
        Error::refused(
            crate::error::Refusal::EditByHand,
            format!("{rel} is not valid YAML: {}", e.message),
        )
    })
}

/// The text of the file holding `id` once `change` is made to `field`, checked to add no finding.
/// Marking an item done fills in `done_on` with today when it has none. It edits the text the
/// plan was loaded from, read again from `source` (a file saved since is refused), and writes
/// nothing.
pub fn edit(
    source: &dyn Source,
    plan: &Plan,
    id: &str,
    field: &str,
    change: &Change,
    today: Date,
) -> Result<(FileId, String), Error> {
    let trace = Trace::new(plan);
    let Some(&entity) = trace.by_id.get(id) else {
        return Err(Error::unknown_id(id, trace.by_id.keys().copied()));
    };
    let (file, table): (FileId, &[Field]) = match entity {
        Entity::Theme(t) => (plan.themes[t].file, fields::THEME),
        Entity::Item(i) => (plan.items[i].file, fields::ITEM),
    };
    let order = fields::names(table);
    let list = matches!(change, Change::Add(_) | Change::Remove(_));
    let kind = if list { Edit::List } else { Edit::Value };
    let editable = fields::editable(table, kind);
    if !editable.contains(&field) {
        let how = if list {
            "--add and --remove edit"
        } else {
            "`set` changes"
        };
        return Err(Error::usage(format!(
            "{how} {} on this entity, not `{field}`",
            editable.join(", ")
        ))
        .maybe_help(suggestion(field, editable.iter().copied())));
    }
    if *change == Change::Unset && required(entity).contains(&field) {
        return Err(Error::usage(format!(
            "`{field}` is required and cannot be unset"
        )));
    }
    let loaded = plan.file(file);
    let text = &loaded_text(source, loaded)?;
    let rel = &loaded.path;
    let docs = parse(text, rel)?;
    let doc = find_doc(&docs, text, id, rel)?;
    let edited = match change {
        Change::To(v) => {
            let new = value::validated(plan, &trace, entity, field, v, today)?;
            let edited = text::edit_text(text, doc, &order, field, Some(&new))?;
            if finishes(plan, entity, field, &new) {
                add_done_on(&edited, &order, id, rel, today)?
            } else {
                edited
            }
        }
        Change::Unset => text::edit_text(text, doc, &order, field, None)?,
        Change::Add(v) => {
            let new = value::list_value(plan, &trace, entity, field, v)?;
            let (at, _) = text::find_in_list(text, doc, field, v)?;
            if at.is_some() {
                return Err(Error::refused(
                    crate::error::Refusal::InvalidValue,
                    format!("`{v}` is in `{field}` already"),
                ));
            }
            text::add_to_list(text, doc, &order, field, &new)?
        }
        Change::Remove(v) => match text::find_in_list(text, doc, field, v)? {
            (Some(at), _) => text::remove_from_list(text, doc, field, at)?,
            (None, entries) => {
                return Err(Error::refused(
                    crate::error::Refusal::InvalidValue,
                    format!("`{v}` is not in `{field}`"),
                )
                .maybe_help(suggestion(v, entries.iter().map(String::as_str))));
            }
        },
    };
    check_edit(
        id,
        text,
        &edited,
        rel,
        plan,
        matches!(entity, Entity::Theme(_)),
    )?;
    Ok((file, edited))
}

/// Whether setting `field` to `value` marks an item without `done_on` done.
fn finishes(plan: &Plan, entity: Entity, field: &str, value: &str) -> bool {
    let Entity::Item(i) = entity else {
        return false;
    };
    let category = plan.config.category_of(value);
    field == "status" && category == Some(Category::Done) && plan.items[i].done_on.is_none()
}

/// `text` with `done_on: today` added to the document of `id`.
fn add_done_on(
    text: &str,
    order: &[&str],
    id: &str,
    rel: &str,
    today: Date,
) -> Result<String, Error> {
    let docs = parse(text, rel)?;
    let doc = find_doc(&docs, text, id, rel)?;
    text::edit_text(text, doc, order, "done_on", Some(&today.to_string()))
}

/// `text` (the file `rel`) with the top-level field `field` of the document of `id` set to the
/// YAML value `new`, or removed for `None`: a one-line value or `[…]` list replaced, a missing
/// field added in documented order, every other byte kept. Unchecked: the caller checks the plan.
pub(crate) fn set_value(
    text: &str,
    id: &str,
    rel: &str,
    field: &str,
    new: Option<&str>,
) -> Result<String, Error> {
    let docs = parse(text, rel)?;
    let doc = find_doc(&docs, text, id, rel)?;
    text::edit_text(text, doc, &fields::names(fields::ITEM), field, new)
}

/// `text` (the file `rel`, one document) with the one-line YAML `entry` appended to its top-level
/// list `field`.
pub(crate) fn append_entry(
    text: &str,
    rel: &str,
    field: &str,
    entry: &str,
) -> Result<String, Error> {
    let docs = parse(text, rel)?;
    match docs.first() {
        Some(doc) => text::append_entry(text, doc, field, entry),
        None => Ok(format!("{text}{field}:\n  - {entry}\n")),
    }
}

/// What `set` asks for.
#[derive(Clone, Copy, Debug)]
pub struct SetRequest<'a> {
    /// Theme or item id.
    pub id: &'a str,
    /// Field name.
    pub field: &'a str,
    /// What to do to it.
    pub change: &'a Change,
    /// The date `today` stands for, and rules are checked at.
    pub today: Date,
}

/// A `set` worked out and checked, not yet written.
#[derive(Debug)]
pub struct SetPlan {
    /// The file, under the plan root.
    pub path: PathBuf,
    /// Its text now.
    pub before: String,
    /// Its text after the change: `before` again when the change changes nothing.
    pub after: String,
    /// Warnings the change adds.
    pub warnings: Vec<crate::diff::FindingView>,
    seal: crate::model::Seal,
}

/// Makes `change` to one top-level field of the theme or item `id` in its file under
/// `root`, written atomically, when the plan as a whole gains no error by it. `plan` is what
/// `source` (the plan root on disk) holds. Returns the file and the warnings the change adds.
pub fn set(
    root: &Path,
    source: &dyn crate::load::Source,
    plan: Plan,
    req: SetRequest<'_>,
) -> Result<(PathBuf, Vec<crate::diff::FindingView>), Error> {
    let planned = plan_set(root, source, plan, req)?;
    if planned.before != planned.after {
        crate::write::replace_read(&planned.path, &planned.after, planned.seal)?;
    }
    Ok((planned.path, planned.warnings))
}

/// Works out [`set`] and refuses it as `set` would, writing nothing.
pub fn plan_set(
    root: &Path,
    source: &dyn crate::load::Source,
    plan: Plan,
    req: SetRequest<'_>,
) -> Result<SetPlan, Error> {
    let (file, edited) = edit(source, &plan, req.id, req.field, req.change, req.today)?;
    let loaded = plan.file(file).clone();
    let path = root.join(&loaded.path);
    if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::refused(
            crate::error::Refusal::OutsidePlan,
            format!(
                "{} is a symbolic link; edit the file it points to",
                path.display()
            ),
        ));
    }
    let text = fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    if !loaded.seal.holds(&text) {
        return Err(Error::ChangedSinceRead { path });
    }
    if edited == text {
        return Ok(SetPlan {
            path,
            before: text.clone(),
            after: text,
            warnings: Vec::new(),
            seal: loaded.seal,
        });
    }
    let label = root.display().to_string();
    let added = crate::guard::added(source, &label, plan, &loaded.path, &edited, req.today)?;
    added.refuse_errors()?;
    Ok(SetPlan {
        path,
        before: text,
        after: edited,
        warnings: added.warnings,
        seal: loaded.seal,
    })
}

/// The text of `file` as the plan was loaded from it, read again from `source`: an edit splices
/// at the spans that load found, so a file saved since is refused.
fn loaded_text(source: &dyn Source, file: &SourceFile) -> Result<String, Error> {
    crate::load::text_of(source, file).ok_or_else(|| Error::ChangedSinceRead {
        path: file.path.clone().into(),
    })
}

/// Refuses an edit that would add a finding to the file or lose the entity `id` from it.
fn check_edit(
    id: &str,
    before: &str,
    after: &str,
    path: &str,
    plan: &Plan,
    theme: bool,
) -> Result<(), Error> {
    let read = |text: &str| crate::load::read_text(path, text, theme, &plan.config);
    let (_, old) = read(before);
    let (ids, new) = read(after);
    let known = |f: &&crate::diag::Finding| {
        old.iter()
            .any(|o| o.rule == f.rule && o.message == f.message)
    };
    if let Some(f) = new.iter().find(|f| !known(f)) {
        return Err(Error::refused(
            crate::error::Refusal::WouldFailCheck,
            format!(
                "the edit would not pass `roadlog check`: {}; nothing was written",
                f.message
            ),
        ));
    }
    if !ids.iter().any(|i| i == id) {
        return Err(Error::refused(
            crate::error::Refusal::WouldFailCheck,
            format!("the edit would leave no `{id}` in {path}; nothing was written"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{CONFIG_FILE, MemoryTree, load};

    #[test]
    fn an_edit_is_made_to_the_text_loaded_and_refused_once_it_changed() {
        let tree = MemoryTree::new()
            .with(CONFIG_FILE, "")
            .with("backlog/BL-1.yaml", "title: A\nstatus: todo\n");
        let plan = load(&tree, "t").expect("loads");
        let today = Date::new(2025, 1, 1).expect("a date");
        let started = Change::To("in-progress".into());
        let (_, edited) = edit(&tree, &plan, "BL-1", "status", &started, today).expect("edits");
        assert_eq!(edited, "title: A\nstatus: in-progress\n");
        // Saved since the load: the spans found in it are no longer its own.
        let later = tree.with("backlog/BL-1.yaml", "title: AB\nstatus: todo\n");
        let refused = edit(&later, &plan, "BL-1", "status", &started, today);
        assert!(
            matches!(&refused, Err(Error::ChangedSinceRead { path }) if path.ends_with("BL-1.yaml")),
            "{:?}",
            refused.map(|_| ())
        );
    }
}
