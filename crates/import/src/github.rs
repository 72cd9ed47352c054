//! GitHub's exports through `gh`: `gh issue list --json …` (an array of issues) and `gh project
//! item-list --format json` (`{"items": […]}`, each item's `content` the issue, its board
//! column in `status`, one key per custom field). Pull requests are not backlog items; task
//! lists in a body (`- [ ] #12`) make that issue the parent of the ones they name.

use std::collections::HashMap;

use serde_json::Value;

use roadlog_engine::Error;
use roadlog_engine::import::{
    Carried, Export, Record, SprintDates, SprintRef, Tracker, Warning, kind_of,
};
use roadlog_engine::model::{Category, Kind, is_source};

use super::dates::rfc3339_day;
use super::{bad, non_empty};

pub(crate) fn read(file: &str, bytes: &[u8]) -> Result<Export, Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let json: Value = serde_json::from_slice(bytes).map_err(|e| {
        bad(
            file,
            u64::try_from(e.line()).ok(),
            format!("not readable JSON ({e})"),
        )
    })?;
    let (entries, project) = match &json {
        Value::Array(issues) => (issues.as_slice(), false),
        Value::Object(o) => match o.get("items") {
            Some(Value::Array(items)) => (items.as_slice(), true),
            _ => return Err(not_gh(file)),
        },
        _ => return Err(not_gh(file)),
    };
    let mut notes = Vec::new();
    let mut records = Vec::with_capacity(entries.len());
    let mut bodies = Vec::with_capacity(entries.len());
    for (n, entry) in entries.iter().enumerate() {
        let issue = if project {
            entry.get("content").unwrap_or(&Value::Null)
        } else {
            entry
        };
        let kind = text(issue, "type");
        let url = text(issue, "url").unwrap_or_default();
        if kind.as_deref() == Some("PullRequest") || url.contains("/pull/") {
            continue;
        }
        let Some(number) = issue.get("number").and_then(Value::as_u64) else {
            let title = text(issue, "title").unwrap_or_default();
            notes.push(Warning {
                message: format!(
                    "entry {} (`{title}`) is a draft or has no issue number, so it is left out: \
                     convert it to an issue to import it",
                    n + 1
                ),
                line: None,
            });
            continue;
        };
        let Some(repo) = repository(&url)
            .or_else(|| text(issue, "repository").and_then(|r| repository_name(&r)))
        else {
            return Err(bad(
                file,
                None,
                format!("issue #{number} has no `url`, so its repository is unknown"),
            )
            .with_help("export with `--json number,title,body,state,stateReason,labels,milestone,assignees,createdAt,closedAt,url`"));
        };
        let source = format!("github:{repo}#{number}");
        if !is_source(&source) {
            return Err(bad(file, None, format!("`{source}` is not a GitHub issue")));
        }
        records.push(record(entry, issue, project, number, source, &repo));
        bodies.push((repo, text(issue, "body").unwrap_or_default()));
    }
    task_list_parents(&mut records, &bodies);
    let mut repositories: Vec<String> = bodies.into_iter().map(|(r, _)| r).collect();
    repositories.sort_unstable();
    repositories.dedup();
    let carried = Carried {
        assignee: true,
        estimate: project,
        sprint: project,
        parent: true,
        depends_on: false,
    };
    Ok(Export {
        tracker: Tracker::Github,
        records,
        carried,
        repositories,
        notes,
    })
}

fn not_gh(file: &str) -> Error {
    bad(
        file,
        None,
        "this is not what `gh issue list --json …` or `gh project item-list --format json` writes",
    )
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).and_then(non_empty)
}

/// `owner/repo` of an issue's URL.
fn repository(url: &str) -> Option<String> {
    let path = url.split_once("github.com/")?.1;
    let mut parts = path.split('/');
    let (owner, repo) = (parts.next()?, parts.next()?);
    (!owner.is_empty() && !repo.is_empty()).then(|| format!("{owner}/{repo}"))
}

/// `owner/repo` from a project item's `repository`, a name or a URL.
fn repository_name(r: &str) -> Option<String> {
    repository(r).or_else(|| {
        let (owner, repo) = r.split_once('/')?;
        (!owner.is_empty() && !repo.is_empty() && !repo.contains('/')).then(|| r.to_string())
    })
}

/// Names from a list of strings or of objects with `name` / `login`.
fn names(v: Option<&Value>, keys: &[&str]) -> Vec<String> {
    let Some(Value::Array(list)) = v else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|e| match e {
            Value::String(s) => non_empty(s),
            Value::Object(_) => keys.iter().find_map(|k| text(e, k)),
            _ => None,
        })
        .collect()
}

fn record(
    entry: &Value,
    issue: &Value,
    project: bool,
    number: u64,
    source: String,
    repo: &str,
) -> Record {
    // A project item carries labels, assignees and milestone beside its content.
    let either = |key: &str| {
        issue
            .get(key)
            .filter(|v| !v.is_null())
            .or_else(|| entry.get(key))
    };
    let labels = names(either("labels"), &["name"]);
    let assignees = names(either("assignees"), &["login", "name"]);
    let milestone = either("milestone").and_then(|m| match m {
        Value::String(s) => non_empty(s),
        _ => text(m, "title"),
    });
    let state = text(issue, "state")
        .unwrap_or_default()
        .to_ascii_uppercase();
    let reason = text(issue, "stateReason")
        .unwrap_or_default()
        .to_ascii_uppercase();
    let (status, category) = if project && let Some(column) = text(entry, "status") {
        (column, None)
    } else {
        match (state.as_str(), reason.as_str()) {
            ("CLOSED", "NOT_PLANNED") => ("Not planned".to_string(), Some(Category::Wontdo)),
            ("CLOSED", _) => ("Closed".to_string(), Some(Category::Done)),
            _ => ("Open".to_string(), Some(Category::Todo)),
        }
    };
    let closed_on = text(issue, "closedAt").and_then(|c| rfc3339_day(&c));
    let done_on = (reason != "NOT_PLANNED").then_some(closed_on).flatten();
    let bug = labels.iter().any(|l| {
        let l = l.to_ascii_lowercase();
        l == "bug" || l.ends_with("/bug") || l.ends_with(": bug")
    });
    let kind = if bug {
        Some(Kind::Bug)
    } else {
        text(entry, "type")
            .and_then(|t| kind_of(&t))
            .or(Some(Kind::Story))
    };
    let sprint = entry.get("iteration").and_then(iteration);
    let estimate = entry.get("estimate").and_then(Value::as_f64);
    let mut groups = labels.clone();
    groups.extend(milestone);
    Record {
        line: None,
        key: number.to_string(),
        title: text(issue, "title").unwrap_or_else(|| format!("{repo}#{number}")),
        status,
        category,
        kind,
        kind_name: None,
        assignees,
        estimate,
        sprint,
        parent: None,
        blocked_by: Vec::new(),
        done_on,
        description: issue
            .get("body")
            .and_then(Value::as_str)
            .filter(|b| !b.trim().is_empty())
            .map(str::to_string),
        labels,
        groups,
        source,
    }
}

/// A project's iteration field: `{title, startDate, duration}` (days).
fn iteration(v: &Value) -> Option<SprintRef> {
    let name = text(v, "title")?;
    let start = text(v, "startDate").and_then(|s| rfc3339_day(&s));
    let days = v
        .get("duration")
        .and_then(Value::as_i64)
        .filter(|d| (1..=366).contains(d));
    let dates = match (start, days) {
        (Some(start), Some(days)) => Some(SprintDates {
            start,
            end: start.plus_days(days - 1),
        }),
        _ => None,
    };
    Some(SprintRef { name, dates })
}

/// Each issue named in another's task list (`- [ ] #12`, `- [x] owner/repo#9`, or the issue's
/// URL) has that one as its parent; the first task list to name it wins.
fn task_list_parents(records: &mut [Record], bodies: &[(String, String)]) {
    let index: HashMap<String, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.source.clone(), i))
        .collect();
    let mut parents: Vec<(usize, String)> = Vec::new();
    for (i, (repo, body)) in bodies.iter().enumerate() {
        let Some(parent) = records.get(i).map(|r| r.source.clone()) else {
            continue;
        };
        for line in body.lines() {
            let Some(named) = task_reference(line, repo) else {
                continue;
            };
            if let Some(&child) = index.get(&named)
                && child != i
            {
                parents.push((child, parent.clone()));
            }
        }
    }
    for (child, parent) in parents {
        if let Some(r) = records.get_mut(child)
            && r.parent.is_none()
        {
            r.parent = Some(parent);
        }
    }
}

/// The issue a task-list line names, as a `source:` value.
fn task_reference(line: &str, repo: &str) -> Option<String> {
    let rest = line.trim_start();
    let rest = rest
        .strip_prefix("- [")
        .or_else(|| rest.strip_prefix("* ["))?;
    let rest = rest.get(1..)?.strip_prefix("] ")?.trim();
    let word = rest.split_whitespace().next()?;
    if let Some(n) = word.strip_prefix('#') {
        return n.parse::<u64>().ok().map(|n| format!("github:{repo}#{n}"));
    }
    if let Some((other, n)) = word.split_once('#')
        && let Ok(n) = n.parse::<u64>()
    {
        return Some(format!("github:{other}#{n}"));
    }
    let (other, n) = word.split_once("/issues/")?;
    let other = repository(&format!("{other}/"))?;
    n.trim_end_matches('/')
        .parse::<u64>()
        .ok()
        .map(|n| format!("github:{other}#{n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_list_lines() {
        assert_eq!(
            task_reference("- [ ] #12", "a/b").as_deref(),
            Some("github:a/b#12")
        );
        assert_eq!(
            task_reference("  - [x] o/r#9 done", "a/b").as_deref(),
            Some("github:o/r#9")
        );
        assert_eq!(
            task_reference("- [ ] https://github.com/o/r/issues/3", "a/b").as_deref(),
            Some("github:o/r#3")
        );
        assert_eq!(task_reference("- [ ] write the docs", "a/b"), None);
        assert_eq!(task_reference("see #12", "a/b"), None);
        assert_eq!(task_reference("- [ü] #1", "a/b"), None);
    }
}
