//! Linear's CSV export, in both its shapes (30 columns, or 34 with `UUID`, `Time in status`,
//! `Related to`, `Blocked by` and `Duplicate of`): labels several to a cell, dates RFC 3339,
//! what a status means from which of `Started`, `Completed` and `Canceled` is set.

use roadlog_engine::Error;
use roadlog_engine::import::{Carried, Export, Record, SprintDates, SprintRef, Tracker};
use roadlog_engine::model::{Category, Kind};

use super::dates::rfc3339_day;
use super::table::{Row, Table};
use super::{bad, keyed, non_empty, number};

const EXPORT: &str = "a Linear CSV export";

pub(crate) fn read(file: &str, bytes: &[u8]) -> Result<Export, Error> {
    let table = Table::read(file, bytes)?;
    let id = table.required(file, "ID", EXPORT)?;
    let title = table.required(file, "Title", EXPORT)?;
    let col = |name: &str| table.columns(name);
    let (team, status, estimate, project) =
        (col("Team"), col("Status"), col("Estimate"), col("Project"));
    let (assignee, labels, cycle_name, cycle_number) = (
        col("Assignee"),
        col("Labels"),
        col("Cycle Name"),
        col("Cycle Number"),
    );
    let (cycle_start, cycle_end, started, completed, canceled) = (
        col("Cycle Start"),
        col("Cycle End"),
        col("Started"),
        col("Completed"),
        col("Canceled"),
    );
    let (description, parent, blocked_by) =
        (col("Description"), col("Parent issue"), col("Blocked by"));
    let mut records = Vec::with_capacity(table.rows().len());
    for row in table.rows() {
        let line = Some(row.line);
        let (key, source) = keyed(file, row, id, Tracker::Linear, "ID", "ENG-42")?;
        let day = |columns: &[usize], name: &str| -> Result<_, Error> {
            match row.first(columns) {
                None => Ok(None),
                Some(text) => rfc3339_day(text).map(Some).ok_or_else(|| {
                    bad(
                        file,
                        line,
                        format!("`{name}` is `{text}`, which is not an RFC 3339 date"),
                    )
                }),
            }
        };
        let done_on = day(&completed, "Completed")?;
        let category = if done_on.is_some() {
            Some(Category::Done)
        } else if day(&canceled, "Canceled")?.is_some() {
            Some(Category::Wontdo)
        } else if day(&started, "Started")?.is_some() {
            Some(Category::InProgress)
        } else {
            None
        };
        let labels = split(row, &labels);
        let sprint = cycle(row, &team, &cycle_name, &cycle_number).map(|name| {
            let dates = match (
                day(&cycle_start, "Cycle Start"),
                day(&cycle_end, "Cycle End"),
            ) {
                (Ok(Some(start)), Ok(Some(end))) => Some(SprintDates { start, end }),
                _ => None,
            };
            SprintRef { name, dates }
        });
        let estimate = number(file, row.line, row.first(&estimate), "estimate")?;
        let bug = labels.iter().any(|l| l.eq_ignore_ascii_case("bug"));
        let mut groups = labels.clone();
        groups.extend(row.first(&project).map(str::to_string));
        records.push(Record {
            line,
            title: non_empty(row.at(title)).unwrap_or_else(|| key.clone()),
            status: row.first(&status).unwrap_or("Todo").to_string(),
            category,
            kind: Some(if bug { Kind::Bug } else { Kind::Story }),
            kind_name: None,
            assignees: row
                .first(&assignee)
                .map(str::to_string)
                .into_iter()
                .collect(),
            estimate,
            sprint,
            parent: row.first(&parent).map(|p| format!("linear:{p}")),
            blocked_by: split(row, &blocked_by)
                .into_iter()
                .map(|b| format!("linear:{b}"))
                .collect(),
            done_on,
            description: row.untrimmed(&description),
            labels,
            groups,
            source,
            key,
        });
    }
    Ok(Export {
        tracker: Tracker::Linear,
        records,
        carried: Carried {
            assignee: !assignee.is_empty(),
            estimate: !estimate.is_empty(),
            sprint: !cycle_name.is_empty() || !cycle_number.is_empty(),
            parent: !parent.is_empty(),
            depends_on: !blocked_by.is_empty(),
        },
        repositories: Vec::new(),
        notes: Vec::new(),
    })
}

/// A cell of several values, comma-separated.
fn split(row: &Row, columns: &[usize]) -> Vec<String> {
    row.first(columns)
        .map(|cell| cell.split(',').filter_map(non_empty).collect())
        .unwrap_or_default()
}

/// The cycle's name: its own, else `<Team> Cycle <n>` (each team numbers its cycles from 1).
fn cycle(row: &Row, team: &[usize], name: &[usize], number: &[usize]) -> Option<String> {
    if let Some(n) = row.first(name) {
        return Some(n.to_string());
    }
    let n = row.first(number)?;
    Some(match row.first(team) {
        Some(t) => format!("{t} Cycle {n}"),
        None => format!("Cycle {n}"),
    })
}
