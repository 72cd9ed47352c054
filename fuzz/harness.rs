//! What the fuzz targets run, also compiled into `tests/fuzz_regressions.rs`, so every input
//! kept under `fuzz/regressions/` is replayed by `cargo test` on stable Rust.
//!
//! Each function panics only when roadlog breaks a promise: a panic inside roadlog, a finding
//! whose span is not a place in its file, or an edit that does not read back as written.

#![allow(dead_code)] // each fuzz target uses part of it

use roadlog_engine::diag::{FileId, Finding};
use roadlog_engine::edit::Change;
use roadlog_engine::load::{self, MemoryTree};
use roadlog_engine::model::Texts;
use roadlog_engine::report::{self, Analysis};
use roadlog_engine::rules::{self, Context};
use roadlog_engine::time::Date;
use roadlog_render::{human, json, layout, markdown, table};

const CONFIG: &str = "product: Fuzz\nstatuses:\n  review: in-progress\nsprints:\n  - { id: S1, start: 2025-08-04, end: 2025-08-17, capacity: 10 }\n";
const THEME: &str = "title: Core\nobjective: Keep it strong\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n";
const EPIC: &str = "title: Epic\nkind: epic\nstatus: in-progress\ntheme: core\nestimate: 5\n";

fn today() -> Date {
    Date::new(2025, 8, 15).unwrap_or_else(|| unreachable!("a valid date"))
}

/// The plan the first byte chooses: the rest of the input as an item file, a theme file or the
/// config beside fixed files, or (3) split on NUL bytes into config, theme, item and more items.
pub(crate) fn plan_of(data: &[u8]) -> MemoryTree {
    let (role, body) = match data.split_first() {
        Some((r, rest)) => (r & 3, rest),
        None => (0, data),
    };
    let base = MemoryTree::new()
        .with("roadlog.yaml", CONFIG)
        .with("roadmap/core.yaml", THEME)
        .with("backlog/BL-1.yaml", EPIC);
    match role {
        0 => base.with("backlog/BL-2.yaml", body),
        1 => base.with("roadmap/growth.yaml", body),
        2 => base.with("roadlog.yaml", body),
        _ => {
            let mut tree = base;
            for (n, part) in body.split(|b| *b == 0).enumerate() {
                let path = match n {
                    0 => "roadlog.yaml".to_string(),
                    1 => "roadmap/growth.yaml".to_string(),
                    n => format!("backlog/BL-{n}.yaml"),
                };
                tree.insert(&path, part.to_vec());
            }
            tree
        }
    }
}

fn assert_spans_fit(texts: &Texts, findings: &[Finding]) {
    for f in findings {
        for at in f.at.iter().chain(f.related.as_ref().map(|r| &r.0)) {
            if let Some(span) = at.span {
                let text = texts.get(at.file).expect("a file with spans has a text");
                let end = span.end();
                assert!(
                    end <= text.len()
                        && text.is_char_boundary(span.start())
                        && text.is_char_boundary(end),
                    "{:?} points outside its file ({} bytes): {span:?}",
                    f.rule,
                    text.len()
                );
                assert!(span.line >= 1 && span.column >= 1, "{span:?}");
            }
        }
    }
}

/// Loads the plan, runs every rule and every report, and renders each.
pub(crate) fn check_file(data: &[u8]) {
    let tree = plan_of(data);
    let Ok(plan) = load::load(&tree, "fuzz") else {
        return; // a broken roadlog.yaml is exit 2, with its own diagnostics
    };
    let checked = rules::check(&plan, Context::at(today()));
    let every = (0..plan.files.len()).map(|i| FileId(i as u32));
    let texts = load::texts(&tree, &plan.files, every);
    assert_spans_fit(&texts, &checked.findings);
    let mut sink = Vec::new();
    let style = human::Style {
        color: false,
        width: 80,
        root: "",
    };
    let _ = human::findings(
        &mut sink,
        roadlog_render::Quoted {
            files: &plan.files,
            texts: &texts,
        },
        &checked.findings,
        style,
    );
    let _ = json::check(&mut sink, &plan.files, &checked);
    let analysis = Analysis::new(&plan, today());
    for d in [
        layout::progress(&report::progress(&analysis, true, false, None)),
        layout::exec(&report::exec(&analysis, false)),
        layout::team(&report::team(&analysis, None, 50)),
        layout::pm(&report::pm(&analysis)),
        layout::timeline(&report::timeline(&analysis, false)),
    ] {
        let _ = markdown::write(&mut sink, &d);
        for color in [false, true] {
            let _ = table::write(&mut sink, &d, table::Style { width: 60, color });
        }
    }
}

/// Fields `set` can change, and values worth trying beside the fuzzer's own.
const LISTS: &[&str] = &["depends_on", "acceptance", "tags"];
const FIELDS: &[&str] = &[
    "status", "theme", "parent", "estimate", "priority", "sprint", "assignee", "horizon",
    "reviewed",
];

/// Loads the plan, then sets one field (chosen by the last byte) of every entity to the text
/// after the last NUL (or unsets it), and checks that an accepted edit reads back as written
/// and that making it again changes nothing.
pub(crate) fn set_field(data: &[u8]) {
    let (plan_bytes, value, selector) = match data.iter().rposition(|b| *b == 0) {
        Some(at) if at + 1 < data.len() => {
            let selector = data[data.len() - 1];
            (&data[..at], &data[at + 1..data.len() - 1], selector)
        }
        _ => (data, &b""[..], 0),
    };
    let tree = plan_of(plan_bytes);
    let Ok(plan) = load::load(&tree, "fuzz") else {
        return;
    };
    let text = std::str::from_utf8(value).ok().map(str::to_string);
    // The top bit unsets the field, the next adds the value to a list field.
    let (field, change) = match (selector & 0x80 != 0, selector & 0x40 != 0, text) {
        (false, true, Some(v)) => (LISTS[usize::from(selector) % LISTS.len()], Change::Add(v)),
        (false, false, Some(v)) => (FIELDS[usize::from(selector) % FIELDS.len()], Change::To(v)),
        _ => (FIELDS[usize::from(selector) % FIELDS.len()], Change::Unset),
    };
    let ids: Vec<String> = plan
        .themes
        .iter()
        .map(|t| t.id.value.clone())
        .chain(plan.items.iter().map(|i| i.id.value.clone()))
        .collect();
    for id in ids {
        let Ok((file, edited)) =
            roadlog_engine::edit::edit(&tree, &plan, &id, field, &change, today())
        else {
            continue;
        };
        let path = plan.file(file).path.clone();
        let mut after = tree.clone();
        after.insert(&path, edited.clone().into_bytes());
        let Ok(again) = load::load(&after, "fuzz") else {
            panic!("setting {field} of {id} broke roadlog.yaml:\n{edited}");
        };
        assert!(
            again
                .themes
                .iter()
                .map(|t| &t.id.value)
                .chain(again.items.iter().map(|i| &i.id.value))
                .any(|i| *i == id),
            "setting {field} of {id} lost the entity:\n{edited}"
        );
        let (again_change, expected) = match &change {
            // Removing what was added gives back the file as it was.
            Change::Add(v) => {
                let before = load::text_of(&tree, plan.file(file)).expect("read before");
                (Change::Remove(v.clone()), before)
            }
            // The same edit on the edited plan is a no-op: the value reads back as written.
            other => (other.clone(), edited.clone()),
        };
        match roadlog_engine::edit::edit(&after, &again, &id, field, &again_change, today()) {
            Ok((_, twice)) => assert_eq!(twice, expected, "{again_change:?} {field} of {id}"),
            Err(e) => panic!(
                "{change:?} {field} of {id} worked, then {again_change:?} not: {e}\n{edited}"
            ),
        }
    }
}

/// The YAML readers agree: what the event reader accepts, the general reader (serde-saphyr)
/// reads to the same tree, spans included; what it declines is the general reader's.
pub(crate) fn readers_agree(data: &[u8]) {
    // Plan files that are not UTF-8 never reach a YAML reader.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let general = roadlog_engine::yaml::parse_stream_general(text);
    let combined = roadlog_engine::yaml::parse_stream(text);
    assert_eq!(format!("{combined:?}"), format!("{general:?}"));
    if let Some(events) = roadlog_engine::yaml::parse_stream_events(text) {
        let general =
            general.unwrap_or_else(|e| panic!("accepted what serde-saphyr rejects: {e:?}"));
        assert_eq!(format!("{events:?}"), format!("{general:?}"));
    }
}
