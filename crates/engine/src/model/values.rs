//! The fixed vocabularies of plan files: theme statuses, visibility, item status categories and
//! kinds, each defined once with its spellings.

use std::fmt;

/// The lifecycle of a roadmap theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ThemeStatus {
    /// Considered, not committed.
    Proposed,
    /// Committed and being worked on.
    Active,
    /// Achieved.
    Done,
    /// Abandoned.
    Dropped,
    /// A time-boxed theme whose period ended: never overdue, never done.
    Closed,
}

impl ThemeStatus {
    /// Every theme status, in documented order.
    pub const ALL: [ThemeStatus; 5] = [
        ThemeStatus::Proposed,
        ThemeStatus::Active,
        ThemeStatus::Done,
        ThemeStatus::Dropped,
        ThemeStatus::Closed,
    ];

    /// Parses a status as written in a file.
    pub fn parse(s: &str) -> Option<ThemeStatus> {
        ThemeStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The spellings, for help lines: `proposed, active, done, dropped or closed`.
    pub fn choices() -> String {
        "proposed, active, done, dropped or closed".to_string()
    }

    /// Whether no more work is meant to happen under it: done, dropped, or closed (its period
    /// ended). Open work under such a theme is `inactive-theme-work`, and it gets no forecast.
    pub fn is_over(self) -> bool {
        matches!(
            self,
            ThemeStatus::Done | ThemeStatus::Dropped | ThemeStatus::Closed
        )
    }

    /// The spelling used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeStatus::Proposed => "proposed",
            ThemeStatus::Active => "active",
            ThemeStatus::Done => "done",
            ThemeStatus::Dropped => "dropped",
            ThemeStatus::Closed => "closed",
        }
    }
}

/// Who may see a theme.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Visibility {
    /// Shown in every report.
    #[default]
    Public,
    /// Never in external reports.
    Internal,
}

impl Visibility {
    /// Both visibilities, in documented order.
    pub const ALL: [Visibility; 2] = [Visibility::Public, Visibility::Internal];

    /// The spelling used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Internal => "internal",
        }
    }
}

/// The five built-in item statuses, onto which custom statuses map.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
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
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Status {
    /// As written (a built-in or a custom status from config).
    pub name: String,
    /// What it counts as.
    pub category: Category,
}

/// The kind of a backlog item.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
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
