//! GitHub Actions workflow commands: one annotation per finding, and a job-summary table.
//!
//! GitHub shows only the first 10 error and 10 warning annotations of a step and drops the rest
//! silently, so the full list also goes to the job summary when `GITHUB_STEP_SUMMARY` is set.

use std::io::{self, Write};

use crate::diag::{Finding, Severity};
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

/// The finding's path from the git work tree root, where annotations are anchored.
fn repo_path(prefix: &str, file: &str) -> String {
    if prefix.is_empty() {
        file.to_string()
    } else {
        format!("{prefix}/{file}")
    }
}

/// Writes annotations, errors first. `prefix` is the plan root relative to the work tree root.
pub fn annotations(
    out: &mut dyn Write,
    files: &[SourceFile],
    checked: &Checked,
    prefix: &str,
) -> io::Result<()> {
    for severity in [Severity::Error, Severity::Warning] {
        for f in checked.findings.iter().filter(|f| f.severity == severity) {
            let command = if severity == Severity::Error {
                "error"
            } else {
                "warning"
            };
            let mut props = Vec::new();
            if let Some(file) = super::file_of(files, f) {
                props.push(format!(
                    "file={}",
                    escape_property(&repo_path(prefix, file))
                ));
            }
            if let (Some(line), Some(col)) = super::line_col(f) {
                props.push(format!("line={line}"));
                props.push(format!("col={col}"));
            }
            props.push(format!("title={}", escape_property(f.rule.code())));
            let message = match &f.help {
                Some(help) => format!("{}\nhelp: {help}", f.message),
                None => f.message.clone(),
            };
            writeln!(
                out,
                "::{command} {}::{}",
                props.join(","),
                escape_data(&message)
            )?;
        }
    }
    Ok(())
}

/// Appends a markdown table of every finding to the job summary, then prints the closing notice.
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
        for f in &checked.findings {
            writeln!(
                summary,
                "| {} | `{}` | {} | {} |",
                f.severity.as_str(),
                f.rule,
                location(files, f, prefix),
                cell(f)
            )?;
        }
        writeln!(summary)?;
    }
    writeln!(
        out,
        "::notice title=roadlog check::{}; every finding is listed in the job summary",
        escape_data(&super::summary_line(checked))
    )
}

fn location(files: &[SourceFile], f: &Finding, prefix: &str) -> String {
    let Some(file) = super::file_of(files, f) else {
        return String::new();
    };
    let path = repo_path(prefix, file);
    match super::line_col(f) {
        (Some(l), Some(c)) => format!("`{path}:{l}:{c}`"),
        _ => format!("`{path}`"),
    }
}

fn cell(f: &Finding) -> String {
    let text = match &f.help {
        Some(h) => format!("{}<br>help: {h}", f.message),
        None => f.message.clone(),
    };
    text.replace('|', "\\|").replace('\n', "<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_escaping() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
