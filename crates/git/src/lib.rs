//! Reading plans from git objects: the only module that imports git2.
//!
//! A revision's plan is read straight from the object database (no checkout, no `git` process)
//! into a [`MemoryTree`], which the ordinary loader then parses in parallel. `git2::Repository`
//! is not `Sync`, so blobs are read here, up front; parsing, the expensive part, stays parallel.

// Casts, string slices and indexing are checked here as in the engine (user text reaches
// them); tests may slice their own fixtures. A module that indexes its own tables says why.
#![cfg_attr(
    not(test),
    warn(
        clippy::cast_possible_truncation,
        clippy::cast_possible_wrap,
        clippy::cast_precision_loss,
        clippy::cast_sign_loss,
        clippy::string_slice,
        clippy::indexing_slicing
    )
)]

// The engine's modules, named as this crate uses them.
use roadlog_engine::{error, load, model, time};

mod blobs;
mod history;
mod locate;
mod read;
mod status;

use std::path::{Path, PathBuf};

pub use history::Step;
pub use locate::{plan_dir_at, work_tree_prefix};
pub use status::Dirt;

use crate::error::Error;
use crate::load::CONFIG_FILE;

/// An open repository.
pub struct Repo {
    repo: git2::Repository,
}

/// The help for errors that mean objects are broken or missing.
const DAMAGED: &str =
    "the repository looks damaged; `git fsck` lists the broken or missing objects";

fn git_error(context: &str, e: &git2::Error) -> Error {
    let damaged = matches!(
        e.class(),
        git2::ErrorClass::Odb | git2::ErrorClass::Zlib | git2::ErrorClass::Object
    );
    Error::git(format!("{context}: {}", e.message())).maybe_help(damaged.then(|| DAMAGED.into()))
}

/// Sets libgit2's process-wide options once, from the binary: the library never flips global
/// state behind a caller's back.
pub fn configure_process() {
    // Like git, which re-hashes objects only in `git fsck`; libgit2 re-hashes every object it
    // reads, a tenth of a large diff. Damage still shows: zlib checks each object.
    git2::opts::strict_hash_verification(false);
}

/// Git's `user.email` outside any repository: the user's and the system's config.
pub fn global_user_email() -> Option<String> {
    git2::Config::open_default()
        .ok()?
        .get_string("user.email")
        .ok()
}

impl Repo {
    /// Opens the repository holding `start` (searching upwards, as git does). `need` says what
    /// the command wants git for, to word the error when there is no repository.
    pub fn discover(start: &Path, need: &str) -> Result<Repo, Error> {
        // Like git, stop searching at GIT_CEILING_DIRECTORIES.
        let ceilings: Vec<PathBuf> = std::env::var_os("GIT_CEILING_DIRECTORIES")
            .map(|v| {
                std::env::split_paths(&v)
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default();
        git2::Repository::open_ext(start, git2::RepositoryOpenFlags::empty(), &ceilings)
            .map(|repo| Repo { repo })
            .map_err(|e| open_error(start, need, &e))
    }

    /// Git's `user.email` as this repository sees it (its own config, then the user's and the
    /// system's).
    pub fn user_email(&self) -> Option<String> {
        self.repo.config().ok()?.get_string("user.email").ok()
    }

    /// The repository's own folder (`.git`, or a linked work tree's folder inside it).
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    /// The work tree's root, or `None` for a bare repository.
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// Whether this is a shallow clone (history cut off).
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    fn tree(&self, rev: &str) -> Result<git2::Tree<'_>, Error> {
        let object = self.repo.revparse_single(rev).map_err(|e| {
            let dangling = self
                .repo
                .resolve_reference_from_short_name(rev)
                .ok()
                .and_then(|r| r.target());
            if let Some(id) = dangling {
                Error::git(format!(
                    "revision `{rev}` points at object {id}, which is missing from the repository"
                ))
                .with_help(DAMAGED)
            } else if !self.has_commits() {
                Error::git(format!(
                    "the repository has no commits yet, so `{rev}` names nothing"
                ))
                .with_help("commit the plan first (`git add` and `git commit`)")
            } else if e.code() == git2::ErrorCode::NotFound
                || e.class() == git2::ErrorClass::Reference
            {
                Error::git(format!("revision `{rev}` does not exist in this repository"))
                    .with_help("check the name with `git rev-parse`; a branch of a remote is `origin/NAME`, and a CI checkout needs `fetch-depth: 0` to have it")
            } else {
                git_error(&format!("cannot resolve `{rev}`"), &e)
            }
        })?;
        object
            .peel_to_tree()
            .map_err(|e| git_error(&format!("`{rev}` does not name a commit or tree"), &e))
    }

    /// Whether `path` (relative to the repository root) is a file at `rev`.
    pub fn has_file(&self, rev: &str, path: &str) -> Result<bool, Error> {
        let tree = self.tree(rev)?;
        Ok(tree
            .get_path(Path::new(path))
            .is_ok_and(|e| e.kind() == Some(git2::ObjectType::Blob)))
    }

    /// Whether `plan_dir` holds a `roadlog.yaml` at `rev`.
    pub fn has_plan(&self, rev: &str, plan_dir: &str) -> Result<bool, Error> {
        match plan_dir {
            "" => self.has_file(rev, CONFIG_FILE),
            dir => self.has_file(rev, &format!("{dir}/{CONFIG_FILE}")),
        }
    }

    /// Whether the plan folder is the same tree at `a` and `b` (false when either lacks it).
    pub fn same_plan(&self, a: &str, b: &str, plan_dir: &str) -> bool {
        match (self.plan_tree(a, plan_dir), self.plan_tree(b, plan_dir)) {
            (Ok(x), Ok(y)) => x.id() == y.id(),
            _ => false,
        }
    }

    /// The tree of the plan folder at `rev`.
    fn plan_tree(&self, rev: &str, plan_dir: &str) -> Result<git2::Tree<'_>, Error> {
        let root = self.tree(rev)?;
        if plan_dir.is_empty() {
            return Ok(root);
        }
        let entry = root
            .get_path(Path::new(plan_dir))
            .map_err(|_| Error::git(format!("`{plan_dir}` does not exist at `{rev}`")))?;
        entry
            .to_object(&self.repo)
            .and_then(|o| o.peel_to_tree())
            .map_err(|_| Error::git(format!("`{plan_dir}` is not a folder at `{rev}`")))
    }
}

/// Why a repository could not be opened, in git's own words, with the fix.
fn open_error(start: &Path, need: &str, e: &git2::Error) -> Error {
    let at = start.display();
    match e.code() {
        git2::ErrorCode::NotFound => Error::git(format!("{at} is not inside a git repository; {need}"))
            .with_help("run roadlog inside a clone of the plan's repository, or point --plan at a plan inside one"),
        git2::ErrorCode::Owner => Error::git(format!(
            "git refuses to open the repository holding {at}: it is owned by another user ({})",
            e.message()
        ))
        .with_help(format!(
            "if you trust it, mark it safe: `git config --global --add safe.directory {}`",
            canonical(start).display()
        )),
        _ => Error::git(format!("cannot open the git repository holding {at}: {}", e.message()))
            .with_help(
                "check that you can read its `.git` folder; if it is damaged, `git fsck` says what is broken",
            ),
    }
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository whose commit holds `backlog/B.yaml` as a blob whose stored bytes are another
    /// blob's: what git calls a hash mismatch.
    fn tampered() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = git2::Repository::init(dir.path()).expect("init");
        let config = repo.blob(b"").expect("blob");
        let a = repo.blob(b"title: A\nstatus: todo\n").expect("blob");
        let b = repo.blob(b"title: B\nstatus: todo\n").expect("blob");
        let loose = |id: git2::Oid| {
            let hex = id.to_string();
            dir.path()
                .join(".git/objects")
                .join(&hex[..2])
                .join(&hex[2..])
        };
        let stored = std::fs::read(loose(a)).expect("object");
        let path = loose(b);
        let mut perms = std::fs::metadata(&path).expect("object").permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&path, perms).expect("chmod");
        std::fs::write(&path, stored).expect("tamper");
        let mut backlog = repo.treebuilder(None).expect("builder");
        backlog.insert("B.yaml", b, 0o100_644).expect("insert");
        let backlog = backlog.write().expect("tree");
        let mut root = repo.treebuilder(None).expect("builder");
        root.insert(CONFIG_FILE, config, 0o100_644).expect("insert");
        root.insert("backlog", backlog, 0o040_000).expect("insert");
        let tree = repo.find_tree(root.write().expect("tree")).expect("tree");
        let who = git2::Signature::now("Test", "test@example.com").expect("signature");
        repo.commit(Some("HEAD"), &who, &who, "tampered", &tree, &[])
            .expect("commit");
        dir
    }

    #[test]
    fn the_library_leaves_libgit2s_process_options_alone() {
        // libgit2 verifies object hashes unless a caller turns it off; only the binary may
        // (`configure_process`), so opening a repository must not turn it off for everyone.
        let dir = tampered();
        let repo = Repo::discover(dir.path(), "").expect("opens");
        let read = repo.plan_at("HEAD", "");
        assert!(
            read.is_err(),
            "a tampered blob is refused while hash verification is on"
        );
    }
}
