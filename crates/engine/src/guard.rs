//! What a write would do to the plan as a whole: the findings `check` would newly give if one
//! file held the new text. `set` and `new` refuse a write that adds an error anywhere in the plan
//! (a theme conflict with the parent, a cycle), and write one that adds only warnings, saying
//! which.

use std::collections::HashSet;

use crate::diag::Severity;
use crate::diff::{FindingView, introduced_as};
use crate::error::Error;
use crate::load::{self, ParseCache, Source};
use crate::model::Plan;
use crate::rules::{self, Context};
use crate::time::Date;

/// What a write would add: the new findings of each severity.
#[derive(Debug, Default)]
pub struct Added {
    /// New errors: the write is refused.
    pub errors: Vec<FindingView>,
    /// New warnings: the write goes ahead and says so.
    pub warnings: Vec<FindingView>,
}

/// The findings the plan would newly have if `path` (relative to the plan root) held `text`.
/// `plan` is what `source` holds now; only the one file is read again.
pub fn added(
    source: &dyn Source,
    label: &str,
    plan: Plan,
    path: &str,
    text: &str,
    today: Date,
) -> Result<Added, Error> {
    let change = [(path.to_string(), Some(text.to_string()))];
    added_by(source, label, plan, &change, today, |f| f.clone())
}

/// The findings the plan would newly have after `changes` (path → new text, `None` for a file
/// removed), all at once; only those files are read again. `same` says what a finding after the
/// change was called before it (for a rename).
pub(crate) fn added_by(
    source: &dyn Source,
    label: &str,
    plan: Plan,
    changes: &[(String, Option<String>)],
    today: Date,
    same: impl Fn(&FindingView) -> FindingView,
) -> Result<Added, Error> {
    let ctx = Context::at(today).without_suggestions();
    let before = rules::check(&plan, ctx);
    let before_views = crate::diff::finding_views(&plan, &before.findings);
    let mut overlay = load::Overlay::new(source);
    for (path, text) in changes {
        overlay.set(path.clone(), text.as_ref().map(|t| t.as_bytes().to_vec()));
    }
    let changed: HashSet<String> = changes.iter().map(|(p, _)| p.clone()).collect();
    let after_plan = load::reload(&overlay, label, &ParseCache::new(), plan, &changed)?.plan;
    let after = rules::check(&after_plan, ctx);
    let after_views = crate::diff::finding_views(&after_plan, &after.findings);
    let (errors, warnings) = introduced_as(&after_views, &before_views, same)
        .into_iter()
        .partition(|f| f.severity == Severity::Error.as_str());
    Ok(Added { errors, warnings })
}

/// Where a finding is, as `file:line`.
pub fn place(f: &FindingView) -> String {
    match (&f.file, f.line) {
        (Some(file), Some(line)) => format!("{file}:{line}"),
        (Some(file), None) => file.clone(),
        _ => String::new(),
    }
}

impl Added {
    /// Refuses the write when it adds an error, naming the first and counting the rest.
    pub(crate) fn refuse_errors(&self) -> Result<(), Error> {
        let Some(first) = self.errors.first() else {
            return Ok(());
        };
        let more = match self.errors.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        Err(Error::refused(crate::error::Refusal::WouldFailCheck, format!(
            "the change would not pass `roadlog check`: {} [{}] at {}{more}; nothing was written",
            first.message,
            first.rule,
            place(first)
        ))
        .with_help(
            "roadlog writes a change only when it adds no error to the plan; make the change it \
             depends on first, or edit the files by hand",
        ))
    }
}
