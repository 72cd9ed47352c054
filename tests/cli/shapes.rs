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
