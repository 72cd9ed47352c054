//! The general reader: serde-saphyr's `Spanned` deserialization, for every YAML feature (anchors,
//! tags, merge keys) and for every file the event reader declines, so errors and budget breaches
//! read the same whichever way a file went.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::node::{Key, Node, SyntaxError, Value};
use crate::span::Span;

/// Reads a stream the way serde-saphyr does: every YAML feature, and every error in its words.
pub(super) fn parse_stream(src: &str) -> Result<Vec<Node<'static>>, SyntaxError> {
    let options = serde_saphyr::options! {
        // miette draws the snippet; the library's own would be drawn twice.
        with_snippet: false,
        // `.nan` and `1e999` reach the reader, which says which field must be a finite number.
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
        budget: serde_saphyr::budget! {
            max_buffered_comment_events: super::events::MAX_BUFFERED_COMMENTS,
        },
    };
    let raw: Vec<RawNode> = serde_saphyr::from_str_multiple_with_options(src, options)
        .map_err(|err| syntax_error(&err, src))?;
    let lines = LineIndex::new(src);
    Ok(raw.into_iter().map(|n| n.into_node(&lines)).collect())
}

/// The error a wrapper (an alias's expansion, a snippet) stands for.
fn original(mut err: &serde_saphyr::Error) -> &serde_saphyr::Error {
    while let serde_saphyr::Error::AliasError { error, .. }
    | serde_saphyr::Error::WithSnippet { error, .. } = err
    {
        err = error;
    }
    err
}

/// What a file nested past the parser's depth bound is told.
pub(super) const TOO_DEEP: &str = "it nests lists and mappings deeper than roadlog reads";

/// A sentence for a budget the file breached: the library says it with its own type names.
fn budget_message(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    match breach {
        B::Depth { .. } => TOO_DEEP.to_string(),
        B::Nodes { nodes } => format!(
            "it holds more values than roadlog reads in one file (over {})",
            nodes.saturating_sub(1)
        ),
        B::Aliases { .. } | B::AliasAnchorRatio { .. } => {
            "it repeats aliases (`*name`) far more than a plan file needs, as an alias bomb does"
                .to_string()
        }
        B::MergeKeys { .. } => "it has more merge keys (`<<`) than roadlog reads".to_string(),
        _ => "it is larger or more repetitive than roadlog reads in one file".to_string(),
    }
}

/// Where a tab indents a line at or before `line` (1-based): YAML forbids tabs there, and the
/// parser reports the problem where it noticed it, often on the line before.
fn indenting_tab(src: &str, line: u32) -> Option<Span> {
    let mut offset = 0;
    for (n, text) in src.split_inclusive('\n').enumerate() {
        let number = u32::try_from(n + 1).unwrap_or(u32::MAX);
        if number > line.saturating_add(1) {
            break;
        }
        let body = text.trim_start_matches([' ', '\t']);
        let indent = text.len() - body.len();
        if let Some(tab) = text.get(..indent).and_then(|i| i.find('\t'))
            && !body.trim().is_empty()
        {
            // Only spaces and tabs come before the tab: a column per byte.
            let column = u32::try_from(tab + 1).unwrap_or(u32::MAX);
            return Some(Span::new(offset + tab, 1, number, column));
        }
        offset += text.len();
    }
    None
}

fn syntax_error(err: &serde_saphyr::Error, src: &str) -> SyntaxError {
    let full = err.to_string();
    let span = err.location().and_then(|loc| {
        let (line, column) = (loc.line(), loc.column());
        if line == 0 {
            return None;
        }
        let lines = LineIndex::new(src);
        let offset = match loc.span().byte_offset() {
            Some(o) => usize::try_from(o).ok()?,
            None => lines.offset_of(src, line, column),
        };
        Some(Span::new(
            offset,
            0,
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        ))
    });
    // The library appends " at line L, column C" (and alias notes); the span carries that.
    let message = match full.find(" at line ") {
        Some(cut) => full.get(..cut).unwrap_or(&full).to_string(),
        None => full,
    };
    let message = message
        .replace(", set DuplicateKeyPolicy in Options if acceptable", "")
        .trim()
        .to_string();
    let budget = match original(err) {
        serde_saphyr::Error::Budget { breach, .. } => Some(budget_message(breach)),
        // The scanner's own guard against deep nesting, reported in its words.
        _ if message.contains("recursion limit exceeded") => Some(TOO_DEEP.to_string()),
        _ => None,
    };
    if let Some(message) = budget {
        return SyntaxError {
            message,
            help: Some(
                "split it into one file per theme or item; a plan file is a few dozen lines".into(),
            ),
            span,
        };
    }
    if message.contains("tab")
        && let Some(tab) = indenting_tab(src, span.map_or(u32::MAX, |s| s.line))
    {
        return SyntaxError {
            message: "a tab indents this line".to_string(),
            help: Some("indent with spaces; YAML does not allow tabs here".to_string()),
            span: Some(tab),
        };
    }
    SyntaxError {
        message,
        help: None,
        span,
    }
}

/// Line starts of a text, to turn (line, column) into a byte offset when the parser gave none.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(src: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn offset_of(&self, src: &str, line: u64, column: u64) -> usize {
        let Some(&start) = usize::try_from(line - 1)
            .ok()
            .and_then(|l| self.starts.get(l))
        else {
            return src.len();
        };
        let skip = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
        src.get(start..)
            .unwrap_or("")
            .char_indices()
            .nth(skip)
            .map_or(src.len(), |(i, _)| start + i)
    }
}

fn span_of(loc: &serde_saphyr::Location, lines: &LineIndex) -> Span {
    let span = loc.span();
    let offset = span
        .byte_offset()
        .and_then(|o| usize::try_from(o).ok())
        .or_else(|| {
            // Spans are byte-exact when parsing from &str; this is only a fallback.
            let line = usize::try_from(loc.line()).ok()?;
            lines.starts.get(line.checked_sub(1)?).copied()
        })
        .unwrap_or(0);
    let len = span
        .byte_len()
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(0);
    Span::new(
        offset,
        len,
        u32::try_from(loc.line()).unwrap_or(u32::MAX),
        u32::try_from(loc.column()).unwrap_or(u32::MAX),
    )
}

/// What serde-saphyr hands back before spans are converted to ours.
struct RawNode(serde_saphyr::Spanned<RawValue>);

enum RawValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<RawNode>),
    Map(Vec<(serde_saphyr::Spanned<String>, RawNode)>),
}

impl RawNode {
    fn into_node(self, lines: &LineIndex) -> Node<'static> {
        let span = span_of(&self.0.referenced, lines);
        let value = match self.0.value {
            RawValue::Null => Value::Null,
            RawValue::Bool(b) => Value::Bool(b),
            RawValue::Int(i) => Value::Int(i),
            RawValue::Float(f) => Value::Float(f),
            RawValue::Str(s) => Value::Str(Cow::Owned(s)),
            RawValue::Seq(items) => {
                Value::Seq(items.into_iter().map(|n| n.into_node(lines)).collect())
            }
            RawValue::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let key = Key {
                            span: span_of(&k.referenced, lines),
                            name: Cow::Owned(k.value),
                        };
                        (key, v.into_node(lines))
                    })
                    .collect(),
            ),
        };
        Node { value, span }
    }
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(RawNode(serde_saphyr::Spanned::<RawValue>::deserialize(d)?))
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_none<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
        RawValue::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<RawValue, E> {
        Ok(RawValue::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<RawValue, E> {
        Ok(RawValue::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<RawValue, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(i64::try_from(u).map_or(RawValue::Float(u as f64), RawValue::Int))
    }
    fn visit_f64<E>(self, f: f64) -> Result<RawValue, E> {
        Ok(RawValue::Float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<RawValue, E> {
        Ok(RawValue::Str(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<RawValue, E> {
        Ok(RawValue::Str(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(RawValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(key) = map.next_key::<serde_saphyr::Spanned<String>>()? {
            let value: RawNode = map.next_value()?;
            entries.push((key, value));
        }
        Ok(RawValue::Map(entries))
    }
}
