//! Writes worked out and checked but not made, for an agent's `dry_run`: each file's changed
//! lines and the warnings the change would add. The same checks as the write refuse it.

use std::path::Path;

use serde_json::{Value, json};

use super::write::writable_plan;
use crate::edit::{Change, SetRequest};
use crate::error::Error;
use crate::request::Request;

/// `roadlog set` without the write.
pub fn dry_set(req: &Request, id: &str, field: &str, change: &Change) -> Result<Value, Error> {
    let (root, source, plan) = writable_plan(req, &mut std::io::sink())?;
    let ask = SetRequest {
        id,
        field,
        change,
        today: req.today,
    };
    let planned = crate::edit::plan_set(&root, &source, plan, ask)?;
    let path = under(&root, &planned.path);
    Ok(json!({
        "dry_run": true,
        "files": [changed(&path, &planned.before, &planned.after)],
        "warnings": planned.warnings,
    }))
}

/// `roadlog rename` without the write.
pub fn dry_rename(req: &Request, old: &str, new: &str) -> Result<Value, Error> {
    let (root, source, plan) = writable_plan(req, &mut std::io::sink())?;
    let planned = crate::edit::plan_rename(&root, &source, plan, old, new, req.today)?;
    let mut files = Vec::new();
    for (path, text) in &planned.changes {
        let Some(after) = text else { continue };
        let was = match &planned.moved {
            Some((from, to)) if to == path => from,
            _ => path,
        };
        let before = std::fs::read_to_string(root.join(was)).unwrap_or_default();
        let mut file = changed(path, &before, after);
        if was != path
            && let Some(object) = file.as_object_mut()
        {
            object.insert("renamed_from".into(), json!(was));
        }
        files.push(file);
    }
    Ok(json!({
        "dry_run": true,
        "files": files,
        "references": planned.references,
        "warnings": planned.warnings,
    }))
}

fn under(root: &Path, path: &Path) -> String {
    crate::load::to_slash(path.strip_prefix(root).unwrap_or(path))
}

/// The lines between the texts' common start and end: those removed and those added, from the
/// first line (1-based) that differs.
pub(super) fn changed(path: &str, before: &str, after: &str) -> Value {
    let (old, new): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let room = old.len().min(new.len()) - head;
    let tail = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    json!({
        "path": path,
        "line": head + 1,
        "removed": old.get(head..old.len() - tail).unwrap_or_default(),
        "added": new.get(head..new.len() - tail).unwrap_or_default(),
    })
}

/// `roadlog new item` without the write.
pub fn dry_new_item(req: &Request, item: &crate::author::NewItem) -> Result<Value, Error> {
    let (root, source, plan) = writable_plan(req, &mut std::io::sink())?;
    let draft = crate::author::draft_item(&root, &source, plan, item, req.today)?;
    Ok(drafted(&root, &draft))
}

/// `roadlog new theme` without the write.
pub fn dry_new_theme(req: &Request, theme: &crate::author::NewTheme) -> Result<Value, Error> {
    let (root, source, plan) = writable_plan(req, &mut std::io::sink())?;
    let draft = crate::author::draft_theme(&root, &source, plan, theme, req.today)?;
    Ok(drafted(&root, &draft))
}

fn drafted(root: &Path, draft: &crate::author::Draft) -> Value {
    json!({
        "dry_run": true,
        "id": draft.id,
        "files": [changed(&under(root, &draft.path), "", &draft.text)],
        "warnings": draft.warnings,
    })
}
