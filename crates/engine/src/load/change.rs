//! What the two sides of a diff share: the files a change touched, as on each side, and the
//! files it did not.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::source::{Identity, MemoryTree};
use super::tokens::Tokens;

/// A file the change did not touch: the same bytes on both sides.
#[derive(Clone, Debug)]
pub struct Kept {
    /// Path relative to the plan root.
    pub path: String,
    /// Content; `None` when it was not read, its tokens being recorded (see [`super::Mentions`]).
    pub bytes: Option<Arc<[u8]>>,
    /// Git blob id, when the bytes came from git.
    pub identity: Option<Identity>,
    /// What the content mentions.
    pub tokens: Tokens,
}

impl Kept {
    /// A file read: its tokens are found in `bytes`.
    pub fn read(path: String, bytes: Arc<[u8]>, identity: Option<Identity>) -> Kept {
        Kept {
            tokens: Tokens::of(&bytes),
            path,
            bytes: Some(bytes),
            identity,
        }
    }
}

/// A change to a plan: the files that differ, as on each side, and every file that does not.
#[derive(Clone, Debug, Default)]
pub struct Change {
    /// The changed files as they were at the base (files the change adds are absent).
    pub base: MemoryTree,
    /// The changed files as they are at the head (files the change removes are absent).
    pub head: MemoryTree,
    /// Paths that differ, relative to the plan root.
    pub changed: HashSet<String>,
    /// Every readable plan file the change did not touch, `roadlog.yaml` included.
    pub kept: Vec<Kept>,
}

impl Change {
    /// The blob id and tokens of each unchanged file that has a blob id, to keep for the next
    /// diff (see [`super::Mentions`]).
    pub fn records(&self) -> impl Iterator<Item = (Identity, &Tokens)> + Clone {
        self.kept
            .iter()
            .filter_map(|k| Some((k.identity?, &k.tokens)))
    }

    /// The change from a base whose plan files have the identities in `base` (`None`: a file
    /// that never equals one read elsewhere, such as a link), each with what the caller needs
    /// to read it, to the files of `head`, which `identify` gives the same kind of identity:
    /// files whose identities are equal are kept. The changed files' base side is left empty:
    /// the base files to fill it with are given too, in path order.
    pub fn to_files<T: Sync>(
        mut base: HashMap<String, (Option<Identity>, T)>,
        mut head: MemoryTree,
        identify: impl Fn(&[u8]) -> Option<Identity> + Sync,
    ) -> (Change, Vec<(String, T)>) {
        let files: Vec<(&str, &Arc<[u8]>)> = head.files().collect();
        let kept: Vec<Kept> = files
            .into_par_iter()
            .filter_map(|(path, bytes)| {
                let identity = identify(bytes)?;
                let at_base = base.get(path).is_some_and(|(at, _)| *at == Some(identity));
                at_base.then(|| Kept::read(path.to_string(), Arc::clone(bytes), Some(identity)))
            })
            .collect();
        for kept in &kept {
            base.remove(&kept.path);
        }
        let mut change = Change {
            kept,
            ..Change::default()
        };
        let kept: HashSet<&str> = change.kept.iter().map(|k| k.path.as_str()).collect();
        head.retain(|path| !kept.contains(path));
        change.changed.extend(head.paths().map(str::to_string));
        change.head = head;
        let mut from_base: Vec<(String, T)> =
            base.into_iter().map(|(path, (_, t))| (path, t)).collect();
        from_base.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        change
            .changed
            .extend(from_base.iter().map(|(path, _)| path.clone()));
        (change, from_base)
    }
}
