//! `roadlog diff`: a summary line, then a section for each kind of change there is.

use super::super::doc::{Block, Cell, Column, Doc, Table};
use super::super::{and_list, count};
use super::opt;
use crate::diff::PlanDiff;

fn change(old: Option<&str>, new: Option<&str>) -> String {
    format!("{} → {}", old.unwrap_or("—"), new.unwrap_or("—"))
}

/// The one-line summary of a plan change, e.g. `2 themes changed, 3 status changes; 1 error
/// introduced`.
pub fn diff_summary(d: &PlanDiff) -> String {
    let counts = [
        (d.renamed.len(), "rename", "renames"),
        (d.themes_added.len(), "theme added", "themes added"),
        (d.themes_removed.len(), "theme removed", "themes removed"),
        (d.themes_changed.len(), "theme changed", "themes changed"),
        (d.items_added.len(), "item added", "items added"),
        (d.items_removed.len(), "item removed", "items removed"),
        (d.items_retraced.len(), "item re-traced", "items re-traced"),
        (d.status_changes.len(), "status change", "status changes"),
        (
            d.progress.len(),
            "theme's progress moved",
            "themes' progress moved",
        ),
    ];
    let parts: Vec<String> = counts
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
    let errors = d
        .findings_introduced
        .iter()
        .filter(|f| f.severity == "error")
        .count();
    let warnings = d.findings_introduced.len() - errors;
    let mut findings = Vec::new();
    if errors > 0 {
        findings.push(format!("{} introduced", count(errors, "error")));
    }
    if warnings > 0 {
        findings.push(format!("{} introduced", count(warnings, "warning")));
    }
    if !d.findings_fixed.is_empty() {
        findings.push(format!(
            "{} fixed",
            count(d.findings_fixed.len(), "finding")
        ));
    }
    let mut line = format!("Plan changes from `{}` to `{}`: ", d.base, d.head);
    line.push_str(&if parts.is_empty() {
        "no change to themes or items".to_string()
    } else {
        parts.join(", ")
    });
    if !findings.is_empty() {
        line.push_str("; ");
        line.push_str(&findings.join(", "));
    }
    line.push('.');
    line
}

/// `roadlog diff`.
pub fn diff(d: &PlanDiff) -> Doc {
    if d.is_empty() {
        return vec![Block::Para(format!(
            "No change to the plan between `{}` and `{}`.",
            d.base, d.head
        ))];
    }
    let mut doc = vec![Block::Para(diff_summary(d))];
    let theme = |title: &str, id: &str| Cell::Text(format!("{title} ({id})"));
    let mut themes: Vec<Vec<Cell>> = Vec::new();
    themes.extend(d.themes_added.iter().map(|t| {
        vec![
            Cell::Token("added".into()),
            theme(&t.title, &t.id),
            Cell::Empty,
        ]
    }));
    themes.extend(d.themes_changed.iter().map(|t| {
        let details = t
            .changes
            .iter()
            .map(|c| {
                Cell::Text(format!(
                    "{}: {}",
                    c.field,
                    change(c.old.as_deref(), c.new.as_deref())
                ))
            })
            .collect();
        vec![
            Cell::Token("changed".into()),
            theme(&t.title, &t.id),
            Cell::Lines(details),
        ]
    }));
    let renamed = |kind: &'static str| {
        d.renamed.iter().filter(move |r| r.kind == kind).map(|r| {
            (
                Cell::Token("renamed".into()),
                Cell::Token(r.new.clone()),
                Cell::Text(r.title.clone()),
                Cell::Text(format!("was `{}` (kept under `aliases:`)", r.old)),
            )
        })
    };
    themes.extend(renamed("theme").map(|(c, id, _, what)| vec![c, id, what]));
    themes.extend(d.themes_removed.iter().map(|t| {
        vec![
            Cell::Token("removed".into()),
            theme(&t.title, &t.id),
            Cell::Empty,
        ]
    }));
    if !themes.is_empty() {
        doc.push(Block::Heading(2, "Roadmap themes".into()));
        doc.push(Block::Table(Table {
            columns: vec![
                Column::keep("change"),
                Column::shrink("theme"),
                Column::shrink("details"),
            ],
            rows: themes,
        }));
    }
    if !d.progress.is_empty() {
        doc.push(Block::Heading(2, "Progress".into()));
        doc.push(Block::Table(Table {
            columns: vec![
                Column::shrink("theme"),
                Column::keep("before"),
                Column::keep("after"),
            ],
            rows: d
                .progress
                .iter()
                .map(|p| {
                    vec![
                        theme(&p.title, &p.id),
                        Cell::Percent(p.old),
                        Cell::Progress(p.new),
                    ]
                })
                .collect(),
        }));
    }
    let mut items: Vec<Vec<Cell>> = Vec::new();
    items.extend(d.status_changes.iter().map(|c| {
        vec![
            Cell::Token("status".into()),
            Cell::Token(c.id.clone()),
            Cell::Text(c.title.clone()),
            Cell::Text(change(c.old.as_deref(), c.new.as_deref())),
        ]
    }));
    items.extend(d.items_retraced.iter().map(|c| {
        vec![
            Cell::Token("re-traced".into()),
            Cell::Token(c.id.clone()),
            Cell::Text(c.title.clone()),
            Cell::Text(format!(
                "theme {}",
                change(c.old.as_deref(), c.new.as_deref())
            )),
        ]
    }));
    items.extend(d.items_added.iter().map(|i| {
        vec![
            Cell::Token("added".into()),
            Cell::Token(i.id.clone()),
            Cell::Text(i.title.clone()),
            Cell::Text(format!(
                "{}, theme {}",
                opt(i.status.as_deref()),
                opt(i.theme.as_deref())
            )),
        ]
    }));
    items.extend(renamed("item").map(|(c, id, title, what)| vec![c, id, title, what]));
    items.extend(d.items_removed.iter().map(|i| {
        vec![
            Cell::Token("removed".into()),
            Cell::Token(i.id.clone()),
            Cell::Text(i.title.clone()),
            Cell::Empty,
        ]
    }));
    if !d.impact.is_empty() {
        doc.push(Block::Heading(2, "Impact".into()));
        for i in &d.impact {
            let n = i.open.len();
            doc.push(Block::Para(format!(
                "{} {} planned against the old {} of {} (`{}`).",
                count(n, "open item"),
                if n == 1 { "was" } else { "were" },
                and_list(&i.fields),
                i.title,
                i.id
            )));
            doc.push(Block::Details(
                "the open items",
                i.open
                    .iter()
                    .map(|o| format!("`{}` {}", o.id, o.title))
                    .collect(),
            ));
        }
    }
    if !items.is_empty() {
        doc.push(Block::Heading(2, "Backlog items".into()));
        doc.push(Block::Table(Table {
            columns: vec![
                Column::keep("change"),
                Column::keep("id"),
                Column::shrink("title"),
                Column::shrink("details"),
            ],
            rows: items,
        }));
    }
    let findings: Vec<Vec<Cell>> = d
        .findings_introduced
        .iter()
        .map(|f| ("introduced", f))
        .chain(d.findings_fixed.iter().map(|f| ("fixed", f)))
        .map(|(what, f)| {
            let at = match (&f.file, f.line) {
                (Some(file), Some(line)) => Cell::Token(format!("{file}:{line}")),
                (Some(file), None) => Cell::Token(file.clone()),
                _ => Cell::Empty,
            };
            vec![
                Cell::Token(what.to_string()),
                Cell::Token(f.severity.to_string()),
                Cell::Token(f.rule.to_string()),
                at,
                Cell::Text(f.message.clone()),
            ]
        })
        .collect();
    if !findings.is_empty() {
        doc.push(Block::Heading(2, "Findings".into()));
        doc.push(Block::Table(Table {
            columns: vec![
                Column::keep(""),
                Column::keep("severity"),
                Column::keep("rule"),
                Column::keep("where").drop(1),
                Column::shrink("message"),
            ],
            rows: findings,
        }));
    }
    if let Some(f) = &d.forecast {
        doc.extend(forecast(f));
    }
    doc
}

/// The forecast section: each theme whose p85 or verdict moves.
fn forecast(f: &crate::forecast::Change) -> Doc {
    let mut doc = vec![Block::Heading(2, "Forecast".into())];
    if let Some(why) = &f.reason {
        doc.push(Block::Para(format!("No forecast: {why}.")));
        return doc;
    }
    if f.moves.is_empty() {
        doc.push(Block::Para("The change moves no theme's forecast.".into()));
        return doc;
    }
    doc.push(Block::Table(Table {
        columns: vec![
            Column::shrink("theme"),
            Column::keep("p85"),
            Column::keep("moves"),
            Column::keep("verdict"),
        ],
        rows: f
            .moves
            .iter()
            .map(|m| {
                vec![
                    Cell::Text(format!("{} ({})", m.title, m.id)),
                    Cell::Token(change(m.p85_before.as_deref(), m.p85_after.as_deref())),
                    Cell::Token(match m.moves {
                        Some(0) | None => opt(None),
                        Some(d) if d > 0 => format!("{d} days later"),
                        Some(d) => format!("{} days sooner", d.unsigned_abs()),
                    }),
                    Cell::Token(change(
                        m.verdict_before.map(crate::forecast::Verdict::as_str),
                        Some(m.verdict_after.as_str()),
                    )),
                ]
            })
            .collect(),
    }));
    doc
}

/// The comment for a change whose plan does not read on one side: which side, why, and each
/// problem of its `roadlog.yaml`.
pub fn broken(error: &crate::error::Error) -> Doc {
    let head = error.message().starts_with("HEAD");
    let mut doc = vec![
        Block::Heading(
            3,
            if head {
                "roadlog: this change breaks the plan".into()
            } else {
                "roadlog: the plan does not read at the base of this change".into()
            },
        ),
        Block::Para(format!("{}.", error.message().trim_end_matches('.'))),
    ];
    if let Some(help) = error.help() {
        doc.push(Block::Para(format!("help: {help}")));
    }
    if let Some((file, _, findings)) = error.config() {
        doc.push(Block::Table(Table {
            columns: vec![
                Column::keep("rule"),
                Column::keep("where"),
                Column::shrink("message"),
            ],
            rows: findings
                .iter()
                .map(|f| {
                    let at = match f.at.and_then(|at| at.span) {
                        Some(span) => format!("{}:{}:{}", file.path, span.line, span.column),
                        None => file.path.clone(),
                    };
                    let message = match &f.help {
                        Some(h) => vec![
                            Cell::Text(f.message.to_string()),
                            Cell::Text(format!("help: {h}")),
                        ],
                        None => vec![Cell::Text(f.message.to_string())],
                    };
                    vec![
                        Cell::Token(f.rule.to_string()),
                        Cell::Token(at),
                        Cell::Lines(message),
                    ]
                })
                .collect(),
        }));
    }
    doc
}
