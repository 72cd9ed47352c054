//! What an untagged plain scalar means, decided as serde-saphyr's `deserialize_any` decides it
//! under roadlog's options: null, then a YAML 1.1 boolean, then a 64-bit integer, then a float,
//! else a string. The event reader must agree with the general one on every spelling, so this
//! follows the library's order and rules (`parse_scalars.rs` in serde-saphyr 2.1) and the
//! differential tests in `yaml.rs` hold the two to it.

use super::node::Value;

/// The value a plain scalar resolves to, or `None` when it is a string.
pub(super) fn plain(text: &str) -> Option<Value<'static>> {
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Some(Value::Null);
    }
    let t = text.trim_matches([' ', '\t', '\r', '\n']);
    if let Some(b) = boolean(t) {
        return Some(Value::Bool(b));
    }
    if let Some(rest) = t.strip_prefix('-') {
        // A redundant leading zero (`-012`) is not an integer; it may still be a float.
        if !leading_zero(t)
            && let Some(i) = signed(rest)
        {
            return Some(Value::Int(i));
        }
    } else if let Some(u) = unsigned(t.strip_prefix('+').unwrap_or(t)) {
        #[allow(clippy::cast_precision_loss)]
        return Some(i64::try_from(u).map_or(Value::Float(u as f64), Value::Int));
    }
    float(t).map(Value::Float)
}

/// YAML 1.1 booleans, in any letter case (the Norway problem included, as the library reads it).
fn boolean(t: &str) -> Option<bool> {
    let is = |words: [&str; 4]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if is(["true", "yes", "y", "on"]) {
        Some(true)
    } else if is(["false", "no", "n", "off"]) {
        Some(false)
    } else {
        None
    }
}

/// Digits after an optional sign, more than one, starting with `0`.
fn leading_zero(t: &str) -> bool {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The radix a prefix (`0x`, `0o`, `0b`) names, and the digits after it.
fn radix(rest: &str) -> (u32, &str) {
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(digits) = rest.strip_prefix(prefix) {
            return (radix, digits);
        }
    }
    (10, rest)
}

/// The magnitude `digits` spell in `radix`; single underscores may separate digits.
fn magnitude(digits: &str, radix: u32) -> Option<u128> {
    let bytes = digits.as_bytes();
    let mut value: u128 = 0;
    let mut saw = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let between = i
                .checked_sub(1)
                .and_then(|p| bytes.get(p))
                .is_some_and(|&p| p != b'_')
                && bytes.get(i + 1).is_some_and(|&n| n != b'_');
            if !between {
                return None;
            }
            continue;
        }
        let digit = char::from(b).to_digit(16).filter(|&d| d < radix)?;
        value = value
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(digit))?;
        saw = true;
    }
    saw.then_some(value)
}

/// The magnitude of an integer spelling after its sign; decimal ones may not start with `0`.
fn integer(rest: &str) -> Option<u128> {
    let (radix, digits) = radix(rest);
    if radix == 10 && digits.starts_with('0') && digits != "0" {
        return None;
    }
    magnitude(digits, radix)
}

/// An integer after a `-`.
fn signed(rest: &str) -> Option<i64> {
    let magnitude = integer(rest)?;
    let value = 0i128.checked_sub(i128::try_from(magnitude).ok()?)?;
    i64::try_from(value).ok()
}

/// An integer with no sign, or after a `+`.
fn unsigned(rest: &str) -> Option<u64> {
    u64::try_from(integer(rest)?).ok()
}

/// A YAML 1.2 float: `.inf`/`.nan` spellings, a finite decimal, or a numeral that overflows.
fn float(t: &str) -> Option<f64> {
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match body {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" if negative => return Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        _ => {}
    }
    let value = t.parse::<f64>().ok()?;
    // Rust also reads `inf` and `nan`, which YAML keeps as strings; an overflowing numeral
    // (`1e999`) must start with a digit after its sign.
    let numeral = t
        .strip_prefix(['+', '-'])
        .unwrap_or(t)
        .starts_with(|c: char| c.is_ascii_digit());
    (value.is_finite() || (value.is_infinite() && numeral)).then_some(value)
}
