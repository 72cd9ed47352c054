//! Every reader takes any bytes without a panic: an answer or a refusal naming the file.

use proptest::prelude::*;

use super::*;

/// A cell: plain words, the characters CSV and YAML treat specially, dates, digits, nothing.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z ]{0,12}",
        "[,\"\r\n:#'\\-\\[\\]{}|>*&!%@`=+]{0,6}",
        "[0-9]{1,3}/(Jan|Feb|Mar|xyz)/[0-9]{1,3} [0-9]{1,2}:[0-9]{2} (AM|PM)",
        "20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.Z]{0,12}",
        "[A-Z]{1,4}-[0-9]{0,4}",
        "[0-9.e-]{0,6}",
        "\\PC{0,8}",
        Just(String::new()),
    ]
}

fn csv_text(header: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::collection::vec(cell(), 0..header.len() + 2), 0..6).prop_map(
        move |rows| {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(header);
            for row in rows {
                let _ = w.write_record(&row);
            }
            String::from_utf8_lossy(&w.into_inner().unwrap_or_default()).into_owned()
        },
    )
}

const JIRA: &[&str] = &[
    "Summary",
    "Issue key",
    "Issue id",
    "Issue Type",
    "Status",
    "Status Category",
    "Resolution",
    "Assignee",
    "Resolved",
    "Labels",
    "Labels",
    "Sprint",
    "Sprint",
    "Component/s",
    "Parent",
    "Custom field (Epic Link)",
    "Custom field (Story Points)",
    "Description",
];
const LINEAR: &[&str] = &[
    "ID",
    "Team",
    "Title",
    "Status",
    "Estimate",
    "Project",
    "Assignee",
    "Labels",
    "Cycle Number",
    "Cycle Name",
    "Cycle Start",
    "Cycle End",
    "Started",
    "Completed",
    "Canceled",
    "Parent issue",
    "Blocked by",
    "Description",
];

/// A value of JSON shaped like a `gh` issue, each field possibly of the wrong type.
fn gh_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        cell().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
        Just(serde_json::json!([{"name": "bug"}, {"login": "a"}, "x", 3])),
        Just(serde_json::json!({"title": "v1", "startDate": "2024-01-01", "duration": 14})),
    ];
    let keys = [
        "number",
        "title",
        "body",
        "state",
        "stateReason",
        "labels",
        "milestone",
        "assignees",
        "closedAt",
        "url",
        "type",
        "repository",
        "status",
        "iteration",
        "estimate",
    ];
    prop::collection::vec((prop::sample::select(keys.to_vec()), leaf), 0..10).prop_map(|fields| {
        let mut o = serde_json::Map::new();
        for (k, v) in fields {
            o.insert(k.to_string(), v);
        }
        if o.contains_key("url") {
            o.insert("url".into(), "https://github.com/o/r/issues/1".into());
        }
        serde_json::Value::Object(o)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_bytes_are_read_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let dates = DateFormat::jira_default();
        for tracker in [Tracker::Github, Tracker::Jira, Tracker::Linear] {
            let _ = read(tracker, "x", &bytes, &dates);
        }
    }

    #[test]
    fn csv_exports_with_any_cells_are_read_or_refused(
        jira in csv_text(JIRA),
        linear in csv_text(LINEAR),
        pattern in "[dMyhHmsa/:. '-]{0,14}",
    ) {
        let _ = read(Tracker::Jira, "x", jira.as_bytes(), &DateFormat::jira_default());
        if let Ok(dates) = DateFormat::parse(&pattern) {
            let _ = read(Tracker::Jira, "x", jira.as_bytes(), &dates);
        }
        let _ = read(Tracker::Linear, "x", linear.as_bytes(), &DateFormat::jira_default());
    }

    #[test]
    fn gh_exports_with_any_values_are_read_or_refused(
        issues in prop::collection::vec(gh_value(), 0..5),
        items in prop::collection::vec(gh_value(), 0..5),
    ) {
        let dates = DateFormat::jira_default();
        let list = serde_json::to_vec(&issues).unwrap_or_default();
        let _ = read(Tracker::Github, "x", &list, &dates);
        let project: Vec<serde_json::Value> = items
            .into_iter()
            .zip(issues)
            .map(|(item, content)| {
                let mut item = item;
                if let serde_json::Value::Object(o) = &mut item {
                    o.insert("content".into(), content);
                }
                item
            })
            .collect();
        let project = serde_json::to_vec(&serde_json::json!({"items": project})).unwrap_or_default();
        let _ = read(Tracker::Github, "x", &project, &dates);
    }

    #[test]
    fn jira_dates_in_any_text_are_read_or_not(text in "\\PC{0,30}", pattern in "[dMyhHmsa/:. ',-]{0,14}") {
        if let Ok(f) = DateFormat::parse(&pattern) {
            let _ = f.date(&text);
        }
        let _ = DateFormat::jira_default().date(&text);
        let _ = dates::rfc3339_day(&text);
    }
}
