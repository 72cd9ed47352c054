//! JSON Schemas of the plan files, for editors with a YAML language server.
//!
//! Built from the loader's own field lists, enums and id patterns; a test checks that every field
//! the loader accepts has a schema and nothing else does, so the two cannot drift.
#![allow(
    clippy::indexing_slicing,
    reason = "the JSON values indexed are objects this module builds"
)]

use serde_json::{Value, json};

use crate::diag::Rule;
use crate::model::fields::{self, Field};
use crate::model::{Category, Kind, MAX_WEIGHT, StatusMap, ThemeStatus, Visibility};

const DRAFT: &str = "http://json-schema.org/draft-07/schema#";
use crate::model::{ITEM_ID_PATTERN as ITEM_ID, THEME_ID_PATTERN as THEME_ID};
const DATE: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
const PERIOD: &str = "[0-9]{4}-(Q[1-4]|0[1-9]|1[0-2])";

/// A scalar written as text; roadlog reads plain numbers and booleans as written, too.
fn text(description: &str) -> Value {
    json!({"type": ["string", "number", "boolean"], "description": description})
}

fn text_list(description: &str) -> Value {
    json!({"type": "array", "items": {"type": ["string", "number", "boolean"]}, "description": description})
}

fn item_id(description: &str) -> Value {
    json!({"type": "string", "pattern": ITEM_ID, "not": {"pattern": "\\.\\."}, "description": description})
}

fn horizon() -> Value {
    json!({
        "type": "string",
        "pattern": format!("^(now|next|later|ongoing|{PERIOD}(\\.\\.{PERIOD})?)$"),
        "description": "When: a quarter (2025-Q3), a month (2025-07), a range (2025-Q3..2026-Q1), now/next/later, or ongoing for a standing mandate",
    })
}

fn object(title: &str, description: &str, properties: Value, required: &[&str]) -> Value {
    json!({
        "$schema": DRAFT,
        "title": title,
        "description": description,
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties,
    })
}

/// The properties of a schema, one per field of `table`, each typed by `typed` and described by
/// the table, so schema, reader and `--help` say the same.
fn properties(table: &[Field], typed: impl Fn(&str) -> Value) -> Value {
    let mut map = serde_json::Map::new();
    for f in table {
        let mut schema = typed(f.name);
        schema["description"] = json!(f.about);
        map.insert(f.name.to_string(), schema);
    }
    Value::Object(map)
}

/// The schema of a roadmap theme file.
pub fn theme() -> Value {
    let typed = |name: &str| match name {
        "id" => json!({"type": ["string", "number"], "pattern": THEME_ID}),
        "status" => {
            json!({"enum": ThemeStatus::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>()})
        }
        "horizon" => horizon(),
        "priority" => json!({"type": "integer", "minimum": 1}),
        "visibility" => json!({"enum": Visibility::ALL.map(Visibility::as_str)}),
        "metrics" => json!({
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["name", "target"],
                "properties": {
                    "name": text("What is measured"),
                    "target": text("Where it should get to"),
                    "current": text("Where it is"),
                    "baseline": text("Where it started"),
                },
            },
        }),
        "reviewed" => json!({"type": "string", "pattern": DATE}),
        "tags" => text_list(""),
        "aliases" => json!({"type": "array", "items": {"type": "string", "pattern": THEME_ID}}),
        "parent" => {
            json!({"type": ["string", "number"], "pattern": THEME_ID, "description": "The initiative: another theme"})
        }
        _ => text(""),
    };
    let mut schema = object(
        "roadlog theme",
        "A roadmap theme: the why and the when. Backlog detail belongs on items that name this theme.",
        properties(fields::THEME, typed),
        fields::THEME_REQUIRED,
    );
    schema["if"] = json!({"properties": {"status": {"enum": [ThemeStatus::Proposed.as_str(), ThemeStatus::Active.as_str()]}}, "required": ["status"]});
    schema["then"] = json!({"required": ["horizon"]});
    schema
}

/// The schema of a backlog item (each document of an item file), with `statuses` from the plan's
/// config accepted beside the built-in ones.
pub fn item(statuses: &StatusMap) -> Value {
    let mut names: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    names.extend(statuses.keys().map(String::as_str));
    let typed = |name: &str| match name {
        "id" | "parent" => item_id(""),
        "kind" => json!({"enum": Kind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>()}),
        "status" => json!({"enum": names}),
        "theme" => json!({"type": ["string", "number"], "pattern": THEME_ID}),
        "estimate" => json!({"type": "number", "minimum": 0, "maximum": MAX_WEIGHT}),
        "priority" => json!({"type": "integer", "minimum": 1}),
        "depends_on" => {
            json!({"type": "array", "items": item_id("An item that must be done first")})
        }
        "aliases" => json!({"type": "array", "items": item_id("An old id")}),
        "related" => json!({"type": "array", "items": {"type": ["string", "number"]}}),
        "assignee" => json!({"anyOf": [text(""), text_list("")]}),
        "acceptance" | "tags" => text_list(""),
        "done_on" | "reviewed" => json!({"type": "string", "pattern": DATE}),
        "source" => json!({"type": "string", "pattern": crate::model::SOURCE_PATTERN}),
        "counts" => json!({"type": "boolean"}),
        _ => text(""),
    };
    object(
        "roadlog backlog item",
        "A backlog item: the what and the how. It traces to the roadmap through `theme` or its parent.",
        properties(fields::ITEM, typed),
        fields::ITEM_REQUIRED,
    )
}

/// The schema of `roadlog.yaml`.
pub fn config() -> Value {
    let levels = json!({"enum": ["error", "warn", "off"]});
    let rules: serde_json::Map<String, Value> = Rule::ALL
        .iter()
        .map(|r| (r.code().to_string(), levels.clone()))
        .collect();
    let categories: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    let dir = |d: &str| json!({"type": "string", "description": d});
    let mut schema = object(
        "roadlog configuration",
        "roadlog.yaml: marks the plan root. Every field is optional.",
        json!({
            "product": text("Shown in report headers"),
            "id_prefix": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_.]*$", "description": "New items get <prefix>-<number>"},
            "roadmap_dir": dir("Folder of themes, relative to roadlog.yaml"),
            "backlog_dir": dir("Folder of backlog items, relative to roadlog.yaml"),
            "schema_dir": dir("Folder holding theme.schema.json and item.schema.json; `roadlog new` points new files at them"),
            "progress_by": {"enum": ["estimate", "count"]},
            "default_estimate": {"type": "number", "minimum": 0, "description": "Weight of an unestimated leaf"},
            "review_cadence_days": {"type": "integer", "minimum": 1},
            "stale_item_days": {"type": "integer", "minimum": 1},
            "current_sprint": text("The current sprint; else the calendar sprint covering today"),
            "sprints": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["id"],
                    "dependencies": {"start": ["end"], "end": ["start"]},
                    "properties": {
                        "id": text("Sprint id"),
                        "start": {"type": "string", "pattern": DATE},
                        "end": {"type": "string", "pattern": DATE},
                        "capacity": {"type": "number", "minimum": 0},
                    },
                },
            },
            "statuses": {
                "type": "object",
                "description": "Custom item statuses and the built-in status each counts as",
                "additionalProperties": {"enum": categories},
                "propertyNames": {"not": {"enum": categories}},
            },
            "people": {
                "type": ["object", "null"],
                "description": "Who may be an assignee or owner, by the key items name them with",
                "additionalProperties": {
                    "type": ["object", "null"],
                    "additionalProperties": false,
                    "properties": {
                        "name": text("Full name"),
                        "email": {"anyOf": [text("Email (git's user.email, for list --mine)"), text_list("Emails")]},
                        "capacity": {"type": "number", "minimum": 0, "description": "Points they can take on in a sprint"},
                    },
                },
            },
            "teams": {
                "type": ["object", "null"],
                "description": "A name for several people: an assignee or owner may name the team",
                "additionalProperties": text_list("The keys of its people"),
            },
            "publish": {
                "type": ["object", "null"],
                "additionalProperties": false,
                "properties": {
                    "external_health": {"type": "boolean", "description": "The customers' page (`publish --external`) shows each theme's health verdict"},
                },
            },
            "import": {
                "type": ["object", "null"],
                "description": "How `roadlog import` maps a tracker's export onto this plan",
                "additionalProperties": false,
                "properties": {
                    "folder": dir("Where imported items are created, relative to roadlog.yaml (default backlog/<tracker>)"),
                    "statuses": {
                        "type": "object",
                        "description": "A tracker status name and the status of this plan it becomes",
                        "additionalProperties": {"type": "string"},
                    },
                    "themes": {
                        "type": "object",
                        "description": "A label, epic key, component, project or milestone and the theme its items serve",
                        "additionalProperties": {"type": "string", "pattern": THEME_ID},
                    },
                },
            },
            "rules": {"type": "object", "additionalProperties": false, "properties": rules},
        }),
        &[],
    );
    schema["type"] = json!(["object", "null"]);
    schema
}

/// The field names a schema declares, in order (what the tests compare with the model's fields).
#[cfg(test)]
pub(crate) fn field_names(schema: &Value) -> Vec<&str> {
    schema["properties"]
        .as_object()
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CONFIG_FIELDS;

    fn sorted(mut v: Vec<&str>) -> Vec<&str> {
        v.sort_unstable();
        v
    }

    #[test]
    fn schemas_declare_exactly_the_fields_the_loader_reads() {
        assert_eq!(
            sorted(field_names(&theme())),
            sorted(fields::names(fields::THEME))
        );
        assert_eq!(
            sorted(field_names(&item(&StatusMap::new()))),
            sorted(fields::names(fields::ITEM))
        );
        assert_eq!(
            sorted(field_names(&config())),
            sorted(CONFIG_FIELDS.to_vec())
        );
        let rules = config()["properties"]["rules"]["properties"]
            .as_object()
            .expect("rules")
            .len();
        assert_eq!(rules, Rule::ALL.len());
    }

    #[test]
    fn custom_statuses_join_the_item_status_enum() {
        let mut statuses = StatusMap::new();
        statuses.insert("review".into(), Category::InProgress);
        let schema = item(&statuses);
        assert_eq!(
            schema["properties"]["status"]["enum"]
                .as_array()
                .expect("enum")
                .last(),
            Some(&json!("review"))
        );
    }
}
