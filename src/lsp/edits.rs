//! What the server offers to write: completions, quick fixes and renames. Each is worked out from
//! the plan and the buffer's text; a rename is the same checked change as `roadlog rename`.

use std::collections::BTreeSet;

use crate::diag::{Finding, Rule};
use crate::model::fields;
use crate::model::{Category, Plan, ThemeStatus};

/// What a completion offers: the text, and what it is.
pub(crate) struct Offer {
    pub(crate) label: String,
    pub(crate) detail: Option<String>,
    pub(crate) kind: OfferKind,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum OfferKind {
    Reference,
    Value,
    Field,
}

/// The completions at the end of `before` (the line up to the cursor) in `text`, a file of the
/// plan that is a roadmap file when `theme_file`.
pub(crate) fn complete(
    plan: &Plan,
    text: &str,
    line_start: usize,
    before: &str,
    theme_file: bool,
) -> Vec<Offer> {
    let trimmed = before.trim_start();
    let key = trimmed
        .strip_prefix("- ")
        .unwrap_or(trimmed)
        .split_once(':')
        .map(|(k, _)| k.trim());
    let value = |k: &str| key == Some(k);
    let themes = || {
        plan.themes
            .iter()
            .map(|t| offer(&t.id.value, Some(t.display_title()), OfferKind::Reference))
            .collect()
    };
    let items = || {
        plan.items
            .iter()
            .map(|i| offer(&i.id.value, Some(i.title_text()), OfferKind::Reference))
            .collect()
    };
    if value("theme") {
        return themes();
    }
    if value("parent") {
        return items();
    }
    if value("depends_on") || value("related") || in_list(text, line_start, before) {
        let related = value("related") || list_key(text, line_start).as_deref() == Some("related");
        let mut all: Vec<Offer> = items();
        if related {
            all.extend(themes());
        }
        return all;
    }
    if value("status") {
        if theme_file {
            return ThemeStatus::ALL
                .iter()
                .map(|s| offer(s.as_str(), None, OfferKind::Value))
                .collect();
        }
        let mut names: Vec<Offer> = Category::ALL
            .iter()
            .map(|c| offer(c.as_str(), None, OfferKind::Value))
            .collect();
        names.extend(plan.config.statuses.iter().map(|(name, category)| {
            offer(
                name,
                Some(format!("custom, counts as {}", category.as_str())),
                OfferKind::Value,
            )
        }));
        return names;
    }
    if value("sprint") {
        return plan
            .config
            .sprints
            .iter()
            .map(|s| {
                offer(
                    &s.id,
                    Some(format!("{} to {}", s.start, s.end)),
                    OfferKind::Value,
                )
            })
            .collect();
    }
    if value("assignee") || value("owner") {
        let people: BTreeSet<&str> = plan
            .items
            .iter()
            .flat_map(|i| i.assignee.iter().map(|a| a.value.as_str()))
            .chain(plan.themes.iter().filter_map(|t| t.owner.as_deref()))
            .collect();
        return people
            .into_iter()
            .map(|p| offer(p, None, OfferKind::Value))
            .collect();
    }
    // A key being typed at the start of a line: the fields of this kind of file, required first.
    if key.is_none() && !before.starts_with([' ', '\t', '-']) {
        let (all, required) = if theme_file {
            (fields::THEME, fields::THEME_REQUIRED)
        } else {
            (fields::ITEM, fields::ITEM_REQUIRED)
        };
        let mut offers: Vec<(bool, Offer)> = all
            .iter()
            .map(|f| {
                let needed = required.contains(&f.name);
                let detail = if needed {
                    format!("required: {}", f.about)
                } else {
                    f.about.to_string()
                };
                (!needed, offer(f.name, Some(detail), OfferKind::Field))
            })
            .collect();
        offers.sort_by_key(|(optional, _)| *optional);
        return offers.into_iter().map(|(_, o)| o).collect();
    }
    Vec::new()
}

fn offer(label: &str, detail: Option<String>, kind: OfferKind) -> Offer {
    Offer {
        label: label.to_string(),
        detail,
        kind,
    }
}

/// Whether the line is an entry (`- …`) of a block list under `depends_on:` or `related:`.
fn in_list(text: &str, line_start: usize, before: &str) -> bool {
    before.trim_start().starts_with('-')
        && matches!(
            list_key(text, line_start).as_deref(),
            Some("depends_on" | "related")
        )
}

/// The key of the block list the line at `line_start` belongs to: the nearest line above that
/// is not a list entry.
fn list_key(text: &str, line_start: usize) -> Option<String> {
    let above = text.get(..line_start)?;
    for line in above.lines().rev() {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('-') || t.starts_with('#') {
            continue;
        }
        return t.split_once(':').map(|(k, _)| k.trim().to_string());
    }
    None
}

/// A quick fix: replace `start..end` of the file with `text`.
pub(crate) struct Fix {
    pub(crate) title: String,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) text: String,
    pub(crate) preferred: bool,
}

/// The quick fixes for one finding in `text`: its did-you-mean, or a missing field added.
pub(crate) fn fixes(finding: &Finding, text: &str) -> Vec<Fix> {
    let Some(span) = finding.at.and_then(|at| at.span) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(near) = finding.help.as_deref().and_then(suggested) {
        out.push(Fix {
            title: format!("Replace with `{near}`"),
            start: span.start(),
            end: span.end(),
            text: crate::yaml::flow_scalar(near),
            preferred: true,
        });
    }
    if finding.rule == Rule::MissingField
        && let Some(field) = finding.field.as_deref()
    {
        let start = line_start(text, span.start());
        let placeholder = match field {
            "status" => "todo",
            _ => "TODO",
        };
        out.push(Fix {
            title: format!("Add `{field}:`"),
            start,
            end: start,
            text: format!("{field}: {placeholder}{}", newline_of(text)),
            preferred: false,
        });
    }
    out
}

/// The id in a "did you mean `x`?" help.
fn suggested(help: &str) -> Option<&str> {
    let rest = help.split_once("did you mean `")?.1;
    rest.split_once("`?").map(|(near, _)| near)
}

/// For an item whose status is done and that has no `done_on:`: the line to add after its
/// status line.
pub(crate) fn done_on(
    plan: &Plan,
    file: crate::diag::FileId,
    text: &str,
    today: crate::time::Date,
) -> Vec<Fix> {
    plan.items
        .iter()
        .filter(|i| i.file == file && i.done_on.is_none())
        .filter(|i| i.category() == Some(Category::Done))
        .filter_map(|i| {
            let status = i.status.as_ref()?.span;
            let end = line_end(text, status.end());
            // Under the status key, whether it is a document's own or a list entry's (`- `).
            let before = text.get(line_start(text, status.start())..status.start())?;
            let lead = before.len() - before.trim_start_matches([' ', '-']).len();
            let (nl, indent) = (newline_of(text), " ".repeat(lead));
            Some(Fix {
                title: format!("Add `done_on: {today}` to {}", i.id.value),
                start: end,
                end,
                text: format!("{nl}{indent}done_on: {today}"),
                preferred: false,
            })
        })
        .collect()
}

/// Where the line holding byte `offset` starts.
pub(crate) fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1)
}

fn line_end(text: &str, offset: usize) -> usize {
    let from = offset.min(text.len());
    text.get(from..)
        .and_then(|t| t.find(['\r', '\n']))
        .map_or(text.len(), |i| from + i)
}

fn newline_of(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// The one edit that turns `old` into `new`: what lies between their common start and end.
pub(crate) fn minimal(old: &str, new: &str) -> (usize, usize, String) {
    let mut start = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(start) || !new.is_char_boundary(start) {
        start -= 1;
    }
    let max_tail = old.len().min(new.len()) - start;
    let mut tail = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_tail)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - tail) || !new.is_char_boundary(new.len() - tail) {
        tail -= 1;
    }
    let replacement = new.get(start..new.len() - tail).unwrap_or("").to_string();
    (start, old.len() - tail, replacement)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimal_edit_rebuilds_the_new_text() {
        for (old, new) in [
            ("theme: a\n", "theme: b\n"),
            ("数据", "数据据"),
            ("", "x"),
            ("aaa", "aa"),
            ("😀a😀", "😀b😀"),
            ("same", "same"),
        ] {
            let (start, end, text) = minimal(old, new);
            let mut rebuilt = old.to_string();
            rebuilt.replace_range(start..end, &text);
            assert_eq!(rebuilt, new, "{old:?} → {new:?}");
        }
    }

    #[test]
    fn a_suggestion_is_read_from_its_help() {
        assert_eq!(
            suggested("did you mean `core-platform`?"),
            Some("core-platform")
        );
        assert_eq!(suggested("no idea"), None);
    }
}
