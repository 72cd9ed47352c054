//! Draws a report document as GitHub-flavoured markdown, for wikis and pull-request comments.

use std::io::{self, Write};

use super::doc::{Block, Doc};

/// Escapes a table cell: pipes, and line breaks as `<br>`.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "<br>")
}

/// Writes the document.
pub fn write(out: &mut dyn Write, doc: &Doc) -> io::Result<()> {
    for (n, block) in doc.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        match block {
            Block::Heading(level, text) => {
                writeln!(out, "{} {text}", "#".repeat(usize::from(*level)))?
            }
            Block::Text(text) => writeln!(out, "{text}")?,
            Block::List(items) => {
                for item in items {
                    writeln!(out, "- {item}")?;
                }
            }
            Block::Table { header, rows } => {
                writeln!(
                    out,
                    "| {} |",
                    header
                        .iter()
                        .map(|h| cell(h))
                        .collect::<Vec<_>>()
                        .join(" | ")
                )?;
                writeln!(out, "|{}", "---|".repeat(header.len()))?;
                for row in rows {
                    writeln!(
                        out,
                        "| {} |",
                        row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
                    )?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_escape_pipes_and_newlines() {
        let doc = vec![Block::Table {
            header: vec!["a".into()],
            rows: vec![vec!["x|y\nz".into()]],
        }];
        let mut out = Vec::new();
        write(&mut out, &doc).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "| a |\n|---|\n| x\\|y<br>z |\n"
        );
    }
}
