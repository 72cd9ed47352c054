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
        let mut columns = vec![Column::shrink("theme"), Column::keep("id").when_alike()];
        // Periods far from today are left out first when the table does not fit; the current
        // one never is.
        let current = t.periods.iter().position(|p| t.current.as_ref() == Some(p));
        columns.extend(t.periods.iter().enumerate().map(|(k, p)| {
            let name = if Some(k) == current {
                format!("▼ {p}")
            } else {
                p.clone()
            };
            let far = current.map_or(k + 1, |c| k.abs_diff(c));
            Column::keep(name)
                .in_series()
                .drop(u8::try_from(far.saturating_add(1)).unwrap_or(u8::MAX))
        }));
        // The status goes before any period: the bars are what a roadmap is. It comes after
        // the progress, so that periods left out read as one range.
        columns.extend([
            Column::keep("progress"),
            Column::keep("status").drop(u8::MAX),
        ]);
        let rows = t
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![
                    Cell::Text(format!("{}{}", crate::nested(r.depth), r.title)),
                    Cell::Token(r.id.clone()),
                ];
                row.extend(r.cells.iter().map(|&on| Cell::Span(on)));
                let status = opt(r.status);
                // An ongoing bar fills every column; the word says it has no end.
                let status = if r.open {
                    format!("{status}, ongoing")
                } else {
                    status
                };
                row.extend([
                    Cell::Progress(r.progress),
                    Cell::Token(if status == r.health.as_str() {
                        status
                    } else {
                        format!("{status} ({})", r.health.as_str())
                    }),
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
