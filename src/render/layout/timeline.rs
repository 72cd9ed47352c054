//! `roadlog roadmap` as a table: bars over periods, today's period marked with `▼`.

use super::super::doc::{Block, Cell, Column, Doc, Table};
use super::super::percent;
use super::{opt, title};
use crate::report::Timeline;

/// `roadlog roadmap`.
pub fn timeline(t: &Timeline) -> Doc {
    let mut doc = vec![Block::Heading(1, title(t.product.as_deref(), "roadmap"))];
    if t.rows.is_empty() && t.buckets.is_empty() {
        doc.push(Block::Para("No themes on the roadmap yet.".into()));
        return doc;
    }
    if !t.rows.is_empty() {
        let mut columns = vec![Column::shrink("theme")];
        columns.extend(t.periods.iter().map(|p| {
            Column::keep(if t.current.as_ref() == Some(p) {
                format!("▼ {p}")
            } else {
                p.clone()
            })
        }));
        columns.extend([Column::keep("status").drop(1), Column::keep("progress")]);
        let rows = t
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![Cell::Text(r.title.clone())];
                row.extend(r.cells.iter().map(|&on| Cell::Span(on)));
                let status = opt(r.status);
                // An ongoing bar fills every column; the word says it has no end.
                let status = if r.open {
                    format!("{status}, ongoing")
                } else {
                    status
                };
                row.extend([
                    Cell::Token(if status == r.health.as_str() {
                        status
                    } else {
                        format!("{status} ({})", r.health.as_str())
                    }),
                    Cell::Progress(r.progress),
                ]);
                row
            })
            .collect();
        doc.push(Block::Table(Table { columns, rows }));
    }
    for bucket in ["now", "next", "later", "undated"] {
        let names: Vec<String> = t
            .buckets
            .iter()
            .filter(|b| b.bucket == bucket)
            .map(|b| format!("{} ({}, {})", b.title, opt(b.status), percent(b.progress)))
            .collect();
        if !names.is_empty() {
            doc.push(Block::Para(format!("{bucket}: {}", names.join("; "))));
        }
    }
    doc
}
