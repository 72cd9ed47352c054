//! The gate's verdict: the exit status says whether the plan passes, however the output is
//! consumed, and bots see every problem in the format they read.

use std::path::Path;

use crate::{TODAY, fixture};

/// Runs roadlog with stdout (and with `both`, stderr too) on a pipe whose reader is already
/// gone, as `roadlog … 2>&1 | head -1` is once head has its line. Returns the exit code.
fn into_closed_pipe(dir: Option<&Path>, args: &[&str], both: bool) -> i32 {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut cmd = crate::roadlog_std();
    cmd.args(args);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    if both {
        cmd.stderr(writer.try_clone().expect("clone"));
    } else {
        cmd.stderr(std::process::Stdio::null());
    }
    cmd.stdout(writer);
    let status = cmd.status().expect("runs");
    status.code().expect("exit code, not a signal")
}

fn plan(name: &str) -> String {
    fixture(name).to_str().expect("utf-8").to_string()
}

#[test]
fn a_closed_pipe_keeps_a_failing_checks_exit_status() {
    let broken = plan("rules/unknown-theme");
    for format in ["human", "json", "github"] {
        let args = [
            "check", "--format", format, "--today", TODAY, "--plan", &broken,
        ];
        assert_eq!(
            into_closed_pipe(None, &args, true),
            1,
            "check --format {format} 2>&1"
        );
        assert_eq!(
            into_closed_pipe(None, &args, false),
            1,
            "check --format {format}"
        );
    }
    let clean = plan("clean");
    let args = [
        "check", "--format", "json", "--today", TODAY, "--plan", &clean,
    ];
    assert_eq!(
        into_closed_pipe(None, &args, true),
        0,
        "a passing plan still passes"
    );
}

#[test]
fn a_closed_pipe_keeps_a_tripped_diff_gate() {
    let dir = crate::git::repo();
    let plan = dir.path().join("product/plan");
    // main~1 has the typo that main fixed: going back introduces an error.
    let args = [
        "diff",
        "main",
        "main~1",
        "--fail-on",
        "new-errors",
        "--today",
        TODAY,
    ];
    assert_eq!(into_closed_pipe(Some(&plan), &args, true), 1);
    let args = [
        "diff",
        "main~1",
        "main",
        "--fail-on",
        "new-errors",
        "--today",
        TODAY,
    ];
    assert_eq!(into_closed_pipe(Some(&plan), &args, true), 0);
}

#[test]
fn diff_matches_findings_by_identity_not_by_message_or_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    crate::git::git(root, &["init", "-q", "-b", "main"]);
    let theme =
        "title: Core\nobjective: O\nstatus: active\nhorizon: 2025-Q1\nreviewed: 2025-08-01\n";
    crate::git::write(&root.join("roadlog.yaml"), "");
    crate::git::write(&root.join("roadmap/core.yaml"), theme);
    for n in 1..=3 {
        let item = format!("title: Item {n}\nstatus: todo\ntheme: core\n");
        crate::git::write(&root.join(format!("backlog/A-{n}.yaml")), &item);
    }
    crate::git::write(
        &root.join("backlog/B-1.yaml"),
        "title: B\nstatus: todo\ndepends_on: [A-9]\n",
    );
    crate::git::git(root, &["add", "-A"]);
    crate::git::git(root, &["commit", "-q", "-m", "first"]);
    // The overdue theme's figure moves (0% to 33% done) and its finding moves down a line; the
    // dangling dependency moves to another line of B-1. All of them are still the same findings.
    crate::git::write(
        &root.join("roadmap/core.yaml"),
        &format!("# Core platform\n{theme}"),
    );
    crate::git::write(
        &root.join("backlog/A-1.yaml"),
        "title: Item 1\nstatus: done\ntheme: core\n",
    );
    crate::git::write(
        &root.join("backlog/B-1.yaml"),
        "title: B\nstatus: todo\n# waits on\ndepends_on: [A-9, A-8]\n",
    );
    crate::git::git(root, &["commit", "-q", "-am", "second"]);
    let out = crate::roadlog_in(
        root,
        &[
            "diff", "HEAD~1", "HEAD", "--format", "json", "--today", TODAY,
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let rules = |key: &str| -> Vec<(String, String)> {
        v[key]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap_or("").into(),
                    f["field"].as_str().unwrap_or("").into(),
                )
            })
            .collect()
    };
    assert_eq!(
        rules("findings_introduced"),
        [(
            "unknown-dependency".to_string(),
            "depends_on[A-8]".to_string()
        )],
        "only the new dangling link is new"
    );
    assert_eq!(rules("findings_fixed"), Vec::<(String, String)>::new());
    assert_eq!(
        v["progress"][0]["new"].as_f64().map(|p| (p * 3.0).round()),
        Some(1.0)
    );
}

/// A plan folder whose `roadlog.yaml` does not read: an unknown key on line 2.
fn broken_config() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::git::write(&dir.path().join("roadlog.yaml"), "product: X\nsprnts: []\n");
    crate::git::write(
        &dir.path().join("backlog/A-1.yaml"),
        "title: A\nstatus: todo\n",
    );
    dir
}

#[test]
fn a_broken_config_is_an_annotation_and_a_summary_entry_under_github() {
    let dir = broken_config();
    let summary = dir.path().join("summary.md");
    let out = crate::run_with(
        crate::roadlog()
            .env("GITHUB_STEP_SUMMARY", &summary)
            .args(["check", "--format", "github", "--today", TODAY, "--plan"])
            .arg(dir.path()),
    );
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stdout,
        "::error file=roadlog.yaml,line=2,col=1,title=unknown-field::unknown field `sprnts` in \
         roadlog.yaml%0Ahelp: did you mean `sprints`?\n"
    );
    let text = std::fs::read_to_string(&summary).expect("summary written");
    assert!(
        text.starts_with(
            "### roadlog check\n\nroadlog could not check the plan: roadlog.yaml has 1 problem"
        ),
        "{text}"
    );
    assert!(
        text.contains("| error | `unknown-field` | `roadlog.yaml:2:1` |"),
        "{text}"
    );
    assert!(
        out.stderr.contains("unknown field `sprnts`"),
        "humans still see it: {}",
        out.stderr
    );
}

#[test]
fn a_broken_config_is_a_json_document_under_json() {
    let dir = broken_config();
    let out = crate::run_with(
        crate::roadlog()
            .args(["check", "--format", "json", "--today", TODAY, "--plan"])
            .arg(dir.path()),
    );
    assert_eq!(out.code, 2);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["error"]["code"], "config");
    assert_eq!(v["summary"], serde_json::Value::Null);
    assert_eq!(v["diagnostics"][0]["rule"], "unknown-field");
    assert_eq!(v["diagnostics"][0]["file"], "roadlog.yaml");
    assert_eq!(v["diagnostics"][0]["line"], 2);
    // Any other reason the check cannot run is a document too.
    let out = crate::run(&["check", "--format", "json", "--plan", "/no/such/plan"]);
    assert_eq!(out.code, 2);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["error"]["code"], "no-plan-dir");
}

#[test]
fn a_diff_that_breaks_the_plan_says_which_side_and_comments_so() {
    let dir = crate::git::repo();
    let plan = dir.path().join("product/plan");
    crate::git::write(
        &plan.join("roadlog.yaml"),
        "product: Git Co\nrules:\n  orphan: off\n",
    );
    let out = crate::roadlog_in(&plan, &["diff", "--format", "markdown", "--today", TODAY]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("error: HEAD (the working tree): roadlog.yaml has 1 problem"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.starts_with("### roadlog: this change breaks the plan\n\nHEAD (the working tree): roadlog.yaml has 1 problem"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("| unknown-field | roadlog.yaml:3:3 | unknown rule `orphan`<br>help: did you mean `orphan-item`? |"), "{}", out.stdout);
    // Between commits, a broken base names the base.
    crate::git::git(dir.path(), &["commit", "-q", "-am", "break the config"]);
    let out = crate::roadlog_in(
        &plan,
        &[
            "diff", "HEAD", "HEAD~1", "--format", "json", "--today", TODAY,
        ],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("error: BASE `HEAD`: roadlog.yaml has 1 problem"),
        "{}",
        out.stderr
    );
}

#[test]
fn fail_on_new_warnings_trips_on_a_new_warning_and_new_errors_does_not() {
    let dir = crate::git::repo();
    let plan = dir.path().join("product/plan");
    // An orphan is a warning: the change introduces one and nothing else.
    crate::git::write(
        &plan.join("backlog/A-9.yaml"),
        "title: Orphan\nstatus: todo\n",
    );
    let gate = |fail_on: &str| {
        crate::roadlog_in(
            &plan,
            &[
                "diff",
                "--fail-on",
                fail_on,
                "--format",
                "json",
                "--today",
                TODAY,
            ],
        )
    };
    let errors = gate("new-errors");
    assert_eq!(errors.code, 0, "{}", errors.stderr);
    let warnings = gate("new-warnings");
    assert_eq!(warnings.code, 1, "{}", warnings.stderr);
    assert!(
        warnings.stdout.contains("orphan-item"),
        "{}",
        warnings.stdout
    );
    // The calendar alone never trips it: the same plan a year later, unchanged.
    std::fs::remove_file(plan.join("backlog/A-9.yaml")).expect("remove");
    let later = crate::roadlog_in(
        &plan,
        &[
            "diff",
            "HEAD~1",
            "HEAD",
            "--fail-on",
            "new-warnings",
            "--today",
            "2026-09-01",
        ],
    );
    assert_eq!(later.code, 0, "{}", later.stdout);
}

#[test]
fn severity_error_shows_errors_first_and_only_and_still_counts_warnings() {
    let plan = fixture("reports");
    let all = crate::run(&[
        "check",
        "--today",
        TODAY,
        "--plan",
        plan.to_str().expect("utf-8"),
    ]);
    let errors_only = crate::run(&[
        "check",
        "--severity",
        "error",
        "--today",
        TODAY,
        "--plan",
        plan.to_str().expect("utf-8"),
    ]);
    assert_eq!(all.code, errors_only.code);
    let summary = |run: &crate::Run| run.stderr.lines().last().map(str::to_string);
    assert_eq!(
        summary(&all),
        summary(&errors_only),
        "the summary counts everything"
    );
    assert!(
        all.stderr.contains('⚠'),
        "the fixture has warnings:\n{}",
        all.stderr
    );
    assert!(!errors_only.stderr.contains('⚠'), "{}", errors_only.stderr);
    let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let (_, json) = crate::check_json_at(&acme, "2026-11-24");
    let severities: Vec<&str> = crate::field(&json, "severity");
    let first_warning = severities
        .iter()
        .position(|s| *s == "warning")
        .expect("warnings");
    assert!(
        severities[..first_warning].iter().all(|s| *s == "error")
            && severities[first_warning..].iter().all(|s| *s == "warning"),
        "errors first: {severities:?}"
    );
    assert!(first_warning > 0);
}
