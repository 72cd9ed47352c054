//! CSV for spreadsheets: `roadlog history` as one row per sample, one column per theme.

use std::io::{self, Write};

use crate::history::HistoryReport;

/// Quotes a field when it holds a comma, quote or line break (RFC 4180).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `date,commit,open_share,sprint_share,<theme ids…>`, then a row per sample; shares and progress
/// as fractions, empty for none.
pub fn history(out: &mut dyn Write, h: &HistoryReport) -> io::Result<()> {
    let fraction = |f: Option<f64>| f.map_or_else(String::new, |p| format!("{p:.4}"));
    let mut header: Vec<String> = ["date", "commit", "open_share", "sprint_share"]
        .map(String::from)
        .to_vec();
    header.extend(h.themes.iter().map(|t| field(&t.id)));
    writeln!(out, "{}", header.join(","))?;
    for (k, sample) in h.samples.iter().enumerate() {
        let mut row = vec![
            sample.date.clone(),
            sample.commit.clone(),
            fraction(sample.open_share),
            fraction(sample.sprint_share),
        ];
        row.extend(
            h.themes
                .iter()
                .map(|t| fraction(t.progress.get(k).copied().flatten())),
        );
        writeln!(out, "{}", row.join(","))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_when_needed() {
        assert_eq!(field("a"), "a");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
