//! The roadmap as an inline SVG: themes as bars over quarters (or months), progress inside each
//! bar, today marked. Drawn by roadlog, so the page needs nothing from a network.

use maud::{Markup, html};

use crate::report::Timeline;
use crate::time::{Date, Period};

const LABEL: f64 = 260.0;
const WIDTH: f64 = 980.0;
const ROW: f64 = 30.0;
const TOP: f64 = 28.0;

/// Days since the epoch, as a float for drawing.
#[allow(clippy::cast_precision_loss)]
fn day(d: Date) -> f64 {
    d.days_since_epoch() as f64
}

/// The SVG of the dated rows of `t`.
pub(super) fn svg(t: &Timeline) -> Markup {
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
        if s.chars().count() > 36 {
            format!("{}…", s.chars().take(35).collect::<String>())
        } else {
            s.to_string()
        }
    };
    html! {
        svg.timeline xmlns="http://www.w3.org/2000/svg" role="img"
            viewBox=(format!("0 0 {WIDTH} {height}")) aria-labelledby="timeline-title" {
            title #timeline-title { "Roadmap timeline: themes over " (t.periods.join(", ")) }
            @for (p, name) in periods.iter().zip(&t.periods) {
                @let px = x(day(p.start()));
                line.grid x1=(px) y1="0" x2=(px) y2=(height) {}
                text x=(px + 4.0) y="16" { (name) }
            }
            @for (n, r) in t.rows.iter().enumerate() {
                @let y = { #[allow(clippy::cast_precision_loss)] let y = TOP + ROW * n as f64; y };
                @let (s, e) = (
                    r.start.parse::<Date>().map_or(from, day),
                    r.end.parse::<Date>().map_or(to, |d| day(d) + 1.0),
                );
                @let (bx, bw) = (x(s), (x(e) - x(s)).max(2.0));
                g.row data-theme=(r.id) {
                    title { (r.title) ": " (r.horizon.as_deref().unwrap_or("")) ", " (r.health.as_str()) ", " (super::percent(r.progress)) }
                    text x="0" y=(y + 19.0) { (label(&r.title)) }
                    rect.band x=(bx) y=(y + 6.0) width=(bw) height="18" rx="4" {}
                    @if let Some(p) = r.progress {
                        rect class=(format!("fill h-{}", r.health.as_str())) x=(bx) y=(y + 6.0)
                            width=(bw * p.clamp(0.0, 1.0)) height="18" rx="4" {}
                    }
                    text x=(bx + 6.0) y=(y + 19.0) { (super::percent(r.progress)) }
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
