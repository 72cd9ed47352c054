//! Integration tests: the real `roadlog` binary on fixture plans under `tests/fixtures`.

mod cache;
mod check;
mod clients;
mod complete;
mod config;
mod faults;
mod forecast;
mod format;
mod gate;
mod git;
mod github;
mod help;
mod hostile;
mod hostile_markdown;
mod impact;
mod import;
mod init;
mod list;
mod lsp;
mod mcp;
mod new;
mod publish;
mod readme;
mod real_plans;
mod rename;
mod reports;
mod sarif;
mod schema;
mod set;
mod shapes;
mod trust;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The date every fixture is checked at.
pub(crate) const TODAY: &str = "2025-08-15";

/// A fixture plan's folder.
pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The example plan, copied to a temporary folder, for tests that change it.
pub(crate) fn acme_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.expect("walk");
        let to = dir
            .path()
            .join(entry.path().strip_prefix(&from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
    dir
}

/// What a run of the binary produced.
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The binary with a clean environment: no plan, date or CI variables leak in from the caller.
pub(crate) fn roadlog() -> assert_cmd::Command {
    assert_cmd::Command::from_std(roadlog_std())
}

/// [`roadlog`] as a plain `std::process::Command`, for tests that wire its streams themselves.
pub(crate) fn roadlog_std() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("roadlog"));
    clean_env(&mut cmd);
    cmd
}

/// The environment every run of roadlog gets: no plan, date or CI variables leak in from the
/// caller.
pub(crate) fn clean_env(cmd: &mut std::process::Command) {
    for var in [
        "ROADLOG_PLAN",
        "ROADLOG_TODAY",
        "ROADLOG_CACHE_DIR",
        "GITHUB_STEP_SUMMARY",
        "CLICOLOR_FORCE",
        "COLUMNS",
        "COMPLETE",
        "ROADLOG_COMPLETE",
        "ROADLOG_DEBUG_PANIC",
        "ROADLOG_TEST_CLIENTS",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    // The fixtures sit inside roadlog's own repository; keep git discovery out of it so results
    // do not depend on how this checkout was cloned.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ceilings =
        std::env::join_paths([root.join("tests"), root.join("examples")]).expect("paths join");
    cmd.env("GIT_CEILING_DIRECTORIES", ceilings);
}

/// Splits a command line as a shell would, for the quoting help texts use.
pub(crate) fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let (mut word, mut quoted, mut started) = (String::new(), false, false);
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                started = true;
            }
            c if c.is_whitespace() && !quoted => {
                if started {
                    words.push(std::mem::take(&mut word));
                }
                started = false;
            }
            c => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

/// Runs the binary with `args`.
pub(crate) fn run(args: &[&str]) -> Run {
    run_with(roadlog().args(args))
}

/// Runs roadlog with `args` from the folder `dir`, as a user standing in it would.
pub(crate) fn roadlog_in(dir: &Path, args: &[&str]) -> Run {
    run_with(roadlog().current_dir(dir).args(args))
}

/// Runs a prepared command.
pub(crate) fn run_with(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd.output().expect("runs");
    Run {
        code: out.status.code().expect("exit code, not a signal"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

/// `args --format json --today TODAY --plan DIR`, parsed.
pub(crate) fn roadlog_json(plan: &Path, args: &[&str]) -> (Run, serde_json::Value) {
    let out = run_with(
        roadlog()
            .args(args)
            .args(["--format", "json", "--today", TODAY, "--plan"])
            .arg(plan),
    );
    let json = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", out.stdout, out.stderr));
    (out, json)
}

/// `check --format json` on a plan folder at [`TODAY`].
pub(crate) fn check_json(plan: &Path) -> (Run, serde_json::Value) {
    check_json_at(plan, TODAY)
}

/// `check --format json` on a plan folder at `today`.
pub(crate) fn check_json_at(plan: &Path, today: &str) -> (Run, serde_json::Value) {
    let run = run(&[
        "check",
        "--format",
        "json",
        "--today",
        today,
        "--plan",
        plan.to_str().expect("utf-8 path"),
    ]);
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout, run.stderr));
    (run, json)
}

/// One string field of every diagnostic, in output order, nulls left out.
pub(crate) fn field<'a>(json: &'a serde_json::Value, name: &str) -> Vec<&'a str> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .filter_map(|d| d[name].as_str())
        .collect()
}

/// A finding reduced to what markers state: file, line (None for the whole file), rule.
pub(crate) type Mark = (String, Option<u64>, String);

/// The `(file, line, rule)` of every diagnostic in a JSON check result, sorted, duplicates
/// kept: a finding reported twice must be marked twice.
pub(crate) fn diagnostics(json: &serde_json::Value) -> Vec<Mark> {
    let mut marks: Vec<Mark> = json["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64(),
                d["rule"].as_str().expect("rule").to_string(),
            )
        })
        .collect();
    marks.sort();
    marks
}

/// Every `# expect: rule[, rule]` (on the line the finding points at) and `# expect-file: rule`
/// (for findings about a whole file) written in a fixture plan's YAML files, sorted; a rule
/// named twice on a line expects two findings there.
pub(crate) fn markers(plan: &Path) -> Vec<Mark> {
    let mut marks = Vec::new();
    for entry in walkdir::WalkDir::new(plan).sort_by_file_name() {
        let entry = entry.expect("walk fixture");
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || !(name.ends_with(".yaml") || name.ends_with(".yml")) {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(plan)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(entry.path()).expect("read fixture");
        for (n, line) in text.lines().enumerate() {
            for (tag, line_no) in [
                ("# expect: ", Some(n as u64 + 1)),
                ("# expect-file: ", None),
            ] {
                if let Some(at) = line.find(tag) {
                    for rule in line[at + tag.len()..].split(',') {
                        marks.push((rel.clone(), line_no, rule.trim().to_string()));
                    }
                }
            }
        }
    }
    marks.sort();
    marks
}

/// Every file under `dir` (hidden ones too) with its bytes.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}
