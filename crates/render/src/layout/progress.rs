//! `roadlog progress` and `roadlog report exec`.

use super::super::doc::{Block, Cell, Column, Doc, Table};
use super::super::{percent, weight};
use super::{opt, title};
use crate::report::{ExecReport, ProgressReport};

/// `roadlog progress`.
pub fn progress(r: &ProgressReport) -> Doc {
    if r.themes.is_empty() {
        return vec![Block::Para("No themes to show.".into())];
    }
    let rows = r
        .themes
        .iter()
        .map(|t| {
            vec![
                Cell::Token(format!("{}{}", crate::nested(t.depth), t.id)),
                Cell::Text(t.title.clone()),
                Cell::token(t.status),
                Cell::token(t.horizon.as_deref()),
                Cell::Progress(t.progress),
                Cell::Token(format!("{}/{}", weight(t.done), weight(t.total))),
                Cell::Token(t.items.open.to_string()),
                Cell::Token(t.items.done.to_string()),
                Cell::Token(t.unestimated.to_string()),
            ]
        })
        .collect();
    let mut doc = vec![Block::Table(Table {
        columns: vec![
            Column::keep("theme"),
            Column::shrink("title").drop(5),
            Column::keep("status"),
            Column::keep("horizon").drop(4),
            Column::keep("progress"),
            Column::keep("done/total").drop(6),
            Column::keep("open").drop(7),
            Column::keep("done").drop(8),
            Column::keep("unestimated").drop(9),
        ],
        rows,
    })];
    for a in &r.ambiguous {
        doc.push(Block::Para(format!(
            "{} counted in no theme: {} `{}`, which several themes or items hold (duplicate-id); \
             rename one to count {}.",
            super::super::count(a.items, "item"),
            if a.items == 1 {
                "its chain names"
            } else {
                "their chains name"
            },
            a.id,
            if a.items == 1 { "it" } else { "them" }
        )));
    }
    doc
}

/// `roadlog report exec`: one section per theme, no backlog detail.
pub fn exec(r: &ExecReport) -> Doc {
    let audience = if r.external {
        "roadmap"
    } else {
        "roadmap (internal)"
    };
    let mut doc = vec![
        Block::Heading(1, title(r.product.as_deref(), audience)),
        Block::Para(format!("As of {}.", r.today)),
    ];
    if r.themes.is_empty() {
        doc.push(Block::Para("No themes on the roadmap yet.".into()));
        return doc;
    }
    let forecast = r.themes.iter().any(|t| t.forecast.is_some());
    let mut columns = vec![
        Column::shrink("theme"),
        Column::keep("horizon").drop(2),
        Column::keep("status").drop(1),
        Column::keep("health"),
        Column::keep("progress"),
    ];
    if forecast {
        columns.push(Column::keep("p85").drop(3));
        columns.push(Column::keep("forecast").drop(4));
    }
    doc.push(Block::Table(Table {
        columns,
        rows: r
            .themes
            .iter()
            .map(|t| {
                let mut row = vec![
                    Cell::Text(format!("{}{}", crate::nested(t.depth), t.title)),
                    Cell::token(t.horizon.as_deref()),
                    Cell::token(t.status),
                    Cell::Health(t.health),
                    Cell::Progress(t.progress),
                ];
                if forecast {
                    let f = t.forecast.as_ref();
                    row.push(Cell::token(f.and_then(|f| f.p85.as_deref())));
                    row.push(Cell::token(f.map(|f| f.verdict)));
                }
                row
            })
            .collect(),
    }));
    if forecast && let Some(note) = &r.forecast_calibration {
        doc.push(Block::Para(format!("{note}.")));
    }
    for t in &r.themes {
        doc.push(Block::Heading(2, t.title.clone()));
        // A done theme says so once, not as its status and its health.
        let mut facts = vec![opt(t.horizon.as_deref()), opt(t.status)];
        if t.status != Some(t.health.as_str()) {
            facts.push(t.health.as_str().to_string());
        }
        facts.push(percent(t.progress));
        if let Some(f) = &t.forecast
            && let Some(p85) = &f.p85
        {
            facts.push(format!("forecast {} by {p85} (p85)", f.verdict));
        }
        if let Some(owner) = &t.owner {
            facts.push(format!("owner {owner}"));
        }
        doc.push(Block::Para(facts.join(" · ")));
        if let Some(objective) = &t.objective {
            doc.push(Block::Para(objective.clone()));
        }
        if !t.metrics.is_empty() {
            doc.push(Block::List(
                t.metrics
                    .iter()
                    .map(|m| {
                        let mut line = format!("{}: target {}", m.name, m.target);
                        if let Some(c) = &m.current {
                            line.push_str(&format!(", now {c}"));
                        }
                        if let Some(b) = &m.baseline {
                            line.push_str(&format!(", from {b}"));
                        }
                        line
                    })
                    .collect(),
            ));
        }
    }
    doc
}
