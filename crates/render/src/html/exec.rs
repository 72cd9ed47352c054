//! `index.html`: the roadmap for executives, customers and other teams, from the same
//! theme-level data as `report exec`, so no backlog item's id, title, assignee, estimate or
//! sprint can reach it.

use maud::{Markup, html};

use super::{Header, Page, health, meter, page, timeline};
use crate::report::{ExecReport, ExecTheme, Timeline};

/// The executive page: the timeline, the undated board, a card per theme.
pub fn exec_page(header: &Header, exec: &ExecReport, timeline: &Timeline) -> String {
    let body = html! {
        section aria-labelledby="timeline" {
            h2 #timeline { "Timeline" }
            @if timeline.rows.is_empty() {
                p.muted { "No theme has a dated horizon yet." }
            } @else {
                (timeline::svg(timeline, header.verdicts))
            }
        }
        @if !timeline.buckets.is_empty() {
            section aria-labelledby="board" {
                h2 #board { "Now, next, later" }
                div.board {
                    @for (bucket, heading) in [("now", "Now"), ("next", "Next"), ("later", "Later"), ("undated", "No horizon")] {
                        @let themes: Vec<_> = timeline.buckets.iter().filter(|b| b.bucket == bucket).collect();
                        @if !themes.is_empty() {
                            div.column {
                                h3 { (heading) }
                                ul {
                                    @for b in themes {
                                        li { a href=(format!("#theme-{}", b.id)) { (b.title) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="themes" {
            h2 #themes { "Themes" }
            @if exec.themes.is_empty() {
                p.muted { "No themes on the roadmap yet." }
            }
            @if let (false, Some(note)) = (exec.external, &exec.forecast_calibration) {
                @if exec.themes.iter().any(|t| t.forecast.is_some()) {
                    p.calibration.muted { "Forecasts: " (note) "." }
                }
            }
            div.cards {
                @for t in &exec.themes { (card(t, header.verdicts)) }
            }
        }
    };
    page(header, Page::Exec, body)
}

/// One theme: why, when, how it stands, and what success is measured by. Without `verdicts` (a
/// customers' page) no health verdict is shown, and a forecast only as the date it gives.
fn card(t: &ExecTheme, verdicts: bool) -> Markup {
    html! {
        article.card.theme #(format!("theme-{}", t.id)) data-theme=(t.id) {
            h3 { (t.title) }
            p.facts {
                (t.horizon.as_deref().unwrap_or("no horizon"))
                " · " (t.status.unwrap_or("no status"))
                @if verdicts && t.status != Some(t.health.as_str()) { " · " (health(t.health)) }
                @if let Some(owner) = &t.owner { " · owner " (owner) }
            }
            @if let Some(objective) = &t.objective { p.objective { (objective) } }
            (meter(t.progress, &format!("Progress of {}", t.title)))
            @if let (false, Some(f)) = (verdicts, &t.forecast) {
                @if let Some(p85) = &f.p85 { p.forecast { "Expected by " (p85) "." } }
            } @else if let Some(f) = &t.forecast {
                p.forecast data-verdict=(f.verdict) {
                    @match &f.p85 {
                        Some(p85) => { "Forecast: " strong { (f.verdict) } ", done by " (p85) " in 85% of trials" }
                        None => { "Forecast: " strong { (f.verdict) } }
                    }
                }
            }
            @if !t.metrics.is_empty() {
                table.metrics {
                    caption.visually-hidden { "Success metrics of " (t.title) }
                    thead { tr { th scope="col" { "Metric" } th scope="col" { "Baseline" } th scope="col" { "Target" } th scope="col" { "Now" } } }
                    tbody {
                        @for m in &t.metrics {
                            tr {
                                th scope="row" { (m.name) }
                                td { (m.baseline.as_deref().unwrap_or("—")) }
                                td { (m.target) }
                                td { (m.current.as_deref().unwrap_or("—")) }
                            }
                        }
                    }
                }
            }
        }
    }
}
