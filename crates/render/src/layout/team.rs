//! `roadlog report team`.

use super::super::doc::{Block, Cell, Column, Doc, Table};
use super::super::weight;
use crate::report::{TeamItem, TeamReport};

/// The columns of both tables: the status first, so a blocked item never reads as a todo one.
fn team_columns() -> Vec<Column> {
    let mut columns = vec![Column::keep("status")];
    columns.extend([
        Column::keep("id"),
        Column::shrink("title"),
        Column::keep("kind").drop(5),
        Column::keep("estimate").drop(2),
        Column::shrink("assignee").drop(4),
        Column::keep("theme").drop(3),
        Column::keep("depends on").drop(6),
        Column::shrink("acceptance").drop(7),
    ]);
    columns
}

fn team_rows(items: &[TeamItem]) -> Vec<Vec<Cell>> {
    items
        .iter()
        .map(|i| {
            let deps: Vec<Cell> = i
                .depends_on
                .iter()
                .map(|d| {
                    Cell::Token(if d.done {
                        d.id.clone()
                    } else {
                        format!("{} (not done)", d.id)
                    })
                })
                .collect();
            let mut row = vec![Cell::token(i.status.as_deref())];
            let title = match &i.carried_over {
                Some(s) => format!("{} (carried over from {s})", i.title),
                None => i.title.clone(),
            };
            row.extend([
                Cell::Token(i.id.clone()),
                Cell::Text(title),
                Cell::Token(i.kind.to_string()),
                i.estimate.map_or(Cell::Empty, |e| Cell::Token(weight(e))),
                Cell::text(i.assignee.as_deref()),
                Cell::token(i.theme.as_deref()),
                if deps.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Lines(deps)
                },
                Cell::Lines(
                    i.acceptance
                        .iter()
                        .map(|a| Cell::Text(format!("- {a}")))
                        .collect(),
                ),
            ]);
            row
        })
        .collect()
}

/// Each person's committed weight against their capacity.
fn load_table(r: &TeamReport) -> Table {
    let unit = if r.by_count { "items" } else { "points" };
    let rows = r
        .load
        .iter()
        .map(|l| {
            let who = match &l.name {
                Some(n) => format!("{n} ({})", l.person),
                None => l.person.clone(),
            };
            let against = match l.capacity {
                Some(c) if l.committed > c => {
                    format!("{} (over by {})", weight(c), weight(l.committed - c))
                }
                Some(c) => weight(c),
                None => "—".into(),
            };
            vec![
                Cell::text(Some(&who)),
                Cell::token(Some(&format!("{} {unit}", weight(l.committed)))),
                Cell::token(Some(&weight(l.done))),
                Cell::token(Some(&against)),
            ]
        })
        .collect();
    Table {
        columns: vec![
            Column::shrink("person"),
            Column::keep("committed"),
            Column::keep("done"),
            Column::keep("capacity"),
        ],
        rows,
    }
}

/// `roadlog report team`.
pub fn team(r: &TeamReport) -> Doc {
    let mut doc = Vec::new();
    match &r.sprint {
        Some(s) => {
            doc.push(Block::Heading(1, format!("Sprint {}", s.id)));
            let mut line = match (&s.start, &s.end) {
                (Some(a), Some(b)) => format!("{a} to {b}: "),
                _ => String::new(),
            };
            let unit = if r.by_count { "items" } else { "points" };
            line.push_str(&format!(
                "{} of {} {unit} done",
                weight(s.done),
                weight(s.committed)
            ));
            if let Some(c) = s.capacity {
                line.push_str(&format!(", capacity {}", weight(c)));
            }
            doc.push(Block::Para(format!("{line}.")));
            if r.groups.is_empty() {
                doc.push(Block::Para("No items in this sprint.".into()));
            }
            if !r.load.is_empty() {
                doc.push(Block::Table(load_table(r)));
            }
            if !r.groups.is_empty() {
                let items: Vec<TeamItem> = r
                    .groups
                    .iter()
                    .flat_map(|g| g.items.iter().cloned())
                    .collect();
                doc.push(Block::Table(Table {
                    columns: team_columns(),
                    rows: team_rows(&items),
                }));
            }
        }
        None => doc.push(Block::Para(match &r.next_sprint {
            Some(next) => format!(
                "Between sprints: the next sprint, `{}`, starts on {}.",
                next.id, next.start
            ),
            None if r.has_calendar => {
                "No current sprint: no sprint of the calendar covers today; add the next one \
                 to `sprints`, or pass --sprint."
                    .into()
            }
            None => {
                "No current sprint: set `current_sprint` or a `sprints` calendar, or pass --sprint."
                    .into()
            }
        })),
    }
    doc.push(Block::Heading(2, "Next up".into()));
    if r.next.is_empty() {
        doc.push(Block::Para(if r.more_open > 0 {
            let (n, many) = (r.more_open, r.more_open != 1);
            format!(
                "{n} {} open outside the sprint; raise --limit to list {}.",
                if many { "items are" } else { "item is" },
                if many { "them" } else { "it" }
            )
        } else {
            "Nothing open outside the sprint.".into()
        }));
    } else {
        doc.push(Block::Table(Table {
            columns: team_columns(),
            rows: team_rows(&r.next),
        }));
        if r.more_open > 0 {
            doc.push(Block::Para(format!(
                "And {} more open outside the sprint.",
                r.more_open
            )));
        }
    }
    doc
}
