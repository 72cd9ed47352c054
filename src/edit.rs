//! `roadlog set`: change one top-level field of a theme or item in place, every other byte kept,
//! written atomically.

use std::fs;
use std::path::{Path, PathBuf};

use crate::author::yaml_scalar;
use crate::diag::{FileId, did_you_mean, suggestion};
use crate::error::Error;
use crate::model::fields::{self, Field};
use crate::model::{Category, Plan, ThemeStatus};
use crate::time::{Date, Horizon};
use crate::trace::{Entity, Trace};
use crate::yaml::{self, Node, Value};

/// Checks `value` for `field` of the entity `id`, and returns it as YAML.
fn validated(
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
            None => Err(Error::usage(format!(
                "`{value}` is not a theme status: use {}",
                ThemeStatus::choices()
            ))),
        },
        "status" => {
            if Category::parse(value).is_some() || plan.config.statuses.contains_key(value) {
                Ok(yaml_scalar(value))
            } else {
                let known: Vec<&str> = Category::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .chain(plan.config.statuses.keys().map(String::as_str))
                    .collect();
                let help = did_you_mean(value, known.iter().copied()).map_or_else(
                    || format!("use one of: {}", known.join(", ")),
                    |n| format!("did you mean `{n}`?"),
                );
                Err(Error::usage(format!("`{value}` is not a status of this plan")).with_help(help))
            }
        }
        "theme" => match trace.theme(value) {
            Some(_) => Ok(value.to_string()),
            None => {
                let help = suggestion(value, plan.themes.iter().map(|t| t.id.value.as_str()));
                Err(Error::usage(format!("there is no theme `{value}`")).maybe_help(help))
            }
        },
        "parent" => {
            let Entity::Item(me) = entity else {
                return Err(Error::usage("themes have no parent"));
            };
            let Some(mut at) = trace.item(value) else {
                let help = suggestion(value, plan.items.iter().map(|t| t.id.value.as_str()));
                return Err(
                    Error::usage(format!("there is no backlog item `{value}`")).maybe_help(help)
                );
            };
            // The new parent must not descend from this item (a parent cycle).
            let mut steps = 0;
            loop {
                if at == me {
                    return Err(Error::usage(format!(
                        "`{value}` is `{}` itself or below it; that would make a parent cycle",
                        plan.items[me].id.value
                    )));
                }
                match trace.parent[at] {
                    Some(p) if steps < plan.items.len() => {
                        at = p;
                        steps += 1;
                    }
                    _ => break,
                }
            }
            Ok(value.to_string())
        }
        "estimate" => match value.parse::<f64>() {
            Ok(n) if n.is_finite() && n >= 0.0 => Ok(value.to_string()),
            _ => Err(Error::usage(format!(
                "`{value}` is not an estimate: use a number of at least 0"
            ))),
        },
        "priority" => match value.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(n.to_string()),
            _ => Err(Error::usage(format!(
                "`{value}` is not a priority: use a whole number of at least 1"
            ))),
        },
        "horizon" => value
            .parse::<Horizon>()
            .map(|h| h.to_string())
            .map_err(|e| {
                Error::usage(e)
                    .maybe_help(Horizon::suggest(value).map(|s| format!("did you mean `{s}`?")))
            }),
        // A review is recorded the day it happens: `today` says so without looking it up.
        "reviewed" if value == "today" => Ok(today.to_string()),
        "reviewed" => value
            .parse::<Date>()
            .map(|d| d.to_string())
            .map_err(|e| Error::usage(e).with_help("write the day as YYYY-MM-DD, or `today`")),
        _ => Ok(yaml_scalar(value)),
    }
}

/// `text[range]`, or a refusal when the range is not a place in the text: edits cut text at the
/// parser's offsets, and a wrong one must refuse, never panic or write a broken file.
fn part<R: std::slice::SliceIndex<str, Output = str>>(text: &str, range: R) -> Result<&str, Error> {
    text.get(range)
        .ok_or_else(|| Error::usage("roadlog lost its place in the file; edit it by hand"))
}

/// `text` with the bytes `start..end` replaced by `with`.
fn splice(text: &str, start: usize, end: usize, with: &str) -> Result<String, Error> {
    Ok(format!(
        "{}{with}{}",
        part(text, ..start)?,
        part(text, end..)?
    ))
}

/// The byte range of the line holding `offset`, newline included.
fn line_around(text: &str, offset: usize) -> Result<(usize, usize), Error> {
    let start = part(text, ..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let end = part(text, offset..)?
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1);
    Ok((start, end))
}

/// The edited text, or why the edit cannot be made safely.
fn edit_text(
    text: &str,
    doc: &Node,
    order: &[&str],
    field: &str,
    new: Option<&str>,
) -> Result<String, Error> {
    let Value::Map(entries) = &doc.value else {
        return Err(Error::usage("the document is not a mapping of fields"));
    };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    if let Some((key, node)) = entries.iter().find(|(k, _)| k.name == field) {
        let scalar = !matches!(node.value, Value::Seq(_) | Value::Map(_));
        let (line_start, line_end) = line_around(text, key.span.offset)?;
        let value_end = node.span.offset + node.span.len;
        let value_on_key_line = node.span.offset >= key.span.offset && value_end <= line_end;
        if !scalar || !value_on_key_line || part(text, node.span.offset..)?.starts_with('*') {
            return Err(Error::usage(format!(
                "`{field}` is not a one-line value here; edit the file by hand"
            )));
        }
        return match new {
            Some(v) if node.span.len == 0 => {
                // `field:` with no value: put one after the colon.
                let colon = part(text, key.span.offset..line_end)?
                    .find(':')
                    .map_or(line_end, |i| key.span.offset + i + 1);
                splice(text, colon, colon, &format!(" {v}"))
            }
            Some(v) => splice(text, node.span.offset, value_end, v),
            None => splice(text, line_start, line_end, ""),
        };
    }
    let Some(v) = new else {
        return Ok(text.to_string());
    };
    let line = format!("{field}: {v}{newline}");
    let rank = |name: &str| order.iter().position(|f| *f == name).unwrap_or(order.len());
    // Right after the field that precedes this one in documented order, when that is a one-line
    // value; else before the first field that follows it.
    let after = entries
        .iter()
        .filter(|(k, _)| rank(&k.name) < rank(field))
        .max_by_key(|(k, _)| k.span.offset);
    if let Some((key, node)) = after {
        let (_, line_end) = line_around(text, key.span.offset)?;
        let one_line = !matches!(node.value, Value::Seq(_) | Value::Map(_))
            && node.span.offset + node.span.len <= line_end;
        if one_line && key.span.column == 1 && part(text, ..line_end)?.ends_with('\n') {
            return splice(text, line_end, line_end, &line);
        }
    }
    let before = entries
        .iter()
        .filter(|(k, _)| rank(&k.name) > rank(field))
        .min_by_key(|(k, _)| k.span.offset);
    match before {
        Some((key, _)) if key.span.column == 1 => {
            let (line_start, _) = line_around(text, key.span.offset)?;
            splice(text, line_start, line_start, &line)
        }
        Some(_) => Err(Error::usage(
            "the document's fields are not one per line; edit the file by hand",
        )),
        None => {
            // After the document's last field: the end of its last line.
            let last = entries
                .iter()
                .map(|(k, v)| k.span.offset.max(v.span.offset + v.span.len))
                .max()
                .unwrap_or(0);
            let (_, end) = line_around(text, last.min(text.len()))?;
            let sep = if end > 0 && !part(text, ..end)?.ends_with('\n') {
                newline
            } else {
                ""
            };
            splice(text, end, end, &format!("{sep}{line}"))
        }
    }
}

/// The text of the file holding `id` once `field` is set (or with `None`, removed), checked to
/// add no finding. Pure: it edits the text the plan was loaded from and touches no disk.
pub fn edit(
    plan: &Plan,
    id: &str,
    field: &str,
    value: Option<&str>,
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
    let (settable, order, required) = (fields::settable(table), fields::names(table), ["status"]);
    if !settable.contains(&field) {
        return Err(Error::usage(format!(
            "`set` changes {} on this entity, not `{field}`",
            settable.join(", ")
        )));
    }
    if value.is_none() && required.contains(&field) {
        return Err(Error::usage(format!(
            "`{field}` is required and cannot be unset"
        )));
    }
    let new = value
        .map(|v| validated(plan, &trace, entity, field, v, today))
        .transpose()?;
    let source = plan.file(file);
    let (rel, text) = (&source.path, &*source.text);
    let docs = yaml::parse_stream(text)
        .map_err(|e| Error::usage(format!("{rel} is not valid YAML: {}", e.message)))?;
    let doc = docs
        .iter()
        .find(|d| match &d.value {
            Value::Map(entries) => entries
                .iter()
                .any(|(k, v)| k.name == "id" && v.scalar_text(text).as_deref() == Some(id)),
            _ => false,
        })
        .or_else(|| (docs.len() == 1).then(|| &docs[0]))
        .ok_or_else(|| Error::usage(format!("cannot find `{id}` in {rel}")))?;
    let edited = edit_text(text, doc, &order, field, new.as_deref())?;
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

/// What `set` asks for.
#[derive(Clone, Copy, Debug)]
pub struct SetRequest<'a> {
    /// Theme or item id.
    pub id: &'a str,
    /// Field name.
    pub field: &'a str,
    /// New value; `None` removes the field.
    pub value: Option<&'a str>,
    /// The date `today` stands for, and rules are checked at.
    pub today: Date,
}

/// Sets (or with `None`, removes) one top-level field of the theme or item `id` in its file under
/// `root`, written atomically, when the plan as a whole gains no error by it. `plan` is what
/// `source` (the plan root on disk) holds. Returns the file and the warnings the change adds.
pub fn set(
    root: &Path,
    source: &dyn crate::load::Source,
    plan: Plan,
    req: SetRequest<'_>,
) -> Result<(PathBuf, Vec<crate::diff::FindingView>), Error> {
    let (file, edited) = edit(&plan, req.id, req.field, req.value, req.today)?;
    let loaded = plan.file(file).clone();
    let path = root.join(&loaded.path);
    if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::usage(format!(
            "{} is a symbolic link; edit the file it points to",
            path.display()
        )));
    }
    let text = fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    if *text != *loaded.text {
        return Err(Error::usage(format!(
            "{} changed while roadlog was reading it; try again",
            path.display()
        )));
    }
    if edited == text {
        return Ok((path, Vec::new()));
    }
    let label = root.display().to_string();
    let added = crate::guard::added(source, &label, plan, &loaded.path, &edited, req.today)?;
    added.refuse_errors()?;
    crate::write::replace(&path, &edited)?;
    Ok((path, added.warnings))
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
        return Err(Error::usage(format!(
            "the edit would not pass `roadlog check`: {}; nothing was written",
            f.message
        )));
    }
    if !ids.iter().any(|i| i == id) {
        return Err(Error::usage(format!(
            "the edit would leave no `{id}` in {path}; nothing was written"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, field: &str, new: Option<&str>) -> String {
        let docs = yaml::parse_stream(text).expect("yaml");
        edit_text(text, &docs[0], &fields::names(fields::ITEM), field, new).expect("edit")
    }

    #[test]
    fn only_the_value_changes() {
        let text = "# A comment\ntitle: T   # keep\nstatus: todo  # why\n\ntheme: core\n";
        assert_eq!(
            edit(text, "status", Some("done")),
            "# A comment\ntitle: T   # keep\nstatus: done  # why\n\ntheme: core\n"
        );
    }

    #[test]
    fn a_missing_field_is_added_in_documented_order() {
        let text = "title: T\nstatus: todo\ntheme: core\nacceptance:\n  - works\n";
        assert_eq!(
            edit(text, "estimate", Some("3")),
            "title: T\nstatus: todo\ntheme: core\nestimate: 3\nacceptance:\n  - works\n"
        );
        assert_eq!(
            edit("title: T\nstatus: todo", "sprint", Some("S1")),
            "title: T\nstatus: todo\nsprint: S1\n"
        );
        assert_eq!(
            edit("title: T\r\nstatus: todo\r\n", "sprint", Some("S1")),
            "title: T\r\nstatus: todo\r\nsprint: S1\r\n"
        );
    }

    #[test]
    fn unset_removes_the_line_and_empty_values_are_filled() {
        assert_eq!(
            edit("title: T\nsprint: S1 # now\nstatus: todo\n", "sprint", None),
            "title: T\nstatus: todo\n"
        );
        assert_eq!(
            edit("title: T\nsprint:\nstatus: todo\n", "sprint", Some("S2")),
            "title: T\nsprint: S2\nstatus: todo\n"
        );
    }

    #[test]
    fn multi_line_values_are_left_to_a_person() {
        let docs = yaml::parse_stream("title: T\nstatus: todo\nassignee:\n  - a\n").expect("yaml");
        assert!(
            edit_text(
                "title: T\nstatus: todo\nassignee:\n  - a\n",
                &docs[0],
                &fields::names(fields::ITEM),
                "assignee",
                Some("b")
            )
            .is_err()
        );
    }
}
