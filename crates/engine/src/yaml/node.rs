//! The tree both readers build: values with the spans they were read from.

use std::borrow::Cow;

use crate::span::Span;

/// A YAML value with the span it was read from; its strings borrow from the text where the
/// parser could hand them over unchanged (plain and quoted scalars without escapes or folds).
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// The value.
    pub value: Value<'a>,
    /// Where the value stands.
    pub span: Span,
}

/// A mapping key with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Key<'a> {
    /// The key text.
    pub name: Cow<'a, str>,
    /// Where the key stands.
    pub span: Span,
}

/// The shapes a YAML node can take once resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `~`, `null` or an empty value.
    Null,
    /// `true` / `false` (and YAML 1.1 spellings the library resolves).
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float, or an integer too large for `i64`.
    Float(f64),
    /// A string scalar.
    Str(Cow<'a, str>),
    /// A sequence.
    Seq(Vec<Node<'a>>),
    /// A mapping, in file order.
    Map(Vec<(Key<'a>, Node<'a>)>),
}

impl Value<'_> {
    /// A short name of the value's type for "expected X, found Y" messages.
    pub(crate) fn type_name(&self) -> &'static str {
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

impl Node<'_> {
    /// The text of a scalar as the user wrote it: the string itself, or the plain text of a
    /// number or boolean (so `id: 2025` or `title: yes` read as written). `None` for
    /// null, lists and mappings.
    pub(crate) fn scalar_text<'a>(&'a self, src: &'a str) -> Option<Cow<'a, str>> {
        match &self.value {
            Value::Str(s) => Some(Cow::Borrowed(s.as_ref())),
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
                let raw = src.get(self.span.start()..self.span.end());
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
