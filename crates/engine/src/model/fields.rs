//! The one table of the fields of themes and items: the reader's known keys and their order,
//! the schema's properties and descriptions, which fields `set` changes and its `--help` all come
//! from here, so they cannot drift apart.

/// A field of a plan file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// The key, as written in files.
    pub name: &'static str,
    /// What it holds, for the schema and `--help`.
    pub about: &'static str,
    /// How `roadlog set` edits it.
    pub edit: Edit,
    /// A valid value as YAML, for tests that drive the reader and the schema from this table.
    pub sample: &'static str,
}

/// How `roadlog set` edits a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Not at all: edited by hand (ids, structured values).
    No,
    /// A one-line value, set or unset.
    Value,
    /// A list, an entry at a time (`--add`, `--remove`).
    List,
}

const fn field(name: &'static str, about: &'static str, edit: Edit, sample: &'static str) -> Field {
    Field {
        name,
        about,
        edit,
        sample,
    }
}

/// A theme's fields, in documented order.
pub const THEME: &[Field] = &[
    field(
        "id",
        "Stable identifier; defaults to the file name",
        Edit::No,
        "core",
    ),
    field("title", "The headline", Edit::Value, "Core platform"),
    field(
        "objective",
        "The business outcome: the why",
        Edit::Value,
        "Keep it fast",
    ),
    field(
        "status",
        "proposed, active, done, dropped, or closed (a time-boxed theme whose period ended: never overdue, never done)",
        Edit::Value,
        "active",
    ),
    field(
        "horizon",
        "When: a quarter (2025-Q3), a month (2025-07), a range (2025-Q3..2026-Q1), now/next/later, or ongoing for a standing mandate",
        Edit::Value,
        "2025-Q3",
    ),
    field("priority", "Rank among themes, 1 first", Edit::Value, "1"),
    field("owner", "Who answers for it", Edit::Value, "Dana"),
    field(
        "visibility",
        "public or internal; internal themes never appear in external reports",
        Edit::Value,
        "internal",
    ),
    field(
        "metrics",
        "Success metrics: business outcomes",
        Edit::No,
        "[{name: Deal size, target: 67k}]",
    ),
    field(
        "reviewed",
        "Last strategic review, YYYY-MM-DD (`set … reviewed today`)",
        Edit::Value,
        "2025-08-01",
    ),
    field("tags", "Free labels", Edit::List, "[bet]"),
    field(
        "aliases",
        "Ids it was known by before a rename (`roadlog rename` keeps them), so history and references follow it",
        Edit::List,
        "[old-core]",
    ),
    field(
        "description",
        "A longer narrative",
        Edit::Value,
        "Why this matters",
    ),
    field(
        "parent",
        "The initiative this theme belongs to: another theme, at most 4 levels deep; progress rolls up",
        Edit::Value,
        "platform",
    ),
];

/// A backlog item's fields, in documented order.
pub const ITEM: &[Field] = &[
    field(
        "id",
        "Identifier; defaults to the file name (required in multi-item files)",
        Edit::No,
        "A-1",
    ),
    field(
        "title",
        "One-line summary",
        Edit::Value,
        "Sign-in with SAML",
    ),
    field(
        "kind",
        "epic, story, task, bug, spike or chore (default story)",
        Edit::Value,
        "task",
    ),
    field(
        "status",
        "todo, in-progress, blocked, done, wontdo, or a custom status",
        Edit::Value,
        "todo",
    ),
    field(
        "theme",
        "The roadmap theme this item serves",
        Edit::Value,
        "core",
    ),
    field(
        "parent",
        "The item this one breaks down; the theme is inherited from it",
        Edit::Value,
        "E-1",
    ),
    field("estimate", "Story points", Edit::Value, "3"),
    field("priority", "Rank in the backlog, 1 first", Edit::Value, "2"),
    field("sprint", "Sprint id", Edit::Value, "S1"),
    field(
        "assignee",
        "Who works on it: a name, or a list of names",
        Edit::Value,
        "jun",
    ),
    field(
        "depends_on",
        "Items that must be done first",
        Edit::List,
        "[B-1]",
    ),
    field(
        "related",
        "Themes or items linked for reference (see also, supersedes); never a dependency",
        Edit::List,
        "[B-1]",
    ),
    field(
        "acceptance",
        "Acceptance criteria",
        Edit::List,
        "[It works]",
    ),
    field(
        "description",
        "E.g. the user story",
        Edit::Value,
        "As a user…",
    ),
    field("tags", "Free labels", Edit::List, "[ux]"),
    field(
        "aliases",
        "Ids it was known by before a rename (`roadlog rename` keeps them), so history and references follow it",
        Edit::List,
        "[A-0]",
    ),
    field(
        "done_on",
        "When it was finished, YYYY-MM-DD, not after today",
        Edit::Value,
        "2025-08-01",
    ),
    field(
        "reviewed",
        "Last checked against its theme's why and when, YYYY-MM-DD (`set … reviewed today`); a later change of the theme's aim makes it suspect",
        Edit::Value,
        "2025-08-01",
    ),
    field(
        "source",
        "The tracker record this item mirrors: github:OWNER/REPO#N, jira:KEY or linear:KEY (`roadlog import` keeps it in step)",
        Edit::No,
        "jira:PAY-12",
    ),
    field(
        "counts",
        "false for a standing commitment (support, reviews): traced and listed, never weighed in progress, alignment or forecasts",
        Edit::Value,
        "false",
    ),
];

/// The fields a theme must have (the schema's `required`; `set --unset` refuses them).
pub const THEME_REQUIRED: &[&str] = &["title", "objective", "status"];

/// The fields an item must have.
pub const ITEM_REQUIRED: &[&str] = &["title", "status"];

/// The names of `fields`, in order.
pub fn names(fields: &[Field]) -> Vec<&'static str> {
    fields.iter().map(|f| f.name).collect()
}

/// The names of the fields `set` edits in the way `edit` says.
pub fn editable(fields: &[Field], edit: Edit) -> Vec<&'static str> {
    fields
        .iter()
        .filter(|f| f.edit == edit)
        .map(|f| f.name)
        .collect()
}

/// The field called `name`.
pub fn find(fields: &[Field], name: &str) -> Option<Field> {
    fields.iter().copied().find(|f| f.name == name)
}
