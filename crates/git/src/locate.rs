//! Where the plan lives in a repository: the plan folder at a revision, and the plan root's path
//! from the work tree's root.

use std::path::Path;

use super::{Repo, canonical};
use crate::error::Error;
use crate::load::to_slash;

/// Where the plan lives in a repository, for `--rev`: the plan folder relative to the repository
/// root, found from `--plan` or by looking upwards from `start` for a `roadlog.yaml` at `rev`.
pub fn plan_dir_at(
    repo: &Repo,
    rev: &str,
    start: &Path,
    explicit: Option<&Path>,
) -> Result<String, Error> {
    let checked = |dir: String| -> Result<String, Error> {
        if repo.has_plan(rev, &dir)? {
            return Ok(dir);
        }
        let shown = if dir.is_empty() {
            "the repository root".to_string()
        } else {
            format!("`{dir}`")
        };
        Err(Error::git(format!("no roadlog.yaml in {shown} at `{rev}`"))
            .with_help("name the plan folder with --plan DIR (a path inside the repository)"))
    };
    let Some(workdir) = repo.workdir() else {
        // A bare repository: --plan names a folder inside the tree.
        return checked(
            explicit.map_or_else(String::new, |p| to_slash(p).trim_matches('/').to_string()),
        );
    };
    let workdir = canonical(workdir);
    let from = canonical(explicit.unwrap_or(start));
    let rel = from.strip_prefix(&workdir).map_err(|_| {
        Error::git(format!(
            "{} is outside the repository's work tree {}",
            from.display(),
            workdir.display()
        ))
    })?;
    let rel = to_slash(rel);
    if explicit.is_some() {
        return checked(rel);
    }
    let mut dir = rel.as_str();
    loop {
        if repo.has_plan(rev, dir)? {
            return Ok(dir.to_string());
        }
        if dir.is_empty() {
            return Err(Error::git(format!(
                "no roadlog.yaml at `{rev}` in {} or any parent folder",
                from.display()
            )));
        }
        dir = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
}

/// The plan root's path from the root of its git work tree, `""` when it is the root or not in a
/// repository: GitHub anchors annotations there.
pub fn work_tree_prefix(plan_root: &Path) -> String {
    let Ok(repo) = Repo::discover(plan_root, "") else {
        return String::new();
    };
    let Some(workdir) = repo.workdir() else {
        return String::new();
    };
    canonical(plan_root)
        .strip_prefix(canonical(workdir))
        .map(to_slash)
        .unwrap_or_default()
}
