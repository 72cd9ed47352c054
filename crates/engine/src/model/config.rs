//! `roadlog.yaml` as data: every field optional, with the defaults filled in.

use std::collections::BTreeMap;

use super::{Category, Spanned, StatusMap};
use crate::diag::{Level, Rule};
use crate::model::Span;
use crate::time::Date;

/// Fields `roadlog.yaml` may carry, in documented order.
pub const CONFIG_FIELDS: &[&str] = &[
    "product",
    "id_prefix",
    "roadmap_dir",
    "backlog_dir",
    "schema_dir",
    "progress_by",
    "default_estimate",
    "review_cadence_days",
    "stale_item_days",
    "current_sprint",
    "sprints",
    "statuses",
    "people",
    "teams",
    "publish",
    "import",
    "rules",
];

/// Fields of the `import:` section, in documented order.
pub const IMPORT_FIELDS: &[&str] = &["folder", "statuses", "themes"];

/// How theme progress weighs leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ProgressBy {
    /// By story points, `default_estimate` for unestimated leaves.
    #[default]
    Estimate,
    /// Every leaf weighs 1.
    Count,
}

/// A sprint of the calendar.
#[derive(Clone, Debug, PartialEq)]
pub struct Sprint {
    /// Sprint id, as items name it in `sprint:`.
    pub id: String,
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
    /// Points the team can take on.
    pub capacity: Option<f64>,
    /// Where its `id` is written in `roadlog.yaml`.
    pub span: Span,
}

/// A sprint known by its id alone (a tracker export named it without dates): items may be planned
/// into it, and it is never the current sprint by date.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedSprint {
    /// Sprint id, as items name it in `sprint:`.
    pub id: String,
    /// Points the team can take on.
    pub capacity: Option<f64>,
    /// Where its `id` is written in `roadlog.yaml`.
    pub span: Span,
}

/// Someone who may be an assignee or an owner (`people:`).
#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    /// The key items name them by (`lee`).
    pub key: String,
    /// Their full name.
    pub name: Option<String>,
    /// Their email addresses: `list --mine` finds them by git's `user.email`.
    pub emails: Vec<String>,
    /// Points they can take on in a sprint.
    pub capacity: Option<f64>,
    /// Where the key is written in `roadlog.yaml`.
    pub span: Span,
}

/// A name for several people (`teams:`).
#[derive(Clone, Debug, PartialEq)]
pub struct Team {
    /// The team's name, as an assignee or owner may write it.
    pub name: String,
    /// The keys of its people.
    pub members: Vec<String>,
    /// Where the name is written in `roadlog.yaml`.
    pub span: Span,
}

/// The `import:` section: how `roadlog import` maps a tracker's export onto this plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportConfig {
    /// Where new items go, relative to the plan root (`backlog/<tracker>` when unset).
    pub folder: Option<String>,
    /// A tracker status name → a status of this plan.
    pub statuses: BTreeMap<String, Spanned<String>>,
    /// A label, epic key, component, project or milestone → a theme id.
    pub themes: BTreeMap<String, Spanned<String>>,
}

/// The plan's configuration, with defaults filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Shown in report headers.
    pub product: Option<String>,
    /// Prefix of allocated item ids.
    pub id_prefix: String,
    /// Folder of themes, relative to the plan root.
    pub roadmap_dir: String,
    /// Folder of backlog items, relative to the plan root.
    pub backlog_dir: String,
    /// Folder holding the files of `roadlog schema`, for the comment on files `roadlog new` makes.
    pub schema_dir: Option<String>,
    /// Weighing of progress.
    pub progress_by: ProgressBy,
    /// Weight of an unestimated leaf.
    pub default_estimate: f64,
    /// Days after which an active theme's review is stale.
    pub review_cadence_days: u32,
    /// Days after which an open item unchanged in git is stale.
    pub stale_item_days: u32,
    /// The current sprint, when set explicitly.
    pub current_sprint: Option<Spanned<String>>,
    /// The sprint calendar.
    pub sprints: Vec<Sprint>,
    /// Sprints known by id alone, without dates.
    pub named_sprints: Vec<NamedSprint>,
    /// How `roadlog import` maps a tracker's export.
    pub import: ImportConfig,
    /// Who may be an assignee or owner; empty when assignees are free text.
    pub people: Vec<Person>,
    /// Names for several people.
    pub teams: Vec<Team>,
    /// `publish.external_health`: the customers' page shows each theme's health verdict.
    pub external_health: bool,
    /// Custom statuses.
    pub statuses: StatusMap,
    /// Per-rule level overrides.
    pub rules: BTreeMap<Rule, Level>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            product: None,
            id_prefix: "BL".to_string(),
            roadmap_dir: "roadmap".to_string(),
            backlog_dir: "backlog".to_string(),
            schema_dir: None,
            progress_by: ProgressBy::Estimate,
            default_estimate: 1.0,
            review_cadence_days: 31,
            stale_item_days: 90,
            current_sprint: None,
            sprints: Vec::new(),
            named_sprints: Vec::new(),
            import: ImportConfig::default(),
            people: Vec::new(),
            teams: Vec::new(),
            external_health: false,
            statuses: StatusMap::new(),
            rules: BTreeMap::new(),
        }
    }
}

impl Config {
    /// The level of a rule after `rules:` overrides.
    pub fn level(&self, rule: Rule) -> Level {
        self.rules
            .get(&rule)
            .copied()
            .unwrap_or_else(|| rule.default_level())
    }

    /// The category an item status stands for: a built-in one, or one of the plan's `statuses`.
    pub(crate) fn category_of(&self, status: &str) -> Option<Category> {
        Category::parse(status).or_else(|| self.statuses.get(status).copied())
    }

    /// Every item status of this plan: the built-in ones, then the plan's own.
    pub fn status_names(&self) -> Vec<&str> {
        Category::ALL
            .iter()
            .map(|c| c.as_str())
            .chain(self.statuses.keys().map(String::as_str))
            .collect()
    }

    /// The person a name stands for: their key, whatever its case.
    pub fn person(&self, name: &str) -> Option<&Person> {
        self.people
            .iter()
            .find(|p| p.key.eq_ignore_ascii_case(name))
    }

    /// The team a name stands for, whatever its case.
    pub fn team(&self, name: &str) -> Option<&Team> {
        self.teams
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// The person whose email `email` is, whatever its case.
    pub fn person_by_email(&self, email: &str) -> Option<&Person> {
        self.people.iter().find(|p| {
            p.emails
                .iter()
                .any(|e| e.eq_ignore_ascii_case(email.trim()))
        })
    }

    /// Every sprint id of the calendar, dated or known by name, in the order written.
    pub fn sprint_ids(&self) -> Vec<&str> {
        self.sprints
            .iter()
            .map(|s| s.id.as_str())
            .chain(self.named_sprints.iter().map(|s| s.id.as_str()))
            .collect()
    }

    /// The current sprint id: `current_sprint`, else the calendar sprint containing `today`.
    pub fn current_sprint(&self, today: Date) -> Option<&str> {
        if let Some(s) = &self.current_sprint {
            return Some(&s.value);
        }
        self.sprints
            .iter()
            .find(|s| s.start <= today && today <= s.end)
            .map(|s| s.id.as_str())
    }
}
