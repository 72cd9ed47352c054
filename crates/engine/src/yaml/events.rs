//! The event reader: roadlog's node tree built straight from the events of granit-parser, the
//! parser serde-saphyr stands on, without serde's `Spanned` machinery in between.
//!
//! It reads the YAML a plan file is made of (mappings, lists, plain, quoted and block scalars,
//! comments) and declines everything else by returning `None`: anchors, aliases, tags, merge
//! keys, keys that are not strings, duplicate keys, any parser error, and files near the general
//! reader's budget. A declined file goes to the general reader (`general.rs`), so every error
//! and every rare feature keeps one definition, and the two readers cannot disagree on what they
//! both accept: the differential tests in `yaml.rs` compare them node for node and span for span.

use granit_parser::{Event, Parser, ScalarStyle, Span as Mark};

use super::node::{Key, Node, Value};
use super::resolve;
use crate::span::Span;

/// Well under serde-saphyr's default budget (depth 64, 250,000 nodes, 1,024 documents, 64 MiB of
/// scalar text, 256 MiB of input): a file near a bound is the general reader's to report.
const MAX_DEPTH: usize = 32;
const MAX_NODES: usize = 100_000;
const MAX_DOCUMENTS: usize = 512;
const MAX_BYTES: usize = 16 << 20;

/// A collection whose end has not been read yet.
enum Open<'a> {
    Seq(Span, Vec<Node<'a>>),
    /// A mapping, with the key whose value comes next.
    Map(Span, Vec<(Key<'a>, Node<'a>)>, Option<Key<'a>>),
}

/// How many comment lines in a row both readers take where the parser looks ahead (between a key
/// and its value): the libraries' default of 32 refused a `key:` followed by a long commented
/// block, which is valid YAML and what `roadlog init --from` writes for a large export. Comments
/// count against the file's size limit besides, so this bounds nothing that size does not.
pub(super) const MAX_BUFFERED_COMMENTS: usize = 100_000;

/// The parser's options exactly as serde-saphyr sets them for the budget the general reader
/// gives it, so that the parser fails on the same files in both readers.
fn options() -> granit_parser::Options {
    granit_parser::options! {
        simple_key_max_lookahead: 1024,
        flow_nesting_limit: 255,
        block_nesting_limit: 255,
        emit_comments: true,
        max_buffered_comment_events: MAX_BUFFERED_COMMENTS,
    }
}

/// The documents of `src`, null ones dropped; `None` when the general reader must read it.
pub(super) fn parse(src: &str) -> Option<Vec<Node<'_>>> {
    if src.len() > MAX_BYTES {
        return None;
    }
    let mut docs = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let (mut nodes, mut documents) = (0usize, 0usize);
    for event in Parser::new_from_str_with_options(src, options()) {
        let (event, mark) = event.ok()?;
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Comment(..) => {
                continue;
            }
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > MAX_DOCUMENTS {
                    return None;
                }
                continue;
            }
            Event::Scalar(text, style, anchor, tag) => {
                nodes += 1;
                if anchor != 0 || tag.is_some() || nodes > MAX_NODES {
                    return None;
                }
                let span = span(&mark)?;
                let plain = style == ScalarStyle::Plain;
                if let Some(Open::Map(_, _, key @ None)) = open.last_mut() {
                    // `<<` merges, and a key read as null, a number or a boolean has its own
                    // identity for duplicate checks: the general reader's to handle.
                    if text == "<<" || (plain && resolve::plain(&text).is_some()) {
                        return None;
                    }
                    *key = Some(Key { name: text, span });
                    continue;
                }
                let value = plain.then(|| resolve::plain(&text)).flatten();
                Node {
                    value: value.unwrap_or(Value::Str(text)),
                    span,
                }
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                nodes += 1;
                let complex_key = matches!(open.last(), Some(Open::Map(_, _, None)));
                if anchor != 0 || tag.is_some() || complex_key {
                    return None;
                }
                if nodes > MAX_NODES || open.len() >= MAX_DEPTH {
                    return None;
                }
                let span = span(&mark)?;
                open.push(match event {
                    Event::SequenceStart(..) => Open::Seq(span, Vec::new()),
                    _ => Open::Map(span, Vec::new(), None),
                });
                continue;
            }
            Event::SequenceEnd => match open.pop()? {
                Open::Seq(span, items) => Node {
                    value: Value::Seq(items),
                    span,
                },
                Open::Map(..) => return None,
            },
            Event::MappingEnd => match open.pop()? {
                Open::Map(span, entries, None) if !has_duplicate(&entries) => Node {
                    value: Value::Map(entries),
                    span,
                },
                _ => return None,
            },
            // Aliases, anchors, and whatever a later parser version adds.
            _ => return None,
        };
        match open.last_mut() {
            // serde-saphyr drops a document whose root is null.
            None if node.value == Value::Null => {}
            None => docs.push(node),
            Some(Open::Seq(_, items)) => items.push(node),
            Some(Open::Map(_, entries, key)) => entries.push((key.take()?, node)),
        }
    }
    open.is_empty().then_some(docs)
}

/// Our span of an event: its start's line and column (1-based, in characters) and its bytes.
fn span(mark: &Mark) -> Option<Span> {
    let offset = mark.start.byte_offset()?;
    let end = mark.end.byte_offset()?;
    Some(Span::new(
        offset,
        end.saturating_sub(offset),
        u32::try_from(mark.start.line()).unwrap_or(u32::MAX),
        u32::try_from(mark.start.col() + 1).unwrap_or(u32::MAX),
    ))
}

/// Whether two keys of a mapping are the same string.
fn has_duplicate(entries: &[(Key<'_>, Node<'_>)]) -> bool {
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, (k, _))| entries.iter().take(i).any(|(seen, _)| seen.name == k.name));
    }
    let mut names: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_ref()).collect();
    names.sort_unstable();
    names.windows(2).any(|pair| pair.first() == pair.last())
}
