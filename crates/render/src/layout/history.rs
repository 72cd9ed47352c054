//! `roadlog history` as a table: a sparkline per theme, first and last figure.
#![allow(
    clippy::indexing_slicing,
    reason = "a fraction clamped to 0..=1, scaled to 0..=7, indexes the eight levels"
)]

use super::super::count;
use super::super::doc::{Block, Cell, Column, Doc, Table};
use crate::history::{Every, HistoryReport};

/// A sparkline of progress values: `▁` for 0% to `█` for 100%, `·` where there is no figure.
pub fn sparkline(values: &[Option<f64>]) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| match v {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(f) => LEVELS[((f.clamp(0.0, 1.0) * 7.0).round()) as usize],
            None => '·',
        })
        .collect()
}

/// `roadlog history`.
pub fn history(h: &HistoryReport) -> Doc {
    let (Some(first), Some(last)) = (h.samples.first(), h.samples.last()) else {
        return vec![Block::Para(
            "No commit changed the plan in this range.".into(),
        )];
    };
    let every = match h.every {
        Every::Day => "day",
        Every::Week => "week",
        Every::Month => "month",
        Every::Commit => "commit",
    };
    let mut doc = vec![Block::Para(format!(
        "{} from {} to {}, one per {every}.",
        count(h.samples.len(), "sample"),
        first.date,
        last.date
    ))];
    // Drift shows coming: how much of the open work, and of each sample's sprint, served
    // active themes.
    let open: Vec<Option<f64>> = h.samples.iter().map(|s| s.open_share).collect();
    let sprint: Vec<Option<f64>> = h.samples.iter().map(|s| s.sprint_share).collect();
    let mut alignment = Vec::new();
    for (what, values) in [
        ("open work on active themes", open),
        ("sprint work on active themes", sprint),
    ] {
        if values.iter().any(Option::is_some) {
            alignment.push(vec![
                Cell::Text(what.into()),
                Cell::Token(sparkline(&values)),
                Cell::Percent(values.iter().flatten().next().copied()),
                Cell::Percent(values.last().copied().flatten()),
            ]);
        }
    }
    if !alignment.is_empty() {
        doc.push(Block::Table(Table {
            columns: vec![
                Column::shrink("alignment"),
                Column::keep("trend"),
                Column::keep("first").drop(1),
                Column::keep("last"),
            ],
            rows: alignment,
        }));
    }
    if !h.themes.is_empty() {
        doc.push(Block::Table(Table {
            columns: vec![
                Column::shrink("theme"),
                Column::keep("trend"),
                Column::keep("first").drop(1),
                Column::keep("last"),
            ],
            rows: h
                .themes
                .iter()
                .map(|t| {
                    let first = t.progress.iter().flatten().next().copied();
                    vec![
                        Cell::Text(format!("{} ({})", t.title, t.id)),
                        Cell::Token(sparkline(&t.progress)),
                        Cell::Percent(first),
                        Cell::Progress(t.progress.last().copied().flatten()),
                    ]
                })
                .collect(),
        }));
    }
    doc
}
