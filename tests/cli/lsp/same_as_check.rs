//! The language server's diagnostics are `roadlog check --format json`'s findings on a copy of
//! the plan with the buffers saved, for random edits to random files.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::Value;

use super::Client;

/// The edits a person makes while typing: ids mistyped, statuses changed, lines dropped, keys
/// invented, the document broken.
fn edit(text: &str, choice: u8, at: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let n = at % lines.len().max(1);
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match choice % 6 {
        0 => out.push("theme: enterprise-securty".into()),
        1 => out.push("status: finished".into()),
        2 if !out.is_empty() => {
            out.remove(n);
        }
        3 => out.insert(n.min(out.len()), "colour: blue".into()),
        4 => out.push("depends_on: [BL-100, BL-999]".into()),
        _ => out.insert(n.min(out.len()), "  : [".into()),
    }
    out.join("\n") + "\n"
}

/// (file, line, rule, message) of each finding.
type Seen = BTreeSet<(String, u64, String, String)>;

fn from_check(plan: &std::path::Path) -> Seen {
    let out = crate::roadlog()
        .args(["--today", crate::TODAY, "--plan"])
        .arg(plan)
        .args(["check", "--format", "json", "--no-cache"])
        .output()
        .expect("runs");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    json["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        // History rules read git; the server reads none, and the copy has none.
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("roadlog.yaml").to_string(),
                d["line"].as_u64().unwrap_or(1),
                d["rule"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn from_server(client: &mut Client) -> Seen {
    // Symbols are answered only after the edits are checked, and every publish before the
    // answer has been read with it.
    client.request("workspace/symbol", serde_json::json!({ "query": "" }));
    let mut seen = Seen::new();
    let mut latest = std::collections::BTreeMap::new();
    for note in client.notes.drain(..) {
        if note.method == "textDocument/publishDiagnostics" {
            latest.insert(
                note.params["uri"].as_str().unwrap_or("").to_string(),
                note.params,
            );
        }
    }
    let root = client.root.clone();
    for (uri, params) in latest {
        let file = uri
            .strip_prefix(&format!("{root}/"))
            .unwrap_or(&uri)
            .to_string();
        for d in params["diagnostics"].as_array().into_iter().flatten() {
            let message = d["message"].as_str().unwrap_or("");
            let message = message.split("\nhelp: ").next().unwrap_or("").to_string();
            seen.insert((
                file.clone(),
                d["range"]["start"]["line"].as_u64().unwrap_or(0) + 1,
                d["code"].as_str().unwrap_or("").to_string(),
                message,
            ));
        }
    }
    seen
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn diagnostics_are_what_check_says_of_the_buffers_saved(
        edits in prop::collection::vec((0usize..64, any::<u8>(), any::<usize>()), 1..4)
    ) {
        let plan = crate::acme_copy();
        let files: Vec<String> = walkdir::WalkDir::new(plan.path())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
            .filter(|e| e.file_name() != "roadlog.yaml")
            .map(|e| crate::lsp::client::rel(plan.path(), e.path()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut client = Client::start(plan.path(), &[], &[]);
        let saved = crate::acme_copy();
        for (which, choice, at) in edits {
            let rel = &files[which % files.len()];
            let text = std::fs::read_to_string(saved.path().join(rel)).expect("read");
            let edited = edit(&text, choice, at);
            std::fs::write(saved.path().join(rel), &edited).expect("write");
            client.open(rel, &text);
            client.change(rel, 2, &edited);
        }
        let server = from_server(&mut client);
        let check = from_check(saved.path());
        prop_assert_eq!(server, check);
    }
}
