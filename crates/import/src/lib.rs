//! Readers of the trackers' own exports, each into the engine's [`Export`]: GitHub's `gh issue
//! list --json` and `gh project item-list --format json`, Jira's "Export CSV (all fields)" and
//! Linear's CSV. Files only: the user runs the export, roadlog reads what it wrote. CSV goes
//! through the `csv` crate (quoted multi-line cells, CRLF, a BOM), never a split on commas.

// Casts, string slices and indexing are checked here as in the engine (user text reaches
// them); tests may slice their own fixtures.
#![cfg_attr(
    not(test),
    warn(
        clippy::cast_possible_truncation,
        clippy::cast_possible_wrap,
        clippy::cast_precision_loss,
        clippy::cast_sign_loss,
        clippy::string_slice,
        clippy::indexing_slicing
    )
)]

mod dates;
mod github;
mod jira;
mod linear;
mod table;

pub use dates::DateFormat;

use roadlog_engine::Error;
use roadlog_engine::error::Refusal;
use roadlog_engine::import::{Export, Tracker};

/// Reads `bytes`, the export `file` of `tracker`; Jira's dates are read with `dates`.
pub fn read(
    tracker: Tracker,
    file: &str,
    bytes: &[u8],
    dates: &DateFormat,
) -> Result<Export, Error> {
    match tracker {
        Tracker::Github => github::read(file, bytes),
        Tracker::Jira => jira::read(file, bytes, dates),
        Tracker::Linear => linear::read(file, bytes),
    }
}

/// A refusal naming the export and, when known, its line.
fn bad(file: &str, line: Option<u64>, message: impl std::fmt::Display) -> Error {
    let at = line.map_or_else(|| file.to_string(), |l| format!("{file}:{l}"));
    Error::refused(
        Refusal::InvalidValue,
        format!("{at}: {message}; nothing was written"),
    )
}

/// A CSV row's record key from `column` (named `named` in the export) and the `source:` it makes
/// for `tracker`, refused when it is not a key such as `example`.
fn keyed(
    file: &str,
    row: &table::Row,
    column: usize,
    tracker: Tracker,
    named: &str,
    example: &str,
) -> Result<(String, String), Error> {
    let key = row.at(column).to_string();
    let source = format!("{}:{key}", tracker.name());
    if roadlog_engine::model::is_source(&source) {
        return Ok((key, source));
    }
    Err(bad(
        file,
        Some(row.line),
        format!(
            "`{key}` in `{named}` is not a {} key such as {example}",
            tracker.name()
        ),
    ))
}

/// A number cell (story points, an estimate), refused naming `what` when it is not one.
fn number(file: &str, line: u64, cell: Option<&str>, what: &str) -> Result<Option<f64>, Error> {
    cell.map(|c| {
        c.parse::<f64>()
            .map_err(|_| bad(file, Some(line), format!("{what} `{c}` is not a number")))
    })
    .transpose()
}

/// Text with the whitespace around it gone; `None` when nothing is left.
fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

#[cfg(test)]
mod tests;
