//! Draws a report document for a terminal: comfy-table tables fitted to a width, plain lines
//! otherwise. With colour on, the words that are verdicts (a health, a blocked or done status)
//! are coloured; nothing else is.
//!
//! A table that does not fit loses what matters least first: columns empty in every row, then
//! titles and criteria cut short with `…`, then whole low-value columns. Ids, statuses, figures
//! and bars are never cut or wrapped mid-token.
#![allow(
    clippy::indexing_slicing,
    reason = "column and row indices come from the table's own header and rows, built here"
)]

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table as Comfy, presets};
use unicode_width::UnicodeWidthStr;

use super::doc::{Block, Cell, Doc, Table};
use super::{bar, percent, terminal};

/// Shrinkable columns are not cut below this width (or their natural width, if smaller).
const MIN_SHRUNK: usize = 12;
/// Before leaving out columns, titles are cut no shorter than this.
const COMFORTABLE: usize = 24;

/// How a table is drawn: the width it fits, and whether verdicts are coloured.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Columns of text; `usize::MAX` draws every table whole.
    pub width: usize,
    /// Colour the verdicts (`--color always`, or a terminal without `NO_COLOR`).
    pub color: bool,
}

/// Writes the document, fitting tables to the style's width.
pub fn write(out: &mut dyn Write, doc: &Doc, style: Style) -> io::Result<()> {
    let width = style.width;
    for (n, block) in doc.iter().enumerate() {
        if n > 0 && matches!(block, Block::Heading(..) | Block::Table(_)) {
            writeln!(out)?;
        }
        match block {
            Block::Heading(level, text) => {
                let text = terminal(text);
                let rule = if *level == 1 { "=" } else { "-" };
                writeln!(out, "{text}\n{}", rule.repeat(text.width()))?;
            }
            Block::Para(text) => writeln!(out, "{}", terminal(text))?,
            Block::List(items) => {
                for item in items {
                    writeln!(out, "  • {}", terminal(item))?;
                }
            }
            Block::Details(summary, items) => {
                writeln!(out, "{summary}:")?;
                for item in items {
                    writeln!(out, "  • {}", terminal(item))?;
                }
            }
            Block::Table(table) => {
                let (drawn, left_out) = draw(table, width, style.color);
                writeln!(out, "{drawn}")?;
                if !left_out.is_empty() {
                    writeln!(
                        out,
                        "(left out to fit {width} columns: {}; set COLUMNS to widen)",
                        left_out.join(", ")
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// The colour of a cell that is a verdict, if it is one.
fn tone(cell: &Cell) -> Option<comfy_table::Color> {
    use comfy_table::Color;
    let word = match cell {
        Cell::Health(h) => h.as_str(),
        Cell::Token(t) => t.as_str(),
        _ => return None,
    };
    let verdict = word
        .rsplit_once('(')
        .map_or(word, |(_, inner)| inner.trim_end_matches(')'));
    match verdict {
        "done" | "on-track" | "likely" => Some(Color::Green),
        "at-risk" | "review" | "in-progress" => Some(Color::Yellow),
        "overdue" | "blocked" | "unlikely" | "error" => Some(Color::Red),
        "warning" => Some(Color::Yellow),
        _ => None,
    }
}

/// The lines a cell shows in a terminal.
fn lines(cell: &Cell) -> Vec<String> {
    match cell {
        Cell::Text(s) | Cell::Token(s) => vec![terminal(&s.replace(['\n', '\r'], " ")).into()],
        Cell::Tree { depth: 0, id } => vec![terminal(id).into()],
        Cell::Tree { depth, id } => vec![format!(
            "{}└ {}",
            "\u{a0}\u{a0}".repeat((*depth).min(16) - 1),
            terminal(id)
        )],
        Cell::Progress(p) => vec![bar(*p)],
        Cell::Percent(p) => vec![percent(*p)],
        Cell::Health(h) => vec![h.as_str().to_string()],
        Cell::Span(true) => vec!["████".to_string()],
        Cell::Span(false) => vec![String::new()],
        Cell::Lines(cells) => cells.iter().flat_map(lines).collect(),
        Cell::Empty => vec!["—".to_string()],
    }
}

/// `s` cut to at most `width` columns, ending in `…` when cut.
fn cut(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// The columns to show and the width of each, so the table fits `width` where it can; the
/// `alike` columns only when `with_alike`.
fn fit(
    table: &Table,
    cells: &[Vec<Vec<String>>],
    width: usize,
    with_alike: bool,
) -> Vec<(usize, usize)> {
    let n = table.columns.len();
    let natural: Vec<usize> = (0..n)
        .map(|c| {
            let head = table.columns[c].name.width();
            cells
                .iter()
                .flat_map(|row| row[c].iter().map(|l| l.width()))
                .fold(head, usize::max)
        })
        .collect();
    // Titles are first cut only to a comfortable width, leaving out whole low-value columns
    // before any title is cut further; only if that is not enough are they cut to the minimum.
    let floor = |c: usize, least: usize| {
        if table.columns[c].shrink {
            natural[c].min(least.max(table.columns[c].name.width()))
        } else {
            natural[c]
        }
    };
    // Borders and padding: `│ a ┆ b │` is three columns a column, plus one.
    let total = |shown: &[usize], widths: &[usize]| -> usize {
        shown.iter().map(|&c| widths[c] + 3).sum::<usize>() + 1
    };
    let all: Vec<usize> = (0..n)
        .filter(|&c| with_alike || !table.columns[c].alike)
        .collect();
    if total(&all, &natural) <= width {
        return all.into_iter().map(|c| (c, natural[c])).collect();
    }
    let empty = |c: usize| table.rows.iter().all(|row| row[c].is_empty());
    let mut attempt = Vec::new();
    for least in [COMFORTABLE, MIN_SHRUNK] {
        let mut shown: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&c| table.columns[c].drop == 0 || !empty(c))
            .collect();
        let mut droppable: Vec<usize> = shown
            .iter()
            .copied()
            .filter(|&c| table.columns[c].drop > 0)
            .collect();
        droppable.sort_by_key(|&c| table.columns[c].drop);
        loop {
            let mut widths = natural.clone();
            // Take the excess from the widest shrinkable column, one column of text at a time.
            while total(&shown, &widths) > width {
                let widest = shown
                    .iter()
                    .copied()
                    .filter(|&c| widths[c] > floor(c, least))
                    .max_by_key(|&c| (widths[c], std::cmp::Reverse(c)));
                match widest {
                    Some(c) => widths[c] -= 1,
                    None => break,
                }
            }
            attempt = shown.iter().map(|&c| (c, widths[c])).collect();
            if total(&shown, &widths) <= width {
                return attempt;
            }
            let Some(gone) = droppable.pop() else { break };
            shown.retain(|&c| c != gone);
        }
    }
    attempt
}

/// The cells, where two rows that differ would read the same once cut to the widths `shown`:
/// each such row's first cut column then ends in the row's `alike` cell (its id), cut shorter
/// to make room, so `2024H2 flag…` becomes `2024H2 f… (f1)`.
fn tell_apart(
    table: &Table,
    mut cells: Vec<Vec<Vec<String>>>,
    shown: &[(usize, usize)],
) -> Vec<Vec<Vec<String>>> {
    let Some(key) = table.columns.iter().position(|c| c.alike) else {
        return cells;
    };
    let Some(&(title, w)) = shown.iter().find(|&&(c, _)| table.columns[c].shrink) else {
        return cells;
    };
    let as_shown = |row: &Vec<Vec<String>>| -> Vec<String> {
        shown
            .iter()
            .flat_map(|&(c, w)| row[c].iter().map(move |l| cut(l, w)))
            .collect()
    };
    let mut by_look: std::collections::HashMap<Vec<String>, Vec<usize>> =
        std::collections::HashMap::new();
    for (r, row) in cells.iter().enumerate() {
        by_look.entry(as_shown(row)).or_default().push(r);
    }
    for rows in by_look.into_values().filter(|rows| rows.len() > 1) {
        for r in rows {
            let id = cells[r][key].join(" ");
            if let Some(line) = cells[r][title].first_mut() {
                let room = w.saturating_sub(id.width() + 3).max(1);
                *line = format!("{} ({id})", cut(line, room));
            }
        }
    }
    cells
}

/// Consecutive columns of a series as (first, last) runs, so left-out periods read as a range;
/// every other column is a run of its own.
fn runs(table: &Table, columns: impl Iterator<Item = usize>) -> Vec<(usize, usize)> {
    let series = |c: usize| table.columns[c].series;
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for c in columns {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == c && series(*last) && series(c) => *last = c,
            _ => runs.push((c, c)),
        }
    }
    runs
}

/// The table as text, fitted to `width`, and the names of the columns with content that were
/// left out to fit.
fn draw(table: &Table, width: usize, color: bool) -> (Comfy, Vec<String>) {
    let cells: Vec<Vec<Vec<String>>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(lines).collect())
        .collect();
    let shown = fit(table, &cells, width, false);
    let cells = tell_apart(table, cells, &shown);
    let left_out = runs(
        table,
        (0..table.columns.len())
            .filter(|&c| !table.columns[c].alike)
            .filter(|c| !shown.iter().any(|(s, _)| s == c))
            .filter(|&c| !table.rows.iter().all(|row| row[c].is_empty())),
    )
    .into_iter()
    .map(|(first, last)| match last - first {
        0 => table.columns[first].name.clone(),
        1 => format!(
            "{}, {}",
            table.columns[first].name, table.columns[last].name
        ),
        _ => format!(
            "{}..{}",
            table.columns[first].name, table.columns[last].name
        ),
    })
    .collect();
    let mut out = Comfy::new();
    out.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(
            shown
                .iter()
                .map(|&(c, w)| cut(&terminal(&table.columns[c].name), w)),
        );
    if color {
        // Asked for by the caller: styled whatever the stream is.
        out.enforce_styling();
    }
    for (cells, row) in cells.iter().zip(&table.rows) {
        out.add_row(shown.iter().map(|&(c, w)| {
            let text = cells[c]
                .iter()
                .map(|line| cut(line, w))
                .collect::<Vec<_>>()
                .join("\n");
            match tone(&row[c]).filter(|_| color) {
                Some(tone) => comfy_table::Cell::new(text).fg(tone),
                None => comfy_table::Cell::new(text),
            }
        }));
    }
    (out, left_out)
}

#[cfg(test)]
mod tests {
    use super::super::doc::Column;
    use super::*;

    fn table() -> Table {
        Table {
            columns: vec![
                Column::keep("id"),
                Column::shrink("title"),
                Column::keep("kind").drop(1),
                Column::keep("theme").drop(2),
            ],
            rows: vec![vec![
                Cell::Token("BL-1".into()),
                Cell::Text("A rather long title that will not fit".into()),
                Cell::Token("story".into()),
                Cell::Empty,
            ]],
        }
    }

    fn widest_line(t: &Comfy) -> usize {
        t.to_string()
            .lines()
            .map(UnicodeWidthStr::width)
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn a_table_that_fits_is_drawn_whole() {
        let (t, left_out) = draw(&table(), 200, false);
        assert!(
            t.to_string()
                .contains("A rather long title that will not fit")
        );
        assert!(t.to_string().contains("theme"));
        assert!(left_out.is_empty());
    }

    #[test]
    fn empty_columns_go_first_then_titles_are_cut_never_ids() {
        let (t, left_out) = draw(&table(), 46, false);
        let text = t.to_string();
        assert!(widest_line(&t) <= 46, "{text}");
        assert!(
            !text.contains("theme"),
            "the empty column goes first:\n{text}"
        );
        assert!(text.contains("BL-1") && text.contains("story"), "{text}");
        assert!(text.contains('…'), "{text}");
        assert!(left_out.is_empty(), "an empty column is not worth a note");
    }

    #[test]
    fn low_value_columns_are_dropped_when_cutting_is_not_enough() {
        let (t, left_out) = draw(&table(), 26, false);
        let text = t.to_string();
        assert!(!text.contains("story"), "{text}");
        assert!(text.contains("BL-1"), "{text}");
        assert_eq!(left_out, ["kind"]);
    }

    #[test]
    fn titles_cut_alike_show_the_id_that_tells_them_apart() {
        let table = Table {
            columns: vec![
                Column::shrink("theme"),
                Column::keep("id").when_alike(),
                Column::keep("status"),
            ],
            rows: ["eu", "us"]
                .iter()
                .map(|region| {
                    vec![
                        Cell::Text(format!("2024H2 flag rollout for the {region}")),
                        Cell::Token(format!("flag-{region}")),
                        Cell::Token("active".into()),
                    ]
                })
                .collect(),
        };
        let wide = draw(&table, 100, false).0.to_string();
        assert!(
            wide.contains("for the eu") && !wide.contains("flag-eu"),
            "{wide}"
        );
        let narrow = draw(&table, 30, false).0.to_string();
        assert!(widest_line(&draw(&table, 30, false).0) <= 30, "{narrow}");
        assert!(
            narrow.contains("(flag-eu)") && narrow.contains("(flag-us)"),
            "{narrow}"
        );
    }

    #[test]
    fn left_out_periods_read_as_a_range() {
        let mut columns = vec![Column::shrink("theme")];
        columns.extend((1..=6).map(|q| Column::keep(format!("2026-Q{q}")).in_series().drop(q)));
        columns.push(Column::keep("status").drop(9));
        let table = Table {
            rows: vec![
                std::iter::once(Cell::Text("A theme".into()))
                    .chain((1..=6).map(|_| Cell::Span(true)))
                    .chain([Cell::Token("active".into())])
                    .collect(),
            ],
            columns,
        };
        let (_, left_out) = draw(&table, 40, false);
        assert_eq!(left_out, ["2026-Q3..2026-Q6", "status"]);
    }

    #[test]
    fn cut_marks_what_it_cut() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
        assert_eq!(cut("日本語です", 5), "日本…");
    }
}
