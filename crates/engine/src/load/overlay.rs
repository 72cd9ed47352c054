//! Files held in memory laid over another source: an editor's unsaved buffers over the work
//! tree, the text a write is about to make over the plan it changes, the few working-tree files
//! a dirty plan's diff reads over a git tree of the rest. The plan is then loaded and checked
//! by the same path as any other source.

use std::collections::BTreeMap;
use std::fs;
use std::io;

use rayon::prelude::*;

use super::source::too_large;
use super::{
    CONFIG_FILE, Entry, Identity, MAX_FILE_BYTES, Source, Stamp, WorkTree, has_hidden_part,
    is_inside, is_plan_file,
};
use crate::error::Error;

/// A file to lay over a source: its path relative to the plan root and its bytes, `None` where
/// it is gone.
pub type Laid = (String, Option<Vec<u8>>);

/// A source with some files replaced, added or removed in memory.
pub struct Overlay<'a> {
    base: &'a dyn Source,
    files: BTreeMap<String, Option<Vec<u8>>>,
}

impl<'a> Overlay<'a> {
    /// `base` with nothing laid over it yet.
    pub fn new(base: &'a dyn Source) -> Overlay<'a> {
        Overlay {
            base,
            files: BTreeMap::new(),
        }
    }

    /// Lays `bytes` over the file at `path` (relative to the plan root, `/`-separated), or with
    /// `None` removes it; a later call for the same path replaces an earlier one.
    pub fn set(&mut self, path: impl Into<String>, bytes: Option<Vec<u8>>) {
        self.files.insert(path.into(), bytes);
    }

    /// The paths laid over the base, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// How a laid file lists under `dir`, as the base's listing would list it on disk.
    fn listed(dir: &str, path: &str, bytes: &[u8]) -> Option<Entry> {
        let rel = path.strip_prefix(dir).and_then(|r| r.strip_prefix('/'))?;
        if has_hidden_part(rel) || !is_plan_file(rel.rsplit('/').next().unwrap_or(rel)) {
            return None;
        }
        let problem = (bytes.len() as u64 > MAX_FILE_BYTES)
            .then(|| too_large(bytes.len() as u64).to_string());
        Some(Entry {
            path: path.to_string(),
            problem,
        })
    }
}

impl Source for Overlay<'_> {
    fn read(&self, path: &str) -> io::Result<Option<Vec<u8>>> {
        match self.files.get(path) {
            Some(Some(bytes)) if bytes.len() as u64 > MAX_FILE_BYTES => {
                Err(too_large(bytes.len() as u64))
            }
            Some(bytes) => Ok(bytes.clone()),
            None => self.base.read(path),
        }
    }

    fn list(&self, dir: &str) -> Result<Vec<Entry>, Error> {
        let mut entries = self.base.list(dir)?;
        entries.retain(|e| !self.files.contains_key(&e.path));
        for (path, bytes) in &self.files {
            if let Some(entry) = bytes.as_ref().and_then(|b| Overlay::listed(dir, path, b)) {
                entries.push(entry);
            }
        }
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(entries)
    }

    fn identity(&self, path: &str) -> Option<Identity> {
        match self.files.get(path) {
            Some(_) => None,
            None => self.base.identity(path),
        }
    }

    fn entry(&self, dir: &str, path: &str) -> Option<Option<Entry>> {
        match self.files.get(path) {
            Some(Some(bytes)) => Some(
                is_inside(dir, path)
                    .then(|| Overlay::listed(dir, path, bytes))
                    .flatten(),
            ),
            Some(None) => Some(None),
            None => self.base.entry(dir, path),
        }
    }

    fn stamp(&self, path: &str) -> Option<Stamp> {
        match self.files.get(path) {
            Some(_) => None,
            None => self.base.stamp(path),
        }
    }
}

/// The files at `paths` (relative to the plan root) as the loader reads them: each plan file's
/// bytes, `None` for one that is gone; other files left out. `None` in all when one of them
/// is not plainly a file or plainly gone (a link, a folder, one that cannot be read or is too
/// large): the loader sees those in ways a git tree does not, so the caller reads the working
/// tree itself.
pub fn read_over(tree: &WorkTree, paths: &[String]) -> Option<Vec<Laid>> {
    let read: Option<Vec<Option<Laid>>> = paths
        .par_iter()
        .map(|path| {
            let plan_file = path == CONFIG_FILE || is_plan_file(path.rsplit('/').next()?);
            match fs::symlink_metadata(tree.root().join(path)) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    Some(plan_file.then(|| (path.clone(), None)))
                }
                Ok(meta) if meta.is_file() && !plan_file => Some(None),
                Ok(meta) if meta.is_file() => {
                    let bytes = tree.read(path).ok()??;
                    Some(Some((path.clone(), Some(bytes))))
                }
                _ => None,
            }
        })
        .collect();
    Some(read?.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_files_are_read_gone_ones_named_and_links_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(dir.path().join("backlog")).expect("mkdir");
        fs::write(dir.path().join("backlog/BL-1.yaml"), "title: A\n").expect("write");
        fs::write(dir.path().join("backlog/notes.md"), "notes").expect("write");
        let tree = WorkTree::new(dir.path()).expect("tree");
        let paths =
            ["backlog/BL-1.yaml", "backlog/BL-2.yaml", "backlog/notes.md"].map(String::from);
        assert_eq!(
            read_over(&tree, &paths),
            Some(vec![
                (
                    "backlog/BL-1.yaml".to_string(),
                    Some(b"title: A\n".to_vec())
                ),
                ("backlog/BL-2.yaml".to_string(), None),
            ])
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("backlog", dir.path().join("linked")).expect("link");
            assert_eq!(read_over(&tree, &["linked".to_string()]), None);
        }
        fs::create_dir_all(dir.path().join("backlog/BL-3.yaml")).expect("mkdir");
        assert_eq!(read_over(&tree, &["backlog/BL-3.yaml".to_string()]), None);
    }
}
