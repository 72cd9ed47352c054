//! `check --format sarif`: SARIF 2.1.0, as GitHub code scanning takes it.
//!
//! One run; every rule with its description and help, taken from `docs/rules.md` so the text is
//! said once; each finding with one physical location (paths from the repository root, 1-based
//! lines and columns with end positions) and a partial fingerprint from its stable identity,
//! not its line, so an alert survives the file being reformatted.
#![allow(
    clippy::indexing_slicing,
    reason = "`kept` is at most the number of findings, and the JSON values indexed are objects built here"
)]

use std::io::{self, Write};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Serialize;
use serde_json::{Value, json};

use super::Streamed;
use crate::diag::{Finding, Level, Rule, Severity};
use crate::error::Error;
use crate::model::{Config, Span, Texts};
use crate::rules::Checked;

/// GitHub code scanning takes at most this many results in a run.
pub const MAX_RESULTS: usize = 25_000;

/// The rule catalogue, whose sections are each rule's help.
const RULES_MD: &str = include_str!("../../../docs/rules.md");

/// Where the catalogue is published, for `helpUri`.
const RULES_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");

/// The key of roadlog's fingerprint in `partialFingerprints`.
const FINGERPRINT: &str = "roadlogIdentity/v1";

/// Writes the findings of a check as a SARIF log, with regions ending where the `texts` of their
/// files say. `prefix` is the plan root's path from the repository root (`""` at the root).
pub fn check(
    out: &mut dyn Write,
    quoted: crate::Quoted<'_>,
    checked: &Checked,
    config: &Config,
    prefix: &str,
) -> io::Result<()> {
    // Findings come errors first, so a cut keeps the errors.
    let kept = checked.findings.len().min(MAX_RESULTS);
    let make = |f| result(quoted, f, prefix);
    let results = Streamed {
        list: &checked.findings[..kept],
        make: &make,
    };
    let mut notes: Vec<Value> = checked
        .skipped
        .iter()
        .map(|s| {
            notification(
                "note",
                &format!("{} was skipped: {}", s.rule.code(), s.reason),
            )
        })
        .collect();
    if kept < checked.findings.len() {
        let cut = checked.findings.len() - kept;
        notes.push(notification(
            "warning",
            &format!(
                "{cut} findings were left out: a SARIF run holds at most {MAX_RESULTS}; errors come first; `roadlog check --format json` has them all"
            ),
        ));
    }
    write(out, &log(rules(config), results, true, notes))
}

/// The log of a check that could not run (exit 2): no results, the error as a notification,
/// and the problems of a broken `roadlog.yaml` as results.
pub fn error(out: &mut dyn Write, e: &Error, prefix: &str) -> io::Result<()> {
    let (files, texts, findings) = match e.config() {
        Some((file, text, findings)) => (std::slice::from_ref(file), Texts::config(text), findings),
        None => (&[][..], Texts::none(), &[][..]),
    };
    let quoted = crate::Quoted {
        files,
        texts: &texts,
    };
    let make = |f| result(quoted, f, prefix);
    let results = Streamed {
        list: findings,
        make: &make,
    };
    let mut message = e.message();
    if let Some(help) = e.help() {
        message.push_str(&format!(" (help: {help})"));
    }
    let notes = vec![notification("error", &message)];
    write(out, &log(rules(&Config::default()), results, false, notes))
}

fn write(out: &mut dyn Write, log: &Log<'_>) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, log)?;
    writeln!(out)
}

/// A SARIF log of one run. Its keys are declared in sorted order, as the `json!` maps of the
/// rest sort theirs, so the document reads the same as one made all of `Value`s.
#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    column_kind: &'static str,
    invocations: Value,
    original_uri_base_ids: Value,
    results: Streamed<'a, Finding, Value>,
    tool: Value,
}

fn log<'a>(
    rules: Vec<Value>,
    results: Streamed<'a, Finding, Value>,
    ok: bool,
    notes: Vec<Value>,
) -> Log<'a> {
    Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            invocations: json!([{
                "executionSuccessful": ok,
                "toolExecutionNotifications": notes,
            }]),
            original_uri_base_ids: json!({
                "%SRCROOT%": {"description": {"text": "the repository root"}}
            }),
            results,
            tool: json!({"driver": {
                "name": "roadlog",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }}),
        }],
        version: "2.1.0",
    }
}

fn notification(level: &str, text: &str) -> Value {
    json!({"level": level, "message": {"text": text}})
}

/// Every rule of the catalogue, at the level this plan's config gives it.
fn rules(config: &Config) -> Vec<Value> {
    Rule::ALL
        .iter()
        .map(|&rule| {
            let help = help(rule);
            let level = match config.level(rule) {
                Level::Error => "error",
                Level::Warn => "warning",
                Level::Off => "none",
            };
            json!({
                "id": rule.code(),
                "name": name(rule),
                "shortDescription": {"text": capitalised(rule.summary())},
                "fullDescription": {"text": plain(&help)},
                "help": {"text": plain(&help), "markdown": help},
                "helpUri": format!("{RULES_URL}#{}-{}", rule.code(), default_word(rule)),
                "defaultConfiguration": {"level": level},
            })
        })
        .collect()
}

/// The rule's section of `docs/rules.md`, without its heading; its summary if it has none.
pub fn help(rule: Rule) -> String {
    let heading = format!("### `{}` (", rule.code());
    let Some(start) = RULES_MD.find(&heading) else {
        return capitalised(rule.summary());
    };
    let body = RULES_MD.get(start..).unwrap_or("");
    let body = body.split_once('\n').map_or("", |(_, rest)| rest);
    let end = body.find("\n#").unwrap_or(body.len());
    let text = body.get(..end).unwrap_or("").trim();
    if text.is_empty() {
        capitalised(rule.summary())
    } else {
        text.to_string()
    }
}

/// `unknown-theme` as SARIF's `name` wants it: `UnknownTheme`.
fn name(rule: Rule) -> String {
    rule.code().split('-').map(capitalised).collect()
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The level word in the rule's heading in `docs/rules.md`: `error` or `warn`.
fn default_word(rule: Rule) -> &'static str {
    match rule.default_level() {
        Level::Error => "error",
        Level::Warn => "warn",
        Level::Off => "off",
    }
}

/// Markdown as plain text: emphasis and code marks dropped.
fn plain(markdown: &str) -> String {
    markdown.replace("**", "").replace('`', "")
}

fn result(quoted: crate::Quoted<'_>, f: &Finding, prefix: &str) -> Value {
    let crate::Quoted { files, texts } = quoted;
    let path = crate::file_of(files, f);
    let mut message = escape(&f.message);
    if let Some(help) = &f.help {
        message.push_str(&format!(" (help: {})", escape(help)));
    }
    // A finding without a file is about the plan as a whole: it points at roadlog.yaml.
    let uri = uri_reference(&super::repo_path(
        prefix,
        path.unwrap_or(crate::load::CONFIG_FILE),
    ));
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
        }
    });
    let text = f.at.and_then(|at| texts.get(at.file));
    let region = match (f.at.and_then(|at| at.span), text) {
        (Some(span), Some(text)) => region(span, text),
        // The file changed since it was read: where the span starts is still known.
        (Some(span), None) => json!({"startLine": span.line, "startColumn": span.column}),
        (None, _) => json!({"startLine": 1}),
    };
    location["physicalLocation"]["region"] = region;
    json!({
        "ruleId": f.rule.code(),
        "ruleIndex": Rule::ALL.iter().position(|&r| r == f.rule).unwrap_or(0),
        "level": match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "message": {"text": message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: f.identity(path).fingerprint()},
    })
}

/// A span's region, with its end found in the file's text.
fn region(span: Span, text: &str) -> Value {
    let end = span.end().min(text.len());
    let covered = text.get(span.start().min(end)..end).unwrap_or("");
    let (mut line, mut column) = (span.line, span.column);
    for c in covered.chars() {
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    json!({
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": line,
        "endColumn": if line == span.line { column.max(span.column) } else { column },
    })
}

/// Message text as SARIF reads it: `[text](n)` would be a link, so brackets and backslashes are
/// escaped (SARIF 2.1.0 §3.11.5); control characters become spaces.
/// Bytes a path segment of a URI reference may not hold as they are (RFC 3986: everything but
/// the unreserved characters, the sub-delimiters, `:` and `@`), and `/`'s neighbours that would
/// start a query or fragment. Non-ASCII bytes are always encoded.
const NOT_IN_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A plan-relative path as the `uri-reference` SARIF's `artifactLocation.uri` must be:
/// `my item.yaml` is `my%20item.yaml`, `café.yaml` is `caf%C3%A9.yaml`.
fn uri_reference(path: &str) -> String {
    utf8_percent_encode(path, NOT_IN_PATH).to_string()
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            // Bidirectional overrides would make the alert read other than it is.
            c if crate::is_unsafe_char(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    if out.trim().is_empty() {
        out = "(no message)".into();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_its_section_of_the_catalogue_as_help() {
        for &rule in Rule::ALL {
            let help = help(rule);
            assert!(
                help.starts_with("**Fires when**"),
                "{}: {help}",
                rule.code()
            );
            assert!(
                !help.contains("\n### "),
                "{}: one section only",
                rule.code()
            );
        }
    }

    #[test]
    fn brackets_and_controls_are_escaped_and_nothing_is_left_empty() {
        assert_eq!(escape("see [x](1) \\ done"), "see \\[x\\](1) \\\\ done");
        assert_eq!(escape("a\u{1b}[31mb"), "a \\[31mb");
        assert_eq!(escape("  "), "(no message)");
    }

    #[test]
    fn a_region_ends_where_its_span_does() {
        let text = "title: x\ntheme: ab\n  cd\n";
        let span = Span::new(16, 7, 2, 8);
        assert_eq!(
            region(span, text),
            json!({"startLine": 2, "startColumn": 8, "endLine": 3, "endColumn": 5})
        );
    }
}
