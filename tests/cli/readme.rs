//! The README's tour runs as written: every `roadlog` command of its shell blocks, in order, in
//! the repository `examples/acme-history.sh` makes, is never refused (exit 2), and every output
//! it shows after `$ ` is what the command prints (`…` stands for lines left out).

use std::path::{Path, PathBuf};

use crate::{roadlog, run_with, words};

/// The README's fenced blocks: (info string, lines).
fn blocks(text: &str) -> Vec<(String, Vec<String>)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, Vec<String>)> = None;
    for line in text.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => open = Some((info.trim().to_string(), Vec::new())),
            (Some(_), Some(_)) => blocks.extend(open.take()),
            (Some((_, lines)), None) => lines.push(line.to_string()),
            (None, None) => {}
        }
    }
    blocks
}

/// A shell line without its comment: ` # …` outside quotes.
fn uncommented(line: &str) -> &str {
    let mut quoted = false;
    for (at, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '#' if !quoted && line[..at].ends_with(' ') => return line[..at].trim_end(),
            _ => {}
        }
    }
    line.trim_end()
}

/// Runs one command line of the tour in `dir`: leading `NAME=value` words set the environment,
/// `> FILE` sends stdout to a file, `| …` is what the shell would do with the output and is
/// left out. Gives the exit code and what it printed, stdout then stderr.
fn run_line(dir: &Path, today: &str, line: &str) -> (i32, String) {
    let line = line.split(" | ").next().unwrap_or(line);
    let (line, to_file) = match line.split_once(" > ") {
        Some((command, file)) => (command, Some(file.trim())),
        None => (line, None),
    };
    let mut args = words(line);
    let mut cmd = roadlog();
    cmd.current_dir(dir).env("ROADLOG_TODAY", today);
    while let Some((name, value)) = args.first().and_then(|w| w.split_once('=')) {
        if name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            cmd.env(name, value);
            args.remove(0);
        } else {
            break;
        }
    }
    assert_eq!(args.first().map(String::as_str), Some("roadlog"), "{line}");
    let out = run_with(cmd.args(&args[1..]));
    if let Some(file) = to_file {
        std::fs::write(dir.join(file), &out.stdout).expect("write");
    }
    (out.code, format!("{}{}", out.stdout, out.stderr))
}

/// Whether `shown` (with `…` for lines left out) is what `printed` says.
fn shows(shown: &[String], printed: &str) -> bool {
    let printed: Vec<&str> = printed.lines().collect();
    let mut at = 0;
    let mut skipping = false;
    for line in shown {
        if line == "…" {
            skipping = true;
            continue;
        }
        let found = if skipping {
            printed[at..].iter().position(|p| p == line).map(|k| at + k)
        } else {
            (printed.get(at) == Some(&line.as_str())).then_some(at)
        };
        match found {
            Some(k) => at = k + 1,
            None => return false,
        }
        skipping = false;
    }
    skipping || at == printed.len()
}

#[test]
fn the_readme_tour_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let work = tempfile::tempdir().expect("tempdir");
    let mut dir: Option<PathBuf> = None;
    let mut today = String::new();
    let (mut ran, mut shown) = (0, 0);
    for (info, lines) in blocks(&readme) {
        match info.as_str() {
            "sh" => {
                for line in &lines {
                    let line = uncommented(line);
                    if let Some(rest) = line.strip_prefix("bash examples/acme-history.sh ") {
                        let made = work.path().join(rest.trim().trim_start_matches('/'));
                        let out = std::process::Command::new("bash")
                            .arg(root.join("examples/acme-history.sh"))
                            .arg(&made)
                            .output()
                            .expect("bash runs");
                        assert!(
                            out.status.success(),
                            "{}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                        dir = Some(made);
                    } else if let Some(day) = line.strip_prefix("export ROADLOG_TODAY=") {
                        today = day.to_string();
                    } else if line.starts_with("roadlog ") {
                        let Some(dir) = &dir else { continue };
                        let (code, printed) = run_line(dir, &today, line);
                        assert!(code == 0 || code == 1, "`{line}` exit {code}:\n{printed}");
                        ran += 1;
                    }
                }
            }
            "text" => {
                let Some(command) = lines.first().and_then(|l| l.strip_prefix("$ ")) else {
                    continue;
                };
                let dir = dir.as_ref().expect("the tour's repository is made first");
                let (code, printed) = run_line(dir, &today, uncommented(command));
                assert!(code == 0 || code == 1, "`{command}` exit {code}");
                assert!(
                    shows(&lines[1..], &printed),
                    "the README shows for `{command}`:\n{}\n\nbut it prints:\n{printed}",
                    lines[1..].join("\n")
                );
                shown += 1;
            }
            _ => {}
        }
    }
    assert!(
        ran >= 20 && shown >= 3,
        "ran {ran} commands, compared {shown} outputs"
    );
}

#[test]
fn a_shown_output_is_matched_line_for_line_with_gaps_where_it_says_so() {
    let lines = |s: &str| s.lines().map(str::to_string).collect::<Vec<_>>();
    assert!(shows(&lines("a\n…\nd"), "a\nb\nc\nd\n"));
    assert!(shows(&lines("a\n…"), "a\nb\n"));
    assert!(!shows(&lines("a\nd"), "a\nb\nd\n"));
    assert!(!shows(&lines("a\n…\nx"), "a\nb\n"));
    assert!(
        !shows(&lines("a"), "a\nb\n"),
        "a line the README does not show"
    );
}
