//! Reports on the `reports` fixture plan: every view in every format snapshotted, the executive
//! view proven free of backlog detail, figures checked by hand, bad input refused.

use crate::{TODAY, fixture, run};

fn report(args: &[&str]) -> crate::Run {
    let plan = fixture("reports");
    let mut all = args.to_vec();
    all.extend(["--today", TODAY, "--plan", plan.to_str().expect("utf-8")]);
    run(&all)
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = report(&all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("json")
}

#[test]
fn every_report_in_every_format() {
    let cases: &[(&str, &[&str])] = &[
        ("progress", &["progress"]),
        ("progress_all", &["progress", "--all"]),
        ("exec", &["report", "exec"]),
        ("exec_external", &["report", "exec", "--external"]),
        ("team", &["report", "team"]),
        (
            "team_okapi",
            &["report", "team", "--sprint", "SPRINT-OKAPI", "--limit", "2"],
        ),
        ("pm", &["report", "pm"]),
        ("trace_item", &["trace", "ITEM-ZEBRA-8"]),
        ("trace_theme", &["trace", "growth"]),
        ("roadmap", &["roadmap"]),
    ];
    for (name, args) in cases {
        for format in ["table", "markdown", "json"] {
            let mut all = args.to_vec();
            all.extend(["--format", format]);
            let out = report(&all);
            assert_eq!(out.code, 0, "{name} {format}: {}", out.stderr);
            assert_eq!(
                out.stderr,
                "note: `roadlog check` finds 0 errors and 5 warnings in this plan (not counting \
                 `stale-item` and `suspect-item`, which read git history); run it to see them\n",
                "{name} {format}"
            );
            insta::assert_snapshot!(format!("{name}__{format}"), out.stdout);
        }
    }
    let out = report(&["roadmap", "--format", "mermaid"]);
    insta::assert_snapshot!("roadmap__mermaid", out.stdout);
}

#[test]
fn the_executive_view_never_shows_backlog_detail() {
    // Every item title, id and acceptance criterion holds ZEBRA; assignees and sprints are named
    // so they cannot appear by accident.
    let forbidden = ["ZEBRA", "assignee-", "SPRINT-", "quokka", "wombat", "lemur"];
    for external in [false, true] {
        for format in ["table", "markdown", "json"] {
            let mut args = vec!["report", "exec", "--format", format];
            if external {
                args.push("--external");
            }
            let out = report(&args);
            assert_eq!(out.code, 0);
            for word in forbidden {
                assert!(
                    !out.stdout.contains(word),
                    "exec {format} external={external} shows `{word}`:\n{}",
                    out.stdout
                );
            }
            // Internal themes and owners show only in the internal view.
            for word in ["Internal Infra Hardening", "Owner Ada", "Owner Bob"] {
                assert_eq!(
                    out.stdout.contains(word),
                    !external,
                    "exec {format} external={external}: `{word}`"
                );
            }
            assert!(
                !out.stdout.contains("Abandoned Bet"),
                "dropped themes are not on the roadmap"
            );
        }
    }
}

#[test]
fn progress_json_has_the_documented_fields_and_figures() {
    let v = json(&["progress"]);
    let themes = v["themes"].as_array().expect("themes");
    let ids: Vec<&str> = themes
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        vec!["growth", "infra", "partners", "lonely"],
        "by priority; done and dropped hidden"
    );
    let growth = &themes[0];
    let mut keys: Vec<&str> = growth
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        vec![
            "done",
            "horizon",
            "id",
            "items",
            "progress",
            "status",
            "title",
            "total",
            "unestimated"
        ]
    );
    // Leaves: 2 done (5), 3 review (3), 4 todo (unestimated: 2), 5 blocked (1), 8 todo (2); 6 is wontdo.
    assert_eq!(growth["done"], 5.0);
    assert_eq!(growth["total"], 13.0);
    assert_eq!(growth["progress"], 5.0 / 13.0);
    assert_eq!(
        growth["items"],
        serde_json::json!({"open": 4, "done": 1, "wontdo": 1})
    );
    assert_eq!(growth["unestimated"], 1);
    assert_eq!(
        themes[3]["progress"],
        serde_json::Value::Null,
        "a theme with nothing to weigh has no progress"
    );
    let all = json(&["progress", "--all"]);
    assert_eq!(all["themes"].as_array().expect("themes").len(), 6);
}

#[test]
fn pm_json_alignment_and_lists() {
    let v = json(&["report", "pm"]);
    // Open leaf weight: 3+2+1+2 (growth) + 3 (infra) + 1 (legacy) + 2 (orphan) + 4 (partners) = 18,
    // of which active themes hold 11. The sprint holds 5+3+2+1 (growth) + 2 (orphan) = 13.
    assert_eq!(
        v["alignment"],
        serde_json::json!({"open_share": 11.0 / 18.0, "sprint_share": 11.0 / 13.0, "current_sprint": "SPRINT-NARWHAL"})
    );
    assert_eq!(v["orphans"], serde_json::json!(["ITEM-ZEBRA-12"]));
    assert_eq!(
        v["drift"],
        serde_json::json!([{"item": "ITEM-ZEBRA-11", "theme": "legacy", "theme_status": "done"}])
    );
    assert_eq!(v["empty_themes"], serde_json::json!(["lonely"]));
    assert_eq!(
        v["stale_themes"],
        serde_json::json!([{"id": "infra", "reviewed": "2025-06-01", "days": 75}])
    );
    let growth = &v["themes"][0];
    let tree: Vec<(u64, &str)> = growth["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| {
            (
                r["depth"].as_u64().expect("depth"),
                r["id"].as_str().expect("id"),
            )
        })
        .collect();
    assert_eq!(tree[0], (0, "ITEM-ZEBRA-1"));
    assert!(tree.contains(&(2, "ITEM-ZEBRA-8")), "{tree:?}");
}

#[test]
fn team_puts_blocked_first_and_flags_open_dependencies() {
    let v = json(&["report", "team"]);
    let statuses: Vec<&str> = v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, vec!["blocked", "review", "todo", "done"]);
    let todo = &v["groups"][2]["items"][0];
    assert_eq!(todo["id"], "ITEM-ZEBRA-4");
    assert_eq!(
        todo["depends_on"],
        serde_json::json!([{"id": "ITEM-ZEBRA-5", "done": false}])
    );
    assert_eq!(v["sprint"]["committed"], 13.0);
    assert_eq!(v["sprint"]["done"], 5.0);
}

#[test]
fn mermaid_output_keeps_to_the_gantt_grammar() {
    let out = report(&["roadmap", "--format", "mermaid"]);
    assert_gantt(&out.stdout);
    // Undated themes get no bar on made-up dates: they are named in comments only.
    let dir = crate::real_plans::plan_with(&[
        (
            "roadmap/old.yaml",
            "title: Old win\nobjective: O\nstatus: done\n",
        ),
        (
            "roadmap/soon.yaml",
            "title: Soon\nobjective: O\nstatus: proposed\nhorizon: next\n",
        ),
        (
            "roadmap/now.yaml",
            "title: Now\nobjective: O\nstatus: active\nhorizon: now\nreviewed: 2025-08-01\n",
        ),
    ]);
    let out = crate::run_with(
        crate::roadlog()
            .args(["roadmap", "--format", "mermaid", "--today", TODAY, "--plan"])
            .arg(dir.path()),
    );
    assert_gantt(&out.stdout);
    for (title, bucket) in [("Soon", "next"), ("Now", "now"), ("Old win", "undated")] {
        let comment = format!("    %% {bucket}: {title} (");
        assert!(out.stdout.contains(&comment), "{comment}\n{}", out.stdout);
        assert!(
            !out.stdout
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{title} "))),
            "no bar for {title}:\n{}",
            out.stdout
        );
    }
}

/// Every line of `chart` is one Mermaid accepts in a Gantt chart.
fn assert_gantt(chart: &str) {
    let mut lines = chart.lines();
    assert_eq!(lines.next(), Some("gantt"));
    for line in lines {
        let body = line.strip_prefix("    ").expect("indented");
        if body.starts_with("title ") || body.starts_with("section ") || body.starts_with("%% ") {
            assert!(!body.contains(':') || body.starts_with("%% "), "{line}");
            continue;
        }
        if [
            "dateFormat YYYY-MM-DD",
            "axisFormat %Y-%m",
            "tickInterval 1month",
            "tickInterval 3month",
        ]
        .contains(&body)
        {
            continue;
        }
        let (name, meta) = body
            .split_once(" :")
            .unwrap_or_else(|| panic!("task line: {line}"));
        assert!(!name.contains([':', ';', '#']), "{line}");
        let parts: Vec<&str> = meta.split(", ").collect();
        let (tags, dates) = parts.split_at(parts.len() - 2);
        assert!(
            tags.iter()
                .all(|t| ["done", "active", "crit", "milestone"].contains(t)),
            "{line}"
        );
        let start: roadlog_engine::time::Date = dates[0].parse().expect("ISO start");
        if tags.contains(&"milestone") {
            assert_eq!(dates[1], "0d", "{line}");
            continue;
        }
        let end: roadlog_engine::time::Date = dates[1].parse().expect("ISO end");
        assert!(start < end, "{line}");
    }
}

#[test]
fn unknown_ids_and_sprints_are_exit_2_with_a_suggestion() {
    let out = report(&["trace", "ITEM-ZEBRA-99"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: no theme or item has the id `ITEM-ZEBRA-99`\n  help: did you mean `ITEM-ZEBRA-9`?\n"
    );
    let out = report(&["report", "team", "--sprint", "SPRINT-NARWAL"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `SPRINT-NARWHAL`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_empty_plan_gives_empty_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("roadlog.yaml"), "").expect("write");
    let plan = dir.path().to_str().expect("utf-8");
    for args in [
        &["progress"][..],
        &["report", "exec"],
        &["report", "team"],
        &["report", "pm"],
        &["roadmap"],
        &["roadmap", "--format", "mermaid"],
    ] {
        for format in ["table", "json"] {
            let mut all = args.to_vec();
            if args.len() < 3 {
                all.extend(["--format", format]);
            }
            all.extend(["--plan", plan]);
            let out = run(&all);
            assert_eq!(out.code, 0, "{all:?}: {}", out.stderr);
            assert_eq!(out.stderr, "", "{all:?}");
        }
    }
    let v: serde_json::Value =
        serde_json::from_str(&run(&["report", "pm", "--format", "json", "--plan", plan]).stdout)
            .expect("json");
    assert_eq!(v["alignment"]["open_share"], serde_json::Value::Null);
}

#[test]
fn reports_work_on_a_plan_with_errors_and_say_so() {
    let plan = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let out = run(&[
        "progress",
        "--today",
        "2026-11-24",
        "--plan",
        plan.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("enterprise-security"));
    assert_eq!(
        out.stderr,
        "note: `roadlog check` finds 2 errors and 4 warnings in this plan (not counting \
         `stale-item` and `suspect-item`, which read git history); run it to see them\n"
    );
}

#[test]
fn the_note_leaves_out_only_the_rules_that_read_git_history() {
    // No current sprint: `check` skips `sprint-misaligned` too, but not for want of history.
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path();
    std::fs::write(p.join("roadlog.yaml"), "").expect("write");
    std::fs::create_dir_all(p.join("backlog")).expect("mkdir");
    std::fs::write(p.join("backlog/A-1.yaml"), "title: A\nstatus: todo\n").expect("write");
    let out = run(&["progress", "--plan", p.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "note: `roadlog check` finds 0 errors and 1 warning in this plan (not counting \
         `stale-item` and `suspect-item`, which read git history); run it to see them\n"
    );
}

#[test]
fn team_and_pm_tables_fit_60_80_and_120_columns_without_cutting_ids() {
    for columns in [60, 80, 120] {
        for (name, args) in [("team", &["report", "team"][..]), ("pm", &["report", "pm"])] {
            let out = crate::run_with(
                crate::roadlog()
                    .env("COLUMNS", columns.to_string())
                    .args(args)
                    .args(["--today", TODAY, "--plan"])
                    .arg(fixture("reports")),
            );
            assert_eq!(out.code, 0, "{}", out.stderr);
            for line in out
                .stdout
                .lines()
                .filter(|l| l.starts_with(['┌', '│', '╞', '└']))
            {
                assert!(
                    line.chars().count() <= columns,
                    "{name} at {columns}: {line}"
                );
            }
            for id in ["ITEM-ZEBRA-12", "ITEM-ZEBRA-5"] {
                assert!(out.stdout.contains(id), "{name} at {columns} cut {id}");
            }
            insta::assert_snapshot!(format!("{name}__{columns}_columns"), out.stdout);
        }
    }
}

#[test]
fn long_lists_in_report_pm_are_grouped_and_cut_in_text_but_whole_in_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("roadlog.yaml"), "").expect("write");
    std::fs::create_dir_all(root.join("roadmap")).expect("mkdir");
    std::fs::create_dir_all(root.join("backlog")).expect("mkdir");
    std::fs::write(
        root.join("roadmap/old.yaml"),
        "title: Old\nobjective: O\nstatus: done\nhorizon: 2025-Q1\n",
    )
    .expect("write");
    for n in 1..=15 {
        std::fs::write(
            root.join(format!("backlog/A-{n}.yaml")),
            "title: Left open\nstatus: todo\ntheme: old\n",
        )
        .expect("write");
    }
    let plan = root.to_str().expect("utf-8");
    let text = crate::run(&["report", "pm", "--today", crate::TODAY, "--plan", plan]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains(
            "Work on done or dropped themes: old (done, 15 open items): A-1, A-2, A-3, A-4, \
             A-5, A-6, A-7, A-8, A-9, A-10 and 5 more"
        ),
        "{}",
        text.stdout
    );
    let (_, json) = crate::roadlog_json(root, &["report", "pm"]);
    assert_eq!(json["drift"].as_array().map(Vec::len), Some(15));
}

#[test]
fn an_item_whose_theme_does_not_exist_is_among_the_orphans() {
    let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let (_, json) = crate::roadlog_json(&acme, &["report", "pm"]);
    let orphans: Vec<&str> = json["orphans"]
        .as_array()
        .expect("orphans")
        .iter()
        .filter_map(|o| o.as_str())
        .collect();
    // BL-214 names `mobile-experiense`, a typo `check` reports as unknown-theme.
    assert!(orphans.contains(&"BL-214"), "{orphans:?}");
}

/// A plan of the example's themes and one that spans three years, and two whose titles share
/// their first 30 characters.
fn many_quarters() -> tempfile::TempDir {
    let dir = crate::acme_copy();
    let root = dir.path();
    let theme = |id: &str, title: &str, horizon: &str| {
        std::fs::write(
            root.join(format!("roadmap/{id}.yaml")),
            format!("title: {title}\nobjective: O\nstatus: active\nhorizon: {horizon}\nreviewed: 2026-11-01\n"),
        )
        .expect("write");
    };
    theme("long", "Long one", "2025-Q1..2027-Q4");
    theme("flag-eu", "2024H2 flag rollout for the EU", "2026-Q4");
    theme("flag-us", "2024H2 flag rollout for the US", "2026-Q4");
    dir
}

#[test]
fn the_roadmap_fits_the_width_and_tells_alike_titles_apart() {
    let dir = many_quarters();
    for columns in [60, 80, 100] {
        let out = crate::run_with(
            crate::roadlog()
                .env("COLUMNS", columns.to_string())
                .args(["roadmap", "--today", "2026-11-24", "--plan"])
                .arg(dir.path()),
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        for line in out
            .stdout
            .lines()
            .filter(|l| l.starts_with(['┌', '│', '└']))
        {
            assert!(line.chars().count() <= columns, "at {columns}: {line}");
        }
        assert!(
            out.stdout.contains("▼ 2026-Q4"),
            "the current quarter stays"
        );
        // Cut to the same words, the two flag themes show their ids.
        if !out.stdout.contains("2024H2 flag rollout for the EU") {
            assert!(
                out.stdout.contains("(flag-eu)") && out.stdout.contains("(flag-us)"),
                "at {columns}:\n{}",
                out.stdout
            );
        }
        assert!(out.stdout.contains("left out to fit"), "{}", out.stdout);
    }
    // Piped, nothing is cut or left out.
    let piped = crate::run_with(
        crate::roadlog()
            .args(["roadmap", "--today", "2026-11-24", "--plan"])
            .arg(dir.path()),
    );
    assert!(!piped.stdout.contains("left out"), "{}", piped.stdout);
    assert!(piped.stdout.contains("2024H2 flag rollout for the EU"));
    assert!(piped.stdout.contains("2025-Q1") && piped.stdout.contains("2027-Q4"));
}

#[test]
fn a_file_or_a_pipe_gets_every_column_and_a_filter_keeps_its_own() {
    let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    // No COLUMNS and stdout not a terminal: the acceptance criteria are all there.
    let team = crate::run_with(
        crate::roadlog()
            .args(["report", "team", "--today", "2026-11-24", "--plan"])
            .arg(&acme),
    );
    assert!(!team.stdout.contains("left out"), "{}", team.stdout);
    assert!(team.stdout.contains("acceptance"), "{}", team.stdout);
    // Narrow: the filter's own column stays.
    let blocked = crate::run_with(
        crate::roadlog()
            .env("COLUMNS", "50")
            .args(["list", "--blocked", "--today", "2026-11-24", "--plan"])
            .arg(&acme),
    );
    assert!(blocked.stdout.contains("waits on"), "{}", blocked.stdout);
}

#[test]
fn next_up_shows_each_status_and_marks_work_carried_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(
        root.join("roadlog.yaml"),
        "sprints:\n  - { id: S1, start: 2025-08-01, end: 2025-08-10 }\n  - { id: S2, start: 2025-08-11, end: 2025-08-24 }\n",
    )
    .expect("write");
    std::fs::create_dir_all(root.join("backlog")).expect("mkdir");
    for (id, status, sprint) in [
        ("A-1", "todo", "S1"),
        ("A-2", "blocked", ""),
        ("A-3", "done", "S1"),
    ] {
        let sprint = if sprint.is_empty() {
            String::new()
        } else {
            format!("sprint: {sprint}\n")
        };
        std::fs::write(
            root.join(format!("backlog/{id}.yaml")),
            format!("title: Work {id}\nstatus: {status}\n{sprint}"),
        )
        .expect("write");
    }
    let out = crate::run_with(
        crate::roadlog()
            .args(["report", "team", "--today", crate::TODAY, "--plan"])
            .arg(root),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let next = out
        .stdout
        .split("Next up")
        .nth(1)
        .expect("a Next up section");
    assert!(next.contains("status"), "{next}");
    assert!(next.contains("blocked"), "a blocked item says so: {next}");
    assert!(next.contains("Work A-1 (carried over from S1)"), "{next}");
    assert!(
        !out.stdout.contains("Work A-3 (carried"),
        "done work is not carried over"
    );
    let (_, json) = crate::roadlog_json(root, &["report", "team"]);
    assert_eq!(json["next"][0]["carried_over"], "S1", "{json}");
}

#[test]
fn colour_always_colours_the_verdicts_in_tables_and_never_means_never() {
    let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    let roadmap = |color: &str| {
        crate::run_with(
            crate::roadlog()
                .args([
                    "roadmap",
                    "--today",
                    "2026-11-24",
                    "--color",
                    color,
                    "--plan",
                ])
                .arg(&acme),
        )
        .stdout
    };
    let coloured = roadmap("always");
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    assert!(!roadmap("never").contains('\u{1b}'));
    assert!(!roadmap("auto").contains('\u{1b}'), "a pipe is no terminal");
}
