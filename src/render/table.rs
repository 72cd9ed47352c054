//! Draws a report document for a terminal: comfy-table tables that fit the terminal width when
//! there is one, plain lines otherwise. No colour.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};

use super::doc::{Block, Doc};

/// Writes the document.
pub fn write(out: &mut dyn Write, doc: &Doc) -> io::Result<()> {
    for (n, block) in doc.iter().enumerate() {
        if n > 0 && matches!(block, Block::Heading(..) | Block::Table { .. }) {
            writeln!(out)?;
        }
        match block {
            Block::Heading(1, text) => {
                writeln!(out, "{text}\n{}", "=".repeat(text.chars().count()))?
            }
            Block::Heading(_, text) => {
                writeln!(out, "{text}\n{}", "-".repeat(text.chars().count()))?
            }
            Block::Text(text) => writeln!(out, "{text}")?,
            Block::List(items) => {
                for item in items {
                    writeln!(out, "  • {item}")?;
                }
            }
            Block::Table { header, rows } => {
                let mut table = Table::new();
                table
                    .load_preset(presets::UTF8_FULL_CONDENSED)
                    .set_content_arrangement(ContentArrangement::Dynamic)
                    .set_header(header);
                for row in rows {
                    table.add_row(row);
                }
                writeln!(out, "{table}")?;
            }
        }
    }
    Ok(())
}
