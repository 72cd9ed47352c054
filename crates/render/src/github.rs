//! GitHub Actions workflow commands: one annotation per finding, a notice per skipped rule, and
//! a job-summary table.
//!
//! GitHub shows only the first 10 error and 10 warning annotations of a step and drops the rest
//! silently, so the full list also goes to the job summary when `GITHUB_STEP_SUMMARY` is set.
//! Messages carry user text: workflow commands are escaped so a title cannot end the command or
//! start another, and the summary's markdown is escaped like every other markdown roadlog writes.

use std::io::{self, Write};

use super::markdown::{Place, code, inline};
use crate::diag::{Finding, Severity, Skipped};
use crate::error::Error;
use crate::model::SourceFile;
use crate::rules::Checked;

/// Escapes a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One annotation: `::error file=…,line=…,col=…,title=<rule>::<message>`.
fn annotation(
    out: &mut dyn Write,
    files: &[SourceFile],
    f: &Finding,
    prefix: &str,
) -> io::Result<()> {
    let command = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = Vec::new();
    if let Some(file) = super::file_of(files, f) {
        props.push(format!(
            "file={}",
            escape_property(&super::repo_path(prefix, file))
        ));
    }
    if let (Some(line), Some(col)) = super::line_col(f) {
        props.push(format!("line={line}"));
        props.push(format!("col={col}"));
    }
    props.push(format!("title={}", escape_property(f.rule.code())));
    let message = match &f.help {
        Some(help) => format!("{}\nhelp: {help}", f.message),
        None => f.message.to_string(),
    };
    writeln!(
        out,
        "::{command} {}::{}",
        props.join(","),
        escape_data(&message)
    )
}

/// Writes annotations, errors first, then a notice for each rule that could not run. `prefix`
/// is the plan root relative to the work tree root.
pub fn annotations(
    out: &mut dyn Write,
    files: &[SourceFile],
    checked: &Checked,
    prefix: &str,
) -> io::Result<()> {
    for severity in [Severity::Error, Severity::Warning] {
        for f in checked.findings.iter().filter(|f| f.severity == severity) {
            annotation(out, files, f, prefix)?;
        }
    }
    for s in &checked.skipped {
        writeln!(
            out,
            "::notice title={}::{}",
            escape_property(&format!("roadlog skipped {}", s.rule)),
            escape_data(&s.reason)
        )?;
    }
    Ok(())
}

/// Appends a markdown table of every finding to the job summary, errors first, and the rules
/// that could not run; then prints the closing notice.
pub fn step_summary(
    summary: &mut dyn Write,
    out: &mut dyn Write,
    files: &[SourceFile],
    checked: &Checked,
    prefix: &str,
) -> io::Result<()> {
    writeln!(
        summary,
        "### roadlog check\n\n{}\n",
        super::summary_line(checked)
    )?;
    if !checked.findings.is_empty() {
        writeln!(
            summary,
            "| severity | rule | location | message |\n|---|---|---|---|"
        )?;
        for severity in [Severity::Error, Severity::Warning] {
            for f in checked.findings.iter().filter(|f| f.severity == severity) {
                writeln!(
                    summary,
                    "| {} | `{}` | {} | {} |",
                    f.severity.as_str(),
                    f.rule,
                    location(files, f, prefix),
                    cell(f)
                )?;
            }
        }
        writeln!(summary)?;
    }
    skipped(summary, &checked.skipped)?;
    writeln!(
        out,
        "::notice title=roadlog check::{}; every finding is listed in the job summary",
        escape_data(&super::summary_line(checked))
    )
}

/// The rules that could not run, as a list, so a shallow clone's missing `stale-item` shows.
fn skipped(summary: &mut dyn Write, skipped: &[Skipped]) -> io::Result<()> {
    if skipped.is_empty() {
        return Ok(());
    }
    writeln!(summary, "Rules that could not run:\n")?;
    for s in skipped {
        writeln!(
            summary,
            "- `{}`: {}",
            s.rule,
            inline(&s.reason, Place::Line)
        )?;
    }
    writeln!(summary)
}

/// A run that could not check the plan at all (exit 2): an annotation on `roadlog.yaml` for each
/// of its problems, or one for the error, and the same in the job summary when there is one.
/// `prefix` is the plan root relative to the work tree root.
pub fn error(
    out: &mut dyn Write,
    summary: Option<&mut dyn Write>,
    error: &Error,
    prefix: &str,
) -> io::Result<()> {
    let help = error.help();
    match error.config() {
        Some((file, _, findings)) => {
            for f in findings {
                annotation(out, std::slice::from_ref(file), f, prefix)?;
            }
        }
        None => {
            let message = match &help {
                Some(h) => format!("{}\nhelp: {h}", error.message()),
                None => error.message(),
            };
            writeln!(
                out,
                "::error title=roadlog could not run::{}",
                escape_data(&message)
            )?;
        }
    }
    let Some(summary) = summary else {
        return Ok(());
    };
    writeln!(
        summary,
        "### roadlog check\n\nroadlog could not check the plan: {}\n",
        inline(&error.message(), Place::Line)
    )?;
    if let Some(help) = &help {
        writeln!(summary, "help: {}\n", inline(help, Place::Line))?;
    }
    if let Some((file, _, findings)) = error.config() {
        writeln!(
            summary,
            "| severity | rule | location | message |\n|---|---|---|---|"
        )?;
        let files = std::slice::from_ref(file);
        for f in findings {
            writeln!(
                summary,
                "| error | `{}` | {} | {} |",
                f.rule,
                location(files, f, prefix),
                cell(f)
            )?;
        }
        writeln!(summary)?;
    }
    Ok(())
}

fn location(files: &[SourceFile], f: &Finding, prefix: &str) -> String {
    let Some(file) = super::file_of(files, f) else {
        return String::new();
    };
    let path = super::repo_path(prefix, file);
    match super::line_col(f) {
        (Some(l), Some(c)) => code(&format!("{path}:{l}:{c}"), Place::Cell),
        _ => code(&path, Place::Cell),
    }
}

fn cell(f: &Finding) -> String {
    let message = inline(&f.message, Place::Cell);
    match &f.help {
        Some(h) => format!("{message}<br>help: {}", inline(h, Place::Cell)),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_escaping() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(escape_data("x\n::error::owned"), "x%0A::error::owned");
    }
}
