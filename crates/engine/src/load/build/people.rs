//! `people:` and `teams:` in `roadlog.yaml`: who may be an assignee or owner, their emails and
//! capacity, and the names that stand for several of them.

use super::Reader;
use crate::diag::{Finding, Rule, did_you_mean};
use crate::model::{Config, Person, Team};
use crate::yaml::{Key, Node, Value};

const PERSON_FIELDS: &[&str] = &["name", "email", "capacity"];

pub(super) fn read_people(r: &mut Reader<'_>, key: &Key, node: &Node) -> Vec<Person> {
    let mut people: Vec<Person> = Vec::new();
    let outer = std::mem::replace(&mut r.path, format!("{}.", key.name));
    for (k, v) in super::entries(
        r,
        key,
        node,
        "each person's key to their name, email and capacity",
    ) {
        let mut person = Person {
            key: k.name.to_string(),
            name: None,
            emails: Vec::new(),
            capacity: None,
            span: k.span,
        };
        if people
            .iter()
            .any(|p| p.key.eq_ignore_ascii_case(&person.key))
        {
            r.push(
                Finding::new(
                    Rule::DuplicateId,
                    format!("person `{}` is listed twice", person.key),
                    r.at(k.span),
                )
                .field(r.field(&k.name)),
            );
            continue;
        }
        let inner = format!("{}{}.", r.path, k.name);
        let before = std::mem::replace(&mut r.path, inner);
        match &v.value {
            Value::Null => {}
            Value::Map(fields) => {
                for (f, value) in fields {
                    match f.name.as_ref() {
                        "name" => person.name = r.text(f, value).map(|s| s.value),
                        "email" => {
                            person.emails = match value.value {
                                Value::Seq(_) => r.text_list(f, value),
                                _ => r.text(f, value).into_iter().collect(),
                            }
                            .into_iter()
                            .map(|e| e.value)
                            .collect();
                        }
                        "capacity" => person.capacity = r.non_negative(f, value).map(|c| c.value),
                        _ => r.unknown_key(f, PERSON_FIELDS, "a person"),
                    }
                }
            }
            _ => {
                r.push(
                    Finding::new(
                        Rule::ParseError,
                        format!(
                            "person `{}` should be a mapping of name, email and capacity",
                            k.name
                        ),
                        r.at(v.span),
                    )
                    .field(r.path.trim_end_matches('.'))
                    .help("e.g. `lee: { name: Lee Park, email: lee@acme.io, capacity: 8 }`"),
                );
            }
        }
        r.path = before;
        people.push(person);
    }
    r.path = outer;
    people
}

pub(super) fn read_teams(r: &mut Reader<'_>, key: &Key, node: &Node) -> Vec<Team> {
    let mut teams = Vec::new();
    let outer = std::mem::replace(&mut r.path, format!("{}.", key.name));
    for (k, v) in super::entries(r, key, node, "each team's name to the keys of its people") {
        let members = r.text_list(k, v).into_iter().map(|m| m.value).collect();
        teams.push(Team {
            name: k.name.to_string(),
            members,
            span: k.span,
        });
    }
    r.path = outer;
    teams
}

/// A team's members must be people of `people:`, and a team may not share a person's name (an
/// assignee would name either). Read after the whole file: the sections may come in any order.
pub(super) fn check_teams(r: &mut Reader<'_>, config: &Config) {
    for team in &config.teams {
        if config.person(&team.name).is_some() {
            r.invalid(
                &format!("teams.{}", team.name),
                team.span,
                format!("`{}` is both a person and a team", team.name),
                Some("give the team another name".into()),
            );
        }
        for member in &team.members {
            if config.person(member).is_some() {
                continue;
            }
            let help = did_you_mean(member, config.people.iter().map(|p| p.key.as_str()))
                .map_or_else(
                    || "list the person under `people:` first".to_string(),
                    |near| format!("did you mean `{near}`?"),
                );
            r.invalid(
                &format!("teams.{}", team.name),
                team.span,
                format!(
                    "team `{}` names `{member}`, who is not under `people:`",
                    team.name
                ),
                Some(help),
            );
        }
    }
}
