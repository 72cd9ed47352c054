//! Format gaps a real plan hit: `horizon: ongoing`, several assignees on one item, `related`
//! links and `aliases`, each read, checked and shown end to end.

use std::path::Path;

use crate::roadlog_in;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn plan(reviewed: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    write(
        p,
        "roadlog.yaml",
        "review_cadence_days: 30\ncurrent_sprint: S1\n",
    );
    write(
        p,
        "roadmap/support.yaml",
        &format!(
            "title: Customer support\nobjective: Answer every ticket within a day\nstatus: active\nhorizon: ongoing\nreviewed: {reviewed}\n"
        ),
    );
    write(
        p,
        "roadmap/growth.yaml",
        "title: Growth\nobjective: Double sign-ups\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n",
    );
    write(
        p,
        "backlog/S-1.yaml",
        "title: Triage rota\nstatus: in-progress\ntheme: support\nsprint: S1\nassignee: [priya, jun]\nrelated: [growth, G-1]\n",
    );
    write(
        p,
        "backlog/G-1.yaml",
        "title: Pricing page\nstatus: todo\ntheme: growth\nassignee: jun\nrelated: [S-1]\n",
    );
    dir
}

fn json(p: &Path, args: &[&str], today: &str) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json", "--today", today]);
    let out = roadlog_in(p, &all);
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}{}", out.stdout, out.stderr))
}

#[test]
fn an_ongoing_theme_is_never_overdue_and_its_health_follows_its_review() {
    let dir = plan("2027-01-10");
    let p = dir.path();
    // Years after every dated horizon: growth is overdue, support never is.
    let check = json(p, &["check"], "2027-02-01");
    let overdue: Vec<&str> = check["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "overdue-theme")
        .map(|d| d["entity"].as_str().expect("entity"))
        .collect();
    assert_eq!(overdue, ["growth"]);
    let exec = json(p, &["report", "exec"], "2027-02-01");
    let health = |id: &str, v: &serde_json::Value| {
        v["themes"]
            .as_array()
            .expect("themes")
            .iter()
            .find(|t| t["id"] == id)
            .map(|t| t["health"].clone())
            .expect("theme")
    };
    assert_eq!(health("support", &exec), "on-track");
    // Unreviewed for longer than the cadence, a standing mandate is at risk.
    let late = json(p, &["report", "exec"], "2027-03-15");
    assert_eq!(health("support", &late), "at-risk");

    let roadmap = json(p, &["roadmap"], "2025-08-15");
    let rows = roadmap["rows"].as_array().expect("rows");
    let support = rows
        .iter()
        .find(|r| r["id"] == "support")
        .expect("support row");
    assert_eq!(support["open"], true);
    assert_eq!(support["horizon"], "ongoing");
    assert_eq!(
        support["start"], rows[0]["start"],
        "runs across the timeline"
    );
    let growth = rows
        .iter()
        .find(|r| r["id"] == "growth")
        .expect("growth row");
    assert_eq!(growth["open"], false);
    let table = roadlog_in(p, &["roadmap", "--today", "2025-08-15"]);
    assert!(table.stdout.contains("ongoing"), "{}", table.stdout);

    let site = tempfile::tempdir().expect("tempdir");
    let out = roadlog_in(
        p,
        &[
            "publish",
            "--out",
            site.path().to_str().expect("utf-8"),
            "--today",
            "2025-08-15",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let index = std::fs::read_to_string(site.path().join("index.html")).expect("index");
    assert!(
        index.contains(r#"<text class="open""#),
        "the open bar's arrow"
    );
}

#[test]
fn several_assignees_and_related_links_are_read_and_shown() {
    let dir = plan("2025-08-01");
    let p = dir.path();
    let check = json(p, &["check"], "2025-08-15");
    assert_eq!(check["diagnostics"], serde_json::json!([]), "{check}");
    let mine = json(p, &["list", "--assignee", "jun"], "2025-08-15");
    let ids: Vec<&str> = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["G-1", "S-1"]);
    assert_eq!(
        mine["items"][1]["assignee"],
        serde_json::json!(["priya", "jun"])
    );
    let team = roadlog_in(p, &["report", "team", "--today", "2025-08-15"]);
    assert!(team.stdout.contains("priya, jun"), "{}", team.stdout);
    let trace = json(p, &["trace", "S-1"], "2025-08-15");
    let related: Vec<&str> = trace["related"]
        .as_array()
        .expect("related")
        .iter()
        .map(|l| l["id"].as_str().expect("id"))
        .collect();
    assert_eq!(related, ["growth", "G-1"]);
    // A related link is no dependency: S-1 is not blocked by G-1, which is not done.
    let blocked = json(p, &["list", "--blocked"], "2025-08-15");
    assert_eq!(blocked["items"], serde_json::json!([]));
}
