//! A tracker's words in the plan's: statuses and kinds, each through `import:` in
//! `roadlog.yaml` first, then what the tracker says of it, then the names everyone uses.

use super::{Record, Warning};
use crate::model::{Category, Config, Kind};

/// The plan status a record's status becomes, and a warning when nothing mapped it.
pub(super) fn status(config: &Config, record: &Record) -> (String, Option<Warning>) {
    if let Some(to) = config.import.statuses.get(&record.status) {
        return (to.value.clone(), None);
    }
    if config.category_of(&record.status).is_some() {
        return (record.status.clone(), None);
    }
    if let Some(c) = record.category.or_else(|| evident_category(&record.status)) {
        return (c.as_str().to_string(), None);
    }
    let warning = Warning {
        message: format!(
            "status `{}` is not mapped, so {} is `todo`; map it under `import: statuses:` in \
             roadlog.yaml, e.g. `{}: in-progress`",
            record.status,
            record.key,
            crate::yaml::flow_scalar(&record.status)
        ),
        line: record.line,
    };
    ("todo".to_string(), Some(warning))
}

/// A tracker's name as it is compared: letters and digits only, lower case (`Won't Do` is
/// `wontdo`, `Sub-task` is `subtask`).
fn squashed(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The category a status name plainly stands for (`To Do`, `In Progress`, `Closed`), whatever
/// its case and spacing.
pub fn evident_category(name: &str) -> Option<Category> {
    Some(match squashed(name).as_str() {
        "todo"
        | "open"
        | "new"
        | "backlog"
        | "selectedfordevelopment"
        | "ready"
        | "triage"
        | "unstarted" => Category::Todo,
        "inprogress" | "started" | "doing" | "indevelopment" => Category::InProgress,
        "blocked" | "onhold" => Category::Blocked,
        "done" | "closed" | "resolved" | "completed" | "complete" | "fixed" => Category::Done,
        "wontdo" | "wontfix" | "canceled" | "cancelled" | "duplicate" | "notplanned"
        | "rejected" => Category::Wontdo,
        _ => return None,
    })
}

/// The kind a tracker's issue type stands for.
pub fn kind_of(name: &str) -> Option<Kind> {
    Some(match squashed(name).as_str() {
        "epic" => Kind::Epic,
        "story" | "userstory" | "feature" => Kind::Story,
        "task" | "subtask" | "technicaltask" => Kind::Task,
        "bug" | "defect" | "incident" => Kind::Bug,
        "spike" | "research" => Kind::Spike,
        "chore" | "improvement" => Kind::Chore,
        _ => return None,
    })
}

/// The theme `import.themes` maps the record to: the first of its groups that has a mapping.
pub(super) fn theme<'c>(config: &'c Config, record: &Record) -> Option<&'c str> {
    record
        .groups
        .iter()
        .find_map(|g| config.import.themes.get(g))
        .map(|t| t.value.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evident_statuses_and_kinds() {
        assert_eq!(evident_category("To Do"), Some(Category::Todo));
        assert_eq!(evident_category("IN_PROGRESS"), Some(Category::InProgress));
        assert_eq!(evident_category("Won't Do"), Some(Category::Wontdo));
        assert_eq!(evident_category("Ready for QA"), None);
        assert_eq!(kind_of("Sub-task"), Some(Kind::Task));
        assert_eq!(kind_of("Epic"), Some(Kind::Epic));
        assert_eq!(kind_of("Initiative"), None);
    }

    #[test]
    fn a_configured_status_wins_and_an_unknown_one_is_todo_with_a_warning() {
        let mut config = Config::default();
        config.import.statuses.insert(
            "Done".into(),
            crate::model::Spanned::new("wontdo".into(), crate::model::Span::default()),
        );
        let record = |s: &str| Record {
            status: s.into(),
            key: "PAY-1".into(),
            line: Some(3),
            ..Record::default()
        };
        assert_eq!(status(&config, &record("Done")).0, "wontdo");
        assert_eq!(status(&config, &record("In Progress")).0, "in-progress");
        let (to, warning) = status(&config, &record("Ready for QA"));
        assert_eq!(to, "todo");
        let warning = warning.expect("a warning");
        assert_eq!(warning.line, Some(3));
        assert!(
            warning.message.contains("`Ready for QA: in-progress`"),
            "{}",
            warning.message
        );
    }
}
