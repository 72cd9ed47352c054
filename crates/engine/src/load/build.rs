//! Building typed themes, items and config from YAML nodes, one finding per bad field: a bad
//! value is reported and the rest of the entity is still read.

mod config;
mod item;
mod people;
mod theme;

use std::str::FromStr;
use std::sync::Arc;

pub(super) use config::read_config;
pub(super) use item::read_items;
pub(super) use theme::read_themes;

use crate::diag::{FileId, Finding, Location, Rule, did_you_mean};
use crate::model::{ITEM_ID_RULE, MAX_WEIGHT, Span, Spanned, THEME_ID_RULE};
use crate::time::Date;
use crate::yaml::{self, Key, Node, Value};

/// The longest title that still reads as a headline in a table row.
pub(crate) const MAX_TITLE: usize = 200;

/// Reads typed values out of nodes of one file, collecting a finding for each bad one.
pub(crate) struct Reader<'a> {
    pub(crate) src: &'a str,
    pub(crate) file: FileId,
    pub(crate) findings: &'a mut Vec<Finding>,
    /// Where the fields being read sit, as a path prefix (`metrics[0].`), for finding identity.
    pub(crate) path: String,
}

impl Reader<'_> {
    /// The field path of a key read at the current place.
    pub(crate) fn field(&self, name: &str) -> String {
        format!("{}{name}", self.path)
    }

    /// Gives every finding pushed since `start` that names no entity the entity `id`.
    pub(crate) fn stamp(&mut self, start: usize, id: &str) {
        for f in self.findings.iter_mut().skip(start) {
            if f.entity.is_none() {
                f.entity = Some(Arc::from(id));
            }
        }
    }

    pub(crate) fn at(&self, span: Span) -> Option<Location> {
        Some(Location {
            file: self.file,
            span: Some(span),
        })
    }

    pub(crate) fn push(&mut self, finding: Finding) {
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
    pub(crate) fn mapping<'n, 't>(
        &mut self,
        doc: &'n Node<'t>,
        what: &str,
    ) -> Option<&'n [(Key<'t>, Node<'t>)]> {
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
    pub(crate) fn unknown_key(&mut self, key: &Key, known: &[&str], what: &str) {
        let help = match did_you_mean(&key.name, known.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the fields of {what} are: {}", known.join(", ")),
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
    pub(crate) fn text(&mut self, key: &Key, node: &Node) -> Option<Spanned<String>> {
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
    pub(crate) fn required_text(&mut self, key: &Key, node: &Node) -> Option<Spanned<String>> {
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

    /// A title: required, and one line a table can show, so a line break or a paragraph is
    /// `title-format` (the text is kept as written).
    pub(crate) fn title(&mut self, key: &Key, node: &Node) -> Option<Spanned<String>> {
        let title = self.required_text(key, node)?;
        let chars = title.value.chars().count();
        let why = if title.value.trim_end().contains(['\n', '\r']) {
            Some("holds a line break".to_string())
        } else if chars > MAX_TITLE {
            Some(format!("is {chars} characters long"))
        } else {
            None
        };
        if let Some(why) = why {
            self.push(
                Finding::new(
                    Rule::TitleFormat,
                    format!(
                        "the title {why}; a title is one line of at most {MAX_TITLE} characters"
                    ),
                    self.at(key.span),
                )
                .field(self.field(&key.name))
                .label("not one short line")
                .help("keep the headline in `title:` and move the rest to `description:`"),
            );
        }
        Some(title)
    }

    /// A scalar's text when it has one, with no finding either way (for keeping a value that
    /// was already reported as invalid).
    pub(crate) fn text_quietly(&self, node: &Node) -> Option<String> {
        node.scalar_text(self.src)
            .map(std::borrow::Cow::into_owned)
            .filter(|t| !t.trim().is_empty())
    }

    /// A list of scalars.
    pub(crate) fn text_list(&mut self, key: &Key, node: &Node) -> Vec<Spanned<String>> {
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
    pub(crate) fn integer(&mut self, key: &Key, node: &Node, min: i64) -> Option<Spanned<u32>> {
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
    pub(crate) fn non_negative(&mut self, key: &Key, node: &Node) -> Option<Spanned<f64>> {
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
    pub(crate) fn date(&mut self, key: &Key, node: &Node) -> Option<Spanned<Date>> {
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
    pub(crate) fn choice<T: Copy>(
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
    pub(crate) fn choice_of<T: Copy>(
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

    pub(crate) fn invalid(
        &mut self,
        field: &str,
        span: Span,
        message: String,
        help: Option<String>,
    ) {
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
    if node.span.is_empty() && node.value == Value::Null {
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

fn has_key(entries: &[(Key, Node)], name: &str) -> bool {
    entries.iter().any(|(k, _)| k.name == name)
}

/// Parses a file's text into documents, turning a syntax error into a finding.
pub(crate) fn parse_docs<'s>(
    src: &'s str,
    file: FileId,
    findings: &mut Vec<Finding>,
) -> Option<Vec<Node<'s>>> {
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

/// The entries of a mapping section, or a finding when it is not one.
pub(crate) fn entries<'n, 't>(
    r: &mut Reader<'_>,
    key: &Key,
    node: &'n Node<'t>,
    what: &str,
) -> &'n [(Key<'t>, Node<'t>)] {
    match &node.value {
        Value::Map(entries) => entries,
        Value::Null => &[],
        _ => {
            r.push(
                Finding::new(
                    Rule::ParseError,
                    format!("`{}` should map {what}", key.name),
                    r.at(node.span),
                )
                .field(r.field(&key.name)),
            );
            &[]
        }
    }
}
