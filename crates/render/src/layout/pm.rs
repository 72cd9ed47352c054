//! `roadlog report pm` and `roadlog trace`.

use super::super::doc::{Block, Cell, Column, Doc, Table};
use super::super::{bar, percent};
use super::{opt, title};
use crate::report::{PmReport, TraceReport, TreeRow};

/// The tree as a table; items of `suspect` are marked in their status.
fn tree_table(items: &[TreeRow], suspect: &[String]) -> Block {
    Block::Table(Table {
        columns: vec![
            Column::keep("item"),
            Column::shrink("title"),
            Column::keep("kind").drop(2),
            Column::keep("status"),
            Column::keep("progress").drop(1),
        ],
        rows: items
            .iter()
            .map(|i| {
                vec![
                    Cell::Tree {
                        depth: i.depth,
                        id: i.id.clone(),
                    },
                    Cell::Text(i.title.clone()),
                    Cell::Token(i.kind.to_string()),
                    if suspect.contains(&i.id) {
                        Cell::Token(format!("{} (suspect)", i.status.as_deref().unwrap_or("—")))
                    } else {
                        Cell::token(i.status.as_deref())
                    },
                    Cell::Progress(i.progress),
                ]
            })
            .collect(),
    })
}

/// How many ids a list in text or markdown names before "and K more": a pull-request comment
/// or a terminal is no place for 700 ids; JSON has them all.
const NAMED: usize = 10;

fn list_or_none<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        return "none".to_string();
    }
    let shown: Vec<&str> = items.iter().take(NAMED).map(AsRef::as_ref).collect();
    match items.len().saturating_sub(NAMED) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// `roadlog report pm`.
pub fn pm(r: &PmReport) -> Doc {
    let a = &r.alignment;
    let mut doc = vec![
        Block::Heading(1, title(r.product.as_deref(), "alignment")),
        Block::List(vec![
            format!("Open work serving active themes: {}", percent(a.open_share)),
            match &a.current_sprint {
                Some(s) => format!(
                    "Sprint {s} serving active themes: {}",
                    percent(a.sprint_share)
                ),
                None => "No current sprint.".to_string(),
            },
            format!("Orphans (no theme): {}", list_or_none(&r.orphans)),
            format!(
                "Work on done or dropped themes: {}",
                match r.drift_by_theme().as_slice() {
                    [] => "none".to_string(),
                    groups => groups
                        .iter()
                        .map(|g| format!(
                            "{} ({}, {}): {}",
                            g.theme,
                            g.theme_status,
                            crate::diag::count(g.items.len(), "open item"),
                            list_or_none(&g.items)
                        ))
                        .collect::<Vec<_>>()
                        .join("; "),
                }
            ),
            format!(
                "Active themes with no items: {}",
                list_or_none(&r.empty_themes)
            ),
            format!(
                "Active themes due for review: {}",
                list_or_none(
                    &r.stale_themes
                        .iter()
                        .map(|s| match s.days {
                            Some(d) => format!("{} ({d} days)", s.id),
                            None => format!("{} (never)", s.id),
                        })
                        .collect::<Vec<_>>()
                )
            ),
        ]),
    ];
    for t in &r.themes {
        doc.push(Block::Heading(2, format!("{} ({})", t.title, t.id)));
        doc.push(Block::Para(format!(
            "{} · {} · {}",
            opt(t.status),
            opt(t.horizon.as_deref()),
            bar(t.progress)
        )));
        if t.items.is_empty() {
            doc.push(Block::Para("No backlog items.".into()));
        } else {
            doc.push(tree_table(&t.items, &[]));
        }
    }
    doc
}

/// `roadlog trace`.
pub fn trace(r: &TraceReport) -> Doc {
    match r {
        TraceReport::Item {
            chain,
            broken,
            related,
        } => {
            let mut doc = vec![Block::Table(Table {
                columns: vec![
                    Column::keep("link"),
                    Column::keep("id"),
                    Column::shrink("title"),
                    Column::keep("status"),
                    Column::shrink("file").drop(1),
                ],
                rows: chain
                    .iter()
                    .enumerate()
                    .map(|(n, l)| {
                        let link = match (n, l.kind) {
                            (0, _) => "item",
                            (_, "theme") => "theme",
                            _ => "parent",
                        };
                        (link, l)
                    })
                    .chain(related.iter().map(|l| ("related", l)))
                    .map(|(link, l)| {
                        vec![
                            Cell::Token(link.to_string()),
                            Cell::Token(l.id.clone()),
                            Cell::Text(l.title.clone()),
                            Cell::token(l.status.as_deref()),
                            Cell::Token(l.file.clone()),
                        ]
                    })
                    .collect(),
            })];
            if let Some(why) = broken {
                doc.push(Block::Para(format!("The chain stops: {why}.")));
            }
            doc
        }
        TraceReport::Theme {
            theme,
            progress,
            items,
            suspect,
        } => {
            let mut doc = vec![
                Block::Heading(1, format!("{} ({})", theme.title, theme.id)),
                Block::Para(format!(
                    "{} · {} · {}",
                    opt(theme.status.as_deref()),
                    bar(*progress),
                    theme.file
                )),
            ];
            doc.push(if items.is_empty() {
                Block::Para("No backlog items serve this theme.".into())
            } else {
                tree_table(items, suspect.as_ref().map_or(&[][..], |s| &s.items))
            });
            if let Some(s) = suspect {
                let ids: Vec<String> = s.items.iter().map(|i| format!("`{i}`")).collect();
                doc.push(Block::Para(format!(
                    "Suspect (suspect-item): the theme's {} changed on {} and these open items were planned against the old one: {}.",
                    s.field,
                    s.date,
                    ids.join(", ")
                )));
            }
            doc
        }
    }
}
