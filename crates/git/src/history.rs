//! The plan's history: the commits that changed it, and when its files last changed.

use std::path::Path;

use super::{Repo, git_error};
use crate::error::Error;
use crate::model::PlanCommit;
use crate::time::Date;

impl Repo {
    /// Whether the repository has a commit at HEAD (a new repository has none).
    pub fn has_commits(&self) -> bool {
        self.repo.head().is_ok_and(|h| h.peel_to_commit().is_ok())
    }

    /// The commit `rev` names, with its day (in its own time zone).
    pub fn commit(&self, rev: &str) -> Result<PlanCommit, Error> {
        let commit = self
            .repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| git_error(&format!("cannot read the commit `{rev}`"), &e))?;
        Ok(PlanCommit {
            id: commit.id().to_string(),
            date: commit_date(&commit),
        })
    }

    /// Walks the first-parent history of `rev`, newest first, handing `visit` each commit with
    /// the plan paths it changed (relative to `plan_dir`; none when the plan is untouched), until
    /// `visit` returns false or the history ends. Only the plan folder's subtrees that differ
    /// are read: most commits touch a few files, and a libgit2 tree diff would walk every entry.
    pub fn walk_plan(
        &self,
        rev: &str,
        plan_dir: &str,
        mut visit: impl FnMut(Step) -> bool,
    ) -> Result<(), Error> {
        let mut commit = self
            .repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| git_error(&format!("cannot read the history of `{rev}`"), &e))?;
        loop {
            let parent = commit.parent(0).ok();
            let here = self.folder_tree(&commit, plan_dir);
            let before = parent.as_ref().and_then(|p| self.folder_tree(p, plan_dir));
            let changed = match &here {
                Some(tree) if before.as_ref().map(git2::Tree::id) != Some(tree.id()) => self
                    .compare(before.as_ref(), tree, None)
                    .map_err(|e| git_error("cannot compare commits", &e))?
                    .into_iter()
                    .map(|d| d.path)
                    .collect(),
                _ => Vec::new(),
            };
            let step = Step {
                commit: PlanCommit {
                    id: commit.id().to_string(),
                    date: commit_date(&commit),
                },
                parent: parent.as_ref().map(|p| p.id().to_string()),
                changed,
            };
            if !visit(step) {
                return Ok(());
            }
            match parent {
                Some(p) => commit = p,
                None => return Ok(()),
            }
        }
    }

    /// The bytes of the plan file `path` (relative to `plan_dir`) as committed at `rev`; `None`
    /// when it is not there, is not a file, or is too large to parse.
    pub fn blob_at(&self, rev: &str, plan_dir: &str, path: &str) -> Result<Option<Vec<u8>>, Error> {
        let full = if plan_dir.is_empty() {
            path.to_string()
        } else {
            format!("{plan_dir}/{path}")
        };
        let tree = self.tree(rev)?;
        let Ok(entry) = tree.get_path(Path::new(&full)) else {
            return Ok(None);
        };
        if entry.kind() != Some(git2::ObjectType::Blob) {
            return Ok(None);
        }
        match super::read::read_blob(&self.repo, entry.id()) {
            Ok(super::read::Blob::Read(blob)) => Ok(Some(blob.content().to_vec())),
            Ok(super::read::Blob::TooLarge(_)) => Ok(None),
            Err(e) => Err(git_error(&format!("cannot read `{full}` at `{rev}`"), &e)),
        }
    }

    /// The tree of the plan folder in `commit`, if it has one.
    fn folder_tree(&self, commit: &git2::Commit<'_>, plan_dir: &str) -> Option<git2::Tree<'_>> {
        let tree = commit.tree().ok()?;
        if plan_dir.is_empty() {
            return self.repo.find_tree(tree.id()).ok();
        }
        let entry = tree.get_path(Path::new(plan_dir)).ok()?;
        entry.to_object(&self.repo).ok()?.into_tree().ok()
    }
}

/// One commit of [`Repo::walk_plan`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The commit.
    pub commit: PlanCommit,
    /// Its first parent, if it has one.
    pub parent: Option<String>,
    /// The plan paths it changed, relative to the plan folder.
    pub changed: Vec<String>,
}

/// The day of a commit as `git log` shows it: in the time zone it was made in, not UTC.
fn commit_date(commit: &git2::Commit<'_>) -> Date {
    let time = commit.time();
    let local = time.seconds() + i64::from(time.offset_minutes()) * 60;
    Date::from_days_since_epoch(local.div_euclid(86_400))
}

impl Repo {
    /// The commits on the first-parent history of `rev` that changed anything under `plan_dir`,
    /// newest first, stopping before `since`. A commit changes the plan when the plan folder's
    /// tree id differs from its parent's, so no blob is read here.
    pub fn plan_commits(
        &self,
        rev: &str,
        plan_dir: &str,
        since: Option<Date>,
    ) -> Result<Vec<PlanCommit>, Error> {
        self.plan_log(rev, plan_dir, since)
            .map(|(commits, _)| commits)
    }

    /// [`Repo::plan_commits`], and the newest commit before `since` that holds the plan: the
    /// plan as it stood when the range began.
    pub fn plan_log(
        &self,
        rev: &str,
        plan_dir: &str,
        since: Option<Date>,
    ) -> Result<(Vec<PlanCommit>, Option<PlanCommit>), Error> {
        let mut commit = self
            .repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| git_error(&format!("cannot read the history of `{rev}`"), &e))?;
        let folder = |c: &git2::Commit<'_>| -> Option<git2::Oid> {
            let tree = c.tree().ok()?;
            if plan_dir.is_empty() {
                Some(tree.id())
            } else {
                tree.get_path(Path::new(plan_dir)).ok().map(|e| e.id())
            }
        };
        let mut out = Vec::new();
        loop {
            let date = commit_date(&commit);
            if since.is_some_and(|s| date < s) {
                let before = folder(&commit).is_some().then(|| PlanCommit {
                    id: commit.id().to_string(),
                    date,
                });
                return Ok((out, before));
            }
            let parent = commit.parent(0).ok();
            let here = folder(&commit);
            if here.is_some() && here != parent.as_ref().and_then(folder) {
                out.push(PlanCommit {
                    id: commit.id().to_string(),
                    date,
                });
            }
            match parent {
                Some(p) => commit = p,
                None => return Ok((out, None)),
            }
        }
    }
}
