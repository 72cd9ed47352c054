//! The build identity of what roadlog keeps between runs: a hash of the sources that decide
//! how a plan file is parsed and modelled, and of the locked dependency versions. The parse
//! cache and the mentions records are keyed on it, so a build whose parse, model or encoding
//! differs never reads a cache another build wrote, whatever its version number says.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

/// The sources whose change can change what the caches hold: the model and its encoding, the
/// YAML readers, the loader and its builders, findings, dates; and the dependencies' versions.
const SHAPING: &[&str] = &[
    "src/model.rs",
    "src/model",
    "src/load.rs",
    "src/load",
    "src/yaml.rs",
    "src/yaml",
    "src/diag.rs",
    "src/time.rs",
    "src/error.rs",
    "Cargo.lock",
];

fn main() {
    let mut files = Vec::new();
    for path in SHAPING {
        println!("cargo::rerun-if-changed={path}");
        collect(Path::new(path), &mut files);
    }
    files.sort();
    // std's SipHash with its fixed keys: the same bytes give the same id within a toolchain,
    // and a new toolchain (which rebuilds everything anyway) may give a new one, which only
    // costs a cold run.
    let mut hasher = DefaultHasher::new();
    for file in &files {
        file.to_string_lossy().replace('\\', "/").hash(&mut hasher);
        std::fs::read(file).unwrap_or_default().hash(&mut hasher);
    }
    println!("cargo::rustc-env=ROADLOG_BUILD_ID={:016x}", hasher.finish());
}

/// Every file at or under `path`, but unit tests (`tests.rs`, `tests/`): they shape nothing
/// a cache holds.
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path
        .file_name()
        .is_some_and(|n| n == "tests" || n == "tests.rs")
    {
        return;
    }
    match std::fs::read_dir(path) {
        Ok(entries) => {
            for entry in entries.flatten() {
                collect(&entry.path(), out);
            }
        }
        Err(_) if path.is_file() => out.push(path.to_path_buf()),
        Err(_) => {}
    }
}
