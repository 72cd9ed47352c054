//! The typed plan: themes, backlog items and configuration, every field with its span.
#![allow(
    clippy::indexing_slicing,
    reason = "a `FileId` is only made by the load that fills `Plan::files`"
)]

mod config;
pub mod fields;
mod file;
mod id;

mod values;

use std::collections::BTreeMap;

pub use config::{
    CONFIG_FIELDS, Config, IMPORT_FIELDS, ImportConfig, NamedSprint, Person, ProgressBy, Sprint,
    Team,
};
pub use file::{Seal, SourceFile, Texts};
pub use id::{
    ITEM_ID_PATTERN, ITEM_ID_RULE, ITEM_IDS, IdKind, SOURCE_PATTERN, SOURCE_RULE, THEME_ID_PATTERN,
    THEME_ID_RULE, THEME_IDS, is_item_id, is_source, is_theme_id, natural_cmp, stem_of,
};
pub use values::{Category, Kind, Status, ThemeStatus, Visibility};

use crate::diag::{FileId, Location};
pub use crate::hash::stable_hash;
pub use crate::span::Span;
use crate::time::{Date, Horizon};

/// Backlog-level fields that are refused in a theme (rule `roadmap-detail`).
pub(crate) const BACKLOG_ONLY_FIELDS: &[&str] = &[
    "acceptance",
    "estimate",
    "assignee",
    "sprint",
    "depends_on",
    "items",
    "tasks",
    "stories",
];

/// The largest estimate, default estimate or sprint capacity roadlog accepts: beyond it, sums
/// over a large plan would lose precision (and `1e308` would make totals infinite).
pub(crate) const MAX_WEIGHT: f64 = 100_000.0;

/// A commit that changed the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanCommit {
    /// Full commit id.
    pub id: String,
    /// Commit date, in the commit's own time zone (as `git log` shows it).
    pub date: Date,
}

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it stands in its file.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs a value with its span.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// A success metric: a business outcome, not a delivery count.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Metric {
    /// What is measured.
    pub name: String,
    /// Where it should get to.
    pub target: String,
    /// Where it is now.
    pub current: Option<String>,
    /// Where it started.
    pub baseline: Option<String>,
}

/// A roadmap theme: the why and the when.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Theme {
    /// The file it was read from.
    pub file: FileId,
    /// Stable identifier (file stem when not written).
    pub id: Spanned<String>,
    /// Whether `id:` was written (rather than taken from the file name).
    pub id_written: bool,
    /// Headline.
    pub title: Option<Spanned<String>>,
    /// Business outcome.
    pub objective: Option<Spanned<String>>,
    /// Lifecycle status.
    pub status: Option<Spanned<ThemeStatus>>,
    /// The status as written, when it is not a valid one (reported as `invalid-value`).
    pub status_written: Option<String>,
    /// When.
    pub horizon: Option<Spanned<Horizon>>,
    /// Rank among themes, 1 first.
    pub priority: Option<Spanned<u32>>,
    /// Who answers for it.
    pub owner: Option<String>,
    /// Public or internal.
    pub visibility: Visibility,
    /// Success metrics.
    pub metrics: Vec<Metric>,
    /// Last strategic review.
    pub reviewed: Option<Spanned<Date>>,
    /// Whether `reviewed:` was written but is not a date (reported as `invalid-value`, so
    /// `stale-theme` does not also say it was never reviewed).
    pub reviewed_unreadable: bool,
    /// Free labels.
    pub tags: Vec<String>,
    /// Ids it was known by before a rename.
    pub aliases: Vec<Spanned<String>>,
    /// Longer narrative.
    pub description: Option<String>,
    /// The initiative it belongs to: another theme.
    pub parent: Option<Spanned<String>>,
}

impl Theme {
    /// Where the theme's id is (or, for a defaulted id, where its document starts).
    pub fn location(&self) -> Location {
        Location {
            file: self.file,
            span: Some(self.id.span),
        }
    }

    /// The title, or the id when the title is missing.
    pub fn display_title(&self) -> String {
        self.title
            .as_ref()
            .map_or_else(|| self.id.value.clone(), |t| t.value.clone())
    }

    /// The status, if it was readable.
    pub fn status(&self) -> Option<ThemeStatus> {
        self.status.as_ref().map(|s| s.value)
    }

    /// The status as written: a valid one, or the invalid text.
    pub fn status_text(&self) -> Option<String> {
        self.status()
            .map(|s| s.as_str().to_string())
            .or_else(|| self.status_written.clone())
    }

    /// Each success metric's name, baseline and target, `; `-joined; not its `current` figure,
    /// which is progress being reported, not a change of aim.
    pub(crate) fn metrics_text(&self) -> Option<String> {
        let text = self
            .metrics
            .iter()
            .map(|m| match &m.baseline {
                Some(b) => format!("{}: {b} → {}", m.name, m.target),
                None => format!("{}: {}", m.name, m.target),
            })
            .collect::<Vec<_>>()
            .join("; ");
        (!text.is_empty()).then_some(text)
    }

    /// The fields of [`AIM`] as text: the theme's why and when.
    pub fn aim(&self) -> [(&'static str, Option<String>); 4] {
        [
            (
                "objective",
                self.objective.as_ref().map(|o| o.value.clone()),
            ),
            ("metrics", self.metrics_text()),
            (
                "horizon",
                self.horizon.as_ref().map(|h| h.value.to_string()),
            ),
            ("status", self.status_text()),
        ]
    }
}

/// The fields that say a theme's why and when. Work planned under an old value of one of them
/// may no longer serve the theme: `diff` shows its impact and `suspect-item` flags it.
pub(crate) const AIM: [&str; 4] = ["objective", "metrics", "horizon", "status"];

/// A backlog item: the what and the how.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Item {
    /// The file it was read from.
    pub file: FileId,
    /// Whether the file holds only this item (so `id-mismatch` applies).
    pub sole_in_file: bool,
    /// Identifier (file stem when not written).
    pub id: Spanned<String>,
    /// Whether `id:` was written.
    pub id_written: bool,
    /// Headline.
    pub title: Option<Spanned<String>>,
    /// Epic, story, task…
    pub kind: Kind,
    /// Status; `None` when missing or unreadable.
    pub status: Option<Spanned<Status>>,
    /// The status as written, when it is not a known one (reported as `invalid-value`).
    pub status_written: Option<String>,
    /// The theme it serves, when named here.
    pub theme: Option<Spanned<String>>,
    /// The item it breaks down.
    pub parent: Option<Spanned<String>>,
    /// Story points.
    pub estimate: Option<Spanned<f64>>,
    /// Rank in the backlog, 1 first.
    pub priority: Option<Spanned<u32>>,
    /// Sprint id.
    pub sprint: Option<Spanned<String>>,
    /// Who works on it: one person, or several.
    pub assignee: Box<[Spanned<String>]>,
    /// Items that must be done first.
    pub depends_on: Box<[Spanned<String>]>,
    /// Themes or items linked for reference (see also, supersedes): never a dependency.
    pub related: Box<[Spanned<String>]>,
    /// Ids it was known by before a rename.
    pub aliases: Box<[Spanned<String>]>,
    /// Acceptance criteria.
    pub acceptance: Box<[String]>,
    /// User story text.
    pub description: Option<String>,
    /// Free labels.
    pub tags: Box<[String]>,
    /// When it was finished.
    pub done_on: Option<Spanned<Date>>,
    /// When it was last checked against its theme's aim.
    pub reviewed: Option<Spanned<Date>>,
    /// The tracker record it mirrors (`roadlog import`): `jira:PAY-12`, `github:o/r#3`.
    pub source: Option<Spanned<String>>,
    /// Whether it is weighed in progress and forecasts: `counts: false` marks a standing
    /// commitment (support, reviews) that never finishes.
    pub counts: bool,
}

impl Item {
    /// Where the item's id is (or, for a defaulted id, where its document starts).
    pub fn location(&self) -> Location {
        Location {
            file: self.file,
            span: Some(self.id.span),
        }
    }

    /// A location in this item's file.
    pub fn at(&self, span: Span) -> Location {
        Location {
            file: self.file,
            span: Some(span),
        }
    }

    /// The title, empty when missing.
    pub fn title_text(&self) -> String {
        self.title
            .as_ref()
            .map_or_else(String::new, |t| t.value.clone())
    }

    /// The status as written: a known one, or the unknown text.
    pub fn status_name(&self) -> Option<String> {
        self.status
            .as_ref()
            .map(|s| s.value.name.clone())
            .or_else(|| self.status_written.clone())
    }

    /// Who works on it, as one line (`a, b`); `None` when nobody is named.
    pub fn assignee_text(&self) -> Option<String> {
        let names: Vec<&str> = self.assignee.iter().map(|a| a.value.as_str()).collect();
        (!names.is_empty()).then(|| names.join(", "))
    }

    /// The status category, if the status was readable.
    pub fn category(&self) -> Option<Category> {
        self.status.as_ref().map(|s| s.value.category)
    }

    /// Open (todo, in progress, blocked).
    pub fn is_open(&self) -> bool {
        self.category().is_some_and(Category::is_open)
    }
}

/// Everything loaded from a plan: files, entities, config, and the findings met on the way.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Every file read, indexed by [`FileId`]; `roadlog.yaml` is first.
    pub files: Vec<SourceFile>,
    /// The configuration.
    pub config: Config,
    /// Themes, in path order.
    pub themes: Vec<Theme>,
    /// Backlog items, in path order.
    pub items: Vec<Item>,
    /// Findings from reading and parsing (before any rule over the whole plan).
    pub findings: Vec<crate::diag::Finding>,
}

impl Plan {
    /// The file behind an id.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
}

/// Custom item statuses from config, name → category.
pub(crate) type StatusMap = BTreeMap<String, Category>;
