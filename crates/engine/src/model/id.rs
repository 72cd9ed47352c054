//! The id grammar of themes and items, said once: the checks, the patterns the schema gives
//! editors, the words help lines use, and the order people read ids in.

/// A file's name without folder and extension: the id an entity takes when it writes none.
pub fn stem_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// A theme id, as a regular expression (for the schema).
pub const THEME_ID_PATTERN: &str = "^[a-z0-9][a-z0-9-]*$";
/// A theme id, in words (for help lines).
pub const THEME_ID_RULE: &str =
    "lowercase letters, digits and `-`, starting with a letter or digit";
/// An item id, as a regular expression (for the schema; `..` is refused besides).
pub const ITEM_ID_PATTERN: &str = "^[A-Za-z][A-Za-z0-9_.-]*$";
/// An item id, in words (for help lines).
pub const ITEM_ID_RULE: &str = "letters, digits, `_`, `.` and `-`, starting with a letter";

/// An id grammar with its name and its rule in words, for checks and their messages.
#[derive(Clone, Copy, Debug)]
pub struct IdKind {
    /// Whether a text is such an id.
    pub valid: fn(&str) -> bool,
    /// What it is called: `theme id`.
    pub noun: &'static str,
    /// What it is made of, for help lines.
    pub rule: &'static str,
}

/// Theme ids.
pub const THEME_IDS: IdKind = IdKind {
    valid: is_theme_id,
    noun: "theme id",
    rule: THEME_ID_RULE,
};

/// Item ids.
pub const ITEM_IDS: IdKind = IdKind {
    valid: is_item_id,
    noun: "item id",
    rule: ITEM_ID_RULE,
};

/// Whether `s` is a valid theme id: `[a-z0-9][a-z0-9-]*`.
pub fn is_theme_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.first()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// Whether `s` is a valid item id: `[A-Za-z][A-Za-z0-9_.-]*`, and not a path (`..` is refused).
pub fn is_item_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
        && !s.contains("..")
}

/// The forms of a `source:` value, in words (for help lines and the schema).
pub const SOURCE_RULE: &str = "`github:OWNER/REPO#N`, `jira:KEY-N` or `linear:KEY-N`";

/// A `source:` value, as a regular expression (for the schema).
pub const SOURCE_PATTERN: &str =
    "^(github:[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+#[0-9]+|(jira|linear):[A-Za-z][A-Za-z0-9_]*-[0-9]+)$";

/// Whether `s` names a tracker record as `source:` does: `github:OWNER/REPO#N`, `jira:KEY-N` or
/// `linear:KEY-N`.
pub fn is_source(s: &str) -> bool {
    let name = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
    };
    let number = |n: &str| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit());
    if let Some(rest) = s.strip_prefix("github:") {
        let Some((repo, n)) = rest.split_once('#') else {
            return false;
        };
        let Some((owner, name_part)) = repo.split_once('/') else {
            return false;
        };
        return name(owner) && name(name_part) && number(n);
    }
    let Some(key) = s
        .strip_prefix("jira:")
        .or_else(|| s.strip_prefix("linear:"))
    else {
        return false;
    };
    let Some((project, n)) = key.rsplit_once('-') else {
        return false;
    };
    project
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphabetic)
        && project
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_')
        && number(n)
}

/// The leading run of ASCII digits of `s`, and the rest.
fn digit_run(s: &[u8]) -> (&[u8], &[u8]) {
    s.split_at(s.iter().take_while(|b| b.is_ascii_digit()).count())
}

/// `s` without its leading zeros.
fn without_zeros(s: &[u8]) -> &[u8] {
    s.split_at(s.iter().take_while(|&&b| b == b'0').count()).1
}

/// Orders ids as people read them: digit runs by value, so `BL-9` comes before `BL-10`.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let ((dx, rx), (dy, ry)) = (digit_run(x), digit_run(y));
                // Compare digit runs by value: strip leading zeros, then longer is larger.
                let (vx, vy) = (without_zeros(dx), without_zeros(dy));
                let order = vx.len().cmp(&vy.len()).then_with(|| vx.cmp(vy));
                if order != std::cmp::Ordering::Equal {
                    return order;
                }
                (x, y) = (rx, ry);
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                (x, y) = (
                    x.get(1..).unwrap_or_default(),
                    y.get(1..).unwrap_or_default(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(stem_of("backlog/a/BL-1.yaml"), "BL-1");
        assert_eq!(stem_of("roadmap/x.y.yml"), "x.y");
    }

    #[test]
    fn natural_order_of_ids() {
        let mut ids = vec!["BL-10", "BL-9", "BL-100", "BL-09x", "A", "BL-2a", "BL-2"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            ids,
            vec!["A", "BL-2", "BL-2a", "BL-9", "BL-09x", "BL-10", "BL-100"]
        );
    }

    #[test]
    fn theme_ids() {
        for ok in ["security", "q3-2025", "2025", "a"] {
            assert!(is_theme_id(ok), "{ok}");
        }
        for bad in ["", "-x", "Security", "a_b", "a b", "a/b", "../x", "é"] {
            assert!(!is_theme_id(bad), "{bad}");
        }
    }

    #[test]
    fn sources() {
        for ok in [
            "github:acme/web#12",
            "jira:PAY-12",
            "linear:ENG-42",
            "github:a.b/c-d#1",
        ] {
            assert!(is_source(ok), "{ok}");
        }
        for bad in [
            "",
            "jira:",
            "jira:PAY",
            "jira:12",
            "github:acme#1",
            "github:acme/web#",
            "gitlab:a/b#1",
            "linear:ENG-4x",
            "github:a b/c#1",
            "jira:PAY-1 ",
        ] {
            assert!(!is_source(bad), "{bad}");
        }
    }

    #[test]
    fn item_ids() {
        for ok in ["BL-101", "a", "x.y_z-1", "Epic.2"] {
            assert!(is_item_id(ok), "{ok}");
        }
        for bad in ["", "1BL", "-x", "a/b", "../x", "a..b", "/abs", "BL 1", "ü"] {
            assert!(!is_item_id(bad), "{bad}");
        }
    }
}
