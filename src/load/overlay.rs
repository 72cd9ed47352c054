//! The few working-tree files a dirty plan's diff reads, laid over a git tree of the rest.

use std::fs;
use std::io;

use rayon::prelude::*;

use super::{CONFIG_FILE, Source, WorkTree, is_plan_file};

/// A working-tree file to lay over a git tree: its path and bytes, `None` where it is gone.
pub type Overlay = (String, Option<Vec<u8>>);

/// The files at `paths` (relative to the plan root) as the loader reads them: each plan file's
/// bytes, `None` for one that is gone; other files left out. `None` in all when one of them
/// is not plainly a file or plainly gone (a link, a folder, one that cannot be read or is too
/// large): the loader sees those in ways a git tree does not, so the caller reads the working
/// tree itself.
pub fn read_over(tree: &WorkTree, paths: &[String]) -> Option<Vec<Overlay>> {
    let read: Option<Vec<Option<Overlay>>> = paths
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
