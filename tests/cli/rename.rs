//! `roadlog rename`: every reference rewritten byte for byte, the file moved with the id, the old
//! id kept as an alias that `diff` and `history` follow, refusals that change nothing, and a plan
//! of thousands of references.

use std::path::Path;

use crate::git::{git_at, write};
use crate::{roadlog_in, snapshot};

fn read(p: &Path, rel: &str) -> String {
    std::fs::read_to_string(p.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn summary(p: &Path) -> serde_json::Value {
    let out = roadlog_in(p, &["check", "--format", "json", "--today", "2026-11-25"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    v["summary"].clone()
}

#[test]
fn an_item_rename_rewrites_each_reference_and_moves_its_file() {
    let dir = crate::acme_copy();
    let p = dir.path();
    let before = snapshot(p);
    let checked = summary(p);
    let out = roadlog_in(p, &["rename", "BL-110", "AUDIT-1", "--today", "2026-11-25"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "backlog/security/AUDIT-1.yaml\nbacklog/security/BL-111.yaml\nbacklog/security/BL-112.yaml\n"
    );
    assert!(
        out.stderr
            .contains("renamed `BL-110` to `AUDIT-1`: 2 references rewritten"),
        "{}",
        out.stderr
    );
    let after = snapshot(p);
    assert!(!after.contains_key("backlog/security/BL-110.yaml"));
    // The moved file is the old one with the alias added; each referencing file differs only in
    // the reference.
    let old = String::from_utf8(before["backlog/security/BL-110.yaml"].clone()).expect("utf-8");
    assert_eq!(
        read(p, "backlog/security/AUDIT-1.yaml"),
        format!("{old}aliases: [BL-110]\n").replace("\n\naliases", "\naliases")
    );
    for rel in [
        "backlog/security/BL-111.yaml",
        "backlog/security/BL-112.yaml",
    ] {
        let was = String::from_utf8(before[rel].clone()).expect("utf-8");
        assert_eq!(
            read(p, rel),
            was.replace("parent: BL-110", "parent: AUDIT-1"),
            "{rel}"
        );
    }
    let untouched = before
        .iter()
        .filter(|(k, v)| after.get(*k) == Some(*v))
        .count();
    assert_eq!(untouched, before.len() - 3, "only the three files changed");
    assert_eq!(summary(p), checked, "the plan checks as before");
    let trace = roadlog_in(p, &["trace", "BL-111", "--today", "2026-11-25"]);
    assert!(trace.stdout.contains("AUDIT-1"), "{}", trace.stdout);
    let old = roadlog_in(p, &["trace", "BL-110"]);
    assert_eq!(old.code, 2);
    assert!(
        old.stderr
            .contains("`BL-110` is an old id of `AUDIT-1`: `roadlog trace AUDIT-1`"),
        "{}",
        old.stderr
    );
}

#[test]
fn a_theme_rename_rewrites_the_items_that_name_it() {
    let dir = crate::acme_copy();
    let p = dir.path();
    let checked = summary(p);
    let out = roadlog_in(
        p,
        &[
            "rename",
            "enterprise-security",
            "security",
            "--today",
            "2026-11-25",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!p.join("roadmap/enterprise-security.yaml").exists());
    assert!(read(p, "roadmap/security.yaml").ends_with("aliases: [enterprise-security]\n"));
    let mut named = Vec::new();
    for entry in walkdir::WalkDir::new(p.join("backlog")) {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).expect("read");
            assert!(
                !text.contains("enterprise-security"),
                "{}",
                entry.path().display()
            );
            if text.contains("theme: security") {
                named.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
    }
    named.sort();
    assert_eq!(named, ["BL-100.yaml", "BL-110.yaml"]);
    // Same counts: the theme's own findings (its priority inversion) are not new findings.
    assert_eq!(summary(p), checked);
    assert!(!out.stderr.contains("warning:"), "{}", out.stderr);
}

#[test]
fn refusals_change_nothing() {
    let dir = crate::acme_copy();
    let p = dir.path();
    let before = snapshot(p);
    let cases: &[(&[&str], &str)] = &[
        (&["BL-999", "X-1"], "no theme or item has the id `BL-999`"),
        (
            &["BL-110", "BL-111"],
            "`BL-111` is already the id of an item",
        ),
        (
            &["BL-110", "enterprise-security"],
            "already the id of a theme",
        ),
        (
            &["enterprise-security", "Security Team"],
            "not a valid theme id",
        ),
        (&["BL-110", "../x"], "not a valid item id"),
        (&["BL-110", "BL-110"], "has that id already"),
    ];
    for (args, expected) in cases {
        let mut all = vec!["rename"];
        all.extend(*args);
        let out = roadlog_in(p, &all);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{args:?}: {}", out.stderr);
        assert_eq!(snapshot(p), before, "{args:?} changed the plan");
    }
    // A file already named like the new id is not overwritten.
    write(&p.join("backlog/security/X-1.yaml"), "notes\n");
    let out = roadlog_in(p, &["rename", "BL-110", "X-1"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("exists already"), "{}", out.stderr);
    // An old id is not free again.
    let out = roadlog_in(p, &["rename", "BL-112", "AUDIT-2"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = roadlog_in(p, &["rename", "BL-111", "BL-112"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("is an old id"), "{}", out.stderr);
}

#[test]
fn diff_and_history_follow_a_renamed_entity() {
    let dir = crate::acme_copy();
    let p = dir.path();
    git_at(p, "2026-11-01T12:00:00Z", &["init", "-q", "-b", "main"]);
    git_at(p, "2026-11-01T12:00:00Z", &["add", "-A"]);
    git_at(p, "2026-11-01T12:00:00Z", &["commit", "-qm", "plan"]);
    for (old, new) in [("BL-110", "AUDIT-1"), ("mobile-experience", "mobile")] {
        let out = roadlog_in(p, &["rename", old, new, "--today", "2026-11-25"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let out = roadlog_in(p, &["diff", "--format", "json", "--today", "2026-11-25"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let d: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        d["renamed"],
        serde_json::json!([
            {"kind": "theme", "old": "mobile-experience", "new": "mobile", "title": "Mobile Experience Enhancement"},
            {"kind": "item", "old": "BL-110", "new": "AUDIT-1", "title": "Audit log"},
        ])
    );
    for empty in [
        "themes_added",
        "themes_removed",
        "items_added",
        "items_removed",
        "items_retraced",
        "findings_introduced",
        "findings_fixed",
    ] {
        assert_eq!(d[empty], serde_json::json!([]), "{empty}: {d}");
    }
    let md = roadlog_in(
        p,
        &["diff", "--format", "markdown", "--today", "2026-11-25"],
    );
    assert!(
        md.stdout.contains("was `mobile-experience`"),
        "{}",
        md.stdout
    );
    // A renamed item shows its title, not a dash.
    assert!(
        md.stdout.contains("| renamed | AUDIT-1 | Audit log |"),
        "{}",
        md.stdout
    );
    // Ids in the order people read them: X-5 before X-10.
    for n in [10, 5] {
        std::fs::write(
            p.join(format!("backlog/X-{n}.yaml")),
            "title: New\nstatus: todo\ntheme: api-platform\n",
        )
        .expect("write");
    }
    let out = roadlog_in(p, &["diff", "--format", "json", "--today", "2026-11-25"]);
    let d: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let added: Vec<&str> = d["items_added"]
        .as_array()
        .expect("added")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(added, ["X-5", "X-10"]);
    for n in [10, 5] {
        std::fs::remove_file(p.join(format!("backlog/X-{n}.yaml"))).expect("remove");
    }

    git_at(p, "2026-11-20T12:00:00Z", &["add", "-A"]);
    git_at(p, "2026-11-20T12:00:00Z", &["commit", "-qm", "renames"]);
    let out = roadlog_in(p, &["history", "--every", "commit", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let h: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let ids: Vec<&str> = h["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert!(
        ids.contains(&"mobile") && !ids.contains(&"mobile-experience"),
        "{ids:?}"
    );
    let mobile = h["themes"]
        .as_array()
        .expect("themes")
        .iter()
        .find(|t| t["id"] == "mobile")
        .expect("mobile");
    assert_eq!(mobile["progress"].as_array().expect("series").len(), 2);
    assert!(
        mobile["progress"][0].is_number(),
        "one series from before the rename: {mobile}"
    );
}

#[test]
fn thousands_of_references_are_rewritten_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    write(&p.join("roadlog.yaml"), "");
    write(
        &p.join("roadmap/core.yaml"),
        "title: Core\nobjective: O\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n",
    );
    write(
        &p.join("backlog/E-1.yaml"),
        "title: Epic\nkind: epic\nstatus: todo\ntheme: core\n",
    );
    let n = 2_000;
    for k in 0..n {
        write(
            &p.join(format!("backlog/S-{k}.yaml")),
            &format!("title: Story {k}\nstatus: todo\nparent: E-1\nrelated: [core, E-1]\n"),
        );
    }
    let out = roadlog_in(p, &["rename", "E-1", "EPIC-1", "--today", "2025-08-15"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains(&format!("{} references rewritten", 2 * n)),
        "{}",
        out.stderr
    );
    for k in 0..n {
        assert_eq!(
            read(p, &format!("backlog/S-{k}.yaml")),
            format!("title: Story {k}\nstatus: todo\nparent: EPIC-1\nrelated: [core, EPIC-1]\n")
        );
    }
    let check = roadlog_in(p, &["check", "--today", "2025-08-15"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
}
