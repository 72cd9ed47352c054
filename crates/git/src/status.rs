//! What the working tree holds that `HEAD`'s plan folder does not, as git's status tells it.

use std::collections::HashSet;

use super::{Repo, git_error};
use crate::error::Error;
use crate::load::{has_hidden_part, is_plan_file};

/// How the working tree's plan folder stands against `HEAD`'s (see [`Repo::plan_dirt`]).
#[derive(Debug, PartialEq, Eq)]
pub enum Dirt {
    /// Nothing modified, staged, untracked or ignored under it.
    Clean,
    /// Only these paths differ (relative to the plan folder, sorted, hidden ones left out):
    /// every other plan file reads from the working tree as its blob at `HEAD` does.
    Files(Vec<String>),
    /// Something git's status cannot vouch for: read the working tree itself.
    Unknown,
}

impl Repo {
    /// Whether the working tree and index hold exactly `HEAD`'s plan folder: nothing modified,
    /// staged, untracked or ignored under it.
    pub fn plan_is_clean(&self, plan_dir: &str) -> Result<bool, Error> {
        Ok(self.plan_status(plan_dir, true)?.is_empty())
    }

    /// How the working tree's plan folder differs from `HEAD`'s. A file git's status leaves out
    /// reads as its committed blob only where nothing stands between the two, so the answer is
    /// [`Dirt::Unknown`] when the status names a folder, a name that is not UTF-8 or a
    /// `.gitattributes`, when line-ending or attribute filters may rewrite files on checkout,
    /// and when the index holds a link, a submodule, a folder named like a plan file, or a
    /// file git was told not to look at (assume-unchanged, skip-worktree): the working-tree
    /// loader sees each of those differently from a git tree.
    pub fn plan_dirt(&self, plan_dir: &str) -> Result<Dirt, Error> {
        let statuses = self.plan_status(plan_dir, true)?;
        if statuses.is_empty() {
            return Ok(Dirt::Clean);
        }
        if self.may_filter() {
            return Ok(Dirt::Unknown);
        }
        let prefix = prefix_of(plan_dir);
        let mut files = Vec::new();
        for entry in statuses.iter() {
            let Some(path) = entry.path().ok().and_then(|p| p.strip_prefix(&prefix)) else {
                return Ok(Dirt::Unknown);
            };
            if path.ends_with('/') || path.split('/').any(|part| part == ".gitattributes") {
                return Ok(Dirt::Unknown);
            }
            // The loader skips hidden files and folders, links among them.
            if !has_hidden_part(path) {
                files.push(path.to_string());
            }
        }
        if !self.index_vouches(&prefix)? {
            return Ok(Dirt::Unknown);
        }
        files.sort_unstable();
        Ok(Dirt::Files(files))
    }

    /// Paths under `plan_dir` (relative to it) modified or new in the working tree.
    pub fn dirty_paths(&self, plan_dir: &str) -> Result<HashSet<String>, Error> {
        let statuses = self.plan_status(plan_dir, false)?;
        let prefix = prefix_of(plan_dir);
        Ok(statuses
            .iter()
            .filter_map(|entry| {
                entry
                    .path()
                    .ok()
                    .and_then(|p| p.strip_prefix(&prefix))
                    .map(str::to_string)
            })
            .collect())
    }

    /// Whether checkout may rewrite a file's bytes: line endings converted, or attributes
    /// from outside the repository's tracked `.gitattributes`.
    fn may_filter(&self) -> bool {
        let Ok(config) = self.repo.config() else {
            return true;
        };
        let autocrlf = config.get_string("core.autocrlf").ok();
        let converts = autocrlf.is_some_and(|v| !v.eq_ignore_ascii_case("false"));
        converts
            || config.get_string("core.attributesFile").is_ok()
            || self.repo.path().join("info/attributes").exists()
    }

    /// Whether every tracked file under `prefix` reads from a git tree as the working-tree
    /// loader reads it from disk, so that a file the status leaves out equals its blob.
    fn index_vouches(&self, prefix: &str) -> Result<bool, Error> {
        let index = self
            .repo
            .index()
            .map_err(|e| git_error("cannot read git's index", &e))?;
        for entry in index.iter() {
            let Ok(path) = std::str::from_utf8(&entry.path) else {
                return Ok(false);
            };
            let name = path.rsplit('/').next().unwrap_or(path);
            if name == ".gitattributes" && attributes_reach(path, prefix) {
                return Ok(false);
            }
            let Some(rel) = path.strip_prefix(prefix) else {
                continue;
            };
            let link_or_submodule = matches!(entry.mode & 0o170_000, 0o120_000 | 0o160_000);
            let unlooked = git2::IndexEntryFlag::from_bits_truncate(entry.flags).is_valid()
                || git2::IndexEntryExtendedFlag::from_bits_truncate(entry.flags_extended)
                    .is_skip_worktree();
            let folder_named_like_a_file = rel
                .rsplit_once('/')
                .is_some_and(|(dirs, _)| dirs.split('/').any(is_plan_file));
            if link_or_submodule || unlooked || folder_named_like_a_file {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Status entries under `plan_dir`: modified, staged and untracked files, and with `ignored`
    /// ignored ones too.
    pub(super) fn plan_status(
        &self,
        plan_dir: &str,
        ignored: bool,
    ) -> Result<git2::Statuses<'_>, Error> {
        let mut options = git2::StatusOptions::new();
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(ignored);
        if !plan_dir.is_empty() {
            options.pathspec(plan_dir);
        }
        self.repo
            .statuses(Some(&mut options))
            .map_err(|e| git_error("cannot read the working tree's status", &e))
    }
}

/// What a status path under `plan_dir` starts with: the folder and a `/`, or nothing.
fn prefix_of(plan_dir: &str) -> String {
    match plan_dir {
        "" => String::new(),
        dir => format!("{dir}/"),
    }
}

/// Whether the `.gitattributes` at `path` applies to files under `prefix`: it sits in the
/// plan folder, below it, or in a folder above it.
fn attributes_reach(path: &str, prefix: &str) -> bool {
    let folder = path.strip_suffix(".gitattributes").unwrap_or(path);
    folder.starts_with(prefix) || prefix.starts_with(folder)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {out:?}");
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// A repository whose `plan/` holds a config and two items, committed.
    fn committed() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path();
        git(p, &["init", "-q", "-b", "main"]);
        write(&p.join("plan/roadlog.yaml"), "product: P\n");
        write(&p.join("plan/backlog/A-1.yaml"), "title: A\nstatus: todo\n");
        write(&p.join("plan/backlog/A-2.yaml"), "title: B\nstatus: todo\n");
        write(&p.join("web/.gitattributes"), "*.png binary\n");
        git(p, &["add", "-A"]);
        git(p, &["commit", "-q", "-m", "plan"]);
        dir
    }

    fn dirt(dir: &Path) -> Dirt {
        Repo::discover(dir, "")
            .expect("opens")
            .plan_dirt("plan")
            .expect("status")
    }

    #[test]
    fn the_status_names_the_files_that_differ_from_head() {
        let dir = committed();
        let p = dir.path();
        assert_eq!(
            dirt(p),
            Dirt::Clean,
            "attributes outside the plan do not count"
        );
        write(&p.join("plan/backlog/A-1.yaml"), "title: A\nstatus: done\n");
        std::fs::remove_file(p.join("plan/backlog/A-2.yaml")).expect("rm");
        write(&p.join("plan/backlog/A-3.yaml"), "title: C\nstatus: todo\n");
        write(&p.join("plan/backlog/.draft.yaml"), "title: D\n");
        write(&p.join("elsewhere.yaml"), "title: E\n");
        let files = ["backlog/A-1.yaml", "backlog/A-2.yaml", "backlog/A-3.yaml"];
        assert_eq!(dirt(p), Dirt::Files(files.map(String::from).to_vec()));
    }

    #[test]
    fn what_the_status_cannot_vouch_for_is_unknown() {
        let dirty = || {
            let dir = committed();
            write(
                &dir.path().join("plan/backlog/A-1.yaml"),
                "title: A\nstatus: done\n",
            );
            dir
        };
        let assumed = dirty();
        git(
            assumed.path(),
            &[
                "update-index",
                "--assume-unchanged",
                "plan/backlog/A-2.yaml",
            ],
        );
        let skipped = dirty();
        git(
            skipped.path(),
            &["update-index", "--skip-worktree", "plan/backlog/A-2.yaml"],
        );
        let converting = dirty();
        git(converting.path(), &["config", "core.autocrlf", "true"]);
        let attributed = dirty();
        write(
            &attributed.path().join("plan/.gitattributes"),
            "*.yaml text eol=crlf\n",
        );
        let ignored = dirty();
        write(&ignored.path().join(".gitignore"), "tmp/\n");
        write(
            &ignored.path().join("plan/backlog/tmp/A-9.yaml"),
            "title: I\n",
        );
        for (why, dir) in [
            ("assume-unchanged", assumed),
            ("skip-worktree", skipped),
            ("autocrlf", converting),
            ("attributes in the plan", attributed),
            ("an ignored folder", ignored),
        ] {
            assert_eq!(dirt(dir.path()), Dirt::Unknown, "{why}");
        }
    }

    #[test]
    fn attributes_reach_the_plan_from_above_and_within() {
        assert!(attributes_reach(".gitattributes", "plan/"));
        assert!(attributes_reach("plan/.gitattributes", "plan/"));
        assert!(attributes_reach("plan/backlog/.gitattributes", "plan/"));
        assert!(!attributes_reach("web/.gitattributes", "plan/"));
        assert!(!attributes_reach("planning/.gitattributes", "plan/"));
        assert!(attributes_reach(".gitattributes", ""));
    }
}
