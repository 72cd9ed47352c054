//! Property tests: arbitrary Unicode in every place a user writes text, through every parser of
//! it, must give an answer or a refusal, never a panic. The fuzzers work on bytes and found no
//! non-ASCII horizon; these generate text that is valid UTF-8 and near the shapes the parsers
//! look for (digits, `-`, `Q`, `..`, multi-byte letters next to them), where slicing bugs live.

use proptest::prelude::*;
use roadlog_engine::edit::{self, Change};
use roadlog_engine::load::{self, MemoryTree};
use roadlog_engine::report::Analysis;
use roadlog_engine::rules::{self, Context};
use roadlog_engine::time::{Date, Horizon, Period};

/// Text made of the pieces the parsers split on, mixed with any character at all.
fn near_miss() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("2025".to_string()),
        Just("-".to_string()),
        Just("Q".to_string()),
        Just("q".to_string()),
        Just("..".to_string()),
        Just(" ".to_string()),
        Just("0".to_string()),
        Just("1".to_string()),
        Just("=".to_string()),
        Just(":".to_string()),
        Just("->".to_string()),
        Just("é".to_string()),
        Just("日本".to_string()),
        Just("😀".to_string()),
        Just("\u{202e}".to_string()),
        Just("–".to_string()),
        Just("/".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|parts| parts.concat())
}

/// Any string, or a near miss.
fn user_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), near_miss()]
}

fn today() -> Date {
    Date::new(2025, 8, 15).unwrap_or_else(|| unreachable!("a real day"))
}

/// A small plan whose theme and item carry `value` in the field named, as a double-quoted YAML
/// string (so every character arrives) or written plainly (so the YAML may not even parse).
fn plan_with(field: &str, value: &str, quoted: bool) -> MemoryTree {
    let value = if quoted {
        serde_json::to_string(value).unwrap_or_default()
    } else {
        value.replace('\n', " ")
    };
    let theme = format!(
        "title: Theme\nobjective: Why\nstatus: active\nhorizon: 2025-Q3\nreviewed: 2025-08-01\n{field}: {value}\n"
    );
    let item = format!("title: Item\nstatus: todo\ntheme: t\nestimate: 2\n{field}: {value}\n");
    MemoryTree::new()
        .with(
            "roadlog.yaml",
            "sprints:\n  - { id: S1, start: 2025-08-01, end: 2025-08-14, capacity: 10 }\n",
        )
        .with("roadmap/t.yaml", theme)
        .with("backlog/BL-1.yaml", item)
        .with(
            "backlog/BL-2.yaml",
            "title: Other\nstatus: done\nparent: BL-1\n",
        )
}

/// Loads, checks and analyses the plan in `source`: every stage that reads what a user wrote.
fn check_all(source: &MemoryTree) {
    if let Ok(plan) = load::load(source, "plan") {
        let checked = rules::check(&plan, Context::at(today()));
        let _ = checked.errors();
        let a = Analysis::new(&plan, today());
        let _ = roadlog_engine::report::exec(&a, false);
        let _ = roadlog_engine::report::pm(&a);
        let _ = roadlog_engine::report::team(&a, None, 50);
        let _ = roadlog_engine::report::timeline(&a, true);
        let _ = roadlog_engine::progress::theme_rollups(&plan, &a.trace);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn dates_periods_and_horizons_never_panic(s in user_text()) {
        let _ = s.parse::<Date>();
        let _ = s.parse::<Period>();
        let _ = s.parse::<Horizon>();
        let _ = Horizon::suggest(&s);
    }

    #[test]
    fn ids_never_panic(a in user_text(), b in user_text()) {
        let _ = roadlog_engine::model::is_theme_id(&a);
        let _ = roadlog_engine::model::is_item_id(&a);
        let _ = roadlog_engine::model::natural_cmp(&a, &b);
        let _ = roadlog_engine::model::stem_of(&a);
        let _ = roadlog_engine::diag::did_you_mean(&a, [b.as_str(), "enterprise-security"]);
    }

    #[test]
    fn metrics_never_panic(s in user_text()) {
        let _ = roadlog_engine::author::parse_metric(&s);
    }

    #[test]
    fn every_field_of_a_plan_file_takes_any_text(
        field in prop::sample::select(vec![
            "horizon", "reviewed", "done_on", "estimate", "priority", "sprint", "status", "id",
            "theme", "parent", "kind", "assignee", "title", "metrics", "depends_on", "owner",
        ]),
        value in user_text(),
        quoted in any::<bool>(),
    ) {
        check_all(&plan_with(field, &value, quoted));
    }

    #[test]
    fn the_config_takes_any_text(
        field in prop::sample::select(vec![
            "current_sprint", "id_prefix", "progress_by", "default_estimate",
            "review_cadence_days", "roadmap_dir", "product",
        ]),
        value in user_text(),
    ) {
        let config = format!("{field}: {}\n", serde_json::to_string(&value).unwrap_or_default());
        let sprints = format!(
            "sprints:\n  - {{ id: {}, start: 2025-08-01, end: {} }}\n",
            serde_json::to_string(&value).unwrap_or_default(),
            serde_json::to_string(&value).unwrap_or_default(),
        );
        for text in [config, sprints] {
            let mut source = plan_with("tags", "[a]", false);
            source.insert("roadlog.yaml", text.into_bytes());
            check_all(&source);
        }
    }

    #[test]
    fn set_takes_any_value_for_any_field(
        id in prop::sample::select(vec!["t", "BL-1"]),
        field in prop_oneof![
            prop::sample::select(vec![
                "status", "theme", "parent", "estimate", "priority", "sprint", "assignee",
                "horizon", "reviewed", "done_on", "kind", "visibility", "title", "objective",
                "depends_on", "tags", "acceptance",
            ]).prop_map(str::to_string),
            user_text(),
        ],
        value in user_text(),
        how in 0..4u8,
    ) {
        let source = plan_with("tags", "[a]", false);
        let Ok(plan) = load::load(&source, "plan") else {
            return Err(TestCaseError::fail("the base plan loads"));
        };
        let change = match how {
            0 => Change::To(value),
            1 => Change::Add(value),
            2 => Change::Remove(value),
            _ => Change::Unset,
        };
        let _ = edit::edit(&source, &plan, id, &field, &change, today());
    }

    #[test]
    fn scenarios_take_any_ids(defer in user_text(), drop in user_text(), add in user_text(),
                              capacity in any::<f64>(), weight in any::<f64>()) {
        let source = plan_with("tags", "[a]", false);
        let Ok(plan) = load::load(&source, "plan") else {
            return Err(TestCaseError::fail("the base plan loads"));
        };
        let a = Analysis::new(&plan, today());
        let _ = roadlog_engine::forecast::Scenario::resolve(
            &a, &[defer], &[drop], Some(capacity), &[(add, weight)],
        );
    }
}
