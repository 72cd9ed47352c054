//! `roadlog schema` and `roadlog completions`: the schemas accept the plans roadlog accepts and
//! reject what it rejects, checked with a JSON Schema validator on real plan files.

use std::path::Path;

use roadlog_engine::yaml::{Node, Value};

use crate::{fixture, run};

/// A YAML node as the JSON an editor's YAML language server would validate.
fn to_json(node: &Node) -> serde_json::Value {
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::json!(b),
        Value::Int(i) => serde_json::json!(i),
        Value::Float(f) => serde_json::json!(f),
        Value::Str(s) => serde_json::json!(s),
        Value::Seq(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.to_string(), to_json(v)))
                .collect(),
        ),
    }
}

fn schema(kind: &str, plan: &Path) -> jsonschema::Validator {
    let out = run(&["schema", kind, "--plan", plan.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let schema: serde_json::Value = serde_json::from_str(&out.stdout).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

fn documents(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).expect("read");
    roadlog_engine::yaml::parse_stream(&text)
        .expect("YAML")
        .iter()
        .map(to_json)
        .collect()
}

fn yaml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path()
                    .extension()
                    .is_some_and(|x| x == "yaml" || x == "yml")
        })
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path().to_path_buf())
        .collect()
}

/// Every file of a plan that `roadlog check` finds no schema-level problem in validates.
fn assert_plan_validates(plan: &Path, except: &[&str]) {
    let (themes, items, config) = (
        schema("theme", plan),
        schema("item", plan),
        schema("config", plan),
    );
    let mut checked = 0;
    for path in yaml_files(plan) {
        let rel = path
            .strip_prefix(plan)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        let validator = if rel == "roadlog.yaml" {
            &config
        } else if rel.starts_with("roadmap/") {
            &themes
        } else {
            &items
        };
        for doc in documents(&path) {
            let valid = validator.is_valid(&doc);
            assert_eq!(
                valid,
                !except.contains(&rel.as_str()),
                "{rel}: {:?}",
                validator
                    .iter_errors(&doc)
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
            );
            checked += 1;
        }
    }
    assert!(checked > 5, "only {checked} documents");
}

#[test]
fn fixture_and_example_plans_validate() {
    assert_plan_validates(&fixture("clean"), &[]);
    assert_plan_validates(&fixture("reports"), &[]);
    // The example's deliberate roadmap-detail problem is a schema error too.
    assert_plan_validates(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme"),
        &["roadmap/api-platform.yaml"],
    );
}

#[test]
fn the_schema_rejects_what_check_rejects() {
    let plan = fixture("clean");
    let (themes, items, config) = (
        schema("theme", &plan),
        schema("item", &plan),
        schema("config", &plan),
    );
    let yaml = |text: &str| to_json(&roadlog_engine::yaml::parse_stream(text).expect("yaml")[0]);
    let theme = "title: T\nobjective: O\nstatus: active\nhorizon: 2025-Q3\n";
    assert!(themes.is_valid(&yaml(theme)));
    for bad in [
        "title: T\nobjective: O\nstatus: active\n", // active needs a horizon
        "title: T\nobjective: O\nstatus: active\nhorizon: 2025-Q5\n", // bad horizon
        "title: T\nobjective: O\nstatus: proposed\nhorizon: next\nestimate: 3\n", // roadmap-detail
        "title: T\nobjective: O\nstatus: activ\nhorizon: next\n", // bad status
        "titel: T\nobjective: O\nstatus: proposed\nhorizon: next\n", // unknown field
    ] {
        assert!(!themes.is_valid(&yaml(bad)), "accepted: {bad}");
    }
    assert!(items.is_valid(&yaml(
        "title: X\nstatus: review\nparent: A-10\ndepends_on: [A-11]\nestimate: 2.5\n"
    )));
    for bad in [
        "title: X\nstatus: in progress\n",
        "title: X\nstatus: todo\nassigne: jo\n",
        "title: X\nstatus: todo\nestimate: -1\n",
        "title: X\nstatus: todo\ndepends_on: [../x]\n",
        "status: todo\n",
    ] {
        assert!(!items.is_valid(&yaml(bad)), "accepted: {bad}");
    }
    assert!(config.is_valid(&yaml(
        "rules:\n  orphan-item: error\nstatuses:\n  review: in-progress\n"
    )));
    assert!(!config.is_valid(&yaml("rules:\n  orphan-items: error\n")));
    assert!(!config.is_valid(&yaml("statuses:\n  done: wontdo\n")));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains("roadlog"), "{shell}");
        assert!(
            out.stdout.contains("history"),
            "{shell} completes subcommands"
        );
    }
}

#[test]
fn every_subcommand_help_has_examples() {
    for args in [
        &["check"][..],
        &["progress"],
        &["report", "exec"],
        &["report", "team"],
        &["report", "pm"],
        &["trace"],
        &["roadmap"],
        &["diff"],
        &["history"],
        &["schema"],
        &["completions"],
        &["init"],
    ] {
        let mut all = args.to_vec();
        all.push("--help");
        let out = run(&all);
        assert_eq!(out.code, 0, "{args:?}");
        assert!(
            out.stdout.contains("Examples:"),
            "{args:?} --help has no examples"
        );
    }
}

/// One file holding every field of `table` at its sample value, theme or item.
fn every_field(table: &[roadlog_engine::model::fields::Field]) -> String {
    table
        .iter()
        .map(|f| format!("{}: {}\n", f.name, f.sample))
        .collect()
}

#[test]
fn the_reader_the_schema_and_set_help_follow_one_table_of_fields() {
    use roadlog_engine::model::fields;
    let config = roadlog_engine::model::Config::default();
    let plan = fixture("clean");
    for (table, theme, kind) in [
        (fields::THEME, true, "theme"),
        (fields::ITEM, false, "item"),
    ] {
        let text = every_field(table);
        // The reader accepts every field of the table at its sample, without a finding.
        let path = if theme {
            "roadmap/core.yaml"
        } else {
            "backlog/A-1.yaml"
        };
        let (_, findings) = roadlog_engine::load::read_text(path, &text, theme, &config);
        assert!(findings.is_empty(), "{kind}: {findings:?}\n{text}");
        // The schema accepts the same document, and knows no field the table does not.
        let validator = schema(kind, &plan);
        let doc = to_json(&roadlog_engine::yaml::parse_stream(&text).expect("YAML")[0]);
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{kind}: {errors:?}");
        let out = run(&["schema", kind]);
        let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
        let mut declared: Vec<&str> = json["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .map(String::as_str)
            .collect();
        declared.sort_unstable();
        let mut table_names = fields::names(table);
        table_names.sort_unstable();
        assert_eq!(declared, table_names, "{kind}");
        // A key outside the table is an unknown field to the reader.
        let (_, findings) =
            roadlog_engine::load::read_text(path, &format!("{text}colour: red\n"), theme, &config);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].rule.code(), "unknown-field");
    }
    // `set --help` lists exactly the settable fields of the table.
    // clap wraps the text to the terminal's width; compare it unwrapped.
    let help = run(&["set", "--help"]).stdout.replace('\n', " ");
    for (table, on) in [(fields::THEME, "themes"), (fields::ITEM, "items")] {
        let line = format!(
            "{} on {on}",
            fields::editable(table, fields::Edit::Value).join(", ")
        );
        assert!(help.contains(&line), "{line}\n{help}");
    }
}
