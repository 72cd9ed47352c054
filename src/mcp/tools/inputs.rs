//! The tools' inputs: each a struct whose JSON Schema (from schemars) and doc comments tell an
//! agent what to send. Each rejects fields it does not know, so a typo is named, not ignored.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckInput {
    /// `error` for errors only; anything else (or nothing) gives warnings too.
    pub(super) severity: Option<String>,
    /// Only the findings in these files (paths under the plan root, as the findings name them).
    pub(super) files: Option<Vec<String>>,
}

#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListInput {
    /// List themes instead of backlog items.
    #[serde(default)]
    pub(super) themes: bool,
    /// Items serving this theme (directly or through a parent).
    pub(super) theme: Option<String>,
    /// Items with this status (built-in or custom).
    pub(super) status: Option<String>,
    /// Only open items (todo, in progress, blocked).
    #[serde(default)]
    pub(super) open: bool,
    /// Items of this kind: epic, story, task, bug, spike, chore.
    pub(super) kind: Option<String>,
    /// Items assigned to this person.
    pub(super) assignee: Option<String>,
    /// Items in this sprint.
    pub(super) sprint: Option<String>,
    /// Items with this tag.
    pub(super) tag: Option<String>,
    /// Only items waiting on an open dependency.
    #[serde(default)]
    pub(super) blocked: bool,
    /// Only items with no estimate.
    #[serde(default)]
    pub(super) unestimated: bool,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct IdInput {
    /// A theme or item id, e.g. `enterprise-security` or `BL-214`.
    pub(super) id: String,
}

#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProgressInput {
    /// Include done and dropped themes.
    #[serde(default)]
    pub(super) all: bool,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportInput {
    /// Who the report is for: `exec` (themes and health), `team` (the sprint), `pm` (the gaps).
    pub(super) audience: Audience,
    /// For `exec`: only what the plan marks public, for people outside the company.
    #[serde(default)]
    pub(super) external: bool,
}

#[derive(Deserialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Audience {
    Exec,
    Team,
    Pm,
}

#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoInput {}

#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ForecastInput {
    /// Themes whose remaining work waits until every other theme is done.
    #[serde(default)]
    pub(super) defer: Vec<String>,
    /// Themes or items dropped from the plan.
    #[serde(default)]
    pub(super) drop: Vec<String>,
    /// The team's throughput scaled by this factor (0.8 = a fifth less).
    pub(super) capacity: Option<f64>,
    /// Work added to themes, as `THEME=WEIGHT`, e.g. `mobile-experience=10`.
    #[serde(default)]
    pub(super) add: Vec<String>,
}

#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct DiffInput {
    /// The git revision to compare from (default: the merge base with the default branch, as
    /// `roadlog diff` picks it).
    pub(super) base: Option<String>,
    /// The revision to compare to (default: the working tree).
    pub(super) head: Option<String>,
}

#[derive(Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct HistoryInput {
    /// One point per `day`, `week` (the default), `month` or `commit`.
    pub(super) every: Option<String>,
    /// Only from this date on (YYYY-MM-DD).
    pub(super) since: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SetInput {
    /// The theme or item to change.
    pub(super) id: String,
    /// The field, e.g. `status`, `estimate`, `theme`, `depends_on`.
    pub(super) field: String,
    /// The new value (for a list field, the whole list as YAML flow, e.g. `[BL-1, BL-2]`).
    pub(super) value: Option<String>,
    /// An entry to add to a list field.
    pub(super) add: Option<String>,
    /// An entry to remove from a list field.
    pub(super) remove: Option<String>,
    /// Remove the field.
    #[serde(default)]
    pub(super) unset: bool,
    /// Show the change and the findings it would add, and write nothing.
    #[serde(default)]
    pub(super) dry_run: bool,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RenameInput {
    /// The id now.
    pub(super) old: String,
    /// The id to give it (of the same kind: a theme id for a theme, an item id for an item).
    pub(super) new: String,
    /// Show the files that would change, and write nothing.
    #[serde(default)]
    pub(super) dry_run: bool,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewItemInput {
    /// The headline.
    pub(super) title: String,
    /// epic, story (the default), task, bug, spike or chore.
    pub(super) kind: Option<String>,
    /// The status (todo unless given; a custom status of the plan works too).
    pub(super) status: Option<String>,
    /// The theme it serves (an item under a parent may leave it to the parent).
    pub(super) theme: Option<String>,
    /// The item it breaks down.
    pub(super) parent: Option<String>,
    /// Its estimate, in the plan's points.
    pub(super) estimate: Option<f64>,
    /// Its rank in the backlog, 1 first.
    pub(super) priority: Option<u32>,
    /// The sprint id it is planned in.
    pub(super) sprint: Option<String>,
    /// Who works on it.
    pub(super) assignee: Option<String>,
    /// Items that must be done first.
    #[serde(default)]
    pub(super) depends_on: Vec<String>,
    /// Acceptance criteria, one per entry.
    #[serde(default)]
    pub(super) acceptance: Vec<String>,
    /// Free labels.
    #[serde(default)]
    pub(super) tags: Vec<String>,
    /// A sub-folder of the backlog to put it in, e.g. `mobile`.
    pub(super) dir: Option<String>,
    /// Show the file it would create and the findings it would add, and write nothing.
    #[serde(default)]
    pub(super) dry_run: bool,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewThemeInput {
    /// The theme id: lowercase letters, digits and `-`, e.g. `data-residency`.
    pub(super) id: String,
    /// The headline.
    pub(super) title: String,
    /// Why: the outcome it is for.
    pub(super) objective: String,
    /// When: a quarter (`2026-Q3`), a month, a range (`2026-Q3..2026-Q4`), now, next, later or
    /// ongoing. Needed for a proposed or active theme.
    pub(super) horizon: Option<String>,
    /// proposed (the default), active, done or dropped.
    pub(super) status: Option<String>,
    /// Its rank among themes, 1 first.
    pub(super) priority: Option<u32>,
    /// Who answers for it.
    pub(super) owner: Option<String>,
    /// Success metrics, each `name: baseline -> target` or `name: target`.
    #[serde(default)]
    pub(super) metrics: Vec<String>,
    /// Show the file it would create and the findings it would add, and write nothing.
    #[serde(default)]
    pub(super) dry_run: bool,
}
