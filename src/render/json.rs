//! The JSON document of `check`, with stable field names (documented in `docs/cli.md`).

use std::io::{self, Write};

use serde::Serialize;

use crate::model::SourceFile;
use crate::rules::Checked;

#[derive(Serialize)]
struct Document<'a> {
    summary: Summary,
    diagnostics: Vec<Diagnostic<'a>>,
    skipped: Vec<SkippedRule<'a>>,
}

#[derive(Serialize)]
struct Summary {
    themes: usize,
    items: usize,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct Diagnostic<'a> {
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<u32>,
    column: Option<u32>,
    help: Option<&'a str>,
    entity: Option<&'a str>,
    field: Option<&'a str>,
    fingerprint: String,
}

#[derive(Serialize)]
struct SkippedRule<'a> {
    rule: &'static str,
    reason: &'a str,
}

/// Writes the check result as one pretty-printed JSON document.
pub fn check(out: &mut dyn Write, files: &[SourceFile], checked: &Checked) -> io::Result<()> {
    let doc = Document {
        summary: Summary {
            themes: checked.themes,
            items: checked.items,
            errors: checked.errors(),
            warnings: checked.warnings(),
        },
        diagnostics: checked
            .findings
            .iter()
            .map(|f| {
                let (line, column) = super::line_col(f);
                let file = super::file_of(files, f);
                Diagnostic {
                    rule: f.rule.code(),
                    severity: f.severity.as_str(),
                    message: &f.message,
                    file,
                    line,
                    column,
                    help: f.help.as_deref(),
                    entity: f.entity.as_deref(),
                    field: f.field.as_deref(),
                    fingerprint: f.identity(file).fingerprint(),
                }
            })
            .collect(),
        skipped: checked
            .skipped
            .iter()
            .map(|s| SkippedRule {
                rule: s.rule.code(),
                reason: &s.reason,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
