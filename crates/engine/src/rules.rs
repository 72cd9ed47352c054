//! The rule catalogue run over a loaded plan; severities from config applied in one place.
#![allow(
    clippy::indexing_slicing,
    reason = "indices are positions in the plan's own tables (`Plan::themes`, `Plan::items`, `Plan::files` and the per-entity vectors `Trace` builds beside them), all made from the same load; none is read from user text"
)]

mod aliases;
mod context;
mod inactive;
mod initiatives;
mod links;
mod people;
mod priority;
mod sprints;
mod status;
mod suspect;

pub use context::{AimChange, Context, History};
pub use status::stale_items;
pub use suspect::{Suspects, suspects};

use crate::diag::{Finding, Level, Rule, Severity, Skipped};

/// The rules that read the plan's git history: skipped where there is none.
pub const HISTORY_RULES: [Rule; 2] = [Rule::StaleItem, Rule::SuspectItem];
use crate::model::Plan;
use crate::progress;
use crate::trace::Trace;

/// The outcome of `check`: reported findings, sorted, and the rules that could not run.
#[derive(Debug)]
pub struct Checked {
    /// Findings at their configured severity, `off` rules removed, in file and line order.
    pub findings: Vec<Finding>,
    /// Rules skipped for lack of what they need.
    pub skipped: Vec<Skipped>,
    /// Number of themes read.
    pub themes: usize,
    /// Number of items read.
    pub items: usize,
    /// Warnings left out of `findings` for display (`--severity error`), still counted.
    pub hidden_warnings: usize,
}

impl Checked {
    /// Keeps only the findings of severity error, still counting the warnings.
    pub fn retain_errors(&mut self) {
        self.hidden_warnings = self.warnings();
        self.findings.retain(|f| f.severity == Severity::Error);
    }

    /// Findings of severity error.
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    /// Findings of severity warning, shown or not.
    pub fn warnings(&self) -> usize {
        self.hidden_warnings
            + self
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Warning)
                .count()
    }
}

/// Runs every rule over the plan.
pub fn check(plan: &Plan, ctx: Context) -> Checked {
    check_with(plan, &Trace::new(plan), ctx)
}

/// Runs every rule over the plan whose links are `trace`, so a command that resolved them once
/// for its report does not resolve them again.
pub fn check_with(plan: &Plan, trace: &Trace<'_>, ctx: Context) -> Checked {
    let rollups = progress::theme_rollups(plan, trace);
    let mut first = Vec::new();
    let wanted = links::check(plan, trace, ctx.suggest, &mut first);
    // "Did you mean" (comparing each wrong id with every id, up to half a million times) is
    // worked out on a second thread while the other rules run. Only that: the findings are
    // made on this thread, whose heap they reuse; made on another, a check of 100,000 items
    // peaked 6 to 16 MB higher.
    let (helps, mut findings) = std::thread::scope(|scope| {
        // Where no thread can be had, the help is worked out here after the rules.
        let helps = (!wanted.is_empty()).then(|| {
            std::thread::Builder::new()
                .spawn_scoped(scope, || links::suggestions(plan, &wanted))
                .ok()
        });
        let mut findings = Vec::new();
        aliases::check(plan, trace, ctx.suggest, &mut findings);
        people::check(plan, ctx.suggest, &mut findings);
        initiatives::check(plan, trace, ctx.suggest, &mut findings);
        status::check(plan, trace, &rollups, ctx, &mut findings);
        sprints::check(plan, trace, ctx, &mut findings);
        priority::check(plan, trace, ctx.today, &mut findings);
        suspect::check(plan, trace, ctx, &mut findings);
        let helps = helps.map(|thread| match thread.map(|t| t.join()) {
            Some(Ok(helps)) => helps,
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            None => links::suggestions(plan, &wanted),
        });
        (helps, findings)
    });
    if let Some(helps) = helps {
        links::give(&mut first, &wanted, helps);
    }
    // In the order the rules ran, the parse's findings first. The last rules' list is the
    // longest and has room: the others go in front of it, where appending it to theirs copied it.
    findings.splice(0..0, plan.findings.iter().cloned().chain(first));

    let mut skipped = Vec::new();
    for rule in HISTORY_RULES {
        if plan.config.level(rule) == Level::Off {
            continue;
        }
        let reason = match ctx.history {
            Some(History::Known { .. }) => None,
            Some(History::Unknown(why)) => Some(why.clone()),
            None => Some(
                "it needs the git history of the plan files, which this command does not read"
                    .to_string(),
            ),
        };
        if let Some(reason) = reason {
            skipped.push(Skipped { rule, reason });
        }
    }
    if plan.config.level(Rule::SprintMisaligned) != Level::Off
        && plan.config.current_sprint(ctx.today).is_none()
    {
        skipped.push(Skipped {
            rule: Rule::SprintMisaligned,
            reason: format!(
                "no current sprint: set `current_sprint`, or give `sprints` a sprint covering {}",
                ctx.today
            ),
        });
    }

    let mut findings = apply_levels(plan, findings);
    sort_findings(plan, &mut findings);
    Checked {
        findings,
        skipped,
        themes: plan.themes.len(),
        items: plan.items.len(),
        hidden_warnings: 0,
    }
}

/// Sets each finding's severity from `rules:` and drops the rules turned off. A rule without a
/// level in `rules:` keeps each finding's own severity (its rule's default, or lower where the
/// rule says so, as for a `done_on` after today).
pub(crate) fn apply_levels(plan: &Plan, findings: Vec<Finding>) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut f| {
            match plan.config.rules.get(&f.rule) {
                Some(level) => f.severity = level.severity()?,
                None => {
                    f.rule.default_level().severity()?;
                }
            }
            Some(f)
        })
        .collect()
}

/// Orders findings errors first, then by file path, position and rule, so errors do not drown
/// among warnings and output is stable run to run.
pub(crate) fn sort_findings(plan: &Plan, findings: &mut [Finding]) {
    // Each file's place in path order, worked out once for the files findings name: comparing
    // the paths themselves in every comparison of a sort of 77,801 findings was a tenth of the
    // rules of a check of 100,000 items.
    let mut rank = vec![u32::MAX; plan.files.len()];
    let mut named: Vec<usize> = Vec::new();
    for at in findings.iter().filter_map(|f| f.at) {
        let file = at.file.0 as usize;
        if rank.get(file) == Some(&u32::MAX) {
            rank[file] = 0;
            named.push(file);
        }
    }
    named.sort_unstable_by(|&a, &b| plan.files[a].path.cmp(&plan.files[b].path));
    let mut place = 0;
    for (k, &file) in named.iter().enumerate() {
        if k > 0 && plan.files[named[k - 1]].path != plan.files[file].path {
            place += 1;
        }
        rank[file] = place;
    }
    let key = |f: &Finding| {
        let (file, offset) = match f.at {
            Some(at) => (
                Some(rank.get(at.file.0 as usize).copied().unwrap_or(u32::MAX)),
                at.span.map_or(0, |s| s.start()),
            ),
            None => (None, 0),
        };
        (f.severity, file, offset, f.rule)
    };
    // Their positions are sorted, then the findings moved into place: a stable sort of the
    // findings themselves held half of them again in its buffer, 10 MB at the peak of a check
    // of 100,000 items.
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&findings[a], &findings[b]);
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
    permute(findings, order);
}

/// Puts `items[order[i]]` at `i` for every `i`, in place, following each cycle of `order` (a
/// permutation of the positions).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::permute;

    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        for n in 1..40usize {
            // Reversed and shifted, or strided by 7 where 7 does not divide the length: each a
            // permutation with cycles of several lengths.
            let step = if n % 7 == 0 { n - 1 } else { 7 };
            let order: Vec<usize> = (0..n).map(|i| (i * step + n / 3) % n).collect();
            let items: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
            let expected: Vec<String> = order.iter().map(|&i| items[i].clone()).collect();
            let mut moved = items.clone();
            permute(&mut moved, order);
            assert_eq!(moved, expected, "n = {n}");
        }
    }
}
