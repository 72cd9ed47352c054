//! rustc-style diagnostics through miette: file, snippet, a label under the field, help.
#![allow(
    clippy::indexing_slicing,
    reason = "a finding's `FileId` indexes the files of the plan it was found in, and `done` has one flag per skipped rule"
)]

use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

use super::{and_list, is_unsafe_char, terminal};
use crate::diag::{Finding, Severity, Skipped};

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

/// Draws each finding as a miette report, quoting its file from `texts`.
pub fn findings(
    out: &mut dyn Write,
    quoted: crate::Quoted<'_>,
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
        let report = to_report(quoted, finding, style.root);
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

fn to_report(quoted: crate::Quoted<'_>, finding: &Finding, root: &str) -> miette::Report {
    let crate::Quoted { files, texts } = quoted;
    let severity = match finding.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    };
    let mut diag = MietteDiagnostic::new(terminal(&finding.message))
        .with_code(finding.rule.code())
        .with_severity(severity);
    let mut help = finding.help.as_deref().map(|h| terminal(h).into_owned());
    let file = finding.at.map(|at| (at, &files[at.file.0 as usize]));
    let text = finding.at.and_then(|at| texts.get(at.file));
    if let Some((at, file)) = file {
        if let (Some(span), None) = (at.span, text) {
            // Changed since it was read: it cannot be quoted, but where the finding is can
            // still be said.
            let note = format!(
                "at {}:{}:{}",
                shown(root, &file.path),
                span.line,
                span.column
            );
            help = Some(help.map_or(note.clone(), |h| format!("{note}\n{h}")));
        }
        if let (Some(span), Some(_)) = (at.span, text) {
            let label = finding
                .label
                .as_deref()
                .map_or_else(|| "here".into(), |l| terminal(l).into_owned());
            diag = diag.and_label(LabeledSpan::new_primary_with_span(
                Some(label),
                (span.start(), span.len()),
            ));
        }
        if let Some((rel_at, rel_label)) = finding.related.as_deref() {
            let rel_file = &files[rel_at.file.0 as usize];
            match rel_at.span {
                Some(span) if rel_at.file == at.file && text.is_some() => {
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
    match (file, text) {
        (Some((at, file)), Some(text)) if at.span.is_some() => {
            let name = shown(root, &file.path);
            if text.chars().any(is_unsafe_char) {
                report.with_source_code(NamedSource::new(name, same_length_safe(text)))
            } else {
                report.with_source_code(NamedSource::new(name, text.to_string()))
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diag::{FileId, Location, Rule};
    use crate::model::{SourceFile, Span, Texts};

    fn drawn(texts: &Texts) -> String {
        let text = "title: A\ntheme: nowhere\n";
        let files = [
            SourceFile::new("roadlog.yaml", ""),
            SourceFile::new("A.yaml", text),
        ];
        let at = Location {
            file: FileId(1),
            span: Some(Span::new(16, 7, 2, 8)),
        };
        let finding = Finding::new(Rule::UnknownTheme, "no such theme", Some(at));
        let style = Style {
            color: false,
            width: 80,
            root: "plan",
        };
        let mut out = Vec::new();
        findings(
            &mut out,
            crate::Quoted {
                files: &files,
                texts,
            },
            &[finding],
            style,
        )
        .expect("draws");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn a_file_is_quoted_from_its_text_and_placed_without_it() {
        let mut texts = Texts::none();
        texts.insert(FileId(1), Arc::from("title: A\ntheme: nowhere\n"));
        let quoted = drawn(&texts);
        assert!(quoted.contains("[plan/A.yaml:2:8]"), "{quoted}");
        assert!(quoted.contains("theme: nowhere"), "{quoted}");
        // Saved since it was read: no snippet, but still where.
        let placed = drawn(&Texts::none());
        assert!(placed.contains("at plan/A.yaml:2:8"), "{placed}");
        assert!(!placed.contains("theme: nowhere"), "{placed}");
    }
}
