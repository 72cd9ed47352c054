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
    /// Whether `roadlog set` changes it.
    pub settable: bool,
    /// A valid value as YAML, for tests that drive the reader and the schema from this table.
    pub sample: &'static str,
}

const fn field(
    name: &'static str,
    about: &'static str,
    settable: bool,
    sample: &'static str,
) -> Field {
    Field {
        name,
        about,
        settable,
        sample,
    }
}

/// A theme's fields, in documented order.
pub const THEME: &[Field] = &[
    field(
        "id",
        "Stable identifier; defaults to the file name",
        false,
        "core",
    ),
    field("title", "The headline", false, "Core platform"),
    field(
        "objective",
        "The business outcome: the why",
        false,
        "Keep it fast",
    ),
    field(
        "status",
        "proposed, active, done or dropped",
        true,
        "active",
    ),
    field(
        "horizon",
        "When: a quarter (2025-Q3), a month (2025-07), a range (2025-Q3..2026-Q1) or now/next/later",
        true,
        "2025-Q3",
    ),
    field("priority", "Rank among themes, 1 first", true, "1"),
    field("owner", "Who answers for it", false, "Dana"),
    field(
        "visibility",
        "public or internal; internal themes never appear in external reports",
        false,
        "internal",
    ),
    field(
        "metrics",
        "Success metrics: business outcomes",
        false,
        "[{name: Deal size, target: 67k}]",
    ),
    field(
        "reviewed",
        "Last strategic review, YYYY-MM-DD (`set … reviewed today`)",
        true,
        "2025-08-01",
    ),
    field("tags", "Free labels", false, "[bet]"),
    field(
        "description",
        "A longer narrative",
        false,
        "Why this matters",
    ),
];

/// A backlog item's fields, in documented order.
pub const ITEM: &[Field] = &[
    field(
        "id",
        "Identifier; defaults to the file name (required in multi-item files)",
        false,
        "A-1",
    ),
    field("title", "One-line summary", false, "Sign-in with SAML"),
    field(
        "kind",
        "epic, story, task, bug, spike or chore (default story)",
        false,
        "task",
    ),
    field(
        "status",
        "todo, in-progress, blocked, done, wontdo, or a custom status",
        true,
        "todo",
    ),
    field("theme", "The roadmap theme this item serves", true, "core"),
    field(
        "parent",
        "The item this one breaks down; the theme is inherited from it",
        true,
        "E-1",
    ),
    field("estimate", "Story points", true, "3"),
    field("priority", "Rank in the backlog, 1 first", true, "2"),
    field("sprint", "Sprint id", true, "S1"),
    field("assignee", "Who works on it", true, "jun"),
    field(
        "depends_on",
        "Items that must be done first",
        false,
        "[B-1]",
    ),
    field("acceptance", "Acceptance criteria", false, "[It works]"),
    field("description", "E.g. the user story", false, "As a user…"),
    field("tags", "Free labels", false, "[ux]"),
    field(
        "done_on",
        "When it was finished, YYYY-MM-DD, not after today",
        false,
        "2025-08-01",
    ),
    field(
        "reviewed",
        "Last checked against its theme's why and when, YYYY-MM-DD (`set … reviewed today`); a later change of the theme's aim makes it suspect",
        true,
        "2025-08-01",
    ),
];

/// The names of `fields`, in order.
pub fn names(fields: &[Field]) -> Vec<&'static str> {
    fields.iter().map(|f| f.name).collect()
}

/// The names of the fields `set` changes.
pub fn settable(fields: &[Field]) -> Vec<&'static str> {
    fields
        .iter()
        .filter(|f| f.settable)
        .map(|f| f.name)
        .collect()
}

/// The field called `name`.
pub fn find(fields: &[Field], name: &str) -> Option<Field> {
    fields.iter().copied().find(|f| f.name == name)
}
