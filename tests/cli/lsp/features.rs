//! Each request of serve.md, on a copy of the example plan, with unsaved buffers.

use serde_json::{Value, json};

use super::Client;

const BL214: &str = "backlog/mobile/BL-214.yaml";
const BL100: &str = "backlog/security/BL-100.yaml";
const THEME: &str = "roadmap/enterprise-security.yaml";

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn read(plan: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(plan.join(rel)).expect("read")
}

#[test]
fn an_unsaved_fix_clears_the_finding_and_its_quick_fix_is_the_did_you_mean() {
    let plan = crate::acme_copy();
    let disk = read(plan.path(), BL214);
    let mut client = Client::start(plan.path(), &[], &[]);
    let uri = client.uri(BL214);
    client.open(BL214, &disk);
    // First without "did you mean" (the fast pass), then with it once the editor is quiet.
    let suggested = |d: &[Value]| {
        d.iter().any(|x| {
            x["code"] == "unknown-theme"
                && x["message"].as_str().unwrap_or("").contains("did you mean")
        })
    };
    let found = client.diagnostics(&uri, suggested);
    let typo = found
        .iter()
        .find(|d| d["code"] == "unknown-theme")
        .expect("unknown-theme");
    assert_eq!(typo["source"], "roadlog");
    assert_eq!(typo["severity"], 1);
    assert_eq!(typo["range"]["start"], json!({ "line": 3, "character": 7 }));
    assert!(
        typo["message"]
            .as_str()
            .unwrap_or("")
            .contains("did you mean `mobile-experience`")
    );

    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": typo["range"],
            "context": { "diagnostics": [typo] },
        }),
    );
    let fix = &actions[0];
    assert_eq!(
        fix["title"], "Replace with `mobile-experience`",
        "{actions}"
    );
    let edit = &fix["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!(edit["newText"], "mobile-experience");
    assert_eq!(edit["range"], typo["range"]);

    let fixed = disk.replace("mobile-experiense", "mobile-experience");
    client.change(BL214, 2, &fixed);
    let after = client.diagnostics(&uri, |d| !codes(d).contains(&"unknown-theme".into()));
    assert!(
        !codes(&after).contains(&"unknown-theme".into()),
        "{after:?}"
    );
    // Nothing was written: the buffer stays the editor's.
    assert_eq!(read(plan.path(), BL214), disk);
    assert_eq!(client.stop(), 0);
}

#[test]
fn a_theme_renamed_in_its_buffer_raises_findings_in_the_files_that_name_it() {
    let plan = crate::acme_copy();
    let mut client = Client::start(plan.path(), &[], &[]);
    let text = format!("id: enterprise-sec\n{}", read(plan.path(), THEME));
    client.open(THEME, &read(plan.path(), THEME));
    client.change(THEME, 2, &text);
    let item = client.uri(BL100);
    let raised = client.diagnostics(&item, |d| codes(d).contains(&"unknown-theme".into()));
    assert!(codes(&raised).contains(&"unknown-theme".into()));
    // Back as it was: the finding is cleared in the file that was never opened.
    client.change(THEME, 3, &read(plan.path(), THEME));
    let cleared = client.diagnostics(&item, |d| !codes(d).contains(&"unknown-theme".into()));
    assert!(cleared.is_empty(), "{cleared:?}");
    assert_eq!(client.stop(), 0);
}

#[test]
fn definition_references_and_hover_follow_a_theme_reference() {
    let plan = crate::acme_copy();
    let mut client = Client::start(plan.path(), &[], &[]);
    let text = read(plan.path(), BL100);
    client.open(BL100, &text);
    let at = json!({ "textDocument": { "uri": client.uri(BL100) }, "position": { "line": 3, "character": 10 } });

    let definition = client.request("textDocument/definition", at.clone());
    assert_eq!(definition[0]["uri"], client.uri(THEME), "{definition}");

    let mut refs = at.clone();
    refs["context"] = json!({ "includeDeclaration": false });
    let references = client.request("textDocument/references", refs);
    let files: Vec<&str> = references
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|l| l["uri"].as_str())
        .collect();
    assert!(files.contains(&client.uri(BL100).as_str()), "{references}");
    // Every item that names the theme, and nothing else.
    let naming = walk_naming(plan.path(), "theme: enterprise-security");
    assert_eq!(files.len(), naming, "{references}");

    let hover = client.request("textDocument/hover", at);
    let shown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(shown.contains("Enterprise Security Enhancement"), "{shown}");
    assert!(shown.contains("progress"), "{shown}");
    assert!(shown.contains("health"), "{shown}");
    assert_eq!(client.stop(), 0);
}

fn walk_naming(root: &std::path::Path, line: &str) -> usize {
    walkdir::WalkDir::new(root.join("backlog"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            std::fs::read_to_string(e.path())
                .unwrap_or_default()
                .lines()
                .filter(|l| l.trim() == line)
                .count()
        })
        .sum()
}

#[test]
fn rename_is_one_workspace_edit_with_the_file_renamed_and_writes_nothing() {
    let plan = crate::acme_copy();
    let before = read(plan.path(), BL100);
    let mut client = Client::start(plan.path(), &[], &[]);
    client.open(BL100, &before);
    let at = json!({ "textDocument": { "uri": client.uri(BL100) }, "position": { "line": 3, "character": 9 } });
    let prepared = client.request("textDocument/prepareRename", at.clone());
    assert_eq!(prepared["placeholder"], "enterprise-security", "{prepared}");

    let mut params = at;
    params["newName"] = json!("enterprise-trust");
    let edit = client.request("textDocument/rename", params);
    let changes = edit["documentChanges"].as_array().expect("documentChanges");
    let renamed = changes
        .iter()
        .find(|c| c["kind"] == "rename")
        .expect("a RenameFile");
    assert_eq!(renamed["oldUri"], client.uri(THEME));
    assert_eq!(
        renamed["newUri"],
        client.uri("roadmap/enterprise-trust.yaml")
    );
    let edits: Vec<&Value> = changes
        .iter()
        .filter(|c| c.get("edits").is_some())
        .collect();
    assert_eq!(
        edits.len(),
        walk_naming(plan.path(), "theme: enterprise-security") + 1
    );
    // The open buffer's edit carries its version; the theme's own file keeps the old id.
    let own = edits
        .iter()
        .find(|e| e["textDocument"]["uri"] == client.uri(BL100))
        .expect("BL-100 edited");
    assert_eq!(own["textDocument"]["version"], 1);
    assert_eq!(own["edits"][0]["newText"], "trust");
    let theme = edits
        .iter()
        .find(|e| e["textDocument"]["uri"] == client.uri(THEME))
        .expect("theme edited");
    assert!(
        theme["edits"][0]["newText"]
            .as_str()
            .unwrap_or("")
            .contains("enterprise-security")
    );
    assert_eq!(
        read(plan.path(), BL100),
        before,
        "a rename is offered, not written"
    );

    // A refused rename is the CLI's refusal.
    let mut clash = json!({ "textDocument": { "uri": client.uri(BL100) }, "position": { "line": 3, "character": 9 } });
    clash["newName"] = json!("api-platform");
    let refused = client
        .try_request("textDocument/rename", clash)
        .expect_err("refused");
    assert!(
        refused["message"]
            .as_str()
            .unwrap_or("")
            .contains("already the id of a theme"),
        "{refused}"
    );
    assert_eq!(client.stop(), 0);
}

#[test]
fn positions_count_utf16_units_unless_utf8_is_negotiated() {
    let plan = crate::acme_copy();
    let rel = "backlog/mobile/BL-299.yaml";
    let text = "{title: \"数据😀\", status: todo, theme: mobile-experiense}\r\n";
    for (offered, column) in [(vec![], 37), (vec!["utf-8"], 43)] {
        let mut client = Client::start(plan.path(), &offered, &[]);
        client.open(rel, text);
        let uri = client.uri(rel);
        let found = client.diagnostics(&uri, |d| codes(d).contains(&"unknown-theme".into()));
        let typo = found
            .iter()
            .find(|d| d["code"] == "unknown-theme")
            .expect("finding");
        assert_eq!(
            typo["range"]["start"]["character"], column,
            "{offered:?}: {typo}"
        );
        assert_eq!(typo["range"]["start"]["line"], 0);
        assert_eq!(client.stop(), 0);
    }
}

#[test]
fn completion_offers_ids_statuses_and_fields() {
    let plan = crate::acme_copy();
    let mut client = Client::start(plan.path(), &[], &[]);
    let rel = "backlog/mobile/BL-298.yaml";
    client.open(rel, "title: New\nstatus: \ntheme: \nest");
    let complete = |client: &mut Client, line: u32, character: u32| -> Vec<String> {
        let got = client.request(
            "textDocument/completion",
            json!({ "textDocument": { "uri": client.uri(rel) }, "position": { "line": line, "character": character } }),
        );
        got.as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["label"].as_str().map(str::to_string))
            .collect()
    };
    let themes = complete(&mut client, 2, 7);
    assert!(
        themes.contains(&"enterprise-security".to_string()),
        "{themes:?}"
    );
    let statuses = complete(&mut client, 1, 8);
    assert!(
        statuses.contains(&"in-progress".to_string()),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&"review".to_string()),
        "custom statuses too: {statuses:?}"
    );
    let fields = complete(&mut client, 3, 3);
    assert_eq!(
        fields[..2],
        ["title".to_string(), "status".to_string()],
        "required first"
    );
    assert!(fields.contains(&"estimate".to_string()));
    assert_eq!(client.stop(), 0);
}

#[test]
fn symbols_and_inlay_hints() {
    let plan = crate::acme_copy();
    let mut client = Client::start(plan.path(), &[], &[]);
    let onboarding = "backlog/onboarding.yaml";
    client.open(onboarding, &read(plan.path(), onboarding));
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": client.uri(onboarding) } }),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names[..3], ["BL-180", "BL-181", "BL-190"], "{symbols}");

    let found = client.request("workspace/symbol", json!({ "query": "single sign" }));
    let found: Vec<&str> = found
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(found.iter().any(|n| n.starts_with("BL-100 ")), "{found:?}");

    client.open(THEME, &read(plan.path(), THEME));
    let hints = client.request(
        "textDocument/inlayHint",
        json!({ "textDocument": { "uri": client.uri(THEME) }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 99, "character": 0 } } }),
    );
    let label = hints[0]["label"]
        .as_str()
        .expect("a hint on the status line");
    assert!(label.contains('%') && label.contains(" · "), "{label}");
    assert_eq!(hints[0]["position"]["line"], 4);
    assert_eq!(client.stop(), 0);
}

#[test]
fn a_malformed_message_or_a_panic_is_one_error_and_the_server_goes_on() {
    let plan = crate::acme_copy();
    let mut client = Client::start(plan.path(), &[], &[("ROADLOG_DEBUG_PANIC", "lsp-request")]);
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let error = client
        .try_request("workspace/symbol", json!({ "query": "" }))
        .expect_err("the panic");
    assert_eq!(error["code"], -32603, "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or("")
            .contains("workspace/symbol"),
        "{error}"
    );
    let unreadable = client.unreadable.lock().expect("lock").clone();
    assert!(
        unreadable.len() == 1
            && unreadable[0].contains("-32700")
            && unreadable[0].contains("\\\"id\\\":null"),
        "the malformed message gets JSON-RPC's parse error: {unreadable:?}"
    );
    // Still serving: notifications are handled and shutdown is answered.
    client.open(BL214, "title: x\nstatus: todo\ntheme: nowhere\n");
    let uri = client.uri(BL214);
    client.diagnostics(&uri, |d| codes(d).contains(&"unknown-theme".into()));
    assert_eq!(client.stop(), 0);
}

#[test]
fn the_server_exits_when_the_editor_goes_away() {
    let plan = crate::acme_copy();
    let client = Client::start(plan.path(), &[], &[]);
    assert_ne!(client.hang_up(), 0, "no shutdown was asked for");
}

#[test]
fn outside_any_plan_every_request_answers_and_nothing_is_published() {
    let empty = tempfile::tempdir().expect("tempdir");
    let mut client = Client::start(empty.path(), &[], &[]);
    client.open("notes.yaml", "theme: nowhere\n");
    let at = json!({ "textDocument": { "uri": client.uri("notes.yaml") }, "position": { "line": 0, "character": 8 } });
    assert_eq!(
        client.request("textDocument/hover", at.clone()),
        Value::Null
    );
    assert_eq!(
        client.request("textDocument/definition", at.clone()),
        json!([])
    );
    assert_eq!(
        client.request("workspace/symbol", json!({ "query": "" })),
        json!([])
    );
    let mut rename = at;
    rename["newName"] = json!("x");
    let refused = client
        .try_request("textDocument/rename", rename)
        .expect_err("no plan");
    assert!(
        refused["message"]
            .as_str()
            .unwrap_or("")
            .contains("no plan"),
        "{refused}"
    );
    assert!(
        client
            .notes
            .iter()
            .all(|n| n.method != "textDocument/publishDiagnostics"),
        "{:?}",
        client.notes
    );
    assert_eq!(client.stop(), 0);
}
