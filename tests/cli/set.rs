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

/// The day every `set` here runs on.
const DAY: &str = "2025-09-15";

fn set(p: &Path, args: &[&str]) -> crate::Run {
    let mut all = vec!["set"];
    all.extend(args);
    run_with(
        crate::roadlog()
            .current_dir(p)
            .env("ROADLOG_TODAY", DAY)
            .args(&all),
    )
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
        BUNDLE.replace(
            "title: Second\nstatus: todo\ntheme: core\n",
            "title: Second\nstatus: done\ntheme: core\ndone_on: 2025-09-15\n"
        )
    );
    assert_eq!(set(p, &["B-1", "priority", "1"]).code, 0);
    assert_eq!(
        read(p, "backlog/bundle.yaml"),
        BUNDLE
            .replace(
                "title: Second\nstatus: todo\ntheme: core\n",
                "title: Second\nstatus: done\ntheme: core\ndone_on: 2025-09-15\n"
            )
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
        (&["A-1", "id", "New"], "not `id`"),
        (&["A-1", "title", "  "], "would not pass `roadlog check`"),
        (&["A-1", "title", "--unset"], "cannot be unset"),
        (&["core", "objective", "--unset"], "cannot be unset"),
        (&["A-1", "kind", "storey"], "did you mean `story`?"),
        (
            &["core", "visibility", "secret"],
            "use one of: public, internal",
        ),
        (&["A-1", "done_on", "2025-09-16"], "after today"),
        (
            &["A-1", "depends_on", "--add", "A-9"],
            "no backlog item `A-9`",
        ),
        (
            &["A-1", "depends_on", "--add", "A-1"],
            "cannot depend on itself",
        ),
        (&["A-1", "acceptance", "--add", "It works"], "already"),
        (&["A-1", "tags", "--remove", "x"], "`x` is not in `tags`"),
        (
            &["A-1", "acceptance", "--remove", "It work"],
            "did you mean `It works`?",
        ),
        (
            &["A-1", "status", "--add", "x"],
            "--add and --remove edit depends_on",
        ),
        (&["A-1", "tags", "x"], "not `tags`"),
        (&["A-1", "related", "--add", "cor"], "did you mean `core`?"),
        (
            &["A-1", "aliases", "--add", "B-1"],
            "is the id of a theme or item",
        ),
        (
            &["core", "aliases", "--add", "Old Core"],
            "not a valid theme id",
        ),
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

#[test]
fn more_fields_and_list_entries_are_edited_in_place() {
    let dir = plan();
    let p = dir.path();
    for args in [
        &["A-1", "title", "Spike: a new engine"][..],
        &["A-1", "kind", "spike"],
        &["A-1", "acceptance", "--add", "It is fast"],
        &["A-1", "tags", "--add", "storage"],
        &["A-1", "depends_on", "--add", "B-1"],
        &["A-1", "related", "--add", "core"],
        &["core", "owner", "Dana"],
        &["core", "visibility", "internal"],
    ] {
        let out = set(p, args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    }
    assert_eq!(
        read(p, "backlog/A-1.yaml"),
        "# Keep this comment.\ntitle: \"Spike: a new engine\"\nkind: spike\nstatus: todo   # not started\ntheme: core\ndepends_on: [B-1]\nrelated: [core]\n\nacceptance:\n  - It works\n  - It is fast\ntags: [storage]\n"
    );
    assert_eq!(
        read(p, "roadmap/core.yaml"),
        THEME.replace(
            "horizon: 2025-Q3\n",
            "horizon: 2025-Q3\nowner: Dana\nvisibility: internal\n"
        )
    );
    // Taking each entry out again leaves the lists as they were, emptied ones gone.
    for args in [
        &["A-1", "acceptance", "--remove", "It is fast"][..],
        &["A-1", "tags", "--remove", "storage"],
        &["A-1", "depends_on", "--remove", "B-1"],
        &["A-1", "related", "--remove", "core"],
    ] {
        let out = set(p, args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    }
    assert_eq!(
        read(p, "backlog/A-1.yaml"),
        ITEM.replace("\"Spike: storage\"", "\"Spike: a new engine\"\nkind: spike")
    );
}

#[test]
fn marking_an_item_done_records_the_day_unless_it_is_given() {
    let dir = plan();
    let p = dir.path();
    assert_eq!(set(p, &["A-1", "done_on", "2025-09-01"]).code, 0);
    assert_eq!(set(p, &["A-1", "status", "done"]).code, 0);
    let text = read(p, "backlog/A-1.yaml");
    assert!(
        text.contains("done_on: 2025-09-01\n") && !text.contains(DAY),
        "{text}"
    );
    assert_eq!(set(p, &["B-1", "status", "done"]).code, 0);
    assert!(read(p, "backlog/bundle.yaml").contains("theme: core\ndone_on: 2025-09-15\n---"));
    assert_eq!(set(p, &["B-1", "done_on", "today"]).code, 0);
}
