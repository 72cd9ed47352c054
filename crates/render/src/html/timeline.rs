//! The roadmap as an inline SVG: themes as bars over quarters (or months), today marked, and each
//! theme's progress as a meter of its own beside its name, so that a bar filled to 86% is never
//! read as "scheduled to mid-December". Drawn by roadlog, so the page needs nothing from a
//! network.

use maud::{Markup, html};

use crate::report::Timeline;
use crate::time::{Date, Period};

const LABEL: f64 = 300.0;
/// The progress meter in the label column, left of the time axis.
const METER_X: f64 = 206.0;
const METER_W: f64 = 50.0;
/// The width a period's label needs at the timeline's font size, with a margin: narrower
/// periods are labelled by year only.
const LABEL_ROOM: f64 = 58.0;
/// Roughly how wide one character of a label is drawn.
const CHAR: f64 = 7.5;
const WIDTH: f64 = 980.0;
const ROW: f64 = 30.0;
const TOP: f64 = 28.0;

/// Days since the epoch, as a float for drawing.
#[allow(clippy::cast_precision_loss)]
fn day(d: Date) -> f64 {
    d.days_since_epoch() as f64
}

/// Where each period label goes and what it says: every period when there is room, else the
/// first period of each year by its year alone (20 quarters stay readable); a label that would
/// run past the right edge is left out.
fn period_labels(
    periods: &[Period],
    names: &[String],
    x: impl Fn(f64) -> f64,
) -> Vec<(f64, String)> {
    #[allow(clippy::cast_precision_loss)]
    let per = (WIDTH - LABEL) / periods.len().max(1) as f64;
    let roomy = per >= LABEL_ROOM;
    let mut labels = Vec::new();
    let mut year = None;
    for (p, name) in periods.iter().zip(names) {
        let starts_year = year != Some(p.start().year());
        year = Some(p.start().year());
        let text = if roomy {
            name.clone()
        } else if starts_year {
            p.start().year().to_string()
        } else {
            continue;
        };
        let px = x(day(p.start()));
        #[allow(clippy::cast_precision_loss)]
        let fits = px + 4.0 + CHAR * text.chars().count() as f64 <= WIDTH;
        if fits {
            labels.push((px, text));
        }
    }
    labels
}

/// The SVG of the dated rows of `t`.
/// With `verdicts` false (a customers' page), spans carry no health: no at-risk or overdue
/// colour, no verdict in their titles.
pub(super) fn svg(t: &Timeline, verdicts: bool) -> Markup {
    let periods: Vec<Period> = t.periods.iter().filter_map(|p| p.parse().ok()).collect();
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return html! {};
    };
    let (from, to) = (day(first.start()), day(last.end()) + 1.0);
    let span = (to - from).max(1.0);
    let x = |d: f64| LABEL + (d.clamp(from, to) - from) / span * (WIDTH - LABEL);
    #[allow(clippy::cast_precision_loss)]
    let height = TOP + ROW * t.rows.len() as f64 + 8.0;
    let today = t.today.parse::<Date>().ok().map(day);
    let label = |s: &str| {
        if s.chars().count() > 28 {
            format!("{}…", s.chars().take(27).collect::<String>())
        } else {
            s.to_string()
        }
    };
    let labels = period_labels(&periods, &t.periods, x);
    html! {
        svg.timeline xmlns="http://www.w3.org/2000/svg" role="img"
            viewBox=(format!("0 0 {WIDTH} {height}")) aria-labelledby="timeline-title" {
            title #timeline-title { "Roadmap timeline: themes over " (t.periods.join(", ")) }
            @for p in &periods {
                @let px = x(day(p.start()));
                line.grid x1=(px) y1="0" x2=(px) y2=(height) {}
            }
            @for (px, name) in &labels {
                text.period x=(px + 4.0) y="16" { (name) }
            }
            @for (n, r) in t.rows.iter().enumerate() {
                @let y = { #[allow(clippy::cast_precision_loss)] let y = TOP + ROW * n as f64; y };
                @let (s, e) = (
                    r.start.parse::<Date>().map_or(from, day),
                    r.end.parse::<Date>().map_or(to, |d| day(d) + 1.0),
                );
                @let (bx, bw) = (x(s), (x(e) - x(s)).max(2.0));
                g.row data-theme=(r.id) {
                    @let health = if verdicts { r.health.as_str() } else { "plain" };
                    @if verdicts {
                        title { (r.title) ": " (r.horizon.as_deref().unwrap_or("")) ", " (health) ", " (super::percent(r.progress)) }
                    } @else {
                        title { (r.title) ": " (r.horizon.as_deref().unwrap_or("")) ", " (super::percent(r.progress)) }
                    }
                    text x="0" y=(y + 19.0) { (crate::nested(r.depth)) (label(&r.title)) }
                    rect class=(format!("span h-{health}")) x=(bx) y=(y + 6.0)
                        width=(bw) height="18" rx="4" {}
                    rect.track x=(METER_X) y=(y + 11.0) width=(METER_W) height="8" rx="4" {}
                    @if let Some(p) = r.progress {
                        rect.fill x=(METER_X) y=(y + 11.0) width=(METER_W * p.clamp(0.0, 1.0))
                            height="8" rx="4" {}
                    }
                    text.pct x=(METER_X + METER_W + 4.0) y=(y + 19.0) { (super::percent(r.progress)) }
                    // An ongoing theme's bar has no end: an arrow says it runs on.
                    @if r.open {
                        text.open x=(bx + bw - 16.0) y=(y + 19.0) { "→" }
                    }
                }
            }
            @if let Some(d) = today.filter(|d| (from..to).contains(d)) {
                line.today x1=(x(d)) y1="20" x2=(x(d)) y2=(height) {
                    title { "Today, " (t.today) }
                }
            }
        }
    }
}
