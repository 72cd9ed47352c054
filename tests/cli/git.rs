//! `--rev`: plans read from git objects, in a normal clone, a bare repository, a worktree and a
//! detached HEAD. Repositories are built with the `git` binary at fixed dates.

use std::path::Path;
use std::process::Command;

use crate::{TODAY, run, run_with};

/// Runs git in `dir` with pinned identity and dates, so commits are reproducible.
pub(crate) fn git(dir: &Path, args: &[&str]) {
    git_at(dir, "2025-08-01T12:00:00Z", args);
}

/// Runs git with commits dated `date`.
pub(crate) fn git_at(dir: &Path, date: &str, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub(crate) fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A repository whose plan lives in `product/plan`: the first commit has an open item and
/// a typo in a theme link; the second closes A-1 and fixes A-3.
pub(crate) fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    let plan = root.join("product/plan");
    write(&plan.join("roadlog.yaml"), "product: Git Co\n");
    write(
        &plan.join("roadmap/core.yaml"),
        "title: Core\nobjective: O\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n",
    );
    write(
        &plan.join("backlog/A-1.yaml"),
        "title: A\nstatus: todo\ntheme: core\nestimate: 2\n",
    );
    write(
        &plan.join("backlog/A-2.yaml"),
        "title: B\nstatus: done\ntheme: core\nestimate: 2\n",
    );
    write(
        &plan.join("backlog/A-3.yaml"),
        "title: C\nstatus: done\ntheme: cor\nestimate: 2\n",
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "first"]);
    write(
        &plan.join("backlog/A-1.yaml"),
        "title: A\nstatus: done\ntheme: core\nestimate: 2\n",
    );
    write(
        &plan.join("backlog/A-3.yaml"),
        "title: C\nstatus: done\ntheme: core\nestimate: 2\n",
    );
    git(root, &["commit", "-q", "-am", "second"]);
    dir
}

fn progress(json: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(json).expect("json");
    v["themes"][0]["progress"].clone()
}

#[test]
fn rev_reads_an_old_commit_without_a_checkout() {
    let dir = repo();
    let sub = dir.path().join("product/plan/backlog");
    let now = run_with(
        crate::roadlog()
            .current_dir(&sub)
            .args(["progress", "--format", "json", "--today", TODAY]),
    );
    assert_eq!(now.code, 0, "{}", now.stderr);
    assert_eq!(progress(&now.stdout), 1.0);
    let old = run_with(crate::roadlog().current_dir(&sub).args([
        "progress", "--format", "json", "--today", TODAY, "--rev", "HEAD~1", "-q",
    ]));
    assert_eq!(old.code, 0, "{}", old.stderr);
    assert_eq!(
        progress(&old.stdout),
        0.5,
        "HEAD~1 had A-1 open and A-3 on an unknown theme"
    );
    let check = run_with(crate::roadlog().current_dir(&sub).args([
        "check", "--format", "json", "--today", TODAY, "--rev", "main~1",
    ]));
    assert_eq!(check.code, 1);
    let v: serde_json::Value = serde_json::from_str(&check.stdout).expect("json");
    assert_eq!(v["diagnostics"][0]["rule"], "unknown-theme");
    assert_eq!(v["diagnostics"][0]["file"], "backlog/A-3.yaml");
    assert_eq!(v["diagnostics"][0]["line"], 3);
    // The working tree is untouched: reading a revision writes nothing.
    assert!(
        std::fs::read_to_string(sub.join("A-3.yaml"))
            .expect("read")
            .contains("theme: core")
    );
}

#[test]
fn rev_annotations_carry_the_plan_folder() {
    let dir = repo();
    let out = run_with(crate::roadlog().current_dir(dir.path()).args([
        "check",
        "--format",
        "github",
        "--today",
        TODAY,
        "--rev",
        "HEAD~1",
        "--plan",
        "product/plan",
    ]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.starts_with(
            "::error file=product/plan/backlog/A-3.yaml,line=3,col=8,title=unknown-theme::"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn a_revision_that_does_not_exist_is_exit_2_naming_it() {
    let dir = repo();
    let out = run_with(
        crate::roadlog()
            .current_dir(dir.path().join("product/plan"))
            .args(["check", "--rev", "no-such-branch"]),
    );
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: revision `no-such-branch` does not exist in this repository\n  help: check the name \
         with `git rev-parse`; a branch of a remote is `origin/NAME`, and a CI checkout needs \
         `fetch-depth: 0` to have it\n"
    );
}

#[test]
fn rev_outside_a_repository_is_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("roadlog.yaml"), "").expect("write");
    let out = run(&[
        "check",
        "--rev",
        "HEAD",
        "--plan",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is not inside a git repository"),
        "{}",
        out.stderr
    );
}

#[test]
fn rev_works_in_a_bare_repository() {
    let dir = repo();
    let bare = tempfile::tempdir().expect("tempdir");
    git(
        bare.path(),
        &[
            "clone",
            "-q",
            "--bare",
            dir.path().to_str().expect("utf-8"),
            "repo.git",
        ],
    );
    let git_dir = bare.path().join("repo.git");
    let out = run_with(crate::roadlog().current_dir(&git_dir).args([
        "progress",
        "--format",
        "json",
        "--today",
        TODAY,
        "--rev",
        "HEAD",
        "--plan",
        "product/plan",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(progress(&out.stdout), 1.0);
    let missing = run_with(
        crate::roadlog()
            .current_dir(&git_dir)
            .args(["check", "--rev", "HEAD"]),
    );
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("no roadlog.yaml in the repository root at `HEAD`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn rev_works_in_a_linked_worktree_and_on_a_detached_head() {
    let dir = repo();
    let wt = tempfile::tempdir().expect("tempdir");
    let wt_path = wt.path().join("wt");
    git(
        dir.path(),
        &[
            "worktree",
            "add",
            "-q",
            "--detach",
            wt_path.to_str().expect("utf-8"),
            "HEAD~1",
        ],
    );
    let plan = wt_path.join("product/plan");
    // The worktree's files are the first commit; --rev main reads the second.
    let files = run_with(
        crate::roadlog()
            .current_dir(&plan)
            .args(["progress", "--format", "json", "--today", TODAY, "-q"]),
    );
    assert_eq!(progress(&files.stdout), 0.5);
    let main = run_with(crate::roadlog().current_dir(&plan).args([
        "progress", "--format", "json", "--today", TODAY, "--rev", "main", "-q",
    ]));
    assert_eq!(main.code, 0, "{}", main.stderr);
    assert_eq!(progress(&main.stdout), 1.0);
    let head = run_with(crate::roadlog().current_dir(&plan).args([
        "progress", "--format", "json", "--today", TODAY, "--rev", "HEAD", "-q",
    ]));
    assert_eq!(
        progress(&head.stdout),
        0.5,
        "HEAD of a detached worktree is its own commit"
    );
}

fn diff(dir: &Path, args: &[&str]) -> crate::Run {
    let mut all = vec!["diff", "--today", TODAY];
    all.extend(args);
    run_with(
        crate::roadlog()
            .current_dir(dir.join("product/plan"))
            .args(&all),
    )
}

/// The (rule, file) of each finding a diff's JSON lists under `key`.
fn rule_files<'a>(v: &'a serde_json::Value, key: &str) -> Vec<(&'a str, &'a str)> {
    v[key]
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or(""),
                f["file"].as_str().unwrap_or(""),
            )
        })
        .collect()
}

/// The id of each entry a diff's JSON lists under `key`.
fn ids<'a>(v: &'a serde_json::Value, key: &str) -> Vec<&'a str> {
    let list = v[key].as_array().expect("a list");
    list.iter()
        .map(|e| e["id"].as_str().unwrap_or(""))
        .collect()
}

/// Requires a diff against the working tree to equal `committed`, the same change committed,
/// but for the name of each side.
fn assert_same_as_committed(mut worktree: serde_json::Value, committed: &serde_json::Value) {
    assert_eq!(worktree["head"], "working tree");
    worktree["base"] = committed["base"].clone();
    worktree["head"] = committed["head"].clone();
    assert_eq!(&worktree, committed);
}

#[test]
fn diff_between_two_commits() {
    let dir = repo();
    let out = diff(dir.path(), &["HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        v["status_changes"],
        serde_json::json!([{"id": "A-1", "title": "A", "old": "todo", "new": "done"}])
    );
    assert_eq!(
        v["items_retraced"],
        serde_json::json!([{"id": "A-3", "title": "C", "old": null, "new": "core"}])
    );
    assert_eq!(
        v["progress"],
        serde_json::json!([{"id": "core", "title": "Core", "old": 0.5, "new": 1.0}])
    );
    assert_eq!(v["findings_fixed"][0]["rule"], "unknown-theme");
    assert_eq!(v["findings_introduced"], serde_json::json!([]));
    assert_eq!(v["themes_changed"], serde_json::json!([]));
    insta::assert_snapshot!(
        "diff_commits__table",
        diff(dir.path(), &["HEAD~1", "HEAD"]).stdout
    );
}

/// The change touches two files; the answer depends on files it did not touch: the stories
/// under the epic weigh the theme's progress, and the item serving the removed theme now
/// points nowhere. Files no id of the change reaches (`other`) must not show.
#[test]
fn diff_between_commits_sees_what_untouched_files_make_of_the_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    let plan = root.join("product/plan");
    let theme = "title: T\nobjective: O\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n";
    write(&plan.join("roadlog.yaml"), "product: Reach\n");
    write(&plan.join("roadmap/core.yaml"), theme);
    write(&plan.join("roadmap/old.yaml"), theme);
    write(&plan.join("roadmap/other.yaml"), theme);
    write(
        &plan.join("backlog/E-1.yaml"),
        "title: Epic\nkind: epic\nstatus: in-progress\ntheme: core\n",
    );
    write(
        &plan.join("backlog/deep/S-1.yaml"),
        "title: S1\nstatus: done\nparent: E-1\nestimate: 2\n",
    );
    write(
        &plan.join("backlog/S-2.yaml"),
        "title: S2\nstatus: todo\nparent: E-1\nestimate: 2\n",
    );
    write(
        &plan.join("backlog/X-1.yaml"),
        "title: X\nstatus: todo\ntheme: old\n",
    );
    write(
        &plan.join("backlog/O-1.yaml"),
        "title: O\nstatus: todo\ntheme: other\nparent: O-9\n",
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "first"]);
    write(
        &plan.join("backlog/S-2.yaml"),
        "title: S2\nstatus: done\nparent: E-1\nestimate: 2\n",
    );
    std::fs::remove_file(plan.join("roadmap/old.yaml")).expect("rm");
    git(root, &["commit", "-q", "-am", "second"]);

    let out = diff(root, &["HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        v["progress"],
        serde_json::json!([{"id": "core", "title": "T", "old": 0.5, "new": 1.0}])
    );
    assert_eq!(
        v["themes_removed"],
        serde_json::json!([{"id": "old", "title": "T"}])
    );
    assert_eq!(
        rule_files(&v, "findings_introduced"),
        [("unknown-theme", "backlog/X-1.yaml")]
    );
    assert_eq!(v["findings_fixed"], serde_json::json!([]));
    // A clean working tree is HEAD: the same answer, by the same road.
    let worktree = diff(root, &["HEAD~1", "--format", "json"]);
    let w: serde_json::Value = serde_json::from_str(&worktree.stdout).expect("json");
    assert_eq!(w["base"], v["base"]);
    assert_same_as_committed(w, &v);
    // The same change left uncommitted: the working tree is read, and gives the same answer.
    git(root, &["reset", "-q", "--soft", "HEAD~1"]);
    let dirty = diff(root, &["--format", "json"]);
    assert_eq!(dirty.code, 0, "{}", dirty.stderr);
    let d: serde_json::Value = serde_json::from_str(&dirty.stdout).expect("json");
    assert_eq!(d["base"], "HEAD");
    assert_same_as_committed(d, &v);
}

/// Against a dirty working tree only the files git's status names are read, over HEAD's tree:
/// an edit, a removal, a new file, an ignored one and a file put back as the base had it read
/// as the same change committed does.
#[test]
fn diff_reads_the_files_git_names_over_head_as_the_change_committed() {
    let dir = repo();
    let root = dir.path();
    let plan = root.join("product/plan");
    write(&root.join(".gitignore"), "*.local.yaml\n");
    git(root, &["add", ".gitignore"]);
    git(root, &["commit", "-q", "-m", "ignore"]);
    // A-3 as the base (HEAD~2) had it: unchanged against the base, though dirty against HEAD.
    write(
        &plan.join("backlog/A-3.yaml"),
        "title: C\nstatus: done\ntheme: cor\nestimate: 2\n",
    );
    std::fs::remove_file(plan.join("backlog/A-2.yaml")).expect("rm");
    write(
        &plan.join("backlog/A-4.yaml"),
        "title: D\nstatus: todo\ntheme: core\nestimate: 3\n",
    );
    write(
        &plan.join("backlog/A-5.local.yaml"),
        "title: E\nstatus: done\ntheme: core\nestimate: 1\n",
    );
    write(
        &plan.join("roadmap/core.yaml"),
        "title: Core\nobjective: O\nstatus: active\nhorizon: 2025-Q4\nreviewed: 2025-08-01\n",
    );
    let dirty = diff(root, &["HEAD~2", "--format", "json"]);
    assert_eq!(dirty.code, 0, "{}", dirty.stderr);
    let d: serde_json::Value = serde_json::from_str(&dirty.stdout).expect("json");
    assert_eq!(
        ids(&d, "items_added"),
        ["A-4", "A-5.local"],
        "{}",
        dirty.stdout
    );
    assert_eq!(ids(&d, "items_removed"), ["A-2"]);
    assert_eq!(ids(&d, "status_changes"), ["A-1"]);
    assert_eq!(
        ids(&d, "items_retraced"),
        [""; 0],
        "A-3 is as the base had it"
    );
    git(root, &["add", "-A", "-f"]);
    git(root, &["commit", "-q", "-m", "the same change"]);
    let committed = diff(root, &["HEAD~3", "HEAD", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&committed.stdout).expect("json");
    assert_same_as_committed(d, &v);
}

/// A file git was told not to look at is read from the working tree all the same.
#[test]
fn diff_reads_a_file_git_assumes_unchanged_from_the_working_tree() {
    let dir = repo();
    let root = dir.path();
    let plan = root.join("product/plan");
    git(
        root,
        &[
            "update-index",
            "--assume-unchanged",
            "product/plan/backlog/A-2.yaml",
        ],
    );
    write(
        &plan.join("backlog/A-2.yaml"),
        "title: B\nstatus: in-progress\ntheme: core\nestimate: 2\n",
    );
    write(
        &plan.join("backlog/A-1.yaml"),
        "title: A\nstatus: in-progress\ntheme: core\nestimate: 2\n",
    );
    let out = diff(root, &["--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(ids(&v, "status_changes"), ["A-1", "A-2"], "{}", out.stdout);
}

/// The working tree is read as `check` reads it: links inside the plan followed, a link out of
/// it or a loop reported, where git's tree holds links as links.
#[cfg(unix)]
#[test]
fn diff_reads_the_working_tree_as_check_does() {
    let dir = repo();
    let root = dir.path();
    let plan = root.join("product/plan");
    std::os::unix::fs::symlink("A-2.yaml", plan.join("backlog/B-2.yaml")).expect("link");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "a link"]);
    let outside = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(outside.path(), plan.join("backlog/elsewhere")).expect("link");
    write(
        &plan.join("backlog/A-1.yaml"),
        "title: A\nstatus: in-progress\ntheme: core\nestimate: 2\n",
    );
    let out = diff(root, &["--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    // Git holds B-2 as a link it does not follow; on disk it is A-2's twin.
    assert_eq!(
        rule_files(&v, "findings_fixed"),
        [("unreadable-file", "backlog/B-2.yaml")]
    );
    let introduced = rule_files(&v, "findings_introduced");
    assert!(
        introduced.contains(&("unreadable-file", "backlog/elsewhere")),
        "{introduced:?}"
    );
    assert_eq!(v["items_added"][0]["id"], "B-2", "{}", out.stdout);
    // Reopening A-1 leaves and A-2's twin done on disk: 6 of 8 points, not 4 of 6.
    assert_eq!(
        v["progress"],
        serde_json::json!([{"id": "core", "title": "Core", "old": 1.0, "new": 0.75}])
    );
}

#[test]
fn diff_head_against_a_dirty_working_tree_reads_like_a_review() {
    let dir = repo();
    let plan = dir.path().join("product/plan");
    write(
        &plan.join("roadmap/core.yaml"),
        "title: Core\nobjective: O\nstatus: active\nhorizon: 2025-Q4\nreviewed: 2025-08-01\n",
    );
    write(
        &plan.join("roadmap/next.yaml"),
        "title: Next bet\nobjective: O\nstatus: proposed\nhorizon: later\n",
    );
    write(
        &plan.join("backlog/A-2.yaml"),
        "title: B\nstatus: todo\ntheme: core\nestimate: 2\n",
    );
    write(
        &plan.join("backlog/A-4.yaml"),
        "title: D\nstatus: todo\ntheme: nope\n",
    );
    let out = diff(dir.path(), &["--format", "markdown"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("diff_worktree__markdown", out.stdout);
    let strict = diff(dir.path(), &["--fail-on", "new-errors", "--format", "json"]);
    assert_eq!(strict.code, 1, "A-4 introduces an unknown-theme error");
    let v: serde_json::Value = serde_json::from_str(&strict.stdout).expect("json");
    assert_eq!(
        v["themes_changed"],
        serde_json::json!([{"id": "core", "title": "Core", "changes": [{"field": "horizon", "old": "2025-Q3", "new": "2025-Q4"}]}])
    );
    assert_eq!(
        v["themes_added"],
        serde_json::json!([{"id": "next", "title": "Next bet"}])
    );
}

/// A backlog folder that links out of the plan is one problem with the folder itself, which
/// the in-memory copy of the working tree cannot list; the diff still reads it as `check` does.
#[cfg(unix)]
#[test]
fn diff_reads_a_working_tree_it_cannot_copy_as_check_does() {
    let dir = repo();
    let backlog = dir.path().join("product/plan/backlog");
    let outside = tempfile::tempdir().expect("tempdir");
    let moved = outside.path().join("backlog");
    std::fs::rename(&backlog, &moved).expect("move");
    std::os::unix::fs::symlink(&moved, &backlog).expect("link");
    let out = diff(dir.path(), &["--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["items_removed"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["findings_introduced"][0]["rule"], "unreadable-file");
    assert_eq!(v["findings_introduced"][0]["file"], "backlog");
}

#[test]
fn diff_of_an_unchanged_plan_is_silent_in_markdown() {
    let dir = repo();
    let out = diff(
        dir.path(),
        &["--format", "markdown", "--fail-on", "new-errors"],
    );
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
    let table = diff(dir.path(), &[]);
    assert_eq!(
        table.stdout,
        "No change to the plan between `HEAD` and `working tree`.\n"
    );
    // Removing an error and adding nothing new passes the gate.
    assert_eq!(
        diff(dir.path(), &["HEAD~1", "HEAD", "--fail-on", "new-errors"]).code,
        0
    );
}

#[test]
fn diff_takes_its_shortcut_only_when_git_shows_the_plan_untouched() {
    let dir = repo();
    let root = dir.path();
    let plan = root.join("product/plan");
    // A commit outside the plan: the plan trees are equal, so nothing changed.
    write(&root.join("README.md"), "hello\n");
    git(root, &["add", "README.md"]);
    git(root, &["commit", "-q", "-m", "docs"]);
    let out = diff(root, &["HEAD~1", "HEAD", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["items_added"], serde_json::json!([]), "{}", out.stdout);
    assert_eq!(v["progress"], serde_json::json!([]));
    // Staged, untracked and ignored plan files are all changes the full diff must read.
    let added = |r: &crate::Run| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
        v["items_added"]
            .as_array()
            .expect("array")
            .iter()
            .map(|i| i["id"].as_str().expect("id").to_string())
            .collect()
    };
    write(
        &plan.join("backlog/U-1.yaml"),
        "title: U\nstatus: todo\ntheme: core\n",
    );
    assert_eq!(added(&diff(root, &["--format", "json"])), ["U-1"]);
    write(&root.join(".gitignore"), "I-*.yaml\n");
    std::fs::remove_file(plan.join("backlog/U-1.yaml")).expect("remove");
    write(
        &plan.join("backlog/I-1.yaml"),
        "title: I\nstatus: todo\ntheme: core\n",
    );
    assert_eq!(added(&diff(root, &["--format", "json"])), ["I-1"]);
    std::fs::remove_file(plan.join("backlog/I-1.yaml")).expect("remove");
    write(
        &plan.join("backlog/S-1.yaml"),
        "title: S\nstatus: todo\ntheme: core\n",
    );
    git(root, &["add", "product/plan/backlog/S-1.yaml"]);
    assert_eq!(added(&diff(root, &["--format", "json"])), ["S-1"]);
    // Against an older base, an untouched working tree still shows what the commits changed.
    git(root, &["reset", "-q", "--hard"]);
    let out = diff(root, &["HEAD~2", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["status_changes"][0]["id"], "A-1", "{}", out.stdout);
}

#[test]
fn diff_against_a_base_without_the_plan_shows_everything_added() {
    let dir = repo();
    git(dir.path(), &["checkout", "-q", "--orphan", "empty"]);
    git(dir.path(), &["rm", "-rq", "--cached", "."]);
    git(
        dir.path(),
        &["commit", "-q", "--allow-empty", "-m", "empty"],
    );
    let out = diff(dir.path(), &["empty", "main", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["themes_added"].as_array().expect("array").len(), 1);
    assert_eq!(v["items_added"].as_array().expect("array").len(), 3);
}

/// A plan whose items were committed on 2025-01-01; O-2 was touched again on 2025-08-01.
fn aging_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(
        &root.join("roadlog.yaml"),
        "stale_item_days: 90\nrules:\n  orphan-item: off\n",
    );
    write(
        &root.join("backlog/O-1.yaml"),
        "title: Old and open\nstatus: todo\n",
    );
    write(
        &root.join("backlog/O-2.yaml"),
        "title: Old, touched lately\nstatus: todo\n",
    );
    write(
        &root.join("backlog/D-1.yaml"),
        "title: Old and done\nstatus: done\n",
    );
    git_at(root, "2025-01-01T12:00:00Z", &["add", "-A"]);
    git_at(root, "2025-01-01T12:00:00Z", &["commit", "-q", "-m", "old"]);
    write(
        &root.join("backlog/O-2.yaml"),
        "title: Old, touched lately\nstatus: in-progress\n",
    );
    git_at(
        root,
        "2025-08-01T12:00:00Z",
        &["commit", "-q", "-am", "recent"],
    );
    dir
}

fn stale_items(dir: &Path, extra: &[&str]) -> (Vec<String>, serde_json::Value) {
    stale_items_at(dir, TODAY, extra)
}

fn stale_items_at(dir: &Path, today: &str, extra: &[&str]) -> (Vec<String>, serde_json::Value) {
    let mut args = vec!["check", "--format", "json", "--today", today];
    args.extend(extra);
    let out = run_with(crate::roadlog().current_dir(dir).args(&args));
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let files = v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["rule"] == "stale-item")
        .map(|d| d["file"].as_str().expect("file").to_string())
        .collect();
    (files, v["skipped"].clone())
}

#[test]
fn stale_item_fires_for_open_items_untouched_in_git() {
    let dir = aging_repo();
    let (stale, skipped) = stale_items(dir.path(), &[]);
    assert_eq!(
        stale,
        vec!["backlog/O-1.yaml"],
        "O-2 changed within 90 days; D-1 is done"
    );
    assert_eq!(
        skipped,
        serde_json::json!([{"rule": "sprint-misaligned", "reason": "no current sprint: set `current_sprint`, or give `sprints` a sprint covering 2025-08-15"}])
    );
    // An uncommitted edit counts as a change; --rev reads only the commits.
    write(
        &dir.path().join("backlog/O-1.yaml"),
        "title: Old and open\nstatus: todo\nestimate: 1\n",
    );
    assert_eq!(stale_items(dir.path(), &[]).0, Vec::<String>::new());
    assert_eq!(
        stale_items(dir.path(), &["--rev", "HEAD"]).0,
        vec!["backlog/O-1.yaml"]
    );
    // Later, O-2's change is old too.
    let (later, _) = stale_items_at(dir.path(), "2025-12-01", &["--rev", "HEAD"]);
    assert_eq!(later, vec!["backlog/O-1.yaml", "backlog/O-2.yaml"]);
}

#[test]
fn stale_item_is_one_finding_per_file_saying_how_old_it_is() {
    let dir = aging_repo();
    let root = dir.path();
    write(
        &root.join("backlog/S.yaml"),
        "id: S-1\ntitle: One\nstatus: todo\n---\nid: S-2\ntitle: Two\nstatus: blocked\n---\n\
         id: S-3\ntitle: Three\nstatus: in-progress\n---\nid: S-4\ntitle: Done\nstatus: done\n",
    );
    git_at(root, "2025-02-01T12:00:00Z", &["add", "-A"]);
    git_at(
        root,
        "2025-02-01T12:00:00Z",
        &["commit", "-q", "-m", "stream"],
    );
    let out = run_with(
        crate::roadlog()
            .current_dir(root)
            .args(["check", "--format", "json", "--today", TODAY]),
    );
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let stale: Vec<(&str, &str)> = v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["rule"] == "stale-item")
        .map(|d| {
            (
                d["file"].as_str().expect("file"),
                d["message"].as_str().expect("message"),
            )
        })
        .collect();
    assert_eq!(
        stale,
        [
            (
                "backlog/O-1.yaml",
                "`O-1` is open and its file last changed in git 226 days ago, on 2025-01-01"
            ),
            (
                "backlog/S.yaml",
                "`S-1` and 2 more items are open and its file last changed in git 195 days ago, on 2025-02-01"
            ),
        ]
    );
}

#[test]
fn history_rules_are_skipped_in_a_shallow_clone_saying_how_to_fix_it() {
    let dir = aging_repo();
    let shallow = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", dir.path().display());
    git(
        shallow.path(),
        &["clone", "-q", "--depth", "1", &url, "clone"],
    );
    let (stale, skipped) = stale_items(&shallow.path().join("clone"), &[]);
    assert_eq!(stale, Vec::<String>::new());
    let skipped = skipped.as_array().expect("skipped");
    let rules: Vec<&str> = skipped.iter().filter_map(|s| s["rule"].as_str()).collect();
    assert_eq!(rules, ["stale-item", "suspect-item", "sprint-misaligned"]);
    for skip in &skipped[..2] {
        let reason = skip["reason"].as_str().expect("reason");
        assert!(
            reason.contains("shallow clone") && reason.contains("fetch-depth: 0"),
            "{reason}"
        );
    }
}

#[test]
fn stale_item_is_skipped_in_a_repository_without_commits() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q"]);
    write(&dir.path().join("roadlog.yaml"), "");
    let (_, skipped) = stale_items(dir.path(), &[]);
    assert_eq!(
        skipped[0],
        serde_json::json!({"rule": "stale-item", "reason": "the repository has no commits yet"})
    );
}

/// Four items done one after another across July 2025, with a commit outside the plan between.
fn progressing_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(&root.join("plan/roadlog.yaml"), "progress_by: count\n");
    write(
        &root.join("plan/roadmap/core.yaml"),
        "title: Core\nobjective: O\nstatus: active\nhorizon: 2025-Q3\n",
    );
    for n in 1..=4 {
        write(
            &root.join(format!("plan/backlog/W-{n}.yaml")),
            "title: W\nstatus: todo\ntheme: core\n",
        );
    }
    git_at(root, "2025-07-01T09:00:00Z", &["add", "-A"]);
    git_at(
        root,
        "2025-07-01T09:00:00Z",
        &["commit", "-q", "-m", "plan"],
    );
    for (date, done) in [
        ("2025-07-08T09:00:00Z", &[1][..]),
        ("2025-07-09T09:00:00Z", &[2]),
        ("2025-07-20T09:00:00Z", &[3, 4]),
    ] {
        write(&root.join("README.md"), date);
        git_at(root, date, &["add", "README.md"]);
        git_at(root, date, &["commit", "-q", "-m", "not the plan"]);
        for n in done {
            write(
                &root.join(format!("plan/backlog/W-{n}.yaml")),
                "title: W\nstatus: done\ntheme: core\n",
            );
        }
        git_at(root, date, &["commit", "-q", "-am", "work"]);
    }
    dir
}

pub(crate) fn history_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["history", "--format", "json"];
    all.extend(args);
    let out = run_with(crate::roadlog().current_dir(dir.join("plan")).args(&all));
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("json")
}

#[test]
fn history_shows_progress_climbing_over_the_commits_that_did_the_work() {
    let dir = progressing_repo();
    let every_commit = history_json(dir.path(), &["--every", "commit"]);
    let dates: Vec<&str> = every_commit["samples"]
        .as_array()
        .expect("samples")
        .iter()
        .map(|s| s["date"].as_str().expect("date"))
        .collect();
    assert_eq!(
        dates,
        vec!["2025-07-01", "2025-07-08", "2025-07-09", "2025-07-20"],
        "commits outside the plan are not samples"
    );
    assert_eq!(
        every_commit["themes"][0]["progress"],
        serde_json::json!([0.0, 0.25, 0.5, 1.0])
    );
    let weekly = history_json(dir.path(), &[]);
    assert_eq!(weekly["every"], "week");
    let dates: Vec<&str> = weekly["samples"]
        .as_array()
        .expect("samples")
        .iter()
        .map(|s| s["date"].as_str().expect("date"))
        .collect();
    assert_eq!(dates, vec!["2025-06-30", "2025-07-07", "2025-07-14"]);
    assert_eq!(
        weekly["themes"][0]["progress"],
        serde_json::json!([0.0, 0.5, 1.0]),
        "a week shows its last commit"
    );
    let since = history_json(dir.path(), &["--every", "day", "--since", "2025-07-09"]);
    assert_eq!(
        since["themes"][0]["progress"],
        serde_json::json!([0.5, 1.0])
    );
    let table = run_with(
        crate::roadlog()
            .current_dir(dir.path().join("plan"))
            .args(["history", "--every", "commit"]),
    );
    insta::assert_snapshot!("history__table", table.stdout);
    let csv = run_with(
        crate::roadlog()
            .current_dir(dir.path().join("plan"))
            .args(["history", "--format", "csv"]),
    );
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(lines[0], "date,commit,open_share,sprint_share,core");
    assert!(
        lines[3].starts_with("2025-07-14,") && lines[3].ends_with(",1.0000"),
        "{}",
        csv.stdout
    );
}

#[test]
fn history_refuses_a_shallow_clone_with_the_fix() {
    let dir = progressing_repo();
    let shallow = tempfile::tempdir().expect("tempdir");
    git(
        shallow.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &format!("file://{}", dir.path().display()),
            "clone",
        ],
    );
    let out = run_with(
        crate::roadlog()
            .current_dir(shallow.path().join("clone/plan"))
            .args(["history"]),
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("shallow clone") && out.stderr.contains("fetch-depth: 0"),
        "{}",
        out.stderr
    );
}

#[test]
fn history_read_incrementally_matches_progress_at_every_sampled_commit() {
    let dir = progressing_repo();
    let root = dir.path();
    let plan = root.join("plan");
    // A rename, a delete, a new theme with its own item, then a config change.
    let steps: [(&str, &dyn Fn()); 4] = [
        ("2025-07-21T09:00:00Z", &|| {
            std::fs::rename(plan.join("backlog/W-1.yaml"), plan.join("backlog/W-9.yaml"))
                .expect("rename");
        }),
        ("2025-07-22T09:00:00Z", &|| {
            std::fs::remove_file(plan.join("backlog/W-2.yaml")).expect("delete");
            write(
                &plan.join("backlog/W-5.yaml"),
                "title: W\nstatus: todo\ntheme: core\n",
            );
        }),
        ("2025-07-23T09:00:00Z", &|| {
            write(
                &plan.join("roadmap/growth.yaml"),
                "title: Growth\nobjective: O\nstatus: active\nhorizon: 2025-Q4\n",
            );
            write(
                &plan.join("backlog/G-1.yaml"),
                "title: G\nstatus: done\ntheme: growth\n",
            );
        }),
        ("2025-07-24T09:00:00Z", &|| {
            write(&plan.join("roadlog.yaml"), "progress_by: estimate\n");
        }),
    ];
    for (date, step) in steps {
        step();
        git_at(root, date, &["add", "-A"]);
        git_at(root, date, &["commit", "-q", "-m", "step"]);
    }
    let history = history_json(root, &["--every", "commit"]);
    let samples = history["samples"].as_array().expect("samples");
    assert_eq!(samples.len(), 8);
    for (k, sample) in samples.iter().enumerate() {
        let commit = sample["commit"].as_str().expect("commit");
        let out = run_with(
            crate::roadlog()
                .current_dir(&plan)
                .args(["progress", "--all", "--format", "json", "--rev", commit]),
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let fresh: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
        for theme in history["themes"].as_array().expect("themes") {
            let id = theme["id"].as_str().expect("id");
            let expected = fresh["themes"]
                .as_array()
                .expect("themes")
                .iter()
                .find(|t| t["id"] == id)
                .map_or(serde_json::Value::Null, |t| t["progress"].clone());
            assert_eq!(
                theme["progress"][k], expected,
                "{id} at sample {k} ({commit})"
            );
        }
    }
}

#[test]
fn a_rename_is_no_change_for_stale_item_and_its_moved_file_keeps_its_age() {
    let dir = aging_repo();
    let root = dir.path();
    // O-1 and O-3 are renamed in a recent commit: O-1's file moves to its new id, and the
    // reference to it in O-3 is rewritten. Neither was worked on.
    write(
        &root.join("backlog/O-3.yaml"),
        "title: Waits on the old one\nstatus: todo\ndepends_on: [O-1]\n",
    );
    git_at(root, "2025-02-01T12:00:00Z", &["add", "-A"]);
    git_at(root, "2025-02-01T12:00:00Z", &["commit", "-q", "-m", "o3"]);
    let renamed = crate::roadlog_in(root, &["rename", "O-1", "OLD-1", "--today", TODAY]);
    assert_eq!(renamed.code, 0, "{}", renamed.stderr);
    git_at(root, "2025-08-10T12:00:00Z", &["add", "-A"]);
    git_at(
        root,
        "2025-08-10T12:00:00Z",
        &["commit", "-q", "-m", "rename"],
    );
    let (stale, _) = stale_items(root, &[]);
    assert_eq!(stale, ["backlog/O-3.yaml", "backlog/OLD-1.yaml"]);
    let out = run_with(
        crate::roadlog()
            .current_dir(root)
            .args(["check", "--format", "json", "--today", TODAY]),
    );
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let moved = v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["file"] == "backlog/OLD-1.yaml")
        .expect("OLD-1 is stale");
    assert!(
        moved["message"]
            .as_str()
            .is_some_and(|m| m.contains("on 2025-01-01")),
        "its age is its old file's: {moved}"
    );
}
