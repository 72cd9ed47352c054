//! Self-contained HTML pages for `roadlog publish`: one file each, CSS and script inline, no
//! request to any network, light and dark, printable. Every value reaches the page through
//! maud, which escapes it, so a title `<script>` is shown, never run.

mod exec;
mod pm;
mod reliability;
mod team;
mod timeline;

use maud::{DOCTYPE, Markup, PreEscaped, html};

pub use exec::exec_page;
pub use pm::{Reliability, pm_page};
pub use team::team_page;

use super::percent;

/// What every page says at its top: whose plan, as of when, from which revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The product, from `roadlog.yaml`.
    pub product: Option<String>,
    /// The day the figures are for.
    pub today: String,
    /// The commit the plan was read from, when in git.
    pub revision: Option<Revision>,
    /// Whether the page leaves out internal themes and owners (a page for customers).
    pub external: bool,
    /// Whether it shows health verdicts (at risk, overdue): a customers' page does only when
    /// `publish.external_health` says so.
    pub verdicts: bool,
}

/// A commit, as a page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    /// Short commit id.
    pub id: String,
    /// The commit's day.
    pub date: String,
    /// Whether the plan was read from a working tree with uncommitted changes to it.
    pub dirty: bool,
}

/// Which page: for the links between them and the title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Page {
    Exec,
    Pm,
    Team,
}

impl Page {
    fn file(self) -> &'static str {
        match self {
            Page::Exec => "index.html",
            Page::Pm => "pm.html",
            Page::Team => "team.html",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Page::Exec => "Roadmap",
            Page::Pm => "Alignment",
            Page::Team => "Sprint",
        }
    }
}

/// A whole page around `body`.
fn page(header: &Header, which: Page, body: Markup) -> String {
    let product = header.product.as_deref().unwrap_or("Plan");
    let title = format!("{product}: {}", which.name().to_lowercase());
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="roadlog";
                title { (title) }
                style { (PreEscaped(include_str!("html/page.css"))) }
            }
            body {
                header.page {
                    h1 { (product) " " span.muted { (which.name()) } }
                    p.meta {
                        "As of " time datetime=(header.today) { (header.today) }
                        @if let Some(r) = &header.revision {
                            " · revision " span.id { (r.id) } " of " (r.date)
                            @if r.dirty { " with uncommitted changes" }
                        }
                    }
                    @if !header.external {
                        nav.pages aria-label="Pages" {
                            @for p in [Page::Exec, Page::Pm, Page::Team] {
                                @if p == which {
                                    a href=(p.file()) aria-current="page" { (p.name()) }
                                } @else {
                                    a href=(p.file()) { (p.name()) }
                                }
                            }
                        }
                    }
                }
                main { (body) }
                footer { "Made by roadlog from the plan in git. Figures are rounded: 100% means done." }
                // The tree's filter and expand/collapse belong to the PM page alone.
                script {
                    (PreEscaped(include_str!("html/errors.js")))
                    @if which == Page::Pm { (PreEscaped(include_str!("html/tree.js"))) }
                    (PreEscaped(include_str!("html/page.js")))
                }
            }
        }
    };
    markup.into_string()
}

/// A progress bar with its percent, readable by a screen reader.
fn meter(fraction: Option<f64>, label: &str) -> Markup {
    let shown = percent(fraction);
    html! {
        @match fraction {
            Some(f) => {
                div.meter role="progressbar" aria-label=(label) aria-valuemin="0" aria-valuemax="100"
                    aria-valuenow=(crate::progress::whole_percent(f)) {
                    span.track { span.fill style=(format!("width:{}%", crate::progress::whole_percent(f))) {} }
                    span.pct { (shown) }
                }
            }
            None => { div.meter { span.pct.muted { "no weighed work" } } }
        }
    }
}

/// Text in message syntax: `code` spans between backticks become `<code>`, all of it escaped.
fn message(s: &str) -> Markup {
    let parts: Vec<&str> = s.split('`').collect();
    html! {
        @for (n, part) in parts.iter().enumerate() {
            @if n % 2 == 1 && n + 1 < parts.len() { code { (part) } }
            @else if n % 2 == 1 { "`" (part) }
            @else { (part) }
        }
    }
}

/// A health badge.
fn health(h: crate::health::Health) -> Markup {
    html! { span class=(format!("badge h-{}", h.as_str())) { (h.as_str()) } }
}
