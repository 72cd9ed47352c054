//! `roadlog init`: a plan that passes `check`, and never a touched existing plan.

use crate::{TODAY, run};

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8")
}

#[test]
fn init_creates_a_plan_that_checks_clean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan");
    let out = run(&["init", path(&plan), "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);
    for file in [
        "roadlog.yaml",
        "roadmap/first-theme.yaml",
        "backlog/BL-1.yaml",
    ] {
        assert!(plan.join(file).is_file(), "{file}");
    }
    // Git discovery stops at the temporary folder, wherever $TMPDIR is, so the plan is
    // outside any repository and `stale-item` is skipped for that reason alone.
    let check = crate::run_with(
        crate::roadlog()
            .env("GIT_CEILING_DIRECTORIES", dir.path())
            .args([
                "check",
                "--format",
                "json",
                "--today",
                TODAY,
                "--plan",
                path(&plan),
            ]),
    );
    assert_eq!(check.code, 0);
    let json: serde_json::Value = serde_json::from_str(&check.stdout).expect("json");
    assert_eq!(
        json["diagnostics"],
        serde_json::json!([]),
        "{}",
        check.stdout
    );
    assert_eq!(json["summary"]["themes"], 1);
    // The example sprint covers today, so the sprint rule runs rather than being skipped.
    assert_eq!(
        json["skipped"],
        serde_json::json!([
            {"rule": "stale-item", "reason": "the plan is not inside a git repository"},
            {"rule": "suspect-item", "reason": "the plan is not inside a git repository"}
        ])
    );
}

#[test]
fn init_inside_a_plans_folders_is_refused_naming_that_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outer = dir.path().join("plan");
    assert_eq!(run(&["init", path(&outer), "--today", TODAY]).code, 0);
    let before = crate::snapshot(&outer);
    for inner in ["backlog/sub", "roadmap", "backlog/a/../b"] {
        let out = run(&["init", path(&outer.join(inner)), "--today", TODAY]);
        assert_eq!(out.code, 2, "{inner}: {}", out.stdout);
        assert!(
            out.stderr.contains("inside the")
                && out
                    .stderr
                    .contains(&format!("of the plan at {}", outer.display())),
            "{inner}: {}",
            out.stderr
        );
        assert_eq!(crate::snapshot(&outer), before, "{inner} wrote something");
    }
    // Beside its folders, a plan of its own is fine (a docs/ plan in a monorepo's plan root).
    let out = run(&["init", path(&outer.join("other")), "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn init_empty_creates_a_bare_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run(&["init", path(dir.path()), "--empty"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(dir.path().join("roadmap").is_dir() && dir.path().join("backlog").is_dir());
    let (check, json) = crate::check_json(dir.path());
    assert_eq!(check.code, 0);
    assert_eq!(
        json["summary"],
        serde_json::json!({"themes": 0, "items": 0, "errors": 0, "warnings": 0})
    );
}

#[test]
fn init_refuses_an_existing_plan_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("roadlog.yaml"), "product: Mine\n").expect("write");
    let out = run(&["init", path(dir.path())]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("already holds a roadlog.yaml"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("roadlog.yaml")).expect("read"),
        "product: Mine\n"
    );
    assert!(!dir.path().join("roadmap").exists());
}

#[test]
fn init_never_overwrites_a_file_in_the_way() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("backlog")).expect("mkdir");
    std::fs::write(dir.path().join("backlog/BL-1.yaml"), "mine\n").expect("write");
    let out = run(&["init", path(dir.path())]);
    assert_eq!(out.code, 2);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("backlog/BL-1.yaml")).expect("read"),
        "mine\n"
    );
    assert!(
        !dir.path().join("roadlog.yaml").exists(),
        "no half-made plan root"
    );
}

#[cfg(unix)]
#[test]
fn init_quotes_any_folder_name_as_the_product() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("we\"ird\nproduct: x #");
    let out = run(&["init", path(&plan), "--today", TODAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let config = std::fs::read_to_string(plan.join("roadlog.yaml")).expect("read");
    assert!(
        config.contains("product: \"we\\\"ird\\nproduct: x #\"\n"),
        "{config}"
    );
    let (check, json) = crate::check_json(&plan);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert_eq!(json["diagnostics"], serde_json::json!([]));
}
