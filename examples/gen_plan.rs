//! Generates a synthetic roadlog plan for benchmarks, with an optional git history.
//!
//! ```sh
//! cargo run --release --example gen_plan -- --items 10000 --out /tmp/plan10k
//! cargo run --release --example gen_plan -- --items 10000 --commits 1000 --out /tmp/hist10k
//! ```
//!
//! About N/200 themes and N/20 epics; the rest are stories, tasks and bugs under epics, with
//! realistic field sizes, statuses, estimates, sprints and dependencies, and a small share of
//! deliberate problems (unknown themes, orphans, unknown dependencies). The same seed gives the
//! same plan. With `--commits C`, the plan is committed and then C more commits at increasing
//! dates move a few items each through todo → in-progress → done; with `--new-every N`, every
//! Nth of them also adds a story.

// A command-line tool: printing is its job (the library itself never prints).
#![allow(clippy::print_stderr)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Parser;

#[derive(Parser)]
struct Args {
    /// Backlog items to generate
    #[arg(long)]
    items: usize,
    /// Folder to write the plan into (must not exist yet)
    #[arg(long)]
    out: PathBuf,
    /// Also write a git history of this many commits
    #[arg(long, default_value_t = 0)]
    commits: usize,
    /// Seed of the pseudo-random choices
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// In the history, every Nth commit also adds a new story (0: none), as a team's does
    #[arg(long, default_value_t = 0)]
    new_every: usize,
}

/// xorshift64*: small, fast, deterministic; good enough to vary a synthetic plan.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "onboarding",
    "billing",
    "search",
    "export",
    "audit",
    "sign-in",
    "reporting",
    "mobile",
    "alerts",
    "sharing",
    "pricing",
    "checkout",
    "dashboard",
    "permissions",
    "import",
    "notifications",
    "latency",
    "cache",
    "webhooks",
    "analytics",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    s
}

fn theme_text(rng: &mut Rng, t: usize) -> String {
    let status = if t % 10 == 9 {
        "done"
    } else if t.is_multiple_of(7) {
        "proposed"
    } else {
        "active"
    };
    let year = 2025 + t % 3;
    format!(
        "title: Theme {t} {}\nobjective: Grow the {} segment by {}% this year\nstatus: {status}\nhorizon: {year}-Q{}\npriority: {}\nowner: Owner {}\n\
         metrics:\n  - {{ name: Weekly active accounts, baseline: \"{}\", target: \"{}\" }}\nreviewed: 2025-0{}-1{}\ntags: [{}, {}]\n",
        sentence(rng, 3),
        rng.pick(WORDS),
        10 + rng.below(40),
        1 + t % 4,
        1 + t % 9,
        t % 17,
        1000 + rng.below(1000),
        3000 + rng.below(2000),
        1 + rng.below(8),
        rng.below(9),
        rng.pick(WORDS),
        rng.pick(WORDS)
    )
}

fn item_text(rng: &mut Rng, i: usize, epics: usize, themes: usize, status: &str) -> String {
    let mut s = String::new();
    if i < epics {
        let theme = if rng.chance(1) {
            format!("theme-{}x", i % themes)
        } else {
            format!("theme-{}", i % themes)
        };
        let _ = write!(
            s,
            "title: \"Epic {i}: {}\"\nkind: epic\nstatus: {status}\ntheme: {theme}\npriority: {}\n",
            sentence(rng, 4),
            1 + i % 20
        );
        return s;
    }
    let kind = rng.pick(&["story", "story", "story", "task", "bug", "spike", "chore"]);
    let _ = write!(
        s,
        "title: \"{} {i}: {}\"\nkind: {kind}\nstatus: {status}\n",
        kind,
        sentence(rng, 6)
    );
    if !rng.chance(1) {
        let _ = writeln!(s, "parent: BL-{}", rng.below(epics));
    }
    let _ = write!(
        s,
        "estimate: {}\npriority: {}\nsprint: 2025-S{:02}\nassignee: dev{}\n",
        rng.pick(&["1", "2", "3", "5", "8"]),
        1 + rng.below(50),
        1 + rng.below(26),
        rng.below(40)
    );
    if i > epics + 1 && rng.chance(20) {
        let dep = if rng.chance(2) {
            i + 1_000_000
        } else {
            epics + rng.below(i - epics)
        };
        let _ = writeln!(s, "depends_on: [BL-{dep}]");
    }
    let _ = write!(
        s,
        "description: >-\n  As a customer I want {} so that {} gets easier and faster for my team.\nacceptance:\n  - {} works in the main flow\n  - Errors in {} are shown to the user\n",
        sentence(rng, 3),
        rng.pick(WORDS),
        rng.pick(WORDS),
        rng.pick(WORDS)
    );
    s
}

fn item_path(i: usize) -> String {
    format!("backlog/area-{:02}/BL-{i}.yaml", i % 50)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("create folder");
    std::fs::write(path, text).expect("write file");
}

/// A generated plan: its files, and what a history needs to move its items on.
pub(crate) struct Generated {
    /// (path from the plan root, text), `roadlog.yaml` first.
    pub files: Vec<(String, String)>,
    rng: Rng,
    status: Vec<&'static str>,
    seeds: Vec<u64>,
    epics: usize,
    themes: usize,
}

/// Generates a plan of `items` items; with `all_todo`, every item starts as `todo` so a history
/// can move it on.
pub(crate) fn generate(items: usize, seed: u64, all_todo: bool) -> Generated {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let themes = (items / 200).max(1);
    let epics = (items / 20).max(1);
    let mut files = vec![(
        "roadlog.yaml".to_string(),
        "product: Generated\ndefault_estimate: 2\nreview_cadence_days: 45\ncurrent_sprint: 2025-S14\nstatuses:\n  review: in-progress\n".to_string(),
    )];
    for t in 0..themes {
        files.push((format!("roadmap/theme-{t}.yaml"), theme_text(&mut rng, t)));
    }
    let statuses = [
        "todo",
        "todo",
        "in-progress",
        "review",
        "blocked",
        "done",
        "done",
        "wontdo",
    ];
    let mut status = Vec::with_capacity(items);
    let mut seeds = Vec::with_capacity(items);
    for i in 0..items {
        let s = if all_todo {
            "todo"
        } else {
            rng.pick(&statuses)
        };
        let seed = rng.next();
        status.push(s);
        seeds.push(seed);
        files.push((
            item_path(i),
            item_text(&mut Rng(seed | 1), i, epics, themes, s),
        ));
    }
    Generated {
        files,
        rng,
        status,
        seeds,
        epics,
        themes,
    }
}

#[allow(dead_code)] // benches include this file for `generate` only
fn main() {
    let args = Args::parse();
    assert!(
        !args.out.exists(),
        "{} exists; choose a new folder",
        args.out.display()
    );
    let mut plan = generate(args.items, args.seed, args.commits > 0);
    for (path, text) in &plan.files {
        write(&args.out.join(path), text);
    }
    if args.commits > 0 {
        history(&args, &mut plan);
    }
    eprintln!(
        "wrote {} themes and {} items to {}",
        plan.themes,
        args.items,
        args.out.display()
    );
}

/// Commits the plan, then `--commits` more of three status moves each (and a new item every
/// `--new-every`), through `git fast-import`: a thousand commits of a 10,000-file tree in a
/// stream, without a git library in the generator.
#[allow(dead_code)]
fn history(args: &Args, plan: &mut Generated) {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let git = |args: &[&str], dir: &Path| {
        let ok = Command::new("git").args(args).current_dir(dir).status();
        assert!(ok.is_ok_and(|s| s.success()), "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"], &args.out);
    let mut import = Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(&args.out)
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import runs");
    let mut stream = std::io::BufWriter::new(import.stdin.take().expect("stdin"));
    let start = 1_735_732_800; // 2025-01-01T12:00:00Z
    let mut commit = |n: usize, message: &str, files: &[(String, String)]| {
        let time = start + n * 6 * 3600;
        let who = format!("Generator <gen@example.com> {time} +0000");
        let mut out = format!(
            "commit refs/heads/main\nauthor {who}\ncommitter {who}\ndata {}\n{message}\n",
            message.len()
        );
        for (path, text) in files {
            out.push_str(&format!(
                "M 100644 inline {path}\ndata {}\n{text}\n",
                text.len()
            ));
        }
        stream.write_all(out.as_bytes()).expect("fast-import reads");
    };
    let all = plan.files.clone();
    commit(0, "plan", &all);
    let (epics, themes) = (plan.epics, plan.themes);
    for n in 1..args.commits {
        let mut changed = Vec::new();
        for _ in 0..3 {
            let i = epics + plan.rng.below(args.items.saturating_sub(epics).max(1));
            let next = match plan.status[i] {
                "todo" => "in-progress",
                "in-progress" => "done",
                other => other,
            };
            plan.status[i] = next;
            let text = item_text(&mut Rng(plan.seeds[i] | 1), i, epics, themes, next);
            write(&args.out.join(item_path(i)), &text);
            changed.push((item_path(i), text));
        }
        if args.new_every > 0 && n % args.new_every == 0 {
            let i = plan.status.len();
            let seed = plan.rng.next();
            plan.status.push("todo");
            plan.seeds.push(seed);
            let text = item_text(&mut Rng(seed | 1), i, epics, themes, "todo");
            write(&args.out.join(item_path(i)), &text);
            changed.push((item_path(i), text));
        }
        commit(n, &format!("work {n}"), &changed);
    }
    drop(stream);
    assert!(import.wait().is_ok_and(|s| s.success()), "git fast-import");
    // The index as the last commit has it: the files on disk are already its tree.
    git(&["reset", "-q"], &args.out);
}
