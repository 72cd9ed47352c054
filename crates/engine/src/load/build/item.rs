//! A backlog item from its document.

use super::{ITEM_ID_RULE, Reader, THEME_ID_RULE, doc_span, has_key, read_id};
use crate::diag::{FileId, Finding, did_you_mean};
use crate::model::{
    Config, ITEM_IDS, IdKind, Item, Kind, SOURCE_RULE, Spanned, Status, fields, is_item_id,
    is_source, is_theme_id,
};
use crate::yaml::{Key, Node};

/// Reads the item documents of a backlog file.
pub(crate) fn read_items(
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
    // Sized exactly: collected from `filter_map` a Vec starts at room for four items, which on
    // 100,000 one-item files held three empty items' room each (a third of check's memory).
    let mut items = Vec::with_capacity(docs.len());
    items.extend(
        docs.iter()
            .filter_map(|doc| read_item(&mut r, doc, stem, sole, config)),
    );
    items
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
        assignee: Box::default(),
        depends_on: Box::default(),
        related: Box::default(),
        aliases: Box::default(),
        acceptance: Box::default(),
        description: None,
        tags: Box::default(),
        done_on: None,
        reviewed: None,
        source: None,
        counts: true,
    };
    for (key, node) in entries {
        match key.name.as_ref() {
            "id" => {}
            "title" => item.title = r.title(key, node),
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
            "assignee" => {
                item.assignee = match node.value {
                    crate::yaml::Value::Seq(_) => r.text_list(key, node).into(),
                    _ => r.text(key, node).into_iter().collect(),
                }
            }
            "related" => item.related = ids(r, key, node, RELATED_IDS).into(),
            "aliases" => item.aliases = ids(r, key, node, ITEM_IDS).into(),
            "depends_on" => item.depends_on = ids(r, key, node, ITEM_IDS).into(),
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
            "reviewed" => item.reviewed = r.date(key, node),
            "source" => item.source = read_source(r, key, node),
            "counts" => match node.value {
                crate::yaml::Value::Bool(b) => item.counts = b,
                _ => r.invalid(
                    &key.name,
                    node.span,
                    "`counts` is `false` for a standing commitment, or left out".into(),
                    Some(
                        "write `counts: false`: the item is traced and listed, never weighed"
                            .into(),
                    ),
                ),
            },
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
    let category = config.category_of(&text.value);
    if let Some(category) = category {
        return Some(Spanned::new(
            Status {
                name: text.value,
                category,
            },
            text.span,
        ));
    }
    let known = config.status_names();
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

/// A `source:` value; a malformed one is reported and left out.
fn read_source(r: &mut Reader<'_>, key: &Key, node: &Node) -> Option<Spanned<String>> {
    let text = r.text(key, node)?;
    if is_source(&text.value) {
        return Some(text);
    }
    r.invalid(
        &key.name,
        text.span,
        format!("`{}` is not a tracker record", text.value),
        Some(format!("write {SOURCE_RULE}")),
    );
    None
}

/// What a `related` entry looks like: a theme's id or an item's.
const RELATED_IDS: IdKind = IdKind {
    valid: |id| is_item_id(id) || is_theme_id(id),
    noun: "theme or item id",
    rule: "of two kinds: a theme id is lowercase letters, digits and `-`; an item id is letters, \
           digits, `_`, `.` and `-`, starting with a letter",
};

/// A list of ids: each malformed one reported as an `invalid-value` on `field[id]` and left out.
pub(super) fn ids(
    r: &mut Reader<'_>,
    key: &Key,
    node: &Node,
    kind: IdKind,
) -> Vec<Spanned<String>> {
    let mut ids = r.text_list(key, node);
    for id in &ids {
        if !(kind.valid)(&id.value) {
            r.invalid(
                &format!("{}[{}]", key.name, id.value),
                id.span,
                format!("`{}` is not a valid {}", id.value, kind.noun),
                Some(format!("{}s are {}", kind.noun, kind.rule)),
            );
        }
    }
    ids.retain(|d| (kind.valid)(&d.value));
    ids
}
