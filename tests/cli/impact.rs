//! Change impact: the work planned against a theme's old why or when.

use serde_json::Value;

use crate::git::{git, write};
use crate::{TODAY, roadlog_in};

/// A committed plan: theme `core` (2025-Q3) with an epic, two open stories under it, one done
/// story, and a theme `other` with one open story.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(&root.join("plan/roadlog.yaml"), "product: P\n");
    write(
        &root.join("plan/roadmap/core.yaml"),
        "title: Core\nobjective: Grow\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n",
    );
    write(
        &root.join("plan/roadmap/other.yaml"),
        "title: Other\nobjective: Keep\nstatus: active\nhorizon: 2025-Q4\nreviewed: 2025-08-01\n",
    );
    write(
        &root.join("plan/backlog/E-1.yaml"),
        "title: Epic\nkind: epic\nstatus: in-progress\ntheme: core\n",
    );
    write(
        &root.join("plan/backlog/S-1.yaml"),
        "title: First [story](x)\nstatus: todo\nparent: E-1\n",
    );
    write(
        &root.join("plan/backlog/S-2.yaml"),
        "title: Second\nstatus: done\nparent: E-1\n",
    );
    write(
        &root.join("plan/backlog/S-3.yaml"),
        "title: Third\nstatus: blocked\nparent: E-1\n",
    );
    write(
        &root.join("plan/backlog/O-1.yaml"),
        "title: Elsewhere\nstatus: todo\ntheme: other\n",
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "plan"]);
    dir
}

fn diff_json(dir: &std::path::Path) -> Value {
    let out = roadlog_in(
        &dir.join("plan"),
        &["diff", "--today", TODAY, "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("json")
}

#[test]
fn diff_names_the_open_work_planned_against_a_moved_horizon() {
    let dir = repo();
    let root = dir.path();
    write(
        &root.join("plan/roadmap/core.yaml"),
        "title: Core\nobjective: Grow faster\nstatus: active\nhorizon: 2025-Q4\nreviewed: 2025-08-01\n",
    );
    let v = diff_json(root);
    assert_eq!(
        v["impact"],
        serde_json::json!([{
            "id": "core", "title": "Core", "fields": ["horizon", "objective"],
            "open": [
                {"id": "E-1", "title": "Epic"},
                {"id": "S-1", "title": "First [story](x)"},
                {"id": "S-3", "title": "Third"}
            ]
        }])
    );
    let md = roadlog_in(
        &root.join("plan"),
        &["diff", "--today", TODAY, "--format", "markdown"],
    );
    assert!(
        md.stdout.contains(
            "3 open items were planned against the old horizon and objective of Core (`core`)."
        ),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout
            .contains("<details><summary>the open items</summary>"),
        "{}",
        md.stdout
    );
    // User text inside the fold is escaped like everywhere else in the comment.
    assert!(md.stdout.contains(r"First \[story\](x)"), "{}", md.stdout);
}

#[test]
fn a_change_of_title_priority_or_progress_has_no_impact() {
    let dir = repo();
    let root = dir.path();
    write(
        &root.join("plan/roadmap/core.yaml"),
        "title: Core platform\nobjective: Grow\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\npriority: 1\n",
    );
    write(
        &root.join("plan/backlog/S-1.yaml"),
        "title: First\nstatus: done\nparent: E-1\n",
    );
    let v = diff_json(root);
    assert_eq!(v["impact"], serde_json::json!([]));
    assert_eq!(v["themes_changed"][0]["id"], "core");
}

#[test]
fn new_success_metrics_are_a_change_of_why_but_a_current_figure_is_not() {
    let dir = repo();
    let root = dir.path();
    let with = |current: &str| {
        format!(
            "title: Core\nobjective: Grow\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n\
             metrics:\n  - {{ name: NPS, baseline: '30', target: '50', current: '{current}' }}\n"
        )
    };
    write(&root.join("plan/roadmap/core.yaml"), &with("31"));
    assert_eq!(
        diff_json(root)["impact"][0]["fields"],
        serde_json::json!(["metrics"])
    );
    git(root, &["commit", "-qam", "metrics"]);
    write(&root.join("plan/roadmap/core.yaml"), &with("35"));
    assert_eq!(diff_json(root)["impact"], serde_json::json!([]));
}

#[test]
fn history_shows_alignment_drifting_as_work_moves_off_the_active_themes() {
    let dir = repo();
    let root = dir.path();
    // Four open leaves of equal weight: S-1, S-3 (core), O-1 (other), all on active themes.
    // Then `other` is dropped with its work still open, then an orphan is added.
    write(
        &root.join("plan/roadmap/other.yaml"),
        "title: Other\nobjective: Keep\nstatus: dropped\nhorizon: 2025-Q4\nreviewed: 2025-08-01\n",
    );
    crate::git::git_at(
        root,
        "2025-08-02T12:00:00Z",
        &["commit", "-qam", "drop other"],
    );
    write(
        &root.join("plan/backlog/Z-1.yaml"),
        "title: Loose\nstatus: todo\n",
    );
    crate::git::git_at(root, "2025-08-03T12:00:00Z", &["add", "-A"]);
    crate::git::git_at(root, "2025-08-03T12:00:00Z", &["commit", "-qm", "orphan"]);
    let out = roadlog_in(
        &root.join("plan"),
        &["history", "--every", "commit", "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("json");
    let shares: Vec<&Value> = v["samples"]
        .as_array()
        .expect("samples")
        .iter()
        .map(|s| &s["open_share"])
        .collect();
    // Open leaves weigh 2 each (default_estimate): 6/6, then 4/6, then 4/8.
    assert_eq!(
        shares,
        [
            &serde_json::json!(1.0),
            &serde_json::json!(4.0 / 6.0),
            &serde_json::json!(0.5)
        ]
    );
    let table = roadlog_in(&root.join("plan"), &["history", "--every", "commit"]);
    assert!(
        table.stdout.contains("open work on active themes"),
        "{}",
        table.stdout
    );
    let csv = roadlog_in(
        &root.join("plan"),
        &["history", "--every", "commit", "--format", "csv"],
    );
    assert!(
        csv.stdout
            .lines()
            .nth(3)
            .is_some_and(|l| l.contains(",0.5000,")),
        "{}",
        csv.stdout
    );
}

fn check_json_in(dir: &std::path::Path) -> Value {
    let out = roadlog_in(
        &dir.join("plan"),
        &["check", "--today", TODAY, "--format", "json"],
    );
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

fn suspects(v: &Value) -> Vec<(String, Vec<String>)> {
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "suspect-item")
        .map(|d| {
            let items = d["items"].as_array().expect("items");
            let items = items.iter().map(|i| i.as_str().expect("id").to_string());
            (
                format!("{}:{}", d["file"].as_str().expect("file"), d["line"]),
                items.collect(),
            )
        })
        .collect()
}

#[test]
fn suspect_item_names_the_open_work_planned_against_a_theme_s_old_horizon() {
    let dir = repo();
    let root = dir.path();
    // S-1 was reviewed after the change to come, so it is not suspect.
    write(
        &root.join("plan/backlog/S-1.yaml"),
        "title: First\nstatus: todo\nparent: E-1\nreviewed: 2025-08-10\n",
    );
    crate::git::git_at(root, "2025-08-01T12:00:00Z", &["commit", "-qam", "review"]);
    // The horizon moves; S-3 is edited in the same commit, so it was looked at.
    write(
        &root.join("plan/roadmap/core.yaml"),
        "title: Core\nobjective: Grow\nstatus: active\nhorizon: 2025-Q4\nreviewed: 2025-08-05\n",
    );
    write(
        &root.join("plan/backlog/S-3.yaml"),
        "title: Third, re-planned\nstatus: blocked\nparent: E-1\n",
    );
    crate::git::git_at(
        root,
        "2025-08-05T12:00:00Z",
        &["commit", "-qam", "move core to Q4"],
    );
    let v = check_json_in(root);
    assert_eq!(
        suspects(&v),
        vec![("roadmap/core.yaml:4".to_string(), vec!["E-1".to_string()])]
    );
    let d = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "suspect-item")
        .expect("suspect-item");
    let message = d["message"].as_str().expect("message");
    assert!(
        message.starts_with("the horizon of `core` changed on 2025-08-05 ("),
        "{message}"
    );
    assert!(
        message.contains(": 2025-Q3 → 2025-Q4); 1 open item was planned against the old one"),
        "{message}"
    );
    assert_eq!(
        (d["entity"].as_str(), d["field"].as_str()),
        (Some("core"), Some("horizon"))
    );
    // Recording the review clears it; until committed, the working tree counts.
    let set = roadlog_in(
        &root.join("plan"),
        &["set", "E-1", "reviewed", "today", "--today", TODAY],
    );
    assert_eq!(set.code, 0, "{}", set.stderr);
    assert_eq!(suspects(&check_json_in(root)), vec![]);
}

#[test]
fn a_new_title_is_not_a_change_of_aim_and_a_new_objective_is() {
    let dir = repo();
    let root = dir.path();
    let core = |title: &str, objective: &str| {
        format!(
            "title: {title}\nobjective: {objective}\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n"
        )
    };
    write(
        &root.join("plan/roadmap/core.yaml"),
        &core("Core v2", "Grow"),
    );
    crate::git::git_at(root, "2025-08-02T12:00:00Z", &["commit", "-qam", "title"]);
    assert_eq!(suspects(&check_json_in(root)), vec![]);
    write(
        &root.join("plan/roadmap/core.yaml"),
        &core("Core v2", "Grow twice as fast"),
    );
    crate::git::git_at(
        root,
        "2025-08-03T12:00:00Z",
        &["commit", "-qam", "objective"],
    );
    let v = check_json_in(root);
    let ids = ["E-1", "S-1", "S-3"].map(String::from).to_vec();
    assert_eq!(suspects(&v), vec![("roadmap/core.yaml:2".to_string(), ids)]);
    let human = roadlog_in(&root.join("plan"), &["check", "--today", TODAY]);
    assert!(
        human.stderr.contains("`E-1`, `S-1`, `S-3`"),
        "{}",
        human.stderr
    );
}

#[test]
fn suspect_item_is_skipped_where_history_is_not_there() {
    let plan = crate::fixture("clean");
    let (_, v) = crate::check_json(&plan);
    let skipped: Vec<&str> = v["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| s["rule"].as_str().expect("rule"))
        .collect();
    assert!(skipped.contains(&"suspect-item"), "{skipped:?}");
}

#[test]
fn trace_of_a_theme_marks_the_suspect_items() {
    let dir = repo();
    let root = dir.path();
    write(
        &root.join("plan/roadmap/core.yaml"),
        "title: Core\nobjective: Grow\nstatus: active\nhorizon: 2025-Q4\nreviewed: 2025-08-01\n",
    );
    crate::git::git_at(root, "2025-08-05T12:00:00Z", &["commit", "-qam", "Q4"]);
    let json = roadlog_in(&root.join("plan"), &["trace", "core", "--format", "json"]);
    let v: Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(
        v["suspect"],
        serde_json::json!({"field": "horizon", "date": "2025-08-05", "items": ["E-1", "S-1", "S-3"]})
    );
    let table = roadlog_in(&root.join("plan"), &["trace", "core"]);
    assert!(table.stdout.contains("todo (suspect)"), "{}", table.stdout);
    assert!(
        table
            .stdout
            .contains("Suspect (suspect-item): the theme's horizon changed on 2025-08-05"),
        "{}",
        table.stdout
    );
}

#[test]
fn a_horizon_s_start_moving_is_not_a_change_of_when() {
    let dir = repo();
    let root = dir.path();
    let core = |horizon: &str| {
        format!(
            "title: Core\nobjective: Grow\nstatus: active\nhorizon: {horizon}\nreviewed: 2025-08-01\n"
        )
    };
    write(
        &root.join("plan/roadmap/core.yaml"),
        &core("2025-Q2..2025-Q3"),
    );
    crate::git::git_at(root, "2025-08-02T12:00:00Z", &["commit", "-qam", "start"]);
    assert_eq!(suspects(&check_json_in(root)), vec![]);
    write(
        &root.join("plan/roadmap/core.yaml"),
        &core("2025-Q2..2025-Q4"),
    );
    crate::git::git_at(root, "2025-08-03T12:00:00Z", &["commit", "-qam", "end"]);
    let ids = ["E-1", "S-1", "S-3"].map(String::from).to_vec();
    assert_eq!(
        suspects(&check_json_in(root)),
        vec![("roadmap/core.yaml:4".to_string(), ids)]
    );
}

#[test]
fn a_rename_of_the_work_is_no_review_of_it() {
    let dir = repo();
    let root = dir.path();
    write(
        &root.join("plan/roadmap/core.yaml"),
        "title: Core\nobjective: Grow twice as fast\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n",
    );
    crate::git::git_at(
        root,
        "2025-08-02T12:00:00Z",
        &["commit", "-qam", "objective"],
    );
    // The epic is renamed: its file moves, and its stories' `parent:` are rewritten.
    let renamed = roadlog_in(
        &root.join("plan"),
        &["rename", "E-1", "EPIC-1", "--today", TODAY],
    );
    assert_eq!(renamed.code, 0, "{}", renamed.stderr);
    crate::git::git(root, &["add", "-A"]);
    crate::git::git_at(root, "2025-08-04T12:00:00Z", &["commit", "-qm", "rename"]);
    let ids = ["EPIC-1", "S-1", "S-3"].map(String::from).to_vec();
    assert_eq!(
        suspects(&check_json_in(root)),
        vec![("roadmap/core.yaml:2".to_string(), ids)]
    );
}

#[test]
fn list_suspect_names_both_holders_of_a_duplicated_id() {
    let dir = repo();
    let root = dir.path();
    // A second file holding `S-3`: `check` reports the duplicate, and both are suspect.
    write(
        &root.join("plan/backlog/copy.yaml"),
        "id: S-3\ntitle: Third again\nstatus: todo\nparent: E-1\n",
    );
    crate::git::git(root, &["add", "-A"]);
    crate::git::git_at(root, "2025-08-02T12:00:00Z", &["commit", "-qm", "copy"]);
    write(
        &root.join("plan/roadmap/core.yaml"),
        "title: Core\nobjective: Grow twice as fast\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n",
    );
    crate::git::git_at(
        root,
        "2025-08-03T12:00:00Z",
        &["commit", "-qam", "objective"],
    );
    let out = roadlog_in(
        &root.join("plan"),
        &["list", "--suspect", "--today", TODAY, "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("json");
    let ids: Vec<&str> = v["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(ids.iter().filter(|&&i| i == "S-3").count(), 2, "{ids:?}");
}
