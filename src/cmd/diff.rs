//! `roadlog diff`: how the plan changed between two revisions, parsing only what the change
//! reaches.

use std::io::Write;

use super::context::{open_repo, refuse_rev, say_where, show, stdout_error};
use crate::diag::Severity;
use crate::error::Error;
use crate::forecast;
use crate::load::{self, WorkTree};
use crate::render::{self, layout};
use crate::report::Analysis;
use crate::request::{Outcome, Request, TableFormat};

/// Prints how the plan changed from `base` (default `HEAD`) to `head` (default the working tree).
pub(super) fn diff(
    req: &Request,
    (base, head): (Option<&str>, Option<&str>),
    format: TableFormat,
    (fail_on, forecast): (Option<Severity>, bool),
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    refuse_rev(req)?;
    let base_name = base.unwrap_or("HEAD");
    let head_name = head.unwrap_or("the working tree");
    say_where(
        req,
        err,
        &format!("BASE `{base_name}`, HEAD {head_name}"),
        None,
    )?;
    let d = match plan_diff(req, base, head).and_then(|mut d| {
        if forecast && !d.is_empty() {
            d.forecast = Some(forecast_change(req, base.unwrap_or("HEAD"), head)?);
        }
        Ok(d)
    }) {
        Ok(d) => d,
        Err(e) => {
            let e = name_side(e, base_name, head_name);
            // A bot posts what it gets: a change that breaks the plan says so.
            if format == TableFormat::Markdown && matches!(e, Error::Side { .. }) {
                render::markdown::write(out, &layout::broken(&e)).map_err(stdout_error)?;
            }
            return Err(e);
        }
    };
    // An empty markdown diff prints nothing, so a bot can skip its comment.
    if !(format == TableFormat::Markdown && d.is_empty()) {
        show(req, out, format, &d, layout::diff)?;
    }
    Ok(if fail_on.is_some_and(|s| d.introduces(s)) {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// Loads both sides of a diff: BASE (default HEAD) from git, HEAD from git or the working tree.
/// A base without the plan (a change that adds it) counts as an empty plan.
fn plan_diff(
    req: &Request,
    base: Option<&str>,
    head: Option<&str>,
) -> Result<crate::diff::PlanDiff, Error> {
    let repo = open_repo(req)?;
    let base = base.unwrap_or("HEAD");
    let Some(rev) = head else {
        if repo.workdir().is_none() {
            return Err(
                Error::git("a bare repository has no working tree to compare")
                    .with_help("name both revisions: `roadlog diff BASE HEAD`"),
            );
        }
        let root = load::find_root(&req.cwd, req.plan.as_deref())?;
        let dir = crate::git::work_tree_prefix(&root);
        let (head_name, head_label) = ("working tree", root.display().to_string());
        let worktree = WorkTree::new(&root)?;
        let mentions = mentions_for(req, &repo, &dir);
        let road = (head_name, head_label.as_str(), &mentions);
        let (dirt, guess) = dirt_and_guess(req, &repo, base, &dir, road)?;
        match dirt {
            crate::git::Dirt::Clean => {
                // The common pull-request case where the plan was not touched costs no read.
                if repo.same_plan(base, "HEAD", &dir) {
                    return Ok(crate::diff::PlanDiff::unchanged(base, head_name));
                }
                // A clean working tree holds HEAD's plan (a CI checkout): compare the commits.
                return guess.unwrap_or_else(|| {
                    change_diff(req, &repo, base, Head::Commit("HEAD"), &dir, road)
                });
            }
            // The files git's status names, read over HEAD's tree: the rest are its blobs.
            crate::git::Dirt::Files(paths) if repo.has_plan("HEAD", &dir)? => {
                if let Some(read) = load::read_over(&worktree, &paths) {
                    let head = Head::Over(read);
                    match change_diff(req, &repo, base, head, &dir, road) {
                        // A damaged blob at HEAD the working tree holds intact: read that.
                        Err(Error::Git(_)) => {}
                        done => return done,
                    }
                }
            }
            _ => {}
        }
        // Otherwise the working tree is read once, as `check` reads it, and compared by blob id.
        let snapshot = load::snapshot(&worktree, &head_label);
        if let Some(files) = snapshot.map_err(|e| e.on_side(crate::affected::HEAD))? {
            let head = Head::Files(files);
            return change_diff(req, &repo, base, head, &dir, road);
        }
        // One the snapshot cannot hold: both plans whole, files the change did not touch parsed
        // once. The working tree first: its files are kept by text, where the base's blobs
        // find them.
        let cache = load::ParseCache::new();
        let head_plan = load::load_with(&worktree, &head_label, Some(&cache))
            .map_err(|e| e.on_side(crate::affected::HEAD))?;
        let base_tree = base_plan_tree(&repo, base, &dir)?.unwrap_or_else(no_plan);
        let base_plan = load::load_with(&base_tree, &format!("{base}:{dir}"), Some(&cache))
            .map_err(|e| e.on_side(crate::affected::BASE))?;
        return Ok(crate::diff::diff(
            &base_plan, &head_plan, base, head_name, req.today,
        ));
    };
    let dir = crate::git::plan_dir_at(&repo, rev, &req.cwd, req.plan.as_deref())?;
    if repo.same_plan(base, rev, &dir) {
        return Ok(crate::diff::PlanDiff::unchanged(base, rev));
    }
    let head = Head::Commit(rev);
    let mentions = mentions_for(req, &repo, &dir);
    let road = (rev, format!("{rev}:{dir}"));
    change_diff(req, &repo, base, head, &dir, (road.0, &road.1, &mentions))
}

/// What the unchanged files of earlier diffs of the plan in `dir` mention, as `req` keeps it
/// for `repo`.
fn mentions_for(req: &Request, repo: &crate::git::Repo, dir: &str) -> crate::store::Mentions {
    super::context::repo_cache_dir(req, repo).map_or_else(crate::store::Mentions::none, |cache| {
        crate::store::Mentions::open(&cache, dir)
    })
}

/// The diff a clean working tree leads to, worked out before knowing it is clean.
type Guess = Result<crate::diff::PlanDiff, Error>;

/// How the working tree stands against `HEAD`, and, worked out on this thread while another
/// asks git's status, the diff the answer "clean" leads to (a CI checkout): libgit2's status
/// runs on one thread, for half of such a diff. The guess is made only where the plans at
/// `base` and `HEAD` differ, since a clean tree then needs it; a dirty tree does not, and the
/// guess is dropped.
fn dirt_and_guess(
    req: &Request,
    repo: &crate::git::Repo,
    base: &str,
    dir: &str,
    road: (&str, &str, &crate::store::Mentions),
) -> Result<(crate::git::Dirt, Option<Guess>), Error> {
    let guessing = repo.has_plan(base, dir)? && !repo.same_plan(base, "HEAD", dir);
    let Some(workdir) = repo.workdir().filter(|_| guessing) else {
        return Ok((repo.plan_dirt(dir)?, None));
    };
    let (asked, guess) = std::thread::scope(|scope| {
        let asked = scope.spawn(|| crate::git::Repo::discover(workdir, "")?.plan_dirt(dir));
        let guess = change_diff(req, repo, base, Head::Commit("HEAD"), dir, road);
        (asked.join(), guess)
    });
    // An error or a panic in the thread: asked again here, so it is reported as without it.
    let dirt = match asked {
        Ok(Ok(dirt)) => dirt,
        _ => repo.plan_dirt(dir)?,
    };
    Ok((dirt, Some(guess)))
}

/// How the change moves each theme's forecast: both plans read whole, and forecast from the
/// history of the base with the default options.
fn forecast_change(
    req: &Request,
    base: &str,
    head: Option<&str>,
) -> Result<crate::forecast::Change, Error> {
    let repo = open_repo(req)?;
    let (dir, head_plan) = match head {
        Some(rev) => {
            let dir = crate::git::plan_dir_at(&repo, rev, &req.cwd, req.plan.as_deref())?;
            let plan = load::load(&repo.plan_at(rev, &dir)?, &format!("{rev}:{dir}"))
                .map_err(|e| e.on_side(crate::affected::HEAD))?;
            (dir, plan)
        }
        None => {
            let root = load::find_root(&req.cwd, req.plan.as_deref())?;
            let plan = load::load(&WorkTree::new(&root)?, &root.display().to_string())
                .map_err(|e| e.on_side(crate::affected::HEAD))?;
            (crate::git::work_tree_prefix(&root), plan)
        }
    };
    let base_tree = base_plan_tree(&repo, base, &dir)?.unwrap_or_else(no_plan);
    let base_plan = load::load(&base_tree, &format!("{base}:{dir}"))
        .map_err(|e| e.on_side(crate::affected::BASE))?;
    let (before, after) = (
        Analysis::new(&base_plan, req.today),
        Analysis::new(&head_plan, req.today),
    );
    let options = forecast::Options::default();
    let history = super::forecast::plan_history(req, base, &dir, &before, &options, false, false)?;
    let seen = || history.as_ref().map_err(Clone::clone);
    Ok(forecast::moves(
        &forecast::forecast(&before, seen(), &options, None),
        &forecast::forecast(&after, seen(), &options, None),
    ))
}

/// Names the side of a diff an error came from: `BASE` becomes "BASE `origin/main`".
fn name_side(e: Error, base: &str, head: &str) -> Error {
    match e {
        Error::Side { side, error } => {
            let named = match side.as_str() {
                crate::affected::BASE => format!("BASE `{base}`"),
                crate::affected::HEAD if head == "the working tree" => {
                    "HEAD (the working tree)".to_string()
                }
                crate::affected::HEAD => format!("HEAD `{head}`"),
                _ => side,
            };
            Error::Side { side: named, error }
        }
        e => e,
    }
}

/// Where the head of a diff comes from.
enum Head<'a> {
    /// A commit.
    Commit(&'a str),
    /// Plan files held in memory: the working tree as read.
    Files(load::MemoryTree),
    /// `HEAD` with the files read from the working tree laid over it (`None`: removed).
    Over(Vec<load::Laid>),
}

/// The diff from the plan at commit `base` to `head`, named and labelled as given, with what
/// earlier diffs recorded: the files that differ are found first, and of the others only those
/// the change reaches are parsed (see [`crate::affected`]).
fn change_diff(
    req: &Request,
    repo: &crate::git::Repo,
    base: &str,
    head: Head<'_>,
    dir: &str,
    (head_name, head_label, mentions): (&str, &str, &crate::store::Mentions),
) -> Result<crate::diff::PlanDiff, Error> {
    let cache = load::ParseCache::new();
    let base_label = format!("{base}:{dir}");
    let (base_plan, head_plan) = if repo.has_plan(base, dir)? {
        let (change, rev) = match head {
            Head::Commit(rev) => (repo.change(base, rev, dir, &|id| mentions.get(id))?, rev),
            Head::Files(files) => (repo.change_to(base, dir, files)?, base),
            Head::Over(read) => {
                let change = repo.change(base, "HEAD", dir, &|id| mentions.get(id))?;
                (repo.change_over(change, base, dir, read)?, "HEAD")
            }
        };
        let read = |files: &[(&str, load::Identity)]| repo.read_kept(files, rev);
        let plans =
            crate::affected::load_sides(&change, base_label.as_str(), head_label, &cache, &read)?;
        mentions.keep(change.records());
        plans
    } else {
        let base_plan = load::load_with(&no_plan(), &base_label, Some(&cache))?;
        let head_plan = match head {
            Head::Commit(rev) => {
                load::load_with(&repo.plan_at(rev, dir)?, head_label, Some(&cache))
            }
            Head::Files(files) => load::load_with(&files, head_label, Some(&cache)),
            Head::Over(read) => {
                let mut files = repo.plan_at("HEAD", dir)?;
                for (path, bytes) in read {
                    files.remove(&path);
                    if let Some(bytes) = bytes {
                        files.insert(&path, bytes);
                    }
                }
                load::load_with(&files, head_label, Some(&cache))
            }
        }
        .map_err(|e| e.on_side(crate::affected::HEAD))?;
        (base_plan, head_plan)
    };
    Ok(crate::diff::diff(
        &base_plan, &head_plan, base, head_name, req.today,
    ))
}

/// The plan at a diff's base, `None` where the base predates the plan.
fn base_plan_tree(
    repo: &crate::git::Repo,
    base: &str,
    dir: &str,
) -> Result<Option<load::MemoryTree>, Error> {
    if repo.has_plan(base, dir)? {
        repo.plan_at(base, dir).map(Some)
    } else {
        Ok(None)
    }
}

/// A plan with nothing in it, standing for a base from before the plan existed.
fn no_plan() -> load::MemoryTree {
    load::MemoryTree::new().with(load::CONFIG_FILE, "")
}
