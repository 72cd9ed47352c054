//! Replays the fuzz harness (fuzz/harness.rs) on stable Rust: on every input the fuzzers found
//! and kept under `fuzz/regressions/`, and on every fixture file in each role.

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::Path;

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 3] = [
    ("check_file", harness::check_file),
    ("set_field", harness::set_field),
    ("readers", harness::readers_agree),
];

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.retain(|p| p.file_name().is_some_and(|n| n != ".gitkeep"));
    files
}

#[test]
fn every_kept_fuzz_input_still_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for (name, target) in TARGETS {
        for path in files_under(&root.join(name)) {
            let bytes = std::fs::read(&path).expect("read a kept input");
            let passed = std::panic::catch_unwind(|| target(&bytes));
            assert!(passed.is_ok(), "{name}: {} fails again", path.display());
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no kept inputs under {}", root.display());
}

#[test]
fn every_fixture_file_passes_in_every_role() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let files: Vec<_> = files_under(&fixtures)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    assert!(files.len() > 50, "{} fixture files", files.len());
    for path in &files {
        let text = std::fs::read(path).expect("read a fixture");
        for role in 0..3u8 {
            let mut input = vec![role];
            input.extend_from_slice(&text);
            harness::check_file(&input);
            for (selector, value) in [
                (0u8, "done"),
                (1, "core"),
                (3, "8"),
                (7, "2025-Q4"),
                (0x80, ""),
            ] {
                let mut input = input.clone();
                input.push(0);
                input.extend_from_slice(value.as_bytes());
                input.push(selector);
                harness::set_field(&input);
            }
        }
    }
}
