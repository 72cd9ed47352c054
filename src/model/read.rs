//! Building typed themes and items from YAML nodes, one finding per bad field.

use std::str::FromStr;

use super::fields;
use super::{
    Category, Config, Item, Kind, Metric, Spanned, Status, Theme, ThemeStatus, Visibility,
    is_item_id, is_theme_id,
};
use crate::diag::{FileId, Finding, Location, Rule, did_you_mean};
use crate::time::{Date, Horizon};
use crate::yaml::{self, Key, Node, Span, Value};

/// Backlog-level fields that are refused in a theme (rule `roadmap-detail`).
pub const BACKLOG_ONLY_FIELDS: &[&str] = &[
    "acceptance",
    "estimate",
    "assignee",
    "sprint",
    "parent",
    "depends_on",
    "items",
    "tasks",
    "stories",
];

const METRIC_FIELDS: &[&str] = &["name", "target", "current", "baseline"];

/// The largest estimate, default estimate or sprint capacity roadlog accepts: beyond it, sums
/// over a large plan would lose precision (and `1e308` would make totals infinite).
pub const MAX_WEIGHT: f64 = 100_000.0;

/// Reads typed values out of nodes of one file, collecting a finding for each bad one.
pub(crate) struct Reader<'a> {
    pub src: &'a str,
    pub file: FileId,
    pub findings: &'a mut Vec<Finding>,
    /// Where the fields being read sit, as a path prefix (`metrics[0].`), for finding identity.
    pub path: String,
}

impl Reader<'_> {
    /// The field path of a key read at the current place.
    pub fn field(&self, name: &str) -> String {
        format!("{}{name}", self.path)
    }

    /// Gives every finding pushed since `start` that names no entity the entity `id`.
    pub fn stamp(&mut self, start: usize, id: &str) {
        for f in self.findings.iter_mut().skip(start) {
            if f.entity.is_none() {
                f.entity = Some(id.to_string());
            }
        }
    }

    pub fn at(&self, span: Span) -> Option<Location> {
        Some(Location {
            file: self.file,
            span: Some(span),
        })
    }

    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    fn wrong_type(&mut self, key: &Key, node: &Node, expected: &str) {
        let found = node.value.type_name();
        self.push(
            Finding::new(
                Rule::ParseError,
                format!("`{}` should be {expected}, found {found}", key.name),
                self.at(value_span(key, node)),
            )
            .field(self.field(&key.name))
            .label(format!("expected {expected}")),
        );
    }

    /// The mapping entries of a document, or a finding when it is not a mapping.
    pub fn mapping<'n>(&mut self, doc: &'n Node, what: &str) -> Option<&'n [(Key, Node)]> {
        match &doc.value {
            Value::Map(entries) => Some(entries),
            other => {
                let found = other.type_name();
                self.push(
                    Finding::new(
                        Rule::ParseError,
                        format!("{what} should be a mapping of fields, found {found}"),
                        self.at(doc.span),
                    )
                    .help(format!(
                        "write {what} as `field: value` lines, e.g. `title: …`"
                    )),
                );
                None
            }
        }
    }

    /// Flags a key that is not in `known`, with the nearest known key as help.
    pub fn unknown_key(&mut self, key: &Key, known: &[&str], what: &str) {
        let help = match did_you_mean(&key.name, known.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("{what} fields are: {}", known.join(", ")),
        };
        self.push(
            Finding::new(
                Rule::UnknownField,
                format!("unknown field `{}` in {what}", key.name),
                self.at(key.span),
            )
            .field(self.field(&key.name))
            .label("not a known field")
            .help(help),
        );
    }

    /// A scalar's text; `None` (after a finding) for lists and mappings, `None` for null.
    pub fn text(&mut self, key: &Key, node: &Node) -> Option<Spanned<String>> {
        match node.scalar_text(self.src) {
            Some(t) => Some(Spanned::new(t.into_owned(), node.span)),
            None if node.value == Value::Null => None,
            None => {
                self.wrong_type(key, node, "a string");
                None
            }
        }
    }

    /// A required text: null, empty and blank count as missing.
    pub fn required_text(&mut self, key: &Key, node: &Node) -> Option<Spanned<String>> {
        let blank = match &node.value {
            Value::Null => true,
            Value::Str(s) => s.trim().is_empty(),
            _ => false,
        };
        if blank {
            self.push(
                Finding::new(
                    Rule::MissingField,
                    format!("`{}` is empty", key.name),
                    self.at(key.span),
                )
                .field(self.field(&key.name))
                .label("needs a value"),
            );
            return None;
        }
        self.text(key, node)
    }

    /// A scalar's text when it has one, with no finding either way (for keeping a value that
    /// was already reported as invalid).
    pub fn text_quietly(&self, node: &Node) -> Option<String> {
        node.scalar_text(self.src)
            .map(std::borrow::Cow::into_owned)
            .filter(|t| !t.trim().is_empty())
    }

    /// A list of scalars.
    pub fn text_list(&mut self, key: &Key, node: &Node) -> Vec<Spanned<String>> {
        match &node.value {
            Value::Null => Vec::new(),
            Value::Seq(entries) => entries
                .iter()
                .filter_map(|entry| match entry.scalar_text(self.src) {
                    Some(t) => Some(Spanned::new(t.into_owned(), entry.span)),
                    None => {
                        let found = entry.value.type_name();
                        self.push(
                            Finding::new(
                                Rule::ParseError,
                                format!(
                                    "entries of `{}` should be strings, found {found}",
                                    key.name
                                ),
                                self.at(entry.span),
                            )
                            .field(self.field(&key.name))
                            .label("expected a string"),
                        );
                        None
                    }
                })
                .collect(),
            _ => {
                self.wrong_type(key, node, "a list");
                Vec::new()
            }
        }
    }

    /// An integer ≥ `min`.
    pub fn integer(&mut self, key: &Key, node: &Node, min: i64) -> Option<Spanned<u32>> {
        match node.value {
            Value::Null => None,
            Value::Int(i) if i >= min && i <= i64::from(u32::MAX) => {
                Some(Spanned::new(u32::try_from(i).ok()?, node.span))
            }
            Value::Int(i) => {
                self.invalid(
                    &key.name,
                    node.span,
                    format!(
                        "`{}` must be a whole number of at least {min}, found {i}",
                        key.name
                    ),
                    None,
                );
                None
            }
            Value::Float(f) => {
                self.invalid(
                    &key.name,
                    node.span,
                    format!(
                        "`{}` must be a whole number of at least {min}, found {f}",
                        key.name
                    ),
                    None,
                );
                None
            }
            _ => {
                self.wrong_type(key, node, "an integer");
                None
            }
        }
    }

    /// A finite number from 0 to [`MAX_WEIGHT`].
    pub fn non_negative(&mut self, key: &Key, node: &Node) -> Option<Spanned<f64>> {
        #[allow(clippy::cast_precision_loss)]
        let n = match node.value {
            Value::Null => return None,
            Value::Int(i) => i as f64,
            Value::Float(f) => f,
            _ => {
                self.wrong_type(key, node, "a number");
                return None;
            }
        };
        if n.is_finite() && (0.0..=MAX_WEIGHT).contains(&n) {
            return Some(Spanned::new(n, node.span));
        }
        let written = node.scalar_text(self.src).unwrap_or_default().into_owned();
        let message = if n.is_finite() {
            format!(
                "`{}` must be a number from 0 to {MAX_WEIGHT}, found {written}",
                key.name
            )
        } else {
            format!("`{}` must be a finite number, found {written}", key.name)
        };
        self.invalid(&key.name, node.span, message, None);
        None
    }

    /// A date `YYYY-MM-DD`.
    pub fn date(&mut self, key: &Key, node: &Node) -> Option<Spanned<Date>> {
        let text = self.text(key, node)?;
        match Date::from_str(&text.value) {
            Ok(d) => Some(Spanned::new(d, node.span)),
            Err(msg) => {
                self.invalid(&key.name, node.span, msg, None);
                None
            }
        }
    }

    /// One of a fixed set of spellings.
    pub fn choice<T: Copy>(
        &mut self,
        key: &Key,
        node: &Node,
        choices: &[(&str, T)],
    ) -> Option<Spanned<T>> {
        self.choice_of(
            key,
            node,
            choices,
            &format!("valid value for `{}`", key.name),
        )
    }

    /// One of a fixed set of spellings; `noun` completes "`x` is not a …".
    pub fn choice_of<T: Copy>(
        &mut self,
        key: &Key,
        node: &Node,
        choices: &[(&str, T)],
        noun: &str,
    ) -> Option<Spanned<T>> {
        let text = self.text(key, node)?;
        if let Some((_, v)) = choices.iter().find(|(name, _)| *name == text.value) {
            return Some(Spanned::new(*v, node.span));
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        let help = match did_you_mean(&text.value, names.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("use one of: {}", names.join(", ")),
        };
        self.invalid(
            &key.name,
            node.span,
            format!("`{}` is not a {noun}", text.value),
            Some(help),
        );
        None
    }

    pub fn invalid(&mut self, field: &str, span: Span, message: String, help: Option<String>) {
        self.push(
            Finding::new(Rule::InvalidValue, message, self.at(span))
                .field(self.field(field))
                .label("invalid value")
                .maybe_help(help),
        );
    }

    fn missing(&mut self, doc_span: Span, field: &str, what: &str, help: &str) {
        self.push(
            Finding::new(
                Rule::MissingField,
                format!("{what} has no `{field}`"),
                self.at(doc_span),
            )
            .field(self.field(field))
            .label(format!("`{field}` is required"))
            .help(help.to_string()),
        );
    }
}

fn value_span(key: &Key, node: &Node) -> Span {
    // An empty value has no width; point at the key instead.
    if node.span.len == 0 && node.value == Value::Null {
        key.span
    } else {
        node.span
    }
}

/// Where a document begins, for findings about the entity as a whole.
fn doc_span(doc: &Node) -> Span {
    match &doc.value {
        Value::Map(entries) => entries.first().map_or(doc.span, |(k, _)| k.span),
        _ => doc.span,
    }
}

/// The id: as written, or the file stem; findings when it is not a valid id.
fn read_id(
    r: &mut Reader<'_>,
    entries: &[(Key, Node)],
    doc: &Node,
    stem: &str,
    must_write: bool,
    valid: fn(&str) -> bool,
    rule_text: &str,
) -> (Spanned<String>, bool) {
    if let Some((key, node)) = entries.iter().find(|(k, _)| k.name == "id")
        && let Some(id) = r.required_text(key, node)
    {
        if !valid(&id.value) {
            r.invalid(
                "id",
                id.span,
                format!("`{}` is not a valid id", id.value),
                Some(format!("ids are {rule_text}")),
            );
        }
        return (id, true);
    }
    let span = doc_span(doc);
    if must_write {
        r.missing(
            span,
            "id",
            "an item in a file of several items",
            "each document of a multi-item file needs its own `id:`",
        );
    } else if !valid(stem) {
        r.invalid(
            "id",
            span,
            format!("the file name `{stem}` is not a valid id"),
            Some(format!(
                "rename the file, or add an `id:` field; ids are {rule_text}"
            )),
        );
    }
    (Spanned::new(stem.to_string(), span), false)
}

const THEME_ID_RULE: &str = "lowercase letters, digits and `-`, starting with a letter or digit";
const ITEM_ID_RULE: &str = "letters, digits, `_`, `.` and `-`, starting with a letter";

/// Reads the theme documents of a roadmap file (one expected).
pub fn read_themes(
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
    if docs.len() > 1 {
        r.push(
            Finding::new(
                Rule::ParseError,
                format!(
                    "a roadmap file holds one theme; this one has {} documents",
                    docs.len()
                ),
                r.at(docs[1].span),
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
        description: None,
    };
    for (key, node) in entries {
        match key.name.as_str() {
            "id" => {}
            "title" => theme.title = r.required_text(key, node),
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
                if let Some(v) = r.choice(
                    key,
                    node,
                    &[
                        ("public", Visibility::Public),
                        ("internal", Visibility::Internal),
                    ],
                ) {
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
            "description" => theme.description = r.text(key, node).map(|s| s.value),
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
            .help("add `horizon:` such as 2025-Q3, 2025-07, 2025-Q3..2026-Q1 or now/next/later"),
        );
    }
    theme
}

fn has_key(entries: &[(Key, Node)], name: &str) -> bool {
    entries.iter().any(|(k, _)| k.name == name)
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
            if !METRIC_FIELDS.contains(&k.name.as_str()) {
                r.unknown_key(k, METRIC_FIELDS, "a metric");
                continue;
            }
            let value = r.text(k, v).map(|s| s.value);
            match (k.name.as_str(), value) {
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

/// Reads the item documents of a backlog file.
pub fn read_items(
    src: &str,
    docs: &[Node],
    file: FileId,
    stem: &str,
    config: &Config,
    findings: &mut Vec<Finding>,
) -> Vec<Item> {
    let mut r = Reader {
        src,
        file,
        findings,
        path: String::new(),
    };
    let sole = docs.len() == 1;
    docs.iter()
        .filter_map(|doc| read_item(&mut r, doc, stem, sole, config))
        .collect()
}

fn read_item(
    r: &mut Reader<'_>,
    doc: &Node,
    stem: &str,
    sole: bool,
    config: &Config,
) -> Option<Item> {
    let entries = r.mapping(doc, "a backlog item")?;
    let start = r.findings.len();
    let item = read_item_fields(r, doc, entries, stem, sole, config);
    r.stamp(start, &item.id.value);
    Some(item)
}

fn read_item_fields(
    r: &mut Reader<'_>,
    doc: &Node,
    entries: &[(Key, Node)],
    stem: &str,
    sole: bool,
    config: &Config,
) -> Item {
    let (id, id_written) = read_id(r, entries, doc, stem, !sole, is_item_id, ITEM_ID_RULE);
    let mut item = Item {
        file: r.file,
        sole_in_file: sole,
        id,
        id_written,
        title: None,
        kind: Kind::Story,
        status: None,
        status_written: None,
        theme: None,
        parent: None,
        estimate: None,
        priority: None,
        sprint: None,
        assignee: None,
        depends_on: Vec::new(),
        acceptance: Vec::new(),
        description: None,
        tags: Vec::new(),
        done_on: None,
    };
    for (key, node) in entries {
        match key.name.as_str() {
            "id" => {}
            "title" => item.title = r.required_text(key, node),
            "kind" => {
                let kinds: Vec<(&str, Kind)> = Kind::ALL.iter().map(|k| (k.as_str(), *k)).collect();
                if let Some(k) = r.choice(key, node, &kinds) {
                    item.kind = k.value;
                }
            }
            "status" => {
                item.status = read_status(r, key, node, config);
                if item.status.is_none() {
                    item.status_written = r.text_quietly(node);
                }
            }
            "theme" => item.theme = read_ref(r, key, node, is_theme_id, THEME_ID_RULE),
            "parent" => item.parent = read_ref(r, key, node, is_item_id, ITEM_ID_RULE),
            "estimate" => item.estimate = r.non_negative(key, node),
            "priority" => item.priority = r.integer(key, node, 1),
            "sprint" => item.sprint = r.text(key, node),
            "assignee" => item.assignee = r.text(key, node),
            "depends_on" => {
                item.depends_on = r.text_list(key, node);
                for dep in &item.depends_on {
                    if !is_item_id(&dep.value) {
                        r.invalid(
                            &format!("depends_on[{}]", dep.value),
                            dep.span,
                            format!("`{}` is not a valid item id", dep.value),
                            Some(format!("item ids are {ITEM_ID_RULE}")),
                        );
                    }
                }
                item.depends_on.retain(|d| is_item_id(&d.value));
            }
            "acceptance" => {
                item.acceptance = r
                    .text_list(key, node)
                    .into_iter()
                    .map(|s| s.value)
                    .collect()
            }
            "description" => item.description = r.text(key, node).map(|s| s.value),
            "tags" => {
                item.tags = r
                    .text_list(key, node)
                    .into_iter()
                    .map(|s| s.value)
                    .collect()
            }
            "done_on" => item.done_on = r.date(key, node),
            _ => r.unknown_key(key, &fields::names(fields::ITEM), "a backlog item"),
        }
    }
    let span = doc_span(doc);
    if !has_key(entries, "title") {
        r.missing(
            span,
            "title",
            "this item",
            "add `title:`, a one-line summary of the work",
        );
    }
    if !has_key(entries, "status") {
        r.missing(
            span,
            "status",
            "this item",
            "add `status:` (todo, in-progress, blocked, done or wontdo)",
        );
    }
    item
}

fn read_status(
    r: &mut Reader<'_>,
    key: &Key,
    node: &Node,
    config: &Config,
) -> Option<Spanned<Status>> {
    let text = r.required_text(key, node)?;
    let category =
        Category::parse(&text.value).or_else(|| config.statuses.get(&text.value).copied());
    if let Some(category) = category {
        return Some(Spanned::new(
            Status {
                name: text.value,
                category,
            },
            text.span,
        ));
    }
    let known: Vec<&str> = Category::ALL
        .iter()
        .map(|c| c.as_str())
        .chain(config.statuses.keys().map(String::as_str))
        .collect();
    let help = match did_you_mean(&text.value, known.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "use one of: {}; or map a custom status under `statuses:` in roadlog.yaml",
            known.join(", ")
        ),
    };
    r.invalid(
        &key.name,
        text.span,
        format!("`{}` is not a known status", text.value),
        Some(help),
    );
    None
}

/// A reference to another entity. A malformed id is reported here and kept, so the link counts
/// as broken rather than absent (no second finding such as `orphan-item` for the same typo).
fn read_ref(
    r: &mut Reader<'_>,
    key: &Key,
    node: &Node,
    valid: fn(&str) -> bool,
    rule_text: &str,
) -> Option<Spanned<String>> {
    let text = r.text(key, node)?;
    if !valid(&text.value) {
        r.invalid(
            &key.name,
            text.span,
            format!("`{}` is not a valid {} id", text.value, key.name),
            Some(format!("{} ids are {rule_text}", key.name)),
        );
    }
    Some(text)
}

/// Parses a file's text into documents, turning a syntax error into a finding.
pub fn parse_docs(src: &str, file: FileId, findings: &mut Vec<Finding>) -> Option<Vec<Node>> {
    match yaml::parse_stream(src) {
        Ok(docs) => Some(docs),
        Err(err) => {
            let at = Location {
                file,
                span: err.span,
            };
            findings.push(
                Finding::new(
                    Rule::ParseError,
                    format!("invalid YAML: {}", err.message),
                    Some(at),
                )
                .label("here")
                .maybe_help(err.help),
            );
            None
        }
    }
}
