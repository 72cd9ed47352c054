use std::collections::HashMap;

use super::throughput::{ItemState, Tracker};
use super::window::Window;
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
    }
}

fn file(path: &str, items: Vec<ItemState>) -> (String, Option<Vec<ItemState>>) {
    (path.into(), Some(items))
}

fn gone(path: &str) -> (String, Option<Vec<ItemState>>) {
    (path.into(), None)
}

fn tracker() -> Tracker {
    let attribution = [("A", 0), ("B", 0), ("C", 1)]
        .into_iter()
        .map(|(id, t)| (id.to_string(), t))
        .collect();
    Tracker::new(attribution, Vec::new())
}

fn finished(t: Tracker) -> Vec<(String, Date)> {
    let mut out: Vec<(String, Date)> = t
        .finish()
        .finished
        .into_iter()
        .map(|(id, f)| (id, f.date))
        .collect();
    out.sort();
    out
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
    assert_eq!(h.finished.get("A").map(|f| f.date), Some(day("2025-01-08")));
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
    let mut t = Tracker::new(HashMap::new(), Vec::new());
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
    assert_eq!(h.finished.get("S").map(|f| f.leaf), Some(true));
    assert_eq!(h.finished.get("E").map(|f| f.leaf), Some(false));
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
    let attribution = [("A", 0), ("B", 0)]
        .into_iter()
        .map(|(i, t)| (i.to_string(), t))
        .collect();
    let mut t = Tracker::new(attribution, vec![day("2025-01-05"), day("2025-01-12")]);
    t.start(
        day("2025-01-01"),
        vec![("b/T.yaml".into(), vec![item("A", false), item("B", false)])],
    );
    t.commit(
        day("2025-01-08"),
        vec![file("b/T.yaml", vec![item("A", true), item("B", false)])],
    );
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
        h.finishes(0).collect::<Vec<_>>(),
        vec![day("2025-01-15"), day("2025-01-25")]
    );
    let open: Vec<(Date, f64)> = h
        .snapshots
        .iter()
        .map(|s| (s.date, s.open.get(&0).copied().unwrap_or(0.0)))
        .collect();
    assert_eq!(
        open,
        vec![(day("2025-01-05"), 2.0), (day("2025-01-12"), 1.0)]
    );
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
    let h = t.finish();
    let attribution: HashMap<String, usize> = [("A", 0), ("B", 0), ("C", 1)]
        .into_iter()
        .map(|(i, t)| (i.to_string(), t))
        .collect();
    // Weeks end on 2025-02-02, a Sunday: four start on or after 2025-01-06, when history began.
    let w = Window::read(&h, day("2025-02-02"), 12, &attribution, |_| Some(1.0));
    let starts: Vec<String> = w.starts.iter().map(ToString::to_string).collect();
    assert_eq!(
        starts,
        ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"]
    );
    assert_eq!(w.done, [1.0, 0.0, 2.0, 0.0]);
    assert_eq!(w.by_theme.get(&0), Some(&2.0));
    assert_eq!(w.by_theme.get(&1), Some(&1.0));
    let narrow = Window::read(&h, day("2025-02-02"), 2, &attribution, |_| Some(1.0));
    assert_eq!(narrow.done, [2.0, 0.0]);
}
