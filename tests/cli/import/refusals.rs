//! What an import refuses, naming the file and line, and writing nothing: a missing column, a
//! key twice, a parent nowhere, a date it cannot read, a change that would fail `check`.

use std::path::Path;

use super::{files, import, init_from};

const DAY: &str = "2024-06-28";
const HEADER: &str = "Summary,Issue key,Issue id,Issue Type,Status,Resolved,Parent\r\n";

/// A plan made from a one-row export, and the export file to import next.
fn plan_and(dir: &Path, rows: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let first = dir.join("first.csv");
    std::fs::write(&first, format!("{HEADER}Base,BASE-1,1,Story,To Do,,\r\n")).expect("write");
    let plan = dir.join("plan");
    let made = init_from(&plan, "jira", &first, DAY);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let next = dir.join("next.csv");
    std::fs::write(&next, format!("{HEADER}{rows}")).expect("write");
    (plan, next)
}

fn refused(rows: &str, extra: &[&str], says: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plan, next) = plan_and(dir.path(), rows);
    let before = files(&plan);
    let mut args = vec!["jira", next.to_str().expect("utf-8")];
    args.extend(extra);
    let out = import(&plan, &args, DAY);
    assert_eq!(out.code, 2, "refused: {}", out.stderr);
    for s in says {
        assert!(out.stderr.contains(s), "`{s}` in: {}", out.stderr);
    }
    assert_eq!(files(&plan), before, "nothing written");
}

#[test]
fn a_key_twice_names_both_lines() {
    refused(
        "A,PAY-1,10,Story,To Do,,\r\nB,PAY-2,11,Story,To Do,,\r\nA again,PAY-1,12,Story,Done,,\r\n",
        &[],
        &[
            "`jira:PAY-1` is in the export twice (lines 2 and 4)",
            "nothing was written",
        ],
    );
}

#[test]
fn a_parent_that_is_nowhere_names_its_line() {
    refused(
        "A,PAY-1,10,Story,To Do,,\r\nB,PAY-2,11,Story,To Do,,99\r\n",
        &[],
        &["next.csv:3", "issue id 99", "nothing was written"],
    );
}

#[test]
fn a_missing_column_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plan, _) = plan_and(dir.path(), "");
    let next = dir.path().join("no-key.csv");
    std::fs::write(&next, "Summary,Status\r\nA,To Do\r\n").expect("write");
    let before = files(&plan);
    let out = import(&plan, &["jira", next.to_str().expect("utf-8")], DAY);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no `Issue key` column"),
        "{}",
        out.stderr
    );
    assert_eq!(files(&plan), before);
}

#[test]
fn a_date_in_another_format_is_refused_until_the_format_is_given() {
    let rows = "A,PAY-1,10,Story,Done,2024-06-03 14:05,\r\n";
    refused(
        rows,
        &[],
        &[
            "next.csv:2",
            "`Resolved` is `2024-06-03 14:05`",
            "--date-format",
        ],
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let (plan, next) = plan_and(dir.path(), rows);
    let out = import(
        &plan,
        &[
            "jira",
            next.to_str().expect("utf-8"),
            "--date-format",
            "yyyy-MM-dd HH:mm",
        ],
        DAY,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let item = std::fs::read_to_string(plan.join("backlog/jira/PAY-1.yaml")).expect("read");
    assert!(item.contains("done_on: 2024-06-03\n"), "{item}");
}

#[test]
fn an_import_that_would_fail_check_writes_nothing() {
    // Each is the other's parent: a cycle, which `check` calls an error.
    refused(
        "A,PAY-1,10,Story,To Do,,11\r\nB,PAY-2,11,Story,To Do,,10\r\n",
        &[],
        &[
            "would not pass `roadlog check`",
            "parent-cycle",
            "nothing was written",
        ],
    );
}

#[test]
fn a_dry_run_shows_the_change_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plan, next) = plan_and(
        dir.path(),
        "Base renamed,BASE-1,1,Story,In Progress,,\r\nNew,PAY-9,9,Bug,To Do,,\r\n",
    );
    let before = files(&plan);
    let out = import(
        &plan,
        &["jira", next.to_str().expect("utf-8"), "--dry-run"],
        DAY,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("--- a/backlog/jira/BASE-1.yaml"),
        "{}",
        out.stdout
    );
    for line in [
        "-title: Base\n",
        "+title: Base renamed\n",
        "+status: in-progress\n",
        " source: jira:BASE-1\n",
    ] {
        assert!(out.stdout.contains(line), "`{line}` in {}", out.stdout);
    }
    assert!(
        out.stdout
            .contains("--- /dev/null\n+++ b/backlog/jira/PAY-9.yaml"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("dry run, nothing written: created 1, updated 1"),
        "{}",
        out.stderr
    );
    assert_eq!(files(&plan), before);
    let json = import(
        &plan,
        &[
            "jira",
            next.to_str().expect("utf-8"),
            "--dry-run",
            "--format",
            "json",
        ],
        DAY,
    );
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["created"], serde_json::json!(["PAY-9"]));
    assert_eq!(v["updated"], serde_json::json!(["BASE-1"]));
    assert_eq!(v["files"].as_array().map(Vec::len), Some(2));
    assert_eq!(files(&plan), before);
}

#[test]
fn init_from_an_export_it_refuses_leaves_no_plan_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = dir.path().join("twice.csv");
    std::fs::write(
        &export,
        format!("{HEADER}A,PAY-1,10,Story,To Do,,\r\nA again,PAY-1,11,Story,To Do,,\r\n"),
    )
    .expect("write");
    let plan = dir.path().join("plan");
    let out = init_from(&plan, "jira", &export, DAY);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("in the export twice"), "{}", out.stderr);
    assert!(!plan.exists(), "the half-made plan root is gone");
}

#[test]
fn the_import_section_is_checked_with_a_did_you_mean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plan, _) = plan_and(dir.path(), "");
    let config = plan.join("roadlog.yaml");
    let text = std::fs::read_to_string(&config).expect("read");
    std::fs::write(&config, format!("{text}  foldr: backlog/x\n")).expect("write");
    let out = crate::run_with(
        crate::roadlog()
            .arg("--plan")
            .arg(&plan)
            .args(["--today", DAY, "check"]),
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `folder`?"),
        "{}",
        out.stderr
    );
}
