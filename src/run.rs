//! Runs one command: the engine's only entry point from the binary.

use std::fs;
use std::io::Write;
use std::path::PathBuf;

use crate::error::Error;
use crate::load::{self, WorkTree};
use crate::render::{self, doc, human, layout};
use crate::report::{self, Analysis};
use crate::rules::{self, Context, History};
use crate::time::Date;

/// `check --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// miette diagnostics on stderr.
    Human,
    /// One JSON document on stdout.
    Json,
    /// GitHub Actions workflow commands on stdout.
    Github,
}

/// Output format of the reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// A terminal table.
    Table,
    /// GitHub-flavoured markdown.
    Markdown,
    /// JSON on stdout.
    Json,
    /// A Mermaid Gantt chart (roadmap only).
    Mermaid,
    /// Comma-separated values (history only).
    Csv,
}

/// Which audience view `report` builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum View {
    /// Executives, customers, other teams.
    Exec {
        /// Leave out internal themes and owners.
        external: bool,
    },
    /// The people building.
    Team {
        /// The sprint to show instead of the current one.
        sprint: Option<String>,
        /// How many next items to list.
        limit: usize,
    },
    /// The product manager.
    Pm,
}

/// Which file kind `schema` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    /// A roadmap theme file.
    Theme,
    /// A backlog item (each document of an item file).
    Item,
    /// `roadlog.yaml`.
    Config,
}

/// A command with its resolved options.
#[derive(Clone, Debug)]
pub enum Command {
    /// Validate the plan.
    Check {
        /// Output format.
        format: CheckFormat,
        /// Warnings fail the run too.
        deny_warnings: bool,
        /// Show only findings of severity error (the verdict still weighs every finding).
        errors_only: bool,
    },
    /// Progress per theme.
    Progress {
        /// Include done and dropped themes.
        all: bool,
        /// Leave out internal themes.
        external: bool,
        /// Output format.
        format: ReportFormat,
    },
    /// An audience view.
    Report {
        /// Which view.
        view: View,
        /// Output format.
        format: ReportFormat,
    },
    /// An item's chain to its theme, or a theme's tree.
    Trace {
        /// Item or theme id.
        id: String,
        /// Output format.
        format: ReportFormat,
    },
    /// The timeline.
    Roadmap {
        /// Leave out internal themes.
        external: bool,
        /// Output format.
        format: ReportFormat,
    },
    /// How the plan changed between two revisions.
    Diff {
        /// Base revision (default `HEAD`).
        base: Option<String>,
        /// Head revision (default: the working tree).
        head: Option<String>,
        /// Output format.
        format: ReportFormat,
        /// Exit 1 when the change introduces a finding of this severity or worse.
        fail_on: Option<crate::diag::Severity>,
    },
    /// Theme progress over time.
    History {
        /// Sampling period.
        every: crate::history::Every,
        /// Leave out commits before this day.
        since: Option<Date>,
        /// Output format.
        format: ReportFormat,
    },
    /// Create a theme file.
    NewTheme(crate::author::NewTheme),
    /// Create a backlog item file.
    NewItem(crate::author::NewItem),
    /// Change one field of a theme or item in place.
    Set {
        /// Theme or item id.
        id: String,
        /// Field name.
        field: String,
        /// New value; `None` removes the field.
        value: Option<String>,
    },
    /// Print the JSON Schema of a file kind.
    Schema {
        /// Which kind.
        kind: SchemaKind,
    },
    /// Create a plan.
    Init {
        /// Folder to create it in.
        dir: PathBuf,
        /// No example theme and item.
        empty: bool,
    },
}

/// Everything a run needs, resolved from arguments and environment by the binary.
#[derive(Clone, Debug)]
pub struct Request {
    /// The command.
    pub command: Command,
    /// `--plan` / `ROADLOG_PLAN`.
    pub plan: Option<PathBuf>,
    /// Where plan discovery starts.
    pub cwd: PathBuf,
    /// `--rev`: read the plan as committed at this revision.
    pub rev: Option<String>,
    /// `--today` / `ROADLOG_TODAY`, else the system date.
    pub today: Date,
    /// Colour on stderr.
    pub color_stderr: bool,
    /// `-q` (negative) / `-v` (positive).
    pub verbosity: i8,
    /// Wrap width for diagnostics.
    pub width: usize,
    /// `GITHUB_STEP_SUMMARY`, for `--format github`.
    pub github_step_summary: Option<PathBuf>,
}

/// How a successful run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: check found errors (or warnings under `--deny-warnings`).
    Failed,
}

fn stdout_error(source: std::io::Error) -> Error {
    Error::Io {
        path: PathBuf::from("<output>"),
        source,
    }
}

/// Runs a request, writing results to `out` and diagnostics to `err`.
pub fn run(req: &Request, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, Error> {
    match &req.command {
        Command::Check {
            format,
            deny_warnings,
            errors_only,
        } => check(req, *format, *deny_warnings, *errors_only, out, err),
        Command::Init { dir, empty } => {
            refuse_rev(req)?;
            let created = crate::init::init(&req.cwd.join(dir), *empty, req.today)?;
            for path in created {
                writeln!(out, "created {}", render::shown_path(&path, &req.cwd))
                    .map_err(stdout_error)?;
            }
            if req.verbosity >= 0 {
                writeln!(err, "next: `roadlog check --plan {}`", dir.display())
                    .map_err(stdout_error)?;
            }
            Ok(Outcome::Success)
        }
        Command::Progress { .. }
        | Command::Report { .. }
        | Command::Trace { .. }
        | Command::Roadmap { .. } => report(req, out, err),
        Command::Set { id, field, value } => {
            let (root, source, plan) = writable_plan(req, err)?;
            let set = crate::edit::SetRequest {
                id,
                field,
                value: value.as_deref(),
                today: req.today,
            };
            let (path, warnings) = crate::edit::set(&root, &source, plan, set)?;
            wrote(req, &path, &warnings, out, err)
        }
        Command::NewTheme(theme) => {
            let (root, source, plan) = writable_plan(req, err)?;
            let (path, warnings) =
                crate::author::new_theme(&root, &source, plan, theme, req.today)?;
            wrote(req, &path, &warnings, out, err)
        }
        Command::NewItem(item) => {
            let (root, source, plan) = writable_plan(req, err)?;
            let (_, path, warnings) =
                crate::author::new_item(&root, &source, plan, item, req.today)?;
            wrote(req, &path, &warnings, out, err)
        }
        Command::Schema { kind } => {
            let schema = match kind {
                SchemaKind::Theme => crate::schema::theme(),
                SchemaKind::Config => crate::schema::config(),
                SchemaKind::Item => {
                    // Inside a plan, its custom statuses are valid statuses too.
                    let statuses = load::find_root(&req.cwd, req.plan.as_deref())
                        .ok()
                        .and_then(|root| WorkTree::new(&root).ok())
                        .and_then(|source| load::load_config(&source, "").ok())
                        .map(|(_, config)| config.statuses)
                        .unwrap_or_default();
                    crate::schema::item(&statuses)
                }
            };
            serde_json::to_writer_pretty(&mut *out, &schema).map_err(|e| stdout_error(e.into()))?;
            writeln!(out).map_err(stdout_error)?;
            Ok(Outcome::Success)
        }
        Command::History {
            every,
            since,
            format,
        } => {
            say_where(req, err, "read from git", None)?;
            let h = progress_history(req, *every, *since, err)?;
            match format {
                ReportFormat::Csv => render::csv::history(out, &h),
                _ => match emit(out, *format, &h, || layout::history(&h))? {
                    Some(doc) if *format == ReportFormat::Markdown => {
                        render::markdown::write(out, &doc)
                    }
                    Some(doc) => render::table::write(out, &doc, req.width),
                    None => Ok(()),
                },
            }
            .map_err(stdout_error)?;
            Ok(Outcome::Success)
        }
        Command::Diff {
            base,
            head,
            format,
            fail_on,
        } => {
            refuse_rev(req)?;
            let base_name = base.as_deref().unwrap_or("HEAD");
            let head_name = head.as_deref().unwrap_or("the working tree");
            say_where(
                req,
                err,
                &format!("BASE `{base_name}`, HEAD {head_name}"),
                None,
            )?;
            let d = match diff(req, base.as_deref(), head.as_deref()) {
                Ok(d) => d,
                Err(e) => {
                    let e = name_side(e, base_name, head_name);
                    // A bot posts what it gets: a change that breaks the plan says so.
                    if *format == ReportFormat::Markdown && matches!(e, Error::Side { .. }) {
                        render::markdown::write(out, &layout::broken(&e)).map_err(stdout_error)?;
                    }
                    return Err(e);
                }
            };
            if let Some(doc) = emit(out, *format, &d, || layout::diff(&d))? {
                match format {
                    // An empty markdown diff prints nothing, so a bot can skip its comment.
                    ReportFormat::Markdown if d.is_empty() => Ok(()),
                    ReportFormat::Markdown => render::markdown::write(out, &doc),
                    _ => render::table::write(out, &doc, req.width),
                }
                .map_err(stdout_error)?;
            }
            Ok(if fail_on.is_some_and(|s| d.introduces(s)) {
                Outcome::Failed
            } else {
                Outcome::Success
            })
        }
    }
}

/// Loads the plan from the work tree, or from git at `--rev`. Returns the plan root (for the work
/// tree) or the plan folder's path in the repository, and the plan.
fn load_plan(req: &Request) -> Result<(Located, crate::model::Plan), Error> {
    if let Some(rev) = &req.rev {
        let repo = open_repo(req)?;
        let dir = crate::git::plan_dir_at(&repo, rev, &req.cwd, req.plan.as_deref())?;
        let source = repo.plan_at(rev, &dir)?;
        let label = format!("{rev}:{dir}");
        let plan = load::load(&source, &label)?;
        return Ok((Located::Git { dir }, plan));
    }
    let root = load::find_root(&req.cwd, req.plan.as_deref())?;
    let source = WorkTree::new(&root)?;
    let plan = load::load(&source, &root.display().to_string())?;
    Ok((Located::WorkTree(root), plan))
}

/// The repository a request is about: the one holding `--plan` when that is a folder on disk,
/// else the current folder's (in a bare repository `--plan` names a folder inside the tree).
fn open_repo(req: &Request) -> Result<crate::git::Repo, Error> {
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

/// Loads both sides of a diff: BASE (default HEAD) from git, HEAD from git or the working tree.
/// A base without the plan (a change that adds it) counts as an empty plan.
fn diff(
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
        if repo.plan_is_clean(&dir)? {
            // The common pull-request case where the plan was not touched costs no read at all.
            if repo.same_plan(base, "HEAD", &dir) {
                return Ok(crate::diff::PlanDiff::unchanged(base, head_name));
            }
            // A clean working tree holds HEAD's plan (a CI checkout): compare the commits.
            let head = Head::Commit("HEAD");
            return change_diff(req, &repo, base, head, &dir, (head_name, &head_label));
        }
        // A dirty working tree is read once, as `check` reads it, and compared by blob id.
        let worktree = WorkTree::new(&root)?;
        let snapshot = load::snapshot(&worktree, &head_label);
        if let Some(files) = snapshot.map_err(|e| e.on_side(crate::affected::HEAD))? {
            let head = Head::Files(files);
            return change_diff(req, &repo, base, head, &dir, (head_name, &head_label));
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
    change_diff(req, &repo, base, head, &dir, (rev, &format!("{rev}:{dir}")))
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
}

/// The diff from the plan at commit `base` to `head`, named and labelled as given: the files
/// that differ are found first, and of the others only those the change reaches are parsed
/// (see [`crate::affected`]).
fn change_diff(
    req: &Request,
    repo: &crate::git::Repo,
    base: &str,
    head: Head<'_>,
    dir: &str,
    (head_name, head_label): (&str, &str),
) -> Result<crate::diff::PlanDiff, Error> {
    let cache = load::ParseCache::new();
    let base_label = format!("{base}:{dir}");
    let (base_plan, head_plan) = if repo.has_plan(base, dir)? {
        let change = match head {
            Head::Commit(rev) => repo.change(base, rev, dir)?,
            Head::Files(files) => repo.change_to(base, dir, files)?,
        };
        crate::affected::load_sides(&change, &base_label, head_label, &cache)?
    } else {
        let base_plan = load::load_with(&no_plan(), &base_label, Some(&cache))?;
        let head_plan = match head {
            Head::Commit(rev) => {
                load::load_with(&repo.plan_at(rev, dir)?, head_label, Some(&cache))
            }
            Head::Files(files) => load::load_with(&files, head_label, Some(&cache)),
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

/// Which plan files changed within `stale_item_days`, from one walk of git history (plus the
/// working tree's uncommitted changes when the plan was read from it).
fn file_history(req: &Request, located: &Located, plan: &crate::model::Plan) -> History {
    let start = match located {
        Located::WorkTree(root) => root.as_path(),
        Located::Git { .. } => req
            .plan
            .as_deref()
            .filter(|p| p.exists())
            .unwrap_or(&req.cwd),
    };
    let Ok(repo) = crate::git::Repo::discover(start, "") else {
        return History::Unknown("the plan is not inside a git repository".into());
    };
    if repo.is_shallow() {
        return History::Unknown(
            "this is a shallow clone, so the files' history is cut off; fetch all of it \
             (`git fetch --unshallow`, or `fetch-depth: 0` for actions/checkout)"
                .into(),
        );
    }
    if !repo.has_commits() {
        return History::Unknown("the repository has no commits yet".into());
    }
    let (rev, dir) = match located {
        Located::WorkTree(root) => ("HEAD", crate::git::work_tree_prefix(root)),
        Located::Git { dir } => (req.rev.as_deref().unwrap_or("HEAD"), dir.clone()),
    };
    let since = Date::from_days_since_epoch(
        req.today.days_since_epoch() - i64::from(plan.config.stale_item_days),
    );
    let open: std::collections::HashSet<String> = plan
        .items
        .iter()
        .filter(|i| i.is_open())
        .map(|i| plan.file(i.file).path.clone())
        .collect();
    let mut ages = match repo.file_ages(rev, &dir, since, &open) {
        Ok(ages) => ages,
        Err(e) => return History::Unknown(e.to_string()),
    };
    if matches!(located, Located::WorkTree(_)) {
        match repo.dirty_paths(&dir) {
            Ok(dirty) => ages.recent.extend(dirty),
            Err(e) => return History::Unknown(e.to_string()),
        }
    }
    History::Known {
        changed: ages.recent,
        last_changed: ages.last_changed,
    }
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
            None => load::load_with(&tree, &commit.id, Some(&cache)),
        };
        match loaded {
            Ok(p) => {
                samples.push((sample, crate::history::measure(&p, req.today)));
                plan = Some(p);
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

/// The plan in the working tree, for commands that write to it.
fn writable_plan(
    req: &Request,
    err: &mut dyn Write,
) -> Result<(PathBuf, WorkTree, crate::model::Plan), Error> {
    refuse_rev(req)?;
    let root = load::find_root(&req.cwd, req.plan.as_deref())?;
    let source = WorkTree::new(&root)?;
    let plan = load::load(&source, &root.display().to_string())?;
    say_where(req, err, &root.display().to_string(), Some(&plan.config))?;
    Ok((root, source, plan))
}

/// Under `-v`, one line on stderr saying what the command reads: the plan root (or the
/// revisions), the revision, the date and the current sprint in use.
fn say_where(
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
fn refuse_rev(req: &Request) -> Result<(), Error> {
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

/// What a write prints: the file, as the user can click it, and each warning the change adds.
fn wrote(
    req: &Request,
    path: &std::path::Path,
    warnings: &[crate::diff::FindingView],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    writeln!(out, "{}", render::shown_path(path, &req.cwd)).map_err(stdout_error)?;
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
    Ok(Outcome::Success)
}

/// Where a loaded plan came from.
enum Located {
    /// A folder on disk.
    WorkTree(std::path::PathBuf),
    /// A folder in a git tree, relative to the repository root.
    Git { dir: String },
}

impl Located {
    /// The plan root's path from the repository root, for GitHub annotations.
    fn repo_prefix(&self) -> String {
        match self {
            Located::WorkTree(root) => crate::git::work_tree_prefix(root),
            Located::Git { dir } => dir.clone(),
        }
    }

    fn describe(&self) -> String {
        match self {
            Located::WorkTree(root) => root.display().to_string(),
            Located::Git { dir } => format!("`{dir}` in git"),
        }
    }
}

fn report(req: &Request, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, Error> {
    let (located, plan) = load_plan(req)?;
    say_where(req, err, &located.describe(), Some(&plan.config))?;
    let analysis = Analysis::new(&plan, req.today);
    let (doc, format) = match &req.command {
        Command::Progress {
            all,
            external,
            format,
        } => {
            let r = report::progress(&analysis, *all, *external);
            (emit(out, *format, &r, || layout::progress(&r))?, *format)
        }
        Command::Report {
            view: View::Exec { external },
            format,
        } => {
            let r = report::exec(&analysis, *external);
            (emit(out, *format, &r, || layout::exec(&r))?, *format)
        }
        Command::Report {
            view: View::Team { sprint, limit },
            format,
        } => {
            if let Some(s) = sprint {
                known_sprint(&plan, s)?;
            }
            let r = report::team(&analysis, sprint.as_deref(), *limit);
            (emit(out, *format, &r, || layout::team(&r))?, *format)
        }
        Command::Report {
            view: View::Pm,
            format,
        } => {
            let r = report::pm(&analysis);
            (emit(out, *format, &r, || layout::pm(&r))?, *format)
        }
        Command::Trace { id, format } => {
            let r = report::trace(&analysis, id)
                .ok_or_else(|| Error::unknown_id(id, analysis.trace.by_id.keys().copied()))?;
            (emit(out, *format, &r, || layout::trace(&r))?, *format)
        }
        Command::Roadmap { external, format } => {
            let r = report::timeline(&analysis, *external);
            if *format == ReportFormat::Mermaid {
                render::mermaid::write(out, &r).map_err(stdout_error)?;
                (None, *format)
            } else {
                (emit(out, *format, &r, || layout::timeline(&r))?, *format)
            }
        }
        Command::Check { .. }
        | Command::Init { .. }
        | Command::Diff { .. }
        | Command::History { .. }
        | Command::Schema { .. }
        | Command::NewTheme(_)
        | Command::NewItem(_)
        | Command::Set { .. } => {
            return Ok(Outcome::Success);
        }
    };
    if let Some(doc) = doc {
        match format {
            ReportFormat::Markdown => render::markdown::write(out, &doc),
            _ => render::table::write(out, &doc, req.width),
        }
        .map_err(stdout_error)?;
    }
    if req.verbosity >= 0 {
        // The note follows the report even when both streams go to one terminal.
        out.flush().map_err(stdout_error)?;
        let checked = rules::check(&plan, Context::at(req.today));
        let (errors, warnings) = (checked.errors(), checked.warnings());
        // Reports read no git history, so `stale-item` is not run here; say so rather than
        // give a count that `check` contradicts.
        let uncounted = checked
            .skipped
            .iter()
            .any(|s| s.rule == crate::diag::Rule::StaleItem);
        let besides = if uncounted {
            " (not counting `stale-item`, which reads git history)"
        } else {
            ""
        };
        if errors + warnings > 0 {
            writeln!(
                err,
                "note: `roadlog check` finds {} and {} in this plan{besides}; figures cover what could be read",
                render::count(errors, "error"),
                render::count(warnings, "warning")
            )
            .map_err(stdout_error)?;
        }
    }
    Ok(Outcome::Success)
}

/// Writes JSON and returns nothing, or returns the document to draw as a table or markdown.
fn emit<T: serde::Serialize>(
    out: &mut dyn Write,
    format: ReportFormat,
    data: &T,
    layout: impl FnOnce() -> doc::Doc,
) -> Result<Option<doc::Doc>, Error> {
    if format == ReportFormat::Json {
        serde_json::to_writer_pretty(&mut *out, data).map_err(|e| stdout_error(e.into()))?;
        writeln!(out).map_err(stdout_error)?;
        return Ok(None);
    }
    Ok(Some(layout()))
}

/// A sprint is known when the calendar or any item names it.
fn known_sprint(plan: &crate::model::Plan, sprint: &str) -> Result<(), Error> {
    let mut names: Vec<&str> = plan.config.sprints.iter().map(|s| s.id.as_str()).collect();
    names.extend(
        plan.items
            .iter()
            .filter_map(|i| i.sprint.as_ref().map(|s| s.value.as_str())),
    );
    if names.contains(&sprint) {
        return Ok(());
    }
    names.sort_unstable();
    names.dedup();
    let help = crate::diag::suggestion(sprint, names.iter().copied());
    Err(Error::usage(format!(
        "no sprint `{sprint}` in the calendar or on any item"
    ))
    .maybe_help(help))
}

fn check(
    req: &Request,
    format: CheckFormat,
    deny_warnings: bool,
    errors_only: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let (root, plan) = match load_plan(req) {
        Ok(loaded) => loaded,
        // A bot reads stdout: it gets the error in its own format, and exit 2 stays.
        Err(e) => {
            match format {
                CheckFormat::Human => {}
                CheckFormat::Json => render::json::error(out, &e).map_err(stdout_error)?,
                CheckFormat::Github => {
                    let prefix = plan_prefix(req);
                    let mut file = step_summary_file(req)?;
                    let summary = file.as_mut().map(|f| f as &mut dyn Write);
                    render::github::error(out, summary, &e, &prefix).map_err(stdout_error)?;
                }
            }
            return Err(e);
        }
    };
    let history = (plan.config.level(crate::diag::Rule::StaleItem) != crate::diag::Level::Off)
        .then(|| file_history(req, &root, &plan));
    let mut checked = rules::check(
        &plan,
        Context {
            today: req.today,
            history: history.as_ref(),
            suggest: true,
        },
    );
    let failed = checked.errors() > 0 || (deny_warnings && checked.warnings() > 0);
    if errors_only {
        checked.retain_errors();
    }
    say_where(req, err, &root.describe(), Some(&plan.config))?;
    match format {
        CheckFormat::Human => {
            let root = shown_root(req, &root);
            let style = human::Style {
                color: req.color_stderr,
                width: req.width,
                root: &root,
            };
            human::findings(err, &plan.files, &checked.findings, style).map_err(stdout_error)?;
            if req.verbosity >= 0 {
                human::skipped(err, &checked.skipped).map_err(stdout_error)?;
                writeln!(err, "{}", render::summary_line(&checked)).map_err(stdout_error)?;
            }
        }
        CheckFormat::Json => {
            render::json::check(out, &plan.files, &checked).map_err(stdout_error)?
        }
        CheckFormat::Github => {
            let prefix = root.repo_prefix();
            render::github::annotations(out, &plan.files, &checked, &prefix)
                .map_err(stdout_error)?;
            if let Some(mut file) = step_summary_file(req)? {
                render::github::step_summary(&mut file, out, &plan.files, &checked, &prefix)
                    .map_err(|source| Error::Io {
                        path: req.github_step_summary.clone().unwrap_or_default(),
                        source,
                    })?;
            }
        }
    }
    Ok(if failed {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// The job summary named by `GITHUB_STEP_SUMMARY`, opened to append, when there is one.
fn step_summary_file(req: &Request) -> Result<Option<fs::File>, Error> {
    let Some(path) = &req.github_step_summary else {
        return Ok(None);
    };
    fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map(Some)
        .map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })
}

/// The plan folder's path from the repository root, as far as it can be told without a plan
/// that reads: for annotations about a broken `roadlog.yaml`.
fn plan_prefix(req: &Request) -> String {
    match &req.rev {
        Some(rev) => open_repo(req)
            .and_then(|repo| crate::git::plan_dir_at(&repo, rev, &req.cwd, req.plan.as_deref()))
            .unwrap_or_default(),
        None => load::find_root(&req.cwd, req.plan.as_deref())
            .map(|root| crate::git::work_tree_prefix(&root))
            .unwrap_or_default(),
    }
}

/// The plan root as the user reaches it from where roadlog runs, `""` when it is there: the
/// folder human diagnostics name files under, so each is a path the user can click.
fn shown_root(req: &Request, located: &Located) -> String {
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

/// Renders an error that stopped a run (exit 2): config problems as diagnostics, the rest as
/// one message.
pub fn report_error(error: &Error, req: &Request, err: &mut dyn Write) -> std::io::Result<()> {
    if let Some((file, findings)) = error.config() {
        let files = std::slice::from_ref(file);
        let root = match (&req.rev, load::find_root(&req.cwd, req.plan.as_deref())) {
            (None, Ok(root)) => shown_root(req, &Located::WorkTree(root)),
            _ => String::new(),
        };
        let style = human::Style {
            color: req.color_stderr,
            width: req.width,
            root: &root,
        };
        human::findings(err, files, findings, style)?;
    }
    writeln!(err, "error: {}", render::terminal(&error.to_string()))
}
