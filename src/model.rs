//! The typed plan: themes, backlog items and configuration, every field with its span.

mod config;
pub mod fields;
pub mod span;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

pub use config::{CONFIG_FIELDS, Config, ProgressBy, Sprint};

use crate::diag::{FileId, Location};
use crate::time::{Date, Horizon};
pub use span::Span;

/// Backlog-level fields that are refused in a theme (rule `roadmap-detail`).
pub const BACKLOG_ONLY_FIELDS: &[&str] = &[
    "acceptance",
    "estimate",
    "assignee",
    "sprint",
    "parent",
    "depends_on",
    "items",
    "tasks",
    "stories",
];

/// The largest estimate, default estimate or sprint capacity roadlog accepts: beyond it, sums
/// over a large plan would lose precision (and `1e308` would make totals infinite).
pub const MAX_WEIGHT: f64 = 100_000.0;

/// A file's name without folder and extension: the id an entity takes when it writes none.
pub fn stem_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// FNV-1a over `parts`, each ended by a byte no UTF-8 text holds: a hash that is the same on
/// every platform and Rust release, for fingerprints and cache keys that may outlive a process.
pub fn stable_hash<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part.iter().chain(&[0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// A commit that changed the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanCommit {
    /// Full commit id.
    pub id: String,
    /// Commit date, in the commit's own time zone (as `git log` shows it).
    pub date: Date,
}

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq)]
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

/// A plan file as read: its path relative to the plan root and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the plan root, `/`-separated.
    pub path: String,
    /// The text, shared with diagnostics that quote it.
    pub text: Arc<str>,
}

/// The lifecycle of a roadmap theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ThemeStatus {
    /// Considered, not committed.
    Proposed,
    /// Committed and being worked on.
    Active,
    /// Achieved.
    Done,
    /// Abandoned.
    Dropped,
}

impl ThemeStatus {
    /// Every theme status, in documented order.
    pub const ALL: [ThemeStatus; 4] = [
        ThemeStatus::Proposed,
        ThemeStatus::Active,
        ThemeStatus::Done,
        ThemeStatus::Dropped,
    ];

    /// Parses a status as written in a file.
    pub fn parse(s: &str) -> Option<ThemeStatus> {
        ThemeStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The spellings, for help lines: `proposed, active, done or dropped`.
    pub fn choices() -> String {
        "proposed, active, done or dropped".to_string()
    }

    /// The spelling used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeStatus::Proposed => "proposed",
            ThemeStatus::Active => "active",
            ThemeStatus::Done => "done",
            ThemeStatus::Dropped => "dropped",
        }
    }
}

/// Who may see a theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Visibility {
    /// Shown in every report.
    #[default]
    Public,
    /// Never in external reports.
    Internal,
}

/// A success metric: a business outcome, not a delivery count.
#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Debug, PartialEq)]
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
    /// Longer narrative.
    pub description: Option<String>,
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
}

/// The five built-in item statuses, onto which custom statuses map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Open, not started.
    Todo,
    /// Open, started.
    InProgress,
    /// Open, not started, waiting on something.
    Blocked,
    /// Complete.
    Done,
    /// Out of scope.
    Wontdo,
}

impl Category {
    /// All categories, in file spelling order.
    pub const ALL: [Category; 5] = [
        Category::Todo,
        Category::InProgress,
        Category::Blocked,
        Category::Done,
        Category::Wontdo,
    ];

    /// The spelling used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Todo => "todo",
            Category::InProgress => "in-progress",
            Category::Blocked => "blocked",
            Category::Done => "done",
            Category::Wontdo => "wontdo",
        }
    }

    /// Parses a built-in status name.
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Still to be done (todo, in progress or blocked).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Category::Todo | Category::InProgress | Category::Blocked
        )
    }
}

/// An item status as written, with the category it counts as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// As written (a built-in or a custom status from config).
    pub name: String,
    /// What it counts as.
    pub category: Category,
}

/// The kind of a backlog item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Kind {
    /// A large body of work broken into stories.
    Epic,
    /// A user-facing increment (the default).
    #[default]
    Story,
    /// A technical step.
    Task,
    /// A defect.
    Bug,
    /// Time-boxed research.
    Spike,
    /// Upkeep.
    Chore,
}

impl Kind {
    /// All kinds.
    pub const ALL: [Kind; 6] = [
        Kind::Epic,
        Kind::Story,
        Kind::Task,
        Kind::Bug,
        Kind::Spike,
        Kind::Chore,
    ];

    /// The spelling used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Epic => "epic",
            Kind::Story => "story",
            Kind::Task => "task",
            Kind::Bug => "bug",
            Kind::Spike => "spike",
            Kind::Chore => "chore",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A backlog item: the what and the how.
#[derive(Clone, Debug, PartialEq)]
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
    /// Who works on it.
    pub assignee: Option<Spanned<String>>,
    /// Items that must be done first.
    pub depends_on: Vec<Spanned<String>>,
    /// Acceptance criteria.
    pub acceptance: Vec<String>,
    /// User story text.
    pub description: Option<String>,
    /// Free labels.
    pub tags: Vec<String>,
    /// When it was finished.
    pub done_on: Option<Spanned<Date>>,
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
#[derive(Debug)]
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
pub type StatusMap = BTreeMap<String, Category>;

/// Whether `s` is a valid theme id: `[a-z0-9][a-z0-9-]*`.
pub fn is_theme_id(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// Whether `s` is a valid item id: `[A-Za-z][A-Za-z0-9_.-]*`, and not a path (`..` is refused).
pub fn is_item_id(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphabetic()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
        && !s.contains("..")
}

/// Orders ids as people read them: digit runs by value, so `BL-9` comes before `BL-10`.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
                let (nx, ny) = (run(x), run(y));
                let (dx, dy) = (&x[..nx], &y[..ny]);
                // Compare digit runs by value: strip leading zeros, then longer is larger.
                let strip = |s: &'_ [u8]| -> usize { s.iter().take_while(|&&b| b == b'0').count() };
                let (vx, vy) = (&dx[strip(dx)..], &dy[strip(dy)..]);
                let order = vx.len().cmp(&vy.len()).then_with(|| vx.cmp(vy));
                if order != std::cmp::Ordering::Equal {
                    return order;
                }
                (x, y) = (&x[nx..], &y[ny..]);
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                (x, y) = (&x[1..], &y[1..]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(stem_of("backlog/a/BL-1.yaml"), "BL-1");
        assert_eq!(stem_of("roadmap/x.y.yml"), "x.y");
    }

    #[test]
    fn natural_order_of_ids() {
        let mut ids = vec!["BL-10", "BL-9", "BL-100", "BL-09x", "A", "BL-2a", "BL-2"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            ids,
            vec!["A", "BL-2", "BL-2a", "BL-9", "BL-09x", "BL-10", "BL-100"]
        );
    }

    #[test]
    fn theme_ids() {
        for ok in ["security", "q3-2025", "2025", "a"] {
            assert!(is_theme_id(ok), "{ok}");
        }
        for bad in ["", "-x", "Security", "a_b", "a b", "a/b", "../x", "é"] {
            assert!(!is_theme_id(bad), "{bad}");
        }
    }

    #[test]
    fn item_ids() {
        for ok in ["BL-101", "a", "x.y_z-1", "Epic.2"] {
            assert!(is_item_id(ok), "{ok}");
        }
        for bad in ["", "1BL", "-x", "a/b", "../x", "a..b", "/abs", "BL 1", "ü"] {
            assert!(!is_item_id(bad), "{bad}");
        }
    }
}
