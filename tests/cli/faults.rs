//! Faults: writes interrupted by the kernel, and damaged or odd git repositories.
//!
//! A write is interrupted for real, not through a test hook: under `ulimit -f 0` the first byte
//! written to any file raises SIGXFSZ, which kills the process in the middle of its write; with
//! the signal ignored, the same write fails with EFBIG instead.

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::git::{git, write};
use crate::{roadlog_in, snapshot};

const SIGXFSZ: i32 = 25;

/// A two-file plan in a temporary folder.
fn plan() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    write(&p.join("roadlog.yaml"), "product: Faults\n");
    write(
        &p.join("roadmap/core.yaml"),
        "title: Core\nobjective: O\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n",
    );
    write(
        &p.join("backlog/A-1.yaml"),
        "title: A\nstatus: todo   # keep\ntheme: core\nestimate: 2\n",
    );
    dir
}

/// Runs roadlog in `dir` unable to write a single byte to a file. `killed`: the kernel kills it
/// at its first write; otherwise that write fails and roadlog sees the error.
fn starved(dir: &Path, killed: bool, args: &[&str]) -> Output {
    let script = if killed {
        "ulimit -f 0; exec \"$0\" \"$@\""
    } else {
        "trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\""
    };
    Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_roadlog"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GIT_CEILING_DIRECTORIES", dir)
        .output()
        .expect("bash runs")
}

/// The files a person or the loader would see: hidden ones left out.
fn visible(dir: &Path) -> Vec<(String, Vec<u8>)> {
    snapshot(dir)
        .into_iter()
        .filter(|(path, _)| !path.split('/').any(|part| part.starts_with('.')))
        .collect()
}

fn leftovers(dir: &Path) -> Vec<String> {
    snapshot(dir)
        .into_keys()
        .filter(|path| path.ends_with(".tmp"))
        .collect()
}

#[test]
fn set_killed_mid_write_leaves_the_file_intact_and_the_next_write_sweeps_up() {
    let dir = plan();
    let p = dir.path();
    let before = visible(p);
    let out = starved(p, true, &["set", "A-1", "status", "done"]);
    assert_eq!(out.status.signal(), Some(SIGXFSZ), "{out:?}");
    assert_eq!(visible(p), before);
    // The kill came after the temporary file was created: it is left, hidden from the loader.
    assert_eq!(leftovers(p).len(), 1, "{:?}", leftovers(p));
    let check = roadlog_in(p, &["check", "--today", "2025-08-15"]);
    assert_eq!(check.code, 0, "{}", check.stderr);

    let out = roadlog_in(
        p,
        &["set", "A-1", "status", "done", "--today", "2025-08-15"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(p.join("backlog/A-1.yaml")).expect("read"),
        "title: A\nstatus: done   # keep\ntheme: core\nestimate: 2\ndone_on: 2025-08-15\n"
    );
    assert_eq!(leftovers(p), Vec::<String>::new());
}

#[test]
fn set_whose_write_fails_says_so_and_changes_nothing() {
    let dir = plan();
    let p = dir.path();
    let before = snapshot(p);
    let out = starved(p, false, &["set", "A-1", "status", "done"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("A-1.yaml") && stderr.contains("File too large"),
        "{stderr}"
    );
    assert_eq!(snapshot(p), before);
}

#[test]
fn new_killed_mid_write_creates_no_partial_file() {
    let dir = plan();
    let p = dir.path();
    let before = visible(p);
    for args in [
        &["new", "item", "--title", "B", "--theme", "core"][..],
        &[
            "new",
            "theme",
            "growth",
            "--title",
            "Growth",
            "--objective",
            "O",
            "--horizon",
            "next",
        ][..],
    ] {
        let out = starved(p, true, args);
        assert_eq!(out.status.signal(), Some(SIGXFSZ), "{args:?}: {out:?}");
        assert_eq!(visible(p), before, "{args:?}");
        let out = starved(p, false, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert_eq!(visible(p), before, "{args:?}");
    }
    let out = roadlog_in(p, &["new", "item", "--title", "B", "--theme", "core"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(p.join("backlog/BL-1.yaml").is_file(), "{}", out.stdout);
    assert_eq!(leftovers(p), Vec::<String>::new());
}

#[test]
fn init_killed_mid_write_leaves_no_plan_root_and_can_be_run_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    let out = starved(p, true, &["init", "."]);
    assert_eq!(out.status.signal(), Some(SIGXFSZ), "{out:?}");
    assert_eq!(visible(p), Vec::new());
    let out = starved(p, false, &["init", "."]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(visible(p), Vec::new());

    let out = roadlog_in(p, &["init", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(p.join("roadlog.yaml").is_file());
    assert_eq!(leftovers(p), Vec::<String>::new());
    assert_eq!(roadlog_in(p, &["check"]).code, 0);
}

/// The plan of [`plan`], committed in a new repository.
fn committed() -> tempfile::TempDir {
    let dir = plan();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "first"]);
    dir
}

fn git_out(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

/// Every git-reading command on `dir`: each must stop with exit 2 and a message containing
/// every one of `says`.
fn all_refuse(dir: &Path, commands: &[&[&str]], says: &[&str]) {
    for args in commands {
        let out = roadlog_in(dir, args);
        assert_eq!(out.code, 2, "{args:?}: {}{}", out.stdout, out.stderr);
        for s in says {
            assert!(out.stderr.contains(s), "{args:?}: {}", out.stderr);
        }
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    }
}

#[test]
fn a_corrupt_object_is_exit_2_pointing_at_git_fsck() {
    let dir = committed();
    let p = dir.path();
    let blob = git_out(p, &["rev-parse", "HEAD:backlog/A-1.yaml"]);
    let object = p.join(".git/objects").join(&blob[..2]).join(&blob[2..]);
    let mut perms = std::fs::metadata(&object).expect("object").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&object, perms).expect("chmod");
    std::fs::write(&object, b"not zlib at all").expect("corrupt");
    // A change elsewhere: the working tree holds A-1's committed bytes, so diff never needs
    // the damaged object.
    write(
        &p.join("roadmap/core.yaml"),
        "title: Core, renamed\nobjective: O\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n",
    );
    let diff = roadlog_in(p, &["diff", "--format", "json"]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    assert!(diff.stdout.contains("Core, renamed"), "{}", diff.stdout);
    // A change to A-1 itself: its base side is the damaged object.
    let a1 = std::fs::read_to_string(p.join("backlog/A-1.yaml")).expect("read");
    write(&p.join("backlog/A-1.yaml"), &format!("{a1}# edited\n"));
    all_refuse(
        p,
        &[
            &["check", "--rev", "HEAD"],
            &["progress", "--rev", "HEAD"],
            &["diff"],
            &["history"],
        ],
        &["backlog/A-1.yaml", "git fsck"],
    );
    // The working tree itself is intact, so a plain check still answers.
    assert_eq!(roadlog_in(p, &["check", "--today", "2025-08-15"]).code, 0);
}

#[test]
fn a_missing_or_dangling_ref_is_exit_2_naming_it() {
    let dir = committed();
    let p = dir.path();
    all_refuse(
        p,
        &[&["check", "--rev", "nope"], &["diff", "nope"]],
        &["`nope`"],
    );
    write(
        &p.join(".git/refs/heads/broken"),
        "1234567890123456789012345678901234567890\n",
    );
    all_refuse(
        p,
        &[&["check", "--rev", "broken"], &["diff", "broken"]],
        &["`broken`", "missing from the repository", "git fsck"],
    );
}

#[test]
fn a_repository_without_commits_is_exit_2_for_commands_that_need_one() {
    let dir = plan();
    let p = dir.path();
    git(p, &["init", "-q", "-b", "main"]);
    all_refuse(
        p,
        &[&["check", "--rev", "HEAD"], &["diff"], &["history"]],
        &["no commits yet"],
    );
    // Reading the working tree needs no commit; stale-item says why it is skipped.
    let out = roadlog_in(p, &["check", "--today", "2025-08-15"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("no commits yet"), "{}", out.stderr);
}

#[test]
fn a_submodule_in_the_plan_folder_is_exit_2_in_every_command() {
    let sub = committed();
    let dir = committed();
    let p = dir.path();
    git(
        p,
        &[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            sub.path().to_str().expect("utf-8"),
            "backlog/shared",
        ],
    );
    git(p, &["commit", "-q", "-m", "submodule"]);
    all_refuse(
        p,
        &[
            &["check"],
            &["check", "--rev", "HEAD"],
            &["progress"],
            &["diff", "HEAD~1"],
            &["history"],
        ],
        &["`backlog/shared`", "submodule"],
    );
}

#[test]
fn read_commands_write_nothing_but_the_caches() {
    let dir = committed();
    let p = dir.path();
    // A dirty file, so diff and stale-item have something to read from the working tree.
    write(
        &p.join("backlog/A-1.yaml"),
        "title: A\nstatus: done\ntheme: core\nestimate: 2\n",
    );
    let before = snapshot(p);
    let commands = [
        &["check"][..],
        &["check", "--format", "json"],
        &["check", "--format", "github"],
        &["check", "--rev", "HEAD"],
        &["progress", "--all"],
        &["report", "exec", "--format", "markdown"],
        &["report", "team", "--format", "json"],
        &["report", "pm"],
        &["trace", "A-1"],
        &["roadmap", "--format", "mermaid"],
        &["diff", "--format", "markdown"],
        &["history", "--every", "commit"],
        &["list", "--format", "ids"],
        &["schema", "item"],
    ];
    // Under --no-cache nothing at all is written, not even in `.git`.
    for args in commands {
        let out = roadlog_in(p, &[args, &["--no-cache"]].concat());
        assert!(out.code == 0 || out.code == 1, "{args:?}: {}", out.stderr);
        assert!(
            snapshot(p) == before,
            "{args:?} wrote to the plan or the repository"
        );
    }
    // Otherwise only the parse cache and what diffs' unchanged files mention, in `.git/roadlog`.
    let cache = |path: &str| path.starts_with(".git/roadlog/");
    let outside = |snap: BTreeMap<String, Vec<u8>>| {
        snap.into_iter()
            .filter(|(path, _)| !cache(path))
            .collect::<BTreeMap<_, _>>()
    };
    for args in commands {
        let out = roadlog_in(p, args);
        assert!(out.code == 0 || out.code == 1, "{args:?}: {}", out.stderr);
        let after = snapshot(p);
        let written: Vec<&String> = after.keys().filter(|path| cache(path)).collect();
        assert!(
            written
                .iter()
                .all(
                    |path| (path.starts_with(".git/roadlog/plan-") && path.ends_with(".cache"))
                        || path.starts_with(".git/roadlog/mentions-")
                ),
            "{args:?} wrote {written:?}"
        );
        assert!(
            outside(after) == before,
            "{args:?} wrote to the plan or the repository"
        );
    }
    let kept = snapshot(p);
    assert!(
        kept.keys().any(|path| path.ends_with(".cache")),
        "check keeps a parse cache in the git folder"
    );
    assert!(
        kept.keys()
            .any(|path| path.starts_with(".git/roadlog/mentions-")),
        "diff keeps what the unchanged files mention in the git folder"
    );
}

#[test]
fn a_blob_whose_header_claims_gigabytes_is_sized_not_inflated() {
    use std::io::Write as _;
    let dir = committed();
    let p = dir.path();
    // A loose object is zlib over "blob <size>\0<bytes>". This one claims 3 GiB and holds a
    // few bytes: reading it whole would mean allocating the 3 GiB (a real bomb of compressed
    // zeros does the same in a few megabytes), and then fail. Only its header may be read.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(b"blob 3221225472\0title: Bomb\nstatus: todo\n")
        .expect("compress");
    let object = z.finish().expect("compress");
    let oid = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0";
    let folder = p.join(".git/objects").join(&oid[..2]);
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(folder.join(&oid[2..]), object).expect("write object");
    git(
        p,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("100644,{oid},backlog/BOMB.yaml"),
        ],
    );
    git(p, &["commit", "-q", "-m", "bomb"]);
    // Under a 1 GiB address-space limit, allocating what the header claims fails.
    let limited = |args: &[&str]| {
        let mut bash = Command::new("bash");
        crate::clean_env(&mut bash);
        bash.current_dir(p)
            .arg("-c")
            .arg("ulimit -v 1048576 && exec \"$@\"")
            .arg("bash")
            .arg(assert_cmd::cargo::cargo_bin!("roadlog"))
            .args(args);
        crate::run_with(&mut assert_cmd::Command::from_std(bash))
    };
    let too_large = "`backlog/BOMB.yaml` is 3072.0 MiB; plan files over 4 MiB are not parsed";
    for (args, code) in [
        (
            &[
                "check",
                "--rev",
                "HEAD",
                "--format",
                "json",
                "--today",
                "2025-08-15",
            ][..],
            1,
        ),
        (
            &[
                "diff",
                "HEAD~1",
                "HEAD",
                "--format",
                "json",
                "--today",
                "2025-08-15",
            ],
            0,
        ),
    ] {
        let out = limited(args);
        assert_eq!(out.code, code, "{args:?}: {}", out.stderr);
        assert!(
            out.stdout.contains(too_large),
            "{args:?}: {}{}",
            out.stdout,
            out.stderr
        );
    }
    let history = limited(&["history", "--format", "json", "--today", "2025-08-15"]);
    assert_eq!(history.code, 0, "{}", history.stderr);
}

#[test]
fn a_repository_git_will_not_open_is_reported_in_gits_words_with_the_fix() {
    // Not a repository: worded for the command that was run.
    let plain = plan();
    let p = plain.path();
    for (args, need) in [
        (&["diff"][..], "`roadlog diff` compares revisions"),
        (&["history"], "`roadlog history` reads the commits"),
        (&["check", "--rev", "HEAD"], "--rev reads the plan from git"),
    ] {
        let out = roadlog_in(p, args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(
            out.stderr.contains("is not inside a git repository"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains(need), "{args:?}: {}", out.stderr);
    }

    // A damaged `.git`: git's own reason, not "not a repository".
    let dir = committed();
    let p = dir.path();
    std::fs::write(p.join(".git/config"), "[core\n bad").expect("write");
    all_refuse(
        p,
        &[&["check", "--rev", "HEAD"], &["diff"], &["history"]],
        &[
            "cannot open the git repository",
            "failed to parse config file",
            "git fsck",
        ],
    );

    // Owned by someone else (git's safe.directory check): say so, and how to trust it.
    let dir = committed();
    let p = dir.path();
    let chown = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(p)
        .status()
        .expect("chown runs");
    assert!(
        chown.success(),
        "this test runs as root (CI does), to give the repository another owner"
    );
    let out = roadlog_in(p, &["diff"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("owned by another user"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("safe.directory"), "{}", out.stderr);
    assert!(
        !out.stderr.contains("not inside a git repository"),
        "{}",
        out.stderr
    );
}

#[test]
fn rename_killed_or_failing_mid_write_leaves_the_plan_as_it_was() {
    let dir = plan();
    let p = dir.path();
    write(
        &p.join("backlog/A-2.yaml"),
        "title: B\nstatus: todo\ntheme: core\ndepends_on: [A-1]\n",
    );
    let before = visible(p);
    // Killed at the first byte of the first temporary file: no file changed, none moved.
    let out = starved(p, true, &["rename", "A-1", "B-1"]);
    assert_eq!(out.status.signal(), Some(SIGXFSZ), "{out:?}");
    assert_eq!(visible(p), before);
    // Failing instead: the error names the file, and the temporaries are gone.
    let out = starved(p, false, &["rename", "core", "platform"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("File too large"),
        "{out:?}"
    );
    assert_eq!(visible(p), before);
    // The next run does the whole rename and sweeps the killed run's leftover.
    let out = roadlog_in(p, &["rename", "A-1", "B-1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(leftovers(p), Vec::<String>::new());
    assert!(p.join("backlog/B-1.yaml").exists() && !p.join("backlog/A-1.yaml").exists());
    assert_eq!(
        std::fs::read_to_string(p.join("backlog/A-2.yaml")).expect("read"),
        "title: B\nstatus: todo\ntheme: core\ndepends_on: [B-1]\n"
    );
}
