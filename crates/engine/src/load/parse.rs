//! One file's text parsed into the themes or items it holds, with its findings: what the
//! loader, the parse cache and the commands that write all read a file with.

use crate::diag::{FileId, Finding, Location, Rule};
use crate::model::{self, Config, stem_of};

/// What a plan file holds.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize, serde::Deserialize)]
pub enum Role {
    /// A roadmap file: one theme.
    Theme,
    /// A backlog file: items.
    Item,
}

/// What one file's text yields.
#[derive(Clone)]
pub struct Parsed {
    /// The themes it holds.
    pub themes: Vec<model::Theme>,
    /// The items it holds.
    pub items: Vec<model::Item>,
    /// What is wrong with it.
    pub findings: Vec<Finding>,
}

impl Parsed {
    /// The same entities and findings, belonging to file `id`.
    pub(super) fn in_file(mut self, id: FileId) -> Parsed {
        for t in &mut self.themes {
            t.file = id;
        }
        for i in &mut self.items {
            i.file = id;
        }
        for f in &mut self.findings {
            renumber(f, id);
        }
        self
    }
}

/// A finding moved to file `id`, with the location it relates to.
pub fn renumber(f: &mut Finding, id: FileId) {
    if let Some(at) = &mut f.at {
        at.file = id;
    }
    if let Some((at, _)) = f.related.as_deref_mut() {
        at.file = id;
    }
}

/// What the loader reads from one file's text, as a theme file (`theme`) or an item file: the ids
/// it holds and its findings. Commands that write check their text with it before the disk.
pub fn read_text(
    path: &str,
    text: &str,
    theme: bool,
    config: &Config,
) -> (Vec<String>, Vec<Finding>) {
    let role = if theme { Role::Theme } else { Role::Item };
    let parsed = parse_text(path, text, role, config, FileId(0));
    let ids = parsed
        .themes
        .iter()
        .map(|t| t.id.value.clone())
        .chain(parsed.items.iter().map(|i| i.id.value.clone()))
        .collect();
    (ids, parsed.findings)
}

/// The theme a roadmap file's text holds, if it reads as one: what a walk over history compares
/// between two versions of the file.
pub fn read_theme(path: &str, text: &str, config: &Config) -> Option<model::Theme> {
    parse_text(path, text, Role::Theme, config, FileId(0))
        .themes
        .into_iter()
        .next()
}

/// Parses the decoded text of the file at `path` into themes or items.
pub fn parse_text(path: &str, text: &str, role: Role, config: &Config, id: FileId) -> Parsed {
    let mut parsed = Parsed {
        themes: Vec::new(),
        items: Vec::new(),
        findings: Vec::new(),
    };
    let stem = stem_of(path);
    let Some(docs) = super::build::parse_docs(text, id, &mut parsed.findings) else {
        return parsed;
    };
    if docs.is_empty() {
        parsed.findings.push(
            Finding::new(
                Rule::ParseError,
                format!("`{path}` holds no theme or item (it is empty or only comments)"),
                Some(Location {
                    file: id,
                    span: None,
                }),
            )
            .help("write the theme or item into it, or delete the file"),
        );
        return parsed;
    }
    match role {
        Role::Theme => {
            parsed.themes = super::build::read_themes(text, &docs, id, stem, &mut parsed.findings)
        }
        Role::Item => {
            parsed.items =
                super::build::read_items(text, &docs, id, stem, config, &mut parsed.findings)
        }
    }
    parsed
}
