use std::collections::HashMap;

use super::throughput::{ItemState, ThemeAt, Tracker};
use super::window::{Leaves, Window};
use crate::time::Date;

fn day(s: &str) -> Date {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn item(id: &str, done: bool) -> ItemState {
    ItemState {
        id: id.into(),
        done,
        wontdo: false,
        done_on: None,
        weight: 1.0,
        parent: None,
        theme: Some("t".into()),
        aliases: Vec::new(),
    }
}

fn file(path: &str, items: Vec<ItemState>) -> (String, Option<Vec<ItemState>>) {
    (path.into(), Some(items))
}

fn gone(path: &str) -> (String, Option<Vec<ItemState>>) {
    (path.into(), None)
}

fn tracker() -> Tracker {
    Tracker::new(HashMap::new())
}

/// The turns to done that stand at the end, by id and day.
fn finished(t: Tracker) -> Vec<(String, Date)> {
    let mut out: Vec<(String, Date)> = t
        .finish()
        .done
        .into_iter()
        .filter(|d| d.reopened.is_none())
        .map(|d| (d.id, d.date))
        .collect();
    out.sort();
    out
}

fn leaves(of: &[(&str, &str)]) -> Leaves {
    of.iter()
        .map(|(id, t)| ((*id).to_string(), ((*t).to_string(), 1.0)))
        .collect()
}

#[test]
fn an_item_is_done_on_the_commit_where_its_status_turned_done() {
    let mut t = tracker();
    t.start(
        day("2025-01-01"),
        vec![("b/A.yaml".into(), vec![item("A", false)])],
    );
    t.commit(
        day("2025-01-08"),
        vec![file("b/A.yaml", vec![item("A", false)])],
    );
    t.commit(
        day("2025-01-15"),
        vec![file("b/A.yaml", vec![item("A", true)])],
    );
    t.commit(
        day("2025-01-22"),
        vec![file("b/A.yaml", vec![item("A", true)])],
    );
    assert_eq!(finished(t), vec![("A".into(), day("2025-01-15"))]);
}

#[test]
fn reopened_items_are_not_done_and_the_last_turn_counts() {
    let mut t = tracker();
    t.start(
        day("2025-01-01"),
        vec![("b/A.yaml".into(), vec![item("A", false)])],
    );
    t.commit(
        day("2025-01-08"),
        vec![file("b/A.yaml", vec![item("A", true)])],
    );
    t.commit(
        day("2025-01-09"),
        vec![file("b/A.yaml", vec![item("A", false)])],
    );
    let mut reopened = tracker();
    reopened.start(
        day("2025-01-01"),
        vec![("b/A.yaml".into(), vec![item("A", false)])],
    );
    reopened.commit(
        day("2025-01-08"),
        vec![file("b/A.yaml", vec![item("A", true)])],
    );
    reopened.commit(
        day("2025-01-09"),
        vec![file("b/A.yaml", vec![item("A", false)])],
    );
    reopened.commit(
        day("2025-02-01"),
        vec![file("b/A.yaml", vec![item("A", true)])],
    );
    assert_eq!(finished(t), vec![]);
    assert_eq!(finished(reopened), vec![("A".into(), day("2025-02-01"))]);
}

#[test]
fn done_on_is_the_day_when_written_even_for_an_item_added_done() {
    let mut t = tracker();
    t.start(day("2025-01-01"), vec![]);
    let mut b = item("B", true);
    b.done_on = Some(day("2024-12-20"));
    t.commit(
        day("2025-01-08"),
        vec![file("b/B.yaml", vec![b, item("C", true)])],
    );
    // C appeared already done without done_on: when it was done is unknown.
    assert_eq!(finished(t), vec![("B".into(), day("2024-12-20"))]);
}

#[test]
fn a_renamed_file_keeps_its_items_history() {
    let mut t = tracker();
    t.start(
        day("2025-01-01"),
        vec![("b/old.yaml".into(), vec![item("A", false)])],
    );
    t.commit(
        day("2025-01-08"),
        vec![
            gone("b/old.yaml"),
            file("b/new.yaml", vec![item("A", true)]),
        ],
    );
    let h = {
        t.commit(day("2025-01-09"), vec![]);
        t.finish()
    };
    let a = h.done.iter().find(|d| d.id == "A").map(|d| d.date);
    assert_eq!(a, Some(day("2025-01-08")));
    assert!(!h.first_seen.contains_key("A"), "a move is not new scope");
}

#[test]
fn an_item_moved_between_files_in_either_order_is_the_same_item() {
    for order in [[0, 1], [1, 0]] {
        let mut t = tracker();
        t.start(
            day("2025-01-01"),
            vec![("b/x.yaml".into(), vec![item("A", false)])],
        );
        let parts = [gone("b/x.yaml"), file("b/y.yaml", vec![item("A", true)])];
        t.commit(
            day("2025-01-08"),
            order.iter().map(|&i| parts[i].clone()).collect(),
        );
        assert_eq!(
            finished(t),
            vec![("A".into(), day("2025-01-08"))],
            "{order:?}"
        );
    }
}

#[test]
fn removed_items_keep_the_work_they_did() {
    let mut t = tracker();
    t.start(
        day("2025-01-01"),
        vec![("b/A.yaml".into(), vec![item("A", false)])],
    );
    t.commit(
        day("2025-01-08"),
        vec![file("b/A.yaml", vec![item("A", true)])],
    );
    t.commit(day("2025-01-15"), vec![gone("b/A.yaml")]);
    assert_eq!(finished(t), vec![("A".into(), day("2025-01-08"))]);
}

#[test]
fn a_parent_done_with_its_children_is_not_a_leaf() {
    let mut t = tracker();
    let mut child = item("S", false);
    child.parent = Some("E".into());
    t.start(
        day("2025-01-01"),
        vec![("b/E.yaml".into(), vec![item("E", false), child.clone()])],
    );
    child.done = true;
    t.commit(
        day("2025-01-08"),
        vec![file("b/E.yaml", vec![item("E", true), child])],
    );
    let h = t.finish();
    let leaf = |id: &str| h.done.iter().find(|d| d.id == id).map(|d| d.leaf);
    assert_eq!(leaf("S"), Some(true));
    assert_eq!(leaf("E"), Some(false));
}

#[test]
fn new_items_after_the_start_are_scope_growth_and_the_start_is_not() {
    let mut t = tracker();
    t.start(
        day("2025-01-01"),
        vec![("b/A.yaml".into(), vec![item("A", false)])],
    );
    t.commit(
        day("2025-01-10"),
        vec![file("b/C.yaml", vec![item("C", false)])],
    );
    let h = t.finish();
    assert_eq!(h.first_seen.get("C"), Some(&day("2025-01-10")));
    assert_eq!(h.first_seen.get("A"), None);
}

#[test]
fn a_theme_empties_when_its_last_leaf_is_done_and_snapshots_see_the_open_weight() {
    let mut t = tracker();
    t.start(
        day("2025-01-01"),
        vec![("b/T.yaml".into(), vec![item("A", false), item("B", false)])],
    );
    t.snapshot(day("2025-01-05"), Vec::new());
    t.commit(
        day("2025-01-08"),
        vec![file("b/T.yaml", vec![item("A", true), item("B", false)])],
    );
    t.snapshot(day("2025-01-12"), Vec::new());
    t.commit(
        day("2025-01-15"),
        vec![file("b/T.yaml", vec![item("A", true), item("B", true)])],
    );
    t.commit(
        day("2025-01-20"),
        vec![file("b/T.yaml", vec![item("A", true), item("B", false)])],
    );
    t.commit(
        day("2025-01-25"),
        vec![file("b/T.yaml", vec![item("A", true), item("B", true)])],
    );
    let h = t.finish();
    assert_eq!(
        h.finishes("t").collect::<Vec<_>>(),
        vec![day("2025-01-15"), day("2025-01-25")]
    );
    assert_eq!(
        h.finished_after("t", day("2025-01-16")),
        Some(day("2025-01-25"))
    );
    let open: Vec<(Date, f64)> = h
        .snapshots
        .iter()
        .map(|s| (s.date, s.open.get("t").copied().unwrap_or(0.0)))
        .collect();
    assert_eq!(
        open,
        vec![(day("2025-01-05"), 2.0), (day("2025-01-12"), 1.0)]
    );
}

#[test]
fn a_theme_is_finished_only_when_arrivals_are_done_too_and_themes_are_inherited() {
    // A story under an epic naming the theme: the epic is not a leaf, the story serves `t`.
    let mut epic = item("E", false);
    epic.theme = Some("t".into());
    let mut story = item("S", false);
    story.theme = None;
    story.parent = Some("E".into());
    let mut t = tracker();
    t.start(
        day("2025-01-01"),
        vec![("b/E.yaml".into(), vec![epic.clone(), story.clone()])],
    );
    story.done = true;
    // The story is done, but a new one arrives under the epic the same week: not finished.
    let mut late = item("L", false);
    late.theme = None;
    late.parent = Some("E".into());
    t.commit(
        day("2025-01-08"),
        vec![
            file("b/E.yaml", vec![epic.clone(), story.clone()]),
            file("b/L.yaml", vec![late.clone()]),
        ],
    );
    late.done = true;
    t.commit(day("2025-01-20"), vec![file("b/L.yaml", vec![late])]);
    let h = t.finish();
    assert_eq!(h.finishes("t").collect::<Vec<_>>(), vec![day("2025-01-20")]);
}

#[test]
fn a_renamed_item_is_the_same_item_and_a_renamed_theme_the_same_theme() {
    let renamed: HashMap<String, String> = [("old-t".to_string(), "t".to_string())].into();
    let mut t = Tracker::new(renamed);
    let mut a = item("A", false);
    a.theme = Some("old-t".into());
    t.start(day("2025-01-01"), vec![("b/A.yaml".into(), vec![a])]);
    // `rename A A2`: the file moves, the item carries `aliases: [A]`.
    let mut a2 = item("A2", false);
    a2.aliases = vec!["A".into()];
    t.commit(
        day("2025-01-08"),
        vec![gone("b/A.yaml"), file("b/A2.yaml", vec![a2.clone()])],
    );
    a2.done = true;
    t.commit(day("2025-01-15"), vec![file("b/A2.yaml", vec![a2])]);
    let h = t.finish();
    assert!(!h.first_seen.contains_key("A2"), "a rename is no new scope");
    assert_eq!(
        h.finishes("t").collect::<Vec<_>>(),
        vec![day("2025-01-15")],
        "not finished when the old id went, and the old theme id is the theme"
    );
}

#[test]
fn work_finished_before_the_history_began_counts_on_its_done_on() {
    let mut done = item("A", true);
    done.done_on = Some(day("2025-01-10"));
    let mut t = tracker();
    // The walk starts on 2025-01-05, after A's status turned done, before its done_on.
    t.start(day("2025-01-05"), vec![("b/A.yaml".into(), vec![done])]);
    t.commit(day("2025-01-20"), vec![]);
    let h = t.finish();
    let w = Window::read(&h, day("2025-02-02"), 4, &leaves(&[("A", "t")]));
    assert_eq!(w.total(), 1.0, "{w:?}");
}

#[test]
fn the_window_counts_empty_weeks_as_zeros_but_not_weeks_before_the_history() {
    let mut t = tracker();
    t.start(
        day("2025-01-06"),
        vec![(
            "b/T.yaml".into(),
            vec![item("A", false), item("B", false), item("C", false)],
        )],
    );
    t.commit(
        day("2025-01-07"),
        vec![file(
            "b/T.yaml",
            vec![item("A", true), item("B", false), item("C", false)],
        )],
    );
    t.commit(
        day("2025-01-22"),
        vec![file(
            "b/T.yaml",
            vec![item("A", true), item("B", true), item("C", true)],
        )],
    );
    t.commit(
        day("2025-01-23"),
        vec![file("b/D.yaml", vec![item("D", false)])],
    );
    let h = t.finish();
    let leaves = leaves(&[("A", "x"), ("B", "x"), ("C", "y"), ("D", "x")]);
    // Weeks end on 2025-02-02, a Sunday: four start on or after 2025-01-06, when history began.
    let w = Window::read(&h, day("2025-02-02"), 12, &leaves);
    let starts: Vec<String> = w.starts.iter().map(ToString::to_string).collect();
    assert_eq!(
        starts,
        ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"]
    );
    assert_eq!(w.done, [1.0, 0.0, 2.0, 0.0]);
    assert_eq!(w.theme_done.get("x"), Some(&vec![1.0, 0.0, 1.0, 0.0]));
    assert_eq!(w.theme_total("y"), 1.0);
    // D arrived under x in the third week, with that week's work.
    assert_eq!(w.theme_arrived.get("x"), Some(&vec![0.0, 0.0, 1.0, 0.0]));
    let narrow = Window::read(&h, day("2025-02-02"), 2, &leaves);
    assert_eq!(narrow.done, [2.0, 0.0]);
    // As it stood on 2025-01-19: only A was done.
    let then = Window::read(&h, day("2025-01-19"), 12, &leaves);
    assert_eq!(then.total(), 1.0);
    let _ = ThemeAt {
        key: String::new(),
        closed: false,
        horizon_end: None,
        priority: None,
    };
}
