//! The one door to the YAML library: text in, a tree of spanned nodes out.
//!
//! serde-saphyr is used instead of the archived serde_yaml because it gives the source span of
//! every value (so a finding points at the `theme:` line), rejects duplicate keys, and bounds
//! depth, nodes and aliases per document (see `docs/design.md`). The plan model is built from
//! this generic tree by hand rather than derived, so one bad field becomes one finding and the
//! rest of the entity is still read.

mod emit;

use std::borrow::Cow;
use std::fmt;

pub use emit::{flow_scalar, scalar};

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::model::span::Span;

/// A YAML value with the span it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value stands.
    pub span: Span,
}

/// A mapping key with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key text.
    pub name: String,
    /// Where the key stands.
    pub span: Span,
}

/// The shapes a YAML node can take once resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or an empty value.
    Null,
    /// `true` / `false` (and YAML 1.1 spellings the library resolves).
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float, or an integer too large for `i64`.
    Float(f64),
    /// A string scalar.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in file order.
    Map(Vec<(Key, Node)>),
}

impl Value {
    /// A short name of the value's type for "expected X, found Y" messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The text of a scalar as the user wrote it: the string itself, or the plain text of a
    /// number or boolean (so `id: 2025` or `title: yes` read as written). `None` for
    /// null, lists and mappings.
    pub fn scalar_text<'a>(&'a self, src: &'a str) -> Option<Cow<'a, str>> {
        match &self.value {
            Value::Str(s) => Some(Cow::Borrowed(s)),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
                let raw = src.get(self.span.offset..self.span.offset + self.span.len);
                // An alias (`*a`) has the alias as its raw text, not the value.
                match raw {
                    Some(raw) if !raw.is_empty() && !raw.starts_with('*') => {
                        Some(Cow::Borrowed(raw.trim()))
                    }
                    _ => Some(Cow::Owned(match &self.value {
                        Value::Bool(b) => b.to_string(),
                        Value::Int(i) => i.to_string(),
                        Value::Float(f) => f.to_string(),
                        _ => String::new(),
                    })),
                }
            }
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

/// A file that is not valid YAML, with where the parser gave up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// What the parser said, without its location suffix.
    pub message: String,
    /// What to do, where roadlog can say.
    pub help: Option<String>,
    /// Where, when the parser knew.
    pub span: Option<Span>,
}

/// Parses a YAML stream (one or more `---`-separated documents). Empty documents are dropped.
pub fn parse_stream(src: &str) -> Result<Vec<Node>, SyntaxError> {
    let options = serde_saphyr::options! {
        // miette draws the snippet; the library's own would be drawn twice.
        with_snippet: false,
        // `.nan` and `1e999` reach the reader, which says which field must be a finite number.
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
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
const TOO_DEEP: &str = "it nests lists and mappings deeper than roadlog reads";

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
            return Some(Span {
                offset: offset + tab,
                len: 1,
                line: number,
                // Only spaces and tabs come before the tab: a column per byte.
                column: u32::try_from(tab + 1).unwrap_or(u32::MAX),
            });
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
        Some(Span {
            offset,
            len: 0,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        })
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
    Span {
        offset,
        len,
        line: u32::try_from(loc.line()).unwrap_or(u32::MAX),
        column: u32::try_from(loc.column()).unwrap_or(u32::MAX),
    }
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
    fn into_node(self, lines: &LineIndex) -> Node {
        let span = span_of(&self.0.referenced, lines);
        let value = match self.0.value {
            RawValue::Null => Value::Null,
            RawValue::Bool(b) => Value::Bool(b),
            RawValue::Int(i) => Value::Int(i),
            RawValue::Float(f) => Value::Float(f),
            RawValue::Str(s) => Value::Str(s),
            RawValue::Seq(items) => {
                Value::Seq(items.into_iter().map(|n| n.into_node(lines)).collect())
            }
            RawValue::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let key = Key {
                            span: span_of(&k.referenced, lines),
                            name: k.value,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> Node {
        let mut docs = parse_stream(src).expect("parses");
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    fn entry<'a>(node: &'a Node, key: &str) -> (&'a Key, &'a Node) {
        let Value::Map(m) = &node.value else {
            panic!("not a map")
        };
        let (k, v) = m.iter().find(|(k, _)| k.name == key).expect("key");
        (k, v)
    }

    #[test]
    fn spans_of_keys_values_and_list_entries() {
        let src = "id: BL-1\ndepends_on: [BL-1, BL-999]\n";
        let doc = one(src);
        let (k, _) = entry(&doc, "depends_on");
        assert_eq!((k.span.line, k.span.column), (2, 1));
        let (_, v) = entry(&doc, "depends_on");
        let Value::Seq(list) = &v.value else {
            panic!("seq")
        };
        assert_eq!((list[1].span.line, list[1].span.column), (2, 20));
        assert_eq!(&src[list[1].span.offset..][..list[1].span.len], "BL-999");
    }

    #[test]
    fn columns_count_characters_and_offsets_bytes() {
        let src = "title: \"ünï\"\nid: x\n";
        let doc = one(src);
        let (k, v) = entry(&doc, "id");
        assert_eq!((k.span.line, k.span.column), (2, 1));
        assert_eq!(&src[v.span.offset..][..v.span.len], "x");
    }

    #[test]
    fn plain_scalars_keep_their_text() {
        let src = "a: 2025\nb: yes\nc: 1.50\n";
        let doc = one(src);
        for (key, text) in [("a", "2025"), ("b", "yes"), ("c", "1.50")] {
            let (_, v) = entry(&doc, key);
            assert_eq!(v.scalar_text(src).as_deref(), Some(text));
        }
    }

    #[test]
    fn duplicate_keys_are_errors_with_a_location() {
        let err = parse_stream("id: a\ntitle: x\nid: b\n").expect_err("duplicate");
        assert!(
            err.message.contains("duplicate mapping key"),
            "{}",
            err.message
        );
        let span = err.span.expect("span");
        assert_eq!((span.line, span.column), (3, 1));
    }

    #[test]
    fn deep_nesting_and_alias_bombs_are_bounded() {
        let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(
            parse_stream(&deep).map_err(|e| e.message),
            Err(TOO_DEEP.to_string())
        );
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g"])
        {
            bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let bomb = parse_stream(&bomb).map(|_| ()).map_err(|e| e.message);
        assert!(bomb.is_err_and(|m| m.starts_with("it holds more values")));
    }

    #[test]
    fn syntax_error_line_and_column_without_byte_offset_are_resolved() {
        let src = "id: a\ntitle: [x\nfoo: 1\n";
        let err = parse_stream(src).expect_err("bad");
        let span = err.span.expect("span");
        assert_eq!(span.line, 3);
        assert_eq!(
            span.offset,
            src.find("foo").expect("foo") + usize::try_from(span.column - 1).expect("col")
        );
    }

    #[test]
    fn empty_and_comment_only_streams_have_no_documents() {
        assert!(parse_stream("").expect("empty").is_empty());
        assert!(parse_stream("# only\n").expect("comments").is_empty());
    }
}
