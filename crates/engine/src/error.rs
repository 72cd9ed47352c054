//! Why roadlog could not run at all (exit 2), as opposed to findings in the plan (exit 1).
//!
//! Errors are data: a stable code, a message, a help line and, for a broken `roadlog.yaml`, the
//! findings with their places, so the human, JSON, GitHub and markdown renderers each show them
//! in their own way.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::Finding;
use crate::model::SourceFile;

/// What went wrong and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Which kind of refusal it is: the stable code a program tells them apart by.
    pub kind: Refusal,
    /// What is wrong, one sentence.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

/// Why a command refused, as a program reads it: each kind has a stable code (the `code` of
/// `--format json`'s `error` and of an MCP tool error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A bad argument or option, or one that does not apply here.
    Usage,
    /// No theme, item, sprint, tag or person has the name given.
    UnknownId,
    /// Several themes or items hold the id, so it names none for sure.
    AmbiguousId,
    /// The id, or the file it would be kept in, is taken.
    IdTaken,
    /// A value that does not read as the field's kind (status, estimate, id, date, …).
    InvalidValue,
    /// The change would add an error finding to the plan (or lose the entity it edits).
    WouldFailCheck,
    /// The file is laid out in a way roadlog does not edit in place; edit it by hand.
    EditByHand,
    /// A path that leads outside the plan root, or a link roadlog does not write through.
    OutsidePlan,
    /// The command needs git history there is none of.
    NoHistory,
    /// The other end of `lsp` or `mcp` broke its protocol.
    Protocol,
}

impl Refusal {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Usage => "usage",
            Refusal::UnknownId => "unknown-id",
            Refusal::AmbiguousId => "ambiguous-id",
            Refusal::IdTaken => "id-taken",
            Refusal::InvalidValue => "invalid-value",
            Refusal::WouldFailCheck => "would-fail-check",
            Refusal::EditByHand => "edit-by-hand",
            Refusal::OutsidePlan => "outside-plan",
            Refusal::NoHistory => "no-history",
            Refusal::Protocol => "protocol",
        }
    }
}

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
        /// The config file.
        file: SourceFile,
        /// Its text, for snippets.
        text: Arc<str>,
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
    Git(Problem),
    /// A command was asked to do something it refuses (bad argument value, existing plan).
    Usage(Problem),
    /// A defect in roadlog itself (a panic caught at the top): the run failed, whatever the plan.
    Internal {
        /// What panicked, and where in roadlog's code.
        message: String,
    },
    /// A file the command was about to write is no longer the text it read: saved since.
    ChangedSinceRead {
        /// The file.
        path: PathBuf,
    },
    /// A change of several files failed part way, and some files it had changed could not be
    /// put back.
    Unrestored {
        /// Why the change failed.
        error: Box<Error>,
        /// The files left changed.
        files: Vec<PathBuf>,
    },
    /// One side of a diff could not be read.
    Side {
        /// Which side, as shown: `BASE (origin/main)`.
        side: String,
        /// Why.
        error: Box<Error>,
    },
}

impl Error {
    /// A refusal: a bad argument, or an action that would break or lose something.
    pub fn usage(message: impl Into<String>) -> Error {
        Error::refused(Refusal::Usage, message)
    }

    /// A refusal of a kind a program can tell apart from the others.
    pub fn refused(kind: Refusal, message: impl Into<String>) -> Error {
        Error::Usage(Problem {
            kind,
            message: message.into(),
            help: None,
        })
    }

    /// Turns an I/O failure at `path` into an error naming it: `.map_err(Error::io(&path))`.
    pub fn io(path: &std::path::Path) -> impl FnOnce(io::Error) -> Error + '_ {
        move |source| Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Git could not give what was asked.
    pub fn git(message: impl Into<String>) -> Error {
        Error::Git(Problem {
            kind: Refusal::Usage,
            message: message.into(),
            help: None,
        })
    }

    /// The same error with a help line (on usage and git errors; others carry their own).
    #[must_use]
    pub fn with_help(self, help: impl Into<String>) -> Error {
        self.maybe_help(Some(help.into()))
    }

    /// The same error with a help line, when there is one.
    #[must_use]
    pub fn maybe_help(mut self, help: Option<String>) -> Error {
        if let (Error::Usage(p) | Error::Git(p), Some(help)) = (&mut self, help) {
            p.help = Some(help);
        }
        self
    }

    /// The same error, said to come from one side of a diff.
    #[must_use]
    pub fn on_side(self, side: impl Into<String>) -> Error {
        Error::Side {
            side: side.into(),
            error: Box::new(self),
        }
    }

    /// A stable code for machines: `no-plan-root`, `config`, `git`, `usage`…
    pub fn code(&self) -> &'static str {
        match self {
            Error::NoPlanRoot { .. } => "no-plan-root",
            Error::NoPlanDir { .. } => "no-plan-dir",
            Error::NoConfigIn { .. } => "no-config",
            Error::Config { .. } => "config",
            Error::Io { .. } => "io",
            Error::Git(_) => "git",
            Error::Usage(p) => p.kind.code(),
            Error::Internal { .. } => "internal",
            Error::ChangedSinceRead { .. } => "changed-since-read",
            Error::Unrestored { .. } => "unrestored",
            Error::Side { error, .. } => error.code(),
        }
    }

    /// The broken `roadlog.yaml` behind this error, if that is what it is.
    pub fn config(&self) -> Option<(&SourceFile, &Arc<str>, &[Finding])> {
        match self {
            Error::Config {
                file,
                text,
                findings,
            } => Some((file, text, findings)),
            Error::Side { error, .. } => error.config(),
            _ => None,
        }
    }

    /// What is wrong, one sentence.
    pub fn message(&self) -> String {
        match self {
            Error::NoPlanRoot { start } => format!(
                "no roadlog.yaml in {} or any parent folder",
                start.display()
            ),
            Error::NoPlanDir { dir } => format!("plan folder {} does not exist", dir.display()),
            Error::NoConfigIn { dir } => format!(
                "{} has no roadlog.yaml, so it is not a plan root",
                dir.display()
            ),
            Error::Config { findings, .. } => format!(
                "roadlog.yaml has {} problem{}; fix {} to read the plan",
                findings.len(),
                if findings.len() == 1 { "" } else { "s" },
                if findings.len() == 1 { "it" } else { "them" }
            ),
            Error::Io { path, source } => format!("{}: {source}", path.display()),
            Error::Usage(p) | Error::Git(p) => p.message.clone(),
            Error::Internal { message } => format!("internal error: {message}"),
            Error::ChangedSinceRead { path } => format!(
                "{} changed since roadlog read it (saved in an editor, or by another run?); \
                 nothing was written",
                path.display()
            ),
            Error::Unrestored { error, files } => format!(
                "{}; the change was half made and {} could not be put back: {}",
                error.message(),
                if files.len() == 1 {
                    "this file"
                } else {
                    "these files"
                },
                files
                    .iter()
                    .map(|f| f.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Error::Side { side, error } => format!("{side}: {}", error.message()),
        }
    }

    /// What to do about it, when roadlog can say.
    pub fn help(&self) -> Option<String> {
        match self {
            Error::NoPlanRoot { .. } => Some(
                "run `roadlog init` to start a plan, or point at one with `--plan DIR` (or \
                 ROADLOG_PLAN)"
                    .into(),
            ),
            Error::NoPlanDir { .. } => {
                Some("check the path given to --plan or ROADLOG_PLAN".into())
            }
            Error::NoConfigIn { dir } => Some(format!(
                "point --plan at the folder that holds roadlog.yaml, or run `roadlog init {}`",
                dir.display()
            )),
            Error::Config { .. } | Error::Io { .. } => None,
            Error::ChangedSinceRead { .. } => Some("run the command again".into()),
            Error::Unrestored { .. } => Some(
                "restore them from git (`git checkout -- FILE`), or put back their old text by \
                 hand"
                    .into(),
            ),
            Error::Internal { .. } => Some(
                "this is a bug in roadlog, not in the plan: please report it, with the file \
                 that caused it, at https://github.com/roadlog/roadlog/issues"
                    .into(),
            ),
            Error::Usage(p) | Error::Git(p) => p.help.clone(),
            Error::Side { error, .. } => error.help(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())?;
        if let Some(help) = self.help() {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl Error {
    /// A submodule or nested clone inside the plan folder: its files belong to another
    /// repository, which `--rev` cannot read, so the plan would read differently from git.
    pub fn nested_repository(path: &str) -> Error {
        Error::git(format!(
            "`{path}` inside the plan folder is a git submodule or a nested repository; a plan is \
             read from one repository"
        ))
        .with_help(
            "move it out of the plan folder, or point --plan inside it to check it as a plan of its own",
        )
    }

    /// "`x` is not a kind", with the nearest of `names` as a "did you mean", or all of them.
    pub fn not_one_of(what: &str, value: &str, names: &[&str]) -> Error {
        let help = crate::diag::did_you_mean(value, names.iter().copied()).map_or_else(
            || format!("use one of: {}", names.join(", ")),
            |n| format!("did you mean `{n}`?"),
        );
        Error::refused(
            crate::error::Refusal::InvalidValue,
            format!("`{value}` is not {what}"),
        )
        .with_help(help)
    }

    /// No theme or item of the plan has `id`; suggests the nearest of `ids`.
    pub fn unknown_id<'a>(id: &str, ids: impl IntoIterator<Item = &'a str>) -> Error {
        Error::refused(
            crate::error::Refusal::UnknownId,
            format!("no theme or item has the id `{id}`"),
        )
        .maybe_help(crate::diag::suggestion(id, ids))
    }
}
