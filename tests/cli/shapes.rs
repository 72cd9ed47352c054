//! Roadmap shapes beyond active work: a theme whose period closed, and standing commitments that
//! are traced but never weighed.

use std::path::Path;

use serde_json::Value;

use crate::{roadlog, run_with};

const DAY: &str = "2025-08-15";

fn write(p: &Path, rel: &str, text: &str) {
    let path = p.join(rel);
    std::fs::create_dir_all(path.parent().expect("folder")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A closed half-year behind a live theme with a standing support rota.
fn plan() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    write(p, "roadlog.yaml", "product: Shapes\n");
    write(
        p,
        "roadmap/h1.yaml",
        "title: First half goals\nobjective: O\nstatus: closed\nhorizon: 2025-Q1..2025-Q2\n",
    );
    write(
        p,
        "roadmap/core.yaml",
        "title: Core\nobjective: O\nstatus: active\nhorizon: 2025-Q4\nreviewed: 2025-08-01\n",
    );
    write(
        p,
        "backlog/A-1.yaml",
        "title: Left open\nstatus: todo\ntheme: h1\nestimate: 3\n",
    );
    write(
        p,
        "backlog/A-2.yaml",
        "title: Finished\nstatus: done\ntheme: h1\nestimate: 1\n",
    );
    write(
        p,
        "backlog/S-1.yaml",
        "title: Support rota\nstatus: in-progress\ntheme: core\nestimate: 50\ncounts: false\n",
    );
    write(
        p,
        "backlog/B-1.yaml",
        "title: Build\nstatus: done\ntheme: core\nestimate: 2\n",
    );
    dir
}

fn json(p: &Path, args: &[&str]) -> Value {
    let out = run_with(
        roadlog()
            .arg("--plan")
            .arg(p)
            .args(["--today", DAY])
            .args(args)
            .args(["--format", "json"]),
    );
    assert!(out.code == 0 || out.code == 1, "{args:?}: {}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", out.stdout))
}

fn theme<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {v}"))
}

#[test]
fn a_closed_period_is_neither_overdue_nor_done_and_its_open_work_is_flagged() {
    let dir = plan();
    let check = json(dir.path(), &["check"]);
    let rules: Vec<&str> = check["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    assert!(!rules.contains(&"overdue-theme"), "{rules:?}");
    assert!(rules.contains(&"inactive-theme-work"), "{rules:?}");
    let exec = json(dir.path(), &["report", "exec"]);
    let h1 = theme(&exec, "h1");
    assert_eq!(h1["health"], "closed");
    assert_eq!(h1["progress"], 0.25, "kept as it stands, not counted done");
    let progress = json(dir.path(), &["progress"]);
    assert!(
        progress["themes"]
            .as_array()
            .expect("themes")
            .iter()
            .all(|t| t["id"] != "h1"),
        "a closed theme is left out of progress like a done one, unless --all"
    );
    assert_eq!(
        theme(&json(dir.path(), &["progress", "--all"]), "h1")["status"],
        "closed"
    );
}

#[test]
fn a_standing_commitment_is_traced_and_listed_but_never_weighed() {
    let dir = plan();
    let progress = json(dir.path(), &["progress"]);
    let core = theme(&progress, "core");
    assert_eq!(
        core["progress"], 1.0,
        "the rota's 50 points weigh nothing: {core}"
    );
    assert_eq!(core["total"], 2.0);
    let list = json(dir.path(), &["list", "--theme", "core"]);
    let ids: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert!(ids.contains(&"S-1"), "{ids:?}");
    let trace = json(dir.path(), &["trace", "S-1"]);
    assert!(trace["broken"].is_null(), "traced to its theme: {trace}");
    // Reverted: weighed like any other item, the theme is 2 of 52 points done.
    let s1 = dir.path().join("backlog/S-1.yaml");
    let text = std::fs::read_to_string(&s1).expect("read");
    std::fs::write(&s1, text.replace("counts: false\n", "")).expect("write");
    let weighed = json(dir.path(), &["progress"]);
    assert_eq!(theme(&weighed, "core")["total"], 52.0);
}

#[test]
fn counts_takes_a_boolean_and_set_writes_one() {
    let dir = plan();
    let set = run_with(
        roadlog()
            .arg("--plan")
            .arg(dir.path())
            .args(["--today", DAY, "set", "S-1", "counts", "true"]),
    );
    assert_eq!(set.code, 0, "{}", set.stderr);
    let written = std::fs::read_to_string(dir.path().join("backlog/S-1.yaml")).expect("read");
    assert!(written.ends_with("counts: true\n"), "{written}");
    drop(dir);
    let dir = plan();
    let s1 = dir.path().join("backlog/S-1.yaml");
    let text = std::fs::read_to_string(&s1).expect("read");
    std::fs::write(&s1, text.replace("counts: false", "counts: no way")).expect("write");
    let check = json(dir.path(), &["check"]);
    let bad = check["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "invalid-value")
        .unwrap_or_else(|| panic!("{check}"));
    assert_eq!(bad["field"], "counts");
    let set = run_with(
        roadlog()
            .arg("--plan")
            .arg(dir.path())
            .args(["--today", DAY, "set", "S-1", "counts", "maybe"]),
    );
    assert_eq!(set.code, 2, "{}", set.stderr);
}

/// A plan with people and a team, in a git repository whose user is Priya.
fn people() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    write(
        p,
        "roadlog.yaml",
        "people:\n  lee: { name: Lee Park, email: lee@acme.io }\n  \
         priya: { name: Priya Raman, email: [priya@acme.io, pr@users.noreply.github.com] }\n\
         teams:\n  platform: [lee, priya]\n",
    );
    write(
        p,
        "roadmap/core.yaml",
        "title: Core\nobjective: O\nstatus: active\nhorizon: 2025-Q4\nreviewed: 2025-08-01\n",
    );
    for (id, who, status) in [
        ("L-1", "Lee", "todo"),
        ("P-1", "priya", "in-progress"),
        ("P-2", "[priya, lee]", "todo"),
        ("P-3", "priya", "done"),
        ("T-1", "platform", "todo"),
        ("J-1", "jun", "todo"),
    ] {
        write(
            p,
            &format!("backlog/{id}.yaml"),
            &format!("title: {id}\nstatus: {status}\ntheme: core\nassignee: {who}\n"),
        );
    }
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(p)
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "PR@users.noreply.github.com"]);
    dir
}

fn ids(p: &Path, args: &[&str]) -> (i32, String, String) {
    let out = run_with(
        roadlog()
            .current_dir(p)
            .env("GIT_CEILING_DIRECTORIES", p.parent().expect("parent"))
            .args(["--today", DAY, "list", "--format", "ids"])
            .args(args),
    );
    (out.code, out.stdout, out.stderr)
}

#[test]
fn a_team_lists_its_members_work_and_mine_is_the_git_user_s() {
    let dir = people();
    let (code, team, err) = ids(dir.path(), &["--assignee", "PLATFORM"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(team, "L-1\nP-1\nP-2\nP-3\nT-1\n");
    let (code, mine, err) = ids(dir.path(), &["--mine"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        mine, "P-1\nP-2\n",
        "Priya's open work, found by her second email in any case"
    );
    let check = json(dir.path(), &["check"]);
    let unknown: Vec<&str> = check["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "unknown-person")
        .filter_map(|d| d["entity"].as_str())
        .collect();
    assert_eq!(unknown, ["J-1"], "`Lee` is lee; only jun is unknown");
}

#[test]
fn mine_says_what_to_do_when_git_s_user_is_nobody_in_the_plan() {
    let dir = people();
    let status = std::process::Command::new("git")
        .current_dir(dir.path())
        .args(["config", "user.email", "stranger@example.com"])
        .status()
        .expect("git runs");
    assert!(status.success());
    let (code, _, err) = ids(dir.path(), &["--mine"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no person of roadlog.yaml has the email `stranger@example.com`"),
        "{err}"
    );
    assert!(err.contains("add `email: stranger@example.com`"), "{err}");
}

#[test]
fn the_team_report_shows_each_person_s_load_against_their_capacity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    write(
        p,
        "roadlog.yaml",
        "sprints:\n  - { id: S1, start: 2025-08-11, end: 2025-08-24 }\npeople:\n  \
         lee: { name: Lee Park, capacity: 8 }\n  priya: { name: Priya Raman, capacity: 10 }\n\
         teams:\n  platform: [lee, priya]\n",
    );
    write(
        p,
        "roadmap/core.yaml",
        "title: Core\nobjective: O\nstatus: active\nhorizon: 2025-Q4\nreviewed: 2025-08-01\n",
    );
    for (id, who, points, status, extra) in [
        ("A-1", "lee", 5, "todo", ""),
        ("A-2", "Lee", 5, "done", ""),
        ("A-3", "[lee, priya]", 4, "todo", ""),
        ("A-4", "platform", 3, "todo", ""),
        ("A-5", "priya", 20, "todo", "counts: false\n"),
        ("A-6", "priya", 9, "wontdo", ""),
    ] {
        write(
            p,
            &format!("backlog/{id}.yaml"),
            &format!(
                "title: {id}\nstatus: {status}\ntheme: core\nsprint: S1\nestimate: {points}\nassignee: {who}\n{extra}"
            ),
        );
    }
    let team = json(p, &["report", "team"]);
    assert_eq!(
        team["load"],
        serde_json::json!([
            {"person": "lee", "name": "Lee Park", "committed": 12.0, "done": 5.0, "capacity": 8.0},
            {"person": "priya", "name": "Priya Raman", "committed": 2.0, "done": 0.0, "capacity": 10.0},
        ]),
        "shared work split, a team's work no one person's, standing and wontdo work not weighed"
    );
    let check = json(p, &["check"]);
    let over: Vec<&str> = check["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "sprint-over-capacity")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert_eq!(
        over,
        ["`lee` holds 12 points of sprint `S1` against a capacity of 8"]
    );
    let table = run_with(
        roadlog()
            .arg("--plan")
            .arg(p)
            .args(["--today", DAY, "report", "team"]),
    );
    assert!(table.stdout.contains("Lee Park (lee)"), "{}", table.stdout);
    assert!(table.stdout.contains("8 (over by 4)"), "{}", table.stdout);
}

/// An initiative over three themes, with work of its own, beside a theme of no initiative.
fn initiative() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    write(p, "roadlog.yaml", "product: Initiatives\n");
    write(
        p,
        "roadmap/platform.yaml",
        "title: Platform 2026\nobjective: O\nstatus: active\nhorizon: 2026-Q1..2026-Q4\n\
         reviewed: 2026-02-01\npriority: 1\n",
    );
    for (id, horizon, rank) in [
        ("api", "2026-Q1", 1),
        ("data", "2026-Q2", 2),
        ("ops", "2026-Q3", 3),
    ] {
        write(
            p,
            &format!("roadmap/{id}.yaml"),
            &format!(
                "title: T {id}\nobjective: O\nstatus: active\nhorizon: {horizon}\nreviewed: 2026-02-01\n\
                 parent: platform\npriority: {rank}\n"
            ),
        );
    }
    write(
        p,
        "roadmap/solo.yaml",
        "title: Solo\nobjective: O\nstatus: active\nhorizon: 2026-Q2\nreviewed: 2026-02-01\n",
    );
    for (id, theme, points, status) in [
        ("A-1", "api", 2, "done"),
        ("A-2", "api", 2, "todo"),
        ("D-1", "data", 4, "done"),
        ("O-1", "ops", 8, "todo"),
        ("P-1", "platform", 4, "done"),
        ("S-1", "solo", 1, "todo"),
    ] {
        write(
            p,
            &format!("backlog/{id}.yaml"),
            &format!("title: {id}\nstatus: {status}\ntheme: {theme}\nestimate: {points}\n"),
        );
    }
    dir
}

#[test]
fn an_initiative_s_progress_is_the_weighted_roll_up_of_its_themes() {
    let dir = initiative();
    let at = |args: &[&str]| {
        let out = run_with(
            roadlog()
                .arg("--plan")
                .arg(dir.path())
                .args(["--today", "2026-03-01"])
                .args(args),
        );
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        out.stdout
    };
    let v: Value = serde_json::from_str(&at(&["progress", "--format", "json"])).expect("json");
    let order: Vec<&str> = v["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert_eq!(
        order,
        ["platform", "api", "data", "ops", "solo"],
        "each theme beneath its initiative"
    );
    let platform = theme(&v, "platform");
    // Its own 4 points and its themes' 4, 4 and 8: 10 of 20 done.
    assert_eq!(
        (platform["done"].as_f64(), platform["total"].as_f64()),
        (Some(10.0), Some(20.0))
    );
    assert_eq!(platform["progress"], 0.5);
    assert!(platform.get("parent").is_none());
    assert_eq!(theme(&v, "api")["parent"], "platform");
    assert_eq!(
        theme(&v, "api")["total"],
        4.0,
        "a theme keeps its own scope"
    );
    let table = at(&["progress"]);
    assert!(
        table.contains("│ ↳ api "),
        "marked beneath its initiative:\n{table}"
    );
    let top: Value =
        serde_json::from_str(&at(&["progress", "--depth", "1", "--format", "json"])).expect("json");
    let ids: Vec<&str> = top["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert_eq!(ids, ["platform", "solo"]);
    let listed = at(&["list", "--theme", "platform", "--format", "ids"]);
    assert_eq!(listed, "A-1\nA-2\nD-1\nO-1\nP-1\n");
}

#[test]
fn new_theme_parent_and_set_parent_are_checked_before_they_write() {
    let dir = initiative();
    let run = |args: &[&str]| {
        run_with(
            roadlog()
                .arg("--plan")
                .arg(dir.path())
                .args(["--today", "2026-03-01"])
                .args(args),
        )
    };
    let typo = run(&[
        "new",
        "theme",
        "infra",
        "--title",
        "Infra",
        "--objective",
        "O",
        "--horizon",
        "2026-Q3",
        "--parent",
        "platfrom",
    ]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean `platform`?"),
        "{}",
        typo.stderr
    );
    assert!(!dir.path().join("roadmap/infra.yaml").exists());
    let made = run(&[
        "new",
        "theme",
        "infra",
        "--title",
        "Infra",
        "--objective",
        "O",
        "--horizon",
        "2026-Q3",
        "--parent",
        "platform",
    ]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let text = std::fs::read_to_string(dir.path().join("roadmap/infra.yaml")).expect("read");
    assert!(text.ends_with("parent: platform\n"), "{text}");
    let cycle = run(&["set", "platform", "parent", "api"]);
    assert_eq!(cycle.code, 2);
    assert!(
        cycle.stderr.contains("cycle of initiatives"),
        "{}",
        cycle.stderr
    );
    let moved = run(&["set", "solo", "parent", "platform"]);
    assert_eq!(moved.code, 0, "{}", moved.stderr);
    let progress = json(dir.path(), &["progress"]);
    assert_eq!(theme(&progress, "solo")["parent"], "platform");
}

#[test]
fn the_executive_view_nests_themes_and_an_internal_initiative_stays_unnamed_outside() {
    let dir = initiative();
    let exec = |external: bool| {
        let mut args = vec!["report", "exec"];
        if external {
            args.push("--external");
        }
        json(dir.path(), &args)
    };
    let inside = exec(false);
    assert_eq!(theme(&inside, "api")["parent"], "platform");
    assert_eq!(theme(&inside, "platform")["progress"], 0.5, "rolled up");
    let path = dir.path().join("roadmap/platform.yaml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, format!("{text}visibility: internal\n")).expect("write");
    let outside = exec(true);
    let api = theme(&outside, "api");
    assert!(api.get("parent").is_none(), "{api}");
    assert!(!outside.to_string().contains("platform"), "{outside}");
    let progress = json(dir.path(), &["progress", "--external"]);
    assert!(!progress.to_string().contains("platform"), "{progress}");
}

#[test]
fn the_roadmap_draws_themes_beneath_their_initiative() {
    let dir = initiative();
    let v: Value = {
        let out = run_with(roadlog().arg("--plan").arg(dir.path()).args([
            "--today",
            "2026-03-01",
            "roadmap",
            "--format",
            "json",
        ]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        serde_json::from_str(&out.stdout).expect("json")
    };
    let rows: Vec<(&str, Option<&str>)> = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["id"].as_str().unwrap_or_default(), r["parent"].as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("platform", None),
            ("api", Some("platform")),
            ("data", Some("platform")),
            ("ops", Some("platform")),
            ("solo", None),
        ]
    );
    let table = run_with(roadlog().arg("--plan").arg(dir.path()).args([
        "--today",
        "2026-03-01",
        "roadmap",
    ]));
    assert!(table.stdout.contains("│ ↳ T api"), "{}", table.stdout);
}
