//! The PM page's reliability chart: for each stated level of the forecast (p50, p85, p95), how
//! often this plan's past forecasts at that level came true, drawn against the level itself,
//! with the counts written beside it so the chart is never the only place they are.

use maud::{Markup, html};

use crate::forecast::Calibration;
use crate::{calibration_note, percent};

/// The section, or nothing for a plan without history to forecast from.
pub(super) fn section(calibration: Option<&Calibration>, asked: bool) -> Markup {
    let Some(c) = calibration else {
        return html! {};
    };
    html! {
        section aria-labelledby="reliability" {
            h2 #reliability { "Forecast reliability" }
            p.muted { (calibration_note(c, asked)) "." }
            @if c.levels.iter().any(|l| l.of > 0) {
                (chart(c))
            }
            table.reliability {
                thead { tr { th scope="col" { "stated" } th scope="col" { "came true" } th scope="col" { "of resolved" } } }
                tbody {
                    @for l in &c.levels {
                        tr {
                            th scope="row" { (level(l.level)) }
                            td { (percent(l.observed)) }
                            td { (l.hits) " of " (l.of) }
                        }
                    }
                }
            }
        }
    }
}

/// Bars of the observed rate per level, each with a tick at its stated level: a bar short of
/// its tick is a forecast that promised more than it kept.
fn chart(c: &Calibration) -> Markup {
    const WIDTH: f64 = 320.0;
    const ROW: f64 = 26.0;
    const LABEL: f64 = 44.0;
    let span = WIDTH - LABEL - 8.0;
    #[allow(clippy::cast_precision_loss, reason = "three levels")]
    let height = ROW * c.levels.len() as f64 + 4.0;
    let described = c
        .levels
        .iter()
        .map(|l| match l.observed {
            Some(o) => format!("{}: {} came true", level(l.level), percent(Some(o))),
            None => format!("{}: none resolved", level(l.level)),
        })
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        svg.chart role="img" aria-label=(described) viewBox=(format!("0 0 {WIDTH} {height}"))
            width=(WIDTH) height=(height) {
            @for (k, l) in c.levels.iter().enumerate() {
                @let y = ROW * f64::from(u32::try_from(k).unwrap_or(0)) + 4.0;
                text x="0" y=(y + 14.0) { (level(l.level)) }
                rect.track x=(LABEL) y=(y) width=(span) height="16" rx="3" {}
                @if let Some(o) = l.observed {
                    rect.fill x=(LABEL) y=(y) width=(at(span * o.clamp(0.0, 1.0))) height="16" rx="3" {}
                }
                line.stated x1=(at(LABEL + span * l.level)) x2=(at(LABEL + span * l.level))
                    y1=(y - 2.0) y2=(y + 18.0) {}
            }
        }
    }
}

/// A coordinate to a tenth of a pixel, without float noise.
fn at(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0")
        .map_or_else(|| s.clone(), str::to_string)
}

fn level(q: f64) -> String {
    format!("p{:.0}", q * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::calibrate::LevelView;

    fn calibration(levels: &[(f64, usize, usize)]) -> Calibration {
        Calibration {
            resolved: 12,
            adjusted: true,
            levels: levels
                .iter()
                .map(|&(level, hits, of)| LevelView {
                    level,
                    #[allow(clippy::cast_precision_loss)]
                    observed: (of > 0).then(|| hits as f64 / of as f64),
                    hits,
                    of,
                })
                .collect(),
        }
    }

    #[test]
    fn each_level_shows_its_record_in_words_and_as_a_bar_against_its_tick() {
        let c = calibration(&[(0.5, 3, 12), (0.85, 6, 12), (0.95, 0, 0)]);
        let html = section(Some(&c), true).into_string();
        assert!(html.contains("p85: 50% came true"), "{html}");
        assert!(html.contains("p95: none resolved"), "{html}");
        assert!(html.contains("<td>6 of 12</td>"), "{html}");
        // The p85 bar is half the span, its tick at 85% of it.
        assert!(html.contains(r#"width="134""#), "{html}");
        assert!(html.contains(r#"x1="271.8""#), "{html}");
        assert_eq!(html.matches("<rect class=\"fill\"").count(), 2);
    }

    #[test]
    fn nothing_without_a_forecast_and_no_chart_without_a_resolved_one() {
        assert_eq!(section(None, true).into_string(), "");
        let mut c = calibration(&[(0.5, 0, 0), (0.85, 0, 0), (0.95, 0, 0)]);
        (c.resolved, c.adjusted) = (0, false);
        let html = section(Some(&c), true).into_string();
        assert!(html.contains("Not yet calibrated"), "{html}");
        assert!(!html.contains("<svg"), "{html}");
    }
}
