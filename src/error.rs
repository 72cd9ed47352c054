//! Why roadlog could not run at all (exit 2), as opposed to findings in the plan (exit 1).

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::diag::Finding;
use crate::model::SourceFile;

/// A failure that stops a command before it can give an answer.
#[derive(Debug)]
pub enum Error {
    /// No `roadlog.yaml` in the current folder or any parent.
    NoPlanRoot {
        /// Where the search started.
        start: PathBuf,
    },
    /// `--plan` names a folder that does not exist.
    NoPlanDir {
        /// The folder given.
        dir: PathBuf,
    },
    /// `--plan` names a folder without `roadlog.yaml`.
    NoConfigIn {
        /// The folder given.
        dir: PathBuf,
    },
    /// `roadlog.yaml` has problems; they are shown as diagnostics.
    Config {
        /// The config file, for snippets.
        file: SourceFile,
        /// What is wrong with it.
        findings: Vec<Finding>,
    },
    /// Reading or writing failed.
    Io {
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// Git could not give what was asked: not a repository, an unknown revision, a broken object.
    Git(String),
    /// A command was asked to do something it refuses (bad argument value, existing plan).
    Usage(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoPlanRoot { start } => write!(
                f,
                "no roadlog.yaml in {} or any parent folder\n  help: run `roadlog init` to start a plan, \
                 or point at one with `--plan DIR` (or ROADLOG_PLAN)",
                start.display()
            ),
            Error::NoPlanDir { dir } => write!(
                f,
                "plan folder {} does not exist\n  help: check the path given to --plan or ROADLOG_PLAN",
                dir.display()
            ),
            Error::NoConfigIn { dir } => write!(
                f,
                "{} has no roadlog.yaml, so it is not a plan root\n  help: point --plan at the folder that \
                 holds roadlog.yaml, or run `roadlog init {}`",
                dir.display(),
                dir.display()
            ),
            Error::Config { findings, .. } => write!(
                f,
                "roadlog.yaml has {} problem{}; fix {} to read the plan",
                findings.len(),
                if findings.len() == 1 { "" } else { "s" },
                if findings.len() == 1 { "it" } else { "them" }
            ),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Usage(msg) | Error::Git(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// No theme or item of the plan has `id`; suggests the nearest one.
    pub fn unknown_id(plan: &crate::model::Plan, id: &str) -> Error {
        let ids = plan
            .themes
            .iter()
            .map(|t| t.id.value.as_str())
            .chain(plan.items.iter().map(|i| i.id.value.as_str()));
        Error::Usage(format!(
            "no theme or item has the id `{id}`{}",
            crate::diag::help_line(id, ids)
        ))
    }
}
