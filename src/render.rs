//! Pure formatting of computed results: each renderer takes data and a writer, and never
//! decides anything about the plan.

pub mod github;
pub mod human;
pub mod json;

use crate::diag::Finding;

/// Line and column of a finding, 1-based, when it points into a file.
pub fn line_col(finding: &Finding) -> (Option<u32>, Option<u32>) {
    match finding.at.and_then(|at| at.span) {
        Some(span) => (Some(span.line), Some(span.column)),
        None => (None, None),
    }
}

/// The path of a finding's file relative to the plan root, if it has one.
pub fn file_of<'p>(
    plan_files: &'p [crate::model::SourceFile],
    finding: &Finding,
) -> Option<&'p str> {
    finding
        .at
        .map(|at| plan_files[at.file.0 as usize].path.as_str())
}

/// `1 error`, `2 errors`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The one-line summary of a check.
pub fn summary_line(checked: &crate::rules::Checked) -> String {
    format!(
        "checked {} and {}: {}, {}",
        count(checked.themes, "theme"),
        count(checked.items, "item"),
        count(checked.errors(), "error"),
        count(checked.warnings(), "warning")
    )
}
