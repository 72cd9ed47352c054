//! The simulation's own tests: exact days where the arithmetic is plain, and bounds where
//! the draws spread them.
#![allow(
    clippy::indexing_slicing,
    reason = "tests index the outcomes of the lanes they built"
)]

use super::*;

fn setup<'a>(lanes: &'a [Lane], weeks: &'a [f64], model: Model) -> Setup<'a> {
    Setup {
        lanes,
        weeks,
        capacity: 1.0,
        model,
        trials: 2000,
        seed: 7,
    }
}

/// A lane with `remaining` weight and `share`, whose own throughput is the team's `weeks`.
fn lane(remaining: f64, share: f64, weeks: &[f64]) -> Lane {
    Lane {
        remaining,
        share,
        done: weeks.to_vec(),
        ..Lane::default()
    }
}

#[test]
fn constant_throughput_lands_on_the_arithmetic_day() {
    // 25 points at 10 a week: 2.5 weeks, day 18 (17.5 rounded up).
    let weeks = [10.0; 12];
    let lanes = [lane(25.0, 1.0, &weeks)];
    for model in [Model::Theme, Model::Share, Model::Rank] {
        let out = run(&setup(&lanes, &weeks, model));
        for q in [0.5, 0.85, 0.95] {
            assert_eq!(out[0].percentile(q), Some(18), "{model:?} {q}");
        }
        assert_eq!(out[0].days.len(), 2000);
    }
}

#[test]
fn a_theme_finishing_exactly_at_a_week_s_end_finishes_in_that_week() {
    // 0.1 + 0.2 + … is never exactly 3 × 0.1 in floating point: 0.3 at 0.1 a week ends on
    // day 21, in every trial.
    let weeks = [0.1];
    let lanes = [lane(0.30000000000000004, 1.0, &weeks)];
    for model in [Model::Theme, Model::Share, Model::Rank] {
        let out = run(&setup(&lanes, &weeks, model));
        assert_eq!(out[0].days.first(), out[0].days.last(), "{model:?}");
        assert_eq!(out[0].percentile(0.5), Some(21), "{model:?}");
    }
}

#[test]
fn alternating_weeks_spread_the_dates_between_the_two_rates() {
    // 40 points at 5 or 15 a week: never sooner than 3 weeks (15+15+15), never later
    // than 8 (5 × 8), and the median near 40 / 10 = 4 weeks.
    let weeks = [5.0, 15.0];
    let lanes = [lane(40.0, 1.0, &weeks)];
    let out = run(&setup(&lanes, &weeks, Model::Theme));
    let (p50, p95) = (out[0].percentile(0.5), out[0].percentile(0.95));
    assert!(out[0].days.iter().all(|&d| (19..=56).contains(&d)));
    assert!(p50.is_some_and(|d| (22..=35).contains(&d)), "{p50:?}");
    assert!(p95 > p50, "{p50:?} {p95:?}");
}

#[test]
fn share_splits_by_share_and_passes_on_what_a_finished_theme_leaves_at_once() {
    // 10 a week, split 3:1. A (6 points at 7.5 a week) finishes 0.8 into week 1, when B has
    // 2 of its 10; from then B gets all 10 a week: 2 more in week 1, 6 in week 2, day 12.
    let lanes = [lane(6.0, 3.0, &[]), lane(10.0, 1.0, &[])];
    let out = run(&setup(&lanes, &[10.0], Model::Share));
    assert_eq!(out[0].percentile(0.5), Some(6)); // 0.8 of a week
    assert_eq!(out[1].percentile(0.5), Some(12)); // 1.6 weeks
    // A finishing in the same week as B gets the leftover straight away: B needs 4, A's
    // leftover lets it finish in week 1 rather than on the week's last day.
    let lanes = [lane(2.0, 1.0, &[]), lane(4.0, 1.0, &[])];
    let out = run(&setup(&lanes, &[10.0], Model::Share));
    assert_eq!(out[0].percentile(0.5), Some(3)); // 2 of its 5 a week: 0.4 of a week
    assert_eq!(out[1].percentile(0.5), Some(5)); // 2 by then, 2 more at 10: 0.6
}

#[test]
fn rank_finishes_one_theme_before_starting_the_next() {
    let lanes = [lane(20.0, 0.0, &[]), lane(10.0, 5.0, &[])];
    let out = run(&setup(&lanes, &[10.0], Model::Rank));
    assert_eq!(out[0].percentile(0.5), Some(14));
    assert_eq!(out[1].percentile(0.5), Some(21));
}

#[test]
fn a_theme_without_share_waits_for_the_others() {
    let lanes = [lane(10.0, 1.0, &[]), lane(10.0, 0.0, &[])];
    let out = run(&setup(&lanes, &[10.0], Model::Share));
    assert_eq!(out[0].percentile(0.5), Some(7));
    assert_eq!(out[1].percentile(0.5), Some(14));
}

#[test]
fn a_deferred_theme_waits_for_every_other_in_every_model() {
    // C is deferred: even themes with no share of their own (B) go first.
    let team = [10.0];
    let mut lanes = [
        lane(10.0, 1.0, &[5.0]),
        lane(10.0, 0.0, &[5.0]),
        lane(5.0, 1.0, &[5.0]),
    ];
    lanes[2].deferred = true;
    for model in [Model::Theme, Model::Share, Model::Rank] {
        let out = run(&setup(&lanes, &team, model));
        let last = out[0].percentile(0.5).max(out[1].percentile(0.5));
        assert!(
            out[2].percentile(0.5) > last,
            "{model:?}: {:?} after {last:?}",
            out[2].percentile(0.5)
        );
    }
}

#[test]
fn the_theme_model_gives_a_theme_only_its_own_throughput() {
    // The team finished 10 a week, all of it under A; B, with nothing finished under it in
    // the window, never finishes, whatever the team does.
    let lanes = [lane(20.0, 1.0, &[10.0]), lane(1.0, 0.0, &[0.0])];
    let out = run(&setup(&lanes, &[10.0], Model::Theme));
    assert_eq!(out[0].percentile(0.5), Some(14));
    assert_eq!(out[1].percentile(0.5), None);
    assert!(out[1].days.is_empty());
}

#[test]
fn arrivals_drawn_with_the_week_s_work_can_keep_a_theme_from_ever_finishing() {
    // Every week 10 is finished and 10 arrives: no finish in sight.
    let mut lanes = [lane(10.0, 1.0, &[10.0])];
    lanes[0].arrived = vec![10.0];
    let out = run(&setup(&lanes, &[10.0], Model::Theme));
    assert_eq!(out[0].percentile(0.5), None);
    assert!(out[0].by(i64::from(MAX_WEEKS) * 7).abs() < 1e-12);
    // Bursty: a week of 20 finished and nothing arrived, or 0 finished and 10 arrived. The
    // same mean growth spread evenly would finish half the time in a week or two; drawn
    // jointly, the bad weeks pile up.
    let mut lanes = [lane(10.0, 1.0, &[20.0, 0.0])];
    lanes[0].arrived = vec![0.0, 10.0];
    let joint = run(&setup(&lanes, &[20.0, 0.0], Model::Theme));
    let first_week = joint[0].by(7);
    assert!((0.45..0.55).contains(&first_week), "{first_week}");
    assert!(joint[0].percentile(0.95) > joint[0].percentile(0.5));
}

#[test]
fn capacity_scales_the_dates() {
    let lanes = [lane(20.0, 1.0, &[10.0])];
    for model in [Model::Theme, Model::Share] {
        let mut s = setup(&lanes, &[10.0], model);
        s.capacity = 0.5;
        assert_eq!(run(&s)[0].percentile(0.85), Some(28), "{model:?}");
    }
}

#[test]
fn a_seed_gives_the_same_outcomes_and_another_seed_others() {
    let weeks = [0.0, 3.0, 9.0, 14.0, 6.0];
    let lanes = [lane(40.0, 1.0, &weeks), lane(25.0, 2.0, &weeks)];
    let s = setup(&lanes, &weeks, Model::Theme);
    assert_eq!(run(&s), run(&s));
    let other = Setup { seed: 8, ..s };
    assert_ne!(run(&s), run(&other));
}

#[test]
fn the_generator_is_splitmix64() {
    // The first outputs for seed 0, from the reference implementation.
    let mut rng = Rng::new(0);
    assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
    assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
}
