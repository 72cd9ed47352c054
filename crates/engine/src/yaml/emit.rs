//! YAML text for values roadlog writes: plain where that reads back as the same string, quoted
//! where it would not.

/// A string as a YAML scalar: plain when that reads back as the same string, else double-quoted
/// (a JSON string is a valid YAML double-quoted scalar).
pub fn scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && s.trim() == s
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~".contains(c))
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && s.chars().all(|c| !c.is_control())
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        )
        && s.parse::<f64>().is_err()
        && s.parse::<i64>().is_err();
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
    }
}

/// A string as a YAML scalar that also reads back inside `[…]` or `{…}`: quoted when it holds a
/// flow indicator.
pub fn flow_scalar(s: &str) -> String {
    if s.contains([',', '[', ']', '{', '}']) {
        serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
    } else {
        scalar(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(
            scalar("Single sign-on for tenants"),
            "Single sign-on for tenants"
        );
        for (s, quoted) in [
            ("Spike: storage", "\"Spike: storage\""),
            ("yes", "\"yes\""),
            ("2025", "\"2025\""),
            ("- dash", "\"- dash\""),
            ("a # b", "\"a # b\""),
            ("line\nbreak", "\"line\\nbreak\""),
            ("", "\"\""),
            (" padded", "\" padded\""),
        ] {
            assert_eq!(scalar(s), quoted, "{s:?}");
        }
        // Whatever is written reads back as the same string.
        for s in [
            "Spike: storage",
            "yes",
            "2025",
            "a # b",
            "quote \" and \\ slash",
            "ünï",
        ] {
            let text = format!("t: {}\n", scalar(s));
            let docs = super::super::parse_stream(&text).expect("parses");
            let super::super::Value::Map(m) = &docs[0].value else {
                panic!("map")
            };
            assert_eq!(m[0].1.value, super::super::Value::Str(s.into()), "{s:?}");
        }
    }
}
