//! `roadlog forecast`: the dates per theme with a small fan against the horizon, the scenario
//! beside the baseline, and the backtest.

use super::super::doc::{Block, Cell, Column, Doc, Table};
use super::super::{calibration_note, count, percent, thousands, weight};
use super::{opt, sparkline};
use crate::forecast::{ForecastReport, Outlook, ThemeForecast, Verdict};
use crate::time::Date;

/// Characters in a fan.
const FAN: usize = 16;

/// `roadlog forecast`.
pub fn forecast(r: &ForecastReport) -> Doc {
    let mut doc = vec![Block::Para(learned_from(r))];
    if let Some(c) = &r.calibration {
        doc.push(Block::Para(format!(
            "{}.",
            calibration_note(c, r.calibrate)
        )));
    }
    if let Some(why) = &r.reason {
        doc.push(Block::Para(format!("No forecast: {why}.")));
    }
    if r.themes.is_empty() {
        doc.push(Block::Para("No themes to forecast.".into()));
        return doc;
    }
    let today: Option<Date> = r.today.parse().ok();
    doc.push(Block::Table(Table {
        columns: vec![
            Column::shrink("theme"),
            Column::keep("remaining").drop(3),
            Column::keep("p50").drop(2),
            Column::keep("p85"),
            Column::keep("p95").drop(4),
            Column::keep("p50–p95 against the horizon").drop(1),
            Column::keep("horizon end").drop(5),
            Column::keep("chance"),
            Column::keep("verdict"),
        ],
        rows: r
            .themes
            .iter()
            .map(|t| {
                let o = &t.outlook;
                vec![
                    Cell::Text(format!("{} ({})", t.title, t.id)),
                    Cell::Token(weight(o.remaining)),
                    Cell::token(o.p50.as_deref()),
                    Cell::token(o.p85.as_deref()),
                    Cell::Token(o.p95.clone().unwrap_or_else(|| beyond(o))),
                    Cell::Token(today.map(|d| fan(d, o, t)).unwrap_or_default()),
                    Cell::token(t.horizon_end.as_deref()),
                    Cell::token(o.p_by_horizon_end.map(|p| percent(Some(p))).as_deref()),
                    Cell::Token(o.verdict.as_str().to_string()),
                ]
            })
            .collect(),
    }));
    doc.push(Block::Para(
        "The fan runs from today: ▓ from p50 to p85, ░ to p95, | the horizon's end.".into(),
    ));
    let notes = notes(r);
    if !notes.is_empty() {
        doc.push(Block::List(notes));
    }
    if r.scenario.is_some() {
        doc.extend(scenario(r));
    }
    if let Some(b) = &r.backtest {
        doc.push(Block::Heading(2, "Backtest".into()));
        let mut line = format!(
            "{} replayed from every {} weeks of the last two years, each from the plan as it \
             stood and the history known then ({} trials each); {} resolved",
            count(b.forecasts, "forecast"),
            b.every_weeks,
            thousands(b.trials),
            b.resolved
        );
        if let Some(rate) = b.hit_rate {
            line.push_str(&format!(
                ", {} finished by their p85 ({})",
                b.hits,
                percent(Some(rate))
            ));
        }
        match (b.median_error_days, b.median_bias_days) {
            (Some(e), Some(bias)) => line.push_str(&format!(
                ". The p50 was off by {} at the median, themes still open past it counted as \
                 late by at least the days since ({}).",
                days(e),
                match bias {
                    0 => "neither early nor late".to_string(),
                    b if b > 0 => format!("themes finished {} later", days(b)),
                    b => format!("themes finished {} sooner", days(b)),
                }
            )),
            _ => {
                line.push_str(". No replayed theme has finished yet, so the p50 cannot be scored.")
            }
        }
        doc.push(Block::Para(line));
        doc.push(Block::Table(Table {
            columns: vec![
                Column::keep("level"),
                Column::keep("raw: came true"),
                Column::keep("calibrated: came true"),
            ],
            rows: b
                .levels
                .iter()
                .map(|l| {
                    let cal = b
                        .calibrated
                        .iter()
                        .find(|c| (c.level - l.level).abs() < 1e-9);
                    let rate = |v: &crate::forecast::calibrate::LevelView| match v.observed {
                        Some(o) => format!("{} ({} of {})", percent(Some(o)), v.hits, v.of),
                        None => opt(None),
                    };
                    vec![
                        Cell::Token(format!("p{:.0}", l.level * 100.0)),
                        Cell::Token(rate(l)),
                        Cell::Token(cal.map_or_else(|| opt(None), rate)),
                    ]
                })
                .collect(),
        }));
        if !b.points.is_empty() {
            doc.push(Block::Table(Table {
                columns: vec![
                    Column::keep("as of"),
                    Column::keep("theme"),
                    Column::keep("p50").drop(1),
                    Column::keep("p85"),
                    Column::keep("finished"),
                    Column::keep("outcome"),
                    Column::keep("calibrated p85").drop(2),
                    Column::keep("then").drop(2),
                ],
                rows: b
                    .points
                    .iter()
                    .map(|p| {
                        vec![
                            Cell::Token(p.as_of.clone()),
                            Cell::Token(p.theme.clone()),
                            Cell::token(p.p50.as_deref()),
                            Cell::token(p.p85.as_deref()),
                            Cell::token(p.finished.as_deref()),
                            Cell::Token(p.outcome.to_string()),
                            Cell::token(p.calibrated_p85.as_deref()),
                            Cell::token(p.calibrated_outcome),
                        ]
                    })
                    .collect(),
            }));
        }
    }
    doc
}

/// What the forecast learned from, in one sentence.
fn learned_from(r: &ForecastReport) -> String {
    let unit = if r.throughput.unit == "count" {
        crate::ITEMS
    } else {
        crate::POINTS
    };
    let weeks = &r.throughput.weeks;
    let (Some(first), Some(_)) = (weeks.first(), weeks.last()) else {
        return format!(
            "Forecast for {}: no week of the plan's history to learn from.",
            r.today
        );
    };
    let most = weeks.iter().map(|w| w.done).fold(0.0, f64::max);
    let line: Vec<Option<f64>> = weeks
        .iter()
        .map(|w| Some(if most > 0.0 { w.done / most } else { 0.0 }))
        .collect();
    format!(
        "Forecast for {} from {} of throughput since {} ({}), {} a week on average; {} model, {} trials, seed {}, scope growth {}.",
        r.today,
        count(weeks.len(), "week"),
        first.start,
        sparkline(&line),
        crate::weighed((r.throughput.mean * 10.0).round() / 10.0, unit),
        r.model,
        thousands(r.trials),
        r.seed,
        if r.growth { "included" } else { "left out" },
    )
}

/// Per-theme notes: why there is no forecast, and unestimated leaves.
fn notes(r: &ForecastReport) -> Vec<String> {
    let mut notes = Vec::new();
    for t in &r.themes {
        if let Some(why) = &t.outlook.reason
            && r.reason.is_none()
        {
            notes.push(format!("{} (`{}`): {why}.", t.title, t.id));
        }
        if t.unestimated > 0 && !matches!(t.outlook.verdict, Verdict::Done) {
            notes.push(format!(
                "{} (`{}`): {} weighed by `default_estimate` for want of an estimate.",
                t.title,
                t.id,
                count(t.unestimated, "open leaf"),
            ));
        }
        if t.growth > 0.0 && t.outlook.p50.is_some() {
            notes.push(format!(
                "{} (`{}`): its scope grew by {} a week in the window, and the forecast expects that to go on.",
                t.title,
                t.id,
                weight((t.growth * 10.0).round() / 10.0)
            ));
        }
    }
    notes
}

fn scenario(r: &ForecastReport) -> Doc {
    let Some(s) = &r.scenario else {
        return Vec::new();
    };
    let mut what = Vec::new();
    for d in &s.defer {
        what.push(format!("`{d}` deferred"));
    }
    for d in &s.drop {
        what.push(format!("`{d}` dropped"));
    }
    if s.capacity != 1.0 {
        what.push(format!("capacity × {}", s.capacity));
    }
    for a in &s.add {
        what.push(format!("{} added to `{}`", weight(a.weight), a.theme));
    }
    let rows = r
        .themes
        .iter()
        .filter_map(|t| {
            let after = t.scenario.as_ref()?;
            Some(vec![
                Cell::Text(format!("{} ({})", t.title, t.id)),
                Cell::token(t.outlook.p85.as_deref()),
                Cell::token(after.p85.as_deref()),
                Cell::Token(match t.p85_moves {
                    Some(0) => "unchanged".into(),
                    Some(d) if d > 0 => format!("{d} days later"),
                    Some(d) => format!("{} days sooner", d.unsigned_abs()),
                    None => opt(None),
                }),
                Cell::Token(format!(
                    "{} → {}",
                    t.outlook.verdict.as_str(),
                    after.verdict.as_str()
                )),
            ])
        })
        .collect();
    vec![
        Block::Heading(2, format!("Scenario: {}", what.join(", "))),
        Block::Table(Table {
            columns: vec![
                Column::shrink("theme"),
                Column::keep("p85 now"),
                Column::keep("p85 then"),
                Column::keep("moves"),
                Column::keep("verdict"),
            ],
            rows,
        }),
    ]
}

/// `3 days` for 3 or -3.
fn days(n: i64) -> String {
    count(
        usize::try_from(n.unsigned_abs()).unwrap_or(usize::MAX),
        "day",
    )
}

/// `—`, or "over 10 years" when trials ran out of time.
fn beyond(o: &Outlook) -> String {
    if o.p50.is_some() {
        "> 10 years".into()
    } else {
        opt(None)
    }
}

/// A line of [`FAN`] characters from today to the later of the p95 and the horizon's end.
fn fan(today: Date, o: &Outlook, t: &ThemeForecast) -> String {
    let day = |s: &Option<String>| s.as_deref().and_then(|s| s.parse::<Date>().ok());
    let (Some(p50), Some(p85)) = (day(&o.p50), day(&o.p85)) else {
        return String::new();
    };
    let p95 = day(&o.p95);
    let end = day(&t.horizon_end);
    let last = [Some(p85), p95, end]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(p85);
    let span = today.days_until(last).max(1);
    let width = i64::try_from(FAN - 1).unwrap_or(15);
    let at =
        |d: Date| usize::try_from((today.days_until(d).clamp(0, span) * width) / span).unwrap_or(0);
    let (a, b) = (at(p50), at(p85));
    let c = p95.map_or(FAN - 1, at);
    let mut cells: Vec<char> = (0..FAN)
        .map(|i| match i {
            i if (a..=b).contains(&i) => '▓',
            i if i > b && i <= c => '░',
            _ => '·',
        })
        .collect();
    if let Some(cell) = end.and_then(|e| cells.get_mut(at(e))) {
        *cell = '|';
    }
    cells.into_iter().collect()
}
