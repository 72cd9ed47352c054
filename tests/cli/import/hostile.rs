//! Hostile exports are inert: YAML syntax, a document marker, a NUL, a megabyte of description,
//! bidi controls and CSV injection all land as strings that read back to the same text.

use std::path::Path;

use serde_json::Value;

use super::{import, init_from};

const DAY: &str = "2024-06-28";

/// Titles and descriptions no import may turn into anything but themselves.
fn hostile() -> Vec<String> {
    vec![
        "key: value # not a comment".into(),
        "---".into(),
        "- [a, b]\n- {c: d}".into(),
        "nul \u{0}here".into(),
        "bidi \u{202e}txet desrever\u{202c} and \u{2066}isolate\u{2069}".into(),
        "=cmd|' /C calc'!A0".into(),
        "@SUM(1+1)*cmd|' /C calc'!A0".into(),
        "\"quoted\" 'single' \\ backslash".into(),
        "yes".into(),
        "2024-06-28".into(),
        "*alias &anchor !tag %directive".into(),
        "tab\there, CR\r\nand an emoji 🚀".into(),
    ]
}

/// Each item's title and description, as roadlog's own reader reads them back.
fn read_back(plan: &Path) -> Vec<(String, String, Option<String>)> {
    let tree = roadlog_engine::load::WorkTree::new(plan).expect("a plan");
    let loaded = roadlog_engine::load::load(&tree, "plan").expect("loads");
    // A title with a line break is a warning (`title-format`), nothing worse.
    let worse: Vec<_> = loaded
        .findings
        .iter()
        .filter(|f| f.rule != roadlog_engine::diag::Rule::TitleFormat)
        .collect();
    assert!(worse.is_empty(), "every file reads: {worse:?}");
    loaded
        .items
        .iter()
        .map(|i| (i.id.value.clone(), i.title_text(), i.description.clone()))
        .collect()
}

#[test]
fn a_hostile_jira_export_round_trips_as_plain_strings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let texts = hostile();
    let big = "x".repeat(1 << 20);
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["Summary", "Issue key", "Status", "Description"])
        .expect("row");
    for (n, t) in texts.iter().enumerate() {
        let key = format!("EVIL-{}", n + 1);
        let description = if n == 0 { big.as_str() } else { t.as_str() };
        csv.write_record([t.as_str(), key.as_str(), "To Do", description])
            .expect("row");
    }
    let file = dir.path().join("evil.csv");
    std::fs::write(&file, csv.into_inner().expect("bytes")).expect("write");
    let plan = dir.path().join("plan");
    let made = init_from(&plan, "jira", &file, DAY);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let back = read_back(&plan);
    assert_eq!(back.len(), texts.len());
    for (n, t) in texts.iter().enumerate() {
        let id = format!("EVIL-{}", n + 1);
        let (_, title, description) = back
            .iter()
            .find(|(i, _, _)| *i == id)
            .unwrap_or_else(|| panic!("{id} imported"));
        assert_eq!(title, t.trim(), "{id}: the title reads back as written");
        let wanted = if n == 0 { &big } else { t };
        assert_eq!(description.as_deref(), Some(wanted.as_str()), "{id}");
    }
    let again = import(&plan, &["jira", &file.to_string_lossy()], DAY);
    assert!(
        again.stderr.contains("created 0, updated 0"),
        "{}",
        again.stderr
    );
}

#[test]
fn a_hostile_github_export_round_trips_as_plain_strings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let texts = hostile();
    let issues: Vec<Value> = texts
        .iter()
        .enumerate()
        .map(|(n, t)| {
            serde_json::json!({
                "number": n + 1, "title": t, "body": t, "state": "OPEN", "stateReason": "",
                "labels": [{"name": t}], "milestone": null, "assignees": [{"login": "ana"}],
                "createdAt": "2024-06-01T00:00:00Z", "closedAt": null,
                "url": format!("https://github.com/acme/web/issues/{}", n + 1),
            })
        })
        .collect();
    let file = dir.path().join("evil.json");
    std::fs::write(&file, serde_json::to_string(&issues).expect("json")).expect("write");
    let plan = dir.path().join("plan");
    let made = init_from(&plan, "github", &file, DAY);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let config = std::fs::read_to_string(plan.join("roadlog.yaml")).expect("read");
    let back = read_back(&plan);
    for (n, t) in texts.iter().enumerate() {
        let id = format!("GH-{}", n + 1);
        let (_, title, description) = back
            .iter()
            .find(|(i, _, _)| *i == id)
            .unwrap_or_else(|| panic!("{id} imported; roadlog.yaml:\n{config}"));
        assert_eq!(title, t.trim(), "{id}");
        assert_eq!(description.as_deref(), Some(t.as_str()), "{id}");
    }
    // The labels listed in roadlog.yaml's comments stay comments.
    let (code, _) = super::check(&plan, DAY);
    assert_eq!(code, 0);
}
