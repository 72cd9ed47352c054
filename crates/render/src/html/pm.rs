//! `pm.html`: alignment figures and lists, and the traceability tree theme → epic → story,
//! collapsed to themes at first and opened level by level (`<details>`, so it works without
//! script), each finding of `check` shown on the item or theme it concerns.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use maud::{Markup, PreEscaped, html};

use super::{Header, Page, message, meter, page};
use crate::diff::FindingView;
use crate::forecast::Calibration;
use crate::report::{PmReport, PmTheme, TreeRow};
use crate::{count, percent};

/// How this plan's past forecasts fared, for the PM page's chart.
#[derive(Clone, Copy, Debug)]
pub struct Reliability<'a> {
    /// The record.
    pub calibration: &'a Calibration,
    /// Whether calibration was asked for (not `--no-calibrate`).
    pub asked: bool,
}

/// The product manager's page. `findings` are `check`'s, each shown where its entity is;
/// `reliability` the forecast's record where the plan has history.
pub fn pm_page(
    header: &Header,
    pm: &PmReport,
    findings: &[FindingView],
    reliability: Option<Reliability<'_>>,
) -> String {
    // A finding sits on its theme or item where the tree shows it; the others (a file, an
    // item no theme reaches) get a section of their own, so none is left out.
    let shown: HashSet<&str> = pm
        .themes
        .iter()
        .flat_map(|t| std::iter::once(t.id.as_str()).chain(t.items.iter().map(|r| r.id.as_str())))
        .collect();
    let mut by_entity: HashMap<&str, Vec<&FindingView>> = HashMap::new();
    let mut elsewhere = Vec::new();
    for f in findings {
        match f.entity.as_deref().filter(|e| shown.contains(e)) {
            Some(e) => by_entity.entry(e).or_default().push(f),
            None => elsewhere.push(f),
        }
    }
    let a = &pm.alignment;
    let body = html! {
        section aria-labelledby="alignment" {
            h2 #alignment { "Alignment" }
            dl.figures {
                dt { "Open work serving active themes" } dd { (percent(a.open_share)) }
                @match &a.current_sprint {
                    Some(s) => { dt { "Sprint " (s) " serving active themes" } dd { (percent(a.sprint_share)) } }
                    None => { dt { "Current sprint" } dd { "none" } }
                }
            }
            (list("Orphans (trace to no theme)", &pm.orphans))
            h3 { "Open work on done or dropped themes" }
            @let groups = pm.drift_by_theme();
            @if groups.is_empty() { p.muted { "none" } }
            @for g in &groups {
                details.group {
                    summary { span.id { (g.theme) } " is " (g.theme_status) ": " (count(g.items.len(), "open item")) }
                    ul.ids { @for i in &g.items { li { (i) } } }
                }
            }
            (list("Active themes with no items", &pm.empty_themes))
            (list("Active themes due for review", &pm.stale_themes.iter().map(|s| match s.days {
                Some(d) => format!("{} ({d} days)", s.id),
                None => format!("{} (never reviewed)", s.id),
            }).collect::<Vec<_>>()))
        }
        (super::reliability::section(reliability.map(|r| r.calibration), reliability.is_some_and(|r| r.asked)))
        section aria-labelledby="trace" {
            h2 #trace { "Traceability" }
            div.controls hidden {
                label.visually-hidden for="filter" { "Filter items" }
                input #filter type="search" placeholder="Filter by id or title";
                button #expand type="button" { "Expand all" }
                button #collapse type="button" { "Collapse all" }
            }
            ul.tree {
                @for t in &pm.themes { (PreEscaped(theme(t, &by_entity))) }
            }
        }
        @if !elsewhere.is_empty() {
            section aria-labelledby="other" {
                h2 #other { "Other findings" }
                @for f in &elsewhere {
                    div.other {
                        @if let Some(file) = &f.file { span.id { (file) } }
                        (finding(f))
                    }
                }
            }
        }
    };
    page(header, Page::Pm, body)
}

fn list(title: &str, items: &[String]) -> Markup {
    html! {
        h3 { (title) }
        @if items.is_empty() { p.muted { "none" } } @else {
            ul { @for i in items { li { (i) } } }
        }
    }
}

fn finding(f: &FindingView) -> Markup {
    html! {
        p class=(format!("finding {}", f.severity)) {
            span.id { (f.rule) } ": " (message(&f.message))
        }
    }
}

fn findings_of(by_entity: &HashMap<&str, Vec<&FindingView>>, id: &str) -> String {
    by_entity
        .get(id)
        .map(|fs| fs.iter().map(|f| finding(f).into_string()).collect())
        .unwrap_or_default()
}

/// A theme and its tree, as HTML. Built with a loop, not recursion: a parent chain can be as
/// deep as the plan is long.
fn theme(t: &PmTheme, by_entity: &HashMap<&str, Vec<&FindingView>>) -> String {
    let head = html! {
        span.row {
            strong { (t.title) } " " code { (t.id) }
            span.st { (t.status.unwrap_or("no status")) " · " (t.horizon.as_deref().unwrap_or("no horizon")) }
        }
        (meter(t.progress, &format!("Progress of {}", t.title)))
    };
    let mut out = format!(
        "<li class=\"theme\"><details><summary>{}</summary>{}",
        head.into_string(),
        findings_of(by_entity, &t.id)
    );
    out.push_str("<ul>");
    let rows = &t.items;
    // The depths of the items whose lists are open: the ancestors of the row being written.
    let mut open: Vec<usize> = Vec::new();
    for (n, r) in rows.iter().enumerate() {
        while open.last().is_some_and(|&d| d >= r.depth) {
            out.push_str("</ul></details></li>");
            open.pop();
        }
        let row = item(r).into_string();
        let notes = findings_of(by_entity, &r.id);
        if rows.get(n + 1).is_some_and(|next| next.depth > r.depth) {
            let _ = write!(out, "<li><details><summary>{row}</summary>{notes}<ul>");
            open.push(r.depth);
        } else {
            let _ = write!(out, "<li>{row}{notes}</li>");
        }
    }
    for _ in open {
        out.push_str("</ul></details></li>");
    }
    if rows.is_empty() {
        out.push_str("<li class=\"muted\">No backlog items.</li>");
    }
    out.push_str("</ul></details></li>");
    out
}

/// One item's row, kept short: a 100,000-item tree is this row 100,000 times.
fn item(r: &TreeRow) -> Markup {
    html! {
        span.row {
            code { (r.id) } " " (r.title) " "
            small { (r.kind) " · " (r.status.as_deref().unwrap_or("no status")) " · " (percent(r.progress)) }
        }
    }
}
