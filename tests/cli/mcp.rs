//! `roadlog mcp` over its real protocol: through rmcp's own client, and through the official
//! Python SDK's client (`mcp` on PyPI) for a whole agent session.

use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::transport::TokioChildProcess;
use serde_json::{Value, json};

fn call(name: &'static str, args: Value) -> CallToolRequestParams {
    let args = args.as_object().cloned().unwrap_or_default();
    CallToolRequestParams::new(name).with_arguments(args)
}

fn server(plan: &std::path::Path, extra: &[&str]) -> tokio::process::Command {
    let mut cmd = crate::roadlog_std();
    cmd.args(["--today", crate::TODAY, "--plan"])
        .arg(plan)
        .arg("mcp")
        .args(extra)
        .stderr(std::process::Stdio::null());
    tokio::process::Command::from(cmd)
}

#[tokio::test(flavor = "current_thread")]
async fn tools_answer_with_the_commands_json_and_bad_calls_do_not_end_the_server() {
    let plan = crate::acme_copy();
    let transport = TokioChildProcess::new(server(plan.path(), &[])).expect("spawns");
    let client = ().serve(transport).await.expect("initialises");

    let tools = client.list_all_tools().await.expect("tools");
    let mut names: Vec<String> = tools.iter().map(|t| t.name.to_string()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "check",
            "diff",
            "forecast",
            "history",
            "list",
            "new_item",
            "new_theme",
            "progress",
            "rename",
            "report",
            "roadmap",
            "set",
            "trace"
        ]
    );
    let trace = tools.iter().find(|t| t.name == "trace").expect("trace");
    let schema = serde_json::to_value(&trace.input_schema).expect("schema");
    assert_eq!(schema["required"], json!(["id"]), "{schema}");

    let got = client
        .call_tool(call("trace", json!({ "id": "BL-214" })))
        .await
        .expect("answered");
    assert_eq!(got.is_error, Some(false));
    let cli = crate::roadlog()
        .args(["--today", crate::TODAY, "--plan"])
        .arg(plan.path())
        .args(["trace", "BL-214", "--format", "json", "--no-cache"])
        .output()
        .expect("runs");
    let want: Value = serde_json::from_slice(&cli.stdout).expect("json");
    assert_eq!(
        got.structured_content,
        Some(want),
        "the same JSON as the command line"
    );

    // An unknown tool, a missing field, a mistyped one: each an error, and the server goes on.
    assert!(
        client
            .call_tool(call("delete_everything", json!({})))
            .await
            .is_err()
    );
    let missing = client.call_tool(call("trace", json!({}))).await;
    assert!(
        missing.is_err() || missing.as_ref().is_ok_and(|r| r.is_error == Some(true)),
        "{missing:?}"
    );
    let mistyped = format!(
        "{:?}",
        client.call_tool(call("trace", json!({ "id": 5 }))).await
    );
    assert!(
        mistyped.contains("id") || mistyped.contains("string"),
        "{mistyped}"
    );
    let unknown = client
        .call_tool(call("trace", json!({ "id": "BL-000" })))
        .await
        .expect("answered");
    assert_eq!(
        unknown.is_error,
        Some(true),
        "an unknown id is the command's refusal"
    );

    let still = client
        .call_tool(call("progress", json!({})))
        .await
        .expect("still serving");
    assert_eq!(still.is_error, Some(false));
    client.cancel().await.expect("closes");
}

#[tokio::test(flavor = "current_thread")]
async fn read_only_offers_no_write_and_a_dry_run_writes_nothing() {
    let plan = crate::acme_copy();
    let transport = TokioChildProcess::new(server(plan.path(), &["--read-only"])).expect("spawns");
    let client = ().serve(transport).await.expect("initialises");
    let tools = client.list_all_tools().await.expect("tools");
    let writes = ["new_item", "new_theme", "set", "rename"];
    assert!(tools.iter().all(|t| !writes.contains(&t.name.as_ref())));
    assert!(
        client
            .call_tool(call(
                "set",
                json!({ "id": "BL-214", "field": "estimate", "value": "5" })
            ))
            .await
            .is_err()
    );
    client.cancel().await.expect("closes");

    let transport = TokioChildProcess::new(server(plan.path(), &[])).expect("spawns");
    let client = ().serve(transport).await.expect("initialises");
    let file = plan.path().join("roadmap/enterprise-security.yaml");
    let before = std::fs::read_to_string(&file).expect("read");
    let dry = client
        .call_tool(call(
            "rename",
            json!({ "old": "enterprise-security", "new": "enterprise-trust", "dry_run": true }),
        ))
        .await
        .expect("answered");
    let dry = dry.structured_content.expect("structured");
    let renamed: Vec<&Value> = dry["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter(|f| f["renamed_from"] == "roadmap/enterprise-security.yaml")
        .collect();
    assert_eq!(renamed.len(), 1, "{dry}");
    assert_eq!(renamed[0]["path"], "roadmap/enterprise-trust.yaml");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), before);
    assert!(!plan.path().join("roadmap/enterprise-trust.yaml").exists());
    client.cancel().await.expect("closes");
}

#[test]
fn the_official_python_client_runs_an_agent_session() {
    let test = "mcp::python";
    let Some(python) = crate::clients::python(test, &["mcp"]) else {
        return;
    };
    let plan = crate::acme_copy();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/mcp_session.py");
    let mut cmd = std::process::Command::new(python);
    crate::clean_env(&mut cmd);
    let out = cmd
        .arg(&script)
        .env("ROADLOG_BIN", assert_cmd::cargo::cargo_bin!("roadlog"))
        .env("ROADLOG_PLAN_COPY", plan.path())
        .output()
        .expect("python runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{said}");
    assert!(said.contains("all checks passed"), "{said}");
}

#[tokio::test(flavor = "current_thread")]
async fn outside_a_plan_a_tool_says_so_and_the_server_goes_on() {
    let empty = tempfile::tempdir().expect("tempdir");
    let transport = TokioChildProcess::new(server(empty.path(), &[])).expect("spawns");
    let client = ().serve(transport).await.expect("initialises");
    let got = client
        .call_tool(call("check", json!({})))
        .await
        .expect("answered");
    assert_eq!(got.is_error, Some(true));
    let code = got.structured_content.as_ref().map(|c| c["code"].clone());
    assert_eq!(code, Some(json!("no-config")), "{got:?}");
    let again = client
        .call_tool(call("roadmap", json!({})))
        .await
        .expect("answered");
    assert_eq!(
        again.is_error,
        Some(true),
        "still serving, still saying why"
    );
    client.cancel().await.expect("closes");
}
