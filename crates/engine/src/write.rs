//! The plan's own writes: one file replaced or created, or several as one change, all or
//! nothing, each refused when the file is no longer the text the edit was computed from. The
//! bytes go through [`crate::atomic`], the writer the caches use too: synced, renamed into place,
//! folder synced, mode and owner kept.

use std::fs;
use std::path::{Path, PathBuf};

use crate::atomic::{self, Staged};
use crate::error::Error;
use crate::model::Seal;

/// Writes `text` over `path` atomically (a page of `publish`: nothing was read from it).
pub fn replace(path: &Path, text: &str) -> Result<(), Error> {
    atomic::replace(path, text.as_bytes()).map_err(Error::io(path))
}

/// Writes `text` over the plan file `path` atomically, unless it no longer holds the text that
/// `was` seals, the one the edit was computed from: a file saved in an editor while the plan
/// was checked is refused, never overwritten.
pub(crate) fn replace_read(path: &Path, text: &str, was: Seal) -> Result<(), Error> {
    let staged = Staged::new(path, text.as_bytes()).map_err(Error::io(path))?;
    unchanged(path, was)?;
    staged.replace().map_err(Error::io(path))
}

/// Creates `path` holding `text`, never replacing anything; `Ok(false)` if the name is taken.
pub fn create(path: &Path, text: &str) -> Result<bool, Error> {
    atomic::create(path, text.as_bytes()).map_err(Error::io(path))
}

/// One file of a change written by [`commit`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileWrite {
    /// Replace the text of a file that held the text `was` seals.
    Replace {
        /// The file.
        path: PathBuf,
        /// Its new text.
        text: String,
        /// The text the change was computed from.
        was: Seal,
    },
    /// Create a file that must not exist yet.
    Create {
        /// The file.
        path: PathBuf,
        /// Its text.
        text: String,
    },
    /// Remove a file that held the text `was` seals.
    Remove {
        /// The file.
        path: PathBuf,
        /// The text the change was computed from.
        was: Seal,
    },
}

impl FileWrite {
    fn path(&self) -> &Path {
        match self {
            FileWrite::Replace { path, .. }
            | FileWrite::Create { path, .. }
            | FileWrite::Remove { path, .. } => path,
        }
    }

    /// The order the steps are taken in: new files first, so a failure leaves nothing that
    /// the plan already had changed; removals last.
    fn order(&self) -> u8 {
        match self {
            FileWrite::Create { .. } => 0,
            FileWrite::Replace { .. } => 1,
            FileWrite::Remove { .. } => 2,
        }
    }
}

/// Writes several files as one change, all or nothing. Every new text goes to a synced temporary
/// file beside its target first; then each file to replace or remove is checked to still hold
/// the text the change was computed from (else nothing is written); only then do new files
/// appear (exclusively), replaced files take their new text and removed files go. A failure
/// after that point puts back what was already changed, from the texts read at the check; a
/// file that cannot be put back is named in the error.
pub fn commit(writes: &[FileWrite]) -> Result<(), Error> {
    let mut staged: Vec<(Option<Staged>, &FileWrite)> = Vec::with_capacity(writes.len());
    for w in writes {
        let stage = match w {
            FileWrite::Replace { path, text, .. } | FileWrite::Create { path, text } => {
                Some(Staged::new(path, text.as_bytes()).map_err(Error::io(path))?)
            }
            FileWrite::Remove { .. } => None,
        };
        staged.push((stage, w));
    }
    let mut originals: Vec<(&Path, Vec<u8>)> = Vec::new();
    for w in writes {
        if let FileWrite::Replace { path, was, .. } | FileWrite::Remove { path, was } = w {
            originals.push((path, unchanged(path, *was)?));
        }
    }
    staged.sort_by_key(|(_, w)| w.order());
    let mut done: Vec<&FileWrite> = Vec::new();
    let mut failed = None;
    for (stage, w) in staged {
        let result = match (w, stage) {
            (FileWrite::Create { path, .. }, Some(stage)) => match stage.create_unsynced() {
                Ok(true) => Ok(()),
                Ok(false) => Err(Error::refused(
                    crate::error::Refusal::IdTaken,
                    format!("{} already exists; nothing was written", path.display()),
                )),
                Err(e) => Err(Error::io(path)(e)),
            },
            (FileWrite::Replace { path, .. }, Some(stage)) => faults::at("place", path)
                .and_then(|()| stage.replace_unsynced())
                .map_err(Error::io(path)),
            (FileWrite::Remove { path, .. }, _) => fs::remove_file(path).map_err(Error::io(path)),
            (_, None) => Ok(()),
        };
        match result {
            Ok(()) => done.push(w),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    // Each folder synced once, after its names are in place: so they survive a crash.
    let folders: std::collections::BTreeSet<&Path> =
        done.iter().filter_map(|w| w.path().parent()).collect();
    for folder in folders {
        crate::atomic::sync_dir(folder);
    }
    let Some(error) = failed else {
        return Ok(());
    };
    // Put back what already changed, newest first; whatever cannot be is named.
    let mut unrestored = Vec::new();
    for w in done.iter().rev() {
        let path = w.path();
        let restored = match w {
            FileWrite::Create { .. } => fs::remove_file(path),
            FileWrite::Replace { .. } | FileWrite::Remove { .. } => originals
                .iter()
                .find(|(p, _)| *p == path)
                .map_or(Ok(()), |(_, bytes)| {
                    faults::at("restore", path).and_then(|()| atomic::replace(path, bytes))
                }),
        };
        if restored.is_err() {
            unrestored.push(path.to_path_buf());
        }
    }
    if unrestored.is_empty() {
        Err(error)
    } else {
        Err(Error::Unrestored {
            error: Box::new(error),
            files: unrestored,
        })
    }
}

/// Failures on purpose, for the tests of what a failed step leaves: `inject` names the step
/// (`place`, `restore`) and the file that fails there. Nothing in a build that is not a test.
mod faults {
    use std::io;
    use std::path::Path;

    #[cfg(test)]
    thread_local! {
        static FAILING: std::cell::RefCell<Vec<(String, std::path::PathBuf)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }

    #[cfg(test)]
    pub(super) fn inject(which: &[(&str, &Path)]) {
        FAILING.with(|f| {
            *f.borrow_mut() = which
                .iter()
                .map(|(step, path)| ((*step).to_string(), path.to_path_buf()))
                .collect();
        });
    }

    /// An injected failure of `step` on `path`, in tests.
    #[cfg_attr(not(test), allow(clippy::unnecessary_wraps))]
    pub(super) fn at(step: &str, path: &Path) -> io::Result<()> {
        #[cfg(test)]
        if FAILING.with(|f| f.borrow().iter().any(|(s, p)| s == step && p == path)) {
            return Err(io::Error::other(format!("injected failure to {step}")));
        }
        let _ = (step, path);
        Ok(())
    }
}

/// The bytes of `path`, when they are the text `was` seals; else the refusal.
fn unchanged(path: &Path, was: Seal) -> Result<Vec<u8>, Error> {
    let bytes = fs::read(path).map_err(Error::io(path))?;
    match std::str::from_utf8(&bytes) {
        Ok(text) if was.holds(text) => Ok(bytes),
        _ => Err(Error::ChangedSinceRead {
            path: path.to_path_buf(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn replace_of(path: &Path, text: &str, was: &str) -> FileWrite {
        FileWrite::Replace {
            path: path.to_path_buf(),
            text: text.into(),
            was: Seal::of(was),
        }
    }

    #[test]
    fn a_change_of_several_files_is_all_or_nothing() -> Result<(), Error> {
        let dir = tempfile::tempdir().map_err(Error::io(Path::new(".")))?;
        let d = dir.path();
        let (a, b, c) = (d.join("a.yaml"), d.join("b.yaml"), d.join("c.yaml"));
        fs::write(&a, "a\n").map_err(Error::io(d))?;
        fs::write(&b, "b\n").map_err(Error::io(d))?;
        // A target whose folder is missing fails while staging: nothing changes.
        let missing = d.join("gone/x.yaml");
        let staged = commit(&[
            replace_of(&a, "A\n", "a\n"),
            FileWrite::Create {
                path: missing,
                text: "x\n".into(),
            },
        ]);
        assert!(staged.is_err());
        assert_eq!(listing(d), ["a.yaml", "b.yaml"]);
        assert_eq!(fs::read_to_string(&a).ok().as_deref(), Some("a\n"));
        // A file to create that exists already refuses the whole change.
        let taken = commit(&[
            replace_of(&a, "A\n", "a\n"),
            FileWrite::Create {
                path: b.clone(),
                text: "B\n".into(),
            },
        ]);
        assert!(taken.is_err());
        assert_eq!(fs::read_to_string(&a).ok().as_deref(), Some("a\n"));
        assert_eq!(fs::read_to_string(&b).ok().as_deref(), Some("b\n"));
        assert_eq!(listing(d), ["a.yaml", "b.yaml"]);
        // A file moved: created under its new name, the old one removed, the rest replaced.
        commit(&[
            FileWrite::Create {
                path: c.clone(),
                text: "c\n".into(),
            },
            FileWrite::Remove {
                path: b,
                was: Seal::of("b\n"),
            },
            replace_of(&a, "A\n", "a\n"),
        ])?;
        assert_eq!(listing(d), ["a.yaml", "c.yaml"]);
        assert_eq!(fs::read_to_string(&a).ok().as_deref(), Some("A\n"));
        Ok(())
    }

    #[test]
    fn a_file_saved_since_it_was_read_refuses_the_change() -> Result<(), Error> {
        let dir = tempfile::tempdir().map_err(Error::io(Path::new(".")))?;
        let d = dir.path();
        let (a, b) = (d.join("a.yaml"), d.join("b.yaml"));
        fs::write(&a, "a\n").map_err(Error::io(d))?;
        // Saved in an editor after the edit was computed from "b\n".
        fs::write(&b, "b, saved since\n").map_err(Error::io(d))?;
        let refused = commit(&[replace_of(&a, "A\n", "a\n"), replace_of(&b, "B\n", "b\n")]);
        assert!(
            matches!(&refused, Err(Error::ChangedSinceRead { path }) if *path == b),
            "{refused:?}"
        );
        assert_eq!(fs::read_to_string(&a).ok().as_deref(), Some("a\n"));
        assert_eq!(
            fs::read_to_string(&b).ok().as_deref(),
            Some("b, saved since\n")
        );
        assert_eq!(listing(d), ["a.yaml", "b.yaml"]);
        let one = replace_read(&b, "B\n", Seal::of("b\n"));
        assert!(
            matches!(one, Err(Error::ChangedSinceRead { .. })),
            "{one:?}"
        );
        assert_eq!(listing(d), ["a.yaml", "b.yaml"]);
        Ok(())
    }

    #[test]
    fn a_rollback_that_fails_names_the_files_it_left_changed() -> Result<(), Error> {
        let dir = tempfile::tempdir().map_err(Error::io(Path::new(".")))?;
        let d = dir.path();
        let (a, b, c) = (d.join("a.yaml"), d.join("b.yaml"), d.join("c.yaml"));
        for (path, text) in [(&a, "a\n"), (&b, "b\n"), (&c, "c\n")] {
            fs::write(path, text).map_err(Error::io(d))?;
        }
        let steps = [
            replace_of(&a, "A\n", "a\n"),
            replace_of(&b, "B\n", "b\n"),
            replace_of(&c, "C\n", "c\n"),
        ];
        // `c` cannot be replaced; of the two already replaced, `a` cannot be put back.
        faults::inject(&[("place", &c), ("restore", &a)]);
        let result = commit(&steps);
        faults::inject(&[]);
        let Err(Error::Unrestored { error, files }) = result else {
            panic!("not an unrestored change: {result:?}");
        };
        assert!(error.to_string().contains("c.yaml"), "{error}");
        assert_eq!(files, std::slice::from_ref(&a));
        assert_eq!(fs::read_to_string(&a).ok().as_deref(), Some("A\n"));
        assert_eq!(fs::read_to_string(&b).ok().as_deref(), Some("b\n"));
        assert_eq!(fs::read_to_string(&c).ok().as_deref(), Some("c\n"));
        Ok(())
    }
}
