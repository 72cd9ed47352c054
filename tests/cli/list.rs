//! `roadlog list` on the example plan: the morning questions each answered by one command,
//! every format, every filter value checked, and the history filters from a real repository.

use std::path::{Path, PathBuf};

use crate::{roadlog_in, run};

/// The example plan's sprint S24 is current on this day.
const DAY: &str = "2026-11-25";

fn acme() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme")
}

fn list(args: &[&str]) -> crate::Run {
    let plan = acme();
    let mut all = vec!["list"];
    all.extend(args);
    all.extend(["--today", DAY, "--plan", plan.to_str().expect("utf-8")]);
    run(&all)
}

/// The ids `list` prints for `args`, after checking it succeeded.
fn ids(args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.extend(["--format", "ids"]);
    let out = list(&all);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out.stdout.lines().map(str::to_string).collect()
}

#[test]
fn each_morning_question_is_one_command() {
    // Blocked: BL-150 says so; BL-103 waits on BL-102, which is in review.
    assert_eq!(ids(&["--blocked"]), ["BL-103", "BL-150"]);
    assert_eq!(ids(&["--assignee", "lee"]), ["BL-150", "BL-151"]);
    // Names are typed by hand: `Lee` is `lee`.
    assert_eq!(ids(&["--assignee", "Lee"]), ["BL-150", "BL-151"]);
    assert_eq!(ids(&["--assignee", "LEE"]), ["BL-150", "BL-151"]);
    let typo = list(&["--assignee", "Prya"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean `priya`?"),
        "{}",
        typo.stderr
    );
    assert_eq!(
        ids(&["--sprint", "current", "--theme", "enterprise-security"]),
        ["BL-102", "BL-111"]
    );
    // Through the epic: BL-122 names no theme itself.
    assert_eq!(
        ids(&["--theme", "mobile-experience", "--open"]),
        ["BL-120", "BL-122", "BL-123"]
    );
    assert_eq!(ids(&["--status", "review"]), ["BL-102"]);
    assert_eq!(ids(&["--kind", "bug"]), ["BL-112", "BL-190"]);
    assert_eq!(
        ids(&["--themes", "--status", "active", "--sort", "id"]).len(),
        3
    );
    // Filters combine with AND: nothing is both blocked and lee's open story in S23.
    assert_eq!(
        ids(&["--blocked", "--assignee", "lee", "--sprint", "2026-S23"]),
        Vec::<String>::new()
    );
}

#[test]
fn sorting_and_the_ids_format_serve_scripts() {
    let by_id = ids(&["--sort", "id", "--open"]);
    let mut sorted = by_id.clone();
    sorted.sort_by_key(|id| id.trim_start_matches("BL-").parse::<u32>().expect("number"));
    assert_eq!(by_id, sorted);
    let by_estimate = list(&["--sort", "estimate", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&by_estimate.stdout).expect("json");
    let estimates: Vec<Option<f64>> = v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["estimate"].as_f64())
        .collect();
    let known: Vec<f64> = estimates.iter().flatten().copied().collect();
    assert!(known.windows(2).all(|w| w[0] >= w[1]), "{estimates:?}");
    let first_unknown = estimates.iter().position(Option::is_none);
    assert!(
        first_unknown.is_none_or(|p| estimates[p..].iter().all(Option::is_none)),
        "unestimated last: {estimates:?}"
    );
}

#[test]
fn every_format_snapshotted() {
    for (name, args) in [
        ("open", &["--open"][..]),
        ("blocked", &["--blocked"][..]),
        ("themes", &["--themes"][..]),
    ] {
        for format in ["table", "markdown", "json"] {
            let mut all = args.to_vec();
            all.extend(["--format", format]);
            let out = run_with_columns(&all);
            assert_eq!(out.code, 0, "{name} {format}: {}", out.stderr);
            insta::assert_snapshot!(format!("list_{name}__{format}"), out.stdout);
        }
    }
    let none = list(&["--kind", "chore", "--status", "done"]);
    assert_eq!((none.code, none.stdout.as_str()), (0, "No items match.\n"));
}

/// `list` at a width that shows every column.
fn run_with_columns(args: &[&str]) -> crate::Run {
    let plan = acme();
    crate::run_with(
        crate::roadlog()
            .env("COLUMNS", "200")
            .arg("list")
            .args(args)
            .args(["--today", DAY, "--plan"])
            .arg(plan),
    )
}

#[test]
fn every_filter_value_is_checked_with_a_near_miss() {
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["--theme", "mobile-experiense"],
            "no theme has the id `mobile-experiense`",
            "did you mean `mobile-experience`?",
        ),
        (
            &["--status", "in-progres"],
            "`in-progres` is not an item status of this plan",
            "did you mean `in-progress`?",
        ),
        (&["--kind", "storey"], "`storey` is not a kind", "`story`"),
        (
            &["--assignee", "pria"],
            "no item is assigned to `pria`",
            "did you mean `priya`?",
        ),
        (
            &["--sprint", "2026-S2"],
            "no sprint `2026-S2`",
            "did you mean",
        ),
        (
            &["--tag", "securty"],
            "no item or theme has the tag `securty`",
            "`security`",
        ),
        (
            &["--themes", "--status", "todo"],
            "`todo` is not a theme status",
            "proposed, active, done, dropped",
        ),
    ];
    for (args, message, help) in cases {
        let out = list(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
        assert!(
            out.stderr.contains(message) && out.stderr.contains(help),
            "{args:?}: {}",
            out.stderr
        );
    }
    let plan = acme();
    let between = run(&[
        "list",
        "--sprint",
        "current",
        "--today",
        "2027-03-01",
        "--plan",
        plan.to_str().expect("utf-8"),
    ]);
    assert_eq!(between.code, 2, "{}", between.stderr);
    assert!(
        between
            .stderr
            .contains("no sprint is current on 2027-03-01"),
        "{}",
        between.stderr
    );
    let clash = list(&["--themes", "--blocked"]);
    assert_eq!(clash.code, 2, "{}", clash.stderr);
}

#[test]
fn stale_and_suspect_read_git_or_say_why_not() {
    let out = list(&["--stale"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("--stale reads the plan's git history")
            && out.stderr.contains("not inside a git repository"),
        "{}",
        out.stderr
    );

    // A repository where mobile-experience's objective moved after its items were planned, and
    // BL-123 was looked at since.
    let dir = crate::acme_copy();
    let git = |args: &[&str], date: &str| crate::git::git_at(dir.path(), date, args);
    crate::git::git(dir.path(), &["init", "-q", "-b", "main"]);
    git(&["add", "."], "2026-06-01T10:00:00Z");
    git(&["commit", "-qm", "plan"], "2026-06-01T10:00:00Z");
    let theme = dir.path().join("roadmap/mobile-experience.yaml");
    let text = std::fs::read_to_string(&theme).expect("theme");
    let moved = text.replace(
        "Lift weekly active mobile users by making the app fast and usable on the go.",
        "Lift weekly active mobile users.",
    );
    assert_ne!(
        moved, text,
        "the example's objective is as this test expects"
    );
    std::fs::write(&theme, moved).expect("write");
    git(&["commit", "-qam", "new why"], "2026-11-01T10:00:00Z");
    let out = roadlog_in(dir.path(), &["set", "BL-123", "reviewed", "2026-11-20"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    git(&["commit", "-qam", "reviewed"], "2026-11-20T10:00:00Z");

    let in_repo = |args: &[&str]| {
        let mut all = vec!["list"];
        all.extend(args);
        all.extend(["--today", DAY, "--format", "ids"]);
        let out = roadlog_in(dir.path(), &all);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        out.stdout.lines().map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(in_repo(&["--suspect"]), ["BL-120", "BL-122"]);
    // Stale after 90 days (the default): every open item but the one touched on 2026-11-20.
    let stale = in_repo(&["--stale", "--theme", "mobile-experience"]);
    assert_eq!(stale, ["BL-120", "BL-122"]);
}
