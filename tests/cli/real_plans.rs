//! The defects a new user and a real 2,135-item history hit: reading plans as people write them.

use std::path::Path;

use crate::{TODAY, check_json};

/// A plan in a temporary folder, from (path, text) pairs; `roadlog.yaml` is empty unless given.
pub(crate) fn plan_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::git::write(&dir.path().join("roadlog.yaml"), "");
    for (path, text) in files {
        crate::git::write(&dir.path().join(path), text);
    }
    dir
}

/// A finding as (file, line, column, rule, severity, message).
type Seen = (String, u64, u64, String, String, String);

fn seen(plan: &Path) -> Vec<Seen> {
    let (_, json) = check_json(plan);
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").into(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["rule"].as_str().unwrap_or("").into(),
                d["severity"].as_str().unwrap_or("").into(),
                d["message"].as_str().unwrap_or("").into(),
            )
        })
        .collect()
}

fn one(file: &str, line: u64, col: u64, rule: &str, severity: &str, message: &str) -> Seen {
    (
        file.into(),
        line,
        col,
        rule.into(),
        severity.into(),
        message.into(),
    )
}

const THEME: &str =
    "title: T\nobjective: O\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n";

#[test]
fn blank_titles_and_objectives_are_missing_fields() {
    let dir = plan_with(&[
        (
            "roadmap/t.yaml",
            "title: \"\"\nobjective: \"   \"\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n",
        ),
        (
            "backlog/A-1.yaml",
            "title: \"  \"\nstatus: \"\"\ntheme: t\n",
        ),
    ]);
    assert_eq!(
        seen(dir.path()),
        [
            one(
                "backlog/A-1.yaml",
                1,
                1,
                "missing-field",
                "error",
                "`title` is empty"
            ),
            one(
                "backlog/A-1.yaml",
                2,
                1,
                "missing-field",
                "error",
                "`status` is empty"
            ),
            one(
                "roadmap/t.yaml",
                1,
                1,
                "missing-field",
                "error",
                "`title` is empty"
            ),
            one(
                "roadmap/t.yaml",
                2,
                1,
                "missing-field",
                "error",
                "`objective` is empty"
            ),
        ]
    );
    let out = crate::roadlog_in(dir.path(), &["new", "item", "--title", " ", "--theme", "t"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains("`title` is empty"), "{}", out.stderr);
}

#[test]
fn a_theme_and_an_item_with_one_id_each_keep_their_own_links() {
    // Whatever the path order, `theme:` finds the theme and `parent`/`depends_on` the item.
    let dir = plan_with(&[
        ("roadmap/core.yaml", THEME),
        (
            "backlog/a/core.yaml",
            "title: Core item\nstatus: todo\ntheme: core\n",
        ),
        (
            "backlog/B-1.yaml",
            "title: B\nstatus: todo\ntheme: core\ndepends_on: [core]\n",
        ),
        (
            "backlog/B-2.yaml",
            "title: B2\nstatus: todo\nparent: core\n",
        ),
    ]);
    let found = seen(dir.path());
    assert_eq!(
        found.iter().map(|f| f.3.as_str()).collect::<Vec<_>>(),
        ["duplicate-id"],
        "{found:?}"
    );
    let (_, progress) = crate::roadlog_json(dir.path(), &["progress"]);
    // B-1 and B-2 (under the item `core`) are the leaves serving the theme `core`.
    assert_eq!(progress["themes"][0]["items"]["open"], 2, "{progress}");
}

#[test]
fn a_duplicated_item_id_moves_no_work_between_themes() {
    let dir = plan_with(&[
        ("roadmap/red.yaml", THEME),
        ("roadmap/blue.yaml", THEME),
        (
            "backlog/red/E-1.yaml",
            "title: Red epic\nkind: epic\nstatus: todo\ntheme: red\n",
        ),
        (
            "backlog/red/S-1.yaml",
            "title: Red story\nstatus: done\nparent: E-1\nestimate: 5\n",
        ),
        (
            "backlog/blue/E-1.yaml",
            "title: Blue epic\nkind: epic\nstatus: todo\ntheme: blue\n",
        ),
    ]);
    let (_, progress) = crate::roadlog_json(dir.path(), &["progress"]);
    let by_id = |id: &str| {
        progress["themes"]
            .as_array()
            .expect("themes")
            .iter()
            .find(|t| t["id"] == id)
            .cloned()
            .expect("theme")
    };
    assert_eq!(by_id("blue")["done"], 0.0, "S-1 is not credited to blue");
    assert_eq!(
        by_id("red")["done"],
        0.0,
        "nor to red: its parent id is ambiguous"
    );
    assert_eq!(
        progress["ambiguous"],
        serde_json::json!([{"id": "E-1", "items": 1}])
    );
    let table = crate::roadlog_in(dir.path(), &["progress", "--today", TODAY]);
    assert!(
        table
            .stdout
            .contains("1 item counted in no theme: its chain names `E-1`"),
        "{}",
        table.stdout
    );
    let trace = crate::roadlog_in(dir.path(), &["trace", "S-1", "--today", TODAY]);
    assert!(
        trace
            .stdout
            .contains("which several items hold (duplicate-id)"),
        "{}",
        trace.stdout
    );
    let rules: Vec<String> = seen(dir.path()).into_iter().map(|f| f.3).collect();
    assert_eq!(rules, ["duplicate-id"], "no unknown-parent beside it");
}

#[test]
fn numbers_are_bounded_and_finite() {
    let dir = plan_with(&[
        ("roadmap/t.yaml", THEME),
        (
            "backlog/A-1.yaml",
            "title: A\nstatus: todo\ntheme: t\nestimate: 1e308\n",
        ),
        (
            "backlog/A-2.yaml",
            "title: A\nstatus: todo\ntheme: t\nestimate: .nan\n",
        ),
        (
            "backlog/A-3.yaml",
            "title: A\nstatus: todo\ntheme: t\nestimate: 100000\n",
        ),
    ]);
    assert_eq!(
        seen(dir.path()),
        [
            one(
                "backlog/A-1.yaml",
                4,
                11,
                "invalid-value",
                "error",
                "`estimate` must be a number from 0 to 100000, found 1e308"
            ),
            one(
                "backlog/A-2.yaml",
                4,
                11,
                "invalid-value",
                "error",
                "`estimate` must be a finite number, found .nan"
            ),
        ]
    );
}

#[test]
fn a_malformed_review_date_is_one_finding_and_a_future_done_on_a_warning() {
    let dir = plan_with(&[
        (
            "roadmap/t.yaml",
            "title: T\nobjective: O\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-13-45\n",
        ),
        (
            "backlog/A-1.yaml",
            "title: A\nstatus: done\ntheme: t\ndone_on: 2025-09-01\n",
        ),
        (
            "backlog/A-2.yaml",
            "title: A\nstatus: done\ntheme: t\ndone_on: 2025-08-15\n",
        ),
    ]);
    assert_eq!(
        seen(dir.path()),
        [
            one(
                "roadmap/t.yaml",
                5,
                11,
                "invalid-value",
                "error",
                "`2025-13-45` is not a day of the calendar"
            ),
            one(
                "backlog/A-1.yaml",
                4,
                10,
                "invalid-value",
                "warning",
                "`done_on` is 2025-09-01, after today (2025-08-15)"
            ),
        ]
    );
}

#[test]
fn a_tab_is_pointed_at_with_the_fix_in_plan_files_and_the_config() {
    let dir = plan_with(&[("backlog/A-1.yaml", "title: t\nstatus: todo\n\ttheme: x\n")]);
    let (_, json) = check_json(dir.path());
    let d = &json["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(1)),
        "{d}"
    );
    assert_eq!(d["message"], "invalid YAML: a tab indents this line");
    assert_eq!(
        d["help"],
        "indent with spaces; YAML does not allow tabs here"
    );
    crate::git::write(
        &dir.path().join("roadlog.yaml"),
        "product: P\nsprints:\n\t- x\n",
    );
    let (run, json) = check_json(dir.path());
    assert_eq!(run.code, 2);
    let d = &json["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(1)),
        "{d}"
    );
    assert_eq!(
        d["help"],
        "indent with spaces; YAML does not allow tabs here"
    );
}

#[test]
fn messages_are_sentences_not_library_internals() {
    let big = format!("a: [{}]\n", vec!["[1]"; 130_000].join(","));
    let dir = plan_with(&[
        ("roadlog.yaml", "statuses:\n  qa: testing\n"),
        ("backlog/A-1.yaml", &big),
    ]);
    let (_, json) = check_json(dir.path());
    assert_eq!(json["error"]["code"], "config");
    assert_eq!(
        json["diagnostics"][0]["message"],
        "`testing` is not a built-in status"
    );
    crate::git::write(&dir.path().join("roadlog.yaml"), "");
    let (_, json) = check_json(dir.path());
    let message = json["diagnostics"][0]["message"].as_str().expect("message");
    assert_eq!(
        message,
        "invalid YAML: it holds more values than roadlog reads in one file (over 250000)"
    );
    for d in json["diagnostics"].as_array().expect("array") {
        let text = d.to_string();
        assert!(
            !text.contains("Nodes {") && !text.contains("policy"),
            "{text}"
        );
    }
}

#[test]
fn set_and_new_refuse_what_adds_an_error_anywhere_and_say_what_adds_a_warning() {
    let dir = crate::acme_copy();
    let p = dir.path();
    let before = crate::snapshot(p);
    let today = ["--today", "2026-11-24"];
    for args in [
        &["set", "BL-121", "theme", "enterprise-security"][..],
        &[
            "new",
            "item",
            "--title",
            "X",
            "--parent",
            "BL-120",
            "--theme",
            "enterprise-security",
        ],
    ] {
        let out = crate::roadlog_in(p, &[args, &today[..]].concat());
        assert_eq!(out.code, 2, "{args:?}: {}", out.stdout);
        assert!(
            out.stderr.contains("would not pass `roadlog check`")
                && out.stderr.contains("[theme-conflict]"),
            "{args:?}: {}",
            out.stderr
        );
        assert_eq!(crate::snapshot(p), before, "{args:?} wrote something");
    }
    let out = crate::roadlog_in(
        p,
        &["set", "BL-110", "status", "done", "--today", "2026-11-24"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "backlog/security/BL-110.yaml\n");
    assert_eq!(
        out.stderr,
        "warning: `BL-110` is done but `BL-111`, `BL-112` are still open [done-with-open-children] \
         at backlog/security/BL-110.yaml:3\n"
    );
}

#[test]
fn a_review_is_recorded_as_today() {
    let dir = crate::acme_copy();
    let p = dir.path();
    let out = crate::roadlog_in(
        &p.join("backlog"),
        &[
            "set",
            "enterprise-security",
            "reviewed",
            "today",
            "--today",
            "2026-11-30",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout, "../roadmap/enterprise-security.yaml\n",
        "clickable from backlog/"
    );
    let text = std::fs::read_to_string(p.join("roadmap/enterprise-security.yaml")).expect("read");
    assert!(text.contains("reviewed: 2026-11-30\n"), "{text}");
}

#[test]
fn a_done_theme_without_a_horizon_is_on_the_roadmap_in_every_format() {
    let dir = plan_with(&[
        (
            "roadmap/old.yaml",
            "title: Old win\nobjective: O\nstatus: done\n",
        ),
        (
            "roadmap/gone.yaml",
            "title: Gone\nobjective: O\nstatus: dropped\n",
        ),
    ]);
    for format in ["table", "markdown", "json", "mermaid"] {
        let out = crate::run_with(
            crate::roadlog()
                .args(["roadmap", "--format", format, "--today", TODAY, "--plan"])
                .arg(dir.path()),
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("Old win"), "{format}: {}", out.stdout);
        assert!(
            !out.stdout.contains("Gone"),
            "{format}: dropped themes stay hidden"
        );
    }
}

#[test]
fn exec_health_is_earned_and_said_once() {
    let dir = plan_with(&[
        (
            "roadmap/a.yaml",
            "title: Proposed\nobjective: O\nstatus: proposed\nhorizon: 2025-Q3\n",
        ),
        (
            "roadmap/b.yaml",
            "title: Undated\nobjective: O\nstatus: active\nhorizon: now\nreviewed: 2025-08-01\n",
        ),
        (
            "roadmap/c.yaml",
            "title: Typo\nobjective: O\nstatus: active\nhorizon: 2025-q3\nreviewed: 2025-08-01\n",
        ),
        (
            "roadmap/d.yaml",
            "title: Dated\nobjective: O\nstatus: active\nhorizon: 2025-Q4\nreviewed: 2025-08-01\n",
        ),
        ("backlog/B-1.yaml", "title: B\nstatus: todo\ntheme: b\n"),
        ("backlog/D-1.yaml", "title: D\nstatus: todo\ntheme: d\n"),
    ]);
    let (_, exec) = crate::roadlog_json(dir.path(), &["report", "exec"]);
    let health: Vec<(&str, &str)> = exec["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap_or(""),
                t["health"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        health,
        [
            ("a", "not-scheduled"),
            ("d", "on-track"),
            ("b", "not-scheduled"),
            ("c", "not-scheduled")
        ]
    );
    let acme = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let out = crate::run_with(
        crate::roadlog()
            .args(["report", "exec", "--today", "2026-11-24", "--plan"])
            .arg(&acme),
    );
    assert!(
        out.stdout.contains("2026-Q3 · done · 87%"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("done · done"), "{}", out.stdout);
}

#[test]
fn roadmap_and_progress_leave_internal_themes_out_with_external() {
    let dir = plan_with(&[
        (
            "roadmap/pub.yaml",
            "title: Public bet\nobjective: O\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n",
        ),
        (
            "roadmap/int.yaml",
            "title: Secret bet\nobjective: O\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\nvisibility: internal\nowner: Dana\n",
        ),
    ]);
    for args in [
        &["roadmap"][..],
        &["progress"],
        &["roadmap", "--format", "mermaid"],
    ] {
        let run = |extra: &[&str]| {
            crate::run_with(
                crate::roadlog()
                    .args(args)
                    .args(extra)
                    .args(["--today", TODAY, "--plan"])
                    .arg(dir.path()),
            )
            .stdout
        };
        assert!(run(&[]).contains("Secret bet"), "{args:?}");
        let external = run(&["--external"]);
        assert!(external.contains("Public bet"), "{args:?}: {external}");
        assert!(
            !external.contains("Secret") && !external.contains("Dana"),
            "{args:?}: {external}"
        );
    }
}

#[test]
fn history_buckets_commits_by_their_own_day_across_time_zones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    crate::git::git(root, &["init", "-q", "-b", "main"]);
    crate::git::write(&root.join("plan/roadlog.yaml"), "progress_by: count\n");
    crate::git::write(
        &root.join("plan/roadmap/core.yaml"),
        "title: Core\nobjective: O\nstatus: active\nhorizon: 2019-Q1\n",
    );
    crate::git::write(
        &root.join("plan/backlog/W-1.yaml"),
        "title: W\nstatus: todo\ntheme: core\n",
    );
    crate::git::write(
        &root.join("plan/backlog/W-2.yaml"),
        "title: W\nstatus: todo\ntheme: core\n",
    );
    crate::git::git_at(root, "2019-01-15T12:00:00+01:00", &["add", "-A"]);
    crate::git::git_at(
        root,
        "2019-01-15T12:00:00+01:00",
        &["commit", "-q", "-m", "jan"],
    );
    // 2019-02-28 17:00 in San Francisco is 2019-03-01 01:00 UTC: git log says February.
    crate::git::write(
        &root.join("plan/backlog/W-1.yaml"),
        "title: W\nstatus: done\ntheme: core\n",
    );
    crate::git::git_at(
        root,
        "2019-02-28T17:00:00-08:00",
        &["commit", "-q", "-am", "feb"],
    );
    // 2019-03-31 23:30 in Tokyo is still March 31st there, though 14:30 UTC too.
    crate::git::write(
        &root.join("plan/backlog/W-2.yaml"),
        "title: W\nstatus: done\ntheme: core\n",
    );
    crate::git::git_at(
        root,
        "2019-04-01T07:30:00+09:00",
        &["commit", "-q", "-am", "mar"],
    );
    let monthly = crate::git::history_json(root, &["--every", "month"]);
    let dates: Vec<&str> = monthly["samples"]
        .as_array()
        .expect("samples")
        .iter()
        .map(|s| s["date"].as_str().expect("date"))
        .collect();
    assert_eq!(dates, ["2019-01", "2019-02", "2019-04"]);
    assert_eq!(
        monthly["themes"][0]["progress"],
        serde_json::json!([0.0, 0.5, 1.0])
    );
}

#[test]
fn diff_shows_an_invalid_status_as_written() {
    let dir = crate::git::repo();
    let plan = dir.path().join("product/plan");
    crate::git::write(
        &plan.join("backlog/A-1.yaml"),
        "title: A\nstatus: implementable\ntheme: core\nestimate: 2\n",
    );
    let out = crate::roadlog_in(&plan, &["diff", "--format", "json", "--today", TODAY]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        v["status_changes"],
        serde_json::json!([{"id": "A-1", "title": "A", "old": "done", "new": "implementable"}])
    );
}

#[test]
fn the_team_report_says_what_is_there() {
    let dir = plan_with(&[
        (
            "roadlog.yaml",
            "progress_by: count\nsprints:\n  - { id: S1, start: 2025-08-01, end: 2025-08-14 }\n  - { id: S2, start: 2025-08-18, end: 2025-08-31 }\n",
        ),
        ("roadmap/t.yaml", THEME),
        ("backlog/A-1.yaml", "title: A\nstatus: todo\ntheme: t\n"),
        (
            "backlog/A-2.yaml",
            "title: B\nstatus: todo\ntheme: t\nsprint: S2\n",
        ),
    ]);
    // 2025-08-15 falls between the two sprints.
    let team = |extra: &[&str], today: &str| {
        crate::run_with(
            crate::roadlog()
                .args(["report", "team"])
                .args(extra)
                .args(["--today", today, "--plan"])
                .arg(dir.path()),
        )
        .stdout
    };
    let between = team(&[], TODAY);
    assert!(
        between.contains("Between sprints: the next sprint, `S2`, starts on 2025-08-18."),
        "{between}"
    );
    let none = team(&["--limit", "0"], TODAY);
    assert!(
        none.contains("2 items are open outside the sprint; raise --limit to list them."),
        "{none}"
    );
    let counted = team(&[], "2025-08-20");
    assert!(
        counted.contains("0 of 1 items done"),
        "items, not points: {counted}"
    );
}

#[test]
fn flags_a_command_cannot_use_are_refused_not_ignored() {
    let dir = crate::git::repo();
    let plan = dir.path().join("product/plan");
    // Not offered at all: clap refuses them, and `--help` does not list them.
    let out = crate::roadlog_in(&plan, &["diff", "--rev", "HEAD~1"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unexpected argument '--rev'"),
        "{}",
        out.stderr
    );
    for args in [
        &["init", "other", "--rev", "HEAD"][..],
        &["set", "A-1", "status", "done", "--no-cache"],
        &["rename", "A-1", "A-2", "--rev", "HEAD"],
        &["new", "item", "--title", "x", "--cache-dir", "/tmp"],
    ] {
        let out = crate::roadlog_in(dir.path(), args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(
            out.stderr.contains("unexpected argument"),
            "{args:?}: {}",
            out.stderr
        );
    }
    assert!(!dir.path().join("other").exists());
    for command in ["set", "rename", "init"] {
        let help = crate::roadlog_in(dir.path(), &[command, "--help"]).stdout;
        assert!(
            !help.contains("--rev") && !help.contains("--no-cache"),
            "{command}: {help}"
        );
    }
    let help = crate::roadlog_in(dir.path(), &["check", "--help"]).stdout;
    let (own, global) = help
        .split_once("Global options:")
        .expect("a heading of its own");
    assert!(
        own.contains("--format") && !own.contains("--plan"),
        "{help}"
    );
    assert!(
        global.contains("--plan") && global.contains("--rev"),
        "{help}"
    );
}
