//! What every command needs: where the plan comes from (the work tree or git), the repository,
//! the `-v` line, and writing a report in the format asked for.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::load::{self, WorkTree};
use crate::render::{self, doc::Doc};
use crate::request::{Command, Request, TableFormat};

/// A failed write to the output stream.
pub(super) fn stdout_error(source: std::io::Error) -> Error {
    Error::Io {
        path: PathBuf::from("<output>"),
        source,
    }
}

/// Writes `data` in `format`: its JSON, or its document drawn as a table or markdown.
pub(super) fn show<T: serde::Serialize>(
    req: &Request,
    out: &mut dyn Write,
    format: TableFormat,
    data: &T,
    layout: impl FnOnce(&T) -> Doc,
) -> Result<(), Error> {
    match format {
        TableFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, data).map_err(|e| stdout_error(e.into()))?;
            writeln!(out).map_err(stdout_error)
        }
        TableFormat::Markdown => render::markdown::write(out, &layout(data)).map_err(stdout_error),
        TableFormat::Table => {
            let style = render::table::Style {
                width: req.table_width.unwrap_or(usize::MAX),
                color: req.color_stdout,
            };
            render::table::write(out, &layout(data), style).map_err(stdout_error)
        }
    }
}

/// Loads the plan from the work tree, or from git at `--rev`. Returns the plan root (for the work
/// tree) or the plan folder's path in the repository, and the plan.
pub(super) fn load_plan(req: &Request) -> Result<(Located, crate::model::Plan), Error> {
    if let Some(rev) = &req.rev {
        let repo = open_repo(req)?;
        let dir = crate::git::plan_dir_at(&repo, rev, &req.cwd, req.plan.as_deref())?;
        let source = repo.plan_at(rev, &dir)?;
        let label = format!("{rev}:{dir}");
        let plan = load::load(&source, &label)?;
        return Ok((Located::Git { dir }, plan));
    }
    let root = load::find_root(&req.cwd, req.plan.as_deref())?;
    let plan = load_work_tree(req, &root)?;
    Ok((Located::WorkTree(root), plan))
}

/// The texts of the files `findings` point into, read again from where the plan was loaded:
/// for a renderer that quotes them. A file that cannot be read again is not quoted.
pub(super) fn quoted_texts(
    req: &Request,
    located: &Located,
    plan: &crate::model::Plan,
    findings: &[crate::diag::Finding],
) -> crate::model::Texts {
    let wanted = findings
        .iter()
        .filter_map(|f| f.at)
        .filter(|at| at.span.is_some())
        .map(|at| at.file);
    let texts = match (located, &req.rev) {
        (Located::WorkTree(root), _) => WorkTree::new(root)
            .ok()
            .map(|source| load::texts(&source, &plan.files, wanted)),
        (Located::Git { dir }, Some(rev)) => open_repo(req)
            .and_then(|repo| repo.plan_at(rev, dir))
            .ok()
            .map(|source| load::texts(&source, &plan.files, wanted)),
        (Located::Git { .. }, None) => None,
    };
    texts.unwrap_or_default()
}

/// Loads the plan at `root` on disk, through the parse cache kept between runs unless
/// `--no-cache` says otherwise.
pub(crate) fn load_work_tree(req: &Request, root: &Path) -> Result<crate::model::Plan, Error> {
    load_cached(&WorkTree::new(root)?, root, cache_dir(req, root))
}

/// Loads the plan in `source`, the work tree at `root`, through the parse cache in `cache` when
/// there is one.
pub(super) fn load_cached(
    source: &WorkTree,
    root: &Path,
    cache: Option<PathBuf>,
) -> Result<crate::model::Plan, Error> {
    let label = root.display().to_string();
    match cache {
        Some(dir) => {
            crate::store::load_stored(source, &label, &mut crate::store::Store::open(&dir, root))
        }
        None => load::load(source, &label),
    }
}

/// Where the parse cache of the plan at `root` is kept for `req`.
pub(super) fn cache_dir(req: &Request, root: &Path) -> Option<PathBuf> {
    if req.no_cache {
        return None;
    }
    cache_dir_for(req.cache_dir.as_deref(), root)
}

/// Where the parse cache of the plan at `root` is kept: `dir` (`ROADLOG_CACHE_DIR`) when given,
/// else the folder `roadlog` in the repository's git folder; none outside a repository, since a
/// command that reads never writes into the work tree.
pub(super) fn cache_dir_for(dir: Option<&Path>, root: &Path) -> Option<PathBuf> {
    if let Some(dir) = dir {
        return Some(dir.to_path_buf());
    }
    let repo = crate::git::Repo::discover(root, "").ok()?;
    Some(cache_folder(&repo))
}

/// Where `req` keeps the caches of a command reading `repo`: as [`cache_dir_for`] says, none
/// under `--no-cache`.
pub(super) fn repo_cache_dir(req: &Request, repo: &crate::git::Repo) -> Option<PathBuf> {
    if req.no_cache {
        return None;
    }
    Some(req.cache_dir.clone().unwrap_or_else(|| cache_folder(repo)))
}

/// The folder `roadlog` in the repository's git folder.
fn cache_folder(repo: &crate::git::Repo) -> PathBuf {
    repo.git_dir().join("roadlog")
}

/// The repository a request is about: the one holding `--plan` when that is a folder on disk,
/// else the current folder's (in a bare repository `--plan` names a folder inside the tree).
pub(super) fn open_repo(req: &Request) -> Result<crate::git::Repo, Error> {
    let start = req
        .plan
        .as_deref()
        .filter(|p| p.exists())
        .unwrap_or(&req.cwd);
    let need = match req.command {
        Command::Diff { .. } => "`roadlog diff` compares revisions of the plan read from git",
        Command::History { .. } => "`roadlog history` reads the commits that changed the plan",
        _ => "--rev reads the plan from git",
    };
    crate::git::Repo::discover(start, need)
}

/// Under `-v`, one line on stderr saying what the command reads: the plan root (or the
/// revisions), the revision, the date and the current sprint in use.
pub(super) fn say_where(
    req: &Request,
    err: &mut dyn Write,
    plan: &str,
    config: Option<&crate::model::Config>,
) -> Result<(), Error> {
    if req.verbosity <= 0 {
        return Ok(());
    }
    let revision = req.rev.as_deref().unwrap_or("the working tree");
    let mut line = format!("plan {plan}, revision {revision}, today {}", req.today);
    if let Some(config) = config {
        let sprint = config.current_sprint(req.today).unwrap_or("none");
        line.push_str(&format!(", current sprint {sprint}"));
    }
    writeln!(err, "{}", render::terminal(&line)).map_err(stdout_error)
}

/// Commands that write, or that name their own revisions, take no `--rev`.
pub(super) fn refuse_rev(req: &Request) -> Result<(), Error> {
    if req.rev.is_none() {
        return Ok(());
    }
    Err(match req.command {
        Command::Diff { .. } => Error::usage("`diff` takes its revisions as arguments, not --rev")
            .with_help("write `roadlog diff BASE HEAD`, e.g. `roadlog diff origin/main HEAD`"),
        _ => {
            Error::usage("this command writes to the working tree; --rev is for reading a revision")
        }
    })
}

/// Where a loaded plan came from.
pub(super) enum Located {
    /// A folder on disk.
    WorkTree(std::path::PathBuf),
    /// A folder in a git tree, relative to the repository root.
    Git { dir: String },
}

impl Located {
    /// The plan root's path from the repository root, for GitHub annotations.
    pub(super) fn repo_prefix(&self) -> String {
        match self {
            Located::WorkTree(root) => crate::git::work_tree_prefix(root),
            Located::Git { dir } => dir.clone(),
        }
    }

    pub(super) fn describe(&self) -> String {
        match self {
            Located::WorkTree(root) => root.display().to_string(),
            Located::Git { dir } => format!("`{dir}` in git"),
        }
    }
}

/// The plan root as the user reaches it from where roadlog runs, `""` when it is there: the
/// folder human diagnostics name files under, so each is a path the user can click.
pub(super) fn shown_root(req: &Request, located: &Located) -> String {
    let root = match located {
        Located::WorkTree(root) => root.clone(),
        Located::Git { dir } => match open_repo(req)
            .ok()
            .and_then(|r| r.workdir().map(|w| w.join(dir)))
        {
            Some(folder) => folder,
            None => return String::new(),
        },
    };
    match render::shown_path(&root, &req.cwd).as_str() {
        "." => String::new(),
        shown => shown.to_string(),
    }
}
