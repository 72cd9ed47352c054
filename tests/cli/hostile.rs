//! Bad input: each bad file is one clear finding naming it, never a panic, and the rest of the
//! plan is still checked.

use std::path::Path;

use crate::check_json;

/// A plan with one good theme and a good item that has a known problem (an unknown theme), so
/// every test can see the rest of the plan was still checked.
fn plan() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("roadlog.yaml"), "current_sprint: S1\n").expect("write");
    std::fs::create_dir_all(root.join("roadmap")).expect("mkdir");
    std::fs::create_dir_all(root.join("backlog")).expect("mkdir");
    std::fs::write(
        root.join("roadmap/core.yaml"),
        "title: Core\nobjective: O\nstatus: proposed\nhorizon: later\n",
    )
    .expect("write");
    std::fs::write(
        root.join("backlog/GOOD-1.yaml"),
        "title: Good\nstatus: todo\ntheme: cor\n",
    )
    .expect("write");
    dir
}

/// Checks the plan and returns (rule, file, line, message) of each finding, asserting the
/// control finding on GOOD-1 is among them.
fn findings(root: &Path) -> Vec<(String, String, Option<u64>, String)> {
    let (run, json) = check_json(root);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let all: Vec<_> = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_string(),
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64(),
                d["message"].as_str().expect("message").to_string(),
            )
        })
        .collect();
    assert!(
        all.iter()
            .any(|(rule, file, ..)| rule == "unknown-theme" && file == "backlog/GOOD-1.yaml"),
        "the rest of the plan was not checked: {all:?}"
    );
    all.into_iter()
        .filter(|(_, file, ..)| file != "backlog/GOOD-1.yaml")
        .collect()
}

fn one_finding_for(bytes: &[u8]) -> (String, Option<u64>, String) {
    let dir = plan();
    std::fs::write(dir.path().join("backlog/BAD-1.yaml"), bytes).expect("write");
    let found = findings(dir.path());
    assert_eq!(found.len(), 1, "{found:?}");
    let (rule, file, line, message) = found.into_iter().next().expect("one");
    assert_eq!(file, "backlog/BAD-1.yaml");
    (rule, line, message)
}

#[test]
fn invalid_utf8() {
    let (rule, line, message) = one_finding_for(b"title: ok\nstatus: \xff\xfe\n");
    assert_eq!((rule.as_str(), line), ("parse-error", None));
    assert_eq!(
        message,
        "`backlog/BAD-1.yaml` is not valid UTF-8 (first bad byte on line 2); save it as UTF-8"
    );
}

#[test]
fn binary_file() {
    let (rule, _, message) = one_finding_for(&[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff]);
    assert_eq!(rule, "parse-error");
    assert!(message.contains("is not a text file"), "{message}");
}

#[test]
fn empty_file_and_comment_only_file() {
    for text in ["", "# nothing here\n", "\n\n"] {
        let (rule, line, message) = one_finding_for(text.as_bytes());
        assert_eq!((rule.as_str(), line), ("parse-error", None), "{text:?}");
        assert!(message.contains("holds no theme or item"), "{message}");
    }
}

#[test]
fn not_yaml_at_all() {
    let (rule, line, message) = one_finding_for(b"<html><body>{{ oops: [</body>\n");
    assert_eq!(rule, "parse-error");
    assert_eq!(line, Some(1));
    assert_eq!(message, "invalid YAML: unclosed bracket '['");
}

#[test]
fn malformed_yaml_names_the_line() {
    let (rule, line, message) = one_finding_for(b"title: ok\nstatus: [todo\ntheme: core\n");
    assert_eq!(rule, "parse-error");
    assert_eq!(line, Some(3));
    assert!(message.starts_with("invalid YAML: "), "{message}");
}

#[test]
fn duplicate_keys() {
    let (rule, line, message) = one_finding_for(b"title: a\nstatus: todo\nstatus: done\n");
    assert_eq!((rule.as_str(), line), ("parse-error", Some(3)));
    assert_eq!(message, "invalid YAML: duplicate mapping key: status");
}

#[test]
fn deep_nesting_is_bounded() {
    // Balanced, so the finding can only be the depth bound, not a missing `]`.
    let text = format!("title: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let (rule, line, message) = one_finding_for(text.as_bytes());
    assert_eq!((rule.as_str(), line), ("parse-error", Some(1)));
    assert_eq!(
        message,
        "invalid YAML: it nests lists and mappings deeper than roadlog reads"
    );
}

#[test]
fn nesting_at_the_depth_bound_is_read_or_refused_without_a_crash() {
    // Past the event reader's 32 levels, serde-saphyr reads by recursion up to its bound of 64:
    // a debug build's worker threads once overflowed their stack there.
    for depth in [50, 60, 63] {
        let dir = plan();
        let text = format!("title: {}x{}\n", "[".repeat(depth), "]".repeat(depth));
        std::fs::write(dir.path().join("backlog/BAD-1.yaml"), text).expect("write");
        let found = findings(dir.path());
        assert!(
            found.iter().any(
                |(rule, file, line, message)| (rule, file, *line, message.as_str())
                    == (
                        &"parse-error".to_string(),
                        &"backlog/BAD-1.yaml".to_string(),
                        Some(1),
                        "`title` should be a string, found a list"
                    )
            ),
            "{depth}: {found:?}"
        );
    }
    for depth in [64, 70] {
        let text = format!("title: {}x{}\n", "[".repeat(depth), "]".repeat(depth));
        let (rule, _, message) = one_finding_for(text.as_bytes());
        assert_eq!(
            (rule.as_str(), message.as_str()),
            (
                "parse-error",
                "invalid YAML: it nests lists and mappings deeper than roadlog reads"
            ),
            "{depth}"
        );
    }
}

#[test]
fn alias_bomb_is_bounded() {
    let mut text = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let (prev, name) = (w[0], w[1]);
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    let (rule, line, message) = one_finding_for(text.as_bytes());
    assert_eq!(rule, "parse-error");
    assert!(line.is_some());
    assert_eq!(
        message,
        "invalid YAML: it holds more values than roadlog reads in one file (over 250000)"
    );
}

#[test]
fn oversized_file_is_not_parsed() {
    let mut text = String::from("title: big\nstatus: todo\ndescription: \"");
    text.push_str(&"x".repeat(5 * 1024 * 1024));
    text.push_str("\"\n");
    let (rule, line, message) = one_finding_for(text.as_bytes());
    assert_eq!((rule.as_str(), line), ("parse-error", None));
    assert_eq!(
        message,
        "`backlog/BAD-1.yaml` is 5.0 MiB; plan files over 4 MiB are not parsed"
    );
}

#[test]
fn byte_order_mark_and_crlf_keep_lines_and_columns() {
    let dir = plan();
    std::fs::write(
        dir.path().join("backlog/BAD-1.yaml"),
        "\u{feff}title: t\r\nstatus: todo\r\ntheme: core\r\nowner: x\r\n",
    )
    .expect("write");
    let found = findings(dir.path());
    assert_eq!(
        found,
        vec![(
            "unknown-field".into(),
            "backlog/BAD-1.yaml".into(),
            Some(4),
            "unknown field `owner` in a backlog item".into()
        )]
    );
    let (_, json) = check_json(dir.path());
    let d = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["rule"] == "unknown-field")
        .expect("finding")
        .clone();
    assert_eq!(d["column"], 1);
}

#[test]
fn tabs_for_indentation() {
    let (rule, line, _) = one_finding_for(b"title: t\nstatus: todo\nacceptance:\n\t- one\n");
    assert_eq!((rule.as_str(), line), ("parse-error", Some(4)));
}

#[test]
fn wrong_document_shapes() {
    let (rule, line, message) = one_finding_for(b"- a\n- b\n");
    assert_eq!((rule.as_str(), line), ("parse-error", Some(1)));
    assert_eq!(
        message,
        "a backlog item should be a mapping of fields, found a list"
    );
}

#[test]
fn directory_named_like_a_yaml_file() {
    let dir = plan();
    std::fs::create_dir(dir.path().join("backlog/odd.yaml")).expect("mkdir");
    let found = findings(dir.path());
    assert_eq!(
        found,
        vec![(
            "unreadable-file".into(),
            "backlog/odd.yaml".into(),
            None,
            "`backlog/odd.yaml` is a directory, not a file".into()
        )]
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_root_and_loops_are_not_followed() {
    let dir = plan();
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        outside.path().join("secret.yaml"),
        "title: s\nstatus: todo\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        dir.path().join("backlog/S-1.yaml"),
    )
    .expect("link");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("backlog/elsewhere")).expect("link");
    std::os::unix::fs::symlink(dir.path().join("backlog"), dir.path().join("backlog/loop"))
        .expect("link");
    // A link that stays inside the plan is read.
    std::fs::write(
        dir.path().join("roadmap/real.yaml"),
        "title: R\nobjective: O\nstatus: proposed\nhorizon: later\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(
        dir.path().join("roadmap/real.yaml"),
        dir.path().join("roadmap/alias.yaml"),
    )
    .expect("link");
    let found = findings(dir.path());
    let summary: Vec<(&str, &str)> = found
        .iter()
        .map(|(r, f, ..)| (r.as_str(), f.as_str()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("unreadable-file", "backlog/S-1.yaml"),
            ("unreadable-file", "backlog/elsewhere"),
            ("unreadable-file", "backlog/loop"),
        ]
    );
    assert!(found[0].3.contains("outside the plan root"), "{found:?}");
    assert!(found[1].3.contains("outside the plan root"), "{found:?}");
    assert!(found[2].3.contains("loop"), "{found:?}");
    let (_, json) = check_json(dir.path());
    assert_eq!(
        json["summary"]["themes"], 3,
        "core, real and the in-plan link alias are read"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_named_yaml_does_not_hang() {
    let dir = plan();
    let fifo = dir.path().join("backlog/pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(
        made.is_ok_and(|s| s.success()),
        "mkfifo (coreutils) makes the FIFO this test needs"
    );
    let found = findings(dir.path());
    assert_eq!(
        found,
        vec![(
            "unreadable-file".into(),
            "backlog/pipe.yaml".into(),
            None,
            "`backlog/pipe.yaml` is not a regular file".into()
        )]
    );
}

#[test]
fn merge_keys_are_expanded() {
    let dir = plan();
    std::fs::write(
        dir.path().join("backlog/M-1.yaml"),
        "title: M\n<<: {status: todo, theme: core}\n",
    )
    .expect("write");
    assert_eq!(
        findings(dir.path()),
        vec![],
        "status and theme come from the merge key"
    );
}

/// A value of the wrong type for `schema` (a JSON Schema property): a mapping where a scalar or
/// list belongs, a list where a mapping belongs.
fn wrong_value_for(schema: &serde_json::Value) -> &'static str {
    let types = match &schema["type"] {
        serde_json::Value::String(t) => vec![t.as_str()],
        serde_json::Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).collect(),
        _ => Vec::new(),
    };
    if types == ["object"] {
        "[1, 2]"
    } else {
        "{ wrong: type }"
    }
}

fn schema_properties(kind: &str) -> Vec<(String, serde_json::Value)> {
    let out = crate::run(&["schema", kind]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let schema: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let props = schema["properties"].as_object().expect("properties");
    assert!(props.len() > 5, "{kind}: {props:?}");
    props.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[test]
fn a_wrong_type_for_every_item_and_theme_field_is_one_finding_on_its_line() {
    for (kind, folder, head) in [
        (
            "item",
            "backlog/BAD-1.yaml",
            "title: T\nstatus: todo\ntheme: core\n",
        ),
        (
            "theme",
            "roadmap/bad.yaml",
            "title: T\nobjective: O\nstatus: proposed\nhorizon: later\n",
        ),
    ] {
        for (field, schema) in schema_properties(kind) {
            let dir = plan();
            let text = format!(
                "{}{field}: {}\n",
                head.lines()
                    .filter(|l| !l.starts_with(&format!("{field}:")))
                    .map(|l| format!("{l}\n"))
                    .collect::<String>(),
                wrong_value_for(&schema)
            );
            let line = text.lines().count() as u64;
            std::fs::write(dir.path().join(folder), &text).expect("write");
            let found: Vec<_> = findings(dir.path())
                .into_iter()
                .filter(|(_, file, ..)| file == folder)
                .collect();
            assert!(
                found
                    .iter()
                    .any(|(_, _, l, m)| *l == Some(line) && m.contains(&field)),
                "{kind}.{field}: {found:?}\n{text}"
            );
        }
    }
}

#[test]
fn a_wrong_type_for_every_config_field_is_exit_2_naming_its_line() {
    for (field, schema) in schema_properties("config") {
        let dir = plan();
        let text = format!("{field}: {}\n", wrong_value_for(&schema));
        std::fs::write(dir.path().join("roadlog.yaml"), &text).expect("write");
        let out = crate::run(&["check", "--plan", dir.path().to_str().expect("utf-8")]);
        assert_eq!(out.code, 2, "{field}: {}", out.stderr);
        assert!(
            out.stderr.contains("roadlog.yaml:1:") && out.stderr.contains(&field),
            "{field}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    }
}

#[test]
fn a_50_mb_file_is_one_finding_and_never_read() {
    let dir = plan();
    let path = dir.path().join("backlog/BAD-1.yaml");
    // Sparse: 50 MB on paper, no disk used; roadlog decides from its size alone.
    std::fs::File::create(&path)
        .and_then(|f| f.set_len(50 * 1024 * 1024))
        .expect("sparse file");
    let found = findings(dir.path());
    assert_eq!(
        found,
        vec![(
            "parse-error".into(),
            "backlog/BAD-1.yaml".into(),
            None,
            "`backlog/BAD-1.yaml` is 50.0 MiB; plan files over 4 MiB are not parsed".into()
        )]
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_unreadable_by_permission_is_one_finding() {
    use std::os::unix::fs::PermissionsExt;
    let dir = plan();
    let path = dir.path().join("backlog/BAD-1.yaml");
    std::fs::write(&path, "title: T\nstatus: todo\ntheme: core\n").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // Root reads anything; without its capabilities (setpriv) it is refused like anyone else.
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let run = if root {
        let wrapped = std::process::Command::new("setpriv")
            .args(["--bounding-set=-all", "--inh-caps=-all", "--"])
            .arg(env!("CARGO_BIN_EXE_roadlog"))
            .args([
                "check",
                "--format",
                "json",
                "--today",
                crate::TODAY,
                "--plan",
            ])
            .arg(dir.path())
            .env("NO_COLOR", "1")
            .env("GIT_CEILING_DIRECTORIES", dir.path())
            .output()
            .expect("setpriv runs");
        crate::Run {
            code: wrapped.status.code().expect("exit code"),
            stdout: String::from_utf8(wrapped.stdout).expect("utf-8"),
            stderr: String::from_utf8(wrapped.stderr).expect("utf-8"),
        }
    } else {
        crate::run_with(
            crate::roadlog()
                .args(["check", "--format", "json", "--today", crate::TODAY])
                .arg("--plan")
                .arg(dir.path()),
        )
    };
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let found: Vec<_> = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["file"] == "backlog/BAD-1.yaml")
        .map(|d| (d["rule"].as_str(), d["message"].as_str()))
        .collect();
    assert_eq!(
        found,
        vec![(
            Some("unreadable-file"),
            Some("`backlog/BAD-1.yaml` cannot be read: Permission denied (os error 13)")
        )]
    );
}
