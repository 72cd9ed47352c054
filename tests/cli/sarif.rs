//! `check --format sarif`: every log validated against the SARIF 2.1.0 schema, every finding
//! carried with its location and a fingerprint that survives reformatting.

use std::path::Path;

use serde_json::Value;

use crate::git::write;
use crate::{TODAY, check_json, fixture, run, run_with};

/// The OASIS SARIF 2.1.0 JSON Schema (as shipped in the MIT-licensed serde-sarif 0.8.0).
fn validator() -> jsonschema::Validator {
    let path = fixture("sarif/sarif-schema-2.1.0.json");
    let mut schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("JSON");
    // The published schema's patterns for `language` have a stray `]` that a strict regex
    // engine rejects; roadlog writes no `language`, so they are set to what they mean.
    for definition in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][definition]["properties"]["language"]["pattern"];
        assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
    }
    // Formats are checked too: `artifactLocation.uri` must be a `uri-reference`.
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid JSON Schema")
}

fn sarif(plan: &Path) -> (i32, Value) {
    let out = run(&[
        "check",
        "--format",
        "sarif",
        "--today",
        TODAY,
        "--plan",
        plan.to_str().expect("utf-8"),
    ]);
    let log: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", out.stdout, out.stderr));
    let errors: Vec<String> = validator()
        .iter_errors(&log)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
    (out.code, log)
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

#[test]
fn every_finding_is_a_result_with_its_location_and_identity() {
    for name in [
        "unknown-theme",
        "duplicate-id",
        "sprint-overlap",
        "roadmap-detail",
    ] {
        let plan = fixture(&format!("rules/{name}"));
        let (code, log) = sarif(&plan);
        let (json_run, json) = check_json(&plan);
        assert_eq!(
            code, json_run.code,
            "{name}: the exit status is the verdict"
        );
        let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
        let results = results(&log);
        assert_eq!(results.len(), diagnostics.len(), "{name}");
        for (r, d) in results.iter().zip(diagnostics) {
            assert_eq!(r["ruleId"], d["rule"], "{name}");
            assert_eq!(r["level"], d["severity"], "{name}");
            assert_eq!(
                r["partialFingerprints"]["roadlogIdentity/v1"],
                d["fingerprint"]
            );
            let location = &r["locations"][0]["physicalLocation"];
            let file = d["file"].as_str().unwrap_or("roadlog.yaml");
            assert_eq!(location["artifactLocation"]["uri"], file, "{name}");
            if let Some(line) = d["line"].as_u64() {
                assert_eq!(location["region"]["startLine"], line);
                assert_eq!(location["region"]["startColumn"], d["column"]);
                assert!(location["region"]["endLine"].as_u64() >= Some(line));
            }
            let rule = &log["runs"][0]["tool"]["driver"]["rules"]
                [r["ruleIndex"].as_u64().expect("index") as usize];
            assert_eq!(rule["id"], r["ruleId"]);
        }
    }
}

#[test]
fn the_driver_lists_every_rule_with_help_from_the_catalogue() {
    let (_, log) = sarif(&fixture("clean"));
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "roadlog");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), roadlog_engine::diag::Rule::ALL.len());
    for rule in rules {
        let id = rule["id"].as_str().expect("id");
        let markdown = rule["help"]["markdown"].as_str().expect("help");
        assert!(markdown.contains("**Fires when**"), "{id}: {markdown}");
        let uri = rule["helpUri"].as_str().expect("helpUri");
        assert!(uri.contains(&format!("docs/rules.md#{id}-")), "{uri}");
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .expect("text")
                .is_empty()
        );
    }
    assert_eq!(results(&log).len(), 0);
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}

#[test]
fn a_fingerprint_survives_the_file_being_reformatted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path();
    write(&plan.join("roadlog.yaml"), "product: P\n");
    write(
        &plan.join("roadmap/core.yaml"),
        "title: Core\nobjective: O\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n",
    );
    write(
        &plan.join("backlog/B-1.yaml"),
        "title: B\nstatus: todo\ntheme: cor\n",
    );
    let (_, before) = sarif(plan);
    write(
        &plan.join("backlog/B-1.yaml"),
        "# moved down by a comment\n\ntitle:   B\nstatus: todo\n\ntheme: cor\n",
    );
    let (_, after) = sarif(plan);
    let (b, a) = (&results(&before)[0], &results(&after)[0]);
    assert_ne!(
        b["locations"][0]["physicalLocation"]["region"]["startLine"],
        a["locations"][0]["physicalLocation"]["region"]["startLine"]
    );
    assert_eq!(b["partialFingerprints"], a["partialFingerprints"]);
}

#[test]
fn hostile_text_is_inert_and_still_valid() {
    let (_, log) = sarif(&fixture("hostile-markdown"));
    for r in results(&log) {
        let text = r["message"]["text"].as_str().expect("text");
        assert!(!text.trim().is_empty());
        // A bracket would start a SARIF embedded link; every one is escaped.
        let bare = text.replace("\\[", "").replace("\\]", "");
        assert!(!bare.contains('[') && !bare.contains(']'), "{text}");
        assert!(!text.chars().any(char::is_control), "{text:?}");
    }
}

#[test]
fn file_names_are_percent_encoded_uris_and_bidi_controls_never_reach_a_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("roadlog.yaml"), "").expect("write");
    std::fs::create_dir_all(root.join("backlog")).expect("mkdir");
    for name in ["my item", "café", "a#b", "q?x", "100%"] {
        std::fs::write(
            root.join(format!("backlog/{name}.yaml")),
            "id: BL-1\ntitle: T\nstatus: todo\ntheme: nowhere\u{202e}lmth.exe\n",
        )
        .expect("write");
    }
    let (_, log) = sarif(root);
    let mut uris: Vec<&str> = results(&log)
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    uris.sort_unstable();
    uris.dedup();
    assert_eq!(
        uris,
        [
            "backlog/100%25.yaml",
            "backlog/a%23b.yaml",
            "backlog/caf%C3%A9.yaml",
            "backlog/my%20item.yaml",
            "backlog/q%3Fx.yaml",
        ]
    );
    for r in results(&log) {
        let text = r["message"]["text"].as_str().expect("text");
        assert!(!text.contains('\u{202e}'), "{text:?}");
    }
}

#[test]
fn a_broken_config_is_a_failed_invocation_with_its_problems_as_results() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("roadlog.yaml"), "progress_by: weight\n");
    let (code, log) = sarif(dir.path());
    assert_eq!(code, 2);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["level"],
        "error"
    );
    let results = results(&log);
    assert_eq!(results[0]["ruleId"], "invalid-value");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "roadlog.yaml"
    );
}

#[test]
fn a_plan_with_more_findings_than_github_takes_keeps_the_errors_and_says_what_was_cut() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = dir.path();
    write(&plan.join("roadlog.yaml"), "product: P\n");
    // 25,500 orphans (a warning each) in files of 500 and, last of all, one error.
    for file in 0..51 {
        let mut stream = String::new();
        for n in 1..=500 {
            stream.push_str(&format!(
                "---\nid: O-{file}-{n}\ntitle: Orphan\nstatus: todo\n"
            ));
        }
        write(&plan.join(format!("backlog/o{file:02}.yaml")), &stream);
    }
    write(
        &plan.join("backlog/zz/E-1.yaml"),
        "id: E-1\ntitle: Error\nstatus: todo\ntheme: nowhere\n",
    );
    let out = run_with(
        crate::roadlog()
            .args(["check", "--format", "sarif", "--plan"])
            .arg(plan),
    );
    assert_eq!(out.code, 1);
    let log: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let results = results(&log);
    assert_eq!(results.len(), 25_000);
    assert_eq!(results[0]["ruleId"], "unknown-theme", "errors first");
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notes");
    assert!(
        notes.iter().any(|n| n["message"]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("501 findings were left out"))),
        "{notes:?}"
    );
}
