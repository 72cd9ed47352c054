//! `roadlog check` on the fixture plans: findings exactly where marked, snapshots, exit codes.

use std::path::Path;

use crate::{TODAY, check_json, check_json_at, diagnostics, field, fixture, markers, run};

fn plan_arg(name: &str) -> String {
    fixture(name).to_str().expect("utf-8").to_string()
}

#[test]
fn every_rule_fixture_fires_exactly_where_marked() {
    let mut names: Vec<String> = std::fs::read_dir(fixture("rules"))
        .expect("rules fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 20, "{names:?}");
    for name in &names {
        let plan = fixture(&format!("rules/{name}"));
        let (run, json) = check_json(&plan);
        let expected = markers(&plan);
        let actual = diagnostics(&json);
        assert_eq!(
            actual, expected,
            "fixture rules/{name}: findings differ from the `# expect:` markers\n{}",
            run.stdout
        );
        assert!(
            actual.iter().any(|(_, _, rule)| rule == name),
            "rules/{name} never fires {name}"
        );
        let errors = json["summary"]["errors"].as_u64().expect("errors");
        assert_eq!(
            run.code,
            if errors > 0 { 1 } else { 0 },
            "rules/{name} exit code"
        );
        insta::assert_snapshot!(format!("json__{name}"), run.stdout);
        let human = run_human(&format!("rules/{name}"));
        insta::assert_snapshot!(format!("human__{name}"), human);
    }
}

fn run_human(name: &str) -> String {
    let run = run(&["check", "--today", TODAY, "--plan", &plan_arg(name)]);
    assert!(
        run.stdout.is_empty(),
        "human check writes nothing to stdout"
    );
    run.stderr
}

#[test]
fn every_rule_of_the_catalogue_has_a_fixture_or_a_dedicated_test() {
    // stale-item and suspect-item need git history and unreadable-file needs links and
    // folders a checkout
    // cannot hold; each has its own tests.
    for rule in roadlog_engine::diag::Rule::ALL {
        let code = rule.code();
        let dedicated = ["stale-item", "suspect-item", "unreadable-file"].contains(&code);
        assert!(
            dedicated || fixture(&format!("rules/{code}")).is_dir(),
            "no fixture for {code}"
        );
    }
}

#[test]
fn clean_plan_passes_with_no_findings() {
    let (run, json) = check_json(&fixture("clean"));
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    assert_eq!(
        json["summary"],
        serde_json::json!({"themes": 4, "items": 8, "errors": 0, "warnings": 0})
    );
    let strict = run_with_deny("clean");
    assert_eq!(strict.code, 0);
    assert_eq!(
        strict.stderr,
        "note: skipped `stale-item` and `suspect-item`: the plan is not inside a git repository\n\
         checked 4 themes and 8 items: 0 errors, 0 warnings\n"
    );
}

fn run_with_deny(name: &str) -> crate::Run {
    run(&[
        "check",
        "--deny-warnings",
        "--today",
        TODAY,
        "--plan",
        &plan_arg(name),
    ])
}

#[test]
fn warnings_fail_only_under_deny_warnings() {
    let plain = run(&[
        "check",
        "--today",
        TODAY,
        "--plan",
        &plan_arg("rules/orphan-item"),
    ]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert!(
        plain
            .stderr
            .ends_with("checked 1 theme and 5 items: 0 errors, 2 warnings\n"),
        "{}",
        plain.stderr
    );
    assert_eq!(run_with_deny("rules/orphan-item").code, 1);
}

#[test]
fn rule_levels_come_from_config() {
    let (run, json) = check_json(&fixture("config-levels"));
    assert_eq!(diagnostics(&json), markers(&fixture("config-levels")));
    assert_eq!(json["diagnostics"][0]["severity"], "error");
    assert_eq!(run.code, 1);
    // stale-theme is off (the theme has no review date), and stale-item and suspect-item are
    // off, so not even skipped.
    assert_eq!(json["skipped"], serde_json::json!([]));
}

#[test]
fn a_finding_points_at_the_list_entry_at_fault() {
    let (_, json) = check_json(&fixture("rules/unknown-dependency"));
    let found: Vec<(u64, u64)> = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().expect("line"),
                d["column"].as_u64().expect("column"),
            )
        })
        .collect();
    // `depends_on: [A-1, A-999]` points at A-999; the block list points at `- core`'s value.
    assert_eq!(found, vec![(4, 19), (6, 5)]);
}

#[test]
fn did_you_mean_helps_with_near_miss_ids_and_keys() {
    let (_, json) = check_json(&fixture("rules/unknown-theme"));
    let helps = field(&json, "help");
    assert_eq!(
        helps,
        vec![
            "did you mean `core`?",
            "`a-1` is a backlog item; to break it down, write `parent: a-1`",
            "did you mean `core`?",
        ]
    );
    let (_, json) = check_json(&fixture("rules/unknown-field"));
    let helps = field(&json, "help");
    assert_eq!(helps[0], "did you mean `assignee`?");
    assert!(helps.contains(&"did you mean `title`?"), "{helps:?}");
}

#[test]
fn cycles_are_reported_once_naming_their_members() {
    let (_, json) = check_json(&fixture("rules/parent-cycle"));
    let messages = field(&json, "message");
    assert_eq!(
        messages,
        vec![
            "parent cycle: P-1 → P-2 → P-1",
            "parent cycle: P-3 → P-3",
            "following the themes' `parent` returns to the start: init-a → init-b → init-a"
        ]
    );
    let (_, json) = check_json(&fixture("rules/dependency-cycle"));
    let messages = field(&json, "message");
    assert_eq!(
        messages,
        vec![
            "dependency cycle among `D-1`, `D-2`, `D-3`",
            "`D-4` depends on itself"
        ]
    );
}

#[test]
fn sprint_rule_is_skipped_without_a_current_sprint_and_says_so_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("roadlog.yaml"), "").expect("write");
    let run = run(&[
        "check",
        "--today",
        TODAY,
        "--plan",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "note: skipped `stale-item` and `suspect-item`: the plan is not inside a git repository\n\
         note: skipped `sprint-misaligned`: no current sprint: set `current_sprint`, or give `sprints` a sprint covering 2025-08-15\n\
         checked 0 themes and 0 items: 0 errors, 0 warnings\n"
    );
}

#[test]
fn current_sprint_comes_from_the_calendar_and_today() {
    // The clean plan's calendar has 2025-S15 (Aug 4-17) and 2025-S16 (Aug 18-31). A-22 sits in
    // S16 on a proposed theme: silent on Aug 15, misaligned on Aug 20.
    let (_, json) = check_json_at(&fixture("clean"), "2025-08-20");
    let rules = field(&json, "rule");
    assert_eq!(rules, vec!["sprint-misaligned"]);
    assert_eq!(json["diagnostics"][0]["file"], "backlog/A-22.yaml");
}

#[test]
fn example_plan_reports_its_documented_problems() {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let run = run(&[
        "check",
        "--today",
        "2026-11-24",
        "--plan",
        plan.to_str().expect("utf-8"),
    ]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("human__example_acme", run.stderr);
    let (_, json) = check_json_at(&plan, "2026-11-24");
    insta::assert_snapshot!(
        "json__example_acme",
        serde_json::to_string_pretty(&json).expect("json")
    );
}

#[test]
fn plan_root_is_found_upwards_from_the_current_folder() {
    let plan = fixture("clean");
    let out = crate::run_with(
        crate::roadlog()
            .current_dir(plan.join("backlog/epics"))
            .args(["check", "--today", TODAY, "-q"]),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr, "",
        "-q prints nothing when there is nothing to report"
    );
    let env = crate::run_with(
        crate::roadlog()
            .env("ROADLOG_PLAN", &plan)
            .env("ROADLOG_TODAY", TODAY)
            .args(["check", "--format", "json"]),
    );
    assert_eq!(env.code, 0, "{}", env.stderr);
}

#[test]
fn verbose_names_the_plan_root_date_and_sprint() {
    let plan = plan_arg("clean");
    let line = format!(
        "plan {plan}, revision the working tree, today 2025-08-15, current sprint 2025-S15\n"
    );
    for args in [
        &["check"][..],
        &["progress"],
        &["report", "pm"],
        &["roadmap"],
        &["trace", "core"],
    ] {
        let mut all = args.to_vec();
        all.extend(["-v", "--today", TODAY, "--plan", &plan]);
        let out = run(&all);
        assert_eq!(out.code, 0, "{args:?}");
        assert!(out.stderr.starts_with(&line), "{args:?}: {}", out.stderr);
    }
}
