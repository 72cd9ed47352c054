//! The roadmap as a Mermaid Gantt chart, which GitHub renders inside markdown.
//!
//! Mermaid does not read quarter tokens, so bars carry ISO dates (`dateFormat YYYY-MM-DD`). A
//! bar ends at the start of its end date, so the end written is the day after the horizon's last
//! day. A date or name Mermaid cannot read makes GitHub show an error instead of the chart, so
//! names lose the characters that separate task metadata (`:`, `;`) or start comments (`#`).

use std::io::{self, Write};

use crate::health::Health;
use crate::report::{Timeline, Unit};
use crate::time::Date;

/// A task or chart name safe for Mermaid's grammar.
fn name(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if matches!(c, ':' | ';' | '#' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The day after an ISO date, as Mermaid's exclusive end.
fn day_after(iso: &str) -> String {
    match iso.parse::<Date>() {
        Ok(d) if d != Date::LAST => {
            Date::from_days_since_epoch(d.days_since_epoch() + 1).to_string()
        }
        _ => iso.to_string(),
    }
}

/// Writes the Gantt chart.
pub fn write(out: &mut dyn Write, t: &Timeline) -> io::Result<()> {
    writeln!(out, "gantt")?;
    let title = t
        .product
        .as_deref()
        .map_or_else(|| "Roadmap".to_string(), |p| format!("{} roadmap", name(p)));
    writeln!(out, "    title {title}")?;
    writeln!(out, "    dateFormat YYYY-MM-DD")?;
    writeln!(out, "    axisFormat %Y-%m")?;
    writeln!(
        out,
        "    tickInterval {}",
        if t.unit == Unit::Quarter {
            "3month"
        } else {
            "1month"
        }
    )?;
    for (section, status) in [
        ("Active", "active"),
        ("Proposed", "proposed"),
        ("Done", "done"),
        ("No status", ""),
    ] {
        let rows: Vec<_> = t
            .rows
            .iter()
            .filter(|r| r.status.unwrap_or("") == status)
            .collect();
        if rows.is_empty() {
            continue;
        }
        writeln!(out, "    section {section}")?;
        for r in rows {
            let mut tags = Vec::new();
            match r.status {
                Some("done") => tags.push("done"),
                Some("active") => tags.push("active"),
                _ => {}
            }
            if matches!(r.health, Health::Overdue | Health::AtRisk) {
                tags.push("crit");
            }
            let progress = r
                .progress
                .map(|p| format!(" ({}%)", crate::progress::whole_percent(p)))
                .unwrap_or_default();
            let mut meta = tags.join(", ");
            if !meta.is_empty() {
                meta.push_str(", ");
            }
            writeln!(
                out,
                "    {}{progress} :{meta}{}, {}",
                name(&r.title),
                r.start,
                day_after(&r.end)
            )?;
        }
    }
    undated(out, t)
}

/// Themes without dates: Mermaid has no undated bars, so `now`, `next` and `later` follow
/// today in that order, a month each, marked as undated, and a theme with no horizon at all (a
/// done one may have none) is a milestone on today.
fn undated(out: &mut dyn Write, t: &Timeline) -> io::Result<()> {
    if t.buckets.is_empty() {
        return Ok(());
    }
    let Ok(today) = t.today.parse::<Date>() else {
        return Ok(());
    };
    let day = |n: i64| Date::from_days_since_epoch(today.days_since_epoch() + n).to_string();
    writeln!(out, "    section Undated (now, next, later)")?;
    for b in &t.buckets {
        let done = if b.status == Some("done") {
            "done, "
        } else {
            ""
        };
        let progress = b
            .progress
            .map(|p| format!(" ({}%)", crate::progress::whole_percent(p)))
            .unwrap_or_default();
        let start = match b.bucket.as_str() {
            "now" => 0,
            "next" => 30,
            "later" => 60,
            _ => {
                writeln!(
                    out,
                    "    {}{progress} (no horizon) :{done}milestone, {}, 0d",
                    name(&b.title),
                    day(0)
                )?;
                continue;
            }
        };
        writeln!(
            out,
            "    {}{progress} ({}, undated) :{done}{}, {}",
            name(&b.title),
            b.bucket,
            day(start),
            day(start + 30)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_dates_are_safe() {
        assert_eq!(name("Spike: storage; #1\nnext"), "Spike storage 1 next");
        assert_eq!(day_after("2025-09-30"), "2025-10-01");
        assert_eq!(day_after("2024-12-31"), "2025-01-01");
        assert_eq!(day_after("9999-12-31"), "9999-12-31");
    }
}
