//! A plan file as loaded, and the texts read again for the few files whose text is quoted.
//!
//! A plan keeps no file's text once it is parsed: at 100,000 items the texts were 39 MB of a
//! check's peak, and only a snippet (the terminal's diagnostics, SARIF's regions) or an edit
//! needs one. What a file keeps is its [`Seal`]: a text read again is used only if it is the
//! text that was parsed, so a file changed since the load is never quoted or edited at spans
//! that are not its own.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diag::FileId;
use crate::hash::checksum;

/// A plan file as read: its path relative to the plan root and the seal of its text.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceFile {
    /// Path relative to the plan root, `/`-separated.
    pub path: String,
    /// What the text parsed was.
    pub seal: Seal,
}

impl SourceFile {
    /// The file at `path` whose text was `text`.
    pub fn new(path: impl Into<String>, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            seal: Seal::of(text),
        }
    }
}

/// A text's length and checksum: enough to tell the text parsed from the file as it is now,
/// which a person may have saved since. It guards against accidents within one run, not
/// against someone crafting a collision (the cache kept between runs compares git's blob ids).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Seal {
    len: u64,
    sum: u64,
}

impl Seal {
    /// The seal of `text`.
    pub fn of(text: &str) -> Seal {
        Seal {
            len: text.len() as u64,
            sum: checksum(text.as_bytes()),
        }
    }

    /// Whether `text` is the text sealed.
    pub fn holds(&self, text: &str) -> bool {
        *self == Seal::of(text)
    }
}

/// The texts of some plan files, read again for a renderer that quotes them.
#[derive(Clone, Debug, Default)]
pub struct Texts {
    by_file: HashMap<FileId, Arc<str>, foldhash::fast::RandomState>,
}

impl Texts {
    /// No texts: renderers then quote nothing.
    pub fn none() -> Texts {
        Texts::default()
    }

    /// The text of `roadlog.yaml` (file 0) alone: what a broken config's diagnostics quote.
    pub fn config(text: &Arc<str>) -> Texts {
        let mut texts = Texts::none();
        texts.insert(FileId(0), Arc::clone(text));
        texts
    }

    /// Holds `text` as the text of file `id`.
    pub fn insert(&mut self, id: FileId, text: Arc<str>) {
        self.by_file.insert(id, text);
    }

    /// The text of file `id`, when it was read again and is the text parsed.
    pub fn get(&self, id: FileId) -> Option<&str> {
        self.by_file.get(&id).map(|t| &**t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_holds_its_text_and_no_edit_of_it() {
        let seal = Seal::of("id: BL-1\ntitle: A\n");
        assert!(seal.holds("id: BL-1\ntitle: A\n"));
        assert!(!seal.holds("id: BL-1\ntitle: B\n"));
        assert!(!seal.holds("id: BL-1\ntitle: A\n\n"));
        assert!(!seal.holds(""));
    }

    #[test]
    fn texts_give_only_what_was_put_in() {
        let mut texts = Texts::none();
        assert_eq!(texts.get(FileId(1)), None);
        texts.insert(FileId(1), Arc::from("a"));
        assert_eq!(texts.get(FileId(1)), Some("a"));
        assert_eq!(texts.get(FileId(2)), None);
    }
}
