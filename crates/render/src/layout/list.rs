//! `roadlog list`.

use super::super::doc::{Block, Cell, Column, Doc, Table};
use super::super::weight;
use crate::report::Listing;

/// `roadlog list`: one table, or a line saying nothing matched. The columns named in `kept` are
/// never left out to fit a width: the columns of the filters asked for (`--blocked` keeps
/// "waits on"), which are the answer to the question.
pub fn list_keeping(l: &Listing, kept: &[&str]) -> Doc {
    let mut doc = rows(l);
    for block in &mut doc {
        if let Block::Table(table) = block {
            for column in &mut table.columns {
                if kept.contains(&column.name.as_str()) {
                    column.drop = 0;
                }
            }
        }
    }
    doc
}

fn rows(l: &Listing) -> Doc {
    let table = match l {
        Listing::Items(rows) if !rows.is_empty() => Table {
            columns: vec![
                Column::keep("id"),
                Column::shrink("title"),
                Column::keep("kind").drop(6),
                Column::keep("status"),
                Column::keep("theme").drop(3),
                Column::keep("estimate").drop(5),
                Column::shrink("assignee").drop(4),
                Column::keep("sprint").drop(2),
                Column::keep("waits on").drop(7),
            ],
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::Token(r.id.clone()),
                        Cell::Text(r.title.clone()),
                        Cell::Token(r.kind.to_string()),
                        Cell::token(r.status.as_deref()),
                        Cell::token(r.theme.as_deref()),
                        r.estimate.map_or(Cell::Empty, |e| Cell::Token(weight(e))),
                        Cell::text(
                            (!r.assignee.is_empty())
                                .then(|| r.assignee.join(", "))
                                .as_deref(),
                        ),
                        Cell::token(r.sprint.as_deref()),
                        Cell::Lines(r.waiting_on.iter().cloned().map(Cell::Token).collect()),
                    ]
                })
                .collect(),
        },
        Listing::Themes(rows) if !rows.is_empty() => Table {
            columns: vec![
                Column::keep("id"),
                Column::shrink("title"),
                Column::keep("status"),
                Column::keep("horizon").drop(2),
                Column::keep("priority").drop(3),
                Column::shrink("owner").drop(4),
                Column::keep("progress").drop(1),
            ],
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::Token(r.id.clone()),
                        Cell::Text(r.title.clone()),
                        Cell::token(r.status),
                        Cell::token(r.horizon.as_deref()),
                        r.priority
                            .map_or(Cell::Empty, |p| Cell::Token(p.to_string())),
                        Cell::text(r.owner.as_deref()),
                        r.progress
                            .map_or(Cell::Empty, |p| Cell::Token(format!("{p}%"))),
                    ]
                })
                .collect(),
        },
        Listing::Items(_) => return vec![Block::Para("No items match.".into())],
        Listing::Themes(_) => return vec![Block::Para("No themes match.".into())],
    };
    vec![Block::Table(table)]
}
