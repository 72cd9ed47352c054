//! Jira's "Export CSV (all fields)": one row per issue under a header whose multi-valued fields
//! repeat their column; parents by issue id (`Parent`, `Parent id`) or by key (`Custom field
//! (Epic Link)` on older sites); dates in the exporting user's format.

use std::collections::HashMap;

use roadlog_engine::Error;
use roadlog_engine::import::{
    Carried, Export, Record, SprintRef, Tracker, evident_category, kind_of,
};
use roadlog_engine::model::Category;

use super::dates::DateFormat;
use super::table::Table;
use super::{bad, keyed, non_empty, number};

const EXPORT: &str = "a Jira CSV export (\"Export CSV (all fields)\")";
const POINTS: [&str; 2] = [
    "Custom field (Story Points)",
    "Custom field (Story point estimate)",
];

/// What the status category says, except that Jira files "Won't Do" and its kin under Done: a
/// resolution that says the work was not done makes it `wontdo`.
fn category_of(category: Option<&str>, resolution: Option<&str>) -> Option<Category> {
    let category = category.and_then(evident_category)?;
    let not_done = resolution.and_then(evident_category) == Some(Category::Wontdo)
        || resolution.is_some_and(|r| r.eq_ignore_ascii_case("Cannot Reproduce"));
    Some(if category == Category::Done && not_done {
        Category::Wontdo
    } else {
        category
    })
}

pub(crate) fn read(file: &str, bytes: &[u8], dates: &DateFormat) -> Result<Export, Error> {
    let table = Table::read(file, bytes)?;
    let key = table.required(file, "Issue key", EXPORT)?;
    let summary = table.required(file, "Summary", EXPORT)?;
    let col = |name: &str| table.columns(name);
    let (issue_id, issue_type, status, category) = (
        col("Issue id"),
        col("Issue Type"),
        col("Status"),
        col("Status Category"),
    );
    let resolution = col("Resolution");
    let (assignee, resolved, labels, sprint) = (
        col("Assignee"),
        col("Resolved"),
        col("Labels"),
        col("Sprint"),
    );
    let (components, description, epic_link) = (
        col("Component/s"),
        col("Description"),
        col("Custom field (Epic Link)"),
    );
    let parent: Vec<usize> = col("Parent").into_iter().chain(col("Parent id")).collect();
    let points: Vec<usize> = POINTS.iter().flat_map(|p| col(p)).collect();
    // Issue id → key, for parents named by id.
    let keys: HashMap<&str, &str> = table
        .rows()
        .iter()
        .filter_map(|row| Some((row.first(&issue_id)?, row.at(key))))
        .collect();
    let mut records = Vec::with_capacity(table.rows().len());
    for row in table.rows() {
        let line = Some(row.line);
        let (k, source) = keyed(file, row, key, Tracker::Jira, "Issue key", "PAY-12")?;
        let title = non_empty(row.at(summary)).unwrap_or_else(|| k.clone());
        let date = |columns: &[usize], name: &str| -> Result<_, Error> {
            let Some(text) = row.first(columns) else {
                return Ok(None);
            };
            dates.date(text).map(Some).ok_or_else(|| {
                bad(
                    file,
                    line,
                    format!(
                        "`{name}` is `{text}`, which does not read as `{}`",
                        dates.pattern()
                    ),
                )
                .with_help(
                    "Jira writes dates in the exporting user's format: pass it with \
                     --date-format, e.g. --date-format \"yyyy-MM-dd HH:mm\"",
                )
            })
        };
        let done_on = date(&resolved, "Resolved")?;
        let parent_key = match row.first(&parent) {
            Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => {
                match keys.get(p) {
                    Some(k) => Some((*k).to_string()),
                    None => {
                        return Err(bad(
                        file,
                        line,
                        format!(
                            "{k}'s parent is issue id {p}, which is not in this export, so its key \
                             is unknown"
                        ),
                    )
                    .with_help("export the parent issue too (widen the filter), then import again"));
                    }
                }
            }
            Some(p) => Some(p.to_string()),
            None => row.first(&epic_link).map(str::to_string),
        };
        let kind_name = row.first(&issue_type).map(str::to_string);
        // An epic's own key maps it (and, through it, its issues) to a theme.
        let mut groups = row.all(&labels);
        if kind_name.as_deref().and_then(kind_of) == Some(roadlog_engine::model::Kind::Epic) {
            groups.push(k.clone());
        }
        groups.extend(parent_key.clone());
        groups.extend(row.all(&components));
        let estimate = number(file, row.line, row.first(&points), "story points")?;
        records.push(Record {
            line,
            source,
            key: k,
            title,
            status: row.first(&status).unwrap_or("To Do").to_string(),
            category: category_of(row.first(&category), row.first(&resolution)),
            kind: kind_name.as_deref().and_then(kind_of),
            kind_name,
            assignees: row
                .first(&assignee)
                .map(str::to_string)
                .into_iter()
                .collect(),
            estimate,
            // The last sprint is the one the issue is in now.
            sprint: row
                .all(&sprint)
                .pop()
                .map(|name| SprintRef { name, dates: None }),
            parent: parent_key.map(|p| format!("jira:{p}")),
            blocked_by: Vec::new(),
            done_on,
            description: row.untrimmed(&description),
            labels: row.all(&labels),
            groups,
        });
    }
    Ok(Export {
        tracker: Tracker::Jira,
        records,
        carried: Carried {
            assignee: !assignee.is_empty(),
            estimate: !points.is_empty(),
            sprint: !sprint.is_empty(),
            parent: !parent.is_empty() || !epic_link.is_empty(),
            depends_on: false,
        },
        repositories: Vec::new(),
        notes: Vec::new(),
    })
}
