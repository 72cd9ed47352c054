//! Draws a report document as GitHub-flavoured markdown, for wikis and pull-request comments.
//!
//! Titles, objectives, ids and messages come from pull requests on forks, and a bot posts what
//! roadlog prints, so every piece of text is made inert for the place it lands: markdown and HTML
//! are escaped, `@` mentions and `#123` references cannot notify anyone, line breaks cannot start
//! a heading or leave a table, and a code span is fenced with more backticks than it holds.

use std::io::{self, Write};

use super::doc::{Block, Cell, Doc};
use super::{bar, is_unsafe_char, percent};

/// Where text lands, which decides what a line break and a pipe must become.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A heading, paragraph or list item: one line.
    Line,
    /// A table cell: one line, `|` escaped.
    Cell,
}

/// A zero-width space: put after `@` or `#`, it keeps GitHub from reading a mention or an issue
/// reference, and shows nothing.
const ZWSP: &str = "&#8203;";

/// Text in message syntax (`code` between backticks) as inert markdown: each code span fenced
/// safely, everything else escaped. An unpaired backtick is shown as one.
pub fn inline(s: &str, place: Place) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    let mut out = String::new();
    for (n, part) in parts.iter().enumerate() {
        let is_code = n % 2 == 1 && n + 1 < parts.len();
        if is_code {
            out.push_str(&code(part, place));
        } else {
            if n % 2 == 1 {
                out.push_str("\\`");
            }
            out.push_str(&text(part));
        }
    }
    guard_line_start(out)
}

/// Plain text, no code spans: every markdown and HTML character escaped, `|` too, so it is
/// safe in a table cell as on a line.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '$' | '|' | '^' | '=' => {
                out.push('\\');
                out.push(c);
            }
            '#' if chars.peek().is_some_and(char::is_ascii_digit) => {
                out.push('#');
                out.push_str(ZWSP);
            }
            '#' => out.push_str("\\#"),
            '@' => {
                out.push('@');
                out.push_str(ZWSP);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_unsafe_char(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A code span holding `s` literally: fenced with one backtick more than its longest run, on one
/// line, pipes escaped in a table (GitHub reads `\|` as a pipe inside a cell's code span).
pub fn code(s: &str, place: Place) -> String {
    let mut body: String = s
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if is_unsafe_char(c) => '\u{fffd}',
            c => c,
        })
        .collect();
    if body.trim().is_empty() {
        return body;
    }
    if place == Place::Cell {
        body = body.replace('|', "\\|");
    }
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// Escapes what would start a list, a quote or a heading at the start of a line.
fn guard_line_start(s: String) -> String {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let list_number = digits > 0 && matches!(s.as_bytes().get(digits), Some(b'.' | b')'));
    if s.starts_with(['-', '+']) || list_number {
        let at = if list_number { digits } else { 0 };
        let (marker, rest) = s.split_at_checked(at).unwrap_or(("", &s));
        format!("{marker}\\{rest}")
    } else {
        s
    }
}

/// A table cell as markdown.
fn cell(c: &Cell) -> String {
    match c {
        Cell::Text(s) => inline(s, Place::Cell),
        Cell::Token(s) => guard_line_start(text(s)),
        Cell::Tree { depth: 0, id } => text(id),
        // Non-breaking spaces, which markdown keeps, and a `└` marker.
        Cell::Tree { depth, id } => format!(
            "{}└ {}",
            "\u{a0}\u{a0}".repeat((*depth).min(16) - 1),
            text(id)
        ),
        Cell::Progress(p) => bar(*p),
        Cell::Percent(p) => percent(*p),
        Cell::Health(h) => h.as_str().to_string(),
        Cell::Span(true) => "████".to_string(),
        Cell::Span(false) => String::new(),
        Cell::Lines(cells) => cells.iter().map(cell).collect::<Vec<_>>().join("<br>"),
        Cell::Empty => "—".to_string(),
    }
}

/// Writes the document.
pub fn write(out: &mut dyn Write, doc: &Doc) -> io::Result<()> {
    for (n, block) in doc.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        match block {
            Block::Heading(level, s) => writeln!(
                out,
                "{} {}",
                "#".repeat(usize::from(*level)),
                inline(s, Place::Line)
            )?,
            Block::Para(s) => writeln!(out, "{}", inline(s, Place::Line))?,
            Block::List(items) => {
                for item in items {
                    writeln!(out, "- {}", inline(item, Place::Line))?;
                }
            }
            Block::Details(summary, items) => {
                writeln!(out, "<details><summary>{summary}</summary>\n")?;
                for item in items {
                    writeln!(out, "- {}", inline(item, Place::Line))?;
                }
                writeln!(out, "\n</details>")?;
            }
            Block::Table(table) => {
                // Nothing is cut here, so no title needs an id to tell it apart.
                let shown: Vec<usize> = (0..table.columns.len())
                    .filter(|&c| table.columns.get(c).is_some_and(|c| !c.alike))
                    .collect();
                let header: Vec<String> = shown
                    .iter()
                    .filter_map(|&c| table.columns.get(c))
                    .map(|c| inline(&c.name, Place::Cell))
                    .collect();
                writeln!(out, "| {} |", header.join(" | "))?;
                writeln!(out, "|{}", "---|".repeat(shown.len()))?;
                for row in &table.rows {
                    let cells: Vec<String> =
                        shown.iter().filter_map(|&c| row.get(c)).map(cell).collect();
                    writeln!(out, "| {} |", cells.join(" | "))?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::doc::{Column, Table};
    use super::*;

    #[test]
    fn hostile_text_is_inert() {
        let cases = [
            ("@team please", "@&#8203;team please"),
            ("![x](http://e/x.png)", "!\\[x\\](http://e/x.png)"),
            (
                "<img src=x onerror=alert(1)>",
                "&lt;img src\\=x onerror\\=alert(1)&gt;",
            ),
            ("a\n# Heading", "a \\# Heading"),
            ("fixes #12", "fixes #&#8203;12"),
            ("*bold* _it_ ~s~ $x$", "\\*bold\\* \\_it\\_ \\~s\\~ \\$x\\$"),
            ("- item", "\\- item"),
            ("1. first", "1\\. first"),
            ("a | b", "a \\| b"),
            ("&lt;", "&amp;lt;"),
            ("\u{1b}[31m", "\u{fffd}\\[31m"),
        ];
        for (hostile, inert) in cases {
            assert_eq!(inline(hostile, Place::Cell), inert, "{hostile:?}");
        }
    }

    #[test]
    fn code_spans_hold_any_text_literally() {
        assert_eq!(inline("`BL-1` is open", Place::Line), "`BL-1` is open");
        assert_eq!(code("x`y", Place::Line), "``x`y``");
        assert_eq!(code("`x", Place::Line), "`` `x ``");
        assert_eq!(code("a|b\nc", Place::Cell), "`a\\|b c`");
        assert_eq!(inline("an odd ` tick", Place::Line), "an odd \\` tick");
    }

    #[test]
    fn tables_escape_cells_and_join_lines_with_breaks() {
        let doc = vec![Block::Table(Table {
            columns: vec![Column::keep("a")],
            rows: vec![vec![Cell::Lines(vec![
                Cell::Text("x|y".into()),
                Cell::Token("z\nw".into()),
            ])]],
        })];
        let mut out = Vec::new();
        write(&mut out, &doc).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "| a |\n|---|\n| x\\|y<br>z w |\n"
        );
    }
}
