//! Reports laid out as a small document (headings, text, tables, lists), so the terminal table
//! and markdown renderers share one layout and differ only in how they draw it.

use super::{bar, percent, weight};
use crate::report::{
    ExecReport, PmReport, ProgressReport, TeamItem, TeamReport, Timeline, TraceReport, TreeRow,
};

/// A block of a report.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A heading of level 1 to 3.
    Heading(u8, String),
    /// A paragraph.
    Text(String),
    /// A table; cells may hold several lines.
    Table {
        /// Column names.
        header: Vec<String>,
        /// Rows of cells.
        rows: Vec<Vec<String>>,
    },
    /// A bullet list.
    List(Vec<String>),
}

/// A report ready to draw.
pub type Doc = Vec<Block>;

fn strings<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|s| (*s).to_string()).collect()
}

fn opt(s: Option<&str>) -> String {
    s.unwrap_or("—").to_string()
}

fn title(product: Option<&str>, what: &str) -> String {
    match product {
        Some(p) => format!("{p}: {what}"),
        None => what.to_string(),
    }
}

/// `roadlog progress`.
pub fn progress(r: &ProgressReport) -> Doc {
    if r.themes.is_empty() {
        return vec![Block::Text("No themes to show.".into())];
    }
    let rows = r
        .themes
        .iter()
        .map(|t| {
            vec![
                t.id.clone(),
                t.title.clone(),
                opt(t.status),
                opt(t.horizon.as_deref()),
                bar(t.progress),
                format!("{}/{}", weight(t.done), weight(t.total)),
                t.items.open.to_string(),
                t.items.done.to_string(),
                t.unestimated.to_string(),
            ]
        })
        .collect();
    vec![Block::Table {
        header: strings([
            "theme",
            "title",
            "status",
            "horizon",
            "progress",
            "done/total",
            "open",
            "done",
            "unestimated",
        ]),
        rows,
    }]
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
        Block::Text(format!("As of {}.", r.today)),
    ];
    if r.themes.is_empty() {
        doc.push(Block::Text("No themes on the roadmap yet.".into()));
        return doc;
    }
    doc.push(Block::Table {
        header: strings(["theme", "horizon", "status", "health", "progress"]),
        rows: r
            .themes
            .iter()
            .map(|t| {
                vec![
                    t.title.clone(),
                    opt(t.horizon.as_deref()),
                    opt(t.status),
                    t.health.as_str().to_string(),
                    bar(t.progress),
                ]
            })
            .collect(),
    });
    for t in &r.themes {
        doc.push(Block::Heading(2, t.title.clone()));
        let mut facts = format!(
            "{} · {} · {} · {}",
            opt(t.horizon.as_deref()),
            opt(t.status),
            t.health.as_str(),
            percent(t.progress)
        );
        if let Some(owner) = &t.owner {
            facts.push_str(&format!(" · owner {owner}"));
        }
        doc.push(Block::Text(facts));
        if let Some(objective) = &t.objective {
            doc.push(Block::Text(objective.clone()));
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

fn team_rows(items: &[TeamItem], with_status: bool) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|i| {
            let deps = i
                .depends_on
                .iter()
                .map(|d| {
                    if d.done {
                        d.id.clone()
                    } else {
                        format!("{} (not done)", d.id)
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            let mut row = Vec::new();
            if with_status {
                row.push(opt(i.status.as_deref()));
            }
            row.extend([
                i.id.clone(),
                i.title.clone(),
                i.kind.to_string(),
                i.estimate.map_or_else(|| "—".into(), weight),
                opt(i.assignee.as_deref()),
                opt(i.theme.as_deref()),
                if deps.is_empty() { "—".into() } else { deps },
                i.acceptance
                    .iter()
                    .map(|a| format!("- {a}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ]);
            row
        })
        .collect()
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
            line.push_str(&format!(
                "{} of {} points done",
                weight(s.done),
                weight(s.committed)
            ));
            if let Some(c) = s.capacity {
                line.push_str(&format!(", capacity {}", weight(c)));
            }
            doc.push(Block::Text(format!("{line}.")));
            if r.groups.is_empty() {
                doc.push(Block::Text("No items in this sprint.".into()));
            } else {
                let items: Vec<TeamItem> = r
                    .groups
                    .iter()
                    .flat_map(|g| g.items.iter().cloned())
                    .collect();
                doc.push(Block::Table {
                    header: strings([
                        "status",
                        "id",
                        "title",
                        "kind",
                        "estimate",
                        "assignee",
                        "theme",
                        "depends on",
                        "acceptance",
                    ]),
                    rows: team_rows(&items, true),
                });
            }
        }
        None => doc.push(Block::Text(
            "No current sprint: set `current_sprint` or a `sprints` calendar, or pass --sprint."
                .into(),
        )),
    }
    doc.push(Block::Heading(2, "Next up".into()));
    if r.next.is_empty() {
        doc.push(Block::Text("Nothing open outside the sprint.".into()));
    } else {
        doc.push(Block::Table {
            header: strings([
                "id",
                "title",
                "kind",
                "estimate",
                "assignee",
                "theme",
                "depends on",
                "acceptance",
            ]),
            rows: team_rows(&r.next, false),
        });
    }
    doc
}

fn tree_rows(items: &[TreeRow]) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|i| {
            vec![
                indent(i.depth, &i.id),
                i.title.clone(),
                i.kind.to_string(),
                opt(i.status.as_deref()),
                bar(i.progress),
            ]
        })
        .collect()
}

/// Indents a tree entry with non-breaking spaces, which markdown keeps, and a `└` marker.
fn indent(depth: usize, id: &str) -> String {
    match depth {
        0 => id.to_string(),
        d => format!("{}└ {id}", "\u{a0}\u{a0}".repeat(d.min(16) - 1)),
    }
}

fn tree_table(items: &[TreeRow]) -> Block {
    Block::Table {
        header: strings(["item", "title", "kind", "status", "progress"]),
        rows: tree_rows(items),
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
                list_or_none(
                    &r.drift
                        .iter()
                        .map(|d| format!("{} ({} is {})", d.item, d.theme, d.theme_status))
                        .collect::<Vec<_>>()
                )
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
        doc.push(Block::Text(format!(
            "{} · {} · {}",
            opt(t.status),
            opt(t.horizon.as_deref()),
            bar(t.progress)
        )));
        if t.items.is_empty() {
            doc.push(Block::Text("No backlog items.".into()));
        } else {
            doc.push(tree_table(&t.items));
        }
    }
    doc
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// `roadlog trace`.
pub fn trace(r: &TraceReport) -> Doc {
    match r {
        TraceReport::Item { chain, broken } => {
            let mut doc = vec![Block::Table {
                header: strings(["link", "id", "title", "status", "file"]),
                rows: chain
                    .iter()
                    .enumerate()
                    .map(|(n, l)| {
                        let link = match (n, l.kind) {
                            (0, _) => "item",
                            (_, "theme") => "theme",
                            _ => "parent",
                        };
                        vec![
                            link.to_string(),
                            l.id.clone(),
                            l.title.clone(),
                            opt(l.status.as_deref()),
                            l.file.clone(),
                        ]
                    })
                    .collect(),
            }];
            if let Some(why) = broken {
                doc.push(Block::Text(format!("The chain stops: {why}.")));
            }
            doc
        }
        TraceReport::Theme {
            theme,
            progress,
            items,
        } => {
            let mut doc = vec![
                Block::Heading(1, format!("{} ({})", theme.title, theme.id)),
                Block::Text(format!(
                    "{} · {} · {}",
                    opt(theme.status.as_deref()),
                    bar(*progress),
                    theme.file
                )),
            ];
            doc.push(if items.is_empty() {
                Block::Text("No backlog items serve this theme.".into())
            } else {
                tree_table(items)
            });
            doc
        }
    }
}

/// `roadlog roadmap`: bars over periods, today's period marked with `▼`.
pub fn timeline(t: &Timeline) -> Doc {
    let mut doc = vec![Block::Heading(1, title(t.product.as_deref(), "roadmap"))];
    if t.rows.is_empty() && t.buckets.is_empty() {
        doc.push(Block::Text("No themes on the roadmap yet.".into()));
        return doc;
    }
    if !t.rows.is_empty() {
        let mut header = vec!["theme".to_string()];
        header.extend(t.periods.iter().map(|p| {
            if t.current.as_ref() == Some(p) {
                format!("▼ {p}")
            } else {
                p.clone()
            }
        }));
        header.extend(["status".to_string(), "progress".to_string()]);
        let rows = t
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![r.title.clone()];
                row.extend(r.cells.iter().map(|&on| {
                    if on {
                        "████".to_string()
                    } else {
                        String::new()
                    }
                }));
                row.extend([
                    format!("{} ({})", opt(r.status), r.health.as_str()),
                    bar(r.progress),
                ]);
                row
            })
            .collect();
        doc.push(Block::Table { header, rows });
    }
    for bucket in ["now", "next", "later"] {
        let names: Vec<String> = t
            .buckets
            .iter()
            .filter(|b| b.bucket == bucket)
            .map(|b| format!("{} ({}, {})", b.title, opt(b.status), percent(b.progress)))
            .collect();
        if !names.is_empty() {
            doc.push(Block::Text(format!("{bucket}: {}", names.join("; "))));
        }
    }
    doc
}

fn change(old: Option<&str>, new: Option<&str>) -> String {
    format!("{} → {}", old.unwrap_or("—"), new.unwrap_or("—"))
}

/// The one-line summary of a plan change, e.g. `2 themes changed, 3 status changes; 1 error
/// introduced`.
pub fn diff_summary(d: &crate::diff::PlanDiff) -> String {
    let counts = [
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
        findings.push(format!("{} introduced", super::count(errors, "error")));
    }
    if warnings > 0 {
        findings.push(format!("{} introduced", super::count(warnings, "warning")));
    }
    if !d.findings_fixed.is_empty() {
        findings.push(format!(
            "{} fixed",
            super::count(d.findings_fixed.len(), "finding")
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

/// `roadlog diff`: a summary line, then a section for each kind of change there is.
pub fn diff(d: &crate::diff::PlanDiff) -> Doc {
    if d.is_empty() {
        return vec![Block::Text(format!(
            "No change to the plan between `{}` and `{}`.",
            d.base, d.head
        ))];
    }
    let mut doc = vec![Block::Text(diff_summary(d))];
    let mut themes: Vec<Vec<String>> = Vec::new();
    themes.extend(d.themes_added.iter().map(|t| {
        vec![
            "added".into(),
            format!("{} ({})", t.title, t.id),
            String::new(),
        ]
    }));
    themes.extend(d.themes_changed.iter().map(|t| {
        let details = t
            .changes
            .iter()
            .map(|c| {
                format!(
                    "{}: {}",
                    c.field,
                    change(c.old.as_deref(), c.new.as_deref())
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        vec!["changed".into(), format!("{} ({})", t.title, t.id), details]
    }));
    themes.extend(d.themes_removed.iter().map(|t| {
        vec![
            "removed".into(),
            format!("{} ({})", t.title, t.id),
            String::new(),
        ]
    }));
    if !themes.is_empty() {
        doc.push(Block::Heading(2, "Roadmap themes".into()));
        doc.push(Block::Table {
            header: strings(["change", "theme", "details"]),
            rows: themes,
        });
    }
    if !d.progress.is_empty() {
        doc.push(Block::Heading(2, "Progress".into()));
        doc.push(Block::Table {
            header: strings(["theme", "before", "after"]),
            rows: d
                .progress
                .iter()
                .map(|p| {
                    vec![
                        format!("{} ({})", p.title, p.id),
                        percent(p.old),
                        bar(p.new),
                    ]
                })
                .collect(),
        });
    }
    let mut items: Vec<Vec<String>> = Vec::new();
    items.extend(d.status_changes.iter().map(|c| {
        vec![
            "status".into(),
            c.id.clone(),
            c.title.clone(),
            change(c.old.as_deref(), c.new.as_deref()),
        ]
    }));
    items.extend(d.items_retraced.iter().map(|c| {
        vec![
            "re-traced".into(),
            c.id.clone(),
            c.title.clone(),
            format!("theme {}", change(c.old.as_deref(), c.new.as_deref())),
        ]
    }));
    items.extend(d.items_added.iter().map(|i| {
        vec![
            "added".into(),
            i.id.clone(),
            i.title.clone(),
            format!(
                "{}, theme {}",
                opt(i.status.as_deref()),
                opt(i.theme.as_deref())
            ),
        ]
    }));
    items.extend(d.items_removed.iter().map(|i| {
        vec![
            "removed".into(),
            i.id.clone(),
            i.title.clone(),
            String::new(),
        ]
    }));
    if !items.is_empty() {
        doc.push(Block::Heading(2, "Backlog items".into()));
        doc.push(Block::Table {
            header: strings(["change", "id", "title", "details"]),
            rows: items,
        });
    }
    let findings: Vec<Vec<String>> = d
        .findings_introduced
        .iter()
        .map(|f| ("introduced", f))
        .chain(d.findings_fixed.iter().map(|f| ("fixed", f)))
        .map(|(what, f)| {
            let at = match (&f.file, f.line) {
                (Some(file), Some(line)) => format!("{file}:{line}"),
                (Some(file), None) => file.clone(),
                _ => String::new(),
            };
            vec![
                what.to_string(),
                f.severity.to_string(),
                f.rule.to_string(),
                at,
                f.message.clone(),
            ]
        })
        .collect();
    if !findings.is_empty() {
        doc.push(Block::Heading(2, "Findings".into()));
        doc.push(Block::Table {
            header: strings(["", "severity", "rule", "where", "message"]),
            rows: findings,
        });
    }
    doc
}

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

/// `roadlog history`: a sparkline per theme, first and last figure.
pub fn history(h: &crate::history::HistoryReport) -> Doc {
    let (Some(first), Some(last)) = (h.samples.first(), h.samples.last()) else {
        return vec![Block::Text(
            "No commit changed the plan in this range.".into(),
        )];
    };
    let every = match h.every {
        crate::history::Every::Day => "day",
        crate::history::Every::Week => "week",
        crate::history::Every::Month => "month",
        crate::history::Every::Commit => "commit",
    };
    let mut doc = vec![Block::Text(format!(
        "{} from {} to {}, one per {every}.",
        super::count(h.samples.len(), "sample"),
        first.date,
        last.date
    ))];
    if !h.themes.is_empty() {
        doc.push(Block::Table {
            header: strings(["theme", "trend", "first", "last"]),
            rows: h
                .themes
                .iter()
                .map(|t| {
                    let first = t.progress.iter().flatten().next().copied();
                    vec![
                        format!("{} ({})", t.title, t.id),
                        sparkline(&t.progress),
                        percent(first),
                        bar(t.progress.last().copied().flatten()),
                    ]
                })
                .collect(),
        });
    }
    doc
}
