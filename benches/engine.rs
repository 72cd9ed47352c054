//! Micro-benchmarks of the engine's stages on a generated plan held in memory, so a regression
//! shows before release: `cargo bench`. Whole-process figures are in docs/benchmarks.md.

#[path = "../examples/gen_plan.rs"]
#[allow(dead_code)]
mod gen_plan;

use roadlog_engine::load::{self, MemoryTree};
use roadlog_engine::model::Plan;
use roadlog_engine::report::{self, Analysis};
use roadlog_engine::rules::{self, Context};
use roadlog_engine::time::Date;

const SIZES: &[usize] = &[1_000, 10_000];

fn main() {
    divan::main();
}

fn tree(items: usize) -> MemoryTree {
    let mut tree = MemoryTree::new();
    for (path, text) in gen_plan::generate(items, 1, false).files {
        tree.insert(&path, text.into_bytes());
    }
    tree
}

fn plan(items: usize) -> Plan {
    load::load(&tree(items), "bench").unwrap_or_else(|e| panic!("the generated plan loads: {e}"))
}

fn today() -> Date {
    Date::new(2025, 8, 15).unwrap_or_else(|| unreachable!("a valid date"))
}

/// Reading and parsing every file (in parallel): the floor everything else stands on.
#[divan::bench(args = SIZES, sample_count = 10)]
fn parse(bencher: divan::Bencher, items: usize) {
    let tree = tree(items);
    bencher.bench(|| load::load(divan::black_box(&tree), "bench"));
}

/// Every rule over a loaded plan.
#[divan::bench(args = SIZES, sample_count = 20)]
fn rules(bencher: divan::Bencher, items: usize) {
    let plan = plan(items);
    bencher.bench(|| rules::check(divan::black_box(&plan), Context::at(today())));
}

/// Links, rollups and the progress report: what `progress` and every `history` sample compute.
#[divan::bench(args = SIZES, sample_count = 20)]
fn progress(bencher: divan::Bencher, items: usize) {
    let plan = plan(items);
    bencher.bench(|| {
        let analysis = Analysis::new(divan::black_box(&plan), today());
        report::progress(&analysis, true, false, None)
    });
}

/// The product manager's view: the whole tree with alignment and drift.
#[divan::bench(args = SIZES, sample_count = 20)]
fn pm(bencher: divan::Bencher, items: usize) {
    let plan = plan(items);
    bencher.bench(|| report::pm(&Analysis::new(divan::black_box(&plan), today())));
}
