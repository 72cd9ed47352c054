//! Runs one command: the engine's only entry point from the binary.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::load::{self, WorkTree};
use crate::render::{self, human};
use crate::rules::{self, Context};
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

/// A command with its resolved options.
#[derive(Clone, Debug)]
pub enum Command {
    /// Validate the plan.
    Check {
        /// Output format.
        format: CheckFormat,
        /// Warnings fail the run too.
        deny_warnings: bool,
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
        } => check(req, *format, *deny_warnings, out, err),
        Command::Init { dir, empty } => {
            let created = crate::init::init(dir, *empty, req.today)?;
            for path in created {
                writeln!(out, "created {}", path.display()).map_err(stdout_error)?;
            }
            if req.verbosity >= 0 {
                writeln!(err, "next: `roadlog check --plan {}`", dir.display())
                    .map_err(stdout_error)?;
            }
            Ok(Outcome::Success)
        }
    }
}

fn check(
    req: &Request,
    format: CheckFormat,
    deny_warnings: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let root = load::find_root(&req.cwd, req.plan.as_deref())?;
    let source = WorkTree::new(&root)?;
    let plan = load::load(&source, &root.display().to_string())?;
    let checked = rules::check(&plan, Context { today: req.today });
    if req.verbosity > 0 {
        let sprint = plan.config.current_sprint(req.today).unwrap_or("none");
        writeln!(
            err,
            "plan root {}, today {}, current sprint {sprint}",
            root.display(),
            req.today
        )
        .map_err(stdout_error)?;
    }
    match format {
        CheckFormat::Human => {
            let style = human::Style {
                color: req.color_stderr,
                width: req.width,
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
            let prefix = repo_prefix(source.root());
            render::github::annotations(out, &plan.files, &checked, &prefix)
                .map_err(stdout_error)?;
            if let Some(path) = &req.github_step_summary {
                let mut file = fs::OpenOptions::new()
                    .append(true)
                    .create(true)
                    .open(path)
                    .map_err(|source| Error::Io {
                        path: path.clone(),
                        source,
                    })?;
                render::github::step_summary(&mut file, out, &plan.files, &checked, &prefix)
                    .map_err(|source| Error::Io {
                        path: path.clone(),
                        source,
                    })?;
            }
        }
    }
    let failed = checked.errors() > 0 || (deny_warnings && checked.warnings() > 0);
    Ok(if failed {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// The plan root's path from the root of its git work tree (empty when they are the same or
/// when the plan is not in a work tree), so annotations land on the right files.
fn repo_prefix(root: &Path) -> String {
    let Ok(root) = fs::canonicalize(root) else {
        return String::new();
    };
    let mut dir = Some(root.as_path());
    while let Some(d) = dir {
        if d.join(".git").exists() {
            let rel = root.strip_prefix(d).unwrap_or(Path::new(""));
            return rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
        }
        dir = d.parent();
    }
    String::new()
}

/// Renders an error that stopped a run (exit 2): config problems as diagnostics, the rest as
/// one message.
pub fn report_error(
    error: &Error,
    err: &mut dyn Write,
    color: bool,
    width: usize,
) -> std::io::Result<()> {
    if let Error::Config { file, findings } = error {
        let files = std::slice::from_ref(file);
        human::findings(err, files, findings, human::Style { color, width })?;
    }
    writeln!(err, "error: {error}")
}
