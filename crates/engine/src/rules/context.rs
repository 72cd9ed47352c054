//! What a rule run needs beyond the plan: the date, git's word on when files changed, and
//! whether to spend time on "did you mean".

use std::collections::{HashMap, HashSet};

use crate::time::Date;

/// What a rule run needs beyond the plan.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The date for staleness, overdue and the current sprint.
    pub today: Date,
    /// What git says about when plan files changed, for `stale-item`; `None` when not read.
    pub history: Option<&'a History>,
    /// Whether findings get "did you mean" help, which compares a wrong id with every id.
    pub suggest: bool,
}

impl Context<'_> {
    /// A context without git history (`stale-item` is skipped).
    pub fn at(today: Date) -> Context<'static> {
        Context {
            today,
            history: None,
            suggest: true,
        }
    }

    /// The same context without "did you mean" help, for callers that show no help.
    pub(crate) fn without_suggestions(self) -> Self {
        Context {
            suggest: false,
            ..self
        }
    }
}

/// The newest commit that changed an active theme's why or when, and what changed since: the
/// ground of `suspect-item`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AimChange {
    /// The theme's id.
    pub theme: String,
    /// Which of [`crate::model::AIM`] changed (the first, when several did).
    pub field: &'static str,
    /// Its value before.
    pub old: Option<String>,
    /// Its value after.
    pub new: Option<String>,
    /// The commit's day.
    pub date: Date,
    /// The commit.
    pub commit: String,
    /// Plan paths changed by that commit or a later one, or uncommitted in the working tree: an
    /// item whose file is among them was looked at after the change.
    pub touched_since: HashSet<String>,
}

/// When plan files last changed, as far as `stale-item` and `suspect-item` need to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum History {
    /// What git (and the working tree) says.
    Known {
        /// Files (paths relative to the plan root) changed in git, or in the working tree,
        /// within `stale_item_days` before today.
        changed: HashSet<String>,
        /// For files of open items not changed within the window, the day they last changed.
        last_changed: HashMap<String, Date>,
        /// The newest change of each active theme's aim, where history has one.
        aims: Vec<AimChange>,
    },
    /// Why the history is not available (no repository, a shallow clone, no commits).
    Unknown(String),
}
