//! The parse floor of quality.md: every `.yaml`/`.yml` file under a folder read and deserialized
//! by serde-saphyr with spans, in parallel, all values kept. `roadlog check` is measured against
//! this. With `--events`, the files are read by roadlog's event reader instead (the tree
//! `check` builds; serde-saphyr only for what it declines), to show what parsing costs now.
//!
//! ```sh
//! cargo run --release --example parse_floor -- /tmp/plan100k
//! cargo run --release --example parse_floor -- /tmp/plan100k --events
//! ```

// A command-line tool: printing is its job (the library itself never prints).
#![allow(clippy::print_stderr)]

use rayon::prelude::*;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse_floor DIR [--events]");
        std::process::exit(2);
    };
    let events = std::env::args().nth(2).is_some_and(|a| a == "--events");
    let paths: Vec<std::path::PathBuf> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path()
                    .extension()
                    .is_some_and(|x| x == "yaml" || x == "yml")
        })
        .map(|e| e.into_path())
        .collect();
    let read = |p: &std::path::PathBuf| std::fs::read_to_string(p).ok();
    if events {
        // The event reader's tree borrows from the texts, so they are read first and kept.
        let texts: Vec<String> = paths.par_iter().filter_map(read).collect();
        let parsed: Vec<Vec<roadlog_engine::yaml::Node<'_>>> = texts
            .par_iter()
            .filter_map(|text| roadlog_engine::yaml::parse_stream(text).ok())
            .collect();
        report(parsed.len(), parsed.iter().map(Vec::len).sum());
        return;
    }
    let parsed: Vec<(String, Vec<roadlog_engine::yaml::Node<'static>>)> = paths
        .par_iter()
        .filter_map(|p| {
            let text = read(p)?;
            let docs = roadlog_engine::yaml::parse_stream_general(&text).ok()?;
            Some((text, docs))
        })
        .collect();
    report(
        parsed.len(),
        parsed.iter().map(|(_, docs)| docs.len()).sum(),
    );
}

fn report(files: usize, documents: usize) {
    eprintln!("parsed {files} files, {documents} documents");
}
