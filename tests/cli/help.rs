//! Every example in every `--help` runs as written on the example plan: a command line copied
//! from the help must never be refused (exit 2).

use std::path::Path;

use crate::git::{git, git_at};
use crate::{acme_copy, roadlog, run_with, words};

/// The commands `roadlog --help` lists, and their own subcommands (`report exec`, `new item`).
fn commands() -> Vec<Vec<String>> {
    let listed = |prefix: &[String]| -> Vec<String> {
        let help = run_with(roadlog().args(prefix).arg("--help")).stdout;
        help.split_once("Commands:")
            .map(|(_, rest)| rest)
            .unwrap_or("")
            .lines()
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .filter_map(|l| l.split_whitespace().next())
            .filter(|c| *c != "help")
            .map(str::to_string)
            .collect()
    };
    let mut all = Vec::new();
    for command in listed(&[]) {
        let path = vec![command];
        let subs = listed(&path);
        if subs.is_empty() {
            all.push(path);
        } else {
            all.extend(subs.into_iter().map(|s| [path.clone(), vec![s]].concat()));
        }
    }
    all
}

/// The example command lines of a help text: after `Examples:`, each line that starts with
/// `roadlog` (joined across `\` continuations), without a trailing comment or what a pipe or
/// redirection does with the output.
fn examples(help: &str) -> Vec<String> {
    let Some((_, rest)) = help.split_once("Examples:") else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let mut pending = String::new();
    for line in rest.lines() {
        let line = line.trim();
        if pending.is_empty() && !line.starts_with("roadlog ") && line != "roadlog" {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => pending.push_str(part),
            None => {
                pending.push_str(line);
                let cut = [" #", " |", " >"]
                    .iter()
                    .filter_map(|m| pending.find(m))
                    .min()
                    .unwrap_or(pending.len());
                lines.push(pending[..cut].trim().to_string());
                pending.clear();
            }
        }
    }
    lines
}

/// The example plan in a repository of two commits, tagged `v1.0` and `v1.1`, with `origin/main`
/// at the second, so the examples that name revisions have them.
fn acme_repository() -> tempfile::TempDir {
    let dir = acme_copy();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    git(p, &["add", "-A"]);
    git_at(p, "2026-11-02T10:00:00Z", &["commit", "-q", "-m", "plan"]);
    git(p, &["tag", "v1.0"]);
    std::fs::write(p.join("notes.txt"), "a second commit\n").expect("write");
    git(p, &["add", "-A"]);
    git_at(p, "2026-11-09T10:00:00Z", &["commit", "-q", "-m", "notes"]);
    git(p, &["tag", "v1.1"]);
    git(p, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn every_example_in_a_help_text_runs_as_written() {
    let template = acme_repository();
    let mut ran = 0;
    let mut refused = Vec::new();
    for command in commands() {
        let help = run_with(roadlog().args(&command).arg("--help")).stdout;
        for line in examples(&help) {
            let args = words(&line);
            let work = tempfile::tempdir().expect("tempdir");
            // `init` makes a plan: it runs where there is none yet.
            let dir = if command[0] == "init" {
                work.path().to_path_buf()
            } else {
                copy_tree(template.path(), work.path());
                work.path().to_path_buf()
            };
            // The exports the import examples name are the ones in examples/exports.
            copy_tree(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/exports"),
                work.path(),
            );
            let out = run_with(
                roadlog()
                    .current_dir(&dir)
                    .env("ROADLOG_TODAY", "2026-11-24")
                    .args(&args[1..]),
            );
            ran += 1;
            if !(out.code == 0 || out.code == 1) {
                refused.push(format!(
                    "{line}\n  exit {}: {}",
                    out.code,
                    out.stderr.trim()
                ));
            }
        }
    }
    assert!(ran > 30, "only {ran} examples found");
    assert!(
        refused.is_empty(),
        "examples refused:\n{}",
        refused.join("\n")
    );
}

#[test]
fn a_negative_number_is_read_as_a_value_and_gets_the_range_message() {
    let dir = acme_repository();
    let out = run_with(roadlog().current_dir(dir.path()).args([
        "forecast",
        "--capacity",
        "-1",
        "--today",
        "2026-11-24",
    ]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("--capacity -1 is not a factor from above 0 to 10"),
        "{}",
        out.stderr
    );
}
