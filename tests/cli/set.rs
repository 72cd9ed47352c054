//! `roadlog set`: exactly the changed line differs, multi-item files edit only their document,
//! refusals change nothing.

use std::path::Path;

use crate::run_with;

const THEME: &str = "# Strategy, reviewed monthly.\ntitle: Core\nobjective: Keep the core strong   # the why\nstatus: active\nhorizon: 2025-Q3\n\nreviewed: 2025-08-01\n";
const ITEM: &str = "# Keep this comment.\ntitle: \"Spike: storage\"\nstatus: todo   # not started\ntheme: core\n\nacceptance:\n  - It works\n";
const BUNDLE: &str = "id: B-1\ntitle: First\nstatus: todo\ntheme: core\n---\n# second\nid: B-2\ntitle: Second\nstatus: todo\ntheme: core\n";

fn plan() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    std::fs::create_dir_all(p.join("roadmap")).expect("mkdir");
    std::fs::create_dir_all(p.join("backlog")).expect("mkdir");
    std::fs::write(p.join("roadlog.yaml"), "statuses:\n  review: in-progress\n").expect("write");
    std::fs::write(p.join("roadmap/core.yaml"), THEME).expect("write");
    std::fs::write(p.join("backlog/A-1.yaml"), ITEM).expect("write");
    std::fs::write(p.join("backlog/bundle.yaml"), BUNDLE).expect("write");
    dir
}

fn set(p: &Path, args: &[&str]) -> crate::Run {
    let mut all = vec!["set"];
    all.extend(args);
    run_with(crate::roadlog().current_dir(p).args(&all))
}

fn read(p: &Path, file: &str) -> String {
    std::fs::read_to_string(p.join(file)).expect("read")
}

#[test]
fn set_changes_exactly_one_line() {
    let dir = plan();
    let p = dir.path();
    let out = set(p, &["A-1", "status", "review"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "backlog/A-1.yaml\n");
    assert_eq!(
        read(p, "backlog/A-1.yaml"),
        ITEM.replace(
            "status: todo   # not started",
            "status: review   # not started"
        )
    );
    assert_eq!(set(p, &["core", "horizon", "2025-Q3..2025-Q4"]).code, 0);
    assert_eq!(
        read(p, "roadmap/core.yaml"),
        THEME.replace("horizon: 2025-Q3\n", "horizon: 2025-Q3..2025-Q4\n")
    );
    assert_eq!(set(p, &["core", "reviewed", "2025-09-01"]).code, 0);
    assert_eq!(
        read(p, "roadmap/core.yaml"),
        THEME
            .replace("horizon: 2025-Q3\n", "horizon: 2025-Q3..2025-Q4\n")
            .replace("2025-08-01", "2025-09-01")
    );
}

#[test]
fn set_adds_and_unset_removes_a_line() {
    let dir = plan();
    let p = dir.path();
    assert_eq!(set(p, &["A-1", "estimate", "3"]).code, 0);
    assert_eq!(
        read(p, "backlog/A-1.yaml"),
        ITEM.replace("theme: core\n", "theme: core\nestimate: 3\n")
    );
    assert_eq!(set(p, &["A-1", "estimate", "--unset"]).code, 0);
    assert_eq!(read(p, "backlog/A-1.yaml"), ITEM);
    assert_eq!(set(p, &["A-1", "assignee", "Jo: lead"]).code, 0);
    assert_eq!(
        read(p, "backlog/A-1.yaml"),
        ITEM.replace("theme: core\n", "theme: core\nassignee: \"Jo: lead\"\n")
    );
}

#[test]
fn set_in_a_multi_item_file_edits_only_that_document() {
    let dir = plan();
    let p = dir.path();
    assert_eq!(set(p, &["B-2", "status", "done"]).code, 0);
    assert_eq!(
        read(p, "backlog/bundle.yaml"),
        BUNDLE.replace("title: Second\nstatus: todo", "title: Second\nstatus: done")
    );
    assert_eq!(set(p, &["B-1", "priority", "1"]).code, 0);
    assert_eq!(
        read(p, "backlog/bundle.yaml"),
        BUNDLE
            .replace("title: Second\nstatus: todo", "title: Second\nstatus: done")
            .replace("theme: core\n---", "theme: core\npriority: 1\n---")
    );
    let (check, _) = crate::check_json(p);
    assert_eq!(check.code, 0, "{}", check.stdout);
}

#[test]
fn refused_values_change_nothing() {
    let dir = plan();
    let p = dir.path();
    std::fs::write(
        p.join("backlog/A-2.yaml"),
        "title: Child\nstatus: todo\nparent: A-1\n",
    )
    .expect("write");
    let files = [
        "roadmap/core.yaml",
        "backlog/A-1.yaml",
        "backlog/A-2.yaml",
        "backlog/bundle.yaml",
    ];
    let before: Vec<String> = files.iter().map(|f| read(p, f)).collect();
    for (args, expected) in [
        (&["A-1", "status", "doing"][..], "not a status of this plan"),
        (
            &["A-1", "status", "in progres"],
            "did you mean `in-progress`?",
        ),
        (&["A-1", "theme", "cor"], "did you mean `core`?"),
        (&["A-1", "parent", "A-2"], "parent cycle"),
        (&["A-1", "parent", "A-1"], "parent cycle"),
        (&["A-1", "estimate", "-1"], "not an estimate"),
        (&["A-1", "priority", "0"], "not a priority"),
        (&["A-1", "title", "New"], "not `title`"),
        (&["A-1", "status", "--unset"], "cannot be unset"),
        (&["core", "status", "paused"], "not a theme status"),
        (&["core", "horizon", "2025-Q5"], "not a horizon"),
        (&["core", "reviewed", "2025-02-30"], "not a day"),
        (&["core", "theme", "x"], "not `theme`"),
        (
            &["A-9", "status", "done"],
            "no theme or item has the id `A-9`",
        ),
    ] {
        let out = set(p, args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{args:?}: {}", out.stderr);
        let after: Vec<String> = files.iter().map(|f| read(p, f)).collect();
        assert_eq!(after, before, "{args:?} changed a file");
    }
    let leftovers: Vec<_> = walkdir::WalkDir::new(p)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn an_edit_that_would_empty_the_file_is_refused() {
    // Found by the set_field fuzzer: unsetting the only field left a file with no item in it.
    let dir = plan();
    let p = dir.path();
    std::fs::write(p.join("backlog/A-9.yaml"), "estimate: 3\n").expect("write");
    let out = set(p, &["A-9", "estimate", "--unset"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("holds no theme or item"),
        "{}",
        out.stderr
    );
    assert_eq!(read(p, "backlog/A-9.yaml"), "estimate: 3\n");
}
