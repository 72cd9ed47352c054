//! A roadmap theme from its document.

use super::{Reader, THEME_ID_RULE, doc_span, has_key, read_id};
use crate::diag::{FileId, Finding, Rule};
use crate::model::{
    BACKLOG_ONLY_FIELDS, Metric, Spanned, Theme, ThemeStatus, Visibility, fields, is_theme_id,
};
use crate::time::Horizon;
use crate::yaml::{Key, Node, Value};

const METRIC_FIELDS: &[&str] = &["name", "target", "current", "baseline"];

/// Reads the theme documents of a roadmap file (one expected).
pub(crate) fn read_themes(
    src: &str,
    docs: &[Node],
    file: FileId,
    stem: &str,
    findings: &mut Vec<Finding>,
) -> Vec<Theme> {
    let mut r = Reader {
        src,
        file,
        findings,
        path: String::new(),
    };
    if let Some(second) = docs.get(1) {
        r.push(
            Finding::new(
                Rule::ParseError,
                format!(
                    "a roadmap file holds one theme; this one has {} documents",
                    docs.len()
                ),
                r.at(second.span),
            )
            .help("move each theme to its own file under the roadmap folder"),
        );
        return Vec::new();
    }
    docs.iter()
        .filter_map(|doc| read_theme(&mut r, doc, stem))
        .collect()
}

fn read_theme(r: &mut Reader<'_>, doc: &Node, stem: &str) -> Option<Theme> {
    let entries = r.mapping(doc, "a theme")?;
    let start = r.findings.len();
    let theme = read_theme_fields(r, doc, entries, stem);
    r.stamp(start, &theme.id.value);
    Some(theme)
}

fn read_theme_fields(r: &mut Reader<'_>, doc: &Node, entries: &[(Key, Node)], stem: &str) -> Theme {
    let (id, id_written) = read_id(r, entries, doc, stem, false, is_theme_id, THEME_ID_RULE);
    let mut theme = Theme {
        file: r.file,
        id,
        id_written,
        title: None,
        objective: None,
        status: None,
        status_written: None,
        horizon: None,
        priority: None,
        owner: None,
        visibility: Visibility::Public,
        metrics: Vec::new(),
        reviewed: None,
        reviewed_unreadable: false,
        tags: Vec::new(),
        aliases: Vec::new(),
        description: None,
        parent: None,
    };
    for (key, node) in entries {
        match key.name.as_ref() {
            "id" => {}
            "title" => theme.title = r.title(key, node),
            "objective" => theme.objective = r.required_text(key, node),
            "status" => {
                let choices: Vec<(&str, ThemeStatus)> =
                    ThemeStatus::ALL.iter().map(|t| (t.as_str(), *t)).collect();
                theme.status = r.choice_of(key, node, &choices, "theme status");
                if theme.status.is_none() {
                    theme.status_written = r.text_quietly(node);
                }
            }
            "horizon" => {
                if let Some(text) = r.text(key, node) {
                    match text.value.parse::<Horizon>() {
                        Ok(h) => theme.horizon = Some(Spanned::new(h, node.span)),
                        Err(msg) => {
                            let help = Horizon::suggest(&text.value)
                                .map(|h| format!("did you mean `{h}`?"));
                            r.invalid("horizon", node.span, msg, help);
                        }
                    }
                }
            }
            "priority" => theme.priority = r.integer(key, node, 1),
            "owner" => theme.owner = r.text(key, node).map(|s| s.value),
            "visibility" => {
                let choices = Visibility::ALL.map(|v| (v.as_str(), v));
                if let Some(v) = r.choice(key, node, &choices) {
                    theme.visibility = v.value;
                }
            }
            "metrics" => theme.metrics = read_metrics(r, key, node),
            "reviewed" => {
                theme.reviewed = r.date(key, node);
                theme.reviewed_unreadable = theme.reviewed.is_none() && node.value != Value::Null;
            }
            "tags" => {
                theme.tags = r
                    .text_list(key, node)
                    .into_iter()
                    .map(|s| s.value)
                    .collect()
            }
            "aliases" => {
                theme.aliases = super::item::ids(r, key, node, crate::model::THEME_IDS);
            }
            "description" => theme.description = r.text(key, node).map(|s| s.value),
            // Checked against the plan by the rules: an initiative, or an item's id by mistake.
            "parent" => theme.parent = r.text(key, node),
            name if BACKLOG_ONLY_FIELDS.contains(&name) => r.push(
                Finding::new(
                    Rule::RoadmapDetail,
                    format!("`{name}` is backlog detail and does not belong in a roadmap theme"),
                    r.at(key.span),
                )
                .field(name)
                .label("backlog-level field")
                .help(format!(
                    "a roadmap says why and when, for executives, customers and other teams; \
                     put `{name}` on backlog items that name `theme: {}`",
                    theme.id.value
                )),
            ),
            _ => r.unknown_key(key, &fields::names(fields::THEME), "a theme"),
        }
    }
    let span = doc_span(doc);
    if theme.title.is_none() && !has_key(entries, "title") {
        r.missing(
            span,
            "title",
            "this theme",
            "add `title:`, the theme's headline",
        );
    }
    if theme.objective.is_none() && !has_key(entries, "objective") {
        r.missing(
            span,
            "objective",
            "this theme",
            "add `objective:`, the business outcome it serves (the why)",
        );
    }
    if !has_key(entries, "status") {
        r.missing(
            span,
            "status",
            "this theme",
            "add `status:` (proposed, active, done or dropped)",
        );
    }
    let needs_horizon = matches!(
        theme.status(),
        Some(ThemeStatus::Proposed | ThemeStatus::Active)
    );
    if needs_horizon && !has_key(entries, "horizon") {
        let status = theme.status.as_ref().map_or(span, |s| s.span);
        r.push(
            Finding::new(
                Rule::MissingField,
                format!(
                    "{} theme needs a `horizon`",
                    if theme.status() == Some(ThemeStatus::Active) {
                        "an active"
                    } else {
                        "a proposed"
                    }
                ),
                r.at(status),
            )
            .field("horizon")
            .label("no horizon")
            .help("add `horizon:` such as 2025-Q3, 2025-07, 2025-Q3..2026-Q1, now/next/later or ongoing"),
        );
    }
    theme
}

fn read_metrics(r: &mut Reader<'_>, key: &Key, node: &Node) -> Vec<Metric> {
    let Value::Seq(list) = &node.value else {
        if node.value != Value::Null {
            r.wrong_type(key, node, "a list of metrics");
        }
        return Vec::new();
    };
    let mut metrics = Vec::new();
    for (n, entry) in list.iter().enumerate() {
        let Some(fields) = r.mapping(entry, "a metric") else {
            continue;
        };
        let outer = std::mem::replace(&mut r.path, format!("{}[{n}].", key.name));
        let mut metric = Metric {
            name: String::new(),
            target: String::new(),
            current: None,
            baseline: None,
        };
        let (mut name, mut target) = (false, false);
        for (k, v) in fields {
            if !METRIC_FIELDS.contains(&k.name.as_ref()) {
                r.unknown_key(k, METRIC_FIELDS, "a metric");
                continue;
            }
            let value = r.text(k, v).map(|s| s.value);
            match (k.name.as_ref(), value) {
                ("name", Some(v)) => (metric.name, name) = (v, true),
                ("target", Some(v)) => (metric.target, target) = (v, true),
                ("current", v) => metric.current = v,
                ("baseline", v) => metric.baseline = v,
                _ => {}
            }
        }
        for (present, field) in [(name, "name"), (target, "target")] {
            if !present {
                r.missing(
                    doc_span(entry),
                    field,
                    "this metric",
                    "a metric needs a `name` and a `target`",
                );
            }
        }
        r.path = outer;
        if name && target {
            metrics.push(metric);
        }
    }
    metrics
}
