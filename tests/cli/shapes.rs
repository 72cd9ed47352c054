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
