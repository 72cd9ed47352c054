//! The commands that write the working tree: `init`, `new theme`, `new item`, `set`, `rename`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::context::{refuse_rev, say_where, stdout_error};
use crate::error::Error;
use crate::load::{self, WorkTree};
use crate::render;
use crate::request::{Outcome, Request};

/// Creates a plan in `dir`.
pub(super) fn init(
    req: &Request,
    dir: &Path,
    empty: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    refuse_rev(req)?;
    let created = crate::init::init(&req.cwd.join(dir), empty, req.today)?;
    for path in created {
        writeln!(out, "created {}", render::shown_path(&path, &req.cwd)).map_err(stdout_error)?;
    }
    if req.verbosity >= 0 {
        writeln!(err, "next: `roadlog check --plan {}`", dir.display()).map_err(stdout_error)?;
    }
    Ok(Outcome::Success)
}

/// Changes one field of a theme or item.
pub(super) fn set(
    req: &Request,
    id: &str,
    field: &str,
    change: &crate::edit::Change,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let (root, source, plan) = writable_plan(req, err)?;
    let set = crate::edit::SetRequest {
        id,
        field,
        change,
        today: req.today,
    };
    let (path, warnings) = crate::edit::set(&root, &source, plan, set)?;
    wrote(req, &path, &warnings, out, err)
}

/// Renames a theme or item and every reference to it.
pub(super) fn rename(
    req: &Request,
    old: &str,
    new: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let (root, source, plan) = writable_plan(req, err)?;
    let done = crate::edit::rename(&root, &source, plan, old, new, req.today)?;
    for path in done.files.iter().filter(|p| p.exists()) {
        writeln!(out, "{}", render::shown_path(path, &req.cwd)).map_err(stdout_error)?;
    }
    report_warnings(&done.warnings, err)?;
    if req.verbosity >= 0 {
        let refs = render::count(done.references, "reference");
        let moved = done.moved.as_ref().map_or_else(String::new, |(from, to)| {
            format!(
                "; {} is now {}",
                render::shown_path(from, &req.cwd),
                render::shown_path(to, &req.cwd)
            )
        });
        writeln!(
            err,
            "renamed `{old}` to `{new}`: {refs} rewritten{moved}; `{old}` is kept under `aliases:`"
        )
        .map_err(stdout_error)?;
    }
    Ok(Outcome::Success)
}

/// Creates a theme file.
pub(super) fn new_theme(
    req: &Request,
    theme: &crate::author::NewTheme,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let (root, source, plan) = writable_plan(req, err)?;
    let (path, warnings) = crate::author::new_theme(&root, &source, plan, theme, req.today)?;
    wrote(req, &path, &warnings, out, err)
}

/// Creates a backlog item file.
pub(super) fn new_item(
    req: &Request,
    item: &crate::author::NewItem,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let (root, source, plan) = writable_plan(req, err)?;
    let (_, path, warnings) = crate::author::new_item(&root, &source, plan, item, req.today)?;
    wrote(req, &path, &warnings, out, err)
}

/// The plan in the working tree, for commands that write to it.
pub(super) fn writable_plan(
    req: &Request,
    err: &mut dyn Write,
) -> Result<(PathBuf, WorkTree, crate::model::Plan), Error> {
    refuse_rev(req)?;
    let root = load::find_root(&req.cwd, req.plan.as_deref())?;
    let source = WorkTree::new(&root)?;
    let cache = super::context::cache_dir(req, &root);
    let plan = super::context::load_cached(&source, &root, cache)?;
    say_where(req, err, &root.display().to_string(), Some(&plan.config))?;
    Ok((root, source, plan))
}

/// What a write prints: the file, as the user can click it, and each warning the change adds.
fn wrote(
    req: &Request,
    path: &std::path::Path,
    warnings: &[crate::diff::FindingView],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    writeln!(out, "{}", render::shown_path(path, &req.cwd)).map_err(stdout_error)?;
    report_warnings(warnings, err)?;
    Ok(Outcome::Success)
}

/// Each warning a write adds, on stderr.
fn report_warnings(
    warnings: &[crate::diff::FindingView],
    err: &mut dyn Write,
) -> Result<(), Error> {
    for w in warnings {
        writeln!(
            err,
            "warning: {} [{}] at {}",
            render::terminal(&w.message),
            w.rule,
            crate::guard::place(w)
        )
        .map_err(stdout_error)?;
    }
    Ok(())
}
