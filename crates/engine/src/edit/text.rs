//! Edits of a plan file's text at the parser's offsets: a top-level value replaced, added in
//! documented order or removed, and an entry added to or removed from a list, every other byte
//! kept.

use crate::error::Error;
use crate::yaml::{Node, Value};

/// `text[range]`, or a refusal when the range is not a place in the text: edits cut text at the
/// parser's offsets, and a wrong one must refuse, never panic or write a broken file.
fn part<R: std::slice::SliceIndex<str, Output = str>>(text: &str, range: R) -> Result<&str, Error> {
    text.get(range).ok_or_else(|| {
        Error::refused(
            crate::error::Refusal::EditByHand,
            "roadlog lost its place in the file; edit it by hand",
        )
    })
}

/// `text` with the bytes `start..end` replaced by `with`.
pub(super) fn splice(text: &str, start: usize, end: usize, with: &str) -> Result<String, Error> {
    Ok(format!(
        "{}{with}{}",
        part(text, ..start)?,
        part(text, end..)?
    ))
}

/// The byte range of the line holding `offset`, newline included.
fn line_around(text: &str, offset: usize) -> Result<(usize, usize), Error> {
    let start = part(text, ..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let end = part(text, offset..)?
        .find('\n')
        .map_or(text.len(), |i| offset + i + 1);
    Ok((start, end))
}

/// The edited text, or why the edit cannot be made safely.
pub(super) fn edit_text(
    text: &str,
    doc: &Node,
    order: &[&str],
    field: &str,
    new: Option<&str>,
) -> Result<String, Error> {
    let Value::Map(entries) = &doc.value else {
        return Err(Error::refused(
            crate::error::Refusal::EditByHand,
            "the document is not a mapping of fields",
        ));
    };
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    if let Some((key, node)) = entries.iter().find(|(k, _)| k.name == field) {
        let scalar = !matches!(node.value, Value::Seq(_) | Value::Map(_));
        let (line_start, line_end) = line_around(text, key.span.start())?;
        // A `[…]` list on the key's line is replaced whole, brackets included.
        if matches!(node.value, Value::Seq(_))
            && let Some(flow) = flow_list(text, node)?
            && flow.open >= key.span.start()
            && flow.close < line_end
        {
            return match new {
                Some(v) => splice(text, flow.open, flow.close + 1, v),
                None => splice(text, line_start, line_end, ""),
            };
        }
        let value_end = node.span.end();
        let value_on_key_line = node.span.start() >= key.span.start() && value_end <= line_end;
        if !scalar || !value_on_key_line || part(text, node.span.start()..)?.starts_with('*') {
            return Err(Error::refused(
                crate::error::Refusal::EditByHand,
                format!("`{field}` is not a one-line value here; edit the file by hand"),
            ));
        }
        return match new {
            Some(v) if node.span.is_empty() => {
                // `field:` with no value: put one after the colon.
                let colon = part(text, key.span.start()..line_end)?
                    .find(':')
                    .map_or(line_end, |i| key.span.start() + i + 1);
                splice(text, colon, colon, &format!(" {v}"))
            }
            Some(v) => splice(text, node.span.start(), value_end, v),
            None => splice(text, line_start, line_end, ""),
        };
    }
    let Some(v) = new else {
        return Ok(text.to_string());
    };
    let line = format!("{field}: {v}{newline}");
    let rank = |name: &str| order.iter().position(|f| *f == name).unwrap_or(order.len());
    // Right after the field that precedes this one in documented order, when that is a one-line
    // value; else before the first field that follows it.
    let after = entries
        .iter()
        .filter(|(k, _)| rank(&k.name) < rank(field))
        .max_by_key(|(k, _)| k.span.start());
    if let Some((key, node)) = after {
        let (_, line_end) = line_around(text, key.span.start())?;
        // A scalar on the key's line, or a `[…]` list that opens and closes on it.
        let flow_here =
            node.span.start() < line_end && matches!(flow_list(text, node), Ok(Some(_)));
        let one_line = flow_here
            || (!matches!(node.value, Value::Seq(_) | Value::Map(_))
                && node.span.end() <= line_end);
        if one_line && key.span.column == 1 && part(text, ..line_end)?.ends_with('\n') {
            return splice(text, line_end, line_end, &line);
        }
    }
    let before = entries
        .iter()
        .filter(|(k, _)| rank(&k.name) > rank(field))
        .min_by_key(|(k, _)| k.span.start());
    match before {
        Some((key, _)) if key.span.column == 1 => {
            let (line_start, _) = line_around(text, key.span.start())?;
            splice(text, line_start, line_start, &line)
        }
        Some(_) => Err(Error::refused(
            crate::error::Refusal::EditByHand,
            "the document's fields are not one per line; edit the file by hand",
        )),
        None => {
            // After the document's last field: the end of its last line.
            let last = entries
                .iter()
                .map(|(k, v)| k.span.start().max(end_of(v)))
                .max()
                .unwrap_or(0);
            let (_, end) = line_around(text, last.min(text.len()))?;
            let sep = if end > 0 && !part(text, ..end)?.ends_with('\n') {
                newline
            } else {
                ""
            };
            splice(text, end, end, &format!("{sep}{line}"))
        }
    }
}

/// `text` with `value` (YAML) added to the list `field` of `doc`: one more line of a block list in
/// its indentation, one more entry of a one-line `[…]` list, or a new `field: [value]` line.
pub(super) fn add_to_list(
    text: &str,
    doc: &Node,
    order: &[&str],
    field: &str,
    value: &str,
) -> Result<String, Error> {
    let Some(node) = entry(doc, field)? else {
        return edit_text(text, doc, order, field, Some(&format!("[{value}]")));
    };
    let items = list_items(node, field)?;
    if let Some(flow) = flow_list(text, node)? {
        let at = match items.last() {
            Some(_) => flow.close,
            None => flow.open + 1,
        };
        let sep = if items.is_empty() { "" } else { ", " };
        // Before the spaces that precede `]`, so `[a ]` becomes `[a, b ]`.
        let at = part(text, ..at)?.trim_end().len().max(flow.open + 1);
        return splice(text, at, at, &format!("{sep}{value}"));
    }
    let Some(last) = items.last() else {
        return Err(hand_edit(field));
    };
    let (line_start, line_end) = one_line_entry(text, last, field)?;
    let prefix = part(text, line_start..last.span.start())?;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let sep = if part(text, ..line_end)?.ends_with('\n') {
        ""
    } else {
        newline
    };
    splice(
        text,
        line_end,
        line_end,
        &format!("{sep}{prefix}{value}{newline}"),
    )
}

/// `text` with `entry` (one line of YAML, such as `{ id: S1 }`) appended to the top-level list
/// `field`, whose entries may be mappings: a new `field:` block at the end when there is none, a
/// new `- entry` line after the last entry of a block list, or an entry before the `]` of a
/// one-line flow list.
pub(crate) fn append_entry(
    text: &str,
    doc: &Node,
    field: &str,
    entry: &str,
) -> Result<String, Error> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let sep = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        newline
    };
    let block = format!("{sep}{field}:{newline}  - {entry}{newline}");
    let entries = match &doc.value {
        Value::Map(entries) => entries.as_slice(),
        Value::Null => return Ok(format!("{text}{block}")),
        _ => {
            return Err(Error::refused(
                crate::error::Refusal::EditByHand,
                "the document is not a mapping of fields",
            ));
        }
    };
    let Some((key, node)) = entries.iter().find(|(k, _)| k.name == field) else {
        return Ok(format!("{text}{block}"));
    };
    if key.span.column != 1 {
        return Err(hand_edit(field));
    }
    let items = match &node.value {
        Value::Seq(items) => items.as_slice(),
        Value::Null => {
            let (_, line_end) = line_around(text, key.span.start())?;
            let body = format!("{newline}  - {entry}");
            let end = part(text, ..line_end)?.trim_end_matches(['\r', '\n']).len();
            return splice(text, end, end, &body);
        }
        _ => return Err(hand_edit(field)),
    };
    if let Some(flow) = flow_list(text, node)? {
        let at = part(text, ..flow.close)?
            .trim_end()
            .len()
            .max(flow.open + 1);
        let sep = if items.is_empty() { "" } else { ", " };
        return splice(text, at, at, &format!("{sep}{entry}"));
    }
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return Err(hand_edit(field));
    };
    let (first_line, _) = line_around(text, first.span.start())?;
    let dash = part(text, first_line..first.span.start())?;
    let indent: String = dash.chars().take_while(|c| *c == ' ').collect();
    if !dash.trim_start().starts_with('-') {
        return Err(hand_edit(field));
    }
    let (_, end) = line_around(text, end_of(last))?;
    let sep = if part(text, ..end)?.ends_with('\n') {
        ""
    } else {
        newline
    };
    splice(text, end, end, &format!("{sep}{indent}- {entry}{newline}"))
}

/// `text` without the entry at `index` of the list `field`; the field goes when it empties.
pub(super) fn remove_from_list(
    text: &str,
    doc: &Node,
    field: &str,
    index: usize,
) -> Result<String, Error> {
    let node = entry(doc, field)?.ok_or_else(|| hand_edit(field))?;
    let items = list_items(node, field)?;
    let Some(gone) = items.get(index) else {
        return Err(hand_edit(field));
    };
    if items.len() == 1 {
        return remove_field(text, doc, field);
    }
    if let Some(flow) = flow_list(text, node)? {
        // The entry and the separator after it, or for the last one the separator before it.
        let (start, end) = match items.get(index + 1) {
            Some(next) => (gone.span.start(), next.span.start()),
            None => {
                let before = index.checked_sub(1).and_then(|b| items.get(b));
                let before = before.ok_or_else(|| hand_edit(field))?;
                (before.span.end(), gone.span.end())
            }
        };
        if end > flow.close {
            return Err(hand_edit(field));
        }
        return splice(text, start, end, "");
    }
    let (line_start, line_end) = one_line_entry(text, gone, field)?;
    splice(text, line_start, line_end, "")
}

/// The index of the entry of `field` whose text is `value`, with the entries' texts.
pub(super) fn find_in_list(
    text: &str,
    doc: &Node,
    field: &str,
    value: &str,
) -> Result<(Option<usize>, Vec<String>), Error> {
    let Some(node) = entry(doc, field)? else {
        return Ok((None, Vec::new()));
    };
    let texts: Vec<String> = list_items(node, field)?
        .iter()
        .map(|n| {
            n.scalar_text(text)
                .map(|t| t.into_owned())
                .unwrap_or_default()
        })
        .collect();
    Ok((texts.iter().position(|t| t == value), texts))
}

/// A whole top-level field removed: its key line and, for a block list, its entries' lines.
fn remove_field(text: &str, doc: &Node, field: &str) -> Result<String, Error> {
    let Value::Map(entries) = &doc.value else {
        return Err(hand_edit(field));
    };
    let Some(k) = entries.iter().position(|(key, _)| key.name == field) else {
        return Ok(text.to_string());
    };
    let Some((key, node)) = entries.get(k) else {
        return Ok(text.to_string());
    };
    let (start, _) = line_around(text, key.span.start())?;
    let flow_close = flow_list(text, node)?.map(|f| f.close);
    let (_, end) = line_around(text, flow_close.unwrap_or_else(|| end_of(node)))?;
    // Comments between the field and the next one go with it only when they sit inside its lines.
    if let Some((next, _)) = entries.get(k + 1)
        && next.span.start() < end
    {
        return Err(hand_edit(field));
    }
    splice(text, start, end, "")
}

/// Where a node's text ends: a sequence's or mapping's span marks only its start, so its last
/// child's end (a flow collection's closing bracket is not counted).
fn end_of(node: &Node) -> usize {
    let own = node.span.end();
    match &node.value {
        Value::Seq(items) => items.iter().map(end_of).max().unwrap_or(own).max(own),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| k.span.end().max(end_of(v)))
            .max()
            .unwrap_or(own)
            .max(own),
        _ => own,
    }
}

/// The node of top-level `field` in `doc`, if it is there.
fn entry<'d>(doc: &'d Node<'d>, field: &str) -> Result<Option<&'d Node<'d>>, Error> {
    let Value::Map(entries) = &doc.value else {
        return Err(Error::refused(
            crate::error::Refusal::EditByHand,
            "the document is not a mapping of fields",
        ));
    };
    Ok(entries
        .iter()
        .find(|(k, _)| k.name == field)
        .map(|(_, v)| v))
}

/// The entries of a list field, each a plain scalar; an empty `field:` is an empty list.
fn list_items<'n>(node: &'n Node<'n>, field: &str) -> Result<&'n [Node<'n>], Error> {
    match &node.value {
        Value::Seq(items)
            if items
                .iter()
                .all(|n| !matches!(n.value, Value::Seq(_) | Value::Map(_))) =>
        {
            Ok(items)
        }
        Value::Null => Ok(&[]),
        _ => Err(hand_edit(field)),
    }
}

/// Where a one-line `[…]` list opens and closes.
struct Flow {
    open: usize,
    close: usize,
}

/// The brackets of a flow list on one line, `None` for a block list; a flow list over several
/// lines is left to a person.
fn flow_list(text: &str, node: &Node) -> Result<Option<Flow>, Error> {
    if !part(text, node.span.start()..)?.starts_with('[') {
        return Ok(None);
    }
    let open = node.span.start();
    let after = match &node.value {
        Value::Seq(items) => items.last().map_or(open + 1, |n| n.span.end()),
        _ => open + 1,
    };
    let (_, line_end) = line_around(text, open)?;
    let close = part(text, after..line_end)?
        .find(']')
        .map(|i| after + i)
        .ok_or_else(|| {
            Error::refused(
                crate::error::Refusal::EditByHand,
                "the list spans several lines; edit the file by hand",
            )
        })?;
    Ok(Some(Flow { open, close }))
}

/// The line of a block list entry that fits on it.
fn one_line_entry(text: &str, item: &Node, field: &str) -> Result<(usize, usize), Error> {
    let (start, end) = line_around(text, item.span.start())?;
    let prefix = part(text, start..item.span.start())?;
    if item.span.end() > end || !prefix.trim_start().starts_with('-') {
        return Err(hand_edit(field));
    }
    Ok((start, end))
}

fn hand_edit(field: &str) -> Error {
    Error::refused(
        crate::error::Refusal::EditByHand,
        format!("`{field}` is not a list of one-line entries here; edit the file by hand"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fields;

    fn edit(text: &str, field: &str, new: Option<&str>) -> String {
        let docs = crate::yaml::parse_stream(text).expect("yaml");
        edit_text(text, &docs[0], &fields::names(fields::ITEM), field, new).expect("edit")
    }

    #[test]
    fn only_the_value_changes() {
        let text = "# A comment\ntitle: T   # keep\nstatus: todo  # why\n\ntheme: core\n";
        assert_eq!(
            edit(text, "status", Some("done")),
            "# A comment\ntitle: T   # keep\nstatus: done  # why\n\ntheme: core\n"
        );
    }

    #[test]
    fn a_missing_field_is_added_in_documented_order() {
        let text = "title: T\nstatus: todo\ntheme: core\nacceptance:\n  - works\n";
        assert_eq!(
            edit(text, "estimate", Some("3")),
            "title: T\nstatus: todo\ntheme: core\nestimate: 3\nacceptance:\n  - works\n"
        );
        assert_eq!(
            edit("title: T\nstatus: todo", "sprint", Some("S1")),
            "title: T\nstatus: todo\nsprint: S1\n"
        );
        assert_eq!(
            edit("title: T\r\nstatus: todo\r\n", "sprint", Some("S1")),
            "title: T\r\nstatus: todo\r\nsprint: S1\r\n"
        );
    }

    #[test]
    fn a_field_after_a_trailing_block_list_goes_below_the_list() {
        assert_eq!(
            edit(
                "title: T\nacceptance:\n  - a\n  - b\n",
                "reviewed",
                Some("2025-01-01")
            ),
            "title: T\nacceptance:\n  - a\n  - b\nreviewed: 2025-01-01\n"
        );
    }

    #[test]
    fn unset_removes_the_line_and_empty_values_are_filled() {
        assert_eq!(
            edit("title: T\nsprint: S1 # now\nstatus: todo\n", "sprint", None),
            "title: T\nstatus: todo\n"
        );
        assert_eq!(
            edit("title: T\nsprint:\nstatus: todo\n", "sprint", Some("S2")),
            "title: T\nsprint: S2\nstatus: todo\n"
        );
    }

    #[test]
    fn multi_line_values_are_left_to_a_person() {
        let docs =
            crate::yaml::parse_stream("title: T\nstatus: todo\nassignee:\n  - a\n").expect("yaml");
        assert!(
            edit_text(
                "title: T\nstatus: todo\nassignee:\n  - a\n",
                &docs[0],
                &fields::names(fields::ITEM),
                "assignee",
                Some("b")
            )
            .is_err()
        );
    }

    fn list(text: &str, field: &str, add: Option<&str>, remove: Option<&str>) -> String {
        let docs = crate::yaml::parse_stream(text).expect("yaml");
        let order = fields::names(fields::ITEM);
        match (add, remove) {
            (Some(v), _) => add_to_list(text, &docs[0], &order, field, v).expect("add"),
            (_, Some(v)) => {
                let (at, _) = find_in_list(text, &docs[0], field, v).expect("find");
                remove_from_list(text, &docs[0], field, at.expect("there")).expect("remove")
            }
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_list_entry_is_added_in_the_list_s_own_style() {
        let block = "title: T\nacceptance:\n  - one # why\n  - two\ntags: [a]\n";
        assert_eq!(
            list(block, "acceptance", Some("three"), None),
            "title: T\nacceptance:\n  - one # why\n  - two\n  - three\ntags: [a]\n"
        );
        assert_eq!(
            list(block, "tags", Some("b"), None),
            "title: T\nacceptance:\n  - one # why\n  - two\ntags: [a, b]\n"
        );
        assert_eq!(
            list("tags: []  # none\n", "tags", Some("x"), None),
            "tags: [x]  # none\n"
        );
        assert_eq!(
            list("title: T\nstatus: todo\n", "tags", Some("x"), None),
            "title: T\nstatus: todo\ntags: [x]\n"
        );
        assert_eq!(
            list(
                "title: T\r\ndepends_on:\r\n- A-1\r\n",
                "depends_on",
                Some("A-2"),
                None
            ),
            "title: T\r\ndepends_on:\r\n- A-1\r\n- A-2\r\n"
        );
    }

    #[test]
    fn a_list_entry_is_removed_and_an_emptied_list_goes() {
        let block = "title: T\nacceptance:\n  - one\n  - two # why\nstatus: todo\n";
        assert_eq!(
            list(block, "acceptance", None, Some("one")),
            "title: T\nacceptance:\n  - two # why\nstatus: todo\n"
        );
        assert_eq!(
            list("tags: [a, b, c]\n", "tags", None, Some("b")),
            "tags: [a, c]\n"
        );
        assert_eq!(
            list("tags: [a, b, c]\n", "tags", None, Some("c")),
            "tags: [a, b]\n"
        );
        assert_eq!(
            list("tags: [\"a\", b]\n", "tags", None, Some("a")),
            "tags: [b]\n"
        );
        assert_eq!(
            list(
                "title: T\ntags: [a]\nstatus: todo\n",
                "tags",
                None,
                Some("a")
            ),
            "title: T\nstatus: todo\n"
        );
        assert_eq!(
            list(
                "title: T\nacceptance:\n  - one\nstatus: todo\n",
                "acceptance",
                None,
                Some("one")
            ),
            "title: T\nstatus: todo\n"
        );
    }

    #[test]
    fn lists_that_are_not_one_line_entries_are_left_to_a_person() {
        for text in [
            "acceptance:\n  - one\n    continued\n",
            "tags: [a,\n  b]\n",
            "acceptance:\n  - {a: 1}\n",
            "tags: x\n",
        ] {
            let docs = crate::yaml::parse_stream(text).expect("yaml");
            let order = fields::names(fields::ITEM);
            let field = text.split(':').next().expect("key");
            assert!(
                add_to_list(text, &docs[0], &order, field, "z").is_err(),
                "{text:?}"
            );
        }
    }
}
