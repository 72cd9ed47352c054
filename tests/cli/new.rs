//! `roadlog new`: exact file contents, distinct ids under concurrency, and refusals that leave
//! the tree byte-identical.

use crate::{roadlog_in, snapshot};

fn new_plan() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = crate::run(&["init", dir.path().to_str().expect("utf-8"), "--empty"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    dir
}

#[test]
fn a_product_manager_adds_a_theme_and_three_items() {
    let dir = new_plan();
    let p = dir.path();
    let theme = roadlog_in(
        p,
        &[
            "new",
            "theme",
            "growth",
            "--title",
            "Self-serve: growth",
            "--objective",
            "Double sign-ups",
            "--horizon",
            "2025-Q3",
            "--status",
            "active",
            "--today",
            "2025-08-01",
        ],
    );
    assert_eq!(theme.code, 0, "{}", theme.stderr);
    // Paths are printed as the user can click them: here, from the plan root.
    assert_eq!(theme.stdout, "roadmap/growth.yaml\n");
    // An active theme was reviewed the day it was made active.
    assert_eq!(
        std::fs::read_to_string(p.join("roadmap/growth.yaml")).expect("read"),
        "title: \"Self-serve: growth\"\nobjective: Double sign-ups\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n"
    );
    let epic = roadlog_in(
        p,
        &[
            "new",
            "item",
            "--title",
            "Pricing experiments",
            "--kind",
            "epic",
            "--theme",
            "growth",
        ],
    );
    assert_eq!(epic.code, 0, "{}", epic.stderr);
    assert_eq!(epic.stdout, "backlog/BL-1.yaml\n");
    assert_eq!(
        std::fs::read_to_string(p.join("backlog/BL-1.yaml")).expect("read"),
        "title: Pricing experiments\nkind: epic\nstatus: todo\ntheme: growth\n"
    );
    for title in ["A/B test the pricing page", "Annual plan discount"] {
        let out = roadlog_in(
            p,
            &[
                "new",
                "item",
                "--title",
                title,
                "--parent",
                "BL-1",
                "--estimate",
                "2.5",
                "--dir",
                "growth",
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(p.join("backlog/growth/BL-3.yaml")).expect("read"),
        "title: Annual plan discount\nstatus: todo\nparent: BL-1\nestimate: 2.5\n"
    );
    let (check, json) = crate::check_json(p);
    assert_eq!(check.code, 0);
    assert_eq!(
        json["diagnostics"],
        serde_json::json!([]),
        "{}",
        check.stdout
    );
    assert_eq!(json["summary"]["items"], 3);
}

#[test]
fn ids_continue_after_the_highest_number_in_ids_and_file_names() {
    let dir = new_plan();
    let p = dir.path();
    std::fs::write(
        p.join("roadmap/t.yaml"),
        "title: T\nobjective: O\nstatus: proposed\nhorizon: later\n",
    )
    .expect("write");
    std::fs::write(
        p.join("backlog/BL-7.yaml"),
        "title: Seven\nstatus: todo\ntheme: t\n",
    )
    .expect("write");
    std::fs::write(p.join("backlog/many.yaml"), "id: BL-12\ntitle: Twelve\nstatus: todo\ntheme: t\n---\nid: X-99\ntitle: Other prefix\nstatus: todo\ntheme: t\n").expect("write");
    let out = roadlog_in(p, &["new", "item", "--title", "Next", "--theme", "t"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.trim_end().ends_with("BL-13.yaml"),
        "{}",
        out.stdout
    );
}

#[test]
fn concurrent_new_items_get_distinct_ids_and_intact_files() {
    let dir = new_plan();
    let p = dir.path().to_path_buf();
    let children: Vec<std::process::Child> = (0..8)
        .map(|n| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("roadlog"))
                .current_dir(&p)
                .args(["new", "item", "--title", &format!("Parallel {n}")])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut paths = Vec::new();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success());
        paths.push(
            String::from_utf8(out.stdout)
                .expect("utf-8")
                .trim_end()
                .to_string(),
        );
    }
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 8, "{paths:?}");
    let files = snapshot(&p.join("backlog"));
    let items: Vec<&String> = files.keys().filter(|k| k.ends_with(".yaml")).collect();
    assert_eq!(items.len(), 8);
    for (name, bytes) in &files {
        if name.ends_with(".yaml") {
            let text = String::from_utf8(bytes.clone()).expect("utf-8");
            assert!(
                text.starts_with("title: Parallel ") && text.ends_with("status: todo\n"),
                "{name}: {text}"
            );
        }
    }
    let (_, json) = crate::check_json(&p);
    assert_eq!(json["summary"]["items"], 8);
    assert_eq!(json["summary"]["errors"], 0);
}

#[test]
fn refusals_leave_the_tree_byte_identical() {
    let dir = new_plan();
    let p = dir.path();
    assert_eq!(
        roadlog_in(
            p,
            &[
                "new",
                "theme",
                "core",
                "--title",
                "C",
                "--objective",
                "O",
                "--horizon",
                "next"
            ]
        )
        .code,
        0
    );
    assert_eq!(
        roadlog_in(p, &["new", "item", "--title", "One", "--theme", "core"]).code,
        0
    );
    let outside = tempfile::tempdir().expect("tempdir");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), p.join("backlog/out")).expect("link");
    let before = snapshot(p);
    let refusals: &[(&[&str], &str)] = &[
        (
            &["new", "item", "--title", "x", "--theme", "cor"],
            "did you mean `core`?",
        ),
        (
            &["new", "item", "--title", "x", "--depends-on", "BL-2"],
            "did you mean `BL-1`?",
        ),
        (&["new", "item", "--title", "x", "--priority", "0"], "0"),
        (
            &[
                "new",
                "theme",
                "t",
                "--title",
                "T",
                "--objective",
                "O",
                "--horizon",
                "next",
                "--metric",
                "just a name",
            ],
            "is not a metric",
        ),
        (
            &[
                "new",
                "theme",
                "t",
                "--title",
                "T",
                "--objective",
                "O",
                "--horizon",
                "next",
                "--metric",
                "Deals: -> 10",
            ],
            "is not a metric",
        ),
        (
            &["new", "item", "--title", "x", "--parent", "BL-9"],
            "there is no backlog item `BL-9`",
        ),
        (
            &["new", "item", "--title", "x", "--parent", "core"],
            "there is no backlog item `core`",
        ),
        (
            &["new", "item", "--title", "x", "--kind", "feature"],
            "is not a kind",
        ),
        (
            &["new", "item", "--title", "x", "--status", "doing"],
            "is not a status",
        ),
        (
            &["new", "item", "--title", "x", "--estimate", "-2"],
            "at least 0",
        ),
        (
            &["new", "item", "--title", "x", "--dir", "../x"],
            "not a folder inside the backlog",
        ),
        (
            &["new", "item", "--title", "x", "--dir", "/tmp"],
            "not a folder inside the backlog",
        ),
        (
            &[
                "new",
                "theme",
                "../x",
                "--title",
                "x",
                "--objective",
                "o",
                "--horizon",
                "next",
            ],
            "not a valid theme id",
        ),
        (
            &[
                "new",
                "theme",
                "a/b",
                "--title",
                "x",
                "--objective",
                "o",
                "--horizon",
                "next",
            ],
            "not a valid theme id",
        ),
        (
            &[
                "new",
                "theme",
                "/abs",
                "--title",
                "x",
                "--objective",
                "o",
                "--horizon",
                "next",
            ],
            "not a valid theme id",
        ),
        (
            &[
                "new",
                "theme",
                "",
                "--title",
                "x",
                "--objective",
                "o",
                "--horizon",
                "next",
            ],
            "not a valid theme id",
        ),
        (
            &[
                "new",
                "theme",
                "core",
                "--title",
                "x",
                "--objective",
                "o",
                "--horizon",
                "next",
            ],
            "already used",
        ),
        (
            &["new", "theme", "later", "--title", "x", "--objective", "o"],
            "needs --horizon",
        ),
        (
            &[
                "new",
                "theme",
                "soon",
                "--title",
                "x",
                "--objective",
                "o",
                "--horizon",
                "2025-Q5",
            ],
            "is not a horizon",
        ),
        (
            &["new", "item", "--title", "x", "--rev", "HEAD"],
            "unexpected argument '--rev'",
        ),
    ];
    for (args, expected) in refusals {
        let out = roadlog_in(p, args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{args:?}: {}", out.stderr);
        assert_eq!(snapshot(p), before, "{args:?} changed the tree");
    }
    #[cfg(unix)]
    {
        let out = roadlog_in(p, &["new", "item", "--title", "x", "--dir", "out"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("leads outside the plan root"),
            "{}",
            out.stderr
        );
        assert_eq!(
            std::fs::read_dir(outside.path()).expect("read").count(),
            0,
            "nothing written through the link"
        );
        // Folders below the link are not made before the refusal either.
        let out = roadlog_in(p, &["new", "item", "--title", "x", "--dir", "out/a/b"]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("leads outside the plan root"),
            "{}",
            out.stderr
        );
        assert_eq!(
            std::fs::read_dir(outside.path()).expect("read").count(),
            0,
            "no folder made through the link"
        );
    }
}

#[test]
fn an_id_number_with_no_next_is_refused_clearly() {
    let dir = new_plan();
    let p = dir.path();
    std::fs::write(
        p.join("backlog/BL-18446744073709551615.yaml"),
        "title: Last\nstatus: todo\n",
    )
    .expect("write");
    let before = snapshot(p);
    let out = roadlog_in(p, &["new", "item", "--title", "Next"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "`BL-18446744073709551615` is the highest item number in use and has no next number"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert_eq!(snapshot(p), before);
}

#[test]
fn new_files_point_at_the_schemas_when_the_plan_names_their_folder() {
    let dir = new_plan();
    let p = dir.path();
    std::fs::write(p.join("roadlog.yaml"), "schema_dir: .roadlog\n").expect("write");
    assert_eq!(
        roadlog_in(
            p,
            &[
                "new",
                "theme",
                "core",
                "--title",
                "Core",
                "--objective",
                "O",
                "--horizon",
                "next"
            ]
        )
        .code,
        0
    );
    assert_eq!(
        std::fs::read_to_string(p.join("roadmap/core.yaml")).expect("read"),
        "# yaml-language-server: $schema=../.roadlog/theme.schema.json\ntitle: Core\nobjective: O\nstatus: proposed\nhorizon: next\n"
    );
    assert_eq!(
        roadlog_in(
            p,
            &[
                "new", "item", "--title", "Deep", "--theme", "core", "--dir", "a/b"
            ]
        )
        .code,
        0
    );
    let item = std::fs::read_to_string(p.join("backlog/a/b/BL-1.yaml")).expect("read");
    assert!(
        item.starts_with(
            "# yaml-language-server: $schema=../../../.roadlog/item.schema.json\ntitle: Deep\n"
        ),
        "{item}"
    );
}

#[test]
fn new_takes_the_everyday_fields_and_writes_them_in_documented_order() {
    let dir = new_plan();
    let p = dir.path();
    let theme = roadlog_in(
        p,
        &[
            "new",
            "theme",
            "security",
            "--title",
            "Security",
            "--objective",
            "Win enterprise deals",
            "--horizon",
            "2025-Q4",
            "--priority",
            "1",
            "--owner",
            "Dana Ruiz",
            "--metric",
            "Enterprise deals: 2 -> 10",
            "--metric",
            "Churn, monthly: 3%",
        ],
    );
    assert_eq!(theme.code, 0, "{}", theme.stderr);
    assert_eq!(
        std::fs::read_to_string(p.join("roadmap/security.yaml")).expect("read"),
        "title: Security\nobjective: Win enterprise deals\nstatus: proposed\nhorizon: 2025-Q4\npriority: 1\nowner: Dana Ruiz\nmetrics:\n  - name: Enterprise deals\n    baseline: \"2\"\n    target: \"10\"\n  - name: Churn, monthly\n    target: 3%\n"
    );
    let first = roadlog_in(p, &["new", "item", "--title", "SSO", "--theme", "security"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let item = roadlog_in(
        p,
        &[
            "new",
            "item",
            "--title",
            "Audit log",
            "--theme",
            "security",
            "--priority",
            "2",
            "--sprint",
            "S1",
            "--assignee",
            "priya",
            "--depends-on",
            "BL-1",
            "--acceptance",
            "Every sign-in is logged",
            "--acceptance",
            "Export: CSV",
            "--tag",
            "audit",
            "--tag",
            "a,b",
        ],
    );
    assert_eq!(item.code, 0, "{}", item.stderr);
    assert_eq!(
        std::fs::read_to_string(p.join("backlog/BL-2.yaml")).expect("read"),
        "title: Audit log\nstatus: todo\ntheme: security\npriority: 2\nsprint: S1\nassignee: priya\ndepends_on: [BL-1]\nacceptance:\n  - Every sign-in is logged\n  - \"Export: CSV\"\ntags: [audit, \"a,b\"]\n"
    );
    let (_, json) = crate::roadlog_json(p, &["list", "--tag", "a,b"]);
    assert_eq!(
        json["items"][0]["tags"],
        serde_json::json!(["audit", "a,b"])
    );
}
