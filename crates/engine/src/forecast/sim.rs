//! The Monte Carlo runs: each trial draws a week of the window for every week ahead, with
//! replacement, takes what arrived under each theme that week and what was finished (each
//! theme's own, or the team's split by the model), and burns the remaining weight down until
//! every theme is done.
//!
//! The generator is SplitMix64, written here rather than taken from a crate so that a seed
//! gives the same dates in every release: a forecast pasted into a pull request must not
//! flicker because a dependency changed its algorithm.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are themes and weeks of the work and window this simulation was built from"
)]

use rayon::prelude::*;

/// Where each theme's throughput comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// Each theme's own: what was finished under it in the drawn week. A theme nobody worked
    /// on gets nothing, and one whose arrivals keep pace with its work never finishes.
    Theme,
    /// The team's, in proportion to each theme's share of what was finished in the window.
    Share,
    /// The team's, all of it to the first open theme in rank order, the rest to the next.
    Rank,
}

impl Model {
    /// The name used in options and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Model::Theme => "theme",
            Model::Share => "share",
            Model::Rank => "rank",
        }
    }
}

/// One theme's work in a run.
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct Lane {
    /// Weight left to do.
    pub remaining: f64,
    /// Its claim on the team's throughput under [`Model::Share`].
    pub share: f64,
    /// Worked on only once every lane not deferred is done (`--defer`).
    pub deferred: bool,
    /// Weight finished under it in each week of the window ([`Model::Theme`]).
    pub done: Vec<f64>,
    /// Weight that arrived under it in each week of the window (none without growth).
    pub arrived: Vec<f64>,
    /// The first week of the window it existed in: a week drawn before it is drawn again from
    /// the weeks since.
    pub since: usize,
}

impl Lane {
    /// The week of the window lane data is taken from when week `w` is drawn: `w` itself, or
    /// for a week before the lane existed, one of the weeks since, picked by `w`.
    fn week(&self, w: usize) -> usize {
        let n = self.done.len().max(self.arrived.len());
        if w >= self.since || self.since >= n {
            w
        } else {
            self.since + w % (n - self.since)
        }
    }
}

/// A run: lanes in rank order, and the weeks to draw from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Setup<'a> {
    /// The themes, in rank order.
    pub lanes: &'a [Lane],
    /// The team's throughput in each week of the window.
    pub weeks: &'a [f64],
    /// Multiplies every drawn week (0.8: a fifth of the team away).
    pub capacity: f64,
    /// Where throughput comes from.
    pub model: Model,
    /// How many trials.
    pub trials: u32,
    /// The seed.
    pub seed: u64,
}

/// Trials stop after this many weeks: ten years.
pub(crate) const MAX_WEEKS: u32 = 520;

/// Weight at or below this is nothing left.
const EMPTY: f64 = 1e-9;

/// Trials per chunk; chunks run in parallel, and each trial has a seed of its own, so results
/// do not depend on how many threads run them.
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
    pub(crate) fn percentile(&self, q: f64) -> Option<u32> {
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
pub(crate) fn run(setup: &Setup<'_>) -> Vec<Outcomes> {
    let n = setup.lanes.len();
    // A lane that can never be given work: nothing was finished in any week it could draw.
    let hopeless: Vec<bool> = setup
        .lanes
        .iter()
        .map(|l| match setup.model {
            Model::Theme => l.done.iter().all(|&d| d <= EMPTY),
            Model::Share | Model::Rank => setup.weeks.iter().all(|&d| d <= EMPTY),
        })
        .collect();
    // What each lane takes from each window week, looked up once rather than every week of
    // every trial.
    let table = Table::new(setup);
    let chunks: Vec<u32> = (0..setup.trials.div_ceil(CHUNK)).collect();
    let per_chunk: Vec<Vec<Vec<u32>>> = chunks
        .par_iter()
        .map(|&c| {
            let count = CHUNK.min(setup.trials - c * CHUNK);
            let mut days = vec![Vec::with_capacity(count as usize); n];
            for k in 0..count {
                // Each trial draws from a generator of its own: how long one trial runs never
                // moves the draws of the next, so a scenario that changes one theme leaves the
                // others' trials as they were.
                let index = u64::from(c * CHUNK + k);
                let mut rng = Rng::new(setup.seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
                rng.next_u64();
                for (lane, day) in trial(setup, &table, &hopeless, &mut rng)
                    .into_iter()
                    .enumerate()
                {
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
fn trial(setup: &Setup<'_>, table: &Table, hopeless: &[bool], rng: &mut Rng) -> Vec<Option<u32>> {
    let lanes = setup.lanes;
    let mut state = Trial {
        left: lanes.iter().map(|l| l.remaining).collect(),
        open: lanes.iter().map(|l| l.remaining > EMPTY).collect(),
        finished: vec![None; lanes.len()],
        active: Vec::with_capacity(lanes.len()),
        rates: Vec::with_capacity(lanes.len()),
    };
    if setup.weeks.is_empty() {
        return state.finished;
    }
    // Each theme on its own, none waiting for another: its weeks need no following in time.
    let independent = setup.model == Model::Theme && lanes.iter().all(|l| !l.deferred);
    // Whether a lane can still finish: one that can progress, and for a deferred one, with
    // every lane it waits for able to finish first.
    let live = |s: &Trial| {
        let waiting = (0..lanes.len()).any(|i| s.open[i] && !lanes[i].deferred);
        let stuck = (0..lanes.len()).any(|i| s.open[i] && !lanes[i].deferred && hopeless[i]);
        (0..lanes.len())
            .any(|i| s.open[i] && !hopeless[i] && (!lanes[i].deferred || !waiting || !stuck))
    };
    for week in 0..MAX_WEEKS {
        if !live(&state) {
            break;
        }
        let w = rng.below(setup.weeks.len());
        let drawn = table.week(w);
        for (i, take) in drawn.iter().enumerate() {
            if state.open[i] {
                state.left[i] += take.arrived;
            }
        }
        if independent {
            state.own_week(drawn, week);
        } else {
            state.week(setup, drawn, w, week);
        }
    }
    state.finished
}

/// What one lane takes from one window week.
#[derive(Clone, Copy, Debug)]
struct Take {
    /// Weight that arrives under it.
    arrived: f64,
    /// Weight finished under it, capacity applied ([`Model::Theme`]).
    done: f64,
}

/// Every lane's [`Take`] of every window week, week by week.
struct Table {
    takes: Vec<Take>,
    lanes: usize,
}

impl Table {
    fn new(setup: &Setup<'_>) -> Table {
        let takes = (0..setup.weeks.len())
            .flat_map(|w| {
                setup.lanes.iter().map(move |lane| {
                    let at = lane.week(w);
                    Take {
                        arrived: lane.arrived.get(at).copied().unwrap_or(0.0),
                        done: lane.done.get(at).copied().unwrap_or(0.0) * setup.capacity,
                    }
                })
            })
            .collect();
        Table {
            takes,
            lanes: setup.lanes.len(),
        }
    }

    /// The lanes' takes of window week `w`, indexed like the lanes.
    fn week(&self, w: usize) -> &[Take] {
        &self.takes[w * self.lanes..(w + 1) * self.lanes]
    }
}

/// Where one trial stands.
struct Trial {
    left: Vec<f64>,
    open: Vec<bool>,
    finished: Vec<Option<u32>>,
    /// Buffers of [`Trial::week`], kept so a week allocates nothing.
    active: Vec<usize>,
    rates: Vec<f64>,
}

impl Trial {
    /// Fills `active` with the lanes worked on now: the open ones not deferred, or the
    /// deferred ones once no other is open.
    fn find_active(&mut self, lanes: &[Lane]) {
        self.active.clear();
        let open = &self.open;
        self.active
            .extend((0..lanes.len()).filter(|&i| open[i] && !lanes[i].deferred));
        if self.active.is_empty() {
            self.active.extend((0..lanes.len()).filter(|&i| open[i]));
        }
    }

    /// Fills `rates` with the weight a week gives each active lane, by the model.
    fn find_rates(&mut self, setup: &Setup<'_>, drawn: &[Take], w: usize) {
        let lanes = setup.lanes;
        let pool = setup.weeks[w] * setup.capacity;
        let active = &self.active;
        self.rates.clear();
        match setup.model {
            Model::Theme => self.rates.extend(active.iter().map(|&i| drawn[i].done)),
            Model::Share => {
                let claimed: f64 = active.iter().map(|&i| lanes[i].share).sum();
                #[allow(clippy::cast_precision_loss)]
                let equal = 1.0 / active.len().max(1) as f64;
                self.rates.extend(active.iter().map(|&i| {
                    if claimed > 0.0 {
                        pool * lanes[i].share / claimed
                    } else {
                        pool * equal
                    }
                }));
            }
            Model::Rank => self
                .rates
                .extend((0..active.len()).map(|k| if k == 0 { pool } else { 0.0 })),
        }
    }

    /// Works week `number` (drawn from window week `w`) through, in time: each active lane
    /// burns at its rate until one finishes, then the rates are worked out again for the rest
    /// of the week, so what a finished lane leaves goes to the others (or a deferred lane starts)
    /// from that moment, and a lane that finishes exactly at the week's end finishes in it.
    fn week(&mut self, setup: &Setup<'_>, drawn: &[Take], w: usize, number: u32) {
        let mut at = 0.0_f64;
        loop {
            self.find_active(setup.lanes);
            if self.active.is_empty() || at >= 1.0 {
                return;
            }
            self.find_rates(setup, drawn, w);
            let soonest = self
                .active
                .iter()
                .zip(&self.rates)
                .filter(|&(_, &r)| r > EMPTY)
                .map(|(&i, &r)| self.left[i] / r)
                .fold(f64::INFINITY, f64::min);
            let rest = 1.0 - at;
            if !within(soonest, rest) {
                for (&i, &r) in self.active.iter().zip(&self.rates) {
                    self.left[i] -= r * rest;
                }
                return;
            }
            at += soonest;
            for k in 0..self.active.len() {
                let (i, r) = (self.active[k], self.rates[k]);
                self.left[i] -= r * soonest;
                if r > EMPTY && self.left[i] <= EMPTY.max(r * 1e-12) {
                    self.finish(i, number, at.min(1.0));
                }
            }
        }
    }

    /// [`Trial::week`] when every lane burns its own throughput and none waits for another:
    /// no lane's finishing moves another's rate, so each is worked through the week alone.
    fn own_week(&mut self, drawn: &[Take], number: u32) {
        for (i, take) in drawn.iter().enumerate() {
            if !self.open[i] {
                continue;
            }
            let rate = take.done;
            if rate > EMPTY && within(self.left[i] / rate, 1.0) {
                let at = self.left[i] / rate;
                self.finish(i, number, at.min(1.0));
            } else {
                self.left[i] -= rate;
            }
        }
    }

    /// Marks lane `i` done `fraction` into week `number`.
    fn finish(&mut self, i: usize, number: u32, fraction: f64) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let day = ((7.0 * fraction - 1e-9).ceil().max(1.0)) as u32;
        self.finished[i] = Some(number * 7 + day.min(7));
        self.left[i] = 0.0;
        self.open[i] = false;
    }
}

/// Whether something `needed` of a week fits in the `rest` of it, allowing for rounding: a lane
/// that finishes exactly at the week's end finishes in it.
fn within(needed: f64, rest: f64) -> bool {
    needed <= rest * (1.0 + 1e-12) + 1e-12
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
    pub(crate) fn next_u64(&mut self) -> u64 {
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
#[path = "sim_tests.rs"]
mod tests;
