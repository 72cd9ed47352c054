//! `roadlog import` and `roadlog init --from`: a tracker's export read, merged into the plan,
//! shown (`--dry-run`) or written all or nothing.

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use super::context::{refuse_rev, stdout_error};
use super::dry::changed;
use super::write::writable_plan;
use crate::error::Error;
use crate::import::{Export, FileChange, Options, Planned};
use crate::render;
use crate::request::{ImportRequest, Outcome, Request};

/// How many of the findings a write adds are listed one by one.
const LISTED: usize = 10;

/// Imports the export into the plan.
pub(super) fn import(
    req: &Request,
    ask: &ImportRequest,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let export = read_export(req, ask)?;
    let (root, source, plan) = writable_plan(req, err)?;
    let planned = crate::import::plan_import(&root, &source, plan, &export, &options(req, ask))?;
    if !ask.dry_run {
        planned.write()?;
    }
    show(req, ask, &root, &planned, out, err)
}

/// Creates a plan in `dir` from the export: `roadlog.yaml` with an `import:` section listing its
/// statuses and groups, then the import. Should the import fail, the new plan root goes again.
pub(super) fn init_from(
    req: &Request,
    dir: &Path,
    ask: &ImportRequest,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    refuse_rev(req)?;
    let export = read_export(req, ask)?;
    let root = req.cwd.join(dir);
    let section = crate::import::starter_config(&export);
    let created = crate::init::init_with(&root, req.today, &section)?;
    let result = (|| {
        let source = crate::load::WorkTree::new(&root)?;
        let plan = crate::load::load(&source, &root.display().to_string())?;
        let planned =
            crate::import::plan_import(&root, &source, plan, &export, &options(req, ask))?;
        planned.write()?;
        Ok::<_, Error>(planned)
    })();
    let planned = match result {
        Ok(p) => p,
        Err(e) => {
            undo_init(&root, &created);
            return Err(e);
        }
    };
    for path in &created {
        writeln!(out, "created {}", render::shown_path(path, &req.cwd)).map_err(stdout_error)?;
    }
    let outcome = show(req, ask, &root, &planned, &mut std::io::sink(), err)?;
    if req.verbosity >= 0 {
        writeln!(
            err,
            "next: map statuses and themes under `import:` in {}, then `roadlog --plan {} import {} {}`",
            render::shown_path(&root.join(crate::load::CONFIG_FILE), &req.cwd),
            dir.display(),
            ask.tracker.name(),
            ask.file.display()
        )
        .map_err(stdout_error)?;
    }
    Ok(outcome)
}

/// Removes what `init` made for an import that failed: nothing of the user's is touched.
fn undo_init(root: &Path, created: &[std::path::PathBuf]) {
    for path in created {
        let _ = std::fs::remove_file(path);
    }
    for folder in ["roadmap", "backlog"] {
        let _ = std::fs::remove_file(root.join(folder).join(".gitkeep"));
        let _ = std::fs::remove_dir(root.join(folder));
    }
    let _ = std::fs::remove_dir(root);
}

fn options(req: &Request, ask: &ImportRequest) -> Options {
    Options {
        prefix: ask.prefix.clone(),
        missing_wontdo: ask.missing_wontdo,
        today: req.today,
    }
}

fn read_export(req: &Request, ask: &ImportRequest) -> Result<Export, Error> {
    if let Some(p) = &ask.prefix
        && (!crate::model::is_item_id(p) || p.contains('-'))
    {
        return Err(Error::refused(
            crate::error::Refusal::InvalidValue,
            format!(
                "`{p}` is not a usable id prefix: use letters and digits, starting with a letter"
            ),
        ));
    }
    let dates = match &ask.date_format {
        Some(f) => roadlog_import::DateFormat::parse(f)
            .map_err(|e| Error::usage(format!("--date-format: {e}")))?,
        None => roadlog_import::DateFormat::jira_default(),
    };
    let path = req.cwd.join(&ask.file);
    let bytes = std::fs::read(&path).map_err(Error::io(&path))?;
    let shown = render::shown_path(&path, &req.cwd);
    roadlog_import::read(ask.tracker, &shown, &bytes, &dates)
}

/// The summary on stderr and, for a dry run, the diff on stdout; or one JSON document.
fn show(
    req: &Request,
    ask: &ImportRequest,
    root: &Path,
    planned: &Planned,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    if ask.json {
        let doc = json!({
            "dry_run": ask.dry_run,
            "created": planned.created,
            "updated": planned.updated,
            "unchanged": planned.unchanged,
            "missing": planned.missing,
            "warnings": planned.warnings,
            "findings": planned.findings,
            "files": if ask.dry_run { Value::Array(files(planned)) } else { Value::Null },
        });
        let text = serde_json::to_string_pretty(&doc).map_err(|e| Error::usage(e.to_string()))?;
        writeln!(out, "{text}").map_err(stdout_error)?;
        return Ok(Outcome::Success);
    }
    if ask.dry_run {
        for change in &planned.changes {
            write_diff(change, out)?;
        }
    } else {
        for change in &planned.changes {
            let path = root.join(&change.path);
            writeln!(out, "{}", render::shown_path(&path, &req.cwd)).map_err(stdout_error)?;
        }
    }
    if req.verbosity < 0 {
        return Ok(Outcome::Success);
    }
    for w in &planned.warnings {
        let at = w.line.map_or_else(String::new, |l| format!("line {l}: "));
        writeln!(err, "warning: {at}{}", render::terminal(&w.message)).map_err(stdout_error)?;
    }
    for f in planned.findings.iter().take(LISTED) {
        writeln!(
            err,
            "warning: {} [{}] at {}",
            render::terminal(&f.message),
            f.rule,
            crate::guard::place(f)
        )
        .map_err(stdout_error)?;
    }
    if planned.findings.len() > LISTED {
        writeln!(
            err,
            "… and {} more warnings from the plan's rules; `roadlog check` lists them all",
            planned.findings.len() - LISTED
        )
        .map_err(stdout_error)?;
    }
    if !planned.missing.is_empty() {
        let what = if ask.missing_wontdo {
            "; the open ones are now wontdo"
        } else {
            "; left as they are (--missing wontdo closes them)"
        };
        writeln!(
            err,
            "not in this export: {}{what}",
            planned.missing.join(", ")
        )
        .map_err(stdout_error)?;
    }
    writeln!(
        err,
        "{}created {}, updated {}, unchanged {}, not in export {}, warnings {}",
        if ask.dry_run {
            "dry run, nothing written: "
        } else {
            ""
        },
        planned.created.len(),
        planned.updated.len(),
        planned.unchanged,
        planned.missing.len(),
        planned.warnings.len() + planned.findings.len()
    )
    .map_err(stdout_error)?;
    Ok(Outcome::Success)
}

fn files(planned: &Planned) -> Vec<Value> {
    planned
        .changes
        .iter()
        .map(|c| changed(&c.path, c.before.as_deref().unwrap_or_default(), &c.after))
        .collect()
}

/// One file's change as a unified diff (`similar`, the standard line differ), each line made safe
/// for a terminal.
fn write_diff(change: &FileChange, out: &mut dyn Write) -> Result<(), Error> {
    let before = change.before.as_deref().unwrap_or_default();
    let old = if change.before.is_some() {
        format!("a/{}", change.path)
    } else {
        "/dev/null".to_string()
    };
    let diff = similar::TextDiff::from_lines(before, change.after.as_str());
    let text = diff
        .unified_diff()
        .context_radius(1)
        .header(&old, &format!("b/{}", change.path))
        .to_string();
    let mut safe = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        safe.push_str(&render::terminal(line));
    }
    if !safe.ends_with('\n') {
        safe.push('\n');
    }
    out.write_all(safe.as_bytes()).map_err(stdout_error)
}
