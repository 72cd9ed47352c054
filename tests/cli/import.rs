//! `roadlog import` and `init --from`, from the built binary on exports shaped like the real ones
//! (`tests/fixtures/import/generate.py`): each becomes a plan `check` accepts, a second import
//! changes nothing, a newer export changes only what changed in the tracker, and the forecast has
//! throughput from the resolution dates.

mod hostile;
mod refusals;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{roadlog, run_with};

/// The day the generated exports were taken (the newer one four weeks later).
const EXPORTED: &str = "2024-05-31";
const NEWER: &str = "2024-06-28";

/// The five generated exports: tracker, file.
const EXPORTS: [(&str, &str); 5] = [
    ("jira", "jira.csv"),
    ("github", "github-issues.json"),
    ("github", "github-project.json"),
    ("linear", "linear.csv"),
    ("linear", "linear-34.csv"),
];

pub(crate) fn export(name: &str) -> PathBuf {
    crate::fixture("import").join(name)
}

pub(crate) fn import(plan: &Path, args: &[&str], today: &str) -> crate::Run {
    run_with(
        roadlog()
            .arg("--plan")
            .arg(plan)
            .args(["--today", today, "import"])
            .args(args),
    )
}

pub(crate) fn init_from(dir: &Path, tracker: &str, file: &Path, today: &str) -> crate::Run {
    run_with(
        roadlog()
            .arg("init")
            .arg(dir)
            .args(["--today", today, "--from", tracker])
            .arg(file),
    )
}

/// Every file under `dir`, by relative path.
pub(crate) fn files(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| {
            e.file_type().is_file() && !e.path().components().any(|c| c.as_os_str() == ".git")
        })
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read_to_string(e.path()).expect("read"),
            )
        })
        .collect()
}

fn check(plan: &Path, today: &str) -> (i32, Value) {
    let out = run_with(
        roadlog()
            .arg("--plan")
            .arg(plan)
            .args(["--today", today, "check", "--format", "json"]),
    );
    (out.code, serde_json::from_str(&out.stdout).expect("json"))
}

#[test]
fn each_export_becomes_a_plan_check_accepts_and_importing_again_changes_nothing() {
    for (tracker, file) in EXPORTS {
        let dir = tempfile::tempdir().expect("tempdir");
        let plan = dir.path().join("plan");
        let made = init_from(&plan, tracker, &export(&format!("export/{file}")), EXPORTED);
        assert_eq!(made.code, 0, "{file}: {}", made.stderr);
        assert!(
            made.stderr.contains("created 200,"),
            "{file}: {}",
            made.stderr
        );
        let (code, report) = check(&plan, EXPORTED);
        assert_eq!(code, 0, "{file}: {report}");
        assert_eq!(report["summary"]["errors"], 0, "{file}");
        assert_eq!(report["summary"]["items"], 200, "{file}");
        let rules: Vec<&str> = report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter_map(|d| d["rule"].as_str())
            .collect();
        assert!(
            rules.contains(&"orphan-item"),
            "{file}: what the mapping left open is said"
        );

        let before = files(&plan);
        let again = import(
            &plan,
            &[
                tracker,
                &export(&format!("export/{file}")).to_string_lossy(),
                "--format",
                "json",
            ],
            EXPORTED,
        );
        assert_eq!(again.code, 0, "{file}: {}", again.stderr);
        let summary: Value = serde_json::from_str(&again.stdout).expect("json");
        assert_eq!(summary["created"], serde_json::json!([]), "{file}");
        assert_eq!(summary["updated"], serde_json::json!([]), "{file}");
        assert_eq!(summary["unchanged"], 200, "{file}");
        assert_eq!(
            files(&plan),
            before,
            "{file}: a second import writes nothing"
        );
    }
}

/// The records of an export by `source:`, without the line they stand on.
fn records(tracker: &str, path: &Path) -> BTreeMap<String, roadlog_engine::import::Record> {
    let tracker = match tracker {
        "jira" => roadlog_engine::import::Tracker::Jira,
        "github" => roadlog_engine::import::Tracker::Github,
        _ => roadlog_engine::import::Tracker::Linear,
    };
    let bytes = std::fs::read(path).expect("read");
    let dates = roadlog_import::DateFormat::jira_default();
    roadlog_import::read(tracker, "x", &bytes, &dates)
        .expect("reads")
        .records
        .into_iter()
        .map(|mut r| {
            r.line = None;
            (r.source.clone(), r)
        })
        .collect()
}

/// The fields an import may write in an existing item's file.
const OWNED: [&str; 10] = [
    "title:",
    "status:",
    "kind:",
    "assignee:",
    "estimate:",
    "sprint:",
    "parent:",
    "depends_on:",
    "done_on:",
    "theme:",
];

#[test]
fn a_newer_export_changes_only_the_lines_whose_tracker_value_changed() {
    for (tracker, file) in [
        ("jira", "jira.csv"),
        ("github", "github-issues.json"),
        ("linear", "linear-34.csv"),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let plan = dir.path().join("plan");
        let first = export(&format!("export/{file}"));
        let newer = export(&format!("newer/{file}"));
        assert_eq!(init_from(&plan, tracker, &first, EXPORTED).code, 0);
        // The plan's own: a theme set by hand, a comment, a priority.
        std::fs::write(
            plan.join("roadmap/core.yaml"),
            "title: Core\nobjective: O\nstatus: active\nhorizon: 2024-Q4\nreviewed: 2024-06-01\n",
        )
        .expect("write");
        let folder = plan.join(format!("backlog/{tracker}"));
        let mut hand = std::fs::read_dir(&folder)
            .expect("read dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                let text = std::fs::read_to_string(p).expect("read");
                !text.contains("parent:")
            })
            .collect::<Vec<_>>();
        hand.sort();
        let touched = hand.first().expect("an item without a parent").clone();
        let text = std::fs::read_to_string(&touched).expect("read");
        let text = text.replacen('\n', "\n# ours, keep it\ntheme: core\npriority: 1\n", 1);
        std::fs::write(&touched, &text).expect("write");

        let before = files(&plan);
        let out = import(
            &plan,
            &[tracker, &newer.to_string_lossy(), "--format", "json"],
            NEWER,
        );
        assert_eq!(out.code, 0, "{file}: {}", out.stderr);
        let summary: Value = serde_json::from_str(&out.stdout).expect("json");
        let after = files(&plan);

        let (old, new) = (records(tracker, &first), records(tracker, &newer));
        let changed = new
            .iter()
            .filter(|(s, r)| old.get(*s).is_some_and(|o| o != *r))
            .count();
        let updated = summary["updated"].as_array().expect("updated").len();
        assert!(
            updated > 10,
            "{file}: the newer export finished work: {summary}"
        );
        assert!(
            updated <= changed,
            "{file}: {updated} updated, {changed} records changed"
        );
        assert_eq!(
            summary["created"].as_array().map(Vec::len),
            Some(3),
            "{file}"
        );
        assert_eq!(
            summary["missing"].as_array().map(Vec::len),
            Some(2),
            "{file}"
        );

        for (path, text) in &before {
            let now = after
                .get(path)
                .unwrap_or_else(|| panic!("{file}: {path} was removed"));
            if path == "roadlog.yaml" {
                continue;
            }
            let source = text
                .lines()
                .find_map(|l| l.strip_prefix("source: "))
                .map(str::to_string);
            let unchanged = source
                .as_ref()
                .is_some_and(|s| old.contains_key(s) && old.get(s) == new.get(s));
            if unchanged {
                assert_eq!(
                    now, text,
                    "{file}: {path} changed though its record did not"
                );
                continue;
            }
            // Every line that differs is a field the tracker owns.
            let (a, b): (Vec<&str>, Vec<&str>) = (text.lines().collect(), now.lines().collect());
            for line in a
                .iter()
                .filter(|l| !b.contains(l))
                .chain(b.iter().filter(|l| !a.contains(l)))
            {
                assert!(
                    OWNED.iter().any(|f| line.starts_with(f)),
                    "{file}: {path}: `{line}` is not the tracker's to change"
                );
            }
        }
        let kept = &after[&touched
            .strip_prefix(&plan)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/")];
        for ours in ["# ours, keep it\n", "theme: core\n", "priority: 1\n"] {
            assert!(kept.contains(ours), "{file}: `{ours}` survived: {kept}");
        }
        // Gone from the tracker's export is not gone from the plan.
        assert!(after.len() >= before.len() + 3, "{file}: nothing deleted");

        let again = import(&plan, &[tracker, &newer.to_string_lossy()], NEWER);
        assert!(
            again
                .stderr
                .contains("created 0, updated 0, unchanged 201, not in export 2"),
            "{file}: {}",
            again.stderr
        );
        let closing = import(
            &plan,
            &[tracker, &newer.to_string_lossy(), "--missing", "wontdo"],
            NEWER,
        );
        assert_eq!(closing.code, 0, "{}", closing.stderr);
        for id in summary["missing"].as_array().expect("missing") {
            let id = id.as_str().expect("id");
            let path = folder.join(format!("{id}.yaml"));
            let text = std::fs::read_to_string(&path).expect("still there");
            let was = &before[&format!("backlog/{tracker}/{id}.yaml")];
            let open = ["status: todo", "status: in-progress", "status: blocked"]
                .iter()
                .any(|s| was.contains(s));
            assert_eq!(
                text.contains("status: wontdo"),
                open || was.contains("status: wontdo"),
                "{file}: {id}: {text}"
            );
        }
    }
}

#[test]
fn the_forecast_learns_from_the_imported_resolution_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path().join("plan");
    assert_eq!(
        init_from(&plan, "jira", &export("export/jira.csv"), EXPORTED).code,
        0
    );
    std::fs::write(
        plan.join("roadmap/payments.yaml"),
        "title: Payments\nobjective: O\nstatus: active\nhorizon: 2024-Q4\nreviewed: 2024-05-01\n",
    )
    .expect("write");
    let config = std::fs::read_to_string(plan.join("roadlog.yaml")).expect("read");
    let config = config.replace("    # PAY-1: a-theme-id\n", "    PAY-1: payments\n");
    std::fs::write(plan.join("roadlog.yaml"), config).expect("write");
    let mapped = import(
        &plan,
        &["jira", &export("export/jira.csv").to_string_lossy()],
        EXPORTED,
    );
    assert!(
        mapped.stderr.contains("updated 1,"),
        "only the epic names the theme: {}",
        mapped.stderr
    );
    // No commit yet: the resolution dates are the history.
    let out = run_with(
        roadlog()
            .arg("--plan")
            .arg(&plan)
            .env("GIT_CEILING_DIRECTORIES", dir.path())
            .args(["--today", EXPORTED, "forecast", "--format", "json"]),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("json");
    let theme = &v["themes"][0];
    assert_eq!(theme["id"], "payments");
    assert!(
        theme["p50"].is_string(),
        "a date from the imported history: {theme}"
    );
    let weeks = v["throughput"]["weeks"].as_array().map_or(0, Vec::len);
    assert!(weeks >= 4, "weeks of throughput: {weeks}");
}
