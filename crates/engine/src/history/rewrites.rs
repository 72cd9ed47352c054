//! Which files a commit really edited, and which it only rewrote for a rename: `roadlog rename`
//! (or a person doing the same by hand) changes the renamed entity's id, every reference to it,
//! and adds the old id to `aliases:`. Such a commit is no review of the work and no edit of it,
//! so `stale-item` and `suspect-item` do not count it (format.md, "Which findings are one per
//! entity").

use std::collections::HashMap;

use crate::model::stem_of;
use crate::yaml::{self, Node, Value};

/// One file of a commit: its path, and its text before and after (`None` where it did not
/// exist, or does not read as text).
#[derive(Clone, Copy, Debug)]
pub struct Version<'a> {
    /// The path, relative to the plan root.
    pub path: &'a str,
    /// The text in the parent commit.
    pub before: Option<&'a str>,
    /// The text in the commit.
    pub after: Option<&'a str>,
}

/// What a commit did to its files, a rename's rewriting told apart from edits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edited<'a> {
    /// The files really edited.
    pub paths: Vec<&'a str>,
    /// Files only moved to their entity's new id: (old path, new path).
    pub moved: Vec<(&'a str, &'a str)>,
}

/// The paths of `files` whose change is more than a rename's rewriting of ids. A file whose
/// documents, once `aliases:` is set aside, read the same with every renamed id put in place of
/// its old one, was only rewritten; so was a file moved to its entity's new id (its old path
/// removed and its new one added in the same commit), which is also said as a move, so that a
/// walk back through history follows the file to its old name. Without an alias added in the
/// commit, nothing was renamed and every file was edited.
pub fn edited<'a>(files: &[Version<'a>]) -> Edited<'a> {
    let renamed = renamed_ids(files);
    if renamed.is_empty() {
        return Edited {
            paths: files.iter().map(|f| f.path).collect(),
            moved: Vec::new(),
        };
    }
    let docs = |text: Option<&'a str>| text.and_then(|t| yaml::parse_stream(t).ok());
    let parsed: Vec<Sides<'a>> = files
        .iter()
        .map(|f| (docs(f.before), docs(f.after)))
        .collect();
    let same = |before: &[Node<'_>], after: &[Node<'_>]| {
        before.len() == after.len()
            && before
                .iter()
                .zip(after)
                .all(|(b, a)| same_but_ids(b, a, &renamed))
    };
    let mut rewritten = vec![false; files.len()];
    let mut moved = Vec::new();
    for (i, (before, after)) in parsed.iter().enumerate() {
        match (before, after) {
            (Some(b), Some(a)) if same(b, a) => rewritten[i] = true,
            // Added: the move of a file removed in the same commit, if one reads the same.
            (None, Some(a)) if files[i].before.is_none() => {
                let moved_from = parsed.iter().enumerate().position(|(j, (b, _))| {
                    files[j].after.is_none()
                        && !rewritten[j]
                        && b.as_deref().is_some_and(|b| same(b, a))
                });
                if let Some(j) = moved_from {
                    rewritten[i] = true;
                    rewritten[j] = true;
                    moved.push((files[j].path, files[i].path));
                }
            }
            _ => {}
        }
    }
    let paths = files
        .iter()
        .zip(rewritten)
        .filter(|(_, r)| !r)
        .map(|(f, _)| f.path)
        .collect();
    Edited { paths, moved }
}

/// A file's documents before and after the commit, where they read.
type Sides<'a> = (Option<Vec<Node<'a>>>, Option<Vec<Node<'a>>>);

/// Old id → new id, for every alias the commit added: an alias in a document after the commit
/// that no document of the commit's files held before.
fn renamed_ids(files: &[Version<'_>]) -> HashMap<String, String> {
    let mut before = Vec::new();
    let mut after = Vec::new();
    for f in files {
        if let Some(text) = f.before.filter(|t| t.contains("aliases")) {
            before.extend(aliases_of(text, f.path).into_iter().map(|(alias, _)| alias));
        }
        if let Some(text) = f.after.filter(|t| t.contains("aliases")) {
            after.extend(aliases_of(text, f.path));
        }
    }
    after
        .into_iter()
        .filter(|(alias, _)| !before.contains(alias))
        .collect()
}

/// Each alias of each document of `text`, with the id of the document holding it (its `id:`,
/// else the file stem).
fn aliases_of(text: &str, path: &str) -> Vec<(String, String)> {
    let Ok(docs) = yaml::parse_stream(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for doc in &docs {
        let Value::Map(entries) = &doc.value else {
            continue;
        };
        let field = |name: &str| entries.iter().find(|(k, _)| k.name == name).map(|(_, v)| v);
        let id = field("id")
            .and_then(|v| v.scalar_text(text))
            .map_or_else(|| stem_of(path).to_string(), |t| t.into_owned());
        if let Some(Node {
            value: Value::Seq(list),
            ..
        }) = field("aliases")
        {
            for alias in list {
                if let Some(a) = alias.scalar_text(text) {
                    found.push((a.into_owned(), id.clone()));
                }
            }
        }
    }
    found
}

/// Whether two nodes hold the same values once `aliases` is set aside and the renamed ids of
/// `before` are put in their new place. Spans, comments and layout are not compared.
fn same_but_ids(before: &Node<'_>, after: &Node<'_>, renamed: &HashMap<String, String>) -> bool {
    match (&before.value, &after.value) {
        (Value::Map(b), Value::Map(a)) => {
            let kept = |m: &'_ [(yaml::Key<'_>, Node<'_>)]| -> usize {
                m.iter().filter(|(k, _)| k.name != "aliases").count()
            };
            kept(b) == kept(a)
                && b.iter()
                    .filter(|(k, _)| k.name != "aliases")
                    .all(|(k, bv)| {
                        a.iter()
                            .find(|(ak, _)| ak.name == k.name)
                            .is_some_and(|(_, av)| same_but_ids(bv, av, renamed))
                    })
        }
        (Value::Seq(b), Value::Seq(a)) => {
            b.len() == a.len() && b.iter().zip(a).all(|(b, a)| same_but_ids(b, a, renamed))
        }
        (Value::Str(b), Value::Str(a)) => {
            b == a || renamed.get(b.as_ref()).is_some_and(|new| new == a.as_ref())
        }
        (b, a) => b == a,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v<'a>(path: &'a str, before: Option<&'a str>, after: Option<&'a str>) -> Version<'a> {
        Version {
            path,
            before,
            after,
        }
    }

    #[test]
    fn a_rename_is_no_edit_of_the_files_it_rewrites() {
        let files = [
            // The renamed theme: its id kept in `aliases:`.
            v(
                "roadmap/growth.yaml",
                Some("id: growth\ntitle: G\n"),
                Some("id: self-serve\ntitle: G\naliases: [growth]\n"),
            ),
            // A reference rewritten, in a file with a comment.
            v(
                "backlog/BL-1.yaml",
                Some("title: A # note\ntheme: growth\n"),
                Some("title: A # note\ntheme: self-serve\n"),
            ),
            // A real edit in the same commit.
            v(
                "backlog/BL-2.yaml",
                Some("title: B\ntheme: growth\nstatus: todo\n"),
                Some("title: B\ntheme: self-serve\nstatus: done\n"),
            ),
        ];
        assert_eq!(edited(&files).paths, ["backlog/BL-2.yaml"]);
    }

    #[test]
    fn a_file_moved_to_its_new_id_is_no_edit() {
        let files = [
            v("backlog/BL-1.yaml", Some("title: A\nstatus: todo\n"), None),
            v(
                "backlog/SSO-1.yaml",
                None,
                Some("title: A\nstatus: todo\naliases:\n  - BL-1\n"),
            ),
            v(
                "backlog/BL-3.yaml",
                Some("title: C\nparent: BL-1\n"),
                Some("title: C\nparent: SSO-1\n"),
            ),
        ];
        assert_eq!(
            edited(&files),
            Edited {
                paths: Vec::new(),
                moved: vec![("backlog/BL-1.yaml", "backlog/SSO-1.yaml")],
            }
        );
        // A new file that is not the moved one is an edit.
        let added = [
            v("backlog/BL-1.yaml", Some("title: A\n"), None),
            v(
                "backlog/SSO-1.yaml",
                None,
                Some("title: A\naliases: [BL-1]\n"),
            ),
            v("backlog/BL-9.yaml", None, Some("title: New\n")),
        ];
        assert_eq!(edited(&added).paths, ["backlog/BL-9.yaml"]);
    }

    #[test]
    fn without_an_alias_added_every_file_was_edited() {
        let files = [
            v("backlog/BL-1.yaml", Some("theme: a\n"), Some("theme: b\n")),
            // Aliases that were there before are no rename in this commit.
            v(
                "backlog/BL-2.yaml",
                Some("title: x\naliases: [OLD]\n"),
                Some("title: y\naliases: [OLD]\n"),
            ),
        ];
        assert_eq!(
            edited(&files).paths,
            ["backlog/BL-1.yaml", "backlog/BL-2.yaml"]
        );
    }
}
