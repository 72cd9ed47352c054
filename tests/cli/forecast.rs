//! `roadlog forecast` on repositories whose history is written here, week by week, so every
//! date it gives can be worked out by hand.

use std::path::Path;

use serde_json::Value;

use crate::git::{git, git_at, write};
use crate::{roadlog_in, run_with};

/// A plan in `plan/` counted by items: each theme `(id, horizon)` with `items` open stories
/// named `<THEME>-<n>`, committed on `start`.
struct History {
    dir: tempfile::TempDir,
}

impl History {
    fn new(start: &str, themes: &[(&str, &str, usize)]) -> History {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        git(root, &["init", "-q", "-b", "main"]);
        write(
            &root.join("plan/roadlog.yaml"),
            "product: Forecast Co\nprogress_by: count\n",
        );
        for (priority, (id, horizon, items)) in themes.iter().enumerate() {
            write(
                &root.join(format!("plan/roadmap/{id}.yaml")),
                &format!(
                    "title: Theme {id}\nobjective: O\nstatus: active\nhorizon: {horizon}\npriority: {}\n",
                    priority + 1
                ),
            );
            for n in 1..=*items {
                write(
                    &root.join(format!("plan/backlog/{id}-{n}.yaml")),
                    &format!("title: Story {n}\nstatus: todo\ntheme: {id}\n"),
                );
            }
        }
        let h = History { dir };
        h.commit(start);
        h
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn set(&self, item: &str, status: &str) {
        let theme = item.rsplit_once('-').map_or(item, |(t, _)| t);
        let path = self.root().join(format!("plan/backlog/{item}.yaml"));
        write(
            &path,
            &format!("title: Story\nstatus: {status}\ntheme: {theme}\n"),
        );
    }

    fn commit(&self, date: &str) {
        let at = format!("{date}T10:00:00Z");
        git_at(self.root(), &at, &["add", "-A"]);
        git_at(
            self.root(),
            &at,
            &["commit", "-q", "--allow-empty", "-m", "work"],
        );
    }

    /// Closes `per_week[k]` more items of each theme on the Tuesday of week `k` after `monday`.
    fn weeks(&self, monday: &str, themes: &[&str], per_week: &[usize]) {
        let start: roadlog_engine::time::Date = monday.parse().expect("date");
        let mut next = std::collections::HashMap::new();
        for (k, &n) in per_week.iter().enumerate() {
            for theme in themes {
                let done = next.entry(theme.to_string()).or_insert(0);
                for _ in 0..n {
                    *done += 1;
                    self.set(&format!("{theme}-{done}"), "done");
                }
            }
            let day = start.plus_days(7 * i64::try_from(k).expect("small") + 1);
            self.commit(&day.to_string());
        }
    }

    fn forecast(&self, today: &str, args: &[&str]) -> crate::Run {
        let mut all = vec!["forecast", "--today", today];
        all.extend(args);
        roadlog_in(&self.root().join("plan"), &all)
    }

    fn json(&self, today: &str, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self.forecast(today, &all);
        assert_eq!(out.code, 0, "{}", out.stderr);
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
    }
}

fn theme<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["themes"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["id"] == id))
        .unwrap_or_else(|| panic!("no theme {id} in {v}"))
}

fn dates(t: &Value) -> [&str; 3] {
    [
        t["p50"].as_str().unwrap_or("null"),
        t["p85"].as_str().unwrap_or("null"),
        t["p95"].as_str().unwrap_or("null"),
    ]
}

/// Eight weeks from Monday 2025-06-02, two stories closed every Tuesday; today is the Sunday
/// after the eighth.
const TODAY: &str = "2025-07-27";

#[test]
fn constant_throughput_gives_one_date_the_arithmetic_one() {
    let h = History::new("2025-06-02", &[("T", "2025-Q4", 40)]);
    h.weeks("2025-06-02", &["T"], &[2; 8]);
    let v = h.json(TODAY, &[]);
    let weeks: Vec<f64> = v["throughput"]["weeks"]
        .as_array()
        .expect("weeks")
        .iter()
        .map(|w| w["done"].as_f64().expect("done"))
        .collect();
    assert_eq!(weeks, vec![2.0; 8], "only the weeks the history covers");
    assert_eq!(v["throughput"]["weeks"][0]["start"], "2025-06-02");
    let t = theme(&v, "T");
    // 24 stories left at 2 a week: 12 weeks, 84 days after 2025-07-27.
    assert_eq!(t["remaining"], 24.0);
    assert_eq!(dates(t), ["2025-10-19"; 3]);
    assert_eq!(t["horizon_end"], "2025-12-31");
    assert_eq!(t["p_by_horizon_end"], 1.0);
    assert_eq!(t["verdict"], "likely");
    assert_eq!(
        (v["window_weeks"].clone(), v["trials"].clone()),
        (12.into(), 10_000.into())
    );
    assert_eq!(
        (v["model"].clone(), v["seed"].clone()),
        ("theme".into(), 1.into())
    );
}

#[test]
fn a_horizon_before_the_date_is_unlikely_and_one_between_the_percentiles_at_risk() {
    let h = History::new("2025-06-02", &[("T", "2025-Q3", 40)]);
    h.weeks("2025-06-02", &["T"], &[2; 8]);
    let t = theme(&h.json(TODAY, &[]), "T").clone();
    assert_eq!(t["p_by_horizon_end"], 0.0);
    assert_eq!(t["verdict"], "unlikely");
    // Alternating 1 and 3 a week: 24 left takes 6 to 24 weeks; the median lands near 12.
    let h = History::new("2025-06-02", &[("T", "2025-Q4", 40)]);
    h.weeks("2025-06-02", &["T"], &[1, 3, 1, 3, 1, 3, 1, 3]);
    let v = h.json(TODAY, &[]);
    let t = theme(&v, "T");
    let [p50, p85, p95] = dates(t);
    assert!(p50 < p85 && p85 <= p95, "{p50} {p85} {p95}");
    assert!(("2025-10-05".."2025-11-02").contains(&p50), "{p50}");
    let chance = t["p_by_horizon_end"].as_f64().expect("chance");
    assert!(chance > 0.85, "{chance}");
    // Same seed, same output; another seed may move a date, never the arithmetic.
    assert_eq!(h.forecast(TODAY, &[]).stdout, h.forecast(TODAY, &[]).stdout);
    let other = h.json(TODAY, &["--seed", "99"]);
    assert_eq!(other["seed"], 99);
    // 16 left by 2025-09-30, 65 days away: nine whole weeks of 1 or 3 must hold four 3s,
    // which 1 − 130/512 = 75% of draws do.
    let h = History::new("2025-06-02", &[("T", "2025-Q3", 32)]);
    h.weeks("2025-06-02", &["T"], &[1, 3, 1, 3, 1, 3, 1, 3]);
    let t = theme(&h.json(TODAY, &[]), "T").clone();
    let chance = t["p_by_horizon_end"].as_f64().expect("chance");
    assert!((0.72..0.78).contains(&chance), "{chance}");
    assert_eq!(t["verdict"], "at-risk");
}

#[test]
fn scenarios_move_the_dates_as_arithmetic_says() {
    let h = History::new("2025-06-02", &[("A", "2025-Q4", 20), ("B", "2025-Q4", 20)]);
    h.weeks("2025-06-02", &["A", "B"], &[1; 8]);
    // Each has 12 left and half of 2 a week: 12 weeks each, 2025-10-19.
    let base = h.json(TODAY, &["--model", "share"]);
    assert_eq!(dates(theme(&base, "A")), ["2025-10-19"; 3]);
    assert_eq!(dates(theme(&base, "B")), ["2025-10-19"; 3]);
    // Deferring B gives A all of it (6 weeks), then B (6 more): B does not move.
    let defer = h.json(TODAY, &["--model", "share", "--defer", "B"]);
    let (a, b) = (theme(&defer, "A"), theme(&defer, "B"));
    assert_eq!(a["scenario"]["p85"], "2025-09-07");
    assert_eq!(a["p85_moves"], -42);
    assert_eq!(b["scenario"]["p85"], "2025-10-19");
    assert_eq!(b["p85_moves"], 0);
    assert_eq!(
        a["p85"], "2025-10-19",
        "the baseline stays beside the scenario"
    );
    assert_eq!(defer["scenario"]["defer"], serde_json::json!(["B"]));
    // Half the team: twice as long.
    let half = h.json(TODAY, &["--model", "share", "--capacity", "0.5"]);
    assert_eq!(theme(&half, "A")["scenario"]["p85"], "2026-01-11");
    assert_eq!(theme(&half, "A")["p85_moves"], 84);
    // Six more stories for A: B finishes at 12 weeks, then A's last 6 go at 2 a week.
    let add = h.json(TODAY, &["--model", "share", "--add", "A=6"]);
    assert_eq!(theme(&add, "A")["scenario"]["p85"], "2025-11-09");
    assert_eq!(theme(&add, "A")["scenario"]["remaining"], 18.0);
    // Dropping two of A's open stories.
    let drop = h.json(
        TODAY,
        &["--model", "share", "--drop", "A-19", "--drop", "A-20"],
    );
    assert_eq!(theme(&drop, "A")["scenario"]["remaining"], 10.0);
    assert!(theme(&drop, "A")["p85_moves"].as_i64().expect("moves") < 0);
    // The table says it in words.
    let table = h.forecast(TODAY, &["--model", "share", "--defer", "B"]);
    assert!(
        table.stdout.contains("Scenario: `B` deferred"),
        "{}",
        table.stdout
    );
    assert!(table.stdout.contains("42 days sooner"), "{}", table.stdout);
    // Under each theme's own throughput (the default), A gets no more by B's waiting, and B
    // waits for A's last story before it starts: 12 weeks later.
    let own = h.json(TODAY, &["--defer", "B"]);
    assert_eq!(dates(theme(&own, "A")), ["2025-10-19"; 3]);
    assert_eq!(theme(&own, "A")["p85_moves"], 0);
    assert_eq!(theme(&own, "B")["p85_moves"], 84);
}

#[test]
fn a_scenario_naming_nothing_is_a_usage_error_with_the_nearest_id() {
    let h = History::new("2025-06-02", &[("Alpha", "2025-Q4", 4)]);
    for (args, says) in [
        (&["--defer", "Alpah"][..], "no theme `Alpah`"),
        (&["--drop", "Alpha-9"], "no item `Alpha-9`"),
        (&["--add", "Alpha"], "not THEME=WEIGHT"),
        (&["--capacity", "0"], "not a factor"),
        (&["--capacity", "NaN"], "not a factor"),
    ] {
        let out = h.forecast(TODAY, args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
    }
    let out = h.forecast(TODAY, &["--defer", "Alpah"]);
    assert!(
        out.stderr.contains("did you mean `Alpha`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn too_little_history_gives_no_forecast_and_says_what_is_missing() {
    let h = History::new("2025-07-14", &[("T", "2025-Q4", 10)]);
    h.weeks("2025-07-14", &["T"], &[2, 2]);
    let v = h.json(TODAY, &[]);
    let t = theme(&v, "T");
    assert_eq!(t["verdict"], "no-forecast");
    assert_eq!(dates(t), ["null"; 3]);
    assert!(
        t["reason"]
            .as_str()
            .expect("reason")
            .contains("2 whole weeks of the 4"),
        "{t}"
    );
    // Nothing done in the window at all.
    let idle = History::new("2025-05-05", &[("T", "2025-Q4", 10)]);
    idle.commit("2025-06-01");
    let v = idle.json(TODAY, &[]);
    assert!(
        theme(&v, "T")["reason"]
            .as_str()
            .expect("reason")
            .contains("nothing was finished")
    );
    let table = idle.forecast(TODAY, &[]);
    assert_eq!(table.code, 0);
    assert!(
        table.stdout.contains("No forecast: nothing was finished"),
        "{}",
        table.stdout
    );
}

#[test]
fn a_plan_outside_git_has_no_history_and_gets_no_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(&dir.path().join("roadlog.yaml"), "product: P\n");
    write(
        &dir.path().join("roadmap/t.yaml"),
        "title: T\nobjective: O\nstatus: active\nhorizon: 2025-Q4\n",
    );
    write(
        &dir.path().join("backlog/B-1.yaml"),
        "title: B\nstatus: todo\ntheme: t\n",
    );
    let out = run_with(
        crate::roadlog()
            .current_dir(dir.path())
            .env(
                "GIT_CEILING_DIRECTORIES",
                dir.path().parent().expect("parent"),
            )
            .args(["forecast", "--today", TODAY, "--format", "json"]),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["themes"][0]["verdict"], "no-forecast");
    assert!(
        v["reason"]
            .as_str()
            .expect("reason")
            .contains("not in a git repository")
    );
}

#[test]
fn done_themes_undated_themes_and_themes_without_work_say_so() {
    let h = History::new(
        "2025-06-02",
        &[("T", "2025-Q4", 40), ("U", "later", 4), ("E", "2025-Q4", 0)],
    );
    h.weeks("2025-06-02", &["T", "U"], &[1, 1, 1, 0, 0, 0, 0, 0]);
    let v = h.json(TODAY, &[]);
    let u = theme(&v, "U");
    assert_eq!(u["verdict"], "undated");
    assert!(
        u["p85"].is_string() && u["p_by_horizon_end"].is_null(),
        "{u}"
    );
    assert_eq!(theme(&v, "E")["verdict"], "no-forecast");
    assert!(
        theme(&v, "E")["reason"]
            .as_str()
            .expect("reason")
            .contains("nothing in the backlog")
    );
    for n in 1..=40 {
        h.set(&format!("T-{n}"), "done");
    }
    h.commit("2025-07-26");
    assert_eq!(theme(&h.json(TODAY, &[]), "T")["verdict"], "done");
}

#[test]
fn backtest_scores_past_forecasts_against_the_real_finish() {
    // From Monday 2025-01-06, A (30 stories) and B (60) each close two a week. A is done on
    // the Tuesday of week 15, 2025-04-15.
    let h = History::new("2025-01-06", &[("A", "2025-Q2", 30), ("B", "2025-Q4", 60)]);
    h.weeks_until("2025-01-06", &[("A", 15), ("B", 25)], 2);
    let v = h.json("2025-06-29", &["--backtest"]);
    let b = &v["backtest"];
    let a_points: Vec<(&str, &str, &str, &str)> = b["points"]
        .as_array()
        .expect("points")
        .iter()
        .filter(|p| p["theme"] == "A")
        .map(|p| {
            (
                p["as_of"].as_str().expect("as_of"),
                p["p50"].as_str().expect("p50"),
                p["finished"].as_str().expect("finished"),
                p["outcome"].as_str().expect("outcome"),
            )
        })
        .collect();
    // Every 4 weeks back from 2025-06-29; 2025-01-12 has under 4 weeks behind it, and by
    // 2025-05-04 A was done. At each, A gets half of 4 a week: the p50 is 2025-04-20.
    assert_eq!(
        a_points,
        vec![
            ("2025-02-09", "2025-04-20", "2025-04-15", "hit"),
            ("2025-03-09", "2025-04-20", "2025-04-15", "hit"),
            ("2025-04-06", "2025-04-20", "2025-04-15", "hit"),
        ]
    );
    let resolved = b["resolved"].as_u64().expect("resolved");
    let hits = b["hits"].as_u64().expect("hits");
    assert!(hits >= 3 && resolved >= hits, "{b}");
    assert_eq!(b["every_weeks"], 4);
    assert_eq!(
        b["median_error_days"].as_i64().map(i64::abs),
        Some(5),
        "{b}"
    );
    let table = h.forecast("2025-06-29", &["--backtest"]);
    assert!(table.stdout.contains("Backtest"), "{}", table.stdout);
}

impl History {
    /// Closes `per_week` items of each theme every Tuesday from `monday`, for as many weeks as
    /// the theme's count says.
    fn weeks_until(&self, monday: &str, themes: &[(&str, usize)], per_week: usize) {
        let start: roadlog_engine::time::Date = monday.parse().expect("date");
        let longest = themes.iter().map(|t| t.1).max().unwrap_or(0);
        for k in 0..longest {
            for (theme, weeks) in themes {
                if k < *weeks {
                    for n in 0..per_week {
                        self.set(&format!("{theme}-{}", k * per_week + n + 1), "done");
                    }
                }
            }
            let day = start.plus_days(7 * i64::try_from(k).expect("small") + 1);
            self.commit(&day.to_string());
        }
    }
}

#[test]
fn the_executive_views_show_each_themes_p85_and_verdict_and_nothing_of_items() {
    // 40% done with 28% of 2025-Q3 gone is on track by progress; the forecast (2025-10-19,
    // after the quarter ends) says it will miss, so it is at risk.
    let h = History::new("2025-06-02", &[("T", "2025-Q3", 40)]);
    h.weeks("2025-06-02", &["T"], &[2; 8]);
    let out = h.forecast(TODAY, &[]);
    assert_eq!(out.code, 0);
    let exec = roadlog_in(
        &h.root().join("plan"),
        &["report", "exec", "--today", TODAY, "--format", "json"],
    );
    assert_eq!(exec.code, 0, "{}", exec.stderr);
    let v: Value = serde_json::from_str(&exec.stdout).expect("json");
    let t = &v["themes"][0];
    assert_eq!(
        t["forecast"],
        serde_json::json!({"p85": "2025-10-19", "verdict": "unlikely"})
    );
    assert_eq!(t["health"], "at-risk");
    // One health everywhere: the roadmap says what the executive report says.
    let roadmap = roadlog_in(
        &h.root().join("plan"),
        &["roadmap", "--today", TODAY, "--format", "json"],
    );
    let r: Value = serde_json::from_str(&roadmap.stdout).expect("json");
    assert_eq!(r["rows"][0]["health"], "at-risk", "{r}");
    let table = roadlog_in(
        &h.root().join("plan"),
        &["report", "exec", "--today", TODAY],
    );
    assert!(
        table
            .stdout
            .contains("forecast unlikely by 2025-10-19 (p85)"),
        "{}",
        table.stdout
    );
    let site = h.root().join("site");
    let publish = run_with(
        crate::roadlog()
            .current_dir(h.root().join("plan"))
            .args(["publish", "--today", TODAY, "--out"])
            .arg(&site),
    );
    assert_eq!(publish.code, 0, "{}", publish.stderr);
    let index = std::fs::read_to_string(site.join("index.html")).expect("index.html");
    assert!(index.contains(r#"data-verdict="unlikely""#), "{index}");
    assert!(index.contains("done by 2025-10-19 in 85% of trials"));
    for n in 1..=40 {
        assert!(
            !index.contains(&format!("T-{n}")),
            "item id T-{n} in index.html"
        );
    }
}

#[test]
fn diff_with_forecast_says_how_the_change_moves_each_themes_p85() {
    let h = History::new("2025-06-02", &[("A", "2025-Q4", 20), ("B", "2025-Q4", 20)]);
    h.weeks("2025-06-02", &["A", "B"], &[1; 8]);
    for n in 21..=26 {
        h.set(&format!("A-{n}"), "todo");
    }
    let plan = h.root().join("plan");
    let out = roadlog_in(
        &plan,
        &["diff", "--forecast", "--today", TODAY, "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("json");
    // Six more stories for A, which finishes one a week of its own: six weeks later.
    assert_eq!(
        v["forecast"]["moves"],
        serde_json::json!([{
            "id": "A", "title": "Theme A",
            "p85_before": "2025-10-19", "p85_after": "2025-11-30", "moves": 42,
            "verdict_before": "likely", "verdict_after": "likely"
        }])
    );
    let md = roadlog_in(
        &plan,
        &[
            "diff",
            "--forecast",
            "--today",
            TODAY,
            "--format",
            "markdown",
        ],
    );
    assert!(md.stdout.contains("## Forecast"), "{}", md.stdout);
    assert!(md.stdout.contains("42 days later"), "{}", md.stdout);
    // Without --forecast the diff reads no history and says nothing of dates.
    let plain = roadlog_in(&plan, &["diff", "--today", TODAY, "--format", "json"]);
    let v: Value = serde_json::from_str(&plain.stdout).expect("json");
    assert!(v.get("forecast").is_none(), "{v}");
}

/// The example plan with weeks of history, as `examples/acme-history.sh` (which the README and
/// docs/forecast.md point at) builds it, in `plan/` of a new folder.
pub(crate) fn acme_history() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme-history.sh");
    let out = std::process::Command::new("bash")
        .arg(&script)
        .arg(dir.path().join("plan"))
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

#[test]
fn the_example_plan_forecast_is_the_one_docs_forecast_md_shows() {
    let dir = acme_history();
    let plan = dir.path().join("plan");
    let run = |args: &[&str]| {
        let out = run_with(
            crate::roadlog()
                .current_dir(&plan)
                .env("COLUMNS", "120")
                .args(["forecast", "--today", "2026-12-01"])
                .args(args),
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    insta::assert_snapshot!("forecast_acme", run(&[]));
    insta::assert_snapshot!(
        "forecast_acme_defer",
        run(&["--defer", "enterprise-security", "--model", "share"])
    );
    let json: Value = serde_json::from_str(&run(&["--format", "json"])).expect("json");
    insta::assert_snapshot!(
        "forecast_acme_json",
        serde_json::to_string_pretty(&json).expect("json")
    );
}

#[test]
fn a_window_shorter_than_four_weeks_is_refused_naming_the_minimum() {
    let h = History::new("2025-06-02", &[("T", "2025-Q4", 40)]);
    h.weeks("2025-06-02", &["T"], &[2; 8]);
    for window in ["1", "2", "3"] {
        let out = h.forecast(TODAY, &["--window", window]);
        assert_eq!(out.code, 2, "{}", out.stdout);
        assert!(out.stderr.contains("4..=260"), "{}", out.stderr);
    }
    assert_eq!(h.forecast(TODAY, &["--window", "4"]).code, 0);
}

#[test]
fn a_backtest_replays_the_plan_as_it_stood_and_counts_open_overruns() {
    // T has 20 stories, two done a week from 2025-01-06; on 2025-03-03 it gains 20 more, and
    // from 2025-03-10 nobody works on it.
    let h = History::new("2025-01-06", &[("T", "2025-Q4", 20)]);
    h.weeks("2025-01-06", &["T"], &[2; 8]);
    for n in 21..=40 {
        write(
            &h.root().join(format!("plan/backlog/T-{n}.yaml")),
            "title: Later story\nstatus: todo\ntheme: T\n",
        );
    }
    h.commit("2025-03-03");
    h.commit("2025-06-01");
    let v = h.json("2025-06-29", &["--backtest", "--no-calibrate"]);
    let b = &v["backtest"];
    let point = |as_of: &str| {
        b["points"]
            .as_array()
            .expect("points")
            .iter()
            .find(|p| p["as_of"] == as_of)
            .unwrap_or_else(|| panic!("no point on {as_of}: {b}"))
            .clone()
    };
    // On 2025-02-09 the plan held 20 stories, 10 of them done: 10 open, not the 30 of today.
    assert_eq!(point("2025-02-09")["remaining"], 10.0, "{b}");
    assert_eq!(point("2025-03-09")["remaining"], 24.0, "{b}");
    // T never finished: its forecasts of February and March are late by at least today − p50,
    // and the median error counts them.
    let late = point("2025-02-09");
    assert_eq!(late["outcome"], "miss", "{late}");
    let error = b["median_error_days"].as_i64().expect("an error figure");
    assert!(error > 60, "{b}");
}

#[test]
fn a_renamed_item_is_no_new_scope_and_no_finished_work() {
    let h = History::new("2025-06-02", &[("T", "2025-Q4", 10)]);
    h.weeks("2025-06-02", &["T"], &[1; 5]);
    let plan = h.root().join("plan");
    let renamed = roadlog_in(&plan, &["rename", "T-9", "T-900", "--today", TODAY]);
    assert_eq!(renamed.code, 0, "{}", renamed.stderr);
    h.commit("2025-07-10");
    let v = h.json(TODAY, &[]);
    let t = theme(&v, "T");
    assert_eq!(t["growth"], 0.0, "a rename is no new scope: {t}");
    assert_eq!(t["remaining"], 5.0);
    let weeks: f64 = v["throughput"]["weeks"]
        .as_array()
        .expect("weeks")
        .iter()
        .map(|w| w["done"].as_f64().expect("done"))
        .sum();
    assert_eq!(weeks, 5.0, "a rename finishes nothing: {v}");
}

#[test]
fn an_undated_theme_shows_no_date_to_customers() {
    let h = History::new("2025-06-02", &[("T", "next", 40)]);
    h.weeks("2025-06-02", &["T"], &[2; 8]);
    let plan = h.root().join("plan");
    let internal = roadlog_in(
        &plan,
        &["report", "exec", "--today", TODAY, "--format", "json"],
    );
    let v: Value = serde_json::from_str(&internal.stdout).expect("json");
    assert_eq!(v["themes"][0]["forecast"]["verdict"], "undated", "{v}");
    let external = roadlog_in(
        &plan,
        &[
            "report",
            "exec",
            "--external",
            "--today",
            TODAY,
            "--format",
            "json",
        ],
    );
    let v: Value = serde_json::from_str(&external.stdout).expect("json");
    assert_eq!(v["themes"][0]["forecast"]["p85"], Value::Null, "{v}");
}

#[test]
fn the_pm_page_draws_how_often_past_forecasts_came_true() {
    // Four themes closing two stories a week each from 2025-01-06, done one after another: by
    // September, the forecasts replayed every four weeks have resolved for all of them.
    let h = History::new(
        "2025-01-06",
        &[
            ("A", "2025-Q2", 16),
            ("B", "2025-Q3", 24),
            ("C", "2025-Q3", 32),
            ("D", "2025-Q4", 40),
        ],
    );
    h.weeks_until(
        "2025-01-06",
        &[("A", 8), ("B", 12), ("C", 16), ("D", 20)],
        2,
    );
    let v = h.json("2025-09-01", &[]);
    let resolved = v["calibration"]["resolved"].as_u64().expect("resolved");
    assert!(resolved >= 10, "{}", v["calibration"]);
    let p85 = &v["calibration"]["levels"][1];
    let site = tempfile::tempdir().expect("tempdir");
    let out = site.path().join("site");
    let run = roadlog_in(
        &h.root().join("plan"),
        &[
            "publish",
            "--today",
            "2025-09-01",
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pm = std::fs::read_to_string(out.join("pm.html")).expect("pm.html");
    assert!(pm.contains("Forecast reliability"), "{pm}");
    assert!(pm.contains("<svg class=\"chart\" role=\"img\""), "{pm}");
    let row = format!("<td>{} of {}</td>", p85["hits"], p85["of"]);
    assert!(pm.contains(&row), "{row} in {pm}");
    assert!(
        pm.contains(&format!("Calibrated on {resolved} resolved")),
        "{pm}"
    );
}
