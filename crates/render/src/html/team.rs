//! `team.html`: the current sprint as a board, a column per status (blocked first), then what
//! comes next.

use maud::{Markup, html};

use super::{Header, Page, page};
use crate::report::{TeamItem, TeamReport};
use crate::{POINTS, weighed, weight};

/// The team's page.
pub fn team_page(header: &Header, team: &TeamReport) -> String {
    let unit = if team.by_count { "items" } else { "points" };
    let body = html! {
        section aria-labelledby="sprint" {
            @match &team.sprint {
                Some(s) => {
                    h2 #sprint { "Sprint " (s.id) }
                    p.facts {
                        @if let (Some(a), Some(b)) = (&s.start, &s.end) { (a) " to " (b) ": " }
                        (weight(s.done)) " of " (weight(s.committed)) " " (unit) " done"
                        @if let Some(c) = s.capacity { ", capacity " (weight(c)) }
                    }
                    @if team.groups.is_empty() {
                        p.muted { "No items in this sprint." }
                    } @else {
                        div.board {
                            @for g in &team.groups {
                                section.column aria-label=(format!("{} ({})", g.status, g.items.len())) data-status=(g.status) {
                                    h3 { (g.status) " " span.muted { "(" (g.items.len()) ")" } }
                                    ul { @for i in &g.items { li { (card(i)) } } }
                                }
                            }
                        }
                    }
                }
                None => {
                    h2 #sprint { "Sprint" }
                    p.muted {
                        @match &team.next_sprint {
                            Some(n) => { "Between sprints: the next, " (n.id) ", starts on " (n.start) "." }
                            None => { "No current sprint." }
                        }
                    }
                }
            }
        }
        section aria-labelledby="next" {
            h2 #next { "Next up" }
            @if team.next.is_empty() {
                p.muted { "Nothing open outside the sprint." }
            } @else {
                ul.next { @for i in &team.next { li.item-card { (card(i)) } } }
            }
            @if team.more_open > 0 { p.muted { "And " (team.more_open) " more open outside the sprint." } }
        }
    };
    page(header, Page::Team, body)
}

/// An item as the people building it need it.
fn card(i: &TeamItem) -> Markup {
    let waiting: Vec<&str> = i
        .depends_on
        .iter()
        .filter(|d| !d.done)
        .map(|d| d.id.as_str())
        .collect();
    html! {
        div.item data-item=(i.id) {
            div { span.id { (i.id) } " " strong { (i.title) } }
            div.facts {
                (i.kind)
                @if let Some(e) = i.estimate { " · " (weighed(e, POINTS)) }
                @if let Some(a) = &i.assignee { " · " (a) }
                @if let Some(t) = &i.theme { " · " (t) }
            }
            @if !waiting.is_empty() {
                div.facts { "waits on " @for (n, w) in waiting.iter().enumerate() { @if n > 0 { ", " } span.id { (w) } } }
            }
            @if !i.acceptance.is_empty() {
                details {
                    summary { "Acceptance (" (i.acceptance.len()) ")" }
                    ul { @for a in &i.acceptance { li { (a) } } }
                }
            }
        }
    }
}
