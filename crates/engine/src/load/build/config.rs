//! `roadlog.yaml` read from its YAML nodes: unknown keys refused, every problem a finding.

use std::collections::BTreeMap;

use super::Reader;
use crate::diag::{FileId, Finding, Level, Rule, did_you_mean};
use crate::load::source::overlaps;
use crate::model::{
    CONFIG_FIELDS, Category, Config, IMPORT_FIELDS, ImportConfig, NamedSprint, ProgressBy, Span,
    Spanned, Sprint, StatusMap, is_item_id, is_theme_id,
};
use crate::yaml::{Key, Node, Value};

const SPRINT_FIELDS: &[&str] = &["id", "start", "end", "capacity"];

/// Reads `roadlog.yaml`. Any finding here is fatal: the plan cannot be read without its config.
pub(crate) fn read_config(
    src: &str,
    docs: &[crate::yaml::Node],
    file: FileId,
    findings: &mut Vec<Finding>,
) -> Config {
    let mut config = Config::default();
    let mut r = Reader {
        src,
        file,
        findings,
        path: String::new(),
    };
    let Some(doc) = docs.first() else {
        return config;
    };
    if let Some(second) = docs.get(1) {
        r.push(Finding::new(
            Rule::ParseError,
            "roadlog.yaml holds one document",
            r.at(second.span),
        ));
    }
    if doc.value == Value::Null {
        return config;
    }
    let Some(entries) = r.mapping(doc, "roadlog.yaml") else {
        return config;
    };
    let mut dir_spans: [Option<Span>; 2] = [None, None];
    for (key, node) in entries {
        match key.name.as_ref() {
            "product" => config.product = r.text(key, node).map(|s| s.value),
            "id_prefix" => {
                if let Some(p) = r.text(key, node) {
                    if is_item_id(&p.value) && !p.value.contains('-') {
                        config.id_prefix = p.value;
                    } else {
                        r.invalid(
                            "id_prefix",
                            p.span,
                            format!("`{}` is not a usable id prefix", p.value),
                            Some("use letters and digits, starting with a letter, e.g. BL".into()),
                        );
                    }
                }
            }
            "roadmap_dir" => dir_spans[0] = read_dir(&mut r, key, node, &mut config.roadmap_dir),
            "backlog_dir" => dir_spans[1] = read_dir(&mut r, key, node, &mut config.backlog_dir),
            "schema_dir" => {
                let mut dir = String::new();
                if read_dir(&mut r, key, node, &mut dir).is_some() {
                    config.schema_dir = Some(dir);
                }
            }
            "progress_by" => {
                if let Some(p) = r.choice(
                    key,
                    node,
                    &[
                        ("estimate", ProgressBy::Estimate),
                        ("count", ProgressBy::Count),
                    ],
                ) {
                    config.progress_by = p.value;
                }
            }
            "default_estimate" => {
                if let Some(n) = r.non_negative(key, node) {
                    config.default_estimate = n.value;
                }
            }
            "review_cadence_days" => {
                if let Some(n) = r.integer(key, node, 1) {
                    config.review_cadence_days = n.value;
                }
            }
            "stale_item_days" => {
                if let Some(n) = r.integer(key, node, 1) {
                    config.stale_item_days = n.value;
                }
            }
            "current_sprint" => config.current_sprint = r.text(key, node),
            "sprints" => {
                (config.sprints, config.named_sprints) = read_sprints(&mut r, key, node);
            }
            "import" => config.import = read_import(&mut r, key, node),
            "people" => config.people = super::people::read_people(&mut r, key, node),
            "teams" => config.teams = super::people::read_teams(&mut r, key, node),
            "publish" => config.external_health = read_publish(&mut r, key, node),
            "statuses" => config.statuses = read_statuses(&mut r, key, node),
            "rules" => config.rules = read_rules(&mut r, key, node),
            _ => r.unknown_key(key, CONFIG_FIELDS, "roadlog.yaml"),
        }
    }
    check_import_statuses(&mut r, &config);
    super::people::check_teams(&mut r, &config);
    if let Some(span) = dir_spans[1].or(dir_spans[0])
        && overlaps(&config.roadmap_dir, &config.backlog_dir)
    {
        r.invalid(
            "backlog_dir",
            span,
            format!(
                "roadmap folder `{}` and backlog folder `{}` overlap",
                config.roadmap_dir, config.backlog_dir
            ),
            Some("themes and items live in separate folders; neither may hold the other".into()),
        );
    }
    config
}

/// A folder relative to the plan root, normalized to `a/b`; returns the span it was read from.
fn read_dir(r: &mut Reader<'_>, key: &Key, node: &Node, out: &mut String) -> Option<Span> {
    let dir = r.text(key, node)?;
    let mut parts = Vec::new();
    let mut inside = true;
    for c in std::path::Path::new(&dir.value).components() {
        match c {
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy()),
            std::path::Component::CurDir => {}
            _ => inside = false,
        }
    }
    // The plan root itself would make roadlog.yaml a theme or an item.
    if inside && !parts.is_empty() {
        *out = parts.join("/");
        return Some(dir.span);
    }
    r.invalid(
        &key.name,
        dir.span,
        format!("`{}` must be a folder inside the plan root", dir.value),
        Some("write a relative path below the plan root without `..`, e.g. `plan/roadmap`".into()),
    );
    None
}

/// A calendar sprint, or one known by its id alone.
enum Entry {
    Dated(Sprint),
    Named(NamedSprint),
}

fn read_sprints(r: &mut Reader<'_>, key: &Key, node: &Node) -> (Vec<Sprint>, Vec<NamedSprint>) {
    let Value::Seq(list) = &node.value else {
        if node.value != Value::Null {
            r.push(
                Finding::new(
                    Rule::ParseError,
                    format!("`{}` should be a list of sprints", key.name),
                    r.at(node.span),
                )
                .field(r.field(&key.name)),
            );
        }
        return (Vec::new(), Vec::new());
    };
    let mut sprints: Vec<Sprint> = Vec::new();
    let mut named: Vec<NamedSprint> = Vec::new();
    for (n, entry) in list.iter().enumerate() {
        let Some(fields) = r.mapping(entry, "a sprint") else {
            continue;
        };
        let outer = std::mem::replace(&mut r.path, format!("{}[{n}].", key.name));
        let taken =
            |id: &str| sprints.iter().any(|s| s.id == id) || named.iter().any(|s| s.id == id);
        let sprint = read_sprint(r, entry, fields, taken);
        r.path = outer;
        match sprint {
            Some(Entry::Dated(s)) => sprints.push(s),
            Some(Entry::Named(s)) => named.push(s),
            None => {}
        }
    }
    (sprints, named)
}

/// One sprint of the calendar, `None` (after a finding) when it cannot be used.
fn read_sprint(
    r: &mut Reader<'_>,
    entry: &Node,
    fields: &[(Key, Node)],
    taken: impl Fn(&str) -> bool,
) -> Option<Entry> {
    let (mut id, mut start, mut end, mut capacity) = (None, None, None, None);
    for (k, v) in fields {
        match k.name.as_ref() {
            "id" => id = r.required_text(k, v),
            "start" => start = r.date(k, v),
            "end" => end = r.date(k, v),
            "capacity" => capacity = r.non_negative(k, v),
            _ => r.unknown_key(k, SPRINT_FIELDS, "a sprint"),
        }
    }
    if let Some(id) = &id
        && taken(&id.value)
    {
        r.push(
            Finding::new(
                Rule::DuplicateId,
                format!("sprint `{}` is defined twice", id.value),
                r.at(id.span),
            )
            .field(r.field("id")),
        );
        return None;
    }
    let (id, start, end) = match (id, start, end) {
        (Some(id), Some(start), Some(end)) => (id, start, end),
        // Known by name only: what an import names without dates.
        (Some(id), None, None)
            if !fields
                .iter()
                .any(|(k, _)| k.name == "start" || k.name == "end") =>
        {
            return Some(Entry::Named(NamedSprint {
                id: id.value,
                capacity: capacity.map(|c| c.value),
                span: id.span,
            }));
        }
        _ => {
            r.push(
                Finding::new(
                    Rule::MissingField,
                    "a sprint needs `id`, and `start` and `end` both or neither",
                    r.at(entry.span),
                )
                .field(r.path.trim_end_matches('.'))
                .help("e.g. `- { id: 2025-S14, start: 2025-07-01, end: 2025-07-14 }`, or `- { id: PAY Sprint 7 }` for one known by name"),
            );
            return None;
        }
    };
    if end.value < start.value {
        r.invalid(
            "end",
            end.span,
            format!("sprint `{}` ends before it starts", id.value),
            None,
        );
        return None;
    }
    Some(Entry::Dated(Sprint {
        id: id.value,
        start: start.value,
        end: end.value,
        capacity: capacity.map(|c| c.value),
        span: id.span,
    }))
}

/// The `import:` section: its keys checked, its maps read; a theme id is checked for its form
/// here and for its existence by `roadlog import`.
fn read_import(r: &mut Reader<'_>, key: &Key, node: &Node) -> ImportConfig {
    let mut import = ImportConfig::default();
    if node.value == Value::Null {
        return import;
    }
    let Some(entries) = r.mapping(node, "`import`") else {
        return import;
    };
    let outer = std::mem::replace(&mut r.path, format!("{}.", key.name));
    for (k, v) in entries {
        match k.name.as_ref() {
            "folder" => {
                let mut dir = String::new();
                if read_dir(r, k, v, &mut dir).is_some() {
                    import.folder = Some(dir);
                }
            }
            "statuses" => import.statuses = read_names(r, k, v),
            "themes" => {
                import.themes = read_names(r, k, v);
                for (name, theme) in &import.themes {
                    if !is_theme_id(&theme.value) {
                        r.invalid(
                            &format!("themes.{name}"),
                            theme.span,
                            format!("`{}` is not a valid theme id", theme.value),
                            Some(format!("theme ids are {}", crate::model::THEME_ID_RULE)),
                        );
                    }
                }
                import.themes.retain(|_, t| is_theme_id(&t.value));
            }
            _ => r.unknown_key(k, IMPORT_FIELDS, "`import`"),
        }
    }
    r.path = outer;
    import
}

/// The `publish:` section: whether the customers' page shows health verdicts.
fn read_publish(r: &mut Reader<'_>, key: &Key, node: &Node) -> bool {
    if node.value == Value::Null {
        return false;
    }
    let Some(entries) = r.mapping(node, "`publish`") else {
        return false;
    };
    let mut health = false;
    for (k, v) in entries {
        match (k.name.as_ref(), &v.value) {
            ("external_health", Value::Bool(b)) => health = *b,
            ("external_health", _) => r.invalid(
                &format!("{}.external_health", key.name),
                v.span,
                "`external_health` is `true` or `false`".into(),
                None,
            ),
            _ => r.unknown_key(k, &["external_health"], "`publish`"),
        }
    }
    health
}

/// A mapping of names to names (`"In Review": review`).
fn read_names(r: &mut Reader<'_>, key: &Key, node: &Node) -> BTreeMap<String, Spanned<String>> {
    let mut map = BTreeMap::new();
    let entries = super::entries(r, key, node, "names to names");
    let inner = format!("{}{}.", r.path, key.name);
    let outer = std::mem::replace(&mut r.path, inner);
    for (k, v) in entries {
        if let Some(value) = r.required_text(k, v) {
            map.insert(k.name.to_string(), value);
        }
    }
    r.path = outer;
    map
}

/// Each status `import.statuses` maps to must be a status of this plan, built in or custom
/// (read after the whole file, since `statuses:` may come later).
fn check_import_statuses(r: &mut Reader<'_>, config: &Config) {
    let known = config.status_names();
    for (name, to) in &config.import.statuses {
        if config.category_of(&to.value).is_none() {
            let help = did_you_mean(&to.value, known.iter().copied()).map_or_else(
                || format!("use one of: {}", known.join(", ")),
                |near| format!("did you mean `{near}`?"),
            );
            r.invalid(
                &format!("import.statuses.{name}"),
                to.span,
                format!("`{}` is not a status of this plan", to.value),
                Some(help),
            );
        }
    }
}

fn read_statuses(r: &mut Reader<'_>, key: &Key, node: &Node) -> StatusMap {
    let mut map = StatusMap::new();
    let entries = super::entries(r, key, node, "custom statuses to built-in ones");
    let builtins: Vec<(&str, Category)> = Category::ALL.iter().map(|c| (c.as_str(), *c)).collect();
    let outer = std::mem::replace(&mut r.path, format!("{}.", key.name));
    for (k, v) in entries {
        if Category::parse(&k.name).is_some() {
            r.invalid(
                &k.name,
                k.span,
                format!("`{}` is a built-in status and cannot be redefined", k.name),
                None,
            );
            continue;
        }
        if let Some(c) = r.choice_of(k, v, &builtins, "built-in status") {
            map.insert(k.name.to_string(), c.value);
        }
    }
    r.path = outer;
    map
}

fn read_rules(r: &mut Reader<'_>, key: &Key, node: &Node) -> BTreeMap<Rule, Level> {
    let mut map = BTreeMap::new();
    let entries = super::entries(r, key, node, "rule names to error, warn or off");
    let outer = std::mem::replace(&mut r.path, format!("{}.", key.name));
    for (k, v) in entries {
        let Ok(rule) = k.name.parse::<Rule>() else {
            let help = did_you_mean(&k.name, Rule::ALL.iter().map(|r| r.code())).map_or_else(
                || "see docs/rules.md for the list of rules".to_string(),
                |near| format!("did you mean `{near}`?"),
            );
            r.push(
                Finding::new(
                    Rule::UnknownField,
                    format!("unknown rule `{}`", k.name),
                    r.at(k.span),
                )
                .field(r.field(&k.name))
                .help(help),
            );
            continue;
        };
        let levels = [
            ("error", Level::Error),
            ("warn", Level::Warn),
            ("off", Level::Off),
        ];
        let noun = format!("level for rule `{}`", k.name);
        if let Some(level) = r.choice_of(k, v, &levels, &noun) {
            map.insert(rule, level.value);
        }
    }
    r.path = outer;
    map
}
