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

/// Themes without dates: Mermaid has no undated bars, and a bar placed on made-up dates would
/// read as a schedule, so they are left out of the chart and named in comments (`%%`), which
/// the source keeps and the chart does not draw.
fn undated(out: &mut dyn Write, t: &Timeline) -> io::Result<()> {
    for b in &t.buckets {
        let progress = b
            .progress
            .map(|p| format!(", {}%", crate::progress::whole_percent(p)))
            .unwrap_or_default();
        writeln!(
            out,
            "    %% {}: {} ({}{progress}), not drawn: it has no dated horizon",
            b.bucket,
            name(&b.title),
            b.status.unwrap_or("no status")
        )?;
    }
    Ok(())
}
