//! `roadlog history`: theme progress over the commits that changed the plan.

use std::io::Write;

use super::context::{open_repo, say_where, show, stdout_error};
use crate::error::Error;
use crate::history::{Carried, Every};
use crate::load::{self, Reloaded};
use crate::render::{self, layout};
use crate::request::{HistoryFormat, Outcome, Request, TableFormat};
use crate::time::Date;

/// Prints progress over time, one sample per `every`.
pub(super) fn history(
    req: &Request,
    every: Every,
    since: Option<Date>,
    format: HistoryFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    say_where(req, err, "read from git", None)?;
    let h = progress_history(req, every, since, err)?;
    match format {
        HistoryFormat::Csv => render::csv::history(out, &h).map_err(stdout_error)?,
        HistoryFormat::Json => show(req, out, TableFormat::Json, &h, layout::history)?,
        HistoryFormat::Table => show(req, out, TableFormat::Table, &h, layout::history)?,
    }
    Ok(Outcome::Success)
}

/// Reads the plan at each sampled commit of the first-parent history of `--rev` (default HEAD).
/// A shallow clone is refused rather than answered with a partial history.
fn progress_history(
    req: &Request,
    every: crate::history::Every,
    since: Option<Date>,
    err: &mut dyn Write,
) -> Result<crate::history::HistoryReport, Error> {
    let repo = open_repo(req)?;
    if repo.is_shallow() {
        return Err(Error::git(
            "this is a shallow clone, so the plan's history is cut off and any answer would be partial",
        )
        .with_help(
            "fetch all of it with `git fetch --unshallow`, or set `fetch-depth: 0` for actions/checkout",
        ));
    }
    if !repo.has_commits() {
        return Err(Error::git(
            "the repository has no commits yet, so the plan has no history",
        ));
    }
    let rev = req.rev.as_deref().unwrap_or("HEAD");
    let dir = match &req.rev {
        Some(_) => crate::git::plan_dir_at(&repo, rev, &req.cwd, req.plan.as_deref())?,
        None => crate::git::work_tree_prefix(&load::find_root(&req.cwd, req.plan.as_deref())?),
    };
    let commits = repo.plan_commits(rev, &dir, since)?;
    // A file unchanged between samples is parsed once.
    let cache = load::ParseCache::new();
    let mut samples = Vec::new();
    let mut unreadable = 0;
    // The plan is carried from sample to sample: only the files that differ are read, and only
    // their entities are replaced.
    let mut tree = crate::load::MemoryTree::new();
    let mut held: Option<&str> = None;
    let mut plan: Option<crate::model::Plan> = None;
    // The trace's links and each item's weighing, carried while no sample changes an id,
    // alias, parent or theme.
    let mut carried: Option<Carried> = None;
    for (sample, commit) in crate::history::pick(&commits, every) {
        // A commit without the plan, or with a roadlog.yaml that does not read, is left out; a
        // damaged repository is not, since the history would silently skip the damage.
        if !repo.has_plan(&commit.id, &dir)? {
            unreadable += 1;
            continue;
        }
        let changed = repo.update_plan(&mut tree, held, &commit.id, &dir)?;
        held = Some(&commit.id);
        let loaded = match plan.take() {
            Some(previous) => load::reload(&tree, &commit.id, &cache, previous, &changed),
            None => load::load_with(&tree, &commit.id, Some(&cache)).map(Reloaded::afresh),
        };
        match loaded {
            Ok(r) => {
                let figures = Carried::carry(carried.take(), &r.plan, r.splices.as_deref());
                samples.push((
                    sample,
                    crate::history::measure(&r.plan, &figures, commit.date),
                ));
                carried = Some(figures);
                plan = Some(r.plan);
            }
            Err(Error::Config { .. }) => unreadable += 1,
            Err(e) => return Err(e),
        }
    }
    if unreadable > 0 && req.verbosity >= 0 {
        writeln!(
            err,
            "note: left out {} where roadlog.yaml could not be read",
            render::count(unreadable, "sample")
        )
        .map_err(stdout_error)?;
    }
    Ok(crate::history::build(every, samples))
}
