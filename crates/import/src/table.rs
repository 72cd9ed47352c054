//! A CSV export as a table whose columns are found by name, a name possibly repeated (Jira writes
//! `Labels`, `Sprint` and `Component/s` once per value).

use roadlog_engine::Error;

/// The rows of a CSV export under its header.
pub(crate) struct Table {
    header: Vec<String>,
    rows: Vec<Row>,
}

/// One row, with the line it starts on.
pub(crate) struct Row {
    pub(crate) line: u64,
    cells: Vec<String>,
}

impl Table {
    /// Reads `bytes` (a BOM, CRLF, quoted multi-line cells and all) into rows.
    pub(crate) fn read(file: &str, bytes: &[u8]) -> Result<Table, Error> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut header = None;
        let mut rows = Vec::new();
        let mut lines = Lines {
            bytes,
            at: 0,
            breaks: 0,
        };
        for record in reader.byte_records() {
            let record = record.map_err(|e| {
                let line = e.position().map(|p| {
                    Lines {
                        bytes,
                        at: 0,
                        breaks: 0,
                    }
                    .line_of(p.byte())
                });
                super::bad(file, line, format!("not readable CSV ({e})"))
            })?;
            let line = lines.line_of(record.position().map_or(0, csv::Position::byte));
            let cells: Vec<String> = record
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            if header.is_none() {
                header = Some(cells.iter().map(|c| c.trim().to_string()).collect());
                continue;
            }
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            rows.push(Row { line, cells });
        }
        let Some(header) = header else {
            return Err(super::bad(file, None, "the export is empty: no header row"));
        };
        Ok(Table { header, rows })
    }

    /// The positions of the columns called `name` (any case).
    pub(crate) fn columns(&self, name: &str) -> Vec<usize> {
        self.header
            .iter()
            .enumerate()
            .filter(|(_, h)| h.eq_ignore_ascii_case(name))
            .map(|(i, _)| i)
            .collect()
    }

    /// The one column called `name`, refused by name when the export lacks it.
    pub(crate) fn required(&self, file: &str, name: &str, export: &str) -> Result<usize, Error> {
        self.columns(name).first().copied().ok_or_else(|| {
            Error::usage(format!(
                "{file} has no `{name}` column, so it is not {export}; nothing was written"
            ))
            .with_help(format!("the columns are: {}", self.header.join(", ")))
        })
    }

    /// The rows.
    pub(crate) fn rows(&self) -> &[Row] {
        &self.rows
    }
}

/// Line numbers of records, counted from the bytes as the reader moves on. The reader's own line
/// count lags behind after a line break inside a quoted cell or a blank line, and its start offset
/// may sit on the line break before the record.
struct Lines<'b> {
    bytes: &'b [u8],
    /// How far the line breaks are counted.
    at: usize,
    /// Line breaks before `at`.
    breaks: usize,
}

impl Lines<'_> {
    /// The line a record starting at `byte` is on; `byte` only grows from call to call.
    fn line_of(&mut self, byte: u64) -> u64 {
        let start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .clamp(self.at, self.bytes.len());
        let (_, rest) = self.bytes.split_at(self.at);
        let (between, after) = rest.split_at(start - self.at);
        self.breaks += between.iter().filter(|b| **b == b'\n').count();
        self.at = start;
        let skipped = after
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .filter(|b| **b == b'\n')
            .count();
        u64::try_from(self.breaks + skipped)
            .unwrap_or(u64::MAX)
            .saturating_add(1)
    }
}

impl Row {
    /// The cell at `column`, trimmed; empty when the row is short.
    pub(crate) fn at(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", |c| c.trim())
    }

    /// The first non-empty cell of the columns.
    pub(crate) fn first(&self, columns: &[usize]) -> Option<&str> {
        columns.iter().map(|&c| self.at(c)).find(|c| !c.is_empty())
    }

    /// Every non-empty cell of the columns, in order.
    pub(crate) fn all(&self, columns: &[usize]) -> Vec<String> {
        columns
            .iter()
            .map(|&c| self.at(c))
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The first of the columns untrimmed (a description keeps its own spacing); `None` when it
    /// is missing or blank.
    pub(crate) fn untrimmed(&self, columns: &[usize]) -> Option<String> {
        let cell = self.cells.get(*columns.first()?)?;
        (!cell.trim().is_empty()).then(|| cell.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_know_their_line_through_crlf_and_multi_line_cells() {
        let text = "\u{feff}Key,Text\r\nA-1,\"one\r\ntwo\"\r\nA-2,three\r\n\r\nA-3,four";
        let table = Table::read("t.csv", text.as_bytes()).expect("reads");
        let lines: Vec<u64> = table.rows().iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4, 6]);
        assert_eq!(table.columns("key"), [0]);
        assert_eq!(
            table.rows()[0].untrimmed(&[1]).as_deref(),
            Some("one\r\ntwo")
        );
    }
}
