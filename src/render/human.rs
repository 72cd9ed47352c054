//! rustc-style diagnostics through miette: file, snippet, a label under the field, help.

use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

use super::{and_list, is_unsafe_char, terminal};
use crate::diag::{Finding, Severity, Skipped};
use crate::model::SourceFile;

/// How diagnostics are drawn.
#[derive(Clone, Copy, Debug)]
pub struct Style<'a> {
    /// ANSI colours.
    pub color: bool,
    /// Wrap width in columns.
    pub width: usize,
    /// The plan root as the user can reach it from where roadlog runs (`""` when it is there),
    /// so every file named is one the user can click.
    pub root: &'a str,
}

/// Draws each finding as a miette report.
pub fn findings(
    out: &mut dyn Write,
    files: &[SourceFile],
    findings: &[Finding],
    style: Style<'_>,
) -> io::Result<()> {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut text = String::new();
    for finding in findings {
        text.clear();
        let report = to_report(files, finding, style.root);
        // Rendering into a String cannot fail for lack of space; a failure would be a bug in miette.
        if handler.render_report(&mut text, report.as_ref()).is_err() {
            text = format!("{}: {}\n", finding.rule, finding.message);
        }
        out.write_all(text.as_bytes())?;
        writeln!(out)?;
    }
    Ok(())
}

/// A plan file's path as shown: below the plan root as the user reaches it.
fn shown(root: &str, path: &str) -> String {
    let path = terminal(path);
    if root.is_empty() {
        path.into_owned()
    } else {
        format!("{}/{path}", terminal(root).trim_end_matches('/'))
    }
}

fn to_report(files: &[SourceFile], finding: &Finding, root: &str) -> miette::Report {
    let severity = match finding.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    };
    let mut diag = MietteDiagnostic::new(terminal(&finding.message))
        .with_code(finding.rule.code())
        .with_severity(severity);
    let mut help = finding.help.as_deref().map(|h| terminal(h).into_owned());
    let file = finding.at.map(|at| (at, &files[at.file.0 as usize]));
    if let Some((at, _)) = file {
        if let Some(span) = at.span {
            let label = finding
                .label
                .as_deref()
                .map_or_else(|| "here".into(), |l| terminal(l).into_owned());
            diag = diag.and_label(LabeledSpan::new_primary_with_span(
                Some(label),
                (span.start(), span.len()),
            ));
        }
        if let Some((rel_at, rel_label)) = &finding.related {
            let rel_file = &files[rel_at.file.0 as usize];
            match rel_at.span {
                Some(span) if rel_at.file == at.file => {
                    diag = diag.and_label(LabeledSpan::new_with_span(
                        Some(terminal(rel_label).into_owned()),
                        (span.start(), span.len()),
                    ));
                }
                Some(span) => {
                    let note = format!(
                        "{}: {}:{}:{}",
                        terminal(rel_label),
                        shown(root, &rel_file.path),
                        span.line,
                        span.column
                    );
                    help = Some(help.map_or(note.clone(), |h| format!("{h}\n{note}")));
                }
                None => {}
            }
        }
    }
    if let Some(help) = help {
        diag = diag.with_help(help);
    }
    let report = miette::Report::new(diag);
    match file {
        Some((at, file)) if at.span.is_some() => {
            let name = shown(root, &file.path);
            if file.text.chars().any(is_unsafe_char) {
                report.with_source_code(NamedSource::new(name, same_length_safe(&file.text)))
            } else {
                report.with_source_code(NamedSource::new(name, file.text.clone()))
            }
        }
        _ => report,
    }
}

/// The text of a file as miette may quote it: every character that would act on a terminal is
/// replaced by one of the same length in bytes, so spans still point where they did.
fn same_length_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\r' => c,
            c if is_unsafe_char(c) => match c.len_utf8() {
                1 => '?',
                2 => '\u{bf}',
                _ => '\u{fffd}',
            },
            c => c,
        })
        .collect()
}

/// One `note:` line per rule that could not run.
pub fn skipped(out: &mut dyn Write, skipped: &[Skipped]) -> io::Result<()> {
    // Rules skipped for the same reason (both history rules outside git) share one note.
    let mut done = vec![false; skipped.len()];
    for (i, s) in skipped.iter().enumerate() {
        if done[i] {
            continue;
        }
        let mut rules = vec![format!("`{}`", s.rule)];
        for (j, other) in skipped.iter().enumerate().skip(i + 1) {
            if other.reason == s.reason {
                done[j] = true;
                rules.push(format!("`{}`", other.rule));
            }
        }
        let rules: Vec<&str> = rules.iter().map(String::as_str).collect();
        writeln!(
            out,
            "note: skipped {}: {}",
            and_list(&rules),
            terminal(&s.reason)
        )?;
    }
    Ok(())
}
