//! The house's rules the compiler cannot hold: which crate may depend on which library (Cargo
//! only refuses cycles), and within the engine, imports that run one way (no module imports one
//! that imports it, directly or around a loop) through the layers named in `docs/design.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module of the engine, by path (`load::build::theme`), with its source (test modules
/// cut off: they may reach anywhere).
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/engine/src");
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.expect("walk src");
        let rel = entry.path().strip_prefix(&src).expect("inside");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let Some(stem) = rel.strip_suffix(".rs") else {
            continue;
        };
        if stem == "lib" || stem.ends_with("tests") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read");
        let text = match text.find("#[cfg(test)]\nmod tests {") {
            Some(at) => text[..at].to_string(),
            None => text,
        };
        out.insert(stem.trim_end_matches("/mod").replace('/', "::"), text);
    }
    out
}

/// The paths a `use` line names, its braces expanded: `use a::{b, c::{d}}` is `a::b`, `a::c::d`.
fn use_paths(line: &str) -> Vec<String> {
    let body = line.trim().trim_end_matches(';');
    let body = body.split_once("use ").map_or("", |(_, b)| b);
    let mut out = Vec::new();
    expand("", body, &mut out);
    out
}

fn expand(prefix: &str, s: &str, out: &mut Vec<String>) {
    let s = s.trim();
    let Some(open) = s.find('{') else {
        let path = s.split(" as ").next().unwrap_or(s).trim();
        if !path.is_empty() {
            out.push(format!("{prefix}{path}"));
        }
        return;
    };
    let (head, rest) = s.split_at(open);
    let inner = rest[1..].rsplit_once('}').map_or("", |(i, _)| i);
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&format!("{prefix}{head}"), &inner[start..i], out);
                start = i + 1;
            }
            _ => {}
        }
    }
    expand(&format!("{prefix}{head}"), &inner[start..], out);
}

/// Paths starting `crate::`, `super::` or `self::` anywhere in a line of code, and paths through
/// a child module (`links::check(`).
fn inline_paths(line: &str, children: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if (i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != b':') && is_ident(bytes[i]) {
            let mut j = i;
            while j < bytes.len() && (is_ident(bytes[j]) || line[j..].starts_with("::")) {
                j += if line[j..].starts_with("::") { 2 } else { 1 };
            }
            let path = line[i..j].trim_end_matches(':');
            let first = path.split("::").next().unwrap_or("");
            if path.contains("::")
                && (["crate", "super", "self"].contains(&first) || children.contains(first))
            {
                out.push(path.to_string());
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// What each module imports, as module paths.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules();
    let known: BTreeSet<&str> = mods.keys().map(String::as_str).collect();
    let resolve = |segs: &[String]| -> Option<String> {
        (1..=segs.len())
            .rev()
            .map(|n| segs[..n].join("::"))
            .find(|m| known.contains(m.as_str()))
    };
    let mut graph = BTreeMap::new();
    for (m, text) in &mods {
        let here: Vec<String> = m.split("::").map(String::from).collect();
        let children: BTreeSet<String> = mods
            .keys()
            .filter_map(|k| k.strip_prefix(&format!("{m}::")))
            .filter(|rest| !rest.contains("::"))
            .map(String::from)
            .collect();
        let mut edges = BTreeSet::new();
        for line in text.lines() {
            let code = line.trim_start();
            if code.starts_with("//") || code.starts_with("mod ") || code.starts_with("pub mod ") {
                continue;
            }
            let is_use = code.split(' ').any(|w| w == "use") && code.contains("use ");
            let reexport = code.starts_with("pub use ")
                || code.starts_with("pub(crate) use ")
                || code.starts_with("pub(super) use ");
            let paths = if is_use {
                use_paths(code)
            } else {
                inline_paths(code, &children)
            };
            for path in paths {
                let segs: Vec<String> = path.split("::").map(String::from).collect();
                let full: Vec<String> = match segs[0].as_str() {
                    "crate" => segs[1..].to_vec(),
                    "self" => here.iter().chain(&segs[1..]).cloned().collect(),
                    "super" => {
                        let ups = segs.iter().take_while(|s| *s == "super").count();
                        let base = &here[..here.len().saturating_sub(ups)];
                        base.iter().chain(&segs[ups..]).cloned().collect()
                    }
                    first if children.contains(first) => {
                        here.iter().chain(&segs).cloned().collect()
                    }
                    _ => continue,
                };
                let Some(target) = resolve(&full) else {
                    continue;
                };
                // A module re-exporting its own child is the child's container, not its user.
                let child = target.rsplit_once("::").is_some_and(|(p, _)| p == m);
                if target != *m && !(reexport && child) {
                    edges.insert(target);
                }
            }
        }
        graph.insert(m.clone(), edges);
    }
    graph
}

#[test]
fn no_import_runs_back_up() {
    let graph = imports();
    // Depth-first, keeping the path: a module met again on the path closes a loop.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        loops: &mut Vec<String>,
    ) {
        if let Some(at) = path.iter().position(|p| p == m) {
            loops.push(format!("{} -> {m}", path[at..].join(" -> ")));
            return;
        }
        if !done.insert(m.to_string()) {
            return;
        }
        path.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            visit(next, graph, path, done, loops);
        }
        path.pop();
    }
    let mut loops = Vec::new();
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        visit(m, &graph, &mut Vec::new(), &mut done, &mut loops);
    }
    assert_eq!(loops, Vec::<String>::new(), "imports that run back up");
    assert!(
        graph.len() > 40,
        "the walk found the modules: {:?}",
        graph.keys()
    );
}

#[test]
fn the_layers_import_only_downwards() {
    // Each layer may import only itself and the layers below it (see docs/design.md).
    let layers: &[(&str, &[&str])] = &[
        ("ground", &["time", "yaml", "atomic", "span", "hash"]),
        ("model", &["model", "diag", "error"]),
        ("load", &["load"]),
        (
            "analysis",
            &["trace", "progress", "health", "rules", "report", "forecast"],
        ),
        ("change", &["diff", "history", "affected", "guard"]),
        (
            "write",
            &["author", "edit", "import", "init", "write", "schema"],
        ),
    ];
    // The layer naming the module most closely: `span` is ground, `model::id` model.
    let layer_of = |m: &str| -> usize {
        layers
            .iter()
            .enumerate()
            .flat_map(|(n, (_, prefixes))| prefixes.iter().map(move |p| (n, *p)))
            .filter(|(_, p)| m == *p || m.starts_with(&format!("{p}::")))
            .max_by_key(|(_, p)| p.len())
            .map(|(n, _)| n)
            .unwrap_or_else(|| panic!("module `{m}` is in no layer of this test"))
    };
    let mut upward = Vec::new();
    for (m, edges) in imports() {
        for t in edges {
            if layer_of(&t) > layer_of(&m) {
                upward.push(format!(
                    "{m} ({}) imports {t} ({})",
                    layers[layer_of(&m)].0,
                    layers[layer_of(&t)].0
                ));
            }
        }
    }
    assert_eq!(upward, Vec::<String>::new());
}

/// Each workspace crate's normal dependencies, by name: `cargo metadata`, as Cargo resolves
/// the manifests.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--manifest-path",
        ])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let mut crates = BTreeMap::new();
    for package in meta["packages"].as_array().expect("packages") {
        let normal = package["dependencies"]
            .as_array()
            .expect("dependencies")
            .iter()
            .filter(|d| d["kind"].is_null())
            .map(|d| d["name"].as_str().expect("name").to_string())
            .collect();
        crates.insert(package["name"].as_str().expect("name").to_string(), normal);
    }
    crates
}

#[test]
fn each_layer_is_a_crate_that_depends_only_on_the_ones_below() {
    let crates = dependencies();
    let names: Vec<&str> = crates.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "roadlog",
            "roadlog-engine",
            "roadlog-git",
            "roadlog-import",
            "roadlog-render",
            "roadlog-store"
        ]
    );
    let ours = |c: &str| -> BTreeSet<&str> {
        crates[c]
            .iter()
            .map(String::as_str)
            .filter(|d| d.starts_with("roadlog"))
            .collect()
    };
    assert_eq!(ours("roadlog-engine"), BTreeSet::new());
    for layer in [
        "roadlog-git",
        "roadlog-store",
        "roadlog-render",
        "roadlog-import",
    ] {
        assert_eq!(ours(layer), BTreeSet::from(["roadlog-engine"]), "{layer}");
    }
    // Who may hold each outside library: git2 the git crate, the terminal and command line the
    // binary, the page and table writers the renderers, the cache's encoding the stores, the
    // CSV reader the trackers' readers.
    for (library, only) in [
        ("git2", "roadlog-git"),
        ("clap", "roadlog"),
        ("clap_complete", "roadlog"),
        ("terminal_size", "roadlog"),
        ("comfy-table", "roadlog-render"),
        ("maud", "roadlog-render"),
        ("postcard", "roadlog-store"),
        ("csv", "roadlog-import"),
    ] {
        let holders: Vec<&str> = crates
            .iter()
            .filter(|(_, deps)| deps.contains(library))
            .map(|(c, _)| c.as_str())
            .collect();
        assert_eq!(holders, [only], "{library}");
    }
}
