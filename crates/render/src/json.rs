//! The JSON document of `check`, with stable field names (documented in `docs/cli.md`).

use std::io::{self, Write};

use serde::Serialize;

use super::Streamed;
use crate::diag::Finding;
use crate::error::Error;
use crate::model::SourceFile;
use crate::rules::Checked;

#[derive(Serialize)]
struct Document<'a> {
    summary: Option<Summary>,
    diagnostics: Streamed<'a, Finding, Diagnostic<'a>>,
    skipped: Vec<SkippedRule<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorView>,
}

/// Why the plan could not be checked at all (exit 2).
#[derive(Serialize)]
struct ErrorView {
    code: &'static str,
    message: String,
    help: Option<String>,
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
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    items: &'a [String],
}

#[derive(Serialize)]
struct SkippedRule<'a> {
    rule: &'static str,
    reason: &'a str,
}

fn diagnostic<'a>(files: &'a [SourceFile], f: &'a Finding) -> Diagnostic<'a> {
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
        items: &f.items,
    }
}

/// Writes the check result as one pretty-printed JSON document.
pub fn check(out: &mut dyn Write, files: &[SourceFile], checked: &Checked) -> io::Result<()> {
    let doc = Document {
        summary: Some(Summary {
            themes: checked.themes,
            items: checked.items,
            errors: checked.errors(),
            warnings: checked.warnings(),
        }),
        diagnostics: Streamed {
            list: &checked.findings,
            make: &|f| diagnostic(files, f),
        },
        skipped: checked
            .skipped
            .iter()
            .map(|s| SkippedRule {
                rule: s.rule.code(),
                reason: &s.reason,
            })
            .collect(),
        error: None,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// The document of a check that could not run (exit 2): no summary, the error, and the
/// problems of a broken `roadlog.yaml` as diagnostics.
pub fn error(out: &mut dyn Write, error: &Error) -> io::Result<()> {
    let (files, findings) = match error.config() {
        Some((file, _, findings)) => (std::slice::from_ref(file), findings),
        None => (&[][..], &[][..]),
    };
    let doc = Document {
        summary: None,
        diagnostics: Streamed {
            list: findings,
            make: &|f| diagnostic(files, f),
        },
        skipped: Vec::new(),
        error: Some(ErrorView {
            code: error.code(),
            message: error.message(),
            help: error.help(),
        }),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
