//! Findings as a diff compares them: by identity (rule, file, entity, field), as a multiset, so a
//! finding whose figure or line moved is the same finding.

use std::collections::HashMap;

use serde::Serialize;

use crate::diag::Finding;
use crate::model::Plan;

/// A finding the change introduces or fixes.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FindingView {
    /// Rule id.
    pub rule: &'static str,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// Message.
    pub message: String,
    /// File relative to the plan root.
    pub file: Option<String>,
    /// Line on its side of the change.
    pub line: Option<u32>,
    /// The theme or item it concerns.
    pub entity: Option<String>,
    /// The field at fault.
    pub field: Option<String>,
}

impl FindingView {
    /// The finding with ids and files renamed (`ids` and `files` map from → to), for matching
    /// across a rename.
    pub fn renamed(&self, ids: &[(String, String)], files: &[(String, String)]) -> FindingView {
        let mut f = self.clone();
        let swap = |s: &mut Option<String>, map: &[(String, String)]| {
            if let Some((_, to)) = map.iter().find(|(from, _)| s.as_deref() == Some(from)) {
                *s = Some(to.clone());
            }
        };
        swap(&mut f.entity, ids);
        swap(&mut f.file, files);
        if let Some(field) = &mut f.field {
            for (from, to) in ids {
                *field = field.replace(&format!("[{from}]"), &format!("[{to}]"));
            }
        }
        f
    }

    /// What matches this finding with the same finding on the other side of a change.
    fn identity(&self) -> (&'static str, Option<String>, Option<String>, Option<String>) {
        (
            self.rule,
            self.file.clone(),
            self.entity.clone(),
            self.field.clone(),
        )
    }
}

/// Findings as a diff shows them: with their file's path and their identity.
pub fn finding_views(plan: &Plan, findings: &[Finding]) -> Vec<FindingView> {
    findings
        .iter()
        .map(|f| FindingView {
            rule: f.rule.code(),
            severity: f.severity.as_str(),
            message: f.message.to_string(),
            file: f.at.map(|at| plan.file(at.file).path.clone()),
            line: f.at.and_then(|at| at.span).map(|s| s.line),
            entity: f.entity.as_deref().map(str::to_string),
            field: f.field.as_deref().map(str::to_string),
        })
        .collect()
}

/// Findings of `a` not matched in `b`, by identity as a multiset. A finding whose message
/// changed (a figure in it moved) is the same finding.
pub fn introduced(a: &[FindingView], b: &[FindingView]) -> Vec<FindingView> {
    introduced_as(a, b, |f| f.clone())
}

/// [`introduced`], with each finding of `a` first seen as `same` says it was called in `b` (a
/// renamed entity's findings are its old findings).
pub fn introduced_as(
    a: &[FindingView],
    b: &[FindingView],
    same: impl Fn(&FindingView) -> FindingView,
) -> Vec<FindingView> {
    let mut left: HashMap<_, usize> = HashMap::new();
    for f in b {
        *left.entry(f.identity()).or_default() += 1;
    }
    a.iter()
        .filter(|f| match left.get_mut(&same(f).identity()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}
