//! `check --format github`: workflow commands with paths from the git work tree root, and the
//! job summary.

use crate::{TODAY, run_with};

/// A work tree with the plan in a sub-folder, like a monorepo.
fn repo_with_plan() -> (tempfile::TempDir, std::path::PathBuf) {
    let repo = tempfile::tempdir().expect("tempdir");
    crate::git::git(repo.path(), &["init", "-q"]);
    let plan = repo.path().join("product/plan");
    std::fs::create_dir_all(plan.join("backlog")).expect("mkdir");
    std::fs::write(plan.join("roadlog.yaml"), "current_sprint: S1\n").expect("write");
    std::fs::write(
        plan.join("backlog/B-1.yaml"),
        "title: B, with a comma\nstatus: todo\ntheme: nope\n",
    )
    .expect("write");
    std::fs::write(
        plan.join("backlog/B-2.yaml"),
        "title: Orphan\nstatus: todo\n",
    )
    .expect("write");
    (repo, plan)
}

#[test]
fn annotations_use_work_tree_paths_errors_first() {
    let (_repo, plan) = repo_with_plan();
    let out = run_with(
        crate::roadlog()
            .args(["check", "--format", "github", "--today", TODAY, "--plan"])
            .arg(&plan),
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout,
        "::error file=product/plan/backlog/B-1.yaml,line=3,col=8,title=unknown-theme::`B-1` serves theme `nope`, which does not exist\n\
         ::warning file=product/plan/backlog/B-2.yaml,line=1,col=1,title=orphan-item::`B-2` traces to no theme%0Ahelp: add `theme: <theme-id>` here so the work is tied to the roadmap, or drop the item if no theme needs it\n\
         ::notice title=roadlog skipped stale-item::the repository has no commits yet\n\
         ::notice title=roadlog skipped suspect-item::the repository has no commits yet\n"
    );
}

#[test]
fn job_summary_gets_every_finding_and_a_notice_closes_the_step() {
    let (repo, plan) = repo_with_plan();
    let summary = repo.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").expect("write");
    let out = run_with(
        crate::roadlog()
            .env("GITHUB_STEP_SUMMARY", &summary)
            .args(["check", "--format", "github", "--today", TODAY, "--plan"])
            .arg(&plan),
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.ends_with("::notice title=roadlog check::checked 0 themes and 2 items: 1 error, 1 warning; every finding is listed in the job summary\n"),
        "{}",
        out.stdout
    );
    let text = std::fs::read_to_string(&summary).expect("summary");
    insta::assert_snapshot!("github_step_summary", text);
}
