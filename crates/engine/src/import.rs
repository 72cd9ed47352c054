//! `roadlog import`: a tracker's records merged into the backlog. The readers of the trackers'
//! exports (the `roadlog-import` crate) turn a file into [`Export`]; this module maps each
//! [`Record`] onto an item (found by `source:`, never by title), works out every file the import
//! creates or edits, checks the plan as it would stand, and writes it all or nothing.

mod fields;
mod links;
mod map;
mod merge;
mod starter;

use std::path::{Path, PathBuf};

pub use map::{evident_category, kind_of};
pub use merge::plan_import;
pub use starter::starter_config;

use crate::error::Error;
use crate::model::{Kind, Seal};
use crate::time::Date;

/// The trackers roadlog reads exports of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tracker {
    /// GitHub Issues (`gh issue list --json`) or a GitHub project (`gh project item-list`).
    Github,
    /// Jira's "Export CSV (all fields)".
    Jira,
    /// Linear's CSV export.
    Linear,
}

impl Tracker {
    /// Its name, as `source:` values and the command line spell it.
    pub fn name(self) -> &'static str {
        match self {
            Tracker::Github => "github",
            Tracker::Jira => "jira",
            Tracker::Linear => "linear",
        }
    }
}

/// A sprint an export names: a Jira sprint (by name only), a Linear cycle or a GitHub
/// iteration (with their dates).
#[derive(Clone, Debug, PartialEq)]
pub struct SprintRef {
    /// The sprint's name, which becomes its id.
    pub name: String,
    /// Its first and last day, when the export gives them.
    pub dates: Option<SprintDates>,
}

/// A sprint's first and last day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SprintDates {
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
}

/// One record of a tracker's export, in the tracker's own terms.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    /// Where it is in the export: its line for a CSV, `None` for JSON.
    pub line: Option<u64>,
    /// The record's `source:` value: `jira:PAY-12`, `github:acme/web#3`.
    pub source: String,
    /// The id it would like: the tracker's key (`PAY-12`), or the issue number for GitHub.
    pub key: String,
    /// Summary.
    pub title: String,
    /// The tracker's status name (`In Review`).
    pub status: String,
    /// The category the tracker gives that status, when it gives one.
    pub category: Option<crate::model::Category>,
    /// Epic, story…: `None` when the tracker's type says nothing roadlog knows.
    pub kind: Option<Kind>,
    /// The tracker's name for its type (`Sub-task`), for the warning when it maps to nothing.
    pub kind_name: Option<String>,
    /// Who works on it.
    pub assignees: Vec<String>,
    /// Story points.
    pub estimate: Option<f64>,
    /// The sprint, cycle or iteration it is planned into.
    pub sprint: Option<SprintRef>,
    /// The `source:` of the record it breaks down.
    pub parent: Option<String>,
    /// The `source:` values of the records it waits on.
    pub blocked_by: Vec<String>,
    /// When it was resolved, for a record the tracker counts as finished.
    pub done_on: Option<Date>,
    /// The longer text.
    pub description: Option<String>,
    /// Its labels, which become `tags` on the first import.
    pub labels: Vec<String>,
    /// The names `import.themes` may map to a theme, in the order they are tried: labels, the
    /// epic's key, components, the project, the milestone.
    pub groups: Vec<String>,
}

/// Which tracker-owned fields an export carries: a field whose column the export lacks is left
/// as the plan has it, never cleared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "one flag per optional column of an export"
)]
pub struct Carried {
    /// Assignees.
    pub assignee: bool,
    /// Story points.
    pub estimate: bool,
    /// Sprints.
    pub sprint: bool,
    /// Parents.
    pub parent: bool,
    /// What a record waits on.
    pub depends_on: bool,
}

impl Carried {
    /// Every field.
    pub const ALL: Carried = Carried {
        assignee: true,
        estimate: true,
        sprint: true,
        parent: true,
        depends_on: true,
    };
}

/// A tracker's export, read.
#[derive(Clone, Debug, PartialEq)]
pub struct Export {
    /// Which tracker made it.
    pub tracker: Tracker,
    /// Its records, in the export's order.
    pub records: Vec<Record>,
    /// Which optional fields it carries.
    pub carried: Carried,
    /// For GitHub, the repositories it covers (`owner/repo`): items of other repositories are
    /// not "missing" from it.
    pub repositories: Vec<String>,
    /// What the reader left out, and why (a pull request, a draft issue).
    pub notes: Vec<Warning>,
}

/// What `roadlog import` was asked to do beyond the export.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// `--prefix`: new items are `<prefix>-<number of the tracker's key>`.
    pub prefix: Option<String>,
    /// `--missing wontdo`: open items no longer in the export become `wontdo`.
    pub missing_wontdo: bool,
    /// The date `today` stands for.
    pub today: Date,
}

/// Something the import did not decide for the user: a status it could not map, a sprint
/// without dates, a value it left alone.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// What, and what to do about it.
    pub message: String,
    /// The export's line it is about, when there is one.
    pub line: Option<u64>,
}

/// One file the import writes.
#[derive(Clone, Debug, PartialEq)]
pub struct FileChange {
    /// The file, relative to the plan root, `/`-separated.
    pub path: String,
    /// Its text now; `None` for a file the import creates.
    pub before: Option<String>,
    /// Its text after the import.
    pub after: String,
    seal: Option<Seal>,
}

/// An import worked out and checked, not yet written.
#[derive(Debug)]
pub struct Planned {
    /// Ids of the items it creates, in the export's order.
    pub created: Vec<String>,
    /// Ids of the items it changes.
    pub updated: Vec<String>,
    /// How many records match their item already.
    pub unchanged: usize,
    /// Ids of the items mirroring a record of this tracker that the export no longer holds.
    pub missing: Vec<String>,
    /// What the mapping left open.
    pub warnings: Vec<Warning>,
    /// Warnings `check` would newly give once it is written (an `orphan-item` for a record no
    /// theme mapping reached).
    pub findings: Vec<crate::diff::FindingView>,
    /// Every file it writes.
    pub changes: Vec<FileChange>,
    root: PathBuf,
}

impl Planned {
    /// Writes every change as one, all or nothing, each edited file refused if it changed since
    /// it was read.
    pub fn write(&self) -> Result<(), Error> {
        let mut writes = Vec::with_capacity(self.changes.len());
        let mut folders = std::collections::BTreeSet::new();
        for change in &self.changes {
            let path = self.root.join(&change.path);
            writes.push(match change.seal {
                Some(was) => crate::write::FileWrite::Replace {
                    path,
                    text: change.after.clone(),
                    was,
                },
                None => {
                    // Made (and checked to stay inside the root) once per folder.
                    if let Some(folder) = Path::new(&change.path).parent()
                        && folders.insert(folder)
                    {
                        crate::author::safe_folder(&self.root, folder)?;
                    }
                    crate::write::FileWrite::Create {
                        path,
                        text: change.after.clone(),
                    }
                }
            });
        }
        crate::write::commit(&writes)
    }
}
