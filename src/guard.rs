//! What a write would do to the plan as a whole: the findings `check` would newly give if one
//! file held the new text. `set` and `new` refuse a write that adds an error anywhere in the plan
//! (a theme conflict with the parent, a cycle), and write one that adds only warnings, saying
//! which.

use std::collections::HashSet;
use std::io;

use crate::diag::Severity;
use crate::diff::{FindingView, introduced};
use crate::error::Error;
use crate::load::{self, Entry, Identity, ParseCache, Source, is_plan_file};
use crate::model::Plan;
use crate::rules::{self, Context};
use crate::time::Date;

/// A source that reads one file from given text and every other from `base`.
struct Overlay<'a> {
    base: &'a dyn Source,
    path: &'a str,
    text: &'a str,
}

impl Source for Overlay<'_> {
    fn read(&self, path: &str) -> io::Result<Option<Vec<u8>>> {
        if path == self.path {
            return Ok(Some(self.text.as_bytes().to_vec()));
        }
        self.base.read(path)
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>, Error> {
        let mut entries = self.base.list(dir)?;
        let name = self.path.rsplit('/').next().unwrap_or(self.path);
        let inside = self
            .path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'));
        if inside && is_plan_file(name) && !entries.iter().any(|e| e.path == self.path) {
            entries.push(Entry {
                path: self.path.to_string(),
                problem: None,
            });
            entries.sort_by(|a, b| a.path.cmp(&b.path));
        }
        Ok(entries)
    }

    fn identity(&self, path: &str) -> Option<Identity> {
        (path != self.path)
            .then(|| self.base.identity(path))
            .flatten()
    }
}

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
    let ctx = Context::at(today).without_suggestions();
    let before = rules::check(&plan, ctx);
    let before_views = crate::diff::finding_views(&plan, &before.findings);
    let overlay = Overlay {
        base: source,
        path,
        text,
    };
    let changed = HashSet::from([path.to_string()]);
    let after_plan = load::reload(&overlay, label, &ParseCache::new(), plan, &changed)?;
    let after = rules::check(&after_plan, ctx);
    let after_views = crate::diff::finding_views(&after_plan, &after.findings);
    let (errors, warnings) = introduced(&after_views, &before_views)
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
    pub fn refuse_errors(&self) -> Result<(), Error> {
        let Some(first) = self.errors.first() else {
            return Ok(());
        };
        let more = match self.errors.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        Err(Error::usage(format!(
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
