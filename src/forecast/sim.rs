//! The Monte Carlo runs: each trial draws a week's throughput from the window's weeks, with
//! replacement, and burns the remaining weight down until every theme is done.
//!
//! The generator is SplitMix64, written here rather than taken from a crate so that a seed
//! gives the same dates in every release: a forecast pasted into a pull request must not
//! flicker because a dependency changed its algorithm.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are themes and weeks of the work and window this simulation was built from"
)]

use rayon::prelude::*;

/// How the team's throughput is split between open themes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// In proportion to each theme's share of what was finished in the window.
    Share,
    /// All of it to the first open theme in rank order, the rest to the next.
    Rank,
}

impl Model {
    /// The name used in options and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Model::Share => "share",
            Model::Rank => "rank",
        }
    }
}

/// One theme's work in a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lane {
    /// Weight left to do.
    pub remaining: f64,
    /// Weight added a week.
    pub growth: f64,
    /// Its claim on throughput under [`Model::Share`].
    pub share: f64,
}

/// A run: lanes in rank order, and the weeks to draw from.
#[derive(Clone, Copy, Debug)]
pub struct Setup<'a> {
    /// The themes, in rank order.
    pub lanes: &'a [Lane],
    /// Throughput of each week in the window.
    pub weeks: &'a [f64],
    /// Multiplies every drawn week (0.8: a fifth of the team away).
    pub capacity: f64,
    /// How throughput is split.
    pub model: Model,
    /// How many trials.
    pub trials: u32,
    /// The seed.
    pub seed: u64,
}

/// Trials stop after this many weeks: ten years.
pub const MAX_WEEKS: u32 = 520;

/// Weight at or below this is nothing left.
const EMPTY: f64 = 1e-9;

/// Trials per chunk; chunks run in parallel, each with a seed of its own, so results do not
/// depend on how many threads run them.
const CHUNK: u32 = 1024;

/// When one lane finished across the trials.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcomes {
    /// Days from the start (1 is the first day) of the trials that finished, sorted.
    pub days: Vec<u32>,
    /// How many trials ran.
    pub trials: u32,
}

impl Outcomes {
    /// The day by which a fraction `q` of trials finished (nearest rank); `None` when that many
    /// did not finish within [`MAX_WEEKS`].
    pub fn percentile(&self, q: f64) -> Option<u32> {
        let n = f64::from(self.trials);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let rank = ((q * n).ceil() as usize).max(1);
        self.days.get(rank - 1).copied()
    }

    /// The fraction of trials that finished by `day`.
    pub fn by(&self, day: i64) -> f64 {
        if self.trials == 0 {
            return 0.0;
        }
        let done = self.days.partition_point(|&d| i64::from(d) <= day);
        #[allow(clippy::cast_precision_loss)]
        let fraction = done as f64 / f64::from(self.trials);
        fraction
    }
}

/// Runs the trials; gives each lane's outcomes, indexed like `setup.lanes`.
pub fn run(setup: &Setup<'_>) -> Vec<Outcomes> {
    let n = setup.lanes.len();
    let chunks: Vec<u32> = (0..setup.trials.div_ceil(CHUNK)).collect();
    let per_chunk: Vec<Vec<Vec<u32>>> = chunks
        .par_iter()
        .map(|&c| {
            let mut rng = Rng::new(setup.seed ^ u64::from(c).wrapping_mul(0xA076_1D64_78BD_642F));
            let count = CHUNK.min(setup.trials - c * CHUNK);
            let mut days = vec![Vec::with_capacity(count as usize); n];
            for _ in 0..count {
                for (lane, day) in trial(setup, &mut rng).into_iter().enumerate() {
                    if let Some(d) = day {
                        days[lane].push(d);
                    }
                }
            }
            days
        })
        .collect();
    (0..n)
        .map(|lane| {
            let mut days: Vec<u32> = per_chunk
                .iter()
                .flat_map(|c| c[lane].iter().copied())
                .collect();
            days.sort_unstable();
            Outcomes {
                days,
                trials: setup.trials,
            }
        })
        .collect()
}

/// One trial: the day each lane finished, `None` if not within [`MAX_WEEKS`].
fn trial(setup: &Setup<'_>, rng: &mut Rng) -> Vec<Option<u32>> {
    let lanes = setup.lanes;
    let mut left: Vec<f64> = lanes.iter().map(|l| l.remaining).collect();
    let mut finished: Vec<Option<u32>> = vec![None; lanes.len()];
    let mut open: Vec<bool> = left.iter().map(|&r| r > EMPTY).collect();
    if setup.weeks.is_empty() {
        return finished;
    }
    for week in 0..MAX_WEEKS {
        if !open.iter().any(|&o| o) {
            break;
        }
        let drawn = setup.weeks[rng.below(setup.weeks.len())] * setup.capacity;
        for (i, lane) in lanes.iter().enumerate() {
            if open[i] {
                left[i] += lane.growth;
            }
        }
        if drawn <= EMPTY {
            continue;
        }
        let mut week_ = Week {
            number: week,
            left: &mut left,
            open: &mut open,
            finished: &mut finished,
        };
        match setup.model {
            Model::Share => week_.share(lanes, drawn),
            Model::Rank => week_.rank(drawn),
        }
    }
    finished
}

/// One week of one trial.
struct Week<'a> {
    number: u32,
    left: &'a mut [f64],
    open: &'a mut [bool],
    finished: &'a mut [Option<u32>],
}

impl Week<'_> {
    /// Marks lane `i` done after `fraction` of the week.
    fn finish(&mut self, i: usize, fraction: f64) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let day = ((7.0 * fraction - 1e-9).ceil().max(1.0)) as u32;
        self.finished[i] = Some(self.number * 7 + day.min(7));
        self.left[i] = 0.0;
        self.open[i] = false;
    }

    /// Splits `pool` by share (equally when no open lane has one); what a finishing lane does
    /// not need is split again among the rest.
    fn share(&mut self, lanes: &[Lane], mut pool: f64) {
        loop {
            let (mut claimed, mut open) = (0.0, 0u32);
            for (lane, _) in lanes.iter().zip(self.open.iter()).filter(|(_, o)| **o) {
                claimed += lane.share;
                open += 1;
            }
            if open == 0 || pool <= EMPTY {
                return;
            }
            let equal = 1.0 / f64::from(open);
            let claim = |lane: &Lane| {
                if claimed > 0.0 {
                    lane.share / claimed
                } else {
                    equal
                }
            };
            let mut spent = 0.0;
            for (i, lane) in lanes.iter().enumerate() {
                let portion = pool * claim(lane);
                if self.open[i] && portion > EMPTY && self.left[i] <= portion {
                    spent += self.left[i];
                    let fraction = self.left[i] / portion;
                    self.finish(i, fraction);
                }
            }
            if spent == 0.0 {
                for (i, lane) in lanes.iter().enumerate() {
                    if self.open[i] {
                        self.left[i] -= pool * claim(lane);
                    }
                }
                return;
            }
            pool -= spent;
        }
    }

    /// Gives `pool` to the open lanes in order until it runs out.
    fn rank(&mut self, pool: f64) {
        let mut used = 0.0;
        for i in 0..self.left.len() {
            if !self.open[i] {
                continue;
            }
            let rest = pool - used;
            if rest <= EMPTY {
                return;
            }
            if self.left[i] <= rest {
                used += self.left[i];
                self.finish(i, used / pool);
            } else {
                self.left[i] -= rest;
                return;
            }
        }
    }
}

/// SplitMix64 (Steele, Lea and Flood), small and fixed.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (Lemire's multiply-shift; the bias is below 2^-40 for any `n` here).
    pub fn below(&mut self, n: usize) -> usize {
        let wide = u128::from(self.next_u64()) * n as u128;
        usize::try_from(wide >> 64).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
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

    fn lane(remaining: f64, share: f64) -> Lane {
        Lane {
            remaining,
            growth: 0.0,
            share,
        }
    }

    #[test]
    fn constant_throughput_lands_on_the_arithmetic_day() {
        // 25 points at 10 a week: 2.5 weeks, day 18 (17.5 rounded up).
        let lanes = [lane(25.0, 1.0)];
        for model in [Model::Share, Model::Rank] {
            let out = run(&setup(&lanes, &[10.0; 12], model));
            for q in [0.5, 0.85, 0.95] {
                assert_eq!(out[0].percentile(q), Some(18), "{model:?} {q}");
            }
            assert_eq!(out[0].days.len(), 2000);
        }
    }

    #[test]
    fn alternating_weeks_spread_the_dates_between_the_two_rates() {
        // 40 points at 5 or 15 a week: never sooner than 3 weeks (15+15+15), never later
        // than 8 (5 × 8), and the median near 40 / 10 = 4 weeks.
        let lanes = [lane(40.0, 1.0)];
        let out = run(&setup(&lanes, &[5.0, 15.0], Model::Share));
        let (p50, p95) = (out[0].percentile(0.5), out[0].percentile(0.95));
        assert!(out[0].days.iter().all(|&d| (19..=56).contains(&d)));
        assert!(p50.is_some_and(|d| (22..=35).contains(&d)), "{p50:?}");
        assert!(p95 > p50, "{p50:?} {p95:?}");
    }

    #[test]
    fn share_splits_by_share_and_passes_on_what_a_finished_theme_leaves() {
        // 10 a week, split 3:1. B (10 points at 2.5 a week) would take 4 weeks alone, but A
        // (6 points at 7.5) finishes in week 1 and B gets everything from then on.
        let lanes = [lane(6.0, 3.0), lane(10.0, 1.0)];
        let out = run(&setup(&lanes, &[10.0], Model::Share));
        assert_eq!(out[0].percentile(0.5), Some(6)); // 6 / 7.5 of a week
        assert_eq!(out[1].percentile(0.5), Some(12)); // 2.5 + 1.5 in week 1, 6 of 10 in week 2
    }

    #[test]
    fn rank_finishes_one_theme_before_starting_the_next() {
        let lanes = [lane(20.0, 0.0), lane(10.0, 5.0)];
        let out = run(&setup(&lanes, &[10.0], Model::Rank));
        assert_eq!(out[0].percentile(0.5), Some(14));
        assert_eq!(out[1].percentile(0.5), Some(21));
    }

    #[test]
    fn a_theme_without_share_waits_for_the_others() {
        let lanes = [lane(10.0, 1.0), lane(10.0, 0.0)];
        let out = run(&setup(&lanes, &[10.0], Model::Share));
        assert_eq!(out[0].percentile(0.5), Some(7));
        assert_eq!(out[1].percentile(0.5), Some(14));
    }

    #[test]
    fn growth_as_fast_as_the_team_never_finishes() {
        let lanes = [Lane {
            remaining: 10.0,
            growth: 10.0,
            share: 1.0,
        }];
        let out = run(&setup(&lanes, &[10.0], Model::Share));
        assert_eq!(out[0].percentile(0.5), None);
        assert!(out[0].by(i64::from(MAX_WEEKS) * 7).abs() < 1e-12);
    }

    #[test]
    fn capacity_scales_the_dates() {
        let lanes = [lane(20.0, 1.0)];
        let mut s = setup(&lanes, &[10.0], Model::Share);
        s.capacity = 0.5;
        assert_eq!(run(&s)[0].percentile(0.85), Some(28));
    }

    #[test]
    fn a_seed_gives_the_same_outcomes_and_another_seed_others() {
        let lanes = [lane(40.0, 1.0), lane(25.0, 2.0)];
        let weeks = [0.0, 3.0, 9.0, 14.0, 6.0];
        let s = setup(&lanes, &weeks, Model::Share);
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
}
