//! The fields an import owns, as the plan would hold them: the text of a new item, and the edits
//! that bring an existing one in step. Every value goes through the YAML emitter, so a title of
//! YAML syntax, a NUL or a bidi control lands as a quoted string that reads back to itself.

use crate::model::{Item, Kind};
use crate::time::Date;
use crate::yaml::{flow_scalar, scalar};

/// What the tracker says of one record, in the plan's terms. A field the export does not carry
/// is `None` and left as the plan has it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Wanted {
    pub(super) title: String,
    pub(super) status: String,
    pub(super) kind: Kind,
    pub(super) assignee: Option<Vec<String>>,
    pub(super) estimate: Option<Option<f64>>,
    pub(super) sprint: Option<Option<String>>,
    pub(super) parent: Option<Option<String>>,
    pub(super) depends_on: Option<Vec<String>>,
    /// `Some` for finished work: its resolution date, when the tracker has one.
    pub(super) done: Option<Option<Date>>,
    /// Set when the item has none of its own and its parents give none.
    pub(super) theme: Option<String>,
}

/// The first-import-only fields, and the record's key.
pub(super) struct Extra<'r> {
    pub(super) source: &'r str,
    pub(super) description: Option<&'r str>,
    pub(super) tags: &'r [String],
}

fn list(values: &[String]) -> String {
    let values: Vec<String> = values.iter().map(|v| flow_scalar(v)).collect();
    format!("[{}]", values.join(", "))
}

fn assignee(names: &[String]) -> Option<String> {
    match names {
        [] => None,
        [one] => Some(scalar(one)),
        many => Some(list(many)),
    }
}

/// The text of a new item file, its fields in documented order.
pub(super) fn new_text(w: &Wanted, extra: &Extra<'_>) -> String {
    let mut lines: Vec<(&str, String)> = vec![("title", scalar(&w.title))];
    if w.kind != Kind::Story {
        lines.push(("kind", w.kind.as_str().to_string()));
    }
    lines.push(("status", scalar(&w.status)));
    if let Some(t) = &w.theme {
        lines.push(("theme", scalar(t)));
    }
    if let Some(Some(p)) = &w.parent {
        lines.push(("parent", scalar(p)));
    }
    if let Some(Some(e)) = w.estimate {
        lines.push(("estimate", e.to_string()));
    }
    if let Some(Some(s)) = &w.sprint {
        lines.push(("sprint", scalar(s)));
    }
    if let Some(a) = w.assignee.as_deref().and_then(assignee) {
        lines.push(("assignee", a));
    }
    if let Some(d) = w.depends_on.as_deref().filter(|d| !d.is_empty()) {
        lines.push(("depends_on", list(d)));
    }
    if let Some(d) = extra.description.filter(|d| !d.trim().is_empty()) {
        lines.push(("description", scalar(d)));
    }
    if !extra.tags.is_empty() {
        lines.push(("tags", list(extra.tags)));
    }
    if let Some(Some(d)) = w.done {
        lines.push(("done_on", d.to_string()));
    }
    lines.push(("source", scalar(extra.source)));
    lines.iter().map(|(k, v)| format!("{k}: {v}\n")).collect()
}

/// The edits that make `item` say what the tracker says: field → new YAML value (`None` to
/// remove it), only where they differ.
pub(super) fn edits(w: &Wanted, item: &Item) -> Vec<(&'static str, Option<String>)> {
    let mut out = Vec::new();
    if item.title.as_ref().map(|t| t.value.as_str()) != Some(w.title.as_str()) {
        out.push(("title", Some(scalar(&w.title))));
    }
    if item.status_name().as_deref() != Some(w.status.as_str()) {
        out.push(("status", Some(scalar(&w.status))));
    }
    if item.kind != w.kind {
        out.push(("kind", Some(w.kind.as_str().to_string())));
    }
    if item.theme.is_none()
        && let Some(t) = &w.theme
    {
        out.push(("theme", Some(scalar(t))));
    }
    if let Some(p) = &w.parent
        && item.parent.as_ref().map(|p| &p.value) != p.as_ref()
    {
        out.push(("parent", p.as_deref().map(scalar)));
    }
    if let Some(e) = w.estimate
        && item.estimate.as_ref().map(|e| e.value) != e
    {
        out.push(("estimate", e.map(|e| e.to_string())));
    }
    if let Some(s) = &w.sprint
        && item.sprint.as_ref().map(|s| &s.value) != s.as_ref()
    {
        out.push(("sprint", s.as_deref().map(scalar)));
    }
    if let Some(names) = &w.assignee {
        let now: Vec<&str> = item.assignee.iter().map(|a| a.value.as_str()).collect();
        if now != names.iter().map(String::as_str).collect::<Vec<_>>() {
            out.push(("assignee", assignee(names)));
        }
    }
    if let Some(deps) = &w.depends_on {
        let now: Vec<&str> = item.depends_on.iter().map(|d| d.value.as_str()).collect();
        if now != deps.iter().map(String::as_str).collect::<Vec<_>>() {
            out.push(("depends_on", (!deps.is_empty()).then(|| list(deps))));
        }
    }
    let done_on = item.done_on.as_ref().map(|d| d.value);
    match w.done {
        Some(Some(d)) if done_on != Some(d) => out.push(("done_on", Some(d.to_string()))),
        None if done_on.is_some() => out.push(("done_on", None)),
        _ => {}
    }
    out
}
