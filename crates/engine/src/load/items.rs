//! Reading only some backlog files: the ones a commit changed, for a forecast's walk over the
//! plan's history.

use rayon::prelude::*;

use super::cache::ParseCache;
use super::parse::Role;
use super::plan::{file_id, read_file};
use super::source::{Entry, MemoryTree, has_hidden_part, is_plan_file};
use crate::model::{Config, Item};

/// The backlog files among `paths` (relative to the plan root) as `tree` holds them: each with
/// the items it holds, or `None` when it is gone. Paths that are not backlog plan files are left
/// out; a file that does not parse holds no items.
pub fn read_items(
    tree: &MemoryTree,
    paths: &[String],
    config: &Config,
    cache: &ParseCache,
) -> Vec<(String, Option<Vec<Item>>)> {
    let prefix = format!("{}/", config.backlog_dir);
    paths
        .par_iter()
        .filter_map(|path| {
            let rest = path.strip_prefix(&prefix)?;
            let name = rest.rsplit('/').next().unwrap_or(rest);
            if has_hidden_part(rest) || !is_plan_file(name) {
                return None;
            }
            if !tree.contains(path) {
                return Some((path.clone(), None));
            }
            let entry = Entry {
                path: path.clone(),
                problem: None,
            };
            let outcome = read_file(tree, entry, Role::Item, file_id(0), config, Some(cache));
            Some((path.clone(), Some(outcome.items)))
        })
        .collect()
}
