//! Exit 2: no plan root, a missing or broken `roadlog.yaml`, bad arguments.

use crate::{TODAY, run, run_with};

fn plan_with_config(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("roadlog.yaml"), config).expect("write");
    dir
}

/// `check` run from inside the plan, so diagnostics name `roadlog.yaml` as the user sees it.
fn check(dir: &tempfile::TempDir) -> crate::Run {
    crate::roadlog_in(dir.path(), &["check", "--today", TODAY])
}

#[test]
fn unknown_config_key_is_exit_2_with_a_diagnostic() {
    let dir = plan_with_config("product: X\nreview_cadance_days: 14\n");
    let out = check(&dir);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("config_unknown_key", out.stderr);
}

#[test]
fn broken_config_yaml_is_exit_2_naming_line_and_column() {
    let dir = plan_with_config("product: [unclosed\nrules: {}\n");
    let out = check(&dir);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("roadlog.yaml:2:"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error: roadlog.yaml has 1 problem; fix it to read the plan"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_config_values_are_each_reported() {
    let dir = plan_with_config(
        "progress_by: points\nroadmap_dir: ../elsewhere\nrules:\n  orphan-items: off\n  stale-theme: loud\nsprints:\n  - { id: S1, start: 2025-08-10, end: 2025-08-01 }\n",
    );
    let out = check(&dir);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!("config_bad_values", out.stderr);
}

#[test]
fn empty_config_is_a_valid_plan_root() {
    let dir = plan_with_config("");
    assert_eq!(check(&dir).code, 0);
    let dir = plan_with_config("# only a comment\n");
    assert_eq!(check(&dir).code, 0);
}

#[test]
fn missing_plan_root_is_exit_2_with_what_to_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run_with(crate::roadlog().current_dir(dir.path()).args(["check"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("error: no roadlog.yaml in "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("help: run `roadlog init`"),
        "{}",
        out.stderr
    );

    let out = run(&["check", "--plan", dir.path().to_str().expect("utf-8")]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("has no roadlog.yaml, so it is not a plan root"),
        "{}",
        out.stderr
    );

    let out = run(&[
        "check",
        "--plan",
        dir.path().join("nope").to_str().expect("utf-8"),
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
}

#[test]
fn bad_arguments_are_exit_2() {
    assert_eq!(run(&["check", "--today", "2025-02-30"]).code, 2);
    assert_eq!(run(&["check", "--format", "xml"]).code, 2);
    assert_eq!(run(&["frobnicate"]).code, 2);
}

#[test]
fn custom_folders_from_config_are_read() {
    let dir = plan_with_config("roadmap_dir: plan/themes\nbacklog_dir: plan/work\n");
    let themes = dir.path().join("plan/themes");
    std::fs::create_dir_all(&themes).expect("mkdir");
    std::fs::write(
        themes.join("x.yaml"),
        "title: X\nobjective: Y\nstatus: proposed\nhorizon: later\n",
    )
    .expect("write");
    std::fs::create_dir_all(dir.path().join("plan/work")).expect("mkdir");
    std::fs::write(
        dir.path().join("plan/work/W-1.yaml"),
        "title: W\nstatus: todo\ntheme: x\n",
    )
    .expect("write");
    let (_, json) = crate::check_json(dir.path());
    assert_eq!(json["summary"]["themes"], 1);
    assert_eq!(json["summary"]["items"], 1);
    assert_eq!(json["diagnostics"], serde_json::json!([]));
}

#[test]
fn overlapping_or_root_folders_are_refused() {
    let dir = plan_with_config("roadmap_dir: plan\nbacklog_dir: ./plan/backlog/\n");
    let out = check(&dir);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("roadmap folder `plan` and backlog folder `plan/backlog` overlap"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("roadlog.yaml:2:14"), "{}", out.stderr);

    let dir = plan_with_config("backlog_dir: .\n");
    let out = check(&dir);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("`.` must be a folder inside the plan root"),
        "{}",
        out.stderr
    );

    // `./work/` is the folder `work`.
    let dir = plan_with_config("backlog_dir: ./work/\n");
    std::fs::create_dir(dir.path().join("work")).expect("mkdir");
    std::fs::write(dir.path().join("work/W-1.yaml"), "title: W\nstatus: todo\n").expect("write");
    let (_, json) = crate::check_json(dir.path());
    assert_eq!(json["summary"]["items"], 1);
}
