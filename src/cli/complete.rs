//! Dynamic completion: the values the shell offers for ids, themes, items, sprints, people and
//! tags come from the plan the shell stands in (`ROADLOG_COMPLETE=bash roadlog`, see docs/editors.md).

use std::ffi::OsStr;

use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use roadlog::Candidates;

fn complete(what: Candidates, current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(prefix) = current.to_str() else {
        return Vec::new();
    };
    let Ok(cwd) = std::env::current_dir() else {
        return Vec::new();
    };
    let from_env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    };
    let (plan, cache) = (from_env("ROADLOG_PLAN"), from_env("ROADLOG_CACHE_DIR"));
    roadlog::candidates(what, &cwd, plan.as_deref(), cache.as_deref())
        .into_iter()
        .filter(|(value, _)| value.starts_with(prefix))
        .map(|(value, help)| CompletionCandidate::new(value).help(help.map(Into::into)))
        .collect()
}

/// Any theme or item id.
pub(super) fn ids() -> ArgValueCompleter {
    ArgValueCompleter::new(|c: &OsStr| complete(Candidates::Ids, c))
}

/// Theme ids.
pub(super) fn themes() -> ArgValueCompleter {
    ArgValueCompleter::new(|c: &OsStr| complete(Candidates::Themes, c))
}

/// Item ids.
pub(super) fn items() -> ArgValueCompleter {
    ArgValueCompleter::new(|c: &OsStr| complete(Candidates::Items, c))
}

/// Sprint ids, and `current`.
pub(super) fn sprints() -> ArgValueCompleter {
    ArgValueCompleter::new(|c: &OsStr| complete(Candidates::Sprints, c))
}

/// Assignees.
pub(super) fn people() -> ArgValueCompleter {
    ArgValueCompleter::new(|c: &OsStr| complete(Candidates::People, c))
}

/// Tags.
pub(super) fn tags() -> ArgValueCompleter {
    ArgValueCompleter::new(|c: &OsStr| complete(Candidates::Tags, c))
}
